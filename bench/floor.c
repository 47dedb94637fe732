// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * floor.c - the read lock's floor: a thread-local counter incremented on
 * lock and decremented on unlock, with a compiler barrier so the critical
 * section cannot move across it.  Out of line in its own file, so that it
 * pays the same call cost as a library's lock function.
 */
#include "bench.h"

static _Thread_local unsigned long floor_count;

void bench_floor_lock(void)
{
	floor_count++;
	__asm__ __volatile__("" ::: "memory");
}

void bench_floor_unlock(void)
{
	__asm__ __volatile__("" ::: "memory");
	floor_count--;
}
