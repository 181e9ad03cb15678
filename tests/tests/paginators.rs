//! Paginators over the loopback server: several pages, an empty result, the documented maximum page size,
//! scroll ids, and an error mid-way.

use domain_sdk::operation::query_task_detail_list;
use domain_sdk::Error;
use e2e::{client_without_retries, start_server, Reply};
use futures_util::{StreamExt as _, TryStreamExt as _};

fn domain_page(names: &[&str], next_page: Option<bool>, total_pages: Option<i32>) -> Reply {
    let data: Vec<String> = names.iter().map(|n| format!(r#"{{"DomainName": "{n}"}}"#)).collect();
    let mut body = format!(r#"{{"RequestId": "R", "Data": {{"Domain": [{}]}}"#, data.join(","));
    if let Some(n) = next_page {
        body.push_str(&format!(r#", "NextPage": {n}"#));
    }
    if let Some(t) = total_pages {
        body.push_str(&format!(r#", "TotalPageNum": {t}"#));
    }
    body.push('}');
    Reply::Json { status: 200, body }
}

#[tokio::test]
async fn items_span_every_page_in_order() {
    let server = start_server().await;
    server.script("QueryDomainList", domain_page(&["a.com", "b.com"], Some(true), Some(3)));
    server.script("QueryDomainList", domain_page(&["c.com", "d.com"], Some(true), Some(3)));
    server.script("QueryDomainList", domain_page(&["e.com"], Some(false), Some(3)));
    let client = client_without_retries(&server);
    let names: Vec<String> = client
        .query_domain_list()
        .page_size(2)
        .into_paginator()
        .items()
        .map_ok(|d| d.domain_name.unwrap_or_default())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(names, ["a.com", "b.com", "c.com", "d.com", "e.com"]);
    let pages: Vec<String> = server.requests().iter().filter_map(|r| r.param("PageNum")).collect();
    assert_eq!(pages, ["1", "2", "3"]);
    assert!(server
        .requests()
        .iter()
        .all(|r| r.param("PageSize").as_deref() == Some("2")));
}

#[tokio::test]
async fn an_empty_result_is_one_empty_page() {
    let server = start_server().await;
    server.script(
        "QueryDomainList",
        Reply::Json {
            status: 200,
            body: r#"{"Data": {"Domain": []}, "TotalItemNum": 0, "NextPage": false}"#.into(),
        },
    );
    let client = client_without_retries(&server);
    let pages: Vec<_> = client
        .query_domain_list()
        .page_num(1)
        .page_size(20)
        .into_paginator()
        .pages()
        .collect()
        .await;
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].as_ref().unwrap().total_item_num, Some(0));
    server.script(
        "QueryDomainList",
        Reply::Json {
            status: 200,
            body: r#"{"Data": {"Domain": []}, "NextPage": true}"#.into(),
        },
    );
    let items: Vec<_> = client
        .query_domain_list()
        .page_size(20)
        .into_paginator()
        .items()
        .collect()
        .await;
    assert!(
        items.is_empty(),
        "an empty page ends the listing even if NextPage says otherwise"
    );
    assert_eq!(server.request_count(), 2);
}

#[tokio::test]
async fn the_documented_maximum_page_size_pages_by_total_page_count() {
    assert_eq!(query_task_detail_list::MAX_PAGE_SIZE, 1000);
    let server = start_server().await;
    let details = |n: usize, offset: usize| -> String {
        let d: Vec<String> = (0..n)
            .map(|i| format!(r#"{{"DomainName": "d{}.com", "TaskStatusCode": 2}}"#, i + offset))
            .collect();
        format!(
            r#"{{"Data": {{"TaskDetail": [{}]}}, "TotalPageNum": 2, "CurrentPageNum": 1}}"#,
            d.join(",")
        )
    };
    server.script(
        "QueryTaskDetailList",
        Reply::Json {
            status: 200,
            body: details(1000, 0),
        },
    );
    server.script(
        "QueryTaskDetailList",
        Reply::Json {
            status: 200,
            body: details(3, 1000),
        },
    );
    let client = client_without_retries(&server);
    let items: Vec<_> = client
        .query_task_detail_list()
        .task_no("t")
        .page_size(query_task_detail_list::MAX_PAGE_SIZE)
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 1003);
    assert_eq!(items[1002].domain_name.as_deref(), Some("d1002.com"));
    let sent: Vec<(Option<String>, Option<String>)> = server
        .requests()
        .iter()
        .map(|r| (r.param("PageNum"), r.param("PageSize")))
        .collect();
    assert_eq!(
        sent,
        [
            (Some("1".into()), Some("1000".into())),
            (Some("2".into()), Some("1000".into()))
        ]
    );
}

#[tokio::test]
async fn scroll_domain_list_follows_scroll_ids() {
    let server = start_server().await;
    let page = |scroll: &str, names: &[&str]| {
        let data: Vec<String> = names.iter().map(|n| format!(r#"{{"DomainName": "{n}"}}"#)).collect();
        Reply::Json {
            status: 200,
            body: format!(
                r#"{{"ScrollId": "{scroll}", "Data": {{"Domain": [{}]}}}}"#,
                data.join(",")
            ),
        }
    };
    server.script("ScrollDomainList", page("s1", &["a.com", "b.com"]));
    server.script("ScrollDomainList", page("s2", &["c.com"]));
    server.script("ScrollDomainList", page("s3", &[]));
    let client = client_without_retries(&server);
    let items: Vec<_> = client
        .scroll_domain_list()
        .page_size(2)
        .into_paginator()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(items.len(), 3);
    let scrolls: Vec<Option<String>> = server.requests().iter().map(|r| r.param("ScrollId")).collect();
    assert_eq!(scrolls, [None, Some("s1".into()), Some("s2".into())]);
}

#[tokio::test]
async fn an_error_ends_the_stream_after_the_pages_before_it() {
    let server = start_server().await;
    server.script("QueryDomainList", domain_page(&["a.com"], Some(true), None));
    server.script(
        "QueryDomainList",
        Reply::Json {
            status: 400,
            body: r#"{"Code": "InvalidParameter", "Message": "m"}"#.into(),
        },
    );
    let client = client_without_retries(&server);
    let pages: Vec<Result<_, Error>> = client
        .query_domain_list()
        .page_size(1)
        .into_paginator()
        .pages()
        .collect()
        .await;
    assert_eq!(pages.len(), 2);
    assert!(pages[0].is_ok());
    assert_eq!(pages[1].as_ref().unwrap_err().code(), Some("InvalidParameter"));
}
