// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * setup.c - benchmark d: cpuhp_setup_state() of an ONLINE-section state
 * (a no-op callback) on 1024 online CPUs, the kernel's serial order
 * (CPUHP_CONFIG_SERIAL_SETUP) against concurrent dispatch, and the matching
 * cpuhp_remove_state().  Median of several setup/remove rounds.
 */
#include <stdio.h>
#include <stdlib.h>

#include <cpuhp/cpuhp.h>

#include "bench.h"

#define NCPUS 1024

static int nop(struct cpuhp *hp, unsigned int cpu, void *data)
{
	(void)hp;
	(void)cpu;
	(void)data;
	return 0;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median setup and remove times (ms) over @rounds. */
static void measure(unsigned int flags, int rounds, double *setup_ms, double *remove_ms)
{
	struct cpuhp_config cfg;
	struct cpuhp *hp;
	double *s = calloc((size_t)rounds, sizeof(*s)),
	       *r = calloc((size_t)rounds, sizeof(*r));
	int i, st;

	cpuhp_config_init(&cfg);
	cfg.nr_possible = NCPUS;
	cfg.flags = flags;
	if (cpuhp_new(&cfg, &hp))
		exit(1);
	for (i = 0; i < rounds; i++) {
		uint64_t t0 = bench_now_ns();

		st = cpuhp_setup_state(hp, cpuhp_state_of(hp, CPUHP_AP_ONLINE_DYN),
				       "bench:setup", nop, nop, NULL);
		s[i] = (double)(bench_now_ns() - t0) / 1e6;
		if (st <= 0)
			exit(1);
		t0 = bench_now_ns();
		cpuhp_remove_state(hp, st);
		r[i] = (double)(bench_now_ns() - t0) / 1e6;
	}
	cpuhp_free(hp);
	qsort(s, (size_t)rounds, sizeof(*s), cmp);
	qsort(r, (size_t)rounds, sizeof(*r), cmp);
	*setup_ms = s[rounds / 2];
	*remove_ms = r[rounds / 2];
	free(s);
	free(r);
}

void bench_setup(void)
{
	int rounds = bench_quick() ? 3 : 11;
	double ss, sr, cs, cr;

	measure(CPUHP_CONFIG_SERIAL_SETUP, rounds, &ss, &sr);
	measure(0, rounds, &cs, &cr);
	bench_section("d. cpuhp_setup_state, ONLINE callback, 1024 online CPUs (median)");
	bench_row("setup_state: serial / concurrent", ss, "ms", "concurrent dispatch", cs,
		  GOAL_AT_LEAST, 5);
	bench_row("remove_state: serial / concurrent", sr, "ms", "concurrent dispatch",
		  cr, GOAL_NONE, 0);
}
