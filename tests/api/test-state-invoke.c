// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-state-invoke.c - which CPUs, in which order and in which context the
 * registration API invokes callbacks (spec 4.2-4.4, rules 17-19): every
 * present CPU at or above the state, ascending; PREPARE states on the
 * calling thread, AP states on the CPU's thread; rollback of a failed
 * install on the CPUs below the failing one; fail injection on install and
 * removal; removal-time teardown failures warn and do not stop removal.
 */
#include <errno.h>

#include "reg-common.h"

static pthread_t main_thread;

/*
 * Did every call logged for @tag run in @ctx, on the calling thread
 * (control) or on the thread of the CPU it was for (AP contexts)?
 */
static bool ran_in(const char *tag, enum cpuhp_context ctx)
{
	unsigned int i, n = 0;
	bool good = true;

	pthread_mutex_lock(&calls_lock);
	for (i = 0; i < nr_calls; i++) {
		const struct call *c = &calls[i];
		bool on_main = pthread_equal(c->thread, main_thread);

		if (strcmp(c->tag, tag))
			continue;
		n++;
		if (c->ctx != ctx)
			good = false;
		else if (ctx == CPUHP_CTX_CONTROL && (!on_main || c->ctx_cpu != -1))
			good = false;
		else if (ctx != CPUHP_CTX_CONTROL &&
			 (on_main || c->ctx_cpu != (int)c->cpu))
			good = false;
		if (!good)
			diag("%s@%u ran in context %d on cpu thread %d (main: %d)", tag,
			     c->cpu, c->ctx, c->ctx_cpu, on_main);
	}
	pthread_mutex_unlock(&calls_lock);
	return good && n > 0;
}

static void order_and_context(struct cpuhp *hp)
{
	struct probe pre = PROBE("pre"), st = PROBE("st"), on = PROBE("on");

	log_reset();
	is_int(cpuhp_setup_state(hp, 20, "test:prepare", rec_startup, rec_teardown, &pre),
	       0, "PREPARE state 20");
	is_int(cpuhp_setup_state(hp, 100, "test:starting", rec_startup, rec_teardown,
				 &st),
	       0, "STARTING state 100");
	is_int(cpuhp_setup_state(hp, 160, "test:online", rec_startup, rec_teardown, &on),
	       0, "ONLINE state 160");
	is_str(log_str(),
	       "S:pre@0 S:pre@1 S:pre@2 S:pre@3 S:st@0 S:st@1 S:st@2 S:st@3 "
	       "S:on@0 S:on@1 S:on@2 S:on@3",
	       "startups on every CPU, ascending");
	ok(ran_in("pre", CPUHP_CTX_CONTROL), "PREPARE startup on the calling thread");
	ok(ran_in("st", CPUHP_CTX_STARTING),
	   "STARTING startup on the CPU's thread, atomic");
	ok(ran_in("on", CPUHP_CTX_AP), "ONLINE startup on the CPU's cpuhp/N thread");

	log_reset();
	is_int(cpuhp_remove_state(hp, 160), 0, "remove 160");
	is_int(cpuhp_remove_state(hp, 100), 0, "remove 100");
	is_int(cpuhp_remove_state(hp, 20), 0, "remove 20");
	is_str(log_str(),
	       "T:on@0 T:on@1 T:on@2 T:on@3 T:st@0 T:st@1 T:st@2 T:st@3 "
	       "T:pre@0 T:pre@1 T:pre@2 T:pre@3",
	       "teardowns on every CPU, ascending");
	ok(ran_in("pre", CPUHP_CTX_CONTROL), "PREPARE teardown on the calling thread");
	/* A STARTING state's teardown is a "dying" callback: atomic, on the CPU. */
	ok(ran_in("st", CPUHP_CTX_DYING),
	   "STARTING teardown on the CPU's thread, atomic");
	ok(ran_in("on", CPUHP_CTX_AP), "ONLINE teardown on the CPU's cpuhp/N thread");
}

/* Only CPUs whose state is at or above the registered state are called. */
static void invocation_set(struct cpuhp *hp)
{
	struct probe pre = PROBE("pre"), on = PROBE("on");

	is_int(cpuhp_cpu_down(hp, 1, CPUHP_OFFLINE), 0, "CPU1 down");
	log_reset();
	is_int(cpuhp_setup_state(hp, 20, "test:prepare", rec_startup, rec_teardown, &pre),
	       0, "PREPARE state 20 with CPU1 offline");
	is_int(cpuhp_setup_state(hp, 160, "test:online", rec_startup, rec_teardown, &on),
	       0, "ONLINE state 160 with CPU1 offline");
	is_str(log_str(), "S:pre@0 S:pre@2 S:pre@3 S:on@0 S:on@2 S:on@3",
	       "offline CPU1 skipped");
	log_reset();
	is_int(cpuhp_cpu_up(hp, 1, CPUHP_ONLINE), 0, "CPU1 up");
	is_str(log_str(), "S:pre@1 S:on@1", "bring-up ran the new startups on CPU1");
	is_int(cpuhp_cpu_down(hp, 2, CPUHP_OFFLINE), 0, "CPU2 down");
	log_reset();
	is_int(cpuhp_remove_state(hp, 160), 0, "remove 160");
	is_int(cpuhp_remove_state(hp, 20), 0, "remove 20");
	is_str(log_str(), "T:on@0 T:on@1 T:on@3 T:pre@0 T:pre@1 T:pre@3",
	       "removal skipped offline CPU2");
	is_int(cpuhp_cpu_up(hp, 2, CPUHP_ONLINE), 0, "CPU2 up");
}

