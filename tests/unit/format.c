// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests: what is printed: endpoints, escaped strings, event lines in text and JSON. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <arpa/inet.h>
#include "addr.h"
#include "escape.h"
#include "format.h"
#include "local_peers.h"
#include "../jsonl.h"
#include "unit.h"

void test_format(void)
{
	char buf[ST_ADDR_LEN];
	__u8 a4[16] = { 127, 0, 0, 1 }, a6[16];

	inet_pton(AF_INET6, "2001:db8::1", a6);
	st_format_endpoint(buf, sizeof(buf), 4, a4, 12000);
	CHECK_STR(buf, "127.0.0.1:12000");
	st_format_endpoint(buf, sizeof(buf), 6, a6, 443);
	CHECK_STR(buf, "[2001:db8::1]:443");
	memset(a6, 0, sizeof(a6));
	a6[15] = 1;
	st_format_endpoint(buf, sizeof(buf), 6, a6, 1);
	CHECK_STR(buf, "[::1]:1");
	/* IPv4 by hand (addr.c): inet_ntop's text for every value in every octet */
	for (unsigned v = 0; v < 256 * 4; v++) {
		char want[INET_ADDRSTRLEN];
		__u8 q[4] = { 10, 200, 3, 44 };

		q[v / 256] = (__u8)(v % 256);
		inet_ntop(AF_INET, q, want, sizeof(want));
		st_format_ip(buf, sizeof(buf), 4, q);
		CHECK_STR(buf, want);
	}
	a4[0] = 255, a4[1] = 255, a4[2] = 255, a4[3] = 255;
	st_format_endpoint(buf, sizeof(buf), 4, a4, 65535);
	CHECK_STR(buf, "255.255.255.255:65535");
	st_format_endpoint(buf, 8, 4, a4, 65535);	/* cut as snprintf() cuts */
	CHECK_STR(buf, "255.255");
	st_format_ip(buf, 8, 4, a4);	/* no room: as inet_ntop() fails */
	CHECK_STR(buf, "?");
}

void test_escape(void)
{
	char out[ST_ESC_MAX(16)];
	const char evil[16] = "a\x1b[2J\"\\\xff\n\x7f";

	st_escape(out, sizeof(out), evil, sizeof(evil), ST_ESC_TEXT);
	CHECK_STR(out, "a\\x1b[2J\"\\\\\\xff\\x0a\\x7f");
	st_escape(out, sizeof(out), evil, sizeof(evil), ST_ESC_JSON);
	CHECK_STR(out, "a\\u001b[2J\\\"\\\\\\u00ff\\u000a\\u007f");
	/* 16 bytes without a NUL: all of them, and no more */
	st_escape(out, sizeof(out), "0123456789abcdefXYZ", 16, ST_ESC_TEXT);
	CHECK_STR(out, "0123456789abcdef");
	/* truncation never splits an escape */
	st_escape(out, 6, "ab\x01", 3, ST_ESC_TEXT);
	CHECK_STR(out, "ab");
	/* every byte value in text: printable ASCII as itself but backslash, the rest \xhh */
	for (unsigned c = 1; c < 256; c++) {
		char in[2] = { (char)c, 0 }, want[8];

		if (c == '\\')
			strcpy(want, "\\\\");
		else if (c >= 0x20 && c < 0x7f)
			snprintf(want, sizeof(want), "%c", c);
		else
			snprintf(want, sizeof(want), "\\x%02x", c);
		CHECK(st_escape(out, sizeof(out), in, 1, ST_ESC_TEXT) == strlen(want) &&
		      !strcmp(out, want), "byte 0x%02x: expected %s, got %s", c, want, out);
	}
}

/* a remote name (dns_cache.c): JSON after rport, text at INFO's end, escaped like comm */
static char *print_rname(bool json, const char *rname)
{
	return unit_print_connect(json, &(struct st_enriched){ .rname = rname });
}

static void test_rname_printers(void)
{
	char *s;

	s = print_rname(true, "a\\.b\"c.test");	/* a presentation escape, a quote */
	CHECK(strstr(s, "\"rport\":2,\"rname\":\"a\\\\.b\\\"c.test\",\"cookie\"") != NULL,
	      "json: %s", s);
	free(s);
	s = print_rname(false, "www.example.com");
	CHECK(strstr(s, "0.0.0.0:2            -             rname=www.example.com\n") != NULL, "text: %s", s);
	free(s);
	s = print_rname(false, "a\\.b");
	CHECK(strstr(s, " rname=a\\\\.b\n") != NULL, "text escaped: %s", s);
	free(s);
	s = print_rname(false, "0123456789012345678901234567890123456789.test");
	CHECK(strstr(s, " rname=012345678901234567890123456789012345678~\n") != NULL, "cut: %s", s);
	free(s);
	s = print_rname(true, NULL);
	CHECK(!strstr(s, "rname"), "none: %s", s);
	free(s);
}

