// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include "format.h"
#include "parse.h"

void st_format_ip(char *buf, size_t len, int family, const __u8 *addr)
{
	if (!inet_ntop(family == 6 ? AF_INET6 : AF_INET, addr, buf, (socklen_t)len))
		snprintf(buf, len, "?");
}

void st_format_endpoint(char *buf, size_t len, int family, const __u8 *addr, __u16 port)
{
	char ip[INET6_ADDRSTRLEN];

	st_format_ip(ip, sizeof(ip), family, addr);
	if (family == 6)
		snprintf(buf, len, "[%s]:%u", ip, port);
	else
		snprintf(buf, len, "%s:%u", ip, port);
}

void st_escape(char *out, size_t outlen, const char *s, size_t n, enum st_escape_mode mode)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	for (size_t i = 0; i < n && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];
		char tmp[6];
		size_t len;

		if (c == '\\' || (c == '"' && mode == ST_ESC_JSON)) {
			tmp[0] = '\\';
			tmp[1] = (char)c;
			len = 2;
		} else if (c >= 0x20 && c < 0x7f) {
			tmp[0] = (char)c;
			len = 1;
		} else if (mode == ST_ESC_JSON) {
			memcpy(tmp, "\\u00", 4);
			tmp[4] = hex[c >> 4];
			tmp[5] = hex[c & 15];
			len = 6;
		} else {
			tmp[0] = '\\';
			tmp[1] = 'x';
			tmp[2] = hex[c >> 4];
			tmp[3] = hex[c & 15];
			len = 4;
		}
		if (o + len >= outlen)
			break;
		memcpy(out + o, tmp, len);
		o += len;
	}
	if (outlen)
		out[o] = '\0';
}

/* the object is built in j->buf and written with one fwrite at the end */
static void json_put(struct st_json *j, const char *s, size_t n)
{
	if (j->len + n >= sizeof(j->buf))
		n = sizeof(j->buf) - 1 - j->len;
	memcpy(j->buf + j->len, s, n);
	j->len += n;
}

static void json_key(struct st_json *j, const char *key)
{
	if (j->n++)
		json_put(j, ",", 1);
	json_put(j, "\"", 1);
	json_put(j, key, strlen(key));
	json_put(j, "\":", 2);
}

void st_json_begin(struct st_json *j, FILE *f)
{
	j->f = f;
	j->n = 0;
	j->len = 0;
	json_put(j, "{", 1);
}

void st_json_str(struct st_json *j, const char *key, const char *s, size_t n)
{
	char esc[ST_ESC_MAX(256)];

	json_key(j, key);
	st_escape(esc, sizeof(esc), s, n < 256 ? n : 256, ST_ESC_JSON);
	json_put(j, "\"", 1);
	json_put(j, esc, strlen(esc));
	json_put(j, "\"", 1);
}

void st_json_u64(struct st_json *j, const char *key, unsigned long long v)
{
	char digits[24];
	size_t i = sizeof(digits);

	json_key(j, key);
	do {
		digits[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	json_put(j, digits + i, sizeof(digits) - i);
}

void st_json_raw(struct st_json *j, const char *key, const char *text)
{
	json_key(j, key);
	json_put(j, text, strlen(text));
}

void st_json_end(struct st_json *j)
{
	json_put(j, "}\n", 2);
	fwrite(j->buf, 1, j->len, j->f);
}

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
	fprintf(f, "%-12s %-7s %-16s %-7s %-5s %-24s %-24s %s\n", "TIME", "PID", "COMM", "EVENT",
		"PROTO", "LOCAL", "REMOTE", "INFO");
}

/* what close and fail carry, in words: "1.250ms tx=1000 rx=2500", "refused" */
static void format_info(char *buf, size_t len, const struct st_event *e)
{
	buf[0] = '\0';
	if (e->type == ST_EV_CLOSE && (e->flags & ST_EVF_LATE))
		snprintf(buf, len, "late: not seen as it happened");
	else if (e->type == ST_EV_CLOSE)
		snprintf(buf, len, "%llu.%03llums tx=%llu rx=%llu",
			 (unsigned long long)e->duration_ns / 1000000,
			 (unsigned long long)e->duration_ns / 1000 % 1000,
			 (unsigned long long)e->tx_bytes, (unsigned long long)e->rx_bytes);
	else if (e->type == ST_EV_FAIL)
		snprintf(buf, len, "%s", st_reason_name(e->reason));
}

void st_print_text(FILE *f, const struct st_event *e, long long epoch_off_ns)
{
	char local[ST_ADDR_LEN], remote[ST_ADDR_LEN], comm[ST_ESC_MAX(ST_COMM_LEN)], info[80];
	char line[512];
	int n;
	long long ns = (long long)e->ts_ns + epoch_off_ns;
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
	st_format_endpoint(local, sizeof(local), e->family, e->laddr, e->lport);
	if (e->type == ST_EV_LISTEN)	/* no peer yet: as ss shows it */
		snprintf(remote, sizeof(remote), e->family == 6 ? "[::]:*" : "0.0.0.0:*");
	else
		st_format_endpoint(remote, sizeof(remote), e->family, e->raddr, e->rport);
	st_escape(comm, sizeof(comm), e->comm, ST_COMM_LEN, ST_ESC_TEXT);
	format_info(info, sizeof(info), e);
	n = snprintf(line, sizeof(line), "%02d:%02d:%02d.%03lld %-7u %-16s %-7s %-5s %-24s %-24s %s",
		     tm.tm_hour, tm.tm_min, tm.tm_sec, (ns / 1000000LL) % 1000, e->pid, comm,
		     st_event_name(e->type), proto_name(e->proto), local, remote, info);
	if (n > (int)sizeof(line) - 1)
		n = sizeof(line) - 1;
	while (n > 0 && line[n - 1] == ' ')	/* no trailing blanks */
		n--;
	fprintf(f, "%.*s\n", n, line);
}

void st_print_json(FILE *f, const struct st_event *e, long long epoch_off_ns)
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
	st_json_u64(&j, "cookie", e->cookie);
	st_json_u64(&j, "netns", e->netns);
	st_json_u64(&j, "cgroup", e->cgroup);
	if (e->type == ST_EV_CLOSE && (e->flags & ST_EVF_LATE)) {
		/* when it ended, and what it carried, are not known */
		st_json_raw(&j, "late", "true");
	} else if (e->type == ST_EV_CLOSE) {
		st_json_u64(&j, "duration_ns", e->duration_ns);
		st_json_u64(&j, "tx_bytes", e->tx_bytes);
		st_json_u64(&j, "rx_bytes", e->rx_bytes);
	} else if (e->type == ST_EV_FAIL) {
		const char *r = st_reason_name(e->reason);

		st_json_str(&j, "reason", r, strlen(r));
	}
	st_json_end(&j);
}
