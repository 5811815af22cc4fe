// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests: the local peers table (local_peers.c): who is at the other end. */
#include <netinet/in.h>
#include <stdlib.h>
#include "format.h"
#include "local_peers.h"
#include "peer_counts.h"
#include "unit.h"

/* one end's view of a connection: its address and port, and the other's */
struct end {
	__u8 family;
	__u8 addr[16];		/* network byte order */
	__u16 port;		/* host byte order */
};

static struct end v4(__u8 a, __u8 b, __u8 c, __u8 d, __u16 port)
{
	struct end x = { .family = 4, .addr = { a, b, c, d }, .port = port };

	return x;
}

static struct end v6_loopback(__u16 port)
{
	struct end x = { .family = 6, .addr = { [15] = 1 }, .port = port };

	return x;
}

static struct st_event ev(__u8 type, __u64 cookie, __u32 pid, const char *comm,
			  struct end local, struct end remote)
{
	struct st_event e = {
		.ts_ns = 1000 + cookie, .cookie = cookie, .pid = pid, .type = type,
		.proto = IPPROTO_TCP, .family = local.family, .netns = 4026531840u,
		.lport = local.port, .rport = remote.port,
	};

	memcpy(e.laddr, local.addr, 16);
	memcpy(e.raddr, remote.addr, 16);
	memcpy(e.comm, comm, strnlen(comm, ST_COMM_LEN));
	return e;
}

static enum st_peer_found feed(struct st_local_peers *t, struct st_event e,
			       struct st_local_peer *p)
{
	memset(p, 0, sizeof(*p));
	return st_local_peers_event(t, &e, p);
}

#define CHECK_PEER(p, want_pid, want_comm)                                             \
	CHECK((p).pid == (want_pid) && !strncmp((p).comm, (want_comm), ST_COMM_LEN),    \
	      "peer %u/%.16s, want %u/%s", (p).pid, (p).comm, (want_pid), (want_comm))

/* connect, accept, both closes, in the order the given ends close */
static void one_connection(struct end client, struct end server, bool client_first)
{
	struct st_local_peers *t = st_local_peers_new(16);
	struct st_local_peer p;

	CHECK(feed(t, ev(ST_EV_CONNECT, 1, 100, "curl", client, server), &p) == ST_PEER_UNKNOWN,
	      "connect before its accept: no peer yet");
	CHECK(feed(t, ev(ST_EV_ACCEPT, 2, 200, "nginx", server, client), &p) == ST_PEER_PAIRED,
	      "accept: the mirrored tuple finds the connect");
	CHECK_PEER(p, 100, "curl");
	CHECK(st_local_peers_kept(t) == 1, "one connection kept");
	if (client_first) {
		CHECK(feed(t, ev(ST_EV_CLOSE, 1, 100, "curl", client, server), &p) == ST_PEER_KNOWN,
		      "client's close");
		CHECK_PEER(p, 200, "nginx");
		CHECK(st_local_peers_kept(t) == 1, "kept until the second close");
	}
	CHECK(feed(t, ev(ST_EV_CLOSE, 2, 200, "nginx", server, client), &p) == ST_PEER_KNOWN,
	      "server's close");
	CHECK_PEER(p, 100, "curl");
	if (!client_first) {
		CHECK(feed(t, ev(ST_EV_CLOSE, 1, 100, "curl", client, server), &p) == ST_PEER_KNOWN,
		      "client's close after the server's");
		CHECK_PEER(p, 200, "nginx");
	}
	CHECK(st_local_peers_kept(t) == 0, "both closed: dropped");
	CHECK(st_local_peers_evicted(t) == 0, "nothing evicted");
	st_local_peers_free(t);
}

