// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests: btfscan finding a function in a hand-made BTF file, mapped and read. */
#include <unistd.h>
#include "btfscan.h"
#include "btf_build.h"
#include "unit.h"

/* each check runs on the mapped scan and on the reading one */
#define BCHECK(cond, fmt, ...) CHECK(cond, "%s: " fmt, how, ##__VA_ARGS__)
static void btfscan_checks(int (*find)(int, const char *), const char *how)
{
	static struct bbuf t, s;
	unsigned int n_int, n_s, n_foo, n_x, n_tc;
	int fd;

	s.n = 0;
	add_str(&s, "");
	n_int = add_str(&s, "int");
	n_s = add_str(&s, "s");
	n_foo = add_str(&s, "foo");
	n_x = add_str(&s, "xtcp_connect");
	n_tc = add_str(&s, "tcp_connect");
	t.n = 0;
	type_rec(&t, n_int, 1, 0, 4, 4);	/* [1] int: 4 bytes follow */
	type_rec(&t, 0, 2, 0, 1, 0);		/* [2] pointer */
	type_rec(&t, n_s, 4, 2, 8, 24);		/* [3] struct, 2 members */
	type_rec(&t, 0, 13, 1, 1, 8);		/* [4] func proto, 1 param */
	type_rec(&t, n_foo, 12, 0, 4, 0);	/* [5] func foo */
	type_rec(&t, n_tc, 4, 0, 0, 0);		/* [6] a struct named tcp_connect: not a function */
	type_rec(&t, n_x, 12, 0, 4, 0);		/* [7] func xtcp_connect */
	type_rec(&t, n_x + 1, 12, 0, 4, 0);	/* [8] func named by the tail of [7]'s string */
	type_rec(&t, n_tc, 12, 0, 4, 0);	/* [9] func tcp_connect */

	fd = btf_file(&t, &s, 0xeB9F, 0);
	BCHECK(find(fd, "foo") == 5, "foo is [5]: %d", find(fd, "foo"));
	/* the first FUNC whose name is the string, wherever that string starts */
	BCHECK(find(fd, "tcp_connect") == 9, "tcp_connect is [9], the first that names "
	      "the string at its own start: %d", find(fd, "tcp_connect"));
	BCHECK(find(fd, "xtcp_connect") == 7, "xtcp_connect is [7]");
	BCHECK(find(fd, "tcp_connec") == -1, "a prefix is not a name");
	BCHECK(find(fd, "s") == -1, "a struct is not a function");
	BCHECK(find(fd, "int") == -1, "an int is not a function");
	close(fd);

	fd = btf_file(&t, &s, 0x9FEB, 0);
	BCHECK(find(fd, "foo") == -1, "the other byte order: refused");
	close(fd);
	fd = btf_file(&t, &s, 0xeB9F, 5000);
	BCHECK(find(fd, "foo") == -1, "types running past the file: refused");
	close(fd);

	/* an unknown kind before the function: the scan can't step over it */
	t.n = 0;
	type_rec(&t, n_int, 31, 0, 4, 0);
	type_rec(&t, n_foo, 12, 0, 4, 0);
	fd = btf_file(&t, &s, 0xeB9F, 0);
	BCHECK(find(fd, "foo") == -1, "unknown kind: refused");
	close(fd);

	/* a name across the edge of the 64 KiB read window, and types past one too */
	s.n = 0;
	add_str(&s, "");
	memset(s.b + s.n, 'a', 65536 - 6);
	s.b[s.n + 65536 - 6] = 0;
	s.n += 65536 - 5;
	n_tc = add_str(&s, "tcp_connect");
	BCHECK(n_tc < 65536 && n_tc + 11 > 65536, "the name straddles 65536: %u", n_tc);
	t.n = 0;
	for (int i = 0; i < 6000; i++)		/* 6000 x 12 bytes: past 65536 */
		type_rec(&t, 0, 2, 0, 1, 0);
	type_rec(&t, n_tc, 12, 0, 4, 0);
	fd = btf_file(&t, &s, 0xeB9F, 0);
	BCHECK(find(fd, "tcp_connect") == 6001, "across the window edges: [6001], got %d",
	      find(fd, "tcp_connect"));
	close(fd);
}
#undef BCHECK

/* name asked with another at once (st_btf_find_funcs()), the other found or not */
static int find_with_another(int fd, const char *name)
{
	const char *const names[] = { "xtcp_connect", name, "absent" };
	int ids[3];

	int err = st_btf_find_funcs(fd, names, ids, 3);

	return err == 1 ? st_btf_find_func_read(fd, name) : err ? -1 : ids[1];
}

void test_btfscan(void)
{
	btfscan_checks(st_btf_find_func, "mapped");
	btfscan_checks(st_btf_find_func_read, "read");
	btfscan_checks(find_with_another, "several");
}
