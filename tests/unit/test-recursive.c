// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-recursive.c - the recursive-failure rule: a callback that fails
 * while an earlier failure is being rolled back stops the walk right there.
 *
 * Spec: 3.5 (cpuhp_kick_ap), 3.7 (cpuhp_up_callbacks), 3.8 step 4, 3.10
 * (recorded state: S after a failed rollback startup of S, S-1 after a
 * failed rollback teardown of S; target stays at prev; dying follows the
 * rollback direction; the original error is returned), rule 9.
 */
#include "unit-common.h"

static int s_offline, s_online, s_idle, s_prep, s_dyn;

static struct cpuhp *boot(void)
{
	struct cpuhp *hp = machine();

	s_offline = cpuhp_state_of(hp, CPUHP_OFFLINE);
	s_online = cpuhp_state_of(hp, CPUHP_ONLINE);
	s_idle = cpuhp_state_of(hp, CPUHP_AP_ONLINE_IDLE);
	s_prep = cpuhp_state_of(hp, CPUHP_BP_PREPARE_DYN);
	s_dyn = cpuhp_state_of(hp, CPUHP_AP_ONLINE_DYN);
	return hp;
}

/*
 * The CPU already runs (AP_ONLINE_IDLE): the whole up is the AP thread's
 * walk (3.7 step 6), whose prev is AP_ONLINE_IDLE.  B's startup fails, the
 * rollback teardown of A fails: stop at A-1, target AP_ONLINE_IDLE.
 */
static void test_ap_walk(void)
{
	struct cpuhp *hp = boot();
	struct probe a = PROBE("A"), b = PROBE("B");
	unsigned long warns;

	reg(hp, s_dyn, &a);
	reg(hp, s_dyn, &b);
	is_int(cpuhp_cpu_down(hp, 1, s_idle), 0, "AP walk: down to AP_ONLINE_IDLE");
	probe_arm(&b, 'S', -EIO);
	probe_arm(&a, 'T', -ENOMEM);
	warns = cpuhp_warn_count(hp);
	ev_clear();
	is_int(cpuhp_cpu_up(hp, 1, s_online), -EIO, "AP walk: B's error returned");
	is_str(ev_seq(1, 0), "S:A S:B! T:A!",
	       "AP walk: nothing runs after the failed rollback");
	check_cpu(hp, 1, VIEW(a.state - 1, s_idle, true, false, true), "AP walk");
	ok(cpuhp_warn_count(hp) > warns, "AP walk: recursive failure WARNs");
	cpuhp_free(hp);
}

/*
 * Full up from OFFLINE: the AP thread stops at A-1 as above; back in
 * cpuhp_up_callbacks (3.7) reset_state only sets target = OFFLINE (rollback
 * is already set) and, as HOTPLUG_CPU=y, the BP's range walk continues
 * down from A-1 to OFFLINE without hitting another error: takedown_cpu
 * with the DYING callbacks, finish_cpu, the PREPARE teardowns.
 */
static void test_full_up(void)
{
	struct cpuhp *hp = boot();
	struct probe p = PROBE("P"), st = PROBE("ST"), a = PROBE("A"), b = PROBE("B");
	unsigned long warns;
	int i;

	reg(hp, s_prep, &p);
	reg(hp, 100, &st);
	reg(hp, s_dyn, &a);
	reg(hp, s_dyn, &b);
	is_int(cpuhp_cpu_down(hp, 1, s_offline), 0, "full up: CPU 1 offline");
	probe_arm(&b, 'S', -EIO);
	probe_arm(&a, 'T', -ENOMEM);
	warns = cpuhp_warn_count(hp);
	ev_clear();
	is_int(cpuhp_cpu_up(hp, 1, s_online), -EIO, "full up: B's error returned");
	is_str(ev_seq(1, 0), "S:P S:ST S:A S:B! T:A! T:ST T:P",
	       "full up: no retry of A; the BP finishes the walk below A");
	check_cpu(hp, 1, VIEW(s_offline, s_offline, false, false, true), "full up");
	ok(cpuhp_warn_count(hp) > warns, "full up: recursive failure WARNs");
	i = ev_find('T', "ST", 1, 0);
	ok(i >= 0 && ev_at((unsigned int)i).ctx == CPUHP_CTX_DYING,
	   "full up: takedown ran");
	cpuhp_free(hp);
}

/*
 * Down: A's teardown fails, the rollback startup of B fails: the AP
 * thread stops with state == B, target == prev (ONLINE), not dying
 * (rollback went up), not active (AP_ACTIVE's startup never re-ran).
 */
static void test_down(void)
{
	struct cpuhp *hp = boot();
	struct probe a = PROBE("A"), b = PROBE("B");
	unsigned long warns;

	reg(hp, s_dyn, &a);
	reg(hp, s_dyn, &b);
	probe_arm(&a, 'T', -EIO);
	probe_arm(&b, 'S', -ENOMEM);
	warns = cpuhp_warn_count(hp);
	ev_clear();
	is_int(cpuhp_cpu_down(hp, 1, s_offline), -EIO, "down: A's error returned");
	is_str(ev_seq(1, 0), "T:B T:A! S:B!",
	       "down: nothing runs after the failed rollback");
	check_cpu(hp, 1, VIEW(b.state, s_online, true, false, false), "down");
	ok(cpuhp_warn_count(hp) > warns, "down: recursive failure WARNs");
	is_int(cpuhp_num_online(hp), 4, "down: CPU 1 still online");
	cpuhp_free(hp);
}

/*
 * BP side (PREPARE): P2's startup fails, the rollback teardown of P1
 * fails: the BP walk stops at the first error (3.10), state == P1-1, so
 * P0's teardown never runs.
 */
static void test_bp_walk(void)
{
	struct cpuhp *hp = boot();
	struct probe p0 = PROBE("P0"), p1 = PROBE("P1"), p2 = PROBE("P2");
	unsigned long warns;

	reg(hp, s_prep, &p0);
	reg(hp, s_prep, &p1);
	reg(hp, s_prep, &p2);
	is_int(cpuhp_cpu_down(hp, 1, s_offline), 0, "BP walk: CPU 1 offline");
	probe_arm(&p2, 'S', -EIO);
	probe_arm(&p1, 'T', -ENOMEM);
	warns = cpuhp_warn_count(hp);
	ev_clear();
	is_int(cpuhp_cpu_up(hp, 1, s_online), -EIO, "BP walk: P2's error returned");
	is_str(ev_seq(1, 0), "S:P0 S:P1 S:P2! T:P1!",
	       "BP walk: stops at the failed teardown");
	check_cpu(hp, 1, VIEW(p1.state - 1, s_offline, false, false, true), "BP walk");
	ok(cpuhp_warn_count(hp) > warns, "BP walk: failed rollback WARNs");
	cpuhp_free(hp);
}

int main(void)
{
	plan_no_plan();
	test_ap_walk();
	test_full_up();
	test_down();
	test_bp_walk();
	return done_testing();
}
