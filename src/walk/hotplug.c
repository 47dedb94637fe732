// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * hotplug.c - cpu up/down: the control side of an operation, the entry
 * checks, the rollback decisions, hotplug disable/enable and the device
 * core's online flag.
 *
 * Lock order (outermost first): device_lock -> add_remove_lock -> the cpus
 * write lock, held for the whole walk including the CPU thread's part ->
 * callbacks.  The walk itself lives in walker.c; this file decides where it
 * goes and what happens when it fails (spec 3.7-3.9).
 */
#include "check/check.h"
#include "machine/log.h"
#include "walk/walk.h"

static bool target_valid(const struct cpuhp *hp, int target)
{
	return target >= hp->b.offline && target <= hp->b.online;
}

/* A thread that holds the read lock or runs a callback would deadlock. */
static bool would_deadlock(struct cpuhp *hp)
{
	if (!cpuhp__in_callback(hp) && !cpuhp__read_depth(hp) && cpuhp__tctx()->hp != hp)
		return false;
	CPUHP_WARN(hp, "CPU hotplug operation from a callback or under cpus_read_lock");
	return true;
}

/**
 * cpuhp__can_rollback_cpu - may a failed bring-up be undone?
 * @hp: the machine
 * @st: the CPU's record, after cpuhp__reset_state()
 *
 * Without CONFIG_HOTPLUG_CPU nothing can take a started CPU down again, so
 * only PREPARE work (the AP never ran) is undone (the 2019 fix, spec 7.5).
 */
bool cpuhp__can_rollback_cpu(const struct cpuhp *hp, const struct cpuhp_cpu *st)
{
	/*
	 * rollback_on_control replays the kernels before the 2019 fix, which
	 * rolled back unconditionally: DYING teardowns then ran on the control
	 * thread.  Test only: the context checker must catch it.
	 */
	return hp->kc.hotplug_cpu || hp->kc.rollback_on_control ||
	       st_state(st) <= hp->b.bringup_cpu;
}

/**
 * cpuhp__up_callbacks_from - cpuhp_up_callbacks with the rollback point given
 * @hp:     the machine
 * @st:     the CPU's record
 * @prev:   where a failure rolls back to (the state the operation began at)
 * @target: how far the control thread walks
 *
 * The parallel bring-up (bringup.c) walks one operation in two pieces, so
 * the second piece rolls back to where the first began.
 *
 * Return: 0 or the error after rollback.
 */
int cpuhp__up_callbacks_from(struct cpuhp *hp, struct cpuhp_cpu *st, int prev, int target)
{
	int ret = cpuhp__invoke_range(hp, st, true, target);

	if (ret) {
		cpuhp_dbg(hp, "CPU UP failed (%d) CPU %u state %s (%d)", ret, st->cpu,
			  cpuhp__state_label(hp, st_state(st)), st_state(st));
		cpuhp__reset_state(hp, st, prev);
		if (cpuhp__can_rollback_cpu(hp, st) &&
		    cpuhp__invoke_range(hp, st, false, prev))
			CPUHP_WARN(hp, "CPU %u: rollback of a failed up did not finish",
				   st->cpu);
	}
	return ret;
}

/* cpuhp_up_callbacks: the control thread's part of a bring-up. */
static int up_callbacks(struct cpuhp *hp, struct cpuhp_cpu *st, int target)
{
	return cpuhp__up_callbacks_from(hp, st, st_state(st), target);
}

/* cpuhp_down_callbacks: the control thread's part of a teardown. */
static int down_callbacks(struct cpuhp *hp, struct cpuhp_cpu *st, int target)
{
	int prev = st_state(st);
	int ret = cpuhp__invoke_range(hp, st, false, target);

	if (ret) {
		cpuhp_dbg(hp, "CPU DOWN failed (%d) CPU %u state %s (%d)", ret, st->cpu,
			  cpuhp__state_label(hp, st_state(st)), st_state(st));
		cpuhp__reset_state(hp, st, prev);
		if (st_state(st) < prev && cpuhp__invoke_range(hp, st, true, prev))
			CPUHP_WARN(hp, "CPU %u: rollback of a failed down did not finish",
				   st->cpu);
	}
	return ret;
}

/**
 * cpuhp__cpu_up_cpuslocked - the body of the kernel's _cpu_up
 * @hp:     the machine, add_remove_lock and the cpus write lock held
 * @cpu:    a possible CPU
 * @target: a valid state
 *
 * Also run for many CPUs at once by the parallel bring-up (bringup.c).
 *
 * Return: 0 or the error after rollback.
 */
