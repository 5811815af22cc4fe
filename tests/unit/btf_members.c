// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests: btfscan finding struct members, in a hand-made BTF and in this kernel's own. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include "btfscan.h"
#include "btf_build.h"
#include "unit.h"

void test_btf_members(void)
{
	static struct bbuf t, s;
	static unsigned char buf[400000];
	unsigned int n_int, n_sock, n_file, n_task, n_sk, n_files, n_priv, n_flags;
	size_t len;

	s.n = 0;
	add_str(&s, "");
	n_int = add_str(&s, "int");
	n_sock = add_str(&s, "socket");
	n_file = add_str(&s, "file");
	n_task = add_str(&s, "task_struct");
	n_sk = add_str(&s, "sk");
	n_files = add_str(&s, "files");
	n_priv = add_str(&s, "private_data");
	n_flags = add_str(&s, "flags");

	t.n = 0;
	type_rec(&t, n_int, 1, 0, 4, 4);			/* [1] int */
	type_rec(&t, 0, 13, 2, 1, 16);				/* [2] func proto, 2 params: stepped over */
	{
		unsigned int names[] = { n_flags, n_file, n_sk };
		unsigned int bits[] = { 0, 128, 192 };

		struct_rec(&t, n_sock, 0, 3, names, bits);	/* [3] socket */
	}
	{
		unsigned int names[] = { n_flags, n_priv };
		unsigned int bits[] = { 3u << 24 | 5, 1u << 24 | 24 * 8 };	/* a 3-bit field at bit 5 */

		struct_rec(&t, n_file, 1, 2, names, bits);	/* [4] file, kind_flag */
	}
	{
		unsigned int names[] = { n_files };
		unsigned int bits[] = { 1824 * 8 };

		struct_rec(&t, n_task, 0, 1, names, bits);	/* [5] task_struct */
		struct_rec(&t, n_task, 0, 1, names, bits);	/* [6] the same again: agrees */
		struct_rec(&t, 0, 0, 1, names, bits);		/* [7] anonymous: not a task_struct */
	}
	len = btf_mem(buf, &t, &s);

	{
		struct st_btf_member m[] = {
			{ "socket", "sk", 0 }, { "socket", "file", 0 }, { "file", "private_data", 0 },
			{ "task_struct", "files", 0 },
		};

		CHECK(st_btf_member_offsets(buf, len, m, 4) == 0, "members found");
		CHECK(m[0].offset == 24 && m[1].offset == 16, "socket.sk 24, socket.file 16: %ld %ld",
		      m[0].offset, m[1].offset);
		CHECK(m[2].offset == 24, "file.private_data under kind_flag: 24, got %ld", m[2].offset);
		CHECK(m[3].offset == 1824, "task_struct.files 1824 (twice, agreeing): %ld", m[3].offset);
	}
	{
		struct st_btf_member m[] = { { "socket", "sk", 0 }, { "socket", "fd", 0 } };

		CHECK(st_btf_member_offsets(buf, len, m, 2) == -1 && m[0].offset == 24 && m[1].offset == -1,
		      "a missing member: -1, the others still found");
	}
	{
		struct st_btf_member m[] = { { "file", "flags", 0 } };

		CHECK(st_btf_member_offsets(buf, len, m, 1) == -1, "a bit field off a byte: refused");
	}
	{
		struct st_btf_member m[] = { { "sock", "sk", 0 }, { "int", "fd", 0 } };

		CHECK(st_btf_member_offsets(buf, len, m, 2) == -1 && m[0].offset == -1,
		      "a prefix of a struct's name, or a non-struct: not found");
	}
	{
		struct st_btf_member m[] = { { "socket", "sk", 0 } };

		CHECK(st_btf_member_offsets(buf, len - s.n - 1, m, 1) == -1, "cut short: refused");
		CHECK(buf[0] == 0x9F && buf[1] == 0xEB, "magic 0xeB9F, little-endian");
		buf[0] = 0xEB;
		buf[1] = 0x9F;
		CHECK(st_btf_member_offsets(buf, len, m, 1) == -1, "the other byte order: refused");
	}

	/* two structs of one name that disagree */
	{
		unsigned int names[] = { n_files };
		unsigned int bits[] = { 1824 * 8 }, other[] = { 1832 * 8 };
		struct st_btf_member m[] = { { "task_struct", "files", 0 } };

		t.n = 0;
		type_rec(&t, n_int, 1, 0, 4, 4);
		struct_rec(&t, n_task, 0, 1, names, bits);
		struct_rec(&t, n_task, 0, 1, names, other);
		len = btf_mem(buf, &t, &s);
		CHECK(st_btf_member_offsets(buf, len, m, 1) == -1, "two task_structs that disagree: refused");
	}
	/* an unknown kind: the walk can't step over it */
	{
		unsigned int names[] = { n_files };
		unsigned int bits[] = { 1824 * 8 };
		struct st_btf_member m[] = { { "task_struct", "files", 0 } };

		t.n = 0;
		type_rec(&t, n_int, 25, 0, 4, 0);
		struct_rec(&t, n_task, 0, 1, names, bits);
		len = btf_mem(buf, &t, &s);
		CHECK(st_btf_member_offsets(buf, len, m, 1) == -1, "unknown kind: refused");
	}
	/* a member name past the end of the strings */
	{
		unsigned int names[] = { (unsigned int)s.n + 10 };
		unsigned int bits[] = { 0 };
		struct st_btf_member m[] = { { "task_struct", "files", 0 } };

		t.n = 0;
		struct_rec(&t, n_task, 0, 1, names, bits);
		len = btf_mem(buf, &t, &s);
		CHECK(st_btf_member_offsets(buf, len, m, 1) == -1 && m[0].offset == -1,
		      "a name outside the strings: not a match");
	}
}

/* the members the tracepoint backend needs, on this machine's own kernel */
void test_btf_members_kernel(void)
{
	struct st_btf_member m[] = {
		{ "task_struct", "files", 0 }, { "files_struct", "fdt", 0 }, { "fdtable", "fd", 0 },
		{ "fdtable", "max_fds", 0 }, { "file", "private_data", 0 }, { "socket", "file", 0 },
		{ "socket", "sk", 0 },
	};

	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		CHECK(0, "/sys/kernel/btf/vmlinux can't be read: %s", strerror(errno));
		return;
	}
	int fd, func_id, want;

	CHECK(st_btf_file_member_offsets("/sys/kernel/btf/vmlinux", m, 7, "tcp_connect",
					 &func_id) == 0,
	      "the kernel's BTF has every member the accept walk needs");
	/* the same pass finds a function as st_btf_find_func() does */
	fd = open("/sys/kernel/btf/vmlinux", O_RDONLY | O_CLOEXEC);
	want = fd >= 0 ? st_btf_find_func(fd, "tcp_connect") : -1;
	if (fd >= 0)
		close(fd);
	CHECK(want > 0 && func_id == want, "tcp_connect in the member pass: %d, alone: %d",
	      func_id, want);
	/* fields whose place has not moved in any kernel socktrace runs on */
	CHECK(m[2].offset == 8 && m[3].offset == 0, "fdtable: max_fds at 0, fd at 8: %ld %ld",
	      m[3].offset, m[2].offset);
	CHECK(m[5].offset == 16 && m[6].offset == 24, "socket: file at 16, sk at 24: %ld %ld",
	      m[5].offset, m[6].offset);
	CHECK(m[0].offset > 0 && m[1].offset > 0 && m[4].offset > 0,
	      "task_struct.files, files_struct.fdt, file.private_data: %ld %ld %ld",
	      m[0].offset, m[1].offset, m[4].offset);
}
