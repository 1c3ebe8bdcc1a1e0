//! The reader directed by the session's schema: its keys, the rule each string passes, the
//! objects and link lists, issues with their paths, and the careful mode that scans an object
//! again when a key comes twice.

use super::*;

/// Which rule a string must pass.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Rule {
    Id,
    Url,
    Method,
    Rel,
    Intent,
    DateTime,
}

/// The keys of a session and its parts.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Key {
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

pub(super) const KEYS: usize = 12;

impl Key {
    pub(super) fn from_wire(key: &[u8]) -> Option<Key> {
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

    pub(super) fn name(self) -> &'static str {
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

    pub(super) fn bit(self) -> u16 {
        1 << self as u16
    }
}

/// One step of the path from the root to where the scan is.
#[derive(Clone, Copy)]
pub(super) enum At {
    Key(&'static str),
    Index(usize),
}

/// The path from the root to where the scan is: at most `order.tokenize.links[i].href`, five
/// steps, kept in place (the scan of a valid payload allocates nothing but its tape).
#[derive(Clone, Copy)]
pub(super) struct Path {
    pub(super) steps: [At; 8],
    pub(super) len: usize,
}

impl Path {
    pub(super) const EMPTY: Path = Path {
        steps: [At::Index(0); 8],
        len: 0,
    };

    pub(super) fn push(&mut self, step: At) {
        if let Some(slot) = self.steps.get_mut(self.len) {
            *slot = step;
            self.len += 1;
        }
    }

    pub(super) fn pop(&mut self) {
        self.len = self.len.saturating_sub(1);
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = &At> {
        self.steps[..self.len].iter()
    }
}

/// Where the scan stood, to scan an object again from there.
pub(super) struct Mark {
    pub(super) at: usize,
    pub(super) depth: usize,
    pub(super) shift: usize,
    pub(super) errors: usize,
    pub(super) warnings: usize,
    pub(super) records: usize,
    pub(super) header: [i32; TAPE_HEADER],
    pub(super) tokenize_in_order: Option<usize>,
}

impl<'a> Scanner<'a> {
    pub(super) fn path_here(&self) -> Vec<PathSegment> {
        self.path
            .iter()
            .map(|step| match *step {
                At::Key(key) => PathSegment::from(key),
                At::Index(index) => PathSegment::Index(index),
            })
            .collect()
    }

    pub(super) fn error(&mut self, code: IssueCode, message: impl Into<String>) {
        // Kept past MAX_ISSUES while scanning: a rescan may drop some (`ValidationError` cuts).
        if self.errors.len() < 4 * MAX_ISSUES {
            let issue = Issue::new(self.path_here(), code, message);
            self.errors.push(issue);
        }
    }

    pub(super) fn error_at(&mut self, key: Key, code: IssueCode, message: &str) {
        self.path.push(At::Key(key.name()));
        self.error(code, message);
        self.path.pop();
    }

    pub(super) fn warn(&mut self, path: Vec<PathSegment>, code: IssueCode, message: &str) {
        if self.warnings.len() < 4 * MAX_ISSUES {
            self.warnings.push(Issue::new(path, code, message));
        }
    }

    /// The known key written plainly at `start` (after its opening quote), if one is: decided
    /// by its first byte and one comparison with its quoted name.
    #[inline]
    pub(super) fn known_key(&self, start: usize) -> Option<Key> {
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

    /// A string value that must pass `rule`, noted in the tape at `slot`; a value of another
    /// type, or one that breaks the rule, is an issue here. Answers whether the value was
    /// present (not null).
    pub(super) fn value(&mut self, slot: usize, rule: Rule) -> Step<bool> {
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
    pub(super) fn wrong_type(&mut self, kind: Kind, expected: &str) -> Step {
        self.skip_value()?;
        self.error(
            IssueCode::InvalidType,
            format!("expected {expected}, got {}", kind.name()),
        );
        Ok(())
    }

    /// The span of a string that passes `rule`; otherwise the issue, recorded.
    pub(super) fn check(&mut self, string: &Str, rule: Rule) -> Option<Span> {
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
    pub(super) fn url(&mut self, string: &Str, text: String) -> Option<Span> {
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
    pub(super) fn put(&mut self, slot: usize, span: Span) {
        if let Some(words) = self.tape.get_mut(slot..slot + 2) {
            words.copy_from_slice(&span);
        }
    }

    pub(super) fn mark(&self) -> Mark {
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

    pub(super) fn restore(&mut self, mark: &Mark) {
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
    pub(super) fn object(
        &mut self,
        member: &mut dyn FnMut(&mut Self, Key) -> Step<bool>,
    ) -> Step<u16> {
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
    pub(super) fn members(
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
    pub(super) fn required(&mut self, present: u16, keys: &[Key]) {
        for &key in keys {
            if present & key.bit() == 0 {
                self.error_at(key, IssueCode::Required, "is required");
            }
        }
    }

    /// An object value (or null) at a known key: `scan` reads it; another type is an issue.
    pub(super) fn block(&mut self, scan: impl FnOnce(&mut Self) -> Step) -> Step<bool> {
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
    pub(super) fn links(&mut self, slot: usize) -> Step<bool> {
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

    pub(super) fn link(&mut self) -> Step {
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
    pub(super) fn unknown_member(&mut self) -> Step<bool> {
        let path = self.path_here();
        self.warn(
            path,
            IssueCode::UnknownField,
            "is not a known field; it is left out of the result",
        );
        self.skip_value()?;
        Ok(false)
    }

    pub(super) fn tokenize(&mut self) -> Step {
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

    pub(super) fn order(&mut self) -> Step {
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
    pub(super) fn nested_tokenize(&mut self) -> Step<bool> {
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

    pub(super) fn session(&mut self) -> Step {
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

/// Whether `raw`, printable ASCII, passes `rule` (decided without a `String`).
pub(super) fn passes_printable(raw: &[u8], rule: Rule) -> bool {
    match rule {
        Rule::Id | Rule::Rel => !raw.is_empty(),
        Rule::Url => WebUrl::check_printable(raw),
        Rule::Method => one_of(raw, &METHODS),
        Rule::Intent => one_of(raw, &INTENTS),
        Rule::DateTime => std::str::from_utf8(raw).is_ok_and(DateTime::check),
    }
}

/// Each key's name and closing quote as two words, in `Key` order.
pub(super) const QUOTED_KEYS: [[u64; 2]; KEYS] = {
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

pub(super) const METHODS: [u64; 5] = [
    short_word(b"GET", 0),
    short_word(b"POST", 0),
    short_word(b"PUT", 0),
    short_word(b"PATCH", 0),
    short_word(b"DELETE", 0),
];

pub(super) const INTENTS: [u64; 2] = [short_word(b"AUTH", 0), short_word(b"CAPTURE", 0)];

/// The warning verdict 2 of the wasm layer stands for.
pub fn tokenize_in_order_warning() -> Issue {
    Issue::new(
        vec![PathSegment::from("order"), PathSegment::from("tokenize")],
        IssueCode::TokenizeInOrder,
        "tokenize was found inside order; it is returned at the top level",
    )
}
