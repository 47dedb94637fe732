#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# conform-checker.sh - "cpuhpctl conform" must find differences, not only
# pass: recordings with one line changed (a write's result, an attribute, a
# trace event's callback, task or order, a missing event) must fail with that
# line named; a recording replayed on the wrong model must fail; machine
# lines in a file must be honoured; usage errors exit 2.  Also checks that
# the 6.1 model runs the control side of an offline in a kworker task (the
# raw trace), and mainline in the writer's.

. "$(dirname "$0")/../cli/lib.sh"

ORACLE=$SRCDIR/tests/data/oracle/linux-6.1-x86
A=$ORACLE/scenario-a-down-up.trace
if [ ! -f "$A" ]; then
	echo "1..0 # SKIP no recordings in $ORACLE"
	exit 77
fi

conform() {
	"$CPUHPCTL" "$@" >"$TMP/out" 2>"$TMP/err"
	status=$?
}

# mutate NAME SED-EXPR: a copy of scenario-a with one line changed.
mutate() {
	sed "$2" "$A" >"$TMP/$1.trace"
	cmp -s "$A" "$TMP/$1.trace" && echo "# mutation $1 changed nothing" >&2
}

# --- the unchanged recording passes --------------------------------------
conform conform "$A"
check_status "scenario-a passes" 0 "$status"
check_grep "PASS line with counts" '^.*scenario-a-down-up.trace: PASS scenario-a-down-up \(5 writes, [0-9]+ reads, 132 trace events\)$' "$TMP/out"

# --- one changed line fails, naming it ------------------------------------
# Line 8 is the first write: the kernel said ok, pretend it said EBUSY.
mutate result '8s/: ok errno=0 (-)/: FAIL errno=16 (Device or resource busy)/'
conform conform "$TMP/result.trace"
check_status "changed write result fails" 1 "$status"
check_grep "the write's line and both results" 'FAIL scenario-a-down-up line 8: write /sys/devices/system/cpu/cpu1/online <- 0: recorded FAIL errno=16 \(Device or resource busy\), model ok errno=0' "$TMP/out"

mutate attr '9s/state=0(offline)/state=153(cpu:teardown)/'
conform conform "$TMP/attr.trace"
check_status "changed attribute fails" 1 "$status"
check_grep "the attribute's line" "line 9: cpu1/hotplug/state: recorded '153\(cpu:teardown\)', model '0\(offline\)'" "$TMP/out"

mutate mask '10s/online=0,2-3/online=0-3/'
conform conform "$TMP/mask.trace"
check_status "changed mask fails" 1 "$status"
check_grep "the mask's line" "line 10: online: recorded '0-3', model '0,2-3'" "$TMP/out"

mutate fn 's/(ledtrig_prepare_down_cpu)/(ledtrig_offline_cpu)/'
conform conform "$TMP/fn.trace"
check_status "changed callback name fails" 1 "$status"
check_grep "trace event and its line" 'FAIL trace event 4 \(line [0-9]+\) differs' "$TMP/out"
check_grep "recorded side" 'recorded: cpuhp/1 cpuhp_enter: cpu: 0001 target: 153 step: 208 \(ledtrig_offline_cpu\)' "$TMP/out"
check_grep "model side" 'model:    cpuhp/1 cpuhp_enter: cpu: 0001 target: 153 step: 208 \(ledtrig_prepare_down_cpu\)' "$TMP/out"
check_grep "context before it" '\(same\) cpuhp/1 cpuhp_exit:  cpu: 0001  state: 234 step: 235 ret: 0' "$TMP/out"

# The task class: the offline's DEAD callbacks ran in a kworker, not cpuhp/1.
mutate task '0,/kworker\/0:2-64      \[000\] .....     4.239586/s//     cpuhp\/1-19      [000] .....     4.239586/'
conform conform "$TMP/task.trace"
check_status "changed task class fails" 1 "$status"
check_grep "task class shown" 'recorded: cpuhp/1 cpuhp_enter: cpu: 0001 target:   0 step:  68 \(timers_dead_cpu\)' "$TMP/out"

mutate missing '/step: 202 (vmstat_cpu_down_prep)/d'
conform conform "$TMP/missing.trace"
check_status "missing event fails" 1 "$status"

mutate ret '0,/state:  67 step:  68 ret: 0/s//state:  67 step:  68 ret: -16/'
conform conform "$TMP/ret.trace"
check_status "changed ret fails" 1 "$status"

# The shell's echo: it succeeded in the recording.
mutate shell 's/^  exit status 0$/  exit status 1/'
conform conform "$TMP/shell.trace"
check_status "changed shell exit status fails" 1 "$status"
check_grep "the echo named" 'echo 0 > cpu1/online: recorded exit status non-zero, model 0' "$TMP/out"

# cpu0 has no online file (6.1: the boot CPU is not hotpluggable).
sed 's/^\(cpu0 directory entries (is there an online attribute?): \)/\1online /' \
	"$ORACLE/scenario-c-target.trace" >"$TMP/dir.trace"
