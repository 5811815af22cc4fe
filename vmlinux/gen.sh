#!/bin/sh
# Regenerate the vendored vmlinux.h for this machine's architecture from the
# running kernel's BTF. CO-RE relocations make the result usable on other
# kernels: only the type *names* and field names matter, not their offsets.
#   usage: vmlinux/gen.sh [BTF_FILE]   (default /sys/kernel/btf/vmlinux)
set -eu
btf=${1:-/sys/kernel/btf/vmlinux}
case $(uname -m) in
x86_64) arch=x86 ;;
aarch64) arch=arm64 ;;
*) echo "gen.sh: unsupported architecture $(uname -m)" >&2; exit 1 ;;
esac
[ -r "$btf" ] || { echo "gen.sh: no BTF at $btf (kernel needs CONFIG_DEBUG_INFO_BTF=y)" >&2; exit 1; }
dir=$(dirname "$0")/$arch
mkdir -p "$dir"
bpftool btf dump file "$btf" format c > "$dir/vmlinux.h.tmp"
mv "$dir/vmlinux.h.tmp" "$dir/vmlinux.h"
echo "wrote $dir/vmlinux.h from $btf ($(uname -r))"
