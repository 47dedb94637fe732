// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * sched.c - the deterministic scheduler (<cpuhp/sched.h>).
 *
 * Scheduled threads are real threads that pass one token: a thread runs
 * only while its go word is set, and sets the next thread's word (release)
 * before it waits for its own (acquire).  So exactly one scheduled thread
 * runs at a time, every field of the scheduler is read and written only by
 * the token's holder, and ThreadSanitizer sees each hand-off as the
 * synchronisation it is.  A thread that would block (a futex word that
 * still holds its value, a lock another scheduled thread holds, a thread
 * not yet finished) is marked with what it waits for; the scheduler tests
 * those conditions itself when it chooses, so no wake-up can be lost and
 * none is needed.  When nothing can run, the lowest-numbered thread in a
 * timed wait times out; if there is none, the run is a deadlock.
 */
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cpuhp/sched.h>

#include "base/sched.h"

#define MAX_HELD 32

enum tstate {
	T_FREE,  /* slot unused */
	T_RUN,   /* can run (or runs) */
	T_WORD,  /* waits until *word != val */
	T_MUTEX, /* waits for a lock another thread holds */
	T_JOIN,  /* waits for another thread to end */
	T_DONE,  /* ended, not joined yet */
};

struct cpuhp_sched_thread {
	struct cpuhp_sched *s;
	unsigned int id;
	enum tstate st;
	_Atomic int go; /* the token: set by the thread that hands it over */
	_Atomic int *word;
	int val;
	bool timed, timed_out;
	pthread_mutex_t *m;
	struct cpuhp_sched_thread *join;
	int join_err;
	pthread_t tid;
	void *(*fn)(void *);
	void *arg, *ret;
};

struct held {
	pthread_mutex_t *m;
	unsigned int owner;
};

struct cpuhp_sched {
	struct cpuhp_sched_thread t[CPUHP_SCHED_MAX_THREADS];
	unsigned int nr; /* slots in use are below this */
	struct held held[MAX_HELD];
	unsigned int nheld;

	bool recording, abandoned;
	bool full; /* the decision record could not grow: it stops */
	enum cpuhp_sched_end end;
	struct cpuhp_sched_choice *plan;
	size_t nplan, iplan;
	struct cpuhp_sched_decision *dec;
	size_t ndec, adec;
	unsigned long points, max_points;
	unsigned int preemptions;
};

_Thread_local struct cpuhp_sched_thread *cpuhp__sched_me
	__attribute__((tls_model("initial-exec")));

/* ---- the token ---- */

