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
	{ "mount", bench_mount,
	  "e: offline+online through the FUSE mount vs direct; --flap rate" },
};

#define NR_BENCHES (sizeof(benches) / sizeof(benches[0]))

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
