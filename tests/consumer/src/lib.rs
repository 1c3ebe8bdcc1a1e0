//! A consumer of `sezzle-session`, outside the library's module tree: its tests use the
//! crate as a user's crate does, through the public API alone (`tests/native.rs` natively,
//! `tests/wasm.rs` on wasm32 against the mock gateway, through `sezzle_session::mock`).
//!
//! Its one function is the kind of code a user writes: the checkout link to show for a
//! payload, or why there is none.

use sezzle_session::{checkout_url, parse_session, CHECKOUT_HOSTS};

/// The shopper's checkout URL in `payload`, when it is valid and the URL is Sezzle's;
/// otherwise why not, in words.
pub fn checkout_link(payload: &str) -> Result<Option<String>, String> {
    let parsed = parse_session(payload).map_err(|e| e.to_string())?;
    let url = checkout_url(&parsed.session, &CHECKOUT_HOSTS).map_err(|e| e.to_string())?;
    Ok(url.map(|u| u.as_str().to_owned()))
}
