#!/bin/bash
# socktrace under valgrind through a normal run with traffic: no memory error
# of its own and no leak (libbpf's partly initialised bpf() attributes are
# suppressed: tests/valgrind.supp).
#   tests/memcheck.sh ./socktrace .output/st-live
set -u
bin=$(realpath "${1:-./socktrace}")
live=$(realpath "${2:-.output/st-live}")
here=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL memcheck: $*"; }

if ! command -v valgrind >/dev/null; then
	echo "FAIL memcheck: valgrind is missing (make deps installs it)"
	echo "0 passed, 1 failed"
	exit 1
fi
valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
	--show-leak-kinds=definite,indirect --error-exitcode=3 \
	--suppressions="$here/valgrind.supp" \
	"$bin" -j -s --stream -d 30 >"$tmp/out" 2>"$tmp/err" &
pid=$!
for _ in $(seq 300); do
	grep -q "socktrace: tracing with" "$tmp/err" && break
	sleep 0.1
done
"$live" --traffic tcp_bytes >/dev/null && "$live" --traffic udp6 >/dev/null || bad "traffic failed"
sleep 1
kill -INT $pid
wait $pid
rc=$?
[ "$rc" = 0 ] && ok || bad "exit status $rc: $(grep -v '^socktrace' "$tmp/err" | head -30)"
if grep -q '"event":"close".*"tx_bytes":1000,"rx_bytes":2500' "$tmp/out" &&
   grep -q '"event":"summary"' "$tmp/out"; then ok; else
	bad "events or summary missing under valgrind: $(head -c 300 "$tmp/out")"
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