static void futex_wait_raw(_Atomic int *word, int val)
{
	syscall(SYS_futex, (int *)word, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
}

static void futex_wake_raw(_Atomic int *word)
{
	syscall(SYS_futex, (int *)word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void wait_token(struct cpuhp_sched_thread *t)
{
	/* acquire: pairs with hand_over's release; all the scheduler's
	 * state and everything the last holder wrote are visible after it. */
	while (!atomic_exchange_explicit(&t->go, 0, memory_order_acquire))
		futex_wait_raw(&t->go, 0);
}

static void hand_over(struct cpuhp_sched_thread *next)
{
	atomic_store_explicit(&next->go, 1, memory_order_release);
	futex_wake_raw(&next->go);
}

/* Give the token to @next and wait until it comes back. */
static void switch_to(struct cpuhp_sched_thread *me, struct cpuhp_sched_thread *next)
{
	if (next == me)
		return;
	hand_over(next);
	wait_token(me);
}

/* ---- what can run ---- */

static bool is_held(const struct cpuhp_sched *s, const pthread_mutex_t *m)
{
	unsigned int i;

	for (i = 0; i < s->nheld; i++)
		if (s->held[i].m == m)
			return true;
	return false;
}

static bool can_run(const struct cpuhp_sched *s, const struct cpuhp_sched_thread *t)
{
	switch (t->st) {
	case T_RUN:
		return true;
	case T_WORD:
		/* relaxed: the token orders it; the thread re-reads the word. */
		return atomic_load_explicit(t->word, memory_order_relaxed) != t->val;
	case T_MUTEX:
		return !is_held(s, t->m);
	case T_JOIN:
		return t->join->st == T_DONE;
	default:
		return false;
	}
}

static uint64_t enabled_set(const struct cpuhp_sched *s)
{
	uint64_t e = 0;
	unsigned int i;

	for (i = 0; i < s->nr; i++)
		if (can_run(s, &s->t[i]))
			e |= 1ull << i;
	/* An abandoned run goes on in thread 0 alone (cpuhp_sched_join). */
	return s->abandoned ? e & 1 : e;
}

/*
 * Nothing can run: end a run that cannot go on.  Thread 0 gets the token
 * back, with an error if it waits in cpuhp_sched_join(); the others stay
 * parked on their go words for good.  A thread 0 stuck elsewhere cannot be
 * resumed meaningfully: that is a scheduler misuse, and the process ends.
 */
static struct cpuhp_sched_thread *abandon(struct cpuhp_sched *s, enum cpuhp_sched_end why)
{
	struct cpuhp_sched_thread *t0 = &s->t[0];

	unsigned int i;

	if (!s->abandoned) {
		s->abandoned = true;
		if (s->end == CPUHP_SCHED_RUNNING || s->end == CPUHP_SCHED_DIVERGED)
			s->end = why;
		/* Nobody joins the others now: their end must not be a leak. */
		for (i = 1; i < s->nr; i++)
			if (s->t[i].st != T_FREE)
				pthread_detach(s->t[i].tid);
	}
	if (t0->st == T_JOIN) {
		t0->join_err = why == CPUHP_SCHED_LIVELOCK ? -ELOOP : -EDEADLK;
		t0->st = T_RUN;
	}
	if (t0->st != T_RUN)
		abort();
	return t0;
}

/* No thread can run: the lowest-numbered timed wait times out, or deadlock. */
static struct cpuhp_sched_thread *stuck(struct cpuhp_sched *s)
{
	unsigned int i;

	for (i = 0; i < s->nr && !s->abandoned; i++) {
		struct cpuhp_sched_thread *t = &s->t[i];

		if (t->st == T_WORD && t->timed) {
			t->timed_out = true;
			t->st = T_RUN;
			return t;
		}
	}
	return abandon(s, CPUHP_SCHED_DEADLOCK);
}

/* The plan's choice for the next decision, or @dflt. */
static unsigned int planned(struct cpuhp_sched *s, uint64_t e, unsigned int dflt)
{
	const struct cpuhp_sched_choice *c;

	if (s->iplan >= s->nplan || s->plan[s->iplan].at != s->ndec)
		return dflt;
	c = &s->plan[s->iplan++];
	if (!(e >> c->thread & 1)) {
		if (s->end == CPUHP_SCHED_RUNNING)
			s->end = CPUHP_SCHED_DIVERGED;
		return dflt;
	}
	return c->thread;
}

static bool grow(struct cpuhp_sched *s)
{
	size_t a = s->adec ? s->adec * 2 : 256;
	struct cpuhp_sched_decision *d;

	if (s->full)
		return false;
	d = realloc(s->dec, a * sizeof(*d));
	if (!d) {
		s->full = true;
		return false;
	}
	s->dec = d;
	s->adec = a;
	return true;
}

static void record(struct cpuhp_sched *s, uint64_t e, unsigned int chosen, int cur)
{
	if (s->ndec == s->adec && !grow(s)) {
		/* Decisions stay numbered; the record stops (full). */
		s->ndec++;
		return;
	}
	s->dec[s->ndec++] = (struct cpuhp_sched_decision){
		.enabled = e,
		.chosen = (uint8_t)chosen,
		.current = (int8_t)cur,
		.preemptions = (uint16_t)(s->preemptions > UINT16_MAX ? UINT16_MAX :
									s->preemptions),
	};
	if (cur >= 0 && chosen != (unsigned int)cur)
		s->preemptions++;
}

/*
 * Choose who runs after @me's point: @me if it can go on, else the
 * lowest-numbered thread that can; while a plan records, a choice among
 * two or more is a numbered decision the plan may override.
 */
static struct cpuhp_sched_thread *decide(struct cpuhp_sched *s,
					 struct cpuhp_sched_thread *me)
{
	uint64_t e = enabled_set(s);
	int cur = me->st == T_RUN ? (int)me->id : -1;
	unsigned int pick;

	if (!e)
		return stuck(s);
	pick = cur >= 0 && (e >> cur & 1) ? (unsigned int)cur :
					    (unsigned int)__builtin_ctzll(e);
	if ((e & (e - 1)) && s->recording && !s->abandoned) {
		pick = planned(s, e, pick);
		record(s, e, pick, cur);
	}
	s->t[pick].st = T_RUN; /* a waiter re-checks its condition itself */
	return &s->t[pick];
}

/* Count a point; past the plan's bound the run is a livelock. */
static bool over_bound(struct cpuhp_sched *s)
{
	if (!s->recording || s->abandoned)
		return false;
	return ++s->points > s->max_points && s->max_points;
}

/* @me stops here (blocked, or just a point): let the scheduler choose. */
static void reschedule(struct cpuhp_sched_thread *me)
{
	struct cpuhp_sched *s = me->s;

	if (over_bound(s)) {
		switch_to(me, abandon(s, CPUHP_SCHED_LIVELOCK));
		return;
	}
	switch_to(me, decide(s, me));
}

/* ---- the hooks (base/sched.h) ---- */

void cpuhp__sched_point(void)
{
	reschedule(cpuhp__sched_me);
}

/**
 * cpuhp__sched_wait_word - a scheduled thread's futex wait
 * @word:  the futex word
 * @val:   wait while it holds this
 * @timed: the wait has a time limit: it may time out when nothing else can run
 *
 * Return: false if it timed out.  Like a futex wait it may return with the
 * value unchanged; callers loop.
 */
bool cpuhp__sched_wait_word(_Atomic int *word, int val, bool timed)
{
	struct cpuhp_sched_thread *me = cpuhp__sched_me;

	if (atomic_load_explicit(word, memory_order_relaxed) != val)
		return true;
	me->st = T_WORD;
	me->word = word;
	me->val = val;
	me->timed = timed;
	me->timed_out = false;
	reschedule(me);
	return !me->timed_out;
}

void cpuhp__sched_mutex_lock(pthread_mutex_t *m, bool point)
{
	struct cpuhp_sched_thread *me = cpuhp__sched_me;
	struct cpuhp_sched *s = me->s;

	if (point)
		reschedule(me);
	while (is_held(s, m)) {
		me->st = T_MUTEX;
		me->m = m;
		reschedule(me);
	}
	if (s->nheld == MAX_HELD)
		abort(); /* more locks held at once than the library has */
	s->held[s->nheld++] = (struct held){ m, me->id };
	/* Free of scheduled owners: only an unscheduled thread can make this wait. */
	pthread_mutex_lock(m);
}

int cpuhp__sched_mutex_trylock(pthread_mutex_t *m)
{
	struct cpuhp_sched_thread *me = cpuhp__sched_me;
	struct cpuhp_sched *s = me->s;
	int err;

	reschedule(me);
	if (is_held(s, m) || s->nheld == MAX_HELD)
		return EBUSY;
	err = pthread_mutex_trylock(m);
	if (!err)
		s->held[s->nheld++] = (struct held){ m, me->id };
	return err;
}

void cpuhp__sched_mutex_unlock(pthread_mutex_t *m, bool point)
{
	struct cpuhp_sched_thread *me = cpuhp__sched_me;
	struct cpuhp_sched *s = me->s;
	unsigned int i;

	for (i = 0; i < s->nheld; i++)
		if (s->held[i].m == m) {
			s->held[i] = s->held[--s->nheld];
			break;
		}
	pthread_mutex_unlock(m);
	if (point)
		reschedule(me);
}

static void *trampoline(void *arg)
{
	struct cpuhp_sched_thread *t = arg;
	struct cpuhp_sched *s = t->s;

	cpuhp__sched_me = t;
	wait_token(t);
	t->ret = t->fn(t->arg);
	t->st = T_DONE;
	cpuhp__sched_me = NULL;
	/* Leave without waiting: this thread never runs scheduled code again. */
	hand_over(over_bound(s) ? abandon(s, CPUHP_SCHED_LIVELOCK) : decide(s, t));
	return NULL;
}

/* The lowest free slot (numbers are reused in order: runs replay). */
static struct cpuhp_sched_thread *slot_new(struct cpuhp_sched *s)
{
	unsigned int i;

	for (i = 0; i < CPUHP_SCHED_MAX_THREADS; i++)
		if (s->t[i].st == T_FREE) {
			if (i >= s->nr)
				s->nr = i + 1;
			return &s->t[i];
		}
	return NULL;
}

static void slot_free(struct cpuhp_sched *s, struct cpuhp_sched_thread *t)
{
	t->st = T_FREE;
	while (s->nr && s->t[s->nr - 1].st == T_FREE)
		s->nr--;
}

/* Return: 0 or a positive error number, as pthread_create(). */
int cpuhp__sched_spawn(pthread_t *tid, const pthread_attr_t *attr, void *(*fn)(void *),
		       void *arg)
{
	struct cpuhp_sched_thread *me = cpuhp__sched_me;
	struct cpuhp_sched *s = me->s;
	struct cpuhp_sched_thread *t = slot_new(s);
	int err;

	if (!t)
		return EAGAIN;
	t->st = T_RUN;
	t->fn = fn;
	t->arg = arg;
	t->ret = NULL;
	t->join_err = 0;
	atomic_store_explicit(&t->go, 0, memory_order_relaxed);
	err = pthread_create(&t->tid, attr, trampoline, t);
	if (err) {
		slot_free(s, t);
		return err;
	}
	*tid = t->tid;
	reschedule(me);
	return 0;
}

static struct cpuhp_sched_thread *find(struct cpuhp_sched *s, pthread_t tid)
{
	unsigned int i;

	for (i = 0; i < s->nr; i++)
		if (s->t[i].st != T_FREE && pthread_equal(s->t[i].tid, tid))
			return &s->t[i];
	return NULL;
}

/* Return: 0, a positive error number as pthread_join(), or -EDEADLK/-ELOOP. */
int cpuhp__sched_join(pthread_t tid, void **ret)
{
	struct cpuhp_sched_thread *me = cpuhp__sched_me;
	struct cpuhp_sched *s = me->s;
	struct cpuhp_sched_thread *t = find(s, tid);

	/* Not one of ours (started before the scheduler): it runs freely. */
	if (!t)
		return pthread_join(tid, ret);
	if (t == me)
		return EDEADLK;
	while (t->st != T_DONE) {
		me->st = T_JOIN;
		me->join = t;
		reschedule(me);
		if (me->join_err)
			return me->join_err;
	}
	pthread_join(t->tid, NULL);
	if (ret)
		*ret = t->ret;
	slot_free(s, t);
	return 0;
}

/* ---- the public API ---- */

struct cpuhp_sched *cpuhp_sched_new(void)
{
	struct cpuhp_sched *s = calloc(1, sizeof(*s));
	unsigned int i;

	if (!s)
		return NULL;
	for (i = 0; i < CPUHP_SCHED_MAX_THREADS; i++) {
		s->t[i].s = s;
		s->t[i].id = i;
		atomic_init(&s->t[i].go, 0);
	}
	return s;
}

void cpuhp_sched_free(struct cpuhp_sched *s)
{
	/* Parked threads of an abandoned run still sleep on their go words. */
	if (!s || s->abandoned)
		return;
	free(s->plan);
	free(s->dec);
	free(s);
}

int cpuhp_sched_attach(struct cpuhp_sched *s)
{
	if (!s)
		return -EINVAL;
	if (cpuhp__sched_me || s->t[0].st != T_FREE)
		return -EBUSY;
	s->t[0].st = T_RUN;
	s->t[0].tid = pthread_self();
	s->nr = 1;
	cpuhp__sched_me = &s->t[0];
	return 0;
}

int cpuhp_sched_detach(struct cpuhp_sched *s)
{
	if (!s || cpuhp__sched_me != &s->t[0])
		return -EPERM;
	if (s->nr > 1 && !s->abandoned)
		return -EBUSY;
	s->t[0].st = T_FREE;
	s->nr = 0;
	s->recording = false;
	cpuhp__sched_me = NULL;
	return 0;
}

static bool scheduled_by(const struct cpuhp_sched *s)
{
	return s && cpuhp__sched_me && cpuhp__sched_me->s == s;
}

int cpuhp_sched_spawn(struct cpuhp_sched *s, pthread_t *tid, void *(*fn)(void *),
		      void *arg)
{
	if (!scheduled_by(s) || !tid || !fn)
		return !scheduled_by(s) ? -EPERM : -EINVAL;
	return -cpuhp__sched_spawn(tid, NULL, fn, arg);
}

int cpuhp_sched_join(struct cpuhp_sched *s, pthread_t tid, void **ret)
{
	int err;

	if (!scheduled_by(s))
		return -EPERM;
	if (!find(s, tid))
		return -ESRCH;
	err = cpuhp__sched_join(tid, ret);
	return err > 0 ? -err : err;
}

int cpuhp_sched_plan(struct cpuhp_sched *s, const struct cpuhp_sched_choice *choices,
		     size_t n, unsigned long max_points)
{
	struct cpuhp_sched_choice *copy = NULL;
	size_t i;

	if (!scheduled_by(s))
		return -EPERM;
	for (i = 0; i < n; i++)
		if (choices[i].thread >= CPUHP_SCHED_MAX_THREADS ||
		    (i && choices[i].at <= choices[i - 1].at))
			return -EINVAL;
	if (n) {
		copy = malloc(n * sizeof(*copy));
		if (!copy)
			return -ENOMEM;
		memcpy(copy, choices, n * sizeof(*copy));
	}
	free(s->plan);
	s->plan = copy;
	s->nplan = n;
	s->iplan = 0;
	s->ndec = 0;
	s->full = false;
	s->points = 0;
	s->max_points = max_points;
	s->preemptions = 0;
	if (!s->abandoned)
		s->end = CPUHP_SCHED_RUNNING;
	s->recording = true;
	return 0;
}

size_t cpuhp_sched_decisions(const struct cpuhp_sched *s,
			     const struct cpuhp_sched_decision **d)
{
	*d = s->dec;
	return s->ndec < s->adec ? s->ndec : s->adec;
}

enum cpuhp_sched_end cpuhp_sched_end(const struct cpuhp_sched *s)
{
	return s->end;
}

unsigned long cpuhp_sched_points(const struct cpuhp_sched *s)
{
	return s->points;
}
