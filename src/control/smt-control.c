// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * smt-control.c - writes to smt/control (spec 7.4): parse the value in the
 * order of the machine's kernel, then take the secondary threads down or
 * bring every present CPU up.
 */
#include <stdlib.h>
#include <string.h>

#include "control/control.h"
#include "walk/walk.h"

/*
 * cpuhp_smt_enable: online every offline present CPU (bypasses disable), in
 * CPU order, stopping at the first failure.  bringup.c does it with the
 * parallel bring-up where the machine uses one, with the same result.
 */
static int smt_enable(struct cpuhp *hp)
{
	unsigned int *cpus = calloc(hp->nr_possible, sizeof(*cpus));
	unsigned int cpu, n = 0, done, i;
	int ret = 0;

	if (!cpus)
		return -ENOMEM;
	cpuhp__mutex_lock(&hp->add_remove_lock);
	hp->smt_control = CPU_SMT_ENABLED;
	for (cpu = 0; cpu < hp->nr_possible; cpu++)
		if (cpuhp__mask_test(&hp->present, cpu) &&
		    !cpuhp__mask_test(&hp->online, cpu))
			cpus[n++] = cpu;
	done = cpuhp__bringup_ordered(hp, cpus, n, &ret);
	for (i = 0; i < done; i++)
		atomic_store_explicit(&hp->cpus[cpus[i]].dev_offline, false,
				      memory_order_relaxed);
	cpuhp__mutex_unlock(&hp->add_remove_lock);
	free(cpus);
	return ret;
}

/* cpuhp_smt_disable: offline the secondary threads; commit only on success. */
static int smt_disable(struct cpuhp *hp, enum cpuhp_smt_control ctrl)
{
	unsigned int cpu;
	int ret = 0;

	cpuhp__mutex_lock(&hp->add_remove_lock);
	for (cpu = 0; cpu < hp->nr_possible && !ret; cpu++) {
		if (!cpuhp__mask_test(&hp->online, cpu) ||
		    cpuhp__is_primary_thread(hp, cpu))
			continue;
		ret = cpuhp__cpu_down_maps_locked(hp, cpu, hp->b.offline);
		if (!ret)
			atomic_store_explicit(&hp->cpus[cpu].dev_offline, true,
					      memory_order_relaxed);
	}
	if (!ret)
		hp->smt_control = ctrl;
	cpuhp__mutex_unlock(&hp->add_remove_lock);
	return ret;
}

static bool streq_nl(const char *value, const char *word)
{
	size_t n = strlen(word);

	return !strncmp(value, word, n) &&
	       (!value[n] || (value[n] == '\n' && !value[n + 1]));
}

/* A decimal thread count with an optional trailing newline, or -1. */
static int parse_count(const char *value)
{
	char *end;
	long v;

	if (*value < '0' || *value > '9')
		return -1;
	v = strtol(value, &end, 10);
	if ((*end && strcmp(end, "\n")) || v > 64)
		return -1;
	return (int)v;
}

static int parse_control(const struct cpuhp *hp, const char *value,
			 enum cpuhp_smt_control *ctrl, unsigned int *n)
{
	if (streq_nl(value, "on")) {
		*ctrl = CPU_SMT_ENABLED;
		*n = hp->threads_per_core;
	} else if (streq_nl(value, "off")) {
		*ctrl = CPU_SMT_DISABLED;
		*n = 1;
	} else if (streq_nl(value, "forceoff")) {
		*ctrl = CPU_SMT_FORCE_DISABLED;
		*n = 1;
	} else if (streq_nl(value, "1")) {
		*ctrl = CPU_SMT_DISABLED;
		*n = 1;
	} else if (parse_count(value) == (int)hp->threads_per_core) {
		/* Without SMT_NUM_THREADS_DYNAMIC only the full count means "on". */
		*ctrl = CPU_SMT_ENABLED;
		*n = hp->threads_per_core;
	} else {
		return -EINVAL;
	}
	return 0;
}

/*
 * The 6.1 store (spec 7.4 "6.1 differences"): only the three words, parsed
 * before the -EPERM / -ENODEV checks, and an operation only when the value
 * differs from the current one.  Without CONFIG_HOTPLUG_SMT the store is a
 * stub that refuses everything with -ENODEV.
 */
static int smt_control_write_v61(struct cpuhp *hp, const char *value)
{
	enum cpuhp_smt_control ctrl;
	int ret = 0;

	if (hp->smt_control == CPU_SMT_NOT_IMPLEMENTED)
		return -ENODEV;
	if (streq_nl(value, "on"))
		ctrl = CPU_SMT_ENABLED;
	else if (streq_nl(value, "off"))
		ctrl = CPU_SMT_DISABLED;
	else if (streq_nl(value, "forceoff"))
		ctrl = CPU_SMT_FORCE_DISABLED;
	else
		return -EINVAL;
	if (hp->smt_control == CPU_SMT_FORCE_DISABLED)
		return -EPERM;
	if (hp->smt_control == CPU_SMT_NOT_SUPPORTED)
		return -ENODEV;

	if (ctrl != hp->smt_control) {
		hp->smt_num_threads = ctrl == CPU_SMT_ENABLED ? hp->threads_per_core : 1;
		if (ctrl == CPU_SMT_ENABLED)
			ret = smt_enable(hp);
		else
			ret = smt_disable(hp, ctrl);
	}
	return ret;
}

/* The mainline order of checks (spec 7.4); the device lock is held. */
static int smt_control_write_mainline(struct cpuhp *hp, const char *value)
{
	enum cpuhp_smt_control ctrl;
	unsigned int n, orig;
	bool force_off;
	int ret;

	if (hp->smt_control == CPU_SMT_FORCE_DISABLED)
		return -EPERM;
	if (hp->smt_control == CPU_SMT_NOT_SUPPORTED ||
	    hp->smt_control == CPU_SMT_NOT_IMPLEMENTED)
		return -ENODEV;
	ret = parse_control(hp, value, &ctrl, &n);
	if (ret)
		return ret;

	orig = hp->smt_num_threads;
	hp->smt_num_threads = n; /* kept even if the operation fails */
	force_off = ctrl == CPU_SMT_FORCE_DISABLED && ctrl != hp->smt_control;
	if (n > orig)
		ret = smt_enable(hp);
	else if (n < orig || force_off)
		ret = smt_disable(hp, ctrl);
	return ret;
}

/**
 * cpuhp__smt_control_write - store to smt/control (mainline order, spec 7.4)
 * @hp:    the machine
 * @value: the bytes written
 *
 * With the smt_control_v61 quirk, the 6.1 rules apply instead.
 *
 * Context: takes the device lock (as lock_device_hotplug).
 * Return: 0, -EPERM (forceoff is final), -ENODEV (SMT not supported or not
 *         implemented), -EINVAL, or the first CPU operation's error.
 */
int cpuhp__smt_control_write(struct cpuhp *hp, const char *value)
{
	int ret;

	/*
	 * The kernel peeks at cpu_smt_control before lock_device_hotplug();
	 * here every read of it is under the device lock, so two concurrent
	 * writers never race on it (the errno order is unchanged).
	 */
	cpuhp__mutex_lock(&hp->device_lock);
	if (hp->kc.smt_control_v61)
		ret = smt_control_write_v61(hp, value);
	else
		ret = smt_control_write_mainline(hp, value);
	cpuhp__mutex_unlock(&hp->device_lock);
	return ret;
}
