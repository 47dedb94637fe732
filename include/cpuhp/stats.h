/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cpuhp/stats.h - what the machine's operations cost in hand-offs between
 * threads (docs/performance.md).
 */
#ifndef CPUHP_STATS_H
#define CPUHP_STATS_H

#include <cpuhp/export.h>

#ifdef __cplusplus
extern "C" {
#endif

struct cpuhp;

/**
 * struct cpuhp_stats - hand-off counters of a machine since creation or reset
 * @handoffs: pieces of work handed to a "cpuhp/N" thread and waited for (a
 *            section's walk, a boot, a single install/remove call, a
 *            stop-machine participation): each is one round trip
 * @wakeups:  threads woken from a futex sleep (a waiter that was still
 *            spinning when its hand-off arrived costs no wake-up)
 */
struct cpuhp_stats {
	unsigned long long handoffs;
	unsigned long long wakeups;
};

/**
 * cpuhp_stats_get - read the counters
 * @hp:  the machine
 * @out: receives them
 *
 * Counters are updated relaxed: read them when no operation runs for exact
 * per-operation figures.
 *
 * Context: any thread.
 */
CPUHP_EXPORT void cpuhp_stats_get(const struct cpuhp *hp, struct cpuhp_stats *out);

/**
 * cpuhp_stats_reset - set the counters to zero
 * @hp: the machine
 *
 * Context: any thread; not concurrently with an operation if the next
 * reading must be exact.
 */
CPUHP_EXPORT void cpuhp_stats_reset(struct cpuhp *hp);

#ifdef __cplusplus
}
#endif

#endif /* CPUHP_STATS_H */
