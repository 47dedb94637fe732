// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * learn-parse.c - the facts of one recording (oracle/linux-6.1-x86/README.md
 * format): the hotplug/states listing, the callbacks the traces show in
 * each direction, instance counts, what a fail armed at a state did, the
 * boot CPU, the topology and the SMT control, the boot trace.  The trace
 * lines are parsed by conform's parser.  Anything that looks like a line
 * of the format but is cut short is an error naming the file and line.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../conform/conform.h"
#include "cpuhpctl.h"
#include "learn.h"

#define MAX_CPUS 256

struct reader {
	struct learn *l;
	const char *path;
	unsigned int line;
	/* The block being read. */
	bool in_block, in_trace, in_dmesg, in_listing;
	unsigned int block_line;
	char block[128];
	int armed[MAX_CPUS];     /* hotplug/fail armed, -1 none */
	int cur[MAX_CPUS];       /* the CPU's state as last seen */
	int last_step[MAX_CPUS]; /* multi-instance runs, per CPU */
	bool last_up[MAX_CPUS];
	int run[MAX_CPUS];
	int boot_cpu; /* of the boot trace: the CPU of its first event */
	bool others;  /* a secondary CPU's event was seen in the boot trace */
	int listing_prev;
	int listing_nr;
};

static int error(struct reader *r, const char *what)
{
	ctl_err("learn: %s:%u: %s", r->path, r->line, what);
	return -1;
}

static bool starts(const char *s, const char *p)
{
	return !strncmp(s, p, strlen(p));
}

static const char *skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static void new_block(struct reader *r)
{
	int i;

	r->in_trace = r->in_dmesg = r->in_listing = false;
	for (i = 0; i < MAX_CPUS; i++) {
		r->armed[i] = -1;
		r->cur[i] = -1;
		r->last_step[i] = -1;
		r->run[i] = 0;
	}
	r->boot_cpu = -1;
	r->others = false;
}

/* ------------------------------------------------------------ listing */

/* "NUM: NAME" of the hotplug/states listing.  Return: 1 taken, 0 not, -1. */
static int listing_line(struct reader *r, const char *raw)
{
	struct learn *l = r->l;
	const char *s = skip_blanks(raw);
	char name[LEARN_SYM_MAX];
	int num, len = 0;

	if (sscanf(s, "%d: %63s%n", &num, name, &len) != 2 || s[len]) {
		r->in_listing = false;
		if (r->listing_nr == 0)
			return error(r, "empty hotplug/states listing");
		return 0;
	}
	if (num < 0 || num >= LEARN_MAX_STATES || num <= r->listing_prev)
		return error(r, "hotplug/states listing: state numbers out of order");
	r->listing_prev = num;
	r->listing_nr++;
	if (!l->listing) {
		snprintf(l->st[num].name, sizeof(l->st[num].name), "%s", name);
		return 1;
	}
	if (strcmp(l->st[num].name, name)) {
		char msg[768];

		snprintf(msg, sizeof(msg),
			 "hotplug/states listing differs from the one in %s at %d (%s): "
			 "recordings of different kernels?",
			 l->listing_src, num, name);
		return error(r, msg);
	}
	return 1;
}

/* The listing ended: a second one must have had the same states. */
static int listing_end(struct reader *r)
{
	struct learn *l = r->l;
	int i, n = 0;

	if (!l->listing) {
		l->listing = true;
		snprintf(l->listing_src, sizeof(l->listing_src), "%s", r->path);
		return 0;
	}
	for (i = 0; i < LEARN_MAX_STATES; i++)
		n += l->st[i].name[0] != '\0';
	if (n != r->listing_nr)
		return error(r, "hotplug/states listing has not the states of the "
				"first one: recordings of different kernels?");
	return 0;
}

/* -------------------------------------------------------------- trace */

static void note_dir(struct reader *r, const struct cpuhp_trace_event *ev, bool up)
{
	struct learn_state *st = &r->l->st[ev->idx];
	struct learn_dir *d = up ? &st->up : &st->down;
	unsigned int c = ev->cpu;

	if (!d->sym[0])
		snprintf(d->sym, sizeof(d->sym), "%s", ev->fn);
	if (ev->type == CPUHP_TRACE_ENTER) {
		d->single = true;
		r->last_step[c] = ev->idx;
		r->run[c] = 0;
		return;
	}
	/* Consecutive multi_enter events of one CPU at one step: one walk. */
	if (r->last_step[c] == ev->idx && r->last_up[c] == up && r->run[c])
		r->run[c]++;
	else
		r->run[c] = 1;
	r->last_step[c] = ev->idx;
	r->last_up[c] = up;
	if (r->run[c] > d->multi)
		d->multi = r->run[c];
}

