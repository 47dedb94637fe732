# shellcheck shell=bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# lib.sh - helpers for the tests of "cpuhpctl mount": each test runs in a
# private mount namespace and a PID namespace of its own (so no mount and no
# mount process can outlive it, and no mount reaches the host), mounts a
# simulated machine and binds its cpu directory over /sys/devices/system/cpu,
# where unmodified programs then find it.
#
# Sourced first thing: re-executes the test under "unshare -m", or exits 77
# with the reason when /dev/fuse or unshare is unavailable.

CPUHP_FUSE_TEST=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")

fuse_skip() {
	echo "1..0 # SKIP $*"
	exit 77
}

if [ -z "${CPUHP_FUSE_NS:-}" ]; then
	[ -e /dev/fuse ] || fuse_skip "/dev/fuse does not exist (no FUSE in this kernel or container)"
	{ : <>/dev/fuse; } 2>/dev/null || fuse_skip "cannot open /dev/fuse (needs root here)"
	command -v unshare >/dev/null || fuse_skip "unshare (util-linux) is not installed"
	unshare -m --pid --fork --mount-proc true 2>/dev/null ||
		fuse_skip "unshare -m --pid is not permitted (needs root or CAP_SYS_ADMIN)"
	# Private propagation: nothing mounted inside is seen outside.  A PID
	# namespace of our own: when its first process (this script) dies,
	# killed by CTest's timeout too, the kernel kills every process left in
	# it, daemons that left our process group included.
	CPUHP_FUSE_NS=1 exec unshare -m --pid --fork --kill-child --mount-proc \
		--propagation private bash "$CPUHP_FUSE_TEST" "$@"
fi

. "$(dirname "$CPUHP_FUSE_TEST")/../cli/lib.sh"

CPU=/sys/devices/system/cpu
MNT=
MOUNT_PID=

# The mount process is our child: CTest's timeout kill takes it with us, and
# the namespace (and every mount in it) dies with its last process.  On an
# early exit, end it without checks.
fuse_abort() {
	if [ -n "$MOUNT_PID" ]; then
		umount -l "$CPU" 2>/dev/null
		kill -KILL "$MOUNT_PID" 2>/dev/null
		wait "$MOUNT_PID" 2>/dev/null
		umount -l "$MNT" 2>/dev/null
	fi
	rm -rf "$TMP"
}
trap 'fuse_abort' EXIT

# fuse_finish: unmount with SIGTERM, check that it went cleanly, report.
fuse_finish() {
	local st
	if [ -n "$MOUNT_PID" ]; then
		umount -l "$CPU" 2>/dev/null
		kill -TERM "$MOUNT_PID" 2>/dev/null
		wait "$MOUNT_PID"
		st=$?
		MOUNT_PID=
		# SIGTERM must unmount cleanly and exit 0 (sanitizers: no leak).
		check_status "mount process ends cleanly on SIGTERM" 0 "$st"
		if mountpoint -q "$MNT"; then
			not_ok "the mount is gone after SIGTERM"
			umount -l "$MNT"
		else
			ok "the mount is gone after SIGTERM"
		fi
		if [ -s "$TMP/mount.log" ]; then
			sed 's/^/# mount: /' "$TMP/mount.log"
		fi
	fi
	finish
}

# fuse_mount [MACHINE OPTIONS...]: mount a machine on $MNT (sysroot layout)
# in the foreground, in the background, and bind its cpu directory over
# /sys/devices/system/cpu.
fuse_mount() {
	local i
	MNT=$TMP/root
	mkdir -p "$MNT"
	"$CPUHPCTL" "$@" mount --foreground "$MNT" 2>"$TMP/mount.log" &
	MOUNT_PID=$!
	# Wait for the mount (no timing assertion: CTest's timeout bounds it).
	for ((i = 0; ; i++)); do
		[ -e "$MNT/sys/devices/system/cpu/online" ] && break
		if ! kill -0 "$MOUNT_PID" 2>/dev/null; then
			not_ok "cpuhpctl mount $*"
			sed 's/^/#   /' "$TMP/mount.log"
			MOUNT_PID=
			fuse_finish
		fi
		sleep 0.05
	done
	ok "cpuhpctl $* mount: files appear"
	mount --bind "$MNT/sys/devices/system/cpu" "$CPU"
	# Never let a client loose on the host's CPUs.
	if [ "$(findmnt -n -o FSTYPE --mountpoint "$CPU" | tail -n 1)" != fuse.cpuhp ]; then
		not_ok "$CPU is the simulated machine"
		findmnt --mountpoint "$CPU" | sed 's/^/#   /'
		fuse_finish
	fi
	ok "$CPU is the simulated machine"
}
