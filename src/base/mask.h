/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * mask.h - CPU masks (the kernel's cpumask) as arrays of atomic words.
 *
 * Bits are set and cleared with relaxed atomic RMW operations: writers are
 * serialised by the hotplug locks, and readers that need a stable view take
 * the cpus read lock; the atomics only keep unlocked readers race-free.
 */
#ifndef CPUHP_MASK_H
#define CPUHP_MASK_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

struct cpuhp_mask {
	unsigned int nbits;
	_Atomic unsigned long *words;
};

int cpuhp__mask_init(struct cpuhp_mask *m, unsigned int nbits);
void cpuhp__mask_destroy(struct cpuhp_mask *m);
void cpuhp__mask_assign(struct cpuhp_mask *m, unsigned int bit, bool val);
bool cpuhp__mask_test(const struct cpuhp_mask *m, unsigned int bit);
/* Format like the kernel's "%*pbl": "0,2-3\n"; returns snprintf-style length. */
int cpuhp__mask_format(const struct cpuhp_mask *m, const struct cpuhp_mask *andnot,
		       char *buf, size_t len);
/* Format like the kernel's "%*pb": "00000000,00000003\n"; snprintf-style length. */
int cpuhp__mask_format_hex(const struct cpuhp_mask *m, char *buf, size_t len);

#endif /* CPUHP_MASK_H */
