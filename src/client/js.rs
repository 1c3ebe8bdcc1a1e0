//! The JavaScript values the client touches, through js-sys.
//!
//! A value the client did not make (whatever an injected `fetch` resolved to, its headers and
//! body stream, the caller's `AbortSignal`, a thrown error) is reached only through calls
//! that catch what JavaScript throws: `Reflect.get`, `Function.prototype.call`, a promise's
//! own resolution. A getter that throws or a Proxy then gives an `Err` here. Through the
//! typed bindings of web-sys it would throw through the module instead, mid-poll, and leave
//! wasm-bindgen-futures' task and the client's state half-updated.

use js_sys::{Array, Function, Promise, Reflect};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(module = "/src/client/attempt.js")]
extern "C" {
    /// One attempt, from fetch to the body's last byte, ended after `timeout` ms or by one of
    /// `signals`: resolves an array whose first number is one of the `ATTEMPT_*` below, never
    /// rejects.
    pub(crate) fn attempt(
        fetch: &Function,
        url: &JsValue,
        init: &JsValue,
        signals: Vec<JsValue>,
        timeout: f64,
        max: f64,
    ) -> Promise;
    /// Waits for a promise (or for the time alone), at most `timeout` ms, until one of
    /// `signals` fires: resolves `[WAIT_SETTLED]`, `[WAIT_REJECTED, thrown]`, `[ATTEMPT_TIMEOUT]`
    /// or `[ATTEMPT_ABORTED, reason]`, never rejects.
    #[wasm_bindgen(js_name = wait)]
    fn wait_js(promise: &JsValue, timeout: Option<f64>, signals: Vec<JsValue>) -> Promise;
    /// The `init` of `fetch(url, init)` that sends what a built request holds.
    #[wasm_bindgen(js_name = initOf)]
    pub(crate) fn init_of(request: &web_sys::Request, body: Option<String>) -> JsValue;
    /// Settles `value` (what a caller's hook returned) into a promise whose rejection is
    /// ignored; never throws (done in JS: a Rust closure for it cost the getSession module
    /// wasm-bindgen's closure machinery).
    #[wasm_bindgen(js_name = ignoreRejection)]
    pub(crate) fn ignore_rejection(value: &JsValue);
}

#[wasm_bindgen(module = "/js/redact.js")]
extern "C" {
    /// The texts cleaned of the secrets, one for one (js/redact.js, the package's redaction).
    #[wasm_bindgen(js_name = redactTexts)]
    fn redact_texts(texts: Array, secrets: Array) -> Array;
}

/// Each of `texts` cleaned of `secrets` in place, by js/redact.js: one redaction for the
/// package's errors and the Rust client's.
pub(crate) fn redact(texts: Vec<&mut String>, secrets: &[&str]) {
    let given: Array = secrets.iter().map(|s| JsValue::from_str(s)).collect();
    let list: Array = texts.iter().map(|t| JsValue::from_str(t)).collect();
    let cleaned = redact_texts(list, given);
    for (i, text) in texts.into_iter().enumerate() {
        if let Some(clean) = cleaned.get(i as u32).as_string() {
            *text = clean;
        }
    }
}

/// What `attempt` resolved to (the numbers at the top of `attempt.js`): an answer `[_, status,
/// content-type, content-length, retry-after, body kind, body value]` whose body kind is one
/// of the `BODY_*`; a redirect `[_, status, host]`; an answer that cannot be read, in words or
/// as what reading it threw; a network failure and its cause; the attempt's time running out;
/// a caller's signal firing, and its reason.
pub(crate) const ATTEMPT_ANSWER: f64 = 0.0;
pub(crate) const ATTEMPT_REDIRECT: f64 = 1.0;
pub(crate) const ATTEMPT_UNREADABLE: f64 = 2.0;
pub(crate) const ATTEMPT_UNREADABLE_THREW: f64 = 3.0;
pub(crate) const ATTEMPT_NETWORK: f64 = 4.0;
pub(crate) const ATTEMPT_TIMEOUT: f64 = 5.0;
pub(crate) const ATTEMPT_ABORTED: f64 = 6.0;
const WAIT_SETTLED: f64 = 7.0;
const WAIT_REJECTED: f64 = 8.0;
pub(crate) const BODY_BYTES: f64 = 0.0;
pub(crate) const BODY_TOO_LARGE: f64 = 1.0;
pub(crate) const BODY_THREW: f64 = 2.0;
pub(crate) const BODY_FAILED: f64 = 3.0;

