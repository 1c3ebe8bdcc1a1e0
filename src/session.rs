//! The typed session. Every value here has passed validation (see `validate.rs`): a
//! [`WebUrl`] is a checked URL, an [`Id`] a checked id, so code past the parser does not
//! check again. Serialised, it is the object JavaScript users get, with Sezzle's wire names.

use crate::datetime::DateTime;
use crate::url::WebUrl;
use serde::{Serialize, Serializer};

/// A non-empty string with no whitespace or control characters. Not necessarily an RFC 4122
/// UUID: Sezzle's own documented order uuid (`12a34bc5-6de7-890f-g123-4hi1238jk902`) is not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Id(String);

impl Id {
    pub fn parse(text: String) -> Result<Id, &'static str> {
        Id::check(&text)?;
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

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Method {
    #[serde(rename = "GET")]
    Get,
    #[serde(rename = "POST")]
    Post,
    #[serde(rename = "PUT")]
    Put,
    #[serde(rename = "PATCH")]
    Patch,
    #[serde(rename = "DELETE")]
    Delete,
}

impl Method {
    pub const ALL: [Method; 5] = [
        Method::Get,
        Method::Post,
        Method::Put,
        Method::Patch,
        Method::Delete,
    ];

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Intent {
    #[serde(rename = "AUTH")]
    Auth,
    #[serde(rename = "CAPTURE")]
    Capture,
}

impl Intent {
    pub fn from_wire(text: &str) -> Option<Intent> {
        match text {
            "AUTH" => Some(Intent::Auth),
            "CAPTURE" => Some(Intent::Capture),
            _ => None,
        }
    }
}

/// `{ href, method, rel }`. The set of `rel` values is open, so it stays a string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    pub href: WebUrl,
    pub method: Method,
    pub rel: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionOrder {
    pub uuid: Id,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub intent: Option<Intent>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checkout_url: Option<WebUrl>,
    pub links: Vec<Link>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionTokenize {
    pub token: Id,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expiration: Option<DateTime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub approval_url: Option<WebUrl>,
    pub links: Vec<Link>,
}

/// A checkout session. `tokenize` is here whether Sezzle sent it at the top level (the field
/// reference) or inside `order` (the documented example).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Session {
    pub uuid: Id,
    pub links: Vec<Link>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order: Option<SessionOrder>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tokenize: Option<SessionTokenize>,
}
