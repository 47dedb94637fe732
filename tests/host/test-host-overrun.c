// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-host-overrun.c - ENOBUFS on the real uevent socket: with the event
 * thread held and the receive buffer shrunk, real kernel uevents ("change"
 * written to cpu0/uevent) overflow it; the backend must count the overrun,
 * rescan, and change nothing on a fixture host that did not change.
 * White-box (holds the backend's op_lock).  Needs root and a writable
 * /sys: skipped otherwise.  The machine's CPUs come from a fixture, so the
 * real CPUs are never touched.
 */
#include <fcntl.h>
#include <sys/socket.h>

#include "exec/exec.h"
#include "host-fixture.h"

#include "host/host.h"

#define UEVENT_FILE "/sys/devices/system/cpu/cpu0/uevent"

int main(void)
{
	struct cpuhp_host_stats before, after;
	struct cpuhp_config cfg;
	struct fixture fx;
	char aff[300];
	int small = 1, i, fd, wrote = 0;

	if (geteuid() != 0 || access(UEVENT_FILE, W_OK)) {
		printf("1..0 # SKIP needs root and a writable %s\n", UEVENT_FILE);
		return 77;
	}
	strcpy(fx.dir, "/tmp/cpuhp-overrun-XXXXXX");
	if (!mkdtemp(fx.dir))
		return 1;
	fx_write(&fx, "possible", "0-3\n");
	fx_write(&fx, "present", "0-3\n");
	fx_write(&fx, "online", "0-3\n");
	fx_write(&fx, "affinity", "0-3\n");
	snprintf(aff, sizeof(aff), "%s/affinity", fx.dir);
	cpuhp_config_init(&cfg);
	cfg.backend = "linux";
	cfg.host_sysfs_root = fx.dir;
	cfg.host_affinity = aff;
	cfg.host_cpuset = "";
	cfg.host_poll_ms = 3600 * 1000;
	cfg.log_fn = ulog_hook;
	if (cpuhp_new(&cfg, &fx.hp)) {
		fx_remove(&fx);
		return 1;
	}
	if (fx.hp->host->ufd < 0) {
		printf("1..0 # SKIP no uevent socket here\n");
		cpuhp_free(fx.hp);
		fx_remove(&fx);
		return 77;
	}
	cpuhp_host_get_stats(fx.hp, &before);
	pthread_mutex_lock(
		&fx.hp->host->op_lock); /* the event thread stops at its first message */
	setsockopt(fx.hp->host->ufd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
	for (i = 0; i < 64; i++) {
		fd = open(UEVENT_FILE, O_WRONLY);
		if (fd >= 0) {
			wrote += write(fd, "change", 6) == 6;
			close(fd);
		}
	}
	pthread_mutex_unlock(&fx.hp->host->op_lock);
	if (!wrote) {
		printf("1..0 # SKIP cannot generate uevents\n");
		cpuhp_free(fx.hp);
		fx_remove(&fx);
		return 77;
	}
	for (i = 0; i < 600; i++) { /* bounded wait, not a timing check */
		cpuhp_host_get_stats(fx.hp, &after);
		if (after.overruns > before.overruns && after.rescans > before.rescans)
			break;
		usleep(10000);
	}
	ok(after.overruns > before.overruns, "ENOBUFS counted (%lu)", after.overruns);
	ok(after.rescans > before.rescans, "and a rescan followed");
	ok(ulog_has("overrun (ENOBUFS)"), "logged");
	is_int(cpuhp_num_online(fx.hp), 4, "nothing changed on the unchanged host");
	is_int(cpuhp_warn_count(fx.hp), 0, "no WARN");
	cpuhp_free(fx.hp);
	fx_remove(&fx);
	return done_testing();
}
