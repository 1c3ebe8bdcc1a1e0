//! The reader directed by the session's schema: its keys, the rule each string passes, the
//! objects and link lists, issues with their paths, and the careful mode that scans an object
//! again when a key comes twice.

use super::*;

/// The bits of an object's fields present (or seen), by field index (`schema::MAX_FIELDS`).
pub(super) type Fields = u64;

const fn bit(index: usize) -> Fields {
    1 << index
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

    pub(super) fn error_at(&mut self, key: &'static str, code: IssueCode, message: &str) {
        self.path.push(At::Key(key));
        self.error(code, message);
        self.path.pop();
    }

    pub(super) fn warn(&mut self, path: Vec<PathSegment>, code: IssueCode, message: &str) {
        if self.warnings.len() < 4 * MAX_ISSUES {
            self.warnings.push(Issue::new(path, code, message));
        }
    }

    /// The field of `object` whose key is written plainly at `start` (after its opening
    /// quote), if one is: its quoted name compared eight bytes at a time with each field's
    /// (a slice comparison is a call to `memcmp` in wasm).
    #[inline]
    pub(super) fn field_at(&self, object: &Object, start: usize) -> Option<usize> {
        let first = word_at(self.bytes, start)?;
        object.fields.iter().position(|field| {
            let quoted = field.name.len() + 1;
            if quoted > 16 {
                let end = start + field.name.len();
                return self.bytes.get(start..end) == Some(field.name.as_bytes())
                    && self.bytes.get(end) == Some(&b'"');
            }
            let masked = |word: u64, len: usize| {
                if len >= 8 {
                    word
                } else {
                    word & ((1 << (8 * len)) - 1)
                }
            };
            masked(first, quoted) == field.quoted[0]
                && (quoted <= 8
                    || word_at(self.bytes, start + 8)
                        .is_some_and(|second| masked(second, quoted - 8) == field.quoted[1]))
        })
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
            Rule::DateTime => DateTime::parse(text).map(drop).map_err(|e| {
                (
                    IssueCode::InvalidDatetime,
                    format!("expected an RFC 3339 date-time: {}", e.reason()),
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

    /// An object of `schema`, `{` next, its values noted in the tape from `base` (0 for the
    /// session's blocks, a link's record). Each member whose key is a field's is read as the
    /// field says; others are unknown fields, warned of and stepped over. Answers the fields
    /// present (not null). When a key comes twice, the object is scanned again taking only
    /// each key's last member, as `JSON.parse` does.
    pub(super) fn object(&mut self, schema: &'static Object, base: usize) -> Step<Fields> {
        if !self.careful {
            return match self.members(schema, base, None)? {
                Ok(present) => Ok(present),
                Err(_) => Err(RESTART),
            };
        }
        let start = self.mark();
        let mut last: Option<Vec<usize>> = None;
        loop {
            match self.members(schema, base, last.as_deref())? {
                Ok(present) => return Ok(present),
                Err(latest) => {
                    self.restore(&start);
                    last = Some(latest);
                }
            }
        }
    }

    /// One scan of an object's members: the fields present, or (on a careful first scan that
    /// met a key twice) where each field's last member starts.
    pub(super) fn members(
        &mut self,
        schema: &'static Object,
        base: usize,
        last: Option<&[usize]>,
    ) -> Step<Result<Fields, Vec<usize>>> {
        self.open(b'{')?;
        let (mut present, mut seen): (Fields, Fields) = (0, 0);
        // Where each field's last member starts: kept in the careful mode only (the quick
        // one starts over at a key twice).
        let mut latest = if self.careful {
            vec![usize::MAX; schema.fields.len()]
        } else {
            Vec::new()
        };
        let mut twice = false;
        let mut unknown: Vec<String> = Vec::new();
        if !self.close(b'}') {
            loop {
                if self.peek() != Some(b'"') {
                    return Err(self.syntax("a string key"));
                }
                let key_at = self.at;
                let (known, (from, to)) = match self.field_at(schema, key_at + 1) {
                    Some(index) => {
                        self.at = key_at + schema.fields[index].name.len() + 2;
                        (Some(index), (0, 0))
                    }
                    None => (None, self.key()?),
                };
                self.colon()?;
                let name = match (from, to) {
                    (usize::MAX, _) => &self.scratch[..],
                    _ => &self.bytes[from..to],
                };
                match known.or_else(|| schema.index_of(name)) {
                    Some(index) => {
                        twice |= seen & bit(index) != 0;
                        if twice && !self.careful {
                            return Err(RESTART);
                        }
                        seen |= bit(index);
                        if let Some(slot) = latest.get_mut(index) {
                            *slot = key_at;
                        }
                        let take = match last {
                            Some(last) => last.get(index) == Some(&key_at),
                            None => !twice,
                        };
                        if take {
                            let field = &schema.fields[index];
                            self.path.push(At::Key(field.name));
                            let here = self.field(field, base);
                            self.path.pop();
                            if here? {
                                present |= bit(index);
                            } else {
                                present &= !bit(index);
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
        for (index, field) in schema.fields.iter().enumerate() {
            if field.required && present & bit(index) == 0 {
                self.error_at(field.name, IssueCode::Required, "is required");
            }
        }
        Ok(Ok(present))
    }

    /// A member's value, as its field says; answers whether it was present (not null).
    fn field(&mut self, field: &Field, base: usize) -> Step<bool> {
        match field.value {
            Value::Text(rule) => self.value(base + field.slot, rule),
            Value::Links => self.links(base + field.slot),
            Value::Object(schema) => {
                // An object that may hold a tokenize block starts with none found in it.
                if (schema.fields.iter()).any(|f| matches!(f.value, Value::TokenizeInOrder)) {
                    self.nested_tokenize = false;
                }
                self.block(|s| s.object(schema, 0).map(drop))
            }
            Value::TokenizeInOrder => self.nested_tokenize(),
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
        self.object(&LINK, record).map(drop)
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
        self.block(|s| s.object(&TOKENIZE, 0).map(drop))
    }

    pub(super) fn session(&mut self) -> Step {
        let kind = self.kind()?;
        if kind != Kind::Object {
            self.wrong_type(kind, "a session object")?;
            return Ok(());
        }
        let start = self.careful.then(|| self.mark());
        let tokenize = SESSION.index_of(b"tokenize").map_or(0, bit);
        loop {
            self.nested_tokenize = false;
            let present = self.object(&SESSION, 0)?;
            // Both a top-level tokenize and one in order: the top-level one is used, so the
            // root is read again skipping the one in order.
            if present & tokenize != 0 && self.nested_tokenize && !self.top_tokenize_wins {
                let Some(start) = &start else {
                    return Err(RESTART);
                };
                self.restore(start);
                self.top_tokenize_wins = true;
                continue;
            }
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

/// Whether `raw` is printable ASCII (no space, quote or backslash) that passes `rule`: then
/// the scan has nothing to say of it (no issue, no warning). What the package's quick reading
/// of an object asks of each string (`values_pass`, `src/wasm.rs`); a string of any other
/// character is left to the scan, which says what it makes of it.
#[cfg_attr(
    not(any(test, all(target_arch = "wasm32", feature = "js-parser"))),
    allow(dead_code)
)]
pub fn passes_quietly(raw: &[u8], rule: Rule) -> bool {
    raw.iter()
        .all(|&b| (0x21..0x7f).contains(&b) && b != b'"' && b != b'\\')
        && passes_printable(raw, rule)
}

/// The words of the values of an enum rule (`schema::METHODS`, `schema::INTENTS`), each at
/// most eight bytes, compared as numbers.
const fn words<const N: usize>(values: [&str; N]) -> [u64; N] {
    let mut words = [0; N];
    let mut i = 0;
    while i < N {
        assert!(values[i].len() <= 8);
        words[i] = short_word(values[i].as_bytes(), 0);
        i += 1;
    }
    words
}

const METHODS: [u64; 5] = words(crate::schema::METHODS);
const INTENTS: [u64; 2] = words(crate::schema::INTENTS);

/// The warning verdict 2 of the wasm layer stands for.
pub fn tokenize_in_order_warning() -> Issue {
    Issue::new(
        vec![PathSegment::from("order"), PathSegment::from("tokenize")],
        IssueCode::TokenizeInOrder,
        "tokenize was found inside order; it is returned at the top level",
    )
}
