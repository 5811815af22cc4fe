/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Hand-made BTF for the btfscan tests: type records and strings, as a file or in memory. */
#ifndef ST_UNIT_BTF_BUILD_H
#define ST_UNIT_BTF_BUILD_H

#include <stddef.h>

struct bbuf {
	unsigned char b[200000];
	size_t n;
};

void put32(struct bbuf *b, unsigned int v);
/* one type record: name, kind, vlen, size or type, then extra zero bytes */
void type_rec(struct bbuf *b, unsigned int name, unsigned int kind, unsigned int vlen,
	      unsigned int size_or_type, size_t extra);
/* a struct record with members (name, bit offset) that all have type [1] */
void struct_rec(struct bbuf *t, unsigned int name, int kind_flag, int n,
		const unsigned int *names, const unsigned int *bits);
/* a string appended to s; its offset */
unsigned int add_str(struct bbuf *s, const char *str);
/* header + types + strings in a temporary file; its fd */
int btf_file(const struct bbuf *types, const struct bbuf *strs, unsigned short magic,
	     unsigned int type_len_delta);
/* header + types + strings in buf; the size */
size_t btf_mem(unsigned char *buf, const struct bbuf *types, const struct bbuf *strs);

#endif
