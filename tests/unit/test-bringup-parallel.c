// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-bringup-parallel.c - the parallel bring-up (spec 3.13, 9.4) gives
 * every CPU what a serial bring-up gives it: the same trace events (type,
 * state, callback, result, task and stand-in PID), in the same order per
 * CPU, the target ONLINE except in the first piece of the bring-up, which
 * the kernel (and the recorded 6.12 boot) runs with target KICK_AP, the same end state and target, the same result; with
 * failing callbacks too.  Boot with SMT, nosmt and maxcpus= ends in the same
 * states, except where the kernel's parallel boot differs on purpose
 * (maxcpus= with SMT: primary threads first).  Each scenario runs on a machine with CPUHP_CONFIG_SERIAL_BRINGUP
 * and on one without; "cpuhp.parallel=0" selects serial as well.
 */
#include <stdlib.h>

#include "unit-common.h"

#define NCPU 12
#define MAX_EVS 256

struct tev {
	enum cpuhp_trace_type type;
	int target, state, idx, ret, pid;
	char fn[48], task[16];
};

struct tlog {
	pthread_mutex_t lock;
	struct tev ev[NCPU][MAX_EVS];
	unsigned int n[NCPU];
};

static struct tlog logs[2] = { { .lock = PTHREAD_MUTEX_INITIALIZER },
			       { .lock = PTHREAD_MUTEX_INITIALIZER } };

static void sink(void *data, const struct cpuhp_trace_event *e)
{
	struct tlog *l = data;
	struct tev *t;

	pthread_mutex_lock(&l->lock);
	if (e->cpu < NCPU && l->n[e->cpu] < MAX_EVS) {
		t = &l->ev[e->cpu][l->n[e->cpu]++];
		t->type = e->type;
		t->target = e->target;
		t->state = e->state;
		t->idx = e->idx;
		t->ret = e->ret;
		t->pid = e->task_pid;
		snprintf(t->fn, sizeof(t->fn), "%s", e->fn ? e->fn : "");
		snprintf(t->task, sizeof(t->task), "%s", e->task ? e->task : "");
	}
	pthread_mutex_unlock(&l->lock);
}

static int fail_online_cpu = -1, fail_prepare_cpu = -1;

/* Per-CPU call log of the machine being driven (without a trace sink). */
static pthread_mutex_t calls_lock = PTHREAD_MUTEX_INITIALIZER;
static char calls[2][NCPU][32];
static int cur;

static void note_call(unsigned int cpu, char c)
{
	size_t n;

	if (cpu >= NCPU)
		return;
	pthread_mutex_lock(&calls_lock);
	n = strlen(calls[cur][cpu]);
	if (n + 1 < sizeof(calls[cur][cpu]))
		calls[cur][cpu][n] = c;
	pthread_mutex_unlock(&calls_lock);
}

static int online_up(struct cpuhp *hp, unsigned int cpu, void *data)
{
	(void)hp;
	(void)data;
	note_call(cpu, 'O');
	return (int)cpu == fail_online_cpu ? -EIO : 0;
}

static int prepare_up(struct cpuhp *hp, unsigned int cpu, void *data)
{
	(void)hp;
	(void)data;
	note_call(cpu, 'P');
	return (int)cpu == fail_prepare_cpu ? -ENOMEM : 0;
}

static int nop(struct cpuhp *hp, unsigned int cpu, void *data)
{
	(void)hp;
	(void)data;
	note_call(cpu, 't');
	return 0;
}

static struct cpuhp *boot(unsigned int flags, unsigned int tpc, const char *cmdline)
{
	struct cpuhp_config cfg;
	struct cpuhp *hp;

	cpuhp_config_init(&cfg);
	cfg.nr_possible = NCPU;
	cfg.threads_per_core = tpc;
	cfg.cmdline = cmdline;
	cfg.flags = flags;
	if (cpuhp_new(&cfg, &hp))
		bail_out("cpuhp_new");
	return hp;
}

/* Bring all CPUs up on a machine booted with CPU 0 only; trace into logs[i]. */
static struct cpuhp *bulk(int i, unsigned int flags, int *ret, bool traced)
{
	struct cpuhp *hp = boot(flags, 1, "maxcpus=1");
	unsigned long mask[(NCPU + CPUHP_BITS_PER_LONG - 1) / CPUHP_BITS_PER_LONG] = { 0 };
	unsigned int cpu;

