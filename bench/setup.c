// SPDX-License-Identifier: LGPL-2.1-or-later
/* setup.c - benchmark d (filled in below). */
#include "bench.h"

void bench_setup(void)
{
	bench_section("d. setup_state: not measured yet");
}
