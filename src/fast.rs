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

use crate::datetime::DateTime;
use crate::error::{Issue, IssueCode, PathSegment, ValidationError, MAX_ISSUES};
use crate::session::{Id, Intent, Link, Method, Session, SessionOrder, SessionTokenize};
use crate::url::{UrlError, WebUrl};

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

/// The tape: where a valid session's values are in the input, as `i32` words.
///
/// A value is a span of two words, `[start, end)`, in the units a JS string of the input is
/// indexed by: bytes while the text is ASCII, UTF-16 code units past any other character
/// (offsets count from after a byte order mark). A string written with escapes has
/// [`ESCAPED`] added to its start, and `end` is then its closing quote: the reader decodes the
/// quoted text with a JSON parser. A URL written with escapes whose ends are trimmed (see
/// [`TRIMMED`]) has that added too. An absent or null value is [`NONE`], [`NONE`]; a link's
/// absent `method` is `GET`.
///
/// | words | value |
/// | --- | --- |
/// | 0, 1 | `uuid` |
/// | 2, 3 | `order.uuid` (`NONE`: no order) |
/// | 4, 5 | `order.intent` |
/// | 6, 7 | `order.checkout_url` |
/// | 8, 9 | `tokenize.token` (`NONE`: no tokenize), wherever the block was |
/// | 10, 11 | `tokenize.expiration` |
/// | 12, 13 | `tokenize.approval_url` |
/// | 14, 15 | `links`: index of the first link record, count |
/// | 16, 17 | `order.links`, the same |
/// | 18, 19 | `tokenize.links`, the same |
///
/// Then the link records, [`TAPE_LINK`] words each: `href`, `method`, `rel`. `js/api.js` reads
/// it; [`session_from_tape`] is the Rust reader.
pub const TAPE_HEADER: usize = 20;
/// Words per link record.
pub const TAPE_LINK: usize = 6;
/// An absent value.
pub const NONE: i32 = -1;
/// Added to the start of a string written with escapes.
pub const ESCAPED: i32 = 1 << 30;
/// Added, with [`ESCAPED`], to the start of a URL written with escapes whose leading or
/// trailing spaces and control characters the reader must strip after decoding (a URL
/// without escapes is trimmed by its span).
pub const TRIMMED: i32 = 1 << 29;

/// Where each value is in the tape's header (see [`TAPE_HEADER`]).
pub(crate) mod slot {
    pub const UUID: usize = 0;
    pub const ORDER_UUID: usize = 2;
    pub const INTENT: usize = 4;
    pub const CHECKOUT_URL: usize = 6;
    pub const TOKEN: usize = 8;
    pub const EXPIRATION: usize = 10;
    pub const APPROVAL_URL: usize = 12;
    pub const LINKS: usize = 14;
    pub const ORDER_LINKS: usize = 16;
    pub const TOKENIZE_LINKS: usize = 18;
}

/// `[start, end)` of a value in the text (see [`TAPE_HEADER`]).
type Span = [i32; 2];

/// Malformed JSON, or nesting too deep: the scan ends with this one issue. Boxed: every
/// step of the scan returns a `Result` of it, which is then a word wide. `None`: the payload
/// has a key twice in one object, or tokenize in two places, and is scanned again in the
/// careful mode (see [`Scanner::careful`]).
struct Fatal(Option<Box<Issue>>);

const RESTART: Fatal = Fatal(None);

type Step<T = ()> = Result<T, Fatal>;

/// Which rule a string must pass.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Rule {
    Id,
    Url,
    Method,
    Rel,
    Intent,
    DateTime,
}

/// The keys of a session and its parts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Key {
    Uuid,
    Links,
    Order,
    Tokenize,
    Href,
    Method,
    Rel,
    Intent,
    CheckoutUrl,
    Token,
    Expiration,
    ApprovalUrl,
}

const KEYS: usize = 12;

impl Key {
    fn from_wire(key: &[u8]) -> Option<Key> {
        Some(match key {
            b"uuid" => Key::Uuid,
            b"links" => Key::Links,
            b"order" => Key::Order,
            b"tokenize" => Key::Tokenize,
            b"href" => Key::Href,
            b"method" => Key::Method,
            b"rel" => Key::Rel,
            b"intent" => Key::Intent,
            b"checkout_url" => Key::CheckoutUrl,
            b"token" => Key::Token,
            b"expiration" => Key::Expiration,
            b"approval_url" => Key::ApprovalUrl,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Key::Uuid => "uuid",
            Key::Links => "links",
            Key::Order => "order",
            Key::Tokenize => "tokenize",
            Key::Href => "href",
            Key::Method => "method",
            Key::Rel => "rel",
            Key::Intent => "intent",
            Key::CheckoutUrl => "checkout_url",
            Key::Token => "token",
            Key::Expiration => "expiration",
            Key::ApprovalUrl => "approval_url",
        }
    }

    fn bit(self) -> u16 {
        1 << self as u16
    }
}

/// The first bytes of each kind of JSON value, for messages.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Null,
    Boolean,
    Number,
    String,
    Array,
    Object,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Null => "null",
            Kind::Boolean => "boolean",
            Kind::Number => "number",
            Kind::String => "string",
            Kind::Array => "array",
            Kind::Object => "object",
        }
    }
}

/// One step of the path from the root to where the scan is.
#[derive(Clone, Copy)]
enum At {
    Key(&'static str),
    Index(usize),
}

/// The path from the root to where the scan is: at most `order.tokenize.links[i].href`, five
/// steps, kept in place (the scan of a valid payload allocates nothing but its tape).
#[derive(Clone, Copy)]
struct Path {
    steps: [At; 8],
    len: usize,
}

impl Path {
    const EMPTY: Path = Path {
        steps: [At::Index(0); 8],
        len: 0,
    };

    fn push(&mut self, step: At) {
        if let Some(slot) = self.steps.get_mut(self.len) {
            *slot = step;
            self.len += 1;
        }
    }

    fn pop(&mut self) {
        self.len = self.len.saturating_sub(1);
    }

