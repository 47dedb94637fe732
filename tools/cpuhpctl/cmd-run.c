// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cmd-run.c - "cpuhpctl run FILE": run a script against one machine.
 *
 * The whole script is parsed first; if any line is bad nothing runs.  Each
 * command then prints its outcome on stdout; a failing write is an outcome,
 * not an error of the run.  States set up by a script get callbacks that do
 * nothing but return 0, under trace symbols derived from their names.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cpuhp/cpuhp.h>
#include <cpuhp/ledger.h>

#include "cpuhpctl.h"
#include "script.h"

/* A multi-instance node the script named as (STATE, ID); freed at exit. */
struct inst {
	struct inst *next;
	int state;
	struct cpuhp_node node;
	char id[];
};

struct runner {
	struct cpuhp *hp;
	struct inst *insts;
	bool *multi; /* per state: set up by the script as multi-instance */
	int nr_states;
};

/* ------------------------------------------------------ no-op callbacks */

static int noop_single(struct cpuhp *hp, unsigned int cpu, void *data)
{
	(void)hp;
	(void)cpu;
	(void)data;
	return 0;
}

static int noop_multi(struct cpuhp *hp, unsigned int cpu, struct cpuhp_node *node)
{
	(void)hp;
	(void)cpu;
	(void)node;
	return 0;
}

/* "test:foo" + "startup" -> "test_foo_startup", the trace's symbol. */
static void make_sym(char *dst, size_t len, const char *name, const char *suffix)
{
	size_t i;

	snprintf(dst, len, "%s_%s", name, suffix);
	for (i = 0; dst[i]; i++)
		if (!isalnum((unsigned char)dst[i]) && dst[i] != '_')
			dst[i] = '_';
}

/**
 * ctl_setup_noop - set up a state as the script's "setup" command does
 * @hp:      the machine
 * @state:   a static slot or a dynamic base
 * @name:    its name; the callbacks are traced as NAME_startup/NAME_teardown
 * @multi:   a multi-instance state
 * @nocalls: do not invoke the startups
 *
 * The callbacks do nothing and return 0 (cpuhpctl explore uses the same).
 * Context: not from a callback.
 * Return: as cpuhp_setup_state_desc().
 */
int ctl_setup_noop(struct cpuhp *hp, int state, const char *name, bool multi,
		   bool nocalls)
{
	return ctl_setup_noop_flags(hp, state, name, multi,
				    nocalls ? CPUHP_F_NOCALLS : 0);
}

/**
 * ctl_setup_noop_flags - ctl_setup_noop() with cpuhp_setup_state_desc()'s flags
 * @hp:    the machine
 * @state: as for cpuhp_setup_state_desc()
 * @name:  the state's name
 * @multi: a multi-instance state
 * @flags: CPUHP_F_NOCALLS, CPUHP_F_CPUSLOCKED (the caller holds the read lock)
 *
 * Context: as cpuhp_setup_state_desc().
 * Return: as cpuhp_setup_state_desc().
 */
int ctl_setup_noop_flags(struct cpuhp *hp, int state, const char *name, bool multi,
			 unsigned int flags)
{
	char start[128], tear[128];
	struct cpuhp_step_desc d = {
		.name = name,
		.startup_sym = start,
		.teardown_sym = tear,
		.multi_instance = multi,
	};

	make_sym(start, sizeof(start), name, "startup");
	make_sym(tear, sizeof(tear), name, "teardown");
	if (multi) {
		d.multi_startup = noop_multi;
		d.multi_teardown = noop_multi;
	} else {
		d.startup = noop_single;
		d.teardown = noop_single;
	}
	return cpuhp_setup_state_desc(hp, state, &d, flags);
}

static int resolve_state(struct cpuhp *hp, const char *s)
{
	if (!strcmp(s, "prepare-dyn"))
		return cpuhp_state_of(hp, CPUHP_BP_PREPARE_DYN);
	if (!strcmp(s, "online-dyn"))
		return cpuhp_state_of(hp, CPUHP_AP_ONLINE_DYN);
	return (int)strtol(s, NULL, 10); /* checked by the parser */
}

