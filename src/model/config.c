// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * config.c - the kernel command line and config switches of a machine.
 *
 * Known parameters change the machine; other well-formed kernel parameters
 * ("console=ttyS0", "quiet") are accepted and ignored, so a real kernel's
 * command line can be replayed.  A malformed value of a known parameter or an
 * unknown config switch is an error: it would silently change behaviour.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "machine/log.h"
#include "model/model.h"

static int parse_uint(const char *s, int *out)
{
	char *end;
	long v;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v > CPUHP_MAX_CPUS * 16L)
		return -EINVAL;
	*out = (int)v;
	return 0;
}

static int apply_param(struct cpuhp *hp, const char *tok)
{
	if (!strcmp(tok, "nosmt")) {
		hp->cmdline_nosmt = true;
		return 0;
	}
	if (!strcmp(tok, "nosmt=force")) {
		hp->cmdline_nosmt_force = true;
		return 0;
	}
	if (!strcmp(tok, "nosmp")) {
		hp->max_cpus = 0;
		return 0;
	}
	if (!strncmp(tok, "maxcpus=", 8)) {
		if (parse_uint(tok + 8, &hp->max_cpus)) {
			cpuhp_err(hp, "bad kernel parameter '%s'", tok);
			return -EINVAL;
		}
		return 0;
	}
	if (!strncmp(tok, "cpuhp.parallel=", 15)) {
		/* A kernel bool parameter: y/n, 1/0, on/off (case-insensitive). */
		const char *v = tok + 15;

		if (!strcasecmp(v, "n") || !strcmp(v, "0") || !strcasecmp(v, "off"))
			hp->cmdline_serial_bringup = true;
		else if (!strcasecmp(v, "y") || !strcmp(v, "1") || !strcasecmp(v, "on"))
			hp->cmdline_serial_bringup = false;
		else {
			cpuhp_err(hp, "bad kernel parameter '%s'", tok);
			return -EINVAL;
		}
		return 0;
	}
	if (!strncmp(tok, "nosmt=", 6)) {
		cpuhp_err(hp, "bad kernel parameter '%s'", tok);
		return -EINVAL;
	}
	cpuhp_dbg(hp, "ignoring kernel parameter '%s'", tok);
	return 0;
}

static int for_each_token(struct cpuhp *hp, const char *text, const char *seps,
			  int (*fn)(struct cpuhp *hp, const char *tok))
{
	char *copy, *tok, *save = NULL;
	int err = 0;

	if (!text)
		return 0;
	copy = strdup(text);
	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, seps, &save); tok && !err;
	     tok = strtok_r(NULL, seps, &save))
		err = fn(hp, tok);
	free(copy);
	return err;
}

/**
 * cpuhp__parse_cmdline - apply "nosmt", "nosmt=force", "maxcpus=N", "nosmp",
 *                        "cpuhp.parallel="
 * @hp:      machine under construction
 * @cmdline: space separated parameters, or NULL
 *
 * Return: 0, -EINVAL (malformed known parameter), -ENOMEM.
 */
int cpuhp__parse_cmdline(struct cpuhp *hp, const char *cmdline)
{
	return for_each_token(hp, cmdline, " \t\n", apply_param);
}

static int apply_switch(struct cpuhp *hp, const char *tok)
{
	/* A model quirk may be switched here too (tests: rollback_on_control). */
	if (cpuhp__set_switch(hp, false, tok) && cpuhp__set_switch(hp, true, tok)) {
		cpuhp_err(
			hp,
			"unknown or malformed config switch '%s' (want NAME=y or NAME=n)",
			tok);
		return -EINVAL;
	}
	return 0;
}

/**
 * cpuhp__parse_kconfig - apply "HOTPLUG_CPU=n CPU_HOTPLUG_STATE_CONTROL=y ..."
 * @hp:      machine under construction, model loaded
 * @kconfig: space or comma separated switches (CONFIG_ prefix optional)
 *
 * Return: 0, -EINVAL (unknown switch or value), -ENOMEM.
 */
int cpuhp__parse_kconfig(struct cpuhp *hp, const char *kconfig)
{
	return for_each_token(hp, kconfig, " \t\n,", apply_switch);
}
