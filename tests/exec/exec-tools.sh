#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# exec-tools.sh - unmodified tools that read more than the hotplug files,
# run with "cpuhpctl exec" on 4 CPUs, 2 threads a core (cores {0,1} {2,3}):
# lscpu -C sums the caches by instance (one per core for L1/L2, one per
# package for L3); a CPU's cache directory exists only while it is online and
# the shared maps list online CPUs (cacheinfo's online/offline callbacks);
# node0 lists the online CPUs; cpufreq keeps an offline CPU's policy,
# inactive (EBUSY); cpupower idle-info and monitor find the
# cpuidle states; stress-ng's cpu-online stressor (--pathological) runs 10 s
# without an error.  A tool that is not installed is skipped.

. "$(dirname "$0")/../fuse/lib.sh"

export TMPDIR=$TMP
have() { command -v "$1" >/dev/null; }
skip() { ok "# SKIP $1 not installed"; }

cat >"$TMP/inside.sh" <<'INSIDE'
cd /sys/devices/system/cpu || exit 1
out=$1
lscpu -C=NAME,ALL-SIZE,LEVEL >"$out/lscpu-all" 2>&1
ls cpu2 >"$out/ls-cpu2-online"
echo 0 >cpu2/online
ls cpu2 >"$out/ls-cpu2-offline"
cat cpu3/cache/index0/shared_cpu_list cpu3/cache/index3/shared_cpu_list \
	cpu3/cache/index3/shared_cpu_map >"$out/shared"
cat /sys/devices/system/node/node0/cpulist /sys/devices/system/node/node0/cpumap >"$out/node"
{
	readlink cpu2/cpufreq
	ls cpufreq | tr '\n' ' '; echo
	cat cpu1/cpufreq/affected_cpus
	cat cpufreq/policy2/scaling_cur_freq 2>&1 | sed 's/.*: //'
} >"$out/cpufreq"
echo 0 >cpu3/online
lscpu -C=NAME,ALL-SIZE,LEVEL >"$out/lscpu-half" 2>&1
echo 1 >cpu2/online && echo 1 >cpu3/online
cat cpu3/cache/index0/shared_cpu_list >>"$out/shared"
if command -v cpupower >/dev/null; then
	cpupower idle-info >"$out/idle-info" 2>/dev/null; echo $? >>"$out/idle-info.st"
	cpupower monitor -m Idle_Stats >"$out/monitor" 2>/dev/null; echo $? >>"$out/monitor.st"
fi
if command -v stress-ng >/dev/null; then
	stress-ng --cpu-online 1 --pathological --timeout 10s >"$out/stress" 2>&1
	echo $? >"$out/stress.st"
fi
INSIDE

"$CPUHPCTL" --cpus 4 --threads-per-core 2 exec -- sh "$TMP/inside.sh" "$TMP" 2>"$TMP/err"
check_status "exec of the tool script" 0 $?

if have lscpu; then
	check_eq "lscpu -C: one L1/L2 instance per core, one L3 per package" \
		"NAME ALL-SIZE LEVEL
L1d       96K     1
L1i       64K     1
L2         4M     2
L3        16M     3" "$(cat "$TMP/lscpu-all")"
	check_eq "lscpu -C, core 1 offline: its caches are gone" \
		"NAME ALL-SIZE LEVEL
L1d       48K     1
L1i       32K     1
L2         2M     2
L3        16M     3" "$(cat "$TMP/lscpu-half")"
else
	skip lscpu
fi
check_grep "online cpu2 has a cache directory" "^cache$" "$TMP/ls-cpu2-online"
check_no_grep "offline cpu2 has none" "^cache$" "$TMP/ls-cpu2-offline"
check_eq "shared maps hold online CPUs only (cpu2 offline, then back)" "3
0-1,3
b
2-3" "$(cat "$TMP/shared")"
check_eq "node0 lists the online CPUs" "0-1,3
b" "$(cat "$TMP/node")"
check_eq "cpufreq: one policy per present CPU, the link, an inactive policy is EBUSY" \
	"../cpufreq/policy2
policy0 policy1 policy2 policy3 
1
Device or resource busy" "$(cat "$TMP/cpufreq")"

if have cpupower; then
	check_eq "cpupower idle-info exit status" 0 "$(cat "$TMP/idle-info.st")"
	check_grep "cpupower idle-info: the driver" "^CPUidle driver: intel_idle$" "$TMP/idle-info"
	check_grep "cpupower idle-info: the states" "^Available idle states: POLL C1 C1E C6" \
		"$TMP/idle-info"
	check_eq "cpupower monitor exit status" 0 "$(cat "$TMP/monitor.st")"
	check_grep "cpupower monitor: the table's columns" "CPU *\\| *POLL *\\| *C1 " "$TMP/monitor"
	for c in 0 1 2 3; do
		check_grep "cpupower monitor: a row for CPU $c" "^ +$c\\|" "$TMP/monitor"
	done
else
	skip cpupower
fi
if have stress-ng; then
	check_eq "stress-ng --cpu-online --pathological 10 s: exit status" 0 \
		"$(cat "$TMP/stress.st")"
	check_grep "stress-ng: completed" "successful run completed" "$TMP/stress"
	check_no_grep "stress-ng: no error" "(error|fail)" "$TMP/stress"
	grep metrc "$TMP/stress" | sed 's/^/# /'
else
	skip stress-ng
fi

fuse_finish
