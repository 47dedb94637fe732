// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * explore-ops.c - the operations cpuhpctl explore injects faults into, and
 * one fault point: a fresh machine, the user's scenario, the operation's
 * preparation, the ledger on, the faults armed, the operation, the verdict.
 *
 * Every step is also written as the cpuhpctl script line that does the same
 * thing, so a failing point comes with a script that reproduces it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <cpuhp/control.h>
#include <cpuhp/ledger.h>

#include "explore.h"

static const char *const sections[NR_XO_KINDS] = {
	[XO_DOWN] = "cpu-down",       [XO_UP] = "cpu-up",
	[XO_TDOWN] = "target-down",   [XO_TUP] = "target-up",
	[XO_SETUP] = "setup-state",   [XO_ADDI] = "add-instance",
	[XO_REMOVE] = "remove-state", [XO_SMT_OFF] = "smt-off",
	[XO_SMT_ON] = "smt-on",       [XO_MI_DOWN] = "cpu-down-mi",
	[XO_MI_UP] = "cpu-up-mi",     [XO_RMI] = "remove-instance",
	[XO_FAIL] = "fail-file",      [XO_TREFUSE] = "target-refused",
	[XO_TSAME] = "target-same",
};

static const char *const wheres[] = { "prepare-dyn", "online-dyn", "starting" };

const char *xop_section(enum xop_kind kind)
{
	return sections[kind];
}

static bool registration(enum xop_kind kind)
{
	return kind == XO_SETUP || kind == XO_ADDI || kind == XO_REMOVE || kind == XO_RMI;
}

void xop_name(const struct xop *op, char *buf, size_t len)
{
	if (registration(op->kind)) {
		char off[24] = "";

		if (op->offline)
			snprintf(off, sizeof(off), " cpu%u-offline", op->offline - 1);
		snprintf(buf, len, "%s %s%s%s%s", sections[op->kind], wheres[op->where],
			 op->flags & CPUHP_F_NOCALLS ? " nocalls" : "",
			 op->flags & CPUHP_F_CPUSLOCKED ? " cpuslocked" : "", off);
	} else if (op->kind == XO_MI_DOWN || op->kind == XO_MI_UP) {
		snprintf(buf, len, "%s cpu%u%s", sections[op->kind], op->cpu,
			 op->where == XW_STARTING ? " with starting" : "");
	} else if (op->kind == XO_SMT_OFF || op->kind == XO_SMT_ON)
		snprintf(buf, len, "%s", sections[op->kind]);
	else if ((op->kind == XO_TUP || op->kind == XO_TDOWN) && op->target >= 0)
		snprintf(buf, len, "%s cpu%u to %d", sections[op->kind], op->cpu,
			 op->target);
	else
		snprintf(buf, len, "%s cpu%u", sections[op->kind], op->cpu);
}

/*
 * Setup and removal of a state, addition and removal of an instance, in one
 * section: with calls, without (nocalls) and with the caller holding the
 * cpus read lock (cpuslocked) where the API has that variant, and with calls
 * while each CPU but the boot CPU is offline, so that the set of CPUs the
 * calls run on is not every CPU.
 */
