//! The wasm layer, run as WebAssembly: under Node by default, and in headless Chromium with
//! WASM_BINDGEN_USE_BROWSER=1 (see the Makefile). Same suite, both engines.
#![cfg(target_arch = "wasm32")]

use serde_json::Value;
use sezzle_session::__internals::wasm;
use sezzle_session::IssueCode;
use wasm_bindgen_test::wasm_bindgen_test;

const SEED: &[u8] = include_bytes!("fixtures/valid/seed.json");
const TOP_LEVEL: &[u8] = include_bytes!("fixtures/valid/tokenize-top-level.json");
const BAD_LINKS: &[u8] = include_bytes!("fixtures/invalid/bad-links.json");

/// The answer a call kept, whose length in bytes it returned.
fn answer(length: usize) -> Value {
    let text = wasm::last_answer();
    assert_eq!(text.len(), length, "the call returns its answer's length");
    serde_json::from_str(&text).expect("the wasm layer always answers JSON")
}

#[wasm_bindgen_test]
fn seed_payload_parses_to_the_top_level_shape() {
    let ok = &answer(wasm::parse(SEED))["ok"];
    let expected: Value = serde_json::from_slice(TOP_LEVEL).unwrap();
    assert_eq!(ok["session"], expected);
    assert_eq!(ok["warnings"][0]["code"], "tokenize_in_order");
    assert_eq!(
        ok["warnings"][0]["path"],
        serde_json::json!(["order", "tokenize"])
    );
    // The fast path's written-out warning is the full parse's, word for word.
    assert_eq!(answer(wasm::tokenize_in_order_warning()), ok["warnings"][0]);
    assert_eq!(
        wasm::TOKENIZE_IN_ORDER_WARNING,
        serde_json::to_string(&sezzle_session::__internals::tokenize_in_order_warning()).unwrap()
    );
}

#[wasm_bindgen_test]
fn invalid_payload_answers_every_issue_with_paths() {
    let error = &answer(wasm::parse(BAD_LINKS))["error"];
    let issues = error["issues"].as_array().unwrap();
    assert_eq!(issues.len(), 6); // links[2] has no method: GET, as Sezzle's Link schema says
    assert_eq!(issues[0]["path"], serde_json::json!(["links", 0, "href"]));
    assert!(error["message"]
        .as_str()
        .unwrap()
        .starts_with("invalid session: links[0].href:"));
}

/// What `safe_url` answered: the URL, or the error's message and its issues' codes and paths
/// (read from the remarks as `js/api.js` reads them).
fn url_answer(length: i32) -> Result<String, (String, Vec<(i32, Value)>)> {
    if length >= 0 {
        let text = wasm::last_answer();
        assert_eq!(text.len(), length as usize);
        return Ok(text);
    }
    let text_length = wasm::verdict_remarks();
    let text = wasm::last_answer()[..text_length].to_owned();
    let word = |at: usize| remark_words(at + 1)[at];
    let (count, message_length) = (word(0), word(1) as usize);
    let (mut at, mut pos) = (2, message_length);
    let mut issues = Vec::new();
    for _ in 0..count {
        let (code, length, steps) = (word(at), word(at + 1) as usize, word(at + 4));
        at += 5;
        let mut path = Vec::new();
        for _ in 0..steps {
            let step = word(at);
            at += 1;
            if step < 0 {
                path.push(Value::from(-1 - step));
            } else {
                path.push(Value::from(&text[pos..pos + step as usize]));
                pos += step as usize;
            }
        }
        pos += length; // (ASCII messages: units are bytes)
        issues.push((code, Value::from(path)));
    }
    Err((text[..message_length].to_owned(), issues))
}

