// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Unit tests for the strict parsers, the command line, address formatting,
 * escaping and the JSON printer. No privilege needed: golden strings only.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include "addr.h"
#include "cli.h"
#include "escape.h"
#include "event_kinds.h"
#include "format.h"
#include "json.h"
#include "parse.h"
#include "btfscan.h"
#include "../tests/jsonl.h"

static int passed, failed;

#define CHECK(cond, ...)                                                   \
	do {                                                               \
		if (cond) {                                                \
			passed++;                                          \
		} else {                                                   \
			failed++;                                          \
			printf("FAIL %s:%d: ", __FILE__, __LINE__);        \
			printf(__VA_ARGS__);                               \
			printf("\n");                                      \
		}                                                          \
	} while (0)

#define CHECK_STR(got, want) \
	CHECK(!strcmp((got), (want)), "expected \"%s\", got \"%s\"", (want), (got))

static void test_uint(void)
{
	unsigned long long v = 0;
	char err[200];

	CHECK(st_parse_uint("65535", 1, 65535, &v, "port", err, sizeof(err)) == 0 && v == 65535,
	      "65535");
	CHECK(st_parse_uint("70000", 1, 65535, &v, "port", err, sizeof(err)) == -1, "70000");
	CHECK_STR(err, "invalid port '70000': must be 1-65535");
	CHECK(st_parse_uint("0", 1, 65535, &v, "port", err, sizeof(err)) == -1, "0");
	CHECK(st_parse_uint("abc", 1, 65535, &v, "pid", err, sizeof(err)) == -1, "abc");
	CHECK_STR(err, "invalid pid 'abc': not a decimal number");
	CHECK(st_parse_uint("", 1, 9, &v, "pid", err, sizeof(err)) == -1, "empty");
	CHECK_STR(err, "empty pid");
	CHECK(st_parse_uint("+5", 1, 9, &v, "x", err, sizeof(err)) == -1, "+5");
	CHECK(st_parse_uint(" 5", 1, 9, &v, "x", err, sizeof(err)) == -1, "space");
	CHECK(st_parse_uint("0x10", 1, 99, &v, "x", err, sizeof(err)) == -1, "hex");
	CHECK(st_parse_uint("99999999999999999999999", 1, ~0ULL, &v, "x", err, sizeof(err)) == -1,
	      "overflow");
	CHECK(st_parse_uint("18446744073709551615", 1, ~0ULL, &v, "x", err, sizeof(err)) == 0 &&
	      v == ~0ULL, "u64 max");
	CHECK(st_parse_uint("18446744073709551616", 1, ~0ULL, &v, "x", err, sizeof(err)) == -1,
	      "u64 max + 1");
}

static void test_ports(void)
{
	struct st_port_range r[ST_MAX_PORTS];
	char err[200];
	int n = 0;

	CHECK(st_parse_ports("80,443,8000-8080", r, ST_MAX_PORTS, &n, err, sizeof(err)) == 0 &&
	      n == 3 && r[0].lo == 80 && r[0].hi == 80 && r[1].lo == 443 && r[2].lo == 8000 &&
	      r[2].hi == 8080, "list with a range");
	CHECK(st_parse_ports("1-65535", r, ST_MAX_PORTS, &n, err, sizeof(err)) == 0 && n == 1 &&
	      r[0].lo == 1 && r[0].hi == 65535, "full range");
	CHECK(st_parse_ports("8080-8000", r, ST_MAX_PORTS, &n, err, sizeof(err)) == -1, "backwards");
	CHECK_STR(err, "invalid port range '8080-8000': 8080 > 8000");
	CHECK(st_parse_ports("80,,443", r, ST_MAX_PORTS, &n, err, sizeof(err)) == -1, "empty item");
	CHECK_STR(err, "empty item in port list '80,,443'");
	CHECK(st_parse_ports("", r, ST_MAX_PORTS, &n, err, sizeof(err)) == -1, "empty list");
	CHECK_STR(err, "empty port list");
	CHECK(st_parse_ports("80,", r, ST_MAX_PORTS, &n, err, sizeof(err)) == -1, "trailing comma");
	CHECK(st_parse_ports("70000", r, ST_MAX_PORTS, &n, err, sizeof(err)) == -1, "70000");
	CHECK_STR(err, "invalid port '70000': must be 1-65535");
	CHECK(st_parse_ports("1-", r, ST_MAX_PORTS, &n, err, sizeof(err)) == -1, "open range");
	CHECK(st_parse_ports("-5", r, ST_MAX_PORTS, &n, err, sizeof(err)) == -1, "negative");
	CHECK(st_parse_ports("1-2-3", r, ST_MAX_PORTS, &n, err, sizeof(err)) == -1, "two dashes");
	CHECK(st_parse_ports("1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17", r, ST_MAX_PORTS, &n, err,
			     sizeof(err)) == -1, "17 entries");
	CHECK_STR(err, "too many ports: at most 16 entries");
}

