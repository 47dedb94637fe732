// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * steps.c - the step table: state predicates, storing and clearing steps,
 * dynamic slot reservation, and the state-number queries.
 *
 * Invariant (the 2017 fix): a slot is reserved only when a name is stored;
 * clearing (name NULL) touches exactly the slot it is given.  Callers of
 * cpuhp__store_callbacks() and cpuhp__clear_step() hold hp->state_mutex.
 */
#include <dlfcn.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec/exec.h"
#include "machine/log.h"
#include "model/model.h"

bool cpuhp__is_atomic_state(const struct cpuhp *hp, int state)
{
	return state >= hp->b.ap_idle_dead && state < hp->b.ap_online;
}

bool cpuhp__is_ap_state(const struct cpuhp *hp, int state)
{
	return state > hp->b.bringup_cpu && state != hp->b.teardown_cpu;
}

/* Unlink every instance so that dropped nodes can be added again later. */
static void drop_instances(struct cpuhp_step *sp)
{
	struct cpuhp_node *n = sp->list, *next;

	for (; n; n = next) {
		next = n->next;
		n->next = NULL;
		n->pprev = NULL;
	}
	sp->list = NULL;
}

void cpuhp__clear_step(struct cpuhp *hp, int state)
{
	struct cpuhp_step *sp = cpuhp__step(hp, state);

	drop_instances(sp);
	free(sp->name);
	memset(sp, 0, sizeof(*sp));
}

/* Lowest free slot of the dynamic range starting at @base, end inclusive. */
static int reserve_state(struct cpuhp *hp, int base)
{
	int end = hp->b.online_dyn_end;
	int s;

	if (base == hp->b.prepare_dyn)
		end = hp->b.prepare_dyn_end;
	for (s = base; s <= end; s++)
		if (!cpuhp__step(hp, s)->name)
			return s;
	CPUHP_WARN(hp, "No more dynamic states available for CPU hotplug");
	return -ENOSPC;
}

/*
 * The symbol shown in traces: the caller's, else the dynamic symbol the
 * address starts (dladdr() returns the nearest one below, which may belong to
 * another function), else the bare address as %ps prints unknown code.
 */
static void set_sym(char *dst, const char *given, uintptr_t addr)
{
	Dl_info info;

	if (given) {
		snprintf(dst, CPUHP_NAME_MAX, "%s", given);
	} else if (!addr) {
		dst[0] = '\0';
	} else if (dladdr((const void *)addr, &info) && info.dli_sname &&
		   (uintptr_t)info.dli_saddr == addr) {
		snprintf(dst, CPUHP_NAME_MAX, "%s", info.dli_sname);
	} else {
		snprintf(dst, CPUHP_NAME_MAX, "0x%lx", (unsigned long)addr);
	}
}

static void fill_step(struct cpuhp_step *sp, char *name,
		      const struct cpuhp_step_desc *desc)
{
	uintptr_t up, down;

	sp->name = name;
	sp->multi_instance = !!desc->multi_instance;
	/* Function pointers become integers directly: never through void *. */
	if (sp->multi_instance) {
		sp->startup.multi = desc->multi_startup;
		sp->teardown.multi = desc->multi_teardown;
		up = (uintptr_t)sp->startup.multi;
		down = (uintptr_t)sp->teardown.multi;
	} else {
		sp->startup.single = desc->startup;
		sp->teardown.single = desc->teardown;
		up = (uintptr_t)sp->startup.single;
		down = (uintptr_t)sp->teardown.single;
	}
	set_sym(sp->startup_sym, desc->startup_sym, up);
	set_sym(sp->teardown_sym, desc->teardown_sym, down);
	sp->data = desc->data;
	sp->list = NULL;
}

