#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# cli-bad-input.sh - malformed and refused values for the writable files,
# with the kernel's errno, and proof that nothing changed (the state is read
# back after the refused writes).  Sources: spec 6.3 (target: kstrtoint,
# 0/ONLINE only without STATE_CONTROL, named and stoppable states), 6.4
# (fail), 6.5 (online: kstrtobool), 7.4 (smt/control, mainline order of
# checks); oracle scenario-c (-1, 237, abc and intermediate targets are
# -EINVAL) and scenario-b01 (fail=1 on an offline CPU makes the online fail
# with -EAGAIN).  An empty value is a zero-length write, which sysfs passes to
# no store: 0, nothing changes (recorded on 6.1 and 6.12 by cpuhpctl kernel run).

# shellcheck disable=SC2119 # run_script takes optional machine options
. "$(dirname "$0")/lib.sh"

EINVAL="FAIL errno=22 (Invalid argument)"
ERANGE="FAIL errno=34 (Numerical result out of range)"
EPERM="FAIL errno=1 (Operation not permitted)"
ENODEV="FAIL errno=19 (No such device)"
OK="ok errno=0"
UP="  cpu1: online=1 state=236(online) target=236 fail=-1"
DOWN="  cpu1: online=0 state=0(offline) target=0 fail=-1"

# script_case WHAT EXPECTED-OUTPUT [OPTIONS...] < script
script_case() {
	local what=$1 want=$2
	shift 2
	run_script "$@"
	check_status "$what" 0 "$status"
	check_eq "$what" "$want" "$(cat "$TMP/out")"
}

# --- hotplug/target ----------------------------------------------------
script_case "target: malformed numbers" "write cpu1/hotplug/target <- abc : $EINVAL
write cpu1/hotplug/target <- \"\" : ok errno=0
write cpu1/hotplug/target <- \" 0\" : $EINVAL
write cpu1/hotplug/target <- \"0 \" : $EINVAL
write cpu1/hotplug/target <- \"0\\n\\n\" : $EINVAL
write cpu1/hotplug/target <- \"\\n\" : $EINVAL
write cpu1/hotplug/target <- 1e3 : $EINVAL
write cpu1/hotplug/target <- 0x0 : $EINVAL
write cpu1/hotplug/target <- --1 : $EINVAL
write cpu1/hotplug/target <- + : $EINVAL
write cpu1/hotplug/target <- 3000000000x : $EINVAL
write cpu1/hotplug/target <- 99999999999999999999 : $ERANGE
write cpu1/hotplug/target <- -99999999999999999999 : $ERANGE
write cpu1/hotplug/target <- 99999999999999999999x : $ERANGE
write cpu1/hotplug/target <- 2147483648 : $ERANGE
write cpu1/hotplug/target <- -2147483649 : $ERANGE
$UP" <<'SCRIPT'
write cpu1/hotplug/target abc
write cpu1/hotplug/target ""
write cpu1/hotplug/target " 0"
write cpu1/hotplug/target "0 "
write cpu1/hotplug/target "0\n\n"
write cpu1/hotplug/target "\n"
write cpu1/hotplug/target 1e3
write cpu1/hotplug/target 0x0
write cpu1/hotplug/target --1
write cpu1/hotplug/target +
write cpu1/hotplug/target 3000000000x
write cpu1/hotplug/target 99999999999999999999
write cpu1/hotplug/target -99999999999999999999
write cpu1/hotplug/target 99999999999999999999x
write cpu1/hotplug/target 2147483648
write cpu1/hotplug/target -2147483649
show cpu1
SCRIPT

script_case "target: values other than 0 and ONLINE" "write cpu1/hotplug/target <- -1 : $EINVAL
write cpu1/hotplug/target <- 237 : $EINVAL
write cpu1/hotplug/target <- 187 : $EINVAL
write cpu1/hotplug/target <- 145 : $EINVAL
write cpu1/hotplug/target <- 86 : $EINVAL
write cpu1/hotplug/target <- 2147483647 : $EINVAL
write cpu1/hotplug/target <- -2147483648 : $EINVAL
$UP" <<'SCRIPT'
write cpu1/hotplug/target -1
write cpu1/hotplug/target 237
write cpu1/hotplug/target 187
write cpu1/hotplug/target 145
write cpu1/hotplug/target 86
write cpu1/hotplug/target 2147483647
write cpu1/hotplug/target -2147483648
show cpu1
SCRIPT

# Accepted spellings: sign, leading zeros, one newline.  The device's online
# flag is not updated by target writes (spec 6.3).
script_case "target: accepted spellings" "write cpu1/hotplug/target <- +0 : $OK
  cpu1: online=1 state=0(offline) target=0 fail=-1
write cpu1/hotplug/target <- 0236 : $OK
$UP
write cpu1/hotplug/target <- -0 : $OK
  cpu1: online=1 state=0(offline) target=0 fail=-1
