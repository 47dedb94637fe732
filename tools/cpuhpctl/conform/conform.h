/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * conform.h - replaying an oracle recording (oracle/linux-6.1-x86/README.md
 * format) on a fresh machine and finding the first difference.
 *
 * conform-trace.c normalises trace events, conform.c reads a recording and
 * replays it block by block, conform-lines.c checks each line; cmd-conform.c
 * is the command around them.
 */
#ifndef CPUHPCTL_CONFORM_H
#define CPUHPCTL_CONFORM_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <cpuhp/cpuhp.h>

/* Normalised trace events, in order; appended to from several threads. */
struct conform_trace {
	char **ev;            /* "TASK EVENT: BODY", TASK = control or cpuhp/N */
	unsigned int *lineno; /* recorded: the line in the file; model: 0 */
	size_t nr, cap;
	bool oom;
	FILE *raw; /* model side: also write each event in ftrace format here */
	pthread_mutex_t lock;
};

void conform_trace_init(struct conform_trace *t);
void conform_trace_clear(struct conform_trace *t);
void conform_trace_destroy(struct conform_trace *t);
/* The library's trace sink: @data is a struct conform_trace. */
void conform_trace_sink(void *data, const struct cpuhp_trace_event *ev);
/*
 * Parse one ftrace text line of a recording; 1 if it was a cpuhp event (added
 * to @t), 0 if it is not an event line, -1 if it looks like one but cannot
 * be parsed.
 */
int conform_trace_parse(struct conform_trace *t, const char *line, unsigned int lineno);
/*
 * The same for one line into @ev (cpuhpctl learn): @task gets the task's
 * name as recorded (PID cut off), @fn the callback's symbol (enter events).
 */
int conform_trace_parse_event(const char *line, struct cpuhp_trace_event *ev, char *task,
			      size_t task_len, char *fn, size_t fn_len);

/* The machine a recording runs on: defaults, then the file, then options. */
struct conform_machine {
	char model[128];
	unsigned int cpus, threads_per_core;
	char cmdline[512];
	char kconfig[512];
};

/* What the command line fixed, overriding the recording. */
struct conform_overrides {
	const char *model;
	unsigned int cpus, threads_per_core; /* 0: not given */
	unsigned int present;                /* 0: all possible */
	const char *cmdline, *kconfig;       /* NULL: not given */
	FILE *trace; /* --trace: the model's traces, as compared */
};

/* Replay every block of @path; print PASS or the first difference to @out. */
int conform_file(const char *path, const struct conform_overrides *ov, bool verbose,
		 FILE *out);

#endif /* CPUHPCTL_CONFORM_H */
