// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * core-steps.c - the callbacks of the core states and the AP's own side of
 * booting and dying.
 *
 * The model names these states and their symbols; this file gives them their
 * behaviour: creating the CPU thread, kicking and booting the AP (split or
 * monolithic bring-up), taking it down through the stop-machine rendezvous,
 * and the active mask.  The low-level synchronisation follows the v6.5 sync
 * state machine when the model enables HOTPLUG_CORE_SYNC_FULL (spec 3.12).
 */
#include <string.h>

#include "base/clock.h"
#include "base/debug-delay.h"
#include "base/futex.h"
#include "machine/log.h"
#include "model/model.h"
#include "walk/walk.h"

#define SYNC_TIMEOUT_NS (10ull * 1000 * 1000 * 1000)

static int noop_cb(struct cpuhp *hp, unsigned int cpu, void *data)
{
	(void)hp;
	(void)cpu;
	(void)data;
	return 0;
}

static int noop_multi_cb(struct cpuhp *hp, unsigned int cpu, struct cpuhp_node *node)
{
	(void)hp;
	(void)cpu;
	(void)node;
	return 0;
}

/* ---- sync state (spec 3.12) ---- */

static void sync_set(struct cpuhp_cpu *st, enum cpuhp_sync_state s)
{
	/* seq_cst: pairs with the sleeper count in cpuhp__wake/cpuhp__wait_ne. */
	atomic_store_explicit(&st->sync_state, s, memory_order_seq_cst);
	cpuhp__wake(&st->sync_q, &st->sync_state);
}

/* Wait until the sync state equals @want; false after the 10 s limit. */
static bool sync_wait(struct cpuhp_cpu *st, enum cpuhp_sync_state want)
{
	uint64_t end = cpuhp__now_ns() + SYNC_TIMEOUT_NS, now;
	int s;

	/* acquire: pairs with sync_set's store on the other side. */
	while ((s = atomic_load_explicit(&st->sync_state, memory_order_acquire)) !=
	       (int)want) {
		now = cpuhp__now_ns();
		if (now >= end)
			return false;
		if (!cpuhp__wait_ne_timeout(&st->sync_q, &st->sync_state, s, end - now))
			return false;
	}
	return true;
}

/*
 * cpuhp_can_boot_ap: a previous attempt may be retried, limbo may not.
 * Sets *running when an earlier attempt failed after its kick: that AP's
 * boot is still pending (KICKED) or spinning in the alive handshake (ALIVE),
 * so it is restarted through the sync state, not handed a second boot.
 */
static bool can_boot_ap(struct cpuhp *hp, struct cpuhp_cpu *st, bool *running)
{
	int s = atomic_load_explicit(&st->sync_state, memory_order_relaxed);

	*running = false;
	if (!hp->kc.core_sync)
		return true;
	if (s != SYNC_STATE_DEAD && s != SYNC_STATE_KICKED && s != SYNC_STATE_ALIVE)
		return false;
	*running = s == SYNC_STATE_ALIVE || s == SYNC_STATE_KICKED;
	sync_set(st, SYNC_STATE_KICKED);
	return true;
}

/*
 * cpuhp_ap_sync_alive: report ALIVE and spin until released.  The kernel's
 * AP spins here until the control CPU releases it, however long that takes;
 * a new kick (KICKED) restarts the handshake, and cpuhp_free() ends it.
 * Return: false if the thread must exit instead.
 *
 * The sync word is read before the work word, and the wait is on the value
 * read: cpuhp__thread_stop_all() stores WORK_EXIT, then SYNC_STATE_EXIT,
 * then wakes.  So either this thread sees WORK_EXIT, or the value it waits
 * on is already stale and the futex wait returns at once.  (Checking work
 * first lost the wake-up when the stop came between the check and the wait:
 * cpuhp_free then hung joining a CPU left alive by a failed bring-up.)
 */
