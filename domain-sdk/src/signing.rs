//! Signature v1 (§3.5 of the reference): RFC 3986 encoding, canonical query, StringToSign, HMAC-SHA1.
//!
//! Each stage is a public function so that it can be tested against the reference's worked example.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use sha1::Sha1;

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

    /// The reference's worked example (§3.5, DescribeRegions with AccessKeyId=testid).
    fn doc_params() -> Vec<(&'static str, &'static str)> {
        vec![
            ("Timestamp", "2016-02-23T12:46:24Z"),
            ("Format", "XML"),
            ("AccessKeyId", "testid"),
            ("Action", "DescribeRegions"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
            ("Version", "2014-05-26"),
            ("SignatureVersion", "1.0"),
        ]
    }

    #[test]
    fn stage1_canonical_query_matches_the_reference() {
        assert_eq!(
            canonical_query(&doc_params()),
            "AccessKeyId=testid&Action=DescribeRegions&Format=XML&SignatureMethod=HMAC-SHA1\
             &SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureVersion=1.0\
             &Timestamp=2016-02-23T12%3A46%3A24Z&Version=2014-05-26"
        );
    }

    #[test]
    fn stage2_string_to_sign_matches_the_reference() {
        assert_eq!(
            string_to_sign("GET", &canonical_query(&doc_params())),
            "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1\
             %26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0\
             %26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"
        );
    }

    #[test]
    fn stage3_signature_matches_the_reference() {
        let sts = string_to_sign("GET", &canonical_query(&doc_params()));
        assert_eq!(sign("testsecret", &sts), "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
        // Stage 4: the signature as it appears in the URL.
        assert_eq!(
            percent_encode(&sign("testsecret", &sts)),
            "OLeaidS1JvxuMvnyHOwuJ%2BuX5qY%3D"
        );
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
