// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * ap-thread.c - the state machine's side of the CPU threads: what a
 * "cpuhp/N" thread does with the work it is handed (the kernel's
 * cpuhp_thread_fun), and how the control thread hands it a walk or one
 * callback and waits for it (cpuhp_kick_ap, cpuhp_invoke_ap_callback).
 * The threads themselves are exec/cputhread.c's.
 */
#include "base/debug-delay.h"
#include "machine/log.h"
#include "model/model.h"
#include "trace/trace.h"
#include "walk/walk.h"

/* The kernel's cpuhp_thread_fun, doing the whole walk in one hand-off. */
/* Out of line: bench/ counts its instructions with callgrind --toggle-collect. */
static __attribute__((noinline)) void thread_walk(struct cpuhp *hp, struct cpuhp_cpu *st)
{
	struct cpuhp_tctx *t = cpuhp__tctx();
	bool bringup = st->bringup;
	sigset_t saved;
	int state;

	if (st->single) {
		state = st->cb_state;
		CPUHP_WARN_ON(hp, !cpuhp__is_ap_state(hp, state));
		if (cpuhp__is_atomic_state(hp, state)) {
			/* An install/remove of an atomic state runs "irqs off". */
			cpuhp__atomic_enter(
				t, bringup ? CPUHP_CTX_STARTING : CPUHP_CTX_DYING,
				&saved);
			st->result = cpuhp__invoke_callback(hp, st->cpu, state, bringup,
							    st->node, &st->last);
			cpuhp__atomic_exit(t, &saved);
			CPUHP_WARN_ON(hp, st->result);
		} else {
			st->result = cpuhp__invoke_callback(hp, st->cpu, state, bringup,
							    st->node, &st->last);
		}
	} else {
		cpuhp__invoke_range_ap(hp, st, bringup);
	}
	/* The completion publishes st->state and st->result to the waiter. */
	cpuhp__complete(bringup ? &st->done_up : &st->done_down);
}

/**
 * cpuhp__kick_ap_raw - let the CPU thread walk to st->target (__cpuhp_kick_ap)
 * @st: the CPU's record, prepared by set_state/reset_state or single mode
 *
 * Nothing to do (not single and already at the target): no hand-off, and
 * st->result keeps its previous value, as in the kernel.
 */
int cpuhp__kick_ap_raw(struct cpuhp_cpu *st)
{
	bool bringup = st->bringup;

	if (!st->single && st_state(st) == st_target(st))
		return st->result;
	st->result = 0;
	/*
	 * linux backend, CPU already gone (host.c): the walk runs here, on the
	 * control thread, as the kernel's DEAD callbacks do; cpuhp/N has lost
	 * its CPU.  thread_walk() completes the completion waited for below.
	 */
	if (atomic_load_explicit(&st->host_gone, memory_order_relaxed) && !st->single)
		thread_walk(st->hp, st);
	else
		cpuhp__post_work(st, WORK_WALK);
	CPUHP_DELAY_POINT();
	cpuhp__wait_for_completion(bringup ? &st->done_up : &st->done_down);
	return st->result;
}

/**
 * cpuhp__kick_ap - walk the CPU thread to @target, rolling back on failure
 * @hp:     the machine
 * @st:     the CPU's record
 * @target: where to go
 *
 * Return: 0, or the original error after the thread rolled back.
 */
int cpuhp__kick_ap(struct cpuhp *hp, struct cpuhp_cpu *st, int target)
{
	int prev = cpuhp__set_state(hp, st, target);
	int ret = cpuhp__kick_ap_raw(st);

	if (ret) {
		cpuhp__reset_state(hp, st, prev);
		cpuhp__kick_ap_raw(st);
	}
	return ret;
}

/**
 * cpuhp__kick_ap_work - hand a walk to the CPU thread, traced as the kernel does
 * @hp:  the machine
 * @cpu: the CPU, whose st->target is already set
 *
 * Return: as cpuhp__kick_ap().
 */
