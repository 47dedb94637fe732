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
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "conform.h"

#define CONTEXT_EVENTS 3

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

static void differ(struct replay *r, unsigned int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Record the first difference (later ones follow from it and are dropped). */
static void differ(struct replay *r, unsigned int line, const char *fmt, ...)
{
	va_list ap;

	if (r->failed)
		return;
	r->failed = true;
	r->diff_line = line;
	va_start(ap, fmt);
	vsnprintf(r->diff, sizeof(r->diff), fmt, ap);
	va_end(ap);
}

static const char *skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* -------------------------------------------------------- machine files */

/*
 * Read @path as the recordings print it: without the newline, "n/a" for a
 * file that does not exist.  Return: 0, or the read's error (text "n/a").
 */
static int read_attr(struct replay *r, const char *path, char *buf, size_t len)
{
	ssize_t n = cpuhp_ctl_read(r->hp, path, buf, len);

	if (n < 0) {
		snprintf(buf, len, "%s", n == -ENOENT ? "n/a" : strerror((int)-n));
		return (int)n;
	}
	buf[strcspn(buf, "\n")] = '\0';
	r->reads++;
	return 0;
}

/* Compare one recorded value with the model's file. */
static void check_attr(struct replay *r, unsigned int line, const char *path,
		       const char *want)
{
	char got[512];

	read_attr(r, path, got, sizeof(got));
	/* "236(online)": the recordings add the state's name. */
	if (strchr(want, '(') && strstr(path, "hotplug/state") && strcmp(got, "n/a")) {
		const char *name = cpuhp_state_name(r->hp, atoi(got));
		size_t n = strlen(got);

		snprintf(got + n, sizeof(got) - n, "(%s)", name ? name : "");
	}
	if (strcmp(got, want))
		differ(r, line, "%s: recorded '%s', model '%s'", path, want, got);
}

/* The file under cpuN/ that a key of a "cpuN:" line names, or NULL. */
static const char *cpu_key_path(const char *key)
{
	static const struct {
		const char *key, *path;
	} map[] = {
		{ "online", "online" },
		{ "state", "hotplug/state" },
		{ "target", "hotplug/target" },
		{ "fail", "hotplug/fail" },
		{ "core_id", "topology/core_id" },
		{ "thread_siblings_list", "topology/thread_siblings_list" },
		{ "core_cpus_list", "topology/core_cpus_list" },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(map[i].key, key))
			return map[i].path;
	return NULL;
}

/*
 * "k=v k=v ..." after @prefix ("cpu1", "" for masks and smt lines): each
 * key names a file, the value is what it read.
 */
static void check_pairs(struct replay *r, unsigned int line, const char *cpu,
			const char *pairs)
{
	char *copy = strdup(pairs), *tok, *save = NULL, path[128];

	if (!copy) {
		differ(r, line, "out of memory");
		return;
	}
	for (tok = strtok_r(copy, " ", &save); tok && !r->failed;
	     tok = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(tok, '=');
		const char *file = tok;

		if (!eq) {
			differ(r, line, "cannot parse '%s'", tok);
			break;
		}
		*eq = '\0';
		if (cpu) {
			file = cpu_key_path(tok);
			if (!file) {
				differ(r, line, "%s: unknown attribute '%s'", cpu, tok);
				break;
			}
			snprintf(path, sizeof(path), "%s/%s", cpu, file);
		} else {
			snprintf(path, sizeof(path), "%s", file);
		}
		check_attr(r, line, path, eq + 1);
	}
	free(copy);
}

/* ---------------------------------------------------------------- writes */

/* Compare a write's result with "ok errno=0" / "FAIL errno=N". */
static void result_text(char *buf, size_t len, int err)
{
	if (err)
		snprintf(buf, len, "FAIL errno=%d (%s)", err, strerror(err));
	else
		snprintf(buf, len, "ok errno=0");
}

static void check_result(struct replay *r, unsigned int line, const char *path,
			 const char *value, int want, int got)
{
	char w[96], g[96];

	if (want == got)
		return;
	result_text(w, sizeof(w), want);
	result_text(g, sizeof(g), got);
	differ(r, line, "write %s <- %s: recorded %s, model %s", path, value, w, g);
}

static void note_cpu(struct replay *r, const char *path)
{
	const char *p = strstr(path, "cpu");

	while (p && !isdigit((unsigned char)p[3]))
		p = strstr(p + 3, "cpu");
	if (p)
		r->last_cpu = atoi(p + 3);
}

static void do_write(struct replay *r, unsigned int line, const char *path,
		     const char *value, int want)
{
	int got = -cpuhp_ctl_write(r->hp, path, value);

	r->writes++;
	note_cpu(r, path);
	check_result(r, line, path, value, want, got);
}

/* "... write PATH <- VALUE : ok errno=0 ..." or "... : FAIL errno=N (...)". */
static bool try_write(struct replay *r, unsigned int line, const char *s)
{
	const char *w = strstr(s, "write "), *arrow, *res;
	char path[256], value[256];
	int want;
	size_t n;

	if (!w || (w != s && w[-1] != ' '))
		return false;
	w += 6;
	arrow = strstr(w, " <- ");
	res = strstr(w, " : ok errno=");
	if (!res)
		res = strstr(w, " : FAIL errno=");
	if (!arrow || !res || res < arrow)
		return false;
	n = (size_t)(arrow - w);
	if (n == 0 || n >= sizeof(path) || memchr(w, ' ', n))
		return false;
	memcpy(path, w, n);
	path[n] = '\0';
	n = (size_t)(res - arrow - 4);
	if (n >= sizeof(value))
		return false;
	memcpy(value, arrow + 4, n);
	value[n] = '\0';
	want = atoi(strstr(res, "errno=") + 6);
	do_write(r, line, path, value, want);
	/*
	 * "(prep)" writes set the scene before the recorder clears the trace
	 * buffer: their events are not part of the recorded trace.
	 */
	if (starts(s, "(prep) "))
		conform_trace_clear(&r->model);
	return true;
}

/*
 * "shell view: echo V > PATH ...:" then "  exit status N": the shell's echo
 * wrote "V\n" with one write(2); status 0 is success.
 */
static bool try_shell(struct replay *r, struct block *b, size_t *i)
{
	const char *s = b->lines[*i], *gt, *next;
	char value[128], path[256];
	int status;

	if (!starts(s, "shell view: echo "))
		return false;
	s += strlen("shell view: echo ");
	gt = strstr(s, " > ");
	if (!gt || (size_t)(gt - s) >= sizeof(value) - 1 || *i + 1 >= b->nr)
		return false;
	next = skip_blanks(b->lines[*i + 1]);
	if (sscanf(next, "exit status %d", &status) != 1 ||
	    sscanf(gt + 3, "%255[^ :]", path) != 1)
		return false;
	memcpy(value, s, (size_t)(gt - s));
	strcpy(value + (gt - s), "\n");
	(*i)++;
	r->writes++;
	note_cpu(r, path);
	status = !!status;
	if (status != !!cpuhp_ctl_write(r->hp, path, value))
		differ(r, b->first + (unsigned int)*i,
		       "echo %.*s > %s: recorded exit status %s, model %s", (int)(gt - s),
		       s, path, status ? "non-zero" : "0", status ? "0" : "non-zero");
	return true;
}

/* ----------------------------------------------------------- attributes */

/* "fail readback: N": the fail file of the CPU last written to. */
static bool try_readback(struct replay *r, unsigned int line, const char *s)
{
	char path[64];

	if (!starts(s, "fail readback: "))
		return false;
	snprintf(path, sizeof(path), "cpu%d/hotplug/fail", r->last_cpu);
	check_attr(r, line, path, s + strlen("fail readback: "));
	return true;
}

/* "cpuN/online attribute ...: V". */
static bool try_online_attr(struct replay *r, unsigned int line, const char *s)
{
	const char *colon = strrchr(s, ':');
	char path[64];
	unsigned int cpu;

	if (sscanf(s, "cpu%u/online attribute", &cpu) != 1 || !colon ||
	    !strstr(s, " attribute "))
		return false;
	snprintf(path, sizeof(path), "cpu%u/online", cpu);
	check_attr(r, line, path, skip_blanks(colon + 1));
	return true;
}

/* Does the model have cpuN/ENTRY (a file, or a directory: -EISDIR)? */
static bool has_entry(struct replay *r, unsigned int cpu, const char *entry)
{
	char path[64], buf[64];
	ssize_t n;

	snprintf(path, sizeof(path), "cpu%u/%s", cpu, entry);
	n = cpuhp_ctl_read(r->hp, path, buf, sizeof(buf));
	return n >= 0 || n == -EISDIR;
}

/* "cpuN directory entries (...): a b c": the entries the model has files for. */
static bool try_dir(struct replay *r, unsigned int line, const char *s)
{
	static const char *const modelled[] = { "online", "hotplug", "topology" };
	const char *colon = strstr(s, "): ");
	char list[1024];
	unsigned int cpu;
	size_t i;

	if (sscanf(s, "cpu%u directory entries", &cpu) != 1 || !colon)
		return false;
	/* Blank-padded, so that every entry, the last one too, is " NAME ". */
	snprintf(list, sizeof(list), " %s ", colon + 3);
	for (i = 0; i < sizeof(modelled) / sizeof(modelled[0]); i++) {
		char word[32];
		bool rec;

		snprintf(word, sizeof(word), " %s ", modelled[i]);
		rec = strstr(list, word) != NULL;
		if (rec != has_entry(r, cpu, modelled[i]))
			differ(r, line, "cpu%u/%s: recorded %s, model %s", cpu,
			       modelled[i], rec ? "present" : "absent",
			       rec ? "absent" : "present");
	}
	return true;
}

/* info lines: "possible: 0-3", "smt/control: on", ... (no indentation). */
static bool try_info(struct replay *r, unsigned int line, const char *s)
{
	static const char *const files[] = { "possible",  "present",	"online",
					     "offline",	  "kernel_max", "smt/control",
					     "smt/active" };
	size_t i, n;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		n = strlen(files[i]);
		if (!strncmp(s, files[i], n) && s[n] == ':' &&
		    (!s[n + 1] || s[n + 1] == ' ')) {
			check_attr(r, line, files[i], s[n + 1] ? s + n + 2 : "");
			return true;
		}
	}
	return false;
}

