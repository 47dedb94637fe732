// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cputhread.c - the per-CPU threads "cpuhp/N" and the hand-offs to them.
 *
 * This is the mechanism (the kernel's smpboot threads): creating, feeding
 * and stopping the threads.  What a thread does with WORK_BOOT and
 * WORK_WALK is the state machine's (walk/ap-thread.c, through hp->ap_work).
 *
 * A CPU thread plays every role the kernel gives to code running on that
 * CPU: the low-level boot path (STARTING, atomic), the hotplug thread (ONLINE
 * walks and single install/remove invocations) and the stopper (DYING inside
 * the stop-machine rendezvous).  The control thread hands it one piece of
 * work at a time through a futex word and waits on done_up/done_down
 * (completion.c: a short spin, then sleep); a whole section's walk is one
 * hand-off.  At most one piece of work is ever pending per thread: every
 * hand-off happens under the cpus write lock, or under the read lock plus the
 * state mutex, and the poster waits for it to finish.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "base/debug-delay.h"
#include "exec/exec.h"
#include "machine/log.h"

/*
 * Default stack of a CPU thread: callbacks run on it, so it must hold a
 * user's callback plus the library's logging (a few hundred bytes), but
 * 1024 threads at glibc's default 8 MiB would reserve 8 GiB of address
 * space.  Sanitizers add redzones to every frame, hence the larger default.
 */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define CPU_THREAD_STACK (256 * 1024)
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define CPU_THREAD_STACK (256 * 1024)
#endif
#endif
#ifndef CPU_THREAD_STACK
#define CPU_THREAD_STACK (64 * 1024)
#endif

/* The configured stack size, at least PTHREAD_STACK_MIN, whole pages. */
static size_t stack_size(const struct cpuhp *hp)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), want = hp->stack_size;

	if (!want)
		want = CPU_THREAD_STACK;
	if (want < (size_t)PTHREAD_STACK_MIN)
		want = (size_t)PTHREAD_STACK_MIN;
	return (want + page - 1) / page * page;
}

/* Wait for the next piece of work (spin briefly, then sleep) and take it. */
static enum cpuhp_work take_work(struct cpuhp_cpu *st)
{
	enum cpuhp_work w;

	cpuhp__wait_ne(&st->work_q, &st->work, WORK_NONE);
	/* acquire: pairs with cpuhp__post_work's store; the poster's writes are visible. */
	w = (enum cpuhp_work)atomic_exchange_explicit(&st->work, WORK_NONE,
						      memory_order_acquire);
	CPUHP_DELAY_POINT();
	return w;
}

static void *thread_main(void *arg)
{
	struct cpuhp_cpu *st = arg;
	struct cpuhp *hp = st->hp;
	struct cpuhp_tctx *t = cpuhp__tctx();

	t->hp = hp;
	t->cpu = (int)st->cpu;
	t->ctx = CPUHP_CTX_AP;
	pthread_setname_np(pthread_self(), st->comm);
	for (;;) {
		enum cpuhp_work w = take_work(st);

		switch (w) {
		case WORK_BOOT:
		case WORK_WALK:
			/* What the work means is the walk layer's (exec.h). */
			hp->ap_work(hp, st, w);
			break;
		case WORK_STOP:
			cpuhp__stop_participate(hp, st);
			break;
		case WORK_EXIT:
			return NULL;
		case WORK_NONE:
			break;
		}
	}
}

/* Linux 6.16+: a process's private futex hash (prctl PR_FUTEX_HASH). */
#define FUTEX_HASH_PRCTL 78
#define FUTEX_HASH_SET_SLOTS 1
#define FUTEX_HASH_GET_SLOTS 2

/**
 * cpuhp__futex_hash_reserve - make room in the futex hash for @hp's threads
 * @hp: the machine
 *
 * Since Linux 6.16 a threaded process gets a private futex hash sized for
 * the number of online CPUs (16 buckets on a small machine), and every
 * futex wake walks its bucket: with thousands of "cpuhp/N" threads asleep,
 * each hand-off would cost a walk over hundreds of them.  Grow the hash to
 * one bucket per possible CPU, never shrinking it.  0 means "no private
 * hash yet" (a process that has not started a thread) or "the global hash"
 * (a process that chose it): both get the private hash, which the kernel
 * would otherwise size for it at the first pthread_create.  Older kernels
 * refuse the prctl: nothing to do.
 */
