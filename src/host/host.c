// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * host.c - the linux backend: a machine whose CPUs follow the real host.
 * It creates the machine from the host's possible CPUs, keeps each CPU's
 * place in line with "present && online && allowed", and starts/stops the
 * event thread (host-thread.c).  Every up/down it drives is an ordinary
 * cpuhp_cpu_up()/cpuhp_cpu_down() with the caller as the control thread;
 * a down runs the ONLINE section on that control thread, because the real
 * CPU is already gone (docs/host.md "Who runs what").
 */
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cpuhp/host.h>

#include "base/clock.h"
#include "host/backend.h"
#include "host/host.h"
#include "machine/log.h"
#include "walk/walk.h"

void cpuhp__host_count(struct cpuhp_host *h, unsigned long *counter)
{
	pthread_mutex_lock(&h->info_lock);
	(*counter)++;
	pthread_mutex_unlock(&h->info_lock);
}

/* The PREPARE startup "host:pin": cpuhp/N may only run on real CPU N. */
static int pin_up(struct cpuhp *hp, unsigned int cpu, void *data)
{
	cpu_set_t set;
	int err;

	(void)data;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	err = pthread_setaffinity_np(cpuhp__cpu(hp, cpu)->tid, sizeof(set), &set);
	if (err)
		cpuhp_err(hp, "host: cannot pin cpuhp/%u to CPU %u: %s", cpu, cpu,
			  cpuhp_strerror_name(err));
	return -err;
}

static bool host_wants(const struct host_snap *s, unsigned int cpu)
{
	return hs_test(&s->present, cpu) && hs_test(&s->online, cpu) &&
	       hs_test(&s->allowed, cpu);
}

static void set_failed(struct cpuhp_host *h, unsigned int cpu, bool failed)
{
	pthread_mutex_lock(&h->info_lock);
	if (failed) {
		hs_set(&h->failed, cpu);
		h->stats.failures++;
	} else {
		h->failed.w[cpu / 64] &= ~((uint64_t)1 << (cpu % 64));
	}
	pthread_mutex_unlock(&h->info_lock);
}

/* The model's present mask follows the host's (writers hold add_remove_lock). */
static void sync_present(struct cpuhp *hp, unsigned int cpu, bool present)
{
	if (cpuhp__mask_test(&hp->present, cpu) == present)
		return;
	pthread_mutex_lock(&hp->add_remove_lock);
	if (present || st_state(cpuhp__cpu(hp, cpu)) == hp->b.offline)
		cpuhp__mask_assign(&hp->present, cpu, present);
	pthread_mutex_unlock(&hp->add_remove_lock);
}

static void cpu_bring_up(struct cpuhp_host *h, unsigned int cpu, struct host_counts *c)
{
	struct cpuhp *hp = h->hp;
	int err = cpuhp_cpu_up(hp, cpu, hp->b.online);

	if (err) {
		/* The walk rolled back: the CPU is unused until something changes. */
		cpuhp_err(
			hp,
			"host: CPU %u could not be brought up (%s); unused until the next change or rescan",
			cpu, cpuhp_strerror_name(err));
		set_failed(h, cpu, true);
		c->failures++;
		return;
	}
	set_failed(h, cpu, false);
	c->ups++;
}

static void cpu_take_down(struct cpuhp_host *h, unsigned int cpu, struct host_counts *c)
{
	struct cpuhp *hp = h->hp;
	struct cpuhp_cpu *st = cpuhp__cpu(hp, cpu);
	int err;

	/*
	 * Read back on this same thread by cpuhp__kick_ap_raw(): the ONLINE
	 * section of this down runs here, not on cpuhp/N, whose CPU is gone.
	 */
	atomic_store_explicit(&st->host_gone, true, memory_order_relaxed);
	err = cpuhp_cpu_down(hp, cpu, hp->b.offline);
	atomic_store_explicit(&st->host_gone, false, memory_order_relaxed);
	if (err) {
		cpuhp_err(
			hp,
			"host: CPU %u left the host but could not be taken down (%s); retried on the next change or rescan",
			cpu, cpuhp_strerror_name(err));
		set_failed(h, cpu, true);
		c->failures++;
		return;
	}
	set_failed(h, cpu, false);
	c->downs++;
}

