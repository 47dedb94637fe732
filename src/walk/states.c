// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * states.c - the state registration API: setup, removal, instances.
 *
 * Lock order: cpus read lock, then hp->state_mutex.  Install and remove
 * invocations run while both are held, on every present CPU at or above the
 * state in ascending order (AP states: on all those CPUs' threads at once,
 * see concurrent()); a failed install is rolled back before the slot is
 * freed, and removal-time teardowns never stop a removal.
 */
#include <stdlib.h>

#include "check/check.h"
#include "machine/log.h"
#include "model/model.h"
#include "walk/walk.h"

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

/*
 * The non-_cpuslocked variants take the (nesting) read lock themselves;
 * the test-only switch test_states_unlocked drops it on purpose, so that
 * the schedule explorer's self-test has a real race to find.
 */
static void read_lock(struct cpuhp *hp, bool held)
{
	if (!held && !hp->kc.test_states_unlocked)
		cpuhp_cpus_read_lock(hp);
}

static void read_unlock(struct cpuhp *hp, bool held)
{
	if (!held && !hp->kc.test_states_unlocked)
		cpuhp_cpus_read_unlock(hp);
}

/* The CPUs an install or remove invocation is issued for. */
static bool in_set(const struct cpuhp *hp, unsigned int cpu, int state)
{
	return cpuhp_cpu_present(hp, cpu) && cpuhp_cpu_state(hp, cpu) >= state;
}

static void warn_teardown(struct cpuhp *hp, unsigned int cpu, int state, int ret)
{
	CPUHP_WARN(hp, "CPU%u: teardown of state %d failed (%d); it must not fail", cpu,
		   state, ret);
}

/*
 * Zoo switch bug_calls_unserialized (docs/bug-zoo.md): before "cpu/hotplug:
 * Serialize callback invocations proper" (v4.11) the state mutex guarded
 * the step table only, and setup, removal and the instance calls ran their
 * callbacks on the CPUs outside it, so two such operations could interleave
 * their calls.  The switch drops the mutex for the calls (calls_begin/end)
 * and takes it back around each single call (issue_call): the hand-off to a
 * CPU's thread stays whole, where the kernel could also corrupt it.
 */
static void calls_begin(struct cpuhp *hp)
{
	if (hp->kc.bug_calls_unserialized)
		cpuhp__state_mutex_unlock(hp);
}

static void calls_end(struct cpuhp *hp)
{
	if (hp->kc.bug_calls_unserialized)
		cpuhp__state_mutex_lock(hp);
}

/* The kernel's cpuhp_issue_call(); a failing teardown there is a BUG. */
static int issue_call(struct cpuhp *hp, unsigned int cpu, int state, bool bringup,
		      struct cpuhp_node *node)
{
	int ret;

