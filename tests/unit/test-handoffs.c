// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-handoffs.c - hand-offs per operation are as designed
 * (docs/performance.md "Hand-offs"), counted by cpuhp_stats_get().
 *
 * Design, for the mainline model with every CPU having its thread:
 * - bring-up of one CPU from OFFLINE: 2 hand-offs (the kick that starts the
 *   AP's low-level boot with its STARTING section, then the whole ONLINE
 *   section's walk on the AP's thread);
 * - teardown of one CPU to OFFLINE: 2 (the ONLINE section's walk, then
 *   the stop-machine rendezvous, whose only participant is the outgoing
 *   CPU's thread: the others cannot run while the write lock is held, see
 *   src/exec/stop-machine.c), whatever the number of online CPUs;
 * - a walk that stays inside the ONLINE section: 1;
 * - cpuhp_setup_state() with an ONLINE (AP, not atomic) callback: one per
 *   online CPU; with a PREPARE callback: none (the control thread runs it);
 * - boot of N present CPUs: 2 per CPU but the boot CPU.
 * A hand-off wakes at most its worker and its waiter; the stop-machine
 * rendezvous and the dead CPU's report at most two more; the alive
 * handshake at most both sides once: wake-ups <= 2 * hand-offs + 4 per
 * operation.
 */
#include "unit-common.h"

static unsigned long long handoffs(struct cpuhp *hp, unsigned long long *wakeups)
{
	struct cpuhp_stats s;

	cpuhp_stats_get(hp, &s);
	if (wakeups)
		*wakeups = s.wakeups;
	cpuhp_stats_reset(hp);
	return s.handoffs;
}

static int nop(struct cpuhp *hp, unsigned int cpu, void *data)
{
	(void)hp;
	(void)cpu;
	(void)data;
	return 0;
}

int main(void)
{
	struct cpuhp *hp;
	unsigned long long w;
	int s_off, s_on, st;

	plan_no_plan();
	hp = machine_ex(8, 0, 1, NULL, NULL);
	s_off = cpuhp_state_of(hp, CPUHP_OFFLINE);
	s_on = cpuhp_state_of(hp, CPUHP_ONLINE);
	is_int(handoffs(hp, &w), 2 * 7,
	       "boot of 8 CPUs: 2 hand-offs for each non-boot CPU");
	ok(w <= 2 * 14 + 4 * 7, "boot wake-ups bounded (%llu)", w);

	is_int(cpuhp_cpu_down(hp, 3, s_off), 0, "CPU 3 down");
	is_int(handoffs(hp, &w), 2, "offline with 8 online: 1 walk + 1 stop-machine");
	ok(w <= 2 * 2 + 4, "offline wake-ups bounded (%llu)", w);
	is_int(cpuhp_cpu_up(hp, 3, s_on), 0, "CPU 3 up");
	is_int(handoffs(hp, &w), 2, "online: kick + ONLINE walk");
	ok(w <= 2 * 2 + 4, "online wake-ups bounded (%llu)", w);

	is_int(cpuhp_cpu_down(hp, 5, s_off), 0, "CPU 5 down");
	is_int(cpuhp_cpu_down(hp, 6, s_off), 0, "CPU 6 down");
	is_int(handoffs(hp, NULL), 2 + 2, "two offlines: 2 each, not one per online CPU");
	is_int(cpuhp_cpu_down(hp, 2, cpuhp_state_of(hp, CPUHP_AP_ONLINE_DYN)), 0,
	       "CPU 2 down to AP_ONLINE_DYN");
	is_int(handoffs(hp, NULL), 1, "a walk inside the ONLINE section: 1");
	is_int(cpuhp_cpu_up(hp, 2, s_on), 0, "CPU 2 back up");
	is_int(handoffs(hp, NULL), 1, "and back: 1");

	st = cpuhp_setup_state(hp, cpuhp_state_of(hp, CPUHP_AP_ONLINE_DYN), "t:on", nop,
			       nop, NULL);
	ok(st > 0, "ONLINE state registered");
	is_int(handoffs(hp, NULL), 6, "setup_state ONLINE: one per online CPU (6)");
	is_int(cpuhp_remove_state(hp, st), 0, "ONLINE state removed");
	is_int(handoffs(hp, NULL), 6, "remove_state ONLINE: one per online CPU (6)");
	st = cpuhp_setup_state(hp, cpuhp_state_of(hp, CPUHP_BP_PREPARE_DYN), "t:prep",
			       nop, nop, NULL);
	ok(st > 0, "PREPARE state registered");
	is_int(handoffs(hp, NULL), 0, "setup_state PREPARE: none");
	is_int(cpuhp_warn_count(hp), 0, "no WARN");
	cpuhp_free(hp);
	return done_testing();
}
