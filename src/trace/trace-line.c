// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * trace-line.c - the ftrace line of an event written by hand: the same bytes
 * as cpuhp_trace_format()'s printf formats, several times faster, which
 * matters to sinks that keep every event as text (the FUSE mount's trace
 * files see some 80 events per offline+online cycle).
 */
#include <string.h>

#include "trace/trace.h"

/* Digits of @v, most significant first, into @p; returns their number. */
static unsigned int put_digits(char *p, unsigned long long v)
{
	char tmp[20];
	unsigned int n = 0, i;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (i = 0; i < n; i++)
		p[i] = tmp[n - 1 - i];
	return n;
}

/*
 * printf's %[-][0]W(d|u|llu) of @v (@neg: a minus sign before it): @width
 * at least, padded with @pad on the left (' ' or '0', zeros after the
 * sign) or with spaces on the right when @left.
 */
static char *put_num(char *p, unsigned long long v, bool neg, unsigned int width,
		     char pad, bool left)
{
	char digits[21];
	unsigned int n = put_digits(digits, v), len = n + neg, fill;

	fill = width > len ? width - len : 0;
	if (!left && pad == ' ') {
		memset(p, ' ', fill);
		p += fill;
	}
	if (neg)
		*p++ = '-';
	if (!left && pad == '0') {
		memset(p, '0', fill);
		p += fill;
	}
	memcpy(p, digits, n);
	p += n;
	if (left) {
		memset(p, ' ', fill);
		p += fill;
	}
	return p;
}

static char *put_int(char *p, int v, unsigned int width, bool left)
{
	unsigned long long mag = v < 0 ? 0ull - (unsigned long long)(long long)v :
					 (unsigned long long)v;

	return put_num(p, mag, v < 0, width, ' ', left);
}

static char *put_str(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

#define PUT_LIT(p, lit) put_str(p, lit, sizeof(lit) - 1)

/* Longest line without the two strings: the fixed text and 20-digit numbers. */
#define LINE_FIXED_MAX 256

/**
 * cpuhp__trace_line - cpuhp_trace_format() without printf, when @len is ample
 * @ev:  the event
 * @buf: output buffer
 * @len: its size
 *
 * Context: any thread.
 * Return: the line's length (NUL written after it), or -1 when @buf might
 *         be too small: the caller then formats with snprintf(), which
 *         truncates as documented.
 */
int cpuhp__trace_line(const struct cpuhp_trace_event *ev, char *buf, size_t len)
{
	unsigned long long us = (unsigned long long)(ev->ts_ns / 1000u);
	const char *task = ev->task ? ev->task : "<...>";
	const char *name = cpuhp_trace_event_name(ev->type);
	const char *fn = ev->fn;
	size_t task_len = strlen(task), fn_len, name_len = strlen(name);
	char *p = buf;

	if (ev->type != CPUHP_TRACE_EXIT && !fn)
		fn = ev->type == CPUHP_TRACE_MARK ? "" : "0x0"; /* %ps of NULL */
	fn_len = fn ? strlen(fn) : 0;
	if (len < LINE_FIXED_MAX || len - LINE_FIXED_MAX <= task_len + fn_len + name_len)
		return -1;
	/* "%16s-%-7d [%03u] ..... %5llu.%06llu: %s: " */
	if (task_len < 16) {
		memset(p, ' ', 16 - task_len);
		p += 16 - task_len;
	}
	p = put_str(p, task, task_len);
	*p++ = '-';
	p = put_int(p, ev->task_pid, 7, true);
	p = PUT_LIT(p, " [");
	p = put_num(p, ev->task_cpu, false, 3, '0', false);
	p = PUT_LIT(p, "] ..... ");
	p = put_num(p, us / 1000000u, false, 5, ' ', false);
	*p++ = '.';
	p = put_num(p, us % 1000000u, false, 6, '0', false);
	p = PUT_LIT(p, ": ");
	p = put_str(p, name, name_len);
	p = PUT_LIT(p, ": ");
	switch (ev->type) {
	case CPUHP_TRACE_MARK: /* "%s" */
		p = put_str(p, fn, fn_len);
		break;
	case CPUHP_TRACE_EXIT: /* " cpu: %04u  state: %3d step: %3d ret: %d" */
		p = PUT_LIT(p, " cpu: ");
		p = put_num(p, ev->cpu, false, 4, '0', false);
		p = PUT_LIT(p, "  state: ");
		p = put_int(p, ev->state, 3, false);
		p = PUT_LIT(p, " step: ");
		p = put_int(p, ev->idx, 3, false);
		p = PUT_LIT(p, " ret: ");
		p = put_int(p, ev->ret, 0, false);
		break;
	default: /* "cpu: %04u target: %3d step: %3d (%s)" */
		p = PUT_LIT(p, "cpu: ");
		p = put_num(p, ev->cpu, false, 4, '0', false);
		p = PUT_LIT(p, " target: ");
		p = put_int(p, ev->target, 3, false);
		p = PUT_LIT(p, " step: ");
		p = put_int(p, ev->idx, 3, false);
		p = PUT_LIT(p, " (");
		p = put_str(p, fn, fn_len);
		*p++ = ')';
		break;
	}
	*p++ = '\n';
	*p = '\0';
	return (int)(p - buf);
}
