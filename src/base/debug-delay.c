// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * debug-delay.c - the randomised delay behind CPUHP_DELAY_POINT().
 *
 * Compiled only with -DCPUHP_DEBUG_DELAY=ON (see debug-delay.h).  Each thread
 * draws from its own xorshift generator, so no state is shared between
 * threads but the level read from the environment.
 */
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "base/debug-delay.h"

#define LEVEL_UNKNOWN (-1)

static _Atomic int level = LEVEL_UNKNOWN;
static _Thread_local uint64_t rnd;

/* The level from CPUHP_DEBUG_DELAY: 0 (default) off, 1 yield, 2 yield+sleep. */
static int delay_level(void)
{
	int l = atomic_load_explicit(&level, memory_order_relaxed);
	const char *env;

	if (l != LEVEL_UNKNOWN)
		return l;
	env = getenv("CPUHP_DEBUG_DELAY");
	l = env ? atoi(env) : 0;
	/* Racing first calls all compute the same value: relaxed is enough. */
	atomic_store_explicit(&level, l, memory_order_relaxed);
	return l;
}

static uint64_t next_random(void)
{
	if (!rnd) {
		struct timespec ts;

		/* Any non-zero, per-thread seed: the delays need not be reproducible. */
		clock_gettime(CLOCK_MONOTONIC, &ts);
		rnd = ((uint64_t)ts.tv_nsec << 20) ^ (uint64_t)(uintptr_t)&rnd ^ 1u;
	}
	rnd ^= rnd << 13;
	rnd ^= rnd >> 7;
	rnd ^= rnd << 17;
	return rnd;
}

void cpuhp__delay_point(void)
{
	int l = delay_level();
	uint64_t r;

	if (l <= 0)
		return;
	r = next_random();
	if (l >= 2 && (r & 15) == 0) {
		/* One point in 16: sleep 1-64 us, long enough to lose the CPU. */
		struct timespec ts = { 0, (long)(((r >> 8) & 63) + 1) * 1000 };

		nanosleep(&ts, NULL);
	} else if ((r & 3) == 0) {
		sched_yield();
	}
}
