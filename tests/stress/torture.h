/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * torture.h - what the torture test's files share: options, the machine, the
 * torture objects (dynamic states and instances with per-CPU data), the
 * violation log and the random generator.
 *
 * The invariant checks live in torture-check.c behind four functions
 * (check_cpus, check_object, check_fail_end, check_quiescent), so that they
 * can later be backed by the invariant ledger without touching the workers.
 */
#ifndef CPUHP_TESTS_TORTURE_H
#define CPUHP_TESTS_TORTURE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <cpuhp/cpuhp.h>

#define T_MAX_WORKERS 16
#define T_OBJS_PER_WORKER 4
#define T_MAX_INST 4
#define T_MAGIC 0x70c0ffeeu

struct topts {
	uint64_t seed;
	double seconds;
	unsigned long max_ops; /* 0: unbounded (time only) */
	unsigned int cpus, tpc, workers, readers;
	bool verbose;
	bool ledger;       /* also check with the library's invariant ledger */
	const char *model; /* NULL: the default (mainline) */
};

/* One per-CPU datum a startup allocates and the matching teardown frees. */
struct pcpu {
	unsigned int magic;
	unsigned int cpu;
};

enum tphase {
	PH_FREE,
	PH_SETUP,
	PH_READY,
	PH_REMOVING
};

struct tobj;

/* An instance of a multi-instance torture state. */
struct tinst {
	struct cpuhp_node node;
	struct tobj *owner;
	enum tphase phase;  /* under owner->lock */
	struct pcpu **data; /* [cpu]: written by callbacks, read under cpus lock */
};

/*
 * A dynamic state owned by one worker.  @lock orders the owner's phase
 * changes against readers: a reader looks at @data only while it holds
 * @lock for reading and sees PH_READY, and the owner flips the phase to
 * PH_REMOVING under the write lock before any teardown can free @data.
 */
struct tobj {
	pthread_rwlock_t lock;
	enum tphase phase;
	int state;           /* slot number, valid from PH_READY */
	bool multi, prepare; /* BP_PREPARE_DYN rather than AP_ONLINE_DYN */
	char name[32];
	struct pcpu **data; /* single-instance: [cpu] */
	struct tinst inst[T_MAX_INST];
	_Atomic int fail_cpu; /* -1, or a CPU whose next startup fails (token) */
};

struct torture {
	struct topts o;
	struct cpuhp *hp;
	int s_offline, s_online, s_bringup, s_idle, s_active, s_ap_dyn, s_bp_dyn;
	int s_nostop; /* targets in [s_nostop, s_idle) are never used */
	/* Models whose boot CPU target reads 0 until written (linux-6.1-x86). */
	bool boot_target_zero;
	/* Models where a PREPARE_DYN setup runs no startups (6.1, spec 9.4). */
	bool prepare_dyn_silent;
	/*
	 * Models where writing a CPU's current state to its target is a
	 * cpu_down() that marks it dying and returns (6.1: quirk
	 * target_equal_nop=n): an online CPU may then stay in the dying mask.
	 */
	bool same_target_dies;
	int *targets; /* named built-in states usable as targets */
	unsigned int nr_targets;
	struct tobj objs[T_MAX_WORKERS][T_OBJS_PER_WORKER];
	pthread_rwlock_t fail_lock; /* fail ops exclusive, other ops shared */
	_Atomic bool stop;
	_Atomic unsigned long ops, reads, fail_ops, rejected, violations;
	_Atomic unsigned long expected_warns;
	unsigned long warn_base;
	unsigned long ledger_records; /* invocations the ledger checked */
};

extern struct torture T;

/* A violation: counted, the first few printed as TAP diagnostics. */
void violation(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* xorshift64*: each worker's own, seeded from the run's seed and its index. */
static inline uint64_t trand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dull;
}

/* torture-check.c */
void check_cpus(const char *who);
void check_object(struct tobj *o, const char *who);
void check_fail_end(unsigned int cpu, int before, int ret, const char *what);
void check_quiescent(void);
void ledger_round(const char *who);

/* torture-objs.c: callbacks and the setup/remove/instance operations. */
int obj_setup(struct tobj *o, uint64_t *rnd, bool inject);
int obj_remove(struct tobj *o, uint64_t *rnd);
int obj_instance(struct tobj *o, uint64_t *rnd, bool inject);
void obj_init(struct tobj *o, unsigned int worker, unsigned int idx);
void obj_destroy(struct tobj *o);

#endif /* CPUHP_TESTS_TORTURE_H */
