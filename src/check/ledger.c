// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * ledger.c - the invariant ledger: recording every callback invocation, the
 * fault plan, the trace tap and the public API.  The rules live in
 * ledger-check.c.
 *
 * The ledger is reached through one relaxed pointer load per callback
 * (walker.c); when it is NULL nothing here runs.  It is switched on and off
 * only with the cpus write lock and the state mutex held, so no callback runs
 * meanwhile.  Its own lock is never held across a callback: a callback can
 * run whole walks on other threads (BRINGUP_CPU) that record too.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/ledger.h"

static void lock(struct cpuhp_ledger *l)
{
	int err = cpuhp__mutex_lock_quiet(&l->lock);

	if (err)
		cpuhp_die(err);
}

static void unlock(struct cpuhp_ledger *l)
{
	cpuhp__mutex_unlock_quiet(&l->lock);
}

static bool grow(void **arr, size_t *alloc, size_t nr, size_t size)
{
	size_t n;
	void *p;

	if (nr < *alloc)
		return true;
	n = *alloc ? *alloc * 2 : 64;
	p = realloc(*arr, n * size);
	if (!p)
		return false;
	*arr = p;
	*alloc = n;
	return true;
}

/* ---- violations ---- */

/*
 * A state's name for a message written under the ledger lock.  Setup and
 * removal hold the state mutex when they report to the ledger, so waiting
 * for that mutex here would invert the order: take it only if it is free,
 * else name the state by number alone.
 */
const char *cpuhp__ledger_label(const struct cpuhp *hp, int state)
{
	struct cpuhp *mhp = (struct cpuhp *)hp; /* the mutex is not part of the value */
	const char *name;
	bool locked;

	if (state < hp->b.offline || state > hp->b.online ||
	    cpuhp__state_trylock(mhp, &locked))
		return "";
	name = hp->steps[state].name;
	cpuhp__state_unlock(mhp, locked);
	return name ? name : "";
}

void cpuhp__ledger_violate(struct cpuhp_ledger *l, enum cpuhp_ledger_kind kind,
			   unsigned int cpu, int state, const char *fmt, ...)
{
	struct cpuhp_ledger_violation *v;
	va_list ap;

	/* Out of memory: the violation is lost, the count below still shows it. */
	if (!grow((void **)&l->vio, &l->av, l->nv, sizeof(*l->vio)))
		return;
	v = &l->vio[l->nv++];
	v->kind = kind;
	v->op = l->op_depth ? l->op : 0;
	v->cpu = cpu;
	v->state = state;
	va_start(ap, fmt);
	vsnprintf(v->msg, sizeof(v->msg), fmt, ap);
	va_end(ap);
}

void cpuhp__ledger_context(struct cpuhp *hp, unsigned int cpu, int state, const char *msg)
{
	struct cpuhp_ledger *l = cpuhp__ledger(hp);

	lock(l);
	cpuhp__ledger_violate(l, CPUHP_LV_CONTEXT, cpu, state, "%s", msg);
	unlock(l);
}

/* ---- the live set of one CPU ---- */

bool cpuhp__ledger_is_live(const struct cpu_book *b, int state,
			   const struct cpuhp_node *node, size_t *pos)
{
	size_t i;

	for (i = 0; i < b->nr; i++) {
		if (b->live[i].state == state && b->live[i].node == node) {
			if (pos)
				*pos = i;
			return true;
		}
	}
	return false;
}

int cpuhp__ledger_set_live(struct cpu_book *b, int state, const struct cpuhp_node *node,
			   bool live)
{
	size_t pos;

	if (cpuhp__ledger_is_live(b, state, node, &pos)) {
		if (!live)
			b->live[pos] = b->live[--b->nr];
		return 0;
	}
	if (!live)
		return 0;
	if (!grow((void **)&b->live, &b->alloc, b->nr, sizeof(*b->live)))
		return -ENOMEM;
	b->live[b->nr].state = state;
	b->live[b->nr].node = node;
	b->nr++;
	return 0;
}

/* ---- recording ---- */

static int instance_index(struct cpuhp *hp, int state, const struct cpuhp_node *node)
{
	const struct cpuhp_node *n;
	int i = 0;

	if (!node)
		return -1;
	for (n = cpuhp__step(hp, state)->list; n; n = n->next, i++)
		if (n == node)
			return i;
	/* An instance being added: it will be linked at the head. */
	return 0;
}

