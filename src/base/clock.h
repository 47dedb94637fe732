/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * clock.h - the library's one clock: CLOCK_MONOTONIC in nanoseconds, for
 * deadlines (waits with a timeout, the host backend's polling) and time
 * stamps.  Never CLOCK_REALTIME: a clock step must not end a wait early.
 */
#ifndef CPUHP_CLOCK_H
#define CPUHP_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline uint64_t cpuhp__now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

#endif /* CPUHP_CLOCK_H */
