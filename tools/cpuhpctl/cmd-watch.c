// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cmd-watch.c - "cpuhpctl watch": a linux-backend machine on this host; show
 * the CPUs, then every event and the callbacks it causes as they happen,
 * until Ctrl-C, --count events or --timeout seconds.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include <cpuhp/cpuhp.h>

#include "cpuhpctl.h"

static _Atomic unsigned long nr_events;
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&out_lock);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
	pthread_mutex_unlock(&out_lock);
}

static const char *ctx_name(enum cpuhp_context c)
{
	static const char *const names[] = { "none", "control", "cpuhp", "starting",
					     "dying" };

	return (unsigned int)c < 5 ? names[c] : "?";
}

static int cb(struct cpuhp *hp, unsigned int cpu, bool up)
{
	int on;
	enum cpuhp_context c = cpuhp_current_context(hp, &on);

	say("  %s cpu%u: on %s thread%s, running on CPU %d\n",
	    up ? "startup " : "teardown", cpu, ctx_name(c), on >= 0 ? "" : " (CPU gone)",
	    cpuhp_current_cpu());
	return 0;
}

static int watch_up(struct cpuhp *hp, unsigned int cpu, void *data)
{
	(void)data;
	return cb(hp, cpu, true);
}

static int watch_down(struct cpuhp *hp, unsigned int cpu, void *data)
{
	(void)data;
	return cb(hp, cpu, false);
}

static void on_event(void *data, const struct cpuhp_host_event *ev)
{
	(void)data;
	if (ev->kind == CPUHP_HOST_EV_UEVENT)
		say("event %s cpu%d seq %llu: %u up, %u down, %u failed, %.1f us\n",
		    ev->action, ev->cpu, (unsigned long long)ev->seqnum, ev->ups,
		    ev->downs, ev->failures, (double)(ev->done_ns - ev->recv_ns) / 1e3);
	else if (ev->kind == CPUHP_HOST_EV_RESCAN &&
		 (ev->ups || ev->downs || ev->failures))
		say("rescan (%s): %u up, %u down, %u failed\n", ev->action, ev->ups,
		    ev->downs, ev->failures);
	else if (ev->kind == CPUHP_HOST_EV_MALFORMED)
		say("malformed message ignored\n");
	if (ev->kind != CPUHP_HOST_EV_RESCAN || ev->ups || ev->downs || ev->failures)
		atomic_fetch_add(&nr_events, 1);
}

static void on_log(void *data, int prio, const char *file, int line, const char *fn,
		   const char *fmt, va_list ap)
{
	(void)data, (void)prio, (void)file, (void)line, (void)fn;
	pthread_mutex_lock(&out_lock);
	fputs("log: ", stdout);
	vprintf(fmt, ap);
	fputc('\n', stdout);
	fflush(stdout);
	pthread_mutex_unlock(&out_lock);
}

static void show_cpus(struct cpuhp *hp)
{
	unsigned int cpu;

	say("cpu  present online allowed used state\n");
	for (cpu = 0; cpu < cpuhp_nr_possible(hp); cpu++) {
		int s = cpuhp_host_cpu_status(hp, cpu);

		say("%-4u %-7s %-6s %-7s %-4s %d%s\n", cpu,
		    s & CPUHP_HOST_PRESENT ? "yes" : "no",
		    s & CPUHP_HOST_ONLINE ? "yes" : "no",
		    s & CPUHP_HOST_ALLOWED ? "yes" : "no",
		    s & CPUHP_HOST_USED ? "yes" : "no", cpuhp_cpu_state(hp, cpu),
		    s & CPUHP_HOST_FAILED ? " (start-up failed)" : "");
	}
}

struct watch_opts {
	unsigned long count;
	double timeout;
	struct cpuhp_config cfg;
};

