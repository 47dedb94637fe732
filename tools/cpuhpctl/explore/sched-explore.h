/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * sched-explore.h - cpuhpctl explore --schedules: the operations that race
 * (sched-ops.c), one run of them under one schedule (sched-run.c), the
 * enumeration of schedules (sched-dfs.c) and the command (cmd-sched.c).
 */
#ifndef CPUHPCTL_SCHED_EXPLORE_H
#define CPUHPCTL_SCHED_EXPLORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cpuhp/cpuhp.h>
#include <cpuhp/sched.h>

#include "cpuhpctl.h"

#define SX_MAX_OPS 3

struct sx_slot;

/* One kind of operation: set up (not scheduled), then raced (scheduled). */
struct sx_op {
	const char *name;
	const char *what; /* one line for --help */
	bool cpu;         /* takes a CPU (name:N) */
	int (*prep)(struct cpuhp *hp, struct sx_slot *s);
	int (*act)(struct cpuhp *hp, struct sx_slot *s);
};

/* One operation of a run: its kind, its operands and what it returned. */
struct sx_slot {
	const struct sx_op *op;
	unsigned int cpu;
	int state; /* the state its preparation set up, if any */
	char name[16];
	struct cpuhp_node node;
	int ret;
};

/* What one schedule found. */
struct sx_result {
	enum cpuhp_sched_end end;
	unsigned int violations;
	char first[320];    /* the first violation, as a sentence */
	uint64_t end_state; /* hash of the machine's end state and the results */
	struct cpuhp_sched_decision *dec; /* the decisions (owned) */
	size_t ndec;
};

/* A set of operations to race, on machines built from @cfg. */
struct sx_pair {
	const struct cpuhp_config *cfg;
	struct sx_slot slot[SX_MAX_OPS];
	unsigned int n;
	unsigned long max_points;
};

const struct sx_op *sx_op_find(const char *name);
size_t sx_ops_default(const struct cpuhp_config *cfg, const struct sx_op **ops,
		      size_t max);
void sx_ops_help(FILE *f);
int sx_parse_ops(const struct cpuhp_config *cfg, const char *spec, struct sx_pair *p);
void sx_pair_name(const struct sx_pair *p, char *buf, size_t len);

/*
 * A machine kept between runs: after each run without a violation the
 * operations are undone and the machine is compared with its state after
 * boot; only a machine that matches is used again (sched-run.c).
 */
struct sx_ctx {
	struct cpuhp_sched *sched;
	struct cpuhp *hp;
	uint64_t booted; /* the state hash of the machine just after boot */
	unsigned long rebuilds;
};

int sx_run(struct sx_ctx *x, struct sx_pair *p, const struct cpuhp_sched_choice *c,
	   size_t n, struct sx_result *r);
void sx_ctx_end(struct sx_ctx *x);

/* Counts of one pair's enumeration. */
struct sx_stats {
	unsigned long schedules, violations, distinct, nondet;
	unsigned long rebuilds; /* machines booted (the others were reset) */
	double seconds;
};

typedef void (*sx_found_fn)(const struct sx_pair *p, const struct sx_result *r,
			    const struct cpuhp_sched_choice *c, size_t n, void *data);
typedef void (*sx_progress_fn)(unsigned long schedules, void *data);

int sx_explore_pair(struct sx_pair *p, unsigned int preemptions,
		    unsigned long max_schedules, sx_found_fn found,
		    sx_progress_fn progress, void *data, struct sx_stats *st);

int xsched_main(struct cpuhpctl *ctl, int argc, char *argv[]);
/* cmd-explore.c: an option's number, shared by both kinds of explore. */
bool xp_parse_number(const char *opt, const char *s, unsigned long min, unsigned long max,
		     unsigned long *out);

int sx_choices_parse(const char *s, struct cpuhp_sched_choice **c, size_t *n);
void sx_choices_print(FILE *f, const struct cpuhp_sched_choice *c, size_t n);

#endif /* CPUHPCTL_SCHED_EXPLORE_H */
