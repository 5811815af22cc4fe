// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Unit tests: each process's busiest remote endpoints (proc_peers.c), the
 * names its events carried for them (peer_names.c) and the two printers
 * (busiest_peers.c): golden strings.
 */
#include <stdlib.h>
#include "busiest_peers.h"
#include "json.h"
#include "peer_names.h"
#include "proc_peers.h"
#include "unit.h"

static const __u8 WWW[16] = { 10, 1, 2, 3 };
static const __u8 OTHER[16] = { 10, 1, 2, 4 };
static const __u8 CLIENT[16] = { 192, 0, 2, 9 };
static const __u8 V6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 7 };

static void add(struct st_proc_peers *p, __u32 pid, __u8 family, const __u8 *addr, __u16 port,
		__u64 sockets)
{
	struct st_peer_key k = { .pid = pid, .family = family, .port = port };

	memcpy(k.addr, addr, 16);
	CHECK(st_proc_peers_add(p, &k, sockets) == 0, "added");
}

/* the busiest_peers member of an object, as a line */
static char *json_of(struct st_proc_peers *p, const struct st_peer_names *names, __u32 pid)
{
	struct st_json j;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	st_json_begin(&j, f);
	st_busiest_json(&j, p, names, pid);
	st_json_end(&j);
	fclose(f);
	return buf;
}

static void test_peer_names(void)
{
	struct st_peer_names *t = st_peer_names_new(3);
	__u8 addr[16] = {};

	st_peer_names_note(t, 7, 4, WWW, "www.test");
	CHECK_STR(st_peer_names_get(t, 7, 4, WWW), "www.test");
	CHECK(!st_peer_names_get(t, 8, 4, WWW), "another process's events named nothing");
	CHECK(!st_peer_names_get(t, 7, 4, OTHER), "another address: no name");
	CHECK(!st_peer_names_get(t, 7, 6, WWW), "the same bytes as IPv6: no name");
	st_peer_names_note(t, 7, 4, WWW, "later.test");
	CHECK_STR(st_peer_names_get(t, 7, 4, WWW), "later.test");	/* the newest wins */
	st_peer_names_note(t, 7, 5, WWW, "x");
	CHECK(!st_peer_names_get(t, 7, 5, WWW), "no family 5");
	/* over all processes: the name their events carried, none when two differ */
	CHECK_STR(st_peer_names_any(t, 4, WWW), "later.test");
	CHECK(!st_peer_names_any(t, 4, OTHER) && !st_peer_names_any(t, 6, WWW), "not named");
	st_peer_names_note(t, 8, 4, OTHER, "o.test");
	CHECK_STR(st_peer_names_any(t, 4, OTHER), "o.test");
	st_peer_names_note(t, 7, 4, OTHER, "o.test");	/* another process, the same name */
	CHECK_STR(st_peer_names_any(t, 4, OTHER), "o.test");
	CHECK(st_peer_names_unkept(t) == 0, "3 pairs kept");
	st_peer_names_free(t);
	t = st_peer_names_new(3);
	st_peer_names_note(t, 7, 4, WWW, "a.test");
	st_peer_names_note(t, 8, 4, WWW, "b.test");	/* another namespace's answer, say */
	CHECK(!st_peer_names_any(t, 4, WWW), "two names: none");
	st_peer_names_free(t);
	t = st_peer_names_new(3);
	st_peer_names_note(t, 7, 4, WWW, "later.test");
	/* bounded: past cap (3) pairs a name is counted, not kept; those kept stay */
	for (__u8 i = 0; i < 4; i++) {
		addr[0] = i;
		st_peer_names_note(t, 9, 6, addr, "n.test");
	}
	CHECK(st_peer_names_unkept(t) == 2, "2 not kept, got %llu", st_peer_names_unkept(t));
	addr[0] = 1;
	CHECK_STR(st_peer_names_get(t, 9, 6, addr), "n.test");
	addr[0] = 2;
	CHECK(!st_peer_names_get(t, 9, 6, addr), "the pair past the bound has no name");
	st_peer_names_note(t, 9, 6, addr, "n.test");
	CHECK(st_peer_names_unkept(t) == 3, "again not kept");
	st_peer_names_note(t, 7, 4, WWW, "renamed.test");	/* a pair kept can be renamed */
	CHECK_STR(st_peer_names_get(t, 7, 4, WWW), "renamed.test");
	st_peer_names_free(t);
	CHECK(!st_peer_names_get(NULL, 7, 4, WWW) && !st_peer_names_unkept(NULL), "NULL: none");
}

