// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cmd-exec.c - "cpuhpctl exec -- CMD [ARGS...]": run any program on the
 * simulated machine, in a private mount namespace where the machine is
 * mounted over /sys/devices/system/cpu, while its CPUs optionally come and
 * go (--flap, --flap-script).  Returns CMD's exit status (128 + signal when a
 * signal killed it) and, on such a death, shows the hotplug events just
 * before it.
 *
 * Order matters: the termination signals and SIGCHLD are blocked before any
 * thread exists (every thread inherits that; this one takes them with
 * sigwaitinfo()), the machine and the FUSE loop thread exist before the
 * binds (the kernel asks the file system while binding), the binds are
 * checked before CMD starts, and CMD starts through posix_spawn, which is
 * safe in a process with threads.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cpuhpctl.h"
#include "exec.h"

#define EVENT_LOG_SIZE 16384 /* events kept for the crash report */

struct exec_opts {
	char **argv; /* CMD [ARGS...] */
	struct flap flap;
	bool flapping;
	bool seed_set;
	unsigned int window_ms;  /* --window: how far back the report looks */
	unsigned int max_events; /* --events: how many lines it shows at most */
};

/* -------------------------------------------------------- FUSE loop thread */

struct loop {
	struct fuse_session *se;
	pthread_t thread;
	atomic_bool done;
	int ret;
};

static void knock(int sig)
{
	(void)sig; /* only interrupts the loop thread's read of /dev/fuse */
}

static void *loop_thread(void *arg)
{
	struct loop *l = arg;

	l->ret = fuse_session_loop(l->se);
	atomic_store(&l->done, true);
	return NULL;
}

static int loop_start(struct loop *l, struct fuse_session *se)
{
	struct sigaction sa = { .sa_handler = knock }; /* no SA_RESTART */
	int err;

	l->se = se;
	atomic_init(&l->done, false);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	err = pthread_create(&l->thread, NULL, loop_thread, l);
	if (err)
		ctl_err("exec: cannot create the FUSE thread: %s", strerror(err));
	return -err;
}

/* One knock could land just before the read: knock until it has left. */
static void loop_stop(struct loop *l)
{
	const struct timespec pause = { 0, 5 * 1000 * 1000 };

	fuse_session_exit(l->se);
	while (!atomic_load(&l->done)) {
		pthread_kill(l->thread, SIGUSR1);
		nanosleep(&pause, NULL);
	}
	pthread_join(l->thread, NULL);
}

/* ------------------------------------------------------------ the program */

static void block_signals(sigset_t *set, sigset_t *old)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGQUIT);
	sigaddset(set, SIGCHLD);
	pthread_sigmask(SIG_BLOCK, set, old);
}

/*
 * CMD gets the signal mask and dispositions this process was started with,
 * except that SIGINT and SIGTERM always end it, even where a shell started
 * exec with them ignored (a background job): they are how exec is stopped.
 */
static int spawn(char **argv, const sigset_t *old, pid_t *pid)
{
	posix_spawnattr_t attr;
	sigset_t dfl;
	int err;

	sigemptyset(&dfl);
	sigaddset(&dfl, SIGUSR1);
	sigaddset(&dfl, SIGCHLD);
	sigaddset(&dfl, SIGINT);
	sigaddset(&dfl, SIGTERM);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setsigmask(&attr, old);
	posix_spawnattr_setsigdefault(&attr, &dfl);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	fflush(NULL);
	err = posix_spawnp(pid, argv[0], NULL, &attr, argv, environ);
	posix_spawnattr_destroy(&attr);
	if (err)
		ctl_err("exec: %s: %s", argv[0], strerror(err));
	return -err;
}

/*
 * Wait for CMD.  A termination signal sent to this process (kill) is passed
 * on to CMD; one from the terminal (Ctrl-C) already reached CMD, which is in
 * the same process group.  A second one kills CMD.
 */
static int wait_cmd(pid_t pid, const sigset_t *set, uint64_t *end_ns)
{
	unsigned int asked = 0;
	siginfo_t si;
	int status, sig;

	for (;;) {
		sig = sigwaitinfo(set, &si);
		if (sig < 0)
			continue;
		if (sig == SIGCHLD) {
			pid_t r = waitpid(pid, &status, WNOHANG);

			if (r == pid) {
				*end_ns = mono_ns();
				return status;
			}
			continue;
		}
		if (asked++)
			kill(pid, SIGKILL);
		else if (si.si_code != SI_KERNEL)
			kill(pid, sig);
	}
}

