// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * kernel-report.c - after the guest: split its output into the recording
 * files, find every kernel warning in the console with the step that came
 * before it, check the recordings against a model (conform), print the
 * sweep's table and decide the exit status.
 *
 * Files written into the output directory: info.trace, scenarios.trace,
 * sweep.trace (oracle format, read by "cpuhpctl conform"), trace.txt (the
 * cpuhp events of every block), dmesg.txt (the kernel log of every block),
 * console.txt, incomplete.trace (a block a crash or hang cut short) and,
 * with --check, check.txt (conform's verdict on every block).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conform/conform.h"
#include "cpuhpctl.h"
#include "kernel.h"

#define TAIL_LINES 25

/* One block of the recording, as the report needs it. */
struct kblock {
	char name[128];
	bool sweep, up, complete, differs;
	int state;            /* sweep: the armed state */
	int fail_err, op_err; /* sweep: errno of the fail write and of the operation */
};

struct kreport {
	const struct kernel_opts *o;
	struct kblock *b;
	size_t nr, cap;
	char release[128];
	unsigned int kernel_errors, differences;
	char last_step[512]; /* the last marker on the console */
};

static FILE *open_out(const struct kernel_opts *o, const char *name)
{
	char path[4200];
	FILE *f;

	kernel_path(o, path, sizeof(path), name);
	f = fopen(path, "w");
	if (!f)
		ctl_err("kernel: cannot write %s: %s", path, strerror(errno));
	return f;
}

static struct kblock *new_block(struct kreport *k, const char *name)
{
	struct kblock *b;

	if (k->nr == k->cap) {
		size_t cap = k->cap ? 2 * k->cap : 64;

		b = realloc(k->b, cap * sizeof(*b));
		if (!b)
			return NULL;
		k->b = b;
		k->cap = cap;
	}
	b = &k->b[k->nr++];
	memset(b, 0, sizeof(*b));
	snprintf(b->name, sizeof(b->name), "%s", name);
	b->state = -1;
	if (sscanf(name, "sweep-up-%d", &b->state) == 1)
		b->sweep = b->up = true;
	else if (sscanf(name, "sweep-down-%d", &b->state) == 1)
		b->sweep = true;
	return b;
}

/* The sweep's two writes: the fail write, then the online write. */
static void note_write(struct kblock *b, const char *l)
{
	const char *e = strstr(l, " errno=");
	int err = e ? atoi(e + 7) : 0;

	if (!b->sweep || !strncmp(l, "  (prep) ", 9))
		return;
	if (strstr(l, "/hotplug/fail <- "))
		b->fail_err = err;
	else if (strstr(l, "/online <- "))
		b->op_err = err;
}

/* The recording's machine, for conform: topology and command line. */
static void header(const struct kreport *k, FILE *f)
{
	const struct kernel_opts *o = k->o;

	fprintf(f, "# recorded by cpuhpctl kernel run: %s (%s), -smp %s\n", o->image,
		k->release, o->smp);
	fprintf(f, "topology: sockets=%u cores=%u threads=%u\n", o->sockets, o->cores,
		o->threads);
}

enum section {
	SEC_BODY,
	SEC_TRACE,
	SEC_DMESG
};

/* The output files of split(), and the block being read. */
enum {
	F_INFO,
	F_SCEN,
	F_SWEEP,
	F_TRACE,
	F_DMESG,
	F_INC,
	NR_FILES
};

struct splitter {
	struct kreport *k;
	FILE *f[NR_FILES];
	FILE *mem, *dst; /* the block so far, and the file it goes to */
	char *blk;
	size_t blen;
	enum section sec;
	struct kblock *b;
};

static int split_begin(struct splitter *sp, const char *name)
{
	sp->b = new_block(sp->k, name);
	if (!sp->b)
		return -ENOMEM;
	sp->mem = open_memstream(&sp->blk, &sp->blen);
	sp->dst = !strcmp(name, "info") ? sp->f[F_INFO] :
		  sp->b->sweep          ? sp->f[F_SWEEP] :
					  sp->f[F_SCEN];
	sp->sec = SEC_BODY;
	fprintf(sp->f[F_TRACE], "# block %s\n", name);
	fprintf(sp->f[F_DMESG], "# block %s\n", name);
	return 0;
}

/* The block so far goes to @dst (its file, or incomplete.trace). */
static void split_flush(struct splitter *sp, FILE *dst)
{
	fclose(sp->mem);
	fputs(sp->blk, dst);
	free(sp->blk);
	sp->blk = NULL;
	sp->mem = NULL;
}

static int split_line(struct splitter *sp, const char *line)
{
	struct kreport *k = sp->k;

	if (!strncmp(line, "uname -r: ", 10) && !k->release[0]) {
		snprintf(k->release, sizeof(k->release), "%s", line + 10);
		header(k, sp->f[F_SCEN]);
		header(k, sp->f[F_SWEEP]);
		header(k, sp->f[F_INFO]);
	}
	if (!strncmp(line, "##### BEGIN ", 12) && split_begin(sp, line + 12))
		return -ENOMEM;
	if (!sp->mem)
		return 0;
	fprintf(sp->mem, "%s\n", line);
	if (!strncmp(line, "----- trace", 11)) {
		sp->sec = SEC_TRACE;
	} else if (!strncmp(line, "----- dmesg", 11)) {
		sp->sec = SEC_DMESG;
	} else if (!strncmp(line, "##### END ", 10)) {
		split_flush(sp, sp->dst);
		sp->b->complete = true;
	} else if (sp->sec == SEC_TRACE) {
		fprintf(sp->f[F_TRACE], "%s\n", line);
	} else if (sp->sec == SEC_DMESG) {
		fprintf(sp->f[F_DMESG], "%s\n", line);
	} else {
		note_write(sp->b, line);
	}
	return 0;
}

/* Split recording.raw into the files; collect the blocks. */
static int split(struct kreport *k)
{
	static const char *const names[NR_FILES] = {
		"info.trace", "scenarios.trace", "sweep.trace",
		"trace.txt",  "dmesg.txt",       "incomplete.trace",
	};
	struct splitter sp = { .k = k };
	char path[4200], *line = NULL;
	size_t cap = 0;
	int i, ret = 0;
	FILE *raw;

	kernel_path(k->o, path, sizeof(path), "recording.raw");
	raw = fopen(path, "r");
	if (!raw)
		return -errno;
	for (i = 0; i < NR_FILES; i++)
		if (!(sp.f[i] = open_out(k->o, names[i])))
			ret = -EIO;
	while (!ret && getline(&line, &cap, raw) >= 0) {
		line[strcspn(line, "\r\n")] = '\0';
		ret = split_line(&sp, line);
	}
	/* Cut short by a crash or a hang: not a recording conform can replay. */
	if (sp.mem)
		split_flush(&sp, sp.f[F_INC]);
	free(line);
	fclose(raw);
	/* Every file that was opened is closed; a failed close is a lost write. */
	for (i = 0; i < NR_FILES; i++)
		if (sp.f[i] && fclose(sp.f[i]) && !ret)
			ret = -EIO;
	return ret;
}

/* ------------------------------------------------------ the console */

/* A kernel error line: a WARN, BUG, oops, panic, lockdep or stall report. */
static bool kernel_error(const char *l)
{
	static const char *const marks[] = {
		"WARNING:",
		"BUG:",
		"BUG ",
		"kernel BUG",
		"Oops",
		"Kernel panic",
		"general protection fault",
		"possible recursive locking",
		"possible circular locking",
		"inconsistent lock state",
		"lockdep",
		"INFO: task ",
		"rcu_sched detected stall",
		"rcu: INFO:",
		"soft lockup",
		"hard LOCKUP",
		"Call Trace:",
		"sysrq: Trigger a crash",
	};
	size_t i;

	for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++)
		if (strstr(l, marks[i]))
			return true;
	return false;
}

