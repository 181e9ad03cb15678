//! Hostile answers, each from a raw peer that misbehaves on purpose: the client must end every one with a clear
//! error (or the right value), quickly (the tests set short timeouts), never a panic, never a leaked secret.

use std::time::Duration;

use domain_sdk::{Client, Credentials, Error, RetryConfig, TransportErrorKind};
use e2e::raw::{response, RawServer, Step};
use e2e::{Captured, TEST_KEY_ID, TEST_KEY_SECRET};

const TOKEN: &str = "CAESfake+sts/token==";

fn client(server: &RawServer) -> Client {
    Client::builder()
        .endpoint(server.endpoint())
        .credentials(Credentials::new(TEST_KEY_ID, TEST_KEY_SECRET))
        .retry(RetryConfig::disabled())
        .attempt_timeout(Duration::from_millis(500))
        .no_proxy()
        .build()
        .unwrap()
}

async fn check(client: &Client) -> Result<domain_sdk::operation::check_domain::CheckDomainOutput, Error> {
    client.check_domain().domain_name("a.com").send().await
}

fn ok_body() -> &'static str {
    r#"{"RequestId": "R", "DomainName": "a.com", "Avail": 1}"#
}

#[tokio::test]
async fn a_date_in_the_year_9999_is_ignored_not_a_panic() {
    let server = RawServer::start(|_| {
        vec![response(
            "400 Bad Request",
            &["Date: Fri, 31 Dec 9999 23:59:59 GMT"],
            r#"{"Code": "InvalidTimeStamp.Expired", "Message": "m", "RequestId": "R"}"#,
        )]
    })
    .await;
    let client = client(&server);
    for _ in 0..2 {
        let err = check(&client).await.unwrap_err();
        assert_eq!(err.code(), Some("InvalidTimeStamp.Expired"), "{err}");
    }
    assert_eq!(client.clock_offset_secs(), 0, "an implausible Date teaches nothing");
    assert_eq!(server.request_count(), 2, "no correction was attempted");
}

#[tokio::test]
async fn a_plausible_skew_is_still_corrected() {
    // The service's clock is two hours ahead: it rejects the first timestamp, then accepts the corrected one.
    let ahead = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(7200));
    let server = RawServer::start(move |r| {
        let ts = r.target().split("Timestamp=").nth(1).unwrap_or_default().to_owned();
        let date = format!("Date: {ahead}");
        if r.head.contains("Timestamp") && !ts.is_empty() && server_accepts(&ts) {
            vec![response("200 OK", &[&date], ok_body())]
        } else {
            vec![response(
                "400 Bad Request",
                &[&date],
                r#"{"Code": "InvalidTimeStamp.Expired", "Message": "m"}"#,
            )]
        }
    })
    .await;
    let client = client(&server);
    check(&client).await.expect("corrected once");
    let offset = client.clock_offset_secs();
    assert!((7190..=7210).contains(&offset), "{offset}");
}

/// Whether a `Timestamp` (percent-encoded in the query) is at least an hour ahead of this machine's clock.
fn server_accepts(ts: &str) -> bool {
    let ts = ts.split('&').next().unwrap_or_default().replace("%3A", ":");
    humantime::parse_rfc3339(&ts).is_ok_and(|t| t > std::time::SystemTime::now() + Duration::from_secs(3600))
}

#[tokio::test]
async fn a_gateway_page_echoing_the_url_leaks_neither_token_nor_signature() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    // A common proxy page: it quotes the request target, query string and all (here with its parameters in
    // reverse order, so the signature comes first, and padded so that the token straddles the excerpt's end at
    // one attempt or another).
    let server = RawServer::start(|r| {
        let mut query: Vec<&str> = r.target().trim_start_matches("/?").split('&').collect();
        query.reverse();
        let pad = "x".repeat(r.target().len() % 7 * 9);
        let page = format!(
            "<html><body><h1>502 Bad Gateway</h1><p>The requested URL could not be retrieved: {pad}/?{}</p></body></html>",
            query.join("&")
        );
        vec![response("502 Bad Gateway", &["Content-Type: text/html"], &page)]
    })
    .await;
    let client = Client::builder()
        .endpoint(server.endpoint())
        .credentials(Credentials::with_security_token(TEST_KEY_ID, TEST_KEY_SECRET, TOKEN))
        .retry(RetryConfig::default().with_initial_backoff(Duration::from_millis(1)))
        .no_proxy()
        .build()
        .unwrap();
    let err = check(&client).await.unwrap_err();
    assert_eq!(server.request_count(), 3, "a 502 is retried");
    let service = err.as_service_error().expect("the gateway's answer");
    assert!(service
        .body_excerpt
        .as_deref()
        .unwrap_or_default()
        .contains("could not be retrieved"));

    let mut secrets: Vec<String> = vec![TOKEN.to_owned(), percent(TOKEN), percent(&percent(TOKEN))];
    for r in server.requests() {
        let sig = r.target().split("Signature=").nth(1).unwrap_or_default();
        let sig = sig.split('&').next().unwrap_or_default().to_owned();
        assert!(sig.len() > 10, "{}", r.target());
        secrets.push(sig.replace("%2B", "+").replace("%2F", "/").replace("%3D", "="));
        secrets.push(sig);
    }
    let logs = captured.text();
    assert!(logs.contains("retrying"), "{logs}");
    let shown = format!("{err}\n{err:?}\n{logs}");
    for secret in &secrets {
        // Not even a part of one (a secret cut off at the end of an excerpt).
        let chars: Vec<char> = secret.chars().collect();
        for part in chars.windows(10) {
            let part: String = part.iter().collect();
            assert!(!shown.contains(&part), "{part} of {secret} leaked:\n{shown}");
        }
    }
    assert!(shown.contains("<redacted>"), "{shown}");
}

