/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * log-keep.h - a log hook for tests: keeps the library's messages (the last
 * LOG_KEEP of them) instead of printing them, so a test can ask whether a
 * message was logged.  Safe from any thread (one mutex).
 */
#ifndef CPUHP_TESTS_LOG_KEEP_H
#define CPUHP_TESTS_LOG_KEEP_H

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define LOG_KEEP 512

static pthread_mutex_t ulog_lock = PTHREAD_MUTEX_INITIALIZER;
static char ulog_msgs[LOG_KEEP][256];
static unsigned int ulog_count;

/* A cpuhp_log_fn: every message is kept, whatever its priority. */
static inline void ulog_hook(void *data, int prio, const char *file, int line,
			     const char *fn, const char *fmt, va_list args)
{
	(void)data;
	(void)prio;
	(void)file;
	(void)line;
	(void)fn;
	pthread_mutex_lock(&ulog_lock);
	vsnprintf(ulog_msgs[ulog_count % LOG_KEEP], sizeof(ulog_msgs[0]), fmt, args);
	ulog_count++;
	pthread_mutex_unlock(&ulog_lock);
}

/* Was a message containing @needle logged (among the last LOG_KEEP)? */
static inline bool ulog_has(const char *needle)
{
	unsigned int i, n;
	bool found = false;

	pthread_mutex_lock(&ulog_lock);
	n = ulog_count < LOG_KEEP ? ulog_count : LOG_KEEP;
	for (i = 0; i < n && !found; i++)
		found = strstr(ulog_msgs[i], needle) != NULL;
	pthread_mutex_unlock(&ulog_lock);
	return found;
}

/* Forget every kept message. */
static inline void ulog_clear(void)
{
	pthread_mutex_lock(&ulog_lock);
	ulog_count = 0;
	pthread_mutex_unlock(&ulog_lock);
}

#endif /* CPUHP_TESTS_LOG_KEEP_H */
