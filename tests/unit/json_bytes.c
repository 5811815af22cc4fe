// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Unit tests: the JSON writer's numbers and strings, byte for byte, against
 * plain models written here (printf's %llu; the escaping rule of json.h one
 * byte at a time), and a string that fits only by its exact escaped length.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include "format.h"
#include "json.h"
#include "unit.h"

static struct st_json j;	/* 32 KiB: not on the test's stack */

/* the model: printable ASCII as itself, '"' and '\' after a backslash, the rest \u00hh */
static size_t model_escape(char *out, const unsigned char *s, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < n && s[i]; i++) {
		if (s[i] == '"' || s[i] == '\\')
			o += (size_t)sprintf(out + o, "\\%c", s[i]);
		else if (s[i] >= 0x20 && s[i] < 0x7f)
			out[o++] = (char)s[i];
		else
			o += (size_t)sprintf(out + o, "\\u%04x", s[i]);
	}
	out[o] = '\0';
	return o;
}

static void check_u64(unsigned long long v)
{
	char *mem = NULL, want[64];
	size_t len = 0;
	FILE *f = open_memstream(&mem, &len);

	st_json_begin(&j, f);
	st_json_u64(&j, "v", v);
	st_json_end(&j);
	fclose(f);
	snprintf(want, sizeof(want), "{\"v\":%llu}\n", v);
	CHECK(!strcmp(mem, want), "%llu: expected %s, got %s", v, want, mem);
	free(mem);
}

static void test_numbers(void)
{
	unsigned long long p = 1, x = 88172645463325252ULL;

	for (int i = 0; i < 20; i++, p *= 10) {	/* each length, at its edges */
		check_u64(p);
		check_u64(p - 1);
		check_u64(p + 1);
	}
	check_u64(UINT64_MAX);
	for (int i = 0; i < 200; i++) {	/* and scattered (xorshift) */
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		check_u64(x >> (i % 64));
	}
}

/* every byte value in a string, and a hostile comm in an event: escaped as the model says */
static void test_strings(void)
{
	unsigned char all[255];
	char want[255 * 6 + 64], got_esc[255 * 6 + 1], *mem = NULL;
	size_t len = 0, n;
	FILE *f = open_memstream(&mem, &len);

	for (int i = 0; i < 255; i++)
		all[i] = (unsigned char)(i + 1);
	st_json_begin(&j, f);
	st_json_str(&j, "s", (const char *)all, sizeof(all));
	st_json_end(&j);
	fclose(f);
	n = model_escape(got_esc, all, sizeof(all));
	snprintf(want, sizeof(want), "{\"s\":\"%s\"}\n", got_esc);
	CHECK(n == 93 + 2 * 2 + 160 * 6 && !strcmp(mem, want), "all bytes: expected %s, got %s", want,
	      mem);
	free(mem);

	/* a comm of 16 bytes, none NUL, each escaped: the whole 16, 6 bytes each */
	struct st_event e = { .type = ST_EV_CONNECT, .proto = 6, .family = 4, .pid = 7 };
	const char evil[ST_COMM_LEN] = "\x1b]0;\"\\\n\r\x7f\xff\x80\x01\t\b\f\x1f";

	memcpy(e.comm, evil, ST_COMM_LEN);
	mem = NULL;
	f = open_memstream(&mem, &len);
	st_print_json(f, &e, 0, NULL);
	fclose(f);
	CHECK(strstr(mem, ",\"comm\":\"\\u001b]0;\\\"\\\\\\u000a\\u000d\\u007f\\u00ff\\u0080"
			  "\\u0001\\u0009\\u0008\\u000c\\u001f\",\"proto\":\"tcp\",") != NULL,
	      "hostile comm: %s", mem);
	free(mem);
}

/* a line of 7 strings of 4096 bytes and one of pad bytes, then one of 100 escaped bytes, or not */
static char *padded_line(const char *big, size_t pad, bool last)
{
	static const char quotes[100] = { [0 ... 99] = '"' };
	char *mem = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&mem, &len);

	st_json_begin(&j, f);
	for (int i = 0; i < 7; i++)
		st_json_str(&j, "s", big, ST_JSON_STR_MAX);
	st_json_str(&j, "p", big, pad);
	if (last)
		st_json_str(&j, "z", quotes, sizeof(quotes));	/* 200 bytes escaped, 600 at worst */
	st_json_end(&j);
	fclose(f);
	return mem;
}

/*
 * The last string is written when its exact escaped length fits, and left out
 * (counted) when it does not, whatever room all its bytes escaped would need.
 */
static void test_exact_fit(void)
{
	static char big[ST_JSON_STR_MAX];
	char z[256];
	int written = 0, left_out = 0;

	memset(big, 'x', sizeof(big));
	memset(z, 0, sizeof(z));
	strcpy(z, ",\"z\":\"");
	for (int i = 0; i < 100; i++)
		strcat(z, "\\\"");
	strcat(z, "\"");
	for (size_t pad = 3000; pad <= 4000; pad++) {
		char *a = padded_line(big, pad, false), *b = padded_line(big, pad, true), *want;
		size_t body = strlen(a) - 2;	/* without the closing "}\n" */
		bool fits = body + strlen(z) + (ST_JSON_DEPTH + 32) <= sizeof(j.buf);

		if (strstr(a, "\"cut\"")) {	/* the pad itself did not fit: past the range */
			free(a);
			free(b);
			break;
		}
		if (asprintf(&want, "%.*s%s}\n", (int)body, a, fits ? z : ",\"cut\":1") < 0)
			want = NULL;
		CHECK(want && !strcmp(b, want), "pad %zu: %zu bytes, expected %zu", pad, strlen(b),
		      want ? strlen(want) : 0);
		written += fits;
		left_out += !fits;
		free(want);
		free(a);
		free(b);
	}
	CHECK(written > 400 && left_out > 50, "both sides of the edge: %d written, %d left out",
	      written, left_out);
}

void test_json_bytes(void)
{
	test_numbers();
	test_strings();
	test_exact_fit();
}
