//! What the suites that send raw requests share: a signed v1 request over a plain TCP connection (any client
//! could send it), and a valid sample value of a parameter.
// Each suite uses part of it.
#![allow(dead_code)]

use domain_sdk_test_server::validate::{ActionSpec, Method, ValueSpec, ValueType};
use domain_sdk_test_server::{sig, TestServer, TEST_KEY_ID, TEST_KEY_SECRET};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A signed (v1) request with these action parameters (in the query string for GET, in a form body for POST, as
/// the SDK sends them); the status, the `x-acs-request-id` header and the body.
pub async fn call(
    server: &TestServer,
    method: &str,
    action: &str,
    params: &[(String, String)],
) -> (u16, String, serde_json::Value) {
    static NONCE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let version = domain_sdk_test_server::action_spec(action).map_or("2018-01-29", |a| a.version);
    let nonce = NONCE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let timestamp = time::OffsetDateTime::now_utc()
        .format(time::macros::format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
        ))
        .unwrap();
    let mut all: Vec<(String, String)> = [
        ("Action", action),
        ("Version", version),
        ("Format", "JSON"),
        ("AccessKeyId", TEST_KEY_ID),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
        ("SignatureNonce", &format!("validation-{nonce}")),
        ("Timestamp", &timestamp),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .chain(params.iter().cloned())
    .collect();
    let signature = sig::signature(TEST_KEY_SECRET, &sig::string_to_sign(method, &all));
    all.push(("Signature".into(), signature));
    let encode = |pairs: &[&(String, String)]| -> String {
        let encoded: Vec<String> = pairs
            .iter()
            .map(|(name, value)| format!("{}={}", sig::encode(name), sig::encode(value)))
            .collect();
        encoded.join("&")
    };
    let in_body = |name: &str| method == "POST" && params.iter().any(|(own, _)| own == name);
    let query = encode(&all.iter().filter(|(name, _)| !in_body(name)).collect::<Vec<_>>());
    let form = encode(&all.iter().filter(|(name, _)| in_body(name)).collect::<Vec<_>>());
    let host = server.endpoint().trim_start_matches("http://").to_owned();
    let request = format!(
        "{method} /?{query} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{form}",
        form.len()
    );
    let mut stream = tokio::net::TcpStream::connect(&host).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    let text = String::from_utf8(response).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let status = head[9..12].parse().unwrap();
    let request_id = head
        .lines()
        .find_map(|l| l.strip_prefix("x-acs-request-id: "))
        .unwrap_or_default()
        .to_owned();
    // The body may be chunked; the fake's bodies are small and sent whole, so a length line may precede it.
    let json = body
        .find('{')
        .map(|at| &body[at..body.rfind('}').unwrap() + 1])
        .unwrap_or("null");
    (
        status,
        request_id,
        serde_json::from_str(json).unwrap_or(serde_json::Value::Null),
    )
}

pub fn sample(v: &ValueSpec) -> &'static str {
    if let Some(first) = v.values.first() {
        return first;
    }
    match v.ty {
        ValueType::String => "example.com",
        ValueType::Integer | ValueType::Long => "1",
        ValueType::Boolean => "true",
        ValueType::Float => "1.5",
    }
}

pub fn method_of(spec: &ActionSpec) -> &'static str {
    if spec.methods.contains(&Method::Post) {
        "POST"
    } else {
        "GET"
    }
}
