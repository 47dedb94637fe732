// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * script.c - lexer and parser of the cpuhpctl script language.
 *
 * A line is split into words at blanks; a word that starts with '"' runs to
 * the closing quote and may hold blanks and the escapes \n \t \\ \"; a '#'
 * at the start of a word comments out the rest of the line.  Each command's
 * first word selects its parser from a table.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "script.h"

#define MAX_WORDS 16
#define BLANKS " \t\r\n"

struct word {
	char *raw; /* as written, quotes included */
	char *val; /* after removing quotes and escapes */
	bool quoted;
};

struct line {
	struct word w[MAX_WORDS];
	int n;
	char *mem; /* backing store of the words */
};

struct parser {
	const char *fname;
	unsigned int line;
	struct script *s;
	bool oom;
};

static bool bad(struct parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Report a syntax error at the current line; returns false for the caller. */
static bool bad(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%u: error: ", p->fname, p->line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	p->s->errors++;
	return false;
}

/* ------------------------------------------------------------- lexer */

static int unescape(char c)
{
	switch (c) {
	case 'n':
		return '\n';
	case 't':
		return '\t';
	case '\\':
	case '"':
		return c;
	}
	return -1;
}

/* Copy a quoted word's value to *out; *pp is at the opening quote. */
static bool lex_quoted(struct parser *p, const char **pp, char **out)
{
	const char *s = *pp + 1;
	int c;

	for (; *s && *s != '"'; s++) {
		c = *s;
		if (c == '\\' && (c = unescape(*++s)) < 0)
			return bad(p, "unknown escape '\\%c' in a quoted word",
				   *s ? *s : ' ');
		*(*out)++ = (char)c;
	}
	if (!*s)
		return bad(p, "missing closing quote");
	s++;
	if (*s && !strchr(BLANKS, *s))
		return bad(p, "text right after a closing quote");
	*(*out)++ = '\0';
	*pp = s;
	return true;
}

static bool lex_word(struct parser *p, const char **pp, char **out, struct word *w)
{
	const char *start = *pp;
	size_t len;

	w->quoted = *start == '"';
	w->val = *out;
	if (w->quoted) {
		if (!lex_quoted(p, pp, out))
			return false;
	} else {
		*pp += strcspn(*pp, BLANKS);
		memcpy(*out, start, (size_t)(*pp - start));
		*out += *pp - start;
		*(*out)++ = '\0';
	}
	len = (size_t)(*pp - start);
	w->raw = *out;
	memcpy(w->raw, start, len);
	w->raw[len] = '\0';
	*out += len + 1;
	return true;
}

static bool lex(struct parser *p, const char *text, struct line *l)
{
	char *out;

	l->n = 0;
	/* A word's value is never longer than its raw text: two copies fit. */
	l->mem = out = malloc(2 * strlen(text) + 2);
	if (!l->mem) {
		p->oom = true;
		return false;
	}
	for (;;) {
		text += strspn(text, BLANKS);
		if (!*text || *text == '#')
			return true;
		if (l->n == MAX_WORDS)
			return bad(p, "too many words (at most %d)", MAX_WORDS);
		if (!lex_word(p, &text, &out, &l->w[l->n++]))
			return false;
	}
}

/* ------------------------------------------------------------ parser */

static char *dup(struct parser *p, const char *s)
{
	char *d = strdup(s);

	if (!d)
		p->oom = true;
	return d;
}

/* Join the values (or raw texts) of words [from, to) with single blanks. */
static char *join(struct parser *p, const struct line *l, int from, int to, bool raw)
{
	size_t len = 1;
	char *s;
	int i;

	for (i = from; i < to; i++)
		len += strlen(raw ? l->w[i].raw : l->w[i].val) + 1;
	s = calloc(1, len);
	if (!s) {
		p->oom = true;
		return NULL;
	}
	for (i = from; i < to; i++) {
		if (i > from)
			strcat(s, " ");
		strcat(s, raw ? l->w[i].raw : l->w[i].val);
	}
	return s;
}

static bool is_word(const struct word *w, const char *s)
{
	return !w->quoted && !strcmp(w->val, s);
}

static bool nargs(struct parser *p, const struct line *l, int min, int max,
		  const char *usage)
{
	int n = l->n - 1;

	if (n >= min && n <= max)
		return true;
	return bad(p, "%s: %s", n < min ? "missing operand" : "extra operand", usage);
}

bool script_state_valid(const char *s)
{
	char *end;
	long v;

	if (!strcmp(s, "prepare-dyn") || !strcmp(s, "online-dyn"))
		return true;
	errno = 0;
	v = strtol(s, &end, 10);
	return !errno && end != s && !*end && v >= INT_MIN && v <= INT_MAX;
}

static bool parse_state(struct parser *p, struct script_cmd *c, const struct word *w)
{
	if (!script_state_valid(w->val))
		return bad(p, "bad STATE '%s': a number, prepare-dyn or online-dyn",
			   w->raw);
	c->state = dup(p, w->val);
	return true;
}

/* Optional trailing flags of setup/remove/instance. */
static bool parse_flags(struct parser *p, struct script_cmd *c, const struct line *l,
			int from, bool multi_ok)
{
	int i;

	for (i = from; i < l->n; i++) {
		if (is_word(&l->w[i], "nocalls"))
			c->nocalls = true;
		else if (multi_ok && is_word(&l->w[i], "multi"))
			c->multi = true;
		else
			return bad(p, "unknown flag '%s'", l->w[i].raw);
	}
	return true;
}

/* Paths hold no blanks: a quoted one is a mistake. */
static bool take_path(struct parser *p, struct script_cmd *c, const struct word *w)
{
	if (w->quoted)
		return bad(p, "a PATH is written without quotes: %s", w->raw);
	c->path = dup(p, w->val);
	return true;
}

static bool parse_write(struct parser *p, struct script_cmd *c, const struct line *l)
{
	if (!nargs(p, l, 2, 2, "write PATH VALUE"))
		return false;
	if (!take_path(p, c, &l->w[1]))
		return false;
	c->op = OP_WRITE;
	c->value = dup(p, l->w[2].val);
	c->shown = dup(p, l->w[2].raw);
	return true;
}

static bool parse_read(struct parser *p, struct script_cmd *c, const struct line *l)
{
	if (!nargs(p, l, 1, 1, "read PATH"))
		return false;
	if (!take_path(p, c, &l->w[1]))
		return false;
	c->op = OP_READ;
	return true;
}

static bool is_redirect(const struct word *w)
{
	return !w->quoted && w->val[0] == '>';
}

/* echo's value: the words joined by blanks, plus a newline unless -n. */
static char *echo_value(struct parser *p, const struct line *l, int from, int to,
			bool newline)
{
	char *text = join(p, l, from, to, false), *v;

	if (!text)
		return NULL;
	v = realloc(text, strlen(text) + 2);
	if (!v) {
		free(text);
		p->oom = true;
		return NULL;
	}
	return newline ? strcat(v, "\n") : v;
}

/*
 * echo [-n] VALUE... > PATH (also ">PATH") writes like a shell would, the
 * newline included; without a redirection, echo prints its words.
 */
static bool parse_echo(struct parser *p, struct script_cmd *c, const struct line *l)
{
	bool newline = !(l->n > 1 && is_word(&l->w[1], "-n"));
	int first = newline ? 1 : 2, end, after;
	const char *path = NULL;

	for (end = first; end < l->n && !is_redirect(&l->w[end]); end++)
		;
	if (end < l->n) {
		after = end + 1;
		if (l->w[end].val[1])
			path = l->w[end].val + 1;
		else if (after < l->n && !l->w[after].quoted)
			path = l->w[after++].val;
		if (!path || path[0] == '>' || after != l->n)
			return bad(p, "echo: expected '> PATH' at the end of the line");
	}
	c->op = path ? OP_WRITE : OP_PRINT;
	c->value = echo_value(p, l, first, end, newline);
	if (path) {
		c->path = dup(p, path);
		c->shown = join(p, l, first, end, true);
	}
	return true;
}

static bool parse_show(struct parser *p, struct script_cmd *c, const struct line *l)
{
	const char *what;

	if (!nargs(p, l, 1, 1, "show cpuN|masks|smt"))
		return false;
	what = l->w[1].val;
	if (strcmp(what, "masks") && strcmp(what, "smt") &&
	    (strncmp(what, "cpu", 3) || !what[3] ||
	     strspn(what + 3, "0123456789") != strlen(what + 3)))
		return bad(p, "show: expected cpuN, masks or smt, not '%s'", l->w[1].raw);
	c->op = OP_SHOW;
	c->name = dup(p, what);
	return true;
}

static bool parse_setup(struct parser *p, struct script_cmd *c, const struct line *l)
{
	if (!nargs(p, l, 2, 4, "setup STATE NAME [nocalls] [multi]"))
		return false;
	c->op = OP_SETUP;
	c->name = dup(p, l->w[2].val);
	return parse_state(p, c, &l->w[1]) && parse_flags(p, c, l, 3, true);
}

static bool parse_remove(struct parser *p, struct script_cmd *c, const struct line *l)
{
	if (!nargs(p, l, 1, 2, "remove STATE [nocalls]"))
		return false;
	c->op = OP_REMOVE;
	return parse_state(p, c, &l->w[1]) && parse_flags(p, c, l, 2, false);
}

static bool parse_instance(struct parser *p, struct script_cmd *c, const struct line *l)
{
	static const char usage[] = "instance add|remove STATE ID [nocalls]";

	if (!nargs(p, l, 3, 4, usage))
		return false;
	c->add = is_word(&l->w[1], "add");
	if (!c->add && !is_word(&l->w[1], "remove"))
		return bad(p, "instance: expected add or remove, not '%s'", l->w[1].raw);
	c->op = OP_INSTANCE;
	c->name = dup(p, l->w[3].val);
	return parse_state(p, c, &l->w[2]) && parse_flags(p, c, l, 4, false);
}

static bool parse_ledger(struct parser *p, struct script_cmd *c, const struct line *l)
{
	if (!nargs(p, l, 1, 1, "ledger on") || !is_word(&l->w[1], "on"))
		return bad(p, "ledger: expected 'ledger on'");
	c->op = OP_LEDGER;
	return true;
}

static bool parse_uint_word(struct parser *p, const struct word *w, unsigned int *out)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(w->val, &end, 10);
	if (errno || end == w->val || *end || w->val[0] == '-' || v > INT_MAX)
		return bad(p, "not a number: '%s'", w->raw);
	*out = (unsigned int)v;
	return true;
}

