// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-fail-down.c - cpu_down(1, OFFLINE) failing at every place where a
 * tear-down may fail (ONLINE teardown, TEARDOWN_CPU), the DYING failure
 * that is ignored, and the unsupported DEAD (PREPARE teardown) failure.
 *
 * Spec: 1.4, 3.2 (nofail), 3.3 step 1, 3.8, 3.9 (end states), 3.11,
 * 6.4 (which states may be armed), rules 7, 10, 12, 13.
 */
#include "fail-common.h"

static int s_teardown;

static void setup(struct cpuhp *hp)
{
	fail_setup(hp);
	s_teardown = cpuhp_state_of(hp, CPUHP_TEARDOWN_CPU);
}

/*
 * Take CPU 1 down and expect @err, the calls @seq, a balanced ledger and
 * the end state of 3.9 rows "down, ONLINE teardown" and "down, takedown
 * refused": back at prev (ONLINE), target = prev, online and active again
 * (the AP_ACTIVE startup re-ran), dying cleared because the rollback
 * walked up (3.4, 3.9 last paragraph).
 */
static void down_fails(struct cpuhp *hp, int err, const char *seq, const char *what)
{
	int i;

	ev_clear();
	check_failed(hp, cpuhp_cpu_down(hp, 1, s_offline), err, seq,
		     VIEW(s_online, s_online, true, true, false), 4, what);
	/* The rollback startups run on the CPU's own thread (3.9). */
	i = ev_find('S', "B", 1, 0);
	ok(i >= 0 && ev_at((unsigned int)i).ctx == CPUHP_CTX_AP &&
		   !strcmp(ev_at((unsigned int)i).thread, "cpuhp/1"),
	   "%s: re-startup of B on cpuhp/1", what);
}

static void test_online_teardown(struct cpuhp *hp)
{
	unsigned long warns = cpuhp_warn_count(hp);

	/* 3.9: AP thread runs startups S+1 ... prev. */
	probe_arm(&pa, 'T', -EIO);
	down_fails(hp, -EIO, "T:B T:A! S:B", "ONLINE teardown -EIO");
	is_int(cpuhp_warn_count(hp), warns, "ONLINE teardown -EIO: no WARN");

	is_int(cpuhp_fail_set(hp, 1, pa.state), 0, "arm injection at A");
	down_fails(hp, -EAGAIN, "T:B S:B", "ONLINE teardown injected");
}

static void test_takedown(struct cpuhp *hp)
{
	/*
	 * 3.8 step 6, 3.9 "takedown_cpu refused": the BP resets the target
	 * and the AP thread walks back up; no DYING callback ran.
	 */
	is_int(cpuhp_fail_set(hp, 1, s_teardown), 0, "arm injection at TEARDOWN_CPU");
	down_fails(hp, -EAGAIN, "T:B T:A S:A S:B", "TEARDOWN_CPU injected");
}

static void test_dying(struct cpuhp *hp)
{
	/*
	 * 3.2 nofail (quirk nofail_continue): logged, the walk continues,
	 * the down succeeds.  Going down the message names st->state, which
	 * is the state below the failing one: ST1 (100) for ST2 (101).
	 */
	ulog_clear();
	probe_arm(&st2, 'T', -EIO);
	ev_clear();
	is_int(cpuhp_cpu_down(hp, 1, s_offline), 0, "DYING failure: down succeeds");
	is_str(ev_seq(1, 0), "T:B T:A T:ST2! T:ST1 T:P2 T:P1", "DYING failure: calls");
	check_cpu(hp, 1, VIEW(s_offline, s_offline, false, false, true), "DYING failure");
	ok(ulog_has("CPU 1 DOWN state ST1 (100) failed (-5)"),
	   "DYING failure is logged as \"CPU 1 DOWN state ST1 (100) failed (-5)\"");
	is_int(cpuhp_cpu_up(hp, 1, s_online), 0, "DYING failure: up again");
}

static void test_dead(struct cpuhp *hp)
{
	unsigned long warns = cpuhp_warn_count(hp);
	int i;

	/* 6.4 rule 4: a PREPARE state cannot be armed while the CPU is up. */
	is_int(cpuhp_fail_set(hp, 1, p2.state), -EINVAL,
	       "injection at a DEAD state refused");

	/*
	 * 3.9 last row: the BP re-runs the startups above P2 up to its start
	 * point TEARDOWN_CPU, which boots the CPU again (STARTING startups
	 * run on the AP); it stops at AP_ONLINE_IDLE; then only the WARN.
	 */
	ulog_clear();
	probe_arm(&p2, 'T', -EIO);
	ev_clear();
	is_int(cpuhp_cpu_down(hp, 1, s_offline), -EIO, "DEAD failure: error returned");
	is_str(ev_seq(1, 0), "T:B T:A T:ST2 T:ST1 T:P2! S:ST1 S:ST2",
	       "DEAD failure: calls");
	check_cpu(hp, 1, VIEW(s_idle, s_teardown, true, false, false), "DEAD failure");
	ok(cpuhp_warn_count(hp) > warns, "DEAD failure: WARN counted");
	ok(ulog_has("DEAD callback error for CPU1"),
	   "DEAD failure: \"DEAD callback error\" logged");
	i = ev_find('S', "ST1", 1, 0);
	ok(i >= 0 && ev_at((unsigned int)i).ctx == CPUHP_CTX_STARTING &&
		   ev_at((unsigned int)i).atomic,
	   "DEAD failure: the CPU was booted again (STARTING context)");
	is_int(cpuhp_num_online(hp), 4, "DEAD failure: CPU 1 counted online");

	/* 3.7 step 6: from AP_ONLINE_IDLE an up only drives the AP thread. */
	ev_clear();
	is_int(cpuhp_cpu_up(hp, 1, s_online), 0, "DEAD failure: up from AP_ONLINE_IDLE");
	is_str(ev_seq(1, 0), "S:A S:B", "DEAD failure: only the ONLINE startups run");
	check_cpu(hp, 1, VIEW(s_online, s_online, true, true, false), "after recovery");
}

int main(void)
{
	struct cpuhp *hp;

	plan_no_plan();
	hp = machine();
	setup(hp);
	test_online_teardown(hp);
	test_takedown(hp);
	test_dying(hp);
	test_dead(hp);
	cpuhp_free(hp);
	return done_testing();
}
