// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * learn-write.c - the model file from the learned facts (docs/model-format.md,
 * docs/adding-a-kernel.md).  Each value is learned or, where the model must
 * have one, taken from the base model and marked so; a fact the recordings
 * cannot show is a "not learned" note, never a guess:
 *
 *   - boundaries: the numbers of the core states in the listing; the
 *     dynamic ranges are not in any listing (base);
 *   - a callback in a direction: its symbol traced walking that way (a
 *     boot trace only walks up); a fail armed at the state failing the
 *     walk with EAGAIN shows a callback that was never traced, which, on a
 *     state traced walks went through, is a multi-instance one without
 *     instances (multi=0; its symbol is the base's or not learned);
 *   - multi=N: the most cpuhp_multi_enter events of one CPU in one walk;
 *   - STARTING/DYING callbacks: never traced, not failable: not learned;
 *   - boot lines: the boot CPU's events before the first secondary CPU's
 *     ("early") and after ("late"); a traced startup never seen at boot is
 *     a state set up late without calls.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cpuhpctl.h"
#include "learn.h"

void learn_note(struct learn_notes *n, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (n->nr == n->cap) {
		size_t cap = n->cap ? n->cap * 2 : 32;
		char **g = realloc(n->line, cap * sizeof(*g));

		if (!g)
			return;
		n->line = g;
		n->cap = cap;
	}
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (s)
		n->line[n->nr++] = s;
}

void learn_notes_free(struct learn_notes *n)
{
	while (n->nr)
		free(n->line[--n->nr]);
	free(n->line);
	n->line = NULL;
	n->cap = 0;
}

struct writer {
	FILE *f;
	const struct learn *l;
	const struct base_model *b;
	struct learn_notes *notes;
	int bound[32];
	int min_up, max_up, min_down, max_down; /* traced steps outside STARTING */
};

static int find_state(const struct learn *l, const char *name)
{
	int i;

	for (i = 0; i < LEARN_MAX_STATES; i++)
		if (!strcmp(l->st[i].name, name))
			return i;
	return -1;
}

static int bound_of(const struct writer *w, const char *role)
{
	size_t i;

	for (i = 0; i < learn_nr_roles; i++)
		if (!strcmp(learn_roles[i].role, role))
			return w->bound[i];
	return -1;
}

/* The STARTING section: run on the CPU itself, never traced, not failable. */
static bool starting(const struct writer *w, int s)
{
	return s > bound_of(w, "BRINGUP_CPU") && s <= bound_of(w, "AP_ONLINE");
}

/*
 * The base's state of that name (numbers move between kernels, names
 * stay), or an empty one.
 */
static const struct base_state *base_state(const struct writer *w, const char *name)
{
	static const struct base_state none = { .multi = -1 };
	int i;

	for (i = 0; i < LEARN_MAX_STATES; i++)
		if (!strcmp(w->b->st[i].name, name))
			return &w->b->st[i];
	return &none;
}

/* A core state whose behaviour the library binds to its symbol (model.c). */
static bool core_needs(const struct writer *w, int s, bool up)
{
	return s == bound_of(w, "CREATE_THREADS") ? up :
	       s == bound_of(w, "BP_KICK_AP")     ? up :
	       s == bound_of(w, "TEARDOWN_CPU")   ? !up :
						    s == bound_of(w, "BRINGUP_CPU") ||
							  s == bound_of(w, "AP_ACTIVE");
}

/*
 * The PREPARE dynamic range ends right before the kick or bring-up state
 * (so in the enum of every recorded kernel); its size is the base's.
 * Return: true if both its lines were written.
 */
static bool prepare_dyn(struct writer *w, size_t i)
{
	int next = find_state(w->l, "cpu:kick_ap"),
	    size = w->b->bound[i + 1] - w->b->bound[i];

	if (next < 0)
		next = find_state(w->l, "cpu:bringup");
	if (next < 0 || w->b->bound[i] < 0 || size < 0 || next - 1 - size < 2)
		return false;
	w->bound[i + 1] = next - 1;
	w->bound[i] = next - 1 - size;
	learn_note(w->notes,
		   "bound BP_PREPARE_DYN..END: dynamic ranges are not in the listing; "
		   "%d..%d: ends before %s as in the recorded kernels, %d slots as in "
		   "base %s",
		   w->bound[i], w->bound[i + 1], w->l->st[next].name, size, w->b->name);
	fprintf(w->f, "bound BP_PREPARE_DYN %d # size from base %s\n", w->bound[i],
		w->b->name);
	fprintf(w->f, "bound BP_PREPARE_DYN_END %d # before %s\n", w->bound[i + 1],
		w->l->st[next].name);
	return true;
}

static void write_bounds(struct writer *w)
{
	const struct learn *l = w->l;
	size_t i;

	for (i = 0; i < learn_nr_roles; i++) {
		const struct learn_role *r = &learn_roles[i];
		int s = r->state_name ? find_state(l, r->state_name) : -1;

		w->bound[i] = s;
		if (s >= 0) {
			fprintf(w->f, "bound %s %d\n", r->role, s);
			continue;
		}
		if (!strcmp(r->role, "BP_KICK_AP") && l->listing) {
			fprintf(w->f,
				"# No cpu:kick_ap in the listing: no BP_KICK_AP.\n");
			continue;
		}
		if (!strcmp(r->role, "AP_ONLINE_IDLE") && w->bound[i - 1] >= 0) {
			w->bound[i] = w->bound[i - 1] + 1;
			fprintf(w->f, "bound %s %d\n", r->role, w->bound[i]);
			continue;
		}
		if (!strcmp(r->role, "BP_PREPARE_DYN") && prepare_dyn(w, i)) {
			i++;
			continue;
		}
		w->bound[i] = w->b->bound[i];
		if (r->state_name)
			learn_note(w->notes,
				   "bound %s: no %s in the listing; %d from base %s",
				   r->role, r->state_name, w->bound[i], w->b->name);
		else
			learn_note(w->notes,
				   "bound %s: dynamic ranges are not in the listing; %d "
				   "from base %s",
				   r->role, w->bound[i], w->b->name);
		if (w->bound[i] >= 0)
			fprintf(w->f, "bound %s %d # base %s\n", r->role, w->bound[i],
				w->b->name);
	}
}

/* ------------------------------------------------- config and quirks */

/* The learned value of a config switch or quirk: 'y', 'n', or 0 (not learned). */
static char learned_switch(const struct writer *w, const char *name, const char **why)
{
	const struct learn *l = w->l;

	if (!strcmp(name, "HOTPLUG_CPU") && l->offline_ok) {
		*why = "a CPU went offline";
		return 'y';
	}
	if (!strcmp(name, "HOTPLUG_SMT") && l->smt_control[0]) {
		*why = "smt/control";
		return strcmp(l->smt_control, "notimplemented") ? 'y' : 'n';
	}
	if (!strcmp(name, "HOTPLUG_SPLIT_STARTUP") && l->listing) {
		*why = "cpu:kick_ap in the listing, or not";
		return find_state(l, "cpu:kick_ap") >= 0 ? 'y' : 'n';
	}
	if (!strcmp(name, "boot_target_online") && l->boot_cpu_target >= 0) {
		*why = "the boot CPU's target after boot";
		return l->boot_cpu_target ? 'y' : 'n';
	}
	if (!strcmp(name, "boot_cpu_hotpluggable") && l->boot_cpu_online_file >= 0) {
		*why = "the boot CPU's online file";
		return l->boot_cpu_online_file ? 'y' : 'n';
	}
	if (!strcmp(name, "down_in_worker") && (l->down_worker || l->down_writer)) {
		*why = "the task of the control side's teardowns";
		return l->down_worker ? 'y' : 'n';
	}
	return 0;
}

/* The base's config and quirk lines, each learned where the recordings show it. */
static void write_switches(struct writer *w)
{
	const char *p = w->b->text;
	int base_only = 0;

	while (p && *p) {
		size_t n = strcspn(p, "\n");
		char line[256], kind[16], name[128], val;
		const char *why = NULL;
		char got;

		snprintf(line, sizeof(line), "%.*s", (int)(n < sizeof(line) ? n : 0), p);
		p += n + (p[n] == '\n');
		if (sscanf(line, "%15s %127[^= ]=%c", kind, name, &val) != 3 ||
		    (strcmp(kind, "config") && strcmp(kind, "quirk")))
			continue;
		if (!strncmp(name, "bug_", 4))
			continue;
		got = learned_switch(w, name, &why);

		if (got) {
			fprintf(w->f, "%s %s=%c # learned: %s\n", kind, name, got, why);
			continue;
		}
		fprintf(w->f, "%s %s=%c # base %s\n", kind, name, val, w->b->name);
		base_only++;
	}
	if (base_only)
		learn_note(
			w->notes,
			"%d config switches and quirks (marked \"base\"): from base %s, "
			"check each against the recordings (docs/model-format.md)",
			base_only, w->b->name);
}

/* ------------------------------------------------------------ states */

static bool walked(const struct writer *w, int s, bool up)
{
	return up ? w->min_up < s && s < w->max_up : w->min_down < s && s < w->max_down;
}

static void trace_ranges(struct writer *w)
{
	int i;

	w->min_up = w->min_down = LEARN_MAX_STATES;
	w->max_up = w->max_down = -1;
	for (i = 0; i < LEARN_MAX_STATES; i++) {
		const struct learn_state *st = &w->l->st[i];

		if (starting(w, i))
			continue;
		if (st->up.sym[0]) {
			w->min_up = i < w->min_up ? i : w->min_up;
			w->max_up = i;
		}
		if (st->down.sym[0]) {
			w->min_down = i < w->min_down ? i : w->min_down;
			w->max_down = i;
		}
	}
}

/*
 * One direction of state @s: appends " startup=SYM" (or teardown) to @attr.
 * Return: the instance count (-1: single instance).
 */
static int write_dir(struct writer *w, int s, bool up, char *attr, size_t len,
		     char *comment, size_t clen)
{
	const struct learn_state *st = &w->l->st[s];
	const struct learn_dir *d = up ? &st->up : &st->down;
	const struct learn_dir *o = up ? &st->down : &st->up;
	const struct base_state *bs = base_state(w, st->name);
	const char *dir = up ? "startup" : "teardown";
	const char *bsym = up ? bs->startup : bs->teardown;
	bool same = bs->name[0] != '\0';
	size_t n = strlen(attr), c = strlen(comment);

	if (d->sym[0]) {
		snprintf(attr + n, len - n, " %s=%s", dir, d->sym);
		return d->multi >= 0 ? d->multi : -1;
	}
	if (core_needs(w, s, up)) {
		snprintf(attr + n, len - n, " %s=%s", dir, bsym[0] ? bsym : "unlearned");
		snprintf(comment + c, clen - c,
			 " %s: never traced, a core state needs it: %s.", dir,
			 bsym[0] ? "base" : "not learned");
		learn_note(w->notes, "%d %s %s: never traced; %s%s", s, st->name, dir,
			   bsym[0] ? "from base " : "",
			   bsym[0] ? w->b->name : "a placeholder");
		return -1;
	}
	if (starting(w, s)) {
		if (same && bsym[0])
			learn_note(w->notes,
				   "%d %s %s: STARTING/DYING callbacks are never traced; "
				   "base %s has %s=%s",
				   s, st->name, dir, w->b->name, dir, bsym);
		return -1;
	}
	/*
	 * The kernel accepts a fail only at a state with a callback: if the
	 * other direction has none, this one has.
	 */
	if (d->sweep == SWEEP_CALLBACK ||
	    (d->sweep == SWEEP_UNKNOWN && st->fail_accepted && !o->sym[0] &&
	     o->sweep == SWEEP_NONE)) {
		const char *sym = same && bsym[0] ? bsym : NULL;
		bool multi0 = walked(w, s, up);

		snprintf(attr + n, len - n, " %s=%s", dir, sym ? sym : "unlearned");
		snprintf(comment + c, clen - c, " %s: %s (%s)%s; symbol %s%s.", dir,
			 d->sweep == SWEEP_CALLBACK ?
				 "a fail armed here fails the walk" :
				 "a fail is accepted here, the other way has no callback",
			 d->sweep == SWEEP_CALLBACK ? d->sweep_where : st->fail_where,
			 multi0 ? ", never traced: multi-instance without instances" : "",
			 sym ? "from base " : "not learned", sym ? w->b->name : "");
		if (!sym)
			learn_note(w->notes, "%d %s %s: the symbol (never traced)", s,
				   st->name, dir);
		if (multi0)
			return 0;
		if (same && bs->multi >= 0) {
			learn_note(w->notes,
				   "%d %s %s: instances (no traced walk went through "
				   "it); multi=%d from base %s",
				   s, st->name, dir, bs->multi, w->b->name);
			return bs->multi;
		}
		return -1;
	}
	if (d->sweep == SWEEP_NONE)
		return -1;
	if (same && bsym[0])
		learn_note(w->notes,
			   "%d %s %s: never traced and no fail armed there: no callback "
			   "or a multi-instance one without instances; base %s has "
			   "%s=%s%s",
			   s, st->name, dir, w->b->name, dir, bsym,
			   bs->multi >= 0 ? " (multi-instance)" : "");
	return -1;
}

static void write_state(struct writer *w, int s)
{
	const struct learn_state *st = &w->l->st[s];
	const struct base_state *bs = base_state(w, st->name);
	char attr[256] = "", comment[400] = "";
	int mu, md, multi;

	mu = write_dir(w, s, true, attr, sizeof(attr), comment, sizeof(comment));
	md = write_dir(w, s, false, attr, sizeof(attr), comment, sizeof(comment));
	multi = mu > md ? mu : md;
	if (mu >= 0 && md >= 0 && mu != md)
		learn_note(w->notes, "%d %s: %d instances walking up, %d walking down", s,
			   st->name, mu, md);
	if (bs->cant_stop)
		strcat(attr, " cant_stop");
	if (multi >= 0)
		snprintf(attr + strlen(attr), sizeof(attr) - strlen(attr), " multi=%d",
			 multi);
	if (comment[0])
		fprintf(w->f, "#%s\n", comment);
	fprintf(w->f, "state %d %s%s\n", s, st->name, attr);
}

static void write_states(struct writer *w)
{
	int s, online = bound_of(w, "ONLINE");

	trace_ranges(w);
	fprintf(w->f,
		"\n# States: the hotplug/states listing (%s); callbacks as the "
		"traces show them;\n# cant_stop from base %s.\n",
		w->l->listing_src, w->b->name);
	for (s = 0; s < LEARN_MAX_STATES; s++) {
		if (s == bound_of(w, "BRINGUP_CPU") + 1)
			fprintf(w->f, "# STARTING section: never traced, callbacks not "
				      "learned.\n");
		if (w->l->st[s].name[0] && s <= online)
			write_state(w, s);
	}
}

/* -------------------------------------------------------------- boot */

static bool bootable(const struct writer *w, int s)
{
	const struct learn_state *st = &w->l->st[s];
	size_t i;

	if (!st->name[0] || starting(w, s) || !st->up.sym[0] || st->up.multi >= 0)
		return false;
	for (i = 0; i < learn_nr_roles; i++)
		if (learn_roles[i].state_name && w->bound[i] == s)
			return false;
	return true;
}

static void write_boot(struct writer *w)
{
	const struct learn *l = w->l;
	int order, s, nocalls = 0;

	if (!l->boot_trace) {
		learn_note(w->notes, "boot lines: no boot trace among the recordings");
		return;
	}
	fprintf(w->f, "\n# Boot (the boot trace): the boot CPU's set-up calls before "
		      "the first\n# secondary CPU's event are early, after it late, in "
		      "this order.\n");
	for (order = 0; order < l->boot_order_next; order++)
		for (s = 0; s < LEARN_MAX_STATES; s++)
			if (l->st[s].boot != BOOT_PRESENT &&
			    l->st[s].boot_order == order && bootable(w, s))
				fprintf(w->f, "boot %s %d calls\n",
					l->st[s].boot == BOOT_EARLY_CALLS ? "early" :
									    "late",
					s);
	for (s = 0; s < LEARN_MAX_STATES; s++) {
		if (!bootable(w, s) || l->st[s].boot_seen)
			continue;
		if (!nocalls++)
			fprintf(w->f, "# Startups traced later but not at boot: set up "
				      "late without calls.\n");
		fprintf(w->f, "boot late %d nocalls\n", s);
	}
	if (nocalls)
		learn_note(w->notes,
			   "boot: where the %d \"nocalls\" states come among "
			   "the late ones (nothing traced)",
			   nocalls);
}

void learn_write(FILE *f, const struct learn *l, const struct base_model *b,
		 const char *model_name, struct learn_notes *notes)
{
	struct learn_notes mine = { 0 };
	struct writer w = { .l = l, .b = b, .notes = &mine };
	char *body = NULL;
	size_t len = 0, i;

	w.f = open_memstream(&body, &len);
	if (!w.f)
		return;
	fprintf(w.f, "model %s\n\n", model_name);
	write_bounds(&w);
	fputc('\n', w.f);
	write_switches(&w);
	write_states(&w);
	write_boot(&w);
	fclose(w.f);

	fprintf(f,
		"# cpuhp model learned by \"cpuhpctl learn\" (docs/adding-a-kernel.md)\n");
	fputs("# from:\n#   ", f);
	for (i = 0; l->sources[i]; i++) {
		if (l->sources[i] == ' ')
			fputs("\n#   ", f);
		else
			fputc(l->sources[i], f);
	}
	fputc('\n', f);
	if (l->uname[0])
		fprintf(f, "# kernel: %s\n", l->uname);
	if (l->cpus)
		fprintf(f,
			"# recorded machine: %u CPUs, %u threads per core (--cpus %u "
			"--threads-per-core %u)\n",
			l->cpus, l->threads_per_core ? l->threads_per_core : 1, l->cpus,
			l->threads_per_core ? l->threads_per_core : 1);
	if (l->boot_cpu >= 0)
		fprintf(f, "# boot CPU: cpu%d\n", l->boot_cpu);
	fprintf(f, "# base (values marked \"base\"): %s\n", b->name);
	if (mine.nr)
		fputs("#\n", f);
	for (i = 0; i < mine.nr; i++) {
		fprintf(f, "# not learned: %s\n", mine.line[i]);
		learn_note(notes, "%s", mine.line[i]);
	}
	fputc('\n', f);
	if (body)
		fwrite(body, 1, len, f);
	free(body);
	learn_notes_free(&mine);
}
