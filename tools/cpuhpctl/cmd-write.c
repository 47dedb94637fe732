// SPDX-License-Identifier: LGPL-2.1-or-later
/* cmd-write.c - "cpuhpctl write PATH VALUE": one write(2) to a control file. */
#include <string.h>

#include <cpuhp/cpuhp.h>

#include "cpuhpctl.h"

static int run(struct cpuhpctl *ctl, int argc, char *argv[])
{
	struct cpuhp *hp;
	int first, ret = cmd_args(&cmd_write, argc, argv, 2, 2, &first);

	if (ret != CMD_CONTINUE)
		return ret;
	if (ctl_machine(ctl, &hp))
		return CTL_EXIT_FAIL;
	ret = cpuhp_ctl_write(hp, argv[first], argv[first + 1]);
	if (ret) {
		ctl_err("write %s <- %s: %s", argv[first], argv[first + 1],
			strerror(-ret));
		return CTL_EXIT_FAIL;
	}
	return CTL_EXIT_OK;
}

const struct cpuhpctl_cmd cmd_write = {
	.name = "write",
	.run = run,
	.args = "PATH VALUE",
	.summary = "write VALUE to a control file",
	.help = "VALUE is written as is (no newline added), as one write(2) would.  Nothing\n"
		"is printed on success; on failure the error goes to stderr and the exit\n"
		"status is 1.  Use --trace - to see the callbacks the write runs.\n",
};
