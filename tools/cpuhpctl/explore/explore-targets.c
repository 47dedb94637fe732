// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * explore-targets.c - the intermediate states a hotplug/target write can
 * stop a CPU at, for "explore --all-targets".  They are probed on a
 * throwaway machine in a child process: the explorer's parent forks its
 * workers and so must never create a machine (and its threads) itself.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cpuhp/control.h>

#include "explore-run.h"

/* The highest-numbered online CPU, which any model lets go down. */
static int probe_cpu(struct cpuhp *hp)
{
	unsigned int cpu = cpuhp_nr_possible(hp);

	while (cpu-- > 1)
		if (cpuhp_cpu_online(hp, cpu))
			return (int)cpu;
	return -ENODEV;
}

/*
 * Takes one CPU from ONLINE to each named state in turn; the writes the
 * machine accepts are the targets.  Each probe starts from ONLINE: a CPU
 * already parked in PREPARE may be refused a lower target for reasons of
 * its own (the last online CPU, spec rule 15).  Skipped: BP_KICK_AP
 * (BRINGUP_CPU where the model has no kick) up to AP_ONLINE_IDLE, where the
 * kernel cannot stop a CPU either (spec 3.7 going up, 3.8 going down).
 */
static size_t probe(struct cpuhp *hp, int *targets, size_t max)
{
	int cpu = probe_cpu(hp), online = cpuhp_state_of(hp, CPUHP_ONLINE);
	int nostop = cpuhp_state_of(hp, CPUHP_BP_KICK_AP);
	int idle = cpuhp_state_of(hp, CPUHP_AP_ONLINE_IDLE);
	char path[48], value[16], top[16];
	size_t n = 0;
	int s;

	if (nostop < 0)
		nostop = cpuhp_state_of(hp, CPUHP_BRINGUP_CPU);
	if (cpu < 0 || online < 0 || nostop < 0 || idle < 0)
		return 0;
	snprintf(path, sizeof(path), "cpu%d/hotplug/target", cpu);
	snprintf(top, sizeof(top), "%d", online);
	for (s = 1; s < online && n < max; s++) {
		if ((s >= nostop && s < idle) || !cpuhp_state_name(hp, s))
			continue;
		snprintf(value, sizeof(value), "%d", s);
		if (!cpuhp_ctl_write(hp, path, top) && !cpuhp_ctl_write(hp, path, value))
			targets[n++] = s;
	}
	return n;
}

/* In the child: probe, send the count and the states, exit. */
static void child(const struct cpuhp_config *base, int *targets, size_t max, int fd)
{
	struct cpuhp_config cfg = *base;
	struct cpuhp *hp;
	size_t n = 0;

	cfg.log_fn = xsilent;
	if (!cpuhp_new(&cfg, &hp)) {
		n = probe(hp, targets, max);
		cpuhp_free(hp);
	}
	_exit(xwrite_all(fd, &n, sizeof(n)) &&
			      xwrite_all(fd, targets, n * sizeof(*targets)) ?
		      0 :
		      1);
}

/**
 * xtargets_list - the states other than 0 and ONLINE that hotplug/target accepts
 * @cfg:     the machine options
 * @targets: receives the states, ascending
 * @max:     room in @targets
 * @n:       receives how many (0 without CPU_HOTPLUG_STATE_CONTROL)
 *
 * Context: the caller's thread; forks one child and waits for it.
 * Return: 0, or -errno if the child could not be run or did not answer.
 */
int xtargets_list(const struct cpuhp_config *cfg, int *targets, size_t max, size_t *n)
{
	int fd[2], status, ret = 0;
	size_t got = 0;
	pid_t pid;

	if (pipe(fd))
		return -errno;
	pid = fork();
	if (pid < 0) {
		ret = -errno;
		close(fd[0]);
		close(fd[1]);
		return ret;
	}
	if (!pid) {
		close(fd[0]);
		child(cfg, targets, max, fd[1]);
	}
	close(fd[1]);
	if (!xread_all(fd[0], &got, sizeof(got)) || got > max ||
	    !xread_all(fd[0], targets, got * sizeof(*targets)))
		ret = -EIO;
	close(fd[0]);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		ret = ret ? ret : -EIO;
	*n = ret ? 0 : got;
	return ret;
}
