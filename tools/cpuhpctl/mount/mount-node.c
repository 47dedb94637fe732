// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mount-node.c - the mount's name space: inode numbers for paths, and what a
 * path is now (a control file or directory of the library, or one of the few
 * directories and trace files around them).  An inode, once given, names the
 * same path until the mount ends; whether that path still exists is asked
 * anew each time, since CPUs come and go.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cpuhp/cpuhp.h>

#include "mount-node.h"
#include "mount.h"

#define SYSFS_FILE_SIZE 4096 /* what stat(2) says of every sysfs attribute */

/* ------------------------------------------------------------ inode table */

static uint32_t hash_str(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static int hash_grow(struct node_table *t)
{
	size_t cap = t->hash_cap ? t->hash_cap * 2 : 1024, i;
	uint32_t *h = calloc(cap, sizeof(*h));

	if (!h)
		return -ENOMEM;
	for (i = 0; i < t->nr_paths; i++) {
		size_t j = hash_str(t->paths[i]) & (cap - 1);

		while (h[j])
			j = (j + 1) & (cap - 1);
		h[j] = (uint32_t)i + 1;
	}
	free(t->hash);
	t->hash = h;
	t->hash_cap = cap;
	return 0;
}

fuse_ino_t node_intern(struct node_table *t, const char *path)
{
	size_t j;
	char *copy;

	if ((t->nr_paths + 1) * 2 > t->hash_cap && hash_grow(t))
		return 0;
	for (j = hash_str(path) & (t->hash_cap - 1); t->hash[j];
	     j = (j + 1) & (t->hash_cap - 1))
		if (!strcmp(t->paths[t->hash[j] - 1], path))
			return t->hash[j];
	if (t->nr_paths == t->cap_paths) {
		size_t cap = t->cap_paths ? t->cap_paths * 2 : 256;
		char **p = realloc(t->paths, cap * sizeof(*p));

		if (!p)
			return 0;
		t->paths = p;
		t->cap_paths = cap;
	}
	copy = strdup(path);
	if (!copy)
		return 0;
	t->paths[t->nr_paths++] = copy;
	t->hash[j] = (uint32_t)t->nr_paths;
	return t->nr_paths;
}

const char *node_ino_path(const struct node_table *t, fuse_ino_t ino)
{
	return ino >= 1 && ino <= t->nr_paths ? t->paths[ino - 1] : NULL;
}

int node_table_init(struct node_table *t, struct cpuhp *hp, enum mount_layout layout)
{
	memset(t, 0, sizeof(*t));
	t->hp = hp;
	t->layout = layout;
	clock_gettime(CLOCK_REALTIME, &t->mtime);
	return node_intern(t, "") == FUSE_ROOT_ID ? 0 : -ENOMEM;
}

void node_table_destroy(struct node_table *t)
{
	size_t i;

	for (i = 0; i < t->nr_paths; i++)
		free(t->paths[i]);
	free(t->paths);
	free(t->hash);
}

/* --------------------------------------------------------------- layout */

#define CPU_DIR "sys/devices/system/cpu"

/* The directories and trace files around the control tree (sysroot layout). */
static const struct {
	const char *dir, *name;
	enum node_kind kind;
	mode_t mode;
	const char *ctl; /* NODE_SYSFS: the name mount-sysfs.c knows it by */
} extra[] = {
	{ "", "proc", NODE_DIR, S_IFDIR | 0555, NULL },
	{ "proc", "cpuinfo", NODE_CPUINFO, S_IFREG | 0444, NULL },
	{ "", "sys", NODE_DIR, S_IFDIR | 0755, NULL },
	{ "sys", "devices", NODE_DIR, S_IFDIR | 0755, NULL },
	{ "sys", "kernel", NODE_DIR, S_IFDIR | 0755, NULL },
	{ "sys/devices", "system", NODE_DIR, S_IFDIR | 0755, NULL },
	{ "sys/devices/system", "cpu", NODE_DIR, S_IFDIR | 0755, NULL },
	{ "sys/devices/system", "node", NODE_DIR, S_IFDIR | 0755, NULL },
	{ "sys/devices/system/node", "node0", NODE_DIR, S_IFDIR | 0755, NULL },
	{ "sys/devices/system/node/node0", "cpulist", NODE_SYSFS, S_IFREG | 0444,
	  NODE0_CPULIST },
	{ "sys/devices/system/node/node0", "cpumap", NODE_SYSFS, S_IFREG | 0444,
	  NODE0_CPUMAP },
	{ "sys/kernel", "tracing", NODE_DIR, S_IFDIR | 0700, NULL },
	/* tracefs modes since v5.17: TRACE_MODE_WRITE and TRACE_MODE_READ. */
	{ "sys/kernel/tracing", "trace", NODE_TRACE, S_IFREG | 0640, NULL },
	{ "sys/kernel/tracing", "trace_pipe", NODE_TRACE_PIPE, S_IFREG | 0440, NULL },
};

#define NR_EXTRA (sizeof(extra) / sizeof(extra[0]))

/* The control path of @path, or NULL if it lies outside the control tree. */
static const char *ctl_path(const struct node_table *t, const char *path)
{
	size_t n = strlen(CPU_DIR);

	if (t->layout == LAYOUT_CPU)
		return path;
	if (strncmp(path, CPU_DIR, n) || (path[n] && path[n] != '/'))
		return NULL;
	return path + n + (path[n] == '/');
}

static bool is_extra(const char *path, size_t i)
{
	size_t n = strlen(extra[i].dir);

	if (!n)
		return !strcmp(path, extra[i].name);
	return !strncmp(path, extra[i].dir, n) && path[n] == '/' &&
	       !strcmp(path + n + 1, extra[i].name);
}

struct node node_resolve(const struct node_table *t, const char *path)
{
	struct node nd = { NODE_NONE, 0, ctl_path(t, path) };
	size_t i;

	if (nd.ctl) {
		if (!cpuhp_ctl_stat(t->hp, nd.ctl, &nd.mode))
			nd.kind = S_ISDIR(nd.mode) ? NODE_DIR : NODE_CTL;
		else if (!sysfs_extra_stat(t->hp, nd.ctl, &nd.mode))
			nd.kind = S_ISDIR(nd.mode) ? NODE_DIR :
				  S_ISLNK(nd.mode) ? NODE_LINK :
						     NODE_SYSFS;
		return nd;
	}
	if (!*path) {
		nd.kind = NODE_DIR;
		nd.mode = S_IFDIR | 0755;
		return nd;
	}
	for (i = 0; i < NR_EXTRA; i++) {
		if (is_extra(path, i)) {
			nd.kind = extra[i].kind;
			nd.mode = extra[i].mode;
			nd.ctl = extra[i].ctl;
		}
	}
	return nd;
}

struct node node_resolve_ino(const struct node_table *t, fuse_ino_t ino)
{
	const char *path = node_ino_path(t, ino);

	return path ? node_resolve(t, path) : (struct node){ NODE_NONE, 0, NULL };
}

int node_list_extra(const char *dir, cpuhp_ctl_dir_fn fn, void *data)
{
	size_t i;
	int ret = 0;

	for (i = 0; i < NR_EXTRA && !ret; i++)
		if (!strcmp(extra[i].dir, dir))
			ret = fn(data, extra[i].name, extra[i].mode);
	return ret;
}

void node_fill_stat(const struct node_table *t, fuse_ino_t ino, const struct node *nd,
		    struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_ino = ino;
	st->st_mode = nd->mode;
	st->st_nlink = S_ISDIR(nd->mode) ? 2 : 1;
	st->st_uid = getuid();
	st->st_gid = getgid();
	st->st_size = nd->kind == NODE_CTL || nd->kind == NODE_SYSFS ? SYSFS_FILE_SIZE :
								       0;
	st->st_blksize = SYSFS_FILE_SIZE;
	st->st_atim = st->st_mtim = st->st_ctim = t->mtime;
}

/*
 * Every name the mount shows stays, with the same mode and size, for as long
 * as the mount lives, except a CPU's topology and cache directories and
 * what is in them (they exist while the CPU is online).  Present CPUs do
 * not change under the mount.  Caching the others spares the FUSE lookups
 * of every path component at each open(2): half the round trips of an
 * "echo 0 > cpuN/online".  Contents are never cached (direct_io).
 */
double node_cache_timeout(const struct node *nd)
{
	if (nd->kind == NODE_NONE)
		return 0;
	if (nd->ctl && (strstr(nd->ctl, "/topology") || strstr(nd->ctl, "/cache")))
		return 0;
	return 3600;
}

char *node_join(const char *dir, const char *name)
{
	size_t a = strlen(dir), b = strlen(name);
	char *p = malloc(a + b + 2);

	if (!p)
		return NULL;
	memcpy(p, dir, a);
	if (a)
		p[a++] = '/';
	memcpy(p + a, name, b + 1);
	return p;
}
