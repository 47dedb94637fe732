/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * boot-trace.h - keep the trace events of a machine's boot (boot_traced(), or
 * install boot_trace_sink as cpuhp_config.trace_fn; boot_trace_reset() first).
 * The boot's cpu_up()s run one at a time, so the sink needs no lock; the
 * events' fn strings are dropped (valid only during the call).
 */
#ifndef CPUHP_TESTS_BOOT_TRACE_H
#define CPUHP_TESTS_BOOT_TRACE_H

#include <syslog.h>

#include <cpuhp/cpuhp.h>

#include "tap.h"

static struct cpuhp_trace_event boot_ev[2048];
static unsigned int nr_boot_ev;

static inline void boot_trace_reset(void)
{
	nr_boot_ev = 0;
}

static inline void boot_trace_sink(void *data, const struct cpuhp_trace_event *ev)
{
	(void)data;
	if (nr_boot_ev < sizeof(boot_ev) / sizeof(boot_ev[0])) {
		boot_ev[nr_boot_ev] = *ev;
		boot_ev[nr_boot_ev].fn = NULL;
		nr_boot_ev++;
	}
}

/*
 * A machine of 4 possible CPUs (@model, @tpc threads per core, @cmdline and
 * @kconfig may be NULL) whose boot trace is left in boot_ev.  The sink is
 * removed once booted: later operations do not append to the boot trace.
 * @log_fn (may be NULL) gets every message, debug ones included.
 */
static inline struct cpuhp *boot_traced(const char *model, unsigned int tpc,
					const char *cmdline, const char *kconfig,
					cpuhp_log_fn log_fn)
{
	struct cpuhp_config cfg;
	struct cpuhp *hp = NULL;
	int err;

	cpuhp_config_init(&cfg);
	cfg.model = model;
	cfg.nr_possible = 4;
	cfg.threads_per_core = tpc;
	cfg.cmdline = cmdline;
	cfg.kconfig = kconfig;
	if (log_fn) {
		cfg.log_fn = log_fn;
		cfg.log_priority = LOG_DEBUG;
	}
	cfg.trace_fn = boot_trace_sink;
	boot_trace_reset();
	err = cpuhp_new(&cfg, &hp);
	if (err)
		bail_out("cpuhp_new(%s, %s) failed: %d", model, cmdline ? cmdline : "",
			 err);
	cpuhp_trace_set_fn(hp, NULL, NULL);
	return hp;
}

#endif /* CPUHP_TESTS_BOOT_TRACE_H */
