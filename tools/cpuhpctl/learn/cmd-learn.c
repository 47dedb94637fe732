// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cmd-learn.c - "cpuhpctl learn": write a model file from recordings of a
 * real kernel, or from a /sys/devices/system/cpu tree and a captured trace.
 * The model is loaded before it is written: a file that does not load, or
 * bad input, leaves no output file.  docs/adding-a-kernel.md.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "cpuhpctl.h"
#include "learn.h"

enum {
	OPT_SYSFS = 256,
	OPT_TRACE,
	OPT_BASE,
	OPT_NAME,
};

static const struct option opts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "sysfs", no_argument, NULL, OPT_SYSFS },
	{ "trace", required_argument, NULL, OPT_TRACE },
	{ "base", required_argument, NULL, OPT_BASE },
	{ "name", required_argument, NULL, OPT_NAME },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct learn_opts {
	const char *output, *trace, *base, *name;
	bool sysfs;
};

static void log_load(void *data, int priority, const char *file, int line, const char *fn,
		     const char *format, va_list args)
{
	(void)data;
	(void)file;
	(void)line;
	(void)fn;
	if (priority > LOG_WARNING)
		return;
	fputs("cpuhpctl: learn: the learned model does not load: ", stderr);
	vfprintf(stderr, format, args);
	fputc('\n', stderr);
}

/* Load @text as a model file.  Return: true if it loads. */
static bool loads(const char *text, size_t len)
{
	const char *dir = getenv("TMPDIR");
	struct cpuhp_config cfg;
	struct cpuhp *hp = NULL;
	char path[4096];
	bool ok = false;
	int fd;

	snprintf(path, sizeof(path), "%s/cpuhpctl-learn-XXXXXX",
		 dir && *dir ? dir : "/tmp");
	fd = mkstemp(path);
	if (fd < 0) {
		ctl_err("learn: cannot create a temporary file: %s", strerror(errno));
		return false;
	}
	if (write(fd, text, len) == (ssize_t)len) {
		cpuhp_config_init(&cfg);
		cfg.model = path;
		cfg.nr_possible = 2;
		cfg.log_fn = log_load;
		ok = cpuhp_new(&cfg, &hp) == 0;
		cpuhp_free(hp);
	} else {
		ctl_err("learn: cannot write %s: %s", path, strerror(errno));
	}
	close(fd);
	unlink(path);
	return ok;
}

