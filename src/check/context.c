// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * context.c - the execution-context checker: which thread, atomic or not,
 * each callback must run in (spec 1.2, rules 2, 5, 6, 19), and what happens
 * when one does not.
 *
 * The check runs on every callback, so it is a handful of compares against
 * the thread context the walker loads anyway.  A violation is counted,
 * logged at LOG_ERR, marked in the trace and given to the ledger if it is on.
 */
#include <stdio.h>

#include <cpuhp/ledger.h>

#include "check/check.h"
#include "machine/log.h"
#include "trace/trace.h"

/*
 * The rule table (docs/explore.md prints it).  A section's expected context
 * is the thread context value the machine sets where the kernel would run
 * the callback: CONTROL = the thread that called the operation; AP = the
 * CPU's own "cpuhp/N" thread, preemptible; STARTING = the CPU's own thread
 * in its low-level boot path, signals blocked; DYING = the outgoing CPU's
 * thread inside the stop-machine rendezvous (or, for a removal, its hotplug
 * thread with signals blocked), signals blocked.
 */
enum section {
	SEC_PREPARE,   /* OFFLINE+1 .. BRINGUP_CPU */
	SEC_ATOMIC,    /* BRINGUP_CPU+1 .. AP_ONLINE-1 */
	SEC_AP_ONLINE, /* AP_ONLINE itself: walked atomic, installed preemptible */
	SEC_TEARDOWN,  /* TEARDOWN_CPU */
	SEC_ONLINE,    /* AP_ONLINE_IDLE .. ONLINE */
};

static enum section section_of(const struct cpuhp_bounds *b, int state)
{
	if (state <= b->bringup_cpu)
		return SEC_PREPARE;
	if (state < b->ap_online)
		return SEC_ATOMIC;
	if (state == b->ap_online)
		return SEC_AP_ONLINE;
	if (state == b->teardown_cpu)
		return SEC_TEARDOWN;
	return SEC_ONLINE;
}

/**
 * cpuhp__context_ok - does the calling thread's context fit the rule?
 * @hp:      the machine
 * @t:       the calling thread's context, inside cb_enter()
 * @cpu:     the CPU the callback is for
 * @state:   the state
 * @bringup: direction
 *
 * Return: true if the rule holds.
 */
bool cpuhp__context_ok(const struct cpuhp *hp, const struct cpuhp_tctx *t,
		       unsigned int cpu, int state, bool bringup)
{
	const struct cpuhp_bounds *b = &hp->b;

	/* PREPARE and TEARDOWN_CPU: the control thread. */
	if (state <= b->bringup_cpu || state == b->teardown_cpu)
		return t->ctx == CPUHP_CTX_CONTROL;
	/*
	 * linux backend: the real CPU is gone, so its ONLINE section runs on
	 * the control thread after the fact, like DEAD callbacks (docs/host.md).
	 */
	if (state > b->teardown_cpu && t->ctx == CPUHP_CTX_CONTROL &&
	    atomic_load_explicit(&hp->cpus[cpu].host_gone, memory_order_relaxed))
		return true;
	/* Everything else runs on the CPU's own thread. */
	if (t->ctx == CPUHP_CTX_CONTROL || t->cpu != (int)cpu)
		return false;
	if (state > b->teardown_cpu)
		return t->ctx == CPUHP_CTX_AP && !t->atomic;
	if (state == b->ap_online)
		return true;
	/*
	 * STARTING/DYING: the CPU's own thread with signals blocked.  Either
	 * direction may run in either path: a multi-instance failure there is
	 * undone in place (spec 3.3 step 5), e.g. a teardown in the boot path.
	 */
	(void)bringup;
	return t->atomic && (t->ctx == CPUHP_CTX_STARTING || t->ctx == CPUHP_CTX_DYING);
}

/*
 * The states that cpuhp__context_ok() treats alike: one branch of its rule,
 * the same answer for every state of the span (for one thread context and
 * CPU).  Keep the two in step when a rule changes.
 */
static void rule_span(const struct cpuhp_bounds *b, int state, int *lo, int *hi)
{
	if (state <= b->bringup_cpu) {
		*lo = b->offline;
		*hi = b->bringup_cpu;
	} else if (state == b->teardown_cpu || state == b->ap_online) {
		*lo = state;
		*hi = state;
	} else if (state > b->teardown_cpu) {
		/* (The max and min only matter for a model in an odd order.) */
		*lo = (b->teardown_cpu > b->bringup_cpu ? b->teardown_cpu :
							  b->bringup_cpu) +
		      1;
		*hi = b->online;
	} else if (state < b->ap_online) {
		*lo = b->bringup_cpu + 1;
		*hi = (b->ap_online < b->teardown_cpu ? b->ap_online : b->teardown_cpu) -
		      1;
	} else {
		*lo = b->ap_online + 1;
		*hi = b->teardown_cpu - 1;
	}
}

