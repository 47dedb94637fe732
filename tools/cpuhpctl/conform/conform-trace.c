// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * conform-trace.c - the normalised trace of the oracle README ("Comparing a
 * model with these files", point 3): event name, cpu, target or state, step,
 * ret and callback name, in order, with the task reduced to "control" (the
 * writer, a kworker, the boot task) or "cpuhp/N".  PIDs, the CPU column,
 * flags and timestamps are dropped.  Both sides are printed through
 * cpuhp_trace_format_body(), so equal events give equal text.
 */
#include <stdlib.h>
#include <string.h>

#include "conform.h"

void conform_trace_init(struct conform_trace *t)
{
	memset(t, 0, sizeof(*t));
	pthread_mutex_init(&t->lock, NULL);
}

void conform_trace_clear(struct conform_trace *t)
{
	size_t i;

	pthread_mutex_lock(&t->lock);
	for (i = 0; i < t->nr; i++)
		free(t->ev[i]);
	t->nr = 0;
	pthread_mutex_unlock(&t->lock);
}

void conform_trace_destroy(struct conform_trace *t)
{
	conform_trace_clear(t);
	free(t->ev);
	free(t->lineno);
	pthread_mutex_destroy(&t->lock);
}

/* "cpuhp/N" stays, every other task acts for the control side. */
static const char *task_class(const char *task)
{
	return task && !strncmp(task, "cpuhp/", 6) ? task : "control";
}

static void add(struct conform_trace *t, const char *task,
		const struct cpuhp_trace_event *ev, unsigned int lineno)
{
	char body[256], *text;
	size_t len;

	cpuhp_trace_format_body(ev, body, sizeof(body));
	len = strlen(task) + strlen(body) + 32;
	text = malloc(len);
	if (text)
		snprintf(text, len, "%s %s: %s", task, cpuhp_trace_event_name(ev->type),
			 body);
	pthread_mutex_lock(&t->lock);
	if (text && t->nr == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		char **ev2 = realloc(t->ev, cap * sizeof(*ev2));
		unsigned int *ln2;

		if (ev2)
			t->ev = ev2;
		ln2 = ev2 ? realloc(t->lineno, cap * sizeof(*ln2)) : NULL;
		if (ln2) {
			t->lineno = ln2;
			t->cap = cap;
		}
	}
	if (!text || t->nr == t->cap) {
		t->oom = true;
		free(text);
	} else {
		t->lineno[t->nr] = lineno;
		t->ev[t->nr++] = text;
	}
	pthread_mutex_unlock(&t->lock);
}

/* Runs on whichever thread emits (control or cpuhp/N); the lock orders them. */
void conform_trace_sink(void *data, const struct cpuhp_trace_event *ev)
{
	struct conform_trace *t = data;
	char task[20], line[512];

	snprintf(task, sizeof(task), "%s", task_class(ev->task));
	add(t, task, ev, 0);
	if (t->raw) {
		cpuhp_trace_format(ev, line, sizeof(line));
		pthread_mutex_lock(&t->lock);
		fputs(line, t->raw);
		pthread_mutex_unlock(&t->lock);
	}
}

/* The TASK of "TASK-PID [CPU] FLAGS TIMESTAMP": trimmed, PID cut off. */
static bool parse_task(const char *line, const char *end, char *task, size_t len)
{
	const char *b, *dash;
	size_t n;

	/* The CPU column is the last "[NNN]" before the event name. */
	for (b = end; b > line && *b != '['; b--)
		;
	if (b == line)
		return false;
	while (b > line && b[-1] == ' ')
		b--;
	while (*line == ' ')
		line++;
	for (dash = b; dash > line && *dash != '-'; dash--)
		;
	if (dash <= line)
		return false;
	n = (size_t)(dash - line);
	if (n >= len)
		n = len - 1;
	memcpy(task, line, n);
	task[n] = '\0';
	return true;
}

int conform_trace_parse_event(const char *line, struct cpuhp_trace_event *ev, char *task,
			      size_t task_len, char *fn, size_t fn_len)
{
	static const struct {
		const char *marker;
		enum cpuhp_trace_type type;
	} kinds[] = {
		{ ": cpuhp_enter: ", CPUHP_TRACE_ENTER },
		{ ": cpuhp_multi_enter: ", CPUHP_TRACE_MULTI_ENTER },
		{ ": cpuhp_exit: ", CPUHP_TRACE_EXIT },
	};
	const char *at = NULL, *body;
	char sym[128];
	size_t i;
	int n;

	memset(ev, 0, sizeof(*ev));
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		at = strstr(line, kinds[i].marker);
		if (at)
			break;
	}
	if (!at)
		return 0;
	ev->type = kinds[i].type;
	body = at + strlen(kinds[i].marker);
	if (!parse_task(line, at, task, task_len))
		return -1;
	if (ev->type == CPUHP_TRACE_EXIT) {
		n = sscanf(body, " cpu: %u state: %d step: %d ret: %d", &ev->cpu,
			   &ev->state, &ev->idx, &ev->ret);
		if (n != 4)
			return -1;
	} else {
		n = sscanf(body, " cpu: %u target: %d step: %d (%127[^)])", &ev->cpu,
			   &ev->target, &ev->idx, sym);
		/* A line cut short has no closing parenthesis. */
		if (n != 4 || !strchr(body, ')'))
			return -1;
		snprintf(fn, fn_len, "%s", sym);
		ev->fn = fn;
	}
	ev->task = task;
	return 1;
}

int conform_trace_parse(struct conform_trace *t, const char *line, unsigned int lineno)
{
	struct cpuhp_trace_event ev;
	char task[64], fn[128];
	int n = conform_trace_parse_event(line, &ev, task, sizeof(task), fn, sizeof(fn));

	if (n <= 0)
		return n;
	add(t, task_class(task), &ev, lineno);
	return 1;
}
