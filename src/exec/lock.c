// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * lock.c - the cpus read/write lock and the thread context.
 *
 * cpu_hotplug_lock is the kernel's percpu-rwsem transposed to threads: each
 * thread that read-locks a machine owns a reader record (its own cache line)
 * and the read side only writes that record and reads the machine's
 * rarely-written "writer" flag: no atomic read-modify-write and no shared
 * cache line written on the fast path.  The writer sets the flag, forces
 * every thread past a full barrier with membarrier(PRIVATE_EXPEDITED) and
 * waits for every record to drain; without membarrier (or with
 * CPUHP_CONFIG_NO_MEMBARRIER) both sides use seq_cst accesses instead, the
 * portable fallback.  Readers nest through a thread-local depth per machine;
 * a thread that runs a callback of the machine (or is a CPU thread) acts for
 * the writer, so its read lock is only counted.  This file also owns the
 * thread context used for the execution-context rules.
 */
#include <linux/membarrier.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/debug-delay.h"
#include "base/futex.h"
#include "exec/exec.h"
#include "machine/log.h"

#define MAX_NESTED_MACHINES 16
#define WRITER_SPINS 200 /* polls of a busy reader before the writer sleeps */
/* How long a reader polls a writer's flag before it sleeps (reader_slow). */
#define READER_SPIN_NS 100000u

/* A thread's reader record for one machine: its own cache line. */
struct cpuhp_reader {
	_Atomic int active;        /* 1 while the owner holds the lock; futex word */
	_Atomic int owned;         /* 0: free for another thread to take */
	struct cpuhp_reader *next; /* immutable once published */
	char pad[64 - 2 * sizeof(int) - sizeof(void *)];
};

struct read_slot {
	const struct cpuhp *hp;  /* never dereferenced: the machine may be gone */
	uint64_t gen;            /* hp->rw.gen when the slot was bound */
	struct cpuhp_reader *rd; /* NULL until the first real read lock */
	unsigned int depth;
	bool held; /* rd->active is set (not a pretend lock) */
};

_Thread_local struct cpuhp_tctx cpuhp__tctx_var
	__attribute__((tls_model("initial-exec"))) = { .cpu = -1 };
#define tctx cpuhp__tctx_var
static _Thread_local struct read_slot rslots[MAX_NESTED_MACHINES];
/* The slot used last: the read lock's fast path (see cpuhp__tctx_var). */
static _Thread_local struct read_slot *last_slot
	__attribute__((tls_model("initial-exec")));

/*
 * Live machines, so that a thread's exit (or a slot eviction) can hand its
 * reader records back without touching a machine that is already freed.
 */
static pthread_mutex_t live_lock = PTHREAD_MUTEX_INITIALIZER;
static struct cpuhp *live_list;
static uint64_t live_gen;
static pthread_key_t exit_key;
static pthread_once_t exit_once = PTHREAD_ONCE_INIT;

bool cpuhp__in_callback(const struct cpuhp *hp)
{
	return tctx.cb_hp == hp && tctx.cb_depth > 0;
}

/* Does this thread act for the lock holder (a callback or a CPU thread)? */
static bool acts_for_writer(const struct cpuhp *hp)
{
	return cpuhp__in_callback(hp) || tctx.hp == hp;
}

/* ---- reader records ---- */

static bool is_live(const struct cpuhp *hp, uint64_t gen)
{
	const struct cpuhp *m;

	for (m = live_list; m; m = m->rw.live_next)
		if (m == hp && m->rw.gen == gen)
			return true;
	return false;
}

/* Give a slot's record back to its machine, if the machine still exists. */
static void slot_release(struct read_slot *s)
{
	if (s->rd) {
		pthread_mutex_lock(&live_lock);
		if (is_live(s->hp, s->gen))
			atomic_store_explicit(&s->rd->owned, 0, memory_order_release);
		pthread_mutex_unlock(&live_lock);
	}
	*s = (struct read_slot){ 0 };
}

/* Thread exit: every record this thread owned becomes free. */
static void thread_exit(void *unused)
{
	int i;

	(void)unused;
	for (i = 0; i < MAX_NESTED_MACHINES; i++)
		slot_release(&rslots[i]);
	last_slot = NULL;
}

