// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-ledger.c - the invariant ledger (issue 4 item 1): what it records,
 * that correct paths give no violation, and that deliberately broken
 * sequences (a teardown or startup skipped by a test hook, a WARN no rule
 * expects) are flagged.  Expected contexts and end states: spec 1.2, 3.9,
 * 3.10.
 */
#include <cpuhp/ledger.h>
#include <cpuhp/state.h>

#include "unit-common.h"

static int s_online, s_prepare, s_starting;

static struct cpuhp *setup(struct probe *on, struct probe *prep, struct probe *start)
{
	struct cpuhp *hp = machine();

	s_online = reg(hp, cpuhp_state_of(hp, CPUHP_AP_ONLINE_DYN), on);
	s_prepare = reg(hp, cpuhp_state_of(hp, CPUHP_BP_PREPARE_DYN), prep);
	/* A free STARTING slot of the mainline model (between 91 and 140). */
	s_starting = reg(hp, 100, start);
	if (cpuhp_ledger_enable(hp))
		bail_out("cannot enable the ledger");
	return hp;
}

/* The last record of (cpu, state, direction), or false. */
static bool find(struct cpuhp *hp, unsigned int cpu, int state, bool up,
		 struct cpuhp_ledger_record *out)
{
	size_t i = cpuhp_ledger_nr_records(hp);

	while (i--)
		if (!cpuhp_ledger_get_record(hp, i, out) && out->cpu == cpu &&
		    out->state == state && out->bringup == up)
			return true;
	return false;
}

static bool has_violation(struct cpuhp *hp, enum cpuhp_ledger_kind kind, int state,
			  const char *needle)
{
	struct cpuhp_ledger_violation v;
	size_t i, n = cpuhp_ledger_nr_violations(hp);

	for (i = 0; i < n; i++)
		if (!cpuhp_ledger_get_violation(hp, i, &v) && v.kind == kind &&
		    (state < 0 || v.state == state) && strstr(v.msg, needle))
			return true;
	return false;
}

static void dump(struct cpuhp *hp)
{
	struct cpuhp_ledger_violation v;
	size_t i;

	for (i = 0; i < cpuhp_ledger_nr_violations(hp); i++)
		if (!cpuhp_ledger_get_violation(hp, i, &v))
			diag("%s: %s", cpuhp_ledger_kind_name(v.kind), v.msg);
}

static unsigned int forwarded;

static void count_sink(void *data, const struct cpuhp_trace_event *ev)
{
	(void)data;
	(void)ev;
	__atomic_fetch_add(&forwarded, 1, __ATOMIC_RELAXED);
}

/* Correct operations: no violation, and the records say where calls ran. */
static void clean_paths(void)
{
	struct probe on = PROBE("l:on"), prep = PROBE("l:prep"), start = PROBE("l:start");
	struct cpuhp *hp = setup(&on, &prep, &start);
	struct cpuhp_ledger_record r;
	struct inst a = INST("l:a"), b = INST("l:b");
	struct cpuhp_step_desc d = { .name = "l:multi",
				     .multi_startup = rec_mup,
				     .multi_teardown = rec_mdown,
				     .multi_instance = 1 };
	int ms;

	cpuhp_trace_set_fn(hp, count_sink, NULL);
	is_int(cpuhp_cpu_down(hp, 1, 0), 0, "cpu 1 down");
	is_int(cpuhp_cpu_up(hp, 1, cpuhp_state_of(hp, CPUHP_ONLINE)), 0, "cpu 1 up");
	ms = cpuhp_setup_state_desc(hp, cpuhp_state_of(hp, CPUHP_AP_ONLINE_DYN), &d, 0);
	ok(ms > 0, "multi-instance state set up");
	is_int(cpuhp_state_add_instance(hp, ms, &a.node), 0, "instance a");
	is_int(cpuhp_state_add_instance(hp, ms, &b.node), 0, "instance b");
	is_int(cpuhp_cpu_down(hp, 2, 0), 0, "cpu 2 down with instances");
	is_int(cpuhp_state_remove_instance(hp, ms, &a.node), 0, "instance a removed");
	is_int(cpuhp_cpu_up(hp, 2, cpuhp_state_of(hp, CPUHP_ONLINE)), 0, "cpu 2 up");
	is_int(cpuhp_remove_state(hp, s_online), 0, "ONLINE state removed with calls");
	is_int(cpuhp_ledger_nr_violations(hp), 0, "no violation on correct paths");
	dump(hp);
	is_int(cpuhp_ledger_check(hp), 0, "quiescent check of every CPU");
	ok(forwarded > 0, "the user's trace sink still gets the events");

	/* spec 1.2: where each section runs. */
	ok(find(hp, 1, s_prepare, true, &r) && r.thread_cpu == -1 &&
		   r.context == CPUHP_CTX_CONTROL && !r.atomic,
	   "PREPARE startup: control thread");
	ok(find(hp, 1, s_prepare, false, &r) && r.thread_cpu == -1,
	   "DEAD teardown: control");
	ok(find(hp, 1, s_starting, true, &r) && r.thread_cpu == 1 &&
		   r.context == CPUHP_CTX_STARTING && r.atomic && !r.rendezvous,
	   "STARTING startup: the CPU's own thread, atomic");
	ok(find(hp, 1, s_starting, false, &r) && r.thread_cpu == 1 &&
		   r.context == CPUHP_CTX_DYING && r.atomic && r.rendezvous,
	   "DYING teardown: outgoing CPU, atomic, inside the rendezvous");
	ok(find(hp, 1, s_online, false, &r) && r.thread_cpu == 1 &&
		   r.context == CPUHP_CTX_AP && !r.atomic,
	   "ONLINE teardown: cpuhp/1, preemptible");
	ok(find(hp, 2, ms, true, &r) && r.instance >= 0, "instances are numbered");
	cpuhp_trace_set_fn(hp, NULL, NULL);
	cpuhp_ledger_disable(hp);
	cpuhp_free(hp);
}

