// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * walker.c - choosing the next state, invoking one state, walking a range,
 * and starting or undoing an operation.
 *
 * This is the only code that moves st->state during a walk, and it always
 * moves it *before* the callback runs: going up it equals the state being
 * run, going down it is already one below it.  Everything else in the
 * library (rollback end states, trace "state:" fields, the recursive-failure
 * rule) follows from that one rule (spec 3.1, rule 4).
 *
 * Every callback of a walk pays only for what can change between two
 * callbacks: what cannot (the ledger, the thread context, the context
 * rule's verdict for a section) is worked out once per walk (struct walk).
 */
#include "check/check.h"
#include "machine/log.h"
#include "model/model.h"
#include "trace/trace.h"
#include "walk/walk.h"

/* The per-callback path of a walk: one flat loop, no call but the callback's. */
#define HOT static inline __attribute__((always_inline))

/*
 * What every callback of one walk shares, worked out by walk_begin().  None
 * of it can change during a walk: the ledger is switched only with the cpus
 * write lock held (never from a callback), and between two callbacks the
 * thread context is what it was before the first (each callback's context
 * is undone when it returns; a nested operation undoes its own).  The trace
 * sink is tested per callback: cpuhp_trace_set_fn() only asks for no
 * concurrent operation, and a callback may call it.
 */
struct walk {
	struct cpuhp *hp;
	struct cpuhp_cpu *st;
	struct cpuhp_tctx *t;
	bool ledger; /* the ledger is on */
	/* The ledger is on or the thread is scheduled: call_hooked(). */
	bool hooked;
	/* The thread context inside a callback of @hp and outside (cb_enter). */
	const struct cpuhp *out_cb_hp;
	unsigned int in_depth, out_depth;
	enum cpuhp_context in_ctx, out_ctx;
	/*
	 * States ok_lo .. ok_lo + ok_span (unsigned arithmetic: one compare)
	 * whose context rule this thread is known to satisfy: the section of
	 * the last callback that passed the full check (cpuhp__context_check).
	 * Empty at first: ok_lo lies past the last state.
	 */
	unsigned int ok_lo, ok_span;
};

/* Work out what the callbacks of a walk of @st share (struct walk). */
HOT void walk_begin(struct walk *w, struct cpuhp *hp, struct cpuhp_cpu *st)
{
	struct cpuhp_tctx *t = cpuhp__tctx();

	w->hp = hp;
	w->st = st;
	w->t = t;
	w->ledger = cpuhp__ledger(hp) != NULL;
	w->hooked = w->ledger || cpuhp__sched_on();
	w->out_cb_hp = t->cb_hp;
	w->out_depth = t->cb_depth;
	w->out_ctx = t->ctx;
	w->in_depth = t->cb_hp == hp ? t->cb_depth + 1 : 1;
	w->in_ctx = t->hp != hp ? CPUHP_CTX_CONTROL : t->ctx;
	w->ok_lo = (unsigned int)hp->b.online + 1;
	w->ok_span = 0;
	cpuhp__trace_task_renew(hp);
}

/*
 * Around every user-visible callback the thread context marks it as a
 * callback of @hp: registration from inside it is refused, its read lock is
 * only counted, and cpuhp_current_context() can answer.
 */
HOT void cb_enter(const struct walk *w)
{
	w->t->cb_hp = w->hp;
	w->t->cb_depth = w->in_depth;
	w->t->ctx = w->in_ctx;
}

HOT void cb_exit(const struct walk *w)
{
	w->t->cb_hp = w->out_cb_hp;
	w->t->cb_depth = w->out_depth;
	w->t->ctx = w->out_ctx;
}

/*
 * Context-check and call one callback.  The check is one compare while the
 * walk stays in a section whose rule has already passed; the full check runs
 * on the first callback of each section and on every one that fails it.
 */
HOT int call_plain(struct walk *w, const struct cpuhp_step *sp, int state, bool bringup,
		   struct cpuhp_node *node)
{
	struct cpuhp *hp = w->hp;
	unsigned int cpu = w->st->cpu;
	int ret, lo, hi;

	cb_enter(w);
	if (__builtin_expect((unsigned int)state - w->ok_lo > w->ok_span, 0) &&
	    cpuhp__context_check(hp, w->t, cpu, state, bringup, &lo, &hi)) {
		w->ok_lo = (unsigned int)lo;
		w->ok_span = (unsigned int)(hi - lo);
	}
	if (node)
		ret = (bringup ? sp->startup.multi : sp->teardown.multi)(hp, cpu, node);
	else
		ret = (bringup ? sp->startup.single : sp->teardown.single)(hp, cpu,
									   sp->data);
	cb_exit(w);
	return ret;
}

/* call_plain() between the trace events; the sink test is inline. */
static int call_traced(struct walk *w, const struct cpuhp_step *sp, int state,
		       bool bringup, struct cpuhp_node *node)
{
	struct cpuhp *hp = w->hp;
	struct cpuhp_cpu *st = w->st;
	int ret;

	cpuhp__trace_enter(hp, node ? CPUHP_TRACE_MULTI_ENTER : CPUHP_TRACE_ENTER,
			   st->cpu, st_target(st), state,
			   bringup ? sp->startup_sym : sp->teardown_sym);
	ret = call_plain(w, sp, state, bringup, node);
	cpuhp__trace_exit(hp, st->cpu, st_state(st), state, ret);
	return ret;
}

/* With a ledger or a trace sink: out of line, off the path of a plain walk. */
static __attribute__((noinline)) int call_hooked(struct walk *w,
						 const struct cpuhp_step *sp, int state,
						 bool bringup, struct cpuhp_node *node)
{
	struct cpuhp_ledger_call c;
	int ret;

	/* A callback's start and end are scheduling points (sched.h). */
	cpuhp__sched_maybe_point();
	if (!w->ledger) {
		ret = call_traced(w, sp, state, bringup, node);
		cpuhp__sched_maybe_point();
		return ret;
	}
	/* The ledger records the call around it, or its fault plan decides. */
	if (!cpuhp__ledger_call_begin(w->hp, w->st, state, bringup, node, &c))
		return c.ret;
	ret = call_traced(w, sp, state, bringup, node);
	cpuhp__ledger_call_end(w->hp, &c, node, ret);
	cpuhp__sched_maybe_point();
	return ret;
}

/* One call; with the ledger on it records it and may inject a fault. */
HOT int call(struct walk *w, const struct cpuhp_step *sp, int state, bool bringup,
	     struct cpuhp_node *node)
{
	if (__builtin_expect(w->hooked || w->hp->trace_fn != NULL, 0))
		return call_hooked(w, sp, state, bringup, node);
	return call_plain(w, sp, state, bringup, node);
}

/*
 * Undo the first @cnt instances after a failure on a path that cannot hand
 * the partial state back to the state machine (no @lastp: control-thread
 * ranges, STARTING, DYING).  Released kernels reuse the error variable for
 * the undo calls, so a successful undo swallows the original error; the
 * model's mi_error_fix quirk keeps it (spec 3.3 step 5).
 */
static int undo_instances(struct walk *w, int state, bool bringup, unsigned int cnt,
			  int ret)
{
	struct cpuhp *hp = w->hp;
	struct cpuhp_step *sp = cpuhp__step(hp, state);
	struct cpuhp_node *n;
	bool warned = false;
	int r;

	if (cpuhp__step_empty(sp, !bringup))
		return ret;
	for (n = sp->list; n && cnt; n = n->next, cnt--) {
		r = call(w, sp, state, !bringup, n);
		if (r && !warned) {
			CPUHP_WARN(hp, "CPU %u: undoing instance of state %d failed (%d)",
				   w->st->cpu, state, r);
			warned = true;
		}
		if (!hp->kc.mi_error_fix)
			ret = r;
	}
	return ret;
}

/* A full transition of a multi-instance state: every instance, newest first. */
static int invoke_instances(struct walk *w, int state, bool bringup,
			    struct cpuhp_node **lastp)
{
	struct cpuhp_step *sp = cpuhp__step(w->hp, state);
	struct cpuhp_node *n;
	unsigned int cnt = 0;
	int ret;

	for (n = sp->list; n; n = n->next) {
		/* Rolling back a partial failure: stop at the instance that failed. */
		if (lastp && n == *lastp)
			break;
		ret = call(w, sp, state, bringup, n);
		if (ret) {
			if (!lastp)
				return undo_instances(w, state, bringup, cnt, ret);
			/* The state machine undoes the earlier ones (reset_state). */
			*lastp = n;
			return ret;
		}
		cnt++;
	}
	if (lastp)
		*lastp = NULL;
	return 0;
}

/* An armed failure for @state: consume it (one-shot) and report it. */
static __attribute__((noinline)) bool take_fail(struct walk *w, int state, bool bringup)
{
	int expected = state;

	if (!atomic_compare_exchange_strong_explicit(&w->st->fail, &expected,
						     CPUHP_INVALID, memory_order_relaxed,
						     memory_order_relaxed))
		return false;
	if (cpuhp__ledger(w->hp))
		cpuhp__ledger_injected(w->hp, w->st, state, bringup);
	return true;
}

/* cpuhp__invoke_callback() within a walk; see there. */
HOT int invoke(struct walk *w, int state, bool bringup, struct cpuhp_node *node,
	       struct cpuhp_node **lastp)
{
	struct cpuhp_step *sp = cpuhp__step(w->hp, state);

	/*
	 * One-shot: only the invocation that consumes the armed value fails.  The
	 * plain load keeps the compare-exchange off the path of every callback.
	 */
	if (__builtin_expect(atomic_load_explicit(&w->st->fail, memory_order_relaxed) ==
				     state,
			     0) &&
	    take_fail(w, state, bringup))
		return -EAGAIN;
	if (__builtin_expect(cpuhp__step_empty(sp, bringup), 0)) {
		CPUHP_WARN(w->hp, "CPU %u: state %d has no %s callback", w->st->cpu,
			   state, bringup ? "startup" : "teardown");
		return 0;
	}
	if (sp->multi_instance) {
		if (!node)
			return invoke_instances(w, state, bringup, lastp);
		return call(w, sp, state, bringup, node);
	}
	return call(w, sp, state, bringup, NULL);
}

/*
 * Advance st->state to the next state with a callback in this direction and
 * put it in *@state; @target is inclusive going up, exclusive going down.
 * States without a callback in this direction are skipped silently: no
 * call, no trace, no failure injection.  Only the state about to run (or
 * the end of the walk) is stored: nothing runs for the skipped ones, so
 * nothing could observe them.  Return: true if there is a state to run.
 */
HOT bool next_state(struct cpuhp *hp, struct cpuhp_cpu *st, bool bringup, int *state,
		    int target)
{
	int s = st_state(st), from = s;

	if (bringup) {
		while (s < target) {
			s++;
			if (!cpuhp__step_empty(cpuhp__step(hp, s), true)) {
				st_set_state(st, s);
				*state = s;
				return true;
			}
		}
	} else {
		while (s > target) {
			s--;
			if (!cpuhp__step_empty(cpuhp__step(hp, s + 1), false)) {
				st_set_state(st, s);
				*state = s + 1;
				return true;
			}
		}
	}
	if (s != from)
		st_set_state(st, s);
	return false;
}

/**
 * cpuhp__invoke_callback - run one state's callback for one CPU
 * @hp:      the machine
 * @cpu:     the CPU
 * @state:   the state
 * @bringup: startup (true) or teardown
 * @node:    multi-instance: one instance only, or NULL for all
 * @lastp:   multi-instance partial-failure bookmark (CPU-thread walks), or NULL
 *
 * Injected failures fire here, before anything is called or traced.
 *
 * Return: the callback's result, or -EAGAIN for an injected failure.
 */
int cpuhp__invoke_callback(struct cpuhp *hp, unsigned int cpu, int state, bool bringup,
			   struct cpuhp_node *node, struct cpuhp_node **lastp)
{
	struct walk w;

	walk_begin(&w, hp, cpuhp__cpu(hp, cpu));
	return invoke(&w, state, bringup, node, lastp);
}

/**
 * cpuhp__invoke_range - walk toward @target, stopping at the first failure
 * @hp:      the machine
 * @st:      the CPU's record
 * @bringup: direction
 * @target:  inclusive going up, exclusive going down (next_state())
 *
 * Return: 0, or the failing callback's error with st->state left on the
 *         failing state (up) or one below it (down).
 */
int cpuhp__invoke_range(struct cpuhp *hp, struct cpuhp_cpu *st, bool bringup, int target)
{
	struct walk w;
	int state, ret;

	walk_begin(&w, hp, st);
	while (next_state(hp, st, bringup, &state, target)) {
		ret = invoke(&w, state, bringup, NULL, NULL);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * cpuhp__invoke_range_ap - the CPU thread's walk to st->target (cpuhp_thread_fun)
 * @hp:      the machine
 * @st:      the CPU's record, set up by set_state/reset_state
 * @bringup: direction
 *
 * Each result goes to st->result; the walk stops at the first failure (a
 * rollback that fails stops right there, spec 3.10).  A multi-instance
 * state that fails part-way leaves its bookmark in st->last.
 */
void cpuhp__invoke_range_ap(struct cpuhp *hp, struct cpuhp_cpu *st, bool bringup)
{
	/* Every state of a walk above TEARDOWN_CPU is an AP state: check once. */
	bool ap_only = (bringup ? st_state(st) : st_target(st)) >= hp->b.teardown_cpu;
	struct walk w;
	int state;

	walk_begin(&w, hp, st);
	while (next_state(hp, st, bringup, &state, st_target(st))) {
		if (!ap_only)
			CPUHP_WARN_ON(hp, !cpuhp__is_ap_state(hp, state));
		st->result = invoke(&w, state, bringup, st->node, &st->last);
		if (__builtin_expect(st->result != 0, 0)) {
			if (st->rollback)
				CPUHP_WARN(hp, "CPU %u: rollback failed at state %d (%d)",
					   st->cpu, state, st->result);
			break;
		}
	}
}

/**
 * cpuhp__invoke_range_nofail - walk a section whose callbacks may not fail
 * @hp:      the machine
 * @st:      the CPU's record
 * @bringup: direction
 * @target:  inclusive going up, exclusive going down (next_state())
 *
 * STARTING and DYING run with "interrupts off" where nothing can be undone.
 * Since v6.2 a failure is logged and the walk continues; 6.1 stopped the
 * section at the first failure with a WARN (quirk nofail_continue).  The
 * message names st->state, which going down is the state below the failing
 * one, exactly as the kernel prints it.
 */
void cpuhp__invoke_range_nofail(struct cpuhp *hp, struct cpuhp_cpu *st, bool bringup,
				int target)
{
	struct walk w;
	int state, ret, s;

	walk_begin(&w, hp, st);
	while (next_state(hp, st, bringup, &state, target)) {
		ret = invoke(&w, state, bringup, NULL, NULL);
		if (!ret)
			continue;
		s = st_state(st);
		if (!hp->kc.nofail_continue) {
			CPUHP_WARN(hp, "CPU %u %s state %s (%d) failed (%d)", st->cpu,
				   bringup ? "UP" : "DOWN", cpuhp__state_label(hp, s), s,
				   ret);
			return;
		}
		cpuhp__log(hp, LOG_WARNING, __FILE__, __LINE__, __func__,
			   "CPU %u %s state %s (%d) failed (%d)", st->cpu,
			   bringup ? "UP" : "DOWN", cpuhp__state_label(hp, s), s, ret);
	}
}

/* The dying mask records the direction of the last set/reset: down = dying. */
static void update_dying(struct cpuhp *hp, struct cpuhp_cpu *st, bool bringup)
{
	cpuhp__mask_assign(&hp->dying, st->cpu, !bringup);
}

/**
 * cpuhp__set_state - start an operation toward @target
 * @hp:     the machine
 * @st:     the CPU's record
 * @target: where the operation heads
 *
 * Note that state == target counts as "down" and marks the CPU dying, as in
 * the kernel.
 *
 * Return: the state the operation starts from (what a rollback returns to).
 */
int cpuhp__set_state(struct cpuhp *hp, struct cpuhp_cpu *st, int target)
{
	int prev = st_state(st);
	bool bringup = prev < target;

	st->rollback = false;
	st->last = NULL;
	st_set_target(st, target);
	st->single = false;
	st->bringup = bringup;
	/*
	 * st->result survives a walk that has nothing to do, so a down to the
	 * CPU's own state returns the error of its last failed install/remove
	 * callback, and that "rollback" leaves st->state at ONLINE + 1.  6.1
	 * reached this from a target write (docs/linux-6.1.md); since v6.2 that
	 * write is a no-op and nothing in the kernel asks for such a down, but
	 * cpuhp_cpu_down() can: on those models start from a clean result.
	 */
	if (hp->kc.target_equal_nop)
		st->result = 0;
	update_dying(hp, st, bringup);
	return prev;
}

/**
 * cpuhp__reset_state - turn a failed operation into its rollback
 * @hp:         the machine
 * @st:         the CPU's record
 * @prev_state: the state the operation started from
 *
 * The failed state's callback did not complete, so st->state steps back over
 * it, unless a multi-instance state failed part-way on the CPU thread (@last
 * set): then it stays so that the instances already done are undone first.
 * A second reset while rolling back only retargets, which is what makes the
 * control thread's reset harmless after the CPU thread already rolled back.
 */
void cpuhp__reset_state(struct cpuhp *hp, struct cpuhp_cpu *st, int prev_state)
{
	bool bringup = !st->bringup;

	st_set_target(st, prev_state);
	if (st->rollback)
		return;
	st->rollback = true;
	if (!st->last)
		st_set_state(st, st_state(st) + (st->bringup ? -1 : 1));
	st->bringup = bringup;
	update_dying(hp, st, bringup);
}
