// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * sched-dfs.c - every schedule of a set of operations with at most K
 * preemptions (iterative context bounding, as in CHESS).
 *
 * A run is the sequence of decisions the scheduler made where two or more
 * threads could run.  The search keeps the last run's decisions as a stack;
 * each node remembers which threads were already tried there.  The next run
 * takes the deepest node with an untried thread that stays within the
 * preemption bound (choosing another thread while the current one could go
 * on costs one preemption; choosing when the current one blocked is free),
 * replays the decisions above it and picks that thread; after it, every
 * decision is the default one (go on with the current thread).  Runs are
 * deterministic, so a schedule is fully given by its non-default decisions:
 * that sparse list is the replayable string ("12.3,40.2").
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sched-explore.h"

struct node {
	struct cpuhp_sched_decision d;
	uint64_t tried;
};

struct dfs {
	struct node *stack;
	size_t depth, alloc;
	struct cpuhp_sched_choice *c; /* the next run's plan */
	size_t nc, ac;
	uint64_t *seen; /* end-state hashes (open addressing, 0 = empty) */
	size_t nseen, aseen;
};

static unsigned int default_choice(const struct cpuhp_sched_decision *d)
{
	if (d->current >= 0 && (d->enabled >> d->current & 1))
		return (unsigned int)d->current;
	return (unsigned int)__builtin_ctzll(d->enabled);
}

/* One more preemption if choosing @t at @d is not the default. */
static unsigned int cost(const struct cpuhp_sched_decision *d, unsigned int t)
{
	return d->current >= 0 && (d->enabled >> d->current & 1) &&
	       t != (unsigned int)d->current;
}

static bool seen_add(struct dfs *x, uint64_t h)
{
	size_t i;

	h |= 1; /* 0 marks an empty slot */
	if (2 * (x->nseen + 1) > x->aseen) {
		size_t a = x->aseen ? x->aseen * 2 : 1024, j;
		uint64_t *n = calloc(a, sizeof(*n));

		if (!n)
			return false;
		for (j = 0; j < x->aseen; j++)
			if (x->seen[j])
				for (i = x->seen[j] % a;; i = (i + 1) % a)
					if (!n[i]) {
						n[i] = x->seen[j];
						break;
					}
		free(x->seen);
		x->seen = n;
		x->aseen = a;
	}
	for (i = h % x->aseen; x->seen[i]; i = (i + 1) % x->aseen)
		if (x->seen[i] == h)
			return false;
	x->seen[i] = h;
	x->nseen++;
	return true;
}

/*
 * Take the run's decisions below the replayed prefix onto the stack.
 * Return: false if the run did not replay the prefix (nondeterminism).
 */
static bool absorb(struct dfs *x, size_t prefix, const struct sx_result *r)
{
	size_t i;

	if (r->ndec < prefix)
		return false;
	for (i = 0; i < prefix; i++)
		if (r->dec[i].enabled != x->stack[i].d.enabled ||
		    r->dec[i].chosen != x->stack[i].d.chosen)
			return false;
	if (r->ndec > x->alloc) {
		struct node *n = realloc(x->stack, r->ndec * sizeof(*n));

		if (!n)
			return false;
		x->stack = n;
		x->alloc = r->ndec;
	}
	for (i = prefix; i < r->ndec; i++)
		x->stack[i] = (struct node){ r->dec[i], 1ull << r->dec[i].chosen };
	x->depth = r->ndec;
	return true;
}

/* The deepest node with a thread left to try within @k preemptions. */
static bool backtrack(struct dfs *x, unsigned int k)
{
	while (x->depth) {
		struct node *nd = &x->stack[x->depth - 1];
		uint64_t left = nd->d.enabled & ~nd->tried;

		while (left) {
			unsigned int t = (unsigned int)__builtin_ctzll(left);

			left &= left - 1;
			nd->tried |= 1ull << t;
			if (nd->d.preemptions + cost(&nd->d, t) <= k) {
				nd->d.chosen = (uint8_t)t;
				return true;
			}
		}
		x->depth--;
	}
	return false;
}

