// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * states.c - the state registration API: setup, removal, instances.
 *
 * Lock order: cpus read lock, then hp->state_mutex.  Install and remove
 * invocations run while both are held, on every present CPU at or above the
 * state in ascending order; a failed install is rolled back before the slot
 * is freed, and removal-time teardowns never stop a removal.
 */
#include "internal.h"

/* The kernel's cpuhp_cb_check(): strictly between OFFLINE and ONLINE. */
static bool cb_check(const struct cpuhp *hp, int state)
{
	return state > hp->b.offline && state < hp->b.online;
}

/* Registration from a callback would wait on the operation that runs it. */
static bool from_callback(struct cpuhp *hp, const char *what)
{
	if (!cpuhp__in_callback(hp))
		return false;
	CPUHP_WARN(hp, "%s called from a hotplug callback", what);
	return true;
}

static int enter_api(struct cpuhp *hp, const char *what, bool cpuslocked)
{
	if (!hp)
		return -EINVAL;
	if (from_callback(hp, what))
		return -EDEADLK;
	if (cpuslocked && !cpuhp_cpus_read_held(hp))
		return -EPERM;
	return 0;
}

/* The non-_cpuslocked variants take the (nesting) read lock themselves. */
static void read_lock(struct cpuhp *hp, bool held)
{
	if (!held)
		cpuhp_cpus_read_lock(hp);
}

static void read_unlock(struct cpuhp *hp, bool held)
{
	if (!held)
		cpuhp_cpus_read_unlock(hp);
}

static void lock_state(struct cpuhp *hp)
{
	int err = pthread_mutex_lock(&hp->state_mutex);

	if (err)
		cpuhp_die(err);
}

static void unlock_state(struct cpuhp *hp)
{
	int err = pthread_mutex_unlock(&hp->state_mutex);

	if (err)
		cpuhp_die(err);
}

/* The CPUs an install or remove invocation is issued for. */
static bool in_set(const struct cpuhp *hp, unsigned int cpu, int state)
{
	return cpuhp_cpu_present(hp, cpu) && cpuhp_cpu_state(hp, cpu) >= state;
}

/* The kernel's cpuhp_issue_call(); a failing teardown there is a BUG. */
static int issue_call(struct cpuhp *hp, unsigned int cpu, int state, bool bringup,
		      struct cpuhp_node *node)
{
	int ret;

	if (cpuhp__step_empty(cpuhp__step(hp, state), bringup))
		return 0;
	if (cpuhp__is_ap_state(hp, state))
		ret = cpuhp__invoke_ap_callback(hp, cpu, state, bringup, node);
	else
		ret = cpuhp__invoke_callback(hp, cpu, state, bringup, node, NULL);
	if (ret && !bringup)
		CPUHP_WARN(hp,
			   "CPU%u: teardown of state %d failed (%d); it must not fail",
			   cpu, state, ret);
	return ret;
}

/* Tear @state (or one @node of it) down on the CPUs below @end, ascending. */
static void teardown_below(struct cpuhp *hp, unsigned int end, int state,
			   struct cpuhp_node *node)
{
	unsigned int cpu;

	for (cpu = 0; cpu < end; cpu++)
		if (in_set(hp, cpu, state))
			issue_call(hp, cpu, state, false, node);
}

/* Start @state (or @node) on every CPU in the set; undo them all on failure. */
static int install(struct cpuhp *hp, int state, struct cpuhp_node *node)
{
	unsigned int cpu;
	int ret;

	for (cpu = 0; cpu < hp->nr_possible; cpu++) {
		if (!in_set(hp, cpu, state))
			continue;
		ret = issue_call(hp, cpu, state, true, node);
		if (ret) {
			teardown_below(hp, cpu, state, node);
			return ret;
		}
	}
	return 0;
}

/*
 * Before the 2024 fix a PREPARE_DYN request was not seen as dynamic, so the
 * positive slot took the error exit: no startups, slot still returned.
 */
static bool skips_install(const struct cpuhp *hp, int request, int ret)
{
	return ret > 0 && request == hp->b.prepare_dyn && !hp->kc.prepare_dyn_invokes;
}

static int setup_locked(struct cpuhp *hp, int state, const struct cpuhp_step_desc *desc,
			bool invoke)
{
	int ret, err;

	if (!cb_check(hp, state) || !desc || !desc->name)
		return -EINVAL;
	lock_state(hp);
	CPUHP_LEDGER_OP(hp, LEDGER_OP_SETUP, 0, state, NULL, invoke);
	ret = cpuhp__store_callbacks(hp, state, desc);
	if (ret < 0 || skips_install(hp, state, ret))
		goto out_unlock;
	if (ret > 0)
		state = ret;
	if (!invoke || desc->multi_instance || !desc->startup)
		goto out_unlock;
	err = install(hp, state, NULL);
	if (err) {
		cpuhp__clear_step(hp, state);
		ret = err;
	}
out_unlock:
	CPUHP_LEDGER_END(hp, ret);
	unlock_state(hp);
	return ret;
}

