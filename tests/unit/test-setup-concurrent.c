// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-setup-concurrent.c - concurrent state setup gives the serial
 * (kernel) result: the same calls per CPU, the same return value, and on a
 * failure the same end state: the state is installed on no CPU and the
 * error is the one of the lowest-numbered failing CPU (spec 4.1: CPUs below
 * the failing one are torn down).  Each scenario runs on a machine with
 * CPUHP_CONFIG_SERIAL_SETUP and one with CPUHP_CONFIG_CONCURRENT_SETUP.
 */
#include "unit-common.h"

#define NCPU 8

struct calls {
	pthread_mutex_t lock;
	char per_cpu[NCPU][64]; /* "S", "T" per call, in order */
	int fail_cpu[2], fail_err[2];
};

static struct calls calls = { .lock = PTHREAD_MUTEX_INITIALIZER };

static int note_call(unsigned int cpu, char what)
{
	size_t n;
	int i;

	pthread_mutex_lock(&calls.lock);
	n = strlen(calls.per_cpu[cpu]);
	if (n + 1 < sizeof(calls.per_cpu[cpu]))
		calls.per_cpu[cpu][n] = what;
	pthread_mutex_unlock(&calls.lock);
	if (what == 'S')
		for (i = 0; i < 2; i++)
			if (calls.fail_cpu[i] == (int)cpu)
				return calls.fail_err[i];
	return 0;
}

static int up(struct cpuhp *hp, unsigned int cpu, void *data)
{
	(void)hp;
	(void)data;
	return note_call(cpu, 'S');
}

static int down(struct cpuhp *hp, unsigned int cpu, void *data)
{
	(void)hp;
	(void)data;
	return note_call(cpu, 'T');
}

static int mup(struct cpuhp *hp, unsigned int cpu, struct cpuhp_node *n)
{
	(void)hp;
	(void)n;
	return note_call(cpu, 'S');
}

static int mdown(struct cpuhp *hp, unsigned int cpu, struct cpuhp_node *n)
{
	(void)hp;
	(void)n;
	return note_call(cpu, 'T');
}

struct result {
	int setup_ret, remove_ret, add_ret;
	char per_cpu[NCPU][64];
};

static void take_calls(char out[NCPU][64])
{
	pthread_mutex_lock(&calls.lock);
	memcpy(out, calls.per_cpu, sizeof(calls.per_cpu));
	memset(calls.per_cpu, 0, sizeof(calls.per_cpu));
	pthread_mutex_unlock(&calls.lock);
}

/* One scenario: fail on CPUs f0 and f1 (-1: none). */
static struct result run(unsigned int flags, int f0, int f1, bool multi)
{
	struct cpuhp_config cfg;
	struct cpuhp_node node = { NULL, NULL };
	struct cpuhp *hp;
	struct result r;
	int dyn, st;

	memset(&r, 0, sizeof(r));
	cpuhp_config_init(&cfg);
	cfg.nr_possible = NCPU;
	cfg.flags = flags;
	if (cpuhp_new(&cfg, &hp))
		bail_out("cpuhp_new");
	dyn = cpuhp_state_of(hp, CPUHP_AP_ONLINE_DYN);
	calls.fail_cpu[0] = f0;
	calls.fail_cpu[1] = f1;
	calls.fail_err[0] = -EIO;
	calls.fail_err[1] = -ENOMEM;
	if (!multi) {
		st = cpuhp_setup_state(hp, dyn, "t:conc", up, down, NULL);
		r.setup_ret = st > 0 ? 1 : st;
		calls.fail_cpu[0] = calls.fail_cpu[1] = -1;
		if (st > 0)
			r.remove_ret = cpuhp_remove_state(hp, st);
	} else {
		calls.fail_cpu[0] = calls.fail_cpu[1] = -1;
		st = cpuhp_setup_state_multi(hp, dyn, "t:multi", mup, mdown);
		calls.fail_cpu[0] = f0;
		calls.fail_cpu[1] = f1;
		r.add_ret = cpuhp_state_add_instance(hp, st, &node);
		calls.fail_cpu[0] = calls.fail_cpu[1] = -1;
		if (!r.add_ret)
			r.remove_ret = cpuhp_state_remove_instance(hp, st, &node);
		cpuhp_remove_multi_state(hp, st);
	}
	take_calls(r.per_cpu);
	if (cpuhp_warn_count(hp))
		diag("WARNs: %lu", cpuhp_warn_count(hp));
	cpuhp_free(hp);
	return r;
}

/* Every CPU's calls balance: each successful startup was torn down. */
static bool balanced(const char *calls_of_cpu, bool failed_here)
{
	int s = 0, t = 0;

	for (; *calls_of_cpu; calls_of_cpu++)
		*calls_of_cpu == 'S' ? s++ : t++;
	return failed_here ? s == t + 1 : s == t;
}

static void compare(const char *what, int f0, int f1, bool multi)
{
	struct result a = run(CPUHP_CONFIG_SERIAL_SETUP, f0, f1, multi);
	struct result b = run(CPUHP_CONFIG_CONCURRENT_SETUP, f0, f1, multi);
	unsigned int cpu;
	bool same_below = true, bal = true;
	int lowest = f0 >= 0 && (f1 < 0 || f0 < f1) ? f0 : f1;

	is_int(b.setup_ret, a.setup_ret, "%s: setup result as serial", what);
	is_int(b.add_ret, a.add_ret, "%s: add_instance result as serial", what);
	is_int(b.remove_ret, a.remove_ret, "%s: removal result as serial", what);
	for (cpu = 0; cpu < NCPU; cpu++) {
		/* Up to the failing CPU the calls per CPU are the kernel's. */
		if ((lowest < 0 || (int)cpu <= lowest) &&
		    strcmp(a.per_cpu[cpu], b.per_cpu[cpu])) {
			diag("CPU %u: serial '%s' concurrent '%s'", cpu, a.per_cpu[cpu],
			     b.per_cpu[cpu]);
			same_below = false;
		}
		bal &= balanced(b.per_cpu[cpu], (int)cpu == f0 || (int)cpu == f1);
	}
	ok(same_below, "%s: same calls per CPU as serial (up to the failing CPU)", what);
	ok(bal, "%s: no CPU left with the state set up", what);
}

int main(void)
{
	plan_no_plan();
	compare("success", -1, -1, false);
	compare("failure on CPU 5 and 6", 5, 6, false);
	compare("failure on CPU 0", 0, -1, false);
	compare("failure on CPU 7 and 2", 7, 2, false);
	compare("instance success", -1, -1, true);
	compare("instance failure on CPU 3", 3, -1, true);
	{
		struct result b = run(CPUHP_CONFIG_CONCURRENT_SETUP, 6, 5, false);

		is_int(b.setup_ret, -ENOMEM,
		       "the lowest failing CPU's error is returned");
	}
	return done_testing();
}
