// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-state-args.c - argument and context errors of the registration API
 * (spec 4.2, 4.4, 4.5, 4.6): -EINVAL for bad states, names and nodes, -EPERM
 * for _cpuslocked calls without the read lock, -EDEADLK from a callback;
 * and the state-number queries cpuhp_state_of() / cpuhp_state_name().
 */
#include <errno.h>

#include "reg-common.h"

static void einval(struct cpuhp *hp)
{
	struct probe p = PROBE("p");
	struct inst in = INST("i");
	struct cpuhp_step_desc desc = { .name = "test:flags" };

	log_reset();
	is_int(cpuhp_setup_state(hp, 160, NULL, rec_startup, NULL, &p), -EINVAL,
	       "NULL name");
	is_int(cpuhp_setup_state(hp, CPUHP_OFFLINE, "test:x", rec_startup, NULL, &p),
	       -EINVAL, "state 0 (OFFLINE)");
	is_int(cpuhp_setup_state(hp, CPUHP_ONLINE, "test:x", rec_startup, NULL, &p),
	       -EINVAL, "state ONLINE");
	is_int(cpuhp_setup_state(hp, CPUHP_ONLINE + 1, "test:x", NULL, NULL, NULL),
	       -EINVAL, "state ONLINE+1");
	is_int(cpuhp_setup_state(hp, -1, "test:x", NULL, NULL, NULL), -EINVAL,
	       "state -1");
	is_int(cpuhp_setup_state(hp, 100000, "test:x", NULL, NULL, NULL), -EINVAL,
	       "state 100000");
	is_int(cpuhp_setup_state_multi(hp, CPUHP_ONLINE, "test:m", NULL, NULL), -EINVAL,
	       "multi setup of ONLINE");
	is_int(cpuhp_setup_state_desc(hp, 160, NULL, 0), -EINVAL, "NULL desc");
	is_int(cpuhp_setup_state_desc(hp, 160, &desc, 0x100), -EINVAL, "unknown flag");
	ok(cpuhp_state_name(hp, 160) == NULL, "nothing registered by the refusals");
	is_str(log_str(), "", "no callback ran");

	is_int(cpuhp_remove_state(hp, CPUHP_ONLINE + 1), -EINVAL, "remove ONLINE+1");
	is_int(cpuhp_remove_state(hp, -5), -EINVAL, "remove -5");
	is_int(cpuhp_remove_state(hp, CPUHP_OFFLINE), -EINVAL, "remove OFFLINE");
	is_int(cpuhp_remove_state_nocalls(hp, CPUHP_ONLINE), -EINVAL,
	       "remove_nocalls ONLINE");
	is_int(cpuhp_remove_multi_state(hp, 9999), -EINVAL, "remove_multi 9999");
	is_str(cpuhp_state_name(hp, CPUHP_ONLINE), "online", "ONLINE still named");
	is_str(cpuhp_state_name(hp, CPUHP_OFFLINE), "offline", "OFFLINE still named");

	is_int(cpuhp_setup_state_nocalls(hp, 160, "test:single", rec_startup,
					 rec_teardown, &p),
	       0, "single-instance state at 160");
	is_int(cpuhp_state_add_instance(hp, 160, &in.node), -EINVAL,
	       "add_instance on a non-multi state");
	ok(in.node.pprev == NULL, "node left unlinked");
	is_int(cpuhp_state_add_instance(hp, 161, &in.node), -EINVAL,
	       "add_instance on a free slot");
	is_int(cpuhp_state_add_instance(hp, CPUHP_ONLINE + 3, &in.node), -EINVAL,
	       "add_instance out of range");
	is_int(cpuhp_state_remove_instance(hp, 160, &in.node), -EINVAL,
	       "remove_instance of an unlinked node");
	cpuhp_remove_state_nocalls(hp, 160);

	is_int(cpuhp_setup_state_multi(hp, 161, "test:multi", inst_startup,
				       inst_teardown),
	       0, "multi state at 161");
	is_int(cpuhp_state_add_instance(hp, 161, NULL), -EINVAL, "NULL node");
	is_int(cpuhp_state_add_instance_nocalls(hp, 161, &in.node), 0, "add node");
	is_int(cpuhp_state_add_instance_nocalls(hp, 161, &in.node), -EINVAL,
	       "add the same node again");
	is_int(cpuhp_state_remove_instance(hp, 162, &in.node), -EINVAL,
	       "remove_instance from another state");
	is_int(cpuhp_state_remove_instance_nocalls(hp, CPUHP_ONLINE, &in.node), -EINVAL,
	       "remove_instance from ONLINE");
	is_int(cpuhp_state_remove_instance_nocalls(hp, 161, &in.node), 0, "remove node");
	ok(in.node.pprev == NULL && in.node.next == NULL, "node unlinked");
	is_int(cpuhp_remove_multi_state(hp, 161), 0, "remove multi state");
	is_str(log_str(), "", "no callback ran for nocalls calls");
}

