//! Sezzle gateway v2 checkout sessions: a typed model, a validating parser that reports every
//! issue with its path, and safe extraction of the URLs a shopper is sent to.
//!
//! # Parse, then take the checkout URL
//!
//! [`parse_session`] takes the bytes of a `GET /v2/session/{uuid}` answer (or a session your
//! server received another way) and gives a [`Session`] whose every value has been checked,
//! plus warnings worth logging (fields this version does not know, `tokenize` nested in
//! `order`). A payload that is not a valid session gives a [`ValidationError`] listing every
//! [`Issue`], each with its path and a stable [`IssueCode`].
//!
//! A URL in a valid session is a well-formed `https` URL, but not necessarily one to send a
//! shopper to: [`checkout_url`] and [`approval_url`] also check its host against Sezzle's
//! ([`CHECKOUT_HOSTS`], [`APPROVAL_HOSTS`], or a list of your own).
//!
//! ```
//! use sezzle_session::{checkout_url, find_link, parse_session, Method, CHECKOUT_HOSTS};
//!
//! let payload = br#"{
//!     "uuid": "s1",
//!     "links": [{"href": "https://gateway.sezzle.com/v2/session/s1", "method": "GET", "rel": "self"}],
//!     "order": {"uuid": "o1", "checkout_url": "https://checkout.sezzle.com/?id=o1"}
//! }"#;
//! let parsed = parse_session(payload)?;
//! assert!(parsed.warnings.is_empty());
//!
//! let url = checkout_url(&parsed.session, &CHECKOUT_HOSTS)?;
//! assert_eq!(url.map(|u| u.as_str()), Some("https://checkout.sezzle.com/?id=o1"));
//!
//! let this = find_link(&parsed.session.links, "self", Method::Get);
//! assert_eq!(this.map(|l| l.href.host()), Some("gateway.sezzle.com"));
//! # Ok::<(), sezzle_session::ValidationError>(())
//! ```
//!
//! An invalid payload names what is wrong and where:
//!
//! ```
//! use sezzle_session::{parse_session, IssueCode};
//!
//! let error = parse_session(br#"{"uuid": "s1", "order": {"checkout_url": "javascript:alert(1)"}}"#)
//!     .unwrap_err();
//! let found: Vec<_> = error.issues().iter().map(|i| (i.path_text(), i.code)).collect();
//! assert!(found.contains(&("order.uuid".to_owned(), IssueCode::Required)));
//! assert!(found.contains(&("order.checkout_url".to_owned(), IssueCode::UnsafeUrl)));
//! ```
//!
//! # The gateway client (wasm32)
//!
//! Built for `wasm32` (a Leptos, Yew or Dioxus front end, a worker, any wasm-bindgen crate),
//! the crate has the client the npm package uses: `Client` fetches `GET /v2/session/{uuid}`
//! with `fetch`, authenticating with the merchant's keys (or a token you have), renewing the
//! token before it expires, repeating a failed GET with backoff, and parsing the answer as
//! [`parse_session`] does. Its errors are [`ClientError`]s of an [`ErrorKind`], the same kinds
//! as the package's `SezzleError`, and never hold the token or the private key. `Client`,
//! `ClientOptions`, `CallOptions` and `Credentials` exist on wasm32 only (docs.rs shows them;
//! locally, `cargo doc --target wasm32-unknown-unknown`); [`Environment`], [`Region`],
//! [`ClientEvent`] and [`ClientError`] everywhere, for configuration and logging code that is
//! shared with a server.
//!
//! ```
//! use sezzle_session::Environment;
//!
//! // Configuration text, read as shared server code reads it (a typo is an error here):
//! let environment: Environment = "production".parse()?;
//! assert_eq!(environment, Environment::Production);
//! # #[cfg(target_arch = "wasm32")]
//! # async fn run(uuid: &str, environment: Environment) -> Result<(), sezzle_session::ClientError> {
//! # use sezzle_session::{CallOptions, Client, ClientOptions};
//! // On wasm32:
//! let mut options = ClientOptions::with_keys("sz_pub_…", "sz_pr_…"); // or ::with_token(token)
//! options.environment = environment; // default: the sandbox
//! let client = Client::new(options)?; // every option checked: an invalid_argument error
//! let session = client.get_session(uuid).await?;
//! let quick = client.get_session_with(uuid, CallOptions::new().timeout_ms(2_000)?.retries(0)?).await?;
//! # let _ = (session, quick);
//! # Ok(())
//! # }
//! # Ok::<(), sezzle_session::ParseError>(())
//! ```
//!
//! The same lines, against the package's mock gateway, run in `tests/client.rs` (Node and
//! Chromium). A consumer's build gets the SIMD string scan when it turns on `simd128` for
//! wasm32, as this repository's `.cargo/config.toml` does (the README says how, and what it
//! gains).
//!
//! # The npm package
//!
//! The crate's core is plain Rust with no WebAssembly in it. The npm package `sezzle-session`
//! is built from it as two WebAssembly modules: the parser module (Cargo feature `js-parser`,
//! its exports in `src/wasm.rs`) and the client module (`js-client`: the gateway client,
//! its exports in `src/client/exports.rs`), each under a thin JavaScript layer (`js/`); its
//! TypeScript declarations are generated from the types here.
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]
// The client module (`js-client` without `js-parser`) leaves out what only the parser's
// exports (src/wasm.rs) use.
#![cfg_attr(
    all(target_arch = "wasm32", not(feature = "js-parser")),
    allow(dead_code)
)]

