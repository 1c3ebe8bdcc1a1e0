//! The Rust gateway client (`sezzle_session::Client`) against the mock gateway, which the
//! Makefile starts on 127.0.0.1 (scripts/with-mock.sh) and whose base URL reaches these tests
//! at compile time in SEZZLE_MOCK_URL. Run under Node and in headless Chromium, like
//! tests/wasm.rs. The mock is scripted over HTTP (`/__mock/...`, js/mock.mjs).
#![cfg(target_arch = "wasm32")]

use js_sys::{Function, Promise};
use sezzle_session::mock::{MockFault, MockGateway, Oversized};
use sezzle_session::{
    CallOptions, Client, ClientError, ClientEvent, ClientOptions, ErrorKind, IssueCode, Method,
    Session,
};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

const SEED_UUID: &str = "fadbc642-05a4-4e38-9e74-80e325623af9";
const PUBLIC_KEY: &str = "sz_pub_demo_public_key";
const PRIVATE_KEY: &str = "sz_pr_demo_private_key";

/// The mock's base URL; a build without it is a failed run, not a skipped one.
fn base_url() -> &'static str {
    match option_env!("SEZZLE_MOCK_URL") {
        Some(url) => url,
        None => {
            panic!("SEZZLE_MOCK_URL is set by scripts/with-mock.sh; run these tests through make")
        }
    }
}

fn origin() -> String {
    base_url().trim_end_matches("/v2").to_owned()
}

/// The mock, scripted through the crate's own helper (sezzle_session::mock).
fn mock() -> MockGateway {
    MockGateway::new(base_url())
}

/// A fresh mock: no faults queued, no requests seen.
async fn reset() {
    mock().reset().await.unwrap();
}

async fn fault(method: Method, path: &str, faults: &[MockFault]) {
    mock().fault(method, path, faults).await.unwrap();
}

/// `(method, path)` of every request the mock saw since the last reset.
async fn seen() -> Vec<(String, String)> {
    let requests = mock().requests().await.unwrap();
    requests.into_iter().map(|r| (r.method, r.path)).collect()
}

fn keys() -> ClientOptions {
    let mut options = ClientOptions::with_keys(PUBLIC_KEY, PRIVATE_KEY);
    options.base_url = Some(base_url().to_owned());
    options
}

fn quick(mut options: ClientOptions) -> ClientOptions {
    options.timeout_ms = 2_000;
    options
}

fn session_path() -> String {
    format!("/v2/session/{SEED_UUID}")
}

fn get(path: &str) -> (String, String) {
    ("GET".into(), path.into())
}

fn post_auth() -> (String, String) {
    ("POST".into(), "/v2/authentication".into())
}

/// The seed session, fetched by a new client with the mock's keys.
async fn seed_with_keys() {
    let client = Client::new(keys()).unwrap();
    let session = client.get_session(SEED_UUID).await.unwrap();
    assert_eq!(session.uuid.as_str(), SEED_UUID);
}

fn says(e: &ClientError, text: &str) {
    assert!(
        e.message().contains(text),
        "{text:?} not in {:?}",
        e.message()
    );
}

fn starts(e: &ClientError, text: &str) {
    assert!(
        e.message().starts_with(text),
        "{:?} does not start with {text:?}",
        e.message()
    );
}

fn ends(e: &ClientError, text: &str) {
    assert!(
        e.message().ends_with(text),
        "{:?} does not end with {text:?}",
        e.message()
    );
}

fn expect_err<T>(result: Result<T, ClientError>) -> ClientError {
    match result {
        Ok(_) => panic!("expected an error"),
        Err(e) => e,
    }
}

#[wasm_bindgen_test]
async fn a_session_is_fetched_with_keys_and_validated() {
    reset().await;
    let client = Client::new(keys()).unwrap();
    let session = client.get_session(SEED_UUID).await.unwrap();
    assert_eq!(session.uuid.as_str(), SEED_UUID);
    let order = session.order.expect("the seed has an order");
    let checkout = order.checkout_url.expect("the seed has a checkout URL");
    assert!(checkout.as_str().starts_with("https://"));
    assert_eq!(seen().await, vec![post_auth(), get(&session_path())]);
    // The token is kept: a second call authenticates no more.
    client.get_session(SEED_UUID).await.unwrap();
    assert_eq!(seen().await.len(), 3);
}

