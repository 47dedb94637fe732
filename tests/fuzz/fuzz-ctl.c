// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * fuzz-ctl.c - fuzz target: the control files (cpuhp_ctl_write/_read).
 *
 * An input is up to 8 lines, each "PATH VALUE" (a write; the value is the
 * rest of the line) or "PATH" (a read), run in order on one 4-CPU SMT
 * machine with any state allowed as a target, a dynamic state and a
 * multi-instance state of its own.  The machine is created once and reused:
 * after every input it is checked (spec 3.11: states against masks, target
 * equal to state at rest, per-CPU data of the fuzzer's states present
 * exactly at or above them, the WARN counter) and put back to the canonical
 * state (every CPU online, smt on, no failure armed), so that each input
 * runs from the same start and a crash reproduces from the input alone.  A
 * machine that cannot be put back (smt forceoff) is replaced.
 *
 * Writes that would take the run where the kernel itself cannot go are
 * skipped: a target from BP_KICK_AP up to AP_ONLINE_IDLE (spec 3.7, 3.8:
 * a BUG going down; a CPU left there answers the next bring-up only after
 * the 10 s alive timeout).  An input that makes the library WARN (e.g. an
 * injected failure in a "dead" teardown, spec 3.9 last row, an unsupported
 * situation) is not checked further; the machine is replaced.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <cpuhp/cpuhp.h>

#include "fuzz.h"

#define NCPUS 4
#define MAX_LINES 8

static struct cpuhp *hp;
static int s_online, s_nostop, s_idle, s_bringup, s_active, dyn_state, multi_state;
static bool data[2][NCPUS]; /* per-CPU "data" of the single and multi states */
static struct cpuhp_node node;

static void quiet(void *d, int prio, const char *file, int line, const char *fn,
		  const char *fmt, va_list args)
{
	(void)d, (void)prio, (void)file, (void)line, (void)fn, (void)fmt, (void)args;
}

/* Startups and teardowns must alternate per CPU (spec 4.2, 4.5). */
static int flip(int which, unsigned int cpu, bool up)
{
	FUZZ_CHECK(cpu < NCPUS, "callback for CPU %u", cpu);
	FUZZ_CHECK(data[which][cpu] != up, "state %d: %s twice on CPU %u", which,
		   up ? "startup" : "teardown", cpu);
	data[which][cpu] = up;
	return 0;
}

static int s_up(struct cpuhp *h, unsigned int cpu, void *d)
{
	(void)h, (void)d;
	return flip(0, cpu, true);
}

static int s_down(struct cpuhp *h, unsigned int cpu, void *d)
{
	(void)h, (void)d;
	return flip(0, cpu, false);
}

static int m_up(struct cpuhp *h, unsigned int cpu, struct cpuhp_node *n)
{
	(void)h, (void)n;
	return flip(1, cpu, true);
}

static int m_down(struct cpuhp *h, unsigned int cpu, struct cpuhp_node *n)
{
	(void)h, (void)n;
	return flip(1, cpu, false);
}

static void machine_new(void)
{
	struct cpuhp_config cfg;

	cpuhp_config_init(&cfg);
	cfg.nr_possible = NCPUS;
	cfg.threads_per_core = 2;
	cfg.kconfig = "CPU_HOTPLUG_STATE_CONTROL=y";
	cfg.log_fn = quiet;
	memset(data, 0, sizeof(data));
	memset(&node, 0, sizeof(node));
	if (cpuhp_new(&cfg, &hp))
		abort();
	s_online = cpuhp_state_of(hp, CPUHP_ONLINE);
	s_idle = cpuhp_state_of(hp, CPUHP_AP_ONLINE_IDLE);
	s_bringup = cpuhp_state_of(hp, CPUHP_BRINGUP_CPU);
	s_active = cpuhp_state_of(hp, CPUHP_AP_ACTIVE);
	s_nostop = cpuhp_state_of(hp, CPUHP_BP_KICK_AP);
	dyn_state = cpuhp_setup_state(hp, cpuhp_state_of(hp, CPUHP_AP_ONLINE_DYN),
				      "fuzz:single", s_up, s_down, NULL);
	multi_state = cpuhp_setup_state_multi(
		hp, cpuhp_state_of(hp, CPUHP_BP_PREPARE_DYN), "fuzz:multi", m_up, m_down);
	if (dyn_state <= 0 || multi_state <= 0 ||
	    cpuhp_state_add_instance(hp, multi_state, &node))
		abort();
}

