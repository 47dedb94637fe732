#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# cli-read.sh - the text of every control file, byte for byte.  Expected
# values come from the oracle recordings (info-main.trace: masks, kernel_max,
# per-CPU attributes, SMT topology of a 4-CPU 2-threads-per-core machine)
# and from spec sections 6 and 7 (formats, SMT control values).

. "$(dirname "$0")/lib.sh"

# expect_read WHAT EXPECTED-TEXT [OPTIONS...] PATH (the text with its newline)
expect_read() {
	local what=$1 want=$2
	shift 2
	ctl_read "$@"
	check_status "read ${!#} ($what)" 0 $?
	check_eq "read ${!#} ($what)" "$want" "$REPLY"
}

nl=$'\n'

# Masks: the kernel's "%*pbl" list format; an empty mask is a lone newline.
expect_read "4 CPUs" "0-3$nl" online
expect_read "4 CPUs" "$nl" offline
expect_read "4 CPUs" "0-3$nl" possible
expect_read "4 CPUs" "0-3$nl" present
expect_read "NR_CPUS 8192" "8191$nl" kernel_max
expect_read "1 CPU" "0$nl" --cpus 1 online
expect_read "1 CPU" "$nl" --cpus 1 offline
# offline = possible and not online, including the CPUs that are not present.
expect_read "8 possible, 6 present" "0-7$nl" --cpus 8 --present 6 possible
expect_read "8 possible, 6 present" "0-5$nl" --cpus 8 --present 6 present
expect_read "8 possible, 6 present" "0-5$nl" --cpus 8 --present 6 online
expect_read "8 possible, 6 present" "6-7$nl" --cpus 8 --present 6 offline
expect_read "maxcpus=3" "0-2$nl" --cpus 6 --cmdline maxcpus=3 online
expect_read "maxcpus=3" "3-5$nl" --cpus 6 --cmdline maxcpus=3 offline
# Single CPUs and ranges mixed: nosmt leaves the secondary threads offline
# (spec 7.3; oracle scenario-d shows the same masks after smt/control=off).
expect_read "nosmt" "0,2$nl" --threads-per-core 2 --cmdline nosmt online
expect_read "nosmt" "1,3$nl" --threads-per-core 2 --cmdline nosmt offline
expect_read "nosmt, 6 CPUs" "0,2,4$nl" --cpus 6 --threads-per-core 2 --cmdline nosmt online

# Absolute paths read the same files.
expect_read "absolute" "0-3$nl" /sys/devices/system/cpu/online
expect_read "absolute" "236$nl" /sys/devices/system/cpu/cpu2/hotplug/state

# hotplug/states: "%3d: %s\n" for each named state of the model, ascending
# (spec 6.1).  The expected listing is built from the model file itself.
want=$(awk '$1 == "state" { printf "%3d: %s\n", $2, $3 }' \
	"$SRCDIR/models/mainline.model" | sort -n)
ctl_read hotplug/states
check_eq "hotplug/states lists the model's named states" "$want$nl" "$REPLY"
check_eq "hotplug/states starts at offline" "  0: offline" "$(head -n 1 <<<"$REPLY")"
check_eq "hotplug/states ends at online" "236: online" "$(sed '/^$/d' <<<"$REPLY" | tail -n 1)"
"$CPUHPCTL" states >"$TMP/states"
check_eq "the states command prints the same listing" "$REPLY" "$(cat "$TMP/states")$nl"

# Per-CPU files on the booted machine (oracle info-main: cpu1-3 online=1
# state=236 target=236 fail=-1; the boot CPU has no online attribute).
for cpu in 1 2 3; do
	expect_read "booted" "1$nl" cpu$cpu/online
	expect_read "booted" "236$nl" cpu$cpu/hotplug/state
	expect_read "booted" "236$nl" cpu$cpu/hotplug/target
	expect_read "booted" "-1$nl" cpu$cpu/hotplug/fail
done
expect_read "boot CPU" "236$nl" cpu0/hotplug/state
expect_read "boot CPU" "-1$nl" cpu0/hotplug/fail
# Mainline sets the boot CPU's target to ONLINE (a v6.2 change; 6.1 shows 0).
expect_read "boot CPU, mainline" "236$nl" cpu0/hotplug/target
ctl_read cpu0/online 2>/dev/null
check_status "cpu0/online does not exist on x86 (oracle: online=n/a)" 1 $?
# A CPU that is possible but not present still has its hotplug directory.
expect_read "not present" "0$nl" --cpus 4 --present 2 cpu3/hotplug/state

# Topology (oracle info-main: thread_siblings_list 0-1, 0-1, 2-3, 2-3).
for cpu in 0 1; do
	expect_read "2 threads per core" "0-1$nl" --threads-per-core 2 \
		cpu$cpu/topology/thread_siblings_list
done
for cpu in 2 3; do
	expect_read "2 threads per core" "2-3$nl" --threads-per-core 2 \
		cpu$cpu/topology/thread_siblings_list
done
expect_read "1 thread per core" "2$nl" cpu2/topology/thread_siblings_list
expect_read "4 threads per core" "4-7$nl" --cpus 8 --threads-per-core 4 \
	cpu6/topology/thread_siblings_list

# SMT (oracle info-main: control "on", active 1 with 2 threads per core;
# spec 7.2: one thread per core is "notsupported"; 6.6: without
# CONFIG_HOTPLUG_SMT "notimplemented"; 7.2: nosmt is "off", nosmt=force
# "forceoff").
expect_read "2 threads per core" "on$nl" --threads-per-core 2 smt/control
expect_read "2 threads per core" "1$nl" --threads-per-core 2 smt/active
expect_read "1 thread per core" "notsupported$nl" smt/control
expect_read "1 thread per core" "0$nl" smt/active
expect_read "HOTPLUG_SMT=n" "notimplemented$nl" --threads-per-core 2 \
	--config HOTPLUG_SMT=n smt/control
expect_read "nosmt" "off$nl" --threads-per-core 2 --cmdline nosmt smt/control
expect_read "nosmt" "0$nl" --threads-per-core 2 --cmdline nosmt smt/active
expect_read "nosmt=force" "forceoff$nl" --threads-per-core 2 --cmdline nosmt=force \
	smt/control

finish
