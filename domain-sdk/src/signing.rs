//! Request signatures: v1 (§3.5 of the reference: RFC 3986 encoding, canonical query, StringToSign, HMAC-SHA1)
//! and, in [`v3`], `ACS3-HMAC-SHA256` as the newest official SDKs sign.
//!
//! Each stage is a public function so that it can be tested against the published vectors.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use sha1::Sha1;

/// How requests are signed ([`ClientBuilder::signature_version`](crate::ClientBuilder::signature_version)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum SignatureVersion {
    /// HMAC-SHA1 over the sorted parameters, common parameters in the query string (§3.5 of the reference; the
    /// default).
    #[default]
    V1,
    /// `ACS3-HMAC-SHA256`: common parameters as `x-acs-*` headers, an `Authorization` header, the body's SHA-256
    /// signed (what the Tea/Darabonba SDKs send by default).
    V3,
}

/// Everything but the RFC 3986 unreserved characters `A-Z a-z 0-9 - _ . ~` is encoded.
const RFC3986: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// Percent-encodes per RFC 3986 as §3.5 requires: UTF-8 bytes as `%XY` (upper-case hex), space as `%20`.
pub fn percent_encode(value: &str) -> String {
    utf8_percent_encode(value, RFC3986).to_string()
}

fn encode_into(out: &mut String, value: &str) {
    for part in utf8_percent_encode(value, RFC3986) {
        out.push_str(part);
    }
}

/// The canonicalized query string: parameters sorted by name, each name and value encoded, joined with `&`.
///
/// `Signature` must not be among `params`.
pub fn canonical_query<K: AsRef<str>, V: AsRef<str>>(params: &[(K, V)]) -> String {
    let mut sorted: Vec<(&str, &str)> = params.iter().map(|(k, v)| (k.as_ref(), v.as_ref())).collect();
    sorted.sort_unstable();
    let mut out = String::with_capacity(sorted.iter().map(|(k, v)| k.len() + v.len() + 2).sum::<usize>() * 3 / 2);
    for (i, (k, v)) in sorted.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        encode_into(&mut out, k);
        out.push('=');
        encode_into(&mut out, v);
    }
    out
}

/// `StringToSign = METHOD & percentEncode("/") & percentEncode(canonical)`.
pub fn string_to_sign(method: &str, canonical_query: &str) -> String {
    let mut out = String::with_capacity(method.len() + 5 + canonical_query.len() * 3 / 2);
    out.push_str(method);
    out.push_str("&%2F&");
    encode_into(&mut out, canonical_query);
    out
}

