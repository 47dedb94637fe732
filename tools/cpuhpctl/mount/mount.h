/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mount.h - "cpuhpctl mount": the file system (mount-fs.c, its name space
 * in mount-node.c) that serves a machine's control files through FUSE, the
 * trace ring (mount-trace.c) behind its tracefs-shaped "trace" and
 * "trace_pipe" files, and its proc/cpuinfo (mount-cpuinfo.c).
 */
#ifndef CPUHPCTL_MOUNT_H
#define CPUHPCTL_MOUNT_H

#define FUSE_USE_VERSION 35

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <fuse_lowlevel.h>

#include <cpuhp/cpuhp.h>

/*
 * The trace text, bounded: when full, the oldest whole lines are dropped, as
 * the kernel's ring buffer overwrites its oldest events.  The sink adds from
 * the "cpuhp/N" threads, the file system reads on the FUSE loop thread, so
 * every field is under @lock.
 */
struct trace_ring {
	pthread_mutex_t lock;
	char *buf;
	size_t head, len, cap; /* text is buf[head .. head + len) */
	unsigned long entries, written;
};

int trace_ring_init(struct trace_ring *r, size_t cap);
void trace_ring_destroy(struct trace_ring *r);
void trace_ring_add(struct trace_ring *r, const char *line, size_t len);
void trace_ring_clear(struct trace_ring *r);
/* A copy of the whole text and its counters (NULL on -ENOMEM). */
char *trace_ring_copy(struct trace_ring *r, size_t *len, unsigned long *entries,
		      unsigned long *written);
/* Take (consume) up to @len bytes, whole lines when they fit; 0 when empty. */
size_t trace_ring_take(struct trace_ring *r, char *buf, size_t len);
/* The "trace" file's text: tracefs' header, then the ring (NULL on -ENOMEM). */
char *trace_ring_snapshot(struct trace_ring *r, unsigned int nr_online, size_t *len);

/* mount-cpuinfo.c: proc/cpuinfo of the online CPUs (NULL on -ENOMEM). */
char *mount_cpuinfo_text(struct cpuhp *hp, size_t *len);

/* Where the control tree sits in the mount. */
enum mount_layout {
	LAYOUT_SYSROOT, /* DIR/sys/devices/system/cpu + DIR/sys/kernel/tracing */
	LAYOUT_CPU,     /* DIR is devices/system/cpu itself */
};

struct mount_fs;

/* The file system over @hp; installs its trace sink (chained to @trace_file). */
struct mount_fs *mount_fs_new(struct cpuhp *hp, enum mount_layout layout,
			      FILE *trace_file);
/*
 * Also hand every event's ftrace line (and its CLOCK_MONOTONIC time) to @fn,
 * from the emitting thread, with a trace sink's constraints.  Set before the
 * machine runs anything: the sink reads it unlocked.
 */
typedef void (*mount_tap_fn)(void *data, uint64_t ts_ns, const char *line);
void mount_fs_set_tap(struct mount_fs *fs, mount_tap_fn fn, void *data);
/* Answer blocked trace_pipe readers with end-of-file, drop the sink, free. */
void mount_fs_free(struct mount_fs *fs);
/* Before fuse_session_unmount(): end blocked trace_pipe reads (EOF). */
void mount_fs_stop(struct mount_fs *fs);
/*
 * The FUSE session serving @fs ("cpuhp" file system type), NULL on error;
 * @allow_other lets other users in (as root no fuse.conf entry is needed).
 */
struct fuse_session *mount_session_new(struct mount_fs *fs, bool allow_other);
extern const struct fuse_lowlevel_ops mount_fs_ops;

#endif /* CPUHPCTL_MOUNT_H */
