// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * explore-io.c - whole-buffer reads and writes on the pipes between explore
 * and its forked trials (cmd-explore.c, explore-targets.c).
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <unistd.h>

#include "explore-run.h"

/*
 * Moves all @len bytes through the pipe (write() if @out, read() otherwise),
 * across short transfers and EINTR.  False on an error or end of file: the
 * other side is gone.
 */
static bool xfer_all(int fd, char *p, size_t len, bool out)
{
	while (len) {
		ssize_t n = out ? write(fd, p, len) : read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		len -= (size_t)n;
	}
	return true;
}

bool xwrite_all(int fd, const void *buf, size_t len)
{
	/* xfer_all() only reads through @p when @out is true. */
	return xfer_all(fd, (char *)buf, len, true);
}

bool xread_all(int fd, void *buf, size_t len)
{
	return xfer_all(fd, buf, len, false);
}