/* Boot: the boot CPU sets states up (early, or late after the others came). */
static void boot_event(struct reader *r, const struct cpuhp_trace_event *ev)
{
	struct learn *l = r->l;
	struct learn_state *st = &l->st[ev->idx];

	l->boot_trace = true;
	st->boot_seen = true;
	if (r->boot_cpu < 0)
		r->boot_cpu = (int)ev->cpu;
	if ((int)ev->cpu != r->boot_cpu) {
		r->others = true;
		if (st->boot == BOOT_PRESENT)
			st->boot_walked = true;
		return;
	}
	if (st->boot != BOOT_PRESENT || st->boot_walked)
		return;
	st->boot = r->others ? BOOT_LATE_CALLS : BOOT_EARLY_CALLS;
	st->boot_order = l->boot_order_next++;
}

static int trace_line(struct reader *r, const char *raw)
{
	struct cpuhp_trace_event ev;
	char task[64], fn[LEARN_SYM_MAX];
	int n = conform_trace_parse_event(raw, &ev, task, sizeof(task), fn, sizeof(fn));
	bool up;

	if (n <= 0)
		return n < 0 ? error(r, "cannot parse this trace event (cut short?)") : 0;
	if (ev.cpu >= MAX_CPUS)
		return error(r, "trace event for a CPU number out of range");
	if (ev.idx < 0 || ev.idx >= LEARN_MAX_STATES)
		return error(r, "trace event for a state number out of range");
	if (ev.type == CPUHP_TRACE_EXIT)
		return 1;
	if (!r->in_trace) {
		/* Outside a "----- trace" section: the boot trace, only startups. */
		boot_event(r, &ev);
		note_dir(r, &ev, true);
		return 1;
	}
	up = ev.idx <= ev.target;
	if (!up && strncmp(task, "cpuhp/", 6)) {
		if (!strncmp(task, "kworker/", 8))
			r->l->down_worker = true;
		else
			r->l->down_writer = true;
	}
	/* The kick of the CPU's thread is traced at its state, not a callback. */
	if (strcmp(ev.fn, "cpuhp_kick_ap_work"))
		note_dir(r, &ev, up);
	return 1;
}

/* ------------------------------------------------------------- writes */

/* The CPU of ".../cpuN/...", or -1. */
static int path_cpu(const char *path)
{
	const char *p = strstr(path, "/cpu");
	int cpu, len = 0;

	for (; p; p = strstr(p + 1, "/cpu"))
		if (sscanf(p, "/cpu%d/%n", &cpu, &len) == 1 && len && cpu >= 0 &&
		    cpu < MAX_CPUS)
			return cpu;
	return -1;
}

static void sweep_result(struct reader *r, int cpu, bool up, int err)
{
	int s = r->armed[cpu], cur = r->cur[cpu] < 0 ? (up ? 0 : 236) : r->cur[cpu];
	struct learn_dir *d;
	bool through = up ? cur < s : cur >= s;

	r->armed[cpu] = -1;
	if (s < 0 || s >= LEARN_MAX_STATES || !through || (err && err != EAGAIN))
		return;
	d = up ? &r->l->st[s].up : &r->l->st[s].down;
	r->l->sweep = true;
	/* A callback seen once is one, whatever else happened. */
	if (d->sweep != SWEEP_CALLBACK)
		d->sweep = err ? SWEEP_CALLBACK : SWEEP_NONE;
	if (!d->sweep_where) {
		char *w = malloc(strlen(r->path) + 16);

		if (w)
			sprintf(w, "%s:%u", r->path, r->line);
		d->sweep_where = w;
	}
}

