/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cpuhp/bringup.h - bringing many CPUs up at once (the kernel's parallel
 * bring-up, docs/performance.md).
 */
#ifndef CPUHP_BRINGUP_H
#define CPUHP_BRINGUP_H

#include <cpuhp/export.h>

#ifdef __cplusplus
extern "C" {
#endif

struct cpuhp;

/* Bits per word of a CPU bitmap: CPU c is bit c % this of word c / this. */
#define CPUHP_BITS_PER_LONG (8 * (unsigned int)sizeof(unsigned long))

/**
 * cpuhp_bringup_cpus - bring the CPUs of a bitmap up to CPUHP_ONLINE
 * @hp:   the machine
 * @mask: CPU bitmap covering cpuhp_nr_possible() bits (see
 *        CPUHP_BITS_PER_LONG); bits of CPUs already online are no-ops
 *
 * The kernel's parallel bring-up (v6.5, spec 3.13) on models with a split
 * start-up (CPUHP_BP_KICK_AP): every CPU of the mask is first taken to the
 * kick/alive point, one after another, then all of them finish
 * concurrently.  Each CPU sees the same callbacks, in the same order, with
 * the same trace, as in a serial bring-up; a CPU that fails is rolled back
 * to CPUHP_OFFLINE.  With CPUHP_CONFIG_SERIAL_BRINGUP, "cpuhp.parallel=0"
 * or a model without a split start-up, the CPUs come up one after another.
 * Like cpuhp_cpu_up(), does not change the "cpuN/online" device flags.
 *
 * Context: takes the add/remove lock and the cpus write lock; not from a
 * callback and not with the cpus read lock held (-EDEADLK).
 * Return: 0 if every CPU of the mask is online afterwards; else the error of
 *         the lowest-numbered CPU that is not (after rollback); -EINVAL
 *         (NULL argument, a CPU that is not possible), -EBUSY (hotplug
 *         disabled), -EDEADLK.
 */
CPUHP_EXPORT int cpuhp_bringup_cpus(struct cpuhp *hp, const unsigned long *mask);

#ifdef __cplusplus
}
#endif

#endif /* CPUHP_BRINGUP_H */
