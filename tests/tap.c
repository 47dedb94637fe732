/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tests/tap.c - TAP output for the test programs (see tap.h).
 *
 * All state sits behind one mutex, so checks may come from any thread.  Lines
 * are written whole and flushed at once, stdout before stderr, so that the
 * two streams interleave in order when CTest captures them together.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

static pthread_mutex_t tap_lock = PTHREAD_MUTEX_INITIALIZER;
static int planned = -1; /* -1: no plan yet */
static int run;
static int failed;
static bool started;
static bool plan_printed;
static bool finished; /* skip_all() or bail_out(): nothing to report at exit */

static void vline(FILE *f, const char *prefix, const char *fmt, va_list ap)
	TAP_PRINTF(3, 0);
static void vline(FILE *f, const char *prefix, const char *fmt, va_list ap)
{
	fflush(stdout);
	fputs(prefix, f);
	vfprintf(f, fmt, ap);
	fputc('\n', f);
	fflush(f);
}

static void line(FILE *f, const char *fmt, ...) TAP_PRINTF(2, 3);
static void line(FILE *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline(f, "", fmt, ap);
	va_end(ap);
}

static void check_plan(void)
{
	if (run == planned)
		return;
	line(stderr, "# Looks like you planned %d test%s but ran %d.", planned,
	     planned == 1 ? "" : "s", run);
}

/* trylock: never hang at exit because a thread died holding the lock. */
static void at_exit(void)
{
	if (pthread_mutex_trylock(&tap_lock))
		return;
	if (finished) {
		pthread_mutex_unlock(&tap_lock);
		return;
	}
	if (plan_printed)
		check_plan();
	if (failed)
		line(stderr, "# Looks like you failed %d test%s of %d.", failed,
		     failed == 1 ? "" : "s", run);
	pthread_mutex_unlock(&tap_lock);
}

static void start(int n)
{
	pthread_mutex_lock(&tap_lock);
	if (started) {
		pthread_mutex_unlock(&tap_lock);
		bail_out("plan() called twice");
	}
	started = true;
	planned = n;
	if (n >= 0) {
		line(stdout, "1..%d", n);
		plan_printed = true;
	}
	atexit(at_exit);
	pthread_mutex_unlock(&tap_lock);
}

void plan(int n)
{
	start(n < 0 ? 0 : n);
}

void plan_no_plan(void)
{
	start(-1);
}

void skip_all(const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&tap_lock);
	va_start(ap, fmt);
	vline(stdout, "1..0 # SKIP ", fmt, ap);
	va_end(ap);
	finished = true;
	pthread_mutex_unlock(&tap_lock);
	exit(TAP_SKIP);
}

void bail_out(const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&tap_lock);
	va_start(ap, fmt);
	vline(stdout, "Bail out! ", fmt, ap);
	va_end(ap);
	finished = true;
	pthread_mutex_unlock(&tap_lock);
	exit(1);
}

/* In a result line, '#' would start a TAP directive and '\n' a new line. */
static void escape(char *dst, size_t size, const char *src)
{
	size_t n = 0;

	for (; *src && n + 3 < size; src++) {
		if (*src == '#')
			dst[n++] = '\\';
		dst[n++] = *src == '\n' ? ' ' : *src;
	}
	dst[n] = '\0';
}

/* Caller holds tap_lock.  Prints the result line and, on failure, where. */
static void result(bool pass, const char *file, int line_no, const char *fmt, va_list ap,
		   const char *fallback) TAP_PRINTF(4, 0);
static void result(bool pass, const char *file, int line_no, const char *fmt, va_list ap,
		   const char *fallback)
{
	char msg[512], esc[1024];

	if (fmt && fmt[0])
		vsnprintf(msg, sizeof(msg), fmt, ap);
	else
		snprintf(msg, sizeof(msg), "%s", fallback ? fallback : "");
	run++;
	if (!pass)
		failed++;
	escape(esc, sizeof(esc), msg);
	line(stdout, "%sok %d%s%s", pass ? "" : "not ", run, esc[0] ? " - " : "", esc);
	if (!pass)
		line(stderr, "#   Failed test %s%s%sat %s line %d.", msg[0] ? "'" : "",
		     msg, msg[0] ? "'\n#   " : "", file, line_no);
}

bool tap_ok(bool pass, const char *expr, const char *file, int line_no, const char *fmt,
	    ...)
{
	va_list ap;

	pthread_mutex_lock(&tap_lock);
	va_start(ap, fmt);
	result(pass, file, line_no, fmt, ap, expr);
	va_end(ap);
	pthread_mutex_unlock(&tap_lock);
	return pass;
}

bool tap_is_int(long long got, long long want, const char *got_expr,
		const char *want_expr, const char *file, int line_no, const char *fmt,
		...)
{
	bool pass = got == want;
	char name[256];
	va_list ap;

	snprintf(name, sizeof(name), "%s == %s", got_expr, want_expr);
	pthread_mutex_lock(&tap_lock);
	va_start(ap, fmt);
	result(pass, file, line_no, fmt, ap, name);
	va_end(ap);
	if (!pass)
		line(stderr, "#          got: %lld (%s)\n#     expected: %lld (%s)", got,
		     got_expr, want, want_expr);
	pthread_mutex_unlock(&tap_lock);
	return pass;
}

bool tap_is_str(const char *got, const char *want, const char *got_expr,
		const char *want_expr, const char *file, int line_no, const char *fmt,
		...)
{
	bool pass = (got && want) ? strcmp(got, want) == 0 : got == want;
	char name[256];
	va_list ap;

	snprintf(name, sizeof(name), "%s == %s", got_expr, want_expr);
	pthread_mutex_lock(&tap_lock);
	va_start(ap, fmt);
	result(pass, file, line_no, fmt, ap, name);
	va_end(ap);
	if (!pass)
		line(stderr, "#          got: %s%s%s\n#     expected: %s%s%s",
		     got ? "\"" : "", got ? got : "NULL", got ? "\"" : "",
		     want ? "\"" : "", want ? want : "NULL", want ? "\"" : "");
	pthread_mutex_unlock(&tap_lock);
	return pass;
}

void skip(int n, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&tap_lock);
	while (n-- > 0)
		line(stdout, "ok %d # skip %s", ++run, why);
	pthread_mutex_unlock(&tap_lock);
}

void diag(const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&tap_lock);
	va_start(ap, fmt);
	vline(stderr, "# ", fmt, ap);
	va_end(ap);
	pthread_mutex_unlock(&tap_lock);
}

void note(const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&tap_lock);
	va_start(ap, fmt);
	vline(stdout, "# ", fmt, ap);
	va_end(ap);
	pthread_mutex_unlock(&tap_lock);
}

int tap_failures(void)
{
	int n;

	pthread_mutex_lock(&tap_lock);
	n = failed;
	pthread_mutex_unlock(&tap_lock);
	return n;
}

/* Caller holds tap_lock. */
static int status_locked(void)
{
	if (!plan_printed) {
		line(stdout, "1..%d", run);
		planned = run;
		plan_printed = true;
	}
	return failed || run != planned;
}

int exit_status(void)
{
	int status;

	pthread_mutex_lock(&tap_lock);
	status = status_locked();
	pthread_mutex_unlock(&tap_lock);
	return status;
}

int done_testing(void)
{
	return exit_status();
}