/*
 * Read console.log: keep it as console.txt without the carriage returns,
 * list each kernel error line with the step marker before it, and keep the
 * tail for a crash or hang report.
 */
static void scan_console(struct kreport *k, const char *name, char tail[][256])
{
	char path[4200], *line = NULL;
	FILE *con, *txt;
	size_t cap = 0, nr = 0;
	ssize_t n;

	kernel_path(k->o, path, sizeof(path), name);
	con = fopen(path, "r");
	if (!con)
		return;
	txt = open_out(k->o, "console.txt");
	snprintf(k->last_step, sizeof(k->last_step), "boot (no step had run)");
	while ((n = getline(&line, &cap, con)) >= 0) {
		const char *m;

		line[strcspn(line, "\r\n")] = '\0';
		if (txt)
			fprintf(txt, "%s\n", line);
		snprintf(tail[nr++ % TAIL_LINES], 256, "%s", line);
		m = strstr(line, "cpuhp-kernel: ");
		if (m) {
			snprintf(k->last_step, sizeof(k->last_step), "%s", m + 14);
			continue;
		}
		if (kernel_error(line)) {
			if (!k->kernel_errors++)
				printf("kernel errors (each with the step before it):\n");
			printf("  %s\n      after %s\n", line, k->last_step);
		}
	}
	free(line);
	fclose(con);
	if (txt)
		fclose(txt);
	/* Rotate so that tail[0] is the oldest kept line. */
	if (nr > TAIL_LINES) {
		char tmp[TAIL_LINES][256];

		for (size_t i = 0; i < TAIL_LINES; i++)
			memcpy(tmp[i], tail[(nr + i) % TAIL_LINES], 256);
		memcpy(tail, tmp, sizeof(tmp));
		nr = TAIL_LINES;
	}
	for (; nr < TAIL_LINES; nr++)
		tail[nr][0] = '\0';
}

