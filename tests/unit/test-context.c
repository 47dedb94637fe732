// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-context.c - the execution-context checker (issue 3 item 4).
 *
 * Reference bug 1 (product.md, spec 7.5, rule 24): with CONFIG_HOTPLUG_CPU=n
 * a bring-up that fails after the AP started must not be rolled back.  The
 * kernels before the 2019 fix did roll it back: the DYING teardowns ran on
 * the control CPU, preemptible, and the DEAD teardowns freed what the still
 * running CPU used.  The test-only quirk rollback_on_control replays that
 * path; the checker must report exactly those calls, and nothing on the
 * real path.
 */
#include <cpuhp/ledger.h>
#include <cpuhp/state.h>

#include "unit-common.h"

/* mainline.model: the STARTING-section states with a teardown (DYING). */
static const int dying_states[] = { 90, 91, 140, 141, 142 };
#define NR_DYING (sizeof(dying_states) / sizeof(dying_states[0]))

static pthread_mutex_t mark_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned int marks, marks_wrong;

static void sink(void *data, const struct cpuhp_trace_event *ev)
{
	char line[512];

	(void)data;
	if (ev->type != CPUHP_TRACE_MARK)
		return;
	cpuhp_trace_format(ev, line, sizeof(line));
	pthread_mutex_lock(&mark_lock);
	marks++;
	marks_wrong +=
		!strstr(line, "tracing_mark_write: context violation: CPU 2 state ");
	pthread_mutex_unlock(&mark_lock);
}

/* nosmt on 1 socket x 2 cores x 2 threads: siblings 1 and 3 are booted once. */
static void nosmt_real_path(void)
{
	struct cpuhp *hp = machine_ex(4, 0, 2, "nosmt", "HOTPLUG_CPU=n");
	int td = cpuhp_state_of(hp, CPUHP_TEARDOWN_CPU);

	is_int(cpuhp_context_violations(hp), 0, "real path: no context violation");
	ok(!ulog_has("context violation"), "real path: nothing logged");
	/* spec 7.5, v5.13+: the -ECANCELED sibling stays at TEARDOWN_CPU, online. */
	is_int(cpuhp_cpu_state(hp, 1), td, "sibling 1 left at TEARDOWN_CPU");
	ok(cpuhp_cpu_online(hp, 1) && !cpuhp_cpu_active(hp, 1),
	   "sibling online, not active");
	cpuhp_free(hp);
}

static void nosmt_pre_2019(void)
{
	struct cpuhp *hp;
	size_t i;
	char want[160];

	ulog_clear();
	hp = machine_ex(4, 0, 2, "nosmt", "HOTPLUG_CPU=n rollback_on_control=y");
	/* Each sibling's DYING teardowns ran on the control thread. */
	is_int(cpuhp_context_violations(hp), 2 * NR_DYING,
	       "one violation per DYING teardown");
	for (i = 0; i < NR_DYING; i++) {
		snprintf(want, sizeof(want), "context violation: CPU 1 state %d (",
			 dying_states[i]);
		ok(ulog_has(want), "logged: %s", want);
	}
	ok(ulog_has("teardown ran on the control thread in control context, preemptible"),
	   "the log says where it ran");
	/* The old path did roll the sibling back to OFFLINE. */
	is_int(cpuhp_cpu_state(hp, 1), 0, "pre-2019: sibling rolled back to OFFLINE");
	cpuhp_free(hp);
}

/* An ONLINE failure of a CPU brought up late (maxcpus=2), traced. */
static void online_failure(const char *kconfig, bool quirk)
{
	struct probe p = PROBE("ctx:online");
	struct cpuhp *hp = machine_ex(4, 0, 1, "maxcpus=2", kconfig);
	int state = reg(hp, cpuhp_state_of(hp, CPUHP_AP_ONLINE_DYN), &p);
	int ret;

	marks = marks_wrong = 0;
	is_int(cpuhp_ledger_enable(hp), 0, "ledger on");
	cpuhp_trace_set_fn(hp, sink, NULL);
	p.up_cpu = 2;
	p.up_err = -ENOMEM;
	p.up_shots = 1;
	ret = cpuhp_cpu_up(hp, 2, cpuhp_state_of(hp, CPUHP_ONLINE));
	is_int(ret, -ENOMEM, "the bring-up fails with the callback's error");
	(void)state;
	if (!quirk) {
		/* spec 7.5: AP rolled back to AP_ONLINE_IDLE, nothing else. */
		is_int(cpuhp_context_violations(hp), 0, "real path: no violation");
		is_int(cpuhp_cpu_state(hp, 2), cpuhp_state_of(hp, CPUHP_AP_ONLINE_IDLE),
		       "left at AP_ONLINE_IDLE");
		is_int(cpuhp_ledger_nr_violations(hp), 0, "the ledger agrees");
		is_int(marks, 0, "no marker in the trace");
	} else {
		is_int(cpuhp_context_violations(hp), NR_DYING,
		       "the DYING teardowns are caught");
		is_int(marks, NR_DYING, "each is marked in the trace");
		is_int(marks_wrong, 0, "marker lines name CPU 2");
		ok(cpuhp_ledger_nr_violations(hp) > NR_DYING,
		   "the ledger also sees DEAD teardowns on a running CPU");
	}
	cpuhp_trace_set_fn(hp, NULL, NULL);
	cpuhp_ledger_disable(hp);
	cpuhp_free(hp);
}

/* The switch changes nothing where the CPU can be taken down. */
static void quirk_with_hotplug(void)
{
	struct cpuhp *hp = machine_ex(4, 0, 2, "nosmt", "rollback_on_control=y");

	is_int(cpuhp_context_violations(hp), 0,
	       "HOTPLUG_CPU=y: takedown runs, no violation");
	is_int(cpuhp_cpu_state(hp, 1), 0, "sibling offline");
	cpuhp_free(hp);
}

int main(void)
{
	plan_no_plan();
	nosmt_real_path();
	nosmt_pre_2019();
	online_failure("HOTPLUG_CPU=n", false);
	online_failure("HOTPLUG_CPU=n rollback_on_control=y", true);
	quirk_with_hotplug();
	return done_testing();
}
