//! [`Client`]: sessions by uuid, with a token that is authenticated lazily, shared by every
//! call in flight, renewed before it expires and once more when the gateway answers 401.

use super::error::{ClientError, ErrorKind};
use super::event::EventHook;
use super::js;
use super::rules::{self, Authentication, Environment, Region};
use super::transport::{self, global_fetch, Outgoing, Received, Repeat, Sending};
use crate::Session;
use js_sys::{Function, Promise};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsValue;

/// How a [`Client`] proves who it is.
#[derive(Clone)]
pub enum Credentials {
    /// A bearer token from `POST /v2/authentication`, used as it is until the gateway refuses it.
    Token(String),
    /// The merchant's API keys: the client authenticates itself, and again when the token
    /// nears its expiry.
    Keys {
        /// `sz_pub_…`
        public_key: String,
        /// `sz_pr_…`; never sent anywhere but the authentication request's body.
        private_key: String,
    },
}

/// What a [`Client`] is made with. Start from [`ClientOptions::with_token`] or
/// [`ClientOptions::with_keys`] and change the fields you need.
#[derive(Clone)]
#[non_exhaustive]
pub struct ClientOptions {
    /// The token or the key pair.
    pub credentials: Credentials,
    /// Sezzle's sandbox (the default) or production.
    pub environment: Environment,
    /// The US gateways (the default) or the EU's.
    pub region: Region,
    /// Another gateway, e.g. a mock on `http://127.0.0.1:8787/v2`; overrides `environment`
    /// and `region`. Absolute `https`; plain `http` only to a loopback host.
    pub base_url: Option<String>,
    /// How long one attempt may take, in milliseconds (default 10,000).
    pub timeout_ms: u32,
    /// How many times a failed `GET` is repeated (default 2, at most 10).
    pub retries: u32,
    /// How long before its expiry a token is renewed, in milliseconds (default 60,000).
    pub renew_before_ms: u32,
    /// A `fetch` of your own, called as `fetch(url, init)` with `init`'s headers a plain
    /// object; the global `fetch` (called with a `Request`) when `None`.
    pub fetch: Option<Function>,
    /// Cancels every call of the client when it fires.
    pub signal: Option<web_sys::AbortSignal>,
    /// Headers of your own on every request, e.g. `("user-agent", "shop-admin/2.1")`.
    /// `authorization`, `content-type` and `accept` are the client's.
    pub headers: Vec<(String, String)>,
    /// Told of each request, response and retry (for logging and metrics).
    pub on_event: Option<EventHook>,
}

impl ClientOptions {
    /// Options for a client that uses `token`.
    pub fn with_token(token: impl Into<String>) -> Self {
        Self::new(Credentials::Token(token.into()))
    }

    /// Options for a client that authenticates with the merchant's keys.
    pub fn with_keys(public_key: impl Into<String>, private_key: impl Into<String>) -> Self {
        Self::new(Credentials::Keys {
            public_key: public_key.into(),
            private_key: private_key.into(),
        })
    }

    fn new(credentials: Credentials) -> Self {
        let defaults = rules::DEFAULTS;
        ClientOptions {
            credentials,
            environment: defaults.environment,
            region: defaults.region,
            base_url: None,
            timeout_ms: defaults.timeout_ms,
            retries: defaults.retries,
            renew_before_ms: defaults.renew_before_ms,
            fetch: None,
            signal: None,
            headers: Vec::new(),
            on_event: None,
        }
    }
}

/// What one call may change: its own signal, timeout and retries.
#[derive(Clone, Default, Debug)]
#[non_exhaustive]
pub struct CallOptions {
    /// Cancels this call when it fires (the client's signal still does too).
    pub signal: Option<web_sys::AbortSignal>,
    /// Instead of the client's `timeout_ms`.
    pub timeout_ms: Option<u32>,
    /// Instead of the client's `retries`.
    pub retries: Option<u32>,
}

impl CallOptions {
    /// No changes.
    pub fn new() -> Self {
        Self::default()
    }
    /// This call's own signal.
    pub fn signal(mut self, signal: web_sys::AbortSignal) -> Self {
        self.signal = Some(signal);
        self
    }
    /// This call's own timeout per attempt, checked now: from 1 to `MAX_TIMER_MS`
    /// milliseconds, else an `invalid_argument` error that says so in Rust's words
    /// (`CallOptions::new().timeout_ms(0)` is "timeout_ms must be a number of milliseconds
    /// from 1 to 2147483647, got 0"; `tests/client.rs` holds it).
    pub fn timeout_ms(mut self, timeout_ms: u32) -> Result<Self, ClientError> {
        rules::check_whole_timer(rules::RUST_NAMES.timeout_ms, timeout_ms, 1)
            .map_err(ClientError::invalid)?;
        self.timeout_ms = Some(timeout_ms);
        Ok(self)
    }
    /// This call's own number of retries, checked now: at most `MAX_RETRIES`.
    pub fn retries(mut self, retries: u32) -> Result<Self, ClientError> {
        rules::check_whole_retries(rules::RUST_NAMES.retries, retries)
            .map_err(ClientError::invalid)?;
        self.retries = Some(retries);
        Ok(self)
    }
}

