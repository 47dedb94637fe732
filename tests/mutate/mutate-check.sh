#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# mutate-check.sh SRCDIR - the cheap part of the mutation run (run.sh): every
# mutant still applies to the tree and changes the library only, and the
# script refuses bad arguments (exit 2, a message, nothing built).
set -u
top=${1:?usage: mutate-check.sh SRCDIR}
run=$top/tests/mutate/run.sh
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
n=0 fail=0

ok() { # COND-STATUS DESCRIPTION
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		fail=1
	fi
}

count=$(ls "$top"/tests/mutate/mutants/[0-9][0-9]-*.patch 2>/dev/null | wc -l)
[ "$count" -ge 12 ]
ok $? "at least 12 mutants ($count)"

out=$(bash "$run" --check 2>&1)
ok $? "every mutant applies to the tree and changes src/ only"
[ "$(grep -c '^ok: ' <<<"$out")" -eq "$count" ]
ok $? "--check names every mutant"

# A patch that no longer applies is caught: a copy of the script and one
# mutant whose context is gone.
mkdir -p "$tmp/t/tests/mutate/mutants" "$tmp/t/src"
cp "$run" "$tmp/t/tests/mutate/run.sh"
printf 'int x;\n' >"$tmp/t/src/a.c"
printf -- '--- a/src/a.c\n+++ b/src/a.c\n@@ -1 +1 @@\n-int y;\n+int z;\n' \
	>"$tmp/t/tests/mutate/mutants/01-stale.patch"

bash "$tmp/t/tests/mutate/run.sh" --check >/dev/null 2>&1
ok $(($? == 1 ? 0 : 1)) "a stale mutant fails --check"

bad() { # DESCRIPTION ARGS...
	local d=$1 err
	shift
	err=$(bash "$run" -b "$tmp/never" "$@" 2>&1 >/dev/null)
	local rc=$?
	[ $rc -eq 2 ] && [ -n "$err" ] && [ ! -e "$tmp/never" ]
	ok $? "$d: exit 2 with a message, nothing built (exit $rc: $err)"
}
bad "unknown option" --frobnicate
bad "unknown mutant" no-such-mutant
bad "unknown mutant number" 99-skip-up-rollback
err=$(bash "$run" --build-dir 2>&1 >/dev/null)
[ $? -eq 2 ] && [ -n "$err" ]
ok $? "--build-dir without a directory: exit 2"
err=$(bash "$run" --models 2>&1 >/dev/null)
[ $? -eq 2 ] && [ -n "$err" ]
ok $? "--models without a list: exit 2"
bad "a model name with a slash" --models "../x"

out=$(bash "$run" --list skip-up-rollback 2>&1)
[ $? -eq 0 ] && [ "$out" = 01-skip-up-rollback ]
ok $? "--list selects a mutant by its short name ($out)"

echo "1..$n"
exit $fail