write cpu1/hotplug/target <- 236 : $OK
$UP" <<'SCRIPT'
write cpu1/hotplug/target +0
show cpu1
write cpu1/hotplug/target 0236
show cpu1
write cpu1/hotplug/target -0
show cpu1
echo 236 > cpu1/hotplug/target
show cpu1
SCRIPT

# With CONFIG_CPU_HOTPLUG_STATE_CONTROL any state in [0, ONLINE] passes the
# range check, but it must be named and not cant_stop (spec 6.3, rule 21:
# cant_stop = threads:prepare, cpu:bringup, ap:offline, cpu:teardown).
script_case "target: STATE_CONTROL" "write cpu1/hotplug/target <- 145 : $EINVAL
write cpu1/hotplug/target <- 86 : $EINVAL
write cpu1/hotplug/target <- 88 : $EINVAL
write cpu1/hotplug/target <- 1 : $EINVAL
write cpu1/hotplug/target <- 100 : $EINVAL
write cpu1/hotplug/target <- 237 : $EINVAL
write cpu1/hotplug/target <- -1 : $EINVAL
$UP
write cpu1/hotplug/target <- 187 : $OK
  cpu1: online=1 state=187(workqueue:online) target=187 fail=-1
write cpu1/hotplug/target <- 236 : $OK
$UP" --config CPU_HOTPLUG_STATE_CONTROL=y <<'SCRIPT'
write cpu1/hotplug/target 145
write cpu1/hotplug/target 86
write cpu1/hotplug/target 88
write cpu1/hotplug/target 1
write cpu1/hotplug/target 100
write cpu1/hotplug/target 237
write cpu1/hotplug/target -1
show cpu1
write cpu1/hotplug/target 187
show cpu1
write cpu1/hotplug/target 236
show cpu1
SCRIPT

# Writing the current state is a no-op on mainline (the 2022 fix): no
# callback runs, so the trace stays empty.
run_script --trace "$TMP/trace" <<'SCRIPT'
write cpu1/hotplug/target 236
SCRIPT
check_eq "target: equal value runs nothing" "write cpu1/hotplug/target <- 236 : $OK" \
	"$(cat "$TMP/out")"
check_eq "target: equal value, empty trace" "" "$(cat "$TMP/trace")"

# --- hotplug/fail ------------------------------------------------------
script_case "fail: malformed and refused values" "write cpu1/hotplug/fail <- 187 : $OK
write cpu1/hotplug/fail <- abc : $EINVAL
write cpu1/hotplug/fail <- \"\" : ok errno=0
write cpu1/hotplug/fail <- 188x : $EINVAL
write cpu1/hotplug/fail <- \"188 \" : $EINVAL
write cpu1/hotplug/fail <- 99999999999999999999 : $ERANGE
write cpu1/hotplug/fail <- -2 : $EINVAL
write cpu1/hotplug/fail <- 237 : $EINVAL
write cpu1/hotplug/fail <- 0 : $EINVAL
write cpu1/hotplug/fail <- 236 : $EINVAL
write cpu1/hotplug/fail <- 100 : $EINVAL
write cpu1/hotplug/fail <- 88 : $EINVAL
write cpu1/hotplug/fail <- 90 : $EINVAL
write cpu1/hotplug/fail <- 142 : $EINVAL
write cpu1/hotplug/fail <- 1 : $EINVAL
write cpu1/hotplug/fail <- 86 : $EINVAL
187
write cpu1/hotplug/fail <- -1 : $OK
-1
write cpu1/hotplug/fail <- +188 : $OK
188
write cpu1/hotplug/fail <- \"190\\n\" : $OK
190
write cpu1/hotplug/fail <- -1 : $OK
$UP" <<'SCRIPT'
write cpu1/hotplug/fail 187
# Every refused value below leaves 187 armed.
write cpu1/hotplug/fail abc
write cpu1/hotplug/fail ""
write cpu1/hotplug/fail 188x
write cpu1/hotplug/fail "188 "
write cpu1/hotplug/fail 99999999999999999999
write cpu1/hotplug/fail -2
write cpu1/hotplug/fail 237
# No callbacks: offline, online, a hole.
write cpu1/hotplug/fail 0
write cpu1/hotplug/fail 236
write cpu1/hotplug/fail 100
# Atomic (STARTING/DYING) states.
write cpu1/hotplug/fail 88
write cpu1/hotplug/fail 90
write cpu1/hotplug/fail 142
# PREPARE states while the CPU is above BRINGUP_CPU.
write cpu1/hotplug/fail 1
write cpu1/hotplug/fail 86
read cpu1/hotplug/fail
write cpu1/hotplug/fail -1
read cpu1/hotplug/fail
write cpu1/hotplug/fail +188
read cpu1/hotplug/fail
write cpu1/hotplug/fail "190\n"
read cpu1/hotplug/fail
write cpu1/hotplug/fail -1
show cpu1
SCRIPT

