// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * learn-base.c - the base model of "cpuhpctl learn": the values a model
 * must have that recordings cannot show (dynamic ranges, kernel config,
 * quirks, STARTING callbacks) come from it, each marked in the output.
 * It is a built-in model (by name, or the one whose state table matches
 * the learned listing best) or a model file.  Only the lines learn needs
 * are read; the library's loader checks the result.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cpuhpctl.h"
#include "learn.h"
#include "model/models.h"

const struct learn_role learn_roles[] = {
	{ "OFFLINE", "offline" },
	{ "CREATE_THREADS", "threads:prepare" },
	{ "BP_PREPARE_DYN", NULL },
	{ "BP_PREPARE_DYN_END", NULL },
	{ "BP_KICK_AP", "cpu:kick_ap" },
	{ "BRINGUP_CPU", "cpu:bringup" },
	{ "AP_IDLE_DEAD", "idle:dead" },
	{ "AP_OFFLINE", "ap:offline" },
	{ "AP_SCHED_STARTING", "sched:starting" },
	{ "AP_ONLINE", "ap:online" },
	{ "TEARDOWN_CPU", "cpu:teardown" },
	{ "AP_ONLINE_IDLE", NULL },
	{ "AP_SCHED_WAIT_EMPTY", "sched:waitempty" },
	{ "AP_SMPBOOT_THREADS", "smpboot/threads:online" },
	{ "AP_ONLINE_DYN", NULL },
	{ "AP_ONLINE_DYN_END", NULL },
	{ "AP_ACTIVE", "sched:active" },
	{ "ONLINE", "online" },
};
const size_t learn_nr_roles = sizeof(learn_roles) / sizeof(learn_roles[0]);

static int role_index(const char *role)
{
	size_t i;

	for (i = 0; i < learn_nr_roles; i++)
		if (!strcmp(learn_roles[i].role, role))
			return (int)i;
	return -1;
}

static void parse_state(struct base_model *b, char *rest)
{
	char *save = NULL, *tok = strtok_r(rest, " \t", &save);
	struct base_state *st;
	int num;

	if (!tok || sscanf(tok, "%d", &num) != 1 || num < 0 || num >= LEARN_MAX_STATES)
		return;
	st = &b->st[num];
	tok = strtok_r(NULL, " \t", &save);
	if (!tok)
		return;
	snprintf(st->name, sizeof(st->name), "%s", tok);
	while ((tok = strtok_r(NULL, " \t", &save))) {
		if (!strncmp(tok, "startup=", 8))
			snprintf(st->startup, sizeof(st->startup), "%s", tok + 8);
		else if (!strncmp(tok, "teardown=", 9))
			snprintf(st->teardown, sizeof(st->teardown), "%s", tok + 9);
		else if (!strcmp(tok, "cant_stop"))
			st->cant_stop = true;
		else if (!strncmp(tok, "multi=", 6))
			st->multi = atoi(tok + 6);
	}
}

static void parse_text(struct base_model *b, const char *text)
{
	const char *p = text;
	size_t i;

	memset(b->st, 0, sizeof(b->st));
	for (i = 0; i < LEARN_MAX_STATES; i++)
		b->st[i].multi = -1;
	for (i = 0; i < sizeof(b->bound) / sizeof(b->bound[0]); i++)
		b->bound[i] = -1;
	while (*p) {
		size_t n = strcspn(p, "\n");
		char line[512], role[128], *hash;
		int num, r;

		snprintf(line, sizeof(line), "%.*s", (int)(n < sizeof(line) ? n : 0), p);
		p += n + (p[n] == '\n');
		hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		if (sscanf(line, "bound %63s %d", role, &num) == 2) {
			r = role_index(role);
			if (r >= 0)
				b->bound[r] = num;
		} else if (!strncmp(line, "state ", 6)) {
			parse_state(b, line + 6);
		} else if (sscanf(line, "model %127s", role) == 1) {
			snprintf(b->name, sizeof(b->name), "%s", role);
		}
	}
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t len = 0;
	long n;

	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) >= 0 && !fseek(f, 0, SEEK_SET)) {
		text = malloc((size_t)n + 1);
		if (text) {
			len = fread(text, 1, (size_t)n, f);
			text[len] = '\0';
		}
	}
	fclose(f);
	return text;
}

/* How many of the learned (number, name) pairs the model has too. */
static int score(const struct base_model *b, const struct learn *l)
{
	int i, n = 0;

	for (i = 0; i < LEARN_MAX_STATES; i++)
		if (l->st[i].name[0] && !strcmp(l->st[i].name, b->st[i].name))
			n++;
	return n;
}

int learn_load_base(struct base_model *b, const char *name, const struct learn *l)
{
	const struct cpuhp_builtin_model *m, *best = NULL;
	int best_score = -1;

	memset(b, 0, sizeof(*b));
	if (name && strchr(name, '/')) {
		b->text = read_file(name);
		if (!b->text) {
			ctl_err("learn: --base %s: cannot read: %s", name,
				strerror(errno));
			return -1;
		}
		parse_text(b, b->text);
		if (!b->name[0])
			snprintf(b->name, sizeof(b->name), "%s", name);
		return 0;
	}
	for (m = cpuhp__builtin_models; m->name; m++) {
		int s;

		if (name) {
			if (!strcmp(m->name, name))
				best = m;
			continue;
		}
		parse_text(b, m->text);
		s = score(b, l);
		if (s > best_score) {
			best = m;
			best_score = s;
		}
	}
	if (!best) {
		ctl_err("learn: --base %s: no such built-in model", name ? name : "");
		return -1;
	}
	b->text = strdup(best->text);
	if (!b->text) {
		ctl_err("learn: out of memory");
		return -1;
	}
	parse_text(b, b->text);
	snprintf(b->name, sizeof(b->name), "%s", best->name);
	return 0;
}

void learn_free_base(struct base_model *b)
{
	free(b->text);
	b->text = NULL;
}