struct Config {
    base: String,
    credentials: Credentials,
    renew_before_ms: f64,
    sending: Sending,
}

/// An authentication in flight: a promise that resolves when it ends, and where it leaves
/// its result.
type InFlight = (
    Promise,
    Rc<RefCell<Option<Result<Authentication, ClientError>>>>,
);

#[derive(Default)]
struct TokenState {
    current: Option<Authentication>,
    /// The authentication in flight, shared by every caller, and where it leaves its result.
    pending: Option<InFlight>,
}

/// A client of the gateway. Cloning it is cheap, and the clones share the token.
///
/// Runs where `fetch` does: in a browser, a worker or Node 18+, built for `wasm32`.
///
/// ```no_run
/// # async fn run() -> Result<(), sezzle_session::ClientError> {
/// use sezzle_session::{Client, ClientOptions};
///
/// let mut options = ClientOptions::with_keys("sz_pub_…", "sz_pr_…");
/// options.base_url = Some("http://127.0.0.1:8787/v2".into());
/// let client = Client::new(options)?;
/// let session = client.get_session("fadbc642-05a4-4e38-9e74-80e325623af9").await?;
/// println!("{:?}", session.order.map(|o| o.checkout_url));
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    config: Rc<Config>,
    tokens: Rc<RefCell<TokenState>>,
}

pub(crate) fn check_headers(
    headers: &[(String, String)],
) -> Result<Vec<(String, String)>, ClientError> {
    const OURS: [&str; 4] = ["authorization", "content-type", "accept", "content-length"];
    // The Fetch standard's forbidden request headers: browsers drop them, Node's fetch throws
    // on some; refused here alike.
    const FORBIDDEN: [&str; 20] = [
        "accept-charset",
        "accept-encoding",
        "access-control-request-headers",
        "access-control-request-method",
        "connection",
        "cookie",
        "cookie2",
        "date",
        "dnt",
        "expect",
        "host",
        "keep-alive",
        "origin",
        "referer",
        "set-cookie",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "via",
    ];
    if headers.len() > rules::MAX_HEADERS {
        return Err(ClientError::invalid(format!(
            "headers: more than {} are given",
            rules::MAX_HEADERS
        )));
    }
    for (name, value) in headers {
        rules::check_length("a header name", name, rules::MAX_HEADER_NAME_LEN)
            .and_then(|()| {
                rules::check_length("a header value", value, rules::MAX_HEADER_VALUE_LEN)
            })
            .map_err(|why| ClientError::invalid(format!("headers: {why}")))?;
    }
    let token_char = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
    let mut seen: Vec<String> = Vec::new();
    headers
        .iter()
        .map(|(name, value)| {
            let lower = name.to_ascii_lowercase();
            if name.is_empty() || !name.bytes().all(token_char) {
                let shown = super::text::quoted(&super::text::shortened(name, super::text::QUOTED_CUT));
                return Err(ClientError::invalid(format!("headers: {shown} is not a header name")));
            }
            if OURS.contains(&lower.as_str()) {
                return Err(ClientError::invalid(format!("headers: {lower} is set by the client")));
            }
            if FORBIDDEN.contains(&lower.as_str())
                || lower.starts_with("proxy-")
                || lower.starts_with("sec-")
            {
                return Err(ClientError::invalid(format!(
                    "headers: {lower} is a header fetch does not let a request set"
                )));
            }
            if seen.contains(&lower) {
                return Err(ClientError::invalid(format!("headers: {lower} is given twice")));
            }
            seen.push(lower.clone());
            if !rules::is_header_value(value) || value.trim() != value {
                return Err(ClientError::invalid(format!(
                    "headers: the value of {lower} must be printable ASCII without leading or trailing spaces"
                )));
            }
            Ok((lower, value.clone()))
        })
        .collect()
}

/// `GET /v2/session/x` from `https://host/v2/session/x`.
fn what(method: &str, url: &str) -> String {
    format!("{method} {}", rules::url_path(url).unwrap_or(url))
}

