// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * mount-cpuinfo.c - the mount's proc/cpuinfo: what "lscpu --sysroot DIR"
 * needs of it, built from the control files at each open.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpuhp/cpuhp.h>

#include "cpuhpctl.h"
#include "mount.h"

/*
 * The x86 /proc/cpuinfo fields that describe topology, one block per online
 * CPU; the topology values are the control files' own.
 */
char *mount_cpuinfo_text(struct cpuhp *hp, size_t *len)
{
	unsigned int cpu, nr = cpuhp_nr_possible(hp);
	char *out = NULL;
	FILE *f = open_memstream(&out, len);

	if (!f)
		return NULL;
	for (cpu = 0; cpu < nr; cpu++) {
		char path[64], *core;

		if (!cpuhp_cpu_online(hp, cpu))
			continue;
		snprintf(path, sizeof(path), "cpu%u/topology/core_id", cpu);
		if (ctl_read_text(hp, path, &core) < 0)
			continue; /* went offline meanwhile */
		core[strcspn(core, "\n")] = '\0';
		fprintf(f,
			"processor\t: %u\nvendor_id\t: cpuhp\nmodel name\t: cpuhp simulated "
			"CPU\nphysical id\t: 0\ncore id\t\t: %s\n\n",
			cpu, core);
		free(core);
	}
	if (fclose(f)) {
		free(out);
		return NULL;
	}
	return out;
}