/* Bring one CPU in line with @s; bringup selects the half of the pass. */
static void reconcile(struct cpuhp_host *h, const struct host_snap *s, unsigned int cpu,
		      bool bringup, struct host_counts *c)
{
	struct cpuhp *hp = h->hp;
	int state = st_state(cpuhp__cpu(hp, cpu));
	bool want = host_wants(s, cpu);

	/* The machine's present mask follows the host's, used or not. */
	if (bringup && hs_test(&s->present, cpu))
		sync_present(hp, cpu, true);
	if (bringup && want && state != hp->b.online) {
		cpu_bring_up(h, cpu, c);
	} else if (!bringup && !want && state != hp->b.offline) {
		cpu_take_down(h, cpu, c);
	}
	if (!bringup && !hs_test(&s->present, cpu))
		sync_present(hp, cpu, false);
}

static int read_snap(struct cpuhp_host *h, struct host_snap *s)
{
	int err = cpuhp__host_read(&h->paths, s);

	if (err) {
		cpuhp_err(h->hp, "host: cannot read the host's CPUs under %s: %s",
			  h->paths.root, cpuhp_strerror_name(err));
		return err;
	}
	pthread_mutex_lock(&h->info_lock);
	h->snap = *s;
	pthread_mutex_unlock(&h->info_lock);
	return 0;
}

/* The event hook runs under op_lock: cpuhp_rescan() from it would deadlock. */
static _Thread_local bool in_hook;

void cpuhp__host_emit(struct cpuhp_host *h, struct cpuhp_host_event *ev)
{
	cpuhp_host_event_fn fn;
	void *data;

	ev->done_ns = cpuhp__now_ns();
	pthread_mutex_lock(&h->info_lock);
	fn = h->event_fn;
	data = h->event_data;
	pthread_mutex_unlock(&h->info_lock);
	if (fn) {
		in_hook = true;
		fn(data, ev);
		in_hook = false;
	}
}

static void emit_counts(struct cpuhp_host *h, enum cpuhp_host_event_kind kind,
			const char *action, int cpu, uint64_t seq, uint64_t recv_ns,
			const struct host_counts *c)
{
	struct cpuhp_host_event ev = { .kind = kind,
				       .action = action,
				       .cpu = cpu,
				       .seqnum = seq,
				       .ups = c->ups,
				       .downs = c->downs,
				       .failures = c->failures,
				       .recv_ns = recv_ns };

	cpuhp__host_emit(h, &ev);
}

/**
 * cpuhp__host_rescan_locked - a full pass over every possible CPU
 * @h:       the backend, op_lock held
 * @why:     reason for the log and the event ("start", "poll", "gap" ...)
 * @recv_ns: when the cause was seen
 *
 * Ups first, in ascending order, then downs, in descending order: the
 * machine never has to take down its last online CPU on the way.
 *
 * Return: 0 or the error of reading the host.
 */
int cpuhp__host_rescan_locked(struct cpuhp_host *h, const char *why, uint64_t recv_ns)
{
	struct host_counts c = { 0 };
	struct host_snap *s = malloc(sizeof(*s));
	unsigned int cpu, n = h->hp->nr_possible;
	int err;

	if (!s)
		return -ENOMEM;
	err = read_snap(h, s);
	if (!err) {
		cpuhp__host_count(h, &h->stats.rescans);
		for (cpu = 0; cpu < n; cpu++)
			reconcile(h, s, cpu, true, &c);
		for (cpu = n; cpu-- > 0;)
			reconcile(h, s, cpu, false, &c);
		cpuhp_dbg(h->hp, "host: rescan (%s): %u up, %u down, %u failed", why,
			  c.ups, c.downs, c.failures);
		emit_counts(h, CPUHP_HOST_EV_RESCAN, why, -1, 0, recv_ns, &c);
	}
	free(s);
	return err;
}

/**
 * cpuhp__host_handle_cpu - act on one "cpu" uevent
 * @h:       the backend, op_lock held
 * @ev:      the event (a hint: the host's files are re-read and decide)
 * @recv_ns: when it was received
 *
 * Only the event's CPU is brought in line; other CPUs wait for their own
 * events or the next rescan.
 *
 * Return: 0 or the error of reading the host.
 */
int cpuhp__host_handle_cpu(struct cpuhp_host *h, const struct host_uevent *ev,
			   uint64_t recv_ns)
{
	struct host_counts c = { 0 };
	struct host_snap *s;
	unsigned int cpu = (unsigned int)ev->cpu;
	int err;

	if (cpu >= h->hp->nr_possible) {
		cpuhp_err(h->hp,
			  "host: uevent %s for CPU %u beyond the possible CPUs, ignored",
			  ev->action, cpu);
		return 0;
	}
	s = malloc(sizeof(*s));
	if (!s)
		return -ENOMEM;
	err = read_snap(h, s);
	if (!err) {
		reconcile(h, s, cpu, true, &c);
		reconcile(h, s, cpu, false, &c);
		cpuhp_dbg(h->hp, "host: uevent %s cpu%u seq %llu: %u up, %u down",
			  ev->action, cpu, (unsigned long long)ev->seqnum, c.ups,
			  c.downs);
		emit_counts(h, CPUHP_HOST_EV_UEVENT, ev->action, (int)cpu, ev->seqnum,
			    recv_ns, &c);
	}
	free(s);
	return err;
}

