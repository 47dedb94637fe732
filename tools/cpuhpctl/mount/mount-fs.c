// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mount-fs.c - the FUSE low-level operations of "cpuhpctl mount".
 *
 * Everything under devices/system/cpu comes from the library's control
 * interface (cpuhp_ctl_stat/readdir/read/write); mount-node.c maps inodes to
 * paths and adds the few directories above it and the tracefs-shaped trace
 * files, this file answers the requests on them.  All operations run on the
 * one FUSE loop thread, so the inode table, the open handles and the blocked
 * trace_pipe readers need no lock; only the trace ring is shared with the
 * "cpuhp/N" threads.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cpuhp/cpuhp.h>

#include "cpuhpctl.h"
#include "mount-node.h"
#include "mount.h"

#define SYSFS_WRITE_MAX 4096 /* sysfs hands a store at most one page */
#define TRACE_RING_SIZE (1024 * 1024)

/* Blocked trace_pipe read, answered when events arrive. */
struct pending {
	fuse_req_t req;
	size_t size;
	struct pending *next;
};

struct mount_fs {
	struct cpuhp *hp; /* the machine; nodes.hp is the same one */
	struct node_table nodes;
	FILE *trace_file; /* --trace FILE, also fed by the sink */
	mount_tap_fn tap; /* another consumer of the event lines ("exec") */
	void *tap_data;
	struct trace_ring ring;
	struct pending *pending;
	/*
	 * Open handles: the kernel sends RELEASE after close(2) returns, so
	 * some may still be open when the loop ends; freed with the fs.
	 */
	struct handle *handles;
};

/* One open file or directory. */
struct handle {
	enum node_kind kind;
	bool nonblock;
	char *text; /* file: the text of the last read at offset 0; dir: entries */
	size_t len;
	struct handle *prev, *next; /* in mount_fs.handles */
};

/* ------------------------------------------------------------ open handles */

static struct handle *handle_new(struct mount_fs *fs, enum node_kind kind)
{
	struct handle *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	h->kind = kind;
	h->next = fs->handles;
	if (fs->handles)
		fs->handles->prev = h;
	fs->handles = h;
	return h;
}

static void handle_free(struct mount_fs *fs, struct handle *h)
{
	if (h->prev)
		h->prev->next = h->next;
	else
		fs->handles = h->next;
	if (h->next)
		h->next->prev = h->prev;
	free(h->text);
	free(h);
}

/* --------------------------------------------------------- lookup, stat */

static void op_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct mount_fs *fs = fuse_req_userdata(req);
	const char *dir = node_ino_path(&fs->nodes, parent);
	struct fuse_entry_param e;
	struct node nd;
	char *path;

	if (!dir) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	path = node_join(dir, name);
	if (!path) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	nd = node_resolve(&fs->nodes, path);
	memset(&e, 0, sizeof(e));
	if (nd.kind != NODE_NONE)
		e.ino = node_intern(&fs->nodes, path);
	/* What appears and vanishes as CPUs come and go is never cached. */
	e.attr_timeout = node_cache_timeout(&nd); /* before nd.ctl goes with path */
	e.entry_timeout = e.attr_timeout;
	free(path);
	if (nd.kind == NODE_NONE || !e.ino) {
		fuse_reply_err(req, nd.kind == NODE_NONE ? ENOENT : ENOMEM);
		return;
	}
	node_fill_stat(&fs->nodes, e.ino, &nd, &e.attr);
	fuse_reply_entry(req, &e);
}

static void op_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct mount_fs *fs = fuse_req_userdata(req);
	struct node nd = node_resolve_ino(&fs->nodes, ino);
	struct stat st;

	(void)fi;
	if (nd.kind == NODE_NONE) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	node_fill_stat(&fs->nodes, ino, &nd, &st);
	fuse_reply_attr(req, &st, node_cache_timeout(&nd));
}

