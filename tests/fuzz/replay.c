// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * replay.c - run a fuzz target over files without libFuzzer: the corpus
 * replay test of every build (gcc too).  Each argument is a file or a
 * directory whose regular files are fed, in name order, to the same
 * LLVMFuzzerTestOneInput that the fuzzer calls.  A failed check aborts, so
 * the test fails; otherwise it prints TAP, one line per input.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static unsigned int nr_inputs;

static void run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f) {
		printf("not ok %u - cannot open %s\n", ++nr_inputs, path);
		exit(1);
	}
	do {
		if (len == cap) {
			cap = cap ? cap * 2 : 4096;
			buf = realloc(buf, cap);
			if (!buf)
				abort();
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	printf("ok %u - %s\n", ++nr_inputs, path);
	fflush(stdout);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static void run_path(const char *path)
{
	struct dirent **names;
	struct stat sb;
	char sub[4096];
	int i, n;

	if (stat(path, &sb) || !S_ISDIR(sb.st_mode)) {
		run_file(path);
		return;
	}
	n = scandir(path, &names, NULL, by_name);
	for (i = 0; i < n; i++) {
		snprintf(sub, sizeof(sub), "%s/%s", path, names[i]->d_name);
		if (names[i]->d_name[0] != '.' && !stat(sub, &sb) && S_ISREG(sb.st_mode))
			run_file(sub);
		free(names[i]);
	}
	free(names);
}

int main(int argc, char **argv)
{
	int i;

	LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++)
		run_path(argv[i]);
	if (!nr_inputs) {
		printf("1..0 # SKIP no inputs\n");
		return 77;
	}
	printf("1..%u\n", nr_inputs);
	return 0;
}
