//! The gateway client's rules, with no I/O in them: which URL a request goes to, whether a
//! session uuid or a base URL may be used, what a failed answer means, whether and when a
//! request is repeated ([`retry_wait`]), and what an authentication answer holds.
//!
//! The client (`transport`, `session`, on wasm32 over the caller's `fetch`, signals and
//! timers) does the fetching and asks this module every question of policy, so the rules are
//! tested natively here and run unchanged in Node and browsers.

use super::text::shortened;
use super::{MAX_RETRIES, MAX_TIMER_MS};
use crate::datetime::{days_from_civil, days_in_month, DateTime};
use crate::fast::flat::{read_flat, Flat};
use crate::url::{UrlError, WebUrl};
use serde::Serialize;
#[cfg(test)]
use ts_rs::TS;

/// The longest session uuid accepted.
pub const MAX_SESSION_UUID_LEN: usize = 128;
/// The longest token, public key or private key accepted (Sezzle's are under 100 characters).
pub const MAX_CREDENTIAL_LEN: usize = 4096;
/// The longest `baseUrl` accepted.
pub const MAX_BASE_URL_LEN: usize = 2048;
/// The longest `environment` or `region` accepted; also the longest option name (a longer
/// one is no option, and is refused as unknown without being read whole).
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
pub const MAX_NAME_LEN: usize = 64;
/// How many `headers` a caller may add, and the longest name and value of one.
pub const MAX_HEADERS: usize = 64;
pub const MAX_HEADER_NAME_LEN: usize = 256;
pub const MAX_HEADER_VALUE_LEN: usize = 8192;

/// The longest string each text option takes, by its JS name: what the package's JS refuses
/// before copying a string into the module (`js/client.generated.js`, written from these by
/// `src/generated_js.rs`). The checks themselves are
/// `check_credential` and `check_base_url`; `environment` and `region` are one of a few
/// words.
#[cfg_attr(target_arch = "wasm32", allow(dead_code))] // (read by src/generated_js.rs)
pub const OPTION_LIMITS: [(&str, usize); 6] = [
    ("environment", MAX_NAME_LEN),
    ("region", MAX_NAME_LEN),
    ("baseUrl", MAX_BASE_URL_LEN),
    ("token", MAX_CREDENTIAL_LEN),
    ("publicKey", MAX_CREDENTIAL_LEN),
    ("privateKey", MAX_CREDENTIAL_LEN),
];

/// Which of Sezzle's gateways: its sandbox or production. Read from configuration text with
/// `str::parse` (`"sandbox"`, `"production"`).
///
/// ```
/// use sezzle_session::Environment;
///
/// let environment: Environment = "production".parse()?;
/// assert_eq!(environment, Environment::Production);
/// assert_eq!(
///     "staging".parse::<Environment>().unwrap_err().to_string(),
///     r#"not an environment: must be "sandbox" or "production", got "staging""#
/// );
/// # Ok::<(), sezzle_session::ParseError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Environment {
    /// `https://sandbox.gateway.sezzle.com/v2` (and its EU twin): the default.
    #[default]
    Sandbox,
    /// `https://gateway.sezzle.com/v2` (and its EU twin).
    Production,
}

/// Which region's gateway: the US's or the EU's. Read from configuration text with
/// `str::parse` (`"us"`, `"eu"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Region {
    /// The US gateways: the default.
    #[default]
    Us,
    /// The EU gateways (`gateway.eu.sezzle.com`).
    Eu,
}

impl Environment {
    /// The option's word: `"sandbox"` or `"production"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Sandbox => "sandbox",
            Environment::Production => "production",
        }
    }
}

impl Region {
    /// The option's word: `"us"` or `"eu"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Region::Us => "us",
            Region::Eu => "eu",
        }
    }
}

impl std::str::FromStr for Environment {
    type Err = crate::ParseError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "sandbox" => Ok(Environment::Sandbox),
            "production" => Ok(Environment::Production),
            _ => Err(crate::ParseError::new(
                "an environment",
                format!(
                    "must be \"sandbox\" or \"production\", got {}",
                    quoted(text)
                ),
            )),
        }
    }
}

impl std::str::FromStr for Region {
    type Err = crate::ParseError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "us" => Ok(Region::Us),
            "eu" => Ok(Region::Eu),
            _ => Err(crate::ParseError::new(
                "a region",
                format!("must be \"us\" or \"eu\", got {}", quoted(text)),
            )),
        }
    }
}

impl std::fmt::Display for Environment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Display for Region {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The defaults of the request options, as the package's `CLIENT_DEFAULTS`.
pub struct Defaults {
    pub environment: Environment,
    pub region: Region,
    pub timeout_ms: u32,
    pub retries: u32,
    pub renew_before_ms: u32,
}

/// The options a request has when the caller gives none.
pub const DEFAULTS: Defaults = Defaults {
    environment: Environment::Sandbox,
    region: Region::Us,
    timeout_ms: 10_000,
    retries: 2,
    renew_before_ms: 60_000,
};

/// What each option is called in messages, where it was given: Rust's field names for a
/// [`ClientOptions`](crate::ClientOptions), the JS option names for the package's options
/// objects. One checker (`check_timer`, `check_retries`, `check_credential`, `Client`'s
/// checks) writes every message of both.
pub struct OptionNames {
    pub timeout_ms: &'static str,
    pub renew_before_ms: &'static str,
    pub retries: &'static str,
    pub token: &'static str,
    pub public_key: &'static str,
    pub private_key: &'static str,
    pub fetch: &'static str,
}

/// The names of [`ClientOptions`](crate::ClientOptions)' fields.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub const RUST_NAMES: OptionNames = OptionNames {
    timeout_ms: "timeout_ms",
    renew_before_ms: "renew_before_ms",
    retries: "retries",
    token: "token",
    public_key: "public_key",
    private_key: "private_key",
    fetch: "a fetch function (ClientOptions::fetch)",
};

