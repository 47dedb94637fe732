#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# cli-script.sh - the script language (product.md section 4, docs/cli.md):
# the output format of every command, quoting, comments and echo's shell
# semantics; setup/remove/instance results (spec rule 17: -EINVAL outside
# (OFFLINE, ONLINE), -EBUSY for a taken slot, the lowest free dynamic slot;
# 4.5: instances); syntax errors reported as FILE:LINE with nothing run and
# exit status 1; failed writes do not fail the run.

# shellcheck disable=SC2119 # run_script takes optional machine options
. "$(dirname "$0")/lib.sh"

EINVAL="FAIL errno=22 (Invalid argument)"
ENOENT="FAIL errno=2 (No such file or directory)"

# --- reads, writes, echo, comments -------------------------------------
printf '%s\r\n' "# CRLF line endings are accepted" "write cpu2/online 0" "show cpu2" \
	>"$TMP/crlf.cpuhp"
"$CPUHPCTL" run "$TMP/crlf.cpuhp" >"$TMP/out" 2>&1
check_eq "CRLF script" "write cpu2/online <- 0 : ok errno=0
  cpu2: online=0 state=0(offline) target=0 fail=-1" "$(cat "$TMP/out")"

run_script <<'SCRIPT'
# A comment, then blank lines.

	   
write cpu1/online 0
echo 1 > cpu1/online
echo -n 0 >cpu1/online
echo 1 >cpu1/online   # a comment after a command
cat cpu1/hotplug/state
read online
read cpu9/online
show cpu9
echo hello    world
echo -n "a b"
echo c
echo "# not a comment" a#b
echo
# echo appends a newline, as a shell does; -n does not.
echo "236\n" > cpu1/hotplug/target
echo -n "236\n" > cpu1/hotplug/target
write cpu1/hotplug/target "0\n"
echo 1 0 > cpu1/hotplug/fail
write cpu1/hotplug/target "\t236"
show cpu1
SCRIPT
check_status "commands" 0 "$status"
check_eq "commands: nothing on stderr" "" "$(cat "$TMP/err")"
check_eq "commands: output" "write cpu1/online <- 0 : ok errno=0
write cpu1/online <- 1 : ok errno=0
write cpu1/online <- 0 : ok errno=0
write cpu1/online <- 1 : ok errno=0
236
0-3
read cpu9/online : $ENOENT
show cpu9 : $ENOENT
hello world
a bc
# not a comment a#b

write cpu1/hotplug/target <- \"236\\n\" : $EINVAL
write cpu1/hotplug/target <- \"236\\n\" : ok errno=0
write cpu1/hotplug/target <- \"0\\n\" : ok errno=0
write cpu1/hotplug/fail <- 1 0 : $EINVAL
write cpu1/hotplug/target <- \"\\t236\" : $EINVAL
  cpu1: online=1 state=0(offline) target=0 fail=-1" "$(cat "$TMP/out")"

# --- setup, remove, instances ------------------------------------------
run_script --trace "$TMP/trace" <<'SCRIPT'
setup online-dyn test:a
setup prepare-dyn test:p
setup 187 test:busy
setup 0 test:zero
setup 236 test:online
setup 237 test:big
setup -1 test:neg
setup 160 test:static
setup 160 test:again
remove 160
setup online-dyn test:m multi
echo "== add a"
instance add 193 a
echo "== add b"
instance add 193 b nocalls
echo "== more"
instance add 193 a
instance remove 193 a
instance remove 193 a
instance remove 193 c
instance add 192 x
instance remove 193 b nocalls
remove 193
remove 192
remove 64 nocalls
remove 999
read hotplug/states
SCRIPT
check_status "registration" 0 "$status"
check_eq "registration: nothing on stderr" "" "$(cat "$TMP/err")"
want=$(awk '$1 == "state" { printf "%3d: %s\n", $2, $3 }' \
	"$SRCDIR/models/mainline.model" | sort -n)
