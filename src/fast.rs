//! The fast verdict: is this payload a valid session, and with which warnings (`tokenize`
//! nested in `order`, as in Sezzle's documented example; fields the model does not know)?
//!
//! Most payloads are valid and in Sezzle's exact shape. For those, one pass over the bytes,
//! directed by the session's schema, checks the JSON grammar and every rule of `validate.rs`
//! without building anything: no `serde_json::Value`, no `Session`, no allocation (escaped
//! strings are decoded into one reused buffer). What it leaves behind is a [tape](TAPE_HEADER):
//! where each value of the result is in the input text, as a few integers. The JS layer builds
//! the result from the tape with slices of the text it already holds, so no result crosses the
//! boundary either: the answer is one number and the tape, read in place from linear memory.
//!
//! Unknown fields (Sezzle may add some) are stepped over and reported as the full path
//! reports them. Anything else unusual (a null where a string belongs, a wrong type, a
//! duplicate key, tokenize in both places, a lone surrogate, an escaped key, a number that
//! could overflow, any broken rule) answers `Verdict::Unsure`, and the caller takes the full
//! path, `validate::parse_session`, which reports every issue with its path. `Unsure` never means invalid; `Valid` must mean exactly
//! what `parse_session` would answer (the tests and the fuzz target hold the two together).

use crate::datetime::DateTime;
use crate::error::{Issue, IssueCode, PathSegment};
use crate::session::{Id, Intent, Method};
use crate::url::WebUrl;
use crate::validate::MAX_INPUT_BYTES;

/// What the fast pass can tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Ask `validate::parse_session`.
    Unsure,
    /// A valid session with no warning.
    Valid,
    /// A valid session whose `tokenize` is inside `order` (warning `tokenize_in_order`).
    ValidTokenizeInOrder,
    /// A valid session with fields the model does not know (Sezzle may add some): these
    /// warnings, in the full path's order.
    ValidWithWarnings(Vec<Issue>),
}

impl Verdict {
    /// 0 unsure, 1 valid, 2 valid with `tokenize_in_order`, 3 valid with other warnings.
    pub fn code(&self) -> u32 {
        match self {
            Verdict::Unsure => 0,
            Verdict::Valid => 1,
            Verdict::ValidTokenizeInOrder => 2,
            Verdict::ValidWithWarnings(_) => 3,
        }
    }
}

/// Where an unknown field was, in the order the full path reports them: root links, order
/// links, order, (tokenize_in_order), tokenize links, tokenize, root; then by link index and
/// by key (the full path keeps an object's fields in a sorted map).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Phase {
    RootLink,
    OrderLink,
    Order,
    TokenizeInOrder,
    TokenizeLink,
    Tokenize,
    Root,
}

#[derive(Clone, Copy, PartialEq, Eq)]
struct Ctx {
    phase: Phase,
    index: usize,
}

impl Ctx {
    const fn of(phase: Phase) -> Ctx {
        Ctx { phase, index: 0 }
    }
}

struct Unknown {
    ctx: Ctx,
    key: String,
}

/// The warning `Verdict::ValidTokenizeInOrder` stands for, as the full path words it.
pub fn tokenize_in_order_warning() -> Issue {
    Issue::new(
        vec![PathSegment::from("order"), PathSegment::from("tokenize")],
        IssueCode::TokenizeInOrder,
        "tokenize was found inside order; it is returned at the top level",
    )
}

/// Not a session in the usual shape: the full path decides.
struct Unsure;

type Step<T = ()> = Result<T, Unsure>;

fn unsure<T>() -> Step<T> {
    Err(Unsure)
}

/// Which rule a string must pass.
#[derive(Clone, Copy)]
enum Rule {
    Id,
    Url,
    Method,
    Rel,
    Intent,
    DateTime,
    /// Any string (inside an unknown field's value).
    Any,
}

/// How deep an unknown field's value may nest before the full path is asked (which refuses
/// nesting past 128 levels in all).
const MAX_UNKNOWN_DEPTH: usize = 64;

/// How many unknown fields the fast pass reports before it leaves them to the full path.
const MAX_UNKNOWN_FIELDS: usize = 64;

