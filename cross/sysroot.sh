#!/usr/bin/env bash
# cross/sysroot.sh ARCH: prints the directory of a sysroot holding Debian's
# ARCH static libbpf, libelf, zlib and liburing (for st-live; bookworm's libelf
# needs no libzstd) with their headers, made once from Debian's ARCH packages of this machine's release,
# fetched through a private APT setup (cross/apt-private.sh) and unpacked
# into ~/.cache/socktrace/sysroot-ARCH (nothing is installed; the machine's
# dpkg architectures and apt sources stay as they are). The C library comes
# from the cross compiler's own Debian packages (libc6-dev-ARCH-cross).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
die() { echo "sysroot.sh: $*" >&2; exit 1; }
arch=${1:?usage: cross/sysroot.sh ARCH}
case $arch in arm64) ;; *) die "unsupported architecture $arch" ;; esac
PKGS="libbpf-dev libbpf1 libelf-dev libelf1 zlib1g-dev liburing-dev liburing2"
cache=${ST_VM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/socktrace}
root=$cache/sysroot-$arch
keyring=${ST_VM_KEYRING:-/usr/share/keyrings/debian-archive-keyring.gpg}
codename=$(sed -n 's/^VERSION_CODENAME=//p' /etc/os-release 2>/dev/null | tr -d '"')
codename=${codename:-bookworm}
stamp="$codename $PKGS"
if [ -e "$root/.complete" ] && [ "$(cat "$root/.complete")" = "$stamp" ]; then
	echo "$root"
	exit 0
fi
# shellcheck source=cross/apt-private.sh
. "$here/apt-private.sh"
dir=$cache/sysroot-$arch.apt
apt_private_sources "$arch" "$keyring" "$codename" "security:$codename-security" |
	apt_private_write "$dir" "$arch" "$keyring" || true
export APT_CONFIG=$dir/apt.conf
apt-get -q update >"$dir/update.log" 2>&1 || { tail -5 "$dir/update.log" >&2; die "apt-get update failed"; }
rm -rf "$root.tmp"
mkdir -p "$root.tmp/debs"
# shellcheck disable=SC2086
(cd "$root.tmp/debs" && apt-get -q download $PKGS) >"$root.tmp/download.log" 2>&1 ||
	{ tail -5 "$root.tmp/download.log" >&2; die "apt-get download failed"; }
for p in "$root.tmp"/debs/*.deb; do
	deb_extract "$p" "$root.tmp" ./usr/include ./usr/lib
done
rm -rf "$root.tmp/debs"
ls "$root.tmp"/usr/lib/*/libbpf.a "$root.tmp"/usr/lib/*/libelf.a "$root.tmp"/usr/lib/*/libz.a "$root.tmp"/usr/lib/*/liburing.a >/dev/null || die "a static library is missing from the packages"
echo "$stamp" >"$root.tmp/.complete"
rm -rf "$root"
mv "$root.tmp" "$root"
echo "$root"
