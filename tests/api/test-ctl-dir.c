// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-ctl-dir.c - cpuhp_ctl_stat() and cpuhp_ctl_readdir(): which control
 * files exist and with which modes (real sysfs: attributes 0444 or 0644,
 * directories 0755; oracle info-main: cpu0 has no "online" file), the
 * topology directory that comes and goes with "base/topology:prepare"
 * (oracle scenario-a traces topology_remove_dev/topology_add_dev), and the
 * kernel's "%*pb" hex masks of the topology files, and zero-length writes.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <cpuhp/cpuhp.h>

#include "tap.h"

static void stat_tests(struct cpuhp *hp)
{
	static const struct {
		const char *path;
		int ret;
		mode_t mode;
	} cases[] = {
		{ "", 0, S_IFDIR | 0755 },
		{ "/sys/devices/system/cpu", 0, S_IFDIR | 0755 },
		{ "online", 0, S_IFREG | 0444 },
		{ "offline", 0, S_IFREG | 0444 },
		{ "possible", 0, S_IFREG | 0444 },
		{ "present", 0, S_IFREG | 0444 },
		{ "isolated", 0, S_IFREG | 0444 },
		{ "kernel_max", 0, S_IFREG | 0444 },
		{ "hotplug", 0, S_IFDIR | 0755 },
		{ "hotplug/states", 0, S_IFREG | 0444 },
		{ "smt/control", 0, S_IFREG | 0644 },
		{ "smt/active", 0, S_IFREG | 0444 },
		{ "cpu1", 0, S_IFDIR | 0755 },
		{ "cpu1/online", 0, S_IFREG | 0644 },
		{ "cpu1/hotplug/state", 0, S_IFREG | 0444 },
		{ "cpu1/hotplug/target", 0, S_IFREG | 0644 },
		{ "cpu1/hotplug/fail", 0, S_IFREG | 0644 },
		{ "cpu1/topology", 0, S_IFDIR | 0755 },
		{ "cpu1/topology/thread_siblings", 0, S_IFREG | 0444 },
		{ "cpu1/topology/core_id", 0, S_IFREG | 0444 },
		{ "cpu0/online", -ENOENT, 0 },
		{ "cpu4", -ENOENT, 0 },
		{ "nosuch", -ENOENT, 0 },
		{ "cpu1/../online", -EINVAL, 0 },
	};
	size_t i;
	mode_t mode;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		mode = 0;
		is_int(cpuhp_ctl_stat(hp, cases[i].path, &mode), cases[i].ret,
		       "stat '%s'", cases[i].path);
		is_int(mode, cases[i].mode, "mode of '%s'", cases[i].path);
	}
	is_int(cpuhp_ctl_stat(NULL, "online", &mode), -EINVAL, "stat: NULL machine");
	is_int(cpuhp_ctl_stat(hp, NULL, &mode), -EINVAL, "stat: NULL path");
	is_int(cpuhp_ctl_stat(hp, "online", NULL), -EINVAL, "stat: NULL mode");
}

struct listing {
	char names[512];
	int stop_after; /* 0: never */
	int count;
};

/* Collects "name:mode" words, space separated. */
static int collect(void *data, const char *name, mode_t mode)
{
	struct listing *l = data;
	size_t n = strlen(l->names);

	snprintf(l->names + n, sizeof(l->names) - n, "%s%s:%o", n ? " " : "", name,
		 (unsigned int)mode);
	return ++l->count == l->stop_after ? 42 : 0;
}

static const char *list(struct cpuhp *hp, const char *path, struct listing *l)
{
	memset(l, 0, sizeof(*l));
	is_int(cpuhp_ctl_readdir(hp, path, collect, l), 0, "readdir '%s'", path);
	return l->names;
}

static void readdir_tests(struct cpuhp *hp)
{
	struct listing l;

	is_str(list(hp, "", &l),
	       "online:100444 offline:100444 possible:100444 present:100444 "
	       "kernel_max:100444 isolated:100444 hotplug:40755 smt:40755 cpu0:40755 "
	       "cpu1:40755 cpu2:40755 cpu3:40755",
	       "the cpu directory");
	is_str(list(hp, "cpu0", &l), "hotplug:40755 topology:40755",
	       "cpu0: no online file");
	is_str(list(hp, "cpu1", &l), "online:100644 hotplug:40755 topology:40755",
	       "cpu1");
	is_str(list(hp, "cpu1/hotplug", &l), "state:100444 target:100644 fail:100644",
	       "cpu1/hotplug");
	is_str(list(hp, "smt", &l), "control:100644 active:100444", "smt");
	is_str(list(hp, "hotplug", &l), "states:100444", "hotplug");
	list(hp, "cpu2/topology", &l);
	is_int(l.count, 13, "13 topology files");
	ok(strstr(l.names, "thread_siblings_list:100444") &&
		   strstr(l.names, "core_siblings:100444") &&
		   strstr(l.names, "physical_package_id:100444"),
	   "the topology files lscpu reads");

	memset(&l, 0, sizeof(l));
	l.stop_after = 3;
	is_int(cpuhp_ctl_readdir(hp, "", collect, &l), 42,
	       "the callback stops the listing");
	is_int(l.count, 3, "after three entries");
	is_int(cpuhp_ctl_readdir(hp, "online", collect, &l), -ENOTDIR,
	       "readdir of a file");
	is_int(cpuhp_ctl_readdir(hp, "cpu9", collect, &l), -ENOENT, "readdir of cpu9");
	is_int(cpuhp_ctl_readdir(hp, "..", collect, &l), -EINVAL, "readdir of ..");
	is_int(cpuhp_ctl_readdir(hp, "", NULL, &l), -EINVAL, "readdir: NULL callback");
}

