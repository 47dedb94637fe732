// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-ctl-path.c - white-box test of the control interface's path parser,
 * plus the snprintf-like contract of cpuhp_ctl_read() and the argument
 * checks of both entry points.
 *
 * The lookup cases run on a hand-made struct cpuhp (only the CPU count and
 * the boot-CPU switch matter to it); the read cases boot a real machine.
 */
#include <errno.h>
#include <string.h>

#include <cpuhp/cpuhp.h>

#include "control/ctl-path.h"
#include "exec/exec.h"
#include "tap.h"

struct lookup_case {
	const char *path;
	int ret;             /* 0, -EISDIR, -ENOENT, -EINVAL */
	const char *pattern; /* when ret is 0 or -EISDIR */
	unsigned int cpu;
};

static const struct lookup_case cases[] = {
	{ "online", 0, "online", 0 },
	{ "offline", 0, "offline", 0 },
	{ "possible", 0, "possible", 0 },
	{ "present", 0, "present", 0 },
	{ "kernel_max", 0, "kernel_max", 0 },
	{ "hotplug/states", 0, "hotplug/states", 0 },
	{ "smt/control", 0, "smt/control", 0 },
	{ "smt/active", 0, "smt/active", 0 },
	{ "cpu1/online", 0, "cpu#/online", 1 },
	{ "cpu3/hotplug/state", 0, "cpu#/hotplug/state", 3 },
	{ "cpu2/hotplug/target", 0, "cpu#/hotplug/target", 2 },
	{ "cpu0/hotplug/fail", 0, "cpu#/hotplug/fail", 0 },
	{ "cpu3/topology/thread_siblings_list", 0, "cpu#/topology/thread_siblings_list",
	  3 },
	/* Absolute paths and normalisation. */
	{ "/sys/devices/system/cpu/online", 0, "online", 0 },
	{ "/sys/devices/system/cpu/cpu2/hotplug/target", 0, "cpu#/hotplug/target", 2 },
	{ "//sys//devices/system/cpu///cpu1//online/", 0, "cpu#/online", 1 },
	{ "cpu1/hotplug/state/", 0, "cpu#/hotplug/state", 1 },
	{ "./cpu1/./online", 0, "cpu#/online", 1 },
	{ "hotplug//states", 0, "hotplug/states", 0 },
	/* Directories. */
	{ "", -EISDIR, "", 0 },
	{ "/", -ENOENT, NULL, 0 },
	{ "/sys/devices/system/cpu", -EISDIR, "", 0 },
	{ "/sys/devices/system/cpu/", -EISDIR, "", 0 },
	{ "hotplug", -EISDIR, "hotplug", 0 },
	{ "smt/", -EISDIR, "smt", 0 },
	{ "cpu1", -EISDIR, "cpu#", 1 },
	{ "cpu0", -EISDIR, "cpu#", 0 },
	{ "cpu1/hotplug", -EISDIR, "cpu#/hotplug", 1 },
	{ "cpu1/topology", -EISDIR, "cpu#/topology", 1 },
	/* No such file. */
	{ "cpu0/online", -ENOENT, NULL, 0 }, /* boot CPU: not hotpluggable */
	{ "cpu4/online", -ENOENT, NULL, 0 }, /* 4 possible CPUs */
	{ "cpu4", -ENOENT, NULL, 0 },
	{ "cpu01/online", -ENOENT, NULL, 0 },
	{ "cpu00", -ENOENT, NULL, 0 },
	{ "cpu/online", -ENOENT, NULL, 0 },
	{ "cpu-1/online", -ENOENT, NULL, 0 },
	{ "cpu+1/online", -ENOENT, NULL, 0 },
	{ "cpu1x/online", -ENOENT, NULL, 0 },
	{ "cpu99999999999999999999/online", -ENOENT, NULL, 0 },
	{ "CPU1/online", -ENOENT, NULL, 0 },
	{ "Online", -ENOENT, NULL, 0 },
	{ "online/extra", -ENOENT, NULL, 0 },
	{ "cpu1/hotplug/states", -ENOENT, NULL, 0 },
	{ "hotplug/state", -ENOENT, NULL, 0 },
	{ "cpu1/hotplug/target/x/y/z/w/v/u", -ENOENT, NULL, 0 },
	{ "a/b/c/d/e/f/g/h/i/j/k", -ENOENT, NULL, 0 },
	{ "/online", -ENOENT, NULL, 0 },
	{ "/sys/devices/system/online", -ENOENT, NULL, 0 },
	{ "/sys/devices/system/cpux/online", -ENOENT, NULL, 0 },
	{ "sys/devices/system/cpu/online", -ENOENT, NULL, 0 },
	{ "/proc/cpuinfo", -ENOENT, NULL, 0 },
	/* Going up is refused. */
	{ "cpu1/../online", -EINVAL, NULL, 0 },
	{ "..", -EINVAL, NULL, 0 },
	{ "/sys/devices/system/cpu/../cpu/online", -EINVAL, NULL, 0 },
};

