//! Issues (what is wrong, and where), the validation error that carries them, and the kinds
//! of error the npm package's `SezzleError` has.

use serde::Serialize;
use std::fmt;
#[cfg(test)]
use ts_rs::TS;

/// How many issues one validation reports at most; a payload of ten thousand bad links
/// should not produce a ten-thousand-line error.
pub const MAX_ISSUES: usize = 100;

/// One step of a path into the payload: an object key or an array index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum PathSegment {
    /// An object's key.
    Key(String),
    /// An array's index.
    Index(usize),
}

impl From<&str> for PathSegment {
    fn from(key: &str) -> Self {
        PathSegment::Key(key.to_owned())
    }
}

impl From<usize> for PathSegment {
    fn from(index: usize) -> Self {
        PathSegment::Index(index)
    }
}

/// Stable, machine-readable issue codes, written in snake_case on the wire. The one list: the
/// npm package's JavaScript layer reports a few of them itself (`invalid_input`, `truncated`,
/// `invalid_content_type`), and its TypeScript type is generated from this enum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(test, derive(TS), ts(rename_all = "snake_case"))]
#[non_exhaustive]
pub enum IssueCode {
    /// The input is not JSON (or not UTF-8).
    InvalidJson,
    /// An input that cannot be read as JSON (a JS object with a cycle, a BigInt, a getter
    /// that throws), an authentication answer without its fields, or a session the parser
    /// could not read back (never expected).
    InvalidInput,
    /// The input nests deeper than any session could.
    TooDeep,
    /// The input is larger than [`crate::MAX_INPUT_BYTES`].
    TooLarge,
    /// A value has the wrong JSON type.
    InvalidType,
    /// A required field is absent or `null`.
    Required,
    /// A string is empty, or holds whitespace or control characters where an id cannot.
    InvalidString,
    /// A URL that is not an absolute URL with a host.
    InvalidUrl,
    /// A URL that is well formed but must not be followed: another scheme, plain http to a
    /// remote host, a host that is not allowed, a user name or password.
    UnsafeUrl,
    /// A value outside its closed set (`method`, `intent`).
    InvalidEnum,
    /// A date-time that is not RFC 3339.
    InvalidDatetime,
    /// Warning: a field this version does not know; it is left out of the result.
    UnknownField,
    /// Warning: `tokenize` nested in `order`, as in Sezzle's documented example.
    TokenizeInOrder,
    /// Warning: `tokenize` both at the top level and inside `order`; the top level wins.
    DuplicateTokenize,
    /// Warning: a URL's leading or trailing spaces or control characters were removed, as
    /// the WHATWG URL parser (browsers, Node) removes them.
    TrimmedUrl,
    /// getSession: a 2xx body cut short by a lost connection.
    Truncated,
    /// getSession: a 2xx answer whose content-type is not JSON.
    InvalidContentType,
}

impl IssueCode {
    /// The wire name, e.g. `"invalid_url"`.
    pub fn as_str(self) -> &'static str {
        match self {
            IssueCode::InvalidJson => "invalid_json",
            IssueCode::InvalidInput => "invalid_input",
            IssueCode::TooDeep => "too_deep",
            IssueCode::TooLarge => "too_large",
            IssueCode::InvalidType => "invalid_type",
            IssueCode::Required => "required",
            IssueCode::InvalidString => "invalid_string",
            IssueCode::InvalidUrl => "invalid_url",
            IssueCode::UnsafeUrl => "unsafe_url",
            IssueCode::InvalidEnum => "invalid_enum",
            IssueCode::InvalidDatetime => "invalid_datetime",
            IssueCode::UnknownField => "unknown_field",
            IssueCode::TokenizeInOrder => "tokenize_in_order",
            IssueCode::DuplicateTokenize => "duplicate_tokenize",
            IssueCode::TrimmedUrl => "trimmed_url",
            IssueCode::Truncated => "truncated",
            IssueCode::InvalidContentType => "invalid_content_type",
        }
    }
}

