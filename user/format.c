// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <time.h>
#include "addr.h"
#include "cgroup_names.h"
#include "escape.h"
#include "local_peers.h"
#include "event_kinds.h"
#include "format.h"
#include "json.h"
#include "tcp_states.h"

static const char *proto_name(__u8 proto)
{
	return proto == 6 ? "tcp" : proto == 17 ? "udp" : "?";
}

const char *st_reason_name(int err)
{
	static char buf[16];
	const char *name;

	switch (err) {
	case ECONNREFUSED: return "refused";
	case ETIMEDOUT: return "timeout";
	case EHOSTUNREACH:
	case ENETUNREACH: return "unreachable";
	}
	name = strerrorname_np(err);
	if (name)
		return name;
	snprintf(buf, sizeof(buf), "errno %d", err);
	return buf;
}

void st_print_header(FILE *f)
{
	fprintf(f, "%-12s %-7s %-15s %-7s %-20s %-20s %-13s %s\n", "TIME", "PID", "COMM", "EVENT",
		"LOCAL", "REMOTE", "WHO", "INFO");
}

/* the holders of an existing socket past the first: " pids=10,11,12", " pids=10,...,+3" */
static void format_pids(char *buf, size_t len, const struct st_existing *x)
{
	size_t o = 0;

	buf[0] = '\0';
	if (!x || x->n_pids + x->pids_more < 2)
		return;
	for (__u32 i = 0; i < x->n_pids && i < ST_MAX_HOLDERS && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%u", i ? "," : " pids=", x->pids[i]);
	if (x->pids_more && o < len)
		snprintf(buf + o, len - o, ",+%u", x->pids_more);
}

/* "nat=127.0.0.1:8080" after what INFO holds: where a rewritten destination really is */
static void format_nat(char *buf, size_t len, const struct st_event *e)
{
	char real[ST_ADDR_LEN];
	size_t n = strlen(buf);

	if (!(e->flags & ST_EVF_NAT) || n >= len)
		return;
	st_format_endpoint(real, sizeof(real), e->family, e->nat_raddr, e->nat_rport);
	snprintf(buf + n, len - n, "%snat=%s", n ? " " : "", real);
}

/*
 * what close and fail carry, in words: "1.250ms tx=1000 rx=2500", "refused";
 * an existing socket's open, its state: "existing ESTAB"
 */
static void format_info(char *buf, size_t len, const struct st_event *e,
			const struct st_existing *x)
{
	char pids[ST_MAX_HOLDERS * 11 + 24];

	buf[0] = '\0';
	if (e->type == ST_EV_CLOSE && (e->flags & ST_EVF_LATE))
		snprintf(buf, len, "late: not seen as it happened");
	else if (e->type == ST_EV_CLOSE)
		snprintf(buf, len, "%s%llu.%03llums tx=%llu rx=%llu%s",
			 e->flags & ST_EVF_LOWER_BOUND ? ">" : "",
			 (unsigned long long)e->duration_ns / 1000000,
			 (unsigned long long)e->duration_ns / 1000 % 1000,
			 (unsigned long long)e->tx_bytes, (unsigned long long)e->rx_bytes,
			 e->flags & ST_EVF_EXISTING ? " existing" : "");
	else if (e->type == ST_EV_FAIL)
		snprintf(buf, len, "%s", st_reason_name(e->reason));
	else if (e->type == ST_EV_UDP && (e->flags & ST_EVF_IN))
		snprintf(buf, len, "%s", e->flags & ST_EVF_FOLDED ? "in, every source port" : "in");
	else if (e->flags & ST_EVF_EXISTING) {
		format_pids(pids, sizeof(pids), x);
		snprintf(buf, len, "existing %s%s", st_state_name(e->proto, e->state), pids);
	}
	format_nat(buf, len, e);
}

#define TEXT_ID		12	/* a container id's first digits, as docker ps shows it */

/*
 * WHO: the container's first TEXT_ID digits; or the unit, escaped like comm:
 * whole if it fits ("nginx.service"), else without ".service" if that fits
 * ("postgresql"), else cut to the column with "~" last; or "-"
 */
static void format_who(char *buf, size_t len, const struct st_enriched *x)
{
	const struct st_cg_ident *id = x && x->cg ? &x->cg->ident : NULL;
	char unit[ST_ESC_MAX(ST_CG_UNIT_MAX)];
	size_t n;

	snprintf(buf, len, "-");
	if (id && id->container[0]) {
		snprintf(buf, len, "%.*s", TEXT_ID, id->container);
	} else if (id && id->unit[0]) {
		st_escape(unit, sizeof(unit), id->unit, ST_CG_UNIT_MAX, ST_ESC_TEXT);
		n = strlen(unit);
		if (n > ST_TEXT_WHO && n - 8 <= ST_TEXT_WHO && !strcmp(unit + n - 8, ".service"))
			unit[n - 8] = '\0';
		else if (n > ST_TEXT_WHO) {	/* cut between escapes, the "~" in the last column */
			st_escape(unit, ST_TEXT_WHO, id->unit, ST_CG_UNIT_MAX, ST_ESC_TEXT);
			strcat(unit, "~");
		}
		snprintf(buf, len, "%s", unit);
	}
}

/* " peer=1234/curl": the process at the other end, its comm escaped as comm is */
static void format_peer(char *buf, size_t len, const struct st_enriched *x)
{
	char comm[ST_ESC_MAX(ST_COMM_LEN)];

	buf[0] = '\0';
	if (!x || !x->peer)
		return;
	st_escape(comm, sizeof(comm), x->peer->comm, ST_COMM_LEN, ST_ESC_TEXT);
	snprintf(buf, len, " peer=%u/%s", x->peer->pid, comm);
}

#define TEXT_RNAME	40	/* columns of a remote name, escaped; a longer one is cut, "~" */

/* " rname=www.example.com" after INFO: the name is a stranger's, escaped like comm */
static void format_rname(char *buf, size_t len, const struct st_enriched *x)
{
	char name[TEXT_RNAME + 2];	/* one more than shown: a cut is seen */
	bool cut;

	buf[0] = '\0';
	if (!x || !x->rname)
		return;
	st_escape(name, sizeof(name), x->rname, strlen(x->rname), ST_ESC_TEXT);
	cut = strlen(name) > TEXT_RNAME;
	if (cut)	/* between escapes, to TEXT_RNAME columns with the "~" */
		st_escape(name, TEXT_RNAME, x->rname, strlen(x->rname), ST_ESC_TEXT);
	snprintf(buf, len, " rname=%s%s", name, cut ? "~" : "");
}

void st_format_clock(char *buf, size_t len, long long ns)
{
	time_t secs = (time_t)(ns / 1000000000LL);
	struct tm tm;

	/* the broken-down time changes once a second: convert it once a second */
	static time_t last_secs = -1;
	static struct tm last_tm;

	if (secs != last_secs) {
		localtime_r(&secs, &last_tm);
		last_secs = secs;
	}
	tm = last_tm;
	snprintf(buf, len, "%02d:%02d:%02d.%03lld", tm.tm_hour, tm.tm_min, tm.tm_sec,
		 (ns / 1000000LL) % 1000);
}

void st_print_text_line(FILE *f, const char *line, int n, size_t size)
{
	if (n > (int)size - 1)
		n = (int)size - 1;
	while (n > 0 && line[n - 1] == ' ')	/* no trailing blanks */
		n--;
	fprintf(f, "%.*s\n", n, line);
}

void st_print_text(FILE *f, const struct st_event *e, long long epoch_off_ns,
		   const struct st_enriched *x)
{
	char local[ST_ADDR_LEN], remote[ST_ADDR_LEN], comm[ST_ESC_MAX(ST_COMM_LEN)], info[256];
	char who[ST_ESC_MAX(ST_CG_UNIT_MAX)], rname[TEXT_RNAME + 16];
	char peer[ST_ESC_MAX(ST_COMM_LEN) + 24], line[800], clock[16];
	int n;

	st_format_clock(clock, sizeof(clock), (long long)e->ts_ns + epoch_off_ns);
	st_format_endpoint(local, sizeof(local), e->family, e->laddr, e->lport);
	if (e->type == ST_EV_LISTEN ||
	    (e->type == ST_EV_UDP && !e->rport && !(e->flags & ST_EVF_FOLDED)))	/* no peer: as ss */
		snprintf(remote, sizeof(remote), e->family == 6 ? "[::]:*" : "0.0.0.0:*");
	else
		st_format_endpoint(remote, sizeof(remote), e->family, e->raddr, e->rport);
	if (e->flags & ST_EVF_FOLDED)	/* every source port of raddr */
		strcpy(strrchr(remote, ':'), ":*");
	st_escape(comm, sizeof(comm), e->comm, ST_COMM_LEN, ST_ESC_TEXT);
	format_info(info, sizeof(info), e, x ? x->existing : NULL);
	format_peer(peer, sizeof(peer), x);
	format_rname(rname, sizeof(rname), x);
	format_who(who, sizeof(who), x);
	/* the protocol where the kind does not say it: a UDP connect()'s fail */
	n = snprintf(line, sizeof(line), ST_TEXT_COLUMNS "%s%s%s", clock, e->pid, comm,
		     st_event_name(e->type), local, remote, who,
		     e->proto == 17 && e->type != ST_EV_UDP ? "udp " : "", info,
		     info[0] ? peer : peer + (peer[0] == ' '), peer[0] || info[0] ? rname :
		     rname + (rname[0] == ' '));
	st_print_text_line(f, line, n, sizeof(line));
}

/* the cgroup's keys, each only when known */
static void json_cgroup(struct st_json *j, const struct st_cg_name *cg)
{
	if (!cg)
		return;
	st_json_str(j, "cgroup_path", cg->path, cg->len);
	if (cg->ident.container[0])
		st_json_str(j, "container", cg->ident.container, ST_CG_ID_MAX);
	if (cg->ident.pod[0])
		st_json_str(j, "pod", cg->ident.pod, ST_CG_POD_MAX);
	if (cg->ident.unit[0])
		st_json_str(j, "unit", cg->ident.unit, ST_CG_UNIT_MAX);
}

void st_print_json(FILE *f, const struct st_event *e, long long epoch_off_ns,
		   const struct st_enriched *x)
{
	char laddr[ST_ADDR_LEN], raddr[ST_ADDR_LEN];
	const char *ev = st_event_name(e->type), *proto = proto_name(e->proto);
	struct st_json j;

	st_format_ip(laddr, sizeof(laddr), e->family, e->laddr);
	st_format_ip(raddr, sizeof(raddr), e->family, e->raddr);
	st_json_begin(&j, f);
	st_json_u64(&j, "ts", (unsigned long long)((long long)e->ts_ns + epoch_off_ns));
	st_json_str(&j, "event", ev, strlen(ev));
	st_json_u64(&j, "pid", e->pid);
	st_json_u64(&j, "tid", e->tid);
	st_json_u64(&j, "uid", e->uid);
	st_json_str(&j, "comm", e->comm, ST_COMM_LEN);
	st_json_str(&j, "proto", proto, strlen(proto));
	st_json_u64(&j, "family", e->family);
	st_json_str(&j, "laddr", laddr, sizeof(laddr));
	st_json_u64(&j, "lport", e->lport);
	st_json_str(&j, "raddr", raddr, sizeof(raddr));
	st_json_u64(&j, "rport", e->rport);
	if (x && x->rname)
		st_json_str(&j, "rname", x->rname, strlen(x->rname));
	if (e->flags & ST_EVF_NAT) {	/* the real destination, behind a DNAT */
		char nat[ST_ADDR_LEN];

		st_format_ip(nat, sizeof(nat), e->family, e->nat_raddr);
		st_json_str(&j, "nat_raddr", nat, sizeof(nat));
		st_json_u64(&j, "nat_rport", e->nat_rport);
	}
	st_json_u64(&j, "cookie", e->cookie);
	st_json_u64(&j, "netns", e->netns);
	st_json_u64(&j, "cgroup", e->cgroup);
	if (e->flags & ST_EVF_EXISTING)
		st_json_bool(&j, "existing", true);
	if (e->flags & ST_EVF_EXISTING && e->type != ST_EV_CLOSE && e->type != ST_EV_FAIL) {
		const char *state = st_state_name(e->proto, e->state);

		st_json_str(&j, "state", state, strlen(state));
		if (x && x->existing) {
			const struct st_existing *h = x->existing;

			st_json_array(&j, "pids");
			for (__u32 i = 0; i < h->n_pids && i < ST_MAX_HOLDERS; i++)
				st_json_u64(&j, NULL, h->pids[i]);
			st_json_close(&j);
			st_json_u64(&j, "pids_more", h->pids_more);
		}
	}
	if (e->flags & ST_EVF_LOWER_BOUND)
		st_json_bool(&j, "duration_lower_bound", true);
	if (e->type == ST_EV_CLOSE && (e->flags & ST_EVF_LATE)) {
		/* when it ended, and what it carried, are not known */
		st_json_bool(&j, "late", true);
	} else if (e->type == ST_EV_CLOSE) {
		st_json_u64(&j, "duration_ns", e->duration_ns);
		st_json_u64(&j, "tx_bytes", e->tx_bytes);
		st_json_u64(&j, "rx_bytes", e->rx_bytes);
	} else if (e->type == ST_EV_FAIL) {
		const char *r = st_reason_name(e->reason);

		st_json_str(&j, "reason", r, strlen(r));
	} else if (e->type == ST_EV_UDP && !(e->flags & ST_EVF_EXISTING)) {
		const char *dir = e->flags & ST_EVF_IN ? "in" : "out";

		st_json_str(&j, "dir", dir, strlen(dir));
		if (e->flags & ST_EVF_FOLDED)
			st_json_bool(&j, "folded", true);
	}
	if (x && x->peer) {
		st_json_u64(&j, "peer_pid", x->peer->pid);
		st_json_str(&j, "peer_comm", x->peer->comm, ST_COMM_LEN);
	}
	json_cgroup(&j, x ? x->cg : NULL);
	st_json_end(&j);
}
