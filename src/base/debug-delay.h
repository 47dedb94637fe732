/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * debug-delay.h - randomised delays at the hand-off points (torture builds).
 *
 * CPUHP_DELAY_POINT() marks a place where one thread hands work or a lock to
 * another: posting and taking work, completing and waiting, the stop-machine
 * rendezvous, taking and dropping the cpus lock.  In a build configured with
 * -DCPUHP_DEBUG_DELAY=ON it may yield or sleep a few microseconds there, so
 * that the torture test sees interleavings the scheduler rarely produces (the
 * idea of liburcu's DEBUG_YIELD).  It is enabled at run time by the
 * environment variable CPUHP_DEBUG_DELAY (a number: 0 off, 1 yields only,
 * 2 yields and sleeps), read once per process.  In every other build the
 * macro is compiled to nothing.  Delays never change what the code does,
 * only when: a point may sit inside atomic context (signals blocked), where a
 * sleep is still harmless to the process.
 */
#ifndef CPUHP_DEBUG_DELAY_H
#define CPUHP_DEBUG_DELAY_H

#include "base/sched.h"

/*
 * Each point is also a scheduling point of the deterministic scheduler
 * (sched.h), in every build: one thread-local test when it is off.
 */
#if defined(CPUHP_DEBUG_DELAY) && CPUHP_DEBUG_DELAY
void cpuhp__delay_point(void);
#define CPUHP_DELAY_POINT()                 \
	do {                                \
		cpuhp__sched_maybe_point(); \
		cpuhp__delay_point();       \
	} while (0)
#else
#define CPUHP_DELAY_POINT() cpuhp__sched_maybe_point()
#endif

#endif /* CPUHP_DEBUG_DELAY_H */