#[wasm_bindgen_test]
async fn a_client_with_a_token_sends_it_as_a_bearer() {
    reset().await;
    let token = mock().token().await.unwrap();
    let mut options = ClientOptions::with_token(token.clone());
    options.base_url = Some(base_url().to_owned());
    options.headers = vec![("User-Agent".into(), "shop-admin/2.1".into())];
    let session = Client::new(options)
        .unwrap()
        .get_session(SEED_UUID)
        .await
        .unwrap();
    assert_eq!(session.uuid.as_str(), SEED_UUID);
    let requests = mock().requests().await.unwrap();
    let header = |name: &str| requests[0].headers.get(name).cloned().unwrap_or_default();
    assert_eq!(header("authorization"), format!("Bearer {token}"));
    assert_eq!(header("accept"), "application/json");
    // Browsers own the user-agent header; Node sends the caller's.
    if js_sys::Reflect::has(&js_sys::global(), &"process".into()).unwrap() {
        assert_eq!(header("user-agent"), "shop-admin/2.1");
    }
}

#[wasm_bindgen_test]
async fn a_401_authenticates_once_more_and_repeats_once() {
    reset().await;
    let client = Client::new(keys()).unwrap();
    client.get_session(SEED_UUID).await.unwrap();
    mock().expire_tokens().await.unwrap();
    client.get_session(SEED_UUID).await.unwrap();
    let path = session_path();
    assert_eq!(
        seen().await,
        vec![post_auth(), get(&path), get(&path), post_auth(), get(&path)]
    );
}

#[wasm_bindgen_test]
async fn a_503_is_retried_and_a_404_is_not() {
    reset().await;
    fault(Method::Get, "^/v2/session/", &[MockFault::status(503)]).await;
    let client = Client::new(keys()).unwrap();
    client.get_session(SEED_UUID).await.unwrap();
    let path = session_path();
    assert_eq!(seen().await, vec![post_auth(), get(&path), get(&path)]);

    let e = expect_err(client.get_session("no-such-session").await);
    assert_eq!(e.kind(), ErrorKind::Http);
    assert_eq!(e.status(), Some(404));
    assert_eq!(e.attempts(), 1);
    assert_eq!(e.api_errors()[0].code.as_deref(), Some("not_found"));
    assert!(e.debug_uuid().is_some());
    starts(
        &e,
        "GET /v2/session/no-such-session: HTTP 404 Not Found: Session not found",
    );
}

#[wasm_bindgen_test]
async fn a_429_says_how_long_the_gateway_asked_to_wait() {
    reset().await;
    fault(
        Method::Get,
        "^/v2/session/",
        &[MockFault::status(429)
            .with_header("retry-after", "7")
            .with_body("[]")],
    )
    .await;
    let mut options = keys();
    options.retries = 0;
    let e = expect_err(Client::new(options).unwrap().get_session(SEED_UUID).await);
    assert_eq!((e.kind(), e.status()), (ErrorKind::Http, Some(429)));
    assert_eq!(e.retry_after_ms(), Some(7_000));
    ends(&e, "Retry-After 7 s");

    // With a retry left, the wait is the gateway's (0 s here) and the second attempt answers.
    fault(
        Method::Get,
        "^/v2/session/",
        &[MockFault::status(429).with_header("retry-after", "0")],
    )
    .await;
    seed_with_keys().await;
}

#[wasm_bindgen_test]
async fn an_attempt_past_its_timeout_is_abandoned() {
    reset().await;
    let client = Client::new(quick(keys())).unwrap();
    client.get_session(SEED_UUID).await.unwrap();
    fault(Method::Get, "^/v2/session/", &[MockFault::delay(1500)]).await;
    let call = CallOptions::new()
        .timeout_ms(100)
        .and_then(|call| call.retries(0))
        .unwrap();
    let e = expect_err(client.get_session_with(SEED_UUID, call).await);
    assert_eq!(e.kind(), ErrorKind::Timeout);
    assert_eq!(e.attempts(), 1);
    says(&e, "no answer within 100 ms (attempt 1 of 1)");
}

