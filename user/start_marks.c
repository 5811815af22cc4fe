// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The start-up's steps, timed: the first mark is main()'s start, each later
 * one the end of a step. Only the loader's one thread marks, before the loop
 * runs; a mark past the table's end is dropped (the line says so).
 */
#include <time.h>
#include "start_marks.h"

#define MAX_MARKS 12

static struct {
	const char *step;
	double ms;
} marks[MAX_MARKS];
static int n_marks, n_dropped;

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

void st_start_mark(const char *step)
{
	if (n_marks == MAX_MARKS) {
		n_dropped++;
		return;
	}
	marks[n_marks].step = step;
	marks[n_marks++].ms = now_ms();
}

void st_start_report(FILE *out)
{
	if (n_marks < 2)
		return;
	fprintf(out, "socktrace: started in %.1f ms:", marks[n_marks - 1].ms - marks[0].ms);
	for (int i = 1; i < n_marks; i++)
		fprintf(out, " %s %.1f%s", marks[i].step, marks[i].ms - marks[i - 1].ms,
			i + 1 < n_marks ? "," : "");
	if (n_dropped)
		fprintf(out, " (%d more steps not timed)", n_dropped);
	fputc('\n', out);
}
