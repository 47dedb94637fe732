// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mount.c - benchmark e (issue 16): CPU hotplug through the FUSE mount.
 * A client's offline+online cycle written to cpu1/online on the mount
 * ("cpuhpctl exec" runs this program again as the client, in its private
 * namespace), against the library's direct cpuhp_cpu_down + cpuhp_cpu_up
 * cycle on the same model and CPU count, in the same run; and the rate
 * "exec --flap 0" sustains on 8 CPUs.  Needs root and /dev/fuse (as exec
 * does); otherwise the rows say why they are missing.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cpuhp/cpuhp.h>

#include "bench.h"

#define NR_CPUS 8
#define CPU_ONLINE "/sys/devices/system/cpu/cpu1/online"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double bench_median(double *t, size_t n)
{
	qsort(t, n, sizeof(*t), cmp_double);
	return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

/*
 * The client refuses to write anything unless /sys/devices/system/cpu is
 * the simulated machine: a wrong setup must never reach the host's CPUs.
 */
static bool simulated(void)
{
	FILE *f = fopen("/proc/self/mountinfo", "r");
	char line[4096], last[64] = "";

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		char mnt[256], *dash = strstr(line, " - ");

		if (dash && sscanf(line, "%*s %*s %*s %*s %255s", mnt) == 1 &&
		    !strcmp(mnt, "/sys/devices/system/cpu"))
			sscanf(dash + 3, "%63s", last);
	}
	fclose(f);
	return !strcmp(last, "fuse.cpuhp");
}

static int write_online(const char *v)
{
	int fd = open(CPU_ONLINE, O_WRONLY), ok;

	if (fd < 0)
		return -1;
	ok = write(fd, v, 1) == 1;
	return close(fd) || !ok ? -1 : 0;
}

/* Run by "cpuhpctl exec": prints the median cycle in ns. */
int bench_mount_client(long rounds)
{
	double *t = malloc((size_t)rounds * sizeof(*t)), med;
	long i;

	if (!t || !simulated()) {
		fprintf(stderr, "cpuhp-bench: %s is not fuse.cpuhp: refusing\n",
			CPU_ONLINE);
		return 1;
	}
	for (i = 0; i < rounds; i++) {
		uint64_t t0 = bench_now_ns();

		if (write_online("0") || write_online("1")) {
			perror("cpuhp-bench: " CPU_ONLINE);
			return 1;
		}
		t[i] = (double)(bench_now_ns() - t0);
	}
	med = bench_median(t, (size_t)rounds);
	printf("%.0f\n", med);
	free(t);
	return 0;
}

static double direct_cycle_ns(long rounds)
{
	struct cpuhp_config cfg;
	struct cpuhp *hp;
	double *t = malloc((size_t)rounds * sizeof(*t)), med = 0;
	int off, on;
	long i;

	cpuhp_config_init(&cfg);
	cfg.nr_possible = NR_CPUS;
	if (!t || cpuhp_new(&cfg, &hp)) {
		free(t);
		return 0;
	}
	off = cpuhp_state_of(hp, CPUHP_OFFLINE);
	on = cpuhp_state_of(hp, CPUHP_ONLINE);
	for (i = 0; i < rounds; i++) {
		uint64_t t0 = bench_now_ns();

		if (cpuhp_cpu_down(hp, 1, off) || cpuhp_cpu_up(hp, 1, on))
			break;
		t[i] = (double)(bench_now_ns() - t0);
	}
	if (i == rounds)
		med = bench_median(t, (size_t)rounds);
	cpuhp_free(hp);
	free(t);
	return med;
}

/* Run @cmd, return the first line of its stdout (or of stderr with 2>&1). */
static bool run_line(const char *cmd, char *buf, size_t len)
{
	FILE *p = popen(cmd, "r");
	bool got = false;
	char line[512];

	if (!p)
		return false;
	while (fgets(line, sizeof(line), p))
		if (!got && strstr(line, buf[0] ? buf : line)) {
			snprintf(buf, len, "%s", line);
			got = true;
		}
	return pclose(p) == 0 && got;
}

void bench_mount(void)
{
	const char *ctl = getenv("CPUHPCTL") ? getenv("CPUHPCTL") : CPUHP_BENCH_CPUHPCTL;
	long rounds = bench_quick() ? 50 : 1000;
	char cmd[1024], buf[512], self[512];
	double mount_ns, direct_ns, rate;
	ssize_t n;

	bench_section("e: hotplug through the FUSE mount (cpuhpctl exec), issue 16");
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0 || access("/dev/fuse", R_OK | W_OK) || access(ctl, X_OK)) {
		bench_row("mount: skipped (needs root, /dev/fuse and cpuhpctl)", 0, "",
			  NULL, 0, GOAL_NONE, 0);
		return;
	}
	self[n] = '\0';
	direct_ns = direct_cycle_ns(rounds);
	snprintf(cmd, sizeof(cmd), "'%s' --cpus %d exec -- '%s' --mount-client %ld", ctl,
		 NR_CPUS, self, rounds);
	buf[0] = '\0';
	if (!run_line(cmd, buf, sizeof(buf)) || !direct_ns) {
		bench_row("mount: the client failed (see stderr)", 0, "", NULL, 0,
			  GOAL_NONE, 0);
		return;
	}
	mount_ns = strtod(buf, NULL);
	direct_ns = (direct_ns + direct_cycle_ns(rounds)) / 2; /* before and after */
	bench_row("offline+online of cpu1 via the mount (median)", mount_ns / 1000, "us",
		  "cpuhp_cpu_down+cpuhp_cpu_up (median)", direct_ns / 1000, GOAL_AT_MOST,
		  3);

	snprintf(cmd, sizeof(cmd),
		 "'%s' --cpus %d exec --flap 0 --seed 1 -- sleep %s 2>&1", ctl, NR_CPUS,
		 bench_quick() ? "0.5" : "3");
	snprintf(buf, sizeof(buf), "flap:");
	if (!run_line(cmd, buf, sizeof(buf)) ||
	    sscanf(strstr(buf, " in ") ? strstr(buf, "(") : "", "(%lf/s)", &rate) != 1) {
		bench_row("exec --flap: no rate reported", 0, "", NULL, 0, GOAL_NONE, 0);
		return;
	}
	bench_row("exec --flap 0, 8 CPUs: operations per second", rate, "/s",
		  "the goal: 1,000 operations per second", 1000, GOAL_AT_LEAST, 1);
}
