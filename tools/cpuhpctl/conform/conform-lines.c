// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * conform-lines.c - one line of a recording against the model: a write is
 * performed and its result compared, an attribute line is read back and
 * compared (docs/conform.md lists every form).  Only the first difference
 * of a block is kept; later ones follow from it.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conform-replay.h"

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
	if (conform_starts(s, "(prep) "))
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

	if (!conform_starts(s, "shell view: echo "))
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

	if (!conform_starts(s, "fail readback: "))
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
	static const char *const files[] = { "possible",  "present",    "online",
					     "offline",   "kernel_max", "smt/control",
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
	if (conform_starts(s, "masks: ")) {
		check_pairs(r, line, NULL, s + 7);
		return true;
	}
	if (conform_starts(s, "smt/control=")) {
		check_pairs(r, line, NULL, s);
		return true;
	}
	return false;
}

/* The "--- hotplug/states" listing: collected, compared when it ends. */
void conform_states_end(struct replay *r)
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

	if (conform_starts(raw, "--- hotplug/states")) {
		conform_states_end(r);
		r->states_line = line;
		return true;
	}
	if (!r->states_line)
		return false;
	if (sscanf(s, "%d: %127s%n", &num, name, &len) != 2 || s[len]) {
		conform_states_end(r);
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

void conform_replay_line(struct replay *r, struct block *b, size_t *i)
{
	const char *raw = b->lines[*i], *s = skip_blanks(raw);
	unsigned int line = b->first + (unsigned int)*i;
	int ev;

	if (conform_starts(raw, "----- dmesg")) {
		r->in_dmesg = true;
		return;
	}
	if (conform_starts(raw, "----- ")) {
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
