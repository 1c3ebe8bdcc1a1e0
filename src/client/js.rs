//! The JavaScript values the client touches, through js-sys.
//!
//! A value the client did not make (whatever an injected `fetch` resolved to, its headers and
//! body stream, the caller's `AbortSignal`, a thrown error) is reached only through calls
//! that catch what JavaScript throws: `Reflect.get`, `Function.prototype.call`, a promise's
//! own resolution. A getter that throws or a Proxy then gives an `Err` here. Through the
//! typed bindings of web-sys it would throw through the module instead, mid-poll, and leave
//! wasm-bindgen-futures' task and the client's state half-updated.

use js_sys::{Array, Function, Object, Promise, Reflect};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

#[wasm_bindgen(module = "/src/client/attempt.js")]
extern "C" {
    /// One attempt, from fetch to the body's last byte: resolves an array whose first number
    /// is one of the `ATTEMPT_*` below, never rejects.
    #[wasm_bindgen(catch)]
    pub(crate) fn send(
        fetch: &Function,
        url: &JsValue,
        init: &JsValue,
        signal: &web_sys::AbortSignal,
        max: f64,
    ) -> Result<Promise, JsValue>;
}

/// What `send` resolved to (the numbers at the top of `attempt.js`): an answer `[_, status,
/// content-type, content-length, retry-after, body kind, body value]` whose body kind is one
/// of the `BODY_*`; a redirect `[_, status, host]`; an answer that cannot be read, in words or
/// as what reading it threw; a network failure and its cause.
pub(crate) const ATTEMPT_ANSWER: f64 = 0.0;
pub(crate) const ATTEMPT_REDIRECT: f64 = 1.0;
pub(crate) const ATTEMPT_UNREADABLE: f64 = 2.0;
pub(crate) const ATTEMPT_UNREADABLE_THREW: f64 = 3.0;
pub(crate) const ATTEMPT_NETWORK: f64 = 4.0;
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

/// Calls `target[name](...args)` with `this` = `target`.
pub(crate) fn call_method(
    target: &JsValue,
    name: &'static str,
    args: &[&JsValue],
) -> Result<JsValue, JsValue> {
    let method = get(target, name)?;
    let method = method
        .dyn_ref::<Function>()
        .ok_or_else(|| JsValue::from_str(&format!("{name} is not a function")))?;
    match args {
        [] => method.call0(target),
        [a] => method.call1(target, a),
        [a, b] => method.call2(target, a, b),
        [a, b, c, ..] => method.call3(target, a, b, c),
    }
}

