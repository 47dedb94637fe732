/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * machine.h - the machine's data model, the lowest layer above base/.
 *
 * struct cpuhp holds what the kernel keeps in globals: the step table, the
 * per-CPU records, the masks and the locks.  Every layer reads and writes
 * these fields; the functions that give them meaning live in the layers'
 * own headers (docs/design.md, "Layers").  Fields that other threads read
 * while an operation runs (state, target, fail, masks, device flags) are C11
 * atomics accessed relaxed: their ordering comes from the hand-off (mutex +
 * condition variable) between the control thread and the CPU threads.
 */
#ifndef CPUHP_MACHINE_H
#define CPUHP_MACHINE_H

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <cpuhp/cpuhp.h>

#include "base/completion.h"
#include "base/mask.h"

struct cpuhp_tctx;
struct cpuhp_ledger;
struct cpuhp_host;

#define CPUHP_NAME_MAX 64 /* trace symbol names are cut to fit */

/* Behaviour a core state contributes besides its trace name (core-steps.c). */
enum cpuhp_core_action {
	CORE_NONE,
	CORE_CREATE_THREADS, /* startup: create the cpuhp/N thread */
	CORE_KICK_AP,        /* startup: kick the AP to the alive point */
	CORE_BRINGUP,        /* startup: boot the AP; teardown: finish_cpu */
	CORE_TEARDOWN,       /* teardown: takedown_cpu (stop-machine) */
	CORE_ACTIVE,         /* startup/teardown: the active mask, smt/active */
	CORE_NOOP,           /* a built-in model callback that does nothing */
};

/* The boundary states of a model, by role (cpuhp_state_of maps to these). */
struct cpuhp_bounds {
	int offline, create_threads;
	int prepare_dyn, prepare_dyn_end;
	int kick_ap; /* -1 when the model has no split start-up */
	int bringup_cpu, ap_idle_dead, ap_offline, ap_sched_starting, ap_online;
	int teardown_cpu, ap_online_idle, ap_sched_wait_empty, ap_smpboot_threads;
	int online_dyn, online_dyn_end;
	int ap_active, online;
};

/* Kernel configuration and behaviour switches of one machine. */
struct cpuhp_kconfig {
	bool hotplug_cpu;        /* CONFIG_HOTPLUG_CPU */
	bool state_control;      /* CONFIG_CPU_HOTPLUG_STATE_CONTROL */
	bool hotplug_smt;        /* CONFIG_HOTPLUG_SMT */
	bool split_startup;      /* CONFIG_HOTPLUG_SPLIT_STARTUP */
	bool core_sync;          /* CONFIG_HOTPLUG_CORE_SYNC_FULL */
	bool nofail_continue;    /* v6.2+: STARTING/DYING failures do not stop the walk */
	bool boot_target_online; /* v6.2+: boot CPU target = ONLINE */
	bool target_equal_nop;   /* v6.2+: target write of the current state is a no-op */
	bool prepare_dyn_invokes;   /* 2024 fix: PREPARE_DYN setup invokes startups */
	bool boot_cpu_hotpluggable; /* the boot CPU has a "cpuN/online" file */
	bool mi_error_fix;          /* keep multi-instance undo from swallowing errors */
	bool boot_counts_online;    /* 6.1: maxcpus= stops on the online count */
	bool down_in_worker;        /* 6.1.y: _cpu_down runs in a kworker (worker.c) */
	bool smt_control_v61;       /* 6.1: smt/control parse order and values (smt.c) */
	bool rollback_on_control;   /* test only: the pre-2019 rollback (spec 7.5) */
	bool test_states_unlocked;  /* test only: setup/removal without cpus_read_lock */
	/* Bug zoo (docs/bug-zoo.md): old kernels' behaviour, default off. */
	bool bug_takedown_no_rollback; /* < v4.8: refused takedown not undone */
	bool bug_dyn_remove;           /* v4.7..v4.15: removal reserves a slot */
	bool bug_maxcpus0_all;         /* v6.5..v6.10: maxcpus=0 boots every CPU */
	bool bug_bringup_mask_short;   /* v6.5-rc: parallel boot one CPU short */
	bool bug_calls_unserialized;   /* v4.7..v4.10: state calls outside the mutex */
};

struct cpuhp_step {
	char *name; /* NULL: free slot or hole */
	union {
		cpuhp_cb_fn single;
		cpuhp_multi_cb_fn multi;
	} startup, teardown;
	char startup_sym[CPUHP_NAME_MAX];
	char teardown_sym[CPUHP_NAME_MAX];
	void *data;
	struct cpuhp_node *list; /* instances, most recent first */
	enum cpuhp_core_action core;
	bool cant_stop;
	bool multi_instance;
	bool builtin; /* from the model; may be removed, then it is gone */
};

/* A built-in state the model sets up during boot (boot-states.c). */
struct cpuhp_boot_reg {
	int state;
	bool late;   /* after the secondary CPUs' bring-up, else before */
	bool calls;  /* cpuhp_setup_state(), else _nocalls */
	bool hidden; /* not set up yet: @saved holds the step */
	struct cpuhp_step saved;
};

