#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# run-qemu.sh DRIVER WORKDIR - boot Debian's cloud kernel under QEMU (TCG,
# -smp 4) with a busybox initramfs that runs DRIVER (static), then check the
# TAP it prints on the serial console.  Exit 0 pass, 1 fail, 77 skip (with
# the reason: no QEMU/busybox/cpio/kernel, or the guest did not boot).
set -uo pipefail
driver=$1
work=$(realpath -m "$2")/e2e
skip() { echo "1..0 # SKIP $*"; exit 77; }

command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 not installed"
command -v cpio >/dev/null || skip "cpio not installed"
busybox=$(command -v busybox || true)
[[ -x /bin/busybox ]] && busybox=/bin/busybox
[[ -n $busybox ]] || skip "busybox not installed"
ldd "$busybox" >/dev/null 2>&1 && skip "$busybox is not static (install busybox-static)"
[[ -x $driver ]] || { echo "not ok - no driver $driver"; exit 1; }

kernel=${CPUHP_E2E_KERNEL:-}
for d in "${SRCDIR:-.}/.cache/e2e-kernel" "$2/e2e-kernel"; do
	[[ -z $kernel ]] && kernel=$(compgen -G "$d/boot/vmlinuz-*" | head -n1)
done
if [[ -z $kernel ]]; then
	"$(dirname "$0")/fetch-kernel.sh" "$2/e2e-kernel" ||
		skip "no linux-image-cloud-amd64 kernel (run .ci/run or tests/host/e2e/fetch-kernel.sh)"
	kernel=$(compgen -G "$2/e2e-kernel/boot/vmlinuz-*" | head -n1)
fi
[[ -r $kernel ]] || skip "kernel $kernel not readable"

rm -rf "$work"
mkdir -p "$work/root/bin" || exit 1
cp "$busybox" "$work/root/bin/busybox"
cp "$driver" "$work/root/guest-driver"
cat >"$work/root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox mkdir -p /proc /sys /dev
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
/bin/busybox mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
echo E2E-BOOTED
/guest-driver
echo "E2E-EXIT $?"
/bin/busybox poweroff -f
INIT
chmod +x "$work/root/init"
(cd "$work/root" && find . | cpio -o -H newc --quiet >"$work/initrd.cpio") || exit 1

# The monitor (HMP over TCP, spoken with bash's /dev/tcp) carries the vCPU
# hot-add/remove the guest asks for with "E2E-HOTPLUG add|del" lines.
monitor() {
	local reply
	exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
	printf '%s\n' "$1" >&3
	read -r -t 2 -u 3 reply # the banner; the command runs asynchronously
	sleep 1
	exec 3>&-
}
boot() {
	port=$((20000 + RANDOM % 20000))
	: >"$work/console.log"
	timeout 150 qemu-system-x86_64 -accel tcg -cpu max -m 512 -nographic -no-reboot \
		-smp 4,maxcpus=5,sockets=5,cores=1,threads=1 \
		-monitor "tcp:127.0.0.1:$port,server=on,wait=off" \
		-kernel "$kernel" -initrd "$work/initrd.cpio" \
		-append "console=ttyS0 panic=-1 quiet rdinit=/init" </dev/null >"$work/console.log" 2>&1 &
	local qpid=$! added="" deleted=""
	while kill -0 "$qpid" 2>/dev/null; do
		if [[ -z $added ]] && grep -q 'E2E-HOTPLUG add' "$work/console.log"; then
			monitor "device_add max-x86_64-cpu,id=hotcpu,socket-id=4,core-id=0,thread-id=0"
			added=1
		fi
		if [[ -z $deleted ]] && grep -q 'E2E-HOTPLUG del' "$work/console.log"; then
			monitor "device_del hotcpu"
			deleted=1
		fi
		sleep 0.2
	done
	wait "$qpid"
	rc=$?
	tr -d '\r' <"$work/console.log" >"$work/console.txt"
	grep -q 'E2E-BOOTED' "$work/console.txt"
}
# A guest that does not reach /init gets one more try (a loaded host can
# starve QEMU); the first console is kept for the record.
if ! boot; then
	cp "$work/console.txt" "$work/console-noboot.txt"
	echo "# the guest did not boot (qemu exit $rc); trying once more"
	tail -n 5 "$work/console-noboot.txt" | sed 's/^/# guest: /'
	if ! boot; then
		tail -n 20 "$work/console.txt" | sed 's/^/# guest: /'
		skip "the guest did not boot twice (qemu exit $rc; see $work/console.txt)"
	fi
fi
# The TAP lines the driver printed, without the kernel's messages.
grep -E '^(TAP version|ok |not ok |1\.\.|# )' "$work/console.txt" >"$work/tap.txt"
cat "$work/tap.txt"
grep -q '^# e2e: PASSED' "$work/tap.txt" || { echo "# e2e driver did not pass (qemu exit $rc)"; exit 1; }
grep -q '^not ok' "$work/tap.txt" && exit 1
grep -q '^E2E-EXIT 0' "$work/console.txt" || { echo "# driver exit status not 0"; exit 1; }
exit 0