/* The fault that fires on this invocation, if any; counts every match. */
static const struct cpuhp_fault *plan_match(struct cpuhp_ledger *l, unsigned int cpu,
					    int state, bool bringup, int inst)
{
	const struct cpuhp_fault *hit = NULL;
	unsigned int i;

	for (i = 0; i < l->nplan; i++) {
		struct armed *a = &l->plan[i];

		if (a->f.cpu != cpu || a->f.state != state || a->f.bringup != bringup ||
		    (a->f.instance >= 0 && a->f.instance != inst))
			continue;
		if (!a->fired && a->seen == a->f.nth && !hit) {
			a->fired = true;
			hit = &a->f;
		}
		a->seen++;
	}
	return hit;
}

/* The order rule of walks: one direction at a time, monotonic states. */
static void check_order(struct cpuhp *hp, struct cpuhp_ledger *l, unsigned int cpu,
			int state, bool bringup)
{
	struct cpu_book *b = &l->cpus[cpu];

	if (!l->op_depth || l->kind > LEDGER_OP_DOWN)
		return;
	if (b->walked && b->last_bringup == bringup &&
	    (bringup ? state < b->last_state : state > b->last_state))
		cpuhp__ledger_violate(
			l, CPUHP_LV_ORDER, cpu, state,
			"CPU %u: %s of state %d (%s) after state %d in the same walk",
			cpu, bringup ? "startup" : "teardown", state,
			cpuhp__ledger_label(hp, state), b->last_state);
	b->walked = true;
	b->last_bringup = bringup;
	b->last_state = state;
}

static size_t record_start(struct cpuhp *hp, struct cpuhp_ledger *l, struct cpuhp_cpu *st,
			   int state, bool bringup, int inst,
			   const struct cpuhp_node *node)
{
	const struct cpuhp_tctx *t = cpuhp__tctx();
	bool own = t->hp == hp;
	struct cpuhp_ledger_record *r;

	check_order(hp, l, st->cpu, state, bringup);
	if (!grow((void **)&l->rec, &l->alloc, l->nr, sizeof(*l->rec)) ||
	    !grow((void **)&l->nodes, &l->nodes_alloc, l->nr, sizeof(*l->nodes)))
		return (size_t)-1;
	l->nodes[l->nr] = node;
	r = &l->rec[l->nr];
	memset(r, 0, sizeof(*r));
	r->seq = l->nr;
	r->op = l->op_depth ? l->op : 0;
	r->cpu = st->cpu;
	r->state = state;
	r->instance = inst;
	r->bringup = bringup;
	/*
	 * Written by whoever owns the hand-off, which is this thread now; an
	 * install or removal does not use it, so it may hold an old value.
	 */
	r->rollback = l->op_depth && l->kind <= LEDGER_OP_DOWN && st->rollback;
	r->thread_cpu = own ? t->cpu : -1;
	r->context = own ? t->ctx : CPUHP_CTX_CONTROL;
	r->atomic = own && t->atomic;
	r->rendezvous = own && t->rendezvous;
	/*
	 * A DEAD teardown frees what the CPU used: in a walk it must run after
	 * the CPU left the online mask (the pre-2019 rollback did not, spec 7.5).
	 */
	if (l->op_depth && l->kind <= LEDGER_OP_DOWN && !bringup &&
	    state <= hp->b.bringup_cpu && cpuhp_cpu_online(hp, st->cpu))
		cpuhp__ledger_violate(
			l, CPUHP_LV_CONTEXT, st->cpu, state,
			"context violation: CPU %u state %d (%s) DEAD teardown ran while the CPU is still online",
			st->cpu, state, cpuhp__ledger_label(hp, state));
	return l->nr++;
}

