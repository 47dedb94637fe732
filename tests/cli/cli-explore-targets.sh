# shellcheck shell=bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# cli-explore-targets.sh: cpuhpctl explore --all-targets writes every state
# hotplug/target accepts with CPU_HOTPLUG_STATE_CONTROL (spec 6.3), not only
# 0 and ONLINE, and every single and double fault point of those walks
# passes the ledger; without the switch the option is a usage error.

# shellcheck source=tests/cli/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ctl=(--config CPU_HOTPLUG_STATE_CONTROL=y)

# 1. mainline, 2 CPUs, single and double faults.
"$CPUHPCTL" --cpus 2 "${ctl[@]}" explore -j 2 --double >"$TMP/base" 2>/dev/null
check_status "explore without --all-targets" 0 $?
"$CPUHPCTL" --cpus 2 "${ctl[@]}" explore -j 2 --double --all-targets >"$TMP/all" 2>/dev/null
check_status "explore --all-targets --double" 0 $?
check_grep "PASS line" '^PASS: 0 violations$' "$TMP/all"
awk '/^total/ { exit !($2 == $3 && $4 == $5 && $4 > $2) }' "$TMP/all"
check_status "every single and double point passed" 0 $?
# The intermediate targets add operations and fault points in both directions.
for row in target-down target-up; do
	a=$(awk -v r=$row '$1 == r { print $3 }' "$TMP/base")
	b=$(awk -v r=$row '$1 == r { print $3 }' "$TMP/all")
	if [ "${b:-0}" -gt "${a:-0}" ]; then ok "$row points $a -> $b"; else not_ok "$row points $a -> $b"; fi
done
a=$(sed -n 's/^operations: \([0-9]*\) .*/\1/p' "$TMP/base")
b=$(sed -n 's/^operations: \([0-9]*\) .*/\1/p' "$TMP/all")
# 2 CPUs x 2 directions per target; at least the ONLINE-section targets.
if [ $((b - a)) -ge 20 ] && [ $(((b - a) % 4)) -eq 0 ]; then
	ok "operations $a -> $b (4 per target)"
else
	not_ok "operations $a -> $b"
fi
grep '^total' "$TMP/all" | sed 's/^/# /'

# 2. linux-6.1-x86 with the switch, single faults (skipped when not built in).
if "$CPUHPCTL" --model linux-6.1-x86 states >/dev/null 2>&1; then
	"$CPUHPCTL" --model linux-6.1-x86 --cpus 2 "${ctl[@]}" explore -j 2 --all-targets \
		>"$TMP/v61" 2>/dev/null
	check_status "linux-6.1-x86 explore --all-targets" 0 $?
	grep '^total' "$TMP/v61" | sed 's/^/# linux-6.1-x86 /'
else
	ok "# SKIP linux-6.1-x86 is not built into this cpuhpctl"
fi

# 3. Without the switch target accepts only 0 and ONLINE: a usage error.
"$CPUHPCTL" --cpus 2 explore --all-targets >"$TMP/o" 2>"$TMP/e"
check_status "--all-targets without STATE_CONTROL" 2 $?
check_grep "says why" 'accepts only 0 and ONLINE' "$TMP/e"
check_no_grep "and nothing ran" 'explore: ' "$TMP/o"

finish