check_eq "registration: results" "setup test:a = 192
setup test:p = 64
setup test:busy = -16
setup test:zero = -22
setup test:online = -22
setup test:big = -22
setup test:neg = -22
setup test:static = 0
setup test:again = -16
remove 160 = 0
setup test:m = 193
== add a
instance add 193 a = 0
== add b
instance add 193 b = 0
== more
instance add 193 a = -22
instance remove 193 a = 0
instance remove 193 a = -22
instance remove 193 c = -22
instance add 192 x = -22
instance remove 193 b = 0
remove 193 = 0
remove 192 = 0
remove 64 = 0
remove 999 = -22
$want" "$(cat "$TMP/out")"
# Trace symbols are derived from the names; a multi-instance startup runs per
# CPU for the new instance only (spec 4.5), nocalls runs nothing.
check_eq "setup traces test_a_startup on every CPU" 4 \
	"$(grep -c 'cpuhp_enter: cpu: 000[0-3] target: 236 step: 192 (test_a_startup)$' "$TMP/trace")"
check_eq "instance add traces multi_enter on every CPU" 4 \
	"$(grep -c 'cpuhp_multi_enter: cpu: 000[0-3] target: 236 step: 193 (test_m_startup)$' \
		"$TMP/trace")"
# a: 4 startups and 4 teardowns; b was added and removed with nocalls.
check_eq "instance remove traces the teardown on every CPU" 4 \
	"$(grep -c 'cpuhp_multi_enter: cpu: 000[0-3] target: 236 step: 193 (test_m_teardown)$' \
		"$TMP/trace")"
check_eq "nocalls instances run nothing" 8 "$(grep -c 'test_m_' "$TMP/trace")"

# --- syntax errors -------------------------------------------------------
run_script <<'SCRIPT'
write cpu1/online
write a b c
frobnicate now
setup foo test:x
setup online-dyn
setup 192 x:y bogus
remove
instance frob 192 a
echo 1 >
write cpu1/online "1
write cpu1/online "1\q"
write cpu1/online "1"x
read "cpu1/online"
show cpux
echo 1 > a b
remove 192 multi
write cpu1/online 0
w 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17
setup 99999999999 test:x
SCRIPT
check_status "syntax errors" 1 "$status"
check_eq "syntax errors: nothing run" "" "$(cat "$TMP/out")"
check_eq "syntax errors: one message per bad line" \
"<stdin>:1: error: missing operand: write PATH VALUE
<stdin>:2: error: extra operand: write PATH VALUE
<stdin>:3: error: unknown command 'frobnicate'
<stdin>:4: error: bad STATE 'foo': a number, prepare-dyn or online-dyn
<stdin>:5: error: missing operand: setup STATE NAME [nocalls] [multi]
<stdin>:6: error: unknown flag 'bogus'
<stdin>:7: error: missing operand: remove STATE [nocalls]
<stdin>:8: error: instance: expected add or remove, not 'frob'
<stdin>:9: error: echo: expected '> PATH' at the end of the line
<stdin>:10: error: missing closing quote
<stdin>:11: error: unknown escape '\\q' in a quoted word
<stdin>:12: error: text right after a closing quote
<stdin>:13: error: a PATH is written without quotes: \"cpu1/online\"
<stdin>:14: error: show: expected cpuN, masks or smt, not 'cpux'
<stdin>:15: error: echo: expected '> PATH' at the end of the line
<stdin>:16: error: unknown flag 'multi'
<stdin>:18: error: too many words (at most 16)
<stdin>:19: error: bad STATE '99999999999': a number, prepare-dyn or online-dyn
cpuhpctl: <stdin>: 18 bad lines, nothing run" "$(cat "$TMP/err")"

# A script file is named in the messages.
printf 'write cpu1/online 0\nbogus\n' >"$TMP/bad.cpuhp"
"$CPUHPCTL" run "$TMP/bad.cpuhp" >"$TMP/out" 2>"$TMP/err"
check_status "bad file" 1 $?
check_grep "bad file: FILE:LINE" "^$TMP/bad.cpuhp:2: error: unknown command 'bogus'$" "$TMP/err"

# Failed writes are outcomes, not errors; an empty script is fine.
run_script <<'SCRIPT'
write cpu1/online 2
SCRIPT
check_status "failed write" 0 "$status"
run_script </dev/null
check_status "empty script" 0 "$status"
check_eq "empty script prints nothing" "" "$(cat "$TMP/out" "$TMP/err")"

finish