static bool ap_sync_alive(struct cpuhp_cpu *st)
{
	bool released = false;
	int s;

	sync_set(st, SYNC_STATE_ALIVE);
	/* seq_cst: pairs with cpuhp__wake()'s sleeper check in the stopper. */
	atomic_fetch_add_explicit(&st->sync_q.sleepers, 1, memory_order_seq_cst);
	for (;;) {
		s = atomic_load_explicit(&st->sync_state, memory_order_seq_cst);
		if (atomic_load_explicit(&st->work, memory_order_seq_cst) == WORK_EXIT)
			break;
		if (s == SYNC_STATE_SHOULD_ONLINE) {
			released = true;
			break;
		}
		if (s == SYNC_STATE_KICKED) {
			atomic_store_explicit(&st->sync_state, SYNC_STATE_ALIVE,
					      memory_order_seq_cst);
			cpuhp__wake(&st->sync_q, &st->sync_state);
			continue;
		}
		CPUHP_DELAY_POINT();
		cpuhp__futex_wait(&st->sync_state, s);
	}
	atomic_fetch_sub_explicit(&st->sync_q.sleepers, 1, memory_order_relaxed);
	return released;
}

/* ---- the AP's side ---- */

/**
 * cpuhp__ap_boot - the AP's low-level start, on its own thread
 * @hp: the machine
 * @st: the CPU's record
 *
 * Alive handshake, the STARTING callbacks in atomic context, then the
 * architecture marks the CPU online and the idle task reports
 * CPUHP_AP_ONLINE_IDLE (skipping TEARDOWN_CPU) and completes done_up.
 */
void cpuhp__ap_boot(struct cpuhp *hp, struct cpuhp_cpu *st)
{
	struct cpuhp_tctx *t = cpuhp__tctx();
	sigset_t saved;
	int target;

	if (hp->kc.core_sync && !ap_sync_alive(st))
		return;
	/* Read only once released: a restarted attempt has a new target. */
	target = st_target(st);
	/* notify_cpu_starting */
	cpuhp__mask_assign(&hp->booted_once, st->cpu, true);
	cpuhp__atomic_enter(t, CPUHP_CTX_STARTING, &saved);
	cpuhp__invoke_range_nofail(hp, st, true,
				   target < hp->b.ap_online ? target : hp->b.ap_online);
	cpuhp__atomic_exit(t, &saved);

	cpuhp__mask_assign(&hp->online, st->cpu, true);
	atomic_fetch_add_explicit(&hp->num_online, 1, memory_order_relaxed);

	/* cpuhp_online_idle */
	if (hp->kc.core_sync)
		sync_set(st, SYNC_STATE_ONLINE);
	st_set_state(st, hp->b.ap_online_idle);
	cpuhp__complete(&st->done_up);
}

/**
 * cpuhp__ap_report_idle_dead - the dead AP's last words (cpuhp_report_idle_dead)
 * @hp: the machine
 * @st: the CPU's record
 */
void cpuhp__ap_report_idle_dead(struct cpuhp *hp, struct cpuhp_cpu *st)
{
	/* The kernel BUGs here; reachable only with a target inside DYING. */
	if (st_state(st) != hp->b.ap_offline)
		CPUHP_WARN(hp, "CPU %u died at state %d, not %d", st->cpu, st_state(st),
			   hp->b.ap_offline);
	st_set_state(st, hp->b.ap_idle_dead);
	if (hp->kc.core_sync)
		sync_set(st, SYNC_STATE_DEAD);
	cpuhp__complete(&st->done_down);
}

/* ---- control side ---- */

static int create_threads(struct cpuhp *hp, unsigned int cpu, void *data)
{
	(void)data;
	return cpuhp__thread_create(hp, cpu);
}

/* cpuhp_kick_ap_alive: start the AP's low-level boot. */
static int kick_ap_alive(struct cpuhp *hp, unsigned int cpu, void *data)
{
	struct cpuhp_cpu *st = cpuhp__cpu(hp, cpu);
	bool running;

	(void)data;
	if (!can_boot_ap(hp, st, &running))
		return -EAGAIN;
	if (!running)
		cpuhp__post_work(st, WORK_BOOT);
	return 0;
}