	if (cpuhp__step_empty(cpuhp__step(hp, state), bringup))
		return 0;
	calls_end(hp);
	if (cpuhp__is_ap_state(hp, state))
		ret = cpuhp__invoke_ap_callback(hp, cpu, state, bringup, node);
	else
		ret = cpuhp__invoke_callback(hp, cpu, state, bringup, node, NULL);
	if (ret && !bringup)
		warn_teardown(hp, cpu, state, ret);
	calls_begin(hp);
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

/*
 * Concurrent dispatch (docs/performance.md): the callbacks of an AP state
 * run on the CPUs' own threads, so the control thread can hand the work to
 * every CPU of the set before waiting for any, instead of one round trip
 * per CPU.  That changes the global order of the calls (each CPU still sees
 * its own calls in order), so it is used where it pays: sets of at least
 * CONCURRENT_MIN CPUs, or always with CPUHP_CONFIG_CONCURRENT_SETUP; small
 * machines keep the kernel's exact order, and with it traces that compare
 * with a real kernel's.  PREPARE states run on the control thread and stay
 * serial, as does everything with CPUHP_CONFIG_SERIAL_SETUP.
 */
#define CONCURRENT_MIN 64

static bool concurrent(struct cpuhp *hp, int state, bool bringup)
{
	unsigned int cpu, n = 0;

	/* The ledger and a trace sink expect the kernel's order, one call at a time. */
	if ((hp->cfg_flags & CPUHP_CONFIG_SERIAL_SETUP) || cpuhp__ledger(hp) ||
	    hp->trace_fn || hp->kc.bug_calls_unserialized ||
	    !cpuhp__is_ap_state(hp, state) ||
	    cpuhp__step_empty(cpuhp__step(hp, state), bringup))
		return false;
	if (hp->cfg_flags & CPUHP_CONFIG_CONCURRENT_SETUP)
		return true;
	for (cpu = 0; cpu < hp->nr_possible && n < CONCURRENT_MIN; cpu++)
		n += in_set(hp, cpu, state);
	return n >= CONCURRENT_MIN;
}

/*
 * Run @state's callback (or @node's) on every CPU of the set at once and
 * leave each CPU's result in @res.  Return: false if @res could not be
 * had (no memory): the caller goes serial.
 */
static bool dispatch_all(struct cpuhp *hp, int state, bool bringup,
			 struct cpuhp_node *node, int *res)
{
	unsigned int cpu, n = hp->nr_possible;
	bool *posted = calloc(n, sizeof(*posted));

