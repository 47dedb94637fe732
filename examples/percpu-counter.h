/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * percpu-counter.h - a per-CPU counter that follows hotplug without losing a
 * count: each CPU has its own slot; when a CPU leaves, its teardown folds
 * the slot into a surviving CPU's.  Header-only so that the example program
 * and the QEMU end-to-end driver (tests/host/e2e) share one implementation.
 *
 * Why increments take the cpus read lock: the teardown runs under the
 * hotplug write lock, so an increment can never land in a slot after that
 * slot was folded (it would not be lost, but the slot of an offline CPU
 * would no longer be zero).  With perf's fast read lock this costs a few ns.
 */
#ifndef PERCPU_COUNTER_H
#define PERCPU_COUNTER_H

#include <stdatomic.h>
#include <stdint.h>

#include <cpuhp/cpuhp.h>

struct pcc_slot {
	_Atomic uint64_t count;
	_Atomic int live; /* the CPU's startup ran, its teardown did not */
};

struct percpu_counter {
	struct cpuhp *hp;
	struct cpuhp_percpu *slots;
	int state;
	/* Optional observer of every callback (the e2e driver records them). */
	void (*observe)(void *data, unsigned int cpu, int up, uint64_t folded, int into);
	void *observe_data;
};

static inline struct pcc_slot *pcc_slot(struct percpu_counter *c, unsigned int cpu)
{
	return (struct pcc_slot *)cpuhp_per_cpu_ptr(c->slots, cpu);
}

static inline int pcc_up(struct cpuhp *hp, unsigned int cpu, void *data)
{
	struct percpu_counter *c = (struct percpu_counter *)data;

	(void)hp;
	atomic_store_explicit(&pcc_slot(c, cpu)->live, 1, memory_order_relaxed);
	if (c->observe)
		c->observe(c->observe_data, cpu, 1, 0, -1);
	return 0;
}

/* Teardown: the CPU is still in the online mask; any other online CPU survives. */
static inline int pcc_down(struct cpuhp *hp, unsigned int cpu, void *data)
{
	struct percpu_counter *c = (struct percpu_counter *)data;
	uint64_t v;
	int into;

	atomic_store_explicit(&pcc_slot(c, cpu)->live, 0, memory_order_relaxed);
	cpuhp_for_each_online_cpu(hp, into)
	{
		if ((unsigned int)into != cpu)
			break;
	}
	if (into < 0) /* the last CPU (machine shutdown): keep the count in place */
		return 0;
	v = atomic_exchange_explicit(&pcc_slot(c, cpu)->count, 0, memory_order_relaxed);
	atomic_fetch_add_explicit(&pcc_slot(c, (unsigned int)into)->count, v,
				  memory_order_relaxed);
	if (c->observe)
		c->observe(c->observe_data, cpu, 0, v, into);
	return 0;
}

/* Install the state: the startup runs now on every online CPU. */
static inline int pcc_init(struct percpu_counter *c, struct cpuhp *hp)
{
	c->hp = hp;
	c->slots = cpuhp_percpu_alloc(hp, sizeof(struct pcc_slot));
	if (!c->slots)
		return -1;
	c->state = cpuhp_setup_state(hp, cpuhp_state_of(hp, CPUHP_AP_ONLINE_DYN),
				     "example:counter", pcc_up, pcc_down, c);
	if (c->state < 0) {
		cpuhp_percpu_free(c->slots);
		return c->state;
	}
	return 0;
}

/*
 * Count one event on the current CPU.  Under the read lock the online set
 * cannot change; a CPU the machine does not use (yet) counts on the first
 * online one.
 */
static inline void pcc_inc(struct percpu_counter *c)
{
	int cpu;

	cpuhp_cpus_read_lock(c->hp);
	cpu = cpuhp_current_cpu();
	if (cpu < 0 || (unsigned int)cpu >= c->slots->nr ||
	    !cpuhp_cpu_online(c->hp, (unsigned int)cpu))
		cpu = cpuhp_next_online(c->hp, -1);
	atomic_fetch_add_explicit(&pcc_slot(c, (unsigned int)cpu)->count, 1,
				  memory_order_relaxed);
	cpuhp_cpus_read_unlock(c->hp);
}

/* The sum over every possible CPU (exact when no increment runs). */
static inline uint64_t pcc_total(struct percpu_counter *c)
{
	uint64_t sum = 0;
	unsigned int cpu;

	for (cpu = 0; cpu < c->slots->nr; cpu++)
		sum += atomic_load_explicit(&pcc_slot(c, cpu)->count,
					    memory_order_relaxed);
	return sum;
}

static inline void pcc_destroy(struct percpu_counter *c)
{
	cpuhp_remove_state_nocalls(c->hp, c->state);
	cpuhp_percpu_free(c->slots);
}

#endif /* PERCPU_COUNTER_H */
