/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* --top, Enter on a process: its open connections and its recent closes and failures. */
#ifndef ST_TOP_DETAIL_H
#define ST_TOP_DETAIL_H

#include <linux/types.h>
#include "conn_table.h"

struct st_peer_view;

/* Below the header, in rows lines of cols columns; pv: the local processes and
 * the remote endpoints it talks to. now_ns: CLOCK_MONOTONIC. */
void st_top_detail_draw(const struct st_conn_table *conns, const struct st_peer_view *pv,
			__u32 pid, int cols, int rows, long long now_ns);

#endif
