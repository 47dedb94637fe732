// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-readlock.c - the cpus read lock (lock.c): a writer never runs while
 * a reader holds it, readers nest, trylock, misuse warns, reader records are
 * recycled when threads exit and not confused between machines, and
 * back-to-back writers and looping readers all make progress (issue 18).  Run twice
 * by CTest: with membarrier (where the kernel has it) and with
 * CPUHP_CONFIG_NO_MEMBARRIER (argument "fallback"), the seq_cst path.
 *
 * Spec: 5 (cpus_write_lock is held for the whole walk, cpus_read_lock keeps
 * the online set stable, readers nest); rule 20.
 */
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "exec/exec.h"

#include "tap.h"
#include "watchdog.h"

#define ROUNDS 60

static bool fallback;
static struct cpuhp *hp;
static atomic_int in_read, in_write, violations, reads, writers_left;
static int s_offline, s_online;

static struct cpuhp *new_machine(unsigned int ncpus)
{
	struct cpuhp_config cfg;
	struct cpuhp *m = NULL;

	cpuhp_config_init(&cfg);
	cfg.nr_possible = ncpus;
	if (fallback)
		cfg.flags |= CPUHP_CONFIG_NO_MEMBARRIER;
	if (cpuhp_new(&cfg, &m) || !m)
		bail_out("cpuhp_new failed");
	return m;
}

/* Runs under the write lock: PREPARE on the control thread, ONLINE on the AP. */
static int writer_cb(struct cpuhp *h, unsigned int cpu, void *data)
{
	(void)h;
	(void)cpu;
	(void)data;
	atomic_fetch_add(&in_write, 1);
	if (atomic_load(&in_read))
		atomic_fetch_add(&violations, 1);
	sched_yield();
	if (atomic_load(&in_read))
		atomic_fetch_add(&violations, 1);
	atomic_fetch_sub(&in_write, 1);
	return 0;
}

static atomic_int readers_started;

static void *cycler(void *arg)
{
	unsigned int cpu = (unsigned int)(uintptr_t)arg;
	int i;

	/* Start cycling only once both readers run, so the two overlap. */
	while (atomic_load(&readers_started) < 2)
		sched_yield();
	for (i = 0; i < ROUNDS; i++) {
		if (cpuhp_cpu_down(hp, cpu, s_offline) || cpuhp_cpu_up(hp, cpu, s_online))
			atomic_fetch_add(&violations, 1000);
	}
	atomic_fetch_sub(&writers_left, 1);
	return NULL;
}

static void *reader(void *arg)
{
	int nest = (int)(uintptr_t)arg;

	atomic_fetch_add(&readers_started, 1);
	do {
		cpuhp_cpus_read_lock(hp);
		if (nest)
			cpuhp_cpus_read_lock(hp);
		atomic_fetch_add(&in_read, 1);
		if (atomic_load(&in_write))
			atomic_fetch_add(&violations, 1);
		sched_yield();
		if (atomic_load(&in_write))
			atomic_fetch_add(&violations, 1);
		atomic_fetch_sub(&in_read, 1);
		if (nest)
			cpuhp_cpus_read_unlock(hp);
		cpuhp_cpus_read_unlock(hp);
		atomic_fetch_add(&reads, 1);
	} while (atomic_load(&writers_left) > 0);
	return NULL;
}

static void test_exclusion(void)
{
	pthread_t t[4];
	int i;

	ok(cpuhp_setup_state(hp, cpuhp_state_of(hp, CPUHP_BP_PREPARE_DYN), "t:prep",
			     writer_cb, writer_cb, NULL) > 0,
	   "PREPARE state registered");
	ok(cpuhp_setup_state(hp, cpuhp_state_of(hp, CPUHP_AP_ONLINE_DYN), "t:online",
			     writer_cb, writer_cb, NULL) > 0,
	   "ONLINE state registered");
	atomic_store(&writers_left, 2);
	pthread_create(&t[0], NULL, cycler, (void *)(uintptr_t)1);
	pthread_create(&t[1], NULL, cycler, (void *)(uintptr_t)2);
	pthread_create(&t[2], NULL, reader, (void *)(uintptr_t)0);
	pthread_create(&t[3], NULL, reader, (void *)(uintptr_t)1);
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	is_int(atomic_load(&violations), 0,
	       "no callback ran while a reader held the lock");
	ok(atomic_load(&reads) > 0, "readers got the lock (%d times)",
	   atomic_load(&reads));
	is_int(cpuhp_num_online(hp), 4, "all CPUs online at the end");
}

static atomic_bool op_done;

static void *down_one(void *arg)
{
	(void)arg;
	if (cpuhp_cpu_down(hp, 3, s_offline))
		atomic_fetch_add(&violations, 1);
	atomic_store(&op_done, true);
	return NULL;
}

static void test_nesting(void)
{
	struct timespec pause = { 0, 20 * 1000 * 1000 };
	pthread_t t;

	cpuhp_cpus_read_lock(hp);
	cpuhp_cpus_read_lock(hp);
	ok(cpuhp_cpus_read_trylock(hp), "trylock nests inside the lock");
	ok(cpuhp_cpus_read_held(hp), "held at depth 3");
	is_int(cpuhp__read_depth(hp), 3, "depth 3");
	pthread_create(&t, NULL, down_one, NULL);
	nanosleep(&pause, NULL);
	ok(!atomic_load(&op_done), "a CPU down waits while the lock is held");
	cpuhp_cpus_read_unlock(hp);
	cpuhp_cpus_read_unlock(hp);
	ok(!atomic_load(&op_done), "... and still waits at depth 1");
	ok(cpuhp_cpu_online(hp, 3), "CPU 3 still online under the lock");
	cpuhp_cpus_read_unlock(hp);
	ok(!cpuhp_cpus_read_held(hp), "not held after the last unlock");
	pthread_join(t, NULL);
	ok(atomic_load(&op_done) && !cpuhp_cpu_online(hp, 3),
	   "the down ran after the unlock");
	ok(cpuhp_cpus_read_trylock(hp), "trylock with no writer");
	cpuhp_cpus_read_unlock(hp);
	is_int(cpuhp_cpu_up(hp, 3, s_online), 0, "CPU 3 back up");
	is_int(cpuhp_warn_count(hp), 0, "no WARN so far");
	cpuhp_cpus_read_unlock(hp);
	is_int(cpuhp_warn_count(hp), 1, "an unbalanced unlock WARNs");
}

