// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * percpu-counter.c - count on per-CPU slots of this host's CPUs while they
 * come and go (linux backend); when a CPU leaves, its count is folded into a
 * survivor.  At the end the sum must equal what the threads counted.
 *
 * usage: percpu-counter [SECONDS]   (default 2; offline/online CPUs meanwhile)
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <cpuhp/cpuhp.h>

#include "percpu-counter.h"

static struct percpu_counter counter;
static _Atomic int stop;

static void *worker(void *arg)
{
	uint64_t *mine = arg;

	while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
		pcc_inc(&counter);
		(*mine)++;
	}
	return NULL;
}

int main(int argc, char *argv[])
{
	struct cpuhp_config cfg;
	struct timespec dt = { argc > 1 ? atoi(argv[1]) : 2, 0 };
	struct cpuhp *hp;
	unsigned int i, n;
	uint64_t *counted, sum = 0;
	pthread_t *tid;
	int cpu, err;

	cpuhp_config_init(&cfg);
	cfg.backend = "linux";
	err = cpuhp_new(&cfg, &hp);
	if (err || pcc_init(&counter, hp)) {
		fprintf(stderr, "percpu-counter: cannot start (%d)\n", err);
		return 1;
	}
	n = cpuhp_nr_possible(hp);
	counted = calloc(n, sizeof(*counted));
	tid = calloc(n, sizeof(*tid));
	if (!counted || !tid)
		return 1;
	for (i = 0; i < n; i++)
		pthread_create(&tid[i], NULL, worker, &counted[i]);
	nanosleep(&dt, NULL);
	atomic_store(&stop, 1);
	for (i = 0; i < n; i++) {
		pthread_join(tid[i], NULL);
		sum += counted[i];
	}
	cpuhp_cpus_read_lock(hp);
	cpuhp_for_each_online_cpu(hp, cpu)
		printf("cpu%d: %llu\n", cpu,
		       (unsigned long long)atomic_load(
			       &pcc_slot(&counter, (unsigned int)cpu)->count));
	cpuhp_cpus_read_unlock(hp);
	printf("total %llu, counted %llu: %s\n", (unsigned long long)pcc_total(&counter),
	       (unsigned long long)sum, pcc_total(&counter) == sum ? "ok" : "LOST");
	err = pcc_total(&counter) != sum;
	pcc_destroy(&counter);
	cpuhp_free(hp);
	free(counted);
	free(tid);
	return err;
}
