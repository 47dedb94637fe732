// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * bringup.c - bulk bring-up: boot and cpuhp_bringup_cpus().
 *
 * The kernel's parallel bring-up (v6.5, spec 3.13): pass 1 walks every CPU
 * of the list, one after another, to CPUHP_BP_KICK_AP; the kick starts each
 * AP's low-level boot, which runs to the alive handshake while the control
 * thread moves on.  Pass 2 takes them on to CPUHP_ONLINE.  The kernel runs
 * pass 2 serially too; here it runs concurrently: the control thread holds
 * the cpus write lock and it and a few helper threads each finish the walk
 * of different CPUs at the same time (the helpers trace under the control
 * thread's name and stand-in PID).
 *
 * Each CPU's bring-up is two operations, as in the kernel: pass 1 is a
 * cpu_up() to KICK_AP (target KICK_AP; a failure rolls back to OFFLINE),
 * pass 2 a cpu_up() to ONLINE from there (target ONLINE).  The recorded
 * 6.12 boot shows these targets (boot-trace-main: "target: 85" in pass 1).
 * A pass-2 failure rolls back to OFFLINE in one walk (target 0), where the
 * kernel rolls back to KICK_AP and then walks on down with the target left
 * at KICK_AP: the same callbacks and end state, other targets in the trace
 * of the rollback (docs/design.md).  The interleaving between CPUs differs
 * from the kernel's serial pass 2.  A CPU that pass 1 could
 * not take to KICK_AP is not retried, as in a serial bring-up.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "machine/log.h"
#include "trace/trace.h"
#include "walk/walk.h"

#define MAX_HELPERS 8             /* threads besides the control thread */
#define HELPER_STACK (256 * 1024) /* runs PREPARE callbacks, like the control thread */

struct pass {
	struct cpuhp *hp;
	const unsigned int *cpus;
	unsigned int n;
	int *res;
	_Atomic unsigned int next; /* next index of @cpus to take */
	bool checks; /* cpu_up()'s checks per CPU; smt/control "on" bypasses them */
	int ctl_pid;
	char ctl_name[16];
};

/* cpu_up()'s checks, add_remove_lock held. */
static int up_checks(struct cpuhp *hp, unsigned int cpu)
{
	if (hp->hotplug_disabled)
		return -EBUSY;
	if (!cpuhp__cpu_bootable(hp, cpu))
		return -EPERM;
	return 0;
}

/* Can this CPU's bring-up be cut at KICK_AP (it starts from OFFLINE)? */
static bool splits(struct cpuhp *hp, unsigned int cpu)
{
	return cpuhp__mask_test(&hp->present, cpu) &&
	       st_state(cpuhp__cpu(hp, cpu)) == hp->b.offline;
}

/*
 * Pass 1 (add_remove_lock held): the first piece of each CPU's bring-up,
 * to KICK_AP.  @res gets 0 (go on in pass 2), 1 (nothing to split: pass 2
 * does a whole cpu_up) or the error after rollback to OFFLINE.  With @stop,
 * the pass ends at the first error.
 *
 * Return: how many CPUs of @cpus the pass went through.
 */
static unsigned int pass_kick(struct cpuhp *hp, const unsigned int *cpus, unsigned int n,
			      int *res, bool checks, bool stop)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct cpuhp_cpu *st = cpuhp__cpu(hp, cpus[i]);

		if (!splits(hp, cpus[i])) {
			res[i] = 1;
			continue;
		}
		res[i] = checks ? up_checks(hp, cpus[i]) : 0;
		if (!res[i]) {
			cpuhp__cpus_write_lock(hp);
			cpuhp__set_state(hp, st, hp->b.kick_ap);
			res[i] = cpuhp__up_callbacks_from(hp, st, hp->b.offline,
							  hp->b.kick_ap);
			cpuhp__cpus_write_unlock(hp);
		}
		if (res[i] && stop)
			return i + 1;
	}
	return n;
}

