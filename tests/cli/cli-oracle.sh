#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# cli-oracle.sh - replay the sysfs side of the Linux 6.1 recordings in
# tests/data/oracle/linux-6.1-x86 (a copy of shared/oracle/linux-6.1-x86) and
# compare, line by line, every write's result and every "cpuN:", "masks:"
# and "smt/control=" line (README "Comparing a
# model with these files", points 1 and 2; the traces are not compared here).
#
# On the mainline model the fail states are translated by name (6.1's
# workqueue:online is 197, mainline's 187); a scenario whose state mainline
# lacks is skipped.  The boot CPU's target reads 0 on 6.1 and ONLINE on
# mainline (v6.2+), the one expected difference.  With a linux-6.1-x86 model
# the files are also replayed untranslated.

. "$(dirname "$0")/lib.sh"

ORACLE=${ORACLE:-$SRCDIR/tests/data/oracle/linux-6.1-x86}
if [ ! -f "$ORACLE/info-main.trace" ]; then
	echo "1..0 # SKIP no oracle recordings (set ORACLE)"
	exit 77
fi
# Oracle machine: -smp 4,sockets=1,cores=2,threads=2 (README).
MACHINE=(--cpus 4 --threads-per-core 2)

# name -> number for the recorded kernel, number -> name for the model.
declare -A oracle_name model_num
while read -r num name; do
	oracle_name[${num%:}]=$name
done < <(sed -n '/^--- hotplug\/states/,/^---/{/^ *[0-9]*: /p}' "$ORACLE/info-main.trace")

load_model_states() {
	local num name
	model_num=()
	while read -r num name; do
		model_num[$name]=${num%:}
	done < <("$CPUHPCTL" "$@" states)
}

# translate N: the model's number for the recorded kernel's state N
# ("missing:NAME" if the model lacks it; non-states are kept).
translate() {
	local name=${oracle_name[$1]:-}
	if [ "$1" -lt 0 ] || [ -z "$translate_by_name" ]; then
		echo "$1"
	elif [ -n "$name" ] && [ -n "${model_num[$name]:-}" ]; then
		echo "${model_num[$name]}"
	else
		echo "missing:$name"
	fi
}

# convert FILE: writes $TMP/script and $TMP/want; returns 1 if a state is
# missing from the model.
convert() {
	local line path value result n cpu rest
	local re_write='write (/sys/[^ ]+) <- ([^ ]*) : (ok errno=0|FAIL errno=[0-9]+ \([^)]*\))'
	local re_cpu='^ *(cpu[0-9]+): online=([^ ]+) state=[0-9]+\(.*\) target=(-?[0-9]+) fail=(-?[0-9]+)$'
	: >"$TMP/script"
	: >"$TMP/want"
	while IFS= read -r line; do
		[[ $line == "----- trace"* ]] && break
		if [[ $line =~ $re_write ]]; then
			path=${BASH_REMATCH[1]} value=${BASH_REMATCH[2]} result=${BASH_REMATCH[3]}
			if [[ $path == */hotplug/fail ]]; then
				value=$(translate "$value")
				[[ $value == missing:* ]] && return 1
			elif [[ $path == */hotplug/target && $value =~ ^[0-9]+$ ]]; then
				# Refused either way: keep a value the model lacks.
				n=$(translate "$value")
				[[ $n == missing:* ]] || value=$n
			fi
			echo "write $path $value" >>"$TMP/script"
			echo "write $path <- $value : $result" >>"$TMP/want"
		elif [[ $line =~ $re_cpu ]]; then
			cpu=${BASH_REMATCH[1]}
			rest=${line#*: }
			if [ "$cpu" == cpu0 ] && [ -n "$boot_target" ]; then
				rest=${rest/target=0 /target=$boot_target }
			fi
			echo "show $cpu" >>"$TMP/script"
			echo "  $cpu: $rest" >>"$TMP/want"
		elif [[ $line =~ ^\ *masks:\ (.*)$ ]]; then
			echo "show masks" >>"$TMP/script"
			echo "  masks: ${BASH_REMATCH[1]}" >>"$TMP/want"
		elif [[ $line =~ ^\ *smt/control=[a-z]+\ smt/active=[0-9]$ ]]; then
			echo "show smt" >>"$TMP/script"
			echo "  ${line#"${line%%[! ]*}"}" >>"$TMP/want"
		elif [[ $line =~ ^fail\ readback:\ (-?[0-9]+)$ ]]; then
			n=$(translate "${BASH_REMATCH[1]}")
			echo "read /sys/devices/system/cpu/cpu1/hotplug/fail" >>"$TMP/script"
			echo "$n" >>"$TMP/want"
		fi
	done <"$1"
	return 0
}

# replay LABEL OPTIONS...: every scenario file against a fresh machine.
replay() {
	local label=$1 f name
	shift
	for f in "$ORACLE"/scenario-*.trace; do
		name=$(basename "$f" .trace)
		if ! convert "$f"; then
			ok "$label $name # SKIP a recorded state is not in this model"
			continue
		fi
		"$CPUHPCTL" "$@" run "$TMP/script" >"$TMP/out" 2>"$TMP/err"
		check_status "$label $name" 0 $?
		check_eq "$label $name" "$(cat "$TMP/want")" "$(cat "$TMP/out")"
	done
}

translate_by_name=1
boot_target=236
load_model_states "${MACHINE[@]}"
replay mainline "${MACHINE[@]}"

if "$CPUHPCTL" --model linux-6.1-x86 states >/dev/null 2>&1; then
	translate_by_name=
	boot_target=
	replay linux-6.1-x86 --model linux-6.1-x86 "${MACHINE[@]}"
else
	ok "linux-6.1-x86 replay # SKIP the model is not built in"
fi

finish