static void print_tail(char tail[][256])
{
	printf("console tail:\n");
	for (int i = 0; i < TAIL_LINES; i++)
		if (tail[i][0])
			printf("  | %s\n", tail[i]);
}

/* ------------------------------------------------------- the check */

/* Which recording file a block went to (split()). */
static bool in_file(const struct kblock *b, const char *file)
{
	if (!b->complete)
		return false;
	if (!strcmp(b->name, "info"))
		return !strcmp(file, "info.trace");
	return !strcmp(file, b->sweep ? "sweep.trace" : "scenarios.trace");
}

/*
 * Replay one recording file on the model.  conform prints one headline
 * ("FILE: PASS|FAIL|ERROR ...") per block, in the file's order, then
 * indented context lines; the differing ones are shown, all are kept in
 * check.txt.
 */
static int check_file(struct kreport *k, const char *name, FILE *keep)
{
	struct conform_overrides ov = { .model = k->o->check_model };
	char path[4200], *text = NULL, *l, *save = NULL;
	size_t len = 0, idx = 0;
	bool showing = false;
	FILE *mem;

	while (idx < k->nr && !in_file(&k->b[idx], name))
		idx++;
	if (idx == k->nr)
		return 0; /* no block: conform would replay the file as one */
	kernel_path(k->o, path, sizeof(path), name);
	mem = open_memstream(&text, &len);
	if (!mem)
		return -ENOMEM;
	conform_file(path, &ov, false, mem);
	fclose(mem);
	fputs(text, keep);
	for (l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		bool head = !strncmp(l, path, strlen(path)) && l[strlen(path)] == ':';

		if (head) {
			const char *verdict = l + strlen(path) + 2;
			struct kblock *b;

			/* The k-th headline is the k-th complete block of the file. */
			while (idx < k->nr && !in_file(&k->b[idx], name))
				idx++;
			b = idx < k->nr ? &k->b[idx++] : NULL;
			showing = strncmp(verdict, "PASS ", 5) != 0;
			if (showing) {
				if (b)
					b->differs = true;
				k->differences++;
				printf("%s (%s): %s\n", b ? b->name : "?", name, verdict);
			} else if (k->o->verbose) {
				printf("%s (%s): %s\n", b ? b->name : "?", name, verdict);
			}
		} else if (showing) {
			printf("%s\n", l);
		}
	}
	free(text);
	return 0;
}

static int check(struct kreport *k)
{
	FILE *keep = open_out(k->o, "check.txt");

	if (!keep)
		return -EIO;
	printf("check against model %s:\n", k->o->check_model);
	check_file(k, "info.trace", keep);
	check_file(k, "scenarios.trace", keep);
	check_file(k, "sweep.trace", keep);
	fclose(keep);
	return 0;
}

/* --------------------------------------------------------- the sweep */

