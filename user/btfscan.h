/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A minimal reader of raw BTF: finds a function's type id, or where a few
 * struct members lie, without parsing the whole kernel BTF the way libbpf
 * does. Used to probe fentry quickly and to resolve the members the
 * tracepoint backend walks from a descriptor to its socket; everything else
 * still loads through libbpf (CO-RE).
 */
#include <stddef.h>
#ifndef ST_BTFSCAN_H
#define ST_BTFSCAN_H

/*
 * The type id of the BTF_KIND_FUNC called name in the raw BTF that fd reads
 * (pread from offset 0; this machine's byte order), or -1 if there is none
 * or the data is not well-formed BTF. A name must start a string, not end
 * another. The file is mapped where it can be (sysfs BTF from Linux 6.16
 * on); otherwise st_btf_find_func_read() does the work.
 */
int st_btf_find_func(int fd, const char *name);

/*
 * The same for n names at once, into ids (-1: none): one pass over the
 * mapped file. 0; -1 when the data is not well-formed BTF (every id -1); 1
 * when the file can't be mapped (before Linux 6.16: nothing was looked up,
 * every id -1; st_btf_find_func_read() reads it, a name a pass).
 */
int st_btf_find_funcs(int fd, const char *const *names, int *ids, int n);

/*
 * The same, reading the file once through a small buffer: fresh memory for
 * the whole of it (megabytes) costs more in page faults than the reading
 * itself.
 */
int st_btf_find_func_read(int fd, const char *name);

/* A member of a named struct, at the top level of it (not inside a nested
 * anonymous struct or union). */
struct st_btf_member {
	const char *type;	/* the struct's name */
	const char *member;
	long offset;		/* out: in bytes from the struct's start; -1: not found */
};

/*
 * Fills in offset for each of the n members asked for, from the raw BTF of
 * size bytes at data (this machine's byte order). Returns 0 when every
 * member was found; -1 when one was not, when two structs of the same name
 * put it at different offsets, when it is a bit field not on a byte, or when
 * the data is not well-formed BTF.
 */
int st_btf_member_offsets(const void *data, size_t size, struct st_btf_member *m, int n);

/*
 * The same, from the BTF file at path: mapped where the kernel allows it
 * (sysfs BTF can be mapped from Linux 6.16 on; no copy), read whole
 * otherwise. -1 with errno set when the file can't be read. With func_id,
 * the same data also answers st_btf_find_func() for func (-1: none, or the
 * file could not be read): one pass over the file for both.
 */
int st_btf_file_member_offsets(const char *path, struct st_btf_member *m, int n,
			       const char *func, int *func_id);

#endif
