// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* st-live scenarios: local peers, the two ends of a connection in two network namespaces */
#include <stdio.h>
#include <string.h>
#include "peer_check.h"
#include "shorthand.h"
#include "veth.h"

/* a client in the far namespace, across the veth pair: sends t bytes, reads r */
#define FARCLI(ip, p, t, r) \
	{ .kind = TCP_CLIENT, .family = AF_INET, .addr = ip, .port = p, .comm = "st-far-client", \
	  .tx = t, .rx = r, .far = true }

/* the open of the other end of e's connection (its tuple mirrored), or NULL */
static const struct ev *other_open(const struct evset *got, const struct ev *e)
{
	for (int j = 0; j < got->n; j++) {
		const struct ev *o = &got->e[j];

		if ((!strcmp(o->event, "connect") || !strcmp(o->event, "accept")) &&
		    o->family == e->family && o->lport == e->rport && o->rport == e->lport &&
		    !strcmp(o->laddr, e->raddr) && !strcmp(o->raddr, e->laddr))
			return o;
	}
	return NULL;
}

/*
 * Every accept names its client, and every close the other end, whatever
 * the order the events were streamed in (check_peers() checks the order's
 * rules on every scenario): the ends are both here, no NAT between them.
 */
static int every_end_named(const struct evset *got, char *why, size_t len)
{
	int named = 0;

	for (int i = 0; i < got->n; i++) {
		const struct ev *e = &got->e[i], *o;
		char a[256];

		if (strcmp(e->proto, "tcp") || (strcmp(e->event, "accept") && strcmp(e->event, "close")))
			continue;
		o = other_open(got, e);
		if (!o) {
			ev_str(e, a, sizeof(a));
			snprintf(why, len, "%s: the other end's open is missing", a);
			return -1;
		}
		if (!peer_named(e, o))
			return peer_wrong(e, o, why, len);
		named++;
	}
	if (named != 9) {	/* 3 accepts, 6 closes */
		snprintf(why, len, "%d accepts and closes named their peer, expected 9", named);
		return -1;
	}
	return 0;
}

const struct scenario sc_peers_veth = {
	.name = "peers_veth",
	.what = "server on " VETH_NEAR ":12000, 3 clients in another network namespace joined by a "
		"veth pair (no NAT), 1000 bytes up and 2500 down each: each accept and close "
		"names the other end",
	.veth = true,
	.actors = { SRVB(AF_INET, VETH_NEAR, 12000, 3, 2500, 1000),
		    FARCLI(VETH_NEAR, 12000, 1000, 2500), FARCLI(VETH_NEAR, 12000, 1000, 2500),
		    FARCLI(VETH_NEAR, 12000, 1000, 2500) },
	.check = every_end_named,
};
