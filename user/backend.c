// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The choice of a backend: the first that loads, or the one asked for; and
 * --probe, which reports what each can do here (text, or one JSON object).
 */
#include <stdarg.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>
#include <bpf/libbpf.h>
#include "backend.h"
#include "event_kinds.h"
#include "json.h"
#include "parse.h"

static bool log_verbose;
/*
 * While a backend loads, -v's libbpf messages (some 10,000 lines) are kept
 * here and written in a few large writes: one write(2) a line to the
 * unbuffered stderr would be most of the start-up time -v reports.
 */
static char log_buf[1 << 16];
static size_t log_len;
static bool log_held;

static void log_flush(void)
{
	if (log_len)
		fwrite(log_buf, 1, log_len, stderr);
	log_len = 0;
}

static int libbpf_log(enum libbpf_print_level level, const char *fmt, va_list args)
{
	va_list again;
	int n;

	(void)level;
	if (!log_verbose)
		return 0;
	if (!log_held)
		return vfprintf(stderr, fmt, args);
	va_copy(again, args);
	n = vsnprintf(log_buf + log_len, sizeof(log_buf) - log_len, fmt, args);
	if (n >= 0 && (size_t)n >= sizeof(log_buf) - log_len) {
		log_flush();	/* what did not fit, written again from the start */
		n = vsnprintf(log_buf, sizeof(log_buf), fmt, again);
		if (n >= 0 && (size_t)n >= sizeof(log_buf)) {
			n = vfprintf(stderr, fmt, again);	/* longer than the buffer: as it is */
			va_end(again);
			return n;
		}
	}
	va_end(again);
	if (n > 0)
		log_len += (size_t)n;
	return n;
}

void st_libbpf_log_setup(bool verbose)
{
	log_verbose = verbose;
	libbpf_set_print(libbpf_log);
}

static int start(const struct st_opts *o, struct socktrace_bpf **skel, int *chosen,
		 char *why, size_t len)
{
	char reasons[ST_BACKEND_MAX][160];
	int b;

	if (o->backend != ST_BACKEND_AUTO) {
		*chosen = o->backend;
		if (st_backend_load(o->backend, o, skel, reasons[0], sizeof(reasons[0]))) {
			snprintf(why, len, "the %s backend does not work here: %s",
				 st_backend_name(o->backend), reasons[0]);
			return -1;
		}
		return 0;
	}
	for (b = 0; b < ST_BACKEND_MAX; b++) {
		/* the last one left is loaded at once: its own load is the probe */
		if ((b == ST_BACKEND_MAX - 1 || st_backend_probe(b, reasons[b], sizeof(reasons[b])) == 0) &&
		    st_backend_load(b, o, skel, reasons[b], sizeof(reasons[b])) == 0) {
			*chosen = b;
			return 0;
		}
		if (o->verbose)
			fprintf(stderr, "socktrace: backend %s: %s\n", st_backend_name(b),
				reasons[b]);
	}
	snprintf(why, len, "no backend works here: fentry: %s; kprobe: %s; tracepoint: %s",
		 reasons[ST_BACKEND_FENTRY], reasons[ST_BACKEND_KPROBE],
		 reasons[ST_BACKEND_TRACEPOINT]);
	return -1;
}

int st_backend_start(const struct st_opts *o, struct socktrace_bpf **skel, int *chosen,
		     char *why, size_t len)
{
	int err;

	log_held = true;
	err = start(o, skel, chosen, why, len);
	log_held = false;
	log_flush();
	return err;
}

/* what --probe found of one backend */
struct probe_row {
	bool available;
	const char *step;	/* "probe" or "programs": where it failed */
	char why[200];
};

