// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * torture.c - randomised concurrent torture of one machine, in the spirit of
 * rcutorture.
 *
 * Worker threads draw operations from their own seeded generator: CPU up and
 * down through the API and the control files (cpuN/online, cpuN/hotplug/
 * target with any state), setup and removal of dynamic states (with calls,
 * _nocalls, multi-instance), instances added and removed, smt/control on and
 * off, hotplug disable/enable, and fail operations.  A fail operation runs
 * alone (the other workers wait on fail_lock): it arms one injected failure
 * (cpuN/hotplug/fail, or a token that makes a torture callback fail), runs
 * one operation and checks where the CPU ended (spec 3.9); so a rollback
 * never meets a second failure and no WARN is expected.  Reader threads hold
 * the cpus read lock and walk every CPU's state, masks and per-CPU data.
 *
 * Each worker draws the same number of random values per operation whatever
 * the outcome, so a seed gives every thread the same sequence of operations
 * (the interleaving, of course, differs).  Bounded by --seconds (default
 * $CPUHP_TORTURE_SECONDS, else 3) and --ops.  Exit 0 only with no violation
 * and the WARN counter unchanged.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include <cpuhp/ledger.h>

#include "tap.h"
#include "torture.h"

struct torture T;

enum top {
	TOP_UP,
	TOP_DOWN,
	TOP_TARGET,
	TOP_ONLINE_FILE,
	TOP_STATE,
	TOP_INSTANCE,
	TOP_FAIL,
	TOP_SMT,
	TOP_DISABLE,
	NR_TOPS,
};

static const char *const top_name[NR_TOPS] = {
	"up",       "down", "target", "online-file", "state",
	"instance", "fail", "smt",    "disable",
};
static const unsigned int top_weight[NR_TOPS] = { 14, 14, 20, 8, 12, 12, 10, 3, 2 };
static _Atomic unsigned long top_count[NR_TOPS];

#define MAX_SHOWN 20
#define T_MAX_LINE 512

static _Atomic unsigned long nr_logged_warn;

void violation(const char *fmt, ...)
{
	unsigned long n = atomic_fetch_add(&T.violations, 1);
	char msg[256];
	va_list ap;

	if (n >= MAX_SHOWN)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag("violation: %s", msg);
}