#[wasm_bindgen_test]
fn safe_url_answers_the_url_or_an_unsafe_url_issue_with_its_path() {
    let seed_url = "https://checkout.sezzle.com/?id=12a34bc5-6de7-890f-g123-4hi1238jk902";
    let ok = url_answer(wasm::safe_url_of(seed_url, false, None));
    assert_eq!(ok.as_deref(), Ok(seed_url));
    let refused =
        url_answer(wasm::safe_url_of(seed_url, false, Some("pay.example.test"))).unwrap_err();
    let at_checkout_url = serde_json::json!(["order", "checkout_url"]);
    assert_eq!(
        refused.1,
        [(IssueCode::UnsafeUrl as i32, at_checkout_url.clone())]
    );
    assert!(refused
        .0
        .starts_with("invalid session: order.checkout_url: "));
    let allowed = url_answer(wasm::safe_url_of(
        "https://pay.example.test/c/1",
        false,
        Some("shop.example.test\npay.example.test"),
    ));
    assert_eq!(allowed.as_deref(), Ok("https://pay.example.test/c/1"));
    for garbled in [
        "shop.example.test\n\npay.example.test",
        "pay.example.test\u{0}",
    ] {
        let garbled = url_answer(wasm::safe_url_of(seed_url, false, Some(garbled)));
        let (message, issues) = garbled.unwrap_err();
        assert!(message.contains("allowed hosts") && issues.is_empty());
    }
    let none = url_answer(wasm::safe_url_of(seed_url, false, Some("")));
    assert_eq!(
        none.unwrap_err().1,
        [(IssueCode::UnsafeUrl as i32, at_checkout_url)]
    );
    let look_alike = url_answer(wasm::safe_url_of(
        "https://dashboard.sezzle.com.evil.example/",
        true,
        None,
    ));
    let at_approval_url = serde_json::json!(["tokenize", "approval_url"]);
    assert_eq!(look_alike.unwrap_err().1[0].1, at_approval_url);
    let not_a_url = url_answer(wasm::safe_url_of("javascript:x", false, None));
    assert_eq!(not_a_url.unwrap_err().1[0].0, IssueCode::InvalidUrl as i32);
}

/// The next number of a xorshift sequence: the same inputs on every run.
fn next(state: &mut u32) -> u32 {
    *state ^= *state << 13;
    *state ^= *state >> 17;
    *state ^= *state << 5;
    *state
}

#[wasm_bindgen_test]
fn the_simd_string_scan_agrees_with_the_eight_byte_one() {
    // Quotes, backslashes, controls, space, DEL and bytes past ASCII at every offset of
    // strings of every length around the 16-byte and 8-byte steps.
    const ALPHABET: &[u8] = b"aZ9-/\"\\\x00\x1f \x7f\x80\xff~!";
    let mut state: u32 = 0x2545_f491;
    let mut bytes = Vec::new();
    for round in 0..40_000u32 {
        bytes.clear();
        for _ in 0..(round % 70) {
            // Mostly plain letters, as strings are: the special byte comes late.
            let pick = next(&mut state) as usize % (4 * ALPHABET.len());
            bytes.push(*ALPHABET.get(pick).unwrap_or(&b'q'));
        }
        assert!(
            sezzle_session::__internals::string_scans_agree(&bytes),
            "{bytes:?}"
        );
    }
}

#[wasm_bindgen_test]
fn the_simd_host_scan_agrees_with_the_byte_one() {
    // Hosts of every length around 16 and 32 bytes, of letters (and the bytes beside them,
    // `@ [ ` { Z`), digits, dots and hyphens in every arrangement, ended by what ends a host
    // or by what sends the URL to the full parse (`:`, `@`, a space, past ASCII).
    const HOST: &[u8] = b"aZ09..--@[`{";
    const ENDS: &[u8] = b"/?#:@ \x80.";
    let mut state: u32 = 0x6a09_e667;
    let mut bytes = Vec::new();
    for round in 0..40_000u32 {
        bytes.clear();
        for _ in 0..(round % 40) {
            // Mostly letters and digits, as hosts are.
            let pick = next(&mut state) as usize % (3 * HOST.len());
            bytes.push(*HOST.get(pick).unwrap_or(&b'q'));
        }
        bytes.push(ENDS[next(&mut state) as usize % ENDS.len()]);
        bytes.extend_from_slice(b"/path?query#fragment/and/more");
        assert!(
            sezzle_session::__internals::host_scans_agree(&bytes),
            "{:?}",
            String::from_utf8_lossy(&bytes)
        );
    }
}

