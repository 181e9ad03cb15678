#!/usr/bin/env bash
# The official Python SDK (aliyun-python-sdk-core) drives profile → verification → register → wait → list against
# the fake's binary.
# Installs the SDK into a virtualenv under target/ (from PyPI) the first time; the binary listens on a free port.
#   bash test-server/python/run.sh
# Exit status 3: the Python SDK could not be installed (no python3, no PyPI); anything else non-zero: a failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
venv="${CARGO_TARGET_DIR:-target}/python-sdk-venv"
if ! "$venv/bin/python" -c "import aliyunsdkcore" 2>/dev/null; then
    if ! { python3 -m venv "$venv" && "$venv/bin/pip" install --quiet aliyun-python-sdk-core; } >"$venv.log" 2>&1; then
        echo "the official Python SDK could not be installed (see $venv.log)" >&2
        exit 3
    fi
fi
cargo build --quiet -p domain-sdk-test-server --bin domain-sdk-test-server
bin="${CARGO_TARGET_DIR:-target}/debug/domain-sdk-test-server"
out=$(mktemp)
"$bin" --port 0 --mode stateful >"$out" &
pid=$!
trap 'kill $pid 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 100); do
    grep -q '^listening on ' "$out" && break
    sleep 0.05
done
endpoint=$(sed -n 's/^listening on \(http:[^ ]*\) .*/\1/p' "$out")
[ -n "$endpoint" ] || { echo "the fake did not start:"; cat "$out"; exit 1; }
"$venv/bin/python" test-server/python/register_wait_list.py "$endpoint"