/**
 * cpuhp__store_callbacks - the kernel's cpuhp_store_callbacks()
 * @hp:    the machine; hp->state_mutex held
 * @state: a state in (OFFLINE, ONLINE), or a dynamic base to reserve from
 * @desc:  what to store; NULL or a NULL name clears exactly @state
 *
 * Return: the reserved slot (> 0) for a dynamic request, 0 otherwise,
 *         -ENOSPC (range full), -EBUSY (slot named), -ENOMEM.
 */
int cpuhp__store_callbacks(struct cpuhp *hp, int state,
			   const struct cpuhp_step_desc *desc)
{
	struct cpuhp_step *sp;
	char *name;
	int ret = 0;

	if (!desc || !desc->name) {
		cpuhp__clear_step(hp, state);
		return 0;
	}
	if (state == hp->b.prepare_dyn || state == hp->b.online_dyn) {
		ret = reserve_state(hp, state);
		if (ret < 0)
			return ret;
		state = ret;
	}
	sp = cpuhp__step(hp, state);
	if (sp->name)
		return -EBUSY;
	name = strdup(desc->name);
	if (!name)
		return -ENOMEM;
	/* A free slot may still hold a built-in's leftovers: start from zero. */
	memset(sp, 0, sizeof(*sp));
	fill_step(sp, name, desc);
	return ret;
}

/* clang-format off */
#define BOUND(c, f) { c, offsetof(struct cpuhp_bounds, f) }
static const struct {
	enum cpuhp_state state;
	size_t off;
} bound_map[] = {
	BOUND(CPUHP_OFFLINE, offline),
	BOUND(CPUHP_CREATE_THREADS, create_threads),
	BOUND(CPUHP_BP_PREPARE_DYN, prepare_dyn),
	BOUND(CPUHP_BP_PREPARE_DYN_END, prepare_dyn_end),
	BOUND(CPUHP_BP_KICK_AP, kick_ap),
	BOUND(CPUHP_BRINGUP_CPU, bringup_cpu),
	BOUND(CPUHP_AP_IDLE_DEAD, ap_idle_dead),
	BOUND(CPUHP_AP_OFFLINE, ap_offline),
	BOUND(CPUHP_AP_SCHED_STARTING, ap_sched_starting),
	BOUND(CPUHP_AP_ONLINE, ap_online),
	BOUND(CPUHP_TEARDOWN_CPU, teardown_cpu),
	BOUND(CPUHP_AP_ONLINE_IDLE, ap_online_idle),
	BOUND(CPUHP_AP_SCHED_WAIT_EMPTY, ap_sched_wait_empty),
	BOUND(CPUHP_AP_SMPBOOT_THREADS, ap_smpboot_threads),
	BOUND(CPUHP_AP_ONLINE_DYN, online_dyn),
	BOUND(CPUHP_AP_ONLINE_DYN_END, online_dyn_end),
	BOUND(CPUHP_AP_ACTIVE, ap_active),
	BOUND(CPUHP_ONLINE, online),
};
/* clang-format on */

int cpuhp_state_of(const struct cpuhp *hp, enum cpuhp_state state)
{
	size_t i;
	int v;

	if (!hp)
		return -EINVAL;
	for (i = 0; i < sizeof(bound_map) / sizeof(bound_map[0]); i++) {
		if (bound_map[i].state != state)
			continue;
		v = *(const int *)(const void *)((const char *)&hp->b + bound_map[i].off);
		return v < 0 ? -EINVAL : v;
	}
	return -EINVAL;
}

/*
 * Under the state mutex, so that a concurrent registration is not a data
 * race, except inside a callback: then the table is stable (the running
 * operation excludes registration) and the mutex may be held by the very
 * thread waiting for this callback.
 */
const char *cpuhp_state_name(const struct cpuhp *hp, int state)
{
	struct cpuhp *mhp = (struct cpuhp *)hp; /* the mutex is not part of the value */
	const char *name;
	bool locked;

	if (!hp || state < hp->b.offline || state > hp->b.online)
		return NULL;
	locked = cpuhp__state_lock(mhp);
	name = hp->steps[state].name;
	cpuhp__state_unlock(mhp, locked);
	return name;
}
