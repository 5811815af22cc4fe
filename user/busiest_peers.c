// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <string.h>
#include "addr.h"
#include "busiest_peers.h"
#include "escape.h"
#include "json.h"
#include "peer_names.h"
#include "proc_peers.h"

void st_busiest_endpoint(char *buf, size_t len, const struct st_peer_row *r, const char *name)
{
	char host[ST_BUSIEST_NAME_COLS + 2];	/* one more than shown: a cut is seen */
	char port[8];

	snprintf(port, sizeof(port), r->k.port ? "%u" : "*", r->k.port);
	if (!name) {
		st_format_endpoint(buf, len, r->k.family, r->k.addr, r->k.port);
		strcpy(strrchr(buf, ':') + 1, port);	/* "[::1]:0" -> "[::1]:*": never longer */
		return;
	}
	/* a name is a stranger's: escaped, and cut between escapes with a "~" */
	st_escape(host, sizeof(host), name, strlen(name), ST_ESC_TEXT);
	if (strlen(host) > ST_BUSIEST_NAME_COLS) {
		st_escape(host, ST_BUSIEST_NAME_COLS, name, strlen(name), ST_ESC_TEXT);
		snprintf(buf, len, "%s~:%s", host, port);
	} else {
		snprintf(buf, len, "%s:%s", host, port);
	}
}

static const char *name_of(const struct st_peer_names *names, const struct st_peer_row *r)
{
	return st_peer_names_get(names, r->k.pid, r->k.family, r->k.addr);
}

void st_busiest_text(char *buf, size_t len, struct st_proc_peers *p,
		     const struct st_peer_names *names, __u32 pid, size_t max)
{
	struct st_peer_row rows[ST_BUSIEST_TEXT_MAX];
	size_t n, o = 0;

	max = max < ST_BUSIEST_TEXT_MAX ? max : ST_BUSIEST_TEXT_MAX;
	n = st_proc_peers_of(p, pid, rows, max);
	snprintf(buf, len, "-");
	for (size_t i = 0; i < n && i < max && o < len; i++) {
		char ep[ST_BUSIEST_ENDPOINT_LEN];

		st_busiest_endpoint(ep, sizeof(ep), &rows[i], name_of(names, &rows[i]));
		o += (size_t)snprintf(buf + o, len - o, "%s%llu@%s", i ? "," : "",
				      (unsigned long long)rows[i].count, ep);
	}
	if (n > max && o < len)
		snprintf(buf + o, len - o, ",+%zu", n - max);
}

void st_busiest_json(struct st_json *j, struct st_proc_peers *p,
		     const struct st_peer_names *names, __u32 pid)
{
	struct st_peer_row rows[ST_BUSIEST_JSON_MAX];
	size_t n = st_proc_peers_of(p, pid, rows, ST_BUSIEST_JSON_MAX);

	st_json_array(j, "busiest_peers");
	for (size_t i = 0; i < n && i < ST_BUSIEST_JSON_MAX; i++) {
		const char *name = name_of(names, &rows[i]);
		char ip[ST_ADDR_LEN];

		st_format_ip(ip, sizeof(ip), rows[i].k.family, rows[i].k.addr);
		st_json_object(j, NULL);
		st_json_str(j, "raddr", ip, strlen(ip));
		st_json_u64(j, "rport", rows[i].k.port);
		st_json_u64(j, "sockets", rows[i].count);
		if (name)
			st_json_str(j, "rname", name, strlen(name));
		st_json_close(j);
	}
	st_json_close(j);
	if (n > ST_BUSIEST_JSON_MAX)
		st_json_u64(j, "busiest_peers_more", n - ST_BUSIEST_JSON_MAX);
}
