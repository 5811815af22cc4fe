#!/bin/bash
# socktrace as something people install:
#   - the man page (docs/socktrace.8) lints clean, and names every long option
#     of --help and no other; so does the bash completion (dist/socktrace.bash),
#     which loads and completes
#   - make install / make uninstall into a DESTDIR: exactly the four files, then none
#   - make deb: lintian finds no error; unpacked into a throwaway root, its
#     socktrace runs --version and --probe (root), and systemd-analyze verify
#     accepts its unit
# A missing tool is a failure, by name: tests/deps.sh installs them.
#   tests/package.sh ./socktrace
set -u
bin=${1:-./socktrace}
cd "$(dirname "$0")/.."
passed=0 failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

pass() { passed=$((passed + 1)); }
fail() { failed=$((failed + 1)); echo "FAIL package: $*"; }
need() {
	command -v "$1" >/dev/null 2>&1 && return 0
	fail "$1 is missing (package $2; make deps installs it)"
	return 1
}

# ---- the man page ----
if need mandoc mandoc; then
	if mandoc -T lint -W warning docs/socktrace.8 >"$tmp/lint" 2>&1 && [ ! -s "$tmp/lint" ]; then
		pass
	else
		fail "mandoc -T lint docs/socktrace.8: $(head -c 600 "$tmp/lint")"
	fi
fi
if need groff groff-base; then
	if groff -ww -z -man docs/socktrace.8 >"$tmp/groff" 2>&1 && [ ! -s "$tmp/groff" ]; then
		pass
	else
		fail "groff -ww -z docs/socktrace.8: $(head -c 600 "$tmp/groff")"
	fi
fi

# the long options, one a line, sorted: of --help, of the man page's OPTIONS
# (the heads of its .TP entries), of the completion (what it offers for "--")
"$bin" --help | grep -oE -- '--[a-z0-9][a-z0-9-]*' | sort -u >"$tmp/help"
awk '/^\.SH /{ inopt = ($2 == "OPTIONS") } inopt && prev == ".TP" { print } { prev = $0 }' \
	docs/socktrace.8 | grep -oE -- '(\\-){2}[a-z0-9]([a-z0-9]|\\-)*' | sed 's/\\-/-/g' |
	sort -u >"$tmp/man"
bash -c 'source dist/socktrace.bash && COMP_WORDS=(socktrace --) COMP_CWORD=1 &&
	_socktrace && printf "%s\n" "${COMPREPLY[@]}"' 2>&1 | sort -u >"$tmp/completion"
if [ "$(wc -l <"$tmp/help")" -ge 20 ] && diff "$tmp/help" "$tmp/man" >"$tmp/diff"; then
	pass
else
	fail "--help and socktrace(8) list different long options (< help, > man):" \
	     "$(tr '\n' ' ' <"$tmp/diff")"
fi
if diff "$tmp/help" "$tmp/completion" >"$tmp/diff"; then
	pass
else
	fail "--help and dist/socktrace.bash list different long options (< help, > completion):" \
	     "$(tr '\n' ' ' <"$tmp/diff")"
fi