conform conform "$TMP/dir.trace"
check_status "cpu0 with an online file fails" 1 "$status"
check_grep "the entry named" 'cpu0/online: recorded present, model absent' "$TMP/out"

# A trace cut short: the model has events the recording lacks.
sed '/cpuhp_exit:  cpu: 0001  state: 236 step:  91 ret: 0/d' "$A" >"$TMP/short.trace"
conform conform "$TMP/short.trace"
check_status "model's extra event fails" 1 "$status"
check_grep "end of recorded trace" 'recorded: \(end of trace\)' "$TMP/out"

# --- the wrong model fails -------------------------------------------------
conform --model mainline conform "$ORACLE/scenario-b06-fail-up-dyn-vmstat-online.trace"
check_status "mainline model does not replay a 6.1 recording" 1 "$status"
conform --model mainline conform "$ORACLE/info-main.trace"
check_status "mainline's states listing differs" 1 "$status"
check_grep "listing difference named" 'hotplug/states differs' "$TMP/out"

# --- any file in the format: own blocks, machine lines ---------------------
cat >"$TMP/own.trace" <<'REC'
topology: sockets=1 cores=4 threads=1
##### BEGIN no-smt
  masks: possible=0-3 present=0-3 online=0-3 offline=
  smt/control=notsupported smt/active=0
write /sys/devices/system/cpu/smt/control <- off : FAIL errno=19 (No such device)
  cpu3: online=1 state=236(online) target=236 fail=-1 core_id=3 thread_siblings_list=3
write /sys/devices/system/cpu/cpu3/online <- 0 : ok errno=0 (-)
  cpu3: online=0 state=0(offline) target=0 fail=-1
##### END no-smt
##### BEGIN nosmt-boot
cmdline: nosmt
topology: sockets=1 cores=2 threads=2
  masks: possible=0-3 present=0-3 online=0,2 offline=1,3
  smt/control=off smt/active=0
write /sys/devices/system/cpu/cpu1/online <- 1 : FAIL errno=1 (Operation not permitted)
write /sys/devices/system/cpu/smt/control <- on : ok errno=0 (-)
  masks: possible=0-3 present=0-3 online=0-3 offline=
  smt/control=on smt/active=1
##### END nosmt-boot
REC
conform conform "$TMP/own.trace"
check_status "own recording with machine lines" 0 "$status"
check_grep "first block" 'PASS no-smt \(2 writes' "$TMP/out"
check_grep "second block, fresh machine" 'PASS nosmt-boot \(2 writes' "$TMP/out"
# Options win over the file: 4 cores of 2 threads is not what it recorded.
conform --cpus 8 conform "$TMP/own.trace"
check_status "--cpus overrides the file" 1 "$status"

printf 'write /sys/devices/system/cpu/cpu1/online <- 0 : ok errno=0 (-)\n  cpu1: online=0 state=0(offline) target=0 fail=-1\n' >"$TMP/bare.trace"
conform conform "$TMP/bare.trace"
check_status "a file without BEGIN/END is one block" 0 "$status"

conform conform "$A" "$TMP/attr.trace"
check_status "one failing file of two" 1 "$status"
check_grep "summary" '^conform: 1 of 2 files passed$' "$TMP/out"

# --- errors ------------------------------------------------------------------
conform conform "$TMP/does-not-exist.trace"
check_status "missing file" 1 "$status"
check_grep "missing file reported" 'does-not-exist.trace: ERROR cannot open' "$TMP/out"
conform conform
check_status "no FILE is a usage error" 2 "$status"

# --- the 6.1 offline runs its control side in a kworker ----------------------
echo "write cpu1/online 0" | "$CPUHPCTL" --model linux-6.1-x86 --cpus 4 --trace "$TMP/t61" run - >/dev/null
check_grep "6.1: takedown_cpu in kworker/0:1" '^ +kworker/0:1-[0-9]+ +\[000\] .*cpuhp_enter: cpu: 0001 target:   0 step: 153 \(takedown_cpu\)$' "$TMP/t61"
check_no_grep "6.1: nothing of the offline in the writer" '^ +cpuhpctl-' "$TMP/t61"
echo "write cpu1/online 0" | "$CPUHPCTL" --model mainline --cpus 4 --trace "$TMP/tml" run - >/dev/null
check_grep "mainline: takedown_cpu in the writer" '^ +cpuhpctl-[0-9]+ +\[000\] .*step: 145 \(takedown_cpu\)$' "$TMP/tml"
check_no_grep "mainline: no kworker" 'kworker' "$TMP/tml"
# No other online CPU to run the worker on: -EBUSY, as the last CPU always is.
printf 'write cpu0/hotplug/target 0\nshow cpu0\n' |
	"$CPUHPCTL" --model linux-6.1-x86 --cpus 1 run - >"$TMP/last"
check_eq "6.1: the last CPU stays" "write cpu0/hotplug/target <- 0 : FAIL errno=16 (Device or resource busy)
  cpu0: online=n/a state=236(online) target=0 fail=-1" "$(cat "$TMP/last")"

finish
