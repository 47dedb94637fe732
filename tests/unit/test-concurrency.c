// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-concurrency.c - smoke test for the locking (meant for TSan too):
 * two threads take different CPUs down and up in loops while a third holds
 * the cpus read lock and checks that the set of online CPUs does not move
 * under it.
 *
 * Spec: 5 (cpu_add_remove_lock serialises operations; cpus_write_lock is
 * held for the whole walk; readers of cpus_read_lock see stable masks),
 * rule 20.
 */
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

#include "unit-common.h"

#define ROUNDS 150

static struct cpuhp *hp;
static int s_offline, s_online;
static atomic_int workers_left = 2;
static atomic_int op_errors, violations, reads;

static void *cycler(void *arg)
{
	unsigned int cpu = (unsigned int)(uintptr_t)arg;
	int i;

	for (i = 0; i < ROUNDS; i++) {
		if (cpuhp_cpu_down(hp, cpu, s_offline))
			atomic_fetch_add(&op_errors, 1);
		if (cpuhp_cpu_up(hp, cpu, s_online))
			atomic_fetch_add(&op_errors, 1);
	}
	atomic_fetch_sub(&workers_left, 1);
	return NULL;
}

static unsigned int online_mask(void)
{
	unsigned int cpu, m = 0;

	for (cpu = 0; cpu < 4; cpu++)
		m |= (unsigned int)cpuhp_cpu_online(hp, cpu) << cpu;
	return m;
}

static void *reader(void *arg)
{
	struct timespec pause = { 0, 50 * 1000 };
	unsigned int n, m;

	(void)arg;
	while (atomic_load(&workers_left) > 0) {
		cpuhp_cpus_read_lock(hp);
		n = cpuhp_num_online(hp);
		m = online_mask();
		nanosleep(&pause, NULL);
		sched_yield();
		if (cpuhp_num_online(hp) != n || online_mask() != m)
			atomic_fetch_add(&violations, 1);
		cpuhp_cpus_read_unlock(hp);
		atomic_fetch_add(&reads, 1);
		sched_yield();
	}
	return NULL;
}

/* An ONLINE callback: the library treats it as acting for the writer. */
static int held_check(struct cpuhp *h, unsigned int cpu, void *data)
{
	(void)cpu;
	(void)data;
	if (!cpuhp_cpus_read_held(h))
		atomic_fetch_add(&violations, 1);
	return 0;
}

int main(void)
{
	pthread_t t[3];

	plan_no_plan();
	hp = machine();
	s_offline = cpuhp_state_of(hp, CPUHP_OFFLINE);
	s_online = cpuhp_state_of(hp, CPUHP_ONLINE);
	ok(cpuhp_setup_state(hp, cpuhp_state_of(hp, CPUHP_AP_ONLINE_DYN), "t:held",
			     held_check, held_check, NULL) > 0,
	   "register an ONLINE state");
	if (pthread_create(&t[0], NULL, cycler, (void *)(uintptr_t)1) ||
	    pthread_create(&t[1], NULL, cycler, (void *)(uintptr_t)2) ||
	    pthread_create(&t[2], NULL, reader, NULL))
		bail_out("pthread_create");
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
	pthread_join(t[2], NULL);

	is_int(atomic_load(&op_errors), 0, "every up/down succeeded");
	is_int(atomic_load(&violations), 0, "online set stable under cpus_read_lock");
	ok(atomic_load(&reads) > 0, "the reader got the lock (%d times)",
	   atomic_load(&reads));
	is_int(cpuhp_num_online(hp), 4, "all CPUs online at the end");
	is_int(cpuhp_warn_count(hp), 0, "no WARN");
	cpuhp_free(hp);
	return done_testing();
}