static void eperm(struct cpuhp *hp)
{
	struct probe p = PROBE("p");
	struct inst in = INST("i");

	log_reset();
	ok(!cpuhp_cpus_read_held(hp), "read lock not held");
	is_int(cpuhp_setup_state_cpuslocked(hp, 160, "test:x", rec_startup, NULL, &p),
	       -EPERM, "setup_cpuslocked without the lock");
	is_int(cpuhp_setup_state_nocalls_cpuslocked(hp, 160, "test:x", NULL, NULL, NULL),
	       -EPERM, "setup_nocalls_cpuslocked without the lock");
	is_int(cpuhp_remove_state_nocalls_cpuslocked(hp, 160), -EPERM,
	       "remove_nocalls_cpuslocked without the lock");
	is_int(cpuhp_state_add_instance_nocalls_cpuslocked(hp, 160, &in.node), -EPERM,
	       "add_instance_nocalls_cpuslocked without the lock");
	ok(cpuhp_state_name(hp, 160) == NULL, "nothing registered");

	cpuhp_cpus_read_lock(hp);
	is_int(cpuhp_setup_state_cpuslocked(hp, 160, "test:locked", rec_startup,
					    rec_teardown, &p),
	       0, "setup_cpuslocked with the lock");
	is_int(cpuhp_setup_state_nocalls_cpuslocked(hp, CPUHP_AP_ONLINE_DYN, "test:dyn",
						    NULL, NULL, NULL),
	       CPUHP_AP_ONLINE_DYN, "dynamic setup_nocalls_cpuslocked with the lock");
	is_int(cpuhp_remove_state_nocalls_cpuslocked(hp, CPUHP_AP_ONLINE_DYN), 0,
	       "remove_nocalls_cpuslocked with the lock");
	is_int(cpuhp_setup_state_multi(hp, 161, "test:multi", inst_startup,
				       inst_teardown),
	       0, "multi setup nests in the read lock");
	is_int(cpuhp_state_add_instance_nocalls_cpuslocked(hp, 161, &in.node), 0,
	       "add_instance_nocalls_cpuslocked with the lock");
	cpuhp_cpus_read_unlock(hp);
	is_str(log_str(), "S:p@0 S:p@1 S:p@2 S:p@3",
	       "cpuslocked setup invoked the startups");
	is_int(cpuhp_state_remove_instance_nocalls(hp, 161, &in.node), 0,
	       "remove instance");
	is_int(cpuhp_remove_multi_state(hp, 161), 0, "remove multi");
	is_int(cpuhp_remove_state_nocalls(hp, 160), 0, "remove 160");
}

/* Registration calls made from inside a startup callback. */
struct nested {
	int setup, remove, add, remove_inst;
	unsigned int cpu;
};

static int nested_startup(struct cpuhp *hp, unsigned int cpu, void *data)
{
	struct nested *n = data;
	struct inst in = INST("x");

	if (cpu != n->cpu)
		return 0;
	n->setup = cpuhp_setup_state_nocalls(hp, 170, "test:nested", NULL, NULL, NULL);
	n->remove = cpuhp_remove_state_nocalls(hp, 170);
	n->add = cpuhp_state_add_instance_nocalls(hp, 171, &in.node);
	n->remove_inst = cpuhp_state_remove_instance_nocalls(hp, 171, &in.node);
	return 0;
}

static void edeadlk(struct cpuhp *hp, int state, unsigned int cpu, const char *where)
{
	struct nested n = { .cpu = cpu };
	unsigned long warns = cpuhp_warn_count(hp);

	is_int(cpuhp_setup_state_multi(hp, 171, "test:m171", inst_startup, NULL), 0,
	       "%s: multi state 171", where);
	is_int(cpuhp_setup_state(hp, state, "test:outer", nested_startup, NULL, &n), 0,
	       "%s: outer setup succeeds", where);
	is_int(n.setup, -EDEADLK, "%s: setup from a callback -> -EDEADLK", where);
	is_int(n.remove, -EDEADLK, "%s: remove from a callback -> -EDEADLK", where);
	is_int(n.add, -EDEADLK, "%s: add_instance from a callback -> -EDEADLK", where);
	is_int(n.remove_inst, -EDEADLK, "%s: remove_instance from a callback -> -EDEADLK",
	       where);
	is_int(cpuhp_warn_count(hp), warns + 4, "%s: each one WARNed", where);
	ok(cpuhp_state_name(hp, 170) == NULL, "%s: nested setup changed nothing", where);
	is_int(cpuhp_remove_state_nocalls(hp, state), 0, "%s: remove outer", where);
	is_int(cpuhp_remove_multi_state(hp, 171), 0, "%s: remove 171", where);
}

