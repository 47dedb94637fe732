// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cmd-mount.c - "cpuhpctl mount DIR": serve the machine as a FUSE file system
 * shaped like sysfs, until SIGINT/SIGTERM/SIGHUP or "umount DIR".
 *
 * Order matters: the daemon forks before the machine exists (its "cpuhp/N"
 * threads would not survive a fork), and the termination signals are blocked
 * while those threads are created so that only the FUSE loop thread takes
 * them: a signal that lands there interrupts its read of /dev/fuse and ends
 * the loop.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

static struct fuse_session *session_new(struct mount_fs *fs)
{
	/* fuse_args wants writable strings. */
	static char prog[] = "cpuhpctl", o[] = "-o",
		    opts[] = "fsname=cpuhp,subtype=cpuhp,default_permissions";
	char *argv[] = { prog, o, opts, NULL };
	struct fuse_args args = FUSE_ARGS_INIT(3, argv);
	struct fuse_session *se;

	se = fuse_session_new(&args, &mount_fs_ops, sizeof(mount_fs_ops), fs);
	fuse_opt_free_args(&args);
	return se;
}

static void block_signals(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, old);
}

/* Machine, session, mount: each step undone in reverse on failure. */
static int serve(struct cpuhpctl *ctl, struct mount_opts *o)
{
	struct fuse_session *se = NULL;
	struct mount_fs *fs = NULL;
	struct cpuhp *hp;
	sigset_t old;
	int ret = CTL_EXIT_FAIL;

	block_signals(&old);
	if (ctl_machine(ctl, &hp))
		goto out;
	fs = mount_fs_new(hp, o->layout, ctl->trace);
	se = fs ? session_new(fs) : NULL;
	if (!se) {
		ctl_err("mount: cannot set up the file system");
		goto out;
	}
	/*
	 * A shell starts background jobs with SIGINT ignored, and libfuse
	 * leaves ignored signals alone: SIGINT and SIGTERM always unmount.
	 * SIGHUP keeps its disposition, so nohup still works.
	 */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	if (fuse_set_signal_handlers(se))
		goto out;
	if (fuse_session_mount(se, o->dir)) {
		ctl_err("mount: cannot mount on %s", o->dir);
		goto out_signals;
	}
	daemon_ready(o, true);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	ret = fuse_session_loop(se) < 0 ? CTL_EXIT_FAIL : CTL_EXIT_OK;
	block_signals(NULL);
	mount_fs_stop(fs);
	fuse_session_unmount(se);
out_signals:
	fuse_remove_signal_handlers(se);
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
	int c;

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
		case ':':
			ctl_err("mount: option '%s' needs an argument", argv[optind - 1]);
			return CTL_EXIT_USAGE;
		default:
			ctl_err("mount: unknown option '%s'", argv[optind - 1]);
			return CTL_EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		ctl_err("mount: %s operand", argc - optind < 1 ? "missing" : "extra");
		return CTL_EXIT_USAGE;
	}
	o->dir = argv[optind];
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
	.args = "[-f] [--layout sysroot|cpu] DIR",
	.summary = "serve the machine as a sysfs-shaped FUSE file system on DIR",
	.help = "With the default layout, sysroot, DIR gets sys/devices/system/cpu (the\n"
		"control files, with sysfs' modes, texts and errno values) and\n"
		"sys/kernel/tracing/{trace,trace_pipe} (the cpuhp events in ftrace format);\n"
		"use it as 'lscpu --sysroot DIR' or bind-mount DIR/sys/devices/system/cpu over\n"
		"/sys/devices/system/cpu in a private mount namespace (docs/mount.md).  With\n"
		"--layout cpu, DIR itself is the cpu directory (no trace files).\n"
		"\n"
		"Options:\n"
		"  -f, --foreground   stay in the foreground (default: detach once mounted)\n"
		"  --layout L         sysroot (default) or cpu\n"
		"\n"
		"SIGINT, SIGTERM, SIGHUP or 'umount DIR' unmount and end it.  Exit status 1\n"
		"if FUSE is unavailable or the mount fails.\n",
};
