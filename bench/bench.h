/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * bench.h - the benchmark driver's shared helpers: clocks, the result table
 * (every figure printed next to the baseline measured in the same run, ratio
 * first) and the individual benchmarks' entry points.
 */
#ifndef CPUHP_BENCH_H
#define CPUHP_BENCH_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

static inline uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* How a row's ratio is judged against its goal. */
enum bench_goal {
	GOAL_NONE,    /* informational */
	GOAL_AT_MOST, /* ratio <= limit */
	GOAL_AT_LEAST /* ratio >= limit */
};

/**
 * bench_row - print one result line
 * @what:      the figure ("cpuhp read lock+unlock, 2 threads")
 * @value:     its value
 * @unit:      "ns", "ms", "MiB", "instr" ...
 * @base_what: the baseline's name, or NULL when there is none
 * @base:      the baseline's value (same unit)
 * @goal:      how the ratio value/base is judged
 * @limit:     the goal's limit
 */
void bench_row(const char *what, double value, const char *unit, const char *base_what,
	       double base, enum bench_goal goal, double limit);
void bench_section(const char *title);

/* Quick mode (CPUHP_BENCH_QUICK=1): fewer repetitions, for smoke runs. */
bool bench_quick(void);

void bench_readlock(void);
void bench_updown(void);
void bench_boot(void);
void bench_setup(void);
void bench_mount(void);
int bench_mount_client(long rounds);
int bench_callgrind_target(void);

/* Out-of-line floor (floor.c): what a library read lock cannot beat. */
void bench_floor_lock(void);
void bench_floor_unlock(void);

#endif /* CPUHP_BENCH_H */
