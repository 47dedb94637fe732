// SPDX-License-Identifier: LGPL-2.1-or-later
/* cmd-mount-none.c - "cpuhpctl mount" in a build without libfuse3. */
#include <cpuhp/cpuhp.h>

#include "cpuhpctl.h"

static int run(struct cpuhpctl *ctl, int argc, char *argv[])
{
	int first, ret = cmd_args(&cmd_mount, argc, argv, 0, 1000, &first);

	(void)ctl;
	if (ret != CMD_CONTINUE)
		return ret;
	ctl_err("mount: this cpuhpctl was built without FUSE support (libfuse3 not found by "
		"pkg-config at build time: install libfuse3-dev and pkg-config, then "
		"rebuild)");
	return CTL_EXIT_FAIL;
}

const struct cpuhpctl_cmd cmd_mount = {
	.name = "mount",
	.run = run,
	.args = "[-f] [--layout L] DIR",
	.summary = "serve the machine as a sysfs-shaped FUSE file system (not built)",
	.help = "This build has no FUSE support: libfuse3 was not found at build time.\n",
};

static int run_exec(struct cpuhpctl *ctl, int argc, char *argv[])
{
	int first, ret = cmd_args(&cmd_exec, argc, argv, 0, 1000, &first);

	(void)ctl;
	if (ret != CMD_CONTINUE)
		return ret;
	ctl_err("exec: this cpuhpctl was built without FUSE support (libfuse3 not found by "
		"pkg-config at build time: install libfuse3-dev and pkg-config, then "
		"rebuild)");
	return CTL_EXIT_FAIL;
}

const struct cpuhpctl_cmd cmd_exec = {
	.name = "exec",
	.run = run_exec,
	.args = "[--flap RATE|--flap-script FILE] [--seed N] [--keep-going] -- CMD [ARGS...]",
	.summary = "run a program on the machine (not built: no FUSE)",
	.help = "This build has no FUSE support: libfuse3 was not found at build time.\n",
};
