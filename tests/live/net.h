/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* st-live: addresses and the scenario's private network namespace. */
#ifndef ST_LIVE_NET_H
#define ST_LIVE_NET_H

#include <stddef.h>
#include <sys/socket.h>
#include "actor.h"

/* a sockaddr for ip:port (dies on a bad address); returns its length */
socklen_t make_addr(int family, const char *ip, unsigned port, struct sockaddr_storage *ss);
/* address and port of a sockaddr, as socktrace prints them (v4-mapped as v4) */
void split_addr(const struct sockaddr_storage *ss, unsigned *family, char *ip, size_t len,
		unsigned *port);

/* bring the new namespace's loopback up (::1 comes with it) */
void loopback_up(void);
/*
 * The TCP servers' IPv6 addresses other than ::1 and :: onto this namespace's
 * loopback (every 127.0.0.0/8 address is there already), each usable on return
 */
void loopback_add6(const struct actor *actors, int n);
/* 192.0.2.0/24 (TEST-NET-1) into this namespace's loopback, where it is dropped */
void blackhole_route(void);
/* wait, at most 10 s, until every TCP socket here is gone or in TIME-WAIT */
void tcp_settle(void);
/* UDP receivers for the actors' datagrams (no ICMP unreachable); fds[2 * n] */
void udp_sinks(const struct actor *actors, int n, int *fds, int *n_fds);

#endif
