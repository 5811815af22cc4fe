// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <stdio.h>
#include <stdlib.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "backend.h"
#include "conn_table.h"
#include "cgroup_names.h"
#include "dns_cache.h"
#include "exit_report.h"
#include "local_peers.h"
#include "socktrace.skel.h"

#define COUNTER(skel, name)	__atomic_load_n(&(skel)->bss->name, __ATOMIC_RELAXED)

/* what the open-connections table could not hold or match */
static void conns_report(const struct st_conn_table *c)
{
	const struct st_conn_stats *s = st_conn_table_stats(c);

	if (s->evicted || s->untracked || s->procs_evicted || s->ends_lost)
		fprintf(stderr, "socktrace: open-connections table: %llu connections evicted to "
			"make room (at most %u), %llu not held (%u processes held connections), "
			"%llu processes with none evicted, %llu closes or failures not kept\n",
			(unsigned long long)s->evicted, ST_CONN_MAX, (unsigned long long)s->untracked,
			ST_CONN_PROCS, (unsigned long long)s->procs_evicted,
			(unsigned long long)s->ends_lost);
	if (s->replaced)
		fprintf(stderr, "socktrace: open-connections table: %llu connections were held "
			"past their close (its event was lost): their socket was reused\n",
			(unsigned long long)s->replaced);
}

/* the local peers table's open connections lost for room: their closes name no peer */
static void local_peers_report(const struct st_local_peers *t)
{
	fprintf(stderr, "socktrace: local peers: %llu open connections evicted to make room "
		"(%u kept at most): their closes carry no peer\n",
		(unsigned long long)st_local_peers_evicted(t), ST_LOCAL_PEERS_CAP);
}

/* a dns_stats counter, summed over the CPUs */
static unsigned long long dns_stat(struct socktrace_bpf *skel, __u32 which)
{
	int ncpu = libbpf_num_possible_cpus();
	unsigned long long sum = 0;
	__u64 *v;

	if (ncpu <= 0 || !(v = calloc((size_t)ncpu, sizeof(*v))))
		return 0;
	if (!bpf_map_lookup_elem(bpf_map__fd(skel->maps.dns_stats), &which, v))
		for (int i = 0; i < ncpu; i++)
			sum += v[i];
	free(v);
	return sum;
}

static void dns_report(const struct st_run *r)
{
	unsigned long long lost = dns_stat(r->skel, ST_DNS_LOST);
	struct st_dns_cache_stats names;

	fprintf(stderr, "socktrace: %llu DNS answers, %llu malformed (ignored)\n", r->dns_answers,
		r->dns_bad);
	if (lost)
		fprintf(stderr, "socktrace: %llu DNS answers lost: their ring buffer was full\n",
			lost);
	st_dns_cache_stats(r->names, &names);
	if (names.evictions)
		fprintf(stderr, "socktrace: %llu remote names were evicted from the address->name "
			"cache before their TTL ran out (%u kept)\n", names.evictions, ST_NAMES_MAX);
	if (names.no_netns)
		fprintf(stderr, "socktrace: %llu DNS answers named nothing: their query was not "
			"seen, so neither was their network namespace\n", names.no_netns);
}

void st_exit_report(const struct st_run *r)
{
	struct socktrace_bpf *skel = r->skel;
	unsigned long long n;
	char which[256];

	if (r->o->stream || r->o->metrics)
		fprintf(stderr, "socktrace: %llu events, %llu dropped\n", r->events,
			(unsigned long long)COUNTER(skel, dropped));
	if (r->conns)
		conns_report(r->conns);
	if (st_local_peers_evicted(r->local_peers))
		local_peers_report(r->local_peers);
	if (r->cgroups) {
		struct st_cg_stats cg;

		st_cgroups_stats(r->cgroups, &cg);
		if (cg.unknown || cg.errors)
			fprintf(stderr, "socktrace: %llu cgroups could not be named (%llu were gone "
				"first): their events carry no cgroup_path\n", cg.unknown + cg.errors,
				cg.unknown);
		if (skel->bss->cgroup_births_lost)
			fprintf(stderr, "socktrace: %llu cgroups made while tracing were not told "
				"(their ring buffer was full): named at their first event instead\n",
				(unsigned long long)skel->bss->cgroup_births_lost);
		if (cg.evictions)
			fprintf(stderr, "socktrace: %llu cgroup names were evicted from the cache "
				"(%u kept) and looked up again when needed\n", cg.evictions,
				ST_CG_CACHE);
	}
	if (r->o->names)
		dns_report(r);
	n = st_backend_missed(skel, which, sizeof(which));
	if (n)
		fprintf(stderr, "socktrace: the kernel skipped %llu hook runs (%s; a BPF program or "
			"a bpf() call was already running on that CPU): events may be missing\n", n,
			which);
	n = COUNTER(skel, owners_full);
	if (n)
		fprintf(stderr, "socktrace: %llu connections were not followed to their close or "
			"failure: more were open at once than socktrace keeps (%u)\n", n,
			bpf_map__max_entries(skel->maps.tcp_owners));
	n = COUNTER(skel, closes_unseen);
	if (n)
		fprintf(stderr, "socktrace: %llu connections ended without socktrace seeing their "
			"close: each was found when the kernel reused its socket, and reported then, "
			"marked \"late\"\n", n);
	n = COUNTER(skel, udp_in_folded);
	if (n)
		fprintf(stderr, "socktrace: %llu received UDP datagrams were counted on a flow of "
			"their source address, every port (\"folded\"): a local port had more "
			"than %u new received flows in --udp-idle seconds\n", n,
			ST_UDP_IN_FLOWS_PER_PORT);
	n = COUNTER(skel, udp_in_unmatched);
	if (n)
		fprintf(stderr, "socktrace: %llu received UDP datagrams were counted on their "
			"process but on no flow: read the instant they arrived, before the "
			"tracepoint backend saw where they came from\n", n);
	n = COUNTER(skel, connects_late);
	if (n)
		fprintf(stderr, "socktrace: %llu connects were reported when their socket left "
			"SYN_SENT, not as tcp_connect() returned: the kernel had no return probe "
			"left for those calls (no NAT destination on them)\n", n);
	n = COUNTER(skel, connects_unseen);
	if (n)
		fprintf(stderr, "socktrace: %llu connects were never reported: the kernel reused "
			"the socket before socktrace saw its SYN leave or its connect end\n", n);
}