    fn iter(&self) -> impl Iterator<Item = &At> {
        self.steps[..self.len].iter()
    }
}

/// A string just read: where it is, and its bytes unescaped in the input (`raw`) or decoded
/// into the scratch buffer (`None`).
struct Str {
    span: Span,
    raw: Option<(usize, usize)>,
    /// Every byte is printable ASCII (0x21 to 0x7e), so an id or a URL can be checked fast.
    printable: bool,
}

/// Where the scan stood, to scan an object again from there.
struct Mark {
    at: usize,
    depth: usize,
    shift: usize,
    errors: usize,
    warnings: usize,
    records: usize,
    header: [i32; TAPE_HEADER],
    tokenize_in_order: Option<usize>,
}

struct Scanner<'a> {
    bytes: &'a [u8],
    at: usize,
    scratch: &'a mut Vec<u8>,
    tape: &'a mut Vec<i32>,
    /// Bytes minus UTF-16 units before `at` (non-zero once a character past ASCII was read).
    shift: usize,
    depth: usize,
    path: Path,
    errors: Vec<Issue>,
    warnings: Vec<Issue>,
    /// Whether the last `order` held a (non-null) `tokenize`.
    nested_tokenize: bool,
    /// Set when the root is scanned again because it holds both: `order.tokenize` is skipped.
    top_tokenize_wins: bool,
    /// The careful mode, for the rare payload with a key twice in one object or tokenize in
    /// two places: each object is marked where it starts, to be scanned again from there
    /// knowing which member of a key counts. The usual payload is scanned without the marks
    /// and, on meeting either, starts over in this mode.
    careful: bool,
    /// See [`Scanned::tokenize_in_order`].
    tokenize_in_order: Option<usize>,
    /// See [`Scanned::replacement`].
    replacement: bool,
}

impl<'a> Scanner<'a> {
    fn new(bytes: &'a [u8], scratch: &'a mut Vec<u8>, tape: &'a mut Vec<i32>) -> Self {
        Scanner {
            bytes,
            at: 0,
            scratch,
            tape,
            shift: 0,
            depth: 0,
            path: Path::EMPTY,
            errors: Vec::new(),
            warnings: Vec::new(),
            nested_tokenize: false,
            top_tokenize_wins: false,
            tokenize_in_order: None,
            replacement: false,
            careful: false,
        }
    }

    // --- issues -----------------------------------------------------------------------------

    fn path_here(&self) -> Vec<PathSegment> {
        self.path
            .iter()
            .map(|step| match *step {
                At::Key(key) => PathSegment::from(key),
                At::Index(index) => PathSegment::Index(index),
            })
            .collect()
    }

    fn error(&mut self, code: IssueCode, message: impl Into<String>) {
        // Kept past MAX_ISSUES while scanning: a rescan may drop some (`ValidationError` cuts).
        if self.errors.len() < 4 * MAX_ISSUES {
            let issue = Issue::new(self.path_here(), code, message);
            self.errors.push(issue);
        }
    }

    fn error_at(&mut self, key: Key, code: IssueCode, message: &str) {
        self.path.push(At::Key(key.name()));
        self.error(code, message);
        self.path.pop();
    }

    fn warn(&mut self, path: Vec<PathSegment>, code: IssueCode, message: &str) {
        if self.warnings.len() < 4 * MAX_ISSUES {
            self.warnings.push(Issue::new(path, code, message));
        }
    }

    /// Malformed JSON at byte `at`: line and column as serde_json counts them (the column
    /// of the byte after the one at fault, 0 at the start of a line).
    fn malformed(&self, at: usize, reason: &str) -> Fatal {
        let end = (at + 1).min(self.bytes.len());
        let before = &self.bytes[..end];
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        let column = end
            - before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
        let code = IssueCode::InvalidJson;
        let mut issue = Issue::new(
            Vec::new(),
            code,
            format!("malformed JSON at line {line}, column {column}: {reason}"),
        );
        (issue.line, issue.column) = (Some(line), Some(column));
        Fatal(Some(Box::new(issue)))
    }

    fn syntax(&self, reason: &str) -> Fatal {
        if self.at >= self.bytes.len() {
            return self.malformed(self.bytes.len(), &format!("EOF while parsing {reason}"));
        }
        self.malformed(self.at, &format!("expected {reason}"))
    }

    // --- grammar ----------------------------------------------------------------------------

    #[inline]
    fn skip_space(&mut self) {
        if let Some(&byte) = self.bytes.get(self.at) {
            if byte > b' ' {
                return; // the usual case: no space at all
            }
            self.skip_spaces();
        }
    }

    /// The spaces of pretty-printed JSON: an indentation is passed eight spaces at a time.
    fn skip_spaces(&mut self) {
        const SPACES: u64 = u64::from_le_bytes([b' '; 8]);
        loop {
            match self.bytes.get(self.at) {
                Some(b' ' | b'\t' | b'\n' | b'\r') => self.at += 1,
                _ => return,
            }
            while let Some(chunk) = self.bytes.get(self.at..self.at + 8) {
                let other = u64::from_le_bytes(chunk.try_into().unwrap_or_default()) ^ SPACES;
                // The bytes before the first that is not a space (little-endian: low first).
                self.at += other.trailing_zeros() as usize / 8;
                if other != 0 {
                    break;
                }
            }
        }
    }

    #[inline]
    fn peek(&mut self) -> Option<u8> {
        self.skip_space();
        self.bytes.get(self.at).copied()
    }

    /// What the next value is, not consumed.
    fn kind(&mut self) -> Step<Kind> {
        Ok(match self.peek() {
            Some(b'n') => Kind::Null,
            Some(b't' | b'f') => Kind::Boolean,
            Some(b'-' | b'0'..=b'9') => Kind::Number,
            Some(b'"') => Kind::String,
            Some(b'[') => Kind::Array,
            Some(b'{') => Kind::Object,
            _ => return Err(self.syntax("a value")),
        })
    }

