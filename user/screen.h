/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* --top's screen lines: each cut to the terminal's width, the rest of it cleared. */
#ifndef ST_SCREEN_H
#define ST_SCREEN_H

#define ST_LINE_REV	1	/* in reverse video (the selected row, the key line) */
#define ST_LINE_LAST	2	/* the screen's last line: no newline (it would scroll) */

/* One line on stdout. */
void st_screen_line(int width, int how, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The terminal's size: 80x24 when it can't say. */
void st_screen_size(int *cols, int *rows);

#endif
