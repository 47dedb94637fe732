// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * exec-flap.c - CPUs that come and go while the program under test runs:
 * either random offline/online operations at a fixed rate from a seeded
 * generator (--flap RATE --seed N), or a script of control-file writes played
 * in a loop (--flap-script FILE).  The writes go straight to the library's
 * control interface, as a write(2) on the mount would, on a thread of their
 * own; every operation is also logged for the crash report.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cpuhpctl.h"
#include "exec.h"

/*
 * splitmix64: tiny, well mixed, and fully determined by its seed, which is
 * all "the same seed gives the same sequence" needs.
 */
uint64_t flap_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

/* ------------------------------------------------------------- script */

/*
 * The script: one step a line, "PATH VALUE" (PATH relative to
 * /sys/devices/system/cpu, e.g. "cpu1/online 0") or "sleep MS"; '#' starts
 * a comment.  Checked whole before anything runs.
 */
static int parse_line(struct flap *f, char *line, const char *file, unsigned int nr,
		      unsigned long *delay_us)
{
	char *a, *b, *end, *save = NULL;
	struct flap_step *s;
	double ms;

	line[strcspn(line, "#\n")] = '\0';
	a = strtok_r(line, " \t", &save);
	if (!a)
		return 0;
	b = strtok_r(NULL, " \t", &save);
	if (!b || strtok_r(NULL, " \t", &save)) {
		ctl_err("exec: %s:%u: expected 'PATH VALUE' or 'sleep MS'", file, nr);
		return -EINVAL;
	}
	if (!strcmp(a, "sleep")) {
		errno = 0;
		ms = strtod(b, &end);
		if (errno || *end || ms < 0 || ms > 3600e3) {
			ctl_err("exec: %s:%u: bad sleep time '%s'", file, nr, b);
			return -EINVAL;
		}
		*delay_us += (unsigned long)(ms * 1000);
		return 0;
	}
	if (strlen(a) >= sizeof(s->path) || strlen(b) >= sizeof(s->value)) {
		ctl_err("exec: %s:%u: path or value too long", file, nr);
		return -EINVAL;
	}
	s = realloc(f->steps, (f->nr_steps + 1) * sizeof(*s));
	if (!s)
		return -ENOMEM;
	f->steps = s;
	s = &f->steps[f->nr_steps++];
	s->delay_us = *delay_us;
	*delay_us = 0;
	strcpy(s->path, a);
	strcpy(s->value, b);
	return 0;
}

int flap_load_script(struct flap *f, const char *file)
{
	unsigned long delay_us = 0;
	unsigned int nr = 0;
	char line[256];
	FILE *in = strcmp(file, "-") ? fopen(file, "r") : stdin;
	int ret = 0;

	if (!in) {
		ctl_err("exec: %s: %s", file, strerror(errno));
		return -errno;
	}
	while (!ret && fgets(line, sizeof(line), in))
		ret = parse_line(f, line, file, ++nr, &delay_us);
	if (in != stdin)
		fclose(in);
	if (!ret && !f->nr_steps) {
		ctl_err("exec: %s: no write in the flap script", file);
		ret = -EINVAL;
	}
	/* A trailing sleep belongs before the first step of the next round. */
	if (!ret)
		f->steps[0].delay_us += delay_us;
	return ret;
}

/* ------------------------------------------------------------ running */

/* In slices of at most 20 ms, so that a stop request is seen soon. */
static void sleep_until(struct flap *f, uint64_t t_ns)
{
	const uint64_t slice = 20 * 1000 * 1000;
	uint64_t now, t;
	struct timespec ts;

	while (!atomic_load(&f->stop) && (now = mono_ns()) < t_ns) {
		t = t_ns - now > slice ? now + slice : t_ns;
		ts.tv_sec = (time_t)(t / 1000000000u);
		ts.tv_nsec = (long)(t % 1000000000u);
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
	}
}

/*
 * Log, then write: the operation's trace events follow its line, and the
 * report shows an operation still under way when the program died.  A
 * failure gets a line of its own.  False when it should stop the flapping.
 */
static bool flap_write(struct flap *f, const char *path, const char *value)
{
	char text[EVENT_TEXT];
	int err;

	f->ops++;
	snprintf(text, sizeof(text), "flap #%lu: echo %s > %s", f->ops, value, path);
	event_log_add(f->log, mono_ns(), text);
	err = cpuhp_ctl_write(f->hp, path, value);
	if (!err)
		return true;
	snprintf(text, sizeof(text), "flap #%lu: failed: %s", f->ops, strerror(-err));
	event_log_add(f->log, mono_ns(), text);
	f->failed++;
	if (f->keep_going)
		return true;
	f->error = -err;
	snprintf(f->error_op, sizeof(f->error_op), "echo %s > %s", value, path);
	return false;
}

/*
 * One random operation: a CPU other than the boot CPU (which has no online
 * file on the built-in models), chosen by the generator, switched to the
 * other side.
 */
static bool flap_random(struct flap *f)
{
	unsigned int n = cpuhp_nr_possible(f->hp), cpu;
	char path[32];

	if (n < 2)
		return false;
	cpu = 1 + (unsigned int)(flap_next(&f->rng) % (n - 1));
	snprintf(path, sizeof(path), "cpu%u/online", cpu);
	return flap_write(f, path, cpuhp_cpu_online(f->hp, cpu) ? "0" : "1");
}

static void *flap_thread(void *arg)
{
	struct flap *f = arg;
	uint64_t start = mono_ns(), next = start;
	size_t i = 0;

	while (!atomic_load(&f->stop)) {
		if (f->random) {
			if (f->rate > 0) {
				next += (uint64_t)(1e9 / f->rate);
				sleep_until(f, next);
			}
			if (atomic_load(&f->stop) || !flap_random(f))
				break;
		} else {
			const struct flap_step *s = &f->steps[i];

			next += (uint64_t)s->delay_us * 1000u;
			sleep_until(f, next);
			if (atomic_load(&f->stop) || !flap_write(f, s->path, s->value))
				break;
			i = (i + 1) % f->nr_steps;
		}
	}
	f->elapsed = (double)(mono_ns() - start) / 1e9;
	return NULL;
}

int flap_start(struct flap *f)
{
	int err;

	f->rng = f->seed;
	atomic_init(&f->stop, false);
	err = pthread_create(&f->thread, NULL, flap_thread, f);
	if (err)
		ctl_err("exec: cannot create the flap thread: %s", strerror(err));
	return -err;
}

void flap_stop(struct flap *f)
{
	atomic_store(&f->stop, true);
	pthread_join(f->thread, NULL);
}