/* cpuhp_bp_sync_alive: release the AP waiting in the alive handshake. */
static int bp_sync_alive(struct cpuhp *hp, struct cpuhp_cpu *st)
{
	if (!hp->kc.core_sync)
		return 0;
	if (!sync_wait(st, SYNC_STATE_ALIVE)) {
		cpuhp_err(hp, "CPU%u failed to report alive state", st->cpu);
		return -EIO;
	}
	sync_set(st, SYNC_STATE_SHOULD_ONLINE);
	return 0;
}

/* bringup_wait_for_ap_online, then the ONLINE section on the AP's thread. */
static int wait_for_ap_online(struct cpuhp *hp, struct cpuhp_cpu *st)
{
	cpuhp__wait_for_completion(&st->done_up);
	if (!cpuhp__mask_test(&hp->online, st->cpu)) {
		CPUHP_WARN(hp, "CPU %u did not come online", st->cpu);
		return -ECANCELED;
	}
	atomic_store_explicit(&st->parked, false, memory_order_relaxed);
	/* nosmt: a sibling is booted once (x86 needs CR4.MCE), then sent back. */
	if (!cpuhp__cpu_bootable(hp, st->cpu))
		return -ECANCELED;
	if (st_target(st) <= hp->b.ap_online_idle)
		return 0;
	return cpuhp__kick_ap(hp, st, st_target(st));
}

/* cpuhp_bringup_ap: the split bring-up's second half. */
static int bringup_ap(struct cpuhp *hp, unsigned int cpu, void *data)
{
	struct cpuhp_cpu *st = cpuhp__cpu(hp, cpu);
	int ret;

	(void)data;
	ret = bp_sync_alive(hp, st);
	if (ret)
		return ret;
	return wait_for_ap_online(hp, st);
}

/* bringup_cpu: the monolithic bring-up (no CPUHP_BP_KICK_AP state). */
static int bringup_cpu(struct cpuhp *hp, unsigned int cpu, void *data)
{
	int ret = kick_ap_alive(hp, cpu, data);

	return ret ? ret : bringup_ap(hp, cpu, data);
}

static int finish_cpu(struct cpuhp *hp, unsigned int cpu, void *data)
{
	(void)hp;
	(void)cpu;
	(void)data;
	return 0;
}

/* takedown_cpu: the TEARDOWN_CPU teardown, on the control thread. */
/* __cpu_disable + the DYING walk, on the outgoing CPU inside the rendezvous. */
static int take_cpu_down(struct cpuhp *hp, struct cpuhp_cpu *st)
{
	int target = st_target(st);

	/* Architecture part: the CPU leaves the online mask first. */
	cpuhp__mask_assign(&hp->online, st->cpu, false);
	atomic_fetch_sub_explicit(&hp->num_online, 1, memory_order_relaxed);

	CPUHP_WARN_ON(hp, st_state(st) != hp->b.teardown_cpu - 1);
	cpuhp__tctx()->ctx = CPUHP_CTX_DYING;
	cpuhp__invoke_range_nofail(hp, st, false,
				   target > hp->b.ap_offline ? target : hp->b.ap_offline);
	return 0;
}

static int takedown_cpu(struct cpuhp *hp, unsigned int cpu, void *data)
{
	struct cpuhp_cpu *st = cpuhp__cpu(hp, cpu);
	int err;

	(void)data;
	atomic_store_explicit(&st->parked, true, memory_order_relaxed);
	err = cpuhp__stop_machine_cpu(hp, cpu, take_cpu_down, cpuhp__ap_report_idle_dead);
	if (err) {
		/* The CPU stays: the rollback will run on its thread. */
		atomic_store_explicit(&st->parked, false, memory_order_relaxed);
		return err;
	}
	CPUHP_WARN_ON(hp, cpuhp__mask_test(&hp->online, cpu));
	cpuhp__wait_for_completion(&st->done_down);
	CPUHP_WARN_ON(hp, st_state(st) != hp->b.ap_idle_dead);
	/* cpuhp_bp_sync_dead: the AP already reported DEAD in report_idle_dead. */
	if (hp->kc.core_sync && !sync_wait(st, SYNC_STATE_DEAD))
		cpuhp_err(hp, "CPU%u failed to report dead state", cpu);
	return 0;
}

