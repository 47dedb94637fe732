/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ledger.h - the ledger's private data, shared by ledger.c (recording, the
 * fault plan, the API) and ledger-check.c (the rule table and the checks).
 * Everything in struct cpuhp_ledger is protected by its lock.
 */
#ifndef CPUHP_LEDGER_PRIV_H
#define CPUHP_LEDGER_PRIV_H

#include <pthread.h>
#include <stddef.h>

#include <cpuhp/ledger.h>

#include "check/check.h"
#include "exec/exec.h"
#include "machine/log.h"
#include "machine/machine.h"

#define LEDGER_MAX_FAULTS 8
#define LEDGER_MAX_TASKS 64
#define LEDGER_TRACE_DEPTH 16

/* A (state, instance) whose startup completed on a CPU and is not undone. */
struct live {
	int state;
	const struct cpuhp_node *node; /* NULL: single-instance state */
};

struct cpu_book {
	struct live *live;
	size_t nr, alloc;
	/* Order check of the running operation: the last state walked. */
	bool walked;
	bool last_bringup;
	int last_state;
	/* The last walk stopped where a WARN rule left it: target != state. */
	bool stopped;
	/* A call on this CPU failed in its last walk, or in an install or
	 * removal since: only that operation's check, with its records, judges
	 * what the failure left started (cpuhp__ledger_check_all skips it). */
	bool failed;
};

/* Trace enter/exit nesting of one emitting task. */
struct task_stack {
	int pid;
	unsigned int depth;
	int idx[LEDGER_TRACE_DEPTH];
};

struct armed {
	struct cpuhp_fault f;
	unsigned int seen;
	bool fired;
};

struct cpuhp_ledger {
	pthread_mutex_t lock;
	struct cpuhp_ledger_record *rec;
	size_t nr, alloc;
	const struct cpuhp_node **nodes; /* per record: the instance called */
	size_t nodes_alloc;
	struct cpuhp_ledger_violation *vio;
	size_t nv, av;
	struct cpu_book *cpus;
	unsigned int nr_cpus;
	struct armed plan[LEDGER_MAX_FAULTS];
	unsigned int nplan;

	/* The running operation (op_depth > 0), and the thread running it. */
	unsigned int op_depth;
	const struct cpuhp_tctx *op_owner;
	unsigned long op;
	enum cpuhp_ledger_op kind;
	unsigned int cpu;
	int state; /* walks: the target; installs: the state */
	const struct cpuhp_node *node;
	bool invoke;
	bool startup_only; /* removals: the state has no teardown */
	int prev;
	size_t first;
	unsigned long warn0;

	/* Trace: the user's sink, forwarded to, and the nesting per task. */
	cpuhp_trace_fn user_fn;
	void *user_data;
	struct task_stack tasks[LEDGER_MAX_TASKS];
	unsigned int nr_tasks;
};

/* ledger.c */
const char *cpuhp__ledger_label(const struct cpuhp *hp, int state);
void cpuhp__ledger_violate(struct cpuhp_ledger *l, enum cpuhp_ledger_kind kind,
			   unsigned int cpu, int state, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
bool cpuhp__ledger_is_live(const struct cpu_book *b, int state,
			   const struct cpuhp_node *node, size_t *pos);
int cpuhp__ledger_set_live(struct cpu_book *b, int state, const struct cpuhp_node *node,
			   bool live);

/* ledger-check.c */
bool cpuhp__ledger_counts_done(struct cpuhp *hp, const struct cpuhp_ledger *l,
			       const struct cpuhp_ledger_record *r);
enum ledger_effect {
	EFFECT_CALL,
	EFFECT_FAILED,
	EFFECT_STATE,
	EFFECT_NONE
};
enum ledger_effect cpuhp__ledger_effect(struct cpuhp *hp, const struct cpuhp_ledger *l,
					size_t i);
void cpuhp__ledger_abandon(struct cpuhp *hp, struct cpuhp_ledger *l,
			   const struct cpuhp_ledger_record *r);
void cpuhp__ledger_check_op(struct cpuhp *hp, struct cpuhp_ledger *l, int ret);
unsigned int cpuhp__ledger_check_all(struct cpuhp *hp, struct cpuhp_ledger *l);
bool cpuhp__ledger_rule(unsigned int i, const char **name, const char **spec,
			const char **text);
void cpuhp__ledger_adopt(struct cpuhp *hp, struct cpuhp_ledger *l, unsigned int cpu,
			 int state_filter, const struct cpuhp_node *node_filter);

#endif /* CPUHP_LEDGER_PRIV_H */
