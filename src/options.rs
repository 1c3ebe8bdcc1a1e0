//! The options objects the npm package's functions take, as Rust types: `getSession`'s,
//! `authenticate`'s, `SezzleClient`'s and its `getSession` call's, and `checkoutUrl` /
//! `approvalUrl`'s. They exist for their TypeScript declarations (`js/types.generated.d.ts`,
//! written by `src/generated_js.rs`); the client's exports (`src/client/exports.rs`) read a
//! caller's object key by key, through calls that catch what a getter or a Proxy throws, and
//! hold it to these shapes with the same names.
//!
//! Their doc comments are the declarations' too: they speak of JavaScript values.

// Declarations only; see above.
#![allow(dead_code)]

use serde::Deserialize;
#[cfg(test)]
use ts_rs::TS;

/// A JavaScript object passed through untouched (an `AbortSignal`, a `fetch` function). In the
/// wasm layer it will be a `JsValue` kept with `serde_wasm_bindgen::preserve`; natively there
/// is no JS value to hold, and each field says its TypeScript type itself.
type JsObject = serde::de::IgnoredAny;

/// A field that must be absent (`undefined`): no value deserialises into it, so an untagged
/// enum variant that has one does not match when the field is given.
#[derive(Debug, Clone, Copy, Deserialize)]
pub(crate) enum Absent {}

/// Which of Sezzle's gateways: with `region`, one of four.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(test, derive(TS))]
#[serde(rename_all = "lowercase")]
pub(crate) enum Environment {
    /// Sezzle's sandbox: test keys, no money moves.
    Sandbox,
    /// Sezzle's production gateway.
    Production,
}

/// Which of Sezzle's regions: with `environment`, one of four gateways.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(test, derive(TS))]
#[serde(rename_all = "lowercase")]
pub(crate) enum Region {
    /// The United States and Canada.
    Us,
    /// Europe.
    Eu,
}

/// Options of every request to the gateway.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(test, derive(TS), ts(optional_fields))]
#[serde(rename_all = "camelCase")]
pub(crate) struct RequestOptions {
    /// Default `"sandbox"`.
    pub environment: Option<Environment>,
    /// Default `"us"`.
    pub region: Option<Region>,
    /// Any other gateway, with its version path: `http://127.0.0.1:8787/v2`. Overrides
    /// environment and region.
    pub base_url: Option<String>,
    /// Per attempt, in milliseconds. Default 10000.
    pub timeout_ms: Option<f64>,
    /// Retries of a failed attempt (0 to 10). Default 2.
    pub retries: Option<u8>,
    /// Cancels the call, in-flight request included.
    #[cfg_attr(test, ts(optional, type = "AbortSignal"))]
    pub signal: Option<JsObject>,
    /// A fetch to use instead of the global one, called as `fetch(url, init)` with
    /// `init.headers` a plain object.
    #[cfg_attr(test, ts(optional, type = "typeof fetch"))]
    pub fetch: Option<JsObject>,
    /// Headers of your own on every request, e.g. `{ "user-agent": "shop-admin/2.1" }`.
    /// `authorization`, `accept`, `content-type` and `content-length` are the client's.
    #[cfg_attr(test, ts(optional, type = "Readonly<Record<string, string>>"))]
    pub headers: Option<JsObject>,
    /// Called with each request, response and retry, for logging and metrics; never told a
    /// header, a body or a secret. What it throws (or a promise it returns rejects with) is
    /// ignored.
    #[cfg_attr(test, ts(optional, type = "(event: ClientEvent) => void"))]
    pub on_event: Option<JsObject>,
}

/// `getSession(sessionUuid, options)`'s options.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(TS))]
#[serde(rename_all = "camelCase")]
pub(crate) struct GetSessionOptions {
    /// Sent as `Authorization: Bearer <token>`. Required.
    pub token: String,
    #[serde(flatten)]
    pub request: RequestOptions,
}

/// A merchant's API keys.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(TS))]
#[serde(rename_all = "camelCase")]
pub(crate) struct Credentials {
    /// The public key.
    pub public_key: String,
    /// The private key; never sent anywhere but `POST /v2/authentication`.
    pub private_key: String,
}

/// `authenticate(options)`'s options.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(TS))]
pub(crate) struct AuthenticateOptions {
    #[serde(flatten)]
    pub credentials: Credentials,
    #[serde(flatten)]
    pub request: RequestOptions,
}

/// How a `SezzleClient` gets its token: API keys, or a token, never both.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(TS))]
#[serde(untagged, rename_all_fields = "camelCase")]
pub(crate) enum ClientAuth {
    /// The client authenticates when it first needs a token, and again before it expires.
    Keys {
        /// The public key.
        public_key: String,
        /// The private key; never sent anywhere but `POST /v2/authentication`.
        private_key: String,
        /// Not with keys.
        #[cfg_attr(test, ts(optional, type = "undefined"))]
        token: Option<Absent>,
    },
    /// The client uses this token until the gateway refuses it.
    Token {
        /// Sent as `Authorization: Bearer <token>`.
        token: String,
        /// Not with a token.
        #[cfg_attr(test, ts(optional, type = "undefined"))]
        public_key: Option<Absent>,
        /// Not with a token.
        #[cfg_attr(test, ts(optional, type = "undefined"))]
        private_key: Option<Absent>,
    },
}

/// `new SezzleClient(options)`'s options.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(TS), ts(optional_fields))]
#[serde(rename_all = "camelCase")]
pub(crate) struct SezzleClientOptions {
    #[serde(flatten)]
    pub request: RequestOptions,
    /// Renew a token this long before its expiration_date, in milliseconds. Default 60000.
    pub renew_before_ms: Option<f64>,
    #[serde(flatten)]
    pub auth: ClientAuth,
}

/// `client.getSession(sessionUuid, options)`'s options: the client's own options hold the
/// rest.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(test, derive(TS), ts(optional_fields))]
#[serde(rename_all = "camelCase")]
pub(crate) struct ClientGetSessionOptions {
    /// Cancels this call, in-flight request included (the client's own signal still does too).
    #[cfg_attr(test, ts(optional, type = "AbortSignal"))]
    pub signal: Option<JsObject>,
    /// This call's timeout per attempt, in milliseconds, instead of the client's.
    pub timeout_ms: Option<f64>,
    /// This call's retries (0 to 10), instead of the client's.
    pub retries: Option<u8>,
}

/// `checkoutUrl(input, options)` and `approvalUrl(input, options)`'s options.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(test, derive(TS), ts(optional_fields))]
#[serde(rename_all = "camelCase")]
pub(crate) struct UrlOptions {
    /// Hosts that replace Sezzle's own; `"host"` or `"host:port"`.
    #[cfg_attr(test, ts(optional, type = "readonly string[]"))]
    pub allowed_hosts: Option<Vec<String>>,
}
