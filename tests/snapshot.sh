#!/bin/bash
# socktrace --snapshot against ss -tuan, in a private network namespace
# (tests/snapshot_vs_ss.py). Usage: tests/snapshot.sh ./socktrace
set -u
st=$(realpath "$1")
exec unshare -n python3 "$(dirname "$0")/snapshot_vs_ss.py" "$st"
