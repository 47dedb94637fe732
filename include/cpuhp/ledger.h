/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cpuhp/ledger.h - the invariant ledger and the execution-context checker.
 *
 * The context checker is always on: every callback invocation is checked
 * against the spec's context rules (which thread, atomic or not) and a
 * violation is counted, logged and marked in the trace.  The ledger is
 * switched on per machine: it records every invocation and checks, after
 * every operation, that the spec's invariants hold (docs/explore.md lists
 * the rules).  It also carries a fault plan for exhaustive exploration.
 */
#ifndef CPUHP_LEDGER_H
#define CPUHP_LEDGER_H

#include <stdbool.h>
#include <stddef.h>

#include <cpuhp/cpuhp.h>
#include <cpuhp/export.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * cpuhp_context_violations - how many callbacks ran in the wrong context
 * @hp: the machine
 *
 * Counted since the machine was created, whether or not the ledger is on.
 * Each violation is also logged at LOG_ERR ("context violation: ...") and
 * written to the trace as a tracing_mark_write event.
 *
 * Context: any thread.
 * Return: the count.
 */
CPUHP_EXPORT unsigned long cpuhp_context_violations(const struct cpuhp *hp);

/**
 * struct cpuhp_ledger_record - one callback invocation
 * @seq:        position in the ledger, from 0
 * @op:         number of the operation it belongs to (0 = none)
 * @cpu:        the CPU the callback was for
 * @state:      the state
 * @instance:   position of the instance in the state's list (0 = most
 *              recently added), or -1 for a single-instance state
 * @bringup:    startup (true) or teardown
 * @result:     what it returned
 * @injected:   the failure was injected (the callback did not run)
 * @rollback:   the CPU was rolling back an earlier failure
 * @thread_cpu: the CPU whose "cpuhp/N" thread ran it, -1 for the control
 *              thread
 * @context:    the context it ran in
 * @atomic:     signals were blocked ("interrupts off")
 * @rendezvous: it ran inside the stop-machine rendezvous
 */
struct cpuhp_ledger_record {
	unsigned long seq;
	unsigned long op;
	unsigned int cpu;
	int state;
	int instance;
	bool bringup;
	int result;
	bool injected;
	bool rollback;
	int thread_cpu;
	enum cpuhp_context context;
	bool atomic;
	bool rendezvous;
};

/**
 * enum cpuhp_ledger_kind - what a ledger violation is about
 * @CPUHP_LV_CONTEXT:  a callback ran in the wrong context
 * @CPUHP_LV_PAIRING:  a startup ran twice, or a teardown without its startup
 * @CPUHP_LV_ORDER:    a walk went against its direction
 * @CPUHP_LV_LEFTOVER: after the operation, a started state the CPU's state
 *                     says is down (or the reverse)
 * @CPUHP_LV_END:      the CPU did not end where the spec says
 * @CPUHP_LV_MASK:     online/active/dying masks disagree with the state
 * @CPUHP_LV_TRACE:    trace enter/exit events unbalanced
 * @CPUHP_LV_WARN:     a WARN no rule expects
 * @CPUHP_LV_EXCLUSION: two operations the hotplug locks serialise ran at once
 * @CPUHP_LV_FAIL_ONCE: a hotplug/fail that fired is still armed (it fires once)
 * @CPUHP_LV_NO_CALLS: an install or removal without calls ran a callback
 * @CPUHP_LV_INSTANCE: an instance is on its state's list after a failed add or
 *                     a removal, or off it after a successful add
 * @CPUHP_LV_BOOT:     boot did not bring up the CPUs maxcpus=, nosmp and nosmt
 *                     call for (reported when the ledger is switched on)
 */
enum cpuhp_ledger_kind {
	CPUHP_LV_CONTEXT,
	CPUHP_LV_PAIRING,
	CPUHP_LV_ORDER,
	CPUHP_LV_LEFTOVER,
	CPUHP_LV_END,
	CPUHP_LV_MASK,
	CPUHP_LV_TRACE,
	CPUHP_LV_WARN,
	CPUHP_LV_EXCLUSION,
	CPUHP_LV_FAIL_ONCE,
	CPUHP_LV_NO_CALLS,
	CPUHP_LV_INSTANCE,
	CPUHP_LV_BOOT,
};

/**
 * struct cpuhp_ledger_violation - one broken invariant
 * @kind: what was broken
 * @op:   the operation it was found in
 * @cpu:  the CPU concerned
 * @state: the state concerned, or -1
 * @msg:  a sentence saying what was expected and what happened
 */
struct cpuhp_ledger_violation {
	enum cpuhp_ledger_kind kind;
	unsigned long op;
	unsigned int cpu;
	int state;
	char msg[240];
};

