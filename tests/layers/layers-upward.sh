#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# The layer check fails on an upward include and names it: a copy of src/
# gets base/mask.c including the walker's header, which must be refused.
set -eu
top=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$top/src" "$tmp/src"
"$top/tools/check-layers.sh" "$tmp/src" >/dev/null || {
	echo "not ok: the unmodified tree already fails"
	exit 1
}
sed -i '0,/^#include "base\/mask.h"/s//#include "base\/mask.h"\n#include "walk\/walk.h"/' "$tmp/src/base/mask.c"
grep -q '"walk/walk.h"' "$tmp/src/base/mask.c"
if out=$("$top/tools/check-layers.sh" "$tmp/src"); then
	echo "not ok: an upward include base -> walk passed: $out"
	exit 1
fi
echo "$out" | grep -q "base/mask.c:[0-9]*: \"walk/walk.h\": layer 'base' may not include 'walk'" || {
	echo "not ok: the message does not name the edge: $out"
	exit 1
}
# A header in no layer folder is refused too.
mkdir "$tmp/src/misc" && echo '#include "base/mask.h"' >"$tmp/src/misc/x.h"
sed -i '/"walk\/walk.h"/d' "$tmp/src/base/mask.c"
if "$top/tools/check-layers.sh" "$tmp/src" >/dev/null; then
	echo "not ok: a file outside the declared layers passed"
	exit 1
fi
echo "ok: upward and undeclared edges are refused"
