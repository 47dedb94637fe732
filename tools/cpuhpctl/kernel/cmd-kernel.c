// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * cmd-kernel.c - "cpuhpctl kernel run": boot a real kernel image under
 * QEMU, run scenarios and the single-fault sweep in it, record them in the
 * oracle format and, with --check, compare them with a model.
 * Everything is checked before QEMU starts; docs/kernel.md.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cpuhp/cpuhp.h>

#include "cpuhpctl.h"
#include "kernel.h"

#define DEFAULT_SMP "4,sockets=1,cores=2,threads=2"

enum {
	OPT_KERNEL = 256,
	OPT_SMP,
	OPT_APPEND,
	OPT_ACCEL,
	OPT_CHECK,
	OPT_SWEEP,
	OPT_SWEEP_CPU,
	OPT_SWEEP_STATES,
	OPT_STEP_TIMEOUT,
};

static const struct option opts[] = {
	{ "kernel", required_argument, NULL, OPT_KERNEL },
	{ "smp", required_argument, NULL, OPT_SMP },
	{ "append", required_argument, NULL, OPT_APPEND },
	{ "accel", required_argument, NULL, OPT_ACCEL },
	{ "output", required_argument, NULL, 'o' },
	{ "check", required_argument, NULL, OPT_CHECK },
	{ "sweep", no_argument, NULL, OPT_SWEEP },
	{ "sweep-cpu", required_argument, NULL, OPT_SWEEP_CPU },
	{ "sweep-states", required_argument, NULL, OPT_SWEEP_STATES },
	{ "step-timeout", required_argument, NULL, OPT_STEP_TIMEOUT },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static bool parse_int(const char *opt, const char *s, long min, long max, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 10);
	if (errno || end == s || *end || *out < min || *out > max) {
		ctl_err("kernel: %s: expected a number from %ld to %ld, not '%s'", opt,
			min, max, s);
		return false;
	}
	return true;
}

/* "A-B" or "A": the armed states of the sweep. */
static bool parse_range(struct kernel_opts *o, const char *s)
{
	int a, b, n = 0;

	if (sscanf(s, "%d-%d%n", &a, &b, &n) == 2 && !s[n] && a >= 0 && b >= a) {
		o->sweep_first = a;
		o->sweep_last = b;
		return true;
	}
	if (sscanf(s, "%d%n", &a, &n) == 1 && !s[n] && a >= 0) {
		o->sweep_first = o->sweep_last = a;
		return true;
	}
	ctl_err("kernel: --sweep-states: expected FIRST-LAST (state numbers), not '%s'",
		s);
	return false;
}

static int parse(struct kernel_opts *o, int argc, char *argv[])
{
	long v;
	int c;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:ho:", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			cmd_usage(&cmd_kernel, stdout);
			return CTL_EXIT_OK;
		case OPT_KERNEL:
			o->image = optarg;
			break;
		case OPT_SMP:
			o->smp = optarg;
			break;
		case OPT_APPEND:
			o->append = optarg;
			break;
		case OPT_ACCEL:
			if (strcmp(optarg, "tcg") && strcmp(optarg, "kvm")) {
				ctl_err("kernel: --accel: tcg or kvm, not '%s'", optarg);
				return CTL_EXIT_USAGE;
			}
			o->accel = optarg;
			break;
		case 'o':
			o->outdir = optarg;
			break;
		case OPT_CHECK:
			o->check_model = optarg;
			break;
		case OPT_SWEEP:
			o->sweep = true;
			break;
		case OPT_SWEEP_CPU:
			if (!parse_int("--sweep-cpu", optarg, 1, 1023, &v))
				return CTL_EXIT_USAGE;
			o->sweep_cpu = (int)v;
			break;
		case OPT_SWEEP_STATES:
			if (!parse_range(o, optarg))
				return CTL_EXIT_USAGE;
			break;
		case OPT_STEP_TIMEOUT:
			if (!parse_int("--step-timeout", optarg, 1, 86400, &v))
				return CTL_EXIT_USAGE;
			o->step_timeout = (double)v;
			break;
		default:
			return cmd_bad_option(&cmd_kernel, c, argv);
		}
	}
	return CMD_CONTINUE;
}

/* A model that cannot be built is a usage error found before any boot. */
static int check_model(const struct kernel_opts *o)
{
	struct cpuhp_config cfg;
	struct cpuhp *hp;
	int err;

	cpuhp_config_init(&cfg);
	cfg.model = o->check_model;
	cfg.nr_possible = o->cpus;
	cfg.threads_per_core = o->threads;
	err = cpuhp_new(&cfg, &hp);
	if (err) {
		ctl_err("kernel: --check %s: no such model, or it cannot be built for %u CPUs: %s",
			o->check_model, o->cpus, strerror(-err));
		return err;
	}
	cpuhp_free(hp);
	return 0;
}

