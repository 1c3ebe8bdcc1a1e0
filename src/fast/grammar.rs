//! The JSON grammar: the [`Scanner`] over the input's bytes, and what reads a token of it
//! (spaces, literals, numbers, strings and their escapes, keys, a value stepped over). What a
//! session's value must be is `reader`'s; the eight-byte scans under the strings are `scans`'.

use super::*;

/// Malformed JSON, or nesting too deep: the scan ends with this one issue. Boxed: every
/// step of the scan returns a `Result` of it, which is then a word wide. `None`: the payload
/// has a key twice in one object, or tokenize in two places, and is scanned again in the
/// careful mode (see [`Scanner::careful`]).
pub(super) struct Fatal(pub(super) Option<Box<Issue>>);

pub(super) const RESTART: Fatal = Fatal(None);

pub(super) type Step<T = ()> = Result<T, Fatal>;

/// The first bytes of each kind of JSON value, for messages.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Null,
    Boolean,
    Number,
    String,
    Array,
    Object,
}

impl Kind {
    pub(super) fn name(self) -> &'static str {
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

/// A string just read: where it is, and its bytes unescaped in the input (`raw`) or decoded
/// into the scratch buffer (`None`).
pub(super) struct Str {
    pub(super) span: Span,
    pub(super) raw: Option<(usize, usize)>,
    /// Every byte is printable ASCII (0x21 to 0x7e), so an id or a URL can be checked fast.
    pub(super) printable: bool,
}

pub(super) struct Scanner<'a> {
    pub(super) bytes: &'a [u8],
    pub(super) at: usize,
    pub(super) scratch: &'a mut Vec<u8>,
    pub(super) tape: &'a mut Vec<i32>,
    /// Bytes minus UTF-16 units before `at` (non-zero once a character past ASCII was read).
    pub(super) shift: usize,
    pub(super) depth: usize,
    pub(super) path: Path,
    pub(super) errors: Vec<Issue>,
    pub(super) warnings: Vec<Issue>,
    /// Whether the last `order` held a (non-null) `tokenize`.
    pub(super) nested_tokenize: bool,
    /// Set when the root is scanned again because it holds both: `order.tokenize` is skipped.
    pub(super) top_tokenize_wins: bool,
    /// The careful mode, for the rare payload with a key twice in one object or tokenize in
    /// two places: each object is marked where it starts, to be scanned again from there
    /// knowing which member of a key counts. The usual payload is scanned without the marks
    /// and, on meeting either, starts over in this mode.
    pub(super) careful: bool,
    /// See [`Scanned::tokenize_in_order`].
    pub(super) tokenize_in_order: Option<usize>,
    /// See [`Scanned::replacement`].
    pub(super) replacement: bool,
}

impl<'a> Scanner<'a> {
    pub(super) fn new(bytes: &'a [u8], scratch: &'a mut Vec<u8>, tape: &'a mut Vec<i32>) -> Self {
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

    /// Malformed JSON at byte `at`: line and column as serde_json counts them (the column
    /// of the byte after the one at fault, 0 at the start of a line).
    pub(super) fn malformed(&self, at: usize, reason: &str) -> Fatal {
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

    pub(super) fn syntax(&self, reason: &str) -> Fatal {
        if self.at >= self.bytes.len() {
            return self.malformed(self.bytes.len(), &format!("EOF while parsing {reason}"));
        }
        self.malformed(self.at, &format!("expected {reason}"))
    }

    #[inline]
    pub(super) fn skip_space(&mut self) {
        if let Some(&byte) = self.bytes.get(self.at) {
            if byte > b' ' {
                return; // the usual case: no space at all
            }
            self.skip_spaces();
        }
    }

    /// The spaces of pretty-printed JSON: an indentation is passed eight spaces at a time.
    pub(super) fn skip_spaces(&mut self) {
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
    pub(super) fn peek(&mut self) -> Option<u8> {
        self.skip_space();
        self.bytes.get(self.at).copied()
    }

    /// What the next value is, not consumed.
    pub(super) fn kind(&mut self) -> Step<Kind> {
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

    pub(super) fn expect(&mut self, byte: u8, what: &str) -> Step {
        if self.peek() == Some(byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.syntax(what))
        }
    }

    /// The `:` after a key. The usual `": "` of a pretty-printed member is passed in one step,
    /// so the value's own `peek` meets no space.
    #[inline]
    pub(super) fn colon(&mut self) -> Step {
        match self.bytes.get(self.at..self.at + 2) {
            Some([b':', b' ']) => {
                self.at += 2;
                Ok(())
            }
            _ => self.expect(b':', "`:`"),
        }
    }

    /// After an item: `,` (another follows) or `end` (none does).
    #[inline]
    pub(super) fn more(&mut self, end: u8) -> Step<bool> {
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
    pub(super) fn open(&mut self, byte: u8) -> Step {
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
    pub(super) fn close(&mut self, end: u8) -> bool {
        if self.peek() == Some(end) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    /// `null`, consumed, if it comes next.
    pub(super) fn null(&mut self) -> Step<bool> {
        if self.peek() != Some(b'n') {
            return Ok(false);
        }
        self.literal(b"null")?;
        Ok(true)
    }

    pub(super) fn literal(&mut self, word: &[u8]) -> Step {
        if self.bytes.get(self.at..self.at + word.len()) == Some(word) {
            self.at += word.len();
            Ok(())
        } else {
            Err(self.malformed(self.at, "expected ident"))
        }
    }

    /// A JSON number, refused as serde_json and the oracle refuse it when an f64 cannot
    /// hold its value (`1e400`).
    pub(super) fn number(&mut self) -> Step {
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
    pub(super) fn items(
        &mut self,
        open: u8,
        close: u8,
        mut item: impl FnMut(&mut Self) -> Step,
    ) -> Step {
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
    pub(super) fn skip_value(&mut self) -> Step {
        match self.kind()? {
            Kind::String => self.string().map(drop),
            Kind::Object => self.items(b'{', b'}', |s| {
                if s.peek() != Some(b'"') {
                    return Err(s.syntax("a string key"));
                }
                s.string()?;
                s.colon()?;
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

    /// A string, `"` next: where it is, checked for grammar and UTF-8.
    pub(super) fn string(&mut self) -> Step<Str> {
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
    pub(super) fn escaped_string(&mut self, start: usize) -> Step<Str> {
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

    pub(super) fn hex4(&mut self) -> Step<u32> {
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
    pub(super) fn unicode_escape(&mut self) -> Step<char> {
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
    pub(super) fn key(&mut self) -> Step<(usize, usize)> {
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

    /// The text of the string just read.
    pub(super) fn text_of(&self, string: &Str) -> &str {
        let bytes = match string.raw {
            Some((from, to)) => &self.bytes[from..to],
            None => &self.scratch[..],
        };
        // Both were checked as UTF-8 when read.
        std::str::from_utf8(bytes).unwrap_or_default()
    }
}
