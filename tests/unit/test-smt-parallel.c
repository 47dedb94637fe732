// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-smt-parallel.c - smt/control "on" with the parallel bring-up gives
 * the result of the serial loop (spec 7.4: every present offline CPU is
 * brought up in CPU order, the first failure stops the loop and is the
 * write's error): the same write result, smt files, per-CPU state, target,
 * online/active/dying masks and cpuN/online files, the same callbacks per
 * CPU up to the failing one, and afterwards the same answers to a sibling's
 * bring-up under smt "off" (which depends on whether it ever booted, 7.3).
 * Each scenario runs on a machine with CPUHP_CONFIG_SERIAL_BRINGUP and on
 * one without.  The order of the callbacks across CPUs shows which way was
 * taken: the parallel bring-up runs every PREPARE startup (pass 1) before
 * any ONLINE startup (pass 2), the serial loop does not; linux-6.1-x86 has
 * no split start-up and stays serial either way.
 *
 * Machines: 8 CPUs, 2 threads per core (siblings 2k and 2k+1), booted with
 * maxcpus=1 (CPU 0 only, serial or parallel), then smt "off", the recording
 * states, smt "on": CPUs 1-7 come up, none of them booted before.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <cpuhp/control.h>
#include <cpuhp/cpuhp.h>
#include <cpuhp/fault.h>

#include "ctl-text.h"
#include "tap.h"

#define NCPU 8

/* What the callbacks saw, per machine (index 0 serial, 1 default). */
struct rec {
	char calls[NCPU][32]; /* P/p: PREPARE startup/teardown, O/o: ONLINE */
	unsigned int seq_p_last, seq_o_first; /* global order of the startups */
};

static pthread_mutex_t rec_lock = PTHREAD_MUTEX_INITIALIZER;
static struct rec recs[2];
static struct rec *cur;
static unsigned int seq;
static int fail_prepare_cpu = -1, fail_online_cpu = -1;

static void record(unsigned int cpu, char c)
{
	size_t n;

	pthread_mutex_lock(&rec_lock);
	if (cpu < NCPU && (n = strlen(cur->calls[cpu])) + 1 < sizeof(cur->calls[cpu]))
		cur->calls[cpu][n] = c;
	seq++;
	if (c == 'P')
		cur->seq_p_last = seq;
	if (c == 'O' && !cur->seq_o_first)
		cur->seq_o_first = seq;
	pthread_mutex_unlock(&rec_lock);
}

static int prep_up(struct cpuhp *hp, unsigned int cpu, void *data)
{
	(void)hp;
	(void)data;
	record(cpu, 'P');
	return (int)cpu == fail_prepare_cpu ? -ENOMEM : 0;
}

static int prep_down(struct cpuhp *hp, unsigned int cpu, void *data)
{
	(void)hp;
	(void)data;
	record(cpu, 'p');
	return 0;
}

static int online_up(struct cpuhp *hp, unsigned int cpu, void *data)
{
	(void)hp;
	(void)data;
	record(cpu, 'O');
	return (int)cpu == fail_online_cpu ? -EIO : 0;
}

static int online_down(struct cpuhp *hp, unsigned int cpu, void *data)
{
	(void)hp;
	(void)data;
	record(cpu, 'o');
	return 0;
}

/* Boot, smt off, the recording states, then smt on; returns the write's result. */
static struct cpuhp *run(const char *model, unsigned int flags, int i, int *ret)
{
	struct cpuhp_config cfg;
	struct cpuhp *hp;

	cpuhp_config_init(&cfg);
	cfg.model = model;
	cfg.nr_possible = NCPU;
	cfg.threads_per_core = 2;
	cfg.cmdline = "maxcpus=1";
	cfg.flags = flags;
	if (cpuhp_new(&cfg, &hp))
		bail_out("cpuhp_new(%s)", model);
	if (cpuhp_ctl_write(hp, "smt/control", "off"))
		bail_out("%s: smt/control <- off", model);
	if (cpuhp_setup_state_nocalls(hp, cpuhp_state_of(hp, CPUHP_BP_PREPARE_DYN),
				      "t:prep", prep_up, prep_down, NULL) <= 0 ||
	    cpuhp_setup_state_nocalls(hp, cpuhp_state_of(hp, CPUHP_AP_ONLINE_DYN),
				      "t:online", online_up, online_down, NULL) <= 0)
		bail_out("%s: setup_state", model);
	memset(&recs[i], 0, sizeof(recs[i]));
	cur = &recs[i];
	*ret = cpuhp_ctl_write(hp, "smt/control", "on");
	return hp;
}

/* Everything a user can read about the CPUs and SMT, serial vs default. */
static void same_machine(struct cpuhp *a, struct cpuhp *b, const char *what)
{
	char path[32];
	unsigned int cpu;
	bool same = true;

	for (cpu = 0; cpu < NCPU; cpu++) {
		snprintf(path, sizeof(path), "cpu%u/online", cpu);
		if (cpuhp_cpu_state(a, cpu) != cpuhp_cpu_state(b, cpu) ||
		    cpuhp_cpu_target(a, cpu) != cpuhp_cpu_target(b, cpu) ||
		    cpuhp_cpu_online(a, cpu) != cpuhp_cpu_online(b, cpu) ||
		    cpuhp_cpu_active(a, cpu) != cpuhp_cpu_active(b, cpu) ||
		    cpuhp_cpu_dying(a, cpu) != cpuhp_cpu_dying(b, cpu) ||
		    strcmp(ctl_text(a, path), ctl_text(b, path))) {
			diag("%s: CPU %u: serial %d/%d %s, default %d/%d %s", what, cpu,
			     cpuhp_cpu_state(a, cpu), cpuhp_cpu_target(a, cpu),
			     ctl_text(a, path), cpuhp_cpu_state(b, cpu),
			     cpuhp_cpu_target(b, cpu), ctl_text(b, path));
			same = false;
		}
	}
	ok(same, "%s: every CPU's state, target, masks and cpuN/online as serial", what);
	is_str(ctl_text(b, "smt/control"), ctl_text(a, "smt/control"),
	       "%s: smt/control as serial", what);
	is_str(ctl_text(b, "smt/active"), ctl_text(a, "smt/active"),
	       "%s: smt/active as serial", what);
	is_str(ctl_text(b, "online"), ctl_text(a, "online"), "%s: online list as serial",
	       what);
	is_int(cpuhp_warn_count(b), 0, "%s: no WARN", what);
}

/* Callbacks per CPU: equal up to @upto; above it only balanced. */
static void same_calls(const char *what, int upto)
{
	unsigned int cpu;
	bool same = true, balanced = true;

	for (cpu = 0; cpu < NCPU; cpu++) {
		const char *x = recs[0].calls[cpu], *y = recs[1].calls[cpu];
		int up = 0;

		if ((int)cpu <= upto) {
			if (strcmp(x, y)) {
				diag("%s: CPU %u: serial \"%s\", default \"%s\"", what,
				     cpu, x, y);
				same = false;
			}
			continue;
		}
		if (*y)
			note("%s: CPU %u above the failing one: \"%s\"", what, cpu, y);
		for (; *y; y++)
			up += (*y == 'P' || *y == 'O') - (*y == 'p' || *y == 'o');
		if (*x || up) {
			diag("%s: CPU %u above the failing one: serial \"%s\", default \"%s\"",
			     what, cpu, x, recs[1].calls[cpu]);
			balanced = false;
		}
	}
	ok(same, "%s: the same callbacks per CPU%s", what,
	   upto < NCPU ? " up to the failing one" : "");
	ok(balanced, "%s: above it, no callback in serial and every startup undone",
	   what);
}

/*
 * A sibling's bring-up under smt "off" is allowed only if it never booted
 * (spec 7.3): the loop never reached the CPUs after the failing one.
 */
static void same_after(struct cpuhp *a, struct cpuhp *b, const char *what)
{
	char path[32];
	unsigned int cpu;

	fail_prepare_cpu = fail_online_cpu = -1;
	is_int(cpuhp_ctl_write(b, "smt/control", "off"),
	       cpuhp_ctl_write(a, "smt/control", "off"),
	       "%s: smt off afterwards as serial", what);
	for (cpu = 1; cpu < NCPU; cpu += 2) {
		snprintf(path, sizeof(path), "cpu%u/online", cpu);
		is_int(cpuhp_ctl_write(b, path, "1"), cpuhp_ctl_write(a, path, "1"),
		       "%s: then %s <- 1 as serial", what, path);
	}
	same_machine(a, b, what);
}

static void scenario(const char *model, const char *what, int fail_prepare,
		     int fail_online, int want, bool parallel)
{
	struct cpuhp *a, *b;
	char name[96];
	int ra, rb, upto = fail_prepare >= 0 ? fail_prepare : fail_online;

	snprintf(name, sizeof(name), "%s: %s", model, what);
	fail_prepare_cpu = fail_prepare;
	fail_online_cpu = fail_online;
	a = run(model, CPUHP_CONFIG_SERIAL_BRINGUP, 0, &ra);
	b = run(model, 0, 1, &rb);
	is_int(ra, want, "%s: serial write result", name);
	is_int(rb, ra, "%s: default write result as serial", name);
	same_machine(a, b, name);
	same_calls(name, upto < 0 ? NCPU : upto);
	/* (With the first CPU failing, the serial loop has one of each.) */
	if (upto == 1)
		;
	else if (!ok(recs[0].seq_o_first && recs[0].seq_o_first < recs[0].seq_p_last,
		     "%s: serial: an ONLINE startup before the last PREPARE one", name))
		;
	else if (parallel)
		ok(recs[1].seq_p_last < recs[1].seq_o_first,
		   "%s: default: every PREPARE startup before any ONLINE one (parallel)",
		   name);
	else
		ok(recs[1].seq_o_first < recs[1].seq_p_last,
		   "%s: default: interleaved as serial (no split start-up)", name);
	same_after(a, b, name);
	cpuhp_free(a);
	cpuhp_free(b);
}

/* cpuhp_bringup_cpus() of both siblings of every core: smt/active as serial. */
static void bulk_siblings(void)
{
	unsigned long mask[1] = { (1ul << NCPU) - 2 }; /* CPUs 1-7 */
	struct cpuhp *m[2];
	struct cpuhp_config cfg;
	unsigned int cpu;
	int i, ret[2];

	for (i = 0; i < 2; i++) {
		cpuhp_config_init(&cfg);
		cfg.nr_possible = NCPU;
		cfg.threads_per_core = 2;
		cfg.cmdline = "maxcpus=1";
		cfg.flags = i ? 0 : CPUHP_CONFIG_SERIAL_BRINGUP;
		if (cpuhp_new(&cfg, &m[i]))
			bail_out("cpuhp_new");
		ret[i] = cpuhp_bringup_cpus(m[i], mask);
	}
	is_int(ret[0], 0, "bringup_cpus of siblings: serial brings all up");
	is_int(ret[1], 0, "bringup_cpus of siblings: parallel brings all up");
	is_str(ctl_text(m[0], "smt/active"), "1",
	       "bringup_cpus of siblings: serial smt/active");
	same_machine(m[0], m[1], "bringup_cpus of siblings");
	/* Each core counted once: with one sibling per core left, SMT is off. */
	for (i = 0; i < 2; i++)
		for (cpu = 1; cpu < NCPU; cpu += 2)
			if (cpuhp_cpu_down(m[i], cpu,
					   cpuhp_state_of(m[i], CPUHP_OFFLINE)))
				bail_out("cpu_down(%u)", cpu);
	is_str(ctl_text(m[0], "smt/active"), "0",
	       "siblings down again: serial smt/active");
	same_machine(m[0], m[1], "siblings down again");
	cpuhp_free(m[0]);
	cpuhp_free(m[1]);
}

int main(void)
{
	static const char *const models[] = { "mainline", "linux-6.1-x86" };
	unsigned int i;

	plan_no_plan();
	for (i = 0; i < 2; i++) {
		bool par = i == 0;

		scenario(models[i], "all come up", -1, -1, 0, par);
		/* Pass 1 fails on CPU 4: it stops there, nothing to undo. */
		scenario(models[i], "PREPARE startup fails on CPU 4", 4, -1, -ENOMEM,
			 par);
		/* Pass 2 fails on CPU 3: CPUs 4-7 came up meanwhile, undone. */
		scenario(models[i], "ONLINE startup fails on CPU 3", -1, 3, -EIO, par);
		/* The first CPU fails: every other one is undone. */
		scenario(models[i], "ONLINE startup fails on CPU 1", -1, 1, -EIO, par);
	}
	bulk_siblings();
	return done_testing();
}