/* the accept told before the connect (the snapshot's order): the connect and the closes pair */
static void test_accept_first(void)
{
	struct st_local_peers *t = st_local_peers_new(16);
	struct end c = v4(127, 0, 0, 1, 40000), s = v4(127, 0, 0, 1, 8080);
	struct st_local_peer p;

	CHECK(feed(t, ev(ST_EV_ACCEPT, 2, 200, "srv", s, c), &p) == ST_PEER_UNKNOWN, "alone");
	CHECK(feed(t, ev(ST_EV_CONNECT, 1, 100, "cli", c, s), &p) == ST_PEER_PAIRED, "pairs");
	CHECK_PEER(p, 200, "srv");
	CHECK(feed(t, ev(ST_EV_CLOSE, 2, 200, "srv", s, c), &p) == ST_PEER_KNOWN, "server close");
	CHECK_PEER(p, 100, "cli");
	CHECK(feed(t, ev(ST_EV_CLOSE, 1, 100, "cli", c, s), &p) == ST_PEER_KNOWN, "client close");
	CHECK_PEER(p, 200, "srv");
	CHECK(st_local_peers_kept(t) == 0, "dropped");
	st_local_peers_free(t);
}

/*
 * a close is looked up first on the side its local port was last seen on:
 * a client whose port has since accepted elsewhere, and a server whose port
 * has since connected elsewhere, are found on the other side all the same
 */
static void test_port_seen_on_other_side(void)
{
	struct st_local_peers *t = st_local_peers_new(16);
	struct end c = v4(127, 0, 0, 1, 5000), s = v4(127, 0, 0, 1, 6000);
	struct end s2 = v4(127, 0, 0, 2, 5000), c2 = v4(127, 0, 0, 3, 7000);
	struct end c3 = v4(127, 0, 0, 4, 6000), s3 = v4(127, 0, 0, 5, 80);
	struct st_local_peer p;

	CHECK(feed(t, ev(ST_EV_CONNECT, 1, 100, "cli", c, s), &p) == ST_PEER_UNKNOWN, "connect");
	CHECK(feed(t, ev(ST_EV_ACCEPT, 2, 200, "srv", s, c), &p) == ST_PEER_PAIRED, "accept");
	/* port 5000 accepts, port 6000 connects: each is now last seen on the other side */
	CHECK(feed(t, ev(ST_EV_ACCEPT, 3, 300, "srv2", s2, c2), &p) == ST_PEER_UNKNOWN, "5000 in");
	CHECK(feed(t, ev(ST_EV_CONNECT, 4, 400, "cli3", c3, s3), &p) == ST_PEER_UNKNOWN, "6000 out");
	CHECK(feed(t, ev(ST_EV_CLOSE, 1, 100, "cli", c, s), &p) == ST_PEER_KNOWN, "client close");
	CHECK_PEER(p, 200, "srv");
	CHECK(feed(t, ev(ST_EV_CLOSE, 2, 200, "srv", s, c), &p) == ST_PEER_KNOWN, "server close");
	CHECK_PEER(p, 100, "cli");
	CHECK(st_local_peers_kept(t) == 2, "only the two unpaired ends left");
	st_local_peers_free(t);
}

