// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * st-live scenarios: DNS answers (README, "DNS answers: -e dns"). A server of
 * the scenario's own on 127.0.0.1:53 in its network namespace (actors_dns.c)
 * answers raw queries a client sends on a connected UDP socket; the answers
 * are dns events on the asking process, and name what it connects to next.
 */
#include <string.h>
#include "dns_zone.h"
#include "shorthand.h"

#define DNS_SRV(n) \
	{ .kind = DNS_SERVER, .family = AF_INET, .addr = DNS_SERVER_ADDR, .port = 53, .count = n, \
	  .comm = "st-dns-srv" }
/* asks the zone's first n names; then, port p not 0, connects to the first one's answer */
#define DNS_CLI(n, p) \
	{ .kind = DNS_CLIENT, .family = AF_INET, .addr = DNS_SERVER_ADDR, .port = 53, .count = n, \
	  .port2 = p, .comm = "st-dns-cli" }

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
