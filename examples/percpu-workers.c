// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * percpu-workers.c - a worker thread per CPU of this host (linux backend)
 * that follows hotplug: the startup, which runs on cpuhp/N pinned to CPU N,
 * creates CPU N's worker (it inherits that pinning); the teardown, which
 * runs after CPU N is gone, stops the worker and hands its queued work to a
 * surviving CPU.  No work item is lost or run twice.
 *
 * usage: percpu-workers [ITEMS]   (default 200000)
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include <cpuhp/cpuhp.h>

struct item {
	struct item *next;
};

struct worker {
	pthread_mutex_t lock; /* protects everything below */
	pthread_cond_t cond;
	struct item *head, **tail;
	bool stop, running;
	pthread_t tid;
	unsigned long done;
};

static struct cpuhp_percpu *workers;
static _Atomic unsigned long executed;

static struct worker *wk(unsigned int cpu)
{
	return cpuhp_per_cpu_ptr(workers, cpu);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct item *it;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (!w->head && !w->stop)
			pthread_cond_wait(&w->cond, &w->lock);
		if (w->stop) /* what is left moves to a survivor (worker_down) */
			break;
		it = w->head;
		w->head = it->next;
		if (!w->head)
			w->tail = &w->head;
		w->done++;
		pthread_mutex_unlock(&w->lock);
		free(it); /* "the work" */
		atomic_fetch_add(&executed, 1);
		pthread_mutex_lock(&w->lock);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

static int worker_up(struct cpuhp *hp, unsigned int cpu, void *data)
{
	struct worker *w = wk(cpu);
	int err;

	(void)hp, (void)data;
	pthread_mutex_lock(&w->lock);
	w->stop = false;
	pthread_mutex_unlock(&w->lock);
	err = pthread_create(&w->tid, NULL, worker_main, w);
	w->running = !err;
	return -err;
}

static int worker_down(struct cpuhp *hp, unsigned int cpu, void *data)
{
	struct worker *w = wk(cpu), *s;
	int into;

	(void)data;
	pthread_mutex_lock(&w->lock);
	w->stop = true;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	if (w->running)
		pthread_join(w->tid, NULL);
	w->running = false;
	cpuhp_for_each_online_cpu(hp, into)
	{
		if ((unsigned int)into != cpu)
			break;
	}
	if (into < 0 || !w->head) /* last CPU: the queue stays for the next start */
		return 0;
	s = wk((unsigned int)into);
	pthread_mutex_lock(&s->lock);
	*s->tail = w->head;
	s->tail = w->tail;
	pthread_cond_signal(&s->cond);
	pthread_mutex_unlock(&s->lock);
	w->head = NULL;
	w->tail = &w->head;
	return 0;
}

/* Queue one item on the current CPU's worker (under the read lock). */
static int submit(struct cpuhp *hp)
{
	struct item *it = calloc(1, sizeof(*it));
	struct worker *w;
	int cpu;

	if (!it)
		return -1;
	cpuhp_cpus_read_lock(hp);
	cpu = cpuhp_current_cpu();
	if (cpu < 0 || (unsigned int)cpu >= workers->nr ||
	    !cpuhp_cpu_online(hp, (unsigned int)cpu))
		cpu = cpuhp_next_online(hp, -1);
	w = wk((unsigned int)cpu);
	pthread_mutex_lock(&w->lock);
	*w->tail = it;
	w->tail = &it->next;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	cpuhp_cpus_read_unlock(hp);
	return 0;
}

int main(int argc, char *argv[])
{
	unsigned long i, items = argc > 1 ? strtoul(argv[1], NULL, 10) : 200000;
	struct cpuhp_config cfg;
	struct cpuhp *hp;
	int state, cpu;

	cpuhp_config_init(&cfg);
	cfg.backend = "linux";
	if (cpuhp_new(&cfg, &hp))
		return 1;
	workers = cpuhp_percpu_alloc(hp, sizeof(struct worker));
	if (!workers)
		return 1;
	for (i = 0; i < workers->nr; i++) {
		pthread_mutex_init(&wk((unsigned int)i)->lock, NULL);
		pthread_cond_init(&wk((unsigned int)i)->cond, NULL);
		wk((unsigned int)i)->tail = &wk((unsigned int)i)->head;
	}
	state = cpuhp_setup_state(hp, cpuhp_state_of(hp, CPUHP_AP_ONLINE_DYN),
				  "example:workers", worker_up, worker_down, NULL);
	if (state < 0)
		return 1;
	for (i = 0; i < items; i++)
		if (submit(hp))
			return 1;
	while (atomic_load(&executed) < items)
		sched_yield();
	cpuhp_cpus_read_lock(hp);
	cpuhp_for_each_online_cpu(hp, cpu)
	{
		struct worker *w = wk((unsigned int)cpu);

		pthread_mutex_lock(&w->lock);
		printf("cpu%d: %lu items\n", cpu, w->done);
		pthread_mutex_unlock(&w->lock);
	}
	cpuhp_cpus_read_unlock(hp);
	printf("executed %lu of %lu\n", (unsigned long)atomic_load(&executed), items);
	cpuhp_remove_state(hp, state); /* stops every worker */
	cpuhp_free(hp);
	for (i = 0; i < workers->nr; i++) {
		pthread_mutex_destroy(&wk((unsigned int)i)->lock);
		pthread_cond_destroy(&wk((unsigned int)i)->cond);
	}
	cpuhp_percpu_free(workers);
	return 0;
}
