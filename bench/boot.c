// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * boot.c - benchmark c: cpuhp_new() of 256, 1024 and 4096 possible CPUs on
 * the mainline model, serial bring-up (CPUHP_CONFIG_SERIAL_BRINGUP) against
 * parallel, wall time and peak RSS.  Each configuration runs in a child
 * process so that its peak RSS (getrusage of the child) is its own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cpuhp/cpuhp.h>

#include "bench.h"

struct boot_result {
	double boot_ms, free_ms, rss_mib;
	unsigned int online;
};

/* In a child: boot, report through a pipe, free. */
static struct boot_result boot_once(unsigned int ncpus, bool serial)
{
	struct boot_result r = { 0 };
	struct rusage ru;
	int fd[2], status;
	pid_t pid;

	if (pipe(fd))
		exit(1);
	pid = fork();
	if (pid == 0) {
		struct cpuhp_config cfg;
		struct cpuhp *hp;
		uint64_t t0;

		close(fd[0]);
		cpuhp_config_init(&cfg);
		cfg.nr_possible = ncpus;
		if (serial)
			cfg.flags |= CPUHP_CONFIG_SERIAL_BRINGUP;
		t0 = bench_now_ns();
		if (cpuhp_new(&cfg, &hp))
			_exit(1);
		r.boot_ms = (double)(bench_now_ns() - t0) / 1e6;
		r.online = cpuhp_num_online(hp);
		t0 = bench_now_ns();
		cpuhp_free(hp);
		r.free_ms = (double)(bench_now_ns() - t0) / 1e6;
		if (write(fd[1], &r, sizeof(r)) != sizeof(r))
			_exit(1);
		_exit(0);
	}
	close(fd[1]);
	if (read(fd[0], &r, sizeof(r)) != sizeof(r))
		r.boot_ms = -1;
	close(fd[0]);
	if (wait4(pid, &status, 0, &ru) == pid)
		r.rss_mib = (double)ru.ru_maxrss / 1024.0;
	return r;
}

/* Best (lowest boot time) of @reps runs. */
static struct boot_result boot_best(unsigned int ncpus, bool serial, int reps)
{
	struct boot_result best = { .boot_ms = 1e30 }, r;
	int i;

	for (i = 0; i < reps; i++) {
		r = boot_once(ncpus, serial);
		if (r.boot_ms >= 0 && r.boot_ms < best.boot_ms)
			best = r;
	}
	return best;
}

void bench_boot(void)
{
	static const unsigned int sizes[] = { 256, 1024, 4096 };
	int reps = bench_quick() ? 1 : 3;
	char what[128];
	size_t i;

	bench_section("c. boot (cpuhp_new), mainline, serial vs parallel bring-up");
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		unsigned int n = sizes[i];
		struct boot_result s = boot_best(n, true, reps),
				   p = boot_best(n, false, reps);

		snprintf(what, sizeof(what), "boot %u CPUs, parallel (serial / parallel)",
			 n);
		bench_row(what, s.boot_ms, "ms", "parallel bring-up", p.boot_ms,
			  n == 1024 ? GOAL_AT_LEAST : GOAL_NONE, 2);
		if (n == 4096) {
			bench_row("boot 4096 CPUs, parallel: wall time", p.boot_ms, "ms",
				  "goal (issue 5)", 1000, GOAL_AT_MOST, 1);
			bench_row("boot 4096 CPUs, parallel: peak RSS", p.rss_mib, "MiB",
				  "goal (issue 5)", 256, GOAL_AT_MOST, 1);
		}
		snprintf(what, sizeof(what), "peak RSS %u CPUs: serial / parallel", n);
		bench_row(what, s.rss_mib, "MiB", "parallel", p.rss_mib, GOAL_NONE, 0);
		snprintf(what, sizeof(what), "memory per CPU, %u CPUs (peak RSS / CPUs)",
			 n);
		bench_row(what, p.rss_mib * 1024 / n, "KiB", NULL, 0, GOAL_NONE, 0);
		snprintf(what, sizeof(what), "cpuhp_free %u CPUs (all online)", n);
		bench_row(what, p.free_ms, "ms", NULL, 0, GOAL_NONE, 0);
		if (p.online != n || s.online != n)
			printf("# warning: %u/%u CPUs online after boot\n", p.online,
			       s.online);
	}
}
