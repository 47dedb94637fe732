// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * log.c - logging through the machine's hook, WARN counting, fatal errors.
 *
 * The library never writes to stdout or stderr: every message goes to the
 * hook set with cpuhp_set_log_fn() (or dropped).  The one exception is
 * cpuhp__die(), which aborts the process on an impossible pthread failure.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine/log.h"
#include "machine/machine.h"

static void vlog(const struct cpuhp *hp, int prio, const char *file, int line,
		 const char *fn, const char *fmt, va_list ap)
{
	if (!hp->log_fn ||
	    prio > atomic_load_explicit(&hp->log_priority, memory_order_relaxed))
		return;
	hp->log_fn(hp->log_data, prio, file, line, fn, fmt, ap);
}

void cpuhp__log(const struct cpuhp *hp, int prio, const char *file, int line,
		const char *fn, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(hp, prio, file, line, fn, fmt, ap);
	va_end(ap);
}

void cpuhp__warn(struct cpuhp *hp, const char *file, int line, const char *fn,
		 const char *fmt, ...)
{
	va_list ap;

	atomic_fetch_add_explicit(&hp->warn_count, 1, memory_order_relaxed);
	va_start(ap, fmt);
	vlog(hp, LOG_WARNING, file, line, fn, fmt, ap);
	va_end(ap);
}

bool cpuhp__warn_on(struct cpuhp *hp, bool cond, const char *file, int line,
		    const char *fn, const char *expr)
{
	if (cond)
		cpuhp__warn(hp, file, line, fn, "WARN_ON(%s)", expr);
	return cond;
}

_Noreturn void cpuhp__die(const char *file, int line, const char *fn, int err)
{
	/* The only place the library prints: the process is about to abort. */
	fprintf(stderr, "libcpuhp: fatal: %s:%d %s: %s\n", file, line, fn, strerror(err));
	abort();
}

void cpuhp_set_log_fn(struct cpuhp *hp, cpuhp_log_fn fn, void *data)
{
	hp->log_fn = fn;
	hp->log_data = data;
}

void cpuhp_set_log_priority(struct cpuhp *hp, int priority)
{
	atomic_store_explicit(&hp->log_priority, priority, memory_order_relaxed);
}

unsigned long cpuhp_warn_count(const struct cpuhp *hp)
{
	return atomic_load_explicit(&hp->warn_count, memory_order_relaxed);
}

#define E(x)          \
	{             \
		x, #x \
	}
static const struct {
	int err;
	const char *name;
} errnames[] = {
	E(EPERM),     E(ENOENT),       E(EIO),     E(ENOMEM), E(EACCES),
	E(EBUSY),     E(EEXIST),       E(ENODEV),  E(EISDIR), E(EINVAL),
	E(ENOSPC),    E(ERANGE),       E(EDEADLK), E(EAGAIN), E(EOPNOTSUPP),
	E(ECANCELED), E(ENAMETOOLONG), E(EFAULT),  E(ENXIO),  E(ETIMEDOUT),
};

const char *cpuhp_strerror_name(int err)
{
	size_t i;

	if (err < 0)
		err = -err;
	for (i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (errnames[i].err == err)
			return errnames[i].name;
	return "E?";
}
