// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * control-files.c - the files under devices/system/cpu: one show or store
 * handler per file and the table that names them (spec section 6).
 *
 * Every store parses its whole value before acting, so a malformed value
 * changes nothing; the texts and errno values are the kernel's.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <cpuhp/control.h>

#include "control/control.h"
#include "control/ctl-path.h"
#include "machine/log.h"
#include "walk/walk.h"

/* ---------------------------------------------------------------- output */

static char *out_tail(struct outbuf *o, size_t *room)
{
	if (o->off >= o->len) {
		*room = 0;
		return NULL;
	}
	*room = o->len - o->off;
	return o->buf + o->off;
}

static void out_printf(struct outbuf *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void out_printf(struct outbuf *o, const char *fmt, ...)
{
	va_list ap;
	size_t room;
	char *dst = out_tail(o, &room);
	int n;

	va_start(ap, fmt);
	n = vsnprintf(dst, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->off += (size_t)n;
}

static void out_mask(struct outbuf *o, const struct cpuhp_mask *m,
		     const struct cpuhp_mask *andnot)
{
	size_t room;
	char *dst = out_tail(o, &room);

	o->off += (size_t)cpuhp__mask_format(m, andnot, dst, room);
}

/* ----------------------------------------------------- value parsing */

/*
 * The kernel's kstrtoint(s, 10, &res): an optional sign, decimal digits and
 * at most one trailing newline.  A value that does not fit an unsigned long
 * long is -ERANGE even with garbage after it (the kernel checks overflow
 * first); one that fits that but not an int is -ERANGE after the garbage
 * check.
 */
static int parse_int(const char *s, int *res)
{
	unsigned long long v = 0;
	bool neg = false, overflow = false;
	const char *p;

	if (*s == '-') {
		neg = true;
		s++;
	} else if (*s == '+') {
		s++;
	}
	for (p = s; *p >= '0' && *p <= '9'; p++) {
		unsigned int d = (unsigned int)(*p - '0');

		if (v > (ULLONG_MAX - d) / 10)
			overflow = true;
		v = v * 10 + d;
	}
	if (overflow)
		return -ERANGE;
	if (p == s)
		return -EINVAL;
	if (*p == '\n')
		p++;
	if (*p)
		return -EINVAL;
	if (v > (neg ? (unsigned long long)INT_MAX + 1 : (unsigned long long)INT_MAX))
		return -ERANGE;
	*res = neg ? (int)-(long long)v : (int)v;
	return 0;
}

/* The kernel's kstrtobool(): only the first one or two characters count. */
static int parse_bool(const char *s, bool *res)
{
	switch (s[0]) {
	case '1':
	case 'y':
	case 'Y':
	case 't':
	case 'T':
		*res = true;
		return 0;
	case '0':
	case 'n':
	case 'N':
	case 'f':
	case 'F':
		*res = false;
		return 0;
	case 'o':
	case 'O':
		if (s[1] == 'n' || s[1] == 'N') {
			*res = true;
			return 0;
		}
		if (s[1] == 'f' || s[1] == 'F') {
			*res = false;
			return 0;
		}
		break;
	}
	return -EINVAL;
}

/* ------------------------------------------------------ machine files */

static int show_online(const struct ctl_ctx *c, struct outbuf *o)
{
	out_mask(o, &c->hp->online, NULL);
	return 0;
}

static int show_offline(const struct ctl_ctx *c, struct outbuf *o)
{
	out_mask(o, &c->hp->possible, &c->hp->online);
	return 0;
}

static int show_possible(const struct ctl_ctx *c, struct outbuf *o)
{
	out_mask(o, &c->hp->possible, NULL);
	return 0;
}

static int show_present(const struct ctl_ctx *c, struct outbuf *o)
{
	out_mask(o, &c->hp->present, NULL);
	return 0;
}

static int show_kernel_max(const struct ctl_ctx *c, struct outbuf *o)
{
	(void)c;
	out_printf(o, "%d\n", CPUHP_MAX_CPUS - 1);
	return 0;
}

/*
 * Setup and removal hold the state mutex while they run callbacks, so a
 * callback reading the listing would deadlock on it: refuse instead.
 */
static int lock_states(struct cpuhp *hp)
{
	if (!cpuhp__in_callback(hp)) {
		cpuhp__mutex_lock(&hp->state_mutex);
		return 0;
	}
	return cpuhp__mutex_trylock(&hp->state_mutex) ? -EDEADLK : 0;
}

static int show_states(const struct ctl_ctx *c, struct outbuf *o)
{
	struct cpuhp *hp = c->hp;
	int i, ret = lock_states(hp);

	if (ret)
		return ret;
	for (i = hp->b.offline; i <= hp->b.online; i++)
		if (hp->steps[i].name)
			out_printf(o, "%3d: %s\n", i, hp->steps[i].name);
	cpuhp__mutex_unlock(&hp->state_mutex);
	return 0;
}

/* ---------------------------------------------------------------- SMT */

static int show_smt_control(const struct ctl_ctx *c, struct outbuf *o)
{
	out_printf(o, "%s\n", cpuhp__smt_control_name(c->hp));
	return 0;
}

static int store_smt_control(const struct ctl_ctx *c, const char *value)
{
	return cpuhp__smt_control_write(c->hp, value);
}

static int show_smt_active(const struct ctl_ctx *c, struct outbuf *o)
{
	out_printf(o, "%d\n",
		   atomic_load_explicit(&c->hp->smt_active, memory_order_relaxed) > 0);
	return 0;
}

/* ------------------------------------------------------ per-CPU files */

/* "cpuN/online" exists only for CPUs the device core lets go offline. */
static bool cpu_hotpluggable(const struct cpuhp *hp, unsigned int cpu)
{
	return cpu != 0 || hp->kc.boot_cpu_hotpluggable;
}

static int show_cpu_online(const struct ctl_ctx *c, struct outbuf *o)
{
	struct cpuhp_cpu *st = cpuhp__cpu(c->hp, c->cpu);

	out_printf(o, "%u\n",
		   !atomic_load_explicit(&st->dev_offline, memory_order_relaxed));
	return 0;
}

/* The device core: no-op when the flag already matches (spec 6.5). */
static int store_cpu_online(const struct ctl_ctx *c, const char *value)
{
	bool on;
	int ret = parse_bool(value, &on);

	if (ret)
		return ret;
	if (on)
		ret = cpuhp__device_online(c->hp, c->cpu);
	else
		ret = cpuhp__device_offline(c->hp, c->cpu);
	return ret < 0 ? ret : 0;
}

static int show_state(const struct ctl_ctx *c, struct outbuf *o)
{
	out_printf(o, "%d\n", st_state(cpuhp__cpu(c->hp, c->cpu)));
	return 0;
}

static int show_target(const struct ctl_ctx *c, struct outbuf *o)
{
	out_printf(o, "%d\n", st_target(cpuhp__cpu(c->hp, c->cpu)));
	return 0;
}

/* Without CONFIG_CPU_HOTPLUG_STATE_CONTROL only OFFLINE and ONLINE are allowed. */
static bool target_allowed(const struct cpuhp *hp, int target)
{
	if (hp->kc.state_control)
		return target >= hp->b.offline && target <= hp->b.online;
	return target == hp->b.offline || target == hp->b.online;
}

/* A target must be named and the CPU must be able to stop there. */
static int target_stoppable(struct cpuhp *hp, int target)
{
	const struct cpuhp_step *sp;
	int ret;

	cpuhp__mutex_lock(&hp->state_mutex);
	sp = cpuhp__step(hp, target);
	ret = !sp->name || sp->cant_stop ? -EINVAL : 0;
	cpuhp__mutex_unlock(&hp->state_mutex);
	return ret;
}

/*
 * Spec 6.3.  The CPU's state is compared without the hotplug locks, as the
 * kernel does: cpu_up/cpu_down re-check it under them.  The device "online"
 * flag is deliberately left alone, so "cpuN/online" can disagree afterwards.
 */
static int store_target(const struct ctl_ctx *c, const char *value)
{
	struct cpuhp *hp = c->hp;
	struct cpuhp_cpu *st = cpuhp__cpu(hp, c->cpu);
	int target, state, ret;

	ret = parse_int(value, &target);
	if (ret)
		return ret;
	if (!target_allowed(hp, target))
		return -EINVAL;
	ret = target_stoppable(hp, target);
	if (ret)
		return ret;
	/* lock_device_hotplug_sysfs: one control-file operation at a time. */
	cpuhp__mutex_lock(&hp->device_lock);
	state = st_state(st);
	if (state < target) {
		ret = cpuhp__cpu_up(hp, c->cpu, target);
	} else if (state > target || !hp->kc.target_equal_nop) {
		/* 6.1 also went down for an equal state, marking the CPU dying. */
		ret = cpuhp__cpu_down(hp, c->cpu, target);
	} else {
		/*
		 * An API cpu_up/cpu_down (no device lock) may be in flight with
		 * its own target: look only when none is, or the WARN is
		 * spurious and the write would clobber that target.
		 */
		cpuhp__mutex_lock(&hp->add_remove_lock);
		if (st_state(st) == target && CPUHP_WARN_ON(hp, st_target(st) != target))
			st_set_target(st, target);
		cpuhp__mutex_unlock(&hp->add_remove_lock);
	}
	cpuhp__mutex_unlock(&hp->device_lock);
	return ret;
}

static int show_fail(const struct ctl_ctx *c, struct outbuf *o)
{
	out_printf(o, "%d\n", cpuhp_fail_get(c->hp, c->cpu));
	return 0;
}

static int store_fail(const struct ctl_ctx *c, const char *value)
{
	int fail, ret = parse_int(value, &fail);

	if (ret)
		return ret;
	return cpuhp_fail_set(c->hp, c->cpu, fail);
}

/* ------------------------------------------------------------ topology */

/* The number of the state named @name, 0 if none (under the state mutex). */
static int find_state(const struct cpuhp *hp, const char *name)
{
	int i;

	for (i = hp->b.offline; i <= hp->b.online; i++)
		if (hp->steps[i].name && !strcmp(hp->steps[i].name, name))
			return i;
	return 0;
}

/*
 * drivers/base/topology.c creates "cpuN/topology" in the PREPARE state
 * "base/topology:prepare" and removes it in its teardown, so the directory
 * exists only while the CPU is at or above that state.  Found once before
 * boot when the model names it (hp->topology_state); a model that sets it
 * up during boot has it looked up on use, under the state mutex.  No such
 * state, or a hand-made machine without a step table: always there.
 */
static int topology_state(const struct cpuhp *chp)
{
	/* Only the mutex is written; a machine is never really const. */
	struct cpuhp *hp = (struct cpuhp *)chp;
	bool locked;
	int state;

	if (hp->topology_state || !hp->steps)
		return hp->topology_state;
	locked = cpuhp__state_lock(hp);
	state = find_state(hp, "base/topology:prepare");
	cpuhp__state_unlock(hp, locked);
	return state;
}

static bool topology_visible(const struct cpuhp *hp, unsigned int cpu)
{
	int state = topology_state(hp);

	return !state || st_state(&hp->cpus[cpu]) >= state;
}

/* Before boot, before any other thread can look. */
void cpuhp__ctl_init(struct cpuhp *hp)
{
	hp->topology_state = find_state(hp, "base/topology:prepare");
}

/*
 * The x86 sibling maps: a CPU joins its siblings' maps when it starts and
 * leaves them when it is disabled, so they hold online CPUs only, and an
 * offline CPU's own maps are empty.  One package and one die: the package
 * map is every online CPU.
 */
static bool topo_member(struct cpuhp *hp, unsigned int cpu, unsigned int sib,
			bool same_core)
{
	if (!cpuhp__mask_test(&hp->online, cpu) || !cpuhp__mask_test(&hp->online, sib))
		return false;
	return !same_core || cpuhp__cpu(hp, sib)->core_id == cpuhp__cpu(hp, cpu)->core_id;
}

static int show_topo_mask(const struct ctl_ctx *c, struct outbuf *o, bool same_core,
			  bool hex)
{
	struct cpuhp_mask m;
	unsigned int sib;
	size_t room;
	char *dst;
	int n;

	if (cpuhp__mask_init(&m, c->hp->nr_possible))
		return -ENOMEM;
	for (sib = 0; sib < c->hp->nr_possible; sib++)
		cpuhp__mask_assign(&m, sib, topo_member(c->hp, c->cpu, sib, same_core));
	dst = out_tail(o, &room);
	if (hex)
		n = cpuhp__mask_format_hex(&m, dst, room);
	else
		n = cpuhp__mask_format(&m, NULL, dst, room);
	o->off += (size_t)n;
	cpuhp__mask_destroy(&m);
	return 0;
}

static int show_thread_siblings(const struct ctl_ctx *c, struct outbuf *o)
{
	return show_topo_mask(c, o, true, true);
}

static int show_thread_siblings_list(const struct ctl_ctx *c, struct outbuf *o)
{
	return show_topo_mask(c, o, true, false);
}

static int show_package_cpus(const struct ctl_ctx *c, struct outbuf *o)
{
	return show_topo_mask(c, o, false, true);
}

static int show_package_cpus_list(const struct ctl_ctx *c, struct outbuf *o)
{
	return show_topo_mask(c, o, false, false);
}

static int show_core_id(const struct ctl_ctx *c, struct outbuf *o)
{
	out_printf(o, "%u\n", cpuhp__cpu(c->hp, c->cpu)->core_id);
	return 0;
}

/* physical_package_id and die_id: a single package with a single die. */
static int show_zero(const struct ctl_ctx *c, struct outbuf *o)
{
	(void)c;
	out_printf(o, "0\n");
	return 0;
}

/* No isolcpus= or nohz_full= support: no CPU is isolated. */
static int show_isolated(const struct ctl_ctx *c, struct outbuf *o)
{
	(void)c;
	out_printf(o, "\n");
	return 0;
}

/* ---------------------------------------------------------- the table */

/* clang-format off */
#define DIR(p) { .pattern = p }
#define RO(p, sh) { .pattern = p, .show = sh }
#define RW(p, sh, st) { .pattern = p, .show = sh, .store = st }
#define TOPO(p, sh) { .pattern = "cpu#/topology" p, .show = sh, .visible = topology_visible }
/* clang-format on */

const struct cpuhp_ctl_entry cpuhp__ctl_entries[] = {
	DIR(""),
	RO("online", show_online),
	RO("offline", show_offline),
	RO("possible", show_possible),
	RO("present", show_present),
	RO("kernel_max", show_kernel_max),
	RO("isolated", show_isolated),
	DIR("hotplug"),
	RO("hotplug/states", show_states),
	DIR("smt"),
	RW("smt/control", show_smt_control, store_smt_control),
	RO("smt/active", show_smt_active),
	DIR("cpu#"),
	{ .pattern = "cpu#/online",
	  .show = show_cpu_online,
	  .store = store_cpu_online,
	  .visible = cpu_hotpluggable },
	DIR("cpu#/hotplug"),
	RO("cpu#/hotplug/state", show_state),
	RW("cpu#/hotplug/target", show_target, store_target),
	RW("cpu#/hotplug/fail", show_fail, store_fail),
	{ .pattern = "cpu#/topology", .visible = topology_visible },
	TOPO("/thread_siblings_list", show_thread_siblings_list),
	TOPO("/thread_siblings", show_thread_siblings),
	TOPO("/core_cpus_list", show_thread_siblings_list),
	TOPO("/core_cpus", show_thread_siblings),
	TOPO("/core_siblings_list", show_package_cpus_list),
	TOPO("/core_siblings", show_package_cpus),
	TOPO("/package_cpus_list", show_package_cpus_list),
	TOPO("/package_cpus", show_package_cpus),
	TOPO("/die_cpus_list", show_package_cpus_list),
	TOPO("/die_cpus", show_package_cpus),
	TOPO("/core_id", show_core_id),
	TOPO("/physical_package_id", show_zero),
	TOPO("/die_id", show_zero),
};

const size_t cpuhp__ctl_nr_entries =
	sizeof(cpuhp__ctl_entries) / sizeof(cpuhp__ctl_entries[0]);