/**
 * cpuhp__context_check - check one callback's context, report a violation
 * @hp:      the machine
 * @t:       the calling thread's context, inside the callback's cb_enter
 * @cpu:     the CPU the callback is for
 * @state:   the state
 * @bringup: direction
 * @lo:      receives the first state the same verdict holds for
 * @hi:      receives the last one
 *
 * The walker runs this once per section of a walk: as long as the thread
 * context stays the same (it does for a whole walk), every state in
 * @lo .. @hi passes as @state did, so the walker only compares the state.
 *
 * Return: true if the rule holds (@lo and @hi set); false after reporting
 *         the violation (or excusing it, see cpuhp__context_violation()).
 */
bool cpuhp__context_check(struct cpuhp *hp, const struct cpuhp_tctx *t, unsigned int cpu,
			  int state, bool bringup, int *lo, int *hi)
{
	if (!cpuhp__context_ok(hp, t, cpu, state, bringup)) {
		cpuhp__context_violation(hp, t, cpu, state, bringup);
		return false;
	}
	rule_span(&hp->b, state, lo, hi);
	return true;
}

const char *cpuhp__context_name(enum cpuhp_context ctx)
{
	static const char *const names[] = {
		[CPUHP_CTX_NONE] = "no callback",  [CPUHP_CTX_CONTROL] = "control",
		[CPUHP_CTX_AP] = "hotplug-thread", [CPUHP_CTX_STARTING] = "starting",
		[CPUHP_CTX_DYING] = "dying",
	};

	return (unsigned int)ctx < sizeof(names) / sizeof(names[0]) ? names[ctx] : "?";
}

static const char *wanted(const struct cpuhp *hp, int state, bool bringup)
{
	switch (section_of(&hp->b, state)) {
	case SEC_PREPARE:
		return bringup ? "the control thread (PREPARE startup)" :
				 "the control thread (DEAD teardown)";
	case SEC_ATOMIC:
		return bringup ?
			       "the CPU's own thread, atomic (STARTING)" :
			       "the outgoing CPU's thread, atomic (DYING, inside the rendezvous)";
	case SEC_AP_ONLINE:
		return "the CPU's own thread";
	case SEC_TEARDOWN:
		return "the control thread (takedown)";
	case SEC_ONLINE:
		break;
	}
	return "the CPU's cpuhp/N thread, preemptible (ONLINE)";
}

/**
 * cpuhp__context_violation - report a callback running in the wrong context
 * (unless the early-boot rule excuses it)
 * @hp:      the machine
 * @t:       the calling thread's context
 * @cpu:     the CPU the callback is for
 * @state:   the state
 * @bringup: direction
 */
void cpuhp__context_violation(struct cpuhp *hp, const struct cpuhp_tctx *t,
			      unsigned int cpu, int state, bool bringup)
{
	char who[32], msg[240];

	/*
	 * Early boot (spec 3.6): before a CPU has its hotplug thread, an install
	 * for it runs on the caller, which then is that CPU (the boot task).
	 */
	if (t->ctx == CPUHP_CTX_CONTROL && !hp->cpus[cpu].has_thread)
		return;
	atomic_fetch_add_explicit(&hp->ctx_violations, 1, memory_order_relaxed);
	if (t->ctx == CPUHP_CTX_CONTROL)
		snprintf(who, sizeof(who), "the control thread");
	else
		snprintf(who, sizeof(who), "cpuhp/%d", t->cpu);
	snprintf(
		msg, sizeof(msg),
		"context violation: CPU %u state %d (%s) %s ran on %s in %s context%s; the spec wants %s",
		cpu, state, cpuhp__state_label(hp, state),
		bringup ? "startup" : "teardown", who, cpuhp__context_name(t->ctx),
		t->atomic ? ", atomic" : ", preemptible", wanted(hp, state, bringup));
	cpuhp_err(hp, "%s", msg);
	cpuhp__trace_mark(hp, cpu, msg);
	if (cpuhp__ledger(hp))
		cpuhp__ledger_context(hp, cpu, state, msg);
}

unsigned long cpuhp_context_violations(const struct cpuhp *hp)
{
	return hp ? atomic_load_explicit(&hp->ctx_violations, memory_order_relaxed) : 0;
}