void cpuhp__futex_hash_reserve(const struct cpuhp *hp)
{
	int cur = prctl(FUTEX_HASH_PRCTL, FUTEX_HASH_GET_SLOTS, 0, 0, 0);
	unsigned long want = 16;

	while (want < hp->nr_possible)
		want *= 2;
	if (cur >= 0 && (unsigned long)cur < want &&
	    prctl(FUTEX_HASH_PRCTL, FUTEX_HASH_SET_SLOTS, want, 0, 0))
		cpuhp_dbg(hp, "cannot grow the futex hash to %lu slots", want);
}

/**
 * cpuhp__thread_create - create CPU @cpu's thread (smpboot_create_threads)
 * @hp:  the machine
 * @cpu: the CPU
 *
 * Idempotent: the thread lives until cpuhp_free(), parked while the CPU is
 * down, like the kernel's smpboot threads.
 *
 * Return: 0 or the negative pthread_create() error.
 */
int cpuhp__thread_create(struct cpuhp *hp, unsigned int cpu)
{
	struct cpuhp_cpu *st = cpuhp__cpu(hp, cpu);
	pthread_attr_t attr;
	int err;

	if (st->has_thread)
		return 0;
	err = pthread_attr_init(&attr);
	if (err)
		return -err;
	err = pthread_attr_setstacksize(&attr, stack_size(hp));
	if (err) {
		pthread_attr_destroy(&attr);
		return -err;
	}
	err = cpuhp__thread_spawn(&st->tid, &attr, thread_main, st);
	pthread_attr_destroy(&attr);
	if (err) {
		cpuhp_err(hp, "cannot create thread %s: %s", st->comm, strerror(err));
		return -err;
	}
	st->has_thread = true;
	atomic_store_explicit(&st->parked, true, memory_order_relaxed);
	return 0;
}

/**
 * cpuhp__thread_stop_all - end every CPU thread (cpuhp_free)
 * @hp: the machine, no operation running
 *
 * Tells every thread to exit before joining any, so that they exit in
 * parallel rather than one scheduling round trip after another.
 */
void cpuhp__thread_stop_all(struct cpuhp *hp)
{
	unsigned int cpu;

	for (cpu = 0; cpu < hp->nr_possible; cpu++) {
		struct cpuhp_cpu *st = cpuhp__cpu(hp, cpu);

		if (!st->has_thread)
			continue;
		cpuhp__post_work(st, WORK_EXIT);
		/*
		 * A CPU left in the alive handshake (a bring-up that failed after
		 * its kick) waits on its sync word: change the word, then wake,
		 * so that the wait cannot miss the exit (see ap_sync_alive()).
		 */
		atomic_store_explicit(&st->sync_state, SYNC_STATE_EXIT,
				      memory_order_seq_cst);
		cpuhp__wake(&st->sync_q, &st->sync_state);
	}
	for (cpu = 0; cpu < hp->nr_possible; cpu++) {
		struct cpuhp_cpu *st = cpuhp__cpu(hp, cpu);

		if (!st->has_thread)
			continue;
		cpuhp__thread_join(st->tid, NULL);
		st->has_thread = false;
	}
}

/**
 * cpuhp__post_work - hand one piece of work to a CPU thread
 * @st:   the CPU's record
 * @work: what to do
 *
 * Everything the poster wrote before this call is visible to the thread
 * (the store is seq_cst, the thread takes it with acquire).  Counted as one
 * hand-off in the machine's statistics, except WORK_EXIT.
 */
void cpuhp__post_work(struct cpuhp_cpu *st, enum cpuhp_work work)
{
	int pending;

	CPUHP_DELAY_POINT();
	pending = atomic_load_explicit(&st->work, memory_order_relaxed);
	if (pending != WORK_NONE)
		CPUHP_WARN(st->hp, "CPU %u: work %d posted while %d pending", st->cpu,
			   work, pending);
	if (work != WORK_EXIT)
		atomic_fetch_add_explicit(&st->hp->stat_handoffs, 1,
					  memory_order_relaxed);
	/* seq_cst: the Dekker pairing with the thread's sleeper count. */
	atomic_store_explicit(&st->work, (int)work, memory_order_seq_cst);
	cpuhp__wake(&st->work_q, &st->work);
}
