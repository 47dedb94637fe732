/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cpuhp/fault.h - failure injection with the kernel's "hotplug/fail" semantics.
 *
 * An armed CPU fails the next invocation of the armed state's callback (in
 * either direction, including install/remove invocations) with -EAGAIN,
 * without calling it, and disarms itself.
 */
#ifndef CPUHP_FAULT_H
#define CPUHP_FAULT_H

#include <cpuhp/export.h>

#ifdef __cplusplus
extern "C" {
#endif

struct cpuhp;

/**
 * cpuhp_fail_set - arm (or disarm with -1) one-shot failure injection
 * @hp:    the machine
 * @cpu:   the CPU
 * @state: the state to fail, or CPUHP_INVALID (-1) to disarm
 *
 * Refused like the kernel's "cpuN/hotplug/fail" store: a state outside
 * [OFFLINE, ONLINE], an atomic (STARTING/DYING) state, a PREPARE state while
 * the CPU is above CPUHP_BRINGUP_CPU, or a state with no callback at all.
 *
 * Context: not from a callback of @hp.
 * Return: 0, or -EINVAL for a refused state or a CPU that is not possible.
 */
CPUHP_EXPORT int cpuhp_fail_set(struct cpuhp *hp, unsigned int cpu, int state);

/**
 * cpuhp_fail_get - the armed state of a CPU
 * @hp:  the machine
 * @cpu: the CPU
 *
 * Context: any thread.
 * Return: the armed state, -1 when disarmed, or -EINVAL for a bad CPU (which
 *         is distinguishable because states are >= -1).
 */
CPUHP_EXPORT int cpuhp_fail_get(const struct cpuhp *hp, unsigned int cpu);

#ifdef __cplusplus
}
#endif

#endif /* CPUHP_FAULT_H */
