/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cpuhp/cpuhp.h - libcpuhp: the Linux CPU-hotplug state machine in user space.
 *
 * Umbrella header: machine lifecycle and configuration, CPU up/down, the
 * hotplug locks, queries, logging and the callback execution context.
 * Every function takes the machine first and returns 0 or a negative errno
 * unless documented otherwise; errno is never used as a side channel.
 */
#ifndef CPUHP_CPUHP_H
#define CPUHP_CPUHP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include <cpuhp/bringup.h>
#include <cpuhp/control.h>
#include <cpuhp/export.h>
#include <cpuhp/fault.h>
#include <cpuhp/host.h>
#include <cpuhp/percpu.h>
#include <cpuhp/state.h>
#include <cpuhp/stats.h>
#include <cpuhp/trace.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CPUHP_VERSION_MAJOR 0
#define CPUHP_VERSION_MINOR 1
#define CPUHP_VERSION_PATCH 0

/* Largest possible-CPU count a machine may have (the kernel's NR_CPUS). */
#define CPUHP_MAX_CPUS 8192

struct cpuhp;

/**
 * typedef cpuhp_log_fn - log hook
 * @data:     the pointer given with the hook
 * @priority: syslog priority (LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG)
 * @file, @line, @fn: where in the library the message comes from
 * @format, @args: printf-style message, without a trailing newline
 *
 * Called from whichever thread logs (control thread or "cpuhp/N"); must be
 * thread-safe and must not call back into the machine.
 */
typedef void (*cpuhp_log_fn)(void *data, int priority, const char *file, int line,
			     const char *fn, const char *format, va_list args);

/**
 * struct cpuhp_config - how to build and boot a machine
 * @model:            "mainline" (default) or "linux-6.1-x86", or a path to a
 *                    model file (contains a '/')
 * @nr_possible:      possible CPUs, 1..CPUHP_MAX_CPUS (default 4)
 * @nr_present:       present CPUs, 1..@nr_possible (0 = all possible)
 * @threads_per_core: SMT threads per core (default 1)
 * @cmdline:          kernel command line parameters that matter to hotplug:
 *                    "nosmt", "nosmt=force", "maxcpus=N", "nosmp"
 * @kconfig:          kernel config switches, space separated, e.g.
 *                    "HOTPLUG_CPU=n CPU_HOTPLUG_STATE_CONTROL=y"
 * @log_fn:           log hook, also used while booting (NULL = silent)
 * @log_data:         passed to @log_fn
 * @log_priority:     highest priority passed to the hook (default LOG_WARNING)
 * @trace_fn:         trace sink installed before the boot CPUs come up, so
 *                    the boot's own events are traced (NULL = none; see
 *                    cpuhp_trace_set_fn() to change it later)
 * @trace_data:       passed to @trace_fn
 * @flags:            CPUHP_CONFIG_* switches for comparisons and tests (0 =
 *                    the fast defaults)
 * @thread_stack_size: stack size of each "cpuhp/N" thread in bytes (their
 *                    callbacks run on it); 0 = the default, 64 KiB (256 KiB
 *                    in sanitizer builds); at least PTHREAD_STACK_MIN,
 *                    rounded up to whole pages
 * @backend:          NULL or "model" (simulated CPUs, the default), or "linux":
 *                    the machine's CPUs follow the real machine (docs/host.md;
 *                    @nr_possible, @nr_present and @cmdline are then taken
 *                    from the host and ignored)
 * @host_sysfs_root:  linux: the CPU directory (default
 *                    "/sys/devices/system/cpu"; tests point it at a fixture)
 * @host_cpuset:      linux: file holding the cgroup's effective CPU list;
 *                    NULL = discover cgroup v2/v1 from /proc/self/cgroup,
 *                    "" = do not read a cgroup
 * @host_affinity:    linux: NULL = sched_getaffinity() of the main thread;
 *                    else a file holding a CPU list that replaces it (tests)
 * @host_uevent:      linux: NULL = NETLINK_KOBJECT_UEVENT, "none" = polling
 *                    only, "fd:N" = read uevent datagrams from descriptor N
 *                    (a socketpair end; the machine owns it once
 *                    cpuhp_new() succeeded)
 * @host_poll_ms:     linux: rescan interval in ms (0 = 1000)
 *
 * Zero-initialise, or call cpuhp_config_init(), then set what you need.
 */
