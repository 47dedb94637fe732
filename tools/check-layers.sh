#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# check-layers.sh - fail on an include that goes up the library's layers.
#
# Usage: tools/check-layers.sh [SRC_DIR]    (default: src/ beside this script)
#
# src/ has one folder per layer, listed below lowest first (docs/design.md,
# "Layers").  A file may include headers of its own folder and of the
# folders below it; files directly in src/ form the top layer and may
# include any.  Includes are written from src/ ("walk/walk.h"), so the edge
# is visible in the text.  Exit 0 when every edge goes down, 1 with one line
# per upward or unknown edge, 2 on usage errors.

LAYERS="base machine exec model trace check walk control host"

src=${1:-$(dirname "$0")/../src}
if [ ! -d "$src" ]; then
	echo "check-layers: $src: not a directory" >&2
	exit 2
fi

rank() {
	r=0
	for l in $LAYERS; do
		[ "$l" = "$1" ] && { echo $r; return; }
		r=$((r + 1))
	done
	[ "$1" = "." ] && { echo $r; return; } # the top layer: src/*.c
	echo -1
}

bad=0
# Every C file under src/, with its folder (the layer) in front.
files=$(cd "$src" && find . -name '*.[ch]' | sed 's|^\./||' | sort)
for f in $files; do
	layer=$(dirname "$f")
	own=$(rank "$layer")
	if [ "$own" -lt 0 ]; then
		echo "$f: folder '$layer' is not a declared layer ($LAYERS)"
		bad=1
		continue
	fi
	# Quoted includes only: <cpuhp/...> is the public API, open to all.
	grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$src/$f" |
		sed 's/^\([0-9]*\):.*"\(.*\)".*/\1 \2/' >"${TMPDIR:-/tmp}/check-layers.$$"
	while read -r line inc; do
		case $inc in
		*/*) to=$(dirname "$inc") ;;
		*)
			# A bare name must be a file of the same folder.
			if [ -f "$src/$layer/$inc" ]; then
				continue
			fi
			echo "$f:$line: \"$inc\" names no layer; write it from src/ (e.g. \"base/mask.h\")"
			bad=1
			continue
			;;
		esac
		r=$(rank "$to")
		if [ "$r" -lt 0 ] || [ "$to" = "." ]; then
			echo "$f:$line: \"$inc\": '$to' is not a layer"
			bad=1
		elif [ "$r" -gt "$own" ]; then
			echo "$f:$line: \"$inc\": layer '$layer' may not include '$to' (above it)"
			bad=1
		fi
	done <"${TMPDIR:-/tmp}/check-layers.$$"
	rm -f "${TMPDIR:-/tmp}/check-layers.$$"
done
if [ $bad -eq 0 ]; then
	echo "check-layers: $(echo "$files" | wc -l) files, every include goes down ($LAYERS)"
fi
exit $bad
