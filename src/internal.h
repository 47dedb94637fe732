/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * internal.h - the machine's data model, shared by the library's files.
 *
 * struct cpuhp holds what the kernel keeps in globals: the step table, the
 * per-CPU records, the masks and the locks.  Fields that other threads read
 * while an operation runs (state, target, fail, masks, device flags) are C11
 * atomics accessed relaxed: their ordering comes from the hand-off (mutex +
 * condition variable) between the control thread and the CPU threads.
 */
#ifndef CPUHP_INTERNAL_H
#define CPUHP_INTERNAL_H

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <syslog.h>

#include <cpuhp/cpuhp.h>

#include "completion.h"
#include "debug-delay.h"
#include "mask.h"

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
	bool hotplug_cpu;         /* CONFIG_HOTPLUG_CPU */
	bool state_control;       /* CONFIG_CPU_HOTPLUG_STATE_CONTROL */
	bool hotplug_smt;         /* CONFIG_HOTPLUG_SMT */
	bool split_startup;       /* CONFIG_HOTPLUG_SPLIT_STARTUP */
	bool core_sync;           /* CONFIG_HOTPLUG_CORE_SYNC_FULL */
	bool nofail_continue;     /* v6.2+: STARTING/DYING failures do not stop the walk */
	bool boot_target_online;  /* v6.2+: boot CPU target = ONLINE */
	bool target_equal_nop;    /* v6.2+: target write of the current state is a no-op */
	bool prepare_dyn_invokes; /* 2024 fix: PREPARE_DYN setup invokes startups */
	bool boot_cpu_hotpluggable; /* the boot CPU has a "cpuN/online" file */
	bool mi_error_fix;        /* keep multi-instance undo from swallowing errors */
	bool boot_counts_online;  /* 6.1: maxcpus= stops on the online count */
	bool down_in_worker;      /* 6.1.y: _cpu_down runs in a kworker (worker.c) */
	bool smt_control_v61;     /* 6.1: smt/control parse order and values (smt.c) */
	bool rollback_on_control; /* test only: the pre-2019 rollback (spec 7.5) */
	/* Bug zoo (docs/bug-zoo.md): old kernels' behaviour, default off. */
	bool bug_takedown_no_rollback; /* < v4.8: refused takedown not undone */
	bool bug_dyn_remove;           /* v4.7..v4.15: removal reserves a slot */
	bool bug_maxcpus0_all;         /* v6.5..v6.10: maxcpus=0 boots every CPU */
	bool bug_bringup_mask_short;   /* v6.5-rc: parallel boot one CPU short */
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
	WORK_BOOT,    /* low-level start: STARTING, online, AP_ONLINE_IDLE */
	WORK_WALK,    /* the kernel's cpuhp_thread_fun, to target or one state */
	WORK_STOP,    /* join the stop-machine rendezvous */
	WORK_EXIT,    /* leave the thread loop */
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
	_Atomic int state;  /* see walker.c: moved before each callback */
	_Atomic int target;
	_Atomic int fail;   /* CPUHP_INVALID when disarmed */
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
	_Atomic int work;       /* enum cpuhp_work; futex word of the thread's wait */
	struct cpuhp_waitq work_q;
	struct cpuhp_waitq sync_q; /* sleepers on sync_state (both sides) */
	struct cpuhp_completion done_up, done_down;
	char comm[16];
	int pid; /* stand-in PID for traces */
};