fn percent(s: &str) -> String {
    domain_sdk::signing::percent_encode(s)
}

#[tokio::test]
async fn an_out_of_range_number_in_a_string_is_an_error_naming_the_field() {
    for price in [r#""99999999999999999999999""#, r#""9223372036854775808.0""#, "1e30"] {
        let body = format!(r#"{{"RequestId": "R", "Avail": 1, "Price": {price}}}"#);
        let server = RawServer::start(move |_| vec![response("200 OK", &[], &body)]).await;
        let err = check(&client(&server)).await.expect_err(price);
        let text = err.to_string();
        assert!(matches!(err, Error::Decode { status: 200, .. }), "{text}");
        assert!(text.contains("field Price: "), "{price}: {text}");
    }
    // In range, a number sent as a string still decodes.
    let body = r#"{"RequestId": "R", "Avail": 1, "Price": "9223372036854775807"}"#;
    let server = RawServer::start(move |_| vec![response("200 OK", &[], body)]).await;
    assert_eq!(check(&client(&server)).await.unwrap().price, Some(i64::MAX));
}

#[tokio::test]
async fn a_field_deep_in_a_list_is_named_with_its_path() {
    let body = r#"{"Data": {"Domain": [{"DomainName": "a.com"}, {"DomainName": "b.com", "RegistrationDateLong": "x"}]}, "NextPage": false}"#;
    let server = RawServer::start(move |_| vec![response("200 OK", &[], body)]).await;
    let err = client(&server)
        .query_domain_list()
        .page_num(1)
        .page_size(2)
        .send()
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("field Data.Domain[1].RegistrationDateLong: "), "{text}");
}

