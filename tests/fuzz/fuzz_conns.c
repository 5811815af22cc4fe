// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer: the open-connections table fed any sequence of events (few
 * cookies, few pids, tiny limits, so that replacing, evicting and unmatched
 * ends all happen), and --top's keys fed any bytes. After every event each
 * process's counts must add up to what the table holds; after the keys the
 * filter line must be bounded and terminated.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include "conn_table.h"
#include "top_keys.h"

#define PIDS	4

static void check(const struct st_conn_table *t)
{
	static struct st_conn list[16];
	size_t held = 0;

	for (__u32 pid = 1; pid <= PIDS; pid++) {
		const struct st_conn_proc *p = st_conn_proc(t, pid);
		unsigned states = 0;

		if (!p)
			continue;
		for (int s = 0; s < ST_TCP_STATES; s++)
			states += p->states[s];
		if (p->existing > p->open || states != p->existing + p->listeners ||
		    st_conn_list(t, pid, list, 16) != p->open + p->listeners) {
			fprintf(stderr, "pid %u: open %u existing %u listeners %u states %u\n", pid,
				p->open, p->existing, p->listeners, states);
			abort();
		}
		held += p->open + p->listeners;
	}
	if (held != st_conn_count(t))
		abort();	/* a connection held without its process's count */
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct st_conn_table *t = st_conn_table_new(8, 3);
	struct st_top_ui ui;
	size_t i;

	if (!t)
		return 0;
	/* three bytes an event, up to the first 0xff */
	for (i = 0; i + 3 <= size && data[i] != 0xff; i += 3) {
		struct st_event e = {
			.type = (__u8)(data[i] % (ST_EV_MAX + 1)), .proto = IPPROTO_TCP, .family = 4,
			.cookie = data[i + 1] % 12, .pid = 1 + data[i + 1] / 12 % PIDS,
			.flags = (__u8)(data[i + 2] & 0x07), .state = (__u8)(data[i + 2] >> 3),
			.ts_ns = i,
		};

		if (data[i] & 0x80)
			e.proto = IPPROTO_UDP;
		st_conn_table_event(t, &e);
		check(t);
	}
	st_conn_table_free(t);

	/* the rest: keys */
	st_top_ui_init(&ui);
	if (i < size && st_top_keys(&ui, (const char *)data + i, size - i) == ST_TOP_QUIT)
		return 0;
	if (ui.line_len >= sizeof(ui.line) || ui.line[ui.line_len] != '\0' ||
	    strnlen(ui.filter, sizeof(ui.filter)) == sizeof(ui.filter) || ui.sel < 0)
		abort();
	return 0;
}
