//! Valid payloads: every documented shape parses, into one typed shape.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{fixture, parse_ok};
use sezzle_session::{Intent, IssueCode, Method, PathSegment};

fn codes(parsed: &sezzle_session::Parsed) -> Vec<(String, IssueCode)> {
    parsed
        .warnings
        .iter()
        .map(|w| (w.path_text(), w.code))
        .collect()
}

#[test]
fn seed_payload_parses_with_tokenize_moved_to_the_top_level() {
    let parsed = parse_ok("valid/seed.json");
    let s = &parsed.session;
    assert_eq!(s.uuid.as_str(), "fadbc642-05a4-4e38-9e74-80e325623af9");
    assert_eq!(s.links.len(), 1);
    assert_eq!(s.links[0].method, Method::Get);
    let order = s.order.as_ref().expect("order");
    // Sezzle's documented order uuid is not hexadecimal; it must still parse.
    assert_eq!(order.uuid.as_str(), "12a34bc5-6de7-890f-g123-4hi1238jk902");
    assert_eq!(order.intent, Some(Intent::Capture));
    assert_eq!(order.links.len(), 5);
    let tokenize = s.tokenize.as_ref().expect("tokenize at the top level");
    assert_eq!(
        tokenize.token.as_str(),
        "7ec98824-67cc-469c-86ab-f9e047f9cf1a"
    );
    assert_eq!(
        tokenize.expiration.as_ref().map(|e| e.as_str()),
        Some("2020-04-27T14:46:59.000Z")
    );
    assert_eq!(
        codes(&parsed),
        vec![("order.tokenize".to_owned(), IssueCode::TokenizeInOrder)]
    );
}

#[test]
fn both_documented_shapes_give_the_same_session() {
    let nested = parse_ok("valid/seed.json").session;
    let top = parse_ok("valid/tokenize-top-level.json");
    assert_eq!(nested, top.session);
    assert!(top.warnings.is_empty(), "{:?}", top.warnings);
}

#[test]
fn key_order_does_not_matter() {
    assert_eq!(
        parse_ok("valid/reordered-keys.json").session,
        parse_ok("valid/seed.json").session
    );
}

#[test]
fn order_only_and_tokenize_only_sessions_parse() {
    let order_only = parse_ok("valid/order-only.json").session;
    assert!(order_only.order.is_some() && order_only.tokenize.is_none());
    let tokenize_only = parse_ok("valid/tokenize-only.json").session;
    assert!(tokenize_only.order.is_none() && tokenize_only.tokenize.is_some());
}

#[test]
fn null_optional_fields_are_absent_and_null_links_are_empty() {
    let s = parse_ok("valid/null-optionals.json").session;
    assert!(s.links.is_empty());
    assert!(s.tokenize.is_none());
    let order = s.order.expect("order");
    assert!(order.intent.is_none() && order.checkout_url.is_none() && order.links.is_empty());
    let json = serde_json::to_value(parse_ok("valid/null-optionals.json").session).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"uuid": "fadbc642-05a4-4e38-9e74-80e325623af9", "links": [], "order": {"uuid": "o-1", "links": []}})
    );
}

#[test]
fn unknown_fields_are_warnings_and_left_out() {
    let parsed = parse_ok("valid/unknown-fields.json");
    let mut found = codes(&parsed);
    found.sort();
    assert_eq!(
        found,
        vec![
            ("links[0].title".to_owned(), IssueCode::UnknownField),
            ("merchant_note".to_owned(), IssueCode::UnknownField),
            ("order.amount".to_owned(), IssueCode::UnknownField),
            ("tokenize.customer".to_owned(), IssueCode::UnknownField),
        ]
    );
    assert_eq!(
        parsed.session,
        parse_ok("valid/tokenize-top-level.json").session
    );
}

#[test]
fn eu_and_sandbox_sessions_parse() {
    let eu = parse_ok("valid/eu-hosts.json").session;
    assert_eq!(eu.order.unwrap().intent, Some(Intent::Auth));
    let sandbox = parse_ok("valid/sandbox-both.json").session;
    assert_eq!(
        sandbox.tokenize.unwrap().expiration.unwrap().as_str(),
        "2030-01-01T00:00:00+01:00"
    );
}

#[test]
fn serialised_session_keeps_wire_names() {
    let json = serde_json::to_value(parse_ok("valid/seed.json").session).unwrap();
    let expected: serde_json::Value =
        serde_json::from_slice(&fixture("valid/tokenize-top-level.json")).unwrap();
    assert_eq!(json, expected);
}

#[test]
fn tokenize_in_both_places_uses_the_top_level_one() {
    let payload = br#"{"uuid":"s","order":{"uuid":"o","tokenize":{"token":"nested"}},"tokenize":{"token":"top"}}"#;
    let parsed = sezzle_session::parse_session(payload).unwrap();
    assert_eq!(parsed.session.tokenize.unwrap().token.as_str(), "top");
    assert_eq!(parsed.warnings[0].code, IssueCode::DuplicateTokenize);
    assert_eq!(
        parsed.warnings[0].path,
        vec![PathSegment::from("order"), PathSegment::from("tokenize")]
    );
}

#[test]
fn a_leading_byte_order_mark_is_skipped() {
    let mut payload = b"\xEF\xBB\xBF".to_vec();
    payload.extend(fixture("valid/seed.json"));
    assert!(sezzle_session::parse_session(&payload).is_ok());
}
