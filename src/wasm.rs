//! The WebAssembly boundary of the parser and the URL functions, and nothing else (the
//! gateway client's is `src/client/exports.rs`).
//!
//! Bytes come in (`&[u8]` crosses as one copy, where a `&str` is copied char by char in JS)
//! and numbers go out: a verdict, and addresses in linear memory where JS reads the rest
//! (the tape of a valid session, `fast::TAPE_HEADER`; the issues of an invalid one as words
//! and one text, `error::issue_words`). Building the result field by field through the
//! boundary costs several times more (`../shared/toolchain.md` has the measurements).
//!
//! Each export that answers text keeps it (`ANSWER`) and returns its length in bytes; JS
//! decodes it from `answer_address`. A `String` return would cross as two values, and V8
//! compiles a JS-to-wasm wrapper for each such signature when the module is created (about
//! 2.5 ms of every cold start, measured by `make bench`); exports that take and return single
//! numbers share V8's generic wrapper, which costs nothing to create.

use crate::error::issue_words;
use crate::fast::Scanned;
use crate::links::UrlKind;
use crate::{links, Issue, Session, ValidationError};
use serde::Serialize;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

#[derive(Serialize)]
#[serde(rename_all = "lowercase")]
enum Answer<T, E> {
    Ok(T),
    Error(E),
}

#[derive(Serialize)]
struct Failure<'a> {
    message: String,
    issues: &'a [Issue],
}

#[derive(Serialize)]
struct ParsedOut<'a> {
    session: &'a Session,
    warnings: &'a [Issue],
}

fn json_of<T: Serialize, E: Serialize>(answer: Answer<T, E>) -> String {
    // These types always serialise (no maps with non-string keys); answer sanely regardless.
    serde_json::to_string(&answer).unwrap_or_else(|_| {
        r#"{"error":{"message":"internal error: the result could not be serialised","issues":[]}}"#
            .to_owned()
    })
}

