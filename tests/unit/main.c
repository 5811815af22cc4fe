// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Unit tests for the strict parsers, the command line, address formatting,
 * escaping, the event kinds, the JSON printer and the BTF scan. No privilege
 * needed: golden strings only. The groups live in the files beside this one.
 */
#include "unit.h"

int unit_passed, unit_failed;

int main(void)
{
	test_uint();
	test_ports();
	test_pids_events_size();
	test_cli();
	test_format();
	test_escape();
	test_event_printers();
	test_udp_in();
	test_event_kinds();
	test_snapshot_sizes();
	test_json();
	test_json_bounds();
	test_json_bytes();
	test_btfscan();
	test_btf_members();
	test_btf_members_kernel();
	test_metrics_listen();
	test_http();
	test_metrics();
	test_metrics_labels();
	test_metrics_procs();
	test_conn_table();
	test_local_peers();
	test_top_keys();
	test_cgroup();
	test_cgroup_seed();
	test_dns();
	test_dns_cache();
	test_busiest_peers();
	test_format_dns();
	printf("%d passed, %d failed\n", unit_passed, unit_failed);
	return unit_failed ? 1 : 0;
}
