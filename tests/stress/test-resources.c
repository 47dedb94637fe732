// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-resources.c - cpuhp_free() gives back everything cpuhp_new() and the
 * machine's life took: threads (/proc/self/task), file descriptors
 * (/proc/self/fd) and heap bytes (the sanitizer allocator's count, or
 * glibc's mallinfo2() without a sanitizer), over machines of every shape,
 * with states, instances, failures and traces, and over failed creations.
 * Then a machine with CPUHP_MAX_CPUS (8192) possible CPUs, of which a few
 * are present, must cost a bounded amount of memory (VmRSS before/after,
 * reported with the peak, VmHWM).
 *
 *   test-resources [--rounds N] [--cpus8192-present N] [--no-free 1]
 *
 * --no-free 1 exits without freeing the big machine (to measure a fully
 * present 8192-CPU machine without the quadratic cost of taking it down).
 */
#include <dirent.h>
#include <errno.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cpuhp/cpuhp.h>

#include "tap.h"

#if defined(__SANITIZE_THREAD__)
#define TSAN_THREADS 1u
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define TSAN_THREADS 1u
#endif
#endif
#ifndef TSAN_THREADS
#define TSAN_THREADS 0u
#endif

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define HAVE_SANITIZER_COUNT 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define HAVE_SANITIZER_COUNT 1
#endif
#endif

#ifdef HAVE_SANITIZER_COUNT
/* From the sanitizer runtime (gcc ships no header for it). */
size_t __sanitizer_get_current_allocated_bytes(void);

static size_t heap_bytes(void)
{
	return __sanitizer_get_current_allocated_bytes();
}
#else
/*
 * glibc counts the chunks a thread cache (tcache) keeps as in use: run
 * with the cache off, re-executing once if the caller did not.
 */
static void no_tcache(char **argv)
{
	const char *t = getenv("GLIBC_TUNABLES"), *pre = getenv("LD_PRELOAD");

	if (t && strstr(t, "glibc.malloc.tcache_count=0"))
		return;
	/* Under valgrind (its preload): its malloc, nothing to re-execute for. */
	if (pre && strstr(pre, "vgpreload"))
		return;
	setenv("GLIBC_TUNABLES", "glibc.malloc.tcache_count=0", 1);
	execv("/proc/self/exe", argv);
}

static size_t heap_bytes(void)
{
	/* Zero under valgrind, which replaces malloc: its leak check covers it. */
	return mallinfo2().uordblks;
}
#endif

static unsigned int count_dir(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	unsigned int n = 0;

	if (!d)
		bail_out("cannot read /proc/self");
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n - (strcmp(path, "/proc/self/fd") == 0); /* opendir's own fd */
}

/*
 * The number of threads, once it equals @want or after about a second.
 * pthread_join() returns when the kernel clears the thread's TID, a moment
 * before the task leaves /proc/self/task: a joined thread can still be
 * listed.  A thread that was not joined stays listed, so it is still found.
 */
static unsigned int tasks_settled(unsigned int want)
{
	unsigned int n, tries = 0;

	while ((n = count_dir("/proc/self/task")) != want && tries++ < 200)
		usleep(5000);
	return n;
}

/* A line of /proc/self/status, in kB. */
static long status_kb(const char *key)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[256];
	long v = -1;
	size_t n = strlen(key);

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ':')
			v = strtol(line + n + 1, NULL, 10);
	fclose(f);
	return v;
}

static void quiet(void *d, int prio, const char *file, int line, const char *fn,
		  const char *fmt, va_list args)
{
	(void)d, (void)prio, (void)file, (void)line, (void)fn, (void)fmt, (void)args;
}

static int cb(struct cpuhp *hp, unsigned int cpu, void *data)
{
	(void)hp, (void)cpu, (void)data;
	return 0;
}

static int mcb(struct cpuhp *hp, unsigned int cpu, struct cpuhp_node *node)
{
	(void)hp, (void)cpu, (void)node;
	return 0;
}

static void trace_sink(void *data, const struct cpuhp_trace_event *ev)
{
	char buf[256];

	cpuhp_trace_format(ev, buf, sizeof(buf));
	(*(unsigned long *)data)++;
}

