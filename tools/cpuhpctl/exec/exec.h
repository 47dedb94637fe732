/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * exec.h - "cpuhpctl exec": run a program on the simulated machine.  The
 * pieces: the private mount namespace and its mounts (exec-ns.c), the
 * flapping CPUs (exec-flap.c), the recent hotplug events kept for the report
 * on a crash (exec-events.c), and the command itself (cmd-exec.c).
 */
#ifndef CPUHPCTL_EXEC_H
#define CPUHPCTL_EXEC_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <cpuhp/cpuhp.h>

#include "mount/mount.h"

/* ------------------------------------------------------ exec-events.c */

#define EVENT_TEXT 200

/*
 * The last events, as formatted lines with their CLOCK_MONOTONIC time:
 * trace events come from the "cpuhp/N" threads (through the mount's tap),
 * flap operations from the flap thread, so every field is under @lock.
 */
struct event_log {
	pthread_mutex_t lock;
	struct event_slot {
		uint64_t ts_ns;
		char text[EVENT_TEXT];
	} * slots;
	size_t cap, next, count; /* ring: count valid, next written at [next] */
};

int event_log_init(struct event_log *l, size_t cap);
void event_log_destroy(struct event_log *l);
void event_log_add(struct event_log *l, uint64_t ts_ns, const char *text);
/* A mount_tap_fn (mount_fs_set_tap()) that adds the event's ftrace line. */
void event_log_tap(void *data, uint64_t ts_ns, const char *line);
/*
 * Print to @f the flap operations, then the trace events, at most @window_ms
 * before @end_ns: the last @max of each, with their time relative to @end_ns.
 */
void event_log_print(struct event_log *l, FILE *f, uint64_t end_ns,
		     unsigned int window_ms, unsigned int max);
uint64_t mono_ns(void);

/* -------------------------------------------------------- exec-flap.c */

/* One step of a flap script: wait @delay_us, then write @value to @path. */
struct flap_step {
	unsigned long delay_us;
	char path[64];
	char value[16];
};

struct flap {
	struct cpuhp *hp;
	struct event_log *log;
	double rate; /* random operations per second; 0 = as fast as possible */
	uint64_t seed, rng;
	bool random; /* --flap, else the script */
	struct flap_step *steps;
	size_t nr_steps;
	bool keep_going; /* a failed write is reported and skipped */

	pthread_t thread;
	atomic_bool stop;
	/* Written by the flap thread, read after it is joined. */
	unsigned long ops, failed;
	int error; /* the errno that stopped it, 0 if none */
	char error_op[96];
	double elapsed;
};

int flap_load_script(struct flap *f, const char *file);
int flap_start(struct flap *f);
void flap_stop(struct flap *f);
/* The seeded generator (splitmix64): same seed, same numbers. */
uint64_t flap_next(uint64_t *state);

/* ---------------------------------------------------------- exec-ns.c */

struct exec_ns {
	char dir[64]; /* the mount point of the whole sysroot */
	bool mounted_cpu, mounted_tracing, mounted_cpuinfo, mounted_node;
};

/* unshare(CLONE_NEWNS), propagation private; errors reported. */
int exec_ns_enter(void);
/* A fresh empty directory for the sysroot mount. */
int exec_ns_mkdir(struct exec_ns *ns);
/* Bind the sysroot's views over the system paths; errors reported. */
int exec_ns_bind(struct exec_ns *ns);
/* Lazily unmount every bind of exec_ns_bind(). */
void exec_ns_unbind(struct exec_ns *ns);
/* True when /sys/devices/system/cpu is now a fuse.cpuhp mount. */
bool exec_ns_verify(const char *where);
void exec_ns_rmdir(struct exec_ns *ns);

#endif /* CPUHPCTL_EXEC_H */