/* Pass 2, one CPU (write lock held). */
static int finish_one(struct cpuhp *hp, unsigned int cpu, int res, bool checks)
{
	struct cpuhp_cpu *st = cpuhp__cpu(hp, cpu);
	int ret;

	if (res == 1) {
		/* Not split: a whole cpu_up(ONLINE), as a serial bring-up does. */
		ret = checks ? up_checks(hp, cpu) : 0;
		return ret ? ret : cpuhp__cpu_up_cpuslocked(hp, cpu, hp->b.online);
	}
	if (res)
		return res;
	/*
	 * The second cpu_up(), target ONLINE.  A failure rolls straight back
	 * to OFFLINE; the kernel stops at KICK_AP first, then goes on down
	 * with the target left at KICK_AP: the same callbacks and end state,
	 * other targets in the rollback's trace (file comment).
	 */
	cpuhp__set_state(hp, st, hp->b.online);
	return cpuhp__up_callbacks_from(hp, st, hp->b.offline, hp->b.bringup_cpu);
}

/* Are entries @i - 1 and @i of the list SMT siblings? */
static bool same_core(const struct pass *p, unsigned int i)
{
	return i > 0 &&
	       p->hp->cpus[p->cpus[i - 1]].core_id == p->hp->cpus[p->cpus[i]].core_id;
}

/*
 * Take CPUs off the shared list until it is empty.  The siblings of one
 * core are finished one after another by one thread, in list order, as a
 * serial bring-up does: activating a CPU counts its core in smt/active
 * when it finds exactly two siblings online (sched_cpu_activate), which
 * two siblings coming up at the same time would both find.  The thread
 * that takes a core's first entry takes the whole run (siblings are
 * adjacent: every list is in ascending CPU order).
 */
static void pass_work(struct pass *p)
{
	unsigned int i;

	/* relaxed: the index only distributes the work; the results are
	 * published by the helpers' exit (pthread_join). */
	while ((i = atomic_fetch_add_explicit(&p->next, 1, memory_order_relaxed)) <
	       p->n) {
		if (same_core(p, i))
			continue;
		do {
			p->res[i] = finish_one(p->hp, p->cpus[i], p->res[i], p->checks);
		} while (++i < p->n && same_core(p, i));
	}
}

static void *helper_main(void *arg)
{
	struct pass *p = arg;

	pthread_setname_np(pthread_self(), p->ctl_name);
	cpuhp__trace_adopt_control_pid(p->hp, p->ctl_pid);
	pass_work(p);
	return NULL;
}

/* Pass 2: all CPUs on to ONLINE at once (add_remove_lock held). */
static void pass_concurrent(struct cpuhp *hp, const unsigned int *cpus, unsigned int n,
			    int *res, bool checks)
{
	struct pass p = { .hp = hp, .cpus = cpus, .n = n, .res = res, .checks = checks };
	pthread_t tid[MAX_HELPERS];
	unsigned int nr = 0, want = n / 2 < MAX_HELPERS ? n / 2 : MAX_HELPERS, i;

	/*
	 * A trace sink is called by one thread at a time, in an order that
	 * compares with a kernel's trace: with one installed, the control
	 * thread finishes the CPUs alone, one after another.
	 */
	if (hp->trace_fn)
		want = 0;
	pthread_attr_t attr;

	atomic_init(&p.next, 0);
	p.ctl_pid = cpuhp__trace_control_pid(hp);
	if (pthread_getname_np(pthread_self(), p.ctl_name, sizeof(p.ctl_name)))
		strcpy(p.ctl_name, "<...>");
	cpuhp__cpus_write_lock(hp);
	if (!pthread_attr_init(&attr)) {
		pthread_attr_setstacksize(&attr, HELPER_STACK);
		/* Fewer helpers (even none) only make the pass slower, not wrong. */
		for (nr = 0; nr < want; nr++)
			if (cpuhp__thread_spawn(&tid[nr], &attr, helper_main, &p))
				break;
		pthread_attr_destroy(&attr);
	}
	pass_work(&p);
	for (i = 0; i < nr; i++)
		cpuhp__thread_join(tid[i], NULL);
	cpuhp__cpus_write_unlock(hp);
}

/**
 * cpuhp__parallel_bringup - does this machine bring CPUs up in parallel?
 * @hp: the machine
 *
 * Return: true with a split start-up model, unless serial is configured or
 *         the invariant ledger is on.
 */
bool cpuhp__parallel_bringup(const struct cpuhp *hp)
{
	/* The ledger checks one operation at a time, in the kernel's order. */
	return hp->b.kick_ap >= 0 && !(hp->cfg_flags & CPUHP_CONFIG_SERIAL_BRINGUP) &&
	       !hp->cmdline_serial_bringup && !cpuhp__ledger(hp);
}

