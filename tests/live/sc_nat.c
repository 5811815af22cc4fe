// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * st-live scenario: the real destination behind a DNAT (nat_rule.h). The
 * events compare as the processes saw them (the client's peer is the asked
 * address); this file's check adds what only socktrace knows: the connect's
 * nat_raddr/nat_rport, and the ends named to each other through the NAT,
 * where socktrace claims them (nat_seen()); elsewhere, none of either.
 */
#include <stdio.h>
#include <string.h>
#include "nat_rule.h"
#include "peer_check.h"
#include "shorthand.h"

#define NAT_CLI(n) \
	{ .kind = TCP_CLIENT, .family = AF_INET, .addr = NAT_ASKED, .port = NAT_ASKED_PORT, \
	  .comm = "st-nat-c", .tx = n, .rx = 0 }

/* a TCP event of one end of a connection made through the NAT */
static bool client_end(const struct ev *e)
{
	return e->rport == NAT_ASKED_PORT && !strcmp(e->raddr, NAT_ASKED);
}

/* the UDP flow sent through the NAT */
static bool udp_through(const struct ev *e)
{
	return !strcmp(e->proto, "udp") && e->rport == NAT_ASKED_UDP_PORT &&
	       !strcmp(e->raddr, NAT_ASKED);
}

static bool server_end(const struct ev *e)
{
	return e->lport == NAT_REAL_PORT && !strcmp(e->raddr, NAT_ASKED);
}

/* the open of the other end of e's connection: the client's port is the key */
static const struct ev *other_open(const struct evset *got, const struct ev *e)
{
	bool client = client_end(e);
	unsigned port = client ? e->lport : e->rport;

	for (int i = 0; i < got->n; i++) {
		const struct ev *o = &got->e[i];

		if (client && server_end(o) && !strcmp(o->event, "accept") && o->rport == port)
			return o;
		if (!client && client_end(o) && !strcmp(o->event, "connect") && o->lport == port)
			return o;
	}
	return NULL;
}

static int check_nat(const struct evset *got, char *why, size_t len)
{
	bool seen = nat_seen(live_backend);
	int connects = 0, flows = 0;
	char a[256];

	for (int i = 0; i < got->n; i++) {
		const struct ev *e = &got->e[i], *want = NULL;
		bool connect = !strcmp(e->event, "connect") && client_end(e);
		unsigned real = !seen ? 0 : connect ? NAT_REAL_PORT : udp_through(e) ? NAT_REAL_UDP_PORT : 0;

		ev_str(e, a, sizeof(a));
		connects += connect;
		flows += udp_through(e);
		if (real ? strcmp(e->nat_raddr, "127.0.0.1") || e->nat_rport != real
			 : e->nat_rport != 0) {
			snprintf(why, len, "%s: nat=%s:%u, expected %s%u (%s backend)", a,
				 e->nat_rport ? e->nat_raddr : "-", e->nat_rport,
				 real ? "127.0.0.1:" : "none ", real, live_backend);
			return -1;
		}
		if (strcmp(e->proto, "tcp") || !strcmp(e->event, "connect") ||
		    !(client_end(e) || server_end(e)))
			continue;
		if (seen && !(want = other_open(got, e))) {
			snprintf(why, len, "%s: the other end's open is missing", a);
			return -1;
		}
		if (!peer_named(e, want))
			return peer_wrong(e, want, why, len);
	}
	if (connects != 2 || flows != 1) {
		snprintf(why, len, "%d connects and %d UDP flows through the NAT, expected 2 and 1",
			 connects, flows);
		return -1;
	}
	return 0;
}

const struct scenario sc_nat_dnat = {
	.name = "nat_dnat",
	.what = "nft DNAT " NAT_ASKED ":80 -> 127.0.0.1:12000 and :5000/udp -> :12001, 2 clients "
		"through it, 1 straight, 1 UDP datagram: the connects carry nat=127.0.0.1:12000 and "
		"pair with their accepts, the flow nat=127.0.0.1:12001 (where conntrack has BTF)",
	.nat = true,
	.actors = { SRVB(AF_INET, "127.0.0.1", NAT_REAL_PORT, 3, 0, 5), NAT_CLI(5), NAT_CLI(5),
		    CLIB(AF_INET, "127.0.0.1", NAT_REAL_PORT, 5, 0),
		    UDPC(AF_INET, NAT_ASKED, NAT_ASKED_UDP_PORT, 1) },
	.check = check_nat,
};
