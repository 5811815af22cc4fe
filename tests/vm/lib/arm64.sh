# tests/vm/lib/arm64.sh: what the arm64 rows need besides the x86 ones
# shellcheck shell=bash
# Sourced by tests/vm/run, which sets the globals it reads; sources nothing
# (kernels.sh has sourced cross/kernel-image.sh and cross/apt-private.sh).
# The arm64 rows boot Debian's arm64 cloud kernels with qemu-system-aarch64
# under TCG (-machine virt -cpu max), from the raw Image (direct kernel boot:
# no firmware, no disk; the cloud kernel has the PL011 console and all the
# rest these VMs use built in, so no module is loaded), with an initramfs of
# Debian's arm64 busybox-static and the cross-built static socktrace and
# st-live (make ARCH=arm64 static-bins).
# -cpu max without pointer authentication: TCG computes its QARMA5 so
# slowly that st-live's calibration loop takes 4.1-4.5 s with it, 0.9-1.1 s
# with pauth-impdef=on and 0.54 s without (x86-64 TCG: about 0.5 s). Nothing
# socktrace does depends on it (the kernel runs without PAC then).
ARM64_CPU=${ST_VM_ARM64_CPU:-max,pauth=off}
QEMU_ARM64=() QEMU_ARM64_DESC="" BUSYBOX_ARM64="" SOCKTRACE_ARM64_BIN="" ST_LIVE_ARM64_BIN=""

setup_arm64() {
	local sys dir b
	if [ -n "${ST_VM_QEMU_ARM64:-}" ]; then
		QEMU_ARM64=("$ST_VM_QEMU_ARM64")
	else
		sys=$(command -v qemu-system-aarch64) ||
			{ [ "$OPT_INSTALL" = 1 ] && [ "$(id -u)" = 0 ] &&
				(unset APT_CONFIG; DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
					--no-install-recommends qemu-system-arm >"$RUN_DIR/install-arm.log" 2>&1) &&
				sys=$(command -v qemu-system-aarch64); } ||
			die "qemu-system-aarch64 not found: apt-get install qemu-system-arm (or --install-deps)"
		QEMU_ARM64=("$sys")
	fi
	QEMU_ARM64_DESC="${QEMU_ARM64[0]} ($("${QEMU_ARM64[0]}" --version | head -n 1))"

	# busybox-static of arm64, from the host's release
	dir=$TOOLS_DIR/busybox-static-arm64
	if [ -n "${ST_VM_BUSYBOX_ARM64:-}" ]; then
		BUSYBOX_ARM64=$ST_VM_BUSYBOX_ARM64
	else
		if [ ! -s "$dir/bin/busybox" ]; then
			log "downloading busybox-static (arm64)"
			rm -rf "$dir.tmp"
			mkdir -p "$dir.tmp"
			if (APT_CONFIG=$(apt_dir_of arm64)/apt.conf && export APT_CONFIG &&
				cd "$dir.tmp" && apt-get -q download "busybox-static/${HOST_CODENAME:-bookworm}") >"$dir.tmp/log" 2>&1; then
				deb_extract "$dir.tmp"/busybox-static_*.deb "$dir.tmp/x" ./bin/busybox ./usr/bin/busybox
				mkdir -p "$dir/bin"
				for b in "$dir.tmp/x/bin/busybox" "$dir.tmp/x/usr/bin/busybox"; do
					[ -s "$b" ] && mv "$b" "$dir/bin/busybox"
				done
			else
				sed 's/^/    /' "$dir.tmp/log" | tail -n 5 >&2
			fi
			rm -rf "$dir.tmp"
		fi
		BUSYBOX_ARM64=$dir/bin/busybox
	fi
	[ -s "$BUSYBOX_ARM64" ] || die "no arm64 static busybox (busybox-static:arm64 download failed)"

	setup_nft_arm64

	if [ -n "${SOCKTRACE_ARM64:-}" ] || [ -n "${ST_LIVE_ARM64:-}" ]; then
		if [ -z "${SOCKTRACE_ARM64:-}" ] || [ -z "${ST_LIVE_ARM64:-}" ]; then
			die "set both SOCKTRACE_ARM64 and ST_LIVE_ARM64 (or neither)"
		fi
		SOCKTRACE_ARM64_BIN=$SOCKTRACE_ARM64 ST_LIVE_ARM64_BIN=$ST_LIVE_ARM64
	else
		log "building static arm64 binaries: make -C $REPO ARCH=arm64 static-bins"
		if ! make -C "$REPO" ARCH=arm64 static-bins >"$RUN_DIR/make-arm64.log" 2>&1; then
			tail -n 40 "$RUN_DIR/make-arm64.log" >&2
			die "make ARCH=arm64 static-bins failed (log above)"
		fi
		SOCKTRACE_ARM64_BIN=$REPO/.output/static-arm64/socktrace
		ST_LIVE_ARM64_BIN=$REPO/.output/static-arm64/st-live
	fi
	for b in "$SOCKTRACE_ARM64_BIN" "$ST_LIVE_ARM64_BIN" "$BUSYBOX_ARM64"; do
		[ -s "$b" ] || die "missing: $b"
		is_static "$b" || die "not statically linked (it would not run in the VM): $b"
		readelf -h "$b" 2>/dev/null | grep -q 'AArch64' || die "not an arm64 binary: $b"
	done
}

