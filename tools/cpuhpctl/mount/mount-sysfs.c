// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mount-sysfs.c - the rest of the cpu tree that common tools read and the
 * library's control interface does not model: cache/indexM (lscpu -C,
 * stress-ng), cpuidle (cpupower), vulnerabilities, modalias, uevent,
 * nohz_full, and node0's cpulist/cpumap.  Names, modes and formats are the
 * kernel's (checked against a Debian 12 x86_64 host's tree); the values
 * describe one plausible x86 part, not the host.
 *
 * What comes and goes with hotplug does so as in the kernel: cpuN/cache
 * exists while the CPU is online (cacheinfo adds it in its online callback
 * and removes it before the CPU goes down), its shared_cpu_map/list hold
 * online CPUs only, as do node0's masks (the NUMA map is updated on the way
 * up and down); cpuN/cpuidle stays once registered (no teardown in
 * intel_idle or acpi_idle), here for every present CPU.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <cpuhp/cpuhp.h>

#include "cpuhpctl.h"
#include "mount-node.h"

#define RO (S_IFREG | 0444)
#define RW (S_IFREG | 0644)
#define DIR_MODE (S_IFDIR | 0755)

#define MODALIAS "cpu:type:x86,ven0000fam0006mod0055:feature:,0000,0001,0002,0003,0004"

/* ------------------------------------------------------------- masks */

/* Parse a cpulist ("0-2,5") into @on[0..n); unknown bits stay false. */
static void list_parse(const char *s, bool *on, unsigned int n)
{
	while (*s && *s != '\n') {
		char *end;
		unsigned long a = strtoul(s, &end, 10), b = a;

		if (end == s)
			return;
		if (*end == '-')
			b = strtoul(end + 1, &end, 10);
		for (; a <= b && a < n; a++)
			on[a] = true;
		s = end + (*end == ',');
	}
}

static size_t list_format(const bool *on, unsigned int n, char *buf, size_t len)
{
	size_t o = 0;
	unsigned int i = 0, j;

	buf[0] = '\0';
	while (i < n && o + 24 < len) {
		if (!on[i]) {
			i++;
			continue;
		}
		for (j = i; j + 1 < n && on[j + 1]; j++)
			;
		o += (size_t)snprintf(buf + o, len - o, o ? ",%u" : "%u", i);
		if (j > i)
			o += (size_t)snprintf(buf + o, len - o, "-%u", j);
		i = j + 1;
	}
	o += (size_t)snprintf(buf + o, len - o, "\n");
	return o;
}

/* "%*pb": hex digits for @n bits, groups of 32 bits separated by commas. */
static size_t map_format(const bool *on, unsigned int n, char *buf, size_t len)
{
	unsigned int digits = (n + 3) / 4, d;
	size_t o = 0;

	for (d = digits; d-- > 0 && o + 3 < len;) {
		unsigned int v = 0, b;

		for (b = 0; b < 4; b++)
			if (d * 4 + b < n && on[d * 4 + b])
				v |= 1u << b;
		buf[o++] = "0123456789abcdef"[v];
		if (d && d % 8 == 0)
			buf[o++] = ',';
	}
	buf[o++] = '\n';
	buf[o] = '\0';
	return o;
}

/* ------------------------------------------------------------- caches */

static const struct cache_desc {
	unsigned int level, size_k, ways;
	const char *type;
	bool per_core; /* shared by the core's threads, else by the package */
} caches[] = {
	{ 1, 48, 12, "Data", true },
	{ 1, 32, 8, "Instruction", true },
	{ 2, 2048, 16, "Unified", true },
	{ 3, 16384, 16, "Unified", false },
};

#define NR_CACHES (sizeof(caches) / sizeof(caches[0]))
#define LINE 64

static const char *const cache_files[] = {
	"coherency_line_size",
	"id",
	"level",
	"number_of_sets",
	"physical_line_partition",
	"shared_cpu_list",
	"shared_cpu_map",
	"size",
	"type",
	"uevent",
	"ways_of_associativity",
};

