// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include "term.h"

static struct termios saved;
static bool raw, screen, hooked;

void st_term_leave(void)
{
	if (raw) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
		raw = false;
	}
	if (screen) {
		/* cursor shown, the main screen back */
		fputs("\033[?25h\033[?1049l", stdout);
		fflush(stdout);
		screen = false;
	}
}

int st_term_enter(bool *keys)
{
	*keys = false;
	if (!isatty(STDOUT_FILENO))
		return -1;
	if (!hooked) {
		atexit(st_term_leave);
		hooked = true;
	}
	if (isatty(STDIN_FILENO) && !tcgetattr(STDIN_FILENO, &saved)) {
		struct termios t = saved;

		/* keys as typed, unechoed; signals (Ctrl-C) and output processing kept */
		t.c_lflag &= ~(tcflag_t)(ICANON | ECHO | IEXTEN);
		t.c_iflag &= ~(tcflag_t)(IXON | ICRNL);
		t.c_cc[VMIN] = 1;	/* read() only when the loop saw a key: 0 is the end */
		t.c_cc[VTIME] = 0;
		if (!tcsetattr(STDIN_FILENO, TCSAFLUSH, &t)) {
			raw = true;
			*keys = true;
		}
	}
	/* alternate screen, cursor hidden */
	fputs("\033[?1049h\033[?25l", stdout);
	fflush(stdout);
	screen = true;
	return 0;
}
