// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * core.c - creating, booting and freeing a machine, and the queries.
 *
 * Boot follows the kernel: the boot CPU starts online at CPUHP_ONLINE with
 * its thread running; the other present CPUs are brought up one by one to
 * CPUHP_ONLINE through cpu_up(), honouring maxcpus= and nosmp, and a failure
 * only leaves that CPU down.  Freeing takes every other CPU down through the
 * normal path, so users' teardown callbacks run, then joins every thread.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "control/ctl-path.h"
#include "host/backend.h"
#include "machine/log.h"
#include "model/model.h"
#include "walk/walk.h"

#define DEFAULT_CPUS 4

void cpuhp_config_init(struct cpuhp_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->model = "mainline";
	cfg->nr_possible = DEFAULT_CPUS;
	cfg->threads_per_core = 1;
	cfg->log_priority = LOG_WARNING;
}

static int check_config(const struct cpuhp_config *cfg, struct cpuhp *hp)
{
	unsigned int tpc = cfg->threads_per_core ? cfg->threads_per_core : 1;

	if (cfg->nr_possible < 1 || cfg->nr_possible > CPUHP_MAX_CPUS) {
		cpuhp_err(hp, "possible CPUs must be 1..%d, not %u", CPUHP_MAX_CPUS,
			  cfg->nr_possible);
		return -EINVAL;
	}
	if (cfg->nr_present > cfg->nr_possible) {
		cpuhp_err(hp, "present CPUs (%u) exceed possible CPUs (%u)",
			  cfg->nr_present, cfg->nr_possible);
		return -EINVAL;
	}
	if (tpc > 8 || cfg->nr_possible % tpc) {
		cpuhp_err(hp, "threads per core must be 1..8 and divide the CPU count");
		return -EINVAL;
	}
	return 0;
}

static void init_lock(pthread_mutex_t *m)
{
	int err = pthread_mutex_init(m, NULL);

	if (err)
		cpuhp_die(err);
}

static void init_locks(struct cpuhp *hp)
{
	init_lock(&hp->device_lock);
	init_lock(&hp->add_remove_lock);
	init_lock(&hp->state_mutex);
	init_lock(&hp->stop.lock);
	cpuhp__waitq_init(&hp->stop.arrived_q, &hp->stat_wakeups);
	cpuhp__waitq_init(&hp->stop.run_q, &hp->stat_wakeups);
	cpuhp__waitq_init(&hp->stop.left_q, &hp->stat_wakeups);
	cpuhp__rw_init(hp, !(hp->cfg_flags & CPUHP_CONFIG_NO_MEMBARRIER));
}

static void init_cpu(struct cpuhp *hp, unsigned int cpu)
{
	struct cpuhp_cpu *st = cpuhp__cpu(hp, cpu);

	st->hp = hp;
	st->cpu = cpu;
	atomic_init(&st->fail, CPUHP_INVALID);
	atomic_init(&st->dev_offline, true);
	cpuhp__waitq_init(&st->work_q, &hp->stat_wakeups);
	cpuhp__waitq_init(&st->sync_q, &hp->stat_wakeups);
	cpuhp__completion_init(&st->done_up, &hp->stat_wakeups);
	cpuhp__completion_init(&st->done_down, &hp->stat_wakeups);
	/* cpu < CPUHP_MAX_CPUS, so the name always fits the 16-byte comm. */
	snprintf(st->comm, sizeof(st->comm), "cpuhp/%hu", (unsigned short)cpu);
	st->pid = atomic_fetch_add_explicit(&hp->next_pid, 1, memory_order_relaxed);
}

static int alloc_cpus(struct cpuhp *hp)
{
	struct cpuhp_mask *masks[] = { &hp->possible, &hp->present, &hp->online,
				       &hp->active,   &hp->dying,   &hp->booted_once };
	unsigned int cpu;
	size_t i;

	hp->cpus = calloc(hp->nr_possible, sizeof(*hp->cpus));
	if (!hp->cpus)
		return -ENOMEM;
	for (i = 0; i < sizeof(masks) / sizeof(masks[0]); i++)
		if (cpuhp__mask_init(masks[i], hp->nr_possible))
			return -ENOMEM;
	for (cpu = 0; cpu < hp->nr_possible; cpu++) {
		init_cpu(hp, cpu);
		cpuhp__mask_assign(&hp->possible, cpu, true);
		cpuhp__mask_assign(&hp->present, cpu, cpu < hp->nr_present);
	}
	return 0;
}