/* "cpuN: k=v ...", "masks: k=v ...", "smt/control=X smt/active=Y". */
static bool try_pairs(struct replay *r, unsigned int line, const char *s)
{
	char cpu[16];
	unsigned int n;
	int len = 0;

	if (sscanf(s, "cpu%u:%n", &n, &len) == 1 && len && s[len] == ' ') {
		snprintf(cpu, sizeof(cpu), "cpu%u", n);
		check_pairs(r, line, cpu, s + len + 1);
		return true;
	}
	if (starts(s, "masks: ")) {
		check_pairs(r, line, NULL, s + 7);
		return true;
	}
	if (starts(s, "smt/control=")) {
		check_pairs(r, line, NULL, s);
		return true;
	}
	return false;
}

/* The "--- hotplug/states" listing: collected, compared when it ends. */
static void states_end(struct replay *r)
{
	char *got = NULL;
	ssize_t n;

	if (!r->states_line)
		return;
	n = cpuhp_ctl_read(r->hp, "hotplug/states", NULL, 0);
	got = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (got && cpuhp_ctl_read(r->hp, "hotplug/states", got, (size_t)n + 1) == n) {
		r->reads++;
		if (strcmp(got, r->states ? r->states : "")) {
			size_t i = 0;

			while (r->states && got[i] && got[i] == r->states[i])
				i++;
			while (i && got[i - 1] != '\n')
				i--;
			differ(r, r->states_line,
			       "hotplug/states differs at '%.*s' (model '%.*s')",
			       (int)strcspn(r->states ? r->states + i : "", "\n"),
			       r->states ? r->states + i : "",
			       (int)strcspn(got + i, "\n"), got + i);
		}
	} else {
		differ(r, r->states_line, "hotplug/states cannot be read");
	}
	free(got);
	free(r->states);
	r->states = NULL;
	r->states_len = 0;
	r->states_line = 0;
}

