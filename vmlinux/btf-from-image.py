#!/usr/bin/env python3
"""Copy the vmlinux BTF out of a raw kernel Image (no ELF headers to name it).

usage: btf-from-image.py IMAGE OUT

The .BTF section is in the Image as it is in vmlinux: a btf_header (magic
0xeb9f, version 1, flags 0, hdr_len 24, then type_off, type_len, str_off,
str_len, all u32 in the kernel's byte order: little endian on arm64 and x86)
followed by the type and string sections. Of every place the magic occurs,
the one whose header is consistent, whose string section starts with "\\0"
and ends in "\\0", and which is the largest, is the kernel's.
"""
import struct
import sys


def candidates(data):
    pat = b"\x9f\xeb\x01\x00\x18\x00\x00\x00"
    at = data.find(pat)
    while at >= 0:
        type_off, type_len, str_off, str_len = struct.unpack_from("<4I", data, at + 8)
        end = at + 24 + str_off + str_len
        if (type_off == 0 and str_off == type_len and str_len > 0 and type_len > 0
                and end <= len(data) and data[at + 24 + str_off] == 0 and data[end - 1] == 0):
            yield at, end - at
        at = data.find(pat, at + 1)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: btf-from-image.py IMAGE OUT")
    with open(sys.argv[1], "rb") as f:
        data = f.read()
    found = sorted(candidates(data), key=lambda c: c[1])
    if not found:
        sys.exit("btf-from-image.py: %s: no BTF found (kernel without CONFIG_DEBUG_INFO_BTF?)" % sys.argv[1])
    at, size = found[-1]
    with open(sys.argv[2], "wb") as f:
        f.write(data[at:at + size])
    print("btf at offset %d, %d bytes" % (at, size))


main()
