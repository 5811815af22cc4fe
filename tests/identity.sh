#!/bin/bash
# Who is at each end: cgroup paths and what they name, on real traffic from
# processes the test moves into cgroups it makes under the cgroup2 mount (a
# test slice, never the real system.slice; all removed at the end, also on
# failure). tests/identity_traffic.py makes the traffic; each event is checked
# field by field.
#   tests/identity.sh ./socktrace
# Run it under the shared lock (flock /tmp/st-live.lock).
set -u
bin=$(realpath "${1:-./socktrace}")
here=$(cd "$(dirname "$0")" && pwd)
traffic="$here/identity_traffic.py"
passed=0 failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL identity: $*"; }
check() { if [ "$2" = "$3" ]; then ok; else bad "$1: got '$2', expected '$3'"; fi; }
tmp=$(mktemp -d)
pids=()

mnt=$(awk '$9 == "cgroup2" && $4 == "/" { print $5; exit }' /proc/self/mountinfo)
if [ -z "$mnt" ]; then
	bad "no cgroup2 mount"
	echo "$passed passed, $failed failed"
	exit 1
fi
top="$mnt/st-test-$$.slice"
hex_a=$(printf 'a%.0s' {1..40})0123456789abcdef01234567
hex_b=$(printf '%s' 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef)
uid_u=12345678_1234_5678_9abc_def012345678
uid_d=12345678-1234-5678-9abc-def012345678
docker="/st-test-$$.slice/docker-$hex_a.scope"
kube="/st-test-$$.slice/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod$uid_u.slice/cri-containerd-$hex_b.scope"
unit="/st-test-$$.slice/system.slice/st\\x2dweb.service"
hostile_name=$(printf 'evil\001\033[31m"\\%0200d.service' 0)
hostile="/st-test-$$.slice/$hostile_name"
gone="/st-test-$$.slice/gone.scope" walked="/st-test-$$.slice/walked.scope"

cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	# every cgroup made, deepest first: its processes have exited by now
	[ -d "$top" ] && find "$top" -depth -type d -exec rmdir {} \; 2>/dev/null
	[ -d "$top" ] && echo "FAIL identity: could not remove $top"
	[ -n "${KEEP:-}" ] || rm -rf "$tmp"; [ -n "${KEEP:-}" ] && echo "kept $tmp"
}
trap cleanup EXIT

for d in "$docker" "$kube" "$unit" "$hostile" "$gone" "$walked"; do
	mkdir -p "$mnt$d" || bad "mkdir $mnt$d"
done

# start and stop
. "$here/start_socktrace.sh"

# the events of the given pids, one line each, sorted:
# event pid cgroup_path container pod unit (absent keys as "-"), escaped with repr()
events() {
	python3 - "$@" <<'PY'
import json, sys
path, want = sys.argv[1], set(int(p) for p in sys.argv[2:])
rows = []
for n, line in enumerate(open(path, encoding="latin-1"), 1):
	try:
		e = json.loads(line)
	except ValueError as x:
		print("BAD line %d is not JSON: %s" % (n, x)); continue
	if e["pid"] not in want: continue
	rows.append("%s %d %s %s %s %s" % (e["event"], e["pid"],
		*(repr(e[k]) if k in e else "-" for k in ("cgroup_path", "container", "pod", "unit"))))
print("\n".join(sorted(rows)))
PY
}
q() { python3 -c 'import sys; print(repr(sys.argv[1]))' "$1"; }

# ---- names: a docker scope, a kubepods pod, a unit; the server's close in softirq
start "$tmp/json" "$tmp/json.err" -j -P 12771-12773 || exit 1
start "$tmp/text" "$tmp/text.err" -P 12771-12773 || exit 1
read -r spid cpid < <(python3 "$traffic" tcp "$mnt$docker" "$mnt$kube" 12771)
upid=$(python3 "$traffic" udp "$mnt$unit" 12772)
hpid=$(python3 "$traffic" udp "$mnt$hostile" 12773)
sleep 0.5	# let the ring buffer be read; nothing is timed
stop
stop
d="$(q "$docker") $(q "$hex_a") - -"
k="$(q "$kube") $(q "$hex_b") $(q "$uid_d") -"
want=$(sort <<EOW
listen $spid $d
accept $spid $d
close $spid $d
connect $cpid $k
close $cpid $k
udp $upid $(q "$unit") - - 'st-web.service'
udp $hpid $(q "$hostile") - - $(q "${hostile_name//\\x2d/-}")
EOW
)
check "events by cgroup" "$(events "$tmp/json" "$spid" "$cpid" "$upid" "$hpid")" "$want"
# the cgroup id with it: the server's close (raised in the client's context) has the server's
sid=$(stat -c %i "$mnt$docker")
check "server close cgroup" "$(python3 -c '
import json, sys
for l in open(sys.argv[1]):
	e = json.loads(l)
	if e["pid"] == int(sys.argv[2]) and e["event"] == "close": print(e["cgroup"])' "$tmp/json" "$spid")" "$sid"
