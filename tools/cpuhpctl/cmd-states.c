// SPDX-License-Identifier: LGPL-2.1-or-later
/* cmd-states.c - "cpuhpctl states": the machine's hotplug/states listing. */
#include <stdlib.h>
#include <string.h>

#include <cpuhp/cpuhp.h>

#include "cpuhpctl.h"

static int run(struct cpuhpctl *ctl, int argc, char *argv[])
{
	struct cpuhp *hp;
	ssize_t n;
	char *text;
	int first, ret = cmd_args(&cmd_states, argc, argv, 0, 0, &first);

	if (ret != CMD_CONTINUE)
		return ret;
	if (ctl_machine(ctl, &hp))
		return CTL_EXIT_FAIL;
	n = ctl_read_text(hp, "hotplug/states", &text);
	if (n < 0) {
		ctl_err("states: %s", strerror((int)-n));
		return CTL_EXIT_FAIL;
	}
	fputs(text, stdout);
	free(text);
	return CTL_EXIT_OK;
}

const struct cpuhpctl_cmd cmd_states = {
	.name = "states",
	.run = run,
	.args = "",
	.summary = "print the named hotplug states (the hotplug/states file)",
	.help = "One line per named state, \"%3d: %s\", from offline to online, for the\n"
		"model chosen with --model.\n",
};