static void make_exit_key(void)
{
	if (pthread_key_create(&exit_key, thread_exit))
		cpuhp_die(EAGAIN);
}

/* Take a free record of @hp or add a new one (slow path, once per thread). */
static __attribute__((noinline)) struct cpuhp_reader *reader_register(struct cpuhp *hp)
{
	struct cpuhp_reader *rd;
	int expected;

	pthread_once(&exit_once, make_exit_key);
	/* Any non-NULL value arms the destructor. */
	pthread_setspecific(exit_key, &rslots);
	/* Pairs with the release store of the head below. */
	for (rd = atomic_load_explicit(&hp->rw.readers, memory_order_acquire); rd;
	     rd = rd->next) {
		expected = 0;
		if (atomic_compare_exchange_strong(&rd->owned, &expected, 1))
			return rd;
	}
	rd = aligned_alloc(64, sizeof(*rd));
	if (!rd)
		cpuhp_die(ENOMEM);
	atomic_init(&rd->active, 0);
	atomic_init(&rd->owned, 1);
	pthread_mutex_lock(&hp->rw.reg_lock);
	rd->next = atomic_load_explicit(&hp->rw.readers, memory_order_relaxed);
	/* Publishes rd's fields to the writer's scan (acquire in wait_readers). */
	atomic_store_explicit(&hp->rw.readers, rd, memory_order_release);
	pthread_mutex_unlock(&hp->rw.reg_lock);
	return rd;
}

/* slot_of() when the last slot used is not @hp's. */
static __attribute__((noinline)) struct read_slot *slot_find(const struct cpuhp *hp,
							     bool create)
{
	struct read_slot *s, *spare = NULL;
	int i;

	for (i = 0; i < MAX_NESTED_MACHINES; i++) {
		s = &rslots[i];
		if (s->hp == hp && s->gen == hp->rw.gen)
			return last_slot = s;
		/* Prefer an empty slot; else one bound elsewhere but not in use. */
		if (!s->depth && (!spare || (spare->hp && !s->hp)))
			spare = s;
	}
	if (!create || !spare)
		return NULL;
	if (spare->hp)
		slot_release(spare);
	spare->hp = hp;
	spare->gen = hp->rw.gen;
	return last_slot = spare;
}

/* The thread's slot for @hp; with @create, bind a slot if there is none. */
static inline struct read_slot *slot_of(const struct cpuhp *hp, bool create)
{
	struct read_slot *s = last_slot;

	if (s && s->hp == hp && s->gen == hp->rw.gen)
		return s;
	return slot_find(hp, create);
}

unsigned int cpuhp__read_depth(const struct cpuhp *hp)
{
	struct read_slot *s = slot_of(hp, false);

	return s ? s->depth : 0;
}

/* ---- the read side ---- */

/*
 * Store @v to the record, then read the writer flag; the store must be
 * globally visible before the load, or a reader and the writer could both
 * miss each other.  With membarrier the writer's membarrier() supplies the
 * full barrier on this thread's behalf, so the read side needs only a
 * compiler barrier (plain moves on x86); without it the accesses are
 * seq_cst (a locked store on x86).
 */
static bool store_and_check_writer(struct cpuhp *hp, struct cpuhp_reader *rd, int v)
{
	if (hp->rw.membarrier) {
		/* release: the critical section stays before the unlocking store. */
		atomic_store_explicit(&rd->active, v, memory_order_release);
		atomic_signal_fence(memory_order_seq_cst);
	} else {
		atomic_store_explicit(&rd->active, v, memory_order_seq_cst);
	}
	/* Pairs with the writer's store in cpuhp__cpus_write_lock/unlock. */
	return atomic_load_explicit(&hp->rw.writer, memory_order_seq_cst) != 0;
}