/* Apply a finished invocation to the CPU's live set (the pairing rule). */
static void record_end(struct cpuhp *hp, struct cpuhp_ledger *l, size_t i,
		       const struct cpuhp_node *node)
{
	struct cpuhp_ledger_record *r = &l->rec[i];
	struct cpu_book *b = &l->cpus[r->cpu];
	const struct cpuhp_step *sp = cpuhp__step(hp, r->state);
	bool live = cpuhp__ledger_is_live(b, r->state, node, NULL);
	const struct cpuhp_node *n;

	switch (cpuhp__ledger_effect(hp, l, i)) {
	case EFFECT_FAILED:
	case EFFECT_NONE:
		return;
	case EFFECT_STATE:
		if (!sp->multi_instance)
			cpuhp__ledger_set_live(b, r->state, NULL, r->bringup);
		for (n = sp->multi_instance ? sp->list : NULL; n; n = n->next)
			cpuhp__ledger_set_live(b, r->state, n, r->bringup);
		cpuhp__ledger_abandon(hp, l, r);
		return;
	case EFFECT_CALL:
		break;
	}
	if (r->bringup) {
		/* Rule "one-direction": a startup-only state is never torn down. */
		if (live && !cpuhp__step_empty(sp, false))
			cpuhp__ledger_violate(
				l, CPUHP_LV_PAIRING, r->cpu, r->state,
				"CPU %u: state %d (%s) started again without a teardown",
				r->cpu, r->state, cpuhp__ledger_label(hp, r->state));
		cpuhp__ledger_set_live(b, r->state, node, true);
		return;
	}
	/* Rule "one direction": a state without startup has nothing to pair. */
	if (!live && !cpuhp__step_empty(sp, true))
		cpuhp__ledger_violate(
			l, CPUHP_LV_PAIRING, r->cpu, r->state,
			"CPU %u: teardown of state %d (%s) that was not started", r->cpu,
			r->state, cpuhp__ledger_label(hp, r->state));
	cpuhp__ledger_set_live(b, r->state, node, false);
}

/**
 * cpuhp__ledger_call_begin - record the start of one callback call
 * @hp:      the machine, with a ledger attached
 * @st:      the CPU's record
 * @state:   the state whose callback is about to run
 * @bringup: startup or teardown
 * @node:    the instance of a multi-instance state, NULL for a single one
 * @c:       filled in for cpuhp__ledger_call_end()
 *
 * A fault plan that matches this call decides instead of the callback:
 * the call is recorded as injected (or skipped) and not made.
 *
 * Context: the thread about to run the callback (walker.c).
 * Return: true when the caller must make the call and then end it with
 * cpuhp__ledger_call_end(); false when the plan decided: @c->ret is the
 * call's result.
 */
bool cpuhp__ledger_call_begin(struct cpuhp *hp, struct cpuhp_cpu *st, int state,
			      bool bringup, struct cpuhp_node *node,
			      struct cpuhp_ledger_call *c)
{
	struct cpuhp_ledger *l = cpuhp__ledger(hp);
	const struct cpuhp_fault *f;
	enum cpuhp_fault_action action = CPUHP_FAULT_FAIL;
	int inst = instance_index(hp, state, node), err = 0;

	c->rec = (size_t)-1;
	c->ret = 0;
	lock(l);
	f = plan_match(l, st->cpu, state, bringup, inst);
	if (f) {
		action = f->action;
		err = f->error ? f->error : -EAGAIN;
	}
	if (f && action == CPUHP_FAULT_SKIP) {
		unlock(l);
		return false;
	}
	c->rec = record_start(hp, l, st, state, bringup, inst, node);
	if (f && c->rec != (size_t)-1) {
		l->rec[c->rec].injected = true;
		l->rec[c->rec].result = err;
		record_end(hp, l, c->rec, node);
	}
	unlock(l);
	c->ret = err;
	return !f;
}

/**
 * cpuhp__ledger_call_end - record the result of a call begun with
 * cpuhp__ledger_call_begin()
 * @hp:   the machine
 * @c:    what cpuhp__ledger_call_begin() filled in
 * @node: the same instance
 * @ret:  the callback's result
 *
 * Context: the thread that ran the callback.
 */
void cpuhp__ledger_call_end(struct cpuhp *hp, const struct cpuhp_ledger_call *c,
			    struct cpuhp_node *node, int ret)
{
	struct cpuhp_ledger *l = cpuhp__ledger(hp);

	lock(l);
	if (c->rec != (size_t)-1) {
		l->rec[c->rec].result = ret;
		record_end(hp, l, c->rec, node);
	}
	unlock(l);
}

