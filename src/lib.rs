//! Sezzle gateway v2 checkout sessions: a typed model, a validating parser that reports every
//! issue with its path, and safe extraction of the shopper's checkout URL.
//!
//! This crate's core is plain Rust with no WebAssembly in it; `wasm.rs` is the thin layer the
//! npm package is built from.
//!
//! ```
//! let payload = br#"{"uuid":"s1","order":{"uuid":"o1","checkout_url":"https://checkout.sezzle.com/?id=o1"}}"#;
//! let parsed = sezzle_session::parse_session(payload).unwrap();
//! let url = sezzle_session::checkout_url(&parsed.session, &sezzle_session::CHECKOUT_HOSTS).unwrap();
//! assert_eq!(url.map(|u| u.as_str()), Some("https://checkout.sezzle.com/?id=o1"));
//! ```

pub mod client;
pub mod datetime;
pub mod error;
pub mod fast;
#[cfg(test)]
mod generated_js;
pub mod links;
mod options;
pub mod session;
pub mod url;
pub mod validate;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use error::{Issue, IssueCode, PathSegment, ValidationError, MAX_ISSUES};
pub use links::{approval_url, checkout_url, find_link, APPROVAL_HOSTS, CHECKOUT_HOSTS};
pub use session::{Id, Intent, Link, Method, Session, SessionOrder, SessionTokenize};
pub use validate::{parse_session, parse_value, Parsed, MAX_DEPTH, MAX_INPUT_BYTES};
