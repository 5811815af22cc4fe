#!/bin/bash
# The socktrace binary on bad input: each case must exit with the given code,
# print exactly one line on stderr (matching a pattern) and nothing on stdout.
#   tests/cli.sh ./socktrace
set -u
bin=${1:-./socktrace}
passed=0 failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# expect CODE PATTERN -- COMMAND...
expect() {
	local code=$1 pattern=$2 rc lines
	shift 3
	timeout 20 "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	rc=$?
	lines=$(wc -l <"$tmp/err")
	if [ "$rc" = "$code" ] && [ "$lines" = 1 ] && [ ! -s "$tmp/out" ] &&
	   grep -qE -- "$pattern" "$tmp/err"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL cli: '$*': want exit $code and one stderr line matching '$pattern';" \
		     "got exit $rc, $lines lines: $(head -c 300 "$tmp/err")$(head -c 100 "$tmp/out")"
	fi
}

expect 2 "^socktrace: invalid port '70000': must be 1-65535$" -- "$bin" --port 70000
expect 2 "^socktrace: invalid port '0'" -- "$bin" -P 0
expect 2 "^socktrace: invalid port range '9-1'" -- "$bin" -P 9-1
expect 2 "^socktrace: empty port list$" -- "$bin" --port=
expect 2 "^socktrace: empty item in port list" -- "$bin" -P 80,,90
expect 2 "^socktrace: invalid pid 'abc': not a decimal number$" -- "$bin" --pid abc
expect 2 "^socktrace: invalid pid '-1'" -- "$bin" --pid=-1
expect 2 "^socktrace: empty pid list$" -- "$bin" --pid ""
expect 2 "^socktrace: unknown option '--nope'" -- "$bin" --nope
expect 2 "^socktrace: option '--pid' needs a value" -- "$bin" --pid
expect 2 "^socktrace: unknown backend 'ebpf'" -- "$bin" --backend ebpf
expect 2 "^socktrace: --tcp and --udp together" -- "$bin" -t -u
expect 2 "^socktrace: unknown event 'shutdown'" -- "$bin" -e shutdown
expect 2 "^socktrace: invalid duration 'x'" -- "$bin" -d x
expect 2 "^socktrace: option --port given twice$" -- "$bin" -P 1 -P 2
expect 2 "^socktrace: invalid buffer size '3000'" -- "$bin" --buffer-size 3000
expect 2 "^socktrace: unexpected argument 'foo'" -- "$bin" foo
expect 1 "^socktrace: --top needs a terminal on stdout" -- "$bin" --top
expect 2 "^socktrace: invalid port '65536': must be 1-65535$" -- "$bin" -P 65536
expect 2 "^socktrace: invalid port '99999999999999999999999'" -- "$bin" -P 99999999999999999999999
expect 2 "^socktrace: invalid port ' 80': not a decimal number$" -- "$bin" -P " 80"
expect 2 "^socktrace: invalid port '0x50'" -- "$bin" -P 0x50
expect 2 "^socktrace: invalid port '\+80'" -- "$bin" -P +80
expect 2 "^socktrace: invalid port ''|^socktrace: empty port$" -- "$bin" -P 80-
expect 2 "^socktrace: too many ports: at most 16 entries$" -- "$bin" -P 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17
expect 2 "^socktrace: invalid pid '0': must be 1-4194304$" -- "$bin" -p 0
expect 2 "^socktrace: invalid pid '4194305'" -- "$bin" -p 4194305
expect 2 "^socktrace: empty item in pid list '1,,2'$" -- "$bin" -p 1,,2
expect 2 "^socktrace: too many pids: at most 16$" -- "$bin" -p 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17
expect 2 "^socktrace: option --pid given twice$" -- "$bin" -p 1 --pid 2
expect 2 "^socktrace: option --json given twice$" -- "$bin" -j --json
expect 2 "^socktrace: -4 and -6 together select nothing" -- "$bin" -4 -6
expect 2 "^socktrace: --udp with --events lacking udp selects nothing$" -- "$bin" -u -e connect
expect 2 "^socktrace: --tcp with --events udp selects nothing$" -- "$bin" -t -e udp
expect 2 "^socktrace: --fail and --events together: give one$" -- "$bin" --fail -e close
expect 2 "^socktrace: --top is a view of its own" -- "$bin" --top -j
expect 2 "^socktrace: --stream goes with --summary" -- "$bin" --stream
expect 2 "^socktrace: --probe takes no filter or output option$" -- "$bin" --probe -s
expect 2 "^socktrace: invalid duration '0': must be 1-31536000$" -- "$bin" -d 0
expect 2 "^socktrace: invalid duration '-5'" -- "$bin" --duration=-5
expect 2 "^socktrace: invalid size '1024M0': not a decimal number$" -- "$bin" --buffer-size 1024M0
expect 2 "^socktrace: invalid buffer size '2048M': must be a power of two" -- "$bin" --buffer-size 2048M
expect 2 "^socktrace: invalid process name '0123456789abcdef': 1 to 15 bytes$" -- "$bin" -c 0123456789abcdef
expect 2 "^socktrace: invalid process name '': 1 to 15 bytes$" -- "$bin" --comm=
expect 2 "^socktrace: invalid uid 'root': not a decimal number$" -- "$bin" -U root
expect 2 "^socktrace: invalid summary interval 'x'" -- "$bin" --summary=x
expect 2 "^socktrace: invalid udp idle time '0'" -- "$bin" --udp-idle 0
expect 2 "^socktrace: option '--json=1' takes no value \(see --help\)$" -- "$bin" --json=1
expect 2 "^socktrace: unexpected argument '[\\]x1b\[2J'" -- "$bin" $'\x1b[2J'
expect 2 "^socktrace: invalid pid 'a[\\]x0ab': not a decimal number$" -- "$bin" -p $'a\nb'
expect 2 "^socktrace: unknown option '-[\\]x1b' " -- "$bin" $'-\x1b'
expect 2 "^socktrace: unknown event ''|^socktrace: empty item in event list" -- "$bin" -e connect,

