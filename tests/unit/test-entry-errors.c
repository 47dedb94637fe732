// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-entry-errors.c - the errors cpu_up/cpu_down return before any
 * callback runs, and the "nothing to do" cases.
 *
 * Spec: 3.7 steps 1-5 and _cpu_up steps 2-3, 3.8 (cpu_down_maps_locked,
 * _cpu_down steps 1-2), 2.3 and rule 16 (disable counter), 4.6 and rule
 * 20 (no hotplug operation or registration from callbacks or under the
 * read lock), rule 15.  cpuhp.h documents -EINVAL for a bad target and
 * -EDEADLK for the deadlocking calls.
 */
#include "unit-common.h"

static int s_offline, s_online;
static bool hook_armed;

/* Inside a callback of CPU 1: every entry point must refuse. */
static int reenter(struct cpuhp *hp, unsigned int cpu, struct probe *p, char dir)
{
	int a, b, c;

	(void)p;
	if (!hook_armed || cpu != 1 || dir != 'S')
		return 0;
	a = cpuhp_cpu_up(hp, 2, s_online);
	b = cpuhp_cpu_down(hp, 2, s_offline);
	c = cpuhp_setup_state(hp, cpuhp_state_of(hp, CPUHP_AP_ONLINE_DYN), "x:y", NULL,
			      NULL, NULL);
	return a == -EDEADLK && b == -EDEADLK && c == -EDEADLK ? 1 : 0;
}

static void test_bad_args(struct cpuhp *hp)
{
	ulog_clear();
	is_int(cpuhp_cpu_up(hp, 4, s_online), -EINVAL, "up: CPU not possible");
	ok(ulog_has("not configured as may-hotadd"), "up: not-possible CPU is logged");
	is_int(cpuhp_cpu_up(hp, 100000, s_online), -EINVAL, "up: CPU far out of range");
	is_int(cpuhp_cpu_down(hp, 4, s_offline), -EINVAL, "down: CPU not possible");
	is_int(cpuhp_cpu_up(hp, 1, s_online + 1), -EINVAL, "up: target above ONLINE");
	is_int(cpuhp_cpu_up(hp, 1, -1), -EINVAL, "up: target below OFFLINE");
	is_int(cpuhp_cpu_down(hp, 1, -1), -EINVAL, "down: target below OFFLINE");
	is_int(cpuhp_cpu_down(hp, 1, s_online + 1), -EINVAL, "down: target above ONLINE");
	is_int(ev_count(), 0, "bad arguments: no callback ran");
}

static void test_not_present(void)
{
	struct cpuhp *hp = machine_ex(4, 3, 1, NULL, NULL);
	struct probe a = PROBE("A");

	reg(hp, cpuhp_state_of(hp, CPUHP_AP_ONLINE_DYN), &a);
	ev_clear();
	ok(!cpuhp_cpu_present(hp, 3) && !cpuhp_cpu_online(hp, 3),
	   "CPU 3 absent and offline");
	is_int(cpuhp_cpu_state(hp, 3), s_offline,
	       "CPU 3 never booted (3.13: present mask)");
	is_int(cpuhp_cpu_up(hp, 3, s_online), -EINVAL, "up: CPU not present");
	is_int(cpuhp_cpu_down(hp, 3, s_offline), -EINVAL, "down: CPU not present");
	is_int(ev_count(), 0, "not present: no callback ran");
	is_int(cpuhp_num_online(hp), 3, "not present: 3 CPUs online");
	cpuhp_free(hp);
}

static void test_disable(struct cpuhp *hp)
{
	unsigned long warns;

	cpuhp_hotplug_disable(hp);
	cpuhp_hotplug_disable(hp);
	is_int(cpuhp_cpu_down(hp, 1, s_offline), -EBUSY, "disabled twice: down -EBUSY");
	/* 3.7: the disable check (step 4) comes before "nothing to do" (_cpu_up 3). */
	is_int(cpuhp_cpu_up(hp, 1, s_online), -EBUSY,
	       "disabled: even a no-op up is -EBUSY");
	cpuhp_hotplug_enable(hp);
	is_int(cpuhp_cpu_down(hp, 1, s_offline), -EBUSY,
	       "one enable of two: down still -EBUSY");
	cpuhp_hotplug_enable(hp);
	is_int(cpuhp_cpu_down(hp, 1, s_offline), 0, "balanced: down works");
	cpuhp_hotplug_disable(hp);
	is_int(cpuhp_cpu_up(hp, 1, s_online), -EBUSY, "disabled: up -EBUSY");
	is_int(cpuhp_cpu_state(hp, 1), s_offline, "disabled: up changed nothing");
	cpuhp_hotplug_enable(hp);
	is_int(cpuhp_cpu_up(hp, 1, s_online), 0, "enabled: up works");

	/* An unbalanced enable warns and leaves the counter at 0. */
	warns = cpuhp_warn_count(hp);
	ulog_clear();
	cpuhp_hotplug_enable(hp);
	ok(cpuhp_warn_count(hp) == warns + 1, "extra enable: one WARN");
	ok(ulog_has("Unbalanced cpu hotplug enable"), "extra enable: logged");
	cpuhp_hotplug_disable(hp);
	is_int(cpuhp_cpu_down(hp, 1, s_offline), -EBUSY,
	       "extra enable did not go below 0");
	cpuhp_hotplug_enable(hp);
	is_int(cpuhp_cpu_down(hp, 1, s_offline), 0, "and one enable re-enables");
	is_int(cpuhp_cpu_up(hp, 1, s_online), 0, "CPU 1 up again");
}

