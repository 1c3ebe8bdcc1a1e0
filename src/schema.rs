//! The session's schema as data: every object of a session, its fields in the order the tape
//! and the messages list them, each with its wire name, what its value must be, whether it is
//! required, and where the tape keeps it. The parser (`src/fast/reader.rs`) is directed by
//! these tables; the Rust types (`src/session.rs`), the tape's layout (`src/fast/tape.rs`),
//! the generated JS and TypeScript, the oracle (`src/validate.rs`) and the bench schemas are
//! held to them by tests (here and in `tests/js/`).
//!
//! Adding a field: a [`Field`] in its object's table, the field on its Rust type and in the
//! tape's reader, a fixture; the README's section for contributors lists the steps.

/// What a string value must be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Rule {
    /// An identifier (a uuid, a token): non-empty, at most 255 characters, no control ones.
    Id,
    /// A URL the session may link to: absolute `https`, no credentials (`WebUrl`).
    Url,
    /// An HTTP method: one of [`METHODS`].
    Method,
    /// A link relation: any non-empty string.
    Rel,
    /// An order's intent: one of [`INTENTS`].
    Intent,
    /// An RFC 3339 date-time.
    DateTime,
}

/// A field's value.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Value {
    /// A string (or null, absent) that passes the rule.
    Text(Rule),
    /// An array of [`LINK`] objects (or null, none).
    Links,
    /// An object (or null, absent) of this schema.
    Object(&'static Object),
    /// A `tokenize` block inside `order`, as Sezzle's documented example has it: read as the
    /// session's own, with a warning, unless the session has one at the top level too (which
    /// wins, with another warning). Its schema is [`TOKENIZE`].
    TokenizeInOrder,
}

/// A field of an object.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Field {
    /// Its key on the wire (and in the JS result).
    pub name: &'static str,
    pub value: Value,
    /// Whether an object without it (or with it null) is invalid.
    pub required: bool,
    /// What an absent value is in the result (a link's `method` is `GET`), if anything.
    #[cfg_attr(not(test), allow(dead_code))] // (read by src/generated_js.rs)
    pub default: Option<&'static str>,
    /// Where its value goes: for a `Text`, the first of its two words (a span); for `Links`,
    /// the first of two (first link record, count); from the start of the tape's header for
    /// a session's blocks, from the start of its record for a link. `Object` fields have
    /// none of their own (their fields do).
    pub slot: usize,
    /// Its quoted name (`uuid"`) as two little-endian words, for the scanner's comparison
    /// eight bytes at a time; names longer than 15 bytes are compared as slices.
    pub quoted: [u64; 2],
}

/// An object of the session.
#[derive(Debug)]
pub(crate) struct Object {
    /// What the object is, for tests and generated files (`session`, `order`, `tokenize`,
    /// `link`).
    #[cfg_attr(not(test), allow(dead_code))]
    pub name: &'static str,
    pub fields: &'static [Field],
}

impl Object {
    /// The index of the field named `name`.
    pub fn index_of(&self, name: &[u8]) -> Option<usize> {
        self.fields.iter().position(|f| f.name.as_bytes() == name)
    }
}

/// A field, its quoted name worked out at compile time.
const fn field(name: &'static str, value: Value, required: bool, slot: usize) -> Field {
    Field {
        name,
        value,
        required,
        default: None,
        slot,
        quoted: quoted_words(name.as_bytes()),
    }
}

/// `name` and a closing quote as two little-endian words (zero past the end).
const fn quoted_words(name: &[u8]) -> [u64; 2] {
    let mut words = [0u64; 2];
    let mut i = 0;
    while i <= name.len() && i < 16 {
        let byte = if i < name.len() { name[i] } else { b'"' };
        words[i / 8] |= (byte as u64) << (8 * (i % 8));
        i += 1;
    }
    words
}

/// Where each value of a session is in the tape's header, two words each (the tape's layout,
/// `src/fast/tape.rs`, documents it; a test here holds every slot to one field).
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
    /// The words of the header.
    pub const HEADER: usize = 20;
    /// Within a link's record.
    pub const HREF: usize = 0;
    pub const METHOD: usize = 2;
    pub const REL: usize = 4;
    /// The words of a link's record.
    pub const LINK: usize = 6;
}