#[wasm_bindgen_test]
async fn an_abort_with_a_string_reason_is_an_error_and_the_client_goes_on() {
    reset().await;
    let client = Client::new(quick(keys())).unwrap();
    client.get_session(SEED_UUID).await.unwrap();
    fault(Method::Get, "^/v2/session/", &[MockFault::delay(1000)]).await;
    let controller = web_sys::AbortController::new().unwrap();
    let call = CallOptions::new().signal(controller.signal());
    let pending = client.get_session_with(SEED_UUID, call);
    // Aborted with a reason that is not an Error, the case gloo-net's conversion traps on.
    let abort = Function::new_with_args("c", "setTimeout(() => c.abort('stop'), 50)");
    abort.call1(&JsValue::UNDEFINED, &controller).unwrap();
    let e = expect_err(pending.await);
    assert_eq!(e.kind(), ErrorKind::Aborted);
    assert!(e
        .message()
        .contains("cancelled by the caller's AbortSignal"));
    // The module is whole: the same client answers the next call.
    client.get_session(SEED_UUID).await.unwrap();
    // A signal that fired before the call: nothing is sent.
    let before = seen().await.len();
    let controller = web_sys::AbortController::new().unwrap();
    controller.abort_with_reason(&"already".into());
    let call = CallOptions::new().signal(controller.signal());
    assert_eq!(
        expect_err(client.get_session_with(SEED_UUID, call).await).kind(),
        ErrorKind::Aborted
    );
    assert_eq!(seen().await.len(), before);
}

#[wasm_bindgen_test]
async fn an_oversized_body_is_cut_off_with_or_without_a_length() {
    reset().await;
    let client = Client::new(keys()).unwrap();
    for oversized in [Oversized::WithLength, Oversized::Chunked] {
        fault(
            Method::Get,
            "^/v2/session/",
            &[MockFault::oversized(oversized)],
        )
        .await;
        let e = expect_err(client.get_session(SEED_UUID).await);
        assert_eq!(e.kind(), ErrorKind::Validation, "{oversized:?}");
        assert_eq!(e.issues()[0].code, IssueCode::TooLarge);
        assert_eq!(e.status(), Some(200));
    }
}

#[wasm_bindgen_test]
async fn bodies_that_are_not_a_session_are_validation_errors() {
    reset().await;
    let client = Client::new(keys()).unwrap();
    let cases = [
        (
            MockFault::status(200).with_body("{\"uuid\": 5}"),
            IssueCode::InvalidType,
        ),
        (
            MockFault::status(200)
                .with_body("<html>")
                .with_header("content-type", "text/html"),
            IssueCode::InvalidContentType,
        ),
        (MockFault::truncated(), IssueCode::Truncated),
    ];
    for (reply, code) in cases {
        fault(Method::Get, "^/v2/session/", std::slice::from_ref(&reply)).await;
        let e = expect_err(client.get_session(SEED_UUID).await);
        assert_eq!(e.kind(), ErrorKind::Validation, "{reply:?}");
        assert!(
            e.issues().iter().any(|i| i.code == code),
            "{reply:?}: {:?}",
            e.issues()
        );
        starts(&e, "GET /v2/session/");
    }
}

#[wasm_bindgen_test]
async fn a_redirect_is_refused_not_followed() {
    reset().await;
    let client = Client::new(keys()).unwrap();
    client.get_session(SEED_UUID).await.unwrap();
    fault(
        Method::Get,
        "^/v2/session/",
        &[MockFault::status(307).with_header("location", "https://evil.example/steal")],
    )
    .await;
    let e = expect_err(client.get_session(SEED_UUID).await);
    assert_eq!(e.kind(), ErrorKind::Http);
    says(&e, "redirects are refused, not followed");
    // Node shows the status and where it pointed; a browser hides both (status 0).
    assert!(matches!(e.status(), Some(307) | Some(0)));
    assert_eq!(e.attempts(), 1);
}

#[wasm_bindgen_test]
async fn secrets_echoed_by_the_gateway_are_redacted() {
    // The package's one redaction (js/redact.js) cleans the Rust client's errors too: every
    // occurrence, in any letter case, in every text the error shows.
    reset().await;
    let upper = PRIVATE_KEY.to_uppercase();
    let echo = format!(
        "[{{\"code\": \"bad\", \"message\": \"key {PRIVATE_KEY} refused ({PRIVATE_KEY}, {upper})\", \"debug_uuid\": \"{PRIVATE_KEY}\"}}]"
    );
    fault(
        Method::Post,
        "^/v2/authentication$",
        &[MockFault::status(400).with_body(echo)],
    )
    .await;
    let e = expect_err(Client::new(keys()).unwrap().get_session(SEED_UUID).await);
    assert_eq!(e.kind(), ErrorKind::Http);
    let everything = format!("{e:?}");
    assert!(!everything.contains(PRIVATE_KEY), "{everything}");
    assert!(!everything.contains(&upper), "{everything}");
    says(&e, "key [redacted] refused ([redacted], [redacted])");
    assert_eq!(e.api_errors()[0].debug_uuid.as_deref(), Some("[redacted]"));
}

