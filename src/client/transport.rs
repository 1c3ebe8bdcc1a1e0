//! One request and its answer: the request built by gloo-net, sent through the global `fetch`
//! or the caller's, raced against its timeout and the caller's signal, its body read with the
//! 1 MiB cap; and the retries around it. What each answer means is asked of `rules`.

use super::error::{shortened, ClientError, ErrorKind};
use super::event::{ClientEvent, EventHook};
use super::js::{self, Raced, Stop, Stopper};
use super::rules;
use super::MAX_BODY_BYTES;
use crate::{Issue, IssueCode, ValidationError};
use gloo_net::http::Request;
use js_sys::{Function, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{RequestCache, RequestCredentials, RequestRedirect};

/// How every request of a call is sent.
#[derive(Clone)]
pub(crate) struct Sending {
    /// The caller's `fetch`; the global one when `None`.
    pub fetch: Option<Function>,
    /// Milliseconds per attempt.
    pub timeout_ms: f64,
    pub retries: u32,
    /// The caller's signals (a client's, and a call's own): any of them ends the call.
    pub signals: Vec<JsValue>,
    /// Checked header names and values of the caller's own (`User-Agent`, …).
    pub headers: Vec<(String, String)>,
    /// Told of each request, response and retry.
    pub on_event: Option<EventHook>,
}

/// What may be repeated after which failure.
#[derive(Clone, Copy)]
pub(crate) enum Repeat {
    /// A `GET`: network failures, timeouts and 429/5xx statuses.
    Safe,
    /// A `POST` the gateway may have acted on: only a failure that surely never left this
    /// machine (a refused connection, an unknown host).
    NotSent,
}

/// One request: method, URL and what it carries.
pub(crate) struct Outgoing<'a> {
    pub post_body: Option<String>,
    pub url: &'a str,
    /// `GET /v2/session/x`, the start of every message about it.
    pub what: &'a str,
    pub bearer: Option<&'a str>,
    pub repeat: Repeat,
}

impl Outgoing<'_> {
    /// `POST` when there is a body to send, else `GET`.
    fn method(&self) -> &'static str {
        if self.post_body.is_some() {
            "POST"
        } else {
            "GET"
        }
    }
}

/// A 2xx answer's status and body. The body stays a JS array: the package's JS layer
/// parses it as it is, without a copy into Rust and back.
pub(crate) struct Received {
    pub status: u16,
    pub body: Uint8Array,
    pub attempts: u32,
}

struct Head {
    status: u16,
    content_type: Option<String>,
    content_length: Option<String>,
    retry_after: Option<String>,
}

enum Body {
    Bytes(Uint8Array),
    TooLarge(String),
    Failed(String),
    Unreadable(String),
}

enum Got {
    Answer(Head, Body),
    Redirect { status: u16, host: Option<String> },
    Unreadable(String),
    Network(JsValue),
    TimedOut,
    Aborted(JsValue),
}

fn stopped(stopper: &Stopper, stop: Stop) -> Got {
    match stop {
        Stop::Timeout => Got::TimedOut,
        Stop::Aborted => Got::Aborted(stopper.reason()),
    }
}

// Connection failures where the request surely never reached the gateway (Node's codes).
const NOT_SENT: [&str; 5] = [
    "ECONNREFUSED",
    "ENOTFOUND",
    "EAI_AGAIN",
    "ENETUNREACH",
    "EHOSTUNREACH",
];

/// The request, built by gloo-net, for one attempt (a body is read once, a signal is the
/// attempt's own).
fn build(
    out: &Outgoing,
    sending: &Sending,
    signal: &web_sys::AbortSignal,
) -> Result<web_sys::Request, ClientError> {
    // Checked where each value came in (options, the authentication answer); checked again
    // here, because gloo-net's `Headers::set` throws through the module on a value fetch
    // refuses.
    let token_ok = out.bearer.is_none_or(rules::is_credential);
    let headers_ok = sending
        .headers
        .iter()
        .all(|(_, v)| rules::is_header_value(v));
    if !token_ok || !headers_ok {
        return Err(ClientError::invalid(format!(
            "{}: a header value is not printable ASCII",
            out.what
        )));
    }
    let mut builder = match out.post_body {
        Some(_) => Request::post(out.url),
        None => Request::get(out.url),
    }
    .header("accept", "application/json")
    // Redirects are never followed (rules::redirect_failure says why). "manual" rather than
    // "error": Node answers the 3xx itself, whose status and Location go into the error.
    .redirect(RequestRedirect::Manual)
    .credentials(RequestCredentials::Omit)
    .cache(RequestCache::NoStore)
    .abort_signal(Some(signal));
    for (name, value) in &sending.headers {
        builder = builder.header(name, value);
    }
    if let Some(token) = out.bearer {
        builder = builder.header("authorization", &format!("Bearer {token}"));
    }
    let built = match &out.post_body {
        Some(body) => builder
            .header("content-type", "application/json")
            .body(body.as_str()),
        None => builder.build(),
    };
    built.map(Into::into).map_err(|error| {
        ClientError::new(
            ErrorKind::Network,
            format!("{}: the request could not be built: {error}", out.what),
        )
    })
}

