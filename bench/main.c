// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * main.c - cpuhp-bench: runs every benchmark (or the ones named on the
 * command line) and prints one table.  Each figure is printed with the
 * baseline measured in the same run and the ratio between them first, so a
 * loaded or slower machine changes the numbers but hardly the ratios.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

struct bench {
	const char *name;
	void (*fn)(void);
	const char *help;
};

static const struct bench benches[] = {
	{ "readlock", bench_readlock,
	  "a: read lock+unlock, writer latency with readers" },
	{ "updown", bench_updown, "b: one CPU offline+online, hand-offs, futex floor" },
	{ "boot", bench_boot, "c: boot 256/1024/4096 CPUs, serial vs parallel" },
	{ "setup", bench_setup, "d: setup_state on 1024 CPUs, serial vs concurrent" },
	{ "mount", bench_mount, "e: offline+online through the FUSE mount vs direct; --flap rate" },
};

#define NR_BENCHES (sizeof(benches) / sizeof(benches[0]))

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

int main(int argc, char **argv)
{
	size_t i;
	int a;

	if (argc > 2 && !strcmp(argv[1], "--mount-client"))
		return bench_mount_client(atol(argv[2]));
	if (argc > 1 && !strcmp(argv[1], "--callgrind-target"))
		return bench_callgrind_target();
	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		printf("usage: cpuhp-bench [NAME...]   (CPUHP_BENCH_QUICK=1 for a smoke run)\n");
		for (i = 0; i < NR_BENCHES; i++)
			printf("  %-10s %s\n", benches[i].name, benches[i].help);
		return 0;
	}
	printf("# cpuhp-bench: ratio = figure / baseline; goal verdicts from issue 5\n");
	for (i = 0; i < NR_BENCHES; i++) {
		bool run = argc < 2;

		for (a = 1; a < argc; a++)
			run |= !strcmp(argv[a], benches[i].name);
		if (run)
			benches[i].fn();
	}
	return 0;
}
