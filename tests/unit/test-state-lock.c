// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-state-lock.c - the state mutex's holder may read the step table:
 * code that runs under it on the same thread (the ledger's end-of-removal
 * checks name the state in their messages) used to take the mutex again
 * through cpuhp_state_name() and deadlock.  Other threads still wait for
 * the holder.  A watchdog turns a deadlock into a failure.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "exec/exec.h"

#include "tap.h"
#include "watchdog.h"

static atomic_bool reader_done;

static void *reader(void *arg)
{
	struct cpuhp *hp = arg;

	(void)cpuhp_state_name(hp, cpuhp_state_of(hp, CPUHP_ONLINE));
	atomic_store(&reader_done, true);
	return NULL;
}

int main(void)
{
	struct timespec pause = { 0, 50 * 1000 * 1000 };
	struct cpuhp_config cfg;
	struct cpuhp *hp;
	pthread_t tid;
	const char *name;

	plan_no_plan();
	watchdog_arm(20);
	cpuhp_config_init(&cfg);
	cfg.nr_possible = 2;
	if (cpuhp_new(&cfg, &hp))
		bail_out("cannot create the machine");

	cpuhp__state_mutex_lock(hp);
	name = cpuhp_state_name(hp, cpuhp_state_of(hp, CPUHP_ONLINE));
	ok(name && !strcmp(name, "online"), "the holder reads a name without deadlock");
	if (pthread_create(&tid, NULL, reader, hp))
		bail_out("pthread_create");
	/* Cannot fail spuriously: the reader may only finish after the unlock. */
	nanosleep(&pause, NULL);
	ok(!atomic_load(&reader_done), "another thread waits for the holder");
	cpuhp__state_mutex_unlock(hp);
	pthread_join(tid, NULL);
	ok(atomic_load(&reader_done), "and reads once the holder unlocks");
	name = cpuhp_state_name(hp, cpuhp_state_of(hp, CPUHP_OFFLINE));
	ok(name && !strcmp(name, "offline"),
	   "a name read after the unlock takes the mutex");

	cpuhp_free(hp);
	watchdog_arm(0);
	return done_testing();
}
