// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-sched.c - the deterministic scheduler (<cpuhp/sched.h>, issue 15
 * item 1): misuse is refused, a run replays decision for decision, a plan
 * that names a thread that cannot run is reported as diverged, every
 * alternative of the first decisions is a different run, and a deadlock and
 * a livelock end the run with thread 0's join failing.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cpuhp/cpuhp.h>
#include <cpuhp/sched.h>

#include "tap.h"

static struct cpuhp_sched *sched;

static void *do_nothing(void *arg)
{
	return arg;
}

static void *do_down(void *arg)
{
	return (void *)(intptr_t)cpuhp_cpu_down(arg, 1, 0);
}

static void *do_read(void *arg)
{
	struct cpuhp *hp = arg;

	cpuhp_cpus_read_lock(hp);
	intptr_t online = cpuhp_cpu_online(hp, 1);
	cpuhp_cpus_read_unlock(hp);
	return (void *)online;
}

/* Holds the read lock while waiting for an offline: the classic deadlock. */
static void *do_read_then_down(void *arg)
{
	struct cpuhp *hp = arg;
	pthread_t t;
	int err;

	cpuhp_cpus_read_lock(hp);
	err = cpuhp_sched_spawn(sched, &t, do_down, hp);
	if (!err)
		err = cpuhp_sched_join(sched, t, NULL);
	cpuhp_cpus_read_unlock(hp);
	return (void *)(intptr_t)err;
}

struct run {
	long down_ret, read_ret;
	int join_err;
	enum cpuhp_sched_end end;
	struct cpuhp_sched_decision *dec;
	size_t ndec;
	int state1;
};

static struct cpuhp *boot(void)
{
	struct cpuhp_config cfg;
	struct cpuhp *hp;

	cpuhp_config_init(&cfg);
	cfg.nr_possible = 2;
	if (cpuhp_new(&cfg, &hp))
		bail_out("cpuhp_new failed");
	return hp;
}

/* One scheduled run of "offline cpu1" against "read cpu1 under the read lock". */
static void run_pair(const struct cpuhp_sched_choice *c, size_t n, struct run *r)
{
	const struct cpuhp_sched_decision *d;
	struct cpuhp *hp;
	pthread_t a, b;
	void *ra = NULL, *rb = NULL;

	memset(r, 0, sizeof(*r));
	sched = cpuhp_sched_new();
	if (!sched || cpuhp_sched_attach(sched))
		bail_out("cannot attach a scheduler");
	hp = boot();
	cpuhp_sched_plan(sched, c, n, 0);
	if (cpuhp_sched_spawn(sched, &a, do_down, hp) ||
	    cpuhp_sched_spawn(sched, &b, do_read, hp))
		bail_out("cannot spawn");
	r->join_err = cpuhp_sched_join(sched, a, &ra);
	r->join_err |= cpuhp_sched_join(sched, b, &rb);
	r->down_ret = (long)(intptr_t)ra;
	r->read_ret = (long)(intptr_t)rb;
	r->end = cpuhp_sched_end(sched);
	r->ndec = cpuhp_sched_decisions(sched, &d);
	r->dec = malloc(r->ndec * sizeof(*d) + 1);
	if (r->ndec)
		memcpy(r->dec, d, r->ndec * sizeof(*d));
	r->state1 = cpuhp_cpu_state(hp, 1);
	cpuhp_free(hp);
	if (cpuhp_sched_detach(sched))
		bail_out("cannot detach");
	cpuhp_sched_free(sched);
}

static bool same_decisions(const struct run *x, const struct run *y)
{
	size_t i;

	if (x->ndec != y->ndec)
		return false;
	for (i = 0; i < x->ndec; i++)
		if (x->dec[i].enabled != y->dec[i].enabled ||
		    x->dec[i].chosen != y->dec[i].chosen)
			return false;
	return true;
}

