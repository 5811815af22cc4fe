// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdbool.h>
#include <string.h>
#include "cgroup_parse.h"

/* one path component: s[0..n) */
struct comp {
	const char *s;
	size_t n;
};

static bool has_prefix(struct comp c, const char *p)
{
	size_t n = strlen(p);

	return c.n >= n && !memcmp(c.s, p, n);
}

static bool has_suffix(struct comp c, const char *p)
{
	size_t n = strlen(p);

	return c.n >= n && !memcmp(c.s + c.n - n, p, n);
}

static bool all_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* a container id: 12 to 64 lowercase hex digits */
static bool set_id(const char *s, size_t n, char *out)
{
	if (n < 12 || n > ST_CG_ID_MAX || !all_hex(s, n))
		return false;
	memcpy(out, s, n);
	out[n] = '\0';
	return true;
}

static const char *const scope_prefixes[] = { "docker-", "cri-containerd-", "crio-", "libpod-" };

/* a runtime's scope or a plain 64-hex directory: true if c is a container's */
static bool container_of(struct comp c, char *out)
{
	for (size_t i = 0; i < sizeof(scope_prefixes) / sizeof(scope_prefixes[0]); i++) {
		size_t p = strlen(scope_prefixes[i]);

		if (has_prefix(c, scope_prefixes[i]) && has_suffix(c, ".scope") &&
		    set_id(c.s + p, c.n - p - strlen(".scope"), out))
			return true;
	}
	return c.n == 64 && set_id(c.s, c.n, out);
}

/* "<uid>" of a pod: 32 hex digits in 5 groups, '-' or '_' between them */
static bool set_pod(const char *s, size_t n, char *out)
{
	if (n != 36)
		return false;
	for (size_t i = 0; i < n; i++) {
		bool sep = i == 8 || i == 13 || i == 18 || i == 23;

		if (sep ? (s[i] != '-' && s[i] != '_') : !all_hex(s + i, 1))
			return false;
	}
	for (size_t i = 0; i < n; i++)	/* all checked: out holds a whole UID or is untouched */
		out[i] = s[i] == '_' ? '-' : s[i];
	out[n] = '\0';
	return true;
}

/* kubepods-burstable-pod<uid>.slice (systemd driver): the last "-pod" before ".slice" */
static bool pod_slice(struct comp c, char *out)
{
	size_t end = c.n - strlen(".slice");

	if (!has_prefix(c, "kubepods") || !has_suffix(c, ".slice"))
		return false;
	for (size_t i = end; i >= 4; i--)
		if (!memcmp(c.s + i - 4, "-pod", 4))
			return set_pod(c.s + i, end - i, out);
	return false;
}

static const char *const unit_suffixes[] = { ".service", ".scope", ".socket", ".mount", ".swap",
					     ".timer" };

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	       c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* a systemd unit's name, "\xHH" unescaped (an escaped NUL is kept as written) */
static bool set_unit(struct comp c, char *out)
{
	size_t o = 0;
	bool unit = false;

	for (size_t i = 0; i < sizeof(unit_suffixes) / sizeof(unit_suffixes[0]); i++)
		unit |= has_suffix(c, unit_suffixes[i]) && c.n > strlen(unit_suffixes[i]);
	if (!unit)
		return false;
	for (size_t i = 0; i < c.n && o < ST_CG_UNIT_MAX; i++) {
		int hi, lo;

		if (c.s[i] == '\\' && i + 3 < c.n && c.s[i + 1] == 'x' &&
		    (hi = hexval(c.s[i + 2])) >= 0 && (lo = hexval(c.s[i + 3])) >= 0 &&
		    (hi || lo)) {
			out[o++] = (char)(hi << 4 | lo);
			i += 3;
		} else {
			out[o++] = c.s[i];
		}
	}
	out[o] = '\0';
	return true;
}

/* runc's "slice:prefix:id" (kubepods-pod<uid>.slice:cri-containerd:<id>) */
static bool runc_form(struct comp c, struct st_cg_ident *id)
{
	const char *a = memchr(c.s, ':', c.n), *b;
	struct comp slice;

	if (!a)
		return false;
	b = memchr(a + 1, ':', (size_t)(c.s + c.n - a - 1));
	if (!b || memchr(b + 1, ':', (size_t)(c.s + c.n - b - 1)) ||
	    !set_id(b + 1, (size_t)(c.s + c.n - b - 1), id->container))
		return false;
	slice = (struct comp){ c.s, (size_t)(a - c.s) };
	pod_slice(slice, id->pod);
	return true;
}

void st_cg_parse(const char *path, size_t len, struct st_cg_ident *id)
{
	bool kubepods = false;
	size_t i = 0;

	memset(id, 0, sizeof(*id));
	while (i < len) {
		struct comp c;

		while (i < len && path[i] == '/')
			i++;
		c.s = path + i;
		while (i < len && path[i] != '/' && path[i])
			i++;
		c.n = (size_t)(path + i - c.s);
		if (!c.n)
			break;
		if (i < len && !path[i])
			len = i;	/* a NUL ends the path */
		if (runc_form(c, id))
			continue;
		if (container_of(c, id->container))
			continue;
		if (pod_slice(c, id->pod)) {
			kubepods = true;
			continue;
		}
		if (has_prefix(c, "kubepods")) {
			kubepods = true;
			continue;
		}
		if (kubepods && has_prefix(c, "pod") && set_pod(c.s + 3, c.n - 3, id->pod))
			continue;
		set_unit(c, id->unit);
	}
}
