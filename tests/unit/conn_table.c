// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests: the open-connections table (conn_table.c) and the state names. */
#include <netinet/in.h>
#include "conn_table.h"
#include "tcp_states.h"
#include "unit.h"

static struct st_event ev(__u8 type, __u64 cookie, __u32 pid, __u16 lport, __u16 rport)
{
	struct st_event e = {
		.ts_ns = cookie * 1000, .cookie = cookie, .pid = pid, .type = type,
		.proto = IPPROTO_TCP, .family = 4, .lport = lport, .rport = rport,
	};

	e.laddr[0] = 127, e.laddr[3] = 1;
	e.raddr[0] = 127, e.raddr[3] = 2;
	memcpy(e.comm, "st-client", 9);
	return e;
}

static struct st_event existing(__u8 type, __u64 cookie, __u32 pid, __u8 state)
{
	struct st_event e = ev(type, cookie, pid, 5000, 6000);

	e.flags = ST_EVF_EXISTING;
	e.state = state;
	return e;
}

static void feed(struct st_conn_table *t, struct st_event e)
{
	st_conn_table_event(t, &e);
}

static void test_opens_and_ends(void)
{
	struct st_conn_table *t = st_conn_table_new(0, 0);
	const struct st_conn_proc *p;
	const struct st_conn_end *x;
	struct st_conn list[4];
	struct st_event udp = ev(ST_EV_UDP, 9, 100, 53, 53);

	feed(t, ev(ST_EV_CONNECT, 1, 100, 40001, 80));
	feed(t, ev(ST_EV_CONNECT, 2, 100, 40002, 80));
	feed(t, ev(ST_EV_ACCEPT, 3, 200, 80, 40003));
	feed(t, ev(ST_EV_LISTEN, 4, 200, 80, 0));	/* live: not held */
	udp.proto = IPPROTO_UDP;
	st_conn_table_event(t, &udp);			/* UDP: not held */
	p = st_conn_proc(t, 100);
	CHECK(p && p->open == 2 && p->existing == 0, "pid 100 holds 2: %u", p ? p->open : 0);
	p = st_conn_proc(t, 200);
	CHECK(p && p->open == 1 && p->listeners == 0, "pid 200 holds 1 accept, no listener");
	CHECK(st_conn_count(t) == 3, "3 held, got %zu", st_conn_count(t));
	CHECK(st_conn_list(t, 100, list, 4) == 2 && list[0].cookie == 1 && list[1].cookie == 2 &&
	      list[0].lport == 40001 && list[0].rport == 80 && list[0].raddr[3] == 2 &&
	      list[0].type == ST_EV_CONNECT, "pid 100's list, oldest first");

	/* a close takes it away and is kept as a recent end; a fail too */
	struct st_event c = ev(ST_EV_CLOSE, 1, 100, 40001, 80);

	c.tx_bytes = 11, c.rx_bytes = 22, c.duration_ns = 33;
	st_conn_table_event(t, &c);
	struct st_event f = ev(ST_EV_FAIL, 2, 100, 40002, 80);

	f.reason = 111;
	st_conn_table_event(t, &f);
	p = st_conn_proc(t, 100);
	CHECK(p && p->open == 0 && p->ends == 2, "pid 100: nothing open, 2 ends");
	x = st_conn_recent(p, 0);
	CHECK(x && x->type == ST_EV_FAIL && x->reason == 111 && x->lport == 40002,
	      "the newest end is the fail");
	x = st_conn_recent(p, 1);
	CHECK(x && x->type == ST_EV_CLOSE && x->tx_bytes == 11 && x->rx_bytes == 22 &&
	      x->duration_ns == 33, "then the close, with its bytes");
	CHECK(!st_conn_recent(p, 2), "only 2 ends");
	CHECK(st_conn_list(t, 100, list, 4) == 0, "pid 100 lists nothing");
	CHECK(st_conn_table_stats(t)->unmatched == 0, "every end matched");

	/* a close of a connection never seen open is counted, not hidden */
	feed(t, ev(ST_EV_CLOSE, 77, 100, 1, 2));
	CHECK(st_conn_table_stats(t)->unmatched == 1, "an unmatched close counted");
	/* an open whose cookie is still held: the old one's close was not seen */
	feed(t, ev(ST_EV_ACCEPT, 3, 200, 80, 40099));
	CHECK(st_conn_table_stats(t)->replaced == 1 && st_conn_proc(t, 200)->open == 1,
	      "a reused cookie replaces, counted");
	st_conn_table_free(t);
}

