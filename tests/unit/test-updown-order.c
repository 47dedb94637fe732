// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-updown-order.c - order and execution context of a successful
 * cpu_down(1, OFFLINE) followed by cpu_up(1, ONLINE) on a 4-CPU mainline
 * machine, with user callbacks in a PREPARE dynamic slot, a free STARTING
 * static slot (100) and two ONLINE dynamic slots.
 *
 * Spec: 1.2 (sections and who runs them), 2.1/rule 4 (state moved ahead of
 * time), 3.7 (bring-up), 3.8 (tear-down), 3.11 (masks), rule 13 (dying).
 */
#include "unit-common.h"

static int s_offline, s_online, s_teardown, s_prep_dyn, s_online_dyn;

static struct probe p_prep = PROBE("prep");
static struct probe p_st = PROBE("st");
static struct probe p_a = PROBE("A");
static struct probe p_b = PROBE("B");

/* thread == NULL: must be the calling (control) thread. */
static void check_ev(int idx, enum cpuhp_context ctx, int ctx_cpu, bool atomic,
		     const char *thread, int state, int target, struct cpu_view masks,
		     const char *what)
{
	struct ev e = ev_at((unsigned int)idx);

	ok(idx >= 0, "%s: was called", what);
	is_int(e.ctx, ctx, "%s: context", what);
	is_int(e.ctx_cpu, ctx_cpu, "%s: context CPU", what);
	is_int(e.atomic, atomic, "%s: atomic", what);
	if (thread)
		is_str(e.thread, thread, "%s: thread name", what);
	else
		ok(e.on_main, "%s: runs on the calling thread", what);
	is_int(e.state, state, "%s: state seen by the callback", what);
	is_int(e.target, target, "%s: target seen by the callback", what);
	is_int(e.online, masks.online, "%s: online at call time", what);
	is_int(e.active, masks.active, "%s: active at call time", what);
	is_int(e.dying, masks.dying, "%s: dying at call time", what);
}

static void setup(struct cpuhp *hp)
{
	s_offline = cpuhp_state_of(hp, CPUHP_OFFLINE);
	s_online = cpuhp_state_of(hp, CPUHP_ONLINE);
	s_teardown = cpuhp_state_of(hp, CPUHP_TEARDOWN_CPU);
	s_prep_dyn = cpuhp_state_of(hp, CPUHP_BP_PREPARE_DYN);
	s_online_dyn = cpuhp_state_of(hp, CPUHP_AP_ONLINE_DYN);

	/* Spec 4.2: a DYN base allocates the lowest free slot, the base itself first. */
	is_int(reg(hp, s_prep_dyn, &p_prep), s_prep_dyn, "PREPARE dyn slot = base");
	is_int(reg(hp, 100, &p_st), 100, "free STARTING static slot 100");
	is_int(reg(hp, s_online_dyn, &p_a), s_online_dyn, "first ONLINE dyn slot");
	/* The same through the plain wrapper. */
	p_b.state = cpuhp_setup_state(hp, s_online_dyn, p_b.tag, rec_up, rec_down, &p_b);
	is_int(p_b.state, s_online_dyn + 1, "second ONLINE dyn slot");
}

