#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# cli-demo.sh - the README demonstration (examples/demo.cpuhp) runs and says
# what the spec and the oracle say it must: the result lines match oracle
# scenario-a (offline/online) and scenario-b05 (fail at workqueue:online,
# then online: -EAGAIN and a full rollback to offline, fail disarmed); the
# trace of the failed attempt never enters the failing state and undoes the
# completed ONLINE states in reverse order on cpuhp/1 (spec 3.7, rule 7).

# shellcheck disable=SC2119 # run_script takes optional machine options
. "$(dirname "$0")/lib.sh"

"$CPUHPCTL" --model linux-6.12-x86 --trace - run "$SRCDIR/examples/demo.cpuhp" >"$TMP/all" 2>"$TMP/err"
check_status "demo runs" 0 $?
check_eq "nothing on stderr" "" "$(cat "$TMP/err")"

grep -v 'cpuhp_[a-z_]*enter:\|cpuhp_exit:' "$TMP/all" >"$TMP/out"
want="== the machine
  masks: possible=0-3 present=0-3 online=0-3 offline=
  cpu1: online=1 state=236(online) target=236 fail=-1
== cpu1 offline: ONLINE teardowns on cpuhp/1, DYING in stop-machine, then DEAD
write cpu1/online <- 0 : ok errno=0
  cpu1: online=0 state=0(offline) target=0 fail=-1
  masks: possible=0-3 present=0-3 online=0,2-3 offline=1
== cpu1 online again
write cpu1/online <- 1 : ok errno=0
  cpu1: online=1 state=236(online) target=236 fail=-1
== arm a one-shot failure at 188 (workqueue:online) and bring cpu1 up
write cpu1/online <- 0 : ok errno=0
write cpu1/hotplug/fail <- 188 : ok errno=0
188
write cpu1/online <- 1 : FAIL errno=11 (Resource temporarily unavailable)
  cpu1: online=0 state=0(offline) target=0 fail=-1
  masks: possible=0-3 present=0-3 online=0,2-3 offline=1
== the failure was one-shot: cpu1 comes up cleanly
write cpu1/online <- 1 : ok errno=0
  cpu1: online=1 state=236(online) target=236 fail=-1
  masks: possible=0-3 present=0-3 online=0-3 offline="
check_eq "demo results" "$want" "$(cat "$TMP/out")"

# The trace between the fail readback and the failed write's result.
sed -n '/^188$/,/^write cpu1\/online <- 1 : FAIL/p' "$TMP/all" >"$TMP/failed.raw"
trace_body <"$TMP/failed.raw" >"$TMP/failed"
check_grep "failed online is traced" 'cpuhp_enter' "$TMP/failed"
check_no_grep "the injected failure is not traced" 'step: 188 ' "$TMP/failed"
# cpu:bringup (86) returns the AP's error, with the AP back at ONLINE_IDLE (146).
check_grep "bringup returns -EAGAIN at AP_ONLINE_IDLE" \
	'^cpuhp_exit: +cpu: 0001 +state: 146 step: +86 ret: -11$' "$TMP/failed"
# Rollback on the AP: the completed ONLINE states with a teardown, newest
# first, as in the recorded 6.12 kernel (scenario-b05).
rollback=$(sed -n 's/^cpuhp_enter: cpu: 0001 target: 146 step: *\([0-9]*\) .*/\1/p' \
	"$TMP/failed" | tr '\n' ' ')
check_eq "AP rollback order" "187 186 155 150 149 " "$rollback"
grep 'cpuhp/1-' "$TMP/failed.raw" | trace_body >"$TMP/ap"
check_grep "the rollback runs on cpuhp/1" 'target: 146 step: 187 \(lockup_detector_offline_cpu\)' \
	"$TMP/ap"
# Then the control thread takes the CPU all the way down.
check_grep "takedown to offline" '^cpuhp_enter: cpu: 0001 target:   0 step: 145 \(takedown_cpu\)$' \
	"$TMP/failed"
check_eq "the last teardown is perf:prepare's" \
	"cpuhp_exit:  cpu: 0001  state:   1 step:   2 ret: 0" "$(tail -n 1 "$TMP/failed")"

# The clean online afterwards runs workqueue:online.
sed -n '/^== the failure was one-shot/,$p' "$TMP/all" | trace_body >"$TMP/clean"
check_grep "clean online runs workqueue:online" \
	'^cpuhp_enter: cpu: 0001 target: 236 step: 188 \(workqueue_online_cpu\)$' "$TMP/clean"
check_grep "clean online ends at ONLINE" '^cpuhp_exit: +cpu: 0001 +state: 236 step: +86 ret: 0$' \
	"$TMP/clean"

finish