/* a remote client (no connect seen), a remote server (no accept), a failed connect */
static void test_unpaired(void)
{
	struct st_local_peers *t = st_local_peers_new(16);
	struct end me = v4(10, 0, 0, 1, 22), them = v4(192, 0, 2, 7, 51000);
	struct end out = v4(10, 0, 0, 1, 41000), far = v4(198, 51, 100, 1, 443);
	struct st_local_peer p;

	CHECK(feed(t, ev(ST_EV_ACCEPT, 1, 10, "sshd", me, them), &p) == ST_PEER_UNKNOWN, "remote");
	CHECK(feed(t, ev(ST_EV_CLOSE, 1, 10, "sshd", me, them), &p) == ST_PEER_UNKNOWN, "closed");
	CHECK(st_local_peers_kept(t) == 0, "a lone server's close: nothing more can come");
	CHECK(feed(t, ev(ST_EV_CONNECT, 2, 11, "curl", out, far), &p) == ST_PEER_UNKNOWN, "out");
	CHECK(feed(t, ev(ST_EV_FAIL, 2, 11, "curl", out, far), &p) == ST_PEER_UNKNOWN, "refused");
	CHECK(st_local_peers_kept(t) == 0, "a failed connect: no accept will come");
	/* the client gone before the server accepted: the late accept still pairs */
	CHECK(feed(t, ev(ST_EV_CONNECT, 3, 12, "cli", out, me), &p) == ST_PEER_UNKNOWN, "connect");
	CHECK(feed(t, ev(ST_EV_CLOSE, 3, 12, "cli", out, me), &p) == ST_PEER_UNKNOWN, "closed");
	CHECK(feed(t, ev(ST_EV_ACCEPT, 4, 10, "sshd", me, out), &p) == ST_PEER_PAIRED, "late accept");
	CHECK_PEER(p, 12, "cli");
	CHECK(feed(t, ev(ST_EV_CLOSE, 4, 10, "sshd", me, out), &p) == ST_PEER_KNOWN, "its close");
	CHECK_PEER(p, 12, "cli");
	CHECK(st_local_peers_kept(t) == 0, "both closed");
	/* a UDP flow is not a connection */
	struct st_event u = ev(ST_EV_UDP, 5, 13, "dig", out, far);

	u.proto = IPPROTO_UDP;
	CHECK(st_local_peers_event(t, &u, &p) == ST_PEER_UNKNOWN && !st_local_peers_kept(t), "udp");
	st_local_peers_free(t);
}

/* the same loopback tuple in two network namespaces: two connections, not one */
static void test_loopback_namespaces(void)
{
	struct st_local_peers *t = st_local_peers_new(16);
	struct end c = v4(127, 0, 0, 1, 40000), s = v4(127, 0, 0, 1, 80);
	struct st_event a = ev(ST_EV_CONNECT, 1, 100, "in-a", c, s);
	struct st_event b = ev(ST_EV_ACCEPT, 2, 200, "in-b", s, c);
	struct st_local_peer p;

	b.netns = a.netns + 1;
	CHECK(st_local_peers_event(t, &a, &p) == ST_PEER_UNKNOWN, "connect in one namespace");
	CHECK(st_local_peers_event(t, &b, &p) == ST_PEER_UNKNOWN, "accept in another: no pair");
	CHECK(st_local_peers_kept(t) == 2, "two connections");
	st_local_peers_free(t);
}

/* e with a NAT: the connect to asked really went to real */
static struct st_event natted(struct st_event e, struct end real)
{
	e.flags |= ST_EVF_NAT;
	memcpy(e.nat_raddr, real.addr, 16);
	e.nat_rport = real.port;
	return e;
}

/*
 * through a DNAT (192.0.2.10:80 to 127.0.0.1:8080): the accept is on the real
 * destination, and the client's close, which carries only the asked one, pairs too
 */