/* probe, then load for real, each backend; the first that loads is the choice */
static int probe_all(const struct st_opts *o, struct probe_row rows[ST_BACKEND_MAX])
{
	int chosen = -1;

	for (int b = 0; b < ST_BACKEND_MAX; b++) {
		struct probe_row *r = &rows[b];
		struct socktrace_bpf *s = NULL;

		memset(r, 0, sizeof(*r));
		if (st_backend_probe(b, r->why, sizeof(r->why)))
			r->step = "probe";
		else if (st_backend_load(b, o, &s, r->why, sizeof(r->why)))
			r->step = "programs";
		else
			r->available = true;
		st_backend_unload(s);
		if (r->available && chosen < 0)
			chosen = b;
	}
	return chosen;
}

static const char *btf_path(void)
{
	return access("/sys/kernel/btf/vmlinux", R_OK) == 0 ? "/sys/kernel/btf/vmlinux" : NULL;
}

static void report_text(FILE *out, const struct utsname *u,
			const struct probe_row rows[ST_BACKEND_MAX], int chosen)
{
	static const char *const what[ST_BACKEND_MAX] = {
		[ST_BACKEND_FENTRY] = "fentry/fexit on tcp_connect, inet_csk_accept, "
				      "udp(v6)_sendmsg, __skb_recv_udp",
		[ST_BACKEND_KPROBE] = "kprobe/kretprobe on the same functions (reads: "
				      "skb_consume_udp)",
		[ST_BACKEND_TRACEPOINT] = "sock:inet_sock_set_state, net:net_dev_queue, "
					  "accept exits, sock_recv_length",
	};

	fprintf(out, "kernel: %s %s\n", u->release, u->machine);
	fprintf(out, "btf: %s\n", btf_path() ? btf_path() : "missing");
	for (int b = 0; b < ST_BACKEND_MAX; b++) {
		const struct probe_row *r = &rows[b];
		char state[32];

		snprintf(state, sizeof(state), r->available ? "yes" : "no (%s)", r->step);
		fprintf(out, "backend %-10s %-13s %s%s%s\n", st_backend_name(b), state, what[b],
			r->why[0] ? ": " : "", r->why);
	}
	fprintf(out, "chosen: %s\n", chosen < 0 ? "none" : st_backend_name(chosen));
}

/* a string member, or null when there is none */
static void json_str(struct st_json *j, const char *key, const char *s)
{
	if (s)
		st_json_str(j, key, s, strlen(s));
	else
		st_json_null(j, key);
}

static void report_json(FILE *out, const struct utsname *u,
			const struct probe_row rows[ST_BACKEND_MAX], int chosen)
{
	struct st_json j;
	const char *opt;

	st_json_begin(&j, out);
	json_str(&j, "kernel", u->release);
	json_str(&j, "arch", u->machine);
	json_str(&j, "btf", btf_path());
	st_json_array(&j, "backends");
	for (int b = 0; b < ST_BACKEND_MAX; b++) {
		st_json_object(&j, NULL);
		json_str(&j, "name", st_backend_name(b));
		st_json_bool(&j, "available", rows[b].available);
		json_str(&j, "why", rows[b].why);
		st_json_close(&j);
	}
	st_json_close(&j);
	json_str(&j, "chosen", chosen < 0 ? NULL : st_backend_name(chosen));
	st_json_array(&j, "options");
	for (size_t i = 0; (opt = st_cli_long_option(i)); i++)
		json_str(&j, NULL, opt);
	st_json_close(&j);
	st_json_array(&j, "events");
	for (size_t k = 0; k < st_n_event_kinds; k++)
		json_str(&j, NULL, st_event_kinds[k].name);
	st_json_end(&j);
}

int st_backend_report(FILE *out, const struct st_opts *o)
{
	struct probe_row rows[ST_BACKEND_MAX];
	struct utsname u;
	int chosen;

	uname(&u);
	chosen = probe_all(o, rows);
	if (o->json)
		report_json(out, &u, rows, chosen);
	else
		report_text(out, &u, rows, chosen);
	return chosen < 0 ? -1 : 0;
}
