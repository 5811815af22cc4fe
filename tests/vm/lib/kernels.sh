# tests/vm/lib/kernels.sh: the private APT setup, and each row's kernel resolved and fetched
# shellcheck shell=bash
# Sourced by tests/vm/run, which sets the globals it reads; sources
# cross/apt-private.sh and cross/kernel-image.sh.
# Each architecture's rows have a private APT setup of their own
# (cross/apt-private.sh): $APT_DIR for amd64, $APT_DIR-<arch> for the others.
# shellcheck source=cross/apt-private.sh
. "$REPO/cross/apt-private.sh"
# shellcheck source=cross/kernel-image.sh
. "$REPO/cross/kernel-image.sh"

row_arch() { case $1 in arm64-*) echo arm64 ;; *) echo amd64 ;; esac; }	# id: Debian arch
apt_dir_of() { if [ "$1" = amd64 ]; then echo "$APT_DIR"; else echo "$APT_DIR-$1"; fi; }

declare -A APT_REFRESHED
HOST_CODENAME=$(sed -n 's/^VERSION_CODENAME=//p' /etc/os-release 2>/dev/null | tr -d '"')

apt_setup() {	# arch: the private setup of this architecture's rows, in APT_CONFIG
	local arch=$1 dir r sw suites=() changed=0
	dir=$(apt_dir_of "$arch")
	for r in "${ROWS[@]}"; do
		[ "$(row_arch "${r%%|*}")" = "$arch" ] || continue
		read -r -a sw <<<"${r#*|}"
		suites+=("${sw[@]}")
	done
	[ -n "$HOST_CODENAME" ] && suites+=("$HOST_CODENAME" "$HOST_CODENAME-backports")
	apt_private_sources "$arch" "$KEYRING" "${suites[@]}" | apt_private_write "$dir" "$arch" "$KEYRING" && changed=1
	export APT_CONFIG=$dir/apt.conf
	local stamp=$dir/lists/.updated age=$APT_MAX_AGE deb sec
	[ -e "$stamp" ] && age=$(($(date +%s) - $(stat -c %Y "$stamp")))
	if [ $OPT_REFRESH = 1 ] || [ $changed = 1 ] || [ "$age" -ge "$APT_MAX_AGE" ]; then
		APT_REFRESHED[$arch]=1
		read -r deb sec < <(apt_private_mirrors)
		log "updating package lists ($arch: $deb, $sec)"
		if apt-get -q update >"$RUN_DIR/apt-update-$arch.log" 2>&1 &&
			! grep -q '^[WE]:' "$RUN_DIR/apt-update-$arch.log"; then
			touch "$stamp"
		else
			warn "apt-get update reported problems (rows whose suite is missing will fail):"
			grep '^[WE]:' "$RUN_DIR/apt-update-$arch.log" | head -n 20 >&2
		fi
	else
		log "package lists ($arch) are $((age / 60)) min old (--refresh to update)"
	fi
}

