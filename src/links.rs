//! The shopper's checkout URL, the tokenize approval URL, and link lookup.

use crate::error::{Issue, IssueCode, PathSegment, ValidationError};
use crate::session::{Link, Method, Session};
use crate::url::WebUrl;

/// Where `order.checkout_url` may point: Sezzle's checkout hosts, production and sandbox,
/// US/CA and EU.
pub const CHECKOUT_HOSTS: [&str; 4] = [
    "checkout.sezzle.com",
    "checkout.eu.sezzle.com",
    "sandbox.checkout.sezzle.com",
    "sandbox.checkout.eu.sezzle.com",
];

/// Where `tokenize.approval_url` may point.
pub const APPROVAL_HOSTS: [&str; 2] = ["dashboard.sezzle.com", "sandbox.dashboard.sezzle.com"];

/// Which of a session's two shopper URLs: where it sits, and which hosts it may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlKind {
    /// `order.checkout_url`, on Sezzle's checkout hosts.
    Checkout,
    /// `tokenize.approval_url`, on Sezzle's dashboard hosts.
    Approval,
}

impl UrlKind {
    fn path(self) -> [&'static str; 2] {
        match self {
            UrlKind::Checkout => ["order", "checkout_url"],
            UrlKind::Approval => ["tokenize", "approval_url"],
        }
    }

    fn what(self) -> &'static str {
        match self {
            UrlKind::Checkout => "checkout",
            UrlKind::Approval => "approval",
        }
    }

    /// Sezzle's own hosts for this URL.
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // used by src/wasm.rs
    pub fn default_hosts(self) -> &'static [&'static str] {
        match self {
            UrlKind::Checkout => &CHECKOUT_HOSTS,
            UrlKind::Approval => &APPROVAL_HOSTS,
        }
    }
}

/// The order's checkout URL when it is safe to show as a link; `Ok(None)` when the session
/// has no order or the order no checkout URL. `allowed_hosts` is usually [`CHECKOUT_HOSTS`].
pub fn checkout_url<'s, H: AsRef<str>>(
    session: &'s Session,
    allowed_hosts: &[H],
) -> Result<Option<&'s WebUrl>, ValidationError> {
    let url = session.order.as_ref().and_then(|o| o.checkout_url.as_ref());
    check_safe(url, allowed_hosts, UrlKind::Checkout)
}

/// The tokenize approval URL when it is safe; `allowed_hosts` is usually [`APPROVAL_HOSTS`].
pub fn approval_url<'s, H: AsRef<str>>(
    session: &'s Session,
    allowed_hosts: &[H],
) -> Result<Option<&'s WebUrl>, ValidationError> {
    let url = session
        .tokenize
        .as_ref()
        .and_then(|t| t.approval_url.as_ref());
    check_safe(url, allowed_hosts, UrlKind::Approval)
}

/// One URL as text, taken from a session the caller validated: the URL when it is safe, else
/// the issue at its place (`invalid_url` if it is no URL at all, `unsafe_url` otherwise).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // used by src/wasm.rs
pub fn check_text<H: AsRef<str>>(
    text: String,
    allowed_hosts: &[H],
    kind: UrlKind,
) -> Result<WebUrl, ValidationError> {
    let path = || kind.path().into_iter().map(PathSegment::from).collect();
    let url = WebUrl::parse(text).map_err(|_| {
        ValidationError::single(Issue::new(
            path(),
            IssueCode::InvalidUrl,
            "expected an absolute https URL",
        ))
    })?;
    check_safe(Some(&url), allowed_hosts, kind)?;
    Ok(url)
}

fn check_safe<'s, H: AsRef<str>>(
    url: Option<&'s WebUrl>,
    allowed_hosts: &[H],
    kind: UrlKind,
) -> Result<Option<&'s WebUrl>, ValidationError> {
    let what = kind.what();
    let Some(url) = url else { return Ok(None) };
    let reason = if !url.is_https() {
        Some("must use https".to_owned())
    } else if url.has_userinfo() {
        Some("must not carry a user name or password".to_owned())
    } else if !allowed_hosts.iter().any(|h| host_matches(url, h.as_ref())) {
        Some(format!(
            "host \"{}\" is not an allowed {what} host ({})",
            host_and_port(url),
            allowed_hosts
                .iter()
                .map(AsRef::as_ref)
                .collect::<Vec<_>>()
                .join(", ")
        ))
    } else {
        None
    };
    match reason {
        None => Ok(Some(url)),
        Some(reason) => Err(ValidationError::single(Issue::new(
            kind.path().into_iter().map(PathSegment::from).collect(),
            IssueCode::UnsafeUrl,
            reason,
        ))),
    }
}

fn host_and_port(url: &WebUrl) -> String {
    match url.port() {
        Some(port) => format!("{}:{port}", url.host()),
        None => url.host().to_owned(),
    }
}

/// `allowed` is a host (`checkout.sezzle.com`, any port but the default refused) or a host
/// and port (`127.0.0.1:8443`). Hosts compare without regard to case, and only whole: a
/// look-alike such as `checkout.sezzle.com.evil.example` never matches.
fn host_matches(url: &WebUrl, allowed: &str) -> bool {
    let colon = crate::url::rfind_byte(allowed, b':');
    let split = colon.and_then(|at| Some((allowed.get(..at)?, allowed.get(at + 1..)?)));
    let (host, port) = match split {
        Some((host, port)) if crate::url::find_byte(port, b']').is_none() => {
            (host, port.parse::<u16>().ok())
        }
        _ => (allowed, None),
    };
    let port_ok = match port {
        Some(port) => url.port().unwrap_or(443) == port,
        None => url.port().is_none_or(|p| p == 443),
    };
    port_ok && url.host().eq_ignore_ascii_case(host)
}

/// The first link with this `rel` and `method`. The documented payload has two `self` links
/// on the order that differ only by method, so `rel` alone is not enough.
pub fn find_link<'a>(links: &'a [Link], rel: &str, method: Method) -> Option<&'a Link> {
    links.iter().find(|l| l.rel == rel && l.method == method)
}
