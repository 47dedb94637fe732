/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * host.h - the linux backend's pieces: CPU sets read from the host
 * (host-sysfs.c), uevent parsing and the netlink socket (host-uevent.c), and
 * the backend itself (host.c).
 */
#ifndef CPUHP_HOST_INTERNAL_H
#define CPUHP_HOST_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cpuhp/cpuhp.h>

#define HOST_WORDS (CPUHP_MAX_CPUS / 64)

/* A plain CPU set; host.c keeps its copies under the backend's lock. */
struct host_set {
	uint64_t w[HOST_WORDS];
};

static inline bool hs_test(const struct host_set *s, unsigned int cpu)
{
	return cpu < CPUHP_MAX_CPUS && (s->w[cpu / 64] >> (cpu % 64)) & 1;
}

static inline void hs_set(struct host_set *s, unsigned int cpu)
{
	s->w[cpu / 64] |= (uint64_t)1 << (cpu % 64);
}

/* What one read of the host says. */
struct host_snap {
	struct host_set possible, present, online, allowed;
	unsigned int nr_possible; /* highest possible CPU + 1 */
};

/* Where to read it from (copied from struct cpuhp_config). */
struct host_paths {
	char *root;     /* the CPU directory */
	char *cpuset;   /* NULL: none */
	char *affinity; /* NULL: sched_getaffinity() */
};

int cpuhp__cpulist_parse(const char *s, struct host_set *out, unsigned int *max_plus_one);
int cpuhp__host_paths_init(struct host_paths *p, const struct cpuhp_config *cfg);
void cpuhp__host_paths_free(struct host_paths *p);
int cpuhp__host_read(const struct host_paths *p, struct host_snap *snap);

/* One parsed uevent. */
struct host_uevent {
	char action[16];
	int cpu; /* -1 unless a "cpu" subsystem event for cpuN */
	uint64_t seqnum;
	bool cpu_event; /* subsystem cpu and DEVPATH /devices/system/cpu/cpuN */
};

int cpuhp__uevent_parse(const char *buf, size_t len, struct host_uevent *ev);
int cpuhp__uevent_open(void);

/*
 * The backend of one machine.  op_lock serialises handling (event thread,
 * cpuhp_rescan() callers) and is held across up/down, so callbacks run under
 * it; info_lock guards the fields other threads read and is only ever held
 * briefly, never across a callback.
 */
struct cpuhp_host {
	struct cpuhp *hp;
	struct host_paths paths;
	bool pin;     /* pin cpuhp/N to real CPU N (real sysfs only) */
	int ufd;      /* uevent source, -1 = none */
	bool netlink; /* ufd is the kernel's socket: check the sender */
	unsigned int poll_ms;
	int stop_pipe[2];
	pthread_t thread;
	bool thread_started;
	pthread_mutex_t op_lock;
	bool have_seq; /* under op_lock */

	pthread_mutex_t info_lock;
	struct host_snap snap;         /* last read, under info_lock */
	struct host_set failed;        /* last bring-up failed, under info_lock */
	struct cpuhp_host_stats stats; /* under info_lock */
	cpuhp_host_event_fn event_fn;  /* under info_lock */
	void *event_data;
};

/* What one handling did (becomes a struct cpuhp_host_event). */
struct host_counts {
	unsigned int ups, downs, failures;
};

int cpuhp__host_rescan_locked(struct cpuhp_host *h, const char *why, uint64_t recv_ns);
int cpuhp__host_handle_cpu(struct cpuhp_host *h, const struct host_uevent *ev,
			   uint64_t recv_ns);
void cpuhp__host_emit(struct cpuhp_host *h, struct cpuhp_host_event *ev);
void *cpuhp__host_thread(void *arg);
void cpuhp__host_count(struct cpuhp_host *h, unsigned long *counter);

#endif /* CPUHP_HOST_INTERNAL_H */
