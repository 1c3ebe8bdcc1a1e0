//! The typed session. Every value here has passed validation (see `validate.rs`): a
//! [`WebUrl`] is a checked URL, an [`Id`] a checked id, so code past the parser does not
//! check again. Serialised, it is the object JavaScript users get, with Sezzle's wire names.

use crate::datetime::DateTime;
use crate::error::ParseError;
use crate::url::WebUrl;
use serde::{Serialize, Serializer};
#[cfg(test)]
use ts_rs::TS;

/// A non-empty string with no whitespace or control characters. Not necessarily an RFC 4122
/// UUID: Sezzle's own documented order uuid (`12a34bc5-6de7-890f-g123-4hi1238jk902`) is not.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(TS), ts(type = "string"))]
pub struct Id(String);

impl Id {
    /// The id, when `text` passes [`Id::check`].
    ///
    /// ```
    /// use sezzle_session::Id;
    ///
    /// let id = Id::parse("fadbc642-05a4-4e38-9e74-80e325623af9")?;
    /// assert_eq!(id, "fadbc642-05a4-4e38-9e74-80e325623af9");
    /// assert_eq!(id.to_string(), "fadbc642-05a4-4e38-9e74-80e325623af9");
    /// assert_eq!(Id::parse("a b").unwrap_err().to_string(), "not an id: must not contain whitespace");
    /// # Ok::<(), sezzle_session::ParseError>(())
    /// ```
    pub fn parse(text: impl Into<String>) -> Result<Id, ParseError> {
        let text = text.into();
        Id::check(&text).map_err(|reason| ParseError::new("an id", reason))?;
        Ok(Id(text))
    }

    /// The rule alone: non-empty, no control characters, no whitespace.
    pub fn check(text: &str) -> Result<(), &'static str> {
        // The usual id: printable ASCII only, checked a byte at a time.
        if !text.is_empty() && text.bytes().all(|b| (0x21..0x7f).contains(&b)) {
            return Ok(());
        }
        if text.is_empty() {
            Err("must not be empty")
        } else if text.chars().any(char::is_control) {
            Err("must not contain control characters")
        } else if text.chars().any(char::is_whitespace) {
            Err("must not contain whitespace")
        } else {
            Ok(())
        }
    }

    /// The id as Sezzle sent it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

crate::error::text_like!(Id);

/// The HTTP method a link is to be followed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(TS), ts(rename = "HttpMethod"))]
pub enum Method {
    /// `GET`
    #[serde(rename = "GET")]
    Get,
    /// `POST`
    #[serde(rename = "POST")]
    Post,
    /// `PUT`
    #[serde(rename = "PUT")]
    Put,
    /// `PATCH`
    #[serde(rename = "PATCH")]
    Patch,
    /// `DELETE`
    #[serde(rename = "DELETE")]
    Delete,
}

impl Method {
    /// Every method, in the order Sezzle's reference lists them.
    pub const ALL: [Method; 5] = [
        Method::Get,
        Method::Post,
        Method::Put,
        Method::Patch,
        Method::Delete,
    ];

    /// The wire name: `"GET"`, `"POST"`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// Exact, upper-case names only, as Sezzle sends them.
    pub fn from_wire(text: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.as_str() == text)
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `order.intent`: whether the order is only authorized or captured at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(TS))]
pub enum Intent {
    /// Authorize now, capture later.
    #[serde(rename = "AUTH")]
    Auth,
    /// Capture at once.
    #[serde(rename = "CAPTURE")]
    Capture,
}

impl Intent {
    /// Exact, upper-case names only, as Sezzle sends them.
    pub fn from_wire(text: &str) -> Option<Intent> {
        match text {
            "AUTH" => Some(Intent::Auth),
            "CAPTURE" => Some(Intent::Capture),
            _ => None,
        }
    }
}

// The doc comments below are also the TypeScript declarations' (`js/types.generated.d.ts`,
// written by `src/generated_js.rs`): they speak of fields, not of Rust or JS functions.
// `ts(inline)` declares an `Id`, `WebUrl` or `DateTime` as the plain `string` it is in JSON.

/// One of a session's, order's or tokenize block's links. `rel` is an open set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(TS))]
pub struct Link {
    /// Where the link points: an absolute https URL (plain http only to a loopback host).
    #[cfg_attr(test, ts(inline))]
    pub href: WebUrl,
    /// The HTTP method to follow it with.
    pub method: Method,
    /// What the link is for, e.g. `"self"`; Sezzle may add values.
    pub rel: String,
}

/// A session's `order`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(TS), ts(optional_fields))]
pub struct SessionOrder {
    /// The order's id.
    #[cfg_attr(test, ts(inline))]
    pub uuid: Id,
    /// Whether the order is only authorized or captured at once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub intent: Option<Intent>,
    /// Where the shopper pays. Check its host (checkout_url, `checkoutUrl()`) before
    /// rendering it as a link.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(inline))]
    pub checkout_url: Option<WebUrl>,
    /// The order's links.
    pub links: Vec<Link>,
}

/// A session's `tokenize` block: a customer token to be approved by the shopper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(TS), ts(optional_fields))]
pub struct SessionTokenize {
    /// The customer token.
    #[cfg_attr(test, ts(inline))]
    pub token: Id,
    /// RFC 3339 date-time, as Sezzle sent it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(inline))]
    pub expiration: Option<DateTime>,
    /// Where the shopper approves the token. Check its host (approval_url, `approvalUrl()`)
    /// before rendering it as a link.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(test, ts(inline))]
    pub approval_url: Option<WebUrl>,
    /// The tokenize block's links.
    pub links: Vec<Link>,
}

/// A validated checkout session. `tokenize` is here whether Sezzle sent it at the top level
/// (the field reference) or inside `order` (the documented example).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(TS), ts(optional_fields))]
pub struct Session {
    /// The session's id.
    #[cfg_attr(test, ts(inline))]
    pub uuid: Id,
    /// The session's links.
    pub links: Vec<Link>,
    /// The order, when the session was created with one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order: Option<SessionOrder>,
    /// The tokenize block, when the session asks for a customer token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tokenize: Option<SessionTokenize>,
}