/// A link (`links[i]`): Sezzle's Link schema. An absent `method` is `GET` ("If omitted,
/// will default to GET").
pub(crate) const LINK: Object = Object {
    name: "link",
    fields: &[
        field("href", Value::Text(Rule::Url), true, slot::HREF),
        Field {
            default: Some("GET"),
            ..field("method", Value::Text(Rule::Method), false, slot::METHOD)
        },
        field("rel", Value::Text(Rule::Rel), true, slot::REL),
    ],
};

/// `tokenize`: the customer tokenization block.
pub(crate) const TOKENIZE: Object = Object {
    name: "tokenize",
    fields: &[
        field("token", Value::Text(Rule::Id), true, slot::TOKEN),
        field(
            "expiration",
            Value::Text(Rule::DateTime),
            false,
            slot::EXPIRATION,
        ),
        field(
            "approval_url",
            Value::Text(Rule::Url),
            false,
            slot::APPROVAL_URL,
        ),
        field("links", Value::Links, false, slot::TOKENIZE_LINKS),
    ],
};

/// `order`: the checkout.
pub(crate) const ORDER: Object = Object {
    name: "order",
    fields: &[
        field("uuid", Value::Text(Rule::Id), true, slot::ORDER_UUID),
        field("intent", Value::Text(Rule::Intent), false, slot::INTENT),
        field(
            "checkout_url",
            Value::Text(Rule::Url),
            false,
            slot::CHECKOUT_URL,
        ),
        field("links", Value::Links, false, slot::ORDER_LINKS),
        field("tokenize", Value::TokenizeInOrder, false, 0),
    ],
};

/// The session, the payload's root.
pub(crate) const SESSION: Object = Object {
    name: "session",
    fields: &[
        field("uuid", Value::Text(Rule::Id), true, slot::UUID),
        field("links", Value::Links, false, slot::LINKS),
        field("order", Value::Object(&ORDER), false, 0),
        field("tokenize", Value::Object(&TOKENIZE), false, 0),
    ],
};

/// Every object, the root first.
pub(crate) const OBJECTS: [&Object; 4] = [&SESSION, &ORDER, &TOKENIZE, &LINK];

/// Every rule, each numbered by its place here where JS names one (`values_pass`).
#[cfg_attr(
    not(any(test, all(target_arch = "wasm32", feature = "js-parser"))),
    allow(dead_code)
)]
pub(crate) const RULES: [Rule; 6] = [
    Rule::Id,
    Rule::Url,
    Rule::Method,
    Rule::Rel,
    Rule::Intent,
    Rule::DateTime,
];

/// The values of [`Rule::Method`] and [`Rule::Intent`], as the wire writes them.
pub(crate) const METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];
pub(crate) const INTENTS: [&str; 2] = ["AUTH", "CAPTURE"];

/// A valid `object` with every field present (but a tokenize block in `order`), each string
/// its own: what the tests that hold code to the table read. A field added to the table is in
/// it at once.
#[cfg(test)]
pub(crate) fn sample(object: &Object) -> serde_json::Value {
    use serde_json::Value as Json;
    let fields = (object.fields.iter()).filter_map(|f| {
        let value = match f.value {
            Value::Text(Rule::Id) => Json::from(format!("{}-{}", object.name, f.name)),
            Value::Text(Rule::Url) => {
                Json::from(format!("https://sezzle.com/{}/{}", object.name, f.name))
            }
            Value::Text(Rule::Method) => Json::from(METHODS[1]),
            Value::Text(Rule::Rel) => Json::from(format!("{}-{}", object.name, f.name)),
            Value::Text(Rule::Intent) => Json::from(INTENTS[0]),
            Value::Text(Rule::DateTime) => Json::from("2030-01-02T03:04:05Z"),
            Value::Links => Json::from(vec![sample(&LINK)]),
            Value::Object(block) => sample(block),
            Value::TokenizeInOrder => return None,
        };
        Some((f.name.to_owned(), value))
    });
    Json::Object(fields.collect())
}

/// The most fields an object may have: its fields present are kept as bits of a `u64` while
/// it is scanned (a test holds every object to it).
pub(crate) const MAX_FIELDS: usize = 64;

