// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * smt.c - SMT topology, which CPUs may boot, and the smt/control value
 * (spec 7).  Writes to smt/control are control/smt-control.c's.
 *
 * Topology is regular: CPU n is thread (n % T) of core (n / T), so the
 * primary threads are the multiples of T, as on the recorded x86 machine.
 */
#include <stdlib.h>
#include <string.h>

#include "walk/walk.h"

static const char *const smt_names[] = {
	[CPU_SMT_ENABLED] = "on",
	[CPU_SMT_DISABLED] = "off",
	[CPU_SMT_FORCE_DISABLED] = "forceoff",
	[CPU_SMT_NOT_SUPPORTED] = "notsupported",
	[CPU_SMT_NOT_IMPLEMENTED] = "notimplemented",
};

void cpuhp__smt_init(struct cpuhp *hp)
{
	unsigned int cpu;

	for (cpu = 0; cpu < hp->nr_possible; cpu++) {
		hp->cpus[cpu].core_id = cpu / hp->threads_per_core;
		hp->cpus[cpu].thread_id = cpu % hp->threads_per_core;
	}
	hp->smt_num_threads = hp->threads_per_core;
	if (!hp->kc.hotplug_smt)
		hp->smt_control = CPU_SMT_NOT_IMPLEMENTED;
	else if (hp->threads_per_core == 1)
		hp->smt_control = CPU_SMT_NOT_SUPPORTED;
	else
		hp->smt_control = CPU_SMT_ENABLED;
	/* cpu_smt_disable(): boot-time only, and only where SMT is possible. */
	if (hp->smt_control == CPU_SMT_ENABLED &&
	    (hp->cmdline_nosmt || hp->cmdline_nosmt_force)) {
		hp->smt_control = hp->cmdline_nosmt_force ? CPU_SMT_FORCE_DISABLED :
							    CPU_SMT_DISABLED;
		hp->smt_num_threads = 1;
	}
}

bool cpuhp__is_primary_thread(const struct cpuhp *hp, unsigned int cpu)
{
	return hp->cpus[cpu].thread_id == 0;
}

/* SMT on, not supported or not implemented: no sibling is held back. */
bool cpuhp__smt_allows_all(const struct cpuhp *hp)
{
	return hp->smt_control == CPU_SMT_ENABLED ||
	       hp->smt_control == CPU_SMT_NOT_IMPLEMENTED ||
	       hp->smt_control == CPU_SMT_NOT_SUPPORTED;
}

/**
 * cpuhp__cpu_bootable - may @cpu be brought up under the SMT policy?
 * @hp:  the machine
 * @cpu: a possible CPU
 *
 * Return: true when SMT is on, not supported or not implemented, for primary
 *         threads, and for siblings that never booted (nosmt boots them once).
 */
bool cpuhp__cpu_bootable(struct cpuhp *hp, unsigned int cpu)
{
	if (cpuhp__smt_allows_all(hp))
		return true;
	if (cpuhp__is_primary_thread(hp, cpu))
		return true;
	return !cpuhp__mask_test(&hp->booted_once, cpu);
}

/* Every change of smt_control happens with device_lock held (or at boot). */
const char *cpuhp__smt_control_name(const struct cpuhp *hp)
{
	struct cpuhp *mhp = (struct cpuhp *)hp;
	const char *name;

	cpuhp__mutex_lock(&mhp->device_lock);
	name = smt_names[hp->smt_control];
	cpuhp__mutex_unlock(&mhp->device_lock);
	return name;
}
