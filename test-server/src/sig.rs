//! The test server's own implementations of signature v1 (§3.5) and v3 (`ACS3-HMAC-SHA256`), written apart from
//! the SDK's signer so that a bug shared by both cannot cancel out.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha1::Sha1;

/// RFC 3986 encoding, byte by byte: unreserved characters stay, everything else is `%XY`.
pub fn encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        let unreserved = byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~');
        if unreserved {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Decodes `%XY` escapes (and `+` as a space, as form bodies and query strings allow).
pub fn decode(text: &str) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'%' => {
                let hex = text
                    .get(at + 1..at + 3)
                    .ok_or_else(|| format!("truncated escape in {text:?}"))?;
                out.push(u8::from_str_radix(hex, 16).map_err(|_| format!("bad escape %{hex} in {text:?}"))?);
                at += 3;
            }
            b'+' => {
                out.push(b' ');
                at += 1;
            }
            other => {
                out.push(other);
                at += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| format!("not UTF-8 once decoded: {text:?}"))
}

/// Parses `a=1&b=2` into decoded pairs.
pub fn parse_pairs(text: &str) -> Result<Vec<(String, String)>, String> {
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            Ok((decode(name)?, decode(value)?))
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

/// Hex SHA-256.
pub fn sha256_hex(data: &[u8]) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(data).iter().map(|b| format!("{b:02x}")).collect()
}

/// The v3 canonical request the service computes: `method`, `path` (`/` when empty), the query pairs sorted by
/// name and encoded, the headers named in `signed` (lower case, values trimmed, repeated values joined by `,`),
/// the signed names, and the payload hash the request declared.
pub fn v3_canonical_request(
    method: &str,
    path: &str,
    query: &[(String, String)],
    headers: &[(String, String)],
    signed: &[&str],
    payload_sha256: &str,
) -> String {
    let mut pairs: Vec<(String, String)> = query.iter().map(|(k, v)| (encode(k), encode(v))).collect();
    pairs.sort();
    let query: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let mut canonical_headers = String::new();
    for name in signed {
        let values: Vec<&str> = headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
            .collect();
        canonical_headers += &format!("{name}:{}\n", values.join(","));
    }
    let path = if path.is_empty() { "/" } else { path };
    [
        method,
        path,
        &query.join("&"),
        &canonical_headers,
        &signed.join(";"),
        payload_sha256,
    ]
    .join("\n")
}

/// `ACS3-HMAC-SHA256\n` + hex SHA-256 of the canonical request.
pub fn v3_string_to_sign(canonical_request: &str) -> String {
    format!("ACS3-HMAC-SHA256\n{}", sha256_hex(canonical_request.as_bytes()))
}

/// Hex HMAC-SHA256 of the string to sign, keyed with the secret.
pub fn v3_signature(secret: &str, string_to_sign: &str) -> String {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(string_to_sign.as_bytes());
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

/// The parts of a v3 `Authorization` header: algorithm, `Credential`, `SignedHeaders`, `Signature`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct V3Authorization {
    /// `ACS3-HMAC-SHA256`, or whatever else the client named.
    pub algorithm: String,
    /// The AccessKey id.
    pub credential: String,
    /// The signed header names, in the order given.
    pub signed_headers: Vec<String>,
    /// The hex signature.
    pub signature: String,
}

/// Parses `ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…`; `Err` says what is missing.
pub fn parse_v3_authorization(value: &str) -> Result<V3Authorization, String> {
    let (algorithm, rest) = value.trim().split_once(' ').ok_or("no space after the algorithm")?;
    let mut credential = None;
    let mut signed = None;
    let mut signature = None;
    for part in rest.split(',') {
        let (name, value) = part
            .trim()
            .split_once('=')
            .ok_or_else(|| format!("{part:?} is not name=value"))?;
        match name {
            "Credential" => credential = Some(value.to_owned()),
            "SignedHeaders" => signed = Some(value.split(';').map(str::to_owned).collect()),
            "Signature" => signature = Some(value.to_owned()),
            _ => {}
        }
    }
    Ok(V3Authorization {
        algorithm: algorithm.to_owned(),
        credential: credential.ok_or("no Credential")?,
        signed_headers: signed.ok_or("no SignedHeaders")?,
        signature: signature.ok_or("no Signature")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The signature test vectors the SDK's signer and this one are both checked against.
    fn vectors(version: &str) -> Vec<serde_json::Value> {
        let all: serde_json::Value = serde_json::from_str(include_str!("../testdata/signature-vectors.json"))
            .expect("testdata/signature-vectors.json parses");
        all[version].as_array().expect("a list of vectors").clone()
    }

    fn text<'a>(vector: &'a serde_json::Value, key: &str) -> &'a str {
        vector[key]
            .as_str()
            .unwrap_or_else(|| panic!("{key} of {}", vector["name"]))
    }

    fn pairs(vector: &serde_json::Value, key: &str) -> Vec<(String, String)> {
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
    fn reproduces_every_v1_vector() {
        let vectors = vectors("v1");
        assert!(!vectors.is_empty());
        for vector in vectors {
            let name = &vector["name"];
            let string = string_to_sign(text(&vector, "method"), &pairs(&vector, "params"));
            assert_eq!(string, text(&vector, "string_to_sign"), "{name}");
            assert_eq!(
                signature(text(&vector, "secret"), &string),
                text(&vector, "signature"),
                "{name}"
            );
            assert_eq!(
                encode(text(&vector, "signature")),
                text(&vector, "signature_in_url"),
                "{name}"
            );
        }
    }

    #[test]
    fn reproduces_every_v3_vector() {
        let vectors = vectors("v3");
        assert!(vectors.len() >= 2);
        for vector in vectors {
            let name = &vector["name"];
            let signed: Vec<&str> = text(&vector, "signed_headers").split(';').collect();
            let request = v3_canonical_request(
                text(&vector, "method"),
                text(&vector, "path"),
                &pairs(&vector, "query"),
                &pairs(&vector, "headers"),
                &signed,
                text(&vector, "payload_sha256"),
            );
            assert_eq!(request, text(&vector, "canonical_request"), "{name}");
            let string = v3_string_to_sign(&request);
            assert_eq!(string, text(&vector, "string_to_sign"), "{name}");
            assert_eq!(
                v3_signature(text(&vector, "secret"), &string),
                text(&vector, "signature"),
                "{name}"
            );
            let auth = parse_v3_authorization(text(&vector, "authorization")).unwrap();
            assert_eq!(
                (auth.credential.as_str(), auth.signed_headers, auth.signature.as_str()),
                (
                    text(&vector, "access_key_id"),
                    signed.iter().map(|name| (*name).to_owned()).collect(),
                    text(&vector, "signature")
                ),
                "{name}"
            );
        }
        assert!(parse_v3_authorization("ACS3-HMAC-SHA256 Credential=k").is_err());
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