impl Client {
    /// A client, after checking every option; nothing is sent until the first call.
    pub fn new(options: ClientOptions) -> Result<Client, ClientError> {
        Client::checked(options, "Client", &rules::RUST_NAMES)
    }

    /// A client, after checking every option with the one checker of both the Rust API and
    /// the package's options objects: messages start with `name` and call the options
    /// `names`.
    pub(crate) fn checked(
        options: ClientOptions,
        name: &str,
        names: &rules::OptionNames,
    ) -> Result<Client, ClientError> {
        let invalid = |why: String| ClientError::invalid(format!("{name}: {why}"));
        let base = match &options.base_url {
            Some(url) => rules::check_base_url(url).map_err(invalid)?,
            None => rules::gateway_base_url(options.environment, options.region).to_owned(),
        };
        rules::check_whole_timer(names.timeout_ms, options.timeout_ms, 1)
            .and_then(|()| {
                rules::check_whole_timer(names.renew_before_ms, options.renew_before_ms, 0)
            })
            .and_then(|()| rules::check_whole_retries(names.retries, options.retries))
            .map_err(invalid)?;
        match &options.credentials {
            Credentials::Token(token) => rules::check_credential(names.token, token),
            Credentials::Keys {
                public_key,
                private_key,
            } => rules::check_credential(names.public_key, public_key)
                .and_then(|()| rules::check_credential(names.private_key, private_key)),
        }
        .map_err(invalid)?;
        let headers = check_headers(&options.headers)
            .map_err(|e| ClientError::invalid(format!("{name}: {}", e.message)))?;
        if options.fetch.is_none() && global_fetch().is_err() {
            return Err(invalid(format!(
                "there is no global fetch here; pass {}",
                names.fetch
            )));
        }
        let sending = Sending {
            fetch: options.fetch,
            timeout_ms: f64::from(options.timeout_ms),
            retries: options.retries,
            signals: options.signal.map(Into::into).into_iter().collect(),
            headers,
            on_event: options.on_event,
        };
        Ok(Client {
            config: Rc::new(Config {
                base,
                credentials: options.credentials,
                renew_before_ms: f64::from(options.renew_before_ms),
                sending,
            }),
            tokens: Rc::default(),
        })
    }

    /// The session `session_uuid`, fetched and validated.
    pub async fn get_session(&self, session_uuid: &str) -> Result<Session, ClientError> {
        self.get_session_with(session_uuid, CallOptions::default())
            .await
    }

    /// The same, with this call's own signal, timeout or retries.
    pub async fn get_session_with(
        &self,
        session_uuid: &str,
        call: CallOptions,
    ) -> Result<Session, ClientError> {
        let invalid = |why: String| ClientError::invalid(format!("getSession: {why}"));
        // (Checked again: `CallOptions`' fields are public, set without their setters.)
        let names = &rules::RUST_NAMES;
        if let Some(ms) = call.timeout_ms {
            rules::check_whole_timer(names.timeout_ms, ms, 1).map_err(invalid)?;
        }
        if let Some(n) = call.retries {
            rules::check_whole_retries(names.retries, n).map_err(invalid)?;
        }
        let mut secrets = self.secrets();
        let result = match self
            .session_bytes("getSession", session_uuid, &call, &mut secrets)
            .await
        {
            Ok((got, what)) => crate::parse_session(got.body.to_vec())
                .map(|parsed| parsed.session)
                .map_err(|error| {
                    ClientError::validation(&what, got.status, error).with_attempts(got.attempts)
                }),
            Err(e) => Err(e),
        };
        let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
        result.map_err(|e| e.redacted(&secrets))
    }

    /// The token the client uses now: the one in hand while it has more than
    /// `renew_before_ms` to live, or a new one (one authentication, however many ask).
    /// For a backend that hands a browser a token. A client made with a token has no
    /// authentication to give: `invalid_argument`.
    pub async fn authenticate(&self) -> Result<Authentication, ClientError> {
        let mut secrets = self.secrets();
        let result = self.token().await;
        if let Ok(auth) = &result {
            secrets.push(auth.token.clone());
        }
        let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
        result.map_err(|e| e.redacted(&secrets))
    }

    /// [`Client::authenticate`] without the redaction (the package's JS layer cleans errors
    /// itself, cause chains included).
    pub(crate) async fn token(&self) -> Result<Authentication, ClientError> {
        let result = self.current_token(&[], None, "authenticate").await;
        result.map_err(|e| self.hinted(e))
    }

    /// `e`, with what a 404 likely means when the base URL's path does not end in `/v2`.
    pub(crate) fn hinted(&self, mut e: ClientError) -> ClientError {
        if e.kind == ErrorKind::Http && e.status == Some(404) {
            if let Some(hint) = rules::missing_version_hint(&self.config.base) {
                e.message = format!("{}; {hint}", e.message);
            }
        }
        e
    }

