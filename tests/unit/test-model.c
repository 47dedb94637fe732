// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-model.c - the linux-6.1-x86 model's layout and the model loader's
 * "boot" lines (docs/model-format.md).
 *
 * Expected numbers come from the recorded 6.1 kernel (info-main.trace: the
 * hotplug/states listing) and spec 1.5 (no BP_KICK_AP, ONLINE_DYN has 31
 * slots, PREPARE_DYN 21); the boot lines' rules from the format document.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cpuhp/cpuhp.h>

#include "model-copy.h"
#include "tap.h"

static struct cpuhp *machine(const char *model, int *err)
{
	struct cpuhp_config cfg;
	struct cpuhp *hp = NULL;

	cpuhp_config_init(&cfg);
	cfg.model = model;
	cfg.nr_possible = 4;
	cfg.threads_per_core = 2;
	*err = cpuhp_new(&cfg, &hp);
	return hp;
}

static int noop(struct cpuhp *hp, unsigned int cpu, void *data)
{
	(void)hp;
	(void)cpu;
	(void)data;
	return 0;
}

static void test_layout(void)
{
	static const struct {
		enum cpuhp_state role;
		int want;
	} bounds[] = {
		{ CPUHP_OFFLINE, 0 },          { CPUHP_CREATE_THREADS, 1 },
		{ CPUHP_BP_PREPARE_DYN, 70 },  { CPUHP_BRINGUP_CPU, 91 },
		{ CPUHP_AP_IDLE_DEAD, 92 },    { CPUHP_AP_OFFLINE, 93 },
		{ CPUHP_AP_ONLINE, 152 },      { CPUHP_TEARDOWN_CPU, 153 },
		{ CPUHP_AP_ONLINE_IDLE, 154 }, { CPUHP_AP_ONLINE_DYN, 201 },
		{ CPUHP_AP_ACTIVE, 235 },      { CPUHP_ONLINE, 236 },
	};
	int err, s, n;
	size_t i;
	struct cpuhp *hp = machine("linux-6.1-x86", &err);

	if (!hp)
		bail_out("linux-6.1-x86 does not boot: %d", err);
	for (i = 0; i < sizeof(bounds) / sizeof(bounds[0]); i++)
		is_int(cpuhp_state_of(hp, bounds[i].role), bounds[i].want,
		       "6.1 boundary %d", (int)bounds[i].role);
	ok(cpuhp_state_of(hp, CPUHP_BP_KICK_AP) < 0, "6.1 has no BP_KICK_AP");
	is_str(cpuhp_state_name(hp, 91), "cpu:bringup", "91 is cpu:bringup");
	is_str(cpuhp_state_name(hp, 209), "printk:online", "209 is printk:online");
	ok(!cpuhp_state_name(hp, 154), "154 (AP_ONLINE_IDLE) has no name");
	/* 70 and 201..209 are taken at boot: the next dynamic slots follow. */
	is_int(cpuhp_setup_state_nocalls(hp, cpuhp_state_of(hp, CPUHP_BP_PREPARE_DYN),
					 "t:p", noop, noop, NULL),
	       71, "first free PREPARE_DYN slot");
	s = cpuhp_setup_state_nocalls(hp, 201, "t:o", noop, noop, NULL);
	is_int(s, 210, "first free ONLINE_DYN slot");
	for (n = 1; s > 0; n++)
		s = cpuhp_setup_state_nocalls(hp, 201, "t:o", noop, noop, NULL);
	n--;
	is_int(s, -ENOSPC, "ONLINE_DYN runs out");
	/* 31 slots (spec 1.5), 9 of them taken at boot. */
	is_int(n, 31 - 9, "ONLINE_DYN slots left after boot");
	is_int(cpuhp_warn_count(hp), 1, "one WARN: no more dynamic states");
	cpuhp_free(hp);
}

/* The 6.1 model file with one extra line, loaded from a temporary file. */
static int with_line(const char *extra)
{
	char path[] = MODEL_COPY_PATH;
	struct cpuhp *hp;
	int err;

	model_copy("linux-6.1-x86", NULL, NULL, extra, path);
	hp = machine(path, &err);
	unlink(path);
	cpuhp_free(hp);
	return err;
}

static void test_boot_lines(void)
{
	if (!getenv("SRCDIR")) {
		skip(9, "SRCDIR not set");
		return;
	}
	is_int(with_line("# nothing"), 0, "the file as is loads");
	is_int(with_line("boot late 196 nocalls"), 0, "another plain state may be late");
	is_int(with_line("boot late 201 calls"), -EINVAL, "a state listed twice");
	is_int(with_line("boot late 62 calls"), -EINVAL, "a multi-instance state");
	is_int(with_line("boot late 94 calls"), -EINVAL, "a STARTING state");
	is_int(with_line("boot late 91 calls"), -EINVAL, "a core state (BRINGUP_CPU)");
	is_int(with_line("boot late 100 calls"), -EINVAL, "an unnamed slot");
	is_int(with_line("boot sometime 196 calls"), -EINVAL, "neither early nor late");
	is_int(with_line("boot late 196"), -EINVAL, "calls or nocalls missing");
}

int main(void)
{
	plan_no_plan();
	test_layout();
	test_boot_lines();
	return done_testing();
}