static void report_signal(const struct exec_opts *o, struct event_log *log, pid_t pid,
			  int sig, uint64_t end_ns)
{
	const char *abbrev = sigabbrev_np(sig);

	fprintf(stderr, "cpuhpctl: exec: %s (pid %d) killed by signal %d (SIG%s: %s)\n",
		o->argv[0], (int)pid, sig, abbrev ? abbrev : "?", strsignal(sig));
	if (o->flapping && o->flap.random)
		fprintf(stderr, "cpuhpctl: exec: flap rate %g/s, --seed %llu\n",
			o->flap.rate, (unsigned long long)o->flap.seed);
	event_log_print(log, stderr, end_ns, o->window_ms, o->max_events);
}

static void report_flap(const struct flap *f)
{
	fprintf(stderr,
		"cpuhpctl: exec: flap: %lu operations in %.3f s (%.0f/s), %lu failed",
		f->ops, f->elapsed, f->elapsed > 0 ? f->ops / f->elapsed : 0.0,
		f->failed);
	if (f->random)
		fprintf(stderr, ", --seed %llu", (unsigned long long)f->seed);
	fputc('\n', stderr);
	if (f->error)
		ctl_err("exec: flapping stopped: %s: %s (--keep-going goes on)",
			f->error_op, strerror(f->error));
}

/* ---------------------------------------------------------------- steps */

static int run_exec(struct cpuhpctl *ctl, struct exec_opts *o)
{
	struct exec_ns ns = { .dir = "" };
	struct fuse_session *se = NULL;
	struct mount_fs *fs = NULL;
	struct event_log log;
	struct loop loop;
	bool looping = false, mounted = false, flapping = false;
	sigset_t set, old;
	uint64_t end_ns = 0;
	int ret = CTL_EXIT_FAIL, status;
	struct cpuhp *hp;
	pid_t pid;

	block_signals(&set, &old);
	if (event_log_init(&log, EVENT_LOG_SIZE)) {
		ctl_err("exec: %s", strerror(ENOMEM));
		goto out;
	}
	if (exec_ns_enter() || exec_ns_mkdir(&ns) || ctl_machine(ctl, &hp))
		goto out;
	fs = mount_fs_new(hp, LAYOUT_SYSROOT, ctl->trace);
	/* allow_other: CMD may change user. */
	se = fs ? mount_session_new(fs, true) : NULL;
	if (!se) {
		ctl_err("exec: cannot set up the file system");
		goto out;
	}
	mount_fs_set_tap(fs, event_log_tap, &log);
	if (fuse_session_mount(se, ns.dir)) {
		ctl_err("exec: cannot mount on %s", ns.dir);
		goto out;
	}
	mounted = true;
	if (loop_start(&loop, se))
		goto out;
	looping = true;
	if (exec_ns_bind(&ns))
		goto out;
	/* Never let CMD loose on the host's CPUs. */
	if (!exec_ns_verify("/sys/devices/system/cpu")) {
		ctl_err("exec: /sys/devices/system/cpu is not the simulated machine "
			"(fuse.cpuhp) after mounting it; not running %s",
			o->argv[0]);
		goto out;
	}
	if (o->flapping) {
		o->flap.hp = hp;
		o->flap.log = &log;
		if (flap_start(&o->flap))
			goto out;
		flapping = true;
	}
	ret = spawn(o->argv, &old, &pid);
	if (ret) {
		/* As a shell says it: 127 not found, 126 found but not run. */
		ret = ret == -ENOENT ? 127 : 126;
		goto out;
	}
	status = wait_cmd(pid, &set, &end_ns);
	if (flapping) {
		flap_stop(&o->flap);
		flapping = false;
		report_flap(&o->flap);
	}
	if (WIFSIGNALED(status)) {
		report_signal(o, &log, pid, WTERMSIG(status), end_ns);
		ret = 128 + WTERMSIG(status);
	} else {
		ret = WEXITSTATUS(status);
	}
out:
	if (flapping)
		flap_stop(&o->flap);
	exec_ns_unbind(&ns);
	if (looping)
		loop_stop(&loop);
	if (fs)
		mount_fs_stop(fs);
	if (mounted)
		fuse_session_unmount(se);
	if (se)
		fuse_session_destroy(se);
	mount_fs_free(fs);
	exec_ns_rmdir(&ns);
	event_log_destroy(&log);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return ret;
}

static int parse_uint(const char *opt, const char *arg, unsigned long long max,
		      unsigned long long *val)
{
	char *end;

	errno = 0;
	*val = strtoull(arg, &end, 0);
	if (errno || end == arg || *end || arg[0] == '-' || *val > max) {
		ctl_err("exec: %s: a number up to %llu, not '%s'", opt, max, arg);
		return CTL_EXIT_USAGE;
	}
	return 0;
}

