// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * worker.c - run the control side of an offline in a worker task (6.1.y).
 *
 * The recorded 6.1 kernel does not run _cpu_down in the writer's task: it
 * hands it to a kworker on another online CPU (work_on_cpu) and sleeps until
 * it is done, so its traces show "kworker/0:N" where an online shows the
 * writer.  The model does the same with a short-lived thread named after the
 * kworker; the caller keeps its locks and only waits, so lock order and
 * results are those of a direct call.
 */
#include <stdio.h>
#include <string.h>

#include "machine/log.h"
#include "walk/walk.h"

struct down_work {
	struct cpuhp *hp;
	unsigned int cpu;
	int target;
	int ret;
	char comm[16];
};

static void *down_worker(void *arg)
{
	struct down_work *w = arg;

	pthread_setname_np(pthread_self(), w->comm);
	w->ret = cpuhp__cpu_down_locked(w->hp, w->cpu, w->target);
	return NULL;
}

/* The first online CPU other than @cpu runs the work, or -1 if none. */
static int work_cpu(struct cpuhp *hp, unsigned int cpu)
{
	unsigned int c;

	for (c = 0; c < hp->nr_possible; c++)
		if (c != cpu && cpuhp__mask_test(&hp->online, c))
			return (int)c;
	return -1;
}

/**
 * cpuhp__cpu_down_in_worker - _cpu_down() on a worker thread, the caller waits
 * @hp:     the machine (add_remove_lock held by the caller)
 * @cpu:    a possible CPU
 * @target: a valid state
 *
 * The join orders everything the worker wrote before the caller reads it.
 *
 * Return: what _cpu_down() returned; -EBUSY when no other CPU is online.
 */
int cpuhp__cpu_down_in_worker(struct cpuhp *hp, unsigned int cpu, int target)
{
	struct down_work w = { .hp = hp, .cpu = cpu, .target = target };
	pthread_t tid;
	int k = work_cpu(hp, cpu), err;

	if (k < 0)
		return -EBUSY;
	/* k < CPUHP_MAX_CPUS, so "kworker/K:1" fits the 16-byte comm. */
	snprintf(w.comm, sizeof(w.comm), "kworker/%hu:1", (unsigned short)k);
	err = cpuhp__thread_spawn(&tid, NULL, down_worker, &w);
	if (err) {
		/* Only the trace's task name differs when run in place. */
		cpuhp_err(hp, "cannot start the offline worker (%s); running it in place",
			  strerror(err));
		return cpuhp__cpu_down_locked(hp, cpu, target);
	}
	err = cpuhp__thread_join(tid, NULL);
	if (err)
		cpuhp_die(err);
	return w.ret;
}
