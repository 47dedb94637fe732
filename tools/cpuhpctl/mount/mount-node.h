/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mount-node.h - the mount's name space (mount-node.c), shared with the FUSE
 * operations (mount-fs.c): inodes, the paths they stand for, and what a path
 * is now.  Used only on the FUSE loop thread, so nothing here takes a lock.
 */
#ifndef CPUHPCTL_MOUNT_NODE_H
#define CPUHPCTL_MOUNT_NODE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>

#include <cpuhp/cpuhp.h>

#include "mount.h"

enum node_kind {
	NODE_NONE,
	NODE_DIR,
	NODE_CTL, /* a control file */
	NODE_TRACE,
	NODE_TRACE_PIPE,
	NODE_CPUINFO, /* proc/cpuinfo, for "lscpu --sysroot DIR" */
	NODE_SYSFS,   /* a file the mount adds to the cpu tree (mount-sysfs.c) */
	NODE_LINK,    /* a symbolic link the mount adds (cpuN/cpufreq) */
};

struct node {
	enum node_kind kind;
	mode_t mode;
	/*
	 * Control path, for NODE_CTL and control directories: it points into
	 * the path that was resolved, so it lives as long as that string.
	 */
	const char *ctl;
};

struct node_table {
	struct cpuhp *hp;
	enum mount_layout layout;
	struct timespec mtime; /* every node's times: when the mount was set up */

	/* Inode table: inode i + 1 is paths[i]; inode 1 (root) is "". */
	char **paths;
	size_t nr_paths, cap_paths;
	uint32_t *hash; /* open addressing, index + 1, 0 = free */
	size_t hash_cap;
};

/* Set up @t with the root inode; on -ENOMEM node_table_destroy() still frees. */
int node_table_init(struct node_table *t, struct cpuhp *hp, enum mount_layout layout);
void node_table_destroy(struct node_table *t);

/* The inode of @path, created on first use; 0 on -ENOMEM. */
fuse_ino_t node_intern(struct node_table *t, const char *path);
/* The path of @ino, NULL for an inode never given. */
const char *node_ino_path(const struct node_table *t, fuse_ino_t ino);
/* What @path is now (NODE_NONE: nothing, or a CPU's file that went away). */
struct node node_resolve(const struct node_table *t, const char *path);
/* node_resolve() of the path of @ino; NODE_NONE for an inode never given. */
struct node node_resolve_ino(const struct node_table *t, fuse_ino_t ino);
/* What stat(2) says of @nd: sysfs' sizes, the mounting user as owner. */
void node_fill_stat(const struct node_table *t, fuse_ino_t ino, const struct node *nd,
		    struct stat *st);
/* The entries of @dir outside the control tree, as cpuhp_ctl_readdir() gives them. */
int node_list_extra(const char *dir, cpuhp_ctl_dir_fn fn, void *data);
/*
 * How long the kernel may keep @nd's entry and attributes (seconds): 0 for
 * what comes and goes with hotplug, longer for what stays as long as the
 * mount does.
 */
double node_cache_timeout(const struct node *nd);
/* "@dir/@name", or @name when @dir is the root ""; NULL on -ENOMEM. */
char *node_join(const char *dir, const char *name);

/*
 * mount-sysfs.c: the files of the cpu tree beyond the library's control
 * files (cache, cpuidle, vulnerabilities...), by control-style path
 * relative to devices/system/cpu; node0's two files by the names below.
 */
#define NODE0_CPULIST "@node0/cpulist"
#define NODE0_CPUMAP "@node0/cpumap"
int sysfs_extra_stat(struct cpuhp *hp, const char *path, mode_t *mode);
/* Adds the extra entries of @path (a control directory or an extra one). */
int sysfs_extra_readdir(struct cpuhp *hp, const char *path, cpuhp_ctl_dir_fn fn,
			void *data);
/* The text of an extra file in a malloc()ed *@text, or a negative errno. */
ssize_t sysfs_extra_read(struct cpuhp *hp, const char *path, char **text);
/* The target of an extra symbolic link (cpuN/cpufreq), or a negative errno. */
ssize_t sysfs_extra_readlink(struct cpuhp *hp, const char *path, char *buf, size_t len);

#endif /* CPUHPCTL_MOUNT_NODE_H */