static void check_lookup(const struct cpuhp *hp, const struct lookup_case *c)
{
	const struct cpuhp_ctl_entry *e = NULL;
	unsigned int cpu = 12345;
	int ret = cpuhp__ctl_lookup(hp, c->path, &e, &cpu);

	is_int(ret, c->ret, "lookup '%s'", c->path);
	if (!c->pattern)
		return;
	ok(e && !strcmp(cpuhp__ctl_entry_pattern(e), c->pattern), "'%s' is %s", c->path,
	   c->pattern);
	is_int(cpu, c->cpu, "'%s' is for CPU %u", c->path, c->cpu);
}

static void lookup_tests(void)
{
	struct cpuhp hp;
	const struct cpuhp_ctl_entry *e;
	unsigned int cpu, i;

	memset(&hp, 0, sizeof(hp));
	hp.nr_possible = 4;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_lookup(&hp, &cases[i]);

	/* A boot CPU that may go offline has the file. */
	hp.kc.boot_cpu_hotpluggable = true;
	is_int(cpuhp__ctl_lookup(&hp, "cpu0/online", &e, &cpu), 0,
	       "cpu0/online when hotpluggable");

	/* The largest possible CPU number, and one past it. */
	hp.nr_possible = CPUHP_MAX_CPUS;
	is_int(cpuhp__ctl_lookup(&hp, "cpu8191/hotplug/state", &e, &cpu), 0,
	       "cpu8191 exists");
	is_int(cpu, 8191);
	is_int(cpuhp__ctl_lookup(&hp, "cpu8192/hotplug/state", &e, &cpu), -ENOENT,
	       "cpu8192 never exists");
}

/* cpuhp_ctl_read() behaves like snprintf: full length, always terminated. */
static void read_tests(struct cpuhp *hp)
{
	char buf[8];

	is_int(cpuhp_ctl_read(hp, "online", buf, sizeof(buf)), 4,
	       "\"0-3\\n\" is 4 bytes");
	is_str(buf, "0-3\n");
	is_int(cpuhp_ctl_read(hp, "kernel_max", NULL, 0), 5, "length only: \"8191\\n\"");
	memset(buf, 'x', sizeof(buf));
	is_int(cpuhp_ctl_read(hp, "kernel_max", buf, 3), 5,
	       "truncated read: full length");
	is_str(buf, "81", "truncated text is terminated");
	ok(cpuhp_ctl_read(hp, "hotplug/states", buf, sizeof(buf)) > (ssize_t)sizeof(buf),
	   "states listing longer than the buffer");
	is_int(strlen(buf), sizeof(buf) - 1);
	is_int(cpuhp_ctl_read(hp, "offline", buf, sizeof(buf)), 1,
	       "empty mask is \"\\n\"");
	is_str(buf, "\n");
	memset(buf, 'x', sizeof(buf));
	is_int(cpuhp_ctl_read(hp, "cpu9/online", buf, sizeof(buf)), -ENOENT);
	is_str(buf, "", "failed read leaves an empty string");
	is_int(cpuhp_ctl_read(hp, "cpu1", buf, sizeof(buf)), -EISDIR);
	is_int(cpuhp_ctl_read(NULL, "online", buf, sizeof(buf)), -EINVAL, "NULL machine");
	is_int(cpuhp_ctl_read(hp, NULL, buf, sizeof(buf)), -EINVAL, "NULL path");
	is_int(cpuhp_ctl_read(hp, "online", NULL, 4), -EINVAL,
	       "NULL buffer with a length");
}

static void write_tests(struct cpuhp *hp)
{
	is_int(cpuhp_ctl_write(NULL, "cpu1/online", "0"), -EINVAL, "NULL machine");
	is_int(cpuhp_ctl_write(hp, NULL, "0"), -EINVAL, "NULL path");
	is_int(cpuhp_ctl_write(hp, "cpu1/online", NULL), -EINVAL, "NULL value");
	is_int(cpuhp_ctl_write(hp, "online", "0"), -EACCES, "read-only file");
	is_int(cpuhp_ctl_write(hp, "cpu1/hotplug", "0"), -EISDIR, "directory");
	is_int(cpuhp_ctl_write(hp, "cpu1/nothing", "0"), -ENOENT, "no such file");
	is_int(cpuhp_ctl_write(hp, "cpu1/../online", "0"), -EINVAL, "'..'");
	is_int(cpuhp_cpu_state(hp, 1), CPUHP_ONLINE, "nothing changed");
}

int main(void)
{
	struct cpuhp *hp;

	plan_no_plan();
	lookup_tests();
	if (cpuhp_new(NULL, &hp))
		bail_out("cannot create the default machine");
	read_tests(hp);
	write_tests(hp);
	cpuhp_free(hp);
	return done_testing();
}
