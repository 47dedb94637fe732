// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * exec-events.c - the recent hotplug events, kept so that when the program
 * under test dies of a signal, "exec" can show what the machine did just
 * before: a bounded ring of formatted lines, the oldest overwritten.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "exec.h"

uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int event_log_init(struct event_log *l, size_t cap)
{
	memset(l, 0, sizeof(*l));
	l->slots = calloc(cap, sizeof(*l->slots));
	if (!l->slots)
		return -ENOMEM;
	l->cap = cap;
	pthread_mutex_init(&l->lock, NULL);
	return 0;
}

void event_log_destroy(struct event_log *l)
{
	if (!l->slots)
		return;
	pthread_mutex_destroy(&l->lock);
	free(l->slots);
	l->slots = NULL;
}

void event_log_add(struct event_log *l, uint64_t ts_ns, const char *text)
{
	struct event_slot *s;
	size_t n;

	pthread_mutex_lock(&l->lock);
	s = &l->slots[l->next];
	s->ts_ns = ts_ns;
	/* Without the trailing newline: the printer adds its own. */
	n = strcspn(text, "\n");
	if (n >= sizeof(s->text))
		n = sizeof(s->text) - 1;
	memcpy(s->text, text, n);
	s->text[n] = '\0';
	l->next = (l->next + 1) % l->cap;
	if (l->count < l->cap)
		l->count++;
	pthread_mutex_unlock(&l->lock);
}

/* From the emitting thread, maybe in atomic context: copies only. */
void event_log_tap(void *data, uint64_t ts_ns, const char *line)
{
	event_log_add(data, ts_ns, line);
}

/* Flap operations are logged as "flap #N: ...", trace events as ftrace lines. */
static bool is_op(const struct event_slot *s)
{
	return !strncmp(s->text, "flap #", 6);
}

/* Under the lock: the last @max of the kind @ops within [from, end_ns]. */
static void print_kind(struct event_log *l, FILE *f, uint64_t from, uint64_t end_ns,
		       unsigned int max, bool ops, const char *what,
		       unsigned int window_ms)
{
	size_t i, first, shown = 0, in_window = 0;

	/* Oldest first: slot (next - count + i) mod cap. */
	first = (l->next + l->cap - l->count) % l->cap;
	for (i = 0; i < l->count; i++) {
		const struct event_slot *s = &l->slots[(first + i) % l->cap];

		if (s->ts_ns >= from && s->ts_ns <= end_ns && is_op(s) == ops)
			in_window++;
	}
	fprintf(f, "cpuhpctl: exec: %s in the last %u ms before it: %zu%s\n", what,
		window_ms, in_window,
		in_window > max ? " (the last ones shown; --events N shows more)" : "");
	for (i = 0; i < l->count; i++) {
		const struct event_slot *s = &l->slots[(first + i) % l->cap];

		if (s->ts_ns < from || s->ts_ns > end_ns || is_op(s) != ops)
			continue;
		if (in_window - shown++ > max)
			continue;
		fprintf(f, "  %9.3f ms  %s\n", -(double)(end_ns - s->ts_ns) / 1e6,
			s->text);
	}
}

void event_log_print(struct event_log *l, FILE *f, uint64_t end_ns,
		     unsigned int window_ms, unsigned int max)
{
	uint64_t from = end_ns - (uint64_t)window_ms * 1000000u;

	pthread_mutex_lock(&l->lock);
	print_kind(l, f, from, end_ns, max, true, "flap operations", window_ms);
	print_kind(l, f, from, end_ns, max, false, "hotplug trace events", window_ms);
	pthread_mutex_unlock(&l->lock);
}
