// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * sched-ops.c - the operations explore --schedules races against each
 * other: CPU up and down through cpuN/online and hotplug/target, arming
 * hotplug/fail, setup and removal of every kind of state, instance add and
 * remove, smt/control.  Each has a preparation, run before the schedule
 * starts (the state it removes, the CPU it brings up taken down), and the
 * act itself, run in a scheduled thread.  Callbacks do nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpuhp/control.h>
#include <cpuhp/state.h>

#include "cpuhpctl.h"
#include "sched-explore.h"

static int write_cpu(struct cpuhp *hp, unsigned int cpu, const char *file, const char *v)
{
	char path[64];

	snprintf(path, sizeof(path), "cpu%u/%s", cpu, file);
	return cpuhp_ctl_write(hp, path, v);
}

/* ---- CPUs ---- */

static int act_down(struct cpuhp *hp, struct sx_slot *s)
{
	return write_cpu(hp, s->cpu, "online", "0");
}

static int prep_up(struct cpuhp *hp, struct sx_slot *s)
{
	return write_cpu(hp, s->cpu, "online", "0");
}

static int act_up(struct cpuhp *hp, struct sx_slot *s)
{
	return write_cpu(hp, s->cpu, "online", "1");
}

static int act_target_down(struct cpuhp *hp, struct sx_slot *s)
{
	return write_cpu(hp, s->cpu, "hotplug/target", "0");
}

static int act_target_up(struct cpuhp *hp, struct sx_slot *s)
{
	char v[16];

	snprintf(v, sizeof(v), "%d", cpuhp_state_of(hp, CPUHP_ONLINE));
	return write_cpu(hp, s->cpu, "hotplug/target", v);
}

/* Arm a failure at sched:active, a state with callbacks both ways. */
static int act_fail(struct cpuhp *hp, struct sx_slot *s)
{
	char v[16];

	snprintf(v, sizeof(v), "%d", cpuhp_state_of(hp, CPUHP_AP_ACTIVE));
	return write_cpu(hp, s->cpu, "hotplug/fail", v);
}

static int act_smt(struct cpuhp *hp, const char *v)
{
	return cpuhp_ctl_write(hp, "smt/control", v);
}

static int act_smt_off(struct cpuhp *hp, struct sx_slot *s)
{
	(void)s;
	return act_smt(hp, "off");
}

static int prep_smt_on(struct cpuhp *hp, struct sx_slot *s)
{
	return act_smt_off(hp, s);
}

static int act_smt_on(struct cpuhp *hp, struct sx_slot *s)
{
	(void)s;
	return act_smt(hp, "on");
}

/* ---- states ---- */

static int setup(struct cpuhp *hp, struct sx_slot *s, enum cpuhp_state where, bool multi,
		 bool nocalls)
{
	/* The same no-op callbacks as a script's "setup" (cmd-run.c). */
	int ret = ctl_setup_noop(hp, cpuhp_state_of(hp, where), s->name, multi, nocalls);

	if (ret > 0)
		s->state = ret;
	return ret < 0 ? ret : 0;
}

static int act_setup(struct cpuhp *hp, struct sx_slot *s)
{
	return setup(hp, s, CPUHP_AP_ONLINE_DYN, false, false);
}

static int act_setup_prepare(struct cpuhp *hp, struct sx_slot *s)
{
	return setup(hp, s, CPUHP_BP_PREPARE_DYN, false, false);
}

static int act_setup_nocalls(struct cpuhp *hp, struct sx_slot *s)
{
	return setup(hp, s, CPUHP_AP_ONLINE_DYN, false, true);
}

static int act_setup_multi(struct cpuhp *hp, struct sx_slot *s)
{
	return setup(hp, s, CPUHP_AP_ONLINE_DYN, true, false);
}

static int act_remove(struct cpuhp *hp, struct sx_slot *s)
{
	return cpuhp_remove_state(hp, s->state);
}

static int act_remove_nocalls(struct cpuhp *hp, struct sx_slot *s)
{
	return cpuhp_remove_state_nocalls(hp, s->state);
}

static int prep_multi(struct cpuhp *hp, struct sx_slot *s)
{
	return act_setup_multi(hp, s);
}

static int act_add_instance(struct cpuhp *hp, struct sx_slot *s)
{
	return cpuhp_state_add_instance(hp, s->state, &s->node);
}

static int prep_instance(struct cpuhp *hp, struct sx_slot *s)
{
	int ret = prep_multi(hp, s);

	return ret ? ret : act_add_instance(hp, s);
}

static int act_remove_instance(struct cpuhp *hp, struct sx_slot *s)
{
	return cpuhp_state_remove_instance(hp, s->state, &s->node);
}

