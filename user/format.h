/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * An event as a line: the twin printers, plain text and JSON, of one event
 * from the ring buffer, and the text stream's header.
 */
#ifndef ST_FORMAT_H
#define ST_FORMAT_H

#include <stdio.h>
#include <linux/types.h>
#include "socktrace.h"

struct st_cg_name;
struct st_local_peer;

/* what the enrichers found out about an event (pipeline.c); NULL members: nothing */
struct st_existing;

struct st_enriched {
	const struct st_cg_name *cg;	/* the event's cgroup, named */
	const struct st_existing *existing;	/* an existing socket's holders, or NULL */
	const struct st_local_peer *peer;	/* the process at the other end (local_peers.c) */
	const char *rname;	/* the remote address's name from a DNS answer (dns_cache.c) */
};

/* "refused", "timeout", "unreachable", or the errno's name ("ECONNABORTED") */
const char *st_reason_name(int err);

/*
 * the text stream's columns: clock, pid, comm, event, local, remote, who (the
 * container or the unit), info. Up to INFO a line is 100 columns at most (an
 * IPv4 endpoint fits in 20 columns unless it is 21 long; an IPv6 one may push
 * the rest of its line right). No protocol column: every kind of event is TCP
 * but udp (and dns); a fail of a UDP connect() says "udp" first in INFO.
 */
#define ST_TEXT_COLUMNS "%s %-7u %-15s %-7s %-20s %-20s %-13s %s"
#define ST_TEXT_WHO	13	/* WHO's columns, the line's 88th to 100th */

/* "14:03:07.123", the local time of a CLOCK_REALTIME stamp; buf holds 16 bytes */
void st_format_clock(char *buf, size_t len, long long ns);
/* line (n bytes as snprintf() said, of a buffer of size) without its trailing blanks */
void st_print_text_line(FILE *f, const char *line, int n, size_t size);
/* header of the text stream */
void st_print_header(FILE *f);
/*
 * one event; epoch_off_ns turns the event's CLOCK_MONOTONIC stamp into Unix
 * time; x (may be NULL) adds what the enrichers found (each only when known):
 * JSON gets rname after rport, and peer_pid, peer_comm, then cgroup_path,
 * container, pod and unit after the other keys; text "peer=PID/COMM", "rname="
 * and the container's short id or the unit at the end of INFO; and x->existing
 * (the snapshot's record of an existing socket: its holders) its pids
 */
void st_print_text(FILE *f, const struct st_event *e, long long epoch_off_ns,
		   const struct st_enriched *x);
void st_print_json(FILE *f, const struct st_event *e, long long epoch_off_ns,
		   const struct st_enriched *x);

#endif
