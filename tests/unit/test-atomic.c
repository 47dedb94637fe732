// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-atomic.c - atomic context: STARTING and DYING callbacks run with
 * "interrupts off", where sleeping is a reported error; PREPARE/DEAD and
 * ONLINE callbacks may sleep.
 *
 * Spec: 1.2 (STARTING on the AP with interrupts disabled, dying inside
 * stop_machine; PREPARE on the BP and ONLINE in cpuhp/N, sleepable), 1.3
 * (atomic = [AP_IDLE_DEAD, AP_ONLINE)); cpuhp.h: cpuhp_might_sleep()
 * returns -EWOULDBLOCK and counts a WARN in atomic context, else 0.
 */
#include "unit-common.h"

static bool armed;

static int try_sleep(struct cpuhp *hp, unsigned int cpu, struct probe *p, char dir)
{
	(void)cpu;
	(void)p;
	(void)dir;
	return armed ? cpuhp_might_sleep(hp) : 0;
}

static void expect(const char *tag, char dir, bool atomic, int aux, const char *what)
{
	int i = ev_find(dir, tag, 1, 0);
	struct ev e = ev_at(i >= 0 ? (unsigned int)i : ~0u);

	ok(i >= 0, "%s: called", what);
	is_int(e.atomic, atomic, "%s: cpuhp_in_atomic", what);
	is_int(e.aux, aux, "%s: cpuhp_might_sleep", what);
}

int main(void)
{
	struct cpuhp *hp;
	struct probe p = PROBE("P"), st = PROBE("ST"), on = PROBE("ON");
	int s_offline, s_online, ctx_cpu = 7;
	unsigned long warns;

	plan_no_plan();
	hp = machine();
	s_offline = cpuhp_state_of(hp, CPUHP_OFFLINE);
	s_online = cpuhp_state_of(hp, CPUHP_ONLINE);
	p.hook = st.hook = on.hook = try_sleep;
	reg(hp, cpuhp_state_of(hp, CPUHP_BP_PREPARE_DYN), &p);
	reg(hp, 100, &st);
	reg(hp, cpuhp_state_of(hp, CPUHP_AP_ONLINE_DYN), &on);

	/* Outside any callback. */
	is_int(cpuhp_might_sleep(hp), 0, "main thread: may sleep");
	ok(!cpuhp_in_atomic(hp), "main thread: not atomic");
	is_int(cpuhp_current_context(hp, &ctx_cpu), CPUHP_CTX_NONE,
	       "main thread: no context");
	is_int(ctx_cpu, -1, "main thread: no CPU");

	armed = true;
	warns = cpuhp_warn_count(hp);
	ulog_clear();
	ev_clear();
	is_int(cpuhp_cpu_down(hp, 1, s_offline), 0, "down succeeds");
	is_int(cpuhp_cpu_up(hp, 1, s_online), 0, "up succeeds");
	armed = false;
	is_str(ev_seq(1, 0), "T:ON T:ST T:P S:P S:ST S:ON", "all six callbacks ran");

	expect("ON", 'T', false, 0, "ONLINE teardown");
	expect("ST", 'T', true, -EWOULDBLOCK, "DYING teardown");
	expect("P", 'T', false, 0, "DEAD teardown");
	expect("P", 'S', false, 0, "PREPARE startup");
	expect("ST", 'S', true, -EWOULDBLOCK, "STARTING startup");
	expect("ON", 'S', false, 0, "ONLINE startup");
	is_int(cpuhp_warn_count(hp), warns + 2, "one WARN per sleep in atomic context");
	ok(ulog_has("sleeping function called from invalid context"),
	   "the WARN is logged");
	cpuhp_free(hp);
	return done_testing();
}
