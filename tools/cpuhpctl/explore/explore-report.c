// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * explore-report.c - what cpuhpctl explore prints: the progress (a bar on a
 * terminal, a line every 10 % otherwise), the summary table by section and
 * direction, and every violation with the script that reproduces it.
 */
#include <stdio.h>
#include <string.h>

#include "explore-run.h"

void xdescribe_faults(const struct explorer *x, const struct task *t, char *buf,
		      size_t len)
{
	char name[64];
	size_t n;
	unsigned int i;

	xop_name(&x->ops[t->op], name, sizeof(name));
	n = (size_t)snprintf(buf, len, "%s", name);
	for (i = 0; i < t->nfaults && n < len; i++) {
		const struct xkey *k = &t->f[i];

		n += (size_t)snprintf(buf + n, len - n, "%s cpu%d state %d %s",
				      i ? " then" : ":", k->cpu, k->state,
				      k->up ? "startup" : "teardown");
		if (k->instance >= 0 && n < len)
			n += (size_t)snprintf(buf + n, len - n, " instance %d",
					      k->instance);
		if (k->nth && n < len)
			n += (size_t)snprintf(buf + n, len - n, " (call %u)", k->nth + 1);
	}
}

void xprogress(struct explorer *x, const struct phase *ph, bool final)
{
	static size_t last_step;
	const int width = 30;
	size_t step;
	double t;
	int fill;

	if (!ph->n)
		return;
	if (x->tty) {
		t = ctl_now();
		/* At most ten redraws a second. */
		if (!final && t - x->last_draw < 0.1)
			return;
		x->last_draw = t;
		fill = (int)(ph->done * (size_t)width / ph->n);
		fprintf(stderr, "\rexplore: %-14s [%.*s%*s] %zu/%zu, %zu failed",
			ph->name, fill, "##############################", width - fill,
			"", ph->done, ph->n, ph->failed);
		if (final)
			fputc('\n', stderr);
		return;
	}
	step = ph->done * 10 / ph->n;
	if (ph->done == 0)
		last_step = 0;
	if (final || step > last_step) {
		last_step = step;
		fprintf(stderr, "explore: %s: %zu/%zu points, %zu failed\n", ph->name,
			ph->done, ph->n, ph->failed);
	}
}

/* ---- report ---- */

struct row {
	size_t tried[2], passed[2];
};

void xsummary(struct explorer *x, struct phase *ph, size_t nph, double total)
{
	static const char *const dirs[] = { "startup", "teardown" };
	struct row rows[NR_XO_KINDS][2];
	size_t i, p;
	int kd, d;

	memset(rows, 0, sizeof(rows));
	for (p = 1; p < nph; p++) {
		for (i = 0; i < ph[p].n; i++) {
			const struct task *t = &ph[p].tasks[i];

			kd = (int)x->ops[t->op].kind;
			d = t->f[0].up ? 0 : 1;
			rows[kd][d].tried[p - 1]++;
			rows[kd][d].passed[p - 1] += ph[p].res[i].pass;
		}
	}
	printf("\n%-14s %-9s %10s %10s %10s %10s\n", "section", "direction", "single",
	       "passed", "double", "passed");
	for (kd = 0; kd < NR_XO_KINDS; kd++) {
		for (d = 0; d < 2; d++) {
			const struct row *r = &rows[kd][d];

			if (!r->tried[0] && !r->tried[1])
				continue;
			printf("%-14s %-9s %10zu %10zu %10zu %10zu\n",
			       xop_section((enum xop_kind)kd), dirs[d], r->tried[0],
			       r->passed[0], r->tried[1], r->passed[1]);
		}
	}
	printf("%-14s %-9s %10zu %10zu %10zu %10zu\n", "total", "", ph[1].n,
	       ph[1].n - ph[1].failed, nph > 2 ? ph[2].n : 0,
	       nph > 2 ? ph[2].n - ph[2].failed : 0);
	printf("\noperations: %zu (%zu clean runs failed); time: enumerate %.2fs, single %.2fs",
	       ph[0].n, ph[0].failed, ph[0].secs, ph[1].secs);
	if (nph > 2)
		printf(", double %.2fs", ph[2].secs);
	printf(", total %.2fs with %u worker%s\n", total, x->jobs,
	       x->jobs > 1 ? "s" : "");
	for (p = 1; p < nph; p++)
		if (ph[p].known)
			printf("known kernel behaviour: %zu %s point%s (counted as passed; docs/explore.md)\n",
			       ph[p].known, ph[p].name, ph[p].known > 1 ? "s" : "");
	for (p = 1; p < nph; p++)
		if (ph[p].unfired)
			printf("note: %zu %s point%s did not fire (the run took another path)\n",
			       ph[p].unfired, ph[p].name, ph[p].unfired > 1 ? "s" : "");
}

size_t xreport_violations(struct explorer *x, struct phase *ph, size_t nph)
{
	size_t p, i, shown = 0, total = 0;
	char what[200];

	for (p = 0; p < nph; p++) {
		for (i = 0; i < ph[p].n; i++) {
			if (ph[p].res[i].pass)
				continue;
			total++;
			if (shown >= x->max_repro)
				continue;
			shown++;
			xdescribe_faults(x, &ph[p].tasks[i], what, sizeof(what));
			printf("\nVIOLATION (%s) %s\n%s", ph[p].name, what,
			       ph[p].res[i].text ? ph[p].res[i].text : "");
			if (x->minimize)
				xminimize(x, ph[p].res[i].text);
		}
	}
	if (total > shown)
		printf("\n... and %zu more violating point%s (raise --max-repro to see them)\n",
		       total - shown, total - shown > 1 ? "s" : "");
	/* One example of the known behaviour (one with a context violation). */
	for (p = 0; p < nph; p++) {
		for (i = 0; i < ph[p].n; i++) {
			if (!ph[p].res[i].known || !strstr(ph[p].res[i].text, "context"))
				continue;
			xdescribe_faults(x, &ph[p].tasks[i], what, sizeof(what));
			printf("\nKNOWN (%s) %s\n%s", ph[p].name, what,
			       ph[p].res[i].text);
			p = nph;
			break;
		}
	}
	for (i = 0; i < x->nnotes; i++) {
		printf("\nVIOLATION %s\n", x->notes[i]);
		total++;
	}
	return total;
}