static struct cpuhp_fault fault(unsigned int cpu, int state, bool up,
				enum cpuhp_fault_action action)
{
	return (struct cpuhp_fault){ .cpu = cpu,
				     .state = state,
				     .bringup = up,
				     .instance = -1,
				     .action = action };
}

/* A test hook loses one teardown: the ledger must say which. */
static void skipped_teardown(void)
{
	struct probe on = PROBE("l:on"), prep = PROBE("l:prep"), start = PROBE("l:start");
	struct cpuhp *hp = setup(&on, &prep, &start);
	struct cpuhp_fault f = fault(1, s_online, false, CPUHP_FAULT_SKIP);

	is_int(cpuhp_ledger_fault(hp, &f), 0, "skip armed");
	is_int(cpuhp_cpu_down(hp, 1, 0), 0, "the walk does not notice");
	ok(has_violation(hp, CPUHP_LV_LEFTOVER, s_online, "is still started"),
	   "the ledger flags the started state nobody tore down");
	is_int(cpuhp_ledger_nr_violations(hp), 1, "and only that");
	dump(hp);
	/* Reported once: the ledger then follows the machine. */
	is_int(cpuhp_cpu_up(hp, 1, cpuhp_state_of(hp, CPUHP_ONLINE)), 0,
	       "cpu 1 up again");
	is_int(cpuhp_ledger_nr_violations(hp), 1, "no second report");
	cpuhp_ledger_disable(hp);
	cpuhp_free(hp);
}

/* A lost teardown, then a rollback: the rollback starts it a second time. */
static void double_start(void)
{
	struct probe on = PROBE("l:on"), prep = PROBE("l:prep"), start = PROBE("l:start");
	struct probe hi = PROBE("l:hi");
	struct cpuhp *hp = setup(&on, &prep, &start);
	struct cpuhp_fault f, g;
	int s_hi;

	cpuhp_ledger_disable(hp);
	s_hi = reg(hp, cpuhp_state_of(hp, CPUHP_AP_ONLINE_DYN), &hi);
	cpuhp_ledger_enable(hp);
	ok(s_hi > s_online, "the second ONLINE state sits above the first");
	f = fault(1, s_hi, false, CPUHP_FAULT_SKIP);
	g = fault(1, s_online, false, CPUHP_FAULT_FAIL);
	cpuhp_ledger_fault(hp, &f);
	cpuhp_ledger_fault(hp, &g);
	is_int(cpuhp_cpu_down(hp, 1, 0), -EAGAIN, "the lower teardown fails");
	ok(has_violation(hp, CPUHP_LV_PAIRING, s_hi, "started again without a teardown"),
	   "the rollback's startup of the skipped state is a second start");
	dump(hp);
	cpuhp_ledger_disable(hp);
	cpuhp_free(hp);
}

static void skipped_startup(void)
{
	struct probe on = PROBE("l:on"), prep = PROBE("l:prep"), start = PROBE("l:start");
	struct cpuhp *hp = setup(&on, &prep, &start);
	struct cpuhp_fault f = fault(3, s_prepare, true, CPUHP_FAULT_SKIP);

	is_int(cpuhp_cpu_down(hp, 3, 0), 0, "cpu 3 down");
	is_int(cpuhp_ledger_fault(hp, &f), 0, "skip armed");
	is_int(cpuhp_cpu_up(hp, 3, cpuhp_state_of(hp, CPUHP_ONLINE)), 0, "cpu 3 up");
	ok(has_violation(hp, CPUHP_LV_LEFTOVER, s_prepare, "was never started"),
	   "the ledger flags the state the CPU passed without its startup");
	cpuhp_ledger_disable(hp);
	cpuhp_free(hp);
}

