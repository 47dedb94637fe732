// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * kernel-plan.c - what the guest is to do, and the initramfs that carries it.
 *
 * Each SCRIPT (the cpuhpctl script language, parsed by script.c) becomes one
 * block of the plan; --sweep adds a sweep request.  Plan lines are
 * "OP<TAB>ARG[<TAB>ARG]" with \\, \n and \t escaped in values:
 *   block NAME WHAT | line N | write PATH VALUE | read PATH | show WHAT |
 *   print TEXT | end | sweep CPU "FIRST LAST"
 * ("line N": the script line of the steps that follow, for the markers.)
 * Paths are resolved here: relative ones under /sys/devices/system/cpu, an
 * absolute one as it is (so a step can write /proc/sysrq-trigger).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpuhpctl.h"
#include "kernel.h"
#include "script.h"

#define CPU_DIR "/sys/devices/system/cpu"

static void put_escaped(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", f);
		else if (*s == '\n')
			fputs("\\n", f);
		else if (*s == '\t')
			fputs("\\t", f);
		else
			fputc(*s, f);
	}
}

static void put_path(FILE *f, const char *path)
{
	if (path[0] == '/')
		fputs(path, f);
	else
		fprintf(f, CPU_DIR "/%s", path);
}

/* The block's name: the script's file name without directory and ".cpuhp". */
static void block_name(const char *file, int nr, char *buf, size_t len)
{
	const char *base = strrchr(file, '/');
	size_t n;

	if (!strcmp(file, "-")) {
		snprintf(buf, len, "stdin");
		return;
	}
	base = base ? base + 1 : file;
	n = strlen(base);
	if (n > 6 && !strcmp(base + n - 6, ".cpuhp"))
		n -= 6;
	snprintf(buf, len, "%02d-%.*s", nr, (int)n, base);
	for (char *p = buf; *p; p++)
		if (*p == ' ' || *p == '\t')
			*p = '_';
}

/* Return: the number of lines that cannot run inside a kernel. */
static unsigned int add_script(FILE *plan, const struct script *s, const char *file,
			       int nr)
{
	unsigned int bad = 0;
	char name[160];
	size_t i;

	block_name(file, nr, name, sizeof(name));
	fprintf(plan, "block\t%s\tscript %s\n", name, file);
	for (i = 0; i < s->nr; i++) {
		const struct script_cmd *c = &s->cmds[i];

		fprintf(plan, "line\t%u\n", c->line);
		switch (c->op) {
		case OP_WRITE:
			fputs("write\t", plan);
			put_path(plan, c->path);
			fputc('\t', plan);
			put_escaped(plan, c->value);
			fputc('\n', plan);
			break;
		case OP_READ:
			fputs("read\t", plan);
			put_path(plan, c->path);
			fputc('\n', plan);
			break;
		case OP_SHOW:
			fprintf(plan, "show\t%s\n", c->name);
			break;
		case OP_PRINT:
			fputs("print\t", plan);
			put_escaped(plan, c->value);
			fputc('\n', plan);
			break;
		default:
			fprintf(stderr,
				"%s:%u: error: only write, echo, read, cat and show run inside a kernel (setup, remove, instance, ledger and inject need the model)\n",
				file, c->line);
			bad++;
		}
	}
	fputs("end\n", plan);
	return bad;
}

static int parse_one(const char *file, struct script *s)
{
	FILE *f = strcmp(file, "-") ? fopen(file, "r") : stdin;
	int err;

	if (!f) {
		ctl_err("kernel: cannot open script %s: %s", file, strerror(errno));
		return -errno;
	}
	err = script_parse(f, strcmp(file, "-") ? file : "<stdin>", s);
	if (f != stdin)
		fclose(f);
	if (err)
		ctl_err("kernel: cannot read script %s: %s", file, strerror(-err));
	return err ? err : s->errors ? -EINVAL : 0;
}

int kernel_plan(const struct kernel_opts *o, char **plan, size_t *len,
		unsigned int *blocks)
{
	FILE *f = open_memstream(plan, len);
	unsigned int bad = 0;
	int i, err = 0;

	if (!f)
		return -ENOMEM;
	*blocks = 0;
	for (i = 0; i < o->nr_scripts; i++) {
		struct script s = { 0 };

		if (parse_one(o->scripts[i], &s))
			bad++;
		else
			bad += add_script(f, &s, o->scripts[i], i + 1);
		script_free(&s);
		(*blocks)++;
	}
	if (o->sweep)
		fprintf(f, "sweep\t%d\t%d %d\n", o->sweep_cpu, o->sweep_first,
			o->sweep_last);
	if (fclose(f))
		err = -ENOMEM;
	if (bad) {
		ctl_err("kernel: %u bad script line%s, nothing run", bad,
			bad > 1 ? "s" : "");
		err = -EINVAL;
	}
	if (err) {
		free(*plan);
		*plan = NULL;
	}
	return err;
}

/*
 * /init mounts what the guest needs and runs it; the guest's own checks
 * (hotplug files, cpuhp trace events) say what the kernel lacks.
 */
static const char init_script[] =
	"#!/bin/busybox sh\n"
	"/bin/busybox mkdir -p /proc /sys /dev\n"
	"/bin/busybox mount -t proc proc /proc\n"
	"/bin/busybox mount -t sysfs sysfs /sys\n"
	"/bin/busybox mount -t devtmpfs devtmpfs /dev\n"
	"/bin/busybox mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null\n"
	"echo CPUHP-INIT\n"
	"/cpuhp-guest /plan /dev/ttyS1\n"
	"echo \"CPUHP-GUEST-EXIT $?\"\n"
	"/bin/busybox poweroff -f\n";

int kernel_initramfs(const struct kernel_opts *o, const char *plan, size_t len,
		     const char *path)
{
	struct cpio *c = cpio_open(path);
	int err;

	if (!c)
		return -errno;
	cpio_dir(c, "bin");
	cpio_dir(c, "dev");
	cpio_chardev(c, "dev/console", 5, 1);
	cpio_dir(c, "proc");
	cpio_dir(c, "sys");
	cpio_file(c, "init", 0755, init_script, strlen(init_script));
	cpio_file(c, "plan", 0644, plan, len);
	err = cpio_copy(c, "bin/busybox", 0755, o->busybox);
	if (!err)
		err = cpio_copy(c, "cpuhp-guest", 0755, o->guest);
	if (err) {
		cpio_close(c);
		return err;
	}
	return cpio_close(c);
}