static void test_nat(void)
{
	struct st_local_peers *t = st_local_peers_new(16);
	struct end c = v4(192, 0, 2, 10, 40000), asked = v4(192, 0, 2, 10, 80);
	struct end real = v4(127, 0, 0, 1, 8080);
	struct st_local_peer p;

	CHECK(feed(t, natted(ev(ST_EV_CONNECT, 1, 100, "cli", c, asked), real), &p) ==
	      ST_PEER_UNKNOWN, "connect");
	CHECK(feed(t, ev(ST_EV_ACCEPT, 2, 200, "srv", real, c), &p) == ST_PEER_PAIRED,
	      "the accept on the real destination pairs");
	CHECK_PEER(p, 100, "cli");
	CHECK(feed(t, ev(ST_EV_CLOSE, 1, 100, "cli", c, asked), &p) == ST_PEER_KNOWN,
	      "the client's close, to the asked destination");
	CHECK_PEER(p, 200, "srv");
	CHECK(feed(t, ev(ST_EV_CLOSE, 2, 200, "srv", real, c), &p) == ST_PEER_KNOWN, "server's");
	CHECK_PEER(p, 100, "cli");
	CHECK(st_local_peers_kept(t) == 0, "both closed");
	/* refused through the NAT: no accept will come */
	CHECK(feed(t, natted(ev(ST_EV_CONNECT, 3, 101, "cli", c, asked), real), &p) ==
	      ST_PEER_UNKNOWN, "connect");
	CHECK(feed(t, ev(ST_EV_FAIL, 3, 101, "cli", c, asked), &p) == ST_PEER_UNKNOWN, "refused");
	CHECK(st_local_peers_kept(t) == 0, "its entry dropped");
	/* without the NAT known, the accept on the real destination is another connection */
	CHECK(feed(t, ev(ST_EV_CONNECT, 4, 102, "cli", c, asked), &p) == ST_PEER_UNKNOWN, "plain");
	CHECK(feed(t, ev(ST_EV_ACCEPT, 5, 200, "srv", real, c), &p) == ST_PEER_UNKNOWN,
	      "no pair claimed");
	st_local_peers_free(t);
}

/* a full table gives way, oldest first; an open connection lost is counted */
static void test_eviction(void)
{
	struct st_local_peers *t = st_local_peers_new(4);
	struct end s = v4(127, 0, 0, 1, 80);
	struct st_local_peer p;

	for (__u16 i = 0; i < 6; i++)
		feed(t, ev(ST_EV_CONNECT, 10 + i, 100 + i, "cli", v4(127, 0, 0, 1, 40000 + i), s),
		     &p);
	CHECK(st_local_peers_kept(t) == 4, "kept %u, want the capacity 4", st_local_peers_kept(t));
	CHECK(st_local_peers_evicted(t) == 2, "evicted %llu, want 2",
	      (unsigned long long)st_local_peers_evicted(t));
	CHECK(feed(t, ev(ST_EV_ACCEPT, 20, 9, "srv", s, v4(127, 0, 0, 1, 40000)), &p) ==
	      ST_PEER_UNKNOWN, "the oldest was evicted");
	CHECK(feed(t, ev(ST_EV_ACCEPT, 21, 9, "srv", s, v4(127, 0, 0, 1, 40005)), &p) ==
	      ST_PEER_PAIRED, "the newest is kept");
	CHECK_PEER(p, 105, "cli");
	CHECK(st_local_peers_kept(t) == 4, "still the capacity");
	st_local_peers_free(t);
}

/* many connections through a small table: every slot is findable after deletions */
static void test_churn(void)
{
	struct st_local_peers *t = st_local_peers_new(64);
	struct end s = v6_loopback(443);
	struct st_local_peer p;
	int paired = 0;

	for (__u16 i = 0; i < 2000; i++) {
		struct end c = v6_loopback(1024 + i);
		__u64 k = 100 + 4 * (__u64)i;

		feed(t, ev(ST_EV_CONNECT, k, 1, "c", c, s), &p);
		paired += feed(t, ev(ST_EV_ACCEPT, k + 1, 2, "s", s, c), &p) == ST_PEER_PAIRED;
		if (i % 3 == 0) {	/* some stay open a while */
			feed(t, ev(ST_EV_CLOSE, k, 1, "c", c, s), &p);
			feed(t, ev(ST_EV_CLOSE, k + 1, 2, "s", s, c), &p);
		}
	}
	CHECK(paired == 2000, "paired %d of 2000", paired);
	CHECK(st_local_peers_kept(t) <= 64, "bounded: %u", st_local_peers_kept(t));
	st_local_peers_free(t);
}

static struct st_local_peer who(__u32 pid, const char *comm)
{
	struct st_local_peer p = { .pid = pid };