# text: WHO (the 7th column) holds the container's short id or the unit, escaped; nothing raw
# (the name through the environment: awk -v would turn its \x01 into a byte)
who() { W=$2 awk -v p="$1" '$2 == p && $7 == ENVIRON["W"] { n++ } END { print n + 0 }' "$tmp/text"; }
check "text server" "$(who "$spid" "${hex_a:0:12}")" 3
check "text client" "$(who "$cpid" "${hex_b:0:12}")" 2
check "text unit" "$(who "$upid" st-web)" 1	# st-web.service: 14 columns
check "text hostile" "$(who "$hpid" 'evil\x01\x1b~')" 1
check "text raw bytes" "$(LC_ALL=C grep -c '[^ -~]' "$tmp/text")" 0
# the udp line has no INFO: it ends with WHO, at the 100th column
check "text width" "$(awk -v p="$hpid" '$2 == p { print length($0) }' "$tmp/text")" 100

# a UDP sender in cgroup $1 (to port $2) while the last socktrace started is stopped,
# the cgroup removed before it goes on; then it is stopped for good. The sender's pid: $used.
used_and_removed() {
	kill -STOP "${pids[-1]}"
	used=$(python3 "$traffic" udp "$mnt$1" "$2")
	rmdir "$mnt$1" || bad "rmdir $mnt$1"
	kill -CONT "${pids[-1]}"
	sleep 0.5
	stop
}

# ---- a cgroup removed before socktrace could name it: the key left out (the walk that
# names the cgroups existing at start would have named it first: not this time)
SOCKTRACE_TEST_NO_CGROUP_WALK=1 start "$tmp/gone" "$tmp/gone.err" -j -P 12774 || exit 1
used_and_removed "$gone" 12774
gpid=$used
check "gone: no path" "$(events "$tmp/gone" "$gpid")" "udp $gpid - - - -"
check "gone: reported" "$(grep -c '^socktrace: 1 cgroups could not be named (1 were gone first)' "$tmp/gone.err")" 1

# ---- a cgroup that existed at start, removed before its event was read: named by the
# walk of the mount at start (user/cgroup_seed.c), which -v says is done
walk_done='^socktrace: the cgroups that existed at start: [0-9]* named'
start "$tmp/walked" "$tmp/walked.err" -j -v -P 12783 || exit 1
for _ in $(seq 200); do
	grep -qs "$walk_done" "$tmp/walked.err" && break
	sleep 0.1
done
used_and_removed "$walked" 12783
wpid=$used
check "walked: named" "$(events "$tmp/walked" "$wpid")" "udp $wpid '$walked' - - 'walked.scope'"
check "walked: none unnamed" "$(grep -c 'could not be named' "$tmp/walked.err")" 0
check "walked: said" "$(grep -c "$walk_done" "$tmp/walked.err")" 1

# ---- cgroups made while tracing: named as the kernel makes them (bpf/cgroup_birth.bpf.c),
# before their events; so also one removed before socktrace read its event
born="/st-test-$$.slice/born.scope" brief="/st-test-$$.slice/brief.scope"
start "$tmp/born" "$tmp/born.err" -j -P 12780 || exit 1
mkdir "$mnt$born" || bad "mkdir $mnt$born"
sleep 0.3	# its birth read (within a 20 ms tick) and found where the kernel said
kill -STOP "${pids[-1]}"
mkdir "$mnt$brief" || bad "mkdir $mnt$brief"
bpid=$(python3 "$traffic" udp "$mnt$born" 12780)
rpid=$(python3 "$traffic" udp "$mnt$brief" 12780)
rmdir "$mnt$brief" || bad "rmdir $mnt$brief"
kill -CONT "${pids[-1]}"
sleep 0.5
stop
check "born: named" "$(events "$tmp/born" "$bpid" "$rpid")" "$(sort <<EOW
udp $bpid $(q "$born") - - 'born.scope'
udp $rpid $(q "$brief") - - 'brief.scope'
EOW
)"
check "born: none unnamed" "$(grep -c 'could not be named' "$tmp/born.err")" 0

# ---- --cgroup and --container: exactly their subtrees, in the kernel
start "$tmp/kube" "$tmp/kube.err" -j -P 12775-12776 --cgroup "/st-test-$$.slice/kubepods.slice" ||
	exit 1
