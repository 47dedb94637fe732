#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# tests/mutate/run.sh - how strong is "cpuhpctl explore --double"?
#
# Each file tests/mutate/mutants/NN-name.patch is one small behaviour change
# of the library (src/).  The script copies the tree (the files git knows, as
# they are in the worktree) into BUILD_DIR/src, builds the release cpuhpctl
# there once, checks that explore passes on the unmutated copy, then for each
# mutant: applies it, rebuilds (incremental, -j2), runs
#
#     cpuhpctl --model M --cpus 4 explore --double -j2
#
# for each model M, and reverts it.  A mutant is killed on a model when
# explore exits 1 (violations), crashes, or does not finish within
# MUTATE_TIMEOUT seconds (default 900); it survives when explore exits 0.
#
#   bash tests/mutate/run.sh [options] [MUTANT...]
#     -b, --build-dir DIR   where the copy and its build live (default
#                           build-mutate/ at the top of the tree); reused
#     -m, --models "M..."   models (default "linux-6.1-x86 linux-6.12-x86")
#     -l, --list            list the mutants and exit
#     -c, --check           only check that every patch applies to the tree
#     -h, --help
#   MUTANT: NN, name or NN-name (the file without .patch); default: all
#   EXPLORE_FLAGS="..."     extra explore options (default: none)
#
# Exit status: 0 every selected mutant was killed on every model; 1 some
# survived; 2 usage or setup error (a patch does not apply, the unmutated
# tree fails explore, the build fails).
set -u

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
mdir=$top/tests/mutate/mutants
bdir=$top/build-mutate
models="linux-6.1-x86 linux-6.12-x86"
mode=run
sel=()

usage() {
	sed -n 's/^#   \{0,1\}//p' "${BASH_SOURCE[0]}" | sed -n '/^bash tests/,/^EXPLORE_FLAGS/p'
}

die() { # STATUS MESSAGE
	echo "run.sh: $2" >&2
	exit "$1"
}

while [ $# -gt 0 ]; do
	case $1 in
	-b | --build-dir)
		[ $# -ge 2 ] && [ -n "$2" ] || die 2 "$1 needs a directory"
		bdir=$2
		shift 2
		;;
	-m | --models)
		[ $# -ge 2 ] && [ -n "$2" ] || die 2 "$1 needs a list of models"
		models=$2
		shift 2
		;;
	-l | --list) mode=list && shift ;;
	-c | --check) mode=check && shift ;;
	-h | --help)
		usage
		exit 0
		;;
	--)
		shift
		sel+=("$@")
		break
		;;
	-*) die 2 "unknown option '$1' (--help)" ;;
	*)
		sel+=("$1")
		shift
		;;
	esac
done

all=()
for f in "$mdir"/[0-9][0-9]-*.patch; do
	[ -e "$f" ] || die 2 "no mutants in $mdir"
	all+=("$(basename "$f" .patch)")
done

