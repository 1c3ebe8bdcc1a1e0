//! The gateway client as a user's wasm crate tests it: `wasm-pack test --node` against the
//! package's mock gateway (its base URL in SEZZLE_MOCK_URL at build time, as
//! scripts/with-mock.sh sets it), scripted with `sezzle_session::mock`.
#![cfg(target_arch = "wasm32")]

use sezzle_session::mock::{MockFault, MockGateway};
use sezzle_session::{CallOptions, Client, ClientOptions, Environment, ErrorKind, Method};
use wasm_bindgen_test::wasm_bindgen_test;

/// The mock; a build without its URL is a failed run, not a skipped one.
fn mock() -> MockGateway {
    match option_env!("SEZZLE_MOCK_URL") {
        Some(url) => MockGateway::new(url),
        None => {
            panic!("SEZZLE_MOCK_URL is set by scripts/with-mock.sh; run these tests through make")
        }
    }
}

fn client(mock: &MockGateway) -> Client {
    let (public_key, private_key) = MockGateway::KEYS;
    let mut options = ClientOptions::with_keys(public_key, private_key);
    options.base_url = Some(mock.base_url().into());
    options.environment = Environment::Production; // (the base URL wins)
    Client::new(options).unwrap()
}

#[wasm_bindgen_test]
async fn a_session_is_fetched_and_a_503_retried() {
    let mock = mock();
    mock.reset().await.unwrap();
    mock.fault(
        Method::Get,
        "^/v2/session/",
        &[MockFault::status(503).with_header("retry-after", "0")],
    )
    .await
    .unwrap();
    let session = client(&mock)
        .get_session(MockGateway::SEED_UUID)
        .await
        .unwrap();
    assert_eq!(session.uuid, MockGateway::SEED_UUID);
    let seen: Vec<String> = mock
        .requests()
        .await
        .unwrap()
        .into_iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    let get = format!("GET /v2/session/{}", MockGateway::SEED_UUID);
    assert_eq!(
        seen,
        vec!["POST /v2/authentication".to_owned(), get.clone(), get]
    );
}

#[wasm_bindgen_test]
async fn an_expired_token_is_renewed_once_and_a_bad_option_is_refused_when_set() {
    let mock = mock();
    mock.reset().await.unwrap();
    let client = client(&mock);
    client.get_session(MockGateway::SEED_UUID).await.unwrap();
    mock.expire_tokens().await.unwrap();
    client.get_session(MockGateway::SEED_UUID).await.unwrap();
    let posts = mock
        .requests()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.method == "POST")
        .count();
    assert_eq!(posts, 2);
    let error = CallOptions::new().timeout_ms(0).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidArgument);
    assert!(
        error.message().starts_with("timeout_ms must be"),
        "{}",
        error.message()
    );
}