static bool is_multi(const struct runner *r, int state)
{
	return state >= 0 && state < r->nr_states && r->multi[state];
}

static void set_multi(struct runner *r, int state, bool multi)
{
	if (state >= 0 && state < r->nr_states)
		r->multi[state] = multi;
}

/* ------------------------------------------------------------ commands */

static void print_result(const char *what, const char *path, const char *value, int err)
{
	printf("%s %s", what, path);
	if (value)
		printf(" <- %s", value);
	if (err)
		printf(" : FAIL errno=%d (%s)\n", -err, strerror(-err));
	else
		printf(" : ok errno=0\n");
}

static void exec_write(struct runner *r, const struct script_cmd *c)
{
	print_result("write", c->path, c->shown,
		     cpuhp_ctl_write(r->hp, c->path, c->value));
}

static void exec_read(struct runner *r, const struct script_cmd *c)
{
	char *text;
	ssize_t n = ctl_read_text(r->hp, c->path, &text);

	if (n < 0) {
		print_result("read", c->path, NULL, (int)n);
		return;
	}
	fputs(text, stdout);
	free(text);
}

static void exec_print(struct runner *r, const struct script_cmd *c)
{
	(void)r;
	fputs(c->value, stdout);
}

/* Read a control file into buf without its newline; "n/a" if it fails. */
static int read_value(struct runner *r, const char *path, char *buf, size_t len)
{
	ssize_t n = cpuhp_ctl_read(r->hp, path, buf, len);

	if (n < 0) {
		snprintf(buf, len, "n/a");
		return (int)n;
	}
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* The per-CPU line of the oracle recordings. */
static void show_cpu(struct runner *r, const char *cpu)
{
	char path[64], online[16], state[16], target[16], fail[16];
	const char *name;
	int ret;

	snprintf(path, sizeof(path), "%s/hotplug/state", cpu);
	ret = read_value(r, path, state, sizeof(state));
	if (ret) {
		print_result("show", cpu, NULL, ret);
		return;
	}
	snprintf(path, sizeof(path), "%s/online", cpu);
	read_value(r, path, online, sizeof(online));
	snprintf(path, sizeof(path), "%s/hotplug/target", cpu);
	read_value(r, path, target, sizeof(target));
	snprintf(path, sizeof(path), "%s/hotplug/fail", cpu);
	read_value(r, path, fail, sizeof(fail));
	name = cpuhp_state_name(r->hp, atoi(state));
	printf("  %s: online=%s state=%s(%s) target=%s fail=%s\n", cpu, online, state,
	       name ? name : "", target, fail);
}

static void show_masks(struct runner *r)
{
	static const char *const files[] = { "possible", "present", "online", "offline" };
	char buf[256];
	size_t i;

	printf("  masks:");
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		read_value(r, files[i], buf, sizeof(buf));
		printf(" %s=%s", files[i], buf);
	}
	printf("\n");
}

static void exec_show(struct runner *r, const struct script_cmd *c)
{
	char control[32], active[16];

	if (!strcmp(c->name, "masks")) {
		show_masks(r);
	} else if (!strcmp(c->name, "smt")) {
		read_value(r, "smt/control", control, sizeof(control));
		read_value(r, "smt/active", active, sizeof(active));
		printf("  smt/control=%s smt/active=%s\n", control, active);
	} else {
		show_cpu(r, c->name);
	}
}

static void exec_setup(struct runner *r, const struct script_cmd *c)
{
	int state = resolve_state(r->hp, c->state);
	int ret = ctl_setup_noop(r->hp, state, c->name, c->multi, c->nocalls);

	printf("setup %s = %d\n", c->name, ret);
	if (ret >= 0)
		set_multi(r, ret > 0 ? ret : state, c->multi);
}