/* Injected failures follow the spec: rollback (3.9), recursive stop (3.10). */
static void injected(void)
{
	struct probe on = PROBE("l:on"), prep = PROBE("l:prep"), start = PROBE("l:start");
	struct probe on2 = PROBE("l:on2");
	struct cpuhp *hp = setup(&on, &prep, &start);
	struct cpuhp_fault f = fault(1, s_online, true, CPUHP_FAULT_FAIL), g;
	struct cpuhp_ledger_record r;
	int s2, online = cpuhp_state_of(hp, CPUHP_ONLINE);
	unsigned long warns;

	is_int(cpuhp_cpu_down(hp, 1, 0), 0, "cpu 1 down");
	is_int(cpuhp_ledger_fault(hp, &f), 0, "fail armed");
	is_int(cpuhp_cpu_up(hp, 1, online), -EAGAIN, "bring-up fails");
	is_int(cpuhp_cpu_state(hp, 1), 0, "rolled back to OFFLINE (spec 3.9)");
	ok(find(hp, 1, s_online, true, &r) && r.injected && r.result == -EAGAIN,
	   "the injected failure is recorded");
	ok(find(hp, 1, s_starting, false, &r) && r.rollback, "the rollback is marked");
	is_int(cpuhp_ledger_nr_violations(hp), 0, "a correct rollback: no violation");
	dump(hp);

	/* Down: teardown of the lower state fails, the rollback's startup too. */
	cpuhp_ledger_disable(hp);
	s2 = reg(hp, cpuhp_state_of(hp, CPUHP_AP_ONLINE_DYN), &on2);
	cpuhp_ledger_enable(hp);
	f = fault(2, s_online, false, CPUHP_FAULT_FAIL);
	g = fault(2, s2, true, CPUHP_FAULT_FAIL);
	cpuhp_ledger_fault(hp, &f);
	cpuhp_ledger_fault(hp, &g);
	warns = cpuhp_warn_count(hp);
	is_int(cpuhp_cpu_down(hp, 2, 0), -EAGAIN, "teardown fails");
	is_int(cpuhp_cpu_state(hp, 2), s2,
	       "recursive failure stops at the failed startup");
	ok(cpuhp_warn_count(hp) > warns, "with a WARN");
	is_int(cpuhp_ledger_nr_violations(hp), 0, "rule rollback-stop: expected");
	dump(hp);
	cpuhp_ledger_disable(hp);
	cpuhp_free(hp);
}

/* A STARTING callback that sleeps: a WARN no rule expects. */
static int sleeper(struct cpuhp *hp, unsigned int cpu, struct probe *p, char dir)
{
	(void)cpu;
	(void)p;
	return dir == 'S' ? cpuhp_might_sleep(hp) : 0;
}

static void unexpected_warn(void)
{
	struct probe on = PROBE("l:on"), prep = PROBE("l:prep"), start = PROBE("l:start");
	struct cpuhp *hp = setup(&on, &prep, &start);

	is_int(cpuhp_cpu_down(hp, 1, 0), 0, "cpu 1 down");
	start.hook = sleeper;
	is_int(cpuhp_cpu_up(hp, 1, cpuhp_state_of(hp, CPUHP_ONLINE)), 0, "cpu 1 up");
	ok(has_violation(hp, CPUHP_LV_WARN, -1, "no rule expects"),
	   "the WARN is flagged");
	cpuhp_ledger_disable(hp);
	cpuhp_free(hp);
}

static void bad_arguments(void)
{
	struct cpuhp *hp = machine();
	struct cpuhp_fault f = fault(9, 100, true, CPUHP_FAULT_FAIL);
	struct cpuhp_ledger_record r;

	is_int(cpuhp_ledger_fault(hp, &f), -EINVAL, "fault on an impossible CPU");
	f = fault(1, 0, true, CPUHP_FAULT_FAIL);
	is_int(cpuhp_ledger_fault(hp, &f), -EINVAL, "fault on OFFLINE");
	is_int(cpuhp_ledger_check(hp), -EINVAL, "check with the ledger off");
	is_int(cpuhp_ledger_get_record(hp, 0, &r), -EINVAL, "no records when off");
	is_int(cpuhp_ledger_enable(NULL), -EINVAL, "NULL machine");
	cpuhp_cpus_read_lock(hp);
	is_int(cpuhp_ledger_enable(hp), -EDEADLK, "enable under the read lock");
	cpuhp_cpus_read_unlock(hp);
	cpuhp_free(hp);
}

int main(void)
{
	plan_no_plan();
	clean_paths();
	skipped_teardown();
	double_start();
	skipped_startup();
	injected();
	unexpected_warn();
	bad_arguments();
	return done_testing();
}
