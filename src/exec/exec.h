/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * exec.h - how the machine runs: the thread context and the locks
 * (lock.c), the per-CPU threads "cpuhp/N" and the hand-offs to them
 * (cputhread.c), the stop-machine rendezvous (stop-machine.c).  This layer
 * knows nothing of states: what a CPU thread does with its work is the
 * walk layer's (hp->ap_work), and so is what runs inside the rendezvous.
 */
#ifndef CPUHP_EXEC_H
#define CPUHP_EXEC_H

#include "base/sched.h"
#include "machine/machine.h"

/* -------- thread context and locks (lock.c) -------- */

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
	enum cpuhp_context ctx; /* context of the section being run */
	bool atomic;            /* STARTING/DYING: signals blocked */
	bool rendezvous;        /* inside the stop-machine rendezvous */
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
int cpuhp__state_trylock(struct cpuhp *hp, bool *locked);
void cpuhp__state_unlock(struct cpuhp *hp, bool locked);
void cpuhp__state_mutex_lock(struct cpuhp *hp);
void cpuhp__state_mutex_unlock(struct cpuhp *hp);

/* -------- CPU threads (cputhread.c) -------- */

int cpuhp__thread_create(struct cpuhp *hp, unsigned int cpu);
void cpuhp__futex_hash_reserve(const struct cpuhp *hp);
void cpuhp__thread_stop_all(struct cpuhp *hp);
void cpuhp__post_work(struct cpuhp_cpu *st, enum cpuhp_work work);

/* -------- stop machine (stop-machine.c) -------- */

int cpuhp__stop_machine_cpu(struct cpuhp *hp, unsigned int victim, cpuhp_stop_fn fn,
			    cpuhp_stop_after_fn after);
void cpuhp__stop_participate(struct cpuhp *hp, struct cpuhp_cpu *st);

#endif /* CPUHP_EXEC_H */
