// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * topo-reader.c - a deliberately careless client for the exec tests: it reads
 * every CPU's topology/core_id over and over and never checks fopen(), the
 * kind of bug CPU hotplug exposes: an offline CPU has no topology directory,
 * so fopen() fails with ENOENT and fscanf(NULL) crashes (SIGSEGV).
 *
 * Usage: topo-reader ROUNDS.  Exit 0 if it got through all rounds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	long rounds = argc > 1 ? atol(argv[1]) : 100000;
	long ncpu = sysconf(_SC_NPROCESSORS_CONF);
	char path[96];
	long r, cpu;
	int id;

	for (r = 0; r < rounds; r++) {
		for (cpu = 0; cpu < ncpu; cpu++) {
			FILE *f;

			snprintf(path, sizeof(path),
				 "/sys/devices/system/cpu/cpu%ld/topology/core_id", cpu);
			f = fopen(path, "r");
			/*
			 * The bug under test: no check for NULL (ENOENT).  A
			 * read that fails because the file went away after the
			 * open is not that bug: go on, so that only the crash
			 * ends the run early.
			 */
			if (fscanf(f, "%d", &id) != 1)
				id = -1;
			fclose(f);
		}
	}
	printf("%ld rounds over %ld CPUs\n", rounds, ncpu);
	return 0;
}
