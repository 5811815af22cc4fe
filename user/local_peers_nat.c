// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A connect whose destination was rewritten (DNAT) pairs with its accept
 * under the real destination; its close and fail carry only the asked one,
 * so the real one is remembered by the client socket's cookie until then.
 */
#include <string.h>
#include "local_peers_int.h"

static struct nat_alias *nat_slot(struct st_local_peers *t, __u64 cookie)
{
	__u64 h = (cookie ^ (cookie >> 29)) * 0xbf58476d1ce4e5b9ULL;

	return &t->nat[(h ^ (h >> 32)) & (NAT_ALIASES - 1)];
}

/* *real: e with the remote end addr, port */
static const struct st_event *with_remote(const struct st_event *e, struct st_event *real,
					  const __u8 *addr, __u16 port)
{
	*real = *e;
	real->rport = port;
	memcpy(real->raddr, addr, 16);
	return real;
}

const struct st_event *lp_real_destination(struct st_local_peers *t, const struct st_event *e,
					   struct st_event *real)
{
	struct nat_alias *a = nat_slot(t, e->cookie);

	if (e->type == ST_EV_CONNECT && (e->flags & ST_EVF_NAT)) {
		a->cookie = e->cookie;
		a->lport = e->lport;
		a->rport = e->nat_rport;
		memcpy(a->raddr, e->nat_raddr, 16);
		return with_remote(e, real, e->nat_raddr, e->nat_rport);
	}
	if ((e->type == ST_EV_CLOSE || e->type == ST_EV_FAIL) && a->cookie == e->cookie &&
	    a->lport == e->lport) {
		a->cookie = 0;	/* its last event */
		return with_remote(e, real, a->raddr, a->rport);
	}
	return e;
}