static void op_readlink(fuse_req_t req, fuse_ino_t ino)
{
	struct mount_fs *fs = fuse_req_userdata(req);
	struct node nd = node_resolve_ino(&fs->nodes, ino);
	char target[64];
	ssize_t n;

	if (nd.kind != NODE_LINK) {
		fuse_reply_err(req, nd.kind == NODE_NONE ? ENOENT : EINVAL);
		return;
	}
	n = sysfs_extra_readlink(fs->hp, nd.ctl, target, sizeof(target));
	if (n < 0)
		fuse_reply_err(req, (int)-n);
	else
		fuse_reply_readlink(req, target);
}

/*
 * Truncation is what "echo X > file" asks first: a no-op on sysfs, and on
 * tracefs' "trace" it clears the buffer.  Other attribute changes are refused.
 */
static void op_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr, int to_set,
		       struct fuse_file_info *fi)
{
	struct mount_fs *fs = fuse_req_userdata(req);
	const int times = FUSE_SET_ATTR_ATIME | FUSE_SET_ATTR_MTIME |
			  FUSE_SET_ATTR_ATIME_NOW | FUSE_SET_ATTR_MTIME_NOW |
			  FUSE_SET_ATTR_CTIME;
	struct node nd;

	(void)attr;
	if (to_set & ~(FUSE_SET_ATTR_SIZE | times)) {
		fuse_reply_err(req, EPERM);
		return;
	}
	nd = node_resolve_ino(&fs->nodes, ino);
	if ((to_set & FUSE_SET_ATTR_SIZE) && nd.kind == NODE_TRACE)
		trace_ring_clear(&fs->ring);
	op_getattr(req, ino, fi);
}

/* ------------------------------------------------------------ directories */

struct dirbuf {
	fuse_req_t req;
	struct mount_fs *fs;
	const char *dir;
	char *buf;
	size_t len, cap;
};

static int dir_add(void *data, const char *name, mode_t mode)
{
	struct dirbuf *d = data;
	struct stat st = { .st_mode = mode };
	char *path = node_join(d->dir, name);
	size_t need;

	if (!path)
		return -ENOMEM;
	st.st_ino = node_intern(&d->fs->nodes, path);
	free(path);
	if (!st.st_ino)
		return -ENOMEM;
	need = fuse_add_direntry(d->req, NULL, 0, name, NULL, 0);
	if (d->len + need > d->cap) {
		size_t cap = (d->len + need) * 2;
		char *p = realloc(d->buf, cap);

		if (!p)
			return -ENOMEM;
		d->buf = p;
		d->cap = cap;
	}
	/* The offset of an entry is where the next one starts. */
	fuse_add_direntry(d->req, d->buf + d->len, need, name, &st,
			  (off_t)(d->len + need));
	d->len += need;
	return 0;
}

static int list_dir(struct dirbuf *d, const struct node *nd)
{
	int ret;

	ret = dir_add(d, ".", S_IFDIR | 0755);
	if (!ret)
		ret = dir_add(d, "..", S_IFDIR | 0755);
	if (ret)
		return ret;
	if (!nd->ctl)
		return node_list_extra(d->dir, dir_add, d);
	ret = cpuhp_ctl_readdir(d->fs->hp, nd->ctl, dir_add, d);
	/* A directory of the mount's own (cpuidle, cache...) is not the library's. */
	if (ret == -ENOENT || ret == -ENOTDIR)
		ret = 0;
	return ret ? ret : sysfs_extra_readdir(d->fs->hp, nd->ctl, dir_add, d);
}

static void op_opendir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct mount_fs *fs = fuse_req_userdata(req);
	struct dirbuf d = { .req = req, .fs = fs, .dir = node_ino_path(&fs->nodes, ino) };
	struct node nd = node_resolve_ino(&fs->nodes, ino);
	struct handle *h;
	int ret;

	if (nd.kind != NODE_DIR) {
		fuse_reply_err(req, nd.kind == NODE_NONE ? ENOENT : ENOTDIR);
		return;
	}
	ret = list_dir(&d, &nd);
	h = ret ? NULL : handle_new(fs, NODE_DIR);
	if (!h) {
		free(d.buf);
		fuse_reply_err(req, ret ? -ret : ENOMEM);
		return;
	}
	h->text = d.buf;
	h->len = d.len;
	fi->fh = (uintptr_t)h;
	fuse_reply_open(req, fi);
}

