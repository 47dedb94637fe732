// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-bug1.c - reference bug 1 (product.md): a bring-up that fails after
 * the CPU started, on a kernel without CONFIG_HOTPLUG_CPU, on both models.
 *
 * Spec 7.5 (and rule 24): with HOTPLUG_CPU=n a failed bring-up is only
 * rolled back while the CPU is at or below BRINGUP_CPU.  Past that the CPU
 * is left running: online, not active, idle; after the nosmt -ECANCELED its
 * state is TEARDOWN_CPU (v5.13+: the reset stepped back once), target the
 * previous state, dying; after an ONLINE-section failure the CPU thread has
 * already rolled back to AP_ONLINE_IDLE.  Never a DYING, STARTING or DEAD
 * teardown on the control thread.  With HOTPLUG_CPU=y the same machine
 * rolls the sibling back to OFFLINE (7.3) and undoes every started callback.
 */
#include "boot-trace.h"
#include "ctl-text.h"
#include "unit-common.h"

static const char *const models[] = { "mainline", "linux-6.1-x86" };

#define STARTING_SLOT 100 /* a free STARTING state in both models */

static struct cpuhp *boot(const char *model, const char *cmdline, const char *kconfig)
{
	main_thread = pthread_self();
	return boot_traced(model, 2, cmdline, kconfig, ulog_hook);
}

/*
 * Boot trace of @cpu after its bring-up was cancelled: the number of
 * teardown invocations (an exit one below its step), and whether the
 * cancel (-ECANCELED at BRINGUP_CPU) was seen at all.
 */
static unsigned int teardowns_after_cancel(struct cpuhp *hp, unsigned int cpu, bool *seen)
{
	int bringup = cpuhp_state_of(hp, CPUHP_BRINGUP_CPU);
	unsigned int i, n = 0;

	*seen = false;
	for (i = 0; i < nr_boot_ev; i++) {
		const struct cpuhp_trace_event *e = &boot_ev[i];

		if (e->cpu != cpu || e->type != CPUHP_TRACE_EXIT)
			continue;
		if (e->idx == bringup && e->ret == -ECANCELED)
			*seen = true;
		else if (*seen && e->state == e->idx - 1)
			n++;
	}
	return n;
}

/* The bug's machine: nosmt on 1x2x2, booted, with and without HOTPLUG_CPU. */
static void test_boot(const char *m, bool hotplug)
{
	struct cpuhp *hp = boot(m, "nosmt", hotplug ? NULL : "HOTPLUG_CPU=n");
	int online = cpuhp_state_of(hp, CPUHP_ONLINE);
	int teardown = cpuhp_state_of(hp, CPUHP_TEARDOWN_CPU);
	/* 3.13: 6.1.0 left the boot CPU's target at 0. */
	int boot_target = strcmp(m, "linux-6.1-x86") ? online : 0;
	char what[96];
	unsigned int cpu, n;
	bool seen;

	for (cpu = 0; cpu < 4; cpu += 2) {
		snprintf(what, sizeof(what), "%s HOTPLUG_CPU=%c primary %u", m,
			 hotplug ? 'y' : 'n', cpu);
		check_cpu(hp, cpu,
			  VIEW(online, cpu ? online : boot_target, true, true, false),
			  what);
	}
	for (cpu = 1; cpu < 4; cpu += 2) {
		snprintf(what, sizeof(what), "%s HOTPLUG_CPU=%c sibling %u", m,
			 hotplug ? 'y' : 'n', cpu);
		if (hotplug)
			check_cpu(hp, cpu, VIEW(0, 0, false, false, true), what);
		else
			check_cpu(hp, cpu, VIEW(teardown, 0, true, false, true), what);
		n = teardowns_after_cancel(hp, cpu, &seen);
		ok(seen, "%s: bring-up cancelled with -ECANCELED", what);
		if (hotplug)
			ok(n > 0, "%s: rolled back (%u teardowns traced)", what, n);
		else
			is_int(n, 0, "%s: no teardown at all after the cancel", what);
		is_int(cpuhp_cpu_up(hp, cpu, online), -EPERM, "%s: cpu_up -EPERM", what);
	}
	is_int(cpuhp_num_online(hp), hotplug ? 2 : 4, "%s: online count", m);
	is_str(ctl_text(hp, "smt/active"), "0",
	       "%s: smt/active 0 (no core has two active)", m);
	if (!hotplug) {
		/* docs/linux-6.1.md "HOTPLUG_CPU=n": offlining is not supported. */
		is_int(cpuhp_cpu_down(hp, 1, 0), -EOPNOTSUPP, "%s: cpu_down -EOPNOTSUPP",
		       m);
		is_int(cpuhp_remove_cpu(hp, 2), -EOPNOTSUPP, "%s: remove_cpu -EOPNOTSUPP",
		       m);
		is_int(cpuhp_ctl_write(hp, "cpu2/online", "0"), -EOPNOTSUPP,
		       "%s: cpu2/online <- 0 -EOPNOTSUPP", m);
		is_int(cpuhp_ctl_write(hp, "smt/control", "forceoff"), -EOPNOTSUPP,
		       "%s: smt/control <- forceoff -EOPNOTSUPP", m);
	}
	is_int(cpuhp_warn_count(hp), 0, "%s: no WARN", m);
	cpuhp_free(hp);
}

/* Probes: PREPARE (dynamic), STARTING, two ONLINE (dynamic). */
static struct probe pp, ps, po1, po2;

