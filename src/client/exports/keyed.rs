//! The client module's exports beyond getSession's (`exports`, Cargo feature `js-client`):
//! `authenticate`, and `SezzleClient` (`GatewayClient`, a `SessionCall` per
//! `client.getSession`). The getSession module (`js-get` alone) has none of them, nor the
//! authentication they await.

use super::*;
use std::cell::Cell;

/// `authenticate(options)`: resolves `{ token, expiration_date, merchant_uuid }`.
#[wasm_bindgen]
pub fn authenticate(options: JsValue) -> Promise {
    const NAME: &str = "authenticate";
    let allowed: Vec<&str> = REQUEST
        .iter()
        .copied()
        .chain(["publicKey", "privateKey"])
        .collect();
    let client = Reader::read(NAME, &options, &allowed).and_then(|reader| {
        let (o, given) = reader.client_options()?;
        client_of(NAME, o, keys_of(NAME, given)?)
    });
    let client = match client {
        Ok(client) => client,
        Err(e) => return rejected(e, &[]),
    };
    js::promise(authentication_call(client))
}

async fn authentication_call(client: Client) -> Result<JsValue, JsValue> {
    let secrets = client.secrets();
    match client.token().await {
        Ok(auth) => {
            #[derive(Serialize)]
            struct Out<'a> {
                token: &'a str,
                expiration_date: &'a str,
                merchant_uuid: Option<&'a str>,
            }
            let out = Out {
                token: &auth.token,
                expiration_date: &auth.expiration_date,
                merchant_uuid: auth.merchant_uuid.as_deref(),
            };
            let serializer = serde_wasm_bindgen::Serializer::new().serialize_missing_as_null(true);
            Ok(out.serialize(&serializer).unwrap_or(JsValue::UNDEFINED))
        }
        Err(e) => Err(error_out(&e, &secrets)),
    }
}

/// `SezzleClient`: one client's token cache, shared by its calls.
#[wasm_bindgen]
pub struct GatewayClient {
    client: Client,
}

#[wasm_bindgen]
impl GatewayClient {
    /// `new SezzleClient(options)`: a token, or a key pair, and the request options.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<GatewayClient, JsValue> {
        const NAME: &str = "SezzleClient";
        let allowed: Vec<&str> = REQUEST
            .iter()
            .copied()
            .chain(["token", "publicKey", "privateKey", "renewBeforeMs"])
            .collect();
        let made = Reader::read(NAME, &options, &allowed).and_then(|reader| {
            let (o, given) = reader.client_options()?;
            let credentials = match given {
                Secrets {
                    token: Some(token),
                    public_key: None,
                    private_key: None,
                } => Credentials::Token(token),
                Secrets { token: Some(_), .. } => {
                    return Err(ClientError::invalid(
                        "SezzleClient: give options.token, or options.publicKey and options.privateKey, not both",
                    ))
                }
                given => keys_of(NAME, given)?,
            };
            client_of(NAME, o, credentials)
        });
        match made {
            Ok(client) => Ok(GatewayClient { client }),
            Err(e) => Err(error_out(&e, &[])),
        }
    }

    /// `client.getSession(sessionUuid, { signal, timeoutMs, retries })`, stepped from
    /// js/client.js as `getSession`'s calls are (`SessionCall`): the call's options and uuid
    /// checked, or the error thrown.
    pub fn session_call(
        &self,
        session_uuid: JsValue,
        options: JsValue,
    ) -> Result<SessionCall, JsValue> {
        const NAME: &str = "client.getSession";
        let secrets = self.client.secrets();
        let read = Reader::read(NAME, &options, &["signal", "timeoutMs", "retries"]);
        let call = read
            .and_then(|reader| reader.call_options())
            .map_err(|e| error_out(&e, &secrets))?;
        let (url, what) = uuid_of(NAME, &session_uuid)
            .and_then(|uuid| self.client.session_target(NAME, &uuid))
            .map_err(|e| error_out(&e, &secrets))?;
        let (sending, wait_ms) = self.client.call_sending(&call);
        Ok(SessionCall {
            client: self.client.clone(),
            url,
            what,
            sending,
            wait_ms,
            token: Rc::default(),
            renewed: Cell::new(false),
            secrets: Rc::new(RefCell::new(secrets)),
        })
    }

    /// `client.authenticate()`: the token the client uses now.
    pub fn authenticate(&self) -> Promise {
        js::promise(authentication_call(self.client.clone()))
    }
}