/// The tape: where a valid session's values are in the input, as `i32` words.
///
/// A value is a span of two words, `[start, end)`, in the units a JS string of the input is
/// indexed by: bytes while the text is ASCII, UTF-16 code units past any other character
/// (offsets count from after a byte order mark). A string written with escapes has
/// [`ESCAPED`] added to its start, and `end` is then its closing quote: the reader decodes the
/// quoted text with a JSON parser. An absent or null value is [`NONE`], [`NONE`].
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
/// it; [`read_tape`] is the reference reader the tests and the fuzz target hold it to.
pub const TAPE_HEADER: usize = 20;
/// Words per link record.
pub const TAPE_LINK: usize = 6;
/// An absent value.
pub const NONE: i32 = -1;
/// Added to the start of a string written with escapes.
pub const ESCAPED: i32 = 1 << 30;

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

struct Scanner<'a> {
    bytes: &'a [u8],
    at: usize,
    scratch: &'a mut Vec<u8>,
    tape: &'a mut Vec<i32>,
    /// Bytes minus UTF-16 units before `at` (non-zero once a character past ASCII was read).
    shift: usize,
    /// Unknown fields seen; empty (and unallocated) for the usual payload.
    unknown: Vec<Unknown>,
}

impl<'a> Scanner<'a> {
    fn skip_space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    /// The next byte after whitespace, not consumed.
    fn peek(&mut self) -> Option<u8> {
        self.skip_space();
        self.bytes.get(self.at).copied()
    }

    fn expect(&mut self, byte: u8) -> Step {
        if self.peek() == Some(byte) {
            self.at += 1;
            Ok(())
        } else {
            unsure()
        }
    }