struct cpuhp_config {
	const char *model;
	unsigned int nr_possible;
	unsigned int nr_present;
	unsigned int threads_per_core;
	const char *cmdline;
	const char *kconfig;
	cpuhp_log_fn log_fn;
	void *log_data;
	int log_priority;
	cpuhp_trace_fn trace_fn;
	void *trace_data;
	unsigned int flags;
	size_t thread_stack_size;
	const char *backend;
	const char *host_sysfs_root;
	const char *host_cpuset;
	const char *host_affinity;
	const char *host_uevent;
	unsigned int host_poll_ms;
};

/*
 * CPUHP_CONFIG_* - struct cpuhp_config.flags
 * @CPUHP_CONFIG_NO_MEMBARRIER: the cpus read lock does not use membarrier()
 *	even where the kernel offers it (the portable fallback, with a full
 *	fence on each read lock and unlock)
 * @CPUHP_CONFIG_SERIAL_BRINGUP: boot, cpuhp_bringup_cpus() and smt/control
 *	"on" bring CPUs up one after another (as "cpuhp.parallel=0" on the
 *	command line)
 * @CPUHP_CONFIG_SERIAL_SETUP: state setup, removal and instance add/remove
 *	always invoke AP callbacks one CPU after another, as the kernel does
 *	(by default sets of 64 or more CPUs are served concurrently, each CPU
 *	on its own thread; docs/performance.md)
 * @CPUHP_CONFIG_CONCURRENT_SETUP: serve AP callbacks of state setup and
 *	instance add/remove concurrently whatever the number of CPUs
 */
#define CPUHP_CONFIG_NO_MEMBARRIER 0x1u
#define CPUHP_CONFIG_SERIAL_BRINGUP 0x2u
#define CPUHP_CONFIG_SERIAL_SETUP 0x4u
#define CPUHP_CONFIG_CONCURRENT_SETUP 0x8u

/**
 * cpuhp_config_init - fill a configuration with the defaults
 * @cfg: the configuration
 *
 * Context: any thread.
 */
CPUHP_EXPORT void cpuhp_config_init(struct cpuhp_config *cfg);

/**
 * cpuhp_new - create and boot a machine
 * @cfg: configuration; NULL for the defaults
 * @out: receives the machine
 *
 * CPU 0 is the boot CPU and starts online; the other present CPUs are
 * brought up to CPUHP_ONLINE as the kernel's boot does, honouring
 * "maxcpus=" and "nosmp".  Bring-up failures at boot are logged, not
 * returned (the kernel ignores them too).
 *
 * Context: any thread.
 * Return: 0, -EINVAL (bad configuration: CPU counts, unknown model, option
 *         or switch; the log hook says which), -ENOMEM, or the error of
 *         creating a thread.
 */
CPUHP_EXPORT int cpuhp_new(const struct cpuhp_config *cfg, struct cpuhp **out);

/**
 * cpuhp_free - take every CPU down and release the machine
 * @hp: the machine, or NULL
 *
 * Runs the teardown callbacks of every online CPU except the boot CPU,
 * then joins every thread and frees all memory.
 *
 * Context: no other thread may use @hp during or after the call; not from a
 * callback.
 */
CPUHP_EXPORT void cpuhp_free(struct cpuhp *hp);

/**
 * cpuhp_set_log_fn - replace the log hook
 * @hp:   the machine
 * @fn:   the hook, or NULL to drop messages
 * @data: passed to @fn
 *
 * Context: any thread, but not concurrently with operations that log.
 */
CPUHP_EXPORT void cpuhp_set_log_fn(struct cpuhp *hp, cpuhp_log_fn fn, void *data);

/**
 * cpuhp_set_log_priority - set the highest syslog priority passed to the hook
 * @hp:       the machine
 * @priority: LOG_ERR .. LOG_DEBUG
 *
 * Context: any thread.
 */
CPUHP_EXPORT void cpuhp_set_log_priority(struct cpuhp *hp, int priority);

/**
 * cpuhp_cpu_up - bring a CPU up to @target (the kernel's cpu_up())
 * @hp:     the machine
 * @cpu:    the CPU
 * @target: state to reach, CPUHP_ONLINE normally
 *
 * Does not change the "cpuN/online" device flag (see cpuhp_add_cpu()).
 *
 * Context: takes the add/remove lock and the cpus write lock; not from a
 * callback and not with the cpus read lock held (-EDEADLK).
 * Return: 0 (also when the CPU already is at or above @target), -EINVAL
 *         (CPU not possible or not present, target out of range), -EBUSY
 *         (hotplug disabled), -EPERM (SMT sibling not allowed), -EDEADLK,
 *         or the error of the failing callback after rollback.
 */
