// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cmd-sched.c - cpuhpctl explore --schedules: race two or three operations
 * under every schedule with at most K preemptions (sched-dfs.c), for the
 * operations given with --ops or for every pair of the default set, and
 * report each violation with the string that replays its schedule.
 */
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sched-explore.h"

#define MAX_DEFAULT_OPS 16

struct sched_cmd {
	struct cpuhp_config cfg;
	unsigned int preemptions, max_repro;
	unsigned long max_schedules, max_points;
	const char *ops, *replay;
	bool tty;
	unsigned int jobs;
	FILE *out; /* stdout, or a pair's file in a worker process */
	/* totals */
	unsigned long schedules, violations, printed;
	const char *pair_name; /* for the progress line */
	unsigned int pair_i, pair_n;
	char argv0_opts[256]; /* the machine options, for replay commands */
};

static void silent(void *data, int priority, const char *file, int line, const char *fn,
		   const char *fmt, va_list ap)
{
	(void)data;
	(void)priority;
	(void)file;
	(void)line;
	(void)fn;
	(void)fmt;
	(void)ap;
}

static void found(const struct sx_pair *p, const struct sx_result *r,
		  const struct cpuhp_sched_choice *c, size_t n, void *data)
{
	struct sched_cmd *sc = data;
	char name[128];

	if (sc->printed++ >= sc->max_repro)
		return;
	sx_pair_name(p, name, sizeof(name));
	if (sc->tty)
		fputs("\r\033[K", stderr);
	fprintf(sc->out,
		"VIOLATION %s: %s\n  replay: cpuhpctl%s explore --schedules --ops \"%s\" "
		"--replay ",
		name, r->first, sc->argv0_opts, name);
	sx_choices_print(sc->out, c, n);
	fputc('\n', sc->out);
	fflush(sc->out);
}

static void progress(unsigned long schedules, void *data)
{
	struct sched_cmd *sc = data;

	if (!sc->tty || sc->jobs > 1 || schedules % 64)
		return;
	fprintf(stderr, "\r\033[K[%u/%u] %s: %lu schedules", sc->pair_i + 1, sc->pair_n,
		sc->pair_name, schedules);
}

/* Enumerate one pair and print its line. */
static int explore_one(struct sched_cmd *sc, struct sx_pair *p)
{
	struct sx_stats st;
	char name[128];
	int err;

	sx_pair_name(p, name, sizeof(name));
	sc->pair_name = name;
	err = sx_explore_pair(p, sc->preemptions, sc->max_schedules, found, progress, sc,
			      &st);
	if (sc->tty && sc->jobs <= 1)
		fputs("\r\033[K", stderr);
	fprintf(sc->out,
		"%-36s schedules %7lu  end states %4lu  violations %lu  %.2f s\n", name,
		st.schedules, st.distinct, st.violations, st.seconds);
	fflush(sc->out);
	if (sc->out != stdout)
		fprintf(sc->out, "#counts %lu %lu\n", st.schedules, st.violations);
	else {
		sc->schedules += st.schedules;
		sc->violations += st.violations;
	}
	fflush(sc->out);
	return err;
}

/* Run the calling process on one CPU of its affinity mask: hand-offs
 * between the scheduled threads then stay on that CPU (docs/explore.md),
 * 1.6x faster than letting them move.  Worker @k of several takes the k-th
 * CPU; a single process stays on the CPU it runs on, so that two runs
 * started side by side (ctest -j) are not both put on the first CPU. */
static void pin(const struct sched_cmd *sc, unsigned int k)
{
	cpu_set_t set;
	unsigned int c, seen = 0, n;
	int here = sched_getcpu();

	if (sc->jobs <= 1 && here >= 0) {
		CPU_ZERO(&set);
		CPU_SET(here, &set);
		sched_setaffinity(0, sizeof(set), &set);
		return;
	}
	if (sched_getaffinity(0, sizeof(set), &set))
		return;
	n = (unsigned int)CPU_COUNT(&set);
	for (c = 0; c < CPU_SETSIZE && n; c++) {
		if (!CPU_ISSET(c, &set) || seen++ != k % n)
			continue;
		CPU_ZERO(&set);
		CPU_SET(c, &set);
		sched_setaffinity(0, sizeof(set), &set);
		return;
	}
}

