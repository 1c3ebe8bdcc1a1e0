//! The oracle: from bytes to a [`Session`] through `serde_json::Value`, collecting every
//! issue on the way. Native builds only: the shipped parser is `src/fast/`, which the tests and
//! the fuzz target hold to this one (same verdict, same issue paths and codes, same session).
//!
//! The payload is read into a `serde_json::Value` first and then walked by hand, not
//! deserialised with derives: a derive stops at the first error, and users want all of them,
//! each with its path. Known fields are taken out of each object as they are read, so what is
//! left over is exactly the unknown fields to warn about.

use crate::datetime::DateTime;
use crate::error::{Issue, IssueCode, PathSegment, ValidationError, MAX_ISSUES};
use crate::fast::{Parsed, MAX_DEPTH, MAX_INPUT_BYTES};
use crate::session::{Id, Intent, Link, Method, Session, SessionOrder, SessionTokenize};
use crate::url::{UrlError, WebUrl};
use serde_json::{Map, Value};

/// Parses UTF-8 JSON (a leading byte-order mark is skipped, as `fetch`'s `json()` does).
pub fn parse_session(input: &[u8]) -> Result<Parsed, ValidationError> {
    if input.len() > MAX_INPUT_BYTES {
        return Err(ValidationError::single(Issue::new(
            Vec::new(),
            IssueCode::TooLarge,
            format!(
                "the input is {} bytes; at most {MAX_INPUT_BYTES} are accepted",
                input.len()
            ),
        )));
    }
    let input = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    let value: Value = serde_json::from_slice(input).map_err(json_error)?;
    parse_value(value)
}

/// Validates an already parsed JSON value.
pub fn parse_value(value: Value) -> Result<Parsed, ValidationError> {
    let mut cx = Cx::default();
    let session = session(&mut cx, value);
    match (ValidationError::new(cx.errors), session) {
        (Some(error), _) => Err(error),
        (None, Some(session)) => Ok(Parsed {
            session,
            warnings: cx.warnings,
        }),
        // Every path that yields no session records an error first.
        (None, None) => Err(ValidationError::single(Issue::new(
            Vec::new(),
            IssueCode::InvalidType,
            "expected a session object",
        ))),
    }
}

fn json_error(error: serde_json::Error) -> ValidationError {
    let text = error.to_string();
    let reason = text.split(" at line ").next().unwrap_or(&text);
    let (line, column) = (error.line(), error.column());
    let mut issue = if reason == "recursion limit exceeded" {
        Issue::new(
            Vec::new(),
            IssueCode::TooDeep,
            format!("the JSON nests deeper than {MAX_DEPTH} levels (line {line}, column {column})"),
        )
    } else {
        Issue::new(
            Vec::new(),
            IssueCode::InvalidJson,
            format!("malformed JSON at line {line}, column {column}: {reason}"),
        )
    };
    issue.line = Some(line);
    issue.column = Some(column);
    ValidationError::single(issue)
}

#[derive(Default)]
struct Cx {
    errors: Vec<Issue>,
    warnings: Vec<Issue>,
}

impl Cx {
    fn error(&mut self, at: &At<'_>, code: IssueCode, message: impl Into<String>) {
        if self.errors.len() < MAX_ISSUES {
            self.errors.push(Issue::new(at.path(), code, message));
        }
    }

    fn warn(&mut self, at: &At<'_>, code: IssueCode, message: impl Into<String>) {
        if self.warnings.len() < MAX_ISSUES {
            self.warnings.push(Issue::new(at.path(), code, message));
        }
    }
}

/// Where the walk is, as a chain of borrowed steps: no allocation until an issue needs it.
struct At<'a> {
    parent: Option<&'a At<'a>>,
    step: Step<'a>,
}

enum Step<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

