// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * boot-rule.c - what boot must have brought up (spec 3.13), noted for the
 * ledger, which reports it as a "boot" violation when it is switched on.
 *
 * Boot can only fail by a callback failing, and no fault can be armed
 * before the machine exists, so the count is exact: every kernel we model
 * brings up the first min(maxcpus, present) CPUs of its order (nosmp is
 * maxcpus=0, and the boot CPU is always up).  Mainline counts every CPU it
 * tries, 6.1 the CPUs online; without failures both give that number.  With
 * SMT off the siblings are tried (and counted by mainline) but stay down, so
 * only an upper bound and "no sibling online" hold.
 */
#include <stdio.h>

#include "walk/walk.h"

void cpuhp__boot_rule(struct cpuhp *hp)
{
	unsigned int cpu, present = hp->nr_present, online = cpuhp_num_online(hp), want;
	bool smt_on = cpuhp__smt_allows_all(hp);

	want = hp->max_cpus >= 0 && (unsigned int)hp->max_cpus < present ?
		       (unsigned int)hp->max_cpus :
		       present;
	if (!want)
		want = 1;
	hp->boot_note[0] = '\0';
	if (smt_on ? online != want : online > want) {
		snprintf(
			hp->boot_note, sizeof(hp->boot_note),
			"%u CPUs online after boot; %u present and maxcpus=%d bring up %s%u",
			online, present, hp->max_cpus, smt_on ? "" : "at most ", want);
		return;
	}
	/*
	 * Without HOTPLUG_CPU a sibling's aborted bring-up cannot be rolled
	 * back and leaves it in the online mask (rule no-hotplug-cpu, 7.5).
	 */
	for (cpu = 0; !smt_on && hp->declared.hotplug_cpu && cpu < hp->nr_possible; cpu++)
		if (cpuhp_cpu_online(hp, cpu) && !cpuhp__is_primary_thread(hp, cpu)) {
			snprintf(
				hp->boot_note, sizeof(hp->boot_note),
				"CPU %u, an SMT sibling, is online after boot with SMT off",
				cpu);
			return;
		}
}
