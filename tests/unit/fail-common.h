/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fail-common.h - what test-fail-up and test-fail-down share: the six probes
 * (two PREPARE, two STARTING, two ONLINE), their registration on one
 * machine, and the checks after an operation on CPU 1 failed and rolled back.
 */
#ifndef CPUHP_TESTS_FAIL_COMMON_H
#define CPUHP_TESTS_FAIL_COMMON_H

#include "unit-common.h"

static int s_offline, s_online, s_idle;

static struct probe p1 = PROBE("P1"), p2 = PROBE("P2");     /* PREPARE dyn */
static struct probe st1 = PROBE("ST1"), st2 = PROBE("ST2"); /* STARTING 100, 101 */
static struct probe pa = PROBE("A"), pb = PROBE("B");       /* ONLINE dyn */

/* Look up the states both tests use and register the six probes. */
static inline void fail_setup(struct cpuhp *hp)
{
	int prep = cpuhp_state_of(hp, CPUHP_BP_PREPARE_DYN);
	int dyn = cpuhp_state_of(hp, CPUHP_AP_ONLINE_DYN);

	s_offline = cpuhp_state_of(hp, CPUHP_OFFLINE);
	s_online = cpuhp_state_of(hp, CPUHP_ONLINE);
	s_idle = cpuhp_state_of(hp, CPUHP_AP_ONLINE_IDLE);
	reg(hp, prep, &p1);
	reg(hp, prep, &p2);
	reg(hp, 100, &st1);
	reg(hp, 101, &st2);
	reg(hp, dyn, &pa);
	reg(hp, dyn, &pb);
}

/*
 * An operation on CPU 1 returned @got (after ev_clear()): expect @err, the
 * calls @seq, a balanced ledger, the end state @want, the injection
 * disarmed and @nr_online CPUs online.
 */
static inline void check_failed(struct cpuhp *hp, int got, int err, const char *seq,
				struct cpu_view want, int nr_online, const char *what)
{
	is_int(got, err, "%s: error returned", what);
	is_str(ev_seq(1, 0), seq, "%s: calls", what);
	ok(ledger_balanced(1, 0), "%s: every step undone once, in reverse", what);
	check_cpu(hp, 1, want, what);
	is_int(cpuhp_fail_get(hp, 1), -1, "%s: injection disarmed", what);
	is_int(cpuhp_num_online(hp), nr_online, "%s: %d CPUs online", what, nr_online);
}

#endif /* CPUHP_TESTS_FAIL_COMMON_H */
