// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * guest.c - cpuhp-guest, the program "cpuhpctl kernel run" runs inside the
 * guest kernel (built static, started by the initramfs's /init).
 *
 * It reads the plan the host wrote (kernel-plan.c: blocks of write, read,
 * show and print steps, and sweep requests), runs every block from a clean
 * start (all CPUs online, no failure armed, SMT on), and prints each block
 * in the oracle recording format on the data port (the second serial line):
 * every write is exactly one write(2) with its errno and its time, then the
 * kernel's cpuhp trace events and the kernel log of that block.  Before each
 * write it logs a marker line to /dev/kmsg, so that a crash or a warning on
 * the console can be attributed to the step that preceded it.
 * Only libc: no part of the library runs in the guest.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define CPU_DIR "/sys/devices/system/cpu"
#define TRACE_DIR "/sys/kernel/tracing"
#define MAX_CPUS 64
#define MAX_STATES 512

static FILE *out;             /* the data port */
static int kmsg = -1;         /* /dev/kmsg: markers out, the block's log in */
static int nr_cpus;           /* cpu0 .. cpuN-1 exist */
static int online_state = -1; /* the number of the last state, "online" */
static char *state_names[MAX_STATES];
static const char *block_name = "";
static unsigned int step_nr;
static unsigned int script_line; /* of the step, 0 for a sweep case */

/* An environment error: one line on the console and on the data port. */
static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "cpuhp-guest: error: %s\n", msg);
	if (out) {
		fprintf(out, "##### GUEST-ERROR %s\n", msg);
		fflush(out);
		tcdrain(fileno(out));
	}
	exit(1);
}

/* ------------------------------------------------------------ files */

/* Read a small file; the text without its trailing newline, or "n/a". */
static const char *read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0) {
		snprintf(buf, len, "n/a");
		return buf;
	}
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		n = 0;
	buf[n] = '\0';
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	return buf;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/*
 * The step itself: exactly one write(2) of @len bytes to @path.
 * Return: 0 or the errno; *@ns the time the open and the write took.
 */
static int write_once(const char *path, const char *val, size_t len, long long *ns)
{
	double t0 = now_ns();
	int fd = open(path, O_WRONLY | O_CLOEXEC), err = 0;

	if (fd < 0) {
		err = errno;
	} else {
		if (write(fd, val, len) < 0)
			err = errno;
		if (close(fd) < 0 && !err)
			err = errno;
	}
	*ns = (long long)(now_ns() - t0);
	return err;
}

/* Set-up writes whose failure means the guest cannot do its job. */
static int put(const char *path, const char *val)
{
	long long ns;

	return write_once(path, val, strlen(val), &ns);
}

/* A line in the kernel log (notice level: shown on the console, see main()). */
static void kmsg_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void kmsg_note(const char *fmt, ...)
{
	char line[600];
	va_list ap;
	int n;

	n = snprintf(line, sizeof(line), "<5>cpuhp-kernel: ");
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	if (kmsg >= 0 && write(kmsg, line, strlen(line)) < 0)
		fprintf(stderr, "cpuhp-guest: /dev/kmsg: %s\n", strerror(errno));
}

/* ------------------------------------------------------------ printing */

static const char *state_name(int s)
{
	return s >= 0 && s < MAX_STATES && state_names[s] ? state_names[s] : "";
}

static void cpu_path(char *buf, size_t len, int cpu, const char *file)
{
	snprintf(buf, len, CPU_DIR "/cpu%d/%s", cpu, file);
}

static int cpu_int(int cpu, const char *file, int dflt)
{
	char path[128], buf[64];

	cpu_path(path, sizeof(path), cpu, file);
	read_file(path, buf, sizeof(buf));
	return strcmp(buf, "n/a") ? atoi(buf) : dflt;
}

