// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-state-dyn.c - dynamic state slots: reference bug 2 (removal cleared
 * the wrong slot, spec 9.2) on both ranges, -ENOSPC when a range is full,
 * and -EBUSY on double registration without leaking a slot (spec 9.3 #1).
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "model-copy.h"
#include "reg-common.h"

/* Setup base, base+1; remove base; base is free, base+1 intact; base again. */
static void bug2(struct cpuhp *hp, int base, const char *range)
{
	struct probe a = PROBE("a"), b = PROBE("b"), c = PROBE("c");
	int s1, s2, s3;

	log_reset();
	s1 = cpuhp_setup_state(hp, base, "test:a", rec_startup, rec_teardown, &a);
	s2 = cpuhp_setup_state(hp, base, "test:b", rec_startup, rec_teardown, &b);
	is_int(s1, base, "%s: first dynamic setup gets the base slot", range);
	is_int(s2, base + 1, "%s: second dynamic setup gets base+1", range);
	is_str(log_str(), "S:a@0 S:a@1 S:a@2 S:a@3 S:b@0 S:b@1 S:b@2 S:b@3",
	       "%s: startups ran on every CPU", range);

	log_reset();
	is_int(cpuhp_remove_state(hp, s1), 0, "%s: remove the base slot", range);
	is_str(log_str(), "T:a@0 T:a@1 T:a@2 T:a@3",
	       "%s: removal tore down the base slot", range);
	ok(cpuhp_state_name(hp, base) == NULL, "%s: base slot is free", range);
	is_str(cpuhp_state_name(hp, base + 1), "test:b", "%s: base+1 intact", range);
	if (listed(hp, base) < 0)
		skip(2, "hotplug/states not readable");
	else {
		is_int(listed(hp, base), 0, "%s: base absent from hotplug/states", range);
		is_int(listed(hp, base + 1), 1, "%s: base+1 listed in hotplug/states",
		       range);
	}

	/* The removed callbacks must never run again. */
	log_reset();
	is_int(cpuhp_cpu_down(hp, 1, CPUHP_OFFLINE), 0, "%s: CPU1 down", range);
	is_int(cpuhp_cpu_up(hp, 1, CPUHP_ONLINE), 0, "%s: CPU1 up", range);
	is_str(log_str_of("a"), "", "%s: removed callbacks not called by down/up", range);
	is_str(log_str_of("b"), "T:b@1 S:b@1", "%s: base+1 still called by down/up",
	       range);

	s3 = cpuhp_setup_state_nocalls(hp, base, "test:c", rec_startup, rec_teardown, &c);
	is_int(s3, base, "%s: setup again gets the base slot back", range);
	is_int(cpuhp_remove_state_nocalls(hp, s3), 0, "%s: remove it", range);
	is_int(cpuhp_remove_state_nocalls(hp, s2), 0, "%s: remove base+1", range);
	ok(!cpuhp_state_name(hp, base) && !cpuhp_state_name(hp, base + 1),
	   "%s: both slots free at the end", range);
}

/* Fill every free slot of a range, then one more must fail with -ENOSPC. */
static void enospc(struct cpuhp *hp, int base, int end, int slots, const char *range)
{
	int got[64], n = 0, i, ret, nfree = free_slots(hp, base, end);
	unsigned long warns = cpuhp_warn_count(hp);
	bool distinct = true;

	is_int(end - base + 1, slots, "%s: the range has %d slots", range, slots);
	is_int(nfree, slots, "%s: all %d slots free at boot", range, slots);
	while (n < nfree && n < 64) {
		ret = cpuhp_setup_state_nocalls(hp, base, "test:fill", NULL, NULL, NULL);
		if (ret <= 0)
			break;
		got[n++] = ret;
	}
	is_int(n, nfree, "%s: %d dynamic setups succeeded", range, nfree);
	for (i = 0; i < n; i++)
		distinct &= got[i] == base + i;
	ok(distinct, "%s: slots handed out lowest first", range);
	is_int(cpuhp_setup_state_nocalls(hp, base, "test:over", NULL, NULL, NULL),
	       -ENOSPC, "%s: range full -> -ENOSPC", range);
	is_int(cpuhp_warn_count(hp), warns + 1, "%s: -ENOSPC WARNs once", range);
	for (i = 0; i < n; i++)
		cpuhp_remove_state_nocalls(hp, got[i]);
	is_int(free_slots(hp, base, end), nfree, "%s: all slots free again", range);
}

/* -EBUSY on an occupied slot must leave every dynamic slot as it was. */
static void ebusy(struct cpuhp *hp)
{
	int pfree = free_slots(hp, CPUHP_BP_PREPARE_DYN, CPUHP_BP_PREPARE_DYN_END);
	int ofree = free_slots(hp, CPUHP_AP_ONLINE_DYN, CPUHP_AP_ONLINE_DYN_END);
	struct probe p = PROBE("p");
	int dyn;

	log_reset();
	is_int(cpuhp_setup_state_nocalls(hp, 160, "test:first", NULL, NULL, NULL), 0,
	       "static setup of 160");
	is_int(cpuhp_setup_state(hp, 160, "test:second", rec_startup, rec_teardown, &p),
	       -EBUSY, "second static setup of 160 -> -EBUSY");
	is_str(cpuhp_state_name(hp, 160), "test:first", "first registration kept");
	is_str(log_str(), "", "refused setup called nothing");
	is_int(cpuhp_setup_state(hp, CPUHP_AP_SCHED_STARTING, "test:x", NULL, NULL, NULL),
	       -EBUSY, "setup over the built-in sched:starting -> -EBUSY");

	/* Passing the base itself asks for a new slot: test an explicit base+1. */
	dyn = cpuhp_setup_state_nocalls(hp, CPUHP_AP_ONLINE_DYN, "test:dyn", NULL, NULL,
					NULL);
	is_int(dyn, CPUHP_AP_ONLINE_DYN, "dynamic setup");
	is_int(cpuhp_setup_state_nocalls(hp, CPUHP_AP_ONLINE_DYN, "test:dyn2", NULL, NULL,
					 NULL),
	       dyn + 1, "second dynamic setup");
	is_int(cpuhp_setup_state_nocalls(hp, dyn + 1, "test:dup", NULL, NULL, NULL),
	       -EBUSY, "explicit setup of the taken dynamic slot -> -EBUSY");
	is_str(cpuhp_state_name(hp, dyn + 1), "test:dyn2",
	       "the taken slot kept its name");
	is_int(free_slots(hp, CPUHP_AP_ONLINE_DYN, CPUHP_AP_ONLINE_DYN_END), ofree - 2,
	       "no ONLINE_DYN slot leaked");
	is_int(free_slots(hp, CPUHP_BP_PREPARE_DYN, CPUHP_BP_PREPARE_DYN_END), pfree,
	       "no PREPARE_DYN slot leaked");
	is_int(cpuhp_setup_state_nocalls(hp, CPUHP_AP_ONLINE_DYN, "test:dyn3", NULL, NULL,
					 NULL),
	       dyn + 2, "next dynamic setup gets the next slot");
	cpuhp_remove_state_nocalls(hp, dyn + 2);
	cpuhp_remove_state_nocalls(hp, dyn + 1);
	cpuhp_remove_state_nocalls(hp, dyn);
	cpuhp_remove_state_nocalls(hp, 160);
	ok(cpuhp_state_name(hp, 160) == NULL, "160 free after removal");
}

/* The mainline model with one quirk line changed, from a temporary file. */
static struct cpuhp *machine_quirk(const char *from, const char *to)
{
	char path[] = MODEL_COPY_PATH;
	struct cpuhp *hp;

	if (!model_copy("mainline", from, to, NULL, path))
		return NULL;
	hp = machine_with(path, 0);
	unlink(path);
	return hp;
}

/* Before the 2024 fix (spec 9.3 #13) PREPARE_DYN setup invoked nothing. */
static void prepare_dyn_quirk(void)
{
	struct cpuhp *hp = machine_quirk("quirk prepare_dyn_invokes=y\n",
					 "quirk prepare_dyn_invokes=n\n");
	struct probe p = PROBE("p");

	if (!hp) {
		skip(4, "SRCDIR not set");
		return;
	}
	log_reset();
	is_int(cpuhp_setup_state(hp, CPUHP_BP_PREPARE_DYN, "test:pre", rec_startup,
				 rec_teardown, &p),
	       CPUHP_BP_PREPARE_DYN, "pre-fix: PREPARE_DYN setup still returns the slot");
	is_str(log_str(), "", "pre-fix: but runs no startup");
	is_int(cpuhp_setup_state(hp, CPUHP_AP_ONLINE_DYN, "test:on", rec_startup,
				 rec_teardown, &p),
	       CPUHP_AP_ONLINE_DYN, "pre-fix: ONLINE_DYN setup");
	is_str(log_str(), "S:p@0 S:p@1 S:p@2 S:p@3", "pre-fix: ONLINE_DYN runs startups");
	cpuhp_free(hp);
}

int main(void)
{
	struct cpuhp *hp;

	plan_no_plan();
	hp = machine();
	bug2(hp, CPUHP_BP_PREPARE_DYN, "PREPARE_DYN");
	bug2(hp, CPUHP_AP_ONLINE_DYN, "ONLINE_DYN");
	enospc(hp, CPUHP_BP_PREPARE_DYN, CPUHP_BP_PREPARE_DYN_END, 21, "PREPARE_DYN");
	enospc(hp, CPUHP_AP_ONLINE_DYN, CPUHP_AP_ONLINE_DYN_END, 41, "ONLINE_DYN");
	ebusy(hp);
	is_int(cpuhp_warn_count(hp), 2, "only the two -ENOSPC WARNs");
	cpuhp_free(hp);
	prepare_dyn_quirk();
	return done_testing();
}
