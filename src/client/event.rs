//! [`ClientEvent`]: what the client tells a hook of its requests, for logging and metrics.

use crate::Method;
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
#[non_exhaustive]
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
        method: Method,
        /// The URL's path, e.g. `/v2/session/x`.
        path: String,
        /// 1 for the first attempt.
        attempt: u32,
    },
    /// An attempt ended.
    Response {
        /// `GET` or `POST`.
        #[cfg_attr(test, ts(type = "\"GET\" | \"POST\""))]
        method: Method,
        /// The URL's path.
        path: String,
        /// 1 for the first attempt.
        attempt: u32,
        /// The HTTP status; 0 when there was none (or a browser hid a redirect's).
        status: u16,
        /// How it ended: `"answer"` (any status), `"redirect"`, `"network"`, `"timeout"`,
        /// `"aborted"` or `"unreadable"`.
        #[cfg_attr(
            test,
            ts(
                type = "\"answer\" | \"redirect\" | \"network\" | \"timeout\" | \"aborted\" | \"unreadable\""
            )
        )]
        outcome: Outcome,
        /// From the request to the end of its body, in milliseconds.
        duration_ms: f64,
    },
    /// The client waits before the next attempt.
    Retry {
        /// `GET` or `POST`.
        #[cfg_attr(test, ts(type = "\"GET\" | \"POST\""))]
        method: Method,
        /// The URL's path.
        path: String,
        /// The attempt that failed.
        attempt: u32,
        /// How long it waits, in milliseconds.
        #[cfg_attr(test, ts(type = "number"))]
        wait_ms: u64,
    },
}

/// How an attempt ended ([`ClientEvent::Response`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Outcome {
    /// An answer, whatever its status.
    Answer,
    /// A redirect, which the client refuses.
    Redirect,
    /// The connection failed.
    Network,
    /// The attempt ran out of time.
    Timeout,
    /// The caller's signal fired.
    Aborted,
    /// The fetch answered something that is not a readable response.
    Unreadable,
}

impl Outcome {
    /// The word the JS events carry: `"answer"`, `"redirect"`, …
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Answer => "answer",
            Outcome::Redirect => "redirect",
            Outcome::Network => "network",
            Outcome::Timeout => "timeout",
            Outcome::Aborted => "aborted",
            Outcome::Unreadable => "unreadable",
        }
    }
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::Outcome;

    #[test]
    fn an_outcome_is_written_as_its_word() {
        let all = [
            Outcome::Answer,
            Outcome::Redirect,
            Outcome::Network,
            Outcome::Timeout,
            Outcome::Aborted,
            Outcome::Unreadable,
        ];
        for outcome in all {
            // (A variant added to Outcome stops this match compiling: add it to `all` too.)
            match outcome {
                Outcome::Answer
                | Outcome::Redirect
                | Outcome::Network
                | Outcome::Timeout
                | Outcome::Aborted
                | Outcome::Unreadable => {}
            }
            let wire = serde_json::to_value(outcome).unwrap();
            assert_eq!(wire, outcome.as_str(), "{outcome:?}");
            assert_eq!(outcome.to_string(), outcome.as_str());
        }
    }
}