/* One stop-machine rendezvous; set up by the control thread before the posts. */
struct cpuhp_stop {
	pthread_mutex_t lock;    /* one rendezvous at a time (parallel bring-up rollbacks) */
	unsigned int nr_threads; /* participants */
	unsigned int victim;
	int result;              /* written by the victim before run_done */
	_Atomic int arrived;     /* futex words, each with its sleepers */
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
	_Atomic int writer;     /* readers_block: a writer holds or wants the lock */
	bool membarrier;        /* MEMBARRIER_CMD_PRIVATE_EXPEDITED registered */
	uint64_t gen;           /* unique per machine: tells reused addresses apart */
	char pad1[64];
	_Atomic int waiters;    /* readers stepping aside until @writer clears */
	_Atomic int sleepers;   /* those of @waiters asleep on the @writer futex */
	pthread_mutex_t write_mutex; /* one writer at a time */
	pthread_mutex_t reg_lock;    /* adding to @readers */
	_Atomic(struct cpuhp_reader *) readers; /* every reader record, append only */
	struct cpuhp *live_next;     /* list of live machines (lock.c) */
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
	unsigned int nr_possible, nr_present, threads_per_core;
	int max_cpus; /* maxcpus=, -1 = unlimited */
	unsigned int cfg_flags; /* CPUHP_CONFIG_* */
	size_t stack_size;      /* cpuhp/N thread stacks, 0 = default */
	int topology_state; /* "base/topology:prepare", 0 = none (control-files.c) */

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
	int hotplug_disabled;            /* under add_remove_lock */