/* "write PATH <- VALUE : ok errno=0 ..." / ": FAIL errno=N (...)". */
static int write_line(struct reader *r, const char *s)
{
	const char *w = strstr(s, "write /"), *arrow, *res;
	char path[256], value[64];
	int err, cpu, v, len = 0;
	size_t n;

	if (!w || !(arrow = strstr(w, " <- ")))
		return 0;
	res = strstr(arrow, " : ok errno=");
	if (!res)
		res = strstr(arrow, " : FAIL errno=");
	if (!res || sscanf(strstr(res, "errno=") + 6, "%d", &err) != 1)
		return error(r, "write without its result (cut short?)");
	n = (size_t)(arrow - w - 6);
	if (n >= sizeof(path))
		return error(r, "write: path too long");
	memcpy(path, w + 6, n);
	path[n] = '\0';
	n = (size_t)(res - arrow - 4);
	snprintf(value, sizeof(value), "%.*s", (int)(n < sizeof(value) ? n : 0),
		 arrow + 4);
	cpu = path_cpu(path);
	if (cpu < 0)
		return 1;
	if (sscanf(value, "%d%n", &v, &len) != 1 || value[len])
		v = -1;
	if (strstr(path, "/hotplug/fail")) {
		r->armed[cpu] = err ? -1 : v;
		/*
		 * An accepted fail shows a callback in some direction; a
		 * refused one nothing: 6.1 refuses fail=23 on an online CPU
		 * although 23 has a traced teardown.
		 */
		if (!err && v >= 0 && v < LEARN_MAX_STATES && !r->l->st[v].fail_where) {
			struct learn_state *st = &r->l->st[v];

			st->fail_accepted = true;
			if (asprintf(&st->fail_where, "%s:%u", r->path, r->line) < 0)
				st->fail_where = NULL;
		}
	} else if (strstr(path, "/online") && (v == 0 || v == 1)) {
		if (r->armed[cpu] >= 0)
			sweep_result(r, cpu, v == 1, err);
		if (!err)
			r->cur[cpu] = v ? 236 : 0;
		if (!err && v == 0)
			r->l->offline_ok = true;
	} else if (strstr(path, "/hotplug/target") && !err && v >= 0) {
		r->cur[cpu] = v;
	}
	return 1;
}

/* ----------------------------------------------------- attribute lines */

/* "cpuN: online=X state=N(...) target=T fail=F ...". */
static void cpu_line(struct reader *r, const char *s)
{
	struct learn *l = r->l;
	char online[16];
	int cpu, state, target, len = 0;
	const char *t, *sib;

	if (sscanf(s, "cpu%d: online=%15s state=%d%n", &cpu, online, &state, &len) != 3 ||
	    cpu < 0 || cpu >= MAX_CPUS)
		return;
	r->cur[cpu] = state;
	t = strstr(s, " target=");
	if (!strcmp(online, "n/a")) {
		l->boot_cpu = cpu;
		l->boot_cpu_online_file = 0;
		if (t && sscanf(t, " target=%d", &target) == 1)
			l->boot_cpu_target = target;
	} else if (cpu == 0 && l->boot_cpu_online_file < 0) {
		l->boot_cpu_online_file = 1;
	}
	sib = strstr(s, " thread_siblings_list=");
	if (sib && cpu == 0) {
		int a, b;

		if (sscanf(sib, " thread_siblings_list=%d-%d", &a, &b) == 2 && b >= a)
			l->threads_per_core = (unsigned int)(b - a + 1);
		else if (sscanf(sib, " thread_siblings_list=%d", &a) == 1)
			l->threads_per_core = 1;
	}
}

static void info_line(struct reader *r, const char *raw)
{
	struct learn *l = r->l;
	const char *s = skip_blanks(raw);
	unsigned int a, b, c;
	char word[32];

	if (starts(raw, "uname -r: ")) {
		if (!l->uname[0])
			snprintf(l->uname, sizeof(l->uname), "%s", raw + 10);
		else if (strcmp(l->uname, raw + 10))
			fprintf(stderr,
				"cpuhpctl: learn: note: %s:%u: kernel %s, the first "
				"recording's is %s\n",
				r->path, r->line, raw + 10, l->uname);
	} else if (sscanf(raw, "topology: sockets=%u cores=%u threads=%u", &a, &b, &c) ==
			   3 &&
		   a && b && c) {
		l->cpus = a * b * c;
		l->threads_per_core = c;
	} else if (sscanf(raw, "nproc: %u", &a) == 1 && !l->cpus) {
		l->cpus = a;
	} else if (sscanf(s, "smt/control: %31s", word) == 1 ||
		   sscanf(s, "smt/control=%31s", word) == 1) {
		snprintf(l->smt_control, sizeof(l->smt_control), "%s", word);
	} else if (starts(s, "cpu")) {
		cpu_line(r, s);
	}
}

/* ------------------------------------------------------------ the file */

