/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cpuhp/host.h - the "linux" backend: a machine whose CPUs follow the real
 * machine's (sysfs, affinity, cpuset, uevents).  See docs/host.md for which
 * callback runs where and when.
 */
#ifndef CPUHP_HOST_H
#define CPUHP_HOST_H

#include <stdint.h>

#include <cpuhp/export.h>

#ifdef __cplusplus
extern "C" {
#endif

struct cpuhp;

/* Bits of cpuhp_host_cpu_status(). */
#define CPUHP_HOST_PRESENT 0x1u /* in the host's "present" mask */
#define CPUHP_HOST_ONLINE 0x2u  /* in the host's "online" mask */
#define CPUHP_HOST_ALLOWED 0x4u /* in our affinity and cpuset */
#define CPUHP_HOST_USED 0x8u /* online in the machine: the application's states are up */
#define CPUHP_HOST_FAILED 0x10u /* the last bring-up failed; retried on the next change */

/**
 * enum cpuhp_host_event_kind - what the backend's event thread just handled
 * @CPUHP_HOST_EV_UEVENT:    a "cpu" uevent (online, offline, add, remove)
 * @CPUHP_HOST_EV_RESCAN:    a full rescan (start, poll, gap, overrun, explicit)
 * @CPUHP_HOST_EV_MALFORMED: a message that could not be parsed (ignored)
 */
enum cpuhp_host_event_kind {
	CPUHP_HOST_EV_UEVENT,
	CPUHP_HOST_EV_RESCAN,
	CPUHP_HOST_EV_MALFORMED,
};

/**
 * struct cpuhp_host_event - one handled event, for cpuhp_host_event_fn
 * @kind:     see enum cpuhp_host_event_kind
 * @action:   "online", "offline", "add", "remove" (uevents), or why a rescan
 *            ran: "start", "poll", "gap", "overrun", "explicit"
 * @cpu:      the CPU of a uevent, -1 otherwise
 * @seqnum:   the uevent's SEQNUM, 0 otherwise
 * @ups:      CPUs the handling brought up in the machine
 * @downs:    CPUs the handling took down
 * @failures: up/down operations that failed (logged; retried later)
 * @recv_ns:  CLOCK_MONOTONIC when the message was received
 * @done_ns:  CLOCK_MONOTONIC when every callback it caused had returned
 */
struct cpuhp_host_event {
	enum cpuhp_host_event_kind kind;
	const char *action;
	int cpu;
	uint64_t seqnum;
	unsigned int ups, downs, failures;
	uint64_t recv_ns, done_ns;
};

/**
 * typedef cpuhp_host_event_fn - called after each handled event
 * @data: the pointer given with the hook
 * @ev:   the event; valid for the call only
 *
 * Runs on the backend's event thread (or the thread of cpuhp_rescan()),
 * outside every hotplug lock but inside the backend's own serialisation: it
 * may query the machine, take the cpus read lock, and change the hook;
 * cpuhp_rescan() returns -EDEADLK there; it must not free the machine.
 */
typedef void (*cpuhp_host_event_fn)(void *data, const struct cpuhp_host_event *ev);

/**
 * struct cpuhp_host_stats - counters of the linux backend
 * @uevents:   "cpu" uevents handled
 * @ignored:   uevents of other subsystems or actions (they still count for
 *             the SEQNUM gap check)
 * @malformed: messages that were not uevents (logged and ignored)
 * @gaps:      SEQNUM gaps seen (each caused a rescan)
 * @overruns:  receive buffer overruns (ENOBUFS; each caused a rescan)
 * @rescans:   full rescans, all reasons
 * @failures:  failed up/down operations
 * @last_seqnum: the last SEQNUM seen, 0 before the first
 */
struct cpuhp_host_stats {
	unsigned long uevents, ignored, malformed, gaps, overruns, rescans, failures;
	uint64_t last_seqnum;
};

/**
 * cpuhp_rescan - bring the machine in line with the host now
 * @hp: the machine
 *
 * Re-reads possible/present/online, the affinity and the cpuset and brings
 * every CPU up or down to match, in the calling thread (which becomes the
 * control thread of those operations).  Serialised with the event thread.
 *
 * Context: may sleep; not from a callback, the event hook or under the cpus
 * read lock.
 * Return: 0 (also when some CPU failed to come up: see
 *         cpuhp_host_cpu_status()), -ENODEV (not a linux-backend machine),
 *         -EDEADLK (from a callback, the event hook or under the read lock;
 *         also a WARN), or the error of
 *         reading the host's sysfs files.
 */
CPUHP_EXPORT int cpuhp_rescan(struct cpuhp *hp);

/**
 * cpuhp_host_cpu_status - what the backend last saw of a CPU
 * @hp:  the machine
 * @cpu: the CPU
 *
 * Context: any thread.
 * Return: CPUHP_HOST_* bits, -EINVAL for a CPU that is not possible, -ENODEV
 *         when @hp has no linux backend.
 */
CPUHP_EXPORT int cpuhp_host_cpu_status(struct cpuhp *hp, unsigned int cpu);

/**
 * cpuhp_host_get_stats - copy the backend's counters
 * @hp:  the machine
 * @out: receives the counters
 *
 * Context: any thread.
 * Return: 0 or -ENODEV.
 */
CPUHP_EXPORT int cpuhp_host_get_stats(struct cpuhp *hp, struct cpuhp_host_stats *out);

/**
 * cpuhp_host_set_event_fn - install the event hook
 * @hp:   the machine
 * @fn:   the hook, or NULL
 * @data: passed to @fn
 *
 * Context: any thread; the hook is switched between two events.
 * Return: 0 or -ENODEV.
 */
CPUHP_EXPORT int cpuhp_host_set_event_fn(struct cpuhp *hp, cpuhp_host_event_fn fn,
					 void *data);

#ifdef __cplusplus
}
#endif

#endif /* CPUHP_HOST_H */
