/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * fuzz.h - the libFuzzer entry points every target in tests/fuzz defines,
 * and the check that turns a broken invariant into a crash (so that
 * libFuzzer keeps the input, and the corpus replay fails on it).
 */
#ifndef CPUHP_TESTS_FUZZ_H
#define CPUHP_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define FUZZ_CHECK(cond, ...)                                                        \
	do {                                                                         \
		if (!(cond)) {                                                       \
			fprintf(stderr, "fuzz: %s:%d: check failed: %s: ", __FILE__, \
				__LINE__, #cond);                                    \
			fprintf(stderr, __VA_ARGS__);                                \
			fputc('\n', stderr);                                         \
			abort();                                                     \
		}                                                                    \
	} while (0)

#endif /* CPUHP_TESTS_FUZZ_H */
