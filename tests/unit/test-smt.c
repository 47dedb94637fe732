// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-smt.c - every SMT transition of spec section 7 with its errno and
 * smt/active after it, on both models where they differ (7.4 "6.1
 * differences", 3.13 for maxcpus=).
 *
 * Machines are 1 socket x 2 cores x 2 threads (CPUs 0-1 and 2-3 are
 * siblings, 0 and 2 the primary threads), as the recorded one.  Expected
 * values come from the spec: 7.1 values, 7.2 boot parameters, 7.3 which
 * CPUs may boot (-EPERM), 7.4 the store's order and errors and smt/active
 * ("some core has two siblings active"), 3.13 the maxcpus= counting.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <cpuhp/cpuhp.h>

#include "boot-trace.h"
#include "ctl-text.h"
#include "tap.h"

static const char *const models[] = { "mainline", "linux-6.1-x86" };
#define V61(m) (!strcmp((m), "linux-6.1-x86"))

static struct cpuhp *boot(const char *model, unsigned int tpc, const char *cmdline,
			  const char *kconfig)
{
	return boot_traced(model, tpc, cmdline, kconfig, NULL);
}

/* smt/control, smt/active and the online mask after a step. */
static void expect(struct cpuhp *hp, const char *m, const char *what, const char *control,
		   const char *active, const char *online)
{
	is_str(ctl_text(hp, "smt/control"), control, "%s: %s: smt/control", m, what);
	is_str(ctl_text(hp, "smt/active"), active, "%s: %s: smt/active", m, what);
	is_str(ctl_text(hp, "online"), online, "%s: %s: online mask", m, what);
}

static void wr(struct cpuhp *hp, const char *m, const char *path, const char *v, int want)
{
	is_int(cpuhp_ctl_write(hp, path, v), want, "%s: write %s <- %s", m, path, v);
}

/* on -> off -> sibling refused -> off again -> on; on brings back primaries. */
static void test_off_on(const char *m)
{
	struct cpuhp *hp = boot(m, 2, NULL, NULL);
	int online = cpuhp_state_of(hp, CPUHP_ONLINE);

	expect(hp, m, "boot", "on", "1", "0-3");
	wr(hp, m, "smt/control", "off", 0);
	expect(hp, m, "off", "off", "0", "0,2");
	is_int(cpuhp_cpu_state(hp, 1), 0, "%s: off: sibling 1 at OFFLINE", m);
	is_str(ctl_text(hp, "cpu3/online"), "0", "%s: off: cpu3/online reads 0", m);
	/* 7.3: a sibling that booted once may not come back while SMT is off. */
	wr(hp, m, "cpu1/online", "1", -EPERM);
	is_int(cpuhp_cpu_up(hp, 3, online), -EPERM, "%s: cpu_up(3) while off", m);
	is_int(cpuhp_cpu_state(hp, 3), 0, "%s: refused up changed nothing", m);
	wr(hp, m, "smt/control", "off", 0);
	expect(hp, m, "off again", "off", "0", "0,2");
	/* A primary still goes down and up by hand. */
	wr(hp, m, "cpu2/online", "0", 0);
	expect(hp, m, "primary 2 down", "off", "0", "0");
	wr(hp, m, "smt/control", "on", 0);
	/* 7.4: on onlines every offline present CPU, the hand-offlined primary too. */
	expect(hp, m, "on", "on", "1", "0-3");
	is_str(ctl_text(hp, "cpu1/online"), "1", "%s: on: cpu1/online reads 1", m);
	wr(hp, m, "smt/control", "on", 0);
	/* on while on is no operation at all: a primary taken down stays down. */
	wr(hp, m, "cpu2/online", "0", 0);
	wr(hp, m, "smt/control", "on", 0);
	expect(hp, m, "on while on", "on", "1", "0-1,3");
	is_int(cpuhp_warn_count(hp), 0, "%s: no WARN", m);
	cpuhp_free(hp);
}

/* forceoff is final; the order of the checks differs between the models. */
static void test_forceoff(const char *m)
{
	struct cpuhp *hp = boot(m, 2, NULL, NULL);

	wr(hp, m, "smt/control", "off", 0);
	/* 7.4: forceoff from off still disables (mainline force_off; 6.1 differs). */
	wr(hp, m, "smt/control", "forceoff", 0);
	expect(hp, m, "forceoff", "forceoff", "0", "0,2");
	wr(hp, m, "smt/control", "on", -EPERM);
	wr(hp, m, "smt/control", "off", -EPERM);
	wr(hp, m, "smt/control", "forceoff", -EPERM);
	/* Mainline checks forceoff first; 6.1 parses first (7.4). */
	wr(hp, m, "smt/control", "bogus", V61(m) ? -EINVAL : -EPERM);
	wr(hp, m, "cpu1/online", "1", -EPERM);
	expect(hp, m, "after forceoff", "forceoff", "0", "0,2");
	cpuhp_free(hp);

	hp = boot(m, 2, NULL, NULL);
	wr(hp, m, "smt/control", "forceoff\n", 0);
	expect(hp, m, "forceoff from on", "forceoff", "0", "0,2");
	cpuhp_free(hp);
}

/* Thread counts are mainline only (6.6+); 6.1 takes only the three words. */
static void test_counts(const char *m)
{
	struct cpuhp *hp = boot(m, 2, NULL, NULL);

	wr(hp, m, "smt/control", "1", V61(m) ? -EINVAL : 0);
	expect(hp, m, "1", V61(m) ? "on" : "off", V61(m) ? "1" : "0",
	       V61(m) ? "0-3" : "0,2");
	wr(hp, m, "smt/control", "2", V61(m) ? -EINVAL : 0);
	expect(hp, m, "2", "on", "1", "0-3");
	wr(hp, m, "smt/control", "off\n", 0);
	wr(hp, m, "smt/control", "on\n", 0);
	expect(hp, m, "newline-terminated words", "on", "1", "0-3");
	cpuhp_free(hp);
}

/* notsupported (one thread per core) and notimplemented (no HOTPLUG_SMT). */
static void test_not(const char *m)
{
	struct cpuhp *hp = boot(m, 1, NULL, NULL);

	expect(hp, m, "1 thread per core", "notsupported", "0", "0-3");
	wr(hp, m, "smt/control", "on", -ENODEV);
	wr(hp, m, "smt/control", "off", -ENODEV);
	wr(hp, m, "smt/control", "bogus", V61(m) ? -EINVAL : -ENODEV);
	expect(hp, m, "notsupported unchanged", "notsupported", "0", "0-3");
	cpuhp_free(hp);

	hp = boot(m, 2, NULL, "HOTPLUG_SMT=n");
	/* smt/active is the scheduler's view: two siblings of a core are up. */
	expect(hp, m, "HOTPLUG_SMT=n", "notimplemented", "1", "0-3");
	wr(hp, m, "smt/control", "off", -ENODEV);
	wr(hp, m, "smt/control", "bogus", -ENODEV);
	/* cpu_bootable: everything may boot (7.3 step 2; 6.1 ENABLED-like). */
	wr(hp, m, "cpu1/online", "0", 0);
	wr(hp, m, "cpu1/online", "1", 0);
	expect(hp, m, "notimplemented unchanged", "notimplemented", "1", "0-3");
	cpuhp_free(hp);
}

/*
 * In @cpu's boot events: the bring-up state's exit with -ECANCELED, then
 * (HOTPLUG_CPU=y) the takedown that rolls it back.
 */
static void check_cancelled(struct cpuhp *hp, const char *m, unsigned int cpu)
{
	int bringup = cpuhp_state_of(hp, CPUHP_BRINGUP_CPU);
	int teardown = cpuhp_state_of(hp, CPUHP_TEARDOWN_CPU);
	unsigned int i, cancel = 0, takedown = 0;

	for (i = 0; i < nr_boot_ev; i++) {
		const struct cpuhp_trace_event *e = &boot_ev[i];

		if (e->cpu != cpu)
			continue;
		if (e->type == CPUHP_TRACE_EXIT && e->idx == bringup &&
		    e->ret == -ECANCELED)
			cancel = i + 1;
		if (cancel && e->type == CPUHP_TRACE_ENTER && e->idx == teardown &&
		    e->target == 0)
			takedown = i + 1;
	}
	ok(cancel, "%s: boot: CPU %u bring-up cancelled (-ECANCELED at %d)", m, cpu,
	   bringup);
	ok(takedown > cancel, "%s: boot: CPU %u rolled back through takedown_cpu", m,
	   cpu);
}

/* 7.2/7.3: nosmt and nosmt=force boot the siblings once, then cancel them. */
static void test_nosmt(const char *m, bool force)
{
	struct cpuhp *hp = boot(m, 2, force ? "nosmt=force" : "nosmt", NULL);
	const char *ctl = force ? "forceoff" : "off";

	expect(hp, m, ctl, ctl, "0", "0,2");
	check_cancelled(hp, m, 1);
	check_cancelled(hp, m, 3);
	is_int(cpuhp_cpu_state(hp, 1), 0, "%s: %s: sibling at OFFLINE", m, ctl);
	is_str(ctl_text(hp, "cpu1/online"), "0", "%s: %s: cpu1/online reads 0", m, ctl);
	wr(hp, m, "cpu1/online", "1", -EPERM);
	wr(hp, m, "smt/control", "on", force ? -EPERM : 0);
	expect(hp, m, "then on", force ? "forceoff" : "on", force ? "0" : "1",
	       force ? "0,2" : "0-3");
	is_int(cpuhp_warn_count(hp), 0, "%s: %s: no WARN", m, ctl);
	cpuhp_free(hp);
}

/* 3.13: mainline counts every CPU tried against maxcpus, 6.1 the online ones. */
static void test_maxcpus(const char *m)
{
	struct cpuhp *hp = boot(m, 2, "maxcpus=2 cpuhp.parallel=0", NULL);

	expect(hp, m, "maxcpus=2", "on", "1", "0-1");
	cpuhp_free(hp);

	hp = boot(m, 2, "nosmt maxcpus=2 cpuhp.parallel=0", NULL);
	/* Mainline: CPU 0 and the cancelled sibling 1 use up the count. */
	expect(hp, m, "nosmt maxcpus=2", "off", "0", V61(m) ? "0,2" : "0");
	cpuhp_free(hp);

	/* Mainline's parallel boot takes the primary threads first (3.13). */
	hp = boot(m, 2, "maxcpus=2", NULL);
	expect(hp, m, "maxcpus=2 parallel", "on", V61(m) ? "1" : "0",
	       V61(m) ? "0-1" : "0,2");
	cpuhp_free(hp);
	hp = boot(m, 2, "nosmt maxcpus=2", NULL);
	expect(hp, m, "nosmt maxcpus=2 parallel", "off", "0", "0,2");
	cpuhp_free(hp);

	hp = boot(m, 2, "maxcpus=1", NULL);
	expect(hp, m, "maxcpus=1", "on", "0", "0");
	/* Not a policy: the others come up later, and SMT with them. */
	wr(hp, m, "cpu1/online", "1", 0);
	expect(hp, m, "maxcpus=1, cpu1 up", "on", "1", "0-1");
	cpuhp_free(hp);

	hp = boot(m, 2, "nosmp", NULL);
	expect(hp, m, "nosmp", "on", "0", "0");
	cpuhp_free(hp);
}

int main(void)
{
	size_t i;

	plan_no_plan();
	for (i = 0; i < sizeof(models) / sizeof(models[0]); i++) {
		test_off_on(models[i]);
		test_forceoff(models[i]);
		test_counts(models[i]);
		test_not(models[i]);
		test_nosmt(models[i], false);
		test_nosmt(models[i], true);
		test_maxcpus(models[i]);
	}
	return done_testing();
}
