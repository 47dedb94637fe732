/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * cpuhpctl.h - what the cpuhpctl subcommands share: the tool context (machine
 * options, the machine itself, created on first use), the subcommand table
 * entry and a few helpers.  Only the tool prints; the library logs through
 * the hook installed here.
 */
#ifndef CPUHPCTL_H
#define CPUHPCTL_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include <cpuhp/cpuhp.h>

/* Exit statuses: a failed operation, a usage error (bad option or operand). */
enum {
	CTL_EXIT_OK = 0,
	CTL_EXIT_FAIL = 1,
	CTL_EXIT_USAGE = 2,
};

struct cpuhpctl {
	struct cpuhp_config cfg;
	char *cmdline;    /* --cmdline values, space separated (owned) */
	char *kconfig;    /* --config values, space separated (owned) */
	bool present_set; /* --present given: do not follow --cpus */
	bool model_set, cpus_set, threads_set; /* given explicitly (conform) */
	const char *trace_path;                /* --trace FILE, "-" = stdout */
	bool verbose;

	struct cpuhp *hp; /* NULL until ctl_machine() */
	FILE *trace;
};

struct cpuhpctl_cmd {
	const char *name;
	int (*run)(struct cpuhpctl *ctl, int argc, char *argv[]);
	const char *args;    /* operands for the usage line, e.g. "PATH VALUE" */
	const char *summary; /* one line for the command list */
	const char *help;    /* the rest of "cpuhpctl CMD --help" */
};

extern const struct cpuhpctl_cmd cmd_states, cmd_read, cmd_write, cmd_run, cmd_help;
extern const struct cpuhpctl_cmd cmd_conform;
extern const struct cpuhpctl_cmd cmd_mount; /* cmd-mount.c, or cmd-mount-none.c */
extern const struct cpuhpctl_cmd cmd_watch;
extern const struct cpuhpctl_cmd cmd_exec; /* exec/cmd-exec.c, or cmd-mount-none.c */
extern const struct cpuhpctl_cmd cmd_explore;
extern const struct cpuhpctl_cmd cmd_kernel; /* kernel/cmd-kernel.c */
extern const struct cpuhpctl_cmd cmd_learn;  /* learn/cmd-learn.c */

/* main.c */
const struct cpuhpctl_cmd *ctl_find_cmd(const char *name);
void ctl_usage(FILE *f);
void ctl_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * cmd_args() return value meaning "go on": the operands start at *first.
 * Anything else is the exit status to return at once (help shown, or a
 * usage error reported).
 */
#define CMD_CONTINUE (-1)
int cmd_args(const struct cpuhpctl_cmd *cmd, int argc, char *argv[], int min, int max,
	     int *first);
/*
 * For a command that parses its own options (getopt_long() with optind = 0,
 * opterr = 0 and a leading "+:" in the short options): cmd_bad_option()
 * reports what getopt returned (':' or '?') and the usage line;
 * cmd_operands() checks the operand count left after optind.  Both return
 * CTL_EXIT_USAGE, or CMD_CONTINUE from cmd_operands() with *first set.
 */
int cmd_bad_option(const struct cpuhpctl_cmd *cmd, int c, char *argv[]);
int cmd_operands(const struct cpuhpctl_cmd *cmd, int argc, int min, int max, int *first);
void cmd_usage(const struct cpuhpctl_cmd *cmd, FILE *f);

/* Seconds on CLOCK_MONOTONIC, for durations and deadlines (main.c). */
double ctl_now(void);

/* machine.c */
int ctl_machine(struct cpuhpctl *ctl, struct cpuhp **hp);
int ctl_release(struct cpuhpctl *ctl);
ssize_t ctl_read_text(struct cpuhp *hp, const char *path, char **text);

/* cmd-run.c: run a parsed script file against the machine. */
int ctl_run_script(struct cpuhpctl *ctl, FILE *f, const char *fname);
struct runner;
struct script_cmd;
struct runner *ctl_runner_new(struct cpuhp *hp);
void ctl_runner_exec(struct runner *r, const struct script_cmd *c);
void ctl_runner_free(struct runner *r);
int ctl_setup_noop_flags(struct cpuhp *hp, int state, const char *name, bool multi,
			 unsigned int flags);
int ctl_setup_noop(struct cpuhp *hp, int state, const char *name, bool multi,
		   bool nocalls);

#endif /* CPUHPCTL_H */