static void test_misuse(void)
{
	struct cpuhp_sched *s = cpuhp_sched_new(), *s2 = cpuhp_sched_new();
	struct cpuhp_sched_choice bad[2] = { { 5, 1 }, { 3, 1 } };
	pthread_t t;

	is_int(cpuhp_sched_attach(NULL), -EINVAL, "attach(NULL)");
	is_int(cpuhp_sched_spawn(s, &t, do_down, NULL), -EPERM, "spawn unscheduled");
	is_int(cpuhp_sched_detach(s), -EPERM, "detach unscheduled");
	is_int(cpuhp_sched_plan(s, NULL, 0, 0), -EPERM, "plan unscheduled");
	is_int(cpuhp_sched_attach(s), 0, "attach");
	is_int(cpuhp_sched_attach(s2), -EBUSY, "a scheduled thread cannot attach again");
	is_int(cpuhp_sched_plan(s, bad, 2, 0), -EINVAL, "plan out of order");
	is_int(cpuhp_sched_join(s, pthread_self(), NULL), -EDEADLK, "join itself");
	if (pthread_create(&t, NULL, do_nothing, NULL))
		bail_out("pthread_create");
	is_int(cpuhp_sched_join(s, t, NULL), -ESRCH, "join an unscheduled thread");
	pthread_join(t, NULL);
	is_int(cpuhp_sched_detach(s2), -EPERM, "detach another scheduler");
	is_int(cpuhp_sched_detach(s), 0, "detach");
	cpuhp_sched_free(s);
	cpuhp_sched_free(s2);
}

/* Every alternative at each of the first decisions: a run of its own. */
static void test_alternatives(const struct run *base)
{
	unsigned int distinct = 0, diverged = 0, tried = 0;
	size_t i;

	for (i = 0; i < base->ndec && i < 8; i++) {
		uint64_t e = base->dec[i].enabled;
		unsigned int t;

		for (t = 0; t < 64; t++) {
			struct cpuhp_sched_choice c = { (uint32_t)i, t };
			struct run r;

			if (!(e >> t & 1) || t == base->dec[i].chosen)
				continue;
			run_pair(&c, 1, &r);
			tried++;
			diverged += r.end == CPUHP_SCHED_DIVERGED;
			distinct += !same_decisions(&r, base);
			if (r.down_ret != 0 || r.state1 != 0)
				diag("alternative %zu:%u: down %ld, cpu1 state %d", i, t,
				     r.down_ret, r.state1);
			free(r.dec);
		}
	}
	ok(tried > 0, "the first decisions have alternatives (%u)", tried);
	is_int(diverged, 0, "no alternative diverges");
	is_int(distinct, tried, "every alternative is a different run");
}

static void test_deadlock(void)
{
	struct cpuhp_sched *s = cpuhp_sched_new();
	struct cpuhp *hp;
	pthread_t a;
	int err;

	sched = s;
	cpuhp_sched_attach(s);
	hp = boot();
	cpuhp_sched_plan(s, NULL, 0, 0);
	cpuhp_sched_spawn(s, &a, do_read_then_down, hp);
	err = cpuhp_sched_join(s, a, NULL);
	is_int(err, -EDEADLK, "read lock held across an offline: deadlock found");
	is_int(cpuhp_sched_end(s), CPUHP_SCHED_DEADLOCK, "the run ended as a deadlock");
	/* The machine's threads are parked for good: it is left alone. */
	is_int(cpuhp_sched_detach(s), 0, "detach after an abandoned run");
	cpuhp_sched_free(s);
}

static void test_livelock(void)
{
	struct cpuhp_sched *s = cpuhp_sched_new();
	struct cpuhp *hp;
	pthread_t a;

	sched = s;
	cpuhp_sched_attach(s);
	hp = boot();
	cpuhp_sched_plan(s, NULL, 0, 5);
	cpuhp_sched_spawn(s, &a, do_down, hp);
	is_int(cpuhp_sched_join(s, a, NULL), -ELOOP, "past the point bound: livelock");
	is_int(cpuhp_sched_end(s), CPUHP_SCHED_LIVELOCK, "the run ended as a livelock");
	cpuhp_sched_detach(s);
	cpuhp_sched_free(s);
}

int main(void)
{
	struct run a, b;
	struct cpuhp_sched_choice bad;

	plan_no_plan();
	test_misuse();

	run_pair(NULL, 0, &a);
	is_int(a.join_err, 0, "both threads joined");
	is_int(a.end, CPUHP_SCHED_RUNNING, "the run ended normally");
	is_int(a.down_ret, 0, "cpu1 went down");
	is_int(a.state1, 0, "cpu1 is OFFLINE");
	ok(a.ndec > 2, "decisions were recorded (%zu)", a.ndec);
	run_pair(NULL, 0, &b);
	ok(same_decisions(&a, &b), "the default schedule replays decision for decision");
	free(b.dec);

	bad = (struct cpuhp_sched_choice){ 0, 63 };
	run_pair(&bad, 1, &b);
	is_int(b.end, CPUHP_SCHED_DIVERGED,
	       "a plan naming a thread that cannot run diverges");
	free(b.dec);

	test_alternatives(&a);
	free(a.dec);
	test_deadlock();
	test_livelock();
	return done_testing();
}
