// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <netinet/in.h>
#include <string.h>
#include "addr.h"
#include "escape.h"
#include "format.h"
#include "format_dns.h"
#include "json.h"

/* the answer's addresses, "10.0.0.1,10.0.0.2", cut (with "...") to fit buf */
static void answers_text(char *buf, size_t len, const struct st_dns_msg *m)
{
	size_t o = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < m->naddr; i++) {
		char ip[ST_ADDR_LEN];
		size_t n;

		st_format_ip(ip, sizeof(ip), m->addr[i].family == 2 ? 4 : 6, m->addr[i].addr);
		n = strlen(ip) + (i ? 1 : 0);
		if (o + n + 4 >= len) {
			snprintf(buf + o, len - o, ",...");
			return;
		}
		o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? "," : "", ip);
	}
}

/* the transport the answer came over */
static const char *proto_name(const struct st_dns_event *e)
{
	return e->key.proto == IPPROTO_TCP ? "tcp" : "udp";
}

static int latency_known(const struct st_dns_event *e)
{
	return e->q.pid && e->q.ts_ns && e->q.ts_ns <= e->ts_ns;
}

void st_print_dns_text(FILE *f, const struct st_dns_event *e, const struct st_dns_msg *m,
		       long long epoch_off_ns)
{
	char local[ST_ADDR_LEN], remote[ST_ADDR_LEN], comm[ST_ESC_MAX(ST_COMM_LEN)], clock[16];
	char qname[ST_ESC_MAX(ST_DNS_NAME_MAX)], answers[256], info[ST_ESC_MAX(ST_DNS_NAME_MAX) + 320];
	char rc[16], qt[16], lat[32] = "";
	char line[ST_ESC_MAX(ST_DNS_NAME_MAX) + 512];
	int n;

	st_format_clock(clock, sizeof(clock), (long long)e->ts_ns + epoch_off_ns);
	st_format_endpoint(local, sizeof(local), e->key.family, e->laddr, e->key.lport);
	st_format_endpoint(remote, sizeof(remote), e->key.family, e->key.raddr, e->key.rport);
	st_escape(comm, sizeof(comm), e->q.pid ? e->q.comm : "?", ST_COMM_LEN, ST_ESC_TEXT);
	st_escape(qname, sizeof(qname), m->qname, sizeof(m->qname), ST_ESC_TEXT);
	answers_text(answers, sizeof(answers), m);
	if (latency_known(e))
		snprintf(lat, sizeof(lat), " %llu.%03llums",
			 (unsigned long long)(e->ts_ns - e->q.ts_ns) / 1000000,
			 (unsigned long long)(e->ts_ns - e->q.ts_ns) / 1000 % 1000);
	snprintf(info, sizeof(info), "%s %s %s%s%s%s%s", st_dns_rcode_name(m->rcode, rc, sizeof(rc)),
		 st_dns_qtype_name(m->qtype, qt, sizeof(qt)), qname, answers[0] ? " " : "", answers,
		 lat, m->cut || m->tc ? " truncated" : "");
	/* no protocol column: dns is UDP unless INFO says "tcp" first */
	n = snprintf(line, sizeof(line), ST_TEXT_COLUMNS "%s", clock, e->q.pid, comm, "dns", local,
		     remote, "-", strcmp(proto_name(e), "tcp") ? "" : "tcp ", info);
	st_print_text_line(f, line, n, sizeof(line));
}

void st_print_dns_json(FILE *f, const struct st_dns_event *e, const struct st_dns_msg *m,
		       long long epoch_off_ns)
{
	char laddr[ST_ADDR_LEN], raddr[ST_ADDR_LEN], rc[16], qt[16];
	const char *rcode = st_dns_rcode_name(m->rcode, rc, sizeof(rc));
	const char *qtype = st_dns_qtype_name(m->qtype, qt, sizeof(qt));
	struct st_json j;

	st_format_ip(laddr, sizeof(laddr), e->key.family, e->laddr);
	st_format_ip(raddr, sizeof(raddr), e->key.family, e->key.raddr);
	st_json_begin(&j, f);
	st_json_u64(&j, "ts", (unsigned long long)((long long)e->ts_ns + epoch_off_ns));
	st_json_str(&j, "event", "dns", 3);
	if (e->q.pid) {
		/* the sender of the query; unknown when socktrace did not see it */
		st_json_u64(&j, "pid", e->q.pid);
		st_json_u64(&j, "tid", e->q.tid);
		st_json_u64(&j, "uid", e->q.uid);
		st_json_str(&j, "comm", e->q.comm, ST_COMM_LEN);
		st_json_u64(&j, "netns", e->q.netns);
	}
	st_json_str(&j, "proto", proto_name(e), 3);
	st_json_u64(&j, "family", e->key.family);
	st_json_str(&j, "laddr", laddr, sizeof(laddr));
	st_json_u64(&j, "lport", e->key.lport);
	st_json_str(&j, "raddr", raddr, sizeof(raddr));
	st_json_u64(&j, "rport", e->key.rport);
	st_json_u64(&j, "id", m->id);
	st_json_str(&j, "qname", m->qname, sizeof(m->qname));
	st_json_str(&j, "qtype", qtype, strlen(qtype));
	st_json_str(&j, "rcode", rcode, strlen(rcode));
	st_json_array(&j, "answers");
	for (unsigned i = 0; i < m->naddr; i++) {
		char ip[ST_ADDR_LEN];

		st_format_ip(ip, sizeof(ip), m->addr[i].family == 2 ? 4 : 6, m->addr[i].addr);
		st_json_object(&j, NULL);
		st_json_str(&j, "addr", ip, sizeof(ip));
		st_json_u64(&j, "ttl", m->addr[i].ttl);
		st_json_close(&j);
	}
	st_json_close(&j);
	if (m->chain)
		st_json_u64(&j, "cnames", m->chain);
	if (m->addr_over)
		st_json_u64(&j, "answers_not_shown", m->addr_over);
	if (latency_known(e))
		st_json_u64(&j, "latency_ns", e->ts_ns - e->q.ts_ns);
	if (m->cut || m->tc)
		st_json_bool(&j, "truncated", true);
	st_json_end(&j);
}
