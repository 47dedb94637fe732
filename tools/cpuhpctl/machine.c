// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * machine.c - the machine behind a cpuhpctl run: built on first use from the
 * options, with the library's log hook on stderr and its trace sink on the
 * --trace file; torn down silently (no trace) at exit.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <cpuhp/cpuhp.h>
#include <cpuhp/ledger.h>

#include "cpuhpctl.h"

/* Called from the control thread and from the "cpuhp/N" threads. */
static void log_stderr(void *data, int priority, const char *file, int line,
		       const char *fn, const char *format, va_list args)
{
	const struct cpuhpctl *ctl = data;
	char msg[1024];

	(void)file;
	(void)line;
	vsnprintf(msg, sizeof(msg), format, args);
	/* One fprintf per message keeps lines from different threads whole. */
	if (ctl->verbose)
		fprintf(stderr, "cpuhpctl: <%d> %s: %s\n", priority, fn, msg);
	else
		fprintf(stderr, "cpuhpctl: %s\n", msg);
}

static void trace_sink(void *data, const struct cpuhp_trace_event *ev)
{
	char line[512];

	cpuhp_trace_format(ev, line, sizeof(line));
	fputs(line, data);
}

static int open_trace(struct cpuhpctl *ctl)
{
	if (!ctl->trace_path)
		return 0;
	if (!strcmp(ctl->trace_path, "-")) {
		ctl->trace = stdout;
		return 0;
	}
	ctl->trace = fopen(ctl->trace_path, "w");
	if (!ctl->trace) {
		ctl_err("cannot open trace file %s: %s", ctl->trace_path,
			strerror(errno));
		return -errno;
	}
	return 0;
}

int ctl_machine(struct cpuhpctl *ctl, struct cpuhp **hp)
{
	int ret;

	if (!ctl->hp) {
		ctl->cfg.log_fn = log_stderr;
		ctl->cfg.log_data = ctl;
		ctl->cfg.log_priority = ctl->verbose ? LOG_DEBUG : LOG_WARNING;
		ret = cpuhp_new(&ctl->cfg, &ctl->hp);
		if (ret) {
			ctl->hp = NULL;
			ctl_err("cannot create the machine: %s", strerror(-ret));
			return ret;
		}
		ret = open_trace(ctl);
		if (ret)
			return ret;
		if (ctl->trace)
			cpuhp_trace_set_fn(ctl->hp, trace_sink, ctl->trace);
	}
	*hp = ctl->hp;
	return 0;
}

/*
 * A callback in the wrong context, or (with the ledger on) a broken
 * invariant, also of the whole machine at the end, makes the run fail: print each and return -EPROTO.
 */
static int report_checks(struct cpuhp *hp)
{
	unsigned long ctx = cpuhp_context_violations(hp);
	struct cpuhp_ledger_violation v;
	size_t i, n;

	/* The whole machine at the end, as explore checks it after a point. */
	cpuhp_ledger_check(hp);
	n = cpuhp_ledger_nr_violations(hp);

	for (i = 0; i < n; i++)
		if (!cpuhp_ledger_get_violation(hp, i, &v))
			ctl_err("ledger: %s: %s", cpuhp_ledger_kind_name(v.kind), v.msg);
	if (ctx)
		ctl_err("%lu callback%s ran in the wrong context", ctx,
			ctx > 1 ? "s" : "");
	return ctx || n ? -EPROTO : 0;
}

int ctl_release(struct cpuhpctl *ctl)
{
	int ret = 0;

	if (ctl->hp) {
		ret = report_checks(ctl->hp);
		cpuhp_ledger_disable(ctl->hp);
		/* Taking the CPUs down at exit is not part of what was asked. */
		cpuhp_trace_set_fn(ctl->hp, NULL, NULL);
		cpuhp_free(ctl->hp);
		ctl->hp = NULL;
	}
	if (ctl->trace && ctl->trace != stdout) {
		if (fclose(ctl->trace)) {
			ctl_err("error writing trace file %s: %s", ctl->trace_path,
				strerror(errno));
			ret = -EIO;
		}
	}
	ctl->trace = NULL;
	return ret;
}

ssize_t ctl_read_text(struct cpuhp *hp, const char *path, char **text)
{
	size_t len = 4096;
	ssize_t n;
	char *buf;

	for (;;) {
		buf = malloc(len);
		if (!buf)
			return -ENOMEM;
		n = cpuhp_ctl_read(hp, path, buf, len);
		if (n < 0 || (size_t)n < len)
			break;
		/* The text grew beyond the buffer: read again with room for it. */
		free(buf);
		len = (size_t)n + 1;
	}
	if (n < 0) {
		free(buf);
		return n;
	}
	*text = buf;
	return n;
}
