/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The terminal for --top: keys one at a time (raw mode: no echo, no line
 * editing; Ctrl-C still signals), the alternate screen, the cursor hidden.
 * st_term_leave() gives back exactly the settings found; socktrace calls it
 * on every way out (q, Ctrl-C, SIGTERM, an error, output closed), and an
 * atexit() hook calls it too, so an exit() path can't skip it.
 */
#ifndef ST_TERM_H
#define ST_TERM_H

#include <stdbool.h>

/* Take the screen (stdout); raw keys when stdin is a terminal. keys: whether
 * stdin gives keys. 0, or -1 when stdout is not a terminal. */
int st_term_enter(bool *keys);

/* Back as found; again is harmless. */
void st_term_leave(void);

#endif
