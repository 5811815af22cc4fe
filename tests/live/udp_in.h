/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* st-live: the received side of UDP (actors_udp_in.c): what a datagram carries. */
#ifndef ST_LIVE_UDP_IN_H
#define ST_LIVE_UDP_IN_H

#include <stdint.h>

/*
 * new received flows of one local port that socktrace shows one by one in a
 * --udp-idle period; past them, one flow per source address (README)
 */
#define UDP_IN_PER_PORT	64

/* every datagram of UDP_SENDER and UDP_FLOOD: its sender's own end */
struct udp_rec {
	uint8_t family;		/* 4 or 6 */
	uint8_t pad;
	uint16_t port;		/* host order */
	uint8_t addr[16];	/* network order */
	uint32_t pad2;
};

#endif
