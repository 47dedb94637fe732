// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * ledger-check.c - the ledger's rules: what must hold after an operation,
 * and the spec's exceptions, written down once in one table.
 *
 * The base invariants: a CPU ends where the spec says; a (state, instance)
 * is started on a CPU exactly when the CPU's state is at or above it, so
 * every startup is undone by one teardown when the CPU goes back below it;
 * the masks follow the state; trace enter/exit pair up; no WARN.  Every
 * departure the spec defines is an entry of rules[] and is looked up by its
 * id where a check would otherwise fail.  Called with the ledger lock held
 * and the operation's locks still taken, so the CPU is quiescent.
 */
#include <stdatomic.h>
#include <string.h>

#include "check/ledger.h"

enum rule_id {
	R_ONE_DIRECTION,
	R_FAILED_CALL,
	R_NOFAIL,
	R_NOFAIL_ABORT,
	R_MI_SWALLOW,
	R_ROLLBACK_STOP,
	R_NO_HOTPLUG_CPU,
	R_DEAD_FAILURE,
	R_MUST_NOT_FAIL_WARN,
	R_NO_CALLS,
	R_STARTING_TARGET,
	R_BRINGUP_BUBBLE,
	R_BOOT_TARGET,
	R_TARGET_EQUAL,
	NR_RULES,
};

/* The rule table: docs/explore.md prints the same list. */
static const struct rule {
	const char *name;
	const char *spec;
	const char *text;
} rules[NR_RULES] = {
	[R_ONE_DIRECTION] = { "one-direction", "3.1",
			      "a state with only a startup (or only a teardown) has nothing to pair; "
			      "its startup is dropped when the CPU goes below it" },
	[R_FAILED_CALL] = { "failed-call", "3.3, 3.10",
			    "a callback that failed did not complete: its (state, instance) stays as "
			    "it was, and so does the mask it would have changed" },
	[R_NOFAIL] = { "nofail", "3.2",
		       "a STARTING/DYING error during a walk is logged and ignored: the step "
		       "counts as done and the walk goes on" },
	[R_NOFAIL_ABORT] = { "nofail-abort", "3.2, 9.3",
			     "without nofail_continue (6.1) a STARTING/DYING error ends the "
			     "section: its later states keep what they were, with a WARN" },
	[R_MI_SWALLOW] = { "mi-swallow", "3.3 step 5",
			   "without mi_error_fix, undoing a partial multi-instance failure on the "
			   "control side swallows the error: the state counts as done" },
	[R_ROLLBACK_STOP] = { "rollback-stop", "3.10",
			      "a rollback callback that fails stops the machine there: state S after "
			      "a failed startup of S, S-1 after a failed teardown, with a WARN; in a "
			      "multi-instance state the instances the rollback did not reach (or "
			      "undid) stay as they were" },
	[R_NO_HOTPLUG_CPU] = { "no-hotplug-cpu", "7.5",
			       "with HOTPLUG_CPU=n a failure after the AP started is not rolled back: "
			       "AP_ONLINE_IDLE after an ONLINE failure, TEARDOWN_CPU otherwise" },
	[R_DEAD_FAILURE] = { "dead-failure", "3.9",
			     "a failing DEAD teardown re-runs the startups above it: the CPU ends "
			     "at AP_ONLINE_IDLE, with a WARN" },
	[R_MUST_NOT_FAIL_WARN] = { "must-not-fail", "1.4",
				   "a failure where the spec says \"must not fail\" (rollback, DEAD, "
				   "STARTING/DYING, removal) is WARNed; any other WARN is a violation" },
	[R_NO_CALLS] = { "no-calls", "4.2, 4.4, 4.5",
			 "an install or removal that makes no calls (nocalls, multi-instance "
			 "setup or removal, 6.1's PREPARE_DYN setup) hands the started states over "
			 "to its caller" },
	[R_STARTING_TARGET] = { "starting-target", "3.7",
				"a bring-up to a target inside STARTING ends at AP_ONLINE_IDLE" },
	[R_BRINGUP_BUBBLE] = { "bringup-bubble", "1.4, 3.7",
			       "BRINGUP_CPU failing after the AP came up (-ECANCELED, an ONLINE "
			       "failure bubbling up) counts as started: finish_cpu undoes it" },
	[R_BOOT_TARGET] = { "boot-target", "3.13, 9.3",
			    "without boot_target_online (6.1) the boot CPU's target is never set "
			    "at boot: it reads 0 until an operation moves it" },
	[R_TARGET_EQUAL] = { "target-equal", "6.3, 9.3",
			     "without target_equal_nop (6.1) writing an online CPU's own state to "
			     "its target runs an empty walk down: the CPU stays ONLINE in the "
			     "dying mask" },
};