/* The library's messages: warnings are shown (a few) and counted. */
static void log_hook(void *data, int prio, const char *file, int line, const char *fn,
		     const char *fmt, va_list args)
{
	char msg[256];

	(void)data;
	if (prio > LOG_WARNING)
		return;
	vsnprintf(msg, sizeof(msg), fmt, args);
	if (atomic_fetch_add(&nr_logged_warn, 1) < MAX_SHOWN)
		diag("library: %s (%s:%d %s)", msg, file, line, fn);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Write @value to cpu<cpu>/<file>. */
static int ctl_writef(const char *value, const char *file, unsigned int cpu)
{
	char path[64];

	snprintf(path, sizeof(path), "cpu%u/%s", cpu, file);
	return cpuhp_ctl_write(T.hp, path, value);
}

/*
 * Outside fail ops no failure is armed, so an operation may be refused
 * (-EINVAL, -EBUSY, -EPERM, -ECANCELED, -ENOENT, -EACCES) but never fail
 * with an injected error.
 */
static void plain_result(int ret, const char *what, unsigned int cpu)
{
	if (ret == -EAGAIN || ret == -ENOMEM)
		violation("%s on CPU %u failed with %d and no failure armed", what, cpu,
			  ret);
	else if (ret)
		atomic_fetch_add_explicit(&T.rejected, 1, memory_order_relaxed);
}

/*
 * A target value: mostly a named built-in state, sometimes any number.  Never
 * one from BP_KICK_AP up to (excluding) AP_ONLINE_IDLE, where the kernel
 * cannot stop: going up the AP still ends at AP_ONLINE_IDLE (spec 3.7), going
 * down it BUGs in cpuhp_report_idle_dead (spec 3.8, a WARN here), and a CPU
 * taken down to BP_KICK_AP has no AP left to answer the next bring-up's alive
 * handshake (spec 3.12: -EIO after the 10 s timeout).
 */
static int pick_target(uint64_t r)
{
	int t = T.targets[(r >> 3) % T.nr_targets];

	if ((r & 7) == 0)
		t = (int)((r >> 3) % (unsigned int)(T.s_online + 5)) - 2;
	return t >= T.s_nostop && t < T.s_idle ? T.s_offline : t;
}

static void op_updown(bool up, uint64_t r1, uint64_t r2)
{
	unsigned int cpu = (unsigned int)(r1 % T.o.cpus);
	int ret;

	if (r2 & 1)
		ret = up ? cpuhp_add_cpu(T.hp, cpu) : cpuhp_remove_cpu(T.hp, cpu);
	else
		ret = up ? cpuhp_cpu_up(T.hp, cpu, T.s_online) :
			   cpuhp_cpu_down(T.hp, cpu, T.s_offline);
	plain_result(ret, up ? "up" : "down", cpu);
}

static void op_target(uint64_t r1, uint64_t r2)
{
	unsigned int cpu = (unsigned int)(r1 % T.o.cpus);
	int target = pick_target(r2);
	char v[16];

	/*
	 * 6.1 (same_target_dies): the CPU's own state written back returns the
	 * stale error of its last failed install/remove callback and leaves it
	 * at ONLINE + 1, a kernel bug the model reproduces (docs/linux-6.1.md).
	 * Not written; a concurrent move can still race this check (rare).
	 */
	if (T.same_target_dies && target == cpuhp_cpu_state(T.hp, cpu))
		return;
	snprintf(v, sizeof(v), "%d", target);
	plain_result(ctl_writef(v, "hotplug/target", cpu), "target write", cpu);
}

static void op_state(unsigned int w, uint64_t r1, uint64_t *rnd)
{
	struct tobj *o = &T.objs[w][r1 % T_OBJS_PER_WORKER];
	int ret;

	if (o->phase == PH_FREE) {
		ret = obj_setup(o, rnd, false);
		if (ret && ret != -ENOSPC)
			violation("%s: setup failed: %d", o->name, ret);
	} else if (o->multi && (r1 >> 8) % 3) {
		obj_instance(o, rnd, false);
	} else {
		obj_remove(o, rnd);
	}
}

/*
 * The injected failure of a fail op: a state above the CPU going up, or a
 * non-atomic AP state at or below it going down (PREPARE "dead" teardowns
 * must not fail, spec 3.9 last row, and cannot be armed then anyway).
 * Returns the armed state or -1 if four candidates were refused.
 */
static int arm(unsigned int cpu, bool up, int state, uint64_t r)
{
	int lo = up ? state + 1 : T.s_idle, hi = up ? T.s_online : state;
	char v[16];
	int i, s;

	if (lo > hi)
		return -1;
	for (i = 0; i < 4; i++, r >>= 12) {
		s = lo + (int)(r % (uint64_t)(hi - lo + 1));
		snprintf(v, sizeof(v), "%d", s);
		if (i & 1 ? !cpuhp_fail_set(T.hp, cpu, s) :
			    !ctl_writef(v, "hotplug/fail", cpu))
			return s;
	}
	return -1;
}

static void fail_cpu_op(uint64_t r1, uint64_t r2, uint64_t r3)
{
	unsigned int cpu = (unsigned int)(r1 % T.o.cpus);
	int before = cpuhp_cpu_state(T.hp, cpu), ret;
	bool up = before != T.s_online && (before == T.s_offline || (r1 >> 16) & 1);
	int target = up ? T.s_online : T.s_offline;
	char v[16];

	if (arm(cpu, up, before, r2) < 0)
		return;
	if (r3 & 1) {
		snprintf(v, sizeof(v), "%d", target);
		ret = ctl_writef(v, "hotplug/target", cpu);
	} else {
		ret = up ? cpuhp_cpu_up(T.hp, cpu, target) :
			   cpuhp_cpu_down(T.hp, cpu, target);
	}
	check_fail_end(cpu, before, ret, up ? "fail op up" : "fail op down");
	/* Not consumed (no callback in that direction): disarm for the others. */
	cpuhp_fail_set(T.hp, cpu, CPUHP_INVALID);
}

static void op_fail(unsigned int w, uint64_t r1, uint64_t r2, uint64_t r3, uint64_t *rnd)
{
	struct tobj *o = &T.objs[w][r2 % T_OBJS_PER_WORKER];

	pthread_rwlock_wrlock(&T.fail_lock);
	atomic_fetch_add_explicit(&T.fail_ops, 1, memory_order_relaxed);
	if (r3 % 4)
		fail_cpu_op(r1, r2, r3 >> 2);
	else if (o->phase == PH_FREE)
		obj_setup(o, rnd, true);
	else if (o->multi)
		obj_instance(o, rnd, true);
	/* Alone, with every CPU still: a good moment for the full check. */
	cpuhp_cpus_read_lock(T.hp);
	check_cpus("fail op");
	cpuhp_cpus_read_unlock(T.hp);
	ledger_round("fail op");
	pthread_rwlock_unlock(&T.fail_lock);
}

/* -v: the CPUs' states after each operation. */
static void show_cpus(unsigned int w)
{
	char line[T_MAX_LINE] = "", *p = line;
	unsigned int cpu;

	cpuhp_cpus_read_lock(T.hp);
	for (cpu = 0; cpu < T.o.cpus && p < line + sizeof(line) - 16; cpu++)
		p += sprintf(p, " %d%s", cpuhp_cpu_state(T.hp, cpu),
			     cpuhp_cpu_target(T.hp, cpu) != cpuhp_cpu_state(T.hp, cpu) ?
				     "(T)" :
			     cpuhp_cpu_online(T.hp, cpu) ? "" :
							   "(off)");
	cpuhp_cpus_read_unlock(T.hp);
	note("w%u: states%s", w, line);
}

static enum top pick_op(uint64_t r)
{
	unsigned int total = 0, i, x;

	for (i = 0; i < NR_TOPS; i++)
		total += top_weight[i];
	x = (unsigned int)(r % total);
	for (i = 0; x >= top_weight[i]; i++)
		x -= top_weight[i];
	return (enum top)i;
}

static void *worker(void *arg)
{
	unsigned int w = (unsigned int)(uintptr_t)arg;
	uint64_t rnd = T.o.seed ^ (0x9e3779b97f4a7c15ull * (w + 1));
	struct timespec pause = { 0, 50 * 1000 };

	if (!rnd)
		rnd = 1;
	while (!atomic_load(&T.stop)) {
		/* A fixed number of draws per op keeps the sequence seed-determined. */
		uint64_t r0 = trand(&rnd), r1 = trand(&rnd), r2 = trand(&rnd),
			 r3 = trand(&rnd);
		enum top op = pick_op(r0);

		if (T.o.max_ops && atomic_fetch_add(&T.ops, 1) >= T.o.max_ops)
			break;
		if (!T.o.max_ops)
			atomic_fetch_add_explicit(&T.ops, 1, memory_order_relaxed);
		atomic_fetch_add_explicit(&top_count[op], 1, memory_order_relaxed);
		if (T.o.verbose)
			note("w%u: %s %llx %llx %llx", w, top_name[op],
			     (unsigned long long)r1, (unsigned long long)r2,
			     (unsigned long long)r3);
		if (op == TOP_FAIL) {
			op_fail(w, r1, r2, r3, &rnd);
			continue;
		}
		pthread_rwlock_rdlock(&T.fail_lock);
		switch (op) {
		case TOP_UP:
		case TOP_DOWN:
			op_updown(op == TOP_UP, r1, r2);
			break;
		case TOP_TARGET:
			op_target(r1, r2);
			break;
		case TOP_ONLINE_FILE:
			plain_result(ctl_writef(r2 & 1 ? "1" : "0", "online",
						(unsigned int)(r1 % T.o.cpus)),
				     "online write", (unsigned int)(r1 % T.o.cpus));
			break;
		case TOP_STATE:
			op_state(w, r1, &rnd);
			break;
		case TOP_INSTANCE:
			if (T.objs[w][r1 % T_OBJS_PER_WORKER].multi)
				obj_instance(&T.objs[w][r1 % T_OBJS_PER_WORKER], &rnd,
					     false);
			else
				trand(&rnd);
			break;
		case TOP_SMT:
			plain_result(cpuhp_ctl_write(T.hp, "smt/control",
						     r1 & 1 ? "on" : "off"),
				     "smt/control write", 0);
			break;
		case TOP_DISABLE:
			cpuhp_hotplug_disable(T.hp);
			nanosleep(&pause, NULL);
			cpuhp_hotplug_enable(T.hp);
			break;
		default:
			break;
		}
		pthread_rwlock_unlock(&T.fail_lock);
		if (T.o.verbose)
			show_cpus(w);
	}
	return NULL;
}

static void *reader(void *arg)
{
	struct timespec pause = { 0, 20 * 1000 };
	uint64_t rnd = T.o.seed ^ (0xc2b2ae3d27d4eb4full * ((uintptr_t)arg + 1)) ^ 1;
	unsigned int w, i;

	while (!atomic_load(&T.stop)) {
		uint64_t r = trand(&rnd);

		if (r & 1)
			cpuhp_cpus_read_lock(T.hp);
		else if (!cpuhp_cpus_read_trylock(T.hp))
			continue;
		check_cpus("reader");
		for (w = 0; w < T.o.workers; w++)
			for (i = 0; i < T_OBJS_PER_WORKER; i++)
				check_object(&T.objs[w][i], "reader");
		/* Sometimes hold the lock a while, so writers queue behind it. */
		if ((r & 0x70) == 0)
			nanosleep(&pause, NULL);
		cpuhp_cpus_read_unlock(T.hp);
		atomic_fetch_add_explicit(&T.reads, 1, memory_order_relaxed);
	}
	return NULL;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: test-torture [--seed N] [--seconds S] [--ops N] [--cpus N]\n"
		"                    [--threads-per-core T] [--workers N] [--readers N]\n"
		"                    [--model NAME|FILE] [--no-ledger] [-v]\n"
		"Defaults: seed from the clock, seconds from $CPUHP_TORTURE_SECONDS or 3,\n"
		"8 CPUs, 2 threads per core, 3 workers, 2 readers, the mainline model.\n");
}

