/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * completion.h - the kernel's completion: one side waits until the other
 * signals "done".  Counting, so a complete() before the wait is not lost.
 */
#ifndef CPUHP_COMPLETION_H
#define CPUHP_COMPLETION_H

#include <pthread.h>

struct cpuhp_completion {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	unsigned int done;
};

void cpuhp__completion_init(struct cpuhp_completion *c);
void cpuhp__completion_destroy(struct cpuhp_completion *c);
void cpuhp__complete(struct cpuhp_completion *c);
void cpuhp__wait_for_completion(struct cpuhp_completion *c);

#endif /* CPUHP_COMPLETION_H */