/* the text line of e, after its local time */
static char *text_of(const struct st_event *e)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	st_print_text(f, e, 0, NULL);
	fclose(f);
	memmove(buf, buf + 13, strlen(buf + 13) + 1);
	return buf;
}

/* a NATed connect: JSON after rport (and rname), text in INFO before the peer and rname */
static void test_nat_printers(void)
{
	struct st_local_peer peer = { .pid = 9, .comm = "srv" };
	struct st_enriched x = { .peer = &peer, .rname = "a.test" };
	struct st_event e = { .type = ST_EV_CONNECT, .proto = 6, .family = 4, .pid = 7,
			      .lport = 1, .rport = 80, .comm = "c", .raddr = { 192, 0, 2, 10 },
			      .flags = ST_EVF_NAT, .nat_raddr = { 127, 0, 0, 1 }, .nat_rport = 8080 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	st_print_json(f, &e, 0, &x);
	fclose(f);
	CHECK(strstr(buf, "\"raddr\":\"192.0.2.10\",\"rport\":80,\"rname\":\"a.test\","
			  "\"nat_raddr\":\"127.0.0.1\",\"nat_rport\":8080,\"cookie\"") != NULL,
	      "json: %s", buf);
	free(buf);
	buf = text_of(&e);
	CHECK_STR(buf, "7       c               connect 0.0.0.0:1            192.0.2.10:80        "
		       "-             nat=127.0.0.1:8080\n");
	free(buf);
	e.family = 6;
	memset(e.nat_raddr, 0, 16);
	e.nat_raddr[15] = 1;
	memset(e.raddr, 0, 16);
	buf = text_of(&e);
	CHECK(strstr(buf, "[::]:80              -             nat=[::1]:8080\n") != NULL, "v6: %s", buf);
	free(buf);
	e.flags = 0;	/* no NAT seen: nothing claimed */
	buf = text_of(&e);
	CHECK(!strstr(buf, "nat="), "none: %s", buf);
	free(buf);
}

/* no protocol column: a UDP connect()'s fail says it in INFO; the header's columns are the lines' */
static void test_text_columns(void)
{
	struct st_event e = { .type = ST_EV_FAIL, .proto = 17, .family = 4, .pid = 7,
			      .lport = 1, .rport = 2, .reason = EPERM, .comm = "c" };
	char *buf = text_of(&e);
	size_t len = 0;
	FILE *f;

	CHECK_STR(buf, "7       c               fail    0.0.0.0:1            0.0.0.0:2            "
		       "-             udp EPERM\n");
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	st_print_header(f);
	fclose(f);
	CHECK_STR(buf, "TIME         PID     COMM            EVENT   LOCAL                "
		       "REMOTE               WHO           INFO\n");
	free(buf);
}

void test_event_printers(void)
{
	struct st_event e = {
		.ts_ns = 1000000000ULL, .cookie = 42, .cgroup = 7, .pid = 1234, .tid = 1235,
		.uid = 1000, .netns = 4026531840u, .type = ST_EV_CONNECT, .proto = 6, .family = 4,
		.lport = 54321, .rport = 12000, .laddr = { 127, 0, 0, 1 }, .raddr = { 127, 0, 0, 2 },
		.comm = "cu\"rl\x1b",
	};
	char *buf = NULL, err[160];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct jl_object o;

	st_print_json(f, &e, 1795000000LL * 1000000000LL, NULL);
	fclose(f);
	CHECK_STR(buf, "{\"ts\":1795000001000000000,\"event\":\"connect\",\"pid\":1234,\"tid\":1235,"
		       "\"uid\":1000,\"comm\":\"cu\\\"rl\\u001b\",\"proto\":\"tcp\",\"family\":4,"
		       "\"laddr\":\"127.0.0.1\",\"lport\":54321,\"raddr\":\"127.0.0.2\","
		       "\"rport\":12000,\"cookie\":42,\"netns\":4026531840,\"cgroup\":7}\n");
	CHECK(jl_parse(buf, &o, err, sizeof(err)) == 0, "strict parse: %s", err);
	CHECK(o.n == 15 && !strcmp(jl_get(&o, "comm")->str, "cu\"rl\x1b"), "comm round-trips");
	free(buf);

	/* text: the time is local; everything after it is fixed */
	buf = NULL;
	f = open_memstream(&buf, &len);
	e.family = 6;
	memset(e.laddr, 0, 16);
	e.laddr[15] = 1;
	memcpy(e.raddr, e.laddr, 16);
	e.type = ST_EV_ACCEPT;
	st_print_text(f, &e, 0, NULL);
	fclose(f);
	CHECK(strlen(buf) > 13, "text line");
	CHECK_STR(buf + 13, "1234    cu\"rl\\x1b       accept  [::1]:54321          "
			    "[::1]:12000          -\n");
	free(buf);

	/* a close: its duration and bytes; a late one: neither, and "late" says why */
	e.type = ST_EV_CLOSE;
	e.duration_ns = 2500000;
	e.tx_bytes = 10;
	e.rx_bytes = 20;
	for (int late = 0; late < 2; late++) {
		e.flags = late ? ST_EVF_LATE : 0;
		buf = NULL;
		f = open_memstream(&buf, &len);
		st_print_text(f, &e, 0, NULL);
		fclose(f);
		CHECK(strlen(buf) > 13, "close text line");
		CHECK_STR(buf + 13, late ?
			  "1234    cu\"rl\\x1b       close   [::1]:54321          "
			  "[::1]:12000          -             late: not seen as it happened\n" :
			  "1234    cu\"rl\\x1b       close   [::1]:54321          "
			  "[::1]:12000          -             2.500ms tx=10 rx=20\n");
		free(buf);
		buf = NULL;
		f = open_memstream(&buf, &len);
		st_print_json(f, &e, 0, NULL);
		fclose(f);
		CHECK(jl_parse(buf, &o, err, sizeof(err)) == 0, "close JSON: %s", err);
		CHECK(late ? jl_get(&o, "late") && jl_get(&o, "late")->type == JL_BOOL && !jl_get(&o, "duration_ns") && !jl_get(&o, "tx_bytes") :
			     !jl_get(&o, "late") && jl_get(&o, "duration_ns") &&
				     jl_get(&o, "duration_ns")->u == 2500000,
		      "close JSON (late=%d): %s", late, buf);
		free(buf);
	}
	/* an existing socket's open: its state and holders; its close: a lower bound */
	{
		struct st_existing x = { .n_pids = 3, .pids_more = 1, .pids = { 10, 11, 12 } };

		x.event = e;
		x.event.type = ST_EV_ACCEPT;
		x.event.flags = ST_EVF_EXISTING;
		x.event.state = 8;	/* TCP_CLOSE_WAIT */
		buf = NULL;
		f = open_memstream(&buf, &len);
		st_print_text(f, &x.event, 0, &(struct st_enriched){ .existing = &x });
		fclose(f);
		CHECK(strlen(buf) > 13, "existing text line");
		CHECK_STR(buf + 13, "1234    cu\"rl\\x1b       accept  [::1]:54321          "
				    "[::1]:12000          -             existing CLOSE-WAIT pids=10,11,12,+1\n");
		free(buf);
		buf = NULL;
		f = open_memstream(&buf, &len);
		st_print_json(f, &x.event, 0, &(struct st_enriched){ .existing = &x });
		fclose(f);
		CHECK(jl_parse(buf, &o, err, sizeof(err)) == 0, "existing JSON: %s", err);
		CHECK(jl_get(&o, "existing") && jl_get(&o, "state") &&
			      !strcmp(jl_get(&o, "state")->str, "CLOSE-WAIT") && jl_get(&o, "pids") &&
			      !strcmp(jl_get(&o, "pids")->raw, "[10,11,12]") &&
			      jl_get(&o, "pids_more")->u == 1,
		      "existing JSON: %s", buf);
		free(buf);
		x.event.type = ST_EV_UDP;
		x.event.state = 7;	/* TCP_CLOSE: not connected */
		x.event.rport = 0;
		x.n_pids = 1;
		x.pids_more = 0;
		buf = NULL;
		f = open_memstream(&buf, &len);
		st_print_text(f, &x.event, 0, &(struct st_enriched){ .existing = &x });
		fclose(f);
		CHECK_STR(buf + 13, "1234    cu\"rl\\x1b       udp     [::1]:54321          "
				    "[::]:*               -             existing UNCONN\n");
		free(buf);
		e.type = ST_EV_CLOSE;
		e.flags = ST_EVF_EXISTING | ST_EVF_LOWER_BOUND;
		buf = NULL;
		f = open_memstream(&buf, &len);
		st_print_text(f, &e, 0, NULL);
		fclose(f);
		CHECK_STR(buf + 13, "1234    cu\"rl\\x1b       close   [::1]:54321          "
				    "[::1]:12000          -             >2.500ms tx=10 rx=20 existing\n");
		free(buf);
	}
	test_text_columns();
	test_rname_printers();
	test_nat_printers();
}