static void test_down(struct cpuhp *hp)
{
	unsigned long warns = cpuhp_warn_count(hp);

	ev_clear();
	is_int(cpuhp_cpu_down(hp, 1, s_offline), 0, "cpu_down(1, OFFLINE)");
	/* 3.8 / rule 6: ONLINE teardowns descending, DYING, then DEAD. */
	is_str(ev_seq(1, 0), "T:B T:A T:st T:prep", "down: order of teardowns on CPU 1");
	is_int(ev_count(), 4, "down: no callback for another CPU");

	/*
	 * ONLINE teardowns on cpuhp/1; state is one below the running state
	 * (rule 4); target clamped to max(OFFLINE, TEARDOWN_CPU) while the
	 * AP thread walks (3.8 step 4); active already cleared by the
	 * AP_ACTIVE teardown, the first step down (3.11); dying set (3.4).
	 */
	check_ev(ev_find('T', "B", 1, 0), CPUHP_CTX_AP, 1, false, "cpuhp/1",
		 p_b.state - 1, s_teardown, VIEW(0, 0, true, false, true), "down B");
	check_ev(ev_find('T', "A", 1, 0), CPUHP_CTX_AP, 1, false, "cpuhp/1",
		 p_a.state - 1, s_teardown, VIEW(0, 0, true, false, true), "down A");
	/* DYING: on the outgoing CPU, atomic, after __cpu_disable cleared online (3.8, 3.11). */
	check_ev(ev_find('T', "st", 1, 0), CPUHP_CTX_DYING, 1, true, "cpuhp/1", 100 - 1,
		 s_offline, VIEW(0, 0, false, false, true), "down STARTING (dying)");
	/* DEAD: on the control thread, after the CPU is gone (1.2). */
	check_ev(ev_find('T', "prep", 1, 0), CPUHP_CTX_CONTROL, -1, false, NULL,
		 p_prep.state - 1, s_offline, VIEW(0, 0, false, false, true),
		 "down PREPARE (dead)");

	/* 3.11 / rule 13: dying stays set while the CPU sits offline. */
	check_cpu(hp, 1, VIEW(s_offline, s_offline, false, false, true), "after down");
	is_int(cpuhp_num_online(hp), 3, "after down: 3 CPUs online");
	is_int(cpuhp_warn_count(hp), warns, "down: no WARN");
}

static void test_up(struct cpuhp *hp)
{
	unsigned long warns = cpuhp_warn_count(hp);

	ev_clear();
	is_int(cpuhp_cpu_up(hp, 1, s_online), 0, "cpu_up(1, ONLINE)");
	is_str(ev_seq(1, 0), "S:prep S:st S:A S:B", "up: order of startups on CPU 1");
	is_int(ev_count(), 4, "up: no callback for another CPU");

	/* PREPARE on the control thread; the up cleared dying (3.4, 3.11). */
	check_ev(ev_find('S', "prep", 1, 0), CPUHP_CTX_CONTROL, -1, false, NULL,
		 p_prep.state, s_online, VIEW(0, 0, false, false, false), "up PREPARE");
	/* STARTING on the AP, atomic, before the CPU is marked online (3.7 AP side, 3.11). */
	check_ev(ev_find('S', "st", 1, 0), CPUHP_CTX_STARTING, 1, true, "cpuhp/1", 100,
		 s_online, VIEW(0, 0, false, false, false), "up STARTING");
	/* ONLINE on cpuhp/1; active only after CPUHP_AP_ACTIVE, the last step (3.11). */
	check_ev(ev_find('S', "A", 1, 0), CPUHP_CTX_AP, 1, false, "cpuhp/1", p_a.state,
		 s_online, VIEW(0, 0, true, false, false), "up A");
	check_ev(ev_find('S', "B", 1, 0), CPUHP_CTX_AP, 1, false, "cpuhp/1", p_b.state,
		 s_online, VIEW(0, 0, true, false, false), "up B");

	check_cpu(hp, 1, VIEW(s_online, s_online, true, true, false), "after up");
	is_int(cpuhp_num_online(hp), 4, "after up: 4 CPUs online");
	is_int(cpuhp_warn_count(hp), warns, "up: no WARN");
}

int main(void)
{
	struct cpuhp *hp;

	plan_no_plan();
	hp = machine();
	setup(hp);
	test_down(hp);
	test_up(hp);
	/* A second round gives the same order (nothing left over from the first). */
	ev_clear();
	ok(!cpuhp_cpu_down(hp, 1, s_offline) && !cpuhp_cpu_up(hp, 1, s_online),
	   "second round");
	is_str(ev_seq(1, 0), "T:B T:A T:st T:prep S:prep S:st S:A S:B",
	       "second round order");
	is_int(cpuhp_warn_count(hp), 0, "no WARN at all");
	cpuhp_free(hp);
	return done_testing();
}
