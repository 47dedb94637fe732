// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-trace-live.c - trace events emitted by registration invocations
 * (spec 8): enter/exit pairs with the CPU's target and state, the callback's
 * symbol (given, found by dladdr(), or the address), the emitting task
 * (control thread vs "cpuhp/N"), multi_enter per instance, nothing for an
 * injected failure, nothing once the sink is removed.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "reg-common.h"

struct rec {
	struct cpuhp_trace_event ev;
	char fn[64];
	char task[32];
	char line[256];
};

static pthread_mutex_t evlock = PTHREAD_MUTEX_INITIALIZER;
static struct rec evs[256];
static unsigned int nr_evs;

static void sink(void *data, const struct cpuhp_trace_event *ev)
{
	struct rec *r;

	(void)data;
	pthread_mutex_lock(&evlock);
	if (nr_evs < 256) {
		r = &evs[nr_evs++];
		r->ev = *ev;
		snprintf(r->fn, sizeof(r->fn), "%s", ev->fn ? ev->fn : "");
		snprintf(r->task, sizeof(r->task), "%s", ev->task ? ev->task : "");
		cpuhp_trace_format(ev, r->line, sizeof(r->line));
	}
	pthread_mutex_unlock(&evlock);
}

static void ev_reset(void)
{
	pthread_mutex_lock(&evlock);
	nr_evs = 0;
	pthread_mutex_unlock(&evlock);
}

/* Exported (the target is linked with ENABLE_EXPORTS) so dladdr() finds it. */
int live_online_startup(struct cpuhp *hp, unsigned int cpu, void *data);
int live_online_startup(struct cpuhp *hp, unsigned int cpu, void *data)
{
	return rec_startup(hp, cpu, data);
}

/* Not exported: traced by address. */
static int hidden_teardown(struct cpuhp *hp, unsigned int cpu, void *data)
{
	return rec_teardown(hp, cpu, data);
}

/* Four enter/exit pairs, one per CPU in order, with these fields. */
static bool pairs(enum cpuhp_trace_type type, int idx, const char *fn, bool control)
{
	unsigned int i;
	bool good = nr_evs == 8;

	for (i = 0; good && i < 8; i++) {
		const struct rec *r = &evs[i];
		unsigned int cpu = i / 2;
		char task[16];

		snprintf(task, sizeof(task), "cpuhp/%u", cpu);
		good = r->ev.cpu == cpu && r->ev.idx == idx &&
		       !strcmp(r->task, control ? "tracer" : task) &&
		       r->ev.task_cpu == (control ? 0 : cpu) &&
		       r->ev.task_pid == evs[i & ~1u].ev.task_pid;
		if (i % 2 == 0)
			good = good && r->ev.type == type &&
			       r->ev.target == CPUHP_ONLINE && !strcmp(r->fn, fn);
		else
			good = good && r->ev.type == CPUHP_TRACE_EXIT &&
			       r->ev.state == CPUHP_ONLINE && r->ev.ret == 0;
		if (!good)
			diag("event %u: %s", i, r->line);
	}
	if (nr_evs != 8)
		diag("%u events", nr_evs);
	return good;
}

static void control_side(struct cpuhp *hp)
{
	struct probe p = PROBE("p");
	struct cpuhp_step_desc desc = {
		.name = "test:prepare",
		.startup = rec_startup,
		.teardown = rec_teardown,
		.startup_sym = "my_prepare_up",
		.teardown_sym = "my_prepare_down",
		.data = &p,
	};
	char want[64];

	ev_reset();
	is_int(cpuhp_setup_state_desc(hp, 20, &desc, 0), 0, "PREPARE state 20");
	ok(pairs(CPUHP_TRACE_ENTER, 20, "my_prepare_up", true),
	   "enter/exit per CPU from the control thread, given symbol");
	ok(evs[0].ev.task_pid > 0 && evs[0].ev.ts_ns > 0, "pid and timestamp set");
	ok(evs[1].ev.ts_ns >= evs[0].ev.ts_ns, "timestamps do not go back");
	snprintf(want, sizeof(want), "          tracer-%-7d [000] ..... ",
		 evs[0].ev.task_pid);
	if (!ok(!strncmp(evs[0].line, want, strlen(want)), "formatted task columns"))
		diag("%s", evs[0].line);
	ev_reset();
	is_int(cpuhp_remove_state(hp, 20), 0, "remove 20");
	ok(pairs(CPUHP_TRACE_ENTER, 20, "my_prepare_down", true), "teardown traced");

	/* The library keeps the name per walk: a rename shows in the next one. */
	pthread_setname_np(pthread_self(), "renamed");
	ev_reset();
	is_int(cpuhp_setup_state_desc(hp, 20, &desc, 0), 0, "PREPARE state 20 again");
	ok(nr_evs == 8 && !strcmp(evs[0].task, "renamed") &&
		   !strcmp(evs[7].task, "renamed"),
	   "after a rename between operations, the events carry the new name");
	pthread_setname_np(pthread_self(), "tracer");
	ev_reset();
	is_int(cpuhp_remove_state(hp, 20), 0, "remove 20 again");
	ok(pairs(CPUHP_TRACE_ENTER, 20, "my_prepare_down", true),
	   "renamed back: the old name again");
}

