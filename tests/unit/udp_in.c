// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Unit tests: UDP in both directions as the printers show it (dir, folded)
 * and as the metrics count it (dir="out" and dir="in" series).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "format.h"
#include "metrics.h"
#include "metrics_procs.h"
#include "metrics_text.h"
#include "unit.h"

static char *print_udp(bool json, __u8 flags)
{
	struct st_event e = { .type = ST_EV_UDP, .proto = 17, .family = 4, .pid = 7, .lport = 9100,
			      .rport = 40000, .comm = "srv", .flags = flags,
			      .laddr = { 127, 0, 0, 1 }, .raddr = { 127, 0, 0, 2 } };
	char *mem = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&mem, &len);

	if (flags & ST_EVF_FOLDED)
		e.rport = 0;
	if (json)
		st_print_json(f, &e, 0, NULL);
	else
		st_print_text(f, &e, 0, NULL);
	fclose(f);
	return mem;
}

static void test_udp_printers(void)
{
	char *s;

	s = print_udp(true, 0);
	CHECK(strstr(s, "\"cgroup\":0,\"dir\":\"out\"}\n") != NULL, "out json: %s", s);
	free(s);
	s = print_udp(true, ST_EVF_IN);
	CHECK(strstr(s, "\"rport\":40000,") && strstr(s, "\"cgroup\":0,\"dir\":\"in\"}\n"),
	      "in json: %s", s);
	free(s);
	s = print_udp(true, ST_EVF_IN | ST_EVF_FOLDED);
	CHECK(strstr(s, "\"rport\":0,") && strstr(s, "\"dir\":\"in\",\"folded\":true}\n"),
	      "folded json: %s", s);
	free(s);
	s = print_udp(false, 0);
	CHECK(strstr(s, "127.0.0.1:9100       127.0.0.2:40000      -\n") != NULL, "out text: %s", s);
	free(s);
	s = print_udp(false, ST_EVF_IN);
	CHECK(strstr(s, "127.0.0.1:9100       127.0.0.2:40000      -             in\n") != NULL,
	      "in text: %s", s);
	free(s);
	s = print_udp(false, ST_EVF_IN | ST_EVF_FOLDED);
	CHECK(strstr(s, "127.0.0.1:9100       127.0.0.2:*          -             in, every source port\n"),
	      "folded text: %s", s);
	free(s);
}

static void test_udp_metrics(void)
{
	struct st_event e = { .type = ST_EV_UDP, .proto = 17, .family = 4, .comm = "srv" };
	struct st_proc_stats s = { .comm = "srv", .udp_packets = 2, .udp_tx_bytes = 20,
				   .udp_rx_packets = 300, .udp_rx_bytes = 7200 };
	struct st_mself self = { .version = "1", .backend = "tracepoint" };
	struct st_metrics m;
	struct st_mprocs p;
	struct st_mbuf b = {};

	CHECK(!st_metrics_init(&m, 4, ST_ML_DEFAULT) && !st_mprocs_init(&p, 4), "init");
	st_metrics_event(&m, &e, NULL);
	e.flags = ST_EVF_IN;
	st_metrics_event(&m, &e, NULL);
	st_metrics_event(&m, &e, NULL);
	st_mprocs_seen(&p, &m, 42, &s);
	st_mprocs_end(&p);
	s.udp_rx_packets = 310;		/* the next read: only what grew is added */
	s.udp_rx_bytes = 7440;
	st_mprocs_seen(&p, &m, 42, &s);
	st_mprocs_end(&p);
	st_metrics_text(&b, &m, &self);
	CHECK(b.p && strstr(b.p, "socktrace_udp_flows_total{comm=\"srv\",dir=\"out\"} 1\n"
			       "socktrace_udp_flows_total{comm=\"srv\",dir=\"in\"} 2\n"),
	      "flows: %s", b.p ? strstr(b.p, "socktrace_udp_flows_total{") : "");
	CHECK(b.p && strstr(b.p, "socktrace_udp_packets_total{comm=\"srv\",dir=\"out\"} 2\n"
			       "socktrace_udp_packets_total{comm=\"srv\",dir=\"in\"} 310\n"),
	      "packets: %s", b.p ? strstr(b.p, "socktrace_udp_packets_total{") : "");
	CHECK(b.p && strstr(b.p, "socktrace_udp_bytes_total{comm=\"srv\",dir=\"in\"} 7440\n"),
	      "bytes: %s", b.p ? strstr(b.p, "socktrace_udp_bytes_total{") : "");
	free(b.p);
	st_mprocs_free(&p);
	st_metrics_free(&m);
}

void test_udp_in(void)
{
	test_udp_printers();
	test_udp_metrics();
}
