// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Hand-made BTF for the btfscan tests (see btf_build.h). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "btf_build.h"

struct btf_hdr {
	unsigned short magic;
	unsigned char ver, flags;
	unsigned int hdr, toff, tlen, soff, slen;
};

/* version 1, 24 bytes, the types at 0 and the strings right after them */
static struct btf_hdr header(unsigned short magic, const struct bbuf *types,
			     const struct bbuf *strs, unsigned int type_len_delta)
{
	return (struct btf_hdr){ magic, 1, 0, 24, 0, (unsigned int)types->n + type_len_delta,
				 (unsigned int)types->n, (unsigned int)strs->n };
}

void put32(struct bbuf *b, unsigned int v)
{
	memcpy(b->b + b->n, &v, 4);
	b->n += 4;
}

void type_rec(struct bbuf *b, unsigned int name, unsigned int kind, unsigned int vlen,
	      unsigned int size_or_type, size_t extra)
{
	put32(b, name);
	put32(b, kind << 24 | vlen);
	put32(b, size_or_type);
	memset(b->b + b->n, 0, extra);
	b->n += extra;
}

void struct_rec(struct bbuf *t, unsigned int name, int kind_flag, int n,
		const unsigned int *names, const unsigned int *bits)
{
	put32(t, name);
	put32(t, (unsigned int)kind_flag << 31 | 4u << 24 | (unsigned int)n);
	put32(t, 64);
	for (int i = 0; i < n; i++) {
		put32(t, names[i]);
		put32(t, 1);
		put32(t, bits[i]);
	}
}

unsigned int add_str(struct bbuf *s, const char *str)
{
	unsigned int off = (unsigned int)s->n;

	memcpy(s->b + s->n, str, strlen(str) + 1);
	s->n += strlen(str) + 1;
	return off;
}

int btf_file(const struct bbuf *types, const struct bbuf *strs, unsigned short magic,
	     unsigned int type_len_delta)
{
	struct btf_hdr h = header(magic, types, strs, type_len_delta);
	FILE *f = tmpfile();

	fwrite(&h, sizeof(h), 1, f);
	fwrite(types->b, 1, types->n, f);
	fwrite(strs->b, 1, strs->n, f);
	fflush(f);
	return dup(fileno(f));	/* the file lives while the fd does */
}

size_t btf_mem(unsigned char *buf, const struct bbuf *types, const struct bbuf *strs)
{
	struct btf_hdr h = header(0xeB9F, types, strs, 0);

	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), types->b, types->n);
	memcpy(buf + sizeof(h) + types->n, strs->b, strs->n);
	return sizeof(h) + types->n + strs->n;
}