/* A whole-string number or exit 2: a typo must not become 0 silently. */
static unsigned long long num_arg(const char *opt, const char *s)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end || *s == '-') {
		fprintf(stderr, "torture: bad value '%s' for %s\n", s, opt);
		exit(2);
	}
	return v;
}

static double secs_arg(const char *opt, const char *s)
{
	double v;
	char *end;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end) {
		fprintf(stderr, "torture: bad value '%s' for %s\n", s, opt);
		exit(2);
	}
	return v;
}

static void parse_opts(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "seconds", required_argument, NULL, 't' },
		{ "ops", required_argument, NULL, 'n' },
		{ "cpus", required_argument, NULL, 'c' },
		{ "threads-per-core", required_argument, NULL, 'T' },
		{ "workers", required_argument, NULL, 'w' },
		{ "readers", required_argument, NULL, 'r' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "no-ledger", no_argument, NULL, 'L' },
		{ "model", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *env = getenv("CPUHP_TORTURE_SECONDS");
	int c;

	T.o.seed = (uint64_t)time(NULL);
	if (getenv("CPUHP_TORTURE_SEED"))
		T.o.seed = num_arg("CPUHP_TORTURE_SEED", getenv("CPUHP_TORTURE_SEED"));
	T.o.seconds = env ? secs_arg("CPUHP_TORTURE_SECONDS", env) : 3;
	T.o.cpus = 8;
	T.o.tpc = 2;
	T.o.workers = 3;
	T.o.readers = 2;
	T.o.ledger = true;
	while ((c = getopt_long(argc, argv, "v", lo, NULL)) != -1) {
		switch (c) {
		case 's':
			T.o.seed = num_arg("--seed", optarg);
			break;
		case 't':
			T.o.seconds = secs_arg("--seconds", optarg);
			break;
		case 'n':
			T.o.max_ops = (unsigned long)num_arg("--ops", optarg);
			break;
		case 'c':
			T.o.cpus = (unsigned int)num_arg("--cpus", optarg);
			break;
		case 'T':
			T.o.tpc = (unsigned int)num_arg("--threads-per-core", optarg);
			break;
		case 'w':
			T.o.workers = (unsigned int)num_arg("--workers", optarg);
			break;
		case 'r':
			T.o.readers = (unsigned int)num_arg("--readers", optarg);
			break;
		case 'v':
			T.o.verbose = true;
			break;
		case 'L':
			T.o.ledger = false;
			break;
		case 'm':
			T.o.model = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			exit(2);
		}
	}
	if (T.o.cpus < 2 || T.o.cpus > 256 || !T.o.tpc || T.o.cpus % T.o.tpc ||
	    !T.o.workers || T.o.workers > T_MAX_WORKERS || T.o.readers > 16 ||
	    T.o.seconds <= 0) {
		usage(stderr);
		exit(2);
	}
}

