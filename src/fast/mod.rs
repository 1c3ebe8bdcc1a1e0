//! The session parser: one pass over the bytes, directed by the session's schema, that
//! checks the JSON grammar and every rule, and reports every issue with its path.
//!
//! Nothing is built on the way: no `serde_json::Value`, no allocation for a valid payload
//! but the tape (escaped strings are decoded into one reused buffer, and a path is made only
//! when an issue needs one). What a valid payload leaves behind is a [tape](TAPE_HEADER):
//! where each value of the result is in the input text, as a few integers. The JS layer
//! builds the result from the tape with slices of the text it already holds, so no result
//! crosses the boundary either; Rust callers get a [`Session`] built from it.
//!
//! A value of the wrong type is stepped over and the scan goes on; `required` is decided when
//! an object closes; malformed JSON and nesting past [`MAX_DEPTH`] end the scan (the rest
//! cannot be read). Issues come in document order. As `JSON.parse` does, the last of two
//! members with one key counts, and a `tokenize` at the top level wins over one in `order`:
//! both are rare, and handled by scanning the object again with that knowledge.
//!
//! `validate.rs` (native builds only) is the oracle this parser is held to: the same verdict,
//! the same issue paths and codes, the same session (the tests and the fuzz target).
//!
//! By concern: `grammar` (the [`Scanner`](grammar::Scanner) over the bytes and the JSON
//! tokens), `reader` (what the session's schema asks of each value, and the issues), `scans`
//! (eight bytes at a time), `tape` (the tape, and the session read back from it) and `flat`
//! (small documents read flat, for the client's authentication answers and error bodies).

use crate::datetime::DateTime;
use crate::error::{Issue, IssueCode, PathSegment, ValidationError, MAX_ISSUES};
use crate::schema::{Field, Object, Rule, Value, LINK, SESSION, TOKENIZE};
use crate::session::{Id, Intent, Link, Method, Session, SessionOrder, SessionTokenize};
use crate::url::{UrlError, WebUrl};

pub(crate) mod flat;
mod grammar;
mod reader;
mod scans;
mod tape;

use grammar::*;
use reader::*;
use scans::*;
use tape::*;

#[cfg_attr(
    not(any(test, all(target_arch = "wasm32", feature = "js-parser"))),
    allow(unused_imports)
)]
pub use reader::passes_quietly;
pub use reader::tokenize_in_order_warning;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub use scans::string_scans_agree;
pub(crate) use tape::slot;
pub use tape::{session_from_tape, ESCAPED, NONE, TAPE_HEADER, TAPE_LINK, TRIMMED};

/// Inputs larger than this are refused before parsing (1 MiB; a real session is about 2 KB).
pub const MAX_INPUT_BYTES: usize = 1024 * 1024;

/// The deepest nesting accepted, the session object being level 1. It is serde_json's own
/// limit (the oracle refuses its 128th level), so a hostile `[[[[...` cannot exhaust the
/// (small) wasm stack; the package holds an object to the same limit (`js/api.js`).
pub const MAX_DEPTH: usize = 127;

/// A valid session and the remarks worth showing an admin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// The session, every value checked.
    pub session: Session,
    /// Remarks that do not make the session invalid: unknown fields, where tokenize was
    /// found, trimmed URLs.
    pub warnings: Vec<Issue>,
}

/// What a scan found: every error and every warning, in document order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scanned {
    /// What makes the payload invalid (none for a valid one).
    pub errors: Vec<Issue>,
    /// Remarks on it, but for `tokenize_in_order`.
    pub warnings: Vec<Issue>,
    /// Where among `warnings` the `tokenize_in_order` warning goes, if there is one: it is
    /// left unmade, as Sezzle's own example has it and the wasm layer answers it as a number.
    pub tokenize_in_order: Option<usize>,
    /// A string held U+FFFD, which is also what `TextEncoder` writes for a lone surrogate:
    /// only then does the package look for one in the JS string it encoded.
    pub replacement: bool,
}