static void test_pids_events_size(void)
{
	__u32 pids[ST_MAX_PIDS], mask = 0;
	unsigned long long sz = 0;
	char err[200];
	int n = 0;

	CHECK(st_parse_pids("1,4194304", pids, ST_MAX_PIDS, &n, err, sizeof(err)) == 0 && n == 2 &&
	      pids[1] == 4194304, "pids");
	CHECK(st_parse_pids("4194305", pids, ST_MAX_PIDS, &n, err, sizeof(err)) == -1, "pid max");
	CHECK(st_parse_pids("12a", pids, ST_MAX_PIDS, &n, err, sizeof(err)) == -1, "12a");
	CHECK_STR(err, "invalid pid '12a': not a decimal number");
	CHECK(st_parse_events("connect,udp", &mask, err, sizeof(err)) == 0 &&
	      mask == (ST_EV_BIT(ST_EV_CONNECT) | ST_EV_BIT(ST_EV_UDP)), "events");
	CHECK(st_parse_events("connect,close,fail,listen", &mask, err, sizeof(err)) == 0 &&
	      mask == (ST_EV_BIT(ST_EV_CONNECT) | ST_EV_BIT(ST_EV_CLOSE) | ST_EV_BIT(ST_EV_FAIL) |
		       ST_EV_BIT(ST_EV_LISTEN)), "new events");
	CHECK(st_parse_events("connect,shutdown", &mask, err, sizeof(err)) == -1, "bad event");
	CHECK_STR(err, "unknown event 'shutdown': expected connect, accept, udp, close, fail or listen");
	CHECK(st_parse_size("64K", &sz, err, sizeof(err)) == 0 && sz == 65536, "64K");
	CHECK(st_parse_size("2M", &sz, err, sizeof(err)) == 0 && sz == 2 << 20, "2M");
	CHECK(st_parse_size("M", &sz, err, sizeof(err)) == -1, "bare suffix");
}

/* run the command line parser on a string of words */
static enum st_cli_result cli(const char *line, struct st_opts *o, char *err, size_t len)
{
	char buf[512], *argv[32];
	int argc = 0;
	FILE *devnull = fopen("/dev/null", "w");
	enum st_cli_result r;

	snprintf(buf, sizeof(buf), "socktrace %s", line);
	for (char *tok = strtok(buf, " "); tok && argc < 31; tok = strtok(NULL, " "))
		argv[argc++] = tok;
	argv[argc] = NULL;
	r = st_cli_parse(argc, argv, o, devnull, err, len);
	fclose(devnull);
	return r;
}