	struct cpuhp_stop stop;
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

/* -------- thread context (lock.c) -------- */

/*
 * What the calling thread is doing (thread-local, lock.c).  A CPU thread
 * "cpuhp/N" has @hp and @cpu set for its whole life; any thread running a
 * callback has @cb_hp set and @cb_depth > 0 for the callback's duration.
 */
struct cpuhp_tctx {
	const struct cpuhp *hp;    /* machine owning this CPU thread, else NULL */
	int cpu;                   /* that CPU, -1 for other threads */
	const struct cpuhp *cb_hp; /* machine whose callback runs here */
	unsigned int cb_depth;
	enum cpuhp_context ctx;    /* context of the section being run */
	bool atomic;               /* STARTING/DYING: signals blocked */
	bool rendezvous;           /* inside the stop-machine rendezvous */
};

/*
 * Initial-exec TLS: one %fs-relative access instead of a __tls_get_addr
 * call on the read-lock and callback paths.  It costs a few dozen bytes of
 * the static TLS surplus that glibc keeps for dlopen()ed libraries.
 */
extern _Thread_local struct cpuhp_tctx cpuhp__tctx_var
	__attribute__((tls_model("initial-exec")));

static inline struct cpuhp_tctx *cpuhp__tctx(void)
{
	return &cpuhp__tctx_var;
}

bool cpuhp__in_callback(const struct cpuhp *hp);
void cpuhp__atomic_enter(struct cpuhp_tctx *t, enum cpuhp_context ctx, sigset_t *saved);
void cpuhp__atomic_exit(struct cpuhp_tctx *t, const sigset_t *saved);
void cpuhp__rw_init(struct cpuhp *hp, bool membarrier);
void cpuhp__rw_destroy(struct cpuhp *hp);
unsigned int cpuhp__rw_nr_readers(const struct cpuhp *hp);
void cpuhp__cpus_write_lock(struct cpuhp *hp);
void cpuhp__cpus_write_unlock(struct cpuhp *hp);
unsigned int cpuhp__read_depth(const struct cpuhp *hp);
bool cpuhp__state_lock(struct cpuhp *hp);
void cpuhp__state_unlock(struct cpuhp *hp, bool locked);
void cpuhp__state_mutex_lock(struct cpuhp *hp);
void cpuhp__state_mutex_unlock(struct cpuhp *hp);

/* -------- logging (log.c) -------- */

void cpuhp__log(const struct cpuhp *hp, int prio, const char *file, int line, const char *fn,
		const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void cpuhp__warn(struct cpuhp *hp, const char *file, int line, const char *fn,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#define cpuhp_err(hp, ...) cpuhp__log(hp, LOG_ERR, __FILE__, __LINE__, __func__, __VA_ARGS__)
#define cpuhp_info(hp, ...) cpuhp__log(hp, LOG_INFO, __FILE__, __LINE__, __func__, __VA_ARGS__)
#define cpuhp_dbg(hp, ...) cpuhp__log(hp, LOG_DEBUG, __FILE__, __LINE__, __func__, __VA_ARGS__)
/* Kernel WARN: log at LOG_WARNING, count it, continue. */
#define CPUHP_WARN(hp, ...) cpuhp__warn(hp, __FILE__, __LINE__, __func__, __VA_ARGS__)
#define CPUHP_WARN_ON(hp, cond)                                                \
	cpuhp__warn_on(hp, !!(cond), __FILE__, __LINE__, __func__, #cond)
bool cpuhp__warn_on(struct cpuhp *hp, bool cond, const char *file, int line, const char *fn,
		    const char *expr);

/* Unrecoverable pthread failure: abort with where and why (liburcu's die). */
#define cpuhp_die(err) cpuhp__die(__FILE__, __LINE__, __func__, err)
_Noreturn void cpuhp__die(const char *file, int line, const char *fn, int err);

/* -------- model loading (model.c) -------- */

int cpuhp__model_load(struct cpuhp *hp, const char *name_or_path);
int cpuhp__set_switch(struct cpuhp_kconfig *kc, bool quirk, const char *assign);
const char *cpuhp__builtin_model_text(const char *name);

/* -------- states set up during boot (boot-states.c) -------- */

void cpuhp__boot_hide(struct cpuhp *hp);
void cpuhp__boot_register(struct cpuhp *hp, bool late);
void cpuhp__boot_free(struct cpuhp *hp);

/* -------- configuration parsing (config.c) -------- */

int cpuhp__parse_cmdline(struct cpuhp *hp, const char *cmdline);
int cpuhp__parse_kconfig(struct cpuhp *hp, const char *kconfig);

/* -------- step table (steps.c) -------- */

static inline struct cpuhp_step *cpuhp__step(struct cpuhp *hp, int state)
{
	return &hp->steps[state];
}

bool cpuhp__is_atomic_state(const struct cpuhp *hp, int state);
bool cpuhp__is_ap_state(const struct cpuhp *hp, int state);
/* No callback in this direction?  Single and multi share the slot. */
static inline bool cpuhp__step_empty(const struct cpuhp_step *sp, bool bringup)
{
	if (sp->multi_instance)
		return bringup ? !sp->startup.multi : !sp->teardown.multi;
	return bringup ? !sp->startup.single : !sp->teardown.single;
}

int cpuhp__store_callbacks(struct cpuhp *hp, int state, const struct cpuhp_step_desc *desc);
void cpuhp__clear_step(struct cpuhp *hp, int state);

/* -------- walker (walker.c): the only code that moves st->state -------- */

int cpuhp__invoke_callback(struct cpuhp *hp, unsigned int cpu, int state, bool bringup,
			   struct cpuhp_node *node, struct cpuhp_node **lastp);
int cpuhp__invoke_range(struct cpuhp *hp, struct cpuhp_cpu *st, bool bringup, int target);
void cpuhp__invoke_range_nofail(struct cpuhp *hp, struct cpuhp_cpu *st, bool bringup,
				int target);
void cpuhp__invoke_range_ap(struct cpuhp *hp, struct cpuhp_cpu *st, bool bringup);
int cpuhp__set_state(struct cpuhp *hp, struct cpuhp_cpu *st, int target);
void cpuhp__reset_state(struct cpuhp *hp, struct cpuhp_cpu *st, int prev_state);

/* -------- context checker (context.c) and ledger (ledger.c) -------- */

struct cpuhp_ledger;
struct cpuhp_node;

/* Called by the walker, in the callback path; see context.c for the rules. */
bool cpuhp__context_ok(const struct cpuhp *hp, const struct cpuhp_tctx *t, unsigned int cpu,
		       int state, bool bringup);
void cpuhp__context_violation(struct cpuhp *hp, const struct cpuhp_tctx *t, unsigned int cpu,
			      int state, bool bringup);
bool cpuhp__context_check(struct cpuhp *hp, const struct cpuhp_tctx *t, unsigned int cpu,
			  int state, bool bringup, int *lo, int *hi);
const char *cpuhp__context_name(enum cpuhp_context ctx);
void cpuhp__trace_mark(struct cpuhp *hp, unsigned int cpu, const char *msg);

/* The traced call of one callback (walker.c), with and without the ledger. */
int cpuhp__call_traced(struct cpuhp *hp, struct cpuhp_cpu *st, int state, bool bringup,
		       struct cpuhp_node *node);
int cpuhp__ledger_call(struct cpuhp *hp, struct cpuhp_cpu *st, int state, bool bringup,
		       struct cpuhp_node *node);
void cpuhp__ledger_injected(struct cpuhp *hp, struct cpuhp_cpu *st, int state, bool bringup);
void cpuhp__ledger_context(struct cpuhp *hp, unsigned int cpu, int state, const char *msg);

/* Operations the ledger checks when they end (hotplug.c, states.c). */
enum cpuhp_ledger_op {
	LEDGER_OP_UP,
	LEDGER_OP_DOWN,
	LEDGER_OP_SETUP,
	LEDGER_OP_REMOVE,
	LEDGER_OP_ADD_INSTANCE,
	LEDGER_OP_REMOVE_INSTANCE,
};
void cpuhp__ledger_op_begin(struct cpuhp *hp, enum cpuhp_ledger_op op, unsigned int cpu,
			    int state, struct cpuhp_node *node, bool invoke);
void cpuhp__ledger_op_end(struct cpuhp *hp, int ret);
void cpuhp__ledger_free(struct cpuhp *hp);
bool cpuhp__ledger_set_trace(struct cpuhp *hp, cpuhp_trace_fn fn, void *data);

static inline struct cpuhp_ledger *cpuhp__ledger(const struct cpuhp *hp)
{
	/*
	 * Relaxed: the ledger is switched only while no operation runs; the
	 * hand-off locks order that store before any CPU thread's load.
	 */
	return atomic_load_explicit(&((struct cpuhp *)hp)->ledger, memory_order_relaxed);
}

#define CPUHP_LEDGER_OP(hp, ...)                                                       \
	do {                                                                           \
		if (__builtin_expect(cpuhp__ledger(hp) != NULL, 0))                    \
			cpuhp__ledger_op_begin(hp, __VA_ARGS__);                       \
	} while (0)
#define CPUHP_LEDGER_END(hp, ret)                                                      \
	do {                                                                           \
		if (__builtin_expect(cpuhp__ledger(hp) != NULL, 0))                    \
			cpuhp__ledger_op_end(hp, ret);                                 \
	} while (0)

/* -------- CPU threads (cputhread.c) -------- */

int cpuhp__thread_create(struct cpuhp *hp, unsigned int cpu);
void cpuhp__futex_hash_reserve(const struct cpuhp *hp);
void cpuhp__thread_stop_all(struct cpuhp *hp);
void cpuhp__post_work(struct cpuhp_cpu *st, enum cpuhp_work work);
int cpuhp__kick_ap_raw(struct cpuhp_cpu *st);
int cpuhp__kick_ap(struct cpuhp *hp, struct cpuhp_cpu *st, int target);
int cpuhp__kick_ap_work(struct cpuhp *hp, unsigned int cpu);
int cpuhp__invoke_ap_callback(struct cpuhp *hp, unsigned int cpu, int state, bool bringup,
			      struct cpuhp_node *node);
bool cpuhp__ap_callback_start(struct cpuhp *hp, unsigned int cpu, int state, bool bringup,
			      struct cpuhp_node *node, int *ret);
int cpuhp__ap_callback_finish(struct cpuhp *hp, unsigned int cpu);
void cpuhp__ap_report_idle_dead(struct cpuhp *hp, struct cpuhp_cpu *st);

/* -------- stop machine (stop-machine.c) -------- */

int cpuhp__stop_machine_cpu(struct cpuhp *hp, unsigned int victim);
void cpuhp__stop_participate(struct cpuhp *hp, struct cpuhp_cpu *st);

/* -------- core callbacks (core-steps.c) -------- */

void cpuhp__bind_core_callbacks(struct cpuhp *hp);
bool cpuhp__cpu_bootable(struct cpuhp *hp, unsigned int cpu);
void cpuhp__ap_boot(struct cpuhp *hp, struct cpuhp_cpu *st);

/* -------- hotplug operations (hotplug.c) -------- */

int cpuhp__cpu_up(struct cpuhp *hp, unsigned int cpu, int target);
int cpuhp__cpu_up_locked(struct cpuhp *hp, unsigned int cpu, int tasks_frozen, int target);
int cpuhp__cpu_up_cpuslocked(struct cpuhp *hp, unsigned int cpu, int target);
int cpuhp__up_callbacks_from(struct cpuhp *hp, struct cpuhp_cpu *st, int prev, int target);
int cpuhp__cpu_down(struct cpuhp *hp, unsigned int cpu, int target);
int cpuhp__cpu_down_maps_locked(struct cpuhp *hp, unsigned int cpu, int target);
int cpuhp__cpu_down_locked(struct cpuhp *hp, unsigned int cpu, int target);
int cpuhp__device_online(struct cpuhp *hp, unsigned int cpu);
int cpuhp__device_offline(struct cpuhp *hp, unsigned int cpu);
bool cpuhp__can_rollback_cpu(const struct cpuhp *hp, const struct cpuhp_cpu *st);
bool cpuhp__cpu_valid(const struct cpuhp *hp, unsigned int cpu);

/* -------- offline worker (worker.c) -------- */

int cpuhp__cpu_down_in_worker(struct cpuhp *hp, unsigned int cpu, int target);

/* -------- SMT (smt.c) -------- */

void cpuhp__smt_init(struct cpuhp *hp);
bool cpuhp__is_primary_thread(const struct cpuhp *hp, unsigned int cpu);
int cpuhp__smt_control_write(struct cpuhp *hp, const char *value);
const char *cpuhp__smt_control_name(const struct cpuhp *hp);

/* -------- trace (trace.c) -------- */

void cpuhp__trace_enter_ev(struct cpuhp *hp, enum cpuhp_trace_type type, unsigned int cpu,
			   int target, int idx, const char *fn);
void cpuhp__trace_exit_ev(struct cpuhp *hp, unsigned int cpu, int state, int idx, int ret);

/*
 * The sink test is inline so that, with tracing off, a callback does not
 * pay for a call or for preparing the event's arguments.
 */
static inline void cpuhp__trace_enter(struct cpuhp *hp, enum cpuhp_trace_type type,
				      unsigned int cpu, int target, int idx, const char *fn)
{
	if (__builtin_expect(hp->trace_fn != NULL, 0))
		cpuhp__trace_enter_ev(hp, type, cpu, target, idx, fn);
}

static inline void cpuhp__trace_exit(struct cpuhp *hp, unsigned int cpu, int state, int idx,
				     int ret)
{
	if (__builtin_expect(hp->trace_fn != NULL, 0))
		cpuhp__trace_exit_ev(hp, cpu, state, idx, ret);
}
int cpuhp__trace_control_pid(struct cpuhp *hp);
void cpuhp__trace_adopt_control_pid(struct cpuhp *hp, int pid);

/* -------- bulk bring-up (bringup.c) -------- */

bool cpuhp__parallel_bringup(const struct cpuhp *hp);
void cpuhp__bringup_nonboot_parallel(struct cpuhp *hp, int max_cpus);
unsigned int cpuhp__bringup_ordered(struct cpuhp *hp, const unsigned int *cpus, unsigned int n,
				    int *err);

/* -------- linux backend (host.c) -------- */

int cpuhp__host_new(const struct cpuhp_config *cfg, struct cpuhp **out);
void cpuhp__host_stop(struct cpuhp *hp);

/* -------- small helpers -------- */

/* A state's name for messages: "" for holes. */
static inline const char *cpuhp__state_label(const struct cpuhp *hp, int state)
{
	const char *name = cpuhp_state_name(hp, state);

	return name ? name : "";
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

#endif /* CPUHP_INTERNAL_H */
