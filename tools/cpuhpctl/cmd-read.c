// SPDX-License-Identifier: LGPL-2.1-or-later
/* cmd-read.c - "cpuhpctl read PATH": print one control file of a fresh machine. */
#include <stdlib.h>
#include <string.h>

#include <cpuhp/cpuhp.h>

#include "cpuhpctl.h"

static int run(struct cpuhpctl *ctl, int argc, char *argv[])
{
	struct cpuhp *hp;
	ssize_t n;
	char *text;
	int first, ret = cmd_args(&cmd_read, argc, argv, 1, 1, &first);

	if (ret != CMD_CONTINUE)
		return ret;
	if (ctl_machine(ctl, &hp))
		return CTL_EXIT_FAIL;
	n = ctl_read_text(hp, argv[first], &text);
	if (n < 0) {
		ctl_err("read %s: %s", argv[first], strerror((int)-n));
		return CTL_EXIT_FAIL;
	}
	fputs(text, stdout);
	free(text);
	return CTL_EXIT_OK;
}

const struct cpuhpctl_cmd cmd_read = {
	.name = "read",
	.run = run,
	.args = "PATH",
	.summary = "print a control file",
	.help = "PATH is relative to /sys/devices/system/cpu (\"cpu1/hotplug/state\"), or\n"
		"absolute (\"/sys/devices/system/cpu/online\").  The text is printed as the\n"
		"kernel would return it.  Exit status 1 if the read fails (e.g. no such file).\n",
};