static void test_proc_peers(void)
{
	struct st_proc_peers *p = st_proc_peers_new();
	struct st_peer_row r[4];

	add(p, 20, 4, OTHER, 80, 1);
	add(p, 10, 4, CLIENT, 0, 9);
	add(p, 20, 4, WWW, 8053, 3);
	add(p, 20, 6, V6, 443, 1);
	add(p, 30, 4, WWW, 8053, 5);
	CHECK(st_proc_peers_of(p, 20, r, 4) == 3, "pid 20 has 3");
	CHECK(r[0].count == 3 && r[0].k.port == 8053, "busiest first");
	/* of two as busy: IPv4 before IPv6 */
	CHECK(r[1].k.family == 4 && r[1].k.port == 80 && r[2].k.family == 6, "ties in order");
	CHECK(st_proc_peers_of(p, 20, r, 1) == 3 && r[0].count == 3, "one kept, 3 counted");
	CHECK(st_proc_peers_of(p, 10, r, 4) == 1 && r[0].count == 9, "pid 10: its own only");
	CHECK(st_proc_peers_of(p, 15, r, 4) == 0, "no such pid");
	add(p, 15, 4, WWW, 1, 1);	/* after a query: sorted again */
	CHECK(st_proc_peers_of(p, 15, r, 4) == 1, "added after a query");
	CHECK(st_proc_peers_of(NULL, 15, r, 4) == 0, "NULL: none");
	st_proc_peers_free(p);
}

static void test_busiest_text(void)
{
	struct st_proc_peers *p = st_proc_peers_new();
	struct st_peer_names *names = st_peer_names_new(0);
	char buf[ST_BUSIEST_TEXT_LEN], *line;

	add(p, 20, 4, WWW, 8053, 3);
	add(p, 20, 4, OTHER, 80, 1);
	add(p, 20, 6, V6, 443, 1);
	add(p, 10, 4, CLIENT, 0, 2);
	st_busiest_text(buf, sizeof(buf), p, names, 20, 8);
	CHECK_STR(buf, "3@10.1.2.3:8053,1@10.1.2.4:80,1@[2001:db8::7]:443");
	st_peer_names_note(names, 20, 4, WWW, "www.test");
	st_peer_names_note(names, 20, 6, V6, "six.test");
	st_peer_names_note(names, 30, 4, OTHER, "not.20s.test");	/* another process's */
	st_busiest_text(buf, sizeof(buf), p, names, 20, 8);
	CHECK_STR(buf, "3@www.test:8053,1@10.1.2.4:80,1@six.test:443");
	st_busiest_text(buf, sizeof(buf), p, names, 20, 1);
	CHECK_STR(buf, "3@www.test:8053,+2");
	st_busiest_text(buf, sizeof(buf), p, names, 10, 1);
	CHECK_STR(buf, "2@192.0.2.9:*");	/* accepted from it, any port */
	st_busiest_text(buf, sizeof(buf), p, names, 11, 1);
	CHECK_STR(buf, "-");
	/* one endpoint, as --top's list of the busiest over all processes shows it */
	{
		struct st_peer_row r = { .k = { .family = 6, .port = 0 }, .count = 2 };
		char ep[ST_BUSIEST_ENDPOINT_LEN];

		memcpy(r.k.addr, V6, 16);
		st_busiest_endpoint(ep, sizeof(ep), &r, NULL);
		CHECK_STR(ep, "[2001:db8::7]:*");
		st_busiest_endpoint(ep, sizeof(ep), &r, "six.test");
		CHECK_STR(ep, "six.test:*");
	}
	/* a stranger's name: escaped, and cut to 24 columns with a "~" */
	st_peer_names_note(names, 20, 4, WWW, "a\x1b[2J\\.test");
	st_busiest_text(buf, sizeof(buf), p, names, 20, 1);
	CHECK_STR(buf, "3@a\\x1b[2J\\\\.test:8053,+2");
	st_peer_names_note(names, 20, 4, WWW, "abcdefghij.abcdefghij.abcdefghij.test");
	st_busiest_text(buf, sizeof(buf), p, names, 20, 1);
	CHECK_STR(buf, "3@abcdefghij.abcdefghij.a~:8053,+2");
	st_peer_names_note(names, 20, 4, WWW, "abcdefghij.abcdefghij\x01xx");
	st_busiest_text(buf, sizeof(buf), p, names, 20, 1);
	CHECK_STR(buf, "3@abcdefghij.abcdefghij~:8053,+2");	/* never half an escape */
	/* JSON: every endpoint, rname when known, escaped */
	st_peer_names_note(names, 20, 4, WWW, "w\"w.test");
	line = json_of(p, names, 20);
	CHECK_STR(line, "{\"busiest_peers\":[{\"raddr\":\"10.1.2.3\",\"rport\":8053,\"sockets\":3,"
		  "\"rname\":\"w\\\"w.test\"},{\"raddr\":\"10.1.2.4\",\"rport\":80,\"sockets\":1},"
		  "{\"raddr\":\"2001:db8::7\",\"rport\":443,\"sockets\":1,\"rname\":\"six.test\"}]}\n");
	free(line);
	line = json_of(p, names, 11);
	CHECK_STR(line, "{\"busiest_peers\":[]}\n");
	free(line);
	/* past ST_BUSIEST_JSON_MAX: counted */
	for (__u16 port = 1; port <= ST_BUSIEST_JSON_MAX + 2; port++)
		add(p, 40, 4, OTHER, port, 1);
	line = json_of(p, names, 40);
	CHECK(line && strstr(line, "],\"busiest_peers_more\":2}\n"), "more counted: %s", line);
	free(line);
	st_peer_names_free(names);
	st_proc_peers_free(p);
}

void test_busiest_peers(void)
{
	test_peer_names();
	test_proc_peers();
	test_busiest_text();
}
