# Sourced by the live shell tests (tests/identity.sh, tests/peers.sh): start
# OUT ERR ARGS... runs $bin ARGS in the background, stdout to OUT, stderr to
# ERR, its pid added to the pids array, and waits for its "tracing" line on
# stderr, at most 30 s; stop ends the last one started with SIGINT; wait_file
# FILE prints FILE once it exists (a pid file an actor writes). The test
# defines bin, pids and bad().

start() {
	local out=$1 err=$2
	shift 2
	"$bin" "$@" >"$out" 2>"$err" &
	pids+=($!)
	for _ in $(seq 300); do
		grep -qs "^socktrace: tracing" "$err" && return 0
		kill -0 "${pids[-1]}" 2>/dev/null || break
		sleep 0.1
	done
	bad "socktrace $* did not start: $(cat "$err")"
	return 1
}
stop() {
	kill -INT "${pids[-1]}" 2>/dev/null
	wait "${pids[-1]}"
	unset 'pids[-1]'
}

# a file's content once it exists, at most 20 s
wait_file() {
	for _ in $(seq 200); do
		[ -s "$1" ] && { cat "$1"; return 0; }
		sleep 0.1
	done
	return 1
}
