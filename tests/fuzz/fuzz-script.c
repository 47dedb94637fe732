// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * fuzz-script.c - fuzz target: the cpuhpctl script parser
 * (tools/cpuhpctl/script.c).  Any input must parse or be rejected line by
 * line without crashing or leaking, and every command it accepts must be
 * complete: the operands its executor (cmd-run.c) will use are set.
 */
#include <errno.h>
#include <stdio.h>

#include "fuzz.h"
#include "script.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static void check_cmd(const struct script_cmd *c)
{
	FUZZ_CHECK(c->op < NR_OPS, "op %d", (int)c->op);
	switch (c->op) {
	case OP_WRITE:
		FUZZ_CHECK(c->path && c->value && c->shown, "line %u", c->line);
		break;
	case OP_READ:
		FUZZ_CHECK(c->path, "line %u", c->line);
		break;
	case OP_PRINT:
		FUZZ_CHECK(c->value, "line %u", c->line);
		break;
	case OP_SHOW:
		FUZZ_CHECK(c->name, "line %u", c->line);
		break;
	case OP_SETUP:
		FUZZ_CHECK(c->state && c->name && script_state_valid(c->state), "line %u",
			   c->line);
		break;
	case OP_REMOVE:
		FUZZ_CHECK(c->state && script_state_valid(c->state), "line %u", c->line);
		break;
	case OP_INSTANCE:
		FUZZ_CHECK(c->state && c->name && script_state_valid(c->state), "line %u",
			   c->line);
		break;
	default:
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct script s = { 0 };
	FILE *f;
	size_t i;
	int err;

	/* fmemopen() refuses an empty buffer: an empty script has no commands. */
	if (!size)
		return 0;
	f = fmemopen((void *)(uintptr_t)data, size, "r");
	if (!f)
		return 0;
	err = script_parse(f, "fuzz", &s);
	fclose(f);
	FUZZ_CHECK(err == 0 || err == -ENOMEM, "script_parse returned %d", err);
	FUZZ_CHECK(s.nr <= s.alloc, "%zu commands in %zu slots", s.nr, s.alloc);
	for (i = 0; i < s.nr; i++)
		check_cmd(&s.cmds[i]);
	script_free(&s);
	return 0;
}