static int block_line(struct reader *r, const char *raw)
{
	int n;

	if (starts(raw, "----- dmesg")) {
		r->in_dmesg = true;
		return 0;
	}
	if (starts(raw, "----- ")) {
		r->in_dmesg = false;
		r->in_trace = starts(raw, "----- trace");
		return 0;
	}
	if (r->in_dmesg)
		return 0;
	n = trace_line(r, raw);
	if (n)
		return n < 0 ? -1 : 0;
	if (r->in_listing) {
		n = listing_line(r, raw);
		if (n)
			return n < 0 ? -1 : 0;
		if (listing_end(r))
			return -1;
	}
	if (starts(raw, "--- hotplug/states")) {
		r->in_listing = true;
		r->listing_prev = -1;
		r->listing_nr = 0;
		return 0;
	}
	if (write_line(r, raw) < 0)
		return -1;
	info_line(r, raw);
	return 0;
}

static int read_lines(struct reader *r, FILE *f)
{
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n;
	int ret = 0;
	bool any = false;

	while (!ret && (n = getline(&buf, &cap, f)) >= 0) {
		r->line++;
		while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
			buf[--n] = '\0';
		if (starts(buf, "##### BEGIN ")) {
			if (r->in_block) {
				ret = error(r, "BEGIN inside a block: the block before "
					       "has no END (cut short?)");
				break;
			}
			r->in_block = any = true;
			r->block_line = r->line;
			snprintf(r->block, sizeof(r->block), "%s", buf + 12);
			new_block(r);
			continue;
		}
		if (starts(buf, "##### END ")) {
			if (!r->in_block) {
				ret = error(r, "END without BEGIN");
				break;
			}
			if (r->in_listing && listing_end(r))
				ret = -1;
			r->in_block = r->in_listing = false;
			continue;
		}
		if (!r->in_block && !any) {
			/* Header lines, or a file without blocks (one block). */
			info_line(r, buf);
		}
		if (r->in_block)
			ret = block_line(r, buf);
	}
	free(buf);
	if (ret)
		return ret;
	if (ferror(f))
		return error(r, "read error");
	if (r->in_block) {
		char msg[256];

		snprintf(msg, sizeof(msg),
			 "end of file inside block '%s' (begun at line %u): the "
			 "recording is cut short",
			 r->block, r->block_line);
		return error(r, msg);
	}
	if (!any)
		return error(r, "no \"##### BEGIN\" block: not a recording in the "
				"oracle format");
	return 0;
}

int learn_read_recording(struct learn *l, const char *path)
{
	struct reader r = { .l = l, .path = path };
	FILE *f = fopen(path, "r");
	size_t len = strlen(l->sources);
	int ret;

	if (!f) {
		ctl_err("learn: %s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	new_block(&r);
	ret = read_lines(&r, f);
	fclose(f);
	if (!ret && len + strlen(path) + 2 < sizeof(l->sources))
		snprintf(l->sources + len, sizeof(l->sources) - len, "%s%s",
			 len ? " " : "", path);
	return ret;
}

void learn_init(struct learn *l)
{
	int i;

	memset(l, 0, sizeof(*l));
	for (i = 0; i < LEARN_MAX_STATES; i++)
		l->st[i].up.multi = l->st[i].down.multi = -1;
	l->boot_cpu = -1;
	l->boot_cpu_target = -1;
	l->boot_cpu_online_file = -1;
}

void learn_free(struct learn *l)
{
	int i;

	for (i = 0; i < LEARN_MAX_STATES; i++) {
		free(l->st[i].up.sweep_where);
		free(l->st[i].down.sweep_where);
		free(l->st[i].fail_where);
	}
}

int learn_read_trace(struct learn *l, const char *path)
{
	struct reader r = { .l = l, .path = path };
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n;
	int ret = 0, events = 0;

	if (!f) {
		ctl_err("learn: %s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	new_block(&r);
	r.in_trace = true;
	while (!ret && (n = getline(&buf, &cap, f)) >= 0) {
		r.line++;
		while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
			buf[--n] = '\0';
		ret = trace_line(&r, buf);
		if (ret > 0)
			events++;
		ret = ret < 0 ? -1 : 0;
	}
	free(buf);
	if (!ret && ferror(f))
		ret = error(&r, "read error");
	fclose(f);
	if (!ret && !events) {
		r.line = 0;
		ret = error(&r, "no cpuhp trace events (enable events/cpuhp in "
				"/sys/kernel/tracing)");
	}
	return ret;
}