/* "  cpuN: online=1 state=236(online) target=236 fail=-1" */
static void show_cpu(int cpu)
{
	char path[128], online[16], state[16], target[16], fail[16];

	cpu_path(path, sizeof(path), cpu, "online");
	read_file(path, online, sizeof(online));
	cpu_path(path, sizeof(path), cpu, "hotplug/state");
	read_file(path, state, sizeof(state));
	cpu_path(path, sizeof(path), cpu, "hotplug/target");
	read_file(path, target, sizeof(target));
	cpu_path(path, sizeof(path), cpu, "hotplug/fail");
	read_file(path, fail, sizeof(fail));
	fprintf(out, "  cpu%d: online=%s state=%s", cpu, online, state);
	if (strcmp(state, "n/a"))
		fprintf(out, "(%s)", state_name(atoi(state)));
	fprintf(out, " target=%s fail=%s\n", target, fail);
}

static void show_masks(void)
{
	static const char *const masks[] = { "possible", "present", "online", "offline" };
	char path[128], buf[256];
	size_t i;

	fputs("  masks:", out);
	for (i = 0; i < sizeof(masks) / sizeof(masks[0]); i++) {
		snprintf(path, sizeof(path), CPU_DIR "/%s", masks[i]);
		fprintf(out, " %s=%s", masks[i], read_file(path, buf, sizeof(buf)));
	}
	fputc('\n', out);
}

static void show_smt(void)
{
	char c[32], a[32];

	read_file(CPU_DIR "/smt/control", c, sizeof(c));
	read_file(CPU_DIR "/smt/active", a, sizeof(a));
	fprintf(out, "  smt/control=%s smt/active=%s\n", c, a);
}

static void show(const char *what)
{
	if (!strcmp(what, "masks"))
		show_masks();
	else if (!strcmp(what, "smt"))
		show_smt();
	else if (!strncmp(what, "cpu", 3))
		show_cpu(atoi(what + 3));
}

static void show_all(void)
{
	int cpu;

	for (cpu = 0; cpu < nr_cpus; cpu++)
		show_cpu(cpu);
	show_masks();
	show_smt();
}

/* ------------------------------------------------------------- steps */

/*
 * "[(prep) ]write PATH <- VALUE : ok errno=0 (-) ns=N" or "... : FAIL
 * errno=N (text) ns=N".  The value is shown without one trailing newline
 * (an echo's): a recording replays the bytes between "<- " and " : ".
 */
static int do_write(const char *path, const char *val, size_t len, bool prep)
{
	long long ns;
	int shown = (int)len, err;

	if (shown && val[shown - 1] == '\n')
		shown--;
	step_nr++;
	if (script_line)
		kmsg_note("%s step %u (line %u): write %s <- %.*s\n", block_name, step_nr,
			  script_line, path, shown, val);
	else
		kmsg_note("%s step %u: write %s <- %.*s\n", block_name, step_nr, path,
			  shown, val);
	/* What is printed before a crash is what the host can show. */
	fflush(out);
	err = write_once(path, val, len, &ns);
	fprintf(out, "%swrite %s <- %.*s : %s errno=%d (%s) ns=%lld\n",
		prep ? "  (prep) " : "", path, shown, val, err ? "FAIL" : "ok", err,
		err ? strerror(err) : "-", ns);
	return err;
}

/* "read PATH = VALUE", or "read PATH:" and the text as "  | line" lines. */
static void do_read(const char *path)
{
	static char buf[65536];
	const char *p;

	read_file(path, buf, sizeof(buf));
	if (!strchr(buf, '\n')) {
		fprintf(out, "read %s = %s\n", path, buf);
		return;
	}
	fprintf(out, "read %s:\n", path);
	for (p = buf; *p;) {
		size_t n = strcspn(p, "\n");

		fprintf(out, "  | %.*s\n", (int)n, p);
		p += n + !!p[n];
	}
}

/* ------------------------------------------------------ trace and log */

static void copy_file(const char *path)
{
	char buf[16384];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)n, out);
	close(fd);
}