static struct handle *fh_of(const struct fuse_file_info *fi)
{
	return (struct handle *)(uintptr_t)fi->fh;
}

/* Reply with the part of @text at @off, at most @size bytes. */
static void reply_slice(fuse_req_t req, const char *text, size_t len, off_t off,
			size_t size)
{
	if (off < 0 || (size_t)off >= len) {
		fuse_reply_buf(req, NULL, 0);
		return;
	}
	len -= (size_t)off;
	fuse_reply_buf(req, text + off, len < size ? len : size);
}

/* A slice may cut an entry: the kernel drops the partial one and asks again. */
static void op_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		       struct fuse_file_info *fi)
{
	struct handle *h = fh_of(fi);

	(void)ino;
	reply_slice(req, h->text, h->len, off, size);
}

static void op_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	(void)ino;
	handle_free(fuse_req_userdata(req), fh_of(fi));
	fuse_reply_err(req, 0);
}

/* ------------------------------------------------------------------ files */

/*
 * sysfs and tracefs refuse at open(2) what the file cannot do (kernfs:
 * EACCES), even for root, whom the permission bits alone would let through.
 */
static bool access_ok(int flags, mode_t mode)
{
	int acc = flags & O_ACCMODE;

	if ((acc == O_WRONLY || acc == O_RDWR) && !(mode & 0222))
		return false;
	return !((acc == O_RDONLY || acc == O_RDWR) && !(mode & 0444));
}

static void op_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct mount_fs *fs = fuse_req_userdata(req);
	struct node nd = node_resolve_ino(&fs->nodes, ino);
	struct handle *h;

	if (nd.kind == NODE_NONE || nd.kind == NODE_DIR) {
		fuse_reply_err(req, nd.kind == NODE_NONE ? ENOENT : EISDIR);
		return;
	}
	if (!access_ok(fi->flags, nd.mode)) {
		fuse_reply_err(req, EACCES);
		return;
	}
	h = handle_new(fs, nd.kind);
	if (!h) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	h->nonblock = fi->flags & O_NONBLOCK;
	if (nd.kind == NODE_TRACE && (fi->flags & O_TRUNC))
		trace_ring_clear(&fs->ring);
	/* The text is made at read time; the page cache must not keep it. */
	fi->direct_io = 1;
	/* Stores are done by write(2) itself: close(2) has nothing to flush. */
	fi->noflush = 1;
	fi->nonseekable = nd.kind == NODE_TRACE_PIPE;
	fi->fh = (uintptr_t)h;
	fuse_reply_open(req, fi);
}

static void read_ctl(fuse_req_t req, struct mount_fs *fs, fuse_ino_t ino,
		     struct handle *h, size_t size, off_t off)
{
	ssize_t n;

	/* Like sysfs: the text is made anew by a read at offset 0. */
	if (off == 0 || !h->text) {
		char *text = NULL;
		struct node nd = node_resolve_ino(&fs->nodes, ino);

		if (!nd.ctl)
			n = -ENOENT;
		else if (h->kind == NODE_SYSFS)
			n = sysfs_extra_read(fs->hp, nd.ctl, &text);
		else
			n = ctl_read_text(fs->hp, nd.ctl, &text);
		if (n < 0) {
			fuse_reply_err(req, (int)-n);
			return;
		}
		free(h->text);
		h->text = text;
		h->len = (size_t)n;
	}
	reply_slice(req, h->text, h->len, off, size);
}

static void pipe_interrupted(fuse_req_t req, void *data)
{
	struct mount_fs *fs = data;
	struct pending **pp, *p;

	for (pp = &fs->pending; (p = *pp); pp = &p->next) {
		if (p->req == req) {
			*pp = p->next;
			free(p);
			fuse_reply_err(req, EINTR);
			return;
		}
	}
}

