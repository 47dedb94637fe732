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
 */
#include "internal.h"

/**
 * cpuhp__next_state - advance st->state to the next state with a callback
 * @hp:      the machine
 * @st:      the CPU's record
 * @bringup: direction
 * @state:   receives the state to run
 * @target:  inclusive going up, exclusive going down
 *
 * States without a callback in this direction are skipped silently: no
 * call, no trace, no failure injection.
 *
 * Return: true if there is a state to run.
 */
bool cpuhp__next_state(struct cpuhp *hp, struct cpuhp_cpu *st, bool bringup, int *state,
		       int target)
{
	int s;

	do {
		s = st_state(st);
		if (bringup) {
			if (s >= target)
				return false;
			*state = s + 1;
			st_set_state(st, s + 1);
		} else {
			if (s <= target)
				return false;
			*state = s;
			st_set_state(st, s - 1);
		}
	} while (cpuhp__step_empty(cpuhp__step(hp, *state), bringup));
	return true;
}

/*
 * Around every user-visible callback the thread context marks it as a
 * callback of @hp: registration from inside it is refused, its read lock is
 * only counted, and cpuhp_current_context() can answer.
 */
static struct cpuhp_tctx *cb_enter(struct cpuhp *hp, struct cpuhp_tctx *saved)
{
	struct cpuhp_tctx *t = cpuhp__tctx();

	*saved = *t;
	t->cb_hp = hp;
	t->cb_depth = saved->cb_hp == hp ? saved->cb_depth + 1 : 1;
	if (t->hp != hp)
		t->ctx = CPUHP_CTX_CONTROL;
	return t;
}

static void cb_exit(const struct cpuhp_tctx *saved)
{
	struct cpuhp_tctx *t = cpuhp__tctx();

	t->cb_hp = saved->cb_hp;
	t->cb_depth = saved->cb_depth;
	t->ctx = saved->ctx;
}

/**
 * cpuhp__call_traced - trace, context-check and call one callback
 * @hp:      the machine
 * @st:      the CPU's record
 * @state:   a state with a callback in this direction
 * @bringup: startup or teardown
 * @node:    the instance of a multi-instance state, NULL for a single one
 *
 * The context check is a few compares on the thread context that cb_enter()
 * loads anyway; only a violation leaves this path.
 *
 * Return: the callback's result.
 */
int cpuhp__call_traced(struct cpuhp *hp, struct cpuhp_cpu *st, int state, bool bringup,
		       struct cpuhp_node *node)
{
	struct cpuhp_step *sp = cpuhp__step(hp, state);
	struct cpuhp_tctx saved, *t;
	int ret;

	cpuhp__trace_enter(hp, node ? CPUHP_TRACE_MULTI_ENTER : CPUHP_TRACE_ENTER, st->cpu,
			   st_target(st), state, bringup ? sp->startup_sym : sp->teardown_sym);
	t = cb_enter(hp, &saved);
	if (__builtin_expect(!cpuhp__context_ok(hp, t, st->cpu, state, bringup), 0))
		cpuhp__context_violation(hp, t, st->cpu, state, bringup);
	if (node)
		ret = (bringup ? sp->startup.multi : sp->teardown.multi)(hp, st->cpu, node);
	else
		ret = (bringup ? sp->startup.single : sp->teardown.single)(hp, st->cpu, sp->data);
	cb_exit(&saved);
	cpuhp__trace_exit(hp, st->cpu, st_state(st), state, ret);
	return ret;
}

/* One call; with the ledger on it records it and may inject a fault. */
static int call(struct cpuhp *hp, struct cpuhp_cpu *st, int state, bool bringup,
		struct cpuhp_node *node)
{
	if (__builtin_expect(cpuhp__ledger(hp) != NULL, 0))
		return cpuhp__ledger_call(hp, st, state, bringup, node);
	return cpuhp__call_traced(hp, st, state, bringup, node);
}

/* One traced call of a multi-instance callback on one instance. */
static int call_instance(struct cpuhp *hp, struct cpuhp_cpu *st, int state, bool bringup,
			 struct cpuhp_node *node)
{
	return call(hp, st, state, bringup, node);
}

/*
 * Undo the first @cnt instances after a failure on a path that cannot hand
 * the partial state back to the state machine (no @lastp: control-thread
 * ranges, STARTING, DYING).  Released kernels reuse the error variable for
 * the undo calls, so a successful undo swallows the original error; the
 * model's mi_error_fix quirk keeps it (spec 3.3 step 5).
 */
