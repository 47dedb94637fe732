# shellcheck shell=bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# zoo-sched.sh BUG: a race bug of the zoo (docs/bug-zoo.md), found by the
# schedule explorer (explore --schedules, docs/explore.md "Schedules").
# Switch off: every schedule with at most one preemption passes.  Switch
# on: the schedule without preemptions passes (the bug needs a race), one
# preemption breaks the expected rule, the printed schedule replays to the
# same rule, and the same schedule with the switch off passes.

# shellcheck source=tests/cli/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"

bug=${1:?usage: zoo-sched.sh BUG}
# machine options | the racing operations | the rule's name
case "$bug" in
calls_unserialized) # 2017: spec 5 (Locking), the state mutex
	opts=(--cpus 2) ops="add-instance;add-instance" rule=exclusion ;;
*)
	echo "Bail out! unknown zoo race bug '$bug'"
	exit 1 ;;
esac

sched() {
	"$CPUHPCTL" "${opts[@]}" --config "bug_$bug=$1" explore --schedules \
		--ops "$ops" "${@:2}"
}

# 1. Switch off: nothing to report.
sched n --preemptions 1 >"$TMP/off" 2>&1
check_status "bug_$bug=n: every schedule passes" 0 $?
check_grep "bug_$bug=n: final line" '^schedules: [1-9][0-9]*, violations: 0$' "$TMP/off"

# 2. Switch on, no preemption: the operations do not overlap.
sched y --preemptions 0 >"$TMP/k0" 2>&1
check_status "bug_$bug=y: the schedule without preemptions passes" 0 $?

# 3. Switch on, one preemption: the rule fires, with a schedule to replay
# (within the first 200 schedules, depth first: enough, and CI-sized).
sched y --preemptions 1 --max-repro 1 --max-schedules 200 >"$TMP/on" 2>&1
check_status "bug_$bug=y: one preemption finds it" 1 $?
check_grep "bug_$bug=y: a $rule violation" "^VIOLATION $ops: $rule: " "$TMP/on"
schedule=$(sed -n 's/^  replay: .* --replay \([0-9.,]*\)$/\1/p' "$TMP/on" | head -1)
[ -n "$schedule" ]
check_status "a replayable schedule is printed ($schedule)" 0 $?
sed -n 's/^  replay: /# replay: /p' "$TMP/on" | head -1

# 4. The schedule replays to the same rule, and passes without the bug.
sched y --replay "$schedule" >"$TMP/replay" 2>&1
check_status "the replay fails again" 1 $?
check_grep "with the same rule" "^VIOLATION: $rule: " "$TMP/replay"
sched n --replay "$schedule" >"$TMP/fixed" 2>&1
check_status "the same schedule with the switch off passes" 0 $?
check_grep "one schedule, no violation" '^schedules: 1, violations: 0$' "$TMP/fixed"
finish
