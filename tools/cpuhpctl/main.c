// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * main.c - cpuhpctl: the machine options, the subcommand table and dispatch.
 *
 * Options before the subcommand describe the machine; each subcommand parses
 * its own operands (and --help) and builds the machine only when it needs it.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include <cpuhp/cpuhp.h>

#include "cpuhpctl.h"

static const struct cpuhpctl_cmd *const cmds[] = {
	&cmd_states, &cmd_read, &cmd_write, &cmd_run,     &cmd_conform, &cmd_help,
	&cmd_mount,  &cmd_exec, &cmd_watch, &cmd_explore, &cmd_kernel,  &cmd_learn,
};

#define NR_CMDS (sizeof(cmds) / sizeof(cmds[0]))

const struct cpuhpctl_cmd *ctl_find_cmd(const char *name)
{
	size_t i;

	for (i = 0; i < NR_CMDS; i++)
		if (!strcmp(cmds[i]->name, name))
			return cmds[i];
	return NULL;
}

void ctl_usage(FILE *f)
{
	size_t i;

	fputs("Usage: cpuhpctl [OPTIONS] COMMAND [ARGS]\n"
	      "\n"
	      "A model of the Linux CPU-hotplug state machine, driven through its sysfs files.\n"
	      "Every invocation boots a fresh machine.\n"
	      "\n"
	      "Machine options:\n"
	      "  --model NAME             state layout: linux-6.12-x86 (default; or\n"
	      "                           $CPUHPCTL_MODEL), linux-6.1-x86, mainline,\n"
	      "                           or the path of a model file\n"
	      "  --cpus N                 possible and present CPUs (default 4)\n"
	      "  --present N              present CPUs (default: all possible)\n"
	      "  --threads-per-core T     SMT threads per core (default 1)\n"
	      "  --cmdline \"ARGS\"         kernel parameters: nosmt, nosmt=force, maxcpus=N, nosmp\n"
	      "  --config \"SWITCH=y|n...\" kernel config switches, e.g. HOTPLUG_CPU=n\n"
	      "                           (repeatable; the values are joined)\n"
	      "  --trace FILE             write the cpuhp trace events to FILE (- = stdout)\n"
	      "  -v, --verbose            log the library's debug messages to stderr\n"
	      "  -h, --help               show this help\n"
	      "  -V, --version            show the version\n"
	      "\n"
	      "Commands:\n",
	      f);
	for (i = 0; i < NR_CMDS; i++) {
		char head[40];

		snprintf(head, sizeof(head), "%s %s", cmds[i]->name, cmds[i]->args);
		fprintf(f, "  %-22s %s\n", head, cmds[i]->summary);
	}
	fputs("\nRun 'cpuhpctl COMMAND --help' for a command's help.\n", f);
}

/* getopt's own messages would name argv[0]; ours name the tool and command. */
static void bad_option(const char *who, int c, char *argv[])
{
	const char *opt = argv[optind - 1];

	if (c == ':')
		ctl_err("%soption '%s' needs an argument", who, opt);
	else if (optopt)
		ctl_err("%sunknown option '-%c'", who, optopt);
	else
		ctl_err("%sunknown option '%s'", who, opt);
}

void cmd_usage(const struct cpuhpctl_cmd *cmd, FILE *f)
{
	fprintf(f, "Usage: cpuhpctl [OPTIONS] %s %s\n\n%s\n", cmd->name, cmd->args,
		cmd->summary);
	if (cmd->help)
		fprintf(f, "\n%s", cmd->help);
}

/* The short usage line that follows a usage error. */
static int usage_error(const struct cpuhpctl_cmd *cmd)
{
	fprintf(stderr, "Usage: cpuhpctl [OPTIONS] %s %s\n", cmd->name, cmd->args);
	return CTL_EXIT_USAGE;
}

int cmd_bad_option(const struct cpuhpctl_cmd *cmd, int c, char *argv[])
{
	char who[32];

	snprintf(who, sizeof(who), "%s: ", cmd->name);
	bad_option(who, c, argv);
	return usage_error(cmd);
}

double ctl_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int cmd_operands(const struct cpuhpctl_cmd *cmd, int argc, int min, int max, int *first)
{
	int n = argc - optind;

	if (n < min || n > max) {
		ctl_err("%s: %s operand%s", cmd->name, n < min ? "missing" : "extra",
			(n < min ? min - n : n - max) > 1 ? "s" : "");
		return usage_error(cmd);
	}
	*first = optind;
	return CMD_CONTINUE;
}

int cmd_args(const struct cpuhpctl_cmd *cmd, int argc, char *argv[], int min, int max,
	     int *first)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 0; /* restart getopt on the subcommand's arguments */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:h", opts, NULL)) != -1) {
		if (c != 'h')
			return cmd_bad_option(cmd, c, argv);
		cmd_usage(cmd, stdout);
		return CTL_EXIT_OK;
	}
	return cmd_operands(cmd, argc, min, max, first);
}

/* ------------------------------------------------------ machine options */

