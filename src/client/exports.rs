//! The client's exports to the package's JavaScript (`js/client.js` wraps them): `getSession`'s
//! `SessionGetter`, and with the `js-client` feature `authenticate` (a Promise, through
//! wasm-bindgen-futures) and `SezzleClient`'s `GatewayClient`. The `js-get` feature alone gives
//! the first only: the getSession module, which browsers load for an app that calls nothing
//! else of the client (no authentication, its futures or its answers in it).
//!
//! Options come in as the caller's object and are read here, key by key through
//! `Reflect.get`: a getter that throws or a Proxy is an `invalid_argument`, and an unknown key
//! is refused by name. Errors go out as plain objects built by serde-wasm-bindgen (`kind`,
//! `message` and the details of the kind), with the thrown value behind them as `cause` and
//! the secrets to clean it of (`js/redact.js` cleans the cause chain, which Rust cannot see
//! into). A session's body goes out as bytes, and the JS layer parses it with the same parser
//! as `parseSession`, which builds the JS object from the tape faster than a serializer could.

use super::error::{ClientError, ErrorKind};
use super::event::{ClientEvent, EventHook};
use super::js;
use super::rules::{self, ApiError, JS_NAMES};
use super::session::{CallOptions, Client, ClientOptions, Credentials};
use super::text::{quoted, shortened, QUOTED_CUT};
use super::transport::{self, Exchange, Next, Outgoing, Sending};
use super::MAX_BODY_BYTES;
use crate::Issue;
use js_sys::{Array, Function, Object, Promise, Reflect};
use serde::Serialize;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// The options of every request, in the order messages list them.
const REQUEST: [&str; 9] = [
    "environment",
    "region",
    "baseUrl",
    "timeoutMs",
    "retries",
    "signal",
    "fetch",
    "headers",
    "onEvent",
];

/// The credentials an options object gives, as its keys give them (`token`, or `publicKey`
/// and `privateKey`): each export makes its [`Credentials`] of them.
#[derive(Default)]
struct Secrets {
    token: Option<String>,
    public_key: Option<String>,
    private_key: Option<String>,
}

struct Reader<'a> {
    name: &'a str,
    /// The options' own enumerable properties, as `Object.entries` gives them (0.1.0 read
    /// its options so: an inherited property is not an option).
    entries: Vec<(String, JsValue)>,
}