static atomic_uint probe_calls;

static int probe_startup(struct cpuhp *hp, unsigned int cpu, void *data)
{
	(void)hp;
	(void)cpu;
	(void)data;
	atomic_fetch_add(&probe_calls, 1);
	return 0;
}

/*
 * Does setting up a PREPARE_DYN state run its startups?  Not on models with
 * the quirk prepare_dyn_invokes=n (6.1: the dynamic slot was not passed on,
 * spec 9.4); torture then plays them itself, as for _nocalls.
 */
static bool prepare_dyn_runs_startups(void)
{
	int s = cpuhp_setup_state(T.hp, T.s_bp_dyn, "torture:probe", probe_startup, NULL,
				  NULL);

	if (s <= 0)
		bail_out("cannot set up the PREPARE_DYN probe state");
	cpuhp_remove_state_nocalls(T.hp, s);
	return atomic_load(&probe_calls) > 0;
}

/* Does a target write of the current state mark an online CPU dying? */
static bool same_target_marks_dying(void)
{
	char path[48], value[16];
	unsigned int cpu = T.o.cpus - 1;
	bool dying;

	snprintf(path, sizeof(path), "cpu%u/hotplug/target", cpu);
	snprintf(value, sizeof(value), "%d", T.s_online);
	if (cpuhp_cpu_state(T.hp, cpu) != T.s_online ||
	    cpuhp_ctl_write(T.hp, path, value))
		bail_out("cannot probe a target write on CPU %u", cpu);
	dying = cpuhp_cpu_dying(T.hp, cpu);
	/* Leave the CPU as a fresh machine has it: down and up again. */
	if (dying && (cpuhp_cpu_down(T.hp, cpu, T.s_offline) ||
		      cpuhp_cpu_up(T.hp, cpu, T.s_online)))
		bail_out("cannot cycle CPU %u after the probe", cpu);
	return dying;
}

