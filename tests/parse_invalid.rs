//! Invalid payloads: each bad input in tests/fixtures/invalid/ gives exactly the issues
//! listed for it in expected.json, with their paths.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use common::{fixture, fixture_path};
use serde_json::{json, Value};
use sezzle_session::{parse_session, IssueCode, MAX_DEPTH, MAX_INPUT_BYTES, MAX_ISSUES};

#[test]
fn every_bad_fixture_gives_its_expected_issues() {
    let expected: serde_json::Map<String, Value> =
        serde_json::from_slice(&fixture("invalid/expected.json")).unwrap();
    let on_disk = std::fs::read_dir(fixture_path("invalid")).unwrap().count() - 1;
    assert_eq!(
        expected.len(),
        on_disk,
        "every bad input has an expectation"
    );
    for (name, want) in expected {
        let error = parse_session(fixture(&format!("invalid/{name}"))).expect_err(&name);
        let got: Vec<Value> = error
            .issues()
            .iter()
            .map(|i| json!({"path": i.path, "code": i.code}))
            .collect();
        assert_eq!(Value::Array(got), want, "{name}");
        assert!(
            error.to_string().contains(&error.issues()[0].path_text()),
            "{name}: {error}"
        );
    }
}

#[test]
fn malformed_json_reports_line_and_column() {
    let error = parse_session(fixture("invalid/truncated.json")).unwrap_err();
    let issue = &error.issues()[0];
    assert_eq!(issue.code, IssueCode::InvalidJson);
    assert_eq!((issue.line, issue.column), (Some(4), Some(0)));
    assert!(
        issue.message.contains("line 4, column 0"),
        "{}",
        issue.message
    );
    let error = parse_session(b"{\"uuid\": x}").unwrap_err();
    assert_eq!(
        (error.issues()[0].line, error.issues()[0].column),
        (Some(1), Some(10))
    );
}

#[test]
fn input_over_one_mebibyte_is_refused_before_parsing() {
    // Not JSON at all: the size check comes first.
    let error = parse_session(vec![b'x'; MAX_INPUT_BYTES + 1]).unwrap_err();
    assert_eq!(error.issues()[0].code, IssueCode::TooLarge);
    let mut at_limit = br#"{"uuid":"s","pad":""#.to_vec();
    at_limit.resize(MAX_INPUT_BYTES - 2, b'a');
    at_limit.extend(br#""}"#);
    assert!(parse_session(&at_limit).is_ok());
}

#[test]
fn deep_nesting_is_refused_without_exhausting_the_stack() {
    let depth = 100_000;
    let mut input = "[".repeat(depth);
    input.push_str(&"]".repeat(depth));
    let error = parse_session(input.as_bytes()).unwrap_err();
    assert_eq!(error.issues()[0].code, IssueCode::TooDeep);
}

/// A session nesting `levels` deep: the session object, then arrays in an unknown field.
fn nested(levels: usize) -> String {
    let arrays = levels - 1;
    format!(
        r#"{{"uuid":"s","x":{}{}}}"#,
        "[".repeat(arrays),
        "]".repeat(arrays)
    )
}

#[test]
fn the_depth_limit_is_the_documented_one_to_the_level() {
    assert_eq!(MAX_DEPTH, 127, "the README states 127");
    assert!(parse_session(nested(MAX_DEPTH).as_bytes()).is_ok());
    let error = parse_session(nested(MAX_DEPTH + 1).as_bytes()).unwrap_err();
    let issue = &error.issues()[0];
    assert_eq!(issue.code, IssueCode::TooDeep);
    assert!(
        issue
            .message
            .starts_with("the JSON nests deeper than 127 levels"),
        "{}",
        issue.message
    );
}

#[test]
fn issues_are_capped_at_one_hundred() {
    let links: Vec<Value> = (0..500).map(|_| json!({"href": 1})).collect();
    let input = serde_json::to_vec(&json!({"uuid": "s", "links": links})).unwrap();
    let error = parse_session(&input).unwrap_err();
    assert_eq!(error.issues().len(), MAX_ISSUES);
    assert!(
        error.to_string().ends_with("(and 99 more issues)"),
        "{error}"
    );
}

#[test]
fn messages_name_the_path_and_the_expected_type() {
    let error = parse_session(br#"{"uuid":"s","order":{"uuid":"o","links":[{"href":"https://a.example","method":"GET","rel":5}]}}"#).unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid session: order.links[0].rel: expected a string, got number"
    );
}