/* What the records of the running operation say about one CPU. */
struct facts {
	long first_fail; /* record index, -1 if none */
	long rb_fail;    /* first failure while rolling back */
	bool nofail_fail;
	bool any;
};

static bool is_walk(const struct cpuhp_ledger *l)
{
	return l->kind == LEDGER_OP_UP || l->kind == LEDGER_OP_DOWN;
}

static bool atomic_section(const struct cpuhp *hp, int state)
{
	return state > hp->b.bringup_cpu && state < hp->b.teardown_cpu;
}

/*
 * Does a failed call count as done?  Rule "nofail": a STARTING/DYING error in
 * a walk, when the walk goes on.  Rule "bringup-bubble": BRINGUP_CPU failing
 * once the AP moved the state past it.
 */
bool cpuhp__ledger_counts_done(struct cpuhp *hp, const struct cpuhp_ledger *l,
			       const struct cpuhp_ledger_record *r)
{
	if (!l->op_depth || !is_walk(l))
		return false;
	if (atomic_section(hp, r->state))
		return true; /* "nofail", or "nofail-abort" (see cpuhp__ledger_abandon) */
	return r->bringup && r->state == hp->b.bringup_cpu && !r->injected &&
	       st_state(cpuhp__cpu(hp, r->cpu)) > hp->b.bringup_cpu;
}

/*
 * BRINGUP_CPU's record starts before the AP's walk it contains, so an error
 * that bubbled up through it (rule "bringup-bubble") is not the original
 * failure when the AP's records show one.
 */
static bool bubbled(const struct cpuhp *hp, const struct cpuhp_ledger_record *r)
{
	return r->bringup && r->state == hp->b.bringup_cpu && !r->injected;
}

/*
 * Rule "mi-swallow": without mi_error_fix, an instance failing after others
 * succeeded, where the invoker undoes them in place (control-side states and
 * STARTING/DYING walks), returns the undo's 0: to the walk it never failed.
 */
static bool swallowed(struct cpuhp *hp, const struct cpuhp_ledger_record *r)
{
	/* Without the opposite callback nothing is undone: the error stays. */
	return !hp->declared.mi_error_fix && r->instance > 0 &&
	       r->state < hp->b.ap_online_idle &&
	       !cpuhp__step_empty(cpuhp__step(hp, r->state), !r->bringup);
}

/*
 * An instance undo (spec 3.3 step 5) is part of the invocation that failed:
 * the earlier failing record of the same CPU and state in the other
 * direction, or -1.
 */
static long undo_of(const struct cpuhp_ledger *l, size_t i)
{
	const struct cpuhp_ledger_record *r = &l->rec[i];
	size_t j;

	if (r->instance < 0)
		return -1;
	for (j = i; j-- > l->first;) {
		const struct cpuhp_ledger_record *o = &l->rec[j];

		if (o->cpu != r->cpu || o->state != r->state)
			return -1;
		if (o->bringup != r->bringup && o->result && o->instance > r->instance)
			return (long)j;
	}
	return -1;
}

/**
 * cpuhp__ledger_effect - what a finished record does to the live set
 * @hp: the machine
 * @l:  the ledger
 * @i:  the record
 *
 * Return: EFFECT_CALL (a completed call: pair it), EFFECT_FAILED (it did
 * not complete: nothing changes), EFFECT_STATE (rules "nofail",
 * "nofail-abort", "mi-swallow", "bringup-bubble": the walk takes the whole
 * state, every instance, as done in the record's direction) or EFFECT_NONE
 * (the in-place undo of such a failure, which the walk never sees).
 */
