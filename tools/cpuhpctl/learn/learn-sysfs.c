// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * learn-sysfs.c - the facts a /sys/devices/system/cpu tree shows, read only:
 * the hotplug/states listing, the possible CPUs, the boot CPU (the one
 * without an online file) and its target, the SMT threads of cpu0's core
 * and the SMT control.  Nothing is written.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cpuhpctl.h"
#include "learn.h"

/* The first line of ROOT/REL into @buf.  Return: true if it was read. */
static bool read_first(const char *root, const char *rel, char *buf, size_t len)
{
	char path[4096];
	FILE *f;
	bool ok;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "r");
	if (!f)
		return false;
	ok = fgets(buf, (int)len, f) != NULL;
	fclose(f);
	if (ok)
		buf[strcspn(buf, "\n")] = '\0';
	return ok;
}

static int read_listing(struct learn *l, const char *root)
{
	char path[4096], line[256], name[LEARN_SYM_MAX];
	unsigned int lineno = 0;
	int num, prev = -1, len, ret = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/hotplug/states", root);
	f = fopen(path, "r");
	if (!f) {
		ctl_err("learn: %s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		len = 0;
		if (!strchr(line, '\n') && !feof(f)) {
			ret = -1;
			break;
		}
		line[strcspn(line, "\n")] = '\0';
		if (sscanf(line, " %d: %63s%n", &num, name, &len) != 2 || line[len] ||
		    num <= prev || num >= LEARN_MAX_STATES) {
			ret = -1;
			break;
		}
		prev = num;
		snprintf(l->st[num].name, sizeof(l->st[num].name), "%s", name);
	}
	fclose(f);
	if (ret || !lineno) {
		ctl_err("learn: %s:%u: %s", path, lineno,
			lineno ? "not a hotplug/states line (\"NUM: NAME\", rising)" :
				 "empty");
		return -1;
	}
	l->listing = true;
	snprintf(l->listing_src, sizeof(l->listing_src), "%.500s", path);
	return 0;
}

/* "0-3" or "0,2-3": the highest number + 1. */
static unsigned int list_count(const char *s)
{
	const char *p = s + strlen(s);

	while (p > s && p[-1] >= '0' && p[-1] <= '9')
		p--;
	return (unsigned int)atoi(p) + 1;
}

int learn_read_sysfs(struct learn *l, const char *root)
{
	char buf[256], rel[64];
	unsigned int cpu;

	if (read_listing(l, root))
		return -1;
	if (read_first(root, "possible", buf, sizeof(buf)))
		l->cpus = list_count(buf);
	for (cpu = 0; cpu < (l->cpus ? l->cpus : 1); cpu++) {
		snprintf(rel, sizeof(rel), "cpu%u/online", cpu);
		if (read_first(root, rel, buf, sizeof(buf))) {
			if (cpu == 0)
				l->boot_cpu_online_file = 1;
			continue;
		}
		snprintf(rel, sizeof(rel), "cpu%u/hotplug/state", cpu);
		if (!read_first(root, rel, buf, sizeof(buf)))
			continue;
		/* A CPU with hotplug files but no online file: the boot CPU. */
		l->boot_cpu = (int)cpu;
		l->boot_cpu_online_file = 0;
		snprintf(rel, sizeof(rel), "cpu%u/hotplug/target", cpu);
		if (read_first(root, rel, buf, sizeof(buf)))
			l->boot_cpu_target = atoi(buf);
		break;
	}
	if (read_first(root, "cpu0/topology/thread_siblings_list", buf, sizeof(buf))) {
		int a, b;

		if (sscanf(buf, "%d-%d", &a, &b) == 2 && b >= a)
			l->threads_per_core = (unsigned int)(b - a + 1);
		else
			l->threads_per_core = (unsigned int)(strchr(buf, ',') ? 2 : 1);
	}
	if (read_first(root, "smt/control", buf, sizeof(buf)))
		snprintf(l->smt_control, sizeof(l->smt_control), "%.31s", buf);
	snprintf(l->sources, sizeof(l->sources), "%s", root);
	return 0;
}
