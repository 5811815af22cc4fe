# tests/vm/lib/tools.sh: QEMU, busybox, the binaries under test, the host's calibration, idle CPUs, the initramfs
# shellcheck shell=bash
# Sourced by tests/vm/run, which sets the globals it reads; sources nothing.
QEMU=() QEMU_DESC=""
qemu_major() { "$1" --version 2>/dev/null | sed -n '1s/.*version \([0-9]*\)\..*/\1/p'; }

install_deps() {
	[ $OPT_INSTALL = 1 ] || return 1
	[ "$(id -u)" = 0 ] || return 1
	log "installing qemu-system-x86 with apt-get"
	export DEBIAN_FRONTEND=noninteractive
	(
		unset APT_CONFIG
		apt-get install -y -q --no-install-recommends qemu-system-x86 >"$RUN_DIR/install.log" 2>&1 ||
			{ apt-get update -q >>"$RUN_DIR/install.log" 2>&1 &&
				apt-get install -y -q --no-install-recommends qemu-system-x86 >>"$RUN_DIR/install.log" 2>&1; }
	) || { tail -n 20 "$RUN_DIR/install.log" >&2; return 1; }
}

setup_qemu() {
	if [ -n "${ST_VM_QEMU:-}" ]; then
		QEMU=("$ST_VM_QEMU") QEMU_DESC="$ST_VM_QEMU (ST_VM_QEMU)"
		return 0
	fi
	local sys major nv ver dir p
	sys=$(command -v qemu-system-x86_64) || { install_deps && sys=$(command -v qemu-system-x86_64); } ||
		die "qemu-system-x86_64 not found: apt-get install qemu-system-x86 (or --install-deps)"
	major=$(qemu_major "$sys")
	if [ "${major:-0}" -ge $QEMU_MIN_MAJOR ]; then
		QEMU=("$sys") QEMU_DESC="$sys ($("$sys" --version | head -n 1))"
		return 0
	fi
	# the system QEMU is too old: take the one of the host's backports,
	# which runs on the system QEMU's libraries.
	nv=$(newest_in qemu-system-x86 "$HOST_CODENAME-backports") || nv=""
	ver=${nv%% *}
	dir=$TOOLS_DIR/qemu-${ver//:/_}
	if [ -z "$ver" ]; then	# no package lists: any QEMU fetched before
		for p in "$TOOLS_DIR"/qemu-*/.complete; do dir=${p%/.complete}; done
	fi
	if [ -n "$ver" ] && [ ! -e "$dir/.complete" ]; then
		log "system QEMU is $major.x; downloading qemu-system-x86 $ver from $HOST_CODENAME-backports"
		rm -rf "$dir" "$dir.tmp"
		mkdir -p "$dir.tmp"
		if (cd "$dir.tmp" && apt-get -q download "qemu-system-x86=$ver" \
			"qemu-system-data=$ver" "seabios/$HOST_CODENAME-backports") >"$dir.tmp/download.log" 2>&1; then
			for p in "$dir.tmp"/*.deb; do
				deb_extract "$p" "$dir.tmp/x" ./usr/bin/qemu-system-x86_64 './usr/share/qemu/*' './usr/share/seabios/*'
			done
			if [ -x "$dir.tmp/x/usr/bin/qemu-system-x86_64" ]; then
				for p in "$TOOLS_DIR"/qemu-*; do	# older ones
					[ "$p" = "$dir.tmp" ] || rm -rf "$p"
				done
				mv "$dir.tmp/x" "$dir" && touch "$dir/.complete"
			fi
		fi
		[ -e "$dir/.complete" ] || sed 's/^/    /' "$dir.tmp/download.log" | tail -n 5 >&2
		rm -rf "$dir.tmp"
	fi
	if [ -e "$dir/.complete" ] && [ "$(qemu_major "$dir/usr/bin/qemu-system-x86_64")" -ge $QEMU_MIN_MAJOR ] 2>/dev/null; then
		QEMU=("$dir/usr/bin/qemu-system-x86_64" -L "$dir/usr/share/seabios" -L "$dir/usr/share/qemu")
		QEMU_DESC="$dir/usr/bin/qemu-system-x86_64 ($("${QEMU[0]}" --version | head -n 1))"
		return 0
	fi
	warn "no QEMU >= $QEMU_MIN_MAJOR (backports: ${ver:-not found}; libraries: $(ldd "$dir/usr/bin/qemu-system-x86_64" 2>/dev/null | grep -c 'not found') missing); using $sys, some kernels may crash while booting"
	QEMU=("$sys") QEMU_DESC="$sys ($("$sys" --version | head -n 1))"
}

is_static() {	# 0 if the ELF file has no program interpreter
	if command -v readelf >/dev/null; then
		readelf -lW "$1" 2>/dev/null | grep -q 'LOAD' || return 1
		! readelf -lW "$1" 2>/dev/null | grep -q 'INTERP'
	elif command -v file >/dev/null; then
		file -L "$1" | grep -qE 'statically linked|static-pie'
	else
		return 0
	fi
}

setup_busybox() {
	local b dir
	for b in "${ST_VM_BUSYBOX:-}" "$(command -v busybox)" /bin/busybox /usr/bin/busybox; do
		if [ -n "$b" ] && [ -x "$b" ] && is_static "$b"; then
			BUSYBOX=$b
			return 0
		fi
	done
	dir=$TOOLS_DIR/busybox-static
	if [ ! -x "$dir/bin/busybox" ]; then
		log "no static busybox on this machine; downloading busybox-static"
		rm -rf "$dir.tmp"
		mkdir -p "$dir.tmp"
		if (cd "$dir.tmp" && apt-get -q download "busybox-static/${HOST_CODENAME:-bookworm}") >"$dir.tmp/log" 2>&1; then
			deb_extract "$dir.tmp"/busybox-static_*.deb "$dir.tmp/x" ./bin/busybox ./usr/bin/busybox
			mkdir -p "$dir/bin"
			for b in "$dir.tmp/x/bin/busybox" "$dir.tmp/x/usr/bin/busybox"; do
				[ -x "$b" ] && mv "$b" "$dir/bin/busybox"
			done
		fi
		rm -rf "$dir.tmp"
	fi
	[ -x "$dir/bin/busybox" ] || die "no static busybox: apt-get install busybox-static"
	BUSYBOX=$dir/bin/busybox
}

setup_binaries() {
	if [ -n "${SOCKTRACE:-}" ] || [ -n "${ST_LIVE:-}" ]; then
		if [ -z "${SOCKTRACE:-}" ] || [ -z "${ST_LIVE:-}" ]; then
			die "set both SOCKTRACE and ST_LIVE (or neither)"
		fi
	else
		log "building static binaries: make -C $REPO static-bins"
		if ! make -C "$REPO" static-bins >"$RUN_DIR/make.log" 2>&1; then
			tail -n 40 "$RUN_DIR/make.log" >&2
			die "make static-bins failed (log above)"
		fi
		SOCKTRACE=$REPO/.output/static/socktrace
		ST_LIVE=$REPO/.output/static/st-live
	fi
	local b
	for b in "$SOCKTRACE" "$ST_LIVE"; do
		[ -x "$b" ] || die "not an executable: $b"
		is_static "$b" || die "not statically linked (it would not run in the VM): $b"
	done
	SOCKTRACE=$(readlink -f "$SOCKTRACE") ST_LIVE=$(readlink -f "$ST_LIVE")
}

# The host's time for st-live's calibration loop: the fastest of three, and
# never more than what it takes on a quiet machine of the kind this project
# runs on (REFERENCE_MAX_NS), so that other work on the host now cannot make
# the VMs' limits too short; a faster host lowers it (longer limits).
REFERENCE_MAX_NS=110000000
REFERENCE_NS=
calibrate_host() {
	local i ns best=
	for i in 1 2 3; do
		ns=$("$ST_LIVE" --calibrate | sed -n 's/^calibrate //p')
		[[ $ns =~ ^[1-9][0-9]*$ ]] || die "st-live --calibrate printed no time"
		{ [ -z "$best" ] || [ "$ns" -lt "$best" ]; } && best=$ns
	done
	REFERENCE_NS=$best
	[ "$REFERENCE_NS" -gt $REFERENCE_MAX_NS ] && REFERENCE_NS=$REFERENCE_MAX_NS
	log "calibration loop on the host: $best ns (fastest of 3); reference $REFERENCE_NS ns"
}

# CPUs idle over one second (idle + iowait ticks of /proc/stat), to the nearest
idle_cpus() {
	local a b n
	a=$(awk '/^cpu / { print $2+$3+$4+$5+$6+$7+$8+$9, $5+$6 }' /proc/stat)
	sleep 1
	b=$(awk '/^cpu / { print $2+$3+$4+$5+$6+$7+$8+$9, $5+$6 }' /proc/stat)
	n=$(nproc 2>/dev/null || echo 1)
	awk -v a="$a" -v b="$b" -v n="$n" 'BEGIN {
		split(a, x, " "); split(b, y, " "); t = y[1] - x[1]
		print (t > 0) ? int(n * (y[2] - x[2]) / t + 0.5) : n }'
}

# nft (Debian's nftables) and the shared libraries it loads, at their own
# paths under root: st-live's NAT scenario writes its DNAT rule with it.
# "host": this host's (the x86-64 VMs run this host's binaries); else a tree
# that holds them already (the arm64 rows': setup_nft_arm64).
copy_nft() {	# root host|tree
	local root=$1 from=$2 nft lib
	if [ "$from" != host ]; then
		cp -a "$from/." "$root/"
		return
	fi
	nft=$(command -v nft) || die "nft is not installed (Debian's nftables: make deps): the VMs' NAT scenario needs it"
	mkdir -p "$root/usr/sbin"
	cp "$nft" "$root/usr/sbin/nft"
	for lib in $(ldd "$nft" | grep -oE '/[^ ]+'); do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}

build_initramfs() {	# out busybox socktrace st-live nft(host|tree): the initramfs of one architecture
	local out=$1 bb=$2 st=$3 live=$4 root
	root=$out.root
	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,run,root}
	copy_nft "$root" "$5"
	cp "$bb" "$root/bin/busybox"
	ln -s busybox "$root/bin/sh"
	cp "$st" "$root/bin/socktrace"
	cp "$live" "$root/bin/st-live"
	cp "$HERE/init" "$root/init"
	chmod 755 "$root/init" "$root/bin/"*
	local cmdq=${OPT_CMD//\'/\'\\\'\'}	# single-quoted for sh
	cat >"$root/etc/st-vm.conf" <<EOF
ST_STEP_TIMEOUT=$STEP_TIMEOUT
ST_BACKENDS="${BACKENDS[*]}"
ST_EXPECT_AUTO=fentry
ST_REFERENCE_NS=$REFERENCE_NS
ST_LIVE_ARGS="$OPT_LIVE_ARGS"
ST_CMD='$cmdq'
EOF
	# the host's busybox writes the archive, whatever the VM's architecture
	(cd "$root" && find . | LC_ALL=C sort | "$BUSYBOX" cpio -o -H newc -R 0:0 2>/dev/null) \
		>"$out" || die "building the initramfs failed"
}
