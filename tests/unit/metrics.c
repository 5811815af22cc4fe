// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests: --metrics: its address, the HTTP parser, the sums, the labels, their escaping. */
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include "http.h"
#include "metrics.h"
#include "metrics_text.h"
#include "metrics_procs.h"
#include "parse.h"
#include "unit.h"

static int parse(const char *s, struct st_http_req *r)
{
	return st_http_parse(s, strlen(s), r);
}

void test_metrics_listen(void)
{
	struct st_listen a;
	char err[200];

	CHECK(!st_parse_listen("localhost:9464", &a, err, sizeof(err)) && a.family == 4 &&
	      !memcmp(a.addr, "\x7f\0\0\x01", 4) && a.port == 9464, "localhost");
	CHECK(!st_parse_listen("127.0.0.1:1", &a, err, sizeof(err)) && a.family == 4 &&
	      a.port == 1, "127.0.0.1");
	CHECK(!st_parse_listen("[::1]:9464", &a, err, sizeof(err)) && a.family == 6 &&
	      a.addr[15] == 1, "[::1]");
	CHECK(!st_parse_listen(":9464", &a, err, sizeof(err)) && a.family == 0, ":9464");
	CHECK(st_parse_listen("9464", &a, err, sizeof(err)) == -1, "no colon");
	CHECK_STR(err, "invalid metrics address '9464': expected [ADDR]:PORT");
	CHECK(st_parse_listen(":0", &a, err, sizeof(err)) == -1, "port 0");
	CHECK(st_parse_listen("::1:80", &a, err, sizeof(err)) == -1, "v6 without brackets");
	CHECK(st_parse_listen("host.example:80", &a, err, sizeof(err)) == -1, "a name");
}

void test_http(void)
{
	struct st_http_req r;

	CHECK(parse("GET /metrics HTTP/1.1\r\nHost: a:1\r\n\r\n", &r) == ST_HTTP_DONE &&
	      r.status == 200 && r.method == ST_HTTP_GET && r.len == 36, "GET");
	CHECK(parse("HEAD /metrics?x HTTP/1.0\n\n", &r) == ST_HTTP_DONE && r.status == 200 &&
	      r.method == ST_HTTP_HEAD, "HEAD, bare LF, a query");
	CHECK(parse("GET /metricsx HTTP/1.1\r\n\r\n", &r) == ST_HTTP_DONE && r.status == 404,
	      "404");
	CHECK(parse("PUT /metrics HTTP/1.1\r\n\r\n", &r) == ST_HTTP_DONE && r.status == 405,
	      "405");
	CHECK(parse("GET /metrics HTTP/1.1\r\nHo", &r) == ST_HTTP_MORE, "partial");
	CHECK(parse("", &r) == ST_HTTP_MORE, "empty");
	CHECK(parse("GET /metrics HTTP/2.0\r\n\r\n", &r) == ST_HTTP_BAD && r.status == 400,
	      "HTTP/2");
	CHECK(parse("GET metrics HTTP/1.1\r\n\r\n", &r) == ST_HTTP_BAD, "no slash");
	CHECK(parse("GET  /metrics HTTP/1.1\r\n\r\n", &r) == ST_HTTP_BAD, "two spaces");
	CHECK(parse("GET /metrics HTTP/1.1\r\nBad header\r\n\r\n", &r) == ST_HTTP_BAD,
	      "header without colon");
	CHECK(parse("GET /metrics HTTP/1.1\r\nA: \x01\r\n\r\n", &r) == ST_HTTP_BAD,
	      "control byte in a header");
	CHECK(parse("\x16\x03\x01", &r) == ST_HTTP_BAD, "TLS, partial: bad at once");
	CHECK(parse("GET /m\rx HTTP/1.1\r\n\r\n", &r) == ST_HTTP_BAD, "lone CR");
}

static struct st_event ev(int type, const char *comm)
{
	struct st_event e = { .type = (__u8)type };

	memcpy(e.comm, comm, strnlen(comm, ST_COMM_LEN));
	return e;
}