enum ledger_effect cpuhp__ledger_effect(struct cpuhp *hp, const struct cpuhp_ledger *l,
					size_t i)
{
	const struct cpuhp_ledger_record *r = &l->rec[i];
	long o = undo_of(l, i);

	if (o >= 0 && !hp->declared.mi_error_fix && l->rec[o].instance > 0 &&
	    r->state < hp->b.ap_online_idle)
		return EFFECT_NONE;
	if (o >= 0 && cpuhp__ledger_counts_done(hp, l, &l->rec[o]))
		return EFFECT_NONE;
	if (!r->result)
		return EFFECT_CALL;
	if (l->op_depth && swallowed(hp, r))
		return EFFECT_STATE;
	return cpuhp__ledger_counts_done(hp, l, r) ? EFFECT_STATE : EFFECT_FAILED;
}

static void gather(struct cpuhp *hp, const struct cpuhp_ledger *l, unsigned int cpu,
		   struct facts *f)
{
	long bringup = -1;
	size_t i;

	memset(f, 0, sizeof(*f));
	f->first_fail = f->rb_fail = -1;
	for (i = l->first; i < l->nr; i++) {
		const struct cpuhp_ledger_record *r = &l->rec[i];

		if (r->cpu != cpu)
			continue;
		f->any = true;
		if (!r->result || swallowed(hp, r))
			continue;
		if (is_walk(l) && atomic_section(hp, r->state)) {
			f->nofail_fail = true;
			continue;
		}
		if (f->first_fail < 0 && bringup < 0 && bubbled(hp, r))
			bringup = (long)i;
		else if (f->first_fail < 0)
			f->first_fail = undo_of(l, i) >= 0 ? undo_of(l, i) : (long)i;
		else if (r->rollback && f->rb_fail < 0)
			f->rb_fail = (long)i;
	}
	if (f->first_fail < 0)
		f->first_fail = bringup;
}

/* Rule "failed-call": did the last invocation of (cpu, state, node) fail? */
static bool last_call_failed(const struct cpuhp_ledger *l,
			     const struct cpuhp_node **nodes, unsigned int cpu, int state,
			     const struct cpuhp_node *node, bool any_node)
{
	size_t i;

	for (i = l->nr; i-- > l->first;) {
		const struct cpuhp_ledger_record *r = &l->rec[i];

		if (r->cpu == cpu && r->state == state && (any_node || nodes[i] == node))
			return r->result != 0;
	}
	return false;
}

/* A failed call of the running operation on @cpu at @state (-1: any). */
static bool any_failure_of(const struct cpuhp_ledger *l, unsigned int cpu, int state)
{
	size_t i;

	for (i = l->first; i < l->nr; i++)
		if (l->rec[i].cpu == cpu && (state < 0 || l->rec[i].state == state) &&
		    l->rec[i].result)
			return true;
	return false;
}

/* Which rule, if any, excuses (cpu, state, node) from the live-set check. */
static int leftover_rule(const struct cpuhp *hp, const struct cpuhp_ledger *l, bool in_op,
			 const struct facts *f, unsigned int cpu, int state,
			 const struct cpuhp_node *node)
{
	if (!in_op)
		return -1;
	if (last_call_failed(l, l->nodes, cpu, state, node, false))
		return R_FAILED_CALL;
	if (f->nofail_fail && !hp->declared.nofail_continue && atomic_section(hp, state))
		return R_NOFAIL_ABORT;
	/* Only where the invoker undoes in place: not ONLINE, which has the bookmark. */
	if (node && !hp->declared.mi_error_fix && state < hp->b.ap_online_idle &&
	    any_failure_of(l, cpu, state))
		return R_MI_SWALLOW;
	/* "rollback-stop" inside a multi-instance state: the rest were not called. */
	if (node && f->rb_fail >= 0 && l->rec[f->rb_fail].state == state &&
	    l->rec[f->rb_fail].instance >= 0)
		return R_ROLLBACK_STOP;
	return -1;
}

static bool node_listed(const struct cpuhp_step *sp, const struct cpuhp_node *node)
{
	const struct cpuhp_node *n;

	for (n = sp->list; n; n = n->next)
		if (n == node)
			return true;
	return false;
}

/* Entries of states removed or instances unlinked without calls are gone. */
static void drop_stale(struct cpuhp *hp, struct cpu_book *b)
{
	size_t i = 0;

	while (i < b->nr) {
		const struct cpuhp_step *sp = cpuhp__step(hp, b->live[i].state);

		if (cpuhp__step_empty(sp, true) ||
		    !sp->multi_instance != !b->live[i].node ||
		    (b->live[i].node && !node_listed(sp, b->live[i].node)))
			b->live[i] = b->live[--b->nr];
		else
			i++;
	}
}