	memcpy(p.comm, comm, strnlen(comm, ST_COMM_LEN));
	return p;
}

/* who talks to whom: both directions counted, the busiest first, text as the summary shows */
static void test_peer_counts(void)
{
	struct st_peer_counts *t = st_peer_counts_new();
	struct st_local_peer nginx = who(200, "nginx"), redis = who(300, "redis\x01");
	struct st_peer_count c[4];
	char buf[256];

	for (int i = 0; i < 3; i++)
		st_peer_counts_pair(t, 100, "curl", &nginx);
	st_peer_counts_pair(t, 100, "curl", &redis);
	CHECK(st_peer_counts_of(t, 100, c, 4) == 2, "curl talks to two");
	CHECK(c[0].peer.pid == 200 && c[0].connections == 3, "nginx first, 3 connections");
	CHECK(c[1].peer.pid == 300 && c[1].connections == 1, "redis second, 1");
	CHECK(st_peer_counts_of(t, 200, c, 4) == 1, "nginx talks to one");
	CHECK(c[0].peer.pid == 100 && c[0].connections == 3 && !strcmp(c[0].peer.comm, "curl"),
	      "the other direction, with the comm");
	st_peer_counts_text(buf, sizeof(buf), t, 100, 8);
	CHECK_STR(buf, "200/nginx:3,300/redis\\x01:1");
	st_peer_counts_text(buf, sizeof(buf), t, 100, 1);
	CHECK_STR(buf, "200/nginx:3,+1");
	st_peer_counts_text(buf, sizeof(buf), t, 999, 8);
	CHECK_STR(buf, "-");
	/* full: the pairs past the bound are counted, not kept */
	for (__u32 i = 0; i < ST_PEER_COUNTS_MAX; i++) {
		struct st_local_peer x = who(10000 + i, "x");

		st_peer_counts_pair(t, 5000, "y", &x);
	}
	CHECK(st_peer_counts_untracked(t) > 0, "untracked counted: %llu",
	      st_peer_counts_untracked(t));
	CHECK(st_peer_counts_of(t, 100, c, 4) == 2, "what was kept stays");
	st_peer_counts_free(t);
}

/* the printers: the peer's members only when known, its comm escaped as comm is */
static char *printed(bool json, const struct st_local_peer *peer)
{
	return unit_print_connect(json, &(struct st_enriched){ .peer = peer });
}

static void test_peer_printers(void)
{
	struct st_local_peer p = who(1234, "cu\"rl\x01\\");
	char *s;

	s = printed(true, &p);
	CHECK(strstr(s, ",\"cgroup\":0,\"peer_pid\":1234,\"peer_comm\":\"cu\\\"rl\\u0001\\\\\"}\n"),
	      "json: %s", s);
	free(s);
	s = printed(false, &p);
	CHECK(strstr(s, " peer=1234/cu\"rl\\x01\\\\\n") != NULL, "text: %s", s);
	free(s);
	s = printed(true, NULL);
	CHECK(!strstr(s, "peer_"), "json without a peer: %s", s);
	free(s);
	s = printed(false, NULL);
	CHECK(!strstr(s, "peer="), "text without a peer: %s", s);
	free(s);
}

void test_local_peers(void)
{
	one_connection(v4(127, 0, 0, 1, 40000), v4(127, 0, 0, 1, 8080), true);
	one_connection(v4(127, 0, 0, 1, 40001), v4(127, 0, 0, 1, 8080), false);
	/* two namespaces joined by a veth pair: different addresses, no NAT */
	one_connection(v4(10, 200, 0, 1, 50000), v4(10, 200, 0, 2, 8080), true);
	one_connection(v6_loopback(40002), v6_loopback(8443), false);
	test_accept_first();
	test_port_seen_on_other_side();
	test_unpaired();
	test_loopback_namespaces();
	test_nat();
	test_eviction();
	test_churn();
	test_peer_counts();
	test_peer_printers();
}
