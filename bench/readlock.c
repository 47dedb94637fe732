// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * readlock.c - benchmark a: the cost of a read lock+unlock pair with 1 and 2
 * threads for cpuhp, pthread_rwlock, liburcu (memb flavour) and the floor,
 * and the writer's lock+unlock latency while readers run.
 *
 * Every implementation is called out of line (liburcu without _LGPL_SOURCE,
 * cpuhp and the floor from other translation units), so all pay one call
 * per operation and the comparison is of the lock algorithms.
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include <cpuhp/cpuhp.h>
#ifdef HAVE_URCU
#include <urcu/urcu-memb.h>
#endif

#include "internal.h"

#include "bench.h"

enum impl {
	IMPL_CPUHP,
	IMPL_RWLOCK,
	IMPL_URCU,
	IMPL_FLOOR,
	NR_IMPLS
};

static const char *const impl_name[NR_IMPLS] = { "cpuhp_cpus_read_lock",
						 "pthread_rwlock_rdlock",
						 "liburcu-memb rcu_read_lock",
						 "floor (TLS counter)" };

static struct cpuhp *hp;
static pthread_rwlock_t rwlock = PTHREAD_RWLOCK_INITIALIZER;
static pthread_barrier_t start_barrier;
static _Atomic bool stop_readers;
static _Atomic int readers_started;

struct reader_arg {
	enum impl impl;
	unsigned long iters;
	uint64_t ns;
};

/* One loop per implementation, so the calls are direct. */
static void loop(enum impl impl, unsigned long n)
{
	unsigned long i;

	switch (impl) {
	case IMPL_CPUHP:
		for (i = 0; i < n; i++) {
			cpuhp_cpus_read_lock(hp);
			cpuhp_cpus_read_unlock(hp);
		}
		break;
	case IMPL_RWLOCK:
		for (i = 0; i < n; i++) {
			pthread_rwlock_rdlock(&rwlock);
			pthread_rwlock_unlock(&rwlock);
		}
		break;
	case IMPL_URCU:
#ifdef HAVE_URCU
		for (i = 0; i < n; i++) {
			urcu_memb_read_lock();
			urcu_memb_read_unlock();
		}
#endif
		break;
	case IMPL_FLOOR:
		for (i = 0; i < n; i++) {
			bench_floor_lock();
			bench_floor_unlock();
		}
		break;
	case NR_IMPLS:
		break;
	}
}

static void *reader(void *p)
{
	struct reader_arg *a = p;
	uint64_t t0;

#ifdef HAVE_URCU
	if (a->impl == IMPL_URCU)
		urcu_memb_register_thread();
#endif
	loop(a->impl, a->iters / 16); /* warm up: TLS slots, caches */
	pthread_barrier_wait(&start_barrier);
	t0 = bench_now_ns();
	loop(a->impl, a->iters);
	a->ns = bench_now_ns() - t0;
#ifdef HAVE_URCU
	if (a->impl == IMPL_URCU)
		urcu_memb_unregister_thread();
#endif
	return NULL;
}

/* ns per lock+unlock pair, averaged over the threads; best of @reps runs. */
static double measure(enum impl impl, unsigned int nthreads, unsigned long iters,
		      int reps)
{
	pthread_t tid[2];
	struct reader_arg arg[2];
	double best = 1e30;
	unsigned int t;
	int r;

	for (r = 0; r < reps; r++) {
		double sum = 0;

		pthread_barrier_init(&start_barrier, NULL, nthreads);
		for (t = 0; t < nthreads; t++) {
			arg[t] = (struct reader_arg){ .impl = impl, .iters = iters };
			pthread_create(&tid[t], NULL, reader, &arg[t]);
		}
		for (t = 0; t < nthreads; t++) {
			pthread_join(tid[t], NULL);
			sum += (double)arg[t].ns / (double)iters;
		}
		pthread_barrier_destroy(&start_barrier);
		if (sum / nthreads < best)
			best = sum / nthreads;
	}
	return best;
}

/* Readers that keep taking the lock while the writer is measured. */
static void *background_reader(void *p)
{
	enum impl impl = *(enum impl *)p;

#ifdef HAVE_URCU
	if (impl == IMPL_URCU)
		urcu_memb_register_thread();
#endif
	loop(impl, 1024);
	atomic_fetch_add(&readers_started, 1);
	while (!atomic_load_explicit(&stop_readers, memory_order_relaxed))
		loop(impl, 64);
#ifdef HAVE_URCU
	if (impl == IMPL_URCU)
		urcu_memb_unregister_thread();
#endif
	return NULL;
}

