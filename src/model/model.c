// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * model.c - load a model (state layout, boundaries, switches) into a machine.
 *
 * The loader is strict: any line it does not understand fails the load with
 * -EINVAL and a log line naming the line, so a typo never silently changes
 * the state machine.  It owns hp->steps[] allocation and hp->b.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine/log.h"
#include "model/model.h"
#include "model/models.h"

#define MODEL_MAX_STATES 4096
#define MODEL_MAX_INSTANCES 64

struct bound_role {
	const char *name;
	size_t off;
};

#define ROLE(n, f)                                  \
	{                                           \
		n, offsetof(struct cpuhp_bounds, f) \
	}
static const struct bound_role roles[] = {
	ROLE("OFFLINE", offline),
	ROLE("CREATE_THREADS", create_threads),
	ROLE("BP_PREPARE_DYN", prepare_dyn),
	ROLE("BP_PREPARE_DYN_END", prepare_dyn_end),
	ROLE("BP_KICK_AP", kick_ap),
	ROLE("BRINGUP_CPU", bringup_cpu),
	ROLE("AP_IDLE_DEAD", ap_idle_dead),
	ROLE("AP_OFFLINE", ap_offline),
	ROLE("AP_SCHED_STARTING", ap_sched_starting),
	ROLE("AP_ONLINE", ap_online),
	ROLE("TEARDOWN_CPU", teardown_cpu),
	ROLE("AP_ONLINE_IDLE", ap_online_idle),
	ROLE("AP_SCHED_WAIT_EMPTY", ap_sched_wait_empty),
	ROLE("AP_SMPBOOT_THREADS", ap_smpboot_threads),
	ROLE("AP_ONLINE_DYN", online_dyn),
	ROLE("AP_ONLINE_DYN_END", online_dyn_end),
	ROLE("AP_ACTIVE", ap_active),
	ROLE("ONLINE", online),
};

static int *bound_field(struct cpuhp_bounds *b, const char *role)
{
	size_t i;

	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (!strcmp(roles[i].name, role))
			return (int *)(void *)((char *)b + roles[i].off);
	return NULL;
}

/* A pending "state" line, applied once the table size is known. */
struct state_line {
	int num;
	char name[CPUHP_NAME_MAX];
	char startup[CPUHP_NAME_MAX];
	char teardown[CPUHP_NAME_MAX];
	bool cant_stop;
	unsigned int instances;
	bool multi;
};

struct loader {
	struct cpuhp *hp;
	struct state_line *lines;
	unsigned int nr_lines, cap;
	unsigned int lineno;
};

static int bad(struct loader *ld, const char *what, const char *tok)
{
	cpuhp_err(ld->hp, "model line %u: %s '%s'", ld->lineno, what, tok ? tok : "");
	return -EINVAL;
}

static bool parse_int(const char *s, int lo, int hi, int *out)
{
	char *end;
	long v;

	if (!*s || !(isdigit((unsigned char)*s) || *s == '-'))
		return false;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return false;
	*out = (int)v;
	return true;
}

static int copy_tok(char *dst, const char *src)
{
	size_t n = strlen(src);

	if (n == 0 || n >= CPUHP_NAME_MAX)
		return -EINVAL;
	memcpy(dst, src, n + 1);
	return 0;
}

