/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * futex.h - the two futex operations the hand-offs and the read lock use,
 * on C11 atomic ints, plus the CPU's spin-wait hint.  A futex word is only
 * ever read and written through C11 atomics, so TSan sees every
 * synchronisation; the system call only sleeps and wakes.
 */
#ifndef CPUHP_FUTEX_H
#define CPUHP_FUTEX_H

#include <limits.h>
#include <linux/futex.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "base/sched.h"

/*
 * Sleep while *@word == @val (returns at once if it differs, or spuriously).
 * A scheduled thread lets the deterministic scheduler run others instead.
 */
static inline void cpuhp__futex_wait(_Atomic int *word, int val)
{
	if (cpuhp__sched_on()) {
		cpuhp__sched_wait_word(word, val, false);
		return;
	}
	syscall(SYS_futex, (int *)word, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
}

/*
 * As cpuhp__futex_wait(), for at most @rel.  Return: false if a scheduled
 * thread's wait timed out (the scheduler found nothing else to run).
 */
static inline bool cpuhp__futex_wait_rel(_Atomic int *word, int val,
					 const struct timespec *rel)
{
	if (cpuhp__sched_on())
		return cpuhp__sched_wait_word(word, val, true);
	syscall(SYS_futex, (int *)word, FUTEX_WAIT_PRIVATE, val, rel, NULL, 0);
	return true;
}

/* Wake up to @n sleepers on @word (INT_MAX: all); returns how many woke. */
static inline int cpuhp__futex_wake(_Atomic int *word, int n)
{
	long r = syscall(SYS_futex, (int *)word, FUTEX_WAKE_PRIVATE, n, NULL, NULL, 0);

	return r > 0 ? (int)r : 0;
}

static inline void cpuhp__cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield");
#endif
}

#endif /* CPUHP_FUTEX_H */