/* Boundary numbers and the list of named built-in states (targets). */
static void learn_machine(void)
{
	int s;

	T.s_offline = cpuhp_state_of(T.hp, CPUHP_OFFLINE);
	T.s_online = cpuhp_state_of(T.hp, CPUHP_ONLINE);
	T.s_bringup = cpuhp_state_of(T.hp, CPUHP_BRINGUP_CPU);
	T.s_idle = cpuhp_state_of(T.hp, CPUHP_AP_ONLINE_IDLE);
	T.s_nostop = cpuhp_state_of(T.hp, CPUHP_BP_KICK_AP);
	if (T.s_nostop < 0) /* a model without split start-up */
		T.s_nostop = cpuhp_state_of(T.hp, CPUHP_AP_IDLE_DEAD);
	T.s_active = cpuhp_state_of(T.hp, CPUHP_AP_ACTIVE);
	T.s_ap_dyn = cpuhp_state_of(T.hp, CPUHP_AP_ONLINE_DYN);
	T.s_bp_dyn = cpuhp_state_of(T.hp, CPUHP_BP_PREPARE_DYN);
	T.boot_target_zero = !cpuhp_cpu_target(T.hp, 0) &&
			     cpuhp_cpu_state(T.hp, 0) == T.s_online;
	T.prepare_dyn_silent = !prepare_dyn_runs_startups();
	T.same_target_dies = same_target_marks_dying();
	T.targets = calloc((size_t)T.s_online + 1, sizeof(*T.targets));
	for (s = T.s_offline; s <= T.s_online; s++)
		if (cpuhp_state_name(T.hp, s))
			T.targets[T.nr_targets++] = s;
}