    fn expect(&mut self, byte: u8, what: &str) -> Step {
        if self.peek() == Some(byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.syntax(what))
        }
    }

    /// After an item: `,` (another follows) or `end` (none does).
    #[inline]
    fn more(&mut self, end: u8) -> Step<bool> {
        match self.peek() {
            Some(b',') => {
                self.at += 1;
                Ok(true)
            }
            Some(b) if b == end => {
                self.at += 1;
                Ok(false)
            }
            _ => Err(self.syntax(if end == b'}' {
                "`,` or `}`"
            } else {
                "`,` or `]`"
            })),
        }
    }

    /// `{` or `[`, consumed: one level deeper.
    fn open(&mut self, byte: u8) -> Step {
        self.expect(byte, if byte == b'{' { "`{`" } else { "`[`" })?;
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            let Fatal(Some(mut issue)) = self.malformed(self.at - 1, "") else {
                return Err(RESTART);
            };
            issue.code = IssueCode::TooDeep;
            issue.message = format!(
                "the JSON nests deeper than {MAX_DEPTH} levels (line {}, column {})",
                issue.line.unwrap_or(0),
                issue.column.unwrap_or(0)
            );
            return Err(Fatal(Some(issue)));
        }
        Ok(())
    }

    /// `end`, consumed, if it comes next (an empty object or array).
    fn close(&mut self, end: u8) -> bool {
        if self.peek() == Some(end) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    /// `null`, consumed, if it comes next.
    fn null(&mut self) -> Step<bool> {
        if self.peek() != Some(b'n') {
            return Ok(false);
        }
        self.literal(b"null")?;
        Ok(true)
    }

    fn literal(&mut self, word: &[u8]) -> Step {
        if self.bytes.get(self.at..self.at + word.len()) == Some(word) {
            self.at += word.len();
            Ok(())
        } else {
            Err(self.malformed(self.at, "expected ident"))
        }
    }

    /// A JSON number, refused as serde_json and the oracle refuse it when an f64 cannot
    /// hold its value (`1e400`).
    fn number(&mut self) -> Step {
        let b = self.bytes;
        let start = self.at;
        let mut i = start;
        let digits = |i: &mut usize| {
            let from = *i;
            while matches!(b.get(*i), Some(b'0'..=b'9')) {
                *i += 1;
            }
            *i - from
        };
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        match b.get(i) {
            Some(b'0') => i += 1,
            Some(b'1'..=b'9') => {
                digits(&mut i);
            }
            _ => return Err(self.malformed(i, "invalid number")),
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            if digits(&mut i) == 0 {
                return Err(self.malformed(i, "invalid number"));
            }
        }
        let mut large = false;
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            let count = digits(&mut i);
            if count == 0 {
                return Err(self.malformed(i, "invalid number"));
            }
            large = count >= 3;
        }
        self.at = i;
        // Only a number written with a 3-digit exponent or 300-odd digits can overflow.
        if (large || i - start > 300) && overflows(&b[start..i]) {
            return Err(self.malformed(i.saturating_sub(1), "number out of range"));
        }
        Ok(())
    }

    /// An object or array, `open` next: `item` reads each member or element.
    fn items(&mut self, open: u8, close: u8, mut item: impl FnMut(&mut Self) -> Step) -> Step {
        self.open(open)?;
        if !self.close(close) {
            loop {
                item(self)?;
                if !self.more(close)? {
                    break;
                }
            }
        }
        self.depth -= 1;
        Ok(())
    }

    /// Any JSON value, checked for grammar only.
    fn skip_value(&mut self) -> Step {
        match self.kind()? {
            Kind::String => self.string().map(drop),
            Kind::Object => self.items(b'{', b'}', |s| {
                if s.peek() != Some(b'"') {
                    return Err(s.syntax("a string key"));
                }
                s.string()?;
                s.expect(b':', "`:`")?;
                s.skip_value()
            }),
            Kind::Array => self.items(b'[', b']', Self::skip_value),
            Kind::Boolean => {
                let word: &[u8] = if self.bytes[self.at] == b't' {
                    b"true"
                } else {
                    b"false"
                };
                self.literal(word)
            }
            Kind::Null => self.literal(b"null"),
            Kind::Number => self.number(),
        }
    }

    // --- strings ----------------------------------------------------------------------------

    /// A string, `"` next: where it is, checked for grammar and UTF-8.
    fn string(&mut self) -> Step<Str> {
        self.at += 1;
        let start = self.at;
        let rest = &self.bytes[start..];
        let Some((end, printable)) = find_special(rest) else {
            return Err(self.malformed(self.bytes.len(), "EOF while parsing a string"));
        };
        match rest[end] {
            b'"' => {
                self.at += end + 1;
                let raw = &rest[..end];
                if printable {
                    let span = [
                        (start - self.shift) as i32,
                        (start + end - self.shift) as i32,
                    ];
                    return Ok(Str {
                        span,
                        raw: Some((start, start + end)),
                        printable,
                    });
                }
                if std::str::from_utf8(raw).is_err() {
                    return Err(self.malformed(start + end, "invalid unicode code point"));
                }
                self.replacement |= has_replacement(raw);
                let from = start - self.shift;
                self.shift += utf16_shift(raw);
                Ok(Str {
                    span: [from as i32, (start + end - self.shift) as i32],
                    raw: Some((start, start + end)),
                    printable,
                })
            }
            b'\\' => {
                self.at += end;
                self.escaped_string(start)
            }
            _ => Err(self.malformed(
                start + end,
                "control character (\\u0000-\\u001F) found while parsing a string",
            )),
        }
    }

    /// The rest of a string with escapes, decoded into the scratch buffer; its span is
    /// flagged ESCAPED and ends at the closing quote.
    fn escaped_string(&mut self, start: usize) -> Step<Str> {
        self.scratch.clear();
        self.scratch.extend_from_slice(&self.bytes[start..self.at]);
        loop {
            let Some(&byte) = self.bytes.get(self.at) else {
                return Err(self.malformed(self.bytes.len(), "EOF while parsing a string"));
            };
            match byte {
                b'"' => break,
                b'\\' => {
                    let Some(&escape) = self.bytes.get(self.at + 1) else {
                        return Err(self.malformed(self.bytes.len(), "EOF while parsing a string"));
                    };
                    self.at += 2;
                    let simple = match escape {
                        b'"' => b'"',
                        b'\\' => b'\\',
                        b'/' => b'/',
                        b'b' => 0x08,
                        b'f' => 0x0c,
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'u' => {
                            let c = self.unicode_escape()?;
                            let mut buf = [0; 4];
                            self.scratch
                                .extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                            continue;
                        }
                        _ => return Err(self.malformed(self.at - 1, "invalid escape")),
                    };
                    self.scratch.push(simple);
                }
                0x00..=0x1f => {
                    return Err(self.malformed(
                        self.at,
                        "control character (\\u0000-\\u001F) found while parsing a string",
                    ))
                }
                byte => {
                    self.scratch.push(byte);
                    self.at += 1;
                }
            }
        }
        if std::str::from_utf8(self.scratch).is_err() {
            return Err(self.malformed(self.at, "invalid unicode code point"));
        }
        self.replacement |= has_replacement(&self.bytes[start..self.at]);
        let from = start - self.shift;
        self.shift += utf16_shift(&self.bytes[start..self.at]);
        let to = self.at - self.shift;
        self.at += 1;
        Ok(Str {
            span: [from as i32 + ESCAPED, to as i32],
            raw: None,
            printable: false,
        })
    }

    fn hex4(&mut self) -> Step<u32> {
        let mut n = 0;
        for _ in 0..4 {
            let digit = self
                .bytes
                .get(self.at)
                .and_then(|d| char::from(*d).to_digit(16));
            let Some(digit) = digit else {
                return Err(self.malformed(self.at, "invalid escape"));
            };
            n = n * 16 + digit;
            self.at += 1;
        }
        Ok(n)
    }

    /// After `\u`: one code point, a surrogate pair joined; a lone surrogate is malformed
    /// (a Rust string cannot hold one, and the package refuses one in every form).
    fn unicode_escape(&mut self) -> Step<char> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if self.bytes.get(self.at..self.at + 2) != Some(b"\\u") {
                    return Err(self.malformed(self.at, "unexpected end of hex escape"));
                }
                self.at += 2;
                let second = self.hex4()?;
                if !(0xDC00..0xE000).contains(&second) {
                    return Err(self.malformed(self.at, "lone leading surrogate in hex escape"));
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            0xDC00..=0xDFFF => {
                return Err(self.malformed(self.at, "lone leading surrogate in hex escape"))
            }
            _ => first,
        };
        char::from_u32(code).ok_or_else(|| self.malformed(self.at, "invalid unicode code point"))
    }

    /// A key, `"` next: where its text is in the input, or `(usize::MAX, 0)` when it was
    /// decoded into the scratch buffer. Keys are short and plain: a byte loop finds their
    /// end sooner than `string`'s eight-byte scan, which takes any other.
    fn key(&mut self) -> Step<(usize, usize)> {
        let start = self.at + 1;
        let rest = self.bytes.get(start..).unwrap_or_default();
        if let Some(end) = rest
            .iter()
            .position(|&b| !(0x20..0x7f).contains(&b) || b == b'"' || b == b'\\')
        {
            if rest[end] == b'"' {
                self.at = start + end + 1;
                return Ok((start, start + end));
            }
        }
        let key = self.string()?;
        Ok(key.raw.unwrap_or((usize::MAX, 0)))
    }

    /// The known key written plainly at `start` (after its opening quote), if one is: decided
    /// by its first byte and one comparison with its quoted name.
    #[inline]
    fn known_key(&self, start: usize) -> Option<Key> {
        let key = match self.bytes.get(start)? {
            b'u' => Key::Uuid,
            b'l' => Key::Links,
            b'o' => Key::Order,
            b't' if self.bytes.get(start + 5) == Some(&b'"') => Key::Token,
            b't' => Key::Tokenize,
            b'h' => Key::Href,
            b'm' => Key::Method,
            b'r' => Key::Rel,
            b'i' => Key::Intent,
            b'c' => Key::CheckoutUrl,
            b'e' => Key::Expiration,
            b'a' => Key::ApprovalUrl,
            _ => return None,
        };
        // The quoted name, compared eight bytes at a time (a slice comparison is a call to
        // `memcmp` in wasm).
        let [first, second] = QUOTED_KEYS[key as usize];
        let quoted = key.name().len() + 1;
        let fits = |at: usize, word: u64, len: usize| {
            let mask = if len >= 8 {
                u64::MAX
            } else {
                (1 << (8 * len)) - 1
            };
            word_at(self.bytes, at).is_some_and(|written| written & mask == word)
        };
        (fits(start, first, quoted) && (quoted <= 8 || fits(start + 8, second, quoted - 8)))
            .then_some(key)
    }

    /// The text of the string just read.
    fn text_of(&self, string: &Str) -> &str {
        let bytes = match string.raw {
            Some((from, to)) => &self.bytes[from..to],
            None => &self.scratch[..],
        };
        // Both were checked as UTF-8 when read.
        std::str::from_utf8(bytes).unwrap_or_default()
    }

    /// A string value that must pass `rule`, noted in the tape at `slot`; a value of another
    /// type, or one that breaks the rule, is an issue here. Answers whether the value was
    /// present (not null).
    fn value(&mut self, slot: usize, rule: Rule) -> Step<bool> {
        if self.peek() == Some(b'"') {
            // The usual value, printable ASCII that passes its rule, noted straight away;
            // anything else is read again below, and judged there.
            let start = self.at + 1;
            if let Some((end, true)) = find_special(self.bytes.get(start..).unwrap_or_default()) {
                let close = start + end;
                let raw = &self.bytes[start..close];
                if self.bytes.get(close) == Some(&b'"') && passes_printable(raw, rule) {
                    self.at = close + 1;
                    self.put(
                        slot,
                        [(start - self.shift) as i32, (close - self.shift) as i32],
                    );
                    return Ok(true);
                }
            }
            let string = self.string()?;
            if let Some(span) = self.check(&string, rule) {
                self.put(slot, span);
            }
            return Ok(true);
        }
        match self.kind()? {
            Kind::Null => {
                self.literal(b"null")?;
                Ok(false)
            }
            Kind::String => {
                let string = self.string()?;
                if let Some(span) = self.check(&string, rule) {
                    self.put(slot, span);
                }
                Ok(true)
            }
            kind => {
                self.wrong_type(kind, "a string")?;
                Ok(true)
            }
        }
    }

    /// A value of the wrong kind, stepped over: `expected`, it says, got `kind`.
    fn wrong_type(&mut self, kind: Kind, expected: &str) -> Step {
        self.skip_value()?;
        self.error(
            IssueCode::InvalidType,
            format!("expected {expected}, got {}", kind.name()),
        );
        Ok(())
    }

    /// The span of a string that passes `rule`; otherwise the issue, recorded.
    fn check(&mut self, string: &Str, rule: Rule) -> Option<Span> {
        // The usual case: printable ASCII that passes, decided without a String.
        if string.printable {
            let raw = string
                .raw
                .map_or(&[][..], |(from, to)| &self.bytes[from..to]);
            if passes_printable(raw, rule) {
                return Some(string.span);
            }
        }
        let text = self.text_of(string);
        let verdict = match rule {
            Rule::Url => return self.url(string, text.to_owned()),
            Rule::Id => Id::check(text).map_err(|m| (IssueCode::InvalidString, m.to_owned())),
            Rule::Rel if text.is_empty() => {
                Err((IssueCode::InvalidString, "must not be empty".to_owned()))
            }
            Rule::Rel => Ok(()),
            Rule::Method => Method::from_wire(text).map(drop).ok_or((
                IssueCode::InvalidEnum,
                "expected one of GET, POST, PUT, PATCH, DELETE".to_owned(),
            )),
            Rule::Intent => Intent::from_wire(text).map(drop).ok_or((
                IssueCode::InvalidEnum,
                "expected AUTH or CAPTURE".to_owned(),
            )),
            Rule::DateTime => DateTime::parse(text.to_owned())
                .map(drop)
                .map_err(|reason| {
                    (
                        IssueCode::InvalidDatetime,
                        format!("expected an RFC 3339 date-time: {reason}"),
                    )
                }),
        };
        match verdict {
            Ok(()) => Some(string.span),
            Err((code, message)) => {
                self.error(code, message);
                None
            }
        }
    }

    /// A URL: the rule, after stripping leading and trailing spaces and control characters
    /// as the WHATWG URL parser (browsers, Node) does, with a warning when there were any.
    fn url(&mut self, string: &Str, text: String) -> Option<Span> {
        let is_edge = |c: char| c <= ' ';
        let trimmed = text.trim_matches(is_edge);
        let cut = trimmed.len() != text.len();
        if let Err(error) = WebUrl::parse(trimmed.to_owned()) {
            match error {
                UrlError::Invalid(reason) => self.error(
                    IssueCode::InvalidUrl,
                    format!("expected an absolute https URL; this one {reason}"),
                ),
                UrlError::Unsafe(reason) => self.error(IssueCode::UnsafeUrl, reason),
            }
            return None;
        }
        if !cut {
            return Some(string.span);
        }
        let path = self.path_here();
        self.warn(
            path,
            IssueCode::TrimmedUrl,
            "leading or trailing spaces or control characters were removed, as browsers do",
        );
        let [start, end] = string.span;
        if string.raw.is_none() {
            return Some([start + TRIMMED, end]);
        }
        // Unescaped: the ends are ASCII spaces, one unit each.
        let lead = text.len() - text.trim_start_matches(is_edge).len();
        let trail = text.len() - text.trim_end_matches(is_edge).len();
        Some([start + lead as i32, end - trail as i32])
    }

    #[inline]
    fn put(&mut self, slot: usize, span: Span) {
        if let Some(words) = self.tape.get_mut(slot..slot + 2) {
            words.copy_from_slice(&span);
        }
    }

    // --- objects ----------------------------------------------------------------------------

    fn mark(&self) -> Mark {
        let mut header = [NONE; TAPE_HEADER];
        header.copy_from_slice(&self.tape[..TAPE_HEADER]);
        Mark {
            at: self.at,
            depth: self.depth,
            shift: self.shift,
            errors: self.errors.len(),
            warnings: self.warnings.len(),
            records: self.tape.len(),
            header,
            tokenize_in_order: self.tokenize_in_order,
        }
    }

    fn restore(&mut self, mark: &Mark) {
        self.at = mark.at;
        self.depth = mark.depth;
        self.shift = mark.shift;
        self.errors.truncate(mark.errors);
        self.warnings.truncate(mark.warnings);
        self.tokenize_in_order = mark.tokenize_in_order;
        self.tape.truncate(mark.records);
        self.tape[..TAPE_HEADER].copy_from_slice(&mark.header);
    }

    /// An object, `{` next. Each member with a known key goes to `member` (which answers
    /// whether its value was present, not null); others are unknown fields, warned of and
    /// stepped over. Answers the known keys present. When a key comes twice, the object is
    /// scanned again taking only each key's last member, as `JSON.parse` does.
    fn object(&mut self, member: &mut dyn FnMut(&mut Self, Key) -> Step<bool>) -> Step<u16> {
        if !self.careful {
            return match self.members(member, None)? {
                Ok(present) => Ok(present),
                Err(_) => Err(RESTART),
            };
        }
        let start = self.mark();
        let mut last: Option<[usize; KEYS]> = None;
        loop {
            match self.members(member, last.as_ref())? {
                Ok(present) => return Ok(present),
                Err(latest) => {
                    self.restore(&start);
                    last = Some(latest);
                }
            }
        }
    }

    /// One scan of an object's members: the keys present, or (on a first scan that met a
    /// key twice) where each key's last member starts.
    #[allow(clippy::type_complexity)]
    fn members(
        &mut self,
        member: &mut dyn FnMut(&mut Self, Key) -> Step<bool>,
        last: Option<&[usize; KEYS]>,
    ) -> Step<Result<u16, [usize; KEYS]>> {
        self.open(b'{')?;
        let (mut present, mut seen) = (0u16, 0u16);
        let mut latest = [usize::MAX; KEYS];
        let mut twice = false;
        let mut unknown: Vec<String> = Vec::new();
        if !self.close(b'}') {
            loop {
                if self.peek() != Some(b'"') {
                    return Err(self.syntax("a string key"));
                }
                let key_at = self.at;
                let (known, (from, to)) = match self.known_key(key_at + 1) {
                    Some(known) => {
                        self.at = key_at + known.name().len() + 2;
                        (Some(known), (0, 0))
                    }
                    None => (None, self.key()?),
                };
                self.expect(b':', "`:`")?;
                let name = match (from, to) {
                    (usize::MAX, _) => &self.scratch[..],
                    _ => &self.bytes[from..to],
                };
                match known.or_else(|| Key::from_wire(name)) {
                    Some(known) => {
                        twice |= seen & known.bit() != 0;
                        if twice && !self.careful {
                            return Err(RESTART);
                        }
                        seen |= known.bit();
                        latest[known as usize] = key_at;
                        let take = match last {
                            Some(last) => last[known as usize] == key_at,
                            None => !twice,
                        };
                        if take {
                            self.path.push(At::Key(known.name()));
                            let here = member(self, known);
                            self.path.pop();
                            if here? {
                                present |= known.bit();
                            } else {
                                present &= !known.bit();
                            }
                        } else {
                            self.skip_value()?;
                        }
                    }
                    None => {
                        // (Checked as UTF-8 when read, as every string is.)
                        let name = std::str::from_utf8(name).unwrap_or_default().to_owned();
                        // (A first scan that met a key twice warns no more: the rescan will.)
                        if (last.is_some() || !twice) && !unknown.contains(&name) {
                            let mut path = self.path_here();
                            path.push(PathSegment::Key(name.clone()));
                            self.warn(
                                path,
                                IssueCode::UnknownField,
                                "is not a known field; it is left out of the result",
                            );
                            unknown.push(name);
                        }
                        self.skip_value()?;
                    }
                }
                if !self.more(b'}')? {
                    break;
                }
            }
        }
        self.depth -= 1;
        if twice && last.is_none() {
            return Ok(Err(latest));
        }
        Ok(Ok(present))
    }

    /// `required` for each of `keys` the object (present keys `present`) lacks.
    fn required(&mut self, present: u16, keys: &[Key]) {
        for &key in keys {
            if present & key.bit() == 0 {
                self.error_at(key, IssueCode::Required, "is required");
            }
        }
    }

    /// An object value (or null) at a known key: `scan` reads it; another type is an issue.
    fn block(&mut self, scan: impl FnOnce(&mut Self) -> Step) -> Step<bool> {
        match self.kind()? {
            Kind::Null => {
                self.literal(b"null")?;
                Ok(false)
            }
            Kind::Object => {
                scan(self)?;
                Ok(true)
            }
            kind => {
                self.wrong_type(kind, "an object")?;
                Ok(true)
            }
        }
    }

    /// `links`: null (none), or an array of links, noted at `slot` (first record, count).
    fn links(&mut self, slot: usize) -> Step<bool> {
        let first = (self.tape.len() - TAPE_HEADER) / TAPE_LINK;
        let mut count = 0;
        match self.kind()? {
            Kind::Null => self.literal(b"null")?,
            Kind::Array => self.items(b'[', b']', |s| {
                s.path.push(At::Index(count));
                let link = s.link();
                s.path.pop();
                count += 1;
                link
            })?,
            kind => {
                self.wrong_type(kind, "an array of links")?;
            }
        }
        self.put(slot, [first as i32, count as i32]);
        Ok(true)
    }

    fn link(&mut self) -> Step {
        let record = self.tape.len();
        self.tape.extend_from_slice(&[NONE; TAPE_LINK]);
        let kind = self.kind()?;
        if kind != Kind::Object {
            self.wrong_type(kind, "an object")?;
            return Ok(());
        }
        let present = self.object(&mut |s, key| match key {
            Key::Href => s.value(record, Rule::Url),
            // Sezzle's Link schema: "If omitted, will default to GET".
            Key::Method => s.value(record + 2, Rule::Method),
            Key::Rel => s.value(record + 4, Rule::Rel),
            _ => s.unknown_member(),
        })?;
        self.required(present, &[Key::Href, Key::Rel]);
        Ok(())
    }

    /// A known key where its object does not know it (`uuid` in a link): an unknown field.
    fn unknown_member(&mut self) -> Step<bool> {
        let path = self.path_here();
        self.warn(
            path,
            IssueCode::UnknownField,
            "is not a known field; it is left out of the result",
        );
        self.skip_value()?;
        Ok(false)
    }

    fn tokenize(&mut self) -> Step {
        let present = self.object(&mut |s, key| match key {
            Key::Token => s.value(slot::TOKEN, Rule::Id),
            Key::Expiration => s.value(slot::EXPIRATION, Rule::DateTime),
            Key::ApprovalUrl => s.value(slot::APPROVAL_URL, Rule::Url),
            Key::Links => s.links(slot::TOKENIZE_LINKS),
            _ => s.unknown_member(),
        })?;
        self.required(present, &[Key::Token]);
        Ok(())
    }

    fn order(&mut self) -> Step {
        self.nested_tokenize = false;
        let present = self.object(&mut |s, key| match key {
            Key::Uuid => s.value(slot::ORDER_UUID, Rule::Id),
            Key::Intent => s.value(slot::INTENT, Rule::Intent),
            Key::CheckoutUrl => s.value(slot::CHECKOUT_URL, Rule::Url),
            Key::Links => s.links(slot::ORDER_LINKS),
            Key::Tokenize => s.nested_tokenize(),
            _ => s.unknown_member(),
        })?;
        self.required(present, &[Key::Uuid]);
        Ok(())
    }

    /// `order.tokenize`, as Sezzle's documented example has it: read as the session's own
    /// tokenize, unless the session has one at the top level too (which wins).
    fn nested_tokenize(&mut self) -> Step<bool> {
        if self.null()? {
            self.nested_tokenize = false;
            return Ok(false);
        }
        if self.top_tokenize_wins {
            let path = self.path_here();
            self.warn(
                path,
                IssueCode::DuplicateTokenize,
                "tokenize is also at the top level; the top-level one is used",
            );
            self.skip_value()?;
            return Ok(true);
        }
        self.nested_tokenize = true;
        self.tokenize_in_order = Some(self.warnings.len());
        self.block(Self::tokenize)
    }

    fn session(&mut self) -> Step {
        let kind = self.kind()?;
        if kind != Kind::Object {
            self.wrong_type(kind, "a session object")?;
            return Ok(());
        }
        let start = self.careful.then(|| self.mark());
        loop {
            self.nested_tokenize = false;
            let present = self.object(&mut |s, key| match key {
                Key::Uuid => s.value(slot::UUID, Rule::Id),
                Key::Links => s.links(slot::LINKS),
                Key::Order => {
                    s.nested_tokenize = false;
                    s.block(Self::order)
                }
                Key::Tokenize => s.block(Self::tokenize),
                _ => s.unknown_member(),
            })?;
            // Both a top-level tokenize and one in order: the top-level one is used, so the
            // root is read again skipping the one in order.
            if present & Key::Tokenize.bit() != 0 && self.nested_tokenize && !self.top_tokenize_wins
            {
                let Some(start) = &start else {
                    return Err(RESTART);
                };
                self.restore(start);
                self.top_tokenize_wins = true;
                continue;
            }
            self.required(present, &[Key::Uuid]);
            return Ok(());
        }
    }
}