static size_t registration_ops(int w, unsigned int cpus, struct xop *ops, size_t n,
			       size_t max)
{
	static const struct {
		enum xop_kind kind;
		unsigned int flags;
	} v[] = {
		{ XO_SETUP, 0 },
		{ XO_SETUP, CPUHP_F_NOCALLS },
		{ XO_SETUP, CPUHP_F_CPUSLOCKED },
		{ XO_SETUP, CPUHP_F_NOCALLS | CPUHP_F_CPUSLOCKED },
		{ XO_REMOVE, 0 },
		{ XO_REMOVE, CPUHP_F_NOCALLS },
		{ XO_REMOVE, CPUHP_F_NOCALLS | CPUHP_F_CPUSLOCKED },
		{ XO_ADDI, 0 },
		{ XO_ADDI, CPUHP_F_NOCALLS },
		{ XO_ADDI, CPUHP_F_NOCALLS | CPUHP_F_CPUSLOCKED },
		{ XO_RMI, 0 },
		{ XO_RMI, CPUHP_F_NOCALLS },
	};
	unsigned int cpu;
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]) && n < max; i++) {
		ops[n++] = (struct xop){ .kind = v[i].kind,
					 .where = (enum xwhere)w,
					 .flags = v[i].flags,
					 .target = -1 };
		/* Offline variants: with calls only, every CPU but the boot CPU. */
		for (cpu = 1; !v[i].flags && cpu < cpus && n < max; cpu++)
			ops[n++] = (struct xop){ .kind = v[i].kind,
						 .where = (enum xwhere)w,
						 .offline = cpu + 1,
						 .target = -1 };
	}
	return n;
}

/**
 * xops_build - the operations explored on a machine with these options
 * @cfg:      the machine options
 * @targets:  intermediate states to write to hotplug/target (--all-targets)
 * @ntargets: how many (0: only 0 and ONLINE)
 * @instances: the multi-instance CPU down/up also holds a STARTING state
 * @ops:      receives them
 * @max:      room in @ops
 *
 * Return: how many.
 */
size_t xops_build(const struct cpuhp_config *cfg, const int *targets, size_t ntargets,
		  bool instances, struct xop *ops, size_t max)
{
	static const enum xop_kind per_cpu[] = { XO_DOWN, XO_UP, XO_TDOWN, XO_TUP,
						 XO_TSAME };
	unsigned int cpus = cfg->nr_present ? cfg->nr_present : cfg->nr_possible, cpu;
	size_t n = 0, k, t;
	int w;

	for (k = 0; k < sizeof(per_cpu) / sizeof(per_cpu[0]); k++)
		for (cpu = 0; cpu < cpus && n < max; cpu++)
			ops[n++] = (struct xop){ .kind = per_cpu[k],
						 .cpu = cpu,
						 .target = -1 };
	/* Down from ONLINE to each target, and up from OFFLINE to it. */
	for (t = 0; t < ntargets; t++)
		for (k = XO_TDOWN; k <= XO_TUP; k++)
			for (cpu = 0; cpu < cpus && n < max; cpu++)
				ops[n++] = (struct xop){ .kind = (enum xop_kind)k,
							 .cpu = cpu,
							 .target = targets[t] };
	for (w = XW_PREPARE_DYN; w <= XW_STARTING; w++)
		n = registration_ops(w, cpus, ops, n, max);
	if (cfg->threads_per_core > 1 && n + 2 <= max) {
		ops[n++] = (struct xop){ .kind = XO_SMT_OFF };
		ops[n++] = (struct xop){ .kind = XO_SMT_ON };
	}
	/*
	 * The last CPU down and up with two instances in a multi-instance state
	 * of PREPARE and ONLINE (with --instances: of STARTING too): partial
	 * failures, their bookmark and their undo (spec 3.3 step 5, 3.6).
	 */
	for (k = XO_MI_DOWN; k <= XO_MI_UP && n < max && cpus > 1; k++)
		ops[n++] = (struct xop){ .kind = (enum xop_kind)k,
					 .cpu = cpus - 1,
					 .where = instances ? XW_STARTING : XW_ONLINE_DYN,
					 .target = -1 };
	/* A hotplug/fail write fires once (spec 6.4). */
	if (cpus > 1 && n < max)
		ops[n++] = (struct xop){ .kind = XO_FAIL, .cpu = cpus - 1, .target = -1 };
	/*
	 * Without CPU_HOTPLUG_STATE_CONTROL (every built-in model's default)
	 * hotplug/target takes only 0 and ONLINE (spec 6.3): a named state in
	 * between is refused and changes nothing.
	 */
	if (cpus > 1 && n < max &&
	    !(cfg->kconfig && strstr(cfg->kconfig, "CPU_HOTPLUG_STATE_CONTROL=y")))
		ops[n++] =
			(struct xop){ .kind = XO_TREFUSE, .cpu = cpus - 1, .target = -1 };
	return n;
}

