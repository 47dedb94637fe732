// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * torture-check.c - the torture test's invariants, checked while the cpus
 * read lock holds every CPU still (readers, the end of the run) and after
 * each fail operation.  Expected values come from the spec, cited by
 * section.  These four functions are the seam where the invariant ledger
 * (include/cpuhp/ledger.h, when it exists) can replace the hand-written
 * bookkeeping.
 */
#include <errno.h>
#include <stdio.h>

#include <cpuhp/ledger.h>

#include "torture.h"

/*
 * check_cpus - CPU states against the masks (spec 3.11), with the cpus read
 * lock held, so no operation is in flight:
 * - the state is in range and the target equals it (an operation that ended,
 *   successfully or rolled back, leaves target == state, spec 3.4, 3.9);
 * - at or above AP_ONLINE_IDLE a CPU is online, below BRINGUP_CPU it is not;
 * - active exactly from AP_ACTIVE up (set by its startup, cleared by its
 *   teardown);
 * - a CPU fully online is not dying (cleared by the up direction);
 * - num_online counts the online mask.
 */
void check_cpus(const char *who)
{
	unsigned int cpu, n = 0;

	for (cpu = 0; cpu < T.o.cpus; cpu++) {
		int s = cpuhp_cpu_state(T.hp, cpu), t = cpuhp_cpu_target(T.hp, cpu);
		bool on = cpuhp_cpu_online(T.hp, cpu), act = cpuhp_cpu_active(T.hp, cpu);
		bool dy = cpuhp_cpu_dying(T.hp, cpu);

		n += on;
		if (s < T.s_offline || s > T.s_online)
			violation("%s: CPU %u state %d out of range", who, cpu, s);
		if (t != s && !(cpu == 0 && T.boot_target_zero && !t && s == T.s_online))
			violation("%s: CPU %u target %d != state %d at rest", who, cpu, t,
				  s);
		if (s >= T.s_idle && !on)
			violation("%s: CPU %u at state %d but not online", who, cpu, s);
		if (s < T.s_bringup && on)
			violation("%s: CPU %u at state %d but online", who, cpu, s);
		if (act != (s >= T.s_active))
			violation("%s: CPU %u at state %d, active=%d", who, cpu, s, act);
		if (s == T.s_online && dy && !T.same_target_dies)
			violation("%s: CPU %u online but in the dying mask", who, cpu);
	}
	if (n != cpuhp_num_online(T.hp))
		violation("%s: num_online %u, online mask has %u", who,
			  cpuhp_num_online(T.hp), n);
}

/* Per-CPU data of one startup set: present exactly at or above the state. */
static void check_data(const struct tobj *o, struct pcpu *const *data, const char *who)
{
	unsigned int cpu;

	for (cpu = 0; cpu < T.o.cpus; cpu++) {
		bool want = cpuhp_cpu_state(T.hp, cpu) >= o->state;
		const struct pcpu *p = data[cpu];

		if (!p != !want)
			violation("%s: %s on CPU %u (state %d, slot %d): data %s", who,
				  o->name, cpu, cpuhp_cpu_state(T.hp, cpu), o->state,
				  p ? "present" : "missing");
		else if (p && (p->magic != T_MAGIC || p->cpu != cpu))
			violation("%s: %s: CPU %u's datum is corrupt", who, o->name, cpu);
	}
}

/*
 * check_object - with the cpus read lock held: every ready state and
 * instance has run its startup exactly on the CPUs at or above it (spec
 * 4.2, 4.5) and the data it made is intact.  The object's own lock keeps the
 * owner from starting a removal meanwhile.
 */
void check_object(struct tobj *o, const char *who)
{
	unsigned int i;

	pthread_rwlock_rdlock(&o->lock);
	if (o->phase == PH_READY) {
		if (!o->multi)
			check_data(o, o->data, who);
		for (i = 0; o->multi && i < T_MAX_INST; i++)
			if (o->inst[i].phase == PH_READY)
				check_data(o, o->inst[i].data, who);
	}
	pthread_rwlock_unlock(&o->lock);
}

/*
 * check_fail_end - after a fail operation on @cpu (no other operation ran
 * meanwhile): a failed operation leaves the CPU where it started (spec 3.9;
 * the fail ops never inject where the spec leaves it elsewhere) and an
 * injected failure that fired is disarmed (spec 6.4, one-shot).
 */
void check_fail_end(unsigned int cpu, int before, int ret, const char *what)
{
	int s = cpuhp_cpu_state(T.hp, cpu);

	if (ret && s != before)
		violation("%s on CPU %u failed (%d) but moved it from %d to %d", what,
			  cpu, ret, before, s);
	if (ret == -EAGAIN && cpuhp_fail_get(T.hp, cpu) != CPUHP_INVALID)
		violation("%s on CPU %u: injected failure fired but is still armed", what,
			  cpu);
}

/* At the end, with every worker joined: all of the above plus no armed fail. */
void check_quiescent(void)
{
	unsigned int w, i, cpu;

	cpuhp_cpus_read_lock(T.hp);
	check_cpus("end");
	for (w = 0; w < T.o.workers; w++)
		for (i = 0; i < T_OBJS_PER_WORKER; i++)
			check_object(&T.objs[w][i], "end");
	for (cpu = 0; cpu < T.o.cpus; cpu++)
		if (cpuhp_fail_get(T.hp, cpu) != CPUHP_INVALID)
			violation("end: CPU %u has a failure armed", cpu);
	cpuhp_cpus_read_unlock(T.hp);
}

/*
 * ledger_round - with no operation in flight (a fail op, or the end): turn
 * the library's invariant ledger's findings into torture violations, then
 * restart it, which bounds its records (about 64 bytes per callback) and
 * takes the machine as it is as the new starting point.
 */
void ledger_round(const char *who)
{
	size_t i, n;

	if (!T.o.ledger)
		return;
	T.ledger_records += cpuhp_ledger_nr_records(T.hp);
	n = cpuhp_ledger_nr_violations(T.hp);
	for (i = 0; i < n; i++) {
		struct cpuhp_ledger_violation v;

		if (!cpuhp_ledger_get_violation(T.hp, i, &v))
			violation("%s: ledger: %s: CPU %u state %d: %s", who,
				  cpuhp_ledger_kind_name(v.kind), v.cpu, v.state, v.msg);
	}
	if (cpuhp_ledger_enable(T.hp))
		violation("%s: cannot restart the ledger", who);
}
