// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * stop-machine.c - the takedown rendezvous of all online CPU threads.
 *
 * Every online CPU thread enters, blocks signals ("disables interrupts") and
 * waits until all have arrived; only then does the outgoing CPU's thread run
 * take_cpu_down (clear online, the DYING callbacks); the others wait in
 * atomic context until it is done, then all leave.  Runs only under the cpus
 * write lock, so one rendezvous at a time per machine.
 */
#include "internal.h"

/* __cpu_disable + the DYING walk, on the outgoing CPU inside the rendezvous. */
static int take_cpu_down(struct cpuhp *hp, struct cpuhp_cpu *st)
{
	int target = st_target(st);

	/* Architecture part: the CPU leaves the online mask first. */
	cpuhp__mask_assign(&hp->online, st->cpu, false);
	atomic_fetch_sub_explicit(&hp->num_online, 1, memory_order_relaxed);

	CPUHP_WARN_ON(hp, st_state(st) != hp->b.teardown_cpu - 1);
	cpuhp__tctx()->ctx = CPUHP_CTX_DYING;
	cpuhp__invoke_range_nofail(hp, st, false,
				   target > hp->b.ap_offline ? target : hp->b.ap_offline);
	return 0;
}

/*
 * One rendezvous costs two wake-ups per thread: the hand-off that brings it
 * in, and the broadcast that lets everyone out.  Only the last arrival wakes
 * the victim and only the last leaver wakes the control thread, so the cost
 * stays linear in the number of online CPUs.
 */
void cpuhp__stop_participate(struct cpuhp *hp, struct cpuhp_cpu *st)
{
	struct cpuhp_stop *sm = &hp->stop;
	struct cpuhp_tctx *t = cpuhp__tctx();
	bool victim = st->cpu == sm->victim;
	sigset_t saved;
	int ret = 0;

	cpuhp__atomic_enter(t, CPUHP_CTX_AP, &saved);
	t->rendezvous = true;
	pthread_mutex_lock(&sm->lock);
	if (++sm->arrived == sm->nr_threads)
		pthread_cond_broadcast(&sm->cond);
	if (victim) {
		/* Every other CPU must be stopped before the CPU goes. */
		while (sm->arrived < sm->nr_threads)
			pthread_cond_wait(&sm->cond, &sm->lock);
		pthread_mutex_unlock(&sm->lock);
		ret = take_cpu_down(hp, st);
		pthread_mutex_lock(&sm->lock);
		sm->result = ret;
		sm->run_done = true;
		pthread_cond_broadcast(&sm->cond);
	}
	while (!sm->run_done)
		pthread_cond_wait(&sm->cond, &sm->lock);
	if (++sm->left == sm->nr_threads)
		pthread_cond_broadcast(&sm->done);
	pthread_mutex_unlock(&sm->lock);
	t->rendezvous = false;
	cpuhp__atomic_exit(t, &saved);

	/* Leaving the stopper, the dead CPU's idle loop reports itself gone. */
	if (victim && !ret)
		cpuhp__ap_report_idle_dead(hp, st);
}

/**
 * cpuhp__stop_machine_cpu - run take_cpu_down on @victim with all CPUs stopped
 * @hp:     the machine
 * @victim: the outgoing CPU
 *
 * Return: take_cpu_down's result.
 */
int cpuhp__stop_machine_cpu(struct cpuhp *hp, unsigned int victim)
{
	struct cpuhp_stop *sm = &hp->stop;
	unsigned int cpu, n = 0;

	/* The outgoing CPU must take part, or nobody would run take_cpu_down. */
	if (CPUHP_WARN_ON(hp, !cpuhp__mask_test(&hp->online, victim) ||
				      !hp->cpus[victim].has_thread))
		return -EBUSY;
	for (cpu = 0; cpu < hp->nr_possible; cpu++)
		n += cpuhp__mask_test(&hp->online, cpu) && hp->cpus[cpu].has_thread;

	pthread_mutex_lock(&sm->lock);
	sm->nr_threads = n;
	sm->arrived = 0;
	sm->left = 0;
	sm->run_done = false;
	sm->victim = victim;
	sm->result = 0;
	pthread_mutex_unlock(&sm->lock);

	for (cpu = 0; cpu < hp->nr_possible; cpu++)
		if (cpuhp__mask_test(&hp->online, cpu) && hp->cpus[cpu].has_thread)
			cpuhp__post_work(&hp->cpus[cpu], WORK_STOP);

	pthread_mutex_lock(&sm->lock);
	while (sm->left < sm->nr_threads)
		pthread_cond_wait(&sm->done, &sm->lock);
	pthread_mutex_unlock(&sm->lock);
	return sm->result;
}
