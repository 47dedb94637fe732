// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * control.c - the sysfs files under devices/system/cpu, as a path interface.
 *
 * A path is split into components, matched against the table of patterns in
 * control-files.c and handed to the entry's show or store handler.  Lookup
 * only reads the table; a handler runs only for a possible, visible CPU.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <cpuhp/control.h>

#include "control/control.h"
#include "control/ctl-path.h"
#include "walk/walk.h"

#define MAX_COMPS 12 /* deeper paths cannot exist */

/* ----------------------------------------------------- path resolution */

struct comp {
	const char *s;
	size_t len;
};

static bool comp_is(const struct comp *c, const char *s)
{
	return c->len == strlen(s) && !memcmp(c->s, s, c->len);
}

/* Split at '/', dropping empty and "." components. */
static int split(const char *path, struct comp *comps, unsigned int *n)
{
	*n = 0;
	for (;;) {
		struct comp c;

		path += strspn(path, "/");
		if (!*path)
			return 0;
		c.s = path;
		c.len = strcspn(path, "/");
		path += c.len;
		if (comp_is(&c, ".."))
			return -EINVAL;
		if (comp_is(&c, "."))
			continue;
		if (*n == MAX_COMPS)
			return -ENOENT;
		comps[(*n)++] = c;
	}
}

/* An absolute path must lie under /sys/devices/system/cpu; drop that part. */
static int strip_root(const char *path, struct comp **comps, unsigned int *n)
{
	static const char *const root[] = { "sys", "devices", "system", "cpu" };
	unsigned int i, nr = sizeof(root) / sizeof(root[0]);

	if (path[0] != '/')
		return 0;
	if (*n < nr)
		return -ENOENT;
	for (i = 0; i < nr; i++)
		if (!comp_is(&(*comps)[i], root[i]))
			return -ENOENT;
	*comps += nr;
	*n -= nr;
	return 0;
}

/* "cpu" followed by a decimal number without leading zeros. */
static bool match_cpu(const struct comp *c, unsigned int *cpu)
{
	unsigned int v = 0;
	size_t i;

	if (c->len < 4 || memcmp(c->s, "cpu", 3) || (c->s[3] == '0' && c->len > 4))
		return false;
	for (i = 3; i < c->len; i++) {
		if (c->s[i] < '0' || c->s[i] > '9' || v >= CPUHP_MAX_CPUS)
			return false;
		v = v * 10 + (unsigned int)(c->s[i] - '0');
	}
	*cpu = v;
	return true;
}

static bool match_comp(const struct comp *p, const struct comp *c, unsigned int *cpu)
{
	if (comp_is(p, "cpu#"))
		return match_cpu(c, cpu);
	return p->len == c->len && !memcmp(p->s, c->s, p->len);
}

static bool match(const char *pat, const struct comp *comps, unsigned int n,
		  unsigned int *cpu)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct comp p = { pat, strcspn(pat, "/") };

		if (!p.len || !match_comp(&p, &comps[i], cpu))
			return false;
		pat += p.len + (pat[p.len] == '/');
	}
	return !*pat;
}

static bool is_dir(const struct cpuhp_ctl_entry *e)
{
	return !e->show && !e->store;
}

static bool per_cpu(const struct cpuhp_ctl_entry *e)
{
	return !strncmp(e->pattern, "cpu#", 4);
}

int cpuhp__ctl_lookup(const struct cpuhp *hp, const char *path,
		      const struct cpuhp_ctl_entry **entry, unsigned int *cpu)
{
	struct comp buf[MAX_COMPS], *comps = buf;
	unsigned int n, i;
	int ret;

	ret = split(path, comps, &n);
	if (!ret)
		ret = strip_root(path, &comps, &n);
	if (ret)
		return ret;
	for (i = 0; i < cpuhp__ctl_nr_entries; i++) {
		const struct cpuhp_ctl_entry *e = &cpuhp__ctl_entries[i];

		*cpu = 0;
		if (!match(e->pattern, comps, n, cpu))
			continue;
		if (per_cpu(e) && *cpu >= hp->nr_possible)
			return -ENOENT;
		if (e->visible && !e->visible(hp, *cpu))
			return -ENOENT;
		*entry = e;
		return is_dir(e) ? -EISDIR : 0;
	}
	return -ENOENT;
}

