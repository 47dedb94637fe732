// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * fuzz-model.c - fuzz target: the model-file loader (src/model/model.c) and the
 * boot of whatever it accepts.
 *
 * The input is the text of a model file, handed to cpuhp_new() as a path
 * (a memfd seen through /proc/self/fd, so no file is written).  A rejected
 * model must fail with -EINVAL (or -ENOMEM, -ENOENT for an unreadable file);
 * an accepted one must boot a 2-CPU machine whose boundaries are in order,
 * without a WARN, and free cleanly.
 */
#include <errno.h>
#include <stdarg.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cpuhp/cpuhp.h>

#include "fuzz.h"

static int fd = -1;
static char path[64];

static void quiet(void *data, int prio, const char *file, int line, const char *fn,
		  const char *fmt, va_list args)
{
	(void)data, (void)prio, (void)file, (void)line, (void)fn, (void)fmt, (void)args;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fd = memfd_create("cpuhp-fuzz-model", MFD_CLOEXEC);
	if (fd < 0)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return 0;
}

/* The boundaries of an accepted model keep the mainline order (spec 1.1). */
static void check_machine(struct cpuhp *hp)
{
	static const enum cpuhp_state order[] = {
		CPUHP_OFFLINE,        CPUHP_CREATE_THREADS,
		CPUHP_BP_PREPARE_DYN, CPUHP_BP_PREPARE_DYN_END,
		CPUHP_BRINGUP_CPU,    CPUHP_AP_IDLE_DEAD,
		CPUHP_AP_OFFLINE,     CPUHP_AP_ONLINE,
		CPUHP_TEARDOWN_CPU,   CPUHP_AP_ONLINE_IDLE,
		CPUHP_AP_ONLINE_DYN,  CPUHP_AP_ONLINE_DYN_END,
		CPUHP_AP_ACTIVE,      CPUHP_ONLINE,
	};
	int prev = -1, s;
	unsigned int i, cpu;

	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		s = cpuhp_state_of(hp, order[i]);
		FUZZ_CHECK(s >= 0, "boundary %d missing", (int)order[i]);
		FUZZ_CHECK(s >= prev, "boundary %d at %d below %d", (int)order[i], s,
			   prev);
		prev = s;
	}
	for (cpu = 0; cpu < cpuhp_nr_possible(hp); cpu++)
		FUZZ_CHECK(cpuhp_cpu_state(hp, cpu) <= cpuhp_state_of(hp, CPUHP_ONLINE),
			   "CPU %u at %d", cpu, cpuhp_cpu_state(hp, cpu));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cpuhp_config cfg;
	struct cpuhp *hp;
	int err;

	/* Keep each run cheap: a model file is a few kilobytes. */
	if (size > 64 * 1024 || ftruncate(fd, 0) ||
	    pwrite(fd, data, size, 0) != (ssize_t)size)
		return 0;
	cpuhp_config_init(&cfg);
	cfg.model = path;
	cfg.nr_possible = 2;
	cfg.log_fn = quiet;
	err = cpuhp_new(&cfg, &hp);
	if (err) {
		FUZZ_CHECK(err == -EINVAL || err == -ENOMEM || err == -ENOENT,
			   "cpuhp_new returned %d", err);
		return 0;
	}
	check_machine(hp);
	FUZZ_CHECK(cpuhp_warn_count(hp) == 0, "%lu WARNs at boot", cpuhp_warn_count(hp));
	cpuhp_free(hp);
	return 0;
}
