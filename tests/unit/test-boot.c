// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-boot.c - which CPUs a new machine brings up and in which state it
 * leaves them: maxcpus=, nosmp, nosmt (with and without HOTPLUG_CPU).
 *
 * Spec: 3.13 (boot CPU state/target, cpuhp_bringup_mask counting the boot
 * CPU and failures), 9.3 items 6 and 11, 7.2-7.3 (nosmt boots siblings
 * once, then -ECANCELED and a full rollback; later cpu_up -EPERM), 7.5
 * (HOTPLUG_CPU=n, v5.13+: no rollback, CPU online, not active, state
 * TEARDOWN_CPU, target prev, dying), 3.8 (offlining unsupported).
 */
#include "unit-common.h"

static int s_offline, s_online, s_teardown;

static void states(struct cpuhp *hp)
{
	s_offline = cpuhp_state_of(hp, CPUHP_OFFLINE);
	s_online = cpuhp_state_of(hp, CPUHP_ONLINE);
	s_teardown = cpuhp_state_of(hp, CPUHP_TEARDOWN_CPU);
}

/* CPUs in @mask (bit n = CPU n) are fully up, the others never started. */
static void expect_up(struct cpuhp *hp, unsigned int mask, const char *what)
{
	unsigned int cpu, n = 0;

	for (cpu = 0; cpu < 4; cpu++) {
		bool up = mask & (1u << cpu);

		n += up;
		if (up)
			check_cpu(hp, cpu, VIEW(s_online, s_online, true, true, false),
				  what);
		else
			check_cpu(hp, cpu,
				  VIEW(s_offline, s_offline, false, false, false), what);
	}
	is_int(cpuhp_num_online(hp), n, "%s: online count", what);
	is_int(cpuhp_warn_count(hp), 0, "%s: no WARN", what);
}

static void test_cmdline(const char *cmdline, unsigned int mask)
{
	struct cpuhp *hp = machine_ex(4, 0, 1, cmdline, NULL);

	states(hp);
	expect_up(hp, mask, cmdline ? cmdline : "default");
	cpuhp_free(hp);
}

static void test_maxcpus_later(void)
{
	struct cpuhp *hp = machine_ex(4, 0, 1, "maxcpus=2", NULL);

	/* maxcpus only limits boot; the rest can be brought up later. */
	states(hp);
	is_int(cpuhp_cpu_up(hp, 2, s_online), 0, "maxcpus=2: CPU 2 up later");
	is_int(cpuhp_cpu_up(hp, 3, s_online), 0, "maxcpus=2: CPU 3 up later");
	is_int(cpuhp_num_online(hp), 4, "maxcpus=2: all 4 online after");
	cpuhp_free(hp);
}

static void test_nosmt(void)
{
	struct cpuhp *hp = machine_ex(4, 0, 2, "nosmt", NULL);
	unsigned int cpu;

	states(hp);
	for (cpu = 0; cpu < 4; cpu += 2)
		check_cpu(hp, cpu, VIEW(s_online, s_online, true, true, false),
			  "nosmt primary");
	/* 7.3: booted once, -ECANCELED, rolled back to OFFLINE; dying from the rollback. */
	for (cpu = 1; cpu < 4; cpu += 2) {
		check_cpu(hp, cpu, VIEW(s_offline, s_offline, false, false, true),
			  "nosmt sibling");
		is_int(cpuhp_cpu_up(hp, cpu, s_online), -EPERM,
		       "nosmt: cpu_up(%u) -EPERM", cpu);
		is_int(cpuhp_cpu_state(hp, cpu), s_offline,
		       "nosmt: refused up changed nothing");
	}
	is_int(cpuhp_num_online(hp), 2, "nosmt: 2 CPUs online");
	is_int(cpuhp_warn_count(hp), 0, "nosmt: no WARN");
	cpuhp_free(hp);
}

static void test_nosmt_no_hotplug(void)
{
	struct cpuhp *hp = machine_ex(4, 0, 2, "nosmt", "HOTPLUG_CPU=n");
	struct probe st = PROBE("ST"), on = PROBE("ON");
	unsigned int cpu;
	int i;

	states(hp);
	for (cpu = 0; cpu < 4; cpu += 2)
		check_cpu(hp, cpu, VIEW(s_online, s_online, true, true, false),
			  "HOTPLUG_CPU=n primary");
	/* 7.5 (v5.13+): left running; reset_state stepped back to TEARDOWN_CPU. */
	for (cpu = 1; cpu < 4; cpu += 2) {
		check_cpu(hp, cpu, VIEW(s_teardown, s_offline, true, false, true),
			  "HOTPLUG_CPU=n sibling");
		is_int(cpuhp_cpu_down(hp, cpu, s_offline), -EOPNOTSUPP,
		       "HOTPLUG_CPU=n: cpu_down(%u) -EOPNOTSUPP", cpu);
		is_int(cpuhp_cpu_up(hp, cpu, s_online), -EPERM,
		       "HOTPLUG_CPU=n: cpu_up(%u) -EPERM", cpu);
	}
	is_int(cpuhp_cpu_down(hp, 2, s_offline), -EOPNOTSUPP,
	       "HOTPLUG_CPU=n: primary too");
	is_int(cpuhp_num_online(hp), 4, "HOTPLUG_CPU=n: siblings count as online");

	/*
	 * Installing states afterwards (4.2 step 7, 4.3): STARTING startup on
	 * every online CPU at or above it, siblings included, on their own
	 * thread in atomic context; the ONLINE startup not on the siblings,
	 * whose state (TEARDOWN_CPU) is below it.
	 */
	ev_clear();
	reg(hp, 100, &st);
	reg(hp, cpuhp_state_of(hp, CPUHP_AP_ONLINE_DYN), &on);
	is_str(ev_seq(1, 0), "S:ST", "HOTPLUG_CPU=n: calls for sibling 1 at install");
	is_str(ev_seq(2, 0), "S:ST S:ON",
	       "HOTPLUG_CPU=n: calls for primary 2 at install");
	i = ev_find('S', "ST", 1, 0);
	ok(i >= 0 && ev_at((unsigned int)i).atomic &&
		   ev_at((unsigned int)i).ctx == CPUHP_CTX_STARTING &&
		   !strcmp(ev_at((unsigned int)i).thread, "cpuhp/1"),
	   "HOTPLUG_CPU=n: STARTING install on cpuhp/1, atomic");
	is_int(cpuhp_warn_count(hp), 0, "HOTPLUG_CPU=n: no WARN");
	cpuhp_free(hp);
}

int main(void)
{
	struct cpuhp *hp;

	plan_no_plan();
	/* 3.13 / 9.3 item 6: the boot CPU is at ONLINE with target ONLINE. */
	hp = machine();
	states(hp);
	is_int(s_online, 236, "mainline ONLINE is 236");
	is_int(cpuhp_cpu_state(hp, 0), 236, "boot CPU state");
	is_int(cpuhp_cpu_target(hp, 0), 236, "boot CPU target");
	cpuhp_free(hp);

	test_cmdline(NULL, 0xf);
	test_cmdline("maxcpus=2", 0x3);
	test_cmdline("maxcpus=1", 0x1);
	test_cmdline("maxcpus=0", 0x1);
	test_cmdline("nosmp", 0x1);
	test_cmdline("maxcpus=9", 0xf);
	test_maxcpus_later();
	test_nosmt();
	test_nosmt_no_hotplug();
	return done_testing();
}
