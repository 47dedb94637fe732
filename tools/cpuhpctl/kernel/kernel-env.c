// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * kernel-env.c - what "kernel run" needs before it boots anything: a
 * bootable image whose config (when it can be found) has CPU hotplug and
 * tracing, qemu-system-x86_64, a static busybox and the cpuhp-guest helper.
 * Each check that fails prints one line saying what is missing and how to
 * get it, and the run stops before anything was started.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cpuhpctl.h"
#include "kernel.h"

/* "N[,sockets=S][,cores=C][,threads=T]" as QEMU's -smp takes it. */
int kernel_parse_smp(struct kernel_opts *o)
{
	char *copy = strdup(o->smp), *tok, *save = NULL;
	unsigned int n = 0, s = 0, c = 0, t = 0, *dst;
	int err = 0;

	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '='), *end;
		unsigned long v;

		dst = &n;
		if (eq) {
			*eq = '\0';
			if (!strcmp(tok, "sockets"))
				dst = &s;
			else if (!strcmp(tok, "cores"))
				dst = &c;
			else if (!strcmp(tok, "threads"))
				dst = &t;
			else if (!strcmp(tok, "maxcpus") || !strcmp(tok, "dies"))
				dst = NULL; /* passed to QEMU, not needed here */
			else if (strcmp(tok, "cpus")) {
				err = -EINVAL;
				break;
			}
		}
		errno = 0;
		v = strtoul(eq ? eq + 1 : tok, &end, 10);
		if (errno || *end || !v || v > 1024) {
			err = -EINVAL;
			break;
		}
		if (dst)
			*dst = (unsigned int)v;
	}
	free(copy);
	if (!err) {
		/* What QEMU would fill in: the CPUs left over go to sockets. */
		o->threads = t ? t : 1;
		o->cores = c ? c : 1;
		o->cpus = n ? n : (s ? s : 1) * o->cores * o->threads;
		o->sockets = s ? s : o->cpus / (o->cores * o->threads);
		if (o->cpus < 2 || !o->sockets ||
		    o->sockets * o->cores * o->threads != o->cpus)
			err = -EINVAL;
	}
	if (err)
		ctl_err("kernel: --smp '%s': expected N[,sockets=S][,cores=C][,threads=T], N = S*C*T >= 2",
			o->smp);
	return err;
}

/*
 * An x86 boot image (bzImage, what /boot/vmlinuz-* and arch/x86/boot/bzImage
 * are) carries 0xAA55 at 0x1FE and "HdrS" at 0x202.
 */
int kernel_check_image(const char *image)
{
	unsigned char hdr[0x206];
	int fd = open(image, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0) {
		ctl_err("kernel: cannot open the kernel image %s: %s (give --kernel arch/x86/boot/bzImage of your build, or a /boot/vmlinuz-*: apt-get download linux-image-VERSION-cloud-amd64-unsigned && dpkg -x)",
			image, strerror(errno));
		return -ENOENT;
	}
	n = read(fd, hdr, sizeof(hdr));
	close(fd);
	if (n != (ssize_t)sizeof(hdr) || hdr[0x1fe] != 0x55 || hdr[0x1ff] != 0xaa ||
	    memcmp(hdr + 0x202, "HdrS", 4)) {
		ctl_err("kernel: %s is not a bootable x86 kernel image (no bzImage header): give arch/x86/boot/bzImage or /boot/vmlinuz-*, not vmlinux",
			image);
		return -ENOEXEC;
	}
	return 0;
}

/*
 * The config the image was built with, if it lies where builds and
 * packages put it: boot/config-V beside boot/vmlinuz-V, or the .config at
 * the top of the build tree (arch/x86/boot/bzImage is three levels down).
 */
static bool find_config(const char *image, char *buf, size_t len)
{
	const char *base = strrchr(image, '/');
	size_t dir = base ? (size_t)(base - image) : 0;
	int up;

	base = base ? base + 1 : image;
	if (!strncmp(base, "vmlinuz-", 8)) {
		snprintf(buf, len, "%.*s%sconfig-%s", (int)dir, image, dir ? "/" : "",
			 base + 8);
		if (!access(buf, R_OK))
			return true;
	}
	for (up = 0; up <= 3; up++) {
		int n = snprintf(buf, len, "%.*s%s", (int)dir, image, dir ? "/" : "./");

		for (int i = 0; i < up; i++)
			n += snprintf(buf + n, len - (size_t)n, "../");
		snprintf(buf + n, len - (size_t)n, ".config");
		if (!access(buf, R_OK))
			return true;
	}
	return false;
}

/* Return: the value of CONFIG_@name in @config ("y", "m", ...) or NULL. */
static const char *config_value(FILE *f, const char *name, char *buf, size_t len)
{
	char line[512];
	size_t n = strlen(name);

	rewind(f);
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "CONFIG_", 7) && !strncmp(line + 7, name, n) &&
		    line[7 + n] == '=') {
			snprintf(buf, len, "%s", line + 8 + n);
			buf[strcspn(buf, "\n")] = '\0';
			return buf;
		}
	}
	return NULL;
}

