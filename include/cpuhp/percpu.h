/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cpuhp/percpu.h - per-CPU data for applications: storage sized by the
 * possible CPUs (never by online or affinity counts), iteration over the
 * online CPUs, and the CPU the caller runs on.
 */
#ifndef CPUHP_PERCPU_H
#define CPUHP_PERCPU_H

#include <stddef.h>

#include <cpuhp/export.h>

#ifdef __cplusplus
extern "C" {
#endif

struct cpuhp;

/**
 * struct cpuhp_percpu - one object per possible CPU, each on its own cache lines
 * @base:   the first CPU's object
 * @stride: bytes between two CPUs' objects (a multiple of 64)
 * @nr:     number of objects (the machine's possible CPUs)
 */
struct cpuhp_percpu {
	void *base;
	size_t stride;
	unsigned int nr;
};

/**
 * cpuhp_percpu_alloc - allocate zeroed storage for every possible CPU
 * @hp:   the machine (its possible count sizes the array; it never changes)
 * @size: bytes per CPU, > 0
 *
 * Context: any thread.
 * Return: the allocation, or NULL (size 0 or out of memory).
 */
CPUHP_EXPORT struct cpuhp_percpu *cpuhp_percpu_alloc(const struct cpuhp *hp, size_t size);

/**
 * cpuhp_percpu_free - release cpuhp_percpu_alloc()
 * @pc: the allocation, or NULL
 *
 * Context: no other thread may use @pc.
 */
CPUHP_EXPORT void cpuhp_percpu_free(struct cpuhp_percpu *pc);

/**
 * cpuhp_per_cpu_ptr - a CPU's object
 * @pc:  the allocation
 * @cpu: a possible CPU (not checked: the caller got it from the machine)
 *
 * Context: any thread.
 * Return: the object.
 */
static inline void *cpuhp_per_cpu_ptr(const struct cpuhp_percpu *pc, unsigned int cpu)
{
	return (char *)pc->base + (size_t)cpu * pc->stride;
}

/**
 * cpuhp_next_online - the next online CPU after @prev
 * @hp:   the machine
 * @prev: -1 to start
 *
 * Stable only under cpuhp_cpus_read_lock() (or inside a callback).
 *
 * Context: any thread.
 * Return: a CPU number, or -1 after the last.
 */
CPUHP_EXPORT int cpuhp_next_online(const struct cpuhp *hp, int prev);

/*
 * cpuhp_for_each_online_cpu - loop @cpu (an int) over the online CPUs.
 * Hold cpuhp_cpus_read_lock() around the loop for a stable set.
 */
#define cpuhp_for_each_online_cpu(hp, cpu)                    \
	for ((cpu) = cpuhp_next_online((hp), -1); (cpu) >= 0; \
	     (cpu) = cpuhp_next_online((hp), (cpu)))

/**
 * cpuhp_current_cpu - the real CPU the calling thread runs on
 *
 * Reads the thread's rseq area (glibc 2.35+ registers one per thread) when
 * there is one, sched_getcpu() otherwise.  The answer may be stale as soon as
 * it is returned unless the thread is pinned (a "cpuhp/N" thread of a linux
 * backend machine is).
 *
 * Context: any thread.
 * Return: the CPU number, or -1 if it cannot be known.
 */
CPUHP_EXPORT int cpuhp_current_cpu(void);

/**
 * cpuhp_current_cpu_source - how cpuhp_current_cpu() learns the CPU
 *
 * Context: any thread.
 * Return: "rseq" or "sched_getcpu".
 */
CPUHP_EXPORT const char *cpuhp_current_cpu_source(void);

#ifdef __cplusplus
}
#endif

#endif /* CPUHP_PERCPU_H */
