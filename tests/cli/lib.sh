# shellcheck shell=bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# lib.sh - helpers sourced by the cpuhpctl tests: run the tool, compare what
# it printed with what the spec or the oracle says, report TAP-style lines,
# and exit 0 (all passed), 1 (a check failed) or 77 (cannot run here).

set -u

if [ -z "${CPUHPCTL:-}" ] || [ ! -x "$CPUHPCTL" ]; then
	echo "1..0 # SKIP CPUHPCTL does not name an executable cpuhpctl"
	exit 77
fi
SRCDIR=${SRCDIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

checks=0
failures=0

ok() {
	checks=$((checks + 1))
	echo "ok $checks - $1"
}

not_ok() {
	checks=$((checks + 1))
	failures=$((failures + 1))
	echo "not ok $checks - $1"
}

# check_eq WHAT EXPECTED ACTUAL: exact comparison, with a diff on failure.
check_eq() {
	if [ "$2" == "$3" ]; then
		ok "$1"
	else
		not_ok "$1"
		diff -u <(printf '%s\n' "$2") <(printf '%s\n' "$3") | sed 's/^/#   /'
	fi
}

# check_grep WHAT PATTERN FILE: an extended regexp matches some line of FILE.
check_grep() {
	if grep -Eq -- "$2" "$3"; then
		ok "$1"
	else
		not_ok "$1"
		echo "#   no line of $3 matches: $2"
	fi
}

# check_no_grep WHAT PATTERN FILE: no line of FILE matches.
check_no_grep() {
	if ! grep -Eq -- "$2" "$3"; then
		ok "$1"
	else
		not_ok "$1"
		grep -E -- "$2" "$3" | head -5 | sed 's/^/#   unexpected: /'
	fi
}

# check_status WHAT EXPECTED ACTUAL
check_status() {
	check_eq "$1 (exit status)" "$2" "$3"
}

# ctl_read [OPTIONS...] PATH: the file's text, trailing newlines kept, as
# $REPLY; the exit status is cpuhpctl's.
ctl_read() {
	local out st
	out=$("$CPUHPCTL" "${@:1:$#-1}" read "${!#}"; st=$?; echo .; exit $st)
	st=$?
	REPLY=${out%.}
	return $st
}

# run_script [OPTIONS...] < script: runs "cpuhpctl OPTIONS run -"; stdout in
# $TMP/out, stderr in $TMP/err, the exit status in $status.
run_script() {
	"$CPUHPCTL" "$@" run - >"$TMP/out" 2>"$TMP/err"
	# shellcheck disable=SC2034 # read by the tests
	status=$?
}

# trace_body: filter the cpuhp events, without task, CPU column and time
# ("cpuhp_enter: cpu: 0001 target: 236 step:   1 (smpboot_create_threads)").
trace_body() {
	sed -n 's/^.*: \(cpuhp_[a-z_]*: \)/\1/p'
}

finish() {
	echo "1..$checks"
	if [ "$failures" -ne 0 ]; then
		echo "# $failures of $checks checks failed"
		exit 1
	fi
	exit 0
}
