/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A process's busiest remote endpoints (proc_peers.h) as --summary and
 * --top's detail view show them: each with the name its events carried
 * (peer_names.h) when there is one, escaped like comm. Text and JSON twins.
 */
#ifndef ST_BUSIEST_PEERS_H
#define ST_BUSIEST_PEERS_H

#include <stddef.h>
#include <linux/types.h>

struct st_json;
struct st_proc_peers;
struct st_peer_names;
struct st_peer_counts;

/* who a process talked to, as --summary's rows and --top's detail view show it */
struct st_peer_view {
	const struct st_peer_counts *local;	/* processes here (peer_counts.h); NULL: none */
	struct st_proc_peers *remote;		/* remote endpoints; NULL: none */
	const struct st_peer_names *names;	/* their names; NULL: none */
};

#define ST_BUSIEST_NAME_COLS	24	/* of a name in text; a longer one is cut, "~" */
#define ST_BUSIEST_TEXT_MAX	8	/* endpoints in one text list at most */
#define ST_BUSIEST_JSON_MAX	16	/* in busiest_peers; the rest counted in busiest_peers_more */

/* room for a text list of ST_BUSIEST_TEXT_MAX */
#define ST_BUSIEST_TEXT_LEN	(ST_BUSIEST_TEXT_MAX * (ST_BUSIEST_ENDPOINT_LEN + 24) + 24)

struct st_peer_row;

/* room for one endpoint of st_busiest_endpoint() */
#define ST_BUSIEST_ENDPOINT_LEN	(ST_BUSIEST_NAME_COLS + 2 + 64)

/* "www.example.com:443" (name escaped, cut to ST_BUSIEST_NAME_COLS with a "~"), or
 * without a name "10.1.2.3:443"; ":*" for a port of 0 (clients accepted from it) */
void st_busiest_endpoint(char *buf, size_t len, const struct st_peer_row *r, const char *name);

/*
 * "3@www.example.com:443,1@10.0.0.5:80,+2": up to max of pid's endpoints
 * (sockets@endpoint; "ADDRESS:*" for clients accepted from it, any port),
 * then how many more; "-" for none.
 */
void st_busiest_text(char *buf, size_t len, struct st_proc_peers *p,
		     const struct st_peer_names *names, __u32 pid, size_t max);

/* "busiest_peers":[{"raddr":"10.1.2.3","rport":443,"sockets":3,"rname":"www.example.com"}]
 * (rport 0: accepted from raddr, any port; rname only when known) */
void st_busiest_json(struct st_json *j, struct st_proc_peers *p,
		     const struct st_peer_names *names, __u32 pid);

#endif
