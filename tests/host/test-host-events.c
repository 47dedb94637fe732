// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-host-events.c - the linux backend against a fixture host: uevents
 * online/offline/add/remove, affinity and cpuset shrink/grow, SEQNUM gaps,
 * malformed messages, a failing startup retried on the next change.
 *
 * Expected behaviour is docs/host.md: a CPU is used by the machine iff it is
 * present, online and allowed; a uevent re-reads the host and brings only
 * its CPU in line; a gap rescans everything; startups run on cpuhp/N
 * (CPUHP_CTX_AP), teardowns of a gone CPU on the control thread
 * (CPUHP_CTX_CONTROL).
 */
#include <cpuhp/ledger.h>

#include "host-fixture.h"

static struct fixture fx;
static struct cpuhp *hp;

static bool used(unsigned int cpu)
{
	return cpuhp_cpu_online(hp, cpu);
}

/* Send @action for @cpu and wait until the event thread handled it. */
static void event(const char *action, int cpu)
{
	unsigned long n = events_seen();

	fx_uevent(&fx, action, "cpu", cpu, 0);
	ok(wait_events(n + 1), "%s cpu%d handled", action, cpu);
}

static void test_start(void)
{
	int state, mark = cbs_mark();
	unsigned int cpu;

	for (cpu = 0; cpu < 4; cpu++)
		ok(used(cpu), "start: CPU %u used", cpu);
	is_int(cpuhp_nr_possible(hp), 4, "start: possible from the fixture");
	state = cpuhp_setup_state(hp, cpuhp_state_of(hp, CPUHP_AP_ONLINE_DYN), "test:app",
				  app_up, app_down, NULL);
	ok(state > 0, "dynamic ONLINE state installed (%d)", state);
	for (cpu = 0; cpu < 4; cpu++)
		is_int(count_cbs(mark, cpu, true, CPUHP_CTX_AP), 1,
		       "setup: startup ran for CPU %u on its cpuhp thread", cpu);
}

static void test_offline_online(void)
{
	int mark = cbs_mark();

	fx_write(&fx, "online", "0-2\n");
	event("offline", 3);
	ok(!used(3), "offline: CPU 3 no longer used");
	is_int(count_cbs(mark, 3, false, CPUHP_CTX_CONTROL), 1,
	       "offline: teardown for CPU 3 ran on the control thread");
	is_int(cpuhp_cpu_state(hp, 3), cpuhp_state_of(hp, CPUHP_OFFLINE),
	       "offline: state 0");
	is_int(cpuhp_host_cpu_status(hp, 3) & (CPUHP_HOST_ONLINE | CPUHP_HOST_USED), 0,
	       "offline: status neither online nor used");

	mark = cbs_mark();
	fx_write(&fx, "online", "0-3\n");
	event("online", 3);
	ok(used(3), "online: CPU 3 used again");
	is_int(count_cbs(mark, 3, true, CPUHP_CTX_AP), 1,
	       "online: startup for CPU 3 ran on cpuhp/3");
	is_int(cbs_mark() - mark, 1, "online: no callback for other CPUs");
}

static void test_remove_add(void)
{
	int mark = cbs_mark();

	fx_write(&fx, "online", "0-2\n");
	event("offline", 3);
	fx_write(&fx, "present", "0-2\n");
	event("remove", 3);
	ok(!used(3) && !cpuhp_cpu_present(hp, 3), "remove: CPU 3 not present, not used");
	is_int(cpuhp_cpu_up(hp, 3, cpuhp_state_of(hp, CPUHP_ONLINE)), -EINVAL,
	       "remove: an absent CPU cannot be brought up");
	is_int(count_cbs(mark, 3, false, CPUHP_CTX_CONTROL), 1, "remove: one teardown");

	mark = cbs_mark();
	fx_write(&fx, "present", "0-3\n");
	event("add", 3); /* a hot-added CPU arrives offline */
	ok(!used(3) && cpuhp_cpu_present(hp, 3),
	   "add: CPU 3 present but still offline: unused");
	is_int(cpuhp_host_cpu_status(hp, 3), CPUHP_HOST_PRESENT | CPUHP_HOST_ALLOWED,
	       "add: status present+allowed");
	fx_write(&fx, "online", "0-3\n");
	event("online", 3);
	ok(used(3), "add+online: CPU 3 used");
	is_int(count_cbs(mark, 3, true, CPUHP_CTX_AP), 1, "add+online: one startup");
}

