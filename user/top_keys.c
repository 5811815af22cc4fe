// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <string.h>
#include "top_keys.h"

#define ESC	0x1b

void st_top_ui_init(struct st_top_ui *ui)
{
	memset(ui, 0, sizeof(*ui));
}

/* a key while typing the filter */
static enum st_top_action edit_key(struct st_top_ui *ui, unsigned char k)
{
	if (k == '\r' || k == '\n') {
		memcpy(ui->filter, ui->line, ui->line_len);
		ui->filter[ui->line_len] = '\0';
		ui->editing = false;
		ui->sel = 0;
	} else if (k == ESC) {
		ui->editing = false;
	} else if (k == 0x7f || k == '\b') {
		if (ui->line_len)
			ui->line[--ui->line_len] = '\0';
	} else if (k >= 0x20 && k < 0x7f && ui->line_len < sizeof(ui->line) - 1) {
		ui->line[ui->line_len++] = (char)k;
		ui->line[ui->line_len] = '\0';
	} else {
		return ST_TOP_NOTHING;	/* other bytes, and past the longest name */
	}
	return ST_TOP_REDRAW;
}

static enum st_top_action sort_by(struct st_top_ui *ui, enum st_top_sort s)
{
	ui->sort = s;
	ui->sel = 0;
	return ST_TOP_REDRAW;
}

static enum st_top_action move(struct st_top_ui *ui, int by)
{
	if (ui->mode != ST_MODE_LIST)
		return ST_TOP_NOTHING;
	ui->sel += by;
	if (ui->sel < 0)
		ui->sel = 0;	/* the bottom is clamped by the drawing, which knows the rows */
	return ST_TOP_REDRAW;
}

static enum st_top_action back(struct st_top_ui *ui)
{
	if (ui->mode == ST_MODE_LIST)
		return ST_TOP_NOTHING;
	ui->mode = ST_MODE_LIST;
	return ST_TOP_REDRAW;
}

/* a key, not typing: while paused only p, h, ? and q act */
static enum st_top_action key(struct st_top_ui *ui, unsigned char k)
{
	if (k == 'q')
		return ST_TOP_QUIT;
	if (k == 'p') {
		ui->paused = !ui->paused;
		return ST_TOP_REDRAW;
	}
	if (k == 'h' || k == '?') {
		ui->mode = ui->mode == ST_MODE_HELP ? ST_MODE_LIST : ST_MODE_HELP;
		return ST_TOP_REDRAW;
	}
	if (ui->paused)
		return ST_TOP_NOTHING;
	if (ui->mode == ST_MODE_HELP)
		return back(ui);	/* any other key leaves the help */
	switch (k) {
	case 'e': return sort_by(ui, ST_SORT_EVENTS);
	case 'c': return sort_by(ui, ST_SORT_CONNECTS);
	case 'a': return sort_by(ui, ST_SORT_ACCEPTS);
	case 'f': return sort_by(ui, ST_SORT_FAILS);
	case 'o': return sort_by(ui, ST_SORT_OPEN);
	case 'b': return sort_by(ui, ST_SORT_BYTES);
	case 'j': return move(ui, 1);
	case 'k': return move(ui, -1);
	case '/':
		ui->mode = ST_MODE_LIST;
		ui->editing = true;
		ui->line_len = strlen(ui->filter);
		memcpy(ui->line, ui->filter, ui->line_len + 1);
		return ST_TOP_REDRAW;
	case '\r':
	case '\n':
		if (ui->mode != ST_MODE_LIST)
			return ST_TOP_NOTHING;
		ui->pick = true;
		return ST_TOP_REDRAW;
	case 0x7f:
	case '\b':
		return back(ui);
	}
	return ST_TOP_NOTHING;
}

/* the byte after ESC '[' (or ESC 'O'): an arrow, or a sequence ignored */
static enum st_top_action arrow(struct st_top_ui *ui, unsigned char k)
{
	switch (k) {
	case 'A': return move(ui, -1);
	case 'B': return move(ui, 1);
	case 'D': return back(ui);
	}
	return ST_TOP_NOTHING;
}

enum st_top_action st_top_keys(struct st_top_ui *ui, const char *buf, size_t n)
{
	enum st_top_action act = ST_TOP_NOTHING, a;

	for (size_t i = 0; i < n; i++) {
		unsigned char k = (unsigned char)buf[i];

		if (ui->esc == 1 && (k == '[' || k == 'O')) {
			ui->esc = 2;
			continue;
		}
		if (ui->esc == 2) {
			ui->esc = 0;
			a = ui->paused || ui->editing ? ST_TOP_NOTHING : arrow(ui, k);
		} else if (k == ESC && i + 1 < n && (buf[i + 1] == '[' || buf[i + 1] == 'O')) {
			ui->esc = 1;	/* a sequence, not the Esc key */
			continue;
		} else {
			ui->esc = 0;
			if (ui->editing)
				a = edit_key(ui, k);
			else if (k == ESC)
				a = ui->paused ? ST_TOP_NOTHING : back(ui);
			else
				a = key(ui, k);
		}
		if (a == ST_TOP_QUIT)
			return a;
		if (a == ST_TOP_REDRAW)
			act = a;
	}
	return act;
}