static void sweep_table(const struct kreport *k)
{
	unsigned int n[2] = { 0 }, refused[2] = { 0 }, failed[2] = { 0 }, ok[2] = { 0 },
		     differ[2] = { 0 };
	size_t i;

	for (i = 0; i < k->nr; i++) {
		const struct kblock *b = &k->b[i];
		int d = b->up ? 0 : 1;

		if (!b->sweep || !b->complete)
			continue;
		n[d]++;
		if (b->fail_err)
			refused[d]++;
		else if (b->op_err)
			failed[d]++;
		else
			ok[d]++;
		differ[d] += b->differs;
	}
	if (!n[0] && !n[1])
		return;
	printf("sweep on cpu%d:\n", k->o->sweep_cpu);
	printf("  %-9s %6s %13s %14s %16s", "direction", "cases", "fail refused",
	       "op failed", "op succeeded");
	if (k->o->check_model)
		printf(" %8s %8s", "equal", "differ");
	putchar('\n');
	for (int d = 0; d < 2; d++) {
		printf("  %-9s %6u %13u %14u %16u", d ? "down" : "up", n[d], refused[d],
		       failed[d], ok[d]);
		if (k->o->check_model)
			printf(" %8u %8u", n[d] - differ[d], differ[d]);
		putchar('\n');
	}
	printf("  (fail refused: the hotplug/fail write was rejected, the operation ran unarmed;\n"
	       "   op failed: the armed callback failed it and the kernel rolled back)\n");
}

/* ---------------------------------------------------------- verdict */

static const char *end_text(enum guest_end e)
{
	switch (e) {
	case GUEST_DONE:
		return "done";
	case GUEST_NO_BOOT:
		return "did not boot";
	case GUEST_ERROR:
		return "the guest could not run";
	case GUEST_CRASH:
		return "the kernel crashed";
	case GUEST_HANG:
		return "the kernel hung";
	case GUEST_STOPPED:
		return "stopped by a signal";
	}
	return "?";
}

int kernel_report(const struct kernel_opts *o, const struct guest_run *r)
{
	struct kreport k = { .o = o };
	char tail[TAIL_LINES][256], con[64];
	unsigned int blocks = 0, sweeps = 0;
	int ret = KRUN_OK;
	size_t i;

	if (r->end == GUEST_NO_BOOT)
		snprintf(con, sizeof(con), "console.log.noboot-%d", r->boots);
	else
		snprintf(con, sizeof(con), "console.log");
	/* A guest that never started or stopped early has no blocks to split. */
	if (r->end != GUEST_NO_BOOT && r->end != GUEST_ERROR && split(&k))
		ctl_err("kernel: cannot split the guest's output in %s", o->outdir);
	for (i = 0; i < k.nr; i++)
		if (k.b[i].complete && strcmp(k.b[i].name, "info"))
			k.b[i].sweep ? sweeps++ : blocks++;
	printf("kernel %s: %s after %.1f s (boot to the guest %.1f s, %d boot%s); %u scenario%s, %u sweep case%s recorded in %s\n",
	       k.release[0] ? k.release : o->image, end_text(r->end), r->total_s,
	       r->boot_s, r->boots, r->boots > 1 ? "s" : "", blocks,
	       blocks == 1 ? "" : "s", sweeps, sweeps == 1 ? "" : "s", o->outdir);
	scan_console(&k, con, tail);
	switch (r->end) {
	case GUEST_DONE:
		break;
	case GUEST_NO_BOOT:
		ctl_err("kernel: the guest did not start in %d boots (%s): an environment failure; console tail below",
			r->boots,
			r->error[0] ? r->error : "QEMU or the kernel died early");
		print_tail(tail);
		ret = KRUN_ENV;
		goto out;
	case GUEST_ERROR:
		ctl_err("kernel: %s", r->error);
		ret = KRUN_ENV;
		goto out;
	case GUEST_STOPPED:
		ctl_err("kernel: stopped by a signal; QEMU ended");
		ret = KRUN_ENV;
		goto out;
	case GUEST_CRASH:
	case GUEST_HANG:
		printf("%s (%s) after %s\n", end_text(r->end),
		       r->end == GUEST_HANG ? "no output for the step timeout" :
					      "QEMU exited",
		       k.last_step);
		print_tail(tail);
		ret = KRUN_DIFFER;
		break;
	}
	if (o->check_model)
		check(&k);
	sweep_table(&k);
	if (k.kernel_errors || k.differences)
		ret = KRUN_DIFFER;
	if (o->check_model)
		printf("result: %u difference%s from %s, %u kernel error line%s\n",
		       k.differences, k.differences == 1 ? "" : "s", o->check_model,
		       k.kernel_errors, k.kernel_errors == 1 ? "" : "s");
	else
		printf("result: %u kernel error line%s\n", k.kernel_errors,
		       k.kernel_errors == 1 ? "" : "s");
out:
	free(k.b);
	return ret;
}