static void register_probes(struct cpuhp *hp)
{
	pp = (struct probe)PROBE("P");
	ps = (struct probe)PROBE("ST");
	po1 = (struct probe)PROBE("ON1");
	po2 = (struct probe)PROBE("ON2");
	reg(hp, cpuhp_state_of(hp, CPUHP_BP_PREPARE_DYN), &pp);
	reg(hp, STARTING_SLOT, &ps);
	reg(hp, cpuhp_state_of(hp, CPUHP_AP_ONLINE_DYN), &po1);
	reg(hp, cpuhp_state_of(hp, CPUHP_AP_ONLINE_DYN), &po2);
}

/*
 * Never a DYING teardown on the control thread; a DEAD (PREPARE) teardown
 * there only once the CPU is really gone (not online), so never with
 * HOTPLUG_CPU=n, where it cannot go.
 */
static void no_control_teardown(unsigned int cpu, const char *what)
{
	unsigned int i, n = ev_count(), bad = 0;

	for (i = 0; i < n; i++) {
		struct ev e = ev_at(i);

		if (e.cpu == cpu && e.dir == 'T' && e.on_main &&
		    (!strcmp(e.tag, "ST") || (!strcmp(e.tag, "P") && e.online)))
			bad++;
	}
	is_int(bad, 0,
	       "%s: no DYING (or DEAD of a live CPU) teardown on the control thread",
	       what);
}

/*
 * The same cancel, later: a sibling that never booted (maxcpus=1) comes up
 * under nosmt, with user callbacks in every section, so each invocation's
 * thread and context is seen.
 */
static void test_late_cancel(const char *m, bool hotplug)
{
	struct cpuhp *hp = boot(m, "nosmt maxcpus=1", hotplug ? NULL : "HOTPLUG_CPU=n");
	int online = cpuhp_state_of(hp, CPUHP_ONLINE);
	char what[96];
	int i;

	snprintf(what, sizeof(what), "%s HOTPLUG_CPU=%c late nosmt cancel", m,
		 hotplug ? 'y' : 'n');
	register_probes(hp);
	ev_clear();
	is_int(cpuhp_cpu_up(hp, 1, online), -ECANCELED, "%s: cpu_up -ECANCELED", what);
	i = ev_find('S', "ST", 1, 0);
	ok(i >= 0 && ev_at((unsigned int)i).atomic && !ev_at((unsigned int)i).on_main &&
		   !strcmp(ev_at((unsigned int)i).thread, "cpuhp/1"),
	   "%s: STARTING ran on cpuhp/1, atomic", what);
	if (hotplug) {
		is_str(ev_seq(1, 0), "S:P S:ST T:ST T:P", "%s: everything undone", what);
		i = ev_find('T', "P", 1, 0);
		ok(i >= 0 && ev_at((unsigned int)i).on_main &&
			   !ev_at((unsigned int)i).online,
		   "%s: DEAD on the control thread once the CPU is gone", what);
		ok(ledger_balanced(1, 0), "%s: ledger balanced", what);
		i = ev_find('T', "ST", 1, 0);
		ok(i >= 0 && ev_at((unsigned int)i).atomic &&
			   ev_at((unsigned int)i).ctx == CPUHP_CTX_DYING &&
			   !ev_at((unsigned int)i).on_main,
		   "%s: DYING on the outgoing CPU, atomic", what);
		check_cpu(hp, 1, VIEW(0, 0, false, false, true), what);
	} else {
		is_str(ev_seq(1, 0), "S:P S:ST", "%s: nothing undone", what);
		check_cpu(hp, 1,
			  VIEW(cpuhp_state_of(hp, CPUHP_TEARDOWN_CPU), 0, true, false,
			       true),
			  what);
	}
	no_control_teardown(1, what);
	is_int(cpuhp_warn_count(hp), 0, "%s: no WARN", what);
	cpuhp_free(hp);
}

/*
 * An injected failure in an ONLINE state with HOTPLUG_CPU=n (7.5): the CPU
 * thread undoes the ONLINE section down to AP_ONLINE_IDLE, nothing else.
 */
static void test_online_failure(const char *m)
{
	struct cpuhp *hp = boot(m, "maxcpus=1", "HOTPLUG_CPU=n");
	int online = cpuhp_state_of(hp, CPUHP_ONLINE);
	int idle = cpuhp_state_of(hp, CPUHP_AP_ONLINE_IDLE);
	char what[96];
	int i;

	snprintf(what, sizeof(what), "%s HOTPLUG_CPU=n fail at ON2", m);
	register_probes(hp);
	ev_clear();
	is_int(cpuhp_fail_set(hp, 1, po2.state), 0, "%s: fail armed at %d", what,
	       po2.state);
	is_int(cpuhp_cpu_up(hp, 1, online), -EAGAIN, "%s: cpu_up -EAGAIN", what);
	is_str(ev_seq(1, 0), "S:P S:ST S:ON1 T:ON1", "%s: only ONLINE undone", what);
	i = ev_find('T', "ON1", 1, 0);
	ok(i >= 0 && !strcmp(ev_at((unsigned int)i).thread, "cpuhp/1") &&
		   !ev_at((unsigned int)i).atomic,
	   "%s: ONLINE teardown on cpuhp/1", what);
	check_cpu(hp, 1, VIEW(idle, 0, true, false, true), what);
	no_control_teardown(1, what);
	is_int(cpuhp_fail_get(hp, 1), -1, "%s: the injection was consumed", what);
	is_int(cpuhp_warn_count(hp), 0, "%s: no WARN", what);
	cpuhp_free(hp);
}

int main(void)
{
	size_t i;

	plan_no_plan();
	for (i = 0; i < sizeof(models) / sizeof(models[0]); i++) {
		test_boot(models[i], false);
		test_boot(models[i], true);
		test_late_cancel(models[i], false);
		test_late_cancel(models[i], true);
		test_online_failure(models[i]);
	}
	return done_testing();
}
