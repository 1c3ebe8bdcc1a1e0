//! [`MockGateway`]: the package's mock gateway (`npx sezzle-session mock`, or
//! `sezzle-session/mock` from Node) scripted from a Rust wasm test: faults queued per request,
//! tokens expired, the requests it saw. It talks to the mock's control routes (`/__mock/...`)
//! over HTTP with gloo-net, so the same test runs under `wasm-pack test --node` and in a
//! headless browser.
//!
//! ```no_run
//! # async fn run() -> Result<(), sezzle_session::ClientError> {
//! use sezzle_session::mock::{MockFault, MockGateway};
//! use sezzle_session::{Client, ClientOptions, Method};
//!
//! // The mock's base URL, e.g. from `sezzle-session mock --url-file` at build time.
//! let mock = MockGateway::new("http://127.0.0.1:8787/v2");
//! mock.reset().await?;
//! mock.fault(Method::Get, "/v2/session/", &[MockFault::status(503)]).await?;
//!
//! let (public_key, private_key) = MockGateway::KEYS;
//! let mut options = ClientOptions::with_keys(public_key, private_key);
//! options.base_url = Some(mock.base_url().into());
//! let session = Client::new(options)?.get_session(MockGateway::SEED_UUID).await?; // 503, retried
//! assert_eq!(session.uuid, MockGateway::SEED_UUID);
//! assert_eq!(mock.requests().await?.len(), 3); // POST /authentication, GET twice
//! # Ok(())
//! # }
//! ```

use crate::client::ClientError;
use crate::Method;
use gloo_net::http::Request;
use serde::{Deserialize, Serialize};

/// The package's mock gateway at a base URL, scripted over its control routes.
#[derive(Debug, Clone)]
pub struct MockGateway {
    base_url: String,
}

/// A scripted answer for the next request that matches (see [`MockGateway::fault`]). Start
/// from [`MockFault::status`] or another constructor and change the fields you need.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MockFault {
    /// Answer with this status (with `body` and `headers`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The answer's body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// The answer's headers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headers: Option<std::collections::BTreeMap<String, String>>,
    /// Wait this long first, in milliseconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delay_ms: Option<u32>,
    /// Drop the connection.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub reset: bool,
    /// Cut a 200 body short.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub truncate: bool,
    /// Answer a 32 MiB body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub oversized: Option<Oversized>,
}

/// How an oversized answer says its size ([`MockFault::oversized`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Oversized {
    /// With its `content-length`.
    WithLength,
    /// Chunked, with no length.
    Chunked,
}

impl Serialize for Oversized {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Oversized::WithLength => serializer.serialize_bool(true),
            Oversized::Chunked => serializer.serialize_str("chunked"),
        }
    }
}

impl MockFault {
    /// Answer with `status` (and Sezzle-shaped nothing: an empty body).
    pub fn status(status: u16) -> MockFault {
        MockFault {
            status: Some(status),
            ..MockFault::default()
        }
    }

    /// Drop the connection: a network error.
    pub fn connection_reset() -> MockFault {
        MockFault {
            reset: true,
            ..MockFault::default()
        }
    }

    /// Answer late, after `delay_ms` milliseconds (a timeout, with a short `timeout_ms`).
    pub fn delay(delay_ms: u32) -> MockFault {
        MockFault {
            delay_ms: Some(delay_ms),
            ..MockFault::default()
        }
    }

    /// Cut the 200 answer's body short.
    pub fn truncated() -> MockFault {
        MockFault {
            truncate: true,
            ..MockFault::default()
        }
    }

    /// Answer a 32 MiB body, said as `how`.
    pub fn oversized(how: Oversized) -> MockFault {
        MockFault {
            oversized: Some(how),
            ..MockFault::default()
        }
    }

    /// This fault, answering `body`.
    pub fn with_body(mut self, body: impl Into<String>) -> MockFault {
        self.body = Some(body.into());
        self
    }

    /// This fault, with the header `name: value` on its answer.
    pub fn with_header(mut self, name: &str, value: &str) -> MockFault {
        (self.headers.get_or_insert_with(Default::default)).insert(name.into(), value.into());
        self
    }
}

