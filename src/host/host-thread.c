// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * host-thread.c - the linux backend's event thread "cpuhp/host": waits for
 * uevents (or the poll interval), checks SEQNUM continuity, and hands each
 * change to host.c.  A lost message (ENOBUFS, a SEQNUM gap) is never
 * guessed at: it costs a full rescan.
 */
#include <errno.h>
#include <linux/netlink.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cpuhp/host.h>

#include "base/clock.h"
#include "host/host.h"
#include "machine/log.h"

#define UEVENT_MAX 8192 /* the kernel's UEVENT_BUFFER_SIZE is 2048 */

static bool cpu_action(const char *a)
{
	return !strcmp(a, "online") || !strcmp(a, "offline") || !strcmp(a, "add") ||
	       !strcmp(a, "remove");
}

static void malformed(struct cpuhp_host *h, size_t len, uint64_t recv_ns)
{
	struct cpuhp_host_event ev = { .kind = CPUHP_HOST_EV_MALFORMED,
				       .action = "malformed",
				       .cpu = -1,
				       .recv_ns = recv_ns };

	cpuhp_err(h->hp, "host: malformed uevent (%zu bytes) ignored", len);
	cpuhp__host_count(h, &h->stats.malformed);
	cpuhp__host_emit(h, &ev);
}

/* One datagram; op_lock held. */
static void handle_message(struct cpuhp_host *h, const char *buf, size_t len,
			   uint64_t recv_ns)
{
	struct host_uevent ev;
	bool gap;

	if (cpuhp__uevent_parse(buf, len, &ev)) {
		malformed(h, len, recv_ns);
		return;
	}
	/* SEQNUM counts every kernel uevent: a jump means we lost some. */
	gap = h->have_seq && ev.seqnum != h->stats.last_seqnum + 1;
	pthread_mutex_lock(&h->info_lock);
	h->stats.last_seqnum = ev.seqnum;
	if (gap)
		h->stats.gaps++;
	pthread_mutex_unlock(&h->info_lock);
	h->have_seq = true;
	if (gap) {
		cpuhp_info(h->hp, "host: uevent SEQNUM gap before %llu: rescanning",
			   (unsigned long long)ev.seqnum);
		cpuhp__host_rescan_locked(h, "gap", recv_ns);
		return;
	}
	if (!ev.cpu_event || !cpu_action(ev.action)) {
		cpuhp__host_count(h, &h->stats.ignored);
		return;
	}
	cpuhp__host_count(h, &h->stats.uevents);
	cpuhp__host_handle_cpu(h, &ev, recv_ns);
}

/* The receive buffer overflowed: events are lost, the SEQNUM chain too. */
static void overrun(struct cpuhp_host *h)
{
	cpuhp_err(h->hp, "host: uevent receive buffer overrun (ENOBUFS): rescanning");
	cpuhp__host_count(h, &h->stats.overruns);
	h->have_seq = false;
	cpuhp__host_rescan_locked(h, "overrun", cpuhp__now_ns());
}

/* Read every queued datagram.  Return false when the source is finished. */
static bool drain(struct cpuhp_host *h, char *buf)
{
	for (;;) {
		struct sockaddr_nl sa;
		struct iovec iov = { .iov_base = buf, .iov_len = UEVENT_MAX };
		struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
		ssize_t n;

		if (h->netlink) {
			msg.msg_name = &sa;
			msg.msg_namelen = sizeof(sa);
		}
		n = recvmsg(h->ufd, &msg, MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return true;
		pthread_mutex_lock(&h->op_lock);
		if (n < 0 && errno == ENOBUFS) {
			overrun(h);
		} else if (n <= 0) {
			pthread_mutex_unlock(&h->op_lock);
			cpuhp_err(h->hp, "host: uevent source closed (%s); polling only",
				  n ? cpuhp_strerror_name(errno) : "end of file");
			return false;
		} else if (h->netlink && sa.nl_pid != 0) {
			/* Only the kernel speaks on group 1; others are not trusted. */
			cpuhp__host_count(h, &h->stats.ignored);
		} else if (msg.msg_flags & MSG_TRUNC) {
			malformed(h, (size_t)n, cpuhp__now_ns());
		} else {
			handle_message(h, buf, (size_t)n, cpuhp__now_ns());
		}
		pthread_mutex_unlock(&h->op_lock);
	}
}

/**
 * cpuhp__host_thread - the event thread's body
 * @arg: the backend
 *
 * Return: NULL, when the stop pipe becomes readable.
 */
void *cpuhp__host_thread(void *arg)
{
	struct cpuhp_host *h = arg;
	char *buf = malloc(UEVENT_MAX);
	uint64_t period = (uint64_t)h->poll_ms * 1000000u;
	uint64_t next_poll = cpuhp__now_ns() + period;

	if (!buf)
		cpuhp_die(ENOMEM);
	pthread_setname_np(pthread_self(), "cpuhp/host");
	for (;;) {
		struct pollfd pfd[2] = { { .fd = h->stop_pipe[0], .events = POLLIN },
					 { .fd = h->ufd, .events = POLLIN } };
		uint64_t now = cpuhp__now_ns();
		int n;

		/*
		 * The poll runs on a fixed schedule, not after a quiet interval:
		 * a steady stream of other uevents must not starve it (affinity
		 * and cpuset changes have no uevent).
		 */
		if (now >= next_poll) {
			pthread_mutex_lock(&h->op_lock);
			cpuhp__host_rescan_locked(h, "poll", now);
			pthread_mutex_unlock(&h->op_lock);
			next_poll = cpuhp__now_ns() + period;
			continue;
		}
		n = poll(pfd, h->ufd >= 0 ? 2 : 1,
			 (int)((next_poll - now + 999999) / 1000000));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			cpuhp_die(errno);
		if (pfd[0].revents)
			break;
		if (n > 0 && pfd[1].revents && !drain(h, buf)) {
			close(h->ufd);
			h->ufd = -1;
		}
	}
	free(buf);
	return NULL;
}
