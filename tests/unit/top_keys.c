// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests: --top's keys (top_keys.c): sorting, the filter line, selection, pause. */
#include "top_keys.h"
#include "unit.h"

static enum st_top_action keys(struct st_top_ui *ui, const char *s)
{
	return st_top_keys(ui, s, strlen(s));
}

void test_top_keys(void)
{
	struct st_top_ui ui;
	char big[300];

	st_top_ui_init(&ui);
	CHECK(ui.sort == ST_SORT_EVENTS && ui.mode == ST_MODE_LIST, "starts sorted by events");
	CHECK(keys(&ui, "c") == ST_TOP_REDRAW && ui.sort == ST_SORT_CONNECTS, "c");
	keys(&ui, "a");
	CHECK(ui.sort == ST_SORT_ACCEPTS, "a");
	keys(&ui, "f");
	CHECK(ui.sort == ST_SORT_FAILS, "f");
	keys(&ui, "o");
	CHECK(ui.sort == ST_SORT_OPEN, "o");
	keys(&ui, "b");
	CHECK(ui.sort == ST_SORT_BYTES, "b");
	CHECK(keys(&ui, "Z") == ST_TOP_NOTHING, "an unknown key does nothing");

	/* the filter: typed, applied by Enter, cancelled by Esc, bounded */
	keys(&ui, "/ngx");
	CHECK(ui.editing && !strcmp(ui.line, "ngx") && !ui.filter[0], "typing, not applied yet");
	keys(&ui, "\x7f" "inx\r");
	CHECK(!ui.editing, "Enter ends the line");
	CHECK_STR(ui.filter, "nginx");
	keys(&ui, "/zzz\x1b");
	CHECK(!ui.editing, "Esc ends the line");
	CHECK_STR(ui.filter, "nginx");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	keys(&ui, "/");
	keys(&ui, big);
	CHECK(ui.line_len == ST_COMM_LEN - 1, "the line is bounded: %zu", ui.line_len);
	keys(&ui, "\x01\x1b[A\r");	/* a control byte is dropped; an arrow ends nothing */
	CHECK(!ui.editing && strlen(ui.filter) == ST_COMM_LEN - 1, "a long filter is cut");
	keys(&ui, "/");
	for (int i = 0; i < 20; i++)
		keys(&ui, "\x7f");
	keys(&ui, "\r");
	CHECK(!ui.filter[0], "an empty filter shows all");

	/* arrows select, Enter picks, Esc and Left go back */
	keys(&ui, "\x1b[B\x1b[Bj");
	CHECK(ui.sel == 3, "down three: %d", ui.sel);
	keys(&ui, "\x1b[Akkkk");
	CHECK(ui.sel == 0, "up, never past the top: %d", ui.sel);
	keys(&ui, "\r");
	CHECK(ui.pick, "Enter picks the selected row");
	ui.pick = false, ui.mode = ST_MODE_DETAIL;	/* as the drawing does */
	CHECK(keys(&ui, "\x1b[D") == ST_TOP_REDRAW && ui.mode == ST_MODE_LIST, "Left goes back");
	ui.mode = ST_MODE_DETAIL;
	keys(&ui, "\x1b");
	CHECK(ui.mode == ST_MODE_LIST, "Esc goes back");

	/* pause: only p, h and q act */
	keys(&ui, "p");
	CHECK(ui.paused, "p pauses");
	keys(&ui, "c/");
	CHECK(ui.sort == ST_SORT_BYTES && !ui.editing, "paused: sort and filter keys wait");
	keys(&ui, "h");
	CHECK(ui.mode == ST_MODE_HELP, "h shows the help");
	keys(&ui, "?p");
	CHECK(ui.mode == ST_MODE_LIST && !ui.paused, "? leaves it, p resumes");
	CHECK(keys(&ui, "cq") == ST_TOP_QUIT, "q quits");
}
