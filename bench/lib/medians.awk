# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# bench/lib/medians.awk: the table of one kind of load (tcp|udp, or a web
# load: http|keepalive|bulk), in
# Markdown on stdout, and its medians per configuration in medfile (for
# targets.awk). Medians over the rounds; the rate ratio per round against
# that round's untraced run, then its median.
#   awk -F'\t' -v kind=K -v base=ID -v fails=FAILURES -v medfile=OUT -f medians.awk \
#       FAILURES CFGS RUNS
# FAILURES: round id FAILED why; CFGS (cfgs.K.tsv): id label not-available-why;
# RUNS: runs.tsv, as bench/lib/measure.sh writes it.
function med(key,   n, i, j, t, a) {
	n = cnt[key]
	if (!n) return ""
	for (i = 1; i <= n; i++) a[i] = val[key, i]
	for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
	return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function add(key, v) {
	if (v == "-" || v == "") return
	val[key, ++cnt[key]] = v + 0
	if (cnt[key] == 1 || v + 0 < lo[key]) lo[key] = v + 0
	if (cnt[key] == 1 || v + 0 > hi[key]) hi[key] = v + 0
}
function range(key, fmt) { return cnt[key] > 1 ? sprintf(" (" fmt "–" fmt ")", lo[key], hi[key]) : "" }
function f(v, fmt) { return v == "" ? "-" : sprintf(fmt, v) }
FILENAME == fails { nfail[$2]++; next }
FILENAME ~ /cfgs/ { order[++ncfg] = $1; label[$1] = $2; na[$1] = $3; next }
FNR == 1 { next }
$3 != kind { next }
{
	id = $2; r = $1
	runs[id]++
	rate[r, id] = $6
	add(id SUBSEP "rate", $6)
	# per connection, datagram or request; bulk TCP per MiB
	add(id SUBSEP "load", $7 / (kind == "bulk" ? $4 / 1048576 : $4))
	if ($8 != "-" && $5 > 0) add(id SUBSEP "tr_pct", $8 / $5 / 1e4)
	add(id SUBSEP "p99", $18 == "-" || $18 == "" ? "-" : $18 / 1000)
	add(id SUBSEP "loadavg", $19)
	if ($20 != "-" && $20 != "") errs[id] += $20
	if ($8 != "-") {
		add(id SUBSEP "tr_op", $8 / $4)
		if ($13 > 0) add(id SUBSEP "tr_ev", $8 / $13)
	}
	add(id SUBSEP "start", $9); add(id SUBSEP "attach", $10); add(id SUBSEP "hwm", $11 == "-" ? "-" : $11 / 1024)
	add(id SUBSEP "recv", $12); add(id SUBSEP "exp", $13)
	if ($12 != "-") { if ($13 - $12 > 0) lost[id] += $13 - $12; sumexp[id] += $13; hasev[id] = 1 }
	if ($14 != "-") { drop[id] += $14; hasdrop[id] = 1 }
	add(id SUBSEP "total", $15); add(id SUBSEP "others", $16)
	if ($17 != "-" && $17 != "") { unseen[id] += $17; hasunseen[id] = 1 }
	# every event socktrace streams (listen, connect, accept, 2 closes per
	# connection), from its own count at exit, against what happened
	if ($15 != "-" && id ~ /^st-/ && id != "st-summary" && id != "st-pid1") {
		sumall[id] += $15; sumallexp[id] += (id == "st-ev") ? 2 * $4 : 4 * $4 + 1; hasall[id] = 1; sumops[id] += $4
	}
	rounds[r] = 1
}
END {
	for (r in rounds) {
		for (i = 1; i <= ncfg; i++) {
			id = order[i]
			if ((r, id) in rate && (r, base) in rate && rate[r, base] > 0)
				add(id SUBSEP "ratio", rate[r, id] / rate[r, base])
		}
	}
	# the medians again, for the targets section (id load ratio tr_op attach hwm
	# lost drop streamed/conn all-streamed-as-expected runs)
	medf = medfile
	for (i = 1; i <= ncfg; i++) {
		id = order[i]
		if (!runs[id]) continue
		printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", id,
			f(med(id SUBSEP "load"), "%.6f"), f(med(id SUBSEP "ratio"), "%.6f"),
			f(med(id SUBSEP "tr_op"), "%.6f"), f(med(id SUBSEP "attach"), "%.6f"),
			f(med(id SUBSEP "hwm"), "%.6f"), hasev[id] ? lost[id] + 0 : "-",
			hasdrop[id] ? drop[id] + 0 : "-",
			hasall[id] && sumops[id] ? sprintf("%.3f", sumall[id] / sumops[id]) : "-",
			hasall[id] ? (sumall[id] == sumallexp[id] ? "yes" : "no") : "-", runs[id],
			hasunseen[id] ? unseen[id] + 0 : "-" > medf
	}
	web = kind != "tcp" && kind != "udp"
	if (web) {
		print "| configuration | runs | " (kind == "bulk" ? "Gbit/s" : "requests/s") " | rate vs untraced | p99 latency ms | load CPU µs/" (kind == "bulk" ? "MiB (iperf3 both ends)" : "request (nginx + wrk)") " | tracer CPU % of a core | errors (all runs) | others CPU % | load average |"
		print "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	} else if (kind == "tcp") {
		print "| configuration | runs | conn/s | rate vs untraced | load CPU µs/conn | tracer CPU µs/conn | tracer CPU µs/event | events got / expected | lost (all runs) | dropped (all runs) | all events streamed / happened (all runs) | start → attached ms | tracer peak RSS MiB | others CPU % |"
		print "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	} else {
		print "| configuration | runs | datagrams/s | rate vs untraced | load CPU µs/datagram | tracer CPU µs/datagram | events got / expected | start → attached ms | tracer peak RSS MiB | others CPU % |"
		print "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
	}
	for (i = 1; i <= ncfg; i++) {
		id = order[i]
		if (na[id] != "") {
			if (web) printf "| %s | - | not available: %s | | | | | | | |\n", label[id], na[id]
			else if (kind == "tcp") printf "| %s | - | not available: %s | | | | | | | | | | | |\n", label[id], na[id]
			else printf "| %s | - | not available: %s | | | | | | | |\n", label[id], na[id]
			continue
		}
		if (!runs[id]) { printf "| %s | 0 | FAILED (%d) |\n", label[id], nfail[id]; continue }
		nr = runs[id] (nfail[id] ? sprintf(" (+%d failed)", nfail[id]) : "")
		ev = hasev[id] ? sprintf("%s / %s", f(med(id SUBSEP "recv"), "%d"), f(med(id SUBSEP "exp"), "%d")) : "-"
		if (id == "peer-count") ev = ev " (system-wide)"
		if (id == "udp-peer-count") ev = ev " (packets, system-wide)"
		if (web) {
			printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", label[id], nr,
				kind == "bulk" ? f(med(id SUBSEP "rate") / 1e9, "%.2f") : f(med(id SUBSEP "rate"), "%.0f"),
				f(med(id SUBSEP "ratio"), "%.3f") (id == base ? "" : range(id SUBSEP "ratio", "%.3f")),
				f(med(id SUBSEP "p99"), "%.2f") range(id SUBSEP "p99", "%.2f"),
				f(med(id SUBSEP "load"), "%.1f"), f(med(id SUBSEP "tr_pct"), "%.1f"), errs[id] + 0,
				f(med(id SUBSEP "others"), "%.0f") range(id SUBSEP "others", "%.0f"),
				f(med(id SUBSEP "loadavg"), "%.2f") range(id SUBSEP "loadavg", "%.2f")
		} else if (kind == "tcp") {
			printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", label[id], nr,
				f(med(id SUBSEP "rate"), "%.0f"), f(med(id SUBSEP "ratio"), "%.2f") (id == base ? "" : range(id SUBSEP "ratio", "%.2f")),
				f(med(id SUBSEP "load"), "%.1f"), f(med(id SUBSEP "tr_op"), "%.2f"),
				f(med(id SUBSEP "tr_ev"), "%.2f"), ev,
				hasev[id] && id != "peer-count" ? sprintf("%d of %d", lost[id], sumexp[id]) : "-",
				hasdrop[id] ? drop[id] : "-",
				hasall[id] ? sprintf("%d / %d", sumall[id], sumallexp[id]) : "-",
				f(med(id SUBSEP "attach"), "%.0f"), f(med(id SUBSEP "hwm"), "%.1f"), f(med(id SUBSEP "others"), "%.0f")
		} else {
			printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", label[id], nr,
				f(med(id SUBSEP "rate"), "%.0f"), f(med(id SUBSEP "ratio"), "%.2f") (id == base ? "" : range(id SUBSEP "ratio", "%.2f")),
				f(med(id SUBSEP "load"), "%.2f"), f(med(id SUBSEP "tr_op"), "%.3f"), ev,
				f(med(id SUBSEP "attach"), "%.0f"), f(med(id SUBSEP "hwm"), "%.1f"), f(med(id SUBSEP "others"), "%.0f")
		}
	}
}
