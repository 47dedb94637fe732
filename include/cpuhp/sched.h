/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cpuhp/sched.h - the deterministic scheduler: run a machine's threads one
 * at a time, in an order the caller chooses, to check every interleaving.
 *
 * A thread that attaches to a scheduler becomes its thread 0.  From then on
 * every thread the library starts from a scheduled thread (the "cpuhp/N"
 * threads of a machine created there, the offline worker, the parallel
 * bring-up's helpers) and every thread started with cpuhp_sched_spawn() is
 * scheduled too: exactly one of them runs at any time, and it runs until a
 * scheduling point.  Scheduling points are the hand-offs between threads,
 * every lock and unlock of the library's locks, every wait, the start and
 * end of every callback, and thread creation and exit.  At each point the
 * scheduler picks the next thread among those that can run: by default the
 * current one, or the lowest-numbered one when the current one blocks; a
 * plan (cpuhp_sched_plan()) overrides chosen decisions.  Threads are
 * numbered in creation order, lowest free number first, so a plan replays
 * exactly on a machine built the same way.
 *
 * Threads that are not scheduled run as usual; the scheduling mode costs
 * one thread-local test at each point when no scheduler is attached.
 */
#ifndef CPUHP_SCHED_H
#define CPUHP_SCHED_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cpuhp/export.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The most threads one scheduler runs (the width of an enabled set). */
#define CPUHP_SCHED_MAX_THREADS 64

struct cpuhp_sched;

/**
 * struct cpuhp_sched_choice - one overridden decision of a plan
 * @at:     the decision's number, from 0, counting only the points where more
 *          than one thread could run, since cpuhp_sched_plan()
 * @thread: the thread to run there
 */
struct cpuhp_sched_choice {
	uint32_t at;
	uint32_t thread;
};

/**
 * struct cpuhp_sched_decision - one decision the scheduler made
 * @enabled:     the threads that could run (bit N: thread N)
 * @chosen:      the thread that ran
 * @current:     the thread that reached the point, or -1 if it blocked there
 *               (or exited): choosing another while @current can run is a
 *               preemption
 * @preemptions: preemptions before this decision, since the plan began
 */
struct cpuhp_sched_decision {
	uint64_t enabled;
	uint8_t chosen;
	int8_t current;
	uint16_t preemptions;
};

/**
 * enum cpuhp_sched_end - how a planned run ended
 * @CPUHP_SCHED_RUNNING:  not ended (or ended normally)
 * @CPUHP_SCHED_DEADLOCK: no thread could run and none was in a timed wait
 * @CPUHP_SCHED_LIVELOCK: more scheduling points than the plan's bound
 * @CPUHP_SCHED_DIVERGED: a decision of the plan named a thread that could
 *                        not run there (the plan is for another program)
 */
enum cpuhp_sched_end {
	CPUHP_SCHED_RUNNING,
	CPUHP_SCHED_DEADLOCK,
	CPUHP_SCHED_LIVELOCK,
	CPUHP_SCHED_DIVERGED,
};

/**
 * cpuhp_sched_new - create a scheduler
 *
 * Context: any thread.
 * Return: the scheduler, or NULL with errno set (ENOMEM).
 */
CPUHP_EXPORT struct cpuhp_sched *cpuhp_sched_new(void);

/**
 * cpuhp_sched_free - destroy a scheduler
 * @s: the scheduler, detached (NULL is ignored)
 *
 * A scheduler whose run was abandoned (deadlock or livelock) still has
 * threads parked in it forever: it is then only marked, never freed.
 *
 * Context: any thread but a scheduled one.
 */
CPUHP_EXPORT void cpuhp_sched_free(struct cpuhp_sched *s);

/**
 * cpuhp_sched_attach - make the calling thread thread 0 of @s
 * @s: the scheduler
 *
 * Context: a thread not scheduled yet.
 * Return: 0; -EBUSY if the thread is scheduled already or @s has a thread
 * 0; -EINVAL if @s is NULL.
 */
CPUHP_EXPORT int cpuhp_sched_attach(struct cpuhp_sched *s);

/**
 * cpuhp_sched_detach - end the scheduling of the calling thread 0
 * @s: the scheduler
 *
 * Context: thread 0 of @s, every other thread of @s joined (for a machine:
 * freed with cpuhp_free()), or the run abandoned.
 * Return: 0; -EPERM if the caller is not thread 0 of @s; -EBUSY if other
 * threads are still scheduled (nothing changes).
 */
CPUHP_EXPORT int cpuhp_sched_detach(struct cpuhp_sched *s);

/**
 * cpuhp_sched_spawn - start a scheduled thread
 * @s:   the scheduler the caller is scheduled by
 * @tid: receives the thread
 * @fn:  its function
 * @arg: its argument
 *
 * The new thread runs @fn only when the scheduler picks it.  The creation
 * is a scheduling point.
 *
 * Context: a thread of @s.
 * Return: 0; -EPERM if the caller is not scheduled by @s; -EAGAIN when
 * %CPUHP_SCHED_MAX_THREADS threads exist or the system refuses a thread.
 */
CPUHP_EXPORT int cpuhp_sched_spawn(struct cpuhp_sched *s, pthread_t *tid,
				   void *(*fn)(void *), void *arg);

/**
 * cpuhp_sched_join - wait for a thread started with cpuhp_sched_spawn()
 * @s:   the scheduler
 * @tid: the thread
 * @ret: receives its result (may be NULL)
 *
 * Context: a thread of @s (thread 0 for the errors below to be reported).
 * Return: 0; -ESRCH if @tid is not a live thread of @s; -EDEADLK or -ELOOP
 * when the run was abandoned (deadlock, livelock) while thread 0 waited
 * here: the other threads stay parked, and the machines they belong to must
 * not be used or freed.
 */
CPUHP_EXPORT int cpuhp_sched_join(struct cpuhp_sched *s, pthread_t tid, void **ret);

/**
 * cpuhp_sched_plan - start recording decisions, with some of them chosen
 * @s:          the scheduler
 * @choices:    the overridden decisions, in increasing @at order (may be
 *              NULL if @n is 0)
 * @n:          how many
 * @max_points: scheduling points allowed before the run is declared a
 *              livelock (0: no bound)
 *
 * Clears the previous recording.  Until the next call, decisions are
 * numbered and recorded (cpuhp_sched_decisions()).
 *
 * Context: a thread of @s.
 * Return: 0; -EINVAL if @choices is out of order or names a thread past
 * %CPUHP_SCHED_MAX_THREADS; -ENOMEM.
 */
CPUHP_EXPORT int cpuhp_sched_plan(struct cpuhp_sched *s,
				  const struct cpuhp_sched_choice *choices, size_t n,
				  unsigned long max_points);

/**
 * cpuhp_sched_decisions - the decisions recorded since cpuhp_sched_plan()
 * @s: the scheduler
 * @d: receives the array (valid until the next plan or free)
 *
 * Context: a thread of @s.
 * Return: how many.
 */
CPUHP_EXPORT size_t cpuhp_sched_decisions(const struct cpuhp_sched *s,
					  const struct cpuhp_sched_decision **d);

/**
 * cpuhp_sched_end - how the planned run ended so far
 * @s: the scheduler
 *
 * Context: a thread of @s.
 * Return: %CPUHP_SCHED_RUNNING or the reason it was abandoned or diverged.
 */
CPUHP_EXPORT enum cpuhp_sched_end cpuhp_sched_end(const struct cpuhp_sched *s);

/**
 * cpuhp_sched_points - scheduling points passed since cpuhp_sched_plan()
 * @s: the scheduler
 *
 * Context: a thread of @s.
 * Return: the count.
 */
CPUHP_EXPORT unsigned long cpuhp_sched_points(const struct cpuhp_sched *s);

#ifdef __cplusplus
}
#endif

#endif /* CPUHP_SCHED_H */
