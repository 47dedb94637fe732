/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cpuhp/state.h - hotplug states, callbacks, and the state registration API.
 *
 * A machine walks one linear state space from CPUHP_OFFLINE (0) to
 * CPUHP_ONLINE.  The constants below are the numbers of the default
 * "mainline" model.  Other models (e.g. "linux-6.1-x86") number their states
 * differently; use cpuhp_state_of() to translate a boundary name into the
 * number a given machine uses.
 *
 *   control thread (BP)                     CPU thread "cpuhp/N" (AP)
 *   -------------------                     -------------------------
 *   PREPARE    CPUHP_CREATE_THREADS ...
 *              CPUHP_BP_PREPARE_DYN ... _END
 *              CPUHP_BP_KICK_AP, CPUHP_BRINGUP_CPU  --kick-->
 *                                           STARTING (atomic: signals
 *                                           blocked, must not sleep or fail)
 *                                           CPUHP_AP_OFFLINE ... CPUHP_AP_ONLINE
 *   TEARDOWN   CPUHP_TEARDOWN_CPU (down only: stop-machine rendezvous,
 *              DYING callbacks run on the outgoing CPU's thread)
 *                                           ONLINE (may sleep, may fail)
 *                                           CPUHP_AP_ONLINE_IDLE ...
 *                                           CPUHP_AP_ONLINE_DYN ... _END
 *                                           CPUHP_AP_ACTIVE
 *   CPUHP_ONLINE
 *
 * Startup callbacks run going up, teardown callbacks going down.  A startup
 * failure rolls the CPU back to where the operation started; teardowns of
 * PREPARE ("dead") states, of STARTING ("dying") states and teardowns run by
 * removal must not fail.
 */
#ifndef CPUHP_STATE_H
#define CPUHP_STATE_H

#include <stddef.h>

#include <cpuhp/export.h>

#ifdef __cplusplus
extern "C" {
#endif

struct cpuhp;

/**
 * enum cpuhp_state - boundary states of the mainline model
 *
 * Only the order and the boundaries are stable across kernel releases; the
 * numbers are those of the default model.  Translate with cpuhp_state_of().
 */
enum cpuhp_state {
	CPUHP_INVALID = -1,
	CPUHP_OFFLINE = 0,
	CPUHP_CREATE_THREADS = 1,
	CPUHP_BP_PREPARE_DYN = 64,
	CPUHP_BP_PREPARE_DYN_END = 84,
	CPUHP_BP_KICK_AP = 85,
	CPUHP_BRINGUP_CPU = 86,
	CPUHP_AP_IDLE_DEAD = 87,
	CPUHP_AP_OFFLINE = 88,
	CPUHP_AP_SCHED_STARTING = 90,
	CPUHP_AP_ONLINE = 144,
	CPUHP_TEARDOWN_CPU = 145,
	CPUHP_AP_ONLINE_IDLE = 146,
	CPUHP_AP_SCHED_WAIT_EMPTY = 149,
	CPUHP_AP_SMPBOOT_THREADS = 150,
	CPUHP_AP_ONLINE_DYN = 192,
	CPUHP_AP_ONLINE_DYN_END = 232,
	CPUHP_AP_ACTIVE = 235,
	CPUHP_ONLINE = 236,
};

/**
 * struct cpuhp_node - instance link for multi-instance states
 *
 * Embed one in your object and recover the object in the callback with
 * cpuhp_container_of().  The library never allocates on add_instance; the
 * node must stay valid until it is removed.  Treat the fields as private.
 */
struct cpuhp_node {
	struct cpuhp_node *next;
	struct cpuhp_node **pprev;
};

#define cpuhp_container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr)-offsetof(type, member)))

/**
 * typedef cpuhp_cb_fn - single-instance startup or teardown callback
 * @hp:   the machine
 * @cpu:  the CPU being brought up or taken down
 * @data: the pointer given to cpuhp_setup_state()
 *
 * Return: 0 or a negative errno.  A failing startup rolls the operation back.
 */
typedef int (*cpuhp_cb_fn)(struct cpuhp *hp, unsigned int cpu, void *data);

/**
 * typedef cpuhp_multi_cb_fn - multi-instance startup or teardown callback
 * @hp:   the machine
 * @cpu:  the CPU being brought up or taken down
 * @node: the instance, embedded in the caller's object
 *
 * Return: 0 or a negative errno.
 */
typedef int (*cpuhp_multi_cb_fn)(struct cpuhp *hp, unsigned int cpu,
				 struct cpuhp_node *node);

/**
 * cpuhp_state_of - translate a mainline boundary state into this machine's number
 * @hp:    the machine
 * @state: one of the enum cpuhp_state constants
 *
 * Context: any thread.
 * Return: the number this machine's model uses for @state, or -EINVAL if
 *         @state is not a boundary constant or the model lacks it (e.g.
 *         CPUHP_BP_KICK_AP on linux-6.1-x86).
 */
CPUHP_EXPORT int cpuhp_state_of(const struct cpuhp *hp, enum cpuhp_state state);

/**
 * cpuhp_state_name - name of a state in this machine's table
 * @hp:    the machine
 * @state: state number
 *
 * Context: any thread; the returned string is valid until the state is
 * removed (built-in names: until cpuhp_free()).
 * Return: the name ("subsystem:phase"), or NULL for a hole or bad number.
 */
CPUHP_EXPORT const char *cpuhp_state_name(const struct cpuhp *hp, int state);

/**
 * cpuhp_setup_state - install callbacks for a state and run startup on the CPUs
 * @hp:       the machine
 * @state:    a free static state, or the machine's CPUHP_AP_ONLINE_DYN /
 *            CPUHP_BP_PREPARE_DYN to get the lowest free dynamic slot
 * @name:     "subsystem:phase"; copied
 * @startup:  called for every present CPU whose state is at or above @state,
 *            in ascending CPU order, in the section's context; may be NULL
 * @teardown: called when a CPU goes below @state; may be NULL
 * @data:     passed unchanged to both callbacks
 *
 * If startup fails on CPU N, teardown runs on the CPUs below N that were set
 * up, the slot is freed and the error returned.  The callback symbol shown in
 * traces is found with dladdr(); use cpuhp_setup_state_desc() to name it.
 *
 * Context: takes the cpus read lock and the state mutex; must not be called
 * from a hotplug callback (returns -EDEADLK).
 * Return: the allocated slot (> 0) for a dynamic request, 0 for a static
 *         state, -EINVAL (bad state, NULL name), -EBUSY (slot taken), -ENOSPC
 *         (no dynamic slot left), -ENOMEM, -EDEADLK, or the startup's error.
 */
CPUHP_EXPORT int cpuhp_setup_state(struct cpuhp *hp, int state, const char *name,
				   cpuhp_cb_fn startup, cpuhp_cb_fn teardown, void *data);

/**
 * cpuhp_setup_state_nocalls - install callbacks without invoking them
 * @hp, @state, @name, @startup, @teardown, @data: as cpuhp_setup_state()
 *
 * Context: as cpuhp_setup_state().
 * Return: as cpuhp_setup_state(), without callback errors.
 */
CPUHP_EXPORT int cpuhp_setup_state_nocalls(struct cpuhp *hp, int state, const char *name,
					   cpuhp_cb_fn startup, cpuhp_cb_fn teardown,
					   void *data);

/**
 * cpuhp_setup_state_cpuslocked - cpuhp_setup_state() with the read lock held
 * @hp, @state, @name, @startup, @teardown, @data: as cpuhp_setup_state()
 *
 * Context: the caller holds cpuhp_cpus_read_lock(); not from a callback.
 * Return: as cpuhp_setup_state(); -EPERM if the read lock is not held.
 */
CPUHP_EXPORT int cpuhp_setup_state_cpuslocked(struct cpuhp *hp, int state,
					      const char *name, cpuhp_cb_fn startup,
					      cpuhp_cb_fn teardown, void *data);

/**
 * cpuhp_setup_state_nocalls_cpuslocked - nocalls setup with the read lock held
 * @hp, @state, @name, @startup, @teardown, @data: as cpuhp_setup_state()
 *
 * Context: the caller holds cpuhp_cpus_read_lock(); not from a callback.
 * Return: as cpuhp_setup_state_nocalls(); -EPERM if the read lock is not held.
 */
CPUHP_EXPORT int cpuhp_setup_state_nocalls_cpuslocked(struct cpuhp *hp, int state,
						      const char *name,
						      cpuhp_cb_fn startup,
						      cpuhp_cb_fn teardown, void *data);

/**
 * cpuhp_setup_state_multi - install a multi-instance state (never invokes)
 * @hp:       the machine
 * @state:    as cpuhp_setup_state()
 * @name:     "subsystem:phase"; copied
 * @startup:  per-instance startup; may be NULL
 * @teardown: per-instance teardown; may be NULL
 *
 * Instances are added with cpuhp_state_add_instance(); a full transition
 * calls them most recently added first, in both directions.
 *
 * Context: as cpuhp_setup_state().
 * Return: as cpuhp_setup_state_nocalls().
 */
CPUHP_EXPORT int cpuhp_setup_state_multi(struct cpuhp *hp, int state, const char *name,
					 cpuhp_multi_cb_fn startup,
					 cpuhp_multi_cb_fn teardown);

/**
 * struct cpuhp_step_desc - full description of a state for cpuhp_setup_state_desc()
 * @name:          "subsystem:phase"
 * @startup:       single-instance startup (ignored if @multi_instance)
 * @teardown:      single-instance teardown (ignored if @multi_instance)
 * @multi_startup: multi-instance startup
 * @multi_teardown: multi-instance teardown
 * @startup_sym:   symbol shown in traces for the startup; NULL = dladdr()
 * @teardown_sym:  symbol shown in traces for the teardown; NULL = dladdr()
 * @data:          single-instance user data
 * @multi_instance: true for a multi-instance state
 */
struct cpuhp_step_desc {
	const char *name;
	cpuhp_cb_fn startup;
	cpuhp_cb_fn teardown;
	cpuhp_multi_cb_fn multi_startup;
	cpuhp_multi_cb_fn multi_teardown;
	const char *startup_sym;
	const char *teardown_sym;
	void *data;
	int multi_instance;
};

/* Flags for cpuhp_setup_state_desc(). */
#define CPUHP_F_NOCALLS 0x1u    /* do not invoke the callbacks */
#define CPUHP_F_CPUSLOCKED 0x2u /* the caller holds the cpus read lock */

/**
 * cpuhp_setup_state_desc - the general setup entry point behind the variants
 * @hp:    the machine
 * @state: as cpuhp_setup_state()
 * @desc:  callbacks, names and data; copied
 * @flags: CPUHP_F_NOCALLS, CPUHP_F_CPUSLOCKED
 *
 * Multi-instance states never invoke callbacks at setup.
 *
 * Context: as cpuhp_setup_state().
 * Return: as cpuhp_setup_state().
 */
CPUHP_EXPORT int cpuhp_setup_state_desc(struct cpuhp *hp, int state,
					const struct cpuhp_step_desc *desc,
					unsigned int flags);

/**
 * cpuhp_remove_state - run teardown on the CPUs at or above @state, then free it
 * @hp:    the machine
 * @state: the state number setup returned (or the static state)
 *
 * Clears exactly the given slot.  A failing teardown is reported through the
 * log hook and the WARN counter (the kernel BUGs) and removal continues.
 * Removing a multi-instance state with instances left warns and drops them
 * without calling anything.
 *
 * Context: takes the cpus read lock and the state mutex; not from a callback.
 * Return: 0, -EINVAL (state out of range), -EDEADLK (called from a callback).
 */
CPUHP_EXPORT int cpuhp_remove_state(struct cpuhp *hp, int state);

/**
 * cpuhp_remove_state_nocalls - free a state without invoking its teardown
 * @hp, @state: as cpuhp_remove_state()
 *
 * Context: as cpuhp_remove_state().
 * Return: as cpuhp_remove_state().
 */
CPUHP_EXPORT int cpuhp_remove_state_nocalls(struct cpuhp *hp, int state);

/**
 * cpuhp_remove_state_nocalls_cpuslocked - nocalls removal with the read lock held
 * @hp, @state: as cpuhp_remove_state()
 *
 * Context: the caller holds cpuhp_cpus_read_lock().
 * Return: as cpuhp_remove_state(); -EPERM if the read lock is not held.
 */
CPUHP_EXPORT int cpuhp_remove_state_nocalls_cpuslocked(struct cpuhp *hp, int state);

/**
 * cpuhp_remove_multi_state - free a multi-instance state (never invokes)
 * @hp, @state: as cpuhp_remove_state()
 *
 * Context: as cpuhp_remove_state().
 * Return: as cpuhp_remove_state().
 */
CPUHP_EXPORT int cpuhp_remove_multi_state(struct cpuhp *hp, int state);

/**
 * cpuhp_state_add_instance - add an instance and run its startup on the CPUs
 * @hp:    the machine
 * @state: a multi-instance state
 * @node:  the instance; must not be linked already
 *
 * Startup runs for every present CPU at or above @state in ascending order;
 * on a failure on CPU N the instance is torn down on the CPUs below N and not
 * added.
 *
 * Context: takes the cpus read lock and the state mutex; not from a callback.
 * Return: 0, -EINVAL (bad state, not multi-instance, NULL or linked node),
 *         -EDEADLK, or the startup's error.
 */
CPUHP_EXPORT int cpuhp_state_add_instance(struct cpuhp *hp, int state,
					  struct cpuhp_node *node);

/**
 * cpuhp_state_add_instance_nocalls - add an instance without invoking startup
 * @hp, @state, @node: as cpuhp_state_add_instance()
 *
 * Context: as cpuhp_state_add_instance().
 * Return: as cpuhp_state_add_instance(), without callback errors.
 */
CPUHP_EXPORT int cpuhp_state_add_instance_nocalls(struct cpuhp *hp, int state,
						  struct cpuhp_node *node);

/**
 * cpuhp_state_add_instance_nocalls_cpuslocked - nocalls add with the read lock held
 * @hp, @state, @node: as cpuhp_state_add_instance()
 *
 * Context: the caller holds cpuhp_cpus_read_lock().
 * Return: as cpuhp_state_add_instance_nocalls(); -EPERM without the lock.
 */
CPUHP_EXPORT int cpuhp_state_add_instance_nocalls_cpuslocked(struct cpuhp *hp, int state,
							     struct cpuhp_node *node);

/**
 * cpuhp_state_remove_instance - run the instance's teardown and unlink it
 * @hp:    the machine
 * @state: a multi-instance state
 * @node:  an instance added to @state
 *
 * Context: takes the cpus read lock and the state mutex; not from a callback.
 * Return: 0, -EINVAL (bad state, not multi-instance, node not on @state),
 *         -EDEADLK.
 */
CPUHP_EXPORT int cpuhp_state_remove_instance(struct cpuhp *hp, int state,
					     struct cpuhp_node *node);

/**
 * cpuhp_state_remove_instance_nocalls - unlink an instance without teardown
 * @hp, @state, @node: as cpuhp_state_remove_instance()
 *
 * Context: as cpuhp_state_remove_instance().
 * Return: as cpuhp_state_remove_instance().
 */
CPUHP_EXPORT int cpuhp_state_remove_instance_nocalls(struct cpuhp *hp, int state,
						     struct cpuhp_node *node);

#ifdef __cplusplus
}
#endif

#endif /* CPUHP_STATE_H */
