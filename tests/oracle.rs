//! The parser (`src/fast/`) against its oracle (`validate.rs`, through `serde_json::Value`):
//! the same verdict, the same issue paths and codes, the same session, on every fixture and
//! on the shapes that are hard for a one-pass parser (duplicate keys, tokenize in two places,
//! wrong types, deep nesting, escapes, numbers).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::fixture_path;
use sezzle_session::__internals::oracle_parse_session;
use sezzle_session::{parse_session, Issue, MAX_ISSUES};
use std::collections::BTreeSet;

fn keys(issues: &[Issue]) -> BTreeSet<String> {
    issues
        .iter()
        .map(|i| format!("{} {}", i.path_text(), i.code.as_str()))
        .collect()
}

/// The parser and the oracle agree on `input`.
fn agrees(input: &[u8]) {
    let shown = String::from_utf8_lossy(input);
    match (parse_session(input), oracle_parse_session(input)) {
        (Ok(ours), Ok(oracle)) => {
            assert_eq!(ours.session, oracle.session, "{shown}");
            // Past the cap the two keep different warnings: the parser the first in document
            // order, the oracle (a sorted map) the first by key.
            if ours.warnings.len() < MAX_ISSUES && oracle.warnings.len() < MAX_ISSUES {
                assert_eq!(keys(&ours.warnings), keys(&oracle.warnings), "{shown}");
            }
        }
        (Err(ours), Err(oracle)) => {
            if ours.issues().len() < MAX_ISSUES && oracle.issues().len() < MAX_ISSUES {
                assert_eq!(keys(ours.issues()), keys(oracle.issues()), "{shown}");
            }
        }
        (ours, oracle) => panic!("{shown}: the parser says {ours:?}, the oracle {oracle:?}"),
    }
}

