// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * trace.c - the cpuhp_enter / cpuhp_multi_enter / cpuhp_exit events and
 * their ftrace text.
 *
 * Emitting costs one NULL test when no sink is set.  The formats are the
 * kernel's, byte for byte, so traces compare with oracle/ recordings.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "exec/exec.h"
#include "trace/trace.h"

/*
 * The control thread's stand-in PID, per machine it last traced on, and its
 * name, read once per walk (cpuhp__trace_task_renew()): asking the kernel
 * for it is a system call, too slow for every event.
 */
static _Thread_local struct {
	const struct cpuhp *hp;
	int pid;
	bool comm_ok; /* @comm is this thread's name as of its current walk */
	char comm[16];
} control;

static void current_task(struct cpuhp *hp, struct cpuhp_trace_event *ev)
{
	const struct cpuhp_tctx *t = cpuhp__tctx();
	const struct cpuhp_cpu *st;

	if (t->cpu >= 0 && t->hp == hp) {
		st = cpuhp__cpu(hp, (unsigned int)t->cpu);
		ev->task = st->comm;
		ev->task_pid = st->pid;
		ev->task_cpu = (unsigned int)t->cpu;
		return;
	}
	if (control.hp != hp) {
		control.hp = hp;
		control.pid =
			atomic_fetch_add_explicit(&hp->next_pid, 1, memory_order_relaxed);
	}
	/* Read once per walk: the caller may rename its thread between operations. */
	if (!control.comm_ok) {
		if (pthread_getname_np(pthread_self(), control.comm,
				       sizeof(control.comm)))
			snprintf(control.comm, sizeof(control.comm), "<...>");
		control.comm_ok = true;
	}
	ev->task = control.comm;
	ev->task_pid = control.pid;
	ev->task_cpu = 0;
}

/*
 * The kernel's tracepoints do not fire on a CPU that is not in the online
 * mask (RCU is not watching it): STARTING callbacks before the CPU is marked
 * online and DYING callbacks after it left the mask never reach the trace.
 * The model drops the same events, so its traces compare with real ones.
 */
static bool cpu_thread_offline(struct cpuhp *hp)
{
	const struct cpuhp_tctx *t = cpuhp__tctx();

	return t->hp == hp && t->cpu >= 0 &&
	       !cpuhp__mask_test(&hp->online, (unsigned int)t->cpu);
}

/* Stamp the event with its task and time and hand it to the sink. */
static void deliver(struct cpuhp *hp, struct cpuhp_trace_event *ev)
{
	current_task(hp, ev);
	ev->ts_ns = cpuhp__now_ns();
	hp->trace_fn(hp->trace_data, ev);
}

static void emit(struct cpuhp *hp, struct cpuhp_trace_event *ev)
{
	if (cpu_thread_offline(hp))
		return;
	deliver(hp, ev);
}

void cpuhp__trace_enter_ev(struct cpuhp *hp, enum cpuhp_trace_type type, unsigned int cpu,
			   int target, int idx, const char *fn)
{
	struct cpuhp_trace_event ev;

	if (!hp->trace_fn)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.type = type;
	ev.cpu = cpu;
	ev.target = target;
	ev.idx = idx;
	ev.fn = fn;
	emit(hp, &ev);
}

void cpuhp__trace_exit_ev(struct cpuhp *hp, unsigned int cpu, int state, int idx, int ret)
{
	struct cpuhp_trace_event ev;

	if (!hp->trace_fn)
		return;
	memset(&ev, 0, sizeof(ev));
	ev.type = CPUHP_TRACE_EXIT;
	ev.cpu = cpu;
	ev.state = state;
	ev.idx = idx;
	ev.ret = ret;
	emit(hp, &ev);
}

/**
 * cpuhp__trace_mark - write a marker line (a context violation) to the trace
 * @hp:  the machine
 * @cpu: the CPU concerned
 * @msg: the text
 *
 * Unlike callback events it is written even from a CPU thread that is not
 * online: it reports a fault of the machine, not a kernel tracepoint.
 */
