//! The public API as a user's native crate (a server, shared SSR code) meets it.
#![cfg(not(target_arch = "wasm32"))]

use sezzle_session::{
    parse_session, DateTime, Environment, ErrorKind, Id, IssueCode, Method, Outcome, ParseError,
    Region,
};

const SEED: &str = include_str!("../../fixtures/valid/seed.json");

#[test]
fn a_payload_parses_from_a_str_a_string_and_bytes() {
    let from_str = parse_session(SEED).unwrap();
    let owned: String = SEED.into(); // (a body read into a String)
    let from_string = parse_session(owned).unwrap();
    let from_bytes = parse_session(SEED.as_bytes()).unwrap();
    assert_eq!(from_str, from_string);
    assert_eq!(from_str, from_bytes);
    // Ids and date-times compare with text and print as they came.
    let session = from_str.session;
    assert_eq!(session.uuid, "fadbc642-05a4-4e38-9e74-80e325623af9");
    assert_eq!(
        format!("{}", session.uuid),
        "fadbc642-05a4-4e38-9e74-80e325623af9"
    );
    let expiration = session.tokenize.unwrap().expiration.unwrap();
    assert_eq!(expiration.to_string(), "2020-04-27T14:46:59.000Z");
    assert_eq!(
        sezzle_consumer::checkout_link(SEED).unwrap().as_deref(),
        session
            .order
            .map(|o| o.checkout_url.unwrap().as_str().to_owned())
            .as_deref()
    );
}

#[test]
fn one_parse_error_for_ids_and_date_times() {
    let errors: Vec<ParseError> = vec![
        Id::parse("").unwrap_err(),
        DateTime::parse("yesterday").unwrap_err(),
    ];
    assert_eq!(errors[0].to_string(), "not an id: must not be empty");
    assert!(errors[1]
        .to_string()
        .starts_with("not an RFC 3339 date-time: "));
    let boxed: Box<dyn std::error::Error> = Box::new(errors[0].clone());
    assert_eq!(boxed.to_string(), "not an id: must not be empty");
}

#[test]
fn configuration_text_becomes_environment_and_region() {
    let (environment, region): (Environment, Region) =
        ("production".parse().unwrap(), "eu".parse().unwrap());
    assert_eq!((environment, region), (Environment::Production, Region::Eu));
    assert_eq!(environment.to_string(), "production");
    assert_eq!(Environment::default(), Environment::Sandbox);
    let typo = "prod".parse::<Environment>().unwrap_err();
    assert_eq!(
        typo.reason(),
        r#"must be "sandbox" or "production", got "prod""#
    );
}

#[test]
fn the_enums_that_grow_are_matched_with_a_wildcard() {
    // #[non_exhaustive]: outside the crate, a match needs its `_` arm (this compiles only so).
    let kind = |k: ErrorKind| match k {
        ErrorKind::Http => "http",
        ErrorKind::Internal => "internal",
        _ => "other",
    };
    assert_eq!(kind(ErrorKind::Internal), "internal");
    assert_eq!(kind(ErrorKind::Timeout), "other");
    let code = |c: IssueCode| match c {
        IssueCode::Required => "required",
        _ => c.as_str(),
    };
    assert_eq!(code(IssueCode::UnsafeUrl), "unsafe_url");
    let outcome = |o: Outcome| match o {
        Outcome::Answer => "answer",
        _ => o.as_str(),
    };
    assert_eq!(outcome(Outcome::Timeout), "timeout");
    assert_eq!(Method::Post.to_string(), "POST");
}

#[test]
fn an_invalid_payload_names_every_issue() {
    let link = sezzle_consumer::checkout_link(
        r#"{"uuid": "s1", "order": {"uuid": "o1", "checkout_url": "javascript:alert(1)"}}"#,
    );
    let message = link.unwrap_err();
    assert!(message.contains("order.checkout_url"), "{message}");
}
