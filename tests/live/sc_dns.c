// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * st-live scenarios: DNS answers (README, "DNS answers: -e dns"). A server of
 * the scenario's own on 127.0.0.1:53 (or [::1]:53) in its network namespace
 * (actors_dns.c, actors_dns_tcp.c) answers raw queries a client sends on a
 * connected UDP socket, or on a TCP connection; the answers are dns events on
 * the asking process, and name what it connects to next.
 */
#include <string.h>
#include "dns_zone.h"
#include "shorthand.h"

/* a server of kind k (DNS_SERVER: UDP, DNS_TCP_SERVER) on ip:53, n queries answered */
#define DNS_SRV_AT(k, fam, ip, n) \
	{ .kind = k, .family = fam, .addr = ip, .port = 53, .count = n, .comm = "st-dns-srv" }
/*
 * A client of kind k (DNS_CLIENT: UDP, DNS_TCP_CLIENT) of ip:53 asking the
 * zone's first n names (on IPv6 A and AAAA each); then, port p not 0,
 * connecting to the first one's answer of its family.
 */
#define DNS_CLI_OF(k, fam, ip, n, p) \
	{ .kind = k, .family = fam, .addr = ip, .port = 53, .count = n, .port2 = p, \
	  .comm = "st-dns-cli" }
#define DNS_SRV(n) DNS_SRV_AT(DNS_SERVER, AF_INET, DNS_SERVER_ADDR, n)
#define DNS_CLI(n, p) DNS_CLI_OF(DNS_CLIENT, AF_INET, DNS_SERVER_ADDR, n, p)

const struct scenario sc_dns_events = {
	.name = "dns_events",
	.what = "-e dns: an A answer, an NXDOMAIN, a name to escape: 3 dns events, exact",
	.actors = { DNS_SRV(DNS_ZONE_NAMES), DNS_CLI(DNS_ZONE_NAMES, 0) },
	.extra = { "-e", "dns" },
};

/* the answers name the TCP events; the dns events themselves are not shown */
static bool keep_tcp(const struct ev *e, const struct actor_run *run)
{
	(void)run;
	return strcmp(e->event, "dns") != 0;
}

static const struct filter names_only = { { "--names", "-e", "connect,accept,close,listen" },
					  keep_tcp };

const struct scenario sc_dns_rname = {
	.name = "dns_rname",
	.what = "--names: the connect to an answered address carries the asked name",
	.actors = { DNS_SRV(1), SRV(AF_INET, DNS_ANSWER_ADDR, 9200, 1), DNS_CLI(1, 9200) },
	.filter = &names_only,
};

/* the dns events and the TCP ones they name, both shown */
#define DNS_AND_TCP { "-e", "dns,connect,accept,close,listen" }
/*
 * A server of kind sk on ip:53 answering n queries, a listener on the
 * answered address ans, port 9200, and a client of kind ck asking the first
 * m names, then connecting there; over IPv4 or IPv6 (the zone's addresses).
 */
#define DNS_NAMED(sk, ck, fam, ip, ans, n, m) \
	{ DNS_SRV_AT(sk, fam, ip, n), SRV(fam, ans, 9200, 1), DNS_CLI_OF(ck, fam, ip, m, 9200) }
#define DNS_NAMED4(sk, ck, n, m) DNS_NAMED(sk, ck, AF_INET, DNS_SERVER_ADDR, DNS_ANSWER_ADDR, n, m)
#define DNS_NAMED6(sk, ck, n, m) \
	DNS_NAMED(sk, ck, AF_INET6, DNS_SERVER_ADDR6, DNS_ANSWER_ADDR6, n, m)

const struct scenario sc_dns_tcp = {
	.name = "dns_tcp",
	.what = "DNS over TCP: 2 answers on one connection, dns events with no latency; rname",
	.actors = DNS_NAMED4(DNS_TCP_SERVER, DNS_TCP_CLIENT, 2, 2),
	.extra = DNS_AND_TCP,
};

/* 2 names, each asked A and AAAA: 4 queries */
const struct scenario sc_dns_ipv6 = {
	.name = "dns_ipv6",
	.what = "DNS over IPv6: A and AAAA answers from [::1]:53; rname on the connect to the AAAA",
	.actors = DNS_NAMED6(DNS_SERVER, DNS_CLIENT, 4, 2),
	.extra = DNS_AND_TCP,
};