thread_local! {
    static KEYS: RefCell<Vec<(&'static str, JsValue)>> = const { RefCell::new(Vec::new()) };
}

/// The JS string of a property or header name, made once: a string crossing from Rust is
/// decoded from UTF-8 each time, and a request reads some thirty of them.
pub(crate) fn key(name: &'static str) -> JsValue {
    KEYS.with(|keys| {
        let mut keys = keys.borrow_mut();
        if let Some((_, value)) = keys.iter().find(|(k, _)| std::ptr::eq(*k, name)) {
            return value.clone();
        }
        let value = JsValue::from_str(name);
        keys.push((name, value.clone()));
        value
    })
}

/// `target[key]`, or `Err` when `target` is not an object or the getter throws.
pub(crate) fn get(target: &JsValue, name: &'static str) -> Result<JsValue, JsValue> {
    if !target.is_object() && !target.is_function() {
        return Err(key("not an object"));
    }
    Reflect::get(target, &key(name))
}

/// `target[key]` when it is a string.
pub(crate) fn get_string(target: &JsValue, key: &'static str) -> Option<String> {
    get(target, key).ok()?.as_string()
}

/// The JS promise of `future`. Every caller goes through this one boxed type, so that
/// wasm-bindgen-futures' `future_to_promise` is compiled once, not once per future (each copy
/// was 3 to 6 KB of the module).
pub(crate) fn promise(
    future: impl std::future::Future<Output = Result<JsValue, JsValue>> + 'static,
) -> Promise {
    let boxed: std::pin::Pin<Box<dyn std::future::Future<Output = Result<JsValue, JsValue>>>> =
        Box::pin(future);
    wasm_bindgen_futures::future_to_promise(boxed)
}

/// A thrown value and its `cause`s, at most five, read without trusting them.
fn cause_chain(error: &JsValue) -> Vec<JsValue> {
    let mut chain = Vec::new();
    let mut at = error.clone();
    while chain.len() < 5 && !at.is_undefined() && !at.is_null() {
        let next = if at.is_object() {
            get(&at, "cause").unwrap_or(JsValue::UNDEFINED)
        } else {
            JsValue::UNDEFINED
        };
        chain.push(at);
        at = next;
    }
    chain
}

/// What a thrown value says, its `cause` chain included (`fetch failed: connect
/// ECONNREFUSED 127.0.0.1:9`).
pub(crate) fn cause_text(error: &JsValue) -> String {
    let mut parts: Vec<String> = Vec::new();
    for at in cause_chain(error) {
        let text = if let Some(text) = at.as_string() {
            text
        } else if at.is_object() {
            get_string(&at, "message").unwrap_or_else(|| "(a value that is not an Error)".into())
        } else {
            at.as_f64()
                .map(number_text)
                .unwrap_or_else(|| "(a value that is not an Error)".into())
        };
        let text = super::text::shortened(&text, super::text::CAUSE_CUT);
        if !text.is_empty() && !parts.contains(&text) {
            parts.push(text);
        }
    }
    if parts.is_empty() {
        "unknown error".into()
    } else {
        parts.join(": ")
    }
}

/// The `code` strings along a thrown value's `cause` chain (Node's `ECONNREFUSED`).
pub(crate) fn error_codes(error: &JsValue) -> Vec<String> {
    cause_chain(error)
        .iter()
        .filter_map(|at| get_string(at, "code"))
        .collect()
}

/// A number as JavaScript writes it (`150`, `150.5`), without Rust's float formatting,
/// which would add about 20 KB to the module.
pub(crate) fn number_text(n: f64) -> String {
    js_sys::Number::from(n)
        .to_string_with_radix(10)
        .map(String::from)
        .unwrap_or_default()
}

/// `Array.isArray(value)`, through a call that catches: it throws for a revoked Proxy.
pub(crate) fn is_array(value: &JsValue) -> bool {
    value.is_object()
        && ARRAY_IS_ARRAY.with(|f| {
            f.as_ref().is_some_and(|f| {
                Reflect::apply(f, &JsValue::UNDEFINED, &Array::of1(value))
                    .is_ok_and(|is| is.is_truthy())
            })
        })
}

thread_local! {
    static ARRAY_IS_ARRAY: Option<Function> = get(&Array::new().constructor().into(), "isArray")
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok());
}

/// A JS value's kind for messages: "null", "array", or its typeof.
pub(crate) fn describe(value: &JsValue) -> String {
    if value.is_null() {
        "null".into()
    } else if is_array(value) {
        "array".into()
    } else {
        value.js_typeof().as_string().unwrap_or_default()
    }
}

/// What ended a wait or an attempt first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stop {
    /// Its time ran out.
    Timeout,
    /// A caller's signal fired.
    Aborted,
}

/// `promise` settled (`Ok(Err(thrown))` when it rejected), or what stopped the wait first:
/// `timeout_ms` (none when `None`) or one of `signals`, with the signal's reason. Without a
/// promise (`undefined`), the wait ends by the time or a signal alone.
pub(crate) async fn wait(
    promise: &JsValue,
    timeout_ms: Option<f64>,
    signals: &[JsValue],
) -> Result<Result<(), JsValue>, (Stop, JsValue)> {
    let waited = wait_js(promise, timeout_ms, signals.to_vec());
    let got = JsFuture::from(waited).await.unwrap_or_default();
    let at = |i: u32| Reflect::get_u32(&got, i).unwrap_or_default();
    match at(0).as_f64() {
        Some(WAIT_SETTLED) => Ok(Ok(())),
        Some(WAIT_REJECTED) => Ok(Err(at(1))),
        Some(ATTEMPT_ABORTED) => Err((Stop::Aborted, at(1))),
        _ => Err((Stop::Timeout, JsValue::UNDEFINED)),
    }
}

/// Waits `ms`, or less when one of `signals` fires: `Err(reason)` then.
pub(crate) async fn sleep(ms: f64, signals: &[JsValue]) -> Result<(), JsValue> {
    match wait(&JsValue::UNDEFINED, Some(ms), signals).await {
        Err((Stop::Aborted, reason)) => Err(reason),
        _ => Ok(()),
    }
}