static void test_cli(void)
{
	static const struct {
		const char *args;
		const char *err;
	} bad[] = {
		{ "--port 70000", "invalid port '70000': must be 1-65535" },
		{ "-p abc", "invalid pid 'abc': not a decimal number" },
		{ "--pid", "option '--pid' needs a value (see --help)" },
		{ "--bogus", "unknown option '--bogus' (see --help)" },
		{ "-x", "unknown option '-x' (see --help)" },
		{ "-t -u", "--tcp and --udp together select nothing: give one or neither" },
		{ "-4 -6", "-4 and -6 together select nothing: give one or neither" },
		{ "-p 1 -p 2", "option --pid given twice" },
		{ "--backend bpf", "unknown backend 'bpf': expected fentry, kprobe, tracepoint or auto" },
		{ "-d 0", "invalid duration '0': must be 1-31536000" },
		{ "--buffer-size 5000", "invalid buffer size '5000': must be a power of two from 4K to 1024M" },
		{ "extra", "unexpected argument 'extra' (see --help)" },
		{ "-u -e connect", "--udp with --events lacking udp selects nothing" },
		{ "--probe -p 1", "--probe takes no filter or output option" },
		{ "--fail -e connect", "--fail and --events together: give one" },
		{ "--top --json", "--top is a view of its own: not with --summary or --json" },
		{ "-c 0123456789abcdef", "invalid process name '0123456789abcdef': 1 to 15 bytes" },
		{ "-U -1", "invalid uid '-1': not a decimal number" },
		{ "--summary=0", "invalid summary interval '0': must be 1-86400" },
		{ "--udp-idle 0", "invalid udp idle time '0': must be 1-86400" },
	};
	struct st_opts o;
	char err[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK(cli(bad[i].args, &o, err, sizeof(err)) == ST_CLI_USAGE, "'%s' accepted",
		      bad[i].args);
		CHECK_STR(err, bad[i].err);
	}
	CHECK(cli("-p 10,20 -P 443 -t -6 -j -d 5 -b tracepoint --buffer-size 64K", &o, err,
		  sizeof(err)) == ST_CLI_RUN, "good line: %s", err);
	CHECK(o.n_pids == 2 && o.pids[1] == 20 && o.n_ports == 1 && o.tcp && !o.udp && !o.v4 &&
	      o.v6 && o.json && o.duration_s == 5 && o.backend == ST_BACKEND_TRACEPOINT &&
	      o.buffer_size == 65536, "good line parsed");
	CHECK(cli("", &o, err, sizeof(err)) == ST_CLI_RUN && o.backend == ST_BACKEND_AUTO &&
	      o.tcp && o.udp && o.v4 && o.v6 && o.event_mask == 0x7e && o.uid == -1 &&
	      o.udp_idle_s == 60 && !o.summary && !o.top, "defaults");
	CHECK(cli("-s5 -c nginx -U 33", &o, err, sizeof(err)) == ST_CLI_RUN && o.summary &&
	      o.summary_every_s == 5 && !strcmp(o.comm, "nginx") && o.uid == 33, "-s5 -c -U: %s", err);
	CHECK(cli("--summary --fail", &o, err, sizeof(err)) == ST_CLI_RUN && o.summary &&
	      !o.summary_every_s && o.event_mask == ST_EV_BIT(ST_EV_FAIL), "--summary --fail");
	CHECK(cli("--help", &o, err, sizeof(err)) == ST_CLI_EXIT, "--help");
	CHECK(cli("-V", &o, err, sizeof(err)) == ST_CLI_EXIT, "-V");
}

static void test_format(void)
{
	char buf[ST_ADDR_LEN];
	__u8 a4[16] = { 127, 0, 0, 1 }, a6[16];

	inet_pton(AF_INET6, "2001:db8::1", a6);
	st_format_endpoint(buf, sizeof(buf), 4, a4, 12000);
	CHECK_STR(buf, "127.0.0.1:12000");
	st_format_endpoint(buf, sizeof(buf), 6, a6, 443);
	CHECK_STR(buf, "[2001:db8::1]:443");
	memset(a6, 0, sizeof(a6));
	a6[15] = 1;
	st_format_endpoint(buf, sizeof(buf), 6, a6, 1);
	CHECK_STR(buf, "[::1]:1");
}

static void test_escape(void)
{
	char out[ST_ESC_MAX(16)];
	const char evil[16] = "a\x1b[2J\"\\\xff\n\x7f";

	st_escape(out, sizeof(out), evil, sizeof(evil), ST_ESC_TEXT);
	CHECK_STR(out, "a\\x1b[2J\"\\\\\\xff\\x0a\\x7f");
	st_escape(out, sizeof(out), evil, sizeof(evil), ST_ESC_JSON);
	CHECK_STR(out, "a\\u001b[2J\\\"\\\\\\u00ff\\u000a\\u007f");
	/* 16 bytes without a NUL: all of them, and no more */
	st_escape(out, sizeof(out), "0123456789abcdefXYZ", 16, ST_ESC_TEXT);
	CHECK_STR(out, "0123456789abcdef");
	/* truncation never splits an escape */
	st_escape(out, 6, "ab\x01", 3, ST_ESC_TEXT);
	CHECK_STR(out, "ab");
}

