/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * model-copy.h - a built-in model file, edited, in a temporary file: for
 * tests that load a variant of a model with --model PATH semantics.
 */
#ifndef CPUHP_TESTS_MODEL_COPY_H
#define CPUHP_TESTS_MODEL_COPY_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"

#define MODEL_COPY_PATH "/tmp/cpuhp-test-model-XXXXXX"

/*
 * Copy $SRCDIR/models/@name.model to a new temporary file whose name
 * is written into @path (a copy of MODEL_COPY_PATH), with the line @from
 * (newline included) replaced by @to and @extra appended as one more line;
 * either may be NULL.  The caller unlinks @path.  False when SRCDIR is not
 * set; a file that cannot be copied ends the test.
 */
static inline bool model_copy(const char *name, const char *from, const char *to,
			      const char *extra, char *path)
{
	char src[4096], line[512];
	const char *dir = getenv("SRCDIR");
	FILE *in, *out;
	int fd;

	if (!dir)
		return false;
	snprintf(src, sizeof(src), "%s/models/%s.model", dir, name);
	in = fopen(src, "r");
	fd = mkstemp(path);
	out = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!in || !out)
		bail_out("cannot copy %s", src);
	while (fgets(line, sizeof(line), in))
		fputs(from && !strcmp(line, from) ? to : line, out);
	if (extra)
		fprintf(out, "%s\n", extra);
	fclose(in);
	fclose(out);
	return true;
}

#endif /* CPUHP_TESTS_MODEL_COPY_H */