/// The first `"`, `\\` or control character, and whether every byte before it is printable
/// ASCII (0x21 to 0x7e), eight bytes at a time (SWAR: a byte of `v ^ c` is zero where `v`
/// holds `c`, and `(x - 0x01..) & !x & 0x80..` marks bytes below a bound; the lowest mark is
/// always a true one).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn find_special(bytes: &[u8]) -> Option<(usize, bool)> {
    use core::arch::wasm32::{
        i8x16_bitmask, i8x16_eq, u64x2, u8x16_ge, u8x16_lt, u8x16_splat, v128_or,
    };
    let mut at = 0;
    let mut odd = false;
    while let Some(chunk) = bytes.get(at..at + 16) {
        let word = |i: usize| u64::from_le_bytes(chunk[i..i + 8].try_into().unwrap_or_default());
        let v = u64x2(word(0), word(8));
        let ends = v128_or(
            v128_or(
                i8x16_eq(v, u8x16_splat(b'"')),
                i8x16_eq(v, u8x16_splat(b'\\')),
            ),
            u8x16_lt(v, u8x16_splat(0x20)),
        );
        let unusual = v128_or(
            i8x16_eq(v, u8x16_splat(b' ')),
            u8x16_ge(v, u8x16_splat(0x7f)),
        );
        let (ends, unusual) = (i8x16_bitmask(ends), i8x16_bitmask(unusual));
        if ends != 0 {
            let end = ends.trailing_zeros();
            let printable = !odd && unusual & ((1 << end) - 1) == 0;
            return Some((at + end as usize, printable));
        }
        odd |= unusual != 0;
        at += 16;
    }
    let (end, printable) = find_special_words(&bytes[at..])?;
    Some((at + end, printable && !odd))
}

