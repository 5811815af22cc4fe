# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# bench/lib/targets.awk: issue 5's targets (and issue 18's UDP flood with --names) against one run's medians (the
# medfile lines of medians.awk, tcp then udp): met or not, and for a miss
# what the floor rows say. A Markdown table on stdout.
#   awk -F'\t' -v static_size=BYTES|- -v prof="NS_PER_CONN NS_PER_DGRAM" \
#       -f targets.awk MEDIANS...
{ load[$1] = $2; ratio[$1] = $3; trop[$1] = $4; att[$1] = $5; hwm[$1] = $6
  lost[$1] = $7; drop[$1] = $8; perconn[$1] = $9; allok[$1] = $10; have[$1] = 1
  unseen[$1] = $12 }
function row(target, got, ok, why) {
	printf "| %s | %s | %s | %s |\n", target, got, ok == "" ? "-" : (ok ? "met" : "**missed**"), why
}
function d(a, b) { return sprintf("%+.1f µs", a - b) }
END {
	split(prof, pr, " ")
	own_conn = pr[1] != "" ? sprintf("; socktrace's programs: %.1f µs (profile below)", pr[1] / 1000) : ""
	own_dgram = pr[2] != "" ? sprintf("; socktrace's programs: %.2f µs per datagram, against %.2f µs untraced (profile below)", pr[2] / 1000, load["udp-base"]) : ""
	print "| target | this run | | where missed |"
	print "|---|---|---|---|"
	if (have["base"] && have["st-json"]) {
		fl = have["floor"] ? " (floor: the hooks doing nothing, " d(load["floor"], load["base"]) ")" : ""
		row("load CPU per connection within +2 µs of untraced, streaming (`-j`)",
		    sprintf("%.1f against %.1f µs: %s", load["st-json"], load["base"], d(load["st-json"], load["base"])),
		    load["st-json"] - load["base"] <= 2,
		    have["floor"] ? sprintf("the hooks alone cost %s%s%s", d(load["floor"], load["base"]),
		    load["floor"] - load["base"] > 2 ? ", more than the target" : "", own_conn) : "")
	}
	if (have["st-json"] && trop["st-json"] != "-" && perconn["st-json"] != "-")
		row("tracer ≤ 2 µs CPU per event (`-j`)",
		    sprintf("%.2f µs per connection / %.2f events streamed = %.2f µs", trop["st-json"], perconn["st-json"], trop["st-json"] / perconn["st-json"]),
		    trop["st-json"] / perconn["st-json"] <= 2, "")
	n = split("st-json st-text st-be-tracepoint st-ev", ids, " ")
	got = ""; ok = 1; seen = 0
	for (i = 1; i <= n; i++) {
		id = ids[i]
		if (!have[id] || lost[id] == "-") continue
		seen = 1
		got = got sprintf("%s%s: lost %s, dropped %s, all streamed %s%s", got == "" ? "" : "; ", id, lost[id], drop[id], allok[id],
		    unseen[id] != "-" && unseen[id] != 0 ? sprintf(" (%s of the closes went out late, marked: socktrace did not see them as they happened)", unseen[id]) : "")
		if (lost[id] != 0 || (drop[id] != "-" && drop[id] != 0) || allok[id] == "no") ok = 0
	}
	if (seen) row("0 events lost at the maximum loopback rate", got, ok, "")
	if (have["base"] && have["st-pid1"])
		row("filtered out by `--pid`: indistinguishable from untraced (taken as within 1 µs)",
		    sprintf("%.1f against %.1f µs: %s", load["st-pid1"], load["base"], d(load["st-pid1"], load["base"])),
		    load["st-pid1"] - load["base"] <= 1,
		    have["floor"] ? sprintf("the floor is %s: tracepoint programs cannot be attached per process", d(load["floor"], load["base"])) : "")
	if (have["udp-st-json"])
		row("UDP flood over 16 flows: rate ratio ≥ 0.95", sprintf("%.2f", ratio["udp-st-json"]),
		    ratio["udp-st-json"] >= 0.95,
		    have["udp-floor"] ? sprintf("the floor (the same hooks doing nothing): %.2f%s", ratio["udp-floor"], own_dgram) : "")
	if (have["udp-st-json"] && have["udp-st-names"]) {
		dr = ratio["udp-st-names"] - ratio["udp-st-json"]
		row("UDP flood with DNS watching on (`--names`): its rate ratio does not move (taken as within 0.03 of `-j`'s)",
		    sprintf("%.2f against %.2f: %+.2f", ratio["udp-st-names"], ratio["udp-st-json"], dr),
		    dr >= -0.03, "")
	}
	n = split("st-json st-text st-summary st-pid1 st-ev st-be-tracepoint udp-st-json udp-st-names", ids, " ")
	worst = -1; best = -1; hw = -1
	for (i = 1; i <= n; i++) {
		id = ids[i]
		if (!have[id]) continue
		if (att[id] != "-" && (worst < 0 || att[id] > worst)) worst = att[id]
		if (att[id] != "-" && (best < 0 || att[id] < best)) best = att[id]
		if (hwm[id] != "-" && hwm[id] > hw) hw = hwm[id]
	}
	if (have["st-json"] && att["st-json"] != "-")
		row("start to attached ≤ 50 ms (`-j`, auto backend)",
		    sprintf("%.0f ms (medians of the socktrace rows: %.0f–%.0f)", att["st-json"], best, worst),
		    att["st-json"] <= 50, "")
	if (hw >= 0) row("peak RSS ≤ 16 MiB", sprintf("%.1f MiB (the largest median of the socktrace rows)", hw), hw <= 16, "")
	if (static_size != "-")
		row("static binary ≤ 2 MB", sprintf("%d bytes", static_size), static_size <= 2000000, "")
}
