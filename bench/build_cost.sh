#!/usr/bin/env bash
# Build cost (called by bench/run.sh with BUILD_COST=1, or alone): clean release build time and stripped binary
# size of a minimal app on domain-sdk against the same app hand-written on reqwest + hmac + sha1; and the compile
# time of the domain-sdk crate itself with 10 actions against all of them.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/target/bench/build
rm -rf "$OUT" && mkdir -p "$OUT"
# The floor comes twice: on reqwest as it comes (`reqwest = "0.13"`: rustls on aws-lc-rs, HTTP/2, charset,
# system proxy), what a hand-written client gets by default; and on reqwest with rustls only (still aws-lc-rs,
# reqwest's provider; HTTP/1.1), the nearest hand-written match of domain-sdk's default (rustls on ring).
# APPS picks which to build (default: all five). BASE_SDK=<path of another checkout's domain-sdk folder> adds
# `sdk-app-base`, the rustls app on that checkout (a before/after of a change to the SDK's dependencies).
REQWEST_DEFAULT='reqwest = "0.13"'
REQWEST_RUSTLS='reqwest = { version = "0.13", default-features = false, features = ["rustls"] }'

app() { # name, deps, main
  mkdir -p "$OUT/$1/src"
  printf '[package]\nname = "%s"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n%s\n\n[profile.release]\nstrip = true\n\n[workspace]\n' "$1" "$2" > "$OUT/$1/Cargo.toml"
  printf '%s\n' "$3" > "$OUT/$1/src/main.rs"
}
SDK_MAIN='#[tokio::main(flavor = "current_thread")]
async fn main() {
    let client = domain_sdk::Client::builder().credentials(domain_sdk::Credentials::new("id", "secret")).build().unwrap();
    let out = client.query_domain_list().page_num(1).page_size(20).send().await;
    println!("{:?}", out.map(|o| o.total_item_num));
}'
TOKIO='tokio = { version = "1", features = ["rt", "macros"] }'
# The minimal apps enable the one action they call and a TLS; sdk-app-all takes domain-sdk's defaults (every action).
sdk() { # name, TLS feature
  app "$1" "domain-sdk = { path = \"$ROOT/domain-sdk\", default-features = false, features = [\"$2\", \"query_domain_list\"] }
$TOKIO" "$SDK_MAIN"
}
sdk sdk-app native-tls
sdk sdk-app-rustls rustls
if [ -n "${BASE_SDK:-}" ]; then
  app sdk-app-base "domain-sdk = { path = \"$BASE_SDK\", default-features = false, features = [\"rustls\", \"query_domain_list\"] }
$TOKIO" "$SDK_MAIN"
fi
app sdk-app-all "domain-sdk = { path = \"$ROOT/domain-sdk\" }
$TOKIO" "$SDK_MAIN"
FLOOR_MAIN='use base64::Engine as _;
use hmac::Mac as _;
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let q = "AccessKeyId=id&Action=QueryDomainList&Format=JSON&PageNum=1&PageSize=20";
    let sts = format!("POST&%2F&{}", percent_encoding::utf8_percent_encode(q, percent_encoding::NON_ALPHANUMERIC));
    let mut mac = hmac::Hmac::<sha1::Sha1>::new_from_slice(b"secret&").unwrap();
    mac.update(sts.as_bytes());
    let sig = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    let r = reqwest::Client::new().post(format!("https://domain.aliyuncs.com/?{q}&Signature={sig}")).send().await;
    println!("{:?}", r.map(|r| r.status()));
}'
floor() { # name, reqwest line
  app "$1" "$2
hmac = \"0.12\"
sha1 = \"0.10\"
base64 = \"0.22\"
percent-encoding = \"2\"
$TOKIO" "$FLOOR_MAIN"
}
floor floor-app "$REQWEST_DEFAULT"
floor floor-app-rustls "$REQWEST_RUSTLS"
# Clean builds, interleaved app by app for BUILD_ROUNDS rounds so that the machine's drift hits all alike; the
# median round counts. CPU is the build's user + system time (all its rustc processes).
BUILD_ROUNDS=${BUILD_ROUNDS:-3}
APPS=${APPS:-floor-app sdk-app floor-app-rustls sdk-app-rustls sdk-app-all${BASE_SDK:+ sdk-app-base}}
declare -A WALLS CPUS
for _ in $(seq "$BUILD_ROUNDS"); do
  for a in $APPS; do
    # The base app resolves against its own checkout's lock file.
    lock=$ROOT/Cargo.lock; [ "$a" = sdk-app-base ] && lock=$BASE_SDK/../Cargo.lock
    cp "$lock" "$OUT/$a/" 2>/dev/null || true
    rm -rf "$OUT/$a/target"
    TIMEFORMAT='%R %U %S'
    { time (cd "$OUT/$a" && CARGO_TARGET_DIR="$OUT/$a/target" cargo build --release --quiet 2>"$OUT/$a.log"); } \
      2>"$OUT/$a.time" || { echo "$a: build failed, see $OUT/$a.log" >&2; exit 1; }
    read -r wall user sys < "$OUT/$a.time"
    WALLS[$a]+="$wall "
    CPUS[$a]+="$(awk -v u="$user" -v s="$sys" 'BEGIN{print u+s}') "
  done