/**
 * cpuhp_ledger_enable - start recording and checking
 * @hp: the machine
 *
 * The ledger starts from the machine as it is: every state at or below a
 * CPU's state counts as started on it.  Enabling an enabled ledger clears it.
 *
 * Context: not from a callback or under cpuhp_cpus_read_lock(), not
 * concurrently with an operation.
 * Return: 0, -EINVAL, -EDEADLK (from a callback or under the read lock),
 *         or -ENOMEM.
 */
CPUHP_EXPORT int cpuhp_ledger_enable(struct cpuhp *hp);

/**
 * cpuhp_ledger_disable - stop recording and free the ledger
 * @hp: the machine
 *
 * Context: not from a callback, not concurrently with an operation.
 */
CPUHP_EXPORT void cpuhp_ledger_disable(struct cpuhp *hp);

/**
 * cpuhp_ledger_nr_records - number of invocations recorded
 * @hp: the machine
 *
 * Context: any thread.
 * Return: the count (0 when the ledger is off).
 */
CPUHP_EXPORT size_t cpuhp_ledger_nr_records(struct cpuhp *hp);

/**
 * cpuhp_ledger_get_record - copy one record
 * @hp:  the machine
 * @i:   index, below cpuhp_ledger_nr_records()
 * @out: receives the record
 *
 * Context: any thread.
 * Return: 0, or -EINVAL (ledger off, index out of range).
 */
CPUHP_EXPORT int cpuhp_ledger_get_record(struct cpuhp *hp, size_t i,
					 struct cpuhp_ledger_record *out);

/**
 * cpuhp_ledger_nr_violations - number of violations found
 * @hp: the machine
 *
 * Context violations found while the ledger is on are counted here too.
 *
 * Context: any thread.
 * Return: the count (0 when the ledger is off).
 */
CPUHP_EXPORT size_t cpuhp_ledger_nr_violations(struct cpuhp *hp);

/**
 * cpuhp_ledger_get_violation - copy one violation
 * @hp:  the machine
 * @i:   index, below cpuhp_ledger_nr_violations()
 * @out: receives it
 *
 * Context: any thread.
 * Return: 0, or -EINVAL.
 */
CPUHP_EXPORT int cpuhp_ledger_get_violation(struct cpuhp *hp, size_t i,
					    struct cpuhp_ledger_violation *out);

/**
 * cpuhp_ledger_check - check the quiescent invariants of every CPU now
 * @hp: the machine
 *
 * Operations are checked as they end; this checks the started states and the
 * masks of all CPUs against their states, for tests that changed the machine
 * in ways the ledger does not see.
 *
 * Context: not from a callback, not concurrently with an operation.
 * Return: the number of new violations, or -EINVAL when the ledger is off.
 */
CPUHP_EXPORT int cpuhp_ledger_check(struct cpuhp *hp);

/**
 * enum cpuhp_fault_action - what an armed fault does
 * @CPUHP_FAULT_FAIL: return @error without calling the callback (as the
 *                    kernel's "fail" file, but for any state and instance)
 * @CPUHP_FAULT_SKIP: do not call it and pretend it succeeded.  Test only:
 *                    this breaks the state machine on purpose, so that a test
 *                    can see the ledger catch a lost teardown.
 */
enum cpuhp_fault_action {
	CPUHP_FAULT_FAIL,
	CPUHP_FAULT_SKIP,
};

/**
 * struct cpuhp_fault - one armed fault of the ledger's plan
 * @cpu:      the CPU
 * @state:    the state
 * @bringup:  startup (true) or teardown
 * @instance: instance position (0 = list head), or -1 for any/single
 * @nth:      fire on the nth matching invocation after arming (0 = first)
 * @action:   fail or skip
 * @error:    the error a failing fault returns (0 means -EAGAIN)
 */
struct cpuhp_fault {
	unsigned int cpu;
	int state;
	bool bringup;
	int instance;
	unsigned int nth;
	enum cpuhp_fault_action action;
	int error;
};

/**
 * cpuhp_ledger_fault - arm a one-shot fault (turns the ledger on if off)
 * @hp: the machine
 * @f:  the fault; up to 8 may be armed at once
 *
 * Context: not from a callback, not concurrently with an operation.
 * Return: 0, -EINVAL (bad CPU, state or action), -ENOSPC (plan full),
 *         -ENOMEM.
 */
CPUHP_EXPORT int cpuhp_ledger_fault(struct cpuhp *hp, const struct cpuhp_fault *f);

/**
 * cpuhp_ledger_kind_name - short name of a violation kind ("context", ...)
 * @kind: the kind
 *
 * Context: any thread.
 * Return: a static string.
 */
CPUHP_EXPORT const char *cpuhp_ledger_kind_name(enum cpuhp_ledger_kind kind);

#ifdef __cplusplus
}
#endif

#endif /* CPUHP_LEDGER_H */
