/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * reg-common.h - helpers shared by the registration, fail-injection and
 * trace API tests: a 4-CPU machine and callbacks that record every call
 * (which state, which CPU, which thread and execution context) in a log that
 * reads as one string, e.g. "S:a@0 S:a@1 T:a@0".
 */
#ifndef CPUHP_TESTS_REG_COMMON_H
#define CPUHP_TESTS_REG_COMMON_H

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <cpuhp/cpuhp.h>

#include "tap.h"

#define NR_CPUS 4

/* What one registration's callbacks do; passed as their data. */
struct probe {
	const char *tag; /* shown in the log */
	int fail_cpu;    /* startup returns fail_ret on this CPU; -1: never */
	int fail_ret;
	int teardown_fail_cpu; /* teardown returns -EIO on this CPU; -1: never */
};

#define PROBE(t)                                                    \
	{                                                           \
		.tag = (t), .fail_cpu = -1, .teardown_fail_cpu = -1 \
	}

/* A multi-instance instance. */
struct inst {
	struct cpuhp_node node;
	const char *tag;
	int fail_cpu; /* startup fails with -EIO on this CPU; -1: never */
};

#define INST(t)                                                    \
	{                                                          \
		.node = { NULL, NULL }, .tag = (t), .fail_cpu = -1 \
	}

struct call {
	char kind; /* 'S' startup, 'T' teardown */
	const char *tag;
	unsigned int cpu;
	enum cpuhp_context ctx;
	int ctx_cpu;
	pthread_t thread;
};

#define MAX_CALLS 1024
static pthread_mutex_t calls_lock = PTHREAD_MUTEX_INITIALIZER;
static struct call calls[MAX_CALLS];
static unsigned int nr_calls;

static inline void log_reset(void)
{
	pthread_mutex_lock(&calls_lock);
	nr_calls = 0;
	pthread_mutex_unlock(&calls_lock);
}

static inline void record(struct cpuhp *hp, char kind, const char *tag, unsigned int cpu)
{
	struct call c = { .kind = kind, .tag = tag, .cpu = cpu, .thread = pthread_self() };

	c.ctx = cpuhp_current_context(hp, &c.ctx_cpu);
	pthread_mutex_lock(&calls_lock);
	if (nr_calls < MAX_CALLS)
		calls[nr_calls++] = c;
	pthread_mutex_unlock(&calls_lock);
}

/* The log as "S:tag@cpu ..." (only calls whose tag matches @only, if given). */
static inline const char *log_str_of(const char *only)
{
	static char buf[8192];
	size_t n = 0;
	unsigned int i;

	buf[0] = '\0';
	pthread_mutex_lock(&calls_lock);
	for (i = 0; i < nr_calls && n < sizeof(buf); i++) {
		if (only && strcmp(calls[i].tag, only))
			continue;
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%c:%s@%u",
				      n ? " " : "", calls[i].kind, calls[i].tag,
				      calls[i].cpu);
	}
	pthread_mutex_unlock(&calls_lock);
	return buf;
}

static inline const char *log_str(void)
{
	return log_str_of(NULL);
}

static inline int rec_startup(struct cpuhp *hp, unsigned int cpu, void *data)
{
	struct probe *p = data;

	record(hp, 'S', p->tag, cpu);
	return (int)cpu == p->fail_cpu ? p->fail_ret : 0;
}

static inline int rec_teardown(struct cpuhp *hp, unsigned int cpu, void *data)
{
	struct probe *p = data;

	record(hp, 'T', p->tag, cpu);
	return (int)cpu == p->teardown_fail_cpu ? -EIO : 0;
}

static inline int inst_startup(struct cpuhp *hp, unsigned int cpu,
			       struct cpuhp_node *node)
{
	struct inst *in = cpuhp_container_of(node, struct inst, node);

	record(hp, 'S', in->tag, cpu);
	return (int)cpu == in->fail_cpu ? -EIO : 0;
}

static inline int inst_teardown(struct cpuhp *hp, unsigned int cpu,
				struct cpuhp_node *node)
{
	struct inst *in = cpuhp_container_of(node, struct inst, node);

	record(hp, 'T', in->tag, cpu);
	return 0;
}

static inline struct cpuhp *machine_with(const char *model, unsigned int nr_present)
{
	struct cpuhp_config cfg;
	struct cpuhp *hp;
	int err;

	cpuhp_config_init(&cfg);
	cfg.nr_possible = NR_CPUS;
	cfg.nr_present = nr_present;
	if (model)
		cfg.model = model;
	err = cpuhp_new(&cfg, &hp);
	if (err)
		bail_out("cpuhp_new: %d", err);
	return hp;
}

/* The default: mainline model, 4 CPUs, all present and online. */
static inline struct cpuhp *machine(void)
{
	return machine_with(NULL, 0);
}

/* Free slots in [first, last]. */
static inline int free_slots(struct cpuhp *hp, int first, int last)
{
	int s, n = 0;

	for (s = first; s <= last; s++)
		n += cpuhp_state_name(hp, s) == NULL;
	return n;
}

/* Does the "hotplug/states" listing have a line for @state? (-1: no listing) */
static inline int listed(struct cpuhp *hp, int state)
{
	static char buf[16384];
	char key[16];
	ssize_t n;

	n = cpuhp_ctl_read(hp, "hotplug/states", buf, sizeof(buf));
	if (n < 0)
		return -1;
	snprintf(key, sizeof(key), "%3d: ", state);
	if (!strncmp(buf, key, strlen(key)))
		return 1;
	snprintf(key, sizeof(key), "\n%3d: ", state);
	return strstr(buf, key) != NULL;
}

#endif /* CPUHP_TESTS_REG_COMMON_H */
