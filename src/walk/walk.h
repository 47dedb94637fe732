/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * walk.h - the state machine: the walker, the only code that moves a CPU's
 * state (walker.c), the CPU threads' side of it (ap-thread.c), the core
 * states' callbacks (core-steps.c), the up/down operations (hotplug.c,
 * worker.c), bulk bring-up (bringup.c), the SMT policy (smt.c) and the
 * states set up during boot (boot-states.c).  The state API (states.c)
 * is public and declared in <cpuhp/state.h>.
 */
#ifndef CPUHP_WALK_H
#define CPUHP_WALK_H

#include "exec/exec.h"

/* -------- walker (walker.c): the only code that moves st->state -------- */

int cpuhp__invoke_callback(struct cpuhp *hp, unsigned int cpu, int state, bool bringup,
			   struct cpuhp_node *node, struct cpuhp_node **lastp);
int cpuhp__invoke_range(struct cpuhp *hp, struct cpuhp_cpu *st, bool bringup, int target);
void cpuhp__invoke_range_nofail(struct cpuhp *hp, struct cpuhp_cpu *st, bool bringup,
				int target);
void cpuhp__invoke_range_ap(struct cpuhp *hp, struct cpuhp_cpu *st, bool bringup);
int cpuhp__set_state(struct cpuhp *hp, struct cpuhp_cpu *st, int target);
void cpuhp__reset_state(struct cpuhp *hp, struct cpuhp_cpu *st, int prev_state);

/* -------- the CPU threads' work (ap-thread.c) -------- */

void cpuhp__ap_work(struct cpuhp *hp, struct cpuhp_cpu *st, enum cpuhp_work work);
int cpuhp__kick_ap_raw(struct cpuhp_cpu *st);
int cpuhp__kick_ap(struct cpuhp *hp, struct cpuhp_cpu *st, int target);
int cpuhp__kick_ap_work(struct cpuhp *hp, unsigned int cpu);
int cpuhp__invoke_ap_callback(struct cpuhp *hp, unsigned int cpu, int state, bool bringup,
			      struct cpuhp_node *node);
bool cpuhp__ap_callback_start(struct cpuhp *hp, unsigned int cpu, int state, bool bringup,
			      struct cpuhp_node *node, int *ret);
int cpuhp__ap_callback_finish(struct cpuhp *hp, unsigned int cpu);
void cpuhp__ap_report_idle_dead(struct cpuhp *hp, struct cpuhp_cpu *st);

/* -------- core callbacks (core-steps.c) -------- */

void cpuhp__bind_core_callbacks(struct cpuhp *hp);
bool cpuhp__smt_allows_all(const struct cpuhp *hp);
bool cpuhp__cpu_bootable(struct cpuhp *hp, unsigned int cpu);
void cpuhp__ap_boot(struct cpuhp *hp, struct cpuhp_cpu *st);

/* -------- hotplug operations (hotplug.c) -------- */

int cpuhp__cpu_up(struct cpuhp *hp, unsigned int cpu, int target);
int cpuhp__cpu_up_locked(struct cpuhp *hp, unsigned int cpu, int tasks_frozen,
			 int target);
int cpuhp__cpu_up_cpuslocked(struct cpuhp *hp, unsigned int cpu, int target);
int cpuhp__up_callbacks_from(struct cpuhp *hp, struct cpuhp_cpu *st, int prev,
			     int target);
int cpuhp__cpu_down(struct cpuhp *hp, unsigned int cpu, int target);
int cpuhp__cpu_down_maps_locked(struct cpuhp *hp, unsigned int cpu, int target);
int cpuhp__cpu_down_locked(struct cpuhp *hp, unsigned int cpu, int target);
int cpuhp__device_online(struct cpuhp *hp, unsigned int cpu);
int cpuhp__device_offline(struct cpuhp *hp, unsigned int cpu);
bool cpuhp__can_rollback_cpu(const struct cpuhp *hp, const struct cpuhp_cpu *st);

/* -------- offline worker (worker.c) -------- */

int cpuhp__cpu_down_in_worker(struct cpuhp *hp, unsigned int cpu, int target);

/* -------- SMT policy (smt.c) -------- */

void cpuhp__smt_init(struct cpuhp *hp);
bool cpuhp__is_primary_thread(const struct cpuhp *hp, unsigned int cpu);
const char *cpuhp__smt_control_name(const struct cpuhp *hp);

/* -------- bulk bring-up (bringup.c) -------- */

bool cpuhp__parallel_bringup(const struct cpuhp *hp);
void cpuhp__bringup_nonboot_parallel(struct cpuhp *hp, int max_cpus);
/* boot-rule.c: note in hp->boot_note how boot broke spec 3.13, if it did. */
void cpuhp__boot_rule(struct cpuhp *hp);
unsigned int cpuhp__bringup_ordered(struct cpuhp *hp, const unsigned int *cpus,
				    unsigned int n, int *err);

/* -------- states set up during boot (boot-states.c) -------- */

void cpuhp__boot_hide(struct cpuhp *hp);
void cpuhp__boot_register(struct cpuhp *hp, bool late);
void cpuhp__boot_free(struct cpuhp *hp);

#endif /* CPUHP_WALK_H */