/*
 * A writer holds or wants the lock: step aside until it is done.
 * The reader stays counted in rw.waiters until it is in, and the next
 * writer lets every counted reader in before it raises the flag again
 * (cpuhp__cpus_write_lock), so back-to-back writers cannot starve readers.
 *
 * The reader first polls the flag for up to READER_SPIN_NS and sleeps on
 * the futex only after that, counted in rw.sleepers.  Why (issue 18): a
 * write section is usually a few microseconds, and a reader asleep for it
 * must be woken by cpuhp__cpus_write_unlock(); on a machine whose CPUs are
 * all busy the woken reader preempts the writer inside that wake-up and the
 * writer runs again only at the next scheduler tick (4 ms at HZ=250).  A
 * reader that is still polling needs no wake-up, and the writer skips the
 * system call when rw.sleepers is 0.
 *
 * Ordering of the sleep: the reader increments rw.sleepers (seq_cst) and
 * then futex_wait() compares rw.writer with 1 inside the kernel; the writer
 * stores rw.writer = 0 (seq_cst) and then loads rw.sleepers (seq_cst).  In
 * the single total order of these seq_cst accesses one of the two stores
 * comes first: either the writer sees the reader counted and wakes it, or
 * the reader's futex_wait() finds 0 and does not sleep.
 */
static void wait_writer_gone(struct cpuhp *hp)
{
	uint64_t t0 = 0;
	unsigned int polls = 0;

	/* A scheduled thread goes straight to the wait (nothing else runs). */
	while (!cpuhp__sched_on() &&
	       atomic_load_explicit(&hp->rw.writer, memory_order_seq_cst)) {
		if (++polls % 64 == 0) {
			struct timespec ts;
			uint64_t now;

			clock_gettime(CLOCK_MONOTONIC, &ts);
			now = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
			if (!t0)
				t0 = now;
			else if (now - t0 > READER_SPIN_NS)
				break;
		}
		cpuhp__cpu_relax();
	}
	while (atomic_load_explicit(&hp->rw.writer, memory_order_seq_cst)) {
		atomic_fetch_add_explicit(&hp->rw.sleepers, 1, memory_order_seq_cst);
		cpuhp__futex_wait(&hp->rw.writer, 1);
		atomic_fetch_sub_explicit(&hp->rw.sleepers, 1, memory_order_seq_cst);
	}
}

static __attribute__((noinline)) void reader_slow(struct cpuhp *hp,
						  struct cpuhp_reader *rd)
{
	atomic_fetch_add_explicit(&hp->rw.waiters, 1, memory_order_seq_cst);
	do {
		atomic_store_explicit(&rd->active, 0, memory_order_seq_cst);
		cpuhp__futex_wake(&rd->active, 1);
		wait_writer_gone(hp);
	} while (store_and_check_writer(hp, rd, 1));
	atomic_fetch_sub_explicit(&hp->rw.waiters, 1, memory_order_seq_cst);
}

static void reader_enter(struct cpuhp *hp, struct read_slot *s)
{
	if (!s->rd)
		s->rd = reader_register(hp);
	CPUHP_DELAY_POINT();
	if (store_and_check_writer(hp, s->rd, 1))
		reader_slow(hp, s->rd);
	s->held = true;
}

static void reader_exit(struct cpuhp *hp, struct read_slot *s)
{
	s->held = false;
	/* A writer is draining the readers: it may sleep on our record. */
	if (store_and_check_writer(hp, s->rd, 0))
		cpuhp__futex_wake(&s->rd->active, 1);
	CPUHP_DELAY_POINT();
}

void cpuhp_cpus_read_lock(struct cpuhp *hp)
{
	struct read_slot *s = slot_of(hp, true);

	if (tctx.atomic)
		cpuhp_might_sleep(hp);
	if (!s) {
		/* More machines read-locked at once than we track: refuse loudly. */
		CPUHP_WARN(hp,
			   "cpus_read_lock: more than %d machines locked by one thread",
			   MAX_NESTED_MACHINES);
		return;
	}
	if (s->depth++ == 0 && !acts_for_writer(hp))
		reader_enter(hp, s);
}

bool cpuhp_cpus_read_trylock(struct cpuhp *hp)
{
	struct read_slot *s = slot_of(hp, true);

	if (!s)
		return false;
	if (s->depth == 0 && !acts_for_writer(hp)) {
		if (atomic_load_explicit(&hp->rw.writer, memory_order_relaxed))
			return false;
		if (!s->rd)
			s->rd = reader_register(hp);
		if (store_and_check_writer(hp, s->rd, 1)) {
			atomic_store_explicit(&s->rd->active, 0, memory_order_seq_cst);
			cpuhp__futex_wake(&s->rd->active, 1);
			return false;
		}
		s->held = true;
	}
	s->depth++;
	return true;
}

