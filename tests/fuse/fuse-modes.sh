#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# fuse-modes.sh - how "cpuhpctl mount" starts and ends: the daemon returns
# once mounted and ends on umount; the foreground process ends on SIGINT with
# the mount gone; "--layout cpu" mounts straight over /sys/devices/system/cpu;
# without FUSE, or without the right to use it, or with a bad operand, a
# clear error and exit status 1 (2 for usage errors), and nothing mounted.

. "$(dirname "$0")/lib.sh"

D=$TMP/d
mkdir -p "$D"
chmod 755 "$TMP"

# The processes serving $D (the daemon is not our child); /proc, as procps
# may not be installed.
daemon_pids() {
	local f cmd
	for f in /proc/[0-9]*/cmdline; do
		cmd=$(tr '\0' ' ' 2>/dev/null <"$f") || continue
		case $cmd in
		*cpuhpctl*" mount $D ") f=${f#/proc/} && echo "${f%/cmdline}" ;;
		esac
	done
}

# Any daemon still serving $D when we leave.
kill_daemons() {
	local p
	for p in $(daemon_pids); do
		kill -KILL "$p" 2>/dev/null
	done
	umount -l "$D" 2>/dev/null
}
trap 'kill_daemons; fuse_abort' EXIT

# Daemon mode: the files are there as soon as the command returns.
"$CPUHPCTL" --cpus 2 mount "$D" 2>"$TMP/err"
check_status "daemon: cpuhpctl mount DIR" 0 $?
check_eq "daemon: online readable at once" "0-1" "$(cat "$D/sys/devices/system/cpu/online")"
check_eq "daemon: said nothing" "" "$(cat "$TMP/err")"
daemon_pids >"$TMP/pids"
check_eq "daemon: one serving process" "1" "$(wc -l <"$TMP/pids")"
umount "$D"
check_status "daemon: umount DIR" 0 $?
# The daemon ends by itself once unmounted (CTest's timeout bounds the wait).
while [ -n "$(daemon_pids)" ]; do sleep 0.05; done
ok "daemon: ends after umount"

# Foreground: SIGINT unmounts and exits 0, also after CPU 3, left down at
# boot by maxcpus=2, got its "cpuhp/3" thread from a write served by the
# file system (that thread must not take the signal and leave the file
# system waiting).
"$CPUHPCTL" --cpus 4 --cmdline maxcpus=2 mount -f "$D" 2>"$TMP/err" &
pid=$!
while ! [ -e "$D/sys/devices/system/cpu/online" ]; do
	kill -0 $pid 2>/dev/null || break
	sleep 0.05
done
check_eq "foreground: mounted" "fuse.cpuhp" "$(findmnt -n -o FSTYPE --mountpoint "$D")"
check_eq "foreground: maxcpus=2" "0-1" "$(cat "$D/sys/devices/system/cpu/online")"
echo 1 >"$D/sys/devices/system/cpu/cpu3/online"
check_status "foreground: echo 1 > cpu3/online" 0 $?
check_eq "foreground: cpu3 up" "0-1,3" "$(cat "$D/sys/devices/system/cpu/online")"
kill -INT $pid
wait $pid
st=$?
check_status "foreground: SIGINT" 0 $st
[ $st -eq 0 ] || sed 's/^/#   /' "$TMP/err"
mountpoint -q "$D" && not_ok "foreground: unmounted after SIGINT" ||
	ok "foreground: unmounted after SIGINT"

# --layout cpu: straight over /sys/devices/system/cpu.
"$CPUHPCTL" --cpus 3 mount -f --layout cpu "$CPU" 2>"$TMP/mount.log" &
MOUNT_PID=$!
MNT=$CPU
while [ "$(findmnt -n -o FSTYPE --mountpoint "$CPU" | tail -n 1)" != fuse.cpuhp ]; do
	kill -0 $MOUNT_PID 2>/dev/null || break
	sleep 0.05
done
if [ "$(findmnt -n -o FSTYPE --mountpoint "$CPU" | tail -n 1)" = fuse.cpuhp ]; then
	ok "layout cpu: $CPU is the simulated machine"
	check_eq "layout cpu: possible" "0-2" "$(cat $CPU/possible)"
	check_eq "layout cpu: no sysroot inside" "absent" "$([ -e $CPU/sys ] || echo absent)"
	chcpu -d 2 >"$TMP/out" 2>&1
	check_status "layout cpu: chcpu -d 2" 0 $?
	check_eq "layout cpu: online" "0-1" "$(cat $CPU/online)"
	kill -TERM $MOUNT_PID
	wait $MOUNT_PID
	st=$?
	check_status "layout cpu: SIGTERM" 0 $st
	[ $st -eq 0 ] || sed 's/^/#   /' "$TMP/mount.log"
	MOUNT_PID=
	check_eq "layout cpu: unmounted" "" \
		"$(findmnt -n -o FSTYPE --mountpoint "$CPU" | grep fuse.cpuhp)"
else
	not_ok "layout cpu: $CPU is the simulated machine"
	sed 's/^/#   /' "$TMP/mount.log"
fi

# Errors: each one exit status 1 (2 for usage), a message, no mount.
expect_error() {
	local what=$1 status=$2 pattern=$3
	shift 3
	"$@" >"$TMP/out" 2>"$TMP/err"
	check_status "$what" "$status" $?
	check_grep "$what: message" "$pattern" "$TMP/err"
	mountpoint -q "$D" && not_ok "$what: nothing mounted" || ok "$what: nothing mounted"
}
# /dev/fuse hidden by an empty /dev in a nested private namespace.
expect_error "no /dev/fuse" 1 \
	"^cpuhpctl: mount: FUSE is not available: /dev/fuse: No such file or directory" \
	unshare -m --propagation private sh -c 'mount -t tmpfs none /dev && exec "$0" mount "$1"' \
	"$CPUHPCTL" "$D"
# A user who may not open /dev/fuse, or (where everyone may) has no
# fusermount3 in PATH.  The checkout may lie below a directory only root
# may enter (a mktemp -d clone), so that user runs a copy from $TMP.
chmod 777 "$D"
mkdir -p "$TMP/bin"
cp "$CPUHPCTL" "$TMP/bin/cpuhpctl"
expect_error "unprivileged user" 1 \
	"^cpuhpctl: mount: (cannot open /dev/fuse: Permission denied|fusermount3 not found)" \
	setpriv --reuid=65534 --regid=65534 --clear-groups env PATH=/nonexistent \
	"$TMP/bin/cpuhpctl" mount "$D"
expect_error "missing DIR" 2 "^cpuhpctl: mount: missing operand" "$CPUHPCTL" mount
expect_error "DIR does not exist" 1 "^cpuhpctl: mount: $D/x: No such file or directory" \
	"$CPUHPCTL" mount "$D/x"
touch "$TMP/file"
expect_error "DIR is a file" 1 "^cpuhpctl: mount: $TMP/file: Not a directory" \
	"$CPUHPCTL" mount "$TMP/file"
expect_error "bad layout" 2 "^cpuhpctl: mount: --layout: 'sysroot' or 'cpu', not 'x'" \
	"$CPUHPCTL" mount --layout x "$D"
expect_error "bad machine" 1 "^cpuhpctl: cannot create the machine" \
	"$CPUHPCTL" --model nosuchmodel mount -f "$D"
expect_error "bad machine, daemon" 1 "^cpuhpctl: cannot create the machine" \
	"$CPUHPCTL" --model nosuchmodel mount "$D"

fuse_finish
