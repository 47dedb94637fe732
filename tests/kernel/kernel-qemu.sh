# shellcheck shell=bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# kernel-qemu.sh - "cpuhpctl kernel run" on Debian's 6.1 cloud kernel under
# QEMU (issue 13 item 5), five short boots:
#  1. the scenario set and a sweep of 36 states (155-190) both ways, checked
#     against linux-6.1-x86: no difference; the recorded results agree with
#     the oracle recordings of shared/oracle/linux-6.1-x86 (b11, b12);
#     "cpuhpctl conform" accepts the recordings;
#  2. a model with one wrong teardown symbol: reported as differences; the
#     case armed at 197 agrees with the oracle's b05;
#  3. a scenario that crashes the kernel (sysrq c): reported with that step
#     and the console tail;
#  4. the same with panic=0 (the kernel stops, QEMU stays): a hang, ended
#     by the step timeout;
#  5. a guest with one CPU (nosmp): an environment error.
# Nothing may be left running.  Skips (77) without QEMU, busybox or kernel.
source "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"

skip() { echo "1..0 # SKIP $*"; exit 77; }
command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 not installed"
[ -x /bin/busybox ] || command -v busybox >/dev/null || skip "busybox not installed"
kernel=${CPUHP_E2E_KERNEL:-}
[ -z "$kernel" ] && kernel=$(compgen -G "$SRCDIR/.cache/e2e-kernel/boot/vmlinuz-6.1*" | head -n1)
if [ -z "$kernel" ]; then
	"$SRCDIR/tests/host/e2e/fetch-kernel.sh" "$TMP/k" >/dev/null 2>&1 ||
		skip "no linux-image-cloud-amd64 kernel (run .ci/run or tests/host/e2e/fetch-kernel.sh)"
	kernel=$(compgen -G "$TMP/k/boot/vmlinuz-6.1*" | head -n1)