impl Reader<'_> {
    fn invalid(&self, message: impl std::fmt::Display) -> ClientError {
        ClientError::invalid(format!("{}: {message}", self.name))
    }

    /// `options[key]`, `None` when absent or undefined.
    fn get(&self, key: &'static str) -> Result<Option<JsValue>, ClientError> {
        Ok(self
            .entries
            .iter()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value.clone())
            .filter(|value| !value.is_undefined()))
    }

    fn string(&self, key: &'static str) -> Result<Option<String>, ClientError> {
        match self.get(key)? {
            None => Ok(None),
            Some(value) => match value.as_string() {
                Some(text) => Ok(Some(text)),
                None => Err(self.invalid(format!(
                    "options.{key} must be a string, got {}",
                    js::describe(&value)
                ))),
            },
        }
    }

    /// A timer option in whole milliseconds, checked as a Rust caller's is.
    fn milliseconds(
        &self,
        key: &'static str,
        name: &str,
        least: u32,
    ) -> Result<Option<u32>, ClientError> {
        let Some(value) = self.get(key)? else {
            return Ok(None);
        };
        rules::check_timer(name, value.as_f64(), least, &shown(&value))
            .map(Some)
            .map_err(|why| self.invalid(why))
    }

    fn retries(&self) -> Result<Option<u32>, ClientError> {
        let Some(value) = self.get("retries")? else {
            return Ok(None);
        };
        rules::check_retries(JS_NAMES.retries, value.as_f64(), &shown(&value))
            .map(Some)
            .map_err(|why| self.invalid(why))
    }

    /// An AbortSignal, or an object that acts as one (a polyfill's, another realm's): typed
    /// as one, and only ever handed back to attempt.js, which reads it without trusting it.
    fn signal(&self) -> Result<Option<web_sys::AbortSignal>, ClientError> {
        let Some(signal) = self.get("signal")? else {
            return Ok(None);
        };
        let is_function = |key: &'static str| js::get(&signal, key).is_ok_and(|f| f.is_function());
        let aborted = js::get(&signal, "aborted").ok().and_then(|a| a.as_bool());
        if aborted.is_none()
            || !is_function("addEventListener")
            || !is_function("removeEventListener")
        {
            return Err(self.invalid("options.signal must be an AbortSignal"));
        }
        Ok(Some(signal.unchecked_into()))
    }

    fn function(&self, key: &'static str) -> Result<Option<Function>, ClientError> {
        match self.get(key)? {
            None => Ok(None),
            Some(value) => match value.dyn_into::<Function>() {
                Ok(f) => Ok(Some(f)),
                Err(value) => Err(self.invalid(format!(
                    "options.{key} must be a function, got {}",
                    js::describe(&value)
                ))),
            },
        }
    }

    fn headers(&self) -> Result<Vec<(String, String)>, ClientError> {
        let Some(headers) = self.get("headers")? else {
            return Ok(Vec::new());
        };
        let not_headers = || {
            self.invalid("options.headers must be a plain object of header names and string values")
        };
        // A plain object: a Headers or a Map has no own keys, and would be read as empty.
        let prototype = Reflect::get_prototype_of(&headers).map(JsValue::from);
        let object_prototype = Reflect::get_prototype_of(&Object::new()).map(JsValue::from);
        let plain = match (prototype, object_prototype) {
            (Ok(p), Ok(o)) => p.is_null() || Object::is(&p, &o),
            _ => false,
        };
        if !headers.is_object() || !plain {
            return Err(not_headers());
        }
        let keys = Reflect::own_keys(&headers).map_err(|_| not_headers())?;
        let mut pairs = Vec::new();
        for key in keys.iter() {
            let (Some(name), Ok(value)) = (key.as_string(), Reflect::get(&headers, &key)) else {
                return Err(not_headers());
            };
            let Some(value) = value.as_string() else {
                return Err(not_headers());
            };
            pairs.push((name, value));
        }
        Ok(pairs)
    }

    /// Every option in `allowed`, after refusing any other key.
    fn read<'a>(
        name: &'a str,
        options: &JsValue,
        allowed: &[&str],
    ) -> Result<Reader<'a>, ClientError> {
        let mut reader = Reader {
            name,
            entries: Vec::new(),
        };
        if options.is_undefined() || options.is_null() {
            return Ok(reader);
        }
        if !options.is_object() || js::is_array(options) {
            return Err(reader.invalid(format!(
                "options must be an object, got {}",
                js::describe(options)
            )));
        }
        let keys = own_enumerable_keys(options)
            .map_err(|_| reader.invalid("options could not be read (a Proxy trap threw)"))?;
        for key in &keys {
            if !allowed.contains(&key.as_str()) {
                let shown = quoted(&shortened(key, QUOTED_CUT));
                return Err(reader.invalid(format!(
                    "unknown option {shown}; the options are {}",
                    allowed.join(", ")
                )));
            }
        }
        for key in keys {
            let Ok(value) = Reflect::get(options, &JsValue::from_str(&key)) else {
                return Err(reader.invalid(format!(
                    "options.{key} could not be read (a getter or Proxy trap threw)"
                )));
            };
            reader.entries.push((key, value));
        }
        Ok(reader)
    }

    /// The client's options and the credentials given, as a Rust caller gives them
    /// ([`ClientOptions`]); `Client::checked` checks them. The options `read` did not allow
    /// are absent. (Its credentials are a stand-in until the export makes them.)
    fn client_options(&self) -> Result<(ClientOptions, Secrets), ClientError> {
        let mut o = ClientOptions::with_token(String::new());
        let (environment, region) = (self.string("environment")?, self.string("region")?);
        o.base_url = self.string("baseUrl")?;
        // (With a baseUrl they choose nothing, and are not read, as before 0.2.0.)
        if o.base_url.is_none() {
            if let Some(text) = environment {
                o.environment = text.parse().map_err(|e: crate::ParseError| {
                    self.invalid(format!("environment {}", e.reason()))
                })?;
            }
            if let Some(text) = region {
                o.region = text.parse().map_err(|e: crate::ParseError| {
                    self.invalid(format!("region {}", e.reason()))
                })?;
            }
        }
        let secrets = Secrets {
            token: self.string("token")?,
            public_key: self.string("publicKey")?,
            private_key: self.string("privateKey")?,
        };
        let timer = |key, name, least| self.milliseconds(key, name, least);
        o.timeout_ms = timer("timeoutMs", JS_NAMES.timeout_ms, 1)?.unwrap_or(o.timeout_ms);
        o.renew_before_ms =
            timer("renewBeforeMs", JS_NAMES.renew_before_ms, 0)?.unwrap_or(o.renew_before_ms);
        o.retries = self.retries()?.unwrap_or(o.retries);
        o.signal = self.signal()?;
        o.fetch = self.function("fetch")?;
        o.on_event = self.function("onEvent")?.map(event_hook);
        o.headers = self.headers()?;
        Ok((o, secrets))
    }

    /// A call's own options, as a Rust caller gives them ([`CallOptions`]).
    fn call_options(&self) -> Result<CallOptions, ClientError> {
        let mut call = CallOptions::new();
        call.signal = self.signal()?;
        call.timeout_ms = self.milliseconds("timeoutMs", JS_NAMES.timeout_ms, 1)?;
        call.retries = self.retries()?;
        Ok(call)
    }
}

