// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-trace-format.c - cpuhp_trace_format() and cpuhp_trace_format_body()
 * against lines copied verbatim from the Linux 6.1 recordings in
 * oracle/linux-6.1-x86 (spec 8, rule 25), plus snprintf-style truncation.
 */
#include <stdio.h>
#include <string.h>

#include <cpuhp/trace.h>

#include "tap.h"

struct sample {
	struct cpuhp_trace_event ev;
	const char *line; /* from oracle/linux-6.1-x86, without the newline */
	const char *body;
};

#define US(s, us) ((uint64_t)(s)*1000000000u + (uint64_t)(us)*1000u)

static const struct sample samples[] = {
	{
		/* scenario-a-down-up.trace */
		{ CPUHP_TRACE_ENTER, 1, 153, 0, 235, 0, "sched_cpu_deactivate", "cpuhp/1",
		  19, 1, US(4, 199486) },
		"         cpuhp/1-19      [001] .....     4.199486: cpuhp_enter: cpu: 0001 "
		"target: 153 step: 235 (sched_cpu_deactivate)",
		"cpu: 0001 target: 153 step: 235 (sched_cpu_deactivate)",
	},
	{
		/* scenario-a-down-up.trace */
		{ CPUHP_TRACE_EXIT, 1, 0, 234, 235, 0, NULL, "cpuhp/1", 19, 1,
		  US(4, 224039) },
		"         cpuhp/1-19      [001] .....     4.224039: cpuhp_exit:  cpu: 0001  "
		"state: 234 step: 235 ret: 0",
		" cpu: 0001  state: 234 step: 235 ret: 0",
	},
	{
		/* scenario-a-down-up.trace: control side of an offline */
		{ CPUHP_TRACE_ENTER, 1, 153, 0, 236, 0, "cpuhp_kick_ap_work",
		  "kworker/0:2", 64, 0, US(4, 199288) },
		"     kworker/0:2-64      [000] .....     4.199288: cpuhp_enter: cpu: 0001 "
		"target: 153 step: 236 (cpuhp_kick_ap_work)",
		"cpu: 0001 target: 153 step: 236 (cpuhp_kick_ap_work)",
	},
	{
		/* boot-trace-main.trace: one instance of trace/RB:prepare */
		{ CPUHP_TRACE_MULTI_ENTER, 1, 236, 0, 62, 0, "trace_rb_cpu_prepare",
		  "swapper/0", 1, 0, US(0, 675889) },
		"       swapper/0-1       [000] .....     0.675889: cpuhp_multi_enter: cpu: 0001 "
		"target: 236 step:  62 (trace_rb_cpu_prepare)",
		"cpu: 0001 target: 236 step:  62 (trace_rb_cpu_prepare)",
	},
	{
		/* boot-trace-main.trace: first PREPARE step, two-digit state */
		{ CPUHP_TRACE_EXIT, 1, 0, 1, 1, 0, NULL, "swapper/0", 1, 0,
		  US(0, 675013) },
		"       swapper/0-1       [000] .....     0.675013: cpuhp_exit:  cpu: 0001  "
		"state:   1 step:   1 ret: 0",
		" cpu: 0001  state:   1 step:   1 ret: 0",
	},
	{
		/* a b-scenario: bring-up failing with -EAGAIN, two-digit timestamp */
		{ CPUHP_TRACE_EXIT, 1, 0, 236, 236, -11, NULL, "kworker/0:2", 64, 0,
		  US(11, 159718) },
		"     kworker/0:2-64      [000] .....    11.159718: cpuhp_exit:  cpu: 0001  "
		"state: 236 step: 236 ret: -11",
		" cpu: 0001  state: 236 step: 236 ret: -11",
	},
	{
		/* a b-scenario: a three-digit pid */
		{ CPUHP_TRACE_EXIT, 1, 0, 154, 91, -11, NULL, "hpw", 448, 2,
		  US(7, 926370) },
		"             hpw-448     [002] .....     7.926370: cpuhp_exit:  cpu: 0001  "
		"state: 154 step:  91 ret: -11",
		" cpu: 0001  state: 154 step:  91 ret: -11",
	},
};

static void oracle_lines(void)
{
	char buf[512], want[512];
	size_t i;
	int n;

	for (i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		const struct sample *s = &samples[i];

		snprintf(want, sizeof(want), "%s\n", s->line);
		n = cpuhp_trace_format(&s->ev, buf, sizeof(buf));
		is_str(buf, want, "line %zu matches the oracle", i);
		is_int(n, (int)strlen(want), "line %zu: returned length", i);
		n = cpuhp_trace_format_body(&s->ev, buf, sizeof(buf));
		is_str(buf, s->body, "body %zu matches the oracle", i);
		is_int(n, (int)strlen(s->body), "body %zu: returned length", i);
	}
}

#define LONG_PREFIX \
	"a-very-long-thread-name-1234567 [001] ..... 123456.000007: cpuhp_enter: "

