# shellcheck shell=bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# kernel-fake-qemu.sh - "cpuhpctl kernel run" around QEMU, without booting a
# kernel: a fake qemu-system-x86_64 records its command line and plays a
# guest (the data port is the second -serial file).  Checks the QEMU command
# line (default topology, -cpu Nehalem, TCG, the kernel parameters), the
# initramfs it is given (busybox, /init, the helper, the plan with the
# script's paths resolved), the retries of a guest that never starts, a
# guest that dies in a block (crash: the last step and the console tail) or
# stops talking (hang: QEMU is killed), and a guest error.
source "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"
[ -n "${KEEP_TMP:-}" ] && trap - EXIT

STATIC=$(dirname "$CPUHPCTL")/cpuhp-guest
[ -x "$STATIC" ] || { echo "1..0 # SKIP no cpuhp-guest next to cpuhpctl (not x86-64)"; exit 77; }
command -v cpio >/dev/null || { echo "1..0 # SKIP cpio not installed"; exit 77; }
mkdir -p "$TMP/bin" "$TMP/boot"
{ head -c 510 /dev/zero; printf '\x55\xaa\0\0HdrS'; head -c 256 /dev/zero; } >"$TMP/boot/bzImage"

# The fake QEMU: MODE says which guest it plays.  It appends its arguments
# to $TMP/qemu-args (one run per line) and keeps a copy of the initramfs.
cat >"$TMP/bin/qemu-system-x86_64" <<'FAKE'
#!/bin/bash
echo "$*" >>"$FAKE_DIR/qemu-args"
con= data= initrd=
while [ $# -gt 0 ]; do
	case $1 in
	-serial) if [ -z "$con" ]; then con=${2#file:}; else data=${2#file:}; fi; shift ;;
	-initrd) initrd=$2; shift ;;
	esac
	shift
done
cp "$initrd" "$FAKE_DIR/initrd.cpio"
echo $$ >"$FAKE_DIR/qemu-pid"
case $FAKE_MODE in
noboot)
	echo "[    0.1] early death" >"$con" ;;
crash)
	printf '##### GUEST-READY\n##### BEGIN info\nuname -r: 9.9.9-fake\n##### END info\n' >"$data"
	printf '##### BEGIN 01-s\ncase: script s\n' >>"$data"
	printf '[    1.0] cpuhp-kernel: 01-s step 1 (line 1): write /sys/devices/system/cpu/cpu1/online <- 0\n' >"$con"
	printf '[    1.1] WARNING: CPU: 1 PID: 20 at kernel/cpu.c:1 fake_warn\n' >>"$con"
	printf '[    1.2] Kernel panic - not syncing: fake\n' >>"$con" ;;
hang)
	printf '##### GUEST-READY\n' >"$data"
	printf '[    1.0] cpuhp-kernel: 01-s step 1 (line 1): write /sys/devices/system/cpu/cpu1/online <- 0\n' >"$con"
	exec sleep 300 ;;
error)
	printf '##### GUEST-ERROR no cpuhp trace events in /sys/kernel/tracing: build the kernel with CONFIG_TRACING=y\n' >"$data" ;;
esac
exit 0
FAKE
chmod +x "$TMP/bin/qemu-system-x86_64"
export FAKE_DIR=$TMP
printf 'echo 0 > cpu1/online\nshow cpu1\ncat /proc/cmdline\nwrite smt/control off\n' >"$TMP/s.cpuhp"

fake_run() {
	local mode=$1
	shift
	rm -f "$TMP/qemu-args" "$TMP/qemu-pid"
	FAKE_MODE=$mode CPUHP_BUSYBOX=$STATIC PATH="$TMP/bin:/usr/bin:/bin" \
		"$CPUHPCTL" kernel run -o "$TMP/$mode" --kernel "$TMP/boot/bzImage" "$@" \
		>"$TMP/$mode.out" 2>"$TMP/$mode.err"
	status=$?
}