/// Whether the two string scans agree on `bytes` (the wasm tests hold them to it).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub fn string_scans_agree(bytes: &[u8]) -> bool {
    find_special(bytes) == find_special_words(bytes)
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn find_special(bytes: &[u8]) -> Option<(usize, bool)> {
    find_special_words(bytes)
}

fn find_special_words(bytes: &[u8]) -> Option<(usize, bool)> {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGH: u64 = ONES * 0x80;
    let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x & HIGH;
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    let mut odd = 0; // marks of space, 0x7f and non-ASCII bytes
    for chunk in &mut chunks {
        let v = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        let marks = below(v ^ (ONES * u64::from(b'"')), 1)
            | below(v ^ (ONES * u64::from(b'\\')), 1)
            | below(v, 0x20);
        let unusual = below(v ^ (ONES * 0x20), 1) | below(v ^ (ONES * 0x7f), 1) | (v & HIGH);
        if marks != 0 {
            let end = marks.trailing_zeros() / 8;
            // Only the bytes before the end count.
            let before = if end == 0 {
                0
            } else {
                u64::MAX >> (64 - 8 * end)
            };
            let printable = odd == 0 && unusual & before == 0;
            return Some((at + end as usize, printable));
        }
        odd |= unusual;
        at += 8;
    }
    let rest = chunks.remainder();
    let end = rest
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
    let printable = odd == 0 && rest[..end].iter().all(|b| (0x21..=0x7e).contains(b));
    Some((at + end, printable))
}