/* ---- text output ---- */

static void out_printf(struct xout *out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void out_printf(struct xout *out, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (out->len + (size_t)n + 1 > out->alloc) {
		size_t a = (out->len + (size_t)n + 1) * 2;
		char *p = realloc(out->text, a);

		if (!p)
			return;
		out->text = p;
		out->alloc = a;
	}
	va_start(ap, fmt);
	vsnprintf(out->text + out->len, out->alloc - out->len, fmt, ap);
	va_end(ap);
	out->len += (size_t)n;
}

/* ---- one run ---- */

struct xrun {
	struct cpuhp *hp;
	const struct xop *op;
	int state;                /* the state the operation's setup got */
	struct cpuhp_node na, nb; /* add-instance, remove-instance: the first two */
	struct cpuhp_node nc;     /* add-instance: the explored one */
	struct cpuhp_node mi[6];  /* XO_MI_*: two instances in each of three states */
	char pre[16][96];         /* the preparation as script lines */
	unsigned int npre;
	char act[96];
};

/* The first unnamed state of the STARTING section, or -ENOSPC. */
static int starting_hole(struct cpuhp *hp)
{
	int s, end = cpuhp_state_of(hp, CPUHP_AP_ONLINE);

	for (s = cpuhp_state_of(hp, CPUHP_AP_OFFLINE) + 1; s < end; s++)
		if (!cpuhp_state_name(hp, s))
			return s;
	return -ENOSPC;
}

/* setup as the script's "setup WHERE NAME [multi]" does it. */
static int do_setup_at(struct xrun *x, enum xwhere where, const char *name, bool multi,
		       bool act, unsigned int flags)
{
	char line[96];
	int req, ret;

	if (where == XW_STARTING) {
		req = starting_hole(x->hp);
		if (req < 0)
			return req;
		snprintf(line, sizeof(line), "setup %d %s%s%s", req, name,
			 flags & CPUHP_F_NOCALLS ? " nocalls" : "",
			 multi ? " multi" : "");
	} else {
		req = cpuhp_state_of(x->hp, where == XW_PREPARE_DYN ?
						    CPUHP_BP_PREPARE_DYN :
						    CPUHP_AP_ONLINE_DYN);
		snprintf(line, sizeof(line), "setup %s %s%s%s", wheres[where], name,
			 flags & CPUHP_F_NOCALLS ? " nocalls" : "",
			 multi ? " multi" : "");
	}
	if (flags & CPUHP_F_CPUSLOCKED)
		cpuhp_cpus_read_lock(x->hp);
	ret = ctl_setup_noop_flags(x->hp, req, name, multi, flags);
	if (flags & CPUHP_F_CPUSLOCKED)
		cpuhp_cpus_read_unlock(x->hp);
	x->state = ret > 0 ? ret : req;
	strcpy(act ? x->act : x->pre[x->npre++], line);
	return ret < 0 ? ret : 0;
}

static int do_setup(struct xrun *x, const char *name, bool multi, bool act)
{
	return do_setup_at(x, x->op->where, name, multi, act, act ? x->op->flags : 0);
}

static int do_write(struct xrun *x, const char *path, const char *value, bool act)
{
	snprintf(act ? x->act : x->pre[x->npre++], sizeof(x->act), "write %s %s", path,
		 value);
	return cpuhp_ctl_write(x->hp, path, value);
}

static int do_instance(struct xrun *x, struct cpuhp_node *n, const char *id, bool act)
{
	unsigned int flags = act ? x->op->flags : 0;
	int ret;

	snprintf(act ? x->act : x->pre[x->npre++], sizeof(x->act), "instance add %d %s%s",
		 x->state, id, flags & CPUHP_F_NOCALLS ? " nocalls" : "");
	if (!(flags & CPUHP_F_NOCALLS))
		return cpuhp_state_add_instance(x->hp, x->state, n);
	if (!(flags & CPUHP_F_CPUSLOCKED))
		return cpuhp_state_add_instance_nocalls(x->hp, x->state, n);
	cpuhp_cpus_read_lock(x->hp);
	ret = cpuhp_state_add_instance_nocalls_cpuslocked(x->hp, x->state, n);
	cpuhp_cpus_read_unlock(x->hp);
	return ret;
}

/* The act of XO_RMI: remove instance a (the older one), with calls or not. */
static int do_remove_instance(struct xrun *x)
{
	bool nocalls = x->op->flags & CPUHP_F_NOCALLS;

	snprintf(x->act, sizeof(x->act), "instance remove %d a%s", x->state,
		 nocalls ? " nocalls" : "");
	if (nocalls)
		return cpuhp_state_remove_instance_nocalls(x->hp, x->state, &x->na);
	return cpuhp_state_remove_instance(x->hp, x->state, &x->na);
}

/* The act of XO_REMOVE: the number the setup returned, as a driver keeps it. */
static int do_remove(struct xrun *x)
{
	unsigned int flags = x->op->flags;
	int ret;

	snprintf(x->act, sizeof(x->act), "remove %d%s", x->state,
		 flags & CPUHP_F_NOCALLS ? " nocalls" : "");
	if (!(flags & CPUHP_F_NOCALLS))
		return cpuhp_remove_state(x->hp, x->state);
	if (!(flags & CPUHP_F_CPUSLOCKED))
		return cpuhp_remove_state_nocalls(x->hp, x->state);
	cpuhp_cpus_read_lock(x->hp);
	ret = cpuhp_remove_state_nocalls_cpuslocked(x->hp, x->state);
	cpuhp_cpus_read_unlock(x->hp);
	return ret;
}

static void cpu_path(char *buf, size_t len, unsigned int cpu, const char *file)
{
	snprintf(buf, len, "cpu%u/%s", cpu, file);
}

/*
 * A multi-instance state with instances a and b in PREPARE and ONLINE, and
 * in STARTING when the op says so (XO_MI_*).
 */
static int prepare_instances(struct xrun *x)
{
	static const char *const names[] = { "explore:mi-prepare", "explore:mi-online",
					     "explore:mi-starting" };
	int w, ret = 0;

	for (w = XW_PREPARE_DYN; w <= (int)x->op->where && !ret; w++) {
		ret = do_setup_at(x, (enum xwhere)w, names[w], true, false, 0);
		if (!ret)
			ret = do_instance(x, &x->mi[2 * w], "a", false);
		if (!ret)
			ret = do_instance(x, &x->mi[2 * w + 1], "b", false);
	}
	return ret;
}

/* Take the op's offline CPU down (registration ops). */
static int take_offline(struct xrun *x)
{
	char path[48];

	if (!x->op->offline)
		return 0;
	cpu_path(path, sizeof(path), x->op->offline - 1, "online");
	return do_write(x, path, "0", false);
}

/* XO_FAIL: a state on the CPU, hotplug/fail armed at it. */
static int prepare_fail(struct xrun *x)
{
	char path[48], value[16];
	int ret = do_setup_at(x, XW_ONLINE_DYN, "explore:fail", false, false, 0);

	if (ret)
		return ret;
	cpu_path(path, sizeof(path), x->op->cpu, "hotplug/fail");
	snprintf(value, sizeof(value), "%d", x->state);
	return do_write(x, path, value, false);
}

/* The preparation; its failure is reported but the act still runs. */
static int prepare(struct xrun *x)
{
	char path[48];
	int ret = 0;

	switch (x->op->kind) {
	case XO_UP:
		cpu_path(path, sizeof(path), x->op->cpu, "online");
		return do_write(x, path, "0", false);
	case XO_TUP:
		cpu_path(path, sizeof(path), x->op->cpu, "hotplug/target");
		return do_write(x, path, "0", false);
	case XO_ADDI:
	case XO_RMI:
		ret = do_setup(x, "explore:multi", true, false);
		if (!ret)
			ret = do_instance(x, &x->na, "a", false);
		if (!ret)
			ret = do_instance(x, &x->nb, "b", false);
		return ret ? ret : take_offline(x);
	case XO_SETUP:
		return take_offline(x);
	case XO_FAIL:
		return prepare_fail(x);
	case XO_TREFUSE:
		return do_setup_at(x, XW_ONLINE_DYN, "explore:target", false, false, 0);
	case XO_SMT_ON:
		return do_write(x, "smt/control", "off", false);
	case XO_REMOVE:
		ret = do_setup(x, "explore:remove", false, false);
		return ret ? ret : take_offline(x);
	case XO_MI_DOWN:
		return prepare_instances(x);
	case XO_MI_UP:
		ret = prepare_instances(x);
		cpu_path(path, sizeof(path), x->op->cpu, "online");
		return ret ? ret : do_write(x, path, "0", false);
	default:
		return 0;
	}
}

/* The state a target operation writes: its own, else ONLINE up and 0 down. */
static int op_target(const struct xrun *x)
{
	if (x->op->target >= 0)
		return x->op->target;
	return x->op->kind == XO_TUP ? cpuhp_state_of(x->hp, CPUHP_ONLINE) : 0;
}

static int act(struct xrun *x)
{
	char path[48], target[16];

	switch (x->op->kind) {
	case XO_DOWN:
	case XO_UP:
	case XO_MI_DOWN:
	case XO_MI_UP:
	case XO_FAIL:
		cpu_path(path, sizeof(path), x->op->cpu, "online");
		return do_write(x, path,
				x->op->kind == XO_UP || x->op->kind == XO_MI_UP ? "1" :
										  "0",
				true);
	case XO_TDOWN:
	case XO_TUP:
	case XO_TREFUSE:
		cpu_path(path, sizeof(path), x->op->cpu, "hotplug/target");
		snprintf(target, sizeof(target), "%d",
			 x->op->kind == XO_TREFUSE ? x->state : op_target(x));
		return do_write(x, path, target, true);
	case XO_TSAME:
		/* Tools that save and restore sysfs values write a target back. */
		cpu_path(path, sizeof(path), x->op->cpu, "hotplug/target");
		snprintf(target, sizeof(target), "%d",
			 cpuhp_cpu_state(x->hp, x->op->cpu));
		return do_write(x, path, target, true);
	case XO_SETUP:
		return do_setup(x, "explore:install", false, true);
	case XO_ADDI:
		return do_instance(x, &x->nc, "c", true);
	case XO_RMI:
		return do_remove_instance(x);
	case XO_REMOVE:
		return do_remove(x);
	case XO_SMT_OFF:
	case XO_SMT_ON:
		return do_write(x, "smt/control", x->op->kind == XO_SMT_ON ? "on" : "off",
				true);
	case NR_XO_KINDS:
		break;
	}
	return -EINVAL;
}

void xsilent(void *data, int priority, const char *file, int line, const char *fn,
	     const char *format, va_list args)
{
	(void)data;
	(void)priority;
	(void)file;
	(void)line;
	(void)fn;
	(void)format;
	(void)args;
}

static bool add_key(struct xout *out, const struct cpuhp_ledger_record *r,
		    unsigned int nth)
{
	if (out->nkeys == out->akeys) {
		size_t a = out->akeys ? out->akeys * 2 : 64;
		struct xkey *k = realloc(out->keys, a * sizeof(*k));

		if (!k)
			return false;
		out->keys = k;
		out->akeys = a;
	}
	out->keys[out->nkeys++] = (struct xkey){ .cpu = (int)r->cpu,
						 .state = r->state,
						 .instance = r->instance,
						 .nth = nth,
						 .up = r->bringup };
	return true;
}

/*
 * The fault points the act offers: every invocation, or with faults armed
 * every invocation after the first injected one (the rollback's steps).
 */
static void collect(struct cpuhp *hp, unsigned int nfaults, struct xout *out)
{
	size_t n = cpuhp_ledger_nr_records(hp), i, j;
	struct cpuhp_ledger_record *rec = calloc(n ? n : 1, sizeof(*rec));
	unsigned int injected = 0, nth;

	if (!rec)
		return;
	for (i = 0; i < n; i++)
		cpuhp_ledger_get_record(hp, i, &rec[i]);
	for (i = 0; i < n; i++) {
		for (nth = 0, j = 0; j < i; j++)
			nth += rec[j].cpu == rec[i].cpu && rec[j].state == rec[i].state &&
			       rec[j].bringup == rec[i].bringup &&
			       rec[j].instance == rec[i].instance;
		if (rec[i].injected) {
			injected++;
			continue;
		}
		if (nfaults && !injected)
			continue;
		/* finish_cpu cannot fail (spec 1.4): not a fault point. */
		if (!rec[i].bringup &&
		    rec[i].state == cpuhp_state_of(hp, CPUHP_BRINGUP_CPU))
			continue;
		add_key(out, &rec[i], nth);
	}
	out->fired = injected == nfaults;
	free(rec);
}

static void machine_options(const struct xenv *env, struct xout *out)
{
	const struct cpuhp_config *c = &env->cfg;

	out_printf(out, "cpuhpctl --model %s --cpus %u", c->model ? c->model : "mainline",
		   c->nr_possible);
	if (c->nr_present && c->nr_present != c->nr_possible)
		out_printf(out, " --present %u", c->nr_present);
	if (c->threads_per_core > 1)
		out_printf(out, " --threads-per-core %u", c->threads_per_core);
	if (c->cmdline)
		out_printf(out, " --cmdline '%s'", c->cmdline);
	if (c->kconfig)
		out_printf(out, " --config '%s'", c->kconfig);
}

static void reproducer(const struct xenv *env, const struct xrun *x,
		       const struct xkey *faults, unsigned int nfaults, struct xout *out)
{
	unsigned int i;

	out_printf(out, "# reproduce: ");
	machine_options(env, out);
	out_printf(out, " run FILE\n");
	if (env->scenario_text)
		out_printf(out, "%s%s", env->scenario_text,
			   env->scenario_text[0] &&
					   env->scenario_text[strlen(env->scenario_text) -
							      1] != '\n' ?
				   "\n" :
				   "");
	for (i = 0; i < x->npre; i++)
		out_printf(out, "%s\n", x->pre[i]);
	for (i = 0; i < nfaults; i++) {
		out_printf(out, "inject %d %d %s", faults[i].cpu, faults[i].state,
			   faults[i].up ? "up" : "down");
		if (faults[i].instance >= 0)
			out_printf(out, " instance %d", faults[i].instance);
		if (faults[i].nth)
			out_printf(out, " nth %u", faults[i].nth);
		out_printf(out, "\n");
	}
	if (!nfaults)
		out_printf(out, "ledger on\n");
	out_printf(out, "%s\n", x->act);
}

static void verdict(const struct xenv *env, struct xrun *x, const struct xkey *faults,
		    unsigned int nfaults, unsigned long ctx_before, struct xout *out)
{
	size_t n = cpuhp_ledger_nr_violations(x->hp), i;
	struct cpuhp_ledger_violation v;
	/* Spec 6.3: the refused write returns -EINVAL; a fault may not change that. */
	bool accepted = x->op->kind == XO_TREFUSE && out->ret != -EINVAL;

	out->nviol = (unsigned int)(n + ctx_before + accepted);
	if (!out->nviol)
		return;
	if (accepted)
		out_printf(
			out,
			"  target: writing state %d returned %d; without "
			"CPU_HOTPLUG_STATE_CONTROL only 0 and ONLINE are accepted (spec 6.3)\n",
			x->state, out->ret);
	if (ctx_before)
		out_printf(out, "  context: %lu violation(s) before the operation\n",
			   ctx_before);
	for (i = 0; i < n && i < 8; i++)
		if (!cpuhp_ledger_get_violation(x->hp, i, &v))
			out_printf(out, "  %s: %s\n", cpuhp_ledger_kind_name(v.kind),
				   v.msg);
	if (n > 8)
		out_printf(out, "  ... %zu more\n", n - 8);
	reproducer(env, x, faults, nfaults, out);
}

/*
 * The kernel's own behaviour under one double fault (docs/explore.md, "Known
 * kernel behaviour"): an ONLINE startup fails during a full bring-up, then an
 * ONLINE teardown of the AP thread's rollback fails.  The AP stops (spec
 * 3.10), but bringup_cpu only returns the first error, so the control
 * thread's rollback walk goes on from where the AP stopped and runs the
 * remaining ONLINE teardowns itself, on the wrong thread, down to OFFLINE.
 */
static bool known_behaviour(struct cpuhp *hp, const struct xkey *f, unsigned int nfaults)
{
	int td = cpuhp_state_of(hp, CPUHP_TEARDOWN_CPU);

	/*
	 * The first fault is a startup, so the act was a bring-up whatever its
	 * name: a target write below ONLINE brings an offline CPU (maxcpus=,
	 * nosmt) up to it.  A take-down runs startups only after a teardown
	 * failed, and that teardown would be the first fault.
	 */
	return nfaults == 2 && f[0].up && f[0].state > td && !f[1].up && f[1].state > td;
}

/**
 * xrun - explore one fault point on a fresh machine
 * @env:     machine options and scenario
 * @op:      the operation
 * @faults:  the faults to arm just before it (none: an enumeration run)
 * @nfaults: how many
 * @out:     receives the verdict, the keys and the text
 *
 * Return: 0, or -errno if the machine could not be built.
 */
int xrun(const struct xenv *env, const struct xop *op, const struct xkey *faults,
	 unsigned int nfaults, struct xout *out)
{
	struct cpuhp_config cfg = env->cfg;
	struct xrun x = { .op = op };
	struct runner *r = NULL;
	unsigned long ctx_before;
	unsigned int i;
	int ret;

	cfg.log_fn = xsilent;
	ret = cpuhp_new(&cfg, &x.hp);
	if (ret)
		return ret;
	if (env->scenario.nr) {
		r = ctl_runner_new(x.hp);
		for (i = 0; r && i < env->scenario.nr; i++)
			ctl_runner_exec(r, &env->scenario.cmds[i]);
	}
	prepare(&x);
	ctx_before = cpuhp_context_violations(x.hp);
	ret = cpuhp_ledger_enable(x.hp);
	for (i = 0; !ret && i < nfaults; i++) {
		struct cpuhp_fault f = {
			.cpu = (unsigned int)faults[i].cpu,
			.state = faults[i].state,
			.bringup = faults[i].up,
			.instance = faults[i].instance,
			.nth = faults[i].nth,
			.action = CPUHP_FAULT_FAIL,
		};

		ret = cpuhp_ledger_fault(x.hp, &f);
	}
	if (!ret) {
		out->ret = act(&x);
		/* The whole machine too: CPUs the operation did not touch. */
		cpuhp_ledger_check(x.hp);
		collect(x.hp, nfaults, out);
		verdict(env, &x, faults, nfaults, ctx_before, out);
		out->known = out->nviol && known_behaviour(x.hp, faults, nfaults);
	}
	/* Taking the CPUs down at the end is not part of the point. */
	cpuhp_ledger_disable(x.hp);
	cpuhp_free(x.hp);
	ctl_runner_free(r);
	return ret;
}

void xout_free(struct xout *out)
{
	free(out->keys);
	free(out->text);
	memset(out, 0, sizeof(*out));
}