static void machine_free(void)
{
	cpuhp_free(hp);
	hp = NULL;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	machine_new();
	/* Freed at exit, so that LeakSanitizer sees a clean process. */
	atexit(machine_free);
	return 0;
}

/* A target write libFuzzer may not make (see the top of the file). */
static bool skipped(const char *path, const char *value)
{
	size_t n = strlen(path);
	char *end;
	long v;

	if (n < 6 || strcmp(path + n - 6, "target"))
		return false;
	v = strtol(value, &end, 10); /* as the library parses it */
	return end != value && v >= s_nostop && v < s_idle;
}

static void run_line(char *line)
{
	char buf[4096], *value = strchr(line, ' ');

	if (value) {
		*value++ = '\0';
		if (!skipped(line, value))
			cpuhp_ctl_write(hp, line, value);
	} else {
		ssize_t n = cpuhp_ctl_read(hp, line, buf, sizeof(buf));

		FUZZ_CHECK(n < (ssize_t)sizeof(buf), "read of %s returned %zd", line, n);
	}
}

/* At rest, every CPU and the fuzzer's per-CPU data agree (spec 3.11, 4.2). */
static void check_machine(void)
{
	unsigned int cpu, n = 0;

	for (cpu = 0; cpu < NCPUS; cpu++) {
		int s = cpuhp_cpu_state(hp, cpu);
		bool on = cpuhp_cpu_online(hp, cpu);

		n += on;
		FUZZ_CHECK(s >= 0 && s <= s_online, "CPU %u state %d", cpu, s);
		FUZZ_CHECK(cpuhp_cpu_target(hp, cpu) == s, "CPU %u target %d state %d",
			   cpu, cpuhp_cpu_target(hp, cpu), s);
		FUZZ_CHECK(!(s >= s_idle && !on), "CPU %u at %d offline", cpu, s);
		FUZZ_CHECK(!(s < s_bringup && on), "CPU %u at %d online", cpu, s);
		FUZZ_CHECK(cpuhp_cpu_active(hp, cpu) == (s >= s_active), "CPU %u at %d",
			   cpu, s);
		FUZZ_CHECK(data[0][cpu] == (s >= dyn_state), "CPU %u at %d, single %d",
			   cpu, s, data[0][cpu]);
		FUZZ_CHECK(data[1][cpu] == (s >= multi_state), "CPU %u at %d, multi %d",
			   cpu, s, data[1][cpu]);
	}
	FUZZ_CHECK(n == cpuhp_num_online(hp), "num_online %u, mask %u",
		   cpuhp_num_online(hp), n);
}

/* Back to every CPU online, smt on, nothing armed; false if impossible. */
static bool restore(void)
{
	char name[32];
	unsigned int cpu;

	cpuhp_ctl_write(hp, "smt/control", "on");
	for (cpu = 0; cpu < NCPUS; cpu++) {
		cpuhp_fail_set(hp, cpu, CPUHP_INVALID);
		if (cpuhp_cpu_up(hp, cpu, s_online))
			return false;
		snprintf(name, sizeof(name), "cpu%u/online", cpu);
		if (cpu)
			cpuhp_ctl_write(hp, name, "1");
	}
	return cpuhp_num_online(hp) == NCPUS && cpuhp_warn_count(hp) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *in, size_t size)
{
	char text[4096], *line, *next;
	int lines = 0;

	if (size >= sizeof(text))
		return 0;
	memcpy(text, in, size);
	text[size] = '\0';
	for (line = text; line && lines < MAX_LINES; line = next, lines++) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (*line)
			run_line(line);
	}
	if (cpuhp_warn_count(hp) == 0)
		check_machine();
	if (!restore()) {
		machine_free();
		machine_new();
	}
	return 0;
}
