# shellcheck shell=bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# zoo-explore.sh BUG: cpuhpctl explore on the machine where the zoo bug
# bug_BUG can show (docs/bug-zoo.md).  Switch off: 0 violations.  Switch on:
# at least one violation of the rule the catalogue names, with a reproducer
# script that --minimize shrinks; replaying either with "cpuhpctl run"
# reports the same rule.

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
target_equal_down) # v6.2 fix: spec 6.3, 3.11; no CPU at ONLINE is dying
	opts=(--cpus 4) config="" rule=mask ;;
boot_cpu_target0) # v6.2 fix: spec 3.13; target == state between operations
	opts=(--cpus 4) config="" rule=mask ;;
nofail_abort) # v6.2 fix: spec 3.2, rule 10
	opts=(--cpus 4) config="" rule=leftover ;;
prepare_dyn_nocalls) # v6.10 fix: spec 4.2
	opts=(--cpus 4) config="" rule=leftover ;;
mi_error_swallow) # spec 3.3 step 5, rule 11
	opts=(--cpus 4) config="" rule=leftover ;;
maxcpus0_all) # v6.10 fix: spec 3.13
	opts=(--cpus 4 --cmdline maxcpus=0) config="" rule=boot ;;
bringup_mask_short) # v6.5-rc fix: spec 3.13
	opts=(--cpus 4 --cmdline maxcpus=3) config="" rule=boot ;;
*)
	echo "Bail out! unknown zoo bug '$bug'"
	exit 1 ;;
esac

# 1. Switch off: nothing to report.
"$CPUHPCTL" "${opts[@]}" --config "$config bug_$bug=n" explore -j 2 >"$TMP/off" 2>/dev/null
check_status "bug_$bug=n: explore passes" 0 $?
check_grep "bug_$bug=n: PASS line" '^PASS: 0 violations$' "$TMP/off"

# 2. Switch on, with a scenario of two reads the bug does not need: the
# expected rule fires, explore prints a reproducer and --minimize shrinks it.
printf 'read cpu0/online\nread cpu1/hotplug/state\n' >"$TMP/scen"
"$CPUHPCTL" "${opts[@]}" --config "$config bug_$bug=y" explore -j 2 --max-repro 1 \
	--scenario "$TMP/scen" --minimize >"$TMP/on" 2>/dev/null
check_status "bug_$bug=y: explore fails" 1 $?
check_grep "bug_$bug=y: a $rule violation" "^  $rule: " "$TMP/on"
check_grep "bug_$bug=y: a reproducer" '^# reproduce: cpuhpctl .* run FILE$' "$TMP/on"
check_grep "bug_$bug=y: a minimal reproducer of the same rule" \
	"^# minimal reproducer \\($rule; [0-9]+ of [0-9]+ lines\\): cpuhpctl .* run FILE\$" "$TMP/on"

# 3. The reproducers: the lines after their header up to the next "#" or
# blank line.
block() {
	awk -v h="$1" 'index($0, h) == 1 { on = 1; next } on && (/^$/ || /^#/) { exit } on' "$TMP/on"
}
block "# reproduce:" >"$TMP/full"
block "# minimal reproducer" >"$TMP/min"
sed 's/^/# minimal: /' "$TMP/min"
if [ "$(wc -l <"$TMP/min")" -lt "$(wc -l <"$TMP/full")" ]; then
	ok "the minimal reproducer is shorter"
else
	not_ok "the minimal reproducer is shorter"
fi
check_no_grep "the unrelated scenario lines are gone" '^read ' "$TMP/min"
for f in full min; do
	"$CPUHPCTL" "${opts[@]}" --config "$config bug_$bug=y" run "$TMP/$f" \
		>"$TMP/rout" 2>"$TMP/rerr"
	check_status "replaying the $f reproducer fails" 1 $?
	check_grep "replaying the $f reproducer reports the rule" "$rule" "$TMP/rerr"
	"$CPUHPCTL" "${opts[@]}" --config "$config bug_$bug=n" run "$TMP/$f" \
		>"$TMP/rout" 2>"$TMP/rerr"
	check_status "the $f reproducer passes with the switch off" 0 $?
done

echo "1..$checks"
[ "$failures" -eq 0 ]
