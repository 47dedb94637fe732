// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * kernel-cpio.c - a "newc" cpio archive, the format the kernel unpacks as
 * its initramfs: per entry a 110-byte ASCII header ("070701" and 13 fields
 * of 8 hex digits), the name with its NUL, padding to 4 bytes, the data,
 * padding to 4 bytes; the entry "TRAILER!!!" ends the archive.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kernel.h"

struct cpio {
	FILE *f;
	unsigned int ino;
	int err;
};

struct cpio *cpio_open(const char *path)
{
	struct cpio *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->f = fopen(path, "w");
	if (!c->f) {
		free(c);
		return NULL;
	}
	c->ino = 1;
	return c;
}

static void pad4(struct cpio *c)
{
	static const char zeros[4];
	long pos = ftell(c->f);

	if (pos > 0 && pos % 4)
		fwrite(zeros, 1, (size_t)(4 - pos % 4), c->f);
}

static int entry_dev(struct cpio *c, const char *name, unsigned int mode,
		     const void *data, size_t len, unsigned int rmaj, unsigned int rmin)
{
	size_t namesize = strlen(name) + 1;

	/* magic ino mode uid gid nlink mtime filesize devmaj devmin rdevmaj rdevmin namesize check */
	fprintf(c->f, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		c->ino++, mode, 0u, 0u, (mode & S_IFDIR) ? 2u : 1u, 0u, (unsigned int)len,
		0u, 0u, rmaj, rmin, (unsigned int)namesize, 0u);
	fwrite(name, 1, namesize, c->f);
	pad4(c);
	if (len)
		fwrite(data, 1, len, c->f);
	pad4(c);
	if (ferror(c->f))
		c->err = -EIO;
	return c->err;
}

static int entry(struct cpio *c, const char *name, unsigned int mode, const void *data,
		 size_t len)
{
	return entry_dev(c, name, mode, data, len, 0, 0);
}

int cpio_chardev(struct cpio *c, const char *name, unsigned int major, unsigned int minor)
{
	return entry_dev(c, name, S_IFCHR | 0600, NULL, 0, major, minor);
}

int cpio_dir(struct cpio *c, const char *name)
{
	return entry(c, name, S_IFDIR | 0755, NULL, 0);
}

int cpio_file(struct cpio *c, const char *name, unsigned int mode, const void *data,
	      size_t len)
{
	return entry(c, name, S_IFREG | mode, data, len);
}

/* Copy the file @src into the archive as @name. */
int cpio_copy(struct cpio *c, const char *name, unsigned int mode, const char *src)
{
	struct stat st;
	char *buf;
	int fd = open(src, O_RDONLY | O_CLOEXEC), err = 0;
	size_t got = 0;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || !(buf = malloc((size_t)st.st_size + 1))) {
		close(fd);
		return -ENOMEM;
	}
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);

		if (n <= 0) {
			err = n < 0 ? -errno : -EIO;
			break;
		}
		got += (size_t)n;
	}
	close(fd);
	if (!err)
		err = cpio_file(c, name, mode, buf, got);
	free(buf);
	return err;
}

int cpio_close(struct cpio *c)
{
	int err;

	entry(c, "TRAILER!!!", 0, NULL, 0);
	err = c->err;
	if (fclose(c->f) && !err)
		err = -EIO;
	free(c);
	return err;
}
