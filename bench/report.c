// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * report.c - the table every benchmark prints into: a section header and
 * one row per figure, with its same-run baseline, the ratio and the goal's
 * verdict; and the quick (smoke) switch.  Apart from main.c so that the
 * benchmarks and the dispatcher do not depend on each other.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

bool bench_quick(void)
{
	const char *q = getenv("CPUHP_BENCH_QUICK");

	return q && *q && strcmp(q, "0");
}

void bench_section(const char *title)
{
	printf("\n## %s\n", title);
	printf("%-7s %-10s | %-52s %11s | %-44s %11s\n", "ratio", "goal", "figure",
	       "value", "baseline (same run)", "value");
	fflush(stdout);
}

void bench_row(const char *what, double value, const char *unit, const char *base_what,
	       double base, enum bench_goal goal, double limit)
{
	char ratio[32] = "-", verdict[32] = "", val[32], bval[32] = "";
	double r = base > 0 ? value / base : 0;

	if (base_what && base > 0)
		snprintf(ratio, sizeof(ratio), "%.3gx", r);
	if (goal == GOAL_AT_MOST)
		snprintf(verdict, sizeof(verdict), "%s<=%g", r <= limit ? "ok" : "MISS",
			 limit);
	else if (goal == GOAL_AT_LEAST)
		snprintf(verdict, sizeof(verdict), "%s>=%g", r >= limit ? "ok" : "MISS",
			 limit);
	snprintf(val, sizeof(val), "%.4g %s", value, unit);
	if (base_what)
		snprintf(bval, sizeof(bval), "%.4g %s", base, unit);
	printf("%-7s %-10s | %-52s %11s | %-44s %11s\n", ratio, verdict, what, val,
	       base_what ? base_what : "", bval);
	fflush(stdout);
}
