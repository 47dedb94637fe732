// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cmd-mount.c - "cpuhpctl mount DIR": serve the machine as a FUSE file system
 * shaped like sysfs, until SIGINT/SIGTERM/SIGHUP or "umount DIR".
 *
 * Order matters: the daemon forks before the machine exists (its "cpuhp/N"
 * threads would not survive a fork), and the termination signals are
 * blocked before any thread exists, then taken by a thread of their own.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cpuhp/cpuhp.h>

#include "cpuhpctl.h"
#include "mount.h"

struct mount_opts {
	const char *dir;
	bool foreground;
	enum mount_layout layout;
	int ready_fd; /* daemon: tells the waiting parent the outcome, else -1 */
};

/* ------------------------------------------------------------- checks */

static bool in_path(const char *prog)
{
	const char *path = getenv("PATH");
	char buf[4096];

	while (path && *path) {
		size_t n = strcspn(path, ":");

		snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, path, prog);
		if (!access(buf, X_OK))
			return true;
		path += n + (path[n] == ':');
	}
	return false;
}

/*
 * What libfuse will need, checked up front for a message that says what to
 * do.  libfuse opens /dev/fuse as the calling user, whoever that is; only
 * the mount(2) itself goes through the setuid fusermount3 for non-root.
 */
static bool fuse_usable(void)
{
	int fd = open("/dev/fuse", O_RDWR | O_CLOEXEC);

	if (fd < 0 && (errno == ENOENT || errno == ENODEV || errno == ENXIO)) {
		ctl_err("mount: FUSE is not available: /dev/fuse: %s (load the module with "
			"'modprobe fuse'; in a container, pass the device, e.g. docker run "
			"--device /dev/fuse)",
			strerror(errno));
		return false;
	}
	if (fd < 0) {
		ctl_err("mount: cannot open /dev/fuse: %s (run as root, or give this user "
			"read-write access to /dev/fuse)",
			strerror(errno));
		return false;
	}
	close(fd);
	if (geteuid() != 0 && !in_path("fusermount3")) {
		ctl_err("mount: fusermount3 not found in PATH: mounting as a non-root user "
			"needs it (Debian package fuse3), or run as root");
		return false;
	}
	return true;
}

static bool dir_ok(const char *dir)
{
	struct stat st;

	if (stat(dir, &st)) {
		ctl_err("mount: %s: %s", dir, strerror(errno));
		return false;
	}
	if (!S_ISDIR(st.st_mode)) {
		ctl_err("mount: %s: %s", dir, strerror(ENOTDIR));
		return false;
	}
	return true;
}

/* ------------------------------------------------------------- daemon */

/*
 * Fork; the parent waits for the child's word (one byte: 0 = mounted) and
 * exits with the matching status.  The child reports its own errors on the
 * inherited stderr before it says anything, so they reach the user.
 */
static int daemon_start(struct mount_opts *o)
{
	int fds[2];
	char ok = 1;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC)) {
		ctl_err("mount: pipe: %s", strerror(errno));
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		ctl_err("mount: fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		close(fds[0]);
		o->ready_fd = fds[1];
		setsid();
		return 0;
	}
	close(fds[1]);
	while (read(fds[0], &ok, 1) < 0 && errno == EINTR)
		;
	/* Nothing read (the child died): ok stays 1. */
	_exit(ok ? CTL_EXIT_FAIL : CTL_EXIT_OK);
}

static void daemon_ready(struct mount_opts *o, bool ok)
{
	char c = ok ? 0 : 1;
	int null;

	if (o->ready_fd < 0)
		return;
	if (ok) {
		/* Detach from the terminal before the parent returns. */
		null = open("/dev/null", O_RDWR);
		if (null >= 0) {
			fflush(NULL);
			dup2(null, STDIN_FILENO);
			dup2(null, STDOUT_FILENO);
			dup2(null, STDERR_FILENO);
			if (null > STDERR_FILENO)
				close(null);
		}
		if (chdir("/"))
			ok = false; /* cannot happen; the mount is up anyway */
	}
	if (write(o->ready_fd, &c, 1) != 1)
		c = 1;
	close(o->ready_fd);
	o->ready_fd = -1;
}

/* -------------------------------------------------------------- serve */

static void fuse_log_stderr(enum fuse_log_level level, const char *fmt, va_list ap)
{
	char msg[512];
	size_t n;

	if (level > FUSE_LOG_WARNING)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	if (n && msg[n - 1] == '\n')
		msg[n - 1] = '\0';
	ctl_err("mount: %s", msg);
}

/*
 * Termination signals stay blocked in every thread (the "cpuhp/N" threads,
 * some created later by the loop thread itself, inherit that); one thread
 * takes them with sigwait(), ends the session and knocks the loop thread out
 * of its blocking read of /dev/fuse with SIGUSR1 until it has left the loop
 * (one knock could land just before the read).
 */
struct sigctx {
	struct fuse_session *se;
	pthread_t loop, thread;
	sigset_t set;
	atomic_bool done;     /* the loop has returned */
	atomic_bool signaled; /* a termination signal ended it */
};

static void knock(int sig)
{
	(void)sig; /* only interrupts the read */
}

static void *signal_thread(void *arg)
{
	struct sigctx *s = arg;
	const struct timespec pause = { 0, 20 * 1000 * 1000 };
	int sig;

	if (sigwait(&s->set, &sig) || atomic_load(&s->done))
		return NULL;
	atomic_store(&s->signaled, true);
	fuse_session_exit(s->se);
	while (!atomic_load(&s->done)) {
		pthread_kill(s->loop, SIGUSR1);
		nanosleep(&pause, NULL);
	}
	return NULL;
}

