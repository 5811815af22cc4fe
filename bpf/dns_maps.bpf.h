/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The DNS capture's maps: the queries sent (filled by each backend's UDP send
 * hook, read by the answer), the answers' own ring buffer (struct st_event
 * stays as it is) and their counters. docs/DESIGN.md#dns-answers
 */
#ifndef SOCKTRACE_DNS_MAPS_BPF_H
#define SOCKTRACE_DNS_MAPS_BPF_H

#include "defs.bpf.h"

/* 1: the loader attached the answer program; the send hooks note queries */
const volatile __u8 want_dns __weak = 0;

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, struct st_dns_key);
	__type(value, struct st_dns_query);
} dns_queries SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} dns_events SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, ST_DNS_STATS);
	__type(key, __u32);
	__type(value, __u64);
} dns_stats SEC(".maps") __weak;

static __always_inline bool dns_port(__u16 port)
{
	return port == ST_DNS_PORT || port == ST_MDNS_PORT;
}

#endif /* SOCKTRACE_DNS_MAPS_BPF_H */