CPUHP_EXPORT int cpuhp_cpu_up(struct cpuhp *hp, unsigned int cpu, int target);

/**
 * cpuhp_cpu_down - take a CPU down to @target (the kernel's cpu_down())
 * @hp:     the machine
 * @cpu:    the CPU
 * @target: state to reach, CPUHP_OFFLINE normally
 *
 * Context: as cpuhp_cpu_up().
 * Return: 0, -EINVAL (CPU not possible or not present, target out of range
 *         or above the CPU's state), -EBUSY (hotplug disabled, or the last
 *         online CPU), -EOPNOTSUPP (offlining not supported by the machine),
 *         -EDEADLK, or the error of the failing callback after rollback.
 */
CPUHP_EXPORT int cpuhp_cpu_down(struct cpuhp *hp, unsigned int cpu, int target);

/**
 * cpuhp_add_cpu - online a CPU through the device core ("cpuN/online" <- 1)
 * @hp:  the machine
 * @cpu: the CPU
 *
 * No-op success if the device is already marked online; otherwise
 * cpuhp_cpu_up(CPUHP_ONLINE) and, on success, mark the device online.
 *
 * Context: as cpuhp_cpu_up().
 * Return: as cpuhp_cpu_up().
 */
CPUHP_EXPORT int cpuhp_add_cpu(struct cpuhp *hp, unsigned int cpu);

/**
 * cpuhp_remove_cpu - offline a CPU through the device core ("cpuN/online" <- 0)
 * @hp:  the machine
 * @cpu: the CPU
 *
 * Context: as cpuhp_cpu_down().
 * Return: as cpuhp_cpu_down().
 */
CPUHP_EXPORT int cpuhp_remove_cpu(struct cpuhp *hp, unsigned int cpu);

/**
 * cpuhp_hotplug_disable - forbid CPU up/down (nesting counter)
 * @hp: the machine
 *
 * Waits for a running operation to finish.  While disabled, up/down return
 * -EBUSY.
 *
 * Context: not from a callback.
 */
CPUHP_EXPORT void cpuhp_hotplug_disable(struct cpuhp *hp);

/**
 * cpuhp_hotplug_enable - undo one cpuhp_hotplug_disable()
 * @hp: the machine
 *
 * An unbalanced enable warns ("Unbalanced cpu hotplug enable") and does
 * nothing.
 *
 * Context: not from a callback.
 */
CPUHP_EXPORT void cpuhp_hotplug_enable(struct cpuhp *hp);

/**
 * cpuhp_cpus_read_lock - keep the set of online CPUs stable
 * @hp: the machine
 *
 * Nests.  Inside a hotplug callback of @hp the operation already excludes
 * other writers, so the call only counts the nesting.
 *
 * Context: may sleep; not in atomic (STARTING/DYING) callbacks (warns).
 */
CPUHP_EXPORT void cpuhp_cpus_read_lock(struct cpuhp *hp);

/**
 * cpuhp_cpus_read_trylock - take the read lock if that does not block
 * @hp: the machine
 *
 * Context: any thread.
 * Return: true if taken.
 */
CPUHP_EXPORT bool cpuhp_cpus_read_trylock(struct cpuhp *hp);

/**
 * cpuhp_cpus_read_unlock - release cpuhp_cpus_read_lock()
 * @hp: the machine
 *
 * Context: the thread that took the lock.
 */
CPUHP_EXPORT void cpuhp_cpus_read_unlock(struct cpuhp *hp);

/**
 * cpuhp_cpus_read_held - does this thread hold the read lock (or run a callback)?
 * @hp: the machine
 *
 * Context: any thread.
 * Return: true or false.
 */
CPUHP_EXPORT bool cpuhp_cpus_read_held(struct cpuhp *hp);

/* Queries.  Values may change unless the cpus read lock is held. */