thread_local! {
    /// The next input, written by JS straight into linear memory (`input_buffer`): a string
    /// is encoded into it with `TextEncoder.encodeInto`, with no intermediate copy.
    static INPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    static SCRATCH: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    /// Where the last valid session's values are in its input (`fast::TAPE_HEADER`).
    static TAPE: RefCell<Vec<i32>> = const { RefCell::new(Vec::new()) };
    /// The issues of the last verdict 0, or the warnings of the last verdict 3, as
    /// `error::issue_words` writes them: the words here, the text in `REMARKS`.
    static REMARK_WORDS: RefCell<Vec<i32>> = const { RefCell::new(Vec::new()) };
    static REMARKS: RefCell<String> = const { RefCell::new(String::new()) };
    /// The last text answer, for JS to read at `answer_address` until the next one.
    static ANSWER: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Keeps `text` as the answer and returns its length in bytes.
fn keep(text: String) -> usize {
    let length = text.len();
    ANSWER.with(|answer| *answer.borrow_mut() = text);
    length
}

/// The address of the last text answer (its length is what the call returned).
#[wasm_bindgen]
pub fn answer_address() -> *const u8 {
    ANSWER.with(|answer| answer.borrow().as_ptr())
}

/// The last text answer, for Rust callers (the tests).
pub fn last_answer() -> String {
    ANSWER.with(|answer| answer.borrow().clone())
}

/// The most `input_buffer` hands out: room for a string of `MAX_INPUT_BYTES` UTF-16 units,
/// which UTF-8 writes in at most three bytes each.
const MAX_INPUT_ROOM: usize = 3 * crate::MAX_INPUT_BYTES;

/// The address of a zeroed buffer of `len` bytes for the next input, or null when `len` is
/// over `MAX_INPUT_ROOM` or the memory cannot grow (the caller refuses the input).
///
/// Zeroed and sized to `len` every time: nothing of an earlier input (another caller's
/// session and its tokenize token) stays readable to a caller that says it wrote more than it
/// did (the module reads no further than the buffer's length).
#[wasm_bindgen]
pub fn input_buffer(len: usize) -> *mut u8 {
    if len > MAX_INPUT_ROOM {
        return std::ptr::null_mut();
    }
    INPUT.with(|input| {
        let mut input = input.borrow_mut();
        if input.capacity() > 64 * 1024 && len <= 64 * 1024 {
            // After a large input, give the memory back.
            *input = Vec::new();
        }
        input.clear();
        if input.try_reserve(len).is_err() {
            return std::ptr::null_mut();
        }
        input.resize(len, 0);
        input.as_mut_ptr()
    })
}

fn with_input<T>(len: usize, use_input: impl FnOnce(&[u8]) -> T) -> T {
    INPUT.with(|input| {
        let input = input.borrow();
        use_input(input.get(..len).unwrap_or(&input[..]))
    })
}

/// The scan (`src/fast/`) of the first `len` bytes of the input buffer: 0 invalid (the issues
/// are what `verdict_remarks` answers), 1 valid, 2 valid with only the `tokenize_in_order`
/// warning, 3 valid with the warnings `verdict_remarks` answers; plus 4 when a string held
/// U+FFFD (`Scanned::replacement`). Unless invalid, `tape_address` then tells where the
/// session's values are.
#[wasm_bindgen]
pub fn verdict_input(len: usize) -> u32 {
    let (verdict, replacement) = verdict_of(len);
    verdict | if replacement { 4 } else { 0 }
}

fn verdict_of(len: usize) -> (u32, bool) {
    let scanned = SCRATCH.with(|scratch| {
        TAPE.with(|tape| {
            with_input(len, |input| {
                crate::fast::scan(input, &mut scratch.borrow_mut(), &mut tape.borrow_mut())
            })
        })
    });
    // Written now, read when asked.
    let replacement = scanned.replacement;
    if let Some(error) = ValidationError::new(scanned.errors) {
        remarks(Some(&error.to_string()), error.issues());
        return (0, replacement);
    }
    if scanned.warnings.is_empty() {
        let only_tokenize_in_order = scanned.tokenize_in_order.is_some();
        return (if only_tokenize_in_order { 2 } else { 1 }, replacement);
    }
    let warnings = Scanned {
        errors: Vec::new(),
        ..scanned
    }
    .all_warnings();
    remarks(None, &warnings);
    (3, replacement)
}

/// Keeps an error's message and issues, or warnings, for `verdict_remarks`.
fn remarks(message: Option<&str>, issues: &[Issue]) {
    REMARK_WORDS.with(|words| {
        REMARKS.with(|text| {
            issue_words(
                message,
                issues,
                &mut words.borrow_mut(),
                &mut text.borrow_mut(),
            )
        })
    });
}

/// The issues of the last verdict 0 (with the error's message), or the warnings of the last
/// verdict 3: the length of their text in bytes, at `answer_address`; their words are at
/// `remark_words_address` (`error::issue_words` says how both are laid out).
#[wasm_bindgen]
pub fn verdict_remarks() -> usize {
    keep(REMARKS.with(|text| text.borrow().clone()))
}

/// The address of the last verdict's issue words (see `verdict_remarks`).
#[wasm_bindgen]
pub fn remark_words_address() -> *const i32 {
    REMARK_WORDS.with(|words| words.borrow().as_ptr())
}

/// The address of the last verdict's tape (`i32` words, laid out as `fast::TAPE_HEADER` says),
/// for JS to read in place until the next call.
#[wasm_bindgen]
pub fn tape_address() -> *const i32 {
    TAPE.with(|tape| tape.borrow().as_ptr())
}

/// `parse` of the first `len` bytes of the input buffer (for the wasm tests; not exported).
pub fn parse_input(len: usize) -> usize {
    with_input(len, parse)
}

/// `fast::tokenize_in_order_warning()` as JSON, written out: serialising it would compile
/// serde's code on the first parse of a process (about 0.4 ms of cold start). The wasm tests
/// hold the two equal.
pub const TOKENIZE_IN_ORDER_WARNING: &str = r#"{"path":["order","tokenize"],"code":"tokenize_in_order","message":"tokenize was found inside order; it is returned at the top level"}"#;

/// The warning verdict 2 stands for, as JSON.
#[wasm_bindgen]
pub fn tokenize_in_order_warning() -> usize {
    keep(TOKENIZE_IN_ORDER_WARNING.to_owned())
}

/// Parses and validates a session payload, answering the session as JSON (the package's
/// tests compare the tape's reading with it).
pub fn parse(input: &[u8]) -> usize {
    keep(json_of(match &crate::parse_session(input) {
        Ok(parsed) => Answer::Ok(ParsedOut {
            session: &parsed.session,
            warnings: &parsed.warnings,
        }),
        Err(error) => Answer::Error(Failure {
            message: error.to_string(),
            issues: error.issues(),
        }),
    }))
}

/// Whether a URL, the checkout URL (or, with `approval`, the approval URL) of a session the
/// caller has validated, is safe to show as a link: the URL's length in bytes, at
/// `answer_address`; or -1, the `unsafe_url` (or `invalid_url`) issue being the remarks that
/// `verdict_remarks` answers. The URL is the input buffer's first `url_len` bytes, and,
/// unless `hosts_len` is negative, the `hosts_len` bytes after it are host names, one a line,
/// that replace Sezzle's hosts. Text through the input buffer, as a payload comes, rather
/// than as `String` arguments: those would need wasm-bindgen's string-passing glue and the
/// allocator's exports, for this call alone; and lines, not JSON, because reading a JSON
/// array took a JSON reader of its own, 4 KB of this module.
#[wasm_bindgen]
pub fn safe_url(url_len: usize, approval: bool, hosts_len: i32) -> i32 {
    // Read in place: the input buffer is not touched by the check (the answer and the
    // remarks have buffers of their own).
    INPUT.with(|input| {
        let input = input.borrow();
        let text = |from: usize, len: usize| {
            input
                .get(from..from.saturating_add(len))
                .and_then(|bytes| std::str::from_utf8(bytes).ok())
        };
        let hosts = usize::try_from(hosts_len)
            .ok()
            .map(|len| text(url_len, len));
        match (text(0, url_len), hosts) {
            (Some(url), None) => safe_url_of(url, approval, None),
            (Some(url), Some(Some(hosts))) => safe_url_of(url, approval, Some(hosts)),
            _ => {
                remarks(
                    Some("safe_url: the input buffer does not hold the URL and hosts said"),
                    &[],
                );
                -1
            }
        }
    })
}

/// Whether each of `count` strings is printable ASCII that passes its rule with nothing to
/// say (`fast::passes_quietly`): 1 when all are, else 0. For the package's quick reading of an
/// object (js/api.js), which gives a session only when the scan of its text would give it
/// without a remark, and reads the object as text otherwise. The input buffer holds `count`
/// little-endian `u32` pairs (the rule's number in `schema::RULES`, the string's length in
/// bytes, which is its length in UTF-16 units for the ASCII that can pass), then the strings
/// one after another, `len` bytes. A buffer that does not hold what is said
/// answers 0.
#[wasm_bindgen]
pub fn values_pass(count: usize, len: usize) -> u32 {
    INPUT.with(|input| {
        let input = input.borrow();
        u32::from(values_pass_in(&input, count, len).unwrap_or(false))
    })
}

fn values_pass_in(input: &[u8], count: usize, len: usize) -> Option<bool> {
    let head = count.checked_mul(8)?;
    let text = input.get(head..head.checked_add(len)?)?;
    let word = |at: usize| -> Option<usize> {
        let bytes = input.get(at..at + 4)?;
        Some(u32::from_le_bytes(bytes.try_into().ok()?) as usize)
    };
    let mut at: usize = 0;
    for pair in 0..count {
        let rule = *crate::schema::RULES.get(word(pair * 8)?)?;
        let end = at.checked_add(word(pair * 8 + 4)?)?;
        if !crate::fast::passes_quietly(text.get(at..end)?, rule) {
            return Some(false);
        }
        at = end;
    }
    Some(at == text.len())
}

/// [`safe_url`] of `url` and `hosts` (host names one a line), as Rust calls it.
pub fn safe_url_of(url: &str, approval: bool, allowed_hosts: Option<&str>) -> i32 {
    let kind = if approval {
        UrlKind::Approval
    } else {
        UrlKind::Checkout
    };
    let hosts: Vec<&str> = match allowed_hosts {
        None => kind.default_hosts().to_vec(),
        Some(lines) => match host_list(lines) {
            Some(hosts) => hosts,
            None => {
                remarks(Some("allowed hosts: expected host names, one a line"), &[]);
                return -1;
            }
        },
    };
    match links::check_text(url.to_owned(), &hosts, kind) {
        Ok(url) => i32::try_from(keep(url.as_str().to_owned())).unwrap_or(-1),
        Err(error) => {
            remarks(Some(&error.to_string()), error.issues());
            -1
        }
    }
}

/// Host names, one a line (none for no text); `None` when a line is empty or holds a control
/// character (no host name does, and no URL's host could match it).
fn host_list(lines: &str) -> Option<Vec<&str>> {
    if lines.is_empty() {
        return Some(Vec::new());
    }
    // Split by bytes: a line break is one byte in UTF-8, so each piece is UTF-8 too (and
    // `str::split` by a char links a searcher of its own, most of a KB of this module).
    (lines.as_bytes().split(|&b| b == b'\n'))
        .map(|host| {
            let plain = !host.is_empty() && !host.iter().any(|&b| b < b' ');
            plain.then(|| std::str::from_utf8(host).ok()).flatten()
        })
        .collect()
}
