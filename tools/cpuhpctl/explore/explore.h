/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * explore.h - what cmd-explore.c (the parallel driver) and explore-ops.c
 * (one fault point on one fresh machine) share.
 */
#ifndef CPUHPCTL_EXPLORE_H
#define CPUHPCTL_EXPLORE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <cpuhp/cpuhp.h>

#include "cpuhpctl.h"
#include "script.h"

/* One invocation, as a fault point: the nth (from 0) matching call of the act. */
struct xkey {
	int cpu;
	int state;
	int instance; /* -1: single-instance state */
	unsigned int nth;
	bool up;
};

enum xop_kind {
	XO_DOWN,    /* write cpuN/online 0 */
	XO_UP,      /* ... 0, then 1 */
	XO_TDOWN,   /* write cpuN/hotplug/target 0 */
	XO_TUP,     /* ... 0, then ONLINE */
	XO_SETUP,   /* setup a state with calls */
	XO_ADDI,    /* add an instance with calls */
	XO_REMOVE,  /* set a state up with calls, then remove it with calls */
	XO_SMT_OFF, /* write smt/control off */
	XO_SMT_ON,  /* ... off, then on */
	XO_MI_DOWN, /* cpuN/online 0 with two instances in PREPARE, STARTING, ONLINE */
	XO_MI_UP,   /* ... 0, then 1 */
	XO_RMI,     /* a multi-instance state with instances a and b: remove a */
	XO_FAIL,    /* arm cpuN/hotplug/fail at an ONLINE state, then cpuN/online 0 */
	XO_TREFUSE, /* write an intermediate state to cpuN/hotplug/target: refused */
	XO_TSAME,   /* write cpuN/hotplug/target with its own state */
	NR_XO_KINDS,
};

enum xwhere {
	XW_PREPARE_DYN,
	XW_ONLINE_DYN,
	XW_STARTING
};

struct xop {
	enum xop_kind kind;
	unsigned int cpu;
	enum xwhere where;
	int target;           /* XO_TUP, XO_TDOWN: the state written; -1: ONLINE or 0 */
	unsigned int flags;   /* XO_SETUP, XO_REMOVE, XO_ADDI, XO_RMI: CPUHP_F_* */
	unsigned int offline; /* 1 + the CPU taken offline before the act; 0: none */
};

/* What every worker needs: the machine options and the scenario. */
struct xenv {
	struct cpuhp_config cfg;
	const struct cpuhpctl *ctl;
	struct script scenario;
	char *scenario_text; /* the file as read, for reproducers */
};

/* The outcome of one fault point. */
struct xout {
	int ret;            /* the act's result */
	unsigned int nviol; /* ledger violations + context violations */
	bool fired;         /* every armed fault fired */
	bool known;         /* the violations are the known kernel behaviour */
	struct xkey *keys;  /* enumeration: invocations (after the first fault) */
	size_t nkeys, akeys;
	char *text; /* violations, then the reproducer script */
	size_t len, alloc;
};

const char *xop_section(enum xop_kind kind);
void xop_name(const struct xop *op, char *buf, size_t len);
size_t xops_build(const struct cpuhp_config *cfg, const int *targets, size_t ntargets,
		  bool instances, struct xop *ops, size_t max);
int xtargets_list(const struct cpuhp_config *cfg, int *targets, size_t max, size_t *n);
int xrun(const struct xenv *env, const struct xop *op, const struct xkey *faults,
	 unsigned int nfaults, struct xout *out);
void xout_free(struct xout *out);
/* A log hook that drops everything: a fault point's errors are expected. */
void xsilent(void *data, int priority, const char *file, int line, const char *fn,
	     const char *format, va_list args);

#endif /* CPUHPCTL_EXPLORE_H */