static void ap_side(struct cpuhp *hp)
{
	struct probe p = PROBE("p");
	char addr[32];
	uintptr_t a = (uintptr_t)hidden_teardown;

	ev_reset();
	is_int(cpuhp_setup_state(hp, 160, "test:online", live_online_startup,
				 hidden_teardown, &p),
	       0, "ONLINE state 160");
	ok(pairs(CPUHP_TRACE_ENTER, 160, "live_online_startup", false),
	   "enter/exit per CPU from cpuhp/N, symbol from dladdr()");
	ok(evs[0].ev.task_pid != evs[2].ev.task_pid, "each CPU thread has its own pid");
	ev_reset();
	is_int(cpuhp_remove_state(hp, 160), 0, "remove 160");
	snprintf(addr, sizeof(addr), "0x%lx", (unsigned long)a);
	ok(pairs(CPUHP_TRACE_ENTER, 160, addr, false), "unexported teardown traced as %s",
	   addr);
}

static void multi(struct cpuhp *hp)
{
	struct inst a = INST("a");
	struct cpuhp_step_desc desc = {
		.name = "test:multi",
		.multi_startup = inst_startup,
		.multi_teardown = inst_teardown,
		.startup_sym = "inst_up",
		.teardown_sym = "inst_down",
		.multi_instance = 1,
	};

	is_int(cpuhp_setup_state_desc(hp, 30, &desc, 0), 0, "multi state 30");
	ev_reset();
	is_int(cpuhp_state_add_instance(hp, 30, &a.node), 0, "add an instance");
	ok(pairs(CPUHP_TRACE_MULTI_ENTER, 30, "inst_up", true),
	   "multi_enter/exit per CPU");
	ev_reset();
	is_int(cpuhp_state_remove_instance(hp, 30, &a.node), 0, "remove it");
	ok(pairs(CPUHP_TRACE_MULTI_ENTER, 30, "inst_down", true),
	   "teardown multi_enter/exit");
	cpuhp_remove_multi_state(hp, 30);
}

static void injected_and_off(struct cpuhp *hp)
{
	struct probe p = PROBE("p");
	unsigned int i;
	bool cpu2 = false;

	is_int(cpuhp_setup_state(hp, 160, "test:online", live_online_startup, NULL, &p),
	       0, "ONLINE state 160");
	is_int(cpuhp_fail_set(hp, 2, 160), 0, "arm CPU2 at 160");
	ev_reset();
	is_int(cpuhp_remove_state(hp, 160), 0,
	       "remove 160 (no teardown: nothing to fail)");
	is_int(nr_evs, 0, "no teardown, no events");
	is_int(cpuhp_setup_state(hp, 160, "test:online", live_online_startup, NULL, &p),
	       -EAGAIN, "install fails on CPU2");
	for (i = 0; i < nr_evs; i++)
		cpu2 |= evs[i].ev.cpu == 2;
	is_int(nr_evs, 4, "two pairs, for CPUs 0 and 1");
	ok(!cpu2, "no event for the injected failure");

	cpuhp_trace_set_fn(hp, NULL, NULL);
	ev_reset();
	is_int(cpuhp_setup_state(hp, 160, "test:online", live_online_startup, NULL, &p),
	       0, "setup with the sink removed");
	is_int(nr_evs, 0, "no events");
	cpuhp_remove_state(hp, 160);
}

int main(void)
{
	struct cpuhp *hp;

	plan_no_plan();
	pthread_setname_np(pthread_self(), "tracer");
	hp = machine();
	cpuhp_trace_set_fn(hp, sink, NULL);
	control_side(hp);
	ap_side(hp);
	multi(hp);
	injected_and_off(hp);
	is_int(cpuhp_warn_count(hp), 0, "no WARN");
	cpuhp_free(hp);
	return done_testing();
}