/* ---- lifecycle ---- */

static void host_free(struct cpuhp_host *h)
{
	if (h->ufd >= 0)
		close(h->ufd);
	if (h->stop_pipe[0] >= 0) {
		close(h->stop_pipe[0]);
		close(h->stop_pipe[1]);
	}
	cpuhp__host_paths_free(&h->paths);
	pthread_mutex_destroy(&h->op_lock);
	pthread_mutex_destroy(&h->info_lock);
	free(h);
}

static void early_log(const struct cpuhp_config *cfg, const char *fmt, ...)
{
	va_list ap;

	if (!cfg->log_fn ||
	    LOG_ERR > (cfg->log_priority ? cfg->log_priority : LOG_WARNING))
		return;
	va_start(ap, fmt);
	cfg->log_fn(cfg->log_data, LOG_ERR, __FILE__, __LINE__, __func__, fmt, ap);
	va_end(ap);
}

/* Parse cfg->host_uevent: NULL netlink, "none", "fd:N". */
static int open_source(struct cpuhp_host *h, const struct cpuhp_config *cfg)
{
	const char *u = cfg->host_uevent;
	char *end;
	long fd;

	h->ufd = -1;
	if (u && !strcmp(u, "none"))
		return 0;
	if (u && !strncmp(u, "fd:", 3)) {
		fd = strtol(u + 3, &end, 10);
		if (end == u + 3 || *end || fd < 0 || fd > INT32_MAX)
			return -EINVAL;
		h->ufd = (int)fd;
		return 0;
	}
	if (u)
		return -EINVAL;
	h->netlink = true;
	h->ufd = cpuhp__uevent_open();
	if (h->ufd < 0) {
		/* No uevents here (e.g. a user namespace): polling still works. */
		cpuhp_err(h->hp, "host: no uevent socket (%s); polling every %u ms",
			  cpuhp_strerror_name(h->ufd), h->poll_ms);
		h->ufd = -1;
	}
	return 0;
}

static int host_setup(struct cpuhp_host *h, const struct cpuhp_config *cfg)
{
	struct cpuhp *hp = h->hp;
	unsigned int cpu;
	int err;

	for (cpu = 1; cpu < hp->nr_possible; cpu++)
		cpuhp__mask_assign(&hp->present, cpu, hs_test(&h->snap.present, cpu));
	if (h->pin) {
		err = cpuhp_setup_state_nocalls(hp,
						cpuhp_state_of(hp, CPUHP_BP_PREPARE_DYN),
						"host:pin", pin_up, NULL, NULL);
		if (err < 0)
			return err;
		/* CPU 0 booted before the state existed. */
		if (host_wants(&h->snap, 0) && pin_up(hp, 0, NULL))
			set_failed(h, 0, true);
	}
	err = open_source(h, cfg);
	if (err)
		return err;
	if (pipe2(h->stop_pipe, O_CLOEXEC))
		return -errno;
	pthread_mutex_lock(&h->op_lock);
	err = cpuhp__host_rescan_locked(h, "start", cpuhp__now_ns());
	pthread_mutex_unlock(&h->op_lock);
	if (err)
		return err;
	err = pthread_create(&h->thread, NULL, cpuhp__host_thread, h);
	if (err)
		return -err;
	h->thread_started = true;
	return 0;
}

/**
 * cpuhp__host_new - cpuhp_new() for backend "linux"
 * @cfg: the configuration
 * @out: receives the machine
 *
 * Return: as cpuhp_new(); also the error of reading the host's CPU files.
 */
