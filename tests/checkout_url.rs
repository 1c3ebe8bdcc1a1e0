//! Extraction: a checkout or approval URL comes out only when it points at Sezzle.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::parse_ok;
use sezzle_session::{
    approval_url, checkout_url, find_link, parse_session, IssueCode, Method, PathSegment, Session,
    APPROVAL_HOSTS, CHECKOUT_HOSTS,
};

fn with_checkout_url(url: &str) -> Session {
    let payload = serde_json::json!({"uuid": "s", "order": {"uuid": "o", "checkout_url": url}});
    parse_session(serde_json::to_vec(&payload).unwrap())
        .unwrap_or_else(|e| panic!("{url}: {e}"))
        .session
}

fn unsafe_reason(url: &str, hosts: &[&str]) -> String {
    let error = checkout_url(&with_checkout_url(url), hosts).expect_err(url);
    let issue = &error.issues()[0];
    assert_eq!(issue.code, IssueCode::UnsafeUrl, "{url}");
    assert_eq!(
        issue.path,
        vec![
            PathSegment::from("order"),
            PathSegment::from("checkout_url")
        ]
    );
    issue.message.clone()
}

#[test]
fn seed_checkout_and_approval_urls_are_safe() {
    let session = parse_ok("valid/seed.json").session;
    let url = checkout_url(&session, &CHECKOUT_HOSTS).unwrap().unwrap();
    assert_eq!(
        url.as_str(),
        "https://checkout.sezzle.com/?id=12a34bc5-6de7-890f-g123-4hi1238jk902"
    );
    let approval = approval_url(&session, &APPROVAL_HOSTS).unwrap().unwrap();
    assert!(approval
        .as_str()
        .starts_with("https://dashboard.sezzle.com/customer/"));
}

#[test]
fn all_four_checkout_hosts_are_safe_with_or_without_slash() {
    for url in [
        "https://checkout.sezzle.com/?id=1",
        "https://checkout.eu.sezzle.com?id=1",
        "https://sandbox.checkout.sezzle.com/?id=1",
        "https://sandbox.checkout.eu.sezzle.com?id=1",
        "https://CHECKOUT.sezzle.com:443/?id=1",
    ] {
        let session = with_checkout_url(url);
        assert_eq!(
            checkout_url(&session, &CHECKOUT_HOSTS)
                .unwrap()
                .unwrap()
                .as_str(),
            url
        );
    }
}

#[test]
fn look_alike_and_foreign_hosts_are_unsafe() {
    for url in [
        "https://checkout.sezzle.com.evil.example/?id=1",
        "https://evilcheckout.sezzle.com/?id=1",
        "https://sezzle.com/?id=1",
        "https://checkout.sezzle.co/?id=1",
        "https://dashboard.sezzle.com/?id=1",
        "https://checkout.sezzle.com:8443/?id=1",
    ] {
        assert!(
            unsafe_reason(url, &CHECKOUT_HOSTS).contains("is not an allowed checkout host"),
            "{url}"
        );
    }
}

#[test]
fn userinfo_and_loopback_http_are_unsafe_for_checkout() {
    assert!(
        unsafe_reason("https://checkout.sezzle.com@evil.example/", &CHECKOUT_HOSTS)
            .contains("user name")
    );
    assert!(
        unsafe_reason("https://user:pass@checkout.sezzle.com/", &CHECKOUT_HOSTS)
            .contains("user name")
    );
    assert!(unsafe_reason("http://127.0.0.1:8787/?id=1", &["127.0.0.1:8787"]).contains("https"));
}

#[test]
fn javascript_checkout_url_fails_parsing_as_unsafe() {
    let payload = br#"{"uuid":"s","order":{"uuid":"o","checkout_url":"javascript:alert(1)"}}"#;
    let error = parse_session(payload).unwrap_err();
    assert_eq!(error.issues()[0].code, IssueCode::UnsafeUrl);
}

#[test]
fn allowed_hosts_replace_sezzle_hosts() {
    let session = with_checkout_url("https://pay.example.test/c/1");
    assert!(checkout_url(&session, &["pay.example.test"])
        .unwrap()
        .is_some());
    let sezzle = with_checkout_url("https://checkout.sezzle.com/?id=1");
    assert!(checkout_url(&sezzle, &["pay.example.test"]).is_err());
    let with_port = with_checkout_url("https://pay.example.test:8443/c/1");
    assert!(checkout_url(&with_port, &["pay.example.test:8443"])
        .unwrap()
        .is_some());
    assert!(checkout_url(&with_port, &["pay.example.test"]).is_err());
}

#[test]
fn no_order_or_no_checkout_url_gives_none() {
    let tokenize_only = parse_ok("valid/tokenize-only.json").session;
    assert!(checkout_url(&tokenize_only, &CHECKOUT_HOSTS)
        .unwrap()
        .is_none());
    let bare = parse_session(br#"{"uuid":"s","order":{"uuid":"o"}}"#)
        .unwrap()
        .session;
    assert!(checkout_url(&bare, &CHECKOUT_HOSTS).unwrap().is_none());
    assert!(approval_url(&bare, &APPROVAL_HOSTS).unwrap().is_none());
}

#[test]
fn foreign_approval_host_is_unsafe_at_its_path() {
    let payload = br#"{"uuid":"s","tokenize":{"token":"t","approval_url":"https://dashboard.sezzle.evil.example/a"}}"#;
    let session = parse_session(payload).unwrap().session;
    let error = approval_url(&session, &APPROVAL_HOSTS).unwrap_err();
    assert_eq!(error.issues()[0].path_text(), "tokenize.approval_url");
}

#[test]
fn find_link_tells_self_links_apart_by_method() {
    let order = parse_ok("valid/seed.json").session.order.unwrap();
    let get = find_link(&order.links, "self", Method::Get).unwrap();
    let patch = find_link(&order.links, "self", Method::Patch).unwrap();
    assert_eq!((get.method, patch.method), (Method::Get, Method::Patch));
    assert!(find_link(&order.links, "capture", Method::Post)
        .unwrap()
        .href
        .as_str()
        .ends_with("/capture"));
    assert!(find_link(&order.links, "capture", Method::Get).is_none());
    assert!(find_link(&order.links, "nope", Method::Get).is_none());
}
