// SPDX-License-Identifier: LGPL-2.1-or-later
/* updown.c - benchmark b (filled in below). */
#include <stdio.h>

#include "bench.h"

void bench_updown(void)
{
	bench_section("b. one CPU offline+online: not measured yet");
}

int bench_callgrind_target(void)
{
	return 0;
}
