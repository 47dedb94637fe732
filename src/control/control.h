/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * control.h - what control.c (paths, API) and control-files.c (the files)
 * share: the table entry, the context a handler runs in and its output
 * buffer.  The table is read-only; a handler never sees an invalid CPU.
 */
#ifndef CPUHP_CONTROL_INTERNAL_H
#define CPUHP_CONTROL_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

struct cpuhp;

/* Output of a show handler: snprintf semantics over the caller's buffer. */
struct outbuf {
	char *buf;
	size_t len;
	size_t off; /* length of the full text so far, may exceed len */
};

struct ctl_ctx {
	struct cpuhp *hp;
	unsigned int cpu; /* for "cpuN/..." entries */
};

struct cpuhp_ctl_entry {
	const char *pattern; /* components; "cpu#" matches a CPU directory */
	int (*show)(const struct ctl_ctx *c, struct outbuf *o);    /* NULL: directory */
	int (*store)(const struct ctl_ctx *c, const char *value);  /* NULL: read-only */
	bool (*visible)(const struct cpuhp *hp, unsigned int cpu); /* NULL: always */
};

/* Every file and directory, in readdir order (control-files.c). */
extern const struct cpuhp_ctl_entry cpuhp__ctl_entries[];
extern const size_t cpuhp__ctl_nr_entries;

/* smt/control writes (smt-control.c). */
int cpuhp__smt_control_write(struct cpuhp *hp, const char *value);

#endif /* CPUHP_CONTROL_INTERNAL_H */
