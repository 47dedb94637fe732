// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * torture-objs.c - the torture test's own states: callbacks that allocate
 * and free one per-CPU datum each, and the setup / remove / instance
 * operations of the worker that owns the object.
 *
 * Bookkeeping: data[cpu] is non-NULL exactly while a startup has run on that
 * CPU without its teardown.  A startup finding it set, or a teardown finding
 * it clear, is a violation on the spot (a startup run twice, a teardown
 * without startup); the checks in torture-check.c compare it with the CPU's
 * state.  For the _nocalls variants the owner plays the callbacks itself
 * while it holds the cpus read lock, so that no CPU moves in between.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "torture.h"

/* A startup on @cpu: fails once if the object's token names @cpu. */
static int do_startup(struct tobj *o, struct pcpu **data, unsigned int cpu)
{
	int want = (int)cpu;
	struct pcpu *p;

	if (atomic_compare_exchange_strong(&o->fail_cpu, &want, -1))
		return -ENOMEM;
	if (data[cpu]) {
		violation("%s: startup on CPU %u twice without a teardown", o->name, cpu);
		return 0;
	}
	p = malloc(sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->magic = T_MAGIC;
	p->cpu = cpu;
	data[cpu] = p;
	return 0;
}

static void do_teardown(struct tobj *o, struct pcpu **data, unsigned int cpu)
{
	struct pcpu *p = data[cpu];

	if (!p) {
		violation("%s: teardown on CPU %u without a startup", o->name, cpu);
		return;
	}
	if (p->magic != T_MAGIC || p->cpu != cpu)
		violation("%s: CPU %u's datum is corrupt", o->name, cpu);
	data[cpu] = NULL;
	free(p);
}

/* ONLINE-section callbacks run on the CPU's own thread (spec 1.2). */
static void check_where(struct cpuhp *hp, const struct tobj *o, unsigned int cpu)
{
	int c = -1;
	enum cpuhp_context ctx = cpuhp_current_context(hp, &c);

	if (!o->prepare && (ctx != CPUHP_CTX_AP || c != (int)cpu))
		violation("%s: callback for CPU %u ran in context %d on CPU %d", o->name,
			  cpu, (int)ctx, c);
}

static int s_startup(struct cpuhp *hp, unsigned int cpu, void *arg)
{
	struct tobj *o = arg;

	check_where(hp, o, cpu);
	return do_startup(o, o->data, cpu);
}

static int s_teardown(struct cpuhp *hp, unsigned int cpu, void *arg)
{
	struct tobj *o = arg;

	check_where(hp, o, cpu);
	do_teardown(o, o->data, cpu);
	return 0;
}

static int m_startup(struct cpuhp *hp, unsigned int cpu, struct cpuhp_node *node)
{
	struct tinst *in = cpuhp_container_of(node, struct tinst, node);

	check_where(hp, in->owner, cpu);
	return do_startup(in->owner, in->data, cpu);
}

static int m_teardown(struct cpuhp *hp, unsigned int cpu, struct cpuhp_node *node)
{
	struct tinst *in = cpuhp_container_of(node, struct tinst, node);

	check_where(hp, in->owner, cpu);
	do_teardown(in->owner, in->data, cpu);
	return 0;
}

static void set_phase(struct tobj *o, enum tphase *phase, enum tphase v)
{
	pthread_rwlock_wrlock(&o->lock);
	*phase = v;
	pthread_rwlock_unlock(&o->lock);
}

/* After a failed or calling removal: nothing may be left allocated. */
static void expect_empty(struct tobj *o, struct pcpu **data, const char *after)
{
	unsigned int cpu;

	for (cpu = 0; cpu < T.o.cpus; cpu++) {
		if (!data[cpu])
			continue;
		violation("%s: CPU %u still set up after %s", o->name, cpu, after);
		free(data[cpu]);
		data[cpu] = NULL;
	}
}

/*
 * The _nocalls variants: with the cpus read lock held, play the startups
 * (@up) or teardowns the library skipped, for the CPUs at or above the state.
 */
static void play(struct tobj *o, struct pcpu **data, bool up)
{
	unsigned int cpu;

	for (cpu = 0; cpu < T.o.cpus; cpu++) {
		bool above = cpuhp_cpu_state(T.hp, cpu) >= o->state;

		if (up && above)
			do_startup(o, data, cpu);
		else if (!up && above)
			do_teardown(o, data, cpu);
		else if (data[cpu])
			violation("%s: CPU %u below the state but set up", o->name, cpu);
	}
}

void obj_init(struct tobj *o, unsigned int worker, unsigned int idx)
{
	unsigned int i;

	memset(o, 0, sizeof(*o));
	pthread_rwlock_init(&o->lock, NULL);
	atomic_init(&o->fail_cpu, -1);
	snprintf(o->name, sizeof(o->name), "tort:w%u.%u", worker, idx);
	o->data = calloc(T.o.cpus, sizeof(*o->data));
	for (i = 0; i < T_MAX_INST; i++) {
		o->inst[i].owner = o;
		o->inst[i].data = calloc(T.o.cpus, sizeof(*o->inst[i].data));
	}
}

void obj_destroy(struct tobj *o)
{
	unsigned int i;

	free(o->data);
	for (i = 0; i < T_MAX_INST; i++)
		free(o->inst[i].data);
	pthread_rwlock_destroy(&o->lock);
}

/*
 * obj_setup - install a free object: setup_state with calls, _nocalls, or a
 * multi-instance state.  @inject (fail ops only): arm the token on a random
 * CPU and use the calling variant, so that the setup may fail and must then
 * leave nothing set up (spec 4.2).
 */
int obj_setup(struct tobj *o, uint64_t *rnd, bool inject)
{
	uint64_t r = trand(rnd);
	unsigned int kind = inject ? 0 : (unsigned int)(r % 3);
	int base, ret;

	o->prepare = (r >> 8) % 3 == 0;
	if (o->prepare && T.prepare_dyn_silent && kind == 0) {
		/* The library runs no startups here: play them (_nocalls). */
		kind = 1;
		inject = false;
	}
	o->multi = kind == 2;
	base = o->prepare ? T.s_bp_dyn : T.s_ap_dyn;
	set_phase(o, &o->phase, PH_SETUP);
	if (inject)
		atomic_store(&o->fail_cpu, (int)((r >> 16) % T.o.cpus));
	if (kind == 0) {
		ret = cpuhp_setup_state(T.hp, base, o->name, s_startup, s_teardown, o);
	} else if (kind == 1) {
		cpuhp_cpus_read_lock(T.hp);
		ret = cpuhp_setup_state_nocalls(T.hp, base, o->name, s_startup,
						s_teardown, o);
		if (ret > 0) {
			o->state = ret;
			play(o, o->data, true);
		}
		cpuhp_cpus_read_unlock(T.hp);
	} else {
		ret = cpuhp_setup_state_multi(T.hp, base, o->name, m_startup, m_teardown);
	}
	atomic_store(&o->fail_cpu, -1);
	if (ret <= 0) {
		if (ret == 0)
			violation("%s: dynamic setup returned 0, not a slot", o->name);
		expect_empty(o, o->data, "a failed setup");
		set_phase(o, &o->phase, PH_FREE);
		return ret;
	}
	o->state = ret;
	set_phase(o, &o->phase, PH_READY);
	return 0;
}

/* Add or remove instance @i; @inject as for obj_setup(). */
static int instance_op(struct tobj *o, unsigned int i, uint64_t r, bool inject)
{
	struct tinst *in = &o->inst[i];
	bool nocalls = !inject && (r & 1);
	int ret;

	if (in->phase == PH_FREE) {
		memset(&in->node, 0, sizeof(in->node));
		set_phase(o, &in->phase, PH_SETUP);
		if (inject)
			atomic_store(&o->fail_cpu, (int)((r >> 16) % T.o.cpus));
		if (nocalls) {
			cpuhp_cpus_read_lock(T.hp);
			ret = cpuhp_state_add_instance_nocalls(T.hp, o->state, &in->node);
			if (!ret)
				play(o, in->data, true);
			cpuhp_cpus_read_unlock(T.hp);
		} else {
			ret = cpuhp_state_add_instance(T.hp, o->state, &in->node);
		}
		atomic_store(&o->fail_cpu, -1);
		if (ret) {
			expect_empty(o, in->data, "a failed add_instance");
			set_phase(o, &in->phase, PH_FREE);
			return ret;
		}
		set_phase(o, &in->phase, PH_READY);
		return 0;
	}
	set_phase(o, &in->phase, PH_REMOVING);
	if (nocalls) {
		cpuhp_cpus_read_lock(T.hp);
		ret = cpuhp_state_remove_instance_nocalls(T.hp, o->state, &in->node);
		play(o, in->data, false);
		cpuhp_cpus_read_unlock(T.hp);
	} else {
		ret = cpuhp_state_remove_instance(T.hp, o->state, &in->node);
	}
	if (ret)
		violation("%s: remove_instance failed: %d", o->name, ret);
	expect_empty(o, in->data, "remove_instance");
	set_phase(o, &in->phase, PH_FREE);
	return 0;
}

int obj_instance(struct tobj *o, uint64_t *rnd, bool inject)
{
	uint64_t r = trand(rnd);
	unsigned int i = (unsigned int)((r >> 4) % T_MAX_INST);

	if (o->phase != PH_READY || !o->multi)
		return -ENOENT;
	if (inject && o->inst[i].phase != PH_FREE)
		return -ENOENT;
	return instance_op(o, i, r, inject);
}

static bool still_listed(const struct tobj *o)
{
	static _Thread_local char buf[16384];
	char needle[48];
	ssize_t n = cpuhp_ctl_read(T.hp, "hotplug/states", buf, sizeof(buf) - 1);

	if (n < 0)
		return false;
	buf[n] = '\0';
	snprintf(needle, sizeof(needle), ": %s\n", o->name);
	return strstr(buf, needle) != NULL;
}

/* Remove a ready object (its instances first), with calls or _nocalls. */
int obj_remove(struct tobj *o, uint64_t *rnd)
{
	uint64_t r = trand(rnd);
	unsigned int i;
	int ret;

	if (o->phase != PH_READY)
		return -ENOENT;
	for (i = 0; i < T_MAX_INST; i++)
		if (o->inst[i].phase == PH_READY)
			instance_op(o, i, r & ~1ull, false);
	set_phase(o, &o->phase, PH_REMOVING);
	if (o->multi) {
		ret = cpuhp_remove_multi_state(T.hp, o->state);
	} else if (r & 2) {
		cpuhp_cpus_read_lock(T.hp);
		ret = cpuhp_remove_state_nocalls(T.hp, o->state);
		play(o, o->data, false);
		cpuhp_cpus_read_unlock(T.hp);
	} else {
		ret = cpuhp_remove_state(T.hp, o->state);
	}
	if (ret)
		violation("%s: removing state %d failed: %d", o->name, o->state, ret);
	expect_empty(o, o->data, "removal");
	/*
	 * Reference bug 2 (spec 9.2): removal frees exactly this slot.  The
	 * listing is a copy: a name pointer could be freed by another worker.
	 */
	if (still_listed(o))
		violation("%s: state %d still listed after removal", o->name, o->state);
	set_phase(o, &o->phase, PH_FREE);
	return 0;
}
