/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tests/tap.h - a small TAP (Test Anything Protocol) producer for our tests.
 *
 * Results go to stdout as TAP ("ok 1 - what"), diagnostics to stderr as
 * "# ..." lines.  Every call is serialised by one mutex, so checks may be
 * made from several threads; the numbering then follows the order in which
 * the checks complete.
 *
 *	int main(void)
 *	{
 *		plan(2);			// or plan_no_plan()
 *		ok(cpuhp_new(NULL, &hp) == 0, "boot");
 *		is_int(cpuhp_num_online(hp), 4, "all CPUs online");
 *		return exit_status();		// or: return done_testing();
 *	}
 *
 * The message of ok(), is_int(), is_str(), pass() and fail() is an optional
 * printf format, which must be a string literal (without one, the checked
 * expression is the message).  Exit
 * with 77 (TAP_SKIP, or skip_all()) to tell CTest the whole test is skipped.
 */
#ifndef CPUHP_TESTS_TAP_H
#define CPUHP_TESTS_TAP_H

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TAP_SKIP 77

#if defined(__GNUC__)
#define TAP_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define TAP_NORETURN __attribute__((noreturn))
#else
#define TAP_PRINTF(f, a)
#define TAP_NORETURN
#endif

/* Announce @n checks ("1..n").  Running a different number is a failure. */
void plan(int n);
/* Do not announce a count: done_testing() prints "1..N" at the end. */
void plan_no_plan(void);
/* Print "1..0 # SKIP why" and exit with 77 (CTest's SKIP_RETURN_CODE). */
TAP_NORETURN void skip_all(const char *fmt, ...) TAP_PRINTF(1, 2);
/* Print "Bail out! why" and exit with 1: a test cannot go on. */
TAP_NORETURN void bail_out(const char *fmt, ...) TAP_PRINTF(1, 2);

/* Record a passing or failing check; returns @pass. */
#define ok(cond, ...) tap_ok(!!(cond), #cond, __FILE__, __LINE__, "" __VA_ARGS__)
/* ok() with the expression itself as the message. */
#define ok1(expr) tap_ok(!!(expr), #expr, __FILE__, __LINE__, "%s", #expr)
/* Compare two integers (as long long); print both on failure. */
#define is_int(got, want, ...)                                                           \
	tap_is_int((long long)(got), (long long)(want), #got, #want, __FILE__, __LINE__, \
		   "" __VA_ARGS__)
/* Compare two strings (NULL allowed); print both on failure. */
#define is_str(got, want, ...) \
	tap_is_str((got), (want), #got, #want, __FILE__, __LINE__, "" __VA_ARGS__)
#define pass(...) tap_ok(1, NULL, __FILE__, __LINE__, "" __VA_ARGS__)
#define fail(...) tap_ok(0, NULL, __FILE__, __LINE__, "" __VA_ARGS__)

/* Print "ok N # skip why" for @n checks that cannot run here. */
void skip(int n, const char *fmt, ...) TAP_PRINTF(2, 3);
/* A "# ..." line on stderr (shown by prove and by CTest on failure). */
void diag(const char *fmt, ...) TAP_PRINTF(1, 2);
/* A "# ..." line on stdout (shown only in verbose runs). */
void note(const char *fmt, ...) TAP_PRINTF(1, 2);

/* Number of failed checks so far. */
int tap_failures(void);
/*
 * Exit status for main(): prints "1..N" if no plan was printed yet, then
 * returns 0 when every check passed and the plan (if any) was met, else 1.
 * Never 77, so a failure is never reported as a skip.
 */
int exit_status(void);
/* Same as exit_status(); reads well after plan_no_plan(). */
int done_testing(void);

bool tap_ok(bool pass, const char *expr, const char *file, int line, const char *fmt, ...)
	TAP_PRINTF(5, 6);
bool tap_is_int(long long got, long long want, const char *got_expr,
		const char *want_expr, const char *file, int line, const char *fmt, ...)
	TAP_PRINTF(7, 8);
bool tap_is_str(const char *got, const char *want, const char *got_expr,
		const char *want_expr, const char *file, int line, const char *fmt, ...)
	TAP_PRINTF(7, 8);

#ifdef __cplusplus
}
#endif

#endif /* CPUHP_TESTS_TAP_H */
