// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cmd-conform.c - "cpuhpctl conform FILE...": replay recordings of a real
 * kernel (oracle/linux-6.1-x86 format) and report PASS or the first
 * difference per block; exit status 0 only if every file passes.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "conform.h"
#include "cpuhpctl.h"

static int run(struct cpuhpctl *ctl, int argc, char *argv[])
{
	struct conform_overrides ov = { 0 };
	int first, i, failed = 0,
		      ret = cmd_args(&cmd_conform, argc, argv, 1, INT_MAX, &first);

	if (ret != CMD_CONTINUE)
		return ret;
	/* Options given explicitly win over what a recording says. */
	if (ctl->model_set)
		ov.model = ctl->cfg.model;
	if (ctl->cpus_set)
		ov.cpus = ctl->cfg.nr_possible;
	if (ctl->present_set)
		ov.present = ctl->cfg.nr_present;
	if (ctl->threads_set)
		ov.threads_per_core = ctl->cfg.threads_per_core;
	ov.cmdline = ctl->cmdline;
	ov.kconfig = ctl->kconfig;
	if (ctl->trace_path && strcmp(ctl->trace_path, "-")) {
		ov.trace = fopen(ctl->trace_path, "w");
		if (!ov.trace) {
			ctl_err("cannot open trace file %s: %s", ctl->trace_path,
				strerror(errno));
			return CTL_EXIT_FAIL;
		}
	} else if (ctl->trace_path) {
		ov.trace = stdout;
	}
	for (i = first; i < argc; i++)
		if (conform_file(argv[i], &ov, ctl->verbose, stdout))
			failed++;
	if (argc - first > 1)
		printf("conform: %d of %d files passed\n", argc - first - failed,
		       argc - first);
	if (ov.trace && ov.trace != stdout && fclose(ov.trace)) {
		ctl_err("error writing trace file %s: %s", ctl->trace_path,
			strerror(errno));
		failed++;
	}
	return failed ? CTL_EXIT_FAIL : CTL_EXIT_OK;
}

const struct cpuhpctl_cmd cmd_conform = {
	.name = "conform",
	.run = run,
	.args = "FILE...",
	.summary = "replay recordings of a real kernel and compare (oracle format)",
	.help = "Each FILE is a recording in the format of oracle/linux-6.1-x86/README.md.\n"
		"Every \"##### BEGIN\" ... \"##### END\" block is replayed on a freshly booted\n"
		"machine: model linux-6.1-x86, 1 socket x 2 cores x 2 threads (4 CPUs), no\n"
		"extra command line, unless the file says otherwise (\"topology: sockets=S\n"
		"cores=C threads=T\", \"cmdline: ...\", \"config: ...\" lines) or the machine\n"
		"options (--model, --cpus, --threads-per-core, --cmdline, --config) are given,\n"
		"which win.  Every write is performed in order and its result compared;\n"
		"every attribute and mask line is read back and compared; the trace is\n"
		"compared normalised (event, cpu, target/state, step, ret, callback, task as\n"
		"\"control\" or \"cpuhp/N\").  Prints \"FILE: PASS NAME (...)\" or the first\n"
		"difference with its line and context.  Exit status 1 if any block differs.\n"
		"With --trace FILE the model's trace of each block is written there in\n"
		"ftrace format: from the end of boot, or from the start for a boot trace.\n"
		"docs/conform.md describes every line form.\n",
};