done
median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
for a in $APPS; do
  # Each app against the floor on the same TLS library: rustls apps against floor-app-rustls.
  case $a in *rustls|sdk-app-all|sdk-app-base) base=floor-app-rustls ;; *) base=floor-app ;; esac
  [ -n "${WALLS[$base]:-}" ] || base=$a
  floor_wall=$(echo "${WALLS[$base]}" | median)
  wall=$(echo "${WALLS[$a]}" | median); cpu=$(echo "${CPUS[$a]}" | median)
  size=$(stat -c %s "$OUT/$a/target/release/$a")
  printf '%-16s clean release build %6.1f s (× %s %.2f; rounds: %s)  CPU %6.1f s   stripped binary %5.1f MB\n' \
    "$a" "$wall" "$base" "$(awk -v a="$wall" -v b="$floor_wall" 'BEGIN{print a/b}')" "${WALLS[$a]% }" "$cpu" \
    "$(awk -v s="$size" 'BEGIN{print s/1048576}')"
done

# The domain-sdk crate alone, with 10 actions and with all of them (dependencies already built).
crate_time() { # label, spec dir
  local ws=$OUT/ws-$1
  mkdir -p "$ws"
  cp "$ROOT/Cargo.toml" "$ROOT/Cargo.lock" "$ws/"
  cp -r "$ROOT/domain-sdk" "$ws/" && rm -rf "$ws/domain-sdk/src/generated"
  sed -i 's/^members = .*/members = ["domain-sdk"]/' "$ws/Cargo.toml"
  cargo run --quiet --release -p xtask -- codegen --spec "$2" --root "$ws" >/dev/null
  (cd "$ws" && CARGO_TARGET_DIR="$ws/target" cargo build --release --quiet -p domain-sdk)
  touch "$ws/domain-sdk/src/lib.rs"
  local start=$(date +%s.%N)
  (cd "$ws" && CARGO_TARGET_DIR="$ws/target" cargo build --release --quiet -p domain-sdk)
  awk -v a="$(date +%s.%N)" -v b="$start" 'BEGIN{print a-b}'
}
SUBSET=$OUT/spec-10
mkdir -p "$SUBSET/2018-01-29/actions"
cp -r "$ROOT/api-spec/appendix" "$ROOT/api-spec/client_defaults.yaml" "$SUBSET/"
for a in QueryDomainList SaveBatchTaskForCreatingOrderActivate SaveBatchTaskForModifyingDomainDns QueryTaskDetailList \
         RegistrantProfileRealNameVerification QueryRegistrantProfiles LookupTmchNotice CheckDomain \
         SaveSingleTaskForQueryingTransferAuthorizationCode QueryContactInfo; do
  cp "$ROOT/api-spec/2018-01-29/actions/$a.yaml" "$SUBSET/2018-01-29/actions/"
done
all=$(ls "$ROOT"/api-spec/*/actions/*.yaml | wc -l)
t10=$(crate_time 10 "$SUBSET")
tall=$(crate_time all "$ROOT/api-spec")
printf 'domain-sdk crate: %.1f s with 10 actions, %.1f s with %d; %.0f ms per added action\n' "$t10" "$tall" "$all" \
  "$(awk -v a="$tall" -v b="$t10" -v n="$all" 'BEGIN{print (a-b)*1000/(n-10)}')"