/* ----------------------------------------------------------- cpuidle */

static const struct idle_desc {
	const char *name, *desc;
	unsigned int latency, residency, share; /* share: per mille of the time */
} idle_states[] = {
	{ "POLL", "CPUIDLE CORE POLL IDLE", 0, 0, 10 },
	{ "C1", "MWAIT 0x00", 1, 1, 200 },
	{ "C1E", "MWAIT 0x01", 2, 4, 300 },
	{ "C6", "MWAIT 0x20", 170, 600, 400 },
};

#define NR_IDLE (sizeof(idle_states) / sizeof(idle_states[0]))

static const char *const idle_files[] = {
	"above", "below", "default_status", "desc",      "disable", "latency",
	"name",  "power", "rejected",       "residency", "time",    "usage",
};

static const char *const vulnerabilities[] = {
	"gather_data_sampling",
	"itlb_multihit",
	"l1tf",
	"mds",
	"meltdown",
	"mmio_stale_data",
	"reg_file_data_sampling",
	"retbleed",
	"spec_rstack_overflow",
	"spec_store_bypass",
	"spectre_v1",
	"spectre_v2",
	"srbds",
	"tsx_async_abort",
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------ the tree */

static bool in(const char *name, const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(name, names[i]))
			return true;
	return false;
}

/*
 * Split "cpuN/REST": the CPU number, and REST ("" for cpuN itself); false
 * for anything else or a CPU that is not present.
 */
static bool cpu_path(struct cpuhp *hp, const char *p, unsigned int *cpu,
		     const char **rest)
{
	char *end;
	unsigned long n;

	if (strncmp(p, "cpu", 3) || p[3] < '0' || p[3] > '9')
		return false;
	n = strtoul(p + 3, &end, 10);
	if ((*end && *end != '/') || n >= cpuhp_nr_possible(hp) ||
	    !cpuhp_cpu_present(hp, (unsigned int)n))
		return false;
	*cpu = (unsigned int)n;
	*rest = *end ? end + 1 : end;
	return true;
}

/* "indexM" or "stateK" with M < @max, and what follows it. */
static bool indexed(const char *p, const char *prefix, unsigned int max, unsigned int *i,
		    const char **rest)
{
	size_t n = strlen(prefix);
	char *end;
	unsigned long v;

	if (strncmp(p, prefix, n) || p[n] < '0' || p[n] > '9')
		return false;
	v = strtoul(p + n, &end, 10);
	if ((*end && *end != '/') || v >= max)
		return false;
	*i = (unsigned int)v;
	*rest = *end ? end + 1 : end;
	return true;
}

/* ----------------------------------------------------------- cpufreq */

/*
 * One policy per CPU (as acpi-cpufreq and intel_pstate have on x86):
 * cpufreq/policyN for every present CPU, cpuN/cpufreq a link to it.  The
 * policy stays when its CPU goes offline but is inactive: its attributes
 * then fail with EBUSY (cpufreq's show() refuses an inactive policy).
 */
#define LINK_MODE (S_IFLNK | 0777)
#define FREQ_MIN 800000
#define FREQ_MAX 3600000

static const char *const freq_ro[] = {
	"affected_cpus",    "cpuinfo_max_freq",
	"cpuinfo_min_freq", "cpuinfo_transition_latency",
	"related_cpus",     "scaling_available_governors",
	"scaling_cur_freq", "scaling_driver",
};
static const char *const freq_rw[] = {
	"scaling_governor",
	"scaling_max_freq",
	"scaling_min_freq",
	"scaling_setspeed",
};