    /// After an item of an object or array: `,` (another item follows) or `end` (none does).
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
            _ => unsure(),
        }
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
    fn null(&mut self) -> bool {
        if self.peek() == Some(b'n') && self.bytes[self.at..].starts_with(b"null") {
            self.at += 4;
            true
        } else {
            false
        }
    }

    /// A string, checked against `rule`, and where it is in the text.
    fn string(&mut self, rule: Rule) -> Step<Span> {
        self.expect(b'"')?;
        let start = self.at;
        let rest = self.bytes.get(start..).unwrap_or_default();
        let (end, printable) = find_special(rest).ok_or(Unsure)?;
        match rest[end] {
            b'"' => {
                self.at += end + 1;
                let raw = &rest[..end];
                if printable {
                    check_printable(raw, rule)?;
                    return Ok(self.span(start, start + end));
                }
                check(std::str::from_utf8(raw).map_err(|_| Unsure)?, rule)?;
                let from = start - self.shift;
                self.shift += utf16_shift(raw);
                Ok([from as i32, (start + end - self.shift) as i32])
            }
            b'\\' => {
                self.at += end;
                self.escaped_string(start, rule)
            }
            _ => unsure(),
        }
    }

    /// `[start, end)` in the text's units, for a stretch of ASCII.
    fn span(&self, start: usize, end: usize) -> Span {
        [(start - self.shift) as i32, (end - self.shift) as i32]
    }

    /// The rest of a string with escapes, decoded into the scratch buffer (to check it); its
    /// span is flagged ESCAPED and ends at the closing quote.
    fn escaped_string(&mut self, start: usize, rule: Rule) -> Step<Span> {
        self.scratch.clear();
        self.scratch.extend_from_slice(&self.bytes[start..self.at]);
        loop {
            match *self.bytes.get(self.at).ok_or(Unsure)? {
                b'"' => break,
                b'\\' => {
                    let escape = *self.bytes.get(self.at + 1).ok_or(Unsure)?;
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
                        _ => return unsure(),
                    };
                    self.scratch.push(simple);
                }
                0x00..=0x1f => return unsure(),
                byte => {
                    self.scratch.push(byte);
                    self.at += 1;
                }
            }
        }
        let text = std::str::from_utf8(self.scratch).map_err(|_| Unsure)?;
        check(text, rule)?;
        let from = start - self.shift;
        self.shift += utf16_shift(&self.bytes[start..self.at]);
        let to = self.at - self.shift;
        self.at += 1;
        Ok([from as i32 + ESCAPED, to as i32])
    }

    fn hex4(&mut self) -> Step<u32> {
        let digits = self.bytes.get(self.at..self.at + 4).ok_or(Unsure)?;
        let mut n = 0;
        for d in digits {
            n = n * 16 + char::from(*d).to_digit(16).ok_or(Unsure)?;
        }
        self.at += 4;
        Ok(n)
    }

    /// After `\u`: one code point, a surrogate pair joined; a lone surrogate is unsure.
    fn unicode_escape(&mut self) -> Step<char> {
        let first = self.hex4()?;
        let code = if (0xD800..0xDC00).contains(&first) {
            if self.bytes.get(self.at..self.at + 2) != Some(b"\\u") {
                return unsure();
            }
            self.at += 2;
            let second = self.hex4()?;
            if !(0xDC00..0xE000).contains(&second) {
                return unsure();
            }
            0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
        } else {
            first
        };
        char::from_u32(code).ok_or(Unsure)
    }

    /// A string checked against `rule`, its span noted in the tape at `slot`.
    fn value(&mut self, slot: usize, rule: Rule) -> Step {
        let span = self.string(rule)?;
        self.put(slot, span);
        Ok(())
    }

    /// `value`, or null (the slot keeps `NONE`).
    fn optional_value(&mut self, slot: usize, rule: Rule) -> Step {
        if self.null() {
            Ok(())
        } else {
            self.value(slot, rule)
        }
    }

    fn put(&mut self, slot: usize, span: Span) {
        if let Some(words) = self.tape.get_mut(slot..slot + 2) {
            words.copy_from_slice(&span);
        }
    }

    /// An object whose keys `member` handles (answering false for a key it does not know,
    /// before reading its value); other keys are recorded as unknown fields of `ctx`.
    fn object(&mut self, ctx: Ctx, mut member: impl FnMut(&mut Self, Key) -> Step<bool>) -> Step {
        self.expect(b'{')?;
        if self.close(b'}') {
            return Ok(());
        }
        loop {
            let (key, raw) = self.key()?;
            self.expect(b':')?;
            let known = match key {
                Some(key) => member(self, key)?,
                None => false,
            };
            if !known {
                self.unknown_field(ctx, raw)?;
            }
            if !self.more(b'}')? {
                return Ok(());
            }
        }
    }

    /// A key written without escapes (an escaped key is unsure), and which known key it is.
    fn key(&mut self) -> Step<(Option<Key>, &'a [u8])> {
        self.expect(b'"')?;
        let bytes = self.bytes;
        let rest = bytes.get(self.at..).unwrap_or_default();
        // Keys are short: a plain loop beats the eight-byte scan here.
        let end = rest
            .iter()
            .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
            .ok_or(Unsure)?;
        if rest[end] != b'"' {
            return unsure();
        }
        self.at += end + 1;
        let raw = &rest[..end];
        Ok((Key::from_wire(raw), raw))
    }

    /// Records an unknown field and steps over its value, which may be any JSON. (Not inlined
    /// into each object's copy of `object`: it is the rare path.)
    #[inline(never)]
    fn unknown_field(&mut self, ctx: Ctx, raw: &[u8]) -> Step {
        let key = std::str::from_utf8(raw).map_err(|_| Unsure)?;
        self.shift += utf16_shift(raw);
        // A repeated unknown key: the full path keeps one; let it decide.
        if self.unknown.len() >= MAX_UNKNOWN_FIELDS
            || self.unknown.iter().any(|u| u.ctx == ctx && u.key == key)
        {
            return unsure();
        }
        // Kept in the full path's order as they come (an insertion, not a sort: there are
        // few, and a sort would add kilobytes to the module).
        let rank = |u: &Unknown| (u.ctx.phase, u.ctx.index);
        let at = self
            .unknown
            .iter()
            .position(|u| (rank(u), u.key.as_bytes()) > ((ctx.phase, ctx.index), key.as_bytes()))
            .unwrap_or(self.unknown.len());
        self.unknown.insert(
            at,
            Unknown {
                ctx,
                key: key.to_owned(),
            },
        );
        self.skip_value(0)
    }

    /// Any JSON value, checked for grammar only.
    fn skip_value(&mut self, depth: usize) -> Step {
        if depth > MAX_UNKNOWN_DEPTH {
            return unsure();
        }
        match self.peek().ok_or(Unsure)? {
            b'"' => self.string(Rule::Any).map(drop),
            b'{' => {
                self.at += 1;
                if self.close(b'}') {
                    return Ok(());
                }
                loop {
                    self.string(Rule::Any)?;
                    self.expect(b':')?;
                    self.skip_value(depth + 1)?;
                    if !self.more(b'}')? {
                        return Ok(());
                    }
                }
            }
            b'[' => {
                self.at += 1;
                if self.close(b']') {
                    return Ok(());
                }
                loop {
                    self.skip_value(depth + 1)?;
                    if !self.more(b']')? {
                        return Ok(());
                    }
                }
            }
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            b'-' | b'0'..=b'9' => self.number(),
            _ => unsure(),
        }
    }

    fn literal(&mut self, word: &[u8]) -> Step {
        if self.bytes.get(self.at..self.at + word.len()) == Some(word) {
            self.at += word.len();
            Ok(())
        } else {
            unsure()
        }
    }

    /// A JSON number that the full path reads as JSON.parse does: one whose value could
    /// overflow an f64 (which the full path refuses) is unsure.
    fn number(&mut self) -> Step {
        let b = self.bytes;
        let mut i = self.at;
        let digits = |i: &mut usize| {
            let start = *i;
            while matches!(b.get(*i), Some(b'0'..=b'9')) {
                *i += 1;
            }
            *i - start
        };
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        let whole = match b.get(i) {
            Some(b'0') => {
                i += 1;
                1
            }
            Some(b'1'..=b'9') => digits(&mut i),
            _ => return unsure(),
        };
        if b.get(i) == Some(&b'.') {
            i += 1;
            if digits(&mut i) == 0 {
                return unsure();
            }
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            if !(1..=2).contains(&digits(&mut i)) {
                return unsure();
            }
        }
        if whole > 200 {
            return unsure();
        }
        self.at = i;
        Ok(())
    }

    /// `links`: null, or an array of `{href, method, rel}`, noted at `slot` (first record,
    /// count); `phase` places their unknown fields.
    fn links(&mut self, phase: Phase, slot: usize) -> Step {
        let first = (self.tape.len() - TAPE_HEADER) / TAPE_LINK;
        let mut count = 0;
        if !self.null() {
            self.expect(b'[')?;
            if !self.close(b']') {
                loop {
                    self.link(Ctx {
                        phase,
                        index: count,
                    })?;
                    count += 1;
                    if !self.more(b']')? {
                        break;
                    }
                }
            }
        }
        self.put(slot, [first as i32, count as i32]);
        Ok(())
    }

    fn link(&mut self, ctx: Ctx) -> Step {
        let record = self.tape.len();
        self.tape.extend_from_slice(&[NONE; TAPE_LINK]);
        let mut seen = Seen::default();
        self.object(ctx, |s, key| {
            let (rule, word) = match key {
                Key::Href => (Rule::Url, 0),
                Key::Method => (Rule::Method, 2),
                Key::Rel => (Rule::Rel, 4),
                _ => return Ok(false),
            };
            seen.first(key)?;
            s.value(record + word, rule)?;
            Ok(true)
        })?;
        seen.all(&[Key::Href, Key::Method, Key::Rel])
    }

    fn tokenize(&mut self) -> Step {
        let mut seen = Seen::default();
        self.object(Ctx::of(Phase::Tokenize), |s, key| {
            seen.first(key)?;
            match key {
                Key::Token => s.value(slot::TOKEN, Rule::Id)?,
                Key::Expiration => s.optional_value(slot::EXPIRATION, Rule::DateTime)?,
                Key::ApprovalUrl => s.optional_value(slot::APPROVAL_URL, Rule::Url)?,
                Key::Links => s.links(Phase::TokenizeLink, slot::TOKENIZE_LINKS)?,
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        seen.all(&[Key::Token])
    }

    /// A tokenize block or null; answers whether there was a block.
    fn optional_tokenize(&mut self) -> Step<bool> {
        if self.null() {
            return Ok(false);
        }
        self.tokenize()?;
        Ok(true)
    }

    /// `order`; answers whether it held a (non-null) tokenize.
    fn order(&mut self) -> Step<bool> {
        let mut seen = Seen::default();
        let mut nested = false;
        self.object(Ctx::of(Phase::Order), |s, key| {
            seen.first(key)?;
            match key {
                Key::Uuid => s.value(slot::ORDER_UUID, Rule::Id)?,
                Key::Intent => s.optional_value(slot::INTENT, Rule::Intent)?,
                Key::CheckoutUrl => s.optional_value(slot::CHECKOUT_URL, Rule::Url)?,
                Key::Links => s.links(Phase::OrderLink, slot::ORDER_LINKS)?,
                Key::Tokenize => nested = s.optional_tokenize()?,
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        seen.all(&[Key::Uuid])?;
        Ok(nested)
    }

    fn session(&mut self) -> Step<Verdict> {
        let mut seen = Seen::default();
        let (mut top, mut nested) = (false, false);
        self.object(Ctx::of(Phase::Root), |s, key| {
            seen.first(key)?;
            match key {
                Key::Uuid => s.value(slot::UUID, Rule::Id)?,
                Key::Links => s.links(Phase::RootLink, slot::LINKS)?,
                Key::Order => nested = !s.null() && s.order()?,
                Key::Tokenize => top = s.optional_tokenize()?,
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        seen.all(&[Key::Uuid])?;
        self.skip_space();
        if self.at != self.bytes.len() {
            return unsure();
        }
        match (top, nested, self.unknown.is_empty()) {
            (true, true, _) => unsure(), // the full path warns of the duplicate
            (false, true, true) => Ok(Verdict::ValidTokenizeInOrder),
            (_, _, true) => Ok(Verdict::Valid),
            (_, _, false) => Ok(Verdict::ValidWithWarnings(self.warnings(nested))),
        }
    }

    /// The unknown fields (and the tokenize_in_order warning) as the full path reports them.
    #[inline(never)]
    fn warnings(&mut self, nested: bool) -> Vec<Issue> {
        // `unknown` is already in order (see `unknown_field`).
        let unknown = std::mem::take(&mut self.unknown);
        let mut warnings = Vec::with_capacity(unknown.len() + 1);
        let mut in_order_said = false;
        for Unknown { ctx, key } in unknown {
            if nested && !in_order_said && ctx.phase > Phase::TokenizeInOrder {
                warnings.push(tokenize_in_order_warning());
                in_order_said = true;
            }
            let mut path: Vec<PathSegment> = Vec::with_capacity(5);
            match ctx.phase {
                Phase::OrderLink | Phase::Order => path.push("order".into()),
                Phase::TokenizeLink | Phase::Tokenize => {
                    if nested {
                        path.push("order".into());
                    }
                    path.push("tokenize".into());
                }
                Phase::RootLink | Phase::Root | Phase::TokenizeInOrder => {}
            }
            if matches!(
                ctx.phase,
                Phase::RootLink | Phase::OrderLink | Phase::TokenizeLink
            ) {
                path.push("links".into());
                path.push(ctx.index.into());
            }
            path.push(PathSegment::from(key.as_str()));
            warnings.push(Issue::new(
                path,
                IssueCode::UnknownField,
                "is not a known field; it is left out of the result",
            ));
        }
        if nested && !in_order_said {
            warnings.push(tokenize_in_order_warning());
        }
        warnings
    }
}

/// The first `"`, `\\` or control character, and whether every byte before it is printable
/// ASCII (0x21 to 0x7e), eight bytes at a time (SWAR: a byte of `v ^ c` is zero where `v`
/// holds `c`, and `(x - 0x01..) & !x & 0x80..` marks bytes below a bound; the lowest mark is
/// always a true one).
fn find_special(bytes: &[u8]) -> Option<(usize, bool)> {
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

    fn bit(self) -> u16 {
        1 << self as u16
    }
}

/// The keys an object has had: a second one of a name is unsure (which one counts is the
/// full path's business).
#[derive(Default)]
struct Seen(u16);

impl Seen {
    fn first(&mut self, key: Key) -> Step {
        if self.0 & key.bit() != 0 {
            return unsure();
        }
        self.0 |= key.bit();
        Ok(())
    }

    fn all(&self, required: &[Key]) -> Step {
        if required.iter().all(|key| self.0 & key.bit() != 0) {
            Ok(())
        } else {
            unsure()
        }
    }
}

/// `check` of bytes known to be printable ASCII (so valid UTF-8 with no whitespace or
/// control character: an id as it is).
fn check_printable(text: &[u8], rule: Rule) -> Step {
    let ok = match rule {
        Rule::Id | Rule::Rel => !text.is_empty(),
        Rule::Url => WebUrl::check_printable(text),
        Rule::Method => METHODS.contains(&text),
        Rule::Intent => text == b"AUTH" || text == b"CAPTURE",
        Rule::DateTime => std::str::from_utf8(text).is_ok_and(DateTime::check),
        Rule::Any => true,
    };
    if ok {
        Ok(())
    } else {
        unsure()
    }
}

const METHODS: [&[u8]; 5] = [b"GET", b"POST", b"PUT", b"PATCH", b"DELETE"];

fn check(text: &str, rule: Rule) -> Step {
    let ok = match rule {
        Rule::Id => Id::check(text).is_ok(),
        Rule::Url => WebUrl::check(text),
        Rule::Method => Method::from_wire(text).is_some(),
        Rule::Rel => !text.is_empty(),
        Rule::Intent => Intent::from_wire(text).is_some(),
        Rule::DateTime => DateTime::check(text),
        Rule::Any => true,
    };
    if ok {
        Ok(())
    } else {
        unsure()
    }
}

/// The verdict on `input`, using `scratch` for escaped strings; unless unsure, `tape` then
/// says where the session's values are (see [`TAPE_HEADER`]).
pub fn verdict_with(input: &[u8], scratch: &mut Vec<u8>, tape: &mut Vec<i32>) -> Verdict {
    tape.clear();
    tape.resize(TAPE_HEADER, NONE);
    for links in [slot::LINKS, slot::ORDER_LINKS, slot::TOKENIZE_LINKS] {
        tape[links..links + 2].fill(0);
    }
    if input.len() > MAX_INPUT_BYTES {
        return Verdict::Unsure;
    }
    let bytes = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    let mut scanner = Scanner {
        bytes,
        at: 0,
        scratch,
        tape,
        shift: 0,
        unknown: Vec::new(),
    };
    scanner.session().unwrap_or(Verdict::Unsure)
}

/// The verdict on `input`.
pub fn verdict(input: &[u8]) -> Verdict {
    verdict_with(input, &mut Vec::new(), &mut Vec::new())
}

/// Bytes minus UTF-16 code units of valid UTF-8 (a continuation byte is no unit of its own; a
/// four-byte character is two units).
fn utf16_shift(text: &[u8]) -> usize {
    let continuations = text.iter().filter(|&&b| b & 0xC0 == 0x80).count();
    let astral = text.iter().filter(|&&b| b >= 0xF0).count();
    continuations - astral
}

/// The session a tape describes, as the result's JSON: the reference for `js/api.js`, which
/// does the same with JS string slices. `text` is the input as a string, after any byte order
/// mark. `None` when a span does not fit the text (never, for a tape from a valid verdict).
pub fn read_tape(text: &str, tape: &[i32]) -> Option<serde_json::Value> {
    use serde_json::{json, Map, Value};
    let units: Vec<u16> = text.encode_utf16().collect();
    let string = |at: usize| -> Option<Value> {
        let (start, end) = (*tape.get(at)?, *tape.get(at + 1)?);
        if start == NONE {
            return Some(Value::Null);
        }
        let (escaped, start) = if start >= ESCAPED {
            (true, start - ESCAPED)
        } else {
            (false, start)
        };
        let (start, end) = (usize::try_from(start).ok()?, usize::try_from(end).ok()?);
        if escaped {
            let quoted = String::from_utf16(units.get(start.checked_sub(1)?..=end)?).ok()?;
            serde_json::from_str(&quoted).ok()
        } else {
            String::from_utf16(units.get(start..end)?)
                .ok()
                .map(Value::String)
        }
    };
    let links = |at: usize| -> Option<Value> {
        let first = usize::try_from(*tape.get(at)?).ok()?;
        let count = usize::try_from(*tape.get(at + 1)?).ok()?;
        (first..first + count)
            .map(|i| {
                let record = TAPE_HEADER + i * TAPE_LINK;
                Some(json!({
                    "href": string(record)?,
                    "method": string(record + 2)?,
                    "rel": string(record + 4)?,
                }))
            })
            .collect()
    };
    // The fields of an object in the result's order, leaving out absent optional ones.
    let object = |fields: Vec<(&str, Value)>| -> Value {
        Value::Object(
            fields
                .into_iter()
                .filter(|(_, value)| !value.is_null())
                .map(|(key, value)| (key.to_owned(), value))
                .collect::<Map<_, _>>(),
        )
    };
    // `order` or `tokenize`: absent when its id is; else its fields and its links.
    let block = |fields: [(&'static str, usize); 3], links_at: usize| -> Option<Option<Value>> {
        if tape.get(fields[0].1) == Some(&NONE) {
            return Some(None);
        }
        let mut all = fields
            .iter()
            .map(|&(key, at)| Some((key, string(at)?)))
            .collect::<Option<Vec<_>>>()?;
        all.push(("links", links(links_at)?));
        Some(Some(object(all)))
    };
    let order = [
        ("uuid", slot::ORDER_UUID),
        ("intent", slot::INTENT),
        ("checkout_url", slot::CHECKOUT_URL),
    ];
    let tokenize = [
        ("token", slot::TOKEN),
        ("expiration", slot::EXPIRATION),
        ("approval_url", slot::APPROVAL_URL),
    ];
    let mut session = vec![
        ("uuid", string(slot::UUID)?),
        ("links", links(slot::LINKS)?),
    ];
    for (key, part) in [
        ("order", block(order, slot::ORDER_LINKS)?),
        ("tokenize", block(tokenize, slot::TOKENIZE_LINKS)?),
    ] {
        session.extend(part.map(|part| (key, part)));
    }
    Some(object(session))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::parse_session;

    fn fixtures(dir: &str) -> Vec<(String, Vec<u8>)> {
        let root = format!("{}/tests/fixtures/{dir}", env!("CARGO_MANIFEST_DIR"));
        let mut all: Vec<_> = std::fs::read_dir(root)
            .unwrap()
            .map(|e| e.unwrap().path())
            .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
            .collect();
        all.sort();
        all
    }

    /// The fast verdict never contradicts the full path, and its tape reads as the session the
    /// full path gives.
    pub(crate) fn agrees(bytes: &[u8]) {
        let full = parse_session(bytes);
        let mut tape = Vec::new();
        let verdict = verdict_with(bytes, &mut Vec::new(), &mut tape);
        if verdict != Verdict::Unsure {
            let text = std::str::from_utf8(bytes).unwrap();
            let text = text.strip_prefix('\u{feff}').unwrap_or(text);
            let session = serde_json::to_value(&full.as_ref().unwrap().session).unwrap();
            assert_eq!(read_tape(text, &tape), Some(session), "{text}");
        }
        match verdict {
            Verdict::Unsure => {}
            Verdict::Valid => assert_eq!(full.map(|p| p.warnings), Ok(vec![])),
            Verdict::ValidTokenizeInOrder => {
                assert_eq!(
                    full.map(|p| p.warnings),
                    Ok(vec![tokenize_in_order_warning()])
                )
            }
            Verdict::ValidWithWarnings(warnings) => {
                assert_eq!(full.map(|p| p.warnings), Ok(warnings))
            }
        }
    }

    #[test]
    fn finds_the_first_quote_backslash_or_control_character() {
        let naive = |b: &[u8]| {
            let end = b
                .iter()
                .position(|&c| c == b'"' || c == b'\\' || c < 0x20)?;
            Some((end, b[..end].iter().all(|c| (0x21..=0x7e).contains(c))))
        };
        let mut text = b"abcdefghijklmnopqrstuvwxyz0123456789\xc3\xa9\x7f ~".to_vec();
        assert_eq!(find_special(&text), None);
        for special in [b'"', b'\\', 0x00, 0x1f, b'\n'] {
            for at in 0..text.len() {
                let mut probe = text.clone();
                probe[at] = special;
                probe.push(b'"');
                assert_eq!(find_special(&probe), naive(&probe), "{special} at {at}");
            }
        }
        text.clear();
        assert_eq!(find_special(&text), None);
    }

    #[test]
    fn agrees_with_the_full_path_on_every_fixture() {
        for (_, bytes) in fixtures("valid").into_iter().chain(fixtures("invalid")) {
            agrees(&bytes);
        }
    }

    #[test]
    fn answers_for_the_usual_shapes() {
        let seed = include_bytes!("../tests/fixtures/valid/seed.json");
        assert_eq!(verdict(seed), Verdict::ValidTokenizeInOrder);
        for (name, bytes) in fixtures("valid") {
            assert_ne!(verdict(&bytes), Verdict::Unsure, "{name}");
        }
        for usual in [
            &br#"{"uuid":"s","links":null,"order":null}"#[..],
            br#" {"uuid" : "s" , "links" : [ ] } "#,
            b"\xEF\xBB\xBF{\"uuid\":\"s\"}",
            br#"{"uuid":"s\u00e9\ud83d\ude00","links":[{"href":"https:\/\/x.example\/a?b=1\u0026c=2","method":"GET","rel":"self"}]}"#,
            br#"{"uuid":"s","tokenize":{"token":"t","expiration":"2020-04-27T14:46:59.000Z","approval_url":null,"links":null}}"#,
        ] {
            assert_eq!(verdict(usual), Verdict::Valid, "{}", String::from_utf8_lossy(usual));
            agrees(usual);
        }
    }

    #[test]
    fn tape_spans_count_utf16_units_past_ascii_and_flag_escapes() {
        let payload = "\u{feff}{\"note\":{\"é\":\"😀 ü\"},\"uuid\":\"sé😀\",\"links\":[{\"rel\":\"ü\\\"😀\\u00e9\",\"href\":\"https:\\/\\/x.example\\/a\",\"method\":\"GET\"},{\"href\":\"https://x.example/b\",\"method\":\"POST\",\"rel\":\"r\"}]}";
        let mut tape = Vec::new();
        let verdict = verdict_with(payload.as_bytes(), &mut Vec::new(), &mut tape);
        assert!(matches!(verdict, Verdict::ValidWithWarnings(_)));
        agrees(payload.as_bytes());
        // The second link's href, in UTF-16 units of the text after the byte order mark.
        let text: Vec<u16> = payload
            .trim_start_matches('\u{feff}')
            .encode_utf16()
            .collect();
        let href = &tape[TAPE_HEADER + TAPE_LINK..][..2];
        let href = String::from_utf16(&text[href[0] as usize..href[1] as usize]).unwrap();
        assert_eq!(href, "https://x.example/b");
        // The first link's rel and href were written with escapes.
        assert!(tape[TAPE_HEADER] >= ESCAPED && tape[TAPE_HEADER + 4] >= ESCAPED);
        assert!(tape[TAPE_HEADER + 2] < ESCAPED);
    }

    #[test]
    fn reports_unknown_fields_in_the_full_paths_order() {
        for payload in [
            &br#"{"uuid":"s","zeta":1,"alpha":{"deep":[1,-2.5e10,true,null,"x\u00e9"]}}"#[..],
            br#"{"uuid":"s","links":[{"href":"https://x.example/","method":"GET","rel":"self","title":"T"}],"extra":[]}"#,
            br#"{"uuid":"s","order":{"uuid":"o","amount":{"amount_in_cents":1000},"tokenize":{"token":"t","customer":{},"links":[{"href":"https://x.example/","method":"GET","rel":"r","b":0,"a":0}]}}}"#,
            br#"{"uuid":"s","tokenize":{"token":"t","x":"y"},"order":{"uuid":"o","links":[{"href":"https://x.example/","method":"GET","rel":"r","href2":""}]},"links":[{"href":"https://x.example/","method":"GET","rel":"r","q":0}]}"#,
            include_bytes!("../tests/fixtures/valid/unknown-fields.json"),
        ] {
            let verdict = verdict(payload);
            assert!(matches!(verdict, Verdict::ValidWithWarnings(_)), "{}", String::from_utf8_lossy(payload));
            agrees(payload);
        }
    }

    #[test]
    fn leaves_many_unknown_fields_to_the_full_path() {
        let fields = |n: usize| {
            let extra: String = (0..n).map(|i| format!(r#","f{i:03}":{i}"#)).collect();
            format!(r#"{{"uuid":"s"{extra}}}"#).into_bytes()
        };
        let few = fields(MAX_UNKNOWN_FIELDS);
        assert!(
            matches!(verdict(&few), Verdict::ValidWithWarnings(w) if w.len() == MAX_UNKNOWN_FIELDS)
        );
        agrees(&few);
        assert_eq!(verdict(&fields(MAX_UNKNOWN_FIELDS + 1)), Verdict::Unsure);
    }

    #[test]
    fn leaves_everything_else_to_the_full_path() {
        for unusual in [
            &br#"{"uuid":"s","extra":1,"extra":2}"#[..],
            br#"{"uuid":"s","extra":1e400}"#,
            br#"{"uuid":"s","extra":01}"#,
            br#"{"uuid":"s","extra":[1,]}"#,
            br#"{"uuid":"s","ex\u0074ra":1}"#,
            br#"{"uuid":null}"#,
            br#"{}"#,
            br#"{"uuid":"s","uuid":"t"}"#,
            br#"{"uuid":"a b"}"#,
            br#"{"uuid":"s\ud800"}"#,
            br#"{"uuid":"s\x"}"#,
            br#"{"uuid":"s","tokenize":{"token":"t"},"order":{"uuid":"o","tokenize":{"token":"t"}}}"#,
            br#"{"uuid":"s","links":[{"href":"http://x.example/","method":"GET","rel":"self"}]}"#,
            br#"{"uuid":"s","links":[{"href":"https://x.example/","method":"GET"}]}"#,
            br#"{"uuid":"s","links":[{"href":"https://x.example/","method":"GET","rel":""}]}"#,
            br#"{"uuid":"s","order":{"uuid":"o","intent":"SALE"}}"#,
            br#"{"uuid":"s","tokenize":{"token":"t","expiration":"yesterday"}}"#,
            br#"{"uuid":"s",}"#,
            br#"{"uuid":"s"} x"#,
            br#"{"uuid":"s""#,
            b"{\"uuid\":\"s\xff\"}",
            b"{\"uuid\":\"s\tt\"}",
            b"[]",
            b"",
        ] {
            assert_eq!(verdict(unusual), Verdict::Unsure, "{}", String::from_utf8_lossy(unusual));
            agrees(unusual);
        }
    }
}
