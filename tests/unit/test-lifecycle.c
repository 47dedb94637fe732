// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-lifecycle.c - creating and freeing many machines (8 and 64 CPUs):
 * no leak (ASan/LSan), no hang, and cpuhp_free() taking every non-boot CPU
 * down through the normal path so users' teardowns run exactly once per
 * online non-boot CPU and never for the boot CPU.
 *
 * Spec: 3.13 (boot brings every present CPU up); cpuhp.h cpuhp_free():
 * "Runs the teardown callbacks of every online CPU except the boot CPU".
 */
#include <stdatomic.h>

#include "unit-common.h"

#define MAX_CPUS 64

struct counts {
	atomic_int up[MAX_CPUS];
	atomic_int down[MAX_CPUS];
};

static int count_up(struct cpuhp *hp, unsigned int cpu, void *data)
{
	struct counts *c = data;

	(void)hp;
	atomic_fetch_add(&c->up[cpu], 1);
	return 0;
}

static int count_down(struct cpuhp *hp, unsigned int cpu, void *data)
{
	struct counts *c = data;

	(void)hp;
	atomic_fetch_add(&c->down[cpu], 1);
	return 0;
}

/* One machine: boot, register, one down/up cycle, free; check the counts. */
static bool one(unsigned int ncpus, unsigned int offline_cpu)
{
	static struct counts on, prep;
	struct cpuhp *hp = machine_ex(ncpus, 0, 1, NULL, NULL);
	unsigned int cpu;
	bool good = true;

	memset(&on, 0, sizeof(on));
	memset(&prep, 0, sizeof(prep));
	if (cpuhp_setup_state(hp, cpuhp_state_of(hp, CPUHP_AP_ONLINE_DYN), "t:on",
			      count_up, count_down, &on) <= 0 ||
	    cpuhp_setup_state(hp, cpuhp_state_of(hp, CPUHP_BP_PREPARE_DYN), "t:prep",
			      count_up, count_down, &prep) <= 0)
		return false;
	/* A CPU taken down before free is not torn down again by free. */
	if (offline_cpu &&
	    cpuhp_cpu_down(hp, offline_cpu, cpuhp_state_of(hp, CPUHP_OFFLINE)))
		return false;
	if (cpuhp_num_online(hp) != ncpus - (offline_cpu ? 1 : 0))
		return false;
	cpuhp_free(hp);
	for (cpu = 0; cpu < ncpus; cpu++) {
		int want = cpu ? 1 : 0;

		/* Registration started every CPU once; each went down once. */
		good = good && atomic_load(&on.up[cpu]) == 1 &&
		       atomic_load(&prep.up[cpu]) == 1;
		good = good && atomic_load(&on.down[cpu]) == want &&
		       atomic_load(&prep.down[cpu]) == want;
	}
	return good;
}

int main(void)
{
	unsigned int i, bad = 0, ncpus;

	plan_no_plan();
	for (i = 0; i < 50; i++) {
		ncpus = i % 10 == 9 ? 64 : 8;
		if (!one(ncpus, i % 3 ? 0 : 1 + i % (ncpus - 1))) {
			diag("machine %u (%u CPUs): wrong teardown counts at free", i,
			     ncpus);
			bad++;
		}
	}
	is_int(bad, 0, "50 machines: teardowns run exactly once per non-boot CPU");
	is_int(one(64, 0), 1, "64 CPUs, all online at free");
	is_int(one(8, 7), 1, "8 CPUs, the last one offline at free");

	/*
	 * Machines whose boot left CPUs down or half up are freed cleanly too
	 * (LSan checks the leaks).  Expected online counts: maxcpus=3 -> 3
	 * (3.13); nosmt -> the 4 primaries (7.3); nosmt with HOTPLUG_CPU=n ->
	 * all 8, the siblings stay online (7.5).
	 */
	for (i = 0, bad = 0; i < 20; i++) {
		bool nosmt = i % 2, nohp = i % 4 == 1;
		struct cpuhp *hp = machine_ex(8, 0, 2, nosmt ? "nosmt" : "maxcpus=3",
					      nohp ? "HOTPLUG_CPU=n" : NULL);
		unsigned int want = !nosmt ? 3 : nohp ? 8 : 4;

		if (cpuhp_num_online(hp) != want) {
			diag("machine %u: %u online, want %u", i, cpuhp_num_online(hp),
			     want);
			bad++;
		}
		cpuhp_free(hp);
	}
	is_int(bad, 0,
	       "20 machines with maxcpus / nosmt / HOTPLUG_CPU=n booted as specified");
	cpuhp_free(NULL); /* documented no-op */
	return done_testing();
}
