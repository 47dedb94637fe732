// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mount-trace.c - the bounded text ring behind the mount's trace files: the
 * trace sink appends formatted lines, "trace" copies (below tracefs'
 * header), "trace_pipe" consumes.  Only whole lines are ever dropped.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mount.h"

int trace_ring_init(struct trace_ring *r, size_t cap)
{
	memset(r, 0, sizeof(*r));
	r->buf = malloc(cap);
	if (!r->buf)
		return -ENOMEM;
	r->cap = cap;
	pthread_mutex_init(&r->lock, NULL);
	return 0;
}

void trace_ring_destroy(struct trace_ring *r)
{
	pthread_mutex_destroy(&r->lock);
	free(r->buf);
	r->buf = NULL;
}

/* Drop the oldest line (under the lock). */
static void drop_line(struct trace_ring *r)
{
	char *nl = memchr(r->buf + r->head, '\n', r->len);
	size_t n = nl ? (size_t)(nl - (r->buf + r->head)) + 1 : r->len;

	r->head += n;
	r->len -= n;
	r->entries--;
}

void trace_ring_add(struct trace_ring *r, const char *line, size_t len)
{
	if (len > r->cap)
		return; /* cannot happen with formatted events (< 512 bytes) */
	pthread_mutex_lock(&r->lock);
	r->written++;
	/*
	 * Full: drop an eighth of the text at once (whole lines), as the
	 * kernel's ring buffer overwrites a whole page of its oldest events.
	 * One line at a time would make the compaction below move the whole
	 * ring for every new line once it is full (about 1 MiB per event).
	 */
	if (r->len + len > r->cap)
		while (r->len && r->len + len > r->cap - r->cap / 8)
			drop_line(r);
	/* Compact only when the tail would not fit: amortised O(1) per byte. */
	if (r->head + r->len + len > r->cap) {
		memmove(r->buf, r->buf + r->head, r->len);
		r->head = 0;
	}
	memcpy(r->buf + r->head + r->len, line, len);
	r->len += len;
	r->entries++;
	pthread_mutex_unlock(&r->lock);
}

void trace_ring_clear(struct trace_ring *r)
{
	pthread_mutex_lock(&r->lock);
	r->head = r->len = 0;
	r->entries = r->written = 0;
	pthread_mutex_unlock(&r->lock);
}

char *trace_ring_copy(struct trace_ring *r, size_t *len, unsigned long *entries,
		      unsigned long *written)
{
	char *copy;

	pthread_mutex_lock(&r->lock);
	copy = malloc(r->len + 1);
	if (copy) {
		memcpy(copy, r->buf + r->head, r->len);
		copy[r->len] = '\0';
		*len = r->len;
		*entries = r->entries;
		*written = r->written;
	}
	pthread_mutex_unlock(&r->lock);
	return copy;
}

size_t trace_ring_take(struct trace_ring *r, char *buf, size_t len)
{
	size_t n;

	pthread_mutex_lock(&r->lock);
	n = r->len < len ? r->len : len;
	if (n < r->len) {
		/* Keep lines whole unless not even one fits the reader's buffer. */
		char *nl = memrchr(r->buf + r->head, '\n', n);

		if (nl)
			n = (size_t)(nl - (r->buf + r->head)) + 1;
	}
	memcpy(buf, r->buf + r->head, n);
	/* Count the lines that left whole, as the kernel's reader consumes events. */
	for (size_t i = 0; i < n; i++)
		r->entries -= r->buf[r->head + i] == '\n';
	r->head += n;
	r->len -= n;
	pthread_mutex_unlock(&r->lock);
	return n;
}

/*
 * The "trace" file: the ring's text below the "# tracer: nop" lines and the
 * column header tracefs prints above the events.
 */
char *trace_ring_snapshot(struct trace_ring *r, unsigned int nr_online, size_t *len)
{
	static const char cols[] =
		"#\n"
		"#                                _-----=> irqs-off/BH-disabled\n"
		"#                               / _----=> need-resched\n"
		"#                              | / _---=> hardirq/softirq\n"
		"#                              || / _--=> preempt-depth\n"
		"#                              ||| / _-=> migrate-disable\n"
		"#                              |||| /     delay\n"
		"#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n"
		"#              | |         |   |||||     |         |\n";
	unsigned long entries, written;
	size_t n, head_len;
	char head[128], *text, *out;

	text = trace_ring_copy(r, &n, &entries, &written);
	if (!text)
		return NULL;
	head_len =
		(size_t)snprintf(head, sizeof(head),
				 "# tracer: nop\n#\n# entries-in-buffer/entries-written: "
				 "%lu/%lu   #P:%u\n",
				 entries, written, nr_online);
	out = malloc(head_len + sizeof(cols) - 1 + n + 1);
	if (out) {
		memcpy(out, head, head_len);
		memcpy(out + head_len, cols, sizeof(cols) - 1);
		memcpy(out + head_len + sizeof(cols) - 1, text, n + 1);
		*len = head_len + sizeof(cols) - 1 + n;
	}
	free(text);
	return out;
}
