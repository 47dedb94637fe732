// SPDX-License-Identifier: LGPL-2.1-or-later
/* cmd-help.c - "cpuhpctl help [COMMAND]": the tool's or a command's help. */
#include <cpuhp/cpuhp.h>

#include "cpuhpctl.h"

static int run(struct cpuhpctl *ctl, int argc, char *argv[])
{
	const struct cpuhpctl_cmd *cmd;
	int first, ret = cmd_args(&cmd_help, argc, argv, 0, 1, &first);

	(void)ctl;
	if (ret != CMD_CONTINUE)
		return ret;
	if (first == argc) {
		ctl_usage(stdout);
		return CTL_EXIT_OK;
	}
	cmd = ctl_find_cmd(argv[first]);
	if (!cmd) {
		ctl_err("help: unknown command '%s'", argv[first]);
		return CTL_EXIT_USAGE;
	}
	cmd_usage(cmd, stdout);
	return CTL_EXIT_OK;
}

const struct cpuhpctl_cmd cmd_help = {
	.name = "help",
	.run = run,
	.args = "[COMMAND]",
	.summary = "show the help of cpuhpctl or of COMMAND",
};