impl IssueCode {
    /// Every code, in declaration order: `ALL[code as usize] == code`. The npm package reads
    /// a code as its index here (`ISSUE_CODES`, generated into `js/tape.generated.js`).
    #[cfg(test)]
    pub(crate) const ALL: [IssueCode; 17] = {
        use IssueCode::*;
        [
            InvalidJson,
            InvalidInput,
            TooDeep,
            TooLarge,
            InvalidType,
            Required,
            InvalidString,
            InvalidUrl,
            UnsafeUrl,
            InvalidEnum,
            InvalidDatetime,
            UnknownField,
            TokenizeInOrder,
            DuplicateTokenize,
            TrimmedUrl,
            Truncated,
            InvalidContentType,
        ]
    };
}

/// Issues as `i32` words and one text, which the npm package reads back into objects
/// (`readIssues` in `js/api.js`) faster than `JSON.parse` reads the same issues as JSON:
///
/// `count`, the length of `message` (-1 without one), then per issue `code` (its index in
/// [`IssueCode::ALL`]), the length of its message, `line` and `column` (-1 without), the
/// number of path steps, and each step: a key's length, or `-1 - index` for an index.
/// `text` holds, in order, `message`, then per issue its keys and its message. Lengths are in
/// UTF-16 units, the units of the JS string the text decodes to.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) fn issue_words(
    message: Option<&str>,
    issues: &[Issue],
    words: &mut Vec<i32>,
    text: &mut String,
) {
    fn units(text: &str) -> i32 {
        let units = if text.is_ascii() {
            text.len()
        } else {
            text.encode_utf16().count()
        };
        i32::try_from(units).unwrap_or(i32::MAX)
    }
    let number = |n: Option<usize>| n.map_or(-1, |n| i32::try_from(n).unwrap_or(i32::MAX));
    words.clear();
    text.clear();
    words.push(i32::try_from(issues.len()).unwrap_or(i32::MAX));
    words.push(message.map_or(-1, units));
    text.push_str(message.unwrap_or_default());
    for issue in issues {
        let steps = i32::try_from(issue.path.len()).unwrap_or(i32::MAX);
        let [code, length] = [issue.code as i32, units(&issue.message)];
        words.extend_from_slice(&[
            code,
            length,
            number(issue.line),
            number(issue.column),
            steps,
        ]);
        for step in &issue.path {
            match step {
                PathSegment::Key(key) => {
                    words.push(units(key));
                    text.push_str(key);
                }
                PathSegment::Index(index) => words.push(-1 - number(Some(*index))),
            }
        }
        text.push_str(&issue.message);
    }
}

// Written by its wire name, with no second table of names beside `as_str` (serde's derive
// would add one to the module).
impl Serialize for IssueCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// A problem or a warning at one place in the payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(TS), ts(optional_fields))]
pub struct Issue {
    /// Keys and array indexes from the payload's root, e.g. `["order", "links", 2, "href"]`.
    #[cfg_attr(test, ts(type = "Array<string | number>"))]
    pub path: Vec<PathSegment>,
    /// What is wrong, as a stable code.
    pub code: IssueCode,
    /// What is wrong, in words.
    pub message: String,
    /// 1-based line of malformed JSON (`invalid_json` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// 1-based column of malformed JSON (`invalid_json` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}

impl Issue {
    /// An issue with no line or column.
    pub fn new(path: Vec<PathSegment>, code: IssueCode, message: impl Into<String>) -> Self {
        Issue {
            path,
            code,
            message: message.into(),
            line: None,
            column: None,
        }
    }

    /// The path as a reader writes it: `order.links[2].href`, or `(root)`.
    pub fn path_text(&self) -> String {
        path_text(&self.path)
    }
}

/// A path as a reader writes it: `order.links[2].href`, or `(root)`.
pub fn path_text(path: &[PathSegment]) -> String {
    if path.is_empty() {
        return "(root)".to_owned();
    }
    let mut out = String::new();
    for segment in path {
        match segment {
            PathSegment::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            PathSegment::Index(index) => {
                out.push('[');
                out.push_str(&index.to_string());
                out.push(']');
            }
        }
    }
    out
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path_text(), self.message)
    }
}

/// A payload that is not a valid session: every issue found, in document order, at most
/// [`MAX_ISSUES`]. Never empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    issues: Vec<Issue>,
}

impl ValidationError {
    /// `None` when `issues` is empty: an error always has a first issue to name.
    pub fn new(mut issues: Vec<Issue>) -> Option<Self> {
        issues.truncate(MAX_ISSUES);
        if issues.is_empty() {
            None
        } else {
            Some(ValidationError { issues })
        }
    }

