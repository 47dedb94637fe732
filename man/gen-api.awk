# SPDX-License-Identifier: LGPL-2.1-or-later
#
# gen-api.awk - one section-3 page (markdown for go-md2man) from the
# kernel-doc comments of the public headers.
#
#   awk -v page=NAME -v title="..." -v header=cpuhp/x.h -v want="f1 f2 ..." \
#       -v version=V -f gen-api.awk include/cpuhp/*.h
#
# A kernel-doc comment is "/**", then " * name - summary", " * @arg: text"
# lines, a blank " *", free text, "Context:" and "Return:" paragraphs, "*/";
# the declaration after it (up to ";") is the prototype.  Only the functions
# named in @want are written, in that order.  Functions of @want that have
# no comment are an error (exit 1), so a page never silently loses one.

function flush_fn(   i) {
	if (fname == "" || !(fname in wanted))
		return
	found[fname] = 1
	proto[fname] = decl
	text[fname] = body
	summary[fname] = sum
}

function esc(s) {
	# Markdown: keep *, _ and ` literal in prose.
	gsub(/\\/, "\\\\", s)
	gsub(/\*/, "\\*", s)
	gsub(/_/, "\\_", s)
	gsub(/`/, "\\`", s)
	return s
}

BEGIN {
	n = split(want, order, " ")
	for (i = 1; i <= n; i++)
		wanted[order[i]] = 1
	state = 0
}

# Comment start.
state == 0 && /^\/\*\*[ \t]*$/ { state = 1; fname = ""; body = ""; sum = ""; decl = ""; next }

state == 1 && /^[ \t]*\*\/[ \t]*$/ { state = 2; next }
state == 1 {
	line = $0
	sub(/^[ \t]*\*[ ]?/, "", line)
	if (fname == "" && match(line, /^[a-z_0-9]+ - /)) {
		fname = substr(line, 1, RLENGTH - 3)
		sum = substr(line, RLENGTH + 1)
		next
	}
	if (match(line, /^@[a-z_0-9]+:/)) {
		arg = substr(line, 2, RLENGTH - 2)
		rest = substr(line, RLENGTH + 1)
		sub(/^[ \t]+/, "", rest)
		body = body (inarg ? "" : "\n") "\n- *" arg "*: " esc(rest)
		inarg = 1
		next
	}
	if (line == "") {
		body = body "\n"
		inarg = 0
		next
	}
	if (match(line, /^(Context|Return):/)) {
		body = body "\n\n*" substr(line, 1, RLENGTH) "*" esc(substr(line, RLENGTH + 1))
		inarg = 0
		next
	}
	sub(/^[ \t]+/, "", line)
	body = body (inarg ? " " : "\n") esc(line)
	next
}

# The declaration after the comment.
state == 2 {
	line = $0
	sub(/^CPUHP_EXPORT[ \t]+/, "", line)
	gsub(/[ \t]+/, " ", line)
	decl = decl (decl == "" ? "" : " ") line
	if (index(line, ";") || index(line, "{")) {
		sub(/[ \t]*\{.*$/, ";", decl)
		flush_fn()
		state = 0
	}
	next
}

END {
	missing = ""
	for (i = 1; i <= n; i++)
		if (!(order[i] in found))
			missing = missing " " order[i]
	if (missing != "") {
		print "gen-api.awk: no kernel-doc comment for:" missing > "/dev/stderr"
		exit 1
	}
	printf "%% %s 3 \"\" \"cpuhp %s\" \"libcpuhp Manual\"\n\n", toupper(page), version
	print "# NAME\n"
	names = ""
	for (i = 1; i <= n; i++)
		names = names (i > 1 ? ", " : "") esc(order[i])
	print names " - " esc(title) "\n"
	print "# SYNOPSIS\n"
	print "**\\#include \\<" header "\\>**\n"
	for (i = 1; i <= n; i++)
		print "      " proto[order[i]]
	print "\nLink with *-lcpuhp* (pkg-config: *cpuhp*).\n"
	print "# DESCRIPTION"
	for (i = 1; i <= n; i++) {
		print "\n## " esc(order[i]) "\n"
		print esc(summary[order[i]]) "."
		print text[order[i]]
	}
	print "\n# SEE ALSO\n"
	print "**cpuhpctl**(1), **cpuhp\\_new**(3), **cpuhp\\_cpu\\_up**(3), **cpuhp\\_cpus\\_read\\_lock**(3), **cpuhp\\_setup\\_state**(3), **cpuhp\\_ctl\\_read**(3)"
}
