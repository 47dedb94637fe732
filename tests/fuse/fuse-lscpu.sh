#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# fuse-lscpu.sh - util-linux lscpu, unmodified, shows the simulated CPUs:
# through /sys/devices/system/cpu (lscpu -e) and through the plain mount
# (lscpu --sysroot DIR).  Topology as oracle info-main (cores 0,0,1,1, one
# socket).  An offline CPU has no topology directory (base/topology:prepare
# removes it; scenario-a traces topology_remove_dev on the way down), so lscpu
# shows "-" for its socket and core.  glibc's sysconf reads online/possible.

. "$(dirname "$0")/lib.sh"

fuse_mount --cpus 4 --threads-per-core 2 "$@"

lscpu -e=CPU,SOCKET,CORE,ONLINE >"$TMP/out" 2>"$TMP/err"
check_status "lscpu -e" 0 $?
check_eq "lscpu -e, all online" "CPU SOCKET CORE ONLINE
  0      0    0    yes
  1      0    0    yes
  2      0    1    yes
  3      0    1    yes" "$(cat "$TMP/out")"

echo 0 >$CPU/cpu2/online
check_status "echo 0 > cpu2/online" 0 $?
lscpu -e=CPU,SOCKET,CORE,ONLINE >"$TMP/out" 2>"$TMP/err"
check_status "lscpu -e after cpu2 went offline" 0 $?
check_eq "lscpu -e, cpu2 offline" "CPU SOCKET CORE ONLINE
  0      0    0    yes
  1      0    0    yes
  2      -    -     no
  3      0    1    yes" "$(cat "$TMP/out")"
lscpu >"$TMP/out" 2>"$TMP/err"
check_grep "lscpu: on-line list" "^On-line CPU\(s\) list: +0,1,3$" "$TMP/out"
check_grep "lscpu: off-line list" "^Off-line CPU\(s\) list: +2$" "$TMP/out"

# glibc reads /sys/devices/system/cpu/online and possible.
check_eq "getconf _NPROCESSORS_ONLN" "3" "$(getconf _NPROCESSORS_ONLN)"
check_eq "getconf _NPROCESSORS_CONF" "4" "$(getconf _NPROCESSORS_CONF)"

# The plain mount, as a system root.
lscpu --sysroot "$MNT" -e=CPU,SOCKET,CORE,ONLINE >"$TMP/out" 2>"$TMP/err"
check_status "lscpu --sysroot -e" 0 $?
check_eq "lscpu --sysroot -e, cpu2 offline" "CPU SOCKET CORE ONLINE
  0      0    0    yes
  1      0    0    yes
  2      -    -     no
  3      0    1    yes" "$(cat "$TMP/out")"
echo 1 >"$MNT/sys/devices/system/cpu/cpu2/online"
check_status "echo 1 > cpu2/online (plain mount)" 0 $?
echo 0 >"$MNT/sys/devices/system/cpu/cpu1/online"
check_status "echo 0 > cpu1/online (plain mount)" 0 $?
lscpu --sysroot "$MNT" >"$TMP/out" 2>"$TMP/err"
check_status "lscpu --sysroot" 0 $?
check_grep "lscpu --sysroot: CPU count" "^CPU\(s\): +4$" "$TMP/out"
check_grep "lscpu --sysroot: on-line list" "^On-line CPU\(s\) list: +0,2,3$" "$TMP/out"
check_grep "lscpu --sysroot: off-line list" "^Off-line CPU\(s\) list: +1$" "$TMP/out"
lscpu --sysroot "$MNT" -e=CPU,ONLINE >"$TMP/out" 2>"$TMP/err"
check_eq "lscpu --sysroot -e, cpu1 offline" "CPU ONLINE
  0    yes
  1     no
  2    yes
  3    yes" "$(cat "$TMP/out")"

fuse_finish