const _: () = {
    let mut i = 0;
    while i < OBJECTS.len() {
        assert!(
            OBJECTS[i].fields.len() <= MAX_FIELDS,
            "an object has more fields than a u64 has bits"
        );
        i += 1;
    }
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Session;
    use serde_json::Value as Json;
    use std::collections::BTreeSet;

    fn names(object: &Object) -> BTreeSet<&'static str> {
        object.fields.iter().map(|f| f.name).collect()
    }

    #[test]
    fn every_object_names_each_field_once() {
        for object in OBJECTS {
            assert_eq!(names(object).len(), object.fields.len(), "{}", object.name);
        }
    }

    #[test]
    fn the_tape_header_holds_each_value_of_the_table_once() {
        // Text and Links fields of the blocks under the root, each two words.
        let mut taken = [false; slot::HEADER];
        let mut visit = |object: &Object| {
            for f in object.fields {
                if matches!(f.value, Value::Text(_) | Value::Links) {
                    for word in [f.slot, f.slot + 1] {
                        assert!(!taken[word], "{}.{} overlaps", object.name, f.name);
                        taken[word] = true;
                    }
                }
            }
        };
        for object in [&SESSION, &ORDER, &TOKENIZE] {
            visit(object);
        }
        assert!(taken.iter().all(|&t| t), "a header word holds no field");
        let record: BTreeSet<usize> = LINK.fields.iter().map(|f| f.slot).collect();
        assert_eq!(record.len() * 2, slot::LINK);
        assert_eq!(slot::HEADER, crate::fast::TAPE_HEADER);
        assert_eq!(slot::LINK, crate::fast::TAPE_LINK);
    }

    /// The keys of `value`'s object at `path`, as serde writes the Rust type.
    fn keys_at<'a>(value: &'a Json, path: &[&str]) -> BTreeSet<&'a str> {
        let mut at = value;
        for step in path {
            at = &at[*step];
        }
        let at = if at.is_array() { &at[0] } else { at };
        at.as_object()
            .unwrap_or_else(|| panic!("no object at {path:?}"))
            .keys()
            .map(String::as_str)
            .collect()
    }

    #[test]
    fn the_rust_types_have_the_fields_of_the_table() {
        // Every field present: the Rust types serialize all of theirs.
        let text = sample(&SESSION).to_string();
        let session: Session = crate::parse_session(text.as_bytes()).unwrap().session;
        let json = serde_json::to_value(&session).unwrap();
        assert_eq!(keys_at(&json, &[]), names(&SESSION));
        assert_eq!(
            keys_at(&json, &["order"]),
            names(&ORDER)
                .into_iter()
                .filter(|&n| n != "tokenize")
                .collect()
        );
        assert_eq!(keys_at(&json, &["tokenize"]), names(&TOKENIZE));
        for path in [&["links"][..], &["order", "links"], &["tokenize", "links"]] {
            assert_eq!(keys_at(&json, path), names(&LINK), "{path:?}");
        }
    }

    #[test]
    fn the_enum_rules_are_the_rust_enums() {
        use crate::session::{Intent, Method};
        let wire: Vec<&str> = Method::ALL.iter().map(|m| m.as_str()).collect();
        assert_eq!(wire, METHODS);
        for i in INTENTS {
            let intent = Intent::from_wire(i).unwrap();
            assert_eq!(serde_json::to_value(intent).unwrap(), Json::from(i));
        }
        assert_eq!(Intent::from_wire("auth"), None);
    }

    #[test]
    fn every_block_has_a_required_field_that_says_it_is_there() {
        // (The tape's readers tell a block's presence by its first required value.)
        for f in SESSION.fields.iter().chain(ORDER.fields) {
            if let Value::Object(block) = f.value {
                assert!(
                    block
                        .fields
                        .iter()
                        .any(|f| f.required && matches!(f.value, Value::Text(_))),
                    "{}",
                    f.name
                );
            }
        }
    }

    /// `passes_quietly` (what the package's quick reading of an object asks of each string)
    /// says yes exactly when the string is printable ASCII and the scan, with it at a field of
    /// that rule, finds the session valid without a remark.
    #[test]
    fn a_string_passes_quietly_when_the_scan_has_nothing_to_say() {
        let texts = [
            "",
            "x",
            "a b",
            " x",
            "x ",
            "\u{7f}x",
            "a\"b",
            "a\\b",
            "\u{e9}t\u{e9}",
            "\u{2028}",
            "\u{1f600}",
            "GET",
            "get",
            "AUTH",
            "CAPTURE",
            "2030-01-02T03:04:05Z",
            "2030-01-02T03:04:05.1+01:00",
            "2030-13-02T03:04:05Z",
            "https://sezzle.com/a",
            " https://sezzle.com/a",
            "https://sezzle.com/a b",
            "https://s\u{e9}zzle.com/",
            "http://sezzle.com/",
            "https://u:p@sezzle.com/",
            "https://sezzle.com/\\x",
            "https://sezzle.com/\"",
        ];
        // A field of each rule, and where it sits in `sample(&SESSION)`.
        let places: [(&str, &str, Rule); 6] = [
            ("", "uuid", Rule::Id),
            ("/order", "checkout_url", Rule::Url),
            ("/links/0", "method", Rule::Method),
            ("/links/0", "rel", Rule::Rel),
            ("/order", "intent", Rule::Intent),
            ("/tokenize", "expiration", Rule::DateTime),
        ];
        for (pointer, name, rule) in places {
            for text in texts {
                let mut case = sample(&SESSION);
                let at = case.pointer_mut(pointer).unwrap().as_object_mut().unwrap();
                at.insert(name.to_owned(), Json::from(text));
                let json = case.to_string();
                let quiet =
                    crate::parse_session(json.as_bytes()).is_ok_and(|p| p.warnings.is_empty());
                // Printable ASCII: the scan's answer; any other string is left to the scan.
                let printable =
                    (text.bytes()).all(|b| (0x21..0x7f).contains(&b) && !b"\"\\".contains(&b));
                let passes = crate::fast::passes_quietly(text.as_bytes(), rule);
                assert_eq!(passes, printable && quiet, "{rule:?} {text:?}");
            }
        }
        assert_eq!(RULES.len(), 6);
    }

    /// The oracle against the table (native builds only, as the oracle).
    #[cfg(not(target_arch = "wasm32"))]
    mod oracle {
        use super::*;

        /// The issues of a verdict as `path code` lines, errors and warnings apart.
        fn verdict(
            result: Result<crate::Parsed, crate::ValidationError>,
        ) -> (bool, BTreeSet<String>) {
            let lines = |issues: &[crate::Issue]| {
                (issues.iter())
                    .map(|i| format!("{} {}", i.path_text(), i.code.as_str()))
                    .collect()
            };
            match result {
                Ok(parsed) => (true, lines(&parsed.warnings)),
                Err(error) => (false, lines(error.issues())),
            }
        }

        /// The oracle (`src/validate.rs`, written by hand) knows the table's fields: with each
        /// field of each object taken out, or null, or of the wrong type, and with every other
        /// object's field names added as unknown keys, it says what the parser (directed by the
        /// table) says.
        #[test]
        fn the_oracle_reads_the_fields_of_the_table() {
            let full = sample(&SESSION);
            let all: BTreeSet<&str> = OBJECTS.iter().flat_map(|o| names(o)).collect();
            for (pointer, object) in [
                ("", &SESSION),
                ("/order", &ORDER),
                ("/tokenize", &TOKENIZE),
                ("/links/0", &LINK),
            ] {
                let mut cases: Vec<Json> = Vec::new();
                for f in object.fields {
                    for change in [
                        None,
                        Some(Json::Null),
                        Some(Json::from(7)),
                        Some(Json::from("x")),
                    ] {
                        let mut case = full.clone();
                        let at = case.pointer_mut(pointer).unwrap().as_object_mut().unwrap();
                        match change {
                            None => drop(at.remove(f.name)),
                            Some(value) => drop(at.insert(f.name.to_owned(), value)),
                        }
                        cases.push(case);
                    }
                }
                for name in all
                    .iter()
                    .filter(|n| object.index_of(n.as_bytes()).is_none())
                {
                    let mut case = full.clone();
                    let at = case.pointer_mut(pointer).unwrap().as_object_mut().unwrap();
                    at.insert((*name).to_owned(), Json::from("x"));
                    cases.push(case);
                }
                for case in cases {
                    let text = case.to_string();
                    assert_eq!(
                        verdict(crate::parse_session(text.as_bytes())),
                        verdict(crate::validate::parse_session(text.as_bytes())),
                        "{text}"
                    );
                }
            }
        }
    }
}
