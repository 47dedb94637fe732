/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cpuhp/trace.h - cpuhp_enter / cpuhp_multi_enter / cpuhp_exit trace events.
 *
 * Events carry the fields of the kernel's "cpuhp" trace system and format to
 * the same ftrace text, so a model's trace can be compared line by line with
 * a real kernel's.
 */
#ifndef CPUHP_TRACE_H
#define CPUHP_TRACE_H

#include <stddef.h>
#include <stdint.h>

#include <cpuhp/export.h>

#ifdef __cplusplus
extern "C" {
#endif

struct cpuhp;

enum cpuhp_trace_type {
	CPUHP_TRACE_ENTER,
	CPUHP_TRACE_MULTI_ENTER,
	CPUHP_TRACE_EXIT,
	CPUHP_TRACE_MARK, /* a marker line (tracing_mark_write): @fn holds the text */
};

/**
 * struct cpuhp_trace_event - one trace event
 * @type:     enter, multi_enter or exit
 * @cpu:      the CPU the callback is for
 * @target:   enter: the CPU's target when the callback started
 * @state:    exit: the CPU's state when the callback returned
 * @idx:      the state whose callback ran ("step")
 * @ret:      exit: the callback's return value
 * @fn:       enter: the callback's symbol name
 * @task:     name of the thread that emitted it ("cpuhp/1", the control
 *            thread's name)
 * @task_pid: a small per-machine thread id standing in for the PID
 * @task_cpu: the CPU whose thread emitted it, or the boot CPU for the
 *            control thread
 * @ts_ns:    CLOCK_MONOTONIC time in nanoseconds
 */
struct cpuhp_trace_event {
	enum cpuhp_trace_type type;
	unsigned int cpu;
	int target;
	int state;
	int idx;
	int ret;
	const char *fn;
	const char *task;
	int task_pid;
	unsigned int task_cpu;
	uint64_t ts_ns;
};

/**
 * typedef cpuhp_trace_fn - trace sink
 * @data: the pointer given with the sink
 * @ev:   the event; valid only during the call
 *
 * Called synchronously by the emitting thread (control or "cpuhp/N"), in
 * atomic context for STARTING/DYING callbacks: must not block for long and
 * must not call back into the machine.
 */
typedef void (*cpuhp_trace_fn)(void *data, const struct cpuhp_trace_event *ev);

/**
 * cpuhp_trace_set_fn - install or remove the trace sink
 * @hp:   the machine
 * @fn:   sink, or NULL to turn tracing off
 * @data: passed to @fn
 *
 * Context: not concurrently with a hotplug operation or registration.
 */
CPUHP_EXPORT void cpuhp_trace_set_fn(struct cpuhp *hp, cpuhp_trace_fn fn, void *data);

/**
 * cpuhp_trace_format - format an event as an ftrace text line
 * @ev:  the event
 * @buf: output buffer
 * @len: its size
 *
 * Produces e.g. "         cpuhp/1-3       [001] .....     4.199486: cpuhp_enter:
 * cpu: 0001 target: 153 step: 235 (sched_cpu_deactivate)" (one line, with a
 * trailing newline).
 *
 * Context: any thread.
 * Return: the length the full line needs, like snprintf().
 */
CPUHP_EXPORT int cpuhp_trace_format(const struct cpuhp_trace_event *ev, char *buf,
				    size_t len);

/**
 * cpuhp_trace_format_body - format only the event text after "name: "
 * @ev:  the event
 * @buf: output buffer
 * @len: its size
 *
 * "cpu: 0001 target: 153 step: 235 (sched_cpu_deactivate)" for enter events,
 * " cpu: 0001  state: 234 step: 235 ret: 0" for exit events (the kernel's
 * format strings, leading space included).
 *
 * Context: any thread.
 * Return: like snprintf().
 */
CPUHP_EXPORT int cpuhp_trace_format_body(const struct cpuhp_trace_event *ev, char *buf,
					 size_t len);

/**
 * cpuhp_trace_event_name - "cpuhp_enter", "cpuhp_multi_enter" or "cpuhp_exit"
 * @type: the event type
 *
 * Context: any thread.
 * Return: a static string.
 */
CPUHP_EXPORT const char *cpuhp_trace_event_name(enum cpuhp_trace_type type);

#ifdef __cplusplus
}
#endif

#endif /* CPUHP_TRACE_H */