#[wasm_bindgen_test]
fn ten_thousand_malformed_inputs_leave_the_instance_working() {
    // A panic would abort the instance; every later call would then fail.
    const ALPHABET: &[u8] = b"{}[]\":,0aZ \\\xff-eE.ntrufl";
    let mut state: u32 = 0x9e37_79b9;
    let mut input = Vec::new();
    for round in 0..10_000u32 {
        input.clear();
        let len = (round % 64) as usize;
        for _ in 0..len {
            input.push(ALPHABET[next(&mut state) as usize % ALPHABET.len()]);
        }
        // Truncations of a real payload are the other half of the corpus.
        let bad: &[u8] = if round % 2 == 0 {
            &input
        } else {
            &SEED[..(round as usize % SEED.len())]
        };
        let _ = answer(wasm::parse(bad));
        let _ = url_answer(wasm::safe_url_of(
            &String::from_utf8_lossy(bad),
            false,
            None,
        ));
        let _ = wasm::verdict_input(0);
    }
    let ok = &answer(wasm::parse(SEED))["ok"];
    assert_eq!(
        ok["session"]["uuid"],
        "fadbc642-05a4-4e38-9e74-80e325623af9"
    );
}

#[wasm_bindgen_test]
fn oversized_and_deeply_nested_input_is_refused() {
    let big = vec![b' '; sezzle_session::MAX_INPUT_BYTES + 1];
    assert_eq!(
        answer(wasm::parse(&big))["error"]["issues"][0]["code"],
        "too_large"
    );
    let deep = format!("{}{}", "[".repeat(50_000), "]".repeat(50_000));
    assert_eq!(
        answer(wasm::parse(deep.as_bytes()))["error"]["issues"][0]["code"],
        "too_deep"
    );
}

/// Writes `bytes` into the input buffer as the package does, and returns their length.
/// The first `count` issue words of the last verdict.
fn remark_words(count: usize) -> Vec<i32> {
    // SAFETY: the module wrote at least `count` words there (the caller's payload has them),
    // and nothing runs between the verdict and this read.
    unsafe { std::slice::from_raw_parts(wasm::remark_words_address(), count) }.to_vec()
}

fn load(bytes: &[u8]) -> usize {
    let at = wasm::input_buffer(bytes.len());
    assert!(!at.is_null());
    // SAFETY: input_buffer handed out `bytes.len()` writable bytes at `at`.
    unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), at, bytes.len()) };
    bytes.len()
}

#[wasm_bindgen_test]
fn an_earlier_input_is_never_read_again() {
    // A caller that says it wrote the seed's length but wrote nothing reads zeros (invalid
    // JSON), not the seed that the previous caller left there.
    let length = load(SEED);
    assert_eq!(
        answer(wasm::parse_input(length))["ok"]["session"]["uuid"],
        "fadbc642-05a4-4e38-9e74-80e325623af9"
    );
    wasm::input_buffer(0);
    let error = &answer(wasm::parse_input(length))["error"];
    assert_eq!(error["issues"][0]["code"], "invalid_json");
    assert_eq!(wasm::verdict_input(length), 0);
    assert!(!wasm::last_answer().contains("tokenize"));
}

#[wasm_bindgen_test]
fn an_impossible_buffer_size_is_refused_without_a_trap() {
    // -1 from JS arrives as u32::MAX: once an allocation failure that aborted the instance.
    assert!(wasm::input_buffer(u32::MAX as usize).is_null());
    assert!(wasm::input_buffer(3 * sezzle_session::MAX_INPUT_BYTES + 1).is_null());
    let length = load(SEED);
    assert_eq!(wasm::verdict_input(length), 2, "the instance still works");
}