# ---- bash completion: loads, and completes ----
got=$(bash -c 'source dist/socktrace.bash && complete -p socktrace &&
	COMP_WORDS=(socktrace --sum) COMP_CWORD=1 && _socktrace && echo "${COMPREPLY[*]}" &&
	COMP_WORDS=(socktrace -b tr) COMP_CWORD=2 && _socktrace && echo "${COMPREPLY[*]}" &&
	COMP_WORDS=(socktrace --events connect,ac) COMP_CWORD=2 && _socktrace &&
	echo "${COMPREPLY[*]}"' 2>&1)
want="complete -F _socktrace socktrace
--summary
tracepoint
connect,accept"
if [ "$got" = "$want" ]; then
	pass
else
	fail "bash completion: want '$want', got '$got'"
fi

# ---- make install / uninstall ----
dest=$tmp/dest
if make --no-print-directory -s install DESTDIR="$dest" PREFIX=/usr >"$tmp/install" 2>&1; then
	(cd "$dest" && find . -type f | sort) >"$tmp/files"
	want="./usr/lib/systemd/system/socktrace.service
./usr/sbin/socktrace
./usr/share/bash-completion/completions/socktrace
./usr/share/man/man8/socktrace.8"
	if [ "$(cat "$tmp/files")" = "$want" ] && [ -x "$dest/usr/sbin/socktrace" ] &&
	   grep -qx "ExecStart=/usr/sbin/socktrace --metrics localhost:9464" \
		"$dest/usr/lib/systemd/system/socktrace.service"; then
		pass
	else
		fail "make install: want the files '$want', got '$(cat "$tmp/files")'"
	fi
	make --no-print-directory -s install DESTDIR="$dest/local" >/dev/null 2>&1
	if grep -qx "ExecStart=/usr/local/sbin/socktrace --metrics localhost:9464" \
		"$dest/local/usr/local/lib/systemd/system/socktrace.service"; then
		pass
	else
		fail "make install with the default PREFIX: the unit does not start /usr/local/sbin/socktrace"
	fi
	make --no-print-directory -s uninstall DESTDIR="$dest" PREFIX=/usr >/dev/null 2>&1
	make --no-print-directory -s uninstall DESTDIR="$dest/local" >/dev/null 2>&1
	left=$(cd "$dest" && find . -type f)
	if [ -z "$left" ]; then
		pass
	else
		fail "make uninstall left: $left"
	fi
else
	fail "make install: $(tail -5 "$tmp/install")"
fi

# ---- make deb, lintian, and the package run from a throwaway root ----
deb_ok=1
for t in dpkg-buildpackage:dpkg-dev dh:debhelper fakeroot:fakeroot lintian:lintian \
	 systemd-analyze:systemd; do
	need "${t%%:*}" "${t#*:}" || deb_ok=0
done
if [ $deb_ok = 1 ] && make --no-print-directory -s deb >"$tmp/deb" 2>&1 &&
   deb=$(ls .output-deb/socktrace_*_*.deb 2>/dev/null) && [ -f "$deb" ]; then
	pass
	if lintian --fail-on error "$deb" >"$tmp/lintian" 2>&1; then
		pass
		grep -E '^[EWI]: ' "$tmp/lintian" | sed 's/^/  lintian: /'
	else
		fail "lintian $deb: $(grep -E '^E: ' "$tmp/lintian" | head -10)"
	fi
	root=$tmp/root
	dpkg-deb -x "$deb" "$root"
	for f in usr/sbin/socktrace usr/share/man/man8/socktrace.8.gz \
		 usr/share/bash-completion/completions/socktrace lib/systemd/system/socktrace.service; do
		[ -e "$root/$f" ] || fail "the package lacks /$f"
	done
	if "$root/usr/sbin/socktrace" --version >"$tmp/version" 2>&1 &&
	   [ "$(head -n 1 "$tmp/version")" = "$("$bin" --version | head -n 1)" ] &&
	   grep -qE "^libbpf [0-9]+\.[0-9]+$" "$tmp/version" &&
	   grep -qx "backends: fentry kprobe tracepoint" "$tmp/version"; then
		pass
	else
		fail "the package's socktrace --version: $(head -c 300 "$tmp/version")"
	fi
	if [ "$(id -u)" = 0 ]; then
		if timeout 60 "$root/usr/sbin/socktrace" --probe >"$tmp/probe" 2>&1 &&
		   grep -qE "^chosen: (fentry|kprobe|tracepoint)$" "$tmp/probe"; then
			pass
		else
			fail "the package's socktrace --probe: $(head -c 600 "$tmp/probe")"
		fi
	else
		fail "the package's socktrace --probe needs root"
	fi
	# the unit as installed, pointed at the unpacked binary and man page
	sed "s|=/usr/sbin/socktrace |=$root/usr/sbin/socktrace |" \
		"$root/lib/systemd/system/socktrace.service" >"$tmp/socktrace.service"
	if MANPATH=$root/usr/share/man systemd-analyze verify "$tmp/socktrace.service" \
		>"$tmp/verify" 2>&1 && [ ! -s "$tmp/verify" ]; then
		pass
	else
		fail "systemd-analyze verify socktrace.service: $(head -c 600 "$tmp/verify")"
	fi
else
	fail "make deb: $(tail -15 "$tmp/deb" 2>/dev/null)"
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
