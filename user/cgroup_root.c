// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <string.h>
#include "cgroup_root.h"

/* a mountinfo field, its octal escapes ("\040") decoded; 0, or -1 if too long */
static int unescape(const char *s, char *out, size_t len)
{
	size_t o = 0;

	for (; *s; s++) {
		char c = *s;

		if (c == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			c = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 | (s[3] - '0'));
			s += 3;
		}
		if (o + 1 >= len)
			return -1;
		out[o++] = c;
	}
	out[o] = '\0';
	return 0;
}

int st_cgroup2_root(FILE *f, char *path, size_t len)
{
	char line[4096];

	while (fgets(line, sizeof(line), f)) {
		/* id parent major:minor root mountpoint options [optional...] - fstype ... */
		char *field[5], *save = NULL, *dash = strstr(line, " - ");
		int n = 0;

		if (!dash || strncmp(dash + 3, "cgroup2 ", 8))
			continue;
		*dash = '\0';
		for (char *t = strtok_r(line, " ", &save); t && n < 5; t = strtok_r(NULL, " ", &save))
			field[n++] = t;
		if (n == 5 && !strcmp(field[3], "/") && !unescape(field[4], path, len))
			return 0;
	}
	return -1;
}
