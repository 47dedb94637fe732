/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * script.h - the cpuhpctl script language, parsed into a list of commands.
 *
 * Parsing is a separate pass: a script with a syntax error is reported (every
 * bad line, as FILE:LINE) and nothing of it runs.
 */
#ifndef CPUHPCTL_SCRIPT_H
#define CPUHPCTL_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum script_op {
	OP_WRITE,    /* write PATH VALUE; echo [-n] VALUE > PATH */
	OP_READ,     /* read PATH; cat PATH */
	OP_PRINT,    /* echo [-n] TEXT... */
	OP_SHOW,     /* show cpuN | masks | smt */
	OP_SETUP,    /* setup STATE NAME [nocalls] [multi] */
	OP_REMOVE,   /* remove STATE [nocalls] */
	OP_INSTANCE, /* instance add|remove STATE ID [nocalls] */
	OP_LEDGER,   /* ledger on */
	OP_INJECT,   /* inject CPU STATE up|down [instance N] [nth N] */
	NR_OPS,
};

/* One command; unused strings are NULL. */
struct script_cmd {
	enum script_op op;
	unsigned int line;
	char *path;  /* write, read: as written */
	char *value; /* write: the bytes to write; print: the text */
	char *shown; /* write: the value as written in the script */
	char *state; /* setup, remove, instance: STATE as written */
	char *name;  /* setup: NAME; instance: ID; show: what to show */
	bool nocalls, multi, add;
	/* inject: add = up; the instance (-1: any) and occurrence (from 0) */
	unsigned int cpu, nth;
	int instance;
};

struct script {
	struct script_cmd *cmds;
	size_t nr, alloc;
	unsigned int errors; /* syntax errors reported */
};

/**
 * script_parse - read and parse a whole script
 * @f:     the script
 * @fname: its name for messages
 * @s:     zero-initialised; receives the commands
 *
 * Syntax errors are printed to stderr as "FILE:LINE: error: ..." and
 * counted in @s->errors.
 *
 * Return: 0, or -errno when reading fails or memory runs out.
 */
int script_parse(FILE *f, const char *fname, struct script *s);
void script_free(struct script *s);

/* STATE operand: a decimal number, "prepare-dyn" or "online-dyn". */
bool script_state_valid(const char *s);

#endif /* CPUHPCTL_SCRIPT_H */
