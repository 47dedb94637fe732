/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ctl-path.h - path resolution of the control interface (control.c).
 *
 * Exposed only for white-box tests of the path parser; the library's users go
 * through cpuhp_ctl_read() and cpuhp_ctl_write().
 */
#ifndef CPUHP_CTL_PATH_H
#define CPUHP_CTL_PATH_H

struct cpuhp;
struct cpuhp_ctl_entry;

/**
 * cpuhp__ctl_lookup - resolve a control path to a table entry
 * @hp:    the machine (CPU count, which CPUs are hotpluggable)
 * @path:  relative to devices/system/cpu, or "/sys/devices/system/cpu/..."
 * @entry: receives the entry (also for directories)
 * @cpu:   receives the CPU of a "cpuN/..." path, 0 otherwise
 *
 * Empty components ("a//b", a trailing '/') and "." are ignored.
 *
 * Context: any thread.
 * Return: 0 for a file, -EISDIR for a directory, -ENOENT (no such path, a
 *         CPU that is not possible, "cpu01"), -EINVAL ("..").
 */
int cpuhp__ctl_lookup(const struct cpuhp *hp, const char *path,
		      const struct cpuhp_ctl_entry **entry, unsigned int *cpu);

/* Boot: find the state that creates "cpuN/topology" (in control-files.c). */
void cpuhp__ctl_init(struct cpuhp *hp);

/* The entry's pattern, e.g. "cpu#/hotplug/target" ("" for the root). */
const char *cpuhp__ctl_entry_pattern(const struct cpuhp_ctl_entry *entry);

#endif /* CPUHP_CTL_PATH_H */
