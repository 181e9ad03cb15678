//! Criterion micro-benchmarks of the hot path: signing, encoding a request, decoding a large answer.
//! Run: `cargo bench -p domain-sdk --bench micro`.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use domain_sdk::operation::query_domain_list::QueryDomainListOutput;
use domain_sdk::operation::save_batch_task_for_creating_order_activate::{
    OrderActivateParam, SaveBatchTaskForCreatingOrderActivateInput,
};
use domain_sdk::signing;

fn common() -> Vec<(&'static str, &'static str)> {
    vec![
        ("Action", "QueryDomainList"),
        ("Version", "2018-01-29"),
        ("Format", "JSON"),
        ("AccessKeyId", "LTAI5tQ8example"),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
        ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
        ("Timestamp", "2026-11-23T12:46:24Z"),
    ]
}

fn sign(params: &[(&str, &str)]) -> String {
    let canonical = signing::canonical_query(params);
    signing::sign("secret-value", &signing::string_to_sign("POST", &canonical))
}

/// The hand-written floor's signer (as in `bench/src/main.rs`): sort, encode, join, HMAC-SHA1, Base64.
fn floor_sign(params: &[(&str, &str)]) -> String {
    use base64::Engine as _;
    use hmac::Mac as _;
    use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
    const RFC3986: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');
    let mut sorted = params.to_vec();
    sorted.sort_unstable();
    let canonical: Vec<String> = sorted
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                utf8_percent_encode(k, RFC3986),
                utf8_percent_encode(v, RFC3986)
            )
        })
        .collect();
    let sts = format!("POST&%2F&{}", utf8_percent_encode(&canonical.join("&"), RFC3986));
    let mut mac = hmac::Hmac::<sha1::Sha1>::new_from_slice(b"secret-value&").unwrap();
    mac.update(sts.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// SaveBatchTaskForCreatingOrderActivate with 10 items of all 26 fields.
fn order_input() -> SaveBatchTaskForCreatingOrderActivateInput {
    let mut input = SaveBatchTaskForCreatingOrderActivateInput::default();
    let items = (0..10)
        .map(|i| {
            OrderActivateParam::new()
                .domain_name(format!("example{i}.com"))
                .registrant_profile_id(1_234_567)
                .subscription_duration(1)
                .aliyun_dns(true)
                .permit_premium_activation(false)
                .enable_domain_proxy(true)
                .trademark_domain_activation(false)
                .dns1("ns1.example.com")
                .dns2("ns2.example.com")
                .registrant_type("1")
                .registrant_name("zhang san")
                .registrant_organization("zhang san")
                .zh_registrant_name("张三")
                .zh_registrant_organization("张三")
                .country("CN")
                .province("zhe jiang")
                .zh_province("浙江")
                .city("hang zhou shi")
                .zh_city("杭州市")
                .address("wen yi xi lu 969 hao")
                .zh_address("文一西路969号")
                .postal_code("310024")
                .email("username@example.com")
                .tel_area("86")
                .telephone("1829756****")
                .tel_ext("1234")
        })
        .collect();
    input.order_activate_param = Some(items);
    input
}

fn domain_list_json(n: usize) -> String {
    let domains: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"DomainName": "example{i}.com", "InstanceId": "S2019{i:06}", "DomainType": "gTLD", "DomainStatus": "3",
                "ExpirationDate": "Nov 02,2027 04:00:45", "ExpirationDateLong": 1825216845000, "RegistrationDate": "Nov 02,2017 04:00:45",
                "RegistrationDateLong": 1509595245000, "Premium": false, "DomainAuditStatus": "SUCCEED", "ExpirationDateStatus": "1",
                "ExpirationCurrDateDiff": 345, "ProductId": "2", "RegistrantType": "1", "DomainGroupId": "1", "DomainGroupName": "default", "Remark": ""}}"#
            )
        })
        .collect();
    format!(
        r#"{{"RequestId": "R", "TotalItemNum": {n}, "CurrentPageNum": 1, "TotalPageNum": 1, "PageSize": {n}, "PrePage": false, "NextPage": false, "Data": {{"Domain": [{}]}}}}"#,
        domains.join(",")
    )
}

fn benches(c: &mut Criterion) {
    let query: Vec<(&str, &str)> = common()
        .into_iter()
        .chain([("PageNum", "1"), ("PageSize", "20")])
        .collect();
    assert_eq!(sign(&query), floor_sign(&query), "both signers agree");
    c.bench_function("sign QueryDomainList", |b| b.iter(|| sign(black_box(&query))));
    c.bench_function("sign QueryDomainList (hand-written floor)", |b| {
        b.iter(|| floor_sign(black_box(&query)))
    });

    let input = order_input();
    c.bench_function("encode SaveBatchTaskForCreatingOrderActivate 10x26", |b| {
        b.iter(|| domain_sdk::__private::BuildRequest::build_request(black_box(&input)).unwrap())
    });
    let request = domain_sdk::__private::BuildRequest::build_request(&input).unwrap();
    let mut order: Vec<(&str, &str)> = common();
    order.extend(request.params().iter().map(|(k, v)| (k.as_ref(), v.as_str())));
    assert_eq!(order.len(), 8 + 260);
    assert_eq!(sign(&order), floor_sign(&order), "both signers agree");
    c.bench_function("sign SaveBatchTaskForCreatingOrderActivate 10x26", |b| {
        b.iter(|| sign(black_box(&order)))
    });
    c.bench_function(
        "sign SaveBatchTaskForCreatingOrderActivate 10x26 (hand-written floor)",
        |b| b.iter(|| floor_sign(black_box(&order))),
    );

    let json = domain_list_json(1000);
    c.bench_function("decode QueryDomainList 1000 domains", |b| {
        b.iter(|| {
            let out: QueryDomainListOutput = serde_json::from_str(black_box(&json)).unwrap();
            assert_eq!(out.data.map(|d| d.len()), Some(1000));
        })
    });
}

criterion_group!(micro, benches);
criterion_main!(micro);
