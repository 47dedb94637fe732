// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * host-uevent.c - kernel uevents: the NETLINK_KOBJECT_UEVENT socket and a
 * strict parser of one message ("ACTION@DEVPATH\0KEY=VALUE\0...").  Anything
 * that is not a well-formed kernel uevent is refused, never half-used.
 */
#include <errno.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "host/host.h"

#define CPU_DEVPATH "/devices/system/cpu/cpu"
#define UEVENT_RCVBUF (1 << 20) /* asked for; the kernel may cap it at rmem_max */

/* "/devices/system/cpu/cpu12" -> 12; -1 for anything else (cpufreq, ...). */
static int devpath_cpu(const char *devpath)
{
	size_t n = strlen(CPU_DEVPATH);
	unsigned long v;
	char *end;

	if (strncmp(devpath, CPU_DEVPATH, n) || devpath[n] < '0' || devpath[n] > '9')
		return -1;
	v = strtoul(devpath + n, &end, 10);
	if (*end || v >= CPUHP_MAX_CPUS || (devpath[n] == '0' && devpath[n + 1]))
		return -1;
	return (int)v;
}

static int parse_seqnum(const char *s, uint64_t *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno || *end ? -EINVAL : 0;
}

/**
 * cpuhp__uevent_parse - parse one uevent datagram
 * @buf: the datagram
 * @len: its length
 * @ev:  receives the fields
 *
 * A kernel uevent is a header "ACTION@DEVPATH" and NUL-separated KEY=VALUE
 * pairs that include ACTION, DEVPATH, SUBSYSTEM and SEQNUM, the first two
 * matching the header.  udev's re-broadcasts ("libudev" magic) are refused.
 *
 * Return: 0 (ev->cpu_event says whether it concerns a CPU device), or
 *         -EINVAL for a malformed message.
 */
int cpuhp__uevent_parse(const char *buf, size_t len, struct host_uevent *ev)
{
	const char *action = NULL, *devpath = NULL, *subsys = NULL, *seq = NULL;
	const char *p = buf, *end = buf + len, *at;
	size_t hlen;

	memset(ev, 0, sizeof(*ev));
	ev->cpu = -1;
	if (!len || buf[len - 1] != '\0' || !(at = memchr(buf, '@', strnlen(buf, len))))
		return -EINVAL;
	hlen = strlen(buf);
	for (p = buf + hlen + 1; p < end; p += strlen(p) + 1) {
		if (!strncmp(p, "ACTION=", 7))
			action = p + 7;
		else if (!strncmp(p, "DEVPATH=", 8))
			devpath = p + 8;
		else if (!strncmp(p, "SUBSYSTEM=", 10))
			subsys = p + 10;
		else if (!strncmp(p, "SEQNUM=", 7))
			seq = p + 7;
	}
	if (!action || !devpath || !subsys || !seq || parse_seqnum(seq, &ev->seqnum))
		return -EINVAL;
	if ((size_t)(at - buf) != strlen(action) ||
	    strncmp(buf, action, (size_t)(at - buf)) || strcmp(at + 1, devpath) ||
	    strlen(action) >= sizeof(ev->action) || !action[0])
		return -EINVAL;
	strcpy(ev->action, action);
	if (!strcmp(subsys, "cpu")) {
		ev->cpu = devpath_cpu(devpath);
		ev->cpu_event = ev->cpu >= 0;
	}
	return 0;
}

/**
 * cpuhp__uevent_open - a socket receiving the kernel's uevents (group 1)
 *
 * Non-blocking, close-on-exec, with a receive buffer as large as the kernel
 * allows us (SO_RCVBUFFORCE needs CAP_NET_ADMIN; SO_RCVBUF is the fallback).
 *
 * Return: the descriptor, or a negative errno (e.g. -EPROTONOSUPPORT).
 */
int cpuhp__uevent_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = 1 };
	int size = UEVENT_RCVBUF;
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
			NETLINK_KOBJECT_UEVENT);

	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}
