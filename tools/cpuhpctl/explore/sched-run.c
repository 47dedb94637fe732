// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * sched-run.c - one schedule: a fresh machine under a deterministic
 * scheduler, the operations' preparations, the ledger on, the operations in
 * scheduled threads with the plan's decisions, then the verdict: deadlock,
 * livelock, ledger and context violations, the quiescent invariants, the
 * library's own warnings.  A deadlocked or livelocked machine is left as it
 * is (its threads stay parked): nothing of it may be touched again.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpuhp/control.h>
#include <cpuhp/fault.h>
#include <cpuhp/ledger.h>
#include <cpuhp/state.h>

#include "sched-explore.h"

struct op_run {
	struct cpuhp *hp;
	struct sx_slot *s;
};

static void *run_act(void *arg)
{
	struct op_run *o = arg;

	o->s->ret = o->s->op->act(o->hp, o->s);
	return NULL;
}

static uint64_t mix(uint64_t h, uint64_t v)
{
	/* FNV-1a over the value's bytes. */
	unsigned int i;

	for (i = 0; i < 8; i++) {
		h ^= (v >> (8 * i)) & 0xff;
		h *= 0x100000001b3ull;
	}
	return h;
}

/* The end state: every CPU's state and masks, and what each operation returned. */
static uint64_t end_state(struct cpuhp *hp, const struct sx_pair *p)
{
	uint64_t h = 0xcbf29ce484222325ull;
	unsigned int cpu, i;

	for (cpu = 0; cpu < cpuhp_nr_possible(hp); cpu++) {
		h = mix(h, (uint64_t)(int64_t)cpuhp_cpu_state(hp, cpu));
		h = mix(h, (uint64_t)cpuhp_cpu_online(hp, cpu) << 1 |
				   (uint64_t)cpuhp_cpu_active(hp, cpu));
	}
	for (i = 0; i < p->n; i++)
		h = mix(h, (uint64_t)(int64_t)p->slot[i].ret);
	return h;
}