/* Pair @i of the default set (with repetition: i <= j). */
static void default_pair(struct sched_cmd *sc, const struct sx_op *const *ops, size_t n,
			 size_t i, struct sx_pair *p)
{
	unsigned int cpus = sc->cfg.nr_present ? sc->cfg.nr_present : sc->cfg.nr_possible;
	size_t a = 0, b;

	while (i >= n - a) {
		i -= n - a;
		a++;
	}
	b = a + i;
	memset(p, 0, sizeof(*p));
	p->cfg = &sc->cfg;
	p->n = 2;
	p->max_points = sc->max_points;
	p->slot[0] = (struct sx_slot){ .op = ops[a], .cpu = cpus - 1 };
	p->slot[1] = (struct sx_slot){ .op = ops[b], .cpu = cpus - 1 };
	strcpy(p->slot[0].name, "sx0");
	strcpy(p->slot[1].name, "sx1");
}

/* Worker @k of @sc->jobs: pairs k, k + jobs, ..., each into its own file. */
static int worker(struct sched_cmd *sc, const struct sx_op *const *ops, size_t n,
		  FILE **files, unsigned int k)
{
	struct sx_pair p;
	size_t i;
	int err = 0;

	pin(sc, k);
	for (i = k; i < sc->pair_n && !err; i += sc->jobs) {
		sc->out = files ? files[i] : stdout;
		sc->pair_i = (unsigned int)i;
		default_pair(sc, ops, n, i, &p);
		err = explore_one(sc, &p);
	}
	return err;
}

/* Copy each pair's file to stdout in order, adding up its counts. */
static int collect(struct sched_cmd *sc, FILE **files)
{
	char line[1024];
	unsigned long s, v;
	size_t i;
	int err = 0;

	for (i = 0; i < sc->pair_n; i++) {
		bool counted = false;

		rewind(files[i]);
		while (fgets(line, sizeof(line), files[i])) {
			if (sscanf(line, "#counts %lu %lu", &s, &v) == 2) {
				sc->schedules += s;
				sc->violations += v;
				counted = true;
				continue;
			}
			fputs(line, stdout);
		}
		fclose(files[i]);
		if (!counted)
			err = -EIO; /* the worker died before this pair ended */
	}
	return err;
}

