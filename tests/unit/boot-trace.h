/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * boot-trace.h - keep the trace events of a machine's boot (install
 * boot_trace_sink as cpuhp_config.trace_fn; boot_trace_reset() first).
 * The boot's cpu_up()s run one at a time, so the sink needs no lock; the
 * events' fn strings are dropped (valid only during the call).
 */
#ifndef CPUHP_TESTS_BOOT_TRACE_H
#define CPUHP_TESTS_BOOT_TRACE_H

#include <cpuhp/cpuhp.h>

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

#endif /* CPUHP_TESTS_BOOT_TRACE_H */