int cpuhp__host_new(const struct cpuhp_config *cfg, struct cpuhp **out)
{
	struct cpuhp_config mcfg = *cfg;
	struct cpuhp_host *h;
	int err;

	if (strcmp(cfg->backend, "linux")) {
		early_log(cfg, "unknown backend \"%s\" (model, linux)", cfg->backend);
		return -EINVAL;
	}
	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	h->ufd = -1;
	h->stop_pipe[0] = h->stop_pipe[1] = -1;
	pthread_mutex_init(&h->op_lock, NULL);
	pthread_mutex_init(&h->info_lock, NULL);
	h->poll_ms = cfg->host_poll_ms ? cfg->host_poll_ms : 1000;
	/* Fixture CPUs are not real ones: pin only on the real CPU directory. */
	h->pin = (!cfg->host_sysfs_root ||
		  !strcmp(cfg->host_sysfs_root, "/sys/devices/system/cpu")) &&
		 !cfg->host_affinity;
	err = cpuhp__host_paths_init(&h->paths, cfg);
	if (!err)
		err = cpuhp__host_read(&h->paths, &h->snap);
	if (err) {
		early_log(cfg, "host: cannot read the host's CPUs under %s: %s",
			  h->paths.root ? h->paths.root : "?", cpuhp_strerror_name(err));
		host_free(h);
		return err;
	}
	/* The host boots the other CPUs: the model starts with the boot CPU only. */
	mcfg.backend = NULL;
	mcfg.nr_possible = h->snap.nr_possible;
	mcfg.nr_present = 0;
	mcfg.cmdline = "maxcpus=1";
	err = cpuhp_new(&mcfg, out);
	if (err) {
		host_free(h);
		return err;
	}
	h->hp = *out;
	(*out)->host = h;
	err = host_setup(h, cfg);
	if (err) {
		cpuhp_err(*out, "host: backend start failed: %s",
			  cpuhp_strerror_name(err));
		cpuhp_free(*out);
		*out = NULL;
	}
	return err;
}

/**
 * cpuhp__host_stop - stop the event thread and free the backend
 * @hp: the machine (no-op without a backend)
 *
 * Called first by cpuhp_free(): the CPUs are then taken down by the normal
 * path, their ONLINE teardowns on cpuhp/N.
 */
void cpuhp__host_stop(struct cpuhp *hp)
{
	struct cpuhp_host *h = hp->host;

	if (!h)
		return;
	if (h->thread_started) {
		if (write(h->stop_pipe[1], "x", 1) != 1)
			cpuhp_die(errno);
		pthread_join(h->thread, NULL);
	}
	hp->host = NULL;
	host_free(h);
}

/* ---- public API ---- */

int cpuhp_rescan(struct cpuhp *hp)
{
	struct cpuhp_host *h = hp->host;
	int err;

	if (!h)
		return -ENODEV;
	if (cpuhp__in_callback(hp) || cpuhp__read_depth(hp) || in_hook) {
		CPUHP_WARN(
			hp,
			"cpuhp_rescan() from a callback, the event hook or under cpus_read_lock");
		return -EDEADLK;
	}
	pthread_mutex_lock(&h->op_lock);
	err = cpuhp__host_rescan_locked(h, "explicit", cpuhp__now_ns());
	pthread_mutex_unlock(&h->op_lock);
	return err;
}

int cpuhp_host_cpu_status(struct cpuhp *hp, unsigned int cpu)
{
	struct cpuhp_host *h = hp->host;
	int st = 0;

	if (!h)
		return -ENODEV;
	if (cpu >= hp->nr_possible)
		return -EINVAL;
	pthread_mutex_lock(&h->info_lock);
	st |= hs_test(&h->snap.present, cpu) ? CPUHP_HOST_PRESENT : 0;
	st |= hs_test(&h->snap.online, cpu) ? CPUHP_HOST_ONLINE : 0;
	st |= hs_test(&h->snap.allowed, cpu) ? CPUHP_HOST_ALLOWED : 0;
	st |= hs_test(&h->failed, cpu) ? CPUHP_HOST_FAILED : 0;
	pthread_mutex_unlock(&h->info_lock);
	st |= cpuhp_cpu_online(hp, cpu) ? CPUHP_HOST_USED : 0;
	return st;
}

int cpuhp_host_get_stats(struct cpuhp *hp, struct cpuhp_host_stats *out)
{
	struct cpuhp_host *h = hp->host;

	if (!h)
		return -ENODEV;
	pthread_mutex_lock(&h->info_lock);
	*out = h->stats;
	pthread_mutex_unlock(&h->info_lock);
	return 0;
}

int cpuhp_host_set_event_fn(struct cpuhp *hp, cpuhp_host_event_fn fn, void *data)
{
	struct cpuhp_host *h = hp->host;

	if (!h)
		return -ENODEV;
	pthread_mutex_lock(&h->info_lock);
	h->event_fn = fn;
	h->event_data = data;
	pthread_mutex_unlock(&h->info_lock);
	return 0;
}