static void exec_remove(struct runner *r, const struct script_cmd *c)
{
	int state = resolve_state(r->hp, c->state), ret;

	if (is_multi(r, state))
		ret = cpuhp_remove_multi_state(r->hp, state);
	else if (c->nocalls)
		ret = cpuhp_remove_state_nocalls(r->hp, state);
	else
		ret = cpuhp_remove_state(r->hp, state);
	printf("remove %s = %d\n", c->state, ret);
	if (!ret)
		set_multi(r, state, false);
}

static struct inst *find_inst(struct runner *r, int state, const char *id)
{
	struct inst *in;

	for (in = r->insts; in; in = in->next)
		if (in->state == state && !strcmp(in->id, id))
			return in;
	in = calloc(1, sizeof(*in) + strlen(id) + 1);
	if (!in)
		return NULL;
	in->state = state;
	strcpy(in->id, id);
	in->next = r->insts;
	r->insts = in;
	return in;
}

static int instance_op(struct runner *r, const struct script_cmd *c, int state,
		       struct cpuhp_node *node)
{
	if (c->add && c->nocalls)
		return cpuhp_state_add_instance_nocalls(r->hp, state, node);
	if (c->add)
		return cpuhp_state_add_instance(r->hp, state, node);
	if (c->nocalls)
		return cpuhp_state_remove_instance_nocalls(r->hp, state, node);
	return cpuhp_state_remove_instance(r->hp, state, node);
}

static void exec_instance(struct runner *r, const struct script_cmd *c)
{
	int state = resolve_state(r->hp, c->state);
	struct inst *in = find_inst(r, state, c->name);
	int ret = in ? instance_op(r, c, state, &in->node) : -ENOMEM;

	printf("instance %s %s %s = %d\n", c->add ? "add" : "remove", c->state, c->name,
	       ret);
}

static void exec_ledger(struct runner *r, const struct script_cmd *c)
{
	int ret = cpuhp_ledger_enable(r->hp);

	(void)c;
	printf("ledger on = %d\n", ret);
}

/* The fault fires during a later command; violations fail the run at its end. */
static void exec_inject(struct runner *r, const struct script_cmd *c)
{
	struct cpuhp_fault f = {
		.cpu = c->cpu,
		.state = resolve_state(r->hp, c->state),
		.bringup = c->add,
		.instance = c->instance,
		.nth = c->nth,
		.action = CPUHP_FAULT_FAIL,
	};

	printf("inject %u %s %s = %d\n", c->cpu, c->state, c->add ? "up" : "down",
	       cpuhp_ledger_fault(r->hp, &f));
}

/* clang-format off */
static void (*const exec[NR_OPS])(struct runner *r, const struct script_cmd *c) = {
	[OP_WRITE] = exec_write,
	[OP_READ] = exec_read,
	[OP_PRINT] = exec_print,
	[OP_SHOW] = exec_show,
	[OP_SETUP] = exec_setup,
	[OP_REMOVE] = exec_remove,
	[OP_INSTANCE] = exec_instance,
	[OP_LEDGER] = exec_ledger,
	[OP_INJECT] = exec_inject,
};
/* clang-format on */

/* --------------------------------------------------------------- run */

static int runner_init(struct runner *r, struct cpuhp *hp)
{
	r->hp = hp;
	r->nr_states = cpuhp_state_of(hp, CPUHP_ONLINE) + 1;
	r->multi = calloc(r->nr_states > 0 ? (size_t)r->nr_states : 1, sizeof(*r->multi));
	return r->multi ? 0 : -ENOMEM;
}

/* After cpuhp_free(): the machine no longer links the nodes. */
static void runner_free(struct runner *r)
{
	struct inst *in, *next;

	for (in = r->insts; in; in = next) {
		next = in->next;
		free(in);
	}
	free(r->multi);
}

/* For cpuhpctl explore: run scenario commands against its own machines. */
struct runner *ctl_runner_new(struct cpuhp *hp)
{
	struct runner *r = calloc(1, sizeof(*r));

