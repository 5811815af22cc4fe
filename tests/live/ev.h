/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* st-live: one event, expected (made by an actor) or reported (parsed), and a set of them. */
#ifndef ST_LIVE_EV_H
#define ST_LIVE_EV_H

#include <stdbool.h>
#include <stddef.h>

#define MAX_EVENTS	8192
#define ANY_UID		(~0u)	/* not shown (the text stream): matches any uid */

struct ev {
	char event[8];
	char proto[4];
	unsigned family;
	unsigned pid, tid;
	unsigned uid;			/* ANY_UID: not shown (the text stream) */
	char comm[17];
	char laddr[64];
	unsigned lport;
	char raddr[64];
	unsigned rport;
	unsigned long long tx, rx;	/* close: payload bytes */
	char reason[16];		/* fail */
	unsigned long long cookie;	/* reported only */
	unsigned long long duration;	/* reported only */
	bool late;			/* close: marked "late" (not seen as it happened) */
	char dir[4];			/* udp: "in" (received) or "out" (sent) */
	bool folded;			/* udp in: every source port of raddr (rport 0) */
	unsigned long long packets, bytes;	/* udp: the flow's datagrams and payload
						 * (--summary's udp_flow lines; not compared) */
	char who[256];			/* the cgroup's keys (actor.h); expected "": not checked */
	unsigned peer_pid;		/* reported only: the other end's process, 0: none */
	char peer_comm[17];		/* reported only, with peer_pid */
	char rname[64];			/* --names: raddr's asked name, unescaped ("": none) */
	char nat_raddr[64];		/* reported only: the real destination behind a DNAT ("": none) */
	unsigned nat_rport;		/* reported only, with nat_raddr */
	/* dns: the answer's message (README, "DNS answers"), names unescaped */
	unsigned dns_id;		/* its id, host order */
	char qname[64];			/* the question's name, presentation form */
	char qtype[8];			/* "A" */
	char rcode[12];			/* "NOERROR", "NXDOMAIN" */
	char answers[64];		/* "ADDR/TTL,ADDR/TTL" in the message's order; "": none */
	bool latency;			/* latency_ns given: socktrace saw the query */
};

struct evset {
	struct ev e[MAX_EVENTS];
	int n;
};

/* "connect/tcp pid=1 comm=x v4 a:1 -> b:2", names escaped */
void ev_str(const struct ev *e, char *buf, size_t len);
/* the same event, every field that both sides know; a (the expected one)'s who only if set */
bool ev_same(const struct ev *a, const struct ev *b);
void evset_add(struct evset *s, const struct ev *e);

#endif
