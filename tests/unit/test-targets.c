// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-targets.c - cpu_up/cpu_down to intermediate targets: where the walk
 * stops, which callbacks run, and how a later operation continues.
 *
 * Spec: 3.1 (target inclusive up, exclusive down), 3.7 (BP walks to
 * min(target, BRINGUP_CPU), STARTING to min(target, AP_ONLINE), a STARTING
 * target still ends at AP_ONLINE_IDLE; step 6 continues from an ONLINE
 * state), 3.8 (steps 3-5), 3.11, rules 5-6.
 */
#include "unit-common.h"

static int s_offline, s_online, s_idle;

static struct probe p = PROBE("P");                         /* PREPARE dyn */
static struct probe st1 = PROBE("ST1"), st2 = PROBE("ST2"); /* STARTING 100, 120 */
static struct probe a = PROBE("A"), b = PROBE("B"), c = PROBE("C"); /* ONLINE dyn */

static void step(struct cpuhp *hp, bool up, int target, const char *seq,
		 struct cpu_view v, const char *what)
{
	ev_clear();
	is_int(up ? cpuhp_cpu_up(hp, 1, target) : cpuhp_cpu_down(hp, 1, target), 0,
	       "%s: returns 0", what);
	is_str(ev_seq(1, 0), seq, "%s: calls", what);
	check_cpu(hp, 1, v, what);
}

static void test_online_targets(struct cpuhp *hp)
{
	/* Up to B: inclusive; C and AP_ACTIVE not run, so not active. */
	step(hp, true, b.state, "S:P S:ST1 S:ST2 S:A S:B",
	     VIEW(b.state, b.state, true, false, false), "up to B");
	/* 3.7 step 6: continues from B on the AP thread. */
	step(hp, true, s_online, "S:C", VIEW(s_online, s_online, true, true, false),
	     "then up to ONLINE");
	/* 3.8 step 4: the AP thread stops at a target inside ONLINE (exclusive). */
	step(hp, false, b.state, "T:C", VIEW(b.state, b.state, true, false, true),
	     "down to B");
	step(hp, false, s_offline, "T:B T:A T:ST2 T:ST1 T:P",
	     VIEW(s_offline, s_offline, false, false, true), "then down to OFFLINE");
}

static void test_prepare_targets(struct cpuhp *hp)
{
	/* 3.7 step 7: the BP alone; the AP is not started. */
	step(hp, true, p.state, "S:P", VIEW(p.state, p.state, false, false, false),
	     "up to P");
	step(hp, true, s_online, "S:ST1 S:ST2 S:A S:B S:C",
	     VIEW(s_online, s_online, true, true, false), "then up to ONLINE");
	/* 3.8: DYING to max(target, AP_OFFLINE), DEAD to the target, exclusive. */
	step(hp, false, p.state, "T:C T:B T:A T:ST2 T:ST1",
	     VIEW(p.state, p.state, false, false, true), "down to P");
	step(hp, false, s_offline, "T:P", VIEW(s_offline, s_offline, false, false, true),
	     "then down to OFFLINE");
}

static void test_starting_target(struct cpuhp *hp)
{
	/*
	 * 3.7, last paragraph: a target inside STARTING cannot be stopped at;
	 * the AP runs STARTING up to the target only, then still writes
	 * AP_ONLINE_IDLE and is online; ST2 (above the target) never runs,
	 * nor does any ONLINE state.  target keeps the requested value.
	 */
	step(hp, true, 110, "S:P S:ST1", VIEW(s_idle, 110, true, false, false),
	     "up to 110 (inside STARTING)");
	/* Going on: only ONLINE startups; ST2 is below the state already. */
	step(hp, true, s_online, "S:A S:B S:C",
	     VIEW(s_online, s_online, true, true, false), "then up to ONLINE");
}

static void test_equal_target(struct cpuhp *hp)
{
	/*
	 * 3.8 step 3: _cpu_down has no state > target check; state == target
	 * runs nothing, returns 0 and marks the CPU dying (9.3 item 5: only
	 * the sysfs target write was made a no-op).
	 */
	step(hp, false, s_online, "", VIEW(s_online, s_online, true, true, true),
	     "down to its own state");
	is_int(cpuhp_cpu_up(hp, 1, s_online), 0, "up of an ONLINE CPU: 0");
	ok(cpuhp_cpu_dying(hp, 1), "a no-op up does not clear dying (_cpu_up step 3)");
	/* cpuhp.h: a down "target above the CPU's state" is refused. */
	step(hp, false, b.state, "T:C", VIEW(b.state, b.state, true, false, true),
	     "down to B");
	ev_clear();
	is_int(cpuhp_cpu_down(hp, 1, c.state), -EINVAL, "down to a state above: -EINVAL");
	is_int(ev_count(), 0, "down to a state above: no callback");
	is_int(cpuhp_cpu_state(hp, 1), b.state, "down to a state above: state unchanged");
	is_int(cpuhp_cpu_up(hp, 1, s_online), 0, "back up");
}

static void test_stale_result(struct cpuhp *hp)
{
	int m = cpuhp_setup_state_multi(hp, cpuhp_state_of(hp, CPUHP_AP_ONLINE_DYN), "M",
					rec_mup, rec_mdown);
	struct inst in = INST("I");

	/*
	 * An install whose callback fails on CPU 1 leaves that CPU's result
	 * at -EAGAIN; a down to CPU 1's own state then has nothing to walk.
	 * In 6.1 it returned that stale error and left the CPU at ONLINE + 1
	 * (docs/linux-6.1.md); mainline never issues that down, and our API
	 * starts it from a clean result (walker.c, cpuhp__set_state).
	 */
	if (m <= 0 || cpuhp_fail_set(hp, 1, m))
		bail_out("cannot prepare the failing install");
	in.p.state = m;
	is_int(cpuhp_state_add_instance(hp, m, &in.node), -EAGAIN,
	       "add_instance failing on CPU 1: -EAGAIN");
	is_int(cpuhp_cpu_down(hp, 1, s_online), 0, "then down to its own state: 0");
	is_int(cpuhp_cpu_state(hp, 1), s_online, "and the CPU stays at ONLINE");
	is_int(cpuhp_cpu_up(hp, 1, s_online), 0, "up of an ONLINE CPU: 0");
	is_int(cpuhp_remove_multi_state(hp, m), 0, "remove the multi-instance state");
}

int main(void)
{
	struct cpuhp *hp;
	int dyn;

	plan_no_plan();
	hp = machine();
	s_offline = cpuhp_state_of(hp, CPUHP_OFFLINE);
	s_online = cpuhp_state_of(hp, CPUHP_ONLINE);
	s_idle = cpuhp_state_of(hp, CPUHP_AP_ONLINE_IDLE);
	dyn = cpuhp_state_of(hp, CPUHP_AP_ONLINE_DYN);
	reg(hp, cpuhp_state_of(hp, CPUHP_BP_PREPARE_DYN), &p);
	reg(hp, 100, &st1);
	reg(hp, 120, &st2);
	reg(hp, dyn, &a);
	reg(hp, dyn, &b);
	reg(hp, dyn, &c);
	if (cpuhp_cpu_down(hp, 1, s_offline))
		bail_out("cannot take CPU 1 down");
	test_online_targets(hp);
	test_prepare_targets(hp);
	test_starting_target(hp);
	test_equal_target(hp);
	test_stale_result(hp);
	is_int(cpuhp_warn_count(hp), 0, "no WARN");
	cpuhp_free(hp);
	return done_testing();
}
