#!/usr/bin/env bash
# Regenerate a vendored vmlinux.h with bpftool. CO-RE relocations make the
# result usable on other kernels: only the type *names* and field names
# matter, not their offsets.
#   vmlinux/gen.sh [BTF_FILE]
#       this machine's architecture, from BTF_FILE (default: the running
#       kernel's, /sys/kernel/btf/vmlinux)
#   vmlinux/gen.sh --debian ARCH [SUITE]
#       ARCH (x86 or arm64) from Debian's newest linux-image-cloud-<arch> in
#       SUITE (default trixie-backports), fetched through a private APT setup
#       (cross/apt-private.sh) into ~/.cache/socktrace/btf; arm64's BTF is
#       copied out of the raw Image inside its vmlinuz
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
die() { echo "gen.sh: $*" >&2; exit 1; }

debian_btf() {	# debarch suite out: the BTF of that suite's cloud kernel
	local debarch=$1 suite=$2 out=$3 cache dir img rel ver tmp keyring
	keyring=${ST_VM_KEYRING:-/usr/share/keyrings/debian-archive-keyring.gpg}
	cache=${ST_VM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/socktrace}
	dir=$cache/btf/apt-$debarch
	# shellcheck source=cross/apt-private.sh
	. "$here/../cross/apt-private.sh"
	# shellcheck source=cross/kernel-image.sh
	. "$here/../cross/kernel-image.sh"
	apt_private_sources "$debarch" "$keyring" "$suite" | apt_private_write "$dir" "$debarch" "$keyring" || true
	export APT_CONFIG=$dir/apt.conf
	apt-get -q update >"$dir/update.log" 2>&1 || { tail -5 "$dir/update.log" >&2; die "apt-get update failed"; }
	ver=$(apt-cache madison "linux-image-cloud-$debarch" | awk -F'|' '{ gsub(/ /, "", $2); print $2; exit }')
	[ -n "$ver" ] || die "no linux-image-cloud-$debarch in $suite"
	img=$(apt-cache show "linux-image-cloud-$debarch=$ver" | sed -n 's/^Depends: //p' | head -n 1 |
		tr ',|' '\n' | awk '{ print $1 }' | grep -E '^linux-image-[0-9]' | head -n 1)
	rel=${img#linux-image-}
	tmp=$(mktemp -d)
	# from 7.x the vmlinuz is in linux-binary-<rel>
	(cd "$tmp" && { apt-get -q download "linux-binary-$rel=$ver" 2>/dev/null ||
		apt-get -q download "$img=$ver"; }) >"$tmp/log" 2>&1 || { cat "$tmp/log" >&2; die "download of $img failed"; }
	for p in "$tmp"/*.deb; do
		deb_extract "$p" "$tmp/x" "./boot/vmlinuz-$rel" "./usr/lib/modules/$rel/vmlinuz"
	done
	local z
	for z in "$tmp/x/boot/vmlinuz-$rel" "$tmp/x/usr/lib/modules/$rel/vmlinuz"; do [ -s "$z" ] && break; done
	[ -s "$z" ] || die "no vmlinuz in the $img packages"
	case $debarch in
	arm64) kernel_image "$z" "$tmp/Image" && python3 "$here/btf-from-image.py" "$tmp/Image" "$out" >&2 ||
		die "no BTF in $rel's Image" ;;
	*) die "--debian $debarch: only arm64 is read from a Debian kernel (x86: run on the machine, or pass a BTF file)" ;;
	esac
	rm -rf "$tmp"
	SOURCE="Debian $suite $rel ($ver)"
}

if [ "${1:-}" = --debian ]; then
	arch=${2:?--debian needs an architecture (arm64)}
	case $arch in arm64) debarch=arm64 ;; *) die "--debian: unsupported architecture $arch" ;; esac
	mkdir -p "$here/$arch"
	btf=$here/$arch/.btf.tmp
	debian_btf "$debarch" "${3:-trixie-backports}" "$btf"
else
	btf=${1:-/sys/kernel/btf/vmlinux}
	case $(uname -m) in
	x86_64) arch=x86 ;;
	aarch64) arch=arm64 ;;
	*) die "unsupported architecture $(uname -m)" ;;
	esac
	[ -r "$btf" ] || die "no BTF at $btf (kernel needs CONFIG_DEBUG_INFO_BTF=y)"
	SOURCE="$btf ($(uname -r))"
fi
dir=$here/$arch
mkdir -p "$dir"
bpftool btf dump file "$btf" format c >"$dir/vmlinux.h.tmp"
[ "${1:-}" = --debian ] && rm -f "$btf"
mv "$dir/vmlinux.h.tmp" "$dir/vmlinux.h"
echo "wrote $dir/vmlinux.h from $SOURCE"
