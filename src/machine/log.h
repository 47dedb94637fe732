/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * log.h - logging through the machine's hook, the kernel's WARN, and the
 * abort on an impossible pthread failure (log.c).  The library never
 * writes to stdout or stderr itself.
 */
#ifndef CPUHP_LOG_H
#define CPUHP_LOG_H

#include <stdbool.h>
#include <syslog.h>

struct cpuhp;

void cpuhp__log(const struct cpuhp *hp, int prio, const char *file, int line,
		const char *fn, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
void cpuhp__warn(struct cpuhp *hp, const char *file, int line, const char *fn,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#define cpuhp_err(hp, ...) \
	cpuhp__log(hp, LOG_ERR, __FILE__, __LINE__, __func__, __VA_ARGS__)
#define cpuhp_info(hp, ...) \
	cpuhp__log(hp, LOG_INFO, __FILE__, __LINE__, __func__, __VA_ARGS__)
#define cpuhp_dbg(hp, ...) \
	cpuhp__log(hp, LOG_DEBUG, __FILE__, __LINE__, __func__, __VA_ARGS__)
/* Kernel WARN: log at LOG_WARNING, count it, continue. */
#define CPUHP_WARN(hp, ...) cpuhp__warn(hp, __FILE__, __LINE__, __func__, __VA_ARGS__)
#define CPUHP_WARN_ON(hp, cond) \
	cpuhp__warn_on(hp, !!(cond), __FILE__, __LINE__, __func__, #cond)
bool cpuhp__warn_on(struct cpuhp *hp, bool cond, const char *file, int line,
		    const char *fn, const char *expr);

/* Unrecoverable pthread failure: abort with where and why (liburcu's die). */
#define cpuhp_die(err) cpuhp__die(__FILE__, __LINE__, __func__, err)
_Noreturn void cpuhp__die(const char *file, int line, const char *fn, int err);

#endif /* CPUHP_LOG_H */