const char *cpuhp__ctl_entry_pattern(const struct cpuhp_ctl_entry *entry)
{
	return entry->pattern;
}

/* ------------------------------------------------------------ the API */

ssize_t cpuhp_ctl_read(struct cpuhp *hp, const char *path, char *buf, size_t len)
{
	const struct cpuhp_ctl_entry *e;
	struct ctl_ctx c = { .hp = hp };
	struct outbuf o = { buf, len, 0 };
	int ret;

	if (!hp || !path || (!buf && len))
		return -EINVAL;
	if (len)
		buf[0] = '\0';
	ret = cpuhp__ctl_lookup(hp, path, &e, &c.cpu);
	if (!ret)
		ret = e->show ? e->show(&c, &o) : -EACCES; /* write-only file */
	return ret ? ret : (ssize_t)o.off;
}

int cpuhp_ctl_write(struct cpuhp *hp, const char *path, const char *value)
{
	const struct cpuhp_ctl_entry *e;
	struct ctl_ctx c = { .hp = hp };
	int ret;

	if (!hp || !path || !value)
		return -EINVAL;
	ret = cpuhp__ctl_lookup(hp, path, &e, &c.cpu);
	if (ret)
		return ret;
	if (!e->store)
		return -EACCES;
	/* Every store may run a hotplug operation or take the state mutex. */
	if (cpuhp__in_callback(hp))
		return -EDEADLK;
	/*
	 * sysfs hands a zero-length write to no store and returns 0: a real
	 * 6.1 and 6.12 do so for cpuN/online (cpuhpctl kernel run, docs/kernel.md).
	 */
	if (!*value)
		return 0;
	return e->store(&c, value);
}

/* sysfs permissions: directories 0755, files by what they support. */
static mode_t entry_mode(const struct cpuhp_ctl_entry *e)
{
	if (is_dir(e))
		return S_IFDIR | 0755;
	return S_IFREG | (e->show ? 0444 : 0) | (e->store ? 0200 : 0);
}

int cpuhp_ctl_stat(struct cpuhp *hp, const char *path, mode_t *mode)
{
	const struct cpuhp_ctl_entry *e;
	unsigned int cpu;
	int ret;

	if (!hp || !path || !mode)
		return -EINVAL;
	ret = cpuhp__ctl_lookup(hp, path, &e, &cpu);
	if (ret && ret != -EISDIR)
		return ret;
	*mode = entry_mode(e);
	return 0;
}

/*
 * The name of @e inside the directory @dir ("cpu#/hotplug" inside "cpu#"),
 * or NULL when @e is not a direct child of @dir.
 */
static const char *child_name(const char *dir, const char *pattern)
{
	size_t n = strlen(dir);

	if (n) {
		if (strncmp(pattern, dir, n) || pattern[n] != '/')
			return NULL;
		pattern += n + 1;
	}
	return *pattern && !strchr(pattern, '/') ? pattern : NULL;
}

int cpuhp_ctl_readdir(struct cpuhp *hp, const char *path, cpuhp_ctl_dir_fn fn, void *data)
{
	const struct cpuhp_ctl_entry *d;
	unsigned int dcpu, cpu, i;
	int ret;

	if (!hp || !path || !fn)
		return -EINVAL;
	ret = cpuhp__ctl_lookup(hp, path, &d, &dcpu);
	if (ret != -EISDIR)
		return ret ? ret : -ENOTDIR;
	for (i = 0; i < cpuhp__ctl_nr_entries; i++) {
		const struct cpuhp_ctl_entry *e = &cpuhp__ctl_entries[i];
		const char *name = child_name(d->pattern, e->pattern);
		char buf[16];

		if (!name)
			continue;
		if (strcmp(name, "cpu#")) {
			if (e->visible && !e->visible(hp, dcpu))
				continue;
			ret = fn(data, name, entry_mode(e));
			if (ret)
				return ret;
			continue;
		}
		for (cpu = 0; cpu < hp->nr_possible; cpu++) {
			snprintf(buf, sizeof(buf), "cpu%u", cpu);
			ret = fn(data, buf, entry_mode(e));
			if (ret)
				return ret;
		}
	}
	return 0;
}