#[tokio::test]
async fn a_paginator_stops_when_every_page_is_the_same() {
    let page = r#"{"RequestId": "R", "NextPage": true, "Data": {"Domain": [{"DomainName": "a.com"}, {"DomainName": "b.com"}]}}"#;
    let server = RawServer::start(move |_| vec![response("200 OK", &[], page)]).await;
    let mut items = client(&server)
        .query_domain_list()
        .page_size(2)
        .into_paginator()
        .items();
    let mut seen = 0;
    let err = loop {
        match items.next().await {
            Some(Ok(_)) => seen += 1,
            Some(Err(e)) => break e,
            None => panic!("the stream ended without saying why, after {seen} items"),
        }
        assert!(seen < 100, "the paginator did not stop");
    };
    assert_eq!(seen, 2, "the first page's items, then the error");
    assert!(matches!(err, Error::Pagination { .. }), "{err:?}");
    assert!(err.to_string().contains("page 2 repeats page 1"), "{err}");
    assert!(items.next().await.is_none(), "the error ends the stream");
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn a_paginator_stops_at_its_page_limit() {
    let server = RawServer::start(|r| {
        let n: i32 = r
            .body_text()
            .split("PageNum=")
            .nth(1)
            .and_then(|v| v.split('&').next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let page =
            format!(r#"{{"RequestId": "R", "NextPage": true, "Data": {{"Domain": [{{"DomainName": "d{n}.com"}}]}}}}"#);
        vec![response("200 OK", &[], &page)]
    })
    .await;
    let mut stream = client(&server)
        .query_domain_list()
        .page_size(1)
        .into_paginator()
        .max_pages(5)
        .pages();
    let mut pages = Vec::new();
    while let Some(page) = stream.next().await {
        pages.push(page);
    }
    assert_eq!(pages.len(), 6, "five pages, then the error");
    assert!(pages[..5].iter().all(Result::is_ok));
    let err = pages[5].as_ref().unwrap_err();
    assert!(err.to_string().contains("5 pages"), "{err}");
    assert_eq!(server.request_count(), 5);
}

#[tokio::test]
async fn an_endless_chunked_body_stops_at_the_size_limit() {
    let server = RawServer::start(|_| {
        vec![
            Step::text("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"),
            Step::Repeat(
                b"400\r\n"
                    .iter()
                    .copied()
                    .chain(std::iter::repeat_n(b' ', 1024))
                    .chain(*b"\r\n")
                    .collect(),
            ),
        ]
    })
    .await;
    let client = Client::builder()
        .endpoint(server.endpoint())
        .credentials(Credentials::new(TEST_KEY_ID, TEST_KEY_SECRET))
        .retry(RetryConfig::disabled())
        .max_response_bytes(64 * 1024)
        .no_proxy()
        .build()
        .unwrap();
    let err = check(&client).await.unwrap_err();
    assert!(err.to_string().contains("exceeds the 65536 byte limit"), "{err}");
}

#[tokio::test]
async fn a_trickled_body_is_bounded_by_the_attempt_timeout() {
    let server = RawServer::start(|_| {
        vec![
            Step::text("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n"),
            Step::Trickle(vec![b' '; 200], Duration::from_millis(20)),
        ]
    })
    .await;
    let err = check(&client(&server)).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportErrorKind::Timeout,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains(" of 200 bytes)"), "{err}");
}

#[tokio::test]
async fn a_megabyte_of_headers_is_refused() {
    let server = RawServer::start(|_| {
        let mut head = String::from("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n");
        for i in 0..16_384 {
            head.push_str(&format!("X-Filler-{i}: {}\r\n", "x".repeat(48)));
        }
        head.push_str("Content-Length: 2\r\n\r\n{}");
        vec![Step::text(head)]
    })
    .await;
    let err = check(&client(&server)).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
}

#[tokio::test]
async fn a_gzip_body_never_asked_for_says_so() {
    let server = RawServer::start(|_| {
        let mut head =
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: 12\r\n\r\n"
                .to_vec();
        head.extend_from_slice(&[0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0x03, 0xff, 0xfe]);
        vec![Step::Send(head)]
    })
    .await;
    let err = check(&client(&server)).await.unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert!(err.to_string().contains("Content-Encoding: gzip"), "{err}");
}

#[tokio::test]
async fn an_http_1_0_answer_delimited_by_close_decodes() {
    let server = RawServer::start(|_| {
        vec![Step::text(format!(
            "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{}",
            ok_body()
        ))]
    })
    .await;
    let out = check(&client(&server))
        .await
        .expect("a close-delimited body is complete at close");
    assert_eq!(out.domain_name.as_deref(), Some("a.com"));
}

#[tokio::test]
async fn deeply_nested_json_is_skipped_or_refused_never_a_stack_overflow() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    // Under a key the SDK does not know: skipped (serde_json skips without recursing).
    let body = format!(r#"{{"RequestId": "R", "Later": {deep}}}"#);
    let server = RawServer::start(move |_| vec![response("200 OK", &[], &body)]).await;
    let out = check(&client(&server)).await.expect("an unknown deep value is skipped");
    assert_eq!(out.request_id.as_deref(), Some("R"));
    // Where a documented field is: an error naming it, at the first level that does not fit.
    let body = format!(r#"{{"RequestId": "R", "Reason": {deep}}}"#);
    let server = RawServer::start(move |_| vec![response("200 OK", &[], &body)]).await;
    let err = check(&client(&server)).await.unwrap_err();
    assert!(
        err.to_string().contains("field Reason: invalid type: sequence"),
        "{err}"
    );
    // In an error answer, which is read as free JSON: past serde_json's recursion limit it is not a JSON error.
    let body = format!(r#"{{"Code": "X", "Message": {deep}}}"#);
    let server = RawServer::start(move |_| vec![response("400 Bad Request", &[], &body)]).await;
    let err = check(&client(&server)).await.unwrap_err();
    let service = err.as_service_error().expect("still the service's error answer");
    assert_eq!((service.status, service.code()), (400, None));
    assert!(service
        .body_excerpt
        .as_deref()
        .unwrap_or_default()
        .starts_with(r#"{"Code": "X""#));
}

/// An outage hits a burst of concurrent calls: the client-wide retry budget caps the retries all of them make
/// together, instead of each call retrying up to its own limit.
#[tokio::test]
async fn an_outage_spends_the_retry_budget_not_every_calls_attempts() {
    let outage = || {
        vec![response(
            "503 Service Unavailable",
            &[],
            r#"{"Code": "ServiceUnavailable", "Message": "m"}"#,
        )]
    };
    let burst = |retry: RetryConfig| async move {
        let server = RawServer::start(move |_| outage()).await;
        let client = Client::builder()
            .endpoint(server.endpoint())
            .credentials(Credentials::new(TEST_KEY_ID, TEST_KEY_SECRET))
            .retry(retry)
            .no_proxy()
            .build()
            .unwrap();
        let calls: Vec<_> = (0..20)
            .map(|_| {
                let client = client.clone();
                tokio::spawn(async move { check(&client).await.map(drop) })
            })
            .collect();
        for call in calls {
            assert!(call.await.unwrap().is_err());
        }
        server.request_count()
    };
    let fast = RetryConfig::default()
        .with_max_attempts(3)
        .with_initial_backoff(Duration::from_millis(1));
    // A budget of 25 tokens and 5 per retry: 5 retries in all, across the 20 calls.
    let budget = domain_sdk::RetryBudget::default().with_capacity(25);
    assert_eq!(burst(fast.clone().with_budget(budget)).await, 20 + 5);
    // Without a budget every call makes its 3 attempts.
    assert_eq!(burst(fast.without_budget()).await, 20 * 3);
}