static void test_event_printers(void)
{
	struct st_event e = {
		.ts_ns = 1000000000ULL, .cookie = 42, .cgroup = 7, .pid = 1234, .tid = 1235,
		.uid = 1000, .netns = 4026531840u, .type = ST_EV_CONNECT, .proto = 6, .family = 4,
		.lport = 54321, .rport = 12000, .laddr = { 127, 0, 0, 1 }, .raddr = { 127, 0, 0, 2 },
		.comm = "cu\"rl\x1b",
	};
	char *buf = NULL, err[160];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct jl_object o;

	st_print_json(f, &e, 1795000000LL * 1000000000LL);
	fclose(f);
	CHECK_STR(buf, "{\"ts\":1795000001000000000,\"event\":\"connect\",\"pid\":1234,\"tid\":1235,"
		       "\"uid\":1000,\"comm\":\"cu\\\"rl\\u001b\",\"proto\":\"tcp\",\"family\":4,"
		       "\"laddr\":\"127.0.0.1\",\"lport\":54321,\"raddr\":\"127.0.0.2\","
		       "\"rport\":12000,\"cookie\":42,\"netns\":4026531840,\"cgroup\":7}\n");
	CHECK(jl_parse(buf, &o, err, sizeof(err)) == 0, "strict parse: %s", err);
	CHECK(o.n == 15 && !strcmp(jl_get(&o, "comm")->str, "cu\"rl\x1b"), "comm round-trips");
	free(buf);

	/* text: the time is local; everything after it is fixed */
	buf = NULL;
	f = open_memstream(&buf, &len);
	e.family = 6;
	memset(e.laddr, 0, 16);
	e.laddr[15] = 1;
	memcpy(e.raddr, e.laddr, 16);
	e.type = ST_EV_ACCEPT;
	st_print_text(f, &e, 0);
	fclose(f);
	CHECK(strlen(buf) > 13, "text line");
	CHECK_STR(buf + 13, "1234    cu\"rl\\x1b        accept  tcp   [::1]:54321              "
			    "[::1]:12000\n");
	free(buf);

	/* a close: its duration and bytes; a late one: neither, and "late" says why */
	e.type = ST_EV_CLOSE;
	e.duration_ns = 2500000;
	e.tx_bytes = 10;
	e.rx_bytes = 20;
	for (int late = 0; late < 2; late++) {
		e.flags = late ? ST_EVF_LATE : 0;
		buf = NULL;
		f = open_memstream(&buf, &len);
		st_print_text(f, &e, 0);
		fclose(f);
		CHECK(strlen(buf) > 13, "close text line");
		CHECK_STR(buf + 13, late ?
			  "1234    cu\"rl\\x1b        close   tcp   [::1]:54321              "
			  "[::1]:12000              late: not seen as it happened\n" :
			  "1234    cu\"rl\\x1b        close   tcp   [::1]:54321              "
			  "[::1]:12000              2.500ms tx=10 rx=20\n");
		free(buf);
		buf = NULL;
		f = open_memstream(&buf, &len);
		st_print_json(f, &e, 0);
		fclose(f);
		CHECK(jl_parse(buf, &o, err, sizeof(err)) == 0, "close JSON: %s", err);
		CHECK(late ? jl_get(&o, "late") && jl_get(&o, "late")->type == JL_BOOL && !jl_get(&o, "duration_ns") && !jl_get(&o, "tx_bytes") :
			     !jl_get(&o, "late") && jl_get(&o, "duration_ns") &&
				     jl_get(&o, "duration_ns")->u == 2500000,
		      "close JSON (late=%d): %s", late, buf);
		free(buf);
	}
}

/* ---- btfscan: a hand-made BTF, written to a file ------------------------ */

struct bbuf {
	unsigned char b[200000];
	size_t n;
};

static void put32(struct bbuf *b, unsigned int v)
{
	memcpy(b->b + b->n, &v, 4);
	b->n += 4;
}

static void type_rec(struct bbuf *b, unsigned int name, unsigned int kind, unsigned int vlen,
		     unsigned int size_or_type, size_t extra)
{
	put32(b, name);
	put32(b, kind << 24 | vlen);
	put32(b, size_or_type);
	memset(b->b + b->n, 0, extra);
	b->n += extra;
}

