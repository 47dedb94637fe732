/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * explore-run.h - the explorer's state, shared by cmd-explore.c (phases,
 * workers) and explore-report.c (progress, summary, violations).
 */
#ifndef CPUHPCTL_EXPLORE_RUN_H
#define CPUHPCTL_EXPLORE_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "explore.h"

#define MAX_OPS 4096
#define MAX_TARGETS 512
#define MAX_JOBS 256

/* A fault point: the operation and its faults (none: enumeration). */
struct task {
	unsigned int op;
	unsigned int nfaults;
	struct xkey f[2];
};

struct result {
	bool done;
	bool pass;
	bool known;
	bool fired;
	char *text; /* what went wrong, with the reproducer */
};

/* Enumerate, single faults or double faults: its tasks and verdicts. */
struct phase {
	const char *name;
	struct task *tasks;
	size_t n, alloc;
	struct result *res;
	size_t done, failed, unfired, known;
	double secs;
};

/* A forked worker: it runs tasks first, first + stride, ... */
struct worker {
	pid_t pid;
	int fd;
	size_t next;  /* the next task of its stride */
	long current; /* task begun and not finished, -1 */
};

struct explorer {
	struct xenv env;
	struct xop ops[MAX_OPS];
	size_t nops;
	unsigned int jobs;
	unsigned int timeout;
	unsigned int max_repro;
	bool double_faults;
	bool all_targets;
	bool minimize;            /* --minimize: shrink each printed reproducer */
	bool instances;           /* --instances: the XO_MI_* operations too */
	int targets[MAX_TARGETS]; /* --all-targets: the states, ascending */
	size_t ntargets;
	bool tty;
	struct worker w[MAX_JOBS];
	unsigned int stride;
	char **notes; /* worker-level failures (leaks, sanitizer reports) */
	size_t nnotes;
	/* enumeration keys per op, from phase 0 */
	struct xkey **op_keys;
	size_t *op_nkeys;
	/* keys after each single fault, from phase 1 */
	struct xkey **rb_keys;
	size_t *rb_nkeys;
	double last_draw; /* ctl_now() of the last progress bar */
};

/* Moves exactly @len bytes through a pipe; false when the other end is gone. */
bool xwrite_all(int fd, const void *buf, size_t len);
bool xread_all(int fd, void *buf, size_t len);
void xdescribe_faults(const struct explorer *x, const struct task *t, char *buf,
		      size_t len);
void xprogress(struct explorer *x, const struct phase *ph, bool final);
void xsummary(struct explorer *x, struct phase *ph, size_t nph, double total);
size_t xreport_violations(struct explorer *x, struct phase *ph, size_t nph);
void xminimize(const struct explorer *x, const char *text);

#endif /* CPUHPCTL_EXPLORE_RUN_H */