/* What the control thread asks a CPU thread to do (one hand-off each). */
enum cpuhp_work {
	WORK_NONE,
	WORK_BOOT, /* low-level start: STARTING, online, AP_ONLINE_IDLE */
	WORK_WALK, /* the kernel's cpuhp_thread_fun, to target or one state */
	WORK_STOP, /* join the stop-machine rendezvous */
	WORK_EXIT, /* leave the thread loop */
};

enum cpuhp_sync_state {
	SYNC_STATE_DEAD,
	SYNC_STATE_KICKED,
	SYNC_STATE_SHOULD_DIE,
	SYNC_STATE_ALIVE,
	SYNC_STATE_SHOULD_ONLINE,
	SYNC_STATE_ONLINE,
	SYNC_STATE_EXIT, /* cpuhp_free ends the handshake (ours, not the kernel's) */
};

/* Per possible CPU: the kernel's struct cpuhp_cpu_state plus its thread. */
struct cpuhp_cpu {
	struct cpuhp *hp;
	unsigned int cpu;
	_Atomic int state; /* see walker.c: moved before each callback */
	_Atomic int target;
	_Atomic int fail; /* CPUHP_INVALID when disarmed */
	/* The following are written by whoever owns the hand-off. */
	bool rollback;
	bool single;
	bool bringup;
	int cb_state;
	int result;
	struct cpuhp_node *node;
	struct cpuhp_node *last;
	_Atomic int sync_state;
	_Atomic bool dev_offline; /* device core flag behind "cpuN/online" */
	/* linux backend: the real CPU is gone, run this CPU's walks on the
	 * control thread (written and read by the control thread, host.c). */
	_Atomic bool host_gone;
	unsigned int core_id, thread_id; /* SMT topology */

	/* The CPU's own thread, "cpuhp/N". */
	pthread_t tid;
	bool has_thread;
	_Atomic bool parked;
	_Atomic int work; /* enum cpuhp_work; futex word of the thread's wait */
	struct cpuhp_waitq work_q;
	struct cpuhp_waitq sync_q; /* sleepers on sync_state (both sides) */
	struct cpuhp_completion done_up, done_down;
	char comm[16];
	int pid; /* stand-in PID for traces */
};

struct cpuhp;
struct cpuhp_cpu;
/* What runs inside the stop-machine rendezvous, and on the victim after it. */
typedef int (*cpuhp_stop_fn)(struct cpuhp *hp, struct cpuhp_cpu *st);
typedef void (*cpuhp_stop_after_fn)(struct cpuhp *hp, struct cpuhp_cpu *st);

/* One stop-machine rendezvous; set up by the control thread before the posts. */
struct cpuhp_stop {
	pthread_mutex_t lock; /* one rendezvous at a time (parallel bring-up rollbacks) */
	unsigned int nr_threads; /* participants */
	unsigned int victim;
	cpuhp_stop_fn fn; /* take_cpu_down, run by the victim */
	cpuhp_stop_after_fn after;
	int result;          /* written by the victim before run_done */
	_Atomic int arrived; /* futex words, each with its sleepers */
	_Atomic int run_done;
	_Atomic int left;
	struct cpuhp_waitq arrived_q, run_q, left_q;
};

struct cpuhp_reader;

/*
 * cpu_hotplug_lock as a per-thread reader rwsem (lock.c, docs/design.md).
 * @writer and @gen are read by every read lock and written only by writers:
 * the padding keeps them off cache lines that other code writes.
 */
struct cpuhp_rw {
	char pad0[64];
	_Atomic int writer; /* readers_block: a writer holds or wants the lock */
	bool membarrier;    /* MEMBARRIER_CMD_PRIVATE_EXPEDITED registered */
	uint64_t gen;       /* unique per machine: tells reused addresses apart */
	char pad1[64];
	_Atomic int waiters;         /* readers stepping aside until @writer clears */
	_Atomic int sleepers;        /* those of @waiters asleep on the @writer futex */
	pthread_mutex_t write_mutex; /* one writer at a time */
	pthread_mutex_t reg_lock;    /* adding to @readers */
	_Atomic(struct cpuhp_reader *) readers; /* every reader record, append only */
	struct cpuhp *live_next;                /* list of live machines (lock.c) */
};

enum cpuhp_smt_control {
	CPU_SMT_ENABLED,
	CPU_SMT_DISABLED,
	CPU_SMT_FORCE_DISABLED,
	CPU_SMT_NOT_SUPPORTED,
	CPU_SMT_NOT_IMPLEMENTED,
};

