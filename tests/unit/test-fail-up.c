// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-fail-up.c - cpu_up(1, ONLINE) from OFFLINE failing at every place
 * where a bring-up may fail, with a callback returning -EIO and with the
 * one-shot injection (-EAGAIN), and the STARTING failure that is ignored.
 *
 * Spec: 1.4 (who may fail), 3.3 step 1 (injection), 3.7 (bring-up and its
 * rollback), 3.9 (end states), 3.11 (masks), rules 7, 10, 12, 13.
 */
#include "fail-common.h"

static int s_kick;

/* CPU 1 starts at OFFLINE: every case brings it up. */
static void setup(struct cpuhp *hp)
{
	fail_setup(hp);
	s_kick = cpuhp_state_of(hp, CPUHP_BP_KICK_AP);
	if (cpuhp_cpu_down(hp, 1, s_offline))
		bail_out("cannot take CPU 1 down");
}

/*
 * Bring CPU 1 up and expect @err, the call sequence @seq, a balanced
 * ledger, and the end state of 3.9: back at prev (OFFLINE), target = prev
 * (3.4 reset_state), not online, not active, and still dying because the
 * rollback walked down (3.4, 3.9 last paragraph, rule 13).
 */
static void up_fails(struct cpuhp *hp, int err, const char *seq, const char *what)
{
	ev_clear();
	check_failed(hp, cpuhp_cpu_up(hp, 1, s_online), err, seq,
		     VIEW(s_offline, s_offline, false, false, true), 3, what);
}

/* A later up works and clears dying; then back to OFFLINE for the next case. */
static void recover(struct cpuhp *hp, const char *what)
{
	is_int(cpuhp_cpu_up(hp, 1, s_online), 0, "%s: later up succeeds", what);
	ok(cpuhp_cpu_active(hp, 1) && !cpuhp_cpu_dying(hp, 1), "%s: active, not dying",
	   what);
	is_int(cpuhp_cpu_down(hp, 1, s_offline), 0, "%s: down again", what);
}

static void test_prepare(struct cpuhp *hp)
{
	/* 3.9 row 1: the BP tears down S-1 ... prev+1. */
	probe_arm(&p2, 'S', -EIO);
	up_fails(hp, -EIO, "S:P1 S:P2! T:P1", "PREPARE startup -EIO");
	recover(hp, "PREPARE -EIO");

	/* 3.3 step 1: the injected state's callback is not called at all. */
	is_int(cpuhp_fail_set(hp, 1, p2.state), 0, "arm injection at P2");
	up_fails(hp, -EAGAIN, "S:P1 T:P1", "PREPARE injected");
	recover(hp, "PREPARE injected");
}

static void test_kick(struct cpuhp *hp)
{
	/*
	 * 3.9 row 2: before the AP ran; finish_cpu is not run, PREPARE undone.
	 * (BRINGUP_CPU has its own program, test-bringup-fail.)
	 */
	is_int(cpuhp_fail_set(hp, 1, s_kick), 0, "arm injection at BP_KICK_AP");
	up_fails(hp, -EAGAIN, "S:P1 S:P2 T:P2 T:P1", "BP_KICK_AP injected");
	recover(hp, "BP_KICK_AP");
}

