// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-state-multi.c - multi-instance states (spec 3.3 step 6, 4.4, 4.5,
 * rule 11): setup never invokes; add_instance runs the node's startup on
 * every CPU at or above the state and links it at the head only on success
 * (rollback below the failing CPU otherwise); full transitions call the
 * instances most recent first in both directions; remove_instance runs the
 * node's teardowns; removing the state never invokes and warns about
 * instances left.
 */
#include <errno.h>

#include "reg-common.h"

static void lifo(struct cpuhp *hp, int state, const char *where)
{
	struct inst a = INST("a"), b = INST("b"), c = INST("c");

	log_reset();
	is_int(cpuhp_setup_state_multi(hp, state, "test:multi", inst_startup,
				       inst_teardown),
	       0, "%s: multi setup", where);
	is_str(log_str(), "", "%s: multi setup invokes nothing", where);
	is_int(cpuhp_state_add_instance(hp, state, &a.node), 0, "%s: add a", where);
	is_int(cpuhp_state_add_instance(hp, state, &b.node), 0, "%s: add b", where);
	is_int(cpuhp_state_add_instance_nocalls(hp, state, &c.node), 0,
	       "%s: add c (nocalls)", where);
	is_str(log_str(), "S:a@0 S:a@1 S:a@2 S:a@3 S:b@0 S:b@1 S:b@2 S:b@3",
	       "%s: each add ran that node's startup on every CPU", where);

	log_reset();
	is_int(cpuhp_cpu_down(hp, 1, CPUHP_OFFLINE), 0, "%s: CPU1 down", where);
	is_str(log_str(), "T:c@1 T:b@1 T:a@1", "%s: down calls the newest instance first",
	       where);
	log_reset();
	is_int(cpuhp_cpu_up(hp, 1, CPUHP_ONLINE), 0, "%s: CPU1 up", where);
	is_str(log_str(), "S:c@1 S:b@1 S:a@1",
	       "%s: up calls the newest instance first too", where);

	log_reset();
	is_int(cpuhp_state_remove_instance(hp, state, &b.node), 0, "%s: remove b", where);
	is_str(log_str(), "T:b@0 T:b@1 T:b@2 T:b@3", "%s: b torn down on every CPU",
	       where);
	ok(b.node.pprev == NULL, "%s: b unlinked", where);
	log_reset();
	is_int(cpuhp_state_remove_instance_nocalls(hp, state, &c.node), 0,
	       "%s: remove c (nocalls)", where);
	is_int(cpuhp_cpu_down(hp, 2, CPUHP_OFFLINE), 0, "%s: CPU2 down", where);
	is_str(log_str(), "T:a@2", "%s: only a is left", where);
	is_int(cpuhp_cpu_up(hp, 2, CPUHP_ONLINE), 0, "%s: CPU2 up", where);
	is_int(cpuhp_state_remove_instance(hp, state, &a.node), 0, "%s: remove a", where);
	is_int(cpuhp_remove_multi_state(hp, state), 0, "%s: remove the state", where);
	ok(cpuhp_state_name(hp, state) == NULL, "%s: state free", where);
}

static void add_failure(struct cpuhp *hp, int state, const char *where)
{
	struct inst a = INST("a"), f = INST("f");

	is_int(cpuhp_setup_state_multi(hp, state, "test:multi", inst_startup,
				       inst_teardown),
	       0, "%s: multi setup", where);
	is_int(cpuhp_state_add_instance(hp, state, &a.node), 0, "%s: add a", where);
	f.fail_cpu = 2;
	log_reset();
	is_int(cpuhp_state_add_instance(hp, state, &f.node), -EIO,
	       "%s: add f failing on CPU2", where);
	is_str(log_str(), "S:f@0 S:f@1 S:f@2 T:f@0 T:f@1",
	       "%s: only f rolled back, on CPUs 0-1", where);
	ok(f.node.pprev == NULL && f.node.next == NULL, "%s: f not added", where);
	log_reset();
	is_int(cpuhp_cpu_down(hp, 3, CPUHP_OFFLINE), 0, "%s: CPU3 down", where);
	is_str(log_str(), "T:a@3", "%s: f never called by a transition", where);
	is_int(cpuhp_cpu_up(hp, 3, CPUHP_ONLINE), 0, "%s: CPU3 up", where);
	is_int(cpuhp_state_remove_instance(hp, state, &f.node), -EINVAL,
	       "%s: f cannot be removed", where);
	f.fail_cpu = -1;
	is_int(cpuhp_state_add_instance(hp, state, &f.node), 0,
	       "%s: f can be added later", where);
	is_int(cpuhp_state_remove_instance_nocalls(hp, state, &f.node), 0, "%s: remove f",
	       where);
	is_int(cpuhp_state_remove_instance_nocalls(hp, state, &a.node), 0, "%s: remove a",
	       where);
	is_int(cpuhp_remove_multi_state(hp, state), 0, "%s: remove the state", where);
}