/// `Object.keys(value)`, through calls that catch.
fn own_enumerable_keys(value: &JsValue) -> Result<Vec<String>, JsValue> {
    let mut keys = Vec::new();
    for key in Reflect::own_keys(value)?.iter() {
        let Some(name) = key.as_string() else {
            continue; // a symbol
        };
        let descriptor =
            Reflect::get_own_property_descriptor(value.unchecked_ref::<Object>(), &key)?;
        if js::get(&descriptor, "enumerable")
            .ok()
            .and_then(|e| e.as_bool())
            == Some(true)
        {
            keys.push(name);
        }
    }
    Ok(keys)
}

/// `String(value)` for a message, short, without trusting the value.
fn shown(value: &JsValue) -> String {
    let text = if let Some(n) = value.as_f64() {
        js::number_text(n)
    } else if let Some(text) = value.as_string() {
        text
    } else {
        js::describe(value)
    };
    shortened(&text, QUOTED_CUT)
}

/// The client `options` make with `credentials`, checked by the one checker of options.
fn client_of(
    name: &str,
    mut options: ClientOptions,
    credentials: Credentials,
) -> Result<Client, ClientError> {
    options.credentials = credentials;
    Client::checked(options, name, &JS_NAMES)
}

/// The caller's `onEvent`, called with each event as a plain object. What it throws, or a
/// promise it returns rejects with, is ignored: a hook cannot break a request.
fn event_hook(f: Function) -> EventHook {
    Rc::new(move |event: &ClientEvent| {
        let Ok(value) = serde_wasm_bindgen::to_value(event) else {
            return;
        };
        if let Ok(returned) = f.call1(&JsValue::UNDEFINED, &value) {
            if returned.is_object() || returned.is_function() {
                js::ignore_rejection(&returned);
            }
        }
    })
}

