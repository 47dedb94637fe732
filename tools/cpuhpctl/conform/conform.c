// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * conform.c - replay a recording of a real kernel on a fresh machine.
 *
 * A recording (oracle/linux-6.1-x86/README.md) is a sequence of blocks,
 * "##### BEGIN NAME" ... "##### END NAME", each from a freshly booted
 * kernel.  Each block runs on a new machine; its lines are taken in order:
 * every "write PATH <- VALUE : ok|FAIL errno=N" is performed and its result
 * compared, every attribute line ("cpuN: k=v ...", "masks: ...",
 * "smt/control=... smt/active=...", "possible: ...", the hotplug/states
 * listing, "fail readback", ...) is read back and compared, and the trace
 * events are collected.  At the end the normalised traces are compared.
 * The first difference stops the block.  Lines that are none of these are
 * commentary and only counted.  docs/conform.md lists every line form.
 * This file splits the file into blocks, boots and compares the traces;
 * conform-lines.c checks the lines.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conform-replay.h"

#define CONTEXT_EVENTS 3

/* ------------------------------------------------------------ the trace */

static void print_context(FILE *out, const struct conform_trace *t, size_t upto)
{
	size_t i = upto > CONTEXT_EVENTS ? upto - CONTEXT_EVENTS : 0;

	for (; i < upto; i++)
		fprintf(out, "    (same) %s\n", t->ev[i]);
}

/* Return: true if the traces are equal; else the first difference is printed. */
static bool compare_traces(struct replay *r, FILE *out)
{
	const struct conform_trace *w = &r->want, *m = &r->model;
	size_t i;

	if (m->oom || w->oom) {
		fprintf(out, "%s: ERROR out of memory collecting the trace\n", r->file);
		return false;
	}
	for (i = 0; i < w->nr && i < m->nr; i++)
		if (strcmp(w->ev[i], m->ev[i]))
			break;
	if (i == w->nr && i == m->nr)
		return true;
	fprintf(out, "%s: FAIL trace event %zu", r->file, i + 1);
	if (i < w->nr)
		fprintf(out, " (line %u)", w->lineno[i]);
	fputs(" differs\n", out);
	print_context(out, w, i);
	fprintf(out, "    recorded: %s\n", i < w->nr ? w->ev[i] : "(end of trace)");
	fprintf(out, "    model:    %s\n", i < m->nr ? m->ev[i] : "(end of trace)");
	return false;
}

/* ------------------------------------------------------------ one block */

static void set_str(char *dst, size_t len, const char *s)
{
	snprintf(dst, len, "%s", s);
}

/* "topology: sockets=S cores=C threads=T", "cmdline: ...", "config: ...". */
static void scan_machine(struct conform_machine *m, char **lines, size_t nr)
{
	unsigned int s, c, t;
	size_t i;

	for (i = 0; i < nr; i++) {
		const char *l = lines[i];

		if (sscanf(l, "topology: sockets=%u cores=%u threads=%u", &s, &c, &t) ==
			    3 &&
		    s && c && t) {
			m->cpus = s * c * t;
			m->threads_per_core = t;
		} else if (conform_starts(l, "cmdline: ")) {
			set_str(m->cmdline, sizeof(m->cmdline), l + 9);
		} else if (conform_starts(l, "config: ")) {
			set_str(m->kconfig, sizeof(m->kconfig), l + 8);
		}
	}
}

enum trace_kind {
	TRACE_NONE,    /* not recorded: not compared */
	TRACE_SECTION, /* "----- trace": from the end of the (prep) writes */
	TRACE_BOOT,    /* events outside a section: recorded while booting */
};

static enum trace_kind trace_kind(const struct block *b)
{
	bool events = false;
	size_t i;

	for (i = 0; i < b->nr; i++) {
		if (conform_starts(b->lines[i], "----- trace"))
			return TRACE_SECTION;
		events = events || strstr(b->lines[i], ": cpuhp_enter: ") ||
			 strstr(b->lines[i], ": cpuhp_multi_enter: ") ||
			 strstr(b->lines[i], ": cpuhp_exit: ");
	}
	return events ? TRACE_BOOT : TRACE_NONE;
}

static int boot(struct replay *r, const struct conform_machine *m,
		const struct conform_overrides *ov, bool boot_trace)
{
	struct cpuhp_config cfg;
	int err;

	cpuhp_config_init(&cfg);
	cfg.model = ov->model ? ov->model : m->model;
	cfg.nr_possible = ov->cpus ? ov->cpus : m->cpus;
	cfg.nr_present = ov->present;
	cfg.threads_per_core = ov->threads_per_core ? ov->threads_per_core :
						      m->threads_per_core;
	cfg.cmdline = ov->cmdline ? ov->cmdline : m->cmdline;
	cfg.kconfig = ov->kconfig ? ov->kconfig : m->kconfig;
	cfg.trace_fn = conform_trace_sink;
	cfg.trace_data = &r->model;
	r->model.raw = boot_trace ? ov->trace : NULL;
	err = cpuhp_new(&cfg, &r->hp);
	/* The recordings clear the trace buffer after boot, except a boot trace. */
	if (!err && !boot_trace)
		conform_trace_clear(&r->model);
	r->model.raw = ov->trace;
	return err;
}