/// Whether `raw`, printable ASCII, passes `rule` (decided without a `String`).
fn passes_printable(raw: &[u8], rule: Rule) -> bool {
    match rule {
        Rule::Id | Rule::Rel => !raw.is_empty(),
        Rule::Url => WebUrl::check_printable(raw),
        Rule::Method => one_of(raw, &METHODS),
        Rule::Intent => one_of(raw, &INTENTS),
        Rule::DateTime => std::str::from_utf8(raw).is_ok_and(DateTime::check),
    }
}

/// The eight bytes at `at` as one little-endian word, when there are eight.
#[inline]
fn word_at(bytes: &[u8], at: usize) -> Option<u64> {
    let eight = bytes.get(at..at.checked_add(8)?)?;
    Some(u64::from_le_bytes(eight.try_into().ok()?))
}

/// Up to eight bytes as one little-endian word (zeros after them): short values are compared
/// as numbers.
#[inline]
const fn short_word(bytes: &[u8], from: usize) -> u64 {
    let mut word = 0;
    let mut i = 0;
    while i < 8 && from + i < bytes.len() {
        word |= (bytes[from + i] as u64) << (8 * i);
        i += 1;
    }
    word
}

/// Each key's name and closing quote as two words, in `Key` order.
const QUOTED_KEYS: [[u64; 2]; KEYS] = {
    const NAMES: [&[u8]; KEYS] = [
        b"uuid\"",
        b"links\"",
        b"order\"",
        b"tokenize\"",
        b"href\"",
        b"method\"",
        b"rel\"",
        b"intent\"",
        b"checkout_url\"",
        b"token\"",
        b"expiration\"",
        b"approval_url\"",
    ];
    let mut words = [[0; 2]; KEYS];
    let mut i = 0;
    while i < KEYS {
        words[i] = [short_word(NAMES[i], 0), short_word(NAMES[i], 8)];
        i += 1;
    }
    words
};