# without privilege: a clear refusal, nothing attached
if command -v setpriv >/dev/null; then
	expect 1 "^socktrace: permission denied: run as root, or grant CAP_BPF and CAP_PERFMON" -- \
		setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$bin" -d 1
else
	failed=$((failed + 1)); echo "FAIL cli: setpriv (util-linux) is missing"
fi

# a kernel without BTF: hide /sys/kernel/btf in a private mount namespace
if [ "$(id -u)" = 0 ]; then
	expect 1 "^socktrace: this kernel has no BTF at /sys/kernel/btf/vmlinux" -- \
		unshare -m sh -c "mount -t tmpfs none /sys/kernel/btf && exec $bin -d 1"
else
	failed=$((failed + 1)); echo "FAIL cli: the no-BTF case needs root"
fi

# -v: the start-up's steps, timed, on one line before tracing begins (the figures are not checked)
if [ "$(id -u)" = 0 ]; then
	timeout 30 "$bin" -v -t -d 1 >/dev/null 2>"$tmp/verbose"
	step='[0-9]+\.[0-9]'
	if grep -qE "^socktrace: started in $step ms: open $step, btf $step, maps $step, load $step, attach $step, snapshot $step$" "$tmp/verbose"; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL cli: -v has no start-up line: $(grep -v '^libbpf' "$tmp/verbose" | head -c 300)"
	fi
else
	failed=$((failed + 1)); echo "FAIL cli: -v's start-up line needs root"
fi

# --help and --version: stdout, exit 0; the version names libbpf and the backends built in
if "$bin" --help | grep -q "^Usage: socktrace" && "$bin" -V >"$tmp/version" &&
	[ "$(wc -l <"$tmp/version")" = 3 ] &&
	sed -n 1p "$tmp/version" | grep -qE "^socktrace [0-9]+\.[0-9]+\.[0-9]+$" &&
	sed -n 2p "$tmp/version" | grep -qE "^libbpf [0-9]+\.[0-9]+$" &&
	sed -n 3p "$tmp/version" | grep -qx "backends: fentry kprobe tracepoint"; then
	passed=$((passed + 1))
else
	failed=$((failed + 1)); echo "FAIL cli: --help or --version"; cat "$tmp/version"
fi
# --probe --json: one JSON object, with every field a script reads (needs root)
probe_json() {
	timeout 60 "$bin" --probe --json >"$tmp/probe" 2>"$tmp/err" || return 1
	[ "$(wc -l <"$tmp/probe")" = 1 ] && python3 -m json.tool "$tmp/probe" >/dev/null &&
	python3 - "$tmp/probe" "$(uname -r)" "$(uname -m)" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
assert p["kernel"] == sys.argv[2] and p["arch"] == sys.argv[3], "kernel, arch"
assert p["btf"] in ("/sys/kernel/btf/vmlinux", None), "btf"
names = [b["name"] for b in p["backends"]]
assert names == ["fentry", "kprobe", "tracepoint"], names
for b in p["backends"]:
    assert isinstance(b["available"], bool) and isinstance(b["why"], str), b
    assert b["available"] or b["why"], b
ok = [b["name"] for b in p["backends"] if b["available"]]
assert p["chosen"] == (ok[0] if ok else None), p["chosen"]
for o in ("summary", "stream", "top", "events", "json", "probe", "backend", "udp-idle"):
    assert o in p["options"], o
assert p["events"] == ["connect", "accept", "udp", "close", "fail", "listen", "dns"], p["events"]
PY
}
if [ "$(id -u)" != 0 ]; then
	failed=$((failed + 1)); echo "FAIL cli: --probe --json needs root"
elif probe_json; then
	passed=$((passed + 1))
else
	failed=$((failed + 1))
	echo "FAIL cli: --probe --json: $(head -c 300 "$tmp/err") $(head -c 600 "$tmp/probe")"
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
