/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * unit-common.h - shared helpers of the up/down unit tests.
 *
 * A recorder that logs every user callback invocation together with where
 * it ran (context, CPU, atomic, thread name) and what the machine looked
 * like at that moment (the CPU's state and target, the online/active/dying
 * masks); probes that make a callback fail on demand; a log hook that keeps
 * the library's messages instead of printing them; and small checks built
 * on top (end state of a CPU, call sequences, the rollback ledger).
 *
 * Expected values in the tests come from /work/shared/spec/cpuhp-semantics.md
 * (cited by section), never from the engine's output.
 */
#ifndef CPUHP_TESTS_UNIT_COMMON_H
#define CPUHP_TESTS_UNIT_COMMON_H

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include <cpuhp/cpuhp.h>

#include "log-keep.h"
#include "tap.h"

/* ---- machines ---- */

static pthread_t main_thread;

/* A machine with @ncpus CPUs (0: 4), every message kept by the hook. */
static inline struct cpuhp *machine_ex(unsigned int ncpus, unsigned int present,
				       unsigned int tpc, const char *cmdline,
				       const char *kconfig)
{
	struct cpuhp_config cfg;
	struct cpuhp *hp = NULL;
	int err;

	main_thread = pthread_self();
	cpuhp_config_init(&cfg);
	cfg.nr_possible = ncpus ? ncpus : 4;
	cfg.nr_present = present;
	cfg.threads_per_core = tpc ? tpc : 1;
	cfg.cmdline = cmdline;
	cfg.kconfig = kconfig;
	cfg.log_fn = ulog_hook;
	cfg.log_priority = LOG_DEBUG;
	err = cpuhp_new(&cfg, &hp);
	if (err || !hp)
		bail_out("cpuhp_new failed: %d", err);
	return hp;
}

static inline struct cpuhp *machine(void)
{
	return machine_ex(4, 0, 1, NULL, NULL);
}

/* ---- probes: what a registered callback does ---- */

struct probe;
typedef int (*probe_hook)(struct cpuhp *hp, unsigned int cpu, struct probe *p, char dir);

struct probe {
	const char *tag;
	int state;    /* the slot, set by reg() */
	int up_cpu;   /* startup fails on this CPU (-1: never) ... */
	int up_err;   /* ... with this error ... */
	int up_shots; /* ... this many times (<0: always) */
	int down_cpu, down_err, down_shots;
	probe_hook hook; /* run inside the callback; result goes to ev.aux */
};

#define PROBE(t)                                                      \
	{                                                             \
		.tag = (t), .state = -1, .up_cpu = -1, .down_cpu = -1 \
	}

/* A multi-instance instance carrying its own probe. */
struct inst {
	struct cpuhp_node node;
	struct probe p;
};

#define INST(t)                                       \
	{                                             \
		.node = { NULL, NULL }, .p = PROBE(t) \
	}

/* ---- the recorder ---- */

struct ev {
	char dir; /* 'S' startup, 'T' teardown */
	const char *tag;
	int slot; /* the probe's state (instances: their state) */
	unsigned int cpu;
	int ret; /* what the callback returned */
	int aux; /* what the probe's hook returned */
	enum cpuhp_context ctx;
	int ctx_cpu;
	bool atomic;
	bool on_main; /* ran on the thread that called up/down */
	char thread[16];
	int state, target; /* of @cpu, at call time */
	bool online, active, dying;
};

#define MAX_EV 4096

static pthread_mutex_t ev_lock = PTHREAD_MUTEX_INITIALIZER;
static struct ev evs[MAX_EV];
static unsigned int nr_ev;

static inline void ev_clear(void)
{
	pthread_mutex_lock(&ev_lock);
	nr_ev = 0;
	pthread_mutex_unlock(&ev_lock);
}

static inline unsigned int ev_count(void)
{
	unsigned int n;

	pthread_mutex_lock(&ev_lock);
	n = nr_ev;
	pthread_mutex_unlock(&ev_lock);
	return n;
}

/* Decide the callback's result (consumes one shot). */
static inline int probe_result(struct probe *p, unsigned int cpu, char dir)
{
	int *shots = dir == 'S' ? &p->up_shots : &p->down_shots;
	int fcpu = dir == 'S' ? p->up_cpu : p->down_cpu;
	int ret = 0;

	pthread_mutex_lock(&ev_lock);
	if (fcpu == (int)cpu && *shots != 0) {
		ret = dir == 'S' ? p->up_err : p->down_err;
		if (*shots > 0)
			(*shots)--;
	}
	pthread_mutex_unlock(&ev_lock);
	return ret;
}

static inline int record(struct cpuhp *hp, unsigned int cpu, struct probe *p, char dir)
{
	struct ev e = { .dir = dir, .tag = p->tag, .slot = p->state, .cpu = cpu };

	e.ctx = cpuhp_current_context(hp, &e.ctx_cpu);
	e.atomic = cpuhp_in_atomic(hp);
	e.on_main = pthread_equal(pthread_self(), main_thread);
	pthread_getname_np(pthread_self(), e.thread, sizeof(e.thread));
	e.state = cpuhp_cpu_state(hp, cpu);
	e.target = cpuhp_cpu_target(hp, cpu);
	e.online = cpuhp_cpu_online(hp, cpu);
	e.active = cpuhp_cpu_active(hp, cpu);
	e.dying = cpuhp_cpu_dying(hp, cpu);
	if (p->hook)
		e.aux = p->hook(hp, cpu, p, dir);
	e.ret = probe_result(p, cpu, dir);
	pthread_mutex_lock(&ev_lock);
	if (nr_ev < MAX_EV)
		evs[nr_ev++] = e;
	pthread_mutex_unlock(&ev_lock);
	return e.ret;
}