# A guest that never starts: three boots, an environment error with the
# console tail.
fake_run noboot --sweep --sweep-states 5-9 "$TMP/s.cpuhp"
check_status "no boot" 2 "$status"
check_eq "no boot: booted three times" 3 "$(wc -l <"$TMP/qemu-args")"
check_grep "no boot: says so" "did not start in 3 boots" "$TMP/noboot.err"
check_grep "no boot: the console tail" "^  \| \[    0.1\] early death" "$TMP/noboot.out"

# QEMU's command line: the oracle's machine by default.
args=$(head -n1 "$TMP/qemu-args")
for want in "-smp 4,sockets=1,cores=2,threads=2" "-cpu Nehalem" "-accel tcg" "-no-reboot" \
	"-kernel $TMP/boot/bzImage" "console=ttyS0" "panic=-1" "trace_event=cpuhp:*"; do
	if [[ " $args " == *" $want"* ]]; then ok "qemu gets $want"; else
		not_ok "qemu gets $want"; echo "#   $args"; fi
done

# The initramfs: busybox, /init, the helper, the plan.
mkdir -p "$TMP/root"
(cd "$TMP/root" && cpio -id --quiet <"$TMP/initrd.cpio")
check_status "the initramfs is a newc cpio" 0 $?
for f in init bin/busybox cpuhp-guest plan; do
	[ -f "$TMP/root/$f" ] && ok "initramfs has /$f" || not_ok "initramfs has /$f"
done
[ -c "$TMP/root/dev/console" ] || [ -e "$TMP/root/dev/console" ] && ok "initramfs has /dev/console" ||
	not_ok "initramfs has /dev/console"
cmp -s "$TMP/root/cpuhp-guest" "$STATIC" && ok "the helper is the built one" || not_ok "the helper is the built one"
check_grep "/init starts the helper on the second serial port" "^/cpuhp-guest /plan /dev/ttyS1" "$TMP/root/init"
check_grep "plan: a relative path is under /sys/devices/system/cpu, echo's newline kept" \
	"$(printf '^write\t/sys/devices/system/cpu/cpu1/online\t0\\\\n$')" "$TMP/root/plan"
check_grep "plan: an absolute path as it is" "$(printf '^read\t/proc/cmdline$')" "$TMP/root/plan"
check_grep "plan: write without a newline" "$(printf '^write\t/sys/devices/system/cpu/smt/control\toff$')" "$TMP/root/plan"
check_grep "plan: the sweep of states 5-9 on cpu1" "$(printf '^sweep\t1\t5 9$')" "$TMP/root/plan"

# A kernel that dies in a block: crash, last step, kernel errors, tail.
fake_run crash --check linux-6.1-x86 "$TMP/s.cpuhp"
check_status "crash" 1 "$status"
check_eq "crash: booted once" 1 "$(wc -l <"$TMP/qemu-args")"
check_grep "crash: the last step" \
	"^the kernel crashed \(QEMU exited\) after 01-s step 1 \(line 1\): write /sys/devices/system/cpu/cpu1/online <- 0" \
	"$TMP/crash.out"
check_grep "crash: the warning, with its step" "^  \[    1.1\] WARNING: CPU: 1" "$TMP/crash.out"
check_grep "crash: the panic in the tail" "^  \| \[    1.2\] Kernel panic" "$TMP/crash.out"
check_grep "crash: the cut block is kept apart" "^##### BEGIN 01-s" "$TMP/crash/incomplete.trace"
check_no_grep "crash: not in the checked recording" "01-s" "$TMP/crash/scenarios.trace"

# A guest that stops talking: a hang after the step timeout; QEMU killed.
fake_run hang --step-timeout 1 "$TMP/s.cpuhp"
check_status "hang" 1 "$status"
check_grep "hang: the last step" "^the kernel hung .* after 01-s step 1 \(line 1\)" "$TMP/hang.out"
pid=$(cat "$TMP/qemu-pid")
if kill -0 "$pid" 2>/dev/null; then not_ok "hang: QEMU ended"; kill "$pid"; else ok "hang: QEMU ended"; fi

# A guest that says what the kernel lacks: one line, environment error.
fake_run error "$TMP/s.cpuhp"
check_status "guest error" 2 "$status"
check_grep "guest error: says what is missing" \
	"^cpuhpctl: kernel: no cpuhp trace events .*CONFIG_TRACING=y" "$TMP/error.err"
finish
