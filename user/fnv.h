/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * FNV-1a, the hash of the userspace tables keyed by bytes (the busiest peers,
 * the metrics' series, the address->name cache). Unseeded: a stranger who
 * picks names or addresses could make keys collide, which costs longer
 * probes in a bounded table, never a wrong answer. A key in parts is hashed
 * by passing each part's result on as h.
 */
#ifndef ST_FNV_H
#define ST_FNV_H

#include <stddef.h>
#include <linux/types.h>

#define ST_FNV32_BASIS	2166136261u
#define ST_FNV64_BASIS	0xcbf29ce484222325ULL

static inline __u32 st_fnv32(__u32 h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 16777619u;
	return h;
}

static inline __u64 st_fnv64(__u64 h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	return h;
}

#endif