/* Online siblings of @cpu's core, itself included (cpu_smt_mask weight). */
static unsigned int smt_weight(struct cpuhp *hp, unsigned int cpu)
{
	unsigned int c, first = cpu - hp->cpus[cpu].thread_id, n = 0;

	for (c = first; c < first + hp->threads_per_core && c < hp->nr_possible; c++)
		n += cpuhp__mask_test(&hp->online, c);
	return n;
}

static int sched_cpu_activate(struct cpuhp *hp, unsigned int cpu, void *data)
{
	(void)data;
	/* The scheduler counts cores that gain their second sibling. */
	if (smt_weight(hp, cpu) == 2)
		atomic_fetch_add_explicit(&hp->smt_active, 1, memory_order_relaxed);
	cpuhp__mask_assign(&hp->active, cpu, true);
	return 0;
}

static int sched_cpu_deactivate(struct cpuhp *hp, unsigned int cpu, void *data)
{
	(void)data;
	cpuhp__mask_assign(&hp->active, cpu, false);
	if (smt_weight(hp, cpu) == 2)
		atomic_fetch_sub_explicit(&hp->smt_active, 1, memory_order_relaxed);
	return 0;
}

static void bind(struct cpuhp *hp, int state, enum cpuhp_core_action core, cpuhp_cb_fn up,
		 cpuhp_cb_fn down)
{
	struct cpuhp_step *sp;

	if (state < 0)
		return;
	sp = cpuhp__step(hp, state);
	sp->core = core;
	if (sp->startup_sym[0])
		sp->startup.single = up;
	if (sp->teardown_sym[0])
		sp->teardown.single = down;
}

/**
 * cpuhp__bind_core_callbacks - give the model's built-in states their callbacks
 * @hp: the machine, with its step table loaded
 *
 * A state only gets a callback in the directions for which the model names a
 * symbol; every other named built-in callback is a no-op that returns 0.
 * Called once the kernel config switches are final (they remove states).
 */
void cpuhp__bind_core_callbacks(struct cpuhp *hp)
{
	const struct cpuhp_bounds *b = &hp->b;
	int s;

	for (s = 0; s <= b->online; s++) {
		struct cpuhp_step *sp = cpuhp__step(hp, s);

		if (sp->startup_sym[0]) {
			if (sp->multi_instance)
				sp->startup.multi = noop_multi_cb;
			else
				sp->startup.single = noop_cb;
		}
		if (sp->teardown_sym[0]) {
			if (sp->multi_instance)
				sp->teardown.multi = noop_multi_cb;
			else
				sp->teardown.single = noop_cb;
		}
	}
	bind(hp, b->create_threads, CORE_CREATE_THREADS, create_threads, NULL);
	/*
	 * Kconfig: HOTPLUG_SPLIT_STARTUP selects HOTPLUG_CORE_SYNC_FULL.  Without
	 * the alive handshake a kicked AP could start its walk before the
	 * control thread moved past BP_KICK_AP and run BRINGUP_CPU itself (a
	 * hang found by fuzzing a model without the switch).
	 */
	if (b->kick_ap >= 0 && hp->kc.split_startup)
		hp->kc.core_sync = hp->declared.core_sync = true;
	if (b->kick_ap >= 0 && !hp->kc.split_startup) {
		/* Without split start-up the kick state is an empty hole. */
		cpuhp__clear_step(hp, b->kick_ap);
		hp->b.kick_ap = -1;
		strcpy(cpuhp__step(hp, b->bringup_cpu)->startup_sym, "bringup_cpu");
	}
	bind(hp, b->kick_ap, CORE_KICK_AP, kick_ap_alive, NULL);
	bind(hp, b->bringup_cpu, CORE_BRINGUP, b->kick_ap >= 0 ? bringup_ap : bringup_cpu,
	     finish_cpu);
	bind(hp, b->teardown_cpu, CORE_TEARDOWN, NULL, takedown_cpu);
	/* CONFIG_HOTPLUG_CPU=n: there is no way to take a CPU down. */
	if (!hp->kc.hotplug_cpu)
		cpuhp__step(hp, b->teardown_cpu)->teardown.single = NULL;
	bind(hp, b->ap_active, CORE_ACTIVE, sched_cpu_activate, sched_cpu_deactivate);
}
