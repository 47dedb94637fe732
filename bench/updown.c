// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * updown.c - benchmark b: one CPU offline+online with the model's no-op
 * callbacks: wall time, hand-offs and wake-ups per operation (from
 * cpuhp_stats_get), against the floor measured in the same run: a futex
 * ping-pong round trip between two threads times the hand-offs the
 * operation needs.  Also the framework's instructions per executed
 * callback, counted by callgrind (deterministic) on the CPU thread's walk.
 */
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cpuhp/cpuhp.h>

#include "bench.h"

#define NR_CPUS 4
#define CG_STATES 16 /* extra ONLINE states in the callgrind run */
#define CG_ROUNDS 20

static const char *model_used;

static struct cpuhp *new_machine(void)
{
	static const char *const models[] = { "linux-6.1-x86", "mainline" };
	struct cpuhp_config cfg;
	struct cpuhp *hp;
	size_t i;

	for (i = 0; i < 2; i++) {
		cpuhp_config_init(&cfg);
		cfg.model = models[i];
		cfg.nr_possible = NR_CPUS;
		if (!cpuhp_new(&cfg, &hp)) {
			model_used = models[i];
			return hp;
		}
	}
	fprintf(stderr, "cpuhp-bench: cannot create a machine\n");
	exit(1);
}

/* ---- the floor: futex ping-pong ---- */

static _Atomic int ball;

static void fwait(int val)
{
	while (atomic_load(&ball) == val)
		syscall(SYS_futex, (int *)&ball, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
}

static void fset(int val)
{
	atomic_store(&ball, val);
	syscall(SYS_futex, (int *)&ball, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void *pong(void *arg)
{
	long n = *(long *)arg, i;

	for (i = 0; i < n; i++) {
		fwait(0);
		fset(0);
	}
	return NULL;
}

/* Median-free: total time / rounds of a sleeping futex round trip. */
static double futex_rtt_ns(long n)
{
	pthread_t t;
	uint64_t t0;
	long i;

	atomic_store(&ball, 0);
	pthread_create(&t, NULL, pong, &n);
	t0 = bench_now_ns();
	for (i = 0; i < n; i++) {
		fset(1);
		fwait(1);
	}
	t0 = bench_now_ns() - t0;
	pthread_join(t, NULL);
	return (double)t0 / (double)n;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int nop(struct cpuhp *hp, unsigned int cpu, void *data)
{
	(void)hp;
	(void)cpu;
	(void)data;
	return 0;
}

/* ---- callgrind ---- */

/*
 * Run under callgrind by bench_updown: @states extra ONLINE states, then
 * CG_ROUNDS offline+online pairs of CPU 1.  Only thread_walk (the CPU
 * thread's ONLINE-section walk, no waiting inside) is collected.
 */
static int callgrind_run(int states)
{
	struct cpuhp *hp = new_machine();
	int i, off = cpuhp_state_of(hp, CPUHP_OFFLINE),
	       on = cpuhp_state_of(hp, CPUHP_ONLINE);

	for (i = 0; i < states; i++)
		if (cpuhp_setup_state_nocalls(hp, cpuhp_state_of(hp, CPUHP_AP_ONLINE_DYN),
					      "bench:nop", nop, nop, NULL) < 0)
			return 1;
	for (i = 0; i < CG_ROUNDS; i++)
		if (cpuhp_cpu_down(hp, 1, off) || cpuhp_cpu_up(hp, 1, on))
			return 1;
	cpuhp_free(hp);
	return 0;
}

int bench_callgrind_target(void)
{
	const char *s = getenv("CPUHP_BENCH_CG_STATES");

	return callgrind_run(s ? atoi(s) : 0);
}

/* Instructions collected in thread_walk for a run with @states; -1 on error. */
static double callgrind_ir(int states)
{
	char out[64], cmd[512], line[256], env[32];
	double ir = -1;
	FILE *f;

	snprintf(out, sizeof(out), "/tmp/cpuhp-bench-cg.%d.%d", (int)getpid(), states);
	snprintf(env, sizeof(env), "%d", states);
	setenv("CPUHP_BENCH_CG_STATES", env, 1);
	snprintf(
		cmd, sizeof(cmd),
		"valgrind --tool=callgrind --toggle-collect=thread_walk "
		"--callgrind-out-file=%s /proc/%d/exe --callgrind-target >/dev/null 2>&1",
		out, (int)getpid());
	if (system(cmd) != 0)
		return -1;
	f = fopen(out, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "summary:", 8) || !strncmp(line, "totals:", 7))
			ir = atof(strchr(line, ':') + 1);
	fclose(f);
	unlink(out);
	return ir;
}

void bench_updown(void)
{
	int rounds = bench_quick() ? 50 : 400, i;
	struct cpuhp *hp = new_machine();
	int off = cpuhp_state_of(hp, CPUHP_OFFLINE),
	    on = cpuhp_state_of(hp, CPUHP_ONLINE);
	double *t = calloc((size_t)rounds, sizeof(*t)), rtt, med, ir0, ir1;
	struct cpuhp_stats st;
	char what[128];

	for (i = 0; i < 20; i++) /* warm up */
		if (cpuhp_cpu_down(hp, 1, off) || cpuhp_cpu_up(hp, 1, on))
			exit(1);
	cpuhp_stats_reset(hp);
	for (i = 0; i < rounds; i++) {
		uint64_t t0 = bench_now_ns();

		if (cpuhp_cpu_down(hp, 1, off) || cpuhp_cpu_up(hp, 1, on))
			exit(1);
		t[i] = (double)(bench_now_ns() - t0);
	}
	cpuhp_stats_get(hp, &st);
	cpuhp_free(hp);
	qsort(t, (size_t)rounds, sizeof(*t), cmp_double);
	med = t[rounds / 2];
	free(t);
	rtt = futex_rtt_ns(bench_quick() ? 2000 : 20000);

	snprintf(what, sizeof(what), "b. one CPU offline+online, %s, %d CPUs", model_used,
		 NR_CPUS);
	bench_section(what);
	snprintf(what, sizeof(what), "offline+online wall time (median, %.0f hand-offs)",
		 (double)st.handoffs / rounds);
	bench_row(what, med / 1000, "us", "futex round trip x hand-offs",
		  rtt * ((double)st.handoffs / rounds) / 1000, GOAL_AT_MOST, 2);
	bench_row("hand-offs per offline+online", (double)st.handoffs / rounds, "", NULL,
		  0, GOAL_NONE, 0);
	bench_row("futex wake-ups per offline+online", (double)st.wakeups / rounds, "",
		  NULL, 0, GOAL_NONE, 0);
	bench_row("futex ping-pong round trip (the floor's unit)", rtt / 1000, "us", NULL,
		  0, GOAL_NONE, 0);

	if (system("valgrind --version >/dev/null 2>&1") != 0) {
		bench_row("instructions per callback: valgrind missing", 0, "", NULL, 0,
			  GOAL_NONE, 0);
		return;
	}
	ir0 = callgrind_ir(0);
	ir1 = callgrind_ir(CG_STATES);
	if (ir0 < 0 || ir1 < 0) {
		bench_row("instructions per callback: callgrind failed", 0, "", NULL, 0,
			  GOAL_NONE, 0);
		return;
	}
	/* Each extra state runs its startup and its teardown once per round. */
	bench_row("instructions per executed callback (callgrind)",
		  (ir1 - ir0) / (2.0 * CG_STATES * CG_ROUNDS), "instr", "goal (issue 5)",
		  100, GOAL_AT_MOST, 1);
}