void cpuhp__ledger_injected(struct cpuhp *hp, struct cpuhp_cpu *st, int state,
			    bool bringup)
{
	struct cpuhp_ledger *l = cpuhp__ledger(hp);
	size_t i;

	lock(l);
	i = record_start(hp, l, st, state, bringup, -1, NULL);
	if (i != (size_t)-1) {
		l->rec[i].injected = true;
		l->rec[i].result = -EAGAIN;
		record_end(hp, l, i, NULL);
	}
	unlock(l);
}

/* ---- operations ---- */

/*
 * Rule (exclusion): CPU up and down, state setup and removal and instance
 * add and removal are serialised by the hotplug locks (spec section 5):
 * one may start inside another only on the same thread (a callback's own
 * call) or from inside a callback the running one invoked.  Any other
 * start while one runs means a lock was not taken.
 */
static const char *op_name(enum cpuhp_ledger_op op)
{
	static const char *const names[] = {
		[LEDGER_OP_UP] = "cpu up",
		[LEDGER_OP_DOWN] = "cpu down",
		[LEDGER_OP_SETUP] = "state setup",
		[LEDGER_OP_REMOVE] = "state removal",
		[LEDGER_OP_ADD_INSTANCE] = "instance add",
		[LEDGER_OP_REMOVE_INSTANCE] = "instance removal",
	};

	return (unsigned int)op < sizeof(names) / sizeof(names[0]) ? names[op] : "?";
}

static void overlap(struct cpuhp *hp, struct cpuhp_ledger *l, enum cpuhp_ledger_op op)
{
	if (l->op_owner == cpuhp__tctx() || cpuhp__in_callback(hp))
		return;
	cpuhp__ledger_violate(
		l, CPUHP_LV_EXCLUSION, l->cpu, l->state,
		"an operation (%s) began on another thread while another (%s, operation %lu) ran: "
		"the hotplug locks should have kept them apart",
		op_name(op), op_name(l->kind), l->op);
}

void cpuhp__ledger_op_begin(struct cpuhp *hp, enum cpuhp_ledger_op op, unsigned int cpu,
			    int state, struct cpuhp_node *node, bool invoke)
{
	struct cpuhp_ledger *l = cpuhp__ledger(hp);
	unsigned int c;

	lock(l);
	/* Nested (an operation inside an operation): checked as the outer one. */
	if (l->op_depth++) {
		overlap(hp, l, op);
		unlock(l);
		return;
	}
	l->op_owner = cpuhp__tctx();
	l->op++;
	l->kind = op;
	l->cpu = cpu;
	l->state = state;
	l->node = node;
	l->invoke = invoke;
	/* Read now: a removal clears the step before the checks run. */
	l->startup_only = (op == LEDGER_OP_REMOVE || op == LEDGER_OP_REMOVE_INSTANCE) &&
			  state > hp->b.offline && state < hp->b.online &&
			  cpuhp__step_empty(cpuhp__step(hp, state), false);
	l->prev = op <= LEDGER_OP_DOWN ? st_state(cpuhp__cpu(hp, cpu)) : -1;
	l->first = l->nr;
	l->warn0 = cpuhp_warn_count(hp);
	for (c = 0; c < l->nr_cpus; c++)
		l->cpus[c].walked = false;
	unlock(l);
}

void cpuhp__ledger_op_end(struct cpuhp *hp, int ret)
{
	struct cpuhp_ledger *l = cpuhp__ledger(hp);

	lock(l);
	if (l->op_depth && --l->op_depth == 0)
		cpuhp__ledger_check_op(hp, l, ret);
	unlock(l);
}

/* ---- trace tap: enter/exit balance per emitting task ---- */

static struct task_stack *task_of(struct cpuhp_ledger *l, int pid)
{
	unsigned int i;

	for (i = 0; i < l->nr_tasks; i++)
		if (l->tasks[i].pid == pid)
			return &l->tasks[i];
	if (l->nr_tasks == LEDGER_MAX_TASKS)
		return NULL;
	l->tasks[l->nr_tasks].pid = pid;
	l->tasks[l->nr_tasks].depth = 0;
	return &l->tasks[l->nr_tasks++];
}

