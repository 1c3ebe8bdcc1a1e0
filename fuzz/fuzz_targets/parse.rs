//! Arbitrary bytes into the parser and the URL checks: nothing may panic (a panic in wasm
//! aborts the instance), the parser agrees with its oracle (`validate.rs`, through
//! `serde_json::Value`), and what it accepts holds up afterwards.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sezzle_session::__internals::oracle_parse_session;
use sezzle_session::{approval_url, checkout_url, find_link, parse_session, Issue, Method, WebUrl};
use std::collections::BTreeSet;

fn keys(issues: &[Issue]) -> BTreeSet<(String, &'static str)> {
    issues.iter().map(|i| (i.path_text(), i.code.as_str())).collect()
}

fuzz_target!(|data: &[u8]| {
    // The same verdict as the oracle, the same session, the same issue paths and codes.
    let ours = parse_session(data);
    match (&ours, oracle_parse_session(data)) {
        (Ok(ours), Ok(oracle)) => {
            assert_eq!(ours.session, oracle.session);
            assert_eq!(keys(&ours.warnings), keys(&oracle.warnings));
        }
        (Err(ours), Err(oracle)) => {
            let max = sezzle_session::MAX_ISSUES;
            if ours.issues().len() < max && oracle.issues().len() < max {
                assert_eq!(keys(ours.issues()), keys(oracle.issues()));
            }
        }
        (ours, oracle) => panic!("the parser says {ours:?}, the oracle {oracle:?}"),
    }
    match ours {
        Ok(parsed) => {
            let session = &parsed.session;
            let _ = checkout_url(session, &sezzle_session::CHECKOUT_HOSTS);
            let _ = approval_url(session, &sezzle_session::APPROVAL_HOSTS);
            let _ = find_link(&session.links, "self", Method::Get);
            // A valid session serialises, and what it serialises to parses to the same
            // session, with no warning.
            let text = serde_json::to_vec(session).expect("a valid session serialises");
            let again = parse_session(&text).expect("a serialised session parses");
            assert_eq!(&again.session, session);
            assert!(again.warnings.is_empty());
        }
        Err(error) => {
            assert!(!error.issues().is_empty() && error.issues().len() <= sezzle_session::MAX_ISSUES);
            let _ = error.to_string();
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        // The one-pass check decides every URL as the full rule does.
        assert_eq!(WebUrl::check(text), WebUrl::parse(text.to_owned()).is_ok(), "{text:?}");
        if let Ok(url) = WebUrl::parse(text.to_owned()) {
            assert!(!url.host().is_empty());
            let _ = (url.port(), url.has_userinfo(), url.is_https());
        }
    }
});
