// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * exec-ns.c - the private mount namespace of "cpuhpctl exec" and the mounts
 * in it: the sysroot mount on a fresh directory, its views bound over
 * /sys/devices/system/cpu and node, /sys/kernel/tracing and /proc/cpuinfo, and the
 * check, from /proc/self/mountinfo, that the cpu directory really is the
 * simulated machine before anything runs against it.
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cpuhpctl.h"
#include "exec.h"

#define SYS_CPU "/sys/devices/system/cpu"
#define SYS_TRACING "/sys/kernel/tracing"
#define PROC_CPUINFO "/proc/cpuinfo"
#define SYS_NODE "/sys/devices/system/node"

/*
 * A mount namespace of our own, whose mounts never propagate back: every
 * mount made from here on is invisible to the rest of the system and goes
 * away with the namespace's last process, however this one ends.
 */
int exec_ns_enter(void)
{
	if (unshare(CLONE_NEWNS)) {
		ctl_err("exec: cannot create a private mount namespace: %s (run as root, "
			"or with CAP_SYS_ADMIN)",
			strerror(errno));
		return -errno;
	}
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)) {
		ctl_err("exec: cannot make the mounts private: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

int exec_ns_mkdir(struct exec_ns *ns)
{
	const char *tmp = getenv("TMPDIR");

	if (!tmp || !*tmp || strlen(tmp) > sizeof(ns->dir) - 24)
		tmp = "/tmp";
	snprintf(ns->dir, sizeof(ns->dir), "%s/cpuhp-exec.XXXXXX", tmp);
	if (!mkdtemp(ns->dir)) {
		ctl_err("exec: cannot create a directory in %s: %s", tmp,
			strerror(errno));
		ns->dir[0] = '\0';
		return -errno;
	}
	return 0;
}

void exec_ns_rmdir(struct exec_ns *ns)
{
	if (ns->dir[0])
		rmdir(ns->dir);
	ns->dir[0] = '\0';
}

static int bind(const struct exec_ns *ns, const char *view, const char *target,
		bool *done)
{
	char src[128];

	snprintf(src, sizeof(src), "%s%s", ns->dir, view);
	if (mount(src, target, NULL, MS_BIND, NULL)) {
		ctl_err("exec: cannot bind %s over %s: %s", src, target, strerror(errno));
		return -errno;
	}
	*done = true;
	return 0;
}

int exec_ns_bind(struct exec_ns *ns)
{
	struct stat st;
	int ret;

	ret = bind(ns, SYS_CPU, SYS_CPU, &ns->mounted_cpu);
	/* Optional views: only where the system has the place for them. */
	if (!ret && !stat(SYS_TRACING, &st) && S_ISDIR(st.st_mode))
		ret = bind(ns, SYS_TRACING, SYS_TRACING, &ns->mounted_tracing);
	/* The host's NUMA nodes would list the host's CPUs. */
	if (!ret && !stat(SYS_NODE, &st) && S_ISDIR(st.st_mode))
		ret = bind(ns, SYS_NODE, SYS_NODE, &ns->mounted_node);
	if (!ret && !stat(PROC_CPUINFO, &st))
		ret = bind(ns, PROC_CPUINFO, PROC_CPUINFO, &ns->mounted_cpuinfo);
	return ret;
}

/* Lazy: a process of the program under test may still hold a file open. */
void exec_ns_unbind(struct exec_ns *ns)
{
	if (ns->mounted_cpuinfo)
		umount2(PROC_CPUINFO, MNT_DETACH);
	if (ns->mounted_node)
		umount2(SYS_NODE, MNT_DETACH);
	if (ns->mounted_tracing)
		umount2(SYS_TRACING, MNT_DETACH);
	if (ns->mounted_cpu)
		umount2(SYS_CPU, MNT_DETACH);
	ns->mounted_cpu = ns->mounted_tracing = ns->mounted_cpuinfo = ns->mounted_node =
		false;
}

/*
 * The topmost mount on @where (mountinfo lists mounts in the order they
 * stack, so the last line for a mount point is the one lookups see) must be
 * ours: file system type "fuse.cpuhp".  Anything else, the host's sysfs
 * included, and the program does not run.
 */
bool exec_ns_verify(const char *where)
{
	FILE *f = fopen("/proc/self/mountinfo", "r");
	char line[4096], fstype[256] = "";
	bool found = false;

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		char *save = NULL, *tok, *mnt = NULL, *dash;
		int i;

		/* Field 5 is the mount point; the type follows " - ". */
		dash = strstr(line, " - ");
		if (!dash)
			continue;
		*dash = '\0';
		tok = strtok_r(line, " ", &save);
		for (i = 1; tok && i < 5; i++)
			tok = strtok_r(NULL, " ", &save);
		mnt = tok;
		if (!mnt || strcmp(mnt, where))
			continue;
		tok = strtok_r(dash + 3, " ", &save);
		if (!tok)
			continue;
		snprintf(fstype, sizeof(fstype), "%s", tok);
		found = true;
	}
	fclose(f);
	return found && !strcmp(fstype, "fuse.cpuhp");
}