fn fixtures(dir: &str) -> Vec<Vec<u8>> {
    let mut paths: Vec<_> = std::fs::read_dir(fixture_path(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| std::fs::read(p).unwrap())
        .collect()
}

#[test]
fn every_fixture() {
    for bytes in fixtures("valid").into_iter().chain(fixtures("invalid")) {
        agrees(&bytes);
    }
}

#[test]
fn shapes_a_one_pass_parser_finds_hard() {
    for input in [
        // duplicate keys: the last counts, as in JSON.parse
        &br#"{"uuid":"s","extra":1,"extra":2}"#[..],
        br#"{"uuid":"s","uuid":"t"}"#,
        br#"{"uuid":"a b","uuid":"t"}"#,
        br#"{"uuid":"t","uuid":null}"#,
        br#"{"uuid":"s","order":{"uuid":"o","intent":"AUTH"},"order":{"uuid":"p"}}"#,
        br#"{"uuid":"s","order":{"uuid":"o","tokenize":{"token":"t"}},"order":{"uuid":"p"}}"#,
        br#"{"uuid":"s","links":[{"href":"https://x.example/","rel":"a","rel":"","rel":"b"}]}"#,
        br#"{"uuid":"s","order":{"uuid":"o","links":null,"links":null,"expirize":null},"orderize":null}"#,
        // tokenize in both places: the top-level one is used
        br#"{"uuid":"s","tokenize":{"token":"t"},"order":{"uuid":"o","tokenize":{"token":"t"}}}"#,
        br#"{"uuid":"s","order":{"uuid":"o","tokenize":{"token":"bad token"}},"tokenize":{"token":"t"}}"#,
        br#"{"uuid":"s","order":{"uuid":"o","tokenize":{"token":"n"}},"tokenize":null}"#,
        br#"{"uuid":"s","order":{"uuid":"o","tokenize":5},"tokenize":{"token":"t","x":1}}"#,
        br#"{"uuid":"s","order":{"uuid":"o","tokenize":5}}"#,
        br#"{"uuid":"s","tokenize":{"token":"t"},"tokenize":null,"order":{"uuid":"o","tokenize":{"token":"u"}}}"#,
        // wrong types, nulls, missing fields
        br#"{"uuid":null}"#,
        br#"{}"#,
        br#"[]"#,
        br#""s""#,
        br#"{"uuid":5,"links":{},"order":[],"tokenize":"t"}"#,
        br#"{"uuid":"s","links":[1,null,{"href":5,"method":"get","rel":[]}]}"#,
        br#"{"uuid":"s","order":{"intent":"SALE","checkout_url":"http://x.example/","links":null}}"#,
        br#"{"uuid":"s","tokenize":{"token":"t","expiration":"yesterday","approval_url":"javascript:x"}}"#,
        br#"{"uuid":"s","links":[{"href":"https://x.example/","rel":"self"}]}"#,
        br#"{"uuid":"s","links":[{"href":"https://x.example/","method":null,"rel":"self"}]}"#,
        br#"{"uuid":"s","links":[{"href":"https://x.example/","method":"GET"}]}"#,
        br#"{"uuid":"s","links":[{"href":" https://x.example/a ","method":"GET","rel":"r"}]}"#,
        br#"{"uuid":"s","order":{"uuid":"o","checkout_url":"\t https:\/\/checkout.sezzle.com\/?id=1\n"}}"#,
        br#"{"uuid":"s","order":{"uuid":"o","checkout_url":"https://checkout.sezzle.com/a b"}}"#,
        br#"{"uuid":"s","order":{"uuid":"o","checkout_url":"   "}}"#,
        br#"{"uuid":"s","links":[{"uuid":"x","href":"https://x.example/","rel":"r","order":1}]}"#,
        // grammar, escapes, numbers
        br#"{"uuid":"s","extra":1e400}"#,
        br#"{"uuid":"s","extra":-1e308,"more":1e-400,"big":123456789012345678901234567890}"#,
        br#"{"uuid":"s","extra":01}"#,
        br#"{"uuid":"s","extra":[1,]}"#,
        br#"{"uuid":"s","ex\u0074ra":1,"\u0075uid":"t"}"#,
        br#"{"uuid":"s\ud800"}"#,
        br#"{"uuid":"s\udc00"}"#,
        br#"{"uuid":"s\x"}"#,
        br#"{"uuid":"s\u00e9\ud83d\ude00","links":[{"href":"https:\/\/x.example\/a?b=1\u0026c=2","method":"GET","rel":"self"}]}"#,
        br#"{"uuid":"s",}"#,
        br#"{"uuid":"s"} x"#,
        br#"{"uuid":"s""#,
        b"{\"uuid\":\"s\xff\"}",
        b"{\"uuid\":\"s\tt\"}",
        b"\xEF\xBB\xBF{\"uuid\":\"s\"}",
        b"",
        b"   ",
        b"nul",
        br#"{"uuid":"s","x":tru}"#,
    ] {
        agrees(input);
    }
}

#[test]
fn nesting_at_and_past_the_limit() {
    for levels in [126, 127, 128, 129, 5000] {
        let arrays = levels - 1;
        let text = format!(
            r#"{{"uuid":"s","x":{}{}}}"#,
            "[".repeat(arrays),
            "]".repeat(arrays)
        );
        agrees(text.as_bytes());
        let objects = format!(
            r#"{{"uuid":"s","x":{}1{}}}"#,
            r#"{"a":"#.repeat(arrays),
            "}".repeat(arrays)
        );
        agrees(objects.as_bytes());
    }
}

#[test]
fn issues_come_in_document_order() {
    let input = br#"{"links":[{"href":"http://x.example/","method":"get"}],"order":{"intent":"SALE"},"uuid":5}"#;
    let error = parse_session(input).unwrap_err();
    let got: Vec<String> = error
        .issues()
        .iter()
        .map(|i| format!("{} {}", i.path_text(), i.code.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            "links[0].href unsafe_url",
            "links[0].method invalid_enum",
            "links[0].rel required",
            "order.intent invalid_enum",
            "order.uuid required",
            "uuid invalid_type",
        ]
    );
    agrees(input);
}

#[test]
fn a_link_without_method_is_get_and_spaces_around_a_url_are_trimmed_with_a_warning() {
    let parsed = parse_session(
        br#"{"uuid":"s","tokenize":{"token":"t","links":[{"href":"https://x.example/t ","rel":"token"}]}}"#,
    )
    .unwrap();
    let link = &parsed.session.tokenize.as_ref().unwrap().links[0];
    assert_eq!(link.method, sezzle_session::Method::Get);
    assert_eq!(link.href.as_str(), "https://x.example/t");
    assert_eq!(parsed.warnings.len(), 1);
    assert_eq!(parsed.warnings[0].code.as_str(), "trimmed_url");
    assert_eq!(parsed.warnings[0].path_text(), "tokenize.links[0].href");
    // A space inside a URL is still an error.
    let error =
        parse_session(br#"{"uuid":"s","links":[{"href":"https://x.example/a b","rel":"r"}]}"#)
            .unwrap_err();
    assert_eq!(error.issues()[0].code.as_str(), "invalid_url");
}

#[test]
fn numbers_at_the_edge_of_an_f64() {
    for number in [
        "1.7976931348623157e308",
        "1.7976931348623158e308",
        "1.797693134862315807937e308",
        "1.797693134862315808e308",
        "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497791",
        "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792",
        "-1e309",
        "0.000001e314",
        "1e-400",
        "0e999999999999999999",
        "1e999999999999999999",
    ] {
        let payload = format!(r#"{{"uuid":"s","n":{number}}}"#);
        agrees(payload.as_bytes());
        let refused = parse_session(payload.as_bytes()).is_err();
        assert_eq!(refused, number.parse::<f64>().unwrap().is_infinite(), "{number}");
    }
}

#[test]
fn warnings_stop_at_the_issue_cap_as_the_oracle_does() {
    // 450 unknown fields after a tokenize in order: 451 warnings, of which 100 are kept.
    let mut input = String::from(r#"{"uuid":"s","order":{"uuid":"o","tokenize":{"token":"t"}}"#);
    for k in 0..450 {
        input.push_str(&format!(",\"k{k}\":{k}"));
    }
    input.push('}');
    agrees(input.as_bytes());
    let oracle = oracle_parse_session(input.as_bytes()).unwrap().warnings;
    assert_eq!(oracle.len(), MAX_ISSUES);
    let warnings = parse_session(input.as_bytes()).unwrap().warnings;
    assert_eq!(
        warnings.len(),
        MAX_ISSUES,
        "the first 100, in document order"
    );
    assert_eq!(warnings[0].path_text(), "order.tokenize");
    assert_eq!(warnings[MAX_ISSUES - 1].path_text(), "k98");
}