int cpuhp_setup_state_desc(struct cpuhp *hp, int state,
			   const struct cpuhp_step_desc *desc, unsigned int flags)
{
	bool cpuslocked = flags & CPUHP_F_CPUSLOCKED;
	int ret;

	ret = enter_api(hp, "cpuhp_setup_state", cpuslocked);
	if (ret)
		return ret;
	if (flags & ~(CPUHP_F_NOCALLS | CPUHP_F_CPUSLOCKED))
		return -EINVAL;
	read_lock(hp, cpuslocked);
	ret = setup_locked(hp, state, desc, !(flags & CPUHP_F_NOCALLS));
	read_unlock(hp, cpuslocked);
	return ret;
}

static int setup_single(struct cpuhp *hp, int state, const char *name,
			cpuhp_cb_fn startup, cpuhp_cb_fn teardown, void *data,
			unsigned int flags)
{
	struct cpuhp_step_desc desc = {
		.name = name,
		.startup = startup,
		.teardown = teardown,
		.data = data,
	};

	return cpuhp_setup_state_desc(hp, state, &desc, flags);
}

int cpuhp_setup_state(struct cpuhp *hp, int state, const char *name, cpuhp_cb_fn startup,
		      cpuhp_cb_fn teardown, void *data)
{
	return setup_single(hp, state, name, startup, teardown, data, 0);
}

int cpuhp_setup_state_nocalls(struct cpuhp *hp, int state, const char *name,
			      cpuhp_cb_fn startup, cpuhp_cb_fn teardown, void *data)
{
	return setup_single(hp, state, name, startup, teardown, data, CPUHP_F_NOCALLS);
}

int cpuhp_setup_state_cpuslocked(struct cpuhp *hp, int state, const char *name,
				 cpuhp_cb_fn startup, cpuhp_cb_fn teardown, void *data)
{
	return setup_single(hp, state, name, startup, teardown, data, CPUHP_F_CPUSLOCKED);
}

int cpuhp_setup_state_nocalls_cpuslocked(struct cpuhp *hp, int state, const char *name,
					 cpuhp_cb_fn startup, cpuhp_cb_fn teardown,
					 void *data)
{
	return setup_single(hp, state, name, startup, teardown, data,
			    CPUHP_F_NOCALLS | CPUHP_F_CPUSLOCKED);
}

int cpuhp_setup_state_multi(struct cpuhp *hp, int state, const char *name,
			    cpuhp_multi_cb_fn startup, cpuhp_multi_cb_fn teardown)
{
	struct cpuhp_step_desc desc = {
		.name = name,
		.multi_startup = startup,
		.multi_teardown = teardown,
		.multi_instance = 1,
	};

	return cpuhp_setup_state_desc(hp, state, &desc, CPUHP_F_NOCALLS);
}

static int remove_locked(struct cpuhp *hp, int state, bool invoke)
{
	struct cpuhp_step *sp;

	/* The kernel BUGs on a bad number; we refuse it. */
	if (!cb_check(hp, state))
		return -EINVAL;
	lock_state(hp);
	CPUHP_LEDGER_OP(hp, LEDGER_OP_REMOVE, 0, state, NULL, invoke);
	sp = cpuhp__step(hp, state);
	/* Instances are never called on removal; leftovers are dropped. */
	if (sp->multi_instance) {
		if (sp->list)
			CPUHP_WARN(hp,
				   "Error: Removing state %d which has instances left.",
				   state);
	} else if (invoke) {
		teardown_below(hp, hp->nr_possible, state, NULL);
	}
	cpuhp__store_callbacks(hp, state, NULL);
	CPUHP_LEDGER_END(hp, 0);
	unlock_state(hp);
	return 0;
}

static int remove_state(struct cpuhp *hp, int state, bool invoke, bool cpuslocked)
{
	int ret;

	ret = enter_api(hp, "cpuhp_remove_state", cpuslocked);
	if (ret)
		return ret;
	read_lock(hp, cpuslocked);
	ret = remove_locked(hp, state, invoke);
	read_unlock(hp, cpuslocked);
	return ret;
}

int cpuhp_remove_state(struct cpuhp *hp, int state)
{
	return remove_state(hp, state, true, false);
}