/* Every pair (with repetition) of the default operations, on @sc->jobs processes. */
static int explore_defaults(struct sched_cmd *sc)
{
	const struct sx_op *ops[MAX_DEFAULT_OPS];
	size_t n = sx_ops_default(&sc->cfg, ops, MAX_DEFAULT_OPS), i;
	FILE *files[MAX_DEFAULT_OPS * (MAX_DEFAULT_OPS + 1) / 2];
	unsigned int k;
	int err = 0, status;

	sc->pair_n = (unsigned int)(n * (n + 1) / 2);
	if (sc->jobs <= 1)
		return worker(sc, ops, n, NULL, 0);
	for (i = 0; i < sc->pair_n; i++) {
		files[i] = tmpfile();
		if (!files[i]) {
			ctl_err("explore: cannot create a temporary file: %s",
				strerror(errno));
			while (i--)
				fclose(files[i]);
			return -errno;
		}
	}
	fflush(stdout);
	for (k = 0; k < sc->jobs; k++) {
		pid_t pid = fork();

		if (pid < 0) {
			ctl_err("explore: fork: %s", strerror(errno));
			err = -errno;
			break;
		}
		if (!pid)
			_exit(worker(sc, ops, n, files, k) ? CTL_EXIT_FAIL : CTL_EXIT_OK);
	}
	while (wait(&status) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			err = err ? err : -EIO;
	status = collect(sc, files);
	return err ? err : status;
}

static int replay(struct sched_cmd *sc, struct sx_pair *p)
{
	struct cpuhp_sched_choice *c;
	struct sx_result r;
	unsigned int i;
	size_t n;
	int err;

	if (sx_choices_parse(sc->replay, &c, &n)) {
		ctl_err("explore: --replay: bad schedule '%s' (AT.THREAD,... or -)",
			sc->replay);
		return CTL_EXIT_USAGE;
	}
	struct sx_ctx x = { 0 };

	err = sx_run(&x, p, c, n, &r);
	sx_ctx_end(&x);
	free(c);
	if (err)
		return CTL_EXIT_FAIL;
	for (i = 0; i < p->n; i++)
		printf("%s: %d%s%s\n", p->slot[i].op->name, p->slot[i].ret,
		       p->slot[i].ret < 0 ? " " : "",
		       p->slot[i].ret < 0 ? cpuhp_strerror_name(p->slot[i].ret) : "");
	printf("decisions: %zu\n", r.ndec);
	free(r.dec);
	if (r.end == CPUHP_SCHED_DIVERGED) {
		printf("DIVERGED: the schedule names a thread that cannot run there\n");
		return CTL_EXIT_FAIL;
	}
	if (r.violations)
		printf("VIOLATION: %s\n", r.first);
	printf("schedules: 1, violations: %u\n", r.violations ? 1 : 0);
	return r.violations ? CTL_EXIT_FAIL : CTL_EXIT_OK;
}

static int parse_args(struct sched_cmd *sc, int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "schedules", no_argument, NULL, 'S' },
		{ "preemptions", required_argument, NULL, 'k' },
		{ "ops", required_argument, NULL, 'o' },
		{ "replay", required_argument, NULL, 'r' },
		{ "max-schedules", required_argument, NULL, 'n' },
		{ "max-points", required_argument, NULL, 'p' },
		{ "max-repro", required_argument, NULL, 'm' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long v;
	int c, first;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:j:h", opts, NULL)) != -1) {
		switch (c) {
		case 'S':
			break;
		case 'k':
			if (!xp_parse_number("--preemptions", optarg, 0, 16, &v))
				return CTL_EXIT_USAGE;
			sc->preemptions = (unsigned int)v;
			break;
		case 'o':
			sc->ops = optarg;
			break;
		case 'r':
			sc->replay = optarg;
			break;
		case 'n':
			if (!xp_parse_number("--max-schedules", optarg, 0, ~0ul,
					     &sc->max_schedules))
				return CTL_EXIT_USAGE;
			break;
		case 'p':
			if (!xp_parse_number("--max-points", optarg, 0, ~0ul,
					     &sc->max_points))
				return CTL_EXIT_USAGE;
			break;
		case 'm':
			if (!xp_parse_number("--max-repro", optarg, 0, 100000, &v))
				return CTL_EXIT_USAGE;
			sc->max_repro = (unsigned int)v;
			break;
		case 'j':
			if (!xp_parse_number("-j", optarg, 1, 64, &v))
				return CTL_EXIT_USAGE;
			sc->jobs = (unsigned int)v;
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
	if (sc->replay && !sc->ops) {
		ctl_err("explore: --replay needs the --ops it was found with");
		return CTL_EXIT_USAGE;
	}
	return CMD_CONTINUE;
}

/* The machine options as a replay command line needs them. */
static void machine_opts(struct sched_cmd *sc, const struct cpuhpctl *ctl)
{
	snprintf(sc->argv0_opts, sizeof(sc->argv0_opts),
		 " --model %s --cpus %u --threads-per-core %u%s%s%s%s%s",
		 ctl->cfg.model ? ctl->cfg.model : "mainline", ctl->cfg.nr_possible,
		 ctl->cfg.threads_per_core ? ctl->cfg.threads_per_core : 1,
		 ctl->kconfig ? " --config \"" : "", ctl->kconfig ? ctl->kconfig : "",
		 ctl->kconfig ? "\"" : "", ctl->cmdline ? " --cmdline " : "",
		 ctl->cmdline ? ctl->cmdline : "");
}

/**
 * xsched_main - cpuhpctl explore --schedules
 * @ctl:  the machine options
 * @argc: explore's operands
 * @argv: explore's operands
 *
 * Return: the exit status: 0 when no schedule broke a rule.
 */
int xsched_main(struct cpuhpctl *ctl, int argc, char *argv[])
{
	struct sched_cmd sc = { .out = stdout,
				.jobs = 1,
				.preemptions = 2,
				.max_repro = 10,
				.max_points = 1000000 };
	struct sx_pair p = { 0 };
	double t0 = ctl_now();
	int ret = parse_args(&sc, argc, argv), err;

	if (ret != CMD_CONTINUE)
		return ret;
	sc.cfg = ctl->cfg;
	sc.cfg.log_fn = silent;
	sc.tty = isatty(STDERR_FILENO);
	machine_opts(&sc, ctl);
	p.cfg = &sc.cfg;
	p.max_points = sc.max_points;
	if (sc.ops && sx_parse_ops(&sc.cfg, sc.ops, &p))
		return CTL_EXIT_USAGE;
	if (sc.replay)
		return replay(&sc, &p);
	if (sc.ops)
		pin(&sc, 0);
	err = sc.ops ? explore_one(&sc, &p) : explore_defaults(&sc);
	printf("time: %.1f s, preemptions: %u\n", ctl_now() - t0, sc.preemptions);
	printf("schedules: %lu, violations: %lu\n", sc.schedules, sc.violations);
	if (err)
		return CTL_EXIT_FAIL;
	return sc.violations ? CTL_EXIT_FAIL : CTL_EXIT_OK;
}
