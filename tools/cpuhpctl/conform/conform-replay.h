/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * conform-replay.h - what the driver (conform.c) and the line checks
 * (conform-lines.c) share: a block of a recording and the state of its
 * replay.  One replay runs on one thread; only its traces are shared.
 */
#ifndef CPUHPCTL_CONFORM_REPLAY_H
#define CPUHPCTL_CONFORM_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "conform.h"

struct block {
	char name[128];
	char **lines;
	size_t nr;
	unsigned int first; /* line number of lines[0] */
};

struct replay {
	const char *file;
	struct cpuhp *hp;
	struct conform_trace model, want;
	unsigned int writes, reads, commentary;
	int last_cpu; /* CPU of the last write to a cpuN file, for "fail readback" */
	bool in_dmesg;
	/* The hotplug/states listing being collected, and where it started. */
	char *states;
	size_t states_len;
	unsigned int states_line;
	/* The first difference. */
	bool failed;
	unsigned int diff_line;
	char diff[1024];
};

static inline bool conform_starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* Check line *@i of @b (and *@i + 1 for a shell view, moving *@i past it). */
void conform_replay_line(struct replay *r, struct block *b, size_t *i);
/* The block ended: compare the hotplug/states listing still being collected. */
void conform_states_end(struct replay *r);

#endif /* CPUHPCTL_CONFORM_REPLAY_H */
