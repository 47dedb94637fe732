// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-bringup-fail.c - a failure injected at CPUHP_BRINGUP_CPU (after
 * CPUHP_BP_KICK_AP already kicked the AP): the rollback, and what a later
 * attempt (or freeing the machine) costs.
 *
 * Spec: 3.9 row 2 (BP tears down below BRINGUP_CPU, finish_cpu not run,
 * end at prev), 3.12 (the kicked AP waits for the release; a new attempt
 * is allowed from KICKED or ALIVE and kicks the AP again), 3.3 step 1.
 */
#include "unit-common.h"

static int s_offline, s_online, s_bringup;

static struct cpuhp *fail_once(struct probe *p1, struct probe *p2, struct probe *st,
			       struct probe *a, const char *what)
{
	struct cpuhp *hp = machine();

	s_offline = cpuhp_state_of(hp, CPUHP_OFFLINE);
	s_online = cpuhp_state_of(hp, CPUHP_ONLINE);
	s_bringup = cpuhp_state_of(hp, CPUHP_BRINGUP_CPU);
	reg(hp, cpuhp_state_of(hp, CPUHP_BP_PREPARE_DYN), p1);
	reg(hp, cpuhp_state_of(hp, CPUHP_BP_PREPARE_DYN), p2);
	reg(hp, 100, st);
	reg(hp, cpuhp_state_of(hp, CPUHP_AP_ONLINE_DYN), a);
	is_int(cpuhp_cpu_down(hp, 1, s_offline), 0, "%s: CPU 1 offline", what);
	is_int(cpuhp_fail_set(hp, 1, s_bringup), 0, "%s: arm BRINGUP_CPU", what);
	ev_clear();
	is_int(cpuhp_cpu_up(hp, 1, s_online), -EAGAIN, "%s: up fails with -EAGAIN", what);
	is_str(ev_seq(1, 0), "S:P1 S:P2 T:P2 T:P1",
	       "%s: only PREPARE ran, and was undone", what);
	ok(ledger_balanced(1, 0), "%s: balanced", what);
	check_cpu(hp, 1, VIEW(s_offline, s_offline, false, false, true), what);
	is_int(cpuhp_fail_get(hp, 1), -1, "%s: injection disarmed", what);
	return hp;
}

int main(void)
{
	struct probe p1 = PROBE("P1"), p2 = PROBE("P2"), st = PROBE("ST"), a = PROBE("A");
	struct cpuhp *hp;

	plan_no_plan();
	hp = fail_once(&p1, &p2, &st, &a, "retry");
	ev_clear();
	is_int(cpuhp_cpu_up(hp, 1, s_online), 0, "retry: the next up succeeds");
	is_str(ev_seq(1, 0), "S:P1 S:P2 S:ST S:A", "retry: full bring-up");
	check_cpu(hp, 1, VIEW(s_online, s_online, true, true, false), "retry");
	/* 3.12: the AP of the old attempt is restarted, not kicked twice. */
	is_int(cpuhp_warn_count(hp), 0, "retry: no WARN");
	cpuhp_free(hp);

	hp = fail_once(&p1, &p2, &st, &a, "free");
	cpuhp_free(hp);
	/* A stall here (the AP still in the alive handshake) hangs: CTest times out. */
	return done_testing();
}