void cpuhp__trace_mark(struct cpuhp *hp, unsigned int cpu, const char *msg)
{
	struct cpuhp_trace_event ev;

	if (!hp->trace_fn)
		return;
	control.comm_ok = false; /* not part of a walk: the name as it is now */
	memset(&ev, 0, sizeof(ev));
	ev.type = CPUHP_TRACE_MARK;
	ev.cpu = cpu;
	ev.fn = msg;
	deliver(hp, &ev);
}

/**
 * cpuhp__trace_task_renew_ev - forget the calling thread's cached name
 *
 * Context: any thread.
 */
void cpuhp__trace_task_renew_ev(void)
{
	control.comm_ok = false;
}

void cpuhp_trace_set_fn(struct cpuhp *hp, cpuhp_trace_fn fn, void *data)
{
	if (!hp)
		return;
	/* An attached ledger taps the trace: it forwards to the new sink. */
	if (hp->trace_tap && hp->trace_tap(hp, fn, data))
		return;
	hp->trace_data = data;
	hp->trace_fn = fn;
}

const char *cpuhp_trace_event_name(enum cpuhp_trace_type type)
{
	switch (type) {
	case CPUHP_TRACE_ENTER:
		return "cpuhp_enter";
	case CPUHP_TRACE_MULTI_ENTER:
		return "cpuhp_multi_enter";
	case CPUHP_TRACE_EXIT:
		return "cpuhp_exit";
	case CPUHP_TRACE_MARK:
		return "tracing_mark_write";
	}
	return "cpuhp_unknown";
}

int cpuhp_trace_format_body(const struct cpuhp_trace_event *ev, char *buf, size_t len)
{
	if (ev->type == CPUHP_TRACE_MARK)
		return snprintf(buf, len, "%s", ev->fn ? ev->fn : "");
	if (ev->type == CPUHP_TRACE_EXIT)
		return snprintf(buf, len, " cpu: %04u  state: %3d step: %3d ret: %d",
				ev->cpu, ev->state, ev->idx, ev->ret);
	/* %ps of a NULL pointer prints its address. */
	return snprintf(buf, len, "cpu: %04u target: %3d step: %3d (%s)", ev->cpu,
			ev->target, ev->idx, ev->fn ? ev->fn : "0x0");
}

/* Where the next piece goes when the line so far needs @pos bytes. */
static char *tail(char *buf, size_t len, int pos)
{
	return (size_t)pos < len ? buf + pos : NULL;
}

static size_t room(size_t len, int pos)
{
	return (size_t)pos < len ? len - (size_t)pos : 0;
}

/* ftrace's default line: "%16s-%-7d [%03d] FLAGS %5lu.%06lu: EVENT: BODY". */
int cpuhp_trace_format(const struct cpuhp_trace_event *ev, char *buf, size_t len)
{
	unsigned long long us = (unsigned long long)(ev->ts_ns / 1000u);
	int n, m;

	/* The common case, without printf (trace-line.c); the same bytes. */
	n = cpuhp__trace_line(ev, buf, len);
	if (n >= 0)
		return n;
	n = snprintf(buf, len, "%16s-%-7d [%03u] ..... %5llu.%06llu: %s: ",
		     ev->task ? ev->task : "<...>", ev->task_pid, ev->task_cpu,
		     us / 1000000u, us % 1000000u, cpuhp_trace_event_name(ev->type));
	if (n < 0)
		return n;
	m = cpuhp_trace_format_body(ev, tail(buf, len, n), room(len, n));
	if (m < 0)
		return m;
	n += m;
	m = snprintf(tail(buf, len, n), room(len, n), "\n");
	return n + m;
}

/*
 * The parallel bring-up's helper threads do the control thread's part for
 * some CPUs; they trace under its stand-in PID (and its name, which they
 * take), so that every CPU's trace reads as after a serial bring-up.
 */
int cpuhp__trace_control_pid(struct cpuhp *hp)
{
	if (control.hp != hp) {
		control.hp = hp;
		control.pid =
			atomic_fetch_add_explicit(&hp->next_pid, 1, memory_order_relaxed);
	}
	return control.pid;
}

void cpuhp__trace_adopt_control_pid(struct cpuhp *hp, int pid)
{
	control.hp = hp;
	control.pid = pid;
}