static void test_existing(void)
{
	struct st_conn_table *t = st_conn_table_new(0, 0);
	const struct st_conn_proc *p;

	feed(t, existing(ST_EV_CONNECT, 1, 300, 1));	/* ESTAB */
	feed(t, existing(ST_EV_ACCEPT, 2, 300, 8));	/* CLOSE-WAIT */
	feed(t, existing(ST_EV_ACCEPT, 3, 300, 8));
	feed(t, existing(ST_EV_LISTEN, 4, 300, 10));	/* LISTEN: held, apart */
	feed(t, ev(ST_EV_CONNECT, 5, 300, 1, 2));	/* a live one */
	p = st_conn_proc(t, 300);
	CHECK(p && p->open == 4 && p->existing == 3 && p->listeners == 1, "4 open, 3 existing");
	CHECK(p && p->states[1] == 1 && p->states[8] == 2 && p->states[10] == 1,
	      "by state: 1 ESTAB, 2 CLOSE-WAIT, 1 LISTEN");
	feed(t, ev(ST_EV_CLOSE, 2, 300, 1, 2));
	feed(t, ev(ST_EV_CLOSE, 4, 300, 1, 2));
	p = st_conn_proc(t, 300);
	CHECK(p && p->open == 3 && p->existing == 2 && p->states[8] == 1 && p->listeners == 0 &&
	      p->states[10] == 0, "their closes take them from their state");
	st_conn_table_free(t);
}

static void test_bounds(void)
{
	struct st_conn_table *t = st_conn_table_new(4, 2);
	const struct st_conn_stats *s = st_conn_table_stats(t);
	struct st_conn list[8];
	size_t n;

	for (__u64 c = 1; c <= 6; c++)
		feed(t, ev(ST_EV_CONNECT, c, 100, (__u16)(40000 + c), 80));
	n = st_conn_list(t, 100, list, 8);
	CHECK(n == 4 && list[0].cookie == 3 && list[3].cookie == 6, "the oldest 2 made room");
	CHECK(s->evicted == 2 && st_conn_proc(t, 100)->open == 4, "2 evictions counted, 4 open");

	/* two process slots: 100 holds connections, 200 holds none after its close */
	feed(t, ev(ST_EV_ACCEPT, 10, 200, 80, 1));
	feed(t, ev(ST_EV_CLOSE, 10, 200, 80, 1));
	feed(t, ev(ST_EV_CONNECT, 11, 300, 1, 80));	/* 200 makes room */
	CHECK(s->procs_evicted == 1 && !st_conn_proc(t, 200) && st_conn_proc(t, 300),
	      "a process holding nothing made room");
	feed(t, ev(ST_EV_CONNECT, 12, 400, 1, 80));	/* both hold: no room */
	CHECK(s->untracked == 1 && !st_conn_proc(t, 400), "an open with no process slot counted");
	feed(t, ev(ST_EV_CLOSE, 99, 500, 1, 80));
	CHECK(s->ends_lost == 1 && s->unmatched == 1, "an end with no process slot counted");

	/* the ring keeps the newest ST_CONN_RECENT ends */
	for (__u64 c = 3; c <= 6; c++)
		feed(t, ev(ST_EV_CLOSE, c, 100, (__u16)(40000 + c), 80));
	for (__u64 c = 20; c < 26; c++)
		feed(t, ev(ST_EV_CLOSE, c, 100, (__u16)(50000 + c), 80));
	const struct st_conn_proc *p = st_conn_proc(t, 100);

	CHECK(p->ends == 10 && st_conn_recent(p, 0)->lport == 50025 &&
	      st_conn_recent(p, ST_CONN_RECENT - 1)->lport == 40005 &&
	      !st_conn_recent(p, ST_CONN_RECENT), "the ring holds the newest 8 of 10");
	st_conn_table_free(t);
}

void test_conn_table(void)
{
	test_opens_and_ends();
	test_existing();
	test_bounds();
	CHECK_STR(st_state_name(IPPROTO_TCP, 1), "ESTAB");
	CHECK_STR(st_state_name(IPPROTO_TCP, 8), "CLOSE-WAIT");
	CHECK_STR(st_state_name(IPPROTO_TCP, 10), "LISTEN");
	CHECK_STR(st_state_name(IPPROTO_TCP, 0), "?");
	CHECK_STR(st_state_name(IPPROTO_TCP, 13), "?");
}
