#!/bin/bash
# The whole test suite, as `make test` runs it:
#   1. unit tests (tests/unit/: parsers, command line, formatting, event kinds, JSON, BTF scan)
#   2. the binary on bad input (tests/cli.sh); --top in tmux (tests/top.sh);
#      signals, leftovers, a closed output and a stalled consumer (tests/signals.sh);
#      two socktraces at once, the host's mounts untouched (tests/concurrent.sh); the
#      state-change work on the kernel stack, not a private one (tests/privstack.c);
#      st-live's time limits: a scenario made to hang is killed and named, the
#      next one passes (tests/timeout.sh); installing: the man page and the
#      bash completion against --help, make install/uninstall, make deb with
#      lintian, the package run from a throwaway root, its unit (tests/package.sh);
#      --metrics scraped by a real Prometheus, bad HTTP and the series limit
#      (tests/metrics.sh); cgroup names on traffic from cgroups the test makes
#      (tests/identity.sh); the process at the other end of a local connection,
#      over loopback and across network namespaces (tests/peers.sh); the real
#      destination behind an nftables DNAT rule (tests/nat.sh)
#   3. live scenarios on this kernel: every backend that --probe says works
#      here runs all scenarios; every other one must fail cleanly; the default
#      choice must be the one --probe names
#   4. the VM matrix: every backend on real Debian kernels (tests/vm/run);
#      SOCKTRACE_VM=0 leaves it out, and says so in the summary
# Ends with the line "N passed, N failed" over all parts.
set -u
cd "$(dirname "$0")/.."
out=${OUT:-.output}
total_pass=0 total_fail=0

# run a part; add up the last "N passed, N failed" line it prints
part() {
	local name=$1 log line p f
	shift
	echo "== $name"
	log=$(mktemp)
	"$@" 2>&1 | tee "$log"
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	rm -f "$log"
	if [ -z "$line" ]; then
		echo "FAIL $name: no summary line"
		total_fail=$((total_fail + 1))
		return
	fi
	p=${line%% passed*}
	f=${line#*, }
	f=${f%% failed*}
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
}

part unit "$out/unit"
part cli tests/cli.sh ./socktrace
part package tests/package.sh ./socktrace
part top tests/top.sh ./socktrace "$out/st-live"
part signals tests/signals.sh ./socktrace "$out/st-live"
part concurrent tests/concurrent.sh ./socktrace "$out/st-live"
part privstack "$out/st-privstack" ./socktrace
part timeout tests/timeout.sh ./socktrace "$out/st-live"
part dns tests/dns.sh ./socktrace
part metrics tests/metrics.sh ./socktrace
part identity tests/identity.sh ./socktrace
part peers tests/peers.sh ./socktrace
part nat tests/nat.sh ./socktrace
part snapshot tests/snapshot.sh ./socktrace
if [ -z "${SANITIZE:-}" ]; then	# valgrind and ASan don't mix
	part memcheck tests/memcheck.sh ./socktrace "$out/st-live"
fi

probe=$(./socktrace --probe 2>&1)
echo "$probe"
chosen=$(echo "$probe" | sed -n 's/^chosen: //p')
for b in fentry kprobe tracepoint; do
	if echo "$probe" | grep -qE "^backend $b +yes"; then
		part "live ($b)" "$out/st-live" --socktrace ./socktrace --backend "$b"
	else
		part "live ($b unavailable)" "$out/st-live" --socktrace ./socktrace --backend "$b" \
			--expect-unavailable
	fi
done
part "live (auto = $chosen)" "$out/st-live" --socktrace ./socktrace --expect-backend "$chosen" \
	--only tcp4_textbook

if [ "${SOCKTRACE_VM:-1}" = 0 ]; then
	echo "== vm: left out (SOCKTRACE_VM=0); the backends were not tested on other kernels"
elif [ -x tests/vm/run ]; then
	part vm make --no-print-directory vmtest
else
	echo "FAIL vm: tests/vm/run is missing"
	total_fail=$((total_fail + 1))
fi

echo "$total_pass passed, $total_fail failed"
[ "$total_fail" = 0 ]