#[wasm_bindgen_test]
async fn callers_in_flight_share_one_authentication() {
    reset().await;
    let client = Client::new(keys()).unwrap();
    let calls: Vec<Promise> = (0..3)
        .map(|_| {
            let client = client.clone();
            wasm_bindgen_futures::future_to_promise(async move {
                client
                    .get_session(SEED_UUID)
                    .await
                    .map(|_| JsValue::TRUE)
                    .map_err(|e| e.message().into())
            })
        })
        .collect();
    let all = Promise::all(&calls.into_iter().collect::<js_sys::Array>());
    JsFuture::from(all).await.unwrap();
    let posts = seen()
        .await
        .into_iter()
        .filter(|r| r == &post_auth())
        .count();
    assert_eq!(posts, 1);
    // authenticate() hands out the same token.
    let auth = client.authenticate().await.unwrap();
    assert!(auth.token.starts_with("mock_"));
    assert_eq!(
        seen()
            .await
            .into_iter()
            .filter(|r| r == &post_auth())
            .count(),
        1
    );
}

#[wasm_bindgen_test]
async fn an_injected_fetch_is_called_with_the_request() {
    reset().await;
    // Called as fetch(url, init), init's headers a plain object, as the package's 0.1.0 did.
    let fetch = Function::new_with_args(
        "url, init",
        "globalThis.__injected = [...(globalThis.__injected || []), [url, init.method, init.redirect, init.headers.accept]]; return fetch(url, init);",
    );
    let mut options = keys();
    options.fetch = Some(fetch);
    Client::new(options)
        .unwrap()
        .get_session(SEED_UUID)
        .await
        .unwrap();
    let seen = js_sys::Reflect::get(&js_sys::global(), &"__injected".into()).unwrap();
    let seen: Vec<Vec<String>> = serde_wasm_bindgen::from_value(seen).unwrap();
    let url = |path: &str| format!("{}{path}", origin());
    let manual = |method: &str, path: &str| {
        vec![
            url(path),
            method.into(),
            "manual".into(),
            "application/json".into(),
        ]
    };
    assert_eq!(
        seen,
        vec![
            manual("POST", "/v2/authentication"),
            manual("GET", &session_path())
        ]
    );
}

#[wasm_bindgen_test]
async fn a_hostile_fetch_gives_network_errors_and_breaks_nothing() {
    reset().await;
    let bodies = [
        // Resolves to something that is not a Response.
        ("return 42;", "not a Response"),
        // Throws a string.
        ("throw 'no';", "no"),
        // A Proxy whose every trap throws.
        (
            "return new Proxy({}, { get() { throw new Error('trap'); } });",
            "trap",
        ),
        // A thenable that rejects with an object whose message getter throws.
        (
            "return { then(_, reject) { reject({ get message() { throw 1; } }); } };",
            "not an Error",
        ),
        // A Response whose status is nonsense.
        (
            "return { status: 'x', headers: new Headers(), body: null };",
            "status",
        ),
    ];
    for (body, expected) in bodies {
        let mut options = ClientOptions::with_token("t0k");
        options.base_url = Some(base_url().to_owned());
        options.retries = 0;
        options.fetch = Some(Function::new_with_args("request", body));
        let e = expect_err(Client::new(options).unwrap().get_session(SEED_UUID).await);
        assert_eq!(e.kind(), ErrorKind::Network, "{body}");
        assert!(e.message().contains(expected), "{body}: {}", e.message());
    }
    // The module still works.
    seed_with_keys().await;
}

#[wasm_bindgen_test]
async fn bad_options_are_refused_before_anything_is_sent() {
    reset().await;
    let invalid = |options: ClientOptions| {
        let e = Client::new(options).err().expect("refused");
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
        e.message().to_owned()
    };
    let mut o = keys();
    o.base_url = Some("http://example.com/v2".into());
    assert!(invalid(o).contains("baseUrl"));
    let mut o = keys();
    o.retries = 11;
    assert!(invalid(o).contains("retries"));
    let mut o = keys();
    o.timeout_ms = 0;
    assert!(invalid(o).contains("timeout_ms"));
    let o = ClientOptions::with_token("has space");
    assert!(!invalid(o).contains("has space"), "a token is never quoted");
    let mut o = keys();
    o.headers = vec![("authorization".into(), "x".into())];
    assert!(invalid(o).contains("set by the client"));
    let mut o = keys();
    o.headers = vec![("x-ok".into(), "line\nbreak".into())];
    assert!(invalid(o).contains("printable"));

    let client = Client::new(keys()).unwrap();
    for uuid in ["", "../admin", "a/b", "%2e%2e"] {
        let e = expect_err(client.get_session(uuid).await);
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{uuid:?}");
    }
    assert_eq!(seen().await, vec![]);
}