static void test_affinity(void)
{
	int mark = cbs_mark();

	fx_write(&fx, "affinity", "0-1,3\n");
	ok(used(2), "affinity shrink: nothing happens before a rescan (no uevent)");
	is_int(cpuhp_rescan(hp), 0, "affinity shrink: rescan");
	ok(!used(2), "affinity shrink: CPU 2 left the machine");
	is_int(count_cbs(mark, 2, false, CPUHP_CTX_CONTROL), 1,
	       "affinity shrink: teardown on the control thread");
	ok(cpuhp_host_cpu_status(hp, 2) & CPUHP_HOST_ONLINE,
	   "affinity shrink: still online");

	mark = cbs_mark();
	fx_write(&fx, "affinity", "0-3\n");
	is_int(cpuhp_rescan(hp), 0, "affinity grow: rescan");
	ok(used(2), "affinity grow: CPU 2 back");
	is_int(count_cbs(mark, 2, true, CPUHP_CTX_AP), 1,
	       "affinity grow: startup on cpuhp/2");

	fx_write(&fx, "cpuset", "0-2\n");
	is_int(cpuhp_rescan(hp), 0, "cpuset shrink: rescan");
	ok(!used(3) && used(2), "cpuset shrink: CPU 3 left, CPU 2 stays");
	fx_write(&fx, "cpuset", "0-3\n");
	is_int(cpuhp_rescan(hp), 0, "cpuset grow: rescan");
	ok(used(3), "cpuset grow: CPU 3 back");
	is_int(cbs_mark() - mark, 3,
	       "grow, cpuset shrink, grow: exactly three callbacks");
}

/* The boot CPU is not special on the host: it may leave too. */
static void test_cpu0_leaves(void)
{
	int mark = cbs_mark();

	fx_write(&fx, "affinity", "1-3\n");
	is_int(cpuhp_rescan(hp), 0, "CPU 0 leaves the affinity: rescan");
	ok(!used(0) && used(1) && used(2) && used(3), "CPU 0 unused, 1-3 used");
	is_int(count_cbs(mark, 0, false, CPUHP_CTX_CONTROL), 1,
	       "CPU 0's teardown on the control thread");
	fx_write(&fx, "affinity", "0-3\n");
	is_int(cpuhp_rescan(hp), 0, "CPU 0 back: rescan");
	ok(used(0), "CPU 0 used again");
	is_int(count_cbs(mark, 0, true, CPUHP_CTX_AP), 1, "CPU 0's startup on cpuhp/0");
}

static void test_gap(void)
{
	struct cpuhp_host_stats st;
	unsigned long n;

	/* Without a gap, an event brings only its own CPU in line. */
	fx_write(&fx, "online", "0-1\n");
	event("offline", 3);
	ok(!used(3) && used(2), "no gap: only the event's CPU changes");

	/* CPU 2's and 3's events are lost: the next SEQNUM jumps. */
	fx_write(&fx, "online", "0-3\n");
	n = events_seen();
	fx_uevent(&fx, "online", "cpu", 1, fx.seq + 3);
	ok(wait_events(n + 1), "gap: handled");
	ok(used(3) && used(2), "gap: the rescan brought CPUs 2 and 3 in line");
	cpuhp_host_get_stats(hp, &st);
	is_int(st.gaps, 1, "gap counted");
	is_int(st.last_seqnum, fx.seq, "last SEQNUM");
}

