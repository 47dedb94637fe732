// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cmd-explore.c - "cpuhpctl explore": every fault point of every operation,
 * each on a fresh machine, checked by the ledger and the context checker.
 *
 * Phases: enumerate (each operation once without faults: its invocations
 * are the single fault points), single faults (each point failed once: the
 * invocations after the fault are the rollback's steps), double faults (a
 * first fault plus one in each rollback step, spec 3.10).
 *
 * Workers are forked processes, not threads: a point that crashes or hangs
 * takes only its worker down, and the parent names the exact point (it was
 * told which point began) and goes on with a fresh worker; each worker's
 * sanitizer leak check runs when it exits.  The parent never builds a
 * machine, so it stays single-threaded and forking is safe.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "explore-run.h"
#include "sched-explore.h"

enum {
	MSG_BEGIN,
	MSG_RESULT
};

struct msg {
	uint32_t type;
	uint32_t task;
	int32_t ret;
	int32_t err; /* xrun() failed to build the machine */
	uint32_t nviol;
	uint32_t fired;
	uint32_t known;
	uint32_t nkeys;
	uint32_t textlen;
};

/* ---- worker side ---- */

static void send_msg(int fd, const struct msg *m, const struct xout *out)
{
	if (!xwrite_all(fd, m, sizeof(*m)))
		_exit(3);
	if (m->nkeys && !xwrite_all(fd, out->keys, m->nkeys * sizeof(*out->keys)))
		_exit(3);
	if (m->textlen && !xwrite_all(fd, out->text, m->textlen))
		_exit(3);
}

static void worker_main(struct explorer *x, struct phase *ph, size_t first, int fd)
{
	int null = open("/dev/null", O_WRONLY);
	size_t i;

	/* Scenario commands print their outcomes: not our output. */
	if (null >= 0) {
		dup2(null, STDOUT_FILENO);
		close(null);
	}
	for (i = first; i < ph->n; i += x->stride) {
		const struct task *t = &ph->tasks[i];
		struct msg m = { .type = MSG_BEGIN, .task = (uint32_t)i };
		struct xout out = { 0 };

		send_msg(fd, &m, &out);
		alarm(x->timeout);
		m.err = xrun(&x->env, &x->ops[t->op], t->f, t->nfaults, &out);
		alarm(0);
		m.type = MSG_RESULT;
		m.ret = out.ret;
		m.nviol = out.nviol;
		m.fired = out.fired;
		m.known = out.known;
		m.nkeys = (uint32_t)out.nkeys;
		m.textlen = (uint32_t)out.len;
		send_msg(fd, &m, &out);
		xout_free(&out);
	}
	close(fd);
	exit(0); /* not _exit: the sanitizers' leak check runs at exit */
}

/* ---- parent side ---- */

static bool spawn(struct explorer *x, struct phase *ph, unsigned int k, size_t first)
{
	int p[2];
	pid_t pid;

	x->w[k].pid = 0;
	x->w[k].fd = -1;
	x->w[k].current = -1;
	if (first >= ph->n)
		return true;
	if (pipe(p))
		return false;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return false;
	}
	if (!pid) {
		unsigned int j;

		close(p[0]);
		for (j = 0; j < x->jobs; j++)
			if (j != k && x->w[j].fd >= 0)
				close(x->w[j].fd);
		worker_main(x, ph, first, p[1]);
	}
	close(p[1]);
	x->w[k].pid = pid;
	x->w[k].fd = p[0];
	x->w[k].next = first;
	return true;
}

static char *xstrdup_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *xstrdup_printf(const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	return s;
}

static void add_note(struct explorer *x, char *note)
{
	char **n = realloc(x->notes, (x->nnotes + 1) * sizeof(*n));

	if (!n || !note) {
		free(note);
		return;
	}
	x->notes = n;
	x->notes[x->nnotes++] = note;
}

static void finish_task(struct explorer *x, struct phase *ph, size_t i, bool pass,
			bool fired, char *text)
{
	struct result *r = &ph->res[i];

	r->done = true;
	r->pass = pass;
	r->fired = fired;
	r->text = text;
	ph->done++;
	ph->failed += !pass;
	ph->unfired += pass && !fired;
	(void)x;
}