static int parse(struct exec_opts *o, int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "flap", required_argument, NULL, 'f' },
		{ "flap-script", required_argument, NULL, 's' },
		{ "seed", required_argument, NULL, 'S' },
		{ "keep-going", no_argument, NULL, 'k' },
		{ "window", required_argument, NULL, 'w' },
		{ "events", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *script = NULL;
	unsigned long long v;
	int c, first;
	char *end;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			errno = 0;
			o->flap.rate = strtod(optarg, &end);
			if (errno || end == optarg || *end || !(o->flap.rate >= 0) ||
			    o->flap.rate > 1e7) {
				ctl_err("exec: --flap: operations per second (0 = as fast as "
					"possible), not '%s'",
					optarg);
				return CTL_EXIT_USAGE;
			}
			o->flapping = o->flap.random = true;
			break;
		case 's':
			script = optarg;
			break;
		case 'S':
			if (parse_uint("--seed", optarg, UINT64_MAX, &v))
				return CTL_EXIT_USAGE;
			o->flap.seed = v;
			o->seed_set = true;
			break;
		case 'k':
			o->flap.keep_going = true;
			break;
		case 'w':
			if (parse_uint("--window", optarg, 3600000, &v))
				return CTL_EXIT_USAGE;
			o->window_ms = (unsigned int)v;
			break;
		case 'e':
			if (parse_uint("--events", optarg, EVENT_LOG_SIZE, &v))
				return CTL_EXIT_USAGE;
			o->max_events = (unsigned int)v;
			break;
		case 'h':
			cmd_usage(&cmd_exec, stdout);
			return CTL_EXIT_OK;
		default:
			return cmd_bad_option(&cmd_exec, c, argv);
		}
	}
	if (cmd_operands(&cmd_exec, argc, 1, argc, &first) != CMD_CONTINUE)
		return CTL_EXIT_USAGE;
	o->argv = argv + first;
	if (script && o->flapping) {
		ctl_err("exec: --flap and --flap-script exclude each other");
		return CTL_EXIT_USAGE;
	}
	if (script) {
		if (flap_load_script(&o->flap, script))
			return CTL_EXIT_USAGE;
		o->flapping = true;
	}
	/* No seed given: a fresh one, printed with the results to replay it. */
	if (!o->seed_set)
		o->flap.seed = mono_ns() ^ ((uint64_t)getpid() << 32);
	return CMD_CONTINUE;
}

static int run(struct cpuhpctl *ctl, int argc, char *argv[])
{
	struct exec_opts o = { .window_ms = 50, .max_events = 40 };
	int ret = parse(&o, argc, argv);

	if (ret == CMD_CONTINUE)
		ret = run_exec(ctl, &o);
	free(o.flap.steps);
	return ret;
}

const struct cpuhpctl_cmd cmd_exec = {
	.name = "exec",
	.run = run,
	.args = "[--flap RATE|--flap-script FILE] [--seed N] [--keep-going] -- CMD [ARGS...]",
	.summary = "run a program on the machine, its CPUs optionally flapping",
	.help = "Runs CMD in a private mount namespace where the machine is mounted over\n"
		"/sys/devices/system/cpu (and its trace over /sys/kernel/tracing, its\n"
		"cpuinfo over /proc/cpuinfo), checked to be fuse.cpuhp before CMD starts,\n"
		"so that CMD never sees the host's CPUs.  Nothing stays mounted afterwards.\n"
		"Needs root (or CAP_SYS_ADMIN) and /dev/fuse.\n"
		"\n"
		"Options:\n"
		"  --flap RATE          random offline/online operations on CPUs 1..N-1, RATE\n"
		"                       per second (0: as fast as possible)\n"
		"  --flap-script FILE   instead, play FILE in a loop: lines 'PATH VALUE'\n"
		"                       (e.g. 'cpu1/online 0', 'smt/control off') or 'sleep MS'\n"
		"  --seed N             seed of --flap's generator: the same seed gives the\n"
		"                       same sequence of operations (default: a fresh one,\n"
		"                       printed at the end)\n"
		"  --keep-going         a failed flap write is counted and skipped (default:\n"
		"                       it stops the flapping; CMD runs on)\n"
		"  --window MS          on a crash, show the events of the last MS ms (50)\n"
		"  --events N           ... at most N of them, the last ones (40)\n"
		"\n"
		"Exit status: CMD's, 128 + the signal if a signal killed it, 127 if CMD\n"
		"is not found, 126 if it cannot run, 1 if the machine could not be set up\n"
		"(CMD not run), 2 for a usage error.\n"
		"SIGINT, SIGTERM, SIGHUP reach CMD; a second one kills it.\n",
};
