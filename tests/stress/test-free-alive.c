// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-free-alive.c - cpuhp_free() ends a CPU thread that a failed bring-up
 * left in the alive handshake.  The bring-up fails at BRINGUP_CPU, after the
 * kick, and its rollback stops at a failing PREPARE teardown (spec 3.10), so
 * the AP stays alive, waiting to be released, until the machine is freed.
 *
 * Regression test for a lost wake-up found by `cpuhpctl explore
 * --all-targets --double`: the AP checked for the exit request and then
 * slept on its sync word, which the exit request did not change, so a stop
 * between the two left cpuhp_free() joining it forever.  Linked with the
 * delay-enabled library copy and run with CPUHP_DEBUG_DELAY=2: a delay point
 * sits just before that sleep, which widens the window.  A watchdog fails
 * the test when one round takes longer than 20 s.
 *
 *   test-free-alive [ROUNDS]   (default 300)
 */
#include <errno.h>
#include <stdlib.h>

#include <cpuhp/cpuhp.h>
#include <cpuhp/ledger.h>

#include "log-keep.h"
#include "tap.h"
#include "watchdog.h"

static int noop(struct cpuhp *hp, unsigned int cpu, void *data)
{
	(void)hp;
	(void)cpu;
	(void)data;
	return 0;
}

/*
 * One round: CPU 1 offline, faults at BRINGUP_CPU (startup) and at our
 * PREPARE_DYN state's teardown (the rollback's), online fails, free.
 * Returns how many of its checks failed.
 */
static int round_once(unsigned long r, bool report)
{
	struct cpuhp_config cfg;
	struct cpuhp *hp;
	struct cpuhp_fault bringup = { .cpu = 1, .bringup = true, .instance = -1 };
	struct cpuhp_fault prep = { .cpu = 1, .bringup = false, .instance = -1 };
	int st, ret, bad = 0;

	cpuhp_config_init(&cfg);
	cfg.nr_possible = 2;
	cfg.log_fn = ulog_hook; /* kept, not printed: failures are expected */
	if (cpuhp_new(&cfg, &hp)) {
		fail("round %lu: cpuhp_new", r);
		return 1;
	}
	st = cpuhp_setup_state(hp, cpuhp_state_of(hp, CPUHP_BP_PREPARE_DYN), "test:prep",
			       noop, noop, NULL);
	bringup.state = cpuhp_state_of(hp, CPUHP_BRINGUP_CPU);
	prep.state = st;
	if (st <= 0 || cpuhp_cpu_down(hp, 1, cpuhp_state_of(hp, CPUHP_OFFLINE)) ||
	    cpuhp_ledger_fault(hp, &bringup) || cpuhp_ledger_fault(hp, &prep)) {
		fail("round %lu: set-up", r);
		cpuhp_free(hp);
		return 1;
	}
	ret = cpuhp_cpu_up(hp, 1, cpuhp_state_of(hp, CPUHP_ONLINE));
	/*
	 * Spec 3.10: the rollback stops at the failing teardown; going down the
	 * walk moves the state below a step before running its teardown.
	 */
	if (ret != -EAGAIN || cpuhp_cpu_state(hp, 1) != st - 1) {
		fail("round %lu: up returned %d, CPU 1 at %d (want -EAGAIN, %d)", r, ret,
		     cpuhp_cpu_state(hp, 1), st - 1);
		bad++;
	} else if (report) {
		pass("up failed with -EAGAIN and the rollback stopped below %d", st);
	}
	cpuhp_ledger_disable(hp);
	cpuhp_free(hp);
	return bad;
}

int main(int argc, char **argv)
{
	unsigned long rounds = 300, r;
	char *end;
	int bad = 0;

	if (argc > 1) {
		rounds = strtoul(argv[1], &end, 10);
		if (*end || !rounds || argv[1][0] == '-')
			bail_out("usage: test-free-alive [ROUNDS] (a positive number)");
	}

	for (r = 0; r < rounds; r++) {
		watchdog_arm(20);
		bad += round_once(r, r == 0);
	}
	watchdog_arm(0);
	if (!bad)
		pass("%lu machines with a CPU left alive by a failed bring-up were freed",
		     rounds);
	else
		fail("%d rounds went wrong", bad);
	return done_testing();
}