static void store_keys(struct explorer *x, int phase, size_t task, const struct task *t,
		       struct xkey *keys, size_t n)
{
	if (phase == 0) {
		x->op_keys[t->op] = keys;
		x->op_nkeys[t->op] = n;
	} else if (phase == 1) {
		x->rb_keys[task] = keys;
		x->rb_nkeys[task] = n;
	} else {
		free(keys);
	}
}

/* One message from worker k; false when its pipe closed. */
static bool receive(struct explorer *x, struct phase *ph, int phase, unsigned int k)
{
	struct worker *w = &x->w[k];
	struct xkey *keys = NULL;
	char *text = NULL;
	struct msg m;

	if (!xread_all(w->fd, &m, sizeof(m)))
		return false;
	if (m.task >= ph->n)
		return false;
	if (m.type == MSG_BEGIN) {
		w->current = m.task;
		return true;
	}
	if (m.nkeys) {
		keys = malloc(m.nkeys * sizeof(*keys));
		if (!keys || !xread_all(w->fd, keys, m.nkeys * sizeof(*keys)))
			goto broken;
	}
	text = malloc((size_t)m.textlen + 1);
	if (!text || (m.textlen && !xread_all(w->fd, text, m.textlen)))
		goto broken;
	text[m.textlen] = '\0';
	if (m.err) {
		free(text);
		text = xstrdup_printf("  the machine could not be built: %s\n",
				      strerror(-m.err));
	}
	w->current = -1;
	w->next = m.task + x->stride;
	store_keys(x, phase, m.task, &ph->tasks[m.task], keys, m.nkeys);
	if (m.known && !m.err) {
		/* Passed as far as the model goes; listed apart (docs/explore.md). */
		ph->res[m.task].known = true;
		ph->known++;
		finish_task(x, ph, m.task, true, m.fired, text);
		return true;
	}
	finish_task(x, ph, m.task, !m.nviol && !m.err, m.fired,
		    m.nviol || m.err ? text : NULL);
	if (!m.nviol && !m.err)
		free(text);
	return true;
broken:
	free(keys);
	free(text);
	return false;
}

/* Worker k is gone: blame the point it was on, and carry on after it. */
static void reap(struct explorer *x, struct phase *ph, unsigned int k)
{
	struct worker *w = &x->w[k];
	char what[160];
	int status = 0;

	close(w->fd);
	w->fd = -1;
	waitpid(w->pid, &status, 0);
	w->pid = 0;
	if (w->current >= 0) {
		const char *why = "crashed";

		if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
			why = "hung (no answer within --timeout)";
		xdescribe_faults(x, &ph->tasks[w->current], what, sizeof(what));
		finish_task(x, ph, (size_t)w->current, false, true,
			    xstrdup_printf("  the point %s (%s %d)\n", why,
					   WIFSIGNALED(status) ? "signal" : "exit status",
					   WIFSIGNALED(status) ? WTERMSIG(status) :
								 WEXITSTATUS(status)));
		spawn(x, ph, k, (size_t)w->current + x->stride);
		return;
	}
	if (WIFEXITED(status) && !WEXITSTATUS(status))
		return;
	add_note(
		x,
		xstrdup_printf(
			"worker %u of the %s phase ended with %s %d between points (a leak or sanitizer report: see above)",
			k, ph->name, WIFSIGNALED(status) ? "signal" : "status",
			WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status)));
	/* Its stride goes on (nothing is left when it died at its end). */
	spawn(x, ph, k, w->next);
}