/* Startup fails on CPU @n: teardown on the CPUs below, slot freed. */
static void install_failure(struct cpuhp *hp, int state, int n, bool with_teardown)
{
	struct probe p = PROBE("p");
	char want[128];
	int ret, i, len = 0;

	p.fail_cpu = n;
	p.fail_ret = -EIO;
	for (i = 0; i <= n; i++)
		len += snprintf(want + len, sizeof(want) - (size_t)len, "%sS:p@%d",
				i ? " " : "", i);
	for (i = 0; with_teardown && i < n; i++)
		len += snprintf(want + len, sizeof(want) - (size_t)len, " T:p@%d", i);

	log_reset();
	ret = cpuhp_setup_state(hp, state, "test:fail", rec_startup,
				with_teardown ? rec_teardown : NULL, &p);
	is_int(ret, -EIO, "state %d failing on CPU%d: error returned", state, n);
	is_str(log_str(), want, "state %d failing on CPU%d: rolled back below CPU%d",
	       state, n, n);
	ok(cpuhp_state_name(hp, state) == NULL, "state %d failing on CPU%d: slot freed",
	   state, n);

	log_reset();
	is_int(cpuhp_cpu_down(hp, 1, CPUHP_OFFLINE), 0, "CPU1 down");
	is_int(cpuhp_cpu_up(hp, 1, CPUHP_ONLINE), 0, "CPU1 up");
	is_str(log_str(), "", "the refused callbacks are never called again");
}

static void dyn_failure(struct cpuhp *hp)
{
	struct probe p = PROBE("p");

	p.fail_cpu = 1;
	p.fail_ret = -ENOMEM;
	is_int(cpuhp_setup_state(hp, CPUHP_AP_ONLINE_DYN, "test:dynfail", rec_startup,
				 rec_teardown, &p),
	       -ENOMEM, "dynamic setup failing on CPU1");
	ok(cpuhp_state_name(hp, CPUHP_AP_ONLINE_DYN) == NULL, "dynamic slot freed");
	is_int(cpuhp_setup_state_nocalls(hp, CPUHP_AP_ONLINE_DYN, "test:dyn", NULL, NULL,
					 NULL),
	       CPUHP_AP_ONLINE_DYN, "next dynamic setup gets the same slot");
	cpuhp_remove_state_nocalls(hp, CPUHP_AP_ONLINE_DYN);
}

/*
 * cpuhp_fail_set() also fires for install and removal invocations.  A
 * PREPARE state can only be armed on a CPU at or below BRINGUP_CPU, so for
 * one CPU2 is first parked at state 50: still in the invocation set.
 */
static void injected(struct cpuhp *hp, int state, bool park)
{
	struct probe p = PROBE("p");
	unsigned long warns;

	if (park)
		is_int(cpuhp_cpu_down(hp, 2, 50), 0, "CPU2 down to 50");
	is_int(cpuhp_setup_state_nocalls(hp, state, "test:arm", rec_startup, NULL, &p), 0,
	       "state %d registered to arm it", state);
	is_int(cpuhp_fail_set(hp, 2, state), 0, "arm CPU2 at %d", state);
	is_int(cpuhp_remove_state_nocalls(hp, state), 0, "unregister, CPU2 stays armed");
	is_int(cpuhp_fail_get(hp, 2), state, "still armed");
	log_reset();
	is_int(cpuhp_setup_state(hp, state, "test:inj", rec_startup, rec_teardown, &p),
	       -EAGAIN, "install at %d fails with -EAGAIN on CPU2", state);
	is_str(log_str(), "S:p@0 S:p@1 T:p@0 T:p@1",
	       "CPU2 not called, CPUs 0-1 rolled back");
	is_int(cpuhp_fail_get(hp, 2), -1, "one-shot: disarmed");
	ok(cpuhp_state_name(hp, state) == NULL, "slot freed");

	is_int(cpuhp_setup_state(hp, state, "test:inj", rec_startup, rec_teardown, &p), 0,
	       "install at %d now succeeds", state);
	is_int(cpuhp_fail_set(hp, 2, state), 0, "arm CPU2 at %d again", state);
	warns = cpuhp_warn_count(hp);
	log_reset();
	is_int(cpuhp_remove_state(hp, state), 0,
	       "removal with an injected teardown failure");
	is_str(log_str(), "T:p@0 T:p@1 T:p@3",
	       "CPU2's teardown not called, removal went on");
	is_int(cpuhp_warn_count(hp), warns + 1, "the failed teardown WARNed");
	is_int(cpuhp_fail_get(hp, 2), -1, "disarmed");
	ok(cpuhp_state_name(hp, state) == NULL, "state removed");
	if (park)
		is_int(cpuhp_cpu_up(hp, 2, CPUHP_ONLINE), 0, "CPU2 up again");
}