fi
[ -r "$kernel" ] || skip "no 6.1 kernel image"
scen=("$SRCDIR"/tools/cpuhpctl/kernel/scenarios/*.cpuhp)

# kernel_run NAME ARGS...: stdout in $TMP/NAME.out, stderr in .err, $status.
# A boot that the emulator loses every time is an environment failure (2
# with "did not start"): skip rather than fail.
kernel_run() {
	local name=$1
	shift
	"$CPUHPCTL" kernel run -o "$TMP/$name" "$@" >"$TMP/$name.out" 2>"$TMP/$name.err"
	status=$?
	if grep -q 'the guest did not start' "$TMP/$name.err"; then
		cat "$TMP/$name.out" "$TMP/$name.err" | sed 's/^/# /'
		skip "the guest did not boot (TCG); see above"
	fi
	if [ -n "$(pgrep -f -- "$TMP/$name" || true)" ]; then
		not_ok "$name: nothing left running"
	else
		ok "$name: nothing left running"
	fi
}

# 1. Scenarios and a partial sweep against the model.
kernel_run main --kernel "$kernel" --check linux-6.1-x86 --sweep --sweep-states 155-190 \
	"${scen[@]}"
check_status "main run" 0 "$status"
[ "$status" -eq 0 ] || sed 's/^/# /' "$TMP/main.out" "$TMP/main.err" | head -40
check_grep "main: no difference, no kernel error" \
	"^result: 0 differences from linux-6.1-x86, 0 kernel error lines" "$TMP/main.out"
check_eq "main: 72 sweep cases recorded" 72 "$(grep -c '^##### BEGIN sweep-' "$TMP/main/sweep.trace")"
check_eq "main: every scenario recorded" "${#scen[@]}" \
	"$(grep -c '^##### END ' "$TMP/main/scenarios.trace")"
"$CPUHPCTL" conform "$TMP/main/info.trace" "$TMP/main/scenarios.trace" \
	"$TMP/main/sweep.trace" >"$TMP/conform.out" 2>&1
check_status "conform reads the recordings" 0 $?
# What the oracle recorded for the same cases (scenario-b11, b12).
block() { awk -v b="##### BEGIN $1" '$0 == b { on = 1 } on { print } /^##### END / { on = 0 }' \
	"$TMP/$2/sweep.trace"; }
for s in 155 156; do
	block "sweep-down-$s" main >"$TMP/down$s"
	check_grep "fail=$s down: EAGAIN" "^write /sys/devices/system/cpu/cpu1/online <- 0 : FAIL errno=11 " \
		"$TMP/down$s"
	check_grep "fail=$s down: cpu1 back online" "^  cpu1: online=1 state=236\(online\) target=236 fail=-1" \
		"$TMP/down$s"
done
check_grep "the trace has the kernel's events" "cpuhp_exit: +cpu: 0001 +state: 156 step: 156 ret: 0" \
	"$TMP/main/trace.txt"
check_grep "the kernel log has the step markers" "cpuhp-kernel: sweep-down-190 step 2: write" \
	"$TMP/main/dmesg.txt"

# 2. One wrong teardown in the model (workqueue:online, 197): a difference,
#    exit 1.  Armed at 198, the failed bring-up rolls back through 197's
#    teardown, and the offline runs it.
model_src=$(compgen -G "$SRCDIR/models/linux-6.1-x86.model" || compgen -G "$SRCDIR/src/models/linux-6.1-x86.model")
sed 's/teardown=workqueue_offline_cpu$/teardown=workqueue_offline_cpu_wrong/' "$model_src" >"$TMP/broken.model"
kernel_run broken --kernel "$kernel" --check "$TMP/broken.model" --sweep --sweep-states 197-198
check_status "broken model" 1 "$status"
block sweep-up-197 broken >"$TMP/up197"
check_grep "fail=197 up: EAGAIN (b05)" \
	"^write /sys/devices/system/cpu/cpu1/online <- 1 : FAIL errno=11 " "$TMP/up197"
check_grep "fail=197 up: cpu1 back offline (b05)" \
	"^  cpu1: online=0 state=0\(offline\) target=0 fail=-1" "$TMP/up197"
check_grep "broken model: the wrong teardown is named" "workqueue_offline_cpu_wrong" "$TMP/broken.out"
check_grep "broken model: counted" "^result: 2 differences from $TMP/broken.model" "$TMP/broken.out"

# 3. A crash provoked on purpose.
printf 'echo 0 > cpu1/online\n# the crash\necho c > /proc/sysrq-trigger\nshow cpu1\n' >"$TMP/crash.cpuhp"
kernel_run crash --kernel "$kernel" --check linux-6.1-x86 "${scen[0]}" "$TMP/crash.cpuhp"
check_status "crash" 1 "$status"
check_grep "crash: reported with its step" \
	"^the kernel crashed .* after 02-crash step 2 \(line 3\): write /proc/sysrq-trigger <- c" \
	"$TMP/crash.out"
check_grep "crash: the console tail" "^  \| .*(Kernel panic|Call Trace|RIP|Kernel Offset)" "$TMP/crash.out"
check_grep "crash: the panic is a kernel error after that step" \
	"^      after 02-crash step 2 \(line 3\)" "$TMP/crash.out"
check_grep "crash: the scenario before it was checked" "^result: 0 differences" "$TMP/crash.out"

# 4. A kernel that stops (panic=0: no reboot, QEMU stays): a hang, ended by
#    the step timeout, reported with the step and the console tail.
kernel_run hang --kernel "$kernel" --append panic=0 --step-timeout 5 "$TMP/crash.cpuhp"
check_status "hang" 1 "$status"
check_grep "hang: reported with its step" \
	"^the kernel hung .* after 01-crash step 2 \(line 3\): write /proc/sysrq-trigger <- c" \
	"$TMP/hang.out"
check_grep "hang: the console tail" "^console tail:" "$TMP/hang.out"

# 5. A guest with one CPU cannot hotplug: an environment error.
kernel_run nosmp --kernel "$kernel" --append nosmp --sweep
check_status "one CPU" 2 "$status"
check_grep "one CPU: says so" "the guest has 1 CPU" "$TMP/nosmp.err"
finish