static int parse(struct watch_opts *o, int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "count", required_argument, NULL, 'c' },
		{ "timeout", required_argument, NULL, 't' },
		{ "sysfs-root", required_argument, NULL, 'r' },
		{ "poll-ms", required_argument, NULL, 'p' },
		{ "no-uevents", no_argument, NULL, 'n' },
		{ "affinity", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int c, first;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			o->count = strtoul(optarg, &end, 10);
			if (*end || !o->count)
				goto bad;
			break;
		case 't':
			o->timeout = strtod(optarg, &end);
			if (*end || o->timeout <= 0)
				goto bad;
			break;
		case 'r':
			o->cfg.host_sysfs_root = optarg;
			break;
		case 'p':
			o->cfg.host_poll_ms = (unsigned int)strtoul(optarg, &end, 10);
			if (*end || !o->cfg.host_poll_ms)
				goto bad;
			break;
		case 'n':
			o->cfg.host_uevent = "none";
			break;
		case 'a':
			o->cfg.host_affinity = optarg;
			o->cfg.host_cpuset = ""; /* the file is the whole allowed set */
			break;
		case 'h':
			cmd_usage(&cmd_watch, stdout);
			return CTL_EXIT_OK;
		default:
			return cmd_bad_option(&cmd_watch, c, argv);
		}
	}
	return cmd_operands(&cmd_watch, argc, 0, 0, &first);
bad:
	ctl_err("watch: bad option value '%s' (see cpuhpctl watch --help)", optarg);
	return CTL_EXIT_USAGE;
}

/* Wait for SIGINT/SIGTERM, --count events or --timeout. */
static void wait_done(const struct watch_opts *o, const sigset_t *sigs)
{
	struct timespec step = { 0, 50 * 1000 * 1000 };
	double t0 = ctl_now();

	for (;;) {
		if (sigtimedwait(sigs, NULL, &step) > 0)
			return;
		if (o->count && atomic_load(&nr_events) >= o->count)
			return;
		if (o->timeout > 0 && ctl_now() - t0 >= o->timeout)
			return;
	}
}

static int run(struct cpuhpctl *ctl, int argc, char *argv[])
{
	struct watch_opts o = { 0 };
	struct cpuhp *hp;
	sigset_t sigs;
	int ret, state;

	o.cfg = ctl->cfg;
	ret = parse(&o, argc, argv);
	if (ret != CMD_CONTINUE)
		return ret;
	o.cfg.backend = "linux";
	o.cfg.log_fn = on_log;
	o.cfg.log_priority = ctl->verbose ? LOG_DEBUG : LOG_WARNING;
	/* Block the stop signals before any thread exists: only sigtimedwait sees them. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	ret = cpuhp_new(&o.cfg, &hp);
	if (ret) {
		ctl_err("watch: cannot start the linux backend: %s", strerror(-ret));
		return CTL_EXIT_FAIL;
	}
	state = cpuhp_setup_state(hp, cpuhp_state_of(hp, CPUHP_AP_ONLINE_DYN),
				  "watch:online", watch_up, watch_down, NULL);
	if (state < 0) {
		ctl_err("watch: cannot install the state: %s", strerror(-state));
		cpuhp_free(hp);
		return CTL_EXIT_FAIL;
	}
	show_cpus(hp);
	cpuhp_host_set_event_fn(hp, on_event, NULL);
	say("watching (current CPU from %s); Ctrl-C stops\n", cpuhp_current_cpu_source());
	wait_done(&o, &sigs);
	cpuhp_host_set_event_fn(hp, NULL, NULL);
	show_cpus(hp);
	cpuhp_remove_state(hp, state);
	cpuhp_free(hp);
	return CTL_EXIT_OK;
}

const struct cpuhpctl_cmd cmd_watch = {
	.name = "watch",
	.run = run,
	.args = "[--count N] [--timeout SEC] [--poll-ms MS] [--no-uevents] [--sysfs-root DIR]\n"
		"       [--affinity FILE]",
	.summary =
		"follow this host's CPUs with the linux backend and show events as they come",
	.help = "Builds a machine whose CPUs follow the real ones (docs/host.md), installs a\n"
		"dynamic ONLINE state whose callbacks print where they run, prints the CPUs,\n"
		"then one line per uevent, rescan that changed something, or malformed\n"
		"message, until Ctrl-C, --count N such events, or --timeout SEC.\n"
		"  --poll-ms MS     rescan interval (default 1000)\n"
		"  --no-uevents     do not listen to uevents: polling only\n"
		"  --sysfs-root DIR read the CPU lists from DIR instead of /sys/devices/system/cpu\n"
		"  --affinity FILE  take the allowed CPUs from FILE (a CPU list) instead of\n"
		"                   sched_getaffinity() and the cgroup cpuset (tests)\n",
};