void cpuhp_cpus_read_unlock(struct cpuhp *hp)
{
	struct read_slot *s = slot_of(hp, false);

	if (!s || !s->depth) {
		CPUHP_WARN(hp, "cpus_read_unlock without cpus_read_lock");
		return;
	}
	if (--s->depth == 0 && s->held)
		reader_exit(hp, s);
}

bool cpuhp_cpus_read_held(struct cpuhp *hp)
{
	return cpuhp__read_depth(hp) > 0 || acts_for_writer(hp);
}

/* ---- the write side ---- */

static bool membarrier_register(void)
{
	long cmds = syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);

	if (cmds < 0 || !(cmds & MEMBARRIER_CMD_PRIVATE_EXPEDITED))
		return false;
	return syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) ==
	       0;
}

/**
 * cpuhp__rw_init - set up the cpus lock of a new machine
 * @hp:         the machine (zeroed)
 * @membarrier: use membarrier() if the kernel offers it
 */
void cpuhp__rw_init(struct cpuhp *hp, bool membarrier)
{
	if (pthread_mutex_init(&hp->rw.write_mutex, NULL) ||
	    pthread_mutex_init(&hp->rw.reg_lock, NULL))
		cpuhp_die(ENOMEM);
	hp->rw.membarrier = membarrier && membarrier_register();
	cpuhp_dbg(hp, "cpus lock: %s",
		  hp->rw.membarrier ? "membarrier" : "seq_cst fallback");
	pthread_mutex_lock(&live_lock);
	hp->rw.gen = ++live_gen;
	hp->rw.live_next = live_list;
	live_list = hp;
	pthread_mutex_unlock(&live_lock);
}

/**
 * cpuhp__rw_destroy - release the cpus lock (no reader may hold it)
 * @hp: the machine; a no-op if cpuhp__rw_init() never ran
 */
void cpuhp__rw_destroy(struct cpuhp *hp)
{
	struct cpuhp_reader *rd, *next;
	struct cpuhp **pp;

	if (!hp->rw.gen)
		return;
	/* After this, exiting threads no longer touch our records. */
	pthread_mutex_lock(&live_lock);
	for (pp = &live_list; *pp; pp = &(*pp)->rw.live_next)
		if (*pp == hp) {
			*pp = hp->rw.live_next;
			break;
		}
	pthread_mutex_unlock(&live_lock);
	for (rd = atomic_load_explicit(&hp->rw.readers, memory_order_acquire); rd;
	     rd = next) {
		next = rd->next;
		free(rd);
	}
	pthread_mutex_destroy(&hp->rw.reg_lock);
	pthread_mutex_destroy(&hp->rw.write_mutex);
	hp->rw.gen = 0;
}

/* Reader records of @hp (tests: exited threads' records are reused). */
unsigned int cpuhp__rw_nr_readers(const struct cpuhp *hp)
{
	const struct cpuhp_reader *rd;
	unsigned int n = 0;

	for (rd = atomic_load_explicit(&hp->rw.readers, memory_order_acquire); rd;
	     rd = rd->next)
		n++;
	return n;
}

/* Wait until no reader record is active (the writer flag is set). */
static void wait_readers(struct cpuhp *hp)
{
	struct cpuhp_reader *rd;
	int spins;

	/* acquire: pairs with reader_register's release of the list head. */
	for (rd = atomic_load_explicit(&hp->rw.readers, memory_order_acquire); rd;
	     rd = rd->next) {
		/* seq_cst: pairs with the reader's store in store_and_check_writer. */
		for (spins = 0; atomic_load_explicit(&rd->active, memory_order_seq_cst);
		     spins++) {
			if (spins < WRITER_SPINS && !cpuhp__sched_on())
				cpuhp__cpu_relax();
			else
				cpuhp__futex_wait(&rd->active, 1);
		}
	}
}

