// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include "local_peers.h"

/*
 * A connection is kept under its tuple as the connecting end sees it: the
 * client (who connected) and the server (who accepted). The accept's local
 * end is the connect's remote end, so an accept builds the same key from its
 * fields mirrored. Both ends of a loopback connection are in one network
 * namespace, and two namespaces may each have the same loopback tuple: for
 * those the namespace is part of the key. Across namespaces (a veth pair)
 * the two ends see different namespaces, and their addresses tell them apart.
 *
 * Byte order, as in struct st_event (include/socktrace.h): ports host order,
 * addresses network order (IPv4 in the first 4 bytes, the rest zero). The key
 * has no implicit padding: it is compared and hashed as bytes.
 */
struct conn_key {
	__u8  family;		/* 4 or 6 */
	__u8  pad;
	__u16 cport;		/* the client's port, host byte order */
	__u16 sport;		/* the server's port, host byte order */
	__u16 pad2;
	__u32 netns;		/* loopback connections only, else 0 */
	__u32 pad3;
	__u8  caddr[16];	/* the client's address, network byte order */
	__u8  saddr[16];	/* the server's address, network byte order */
};

enum side { CLIENT, SERVER };
enum side_state { NOT_SEEN, OPEN, CLOSED };

struct conn_end {
	__u64 cookie;		/* the socket, as its events name it */
	__u64 closed_ns;	/* CLOCK_MONOTONIC, when CLOSED */
	__u32 pid;
	__u8  state;		/* enum side_state */
	char  comm[ST_COMM_LEN];
};

struct conn {
	struct conn_key k;
	struct conn_end end[2];	/* by enum side */
	__u32 next_free;	/* index + 1 of the next free conn; 0: none */
};

/*
 * A connect whose destination was rewritten (DNAT) is kept under its real
 * destination, where the accept is; its close and fail carry only the asked
 * one, so the real one is remembered by the client socket's cookie until
 * then. Direct-mapped: a newer NATed connect whose cookie hashes to the same
 * slot takes it (that close then names no peer, never a wrong one).
 */
struct nat_alias {
	__u64 cookie;		/* the client's socket; 0: empty */
	__u16 lport;		/* its local port, host byte order: a reused cookie differs */
	__u16 rport;		/* the real destination's port, host byte order */
	__u8  raddr[16];	/* the real destination, network byte order */
};

#define NAT_ALIASES	16384	/* a power of two */

struct st_local_peers {
	struct nat_alias *nat;	/* NAT_ALIASES of them */
	struct conn *conns;	/* cap of them */
	__u32 cap;
	__u32 made;		/* conns handed out at least once: [0, made) */
	__u32 free_head;	/* index + 1 of a free conn; 0: none */
	__u32 hand;		/* the next to give way when all are used (oldest first, roughly) */
	__u32 kept;
	__u64 evicted;
	__u32 *slots;		/* open addressing, linear probing: index + 1 into conns; 0 empty */
	size_t mask;		/* slots - 1; slots a power of two, at least twice cap */
	/* a bit a local port (host byte order): last seen accepting (1) or connecting (0) */
	__u64 server_port[65536 / 64];
};

/*
 * A client that closed before its server accepted (the connection waited in
 * the accept queue) is paired with the late accept; past this, its tuple may
 * be a new connection's (TIME-WAIT keeps a tuple from reuse about as long).
 */
#define LATE_ACCEPT_NS	(60ULL * 1000000000ULL)

struct st_local_peers *st_local_peers_new(__u32 capacity)
{
	struct st_local_peers *t = calloc(1, sizeof(*t));
	size_t n_slots = 2;

	if (!t)
		return NULL;
	t->cap = capacity ? capacity : ST_LOCAL_PEERS_CAP;
	while (n_slots < 2 * (size_t)t->cap)
		n_slots <<= 1;
	t->mask = n_slots - 1;
	/* calloc: pages the table never reaches are never touched */
	t->conns = calloc(t->cap, sizeof(*t->conns));
	t->slots = calloc(n_slots, sizeof(*t->slots));
	t->nat = calloc(NAT_ALIASES, sizeof(*t->nat));
	if (!t->conns || !t->slots || !t->nat) {
		st_local_peers_free(t);
		return NULL;
	}
	return t;
}

void st_local_peers_free(struct st_local_peers *t)
{
	if (!t)
		return;
	free(t->conns);
	free(t->slots);
	free(t->nat);
	free(t);
}

__u32 st_local_peers_kept(const struct st_local_peers *t)
{
	return t ? t->kept : 0;
}