/// A session uuid that may go into the request's path.
fn uuid_of(name: &str, session_uuid: &JsValue) -> Result<String, ClientError> {
    let uuid = session_uuid.as_string().ok_or_else(|| {
        ClientError::invalid(format!(
            "{name}: sessionUuid must be a string, got {}",
            js::describe(session_uuid)
        ))
    })?;
    rules::check_session_uuid(&uuid)
        .map_err(|why| ClientError::invalid(format!("{name}: {why}")))?;
    Ok(uuid)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ErrorOut<'a> {
    kind: &'static str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    attempts: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    api_errors: Option<&'a [ApiError]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    debug_uuid: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    retry_after_ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issues: Option<&'a [Issue]>,
}

/// A plain object for `new SezzleError(kind, message, details)`: the details the kind has,
/// `cause` when there is one, and `secrets`, what the JS layer cleans the cause of.
fn error_out(e: &ClientError, secrets: &[String]) -> JsValue {
    let counted = matches!(
        e.kind,
        ErrorKind::Http | ErrorKind::Network | ErrorKind::Timeout
    );
    let out = ErrorOut {
        kind: e.kind.as_str(),
        message: &e.message,
        status: e.status,
        attempts: (counted && e.attempts > 0).then_some(e.attempts),
        api_errors: (!e.api_errors.is_empty()).then_some(&e.api_errors[..]),
        debug_uuid: e.debug_uuid.as_deref(),
        retry_after_ms: e.retry_after_ms,
        issues: (!e.issues.is_empty()).then_some(&e.issues[..]),
    };
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_missing_as_null(true);
    // The details always serialise (numbers are held to 2^53 - 1); were one not to, the
    // error still goes out with its kind and message.
    let value = out.serialize(&serializer).unwrap_or_else(|_| {
        let plain = Object::new();
        let _ = Reflect::set(&plain, &js::key("kind"), &e.kind.as_str().into());
        let _ = Reflect::set(&plain, &js::key("message"), &e.message.as_str().into());
        plain.into()
    });
    if let Some(cause) = &e.cause {
        let _ = Reflect::set(&value, &js::key("cause"), cause);
    }
    let list: Array = secrets.iter().map(|s| JsValue::from_str(s)).collect();
    let _ = Reflect::set(&value, &js::key("secrets"), &list);
    value
}

fn rejected(e: ClientError, secrets: &[String]) -> Promise {
    Promise::reject(&error_out(&e, secrets))
}

/// `step` over the exchange of session request `out` sent `sending`'s way; its error with
/// the client's hint (`SessionGetter` and `SessionCall` both).
fn session_step<T>(
    client: &Client,
    out: &Outgoing,
    sending: &Sending,
    step: impl FnOnce(&Exchange) -> Result<T, ClientError>,
) -> Result<T, ClientError> {
    step(&Exchange { out, sending }).map_err(|e| client.hinted(e))
}

/// What js/client.js's loop is told of a step: undefined for the session's answer, the
/// milliseconds to wait before the next attempt, or the error.
fn pause_of(next: Next) -> Result<Option<f64>, ClientError> {
    match next {
        Next::Done(Ok(_)) => Ok(None),
        Next::Done(Err(e)) => Err(e),
        Next::Retry(wait) => Ok(Some(wait as f64)),
    }
}

/// `getSession`'s options, read and checked once for every call that gives the same ones
/// (js/client.js keeps the last): a call then checks only its session uuid. Reading the
/// options and making the client cost a call ~10 µs, as much as the rest of its work in the
/// module (`make bench`, getSession on loopback).
///
/// Its calls are stepped from js/client.js, an attempt at a time, through
/// [`transport::Exchange`], the steps of the Rust client's own loop: `start` says where to send
/// attempt n, attempt.js sends it, `after` says what its answer means (the session's body, a
/// wait and another attempt, or the error). Awaited here instead, each call cost a future,
/// its closures and promises through wasm-bindgen-futures, and its session twice the time of
/// a plain `fetch` (`make bench`).
#[wasm_bindgen]
pub struct SessionGetter {
    client: Client,
    token: Option<String>,
    /// The last session's request, for the next step of its call (and the next call of it).
    last: RefCell<Option<Rc<Target>>>,
    /// How its requests are sent, made with the first.
    plan: RefCell<Option<Plan>>,
}