/// The names of the package's options.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub const JS_NAMES: OptionNames = OptionNames {
    timeout_ms: "options.timeoutMs",
    renew_before_ms: "options.renewBeforeMs",
    retries: "options.retries",
    token: "options.token",
    public_key: "options.publicKey",
    private_key: "options.privateKey",
    fetch: "options.fetch",
};

/// A timer option (a timeout, the renewal margin) in whole milliseconds: `ms` when it is a
/// number from `least` to `MAX_TIMER_MS` (a fraction is dropped, as timers drop it), else
/// what is wrong, quoting the value as `shown`. `None` is a value that is not a number.
pub fn check_timer(name: &str, ms: Option<f64>, least: u32, shown: &str) -> Result<u32, String> {
    match ms {
        Some(ms) if ms >= f64::from(least) && ms <= f64::from(MAX_TIMER_MS) => Ok(ms as u32),
        _ => Err(format!(
            "{name} must be a number of milliseconds from {least} to {MAX_TIMER_MS}, got {shown}"
        )),
    }
}

/// A number of retries: an integer from 0 to `MAX_RETRIES`, else what is wrong, quoting the
/// value as `shown`. `None` is a value that is not a number.
pub fn check_retries(name: &str, n: Option<f64>, shown: &str) -> Result<u32, String> {
    match n {
        Some(n) if n.fract() == 0.0 && (0.0..=f64::from(MAX_RETRIES)).contains(&n) => Ok(n as u32),
        _ => Err(format!(
            "{name} must be an integer from 0 to {MAX_RETRIES}, got {shown}"
        )),
    }
}

/// [`check_timer`] of a whole number of milliseconds (a Rust caller's `u32`).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub fn check_whole_timer(name: &str, ms: u32, least: u32) -> Result<(), String> {
    check_timer(name, Some(f64::from(ms)), least, &ms.to_string()).map(drop)
}

/// [`check_retries`] of a Rust caller's `u32`.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub fn check_whole_retries(name: &str, n: u32) -> Result<(), String> {
    check_retries(name, Some(f64::from(n)), &n.to_string()).map(drop)
}

/// The path of an absolute URL, from the first `/` after `scheme://` (`/v2/session/x` of
/// `https://host/v2/session/x`); `None` when it has none. Found a byte at a time: a `&str`
/// pattern links core's substring searcher, and slicing by index its panics.
pub fn url_path(url: &str) -> Option<&str> {
    let host_at = (url.as_bytes().windows(3)).position(|w| w == b"://")? + 3;
    let slash = crate::url::find_byte(url.get(host_at..)?, b'/')?;
    url.get(host_at + slash..)
}

/// "`what` is longer than `limit` characters", when it is.
pub fn check_length(what: &str, text: &str, limit: usize) -> Result<(), String> {
    if text.len() > limit {
        return Err(format!("{what} is longer than {limit} characters"));
    }
    Ok(())
}

/// The longest wait a `Retry-After` header may impose before a retry (30 s).
pub const MAX_RETRY_AFTER_MS: u64 = 30_000;
/// The largest integer a JavaScript number holds exactly, 2^53 - 1.
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;
/// The first retry waits about this long; each further one doubles it, up to `MAX_BACKOFF_MS`.
pub const BASE_BACKOFF_MS: u64 = 250;
pub const MAX_BACKOFF_MS: u64 = 8_000;

/// Whether `text` can be a credential in a header (a token, an API key): non-empty printable
/// ASCII without spaces. fetch throws, quoting it, on a header value with a line break;
/// gloo-net's `Headers::set` throws through the module.
pub fn is_credential(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| (0x21..=0x7e).contains(&b))
}

/// A credential the caller gave (a token, an API key), checked: at most `MAX_CREDENTIAL_LEN`
/// characters, and one `is_credential` takes. Refused without quoting it.
pub fn check_credential(name: &str, text: &str) -> Result<(), String> {
    check_length(name, text, MAX_CREDENTIAL_LEN)?;
    if !is_credential(text) {
        return Err(format!(
            "{name} must be non-empty printable ASCII without spaces"
        ));
    }
    Ok(())
}

/// Whether `text` can be a header value: printable ASCII and tabs.
pub fn is_header_value(text: &str) -> bool {
    text.bytes()
        .all(|b| b == b'\t' || (0x20..=0x7e).contains(&b))
}