/* Both passes over @cpus; add_remove_lock held. */
static void bringup_list(struct cpuhp *hp, const unsigned int *cpus, unsigned int n,
			 int *res)
{
	pass_kick(hp, cpus, n, res, true, false);
	pass_concurrent(hp, cpus, n, res, true);
}

/* The serial bring-up: cpu_up(ONLINE) for each CPU; add_remove_lock held. */
static void bringup_serial(struct cpuhp *hp, const unsigned int *cpus, unsigned int n,
			   int *res)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		res[i] = up_checks(hp, cpus[i]);
		if (!res[i])
			res[i] = cpuhp__cpu_up_locked(hp, cpus[i], 0, hp->b.online);
	}
}

/* The present CPUs, primary SMT threads or the others, at most @max. */
static unsigned int collect(struct cpuhp *hp, unsigned int *cpus, int want_primary,
			    unsigned int max)
{
	unsigned int cpu, n = 0;

	/* Bug zoo (bug_bringup_mask_short, v6.5-rc1): the budget was counted
	 * down before the CPU was taken, so a bounded pass took one CPU less. */
	if (hp->kc.bug_bringup_mask_short && max != UINT_MAX && max > 0)
		max--;
	for (cpu = 0; cpu < hp->nr_possible && n < max; cpu++) {
		if (!cpuhp__mask_test(&hp->present, cpu))
			continue;
		if (want_primary >= 0 &&
		    cpuhp__is_primary_thread(hp, cpu) != (bool)want_primary)
			continue;
		cpus[n++] = cpu;
	}
	return n;
}

/**
 * cpuhp__bringup_nonboot_parallel - mainline's boot with parallel bring-up
 * @hp:       the machine, boot CPU online
 * @max_cpus: maxcpus=, -1 = unlimited
 *
 * With SMT the primary threads come up first (both passes), then the
 * others; every CPU of a pass counts against @max_cpus, failures included,
 * and the second group gets what the online count leaves (spec 3.13).
 */
void cpuhp__bringup_nonboot_parallel(struct cpuhp *hp, int max_cpus)
{
	unsigned int max = max_cpus < 0 ? UINT_MAX : (unsigned int)max_cpus, n;
	unsigned int *cpus = calloc(hp->nr_possible, sizeof(*cpus));
	int *res = calloc(hp->nr_possible, sizeof(*res));

	if (!cpus || !res)
		goto out;
	cpuhp__mutex_lock(&hp->add_remove_lock);
	if (hp->threads_per_core > 1) {
		n = collect(hp, cpus, 1, max);
		bringup_list(hp, cpus, n, res);
		if (max != UINT_MAX)
			max = max > cpuhp_num_online(hp) ? max - cpuhp_num_online(hp) : 0;
		n = collect(hp, cpus, 0, max);
	} else {
		n = collect(hp, cpus, -1, max);
	}
	if (n)
		bringup_list(hp, cpus, n, res);
	cpuhp__mutex_unlock(&hp->add_remove_lock);
out:
	free(cpus);
	free(res);
}

/* What a CPU looked like before a bring-up that may have to be undone. */
struct before {
	int state;
	bool booted_once, dying;
};

/*
 * Undo the bring-up of @cpu, which a serial loop would not have reached:
 * back down to where it was, and its booted_once and dying bits as they
 * were (a serial loop leaves both alone; booted_once decides whether a
 * sibling may still boot under nosmt).  add_remove_lock held.
 */
static void undo_one(struct cpuhp *hp, unsigned int cpu, const struct before *b, bool up)
{
	if (up && cpuhp__cpu_down_locked(hp, cpu, b->state))
		CPUHP_WARN(
			hp,
			"CPU %u: undoing a bring-up past the failing CPU did not finish",
			cpu);
	cpuhp__mask_assign(&hp->booted_once, cpu, b->booted_once);
	cpuhp__mask_assign(&hp->dying, cpu, b->dying);
}