void test_metrics(void)
{
	struct st_metrics m;
	struct st_event e;
	struct st_mbuf b = {};
	struct st_mself self = { .version = "1.0", .backend = "fentry", .dropped = 7,
				 .hooks_skipped = 3 };
	char label[ST_MLABEL_LEN];

	CHECK(!st_metrics_init(&m, 2, ST_ML_DEFAULT), "init");
	e = ev(ST_EV_CONNECT, "curl");
	st_metrics_event(&m, &e, NULL);
	st_metrics_event(&m, &e, NULL);
	e = ev(ST_EV_FAIL, "curl");
	e.reason = ECONNREFUSED;
	st_metrics_event(&m, &e, NULL);
	e.proto = IPPROTO_UDP;		/* a UDP connect() that failed: no TCP failure */
	st_metrics_event(&m, &e, NULL);
	e.proto = IPPROTO_TCP;
	e.reason = EADDRNOTAVAIL;	/* before any SYN: reason other */
	st_metrics_event(&m, &e, NULL);
	e = ev(ST_EV_CLOSE, "0123456789abcdef");	/* 16 bytes, no NUL */
	e.duration_ns = 2000000;	/* 2 ms: the 5 ms bucket */
	e.tx_bytes = 10;
	st_metrics_event(&m, &e, NULL);
	e = ev(ST_EV_CONNECT, "third");		/* past the limit of 2 */
	st_metrics_event(&m, &e, NULL);
	e = ev(ST_EV_CLOSE, "curl");
	e.flags = ST_EVF_LATE;
	st_metrics_event(&m, &e, NULL);
	CHECK(m.n == 2 && m.overflow == 1 && m.other.connects == 1, "limit: n %zu overflow %llu",
	      m.n, (unsigned long long)m.overflow);
	CHECK(m.closes_late == 1 && m.events[ST_EV_CONNECT] == 3, "late, events");
	st_metrics_text(&b, &m, &self);
	CHECK(b.p && strstr(b.p, "socktrace_tcp_connects_total{comm=\"curl\"} 2\n"), "curl");
	CHECK(b.p && strstr(b.p, "socktrace_tcp_connects_total{comm=\"other\"} 1\n"), "other");
	CHECK(b.p && strstr(b.p, "socktrace_tcp_failures_total{comm=\"curl\",reason=\"refused\"} 1\n"),
	      "refused");
	CHECK(b.p && strstr(b.p, "socktrace_tcp_failures_total{comm=\"curl\",reason=\"other\"} 1\n"),
	      "EADDRNOTAVAIL");
	CHECK(b.p && strstr(b.p, "socktrace_tcp_connection_duration_seconds_bucket{comm="
			    "\"0123456789abcdef\",le=\"0.005\"} 1\n"), "bucket");
	CHECK(b.p && strstr(b.p, "socktrace_tcp_connection_duration_seconds_bucket{comm="
			    "\"0123456789abcdef\",le=\"0.001\"} 0\n"), "bucket below");
	CHECK(b.p && strstr(b.p, "socktrace_tcp_open_connections{comm=\"curl\"} 1\n"), "open");
	CHECK(b.p && strstr(b.p, "socktrace_events_dropped_total 7\n"), "dropped");
	CHECK(b.p && strstr(b.p, "socktrace_hook_runs_skipped_total 3\n"), "skipped hook runs");
	CHECK(b.p && strstr(b.p, "socktrace_build_info{version=\"1.0\",backend=\"fentry\"} 1\n"),
	      "build info");
	free(b.p);
	st_metrics_free(&m);

	st_metrics_label(label, "a\"b\\c\nd");
	CHECK_STR(label, "a\\\"b\\\\\\\\c\\\\x0ad");
}

static struct st_cg_ident ident(const char *container, const char *unit, const char *pod)
{
	struct st_cg_ident id = {};

	snprintf(id.container, sizeof(id.container), "%s", container);
	snprintf(id.unit, sizeof(id.unit), "%s", unit);
	snprintf(id.pod, sizeof(id.pod), "%s", pod);
	return id;
}

static int has(const struct st_mbuf *b, const char *line)
{
	return b->p && strstr(b->p, line);
}