/// The four Sezzle gateways, by environment and region.
pub fn gateway_base_url(environment: Environment, region: Region) -> &'static str {
    match (environment, region) {
        (Environment::Sandbox, Region::Us) => "https://sandbox.gateway.sezzle.com/v2",
        (Environment::Sandbox, Region::Eu) => "https://sandbox.gateway.eu.sezzle.com/v2",
        (Environment::Production, Region::Us) => "https://gateway.sezzle.com/v2",
        (Environment::Production, Region::Eu) => "https://gateway.eu.sezzle.com/v2",
    }
}

/// A caller's `baseUrl`, checked: absolute `https` (plain `http` only to a loopback host), no
/// user name or password, no query or fragment. Answers it without a trailing `/`.
pub fn check_base_url(text: &str) -> Result<String, String> {
    check_length("baseUrl", text, MAX_BASE_URL_LEN)?;
    let url = WebUrl::parse(text.to_owned()).map_err(|error| {
        let why = match error {
            UrlError::Invalid(why) => why.to_owned(),
            UrlError::Unsafe(why) => why,
        };
        format!("baseUrl must be an absolute https URL such as https://sandbox.gateway.sezzle.com/v2 (plain http only for 127.0.0.1, ::1 or localhost): {why}")
    })?;
    if url.has_userinfo() {
        return Err(
            "baseUrl must not carry a user name or password; pass credentials as options".into(),
        );
    }
    if text.contains(['?', '#']) {
        return Err("baseUrl must not carry a query or fragment".into());
    }
    Ok(text.trim_end_matches('/').to_owned())
}

/// What a 404 from the gateway at `base` (a checked base URL) likely means when its path does
/// not end in `/v2`: Sezzle's paths all start with it, so such a gateway answers 404 to every
/// call. The base URL meant: another version's (`/v1`) replaced, any other path with `/v2`
/// after it.
pub fn missing_version_hint(base: &str) -> Option<String> {
    let path = url_path(base).unwrap_or_default();
    if path.ends_with("/v2") {
        return None;
    }
    let last = path.rsplit('/').next().unwrap_or_default();
    let versioned =
        last.len() > 1 && last.starts_with('v') && last.bytes().skip(1).all(|b| b.is_ascii_digit());
    let meant = match versioned {
        true => format!("{}v2", base.get(..base.len() - last.len())?),
        false => format!("{base}/v2"),
    };
    Some(format!(
        "the base URL's path does not end in /v2: did you mean {meant}?"
    ))
}

/// What a session uuid may hold besides ASCII letters and digits: the rest of URL's
/// unreserved characters, so nothing in it needs escaping. (js/client.generated.js has this
/// rule as a pattern, `SESSION_UUID`, generated from these.)
pub const SESSION_UUID_PUNCTUATION: &[u8] = b"-_.~";

/// Whether `uuid` may go into a request path: letters, digits, `-`, `_`, `.`, `~` (URL
/// unreserved characters, so nothing needs escaping), not `.` or `..` and at most 128 long.
pub fn check_session_uuid(uuid: &str) -> Result<(), String> {
    if uuid.is_empty() {
        return Err("sessionUuid must not be empty".into());
    }
    check_length("sessionUuid", uuid, MAX_SESSION_UUID_LEN)?;
    let allowed = |b: &u8| b.is_ascii_alphanumeric() || SESSION_UUID_PUNCTUATION.contains(b);
    if let Some(at) = uuid.bytes().position(|b| !allowed(&b)) {
        let bad = uuid
            .get(at..)
            .and_then(|rest| rest.chars().next())
            .unwrap_or_default();
        return Err(format!(
            "sessionUuid may hold only letters, digits, '-', '_', '.' and '~'; it holds {}",
            super::text::quoted_char(bad)
        ));
    }
    if uuid.as_bytes().windows(2).any(|w| w == b"..") || uuid == "." {
        return Err("sessionUuid must not contain '..' or be '.'".into());
    }
    Ok(())
}

/// `{base}/session/{uuid}`, after checking the uuid; `base` is what `check_base_url` gave
/// (a client checks its base once, when it is made, not once per request).
pub fn session_url(base: &str, uuid: &str) -> Result<String, String> {
    check_session_uuid(uuid)?;
    Ok(format!("{base}/session/{uuid}"))
}

/// `{base}/authentication`.
pub fn authentication_url(base: &str) -> Result<String, String> {
    Ok(format!("{}/authentication", check_base_url(base)?))
}

/// One entry of Sezzle's error body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(TS))]
pub struct ApiError {
    /// Sezzle's error code, e.g. `"unauthorized"`.
    pub code: Option<String>,
    /// The request field the error is about.
    pub location: Option<String>,
    /// What went wrong, in Sezzle's words.
    pub message: Option<String>,
    /// Quote it to Sezzle's support.
    pub debug_uuid: Option<String>,
}

/// What a failed answer's body held, as the client's JS read it (src/client/attempt.js,
/// `apiErrors`, with the platform's `JSON.parse`: the module carries no JSON reader for it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorBody {
    /// No byte (or none that could be read).
    Empty,
    /// Sezzle's error objects: the body was an array of them, or one.
    Sezzle(Vec<ApiError>),
    /// Anything else: an HTML page from a proxy, JSON of another shape, not UTF-8.
    Other,
}

