# tests/vm/lib/modules.sh: the kernel modules a row's VM loads, kept from its kernel's packages
# shellcheck shell=bash
# Sourced by tests/vm/run, which sets the globals it reads; sources nothing.
# The Debian cloud kernels have veth and netfilter as modules (=m), and the
# initramfs holds none: fetch_kernel keeps from the kernel's packages the
# modules below and every module they depend on, decompressed (busybox
# insmod reads a plain .ko), in $KERNEL_DIR/<rel>/modules/, with "load", their
# names in an order that loads each after what it depends on. /init loads
# them (tests/vm/init). The dependencies are each module's own "depends="
# and "softdep=pre:" fields (its .modinfo section, NUL-separated strings):
# the packages hold no modules.dep, depmod writes it when they are installed.
# A module built in on a kernel (listed in its modules.builtin) is not kept.
VM_MODULES="veth nf_tables nft_chain_nat nft_nat nf_nat nf_conntrack nft_ct"

# the module name of a file: its base name without .ko[.xz|.zst|.gz], - as _
module_name() { local b=${1##*/}; b=${b%%.ko*}; echo "${b//-/_}"; }

module_plain() {	# FILE OUT: the .ko, decompressed
	case $1 in
	*.ko.xz) xz -dc "$1" >"$2" ;;
	*.ko.zst) zstd -dcq "$1" >"$2" ;;
	*.ko.gz) gzip -dc "$1" >"$2" ;;
	*) cp "$1" "$2" ;;
	esac
}

# what a plain .ko names in its .modinfo: FIELD depends (comma-separated) or
# softdep ("pre: a b post: c": the pre ones); one name a line, - as _
module_field() {	# KO FIELD
	case $2 in
	depends) tr '\0' '\n' <"$1" | sed -n 's/^depends=//p' | tr ',' '\n' ;;
	softdep) tr '\0' '\n' <"$1" | sed -n 's/^softdep=.*pre:\(.*\)/\1/p' | sed 's/post:.*//' | tr ' ' '\n' ;;
	esac | sed -e '/^$/d' -e 's/-/_/g'
}

# keep_modules TREE REL OUT: from TREE (the packages unpacked) the modules of
# VM_MODULES and what they need into OUT; 0, or 1 with why on stderr
keep_modules() {
	local tree=$1 rel=$2 out=$3 mdir f n
	local -A file=() builtin=() done_=()
	for mdir in "$tree/lib/modules/$rel" "$tree/usr/lib/modules/$rel"; do
		[ -d "$mdir" ] || continue
		while IFS= read -r f; do file[$(module_name "$f")]=$f; done \
			< <(find "$mdir" -name '*.ko' -o -name '*.ko.xz' -o -name '*.ko.zst' -o -name '*.ko.gz')
		if [ -r "$mdir/modules.builtin" ]; then
			while IFS= read -r f; do builtin[$(module_name "$f")]=1; done <"$mdir/modules.builtin"
		fi
	done
	if [ ${#file[@]} -eq 0 ]; then
		echo "no modules of $rel in its packages" >&2
		return 1
	fi
	mkdir -p "$out"
	: >"$out/load"
	: >"$out/builtin"
	# depth first: a module's needs are written to "load" before it
	want() {	# name soft: soft (a softdep) may be missing
		local m=$1 soft=$2 d
		[ -n "${done_[$m]:-}" ] && return 0
		done_[$m]=1
		if [ -z "${file[$m]:-}" ]; then
			if [ -n "${builtin[$m]:-}" ]; then echo "$m" >>"$out/builtin"; return 0; fi
			[ "$soft" = soft ] && return 0
			echo "module $m: neither in $rel's packages nor in its modules.builtin" >&2
			return 1
		fi
		module_plain "${file[$m]}" "$out/$m.ko" || { echo "module $m: cannot decompress ${file[$m]##*/}" >&2; return 1; }
		for d in $(module_field "$out/$m.ko" depends); do
			want "$d" hard || return 1
		done
		for d in $(module_field "$out/$m.ko" softdep); do
			want "$d" soft || return 1
		done
		echo "$m" >>"$out/load"
	}
	for n in $VM_MODULES; do
		want "$n" hard || return 1
	done
}

# modules_cpio DIR OUT REL: a newc archive of DIR's modules as /lib/modules/REL/,
# to follow the shared initramfs (the kernel unpacks concatenated archives)
modules_cpio() {
	local dir=$1 out=$2 rel=$3 root=$2.root
	rm -rf "$root"
	mkdir -p "$root/lib/modules/$rel"
	cp "$dir"/*.ko "$dir/load" "$root/lib/modules/$rel/" || return 1
	(cd "$root" && find . | LC_ALL=C sort | "$BUSYBOX" cpio -o -H newc -R 0:0 2>/dev/null) >"$out"
}

# row_initrd ID BASE: $RUN_DIR/initrd-ID.cpio, the architecture's initramfs
# BASE followed by the row's kernel's modules
row_initrd() {
	local id=$1 base=$2 rel=${R_REL[$1]} out=$RUN_DIR/initrd-$1.cpio
	modules_cpio "$KERNEL_DIR/$rel/modules" "$out.mod" "$rel" ||
		die "$id: no modules for $rel in $KERNEL_DIR/$rel/modules"
	cat "$base" "$out.mod" >"$out" || die "$id: writing $out failed"
	rm -rf "$out.mod" "$out.mod.root"
}
