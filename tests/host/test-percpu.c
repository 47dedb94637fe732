// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-percpu.c - <cpuhp/percpu.h>: storage sized by the possible CPUs (not
 * the online ones), cache-line separated and zeroed; online iteration that
 * follows cpu up/down; the current CPU agrees with sched_getcpu() on a
 * pinned thread.
 */
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cpuhp/cpuhp.h>

#include "tap.h"

static void test_alloc(struct cpuhp *hp)
{
	struct cpuhp_percpu *pc = cpuhp_percpu_alloc(hp, 10);
	unsigned int cpu;
	bool zero = true;

	ok(pc != NULL, "alloc");
	is_int(pc->nr, 6, "one object per possible CPU, offline ones included");
	is_int(pc->stride, 64, "10 bytes rounded to a cache line");
	for (cpu = 0; cpu < pc->nr; cpu++) {
		unsigned char *p = cpuhp_per_cpu_ptr(pc, cpu);

		zero &= p[0] == 0 && p[9] == 0;
		memset(p, 0xff, 10);
	}
	ok(zero, "zeroed");
	ok(((uintptr_t)cpuhp_per_cpu_ptr(pc, 1) & 63) == 0, "aligned to 64");
	cpuhp_percpu_free(pc);
	ok(cpuhp_percpu_alloc(hp, 0) == NULL, "size 0 refused");
	ok(cpuhp_percpu_alloc(hp, SIZE_MAX / 2) == NULL, "huge size refused");
	cpuhp_percpu_free(NULL);
}

static void test_iterate(struct cpuhp *hp)
{
	char seen[64] = "";
	int cpu;

	is_int(cpuhp_cpu_down(hp, 2, cpuhp_state_of(hp, CPUHP_OFFLINE)), 0, "CPU 2 down");
	cpuhp_cpus_read_lock(hp);
	cpuhp_for_each_online_cpu(hp, cpu)
		snprintf(seen + strlen(seen), sizeof(seen) - strlen(seen), "%d,", cpu);
	cpuhp_cpus_read_unlock(hp);
	is_str(seen, "0,1,3,", "online CPUs of 6 possible, 4 present, CPU 2 down");
	is_int(cpuhp_next_online(hp, 3), -1, "nothing after the last");
}

static void test_current(void)
{
	cpu_set_t set;
	int cpu = sched_getcpu();
	const char *src = cpuhp_current_cpu_source();

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	ok(sched_setaffinity(0, sizeof(set), &set) == 0, "pinned to CPU %d", cpu);
	is_int(cpuhp_current_cpu(), sched_getcpu(), "current CPU (%s)", src);
	ok(!strcmp(src, "rseq") || !strcmp(src, "sched_getcpu"), "source named");
	note("current CPU comes from %s", src);
}

int main(void)
{
	struct cpuhp_config cfg;
	struct cpuhp *hp;

	cpuhp_config_init(&cfg);
	cfg.nr_possible = 6;
	cfg.nr_present = 4;
	if (cpuhp_new(&cfg, &hp))
		return 1;
	test_alloc(hp);
	test_iterate(hp);
	test_current();
	cpuhp_free(hp);
	return done_testing();
}
