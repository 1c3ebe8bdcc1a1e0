//! Arbitrary bytes into the parser and the URL checks: nothing may panic (a panic in wasm
//! aborts the instance), and what the parser accepts must hold up afterwards.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sezzle_session::__internals::{read_tape, tokenize_in_order_warning, verdict, verdict_with, Verdict};
use sezzle_session::{approval_url, checkout_url, find_link, parse_session, Method, WebUrl};

fuzz_target!(|data: &[u8]| {
    // The fast verdict may be unsure, never wrong, and its tape reads as the full path's session.
    let full = parse_session(data);
    let mut tape = Vec::new();
    let fast = verdict_with(data, &mut Vec::new(), &mut tape);
    if let (false, Ok(parsed)) = (fast == Verdict::Unsure, &full) {
        let text = std::str::from_utf8(data).expect("a valid verdict is on UTF-8");
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let session = serde_json::to_value(&parsed.session).expect("a session serialises");
        assert_eq!(read_tape(text, &tape), Some(session));
    }
    match fast {
        Verdict::Unsure => {}
        Verdict::Valid => assert!(matches!(&full, Ok(p) if p.warnings.is_empty())),
        Verdict::ValidTokenizeInOrder => {
            assert!(matches!(&full, Ok(p) if p.warnings == vec![tokenize_in_order_warning()]))
        }
        Verdict::ValidWithWarnings(warnings) => {
            assert!(matches!(&full, Ok(p) if p.warnings == warnings))
        }
    }
    match full {
        Ok(parsed) => {
            let session = &parsed.session;
            let _ = checkout_url(session, &sezzle_session::CHECKOUT_HOSTS);
            let _ = approval_url(session, &sezzle_session::APPROVAL_HOSTS);
            let _ = find_link(&session.links, "self", Method::Get);
            // A valid session serialises, and what it serialises to parses to the same session.
            let text = serde_json::to_vec(session).expect("a valid session serialises");
            let again = parse_session(&text).expect("a serialised session parses");
            assert_eq!(&again.session, session);
            // ...and is in the usual shape the fast verdict answers for.
            assert_eq!(verdict(&text), Verdict::Valid);
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