static int prepare(struct kernel_opts *o, unsigned int *blocks)
{
	char path[4200], *plan = NULL;
	size_t len;
	int err;

	if (kernel_parse_smp(o))
		return -EINVAL;
	if (o->sweep && o->sweep_cpu >= (int)o->cpus) {
		ctl_err("kernel: --sweep-cpu %d: the guest has CPUs 0-%u", o->sweep_cpu,
			o->cpus - 1);
		return -EINVAL;
	}
	if (o->check_model && check_model(o))
		return -EINVAL;
	if (kernel_find_env(o))
		return -ENOENT;
	if (kernel_plan(o, &plan, &len, blocks))
		return -EINVAL;
	if (mkdir(o->outdir, 0755) && errno != EEXIST) {
		ctl_err("kernel: cannot create the output directory %s: %s", o->outdir,
			strerror(errno));
		free(plan);
		return -errno;
	}
	kernel_path(o, path, sizeof(path), "initramfs.cpio");
	err = kernel_initramfs(o, plan, len, path);
	free(plan);
	if (err)
		ctl_err("kernel: cannot build the initramfs %s: %s", path,
			strerror(-err));
	return err;
}

static int run(struct cpuhpctl *ctl, int argc, char *argv[])
{
	struct kernel_opts o = { .smp = DEFAULT_SMP,
				 .outdir = "cpuhpctl-kernel",
				 .sweep_cpu = 1,
				 .sweep_first = -1,
				 .sweep_last = -1,
				 .step_timeout = 60,
				 .verbose = ctl->verbose };
	struct guest_run r;
	unsigned int blocks;
	int ret, first;

	if (argc < 2 || strcmp(argv[1], "run")) {
		if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
			cmd_usage(&cmd_kernel, stdout);
			return CTL_EXIT_OK;
		}
		ctl_err("kernel: expected 'run'");
		cmd_usage(&cmd_kernel, stderr);
		return CTL_EXIT_USAGE;
	}
	ret = parse(&o, argc - 1, argv + 1);
	if (ret != CMD_CONTINUE)
		return ret;
	ret = cmd_operands(&cmd_kernel, argc - 1, 0, INT_MAX, &first);
	if (ret != CMD_CONTINUE)
		return ret;
	o.scripts = argv + 1 + first;
	o.nr_scripts = argc - 1 - first;
	if (!o.image) {
		ctl_err("kernel: --kernel IMAGE is required (your arch/x86/boot/bzImage, or a /boot/vmlinuz-*)");
		return CTL_EXIT_USAGE;
	}
	if (!o.nr_scripts && !o.sweep) {
		ctl_err("kernel: nothing to run: give SCRIPT files, --sweep, or both");
		return CTL_EXIT_USAGE;
	}
	if (prepare(&o, &blocks))
		return KRUN_ENV;
	kernel_boot(&o, blocks, &r);
	return kernel_report(&o, &r);
}

const struct cpuhpctl_cmd cmd_kernel = {
	.name = "kernel",
	.run = run,
	.args = "run --kernel IMAGE [OPTIONS] [SCRIPT...]",
	.summary =
		"boot a kernel under QEMU, run scenarios and the fail sweep, check a model",
	.help = "Options of 'kernel run':\n"
		"  --kernel IMAGE        the kernel to test (bzImage, /boot/vmlinuz-*)\n"
		"  --smp TOPOLOGY        QEMU -smp (default " DEFAULT_SMP
		", -cpu Nehalem)\n"
		"  --append ARGS         extra kernel parameters\n"
		"  --accel tcg|kvm       default: kvm when /dev/kvm works, else tcg\n"
		"  -o, --output DIR      where the recordings go (default cpuhpctl-kernel)\n"
		"  --check MODEL         replay every recorded block on MODEL and report differences\n"
		"  --sweep               arm hotplug/fail at every state 0..ONLINE+1 and bring the\n"
		"                        CPU up, then down, each case from a clean start, one boot\n"
		"  --sweep-cpu N         the CPU of the sweep (default 1)\n"
		"  --sweep-states A-B    only these armed states\n"
		"  --step-timeout S      no output for S seconds is a hang (default 60)\n"
		"Each SCRIPT (- = stdin) is a scenario in the script language (write, echo >,\n"
		"read, cat, show, echo); relative paths are under /sys/devices/system/cpu,\n"
		"absolute ones are used as they are.  DIR gets info.trace, scenarios.trace,\n"
		"sweep.trace (oracle format: cpuhpctl conform reads them), trace.txt,\n"
		"dmesg.txt, console.txt and, with --check, check.txt.  Every WARN, BUG,\n"
		"oops, panic or lockdep line of the kernel is printed with the step before it.\n"
		"Exit status: 0 all equal and clean, 1 differences, kernel errors, a crash or\n"
		"a hang, 2 usage or environment errors.  See docs/kernel.md.\n",
};
