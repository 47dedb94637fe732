/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kernel.h - "cpuhpctl kernel run": boot a real kernel image under QEMU, run
 * scenarios and the single-fault sweep inside it with cpuhp-guest (guest.c),
 * keep the recordings in the oracle format and check them against a model.
 *
 * kernel-env.c finds and checks what a run needs, kernel-cpio.c and
 * kernel-plan.c build the initramfs, kernel-qemu.c boots and watches the
 * guest, kernel-report.c splits the recording, checks it and reports;
 * cmd-kernel.c is the command around them.  docs/kernel.md.
 */
#ifndef CPUHPCTL_KERNEL_H
#define CPUHPCTL_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Exit statuses of "kernel run" (the issue's): clean, differences, environment. */
enum {
	KRUN_OK = 0,
	KRUN_DIFFER = 1,
	KRUN_ENV = 2,
};

struct kernel_opts {
	const char *image;
	const char *smp;    /* QEMU -smp value */
	const char *append; /* extra kernel parameters, or NULL */
	const char *accel;  /* "tcg", "kvm" or NULL: kvm when /dev/kvm works */
	const char *outdir;
	const char *check_model; /* --check MODEL, or NULL */
	bool sweep;
	int sweep_cpu, sweep_first, sweep_last; /* first/last -1: the whole range */
	double step_timeout; /* seconds without output before a hang is declared */
	char **scripts;
	int nr_scripts;
	bool verbose;
	/* Found by kernel_find_env(). */
	char qemu[4096], busybox[4096], guest[4096];
	unsigned int threads, cores, sockets, cpus; /* parsed from smp */
};

/* kernel-env.c: each returns 0 or prints one line saying what is missing. */
int kernel_parse_smp(struct kernel_opts *o);
int kernel_check_image(const char *image);
int kernel_find_env(struct kernel_opts *o);
bool kernel_kvm_works(void);

/* kernel-cpio.c: a newc archive. */
struct cpio;
struct cpio *cpio_open(const char *path);
int cpio_dir(struct cpio *c, const char *name);
int cpio_chardev(struct cpio *c, const char *name, unsigned int major,
		 unsigned int minor);
int cpio_file(struct cpio *c, const char *name, unsigned int mode, const void *data,
	      size_t len);
int cpio_copy(struct cpio *c, const char *name, unsigned int mode, const char *src);
int cpio_close(struct cpio *c); /* writes the trailer; 0 or -errno */

/* kernel-plan.c: the scripts and the sweep as cpuhp-guest's plan text. */
int kernel_plan(const struct kernel_opts *o, char **plan, size_t *len,
		unsigned int *blocks);
int kernel_initramfs(const struct kernel_opts *o, const char *plan, size_t len,
		     const char *path);

/* kernel-qemu.c: one run of the guest. */
enum guest_end {
	GUEST_DONE,    /* the guest printed "##### DONE" */
	GUEST_NO_BOOT, /* QEMU or the kernel died before the guest started */
	GUEST_ERROR,   /* the guest said what is missing ("##### GUEST-ERROR") */
	GUEST_CRASH,   /* the kernel died (panic, reboot) in the middle */
	GUEST_HANG,    /* no output for the step timeout */
	GUEST_STOPPED, /* interrupted by a signal */
};

struct guest_run {
	enum guest_end end;
	int boots;              /* attempts made */
	double boot_s, total_s; /* to GUEST-READY, to the end */
	char error[512];        /* GUEST_ERROR's message, or why QEMU failed */
};

int kernel_boot(const struct kernel_opts *o, unsigned int blocks, struct guest_run *r);

/* kernel-report.c */
int kernel_report(const struct kernel_opts *o, const struct guest_run *r);

/* Paths inside the output directory. */
void kernel_path(const struct kernel_opts *o, char *buf, size_t len, const char *name);

#endif /* CPUHPCTL_KERNEL_H */