/// What a non-2xx answer means, for the caller's `SezzleError` of kind `http`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HttpFailure {
    pub message: String,
    pub status: u16,
    pub api_errors: Option<Vec<ApiError>>,
    pub debug_uuid: Option<String>,
    pub retry_after_ms: Option<u64>,
    pub retryable: bool,
}

/// Whether a `GET` that answered `status` may be repeated.
pub fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 500 | 502 | 503 | 504)
}

fn reason(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        409 => "Conflict",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

/// Reads a non-2xx answer: Sezzle's errors if the body held them, `Retry-After`, and a
/// message an operator can act on, e.g. `GET /v2/session/x: HTTP 404 Not Found: Session not
/// found (not_found at session_uuid, debug_uuid 919f...)`. A 3xx status, or 0 (a redirect
/// whose status is hidden), is a redirect to `location_host` when that is known.
pub fn http_failure(
    what: &str,
    status: u16,
    body: ErrorBody,
    retry_after: Option<&str>,
    location_host: Option<&str>,
    now_ms: f64,
) -> HttpFailure {
    if status == 0 || (300..400).contains(&status) {
        return redirect_failure(what, status, location_host);
    }
    let (errors, empty) = match body {
        ErrorBody::Sezzle(errors) => (Some(errors), false),
        ErrorBody::Empty => (None, true),
        ErrorBody::Other => (None, false),
    };
    let debug_uuid = errors
        .as_ref()
        .and_then(|e| e.iter().find_map(|e| e.debug_uuid.clone()));
    let mut message = format!("{what}: HTTP {status}");
    let phrase = reason(status);
    if !phrase.is_empty() {
        message.push(' ');
        message.push_str(phrase);
    }
    match &errors {
        Some(errors) => {
            for (i, e) in errors.iter().enumerate() {
                message.push_str(if i == 0 { ": " } else { "; " });
                message.push_str(e.message.as_deref().unwrap_or("(no message)"));
                let mut about = Vec::new();
                match (&e.code, &e.location) {
                    (Some(code), Some(at)) => about.push(format!("{code} at {at}")),
                    (Some(code), None) => about.push(code.clone()),
                    (None, Some(at)) => about.push(format!("at {at}")),
                    (None, None) => {}
                }
                if let Some(id) = &e.debug_uuid {
                    about.push(format!("debug_uuid {id}"));
                }
                if !about.is_empty() {
                    message.push_str(&format!(" ({})", about.join(", ")));
                }
            }
        }
        None if empty => message.push_str(" (empty body)"),
        None => message.push_str(" (the body is not Sezzle's error JSON)"),
    }
    let retry_after_ms = retry_after.and_then(|v| retry_after_ms(v, now_ms));
    if let Some(ms) = retry_after_ms {
        message.push_str(&format!("; Retry-After {} s", ms.div_ceil(1000)));
    }
    HttpFailure {
        message,
        status,
        api_errors: errors,
        debug_uuid,
        retry_after_ms,
        retryable: is_retryable_status(status),
    }
}

/// A redirect, refused and never retried. Sezzle's gateway does not redirect these calls,
/// and following one would send the keys or the token wherever it points (a 307 or 308
/// repeats the POST body with the keys). Its body is not read: it is not the gateway's.
/// Status 0 stands for a redirect whose status is hidden: a browser's opaque redirect, or a
/// fetch that followed one although told not to.
fn redirect_failure(what: &str, status: u16, location_host: Option<&str>) -> HttpFailure {
    let mut message = format!("{what}: ");
    if status == 0 {
        message.push_str("a redirect");
    } else {
        message.push_str(&format!("HTTP {status}"));
        let phrase = reason(status);
        if !phrase.is_empty() {
            message.push(' ');
            message.push_str(phrase);
        }
    }
    if let Some(host) = location_host.filter(|h| !h.is_empty()) {
        message.push_str(&format!(" to {}", shortened(host, super::text::HOST_CUT)));
    }
    message.push_str("; redirects are refused, not followed");
    HttpFailure {
        message,
        status,
        api_errors: None,
        debug_uuid: None,
        retry_after_ms: None,
        retryable: false,
    }
}

/// A `Retry-After` value in milliseconds from `now_ms`: delta-seconds (`120`) or an HTTP date
/// (`Wed, 21 Oct 2015 07:28:00 GMT`). A date in the past means 0; anything else, `None`.
pub fn retry_after_ms(value: &str, now_ms: f64) -> Option<u64> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Saturates on absurd lengths rather than overflowing.
        let seconds = value.parse::<u64>().unwrap_or(u64::MAX);
        // At most 2^53 - 1, the largest integer a JS number holds exactly.
        return Some(seconds.saturating_mul(1000).min(MAX_SAFE_INTEGER));
    }
    let at = http_date_ms(value)?;
    let wait = at as f64 - now_ms;
    Some(if wait > 0.0 { wait as u64 } else { 0 })
}

