/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --top's keyboard: what the keys typed so far made of the view's state.
 * Pure (no terminal here): bytes in, state changed, an action out.
 *   c a f o b e   sort by connects, accepts, fails, open connections, bytes,
 *                 events (the default)
 *   /             filter by name: a typed line (printable ASCII, at most
 *                 ST_COMM_LEN - 1 bytes); Enter applies, Esc cancels,
 *                 Backspace deletes
 *   Up Down j k   select a row; Enter shows its process's connections
 *   Esc Left      back from the connections (or from the help)
 *   p             pause: the screen stops changing (tracing goes on)
 *   h ?           the full help; q quits (Ctrl-C too)
 */
#ifndef ST_TOP_KEYS_H
#define ST_TOP_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "socktrace.h"

enum st_top_sort { ST_SORT_EVENTS, ST_SORT_CONNECTS, ST_SORT_ACCEPTS, ST_SORT_FAILS,
		   ST_SORT_OPEN, ST_SORT_BYTES };

enum st_top_mode { ST_MODE_LIST, ST_MODE_DETAIL, ST_MODE_HELP };

struct st_top_ui {
	enum st_top_sort sort;
	enum st_top_mode mode;
	char filter[ST_COMM_LEN];	/* applied: a substring of the name; "" for all */
	bool editing;			/* typing a filter into line */
	char line[ST_COMM_LEN];
	size_t line_len;
	int sel;			/* the selected row of the list */
	bool pick;			/* Enter asked for the selected row's process */
	__u32 detail_pid;		/* ST_MODE_DETAIL: whose connections */
	bool paused;
	int esc;			/* bytes of an escape sequence read so far */
};

enum st_top_action {
	ST_TOP_NOTHING,
	ST_TOP_REDRAW,
	ST_TOP_QUIT,
};

void st_top_ui_init(struct st_top_ui *ui);

/* The bytes read from the terminal. The caller redraws on ST_TOP_REDRAW;
 * after a redraw in which ui->pick was set, it sets detail_pid (or clears pick). */
enum st_top_action st_top_keys(struct st_top_ui *ui, const char *buf, size_t n);

#endif