static void trace_tap(void *data, const struct cpuhp_trace_event *ev)
{
	struct cpuhp *hp = data;
	struct cpuhp_ledger *l = cpuhp__ledger(hp);
	struct task_stack *t;
	cpuhp_trace_fn fn;
	void *fn_data;

	lock(l);
	t = ev->type == CPUHP_TRACE_MARK ? NULL : task_of(l, ev->task_pid);
	if (t && ev->type != CPUHP_TRACE_EXIT) {
		if (t->depth < LEDGER_TRACE_DEPTH)
			t->idx[t->depth] = ev->idx;
		t->depth++;
	} else if (t) {
		if (!t->depth ||
		    (t->depth <= LEDGER_TRACE_DEPTH && t->idx[t->depth - 1] != ev->idx))
			cpuhp__ledger_violate(
				l, CPUHP_LV_TRACE, ev->cpu, ev->idx,
				"trace: %s-%d exit of step %d does not match an enter",
				ev->task, ev->task_pid, ev->idx);
		if (t->depth)
			t->depth--;
	}
	fn = l->user_fn;
	fn_data = l->user_data;
	unlock(l);
	if (fn)
		fn(fn_data, ev);
}

/* cpuhp_trace_set_fn() while the ledger taps the trace: replace the user's sink. */
bool cpuhp__ledger_set_trace(struct cpuhp *hp, cpuhp_trace_fn fn, void *data)
{
	struct cpuhp_ledger *l = cpuhp__ledger(hp);

	if (!l)
		return false;
	lock(l);
	l->user_fn = fn;
	l->user_data = data;
	unlock(l);
	return true;
}

/* ---- API ---- */

static void ledger_destroy(struct cpuhp_ledger *l, unsigned int nr_cpus)
{
	unsigned int c;

	for (c = 0; l->cpus && c < nr_cpus; c++)
		free(l->cpus[c].live);
	free(l->cpus);
	free(l->rec);
	free(l->nodes);
	free(l->vio);
	pthread_mutex_destroy(&l->lock);
	free(l);
}

/* Detach and free; the caller excludes operations. */
static void detach(struct cpuhp *hp)
{
	struct cpuhp_ledger *l = cpuhp__ledger(hp);

	if (!l)
		return;
	atomic_store_explicit(&hp->ledger, NULL, memory_order_relaxed);
	hp->trace_fn = l->user_fn;
	hp->trace_data = l->user_data;
	ledger_destroy(l, l->nr_cpus);
}

static void quiesce(struct cpuhp *hp)
{
	cpuhp__cpus_write_lock(hp);
	cpuhp__state_mutex_lock(hp);
}

static void unquiesce(struct cpuhp *hp)
{
	cpuhp__state_mutex_unlock(hp);
	cpuhp__cpus_write_unlock(hp);
}

int cpuhp_ledger_enable(struct cpuhp *hp)
{
	struct cpuhp_ledger *l;
	unsigned int c;

	if (!hp)
		return -EINVAL;
	/* Taking the cpus write lock from here would wait for ourselves. */
	if (cpuhp__in_callback(hp) || cpuhp__tctx()->hp == hp || cpuhp__read_depth(hp))
		return -EDEADLK;
	l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	l->nr_cpus = hp->nr_possible;
	l->cpus = calloc(l->nr_cpus, sizeof(*l->cpus));
	if (!l->cpus || pthread_mutex_init(&l->lock, NULL)) {
		free(l->cpus);
		free(l);
		return -ENOMEM;
	}
	quiesce(hp);
	detach(hp);
	l->user_fn = hp->trace_fn;
	l->user_data = hp->trace_data;
	for (c = 0; c < l->nr_cpus; c++) {
		int st = st_state(cpuhp__cpu(hp, c));

		cpuhp__ledger_adopt(hp, l, c, -1, NULL);
		/* A walk the ledger did not see stopped this CPU half way. */
		l->cpus[c].stopped = st != st_target(cpuhp__cpu(hp, c)) &&
				     st > hp->b.offline && st < hp->b.online;
	}
	if (hp->boot_note[0])
		cpuhp__ledger_violate(l, CPUHP_LV_BOOT, 0, -1, "%s", hp->boot_note);
	hp->trace_data = hp;
	hp->trace_fn = trace_tap;
	atomic_store_explicit(&hp->ledger, l, memory_order_relaxed);
	unquiesce(hp);
	return 0;
}

void cpuhp_ledger_disable(struct cpuhp *hp)
{
	if (!hp || cpuhp__in_callback(hp) || cpuhp__tctx()->hp == hp ||
	    cpuhp__read_depth(hp))
		return;
	quiesce(hp);
	detach(hp);
	unquiesce(hp);
}

