/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The unit tests' check macros and their groups. A failed check prints one
 * "FAIL file:line: ..." line; main() prints "N passed, N failed" at the end.
 */
#ifndef ST_UNIT_H
#define ST_UNIT_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

extern int unit_passed, unit_failed;

#define CHECK(cond, ...)                                                   \
	do {                                                               \
		if (cond) {                                                \
			unit_passed++;                                     \
		} else {                                                   \
			unit_failed++;                                     \
			printf("FAIL %s:%d: ", __FILE__, __LINE__);        \
			printf(__VA_ARGS__);                               \
			printf("\n");                                      \
		}                                                          \
	} while (0)

#define CHECK_STR(got, want) \
	CHECK(!strcmp((got), (want)), "expected \"%s\", got \"%s\"", (want), (got))

/* print_event.c: a connect (pid 7, comm "c", port 1 to 2) as a line; the caller frees it */
struct st_enriched;
char *unit_print_connect(bool json, const struct st_enriched *x);
/* cgroup.c: cgroup paths, the cgroup2 mount, the printers with names */
void test_cgroup(void);
void test_cgroup_seed(void);
/* parse.c: the strict parsers */
void test_uint(void);
void test_ports(void);
void test_pids_events_size(void);
/* cli.c: the command line */
void test_cli(void);
/* format.c: addresses, escaping, the event printers */
void test_format(void);
void test_escape(void);
void test_event_printers(void);
/* udp_in.c: UDP's direction in the printers and the metrics */
void test_udp_in(void);
/* snapshot_sizes.c: the maps sized from the machine's open files */
void test_snapshot_sizes(void);
/* kinds.c and json.c: the event-kind table, the JSON writer */
void test_event_kinds(void);
void test_json(void);
void test_json_bounds(void);
/* json_bytes.c: the JSON writer's numbers and strings against models, the exact fit */
void test_json_bytes(void);
/* btf_func.c and btf_members.c: btfscan */
void test_btfscan(void);
void test_btf_members(void);
void test_btf_members_kernel(void);
/* metrics.c: --metrics' address, the HTTP parser, the sums and their page */
void test_metrics_listen(void);
void test_http(void);
void test_metrics(void);
void test_metrics_labels(void);
void test_metrics_procs(void);
/* conn_table.c: the open-connections table */
void test_conn_table(void);
/* local_peers.c: the local peers table */
void test_local_peers(void);
/* top_keys.c: --top's keys */
void test_top_keys(void);
/* dns.c: the DNS answer parser */
void test_dns(void);
/* dns_cache.c: the address -> name cache */
void test_dns_cache(void);
/* busiest_peers.c: each process's busiest remote endpoints and their names */
void test_busiest_peers(void);
/* format_dns.c: a dns event's printers */
void test_format_dns(void);

#endif