/// `{ method, headers, body, signal, redirect, credentials, cache }` of `request`.
fn init_of(request: &web_sys::Request, out: &Outgoing) -> JsValue {
    let init = js_sys::Object::new();
    let headers = js_sys::Object::new();
    for (name, value) in gloo_net::http::Headers::from_raw(request.headers()).entries() {
        let _ = js_sys::Reflect::set(&headers, &name.into(), &value.into());
    }
    let body = out
        .post_body
        .as_deref()
        .map_or(JsValue::UNDEFINED, JsValue::from_str);
    let fields: [(&str, JsValue); 7] = [
        ("method", request.method().into()),
        ("headers", headers.into()),
        ("body", body),
        ("signal", request.signal().into()),
        ("redirect", "manual".into()),
        ("credentials", "omit".into()),
        ("cache", "no-store".into()),
    ];
    for (key, value) in fields {
        let _ = js_sys::Reflect::set(&init, &js::key(key), &value);
    }
    init.into()
}

pub(crate) fn global_fetch() -> Result<Function, ClientError> {
    js::get(&js_sys::global(), "fetch")
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .ok_or_else(|| ClientError::invalid("there is no global fetch here; pass a fetch function"))
}

/// One attempt: the answer with its body, or why there was none. Never an `Err` but for a
/// request that cannot be built.
async fn attempt(out: &Outgoing<'_>, sending: &Sending) -> Result<Got, ClientError> {
    let stopper = Stopper::new(Some(sending.timeout_ms), &sending.signals).map_err(|e| {
        ClientError::new(
            ErrorKind::Network,
            format!(
                "{}: no AbortController here: {}",
                out.what,
                js::cause_text(&e)
            ),
        )
    })?;
    if let Some(stop) = stopper.fired() {
        return Ok(stopped(&stopper, stop));
    }
    let request = build(out, sending, &stopper.signal())?;
    // fetch(url, init), init taken from the request gloo-net built: the caller's fetch is
    // called as 0.1.0 called it (init.headers a plain object), and Node's fetch given a
    // Request copies it into a new one, with a new AbortSignal that follows the first.
    let fetch = match &sending.fetch {
        Some(fetch) => fetch.clone(),
        None => global_fetch()?,
    };
    let sent = js::settle(&fetch, &[&request.url().into(), &init_of(&request, out)]);
    let response = match stopper.race(&sent).await {
        Ok(Raced::Value(response)) => response,
        Ok(Raced::Stopped(stop)) => return Ok(stopped(&stopper, stop)),
        Err(cause) => return Ok(Got::Network(cause)),
    };
    let head = match read_head(&response, out.url) {
        Ok(head) => head,
        Err(got) => return Ok(got),
    };
    let mut body = read_body(&response, &head, &stopper).await;
    if let Some(stop) = stopper.fired() {
        return Ok(stopped(&stopper, stop));
    }
    if let Body::Unreadable(why) = &body {
        if head.status < 300 {
            return Ok(Got::Unreadable(why.clone()));
        }
        // A failure's status says enough without its body.
        body = Body::Bytes(Uint8Array::new_with_length(0));
    }
    Ok(Got::Answer(head, body))
}

