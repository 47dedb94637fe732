// SPDX-License-Identifier: LGPL-2.1-or-later
/* mask.c - CPU masks and their sysfs list format. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/mask.h"

#define BITS_PER_WORD (sizeof(unsigned long) * CHAR_BIT)

int cpuhp__mask_init(struct cpuhp_mask *m, unsigned int nbits)
{
	size_t n = (nbits + BITS_PER_WORD - 1) / BITS_PER_WORD;

	m->nbits = nbits;
	m->words = calloc(n ? n : 1, sizeof(*m->words));
	return m->words ? 0 : -ENOMEM;
}

void cpuhp__mask_destroy(struct cpuhp_mask *m)
{
	free((void *)m->words);
	m->words = NULL;
}

void cpuhp__mask_assign(struct cpuhp_mask *m, unsigned int bit, bool val)
{
	unsigned long b = 1UL << (bit % BITS_PER_WORD);
	_Atomic unsigned long *w = &m->words[bit / BITS_PER_WORD];

	if (val)
		atomic_fetch_or_explicit(w, b, memory_order_relaxed);
	else
		atomic_fetch_and_explicit(w, ~b, memory_order_relaxed);
}

bool cpuhp__mask_test(const struct cpuhp_mask *m, unsigned int bit)
{
	unsigned long w;

	if (bit >= m->nbits)
		return false;
	w = atomic_load_explicit(&m->words[bit / BITS_PER_WORD], memory_order_relaxed);
	return w & (1UL << (bit % BITS_PER_WORD));
}

static bool in(const struct cpuhp_mask *m, const struct cpuhp_mask *andnot,
	       unsigned int bit)
{
	return cpuhp__mask_test(m, bit) && !(andnot && cpuhp__mask_test(andnot, bit));
}

int cpuhp__mask_format(const struct cpuhp_mask *m, const struct cpuhp_mask *andnot,
		       char *buf, size_t len)
{
	unsigned int bit = 0, first, last;
	size_t off = 0;
	int n;

	while (bit < m->nbits) {
		if (!in(m, andnot, bit)) {
			bit++;
			continue;
		}
		first = bit;
		while (bit + 1 < m->nbits && in(m, andnot, bit + 1))
			bit++;
		last = bit++;
		if (first == last)
			n = snprintf(buf + (off < len ? off : len),
				     off < len ? len - off : 0, "%s%u", off ? "," : "",
				     first);
		else
			n = snprintf(buf + (off < len ? off : len),
				     off < len ? len - off : 0, "%s%u-%u", off ? "," : "",
				     first, last);
		off += (size_t)n;
	}
	n = snprintf(buf + (off < len ? off : len), off < len ? len - off : 0, "\n");
	return (int)(off + (size_t)n);
}

/*
 * The kernel's "%*pb" over nr_cpu_ids bits: 32-bit chunks in hex, most
 * significant first, separated by commas.  Every chunk is zero-padded to 8
 * digits except the first, which gets only the digits its bits need (so 4
 * CPUs print "f", 40 CPUs "ff,ffffffff").
 */
int cpuhp__mask_format_hex(const struct cpuhp_mask *m, char *buf, size_t len)
{
	unsigned int chunk = m->nbits % 32 ? m->nbits % 32 : 32;
	unsigned int lo = m->nbits - chunk, bit;
	size_t off = 0;
	int n;

	for (;;) {
		unsigned long val = 0;

		for (bit = 0; bit < chunk; bit++)
			val |= (unsigned long)cpuhp__mask_test(m, lo + bit) << bit;
		n = snprintf(buf + (off < len ? off : len), off < len ? len - off : 0,
			     "%s%0*lx", off ? "," : "", (int)((chunk + 3) / 4), val);
		off += (size_t)n;
		if (!lo)
			break;
		lo -= 32;
		chunk = 32;
	}
	n = snprintf(buf + (off < len ? off : len), off < len ? len - off : 0, "\n");
	return (int)(off + (size_t)n);
}
