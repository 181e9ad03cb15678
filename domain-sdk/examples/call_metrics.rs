//! Turns every attempt into a duration metric with an interceptor: per action, how many attempts, how many
//! failed, and their latency, with the OpenTelemetry RPC names (`rpc.system`, `rpc.service`, `rpc.method`,
//! `http.response.status_code`). The same fields are on the SDK's `tracing` span (`domain_sdk.call`) and
//! per-attempt event, for `tracing-opentelemetry` to export.
//!
//! `ALIBABA_CLOUD_DOMAIN_ENDPOINT` points it at another endpoint, e.g. the test server's
//! (`cargo run -p domain-sdk-test-server`); credentials come from the default chain.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use domain_sdk::interceptor::{AttemptDone, Interceptor};

/// Attempts, failures and total latency of one `(rpc.method, http.response.status_code)`.
#[derive(Debug, Default)]
struct Row {
    attempts: u32,
    failed: u32,
    latency: Duration,
}

/// The rows, by `(rpc.method, http.response.status_code)`.
#[derive(Debug, Default)]
struct Metrics(Mutex<BTreeMap<(&'static str, u16), Row>>);

impl Interceptor for Metrics {
    fn after_attempt(&self, done: &AttemptDone<'_>) {
        let mut table = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let row = table.entry((done.action, done.status().unwrap_or(0))).or_default();
        row.attempts += 1;
        row.failed += u32::from(done.error.is_some());
        row.latency += done.latency;
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let metrics = Arc::new(Metrics::default());
    let client = match domain_sdk::Client::builder().interceptor(Arc::clone(&metrics)).build() {
        Ok(c) => c,
        Err(e) => return eprintln!("configuration: {e}"),
    };
    for name in ["example.com", "example.net"] {
        if let Err(e) = client.check_domain().domain_name(name).send().await {
            eprintln!("{name}: {e}");
        }
    }
    let table = metrics.0.lock().unwrap_or_else(|e| e.into_inner());
    for ((method, status), row) in table.iter() {
        println!(
            "rpc.system=alibaba_cloud rpc.service=Domain rpc.method={method} http.response.status_code={status} \
             attempts={} failed={} mean_ms={:.1}",
            row.attempts,
            row.failed,
            row.latency.as_secs_f64() * 1000.0 / f64::from(row.attempts)
        );
    }
}
