#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# fuse-sh.sh - a plain sh script (fuse-sh-client.sh, run by /bin/sh) performs
# fail injection, target and SMT writes with echo and cat on the mounted
# machine and sees the kernel's errno values; then the trace files show the
# events in ftrace format.

. "$(dirname "$0")/lib.sh"

fuse_mount --cpus 4 --threads-per-core 2 "$@"

TMP=$TMP sh "$SRCDIR/tests/fuse/fuse-sh-client.sh" >"$TMP/client" 2>&1
check_status "sh fuse-sh-client.sh" 0 $?
while IFS= read -r line; do
	case $line in
	"ok - "*) ok "${line#ok - }" ;;
	*) not_ok "sh: $line" ;;
	esac
done <"$TMP/client"
[ "$(grep -c '^ok - ' "$TMP/client")" -ge 60 ] && ok "sh client ran all its checks" ||
	not_ok "sh client ran all its checks"

# The trace: ftrace's header, then the events of the writes above; the
# offline of cpu1 ran sched:active's teardown on cpuhp/1, on its way to
# cpu:teardown (oracle scenario-a: "cpuhp/1-19 [001] ..... 4.199486:
# cpuhp_enter: cpu: 0001 target: 153 step: 235 (sched_cpu_deactivate)").
TRACE=$MNT/sys/kernel/tracing
state_of() {
	sed -n "s/^ *\([0-9]*\): $1\$/\1/p" $CPU/hotplug/states
}
active=$(state_of sched:active)
teardown=$(state_of cpu:teardown)
head -n 1 "$TRACE/trace" >"$TMP/trace"
check_eq "trace starts with the ftrace header" "# tracer: nop" "$(cat "$TMP/trace")"
cat "$TRACE/trace" >"$TMP/trace"
check_grep "trace: sched:active teardown of cpu1" \
	"^ +cpuhp/1-[0-9]+ +\[001\] \.\.\.\.\. +[0-9]+\.[0-9]{6}: cpuhp_enter: cpu: 0001 target: $teardown step: $active \(sched_cpu_deactivate\)$" \
	"$TMP/trace"
check_grep "trace: the injected failure's rollback" \
	"cpuhp_exit:  cpu: 0001  state: [0-9 ]+ step: +[0-9]+ ret: 0$" "$TMP/trace"

# Clearing it as on tracefs ("echo > trace"), then trace_pipe: a blocked
# reader gets the events of the next write.
echo >"$TRACE/trace"
check_status "echo > trace" 0 $?
check_eq "trace is empty after clearing" "0" "$(grep -vc '^#' "$TRACE/trace")"
# (bash's read, not head: trace_pipe cannot seek, as on tracefs.)
{ read -r l1 && read -r l2 && printf '%s\n%s\n' "$l1" "$l2"; } <"$TRACE/trace_pipe" >"$TMP/pipe" &
reader=$!
echo 0 >$CPU/cpu3/online
check_status "echo 0 > cpu3/online" 0 $?
wait $reader
check_status "two lines from trace_pipe" 0 $?
# The control side kicks the AP first (oracle scenario-a, first event).
check_grep "trace_pipe: the first event of cpu3's offline" \
	"cpuhp_enter: cpu: 0003 target: $teardown step: $(state_of online) \(cpuhp_kick_ap_work\)$" \
	"$TMP/pipe"
# What trace_pipe handed out is consumed; the rest is still there.
first=$(head -n 1 "$TMP/pipe")
if [ -n "$first" ] && ! grep -qxF -- "$first" "$TRACE/trace"; then
	ok "consumed events left trace"
else
	not_ok "consumed events left trace"
fi
check_grep "the rest of cpu3's offline is still in trace" "cpuhp_exit:  cpu: 0003" \
	"$TRACE/trace"
# Nothing to read (cleared): a non-blocking reader gets EAGAIN.
echo >"$TRACE/trace"
dd if="$TRACE/trace_pipe" iflag=nonblock bs=4096 count=1 of=/dev/null 2>"$TMP/dd"
check_grep "trace_pipe, O_NONBLOCK, empty: EAGAIN" "Resource temporarily unavailable" "$TMP/dd"

fuse_finish
