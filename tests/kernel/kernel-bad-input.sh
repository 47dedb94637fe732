# shellcheck shell=bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# kernel-bad-input.sh - "cpuhpctl kernel run" refuses what it cannot use
# before it boots anything (issue 13 item 4): each case exits 2 with one
# line naming what is missing and how to get it, starts no QEMU and
# creates no output directory.  No kernel is booted: the images here are
# files with a bzImage header, the QEMU a script that records being run.
source "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"

mkdir -p "$TMP/boot" "$TMP/bin"
# A bzImage header: 0xAA55 at 0x1FE, "HdrS" at 0x202.
fake_image() {
	{ head -c 510 /dev/zero; printf '\x55\xaa\0\0HdrS'; head -c 256 /dev/zero; } >"$1"
}
fake_image "$TMP/boot/vmlinuz-ok"
printf 'CONFIG_HOTPLUG_CPU=y\nCONFIG_TRACING=y\n' >"$TMP/boot/config-ok"
fake_image "$TMP/boot/vmlinuz-nohp"
printf '# CONFIG_HOTPLUG_CPU is not set\nCONFIG_TRACING=y\n' >"$TMP/boot/config-nohp"
fake_image "$TMP/boot/vmlinuz-notrace"
printf 'CONFIG_HOTPLUG_CPU=y\n# CONFIG_TRACING is not set\n' >"$TMP/boot/config-notrace"
printf 'not a kernel\n' >"$TMP/boot/vmlinux"
# A QEMU that must never run: it leaves a mark if it does.
printf '#!/bin/sh\ntouch "%s/qemu-ran"\n' "$TMP" >"$TMP/bin/qemu-system-x86_64"
chmod +x "$TMP/bin/qemu-system-x86_64"
echo 'echo 0 > cpu1/online' >"$TMP/s.cpuhp"

# refused NAME PATTERN [ENV=VALUE...] -- ARGS...: exit 2, one line on
# stderr matching PATTERN, nothing on stdout, no QEMU, no output directory.
refused() {
	local name=$1 pattern=$2 envs=() st
	shift 2
	while [ "$1" != "--" ]; do envs+=("$1"); shift; done
	shift
	rm -rf "$TMP/out"
	env "${envs[@]}" "$CPUHPCTL" kernel run -o "$TMP/out" "$@" >"$TMP/stdout" 2>"$TMP/stderr"
	st=$?
	check_status "$name" 2 "$st"
	check_grep "$name: says what is missing" "$pattern" "$TMP/stderr"
	check_eq "$name: one line" 1 "$(wc -l <"$TMP/stderr")"
	check_eq "$name: nothing on stdout" "" "$(cat "$TMP/stdout")"
	if [ -e "$TMP/qemu-ran" ] || [ -e "$TMP/out" ]; then
		not_ok "$name: nothing started, no output directory"
	else
		ok "$name: nothing started, no output directory"
	fi
}

P="PATH=$TMP/bin:/usr/bin:/bin"
GUEST_OK="CPUHP_GUEST=$TMP/guest"
refused "missing image" "cannot open the kernel image .*apt-get download" "$P" -- \
	--kernel "$TMP/boot/vmlinuz-none" "$TMP/s.cpuhp"
refused "not a bzImage" "not a bootable x86 kernel image" "$P" -- \
	--kernel "$TMP/boot/vmlinux" "$TMP/s.cpuhp"
refused "no CONFIG_HOTPLUG_CPU" "without CONFIG_HOTPLUG_CPU.*CONFIG_HOTPLUG_CPU=y" "$P" -- \
	--kernel "$TMP/boot/vmlinuz-nohp" --sweep
refused "no tracing" "without CONFIG_TRACING.*tracefs" "$P" -- \
	--kernel "$TMP/boot/vmlinuz-notrace" --sweep
refused "no qemu" "qemu-system-x86_64 not found: apt-get install qemu-system-x86" \
	"PATH=$TMP/none" -- --kernel "$TMP/boot/vmlinuz-ok" "$TMP/s.cpuhp"
refused "no busybox" "busybox.*apt-get install busybox-static" "$P" \
	"CPUHP_BUSYBOX=$TMP/none/busybox" -- --kernel "$TMP/boot/vmlinuz-ok" "$TMP/s.cpuhp"
refused "dynamic busybox" "not a static x86-64 busybox: apt-get install busybox-static" \
	"$P" "CPUHP_BUSYBOX=/bin/sh" -- --kernel "$TMP/boot/vmlinuz-ok" "$TMP/s.cpuhp"
# Any static x86-64 program passes for busybox here: the built helper does.
STATIC=$(dirname "$CPUHPCTL")/cpuhp-guest
if [ -x "$STATIC" ]; then
	refused "no guest helper" "no static cpuhp-guest helper" "$P" "CPUHP_BUSYBOX=$STATIC" \
		"$GUEST_OK" -- --kernel "$TMP/boot/vmlinuz-ok" "$TMP/s.cpuhp"
fi
refused "kvm without kvm" "/dev/kvm does not work" "$P" -- --accel kvm \
	--kernel "$TMP/boot/vmlinuz-ok" "$TMP/s.cpuhp"
refused "unknown model" "--check no-such-model: no such model" "$P" -- \
	--check no-such-model --kernel "$TMP/boot/vmlinuz-ok" "$TMP/s.cpuhp"
refused "bad --smp" "--smp 'x'" "$P" -- --smp x --kernel "$TMP/boot/vmlinuz-ok" --sweep
refused "sweep cpu out of range" "--sweep-cpu 4: the guest has CPUs 0-3" "$P" -- \
	--sweep --sweep-cpu 4 --kernel "$TMP/boot/vmlinuz-ok"
refused "no kernel" "--kernel IMAGE is required" "$P" -- --sweep
refused "nothing to run" "nothing to run" "$P" -- --kernel "$TMP/boot/vmlinuz-ok"
refused "bad --accel" "--accel: tcg or kvm" "$P" -- --accel xen --kernel "$TMP/boot/vmlinuz-ok"

# A script step the kernel has no file for: the script's line is named.
printf 'echo 0 > cpu1/online\nsetup online-dyn test:a\n' >"$TMP/model-only.cpuhp"
rm -rf "$TMP/out"
CPUHP_BUSYBOX=$STATIC PATH="$TMP/bin:/usr/bin:/bin" "$CPUHPCTL" kernel run \
	-o "$TMP/out" --kernel "$TMP/boot/vmlinuz-ok" "$TMP/model-only.cpuhp" >/dev/null 2>"$TMP/stderr"
st=$?
if [ -x "$STATIC" ]; then
	check_status "model-only step" 2 "$st"
	check_grep "model-only step: names the line" "model-only.cpuhp:2: error: only write" "$TMP/stderr"
	[ ! -e "$TMP/qemu-ran" ] && ok "model-only step: nothing started" ||
		not_ok "model-only step: nothing started"
fi
"$CPUHPCTL" kernel >/dev/null 2>&1
check_status "no subcommand" 2 $?
"$CPUHPCTL" kernel run --help >"$TMP/help" 2>&1
check_status "help" 0 $?
check_grep "help: names --sweep" "--sweep " "$TMP/help"
finish
