// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * stop-machine.c - the takedown rendezvous.
 *
 * The kernel stops every online CPU (interrupts off) while the outgoing CPU
 * runs take_cpu_down (clear online, the DYING callbacks).  Here a CPU thread
 * only ever runs code when it is handed work, and no work can be handed to
 * any CPU thread while the cpus write lock is held (every hand-off happens
 * under the write lock, or under the read lock plus the state mutex, and the
 * poster waits for it to finish).  So every CPU thread other than the
 * outgoing one is already stopped, and waking each just to park it again
 * would cost two wake-ups per online CPU per offline, O(N^2) to take N CPUs
 * down.  The rendezvous therefore has one participant, the outgoing CPU's
 * thread, which blocks signals ("disables interrupts") and runs
 * take_cpu_down.  The code below still handles any number of participants.
 */
#include "base/debug-delay.h"
#include "exec/exec.h"
#include "machine/log.h"

/* Wait until the counter @word reaches @n (it only grows). */
static void wait_count(struct cpuhp_waitq *q, _Atomic int *word, int n)
{
	int v;

	while ((v = atomic_load_explicit(word, memory_order_acquire)) < n)
		cpuhp__wait_ne(q, word, v);
}

/*
 * One rendezvous costs one hand-off per thread (the post that brings it in)
 * and at most one wake-up per thread to let everyone out: only the last
 * arrival wakes the victim and only the last leaver wakes the control
 * thread, so the cost stays linear in the number of online CPUs.  The
 * counters are seq_cst read-modify-writes: each arrival and departure is
 * ordered with the others', and the victim's result is published by its
 * store of run_done.
 */
void cpuhp__stop_participate(struct cpuhp *hp, struct cpuhp_cpu *st)
{
	struct cpuhp_stop *sm = &hp->stop;
	struct cpuhp_tctx *t = cpuhp__tctx();
	bool victim = st->cpu == sm->victim;
	int n = (int)sm->nr_threads;
	/*
	 * Read now: once this thread has left, the control thread may set up
	 * the next rendezvous (a parallel bring-up rolls CPUs back in turn).
	 */
	cpuhp_stop_after_fn after = sm->after;
	sigset_t saved;
	int ret = 0;

	cpuhp__atomic_enter(t, CPUHP_CTX_AP, &saved);
	t->rendezvous = true;
	CPUHP_DELAY_POINT();
	if (atomic_fetch_add_explicit(&sm->arrived, 1, memory_order_seq_cst) + 1 == n)
		cpuhp__wake(&sm->arrived_q, &sm->arrived);
	if (victim) {
		/* Every other CPU must be stopped before the CPU goes. */
		wait_count(&sm->arrived_q, &sm->arrived, n);
		CPUHP_DELAY_POINT();
		ret = sm->fn(hp, st);
		sm->result = ret;
		atomic_store_explicit(&sm->run_done, 1, memory_order_seq_cst);
		cpuhp__wake(&sm->run_q, &sm->run_done);
	}
	wait_count(&sm->run_q, &sm->run_done, 1);
	if (atomic_fetch_add_explicit(&sm->left, 1, memory_order_seq_cst) + 1 == n)
		cpuhp__wake(&sm->left_q, &sm->left);
	CPUHP_DELAY_POINT();
	t->rendezvous = false;
	cpuhp__atomic_exit(t, &saved);

	/* Leaving the stopper, the dead CPU's idle loop reports itself gone. */
	if (victim && !ret && after)
		after(hp, st);
}

/**
 * cpuhp__stop_machine_cpu - run @fn on @victim's thread with all CPUs stopped
 * @hp:     the machine
 * @victim: the outgoing CPU
 * @fn:     what runs inside the rendezvous (take_cpu_down)
 * @after:  run by @victim's thread once out of it, when @fn returned 0;
 *          may be NULL
 *
 * Context: the control thread, holding the cpus write lock.
 * Return: @fn's result, or -EBUSY when @victim has no thread to run it.
 */
int cpuhp__stop_machine_cpu(struct cpuhp *hp, unsigned int victim, cpuhp_stop_fn fn,
			    cpuhp_stop_after_fn after)
{
	struct cpuhp_stop *sm = &hp->stop;
	unsigned int n;
	int ret;

	/* The outgoing CPU must take part, or nobody would run @fn. */
	if (CPUHP_WARN_ON(hp, !cpuhp__mask_test(&hp->online, victim) ||
				      !hp->cpus[victim].has_thread))
		return -EBUSY;
	n = 1; /* the outgoing CPU's thread: the others are stopped (file comment) */

	/*
	 * The write lock keeps other operations out, but the parallel
	 * bring-up's helpers may roll several CPUs back at once under it.
	 */
	cpuhp__mutex_lock(&sm->lock);

	/* Published to the participants by cpuhp__post_work. */
	sm->nr_threads = n;
	sm->victim = victim;
	sm->fn = fn;
	sm->after = after;
	sm->result = 0;
	atomic_store_explicit(&sm->arrived, 0, memory_order_relaxed);
	atomic_store_explicit(&sm->run_done, 0, memory_order_relaxed);
	atomic_store_explicit(&sm->left, 0, memory_order_relaxed);

	cpuhp__post_work(&hp->cpus[victim], WORK_STOP);

	CPUHP_DELAY_POINT();
	wait_count(&sm->left_q, &sm->left, (int)n);
	ret = sm->result;
	cpuhp__mutex_unlock(&sm->lock);
	return ret;
}
