// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include "btfscan.h"

#define BTF_MAGIC	0xeB9F
#define KIND_STRUCT	4
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

/*
 * Bytes that follow a type record of each kind: fixed, plus per member
 * (vlen). A table, not a switch: the kinds of consecutive records vary, and
 * a mispredicted branch per record was most of a scan's time. -1: unknown.
 */
static const signed char fixed_bytes[32] = {
	[0] = -1, [1] = 4, [2] = 0, [3] = 12, [4] = 0, [5] = 0, [6] = 0, [7] = 0,
	[8] = 0, [9] = 0, [10] = 0, [11] = 0, [12] = 0, [13] = 0, [14] = 4, [15] = 0,
	[16] = 0, [17] = 4, [18] = 0, [19] = 0,
	[20 ... 31] = -1,
};
static const unsigned char member_bytes[32] = {
	[4] = 12, [5] = 12, [15] = 12, [19] = 12,	/* struct, union, datasec, enum64 */
	[6] = 8, [13] = 8,				/* enum, func_proto */
};

static long extra_bytes(unsigned int kind, unsigned int vlen)
{
	kind &= 31;
	if (fixed_bytes[kind] < 0)
		return -1;
	return fixed_bytes[kind] + (long)member_bytes[kind] * vlen;
}

/* a header this machine can read, whose sections lie inside size bytes */
static int hdr_ok(const struct btf_hdr *h, uint64_t size)
{
	return h->magic == BTF_MAGIC && h->hdr_len >= sizeof(*h) && h->hdr_len <= size &&
	       (uint64_t)h->hdr_len + h->type_off + h->type_len <= size &&
	       (uint64_t)h->hdr_len + h->str_off + h->str_len <= size;
}