void cpuhp__cpus_write_lock(struct cpuhp *hp)
{
	int waiters;

	cpuhp__mutex_lock(&hp->rw.write_mutex);
	/* Readers the last writer made wait go first (reader_slow); they are
	 * runnable and the flag is down, so this ends. */
	while ((waiters = atomic_load_explicit(&hp->rw.waiters, memory_order_seq_cst))) {
		if (cpuhp__sched_on())
			cpuhp__sched_wait_word(&hp->rw.waiters, waiters, false);
		else
			sched_yield();
	}
	/* New readers now step aside (reader_slow). */
	atomic_store_explicit(&hp->rw.writer, 1, memory_order_seq_cst);
	/*
	 * Every thread passes a full barrier: a reader whose record store we
	 * cannot see yet will see the flag.  If membarrier fails after a
	 * successful registration the process is broken beyond repair.
	 */
	if (hp->rw.membarrier &&
	    syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0))
		cpuhp_die(errno);
	wait_readers(hp);
	CPUHP_DELAY_POINT();
}

void cpuhp__cpus_write_unlock(struct cpuhp *hp)
{
	/* seq_cst: a reader that counts itself a sleeper after this sees 0
	 * in futex_wait (wait_writer_gone). */
	atomic_store_explicit(&hp->rw.writer, 0, memory_order_seq_cst);
	if (atomic_load_explicit(&hp->rw.sleepers, memory_order_seq_cst))
		cpuhp__futex_wake(&hp->rw.writer, INT_MAX);
	cpuhp__mutex_unlock(&hp->rw.write_mutex);
	CPUHP_DELAY_POINT();
}

/*
 * Setup, removal and the ledger's quiescing hold the state mutex through
 * these two, which record the holder: code they run on the same thread
 * (the ledger's end-of-operation checks and their messages) reads the step
 * table without taking the mutex again, which would deadlock.
 */
void cpuhp__state_mutex_lock(struct cpuhp *hp)
{
	int err = cpuhp__mutex_lock(&hp->state_mutex);

	if (err)
		cpuhp_die(err);
	/* relaxed: only this thread can find its own tctx here (program order). */
	atomic_store_explicit(&hp->state_owner, cpuhp__tctx(), memory_order_relaxed);
}

void cpuhp__state_mutex_unlock(struct cpuhp *hp)
{
	int err;

	atomic_store_explicit(&hp->state_owner, NULL, memory_order_relaxed);
	err = cpuhp__mutex_unlock(&hp->state_mutex);
	if (err)
		cpuhp_die(err);
}

/*
 * Readers of the step table take the state mutex, except inside a callback
 * or when this thread already holds it: there the table is stable (the
 * running operation excludes registration), and the mutex may be held by
 * this very thread or by the one waiting for this callback.
 * Return: whether the mutex was taken (pass it to cpuhp__state_unlock()).
 */
bool cpuhp__state_lock(struct cpuhp *hp)
{
	int err;

	if (cpuhp__in_callback(hp) ||
	    atomic_load_explicit(&hp->state_owner, memory_order_relaxed) == cpuhp__tctx())
		return false;
	err = cpuhp__mutex_lock(&hp->state_mutex);
	if (err)
		cpuhp_die(err);
	return true;
}

/*
 * As cpuhp__state_lock(), for a checker that holds its own lock: it never
 * waits, because setup and removal take the state mutex first and a
 * checker's lock second, and waiting here would close that cycle.
 * Return: -EBUSY when another thread holds the mutex; else 0 and *@locked
 * as cpuhp__state_lock() returns it.
 */
int cpuhp__state_trylock(struct cpuhp *hp, bool *locked)
{
	*locked = false;
	if (cpuhp__in_callback(hp) ||
	    atomic_load_explicit(&hp->state_owner, memory_order_relaxed) == cpuhp__tctx())
		return 0;
	if (cpuhp__mutex_trylock(&hp->state_mutex))
		return -EBUSY;
	*locked = true;
	return 0;
}

void cpuhp__state_unlock(struct cpuhp *hp, bool locked)
{
	if (locked)
		cpuhp__mutex_unlock(&hp->state_mutex);
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
