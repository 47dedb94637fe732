/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * completion.h - the hand-off primitives: wait for a futex word to change
 * (a short adaptive spin, then sleep) and wake its sleepers, and on top the
 * kernel's completion (counting, so a complete() before the wait is not lost).
 */
#ifndef CPUHP_COMPLETION_H
#define CPUHP_COMPLETION_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

/* The sleepers of one futex word, and how long its waiters spin first. */
struct cpuhp_waitq {
	_Atomic int sleepers;           /* threads in (or about to enter) futex_wait */
	_Atomic unsigned int spin;      /* adaptive spin budget, in polls */
	_Atomic unsigned long *wakeups; /* machine statistics: threads woken */
};

struct cpuhp_completion {
	_Atomic int done; /* futex word: completions not yet consumed */
	struct cpuhp_waitq q;
};

void cpuhp__waitq_init(struct cpuhp_waitq *q, _Atomic unsigned long *wakeups);
void cpuhp__wait_ne(struct cpuhp_waitq *q, _Atomic int *word, int val);
bool cpuhp__wait_ne_timeout(struct cpuhp_waitq *q, _Atomic int *word, int val,
			    uint64_t timeout_ns);
void cpuhp__wake(struct cpuhp_waitq *q, _Atomic int *word);

void cpuhp__completion_init(struct cpuhp_completion *c, _Atomic unsigned long *wakeups);
void cpuhp__completion_destroy(struct cpuhp_completion *c);
void cpuhp__complete(struct cpuhp_completion *c);
void cpuhp__wait_for_completion(struct cpuhp_completion *c);

#endif /* CPUHP_COMPLETION_H */
