// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-footprint.c - struct cpuhp_config.thread_stack_size sets the stack
 * of the cpuhp/N threads (rounded up to whole pages), and the default is
 * small (at most 256 KiB, the sanitizer builds' default).
 */
#include <limits.h>
#include <stdint.h>
#include <unistd.h>

#include "unit-common.h"

static size_t seen[4];

static int probe(struct cpuhp *hp, unsigned int cpu, void *data)
{
	pthread_attr_t attr;
	size_t size = 0;

	(void)hp;
	(void)data;
	if (!pthread_getattr_np(pthread_self(), &attr)) {
		pthread_attr_getstacksize(&attr, &size);
		pthread_attr_destroy(&attr);
	}
	if (cpu < 4)
		seen[cpu] = size;
	return 0;
}

static size_t stack_of_cpu1(size_t configured)
{
	struct cpuhp_config cfg;
	struct cpuhp *hp;
	size_t got;

	cpuhp_config_init(&cfg);
	cfg.nr_possible = 2;
	cfg.thread_stack_size = configured;
	if (cpuhp_new(&cfg, &hp))
		bail_out("cpuhp_new");
	seen[1] = 0;
	if (cpuhp_setup_state(hp, cpuhp_state_of(hp, CPUHP_AP_ONLINE_DYN), "t:stack",
			      probe, NULL, NULL) <= 0)
		bail_out("setup_state");
	got = seen[1];
	cpuhp_free(hp);
	return got;
}

int main(void)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE),
	       want = (300000 + page - 1) / page * page;
	size_t def;

	plan_no_plan();
	/* Default first: glibc reuses a freed thread's larger cached stack. */
	def = stack_of_cpu1(0);
	ok(def > 0 && def <= 256 * 1024, "the default stack is small (%zu bytes)", def);
	is_int((long long)stack_of_cpu1(300000), (long long)want,
	       "a configured stack of 300000 bytes is rounded up to whole pages");
	ok(stack_of_cpu1(1) >= (size_t)PTHREAD_STACK_MIN,
	   "a tiny size gets PTHREAD_STACK_MIN");
	return done_testing();
}
