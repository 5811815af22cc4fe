// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include "screen.h"

void st_screen_line(int width, int how, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (width > 0 && (int)strlen(buf) > width)
		buf[width] = '\0';
	if (how & ST_LINE_REV)
		fputs("\033[7m", stdout);
	fputs(buf, stdout);
	fputs("\033[K", stdout);
	if (how & ST_LINE_REV)
		fputs("\033[m", stdout);
	if (!(how & ST_LINE_LAST))
		fputc('\n', stdout);
}

void st_screen_size(int *cols, int *rows)
{
	struct winsize ws = { .ws_row = 24, .ws_col = 80 };

	ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws);
	*cols = ws.ws_col ? ws.ws_col : 80;
	*rows = ws.ws_row ? ws.ws_row : 24;
}