static void test_online(struct cpuhp *hp)
{
	unsigned long warns = cpuhp_warn_count(hp);
	int i;

	/*
	 * 3.9 row 4: the AP thread rolls back to AP_ONLINE_IDLE, then the BP
	 * continues: takedown_cpu (DYING callbacks), finish_cpu, PREPARE.
	 */
	probe_arm(&pb, 'S', -EIO);
	up_fails(hp, -EIO, "S:P1 S:P2 S:ST1 S:ST2 S:A S:B! T:A T:ST2 T:ST1 T:P2 T:P1",
		 "ONLINE startup -EIO");
	i = ev_find('T', "A", 1, 0);
	ok(i >= 0 && ev_at((unsigned int)i).ctx == CPUHP_CTX_AP &&
		   !strcmp(ev_at((unsigned int)i).thread, "cpuhp/1"),
	   "ONLINE rollback teardown runs on cpuhp/1");
	i = ev_find('T', "ST1", 1, 0);
	ok(i >= 0 && ev_at((unsigned int)i).ctx == CPUHP_CTX_DYING &&
		   ev_at((unsigned int)i).atomic,
	   "takedown ran: DYING callback in DYING context");
	i = ev_find('T', "P1", 1, 0);
	ok(i >= 0 && ev_at((unsigned int)i).on_main,
	   "PREPARE rollback on the calling thread");
	is_int(cpuhp_warn_count(hp), warns, "ONLINE -EIO: no WARN");
	recover(hp, "ONLINE -EIO");

	is_int(cpuhp_fail_set(hp, 1, pb.state), 0, "arm injection at B");
	up_fails(hp, -EAGAIN, "S:P1 S:P2 S:ST1 S:ST2 S:A T:A T:ST2 T:ST1 T:P2 T:P1",
		 "ONLINE injected");
	recover(hp, "ONLINE injected");

	/*
	 * 3.9 row 5: the CPU already runs (AP_ONLINE_IDLE), so only the AP
	 * thread rolls back, to prev; dying set by the downward rollback (3.4).
	 */
	is_int(cpuhp_cpu_up(hp, 1, s_idle), 0, "up to AP_ONLINE_IDLE");
	probe_arm(&pb, 'S', -EIO);
	ev_clear();
	is_int(cpuhp_cpu_up(hp, 1, s_online), -EIO,
	       "ONLINE fails from AP_ONLINE_IDLE: error");
	is_str(ev_seq(1, 0), "S:A S:B! T:A", "ONLINE fails from AP_ONLINE_IDLE: calls");
	check_cpu(hp, 1, VIEW(s_idle, s_idle, true, false, true),
		  "ONLINE fails from AP_ONLINE_IDLE");
	is_int(cpuhp_num_online(hp), 4, "ONLINE fails from AP_ONLINE_IDLE: still online");
	is_int(cpuhp_cpu_down(hp, 1, s_offline), 0, "back to OFFLINE");
}

static void test_empty_direction(struct cpuhp *hp)
{
	int s = 151; /* irq/affinity:online in the mainline model: startup only */

	/*
	 * Rule 1 / 3.3 step 1: a state skipped because it has no callback in
	 * the running direction does not consume the injection.
	 */
	is_str(cpuhp_state_name(hp, s), "irq/affinity:online",
	       "state 151 is startup-only");
	is_int(cpuhp_cpu_up(hp, 1, s_online), 0, "CPU 1 up");
	is_int(cpuhp_fail_set(hp, 1, s), 0, "arm injection at 151");
	is_int(cpuhp_cpu_down(hp, 1, s_offline), 0, "down does not fire it");
	is_int(cpuhp_fail_get(hp, 1), s, "still armed after the down");
	up_fails(hp, -EAGAIN, "S:P1 S:P2 S:ST1 S:ST2 T:ST2 T:ST1 T:P2 T:P1",
		 "startup-only state injected");
}

static void test_starting(struct cpuhp *hp)
{
	/*
	 * 3.2 nofail, rule 10 (v6.2+, quirk nofail_continue): logged,
	 * ignored, the later STARTING states still run, the up succeeds.
	 * The message names st->state, i.e. the failing state going up.
	 */
	ulog_clear();
	probe_arm(&st1, 'S', -EIO);
	ev_clear();
	is_int(cpuhp_cpu_up(hp, 1, s_online), 0, "STARTING failure: up succeeds");
	is_str(ev_seq(1, 0), "S:P1 S:P2 S:ST1! S:ST2 S:A S:B", "STARTING failure: calls");
	check_cpu(hp, 1, VIEW(s_online, s_online, true, true, false), "STARTING failure");
	ok(ulog_has("CPU 1 UP state ST1 (100) failed (-5)"),
	   "STARTING failure is logged as \"CPU 1 UP state ST1 (100) failed (-5)\"");
	/* 6.4 rule 3: atomic states cannot be armed. */
	is_int(cpuhp_fail_set(hp, 1, 100), -EINVAL,
	       "injection at a STARTING state refused");
}

int main(void)
{
	struct cpuhp *hp;

	plan_no_plan();
	hp = machine();
	setup(hp);
	test_prepare(hp);
	test_kick(hp);
	test_online(hp);
	test_empty_direction(hp);
	test_starting(hp);
	cpuhp_free(hp);
	return done_testing();
}