static int check_config(const char *image)
{
	static const char *const needed[][2] = {
		{ "HOTPLUG_CPU", "CPU hotplug" },
		{ "TRACING", "tracefs and the cpuhp trace events" },
	};
	char path[PATH_MAX], val[64];
	FILE *f;
	size_t i;

	if (!find_config(image, path, sizeof(path)))
		return 0; /* the guest checks from the inside */
	f = fopen(path, "r");
	if (!f)
		return 0;
	for (i = 0; i < sizeof(needed) / sizeof(needed[0]); i++) {
		const char *v = config_value(f, needed[i][0], val, sizeof(val));

		if (!v || strcmp(v, "y")) {
			ctl_err("kernel: %s was built without CONFIG_%s (%s, says %s): rebuild it with CONFIG_%s=y",
				image, needed[i][0], needed[i][1], path, needed[i][0]);
			fclose(f);
			return -ENOEXEC;
		}
	}
	fclose(f);
	return 0;
}

/* The first executable @name in $PATH, into @buf. */
static bool in_path(const char *name, char *buf, size_t len)
{
	const char *path = getenv("PATH"), *p;

	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path; *p;) {
		size_t n = strcspn(p, ":");

		snprintf(buf, len, "%.*s/%s", (int)n, n ? p : ".", name);
		if (!access(buf, X_OK))
			return true;
		p += n + !!p[n];
	}
	return false;
}

/* A static executable has no program interpreter (PT_INTERP). */
static bool is_static_elf(const char *path)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool ok = false;

	if (fd < 0)
		return false;
	if (pread(fd, &eh, sizeof(eh), 0) != sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_machine != EM_X86_64)
		goto out;
	ok = true;
	for (unsigned int i = 0; i < eh.e_phnum; i++) {
		if (pread(fd, &ph, sizeof(ph),
			  (off_t)(eh.e_phoff + i * eh.e_phentsize)) != sizeof(ph)) {
			ok = false;
			break;
		}
		if (ph.p_type == PT_INTERP)
			ok = false;
	}
out:
	close(fd);
	return ok;
}

static int find_busybox(struct kernel_opts *o)
{
	const char *env = getenv("CPUHP_BUSYBOX");

	if (env)
		snprintf(o->busybox, sizeof(o->busybox), "%s", env);
	else if (!access("/bin/busybox", X_OK))
		snprintf(o->busybox, sizeof(o->busybox), "/bin/busybox");
	else if (!in_path("busybox", o->busybox, sizeof(o->busybox))) {
		ctl_err("kernel: no busybox found for the guest: apt-get install busybox-static (or set CPUHP_BUSYBOX to a static x86-64 busybox)");
		return -ENOENT;
	}
	if (!is_static_elf(o->busybox)) {
		ctl_err("kernel: %s is not a static x86-64 busybox: apt-get install busybox-static (or set CPUHP_BUSYBOX)",
			o->busybox);
		return -ENOEXEC;
	}
	return 0;
}

/* cpuhp-guest is built next to cpuhpctl (CMake), or installed in libexec. */
static int find_guest(struct kernel_opts *o)
{
	const char *env = getenv("CPUHP_GUEST");
	char exe[PATH_MAX];
	ssize_t n;
	char *slash;

	if (env) {
		snprintf(o->guest, sizeof(o->guest), "%s", env);
	} else {
		n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
		exe[n > 0 ? n : 0] = '\0';
		slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
		if (snprintf(o->guest, sizeof(o->guest), "%s/cpuhp-guest", exe) >=
			    (int)sizeof(o->guest) ||
		    access(o->guest, R_OK))
			if (snprintf(o->guest, sizeof(o->guest),
				     "%s/../libexec/cpuhp/cpuhp-guest",
				     exe) >= (int)sizeof(o->guest))
				o->guest[0] = '\0';
	}
	if (access(o->guest, R_OK) || !is_static_elf(o->guest)) {
		ctl_err("kernel: no static cpuhp-guest helper at %s: build the project with gcc on x86-64 (target cpuhp-guest), or set CPUHP_GUEST",
			o->guest);
		return -ENOENT;
	}
	return 0;
}

bool kernel_kvm_works(void)
{
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	bool ok;

	if (fd < 0)
		return false;
	ok = ioctl(fd, 0xAE00 /* KVM_GET_API_VERSION */, 0) == 12;
	close(fd);
	return ok;
}

int kernel_find_env(struct kernel_opts *o)
{
	if (kernel_check_image(o->image) || check_config(o->image))
		return -1;
	if (!in_path("qemu-system-x86_64", o->qemu, sizeof(o->qemu))) {
		ctl_err("kernel: qemu-system-x86_64 not found: apt-get install qemu-system-x86");
		return -1;
	}
	if (o->accel && !strcmp(o->accel, "kvm") && !kernel_kvm_works()) {
		ctl_err("kernel: --accel kvm: /dev/kvm does not work here (no KVM: use --accel tcg)");
		return -1;
	}
	if (find_busybox(o) || find_guest(o))
		return -1;
	return 0;
}