static unsigned int check_live_one(struct cpuhp *hp, struct cpuhp_ledger *l, bool in_op,
				   const struct facts *f, unsigned int cpu, int s,
				   const struct cpuhp_node *node)
{
	struct cpu_book *b = &l->cpus[cpu];
	const struct cpuhp_step *sp = cpuhp__step(hp, s);
	int st = st_state(cpuhp__cpu(hp, cpu));
	bool want = cpuhp_cpu_present(hp, cpu) && s <= st;
	bool have = cpuhp__ledger_is_live(b, s, node, NULL);

	if (want == have)
		return 0;
	/* Rule "one-direction": startup-only states are dropped, not torn down. */
	if (have && cpuhp__step_empty(sp, false)) {
		cpuhp__ledger_set_live(b, s, node, false);
		return 0;
	}
	if (leftover_rule(hp, l, in_op, f, cpu, s, node) >= 0)
		return 0;
	cpuhp__ledger_violate(
		l, CPUHP_LV_LEFTOVER, cpu, s,
		have ? "CPU %u at state %d: state %d (%s)%s is still started, no teardown ran" :
		       "CPU %u at state %d: state %d (%s)%s was never started",
		cpu, st, s, cpuhp__ledger_label(hp, s), node ? " instance" : "");
	/* Report once: follow the machine from here. */
	cpuhp__ledger_set_live(b, s, node, want);
	return 1;
}

static unsigned int check_live(struct cpuhp *hp, struct cpuhp_ledger *l, bool in_op,
			       const struct facts *f, unsigned int cpu)
{
	unsigned int n = 0;
	int s;

	drop_stale(hp, &l->cpus[cpu]);
	for (s = hp->b.offline + 1; s < hp->b.online; s++) {
		const struct cpuhp_step *sp = cpuhp__step(hp, s);
		const struct cpuhp_node *node;

		/* Rule "one-direction": teardown-only states are never started. */
		if (cpuhp__step_empty(sp, true))
			continue;
		if (!sp->multi_instance) {
			n += check_live_one(hp, l, in_op, f, cpu, s, NULL);
			continue;
		}
		for (node = sp->list; node; node = node->next)
			n += check_live_one(hp, l, in_op, f, cpu, s, node);
	}
	return n;
}

/* Rule "boot-target". */
static bool boot_target_unset(const struct cpuhp *hp, unsigned int cpu, int target)
{
	return cpu == 0 && !hp->declared.boot_target_online && target == hp->b.offline;
}

/*
 * Between operations a CPU's target is its state (spec 2: a walk ends when
 * state reaches target; a rollback resets the target to where it goes back
 * to, 3.10), unless a failure the spec WARNs about stopped the walk
 * elsewhere (rules "rollback-stop", "dead-failure", "no-hotplug-cpu").
 */
static unsigned int check_target(struct cpuhp *hp, struct cpuhp_ledger *l,
				 unsigned int cpu, int st)
{
	int target = st_target(cpuhp__cpu(hp, cpu));

	if (target == st || boot_target_unset(hp, cpu, target) || l->cpus[cpu].stopped)
		return 0;
	cpuhp__ledger_violate(l, CPUHP_LV_MASK, cpu, st,
			      "CPU %u at state %d has target %d", cpu, st, target);
	return 1;
}

static unsigned int check_masks(struct cpuhp *hp, struct cpuhp_ledger *l, bool in_op,
				unsigned int cpu)
{
	int st = st_state(cpuhp__cpu(hp, cpu));
	bool online = cpuhp_cpu_online(hp, cpu), active = cpuhp_cpu_active(hp, cpu);
	unsigned int n = check_target(hp, l, cpu, st);

	/*
	 * Only a walk down puts a CPU in the dying mask and a walk up takes it
	 * out (spec 3.11): a CPU at ONLINE, with nothing above it to walk down
	 * from, got there by a walk up (except by rule "target-equal").
	 */
	if (st == hp->b.online && cpuhp_cpu_dying(hp, cpu) &&
	    hp->declared.target_equal_nop) {
		cpuhp__ledger_violate(l, CPUHP_LV_MASK, cpu, st,
				      "CPU %u at ONLINE is in the dying mask", cpu);
		n++;
	}

	if (online != (st >= hp->b.teardown_cpu) &&
	    !(in_op &&
	      last_call_failed(l, l->nodes, cpu, hp->b.teardown_cpu, NULL, true))) {
		cpuhp__ledger_violate(l, CPUHP_LV_MASK, cpu, st,
				      "CPU %u at state %d is %sin the online mask", cpu,
				      st, online ? "" : "not ");
		n++;
	}
	if (active != (st >= hp->b.ap_active) &&
	    !(in_op && last_call_failed(l, l->nodes, cpu, hp->b.ap_active, NULL, true))) {
		cpuhp__ledger_violate(l, CPUHP_LV_MASK, cpu, st,
				      "CPU %u at state %d is %sin the active mask", cpu,
				      st, active ? "" : "not ");
		n++;
	}
	return n;
}