# newest version of PKG in any of SUITES: prints "version suite"
newest_in() {
	local pkg=$1 best="" bsuite="" ver src suite s
	shift
	while IFS='|' read -r _ ver src; do
		ver=${ver// /}
		suite=$(awk '{print $2}' <<<"$src")
		suite=${suite%%/*}
		for s in "$@"; do
			[ "$suite" = "${s#security:}" ] || continue
			if [ -z "$best" ] || dpkg --compare-versions "$ver" gt "$best"; then
				best=$ver bsuite=$suite
			fi
		done
	done < <(apt-cache madison "$pkg" 2>/dev/null)
	[ -n "$best" ] && echo "$best $bsuite"
}

depends_of() {	# PKG=VERSION: prints its Depends package names, one a line
	apt-cache show "$1" 2>/dev/null | awk '/^Depends:/ { sub(/^Depends:/, ""); print; exit }' |
		tr ',|' '\n' | awk '{ print $1 }' | sed '/^$/d'
}

# Row resolution results, by row id
declare -A R_REL R_VER R_SUITE R_PKGS R_ERR R_VMLINUZ
resolve_row() {
	local id=$1 suites=$2 nv ver suite img rel d pkgs meta
	meta=linux-image-cloud-$(row_arch "$id")
	# shellcheck disable=SC2086
	nv=$(newest_in "$meta" $suites) || {
		R_ERR[$id]="$meta not found in: $suites"
		return 1
	}
	read -r ver suite <<<"$nv"
	img=$(depends_of "$meta=$ver" | grep -E '^linux-image-[0-9]' | head -n 1)
	if [ -z "$img" ]; then
		R_ERR[$id]="$meta $ver ($suite): no linux-image-<abi> in its Depends"
		return 1
	fi
	rel=${img#linux-image-}
	pkgs="$img=$ver"
	# from 7.x linux-image-<rel> is empty: vmlinuz is in linux-binary-<rel>,
	# the config in linux-base-<rel>, the modules in linux-modules-<rel>.
	if depends_of "$img=$ver" | grep -qx "linux-binary-$rel"; then
		pkgs="linux-binary-$rel=$ver"
		depends_of "$img=$ver" | grep -qx "linux-base-$rel" && pkgs+=" linux-base-$rel=$ver"
		depends_of "$img=$ver" | grep -qx "linux-modules-$rel" && pkgs+=" linux-modules-$rel=$ver"
	fi
	R_REL[$id]=$rel R_VER[$id]=$ver R_SUITE[$id]=$suite R_PKGS[$id]=$pkgs
	for d in "${!R_REL[@]}"; do
		if [ "$d" != "$id" ] && [ "${R_REL[$d]}" = "$rel" ] && [ "${R_VER[$d]}" = "$ver" ]; then
			R_ERR[$id]="dup:$d"
		fi
	done
	return 0
}

# what QEMU boots: the vmlinuz (x86), the raw Image inside it (arm64)
boot_image() { if [ "$(row_arch "$1")" = arm64 ]; then echo "$2/Image"; else echo "$2/vmlinuz"; fi; }

# makes $KERNEL_DIR/<rel>/vmlinuz (+config; arm64: +Image; modules/: the
# modules the VM loads, lib/modules.sh). A kernel fetched before the modules
# were kept, or with another list of them (modules/wanted), is fetched again.
fetch_kernel() {	# id
	local id=$1 rel=${R_REL[$1]} dir tmp p f why
	dir=$KERNEL_DIR/$rel
	if [ -s "$dir/vmlinuz" ] && [ -e "$dir/.complete" ] &&
		[ "$(cat "$dir/version" 2>/dev/null)" = "${R_VER[$id]}" ] &&
		[ -e "$dir/modules/load" ] && [ "$(cat "$dir/modules/wanted" 2>/dev/null)" = "$VM_MODULES" ]; then
		R_VMLINUZ[$id]=$(boot_image "$id" "$dir")
		touch "$dir"	# used: not pruned
		return 0
	fi
	log "downloading $rel (${R_VER[$id]}, ${R_SUITE[$id]}): ${R_PKGS[$id]}"
	tmp=$KERNEL_DIR/.tmp-$rel
	rm -rf "$tmp" "$dir"
	mkdir -p "$tmp/x"
	# shellcheck disable=SC2086
	if ! (cd "$tmp" && apt-get -q download ${R_PKGS[$id]}) >"$tmp/download.log" 2>&1; then
		R_ERR[$id]="download failed: $(grep -E '^(E|W):' "$tmp/download.log" | head -n 1)"
		sed 's/^/    /' "$tmp/download.log" | tail -n 5 >&2
		rm -rf "$tmp"
		return 1
	fi
	for p in "$tmp"/*.deb; do
		deb_extract "$p" "$tmp/x" './boot/vmlinuz-*' './boot/config-*' \
			"./usr/lib/modules/$rel/*" "./lib/modules/$rel/*"
	done
	mkdir -p "$dir"
	if ! why=$(keep_modules "$tmp/x" "$rel" "$dir/modules" 2>&1); then
		R_ERR[$id]="modules: $why"
		rm -rf "$tmp" "$dir"
		return 1
	fi
	echo "$VM_MODULES" >"$dir/modules/wanted"
	for f in "$tmp/x/boot/vmlinuz-$rel" "$tmp/x/usr/lib/modules/$rel/vmlinuz"; do
		[ -s "$f" ] && mv "$f" "$dir/vmlinuz"
	done
	for f in "$tmp/x/boot/config-$rel" "$tmp/x/usr/lib/modules/$rel/config"; do
		[ -s "$f" ] && mv "$f" "$dir/config"
	done
	rm -rf "$tmp"
	if [ ! -s "$dir/vmlinuz" ]; then
		R_ERR[$id]="no vmlinuz for $rel in ${R_PKGS[$id]}"
		rm -rf "$dir"
		return 1
	fi
	if [ "$(row_arch "$id")" = arm64 ] && ! kernel_image "$dir/vmlinuz" "$dir/Image"; then
		R_ERR[$id]="no arm64 Image in $rel's vmlinuz"
		rm -rf "$dir"
		return 1
	fi
	echo "${R_VER[$id]}" >"$dir/version"
	printf '%s\n' "suite=${R_SUITE[$id]}" "packages=${R_PKGS[$id]}" >"$dir/source"
	touch "$dir/.complete"
	R_VMLINUZ[$id]=$(boot_image "$id" "$dir")
}

# A row whose kernel is of the same release line (major.minor) and
# architecture as a newer one booted in the same run repeats it: its VM runs
# each backend on the short scenario set of the auto step (tests/vm/init,
# st.quick), and its label says so. Prints the row it repeats, or nothing.
row_repeats() {	# id
	local id=$1 d v w line
	v=${R_REL[$id]%%[-+]*}
	line=$(echo "$v" | cut -d. -f1,2)
	for d in "${VMS[@]}"; do
		[ "$d" != "$id" ] && [ "$(row_arch "$d")" = "$(row_arch "$id")" ] || continue
		w=${R_REL[$d]%%[-+]*}
		[ "$(echo "$w" | cut -d. -f1,2)" = "$line" ] || continue
		[ "$w" != "$v" ] && [ "$(printf '%s\n' "$v" "$w" | sort -V | tail -n 1)" = "$w" ] &&
			{ echo "$d"; return 0; }
	done
	return 0
}