/* boot_cpu_init + boot_cpu_hotplug_init + cpuhp_threads_init. */
static int boot_cpu_init(struct cpuhp *hp)
{
	struct cpuhp_cpu *st = cpuhp__cpu(hp, 0);
	int err;

	cpuhp__mask_assign(&hp->online, 0, true);
	cpuhp__mask_assign(&hp->active, 0, true);
	cpuhp__mask_assign(&hp->booted_once, 0, true);
	atomic_store_explicit(&hp->num_online, 1, memory_order_relaxed);
	atomic_store_explicit(&st->sync_state, SYNC_STATE_ONLINE, memory_order_relaxed);
	st_set_state(st, hp->b.online);
	st_set_target(st, hp->kc.boot_target_online ? hp->b.online : hp->b.offline);
	atomic_store_explicit(&st->dev_offline, false, memory_order_relaxed);
	/* Before the boot CPU's thread runs, its AP callbacks run in the boot task. */
	cpuhp__boot_register(hp, false);
	err = cpuhp__thread_create(hp, 0);
	if (!err)
		atomic_store_explicit(&st->parked, false, memory_order_relaxed);
	return err;
}

/*
 * bringup_nonboot_cpus.  Mainline walks the present mask through cpu_up()
 * and counts every CPU, the boot CPU and failures included, against
 * maxcpus; 6.1 (quirk boot_counts_online) stops on the number of online
 * CPUs instead (spec 3.13).
 */
static void bringup_nonboot_cpus(struct cpuhp *hp)
{
	unsigned int cpu;
	int n = hp->max_cpus < 0 ? CPUHP_MAX_CPUS : hp->max_cpus;

	if (cpuhp__parallel_bringup(hp) && !hp->kc.boot_counts_online) {
		/* Bug zoo (bug_maxcpus0_all, v6.5..v6.10): maxcpus=0 wrapped
		 * around in the parallel path and brought every CPU up. */
		if (hp->kc.bug_maxcpus0_all && hp->max_cpus == 0)
			cpuhp__bringup_nonboot_parallel(hp, -1);
		else if (n > 0)
			cpuhp__bringup_nonboot_parallel(hp, hp->max_cpus);
		goto flags;
	}
	for (cpu = 0; cpu < hp->nr_possible && n > 0; cpu++) {
		if (!cpuhp__mask_test(&hp->present, cpu))
			continue;
		if (hp->kc.boot_counts_online && cpuhp_num_online(hp) >= (unsigned int)n)
			break;
		if (!cpuhp__mask_test(&hp->online, cpu) &&
		    cpuhp__cpu_up(hp, cpu, hp->b.online))
			cpuhp_dbg(hp, "boot: CPU %u did not come up", cpu);
		if (!hp->kc.boot_counts_online)
			n--;
	}
flags:
	/* The device core registers each CPU with its state after boot. */
	for (cpu = 0; cpu < hp->nr_possible; cpu++)
		atomic_store_explicit(&hp->cpus[cpu].dev_offline,
				      !cpuhp__mask_test(&hp->online, cpu),
				      memory_order_relaxed);
}

static int build(struct cpuhp *hp, const struct cpuhp_config *cfg)
{
	int err;

	err = cpuhp__model_load(hp, cfg->model ? cfg->model : "mainline");
	if (!err)
		err = cpuhp__parse_kconfig(hp, cfg->kconfig);
	if (!err)
		err = cpuhp__parse_cmdline(hp, cfg->cmdline);
	if (err)
		return err;
	/* The upward calls of the lower layers (machine.h). */
	hp->ap_work = cpuhp__ap_work;
	hp->trace_tap = cpuhp__ledger_set_trace;
	cpuhp__bind_core_callbacks(hp);
	cpuhp__boot_hide(hp);
	cpuhp__ctl_init(hp);
	init_locks(hp);
	err = alloc_cpus(hp);
	if (err)
		return err;
	cpuhp__smt_init(hp);
	cpuhp__futex_hash_reserve(hp);
	err = boot_cpu_init(hp);
	if (err)
		return err;
	bringup_nonboot_cpus(hp);
	cpuhp__boot_rule(hp);
	cpuhp__boot_register(hp, true);
	return 0;
}