static bool try_states(struct replay *r, unsigned int line, const char *raw)
{
	const char *s = skip_blanks(raw);
	char name[128], text[160], *grown;
	int num, len = 0;

	if (starts(raw, "--- hotplug/states")) {
		states_end(r);
		r->states_line = line;
		return true;
	}
	if (!r->states_line)
		return false;
	if (sscanf(s, "%d: %127s%n", &num, name, &len) != 2 || s[len]) {
		states_end(r);
		return false;
	}
	snprintf(text, sizeof(text), "%3d: %s\n", num, name);
	grown = realloc(r->states, r->states_len + strlen(text) + 1);
	if (!grown) {
		differ(r, line, "out of memory");
		return true;
	}
	r->states = grown;
	strcpy(r->states + r->states_len, text);
	r->states_len += strlen(text);
	return true;
}

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
		} else if (starts(l, "cmdline: ")) {
			set_str(m->cmdline, sizeof(m->cmdline), l + 9);
		} else if (starts(l, "config: ")) {
			set_str(m->kconfig, sizeof(m->kconfig), l + 8);
		}
	}
}

enum trace_kind {
	TRACE_NONE, /* not recorded: not compared */
	TRACE_SECTION, /* "----- trace": from the end of the (prep) writes */
	TRACE_BOOT, /* events outside a section: recorded while booting */
};

static enum trace_kind trace_kind(const struct block *b)
{
	bool events = false;
	size_t i;

	for (i = 0; i < b->nr; i++) {
		if (starts(b->lines[i], "----- trace"))
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

static void replay_line(struct replay *r, struct block *b, size_t *i)
{
	const char *raw = b->lines[*i], *s = skip_blanks(raw);
	unsigned int line = b->first + (unsigned int)*i;
	int ev;

	if (starts(raw, "----- dmesg")) {
		r->in_dmesg = true;
		return;
	}
	if (starts(raw, "----- ")) {
		r->in_dmesg = false;
		return;
	}
	if (r->in_dmesg)
		return;
	ev = conform_trace_parse(&r->want, raw, line);
	if (ev < 0)
		differ(r, line, "cannot parse trace line");
	if (ev)
		return;
	if (try_states(r, line, raw))
		return;
	if (try_write(r, line, s) || try_shell(r, b, i) || try_readback(r, line, s) ||
	    try_online_attr(r, line, s) || try_dir(r, line, s) ||
	    try_info(r, line, raw) || try_pairs(r, line, s))
		return;
	r->commentary++;
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
		replay_line(&r, b, &i);
	if (!r.failed)
		states_end(&r);
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
	while (header < nr && !starts(lines[header], "##### BEGIN "))
		header++;
	scan_machine(&m, lines, header);
	for (i = 0; i <= nr; i++) {
		bool begin = i < nr && starts(lines[i], "##### BEGIN ");
		bool end = i == nr || starts(lines[i], "##### END ");
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