	memset(logs[i].n, 0, sizeof(logs[i].n));
	cur = i;
	if (traced)
		cpuhp_trace_set_fn(hp, sink, &logs[i]);
	if (cpuhp_setup_state(hp, cpuhp_state_of(hp, CPUHP_BP_PREPARE_DYN), "t:prep",
			      prepare_up, nop, NULL) <= 0 ||
	    cpuhp_setup_state(hp, cpuhp_state_of(hp, CPUHP_AP_ONLINE_DYN), "t:online",
			      online_up, nop, NULL) <= 0)
		bail_out("setup_state");
	memset(calls[i], 0, sizeof(calls[i]));
	for (cpu = 0; cpu < NCPU; cpu++)
		mask[cpu / CPUHP_BITS_PER_LONG] |= 1ul << (cpu % CPUHP_BITS_PER_LONG);
	*ret = cpuhp_bringup_cpus(hp, mask);
	cpuhp_trace_set_fn(hp, NULL, NULL);
	return hp;
}

static bool same_states(struct cpuhp *a, struct cpuhp *b, const char *what)
{
	unsigned int cpu;
	bool same = true;

	for (cpu = 0; cpu < NCPU; cpu++) {
		if (cpuhp_cpu_state(a, cpu) != cpuhp_cpu_state(b, cpu) ||
		    cpuhp_cpu_target(a, cpu) != cpuhp_cpu_target(b, cpu) ||
		    cpuhp_cpu_online(a, cpu) != cpuhp_cpu_online(b, cpu) ||
		    cpuhp_cpu_active(a, cpu) != cpuhp_cpu_active(b, cpu)) {
			diag("%s: CPU %u serial %d/%d parallel %d/%d", what, cpu,
			     cpuhp_cpu_state(a, cpu), cpuhp_cpu_target(a, cpu),
			     cpuhp_cpu_state(b, cpu), cpuhp_cpu_target(b, cpu));
			same = false;
		}
	}
	return same;
}

/*
 * The target a parallel bring-up traces where the serial one traces
 * @serial_target: a secondary CPU's first events, up to KICK_AP, are pass 1,
 * a cpu_up() to KICK_AP (the mainline model's numbers: the test machines
 * use it).  @pass1 is cleared at the CPU's first event past KICK_AP.
 */
static int parallel_target(int serial_target, int idx, bool *pass1)
{
	if (idx > CPUHP_BP_KICK_AP)
		*pass1 = false;
	if (*pass1 && serial_target == CPUHP_ONLINE)
		return CPUHP_BP_KICK_AP;
	return serial_target;
}

static bool same_traces(const char *what)
{
	unsigned int cpu, i;
	bool same = true;

	for (cpu = 0; cpu < NCPU; cpu++) {
		bool pass1 = cpu != 0; /* the boot CPU is up already */

		if (logs[0].n[cpu] != logs[1].n[cpu]) {
			diag("%s: CPU %u: %u events serial, %u parallel", what, cpu,
			     logs[0].n[cpu], logs[1].n[cpu]);
			same = false;
			continue;
		}
		for (i = 0; i < logs[0].n[cpu]; i++) {
			const struct tev *x = &logs[0].ev[cpu][i],
					 *y = &logs[1].ev[cpu][i];

			if (x->type != y->type ||
			    parallel_target(x->target, x->idx, &pass1) != y->target ||
			    x->state != y->state || x->idx != y->idx ||
			    x->ret != y->ret || x->pid != y->pid ||
			    strcmp(x->fn, y->fn) || strcmp(x->task, y->task)) {
				diag("%s: CPU %u event %u: serial %s/%d/%d/%s parallel %s/%d/%d/%s",
				     what, cpu, i, x->fn, x->idx, x->target, x->task,
				     y->fn, y->idx, y->target, y->task);
				same = false;
				break;
			}
		}
	}
	return same;
}