/// An IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`, the form RFC 9110 requires senders to
/// use), as milliseconds since the epoch.
fn http_date_ms(value: &str) -> Option<i64> {
    let b = value.as_bytes();
    if b.len() != 29 || &b[3..5] != b", " || !value.ends_with(" GMT") {
        return None;
    }
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    DAYS.iter().position(|d| value.get(0..3) == Some(*d))?;
    let num = |range: std::ops::Range<usize>| -> Option<u32> {
        let s = value.get(range)?;
        s.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| s.parse().ok())?
    };
    let day = num(5..7)?;
    let month = MONTHS.iter().position(|m| value.get(8..11) == Some(*m))? as u32 + 1;
    let year = num(12..16)?;
    let (hour, minute, second) = (num(17..19)?, num(20..22)?, num(23..25)?);
    let separators = [(7, b' '), (11, b' '), (16, b' '), (19, b':'), (22, b':')];
    if separators.iter().any(|&(i, c)| b[i] != c)
        || day == 0
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let seconds =
        days_from_civil(year, month, day) * 86_400 + i64::from(hour * 3600 + minute * 60 + second);
    Some(seconds * 1000)
}

/// How long to wait before retry number `retry` (0 for the first): exponential backoff with
/// jitter (between half and all of `BASE_BACKOFF_MS * 2^retry`, at most `MAX_BACKOFF_MS`),
/// or exactly the gateway's `Retry-After` when it gave one, capped at `MAX_RETRY_AFTER_MS`.
/// `random` is a number in [0, 1).
pub fn backoff_ms(retry: u32, retry_after_ms: Option<u64>, random: f64) -> u64 {
    let ceiling = BASE_BACKOFF_MS
        .saturating_mul(1u64 << retry.min(20))
        .min(MAX_BACKOFF_MS);
    let random = if random.is_finite() {
        random.clamp(0.0, 1.0)
    } else {
        0.5
    };
    let jittered = ceiling / 2 + ((ceiling / 2) as f64 * random) as u64;
    retry_after_ms.map_or(jittered, |asked| asked.min(MAX_RETRY_AFTER_MS))
}

/// What went wrong with an attempt, as far as repeating it is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failed {
    /// No answer within the attempt's time.
    TimedOut,
    /// The connection failed; `not_sent` when the request surely never left this machine (a
    /// refused connection, an unknown host).
    Network { not_sent: bool },
    /// An answer of a status that is neither 2xx nor a redirect, and the wait its
    /// `Retry-After` asked for.
    Status {
        status: u16,
        retry_after_ms: Option<u64>,
    },
    /// Anything else (the caller's abort, a redirect, an answer that cannot be read): never
    /// repeated.
    Final,
}

/// The retry rule: after how many milliseconds a request that `failed` on retry number
/// `retry` (0 for the first attempt) of at most `retries` is repeated, or `None` when it is
/// not. A `GET` (`safe`) is repeated after a timeout, a network failure or a 429 and 5xx
/// status (after its `Retry-After` when it gave one); a `POST` the gateway may have acted on
/// only after a failure that surely never left this machine. `random`, in [0, 1), jitters the
/// backoff ([`backoff_ms`]).
pub fn retry_wait(
    failed: Failed,
    safe: bool,
    retry: u32,
    retries: u32,
    random: f64,
) -> Option<u64> {
    if retry >= retries {
        return None;
    }
    let asked = match failed {
        Failed::TimedOut if safe => None,
        Failed::Network { not_sent } if safe || not_sent => None,
        Failed::Status {
            status,
            retry_after_ms,
        } if safe && is_retryable_status(status) => retry_after_ms,
        _ => return None,
    };
    Some(backoff_ms(retry, asked, random))
}

/// What `POST /v2/authentication` answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(TS))]
#[serde(rename_all = "camelCase")]
pub struct Authentication {
    /// The bearer token for the gateway's other calls.
    pub token: String,
    /// RFC 3339, nanoseconds included, as Sezzle sends it.
    #[serde(rename = "expiration_date")]
    pub expiration_date: String,
    /// The merchant the keys belong to.
    #[serde(rename = "merchant_uuid")]
    pub merchant_uuid: Option<String>,
    /// `expiration_date` in milliseconds since the epoch, for the client's renewal; the
    /// package's `authenticate()` leaves it out.
    #[cfg_attr(test, ts(skip))]
    pub expires_at_ms: i64,
}

/// Reads an authentication answer. The message of an error never holds the body (it holds a
/// token when it is nearly right).
pub fn parse_authentication(body: &[u8]) -> Result<Authentication, String> {
    let value = match read_flat(body) {
        Some(Flat::Object(members)) => members,
        Some(_) => return Err("the authentication answer is not a JSON object".to_owned()),
        None => return Err("the authentication answer is not JSON".to_owned()),
    };
    let field = |key: &str| value.get(key);
    let token = field("token")
        .filter(|t| !t.is_empty())
        .ok_or("the authentication answer has no token")?;
    // It goes into an Authorization header: a value fetch would refuse (a line break, a
    // space, a non-ASCII character) is refused here, without quoting it.
    if !is_credential(token) {
        return Err(
            "the authentication answer's token is not printable ASCII without spaces".to_owned(),
        );
    }
    let expiration =
        field("expiration_date").ok_or("the authentication answer has no expiration_date")?;
    let expiration = DateTime::parse(expiration).map_err(|e| {
        let why = e.reason();
        format!(
            "the authentication answer's expiration_date {}",
            why.strip_prefix("expected ").unwrap_or(why)
        )
    })?;
    Ok(Authentication {
        token: token.to_owned(),
        expires_at_ms: expiration.epoch_ms(),
        expiration_date: expiration.as_str().to_owned(),
        merchant_uuid: field("merchant_uuid").map(str::to_owned),
    })
}