enum {
	OPT_MODEL = 256,
	OPT_CPUS,
	OPT_PRESENT,
	OPT_THREADS,
	OPT_CMDLINE,
	OPT_CONFIG,
	OPT_TRACE,
};

static const struct option options[] = {
	{ "model", required_argument, NULL, OPT_MODEL },
	{ "cpus", required_argument, NULL, OPT_CPUS },
	{ "present", required_argument, NULL, OPT_PRESENT },
	{ "threads-per-core", required_argument, NULL, OPT_THREADS },
	{ "cmdline", required_argument, NULL, OPT_CMDLINE },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "trace", required_argument, NULL, OPT_TRACE },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static bool parse_count(const char *opt, const char *s, unsigned int *out)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || v > UINT_MAX) {
		ctl_err("%s: not a count: '%s'", opt, s);
		return false;
	}
	*out = (unsigned int)v;
	return true;
}

/* Repeated --cmdline / --config values are joined with a space. */
static bool append(char **dst, const char *s)
{
	size_t old = *dst ? strlen(*dst) : 0;
	char *p = realloc(*dst, old + strlen(s) + 2);

	if (!p) {
		ctl_err("out of memory");
		return false;
	}
	if (old)
		p[old++] = ' ';
	strcpy(p + old, s);
	*dst = p;
	return true;
}

static bool machine_option(struct cpuhpctl *ctl, int c, const char *arg)
{
	switch (c) {
	case OPT_MODEL:
		ctl->cfg.model = arg;
		ctl->model_set = true;
		return true;
	case OPT_CPUS:
		if (!parse_count("--cpus", arg, &ctl->cfg.nr_possible))
			return false;
		ctl->cpus_set = true;
		if (!ctl->present_set)
			ctl->cfg.nr_present = ctl->cfg.nr_possible;
		return true;
	case OPT_PRESENT:
		ctl->present_set = true;
		return parse_count("--present", arg, &ctl->cfg.nr_present);
	case OPT_THREADS:
		ctl->threads_set = true;
		return parse_count("--threads-per-core", arg, &ctl->cfg.threads_per_core);
	case OPT_CMDLINE:
		return append(&ctl->cmdline, arg);
	case OPT_CONFIG:
		return append(&ctl->kconfig, arg);
	case OPT_TRACE:
		ctl->trace_path = arg;
		return true;
	case 'v':
		ctl->verbose = true;
		return true;
	}
	return false;
}

/* Return: CMD_CONTINUE with *first at the subcommand, or an exit status. */
static int parse_options(struct cpuhpctl *ctl, int argc, char *argv[], int *first)
{
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:vhV", options, NULL)) != -1) {
		if (c == 'h') {
			ctl_usage(stdout);
			return CTL_EXIT_OK;
		}
		if (c == 'V') {
			printf("cpuhpctl %d.%d.%d\n", CPUHP_VERSION_MAJOR,
			       CPUHP_VERSION_MINOR, CPUHP_VERSION_PATCH);
			return CTL_EXIT_OK;
		}
		if (c == '?' || c == ':') {
			bad_option("", c, argv);
			goto usage;
		}
		if (!machine_option(ctl, c, optarg))
			goto usage;
	}
	if (optind == argc) {
		ctl_err("missing command");
		goto usage;
	}
	*first = optind;
	return CMD_CONTINUE;
usage:
	fputc('\n', stderr);
	ctl_usage(stderr);
	return CTL_EXIT_USAGE;
}

/* A failed flush means lost output: report it in the exit status. */
static int finish(int status)
{
	if (fflush(stdout) || ferror(stdout)) {
		ctl_err("write error on standard output");
		return CTL_EXIT_FAIL;
	}
	return status;
}

/*
 * The CLI boots a layout a real kernel has (the newest recorded one); the
 * library's own default stays the generic "mainline".  CPUHPCTL_MODEL
 * changes the default for a whole session (the test suite pins "mainline",
 * whose state numbers its scripts use); --model still wins.
 */
static const char *default_model(void)
{
	const char *env = getenv("CPUHPCTL_MODEL");

	return env && *env ? env : "linux-6.12-x86";
}

int main(int argc, char *argv[])
{
	const struct cpuhpctl_cmd *cmd;
	struct cpuhpctl ctl = { 0 };
	int first, ret;

	cpuhp_config_init(&ctl.cfg);
	ctl.cfg.model = default_model();
	ret = parse_options(&ctl, argc, argv, &first);
	if (ret != CMD_CONTINUE)
		goto out;
	ctl.cfg.cmdline = ctl.cmdline;
	ctl.cfg.kconfig = ctl.kconfig;
	cmd = ctl_find_cmd(argv[first]);
	if (!cmd) {
		ctl_err("unknown command '%s'\n", argv[first]);
		ctl_usage(stderr);
		ret = CTL_EXIT_USAGE;
		goto out;
	}
	ret = cmd->run(&ctl, argc - first, argv + first);
	if (ctl_release(&ctl) && ret == CTL_EXIT_OK)
		ret = CTL_EXIT_FAIL;
out:
	free(ctl.cmdline);
	free(ctl.kconfig);
	return finish(ret);
}
