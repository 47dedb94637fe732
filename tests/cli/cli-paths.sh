#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# cli-paths.sh - path resolution through the script language: files that do
# not exist (-ENOENT: CPUs past the last possible one, "cpu01", the boot
# CPU's online file on x86), directories (-EISDIR), read-only files
# (-EACCES, as kernfs refuses to open them for writing), ".." (-EINVAL), and
# normalised spellings of real files.  Failed writes must change nothing.

# shellcheck disable=SC2119 # run_script takes optional machine options
. "$(dirname "$0")/lib.sh"

run_script <<'SCRIPT'
read cpu4/online
read cpu4/hotplug/state
read cpu01/online
read cpu0/online
read nosuch
read cpu1/nosuch
read cpu1
read cpu1/hotplug
read hotplug
read smt
read /sys/devices/system/cpu
read /sys/devices/system/online
read cpu1/../online
write cpu4/online 0
write cpu4/hotplug/target 0
write cpu01/online 0
write cpu01/hotplug/target 0
write cpu0/online 0
write nosuch 1
write cpu1 0
write cpu1/hotplug 0
write hotplug 0
write cpu1/../cpu1/online 0
write online 0-2
write offline 1
write possible 0
write present 0
write kernel_max 1
write hotplug/states x
write cpu1/hotplug/state 0
write smt/active 0
write cpu1/topology/thread_siblings_list 1
show cpu1
show masks
write //sys/devices/system/cpu//cpu2/online/ 0
show cpu2
read ./cpu2/hotplug//state
write cpu2/hotplug/target/ 236
show cpu2
SCRIPT
check_status "script runs" 0 "$status"
check_eq "nothing on stderr" "" "$(cat "$TMP/err")"

ENOENT="FAIL errno=2 (No such file or directory)"
EACCES="FAIL errno=13 (Permission denied)"
EISDIR="FAIL errno=21 (Is a directory)"
EINVAL="FAIL errno=22 (Invalid argument)"
want="read cpu4/online : $ENOENT
read cpu4/hotplug/state : $ENOENT
read cpu01/online : $ENOENT
read cpu0/online : $ENOENT
read nosuch : $ENOENT
read cpu1/nosuch : $ENOENT
read cpu1 : $EISDIR
read cpu1/hotplug : $EISDIR
read hotplug : $EISDIR
read smt : $EISDIR
read /sys/devices/system/cpu : $EISDIR
read /sys/devices/system/online : $ENOENT
read cpu1/../online : $EINVAL
write cpu4/online <- 0 : $ENOENT
write cpu4/hotplug/target <- 0 : $ENOENT
write cpu01/online <- 0 : $ENOENT
write cpu01/hotplug/target <- 0 : $ENOENT
write cpu0/online <- 0 : $ENOENT
write nosuch <- 1 : $ENOENT
write cpu1 <- 0 : $EISDIR
write cpu1/hotplug <- 0 : $EISDIR
write hotplug <- 0 : $EISDIR
write cpu1/../cpu1/online <- 0 : $EINVAL
write online <- 0-2 : $EACCES
write offline <- 1 : $EACCES
write possible <- 0 : $EACCES
write present <- 0 : $EACCES
write kernel_max <- 1 : $EACCES
write hotplug/states <- x : $EACCES
write cpu1/hotplug/state <- 0 : $EACCES
write smt/active <- 0 : $EACCES
write cpu1/topology/thread_siblings_list <- 1 : $EACCES
  cpu1: online=1 state=236(online) target=236 fail=-1
  masks: possible=0-3 present=0-3 online=0-3 offline=
write //sys/devices/system/cpu//cpu2/online/ <- 0 : ok errno=0
  cpu2: online=0 state=0(offline) target=0 fail=-1
0
write cpu2/hotplug/target/ <- 236 : ok errno=0
  cpu2: online=0 state=236(online) target=236 fail=-1"
check_eq "errors, and the state left unchanged" "$want" "$(cat "$TMP/out")"

finish
