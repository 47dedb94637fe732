// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * query.c - what a machine's user may ask of it at any time: the CPU
 * counts, masks, states and statistics.  Plain relaxed reads of the data
 * model; they take no lock.
 */
#include "machine/machine.h"

unsigned int cpuhp_nr_possible(const struct cpuhp *hp)
{
	return hp->nr_possible;
}

unsigned int cpuhp_num_online(const struct cpuhp *hp)
{
	return atomic_load_explicit(&hp->num_online, memory_order_relaxed);
}

bool cpuhp_cpu_online(const struct cpuhp *hp, unsigned int cpu)
{
	return cpuhp__mask_test(&hp->online, cpu);
}

bool cpuhp_cpu_active(const struct cpuhp *hp, unsigned int cpu)
{
	return cpuhp__mask_test(&hp->active, cpu);
}

bool cpuhp_cpu_present(const struct cpuhp *hp, unsigned int cpu)
{
	return cpuhp__mask_test(&hp->present, cpu);
}

bool cpuhp_cpu_dying(const struct cpuhp *hp, unsigned int cpu)
{
	return cpuhp__mask_test(&hp->dying, cpu);
}

int cpuhp_cpu_state(const struct cpuhp *hp, unsigned int cpu)
{
	return cpuhp__cpu_valid(hp, cpu) ? st_state(&hp->cpus[cpu]) : -EINVAL;
}

int cpuhp_cpu_target(const struct cpuhp *hp, unsigned int cpu)
{
	return cpuhp__cpu_valid(hp, cpu) ? st_target(&hp->cpus[cpu]) : -EINVAL;
}

void cpuhp_stats_get(const struct cpuhp *hp, struct cpuhp_stats *out)
{
	out->handoffs = atomic_load_explicit(&hp->stat_handoffs, memory_order_relaxed);
	out->wakeups = atomic_load_explicit(&hp->stat_wakeups, memory_order_relaxed);
}

void cpuhp_stats_reset(struct cpuhp *hp)
{
	atomic_store_explicit(&hp->stat_handoffs, 0, memory_order_relaxed);
	atomic_store_explicit(&hp->stat_wakeups, 0, memory_order_relaxed);
}
