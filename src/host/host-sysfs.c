// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * host-sysfs.c - what the host says about its CPUs: the possible, present
 * and online lists under the (configurable) CPU directory, the calling
 * thread's affinity and the cgroup's effective cpuset.  Reads only; every
 * parse is strict, so a garbled file is an error, never a guess.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host/host.h"

/**
 * cpuhp__cpulist_parse - parse the kernel's CPU list format ("0-3,5\n")
 * @s:            the text; an empty list ("" or "\n") is valid
 * @out:          receives the set (cleared first)
 * @max_plus_one: if not NULL, receives the highest CPU + 1 (0 when empty)
 *
 * Return: 0 or -EINVAL (syntax, a range going down, a CPU >= CPUHP_MAX_CPUS).
 */
int cpuhp__cpulist_parse(const char *s, struct host_set *out, unsigned int *max_plus_one)
{
	unsigned long a, b;
	unsigned int top = 0;
	char *end;

	memset(out, 0, sizeof(*out));
	while (*s && *s != '\n') {
		if (!isdigit((unsigned char)*s))
			return -EINVAL;
		a = strtoul(s, &end, 10);
		b = a;
		if (*end == '-') {
			if (!isdigit((unsigned char)end[1]))
				return -EINVAL;
			b = strtoul(end + 1, &end, 10);
		}
		if (b < a || b >= CPUHP_MAX_CPUS)
			return -EINVAL;
		for (; a <= b; a++)
			hs_set(out, (unsigned int)a);
		if (b + 1 > top)
			top = (unsigned int)b + 1;
		s = end;
		if (*s == ',' && !isdigit((unsigned char)s[1]))
			return -EINVAL; /* "1," and "1,,2" */
		if (*s == ',')
			s++;
		else if (*s && *s != '\n')
			return -EINVAL;
	}
	if (*s == '\n' && s[1])
		return -EINVAL;
	if (max_plus_one)
		*max_plus_one = top;
	return 0;
}

static int read_text(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	if ((size_t)n == len - 1)
		return -EFBIG;
	buf[n] = '\0';
	return 0;
}

static int read_list(const char *dir, const char *name, struct host_set *out,
		     unsigned int *top)
{
	char path[4096], buf[8192];
	int err;

	if (snprintf(path, sizeof(path), "%s%s%s", dir, name ? "/" : "",
		     name ? name : "") >= (int)sizeof(path))
		return -ENAMETOOLONG;
	err = read_text(path, buf, sizeof(buf));
	return err ? err : cpuhp__cpulist_parse(buf, out, top);
}

static int read_affinity(struct host_set *out)
{
	cpu_set_t *set = CPU_ALLOC(CPUHP_MAX_CPUS);
	size_t size = CPU_ALLOC_SIZE(CPUHP_MAX_CPUS);
	unsigned int cpu;

	if (!set)
		return -ENOMEM;
	/* The process's CPUs: its main thread's mask (pid == tgid). */
	if (sched_getaffinity(getpid(), size, set)) {
		int err = -errno;

		CPU_FREE(set);
		return err;
	}
	memset(out, 0, sizeof(*out));
	for (cpu = 0; cpu < CPUHP_MAX_CPUS; cpu++) {
		if (CPU_ISSET_S(cpu, size, set))
			hs_set(out, cpu);
	}
	CPU_FREE(set);
	return 0;
}

/* "0::/a/b" (v2) or "N:...cpuset...:/a/b" (v1) -> the effective-CPUs file. */
static char *find_cgroup_cpuset(void)
{
	char line[4096], path[4200];
	char *found = NULL;
	FILE *f = fopen("/proc/self/cgroup", "re");

	if (!f)
		return NULL;
	while (!found && fgets(line, sizeof(line), f)) {
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;

		if (!c2)
			continue;
		*c2 = '\0';
		c2[strcspn(c2 + 1, "\n") + 1] = '\0';
		if (!strcmp(line, "0:") || !strcmp(c1, ":"))
			snprintf(path, sizeof(path),
				 "/sys/fs/cgroup%s/cpuset.cpus.effective", c2 + 1);
		else if (strstr(c1 + 1, "cpuset"))
			snprintf(path, sizeof(path),
				 "/sys/fs/cgroup/cpuset%s/cpuset.effective_cpus", c2 + 1);
		else
			continue;
		if (!access(path, R_OK))
			found = strdup(path);
	}
	fclose(f);
	return found;
}

int cpuhp__host_paths_init(struct host_paths *p, const struct cpuhp_config *cfg)
{
	memset(p, 0, sizeof(*p));
	p->root = strdup(cfg->host_sysfs_root ? cfg->host_sysfs_root :
						"/sys/devices/system/cpu");
	if (!p->root)
		return -ENOMEM;
	if (!cfg->host_cpuset)
		p->cpuset = find_cgroup_cpuset(); /* none found: affinity alone */
	else if (cfg->host_cpuset[0] && !(p->cpuset = strdup(cfg->host_cpuset)))
		goto nomem;
	if (cfg->host_affinity && !(p->affinity = strdup(cfg->host_affinity)))
		goto nomem;
	return 0;
nomem:
	cpuhp__host_paths_free(p);
	return -ENOMEM;
}

void cpuhp__host_paths_free(struct host_paths *p)
{
	free(p->root);
	free(p->cpuset);
	free(p->affinity);
	memset(p, 0, sizeof(*p));
}

/**
 * cpuhp__host_read - one consistent-enough read of the host
 * @p:    where to read
 * @snap: receives the sets; allowed = affinity & cpuset
 *
 * Return: 0 or the error of the first file that could not be read or parsed.
 */
int cpuhp__host_read(const struct host_paths *p, struct host_snap *snap)
{
	struct host_set cs;
	unsigned int i;
	int err;

	err = read_list(p->root, "possible", &snap->possible, &snap->nr_possible);
	if (!err)
		err = read_list(p->root, "present", &snap->present, NULL);
	if (!err)
		err = read_list(p->root, "online", &snap->online, NULL);
	if (!err)
		err = p->affinity ? read_list(p->affinity, NULL, &snap->allowed, NULL) :
				    read_affinity(&snap->allowed);
	if (err)
		return err;
	if (p->cpuset) {
		err = read_list(p->cpuset, NULL, &cs, NULL);
		if (err)
			return err;
		for (i = 0; i < HOST_WORDS; i++)
			snap->allowed.w[i] &= cs.w[i];
	}
	return snap->nr_possible ? 0 : -EINVAL;
}
