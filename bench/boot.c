// SPDX-License-Identifier: LGPL-2.1-or-later
/* boot.c - benchmark c (filled in below). */
#include "bench.h"

void bench_boot(void)
{
	bench_section("c. boot: not measured yet");
}