# The selection, by full name or by the name after NN-.
mutants=()
if [ ${#sel[@]} -eq 0 ]; then
	mutants=("${all[@]}")
else
	for s in "${sel[@]}"; do
		hit=
		for m in "${all[@]}"; do
			if [ "$m" = "$s" ] || [ "${m#[0-9][0-9]-}" = "$s" ] ||
				[ "${m%%-*}" = "$s" ]; then
				hit=$m
			fi
		done
		[ -n "$hit" ] || die 2 "no mutant '$s' (--list)"
		mutants+=("$hit")
	done
fi

if [ $mode = list ]; then
	printf '%s\n' "${mutants[@]}"
	exit 0
fi

if [ $mode = check ]; then
	bad=0
	for m in "${mutants[@]}"; do
		if ! patch -p1 -F0 --dry-run -s -d "$top" <"$mdir/$m.patch" >/dev/null 2>&1; then
			echo "not ok: $m does not apply to the tree"
			bad=1
		elif ! grep -q '^+++ b/src/' "$mdir/$m.patch" ||
			grep '^+++ ' "$mdir/$m.patch" | grep -qv '^+++ b/src/'; then
			echo "not ok: $m changes files outside src/"
			bad=1
		else
			echo "ok: $m"
		fi
	done
	exit $bad
fi

for model in $models; do
	case $model in
	*[!A-Za-z0-9._-]*) die 2 "bad model name '$model'" ;;
	esac
done
command -v cmake >/dev/null || die 2 "cmake not found"

src=$bdir/src
mkdir -p "$bdir" || die 2 "cannot create $bdir"
bdir=$(cd "$bdir" && pwd)
src=$bdir/src
# A fresh copy each run (the build dir is kept: rebuilds are incremental).
rm -rf "$src" && mkdir -p "$src" || die 2 "cannot create $src"
(cd "$top" && git ls-files -z | xargs -0 cp --parents -t "$src") ||
	die 2 "cannot copy the tree"
for m in "${mutants[@]}"; do
	(cd "$src" && patch -p1 -F0 --dry-run -s <"$mdir/$m.patch" >/dev/null) ||
		die 2 "mutant $m does not apply to the tree"
done
gen=
command -v ninja >/dev/null && gen="-G Ninja"
[ -f "$bdir/build/CMakeCache.txt" ] && gen=
# shellcheck disable=SC2086 # gen is empty or two words
cmake -S "$src" -B "$bdir/build" $gen -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF \
	-DCPUHP_BUILD_EXAMPLES=OFF -DCPUHP_BUILD_BENCH=OFF >"$bdir/configure.log" 2>&1 ||
	die 2 "configure failed: $bdir/configure.log"
ctl=$bdir/build/tools/cpuhpctl/cpuhpctl

build() {
	cmake --build "$bdir/build" -j2 --target cpuhpctl >"$bdir/build.log" 2>&1
}

# explore MODEL TAG: prints "pass", "KILLED", "KILLED(crash N)" or "KILLED(hang)";
# the output is kept in $bdir/TAG.MODEL.out.
explore() {
	local out=$bdir/$2.$1.out rc
	# shellcheck disable=SC2086 # EXPLORE_FLAGS is a word list
	timeout "${MUTATE_TIMEOUT:-900}" "$ctl" --model "$1" --cpus 4 explore --double -j2 \
		${EXPLORE_FLAGS:-} >"$out" 2>&1
	rc=$?
	case $rc in
	0) echo pass ;;
	1) echo KILLED ;;
	124) echo "KILLED(hang)" ;;
	*) echo "KILLED(crash $rc)" ;;
	esac
}

build || die 2 "the unmutated tree does not build: $bdir/build.log"
for model in $models; do
	r=$(explore "$model" unmutated)
	[ "$r" = pass ] ||
		die 2 "explore fails on the unmutated tree ($model: $r, $bdir/unmutated.$model.out)"
	pts=$(grep '^total' "$bdir/unmutated.$model.out" | awk '{print $2 "/" $4}')
	tm=$(sed -n 's/.*, total \([0-9.]*s\) .*/\1/p' "$bdir/unmutated.$model.out")
	echo "unmutated $model: pass (points single/double $pts, $tm)"
done

printf '%-36s' mutant
for model in $models; do printf ' %-16s' "$model"; done
printf ' %s\n' verdict
total=0 killed=0
declare -A per
for model in $models; do per[$model]=0; done
for m in "${mutants[@]}"; do
	(cd "$src" && patch -p1 -F0 -s <"$mdir/$m.patch" >/dev/null) || die 2 "cannot apply $m"
	printf '%-36s' "$m"
	total=$((total + 1))
	nk=0 nm=0
	if build; then
		for model in $models; do
			r=$(explore "$model" "$m")
			printf ' %-16s' "$r"
			nm=$((nm + 1))
			if [ "$r" != pass ]; then
				nk=$((nk + 1))
				per[$model]=$((per[$model] + 1))
			fi
		done
		if [ $nk -eq $nm ]; then
			v="killed"
			killed=$((killed + 1))
		elif [ $nk -gt 0 ]; then
			v="killed on $nk of $nm"
		else
			v=SURVIVED
		fi
	else
		for model in $models; do printf ' %-16s' -; done
		v="does not build ($bdir/build.log)"
	fi
	printf ' %s\n' "$v"
	(cd "$src" && patch -p1 -R -s <"$mdir/$m.patch" >/dev/null) ||
		die 2 "cannot revert $m"
done
for model in $models; do
	echo "$model: killed ${per[$model]} of $total ($((100 * per[$model] / total))%)"
done
echo "killed on every model: $killed of $total ($((100 * killed / total))%)"
build >/dev/null 2>&1 # leave the unmutated binary behind
[ "$killed" -eq "$total" ]