/// One `client.getSession` call, stepped from js/client.js: the token it sends (`token`),
/// where each attempt goes (`start`) and what each answer means (`after`), through the same
/// [`Exchange`] steps as the Rust client's own loop; a 401 to a client with keys is answered
/// by authenticating once more and sending again, once, as there.
#[wasm_bindgen]
pub struct SessionCall {
    client: Client,
    url: String,
    what: String,
    sending: Sending,
    /// The call's own timeout, which also bounds its wait for a shared authentication.
    wait_ms: Option<f64>,
    /// The token the call sends now.
    token: Rc<RefCell<Option<String>>>,
    /// Whether the token was renewed after a 401 (once only).
    renewed: Cell<bool>,
    /// What its errors are cleaned of: the client's secret and each token it sent.
    secrets: Rc<RefCell<Vec<String>>>,
}

#[wasm_bindgen]
impl SessionCall {
    /// Undefined when the call has a token to send (the client's own, or one in hand that
    /// will last); else a promise that resolves once it has (one authentication, however
    /// many calls wait on it), or rejects with the error.
    pub fn token(&self) -> JsValue {
        if let Some(token) = self.client.token_in_hand() {
            hold(&self.token, &self.secrets, token);
            return JsValue::UNDEFINED;
        }
        let (client, signals, what) = (
            self.client.clone(),
            self.sending.signals.clone(),
            self.what.clone(),
        );
        let (wait_ms, slot, secrets) = (self.wait_ms, self.token.clone(), self.secrets.clone());
        js::promise(async move {
            match client.token_for(&signals, wait_ms, &what).await {
                Ok(token) => {
                    hold(&slot, &secrets, token);
                    Ok(JsValue::UNDEFINED)
                }
                Err(e) => Err(error_out(&e, &secrets.borrow())),
            }
        })
        .into()
    }

    /// Attempt `retry + 1` with the call's token: `[fetch, url, init, timeout ms, the body's
    /// cap in bytes, the signals that end it]`; the hook is told of it.
    pub fn start(&self, retry: u32) -> Result<Vec<JsValue>, JsValue> {
        self.stepped(|exchange| {
            let prepared = transport::prepare(exchange.out, exchange.sending)?;
            exchange.before(retry);
            let signals: Array = exchange.sending.signals.iter().collect();
            Ok(vec![
                prepared.fetch.into(),
                prepared.url,
                prepared.init,
                exchange.sending.timeout_ms.into(),
                (MAX_BODY_BYTES as f64).into(),
                signals.into(),
            ])
        })
    }

    /// What attempt `retry + 1` leads to, as `SessionGetter::after` says; and -1 when the
    /// token is to be renewed (`token`) and the request sent again from its first attempt.
    #[allow(clippy::too_many_arguments)] // (see SessionGetter::after)
    pub fn after(
        &self,
        retry: u32,
        started: f64,
        got: JsValue,
        kind: f64,
        status: f64,
        body_kind: f64,
    ) -> Result<Option<f64>, JsValue> {
        let got = transport::got_from(kind, status, body_kind, &got);
        self.stepped(|exchange| {
            pause_of(exchange.after(got, retry, started)).or_else(|e| {
                let sent = self.token.borrow().clone().unwrap_or_default();
                if !self.renewed.get() && self.client.renews_after(&e, &sent) {
                    self.renewed.set(true);
                    return Ok(Some(-1.0));
                }
                Err(e)
            })
        })
    }

    /// The error of a wait between attempts that a signal ended with `reason`.
    pub fn aborted(&self, reason: JsValue) -> JsValue {
        let stepped = self.stepped(|exchange| Err::<(), _>(exchange.aborted(reason)));
        stepped.err().unwrap_or_default()
    }

    /// What the request is, `GET /v2/session/x`: a validation error's message starts with it.
    pub fn what(&self) -> String {
        self.what.clone()
    }

    /// What a session's error is cleaned of.
    pub fn secrets(&self) -> Vec<String> {
        self.secrets.borrow().clone()
    }
}

impl SessionCall {
    /// `step` over the exchange of the request with the call's token, or the error out.
    fn stepped<T>(
        &self,
        step: impl FnOnce(&Exchange) -> Result<T, ClientError>,
    ) -> Result<T, JsValue> {
        let token = self.token.borrow().clone();
        let out = Outgoing::session_get(&self.url, &self.what, token.as_deref());
        session_step(&self.client, &out, &self.sending, step)
            .map_err(|e| error_out(&e, &self.secrets.borrow()))
    }
}

fn keys_of(name: &str, given: Secrets) -> Result<Credentials, ClientError> {
    match (given.public_key, given.private_key) {
        (Some(public_key), Some(private_key)) => Ok(Credentials::Keys {
            public_key,
            private_key,
        }),
        _ => Err(ClientError::invalid(format!(
            "{name}: options.publicKey and options.privateKey are both required"
        ))),
    }
}

/// `token`, the one a call sends now, in its slot and among what its errors are cleaned of.
fn hold(slot: &RefCell<Option<String>>, secrets: &RefCell<Vec<String>>, token: String) {
    secrets.borrow_mut().push(token.clone());
    *slot.borrow_mut() = Some(token);
}