int cpuhp_new(const struct cpuhp_config *cfg, struct cpuhp **out)
{
	struct cpuhp_config defaults;
	struct cpuhp *hp;
	int err;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (!cfg) {
		cpuhp_config_init(&defaults);
		cfg = &defaults;
	}
	if (cfg->backend && strcmp(cfg->backend, "model"))
		return cpuhp__host_new(cfg, out); /* host.c, which calls back here */
	hp = calloc(1, sizeof(*hp));
	if (!hp)
		return -ENOMEM;
	hp->log_fn = cfg->log_fn;
	hp->log_data = cfg->log_data;
	hp->trace_fn = cfg->trace_fn;
	hp->trace_data = cfg->trace_data;
	atomic_init(&hp->log_priority,
		    cfg->log_priority ? cfg->log_priority : LOG_WARNING);
	hp->max_cpus = -1;
	hp->cfg_flags = cfg->flags;
	hp->stack_size = cfg->thread_stack_size;
	err = check_config(cfg, hp);
	if (err)
		goto fail;
	hp->nr_possible = cfg->nr_possible;
	hp->nr_present = cfg->nr_present ? cfg->nr_present : cfg->nr_possible;
	hp->threads_per_core = cfg->threads_per_core ? cfg->threads_per_core : 1;
	err = build(hp, cfg);
	if (err)
		goto fail;
	*out = hp;
	return 0;
fail:
	cpuhp_free(hp);
	return err;
}

/* Take every CPU but the boot CPU down, through the normal teardown path. */
static void shutdown_nonboot_cpus(struct cpuhp *hp)
{
	unsigned int cpu;

	if (!hp->kc.hotplug_cpu)
		return;
	cpuhp__mutex_lock(&hp->add_remove_lock);
	for (cpu = hp->nr_possible; cpu-- > 1;) {
		if (st_state(cpuhp__cpu(hp, cpu)) > hp->b.offline &&
		    cpuhp__cpu_down_locked(hp, cpu, hp->b.offline))
			cpuhp_dbg(hp, "free: CPU %u could not be taken down", cpu);
	}
	cpuhp__mutex_unlock(&hp->add_remove_lock);
}

static void free_cpus(struct cpuhp *hp)
{
	struct cpuhp_mask *masks[] = { &hp->possible, &hp->present, &hp->online,
				       &hp->active,   &hp->dying,   &hp->booted_once };
	unsigned int cpu;
	size_t i;

	if (hp->cpus)
		cpuhp__thread_stop_all(hp);
	for (cpu = 0; hp->cpus && cpu < hp->nr_possible; cpu++) {
		struct cpuhp_cpu *st = cpuhp__cpu(hp, cpu);

		cpuhp__completion_destroy(&st->done_up);
		cpuhp__completion_destroy(&st->done_down);
	}
	free(hp->cpus);
	for (i = 0; i < sizeof(masks) / sizeof(masks[0]); i++)
		cpuhp__mask_destroy(masks[i]);
}

void cpuhp_free(struct cpuhp *hp)
{
	int s;

	if (!hp)
		return;
	cpuhp__host_stop(hp);
	if (hp->cpus && hp->cpus[0].has_thread)
		shutdown_nonboot_cpus(hp);
	cpuhp__ledger_free(hp);
	free_cpus(hp);
	for (s = 0; hp->steps && s <= hp->b.online; s++)
		free(hp->steps[s].name);
	free(hp->steps);
	free(hp->builtin_nodes);
	cpuhp__boot_free(hp);
	cpuhp__rw_destroy(hp);
	if (hp->cpus) {
		pthread_mutex_destroy(&hp->stop.lock);
		pthread_mutex_destroy(&hp->state_mutex);
		pthread_mutex_destroy(&hp->add_remove_lock);
		pthread_mutex_destroy(&hp->device_lock);
	}
	free(hp);
}
