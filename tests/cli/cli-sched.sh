# shellcheck shell=bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# cli-sched.sh MODEL: cpuhpctl explore --schedules (issue 15) on MODEL with
# 2 CPUs (two threads of one core), in CI size: every pair of the default operations, schedules with
# at most two preemptions (the default), the first SCHED_MAX (default 120)
# schedules of each pair in depth-first order.
# 0 violations.  Then, on mainline only, the self-test: with the test-only switch that drops
# the cpus read lock around state setup, racing an offline against a setup
# breaks the exclusion rule, the printed schedule replays to the same
# violation, and the same schedule without the switch passes.
# Exit 77 when MODEL is not built into this cpuhpctl.

# shellcheck source=tests/cli/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

model=${1:-mainline}
max=${SCHED_MAX:-120}

if ! "$CPUHPCTL" --model "$model" states >/dev/null 2>&1; then
	echo "1..0 # SKIP model $model is not built into this cpuhpctl"
	exit 77
fi

# 1. The model as it is: no schedule breaks a rule.
"$CPUHPCTL" --model "$model" --cpus 2 --threads-per-core 2 explore --schedules \
	--max-schedules "$max" >"$TMP/out" 2>"$TMP/err"
check_status "explore --schedules $model" 0 $?
check_grep "final line" '^schedules: [1-9][0-9]*, violations: 0$' "$TMP/out"
check_grep "the offline/setup pair ran" '^down:1;setup +schedules +[1-9]' "$TMP/out"
check_grep "the instance pair ran" '^add-instance;remove-instance +schedules +[1-9]' "$TMP/out"
# Ten default operations (smt-off needs SMT): 55 pairs, each with its own line.
pairs=$(grep -c ' schedules ' "$TMP/out")
[ "$pairs" -eq 55 ]
check_status "55 pairs of operations (got $pairs)" 0 $?
grep '^schedules:' "$TMP/out" | sed 's/^/# /'

# The rest tests the explorer, not the model: once, on mainline.
if [ "$model" != mainline ]; then
	finish # exits
fi

# 2. A lock dropped on purpose is found, with a schedule that replays.
bad=(--model "$model" --cpus 2 --config test_states_unlocked=y)
"$CPUHPCTL" "${bad[@]}" explore --schedules --ops "down;setup" --preemptions 1 --max-schedules 200 \
	--max-repro 1 >"$TMP/bad" 2>"$TMP/err"
check_status "the dropped lock is found" 1 $?
check_grep "as an exclusion violation" '^VIOLATION down:1;setup: exclusion: ' "$TMP/bad"
schedule=$(sed -n 's/^  replay: .* --replay \([0-9.,]*\)$/\1/p' "$TMP/bad" | head -1)
[ -n "$schedule" ]
check_status "a replayable schedule is printed ($schedule)" 0 $?
"$CPUHPCTL" "${bad[@]}" explore --schedules --ops "down;setup" --replay "$schedule" \
	>"$TMP/replay" 2>&1
check_status "the replay fails again" 1 $?
check_grep "with the same rule" '^VIOLATION: exclusion: ' "$TMP/replay"
"$CPUHPCTL" --model "$model" --cpus 2 explore --schedules --ops "down;setup" \
	--replay "$schedule" >"$TMP/good" 2>&1
check_status "the same schedule with the lock passes" 0 $?
check_grep "one schedule, no violation" '^schedules: 1, violations: 0$' "$TMP/good"

# 3. Bad input: a clear error, exit 2.
"$CPUHPCTL" --cpus 2 explore --schedules --ops "down;nosuch" >/dev/null 2>"$TMP/err"
check_status "unknown operation" 2 $?
check_grep "names it" "unknown operation 'nosuch'" "$TMP/err"
"$CPUHPCTL" --cpus 2 explore --schedules --ops "down;setup" --replay "3.x" \
	>/dev/null 2>"$TMP/err"
check_status "bad schedule string" 2 $?
"$CPUHPCTL" --cpus 2 explore --schedules --replay "3.1" >/dev/null 2>"$TMP/err"
check_status "--replay without --ops" 2 $?
"$CPUHPCTL" --cpus 2 explore --schedules --ops "down;setup" --replay "0.63" \
	>"$TMP/out" 2>&1
check_status "a schedule naming a thread that cannot run" 1 $?
check_grep "is reported as diverged" '^DIVERGED' "$TMP/out"
"$CPUHPCTL" --cpus 2 explore --schedules --ops "down:7;setup" >/dev/null 2>"$TMP/err"
check_status "a CPU the machine lacks" 2 $?
finish
