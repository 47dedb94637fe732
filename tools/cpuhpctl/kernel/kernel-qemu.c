// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * kernel-qemu.c - boot the image under QEMU and watch the guest until it
 * is done, dies or hangs.
 *
 * The first serial line is the kernel's console (console.log), the second
 * the guest's data port (recording.raw).  The watcher reads the data port as
 * it grows: it says when the guest started, each block that ended and when
 * it is done; no output there for the step timeout is a hang.  QEMU is
 * always killed and reaped before this returns.  A guest that dies before
 * it started is booted again (TCG sometimes loses a boot early: an emulator
 * race, not the kernel's fault), at most BOOT_TRIES times.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cpuhpctl.h"
#include "kernel.h"

#define BOOT_TRIES 3
#define BOOT_TIMEOUT_S 120.0
#define POWEROFF_TIMEOUT_S 15.0
#define BASE_CMDLINE "console=ttyS0 panic=-1 quiet trace_event=cpuhp:* printk.devkmsg=on"

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

void kernel_path(const struct kernel_opts *o, char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", o->outdir, name);
}

static pid_t start_qemu(const struct kernel_opts *o)
{
	char con[4200], data[4200], con_arg[4210], data_arg[4210], initrd[4200],
		log[4200], cmdline[4096];
	const char *accel = o->accel ? o->accel : kernel_kvm_works() ? "kvm" : "tcg";
	const char *argv[40];
	int argc = 0, fd;
	pid_t pid;

	kernel_path(o, con, sizeof(con), "console.log");
	kernel_path(o, data, sizeof(data), "recording.raw");
	kernel_path(o, initrd, sizeof(initrd), "initramfs.cpio");
	kernel_path(o, log, sizeof(log), "qemu.log");
	snprintf(con_arg, sizeof(con_arg), "file:%s", con);
	snprintf(data_arg, sizeof(data_arg), "file:%s", data);
	snprintf(cmdline, sizeof(cmdline), BASE_CMDLINE "%s%.3000s", o->append ? " " : "",
		 o->append ? o->append : "");
	argv[argc++] = o->qemu;
	argv[argc++] = "-accel";
	argv[argc++] = accel;
	argv[argc++] = "-cpu";
	argv[argc++] = "Nehalem";
	argv[argc++] = "-m";
	argv[argc++] = "512";
	argv[argc++] = "-smp";
	argv[argc++] = o->smp;
	argv[argc++] = "-display";
	argv[argc++] = "none";
	argv[argc++] = "-monitor";
	argv[argc++] = "none";
	argv[argc++] = "-no-reboot";
	/* ttyS0: the kernel's console; ttyS1: the guest's data port. */
	argv[argc++] = "-serial";
	argv[argc++] = con_arg;
	argv[argc++] = "-serial";
	argv[argc++] = data_arg;
	argv[argc++] = "-kernel";
	argv[argc++] = o->image;
	argv[argc++] = "-initrd";
	argv[argc++] = initrd;
	argv[argc++] = "-append";
	argv[argc++] = cmdline;
	argv[argc] = NULL;
	unlink(con);
	unlink(data);
	fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		/* Its own process group: a terminal's Ctrl-C reaches us, we end QEMU. */
		setpgid(0, 0);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		close(STDIN_FILENO);
		open("/dev/null", O_RDONLY);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(fd);
	return pid;
}

/* ------------------------------------------------------------ watching */

struct watch {
	const struct kernel_opts *o;
	FILE *data;
	char line[4096];
	size_t used;
	bool ready, done, error;
	unsigned int ended, total;
	char last[160];
	struct guest_run *r;
	bool bar;
};

static void draw_bar(struct watch *w)
{
	unsigned int total = w->total > w->ended ? w->total : w->ended, width = 40, fill;

	if (!w->bar || !total)
		return;
	fill = width * w->ended / total;
	fprintf(stderr, "\r  [%.*s%*s] %u/%u %-24.24s", (int)fill,
		"########################################", (int)(width - fill), "",
		w->ended, total, w->last);
	fflush(stderr);
}

static void data_line(struct watch *w, const char *l, double t0)
{
	unsigned int n;

	if (!strcmp(l, "##### GUEST-READY")) {
		w->ready = true;
		w->r->boot_s = ctl_now() - t0;
	} else if (!strncmp(l, "##### END ", 10)) {
		if (strcmp(l + 10, "info"))
			w->ended++;
		snprintf(w->last, sizeof(w->last), "%.150s", l + 10);
		draw_bar(w);
	} else if (sscanf(l, "##### SWEEP cpu=%*d first=%*d last=%*d cases=%u", &n) ==
		   1) {
		w->total += n;
	} else if (!strcmp(l, "##### DONE")) {
		w->done = true;
	} else if (!strncmp(l, "##### GUEST-ERROR ", 18)) {
		w->error = true;
		snprintf(w->r->error, sizeof(w->r->error), "%.500s", l + 18);
	}
}

/* Return: true if the data port grew. */
static bool read_data(struct watch *w, double t0)
{
	bool grew = false;
	int c;

	clearerr(w->data);
	while ((c = fgetc(w->data)) != EOF) {
		grew = true;
		if (c == '\r')
			continue;
		if (c != '\n' && w->used < sizeof(w->line) - 1) {
			w->line[w->used++] = (char)c;
			continue;
		}
		if (c == '\n') {
			w->line[w->used] = '\0';
			data_line(w, w->line, t0);
			w->used = 0;
		}
	}
	return grew;
}

static void end_qemu(pid_t pid, double grace)
{
	double until = ctl_now() + grace;
	int status;

	while (grace > 0 && ctl_now() < until) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return;
		usleep(50000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
}

static enum guest_end watch(struct watch *w, pid_t pid)
{
	char data[4200];
	double t0 = ctl_now(), active = t0;
	int status;

	kernel_path(w->o, data, sizeof(data), "recording.raw");
	for (;;) {
		bool exited = waitpid(pid, &status, WNOHANG) == pid;

		if (!w->data)
			w->data = fopen(data, "r");
		/*
		 * Only the guest's own output counts as progress: a kernel that
		 * hangs may still fill the console (a soft lockup repeats itself).
		 */
		if (w->data && read_data(w, t0))
			active = ctl_now();
		w->r->total_s = ctl_now() - t0;
		if (w->done) {
			if (!exited)
				end_qemu(pid, POWEROFF_TIMEOUT_S);
			return GUEST_DONE;
		}
		if (exited || stop_signal) {
			if (!exited)
				end_qemu(pid, 0);
			if (stop_signal)
				return GUEST_STOPPED;
			return w->error ? GUEST_ERROR :
			       w->ready ? GUEST_CRASH :
					  GUEST_NO_BOOT;
		}
		if (!w->ready && ctl_now() - t0 > BOOT_TIMEOUT_S) {
			end_qemu(pid, 0);
			return w->error ? GUEST_ERROR : GUEST_NO_BOOT;
		}
		if (w->ready && ctl_now() - active > w->o->step_timeout) {
			end_qemu(pid, 0);
			return GUEST_HANG;
		}
		usleep(100000);
	}
}

int kernel_boot(const struct kernel_opts *o, unsigned int blocks, struct guest_run *r)
{
	struct sigaction sa = { .sa_handler = on_signal }, old_int, old_term;
	char con[4096], keep[4200];
	int attempt;

	memset(r, 0, sizeof(*r));
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	for (attempt = 1; attempt <= BOOT_TRIES; attempt++) {
		struct watch w = {
			.o = o, .r = r, .total = blocks, .bar = isatty(STDERR_FILENO)
		};
		pid_t pid = start_qemu(o);

		r->boots = attempt;
		if (pid < 0) {
			snprintf(r->error, sizeof(r->error), "cannot start %.400s: %s",
				 o->qemu, strerror(errno));
			r->end = GUEST_NO_BOOT;
			break;
		}
		r->end = watch(&w, pid);
		if (w.data)
			fclose(w.data);
		if (w.bar && w.ended)
			fputc('\n', stderr);
		if (r->end != GUEST_NO_BOOT)
			break;
		kernel_path(o, con, sizeof(con), "console.log");
		if (snprintf(keep, sizeof(keep), "%s.noboot-%d", con, attempt) <
		    (int)sizeof(keep))
			rename(con, keep);
		if (attempt < BOOT_TRIES)
			fprintf(stderr,
				"cpuhpctl: kernel: the guest died before it started (boot %d, console in %s); booting again\n",
				attempt, keep);
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	return 0;
}