/// Whether a short value is one of `words` (each at most eight bytes).
#[inline]
fn one_of(value: &[u8], words: &[u64]) -> bool {
    value.len() <= 8 && words.contains(&short_word(value, 0))
}

const METHODS: [u64; 5] = [
    short_word(b"GET", 0),
    short_word(b"POST", 0),
    short_word(b"PUT", 0),
    short_word(b"PATCH", 0),
    short_word(b"DELETE", 0),
];
const INTENTS: [u64; 2] = [short_word(b"AUTH", 0), short_word(b"CAPTURE", 0)];

/// The least value an f64 rounds to infinity, 2^1024 - 2^970 (halfway past f64::MAX), in
/// decimal digits: 0.1797... x 10^309.
const OVERFLOW_DIGITS: &[u8] = b"179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792";

/// Whether a JSON number (grammar already checked) is too large for an f64, as the oracle's
/// serde_json refuses it ("number out of range"). Decided on the digits: `str::parse::<f64>`
/// would add its whole float parser to the module.
fn overflows(number: &[u8]) -> bool {
    let (mantissa, exponent) = match number.iter().position(|&b| b == b'e' || b == b'E') {
        Some(at) => (&number[..at], &number[at + 1..]),
        None => (number, &b""[..]),
    };
    let mantissa = mantissa.strip_prefix(b"-").unwrap_or(mantissa);
    let (whole, fraction) = match mantissa.iter().position(|&b| b == b'.') {
        Some(at) => (&mantissa[..at], &mantissa[at + 1..]),
        None => (mantissa, &b""[..]),
    };
    // The significant digits, and the power of ten of the first: value = 0.d1d2... x 10^power.
    let digits: Vec<u8> = whole.iter().chain(fraction).copied().collect();
    let Some(first) = digits.iter().position(|&d| d != b'0') else {
        return false; // zero
    };
    let significant = &digits[first..];
    let (sign, written) = match exponent.first() {
        Some(b'-') => (-1, &exponent[1..]),
        Some(b'+') => (1, &exponent[1..]),
        _ => (1, exponent),
    };
    // Exponents past any that could matter are clamped (a 1 MiB input can hold a long one).
    let written = written
        .iter()
        .fold(0i64, |n, d| (n * 10 + i64::from(d - b'0')).min(1 << 40));
    let power = whole.len() as i64 - first as i64 + sign * written;
    match power.cmp(&309) {
        std::cmp::Ordering::Less => false,
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Equal => {
            let significant = significant
                .iter()
                .rposition(|&d| d != b'0')
                .map_or(&significant[..0], |last| &significant[..=last]);
            significant >= OVERFLOW_DIGITS
        }
    }
}

/// Whether UTF-8 `text` holds U+FFFD (EF BF BD).
fn has_replacement(text: &[u8]) -> bool {
    text.windows(3).any(|w| w == [0xEF, 0xBF, 0xBD])
}