struct cpuhp {
	char model_name[64];
	struct cpuhp_bounds b;
	struct cpuhp_kconfig kc;
	/*
	 * What the model and the switches that are not bugs declare: the
	 * ledger's expectations.  A bug switch set to y (docs/bug-zoo.md)
	 * changes only kc, as a kernel bug changes behaviour without changing
	 * what the kernel version is meant to do.
	 */
	struct cpuhp_kconfig declared;
	unsigned int nr_possible, nr_present, threads_per_core;
	int max_cpus;           /* maxcpus=, -1 = unlimited */
	char boot_note[128];    /* boot-rule.c: boot broke spec 3.13; "" if not */
	unsigned int cfg_flags; /* CPUHP_CONFIG_* */
	size_t stack_size;      /* cpuhp/N thread stacks, 0 = default */
	int topology_state;     /* "base/topology:prepare", 0 = none (control-files.c) */

	struct cpuhp_step *steps; /* b.online + 1 entries */
	struct cpuhp_node *builtin_nodes;
	unsigned int nr_builtin_nodes;
	struct cpuhp_boot_reg *boot_regs; /* "boot" lines of the model */
	unsigned int nr_boot_regs;

	struct cpuhp_cpu *cpus;
	struct cpuhp_mask possible, present, online, active, dying, booted_once;
	_Atomic unsigned int num_online;
	_Atomic int smt_active; /* cores with two or more active siblings */
	enum cpuhp_smt_control smt_control;
	bool cmdline_nosmt, cmdline_nosmt_force;
	bool cmdline_serial_bringup; /* cpuhp.parallel=0 */
	unsigned int smt_num_threads;

	/* Locks, outermost first (docs/design.md "Locking"). */
	pthread_mutex_t device_lock;     /* lock_device_hotplug: cpuN/online, smt */
	pthread_mutex_t add_remove_lock; /* cpu_add_remove_lock */
	struct cpuhp_rw rw;              /* cpu_hotplug_lock (lock.c) */
	pthread_mutex_t state_mutex;     /* cpuhp_state_mutex */
	/* The holder's tctx while cpuhp__state_mutex_lock() holds it, else NULL. */
	_Atomic(const struct cpuhp_tctx *) state_owner;
	int hotplug_disabled; /* under add_remove_lock */

	struct cpuhp_stop stop;
	/*
	 * Upward calls, wired by cpuhp_new (core.c) so that each layer only
	 * includes the ones below it: what a CPU thread does with its work
	 * (walk/ap-thread.c), and the ledger's tap on the trace sink
	 * (check/ledger.c; returns false when no ledger is attached).
	 */
	void (*ap_work)(struct cpuhp *hp, struct cpuhp_cpu *st, enum cpuhp_work work);
	bool (*trace_tap)(struct cpuhp *hp, cpuhp_trace_fn fn, void *data);
	/* Statistics (cpuhp_stats_get), counted relaxed: hand-offs to CPU
	 * threads and threads woken from futex_wait. */
	_Atomic unsigned long stat_handoffs, stat_wakeups;
	_Atomic int next_pid;

	cpuhp_log_fn log_fn;
	void *log_data;
	_Atomic int log_priority;
	_Atomic unsigned long warn_count;

	cpuhp_trace_fn trace_fn;
	void *trace_data;

	struct cpuhp_host *host; /* linux backend (host.c), NULL for a model */
	/* Context checker (context.c) and invariant ledger (ledger.c). */
	_Atomic unsigned long ctx_violations;
	_Atomic(struct cpuhp_ledger *) ledger; /* NULL: off (one branch per call) */
};

/* -------- accessors -------- */

static inline struct cpuhp_step *cpuhp__step(struct cpuhp *hp, int state)
{
	return &hp->steps[state];
}

/* No callback in this direction?  Single and multi share the slot. */
static inline bool cpuhp__step_empty(const struct cpuhp_step *sp, bool bringup)
{
	if (sp->multi_instance)
		return bringup ? !sp->startup.multi : !sp->teardown.multi;
	return bringup ? !sp->startup.single : !sp->teardown.single;
}

/* A state's name for messages: "" for holes. */
static inline const char *cpuhp__state_label(const struct cpuhp *hp, int state)
{
	const char *name = cpuhp_state_name(hp, state);

	return name ? name : "";
}

/* Is @cpu a possible CPU of @hp? */
static inline bool cpuhp__cpu_valid(const struct cpuhp *hp, unsigned int cpu)
{
	return cpu < hp->nr_possible;
}

static inline struct cpuhp_cpu *cpuhp__cpu(struct cpuhp *hp, unsigned int cpu)
{
	return &hp->cpus[cpu];
}

static inline int st_state(const struct cpuhp_cpu *st)
{
	return atomic_load_explicit(&st->state, memory_order_relaxed);
}

static inline void st_set_state(struct cpuhp_cpu *st, int v)
{
	atomic_store_explicit(&st->state, v, memory_order_relaxed);
}

static inline int st_target(const struct cpuhp_cpu *st)
{
	return atomic_load_explicit(&st->target, memory_order_relaxed);
}

static inline void st_set_target(struct cpuhp_cpu *st, int v)
{
	atomic_store_explicit(&st->target, v, memory_order_relaxed);
}

#endif /* CPUHP_MACHINE_H */
