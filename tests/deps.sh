#!/bin/sh
# Install the Debian/Ubuntu packages socktrace needs to build, test and
# benchmark, if any is missing. A no-op when everything is there.
set -eu
pkgs="clang llvm libbpf-dev libelf-dev zlib1g-dev make gcc pkg-config libc6-dev
      iproute2 qemu-system-x86 busybox-static bpftrace tmux util-linux valgrind
      libclang-rt-dev python3 prometheus curl liburing-dev
      mandoc groff-base debhelper dpkg-dev fakeroot lintian systemd
      gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-system-arm
      nginx-light wrk iperf3 nftables"
# bpftool has its own package on Debian; Ubuntu ships it in linux-tools
tool_pkg=bpftool

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"; }

missing=""
for p in $pkgs; do
	installed "$p" || missing="$missing $p"
done
command -v bpftool >/dev/null 2>&1 || missing="$missing $tool_pkg"
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages:$missing; run as root (sudo make deps)" >&2
	exit 1
fi
echo "deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
if ! apt-cache show bpftool >/dev/null 2>&1; then
	missing=$(echo "$missing" | sed "s/ bpftool/ linux-tools-common linux-tools-$(uname -r)/")
fi
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >/dev/null
echo "deps: done"