static void test_ignored_and_malformed(void)
{
	static const char bad_hdr[] =
		"offline@/devices/system/cpu/cpu2\0ACTION=online\0"
		"DEVPATH=/devices/system/cpu/cpu2\0SUBSYSTEM=cpu\0SEQNUM=9";
	static const char no_seq[] = "offline@/devices/system/cpu/cpu2\0ACTION=offline\0"
				     "DEVPATH=/devices/system/cpu/cpu2\0SUBSYSTEM=cpu";
	static const char bad_seq[] =
		"offline@/devices/system/cpu/cpu2\0ACTION=offline\0"
		"DEVPATH=/devices/system/cpu/cpu2\0SUBSYSTEM=cpu\0SEQNUM=12x";
	static const char no_nul[] = "offline@/devices/system/cpu/cpu2";
	struct cpuhp_host_stats before, after;
	int mark = cbs_mark();
	unsigned long n;

	cpuhp_host_get_stats(hp, &before);
	fx_write(&fx, "online",
		 "0-1,3\n"); /* CPU 2 really went: only a good event may act */
	n = events_seen();
	fx_send_raw(&fx, "garbage", 8);
	fx_send_raw(&fx, bad_hdr, sizeof(bad_hdr));
	fx_send_raw(&fx, no_seq, sizeof(no_seq));
	fx_send_raw(&fx, bad_seq, sizeof(bad_seq));
	fx_send_raw(&fx, no_nul, sizeof(no_nul) - 1);
	ok(wait_events(n + 5), "malformed: five messages handled");
	cpuhp_host_get_stats(hp, &after);
	is_int(after.malformed - before.malformed, 5, "malformed: five counted");
	ok(ulog_has("malformed uevent"), "malformed: logged");
	ok(used(2), "malformed: nothing changed");
	is_int(cbs_mark(), mark, "malformed: no callback ran");
	is_int(after.last_seqnum, before.last_seqnum,
	       "malformed: SEQNUM chain untouched");

	/* Well-formed but not ours: another subsystem, another action. */
	fx_uevent(&fx, "offline", "memory", 2, 0);
	fx_uevent(&fx, "change", "cpu", 2, 0);
	n = events_seen();
	fx_uevent(&fx, "offline", "cpu", 2, 0); /* the real one, right after */
	ok(wait_events(n + 1), "ignored: the next cpu event handled");
	cpuhp_host_get_stats(hp, &after);
	is_int(after.ignored - before.ignored, 2, "ignored: two messages");
	is_int(after.gaps, before.gaps, "ignored messages keep the SEQNUM chain");
	ok(!used(2), "the good event acted");
	fx_write(&fx, "online", "0-3\n");
	event("online", 2);
	ok(used(2), "CPU 2 back");
}

static void test_failing_startup(void)
{
	int mark;

	fx_write(&fx, "online", "0-2\n");
	event("offline", 3);
	pthread_mutex_lock(&rec_lock);
	fail_cpu = 3;
	pthread_mutex_unlock(&rec_lock);
	mark = cbs_mark();
	fx_write(&fx, "online", "0-3\n");
	event("online", 3);
	ok(!used(3), "failing startup: CPU 3 stays unused");
	is_int(cpuhp_cpu_state(hp, 3), cpuhp_state_of(hp, CPUHP_OFFLINE),
	       "failing startup: rolled back to offline");
	ok(cpuhp_host_cpu_status(hp, 3) & CPUHP_HOST_FAILED, "failing startup: reported");
	ok(ulog_has("CPU 3 could not be brought up"), "failing startup: logged");
	is_int(cbs_mark(), mark,
	       "failing startup: no teardown for a startup that failed");

	pthread_mutex_lock(&rec_lock);
	fail_cpu = -1;
	pthread_mutex_unlock(&rec_lock);
	is_int(cpuhp_rescan(hp), 0, "retry: rescan");
	ok(used(3), "retry: CPU 3 used now");
	ok(!(cpuhp_host_cpu_status(hp, 3) & CPUHP_HOST_FAILED), "retry: failure cleared");
}

