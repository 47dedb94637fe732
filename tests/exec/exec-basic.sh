#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# exec-basic.sh - "cpuhpctl exec" runs a program on the simulated machine:
# the program sees fuse.cpuhp at /sys/devices/system/cpu (the machine's CPU
# count, its trace and cpuinfo), exec returns the program's status (128+sig
# for a signal), Ctrl-C (SIGINT) ends it, bad usage changes nothing, and
# nothing stays mounted afterwards.

. "$(dirname "$0")/../fuse/lib.sh"

CPU=/sys/devices/system/cpu
export TMPDIR=$TMP

# What a program sees inside.
"$CPUHPCTL" --cpus 6 exec -- sh -c '
	findmnt -n -o FSTYPE --mountpoint /sys/devices/system/cpu | tail -n 1
	cat /sys/devices/system/cpu/possible /sys/devices/system/cpu/online
	getconf _NPROCESSORS_ONLN
	grep -c ^processor /proc/cpuinfo
	echo 0 > /sys/devices/system/cpu/cpu5/online && cat /sys/devices/system/cpu/online
	grep -q "cpuhp_enter: *cpu: *0005" /sys/kernel/tracing/trace && echo traced
	exit 7' >"$TMP/out" 2>"$TMP/err"
check_status "exec returns the program's exit status" 7 $?
check_eq "the program sees the simulated machine" "fuse.cpuhp
0-5
0-5
6
6
0-4
traced" "$(cat "$TMP/out")"

# Nothing stays: exec's mounts live in its own namespace (so this one never
# sees them), its directory in TMPDIR is gone.
check_eq "no fuse.cpuhp mount here" "" "$(findmnt -n -t fuse.cpuhp)"
check_eq "no directory left behind" "" "$(ls "$TMP" | grep cpuhp-exec)"
if [ "$(findmnt -n -o FSTYPE --mountpoint $CPU | tail -n 1)" != fuse.cpuhp ]; then
	ok "outside exec, $CPU is not the simulation"
else
	not_ok "outside exec, $CPU is not the simulation"
fi

# A signal death: 128 + the signal, and exec names it.
"$CPUHPCTL" exec -- sh -c 'kill -ABRT $$' >"$TMP/out" 2>"$TMP/err"
check_status "a program killed by SIGABRT" 134 $?
check_grep "exec names the signal" "killed by signal 6 \(SIGABRT" "$TMP/err"

# SIGINT to exec (as kill sends it) ends the program and cleans up.
"$CPUHPCTL" exec -- sh -c ': >"$1"; exec sleep 1000' sh "$TMP/started" \
	>"$TMP/out" 2>"$TMP/err" &
pid=$!
# CMD starts only once the machine is mounted and checked (no timing
# assertion: CTest's timeout bounds the wait).
until [ -e "$TMP/started" ]; do
	sleep 0.05
done
kill -INT $pid
wait $pid
check_status "SIGINT: the program dies of it" 130 $?
check_eq "SIGINT: no fuse.cpuhp mount remains" "" "$(findmnt -n -t fuse.cpuhp)"

# Usage errors: status 2, nothing run.
"$CPUHPCTL" exec --flap 10 --flap-script /dev/null -- true 2>"$TMP/err"
check_status "--flap with --flap-script" 2 $?
"$CPUHPCTL" exec --flap fast -- true 2>"$TMP/err"
check_status "--flap fast" 2 $?
check_grep "--flap fast: says what it wants" "operations per second" "$TMP/err"
"$CPUHPCTL" exec 2>"$TMP/err"
check_status "no command" 2 $?
printf 'cpu1/online\n' >"$TMP/bad.script"
"$CPUHPCTL" exec --flap-script "$TMP/bad.script" -- true 2>"$TMP/err"
check_status "a bad flap script" 2 $?
check_grep "a bad flap script: names the line" "bad.script:1:" "$TMP/err"
"$CPUHPCTL" exec -- /nonexistent/program 2>"$TMP/err"
check_status "a program that does not exist" 127 $?
check_eq "nothing left mounted after the errors" "" "$(findmnt -n -t fuse.cpuhp)"

fuse_finish
