/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * st-live: local peers, checked on every JSON scenario of every backend and
 * kernel. socktrace names the other end of a connection whose two ends it
 * saw open (user/local_peers.c); the reported events show when that was, so
 * what each event must name follows from the events themselves, in order:
 *   - an accept streamed after the connect with its mirrored tuple names that
 *     connect's process (peer_pid, peer_comm);
 *   - a close streamed after both opens of its connection (its own end's and
 *     the mirrored one's) names the other end's process; one streamed before
 *     the second open names nobody;
 *   - a name where the two opens are not both reported (sockets from before
 *     the start) is not checked; a late close is checked only if it names one.
 */
#ifndef ST_LIVE_PEER_CHECK_H
#define ST_LIVE_PEER_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include "ev.h"

/* e names o's process, or (o NULL) nobody */
bool peer_named(const struct ev *e, const struct ev *o);
/* -1, and why: e does not name o's process (o NULL: e should name nobody) */
int peer_wrong(const struct ev *e, const struct ev *o, char *why, size_t len);
/* 0, or -1 with the first event that names the wrong peer, or none where it must */
int check_peers(const struct evset *got, char *why, size_t len);

#endif