/* Both passes, ending at the first failure in @cpus' order; see below. */
static unsigned int ordered_parallel(struct cpuhp *hp, const unsigned int *cpus,
				     unsigned int n, int *res, struct before *b, int *err)
{
	unsigned int m, first, i;

	for (i = 0; i < n; i++) {
		b[i].state = st_state(cpuhp__cpu(hp, cpus[i]));
		b[i].booted_once = cpuhp__mask_test(&hp->booted_once, cpus[i]);
		b[i].dying = cpuhp__mask_test(&hp->dying, cpus[i]);
	}
	/* Pass 1 is in order: a failure there stops it as it stops the loop. */
	m = pass_kick(hp, cpus, n, res, false, true);
	pass_concurrent(hp, cpus, m, res, false);
	for (first = 0; first < m && !res[first]; first++)
		;
	if (first == m)
		return n;
	*err = res[first];
	/* Pass 2 ran the CPUs after the failing one too: undo them. */
	for (i = m; i-- > first + 1;)
		undo_one(hp, cpus[i], &b[i], !res[i]);
	return first;
}

/**
 * cpuhp__bringup_ordered - up each CPU in turn, stopping at the first failure
 * @hp:   the machine, add_remove_lock held
 * @cpus: the CPUs, in the order of the loop
 * @n:    how many
 * @err:  receives the failing CPU's error, 0 if none failed
 *
 * The result of the loop "cpu_up(ONLINE) each CPU, without cpu_up()'s
 * checks, stop at the first error" (smt/control "on"), reached with the
 * parallel bring-up where the machine uses it (and no trace sink is set:
 * the kernel's smt/control trace is the serial one).  Pass 1 is in order
 * and stops at a failure; after a failure in pass 2 the CPUs after the
 * failing one, which pass 2 ran concurrently, are taken back down and
 * their booted_once and dying bits restored.  So every CPU ends as in the
 * loop; what differs is visible to callbacks only: those CPUs saw a
 * bring-up and a teardown.
 *
 * Return: how many CPUs of @cpus, from the first, came up: the index of
 *         the failing CPU, or @n.
 */
unsigned int cpuhp__bringup_ordered(struct cpuhp *hp, const unsigned int *cpus,
				    unsigned int n, int *err)
{
	int *res = NULL;
	struct before *b = NULL;
	unsigned int i;

	*err = 0;
	/* Undoing needs cpu_down; tracing wants the kernel's order. */
	if (n > 1 && cpuhp__parallel_bringup(hp) && hp->kc.hotplug_cpu && !hp->trace_fn) {
		res = calloc(n, sizeof(*res));
		b = calloc(n, sizeof(*b));
	}
	if (res && b) {
		i = ordered_parallel(hp, cpus, n, res, b, err);
	} else {
		for (i = 0; i < n; i++) {
			*err = cpuhp__cpu_up_locked(hp, cpus[i], 0, hp->b.online);
			if (*err)
				break;
		}
	}
	free(res);
	free(b);
	return i;
}

static bool would_deadlock(struct cpuhp *hp)
{
	if (!cpuhp__in_callback(hp) && !cpuhp__read_depth(hp) && cpuhp__tctx()->hp != hp)
		return false;
	CPUHP_WARN(hp, "CPU hotplug operation from a callback or under cpus_read_lock");
	return true;
}

static bool mask_bit(const unsigned long *mask, unsigned int cpu)
{
	return (mask[cpu / CPUHP_BITS_PER_LONG] >> (cpu % CPUHP_BITS_PER_LONG)) & 1;
}

int cpuhp_bringup_cpus(struct cpuhp *hp, const unsigned long *mask)
{
	unsigned int *cpus, cpu, n = 0, i;
	int *res, ret = 0;

	if (!hp || !mask)
		return -EINVAL;
	if (would_deadlock(hp))
		return -EDEADLK;
	cpus = calloc(hp->nr_possible, sizeof(*cpus));
	res = calloc(hp->nr_possible, sizeof(*res));
	if (!cpus || !res) {
		ret = -ENOMEM;
		goto out;
	}
	for (cpu = 0; cpu < hp->nr_possible; cpu++)
		if (mask_bit(mask, cpu))
			cpus[n++] = cpu;
	cpuhp__mutex_lock(&hp->add_remove_lock);
	if (hp->hotplug_disabled)
		ret = -EBUSY;
	else if (cpuhp__parallel_bringup(hp))
		bringup_list(hp, cpus, n, res);
	else
		bringup_serial(hp, cpus, n, res);
	cpuhp__mutex_unlock(&hp->add_remove_lock);
	for (i = 0; i < n && !ret; i++)
		if (!cpuhp__mask_test(&hp->online, cpus[i]))
			ret = res[i] ? res[i] : -EIO;
out:
	free(cpus);
	free(res);
	return ret;
}
