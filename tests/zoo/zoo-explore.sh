# shellcheck shell=bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# zoo-explore.sh BUG: cpuhpctl explore on the machine where the zoo bug
# bug_BUG can show (docs/bug-zoo.md).  Switch off: 0 violations.  Switch on:
# at least one violation of the rule the catalogue names, with a reproducer
# script; replaying that script with "cpuhpctl run" reports the same rule.

# shellcheck source=tests/cli/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"

bug=${1:?usage: zoo-explore.sh BUG}
# machine options | extra config | explore flags | the rule's prefix
case "$bug" in
hotplug_cpu_n_rollback) # 2019: spec 7.5, rule 24; context rules 2, 6
	opts=(--cpus 4 --threads-per-core 2 --cmdline nosmt)
	config="HOTPLUG_CPU=n" rule=context ;;
takedown_no_rollback) # 2016: spec 3.4, 3.9, rule 7
	opts=(--cpus 4) config="" rule=end-state ;;
dyn_remove) # 2017: spec 4.4, rule 18
	opts=(--cpus 4) config="" rule=leftover ;;
*)
	echo "Bail out! unknown zoo bug '$bug'"
	exit 1 ;;
esac

# 1. Switch off: nothing to report.
"$CPUHPCTL" "${opts[@]}" --config "$config bug_$bug=n" explore -j 2 >"$TMP/off" 2>/dev/null
check_status "bug_$bug=n: explore passes" 0 $?
check_grep "bug_$bug=n: PASS line" '^PASS: 0 violations$' "$TMP/off"

# 2. Switch on: the expected rule fires and a reproducer is printed.
"$CPUHPCTL" "${opts[@]}" --config "$config bug_$bug=y" explore -j 2 --max-repro 1 \
	>"$TMP/on" 2>/dev/null
check_status "bug_$bug=y: explore fails" 1 $?
check_grep "bug_$bug=y: a $rule violation" "^  $rule: " "$TMP/on"
check_grep "bug_$bug=y: a reproducer" '^# reproduce: cpuhpctl .* run FILE$' "$TMP/on"

# 3. The reproducer: the lines after "# reproduce:" up to the blank line.
awk '/^# reproduce:/ { on = 1; next } on && /^$/ { exit } on' "$TMP/on" >"$TMP/repro"
sed 's/^/# /' "$TMP/repro"
"$CPUHPCTL" "${opts[@]}" --config "$config bug_$bug=y" run "$TMP/repro" \
	>"$TMP/rout" 2>"$TMP/rerr"
check_status "replaying the reproducer fails" 1 $?
check_grep "replaying reports the rule" "$rule" "$TMP/rerr"
"$CPUHPCTL" "${opts[@]}" --config "$config bug_$bug=n" run "$TMP/repro" \
	>"$TMP/rout" 2>"$TMP/rerr"
check_status "the reproducer passes with the switch off" 0 $?

echo "1..$checks"
[ "$failures" -eq 0 ]