static int parse_state(struct loader *ld, char **tok, int ntok)
{
	struct state_line *sl;
	int i, v;

	if (ntok < 3 || !parse_int(tok[1], 0, MODEL_MAX_STATES - 1, &v))
		return bad(ld, "bad state line", tok[1]);
	if (ld->nr_lines == ld->cap) {
		unsigned int cap = ld->cap ? ld->cap * 2 : 64;
		struct state_line *n = realloc(ld->lines, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		ld->lines = n;
		ld->cap = cap;
	}
	sl = &ld->lines[ld->nr_lines];
	memset(sl, 0, sizeof(*sl));
	sl->num = v;
	if (copy_tok(sl->name, tok[2]))
		return bad(ld, "bad state name", tok[2]);
	for (i = 3; i < ntok; i++) {
		if (!strncmp(tok[i], "startup=", 8)) {
			if (copy_tok(sl->startup, tok[i] + 8))
				return bad(ld, "bad symbol", tok[i]);
		} else if (!strncmp(tok[i], "teardown=", 9)) {
			if (copy_tok(sl->teardown, tok[i] + 9))
				return bad(ld, "bad symbol", tok[i]);
		} else if (!strcmp(tok[i], "cant_stop")) {
			sl->cant_stop = true;
		} else if (!strncmp(tok[i], "multi=", 6)) {
			if (!parse_int(tok[i] + 6, 0, MODEL_MAX_INSTANCES, &v))
				return bad(ld, "bad instance count", tok[i]);
			sl->multi = true;
			sl->instances = (unsigned int)v;
		} else {
			return bad(ld, "unknown state attribute", tok[i]);
		}
	}
	ld->nr_lines++;
	return 0;
}

/* "boot early|late STATE calls|nocalls": set up during boot (boot-states.c). */
static int parse_boot(struct loader *ld, char **tok, int ntok)
{
	struct cpuhp *hp = ld->hp;
	struct cpuhp_boot_reg *r;
	int v;

	if (ntok != 4 || (strcmp(tok[1], "early") && strcmp(tok[1], "late")) ||
	    !parse_int(tok[2], 1, MODEL_MAX_STATES - 1, &v) ||
	    (strcmp(tok[3], "calls") && strcmp(tok[3], "nocalls")))
		return bad(ld, "want 'boot early|late STATE calls|nocalls', not", tok[1]);
	r = realloc(hp->boot_regs, (hp->nr_boot_regs + 1) * sizeof(*r));
	if (!r)
		return -ENOMEM;
	hp->boot_regs = r;
	r = &r[hp->nr_boot_regs++];
	memset(r, 0, sizeof(*r));
	r->state = v;
	r->late = tok[1][0] == 'l';
	r->calls = tok[3][0] == 'c';
	return 0;
}

struct switch_desc {
	const char *name;
	size_t off;
	bool inv; /* "NAME=y" clears the field: a bug switch that undoes a fix */
};

#define SW(n, f)                                            \
	{                                                   \
		n, offsetof(struct cpuhp_kconfig, f), false \
	}
#define BUG_UNFIX(n, f)                                    \
	{                                                  \
		n, offsetof(struct cpuhp_kconfig, f), true \
	}
static const struct switch_desc config_switches[] = {
	SW("HOTPLUG_CPU", hotplug_cpu),
	SW("CPU_HOTPLUG_STATE_CONTROL", state_control),
	SW("HOTPLUG_SMT", hotplug_smt),
	SW("HOTPLUG_SPLIT_STARTUP", split_startup),
	SW("HOTPLUG_CORE_SYNC_FULL", core_sync),
	{ NULL, 0, false },
};
static const struct switch_desc quirks[] = {
	SW("nofail_continue", nofail_continue),
	SW("boot_target_online", boot_target_online),
	SW("target_equal_nop", target_equal_nop),
	SW("prepare_dyn_invokes", prepare_dyn_invokes),
	SW("boot_cpu_hotpluggable", boot_cpu_hotpluggable),
	SW("mi_error_fix", mi_error_fix),
	SW("boot_counts_online", boot_counts_online),
	SW("down_in_worker", down_in_worker),
	SW("smt_control_v61", smt_control_v61),
	SW("rollback_on_control", rollback_on_control),
	/* Test only: a lock dropped on purpose, for the schedule explorer's self-test. */
	SW("test_states_unlocked", test_states_unlocked),
	/* The bug zoo (docs/bug-zoo.md); the ones that undo a fix quirk alias it. */
	SW("bug_hotplug_cpu_n_rollback", rollback_on_control),
	SW("bug_takedown_no_rollback", bug_takedown_no_rollback),
	SW("bug_dyn_remove", bug_dyn_remove),
	SW("bug_maxcpus0_all", bug_maxcpus0_all),
	SW("bug_bringup_mask_short", bug_bringup_mask_short),
	SW("bug_calls_unserialized", bug_calls_unserialized),
	BUG_UNFIX("bug_target_equal_down", target_equal_nop),
	BUG_UNFIX("bug_boot_cpu_target0", boot_target_online),
	BUG_UNFIX("bug_nofail_abort", nofail_continue),
	BUG_UNFIX("bug_prepare_dyn_nocalls", prepare_dyn_invokes),
	BUG_UNFIX("bug_mi_error_swallow", mi_error_fix),
	{ NULL, 0, false },
};

/* A bug switch turned on: it changes the behaviour, not the expectations. */
static bool bug_on(const char *assign, size_t n, char value)
{
	return value == 'y' && n > 4 && !strncmp(assign, "bug_", 4);
}

static void set_field(struct cpuhp_kconfig *kc, size_t off, bool v)
{
	*(bool *)(void *)((char *)kc + off) = v;
}

/*
 * Set "NAME=y|n" in @hp's config, and in its declared config unless it turns
 * a bug on; shared with the kconfig option parser.
 */
int cpuhp__set_switch(struct cpuhp *hp, bool quirk, const char *assign)
{
	const struct switch_desc *d = quirk ? quirks : config_switches;
	const char *eq = strchr(assign, '=');
	size_t n;

	if (!eq || (strcmp(eq + 1, "y") && strcmp(eq + 1, "n")))
		return -EINVAL;
	n = (size_t)(eq - assign);
	if (!quirk && n > 7 && !strncmp(assign, "CONFIG_", 7)) {
		assign += 7;
		n -= 7;
	}
	for (; d->name; d++) {
		if (strlen(d->name) == n && !strncmp(d->name, assign, n)) {
			bool v = (eq[1] == 'y') != d->inv;

			set_field(&hp->kc, d->off, v);
			if (!bug_on(assign, n, eq[1]))
				set_field(&hp->declared, d->off, v);
			return 0;
		}
	}
	return -EINVAL;
}

static int parse_line(struct loader *ld, char *line)
{
	char *tok[16], *save = NULL, *p;
	int ntok = 0, v, *field;

	p = strchr(line, '#');
	if (p)
		*p = '\0';
	for (p = strtok_r(line, " \t\r", &save); p; p = strtok_r(NULL, " \t\r", &save)) {
		if (ntok == 16)
			return bad(ld, "too many words", p);
		tok[ntok++] = p;
	}
	if (!ntok)
		return 0;
	if (!strcmp(tok[0], "model")) {
		if (ntok != 2 || strlen(tok[1]) >= sizeof(ld->hp->model_name))
			return bad(ld, "bad model line", tok[0]);
		strcpy(ld->hp->model_name, tok[1]);
		return 0;
	}
	if (!strcmp(tok[0], "bound")) {
		if (ntok != 3)
			return bad(ld, "bad bound line", tok[0]);
		field = bound_field(&ld->hp->b, tok[1]);
		if (!field)
			return bad(ld, "unknown boundary", tok[1]);
		if (!parse_int(tok[2], 0, MODEL_MAX_STATES - 1, &v))
			return bad(ld, "bad state number", tok[2]);
		*field = v;
		return 0;
	}
	if (!strcmp(tok[0], "config") || !strcmp(tok[0], "quirk")) {
		if (ntok != 2 || cpuhp__set_switch(ld->hp, tok[0][0] == 'q', tok[1]))
			return bad(ld, "bad switch", tok[1]);
		return 0;
	}
	if (!strcmp(tok[0], "state"))
		return parse_state(ld, tok, ntok);
	if (!strcmp(tok[0], "boot"))
		return parse_boot(ld, tok, ntok);
	return bad(ld, "unknown directive", tok[0]);
}

/* The boundaries must be in the kernel's order, or the walker's rules break. */
static int check_bounds(struct loader *ld)
{
	const struct cpuhp_bounds *b = &ld->hp->b;
	int order[] = { b->offline,         b->create_threads, b->prepare_dyn,
			b->prepare_dyn_end, b->bringup_cpu,    b->ap_idle_dead,
			b->ap_offline,      b->ap_online,      b->teardown_cpu,
			b->ap_online_idle,  b->online_dyn,     b->online_dyn_end,
			b->ap_active,       b->online };
	/* The role of each entry of order[], for the message. */
	static const char *const names[] = {
		"OFFLINE",      "CREATE_THREADS", "BP_PREPARE_DYN", "BP_PREPARE_DYN_END",
		"BRINGUP_CPU",  "AP_IDLE_DEAD",   "AP_OFFLINE",     "AP_ONLINE",
		"TEARDOWN_CPU", "AP_ONLINE_IDLE", "AP_ONLINE_DYN",  "AP_ONLINE_DYN_END",
		"AP_ACTIVE",    "ONLINE"
	};
	char what[96];
	size_t i;

	_Static_assert(sizeof(order) / sizeof(order[0]) ==
			       sizeof(names) / sizeof(names[0]),
		       "one name per boundary");
	if (b->offline != 0)
		return bad(ld, "OFFLINE must be 0", NULL);
	for (i = 1; i < sizeof(order) / sizeof(order[0]); i++)
		if (order[i] <= order[i - 1]) {
			snprintf(what, sizeof(what), "%s (%d) is not above %s (%d)",
				 names[i], order[i], names[i - 1], order[i - 1]);
			return bad(ld, "boundaries out of order:", what);
		}
	if (b->bringup_cpu + 1 != b->ap_idle_dead ||
	    b->ap_online + 1 != b->teardown_cpu ||
	    b->teardown_cpu + 1 != b->ap_online_idle)
		return bad(ld, "core boundaries must be adjacent", NULL);
	if (b->kick_ap >= 0 && b->kick_ap != b->bringup_cpu - 1)
		return bad(ld, "BP_KICK_AP must precede BRINGUP_CPU", NULL);
	return 0;
}

/*
 * The core states get their behaviour from the symbols the model names
 * (cpuhp__bind_core_callbacks): a core state without its line or symbol
 * would load and then silently never kick, boot or take a CPU down (found
 * by fuzzing: every bring-up then waits out the alive handshake's timeout);
 * one marked multi-instance is never called without instances (found too:
 * no CPU thread is created and the bring-up waits forever).
 */
static int check_core_states(struct cpuhp *hp)
{
	const struct cpuhp_bounds *b = &hp->b;
	const struct {
		int state;
		bool up, down;
	} core[] = {
		{ b->create_threads, true, false }, { b->kick_ap, true, false },
		{ b->bringup_cpu, true, true },     { b->teardown_cpu, false, true },
		{ b->ap_active, true, true },
	};
	size_t i;

	for (i = 0; i < sizeof(core) / sizeof(core[0]); i++) {
		const struct cpuhp_step *sp;

		if (core[i].state < 0)
			continue;
		sp = cpuhp__step(hp, core[i].state);
		if (!sp->name || sp->multi_instance ||
		    (core[i].up && !sp->startup_sym[0]) ||
		    (core[i].down && !sp->teardown_sym[0])) {
			cpuhp_err(
				hp,
				"model: core state %d needs a single-instance line with "
				"its callback symbols",
				core[i].state);
			return -EINVAL;
		}
	}
	return 0;
}

static int apply_line(struct cpuhp *hp, const struct state_line *sl)
{
	struct cpuhp_step *sp;
	unsigned int i;

	if (sl->num > hp->b.online)
		return -EINVAL;
	sp = cpuhp__step(hp, sl->num);
	if (sp->name)
		return -EEXIST;
	sp->name = strdup(sl->name);
	if (!sp->name)
		return -ENOMEM;
	strcpy(sp->startup_sym, sl->startup);
	strcpy(sp->teardown_sym, sl->teardown);
	sp->cant_stop = sl->cant_stop;
	sp->multi_instance = sl->multi;
	sp->builtin = true;
	sp->core = (sl->startup[0] || sl->teardown[0]) ? CORE_NOOP : CORE_NONE;
	for (i = 0; sl->multi && i < sl->instances; i++) {
		struct cpuhp_node *n = &hp->builtin_nodes[hp->nr_builtin_nodes++];

		n->next = sp->list;
		n->pprev = &sp->list;
		if (sp->list)
			sp->list->pprev = &n->next;
		sp->list = n;
	}
	return 0;
}

static int build_table(struct loader *ld)
{
	struct cpuhp *hp = ld->hp;
	unsigned int i, nodes = 0;
	int err;

	/*
	 * One empty guard step past ONLINE.  A target write of a CPU's own
	 * state on a model without target_equal_nop is a cpu_down() that can
	 * return the stale result of the CPU's last failed single callback;
	 * its rollback then starts one state above ONLINE, and the kernel
	 * reads one entry past its state table there (docs/linux-6.1.md).
	 * With the guard that walk finds nothing to run, as the kernel's does
	 * when the memory after its table is zero.
	 */
	hp->steps = calloc((size_t)hp->b.online + 2, sizeof(*hp->steps));
	for (i = 0; i < ld->nr_lines; i++)
		nodes += ld->lines[i].instances;
	hp->builtin_nodes = calloc(nodes ? nodes : 1, sizeof(*hp->builtin_nodes));
	if (!hp->steps || !hp->builtin_nodes)
		return -ENOMEM;
	for (i = 0; i < ld->nr_lines; i++) {
		ld->lineno = 0;
		err = apply_line(hp, &ld->lines[i]);
		if (err == -ENOMEM)
			return err;
		if (err) {
			cpuhp_err(hp,
				  "model: state %d ('%s') is out of range or duplicated",
				  ld->lines[i].num, ld->lines[i].name);
			return -EINVAL;
		}
	}
	return 0;
}

/* A boot-registered state is a plain named single-instance built-in state. */
static int check_boot(struct cpuhp *hp)
{
	const struct cpuhp_bounds *b = &hp->b;
	unsigned int i, j;

	for (i = 0; i < hp->nr_boot_regs; i++) {
		int s = hp->boot_regs[i].state;
		const struct cpuhp_step *sp = s < b->online ? cpuhp__step(hp, s) : NULL;

		for (j = 0; j < i; j++)
			if (hp->boot_regs[j].state == s)
				sp = NULL;
		if (!sp || !sp->name || sp->multi_instance || s == b->create_threads ||
		    s == b->kick_ap || s == b->bringup_cpu || s == b->teardown_cpu ||
		    s == b->ap_active || cpuhp__is_atomic_state(hp, s)) {
			cpuhp_err(
				hp,
				"model: boot state %d: not a plain built-in state, or twice",
				s);
			return -EINVAL;
		}
	}
	return 0;
}

static int load_text(struct cpuhp *hp, const char *text)
{
	struct loader ld = { .hp = hp };
	const char *p = text;
	char line[512];
	int err = 0;

	memset(&hp->b, 0xff, sizeof(hp->b)); /* every role -1 until set */
	while (*p && !err) {
		size_t n = strcspn(p, "\n");

		ld.lineno++;
		if (n >= sizeof(line)) {
			err = bad(&ld, "line too long", NULL);
			break;
		}
		memcpy(line, p, n);
		line[n] = '\0';
		err = parse_line(&ld, line);
		p += n + (p[n] == '\n');
	}
	if (!err) {
		int *f = &hp->b.offline;
		size_t i;

		for (i = 0; i < sizeof(hp->b) / sizeof(int); i++)
			if (f[i] < 0 && (int *)&f[i] != &hp->b.kick_ap)
				err = bad(&ld, "missing boundary", roles[i].name);
	}
	if (!err)
		err = check_bounds(&ld);
	if (!err)
		err = build_table(&ld);
	if (!err)
		err = check_boot(hp);
	if (!err)
		err = check_core_states(hp);
	free(ld.lines);
	return err;
}

const char *cpuhp__builtin_model_text(const char *name)
{
	const struct cpuhp_builtin_model *m;

	for (m = cpuhp__builtin_models; m->name; m++)
		if (!strcmp(m->name, name))
			return m->text;
	return NULL;
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f)
		return NULL;
	do {
		if (len + 4096 + 1 > cap) {
			char *nb;

			cap = cap ? cap * 2 : 8192;
			if (cap > (1u << 24) || !(nb = realloc(buf, cap))) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, 4096, f);
		len += n;
	} while (n > 0);
	fclose(f);
	buf[len] = '\0';
	return buf;
}

/**
 * cpuhp__model_load - load a built-in model by name or a model file by path
 * @hp:           machine under construction (log hook set, steps unset)
 * @name_or_path: "mainline", "linux-6.1-x86", or a path containing '/'
 *
 * Return: 0, -EINVAL (unknown model or bad file), -ENOENT, -ENOMEM.
 */
int cpuhp__model_load(struct cpuhp *hp, const char *name_or_path)
{
	const char *text;
	char *owned = NULL;
	int err;

	if (strchr(name_or_path, '/')) {
		owned = read_file(name_or_path);
		if (!owned) {
			cpuhp_err(hp, "cannot read model file '%s'", name_or_path);
			return -ENOENT;
		}
		text = owned;
	} else {
		text = cpuhp__builtin_model_text(name_or_path);
		if (!text) {
			cpuhp_err(hp, "unknown model '%s'", name_or_path);
			return -EINVAL;
		}
	}
	err = load_text(hp, text);
	free(owned);
	return err;
}