static void write_once(enum impl impl)
{
	switch (impl) {
	case IMPL_CPUHP:
		cpuhp__cpus_write_lock(hp);
		cpuhp__cpus_write_unlock(hp);
		break;
	case IMPL_RWLOCK:
		pthread_rwlock_wrlock(&rwlock);
		pthread_rwlock_unlock(&rwlock);
		break;
	case IMPL_URCU:
#ifdef HAVE_URCU
		urcu_memb_synchronize_rcu();
#endif
		break;
	default:
		break;
	}
}

/* Median writer latency (ns) with two reader threads running. */
static double measure_writer(enum impl impl, int n)
{
	static enum impl arg;
	pthread_t tid[2];
	double *lat = calloc((size_t)n, sizeof(*lat)), med;
	int i, j;

	arg = impl;
	atomic_store(&stop_readers, false);
	atomic_store(&readers_started, 0);
	for (i = 0; i < 2; i++)
		pthread_create(&tid[i], NULL, background_reader, &arg);
	while (atomic_load(&readers_started) < 2)
		sched_yield();
	for (i = 0; i < n; i++) {
		uint64_t t0 = bench_now_ns();

		write_once(impl);
		lat[i] = (double)(bench_now_ns() - t0);
	}
	atomic_store(&stop_readers, true);
	for (i = 0; i < 2; i++)
		pthread_join(tid[i], NULL);
	for (i = 1; i < n; i++) /* insertion sort: n is small */
		for (j = i; j > 0 && lat[j] < lat[j - 1]; j--) {
			double x = lat[j];

			lat[j] = lat[j - 1];
			lat[j - 1] = x;
		}
	med = lat[n / 2];
	free(lat);
	return med;
}

void bench_readlock(void)
{
	struct cpuhp_config cfg;
	unsigned long iters = bench_quick() ? 200000 : 2000000;
	int reps = bench_quick() ? 1 : 7;
	double v[NR_IMPLS][3] = { { 0 } };
	unsigned int t;
	int i, r;
	char what[96];

	cpuhp_config_init(&cfg);
	cfg.nr_possible = 2;
	if (cpuhp_new(&cfg, &hp)) {
		fprintf(stderr, "cpuhp-bench: cannot create a machine\n");
		exit(1);
	}
	bench_section("a. read lock+unlock pair (ns per pair, best of runs)");
	/* Round-robin over the implementations, so that the load of a shared
	 * machine hits them alike; the best run of each counts. */
	for (r = 0; r < reps; r++)
		for (t = 1; t <= 2; t++)
			for (i = 0; i < NR_IMPLS; i++) {
				double x = measure((enum impl)i, t, iters, 1);

				if (!r || x < v[i][t])
					v[i][t] = x;
			}
	for (t = 1; t <= 2; t++) {
		snprintf(what, sizeof(what), "cpuhp read lock+unlock, %u thread%s", t,
			 t > 1 ? "s" : "");
#ifdef HAVE_URCU
		bench_row(what, v[IMPL_CPUHP][t], "ns", impl_name[IMPL_URCU],
			  v[IMPL_URCU][t], GOAL_AT_MOST, 1.5);
#endif
		bench_row(what, v[IMPL_CPUHP][t], "ns", impl_name[IMPL_FLOOR],
			  v[IMPL_FLOOR][t], GOAL_AT_MOST, 2);
		snprintf(what, sizeof(what),
			 "pthread_rwlock rd lock+unlock / cpuhp, %u thr", t);
		bench_row(what, v[IMPL_RWLOCK][t], "ns", impl_name[IMPL_CPUHP],
			  v[IMPL_CPUHP][t], t == 2 ? GOAL_AT_LEAST : GOAL_NONE, 5);
	}
	bench_row("cpus_write_lock+unlock, 2 readers running (median)",
		  measure_writer(IMPL_CPUHP, bench_quick() ? 50 : 400), "ns",
		  "pthread_rwlock wrlock+unlock, same readers",
		  measure_writer(IMPL_RWLOCK, bench_quick() ? 50 : 400), GOAL_NONE, 0);
#ifdef HAVE_URCU
	bench_row("cpus_write_lock+unlock, 2 readers running (median)",
		  measure_writer(IMPL_CPUHP, bench_quick() ? 50 : 400), "ns",
		  "liburcu-memb synchronize_rcu, same readers",
		  measure_writer(IMPL_URCU, bench_quick() ? 50 : 400), GOAL_NONE, 0);
#endif
	cpuhp_free(hp);
	hp = NULL;
}