int cpuhp__cpu_up_cpuslocked(struct cpuhp *hp, unsigned int cpu, int target)
{
	struct cpuhp_cpu *st = cpuhp__cpu(hp, cpu);
	int ret = 0;

	if (!cpuhp__mask_test(&hp->present, cpu))
		return -EINVAL;
	CPUHP_LEDGER_OP(hp, LEDGER_OP_UP, cpu, target, NULL, true);
	/* Already there (or a lost race): nothing changes, not even dying. */
	if (st_state(st) >= target)
		goto out_checked;

	cpuhp__set_state(hp, st, target);
	/* The AP already runs (parked in ONLINE by a target write): hand over. */
	if (st_state(st) > hp->b.bringup_cpu) {
		ret = cpuhp__kick_ap_work(hp, cpu);
		if (ret)
			goto out_checked;
	}
	ret = up_callbacks(hp, st,
			   target < hp->b.bringup_cpu ? target : hp->b.bringup_cpu);
out_checked:
	CPUHP_LEDGER_END(hp, ret);
	return ret;
}

/**
 * cpuhp__cpu_up_locked - the kernel's _cpu_up (add_remove_lock held)
 * @hp:           the machine
 * @cpu:          a possible CPU
 * @tasks_frozen: unused by the model (suspend paths)
 * @target:       a valid state
 *
 * Also used by SMT enable and boot, which bypass cpu_up()'s checks.
 *
 * Return: 0 or the error after rollback.
 */
int cpuhp__cpu_up_locked(struct cpuhp *hp, unsigned int cpu, int tasks_frozen, int target)
{
	int ret;

	(void)tasks_frozen;
	cpuhp__cpus_write_lock(hp);
	ret = cpuhp__cpu_up_cpuslocked(hp, cpu, target);
	cpuhp__cpus_write_unlock(hp);
	return ret;
}

/**
 * cpuhp__cpu_up - the kernel's cpu_up(): entry checks, then _cpu_up
 * @hp:     the machine
 * @cpu:    the CPU
 * @target: a valid state
 *
 * Return: see cpuhp_cpu_up().
 */
int cpuhp__cpu_up(struct cpuhp *hp, unsigned int cpu, int target)
{
	int ret;

	if (!cpuhp__cpu_valid(hp, cpu)) {
		cpuhp_err(
			hp,
			"can't online cpu %u because it is not configured as may-hotadd at boot time",
			cpu);
		return -EINVAL;
	}
	cpuhp__mutex_lock(&hp->add_remove_lock);
	if (hp->hotplug_disabled)
		ret = -EBUSY;
	else if (!cpuhp__cpu_bootable(hp, cpu))
		ret = -EPERM;
	else
		ret = cpuhp__cpu_up_locked(hp, cpu, 0, target);
	cpuhp__mutex_unlock(&hp->add_remove_lock);
	return ret;
}

/* The kernel's _cpu_down (add_remove_lock held; also used by cpuhp_free). */
int cpuhp__cpu_down_locked(struct cpuhp *hp, unsigned int cpu, int target)
{
	struct cpuhp_cpu *st = cpuhp__cpu(hp, cpu);
	int prev, ret = 0;

	/* Checked without the hotplug lock, as the kernel does. */
	if (atomic_load_explicit(&hp->num_online, memory_order_relaxed) == 1)
		return -EBUSY;
	if (!cpuhp__mask_test(&hp->present, cpu))
		return -EINVAL;

	cpuhp__cpus_write_lock(hp);
	CPUHP_LEDGER_OP(hp, LEDGER_OP_DOWN, cpu, target, NULL, true);
	if (st_state(st) < target) {
		ret = -EINVAL; /* API misuse: the kernel never asks for this */
		goto out;
	}
	/* No "already there" check: state == target marks the CPU dying. */
	prev = cpuhp__set_state(hp, st, target);
	if (st_state(st) > hp->b.teardown_cpu) {
		/* The CPU thread tears the ONLINE section down to TEARDOWN_CPU. */
		st_set_target(st,
			      target > hp->b.teardown_cpu ? target : hp->b.teardown_cpu);
		ret = cpuhp__kick_ap_work(hp, cpu);
		if (ret || st_state(st) > hp->b.teardown_cpu)
			goto out;
		st_set_target(st, target);
	}
	ret = down_callbacks(hp, st, target);
	if (ret && st_state(st) < prev) {
		if (st_state(st) == hp->b.teardown_cpu &&
		    hp->kc.bug_takedown_no_rollback) {
			/* Bug zoo: before v4.8 a refused takedown left the CPU at
			 * TEARDOWN_CPU with its ONLINE section torn down. */
		} else if (st_state(st) == hp->b.teardown_cpu) {
			/* takedown refused: the CPU thread walks back up to prev. */
			cpuhp__reset_state(hp, st, prev);
			cpuhp__kick_ap_raw(st);
		} else {
			CPUHP_WARN(hp, "DEAD callback error for CPU%u", cpu);
		}
	}
out:
	CPUHP_LEDGER_END(hp, ret);
	cpuhp__cpus_write_unlock(hp);
	return ret;
}

/**
 * cpuhp__cpu_down_maps_locked - the kernel's cpu_down_maps_locked
 * @hp:     the machine
 * @cpu:    a possible CPU
 * @target: a valid state
 *
 * Return: see cpuhp_cpu_down().
 */