/// The caller's fetch (none for the global one), the `init` of every request (the one
/// gloo-net built), and the request URL up to the session uuid (none with a hook).
struct Plan {
    fetch: Option<js_sys::Function>,
    init: JsValue,
    prefix: Option<String>,
}

/// A session's request, as its steps need it.
struct Target {
    /// The session uuid, as the caller gave it (a JS string: one is compared with it without
    /// copying it into the module).
    uuid: JsValue,
    url: String,
    /// `GET /v2/session/x`, the start of every message about it.
    what: String,
}

/// The `SessionGetter` of `getSession(_, options)`; throws the error of a bad option.
#[wasm_bindgen]
pub fn session_getter(options: JsValue) -> Result<SessionGetter, JsValue> {
    const NAME: &str = "getSession";
    let allowed: Vec<&str> = REQUEST.iter().copied().chain(["token"]).collect();
    let (o, given) = Reader::read(NAME, &options, &allowed)
        .and_then(|reader| reader.client_options())
        .map_err(|e| error_out(&e, &[]))?;
    let token = given.token;
    // Without a token the options are still checked, with a stand-in that is never sent:
    // each call is refused first (`start`).
    let credentials = Credentials::Token(token.clone().unwrap_or_else(|| "absent".into()));
    let secrets: Vec<String> = token.iter().cloned().collect();
    match client_of(NAME, o, credentials) {
        Ok(client) => Ok(SessionGetter {
            client,
            token,
            last: RefCell::default(),
            plan: RefCell::default(),
        }),
        Err(e) => Err(error_out(&e, &secrets)),
    }
}

impl SessionGetter {
    const NAME: &'static str = "getSession";

    /// The request of session `session_uuid`, and the token it sends.
    fn target(&self, session_uuid: &JsValue) -> Result<(Rc<Target>, &str), ClientError> {
        let last = self.last.borrow().clone();
        let target = match last {
            Some(target) if target.uuid == *session_uuid => target,
            _ => {
                let uuid = uuid_of(Self::NAME, session_uuid)?;
                let (url, what) = self.client.session_target(Self::NAME, &uuid)?;
                let target = Rc::new(Target {
                    uuid: session_uuid.clone(),
                    url,
                    what,
                });
                *self.last.borrow_mut() = Some(target.clone());
                target
            }
        };
        let token = self.token.as_deref().ok_or_else(|| {
            ClientError::invalid(
                "getSession: options.token is required (or use a SezzleClient with publicKey and privateKey)",
            )
        })?;
        Ok((target, token))
    }

    /// `step` over the exchange of the session request, or the error out.
    fn stepped<T>(
        &self,
        session_uuid: &JsValue,
        step: impl FnOnce(&Exchange) -> Result<T, ClientError>,
    ) -> Result<T, JsValue> {
        let (target, token) = self
            .target(session_uuid)
            .map_err(|e| error_out(&e, &self.secrets()))?;
        let out = Outgoing::session_get(&target.url, &target.what, Some(token));
        session_step(&self.client, &out, self.client.sending(), step)
            .map_err(|e| error_out(&e, &self.secrets()))
    }
}