static void scenario(const char *what, int fail_online, int fail_prepare, int want_ret)
{
	struct cpuhp *a, *b;
	int ra, rb;

	fail_online_cpu = fail_online;
	fail_prepare_cpu = fail_prepare;
	/* Untraced first: pass 2 then runs on helper threads too. */
	a = bulk(0, CPUHP_CONFIG_SERIAL_BRINGUP, &ra, false);
	b = bulk(1, 0, &rb, false);
	{
		unsigned int cpu;
		bool same = true;

		for (cpu = 0; cpu < NCPU; cpu++)
			if (strcmp(calls[0][cpu], calls[1][cpu])) {
				diag("%s: CPU %u calls serial '%s' parallel '%s'", what,
				     cpu, calls[0][cpu], calls[1][cpu]);
				same = false;
			}
		ok(same, "%s, untraced: same callbacks per CPU", what);
	}
	is_int(rb, ra, "%s, untraced: same result", what);
	ok(same_states(a, b, what), "%s, untraced: same end state and target per CPU",
	   what);
	cpuhp_free(a);
	cpuhp_free(b);
	/* Traced: the control thread finishes the CPUs alone in pass 2. */
	a = bulk(0, CPUHP_CONFIG_SERIAL_BRINGUP, &ra, true);
	b = bulk(1, 0, &rb, true);
	is_int(ra, want_ret, "%s: serial result", what);
	is_int(rb, want_ret, "%s: parallel result", what);
	ok(logs[0].n[1] > 4, "%s: CPU 1 traced (%u events)", what, logs[0].n[1]);
	ok(same_traces(what), "%s: every CPU's trace is the serial one", what);
	ok(same_states(a, b, what), "%s: same end state and target per CPU", what);
	is_int(cpuhp_warn_count(a) + cpuhp_warn_count(b), 0, "%s: no WARN", what);
	cpuhp_free(a);
	cpuhp_free(b);
}

static void boot_compare(const char *what, unsigned int tpc, const char *cmdline)
{
	struct cpuhp *a = boot(CPUHP_CONFIG_SERIAL_BRINGUP, tpc, cmdline);
	struct cpuhp *b = boot(0, tpc, cmdline);
	struct cpuhp *c = boot(0, tpc, "cpuhp.parallel=0");

	is_int(cpuhp_num_online(b), cpuhp_num_online(a),
	       "boot %s: same online count (%u)", what, cpuhp_num_online(a));
	ok(same_states(a, b, what), "boot %s: same states per CPU", what);
	is_int(cpuhp_warn_count(a) + cpuhp_warn_count(b), 0, "boot %s: no WARN", what);
	cpuhp_free(a);
	cpuhp_free(b);
	cpuhp_free(c);
}

int main(void)
{
	plan_no_plan();
	scenario("all succeed", -1, -1, 0);
	scenario("ONLINE fails on CPU 5, PREPARE on CPU 8", 5, 8, -EIO);
	scenario("PREPARE fails on CPU 3", -1, 3, -ENOMEM);
	boot_compare("plain", 1, NULL);
	boot_compare("SMT", 2, NULL);
	boot_compare("nosmt", 2, "nosmt");
	{
		/* Spec 3.13: with SMT the parallel boot takes the primary threads
		 * first, so maxcpus= picks other CPUs than the serial boot does. */
		struct cpuhp *a = boot(CPUHP_CONFIG_SERIAL_BRINGUP, 2, "maxcpus=5");
		struct cpuhp *b = boot(0, 2, "maxcpus=5");
		unsigned int cpu, ma = 0, mb = 0;

		for (cpu = 0; cpu < NCPU; cpu++) {
			ma |= (unsigned int)cpuhp_cpu_online(a, cpu) << cpu;
			mb |= (unsigned int)cpuhp_cpu_online(b, cpu) << cpu;
		}
		is_int(ma, 0x1f, "boot maxcpus=5 SMT serial: CPUs 0-4 online");
		is_int(mb, 0x155,
		       "boot maxcpus=5 SMT parallel: primaries 0,2,4,6,8 online");
		cpuhp_free(a);
		cpuhp_free(b);
	}
	boot_compare("maxcpus=0", 1, "maxcpus=0");
	{
		struct cpuhp_config cfg;
		struct cpuhp *hp = NULL;

		cpuhp_config_init(&cfg);
		cfg.cmdline = "cpuhp.parallel=maybe";
		is_int(cpuhp_new(&cfg, &hp), -EINVAL,
		       "a malformed cpuhp.parallel= is refused");
		is_int(cpuhp_bringup_cpus(NULL, NULL), -EINVAL, "NULL arguments refused");
	}
	return done_testing();
}