/// A request the mock saw.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct MockRequest {
    /// `GET` or `POST`.
    pub method: String,
    /// The path, e.g. `/v2/session/x`.
    pub path: String,
    /// The headers as Node read them: names lowercase.
    pub headers: std::collections::BTreeMap<String, String>,
    /// The body (empty for a GET).
    pub body: String,
}

#[derive(Deserialize)]
struct Token {
    token: String,
}

#[derive(Serialize)]
struct Faults<'a> {
    method: &'a str,
    path: &'a str,
    faults: &'a [MockFault],
}

impl MockGateway {
    /// The demo keys the mock takes: `(public_key, private_key)`.
    pub const KEYS: (&'static str, &'static str) =
        ("sz_pub_demo_public_key", "sz_pr_demo_private_key");
    /// The uuid of the session it serves from Sezzle's documented example.
    pub const SEED_UUID: &'static str = "fadbc642-05a4-4e38-9e74-80e325623af9";

    /// The mock at `base_url` (with its `/v2`, as a client takes it).
    pub fn new(base_url: impl Into<String>) -> MockGateway {
        MockGateway {
            base_url: base_url.into().trim_end_matches('/').to_owned(),
        }
    }

    /// The base URL, for `ClientOptions::base_url`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Forgets the faults queued and the requests seen.
    pub async fn reset(&self) -> Result<(), ClientError> {
        self.control("POST", "reset", None).await.map(drop)
    }

    /// Queues `faults`, one for each of the next requests whose method is `method` and whose
    /// path matches `path` (a JavaScript regular expression's source, e.g. `^/v2/session/`).
    pub async fn fault(
        &self,
        method: Method,
        path: &str,
        faults: &[MockFault],
    ) -> Result<(), ClientError> {
        let body = Faults {
            method: method.as_str(),
            path,
            faults,
        };
        let body = serde_json::to_string(&body)
            .map_err(|e| ClientError::invalid(format!("mock: the faults: {e}")))?;
        self.control("POST", "faults", Some(body)).await.map(drop)
    }

    /// Makes every token the mock issued expire: the next call with one answers 401.
    pub async fn expire_tokens(&self) -> Result<(), ClientError> {
        self.control("POST", "expire-tokens", None).await.map(drop)
    }

    /// A valid token, as if an authentication had given it (for `ClientOptions::with_token`).
    pub async fn token(&self) -> Result<String, ClientError> {
        let text = self.control("POST", "token", None).await?;
        serde_json::from_str::<Token>(&text)
            .map(|t| t.token)
            .map_err(|e| ClientError::invalid(format!("mock: its token answer: {e}")))
    }

    /// Every request the mock saw since it started or was reset, in order.
    pub async fn requests(&self) -> Result<Vec<MockRequest>, ClientError> {
        let text = self.control("GET", "requests", None).await?;
        serde_json::from_str(&text)
            .map_err(|e| ClientError::invalid(format!("mock: its requests answer: {e}")))
    }

    /// The answer of a control route, as text; an error unless it is a 200.
    async fn control(
        &self,
        method: &str,
        route: &str,
        body: Option<String>,
    ) -> Result<String, ClientError> {
        let origin = self.base_url.strip_suffix("/v2").unwrap_or(&self.base_url);
        let url = format!("{origin}/__mock/{route}");
        let what = format!("mock: {method} /__mock/{route}");
        let failed = |e: gloo_net::Error| {
            ClientError::new(crate::ErrorKind::Network, format!("{what}: {e}"))
        };
        let request = match (method, body) {
            ("POST", Some(body)) => Request::post(&url)
                .header("content-type", "application/json")
                .body(body)
                .map_err(failed)?,
            ("POST", None) => Request::post(&url).build().map_err(failed)?,
            _ => Request::get(&url).build().map_err(failed)?,
        };
        let response = request.send().await.map_err(failed)?;
        let text = response.text().await.map_err(failed)?;
        if response.status() != 200 {
            return Err(ClientError::invalid(format!(
                "{what}: HTTP {}: {text} (is {} the package's mock gateway?)",
                response.status(),
                self.base_url
            )));
        }
        Ok(text)
    }
}