/* the string at off in the string section, or NULL if it does not end in it */
static const char *str_at(const char *strs, uint32_t len, uint32_t off)
{
	if (off >= len || !memchr(strs + off, 0, len - off))
		return NULL;
	return strs + off;
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

/* BTF in memory: its header, checked, and where its types and strings start; 0 or -1 */
static int mem_open(const unsigned char *d, size_t size, struct btf_hdr *h,
		    const unsigned char **types, const char **strs)
{
	if (size < sizeof(*h))
		return -1;
	memcpy(h, d, sizeof(*h));
	if (!hdr_ok(h, size))
		return -1;
	*types = d + h->hdr_len + h->type_off;
	*strs = (const char *)d + h->hdr_len + h->str_off;
	return 0;
}

/*
 * st_btf_find_funcs() on BTF in memory: ids[i] for names[i] (-1: none), in
 * one pass that ends once each is found. -1 if the data is not well-formed.
 */
static int find_funcs_mem(const unsigned char *d, size_t size, const char *const *names,
			  int *ids, int n)
{
	const unsigned char *types;
	const char *strs;
	struct btf_hdr h;
	uint32_t pos = 0;
	int id = 1, left = n;

	for (int i = 0; i < n; i++)
		ids[i] = -1;
	if (mem_open(d, size, &h, &types, &strs))
		return -1;
	while (left && (uint64_t)pos + sizeof(struct btf_type_rec) <= h.type_len) {
		struct btf_type_rec t;
		unsigned int kind;
		long extra;

		memcpy(&t, types + pos, sizeof(t));
		kind = (t.info >> 24) & 0x1f;
		extra = extra_bytes(kind, t.info & 0xffff);
		if (extra < 0)
			return -1;
		/* as the streaming scan: a name that starts a string, not a string's tail */
		if (kind == KIND_FUNC && t.name_off < h.str_len &&
		    (t.name_off == 0 || strs[t.name_off - 1] == 0)) {
			for (int i = 0; i < n; i++) {
				const char *s;

				if (ids[i] >= 0 || strs[t.name_off] != names[i][0])
					continue;
				s = str_at(strs, h.str_len, t.name_off);
				if (s && !strcmp(s, names[i])) {
					ids[i] = id;
					left--;
				}
			}
		}
		if ((uint64_t)pos + sizeof(t) + (uint64_t)extra > UINT32_MAX || id == INT32_MAX)
			return -1;
		pos += (uint32_t)(sizeof(t) + (size_t)extra);
		id++;
	}
	return 0;
}

/* st_btf_find_func() on BTF in memory */
static int find_func_mem(const unsigned char *d, size_t size, const char *name)
{
	int id;

	return find_funcs_mem(d, size, &name, &id, 1) ? -1 : id;
}

int st_btf_find_func(int fd, const char *name)
{
	off_t size = lseek(fd, 0, SEEK_END);
	void *data;
	int id;

	if (size <= 0)
		return -1;
	/* mapped: no copy (sysfs BTF from Linux 6.16 on, any regular file) */
	data = mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	if (data == MAP_FAILED)
		return st_btf_find_func_read(fd, name);
	id = find_func_mem(data, (size_t)size, name);
	munmap(data, (size_t)size);
	return id;
}

int st_btf_find_funcs(int fd, const char *const *names, int *ids, int n)
{
	off_t size = lseek(fd, 0, SEEK_END);
	void *data;
	int err;

	for (int i = 0; i < n; i++)
		ids[i] = -1;
	if (size <= 0)
		return -1;
	data = mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	if (data == MAP_FAILED)
		return 1;
	err = find_funcs_mem(data, (size_t)size, names, ids, n);
	munmap(data, (size_t)size);
	return err;
}

int st_btf_find_func_read(int fd, const char *name)
{
	uint32_t offs[MAX_NAMES], win_start = 0, win_len = 0, pos = 0;
	uint64_t types;
	struct btf_hdr h;
	int n, id = 1;
	off_t size = lseek(fd, 0, SEEK_END);

	if (size < (off_t)sizeof(h) || read_at(fd, &h, sizeof(h), 0))
		return -1;
	if (!hdr_ok(&h, (uint64_t)size))
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

/* the members of one struct record (vlen of them at mem) that are asked for */
static int match_members(const char *strs, uint32_t str_len, const char *name,
			 const unsigned char *mem, unsigned int vlen, int kind_flag,
			 struct st_btf_member *m, int n)
{
	for (int q = 0; q < n; q++) {
		if (m[q].type[0] != name[0] || strcmp(m[q].type, name))
			continue;
		for (unsigned int i = 0; i < vlen; i++) {
			uint32_t rec[3];	/* name_off, type, offset */
			const char *mname;
			uint32_t bits;

			memcpy(rec, mem + 12L * i, sizeof(rec));
			mname = str_at(strs, str_len, rec[0]);
			if (!mname || strcmp(mname, m[q].member))
				continue;
			/* with kind_flag the low 24 bits are the offset, the high 8 a bit field's size */
			bits = kind_flag ? rec[2] & 0xffffff : rec[2];
			if (bits % 8 || (m[q].offset >= 0 && m[q].offset != (long)(bits / 8)))
				return -1;
			m[q].offset = (long)(bits / 8);
		}
	}
	return 0;
}

int st_btf_member_offsets(const void *data, size_t size, struct st_btf_member *m, int n)
{
	const unsigned char *d = data, *types;
	const char *strs;
	struct btf_hdr h;
	uint32_t pos = 0;

	for (int q = 0; q < n; q++)
		m[q].offset = -1;
	if (mem_open(d, size, &h, &types, &strs))
		return -1;
	while ((uint64_t)pos + sizeof(struct btf_type_rec) <= h.type_len) {
		struct btf_type_rec t;
		unsigned int kind, vlen;
		long extra;

		memcpy(&t, types + pos, sizeof(t));
		kind = (t.info >> 24) & 0x1f;
		vlen = t.info & 0xffff;
		extra = extra_bytes(kind, vlen);
		if (extra < 0 || (uint64_t)pos + sizeof(t) + (uint64_t)extra > h.type_len)
			return -1;
		if (kind == KIND_STRUCT && t.name_off) {
			const char *name = str_at(strs, h.str_len, t.name_off);

			if (!name || match_members(strs, h.str_len, name, types + pos + sizeof(t), vlen,
						   (int)(t.info >> 31), m, n))
				return -1;
		}
		pos += (uint32_t)(sizeof(t) + (size_t)extra);
	}
	for (int q = 0; q < n; q++)
		if (m[q].offset < 0)
			return -1;
	return 0;
}

int st_btf_file_member_offsets(const char *path, struct st_btf_member *m, int n,
			       const char *func, int *func_id)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	void *data;
	size_t got = 0;
	int ret, err;

	if (func_id)
		*func_id = -1;
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) || st.st_size <= 0) {
		err = st.st_size <= 0 ? EINVAL : errno;
		close(fd);
		errno = err;
		return -1;
	}
	data = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	if (data != MAP_FAILED) {
		close(fd);
		errno = 0;	/* -1 from here on: not found, not an I/O error */
		if (func_id)
			*func_id = find_func_mem(data, (size_t)st.st_size, func);
		ret = st_btf_member_offsets(data, (size_t)st.st_size, m, n);
		munmap(data, (size_t)st.st_size);
		return ret;
	}
	/* older kernels can't map sysfs BTF: read it (4 KiB per read() there) */
	data = malloc((size_t)st.st_size);
	while (data && got < (size_t)st.st_size) {
		ssize_t r = read(fd, (char *)data + got, (size_t)st.st_size - got);

		if (r <= 0)
			break;
		got += (size_t)r;
	}
	err = data ? EIO : ENOMEM;
	close(fd);
	if (!data || got < (size_t)st.st_size) {
		free(data);
		errno = err;
		return -1;
	}
	errno = 0;
	if (func_id)
		*func_id = find_func_mem(data, got, func);
	ret = st_btf_member_offsets(data, got, m, n);
	free(data);
	return ret;
}