/* One machine's life; its shape and work depend on @i. */
static void one_life(unsigned int i)
{
	static const char *const cmdlines[] = { NULL, "nosmt", "maxcpus=2", "nosmp" };
	struct cpuhp_node node = { 0 };
	struct cpuhp_config cfg;
	unsigned long events = 0;
	struct cpuhp *hp;
	char buf[4096];
	int st, ms;

	cpuhp_config_init(&cfg);
	cfg.nr_possible = 2 + 2 * (i % 4);
	cfg.threads_per_core = i % 2 ? 2 : 1;
	cfg.cmdline = cmdlines[i % 4];
	cfg.kconfig = i % 5 == 4 ? "HOTPLUG_CPU=n" : NULL;
	cfg.log_fn = quiet;
	if (i % 7 == 6)
		cfg.model = "no-such-model"; /* a failed creation frees as well */
	if (cpuhp_new(&cfg, &hp))
		return;
	cpuhp_trace_set_fn(hp, trace_sink, &events);
	st = cpuhp_setup_state(hp, cpuhp_state_of(hp, CPUHP_AP_ONLINE_DYN), "res:single",
			       cb, cb, NULL);
	ms = cpuhp_setup_state_multi(hp, cpuhp_state_of(hp, CPUHP_BP_PREPARE_DYN),
				     "res:multi", mcb, mcb);
	if (ms > 0)
		cpuhp_state_add_instance(hp, ms, &node);
	cpuhp_fail_set(hp, 1, st);
	cpuhp_cpu_down(hp, 1, CPUHP_OFFLINE);
	cpuhp_cpu_up(hp, 1, cpuhp_state_of(hp, CPUHP_ONLINE));
	cpuhp_ctl_read(hp, "hotplug/states", buf, sizeof(buf));
	cpuhp_ctl_write(hp, "smt/control", "off");
	/* Every other machine is freed with its states and instance still in. */
	if (i % 2 == 0 && st > 0)
		cpuhp_remove_state(hp, st);
	if (i % 2 == 0 && ms > 0) {
		cpuhp_state_remove_instance(hp, ms, &node);
		cpuhp_remove_multi_state(hp, ms);
	}
	cpuhp_free(hp);
}

static void lifecycle(unsigned int rounds)
{
	unsigned int tasks_start, tasks0, fds0, i, bad_tasks = 0, bad_fds = 0;
	size_t heap0, heap1;

	/*
	 * Count from here; ThreadSanitizer starts one background thread of its
	 * own at the first pthread_create, which the warm-up performs.
	 */
	tasks_start = count_dir("/proc/self/task") + TSAN_THREADS;
	one_life(0); /* warm-up: lazily created process state (dladdr, TLS) */
	one_life(1);
	tasks0 = tasks_settled(tasks_start);
	fds0 = count_dir("/proc/self/fd");
	heap0 = heap_bytes();
	for (i = 0; i < rounds; i++) {
		one_life(i);
		bad_tasks += tasks_settled(tasks0) != tasks0;
		bad_fds += count_dir("/proc/self/fd") != fds0;
	}
	heap1 = heap_bytes();
	is_int(tasks0, tasks_start, "no thread left by the warm-up machines");
	is_int(bad_tasks, 0, "every thread joined by cpuhp_free (%u machines)", rounds);
	is_int(bad_fds, 0, "no file descriptor left open (%u machines)", rounds);
	is_int((long long)heap1 - (long long)heap0, 0,
	       "heap bytes in use unchanged after %u machines", rounds);
}

/*
 * 8192 possible CPUs, @present of them present and booted.  The bound: the
 * per-possible-CPU record, masks and step table are some hundreds of bytes
 * per CPU (about 4 MB for 8192), sanitizer shadow and redzones multiply
 * that a few times; 64 MB leaves a wide margin and still catches anything
 * quadratic in the CPU count or a thread per possible CPU (256 kB stacks).
 * Each present CPU adds its thread, of which about 9 kB are resident (the
 * touched stack pages, TLS): 32 kB more per present CPU.
 */
static void big_machine(unsigned int present, bool no_free)
{
	struct cpuhp_config cfg;
	struct cpuhp *hp;
	long rss0, rss1, hwm;
	unsigned int cpu;
	int err;

	cpuhp_config_init(&cfg);
	cfg.nr_possible = CPUHP_MAX_CPUS;
	cfg.nr_present = present;
	cfg.log_fn = quiet;
	rss0 = status_kb("VmRSS");
	err = cpuhp_new(&cfg, &hp);
	is_int(err, 0, "a machine with %d possible CPUs", CPUHP_MAX_CPUS);
	if (err)
		return;
	for (cpu = 0; cpu < present; cpu++)
		if (cpuhp_cpu_state(hp, cpu) != cpuhp_state_of(hp, CPUHP_ONLINE))
			break;
	is_int(cpu, present, "its %u present CPUs are online", present);
	rss1 = status_kb("VmRSS");
	hwm = status_kb("VmHWM");
	note("8192 possible, %u present: VmRSS %ld kB -> %ld kB (+%ld kB), VmHWM %ld kB",
	     present, rss0, rss1, rss1 - rss0, hwm);
	ok(rss1 - rss0 < 64 * 1024 + 32 * (long)present,
	   "machine memory %ld kB below %ld kB", rss1 - rss0,
	   64 * 1024 + 32 * (long)present);
	if (no_free) {
		/* Measurement only: freeing N online CPUs costs O(N^2) wake-ups. */
		fflush(stdout);
		_exit(exit_status());
	}
	cpuhp_free(hp);
}

int main(int argc, char **argv)
{
	unsigned int rounds = 40, present = 8;
	bool no_free = false;
	int i;

	for (i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--rounds"))
			rounds = (unsigned int)atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--cpus8192-present"))
			present = (unsigned int)atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--no-free"))
			no_free = atoi(argv[i + 1]) != 0;
	}
#ifndef HAVE_SANITIZER_COUNT
	no_tcache(argv);
#endif
	plan_no_plan();
	lifecycle(rounds);
	big_machine(present, no_free);
	return done_testing();
}
