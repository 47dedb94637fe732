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

#include "exec/exec.h"

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

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static struct cpuhp *cycle_hp; /* the offline+online machine */

/* One offline+online cycle of CPU 1 (IMPL_FLOOR stands for it below). */
static void cycle_once(void)
{
	if (cpuhp_cpu_down(cycle_hp, 1, cpuhp_state_of(cycle_hp, CPUHP_OFFLINE)) ||
	    cpuhp_cpu_up(cycle_hp, 1, cpuhp_state_of(cycle_hp, CPUHP_ONLINE))) {
		fprintf(stderr, "cpuhp-bench: offline+online failed\n");
		exit(1);
	}
}

/*
 * Median latency (ns) of @n writer operations while @nreaders threads take
 * the read lock of @impl in a loop: @impl's writer, or with @cycle an
 * offline+online of cycle_hp (whose readers take cycle_hp's read lock).
 */
static double measure_writer(enum impl impl, unsigned int nreaders, bool cycle, int n)
{
	static enum impl arg;
	pthread_t tid[2];
	double *lat = calloc((size_t)n, sizeof(*lat)), med;
	struct cpuhp *saved = hp;
	unsigned int t;
	int i;

	if (cycle)
		hp = cycle_hp;
	arg = impl;
	atomic_store(&stop_readers, false);
	atomic_store(&readers_started, 0);
	for (t = 0; t < nreaders; t++)
		pthread_create(&tid[t], NULL, background_reader, &arg);
	while (atomic_load(&readers_started) < (int)nreaders)
		sched_yield();
	for (i = 0; i < n; i++) {
		uint64_t t0 = bench_now_ns();

		if (cycle)
			cycle_once();
		else
			write_once(impl);
		lat[i] = (double)(bench_now_ns() - t0);
	}
	atomic_store(&stop_readers, true);
	for (t = 0; t < nreaders; t++)
		pthread_join(tid[t], NULL);
	hp = saved;
	qsort(lat, (size_t)n, sizeof(*lat), cmp_double);
	med = lat[n / 2];
	free(lat);
	return med;
}

/*
 * The writer figures (issue 18): write lock+unlock with 1 and 2 readers
 * next to pthread_rwlock and synchronize_rcu with the same number of
 * readers, and an offline+online cycle with 2 readers next to none.  Each
 * figure is the median of @rounds medians of @n samples, the variants
 * interleaved round by round so that the machine's load hits them alike.
 */
static void bench_writers(void)
{
	enum {
		W_CPUHP,
		W_RWLOCK,
		W_URCU,
		NR_W
	};
	int n = bench_quick() ? 100 : 400, rounds = bench_quick() ? 3 : 7, r, i;
	double w[3][NR_W][9], cyc[2][9], m[3][NR_W], mc[2];
	static const enum impl wimpl[NR_W] = { IMPL_CPUHP, IMPL_RWLOCK, IMPL_URCU };
	unsigned int t;
	struct cpuhp_config cfg;
	char what[96];

	cpuhp_config_init(&cfg);
	cfg.nr_possible = 4;
	if (cpuhp_new(&cfg, &cycle_hp)) {
		fprintf(stderr, "cpuhp-bench: cannot create a machine\n");
		exit(1);
	}
	for (r = 0; r < rounds; r++) {
		for (t = 1; t <= 2; t++)
			for (i = 0; i < NR_W; i++)
				w[t][i][r] = measure_writer(wimpl[i], t, false, n);
		cyc[0][r] = measure_writer(IMPL_CPUHP, 0, true, n);
		cyc[1][r] = measure_writer(IMPL_CPUHP, 2, true, n);
	}
	for (t = 1; t <= 2; t++)
		for (i = 0; i < NR_W; i++) {
			qsort(w[t][i], (size_t)rounds, sizeof(double), cmp_double);
			m[t][i] = w[t][i][rounds / 2];
		}
	for (i = 0; i < 2; i++) {
		qsort(cyc[i], (size_t)rounds, sizeof(double), cmp_double);
		mc[i] = cyc[i][rounds / 2];
	}
	for (t = 1; t <= 2; t++) {
		snprintf(what, sizeof(what),
			 "cpus_write_lock+unlock, %u reader%s running", t,
			 t > 1 ? "s" : "");
		bench_row(what, m[t][W_CPUHP], "ns",
			  "pthread_rwlock wrlock+unlock, same readers", m[t][W_RWLOCK],
			  GOAL_NONE, 0);
#ifdef HAVE_URCU
		bench_row(what, m[t][W_CPUHP], "ns",
			  "liburcu-memb synchronize_rcu, same readers", m[t][W_URCU],
			  t == 2 ? GOAL_AT_MOST : GOAL_NONE, 2);
#endif
	}
	bench_row("offline+online, 2 readers running", mc[1] / 1000, "us",
		  "offline+online, no readers", mc[0] / 1000, GOAL_AT_MOST, 2);
#ifdef HAVE_URCU
	printf("issue 18 goals: write lock+unlock, 2 readers <= 2x synchronize_rcu: %s; "
	       "offline+online, 2 readers <= 2x none: %s\n",
	       m[2][W_CPUHP] <= 2 * m[2][W_URCU] ? "met" : "NOT MET",
	       mc[1] <= 2 * mc[0] ? "met" : "NOT MET");
#else
	printf("issue 18 goals: write lock goal not measured (no liburcu-memb); "
	       "offline+online, 2 readers <= 2x none: %s\n",
	       mc[1] <= 2 * mc[0] ? "met" : "NOT MET");
#endif
	cpuhp_free(cycle_hp);
	cycle_hp = NULL;
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
	bench_section("a. writer latency with readers running (median of medians)");
	bench_writers();
	cpuhp_free(hp);
	hp = NULL;
}