static const struct sx_op ops[] = {
	{ "down", "write 0 to cpuN/online", true, NULL, act_down },
	{ "up", "cpuN offline first; write 1 to cpuN/online", true, prep_up, act_up },
	{ "target-down", "write 0 to cpuN/hotplug/target", true, NULL, act_target_down },
	{ "target-up", "cpuN offline first; write ONLINE to cpuN/hotplug/target", true,
	  prep_up, act_target_up },
	{ "fail", "arm cpuN/hotplug/fail at sched:active", true, NULL, act_fail },
	{ "setup", "set up an ONLINE dynamic state with calls", false, NULL, act_setup },
	{ "setup-prepare", "set up a PREPARE dynamic state with calls", false, NULL,
	  act_setup_prepare },
	{ "setup-nocalls", "set up an ONLINE dynamic state without calls", false, NULL,
	  act_setup_nocalls },
	{ "setup-multi", "set up a multi-instance ONLINE state", false, NULL,
	  act_setup_multi },
	{ "remove", "an ONLINE state set up first; remove it with calls", false,
	  act_setup, act_remove },
	{ "remove-prepare", "a PREPARE state set up first; remove it with calls", false,
	  act_setup_prepare, act_remove },
	{ "remove-nocalls", "an ONLINE state set up first; remove it without calls",
	  false, act_setup, act_remove_nocalls },
	{ "add-instance", "a multi-instance state set up first; add an instance", false,
	  prep_multi, act_add_instance },
	{ "remove-instance", "a state with one instance first; remove the instance",
	  false, prep_instance, act_remove_instance },
	{ "smt-off", "write off to smt/control", false, NULL, act_smt_off },
	{ "smt-on", "smt/control off first; write on", false, prep_smt_on, act_smt_on },
};

#define NR_OPS (sizeof(ops) / sizeof(ops[0]))

const struct sx_op *sx_op_find(const char *name)
{
	size_t i;

	for (i = 0; i < NR_OPS; i++)
		if (!strcmp(ops[i].name, name))
			return &ops[i];
	return NULL;
}

/*
 * The default set: one operation of each family.  The smt writes only on a
 * machine with SMT; the other variants are there for --ops.
 */
size_t sx_ops_default(const struct cpuhp_config *cfg, const struct sx_op **out,
		      size_t max)
{
	static const char *const names[] = {
		"down",    "up",           "target-down",
		"fail",    "setup",        "setup-prepare",
		"remove",  "add-instance", "remove-instance",
		"smt-off",
	};
	size_t i, n = 0;

	for (i = 0; i < sizeof(names) / sizeof(names[0]) && n < max; i++) {
		if (!strcmp(names[i], "smt-off") && cfg->threads_per_core < 2)
			continue;
		out[n++] = sx_op_find(names[i]);
	}
	return n;
}

void sx_ops_help(FILE *f)
{
	char name[32];
	size_t i;

	for (i = 0; i < NR_OPS; i++) {
		snprintf(name, sizeof(name), "%s%s", ops[i].name,
			 ops[i].cpu ? "[:N]" : "");
		fprintf(f, "  %-20s %s\n", name, ops[i].what);
	}
}

/* One "NAME[:CPU]" of --ops into @s; the CPU defaults to the last one. */
static int parse_one(const struct cpuhp_config *cfg, const char *spec, size_t len,
		     unsigned int idx, struct sx_slot *s)
{
	unsigned int cpus = cfg->nr_present ? cfg->nr_present : cfg->nr_possible;
	char buf[48], *colon, *end;
	unsigned long cpu;

	if (!len || len >= sizeof(buf)) {
		ctl_err("explore: --ops: bad operation '%.*s'", (int)len, spec);
		return -EINVAL;
	}
	memcpy(buf, spec, len);
	buf[len] = 0;
	colon = strchr(buf, ':');
	if (colon)
		*colon++ = 0;
	memset(s, 0, sizeof(*s));
	s->op = sx_op_find(buf);
	if (!s->op) {
		ctl_err("explore: --ops: unknown operation '%s' (see explore --help)",
			buf);
		return -EINVAL;
	}
	s->cpu = cpus ? cpus - 1 : 0;
	if (colon) {
		errno = 0;
		cpu = strtoul(colon, &end, 10);
		if (!s->op->cpu || errno || end == colon || *end || cpu >= cpus) {
			ctl_err("explore: --ops: bad CPU in '%s:%s'", buf, colon);
			return -EINVAL;
		}
		s->cpu = (unsigned int)cpu;
	}
	snprintf(s->name, sizeof(s->name), "sx%u", idx);
	return 0;
}

/**
 * sx_parse_ops - "A;B[;C]" into the operations of @p
 * @cfg:  the machine options (CPU numbers are checked against them)
 * @spec: the operations, separated by ';'
 * @p:    receives them
 *
 * Return: 0, or -EINVAL after printing what is wrong.
 */
int sx_parse_ops(const struct cpuhp_config *cfg, const char *spec, struct sx_pair *p)
{
	const char *s = spec;

	p->n = 0;
	for (;;) {
		size_t len = strcspn(s, ";");

		if (p->n == SX_MAX_OPS) {
			ctl_err("explore: --ops: at most %d operations", SX_MAX_OPS);
			return -EINVAL;
		}
		if (parse_one(cfg, s, len, p->n, &p->slot[p->n]))
			return -EINVAL;
		p->n++;
		if (!s[len])
			break;
		s += len + 1;
	}
	if (p->n < 2) {
		ctl_err("explore: --ops: name two or three operations, e.g. \"down;setup\"");
		return -EINVAL;
	}
	return 0;
}

/* "down:1;setup" */
void sx_pair_name(const struct sx_pair *p, char *buf, size_t len)
{
	size_t i, o = 0;

	buf[0] = 0;
	for (i = 0; i < p->n && o < len; i++) {
		const struct sx_slot *s = &p->slot[i];
		int n = s->op->cpu ? snprintf(buf + o, len - o, "%s%s:%u", i ? ";" : "",
					      s->op->name, s->cpu) :
				     snprintf(buf + o, len - o, "%s%s", i ? ";" : "",
					      s->op->name);

		if (n < 0)
			return;
		o += (size_t)n;
	}
}
