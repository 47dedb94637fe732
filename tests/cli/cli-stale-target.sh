# shellcheck shell=bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# cli-stale-target.sh: a 6.1 kernel bug the linux-6.1-x86 model reproduces
# (docs/linux-6.1.md).  A failed teardown during a removal leaves CPU 3's
# last result at -EAGAIN; writing CPU 3's own state (236) to its target is a
# cpu_down() with nothing to walk, so 6.1 returns that stale error and its
# "rollback" leaves the state at ONLINE + 1 (237).  The next offline walks
# down from 237 (the kernel reads one entry past its state table there; the
# model has an empty guard entry) and the CPU recovers.  mainline makes the
# same write a no-op (v6.2, "Make target_store() a nop when target == state").

# shellcheck source=tests/cli/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cat >"$TMP/s" <<'SCRIPT'
setup online-dyn test:a
write cpu3/hotplug/fail 210
remove 210
write cpu3/hotplug/target 236
read cpu3/hotplug/state
write cpu3/online 0
read cpu3/hotplug/state
write cpu3/online 1
read cpu3/hotplug/state
SCRIPT

if "$CPUHPCTL" --model linux-6.1-x86 states >/dev/null 2>&1; then
	"$CPUHPCTL" --model linux-6.1-x86 --cpus 4 run "$TMP/s" >"$TMP/out" 2>"$TMP/err"
	check_status "linux-6.1-x86: the script runs" 0 $?
	check_eq "linux-6.1-x86: stale -EAGAIN, state 237, then recovers" \
		"setup test:a = 210
write cpu3/hotplug/fail <- 210 : ok errno=0
remove 210 = 0
write cpu3/hotplug/target <- 236 : FAIL errno=11 (Resource temporarily unavailable)
237
write cpu3/online <- 0 : ok errno=0
0
write cpu3/online <- 1 : ok errno=0
236" "$(cat "$TMP/out")"
	check_grep "the failed teardown is reported" 'teardown of state 210 failed' "$TMP/err"
else
	ok "# SKIP linux-6.1-x86 is not built into this cpuhpctl"
fi

# mainline: the first free ONLINE_DYN slot is 192; the write is a no-op.
sed 's/210/192/g' "$TMP/s" >"$TMP/m"
"$CPUHPCTL" --cpus 4 run "$TMP/m" >"$TMP/out" 2>"$TMP/err"
check_status "mainline: the script runs" 0 $?
check_eq "mainline: the write changes nothing" \
	"setup test:a = 192
write cpu3/hotplug/fail <- 192 : ok errno=0
remove 192 = 0
write cpu3/hotplug/target <- 236 : ok errno=0
236
write cpu3/online <- 0 : ok errno=0
0
write cpu3/online <- 1 : ok errno=0
236" "$(cat "$TMP/out")"

finish