static void test_nothing_to_do(struct cpuhp *hp)
{
	ev_clear();
	/* _cpu_up step 3: state >= target returns 0 with no side effects. */
	is_int(cpuhp_cpu_up(hp, 1, s_online), 0, "up to ONLINE when ONLINE: 0");
	is_int(cpuhp_cpu_up(hp, 1, 200), 0, "up to 200 when ONLINE: 0");
	check_cpu(hp, 1, VIEW(s_online, s_online, true, true, false), "already up");
	is_int(cpuhp_cpu_down(hp, 1, s_offline), 0, "down CPU 1");
	ev_clear();
	is_int(cpuhp_cpu_up(hp, 1, s_offline), 0, "up to OFFLINE when OFFLINE: 0");
	/* ... and the dying bit is untouched: still set from the down. */
	check_cpu(hp, 1, VIEW(s_offline, s_offline, false, false, true), "already down");
	is_int(ev_count(), 0, "nothing to do: no callback ran");
	is_int(cpuhp_cpu_up(hp, 1, s_online), 0, "CPU 1 up again");
}

static void test_last_cpu(struct cpuhp *hp)
{
	unsigned int cpu;

	for (cpu = 1; cpu < 4; cpu++)
		is_int(cpuhp_cpu_down(hp, cpu, s_offline), 0, "down CPU %u", cpu);
	ev_clear();
	is_int(cpuhp_cpu_down(hp, 0, s_offline), -EBUSY, "down of the last online CPU");
	check_cpu(hp, 0, VIEW(s_online, s_online, true, true, false),
		  "last CPU untouched");
	is_int(ev_count(), 0, "last CPU: no callback ran");
	for (cpu = 1; cpu < 4; cpu++)
		is_int(cpuhp_cpu_up(hp, cpu, s_online), 0, "up CPU %u", cpu);
}

static void test_deadlock(struct cpuhp *hp, struct probe *a, struct probe *p)
{
	int i;

	/* From a callback: ONLINE (CPU thread) and PREPARE (control thread). */
	is_int(cpuhp_cpu_down(hp, 1, s_offline), 0, "down CPU 1");
	hook_armed = true;
	ev_clear();
	is_int(cpuhp_cpu_up(hp, 1, s_online), 0, "up CPU 1 with re-entering callbacks");
	hook_armed = false;
	i = ev_find('S', a->tag, 1, 0);
	is_int(i >= 0 ? ev_at((unsigned int)i).aux : -1, 1,
	       "ONLINE callback: up, down, setup_state all -EDEADLK");
	i = ev_find('S', p->tag, 1, 0);
	is_int(i >= 0 ? ev_at((unsigned int)i).aux : -1, 1,
	       "PREPARE callback: up, down, setup_state all -EDEADLK");
	check_cpu(hp, 2, VIEW(s_online, s_online, true, true, false), "CPU 2 untouched");

	/* Under the cpus read lock. */
	cpuhp_cpus_read_lock(hp);
	is_int(cpuhp_cpu_down(hp, 1, s_offline), -EDEADLK, "down under cpus_read_lock");
	is_int(cpuhp_cpu_up(hp, 1, s_online), -EDEADLK, "up under cpus_read_lock");
	cpuhp_cpus_read_unlock(hp);
	is_int(cpuhp_cpu_down(hp, 1, s_offline), 0, "down after the unlock");
	cpuhp_cpus_read_lock(hp);
	is_int(cpuhp_cpu_up(hp, 1, s_online), -EDEADLK,
	       "up of an offline CPU under the lock");
	cpuhp_cpus_read_unlock(hp);
	is_int(cpuhp_cpu_up(hp, 1, s_online), 0, "up after the unlock");
}

int main(void)
{
	struct cpuhp *hp;
	struct probe a = PROBE("A"), p = PROBE("P");

	plan_no_plan();
	hp = machine();
	s_offline = cpuhp_state_of(hp, CPUHP_OFFLINE);
	s_online = cpuhp_state_of(hp, CPUHP_ONLINE);
	a.hook = reenter;
	p.hook = reenter;
	reg(hp, cpuhp_state_of(hp, CPUHP_AP_ONLINE_DYN), &a);
	reg(hp, cpuhp_state_of(hp, CPUHP_BP_PREPARE_DYN), &p);
	ev_clear();
	test_bad_args(hp);
	test_disable(hp);
	test_nothing_to_do(hp);
	test_last_cpu(hp);
	test_deadlock(hp, &a, &p);
	cpuhp_free(hp);
	test_not_present();
	return done_testing();
}
