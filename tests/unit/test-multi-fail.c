// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-multi-fail.c - multi-instance states during up/down: instance
 * order, and partial failures on an ONLINE state (the AP thread's `last`
 * bookmark) and on a PREPARE state (immediate undo inside the invoker).
 *
 * Spec: 3.3 steps 5-6, 3.4 (reset_state with `last`), 3.9, rule 11;
 * mainline model quirk mi_error_fix=y (the PREPARE error is returned).
 */
#include "unit-common.h"

static int s_offline, s_online;

static struct inst in[3] = { INST("i1"), INST("i2"), INST("i3") };

static struct cpuhp *boot(int base)
{
	struct cpuhp *hp = machine();
	int slot, i;

	s_offline = cpuhp_state_of(hp, CPUHP_OFFLINE);
	s_online = cpuhp_state_of(hp, CPUHP_ONLINE);
	slot = cpuhp_setup_state_multi(hp, cpuhp_state_of(hp, base), "M", rec_mup,
				       rec_mdown);
	ok(slot > 0, "multi-instance state allocated");
	for (i = 0; i < 3; i++) {
		in[i].p = (struct probe)PROBE(in[i].p.tag);
		in[i].p.state = slot;
		in[i].node = (struct cpuhp_node){ NULL, NULL };
		is_int(cpuhp_state_add_instance(hp, slot, &in[i].node), 0, "add %s",
		       in[i].p.tag);
	}
	return hp;
}

static void arm(int idx, char dir)
{
	probe_arm(&in[idx].p, dir, -EIO);
}

static void up_fails(struct cpuhp *hp, const char *seq, const char *what)
{
	ev_clear();
	is_int(cpuhp_cpu_up(hp, 1, s_online), -EIO, "%s: error returned", what);
	is_str(ev_seq(1, 0), seq, "%s: calls", what);
	ok(ledger_balanced(1, 0), "%s: only the instances called before are undone",
	   what);
	/* 3.9: full up from OFFLINE fails back to OFFLINE, dying set. */
	check_cpu(hp, 1, VIEW(s_offline, s_offline, false, false, true), what);
}

static void test_online(void)
{
	struct cpuhp *hp = boot(CPUHP_AP_ONLINE_DYN);
	int i;

	/* 3.3 step 6: most recently added first, in both directions. */
	ev_clear();
	is_int(cpuhp_cpu_down(hp, 1, s_offline), 0, "ONLINE multi: down");
	is_str(ev_seq(1, 0), "T:i3 T:i2 T:i1",
	       "ONLINE multi: teardown order (not reversed)");
	ev_clear();
	is_int(cpuhp_cpu_up(hp, 1, s_online), 0, "ONLINE multi: up");
	is_str(ev_seq(1, 0), "S:i3 S:i2 S:i1", "ONLINE multi: startup order");
	is_int(cpuhp_cpu_down(hp, 1, s_offline), 0, "ONLINE multi: down again");

	/* 3.3 step 5 with lastp + 3.4: only the instances before the failing one. */
	arm(1, 'S');
	up_fails(hp, "S:i3 S:i2! T:i3", "ONLINE multi, 2nd fails");
	i = ev_find('T', "i3", 1, 0);
	ok(i >= 0 && !strcmp(ev_at((unsigned int)i).thread, "cpuhp/1"),
	   "ONLINE multi: the partial undo runs on cpuhp/1");
	arm(0, 'S');
	up_fails(hp, "S:i3 S:i2 S:i1! T:i3 T:i2", "ONLINE multi, 3rd fails");

	/* The same going down: the partially torn down state is restarted. */
	is_int(cpuhp_cpu_up(hp, 1, s_online), 0, "ONLINE multi: up");
	arm(1, 'T');
	ev_clear();
	is_int(cpuhp_cpu_down(hp, 1, s_offline), -EIO,
	       "ONLINE multi down, 2nd fails: error");
	is_str(ev_seq(1, 0), "T:i3 T:i2! S:i3", "ONLINE multi down, 2nd fails: calls");
	check_cpu(hp, 1, VIEW(s_online, s_online, true, true, false),
		  "ONLINE multi down fails");
	is_int(cpuhp_warn_count(hp), 0, "ONLINE multi: no WARN");
	cpuhp_free(hp);
}

static void test_prepare(void)
{
	struct cpuhp *hp = boot(CPUHP_BP_PREPARE_DYN);
	int i;

	ev_clear();
	is_int(cpuhp_cpu_down(hp, 1, s_offline), 0, "PREPARE multi: down");
	is_str(ev_seq(1, 0), "T:i3 T:i2 T:i1",
	       "PREPARE multi: teardown order (not reversed)");

	/*
	 * 3.3 step 5 without lastp: the invoker undoes the instances that
	 * succeeded (from the list head, same order) and, with mi_error_fix,
	 * returns the error; the state machine then rolls back below it.
	 */
	arm(1, 'S');
	up_fails(hp, "S:i3 S:i2! T:i3", "PREPARE multi, 2nd fails");
	i = ev_find('T', "i3", 1, 0);
	ok(i >= 0 && ev_at((unsigned int)i).on_main &&
		   ev_at((unsigned int)i).ctx == CPUHP_CTX_CONTROL,
	   "PREPARE multi: the undo runs on the calling thread");
	arm(0, 'S');
	ev_clear();
	is_int(cpuhp_cpu_up(hp, 1, s_online), -EIO,
	       "PREPARE multi, 3rd fails: error returned");
	is_str(ev_seq(1, 0), "S:i3 S:i2 S:i1! T:i3 T:i2",
	       "PREPARE multi, 3rd fails: undo in list order, not reversed");
	check_cpu(hp, 1, VIEW(s_offline, s_offline, false, false, true),
		  "PREPARE multi, 3rd");

	ev_clear();
	is_int(cpuhp_cpu_up(hp, 1, s_online), 0, "PREPARE multi: up works afterwards");
	is_str(ev_seq(1, 0), "S:i3 S:i2 S:i1", "PREPARE multi: startup order");
	cpuhp_free(hp);
}

int main(void)
{
	plan_no_plan();
	test_online();
	test_prepare();
	return done_testing();
}
