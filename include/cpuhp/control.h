/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cpuhp/control.h - the sysfs-compatible control interface.
 *
 * Paths are relative to devices/system/cpu ("cpu1/hotplug/fail"); an absolute
 * "/sys/devices/system/cpu/..." is accepted too.  Reads return the kernel's
 * text, writes take the kernel's values and fail with the kernel's errno.
 */
#ifndef CPUHP_CONTROL_H
#define CPUHP_CONTROL_H

#include <stddef.h>
#include <sys/types.h>

#include <cpuhp/export.h>

#ifdef __cplusplus
extern "C" {
#endif

struct cpuhp;

/**
 * cpuhp_ctl_read - read a control file
 * @hp:   the machine
 * @path: e.g. "online", "hotplug/states", "cpu2/hotplug/state"
 * @buf:  output buffer; always NUL-terminated when @len > 0
 * @len:  its size
 *
 * Context: not from a callback of @hp (the state mutex may be taken).
 * Return: the length of the full text (which may exceed @len - 1, as with
 *         snprintf), -ENOENT (no such file), -EISDIR (a directory), -EINVAL
 *         (NULL arguments, a path containing ".."), -ENOMEM, -EDEADLK
 *         ("hotplug/states" read from a callback while the state mutex is
 *         held by a registration).
 */
CPUHP_EXPORT ssize_t cpuhp_ctl_read(struct cpuhp *hp, const char *path, char *buf,
				    size_t len);

/**
 * cpuhp_ctl_write - write a control file, as one write(2) would
 * @hp:    the machine
 * @path:  as cpuhp_ctl_read()
 * @value: the bytes written, e.g. "0" or "0\n" (one trailing newline is
 *         accepted where the kernel accepts it); "" is a zero-length
 *         write, which sysfs passes to no file: it returns 0 and changes
 *         nothing (checked on a real 6.1 and 6.12)
 *
 * Context: not from a callback of @hp; may run a whole hotplug operation.
 * Return: 0 on success, or the errno the kernel's write(2) fails with, as a
 *         negative value: -ENOENT, -EISDIR, -EACCES (read-only file),
 *         -EINVAL (also for a path containing ".."), -ERANGE, -EBUSY, -EPERM,
 *         -ENODEV, -EAGAIN (injected), -EDEADLK (called from a callback of
 *         @hp) ...
 */
CPUHP_EXPORT int cpuhp_ctl_write(struct cpuhp *hp, const char *path, const char *value);

/**
 * cpuhp_ctl_stat - the type and permissions of a control path
 * @hp:   the machine
 * @path: as cpuhp_ctl_read(); directories too ("", "cpu1", "smt")
 * @mode: receives the mode sysfs shows: S_IFDIR | 0755 for a directory,
 *        S_IFREG | 0444 (read-only), | 0644 (read/write) or | 0200
 *        (write-only) for a file
 *
 * Whether a path exists can change as CPUs come and go ("cpuN/topology"
 * exists only while CPU N is at or above "base/topology:prepare").
 *
 * Context: any thread.
 * Return: 0, -ENOENT (no such file or directory), -EINVAL (NULL arguments, a
 *         path containing "..").
 */
CPUHP_EXPORT int cpuhp_ctl_stat(struct cpuhp *hp, const char *path, mode_t *mode);

/**
 * typedef cpuhp_ctl_dir_fn - called by cpuhp_ctl_readdir() for each entry
 * @data: the pointer given to cpuhp_ctl_readdir()
 * @name: the entry's name ("online", "cpu3"); valid only during the call
 * @mode: as cpuhp_ctl_stat() returns it
 *
 * Return: 0 to go on, anything else to stop the listing with that value.
 */
typedef int (*cpuhp_ctl_dir_fn)(void *data, const char *name, mode_t mode);

/**
 * cpuhp_ctl_readdir - list the entries of a control directory
 * @hp:   the machine
 * @path: the directory, as cpuhp_ctl_stat()
 * @fn:   called once per entry (never for "." or ".."), in a fixed order
 *        with the "cpuN" directories in CPU order
 * @data: passed to @fn
 *
 * Lists the same files cpuhp_ctl_stat() and cpuhp_ctl_read() know, so a
 * file system built on these three shows exactly the control interface.
 *
 * Context: any thread; @fn must not free @hp.
 * Return: 0, the first nonzero value @fn returned, -ENOTDIR (@path is a
 *         file), -ENOENT, -EINVAL (NULL arguments, "..").
 */
CPUHP_EXPORT int cpuhp_ctl_readdir(struct cpuhp *hp, const char *path,
				   cpuhp_ctl_dir_fn fn, void *data);

#ifdef __cplusplus
}
#endif

#endif /* CPUHP_CONTROL_H */