static unsigned int check_count(struct cpuhp *hp, struct cpuhp_ledger *l)
{
	unsigned int c, n = 0;

	for (c = 0; c < hp->nr_possible; c++)
		n += cpuhp_cpu_online(hp, c);
	if (n == cpuhp_num_online(hp))
		return 0;
	cpuhp__ledger_violate(l, CPUHP_LV_MASK, 0, -1,
			      "%u CPUs in the online mask, count says %u", n,
			      cpuhp_num_online(hp));
	return 1;
}

/* Where a walk must end (spec 3.9), and which rule says so. */
static int expected_end(struct cpuhp *hp, const struct cpuhp_ledger *l,
			const struct facts *f, int ret, int *rule)
{
	const struct cpuhp_bounds *b = &hp->b;
	const struct cpuhp_ledger_record *r;

	*rule = -1;
	if (!ret) {
		if (l->kind == LEDGER_OP_DOWN || l->prev >= l->state)
			return l->kind == LEDGER_OP_DOWN ? l->state : l->prev;
		if (l->state > b->bringup_cpu && l->state < b->ap_online_idle) {
			*rule = R_STARTING_TARGET;
			return b->ap_online_idle;
		}
		return l->state;
	}
	if (f->first_fail < 0)
		return l->prev;
	if (f->rb_fail >= 0) {
		r = &l->rec[f->rb_fail];
		*rule = R_ROLLBACK_STOP;
		return r->bringup ? r->state : r->state - 1;
	}
	r = &l->rec[f->first_fail];
	if (l->kind == LEDGER_OP_DOWN && !r->bringup && r->state <= b->bringup_cpu) {
		*rule = R_DEAD_FAILURE;
		return b->ap_online_idle;
	}
	if (l->kind == LEDGER_OP_UP && !hp->declared.hotplug_cpu &&
	    !hp->declared.rollback_on_control && cpuhp_cpu_online(hp, l->cpu)) {
		*rule = R_NO_HOTPLUG_CPU;
		return r->state > b->teardown_cpu ? b->ap_online_idle : b->teardown_cpu;
	}
	return l->prev;
}

static unsigned int check_end(struct cpuhp *hp, struct cpuhp_ledger *l,
			      const struct facts *f, int ret)
{
	struct cpuhp_cpu *st = cpuhp__cpu(hp, l->cpu);
	int rule, want = expected_end(hp, l, f, ret, &rule);
	bool dying;

	l->cpus[l->cpu].stopped = rule == R_ROLLBACK_STOP || rule == R_DEAD_FAILURE ||
				  rule == R_NO_HOTPLUG_CPU;
	l->cpus[l->cpu].failed = ret != 0;

	if (st_state(st) != want) {
		cpuhp__ledger_violate(
			l, CPUHP_LV_END, l->cpu, st_state(st),
			"CPU %u %s to %d from %d returned %d and ended at state %d; the spec says %d%s%s",
			l->cpu, l->kind == LEDGER_OP_UP ? "up" : "down", l->state,
			l->prev, ret, st_state(st), want, rule >= 0 ? " by rule " : "",
			rule >= 0 ? rules[rule].name : "");
		return 1;
	}
	if (!f->any)
		return 0;
	/* Dying = the last walk went down (spec 3.11, rule 13). */
	dying = ret ? l->kind == LEDGER_OP_UP : l->kind == LEDGER_OP_DOWN;
	if (cpuhp_cpu_dying(hp, l->cpu) != dying) {
		cpuhp__ledger_violate(l, CPUHP_LV_MASK, l->cpu, st_state(st),
				      "CPU %u is %sin the dying mask after a %s %s",
				      l->cpu, dying ? "not " : "",
				      ret ? "failed" : "successful",
				      l->kind == LEDGER_OP_UP ? "bring-up" : "teardown");
		return 1;
	}
	return 0;
}

