//! The test server's own implementations of signature v1 (§3.5) and v3 (`ACS3-HMAC-SHA256`), written apart from
//! the SDK's signer so that a bug shared by both cannot cancel out.

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
        let (k, v) = part
            .trim()
            .split_once('=')
            .ok_or_else(|| format!("{part:?} is not name=value"))?;
        match k {
            "Credential" => credential = Some(v.to_owned()),
            "SignedHeaders" => signed = Some(v.split(';').map(str::to_owned).collect()),
            "Signature" => signature = Some(v.to_owned()),
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
    fn reproduces_the_v3_vectors() {
        let pairs = |p: &[(&str, &str)]| -> Vec<(String, String)> {
            p.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
        };
        let empty = sha256_hex(b"");
        let headers = pairs(&[
            ("host", "ecs.cn-shanghai.aliyuncs.com"),
            ("x-acs-action", "RunInstances"),
            ("x-acs-version", "2014-05-26"),
            ("x-acs-date", "2023-10-26T09:01:01Z"),
            ("x-acs-signature-nonce", "d410180a5abf7fe235dd9b74aca91fc0"),
            ("x-acs-content-sha256", &empty),
        ]);
        let signed = [
            "host",
            "x-acs-action",
            "x-acs-content-sha256",
            "x-acs-date",
            "x-acs-signature-nonce",
            "x-acs-version",
        ];
        let query = pairs(&[
            ("RegionId", "cn-shanghai"),
            ("ImageId", "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd"),
        ]);
        let request = v3_canonical_request("POST", "/", &query, &headers, &signed, &empty);
        assert_eq!(
            v3_signature("YourAccessKeySecret", &v3_string_to_sign(&request)),
            "e521358f7776c97df52e6b2891a8bc73026794a071b50c3323388c4e0df64804"
        );
        let headers = pairs(&[("x-acs-test", "http"), ("x-acs-TEST", "https")]);
        let payload = "55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23";
        let request = v3_canonical_request(
            "",
            "",
            &pairs(&[("test", "ok"), ("empty", "")]),
            &headers,
            &["x-acs-test"],
            payload,
        );
        assert_eq!(
            v3_signature("secret", &v3_string_to_sign(&request)),
            "4ab59fffe3c5738ff8a2729f90cc04fe18b02a4b15b2102cbaf92f9ff3df2ea3"
        );
        let auth =
            parse_v3_authorization("ACS3-HMAC-SHA256 Credential=k,SignedHeaders=host;x-acs-date,Signature=ab").unwrap();
        assert_eq!(auth.signed_headers, ["host", "x-acs-date"]);
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
