// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <string.h>
#include "escape.h"

/* which bytes stand for themselves: printable ASCII but backslash, and but '"' in JSON */
#define PLAIN(c, json)	((c) >= 0x20 && (c) < 0x7f && (c) != '\\' && (!(json) || (c) != '"'))
#define PLAIN4(c, j)	PLAIN(c, j), PLAIN((c) + 1, j), PLAIN((c) + 2, j), PLAIN((c) + 3, j)
#define PLAIN16(c, j)	PLAIN4(c, j), PLAIN4((c) + 4, j), PLAIN4((c) + 8, j), PLAIN4((c) + 12, j)
#define PLAIN64(c, j)	PLAIN16(c, j), PLAIN16((c) + 16, j), PLAIN16((c) + 32, j), PLAIN16((c) + 48, j)
#define PLAIN256(j)	PLAIN64(0, j), PLAIN64(64, j), PLAIN64(128, j), PLAIN64(192, j)

static const unsigned char plain[2][256] = {
	[ST_ESC_TEXT] = { PLAIN256(0) },
	[ST_ESC_JSON] = { PLAIN256(1) },
};

size_t st_escape(char *out, size_t outlen, const char *s, size_t n, enum st_escape_mode mode)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *keep = plain[mode == ST_ESC_JSON];
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char tmp[6];
		size_t len;

		if (keep[c]) {		/* the common case: as itself */
			if (o + 1 >= outlen)
				break;
			out[o++] = (char)c;
			continue;
		}
		if (!c)
			break;
		if (c == '\\' || c == '"') {
			tmp[0] = '\\';
			tmp[1] = (char)c;
			len = 2;
		} else if (mode == ST_ESC_JSON) {
			memcpy(tmp, "\\u00", 4);
			tmp[4] = hex[c >> 4];
			tmp[5] = hex[c & 15];
			len = 6;
		} else {
			tmp[0] = '\\';
			tmp[1] = 'x';
			tmp[2] = hex[c >> 4];
			tmp[3] = hex[c & 15];
			len = 4;
		}
		if (o + len >= outlen)
			break;
		memcpy(out + o, tmp, len);
		o += len;
	}
	if (outlen)
		out[o] = '\0';
	return o;
}