static void expect_text(struct cpuhp *hp, const char *path, const char *want)
{
	char buf[128];

	ok(cpuhp_ctl_read(hp, path, buf, sizeof(buf)) >= 0, "read %s", path);
	is_str(buf, want, "text of %s", path);
}

/* CPU 1 goes offline: its topology directory goes, its siblings lose it. */
static void topology_tests(struct cpuhp *hp)
{
	struct listing l;
	mode_t mode;

	expect_text(hp, "cpu0/topology/thread_siblings", "3\n");
	expect_text(hp, "cpu0/topology/thread_siblings_list", "0-1\n");
	expect_text(hp, "cpu2/topology/thread_siblings", "c\n");
	expect_text(hp, "cpu3/topology/core_cpus_list", "2-3\n");
	expect_text(hp, "cpu3/topology/core_siblings", "f\n");
	expect_text(hp, "cpu3/topology/package_cpus_list", "0-3\n");
	expect_text(hp, "cpu3/topology/core_id", "1\n");
	expect_text(hp, "cpu3/topology/physical_package_id", "0\n");
	expect_text(hp, "cpu3/topology/die_id", "0\n");
	expect_text(hp, "isolated", "\n");

	is_int(cpuhp_ctl_write(hp, "cpu1/online", "0"), 0, "cpu1 offline");
	is_int(cpuhp_ctl_stat(hp, "cpu1/topology", &mode), -ENOENT,
	       "cpu1/topology is gone");
	is_int(cpuhp_ctl_stat(hp, "cpu1/topology/core_id", &mode), -ENOENT,
	       "and its files");
	is_str(list(hp, "cpu1", &l), "online:100644 hotplug:40755",
	       "cpu1 without topology");
	expect_text(hp, "cpu0/topology/thread_siblings", "1\n");
	expect_text(hp, "cpu0/topology/thread_siblings_list", "0\n");
	expect_text(hp, "cpu0/topology/core_siblings_list", "0,2-3\n");

	is_int(cpuhp_ctl_write(hp, "cpu1/online", "1"), 0, "cpu1 online");
	is_int(cpuhp_ctl_stat(hp, "cpu1/topology", &mode), 0, "cpu1/topology is back");
	expect_text(hp, "cpu1/topology/thread_siblings_list", "0-1\n");
}

/* "%*pb": 32-bit groups, the first only as wide as nr_cpu_ids needs. */
/*
 * A zero-length write reaches no store: a real 6.1 and 6.12 return 0 for
 * one to cpu1/online and leave the CPU as it was (cpuhpctl kernel run).
 * A read-only file still refuses it (the open fails first).
 */
static void empty_write_tests(struct cpuhp *hp)
{
	is_int(cpuhp_ctl_write(hp, "cpu1/online", ""), 0,
	       "empty write to cpu1/online: 0");
	ok(cpuhp_cpu_online(hp, 1), "cpu1 still online");
	is_int(cpuhp_ctl_write(hp, "cpu1/hotplug/fail", ""), 0, "empty write to fail: 0");
	expect_text(hp, "cpu1/hotplug/fail", "-1\n");
	is_int(cpuhp_ctl_write(hp, "online", ""), -EACCES,
	       "empty write to a read-only file");
	is_int(cpuhp_ctl_write(hp, "cpu1/nothing", ""), -ENOENT,
	       "empty write to no file");
}

static void hex_tests(void)
{
	static const struct {
		unsigned int cpus;
		const char *want;
	} cases[] = {
		{ 1, "1\n" },
		{ 5, "1f\n" },
		{ 32, "ffffffff\n" },
		{ 33, "1,ffffffff\n" },
		{ 40, "ff,ffffffff\n" },
		{ 64, "ffffffff,ffffffff\n" },
		{ 65, "1,ffffffff,ffffffff\n" },
	};
	struct cpuhp_config cfg;
	struct cpuhp *hp;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cpuhp_config_init(&cfg);
		cfg.nr_possible = cases[i].cpus;
		if (cpuhp_new(&cfg, &hp)) {
			fail("machine with %u CPUs", cases[i].cpus);
			continue;
		}
		expect_text(hp, "cpu0/topology/package_cpus", cases[i].want);
		cpuhp_free(hp);
	}
}

int main(void)
{
	struct cpuhp_config cfg;
	struct cpuhp *hp;

	plan_no_plan();
	cpuhp_config_init(&cfg);
	cfg.nr_possible = 4;
	cfg.threads_per_core = 2;
	if (cpuhp_new(&cfg, &hp))
		bail_out("cannot create a machine");
	stat_tests(hp);
	readdir_tests(hp);
	topology_tests(hp);
	empty_write_tests(hp);
	is_int(cpuhp_warn_count(hp), 0, "no warnings");
	cpuhp_free(hp);
	hex_tests();
	return done_testing();
}