	if (r && runner_init(r, hp)) {
		free(r);
		r = NULL;
	}
	return r;
}

void ctl_runner_exec(struct runner *r, const struct script_cmd *c)
{
	exec[c->op](r, c);
}

/* Call after cpuhp_free() of the machine, which may still link the nodes. */
void ctl_runner_free(struct runner *r)
{
	if (!r)
		return;
	runner_free(r);
	free(r);
}

int ctl_run_script(struct cpuhpctl *ctl, FILE *f, const char *fname)
{
	struct script s = { 0 };
	struct runner r = { 0 };
	struct cpuhp *hp;
	size_t i;
	int ret = script_parse(f, fname, &s);

	if (ret) {
		ctl_err("%s: %s", fname, strerror(-ret));
		goto out;
	}
	if (s.errors) {
		ctl_err("%s: %u bad line%s, nothing run", fname, s.errors,
			s.errors > 1 ? "s" : "");
		ret = -EINVAL;
		goto out;
	}
	ret = ctl_machine(ctl, &hp);
	if (!ret)
		ret = runner_init(&r, hp);
	for (i = 0; !ret && i < s.nr; i++)
		exec[s.cmds[i].op](&r, &s.cmds[i]);
out:
	/* Release the machine before the nodes it may still link. */
	if (ctl_release(ctl) && !ret)
		ret = -EIO;
	runner_free(&r);
	script_free(&s);
	return ret ? CTL_EXIT_FAIL : CTL_EXIT_OK;
}

static int run(struct cpuhpctl *ctl, int argc, char *argv[])
{
	const char *path;
	FILE *f;
	int first, ret = cmd_args(&cmd_run, argc, argv, 1, 1, &first);

	if (ret != CMD_CONTINUE)
		return ret;
	path = argv[first];
	if (!strcmp(path, "-"))
		return ctl_run_script(ctl, stdin, "<stdin>");
	f = fopen(path, "r");
	if (!f) {
		ctl_err("cannot open %s: %s", path, strerror(errno));
		return CTL_EXIT_FAIL;
	}
	ret = ctl_run_script(ctl, f, path);
	fclose(f);
	return ret;
}

const struct cpuhpctl_cmd cmd_run = {
	.name = "run",
	.run = run,
	.args = "FILE",
	.summary = "run a script of control-file writes and reads (- = stdin)",
	.help = "One command per line; '#' starts a comment:\n"
		"  write PATH VALUE            write VALUE (no newline added); prints\n"
		"                              \"write PATH <- VALUE : ok errno=0\" or\n"
		"                              \"write PATH <- VALUE : FAIL errno=N (text)\"\n"
		"  echo [-n] VALUE > PATH      the same, VALUE followed by a newline (as a shell)\n"
		"  read PATH, cat PATH         print the file's text\n"
		"  echo [-n] TEXT...           print TEXT\n"
		"  show cpuN|masks|smt         print the recordings' summary line\n"
		"  setup STATE NAME [nocalls] [multi]\n"
		"                              install do-nothing callbacks, traced as\n"
		"                              NAME_startup / NAME_teardown; prints\n"
		"                              \"setup NAME = RESULT\"\n"
		"  remove STATE [nocalls]      prints \"remove STATE = RESULT\"\n"
		"  instance add|remove STATE ID [nocalls]\n"
		"                              prints \"instance add STATE ID = RESULT\"\n"
		"  ledger on                   record every callback and check the invariant\n"
		"                              ledger after every operation (docs/explore.md)\n"
		"  inject CPU STATE up|down [instance N] [nth N]\n"
		"                              fail that callback (-EAGAIN) when it next runs;\n"
		"                              turns the ledger on\n"
		"STATE is a number, prepare-dyn or online-dyn; RESULT the state, 0 or -errno.\n"
		"A callback in the wrong context or a ledger violation makes the exit status 1.\n"
		"The script is checked first: with a bad line nothing runs and the exit\n"
		"status is 1.  Failed writes do not change the exit status.\n",
};
