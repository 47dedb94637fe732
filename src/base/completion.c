// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * completion.c - hand-offs on futexes with a short adaptive spin.
 *
 * A waiter polls its word for a while (the other side is often already
 * running on the other core), then registers as a sleeper and sleeps in
 * futex_wait.  The waker changes the word and issues futex_wake only when a
 * sleeper is registered.  Both sides use seq_cst on the word and on the
 * sleeper count, so either the waker sees the sleeper or the sleeper sees
 * the new value (the Dekker pattern); a futex_wait on a stale value returns
 * at once.  The word's accesses are C11 atomics: release on the waker's
 * change, acquire on the waiter's read, which is also what makes the
 * per-CPU record (state, result, rollback ...) safe to read after a hand-off.
 */
#include <time.h>

#include "base/clock.h"
#include "base/completion.h"
#include "base/debug-delay.h"
#include "base/futex.h"

#define SPIN_MIN 8
#define SPIN_START 64
#define SPIN_MAX 1024

void cpuhp__waitq_init(struct cpuhp_waitq *q, _Atomic unsigned long *wakeups)
{
	atomic_init(&q->sleepers, 0);
	atomic_init(&q->spin, SPIN_START);
	q->wakeups = wakeups;
}

/*
 * Poll @word up to the budget.  The budget grows when spinning paid off and
 * shrinks when the waiter had to sleep anyway, so a waiter whose partner is
 * slow (or not running: two cores, many threads) stops burning its core.
 */
static bool spin_ne(struct cpuhp_waitq *q, _Atomic int *word, int val)
{
	unsigned int budget = atomic_load_explicit(&q->spin, memory_order_relaxed), i;

	for (i = 0; i < budget; i++) {
		/* acquire: pairs with the waker's seq_cst change of @word. */
		if (atomic_load_explicit(word, memory_order_acquire) != val) {
			if (budget < SPIN_MAX)
				atomic_store_explicit(&q->spin, budget * 2,
						      memory_order_relaxed);
			return true;
		}
		cpuhp__cpu_relax();
	}
	if (budget > SPIN_MIN)
		atomic_store_explicit(&q->spin, budget / 2, memory_order_relaxed);
	return false;
}

/**
 * cpuhp__wait_ne - wait until *@word is no longer @val
 * @q:    the word's sleepers
 * @word: the futex word
 * @val:  the value to wait out
 */
void cpuhp__wait_ne(struct cpuhp_waitq *q, _Atomic int *word, int val)
{
	/* A scheduled thread must not spin: nobody else runs meanwhile. */
	if (!cpuhp__sched_on() && spin_ne(q, word, val))
		return;
	atomic_fetch_add_explicit(&q->sleepers, 1, memory_order_seq_cst);
	while (atomic_load_explicit(word, memory_order_seq_cst) == val)
		cpuhp__futex_wait(word, val);
	atomic_fetch_sub_explicit(&q->sleepers, 1, memory_order_relaxed);
}

/**
 * cpuhp__wait_ne_timeout - cpuhp__wait_ne() for at most @timeout_ns
 * @q:          the word's sleepers
 * @word:       the futex word
 * @val:        the value to wait out
 * @timeout_ns: the limit
 *
 * Return: true if the word changed, false on timeout.
 */
bool cpuhp__wait_ne_timeout(struct cpuhp_waitq *q, _Atomic int *word, int val,
			    uint64_t timeout_ns)
{
	uint64_t end = cpuhp__now_ns() + timeout_ns, now;
	bool changed;

	if (!cpuhp__sched_on() && spin_ne(q, word, val))
		return true;
	atomic_fetch_add_explicit(&q->sleepers, 1, memory_order_seq_cst);
	while (!(changed = atomic_load_explicit(word, memory_order_seq_cst) != val) &&
	       (now = cpuhp__now_ns()) < end) {
		struct timespec rel = { (time_t)((end - now) / 1000000000ull),
					(long)((end - now) % 1000000000ull) };

		/* Scheduled, the time limit is "when nothing else can run". */
		if (!cpuhp__futex_wait_rel(word, val, &rel))
			break;
	}
	atomic_fetch_sub_explicit(&q->sleepers, 1, memory_order_relaxed);
	return changed;
}

/**
 * cpuhp__wake - wake the sleepers of @word after changing it
 * @q:    the word's sleepers
 * @word: the futex word, already changed with a seq_cst (or stronger) write
 */
void cpuhp__wake(struct cpuhp_waitq *q, _Atomic int *word)
{
	int n;

	/* seq_cst: pairs with the sleeper's increment (see the file comment). */
	if (!atomic_load_explicit(&q->sleepers, memory_order_seq_cst))
		return;
	n = cpuhp__futex_wake(word, INT_MAX);
	if (n && q->wakeups)
		atomic_fetch_add_explicit(q->wakeups, (unsigned long)n,
					  memory_order_relaxed);
}

void cpuhp__completion_init(struct cpuhp_completion *c, _Atomic unsigned long *wakeups)
{
	atomic_init(&c->done, 0);
	cpuhp__waitq_init(&c->q, wakeups);
}

void cpuhp__completion_destroy(struct cpuhp_completion *c)
{
	(void)c;
}

void cpuhp__complete(struct cpuhp_completion *c)
{
	CPUHP_DELAY_POINT();
	/* seq_cst (release): publishes what the completer wrote before. */
	atomic_fetch_add_explicit(&c->done, 1, memory_order_seq_cst);
	cpuhp__wake(&c->q, &c->done);
}

void cpuhp__wait_for_completion(struct cpuhp_completion *c)
{
	int d;

	CPUHP_DELAY_POINT();
	d = atomic_load_explicit(&c->done, memory_order_acquire);
	for (;;) {
		if (!d) {
			cpuhp__wait_ne(&c->q, &c->done, 0);
			d = atomic_load_explicit(&c->done, memory_order_acquire);
			continue;
		}
		/* acquire: pairs with the completer's increment. */
		if (atomic_compare_exchange_weak_explicit(&c->done, &d, d - 1,
							  memory_order_acquire,
							  memory_order_acquire))
			return;
	}
}