int cpuhp__cpu_down_maps_locked(struct cpuhp *hp, unsigned int cpu, int target)
{
	if (!hp->kc.hotplug_cpu)
		return -EOPNOTSUPP;
	if (hp->hotplug_disabled)
		return -EBUSY;
	/* 6.1.y: the control side runs in a kworker (work_on_cpu), see worker.c. */
	if (hp->kc.down_in_worker)
		return cpuhp__cpu_down_in_worker(hp, cpu, target);
	return cpuhp__cpu_down_locked(hp, cpu, target);
}

int cpuhp__cpu_down(struct cpuhp *hp, unsigned int cpu, int target)
{
	int ret;

	cpuhp__mutex_lock(&hp->add_remove_lock);
	ret = cpuhp__cpu_down_maps_locked(hp, cpu, target);
	cpuhp__mutex_unlock(&hp->add_remove_lock);
	return ret;
}

int cpuhp_cpu_up(struct cpuhp *hp, unsigned int cpu, int target)
{
	if (!hp || !target_valid(hp, target))
		return -EINVAL;
	if (would_deadlock(hp))
		return -EDEADLK;
	return cpuhp__cpu_up(hp, cpu, target);
}

int cpuhp_cpu_down(struct cpuhp *hp, unsigned int cpu, int target)
{
	if (!hp || !target_valid(hp, target) || !cpuhp__cpu_valid(hp, cpu))
		return -EINVAL;
	if (would_deadlock(hp))
		return -EDEADLK;
	return cpuhp__cpu_down(hp, cpu, target);
}

/* ---- the device core: cpuN/online and its flag ---- */

static bool cpu_hotpluggable(const struct cpuhp *hp, unsigned int cpu)
{
	return cpu != 0 || hp->kc.boot_cpu_hotpluggable;
}

/**
 * cpuhp__device_online - device_online() for a CPU device
 * @hp:  the machine
 * @cpu: a possible CPU
 *
 * Flag-based: a device already marked online is a successful no-op, even if
 * a target write took the CPU down behind the device core's back.
 *
 * Return: 0 or the cpu_up() error.
 */
int cpuhp__device_online(struct cpuhp *hp, unsigned int cpu)
{
	struct cpuhp_cpu *st = cpuhp__cpu(hp, cpu);
	int ret = 0;

	cpuhp__mutex_lock(&hp->device_lock);
	if (atomic_load_explicit(&st->dev_offline, memory_order_relaxed)) {
		ret = cpuhp__cpu_up(hp, cpu, hp->b.online);
		if (!ret)
			atomic_store_explicit(&st->dev_offline, false,
					      memory_order_relaxed);
	}
	cpuhp__mutex_unlock(&hp->device_lock);
	return ret;
}

/**
 * cpuhp__device_offline - device_offline() for a CPU device
 * @hp:  the machine
 * @cpu: a possible CPU
 *
 * Return: 0, -EPERM (the CPU is not hotpluggable), or the cpu_down() error.
 */
int cpuhp__device_offline(struct cpuhp *hp, unsigned int cpu)
{
	struct cpuhp_cpu *st = cpuhp__cpu(hp, cpu);
	int ret = 0;

	if (!cpu_hotpluggable(hp, cpu))
		return -EPERM;
	cpuhp__mutex_lock(&hp->device_lock);
	if (!atomic_load_explicit(&st->dev_offline, memory_order_relaxed)) {
		ret = cpuhp__cpu_down(hp, cpu, hp->b.offline);
		if (!ret)
			atomic_store_explicit(&st->dev_offline, true,
					      memory_order_relaxed);
	}
	cpuhp__mutex_unlock(&hp->device_lock);
	return ret;
}

int cpuhp_add_cpu(struct cpuhp *hp, unsigned int cpu)
{
	if (!hp || !cpuhp__cpu_valid(hp, cpu))
		return -EINVAL;
	if (would_deadlock(hp))
		return -EDEADLK;
	return cpuhp__device_online(hp, cpu);
}

int cpuhp_remove_cpu(struct cpuhp *hp, unsigned int cpu)
{
	if (!hp || !cpuhp__cpu_valid(hp, cpu))
		return -EINVAL;
	if (would_deadlock(hp))
		return -EDEADLK;
	return cpuhp__device_offline(hp, cpu);
}

/* ---- cpu_hotplug_disable / enable ---- */

void cpuhp_hotplug_disable(struct cpuhp *hp)
{
	if (would_deadlock(hp))
		return;
	cpuhp__mutex_lock(&hp->add_remove_lock);
	hp->hotplug_disabled++;
	cpuhp__mutex_unlock(&hp->add_remove_lock);
}

void cpuhp_hotplug_enable(struct cpuhp *hp)
{
	if (would_deadlock(hp))
		return;
	cpuhp__mutex_lock(&hp->add_remove_lock);
	if (hp->hotplug_disabled == 0)
		CPUHP_WARN(hp, "Unbalanced cpu hotplug enable");
	else
		hp->hotplug_disabled--;
	cpuhp__mutex_unlock(&hp->add_remove_lock);
}