/* The end: remove everything with calls, each removal checked. */
static void remove_all(void)
{
	uint64_t rnd = T.o.seed | 1;
	unsigned int w, i;

	for (w = 0; w < T.o.workers; w++)
		for (i = 0; i < T_OBJS_PER_WORKER; i++) {
			obj_remove(&T.objs[w][i], &rnd);
			obj_destroy(&T.objs[w][i]);
		}
}

int main(int argc, char **argv)
{
	pthread_t th[T_MAX_WORKERS + 16];
	struct cpuhp_config cfg;
	unsigned int i, n = 0;
	double t0, t1;
	int err;

	parse_opts(argc, argv);
	plan_no_plan();
	note("seed %llu (rerun: --seed %llu --cpus %u --threads-per-core %u --workers %u "
	     "--readers %u%s%s)",
	     (unsigned long long)T.o.seed, (unsigned long long)T.o.seed, T.o.cpus,
	     T.o.tpc, T.o.workers, T.o.readers, T.o.model ? " --model " : "",
	     T.o.model ? T.o.model : "");
	cpuhp_config_init(&cfg);
	cfg.nr_possible = T.o.cpus;
	cfg.threads_per_core = T.o.tpc;
	cfg.model = T.o.model;
	/* Any state may be a target (spec 6.3), as kernel testers configure it. */
	cfg.kconfig = "CPU_HOTPLUG_STATE_CONTROL=y";
	cfg.log_fn = log_hook;
	err = cpuhp_new(&cfg, &T.hp);
	if (err)
		bail_out("cannot create the machine");
	learn_machine();
	T.warn_base = cpuhp_warn_count(T.hp);
	if (T.o.ledger && cpuhp_ledger_enable(T.hp))
		bail_out("cannot enable the invariant ledger");
	pthread_rwlock_init(&T.fail_lock, NULL);
	for (i = 0; i < T.o.workers; i++)
		for (n = 0; n < T_OBJS_PER_WORKER; n++)
			obj_init(&T.objs[i][n], i, n);

	t0 = now();
	for (n = 0, i = 0; i < T.o.workers; i++)
		pthread_create(&th[n++], NULL, worker, (void *)(uintptr_t)i);
	for (i = 0; i < T.o.readers; i++)
		pthread_create(&th[n++], NULL, reader, (void *)(uintptr_t)i);
	while (!atomic_load(&T.violations) && now() - t0 < T.o.seconds &&
	       (!T.o.max_ops || atomic_load(&T.ops) < T.o.max_ops)) {
		struct timespec tick = { 0, 20 * 1000 * 1000 };

		nanosleep(&tick, NULL);
	}
	atomic_store(&T.stop, true);
	for (i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	t1 = now();

	check_quiescent();
	ledger_round("end");
	remove_all();
	check_quiescent();
	ledger_round("after removal");
	for (i = 0; i < NR_TOPS; i++)
		note("%-12s %lu", top_name[i], atomic_load(&top_count[i]));
	note("%lu ops (%lu fail ops, %lu refused) and %lu locked reads in %.2f s: %.0f ops/s",
	     atomic_load(&T.ops), atomic_load(&T.fail_ops), atomic_load(&T.rejected),
	     atomic_load(&T.reads), t1 - t0, (double)atomic_load(&T.ops) / (t1 - t0));
	if (T.o.ledger)
		note("invariant ledger: %lu callback invocations checked",
		     T.ledger_records);
	ok(atomic_load(&T.ops) > 0, "operations ran");
	is_int(atomic_load(&T.violations), 0, "no invariant violated (seed %llu)",
	       (unsigned long long)T.o.seed);
	is_int(cpuhp_warn_count(T.hp) - T.warn_base, 0, "no WARN from the library");
	cpuhp_free(T.hp);
	free(T.targets);
	pthread_rwlock_destroy(&T.fail_lock);
	return done_testing();
}