/* cpuhp_free(): no operation can run any more. */
void cpuhp__ledger_free(struct cpuhp *hp)
{
	detach(hp);
}

size_t cpuhp_ledger_nr_records(struct cpuhp *hp)
{
	struct cpuhp_ledger *l = hp ? cpuhp__ledger(hp) : NULL;
	size_t n;

	if (!l)
		return 0;
	lock(l);
	n = l->nr;
	unlock(l);
	return n;
}

int cpuhp_ledger_get_record(struct cpuhp *hp, size_t i, struct cpuhp_ledger_record *out)
{
	struct cpuhp_ledger *l = hp ? cpuhp__ledger(hp) : NULL;
	int ret = -EINVAL;

	if (!l || !out)
		return -EINVAL;
	lock(l);
	if (i < l->nr) {
		*out = l->rec[i];
		ret = 0;
	}
	unlock(l);
	return ret;
}

size_t cpuhp_ledger_nr_violations(struct cpuhp *hp)
{
	struct cpuhp_ledger *l = hp ? cpuhp__ledger(hp) : NULL;
	size_t n;

	if (!l)
		return 0;
	lock(l);
	n = l->nv;
	unlock(l);
	return n;
}

int cpuhp_ledger_get_violation(struct cpuhp *hp, size_t i,
			       struct cpuhp_ledger_violation *out)
{
	struct cpuhp_ledger *l = hp ? cpuhp__ledger(hp) : NULL;
	int ret = -EINVAL;

	if (!l || !out)
		return -EINVAL;
	lock(l);
	if (i < l->nv) {
		*out = l->vio[i];
		ret = 0;
	}
	unlock(l);
	return ret;
}

int cpuhp_ledger_check(struct cpuhp *hp)
{
	struct cpuhp_ledger *l = hp ? cpuhp__ledger(hp) : NULL;
	unsigned int n;

	if (!l)
		return -EINVAL;
	if (cpuhp__in_callback(hp) || cpuhp__tctx()->hp == hp || cpuhp__read_depth(hp))
		return -EDEADLK;
	quiesce(hp);
	lock(l);
	n = cpuhp__ledger_check_all(hp, l);
	unlock(l);
	unquiesce(hp);
	return (int)n;
}

int cpuhp_ledger_fault(struct cpuhp *hp, const struct cpuhp_fault *f)
{
	struct cpuhp_ledger *l;
	int ret = 0;

	if (!hp || !f || f->cpu >= hp->nr_possible || f->state <= hp->b.offline ||
	    f->state >= hp->b.online || f->error > 0 ||
	    (f->action != CPUHP_FAULT_FAIL && f->action != CPUHP_FAULT_SKIP))
		return -EINVAL;
	if (!cpuhp__ledger(hp)) {
		ret = cpuhp_ledger_enable(hp);
		if (ret)
			return ret;
	}
	l = cpuhp__ledger(hp);
	lock(l);
	if (l->nplan == LEDGER_MAX_FAULTS) {
		ret = -ENOSPC;
	} else {
		l->plan[l->nplan].f = *f;
		l->plan[l->nplan].seen = 0;
		l->plan[l->nplan].fired = false;
		l->nplan++;
	}
	unlock(l);
	return ret;
}

const char *cpuhp_ledger_kind_name(enum cpuhp_ledger_kind kind)
{
	static const char *const names[] = {
		[CPUHP_LV_CONTEXT] = "context",     [CPUHP_LV_PAIRING] = "pairing",
		[CPUHP_LV_ORDER] = "order",         [CPUHP_LV_LEFTOVER] = "leftover",
		[CPUHP_LV_END] = "end-state",       [CPUHP_LV_MASK] = "mask",
		[CPUHP_LV_TRACE] = "trace",         [CPUHP_LV_WARN] = "warn",
		[CPUHP_LV_EXCLUSION] = "exclusion", [CPUHP_LV_FAIL_ONCE] = "fail-once",
		[CPUHP_LV_NO_CALLS] = "no-calls",   [CPUHP_LV_INSTANCE] = "instance-list",
		[CPUHP_LV_BOOT] = "boot",
	};

	return (unsigned int)kind < sizeof(names) / sizeof(names[0]) ? names[kind] : "?";
}
