#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# bench/lib/probe.py: a strict reader of `socktrace --probe --json` (ONE JSON
# object on stdin). Checks its shape and prints it as lines for bash:
#   kernel K / arch A / btf B / chosen NAME
#   option NAME            (one line per option)
#   event NAME             (one line per event kind)
#   backend NAME yes|no WHY
# Exit 1, with the reason on stderr, when the input is not that object.
import json
import re
import sys

NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def fail(why):
    print(why, file=sys.stderr)
    sys.exit(1)


def text(v, where):
    if not isinstance(v, str):
        fail(f"{where} is not a string")
    return " ".join(v.split())  # one line, no tabs


def name(v, where):
    if not isinstance(v, str) or not NAME.match(v):
        fail(f"{where} is not a name: {v!r}")
    return v


def names(obj, key):
    v = obj.get(key)
    if not isinstance(v, list):
        fail(f'"{key}" is not a list')
    return [name(x, f'"{key}"[{i}]') for i, x in enumerate(v)]


def main():
    try:
        obj = json.loads(sys.stdin.read())
    except ValueError as e:
        fail(f"not one JSON object: {e}")
    if not isinstance(obj, dict):
        fail("not a JSON object")
    for key in ("kernel", "arch", "btf", "backends", "chosen", "options", "events"):
        if key not in obj:
            fail(f'no "{key}"')
    out = [f"kernel {text(obj['kernel'], 'kernel')}",
           f"arch {text(obj['arch'], 'arch')}",
           f"btf {text(obj['btf'], 'btf')}",
           f"chosen {name(obj['chosen'], 'chosen')}"]
    out += [f"option {o}" for o in names(obj, "options")]
    out += [f"event {e}" for e in names(obj, "events")]
    if not isinstance(obj["backends"], list):
        fail('"backends" is not a list')
    for i, b in enumerate(obj["backends"]):
        where = f'"backends"[{i}]'
        if not isinstance(b, dict) or not {"name", "available", "why"} <= b.keys():
            fail(f"{where} is not an object with name, available and why")
        if not isinstance(b["available"], bool):
            fail(f"{where}.available is not true or false")
        why = text(b["why"], f"{where}.why")
        out.append(f"backend {name(b['name'], where + '.name')} "
                   f"{'yes' if b['available'] else 'no'} {why}".rstrip())
    print("\n".join(out))


main()