# nft of arm64 and the shared libraries it loads, from the host's release,
# as a tree under NFT_ARM64_ROOT (usr/sbin/nft, the libraries at their own
# paths): st-live's NAT scenario writes its DNAT rule with it.
NFT_ARM64_PKGS="nftables libnftables1 libmnl0 libnftnl11 libxtables12 libjansson4 libgmp10 libedit2 libtinfo6 libbsd0 libmd0 libc6"
setup_nft_arm64() {
	local dir=$TOOLS_DIR/nft-arm64 p pkgs=""
	NFT_ARM64_ROOT=$dir/root
	[ -x "$NFT_ARM64_ROOT/usr/sbin/nft" ] && return 0
	log "downloading nftables and its libraries (arm64)"
	rm -rf "$dir" "$dir.tmp"
	mkdir -p "$dir.tmp"
	for p in $NFT_ARM64_PKGS; do pkgs+=" $p/${HOST_CODENAME:-bookworm}"; done
	# shellcheck disable=SC2086  # a word list
	if ! (APT_CONFIG=$(apt_dir_of arm64)/apt.conf && export APT_CONFIG &&
		cd "$dir.tmp" && apt-get -q download $pkgs) >"$dir.tmp/log" 2>&1; then
		sed 's/^/    /' "$dir.tmp/log" | tail -n 5 >&2
		die "nftables (arm64) download failed: the arm64 rows' NAT scenario needs nft"
	fi
	for p in "$dir.tmp"/*.deb; do
		deb_extract "$p" "$dir.tmp/x" ./usr/sbin/nft './lib/*.so*' './usr/lib/*.so*'
	done
	rm -rf "$dir.tmp/x/usr/lib/aarch64-linux-gnu/gconv"	# libc6's charsets: nft needs none
	mkdir -p "$dir"
	mv "$dir.tmp/x" "$NFT_ARM64_ROOT"
	rm -rf "$dir.tmp"
	[ -x "$NFT_ARM64_ROOT/usr/sbin/nft" ] || die "no usr/sbin/nft in nftables (arm64)"
}

# What an arm64 kernel cannot run, for tests/vm/init (st.* on its command
# line): fentry/fexit need BPF trampolines, which on arm64 need ftrace's
# direct calls (DYNAMIC_FTRACE_WITH_DIRECT_CALLS), there from 6.4 on; before,
# attaching fails with ENOTSUPP and auto picks kprobe.
row_cmdline() {	# id: the row's st.* words (none for x86: every backend runs)
	local v
	[ "$(row_arch "$1")" = arm64 ] || return 0
	v=${R_REL[$1]%%[-+]*}
	if [ "$(printf '%s\n' "$v" 6.4 | sort -V | head -n 1)" != 6.4 ]; then
		echo " st.unavailable=fentry st.expect_auto=kprobe"
	fi
}
