//! The test server's own implementation of signature v1 (§3.5), written apart from the SDK's signer
//! so that a bug shared by both cannot cancel out.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha1::Sha1;

/// RFC 3986 encoding, byte by byte: unreserved characters stay, everything else is `%XY`.
pub fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        let unreserved = b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.' || b == b'~';
        if unreserved {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `%XY` escapes (and `+` as a space, as form bodies and query strings allow).
pub fn decode(s: &str) -> Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = s
                    .get(i + 1..i + 3)
                    .ok_or_else(|| format!("truncated escape in {s:?}"))?;
                out.push(u8::from_str_radix(hex, 16).map_err(|_| format!("bad escape %{hex} in {s:?}"))?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| format!("not UTF-8 once decoded: {s:?}"))
}

/// Parses `a=1&b=2` into decoded pairs.
pub fn parse_pairs(s: &str) -> Result<Vec<(String, String)>, String> {
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            Ok((decode(k)?, decode(v)?))
        })
        .collect()
}

/// The string the service signs for these parameters (without `Signature`).
pub fn string_to_sign(method: &str, params: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = params.iter().collect();
    sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let canonical: Vec<String> = sorted
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    format!("{method}&{}&{}", encode("/"), encode(&canonical.join("&")))
}

/// `Base64(HMAC-SHA1(secret&, string_to_sign))`.
pub fn signature(secret: &str, string_to_sign: &str) -> String {
    let mut mac = Hmac::<Sha1>::new_from_slice(format!("{secret}&").as_bytes()).expect("any key length");
    mac.update(string_to_sign.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reproduces_the_reference_vector() {
        let params: Vec<(String, String)> = [
            ("Timestamp", "2016-02-23T12:46:24Z"),
            ("Format", "XML"),
            ("AccessKeyId", "testid"),
            ("Action", "DescribeRegions"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
            ("Version", "2014-05-26"),
            ("SignatureVersion", "1.0"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let sts = string_to_sign("GET", &params);
        assert!(sts.starts_with("GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions"));
        assert!(sts.contains("Timestamp%3D2016-02-23T12%253A46%253A24Z"));
        assert_eq!(signature("testsecret", &sts), "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
    }

    #[test]
    fn encodes_and_decodes() {
        assert_eq!(encode("a b*~中"), "a%20b%2A~%E4%B8%AD");
        assert_eq!(decode("a%20b+c%2A").unwrap(), "a b c*");
        assert!(decode("%G1").is_err());
        assert_eq!(
            parse_pairs("A=1&B=%E4%B8%AD&C").unwrap(),
            [
                ("A".into(), "1".into()),
                ("B".into(), "中".into()),
                ("C".into(), String::new())
            ]
        );
    }
}