/* The plan that replays the stack: its non-default decisions. */
static bool make_plan(struct dfs *x)
{
	size_t i;

	x->nc = 0;
	for (i = 0; i < x->depth; i++) {
		const struct cpuhp_sched_decision *d = &x->stack[i].d;

		if (d->chosen == default_choice(d))
			continue;
		if (x->nc == x->ac) {
			size_t a = x->ac ? x->ac * 2 : 16;
			struct cpuhp_sched_choice *c = realloc(x->c, a * sizeof(*c));

			if (!c)
				return false;
			x->c = c;
			x->ac = a;
		}
		x->c[x->nc++] = (struct cpuhp_sched_choice){ (uint32_t)i, d->chosen };
	}
	return true;
}

/**
 * sx_explore_pair - run @p under every schedule with at most @k preemptions
 * @p:             the operations
 * @k:             the preemption bound
 * @max_schedules: stop after this many (0: no limit)
 * @found:         called for each schedule with a violation
 * @progress:      called after each schedule (may be NULL)
 * @data:          for both
 * @st:            receives the counts
 *
 * Return: 0, or a negative error when a run could not be made or did not
 * replay its own prefix (reported; the counts so far are in @st).
 */
int sx_explore_pair(struct sx_pair *p, unsigned int k, unsigned long max_schedules,
		    sx_found_fn found, sx_progress_fn progress, void *data,
		    struct sx_stats *st)
{
	struct dfs x = { 0 };
	struct sx_ctx ctx = { 0 };
	double t0 = ctl_now();
	size_t prefix = 0;
	int err = 0;

	memset(st, 0, sizeof(*st));
	for (;;) {
		struct sx_result r;

		err = sx_run(&ctx, p, x.c, x.nc, &r);
		if (err)
			break;
		st->schedules++;
		if (r.end == CPUHP_SCHED_DIVERGED || !absorb(&x, prefix, &r)) {
			st->nondet++;
			free(r.dec);
			ctl_err("explore: a schedule did not replay (nondeterminism): stopping");
			err = -EPROTO;
			break;
		}
		if (seen_add(&x, r.end_state))
			st->distinct++;
		if (r.violations) {
			st->violations++;
			found(p, &r, x.c, x.nc, data);
		}
		free(r.dec);
		if (progress)
			progress(st->schedules, data);
		if (max_schedules && st->schedules >= max_schedules)
			break;
		if (!backtrack(&x, k) || !make_plan(&x))
			break;
		prefix = x.depth; /* the node just changed is replayed too */
	}
	st->seconds = ctl_now() - t0;
	st->rebuilds = ctx.rebuilds;
	sx_ctx_end(&ctx);
	free(x.stack);
	free(x.c);
	free(x.seen);
	return err;
}

/* ---- the replayable string: "AT.THREAD,AT.THREAD" ("-": the default schedule) ---- */

int sx_choices_parse(const char *s, struct cpuhp_sched_choice **c, size_t *n)
{
	size_t cap = 1;
	const char *p;
	char *end;

	*c = NULL;
	*n = 0;
	if (!strcmp(s, "-"))
		return 0;
	for (p = s; *p; p++)
		cap += *p == ',';
	*c = calloc(cap, sizeof(**c));
	if (!*c)
		return -ENOMEM;
	for (p = s;;) {
		unsigned long at, t;

		errno = 0;
		at = strtoul(p, &end, 10);
		if (errno || end == p || *end != '.' || *p == '-' || at > UINT32_MAX)
			goto bad;
		p = end + 1;
		t = strtoul(p, &end, 10);
		if (errno || end == p || *p == '-' || t >= CPUHP_SCHED_MAX_THREADS ||
		    (*n && at <= (*c)[*n - 1].at))
			goto bad;
		(*c)[(*n)++] = (struct cpuhp_sched_choice){ (uint32_t)at, (uint32_t)t };
		if (!*end)
			return 0;
		if (*end != ',')
			goto bad;
		p = end + 1;
	}
bad:
	free(*c);
	*c = NULL;
	*n = 0;
	return -EINVAL;
}

void sx_choices_print(FILE *f, const struct cpuhp_sched_choice *c, size_t n)
{
	size_t i;

	if (!n)
		fputc('-', f);
	for (i = 0; i < n; i++)
		fprintf(f, "%s%u.%u", i ? "," : "", c[i].at, c[i].thread);
}