/// Bytes minus UTF-16 code units of valid UTF-8 (a continuation byte is no unit of its own; a
/// four-byte character is two units).
fn utf16_shift(text: &[u8]) -> usize {
    let continuations = text.iter().filter(|&&b| b & 0xC0 == 0x80).count();
    let astral = text.iter().filter(|&&b| b >= 0xF0).count();
    continuations - astral
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
/// skipped): the session and its warnings, or every issue found, each with its path.
pub fn parse_session(input: &[u8]) -> Result<Parsed, ValidationError> {
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

/// The session a tape describes, its strings taken from `text` (the input after any byte
/// order mark): what `js/api.js` does with JS string slices. `None` when a span does not fit
/// the text or a value fails its rule (never, for the tape of a valid scan).
pub fn session_from_tape(text: &str, tape: &[i32]) -> Option<Session> {
    // Spans count UTF-16 units once the text is past ASCII.
    let units: Option<Vec<u16>> = (!text.is_ascii()).then(|| text.encode_utf16().collect());
    let string = |at: usize| -> Option<Option<String>> {
        let (start, end) = (*tape.get(at)?, *tape.get(at + 1)?);
        if start == NONE {
            return Some(None);
        }
        let escaped = start >= ESCAPED;
        let trimmed = escaped && start & TRIMMED != 0;
        let start = usize::try_from(start & !(ESCAPED | TRIMMED)).ok()?;
        let end = usize::try_from(end).ok()?;
        let slice = |from: usize, to: usize| -> Option<String> {
            match &units {
                Some(units) => String::from_utf16(units.get(from..to)?).ok(),
                None => text.get(from..to).map(str::to_owned),
            }
        };
        if !escaped {
            return slice(start, end).map(Some);
        }
        let decoded = decode_string(&slice(start.checked_sub(1)?, end + 1)?)?;
        Some(Some(if trimmed {
            decoded.trim_matches(|c: char| c <= ' ').to_owned()
        } else {
            decoded
        }))
    };
    let id = |at: usize| -> Option<Option<Id>> {
        string(at)?.map_or(Some(None), |text| Id::parse(text).ok().map(Some))
    };
    let url = |at: usize| -> Option<Option<WebUrl>> {
        string(at)?.map_or(Some(None), |text| WebUrl::parse(text).ok().map(Some))
    };
    let links = |at: usize| -> Option<Vec<Link>> {
        let first = usize::try_from(*tape.get(at)?).ok()?;
        let count = usize::try_from(*tape.get(at + 1)?).ok()?;
        (first..first + count)
            .map(|i| {
                let record = TAPE_HEADER + i * TAPE_LINK;
                Some(Link {
                    href: url(record)??,
                    method: match string(record + 2)? {
                        None => Method::Get,
                        Some(text) => Method::from_wire(&text)?,
                    },
                    rel: string(record + 4)??,
                })
            })
            .collect()
    };
    let order = match id(slot::ORDER_UUID)? {
        None => None,
        Some(uuid) => Some(SessionOrder {
            uuid,
            intent: match string(slot::INTENT)? {
                None => None,
                Some(text) => Some(Intent::from_wire(&text)?),
            },
            checkout_url: url(slot::CHECKOUT_URL)?,
            links: links(slot::ORDER_LINKS)?,
        }),
    };
    let tokenize = match id(slot::TOKEN)? {
        None => None,
        Some(token) => Some(SessionTokenize {
            token,
            expiration: match string(slot::EXPIRATION)? {
                None => None,
                Some(text) => Some(DateTime::parse(text).ok()?),
            },
            approval_url: url(slot::APPROVAL_URL)?,
            links: links(slot::TOKENIZE_LINKS)?,
        }),
    };
    Some(Session {
        uuid: id(slot::UUID)??,
        links: links(slot::LINKS)?,
        order,
        tokenize,
    })
}

/// A JSON string literal, quotes included, decoded (the scan has checked its grammar).
fn decode_string(quoted: &str) -> Option<String> {
    let mut scratch = Vec::new();
    let mut tape = Vec::new();
    let mut scanner = Scanner::new(quoted.as_bytes(), &mut scratch, &mut tape);
    let string = scanner.string().ok()?;
    Some(scanner.text_of(&string).to_owned())
}

/// A small JSON document as the gateway client reads Sezzle's answers (an error array, an
/// authentication answer) and the package its allowed hosts: the module needs no other JSON
/// reader (serde_json's, with its `Value` tree, was a fifth of it).
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Flat {
    /// An object: each member's key and, for a string value, its text.
    Object(Members),
    /// An array: objects and strings read, anything else `Other`.
    Array(Vec<Flat>),
    /// A string.
    String(String),
    /// Another value, stepped over.
    Other,
}

/// An object's members, in order; a later member of a key replaces an earlier one.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Members(Vec<(String, Option<String>)>);

impl Members {
    /// The string value of `key` (the last member of that key), if it is a string.
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        let (_, value) = self.0.iter().rev().find(|(k, _)| k == key)?;
        value.as_deref()
    }
}

/// `bytes` as a [`Flat`] document, or `None` when they are not JSON.
pub(crate) fn read_flat(bytes: &[u8]) -> Option<Flat> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let (mut scratch, mut tape) = (Vec::new(), vec![NONE; TAPE_HEADER]);
    let mut scanner = Scanner::new(bytes, &mut scratch, &mut tape);
    let flat = scanner.flat(true).ok()?;
    scanner.skip_space();
    (scanner.at == bytes.len()).then_some(flat)
}

impl Scanner<'_> {
    /// One value as a [`Flat`]; inside an array (`outer` false) an array is `Other`.
    fn flat(&mut self, outer: bool) -> Step<Flat> {
        Ok(match self.kind()? {
            Kind::String => {
                let string = self.string()?;
                Flat::String(self.text_of(&string).to_owned())
            }
            Kind::Object => {
                let mut members = Vec::new();
                self.items(b'{', b'}', |s| {
                    if s.peek() != Some(b'"') {
                        return Err(s.syntax("a string key"));
                    }
                    let key = s.string()?;
                    let key = s.text_of(&key).to_owned();
                    s.expect(b':', "`:`")?;
                    let value = match s.kind()? {
                        Kind::String => {
                            let value = s.string()?;
                            Some(s.text_of(&value).to_owned())
                        }
                        _ => {
                            s.skip_value()?;
                            None
                        }
                    };
                    members.push((key, value));
                    Ok(())
                })?;
                Flat::Object(Members(members))
            }
            Kind::Array if outer => {
                let mut items = Vec::new();
                self.items(b'[', b']', |s| {
                    items.push(s.flat(false)?);
                    Ok(())
                })?;
                Flat::Array(items)
            }
            _ => {
                self.skip_value()?;
                Flat::Other
            }
        })
    }
}

/// The warning verdict 2 of the wasm layer stands for.
pub fn tokenize_in_order_warning() -> Issue {
    Issue::new(
        vec![PathSegment::from("order"), PathSegment::from("tokenize")],
        IssueCode::TokenizeInOrder,
        "tokenize was found inside order; it is returned at the top level",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_documents_read_sezzles_small_answers() {
        let answer = read_flat(
            br#" [{"code":"a","code":"b","n":1,"deep":{"code":"x"}}, "h\u00e9", [1], null] "#,
        );
        let Some(Flat::Array(items)) = answer else {
            panic!("{answer:?}")
        };
        let Flat::Object(members) = &items[0] else {
            panic!("{items:?}")
        };
        assert_eq!(
            members.get("code"),
            Some("b"),
            "the last member of a key counts"
        );
        assert_eq!(members.get("n"), None);
        assert_eq!(members.get("deep"), None);
        assert_eq!(items[1], Flat::String("hé".to_owned()));
        assert_eq!((&items[2], &items[3]), (&Flat::Other, &Flat::Other));
        for not_json in [&b"<html>"[..], b"", b"{\"a\":1", b"[1] x", b"\"\\ud800\""] {
            assert_eq!(
                read_flat(not_json),
                None,
                "{}",
                String::from_utf8_lossy(not_json)
            );
        }
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert_eq!(read_flat(deep.as_bytes()), None);
    }
}