# A PREPARE state is accepted while the CPU is down; the online then fails
# with -EAGAIN and rolls back to offline (oracle scenario-b01).
script_case "fail: PREPARE state on an offline CPU" "write cpu1/online <- 0 : $OK
write cpu1/hotplug/fail <- 1 : $OK
write cpu1/online <- 1 : FAIL errno=11 (Resource temporarily unavailable)
$DOWN" <<'SCRIPT'
echo 0 > cpu1/online
echo 1 > cpu1/hotplug/fail
echo 1 > cpu1/online
show cpu1
SCRIPT

# --- cpuN/online -------------------------------------------------------
script_case "online: malformed booleans" "write cpu1/online <- 2 : $EINVAL
write cpu1/online <- x : $EINVAL
write cpu1/online <- \"\" : ok errno=0
write cpu1/online <- o : $EINVAL
write cpu1/online <- ox : $EINVAL
write cpu1/online <- \" 1\" : $EINVAL
write cpu1/online <- -1 : $EINVAL
write cpu1/online <- \"\\n\" : $EINVAL
$UP" <<'SCRIPT'
write cpu1/online 2
write cpu1/online x
write cpu1/online ""
write cpu1/online o
write cpu1/online ox
write cpu1/online " 1"
write cpu1/online -1
write cpu1/online "\n"
show cpu1
SCRIPT

# kstrtobool looks at the first character, or at two for "on"/"off".
script_case "online: accepted booleans" "write cpu1/online <- n : $OK
$DOWN
write cpu1/online <- Y : $OK
$UP
write cpu1/online <- off : $OK
$DOWN
write cpu1/online <- ON : $OK
$UP
write cpu1/online <- false : $OK
$DOWN
write cpu1/online <- true : $OK
$UP
write cpu1/online <- Of : $OK
$DOWN
write cpu1/online <- 1junk : $OK
$UP
write cpu1/online <- 0 : $OK
$DOWN
write cpu1/online <- yes : $OK
$UP" <<'SCRIPT'
write cpu1/online n
show cpu1
write cpu1/online Y
show cpu1
write cpu1/online off
show cpu1
write cpu1/online ON
show cpu1
write cpu1/online false
show cpu1
write cpu1/online true
show cpu1
write cpu1/online Of
show cpu1
write cpu1/online 1junk
show cpu1
echo 0 > cpu1/online
show cpu1
write cpu1/online yes
show cpu1
SCRIPT

# --- smt/control -------------------------------------------------------
script_case "smt/control: malformed values" "write smt/control <- bogus : $EINVAL
write smt/control <- \"\" : ok errno=0
write smt/control <- 3 : $EINVAL
write smt/control <- 0 : $EINVAL
write smt/control <- \"on \" : $EINVAL
write smt/control <- On : $EINVAL
write smt/control <- \"on\\n\\n\" : $EINVAL
  smt/control=on smt/active=1
  masks: possible=0-3 present=0-3 online=0-3 offline=
write smt/control <- on : $OK
  smt/control=on smt/active=1
  masks: possible=0-3 present=0-3 online=0-3 offline=" --threads-per-core 2 <<'SCRIPT'
write smt/control bogus
write smt/control ""
write smt/control 3
write smt/control 0
write smt/control "on "
write smt/control On
write smt/control "on\n\n"
show smt
show masks
echo on > smt/control
show smt
show masks
SCRIPT

# Numbers: 1 = off, the maximum thread count = on (spec 7.4, mainline).
script_case "smt/control: thread counts" "write smt/control <- 1 : $OK
  smt/control=off smt/active=0
  masks: possible=0-3 present=0-3 online=0,2 offline=1,3
write smt/control <- 2 : $OK
  smt/control=on smt/active=1
  masks: possible=0-3 present=0-3 online=0-3 offline=" --threads-per-core 2 <<'SCRIPT'
write smt/control 1
show smt
show masks
write smt/control 2
show smt
show masks
SCRIPT

# forceoff cannot be undone: every later write is -EPERM, checked before the
# value is parsed (mainline order).
script_case "smt/control: forceoff" "write smt/control <- forceoff : $OK
  smt/control=forceoff smt/active=0
write smt/control <- on : $EPERM
write smt/control <- off : $EPERM
write smt/control <- bogus : $EPERM
  smt/control=forceoff smt/active=0
  masks: possible=0-3 present=0-3 online=0,2 offline=1,3" --threads-per-core 2 <<'SCRIPT'
write smt/control forceoff
show smt
write smt/control on
write smt/control off
write smt/control bogus
show smt
show masks
SCRIPT

script_case "smt/control: not supported" "write smt/control <- on : $ENODEV
write smt/control <- bogus : $ENODEV
  smt/control=notsupported smt/active=0" <<'SCRIPT'
write smt/control on
write smt/control bogus
show smt
SCRIPT

script_case "smt/control: not implemented" "write smt/control <- off : $ENODEV
  smt/control=notimplemented smt/active=1
  masks: possible=0-3 present=0-3 online=0-3 offline=" --threads-per-core 2 \
	--config HOTPLUG_SMT=n <<'SCRIPT'
write smt/control off
show smt
show masks
SCRIPT

finish
