# tests/vm/lib/results.sh: a VM's (or the host's) console log read into matrix cells
# shellcheck shell=bash
# Sourced by tests/vm/run, which sets the globals it reads; sources nothing.
# Every row ends as $RUN_DIR/<id>.res: "label=..", "log=..", "<column>=<cell>",
# "note=.." lines.

# evaluate the @@ST markers of LOG; QRC is the exit status of timeout+qemu
eval_vm_log() {
	local logf=$1 qrc=$2
	awk -v qrc="$qrc" -v cols="${COLUMNS_[*]}" '
	function vmdied() {
		return (qrc == 124 || qrc == 137) ? "FAIL(vm-timeout)" : panic ? "FAIL(panic)" : "FAIL(vm-died)"
	}
	function cell(c) {
		if (!(c in began)) return boot ? "FAIL(not-run)" : (qrc == 124 || qrc == 137 || panic) ? vmdied() : "FAIL(no-boot)"
		if (!(c in rc)) return vmdied()
		if (c in unavail) return unavail[c] == "ok" ? "n/a-ok" : "FAIL(" unavail[c] ")"
		if (c == "probe") return rc[c] == 0 ? "pass" : "FAIL(rc=" rc[c] ")"
		to = (rc[c] == 124 || rc[c] == 137 || rc[c] == 143) ? "step-timeout" : ""
		if (c in fails) {
			l = fails[c]
			if (nfails[c] > 3) {
				split(fails[c], f, ",")
				l = nfails[c] " of " (c in np ? np[c] + nf[c] : "?") ": " f[1] "," f[2] ",+" (nfails[c] - 2)
			}
			return "FAIL(" (to != "" ? to "; " : "") l ")"
		}
		if (to != "") return "FAIL(" to ")"
		if (rc[c] != 0) return "FAIL(rc=" rc[c] ")"
		if (!(c in np)) return "FAIL(no-summary)"
		if (nf[c] != 0 || np[c] == 0) return "FAIL(" np[c] "-passed-" nf[c] "-failed)"
		if (c in retried) return "pass(retried:" retried[c] (c in na ? "; n/a:" na[c] : "") ")"
		if (c in na) return "pass(n/a:" na[c] ")"
		return "pass"
	}
	{ gsub(/\r/, "") }
	/@@ST DMESG BEGIN/ { indmesg = 1; next }
	/@@ST DMESG END/ { indmesg = 0; next }
	indmesg { next }
	/Kernel panic - not syncing/ { panic = 1 }
	/BUG:|Oops|WARNING:|general protection fault|Call Trace:/ { warns++ }
	{
		i = index($0, "@@ST ")
		if (i == 0) {
			if (cur == "") next
			if ($1 == "FAIL") {
				s = $2; sub(/:$/, "", s)
				if ($3 == "timeout" && $4 == "after") s = "timeout:" s	# st-live stopped it
				fails[cur] = fails[cur] (fails[cur] != "" ? "," : "") s
				nfails[cur]++
			} else if ($1 == "N/A") {	# needs a later kernel: not run
				s = $2; sub(/:$/, "", s)
				na[cur] = na[cur] (na[cur] != "" ? "," : "") s
			} else if ($1 == "RETRY") {	# st-live retried a failed scenario
				s = $2; sub(/:$/, "", s)
				retried[cur] = retried[cur] (retried[cur] != "" ? "," : "") s
			} else if ($0 ~ /^[0-9]+ passed, [0-9]+ failed/) {
				np[cur] = $1 + 0; nf[cur] = $3 + 0
			}
			next
		}
		split(substr($0, i + 5), a, " ")
		if (a[1] == "BOOT") { boot = 1; booted = a[2] }
		else if (a[1] == "BEGIN") { cur = a[2]; began[cur] = 1 }
		else if (a[1] == "END") { r = a[3]; sub(/^rc=/, "", r); rc[a[2]] = r + 0; cur = "" }
		else if (a[1] == "UNAVAILABLE") unavail[a[2]] = a[3]
		else if (a[1] == "DONE") done = 1
		else if (a[1] == "MODULE" && a[2] == "FAIL") modfail = modfail (modfail != "" ? "," : "") a[3]
		else if (a[1] == "MODULES") { modsecs = a[4]; sub(/^secs=/, "", modsecs) }
	}
	END {
		n = split(cols, c, " ")
		for (k = 1; k <= n; k++) print c[k] "=" cell(c[k])
		if (panic) print "note=kernel panic in the log"
		else if (warns) print "note=" warns " kernel BUG/WARNING/Oops/Call Trace line(s) in the log"
		if (boot && !done && qrc == 0 && !panic) print "note=VM powered off before @@ST DONE"
		if (modfail != "") print "note=modules that did not load (@@ST MODULE FAIL): " modfail
		if (booted != "") print "booted=" booted
		if (modsecs != "") print "modsecs=" modsecs
	}' "$logf"
}
