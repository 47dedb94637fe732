/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * trace.h - the kernel's cpuhp trace events (trace.c).
 */
#ifndef CPUHP_TRACE_INTERNAL_H
#define CPUHP_TRACE_INTERNAL_H

#include "machine/machine.h"

/* -------- trace (trace.c) -------- */

void cpuhp__trace_enter_ev(struct cpuhp *hp, enum cpuhp_trace_type type, unsigned int cpu,
			   int target, int idx, const char *fn);
void cpuhp__trace_exit_ev(struct cpuhp *hp, unsigned int cpu, int state, int idx,
			  int ret);

/*
 * The sink test is inline so that, with tracing off, a callback does not
 * pay for a call or for preparing the event's arguments.
 */
static inline void cpuhp__trace_enter(struct cpuhp *hp, enum cpuhp_trace_type type,
				      unsigned int cpu, int target, int idx,
				      const char *fn)
{
	if (__builtin_expect(hp->trace_fn != NULL, 0))
		cpuhp__trace_enter_ev(hp, type, cpu, target, idx, fn);
}

static inline void cpuhp__trace_exit(struct cpuhp *hp, unsigned int cpu, int state,
				     int idx, int ret)
{
	if (__builtin_expect(hp->trace_fn != NULL, 0))
		cpuhp__trace_exit_ev(hp, cpu, state, idx, ret);
}
int cpuhp__trace_line(const struct cpuhp_trace_event *ev, char *buf, size_t len);
void cpuhp__trace_task_renew_ev(void);

/*
 * At the start of a walk or of another traced step of an operation: the
 * events that follow on this thread (if it is not a CPU thread) carry its
 * name as it is now, read once for all of them.
 */
static inline void cpuhp__trace_task_renew(const struct cpuhp *hp)
{
	if (__builtin_expect(hp->trace_fn != NULL, 0))
		cpuhp__trace_task_renew_ev();
}

int cpuhp__trace_control_pid(struct cpuhp *hp);
void cpuhp__trace_adopt_control_pid(struct cpuhp *hp, int pid);

void cpuhp__trace_mark(struct cpuhp *hp, unsigned int cpu, const char *msg);

#endif /* CPUHP_TRACE_INTERNAL_H */