#[wasm_bindgen]
impl SessionGetter {
    /// Attempt `retry + 1` of `getSession(sessionUuid)`: the URL it goes to (`plan` says how
    /// it is sent); the hook is told of it. Throws the error of a bad uuid, a missing token or
    /// no fetch.
    pub fn start(&self, session_uuid: JsValue, retry: u32) -> Result<JsValue, JsValue> {
        self.stepped(&session_uuid, |exchange| {
            let prepared = transport::prepare(exchange.out, exchange.sending)?;
            exchange.before(retry);
            self.plan.borrow_mut().get_or_insert_with(|| {
                // The URL up to the uuid, as the request has it (normalised): where any other
                // uuid that passes goes. None with a hook, which hears of every attempt here.
                let uuid = exchange.out.url.rsplit('/').next().unwrap_or_default();
                let prefix = (prepared.url.as_string())
                    .filter(|_| exchange.sending.on_event.is_none())
                    .and_then(|url| Some(url.strip_suffix(uuid)?.to_owned()))
                    .filter(|prefix| prefix.ends_with('/'));
                Plan {
                    fetch: exchange.sending.fetch.clone(),
                    init: prepared.init.clone(),
                    prefix,
                }
            });
            Ok(prepared.url)
        })
    }

    /// How every request of these options is sent, once `start` has been called: `[the
    /// caller's fetch (undefined for the global one), init, timeout ms, the body's cap in
    /// bytes, the URL's prefix]`, what attempt.js takes. With the prefix (undefined when the
    /// options have a hook), js/client.js sends a uuid that passes `SESSION_UUID`
    /// (js/client.generated.js, this crate's rule for one) to the prefix and the uuid
    /// without calling `start`: a crossing fewer per call.
    pub fn plan(&self) -> Vec<JsValue> {
        let plan = self.plan.borrow();
        let Some(plan) = plan.as_ref() else {
            return Vec::new();
        };
        vec![
            plan.fetch.clone().map_or(JsValue::UNDEFINED, Into::into),
            plan.init.clone(),
            self.client.sending().timeout_ms.into(),
            (MAX_BODY_BYTES as f64).into(),
            plan.prefix
                .as_deref()
                .map_or(JsValue::UNDEFINED, JsValue::from_str),
        ]
    }

    /// What attempt `retry + 1`, started at `started` (`Date.now()`), leads to, `got` what
    /// attempt.js resolved and `kind`, `status`, `body_kind` the numbers it holds at 0, 1 and
    /// 5 (NaN where it holds none): undefined when it is the session's answer (its status
    /// `got[1]`, its body `got[6]`), the milliseconds to wait before the next attempt, or the
    /// error thrown.
    // (Each number given apart is one read the module does not make through a crossing.)
    #[allow(clippy::too_many_arguments)]
    pub fn after(
        &self,
        session_uuid: JsValue,
        retry: u32,
        started: f64,
        got: JsValue,
        kind: f64,
        status: f64,
        body_kind: f64,
    ) -> Result<Option<f64>, JsValue> {
        let got = transport::got_from(kind, status, body_kind, &got);
        self.stepped(&session_uuid, |exchange| {
            pause_of(exchange.after(got, retry, started))
        })
    }

    /// The error of a wait between attempts that a signal ended with `reason`.
    pub fn aborted(&self, session_uuid: JsValue, reason: JsValue) -> JsValue {
        let stepped = self.stepped(&session_uuid, |exchange| {
            Err::<(), _>(exchange.aborted(reason))
        });
        stepped.err().unwrap_or_default()
    }

    /// What the request of `sessionUuid` is, `GET /v2/session/x`: a validation error's
    /// message starts with it.
    pub fn what(&self, session_uuid: JsValue) -> String {
        self.target(&session_uuid)
            .map(|(target, _)| target.what.clone())
            .unwrap_or_default()
    }

    /// What a session's error is cleaned of: the token.
    pub fn secrets(&self) -> Vec<String> {
        self.token.iter().cloned().collect()
    }
}

/// `authenticate` and `SezzleClient` (`GatewayClient`, `SessionCall`): the client module's
/// exports beyond getSession's, which the getSession module (`js-get` alone) leaves out.
#[cfg(feature = "js-client")]
mod keyed;