/* A teardown of a gone CPU fails: rolled back up on the control thread, retried. */
static void test_failing_teardown(void)
{
	int mark = cbs_mark();

	pthread_mutex_lock(&rec_lock);
	fail_down_cpu = 3;
	pthread_mutex_unlock(&rec_lock);
	fx_write(&fx, "online", "0-2\n");
	event("offline", 3);
	ok(used(3), "failing teardown: CPU 3 still in the machine");
	/* spec 3.9: the rollback re-runs the startups *above* the failed state only. */
	is_int(cbs_mark(), mark,
	       "failing teardown: the failed state's startup is not re-run");
	ok(cpuhp_host_cpu_status(hp, 3) & CPUHP_HOST_FAILED,
	   "failing teardown: reported");
	ok(ulog_has("CPU 3 left the host but could not be taken down"),
	   "failing teardown: logged");
	mark = cbs_mark();
	is_int(cpuhp_rescan(hp), 0, "failing teardown: rescan retries");
	ok(!used(3), "failing teardown: CPU 3 down after the retry");
	is_int(count_cbs(mark, 3, false, CPUHP_CTX_CONTROL), 1,
	       "retry: teardown on the control thread");
	fx_write(&fx, "online", "0-3\n");
	event("online", 3);
	ok(used(3), "CPU 3 back");
}

static int hook_rescan_ret = 1;

static void rescan_hook(void *data, const struct cpuhp_host_event *ev)
{
	(void)ev;
	hook_rescan_ret = cpuhp_rescan(data);
	on_event(NULL, ev);
}

static int rescan_cb(struct cpuhp *m, unsigned int cpu, void *data)
{
	(void)cpu, (void)data;
	return cpuhp_rescan(m) == -EDEADLK ? 0 : -EINVAL;
}

/* cpuhp_rescan() where it would deadlock: refused, with a WARN each. */
static void test_rescan_refused(void)
{
	unsigned long n = events_seen(), warns = cpuhp_warn_count(hp);
	int state;

	cpuhp_host_set_event_fn(hp, rescan_hook, hp);
	fx_uevent(&fx, "online", "cpu", 1, 0);
	ok(wait_events(n + 1), "event with a rescanning hook handled");
	cpuhp_host_set_event_fn(hp, on_event, NULL);
	is_int(hook_rescan_ret, -EDEADLK, "cpuhp_rescan() from the event hook refused");
	state = cpuhp_setup_state(hp, cpuhp_state_of(hp, CPUHP_AP_ONLINE_DYN),
				  "test:rescan", rescan_cb, NULL, NULL);
	ok(state > 0, "cpuhp_rescan() from a callback refused (-EDEADLK on every CPU)");
	cpuhp_remove_state(hp, state);
	cpuhp_cpus_read_lock(hp);
	is_int(cpuhp_rescan(hp), -EDEADLK, "cpuhp_rescan() under the read lock refused");
	cpuhp_cpus_read_unlock(hp);
	is_int(cpuhp_warn_count(hp) - warns, 6,
	       "one WARN each (hook, 4 CPUs, read lock)");
}

static void test_bad_config(void)
{
	struct cpuhp_config cfg;
	struct cpuhp *m = NULL;

	cpuhp_config_init(&cfg);
	cfg.backend = "solaris";
	is_int(cpuhp_new(&cfg, &m), -EINVAL, "unknown backend refused");
	cfg.backend = "linux";
	cfg.host_sysfs_root = "/nonexistent/cpu";
	is_int(cpuhp_new(&cfg, &m), -ENOENT, "missing sysfs root refused");
	cfg.host_sysfs_root = fx.dir;
	cfg.host_uevent = "fd:x";
	cfg.host_affinity = "/nonexistent";
	ok(cpuhp_new(&cfg, &m) < 0, "bad affinity file refused");
	ok(m == NULL, "no machine on error");
}

int main(void)
{
	hp = fx_start(&fx, 3600 * 1000); /* no poll: every change below is explicit */
	test_start();
	test_offline_online();
	test_remove_add();
	test_affinity();
	test_cpu0_leaves();
	test_gap();
	test_ignored_and_malformed();
	test_failing_startup();
	test_failing_teardown();
	is_int(cpuhp_warn_count(hp), 0, "no WARN so far");
	/* The context checker (context.c) knows a gone CPU's walk runs on the control thread. */
	is_int(cpuhp_context_violations(hp), 0, "no context violation");
	test_rescan_refused();
	test_bad_config();
	fx_stop(&fx);
	return done_testing();
}