/* inject CPU STATE up|down [instance N] [nth N]: a fault of the ledger's plan. */
static bool parse_inject(struct parser *p, struct script_cmd *c, const struct line *l)
{
	static const char usage[] = "inject CPU STATE up|down [instance N] [nth N]";
	unsigned int v;
	int i;

	if (!nargs(p, l, 3, 7, usage) || !parse_uint_word(p, &l->w[1], &c->cpu) ||
	    !parse_state(p, c, &l->w[2]))
		return false;
	c->add = is_word(&l->w[3], "up");
	if (!c->add && !is_word(&l->w[3], "down"))
		return bad(p, "inject: expected up or down, not '%s'", l->w[3].raw);
	c->op = OP_INJECT;
	c->instance = -1;
	for (i = 4; i < l->n; i += 2) {
		if (i + 1 >= l->n)
			return bad(p, "inject: '%s' needs a number", l->w[i].raw);
		if (!parse_uint_word(p, &l->w[i + 1], &v))
			return false;
		if (is_word(&l->w[i], "instance"))
			c->instance = (int)v;
		else if (is_word(&l->w[i], "nth"))
			c->nth = v;
		else
			return bad(p, "inject: unknown option '%s'", l->w[i].raw);
	}
	return true;
}

/* clang-format off */
static const struct keyword {
	const char *word;
	bool (*parse)(struct parser *p, struct script_cmd *c, const struct line *l);
} keywords[] = {
	{ "write", parse_write },
	{ "echo", parse_echo },
	{ "read", parse_read },
	{ "cat", parse_read },
	{ "show", parse_show },
	{ "setup", parse_setup },
	{ "remove", parse_remove },
	{ "instance", parse_instance },
	{ "ledger", parse_ledger },
	{ "inject", parse_inject },
};
/* clang-format on */