static void note(struct sx_result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void note(struct sx_result *r, const char *fmt, ...)
{
	va_list ap;

	r->violations++;
	if (r->first[0])
		return;
	va_start(ap, fmt);
	vsnprintf(r->first, sizeof(r->first), fmt, ap);
	va_end(ap);
}

/* The verdict on a machine whose operations all returned. */
static void judge(struct cpuhp *hp, const struct sx_pair *p, struct sx_result *r)
{
	struct cpuhp_ledger_violation v;
	unsigned long warns;
	int q;

	q = cpuhp_ledger_check(hp);
	if (cpuhp_ledger_nr_violations(hp) && !cpuhp_ledger_get_violation(hp, 0, &v)) {
		note(r, "%s: cpu%u state %d: %s", cpuhp_ledger_kind_name(v.kind), v.cpu,
		     v.state, v.msg);
		r->violations += (unsigned int)cpuhp_ledger_nr_violations(hp) - 1;
	} else if (q > 0) {
		note(r, "quiescent check: %d violation(s)", q);
	}
	warns = cpuhp_warn_count(hp);
	if (warns)
		note(r, "the library warned %lu time(s) (a lock or hand-off rule broken)",
		     warns);
	r->end_state = end_state(hp, p);
}

static int prepare(struct cpuhp *hp, struct sx_pair *p)
{
	unsigned int i;
	int ret;

	for (i = 0; i < p->n; i++) {
		struct sx_slot *s = &p->slot[i];

		s->ret = 0;
		s->state = 0;
		memset(&s->node, 0, sizeof(s->node));
		if (!s->op->prep)
			continue;
		ret = s->op->prep(hp, s);
		if (ret) {
			ctl_err("explore: preparing %s: %s", s->op->name, strerror(-ret));
			return ret;
		}
	}
	return cpuhp_ledger_enable(hp);
}

static void keep_decisions(struct cpuhp_sched *sched, struct sx_result *r)
{
	const struct cpuhp_sched_decision *d;
	size_t n = cpuhp_sched_decisions(sched, &d);

	r->dec = malloc(n ? n * sizeof(*d) : 1);
	r->ndec = r->dec ? n : 0;
	if (r->dec && n)
		memcpy(r->dec, d, n * sizeof(*d));
}

/* Start each operation in a scheduled thread and wait for them all. */
static int race(struct cpuhp_sched *sched, struct cpuhp *hp, struct sx_pair *p)
{
	struct op_run o[SX_MAX_OPS];
	pthread_t tid[SX_MAX_OPS];
	unsigned int i, started = 0;
	int err = 0, e;

	for (i = 0; i < p->n; i++) {
		o[i] = (struct op_run){ hp, &p->slot[i] };
		err = cpuhp_sched_spawn(sched, &tid[i], run_act, &o[i]);
		if (err)
			break;
		started++;
	}
	for (i = 0; i < started; i++) {
		e = cpuhp_sched_join(sched, tid[i], NULL);
		if (e == -EDEADLK || e == -ELOOP)
			return e;
		if (e && !err)
			err = e;
	}
	return err;
}

/* Everything a reset must restore: CPU states and masks, the state table. */
static uint64_t machine_hash(struct cpuhp *hp)
{
	uint64_t h = 0xcbf29ce484222325ull;
	int st, online = cpuhp_state_of(hp, CPUHP_ONLINE);
	unsigned int cpu;

	for (cpu = 0; cpu < cpuhp_nr_possible(hp); cpu++) {
		h = mix(h, (uint64_t)(int64_t)cpuhp_cpu_state(hp, cpu));
		h = mix(h, (uint64_t)cpuhp_cpu_online(hp, cpu) << 1 |
				   (uint64_t)cpuhp_cpu_active(hp, cpu));
		h = mix(h, (uint64_t)(int64_t)cpuhp_fail_get(hp, cpu));
	}
	for (st = 0; st <= online; st++) {
		const char *name = cpuhp_state_name(hp, st);

		h = mix(h,
			name ? (uint64_t)strlen(name) << 8 | (unsigned char)name[0] : 0);
	}
	return h;
}

/* Undo what the operations did: their states gone, every CPU up, SMT on. */
static void undo(struct cpuhp *hp, struct sx_pair *p)
{
	unsigned int i, cpu;
	char path[48];

	cpuhp_ledger_disable(hp);
	for (i = 0; i < p->n; i++) {
		struct sx_slot *s = &p->slot[i];
		const char *name = s->state > 0 ? cpuhp_state_name(hp, s->state) : NULL;

		if (!name || strcmp(name, s->name))
			continue;
		cpuhp_state_remove_instance_nocalls(hp, s->state, &s->node);
		cpuhp_remove_state_nocalls(hp, s->state);
	}
	if (p->cfg->threads_per_core > 1)
		cpuhp_ctl_write(hp, "smt/control", "on");
	for (cpu = 0; cpu < cpuhp_nr_possible(hp); cpu++) {
		if (cpuhp_fail_get(hp, cpu) != -1)
			cpuhp_fail_set(hp, cpu, -1);
		if (cpuhp_cpu_present(hp, cpu) && !cpuhp_cpu_online(hp, cpu)) {
			snprintf(path, sizeof(path), "cpu%u/online", cpu);
			cpuhp_ctl_write(hp, path, "1");
		}
	}
}

/* A machine as booted: the one kept, or a new one. */
static int machine(struct sx_ctx *x, const struct sx_pair *p)
{
	int err;

	if (x->hp)
		return 0;
	if (!x->sched) {
		x->sched = cpuhp_sched_new();
		if (!x->sched)
			return -ENOMEM;
		err = cpuhp_sched_attach(x->sched);
		if (err)
			return err;
	}
	err = cpuhp_new(p->cfg, &x->hp);
	if (err) {
		x->hp = NULL;
		return err;
	}
	x->booted = machine_hash(x->hp);
	x->rebuilds++;
	return 0;
}

/* Drop the machine (and the scheduler, if its run was abandoned). */
static void drop(struct sx_ctx *x, bool abandoned)
{
	if (!abandoned)
		cpuhp_free(x->hp);
	x->hp = NULL;
	if (abandoned) {
		/* Its threads stay parked on it: both are left as they are. */
		cpuhp_sched_detach(x->sched);
		x->sched = NULL;
	}
}

/**
 * sx_run - run @p's operations once, under the schedule @c
 * @x: the machine kept between runs (zeroed before the first)
 * @p: the operations and the machine options
 * @c: the decisions that differ from the default schedule
 * @n: how many
 * @r: receives the verdict and the decisions made (r->dec: free() it)
 *
 * Return: 0 (whatever the verdict), or a negative error when the run could
 * not be made (the machine, a preparation, a thread), already reported.
 */
int sx_run(struct sx_ctx *x, struct sx_pair *p, const struct cpuhp_sched_choice *c,
	   size_t n, struct sx_result *r)
{
	int err;

	memset(r, 0, sizeof(*r));
	err = machine(x, p);
	if (!err)
		err = prepare(x->hp, p);
	if (!err)
		err = cpuhp_sched_plan(x->sched, c, n, p->max_points);
	if (!err)
		err = race(x->sched, x->hp, p);
	if (x->sched) {
		r->end = cpuhp_sched_end(x->sched);
		keep_decisions(x->sched, r);
		/* Undoing is not part of the schedule. */
		cpuhp_sched_plan(x->sched, NULL, 0, 0);
	}
	if (err == -EDEADLK || err == -ELOOP) {
		note(r, "%s: %s", err == -EDEADLK ? "deadlock" : "livelock",
		     err == -EDEADLK ?
			     "no thread can run" :
			     "the operations did not end within the point bound");
		drop(x, true);
		return 0;
	}
	if (err) {
		if (x->hp)
			ctl_err("explore: cannot run the operations: %s", strerror(-err));
		drop(x, false);
		return err;
	}
	judge(x->hp, p, r);
	if (r->violations) {
		drop(x, false);
		return 0;
	}
	undo(x->hp, p);
	if (machine_hash(x->hp) != x->booted || cpuhp_warn_count(x->hp))
		drop(x, false);
	return 0;
}

/* The end of a series of runs: the machine freed, the scheduler detached. */
void sx_ctx_end(struct sx_ctx *x)
{
	if (x->hp)
		drop(x, false);
	if (x->sched && !cpuhp_sched_detach(x->sched))
		cpuhp_sched_free(x->sched);
	x->sched = NULL;
}
