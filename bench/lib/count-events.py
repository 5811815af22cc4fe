#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#
# bench/lib/count-events.py FILE PID EVENT...: how many of the JSON event
# lines in FILE (socktrace -j, one object a line) are one of the EVENT kinds
# with that "pid". Prints the count. Read once after a run, never during it;
# only the lines that name one of the kinds are parsed (the others cannot
# count: twice as fast on a storm's output), and those that are not JSON
# objects are left out and said on stderr.
import json
import sys


def main():
    path, pid, kinds = sys.argv[1], int(sys.argv[2]), set(sys.argv[3:])
    needles = [f'"{k}"'.encode() for k in kinds]
    n = bad = 0
    try:
        f = open(path, "rb")
    except OSError as e:
        sys.exit(f"bench/run: {e}")
    with f:
        for line in f:
            if not any(s in line for s in needles):
                continue
            try:
                ev = json.loads(line)
            except ValueError:
                bad += 1
                continue
            if not isinstance(ev, dict):
                bad += 1
            elif ev.get("event") in kinds and ev.get("pid") == pid:
                n += 1
    if bad:
        print(f"bench/run: {path}: {bad} line(s) not a JSON object, not counted",
              file=sys.stderr)
    print(n)


main()
