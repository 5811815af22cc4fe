// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The two ends of a local connection told to each other: a connect and an
 * accept pair under one key, and each close names the other end.
 */
#include <string.h>
#include <netinet/in.h>
#include "local_peers_int.h"

/*
 * A client that closed before its server accepted (the connection waited in
 * the accept queue) is paired with the late accept; past this, its tuple may
 * be a new connection's (TIME-WAIT keeps a tuple from reuse about as long).
 */
#define LATE_ACCEPT_NS	(60ULL * 1000000000ULL)

static bool is_loopback(__u8 family, const __u8 *a)
{
	static const __u8 v6_loopback[16] = { [15] = 1 };

	return family == 4 ? a[0] == 127 : !memcmp(a, v6_loopback, 16);
}

/* the connection's key from an event of the given side */
static void key_of(const struct st_event *e, enum side s, struct conn_key *k)
{
	bool client = s == CLIENT;

	memset(k, 0, sizeof(*k));
	k->family = e->family;
	k->cport = client ? e->lport : e->rport;
	k->sport = client ? e->rport : e->lport;
	memcpy(k->caddr, client ? e->laddr : e->raddr, 16);
	memcpy(k->saddr, client ? e->raddr : e->laddr, 16);
	if (is_loopback(e->family, e->laddr) || is_loopback(e->family, e->raddr))
		k->netns = e->netns;
}

static void peer_of(const struct conn_end *x, struct st_local_peer *peer)
{
	peer->pid = x->pid;
	memcpy(peer->comm, x->comm, ST_COMM_LEN);
}

/* a connect (CLIENT) or an accept (SERVER), live or found by the snapshot */
static enum st_peer_found opened(struct st_local_peers *t, const struct st_event *e, enum side s,
				 struct st_local_peer *peer)
{
	struct conn_key k;
	struct conn *c;

	if (s == SERVER)
		t->server_port[e->lport / 64] |= 1ULL << (e->lport % 64);
	else
		t->server_port[e->lport / 64] &= ~(1ULL << (e->lport % 64));
	key_of(e, s, &k);
	c = lp_conn_find(t, &k);
	if (!c)
		c = lp_conn_add(t, &k);
	struct conn_end *me = &c->end[s], *other = &c->end[!s];
	/* the same socket told twice; a closed one's cookie may be a new socket's (its memory) */
	bool again = me->state == OPEN && me->cookie == e->cookie;

	if (me->state != NOT_SEEN && !again)
		memset(c->end, 0, sizeof(c->end));	/* an earlier connection's tuple */
	if (other->state == CLOSED && e->ts_ns - other->closed_ns > LATE_ACCEPT_NS)
		memset(other, 0, sizeof(*other));	/* long gone: another connection's */
	me->cookie = e->cookie;
	me->pid = e->pid;
	me->state = OPEN;
	memcpy(me->comm, e->comm, ST_COMM_LEN);
	if (other->state == NOT_SEEN)
		return ST_PEER_UNKNOWN;
	peer_of(other, peer);
	return again ? ST_PEER_KNOWN : ST_PEER_PAIRED;
}

/*
 * the conn and side an open socket's close (or failure) belongs to, by its
 * cookie. Both sides' keys are tried, the side its local port was last seen
 * on first: the other key is one more lookup in the table, a cache miss
 * most of the time.
 */
static struct conn *conn_of_socket(struct st_local_peers *t, const struct st_event *e,
				   enum side *s)
{
	enum side first = t->server_port[e->lport / 64] >> (e->lport % 64) & 1 ? SERVER : CLIENT;
	struct conn_key k;
	struct conn *c;

	for (int n = 0; n < 2; n++) {
		enum side i = n ? (enum side)!first : first;

		key_of(e, i, &k);
		c = lp_conn_find(t, &k);
		if (c && c->end[i].state == OPEN && c->end[i].cookie == e->cookie) {
			*s = i;
			return c;
		}
	}
	return NULL;
}

static enum st_peer_found closed(struct st_local_peers *t, const struct st_event *e,
				 struct st_local_peer *peer)
{
	enum side s;
	struct conn *c = conn_of_socket(t, e, &s);

	if (!c)
		return ST_PEER_UNKNOWN;
	struct conn_end *me = &c->end[s], *other = &c->end[!s];
	enum st_peer_found found = other->state == NOT_SEEN ? ST_PEER_UNKNOWN : ST_PEER_KNOWN;

	if (found == ST_PEER_KNOWN)
		peer_of(other, peer);
	me->state = CLOSED;
	me->closed_ns = e->ts_ns;
	/* a client alone waits for an accept that may come late; else nothing more can */
	if (other->state == CLOSED || (other->state == NOT_SEEN && s == SERVER))
		lp_conn_drop(t, c);
	return found;
}

/* a connect that failed: no accept will come */
static void failed(struct st_local_peers *t, const struct st_event *e)
{
	enum side s;
	struct conn *c = conn_of_socket(t, e, &s);

	if (c && s == CLIENT && c->end[SERVER].state == NOT_SEEN)
		lp_conn_drop(t, c);
}

enum st_peer_found st_local_peers_event(struct st_local_peers *t, const struct st_event *e,
					struct st_local_peer *peer)
{
	struct st_event real;

	if (!t || e->proto != IPPROTO_TCP || (e->family != 4 && e->family != 6))
		return ST_PEER_UNKNOWN;
	e = lp_real_destination(t, e, &real);
	switch (e->type) {
	case ST_EV_CONNECT:
		return opened(t, e, CLIENT, peer);
	case ST_EV_ACCEPT:
		return opened(t, e, SERVER, peer);
	case ST_EV_CLOSE:
		return closed(t, e, peer);
	case ST_EV_FAIL:
		failed(t, e);
		return ST_PEER_UNKNOWN;
	}
	return ST_PEER_UNKNOWN;
}