__u64 st_local_peers_evicted(const struct st_local_peers *t)
{
	return t ? t->evicted : 0;
}

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

/*
 * the key's six 64-bit words, each times an odd constant of its own, summed,
 * then mixed once (splitmix64's finalizer): the products do not wait on each
 * other, where a mix after each word made six dependent rounds
 */
static size_t hash_key(const struct conn_key *k)
{
	static const __u64 mul[6] = {
		0x9e3779b97f4a7c15ULL, 0xbf58476d1ce4e5b9ULL, 0x94d049bb133111ebULL,
		0xd6e8feb86659fd93ULL, 0xa0761d6478bd642fULL, 0xe7037ed1a0b428dbULL,
	};
	__u64 w[sizeof(*k) / 8], h = 0;

	_Static_assert(sizeof(*k) == sizeof(mul), "a constant a word of the key");

	memcpy(w, k, sizeof(w));
	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		h += w[i] * mul[i];
	h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
	h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
	return (size_t)(h ^ (h >> 31));
}

/* the slot holding k, or the empty slot where it would go */
static size_t slot_find(const struct st_local_peers *t, const struct conn_key *k)
{
	size_t i = hash_key(k) & t->mask;

	while (t->slots[i] && memcmp(&t->conns[t->slots[i] - 1].k, k, sizeof(*k)))
		i = (i + 1) & t->mask;
	return i;
}

/* empty slot i, moving back later entries of its run that may not sit past a hole */
static void slot_clear(struct st_local_peers *t, size_t i)
{
	size_t j = i;

	for (;;) {
		j = (j + 1) & t->mask;
		if (!t->slots[j])
			break;
		size_t home = hash_key(&t->conns[t->slots[j] - 1].k) & t->mask;
		/* j's entry may move to i unless its home lies cyclically in (i, j] */
		if (((j - home) & t->mask) >= ((j - i) & t->mask)) {
			t->slots[i] = t->slots[j];
			i = j;
		}
	}
	t->slots[i] = 0;
}

static void conn_drop(struct st_local_peers *t, struct conn *c)
{
	__u32 idx = (__u32)(c - t->conns);

	slot_clear(t, slot_find(t, &c->k));
	c->next_free = t->free_head;
	t->free_head = idx + 1;
	t->kept--;
}

/* a conn for a new key: a free one, one never used, or the oldest (counted if it was open) */
static struct conn *conn_take(struct st_local_peers *t)
{
	struct conn *c;

	if (t->free_head) {
		c = &t->conns[t->free_head - 1];
		t->free_head = c->next_free;
		return c;
	}
	if (t->made < t->cap)
		return &t->conns[t->made++];
	c = &t->conns[t->hand];
	t->hand = (t->hand + 1) % t->cap;
	if (c->end[CLIENT].state == OPEN || c->end[SERVER].state == OPEN)
		t->evicted++;
	slot_clear(t, slot_find(t, &c->k));
	t->kept--;
	return c;
}

static struct conn *conn_find(const struct st_local_peers *t, const struct conn_key *k)
{
	size_t i = slot_find(t, k);

	return t->slots[i] ? &t->conns[t->slots[i] - 1] : NULL;
}

static struct conn *conn_add(struct st_local_peers *t, const struct conn_key *k)
{
	struct conn *c = conn_take(t);	/* first: taking may move slots */
	size_t i = slot_find(t, k);

	memset(c, 0, sizeof(*c));
	c->k = *k;
	t->slots[i] = (__u32)(c - t->conns) + 1;
	t->kept++;
	return c;
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
	c = conn_find(t, &k);
	if (!c)
		c = conn_add(t, &k);
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
		c = conn_find(t, &k);
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
		conn_drop(t, c);
	return found;
}

/* a connect that failed: no accept will come */
static void failed(struct st_local_peers *t, const struct st_event *e)
{
	enum side s;
	struct conn *c = conn_of_socket(t, e, &s);

	if (c && s == CLIENT && c->end[SERVER].state == NOT_SEEN)
		conn_drop(t, c);
}

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

/*
 * e as the server sees its connection: a NATed connect (remembered), or the
 * close or fail of one, with the real destination as its remote end, in
 * *real; any other event as it is
 */
static const struct st_event *real_destination(struct st_local_peers *t, const struct st_event *e,
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

enum st_peer_found st_local_peers_event(struct st_local_peers *t, const struct st_event *e,
					struct st_local_peer *peer)
{
	struct st_event real;

	if (!t || e->proto != IPPROTO_TCP || (e->family != 4 && e->family != 6))
		return ST_PEER_UNKNOWN;
	e = real_destination(t, e, &real);
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
