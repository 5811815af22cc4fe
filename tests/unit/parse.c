// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests: the strict parsers (numbers, ports, pids, events, sizes). */
#include "parse.h"
#include "unit.h"

void test_uint(void)
{
	unsigned long long v = 0;
	char err[200];

	CHECK(st_parse_uint("65535", 1, 65535, &v, "port", err, sizeof(err)) == 0 && v == 65535,
	      "65535");
	CHECK(st_parse_uint("70000", 1, 65535, &v, "port", err, sizeof(err)) == -1, "70000");
	CHECK_STR(err, "invalid port '70000': must be 1-65535");
	CHECK(st_parse_uint("0", 1, 65535, &v, "port", err, sizeof(err)) == -1, "0");
	CHECK(st_parse_uint("abc", 1, 65535, &v, "pid", err, sizeof(err)) == -1, "abc");
	CHECK_STR(err, "invalid pid 'abc': not a decimal number");
	CHECK(st_parse_uint("", 1, 9, &v, "pid", err, sizeof(err)) == -1, "empty");
	CHECK_STR(err, "empty pid");
	CHECK(st_parse_uint("+5", 1, 9, &v, "x", err, sizeof(err)) == -1, "+5");
	CHECK(st_parse_uint(" 5", 1, 9, &v, "x", err, sizeof(err)) == -1, "space");
	CHECK(st_parse_uint("0x10", 1, 99, &v, "x", err, sizeof(err)) == -1, "hex");
	CHECK(st_parse_uint("99999999999999999999999", 1, ~0ULL, &v, "x", err, sizeof(err)) == -1,
	      "overflow");
	CHECK(st_parse_uint("18446744073709551615", 1, ~0ULL, &v, "x", err, sizeof(err)) == 0 &&
	      v == ~0ULL, "u64 max");
	CHECK(st_parse_uint("18446744073709551616", 1, ~0ULL, &v, "x", err, sizeof(err)) == -1,
	      "u64 max + 1");
}

void test_ports(void)
{
	struct st_port_range r[ST_MAX_PORTS];
	char err[200];
	int n = 0;

	CHECK(st_parse_ports("80,443,8000-8080", r, ST_MAX_PORTS, &n, err, sizeof(err)) == 0 &&
	      n == 3 && r[0].lo == 80 && r[0].hi == 80 && r[1].lo == 443 && r[2].lo == 8000 &&
	      r[2].hi == 8080, "list with a range");
	CHECK(st_parse_ports("1-65535", r, ST_MAX_PORTS, &n, err, sizeof(err)) == 0 && n == 1 &&
	      r[0].lo == 1 && r[0].hi == 65535, "full range");
	CHECK(st_parse_ports("8080-8000", r, ST_MAX_PORTS, &n, err, sizeof(err)) == -1, "backwards");
	CHECK_STR(err, "invalid port range '8080-8000': 8080 > 8000");
	CHECK(st_parse_ports("80,,443", r, ST_MAX_PORTS, &n, err, sizeof(err)) == -1, "empty item");
	CHECK_STR(err, "empty item in port list '80,,443'");
	CHECK(st_parse_ports("", r, ST_MAX_PORTS, &n, err, sizeof(err)) == -1, "empty list");
	CHECK_STR(err, "empty port list");
	CHECK(st_parse_ports("80,", r, ST_MAX_PORTS, &n, err, sizeof(err)) == -1, "trailing comma");
	CHECK(st_parse_ports("70000", r, ST_MAX_PORTS, &n, err, sizeof(err)) == -1, "70000");
	CHECK_STR(err, "invalid port '70000': must be 1-65535");
	CHECK(st_parse_ports("1-", r, ST_MAX_PORTS, &n, err, sizeof(err)) == -1, "open range");
	CHECK(st_parse_ports("-5", r, ST_MAX_PORTS, &n, err, sizeof(err)) == -1, "negative");
	CHECK(st_parse_ports("1-2-3", r, ST_MAX_PORTS, &n, err, sizeof(err)) == -1, "two dashes");
	CHECK(st_parse_ports("1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17", r, ST_MAX_PORTS, &n, err,
			     sizeof(err)) == -1, "17 entries");
	CHECK_STR(err, "too many ports: at most 16 entries");
}

void test_pids_events_size(void)
{
	__u32 pids[ST_MAX_PIDS], mask = 0;
	unsigned long long sz = 0;
	char err[200];
	int n = 0;

	CHECK(st_parse_pids("1,4194304", pids, ST_MAX_PIDS, &n, err, sizeof(err)) == 0 && n == 2 &&
	      pids[1] == 4194304, "pids");
	CHECK(st_parse_pids("4194305", pids, ST_MAX_PIDS, &n, err, sizeof(err)) == -1, "pid max");
	CHECK(st_parse_pids("12a", pids, ST_MAX_PIDS, &n, err, sizeof(err)) == -1, "12a");
	CHECK_STR(err, "invalid pid '12a': not a decimal number");
	CHECK(st_parse_events("connect,udp", &mask, err, sizeof(err)) == 0 &&
	      mask == (ST_EV_BIT(ST_EV_CONNECT) | ST_EV_BIT(ST_EV_UDP)), "events");
	CHECK(st_parse_events("connect,close,fail,listen", &mask, err, sizeof(err)) == 0 &&
	      mask == (ST_EV_BIT(ST_EV_CONNECT) | ST_EV_BIT(ST_EV_CLOSE) | ST_EV_BIT(ST_EV_FAIL) |
		       ST_EV_BIT(ST_EV_LISTEN)), "new events");
	CHECK(st_parse_events("connect,shutdown", &mask, err, sizeof(err)) == -1, "bad event");
	CHECK_STR(err, "unknown event 'shutdown': expected connect, accept, udp, close, fail, listen or dns");
	CHECK(st_parse_size("64K", &sz, err, sizeof(err)) == 0 && sz == 65536, "64K");
	CHECK(st_parse_size("2M", &sz, err, sizeof(err)) == 0 && sz == 2 << 20, "2M");
	CHECK(st_parse_size("M", &sz, err, sizeof(err)) == -1, "bare suffix");
}
