/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sched.h - the library's side of the deterministic scheduler (sched.c,
 * <cpuhp/sched.h>): the thread-local test that says whether the calling
 * thread is scheduled, and the wrappers every lock, wait, thread start and
 * join of the library goes through.  Unscheduled, each wrapper is the plain
 * pthread call behind one predictable branch.
 */
#ifndef CPUHP_BASE_SCHED_H
#define CPUHP_BASE_SCHED_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

struct cpuhp_sched_thread;

/* The calling thread's record when a scheduler runs it, else NULL. */
extern _Thread_local struct cpuhp_sched_thread *cpuhp__sched_me
	__attribute__((tls_model("initial-exec")));

static inline bool cpuhp__sched_on(void)
{
	return __builtin_expect(cpuhp__sched_me != NULL, 0);
}

void cpuhp__sched_point(void);
bool cpuhp__sched_wait_word(_Atomic int *word, int val, bool timed);
void cpuhp__sched_mutex_lock(pthread_mutex_t *m, bool point);
int cpuhp__sched_mutex_trylock(pthread_mutex_t *m);
void cpuhp__sched_mutex_unlock(pthread_mutex_t *m, bool point);
int cpuhp__sched_spawn(pthread_t *tid, const pthread_attr_t *attr, void *(*fn)(void *),
		       void *arg);
int cpuhp__sched_join(pthread_t tid, void **ret);

/* A scheduling point: another thread may run here. */
static inline void cpuhp__sched_maybe_point(void)
{
	if (cpuhp__sched_on())
		cpuhp__sched_point();
}

/* The library's locks: each lock and unlock is a scheduling point. */
static inline int cpuhp__mutex_lock(pthread_mutex_t *m)
{
	if (!cpuhp__sched_on())
		return pthread_mutex_lock(m);
	cpuhp__sched_mutex_lock(m, true);
	return 0;
}

static inline int cpuhp__mutex_trylock(pthread_mutex_t *m)
{
	if (!cpuhp__sched_on())
		return pthread_mutex_trylock(m);
	return cpuhp__sched_mutex_trylock(m);
}

static inline int cpuhp__mutex_unlock(pthread_mutex_t *m)
{
	if (!cpuhp__sched_on())
		return pthread_mutex_unlock(m);
	cpuhp__sched_mutex_unlock(m, true);
	return 0;
}

/*
 * The checker's own locks (the ledger's): a scheduled thread still waits
 * for them as for any lock, but taking and dropping them is no scheduling
 * point: they guard the checker's records, not the machine, and points
 * there would multiply the schedules without adding an interleaving of
 * the machine's.
 */
static inline int cpuhp__mutex_lock_quiet(pthread_mutex_t *m)
{
	if (!cpuhp__sched_on())
		return pthread_mutex_lock(m);
	cpuhp__sched_mutex_lock(m, false);
	return 0;
}

static inline int cpuhp__mutex_unlock_quiet(pthread_mutex_t *m)
{
	if (!cpuhp__sched_on())
		return pthread_mutex_unlock(m);
	cpuhp__sched_mutex_unlock(m, false);
	return 0;
}

/* Threads the library starts: scheduled when their creator is. */
static inline int cpuhp__thread_spawn(pthread_t *tid, const pthread_attr_t *attr,
				      void *(*fn)(void *), void *arg)
{
	if (!cpuhp__sched_on())
		return pthread_create(tid, attr, fn, arg);
	return cpuhp__sched_spawn(tid, attr, fn, arg);
}

static inline int cpuhp__thread_join(pthread_t tid, void **ret)
{
	if (!cpuhp__sched_on())
		return pthread_join(tid, ret);
	return cpuhp__sched_join(tid, ret);
}

#endif /* CPUHP_BASE_SCHED_H */