int cpuhp_remove_state_nocalls(struct cpuhp *hp, int state)
{
	return remove_state(hp, state, false, false);
}

int cpuhp_remove_state_nocalls_cpuslocked(struct cpuhp *hp, int state)
{
	return remove_state(hp, state, false, true);
}

int cpuhp_remove_multi_state(struct cpuhp *hp, int state)
{
	return remove_state(hp, state, false, false);
}

/* hlist_add_head(): instances are called most recent first. */
static void link_head(struct cpuhp_step *sp, struct cpuhp_node *node)
{
	node->next = sp->list;
	if (sp->list)
		sp->list->pprev = &node->next;
	sp->list = node;
	node->pprev = &sp->list;
}

/* hlist_del_init(): an unlinked node has pprev NULL. */
static void unlink_node(struct cpuhp_node *node)
{
	*node->pprev = node->next;
	if (node->next)
		node->next->pprev = node->pprev;
	node->next = NULL;
	node->pprev = NULL;
}

static bool on_list(const struct cpuhp_step *sp, const struct cpuhp_node *node)
{
	const struct cpuhp_node *n;

	for (n = sp->list; n; n = n->next)
		if (n == node)
			return true;
	return false;
}

static int add_instance_locked(struct cpuhp *hp, int state, struct cpuhp_node *node,
			       bool invoke)
{
	struct cpuhp_step *sp;
	int ret = -EINVAL;

	if (!cb_check(hp, state) || !node || node->pprev)
		return -EINVAL;
	lock_state(hp);
	sp = cpuhp__step(hp, state);
	if (!sp->multi_instance)
		goto out_unlock;
	CPUHP_LEDGER_OP(hp, LEDGER_OP_ADD_INSTANCE, 0, state, node, invoke);
	ret = invoke ? install(hp, state, node) : 0;
	if (!ret)
		link_head(sp, node);
	CPUHP_LEDGER_END(hp, ret);
out_unlock:
	unlock_state(hp);
	return ret;
}

static int add_instance(struct cpuhp *hp, int state, struct cpuhp_node *node, bool invoke,
			bool cpuslocked)
{
	int ret;

	ret = enter_api(hp, "cpuhp_state_add_instance", cpuslocked);
	if (ret)
		return ret;
	read_lock(hp, cpuslocked);
	ret = add_instance_locked(hp, state, node, invoke);
	read_unlock(hp, cpuslocked);
	return ret;
}

int cpuhp_state_add_instance(struct cpuhp *hp, int state, struct cpuhp_node *node)
{
	return add_instance(hp, state, node, true, false);
}

int cpuhp_state_add_instance_nocalls(struct cpuhp *hp, int state, struct cpuhp_node *node)
{
	return add_instance(hp, state, node, false, false);
}

int cpuhp_state_add_instance_nocalls_cpuslocked(struct cpuhp *hp, int state,
						struct cpuhp_node *node)
{
	return add_instance(hp, state, node, false, true);
}

static int remove_instance_locked(struct cpuhp *hp, int state, struct cpuhp_node *node,
				  bool invoke)
{
	struct cpuhp_step *sp;
	int ret = -EINVAL;

	lock_state(hp);
	sp = cpuhp__step(hp, state);
	if (!sp->multi_instance || !on_list(sp, node))
		goto out_unlock;
	CPUHP_LEDGER_OP(hp, LEDGER_OP_REMOVE_INSTANCE, 0, state, node, invoke);
	if (invoke)
		teardown_below(hp, hp->nr_possible, state, node);
	unlink_node(node);
	ret = 0;
	CPUHP_LEDGER_END(hp, ret);
out_unlock:
	unlock_state(hp);
	return ret;
}

/* There is no _cpuslocked variant: it always takes the read lock itself. */
static int remove_instance(struct cpuhp *hp, int state, struct cpuhp_node *node,
			   bool invoke)
{
	int ret;

	ret = enter_api(hp, "cpuhp_state_remove_instance", false);
	if (ret)
		return ret;
	if (!cb_check(hp, state) || !node || !node->pprev)
		return -EINVAL;
	cpuhp_cpus_read_lock(hp);
	ret = remove_instance_locked(hp, state, node, invoke);
	cpuhp_cpus_read_unlock(hp);
	return ret;
}

int cpuhp_state_remove_instance(struct cpuhp *hp, int state, struct cpuhp_node *node)
{
	return remove_instance(hp, state, node, true);
}

int cpuhp_state_remove_instance_nocalls(struct cpuhp *hp, int state,
					struct cpuhp_node *node)
{
	return remove_instance(hp, state, node, false);
}
