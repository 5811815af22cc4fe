// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <string.h>
#include "escape.h"

size_t st_escape(char *out, size_t outlen, const char *s, size_t n, enum st_escape_mode mode)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	for (size_t i = 0; i < n && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];
		char tmp[6];
		size_t len;

		if (c >= 0x20 && c < 0x7f && c != '\\' && (c != '"' || mode != ST_ESC_JSON)) {
			if (o + 1 >= outlen)	/* printable, the common case: as itself */
				break;
			out[o++] = (char)c;
			continue;
		}
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