static void trace_clear(void)
{
	int fd = open(TRACE_DIR "/trace", O_WRONLY | O_TRUNC | O_CLOEXEC);

	if (fd >= 0)
		close(fd);
}

/*
 * The kernel log records since the last call, dmesg style; @print false
 * only skips them (the clean-up between blocks).  A /dev/kmsg record is
 * "PRIO,SEQ,USEC,FLAGS;TEXT" followed by " KEY=VALUE" lines.
 */
static void kmsg_drain(bool print)
{
	char rec[8192];
	ssize_t n;

	for (;;) {
		unsigned long long usec = 0;
		char *text, *nl;

		n = read(kmsg, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue; /* records were overwritten: go on with the next */
		if (n <= 0)
			return;
		rec[n] = '\0';
		text = strchr(rec, ';');
		if (!print || !text)
			continue;
		sscanf(rec, "%*u,%*u,%llu", &usec);
		nl = strchr(++text, '\n');
		if (nl)
			*nl = '\0';
		fprintf(out, "[%5llu.%06llu] %s\n", usec / 1000000, usec % 1000000, text);
	}
}

/* --------------------------------------------------------- blocks */

static bool is_clean(void)
{
	char c[32];
	int cpu;

	read_file(CPU_DIR "/smt/control", c, sizeof(c));
	if (!strcmp(c, "off") || !strcmp(c, "forceoff"))
		return false;
	for (cpu = 0; cpu < nr_cpus; cpu++)
		if (cpu_int(cpu, "hotplug/state", online_state) != online_state ||
		    cpu_int(cpu, "hotplug/fail", -1) != -1 ||
		    cpu_int(cpu, "online", 1) != 1)
			return false;
	return true;
}

/*
 * A clean start: no failure armed, SMT on, every CPU online.  A CPU whose
 * online attribute is 1 while its state is not (a hotplug/target write
 * leaves them out of step) needs a target write; writing online would do
 * nothing.
 */
static void restore(void)
{
	char path[128], val[16], c[32];
	int cpu;

	if (is_clean())
		return;
	for (cpu = 0; cpu < nr_cpus; cpu++) {
		cpu_path(path, sizeof(path), cpu, "hotplug/fail");
		put(path, "-1");
	}
	read_file(CPU_DIR "/smt/control", c, sizeof(c));
	if (!strcmp(c, "off"))
		put(CPU_DIR "/smt/control", "on");
	for (cpu = 0; cpu < nr_cpus; cpu++) {
		if (cpu_int(cpu, "online", 1) == 0) {
			cpu_path(path, sizeof(path), cpu, "online");
			put(path, "1");
		}
		if (cpu_int(cpu, "hotplug/state", online_state) != online_state) {
			cpu_path(path, sizeof(path), cpu, "hotplug/target");
			snprintf(val, sizeof(val), "%d", online_state);
			put(path, val);
		}
	}
}

static void begin_block(const char *name, const char *what)
{
	static char nm[128];

	restore();
	snprintf(nm, sizeof(nm), "%s", name);
	block_name = nm;
	step_nr = 0;
	script_line = 0;
	kmsg_drain(false);
	fprintf(out, "##### BEGIN %s\n", name);
	if (what)
		fprintf(out, "case: %s\n", what);
	if (!is_clean()) {
		fputs("start: NOT CLEAN: the previous block left this behind:\n", out);
		show_all();
		kmsg_note("%s: the start is not clean\n", name);
	}
	trace_clear();
}

static void end_block(void)
{
	fputs("after:\n", out);
	show_all();
	fprintf(out, "----- trace (%s)\n", block_name);
	copy_file(TRACE_DIR "/trace");
	fprintf(out, "----- dmesg (%s)\n", block_name);
	kmsg_drain(true);
	fprintf(out, "##### END %s\n", block_name);
	fflush(out);
}

/* One single-fault case: fail=@s on @cpu, then bring it up or down. */
static void sweep_case(int cpu, int s, bool up)
{
	char name[64], what[160], fail[128], online[128], val[16];

	snprintf(name, sizeof(name), "sweep-%s-%03d", up ? "up" : "down", s);
	snprintf(what, sizeof(what), "arm hotplug/fail=%d (%s) on cpu%d, then %s", s,
		 state_name(s), cpu, up ? "up" : "down");
	begin_block(name, what);
	cpu_path(fail, sizeof(fail), cpu, "hotplug/fail");
	cpu_path(online, sizeof(online), cpu, "online");
	if (up) {
		do_write(online, "0", 1, true);
		trace_clear(); /* the scene is set: the recorded trace starts here */
	}
	fputs("before:\n", out);
	show_cpu(cpu);
	snprintf(val, sizeof(val), "%d", s);
	do_write(fail, val, strlen(val), false);
	fprintf(out, "fail readback: %d\n", cpu_int(cpu, "hotplug/fail", -1));
	do_write(online, up ? "1" : "0", 1, false);
	end_block();
}

static void sweep(int cpu, int first, int last)
{
	int s, dir;

	if (cpu <= 0 || cpu >= nr_cpus)
		die("sweep: cpu%d is not a hotpluggable CPU of this guest (it has %d)",
		    cpu, nr_cpus);
	if (first < 0)
		first = 0;
	if (last < 0 || last > online_state + 1)
		last = online_state + 1;
	fprintf(out, "##### SWEEP cpu=%d first=%d last=%d cases=%d\n", cpu, first, last,
		2 * (last - first + 1));
	for (dir = 0; dir < 2; dir++)
		for (s = first; s <= last; s++)
			sweep_case(cpu, s, dir == 0);
}

/* ------------------------------------------------------------ the plan */

/* Undo the plan's escapes (\\ \n \t) in place. */
static size_t unescape(char *s)
{
	char *w = s, *r = s;

	for (; *r; r++) {
		if (*r != '\\' || !r[1]) {
			*w++ = *r;
			continue;
		}
		r++;
		*w++ = *r == 'n' ? '\n' : *r == 't' ? '\t' : *r;
	}
	*w = '\0';
	return (size_t)(w - s);
}

/* Plan lines: OP TAB ARG [TAB ARG]; see kernel-plan.c. */
static void run_line(char *line)
{
	char *op = line, *a = strchr(line, '\t'), *b = NULL;
	size_t len;

	if (a) {
		*a++ = '\0';
		b = strchr(a, '\t');
		if (b)
			*b++ = '\0';
	}
	if (!strcmp(op, "block") && a) {
		begin_block(a, b);
	} else if (!strcmp(op, "line") && a) {
		script_line = (unsigned int)atoi(a);
	} else if (!strcmp(op, "end")) {
		end_block();
	} else if (!strcmp(op, "write") && a && b) {
		len = unescape(b);
		do_write(a, b, len, false);
	} else if (!strcmp(op, "read") && a) {
		do_read(a);
	} else if (!strcmp(op, "show") && a) {
		show(a);
	} else if (!strcmp(op, "print") && a) {
		unescape(a);
		fprintf(out, "%s", a);
	} else if (!strcmp(op, "sweep") && a && b) {
		int cpu = atoi(a), first = -1, last = -1;

		sscanf(b, "%d %d", &first, &last);
		sweep(cpu, first, last);
	} else if (*op) {
		die("bad plan line '%s'", op);
	}
}

/* ----------------------------------------------------------- set-up */

static void load_states(void)
{
	FILE *f = fopen(CPU_DIR "/hotplug/states", "r");
	char name[128];
	int num;

	if (!f)
		die("the kernel has no " CPU_DIR
		    "/hotplug/states: build it with CONFIG_HOTPLUG_CPU=y");
	while (fscanf(f, " %d: %127s", &num, name) == 2)
		if (num >= 0 && num < MAX_STATES) {
			state_names[num] = strdup(name);
			online_state = num;
		}
	fclose(f);
	if (online_state <= 0)
		die("cannot read the hotplug/states listing");
}

static void count_cpus(void)
{
	char path[128];

	for (nr_cpus = 0; nr_cpus < MAX_CPUS; nr_cpus++) {
		snprintf(path, sizeof(path), CPU_DIR "/cpu%d", nr_cpus);
		if (access(path, F_OK))
			break;
	}
	if (nr_cpus < 2)
		die("the guest has %d CPU: give QEMU at least 2 (--smp)", nr_cpus);
	cpu_path(path, sizeof(path), 1, "online");
	if (access(path, F_OK))
		die("cpu1 has no online file: build the kernel with CONFIG_HOTPLUG_CPU=y");
}

static void setup_trace(void)
{
	if (access(TRACE_DIR "/events/cpuhp/enable", F_OK))
		die("no cpuhp trace events in " TRACE_DIR
		    ": build the kernel with CONFIG_TRACING=y (tracefs, CONFIG_FTRACE)");
	if (put(TRACE_DIR "/trace_clock", "global") ||
	    put(TRACE_DIR "/events/cpuhp/enable", "1") ||
	    put(TRACE_DIR "/tracing_on", "1"))
		die("cannot enable the cpuhp trace events: %s", strerror(errno));
}

static void open_out(const char *dev)
{
	struct termios t;
	int fd = open(dev, O_WRONLY | O_NOCTTY | O_CLOEXEC);

	if (fd < 0) {
		fprintf(stderr, "cpuhp-guest: error: cannot open the data port %s: %s\n",
			dev, strerror(errno));
		exit(1);
	}
	/* Raw: no "\n" -> "\r\n", no other conversions of the recording. */
	if (!tcgetattr(fd, &t)) {
		cfmakeraw(&t);
		tcsetattr(fd, TCSANOW, &t);
	}
	out = fdopen(fd, "w");
	setvbuf(out, NULL, _IOFBF, 1 << 16);
}

static void info_block(void)
{
	char buf[512];

	fputs("##### BEGIN info\n", out);
	fprintf(out, "uname -r: %s\n",
		read_file("/proc/sys/kernel/osrelease", buf, sizeof(buf)));
	fprintf(out, "cmdline: %s\n", read_file("/proc/cmdline", buf, sizeof(buf)));
	fprintf(out, "nproc: %d\n", nr_cpus);
	fputs("--- hotplug/states (full)\n", out);
	copy_file(CPU_DIR "/hotplug/states");
	fputs("--- per cpu\n", out);
	show_all();
	fputs("##### END info\n", out);
	fflush(out);
}

int main(int argc, char *argv[])
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *plan;

	if (argc != 3) {
		fprintf(stderr, "usage: cpuhp-guest PLAN DATA-PORT\n");
		return 2;
	}
	open_out(argv[2]);
	kmsg = open("/dev/kmsg", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (kmsg >= 0)
		lseek(kmsg, 0, SEEK_END);
	/* Console log level 6: notices (our markers) and worse reach the console. */
	put("/proc/sys/kernel/printk", "6");
	/*
	 * One marker per step: /dev/kmsg's rate limit would drop most of them.
	 * The host's command line has printk.devkmsg=on (which also locks the
	 * sysctl: it cannot be changed from here).
	 */
	load_states();
	count_cpus();
	setup_trace();
	plan = fopen(argv[1], "r");
	if (!plan)
		die("cannot open the plan %s: %s", argv[1], strerror(errno));
	fprintf(out, "##### GUEST-READY\n");
	info_block();
	while ((n = getline(&line, &cap, plan)) >= 0) {
		if (n && line[n - 1] == '\n')
			line[n - 1] = '\0';
		run_line(line);
	}
	free(line);
	fclose(plan);
	restore();
	fputs("##### DONE\n", out);
	fflush(out);
	tcdrain(fileno(out));
	return 0;
}