static void edge_cases(void)
{
	struct cpuhp_trace_event ev = samples[0].ev;
	char buf[512], small[20];
	int full, n;

	full = cpuhp_trace_format(&ev, buf, sizeof(buf));
	n = cpuhp_trace_format(&ev, small, sizeof(small));
	is_int(n, full, "truncated: returns the full length");
	ok(strlen(small) == sizeof(small) - 1 && !strncmp(small, buf, sizeof(small) - 1),
	   "truncated: a NUL-terminated prefix");
	is_int(cpuhp_trace_format(&ev, NULL, 0), full, "NULL buffer: just the length");
	n = cpuhp_trace_format(&ev, buf, (size_t)full);
	ok(n == full && strlen(buf) == (size_t)full - 1,
	   "one byte short loses the newline");
	n = cpuhp_trace_format_body(&ev, small, 5);
	is_str(small, "cpu:", "truncated body");

	ev.cpu = 12345;
	ev.idx = 1000;
	ev.target = -1;
	cpuhp_trace_format_body(&ev, buf, sizeof(buf));
	is_str(buf, "cpu: 12345 target:  -1 step: 1000 (sched_cpu_deactivate)",
	       "wide numbers print fully");
	ev.fn = NULL;
	cpuhp_trace_format_body(&ev, buf, sizeof(buf));
	is_str(buf, "cpu: 12345 target:  -1 step: 1000 (0x0)", "NULL symbol");
	ev.task = "a-very-long-thread-name";
	ev.task_pid = 1234567;
	ev.ts_ns = US(123456, 7);
	cpuhp_trace_format(&ev, buf, sizeof(buf));
	ok(!strncmp(buf, LONG_PREFIX, strlen(LONG_PREFIX)),
	   "long task name, pid and timestamp are not cut");

	is_str(cpuhp_trace_event_name(CPUHP_TRACE_ENTER), "cpuhp_enter", "enter name");
	is_str(cpuhp_trace_event_name(CPUHP_TRACE_MULTI_ENTER), "cpuhp_multi_enter",
	       "multi_enter name");
	is_str(cpuhp_trace_event_name(CPUHP_TRACE_EXIT), "cpuhp_exit", "exit name");
}

/*
 * The line the kernel's formats give (ftrace's default line around the
 * events' TP_printk strings), written with printf in the test itself: the
 * library writes the common case by hand and must give the same bytes.
 */
static int printf_line(const struct cpuhp_trace_event *ev, char *buf, size_t len)
{
	unsigned long long us = (unsigned long long)(ev->ts_ns / 1000u);
	int n = snprintf(buf, len, "%16s-%-7d [%03u] ..... %5llu.%06llu: %s: ",
			 ev->task ? ev->task : "<...>", ev->task_pid, ev->task_cpu,
			 us / 1000000u, us % 1000000u, cpuhp_trace_event_name(ev->type));

	if (ev->type == CPUHP_TRACE_MARK)
		n += snprintf(buf + n, len - (size_t)n, "%s\n", ev->fn ? ev->fn : "");
	else if (ev->type == CPUHP_TRACE_EXIT)
		n += snprintf(buf + n, len - (size_t)n,
			      " cpu: %04u  state: %3d step: %3d ret: %d\n", ev->cpu,
			      ev->state, ev->idx, ev->ret);
	else
		n += snprintf(buf + n, len - (size_t)n,
			      "cpu: %04u target: %3d step: %3d (%s)\n", ev->cpu,
			      ev->target, ev->idx, ev->fn ? ev->fn : "0x0");
	return n;
}

/* A small generator of its own, so that a failure replays. */
static unsigned long long rnd_state = 0x9e3779b97f4a7c15ull;

static unsigned long long rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

/* Small, large, negative and extreme values alike. */
static int rnd_int(void)
{
	static const int edges[] = { 0,
				     1,
				     -1,
				     9,
				     10,
				     99,
				     100,
				     999,
				     1000,
				     -99,
				     -100,
				     2147483647,
				     -2147483647 - 1 };

	switch (rnd() % 4) {
	case 0:
		return edges[rnd() % (sizeof(edges) / sizeof(edges[0]))];
	case 1:
		return (int)(rnd() % 300);
	case 2:
		return -(int)(rnd() % 300);
	default:
		return (int)(unsigned int)rnd();
	}
}

static void same_as_printf(void)
{
	static const char *const names[] = { NULL,
					     "",
					     "cpuhp/1",
					     "kworker/0:2",
					     "exactly-16-chars",
					     "seventeen-chars-x",
					     "a-thread-name-far-longer-than-sixteen" };
	static const enum cpuhp_trace_type types[] = { CPUHP_TRACE_ENTER,
						       CPUHP_TRACE_MULTI_ENTER,
						       CPUHP_TRACE_EXIT,
						       CPUHP_TRACE_MARK };
	char got[1024], want[1024];
	unsigned int i, bad = 0;

	for (i = 0; i < 20000; i++) {
		struct cpuhp_trace_event ev = {
			.type = types[rnd() % 4],
			.cpu = rnd() % 3 ? (unsigned int)(rnd() % 20000) :
					   (unsigned int)rnd(),
			.target = rnd_int(),
			.state = rnd_int(),
			.idx = rnd_int(),
			.ret = rnd_int(),
			.fn = names[rnd() % 7],
			.task = names[rnd() % 7],
			.task_pid = rnd_int(),
			.task_cpu = rnd() % 3 ? (unsigned int)(rnd() % 300) :
						(unsigned int)rnd(),
			.ts_ns = rnd() % 2 ? rnd() % 100000000000000ull : rnd(),
		};
		int w = printf_line(&ev, want, sizeof(want));
		int n = cpuhp_trace_format(&ev, got, sizeof(got));

		if ((n != w || strcmp(got, want)) && !bad++)
			diag("first difference: got '%s' (%d), want '%s' (%d)", got, n,
			     want, w);
	}
	is_int((int)bad, 0, "20,000 random events: the same line as the printf formats");
}

int main(void)
{
	plan_no_plan();
	oracle_lines();
	edge_cases();
	same_as_printf();
	return done_testing();
}