/// The status and headers of what fetch resolved to, read once; a redirect, or why it is
/// not a response, as `Err`.
fn read_head(response: &JsValue, url: &str) -> Result<Head, Got> {
    if !response.is_object() {
        return Err(Got::Unreadable(format!(
            "it resolved to {}, not a Response",
            js::describe(response)
        )));
    }
    let unreadable =
        |cause: JsValue| Got::Unreadable(format!("reading it threw ({})", js::cause_text(&cause)));
    let kind = js::get(response, "type").map_err(unreadable)?.as_string();
    // A browser's answer to `redirect: "manual"`: status 0, no headers, no body.
    if kind.as_deref() == Some("opaqueredirect") {
        return Err(Got::Redirect {
            status: 0,
            host: None,
        });
    }
    // A fetch that followed a redirect although told not to: where it ended is not the gateway.
    if js::get(response, "redirected")
        .map_err(unreadable)?
        .as_bool()
        == Some(true)
    {
        let host = js::get_string(response, "url").and_then(|to| host_of(&to, url));
        cancel(response);
        return Err(Got::Redirect { status: 0, host });
    }
    if kind.as_deref() == Some("error") {
        return Err(Got::Network(JsValue::from_str(
            "the fetch answered a network error (Response.error())",
        )));
    }
    let status = js::get(response, "status").map_err(unreadable)?;
    let status = match status.as_f64() {
        Some(s) if s.fract() == 0.0 && (200.0..=599.0).contains(&s) => s as u16,
        // Only a number is quoted: a string could be anything, a secret included.
        _ => {
            let shown = match status.as_f64() {
                Some(n) => js::number_text(n),
                None => format!("a {}, not a number", js::describe(&status)),
            };
            return Err(Got::Unreadable(format!("its status is {shown}")));
        }
    };
    let headers = js::get(response, "headers").map_err(unreadable)?;
    let header = |name: &'static str| -> Result<Option<String>, Got> {
        let value = js::call_method(&headers, "get", &[&js::key(name)]).map_err(unreadable)?;
        Ok(value.as_string())
    };
    let head = Head {
        status,
        content_type: header("content-type")?,
        content_length: header("content-length")?,
        retry_after: header("retry-after")?,
    };
    if (300..400).contains(&status) {
        let host = header("location")?.and_then(|to| host_of(&to, url));
        cancel(response);
        return Err(Got::Redirect { status, host });
    }
    Ok(head)
}

/// The host a redirect points at, resolved against the request's URL as fetch would.
fn host_of(location: &str, base: &str) -> Option<String> {
    let url = web_sys::Url::new_with_base(location, base).ok()?;
    Some(url.host()).filter(|h| !h.is_empty())
}

/// Cancels a body that will not be read; whatever the cancel does is ignored.
fn cancel(response: &JsValue) {
    if let Ok(body) = js::get(response, "body") {
        if body.is_object() {
            js::discard(&body, "cancel");
        }
    }
}

/// Reads a body of at most `MAX_BODY_BYTES`; a larger one is cancelled as soon as it is seen.
/// Always chunk by chunk when there is a stream: a content-length counts the bytes on the
/// wire, and fetch decompresses (a 200 KB gzip body can be 200 MB).
async fn read_body(response: &JsValue, head: &Head, stopper: &Stopper) -> Body {
    let length = head
        .content_length
        .as_deref()
        .filter(|l| (1..=15).contains(&l.len()) && l.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|l| l.parse::<u64>().ok());
    if length.is_some_and(|l| l > MAX_BODY_BYTES as u64) {
        cancel(response);
        return Body::TooLarge(length.unwrap_or_default().to_string());
    }
    let body = match js::get(response, "body") {
        Ok(body) => body,
        Err(cause) => return Body::Failed(js::cause_text(&cause)),
    };
    // A null body is an empty one (a 204, or a Response made without one).
    if body.is_null() {
        return Body::Bytes(Uint8Array::new_with_length(0));
    }
    let reader = match js::call_method(&body, "getReader", &[]) {
        Ok(reader) if reader.is_object() => reader,
        _ => return read_whole(response, length, stopper).await,
    };
    // Chunk by chunk in JS (src/client/read_body.js says why), raced against the attempt's end.
    let read = match js::read_body(&reader, MAX_BODY_BYTES as f64, &stopper.signal()) {
        Ok(read) => read,
        Err(cause) => {
            js::discard(&reader, "cancel");
            return Body::Failed(js::cause_text(&cause));
        }
    };
    let answer = match stopper.race(&read).await {
        Ok(Raced::Value(answer)) => answer,
        Ok(Raced::Stopped(_)) | Err(_) => {
            js::discard(&reader, "cancel");
            return Body::Failed("the attempt ended".into());
        }
    };
    let what = js_sys::Reflect::get_u32(&answer, 0).unwrap_or_default();
    let value = js_sys::Reflect::get_u32(&answer, 1).unwrap_or_default();
    match what.as_f64() {
        Some(js::BODY_BYTES) => match value.dyn_into::<Uint8Array>() {
            Ok(bytes) => Body::Bytes(bytes),
            Err(_) => Body::Failed("the body could not be read".into()),
        },
        Some(js::BODY_TOO_LARGE) => Body::TooLarge(format!("over {MAX_BODY_BYTES}")),
        Some(js::BODY_THREW) => Body::Failed(js::cause_text(&value)),
        _ => Body::Failed(value.as_string().unwrap_or_default()),
    }
}

