// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests: a dns event's printers (format_dns.c): the transport, and the latency only when the query was seen. */
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include "dns_parse.h"
#include "format_dns.h"
#include "unit.h"

/* an answer for tcp.test (A 10.5.5.5, TTL 60) from 127.0.0.1:53, asked by pid 42 */
static void answer(struct st_dns_event *e, struct st_dns_msg *m, __u8 proto, __u64 query_ns)
{
	const __u8 lo[4] = { 127, 0, 0, 1 }, a[4] = { 10, 5, 5, 5 };

	memset(e, 0, sizeof(*e));
	memset(m, 0, sizeof(*m));
	e->ts_ns = 3000000;
	e->q.ts_ns = query_ns;
	e->q.pid = e->q.tid = 42;
	e->q.netns = 7;
	memcpy(e->q.comm, "dig", 4);
	e->key.family = 4;
	e->key.proto = proto;
	e->key.lport = 40000;
	e->key.rport = 53;
	memcpy(e->key.raddr, lo, 4);
	memcpy(e->laddr, lo, 4);
	m->id = 7;
	m->response = 1;
	m->qtype = ST_DNS_T_A;
	snprintf(m->qname, sizeof(m->qname), "tcp.test");
	m->naddr = 1;
	m->addr[0].family = AF_INET;
	memcpy(m->addr[0].addr, a, 4);
	m->addr[0].ttl = 60;
}

static char *printed(bool json, const struct st_dns_event *e, const struct st_dns_msg *m)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (json)
		st_print_dns_json(f, e, m, 0);
	else
		st_print_dns_text(f, e, m, 0);
	fclose(f);
	return buf;
}

void test_format_dns(void)
{
	static struct st_dns_event e;
	static struct st_dns_msg m;
	char *s;

	answer(&e, &m, IPPROTO_TCP, 0);
	s = printed(true, &e, &m);
	CHECK_STR(s, "{\"ts\":3000000,\"event\":\"dns\",\"pid\":42,\"tid\":42,\"uid\":0,\"comm\":\"dig\","
		  "\"netns\":7,\"proto\":\"tcp\",\"family\":4,\"laddr\":\"127.0.0.1\",\"lport\":40000,"
		  "\"raddr\":\"127.0.0.1\",\"rport\":53,\"id\":7,\"qname\":\"tcp.test\",\"qtype\":\"A\","
		  "\"rcode\":\"NOERROR\",\"answers\":[{\"addr\":\"10.5.5.5\",\"ttl\":60}]}\n");
	free(s);
	s = printed(false, &e, &m);
	CHECK(s && strstr(s, " dns ") && strstr(s, " -             tcp NOERROR A tcp.test 10.5.5.5\n"),
	      "text: %s", s);
	free(s);
	/* over UDP, the query seen 1 ms before */
	answer(&e, &m, IPPROTO_UDP, 2000000);
	s = printed(true, &e, &m);
	CHECK(s && strstr(s, ",\"proto\":\"udp\",") && strstr(s, ",\"latency_ns\":1000000}\n"),
	      "json: %s", s);
	free(s);
	s = printed(false, &e, &m);
	CHECK(s && strstr(s, " -             NOERROR A tcp.test 10.5.5.5 1.000ms\n"),	/* UDP: said by none */
	      "text: %s", s);
	free(s);
}
