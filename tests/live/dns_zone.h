/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * st-live: what the DNS server actor answers (actors_dns.c). Its one answered
 * name has an address of its own on the namespace's loopback, neither the
 * server's nor any client's: only a connect to it is named.
 */
#ifndef ST_LIVE_DNS_ZONE_H
#define ST_LIVE_DNS_ZONE_H

#define DNS_SERVER_ADDR	"127.0.0.1"	/* the server's address, port 53 */
#define DNS_ANSWERED	"st.test"	/* an A query for it: one record, */
#define DNS_ANSWER_ADDR	"127.0.0.2"	/* this address */
#define DNS_ANSWER_TTL	300		/* for this many seconds */
#define DNS_ZONE_NAMES	3		/* the names a client can ask, the answered one first */

#endif
