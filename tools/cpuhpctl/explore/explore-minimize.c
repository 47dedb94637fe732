// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * explore-minimize.c - "explore --minimize": shrink a violation's reproducer
 * (its preparation, fault plan and operation, one script line each) to the
 * fewest lines that still make the same rule fire.
 *
 * Greedy one-line deletion to a fixed point: a line is dropped when the
 * script without it still reproduces; an "inject" line whose removal would
 * leave the ledger off becomes "ledger on" instead.  Each trial runs in a
 * forked child on a fresh machine, so the parent (which forks the workers)
 * never builds a machine and a crashing trial only counts as "no".
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cpuhp/ledger.h>

#include "explore-run.h"
#include "script.h"

#define MAX_LINES 64

struct shrink {
	char *line[MAX_LINES];
	bool keep[MAX_LINES];
	size_t n;
	char kind[32]; /* the rule to reproduce, as the report names it */
};

static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* Does the ledger get switched on by a kept line other than @skip? */
static bool ledger_stays_on(const struct shrink *s, size_t skip)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (i != skip && s->keep[i] &&
		    (starts(s->line[i], "inject ") || !strcmp(s->line[i], "ledger on")))
			return true;
	return false;
}

static char *script_text(const struct shrink *s)
{
	size_t i, len = 1;
	char *t;

	for (i = 0; i < s->n; i++)
		len += strlen(s->line[i]) + 1;
	t = calloc(1, len);
	if (!t)
		return NULL;
	for (i = 0; i < s->n; i++) {
		if (!s->keep[i])
			continue;
		strcat(t, s->line[i]);
		strcat(t, "\n");
	}
	return t;
}

/* In the child: run the script and say whether the rule fired. */
static bool reproduces_here(const struct explorer *x, const struct shrink *s)
{
	struct cpuhp_config cfg = x->env.cfg;
	struct script sc = { 0 };
	struct runner *r;
	struct cpuhp *hp;
	char *text = script_text(s);
	FILE *f = text ? fmemopen(text, strlen(text), "r") : NULL;
	size_t i, n;

	if (!f || script_parse(f, "minimize", &sc) || sc.errors)
		return false;
	cfg.log_fn = xsilent;
	if (cpuhp_new(&cfg, &hp))
		return false;
	r = ctl_runner_new(hp);
	for (i = 0; r && i < sc.nr; i++)
		ctl_runner_exec(r, &sc.cmds[i]);
	if (!strcmp(s->kind, "context") && cpuhp_context_violations(hp))
		return true;
	cpuhp_ledger_check(hp); /* the whole machine, as explore and run check it */
	n = cpuhp_ledger_nr_violations(hp);
	for (i = 0; i < n; i++) {
		struct cpuhp_ledger_violation v;

		if (!cpuhp_ledger_get_violation(hp, i, &v) &&
		    !strcmp(cpuhp_ledger_kind_name(v.kind), s->kind))
			return true;
	}
	return false;
}

static bool reproduces(const struct explorer *x, const struct shrink *s)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return false;
	if (!pid) {
		/* The runner prints each command's result: not wanted here. */
		if (!freopen("/dev/null", "w", stdout))
			_exit(2);
		alarm(x->timeout);
		_exit(reproduces_here(x, s) ? 0 : 1);
	}
	while (waitpid(pid, &status, 0) < 0)
		;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* Split @text: the first "  KIND: " names the rule, "# reproduce:" the script. */
static bool parse_report(const char *text, struct shrink *s, const char **cmd,
			 size_t *cmdlen)
{
	const char *p = text, *e;
	bool in_script = false;

	while (*p) {
		e = strchr(p, '\n');
		if (!e)
			e = p + strlen(p);
		if (in_script) {
			if (e == p || s->n == MAX_LINES)
				break;
			s->line[s->n] = strndup(p, (size_t)(e - p));
			if (!s->line[s->n])
				return false;
			s->keep[s->n++] = true;
		} else if (starts(p, "# reproduce: ")) {
			*cmd = p + 13;
			*cmdlen = (size_t)(e - *cmd);
			in_script = true;
		} else if (!s->kind[0] && starts(p, "  ") && p[2] != ' ') {
			size_t k = strcspn(p + 2, ":\n");

			if (p[2 + k] == ':' && k < sizeof(s->kind))
				memcpy(s->kind, p + 2, k);
		}
		p = *e ? e + 1 : e;
	}
	return s->n && s->kind[0];
}

/**
 * xminimize - print the smallest script that still reproduces a violation
 * @x:    the explorer (machine options, timeout)
 * @text: the violation as a worker reported it (rules, then the reproducer)
 *
 * Prints "# minimal reproducer ..." and the script, or a note when the
 * reproducer does not reproduce on its own (then nothing can be dropped).
 * Context: the explorer's parent process, no machine of its own.
 */
void xminimize(const struct explorer *x, const char *text)
{
	struct shrink s = { 0 };
	const char *cmd = NULL;
	size_t cmdlen = 0, i, kept;
	bool changed = true;
	char *saved;

	if (!text || !parse_report(text, &s, &cmd, &cmdlen))
		goto out;
	if (!reproduces(x, &s)) {
		printf("# minimize: the reproducer does not reproduce '%s' alone\n",
		       s.kind);
		goto out;
	}
	while (changed) {
		changed = false;
		for (i = 0; i < s.n; i++) {
			if (!s.keep[i] || !strcmp(s.line[i], "ledger on"))
				continue;
			saved = NULL;
			if (starts(s.line[i], "inject ") && !ledger_stays_on(&s, i)) {
				/* Drop the fault, keep the ledger: "ledger on" instead. */
				saved = s.line[i];
				s.line[i] = strdup("ledger on");
				if (!s.line[i]) {
					s.line[i] = saved;
					continue;
				}
			} else {
				s.keep[i] = false;
			}
			if (reproduces(x, &s)) {
				free(saved);
				changed = true;
			} else if (saved) {
				free(s.line[i]);
				s.line[i] = saved;
			} else {
				s.keep[i] = true;
			}
		}
	}
	/* A "ledger on" that nothing needs any more goes too. */
	for (i = 0; i < s.n; i++) {
		if (!s.keep[i] || strcmp(s.line[i], "ledger on"))
			continue;
		s.keep[i] = false;
		if (!reproduces(x, &s))
			s.keep[i] = true;
	}
	for (kept = 0, i = 0; i < s.n; i++)
		kept += s.keep[i];
	printf("# minimal reproducer (%s; %zu of %zu lines): %.*s\n", s.kind, kept, s.n,
	       (int)cmdlen, cmd);
	for (i = 0; i < s.n; i++)
		if (s.keep[i])
			printf("%s\n", s.line[i]);
out:
	for (i = 0; i < s.n; i++)
		free(s.line[i]);
}
