/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * host-fixture.h - a fake host for the linux backend: a CPU directory, an
 * affinity file and a cpuset file in a temporary directory, a socketpair fed
 * to the backend as its uevent source, and recorders for callbacks, events
 * and log lines (log-keep.h).  Header-only: each test program is one file.
 */
#ifndef HOST_FIXTURE_H
#define HOST_FIXTURE_H

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <cpuhp/cpuhp.h>

#include "log-keep.h"
#include "tap.h"

struct fixture {
	char dir[64];
	int sock; /* our end; the machine owns the other */
	unsigned long long seq;
	struct cpuhp *hp;
};

/* ---- recorders (shared by the machine's threads and the test) ---- */

#define MAX_REC 512

struct cb_rec {
	unsigned int cpu;
	bool up;
	enum cpuhp_context ctx;
};

static pthread_mutex_t rec_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t rec_cond = PTHREAD_COND_INITIALIZER;
static struct cb_rec cbs[MAX_REC];
static int nr_cbs;
static unsigned long nr_events;
static int fail_cpu = -1;      /* startup of this CPU fails with -EIO */
static int fail_down_cpu = -1; /* teardown of this CPU fails once with -EBUSY */

static inline int app_up(struct cpuhp *hp, unsigned int cpu, void *data)
{
	enum cpuhp_context ctx = cpuhp_current_context(hp, NULL);
	int ret = 0;

	(void)data;
	pthread_mutex_lock(&rec_lock);
	if ((int)cpu == fail_cpu)
		ret = -EIO;
	else if (nr_cbs < MAX_REC)
		cbs[nr_cbs++] = (struct cb_rec){ cpu, true, ctx };
	pthread_mutex_unlock(&rec_lock);
	return ret;
}

static inline int app_down(struct cpuhp *hp, unsigned int cpu, void *data)
{
	enum cpuhp_context ctx = cpuhp_current_context(hp, NULL);

	int ret = 0;

	(void)data;
	pthread_mutex_lock(&rec_lock);
	if ((int)cpu == fail_down_cpu) {
		fail_down_cpu = -1;
		ret = -EBUSY;
	} else if (nr_cbs < MAX_REC) {
		cbs[nr_cbs++] = (struct cb_rec){ cpu, false, ctx };
	}
	pthread_mutex_unlock(&rec_lock);
	return ret;
}

static inline void on_event(void *data, const struct cpuhp_host_event *ev)
{
	(void)data;
	(void)ev;
	pthread_mutex_lock(&rec_lock);
	nr_events++;
	pthread_cond_broadcast(&rec_cond);
	pthread_mutex_unlock(&rec_lock);
}

static inline unsigned long events_seen(void)
{
	unsigned long n;

	pthread_mutex_lock(&rec_lock);
	n = nr_events;
	pthread_mutex_unlock(&rec_lock);
	return n;
}

/* Wait (no timing assertion: a generous bound against hangs) for an event. */
static inline bool wait_events(unsigned long n)
{
	struct timespec ts;
	bool ok = true;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 30;
	pthread_mutex_lock(&rec_lock);
	while (nr_events < n && ok)
		ok = pthread_cond_timedwait(&rec_cond, &rec_lock, &ts) == 0;
	ok = nr_events >= n;
	pthread_mutex_unlock(&rec_lock);
	return ok;
}

/* Callbacks recorded since index @from for @cpu: returns "u:ctx d:ctx". */
static inline int count_cbs(int from, unsigned int cpu, bool up, enum cpuhp_context ctx)
{
	int i, n = 0;

	pthread_mutex_lock(&rec_lock);
	for (i = from; i < nr_cbs; i++)
		n += cbs[i].cpu == cpu && cbs[i].up == up && cbs[i].ctx == ctx;
	pthread_mutex_unlock(&rec_lock);
	return n;
}

static inline int cbs_mark(void)
{
	int n;

	pthread_mutex_lock(&rec_lock);
	n = nr_cbs;
	pthread_mutex_unlock(&rec_lock);
	return n;
}

/* ---- the fake host ---- */

/* Replace a file atomically, as a sysfs read is: never seen half-written. */
static inline void fx_write(struct fixture *fx, const char *name, const char *text)
{
	char path[256], tmp[260];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", fx->dir, name);
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	f = fopen(tmp, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) || rename(tmp, path)) {
		diag("cannot write %s: %s", path, strerror(errno));
		exit(1);
	}
}

static inline void fx_remove(struct fixture *fx)
{
	const char *names[] = { "possible", "present", "online", "affinity", "cpuset" };
	char path[256];
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", fx->dir, names[i]);
		unlink(path);
	}
	rmdir(fx->dir);
}

/* Send one raw datagram as the "kernel". */
static inline void fx_send_raw(struct fixture *fx, const char *buf, size_t len)
{
	if (send(fx->sock, buf, len, 0) != (ssize_t)len) {
		diag("send: %s", strerror(errno));
		exit(1);
	}
}

/* Send a well-formed uevent with the next SEQNUM (or @seq when non-zero). */
static inline void fx_uevent(struct fixture *fx, const char *action, const char *subsys,
			     int cpu, unsigned long long seq)
{
	char buf[512];
	int n;

	fx->seq = seq ? seq : fx->seq + 1;
	n = snprintf(
		buf, sizeof(buf),
		"%s@/devices/system/cpu/cpu%d%cACTION=%s%cDEVPATH=/devices/system/cpu/cpu%d%c"
		"SUBSYSTEM=%s%cSEQNUM=%llu%c",
		action, cpu, 0, action, 0, cpu, 0, subsys, 0, fx->seq, 0);
	fx_send_raw(fx, buf, (size_t)n);
}

/* Four CPUs, all present, online and allowed; the machine running. */
static inline struct cpuhp *fx_start(struct fixture *fx, unsigned int poll_ms)
{
	struct cpuhp_config cfg;
	char affinity[300], cpuset[300], uevent[32];
	int sv[2], err;

	strcpy(fx->dir, "/tmp/cpuhp-host-XXXXXX");
	if (!mkdtemp(fx->dir) ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv)) {
		diag("fixture: %s", strerror(errno));
		exit(1);
	}
	fx->sock = sv[0];
	fx->seq = 100;
	fx_write(fx, "possible", "0-3\n");
	fx_write(fx, "present", "0-3\n");
	fx_write(fx, "online", "0-3\n");
	fx_write(fx, "affinity", "0-3\n");
	fx_write(fx, "cpuset", "0-3\n");
	snprintf(affinity, sizeof(affinity), "%s/affinity", fx->dir);
	snprintf(cpuset, sizeof(cpuset), "%s/cpuset", fx->dir);
	snprintf(uevent, sizeof(uevent), "fd:%d", sv[1]);
	cpuhp_config_init(&cfg);
	cfg.backend = "linux";
	cfg.host_sysfs_root = fx->dir;
	cfg.host_affinity = affinity;
	cfg.host_cpuset = cpuset;
	cfg.host_uevent = uevent;
	cfg.host_poll_ms = poll_ms;
	cfg.log_fn = ulog_hook;
	cfg.log_priority = LOG_DEBUG;
	err = cpuhp_new(&cfg, &fx->hp);
	if (err) {
		diag("cpuhp_new(linux fixture): %d", err);
		exit(1);
	}
	cpuhp_host_set_event_fn(fx->hp, on_event, NULL);
	return fx->hp;
}

static inline void fx_stop(struct fixture *fx)
{
	cpuhp_free(fx->hp);
	close(fx->sock);
	fx_remove(fx);
}

#endif /* HOST_FIXTURE_H */
