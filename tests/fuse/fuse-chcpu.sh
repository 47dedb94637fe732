#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# fuse-chcpu.sh - util-linux chcpu, unmodified, drives the simulated machine
# through /sys/devices/system/cpu.  Topology as oracle info-main (4 CPUs, 2
# threads per core: siblings 0-1 and 2-3).  Expected masks and errno values:
# oracle scenario-a (offline/online of cpu1), scenario-d (smt/control=off:
# online 0,2; onlining sibling cpu1 fails with EPERM) and info-main (cpu0 has
# no "online" file, so it is not hot-pluggable).

. "$(dirname "$0")/lib.sh"

fuse_mount --cpus 4 --threads-per-core 2 "$@"

chcpu -d 1 >"$TMP/out" 2>"$TMP/err"
check_status "chcpu -d 1" 0 $?
check_eq "chcpu -d 1 says" "CPU 1 disabled" "$(cat "$TMP/out")"
check_eq "online after chcpu -d 1" "0,2-3" "$(cat $CPU/online)"
check_eq "offline after chcpu -d 1" "1" "$(cat $CPU/offline)"
check_eq "cpu1/online after chcpu -d 1" "0" "$(cat $CPU/cpu1/online)"
check_eq "cpu1/hotplug/state after chcpu -d 1" "0" "$(cat $CPU/cpu1/hotplug/state)"

chcpu -e 1 >"$TMP/out" 2>"$TMP/err"
check_status "chcpu -e 1" 0 $?
check_eq "chcpu -e 1 says" "CPU 1 enabled" "$(cat "$TMP/out")"
check_eq "online after chcpu -e 1" "0-3" "$(cat $CPU/online)"
check_eq "cpu1/online after chcpu -e 1" "1" "$(cat $CPU/cpu1/online)"

# The boot CPU has no online file: chcpu refuses by itself.
chcpu -d 0 >"$TMP/out" 2>&1
check_grep "chcpu -d 0: not hot-pluggable" "CPU 0 is not hot pluggable" "$TMP/out"
check_eq "online after chcpu -d 0" "0-3" "$(cat $CPU/online)"

# SMT off takes the siblings down; bringing one up is refused with EPERM.
echo off >$CPU/smt/control
check_status "echo off > smt/control" 0 $?
check_eq "online with smt/control=off" "0,2" "$(cat $CPU/online)"
chcpu -e 1 >"$TMP/out" 2>"$TMP/err"
st=$?
check_eq "chcpu -e 1 with SMT off fails (exit status)" "fails" "$([ $st -ne 0 ] && echo fails)"
check_grep "chcpu -e 1 with SMT off: the kernel's EPERM" \
	"CPU 1 enable failed: Operation not permitted" "$TMP/err"
check_eq "online after the refused chcpu -e 1" "0,2" "$(cat $CPU/online)"
check_eq "cpu1/online after the refused chcpu -e 1" "0" "$(cat $CPU/cpu1/online)"

# A primary thread still goes down and up (scenario-d: cpu2).
chcpu -d 2 >"$TMP/out" 2>"$TMP/err"
check_status "chcpu -d 2 with SMT off" 0 $?
check_eq "online after chcpu -d 2" "0" "$(cat $CPU/online)"
chcpu -e 2 >"$TMP/out" 2>"$TMP/err"
check_status "chcpu -e 2 with SMT off" 0 $?
check_eq "online after chcpu -e 2" "0,2" "$(cat $CPU/online)"

echo on >$CPU/smt/control
check_status "echo on > smt/control" 0 $?
check_eq "online with smt/control=on" "0-3" "$(cat $CPU/online)"
chcpu -d 1,3 >"$TMP/out" 2>"$TMP/err"
check_status "chcpu -d 1,3" 0 $?
check_eq "online after chcpu -d 1,3" "0,2" "$(cat $CPU/online)"
check_eq "smt/active with one thread per core" "0" "$(cat $CPU/smt/active)"

fuse_finish
