// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * ctl-err.c - cpuhpctl's error line on stderr, used by every command and by
 * the machine set-up (machine.c), kept apart from main.c so that neither
 * depends on the other.
 */
#include <stdarg.h>
#include <stdio.h>

#include "cpuhpctl.h"

void ctl_err(const char *fmt, ...)
{
	va_list ap;

	fputs("cpuhpctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
