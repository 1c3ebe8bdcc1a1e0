//! One request and its answer: the request built by gloo-net, sent through the global `fetch`
//! or the caller's, raced against its timeout and the caller's signal, its body read with the
//! 1 MiB cap; and the retries around it. What each answer means is asked of `rules`.

use super::error::{ClientError, ErrorKind};
use super::event::{ClientEvent, EventHook, Outcome};
use super::js;
use super::rules::{self, ApiError, ErrorBody, Failed};
use super::text::shortened;
use super::MAX_BODY_BYTES;
use crate::{Issue, IssueCode, ValidationError};
use gloo_net::http::Request;
use js_sys::{Function, Uint8Array};
use std::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
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

impl<'a> Outgoing<'a> {
    /// The `GET` of a session, with the token it sends: repeated after any failure the retry
    /// rule repeats.
    pub fn session_get(url: &'a str, what: &'a str, bearer: Option<&'a str>) -> Self {
        Outgoing {
            post_body: None,
            url,
            what,
            bearer,
            repeat: Repeat::Safe,
        }
    }

    /// `POST` when there is a body to send, else `GET`.
    fn method(&self) -> crate::Method {
        match self.post_body {
            Some(_) => crate::Method::Post,
            None => crate::Method::Get,
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

pub(crate) struct Head {
    status: u16,
    content_type: Option<String>,
    retry_after: Option<String>,
    /// A failed answer's errors, as attempt.js read them from its body (`apiErrors`).
    api_errors: Option<Vec<ApiError>>,
}

pub(crate) enum Body {
    Bytes(Uint8Array),
    TooLarge(String),
    Failed(String),
    Unreadable(String),
}

pub(crate) enum Got {
    Answer(Head, Body),
    Redirect { status: u16, host: Option<String> },
    Unreadable(String),
    Network(JsValue),
    TimedOut,
    Aborted(JsValue),
}

// Connection failures where the request surely never reached the gateway (Node's codes).
const NOT_SENT: [&str; 5] = [
    "ECONNREFUSED",
    "ENOTFOUND",
    "EAI_AGAIN",
    "ENETUNREACH",
    "EHOSTUNREACH",
];

/// The request, built by gloo-net once for every attempt (each attempt adds its own signal).
fn build(out: &Outgoing, sending: &Sending) -> Result<web_sys::Request, ClientError> {
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
    .cache(RequestCache::NoStore);
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

pub(crate) fn global_fetch() -> Result<Function, ClientError> {
    js::get(&js_sys::global(), "fetch")
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .ok_or_else(|| ClientError::invalid("there is no global fetch here; pass a fetch function"))
}

/// What every attempt of a request sends: the fetch, the URL and the init, made once.
pub(crate) struct Prepared {
    pub fetch: Function,
    pub url: JsValue,
    pub init: JsValue,
}

pub(crate) fn prepare(out: &Outgoing, sending: &Sending) -> Result<Prepared, ClientError> {
    // fetch(url, init), init taken from the request gloo-net built: the caller's fetch is
    // called as 0.1.0 called it (init.headers a plain object).
    let fetch = match &sending.fetch {
        Some(fetch) => fetch.clone(),
        None => global_fetch()?,
    };
    let (url, init) = match out.post_body {
        Some(_) => {
            let request = build(out, sending)?;
            let init = js::init_of(&request, out.post_body.clone());
            (request.url(), init)
        }
        None => get_request(out, sending)?,
    };
    Ok(Prepared {
        fetch,
        url: url.into(),
        init,
    })
}

/// The last GET request gloo-net built: the URL it was built for up to its last segment,
/// that prefix as the request has it (normalised, as fetch sends it), the token and headers
/// it carries, and the `init` that sends them.
struct Template {
    prefix: String,
    normalized: String,
    bearer: Option<String>,
    headers: Vec<(String, String)>,
    init: JsValue,
}

thread_local! {
    static LAST_GET: RefCell<Option<Template>> = const { RefCell::new(None) };
}

/// The URL and `init` of a GET. The session requests of a client (and of `getSession` calls
/// with the same options) differ only in the path's last segment, a session uuid of URL
/// characters that need no escaping: their request is built by gloo-net once, not once per
/// call (a build makes two `Request`s and a `URL`, some 30 µs in Node, `make bench`), and
/// each call sends it with its own last segment. The `init` is never handed out itself:
/// attempt.js gives each fetch its own copy of the headers.
fn get_request(out: &Outgoing, sending: &Sending) -> Result<(String, JsValue), ClientError> {
    let cut = out.url.rfind('/').map_or(0, |at| at + 1);
    let (prefix, segment) = out.url.split_at_checked(cut).unwrap_or(("", out.url));
    let hit = LAST_GET.with(|last| {
        last.borrow().as_ref().and_then(|t| {
            let same = t.prefix == prefix
                && t.bearer.as_deref() == out.bearer
                && t.headers == sending.headers;
            same.then(|| (format!("{}{segment}", t.normalized), t.init.clone()))
        })
    });
    if let Some(hit) = hit {
        return Ok(hit);
    }
    let request = build(out, sending)?;
    let url = request.url();
    let init = js::init_of(&request, None);
    if let Some(normalized) = url.strip_suffix(segment).filter(|n| n.ends_with('/')) {
        let template = Template {
            prefix: prefix.to_owned(),
            normalized: normalized.to_owned(),
            bearer: out.bearer.map(str::to_owned),
            headers: sending.headers.clone(),
            init: init.clone(),
        };
        LAST_GET.with(|last| *last.borrow_mut() = Some(template));
    }
    Ok((url, init))
}

/// One attempt: the answer with its body, or why there was none.
async fn attempt(prepared: &Prepared, sending: &Sending) -> Got {
    // From fetch to the body's last byte in JS (src/client/attempt.js says why), raced
    // against the attempt's end there: one crossing each way.
    let sent = js::attempt(
        &prepared.fetch,
        &prepared.url,
        &prepared.init,
        sending.signals.clone(),
        sending.timeout_ms,
        MAX_BODY_BYTES as f64,
    );
    match JsFuture::from(sent).await {
        Ok(answer) => got_of(&answer),
        Err(cause) => Got::Network(cause),
    }
}

/// What `js::attempt` resolved to, as a [`Got`].
pub(crate) fn got_of(answer: &JsValue) -> Got {
    let number = |i: u32| {
        let value = js_sys::Reflect::get_u32(answer, i).unwrap_or_default();
        value.as_f64().unwrap_or(f64::NAN)
    };
    got_from(number(0), number(1), number(5), answer)
}

/// The same, given the numbers it holds at 0, 1 and 5 (what it is, and an answer's status
/// and body kind; NaN where it holds no number), as the package's JS reads them: each costs
/// a crossing when read from here.
pub(crate) fn got_from(kind: f64, status: f64, body_kind: f64, answer: &JsValue) -> Got {
    let at = |i: u32| js_sys::Reflect::get_u32(answer, i).unwrap_or_default();
    let text = |i: u32| at(i).as_string();
    let status = status as u16; // (NaN: 0)
    match kind {
        js::ATTEMPT_ANSWER => {
            let failed = !(200..300).contains(&status);
            let head = Head {
                status,
                content_type: text(2),
                // (Read only where a retry may follow.)
                retry_after: failed.then(|| text(4)).flatten(),
                api_errors: failed.then(|| api_errors_of(&at(7))).flatten(),
            };
            let value = at(6);
            let body = match body_kind {
                js::BODY_BYTES => match value.dyn_into::<Uint8Array>() {
                    Ok(bytes) => Body::Bytes(bytes),
                    Err(_) => Body::Failed("the body could not be read".into()),
                },
                js::BODY_TOO_LARGE => Body::TooLarge(value.as_string().unwrap_or_default()),
                js::BODY_THREW => Body::Failed(js::cause_text(&value)),
                js::BODY_FAILED => Body::Failed(value.as_string().unwrap_or_default()),
                _ => Body::Unreadable(value.as_string().unwrap_or_default()),
            };
            match body {
                Body::Unreadable(why) if status < 300 => Got::Unreadable(why),
                // A failure's status says enough without its body.
                Body::Unreadable(_) => {
                    Got::Answer(head, Body::Bytes(Uint8Array::new_with_length(0)))
                }
                body => Got::Answer(head, body),
            }
        }
        js::ATTEMPT_REDIRECT => Got::Redirect {
            status,
            host: text(2),
        },
        js::ATTEMPT_UNREADABLE => Got::Unreadable(text(1).unwrap_or_default()),
        js::ATTEMPT_UNREADABLE_THREW => {
            Got::Unreadable(format!("reading it threw ({})", js::cause_text(&at(1))))
        }
        js::ATTEMPT_NETWORK => Got::Network(at(1)),
        js::ATTEMPT_TIMEOUT => Got::TimedOut,
        js::ATTEMPT_ABORTED => Got::Aborted(at(1)),
        _ => Got::Network(JsValue::from_str("the attempt gave no answer")),
    }
}

/// The errors attempt.js read from a failed answer's body: `[[code, location, message,
/// debug_uuid], ...]`, each a string or undefined; `None` for anything else.
fn api_errors_of(value: &JsValue) -> Option<Vec<ApiError>> {
    let list = value.dyn_ref::<js_sys::Array>()?;
    let errors: Vec<ApiError> = list
        .iter()
        .filter_map(|item| {
            let text = |i: u32| js_sys::Reflect::get_u32(&item, i).ok()?.as_string();
            item.is_array().then(|| ApiError {
                code: text(0),
                location: text(1),
                message: text(2),
                debug_uuid: text(3),
            })
        })
        .collect();
    (!errors.is_empty()).then_some(errors)
}

fn http_error(failure: rules::HttpFailure, attempts: u32) -> ClientError {
    let mut e = ClientError::new(ErrorKind::Http, failure.message).with_attempts(attempts);
    e.status = Some(failure.status);
    e.api_errors = failure.api_errors.unwrap_or_default();
    e.debug_uuid = failure.debug_uuid;
    e.retry_after_ms = failure.retry_after_ms;
    e
}

/// What an attempt's outcome leads to: the call's end, with its answer or its error, or
/// another attempt after so many milliseconds.
pub(crate) enum Next {
    Done(Result<Received, ClientError>),
    Retry(u64),
}

/// What `got`, retry number `retry` of `out` (0 for the first attempt), leads to: whether it
/// is repeated is `rules::retry_wait`'s to say (the one retry rule, tested natively), and
/// this makes the error of what is not. Apart from `exchange`, and not inlined into it: the
/// decision is made in one place, once, not in each state of the retry loop's future.
#[inline(never)]
fn next_after(out: &Outgoing<'_>, sending: &Sending, got: Got, retry: u32) -> Next {
    let what = out.what;
    let attempts = retry + 1;
    let safe = matches!(out.repeat, Repeat::Safe);
    let wait = |failed| {
        rules::retry_wait(failed, safe, retry, sending.retries, js_sys::Math::random())
            .map(Next::Retry)
    };
    let fail = |error: ClientError| Next::Done(Err(error));
    match got {
        // (Every failure goes through the rule, these to hear that they are final.)
        Got::Aborted(reason) => {
            wait(Failed::Final).unwrap_or_else(|| fail(ClientError::aborted(what, reason)))
        }
        Got::TimedOut => wait(Failed::TimedOut).unwrap_or_else(|| {
            fail(
                ClientError::new(
                    ErrorKind::Timeout,
                    format!(
                        "{what}: no answer within {} ms (attempt {attempts} of {})",
                        js::number_text(sending.timeout_ms),
                        sending.retries + 1
                    ),
                )
                .with_attempts(attempts),
            )
        }),
        // Final: a fetch that answers this will answer it again.
        Got::Unreadable(why) => wait(Failed::Final).unwrap_or_else(|| {
            fail(
                ClientError::new(
                    ErrorKind::Network,
                    format!("{what}: the fetch's answer cannot be read as a Response: {why}"),
                )
                .with_attempts(attempts),
            )
        }),
        Got::Redirect { status, host } => {
            let failure = rules::http_failure(
                what,
                status,
                ErrorBody::Empty,
                None,
                host.as_deref(),
                js_sys::Date::now(),
            );
            wait(Failed::Final).unwrap_or_else(|| fail(http_error(failure, attempts)))
        }
        Got::Network(cause) => {
            // (The codes are read only where they matter: a GET is repeated either way.)
            let not_sent = !safe
                && js::error_codes(&cause)
                    .iter()
                    .any(|c| NOT_SENT.contains(&c.as_str()));
            if let Some(next) = wait(Failed::Network { not_sent }) {
                return next;
            }
            let s = if attempts > 1 { "s" } else { "" };
            fail(
                ClientError::new(
                    ErrorKind::Network,
                    format!(
                        "{what}: the connection failed after {attempts} attempt{s}: {}",
                        js::cause_text(&cause)
                    ),
                )
                .with_attempts(attempts)
                .caused_by(cause),
            )
        }
        Got::Answer(head, body) if (200..300).contains(&head.status) => Next::Done(match body {
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
                format!("the response body is {size} bytes; at most {MAX_BODY_BYTES} are read"),
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
        }),
        Got::Answer(head, body) => {
            let body = match (head.api_errors, body) {
                (Some(errors), _) => ErrorBody::Sezzle(errors),
                (None, Body::Bytes(bytes)) if bytes.length() > 0 => ErrorBody::Other,
                _ => ErrorBody::Empty,
            };
            let failure = rules::http_failure(
                what,
                head.status,
                body,
                head.retry_after.as_deref(),
                None,
                js_sys::Date::now(),
            );
            let failed = Failed::Status {
                status: failure.status,
                retry_after_ms: failure.retry_after_ms,
            };
            wait(failed).unwrap_or_else(|| fail(http_error(failure, attempts)))
        }
    }
}

/// A request's attempts, one step at a time: what is told before each attempt and what its
/// outcome leads to. Two loops step through it: `exchange` below (awaiting each attempt and
/// wait through wasm-bindgen-futures: the crate's `Client` and every authentication) and the
/// package's `getSession` and `client.getSession`, whose loops are in js/client.js
/// (`SessionGetter` and `SessionCall` in exports.rs): there an attempt costs one or two plain
/// calls into the module and no future, closure or promise of the module's (`make bench`,
/// getSession on loopback, says what that saved). Every decision is made here, for both.
pub(crate) struct Exchange<'a> {
    pub out: &'a Outgoing<'a>,
    pub sending: &'a Sending,
}

impl Exchange<'_> {
    /// Tells the hook of attempt `retry + 1`; the clock, read for a hook only.
    pub fn before(&self, retry: u32) -> f64 {
        let Some(hook) = &self.sending.on_event else {
            return 0.0;
        };
        hook(&ClientEvent::Request {
            method: self.out.method(),
            path: self.path().to_owned(),
            attempt: retry + 1,
        });
        js_sys::Date::now()
    }

    /// What attempt `retry + 1`, started at `started` (what `before` gave), leads to; the hook
    /// is told of its outcome, and of the retry when there is one.
    pub fn after(&self, got: Got, retry: u32, started: f64) -> Next {
        let attempts = retry + 1;
        if let Some(hook) = &self.sending.on_event {
            let (status, outcome) = match &got {
                Got::Answer(head, _) => (head.status, Outcome::Answer),
                Got::Redirect { status, .. } => (*status, Outcome::Redirect),
                Got::Unreadable(_) => (0, Outcome::Unreadable),
                Got::Network(_) => (0, Outcome::Network),
                Got::TimedOut => (0, Outcome::Timeout),
                Got::Aborted(_) => (0, Outcome::Aborted),
            };
            hook(&ClientEvent::Response {
                method: self.out.method(),
                path: self.path().to_owned(),
                attempt: attempts,
                status,
                outcome,
                duration_ms: js_sys::Date::now() - started,
            });
        }
        let next = next_after(self.out, self.sending, got, retry);
        if let (Next::Retry(wait), Some(hook)) = (&next, &self.sending.on_event) {
            hook(&ClientEvent::Retry {
                method: self.out.method(),
                path: self.path().to_owned(),
                attempt: attempts,
                wait_ms: *wait,
            });
        }
        next
    }

    /// The error of a wait between attempts that a caller's signal ended with `reason`.
    pub fn aborted(&self, reason: JsValue) -> ClientError {
        ClientError::aborted(self.out.what, reason)
    }

    /// The request's path: `what` is the method and the path.
    fn path(&self) -> &str {
        let what = self.out.what;
        what.split_once(' ').map_or(what, |(_, path)| path)
    }
}

/// Attempts until a 2xx answer, or an error of kind http, network, timeout or aborted.
pub(crate) async fn exchange(
    out: &Outgoing<'_>,
    sending: &Sending,
) -> Result<Received, ClientError> {
    let prepared = prepare(out, sending)?;
    let steps = Exchange { out, sending };
    let mut retry = 0;
    loop {
        let started = steps.before(retry);
        let got = attempt(&prepared, sending).await;
        let wait = match steps.after(got, retry, started) {
            Next::Done(answer) => return answer,
            Next::Retry(wait) => wait,
        };
        if let Err(reason) = js::sleep(wait as f64, &sending.signals).await {
            return Err(steps.aborted(reason));
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
            shortened(kind, super::text::TYPE_CUT)
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