static bool replay_block(struct block *b, const char *file,
			 const struct conform_machine *m,
			 const struct conform_overrides *ov, bool verbose, FILE *out)
{
	struct replay r = { .file = file, .last_cpu = 1 };
	enum trace_kind kind = trace_kind(b);
	bool ok = false;
	size_t i;
	int err;

	conform_trace_init(&r.model);
	conform_trace_init(&r.want);
	err = boot(&r, m, ov, kind == TRACE_BOOT);
	if (err) {
		fprintf(out, "%s: ERROR %s: cannot boot the machine: %s\n", file, b->name,
			strerror(-err));
		goto out;
	}
	for (i = 0; i < b->nr && !r.failed; i++)
		conform_replay_line(&r, b, &i);
	if (!r.failed)
		conform_states_end(&r);
	/* Nothing more may be traced: the machine's teardown is not recorded. */
	cpuhp_trace_set_fn(r.hp, NULL, NULL);
	if (r.failed) {
		fprintf(out, "%s: FAIL %s line %u: %s\n", file, b->name, r.diff_line,
			r.diff);
		fprintf(out, "    %s\n", b->lines[r.diff_line - b->first]);
		goto out;
	}
	if (kind != TRACE_NONE && !compare_traces(&r, out))
		goto out;
	ok = true;
	fprintf(out, "%s: PASS %s (%u writes, %u reads, ", file, b->name, r.writes,
		r.reads);
	if (kind == TRACE_NONE)
		fprintf(out, "no trace recorded");
	else
		fprintf(out, "%zu trace events", r.want.nr);
	if (verbose)
		fprintf(out, ", %u lines of commentary", r.commentary);
	fputs(")\n", out);
out:
	cpuhp_free(r.hp);
	free(r.states);
	conform_trace_destroy(&r.model);
	conform_trace_destroy(&r.want);
	return ok;
}

/* ------------------------------------------------------------- the file */

static char **read_lines(FILE *f, size_t *nr)
{
	char **lines = NULL, *line = NULL;
	size_t cap = 0, len = 0;
	ssize_t n;

	*nr = 0;
	while ((n = getline(&line, &len, f)) >= 0) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (*nr == cap) {
			char **grown;

			cap = cap ? cap * 2 : 256;
			grown = realloc(lines, cap * sizeof(*grown));
			if (!grown)
				goto oom;
			lines = grown;
		}
		lines[(*nr)++] = line;
		line = NULL;
		len = 0;
	}
	free(line);
	if (!lines)
		lines = calloc(1, sizeof(*lines));
	return lines;
oom:
	free(line);
	while (*nr)
		free(lines[--*nr]);
	free(lines);
	return NULL;
}

int conform_file(const char *path, const struct conform_overrides *ov, bool verbose,
		 FILE *out)
{
	struct conform_machine m = { .model = "linux-6.1-x86",
				     .cpus = 4,
				     .threads_per_core = 2 };
	FILE *f = fopen(path, "r");
	size_t nr, i, start = 0, blocks = 0, header = 0;
	char **lines;
	int ret = 0;

	if (!f) {
		fprintf(out, "%s: ERROR cannot open: %s\n", path, strerror(errno));
		return -1;
	}
	lines = read_lines(f, &nr);
	fclose(f);
	if (!lines) {
		fprintf(out, "%s: ERROR out of memory\n", path);
		return -1;
	}
	/* Machine lines before the first block apply to every block. */
	while (header < nr && !conform_starts(lines[header], "##### BEGIN "))
		header++;
	scan_machine(&m, lines, header);
	for (i = 0; i <= nr; i++) {
		bool begin = i < nr && conform_starts(lines[i], "##### BEGIN ");
		bool end = i == nr || conform_starts(lines[i], "##### END ");
		struct conform_machine bm = m;
		struct block b = { 0 };

		if (begin) {
			start = i + 1;
			continue;
		}
		if (!end || start == 0)
			continue;
		b.lines = lines + start;
		b.nr = i - start;
		b.first = (unsigned int)start + 1;
		set_str(b.name, sizeof(b.name),
			lines[start - 1] + strlen("##### BEGIN "));
		scan_machine(&bm, b.lines, b.nr);
		if (!replay_block(&b, path, &bm, ov, verbose, out))
			ret = -1;
		blocks++;
		start = 0;
	}
	if (!blocks) {
		/* No BEGIN/END: the whole file is one block. */
		struct block b = { .lines = lines, .nr = nr, .first = 1 };

		set_str(b.name, sizeof(b.name), "(file)");
		if (!replay_block(&b, path, &m, ov, verbose, out))
			ret = -1;
	}
	for (i = 0; i < nr; i++)
		free(lines[i]);
	free(lines);
	return ret;
}