// The gateway client: its rules (plain Rust, tested natively) and, on wasm32, the client.
// (Without the `js-client` feature, what only the package's exports use is unused.)
#[cfg_attr(
    any(not(target_arch = "wasm32"), not(feature = "js-client")),
    allow(dead_code)
)]
mod client;
mod datetime;
mod error;
// The parser (`src/fast/`); crate-private: its tape is for the package's JS.
// Its docs link to its own private items, also from the few `__internals` re-exports.
#[allow(rustdoc::private_intra_doc_links)]
mod fast;
mod links;
/// The package's mock gateway, scripted from a Rust wasm test.
#[cfg(target_arch = "wasm32")]
#[cfg_attr(docsrs, doc(cfg(target_arch = "wasm32")))]
pub mod mock;
mod options;
mod schema;
mod session;
mod url;
// The oracle the parser is held to, through serde_json::Value: native builds only (the
// tests and the fuzz target), never in the shipped module.
#[cfg(not(target_arch = "wasm32"))]
mod validate;

#[cfg(test)]
mod generated_js;
#[cfg(all(target_arch = "wasm32", feature = "js-parser"))]
mod wasm;

/// The npm package's modules allocate with talc (feature `small-alloc`, which `make build`
/// turns on): smaller than dlmalloc. The module runs on one thread, as `new_global` requires.
#[cfg(all(target_arch = "wasm32", feature = "small-alloc"))]
#[global_allocator]
static ALLOCATOR: talc::TalckWasm = unsafe { talc::TalckWasm::new_global() };

pub use client::{
    ApiError, Authentication, ClientError, ClientEvent, Environment, ErrorKind, EventHook, Outcome,
    Region, MAX_BODY_BYTES,
};
#[cfg(target_arch = "wasm32")]
#[cfg_attr(docsrs, doc(cfg(target_arch = "wasm32")))]
pub use client::{CallOptions, Client, ClientOptions, Credentials};
pub use datetime::DateTime;
pub use error::{Issue, IssueCode, ParseError, PathSegment, ValidationError, MAX_ISSUES};
pub use fast::{parse_session, Parsed, MAX_DEPTH, MAX_INPUT_BYTES};
pub use links::{approval_url, checkout_url, find_link, APPROVAL_HOSTS, CHECKOUT_HOSTS};
pub use session::{Id, Intent, Link, Method, Session, SessionOrder, SessionTokenize};
pub use url::WebUrl;

/// Not part of the API: what the crate's own integration tests (`tests/wasm.rs`) and the fuzz
/// target (`fuzz/fuzz_targets/parse.rs`) reach inside for. They build against the crate from
/// outside, so these must be `pub`; hidden from the docs, and free to change in any release.
#[doc(hidden)]
pub mod __internals {
    pub use crate::fast::{scan, session_from_tape, tokenize_in_order_warning, Scanned};
    /// The oracle's parse (`src/validate.rs`), which the parser is held to.
    #[cfg(not(target_arch = "wasm32"))]
    pub use crate::validate::parse_session as oracle_parse_session;
    /// The wasm exports, which `tests/wasm.rs` calls as Rust functions.
    #[cfg(all(target_arch = "wasm32", feature = "js-parser"))]
    pub mod wasm {
        pub use crate::wasm::*;
    }
    /// Whether the SIMD string scan and the eight-byte one agree on `bytes`.
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    pub use crate::fast::string_scans_agree;
    /// Whether the 32-byte host scan of a URL and the byte one agree on the text after
    /// `https://`.
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    pub use crate::url::host_scans_agree;
}