    pub(crate) fn single(issue: Issue) -> Self {
        ValidationError {
            issues: vec![issue],
        }
    }

    /// Every issue, in document order.
    pub fn issues(&self) -> &[Issue] {
        &self.issues
    }

    /// Every issue, in document order, owned.
    pub fn into_issues(self) -> Vec<Issue> {
        self.issues
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `new` and `single` guarantee a first issue.
        if let Some(first) = self.issues.first() {
            write!(f, "invalid session: {first}")?;
        }
        match self.issues.len() {
            0 | 1 => Ok(()),
            2 => write!(f, " (and 1 more issue)"),
            n => write!(f, " (and {} more issues)", n - 1),
        }
    }
}

impl std::error::Error for ValidationError {}

/// What failed, as the npm package's `SezzleError.kind` says: the payload (`validation`), the
/// caller's arguments (`invalid_argument`, no request sent), the gateway's answer (`http`),
/// the connection (`network`), time (`timeout`), the caller's signal (`aborted`), or the
/// package itself (`internal`). A Rust caller only meets `validation`, as a `ValidationError`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(test, derive(TS))]
#[serde(rename_all = "snake_case")]
// Only its TypeScript declaration is used until the gateway client moves to Rust.
#[allow(dead_code)]
pub(crate) enum SezzleErrorKind {
    /// The payload is not a valid session; `issues` says why.
    Validation,
    /// The caller's arguments are wrong; no request was sent.
    InvalidArgument,
    /// The gateway answered with a failure status (or a refused redirect).
    Http,
    /// The connection failed, or the fetch answered something unreadable.
    Network,
    /// No answer within `timeoutMs`.
    Timeout,
    /// The caller's `AbortSignal` fired.
    Aborted,
    /// The package itself failed.
    Internal,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_words_count_utf16_units_and_write_indexes_below_zero() {
        let mut malformed = Issue::new(Vec::new(), IssueCode::InvalidJson, "bad");
        (malformed.line, malformed.column) = (Some(3), Some(9));
        let issues = [
            Issue::new(
                vec!["order".into(), "lïnks😀".into(), 2.into()],
                IssueCode::UnknownField,
                "é",
            ),
            malformed,
        ];
        let (mut words, mut text) = (vec![99], "stale".to_owned());
        issue_words(Some("two"), &issues, &mut words, &mut text);
        let unknown = IssueCode::UnknownField as i32;
        let invalid_json = IssueCode::InvalidJson as i32;
        // "lïnks😀" is 7 UTF-16 units (the emoji is two); index 2 is -3.
        let expected = [
            2,
            3,
            unknown,
            1,
            -1,
            -1,
            3,
            5,
            7,
            -3,
            invalid_json,
            3,
            3,
            9,
            0,
        ];
        assert_eq!(words, expected);
        assert_eq!(text, "twoorderlïnks😀ébad");
        issue_words(None, &[], &mut words, &mut text);
        assert_eq!((words, text), (vec![0, -1], String::new()));
    }
}

/// `Display`, `AsRef<str>` and comparison with `str` for a type that is a checked text kept as
/// it came (`Id`, `DateTime`).
macro_rules! text_like {
    ($type:ty) => {
        impl std::fmt::Display for $type {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl AsRef<str> for $type {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl PartialEq<str> for $type {
            fn eq(&self, other: &str) -> bool {
                self.as_str() == other
            }
        }

        impl PartialEq<&str> for $type {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }

        impl PartialEq<$type> for str {
            fn eq(&self, other: &$type) -> bool {
                self == other.as_str()
            }
        }

        impl PartialEq<$type> for &str {
            fn eq(&self, other: &$type) -> bool {
                *self == other.as_str()
            }
        }
    };
}
pub(crate) use text_like;

/// Why a text is not an [`Id`](crate::Id) or a [`DateTime`](crate::DateTime): what
/// `Id::parse` and `DateTime::parse` give.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    expected: &'static str,
    reason: String,
}

impl ParseError {
    pub(crate) fn new(expected: &'static str, reason: impl Into<String>) -> ParseError {
        ParseError {
            expected,
            reason: reason.into(),
        }
    }

    /// What is wrong with the text, e.g. `must not be empty`.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not {}: {}", self.expected, self.reason)
    }
}

impl std::error::Error for ParseError {}