/// `Base64(HMAC-SHA1(secret + "&", string_to_sign))`.
pub fn sign(access_key_secret: &str, string_to_sign: &str) -> String {
    let mut key = Vec::with_capacity(access_key_secret.len() + 1);
    key.extend_from_slice(access_key_secret.as_bytes());
    key.push(b'&');
    let mut mac = Hmac::<Sha1>::new_from_slice(&key).expect("HMAC takes keys of any length");
    mac.update(string_to_sign.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The signature test vectors this signer and the test server's own are both checked against.
    pub(super) fn vectors(version: &str) -> Vec<serde_json::Value> {
        let all: serde_json::Value = serde_json::from_str(include_str!("../testdata/signature-vectors.json"))
            .expect("testdata/signature-vectors.json parses");
        all[version].as_array().expect("a list of vectors").clone()
    }

    /// A vector's text field.
    pub(super) fn text<'a>(vector: &'a serde_json::Value, key: &str) -> &'a str {
        vector[key]
            .as_str()
            .unwrap_or_else(|| panic!("{key} of {}", vector["name"]))
    }

    /// A vector's list of `[name, value]` pairs.
    pub(super) fn pairs(vector: &serde_json::Value, key: &str) -> Vec<(String, String)> {
        vector[key]
            .as_array()
            .unwrap_or_else(|| panic!("{key} of {}", vector["name"]))
            .iter()
            .map(|pair| {
                (
                    pair[0].as_str().unwrap().to_owned(),
                    pair[1].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    }

    #[test]
    fn every_v1_vector_stage_by_stage() {
        let vectors = vectors("v1");
        assert!(!vectors.is_empty());
        for vector in &vectors {
            let name = &vector["name"];
            // Stage 1: the canonical query; stage 2: the string to sign; stage 3: the signature; stage 4: the
            // signature as it appears in the URL.
            let canonical = canonical_query(&pairs(vector, "params"));
            assert_eq!(canonical, text(vector, "canonical_query"), "{name}");
            let string = string_to_sign(text(vector, "method"), &canonical);
            assert_eq!(string, text(vector, "string_to_sign"), "{name}");
            let signature = sign(text(vector, "secret"), &string);
            assert_eq!(signature, text(vector, "signature"), "{name}");
            assert_eq!(percent_encode(&signature), text(vector, "signature_in_url"), "{name}");
        }
    }

    #[test]
    fn encoding_follows_rfc3986() {
        assert_eq!(percent_encode("a b"), "a%20b");
        assert_eq!(percent_encode("*"), "%2A");
        assert_eq!(percent_encode("~-_."), "~-_.");
        assert_eq!(percent_encode("+/=&"), "%2B%2F%3D%26");
        assert_eq!(percent_encode("\""), "%22");
        // UTF-8 bytes, upper-case hex.
        assert_eq!(percent_encode("中文"), "%E4%B8%AD%E6%96%87");
        assert_eq!(percent_encode("é"), "%C3%A9");
    }

    #[test]
    fn canonical_query_sorts_by_name_and_encodes_values() {
        let q = canonical_query(&[("b", "x y"), ("a", "中"), ("DomainName.2", "*"), ("DomainName.10", "~")]);
        assert_eq!(q, "DomainName.10=~&DomainName.2=%2A&a=%E4%B8%AD&b=x%20y");
    }

    #[test]
    fn a_wrong_secret_gives_another_signature() {
        let sts = string_to_sign("POST", "A=1");
        assert_ne!(sign("testsecret", &sts), sign("testsecret2", &sts));
        assert_ne!(sign("s", &string_to_sign("GET", "A=1")), sign("s", &sts));
    }
}

/// Signature v3 (`ACS3-HMAC-SHA256`), as the newest official SDKs sign by default: the common parameters travel as
/// `x-acs-*` headers, and the signature covers the method, the path, the canonical query, the signed headers and
/// the SHA-256 of the body. Each stage is public, so that it can be checked against the published vectors.
pub mod v3 {
    use hmac::{Hmac, Mac};
    use sha2::{Digest, Sha256};

    /// The algorithm's name, first in the string to sign and in `Authorization`.
    pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

    /// Lower-case hex of `bytes`.
    pub fn hex(bytes: &[u8]) -> String {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut out = String::with_capacity(bytes.len() * 2);
        for b in bytes {
            out.push(DIGITS[usize::from(b >> 4)] as char);
            out.push(DIGITS[usize::from(b & 0xf)] as char);
        }
        out
    }

    /// Hex SHA-256 of `data` (the `x-acs-content-sha256` of a body, the hash of a canonical request).
    pub fn sha256_hex(data: &[u8]) -> String {
        hex(&Sha256::digest(data))
    }

    /// The canonical query: parameters sorted by name, names and values RFC 3986-encoded, `k=v` joined by `&`
    /// (an empty value gives `k=`).
    pub fn canonical_query<K: AsRef<str>, V: AsRef<str>>(params: &[(K, V)]) -> String {
        super::canonical_query(params)
    }

    /// The canonical headers and the signed headers of `headers`: the `x-acs-*`, `host` and `content-type`
    /// headers, names lower-cased and sorted, each `name:value\n` with its value trimmed (the values of a header
    /// given twice joined by `,`, in order); the signed headers are their names joined by `;`.
    pub fn canonical_headers<N: AsRef<str>, V: AsRef<str>>(headers: &[(N, V)]) -> (String, String) {
        let mut signed: Vec<(String, Vec<&str>)> = Vec::new();
        for (name, value) in headers {
            let name = name.as_ref().trim().to_ascii_lowercase();
            if !(name.starts_with("x-acs-") || name == "host" || name == "content-type") {
                continue;
            }
            let value = value.as_ref().trim();
            match signed.iter_mut().find(|(n, _)| *n == name) {
                Some((_, values)) => values.push(value),
                None => signed.push((name, vec![value])),
            }
        }
        signed.sort_by(|a, b| a.0.cmp(&b.0));
        let mut canonical = String::new();
        for (name, values) in &signed {
            canonical.push_str(name);
            canonical.push(':');
            canonical.push_str(&values.join(","));
            canonical.push('\n');
        }
        let names: Vec<&str> = signed.iter().map(|(n, _)| n.as_str()).collect();
        (canonical, names.join(";"))
    }

    /// `METHOD\nPATH\nCanonicalQuery\nCanonicalHeaders\nSignedHeaders\nHashedPayload` (an empty path is `/`).
    pub fn canonical_request(
        method: &str,
        path: &str,
        canonical_query: &str,
        canonical_headers: &str,
        signed_headers: &str,
        payload_sha256: &str,
    ) -> String {
        let path = if path.is_empty() { "/" } else { path };
        format!("{method}\n{path}\n{canonical_query}\n{canonical_headers}\n{signed_headers}\n{payload_sha256}")
    }

    /// `ACS3-HMAC-SHA256\n` + hex SHA-256 of the canonical request.
    pub fn string_to_sign(canonical_request: &str) -> String {
        format!("{ALGORITHM}\n{}", sha256_hex(canonical_request.as_bytes()))
    }

    /// Hex HMAC-SHA256 of the string to sign, keyed with the AccessKey secret.
    pub fn sign(access_key_secret: &str, string_to_sign: &str) -> String {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(access_key_secret.as_bytes()).expect("HMAC takes keys of any length");
        mac.update(string_to_sign.as_bytes());
        hex(&mac.finalize().into_bytes())
    }

    /// The `Authorization` header: `ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=<names>,Signature=<hex>`.
    pub fn authorization(access_key_id: &str, signed_headers: &str, signature: &str) -> String {
        format!("{ALGORITHM} Credential={access_key_id},SignedHeaders={signed_headers},Signature={signature}")
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        use crate::signing::tests::{pairs, text, vectors};

        #[test]
        fn every_v3_vector_stage_by_stage() {
            let vectors = vectors("v3");
            assert!(vectors.len() >= 2);
            for vector in &vectors {
                let name = &vector["name"];
                let query = canonical_query(&pairs(vector, "query"));
                assert_eq!(query, text(vector, "canonical_query"), "{name}");
                let (headers, signed) = canonical_headers(&pairs(vector, "headers"));
                assert_eq!(headers, text(vector, "canonical_headers"), "{name}");
                assert_eq!(signed, text(vector, "signed_headers"), "{name}");
                let request = canonical_request(
                    text(vector, "method"),
                    text(vector, "path"),
                    &query,
                    &headers,
                    &signed,
                    text(vector, "payload_sha256"),
                );
                assert_eq!(request, text(vector, "canonical_request"), "{name}");
                let string = string_to_sign(&request);
                assert_eq!(string, text(vector, "string_to_sign"), "{name}");
                let signature = sign(text(vector, "secret"), &string);
                assert_eq!(signature, text(vector, "signature"), "{name}");
                assert_eq!(
                    authorization(text(vector, "access_key_id"), &signed, &signature),
                    text(vector, "authorization"),
                    "{name}"
                );
            }
        }

        #[test]
        fn the_payload_hash_of_an_empty_body() {
            assert_eq!(
                sha256_hex(b""),
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
            );
        }
    }
}
