/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * learn.h - "cpuhpctl learn": a model file from recordings of a real kernel
 * (oracle format) or from a /sys/devices/system/cpu tree.
 *
 * learn-parse.c reads recordings into facts (struct learn), learn-sysfs.c
 * reads a sysfs tree into the same facts, learn-base.c reads the base model
 * the facts that cannot be learned come from, learn-write.c writes the
 * model; cmd-learn.c is the command around them.
 */
#ifndef CPUHPCTL_LEARN_H
#define CPUHPCTL_LEARN_H

#include <stdbool.h>
#include <stdio.h>

#define LEARN_MAX_STATES 512
#define LEARN_SYM_MAX 64

/* What a fail sweep showed for one direction of a state. */
enum learn_sweep {
	SWEEP_UNKNOWN = 0,
	SWEEP_NONE,     /* armed, the walk went through: no callback */
	SWEEP_CALLBACK, /* armed, the walk failed with EAGAIN: a callback */
};

enum learn_boot {
	BOOT_PRESENT = 0, /* walked at boot, or never seen */
	BOOT_EARLY_CALLS,
	BOOT_LATE_CALLS,
};

struct learn_dir {
	char sym[LEARN_SYM_MAX]; /* traced symbol, "" if never traced */
	bool single;             /* traced by cpuhp_enter */
	int multi;               /* most cpuhp_multi_enter in one walk; -1: none */
	enum learn_sweep sweep;
	char *sweep_where;
};

struct learn_state {
	char name[LEARN_SYM_MAX]; /* "" if not in the listing */
	struct learn_dir up, down;
	enum learn_boot boot;
	int boot_order;     /* order of the boot-time set-up */
	bool boot_walked;   /* traced on a secondary CPU's walk at boot */
	bool boot_seen;     /* any boot-trace event */
	bool fail_accepted; /* hotplug/fail took it: a callback some way */
	char *fail_where;
};

struct learn {
	struct learn_state st[LEARN_MAX_STATES];
	bool listing;          /* a hotplug/states listing was read */
	char listing_src[512]; /* where it came from */
	char uname[128];
	char sources[8192]; /* the input files, for the header comment */
	unsigned int cpus, threads_per_core;
	int boot_cpu;             /* -1: unknown */
	int boot_cpu_target;      /* the boot CPU's target after boot; -1 unknown */
	int boot_cpu_online_file; /* -1 unknown, 0 "n/a", 1 present */
	char smt_control[32];     /* "" if never read */
	bool offline_ok;          /* a cpuN/online <- 0 succeeded */
	bool down_worker, down_writer;
	bool boot_trace;
	int boot_order_next;
	bool sweep; /* any fail armed and an operation after it */
};

/* One "not learned" item: printed on stderr and written as a comment. */
struct learn_notes {
	char **line;
	size_t nr, cap;
};

void learn_note(struct learn_notes *n, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void learn_notes_free(struct learn_notes *n);

void learn_init(struct learn *l);
void learn_free(struct learn *l);

/*
 * Read one recording into @l.  Return: 0, or -1 after printing an error
 * naming the file and line (nothing else is printed).
 */
int learn_read_recording(struct learn *l, const char *path);

/*
 * Read a trace captured from /sys/kernel/tracing/trace (ftrace text, the
 * cpuhp events of walks up and down).  Return: 0 or -1.
 */
int learn_read_trace(struct learn *l, const char *path);

/* Read a /sys/devices/system/cpu-like tree at @root.  Return: 0 or -1. */
int learn_read_sysfs(struct learn *l, const char *root);

/* The base model: the values that cannot be learned. */
struct base_state {
	char name[LEARN_SYM_MAX];
	char startup[LEARN_SYM_MAX], teardown[LEARN_SYM_MAX];
	bool cant_stop;
	int multi; /* -1: single instance */
};

struct base_model {
	char name[128];
	char *text; /* the model file, for the config and quirk lines */
	struct base_state st[LEARN_MAX_STATES];
	int bound[32]; /* by role index (learn_roles[]); -1 absent */
};

/* The boundary roles in model-file order, with their core state's name. */
struct learn_role {
	const char *role;
	const char *state_name; /* NULL: not a named state (dynamic ranges) */
};
extern const struct learn_role learn_roles[];
extern const size_t learn_nr_roles;

/*
 * Load the base model @name (a built-in name or a path), or with @name
 * NULL the built-in model whose state table matches @l best.  Return: 0,
 * or -1 after printing an error.
 */
int learn_load_base(struct base_model *b, const char *name, const struct learn *l);
void learn_free_base(struct base_model *b);

/* Write the model to @f; the "not learned" items go to @notes. */
void learn_write(FILE *f, const struct learn *l, const struct base_model *b,
		 const char *model_name, struct learn_notes *notes);

#endif /* CPUHPCTL_LEARN_H */
