#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# cli-learn.sh KIND - "cpuhpctl learn" (issue 12 item 3).
#
#   6.1, 6.12  learn a model from the kernel's oracle recordings and its
#              "kernel run" sweep, replay the whole oracle set on it with
#              conform, and compare its state table with the hand-made
#              model's: equal except the STARTING/DYING callbacks, which no
#              trace shows (docs/adding-a-kernel.md lists the differences)
#   bad-input  cut-short and foreign files: an error naming the file and
#              line, exit status 1, no output file
#   sysfs      a fake /sys/devices/system/cpu tree (and a captured trace)

. "$(dirname "$0")/lib.sh"

KIND=${1:?usage: cli-learn.sh 6.1|6.12|bad-input|sysfs}
ORACLE=$SRCDIR/tests/data/oracle

# The "state" and "boot" lines of a model file, comments dropped; boot lines
# sorted (the order of the "nocalls" ones is not learned).
state_lines() {
	sed -n 's/ *#.*//; /^state /p' "$1"
}
boot_lines() {
	sed -n 's/ *#.*//; /^boot /p' "$1" | sort
}

learn_kernel() {
	local model=$1 run=$2 starting=$3 set
	set=("$ORACLE/$model"/*.trace "$SRCDIR/tests/data/kernel-run/$run"/*.trace)
	"$CPUHPCTL" learn -o "$TMP/learned.model" "${set[@]}" 2>"$TMP/err"
	check_status "learn $model" 0 $?
	check_grep "the model's name comes from the kernel" '^model learned-6\.' \
		"$TMP/learned.model"
	check_grep "STARTING callbacks reported as not learned" \
		"^cpuhpctl: learn: not learned: [0-9]+ sched:starting startup" "$TMP/err"
	check_grep "dynamic ranges reported as taken from the base" \
		"not learned: bound AP_ONLINE_DYN: .* from base $model" "$TMP/err"

	# Acceptance: the learned model replays the whole oracle set.
	"$CPUHPCTL" --model "$TMP/learned.model" conform "$ORACLE/$model"/*.trace \
		>"$TMP/conform" 2>&1
	check_status "conform $model set on the learned model" 0 $?
	check_no_grep "no recording differs" ': (FAIL|ERROR) ' "$TMP/conform"

	# The state table (numbers and names) is the hand-made model's.
	check_eq "state table of $model" "$("$CPUHPCTL" --model "$model" states)" \
		"$("$CPUHPCTL" --model "$TMP/learned.model" states)"
	# Callbacks and instance counts too, but for the STARTING section.
	local re="^state ($starting) "
	check_eq "callbacks of $model outside STARTING" \
		"$(state_lines "$SRCDIR/models/$model.model" | grep -Ev "$re")" \
		"$(state_lines "$TMP/learned.model" | grep -Ev "$re")"
	check_eq "STARTING states of $model: named, callbacks not learned" \
		"$(state_lines "$SRCDIR/models/$model.model" | grep -E "$re" |
			sed 's/ \(startup\|teardown\)=[^ ]*//g')" \
		"$(state_lines "$TMP/learned.model" | grep -E "$re")"
	check_eq "boot lines of $model" "$(boot_lines "$SRCDIR/models/$model.model")" \
		"$(boot_lines "$TMP/learned.model")"
	check_eq "boundaries of $model" \
		"$(sed -n 's/ *#.*//; /^bound /p' "$SRCDIR/models/$model.model")" \
		"$(sed -n 's/ *#.*//; /^bound /p' "$TMP/learned.model")"

	# Another base changes only what is marked as taken from it.
	"$CPUHPCTL" learn --base mainline -o "$TMP/mainline-base.model" "${set[@]}" \
		2>"$TMP/err"
	check_status "learn $model --base mainline" 0 $?
	check_eq "state table of $model with base mainline" \
		"$("$CPUHPCTL" --model "$model" states)" \
		"$("$CPUHPCTL" --model "$TMP/mainline-base.model" states)"
	check_eq "traced callbacks do not depend on the base" \
		"$(state_lines "$TMP/learned.model" | grep -v multi=0)" \
		"$(state_lines "$TMP/mainline-base.model" | grep -v multi=0)"
	"$CPUHPCTL" --model "$TMP/mainline-base.model" conform "$ORACLE/$model"/*.trace \
		>"$TMP/conform" 2>&1
	check_status "conform $model set on the model learned with base mainline" 0 $?

	# Without the sweep the multi-instance states without instances are
	# never traced: reported, not guessed.
	"$CPUHPCTL" learn -o "$TMP/oracle-only.model" "$ORACLE/$model"/*.trace 2>"$TMP/err"
	check_status "learn $model (oracle set only)" 0 $?
	check_grep "untraced multi-instance state reported" \
		'not learned: [0-9]+ padata:online startup: never traced and no fail armed' \
		"$TMP/err"
	check_grep "written without a guessed callback" '^state [0-9]+ padata:online$' \
		"$TMP/oracle-only.model"
	"$CPUHPCTL" --model "$TMP/oracle-only.model" conform "$ORACLE/$model"/*.trace \
		>"$TMP/conform" 2>&1
	check_status "conform $model set on the oracle-only model" 0 $?
}

bad_input() {
	local f=$ORACLE/linux-6.1-x86/info-main.trace out=$TMP/out.model n
	# A block cut short: no END.
	head -n 40 "$f" >"$TMP/cut.trace"
	"$CPUHPCTL" learn -o "$out" "$TMP/cut.trace" 2>"$TMP/err"
	check_status "learn a cut-short file" 1 $?
	check_grep "the error names file and line" \
		"^cpuhpctl: learn: $TMP/cut.trace:40: end of file inside block 'info-main'" \
		"$TMP/err"
	check_eq "no output file" "" "$(ls "$TMP"/out.model* 2>/dev/null)"

	# A trace event cut in the middle of its line.
	f=$ORACLE/linux-6.1-x86/scenario-a-down-up.trace
	n=$(grep -n -m1 'cpuhp_enter: ' "$f" | cut -d: -f1)
	{
		head -n $((n - 1)) "$f"
		sed -n "${n}p" "$f" | sed 's/ step: .*/ step:  1 (smpboot_cr/'
		tail -n +$((n + 1)) "$f"
	} >"$TMP/cutline.trace"
	"$CPUHPCTL" learn -o "$out" "$ORACLE/linux-6.1-x86/info-main.trace" \
		"$TMP/cutline.trace" 2>"$TMP/err"
	check_status "learn a file with a cut trace line" 1 $?
	check_grep "the error names the cut line" \
		"^cpuhpctl: learn: $TMP/cutline.trace:$n: cannot parse this trace event" \
		"$TMP/err"
	check_eq "no output file" "" "$(ls "$TMP"/out.model* 2>/dev/null)"

	# A write whose result is missing.
	n=$(grep -n -m1 '^write ' "$f" | cut -d: -f1)
	{
		head -n $((n - 1)) "$f"
		sed -n "${n}p" "$f" | sed 's/ : .*//'
	} >"$TMP/cutwrite.trace"
	"$CPUHPCTL" learn -o "$out" "$TMP/cutwrite.trace" 2>"$TMP/err"
	check_status "learn a file with a write cut short" 1 $?
	check_grep "the error names the write's line" \
		"^cpuhpctl: learn: $TMP/cutwrite.trace:$n: write without its result" \
		"$TMP/err"

	# Recordings of two kernels: their listings differ.
	"$CPUHPCTL" learn -o "$out" "$ORACLE/linux-6.1-x86/info-main.trace" \
		"$ORACLE/linux-6.12-x86/info-main.trace" 2>"$TMP/err"
	check_status "learn two kernels' listings" 1 $?
	check_grep "the error names the second listing's line" \
		"linux-6.12-x86/info-main.trace:[0-9]+: hotplug/states listing differs" "$TMP/err"

	# Not a recording; a file that does not exist.
	printf 'hello\nworld\n' >"$TMP/text"
	"$CPUHPCTL" learn -o "$out" "$TMP/text" 2>"$TMP/err"
	check_status "learn a text file" 1 $?
	check_grep "not a recording" "$TMP/text:2: no \"##### BEGIN\" block" "$TMP/err"
	"$CPUHPCTL" learn -o "$out" "$TMP/missing" 2>"$TMP/err"
	check_status "learn a missing file" 1 $?
	check_grep "cannot open" "$TMP/missing: cannot open" "$TMP/err"
	check_eq "still no output file" "" "$(ls "$TMP"/out.model* 2>/dev/null)"

	"$CPUHPCTL" learn 2>"$TMP/err"
	check_status "learn without a recording" 2 $?
}

# A /sys/devices/system/cpu tree of the recorded 6.1 machine (info-main).
fake_tree() {
	local root=$1 cpu
	mkdir -p "$root/hotplug" "$root/smt"
	sed -n '/^--- hotplug\/states/,/^---/{/^ *[0-9]*: /p}' \
		"$ORACLE/linux-6.1-x86/info-main.trace" >"$root/hotplug/states"
	echo 0-3 >"$root/possible"
	echo 0-3 >"$root/present"
	echo on >"$root/smt/control"
	echo 1 >"$root/smt/active"
	for cpu in 0 1 2 3; do
		mkdir -p "$root/cpu$cpu/hotplug" "$root/cpu$cpu/topology"
		echo 236 >"$root/cpu$cpu/hotplug/state"
		echo -1 >"$root/cpu$cpu/hotplug/fail"
		echo $((cpu / 2 * 2))-$((cpu / 2 * 2 + 1)) \
			>"$root/cpu$cpu/topology/thread_siblings_list"
		if [ $cpu = 0 ]; then
			echo 0 >"$root/cpu$cpu/hotplug/target"
		else
			echo 236 >"$root/cpu$cpu/hotplug/target"
			echo 1 >"$root/cpu$cpu/online"
		fi
	done
}

sysfs() {
	local root=$TMP/cpu before
	fake_tree "$root"
	before=$(find "$root" -type f -exec md5sum {} + | sort)
	"$CPUHPCTL" learn --sysfs "$root" -o "$TMP/sysfs.model" 2>"$TMP/err"
	check_status "learn --sysfs" 0 $?
	check_eq "the tree is only read" "$before" \
		"$(find "$root" -type f -exec md5sum {} + | sort)"
	check_eq "state table from hotplug/states" \
		"$("$CPUHPCTL" --model linux-6.1-x86 states)" \
		"$("$CPUHPCTL" --model "$TMP/sysfs.model" states)"
	check_grep "boundary from a core state's name" '^bound TEARDOWN_CPU 153$' \
		"$TMP/sysfs.model"
	check_grep "no cpu:kick_ap: split start-up off" \
		'^config HOTPLUG_SPLIT_STARTUP=n # learned' "$TMP/sysfs.model"
	check_grep "boot CPU target 0: boot_target_online=n" \
		'^quirk boot_target_online=n # learned' "$TMP/sysfs.model"
	check_grep "boot CPU without an online file" \
		'^quirk boot_cpu_hotpluggable=n # learned' "$TMP/sysfs.model"
	check_grep "topology from the tree" '^# recorded machine: 4 CPUs, 2 threads per core' \
		"$TMP/sysfs.model"
	check_grep "core state symbol from the base, reported" \
		'not learned: 153 cpu:teardown teardown: never traced; from base' "$TMP/err"
	check_grep "no callbacks guessed without a trace" '^state 197 workqueue:online$' \
		"$TMP/sysfs.model"
	check_grep "boot lines reported" 'not learned: boot lines: no boot trace' "$TMP/err"

	# With a trace captured from tracing/trace: the callbacks walked.
	sed -n '/^----- trace/,$p' "$ORACLE/linux-6.1-x86/scenario-a-down-up.trace" |
		grep -v '^#####' >"$TMP/trace"
	"$CPUHPCTL" learn --sysfs "$root" --trace "$TMP/trace" -o "$TMP/sysfs.model" \
		2>"$TMP/err"
	check_status "learn --sysfs --trace" 0 $?
	check_grep "callbacks from the trace" \
		'^state 197 workqueue:online startup=workqueue_online_cpu teardown=workqueue_offline_cpu$' \
		"$TMP/sysfs.model"
	check_grep "instance counts from the trace" \
		'^state 62 trace/RB:prepare startup=trace_rb_cpu_prepare multi=3$' \
		"$TMP/sysfs.model"
	"$CPUHPCTL" --model "$TMP/sysfs.model" conform \
		"$ORACLE/linux-6.1-x86/scenario-a-down-up.trace" >"$TMP/conform" 2>&1
	check_status "the traced scenario replays on the learned model" 0 $?

	# A tree without a listing is an error, and nothing is written.
	rm "$root/hotplug/states"
	"$CPUHPCTL" learn --sysfs "$root" -o "$TMP/none.model" 2>"$TMP/err"
	check_status "learn --sysfs without hotplug/states" 1 $?
	check_grep "names the file" "$root/hotplug/states: cannot open" "$TMP/err"
	check_eq "no output file" "" "$(ls "$TMP"/none.model* 2>/dev/null)"
}

case $KIND in
6.1) learn_kernel linux-6.1-x86 linux-6.1.0-57-x86 '9[4-9]|1[0-4][0-9]|15[0-2]' ;;
6.12) learn_kernel linux-6.12-x86 linux-6.12.107-x86 '8[89]|9[0-9]|1[0-3][0-9]|14[0-4]' ;;
bad-input) bad_input ;;
sysfs) sysfs ;;
*)
	echo "unknown kind $KIND" >&2
	exit 2
	;;
esac
finish