static inline int rec_up(struct cpuhp *hp, unsigned int cpu, void *data)
{
	return record(hp, cpu, data, 'S');
}

static inline int rec_down(struct cpuhp *hp, unsigned int cpu, void *data)
{
	return record(hp, cpu, data, 'T');
}

static inline int rec_mup(struct cpuhp *hp, unsigned int cpu, struct cpuhp_node *node)
{
	return record(hp, cpu, &cpuhp_container_of(node, struct inst, node)->p, 'S');
}

static inline int rec_mdown(struct cpuhp *hp, unsigned int cpu, struct cpuhp_node *node)
{
	return record(hp, cpu, &cpuhp_container_of(node, struct inst, node)->p, 'T');
}

/*
 * Register @p at @state (a static slot or a DYN base) with
 * cpuhp_setup_state_desc(); bail out on error.  Return the slot.
 */
/* Make @p fail once on CPU 1 with @err, going up ('S') or down ('T'). */
static inline void probe_arm(struct probe *p, char dir, int err)
{
	if (dir == 'S') {
		p->up_cpu = 1;
		p->up_err = err;
		p->up_shots = 1;
	} else {
		p->down_cpu = 1;
		p->down_err = err;
		p->down_shots = 1;
	}
}

static inline int reg(struct cpuhp *hp, int state, struct probe *p)
{
	struct cpuhp_step_desc d = {
		.name = p->tag, .startup = rec_up, .teardown = rec_down, .data = p
	};
	int ret = cpuhp_setup_state_desc(hp, state, &d, 0);

	if (ret < 0)
		bail_out("cannot register %s at %d: %d", p->tag, state, ret);
	p->state = ret > 0 ? ret : state;
	return p->state;
}

/* Copy of event @i (under the lock: callbacks may still be running). */
static inline struct ev ev_at(unsigned int i)
{
	struct ev e;

	pthread_mutex_lock(&ev_lock);
	e = i < nr_ev ? evs[i] : (struct ev){ .tag = "<none>", .state = -99 };
	pthread_mutex_unlock(&ev_lock);
	return e;
}

/* Index of the first event from @from on with @dir, @tag and @cpu, or -1. */
static inline int ev_find(char dir, const char *tag, unsigned int cpu, unsigned int from)
{
	unsigned int i;
	int found = -1;

	pthread_mutex_lock(&ev_lock);
	for (i = from; i < nr_ev && found < 0; i++)
		if (evs[i].dir == dir && evs[i].cpu == cpu && !strcmp(evs[i].tag, tag))
			found = (int)i;
	pthread_mutex_unlock(&ev_lock);
	return found;
}

/*
 * The calls on @cpu from event @from on as "T:b T:a S:a!"; a '!' marks a
 * call that returned an error.
 */
static inline const char *ev_seq(unsigned int cpu, unsigned int from)
{
	static char buf[4096];
	size_t n = 0;
	unsigned int i;

	buf[0] = '\0';
	pthread_mutex_lock(&ev_lock);
	for (i = from; i < nr_ev && n < sizeof(buf) - 64; i++) {
		if (evs[i].cpu != cpu)
			continue;
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%c:%s%s", n ? " " : "",
				      evs[i].dir, evs[i].tag, evs[i].ret ? "!" : "");
	}
	pthread_mutex_unlock(&ev_lock);
	return buf;
}

/*
 * The rollback ledger (spec 3.9, rule 7): among the successful calls on
 * @cpu from @from on, the first half all go one way and the second half
 * undoes them: state by state in reverse order, and each call (each
 * instance of a multi-instance state) by exactly one opposite call.
 * Instances of one state are undone in list order, not reversed (3.3
 * step 5), so within a state only the set is compared.  An empty list
 * balances too.
 */
static inline bool ledger_balanced(unsigned int cpu, unsigned int from)
{
	static struct ev seq[MAX_EV];
	unsigned int i, j, n = 0, h, matches;
	bool ok = true;

	pthread_mutex_lock(&ev_lock);
	for (i = from; i < nr_ev; i++)
		if (evs[i].cpu == cpu && !evs[i].ret)
			seq[n++] = evs[i];
	pthread_mutex_unlock(&ev_lock);
	if (n % 2)
		return false;
	h = n / 2;
	for (i = 0; i < h && ok; i++) {
		const struct ev *a = &seq[h - 1 - i], *b = &seq[h + i];

		ok = seq[i].dir == seq[0].dir && a->dir != b->dir && a->slot == b->slot;
		for (j = h, matches = 0; j < n; j++)
			matches += !strcmp(seq[j].tag, seq[i].tag);
		ok = ok && matches == 1;
	}
	return ok;
}

/* ---- end-state checks ---- */

struct cpu_view {
	int state, target;
	bool online, active, dying;
};

static inline void check_cpu(struct cpuhp *hp, unsigned int cpu, struct cpu_view want,
			     const char *what)
{
	is_int(cpuhp_cpu_state(hp, cpu), want.state, "%s: state", what);
	is_int(cpuhp_cpu_target(hp, cpu), want.target, "%s: target", what);
	is_int(cpuhp_cpu_online(hp, cpu), want.online, "%s: online", what);
	is_int(cpuhp_cpu_active(hp, cpu), want.active, "%s: active", what);
	is_int(cpuhp_cpu_dying(hp, cpu), want.dying, "%s: dying", what);
}

#define VIEW(s, t, on, act, dy) ((struct cpu_view){ (s), (t), (on), (act), (dy) })

#endif /* CPUHP_TESTS_UNIT_COMMON_H */