#[wasm_bindgen_test]
fn the_verdict_answers_issues_and_flags_a_replacement_character() {
    let length = load(BAD_LINKS);
    assert_eq!(wasm::verdict_input(length), 0);
    // Six issues, the first at links[0].href: its words after the count and the message's
    // length are its code, its message's length, no line, no column, three steps ("links"
    // of 5 units, index 0, "href" of 4); the text starts with the error's message.
    let text_length = wasm::verdict_remarks();
    let words = remark_words(7 + 3);
    assert_eq!(words[0], 6);
    let message = "invalid session: links[0].href: ";
    assert!(wasm::last_answer()[..text_length].starts_with(message));
    assert_eq!(
        &words[2..],
        &[IssueCode::UnsafeUrl as i32, words[3], -1, -1, 3, 5, -1, 4]
    );
    // U+FFFD is also what TextEncoder writes for a lone surrogate: the package then looks.
    let length = load("{\"uuid\":\"s\u{FFFD}\"}".as_bytes());
    assert_eq!(wasm::verdict_input(length), 1 | 4);
    let length = load(br#"{"uuid":"s"}"#);
    assert_eq!(wasm::verdict_input(length), 1);
}

/// The strings of a quick reading as `values_pass` takes them: pairs of (rule, UTF-16 units),
/// then the strings' UTF-8.
fn pairs_and_text(strings: &[(u32, &str)]) -> (usize, usize) {
    let mut bytes = Vec::new();
    for (rule, text) in strings {
        bytes.extend_from_slice(&rule.to_le_bytes());
        bytes.extend_from_slice(&(text.encode_utf16().count() as u32).to_le_bytes());
    }
    let text: String = strings.iter().map(|(_, text)| *text).collect();
    bytes.extend_from_slice(text.as_bytes());
    load(&bytes);
    (strings.len(), text.len())
}

#[wasm_bindgen_test]
fn values_pass_checks_each_string_against_its_rule_and_refuses_a_buffer_that_lies() {
    // Rules by their number in src/schema.rs: id, url, method, rel, intent, date-time.
    let good = [
        (0, "ab-12"),
        (1, "https://checkout.sezzle.com/?id=1"),
        (2, "POST"),
        (3, "order-details"),
        (4, "CAPTURE"),
        (5, "2030-01-02T03:04:05Z"),
    ];
    let (count, len) = pairs_and_text(&good);
    assert_eq!(wasm::values_pass(count, len), 1);
    for (i, bad) in [
        "a b",
        "http://example.com/",
        "get",
        "",
        "auth",
        "2030-13-01T00:00:00Z",
    ]
    .into_iter()
    .enumerate()
    {
        let mut strings = good;
        strings[i].1 = bad;
        let (count, len) = pairs_and_text(&strings);
        assert_eq!(wasm::values_pass(count, len), 0, "{bad:?}");
    }
    // A URL that passes only once trimmed passes with a warning: not quietly.
    let (count, len) = pairs_and_text(&[(1, " https://checkout.sezzle.com/")]);
    assert_eq!(wasm::values_pass(count, len), 0);
    // Counts and lengths that the buffer does not hold, a rule that does not exist, a length
    // that cuts a character, bytes that are not UTF-8: 0, and the instance still works.
    let (count, len) = pairs_and_text(&good);
    for (count, len) in [
        (count + 1, len),
        (count, len + 1),
        (count, len - 1),
        (usize::MAX, len),
        (count, usize::MAX),
        (usize::MAX / 8 + 1, 0),
    ] {
        assert_eq!(wasm::values_pass(count, len), 0, "{count} {len}");
    }
    let (count, len) = pairs_and_text(&[(6, "x")]);
    assert_eq!(wasm::values_pass(count, len), 0);
    load(&[0, 0, 0, 0, 1, 0, 0, 0, 0xff]);
    assert_eq!(wasm::values_pass(1, 1), 0);
    // Past printable ASCII (a space, a quote, a backslash, "é", DEL, bytes that are not
    // UTF-8): left to the scan.
    for text in [
        &b"a b"[..],
        b"a\"b",
        b"a\\b",
        "\u{e9}".as_bytes(),
        b"\xff",
        b"\x7f",
    ] {
        let mut bytes = vec![3, 0, 0, 0, text.len() as u8, 0, 0, 0];
        bytes.extend_from_slice(text);
        load(&bytes);
        assert_eq!(wasm::values_pass(1, text.len()), 0, "{text:?}");
    }
    let (count, len) = pairs_and_text(&good);
    assert_eq!(wasm::values_pass(count, len), 1);
}
