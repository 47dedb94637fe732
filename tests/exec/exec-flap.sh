#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# exec-flap.sh TOPO_READER - CPUs that come and go under a program:
# --flap's generator gives the same operations for the same seed (seen in the
# trace: which CPU went which way, in order), and a careless client that
# reads topology files without handling ENOENT crashes under it; exec
# returns 128+SIGSEGV and shows the signal and the hotplug events before it.

. "$(dirname "$0")/../fuse/lib.sh"

READER=$1
export TMPDIR=$TMP

# The operations of a run, in order: "cpuN down|up" from the trace's
# first step of each operation, bounded to the first 300.
ops() {
	grep -E 'cpuhp_enter: +cpu: ' "$1" |
		sed -E 's/.*cpu: +0*([0-9]+) +target: +([0-9-]+).*/\1 \2/' |
		awk '$0 != prev { print; prev = $0 }' | awk '
			{ dir = ($2 == 0) ? "down" : "up" }
			!(($1) in last) || last[$1] != dir { print "cpu" $1, dir; last[$1] = dir }' |
		head -300
}

for run in 1 2; do
	"$CPUHPCTL" --cpus 8 --trace "$TMP/trace.$run" exec --flap 0 --seed 42 \
		-- sleep 0.5 2>"$TMP/err.$run"
	check_status "exec --flap 0 --seed 42, run $run" 0 $?
	check_grep "run $run: exec reports the operations and the seed" \
		"flap: [0-9]+ operations .*--seed 42$" "$TMP/err.$run"
done
ops "$TMP/trace.1" >"$TMP/ops.1"
ops "$TMP/trace.2" >"$TMP/ops.2"
n1=$(wc -l <"$TMP/ops.1")
n2=$(wc -l <"$TMP/ops.2")
n=$((n1 < n2 ? n1 : n2))
if [ "$n" -ge 20 ]; then
	ok "both runs did at least 20 operations ($n1, $n2)"
else
	not_ok "both runs did at least 20 operations ($n1, $n2)"
fi
check_eq "the same seed, the same operations (first $n)" \
	"$(head -n "$n" "$TMP/ops.1")" "$(head -n "$n" "$TMP/ops.2")"
"$CPUHPCTL" --cpus 8 --trace "$TMP/trace.3" exec --flap 0 --seed 43 -- sleep 0.5 2>/dev/null
ops "$TMP/trace.3" >"$TMP/ops.3"
if [ "$(head -n 20 "$TMP/ops.1")" != "$(head -n 20 "$TMP/ops.3")" ]; then
	ok "another seed, other operations"
else
	not_ok "another seed, other operations"
fi

# Without flapping the careless client is fine...
"$CPUHPCTL" --cpus 4 exec -- "$READER" 200 >"$TMP/out" 2>"$TMP/err"
check_status "topo-reader without flapping" 0 $?

# ... with it, it crashes: an offline CPU has no topology directory.
"$CPUHPCTL" --cpus 4 exec --flap 2000 --seed 7 --window 1000 --events 20 \
	-- "$READER" 10000000 >"$TMP/out" 2>"$TMP/err"
check_status "topo-reader under --flap 2000 --seed 7: SIGSEGV" 139 $?
check_grep "exec names the signal" "topo-reader \(pid [0-9]+\) killed by signal 11 \(SIGSEGV" \
	"$TMP/err"
check_grep "exec gives the rate and seed" "flap rate 2000/s, --seed 7$" "$TMP/err"
check_grep "exec shows the trace events before it" "hotplug trace events in the last 1000 ms before it: [1-9]" \
	"$TMP/err"
check_grep "... among them a CPU going offline" "flap #[0-9]+: echo 0 > cpu[123]/online$" \
	"$TMP/err"
check_grep "... and the trace events" "cpuhp_(enter|exit|multi_enter):" "$TMP/err"
sed "s/^/# /" "$TMP/err" | grep -v "cpuhp_" | tail -n 12
check_eq "nothing left mounted" "" "$(findmnt -n -t fuse.cpuhp)"

fuse_finish
