// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-fail-set.c - cpuhp_fail_set() / cpuhp_fail_get(): the store rules of
 * the kernel's "cpuN/hotplug/fail" (spec 6.4, rule 12) with the mainline
 * model's numbers, and the one-shot -EAGAIN on a CPU transition.
 */
#include <errno.h>

#include "reg-common.h"

static void refusals(struct cpuhp *hp)
{
	is_int(cpuhp_fail_get(hp, 1), -1, "disarmed at boot");
	is_int(cpuhp_fail_set(hp, 1, -2), -EINVAL, "-2: out of range");
	is_int(cpuhp_fail_set(hp, 1, CPUHP_ONLINE + 1), -EINVAL,
	       "ONLINE+1: out of range");
	is_int(cpuhp_fail_set(hp, 1, CPUHP_AP_SCHED_STARTING), -EINVAL,
	       "90 sched:starting: atomic");
	is_int(cpuhp_fail_set(hp, 1, CPUHP_AP_IDLE_DEAD), -EINVAL,
	       "87 idle:dead: atomic");
	is_int(cpuhp_fail_set(hp, 1, 140), -EINVAL, "140 smpcfd:dying: atomic");
	is_int(cpuhp_fail_set(hp, 1, 41), -EINVAL,
	       "41 workqueue:prepare while CPU1 is up");
	is_int(cpuhp_fail_set(hp, 1, CPUHP_BRINGUP_CPU), -EINVAL,
	       "86 cpu:bringup while CPU1 is up");
	is_int(cpuhp_fail_set(hp, 1, CPUHP_AP_ONLINE), -EINVAL,
	       "144 ap:online: no callback");
	is_int(cpuhp_fail_set(hp, 1, CPUHP_AP_ONLINE_IDLE), -EINVAL, "146: a hole");
	is_int(cpuhp_fail_set(hp, 1, 200), -EINVAL, "200: a free dynamic slot");
	is_int(cpuhp_fail_set(hp, 1, CPUHP_ONLINE), -EINVAL, "236 online: no callback");
	is_int(cpuhp_fail_get(hp, 1), -1, "still disarmed after the refusals");

	is_int(cpuhp_fail_set(hp, 4, -1), -EINVAL, "CPU4 is not possible");
	is_int(cpuhp_fail_get(hp, 4), -EINVAL, "fail_get of CPU4");
	is_int(cpuhp_fail_get(hp, 100000), -EINVAL, "fail_get of CPU100000");
}

static void accepted(struct cpuhp *hp)
{
	is_int(cpuhp_fail_set(hp, 1, CPUHP_AP_ACTIVE), 0, "235 sched:active accepted");
	is_int(cpuhp_fail_get(hp, 1), CPUHP_AP_ACTIVE, "armed at 235");
	is_int(cpuhp_fail_set(hp, 1, CPUHP_TEARDOWN_CPU), 0, "145 cpu:teardown accepted");
	is_int(cpuhp_fail_set(hp, 1, 149), 0,
	       "149 sched:waitempty (teardown only) accepted");
	is_int(cpuhp_fail_set(hp, 1, -1), 0, "-1 disarms");
	is_int(cpuhp_fail_get(hp, 1), -1, "disarmed");

	is_int(cpuhp_cpu_down(hp, 1, CPUHP_OFFLINE), 0, "CPU1 down");
	is_int(cpuhp_fail_set(hp, 1, 41), 0,
	       "41 workqueue:prepare accepted while CPU1 is down");
	is_int(cpuhp_fail_set(hp, 1, CPUHP_BRINGUP_CPU), 0,
	       "86 accepted while CPU1 is down");
	is_int(cpuhp_fail_set(hp, 1, 11), 0, "11 slub:dead (teardown only) accepted");
	is_int(cpuhp_fail_set(hp, 1, CPUHP_OFFLINE), -EINVAL, "0 offline: no callback");
	is_int(cpuhp_fail_set(hp, 1, CPUHP_AP_SCHED_STARTING), -EINVAL,
	       "90 still atomic while down");
	is_int(cpuhp_fail_get(hp, 1), 11, "armed at 11");
}

/* The one-shot fires on the next invocation of that state on that CPU. */
static void fires(struct cpuhp *hp)
{
	struct probe p = PROBE("p");

	is_int(cpuhp_setup_state_nocalls(hp, 160, "test:fire", rec_startup, rec_teardown,
					 &p),
	       0, "state 160");
	is_int(cpuhp_fail_set(hp, 1, 160), 0, "arm CPU1 at 160");
	log_reset();
	is_int(cpuhp_cpu_up(hp, 1, CPUHP_ONLINE), -EAGAIN, "CPU1 up fails with -EAGAIN");
	is_str(log_str(), "", "the armed callback was not called");
	is_int(cpuhp_cpu_state(hp, 1), CPUHP_OFFLINE, "CPU1 rolled back to OFFLINE");
	is_int(cpuhp_fail_get(hp, 1), -1, "one-shot: disarmed");
	is_int(cpuhp_cpu_up(hp, 1, CPUHP_ONLINE), 0, "CPU1 up now succeeds");
	is_str(log_str(), "S:p@1", "and calls the startup");
	is_int(cpuhp_remove_state_nocalls(hp, 160), 0, "remove 160");
}

int main(void)
{
	struct cpuhp *hp;

	plan_no_plan();
	hp = machine();
	refusals(hp);
	accepted(hp);
	is_int(cpuhp_fail_set(hp, 1, -1), 0, "disarm CPU1");
	fires(hp);
	is_int(cpuhp_warn_count(hp), 0, "no WARN");
	cpuhp_free(hp);
	return done_testing();
}
