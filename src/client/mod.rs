//! The gateway client: `GET /v2/session/{uuid}` and `POST /v2/authentication`.
//!
//! - `rules`: what the client decides, with no I/O in it (URLs, session uuids, what a failed
//!   answer means, backoff, the authentication answer). Plain Rust, tested natively.
//! - `error`: [`ClientError`], the one error of every client call, and the redaction of
//!   secrets from it; `event`: [`ClientEvent`], what a hook is told; `text`: how values are
//!   cut short and quoted in messages (both `rules` and `error` write them).
//! - On wasm32 only: `js` (the JavaScript values the client touches, each reached so that a
//!   hostile one cannot throw through the module), `transport` (one request with its timeout,
//!   its abort and its body cap; retries), `session` ([`Client`], with its token cache) and
//!   `exports` (what the package's JavaScript calls).

mod error;
mod event;
#[cfg(all(target_arch = "wasm32", any(feature = "js-client", feature = "js-get")))]
mod exports;
#[cfg(target_arch = "wasm32")]
mod js;
pub(crate) mod rules;
#[cfg(target_arch = "wasm32")]
mod session;
mod text;
#[cfg(target_arch = "wasm32")]
mod transport;

pub use error::{ClientError, ErrorKind};
pub use event::{ClientEvent, EventHook, Outcome};
pub use rules::{ApiError, Authentication, Environment, Region};
#[cfg(target_arch = "wasm32")]
pub use session::{CallOptions, Client, ClientOptions, Credentials};

/// The most bytes of a response body the client reads; a larger answer is refused.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// The most retries a request may be given.
pub const MAX_RETRIES: u32 = 10;
/// The longest timeout or renewal margin, in milliseconds (what `setTimeout` accepts).
pub const MAX_TIMER_MS: u32 = 2_147_483_647;
