// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * fault.c - arming the kernel's one-shot "cpuN/hotplug/fail" injection.
 *
 * Only the store rules live here; the walker fires and disarms st->fail
 * (cpuhp__invoke_callback), so an armed value is always one this file
 * accepted, or CPUHP_INVALID.
 */
#include "model/model.h"
#include "walk/walk.h"

static bool step_has_callback(struct cpuhp *hp, int state)
{
	const struct cpuhp_step *sp = cpuhp__step(hp, state);

	return !cpuhp__step_empty(sp, true) || !cpuhp__step_empty(sp, false);
}

/* A state with neither callback can never fire: refuse it (store rule 5). */
static bool has_callback(struct cpuhp *hp, int state)
{
	bool locked = cpuhp__state_lock(hp);
	bool ret = step_has_callback(hp, state);

	cpuhp__state_unlock(hp, locked);
	return ret;
}

int cpuhp_fail_set(struct cpuhp *hp, unsigned int cpu, int state)
{
	struct cpuhp_cpu *st;

	if (!hp || !cpuhp__cpu_valid(hp, cpu))
		return -EINVAL;
	st = cpuhp__cpu(hp, cpu);
	if (state == CPUHP_INVALID)
		goto store;
	if (state < hp->b.offline || state > hp->b.online)
		return -EINVAL;
	if (cpuhp__is_atomic_state(hp, state))
		return -EINVAL;
	/* DEAD callbacks can't fail; a failing BRINGUP_CPU would wreck a rollback. */
	if (state <= hp->b.bringup_cpu && st_state(st) > hp->b.bringup_cpu)
		return -EINVAL;
	if (!has_callback(hp, state))
		return -EINVAL;
store:
	/*
	 * Relaxed: pairs with the walker's load in cpuhp__invoke_callback(); an
	 * operation started after this call sees it through the hand-off locks.
	 */
	atomic_store_explicit(&st->fail, state, memory_order_relaxed);
	return 0;
}

int cpuhp_fail_get(const struct cpuhp *hp, unsigned int cpu)
{
	if (!hp || !cpuhp__cpu_valid(hp, cpu))
		return -EINVAL;
	return atomic_load_explicit(&hp->cpus[cpu].fail, memory_order_relaxed);
}