impl<'a> At<'a> {
    const ROOT: At<'static> = At {
        parent: None,
        step: Step::Root,
    };

    fn key(&'a self, key: &'a str) -> At<'a> {
        At {
            parent: Some(self),
            step: Step::Key(key),
        }
    }

    fn index(&'a self, index: usize) -> At<'a> {
        At {
            parent: Some(self),
            step: Step::Index(index),
        }
    }

    fn path(&self) -> Vec<PathSegment> {
        let mut path = Vec::new();
        let mut at = Some(self);
        while let Some(here) = at {
            match here.step {
                Step::Root => {}
                Step::Key(key) => path.push(PathSegment::Key(key.to_owned())),
                Step::Index(index) => path.push(PathSegment::Index(index)),
            }
            at = here.parent;
        }
        path.reverse();
        path
    }
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Absent and `null` are the same thing: absent.
fn take(map: &mut Map<String, Value>, key: &str) -> Option<Value> {
    map.remove(key).filter(|value| !value.is_null())
}

fn object(cx: &mut Cx, at: &At<'_>, value: Value) -> Option<Map<String, Value>> {
    match value {
        Value::Object(map) => Some(map),
        other => {
            cx.error(
                at,
                IssueCode::InvalidType,
                format!("expected an object, got {}", type_name(&other)),
            );
            None
        }
    }
}

fn string(cx: &mut Cx, at: &At<'_>, value: Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text),
        other => {
            cx.error(
                at,
                IssueCode::InvalidType,
                format!("expected a string, got {}", type_name(&other)),
            );
            None
        }
    }
}

fn required(cx: &mut Cx, map: &mut Map<String, Value>, at: &At<'_>, key: &str) -> Option<String> {
    let at = at.key(key);
    match take(map, key) {
        Some(value) => string(cx, &at, value),
        None => {
            cx.error(&at, IssueCode::Required, "is required");
            None
        }
    }
}

fn optional(cx: &mut Cx, map: &mut Map<String, Value>, at: &At<'_>, key: &str) -> Option<String> {
    take(map, key).and_then(|value| string(cx, &at.key(key), value))
}

/// Records `result`'s error, if any, as an issue with `code` at `at`.
fn check<T, E: Into<String>>(
    cx: &mut Cx,
    at: &At<'_>,
    code: IssueCode,
    result: Result<T, E>,
) -> Option<T> {
    result.map_err(|message| cx.error(at, code, message)).ok()
}

fn id(cx: &mut Cx, map: &mut Map<String, Value>, at: &At<'_>, key: &str) -> Option<Id> {
    let text = required(cx, map, at, key)?;
    let id = Id::parse(text).map_err(|e| e.reason().to_owned());
    check(cx, &at.key(key), IssueCode::InvalidString, id)
}

fn url(cx: &mut Cx, at: &At<'_>, text: String) -> Option<WebUrl> {
    let trimmed = text.trim_matches(|c: char| c <= ' ');
    let text = if trimmed.len() != text.len() {
        let trimmed = trimmed.to_owned();
        if WebUrl::check(&trimmed) {
            cx.warn(
                at,
                IssueCode::TrimmedUrl,
                "leading or trailing spaces or control characters were removed, as browsers do",
            );
        }
        trimmed
    } else {
        text
    };
    WebUrl::parse(text)
        .map_err(|error| match error {
            UrlError::Invalid(reason) => cx.error(
                at,
                IssueCode::InvalidUrl,
                format!("expected an absolute https URL; this one {reason}"),
            ),
            UrlError::Unsafe(reason) => cx.error(at, IssueCode::UnsafeUrl, reason),
        })
        .ok()
}

fn optional_url(
    cx: &mut Cx,
    map: &mut Map<String, Value>,
    at: &At<'_>,
    key: &str,
) -> Option<WebUrl> {
    let text = optional(cx, map, at, key)?;
    url(cx, &at.key(key), text)
}

fn unknown_fields(cx: &mut Cx, at: &At<'_>, map: Map<String, Value>) {
    for key in map.keys() {
        cx.warn(
            &at.key(key),
            IssueCode::UnknownField,
            "is not a known field; it is left out of the result",
        );
    }
}

fn session(cx: &mut Cx, value: Value) -> Option<Session> {
    let root = At::ROOT;
    let Value::Object(mut map) = value else {
        cx.error(
            &root,
            IssueCode::InvalidType,
            format!("expected a session object, got {}", type_name(&value)),
        );
        return None;
    };
    let uuid = id(cx, &mut map, &root, "uuid");
    let links = links(cx, &mut map, &root);

    let order_at = root.key("order");
    let mut order_map = take(&mut map, "order").and_then(|value| object(cx, &order_at, value));
    let nested_tokenize = order_map.as_mut().and_then(|map| take(map, "tokenize"));
    let order = order_map.map(|map| order(cx, &order_at, map));

    let nested_at = order_at.key("tokenize");
    let tokenize = match (take(&mut map, "tokenize"), nested_tokenize) {
        (Some(top), nested) => {
            if nested.is_some() {
                cx.warn(
                    &nested_at,
                    IssueCode::DuplicateTokenize,
                    "tokenize is also at the top level; the top-level one is used",
                );
            }
            Some(tokenize(cx, &root.key("tokenize"), top))
        }
        // Sezzle's documented example nests tokenize in order; the field reference puts it at
        // the top level. Both are accepted and the result has it at the top level.
        (None, Some(nested)) => {
            cx.warn(
                &nested_at,
                IssueCode::TokenizeInOrder,
                "tokenize was found inside order; it is returned at the top level",
            );
            Some(tokenize(cx, &nested_at, nested))
        }
        (None, None) => None,
    };
    unknown_fields(cx, &root, map);
    Some(Session {
        uuid: uuid?,
        links: links?,
        order: valid_if_present(order)?,
        tokenize: valid_if_present(tokenize)?,
    })
}