#[wasm_bindgen_test]
async fn a_refused_connection_is_a_network_error_after_the_retries() {
    // Port 9 (discard): nothing listens there on a test machine.
    let mut options = ClientOptions::with_token("t0k");
    options.base_url = Some("http://127.0.0.1:9/v2".into());
    options.retries = 1;
    let e = expect_err(Client::new(options).unwrap().get_session(SEED_UUID).await);
    assert_eq!(e.kind(), ErrorKind::Network);
    assert_eq!(e.attempts(), 2);
    says(&e, "the connection failed after 2 attempts");
}

#[wasm_bindgen_test]
async fn a_hook_is_told_each_request_response_and_retry() {
    reset().await;
    fault(
        Method::Get,
        "^/v2/session/",
        &[MockFault::status(503).with_header("retry-after", "0")],
    )
    .await;
    let events: Rc<RefCell<Vec<ClientEvent>>> = Rc::default();
    let mut options = keys();
    let seen_events = events.clone();
    options.on_event = Some(Rc::new(move |event: &ClientEvent| {
        seen_events.borrow_mut().push(event.clone())
    }));
    Client::new(options)
        .unwrap()
        .get_session(SEED_UUID)
        .await
        .unwrap();
    let kinds: Vec<String> = events
        .borrow()
        .iter()
        .map(|e| match e {
            ClientEvent::Request {
                method,
                path,
                attempt,
                ..
            } => format!("request {method} {path} {attempt}"),
            ClientEvent::Response {
                method,
                attempt,
                status,
                outcome,
                ..
            } => {
                format!("response {method} {attempt} {status} {outcome}")
            }
            ClientEvent::Retry {
                method,
                attempt,
                wait_ms,
                ..
            } => format!("retry {method} {attempt} {wait_ms}"),
            // (ClientEvent may grow: #[non_exhaustive].)
            other => format!("{other:?}"),
        })
        .collect();
    let path = session_path();
    assert_eq!(
        kinds,
        vec![
            "request POST /v2/authentication 1".to_owned(),
            "response POST 1 200 answer".to_owned(),
            format!("request GET {path} 1"),
            "response GET 1 503 answer".to_owned(),
            "retry GET 1 0".to_owned(),
            format!("request GET {path} 2"),
            "response GET 2 200 answer".to_owned(),
        ]
    );
}

#[wasm_bindgen_test]
async fn a_chunk_the_stream_detaches_after_giving_it_changes_nothing_read() {
    reset().await;
    // The first chunk's buffer is transferred away after the client has read it: the body
    // read is `{}`, as it was given (a session without its uuid).
    let fetch = Function::new_with_args(
        "url, init",
        "let first; return new Response(new ReadableStream({ async pull(c) { \
           if (!first) { first = new Uint8Array([123]); c.enqueue(first); return; } \
           await new Promise((r) => setTimeout(r, 20)); \
           structuredClone(first.buffer, { transfer: [first.buffer] }); \
           c.enqueue(new Uint8Array([125])); c.close(); \
         } }), { headers: { 'content-type': 'application/json' } });",
    );
    let mut options = ClientOptions::with_token("t0k");
    options.base_url = Some(base_url().to_owned());
    options.fetch = Some(fetch);
    let e = expect_err(Client::new(options).unwrap().get_session(SEED_UUID).await);
    assert_eq!(e.kind(), ErrorKind::Validation);
    assert_eq!(e.issues()[0].code, IssueCode::Required);
    assert_eq!(e.issues()[0].path_text(), "uuid");
    seed_with_keys().await;
}