/* Rule "must-not-fail": is a failure of this record WARNed by the spec? */
static bool warned_failure(const struct cpuhp *hp, const struct cpuhp_ledger *l,
			   const struct cpuhp_ledger_record *r)
{
	if (!r->result)
		return false;
	if (!is_walk(l))
		return !r->bringup || atomic_section(hp, r->state);
	if (r->rollback)
		return true;
	if (atomic_section(hp, r->state))
		return !hp->declared.nofail_continue;
	return !r->bringup && r->state <= hp->b.bringup_cpu;
}

static unsigned int check_warn(struct cpuhp *hp, struct cpuhp_ledger *l)
{
	unsigned long w = cpuhp_warn_count(hp) - l->warn0;
	size_t i;

	if (!w)
		return 0;
	for (i = l->first; i < l->nr; i++)
		if (warned_failure(hp, l, &l->rec[i]))
			return 0;
	cpuhp__ledger_violate(l, CPUHP_LV_WARN, l->cpu, -1,
			      "%lu WARN%s in an operation where no rule expects one", w,
			      w > 1 ? "s" : "");
	return 1;
}

static unsigned int check_trace(struct cpuhp_ledger *l)
{
	unsigned int i, n = 0;

	for (i = 0; i < l->nr_tasks; i++) {
		if (!l->tasks[i].depth)
			continue;
		cpuhp__ledger_violate(l, CPUHP_LV_TRACE, l->cpu, -1,
				      "trace: task %d has %u enter event%s without exit",
				      l->tasks[i].pid, l->tasks[i].depth,
				      l->tasks[i].depth > 1 ? "s" : "");
		l->tasks[i].depth = 0;
		n++;
	}
	return n;
}

/**
 * cpuhp__ledger_adopt - count states as started without their startup
 * @hp:           the machine
 * @l:            the ledger
 * @cpu:          the CPU
 * @state_filter: only this state, or -1 for all
 * @node_filter:  only this instance (multi-instance), or NULL for all
 *
 * Rule "no-calls" and the ledger's start: the CPU's state says they are up.
 */
void cpuhp__ledger_adopt(struct cpuhp *hp, struct cpuhp_ledger *l, unsigned int cpu,
			 int state_filter, const struct cpuhp_node *node_filter)
{
	int s, st = st_state(cpuhp__cpu(hp, cpu));
	const struct cpuhp_node *n;

	if (!cpuhp_cpu_present(hp, cpu))
		return;
	for (s = hp->b.offline + 1; s <= st && s < hp->b.online; s++) {
		const struct cpuhp_step *sp = cpuhp__step(hp, s);

		if ((state_filter >= 0 && s != state_filter) ||
		    cpuhp__step_empty(sp, true))
			continue;
		if (!sp->multi_instance) {
			cpuhp__ledger_set_live(&l->cpus[cpu], s, NULL, true);
			continue;
		}
		for (n = sp->list; n; n = n->next)
			if (!node_filter || n == node_filter)
				cpuhp__ledger_set_live(&l->cpus[cpu], s, n, true);
	}
}

/* The state an install or removal worked on: a dynamic request's slot. */
static int op_state(const struct cpuhp_ledger *l, int ret)
{
	if (l->kind == LEDGER_OP_SETUP && ret > 0)
		return ret;
	return l->nr > l->first ? l->rec[l->first].state : l->state;
}

/*
 * After a failed install, a removal or an instance removal with calls, the
 * (state, instance) must be started nowhere, except where its last call
 * failed.  Removals without calls hand it over (rule "no-calls").
 */
