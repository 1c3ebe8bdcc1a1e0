//! [`ClientEvent`]: what the client tells a hook of its requests, for logging and metrics.

use serde::Serialize;
#[cfg(test)]
use ts_rs::TS;

/// A hook for logging and metrics: called with each [`ClientEvent`]; what it does cannot
/// change the request.
pub type EventHook = std::rc::Rc<dyn Fn(&ClientEvent)>;

/// What the client tells a hook: each attempt's request and its outcome, and each retry's
/// wait. Never a header, a body, a token or a key.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(TS))]
#[serde(
    tag = "type",
    rename_all = "lowercase",
    rename_all_fields = "camelCase"
)]
pub enum ClientEvent {
    /// An attempt is about to be sent.
    Request {
        /// `GET` or `POST`.
        #[cfg_attr(test, ts(type = "\"GET\" | \"POST\""))]
        method: &'static str,
        /// The URL's path, e.g. `/v2/session/x`.
        path: String,
        /// 1 for the first attempt.
        attempt: u32,
    },
    /// An attempt ended.
    Response {
        /// `GET` or `POST`.
        #[cfg_attr(test, ts(type = "\"GET\" | \"POST\""))]
        method: &'static str,
        /// The URL's path.
        path: String,
        /// 1 for the first attempt.
        attempt: u32,
        /// The HTTP status; 0 when there was none (or a browser hid a redirect's).
        status: u16,
        /// `"answer"`, `"redirect"`, `"network"`, `"timeout"`, `"aborted"` or `"unreadable"`.
        #[cfg_attr(
            test,
            ts(
                type = "\"answer\" | \"redirect\" | \"network\" | \"timeout\" | \"aborted\" | \"unreadable\""
            )
        )]
        outcome: &'static str,
        /// From the request to the end of its body, in milliseconds.
        duration_ms: f64,
    },
    /// The client waits before the next attempt.
    Retry {
        /// `GET` or `POST`.
        #[cfg_attr(test, ts(type = "\"GET\" | \"POST\""))]
        method: &'static str,
        /// The URL's path.
        path: String,
        /// The attempt that failed.
        attempt: u32,
        /// How long it waits, in milliseconds.
        #[cfg_attr(test, ts(type = "number"))]
        wait_ms: u64,
    },
}