/*
 * SIGINT and SIGTERM always end it, even where a shell started it with them
 * ignored (a background job); an ignored SIGHUP (nohup) stays ignored.
 */
static void term_signals(sigset_t *set)
{
	struct sigaction sa;

	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	if (!sigaction(SIGHUP, NULL, &sa) && sa.sa_handler != SIG_IGN)
		sigaddset(set, SIGHUP);
}

static int signals_start(struct sigctx *s, struct fuse_session *se)
{
	struct sigaction sa = { .sa_handler = knock }; /* no SA_RESTART */
	int err;

	s->se = se;
	s->loop = pthread_self();
	atomic_init(&s->done, false);
	atomic_init(&s->signaled, false);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	err = pthread_create(&s->thread, NULL, signal_thread, s);
	if (err)
		ctl_err("mount: cannot create the signal thread: %s", strerror(err));
	return err;
}

static void signals_stop(struct sigctx *s)
{
	atomic_store(&s->done, true);
	/* Wakes it from sigwait() if no signal came; else it is leaving. */
	pthread_kill(s->thread, SIGTERM);
	pthread_join(s->thread, NULL);
}

/* Machine, session, mount: each step undone in reverse on failure. */
static int serve(struct cpuhpctl *ctl, struct mount_opts *o)
{
	struct fuse_session *se = NULL;
	struct mount_fs *fs = NULL;
	struct sigctx sig;
	struct cpuhp *hp;
	sigset_t old;
	int ret = CTL_EXIT_FAIL, res;

	term_signals(&sig.set);
	pthread_sigmask(SIG_BLOCK, &sig.set, &old);
	if (ctl_machine(ctl, &hp))
		goto out;
	fs = mount_fs_new(hp, o->layout, ctl->trace);
	se = fs ? mount_session_new(fs, false) : NULL;
	if (!se) {
		ctl_err("mount: cannot set up the file system");
		goto out;
	}
	if (signals_start(&sig, se))
		goto out;
	if (fuse_session_mount(se, o->dir)) {
		ctl_err("mount: cannot mount on %s", o->dir);
		goto out_signals;
	}
	daemon_ready(o, true);
	res = fuse_session_loop(se);
	/* A knocked read ends the loop with -EINTR: a clean end too. */
	ret = res < 0 && !atomic_load(&sig.signaled) ? CTL_EXIT_FAIL : CTL_EXIT_OK;
	mount_fs_stop(fs);
	fuse_session_unmount(se);
out_signals:
	signals_stop(&sig);
out:
	daemon_ready(o, false);
	if (se)
		fuse_session_destroy(se);
	mount_fs_free(fs);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return ret;
}

static int parse(struct mount_opts *o, int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "foreground", no_argument, NULL, 'f' },
		{ "layout", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, first;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:fh", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			o->foreground = true;
			break;
		case 'l':
			if (!strcmp(optarg, "sysroot")) {
				o->layout = LAYOUT_SYSROOT;
			} else if (!strcmp(optarg, "cpu")) {
				o->layout = LAYOUT_CPU;
			} else {
				ctl_err("mount: --layout: 'sysroot' or 'cpu', not '%s'",
					optarg);
				return CTL_EXIT_USAGE;
			}
			break;
		case 'h':
			cmd_usage(&cmd_mount, stdout);
			return CTL_EXIT_OK;
		default:
			return cmd_bad_option(&cmd_mount, c, argv);
		}
	}
	if (cmd_operands(&cmd_mount, argc, 1, 1, &first) != CMD_CONTINUE)
		return CTL_EXIT_USAGE;
	o->dir = argv[first];
	return CMD_CONTINUE;
}

static int run(struct cpuhpctl *ctl, int argc, char *argv[])
{
	struct mount_opts o = { .layout = LAYOUT_SYSROOT, .ready_fd = -1 };
	int ret = parse(&o, argc, argv);

	if (ret != CMD_CONTINUE) {
		if (ret == CTL_EXIT_USAGE)
			fprintf(stderr, "Usage: cpuhpctl [OPTIONS] mount %s\n",
				cmd_mount.args);
		return ret;
	}
	fuse_set_log_func(fuse_log_stderr);
	if (!dir_ok(o.dir) || !fuse_usable())
		return CTL_EXIT_FAIL;
	if (!o.foreground && daemon_start(&o))
		return CTL_EXIT_FAIL;
	return serve(ctl, &o);
}

const struct cpuhpctl_cmd cmd_mount = {
	.name = "mount",
	.run = run,
	.args = "[-f] [--layout L] DIR",
	.summary = "serve the machine as a sysfs-shaped FUSE file system on DIR",
	.help = "With the default layout, sysroot, DIR gets sys/devices/system/cpu (the\n"
		"control files, with sysfs' modes, texts and errno values) and\n"
		"sys/kernel/tracing/{trace,trace_pipe} (the cpuhp events in ftrace format)\n"
		"and proc/cpuinfo (the online CPUs).  Use it as 'lscpu --sysroot DIR', or\n"
		"bind-mount DIR/sys/devices/system/cpu over /sys/devices/system/cpu in a\n"
		"private mount namespace (docs/mount.md).  With --layout cpu, DIR itself is\n"
		"the cpu directory (no trace, no cpuinfo).\n"
		"\n"
		"Options:\n"
		"  -f, --foreground   stay in the foreground (default: detach once mounted)\n"
		"  --layout L         sysroot (default) or cpu\n"
		"\n"
		"SIGINT, SIGTERM, SIGHUP or 'umount DIR' unmount and end it.  Exit status 1\n"
		"if FUSE is unavailable or the mount fails.\n",
};