static void check_gone(struct cpuhp *hp, struct cpuhp_ledger *l, int state)
{
	const struct cpuhp_node *node = l->node;
	unsigned int c;

	for (c = 0; c < hp->nr_possible; c++) {
		if (!cpuhp__ledger_is_live(&l->cpus[c], state, node, NULL) ||
		    last_call_failed(l, l->nodes, c, state, node, false))
			continue;
		/* Rule "one-direction": a startup-only state is dropped, not torn down. */
		if (l->startup_only) {
			cpuhp__ledger_set_live(&l->cpus[c], state, node, false);
			continue;
		}
		cpuhp__ledger_violate(
			l, CPUHP_LV_LEFTOVER, c, state,
			"CPU %u: state %d (%s)%s still started after %s", c, state,
			cpuhp__ledger_label(hp, state), node ? " instance" : "",
			l->kind == LEDGER_OP_SETUP || l->kind == LEDGER_OP_ADD_INSTANCE ?
				"the failed install was rolled back" :
				"its removal");
		cpuhp__ledger_set_live(&l->cpus[c], state, node, false);
	}
}

/*
 * Rule "no-calls": may an install with no calls hand its started states over
 * to the caller?  Yes for a request without calls, a state without a startup
 * and a multi-instance setup (its instances make the calls); and for a
 * PREPARE_DYN setup where the declared kernel predates the 2024 fix (spec
 * 4.2).  Any other install with calls must make them.
 */
static bool may_skip_calls(struct cpuhp *hp, const struct cpuhp_ledger *l, int state)
{
	const struct cpuhp_step *sp = cpuhp__step(hp, state);

	if (!l->invoke || cpuhp__step_empty(sp, true))
		return true;
	if (l->kind != LEDGER_OP_SETUP)
		return false;
	return sp->multi_instance ||
	       (l->state == hp->b.prepare_dyn && !hp->declared.prepare_dyn_invokes);
}

/*
 * Installs and removals: every CPU; an install without calls is adopted
 * where rule "no-calls" allows it, else its CPUs above the state read as
 * missing the startup.
 */
static void check_install(struct cpuhp *hp, struct cpuhp_ledger *l, int ret)
{
	bool install = l->kind == LEDGER_OP_SETUP || l->kind == LEDGER_OP_ADD_INSTANCE;
	bool calls = l->nr > l->first;
	int state = op_state(l, ret);
	struct facts f;
	unsigned int c;

	if ((install && ret < 0) || (!install && l->invoke))
		check_gone(hp, l, state);
	for (c = 0; c < hp->nr_possible; c++) {
		if (install && ret >= 0 && !calls && may_skip_calls(hp, l, state))
			cpuhp__ledger_adopt(hp, l, c, state, l->node);
		gather(hp, l, c, &f);
		if (any_failure_of(l, c, -1))
			l->cpus[c].failed = true; /* see cpuhp__ledger_check_all */
		check_live(hp, l, true, &f, c);
	}
}

/**
 * cpuhp__ledger_abandon - rule "nofail-abort": the rest of the section
 * @hp: the machine
 * @l:  the ledger
 * @r:  a failed STARTING/DYING call of a walk, without nofail_continue
 *
 * 6.1 ends the section at the error but the CPU goes on to its end state:
 * the states the walk skipped count as what that state says (started going
 * up, gone going down), so their later calls do not read as double.
 */
void cpuhp__ledger_abandon(struct cpuhp *hp, struct cpuhp_ledger *l,
			   const struct cpuhp_ledger_record *r)
{
	struct cpu_book *b = &l->cpus[r->cpu];
	const struct cpuhp_node *n;
	int s;

	if (hp->declared.nofail_continue || !l->op_depth || !is_walk(l) ||
	    !atomic_section(hp, r->state))
		return;
	for (s = r->bringup ? r->state + 1 : hp->b.ap_offline + 1;
	     s < (r->bringup ? hp->b.teardown_cpu : r->state); s++) {
		const struct cpuhp_step *sp = cpuhp__step(hp, s);

		if (cpuhp__step_empty(sp, true))
			continue;
		if (!sp->multi_instance)
			cpuhp__ledger_set_live(b, s, NULL, r->bringup);
		for (n = sp->multi_instance ? sp->list : NULL; n; n = n->next)
			cpuhp__ledger_set_live(b, s, n, r->bringup);
	}
}

/*
 * Spec 6.4: a hotplug/fail value fires once and resets to -1.  A CPU whose
 * armed value fired during the operation (an injected record of that state)
 * must not still name that state.
 */