fn quoted(text: &str) -> String {
    super::text::quoted(&shortened(text, super::text::QUOTED_CUT))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timers_and_retries_are_checked_by_one_rule_named_for_each_surface() {
        assert_eq!(check_timer("timeout_ms", Some(1.0), 1, "1"), Ok(1));
        assert_eq!(check_timer("t", Some(2_500.7), 1, "2500.7"), Ok(2_500));
        assert_eq!(check_timer("t", Some(0.0), 0, "0"), Ok(0));
        let max = f64::from(MAX_TIMER_MS);
        assert_eq!(check_timer("t", Some(max), 1, "x"), Ok(MAX_TIMER_MS));
        for bad in [
            Some(0.0),
            Some(0.5),
            Some(max + 1.0),
            Some(f64::NAN),
            Some(-1.0),
            None,
        ] {
            let why = check_timer(JS_NAMES.timeout_ms, bad, 1, "it").unwrap_err();
            assert_eq!(
                why,
                format!("options.timeoutMs must be a number of milliseconds from 1 to {MAX_TIMER_MS}, got it")
            );
        }
        assert_eq!(check_retries("retries", Some(0.0), "0"), Ok(0));
        assert_eq!(check_retries("retries", Some(10.0), "10"), Ok(MAX_RETRIES));
        for bad in [Some(11.0), Some(1.5), Some(-1.0), Some(f64::INFINITY), None] {
            assert_eq!(
                check_retries(RUST_NAMES.retries, bad, "v").unwrap_err(),
                "retries must be an integer from 0 to 10, got v"
            );
        }
    }

    #[test]
    fn a_urls_path_starts_at_the_first_slash_after_its_host() {
        assert_eq!(
            url_path("https://h.example/v2/session/x"),
            Some("/v2/session/x")
        );
        assert_eq!(url_path("http://127.0.0.1:8787/"), Some("/"));
        assert_eq!(url_path("http://127.0.0.1:8787"), None);
        assert_eq!(url_path("/v2/session/x"), None);
        assert_eq!(
            check_whole_timer("t", 0, 1).unwrap_err(),
            format!("t must be a number of milliseconds from 1 to {MAX_TIMER_MS}, got 0")
        );
        assert_eq!(
            check_whole_retries("r", 11).unwrap_err(),
            "r must be an integer from 0 to 10, got 11"
        );
    }

    #[test]
    fn a_base_url_without_its_version_gets_the_one_meant() {
        let hint = |base: &str| missing_version_hint(base);
        let meant = |url: &str| {
            Some(format!(
                "the base URL's path does not end in /v2: did you mean {url}?"
            ))
        };
        assert_eq!(
            hint("http://127.0.0.1:8787"),
            meant("http://127.0.0.1:8787/v2")
        );
        assert_eq!(
            hint("http://127.0.0.1:8787/v1"),
            meant("http://127.0.0.1:8787/v2")
        );
        assert_eq!(
            hint("https://gw.example/api"),
            meant("https://gw.example/api/v2")
        );
        assert_eq!(
            hint("https://gw.example/api/v10"),
            meant("https://gw.example/api/v2")
        );
        assert_eq!(
            hint("https://gw.example/v"),
            meant("https://gw.example/v/v2")
        );
        assert_eq!(hint("https://sandbox.gateway.sezzle.com/v2"), None);
        assert_eq!(hint("http://127.0.0.1:8787/mock/v2"), None);
    }

    #[test]
    fn gateways_by_environment_and_region() {
        let gateway = |e: &str, r: &str| gateway_base_url(e.parse().unwrap(), r.parse().unwrap());
        assert_eq!(
            gateway("sandbox", "us"),
            "https://sandbox.gateway.sezzle.com/v2"
        );
        assert_eq!(
            gateway("production", "eu"),
            "https://gateway.eu.sezzle.com/v2"
        );
        for e in [Environment::Sandbox, Environment::Production] {
            assert_eq!(e.as_str().parse::<Environment>(), Ok(e));
        }
        for r in [Region::Us, Region::Eu] {
            assert_eq!(r.to_string().parse::<Region>(), Ok(r));
        }
        let bad = "staging".parse::<Environment>().unwrap_err();
        assert_eq!(
            bad.reason(),
            "must be \"sandbox\" or \"production\", got \"staging\""
        );
        let bad = "ca".parse::<Region>().unwrap_err();
        assert_eq!(bad.reason(), "must be \"us\" or \"eu\", got \"ca\"");
    }

    #[test]
    fn base_urls_are_https_or_loopback_http_without_credentials() {
        assert_eq!(
            check_base_url("http://127.0.0.1:8787/v2/").unwrap(),
            "http://127.0.0.1:8787/v2"
        );
        assert_eq!(
            check_base_url("https://sandbox.gateway.sezzle.com/v2").unwrap(),
            "https://sandbox.gateway.sezzle.com/v2"
        );
        for bad in [
            "http://gateway.sezzle.com/v2",
            "gateway.sezzle.com/v2",
            "/v2",
            "https://user:pw@gateway.sezzle.com/v2",
            "https://gateway.sezzle.com/v2?x=1",
            "javascript:alert(1)",
            "",
        ] {
            assert!(check_base_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn base_urls_and_credentials_are_held_to_their_limits() {
        let at = |n: usize| format!("https://gateway.sezzle.com/v2/{}", "a".repeat(n - 30));
        assert!(check_base_url(&at(MAX_BASE_URL_LEN)).is_ok());
        assert_eq!(
            check_base_url(&at(MAX_BASE_URL_LEN + 1)).unwrap_err(),
            "baseUrl is longer than 2048 characters"
        );
        assert!(check_credential("token", &"t".repeat(MAX_CREDENTIAL_LEN)).is_ok());
        assert_eq!(
            check_credential("token", &"t".repeat(MAX_CREDENTIAL_LEN + 1)).unwrap_err(),
            "token is longer than 4096 characters"
        );
        assert_eq!(
            check_credential("private_key", "a b").unwrap_err(),
            "private_key must be non-empty printable ASCII without spaces"
        );
    }

    #[test]
    fn session_uuids_are_unreserved_characters_only() {
        assert_eq!(
            session_url(
                "http://127.0.0.1:1/v2",
                "fadbc642-05a4-4e38-9e74-80e325623af9"
            )
            .unwrap(),
            "http://127.0.0.1:1/v2/session/fadbc642-05a4-4e38-9e74-80e325623af9"
        );
        assert!(check_session_uuid("a.b_c~d-E9").is_ok());
        for bad in [
            "",
            "..",
            ".",
            "a/b",
            "a..b",
            "a b",
            "a?b",
            "a%2F",
            "é",
            &"a".repeat(129),
        ] {
            assert!(check_session_uuid(bad).is_err(), "{bad}");
        }
        assert!(check_session_uuid(&"a".repeat(128)).is_ok());
    }

    #[test]
    fn sezzle_error_bodies_become_api_errors_and_a_message() {
        let error = |code: &str,
                     location: Option<&str>,
                     message: Option<&str>,
                     id: Option<&str>| ApiError {
            code: Some(code.to_owned()),
            location: location.map(str::to_owned),
            message: message.map(str::to_owned),
            debug_uuid: id.map(str::to_owned),
        };
        let body = ErrorBody::Sezzle(vec![error(
            "not_found",
            Some("session_uuid"),
            Some("Session not found"),
            Some("d-1"),
        )]);
        let failure = http_failure("GET /v2/session/x", 404, body, None, None, 0.0);
        assert_eq!(failure.debug_uuid.as_deref(), Some("d-1"));
        assert_eq!(
            failure.message,
            "GET /v2/session/x: HTTP 404 Not Found: Session not found (not_found at session_uuid, debug_uuid d-1)"
        );
        assert!(!failure.retryable);
        let html = http_failure("GET x", 502, ErrorBody::Other, Some("2"), None, 0.0);
        assert_eq!(html.api_errors, None);
        assert_eq!(html.retry_after_ms, Some(2000));
        assert!(html.retryable);
        assert!(
            html.message.contains("not Sezzle's error JSON"),
            "{}",
            html.message
        );
        let empty = http_failure("GET x", 500, ErrorBody::Empty, None, None, 0.0);
        assert_eq!(
            empty.message,
            "GET x: HTTP 500 Internal Server Error (empty body)"
        );
        let two = ErrorBody::Sezzle(vec![
            error("a", None, None, None),
            error("b", Some("x"), Some("no"), Some("d-2")),
        ]);
        let two = http_failure("GET x", 400, two, None, None, 0.0);
        assert_eq!(
            two.message,
            "GET x: HTTP 400 Bad Request: (no message) (a); no (b at x, debug_uuid d-2)"
        );
        assert_eq!(two.debug_uuid.as_deref(), Some("d-2"));
    }

    #[test]
    fn redirects_are_final_and_name_where_they_point() {
        let body = ErrorBody::Sezzle(vec![ApiError {
            code: Some("moved".into()),
            location: None,
            message: Some("elsewhere".into()),
            debug_uuid: Some("d".into()),
        }]);
        let moved = http_failure(
            "POST /v2/authentication",
            307,
            body,
            Some("1"),
            Some("evil.example:8443"),
            0.0,
        );
        assert_eq!(
            moved.message,
            "POST /v2/authentication: HTTP 307 Temporary Redirect to evil.example:8443; redirects are refused, not followed"
        );
        assert!(!moved.retryable);
        assert_eq!((moved.api_errors, moved.retry_after_ms), (None, None));
        let hidden = http_failure("GET x", 0, ErrorBody::Empty, None, None, 0.0);
        assert_eq!(
            hidden.message,
            "GET x: a redirect; redirects are refused, not followed"
        );
        assert_eq!(hidden.status, 0);
        let long = http_failure(
            "GET x",
            399,
            ErrorBody::Empty,
            None,
            Some(&"a".repeat(300)),
            0.0,
        );
        assert!(long
            .message
            .contains(&format!("HTTP 399 to {}\u{2026};", "a".repeat(100))));
        assert!(!http_failure("GET x", 302, ErrorBody::Empty, None, None, 0.0).retryable);
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now = 1_445_412_480_000.0; // Wed, 21 Oct 2015 07:28:00 GMT
        assert_eq!(retry_after_ms("120", now), Some(120_000));
        assert_eq!(retry_after_ms(" 0 ", now), Some(0));
        assert_eq!(
            retry_after_ms("Wed, 21 Oct 2015 07:28:05 GMT", now),
            Some(5000)
        );
        assert_eq!(
            retry_after_ms("Wed, 21 Oct 2015 07:27:00 GMT", now),
            Some(0)
        );
        // Held to what a JS number holds exactly (a larger one would not cross to JS).
        assert_eq!(
            retry_after_ms("99999999999999999999999", now),
            Some(MAX_SAFE_INTEGER)
        );
        assert_eq!(
            retry_after_ms("99999999999999999", now),
            Some(MAX_SAFE_INTEGER)
        );
        for bad in [
            "",
            "-1",
            "1.5",
            "soon",
            "Wed, 21 Oct 2015 07:28:05 UTC",
            "Wed, 31 Feb 2015 07:28:05 GMT",
        ] {
            assert_eq!(retry_after_ms(bad, now), None, "{bad}");
        }
    }

    #[test]
    fn the_retry_rule_repeats_a_get_after_a_passing_failure_and_a_post_only_when_unsent() {
        use Failed::*;
        let status = |status, retry_after_ms| Status {
            status,
            retry_after_ms,
        };
        let sent = Network { not_sent: false };
        let unsent = Network { not_sent: true };
        // A GET: timeouts, network failures and 429/5xx, with backoff or Retry-After.
        for failed in [TimedOut, sent, unsent, status(429, None), status(503, None)] {
            assert_eq!(retry_wait(failed, true, 0, 2, 0.0), Some(125), "{failed:?}");
        }
        assert_eq!(
            retry_wait(status(429, Some(3000)), true, 1, 2, 0.0),
            Some(3000)
        );
        assert_eq!(retry_wait(TimedOut, true, 1, 2, 0.0), Some(250));
        // Not a status that passes, nor what never will.
        for failed in [
            status(400, None),
            status(401, None),
            status(404, Some(1)),
            Final,
        ] {
            assert_eq!(retry_wait(failed, true, 0, 2, 0.0), None, "{failed:?}");
        }
        // No retry left.
        assert_eq!(retry_wait(TimedOut, true, 2, 2, 0.0), None);
        assert_eq!(retry_wait(unsent, false, 0, 0, 0.0), None);
        // A POST: only what never left this machine.
        assert_eq!(retry_wait(unsent, false, 0, 2, 0.0), Some(125));
        for failed in [TimedOut, sent, status(503, None), Final] {
            assert_eq!(retry_wait(failed, false, 0, 2, 0.0), None, "{failed:?}");
        }
    }

    #[test]
    fn backoff_doubles_with_jitter_and_caps_retry_after() {
        assert_eq!(backoff_ms(0, None, 0.0), 125);
        assert_eq!(backoff_ms(0, None, 0.999), 249);
        assert_eq!(backoff_ms(2, None, 0.0), 500);
        assert_eq!(backoff_ms(30, None, 1.0), MAX_BACKOFF_MS);
        assert_eq!(backoff_ms(0, Some(3000), 0.5), 3000);
        assert_eq!(backoff_ms(0, Some(0), 0.5), 0);
        assert_eq!(backoff_ms(0, Some(10_000_000), 0.5), MAX_RETRY_AFTER_MS);
        assert_eq!(backoff_ms(0, None, f64::NAN), 187);
    }

    #[test]
    fn authentication_answers_carry_a_token_and_its_expiry() {
        let auth = parse_authentication(
            br#"{"token":"t1","expiration_date":"2017-01-01T01:30:25.388940303Z","merchant_uuid":"m"}"#,
        )
        .unwrap();
        assert_eq!(auth.token, "t1");
        assert_eq!(auth.expires_at_ms, 1_483_234_225_388);
        let secret = br#"{"token":"sekrit","expiration_date":"tomorrow"}"#;
        let error = parse_authentication(secret).unwrap_err();
        assert!(!error.contains("sekrit"), "{error}");
        assert!(parse_authentication(b"<html>").is_err());
        assert_eq!(
            parse_authentication(b"<html>").unwrap_err(),
            "the authentication answer is not JSON"
        );
        for not_an_object in [&br#"[{"token":"t1"}]"#[..], br#""t1""#, b"null"] {
            assert_eq!(
                parse_authentication(not_an_object).unwrap_err(),
                "the authentication answer is not a JSON object"
            );
        }
        assert!(
            parse_authentication(br#"{"token":"","expiration_date":"2017-01-01T00:00:00Z"}"#)
                .is_err()
        );
        // A token no Authorization header can carry, refused without being quoted.
        for token in [r"zq\n1", "zq 1", "zqé"] {
            let body = format!(r#"{{"token":"{token}","expiration_date":"2017-01-01T00:00:00Z"}}"#);
            let error = parse_authentication(body.as_bytes()).unwrap_err();
            assert!(error.contains("not printable ASCII"), "{token}: {error}");
            assert!(!error.contains("zq"), "{error}");
        }
    }
}
