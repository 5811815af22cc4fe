// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#define _GNU_SOURCE
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include "btfscan.h"

#define BTF_MAGIC	0xeB9F
#define KIND_FUNC	12
#define WINDOW		65536
#define MAX_NAMES	8	/* offsets where the name may start (dedup makes it 1) */

/* the one read window: the strings are scanned first, then the types */
static unsigned char win[WINDOW];

struct btf_hdr {
	uint16_t magic;
	uint8_t version;
	uint8_t flags;
	uint32_t hdr_len;
	uint32_t type_off;	/* from the end of the header */
	uint32_t type_len;
	uint32_t str_off;
	uint32_t str_len;
};

struct btf_type_rec {
	uint32_t name_off;
	uint32_t info;		/* vlen: bits 0-15, kind: bits 24-28 */
	uint32_t size_or_type;
};

/* bytes that follow a type record of this kind with vlen members; -1: unknown kind */
static long extra_bytes(unsigned int kind, unsigned int vlen)
{
	switch (kind) {
	case 2: case 7: case 8: case 9: case 10: case 11: case 12: case 16: case 18:
		return 0;		/* ptr fwd typedef volatile const restrict func float type_tag */
	case 1: case 14: case 17:
		return 4;		/* int, var, decl_tag */
	case 3:
		return 12;		/* array */
	case 4: case 5: case 15: case 19:
		return 12L * vlen;	/* struct, union, datasec, enum64 */
	case 6: case 13:
		return 8L * vlen;	/* enum, func_proto */
	default:
		return -1;
	}
}

/* exactly n bytes at off, or -1 */
static int read_at(int fd, void *buf, size_t n, uint64_t off)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = pread(fd, (char *)buf + got, n - got, (off_t)(off + got));

		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

/*
 * The string offsets where name starts. Every string but the first (always
 * "") follows a NUL, so "\0name\0" is searched for, in windows that overlap
 * by its length.
 */
static int find_name(int fd, const struct btf_hdr *h, const char *name, uint32_t *offs)
{
	unsigned char pat[64];
	size_t len = strlen(name) + 2;
	uint64_t base = (uint64_t)h->hdr_len + h->str_off;
	uint32_t pos = 0;
	int n = 0;

	if (len > sizeof(pat))
		return 0;
	pat[0] = 0;
	memcpy(pat + 1, name, len - 1);	/* with its NUL */
	while (pos < h->str_len && n < MAX_NAMES) {
		uint32_t chunk = h->str_len - pos < WINDOW ? h->str_len - pos : WINDOW;
		unsigned char *p = win, *end = win + chunk;

		if (read_at(fd, win, chunk, base + pos))
			return -1;
		while (n < MAX_NAMES && (p = memmem(p, (size_t)(end - p), pat, len))) {
			offs[n++] = pos + (uint32_t)(p - win) + 1;
			p++;
		}
		if (chunk < WINDOW)
			break;
		pos += chunk - (uint32_t)len;	/* a match across the edge is whole in the next */
	}
	return n;
}

int st_btf_find_func(int fd, const char *name)
{
	uint32_t offs[MAX_NAMES], win_start = 0, win_len = 0, pos = 0;
	uint64_t types;
	struct btf_hdr h;
	int n, id = 1;
	off_t size = lseek(fd, 0, SEEK_END);

	if (size < (off_t)sizeof(h) || read_at(fd, &h, sizeof(h), 0))
		return -1;
	if (h.magic != BTF_MAGIC || h.hdr_len < sizeof(h) || (uint64_t)h.hdr_len > (uint64_t)size ||
	    (uint64_t)h.hdr_len + h.type_off + h.type_len > (uint64_t)size ||
	    (uint64_t)h.hdr_len + h.str_off + h.str_len > (uint64_t)size)
		return -1;
	n = find_name(fd, &h, name, offs);
	if (n <= 0)
		return -1;
	types = (uint64_t)h.hdr_len + h.type_off;
	while ((uint64_t)pos + sizeof(struct btf_type_rec) <= h.type_len) {
		struct btf_type_rec t;
		unsigned int kind;
		long extra;

		if (pos < win_start || pos + sizeof(t) > win_start + win_len) {
			win_start = pos;
			win_len = h.type_len - pos < WINDOW ? h.type_len - pos : WINDOW;
			if (read_at(fd, win, win_len, types + win_start))
				return -1;
		}
		memcpy(&t, win + (pos - win_start), sizeof(t));
		kind = (t.info >> 24) & 0x1f;
		extra = extra_bytes(kind, t.info & 0xffff);
		if (extra < 0)
			return -1;
		if (kind == KIND_FUNC)
			for (int i = 0; i < n; i++)
				if (t.name_off == offs[i])
					return id;
		if ((uint64_t)pos + sizeof(t) + (uint64_t)extra > UINT32_MAX || id == INT32_MAX)
			return -1;
		pos += (uint32_t)(sizeof(t) + (size_t)extra);
		id++;
	}
	return -1;
}