static void check_fail_once(struct cpuhp *hp, struct cpuhp_ledger *l)
{
	size_t i;

	for (i = l->first; i < l->nr; i++) {
		const struct cpuhp_ledger_record *r = &l->rec[i];

		if (!r->injected ||
		    atomic_load_explicit(&cpuhp__cpu(hp, r->cpu)->fail,
					 memory_order_relaxed) != r->state)
			continue;
		cpuhp__ledger_violate(
			l, CPUHP_LV_FAIL_ONCE, r->cpu, r->state,
			"CPU %u: hotplug/fail %d fired and is still armed: it "
			"fires once",
			r->cpu, r->state);
		return;
	}
}

/*
 * Spec 4.2, 4.4, 4.5: the nocalls variants only change the tables; no
 * callback runs on any CPU.
 */
static void check_no_calls(struct cpuhp *hp, struct cpuhp_ledger *l)
{
	const struct cpuhp_ledger_record *r = &l->rec[l->first];

	if (is_walk(l) || l->invoke || l->nr == l->first)
		return;
	cpuhp__ledger_violate(
		l, CPUHP_LV_NO_CALLS, r->cpu, r->state,
		"%zu callback(s) ran in an operation without calls, the first "
		"CPU %u state %d (%s) %s",
		l->nr - l->first, r->cpu, r->state, cpuhp__ledger_label(hp, r->state),
		r->bringup ? "startup" : "teardown");
}

/*
 * Spec 4.4, 4.5: an instance is on its state's list exactly when its add
 * succeeded and it was not removed since: a failed add leaves it off (every
 * CPU it started on was undone), a removal takes it off.
 */
static void check_instance_list(struct cpuhp *hp, struct cpuhp_ledger *l, int ret)
{
	bool listed, want;

	if ((l->kind != LEDGER_OP_ADD_INSTANCE && l->kind != LEDGER_OP_REMOVE_INSTANCE) ||
	    !l->node)
		return;
	listed = node_listed(cpuhp__step(hp, l->state), l->node);
	want = l->kind == LEDGER_OP_ADD_INSTANCE ? ret == 0 : ret != 0;
	if (listed == want)
		return;
	cpuhp__ledger_violate(l, CPUHP_LV_INSTANCE, 0, l->state,
			      "state %d (%s): the instance is %s its list after %s %s",
			      l->state, cpuhp__ledger_label(hp, l->state),
			      listed ? "still on" : "not on",
			      ret ? "a failed" : "a successful",
			      l->kind == LEDGER_OP_ADD_INSTANCE ? "add" : "removal");
}

void cpuhp__ledger_check_op(struct cpuhp *hp, struct cpuhp_ledger *l, int ret)
{
	struct facts f;

	if (is_walk(l)) {
		gather(hp, l, l->cpu, &f);
		check_end(hp, l, &f, ret);
		check_live(hp, l, true, &f, l->cpu);
		check_masks(hp, l, true, l->cpu);
		check_count(hp, l);
	} else {
		check_install(hp, l, ret);
		check_no_calls(hp, l);
		check_instance_list(hp, l, ret);
	}
	check_fail_once(hp, l);
	check_warn(hp, l);
	check_trace(l);
}

unsigned int cpuhp__ledger_check_all(struct cpuhp *hp, struct cpuhp_ledger *l)
{
	size_t before = l->nv;
	struct facts f;
	unsigned int c;

	memset(&f, 0, sizeof(f));
	for (c = 0; c < hp->nr_possible; c++) {
		/*
		 * A walk a WARN rule stopped (or one that failed) left its CPU
		 * where only that walk's records explain it; its own check
		 * judged it with them.
		 */
		if (l->cpus[c].stopped)
			continue;
		if (!l->cpus[c].failed)
			check_live(hp, l, false, &f, c);
		check_masks(hp, l, false, c);
	}
	check_count(hp, l);
	return (unsigned int)(l->nv - before);
}

/**
 * cpuhp__ledger_rule - one entry of the rule table, for documentation
 * @i:    index
 * @name: receives the rule's name
 * @spec: receives the spec sections
 * @text: receives the rule
 *
 * Return: false past the end.
 */
bool cpuhp__ledger_rule(unsigned int i, const char **name, const char **spec,
			const char **text)
{
	if (i >= NR_RULES)
		return false;
	*name = rules[i].name;
	*spec = rules[i].spec;
	*text = rules[i].text;
	return true;
}
