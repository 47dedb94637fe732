#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# cli-bug2.sh - reference bug 2 (2017, spec 9.2 and rule 18): removing a
# dynamic state must clear exactly that slot.  Set up two dynamic states,
# remove the first, set up a third: it gets the first's number back, the
# listing no longer names the removed state, and a later offline/online of a
# CPU never calls the removed callbacks.  Mainline numbers: AP_ONLINE_DYN is
# 192 and BP_PREPARE_DYN 64 (include/cpuhp/state.h); a dynamic setup takes the
# lowest free slot (rule 17).

# shellcheck disable=SC2119 # run_script takes optional machine options
. "$(dirname "$0")/lib.sh"

# bug2 LABEL DYN BASE [remove flags]: the scenario in one range.
bug2() {
	local label=$1 dyn=$2 base=$3 flags=${4:-} next
	next=$((base + 1))
	run_script --trace - <<SCRIPT
setup $dyn $label:first
setup $dyn $label:second
echo "== before removal"
remove $base $flags
setup $dyn $label:third
echo "== states"
read hotplug/states
echo "== cycle"
echo 0 > cpu1/online
echo 1 > cpu1/online
SCRIPT
	check_status "$label: script runs" 0 "$status"
	grep -v 'cpuhp_e[a-z_]*:' "$TMP/out" | grep -E '^(setup|remove) ' >"$TMP/results"
	check_eq "$label: results" "setup $label:first = $base
setup $label:second = $next
remove $base = 0
setup $label:third = $base" "$(cat "$TMP/results")"

	sed -n '/^== states$/,/^== cycle$/p' "$TMP/out" | grep -E "^ *($base|$next): " >"$TMP/states"
	check_eq "$label: listing" "$(printf '%3d: %s\n%3d: %s' "$base" "$label:third" \
		"$next" "$label:second")" "$(cat "$TMP/states")"
	check_no_grep "$label: removed name not listed" ":first$" \
		<(sed -n '/^== states$/,/^== cycle$/p' "$TMP/out")

	sed -n '/^== cycle$/,$p' "$TMP/out" | trace_body >"$TMP/cycle"
	check_no_grep "$label: removed callbacks never run again" "${label}_first_" "$TMP/cycle"
	check_grep "$label: the new state's teardown runs" \
		"^cpuhp_enter: cpu: 0001 target: +[0-9]+ step: +$base \\(${label}_third_teardown\\)$" \
		"$TMP/cycle"
	check_grep "$label: the new state's startup runs" \
		"^cpuhp_enter: cpu: 0001 target: 236 step: +$base \\(${label}_third_startup\\)$" \
		"$TMP/cycle"
	check_grep "$label: the other state still runs" \
		"^cpuhp_enter: cpu: 0001 target: 236 step: +$next \\(${label}_second_startup\\)$" \
		"$TMP/cycle"
}

bug2 test online-dyn 192
bug2 nocall online-dyn 192 nocalls
bug2 prep prepare-dyn 64

# Setup invokes the startup on every present CPU at or above the state, in
# ascending CPU order (rule 17); removal invokes the teardown; nocalls and
# multi-instance states invoke nothing.
run_script --trace - <<'SCRIPT'
setup online-dyn test:calls
echo "== remove"
remove 192
echo "== nocalls"
setup online-dyn test:quiet nocalls
remove 192 nocalls
echo "== end"
SCRIPT
check_status "invocations: script runs" 0 "$status"
check_eq "startup on CPUs 0-3 in order" "0000 0001 0002 0003 " "$(sed -n '1,/^== remove$/p' \
	"$TMP/out" | trace_body | sed -n 's/^cpuhp_enter: cpu: \([0-9]*\) .*(test_calls_startup)$/\1/p' |
	tr '\n' ' ')"
check_eq "teardown on CPUs 0-3 at removal" "0000 0001 0002 0003 " "$(sed -n \
	'/^== remove$/,/^== nocalls$/p' "$TMP/out" | trace_body |
	sed -n 's/^cpuhp_enter: cpu: \([0-9]*\) .*(test_calls_teardown)$/\1/p' | sort | tr '\n' ' ')"
check_eq "nocalls: no callback" "" "$(sed -n '/^== nocalls$/,/^== end$/p' "$TMP/out" | trace_body)"

finish
