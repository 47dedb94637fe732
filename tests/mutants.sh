#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# tests/mutants.sh - how strong is "cpuhpctl explore --double"?  Applies
# small mutants to the library one at a time (a copy of the tree, never your
# worktree), rebuilds cpuhpctl (release, its own build dir, -j2) and runs
# explore --double with its default operations on both models, 4 CPUs.  A
# mutant is killed when explore reports a violation on a model (exit 1) or
# crashes; the table says which.  Heavy: about 30 s per mutant on 2 cores.
#
#   bash tests/mutants.sh [BUILD_DIR] [MUTANT...]
#   EXPLORE_FLAGS=--instances bash tests/mutants.sh   # explore with more operations
#
# BUILD_DIR defaults to build-mutants/ at the top of the tree; it holds the
# mutated source copy (src-mut/) too.  Exit status 0 when every mutant was
# killed, 1 otherwise, 2 on a setup error (a mutant no longer applies).
set -u

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bdir=${1:-$top/build-mutants}
shift || true
src=$bdir/src-mut

# name|file|perl -0 substitution (literal \Q..\E on the left)
mutants=(
'skip-up-rollback|src/walk/hotplug.c|s/\Qif (cpuhp__can_rollback_cpu(hp, st) && cpuhp__invoke_range(\E/if (0 \&\& cpuhp__can_rollback_cpu(hp, st) \&\& cpuhp__invoke_range(/'
'skip-down-rollback|src/walk/hotplug.c|s/\Qif (st_state(st) < prev && cpuhp__invoke_range(hp, st, true, prev))\E/if (0 \&\& st_state(st) < prev \&\& cpuhp__invoke_range(hp, st, true, prev))/'
'undo-one-instance-too-few|src/walk/walker.c|s/\Qundo_instances(w, state, bringup, cnt, ret)\E/undo_instances(w, state, bringup, cnt ? cnt - 1 : 0, ret)/'
'lose-partial-bookmark|src/walk/walker.c|s/\Q*lastp = n;\E/*lastp = NULL;/'
'fired-fail-stays-armed|src/walk/walker.c|s/\QCPUHP_INVALID, memory_order_relaxed,\E/state, memory_order_relaxed,/'
'no-step-back-on-reset|src/walk/walker.c|s/\Qst_set_state(st, st_state(st) + (st->bringup ? -1 : 1));\E/(void)0;/'
'no-dying-update-on-reset|src/walk/walker.c|s/\Qst->bringup = bringup;\E\n\t\Qupdate_dying(hp, st, bringup);\E/st->bringup = bringup;/'
'skip-dead-teardowns|src/walk/walker.c|s/\Qif (__builtin_expect(w->ledger || w->hp->trace_fn != NULL, 0))\E/if (!bringup \&\& state < w->hp->b.bringup_cpu \&\& state > w->hp->b.create_threads)\n\t\treturn 0;\n\tif (__builtin_expect(w->ledger || w->hp->trace_fn != NULL, 0))/'
'skip-teardowns-on-removal|src/walk/states.c|s/\Q} else if (invoke) {\E/} else if (0 \&\& invoke) {/'
'keep-callbacks-after-removal|src/walk/states.c|s/\Qcpuhp__store_callbacks(hp, zoo_dyn_remove_slot(hp, state), NULL);\E/(void)zoo_dyn_remove_slot;/'
'reserve-slot-on-removal|src/walk/states.c|s/\Qif (!hp->kc.bug_dyn_remove)\E/if (0)/'
'no-teardown-after-failed-install|src/walk/states.c|s/\Qteardown_below(hp, cpu, state, node);\E\n\t\t\treturn ret;/return ret;/'
'dying-on-control-context|src/walk/core-steps.c|s/\Qcpuhp__tctx()->ctx = CPUHP_CTX_DYING;\E/cpuhp__tctx()->ctx = CPUHP_CTX_CONTROL;/'
'accept-cant-stop-target|src/control/control-files.c|s/\Qret = !sp->name || sp->cant_stop ? -EINVAL : 0;\E/ret = !sp->name ? -EINVAL : 0;/'
)

mkdir -p "$bdir" || exit 2
rm -rf "$src" && mkdir -p "$src" || exit 2
(cd "$top" && git ls-files -z | xargs -0 cp --parents -t "$src") || exit 2
cmake -S "$src" -B "$bdir/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF \
	-DCPUHP_BUILD_EXAMPLES=OFF -DCPUHP_BUILD_BENCH=OFF \
	>"$bdir/configure.log" 2>&1 || { echo "configure failed: $bdir/configure.log"; exit 2; }
ctl=$bdir/build/tools/cpuhpctl/cpuhpctl

explore() { # MODEL: "pass", "KILLED" or "KILLED(crash)"
	# shellcheck disable=SC2086 # EXPLORE_FLAGS is a word list
	"$ctl" --model "$1" --cpus 4 explore --double -j 2 ${EXPLORE_FLAGS:-} >"$bdir/explore.out" 2>&1
	case $? in
	0) echo pass ;;
	1) echo KILLED ;;
	*) echo "KILLED(exit $?)" ;;
	esac
}

printf '%-34s %-14s %-14s %s\n' mutant mainline linux-6.1-x86 verdict
total=0 killed=0
for m in "${mutants[@]}"; do
	IFS='|' read -r name file expr <<<"$m"
	if [ $# -gt 0 ] && ! printf '%s\n' "$@" | grep -qx "$name"; then
		continue
	fi
	cp "$top/$file" "$src/$file"
	perl -0pi -e "$expr" "$src/$file"
	if cmp -s "$top/$file" "$src/$file"; then
		echo "mutant $name no longer applies to $file"
		exit 2
	fi
	if ! cmake --build "$bdir/build" -j2 --target cpuhpctl >"$bdir/build.log" 2>&1; then
		printf '%-34s %-14s %-14s %s\n' "$name" - - "does not build ($bdir/build.log)"
		cp "$top/$file" "$src/$file"
		continue
	fi
	a=$(explore mainline)
	b=$(explore linux-6.1-x86)
	cp "$top/$file" "$src/$file"
	total=$((total + 1))
	if [ "$a" != pass ] && [ "$b" != pass ]; then
		v="killed on both"
		killed=$((killed + 1))
	elif [ "$a" != pass ] || [ "$b" != pass ]; then
		v="killed on one"
		killed=$((killed + 1))
	else
		v=SURVIVED
	fi
	printf '%-34s %-14s %-14s %s\n' "$name" "$a" "$b" "$v"
done
echo "killed $killed of $total mutants"
[ "$killed" -eq "$total" ]