static struct script_cmd *new_cmd(struct parser *p)
{
	struct script *s = p->s;
	struct script_cmd *c;

	if (s->nr == s->alloc) {
		size_t n = s->alloc ? 2 * s->alloc : 32;

		c = realloc(s->cmds, n * sizeof(*c));
		if (!c) {
			p->oom = true;
			return NULL;
		}
		s->cmds = c;
		s->alloc = n;
	}
	c = &s->cmds[s->nr++];
	memset(c, 0, sizeof(*c));
	c->line = p->line;
	return c;
}

static void free_cmd(struct script_cmd *c)
{
	free(c->path);
	free(c->value);
	free(c->shown);
	free(c->state);
	free(c->name);
}

static void parse_words(struct parser *p, const struct line *l)
{
	struct script_cmd *c;
	size_t i;

	for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
		if (is_word(&l->w[0], keywords[i].word))
			break;
	if (i == sizeof(keywords) / sizeof(keywords[0])) {
		bad(p, "unknown command '%s'", l->w[0].raw);
		return;
	}
	c = new_cmd(p);
	if (c && !keywords[i].parse(p, c, l)) {
		free_cmd(c);
		p->s->nr--;
	}
}

static void parse_line(struct parser *p, const char *text)
{
	struct line l;

	if (lex(p, text, &l) && l.n)
		parse_words(p, &l);
	free(l.mem);
}

int script_parse(FILE *f, const char *fname, struct script *s)
{
	struct parser p = { .fname = fname, .s = s };
	char *text = NULL;
	size_t cap = 0;

	while (getline(&text, &cap, f) >= 0 && !p.oom) {
		p.line++;
		parse_line(&p, text);
	}
	free(text);
	if (p.oom)
		return -ENOMEM;
	return ferror(f) ? -EIO : 0;
}

void script_free(struct script *s)
{
	size_t i;

	for (i = 0; i < s->nr; i++)
		free_cmd(&s->cmds[i]);
	free(s->cmds);
	s->cmds = NULL;
	s->nr = s->alloc = 0;
}
