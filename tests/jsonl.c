// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "jsonl.h"

struct cur {
	const char *p;
	char *err;
	size_t errlen;
};

static int fail(struct cur *c, const char *what)
{
	snprintf(c->err, c->errlen, "%s at '%.20s'", what, c->p);
	return -1;
}

static void ws(struct cur *c)
{
	while (*c->p == ' ' || *c->p == '\t')
		c->p++;
}

static int hex4(const char *p, unsigned *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		char h = p[i];

		*v <<= 4;
		if (h >= '0' && h <= '9')
			*v |= (unsigned)(h - '0');
		else if (h >= 'a' && h <= 'f')
			*v |= (unsigned)(h - 'a' + 10);
		else if (h >= 'A' && h <= 'F')
			*v |= (unsigned)(h - 'A' + 10);
		else
			return -1;
	}
	return 0;
}

/* a string; decoded into out (may be NULL) */
static int string(struct cur *c, char *out, size_t outlen, size_t *len, int *wide)
{
	size_t n = 0;

	if (*c->p != '"')
		return fail(c, "expected a string");
	c->p++;
	for (;;) {
		unsigned char ch = (unsigned char)*c->p;
		unsigned cp;

		if (ch == '\0')
			return fail(c, "unterminated string");
		if (ch < 0x20)
			return fail(c, "raw control byte in string");
		c->p++;
		if (ch == '"')
			break;
		if (ch == '\\') {
			char e = *c->p++;

			switch (e) {
			case '"': cp = '"'; break;
			case '\\': cp = '\\'; break;
			case '/': cp = '/'; break;
			case 'b': cp = '\b'; break;
			case 'f': cp = '\f'; break;
			case 'n': cp = '\n'; break;
			case 'r': cp = '\r'; break;
			case 't': cp = '\t'; break;
			case 'u':
				if (hex4(c->p, &cp))
					return fail(c, "bad \\u escape");
				c->p += 4;
				break;
			default:
				c->p--;
				return fail(c, "bad escape");
			}
		} else if (ch >= 0x80) {
			/* UTF-8 is valid JSON; socktrace never writes it, but accept it whole */
			cp = '?';
			if (wide)
				*wide = 1;
		} else {
			cp = ch;
		}
		if (cp > 0xff) {
			cp = '?';
			if (wide)
				*wide = 1;
		}
		if (out && n + 1 < outlen)
			out[n] = (char)cp;
		n++;
	}
	if (out) {
		if (n >= outlen)
			return fail(c, "string too long");
		out[n] = '\0';
	}
	if (len)
		*len = n;
	return 0;
}

static int number(struct cur *c, struct jl_member *m)
{
	const char *s = c->p;
	char *end;

	if (*s == '-')
		s++;
	if (*s == '0' && s[1] >= '0' && s[1] <= '9')
		return fail(c, "leading zero");
	if (*s < '0' || *s > '9')
		return fail(c, "expected a value");
	m->num = strtod(c->p, &end);
	m->is_uint = c->p[0] != '-' && strspn(c->p, "0123456789") == (size_t)(end - c->p);
	if (m->is_uint)
		m->u = strtoull(c->p, NULL, 10);
	c->p = end;
	return 0;
}

static int value(struct cur *c, struct jl_member *m);

static int array(struct cur *c, struct jl_member *m)
{
	const char *start = c->p;
	struct jl_member tmp;

	c->p++;
	ws(c);
	if (*c->p != ']') {
		for (;;) {
			ws(c);
			if (value(c, &tmp))
				return -1;
			ws(c);
			if (*c->p == ',') {
				c->p++;
				continue;
			}
			break;
		}
	}
	if (*c->p != ']')
		return fail(c, "expected ']'");
	c->p++;
	snprintf(m->raw, sizeof(m->raw), "%.*s", (int)(c->p - start), start);
	return 0;
}

/* a nested object of scalar or array members, kept as its text */
static int object(struct cur *c, struct jl_member *m)
{
	const char *start = c->p;
	struct jl_member tmp;

	c->p++;
	ws(c);
	while (*c->p != '}') {
		char key[64];

		if (string(c, key, sizeof(key), NULL, NULL))
			return -1;
		ws(c);
		if (*c->p != ':')
			return fail(c, "expected ':'");
		c->p++;
		ws(c);
		if (*c->p == '{')
			return fail(c, "an object two deep");
		if (value(c, &tmp))
			return -1;
		ws(c);
		if (*c->p == ',' && c->p[1] != '}') {
			c->p++;
			ws(c);
			continue;
		}
		if (*c->p != '}')
			return fail(c, "expected ',' or '}'");
	}
	c->p++;
	snprintf(m->raw, sizeof(m->raw), "%.*s", (int)(c->p - start), start);
	return 0;
}

static int value(struct cur *c, struct jl_member *m)
{
	if (*c->p == '{') {
		m->type = JL_OBJECT;
		return object(c, m);
	}
	if (*c->p == '"') {
		m->type = JL_STR;
		return string(c, m->str, sizeof(m->str), &m->len, &m->wide);
	}
	if (*c->p == '[') {
		m->type = JL_ARRAY;
		return array(c, m);
	}
	if (!strncmp(c->p, "true", 4) || !strncmp(c->p, "null", 4)) {
		m->type = c->p[0] == 't' ? JL_BOOL : JL_NULL;
		m->u = 1;
		c->p += 4;
		return 0;
	}
	if (!strncmp(c->p, "false", 5)) {
		m->type = JL_BOOL;
		m->u = 0;
		c->p += 5;
		return 0;
	}
	m->type = JL_NUM;
	return number(c, m);
}

int jl_parse(const char *line, struct jl_object *o, char *err, size_t errlen)
{
	struct cur c = { line, err, errlen };

	o->n = 0;
	ws(&c);
	if (*c.p != '{')
		return fail(&c, "expected '{'");
	c.p++;
	ws(&c);
	if (*c.p == '}') {
		c.p++;
		goto end;
	}
	for (;;) {
		struct jl_member *m;

		if (o->n >= JL_MAX_MEMBERS)
			return fail(&c, "too many members");
		m = &o->m[o->n];
		memset(m, 0, sizeof(*m));
		ws(&c);
		if (string(&c, m->key, sizeof(m->key), NULL, NULL))
			return -1;
		if (jl_get(o, m->key))
			return fail(&c, "duplicate key");
		ws(&c);
		if (*c.p != ':')
			return fail(&c, "expected ':'");
		c.p++;
		ws(&c);
		if (value(&c, m))
			return -1;
		o->n++;
		ws(&c);
		if (*c.p == ',') {
			c.p++;
			continue;
		}
		if (*c.p == '}') {
			c.p++;
			break;
		}
		return fail(&c, "expected ',' or '}'");
	}
end:
	ws(&c);
	if (*c.p == '\n')
		c.p++;
	if (*c.p)
		return fail(&c, "text after the object");
	return 0;
}

const struct jl_member *jl_get(const struct jl_object *o, const char *key)
{
	for (int i = 0; i < o->n; i++)
		if (!strcmp(o->m[i].key, key))
			return &o->m[i];
	return NULL;
}