/* header + types + strings in a temporary file; its fd */
static int btf_file(const struct bbuf *types, const struct bbuf *strs, unsigned short magic,
		    unsigned int type_len_delta)
{
	struct { unsigned short magic; unsigned char ver, flags; unsigned int hdr, toff, tlen, soff, slen; }
		h = { magic, 1, 0, 24, 0, (unsigned int)types->n + type_len_delta,
		      (unsigned int)types->n, (unsigned int)strs->n };
	FILE *f = tmpfile();

	fwrite(&h, sizeof(h), 1, f);
	fwrite(types->b, 1, types->n, f);
	fwrite(strs->b, 1, strs->n, f);
	fflush(f);
	return dup(fileno(f));	/* the file lives while the fd does */
}

static unsigned int add_str(struct bbuf *s, const char *str)
{
	unsigned int off = (unsigned int)s->n;

	memcpy(s->b + s->n, str, strlen(str) + 1);
	s->n += strlen(str) + 1;
	return off;
}

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

static void test_btfscan(void)
{
	btfscan_checks(st_btf_find_func, "mapped");
	btfscan_checks(st_btf_find_func_read, "read");
}

/* ---- btfscan: struct members from a hand-made BTF in memory ------------ */

/* header + types + strings in buf; the size */
static size_t btf_mem(unsigned char *buf, const struct bbuf *types, const struct bbuf *strs)
{
	struct { unsigned short magic; unsigned char ver, flags; unsigned int hdr, toff, tlen, soff, slen; }
		h = { 0xeB9F, 1, 0, 24, 0, (unsigned int)types->n, (unsigned int)types->n,
		      (unsigned int)strs->n };

	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), types->b, types->n);
	memcpy(buf + sizeof(h) + types->n, strs->b, strs->n);
	return sizeof(h) + types->n + strs->n;
}

/* a struct record with members (name, bit offset) that all have type [1] */
static void struct_rec(struct bbuf *t, unsigned int name, int kind_flag, int n,
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

static void test_btf_members(void)
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
static void test_btf_members_kernel(void)
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

/* the event-kind table, and the JSON writer's nesting, byte for byte */
static void test_kinds_json(void)
{
	char buf[256];
	size_t len = 0;
	char *mem = NULL;
	FILE *f = open_memstream(&mem, &len);
	struct st_json j;

	for (size_t i = 0; i < st_n_event_kinds; i++)
		CHECK(st_event_type(st_event_kinds[i].name, strlen(st_event_kinds[i].name)) ==
		      st_event_kinds[i].type && !strcmp(st_event_name(st_event_kinds[i].type),
							st_event_kinds[i].name), "kind %zu", i);
	CHECK(st_event_type("conn", 4) == 0, "a prefix is no kind");
	CHECK_STR(st_event_name(0), "?");
	CHECK_STR(st_event_name(ST_EV_MAX), "?");
	st_event_names(buf, sizeof(buf), ", ", " or ");
	CHECK_STR(buf, "connect, accept, udp, close, fail or listen");

	st_json_begin(&j, f);
	st_json_u64(&j, "a", 0);
	st_json_array(&j, "b");
	st_json_u64(&j, NULL, 1);
	st_json_str(&j, NULL, "x\"", 2);
	st_json_object(&j, NULL);
	st_json_bool(&j, "c", true);
	st_json_close(&j);
	st_json_close(&j);
	st_json_array(&j, "e");
	st_json_close(&j);
	st_json_object(&j, "o");
	st_json_bool(&j, "f", false);
	st_json_end(&j);	/* closes "o" too */
	fclose(f);
	CHECK_STR(mem, "{\"a\":0,\"b\":[1,\"x\\\"\",{\"c\":true}],\"e\":[],\"o\":{\"f\":false}}\n");
	free(mem);
}

int main(void)
{
	test_uint();
	test_ports();
	test_pids_events_size();
	test_cli();
	test_format();
	test_escape();
	test_event_printers();
	test_kinds_json();
	test_btfscan();
	test_btf_members();
	test_btf_members_kernel();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