static int cpufreq_stat(struct cpuhp *hp, const char *p, mode_t *mode)
{
	unsigned int cpu;
	const char *rest;

	if (!indexed(p, "policy", cpuhp_nr_possible(hp), &cpu, &rest) ||
	    !cpuhp_cpu_present(hp, cpu))
		return -ENOENT;
	if (!*rest)
		return *mode = DIR_MODE, 0;
	if (in(rest, freq_ro, N(freq_ro)))
		return *mode = RO, 0;
	if (in(rest, freq_rw, N(freq_rw)))
		return *mode = RW, 0;
	return -ENOENT;
}

static ssize_t cpufreq_text(struct cpuhp *hp, const char *p, char *buf, size_t len)
{
	unsigned int cpu;
	const char *r;

	if (!indexed(p, "policy", cpuhp_nr_possible(hp), &cpu, &r))
		return -ENOENT;
	/* Every attribute of an inactive policy, read through one show(). */
	if (!cpuhp_cpu_online(hp, cpu))
		return -EBUSY;
	if (!strcmp(r, "affected_cpus") || !strcmp(r, "related_cpus"))
		return snprintf(buf, len, "%u\n", cpu);
	if (!strcmp(r, "cpuinfo_max_freq") || !strcmp(r, "scaling_max_freq"))
		return snprintf(buf, len, "%u\n", FREQ_MAX);
	if (!strcmp(r, "cpuinfo_min_freq") || !strcmp(r, "scaling_min_freq"))
		return snprintf(buf, len, "%u\n", FREQ_MIN);
	if (!strcmp(r, "cpuinfo_transition_latency"))
		return snprintf(buf, len, "0\n");
	if (!strcmp(r, "scaling_cur_freq"))
		return snprintf(buf, len, "%u\n", FREQ_MAX / 2 + 100000 * cpu % FREQ_MIN);
	if (!strcmp(r, "scaling_available_governors"))
		return snprintf(buf, len, "performance powersave\n");
	if (!strcmp(r, "scaling_driver"))
		return snprintf(buf, len, "intel_pstate\n");
	if (!strcmp(r, "scaling_governor"))
		return snprintf(buf, len, "powersave\n");
	if (!strcmp(r, "scaling_setspeed"))
		return snprintf(buf, len, "<unsupported>\n");
	return -ENOENT;
}

ssize_t sysfs_extra_readlink(struct cpuhp *hp, const char *p, char *buf, size_t len)
{
	unsigned int cpu;
	const char *rest;

	if (!cpu_path(hp, p, &cpu, &rest) || strcmp(rest, "cpufreq"))
		return -ENOENT;
	return snprintf(buf, len, "../cpufreq/policy%u", cpu);
}

int sysfs_extra_stat(struct cpuhp *hp, const char *p, mode_t *mode)
{
	unsigned int cpu, i;
	const char *rest, *r2;

	*mode = RO;
	if (!strcmp(p, "modalias") || !strcmp(p, "nohz_full"))
		return 0;
	if (!strcmp(p, "uevent"))
		return *mode = RW, 0;
	if (!strcmp(p, "cpuidle") || !strcmp(p, "vulnerabilities"))
		return *mode = DIR_MODE, 0;
	if (!strncmp(p, "vulnerabilities/", 16))
		return in(p + 16, vulnerabilities, N(vulnerabilities)) ? 0 : -ENOENT;
	if (!strncmp(p, "cpuidle/", 8)) {
		if (!strcmp(p + 8, "current_driver") ||
		    !strcmp(p + 8, "current_governor_ro") ||
		    !strcmp(p + 8, "available_governors"))
			return 0;
		if (!strcmp(p + 8, "current_governor"))
			return *mode = RW, 0;
		return -ENOENT;
	}
	if (!strcmp(p, "cpufreq"))
		return *mode = DIR_MODE, 0;
	if (!strncmp(p, "cpufreq/", 8))
		return cpufreq_stat(hp, p + 8, mode);
	if (!cpu_path(hp, p, &cpu, &rest))
		return -ENOENT;
	if (!strcmp(rest, "cpufreq"))
		return *mode = LINK_MODE, 0;
	if (!strcmp(rest, "uevent"))
		return *mode = RW, 0;
	if (!strcmp(rest, "cpuidle"))
		return *mode = DIR_MODE, 0;
	if (!strncmp(rest, "cpuidle/", 8) &&
	    indexed(rest + 8, "state", NR_IDLE, &i, &r2)) {
		if (!*r2)
			return *mode = DIR_MODE, 0;
		if (!in(r2, idle_files, N(idle_files)))
			return -ENOENT;
		if (!strcmp(r2, "disable"))
			*mode = RW;
		return 0;
	}
	/* The cache directory lives while the CPU is online. */
	if (strncmp(rest, "cache", 5) || (rest[5] && rest[5] != '/') ||
	    !cpuhp_cpu_online(hp, cpu))
		return -ENOENT;
	if (!rest[5])
		return *mode = DIR_MODE, 0;
	if (!indexed(rest + 6, "index", NR_CACHES, &i, &r2))
		return -ENOENT;
	if (!*r2)
		return *mode = DIR_MODE, 0;
	if (!in(r2, cache_files, N(cache_files)))
		return -ENOENT;
	if (!strcmp(r2, "uevent"))
		*mode = RW;
	return 0;
}