    /// The token or the private key the client was made with.
    pub(crate) fn secrets(&self) -> Vec<String> {
        match &self.config.credentials {
            Credentials::Token(token) => vec![token.clone()],
            Credentials::Keys { private_key, .. } => vec![private_key.clone()],
        }
    }

    /// The 2xx answer to `GET /v2/session/{session_uuid}` and what the request was (`GET
    /// /v2/session/x`); the tokens it used are added to `secrets`. Not redacted.
    pub(crate) async fn session_bytes(
        &self,
        name: &str,
        session_uuid: &str,
        call: &CallOptions,
        secrets: &mut Vec<String>,
    ) -> Result<(Received, String), ClientError> {
        let result = self.session_answer(name, session_uuid, call, secrets).await;
        result.map_err(|e| self.hinted(e))
    }

    /// The URL of `GET /v2/session/{session_uuid}` and what the request is (`GET
    /// /v2/session/x`), the start of every message about it.
    pub(crate) fn session_target(
        &self,
        name: &str,
        session_uuid: &str,
    ) -> Result<(String, String), ClientError> {
        let url = rules::session_url(&self.config.base, session_uuid)
            .map_err(|why| ClientError::invalid(format!("{name}: {why}")))?;
        let what = what("GET", &url);
        Ok((url, what))
    }

    /// How the client's requests are sent, before a call's own options.
    pub(crate) fn sending(&self) -> &Sending {
        &self.config.sending
    }

    /// How a call's requests are sent: the client's way with the call's own timeout, retries
    /// and signal; and the call's own timeout, which also bounds its wait for a shared
    /// authentication (that goes on for the other callers, with the client's timeout).
    pub(crate) fn call_sending(&self, call: &CallOptions) -> (Sending, Option<f64>) {
        let mut sending = self.config.sending.clone();
        let wait = call.timeout_ms.map(f64::from);
        sending.timeout_ms = wait.unwrap_or(sending.timeout_ms);
        sending.retries = call.retries.unwrap_or(sending.retries);
        sending
            .signals
            .extend(call.signal.clone().map(JsValue::from));
        (sending, wait)
    }

    /// Whether a 401 to a request that sent `token` is answered by authenticating once more
    /// and sending it again (a client with keys; `token` forgotten here).
    pub(crate) fn renews_after(&self, e: &ClientError, token: &str) -> bool {
        let renews = e.kind == ErrorKind::Http && e.status == Some(401) && self.has_keys();
        if renews {
            self.forget(token);
        }
        renews
    }

    /// The token to send now, when there is one that needs no authentication first.
    pub(crate) fn token_in_hand(&self) -> Option<String> {
        match &self.config.credentials {
            Credentials::Token(token) => Some(token.clone()),
            Credentials::Keys { .. } => self.lasting().map(|auth| auth.token),
        }
    }

    /// The token in hand while it has more than `renew_before_ms` to live.
    fn lasting(&self) -> Option<Authentication> {
        let tokens = self.tokens.borrow();
        let current = tokens.current.as_ref()?;
        let lasts =
            js_sys::Date::now() < current.expires_at_ms as f64 - self.config.renew_before_ms;
        lasts.then(|| current.clone())
    }

    /// The token to send, authenticating first when the client has none that will last
    /// (one authentication, however many ask): see [`Client::authenticate`].
    pub(crate) async fn token_for(
        &self,
        signals: &[JsValue],
        wait_ms: Option<f64>,
        what: &str,
    ) -> Result<String, ClientError> {
        let auth = self.current_token(signals, wait_ms, what).await;
        auth.map(|auth| auth.token).map_err(|e| self.hinted(e))
    }

    async fn session_answer(
        &self,
        name: &str,
        session_uuid: &str,
        call: &CallOptions,
        secrets: &mut Vec<String>,
    ) -> Result<(Received, String), ClientError> {
        let (url, what) = self.session_target(name, session_uuid)?;
        let (sending, wait) = self.call_sending(call);
        let token = self.current_token(&sending.signals, wait, &what).await?;
        secrets.push(token.token.clone());
        let got = match get(&url, &what, &token.token, &sending).await {
            Err(e) if self.renews_after(&e, &token.token) => {
                // The gateway no longer takes the token: authenticate once more, repeat once.
                let renewed = self.current_token(&sending.signals, wait, &what).await?;
                secrets.push(renewed.token.clone());
                get(&url, &what, &renewed.token, &sending).await
            }
            other => other,
        }?;
        Ok((got, what))
    }

