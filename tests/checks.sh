# Sourced by the live shell tests (tests/peers.sh, tests/nat.sh): their count
# of checks. check_name names the test in each failure; check NAME GOT WANT
# passes when GOT is WANT exactly; report prints the "N passed, N failed" line
# tests/run-all.sh adds up, and is the test's status.
passed=0 failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL $check_name: $*"; }
check() { if [ "$2" = "$3" ]; then ok; else bad "$1: got '$2', expected '$3'"; fi; }
report() {
	echo "$passed passed, $failed failed"
	[ "$failed" = 0 ]
}