/* Answer blocked trace_pipe readers while there is text (loop thread). */
static void feed_pending(struct mount_fs *fs)
{
	while (fs->pending) {
		struct pending *p = fs->pending;
		char *buf = malloc(p->size);
		size_t n;

		if (!buf)
			return;
		n = trace_ring_take(&fs->ring, buf, p->size);
		if (n) {
			fs->pending = p->next;
			fuse_reply_buf(p->req, buf, n);
			free(p);
		}
		free(buf);
		if (!n)
			return;
	}
}

static void read_pipe(fuse_req_t req, struct mount_fs *fs, struct handle *h, size_t size)
{
	struct pending *p, **pp;
	char *buf = malloc(size ? size : 1);
	size_t n;

	if (!buf) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	n = trace_ring_take(&fs->ring, buf, size);
	if (n || !size || h->nonblock) {
		if (n || !size)
			fuse_reply_buf(req, buf, n);
		else
			fuse_reply_err(req, EAGAIN);
		free(buf);
		return;
	}
	free(buf);
	/*
	 * Single-threaded loop: an interrupt for this request either came
	 * before it (flag already set) or will be handled later by this
	 * thread through pipe_interrupted().
	 */
	p = fuse_req_interrupted(req) ? NULL : malloc(sizeof(*p));
	if (!p) {
		fuse_reply_err(req, fuse_req_interrupted(req) ? EINTR : ENOMEM);
		return;
	}
	p->req = req;
	p->size = size;
	p->next = NULL;
	for (pp = &fs->pending; *pp; pp = &(*pp)->next)
		;
	*pp = p;
	fuse_req_interrupt_func(req, pipe_interrupted, fs);
}

static void op_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	struct mount_fs *fs = fuse_req_userdata(req);
	struct handle *h = fh_of(fi);

	switch (h->kind) {
	case NODE_CTL:
	case NODE_SYSFS:
		read_ctl(req, fs, ino, h, size, off);
		return;
	case NODE_TRACE:
	case NODE_CPUINFO:
		if (off == 0 || !h->text) {
			free(h->text);
			h->text = h->kind == NODE_TRACE ?
					  trace_ring_snapshot(&fs->ring,
							      cpuhp_num_online(fs->hp),
							      &h->len) :
					  mount_cpuinfo_text(fs->hp, &h->len);
			if (!h->text) {
				fuse_reply_err(req, ENOMEM);
				return;
			}
		}
		reply_slice(req, h->text, h->len, off, size);
		return;
	case NODE_TRACE_PIPE:
		/* O_NONBLOCK may have been set with fcntl() since the open. */
		h->nonblock = fi->flags & O_NONBLOCK;
		read_pipe(req, fs, h, size);
		return;
	default:
		fuse_reply_err(req, EISDIR);
	}
}

/*
 * One write(2) is one store, whatever the offset (sysfs ignores it); the
 * value is cut to a page as sysfs does, and the writer then sees a short
 * write.  The store's error is the writer's errno.
 */
static void op_write(fuse_req_t req, fuse_ino_t ino, const char *buf, size_t size,
		     off_t off, struct fuse_file_info *fi)
{
	struct mount_fs *fs = fuse_req_userdata(req);
	struct handle *h = fh_of(fi);
	struct node nd;
	char value[SYSFS_WRITE_MAX + 1];
	int ret;

	(void)off;
	if (h->kind != NODE_CTL || !size) {
		fuse_reply_write(req, size); /* tracefs "trace": accepted, ignored */
		return;
	}
	if (size > SYSFS_WRITE_MAX)
		size = SYSFS_WRITE_MAX;
	memcpy(value, buf, size);
	value[size] = '\0';
	nd = node_resolve_ino(&fs->nodes, ino);
	ret = nd.ctl ? cpuhp_ctl_write(fs->hp, nd.ctl, value) : -ENOENT;
	if (ret)
		fuse_reply_err(req, -ret);
	else
		fuse_reply_write(req, size);
	feed_pending(fs);
}

/*
 * The name space is the kernel's: sysfs directories have no create, so the
 * VFS answers EACCES; the other changes fail with EPERM.
 */
static void op_create(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
		      struct fuse_file_info *fi)
{
	(void)parent;
	(void)name;
	(void)mode;
	(void)fi;
	fuse_reply_err(req, EACCES);
}

