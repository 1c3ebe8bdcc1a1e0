//! [`ClientError`]: what every client call fails with, and the redaction of secrets from it.

use super::rules::ApiError;
use crate::{Issue, ValidationError};
use std::fmt;

/// What kind of failure a [`ClientError`] is; the package's `SezzleError.kind` has the same
/// names (a test holds the two sets together).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// An option, a session uuid or a header is not acceptable; nothing was sent.
    InvalidArgument,
    /// The connection failed, or the fetch answered something that is not a response.
    Network,
    /// No answer within the timeout, on the last attempt.
    Timeout,
    /// The caller's `AbortSignal` fired.
    Aborted,
    /// The gateway answered a status that is not 2xx (or a redirect, which is refused).
    Http,
    /// The gateway answered 2xx with a body that is not a valid session or token.
    Validation,
    /// The package failed itself: in JS, its WebAssembly module trapped. The Rust client
    /// gives no error of this kind today; it is here so that one `match` serves both.
    Internal,
}

impl ErrorKind {
    /// The wire name, e.g. `"invalid_argument"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidArgument => "invalid_argument",
            ErrorKind::Network => "network",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Aborted => "aborted",
            ErrorKind::Http => "http",
            ErrorKind::Validation => "validation",
            ErrorKind::Internal => "internal",
        }
    }
}

/// A failed client call: its kind, a message that says what and where (the request's method
/// and path first), and the details that the kind has. The token and the private key never
/// appear in any of it: whatever the gateway or a fetch echoed is redacted.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientError {
    pub(crate) kind: ErrorKind,
    pub(crate) message: String,
    pub(crate) status: Option<u16>,
    pub(crate) attempts: u32,
    pub(crate) api_errors: Vec<ApiError>,
    pub(crate) debug_uuid: Option<String>,
    pub(crate) retry_after_ms: Option<u64>,
    pub(crate) issues: Vec<Issue>,
    /// What JavaScript threw or aborted with, for the package's `SezzleError.cause`.
    #[cfg(target_arch = "wasm32")]
    pub(crate) cause: Option<wasm_bindgen::JsValue>,
}

impl ClientError {
    // Not inlined: it is called from some forty places, and each inlined copy of the struct's
    // construction costs the module bytes.
    #[inline(never)]
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        ClientError {
            kind,
            message: message.into(),
            status: None,
            attempts: 0,
            api_errors: Vec::new(),
            debug_uuid: None,
            retry_after_ms: None,
            issues: Vec::new(),
            #[cfg(target_arch = "wasm32")]
            cause: None,
        }
    }

    /// The caller's signal fired; `reason` is what it was aborted with.
    #[cfg(target_arch = "wasm32")]
    pub(crate) fn aborted(what: &str, reason: wasm_bindgen::JsValue) -> Self {
        let mut e = ClientError::new(
            ErrorKind::Aborted,
            format!("{what}: cancelled by the caller's AbortSignal"),
        );
        e.cause = Some(reason);
        e
    }

    /// The thrown value behind this error.
    #[cfg(target_arch = "wasm32")]
    pub(crate) fn caused_by(mut self, cause: wasm_bindgen::JsValue) -> Self {
        self.cause = Some(cause);
        self
    }

    #[inline(never)]
    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        ClientError::new(ErrorKind::InvalidArgument, message)
    }

    /// A 2xx answer whose body is not what was asked for.
    pub(crate) fn validation(what: &str, status: u16, error: ValidationError) -> Self {
        let mut e = ClientError::new(ErrorKind::Validation, format!("{what}: {error}"));
        e.status = Some(status);
        e.issues = error.into_issues();
        e
    }

    pub(crate) fn with_attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts;
        self
    }

    /// The kind of failure.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }
    /// What went wrong, e.g. `GET /v2/session/x: HTTP 404 Not Found: Session not found
    /// (not_found at session_uuid, debug_uuid 919f…)`.
    pub fn message(&self) -> &str {
        &self.message
    }
    /// The HTTP status, for [`ErrorKind::Http`] and [`ErrorKind::Validation`].
    pub fn status(&self) -> Option<u16> {
        self.status
    }
    /// How many requests were sent (0 when none was).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
    /// Sezzle's error objects, when the body of a failed answer held them.
    pub fn api_errors(&self) -> &[ApiError] {
        &self.api_errors
    }
    /// The first `debug_uuid` of Sezzle's errors: quote it to Sezzle's support.
    pub fn debug_uuid(&self) -> Option<&str> {
        self.debug_uuid.as_deref()
    }
    /// How long the gateway asked to wait (`Retry-After`), in milliseconds.
    pub fn retry_after_ms(&self) -> Option<u64> {
        self.retry_after_ms
    }
    /// What is wrong with a 2xx body, for [`ErrorKind::Validation`].
    pub fn issues(&self) -> &[Issue] {
        &self.issues
    }

    /// The error cleaned of `secrets` (every text it shows), by the package's one redaction,
    /// `js/redact.js`: every occurrence in any letter case, its percent-encoded form, pieces
    /// of eight characters or more, and a secret's start just before a cut.
    #[cfg(target_arch = "wasm32")]
    pub(crate) fn redacted(mut self, secrets: &[&str]) -> Self {
        if secrets.iter().all(|s| s.is_empty()) {
            return self;
        }
        let mut texts: Vec<&mut String> = vec![&mut self.message];
        for e in &mut self.api_errors {
            texts.extend(
                [
                    &mut e.code,
                    &mut e.location,
                    &mut e.message,
                    &mut e.debug_uuid,
                ]
                .into_iter()
                .flatten(),
            );
        }
        texts.extend(&mut self.debug_uuid);
        for issue in &mut self.issues {
            texts.push(&mut issue.message);
            for segment in &mut issue.path {
                if let crate::PathSegment::Key(key) = segment {
                    texts.push(key);
                }
            }
        }
        super::js::redact(texts, secrets);
        self
    }
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ClientError {}