/// `Some(None)` for an absent block, `None` for a present one that failed validation.
fn valid_if_present<T>(block: Option<Option<T>>) -> Option<Option<T>> {
    block.map_or(Some(None), |valid| valid.map(Some))
}

fn order(cx: &mut Cx, at: &At<'_>, mut map: Map<String, Value>) -> Option<SessionOrder> {
    let uuid = id(cx, &mut map, at, "uuid");
    let intent = optional(cx, &mut map, at, "intent").and_then(|text| {
        let intent = Intent::from_wire(&text).ok_or("expected AUTH or CAPTURE");
        check(cx, &at.key("intent"), IssueCode::InvalidEnum, intent)
    });
    let checkout_url = optional_url(cx, &mut map, at, "checkout_url");
    let links = links(cx, &mut map, at);
    unknown_fields(cx, at, map);
    Some(SessionOrder {
        uuid: uuid?,
        intent,
        checkout_url,
        links: links?,
    })
}

fn tokenize(cx: &mut Cx, at: &At<'_>, value: Value) -> Option<SessionTokenize> {
    let mut map = object(cx, at, value)?;
    let token = id(cx, &mut map, at, "token");
    let expiration = optional(cx, &mut map, at, "expiration").and_then(|text| {
        let expiration = DateTime::parse(text)
            .map_err(|e| format!("expected an RFC 3339 date-time: {}", e.reason()));
        check(
            cx,
            &at.key("expiration"),
            IssueCode::InvalidDatetime,
            expiration,
        )
    });
    let approval_url = optional_url(cx, &mut map, at, "approval_url");
    let links = links(cx, &mut map, at);
    unknown_fields(cx, at, map);
    Some(SessionTokenize {
        token: token?,
        expiration,
        approval_url,
        links: links?,
    })
}

/// `links` of the object at `at`: absent or `null` is an empty list.
fn links(cx: &mut Cx, map: &mut Map<String, Value>, at: &At<'_>) -> Option<Vec<Link>> {
    let at = at.key("links");
    let items = match take(map, "links") {
        None => return Some(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(other) => {
            cx.error(
                &at,
                IssueCode::InvalidType,
                format!("expected an array of links, got {}", type_name(&other)),
            );
            return None;
        }
    };
    let mut links = Vec::with_capacity(items.len());
    let mut all_valid = true;
    for (index, item) in items.into_iter().enumerate() {
        match link(cx, &at.index(index), item) {
            Some(link) => links.push(link),
            None => all_valid = false,
        }
    }
    all_valid.then_some(links)
}

fn link(cx: &mut Cx, at: &At<'_>, value: Value) -> Option<Link> {
    let mut map = object(cx, at, value)?;
    let href = required(cx, &mut map, at, "href").and_then(|text| url(cx, &at.key("href"), text));
    // Sezzle's Link schema: "If omitted, will default to GET".
    let method = match take(&mut map, "method") {
        None => Some(Method::Get),
        Some(value) => string(cx, &at.key("method"), value).and_then(|text| {
            let method =
                Method::from_wire(&text).ok_or("expected one of GET, POST, PUT, PATCH, DELETE");
            check(cx, &at.key("method"), IssueCode::InvalidEnum, method)
        }),
    };
    let rel = required(cx, &mut map, at, "rel").and_then(|rel| {
        let rel = if rel.is_empty() {
            Err("must not be empty")
        } else {
            Ok(rel)
        };
        check(cx, &at.key("rel"), IssueCode::InvalidString, rel)
    });
    unknown_fields(cx, at, map);
    Some(Link {
        href: href?,
        method: method?,
        rel: rel?,
    })
}
