#!/usr/bin/env bash
# The benchmark suite, one command: `bash bench/run.sh` (from anywhere).
#
#   CALLS=20000       calls per client in the call loop
#   ROUNDS=3          interleaved rounds per client (the median is reported)
#   SKIP_CALLGRIND=1  skip the instruction counts (valgrind)
#   SKIP_OFFICIAL=1   do not install/run the official Python and Node SDKs
#   SKIP_CRITERION=1  skip the criterion micro-benchmarks
#   BUILD_COST=1      also measure build cost: a minimal app's clean build and binary size, and the compile time of
#                     domain-sdk with 10 actions against all of them (slow: several clean builds)
#
# Absolute figures drift on shared machines: compare the ratios of one run.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CALLS=${CALLS:-20000}
OUT=$ROOT/target/bench
mkdir -p "$OUT"

echo "== building (release)"
cargo build --release --quiet -p domain-sdk-bench
BIN=$ROOT/target/release/callbench

"$BIN" serve > "$OUT/port" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 50); do [ -s "$OUT/port" ] && break; sleep 0.1; done
ENDPOINT="http://127.0.0.1:$(cat "$OUT/port")"
echo "== static QueryDomainList server (20 domains) at $ENDPOINT; $CALLS sequential calls per client"

declare -A RESULT
run() { # name, command...: prints "calls/s cpu_us" or fails
  local name=$1; shift
  if out=$("$@" 2>"$OUT/$name.err"); then echo "$out"; else echo "  $name failed: $(tail -1 "$OUT/$name.err")" >&2; return 1; fi
}
# Each client runs ROUNDS times, interleaved with the others so that drift hits all alike; the median round counts.
ROUNDS=${ROUNDS:-3}
RUST_CLIENTS="${RUST_CLIENTS:-domain-sdk domain-sdk-interceptor domain-sdk-blocking floor floor-typed}"
declare -A ROUNDS_OF
for _ in $(seq "$ROUNDS"); do
  for c in $RUST_CLIENTS; do
    if r=$(run "$c" "$BIN" client "$c" "$ENDPOINT" "$CALLS"); then ROUNDS_OF[$c]+="$r"$'\n'; fi
  done
done
median() { sort -k2 -g | awk '{ rows[NR] = $0 } END { if (NR) print rows[int((NR + 1) / 2)] }'; }
for c in $RUST_CLIENTS; do
  if [ -n "${ROUNDS_OF[$c]:-}" ]; then RESULT[$c]=$(printf '%s' "${ROUNDS_OF[$c]}" | median); else RESULT[$c]=skipped; fi
done

if [ -z "${SKIP_OFFICIAL:-}" ]; then
  if [ ! -x "$OUT/py/bin/python" ] || ! "$OUT/py/bin/python" -c "import aliyunsdkcore" 2>/dev/null; then
    (python3 -m venv "$OUT/py" && "$OUT/py/bin/pip" install --quiet aliyun-python-sdk-core) >"$OUT/py-install.log" 2>&1 || true
  fi
  if "$OUT/py/bin/python" -c "import aliyunsdkcore" 2>/dev/null; then
    RESULT[python-aliyun-core]=$(run python-aliyun-core "$OUT/py/bin/python" bench/clients/aliyun_core.py "$ENDPOINT" "$((CALLS / 4))" || echo skipped)
  else
    echo "  skipped: python aliyun-python-sdk-core could not be installed (see $OUT/py-install.log)"
  fi
  if command -v node >/dev/null && command -v npm >/dev/null; then
    [ -d "$OUT/node/node_modules/@alicloud/pop-core" ] || npm install --prefix "$OUT/node" --silent @alicloud/pop-core >"$OUT/node-install.log" 2>&1 || true
  fi
  if [ -d "$OUT/node/node_modules/@alicloud/pop-core" ]; then
    RESULT[node-pop-core]=$(run node-pop-core env NODE_PATH="$OUT/node/node_modules" node bench/clients/pop_core.js "$ENDPOINT" "$((CALLS / 2))" || echo skipped)
  else
    echo "  skipped: node @alicloud/pop-core could not be installed (see $OUT/node-install.log)"
  fi
fi

echo
printf '%-22s %12s %16s %14s\n' client calls/s "CPU µs/call" "× domain-sdk"
base=$(echo "${RESULT[domain-sdk]}" | awk '{print $2}')
for name in domain-sdk domain-sdk-interceptor domain-sdk-blocking floor floor-typed python-aliyun-core node-pop-core; do
  r=${RESULT[$name]:-}
  [ -z "$r" ] && continue
  if [ "$r" = skipped ]; then printf '%-22s %12s\n' "$name" skipped; continue; fi
  read -r rate cpu <<<"$r"
  printf '%-22s %12s %16s %14s\n' "$name" "$rate" "$cpu" "$(awk -v a="$cpu" -v b="$base" 'BEGIN{printf "%.2f", a/b}')"
done
echo "(median of $ROUNDS interleaved rounds; floor: hand-written reqwest + hmac + sha1, body not decoded;"
echo " floor-typed: the same, decoding into the SDK's types)"

# Instructions per call in user space, counted by callgrind: the same for the same binary and inputs whatever
# else the machine does (wall-clock CPU time is not). Two runs of different lengths cancel start-up and warm-up.
if command -v valgrind >/dev/null && [ -z "${SKIP_CALLGRIND:-}" ]; then
  echo
  printf '%-22s %18s %14s\n' client "instructions/call" "× domain-sdk"
  instr() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$BIN" client "$1" "$ENDPOINT" "$2" 2>&1 >/dev/null | awk '/Collected/ {print $4}'; }
  declare -A INSTR
  for c in domain-sdk domain-sdk-interceptor floor floor-typed; do
    a=$(instr "$c" 500); b=$(instr "$c" 1500)
    INSTR[$c]=$(( (b - a) / 1000 ))
  done
  for c in domain-sdk domain-sdk-interceptor floor floor-typed; do
    printf '%-22s %18s %14s\n' "$c" "${INSTR[$c]}" "$(awk -v a="${INSTR[$c]}" -v b="${INSTR[domain-sdk]}" 'BEGIN{printf "%.2f", a/b}')"
  done
else
  echo "skipped: instruction counts (valgrind not installed; apt-get install valgrind)"
fi

if [ -z "${SKIP_CRITERION:-}" ]; then
  echo; echo "== criterion: signing, encoding, decoding"
  cargo bench --quiet -p domain-sdk --bench micro -- --warm-up-time 1 --measurement-time 3 2>/dev/null | grep -E 'time:|^[a-z]' || true
  echo; echo "== criterion: code generation of the whole spec"
  cargo bench --quiet -p domain-codegen --bench codegen -- --warm-up-time 1 2>/dev/null | grep -E 'time:|^[a-z]' || true
fi

if [ -n "${BUILD_COST:-}" ]; then
  bash bench/build_cost.sh
fi