/* Write @text to @path through a temporary file, so that it appears whole. */
static int write_output(const char *path, const char *text, size_t len)
{
	char *tmp;
	FILE *f;
	int ret = -1;

	if (!strcmp(path, "-"))
		return fwrite(text, 1, len, stdout) == len ? 0 : -1;
	if (asprintf(&tmp, "%s.tmp", path) < 0)
		return -1;
	f = fopen(tmp, "w");
	if (!f) {
		ctl_err("learn: cannot create %s: %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	if (fwrite(text, 1, len, f) == len && !fclose(f)) {
		if (!rename(tmp, path))
			ret = 0;
		else
			ctl_err("learn: cannot rename %s to %s: %s", tmp, path,
				strerror(errno));
	} else {
		ctl_err("learn: error writing %s: %s", tmp, strerror(errno));
	}
	if (ret)
		unlink(tmp);
	free(tmp);
	return ret;
}

/* "learned-6.1.0-56-cloud-amd64": one word. */
static void default_name(const struct learn *l, char *buf, size_t len)
{
	size_t i;

	snprintf(buf, len, "learned%s%s", l->uname[0] ? "-" : "", l->uname);
	for (i = 0; buf[i]; i++)
		if (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '#')
			buf[i] = '_';
}

static int learn_from(struct learn *l, const struct learn_opts *o, int argc, char *argv[],
		      int first)
{
	int i;

	if (o->sysfs) {
		if (learn_read_sysfs(l, first < argc ? argv[first] :
						       "/sys/devices/system/cpu"))
			return -1;
	} else {
		for (i = first; i < argc; i++)
			if (learn_read_recording(l, argv[i]))
				return -1;
	}
	if (o->trace) {
		size_t n = strlen(l->sources);

		if (learn_read_trace(l, o->trace))
			return -1;
		snprintf(l->sources + n, sizeof(l->sources) - n, " %s", o->trace);
	}
	return 0;
}

static int parse(const struct cpuhpctl_cmd *cmd, int argc, char *argv[],
		 struct learn_opts *o, int *first)
{
	int c;

	optind = 0;
	opterr = 0;
	/* Options may follow the operands: "learn --sysfs ROOT -o FILE". */
	while ((c = getopt_long(argc, argv, ":o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			o->output = optarg;
			break;
		case OPT_SYSFS:
			o->sysfs = true;
			break;
		case OPT_TRACE:
			o->trace = optarg;
			break;
		case OPT_BASE:
			o->base = optarg;
			break;
		case OPT_NAME:
			o->name = optarg;
			break;
		case 'h':
			cmd_usage(cmd, stdout);
			return CTL_EXIT_OK;
		default:
			return cmd_bad_option(cmd, c, argv);
		}
	}
	return cmd_operands(cmd, argc, o->sysfs ? 0 : 1, o->sysfs ? 1 : INT_MAX, first);
}

static int run(struct cpuhpctl *ctl, int argc, char *argv[])
{
	struct learn_opts o = { 0 };
	struct learn_notes notes = { 0 };
	struct base_model *base = NULL;
	struct learn *l = NULL;
	char name[160], *text = NULL;
	size_t len = 0, i;
	int first, ret;
	FILE *f;

	(void)ctl;
	ret = parse(&cmd_learn, argc, argv, &o, &first);
	if (ret != CMD_CONTINUE)
		return ret;
	ret = CTL_EXIT_FAIL;
	l = malloc(sizeof(*l));
	base = calloc(1, sizeof(*base));
	if (!l || !base) {
		ctl_err("learn: out of memory");
		goto out;
	}
	learn_init(l);
	if (learn_from(l, &o, argc, argv, first) || learn_load_base(base, o.base, l))
		goto out;
	if (!l->listing)
		fprintf(stderr,
			"cpuhpctl: learn: not learned: the state table (no "
			"hotplug/states listing): from base %s\n",
			base->name);
	if (!l->listing)
		for (i = 0; i < LEARN_MAX_STATES; i++)
			snprintf(l->st[i].name, sizeof(l->st[i].name), "%s",
				 base->st[i].name);
	if (o.name)
		snprintf(name, sizeof(name), "%s", o.name);
	else
		default_name(l, name, sizeof(name));
	f = open_memstream(&text, &len);
	if (!f) {
		ctl_err("learn: out of memory");
		goto out;
	}
	learn_write(f, l, base, name, &notes);
	if (fclose(f) || !text) {
		ctl_err("learn: out of memory");
		goto out;
	}
	for (i = 0; i < notes.nr; i++)
		fprintf(stderr, "cpuhpctl: learn: not learned: %s\n", notes.line[i]);
	if (!loads(text, len))
		goto out;
	if (!write_output(o.output ? o.output : "-", text, len))
		ret = CTL_EXIT_OK;
out:
	learn_notes_free(&notes);
	if (l)
		learn_free(l);
	if (base)
		learn_free_base(base);
	free(base);
	free(l);
	free(text);
	return ret;
}

const struct cpuhpctl_cmd cmd_learn = {
	.name = "learn",
	.run = run,
	.args = "[-o FILE] RECORDING... | --sysfs [ROOT]",
	.summary = "write a model file learned from recordings or a sysfs tree",
	.help = "Options:\n"
		"  -o, --output FILE  write the model to FILE (default: standard output)\n"
		"  --sysfs            learn from ROOT, a /sys/devices/system/cpu tree\n"
		"                     (the default ROOT), which is only read\n"
		"  --trace FILE       also learn from FILE, a trace captured from\n"
		"                     /sys/kernel/tracing with the cpuhp events enabled\n"
		"  --base MODEL       take what cannot be learned from MODEL (a built-in\n"
		"                     name or a path; default: the built-in model whose\n"
		"                     state table matches best)\n"
		"  --name NAME        the model's name (default: learned-KERNEL)\n"
		"\n"
		"Each RECORDING is a file in the format of oracle/linux-6.1-x86/README.md\n"
		"(info, boot trace, scenarios, fail sweeps).  Learned: the state table from\n"
		"the hotplug/states listing, the boundaries from the core states' names,\n"
		"each callback's symbol from the traces (walks up: startups, walks down and\n"
		"rollbacks: teardowns), callbacks never traced from the fail sweeps (a fail\n"
		"armed at a state fails the walk with EAGAIN only if it has a callback that\n"
		"way), instance counts from cpuhp_multi_enter events, boot lines from the\n"
		"boot trace, the boot CPU, SMT control and a few quirks.  What cannot be\n"
		"learned (dynamic ranges, STARTING/DYING callbacks, most quirks) is printed\n"
		"as \"not learned: ...\" on standard error and written as comments; values a\n"
		"model must have come from the base model, marked \"base\".  The model is\n"
		"loaded before it is written; bad or cut-short input is an error naming the\n"
		"file and line, and no file is written.  Check the result with\n"
		"'cpuhpctl --model FILE conform RECORDING...'.\n",
};