/// A body read at once by `arrayBuffer()`: a Response-like's without a body stream (an
/// injected fetch, a polyfill). Only when content-length promises at most `MAX_BODY_BYTES`,
/// and what it gives is held to that again.
async fn read_whole(response: &JsValue, length: Option<u64>, stopper: &Stopper) -> Body {
    if length.is_none() {
        return Body::Unreadable(
            "it has no body stream, and no content-length of at most 1 MiB to read it whole by"
                .into(),
        );
    }
    match stopper
        .race(&js::settle_method(response, "arrayBuffer"))
        .await
    {
        Ok(Raced::Value(buffer)) => match js::buffer_view(&buffer) {
            Some(bytes) if bytes.length() as usize > MAX_BODY_BYTES => {
                Body::TooLarge(bytes.length().to_string())
            }
            Some(bytes) => Body::Bytes(bytes),
            None => Body::Unreadable(format!("its arrayBuffer() gave {}", js::describe(&buffer))),
        },
        Ok(Raced::Stopped(_)) => Body::Failed("the attempt ended".into()),
        Err(cause) => Body::Failed(js::cause_text(&cause)),
    }
}

fn http_error(failure: rules::HttpFailure, attempts: u32) -> ClientError {
    let mut e = ClientError::new(ErrorKind::Http, failure.message).with_attempts(attempts);
    e.status = Some(failure.status);
    e.api_errors = failure.api_errors.unwrap_or_default();
    e.debug_uuid = failure.debug_uuid;
    e.retry_after_ms = failure.retry_after_ms;
    e
}