/* Removal never invokes instances and warns when some are left. */
static void remove_with_instances(struct cpuhp *hp, int state)
{
	struct inst a = INST("a"), b = INST("b");
	unsigned long warns;

	is_int(cpuhp_setup_state_multi(hp, state, "test:multi", inst_startup,
				       inst_teardown),
	       0, "multi setup");
	is_int(cpuhp_state_add_instance(hp, state, &a.node), 0, "add a");
	is_int(cpuhp_state_add_instance(hp, state, &b.node), 0, "add b");
	warns = cpuhp_warn_count(hp);
	log_reset();
	is_int(cpuhp_remove_state(hp, state), 0, "cpuhp_remove_state of a multi state");
	is_str(log_str(), "", "no teardown called on removal");
	is_int(cpuhp_warn_count(hp), warns + 1, "instances left WARNed");
	ok(cpuhp_state_name(hp, state) == NULL, "state removed");
	ok(a.node.pprev == NULL && b.node.pprev == NULL,
	   "dropped instances are unlinked");

	is_int(cpuhp_setup_state_multi(hp, state, "test:multi2", inst_startup,
				       inst_teardown),
	       0, "set the state up again");
	log_reset();
	is_int(cpuhp_state_add_instance(hp, state, &a.node), 0, "a can be added again");
	is_str(log_str(), "S:a@0 S:a@1 S:a@2 S:a@3", "a's startup ran");
	is_int(cpuhp_state_remove_instance_nocalls(hp, state, &a.node), 0, "remove a");
	warns = cpuhp_warn_count(hp);
	is_int(cpuhp_remove_multi_state(hp, state), 0, "remove the empty multi state");
	is_int(cpuhp_warn_count(hp), warns, "no WARN without instances");
}

static void dynamic(struct cpuhp *hp)
{
	struct inst a = INST("a");
	int s;

	s = cpuhp_setup_state_multi(hp, CPUHP_AP_ONLINE_DYN, "test:dynmulti",
				    inst_startup, inst_teardown);
	is_int(s, CPUHP_AP_ONLINE_DYN, "dynamic multi setup returns the slot");
	log_reset();
	is_int(cpuhp_state_add_instance(hp, s, &a.node), 0, "add to the dynamic slot");
	is_int(cpuhp_state_remove_instance(hp, s, &a.node), 0, "remove it");
	is_str(log_str(), "S:a@0 S:a@1 S:a@2 S:a@3 T:a@0 T:a@1 T:a@2 T:a@3",
	       "instance called on every CPU");
	is_int(cpuhp_remove_multi_state(hp, s), 0, "remove the slot");
}

int main(void)
{
	struct cpuhp *hp;

	plan_no_plan();
	hp = machine();
	lifo(hp, 30, "PREPARE");
	lifo(hp, 160, "ONLINE");
	add_failure(hp, 30, "PREPARE");
	add_failure(hp, 160, "ONLINE");
	dynamic(hp);
	is_int(cpuhp_warn_count(hp), 0, "no WARN so far");
	remove_with_instances(hp, 160);
	cpuhp_free(hp);
	return done_testing();
}
