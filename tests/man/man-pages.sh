#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# man-pages.sh MANDIR: the man pages built into MANDIR (build/man) are
# complete and clean: (a) every command and every option that the built
# cpuhpctl lists in its help texts appears in the rendered cpuhpctl(1) (the
# list comes from the tool, not from the page); (b) every function named in
# a section-3 page's NAME line has a page or a link page; (c) groff renders
# every page without a warning.  Exit 77 when the pages were not built.

# shellcheck source=tests/cli/lib.sh
. "$SRCDIR/tests/cli/lib.sh"

mandir=$1
if [ ! -f "$mandir/cpuhpctl.1" ] || ! command -v groff >/dev/null; then
	echo "1..0 # SKIP man pages or groff not available (go-md2man, groff-base)"
	exit 77
fi

# (a) Commands and options from the tool's own help.
"$CPUHPCTL" --help >"$TMP/help"
cmds=$(awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }' "$TMP/help")
[ -n "$cmds" ]
check_status "the tool lists its commands" 0 $?
for c in $cmds; do "$CPUHPCTL" "$c" --help; done >>"$TMP/help" 2>&1
MANPAGER=cat MANWIDTH=200 man -l "$mandir/cpuhpctl.1" 2>/dev/null | col -b >"$TMP/page"
opts=$(grep -oE '(^|[ [|])--?[a-zA-Z][a-zA-Z0-9-]*' "$TMP/help" | sed 's/^[ [|]//' | sort -u)
missing=""
for w in $cmds $opts; do
	grep -qF -- "$w" "$TMP/page" || missing="$missing $w"
done
check_eq "every command and option is in cpuhpctl(1)" "" "$missing"
echo "# $(echo "$cmds" | wc -w) commands, $(echo "$opts" | wc -w) options checked"

# (b) Every function named in a NAME line has a page.
for p in "$mandir"/*.3; do
	grep -q '^\.so ' "$p" && continue
	names=$(sed -n '/^\.SH NAME/,/^\.SH/p' "$p" | grep -v '^\.' | sed 's/ \\\?- .*//; s/\\_/_/g; s/,/ /g')
	for fn in $names; do
		if [ -f "$mandir/$fn.3" ]; then ok "page for $fn"; else not_ok "no page for $fn (named in $(basename "$p"))"; fi
	done
done

# (c) groff without warnings (link pages resolve from the parent folder).
for p in "$mandir"/cpuhpctl.1 "$mandir"/*.3; do
	grep -q '^\.so ' "$p" && continue
	out=$(groff -ww -z -man "$p" 2>&1)
	check_eq "groff: $(basename "$p") renders without warnings" "" "$out"
done

finish
