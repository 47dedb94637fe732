// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * completion.c - completions on a mutex and a condition variable.
 *
 * The mutex gives the waiter a happens-before edge with everything the
 * completer wrote before complete(): this is what makes the per-CPU record
 * (state, result, rollback ...) safe to read after a hand-off.
 */
#include "internal.h"

void cpuhp__completion_init(struct cpuhp_completion *c)
{
	int err;

	err = pthread_mutex_init(&c->lock, NULL);
	if (!err)
		err = pthread_cond_init(&c->cond, NULL);
	if (err)
		cpuhp_die(err);
	c->done = 0;
}

void cpuhp__completion_destroy(struct cpuhp_completion *c)
{
	pthread_cond_destroy(&c->cond);
	pthread_mutex_destroy(&c->lock);
}

void cpuhp__complete(struct cpuhp_completion *c)
{
	CPUHP_DELAY_POINT();
	pthread_mutex_lock(&c->lock);
	c->done++;
	pthread_cond_signal(&c->cond);
	pthread_mutex_unlock(&c->lock);
}

void cpuhp__wait_for_completion(struct cpuhp_completion *c)
{
	CPUHP_DELAY_POINT();
	pthread_mutex_lock(&c->lock);
	while (!c->done)
		pthread_cond_wait(&c->cond, &c->lock);
	c->done--;
	pthread_mutex_unlock(&c->lock);
}