static int list(const char *const *names, size_t n, mode_t mode, cpuhp_ctl_dir_fn fn,
		void *data)
{
	size_t i;
	int ret = 0;

	for (i = 0; i < n && !ret; i++) {
		mode_t m = mode;

		if (!strcmp(names[i], "uevent") || !strcmp(names[i], "disable"))
			m = RW;
		ret = fn(data, names[i], m);
	}
	return ret;
}

int sysfs_extra_readdir(struct cpuhp *hp, const char *p, cpuhp_ctl_dir_fn fn, void *data)
{
	static const char *const top[] = { "modalias", "nohz_full", "uevent" };
	static const char *const idle_top[] = { "available_governors", "current_driver",
						"current_governor",
						"current_governor_ro" };
	unsigned int cpu, i;
	const char *rest, *r2;
	char name[24]; /* "policy" and any unsigned int */
	int ret;

	if (!*p) {
		ret = list(top, N(top), RO, fn, data);
		if (!ret)
			ret = fn(data, "cpufreq", DIR_MODE);
		if (!ret)
			ret = fn(data, "cpuidle", DIR_MODE);
		return ret ? ret : fn(data, "vulnerabilities", DIR_MODE);
	}
	if (!strcmp(p, "vulnerabilities"))
		return list(vulnerabilities, N(vulnerabilities), RO, fn, data);
	if (!strcmp(p, "cpufreq")) {
		for (i = 0, ret = 0; i < cpuhp_nr_possible(hp) && !ret; i++) {
			if (!cpuhp_cpu_present(hp, i))
				continue;
			snprintf(name, sizeof(name), "policy%u", i);
			ret = fn(data, name, DIR_MODE);
		}
		return ret;
	}
	if (!strncmp(p, "cpufreq/", 8)) {
		ret = list(freq_ro, N(freq_ro), RO, fn, data);
		return ret ? ret : list(freq_rw, N(freq_rw), RW, fn, data);
	}
	if (!strcmp(p, "cpuidle")) {
		for (i = 0, ret = 0; i < N(idle_top) && !ret; i++)
			ret = fn(data, idle_top[i],
				 strcmp(idle_top[i], "current_governor") ? RO : RW);
		return ret;
	}
	if (!cpu_path(hp, p, &cpu, &rest))
		return 0;
	if (!*rest) {
		ret = fn(data, "uevent", RW);
		if (!ret)
			ret = fn(data, "cpufreq", LINK_MODE);
		if (!ret)
			ret = fn(data, "cpuidle", DIR_MODE);
		if (!ret && cpuhp_cpu_online(hp, cpu))
			ret = fn(data, "cache", DIR_MODE);
		return ret;
	}
	if (!strcmp(rest, "cpuidle")) {
		for (i = 0, ret = 0; i < NR_IDLE && !ret; i++) {
			snprintf(name, sizeof(name), "state%u", i);
			ret = fn(data, name, DIR_MODE);
		}
		return ret;
	}
	if (!strncmp(rest, "cpuidle/", 8) &&
	    indexed(rest + 8, "state", NR_IDLE, &i, &r2) && !*r2)
		return list(idle_files, N(idle_files), RO, fn, data);
	if (!strcmp(rest, "cache") && cpuhp_cpu_online(hp, cpu)) {
		for (i = 0, ret = 0; i < NR_CACHES && !ret; i++) {
			snprintf(name, sizeof(name), "index%u", i);
			ret = fn(data, name, DIR_MODE);
		}
		return ret;
	}
	if (!strncmp(rest, "cache/", 6) && cpuhp_cpu_online(hp, cpu) &&
	    indexed(rest + 6, "index", NR_CACHES, &i, &r2) && !*r2)
		return list(cache_files, N(cache_files), RO, fn, data);
	return 0;
}

