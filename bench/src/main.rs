//! `callbench`: the call-loop benchmark's two halves, each its own process so that CPU is measured per side.
//!
//! - `callbench serve` — a static loopback server answering every request with a fixed `QueryDomainList` JSON of
//!   20 domains; prints its port.
//! - `callbench client <domain-sdk|domain-sdk-blocking|floor> <endpoint> <calls>` — sequential `QueryDomainList`
//!   calls over one kept-alive connection; prints `calls_per_sec cpu_us_per_call` from the process's own rusage.

use std::convert::Infallible;
use std::time::Instant;

use base64::Engine as _;
use bytes::Bytes;
use hmac::{Hmac, Mac};
use http_body_util::Full;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::Response;
use hyper_util::rt::TokioIo;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use sha1::Sha1;

/// The answer: 20 domains, as the service would send them.
fn answer() -> String {
    let domains: Vec<String> = (0..20)
        .map(|i| {
            format!(
                r#"{{"DomainName":"example{i}.com","InstanceId":"S2019{i:06}","DomainType":"gTLD","DomainStatus":"3","ExpirationDate":"Nov 02,2027 04:00:45","ExpirationDateLong":1825216845000,"RegistrationDate":"Nov 02,2017 04:00:45","RegistrationDateLong":1509595245000,"Premium":false,"DomainAuditStatus":"SUCCEED","ExpirationDateStatus":"1","ExpirationCurrDateDiff":345,"ProductId":"2","RegistrantType":"1","DomainGroupId":"1","DomainGroupName":"default","Remark":""}}"#
            )
        })
        .collect();
    format!(
        r#"{{"RequestId":"B7AB5469-5E38-4AA9-A920-C65B7A9C8E6E","TotalItemNum":20,"CurrentPageNum":1,"TotalPageNum":1,"PageSize":20,"PrePage":false,"NextPage":false,"Data":{{"Domain":[{}]}}}}"#,
        domains.join(",")
    )
}

fn serve() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        println!("{}", listener.local_addr().unwrap().port());
        let body = Bytes::from(answer());
        loop {
            let (stream, _) = listener.accept().await.unwrap();
            let body = body.clone();
            tokio::spawn(async move {
                let service = service_fn(move |_req| {
                    let body = body.clone();
                    async move {
                        Ok::<_, Infallible>(
                            Response::builder()
                                .header("content-type", "application/json")
                                .body(Full::new(body))
                                .unwrap(),
                        )
                    }
                });
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
}

/// User plus system CPU time of this process, in microseconds.
fn cpu_us() -> f64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage writes a complete rusage into the pointer it is given.
    let usage = unsafe {
        libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr());
        usage.assume_init()
    };
    let tv = |t: libc::timeval| t.tv_sec as f64 * 1e6 + t.tv_usec as f64;
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

const RFC3986: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// The floor: what a careful hand-written client does per call, with nothing else.
async fn floor_call(http: &reqwest::Client, endpoint: &str, decode: u8) {
    let ts = time::OffsetDateTime::now_utc()
        .format(time::macros::format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
        ))
        .unwrap();
    let nonce = uuid::Uuid::new_v4().to_string();
    let mut params = [
        ("AccessKeyId", "testid"),
        ("Action", "QueryDomainList"),
        ("Format", "JSON"),
        ("PageNum", "1"),
        ("PageSize", "20"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureNonce", nonce.as_str()),
        ("SignatureVersion", "1.0"),
        ("Timestamp", ts.as_str()),
        ("Version", "2018-01-29"),
    ];
    params.sort_unstable();
    let canonical: Vec<String> = params
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                utf8_percent_encode(k, RFC3986),
                utf8_percent_encode(v, RFC3986)
            )
        })
        .collect();
    let canonical = canonical.join("&");
    let sts = format!("POST&%2F&{}", utf8_percent_encode(&canonical, RFC3986));
    let mut mac = Hmac::<Sha1>::new_from_slice(b"testsecret&").unwrap();
    mac.update(sts.as_bytes());
    let sig = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    let url = format!(
        "{endpoint}/?{canonical}&Signature={}",
        utf8_percent_encode(&sig, RFC3986)
    );
    let body = http.post(url).send().await.unwrap().bytes().await.unwrap();
    match decode {
        0 => assert!(body.len() > 100),
        1 => assert!(serde_json::from_slice::<serde_json::Value>(&body).unwrap()["Data"]["Domain"].is_array()),
        _ => {
            let out: domain_sdk::operation::query_domain_list::QueryDomainListOutput =
                serde_json::from_slice(&body).unwrap();
            assert_eq!(out.data.map(|d| d.len()), Some(20));
        }
    }
}

fn client(kind: &str, endpoint: &str, calls: u32) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let sdk = domain_sdk::Client::builder()
        .endpoint(endpoint)
        .credentials(domain_sdk::Credentials::new("testid", "testsecret"))
        .no_proxy()
        .build()
        .unwrap();
    /// An interceptor that does nothing: what registering one costs.
    #[derive(Debug)]
    struct NoOp;
    impl domain_sdk::interceptor::Interceptor for NoOp {}
    let with_interceptor = domain_sdk::Client::builder()
        .endpoint(endpoint)
        .credentials(domain_sdk::Credentials::new("testid", "testsecret"))
        .no_proxy()
        .interceptor(NoOp)
        .build()
        .unwrap();
    // A plain reqwest client (the SDK's helper only supplies the TLS provider reqwest needs to build one).
    let http = domain_sdk::transport::http_client_builder()
        .unwrap()
        .no_proxy()
        .build()
        .unwrap();
    let once = |_: u32| match kind {
        "domain-sdk-interceptor" => {
            let out = rt
                .block_on(with_interceptor.query_domain_list().page_num(1).page_size(20).send())
                .unwrap();
            assert_eq!(out.data.map(|d| d.len()), Some(20));
        }
        "domain-sdk" => {
            let out = rt
                .block_on(sdk.query_domain_list().page_num(1).page_size(20).send())
                .unwrap();
            assert_eq!(out.data.map(|d| d.len()), Some(20));
        }
        "domain-sdk-blocking" => {
            use domain_sdk::blocking::SendBlocking as _;
            let out = sdk
                .query_domain_list()
                .page_num(1)
                .page_size(20)
                .send_blocking()
                .unwrap();
            assert_eq!(out.data.map(|d| d.len()), Some(20));
        }
        "floor" => rt.block_on(floor_call(&http, endpoint, 0)),
        "floor-json" => rt.block_on(floor_call(&http, endpoint, 1)),
        "floor-typed" => rt.block_on(floor_call(&http, endpoint, 2)),
        other => panic!("unknown client {other}"),
    };
    (0..calls / 10 + 1).for_each(once); // warm up: connection, allocator, caches
    let (cpu0, t0) = (cpu_us(), Instant::now());
    (0..calls).for_each(once);
    let (cpu, wall) = (cpu_us() - cpu0, t0.elapsed().as_secs_f64());
    println!("{:.0} {:.1}", f64::from(calls) / wall, cpu / f64::from(calls));
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["serve"] => serve(),
        ["client", kind, endpoint, calls] => client(kind, endpoint, calls.parse().expect("a number of calls")),
        _ => {
            eprintln!(
                "usage: callbench serve | callbench client <domain-sdk|domain-sdk-interceptor|domain-sdk-blocking|floor|floor-typed> <endpoint> <calls>"
            );
            std::process::exit(2);
        }
    }
}