static int run_phase(struct explorer *x, struct phase *ph, int phase)
{
	struct pollfd pfd[MAX_JOBS];
	unsigned int k, n;
	double t0 = ctl_now();

	ph->res = calloc(ph->n ? ph->n : 1, sizeof(*ph->res));
	if (!ph->res)
		return -ENOMEM;
	x->stride = x->jobs;
	for (k = 0; k < x->jobs; k++)
		x->w[k].fd = -1;
	for (k = 0; k < x->jobs; k++)
		if (!spawn(x, ph, k, k))
			return -errno;
	for (;;) {
		for (n = 0, k = 0; k < x->jobs; k++) {
			pfd[k].fd = x->w[k].fd;
			pfd[k].events = POLLIN;
			n += x->w[k].fd >= 0;
		}
		if (!n)
			break;
		if (poll(pfd, x->jobs, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (k = 0; k < x->jobs; k++) {
			if (pfd[k].fd < 0 ||
			    !(pfd[k].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			if (!receive(x, ph, phase, k))
				reap(x, ph, k);
		}
		xprogress(x, ph, false);
	}
	xprogress(x, ph, true);
	ph->secs = ctl_now() - t0;
	return 0;
}

static bool add_task(struct phase *ph, const struct task *t)
{
	if (ph->n == ph->alloc) {
		size_t a = ph->alloc ? ph->alloc * 2 : 256;
		struct task *p = realloc(ph->tasks, a * sizeof(*p));

		if (!p)
			return false;
		ph->tasks = p;
		ph->alloc = a;
	}
	ph->tasks[ph->n++] = *t;
	return true;
}

/* ---- setup ---- */

static int read_scenario(struct explorer *x, const char *path)
{
	FILE *f = fopen(path, "r");
	size_t cap = 0;
	long len;
	int ret;

	if (!f) {
		ctl_err("explore: cannot open %s: %s", path, strerror(errno));
		return -errno;
	}
	ret = script_parse(f, path, &x->env.scenario);
	if (!ret && x->env.scenario.errors) {
		ctl_err("explore: %s: %u bad line%s", path, x->env.scenario.errors,
			x->env.scenario.errors > 1 ? "s" : "");
		ret = -EINVAL;
	}
	if (!ret &&
	    (fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)))
		ret = -EIO;
	if (!ret) {
		cap = (size_t)len;
		x->env.scenario_text = calloc(1, cap + 1);
		if (!x->env.scenario_text ||
		    fread(x->env.scenario_text, 1, cap, f) != cap)
			ret = -EIO;
	}
	fclose(f);
	return ret;
}

/* An option's decimal value in [@min, @max], or an error naming the option. */
bool xp_parse_number(const char *opt, const char *s, unsigned long min, unsigned long max,
		     unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || *out < min || *out > max) {
		ctl_err("explore: %s: bad number '%s'", opt, s);
		return false;
	}
	return true;
}

static bool parse_uint(const char *opt, const char *s, unsigned int min,
		       unsigned int *out)
{
	unsigned long v;

	if (!xp_parse_number(opt, s, min, 100000, &v))
		return false;
	*out = (unsigned int)v;
	return true;
}

static int parse_args(struct explorer *x, int argc, char *argv[], const char **scenario)
{
	static const struct option opts[] = {
		{ "scenario", required_argument, NULL, 's' },
		{ "double", no_argument, NULL, 'd' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "timeout", required_argument, NULL, 't' },
		{ "max-repro", required_argument, NULL, 'm' },
		{ "all-targets", no_argument, NULL, 'a' },
		{ "minimize", no_argument, NULL, 'M' },
		{ "instances", no_argument, NULL, 'I' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	long nproc = sysconf(_SC_NPROCESSORS_ONLN);
	int c, first;

	x->jobs = nproc > 0 ? (unsigned int)nproc : 1;
	x->timeout = 60;
	x->max_repro = 10;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:j:h", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			*scenario = optarg;
			break;
		case 'd':
			x->double_faults = true;
			break;
		case 'a':
			x->all_targets = true;
			break;
		case 'M':
			x->minimize = true;
			break;
		case 'I':
			x->instances = true;
			break;
		case 'j':
			if (!parse_uint("-j", optarg, 1, &x->jobs))
				return CTL_EXIT_USAGE;
			break;
		case 't':
			if (!parse_uint("--timeout", optarg, 1, &x->timeout))
				return CTL_EXIT_USAGE;
			break;
		case 'm':
			if (!parse_uint("--max-repro", optarg, 0, &x->max_repro))
				return CTL_EXIT_USAGE;
			break;
		case 'h':
			cmd_usage(&cmd_explore, stdout);
			return CTL_EXIT_OK;
		default:
			return cmd_bad_option(&cmd_explore, c, argv);
		}
	}
	if (cmd_operands(&cmd_explore, argc, 0, 0, &first) != CMD_CONTINUE)
		return CTL_EXIT_USAGE;
	if (x->jobs > MAX_JOBS)
		x->jobs = MAX_JOBS;
	return CMD_CONTINUE;
}

/* Phase 1's tasks from phase 0's keys; phase 2's from phase 1's. */
static bool plan(struct explorer *x, struct phase *ph, int phase)
{
	const struct phase *prev = &ph[phase - 1];
	size_t i, j;

	for (i = 0; i < prev->n; i++) {
		const struct task *t = &prev->tasks[i];
		struct xkey *keys = phase == 1 ? x->op_keys[t->op] : x->rb_keys[i];
		size_t n = phase == 1 ? x->op_nkeys[t->op] : x->rb_nkeys[i];

		if (phase == 2 && !prev->res[i].pass)
			continue; /* already a violation: its rollback is not the spec's */
		for (j = 0; j < n; j++) {
			struct task nt = *t;

			nt.f[nt.nfaults++] = keys[j];
			if (!add_task(&ph[phase], &nt))
				return false;
		}
	}
	return true;
}

static void cleanup(struct explorer *x, struct phase *ph, size_t nph)
{
	size_t p, i;

	for (p = 0; p < nph; p++) {
		for (i = 0; ph[p].res && i < ph[p].n; i++)
			free(ph[p].res[i].text);
		free(ph[p].res);
		free(ph[p].tasks);
	}
	for (i = 0; i < x->nops; i++)
		free(x->op_keys ? x->op_keys[i] : NULL);
	for (i = 0; x->rb_keys && i < ph[1].n; i++)
		free(x->rb_keys[i]);
	free(x->op_keys);
	free(x->op_nkeys);
	free(x->rb_keys);
	free(x->rb_nkeys);
	for (i = 0; i < x->nnotes; i++)
		free(x->notes[i]);
	free(x->notes);
	script_free(&x->env.scenario);
	free(x->env.scenario_text);
}

/* --all-targets: the states the machine lets hotplug/target stop at. */
static int list_targets(struct explorer *x)
{
	int ret = xtargets_list(&x->env.cfg, x->targets, MAX_TARGETS, &x->ntargets);

	if (ret) {
		ctl_err("explore: --all-targets: could not list the targets: %s",
			strerror(-ret));
		return CTL_EXIT_FAIL;
	}
	if (!x->ntargets) {
		ctl_err("explore: --all-targets: this machine's hotplug/target accepts only 0 "
			"and ONLINE (use --config CPU_HOTPLUG_STATE_CONTROL=y)");
		return CTL_EXIT_USAGE;
	}
	return CMD_CONTINUE;
}

static int explore(struct cpuhpctl *ctl, int argc, char *argv[])
{
	struct explorer *x = calloc(1, sizeof(*x));
	struct phase ph[3] = { { .name = "enumerate" },
			       { .name = "single faults" },
			       { .name = "double faults" } };
	const char *scenario = NULL;
	size_t nph, i, bad;
	double t0 = ctl_now();
	int ret;

	if (!x) {
		ctl_err("out of memory");
		return CTL_EXIT_FAIL;
	}
	/* The schedule explorer is a mode of its own (cmd-sched.c). */
	for (i = 1; i < (size_t)argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--schedules")) {
			free(x);
			return xsched_main(ctl, argc, argv);
		}
	ret = parse_args(x, argc, argv, &scenario);
	if (ret != CMD_CONTINUE)
		goto out_free;
	x->env.cfg = ctl->cfg;
	x->env.ctl = ctl;
	x->tty = isatty(STDERR_FILENO);
	ret = CTL_EXIT_FAIL;
	if (scenario && read_scenario(x, scenario))
		goto out_reported;
	if (x->all_targets) {
		ret = list_targets(x);
		if (ret != CMD_CONTINUE)
			goto out_reported;
		ret = CTL_EXIT_FAIL;
	}
	x->nops = xops_build(&ctl->cfg, x->targets, x->ntargets, x->instances, x->ops,
			     MAX_OPS);
	x->op_keys = calloc(x->nops, sizeof(*x->op_keys));
	x->op_nkeys = calloc(x->nops, sizeof(*x->op_nkeys));
	if (!x->op_keys || !x->op_nkeys)
		goto out;
	for (i = 0; i < x->nops; i++)
		if (!add_task(&ph[0], &(struct task){ .op = (unsigned int)i }))
			goto out;
	nph = x->double_faults ? 3 : 2;
	if (run_phase(x, &ph[0], 0) || !plan(x, ph, 1))
		goto out;
	x->rb_keys = calloc(ph[1].n ? ph[1].n : 1, sizeof(*x->rb_keys));
	x->rb_nkeys = calloc(ph[1].n ? ph[1].n : 1, sizeof(*x->rb_nkeys));
	if (!x->rb_keys || !x->rb_nkeys || run_phase(x, &ph[1], 1))
		goto out;
	if (nph > 2 && (!plan(x, ph, 2) || run_phase(x, &ph[2], 2)))
		goto out;
	bad = xreport_violations(x, ph, nph);
	xsummary(x, ph, nph, ctl_now() - t0);
	printf("%s: %zu violation%s\n", bad ? "FAIL" : "PASS", bad, bad == 1 ? "" : "s");
	ret = bad ? CTL_EXIT_FAIL : CTL_EXIT_OK;
out:
	if (ret == CTL_EXIT_FAIL && !ph[1].res)
		ctl_err("explore: could not run: %s", strerror(errno ? errno : EIO));
out_reported:
	cleanup(x, ph, 3);
out_free:
	free(x);
	return ret;
}

const struct cpuhpctl_cmd cmd_explore = {
	.name = "explore",
	.run = explore,
	.args = "[--scenario FILE] [--double] [--all-targets] [--minimize] [--instances] [-j N] [--timeout S] [--max-repro N]\n"
		"       explore --schedules [--preemptions K] [--ops \"A;B[;C]\" [--replay S]] [--max-schedules N] [--max-points N] [--max-repro N] [-j N]",
	.summary = "inject a failure at every fault point and check every invariant",
	.help = "For the machine given by the options, every operation (cpu up and down through\n"
		"cpuN/online and hotplug/target, setting up a PREPARE, ONLINE and STARTING state,\n"
		"adding an instance, smt/control off and on) runs once per invocation it makes,\n"
		"on a fresh machine, with that invocation failing (-EAGAIN).  The ledger and the\n"
		"context checker judge each run (docs/explore.md).\n"
		"  --scenario FILE  a cpuhpctl script run on every machine first (your states)\n"
		"  --double         also fail each step of every resulting rollback\n"
		"  --all-targets    also write every state hotplug/target accepts, not only 0\n"
		"                   and ONLINE (needs --config CPU_HOTPLUG_STATE_CONTROL=y)\n"
		"  --minimize       shrink each printed reproducer to the fewest script lines\n"
		"                   that still break the same rule\n"
		"  --instances      the multi-instance CPU down/up also holds two instances in\n"
		"                   a STARTING state (PREPARE and ONLINE ones are default)\n"
		"  -j, --jobs N     worker processes (default: the number of online CPUs)\n"
		"  --timeout S      a point that takes longer is reported as a hang (default 60)\n"
		"  --max-repro N    print at most N violations with their scripts (default 10)\n"
		"Prints a summary table; for each violation a script that reproduces it with\n"
		"'cpuhpctl ... run FILE'.  Exit status 1 on any violation.\n"
		"\n"
		"With --schedules, two or three operations run concurrently under the\n"
		"deterministic scheduler, once per schedule with at most K preemptions\n"
		"(docs/explore.md, \"Schedules\"); each run is checked by the ledger, the\n"
		"context checker, the library's lock and hand-off warnings, and for deadlock\n"
		"and livelock.  Without --ops, every pair of the default operations.\n"
		"  --preemptions K  at most K preemptions per schedule (default 2)\n"
		"  --ops \"A;B\"      the operations to race (below; N: a CPU, default the last)\n"
		"  --replay S       run the one schedule S printed with a violation\n"
		"  --max-schedules N  stop each set of operations after N schedules\n"
		"  --max-points N   scheduling points before a run is a livelock (default 1000000)\n"
		"  -j, --jobs N     processes for the default pairs, each pinned to one CPU (default 1)\n"
		"Operations: down[:N] up[:N] target-down[:N] target-up[:N] fail[:N] setup\n"
		"  setup-prepare setup-nocalls setup-multi remove remove-prepare remove-nocalls\n"
		"  add-instance remove-instance smt-off smt-on\n"
		"Ends with \"schedules: N, violations: V\"; exit status 1 when V > 0.\n",
};