static int undo_instances(struct cpuhp *hp, struct cpuhp_cpu *st, int state, bool bringup,
			  unsigned int cnt, int ret)
{
	struct cpuhp_step *sp = cpuhp__step(hp, state);
	struct cpuhp_node *n;
	bool warned = false;
	int r;

	if (cpuhp__step_empty(sp, !bringup))
		return ret;
	for (n = sp->list; n && cnt; n = n->next, cnt--) {
		r = call_instance(hp, st, state, !bringup, n);
		if (r && !warned) {
			CPUHP_WARN(hp, "CPU %u: undoing instance of state %d failed (%d)", st->cpu,
				   state, r);
			warned = true;
		}
		if (!hp->kc.mi_error_fix)
			ret = r;
	}
	return ret;
}

/* A full transition of a multi-instance state: every instance, newest first. */
static int invoke_instances(struct cpuhp *hp, struct cpuhp_cpu *st, int state, bool bringup,
			    struct cpuhp_node **lastp)
{
	struct cpuhp_node *n;
	unsigned int cnt = 0;
	int ret;

	for (n = cpuhp__step(hp, state)->list; n; n = n->next) {
		/* Rolling back a partial failure: stop at the instance that failed. */
		if (lastp && n == *lastp)
			break;
		ret = call_instance(hp, st, state, bringup, n);
		if (ret) {
			if (!lastp)
				return undo_instances(hp, st, state, bringup, cnt, ret);
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
	struct cpuhp_cpu *st = cpuhp__cpu(hp, cpu);
	struct cpuhp_step *sp = cpuhp__step(hp, state);
	int expected = state;

	/*
	 * One-shot: only the invocation that consumes the armed value fails.  The
	 * plain load keeps the compare-exchange off the path of every callback.
	 */
	if (atomic_load_explicit(&st->fail, memory_order_relaxed) == state &&
	    atomic_compare_exchange_strong_explicit(&st->fail, &expected, CPUHP_INVALID,
						    memory_order_relaxed, memory_order_relaxed)) {
		if (cpuhp__ledger(hp))
			cpuhp__ledger_injected(hp, st, state, bringup);
		return -EAGAIN;
	}

	if (cpuhp__step_empty(sp, bringup)) {
		CPUHP_WARN(hp, "CPU %u: state %d has no %s callback", cpu, state,
			   bringup ? "startup" : "teardown");
		return 0;
	}
	if (sp->multi_instance) {
		if (!node)
			return invoke_instances(hp, st, state, bringup, lastp);
		return call_instance(hp, st, state, bringup, node);
	}
	return call(hp, st, state, bringup, NULL);
}

/**
 * cpuhp__invoke_range - walk toward @target, stopping at the first failure
 * @hp:      the machine
 * @st:      the CPU's record
 * @bringup: direction
 * @target:  see cpuhp__next_state()
 *
 * Return: 0, or the failing callback's error with st->state left on the
 *         failing state (up) or one below it (down).
 */
int cpuhp__invoke_range(struct cpuhp *hp, struct cpuhp_cpu *st, bool bringup, int target)
{
	int state, ret;

	while (cpuhp__next_state(hp, st, bringup, &state, target)) {
		ret = cpuhp__invoke_callback(hp, st->cpu, state, bringup, NULL, NULL);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * cpuhp__invoke_range_nofail - walk a section whose callbacks may not fail
 * @hp:      the machine
 * @st:      the CPU's record
 * @bringup: direction
 * @target:  see cpuhp__next_state()
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
	int state, ret, s;

	while (cpuhp__next_state(hp, st, bringup, &state, target)) {
		ret = cpuhp__invoke_callback(hp, st->cpu, state, bringup, NULL, NULL);
		if (!ret)
			continue;
		s = st_state(st);
		if (!hp->kc.nofail_continue) {
			CPUHP_WARN(hp, "CPU %u %s state %s (%d) failed (%d)", st->cpu,
				   bringup ? "UP" : "DOWN", cpuhp__state_label(hp, s), s, ret);
			return;
		}
		cpuhp__log(hp, LOG_WARNING, __FILE__, __LINE__, __func__,
			   "CPU %u %s state %s (%d) failed (%d)", st->cpu, bringup ? "UP" : "DOWN",
			   cpuhp__state_label(hp, s), s, ret);
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
