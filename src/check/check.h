/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * check.h - the checks the walker calls as it goes: the context rules
 * (context.c) and the invariant ledger (ledger.c, ledger-check.c).  Both
 * watch the walk; neither moves a CPU's state.
 */
#ifndef CPUHP_CHECK_H
#define CPUHP_CHECK_H

#include <stddef.h>

#include "exec/exec.h"

/* -------- context checker (context.c) -------- */

/* Called by the walker, in the callback path; see context.c for the rules. */
bool cpuhp__context_ok(const struct cpuhp *hp, const struct cpuhp_tctx *t,
		       unsigned int cpu, int state, bool bringup);
void cpuhp__context_violation(struct cpuhp *hp, const struct cpuhp_tctx *t,
			      unsigned int cpu, int state, bool bringup);
bool cpuhp__context_check(struct cpuhp *hp, const struct cpuhp_tctx *t, unsigned int cpu,
			  int state, bool bringup, int *lo, int *hi);
const char *cpuhp__context_name(enum cpuhp_context ctx);

/* One callback call as the ledger records it (walker.c drives it). */
struct cpuhp_ledger_call {
	size_t rec; /* the call's record, (size_t)-1 when not recorded */
	int ret;    /* the result when the fault plan decided instead */
};
bool cpuhp__ledger_call_begin(struct cpuhp *hp, struct cpuhp_cpu *st, int state,
			      bool bringup, struct cpuhp_node *node,
			      struct cpuhp_ledger_call *c);
void cpuhp__ledger_call_end(struct cpuhp *hp, const struct cpuhp_ledger_call *c,
			    struct cpuhp_node *node, int ret);
void cpuhp__ledger_injected(struct cpuhp *hp, struct cpuhp_cpu *st, int state,
			    bool bringup);
void cpuhp__ledger_context(struct cpuhp *hp, unsigned int cpu, int state,
			   const char *msg);

/* -------- invariant ledger (ledger.c) -------- */

/* Operations the ledger checks when they end (hotplug.c, states.c). */
enum cpuhp_ledger_op {
	LEDGER_OP_UP,
	LEDGER_OP_DOWN,
	LEDGER_OP_SETUP,
	LEDGER_OP_REMOVE,
	LEDGER_OP_ADD_INSTANCE,
	LEDGER_OP_REMOVE_INSTANCE,
};
void cpuhp__ledger_op_begin(struct cpuhp *hp, enum cpuhp_ledger_op op, unsigned int cpu,
			    int state, struct cpuhp_node *node, bool invoke);
void cpuhp__ledger_op_end(struct cpuhp *hp, int ret);
void cpuhp__ledger_free(struct cpuhp *hp);
bool cpuhp__ledger_set_trace(struct cpuhp *hp, cpuhp_trace_fn fn, void *data);

static inline struct cpuhp_ledger *cpuhp__ledger(const struct cpuhp *hp)
{
	/*
	 * Relaxed: the ledger is switched only while no operation runs; the
	 * hand-off locks order that store before any CPU thread's load.
	 */
	return atomic_load_explicit(&((struct cpuhp *)hp)->ledger, memory_order_relaxed);
}

#define CPUHP_LEDGER_OP(hp, ...)                                    \
	do {                                                        \
		if (__builtin_expect(cpuhp__ledger(hp) != NULL, 0)) \
			cpuhp__ledger_op_begin(hp, __VA_ARGS__);    \
	} while (0)
#define CPUHP_LEDGER_END(hp, ret)                                   \
	do {                                                        \
		if (__builtin_expect(cpuhp__ledger(hp) != NULL, 0)) \
			cpuhp__ledger_op_end(hp, ret);              \
	} while (0)

#endif /* CPUHP_CHECK_H */