static void state_of(struct cpuhp *hp)
{
	is_int(cpuhp_state_of(hp, CPUHP_OFFLINE), 0, "state_of OFFLINE");
	is_int(cpuhp_state_of(hp, CPUHP_BP_PREPARE_DYN), 64, "state_of BP_PREPARE_DYN");
	is_int(cpuhp_state_of(hp, CPUHP_BP_PREPARE_DYN_END), 84,
	       "state_of BP_PREPARE_DYN_END");
	is_int(cpuhp_state_of(hp, CPUHP_BP_KICK_AP), 85,
	       "state_of BP_KICK_AP (mainline)");
	is_int(cpuhp_state_of(hp, CPUHP_BRINGUP_CPU), 86, "state_of BRINGUP_CPU");
	is_int(cpuhp_state_of(hp, CPUHP_AP_ONLINE), 144, "state_of AP_ONLINE");
	is_int(cpuhp_state_of(hp, CPUHP_TEARDOWN_CPU), 145, "state_of TEARDOWN_CPU");
	is_int(cpuhp_state_of(hp, CPUHP_AP_ONLINE_DYN), 192, "state_of AP_ONLINE_DYN");
	is_int(cpuhp_state_of(hp, CPUHP_AP_ONLINE_DYN_END), 232,
	       "state_of AP_ONLINE_DYN_END");
	is_int(cpuhp_state_of(hp, CPUHP_AP_ACTIVE), 235, "state_of AP_ACTIVE");
	is_int(cpuhp_state_of(hp, CPUHP_ONLINE), 236, "state_of ONLINE");
	is_int(cpuhp_state_of(hp, CPUHP_INVALID), -EINVAL, "state_of INVALID");
	is_int(cpuhp_state_of(hp, (enum cpuhp_state)65), -EINVAL,
	       "state_of a non-boundary");

	is_int(cpuhp_state_of(NULL, CPUHP_ONLINE), -EINVAL, "state_of without a machine");

	is_str(cpuhp_state_name(hp, CPUHP_AP_ACTIVE), "sched:active", "name of 235");
	is_str(cpuhp_state_name(hp, CPUHP_BRINGUP_CPU), "cpu:bringup", "name of 86");
	ok(cpuhp_state_name(hp, CPUHP_AP_ONLINE_IDLE) == NULL,
	   "AP_ONLINE_IDLE is a hole");
	ok(cpuhp_state_name(hp, -1) == NULL, "name of -1");
	ok(cpuhp_state_name(hp, CPUHP_ONLINE + 1) == NULL, "name of ONLINE+1");
	ok(cpuhp_state_name(NULL, 1) == NULL, "name without a machine");
}

/* The machine argument is checked like the others. */
static void no_machine(void)
{
	struct inst in = INST("i");

	is_int(cpuhp_setup_state(NULL, 160, "test:x", NULL, NULL, NULL), -EINVAL,
	       "setup");
	is_int(cpuhp_setup_state_multi(NULL, 160, "test:x", NULL, NULL), -EINVAL,
	       "setup_multi");
	is_int(cpuhp_remove_state(NULL, 160), -EINVAL, "remove");
	is_int(cpuhp_state_add_instance(NULL, 160, &in.node), -EINVAL, "add_instance");
	is_int(cpuhp_state_remove_instance(NULL, 160, &in.node), -EINVAL,
	       "remove_instance");
	is_int(cpuhp_fail_set(NULL, 0, -1), -EINVAL, "fail_set");
	is_int(cpuhp_fail_get(NULL, 0), -EINVAL, "fail_get");
	cpuhp_trace_set_fn(NULL, NULL, NULL);
	pass("trace_set_fn ignores a NULL machine");
}

int main(void)
{
	struct cpuhp *hp;

	plan_no_plan();
	hp = machine();
	einval(hp);
	eperm(hp);
	is_int(cpuhp_warn_count(hp), 0, "no WARN so far");
	edeadlk(hp, 20, 2, "PREPARE callback");
	edeadlk(hp, 160, 3, "ONLINE callback");
	state_of(hp);
	no_machine();
	cpuhp_free(hp);
	return done_testing();
}
