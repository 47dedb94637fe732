# SPDX-License-Identifier: LGPL-2.1-or-later
# cli-watch.sh - "cpuhpctl watch" against a fixture host (polling only):
# the CPU table, one line per change with the callbacks it caused and where
# they ran (docs/host.md: startups on cpuhp/N, teardowns of a gone CPU on the
# control thread), --count stopping it, bad options refused.
source "$SRCDIR/tests/cli/lib.sh"

fx=$TMP/cpu
mkdir -p "$fx"
echo 0-3 >"$fx/possible"
echo 0-3 >"$fx/present"
echo 0-3 >"$fx/online"
echo 0-3 >"$TMP/affinity"

"$CPUHPCTL" watch --sysfs-root "$fx" --affinity "$TMP/affinity" --no-uevents \
	--poll-ms 20 --count 2 --timeout 60 >"$TMP/out" 2>&1 &
pid=$!
wait_for() { # PATTERN: until the output has it (bounded, not a timing check)
	for _ in $(seq 600); do
		grep -q "$1" "$TMP/out" && return 0
		sleep 0.05
	done
	return 1
}
wait_for '^watching' && ok "watch started" || not_ok "watch started"
# Replace the file atomically: the poller must never see it half-written
# (sysfs reads are atomic; a shell truncate-then-write is not).
set_online() { echo "$1" >"$fx/online.new" && mv "$fx/online.new" "$fx/online"; }
set_online 0-2
wait_for '1 down' && ok "offline seen" || not_ok "offline seen"
set_online 0-3
wait "$pid"
check_eq "exit status after --count 2" 0 "$?"
out=$(cat "$TMP/out")
check_eq "CPU table before" "3    yes     yes    yes     yes  236" \
	"$(grep '^3 ' "$TMP/out" | head -n1)"
check_eq "teardown of CPU 3 on the control thread" 1 \
	"$(grep -c 'teardown cpu3: on control thread (CPU gone)' <<<"$out")"
check_eq "rescan lines" "rescan (poll): 0 up, 1 down, 0 failed
rescan (poll): 1 up, 0 down, 0 failed" "$(grep '^rescan' <<<"$out")"
check_eq "startups of CPU 3 on cpuhp/3 (setup, then the online)" 2 \
	"$(grep -c 'startup  cpu3: on cpuhp thread' <<<"$out")"

"$CPUHPCTL" watch --count 0 >/dev/null 2>&1
check_eq "--count 0 refused" 2 "$?"
"$CPUHPCTL" watch --sysfs-root "$TMP/nonexistent" --timeout 1 >/dev/null 2>"$TMP/err"
check_eq "missing sysfs root fails" 1 "$?"
echo "1..$checks"
[ "$failures" -eq 0 ]