    fn has_keys(&self) -> bool {
        matches!(self.config.credentials, Credentials::Keys { .. })
    }

    fn forget(&self, token: &str) {
        let mut tokens = self.tokens.borrow_mut();
        if tokens.current.as_ref().is_some_and(|t| t.token == token) {
            tokens.current = None;
        }
    }

    /// The token to send: see [`Client::authenticate`]. Waiting for an authentication ends
    /// when one of `signals` fires, or after `wait_ms`.
    async fn current_token(
        &self,
        signals: &[JsValue],
        wait_ms: Option<f64>,
        what: &str,
    ) -> Result<Authentication, ClientError> {
        if let Credentials::Token(token) = &self.config.credentials {
            if what == "authenticate" {
                return Err(ClientError::invalid(
                    "authenticate: this client was made with a token, not with keys",
                ));
            }
            return Ok(Authentication {
                token: token.clone(),
                expiration_date: String::new(),
                merchant_uuid: None,
                expires_at_ms: i64::MAX,
            });
        }
        if let Some(current) = self.lasting() {
            return Ok(current);
        }
        let in_flight = self.tokens.borrow().pending.clone();
        let (pending, slot) = match in_flight {
            Some(pending) => pending,
            None => {
                let started = self.start_authentication();
                self.tokens.borrow_mut().pending = Some(started.clone());
                started
            }
        };
        match js::wait(&pending, wait_ms, signals).await {
            Ok(Ok(())) => {}
            Err((js::Stop::Timeout, _)) => {
                let ms = js::number_text(wait_ms.unwrap_or_default());
                return Err(ClientError::new(
                    ErrorKind::Timeout,
                    format!("{what}: no token within {ms} ms (the authentication goes on for the client)"),
                ));
            }
            Err((js::Stop::Aborted, reason)) | Ok(Err(reason)) => {
                return Err(ClientError::aborted(what, reason))
            }
        }
        let result = slot.borrow().clone();
        result.unwrap_or_else(|| {
            Err(ClientError::new(
                ErrorKind::Network,
                format!("{what}: the authentication ended without an answer"),
            ))
        })
    }

    /// The authentication every caller waits on; its promise always resolves, its result is
    /// in the slot.
    fn start_authentication(&self) -> InFlight {
        let slot = Rc::new(RefCell::new(None));
        let (config, tokens, out) = (self.config.clone(), self.tokens.clone(), slot.clone());
        let promise = js::promise(async move {
            // Nobody's signal: the authentication is shared, each caller stops waiting on its own.
            let result = authenticate(
                &config.base,
                &config.credentials,
                &Sending {
                    signals: Vec::new(),
                    ..config.sending.clone()
                },
            )
            .await;
            let mut tokens = tokens.borrow_mut();
            tokens.pending = None;
            if let Ok(auth) = &result {
                tokens.current = Some(auth.clone());
            }
            *out.borrow_mut() = Some(result);
            Ok(JsValue::UNDEFINED)
        });
        (promise, slot)
    }
}

async fn get(
    url: &str,
    what: &str,
    token: &str,
    sending: &Sending,
) -> Result<Received, ClientError> {
    transport::exchange(&Outgoing::session_get(url, what, Some(token)), sending).await
}

async fn authenticate(
    base: &str,
    credentials: &Credentials,
    sending: &Sending,
) -> Result<Authentication, ClientError> {
    let Credentials::Keys {
        public_key,
        private_key,
    } = credentials
    else {
        return Err(ClientError::invalid("authenticate: the client has no keys"));
    };
    let url = rules::authentication_url(base).map_err(ClientError::invalid)?;
    let what = what("POST", &url);
    #[derive(serde::Serialize)]
    struct Keys<'a> {
        public_key: &'a str,
        private_key: &'a str,
    }
    let body = serde_json::to_string(&Keys {
        public_key,
        private_key,
    })
    .map_err(|_| ClientError::invalid("authenticate: the keys cannot be written as JSON"))?;
    let out = Outgoing {
        post_body: Some(body),
        url: &url,
        what: &what,
        bearer: None,
        repeat: Repeat::NotSent,
    };
    let got = transport::exchange(&out, sending).await?;
    rules::parse_authentication(&got.body.to_vec()).map_err(|message| {
        // Not "invalid session": what is wrong is the authentication answer.
        let mut e = ClientError::new(ErrorKind::Validation, format!("{what}: {message}"));
        e.status = Some(got.status);
        e.issues = vec![crate::Issue::new(
            Vec::new(),
            crate::IssueCode::InvalidInput,
            message,
        )];
        e
    })
}