/** cpuhp_nr_possible - number of possible CPUs.  Context: any.  Return: count. */
CPUHP_EXPORT unsigned int cpuhp_nr_possible(const struct cpuhp *hp);
/** cpuhp_num_online - number of online CPUs.  Context: any.  Return: count. */
CPUHP_EXPORT unsigned int cpuhp_num_online(const struct cpuhp *hp);
/** cpuhp_cpu_online - is @cpu in the online mask?  Context: any.  Return: bool. */
CPUHP_EXPORT bool cpuhp_cpu_online(const struct cpuhp *hp, unsigned int cpu);
/** cpuhp_cpu_active - is @cpu in the active mask?  Context: any.  Return: bool. */
CPUHP_EXPORT bool cpuhp_cpu_active(const struct cpuhp *hp, unsigned int cpu);
/** cpuhp_cpu_present - is @cpu present?  Context: any.  Return: bool. */
CPUHP_EXPORT bool cpuhp_cpu_present(const struct cpuhp *hp, unsigned int cpu);
/** cpuhp_cpu_dying - is @cpu in the dying mask?  Context: any.  Return: bool. */
CPUHP_EXPORT bool cpuhp_cpu_dying(const struct cpuhp *hp, unsigned int cpu);

/**
 * cpuhp_cpu_state - the CPU's current state (sysfs "cpuN/hotplug/state")
 * @hp:  the machine
 * @cpu: the CPU
 *
 * Context: any thread.
 * Return: the state, or -EINVAL for a CPU that is not possible.
 */
CPUHP_EXPORT int cpuhp_cpu_state(const struct cpuhp *hp, unsigned int cpu);

/**
 * cpuhp_cpu_target - the CPU's target (sysfs "cpuN/hotplug/target")
 * @hp:  the machine
 * @cpu: the CPU
 *
 * Context: any thread.
 * Return: the target, or -EINVAL for a CPU that is not possible.
 */
CPUHP_EXPORT int cpuhp_cpu_target(const struct cpuhp *hp, unsigned int cpu);

/**
 * cpuhp_warn_count - number of WARNs this machine has issued
 * @hp: the machine
 *
 * A WARN marks a situation the kernel flags with WARN_ON: a "must not fail"
 * callback failed, a recursive rollback failure, sleeping in atomic context,
 * API misuse.  Tests assert it stays 0 on clean paths.
 *
 * Context: any thread.
 * Return: the count.
 */
CPUHP_EXPORT unsigned long cpuhp_warn_count(const struct cpuhp *hp);

/**
 * enum cpuhp_context - where a callback runs
 * @CPUHP_CTX_NONE:     not inside a callback of this machine
 * @CPUHP_CTX_CONTROL:  on the control thread (PREPARE, DEAD, TEARDOWN_CPU)
 * @CPUHP_CTX_AP:       on the CPU's "cpuhp/N" thread, preemptible (ONLINE)
 * @CPUHP_CTX_STARTING: on the CPU's thread, atomic (STARTING)
 * @CPUHP_CTX_DYING:    on the outgoing CPU's thread inside the stop-machine
 *                      rendezvous, atomic (DYING)
 */
enum cpuhp_context {
	CPUHP_CTX_NONE = 0,
	CPUHP_CTX_CONTROL,
	CPUHP_CTX_AP,
	CPUHP_CTX_STARTING,
	CPUHP_CTX_DYING,
};

/**
 * cpuhp_current_context - where the calling thread is running
 * @hp:  the machine
 * @cpu: if not NULL, receives the CPU whose thread this is, or -1 for the
 *       control thread / a foreign thread
 *
 * Context: any thread.
 * Return: the context.
 */
CPUHP_EXPORT enum cpuhp_context cpuhp_current_context(const struct cpuhp *hp, int *cpu);

/**
 * cpuhp_in_atomic - is the calling thread in atomic context?
 * @hp: the machine
 *
 * Context: any thread.
 * Return: true inside STARTING and DYING callbacks.
 */
CPUHP_EXPORT bool cpuhp_in_atomic(const struct cpuhp *hp);

/**
 * cpuhp_might_sleep - declare that the caller is about to sleep
 * @hp: the machine
 *
 * In atomic context this is a reported error: it logs "sleeping function
 * called from invalid context" and bumps the WARN counter.  Callbacks should
 * call it before blocking; the library calls it in every blocking entry point.
 *
 * Context: any thread.
 * Return: 0, or -EWOULDBLOCK in atomic context.
 */
CPUHP_EXPORT int cpuhp_might_sleep(struct cpuhp *hp);

/**
 * cpuhp_strerror_name - the errno's symbolic name ("EAGAIN") for messages
 * @err: a negative or positive errno
 *
 * Context: any thread.
 * Return: a static string; "E?" for unknown values.
 */
CPUHP_EXPORT const char *cpuhp_strerror_name(int err);

#ifdef __cplusplus
}
#endif

#endif /* CPUHP_CPUHP_H */
