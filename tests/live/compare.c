// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compare.h"
#include "parse.h"
#include "summary.h"

/* the line at line (ending at nl) is one of --summary's: a row, or what existed at start */
static bool summary_line(const char *line, const char *nl)
{
	const char *a = strstr(line, "\"event\":\"summary\""), *b = strstr(line, "\"event\":\"existing\"");

	return (a && (!nl || a < nl)) || (b && (!nl || b < nl));
}

/* exactly the expected events, each once */
int compare(const struct evset *exp, const struct evset *got, char *why, size_t len)
{
	bool used[MAX_EVENTS] = { false };
	char a[512];
	int missing = 0, extra = 0;
	FILE *f = fmemopen(why, len, "w");

	for (int i = 0; i < exp->n; i++) {
		int j;

		for (j = 0; j < got->n; j++)
			if (!used[j] && ev_same(&exp->e[i], &got->e[j]))
				break;
		if (j < got->n) {
			used[j] = true;
			continue;
		}
		ev_str(&exp->e[i], a, sizeof(a));
		fprintf(f, "%smissing %s", missing + extra ? "; " : "", a);
		missing++;
	}
	for (int j = 0; j < got->n; j++) {
		if (used[j])
			continue;
		ev_str(&got->e[j], a, sizeof(a));
		fprintf(f, "%sunexpected %s", missing + extra ? "; " : "", a);
		extra++;
	}
	fprintf(f, " (expected %d events, got %d)", exp->n, got->n);
	fclose(f);
	return missing || extra ? -1 : 0;
}

/*
 * A stalled consumer and a storm: every event socktrace did not deliver must be
 * in its dropped count, exactly; what it delivered must be real; the kernel's
 * per-process counters must be exact all the same.
 */
int check_overload(const struct scenario *sc, const struct actor_run *run, const char *out,
		   const char *err, unsigned long long netns, long long t0, long long t1,
		   const struct evset *exp, struct evset *got, char *why, size_t len)
{
	size_t n = strlen(out);
	char *events = calloc(1, n + 1), *summary = calloc(1, n + 1);
	const char *tail = NULL;	/* the "N events, N dropped" line */
	unsigned long long received, dropped = 0;
	bool used[MAX_EVENTS] = { false };
	int rc = -1;

	/* the stream's lines, then the summary's */
	for (const char *line = out; *line;) {
		const char *nl = strchr(line, '\n');
		size_t l = nl ? (size_t)(nl - line + 1) : strlen(line);

		strncat(summary_line(line, nl) ? summary : events, line, l);
		line += l;
	}
	/* the last line of that form: other exit lines may follow it (hook runs
	 * the kernel skipped, closes seen late) */
	for (const char *p = strstr(err, "socktrace: "); p; p = strstr(p + 1, "socktrace: ")) {
		unsigned long long r, d;	/* a line that matches only in part leaves them */

		if (sscanf(p, "socktrace: %llu events, %llu dropped", &r, &d) == 2) {
			tail = p;
			received = r;
			dropped = d;
		}
	}
	if (!tail) {
		snprintf(why, len, "no 'N events, N dropped' line on stderr: %.200s", err);
		goto done;
	}
	if (parse_json(events, netns, 0, t0, t1, false, got, why, len))
		goto done;
	for (int j = 0; j < got->n; j++) {
		int i;

		for (i = 0; i < exp->n; i++)
			if (!used[i] && ev_same(&exp->e[i], &got->e[j]))
				break;
		if (i == exp->n) {
			char a[256];

			ev_str(&got->e[j], a, sizeof(a));
			snprintf(why, len, "delivered an event that did not happen: %s", a);
			goto done;
		}
		used[i] = true;
	}
	if (dropped == 0 || (unsigned long long)got->n + dropped != (unsigned long long)exp->n ||
	    received != (unsigned long long)got->n) {
		snprintf(why, len, "%d events happened; socktrace delivered %d (said %llu) and "
			 "said %llu dropped: expected dropped > 0 and delivered + dropped = happened",
			 exp->n, got->n, received, dropped);
		goto done;
	}
	rc = check_summary(sc, run, summary, exp, got, why, len);
done:
	free(events);
	free(summary);
	return rc;
}
