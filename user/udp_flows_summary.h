/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * --summary's UDP flows: each flow the kernel holds now (udp_flows: sent and
 * received, active within --udp-idle), with its datagrams and payload bytes,
 * busiest first; as a table, or as JSON lines ("event":"udp_flow").
 */
#ifndef ST_UDP_FLOWS_SUMMARY_H
#define ST_UDP_FLOWS_SUMMARY_H

#include <stdbool.h>
#include <stdio.h>

#define ST_UDP_FLOWS_TEXT	20	/* rows of the table; the rest counted */

/* flows_fd: the udp_flows map; idle_ns: --udp-idle, past which a flow has ended. 0 or -errno */
int st_print_udp_flows(FILE *f, int flows_fd, unsigned long long idle_ns, bool json,
		       long long epoch_ns);

#endif