static void op_mknod(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
		     dev_t rdev)
{
	(void)parent;
	(void)name;
	(void)mode;
	(void)rdev;
	fuse_reply_err(req, EACCES);
}

static void op_mkdir(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode)
{
	(void)parent;
	(void)name;
	(void)mode;
	fuse_reply_err(req, EPERM);
}

static void op_unlink(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	(void)parent;
	(void)name;
	fuse_reply_err(req, EPERM);
}

static void op_rename(fuse_req_t req, fuse_ino_t parent, const char *name,
		      fuse_ino_t newparent, const char *newname, unsigned int flags)
{
	(void)parent;
	(void)name;
	(void)newparent;
	(void)newname;
	(void)flags;
	fuse_reply_err(req, EPERM);
}

const struct fuse_lowlevel_ops mount_fs_ops = {
	.create = op_create,
	.mknod = op_mknod,
	.mkdir = op_mkdir,
	.unlink = op_unlink,
	.rmdir = op_unlink,
	.rename = op_rename,
	.lookup = op_lookup,
	.getattr = op_getattr,
	.readlink = op_readlink,
	.setattr = op_setattr,
	.opendir = op_opendir,
	.readdir = op_readdir,
	.releasedir = op_release,
	.open = op_open,
	.read = op_read,
	.write = op_write,
	.release = op_release,
};

/* ---------------------------------------------------------- life cycle */

/* From the emitting thread ("cpuhp/N" or the loop thread), maybe atomic. */
static void trace_sink(void *data, const struct cpuhp_trace_event *ev)
{
	struct mount_fs *fs = data;
	char line[512];
	int n = cpuhp_trace_format(ev, line, sizeof(line));

	if (n <= 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	trace_ring_add(&fs->ring, line, (size_t)n);
	if (fs->trace_file)
		fputs(line, fs->trace_file);
	if (fs->tap)
		fs->tap(fs->tap_data, ev->ts_ns, line);
}

void mount_fs_set_tap(struct mount_fs *fs, mount_tap_fn fn, void *data)
{
	fs->tap = fn;
	fs->tap_data = data;
}

struct mount_fs *mount_fs_new(struct cpuhp *hp, enum mount_layout layout,
			      FILE *trace_file)
{
	struct mount_fs *fs = calloc(1, sizeof(*fs));

	if (!fs)
		return NULL;
	if (trace_ring_init(&fs->ring, TRACE_RING_SIZE)) {
		free(fs);
		return NULL;
	}
	fs->hp = hp;
	fs->trace_file = trace_file;
	if (node_table_init(&fs->nodes, hp, layout)) {
		mount_fs_free(fs);
		return NULL;
	}
	cpuhp_trace_set_fn(hp, trace_sink, fs);
	return fs;
}

void mount_fs_stop(struct mount_fs *fs)
{
	while (fs->pending) {
		struct pending *p = fs->pending;

		fs->pending = p->next;
		fuse_reply_buf(p->req, NULL, 0);
		free(p);
	}
}

void mount_fs_free(struct mount_fs *fs)
{
	if (!fs)
		return;
	mount_fs_stop(fs);
	while (fs->handles)
		handle_free(fs, fs->handles);
	cpuhp_trace_set_fn(fs->hp, NULL, NULL);
	node_table_destroy(&fs->nodes);
	trace_ring_destroy(&fs->ring);
	free(fs);
}

struct fuse_session *mount_session_new(struct mount_fs *fs, bool allow_other)
{
	/* fuse_args wants writable strings. */
	static char prog[] = "cpuhpctl", o[] = "-o",
		    opts[] = "fsname=cpuhp,subtype=cpuhp,default_permissions",
		    opts_all[] =
			    "fsname=cpuhp,subtype=cpuhp,default_permissions,allow_other";
	char *argv[] = { prog, o, allow_other ? opts_all : opts, NULL };
	struct fuse_args args = FUSE_ARGS_INIT(3, argv);
	struct fuse_session *se;

	se = fuse_session_new(&args, &mount_fs_ops, sizeof(mount_fs_ops), fs);
	fuse_opt_free_args(&args);
	return se;
}