int cpuhp__kick_ap_work(struct cpuhp *hp, unsigned int cpu)
{
	struct cpuhp_cpu *st = cpuhp__cpu(hp, cpu);
	int prev = st_state(st);
	int ret;

	cpuhp__trace_task_renew(hp);
	cpuhp__trace_enter(hp, CPUHP_TRACE_ENTER, cpu, st_target(st), prev,
			   "cpuhp_kick_ap_work");
	ret = cpuhp__kick_ap(hp, st, st_target(st));
	cpuhp__trace_exit(hp, cpu, st_state(st), prev, ret);
	return ret;
}

/**
 * cpuhp__ap_callback_start - hand one install/remove callback to the CPU's thread
 * @hp:      the machine
 * @cpu:     the CPU
 * @state:   an AP state
 * @bringup: startup or teardown
 * @node:    the instance, or NULL
 * @ret:     receives the result when nothing was handed over
 *
 * Does not wait: cpuhp__ap_callback_finish() does, so that the control
 * thread can hand work to many CPU threads before waiting for any.  An
 * offline CPU runs nothing (*@ret = 0); a CPU without a thread runs the
 * callback right here.  Does not touch st->state, st->target or the dying
 * mask.
 *
 * Return: true if work was handed over (finish it), false if *@ret is final.
 */
bool cpuhp__ap_callback_start(struct cpuhp *hp, unsigned int cpu, int state, bool bringup,
			      struct cpuhp_node *node, int *ret)
{
	struct cpuhp_cpu *st = cpuhp__cpu(hp, cpu);

	*ret = 0;
	if (!cpuhp__mask_test(&hp->online, cpu))
		return false;
	if (!st->has_thread) {
		*ret = cpuhp__invoke_callback(hp, cpu, state, bringup, node, NULL);
		return false;
	}
	st->rollback = false;
	st->last = NULL;
	st->node = node;
	st->bringup = bringup;
	st->cb_state = state;
	st->single = true;
	st->result = 0;
	cpuhp__post_work(st, WORK_WALK);
	return true;
}

/**
 * cpuhp__ap_callback_finish - wait for cpuhp__ap_callback_start()'s work
 * @hp:  the machine
 * @cpu: the CPU
 *
 * Return: 0 or the callback's error, after undoing the instances a failed
 *         full multi-instance walk had done.
 */
int cpuhp__ap_callback_finish(struct cpuhp *hp, unsigned int cpu)
{
	struct cpuhp_cpu *st = cpuhp__cpu(hp, cpu);
	bool bringup = st->bringup;
	int ret;

	cpuhp__wait_for_completion(bringup ? &st->done_up : &st->done_down);
	ret = st->result;
	/* A full multi-instance walk failed part-way: undo the instances done. */
	if (ret && st->last) {
		st->rollback = true;
		st->bringup = !bringup;
		cpuhp__kick_ap_raw(st);
	}
	st->node = NULL;
	st->last = NULL;
	return ret;
}

/**
 * cpuhp__invoke_ap_callback - run one install/remove callback on the CPU's thread
 * @hp:      the machine
 * @cpu:     the CPU
 * @state:   an AP state
 * @bringup: startup or teardown
 * @node:    the instance, or NULL
 *
 * Return: 0 (also when the CPU is offline: nothing runs), or the error.
 */
int cpuhp__invoke_ap_callback(struct cpuhp *hp, unsigned int cpu, int state, bool bringup,
			      struct cpuhp_node *node)
{
	int ret;

	if (!cpuhp__ap_callback_start(hp, cpu, state, bringup, node, &ret))
		return ret;
	return cpuhp__ap_callback_finish(hp, cpu);
}

/**
 * cpuhp__ap_work - run one piece of work on a CPU thread
 * @hp:   the machine
 * @st:   the thread's CPU
 * @work: WORK_BOOT (the low-level start) or WORK_WALK (a walk or one call)
 *
 * Context: the CPU's own thread "cpuhp/N", from exec/cputhread.c.
 */
void cpuhp__ap_work(struct cpuhp *hp, struct cpuhp_cpu *st, enum cpuhp_work work)
{
	if (work == WORK_BOOT)
		cpuhp__ap_boot(hp, st);
	else
		thread_walk(hp, st);
}