start "$tmp/two" "$tmp/two.err" -j -P 12775-12776 --cgroup "$mnt$docker" --cgroup "$mnt$unit" ||
	exit 1
start "$tmp/ctr" "$tmp/ctr.err" -j -P 12775-12776 --container "${hex_b:0:10}" || exit 1
read -r spid cpid < <(python3 "$traffic" tcp "$mnt$docker" "$mnt$kube" 12775)
upid=$(python3 "$traffic" udp "$mnt$unit" 12776)
hpid=$(python3 "$traffic" udp "$mnt$hostile" 12776)
sleep 0.5
stop
stop
stop
all="$spid $cpid $upid $hpid"
want=$(sort <<EOW
connect $cpid $k
close $cpid $k
EOW
)
# shellcheck disable=SC2086
check "--cgroup as a path" "$(events "$tmp/kube" $all)" "$want"
# shellcheck disable=SC2086
check "--container prefix" "$(events "$tmp/ctr" $all)" "$want"
want=$(sort <<EOW
listen $spid $d
accept $spid $d
close $spid $d
udp $upid $(q "$unit") - - 'st-web.service'
EOW
)
# shellcheck disable=SC2086
check "--cgroup twice, as directories" "$(events "$tmp/two" $all)" "$want"

# ---- --summary --by container and --by unit: rows summed per container, field by field
start "$tmp/sum" "$tmp/sum.err" -s -j --by container -P 12777-12779 || exit 1
start "$tmp/sumt" "$tmp/sumt.err" -s --by unit -P 12777-12779 || exit 1
python3 "$traffic" tcp "$mnt$docker" "$mnt$kube" 12777 >/dev/null
python3 "$traffic" tcp "$mnt$docker" "$mnt$kube" 12778 >/dev/null
python3 "$traffic" udp "$mnt$unit" 12779 >/dev/null
python3 "$traffic" udp "$mnt$unit" 12779 >/dev/null
sleep 0.5
stop
stop
rows() {
	python3 - "$1" <<'PY'
import json, sys
for l in open(sys.argv[1]):
	e = json.loads(l)
	if e["event"] == "summary":	# not the snapshot's "existing" line
		print(" ".join("%s=%s" % (k, e[k]) for k in e if k != "ts"))
PY
}
want=$(cat <<EOW
event=summary by=container container=$hex_b processes=2 connects=2 accepts=0 fails=0 closes=2 udp_flows=0 udp_packets=0 udp_in_flows=0 udp_rx_packets=0 udp_rx_bytes=0 udp_rx_unmatched=0 peers=2 tx_bytes=0 rx_bytes=2
event=summary by=container container=$hex_a processes=2 connects=0 accepts=2 fails=0 closes=2 udp_flows=0 udp_packets=0 udp_in_flows=0 udp_rx_packets=0 udp_rx_bytes=0 udp_rx_unmatched=0 peers=2 tx_bytes=2 rx_bytes=0
event=summary by=container container=None processes=2 connects=0 accepts=0 fails=0 closes=0 udp_flows=2 udp_packets=2 udp_in_flows=0 udp_rx_packets=0 udp_rx_bytes=0 udp_rx_unmatched=0 peers=2 tx_bytes=8 rx_bytes=0
EOW
)
check "--summary --by container" "$(rows "$tmp/sum" | sort)" "$(sort <<<"$want")"
want=$(cat <<EOW
PROCS CONNECTS ACCEPTS FAILS UDP PEERS TX RX UNIT
2 0 0 0 2 2 8 0 st-web.service
4 2 2 0 0 4 2 2 -
EOW
)
check "--summary --by unit" "$(grep -v '^socktrace: existing' "$tmp/sumt" | sed 's/  */ /g; s/^ //' |
	grep -v '^$' | sort -r)" "$(sort -r <<<"$want")"

# ---- bad --cgroup and --container: one line, exit 1
for a in "--container fedcba9876" "--cgroup /st-test-$$.slice/nothere" "--cgroup /proc"; do
	# shellcheck disable=SC2086
	err=$("$bin" -d 5 $a 2>&1 >/dev/null)	# -d: a wrong success ends too
	rc=$?
	if [ "$rc" = 1 ] && [ "$(echo "$err" | wc -l)" = 1 ]; then ok; else
		bad "$a: exit $rc, '$err'"; fi
done
check "unknown container's line" "$("$bin" -d 5 --container fedcba9876 2>&1)" \
	"socktrace: no container with id 'fedcba9876' under $mnt"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