	if (!posted)
		return false;
	for (cpu = 0; cpu < n; cpu++)
		if (in_set(hp, cpu, state))
			posted[cpu] = cpuhp__ap_callback_start(hp, cpu, state, bringup,
							       node, &res[cpu]);
	/* Collected in CPU order; each CPU's thread ran its call on its own. */
	for (cpu = 0; cpu < n; cpu++)
		if (posted[cpu])
			res[cpu] = cpuhp__ap_callback_finish(hp, cpu);
	free(posted);
	return true;
}

/*
 * The concurrent install.  All CPUs of the set run their startup at once,
 * so "the CPU that failed" is the lowest-numbered CPU whose startup failed:
 * its error is returned, and the CPUs below it are torn down in ascending
 * order, as the kernel's serial loop does.  CPUs above it whose startup ran
 * only because of the concurrency are torn down as well, so the end result
 * (the state installed on no CPU, the same error) is the kernel's.
 * Return: 0, the error, or 1 if it could not run (use the serial install).
 */
static int install_concurrent(struct cpuhp *hp, int state, struct cpuhp_node *node)
{
	unsigned int cpu, first, n = hp->nr_possible;
	int *res = calloc(n, sizeof(*res)), ret = 0;

	if (!res || !dispatch_all(hp, state, true, node, res)) {
		free(res);
		return 1;
	}
	for (first = 0; first < n && !ret; first++)
		ret = in_set(hp, first, state) ? res[first] : 0;
	if (ret) {
		first--;
		teardown_below(hp, first, state, node);
		for (cpu = first + 1; cpu < n; cpu++)
			if (in_set(hp, cpu, state) && !res[cpu])
				issue_call(hp, cpu, state, false, node);
	}
	free(res);
	return ret;
}

/* Tear @state (or @node) down on every CPU of the set (removal). */
static void teardown_all(struct cpuhp *hp, int state, struct cpuhp_node *node)
{
	unsigned int cpu, n = hp->nr_possible;
	int *res;

	if (!concurrent(hp, state, false)) {
		teardown_below(hp, n, state, node);
		return;
	}
	res = calloc(n, sizeof(*res));
	if (!res || !dispatch_all(hp, state, false, node, res)) {
		free(res);
		teardown_below(hp, n, state, node);
		return;
	}
	for (cpu = 0; cpu < n; cpu++)
		if (res[cpu])
			warn_teardown(hp, cpu, state, res[cpu]);
	free(res);
}

/* Start @state (or @node) on every CPU in the set; undo them all on failure. */
static int install(struct cpuhp *hp, int state, struct cpuhp_node *node)
{
	unsigned int cpu;
	int ret;

	if (concurrent(hp, state, true)) {
		ret = install_concurrent(hp, state, node);
		if (ret != 1)
			return ret;
	}

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
	cpuhp__state_mutex_lock(hp);
	CPUHP_LEDGER_OP(hp, LEDGER_OP_SETUP, 0, state, NULL, invoke);
	ret = cpuhp__store_callbacks(hp, state, desc);
	if (ret < 0 || skips_install(hp, state, ret))
		goto out_unlock;
	if (ret > 0)
		state = ret;
	if (!invoke || desc->multi_instance || !desc->startup)
		goto out_unlock;
	calls_begin(hp);
	err = install(hp, state, NULL);
	calls_end(hp);
	if (err) {
		cpuhp__clear_step(hp, state);
		ret = err;
	}
out_unlock:
	CPUHP_LEDGER_END(hp, ret);
	cpuhp__state_mutex_unlock(hp);
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

/*
 * Bug zoo (bug_dyn_remove, v4.7..v4.15): the removal of a dynamic base
 * number reserved the lowest free slot of its range and cleared that one,
 * so the slot handed out by the setup kept its name and callbacks.
 */
static int zoo_dyn_remove_slot(struct cpuhp *hp, int state)
{
	int end, s;

	if (!hp->kc.bug_dyn_remove)
		return state;
	if (state == hp->b.prepare_dyn)
		end = hp->b.prepare_dyn_end;
	else if (state == hp->b.online_dyn)
		end = hp->b.online_dyn_end;
	else
		return state;
	for (s = state; s <= end; s++)
		if (!cpuhp__step(hp, s)->name)
			return s;
	return state;
}

static int remove_locked(struct cpuhp *hp, int state, bool invoke)
{
	struct cpuhp_step *sp;

	/* The kernel BUGs on a bad number; we refuse it. */
	if (!cb_check(hp, state))
		return -EINVAL;
	cpuhp__state_mutex_lock(hp);
	CPUHP_LEDGER_OP(hp, LEDGER_OP_REMOVE, 0, state, NULL, invoke);
	sp = cpuhp__step(hp, state);
	/* Instances are never called on removal; leftovers are dropped. */
	if (sp->multi_instance) {
		if (sp->list)
			CPUHP_WARN(hp,
				   "Error: Removing state %d which has instances left.",
				   state);
	} else if (invoke) {
		calls_begin(hp);
		teardown_all(hp, state, NULL);
		calls_end(hp);
	}
	cpuhp__store_callbacks(hp, zoo_dyn_remove_slot(hp, state), NULL);
	CPUHP_LEDGER_END(hp, 0);
	cpuhp__state_mutex_unlock(hp);
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
	cpuhp__state_mutex_lock(hp);
	sp = cpuhp__step(hp, state);
	if (!sp->multi_instance)
		goto out_unlock;
	CPUHP_LEDGER_OP(hp, LEDGER_OP_ADD_INSTANCE, 0, state, node, invoke);
	if (invoke) {
		calls_begin(hp);
		ret = install(hp, state, node);
		calls_end(hp);
	} else {
		ret = 0;
	}
	if (!ret)
		link_head(sp, node);
	CPUHP_LEDGER_END(hp, ret);
out_unlock:
	cpuhp__state_mutex_unlock(hp);
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

	cpuhp__state_mutex_lock(hp);
	sp = cpuhp__step(hp, state);
	if (!sp->multi_instance || !on_list(sp, node))
		goto out_unlock;
	CPUHP_LEDGER_OP(hp, LEDGER_OP_REMOVE_INSTANCE, 0, state, node, invoke);
	if (invoke) {
		calls_begin(hp);
		teardown_all(hp, state, node);
		calls_end(hp);
	}
	unlink_node(node);
	ret = 0;
	CPUHP_LEDGER_END(hp, ret);
out_unlock:
	cpuhp__state_mutex_unlock(hp);
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
