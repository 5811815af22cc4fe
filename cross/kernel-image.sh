# cross/kernel-image.sh: the raw arm64 Image inside a Debian vmlinuz
# shellcheck shell=bash
# Sourced by tests/vm/lib/kernels.sh and vmlinux/gen.sh; sources nothing.
# Debian's arm64 vmlinuz is a gzip-compressed Image, or (CONFIG_EFI_ZBOOT) a
# PE file with the compressed Image as its payload: "zimg" at byte 4, the
# payload's offset and size as little-endian 32-bit words at bytes 8 and 12,
# its compression's name at byte 24. QEMU boots the raw Image with -kernel
# whatever its version, and the raw Image holds the kernel's .BTF.
kernel_image() {	# VMLINUZ OUT: writes the raw Image to OUT
	local in=$1 out=$2 magic off size comp
	magic=$(od -An -tx1 -N2 "$in" | tr -d ' ')
	if [ "$magic" = 1f8b ]; then
		gzip -dc "$in" >"$out.tmp" || return 1
	elif [ "$(dd if="$in" bs=1 skip=4 count=4 2>/dev/null)" = zimg ]; then
		off=$(od -An -tu4 -j8 -N4 "$in" | tr -d ' ')
		size=$(od -An -tu4 -j12 -N4 "$in" | tr -d ' ')
		comp=$(dd if="$in" bs=1 skip=24 count=8 2>/dev/null | tr -d '\0')
		case $comp in
		gzip) tail -c +$((off + 1)) "$in" | head -c "$size" | gzip -dc >"$out.tmp" ;;
		zstd*) tail -c +$((off + 1)) "$in" | head -c "$size" | zstd -dcq >"$out.tmp" ;;
		*) echo "kernel_image: $in: EFI zboot with $comp compression: not handled" >&2; return 1 ;;
		esac || return 1
	else
		cp "$in" "$out.tmp" || return 1	# already raw
	fi
	# an arm64 Image has "ARM\x64" at byte 56
	[ "$(dd if="$out.tmp" bs=1 skip=56 count=3 2>/dev/null)" = ARM ] ||
		{ echo "kernel_image: $in: no arm64 Image inside" >&2; rm -f "$out.tmp"; return 1; }
	mv -f "$out.tmp" "$out"
}
