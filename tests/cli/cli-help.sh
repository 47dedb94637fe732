#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# cli-help.sh - help output and usage errors of cpuhpctl: --help of the tool
# and of every subcommand exits 0 on stdout; bad options, unknown commands
# and missing operands exit 2 with a message on stderr; a machine that cannot
# be built or a missing script exits 1 (docs/cli.md "Exit status").

. "$(dirname "$0")/lib.sh"

# expect STATUS STDOUT-REGEX STDERR-REGEX ARGS...: "" skips a stream check,
# "^$" demands the stream be empty.
expect() {
	local want=$1 out_re=$2 err_re=$3 st
	shift 3
	"$CPUHPCTL" "$@" >"$TMP/out" 2>"$TMP/err"
	st=$?
	check_status "cpuhpctl $*" "$want" "$st"
	if [ "$out_re" == "^$" ]; then
		check_eq "cpuhpctl $*: nothing on stdout" "" "$(cat "$TMP/out")"
	elif [ -n "$out_re" ]; then
		check_grep "cpuhpctl $*: stdout" "$out_re" "$TMP/out"
	fi
	if [ "$err_re" == "^$" ]; then
		check_eq "cpuhpctl $*: nothing on stderr" "" "$(cat "$TMP/err")"
	elif [ -n "$err_re" ]; then
		check_grep "cpuhpctl $*: stderr" "$err_re" "$TMP/err"
	fi
}

expect 0 '^Usage: cpuhpctl \[OPTIONS\] COMMAND' '^$' --help
expect 0 '^Usage: cpuhpctl \[OPTIONS\] COMMAND' '^$' -h
expect 0 '^Usage: cpuhpctl \[OPTIONS\] COMMAND' '^$' help
expect 0 '^cpuhpctl [0-9]+\.[0-9]+\.[0-9]+$' '^$' --version
for cmd in states read write run help; do
	expect 0 "^Usage: cpuhpctl \\[OPTIONS\\] $cmd" '^$' "$cmd" --help
	expect 0 "^Usage: cpuhpctl \\[OPTIONS\\] $cmd" '^$' help "$cmd"
	# Machine options do not make --help build a machine.
	expect 0 "^Usage: cpuhpctl \\[OPTIONS\\] $cmd" '^$' --cpus 0 "$cmd" --help
done
expect 0 '^  write PATH VALUE' '^$' run --help

# Usage errors: exit status 2, a message, nothing on stdout.
expect 2 '^$' '^cpuhpctl: missing command'
expect 2 '^$' "^cpuhpctl: unknown command 'bogus'" bogus
expect 2 '^$' "^cpuhpctl: unknown option '--bogus'" --bogus states
expect 2 '^$' "^cpuhpctl: unknown option '-x'" -x states
expect 2 '^$' "^cpuhpctl: option '--cpus' needs an argument" --cpus
expect 2 '^$' "^cpuhpctl: --cpus: not a count: 'four'" --cpus four states
expect 2 '^$' "^cpuhpctl: --cpus: not a count: '-1'" --cpus -1 states
expect 2 '^$' "^cpuhpctl: --threads-per-core: not a count" --threads-per-core 2x states
expect 2 '^$' "^cpuhpctl: read: missing operand" read
expect 2 '^$' "^cpuhpctl: read: extra operand" read online offline
expect 2 '^$' "^cpuhpctl: write: missing operand" write cpu1/online
expect 2 '^$' "^cpuhpctl: states: extra operand" states online
expect 2 '^$' "^cpuhpctl: run: missing operand" run
expect 2 '^$' "^cpuhpctl: read: unknown option '--bogus'" read --bogus online
expect 2 '^$' "^cpuhpctl: help: unknown command 'bogus'" help bogus
# Machine options go before the command.
expect 2 '^$' "^cpuhpctl: run: unknown option '--cpus'" run --cpus 2 -

# Failures: exit status 1.
expect 1 '^$' '^cpuhpctl: cannot create the machine: Invalid argument' --cpus 0 states
expect 1 '^$' '^cpuhpctl: cannot create the machine: Invalid argument' --model nosuch states
expect 1 '^$' '^cpuhpctl: cannot create the machine: Invalid argument' \
	--config NO_SUCH_SWITCH=y states
expect 1 '^$' '^cpuhpctl: cannot open /nonexistent/script: No such file or directory' \
	run /nonexistent/script
expect 1 '^$' '^cpuhpctl: read cpu9/online: No such file or directory' read cpu9/online
expect 1 '^$' '^cpuhpctl: write cpu1/online <- 2: Invalid argument' write cpu1/online 2
expect 1 '' '^cpuhpctl: cannot open trace file /nonexistent/trace' \
	--trace /nonexistent/trace states

# Success of the one-shot commands.
expect 0 '^0-3$' '^$' read online
expect 0 '^$' '^$' write cpu1/online 0
# A value that starts with '-' is an operand, not an option.
expect 1 '^$' '^cpuhpctl: write cpu1/hotplug/target <- -1: Invalid argument' \
	write cpu1/hotplug/target -1
expect 0 '^  0: offline$' '^$' states
"$CPUHPCTL" --trace "$TMP/trace" write cpu1/online 0
check_grep "--trace FILE receives the events" \
	'cpuhp_enter: cpu: 0001 target: +[0-9]+ step: +[0-9]+ \(' "$TMP/trace"

# The CLI's default model is the newest recorded kernel (68 named states in
# the 6.12 recording's hotplug/states listing, 61 in 6.1's);
# CPUHPCTL_MODEL changes the default and --model wins over both.
n=$(env -u CPUHPCTL_MODEL "$CPUHPCTL" read hotplug/states | wc -l)
check_eq "the default model has 6.12's 68 states" 68 "$n"
n=$(CPUHPCTL_MODEL=linux-6.1-x86 "$CPUHPCTL" read hotplug/states | wc -l)
check_eq "CPUHPCTL_MODEL=linux-6.1-x86: 61 states" 61 "$n"
n=$(CPUHPCTL_MODEL=linux-6.1-x86 "$CPUHPCTL" --model linux-6.12-x86 read hotplug/states | wc -l)
check_eq "--model wins over CPUHPCTL_MODEL" 68 "$n"

finish