/* ------------------------------------------------------------- texts */

/* The CPUs sharing @cpu's cache @c, online ones only, from the topology. */
static int cache_sharing(struct cpuhp *hp, unsigned int cpu, const struct cache_desc *c,
			 bool *on, unsigned int n)
{
	char path[64], *text = NULL;
	ssize_t len;

	snprintf(path, sizeof(path), "cpu%u/topology/%s", cpu,
		 c->per_core ? "core_cpus_list" : "package_cpus_list");
	len = ctl_read_text(hp, path, &text);
	if (len < 0)
		return (int)len;
	list_parse(text, on, n);
	free(text);
	return 0;
}

/* Idle counters that advance with the monotonic clock, split by each state's share. */
static unsigned long long idle_counter(const struct idle_desc *s, bool usage)
{
	struct timespec ts;
	unsigned long long us;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	us = (unsigned long long)ts.tv_sec * 1000000u +
	     (unsigned long long)ts.tv_nsec / 1000;
	us = us / 1000 * s->share; /* time in the state, microseconds */
	/* usage: as if each visit lasted about ten times the target residency. */
	return usage ? us / (10 * (s->residency + 1)) : us;
}

static ssize_t cpu_text(struct cpuhp *hp, unsigned int cpu, const char *rest, char *buf,
			size_t len)
{
	unsigned int n = cpuhp_nr_possible(hp), i;
	const char *r2;
	bool *on;
	int ret;

	if (!strcmp(rest, "uevent"))
		return snprintf(buf, len, "DRIVER=processor\nMODALIAS=%s\n", MODALIAS);
	if (!strncmp(rest, "cpuidle/", 8) &&
	    indexed(rest + 8, "state", NR_IDLE, &i, &r2)) {
		const struct idle_desc *s = &idle_states[i];

		if (!strcmp(r2, "name"))
			return snprintf(buf, len, "%s\n", s->name);
		if (!strcmp(r2, "desc"))
			return snprintf(buf, len, "%s\n", s->desc);
		if (!strcmp(r2, "latency"))
			return snprintf(buf, len, "%u\n", s->latency);
		if (!strcmp(r2, "residency"))
			return snprintf(buf, len, "%u\n", s->residency);
		if (!strcmp(r2, "default_status"))
			return snprintf(buf, len, "enabled\n");
		if (!strcmp(r2, "usage"))
			return snprintf(buf, len, "%llu\n", idle_counter(s, true));
		if (!strcmp(r2, "time"))
			return snprintf(buf, len, "%llu\n", idle_counter(s, false));
		/* above, below, disable, power, rejected */
		return snprintf(buf, len, "0\n");
	}
	if (strncmp(rest, "cache/", 6) || !indexed(rest + 6, "index", NR_CACHES, &i, &r2))
		return -ENOENT;
	{
		const struct cache_desc *c = &caches[i];

		if (!strcmp(r2, "level"))
			return snprintf(buf, len, "%u\n", c->level);
		if (!strcmp(r2, "type"))
			return snprintf(buf, len, "%s\n", c->type);
		if (!strcmp(r2, "size"))
			return snprintf(buf, len, "%uK\n", c->size_k);
		if (!strcmp(r2, "ways_of_associativity"))
			return snprintf(buf, len, "%u\n", c->ways);
		if (!strcmp(r2, "coherency_line_size"))
			return snprintf(buf, len, "%u\n", LINE);
		if (!strcmp(r2, "number_of_sets"))
			return snprintf(buf, len, "%u\n",
					c->size_k * 1024 / (c->ways * LINE));
		if (!strcmp(r2, "physical_line_partition"))
			return snprintf(buf, len, "1\n");
		if (!strcmp(r2, "uevent"))
			return snprintf(buf, len, "%s", "");
		on = calloc(n, sizeof(*on));
		if (!on)
			return -ENOMEM;
		ret = cache_sharing(hp, cpu, c, on, n);
		if (!ret && !strcmp(r2, "id")) {
			/* The lowest sharing CPU's number stands for the instance. */
			for (i = 0; i < n && !on[i]; i++)
				;
			ret = snprintf(buf, len, "%u\n", c->per_core ? i : 0);
		} else if (!ret) {
			ret = (int)(strcmp(r2, "shared_cpu_map") ?
					    list_format(on, n, buf, len) :
					    map_format(on, n, buf, len));
		}
		free(on);
		return ret;
	}
}

