/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * ctl-text.h - a control file's text without its newline, for comparing
 * with is_str().  Eight rotating buffers, so one assertion may compare
 * several reads; "ERR -N" when the read fails.
 */
#ifndef CPUHP_TESTS_CTL_TEXT_H
#define CPUHP_TESTS_CTL_TEXT_H

#include <stdio.h>
#include <string.h>

#include <cpuhp/control.h>

static inline const char *ctl_text(struct cpuhp *hp, const char *path)
{
	static char buf[8][64];
	static unsigned int k;
	char *b = buf[k++ % 8];
	ssize_t n = cpuhp_ctl_read(hp, path, b, 64);

	if (n < 0)
		snprintf(b, 64, "ERR %zd", n);
	else
		b[strcspn(b, "\n")] = '\0';
	return b;
}

#endif /* CPUHP_TESTS_CTL_TEXT_H */