void test_metrics_labels(void)
{
	static const char c1[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	struct st_cg_ident a = ident(c1, "", ""), u = ident("", "web.service", ""),
			   q = ident("", "we\"ird\\\x01.service", "p-1"), none = ident("", "", "");
	struct st_mself self = { .version = "1", .backend = "tracepoint" };
	struct st_event e = ev(ST_EV_CONNECT, "curl");
	struct st_metrics m;
	struct st_mbuf b = {};
	unsigned l;
	char err[200];

	/* the list */
	CHECK(!st_mlabels_parse("comm", &l, err, sizeof(err)) && l == ST_ML_DEFAULT, "comm");
	CHECK(!st_mlabels_parse("unit,comm,container,pod", &l, err, sizeof(err)) &&
	      l == (ST_ML_DEFAULT | ST_ML_CGROUP), "all four, any order");
	CHECK(st_mlabels_parse("comm,pid", &l, err, sizeof(err)) == -1, "pid");
	CHECK_STR(err, "unknown metrics label 'pid': expected a list of comm, container, unit and pod");
	CHECK(st_mlabels_parse("comm,comm", &l, err, sizeof(err)) == -1, "twice");
	CHECK_STR(err, "repeated metrics label 'comm': expected a list of comm, container, unit and pod");
	CHECK(st_mlabels_parse("", &l, err, sizeof(err)) == -1, "empty");
	CHECK(st_mlabels_parse("comm,", &l, err, sizeof(err)) == -1, "trailing comma");

	/* comm, container, unit: one series per (comm, container, unit), up to 3 */
	CHECK(!st_metrics_init(&m, 3, ST_ML_DEFAULT | ST_ML_BIT(ST_ML_CONTAINER) |
				      ST_ML_BIT(ST_ML_UNIT)), "init");
	st_metrics_event(&m, &e, &a);
	st_metrics_event(&m, &e, &a);
	st_metrics_event(&m, &e, &u);
	st_metrics_event(&m, &e, NULL);		/* not named: the same series as none */
	st_metrics_event(&m, &e, &none);
	e = ev(ST_EV_CONNECT, "other");		/* named other, in a unit: a key of its own (the 4th) */
	st_metrics_event(&m, &e, &q);		/* past the limit of 3 */
	e = ev(ST_EV_CONNECT, "curl");
	st_metrics_event(&m, &e, &q);		/* a 4th key too: past the limit */
	st_metrics_event(&m, &e, &u);		/* known: not an overflow */
	CHECK(m.n == 3 && m.overflow == 2 && m.other.connects == 2, "n %zu overflow %llu other %llu",
	      m.n, (unsigned long long)m.overflow, (unsigned long long)m.other.connects);
	CHECK(st_metrics_series(&m, "curl", &a)->connects == 2 &&
	      st_metrics_series(&m, "curl", &u)->connects == 2 &&
	      st_metrics_series(&m, "curl", NULL)->connects == 2, "the keyed sums");
	CHECK(m.overflow == 2, "lookups of known keys do not overflow");
	st_metrics_text(&b, &m, &self);
	CHECK(has(&b, "socktrace_tcp_connects_total{comm=\"curl\",container=\"0123456789abcdef"
		  "0123456789abcdef0123456789abcdef0123456789abcdef\",unit=\"\"} 2\n"), "container");
	CHECK(has(&b, "socktrace_tcp_connects_total{comm=\"curl\",container=\"\",unit=\"web.service\"} 2\n"),
	      "unit");
	CHECK(has(&b, "socktrace_tcp_connects_total{comm=\"curl\",container=\"\",unit=\"\"} 2\n"), "none");
	CHECK(has(&b, "socktrace_tcp_connects_total{comm=\"other\",container=\"\",unit=\"\"} 2\n"),
	      "other, labels empty");
	CHECK(has(&b, "socktrace_tcp_failures_total") &&
	      has(&b, "socktrace_tcp_connection_duration_seconds_count{comm=\"curl\",container=\"\","
		  "unit=\"web.service\"} 0\n"), "histogram labels");
	CHECK(!strstr(b.p, "pod="), "pod not chosen: not written");
	free(b.p);
	b = (struct st_mbuf){};
	st_metrics_free(&m);

	/* unit and pod only: no comm label, a strange unit escaped */
	CHECK(!st_metrics_init(&m, 10, ST_ML_BIT(ST_ML_UNIT) | ST_ML_BIT(ST_ML_POD)), "init 2");
	st_metrics_event(&m, &e, &q);
	e = ev(ST_EV_CONNECT, "wget");		/* another name, the same unit and pod */
	st_metrics_event(&m, &e, &q);
	CHECK(m.n == 1 && st_metrics_series(&m, "x", &q)->connects == 2, "comm not a key");
	st_metrics_text(&b, &m, &self);
	CHECK(has(&b, "socktrace_tcp_connects_total{unit=\"we\\\"ird\\\\\\\\\\\\x01.service\",pod=\"p-1\"} 2\n"),
	      "escaped unit: %s", b.p ? strstr(b.p, "connects_total{") : "");
	CHECK(!strstr(b.p, "{comm="), "no comm label");
	free(b.p);
	st_metrics_free(&m);
}

/* one process table row, for st_mprocs_seen() */
static struct st_proc_stats prow(const char *comm, __u64 packets, __u64 bytes)
{
	struct st_proc_stats s = { .udp_packets = packets, .udp_tx_bytes = bytes };

	strncpy(s.comm, comm, ST_COMM_LEN);
	return s;
}

static __u64 udp_out(struct st_metrics *m, const char *comm)
{
	return st_metrics_series(m, comm, NULL)->udp_packets_out;
}

void test_metrics_procs(void)
{
	struct st_metrics m;
	struct st_mprocs p;
	struct st_proc_stats s;

	CHECK(!st_metrics_init(&m, 100, ST_ML_DEFAULT) && !st_mprocs_init(&p, 4), "init");
	/* read 1: two processes */
	s = prow("dns", 5, 50);
	st_mprocs_seen(&p, &m, 10, &s);
	s = prow("ntp", 1, 48);
	st_mprocs_seen(&p, &m, 11, &s);
	st_mprocs_end(&p);
	/* read 2: dns grew by 2; ntp was evicted; a new pid of the same name */
	s = prow("dns", 7, 70);
	st_mprocs_seen(&p, &m, 10, &s);
	s = prow("ntp", 4, 10);
	st_mprocs_seen(&p, &m, 12, &s);
	st_mprocs_end(&p);
	CHECK(udp_out(&m, "dns") == 7 && st_metrics_series(&m, "dns", NULL)->udp_bytes_out == 70,
	      "dns: deltas summed: %llu", (unsigned long long)udp_out(&m, "dns"));
	CHECK(udp_out(&m, "ntp") == 5, "ntp: the evicted pid's sum stays: %llu",
	      (unsigned long long)udp_out(&m, "ntp"));
	CHECK(p.evicted == 1 && p.n == 2 && p.tracked == 3, "evicted %llu n %zu tracked %llu",
	      (unsigned long long)p.evicted, p.n, (unsigned long long)p.tracked);
	/* read 3: pid 11 comes back with another name (reused): counted from 0,
	 * in a slot that held other counts before (no leftovers) */
	s = prow("web", 2, 20);
	st_mprocs_seen(&p, &m, 11, &s);
	st_mprocs_end(&p);
	CHECK(udp_out(&m, "web") == 2, "reused pid: %llu", (unsigned long long)udp_out(&m, "web"));
	CHECK(p.evicted == 3 && p.n == 1, "all but pid 11 gone: %llu", (unsigned long long)p.evicted);
	/* the same pid and name with counters gone down: a new process */
	s = prow("web", 1, 5);
	st_mprocs_seen(&p, &m, 11, &s);
	st_mprocs_end(&p);
	CHECK(udp_out(&m, "web") == 3, "restart: %llu", (unsigned long long)udp_out(&m, "web"));
	/* many pids through a small table: slots are reused, each counted once */
	for (__u32 pid = 100; pid < 300; pid++) {
		s = prow("burst", 1, 1);
		st_mprocs_seen(&p, &m, pid, &s);
		st_mprocs_end(&p);
	}
	CHECK(udp_out(&m, "burst") == 200, "burst: %llu", (unsigned long long)udp_out(&m, "burst"));
	CHECK(st_mprocs_unread(&p, p.tracked + 4) == 4 && st_mprocs_unread(&p, 0) == 0, "unread");
	st_mprocs_free(&p);
	st_metrics_free(&m);
}
