//! A page that looks a session up on a gateway with `sezzle_session::Client` and shows its
//! checkout link only when it is Sezzle's. Built with `wasm-pack build --target web`; see
//! `index.html` beside this crate. Everything it shows is set as text or as a checked `href`,
//! never as HTML.

use sezzle_session::{checkout_url, Client, ClientOptions, Session, CHECKOUT_HOSTS};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, HtmlAnchorElement, HtmlInputElement};

/// Wires the form's button once the module is loaded.
#[wasm_bindgen(start)]
pub fn start() -> Result<(), JsValue> {
    let document = document()?;
    let button = document
        .get_element_by_id("look-up")
        .ok_or("the page has no #look-up button")?;
    let on_click = Closure::<dyn FnMut()>::new(|| wasm_bindgen_futures::spawn_local(look_up()));
    button.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref())?;
    // The page lives as long as the module: the listener is never removed.
    on_click.forget();
    if let Some(body) = document.body() {
        body.set_attribute("data-ready", "true")?;
    }
    Ok(())
}

fn document() -> Result<Document, JsValue> {
    web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsValue::from_str("no document"))
}

fn field(document: &Document, id: &str) -> String {
    document
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
        .map(|input| input.value())
        .unwrap_or_default()
}

async fn look_up() {
    let Ok(document) = document() else { return };
    let mut options = ClientOptions::with_token(field(&document, "token"));
    options.base_url = Some(field(&document, "gateway"));
    options.retries = 0;
    let result = match Client::new(options) {
        Ok(client) => client.get_session(&field(&document, "session")).await,
        Err(error) => Err(error),
    };
    let (status, text) = match &result {
        Ok(session) => ("found", describe(session)),
        Err(error) => (
            "failed",
            format!("{}: {}", error.kind().as_str(), error.message()),
        ),
    };
    if let Some(out) = document.get_element_by_id("result") {
        out.set_text_content(Some(&text));
        let _ = out.set_attribute("data-status", status);
    }
    show_link(&document, result.ok().as_ref());
}

fn describe(session: &Session) -> String {
    let order = session.order.as_ref().map_or("no order".to_owned(), |o| {
        format!("order {}", o.uuid.as_str())
    });
    format!("session {}, {order}", session.uuid.as_str())
}

/// The checkout link, only when `checkout_url` says it is Sezzle's.
fn show_link(document: &Document, session: Option<&Session>) {
    let Some(link) = document
        .get_element_by_id("checkout")
        .and_then(|e| e.dyn_into::<HtmlAnchorElement>().ok())
    else {
        return;
    };
    match session.map(|s| checkout_url(s, &CHECKOUT_HOSTS)) {
        Some(Ok(Some(url))) => {
            link.set_href(url.as_str());
            link.set_text_content(Some(url.as_str()));
            link.set_hidden(false);
        }
        _ => {
            link.remove_attribute("href").ok();
            link.set_text_content(None);
            link.set_hidden(true);
        }
    }
}
