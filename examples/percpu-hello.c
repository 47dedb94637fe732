// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * percpu-hello.c - the README's example: per-CPU buffers that follow hotplug.
 *
 * A dynamic ONLINE state allocates a buffer when a CPU comes up and frees it
 * when the CPU goes down; setup runs the startup on every CPU already up.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <cpuhp/cpuhp.h>

static void *buf[CPUHP_MAX_CPUS];

static int buf_up(struct cpuhp *hp, unsigned int cpu, void *data)
{
	(void)hp;
	(void)data;
	buf[cpu] = malloc(4096);
	return buf[cpu] ? 0 : -ENOMEM;
}

static int buf_down(struct cpuhp *hp, unsigned int cpu, void *data)
{
	(void)hp;
	(void)data;
	free(buf[cpu]);
	buf[cpu] = NULL;
	return 0;
}

int main(void)
{
	struct cpuhp_config cfg;
	struct cpuhp *hp;
	int state, err;

	cpuhp_config_init(&cfg);
	cfg.nr_possible = 4;
	err = cpuhp_new(&cfg, &hp); /* boots CPUs 0-3 */
	if (err)
		return 1;
	state = cpuhp_setup_state(hp, cpuhp_state_of(hp, CPUHP_AP_ONLINE_DYN),
				  "example:online", buf_up, buf_down, NULL);
	printf("dynamic state %d, cpu2 buffer %s\n", state,
	       buf[2] ? "allocated" : "missing");
	err = cpuhp_cpu_down(hp, 2, CPUHP_OFFLINE); /* buf_down runs on cpuhp/2 */
	printf("cpu2 down: %d, buffer %s\n", err, buf[2] ? "allocated" : "freed");
	err = cpuhp_cpu_up(hp, 2, CPUHP_ONLINE);
	printf("cpu2 up: %d, buffer %s\n", err, buf[2] ? "allocated" : "missing");
	cpuhp_remove_state(hp, state); /* buf_down on every online CPU */
	cpuhp_free(hp);
	return 0;
}
