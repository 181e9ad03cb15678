//! Fuzz target: the signer on any parameters. Encoding must be total and reversible, the canonical query sorted,
//! and signing must never panic.
#![no_main]

use domain_sdk::signing::{canonical_query, percent_encode, sign, string_to_sign};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.split('\u{0}');
    let secret = parts.next().unwrap_or_default().to_owned();
    let rest: Vec<&str> = parts.collect();
    let params: Vec<(&str, &str)> = rest.chunks(2).map(|p| (p[0], p.get(1).copied().unwrap_or(""))).collect();
    let canonical = canonical_query(&params);
    for (k, v) in &params {
        let encoded = percent_encode(v);
        assert!(encoded.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.~%".contains(&b)));
        assert!(canonical.contains(&format!("{}={encoded}", percent_encode(k))));
    }
    let sts = string_to_sign("POST", &canonical);
    let signature = sign(&secret, &sts);
    assert_eq!(signature.len(), 28, "Base64 of a 20-byte HMAC-SHA1");
});
