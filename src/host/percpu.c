// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * percpu.c - per-CPU storage sized by the possible CPUs, online iteration and
 * the current CPU (rseq area when glibc registered one, sched_getcpu()
 * otherwise).
 */
#include <sched.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cpuhp/percpu.h>

#include "trace/trace.h"

#define PERCPU_ALIGN 64 /* one object never shares a cache line with another */

struct cpuhp_percpu *cpuhp_percpu_alloc(const struct cpuhp *hp, size_t size)
{
	struct cpuhp_percpu *pc;
	size_t stride;

	if (!hp || !size || size > SIZE_MAX / CPUHP_MAX_CPUS - PERCPU_ALIGN)
		return NULL;
	stride = (size + PERCPU_ALIGN - 1) & ~(size_t)(PERCPU_ALIGN - 1);
	pc = malloc(sizeof(*pc));
	if (!pc)
		return NULL;
	pc->base = aligned_alloc(PERCPU_ALIGN, stride * hp->nr_possible);
	if (!pc->base) {
		free(pc);
		return NULL;
	}
	memset(pc->base, 0, stride * hp->nr_possible);
	pc->stride = stride;
	pc->nr = hp->nr_possible;
	return pc;
}

void cpuhp_percpu_free(struct cpuhp_percpu *pc)
{
	if (!pc)
		return;
	free(pc->base);
	free(pc);
}

int cpuhp_next_online(const struct cpuhp *hp, int prev)
{
	unsigned int cpu;

	for (cpu = prev < 0 ? 0 : (unsigned int)prev + 1; cpu < hp->nr_possible; cpu++) {
		if (cpuhp__mask_test(&hp->online, cpu))
			return (int)cpu;
	}
	return -1;
}

/*
 * glibc 2.35+ exports where each thread's struct rseq lives, relative to the
 * thread pointer.  Weak, so that an older glibc links and we fall back.
 * The kernel's struct rseq starts with u32 cpu_id_start, then s32 cpu_id.
 */
extern const ptrdiff_t __rseq_offset __attribute__((weak));
extern const unsigned int __rseq_size __attribute__((weak));

#define RSEQ_CPU_ID_OFFSET 4

static const _Atomic int *rseq_cpu_id(void)
{
	char *tp;

	if (!&__rseq_size || !&__rseq_offset || __rseq_size < 8)
		return NULL;
#if defined(__x86_64__)
	__asm__("mov %%fs:0, %0" : "=r"(tp));
#elif defined(__aarch64__)
	__asm__("mrs %0, tpidr_el0" : "=r"(tp));
#else
	return NULL;
#endif
	return (const _Atomic int *)(tp + __rseq_offset + RSEQ_CPU_ID_OFFSET);
}

int cpuhp_current_cpu(void)
{
	const _Atomic int *id = rseq_cpu_id();
	int cpu;

	if (id) {
		/* The kernel updates cpu_id on every return to this thread. */
		cpu = atomic_load_explicit(id, memory_order_relaxed);
		if (cpu >= 0)
			return cpu;
	}
	cpu = sched_getcpu();
	return cpu >= 0 ? cpu : -1;
}

const char *cpuhp_current_cpu_source(void)
{
	const _Atomic int *id = rseq_cpu_id();

	return id && atomic_load_explicit(id, memory_order_relaxed) >= 0 ? "rseq" :
									   "sched_getcpu";
}