impl Scanned {
    /// Every warning, `tokenize_in_order` made and in its place.
    /// At most [`MAX_ISSUES`], the first in document order, as issues are.
    pub fn all_warnings(mut self) -> Vec<Issue> {
        if let Some(at) = self.tokenize_in_order {
            self.warnings
                .insert(at.min(self.warnings.len()), tokenize_in_order_warning());
        }
        self.warnings.truncate(MAX_ISSUES);
        self.warnings
    }
}

/// Scans `input` (a leading byte order mark is skipped, as `fetch`'s `json()` does), using
/// `scratch` for escaped strings. Without errors, `tape` then says where the session's
/// values are (see [`TAPE_HEADER`]).
pub fn scan(input: &[u8], scratch: &mut Vec<u8>, tape: &mut Vec<i32>) -> Scanned {
    tape.clear();
    tape.resize(TAPE_HEADER, NONE);
    for links in [slot::LINKS, slot::ORDER_LINKS, slot::TOKENIZE_LINKS] {
        tape[links..links + 2].fill(0);
    }
    if input.len() > MAX_INPUT_BYTES {
        return Scanned {
            errors: vec![Issue::new(
                Vec::new(),
                IssueCode::TooLarge,
                format!(
                    "the input is {} bytes; at most {MAX_INPUT_BYTES} are accepted",
                    input.len()
                ),
            )],
            ..Scanned::default()
        };
    }
    let bytes = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    let header: [i32; TAPE_HEADER] = tape[..TAPE_HEADER]
        .try_into()
        .unwrap_or([NONE; TAPE_HEADER]);
    for careful in [false, true] {
        tape.truncate(TAPE_HEADER);
        tape.copy_from_slice(&header);
        let mut scanner = Scanner::new(bytes, scratch, tape);
        scanner.careful = careful;
        let ended = scanner.session().and_then(|()| {
            scanner.skip_space();
            match scanner.at < scanner.bytes.len() {
                true => Err(scanner.malformed(scanner.at, "trailing characters")),
                false => Ok(()),
            }
        });
        return match ended {
            Ok(()) => Scanned {
                errors: scanner.errors,
                warnings: scanner.warnings,
                tokenize_in_order: scanner.tokenize_in_order,
                replacement: scanner.replacement,
            },
            Err(Fatal(Some(issue))) => Scanned {
                errors: vec![*issue],
                ..Scanned::default()
            },
            Err(Fatal(None)) if !careful => continue,
            Err(Fatal(None)) => break, // never: the careful mode does not start over
        };
    }
    Scanned {
        errors: vec![Issue::new(
            Vec::new(),
            IssueCode::InvalidInput,
            "internal error: the scan could not finish",
        )],
        ..Scanned::default()
    }
}

/// Parses and validates a session payload (UTF-8 JSON; a leading byte order mark is
/// skipped): the session and its warnings, or every issue found, each with its path. The
/// payload as bytes, a `&str` or a `String`:
///
/// ```
/// use sezzle_session::parse_session;
///
/// let text = String::from(r#"{"uuid": "s1"}"#);
/// assert_eq!(parse_session(&text)?.session.uuid, "s1");
/// assert_eq!(parse_session(text.as_bytes())?.session.uuid, "s1");
/// assert_eq!(parse_session(text)?.session.uuid, "s1");
/// # Ok::<(), sezzle_session::ValidationError>(())
/// ```
pub fn parse_session(input: impl AsRef<[u8]>) -> Result<Parsed, ValidationError> {
    let input = input.as_ref();
    let mut tape = Vec::new();
    let mut scanned = scan(input, &mut Vec::new(), &mut tape);
    if let Some(error) = ValidationError::new(std::mem::take(&mut scanned.errors)) {
        return Err(error);
    }
    let warnings = scanned.all_warnings();
    let text = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    let text = std::str::from_utf8(text).unwrap_or_default();
    match session_from_tape(text, &tape) {
        Some(session) => Ok(Parsed { session, warnings }),
        // A tape that does not read back would be this parser's bug; say so, never panic.
        None => Err(ValidationError::single(Issue::new(
            Vec::new(),
            IssueCode::InvalidInput,
            "internal error: the parsed session could not be read back",
        ))),
    }
}