static void *lock_once(void *arg)
{
	struct cpuhp *m = arg;

	cpuhp_cpus_read_lock(m);
	cpuhp_cpus_read_unlock(m);
	return NULL;
}

static void test_records(void)
{
	struct cpuhp *a, *b;
	pthread_t t;
	int i;

	a = new_machine(2);
	for (i = 0; i < 20; i++) {
		pthread_create(&t, NULL, lock_once, a);
		pthread_join(t, NULL);
	}
	ok(cpuhp__rw_nr_readers(a) <= 2,
	   "exited threads' records are reused (%u for 20 threads)",
	   cpuhp__rw_nr_readers(a));
	cpuhp_cpus_read_lock(a);
	cpuhp_free(hp);
	/* A new machine may get the old one's address: the slot must not follow. */
	hp = new_machine(2);
	ok(!cpuhp_cpus_read_held(hp), "a new machine is not read-locked by the old slot");
	cpuhp_cpus_read_lock(hp);
	ok(cpuhp_cpus_read_held(hp) && cpuhp_cpus_read_held(a),
	   "two machines read-locked");
	cpuhp_cpus_read_unlock(hp);
	cpuhp_cpus_read_unlock(a);
	b = new_machine(2);
	is_int(cpuhp_cpu_down(b, 1, cpuhp_state_of(b, CPUHP_OFFLINE)), 0,
	       "writer of another machine is not blocked by our reads");
	is_int(cpuhp_cpu_down(a, 1, cpuhp_state_of(a, CPUHP_OFFLINE)), 0,
	       "writer proceeds after the unlocks");
	is_int(cpuhp_warn_count(a) + cpuhp_warn_count(b) + cpuhp_warn_count(hp), 0,
	       "no WARN");
	cpuhp_free(b);
	cpuhp_free(a);
}

/*
 * No starvation either way (issue 18): two threads take the write lock
 * back to back while two threads take the read lock in a loop.  Every
 * thread must get the lock PROGRESS_GOAL times; a hang trips the watchdog.
 * No timing is asserted, only that each count is reached and the lock
 * still excludes.
 */
#define PROGRESS_GOAL 300
static atomic_int p_counts[4];
static atomic_bool p_stop;

static void *progress_writer(void *arg)
{
	int me = (int)(uintptr_t)arg;

	while (!atomic_load(&p_stop)) {
		cpuhp__cpus_write_lock(hp);
		atomic_fetch_add(&in_write, 1);
		if (atomic_load(&in_read))
			atomic_fetch_add(&violations, 1);
		atomic_fetch_sub(&in_write, 1);
		cpuhp__cpus_write_unlock(hp);
		atomic_fetch_add(&p_counts[me], 1);
	}
	return NULL;
}

static void *progress_reader(void *arg)
{
	int me = (int)(uintptr_t)arg;

	while (!atomic_load(&p_stop)) {
		cpuhp_cpus_read_lock(hp);
		atomic_fetch_add(&in_read, 1);
		if (atomic_load(&in_write))
			atomic_fetch_add(&violations, 1);
		atomic_fetch_sub(&in_read, 1);
		cpuhp_cpus_read_unlock(hp);
		atomic_fetch_add(&p_counts[me], 1);
	}
	return NULL;
}

static void test_progress(void)
{
	pthread_t t[4];
	int i, low;

	atomic_store(&violations, 0);
	watchdog_arm(60);
	for (i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, i < 2 ? progress_writer : progress_reader,
			       (void *)(uintptr_t)i);
	do {
		sched_yield();
		low = PROGRESS_GOAL;
		for (i = 0; i < 4; i++)
			if (atomic_load(&p_counts[i]) < low)
				low = atomic_load(&p_counts[i]);
	} while (low < PROGRESS_GOAL);
	atomic_store(&p_stop, true);
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	watchdog_arm(0);
	for (i = 0; i < 4; i++)
		ok(atomic_load(&p_counts[i]) >= PROGRESS_GOAL,
		   "%s %d got the lock %d times while the others looped",
		   i < 2 ? "writer" : "reader", i % 2, atomic_load(&p_counts[i]));
	is_int(atomic_load(&violations), 0,
	       "no reader inside while back-to-back writers held the lock");
}

int main(int argc, char **argv)
{
	fallback = argc > 1 && !strcmp(argv[1], "fallback");
	plan_no_plan();
	hp = new_machine(4);
	if (fallback)
		ok(!hp->rw.membarrier,
		   "CPUHP_CONFIG_NO_MEMBARRIER selects the seq_cst fallback");
	else
		diag("read lock path: %s",
		     hp->rw.membarrier ? "membarrier" : "fallback (no membarrier)");
	s_offline = cpuhp_state_of(hp, CPUHP_OFFLINE);
	s_online = cpuhp_state_of(hp, CPUHP_ONLINE);
	test_exclusion();
	test_nesting();
	test_records();
	test_progress();
	cpuhp_free(hp);
	return done_testing();
}