static void teardown_error(struct cpuhp *hp)
{
	struct probe p = PROBE("p");
	unsigned long warns;

	p.teardown_fail_cpu = 2;
	is_int(cpuhp_setup_state(hp, 160, "test:tderr", rec_startup, rec_teardown, &p), 0,
	       "setup 160");
	warns = cpuhp_warn_count(hp);
	log_reset();
	is_int(cpuhp_remove_state(hp, 160), 0,
	       "removal returns 0 despite a teardown error");
	is_str(log_str(), "T:p@0 T:p@1 T:p@2 T:p@3", "all teardowns called");
	is_int(cpuhp_warn_count(hp), warns + 1, "the error WARNed");
	ok(cpuhp_state_name(hp, 160) == NULL, "state removed");
}

static void nocalls(struct cpuhp *hp)
{
	struct probe p = PROBE("p");
	struct cpuhp_step_desc desc = {
		.name = "test:desc",
		.startup = rec_startup,
		.teardown = rec_teardown,
		.data = &p,
	};

	log_reset();
	is_int(cpuhp_setup_state_nocalls(hp, 160, "test:nocalls", rec_startup,
					 rec_teardown, &p),
	       0, "setup_nocalls");
	is_int(cpuhp_remove_state_nocalls(hp, 160), 0, "remove_nocalls");
	is_int(cpuhp_setup_state_desc(hp, 20, &desc, CPUHP_F_NOCALLS), 0, "desc NOCALLS");
	is_int(cpuhp_remove_state_nocalls(hp, 20), 0, "remove it");
	is_int(cpuhp_setup_state(hp, 160, "test:nostartup", NULL, rec_teardown, &p), 0,
	       "setup without a startup");
	is_str(log_str(), "", "nothing invoked");
	is_int(cpuhp_remove_state(hp, 160), 0, "remove it with calls");
	is_str(log_str(), "T:p@0 T:p@1 T:p@2 T:p@3", "its teardown ran");
}

/* Built-in states can be removed (the kernel allows it); the slot is reusable. */
static void builtin_removal(struct cpuhp *hp)
{
	struct probe p = PROBE("p");

	is_str(cpuhp_state_name(hp, 190), "base/cacheinfo:online", "190 is built in");
	is_int(cpuhp_remove_state(hp, 190), 0, "remove built-in 190");
	ok(cpuhp_state_name(hp, 190) == NULL, "190 is gone");
	is_int(cpuhp_remove_state(hp, 191), 0, "removing a free slot is allowed");
	is_int(cpuhp_cpu_down(hp, 1, CPUHP_OFFLINE), 0, "CPU1 down without it");
	is_int(cpuhp_cpu_up(hp, 1, CPUHP_ONLINE), 0, "CPU1 up without it");
	log_reset();
	is_int(cpuhp_setup_state(hp, 190, "test:reuse", rec_startup, rec_teardown, &p), 0,
	       "190 can be registered again");
	is_str(log_str(), "S:p@0 S:p@1 S:p@2 S:p@3", "its startup ran");
	is_int(cpuhp_remove_state_nocalls(hp, 190), 0, "remove it");
}

/* A CPU that is not present is never called. */
static void not_present(void)
{
	struct cpuhp *hp = machine_with(NULL, 3);
	struct probe p = PROBE("p");

	ok(!cpuhp_cpu_present(hp, 3), "CPU3 not present");
	log_reset();
	is_int(cpuhp_setup_state(hp, 20, "test:prepare", rec_startup, rec_teardown, &p),
	       0, "setup 20 with 3 present CPUs");
	is_int(cpuhp_remove_state(hp, 20), 0, "remove 20");
	is_str(log_str(), "S:p@0 S:p@1 S:p@2 T:p@0 T:p@1 T:p@2", "CPU3 never called");
	cpuhp_free(hp);
}

int main(void)
{
	struct cpuhp *hp;

	plan_no_plan();
	main_thread = pthread_self();
	hp = machine();
	order_and_context(hp);
	invocation_set(hp);
	install_failure(hp, 20, 2, true);
	install_failure(hp, 160, 2, true);
	install_failure(hp, 160, 3, false);
	install_failure(hp, 160, 0, true);
	dyn_failure(hp);
	is_int(cpuhp_warn_count(hp), 0, "no WARN on these paths");
	/* STARTING callbacks must not fail: the CPU thread WARNs, then rolls back. */
	install_failure(hp, 100, 1, true);
	is_int(cpuhp_warn_count(hp), 1, "a failing STARTING install WARNs");
	injected(hp, 20, true);
	injected(hp, 160, false);
	teardown_error(hp);
	nocalls(hp);
	builtin_removal(hp);
	cpuhp_free(hp);
	not_present();
	return done_testing();
}
