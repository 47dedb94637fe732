// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * lock.c - the cpus read/write lock and the thread context.
 *
 * cpu_hotplug_lock is a writer-preferring rwlock.  Readers nest through a
 * thread-local depth per machine, so the rwlock itself is never taken
 * recursively (which would deadlock behind a waiting writer).  A thread that
 * runs a callback of the machine acts on behalf of the operation that holds
 * the lock (the kernel tells lockdep the same), so its read lock is only
 * counted.  This file also owns the thread context used for the
 * execution-context rules (which thread, atomic or not).
 */
#include <signal.h>

#include "internal.h"

#define MAX_NESTED_MACHINES 16

struct read_slot {
	const struct cpuhp *hp;
	unsigned int depth;
	bool held; /* the rwlock itself is held (not a pretend lock) */
};

static _Thread_local struct cpuhp_tctx tctx = { .cpu = -1 };
static _Thread_local struct read_slot rslots[MAX_NESTED_MACHINES];

struct cpuhp_tctx *cpuhp__tctx(void)
{
	return &tctx;
}

bool cpuhp__in_callback(const struct cpuhp *hp)
{
	return tctx.cb_hp == hp && tctx.cb_depth > 0;
}

/* Does this thread act for the lock holder (a callback or a CPU thread)? */
static bool acts_for_writer(const struct cpuhp *hp)
{
	return cpuhp__in_callback(hp) || tctx.hp == hp;
}

static struct read_slot *slot_of(const struct cpuhp *hp, bool create)
{
	struct read_slot *free_slot = NULL;
	int i;

	for (i = 0; i < MAX_NESTED_MACHINES; i++) {
		if (rslots[i].hp == hp && rslots[i].depth)
			return &rslots[i];
		if (!free_slot && !rslots[i].depth)
			free_slot = &rslots[i];
	}
	if (create && free_slot) {
		free_slot->hp = hp;
		free_slot->held = false;
	}
	return create ? free_slot : NULL;
}

unsigned int cpuhp__read_depth(const struct cpuhp *hp)
{
	struct read_slot *s = slot_of(hp, false);

	return s ? s->depth : 0;
}

void cpuhp_cpus_read_lock(struct cpuhp *hp)
{
	struct read_slot *s = slot_of(hp, true);
	int err;

	cpuhp_might_sleep(hp);
	if (!s) {
		/* More machines read-locked at once than we track: refuse loudly. */
		CPUHP_WARN(hp, "cpus_read_lock: more than %d machines locked by one thread",
			   MAX_NESTED_MACHINES);
		return;
	}
	if (s->depth++ == 0 && !acts_for_writer(hp)) {
		CPUHP_DELAY_POINT();
		err = pthread_rwlock_rdlock(&hp->hotplug_lock);
		if (err)
			cpuhp_die(err);
		s->held = true;
	}
}

bool cpuhp_cpus_read_trylock(struct cpuhp *hp)
{
	struct read_slot *s = slot_of(hp, true);

	if (!s)
		return false;
	if (s->depth == 0 && !acts_for_writer(hp)) {
		if (pthread_rwlock_tryrdlock(&hp->hotplug_lock))
			return false;
		s->held = true;
	}
	s->depth++;
	return true;
}

void cpuhp_cpus_read_unlock(struct cpuhp *hp)
{
	struct read_slot *s = slot_of(hp, false);

	if (!s) {
		CPUHP_WARN(hp, "cpus_read_unlock without cpus_read_lock");
		return;
	}
	if (--s->depth == 0 && s->held) {
		s->held = false;
		pthread_rwlock_unlock(&hp->hotplug_lock);
		CPUHP_DELAY_POINT();
	}
}

bool cpuhp_cpus_read_held(struct cpuhp *hp)
{
	return cpuhp__read_depth(hp) > 0 || acts_for_writer(hp);
}

/*
 * Readers of the step table take the state mutex, except inside a callback:
 * there the table is stable (the running operation excludes registration)
 * and the mutex may be held by the very thread waiting for this callback.
 * Return: whether the mutex was taken (pass it to cpuhp__state_unlock()).
 */
bool cpuhp__state_lock(struct cpuhp *hp)
{
	int err;

	if (cpuhp__in_callback(hp))
		return false;
	err = pthread_mutex_lock(&hp->state_mutex);
	if (err)
		cpuhp_die(err);
	return true;
}

void cpuhp__state_unlock(struct cpuhp *hp, bool locked)
{
	if (locked)
		pthread_mutex_unlock(&hp->state_mutex);
}

void cpuhp__cpus_write_lock(struct cpuhp *hp)
{
	int err = pthread_rwlock_wrlock(&hp->hotplug_lock);

	CPUHP_DELAY_POINT();
	if (err)
		cpuhp_die(err);
}

void cpuhp__cpus_write_unlock(struct cpuhp *hp)
{
	pthread_rwlock_unlock(&hp->hotplug_lock);
	CPUHP_DELAY_POINT();
}

/*
 * Atomic context stands in for "interrupts disabled": every signal is
 * blocked, so nothing asynchronous runs on the CPU thread, and sleeping is
 * reported by cpuhp_might_sleep().
 */
void cpuhp__atomic_enter(struct cpuhp_tctx *t, enum cpuhp_context ctx, sigset_t *saved)
{
	sigset_t all;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, saved);
	t->ctx = ctx;
	t->atomic = true;
}

void cpuhp__atomic_exit(struct cpuhp_tctx *t, const sigset_t *saved)
{
	t->atomic = false;
	t->ctx = CPUHP_CTX_AP;
	pthread_sigmask(SIG_SETMASK, saved, NULL);
}

enum cpuhp_context cpuhp_current_context(const struct cpuhp *hp, int *cpu)
{
	enum cpuhp_context ctx = CPUHP_CTX_NONE;
	int c = -1;

	if (tctx.hp == hp) {
		ctx = tctx.ctx;
		c = tctx.cpu;
	} else if (cpuhp__in_callback(hp)) {
		ctx = CPUHP_CTX_CONTROL;
	}
	if (cpu)
		*cpu = c;
	return ctx;
}

bool cpuhp_in_atomic(const struct cpuhp *hp)
{
	return tctx.hp == hp && tctx.atomic;
}

int cpuhp_might_sleep(struct cpuhp *hp)
{
	if (!cpuhp_in_atomic(hp))
		return 0;
	CPUHP_WARN(hp, "BUG: sleeping function called from invalid context on CPU %d",
		   tctx.cpu);
	return -EWOULDBLOCK;
}