/// README.md's Rust client sample, line for line (tests/js/readme.test.mjs checks that each
/// of its statements is here), run against the mock.
async fn the_readme_sample(
    public_key: &str,
    private_key: &str,
    base_url: &str,
    uuid: &str,
    signal: web_sys::AbortSignal,
) -> Result<(Session, Session, String), ClientError> {
    use sezzle_session::{CallOptions, Client, ClientOptions, ErrorKind};

    let mut options = ClientOptions::with_keys(public_key, private_key); // or ::with_token(token)
    options.base_url = Some(base_url.into()); // or environment and region
    options.headers = vec![("user-agent".into(), "shop-admin/2.1".into())];
    let client = Client::new(options)?; // ClientError: invalid_argument

    let session = client.get_session(uuid).await?; // Session, every value checked
    let again = client
        .get_session_with(
            uuid,
            CallOptions::new()
                .timeout_ms(2_000)? // checked: 0 is an invalid_argument error here
                .retries(0)?
                .signal(signal),
        )
        .await?;
    match client.get_session("no-such-session").await {
        Err(e) if e.kind() == ErrorKind::Http && e.status() == Some(404) => {}
        other => panic!("expected a 404, got {other:?}"),
    }
    let auth = client.authenticate().await?; // { token, expiration_date, … }
    Ok((session, again, auth.token))
}

#[wasm_bindgen_test]
async fn the_readme_client_sample_runs() {
    reset().await;
    let signal = web_sys::AbortController::new().unwrap().signal();
    let (session, again, token) =
        the_readme_sample(PUBLIC_KEY, PRIVATE_KEY, base_url(), SEED_UUID, signal)
            .await
            .unwrap();
    assert_eq!(session.uuid.as_str(), SEED_UUID);
    assert_eq!(again, session);
    assert!(token.starts_with("mock_"));
    let requests = mock().requests().await.unwrap();
    let agents: Vec<String> = (requests.iter())
        .map(|r| r.headers.get("user-agent").cloned().unwrap_or_default())
        .collect();
    assert_eq!(agents.len(), 4, "authentication, two gets, the 404");
    // Node sends the header as given; a browser's fetch keeps its own User-Agent.
    let in_browser = js_sys::Reflect::has(&js_sys::global(), &"document".into()).unwrap();
    if in_browser {
        assert!(
            agents.iter().all(|a| a.starts_with("Mozilla/")),
            "{agents:?}"
        );
    } else {
        assert!(agents.iter().all(|a| a == "shop-admin/2.1"), "{agents:?}");
    }
}

#[wasm_bindgen_test]
fn call_options_are_checked_when_set_in_rusts_words() {
    let call = CallOptions::new()
        .timeout_ms(2_000)
        .and_then(|call| call.retries(10))
        .unwrap();
    assert_eq!((call.timeout_ms, call.retries), (Some(2_000), Some(10)));
    let error = CallOptions::new().timeout_ms(0).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    assert_eq!(
        error.message(),
        "timeout_ms must be a number of milliseconds from 1 to 2147483647, got 0"
    );
    let error = CallOptions::new().retries(11).unwrap_err();
    assert_eq!(
        error.message(),
        "retries must be an integer from 0 to 10, got 11"
    );
}

/// The README's mock sample, as written there.
async fn the_readme_mock_sample(
    base_url: &str,
) -> Result<(Session, Vec<sezzle_session::mock::MockRequest>), ClientError> {
    use sezzle_session::mock::{MockFault, MockGateway};
    use sezzle_session::{Client, ClientOptions, Method};

    let mock = MockGateway::new(base_url); // the mock's base URL, with its /v2
    mock.reset().await?;
    mock.fault(Method::Get, "^/v2/session/", &[MockFault::status(503)])
        .await?; // the next GET fails once
    let (public_key, private_key) = MockGateway::KEYS;
    let mut options = ClientOptions::with_keys(public_key, private_key);
    options.base_url = Some(mock.base_url().into());
    let session = Client::new(options)?
        .get_session(MockGateway::SEED_UUID)
        .await?; // retried
    mock.expire_tokens().await?; // the next call with a token gets a 401
    let seen = mock.requests().await?; // method, path, headers, body of each
    Ok((session, seen))
}

#[wasm_bindgen_test]
async fn the_readme_mock_sample_runs() {
    let (session, seen) = the_readme_mock_sample(base_url()).await.unwrap();
    assert_eq!(session.uuid, SEED_UUID);
    let paths: Vec<(String, String)> = seen.into_iter().map(|r| (r.method, r.path)).collect();
    assert_eq!(
        paths,
        vec![post_auth(), get(&session_path()), get(&session_path())]
    );
    // The mock refuses what is not its own route, and the helper says so.
    let error = MockGateway::new(format!("{}/nowhere", origin()))
        .reset()
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    assert!(
        error
            .message()
            .starts_with("mock: POST /__mock/reset: HTTP 404"),
        "{}",
        error.message()
    );
    assert!(
        error.message().ends_with("the package's mock gateway?)"),
        "{}",
        error.message()
    );
}
