// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * guest-driver.c - runs inside the QEMU guest (a real kernel, -smp 4, as
 * root): the per-CPU counter example on the linux backend with netlink
 * uevents, while this driver offlines and onlines CPUs through sysfs.
 * Prints TAP on the console; run-qemu.sh checks it on the host side.
 *
 * Checked against docs/host.md: every startup runs on cpuhp/N on real CPU N;
 * the teardown of an offlined CPU runs once, on the control thread, on
 * another CPU; its count is folded (slot zero, total exact); an overrun of
 * the uevent socket (ENOBUFS) causes a rescan; after cpuhp_free() no thread
 * or descriptor is left.  Latency: write(2) of "0" started -> teardown
 * finished (an upper bound), and uevent received -> teardown finished.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cpuhp/cpuhp.h>
#include <cpuhp/ledger.h>

#include "exec/exec.h"

#include "host/host.h"
#include "percpu-counter.h"

#define NCPU 4 /* booted with -smp 4,maxcpus=5: CPU 4 is hot-added later */
#define NPOSS 5
#define CYCLES 5

static int test_no;
static int failures;

static void ok(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void ok(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++test_no);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	failures += !cond;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ---- what the callbacks saw ---- */

struct rec {
	unsigned int cpu;
	int up;
	enum cpuhp_context ctx;
	int ran_on; /* real CPU */
	uint64_t folded;
	int into;
	uint64_t t_ns; /* when the callback finished */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static struct rec recs[256];
static int nr_recs;
static uint64_t last_recv_ns[NPOSS];   /* uevent received, per CPU */
static unsigned long nr_ev[NPOSS];     /* uevents fully handled, per CPU */
static unsigned int last_downs[NPOSS]; /* CPUs the last uevent took down */
static int by_rescan;                  /* teardowns a rescan did before the uevent */

static struct percpu_counter counter;

static void observe(void *data, unsigned int cpu, int up, uint64_t folded, int into)
{
	struct cpuhp *hp = data;
	struct rec r = { cpu,
			 up,
			 cpuhp_current_context(hp, NULL),
			 cpuhp_current_cpu(),
			 folded,
			 into,
			 now_ns() };

	pthread_mutex_lock(&lock);
	if (nr_recs < 256)
		recs[nr_recs++] = r;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
}

static void on_event(void *data, const struct cpuhp_host_event *ev)
{
	(void)data;
	if (ev->kind != CPUHP_HOST_EV_UEVENT || ev->cpu < 0 || ev->cpu >= NPOSS)
		return;
	pthread_mutex_lock(&lock);
	last_recv_ns[ev->cpu] = ev->recv_ns;
	last_downs[ev->cpu] = ev->downs;
	nr_ev[ev->cpu]++;
	pthread_cond_broadcast(&cond);
	pthread_mutex_unlock(&lock);
}

/* Wait for the record of @cpu/@up after index @from; -1 if none in 20 s. */
static int wait_rec(int from, unsigned int cpu, int up)
{
	struct timespec ts;
	int i, found = -1;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 20;
	pthread_mutex_lock(&lock);
	while (found < 0) {
		for (i = from; i < nr_recs && found < 0; i++)
			if (recs[i].cpu == cpu && recs[i].up == up)
				found = i;
		if (found < 0 && pthread_cond_timedwait(&cond, &lock, &ts))
			break;
	}
	pthread_mutex_unlock(&lock);
	return found;
}

/* Wait until CPU @cpu's uevent count passes @n (its handling finished). */
static bool wait_ev(unsigned int cpu, unsigned long n)
{
	struct timespec ts;
	bool done;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 20;
	pthread_mutex_lock(&lock);
	while (nr_ev[cpu] <= n && !pthread_cond_timedwait(&cond, &lock, &ts))
		;
	done = nr_ev[cpu] > n;
	pthread_mutex_unlock(&lock);
	return done;
}

static unsigned long ev_mark(unsigned int cpu)
{
	unsigned long n;

	pthread_mutex_lock(&lock);
	n = nr_ev[cpu];
	pthread_mutex_unlock(&lock);
	return n;
}

static int mark(void)
{
	int n;

	pthread_mutex_lock(&lock);
	n = nr_recs;
	pthread_mutex_unlock(&lock);
	return n;
}

/* ---- workers ---- */

static _Atomic int stop;
static uint64_t counted[NCPU];

static void *worker(void *arg)
{
	uint64_t *mine = arg;

	struct timespec nap = { 0, 200 * 1000 };

	/*
	 * Bursts, then a nap: under TCG four spinning vCPUs would starve the
	 * kernel's own hotplug work on a 2-core host; bursts still race with
	 * every offline.
	 */
	while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
		for (int i = 0; i < 256; i++) {
			pcc_inc(&counter);
			(*mine)++;
		}
		nanosleep(&nap, NULL);
	}
	return NULL;
}

/* ---- the host ---- */

static int write_online(unsigned int cpu, const char *v)
{
	char path[64];
	int fd, ret = 0;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%u/online", cpu);
	fd = open(path, O_WRONLY);
	if (fd < 0 || write(fd, v, 1) != 1)
		ret = -errno;
	if (fd >= 0)
		close(fd);
	return ret;
}

/* Entries of a /proc directory (its own descriptor included for fd/). */
static int count_dir(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/*
 * Threads of this process.  pthread_join() returns when the kernel clears
 * the thread's tid, slightly before the task is reaped and leaves
 * /proc/self/task: wait (bounded) for the count to settle at @want.
 */
static int count_threads(int want)
{
	int i, n = count_dir("/proc/self/task");

	for (i = 0; i < 100 && n != want; i++) {
		usleep(20000);
		n = count_dir("/proc/self/task");
	}
	return n;
}

static uint64_t lat_write[CYCLES * 3 + 4], lat_recv[CYCLES * 3 + 4],
	lat_kernel[CYCLES * 3 + 4];
static int nr_lat, nr_lat_kernel;

/*
 * The kernel's own clock of the offline: its cpuhp_exit trace events, with
 * trace_clock=mono so that they compare with CLOCK_MONOTONIC.  The last one
 * for the CPU ends the kernel's offline walk; the "offline" uevent is sent
 * right after it, on the same path.
 */
#define TRACING "/sys/kernel/tracing"
static bool have_trace;

static bool write_file(const char *path, const char *v)
{
	int fd = open(path, O_WRONLY | O_TRUNC);
	bool ok = fd >= 0 && write(fd, v, strlen(v)) == (ssize_t)strlen(v);

	if (fd >= 0)
		close(fd);
	return ok;
}

static void trace_setup(void)
{
	have_trace = write_file(TRACING "/trace_clock", "mono") &&
		     write_file(TRACING "/events/cpuhp/cpuhp_exit/enable", "1");
	printf("# kernel cpuhp trace: %s\n",
	       have_trace ? "on (trace_clock=mono)" : "unavailable");
}

/* Timestamp (ns) of the last cpuhp_exit of @cpu in the trace, 0 if none. */
static uint64_t last_kernel_exit(unsigned int cpu)
{
	char line[512], key[32];
	uint64_t last = 0;
	FILE *f;

	if (!have_trace || !(f = fopen(TRACING "/trace", "r")))
		return 0;
	snprintf(key, sizeof(key), "cpuhp_exit:  cpu: %04u", cpu);
	while (fgets(line, sizeof(line), f)) {
		char *ev = strstr(line, key), *ts;

		if (!ev || ev - line < 3)
			continue;
		/* "...  4.241560: cpuhp_exit:" - the number before ": cpuhp_exit" */
		ev[-2] = '\0';
		ts = strrchr(line, ' ');
		if (ts)
			last = (uint64_t)(strtod(ts + 1, NULL) * 1e9);
	}
	fclose(f);
	return last;
}

static void offline_cpu(struct cpuhp *hp, unsigned int cpu)
{
	int from = mark(), i;
	unsigned long ev0 = ev_mark(cpu);
	uint64_t t_write;
	struct rec r;

	if (have_trace)
		write_file(TRACING "/trace", ""); /* clear: this offline's events only */
	t_write = now_ns(); /* before the write: the uevent is sent inside it */
	ok(write_online(cpu, "0") == 0, "cpu%u/online <- 0", cpu);
	i = wait_rec(from, cpu, 0);
	ok(i >= 0, "teardown ran for CPU %u", cpu);
	if (i < 0)
		return;
	pthread_mutex_lock(&lock);
	r = recs[i];
	pthread_mutex_unlock(&lock);
	ok(r.ctx == CPUHP_CTX_CONTROL,
	   "teardown of CPU %u on the control thread (ctx %d)", cpu, r.ctx);
	ok(r.ran_on != (int)cpu && r.ran_on >= 0, "teardown of CPU %u ran on CPU %d", cpu,
	   r.ran_on);
	ok(r.into >= 0 && r.into != (int)cpu, "CPU %u's count (%llu) folded into CPU %d",
	   cpu, (unsigned long long)r.folded, r.into);
	ok(wait_ev(cpu, ev0), "offline uevent of CPU %u handled", cpu);
	ok(mark() - from == 1, "one callback ran, for CPU %u only (%d)", cpu,
	   mark() - from);
	ok(!cpuhp_cpu_online(hp, cpu), "CPU %u offline in the machine", cpu);
	cpuhp_cpus_read_lock(hp);
	ok(atomic_load(&pcc_slot(&counter, cpu)->count) == 0, "CPU %u's slot is empty",
	   cpu);
	cpuhp_cpus_read_unlock(hp);
	/*
	 * A rescan (poll interval, SEQNUM gap) may see the sysfs change and do
	 * the teardown before the uevent is read; then the uevent finds nothing
	 * to do and has no latency to measure.
	 */
	pthread_mutex_lock(&lock);
	if (last_downs[cpu] == 1) {
		uint64_t k = last_kernel_exit(cpu);

		if (k && k < r.t_ns)
			lat_kernel[nr_lat_kernel++] = r.t_ns - k;
		lat_write[nr_lat] = r.t_ns - t_write;
		lat_recv[nr_lat] = r.t_ns - last_recv_ns[cpu];
		nr_lat++;
	} else {
		by_rescan++;
	}
	pthread_mutex_unlock(&lock);
}

static void online_cpu(struct cpuhp *hp, unsigned int cpu)
{
	int from = mark(), i;
	unsigned long ev0 = ev_mark(cpu);
	struct rec r;

	ok(write_online(cpu, "1") == 0, "cpu%u/online <- 1", cpu);
	ok(wait_ev(cpu, ev0), "online uevent of CPU %u handled", cpu);
	ok(mark() - from == 1, "one callback ran, for CPU %u only (%d)", cpu,
	   mark() - from);
	i = wait_rec(from, cpu, 1);
	ok(i >= 0, "startup ran for CPU %u", cpu);
	if (i < 0)
		return;
	pthread_mutex_lock(&lock);
	r = recs[i];
	pthread_mutex_unlock(&lock);
	ok(r.ctx == CPUHP_CTX_AP && r.ran_on == (int)cpu,
	   "startup of CPU %u on cpuhp/%u, on CPU %d", cpu, cpu, r.ran_on);
	ok(cpuhp_cpu_online(hp, cpu), "CPU %u online in the machine", cpu);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void report_latency(const char *what, uint64_t *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_u64);
	printf("# latency %s: n=%d min=%.1f us median=%.1f us max=%.1f us\n", what, n,
	       (double)v[0] / 1e3, (double)v[n / 2] / 1e3, (double)v[n - 1] / 1e3);
}

/*
 * vCPU hot-add and hot-remove: the host side (run-qemu.sh) watches the
 * console for the markers and sends device_add/device_del to QEMU.  A
 * hot-added CPU arrives offline ("add"); nothing onlines it here but us
 * (no udev), then "online".  Hot-remove: the kernel offlines and removes it.
 */
static void test_hotplug(struct cpuhp *hp)
{
	unsigned long ev0 = ev_mark(4);
	int from = mark(), i;

	printf("E2E-HOTPLUG add\n");
	fflush(stdout);
	ok(wait_ev(4, ev0), "hot-add: a uevent for CPU 4 (add)");
	ok(cpuhp_cpu_present(hp, 4) && !cpuhp_cpu_online(hp, 4),
	   "hot-add: CPU 4 present, arrived offline, unused (present %d used %d host %#x)",
	   cpuhp_cpu_present(hp, 4), cpuhp_cpu_online(hp, 4),
	   cpuhp_host_cpu_status(hp, 4));
	ok(mark() == from, "hot-add: no callback yet");
	online_cpu(hp, 4);
	offline_cpu(hp, 4);
	online_cpu(hp, 4);
	from = mark();
	printf("E2E-HOTPLUG del\n");
	fflush(stdout);
	i = wait_rec(from, 4, 0);
	ok(i >= 0 && recs[i].ctx == CPUHP_CTX_CONTROL,
	   "hot-remove: CPU 4's teardown on the control thread");
	for (i = 0; i < 400 && cpuhp_cpu_present(hp, 4); i++)
		usleep(50000); /* bounded wait for the "remove" */
	ok(!cpuhp_cpu_present(hp, 4) && !cpuhp_cpu_online(hp, 4),
	   "hot-remove: CPU 4 gone from the machine");
	ok(atomic_load(&pcc_slot(&counter, 4)->count) == 0,
	   "hot-remove: CPU 4's count folded");
}

/* Overflow the uevent socket while the event thread is held: ENOBUFS. */
static void test_overrun(struct cpuhp *hp)
{
	struct cpuhp_host_stats before, after;
	int small = 1, i, fd;

	cpuhp_host_get_stats(hp, &before);
	pthread_mutex_lock(&hp->host->op_lock); /* white-box: hold the event thread */
	setsockopt(hp->host->ufd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	for (i = 0; i < 64; i++) {
		fd = open("/sys/devices/system/cpu/cpu0/uevent", O_WRONLY);
		if (fd >= 0) {
			if (write(fd, "change", 6) < 0)
				break;
			close(fd);
		}
	}
	pthread_mutex_unlock(&hp->host->op_lock);
	for (i = 0; i < 200; i++) {
		cpuhp_host_get_stats(hp, &after);
		if (after.overruns > before.overruns && after.rescans > before.rescans)
			break;
		usleep(50000);
	}
	ok(after.overruns > before.overruns, "ENOBUFS seen (%lu overruns)",
	   after.overruns);
	ok(after.rescans > before.rescans, "ENOBUFS caused a rescan");
}

int main(void)
{
	struct cpuhp_config cfg;
	struct cpuhp *hp;
	pthread_t tid[NCPU];
	uint64_t sum = 0;
	unsigned int cpu;
	int c, fds0, threads0, i;

	printf("TAP version 13\n");
	fds0 = count_dir("/proc/self/fd");
	threads0 = count_dir("/proc/self/task");
	trace_setup();
	cpuhp_config_init(&cfg);
	cfg.backend = "linux";
	ok(cpuhp_new(&cfg, &hp) == 0, "linux backend on the guest kernel");
	ok(cpuhp_nr_possible(hp) == NPOSS && cpuhp_num_online(hp) == NCPU,
	   "5 possible CPUs, 4 used (%u, %u)", cpuhp_nr_possible(hp),
	   cpuhp_num_online(hp));
	ok(!cpuhp_cpu_present(hp, 4), "CPU 4 not present yet");
	printf("# current CPU from %s\n", cpuhp_current_cpu_source());
	counter.observe = observe;
	counter.observe_data = hp;
	cpuhp_host_set_event_fn(hp, on_event, NULL);
	ok(pcc_init(&counter, hp) == 0, "counter state installed");
	for (cpu = 0; cpu < NCPU; cpu++) {
		i = wait_rec(0, cpu, 1);
		ok(i >= 0 && recs[i].ctx == CPUHP_CTX_AP && recs[i].ran_on == (int)cpu,
		   "setup: startup of CPU %u on cpuhp/%u on CPU %d", cpu, cpu,
		   i >= 0 ? recs[i].ran_on : -1);
	}
	for (cpu = 0; cpu < NCPU; cpu++)
		pthread_create(&tid[cpu], NULL, worker, &counted[cpu]);
	for (c = 0; c < CYCLES; c++) {
		for (cpu = NCPU - 1; cpu >= 1; cpu--)
			offline_cpu(hp, cpu);
		for (cpu = 1; cpu < NCPU; cpu++)
			online_cpu(hp, cpu);
	}
	test_hotplug(hp);
	atomic_store(&stop, 1);
	for (cpu = 0; cpu < NCPU; cpu++) {
		pthread_join(tid[cpu], NULL);
		sum += counted[cpu];
	}
	ok(pcc_total(&counter) == sum, "no count lost: total %llu == counted %llu",
	   (unsigned long long)pcc_total(&counter), (unsigned long long)sum);
	{
		struct cpuhp_host_stats st;

		cpuhp_host_get_stats(hp, &st);
		printf("# backend: %lu cpu uevents, %lu ignored, %lu gaps, %lu rescans, %lu failures\n",
		       st.uevents, st.ignored, st.gaps, st.rescans, st.failures);
	}
	test_overrun(hp);
	ok(cpuhp_num_online(hp) == NCPU, "all 4 CPUs used at the end");
	ok(cpuhp_warn_count(hp) == 0, "no WARN");
	ok(cpuhp_context_violations(hp) == 0, "no context violation (%lu)",
	   cpuhp_context_violations(hp));
	pcc_destroy(&counter);
	cpuhp_free(hp);
	c = count_threads(threads0);
	ok(c == threads0, "no thread left (%d threads, %d before)", c, threads0);
	ok(count_dir("/proc/self/fd") == fds0, "no descriptor left (%d, was %d)",
	   count_dir("/proc/self/fd"), fds0);
	printf("# %d of %d teardowns were done by a rescan before their uevent\n",
	       by_rescan, nr_lat + by_rescan);
	if (nr_lat) {
		report_latency("write(online=0) started -> teardown done", lat_write,
			       nr_lat);
		report_latency("uevent received -> teardown done", lat_recv, nr_lat);
	}
	if (nr_lat_kernel) {
		report_latency("kernel offline done (last cpuhp_exit) -> teardown done",
			       lat_kernel, nr_lat_kernel);
	}
	printf("1..%d\n", test_no);
	printf("# e2e: %s\n", failures ? "FAILED" : "PASSED");
	fflush(stdout);
	return failures != 0;
}