/// Attempts until a 2xx answer, or an error of kind http, network, timeout or aborted.
pub(crate) async fn exchange(
    out: &Outgoing<'_>,
    sending: &Sending,
) -> Result<Received, ClientError> {
    let what = out.what;
    let method = out.method();
    // `what` is the method and the path.
    let path = what.split_once(' ').map_or(what, |(_, path)| path);
    // Events are made only for a hook.
    let tell = |event: &dyn Fn() -> ClientEvent| {
        if let Some(hook) = &sending.on_event {
            hook(&event());
        }
    };
    let mut retry = 0;
    loop {
        let attempts = retry + 1;
        let left = retry < sending.retries;
        tell(&|| ClientEvent::Request {
            method,
            path: path.to_owned(),
            attempt: attempts,
        });
        // The clock is read only for a hook.
        let started = sending
            .on_event
            .as_ref()
            .map_or(0.0, |_| js_sys::Date::now());
        let got = attempt(out, sending).await?;
        let (status, outcome) = match &got {
            Got::Answer(head, _) => (head.status, "answer"),
            Got::Redirect { status, .. } => (*status, "redirect"),
            Got::Unreadable(_) => (0, "unreadable"),
            Got::Network(_) => (0, "network"),
            Got::TimedOut => (0, "timeout"),
            Got::Aborted(_) => (0, "aborted"),
        };
        let duration_ms = sending
            .on_event
            .as_ref()
            .map_or(0.0, |_| js_sys::Date::now() - started);
        tell(&|| ClientEvent::Response {
            method,
            path: path.to_owned(),
            attempt: attempts,
            status,
            outcome,
            duration_ms,
        });
        let mut retry_after_ms = None;
        match got {
            Got::Aborted(reason) => return Err(ClientError::aborted(what, reason)),
            Got::TimedOut => {
                if !left || matches!(out.repeat, Repeat::NotSent) {
                    return Err(ClientError::new(
                        ErrorKind::Timeout,
                        format!(
                            "{what}: no answer within {} ms (attempt {attempts} of {})",
                            js::number_text(sending.timeout_ms),
                            sending.retries + 1
                        ),
                    )
                    .with_attempts(attempts));
                }
            }
            Got::Unreadable(why) => {
                // Not retried: a fetch that answers this will answer it again.
                return Err(ClientError::new(
                    ErrorKind::Network,
                    format!("{what}: the fetch's answer cannot be read as a Response: {why}"),
                )
                .with_attempts(attempts));
            }
            Got::Redirect { status, host } => {
                let failure = rules::http_failure(
                    what,
                    status,
                    &[],
                    None,
                    host.as_deref(),
                    js_sys::Date::now(),
                );
                return Err(http_error(failure, attempts));
            }
            Got::Network(cause) => {
                let repeatable = match out.repeat {
                    Repeat::Safe => true,
                    Repeat::NotSent => js::error_codes(&cause)
                        .iter()
                        .any(|c| NOT_SENT.contains(&c.as_str())),
                };
                if !left || !repeatable {
                    let s = if attempts > 1 { "s" } else { "" };
                    return Err(ClientError::new(
                        ErrorKind::Network,
                        format!(
                            "{what}: the connection failed after {attempts} attempt{s}: {}",
                            js::cause_text(&cause)
                        ),
                    )
                    .with_attempts(attempts)
                    .caused_by(cause));
                }
            }
            Got::Answer(head, body) if (200..300).contains(&head.status) => {
                return match body {
                    Body::Bytes(bytes) => match body_type_problem(what, &head) {
                        Some(problem) => Err(problem.with_attempts(attempts)),
                        None => Ok(Received {
                            status: head.status,
                            body: bytes,
                            attempts,
                        }),
                    },
                    Body::TooLarge(size) => Err(body_issue(
                        what,
                        head.status,
                        IssueCode::TooLarge,
                        format!(
                            "the response body is {size} bytes; at most {MAX_BODY_BYTES} are read"
                        ),
                        attempts,
                    )),
                    Body::Failed(why) => Err(body_issue(
                        what,
                        head.status,
                        IssueCode::Truncated,
                        format!("the response body ended early ({why})"),
                        attempts,
                    )),
                    Body::Unreadable(why) => Err(body_issue(
                        what,
                        head.status,
                        IssueCode::InvalidInput,
                        why,
                        attempts,
                    )),
                };
            }
            Got::Answer(head, body) => {
                let bytes = match body {
                    Body::Bytes(bytes) => bytes.to_vec(),
                    _ => Vec::new(),
                };
                let failure = rules::http_failure(
                    what,
                    head.status,
                    &bytes,
                    head.retry_after.as_deref(),
                    None,
                    js_sys::Date::now(),
                );
                if !left || !failure.retryable || matches!(out.repeat, Repeat::NotSent) {
                    return Err(http_error(failure, attempts));
                }
                retry_after_ms = failure.retry_after_ms;
            }
        }
        let wait = rules::backoff_ms(retry, retry_after_ms, js_sys::Math::random());
        tell(&|| ClientEvent::Retry {
            method,
            path: path.to_owned(),
            attempt: attempts,
            wait_ms: wait,
        });
        if let Err(reason) = js::sleep(wait as f64, &sending.signals).await {
            return Err(ClientError::aborted(what, reason));
        }
        retry += 1;
    }
}

fn body_issue(
    what: &str,
    status: u16,
    code: IssueCode,
    message: String,
    attempts: u32,
) -> ClientError {
    let error = ValidationError::new(vec![Issue::new(Vec::new(), code, message)]);
    match error {
        Some(error) => ClientError::validation(what, status, error).with_attempts(attempts),
        None => ClientError::new(ErrorKind::Validation, what.to_owned()),
    }
}

/// A 2xx answer whose content-type says it is not JSON.
fn body_type_problem(what: &str, head: &Head) -> Option<ClientError> {
    let kind = head.content_type.as_deref()?;
    if is_json_type(kind) {
        return None;
    }
    Some(body_issue(
        what,
        head.status,
        IssueCode::InvalidContentType,
        format!(
            "the response is {}, not application/json",
            shortened(kind, 80)
        ),
        0,
    ))
}

/// `application/json`, or `application/<anything>+json`, with parameters or none.
fn is_json_type(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim_end();
    let b = essence.as_bytes();
    if b.len() < 16 || !b[..12].eq_ignore_ascii_case(b"application/") {
        return false;
    }
    let sub = &b[12..];
    let (name, suffix) = sub.split_at(sub.len() - 4);
    suffix.eq_ignore_ascii_case(b"json")
        && (name.is_empty()
            || (name.ends_with(b"+")
                && name
                    .iter()
                    .all(|&c| c.is_ascii_alphanumeric() || b"_.+-".contains(&c))))
}