fn promise_of(result: Result<JsValue, JsValue>) -> Promise {
    Promise::new(&mut |resolve, reject| {
        let _ = match &result {
            Ok(value) => resolve.call1(&JsValue::UNDEFINED, value),
            Err(error) => reject.call1(&JsValue::UNDEFINED, error),
        };
    })
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

thread_local! {
    static IGNORE: Closure<dyn FnMut(JsValue)> = Closure::new(|_| {});
}

/// Gives `promise` a rejection handler that does nothing: what it rejects with is no
/// unhandled rejection.
fn ignore(promise: Promise) {
    IGNORE.with(|ignore| {
        let _ = promise.catch(ignore);
    });
}

/// Settles `value` (a thenable a caller's function returned) into a promise whose rejection
/// is ignored.
pub(crate) fn ignore_rejection(value: &JsValue) {
    ignore(promise_of(Ok(value.clone())));
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
        let text = crate::client::error::shortened(&text, 300);
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

/// Why a [`Stopper`] fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stop {
    /// Its time ran out.
    Timeout,
    /// The caller's signal fired.
    Aborted,
}

/// What a raced promise gave.
pub(crate) enum Raced {
    Value(JsValue),
    Stopped(Stop),
}

/// What ends a [`Stopper`]: the timer (`None`) or the signal that fired.
type Fire = Rc<dyn Fn(Option<&JsValue>)>;

/// One attempt's end: a timer and the caller's signals, any of which aborts the attempt's
/// own `AbortController` (never the caller's: an abort with a reason that is not an `Error`
/// would reach gloo-net's error conversion, which does not expect one). Whatever is raced
/// against it settles at once when it fires, even a fetch that ignores its signal.
pub(crate) struct Stopper {
    controller: web_sys::AbortController,
    stopped: Promise,
    sentinel: JsValue,
    why: Rc<Cell<Option<Stop>>>,
    reason: Rc<RefCell<JsValue>>,
    timer: Option<JsValue>,
    _on_timeout: Closure<dyn FnMut()>,
    listening: Vec<(JsValue, Closure<dyn FnMut()>)>,
}

impl Stopper {
    /// Fires after `timeout_ms` (never when `None`), or when any of `signals` fires. Each
    /// signal is listened to itself (not combined with `AbortSignal.any`, which hears only
    /// native signals).
    pub(crate) fn new(timeout_ms: Option<f64>, signals: &[JsValue]) -> Result<Stopper, JsValue> {
        let controller = web_sys::AbortController::new()?;
        let sentinel: JsValue = Object::new().into();
        let why = Rc::new(Cell::new(None));
        let reason = Rc::new(RefCell::new(JsValue::UNDEFINED));
        let mut resolve_slot = None;
        let stopped = Promise::new(&mut |resolve, _| resolve_slot = Some(resolve));
        // Fires once: the timer (no signal), or the signal that fired, whose reason is kept.
        let fire: Fire = {
            let (why, controller, sentinel) = (why.clone(), controller.clone(), sentinel.clone());
            let reason = reason.clone();
            Rc::new(move |signal: Option<&JsValue>| {
                if why.get().is_none() {
                    let stop = match signal {
                        Some(signal) => {
                            *reason.borrow_mut() =
                                get(signal, "reason").unwrap_or(JsValue::UNDEFINED);
                            Stop::Aborted
                        }
                        None => Stop::Timeout,
                    };
                    why.set(Some(stop));
                    if let Some(resolve) = &resolve_slot {
                        let _ = resolve.call1(&JsValue::UNDEFINED, &sentinel);
                    }
                    controller.abort();
                }
            })
        };
        let on_timeout = {
            let fire = fire.clone();
            Closure::<dyn FnMut()>::new(move || fire(None))
        };
        let timer = timeout_ms.map(|ms| set_timeout(on_timeout.as_ref().unchecked_ref(), ms));
        let mut stopper = Stopper {
            controller,
            stopped,
            sentinel,
            why,
            reason,
            timer,
            _on_timeout: on_timeout,
            listening: Vec::new(),
        };
        for signal in signals {
            if get(signal, "aborted").ok().and_then(|a| a.as_bool()) == Some(true) {
                fire(Some(signal));
            } else {
                let (fire, heard) = (fire.clone(), signal.clone());
                let on_abort = Closure::<dyn FnMut()>::new(move || fire(Some(&heard)));
                let once = Object::new();
                let _ = Reflect::set(&once, &key("once"), &true.into());
                // A signal whose addEventListener throws is one that will not be heard.
                let _ = call_method(
                    signal,
                    "addEventListener",
                    &[&key("abort"), on_abort.as_ref(), &once],
                );
                stopper.listening.push((signal.clone(), on_abort));
            }
        }
        Ok(stopper)
    }

    /// The signal handed to fetch.
    pub(crate) fn signal(&self) -> web_sys::AbortSignal {
        self.controller.signal()
    }

    /// The caller's signal's `reason`, once it has fired.
    pub(crate) fn reason(&self) -> JsValue {
        self.reason.borrow().clone()
    }

    /// Why it fired, if it has.
    pub(crate) fn fired(&self) -> Option<Stop> {
        self.why.get()
    }

    /// `promise`'s value, or why the stopper fired first; `Err` when `promise` rejects.
    pub(crate) async fn race(&self, promise: &Promise) -> Result<Raced, JsValue> {
        if let Some(why) = self.why.get() {
            return Ok(Raced::Stopped(why));
        }
        let first = Promise::race(&Array::of2(promise, &self.stopped));
        let value = JsFuture::from(first).await?;
        if Object::is(&value, &self.sentinel) {
            return Ok(Raced::Stopped(self.why.get().unwrap_or(Stop::Timeout)));
        }
        Ok(Raced::Value(value))
    }

    /// Waits until it fires.
    pub(crate) async fn wait(&self) -> Stop {
        if self.why.get().is_none() {
            let _ = JsFuture::from(self.stopped.clone()).await;
        }
        self.why.get().unwrap_or(Stop::Timeout)
    }
}

impl Drop for Stopper {
    fn drop(&mut self) {
        if let Some(timer) = &self.timer {
            clear_timeout(timer);
        }
        for (signal, on_abort) in &self.listening {
            let _ = call_method(
                signal,
                "removeEventListener",
                &[&key("abort"), on_abort.as_ref()],
            );
        }
    }
}

/// Waits `ms`, or less when one of `signals` fires: `Err(reason)` then.
pub(crate) async fn sleep(ms: f64, signals: &[JsValue]) -> Result<(), JsValue> {
    let stopper = Stopper::new(Some(ms), signals)?;
    match stopper.wait().await {
        Stop::Timeout => Ok(()),
        Stop::Aborted => Err(stopper.reason()),
    }
}