/* node0: every online CPU (one NUMA node). */
static ssize_t node_text(struct cpuhp *hp, bool map, char *buf, size_t len)
{
	unsigned int n = cpuhp_nr_possible(hp), i;
	bool *on = calloc(n, sizeof(*on));
	ssize_t ret;

	if (!on)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		on[i] = cpuhp_cpu_online(hp, i);
	ret = (ssize_t)(map ? map_format(on, n, buf, len) : list_format(on, n, buf, len));
	free(on);
	return ret;
}

ssize_t sysfs_extra_read(struct cpuhp *hp, const char *p, char **text)
{
	size_t len = 8192;
	char *buf = malloc(len);
	unsigned int cpu;
	const char *rest;
	ssize_t n;
	mode_t mode;

	if (!buf)
		return -ENOMEM;
	if (!strcmp(p, NODE0_CPULIST) || !strcmp(p, NODE0_CPUMAP))
		n = node_text(hp, !strcmp(p, NODE0_CPUMAP), buf, len);
	else if (sysfs_extra_stat(hp, p, &mode) || S_ISDIR(mode))
		n = -ENOENT;
	else if (!strcmp(p, "modalias"))
		n = snprintf(buf, len, "%s\n", MODALIAS);
	else if (!strcmp(p, "uevent"))
		n = snprintf(buf, len, "%s", "");
	else if (!strcmp(p, "nohz_full"))
		n = snprintf(buf, len, "(null)\n"); /* no nohz_full= given */
	else if (!strncmp(p, "cpufreq/", 8))
		n = cpufreq_text(hp, p + 8, buf, len);
	else if (!strncmp(p, "vulnerabilities/", 16))
		n = snprintf(buf, len, "Not affected\n");
	else if (!strcmp(p, "cpuidle/current_driver"))
		n = snprintf(buf, len, "intel_idle\n");
	else if (!strcmp(p, "cpuidle/available_governors"))
		n = snprintf(buf, len, "ladder menu teo \n");
	else if (!strncmp(p, "cpuidle/current_governor", 24))
		n = snprintf(buf, len, "menu\n");
	else if (cpu_path(hp, p, &cpu, &rest))
		n = cpu_text(hp, cpu, rest, buf, len);
	else
		n = -ENOENT;
	if (n < 0) {
		free(buf);
		return n;
	}
	*text = buf;
	return n;
}
