//! The URL rule every `href`, `checkout_url` and `approval_url` must pass.
//!
//! Deliberately a strict subset of what browsers accept, written here rather than taken from
//! the `url` crate: a URL passes only if every character is printable ASCII with no backslash,
//! so a browser, Node's `URL` and this parser cannot disagree about which host it names (the
//! usual trick behind look-alike links), and the module carries no IDNA tables.

use serde::{Serialize, Serializer};
use std::fmt;
#[cfg(test)]
use ts_rs::TS;

/// Why a string is not an acceptable URL; `Unsafe` reasons become `unsafe_url`, the others
/// `invalid_url`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlError {
    Invalid(&'static str),
    Unsafe(String),
}

/// A URL that passed the rule: `https` with a host, or `http` to a loopback host.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(TS), ts(type = "string"))]
pub struct WebUrl {
    text: String,
    host: (usize, usize),
    port: Option<u16>,
    has_userinfo: bool,
    https: bool,
}

impl WebUrl {
    /// The URL, when `text` passes the rule. Hidden from the docs, as are `check` and
    /// `check_printable`: the parser's own, public for the fuzz target.
    #[doc(hidden)]
    pub fn parse(text: String) -> Result<WebUrl, UrlError> {
        let parts = split(&text)?;
        let host = (
            parts.host.as_ptr() as usize - text.as_ptr() as usize,
            parts.host.len(),
        );
        Ok(WebUrl {
            host,
            port: parts.port,
            has_userinfo: parts.has_userinfo,
            https: parts.https,
            text,
        })
    }

    /// Whether `text` passes the rule, without keeping it.
    #[doc(hidden)]
    pub fn check(text: &str) -> bool {
        quick_https(text.as_bytes(), false).unwrap_or_else(|| split(text).is_ok())
    }

    /// `check` of bytes the caller already knows to be printable ASCII without a backslash.
    #[doc(hidden)]
    pub fn check_printable(text: &[u8]) -> bool {
        quick_https(text, true)
            .unwrap_or_else(|| std::str::from_utf8(text).is_ok_and(|t| split(t).is_ok()))
    }

    /// The URL as Sezzle sent it.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The host as written (IPv6 hosts keep their brackets).
    pub fn host(&self) -> &str {
        self.text
            .get(self.host.0..self.host.0 + self.host.1)
            .unwrap_or("")
    }

    /// The port, when the URL names one.
    pub fn port(&self) -> Option<u16> {
        self.port
    }

    /// Whether the URL carries a user name or password (`https://user@host/`).
    pub fn has_userinfo(&self) -> bool {
        self.has_userinfo
    }

    /// Whether the scheme is `https` (else it is `http` to a loopback host).
    pub fn is_https(&self) -> bool {
        self.https
    }
}

impl fmt::Display for WebUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for WebUrl {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

struct Parts<'a> {
    host: &'a str,
    port: Option<u16>,
    has_userinfo: bool,
    https: bool,
}

/// The usual URL decided in one pass, as `split` would decide it: `https://`, a domain of
/// letters, digits, dots and hyphens, then printable ASCII without a backslash. `None` for
/// anything else (a port, a user name, an IPv6 host, another scheme): `split` decides.
fn quick_https(text: &[u8], printable: bool) -> Option<bool> {
    // (Compared as one word: a slice comparison is a call to `memcmp` in wasm.)
    let scheme = text.get(..8)?;
    if u64::from_le_bytes(scheme.try_into().ok()?) != u64::from_le_bytes(*b"https://") {
        return None;
    }
    let rest = &text[8..];
    let (end, bad) = host_at_once(rest).or_else(|| host_by_bytes(rest))?;
    let tail = &rest[end..];
    Some(
        !bad && (printable
            || tail
                .iter()
                .all(|&b| (0x21..=0x7e).contains(&b) && b != b'\\')),
    )
}

/// Where the host at the start of `rest` ends (at `/`, `?`, `#` or the end) and whether it
/// breaks `is_domain`'s rules, in one pass; `None` at any byte that is not a letter, digit,
/// dot or hyphen (a port, a user name: `split` decides).
fn host_by_bytes(rest: &[u8]) -> Option<(usize, bool)> {
    // Letters and digits, the usual byte, are counted first.
    let (mut label, mut previous, mut bad) = (0, b'.', false);
    let mut end = rest.len();
    for (i, &b) in rest.iter().enumerate() {
        if b.is_ascii_alphanumeric() {
            label += 1;
            previous = b;
            continue;
        }
        match b {
            b'/' | b'?' | b'#' => {
                end = i;
                break;
            }
            b'.' => {
                bad |= label == 0 || label > 63 || previous == b'-';
                label = 0;
            }
            b'-' => {
                bad |= label == 0;
                label += 1;
            }
            _ => return None,
        }
        previous = b;
    }
    bad |= end == 0 || end > 253 || label == 0 || label > 63 || previous == b'-';
    Some((end, bad))
}

/// `host_by_bytes` for a host shorter than 32 bytes followed by `/`, `?` or `#` (the usual
/// URL), 32 bytes at once: the bytes of each kind as bit masks, and the rules on the masks
/// (a label starts at 0 and after each dot; none may be empty or start or end with a hyphen).
/// `None` for any other: `host_by_bytes` reads it.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn host_at_once(rest: &[u8]) -> Option<(usize, bool)> {
    use core::arch::wasm32::{
        u64x2, u8x16_bitmask, u8x16_eq, u8x16_lt, u8x16_splat, u8x16_sub, v128, v128_or,
    };
    let chunk = rest.get(..32)?;
    let word = |i: usize| u64::from_le_bytes(chunk[i..i + 8].try_into().unwrap_or_default());
    let kinds = |v: v128| {
        let lower = v128_or(v, u8x16_splat(0x20));
        let letter = u8x16_lt(u8x16_sub(lower, u8x16_splat(b'a')), u8x16_splat(26));
        let digit = u8x16_lt(u8x16_sub(v, u8x16_splat(b'0')), u8x16_splat(10));
        let dot = u8x16_eq(v, u8x16_splat(b'.'));
        let hyphen = u8x16_eq(v, u8x16_splat(b'-'));
        let host = v128_or(v128_or(letter, digit), v128_or(dot, hyphen));
        let mask = |v: v128| u32::from(u8x16_bitmask(v));
        (mask(host), mask(dot), mask(hyphen))
    };
    let (host0, dots0, hyphens0) = kinds(u64x2(word(0), word(8)));
    let (host1, dots1, hyphens1) = kinds(u64x2(word(16), word(24)));
    let end = (!(host0 | host1 << 16)).trailing_zeros() as usize;
    if !matches!(chunk.get(end), Some(b'/' | b'?' | b'#')) {
        return None;
    }
    // (end < 32 here.)
    let within = (1u32 << end) - 1;
    let dots = (dots0 | dots1 << 16) & within;
    let hyphens = (hyphens0 | hyphens1 << 16) & within;
    let starts = 1 | dots << 1;
    let last = 1u32 << end;
    let bad = starts & (dots | hyphens | last) != 0 || hyphens << 1 & (dots | last) != 0;
    Some((end, bad))
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn host_at_once(_rest: &[u8]) -> Option<(usize, bool)> {
    None
}

/// Whether the two host scans agree on `rest` (the wasm tests hold them to it).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub fn host_scans_agree(rest: &[u8]) -> bool {
    host_at_once(rest).is_none_or(|at_once| Some(at_once) == host_by_bytes(rest))
}

const LOOPBACK_HOSTS: [&str; 3] = ["127.0.0.1", "localhost", "[::1]"];

fn split(text: &str) -> Result<Parts<'_>, UrlError> {
    if text.is_empty() {
        return Err(UrlError::Invalid("is empty"));
    }
    if let Some(bad) = text
        .bytes()
        .find(|b| !(0x21..=0x7e).contains(b) || *b == b'\\')
    {
        return Err(UrlError::Invalid(match bad {
            b'\\' => "contains a backslash",
            b' ' | b'\t' | b'\n' | b'\r' => "contains whitespace",
            0..=0x1f | 0x7f => "contains a control character",
            _ => "contains a character that must be percent-encoded",
        }));
    }
    let colon = find_byte(text, b':').ok_or(UrlError::Invalid("is not an absolute URL"))?;
    // (Slices by `get`: `text` is ASCII, so every index is a char boundary, and a `&text[..]`
    // would link core's panic message for one that is not, some 4 KB of the module.)
    let scheme = text.get(..colon).unwrap_or_default();
    let scheme_ok = scheme
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic())
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    if !scheme_ok {
        return Err(UrlError::Invalid("is not an absolute URL"));
    }
    let https = scheme.eq_ignore_ascii_case("https");
    if !https && !scheme.eq_ignore_ascii_case("http") {
        return Err(UrlError::Unsafe(format!(
            "scheme \"{}:\" is not allowed; only https",
            scheme.to_ascii_lowercase()
        )));
    }
    let rest = text
        .get(colon + 1..)
        .unwrap_or_default()
        .strip_prefix("//")
        .ok_or(UrlError::Invalid(
            "has no host (expected \"//\" after the scheme)",
        ))?;
    let end = (rest.bytes()).position(|b| matches!(b, b'/' | b'?' | b'#'));
    let authority = rest.get(..end.unwrap_or(rest.len())).unwrap_or_default();
    let (has_userinfo, host_port) = match rfind_byte(authority, b'@') {
        Some(at) => (true, authority.get(at + 1..).unwrap_or_default()),
        None => (false, authority),
    };
    let (host, port) = split_host_port(host_port)?;
    if !https && !LOOPBACK_HOSTS.iter().any(|h| h.eq_ignore_ascii_case(host)) {
        return Err(UrlError::Unsafe(
            "plain http is allowed only for loopback hosts (127.0.0.1, localhost, [::1])".into(),
        ));
    }
    Ok(Parts {
        host,
        port,
        has_userinfo,
        https,
    })
}

/// Where the ASCII `byte` first is in `text` (a char boundary: no other character's UTF-8
/// holds an ASCII byte), found a byte at a time: core's char searcher (`str::find` of a
/// `char`) is most of a KB of the parser module, and this is all it was used for.
pub(crate) fn find_byte(text: &str, byte: u8) -> Option<usize> {
    text.bytes().position(|b| b == byte)
}

/// Where the ASCII `byte` last is in `text` (see [`find_byte`]).
pub(crate) fn rfind_byte(text: &str, byte: u8) -> Option<usize> {
    text.bytes().rposition(|b| b == byte)
}

fn split_host_port(host_port: &str) -> Result<(&str, Option<u16>), UrlError> {
    let (host, port_text) = if host_port.starts_with('[') {
        let close =
            find_byte(host_port, b']').ok_or(UrlError::Invalid("has an unclosed IPv6 host"))?;
        let inner = host_port.get(1..close).unwrap_or_default();
        if inner.is_empty()
            || !inner
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
        {
            return Err(UrlError::Invalid("has an invalid IPv6 host"));
        }
        let after = host_port.get(close + 1..).unwrap_or_default();
        let port = match after.strip_prefix(':') {
            Some(port) => Some(port),
            None if after.is_empty() => None,
            None => return Err(UrlError::Invalid("has text after the IPv6 host")),
        };
        (host_port.get(..close + 1).unwrap_or_default(), port)
    } else {
        match find_byte(host_port, b':') {
            Some(at) => (
                host_port.get(..at).unwrap_or_default(),
                host_port.get(at + 1..),
            ),
            None => (host_port, None),
        }
    };
    if host.is_empty() {
        return Err(UrlError::Invalid("has no host"));
    }
    if !host.starts_with('[') && !is_domain(host) {
        return Err(UrlError::Invalid("has an invalid host name"));
    }
    let port = match port_text {
        None => None,
        Some(text) => {
            let valid =
                !text.is_empty() && text.len() <= 5 && text.bytes().all(|b| b.is_ascii_digit());
            match text.parse::<u16>() {
                Ok(port) if valid => Some(port),
                _ => return Err(UrlError::Invalid("has an invalid port")),
            }
        }
    };
    Ok((host, port))
}

/// Letters, digits and hyphens in non-empty dot-separated labels, no leading or trailing
/// hyphen: the only host names Sezzle or a local gateway use.
fn is_domain(host: &str) -> bool {
    // Labels of 1 to 63 letters, digits and hyphens, not starting or ending with a hyphen,
    // joined by dots; at most 253 in all. One pass over the bytes.
    let bytes = host.as_bytes();
    if bytes.is_empty() || bytes.len() > 253 {
        return false;
    }
    let mut label = 0;
    let mut previous = b'.';
    for &b in bytes {
        if b == b'.' {
            if label == 0 || previous == b'-' {
                return false;
            }
            label = 0;
        } else if b.is_ascii_alphanumeric() || (b == b'-' && label > 0) {
            label += 1;
            if label > 63 {
                return false;
            }
        } else {
            return false;
        }
        previous = b;
    }
    label > 0 && previous != b'-'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> WebUrl {
        WebUrl::parse(text.to_owned()).unwrap_or_else(|e| panic!("{text}: {e:?}"))
    }

    fn err(text: &str) -> UrlError {
        WebUrl::parse(text.to_owned()).expect_err(text)
    }

    #[test]
    fn the_quick_check_decides_as_the_full_rule_does() {
        for text in [
            "https://checkout.sezzle.com/?id=1",
            "https://checkout.sezzle.com?id=1",
            "https://gateway.sezzle.com/v2/order/12a34bc5-6de7-890f-g123-4hi1238jk902/release",
            "https://x",
            "https://-x.example/",
            "https://x..example/",
            "https://x.example/a b",
            "https://x.example/a\\b",
            "https://x.example/\u{e9}",
            "https://",
            "https:///path",
            "https://x.example#frag",
        ] {
            if let Some(quick) = quick_https(text.as_bytes(), false) {
                assert_eq!(quick, split(text).is_ok(), "{text}");
            }
        }
        assert_eq!(quick_https(b"https://user@x.example/", false), None);
        assert_eq!(quick_https(b"https://x.example:8443/", false), None);
        for host in [
            "a",
            "a.b",
            "a-b.c",
            "x1.example",
            "a.b.",
            ".a",
            "a..b",
            "-a",
            "a-",
            "a.-b",
            "a-.b",
            "",
            "a_b",
            &"a".repeat(64),
            &"a".repeat(63),
        ] {
            let expected = host.len() <= 253
                && host.split('.').all(|l| {
                    !l.is_empty()
                        && l.len() <= 63
                        && !l.starts_with('-')
                        && !l.ends_with('-')
                        && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                });
            assert_eq!(is_domain(host), expected, "{host}");
        }
    }

    #[test]
    fn accepts_https_urls_with_and_without_slash_before_query() {
        let url = ok("https://checkout.sezzle.com/?id=12a34bc5");
        assert_eq!(url.host(), "checkout.sezzle.com");
        assert!(url.is_https() && !url.has_userinfo() && url.port().is_none());
        assert_eq!(
            ok("https://checkout.eu.sezzle.com?id=1").host(),
            "checkout.eu.sezzle.com"
        );
    }

    #[test]
    fn finds_the_host_after_userinfo_and_before_port() {
        let url = ok("https://user:pw@checkout.sezzle.com:8443/x");
        assert_eq!(url.host(), "checkout.sezzle.com");
        assert_eq!(url.port(), Some(8443));
        assert!(url.has_userinfo());
        assert_eq!(ok("https://a@b@evil.example/").host(), "evil.example");
    }

    #[test]
    fn accepts_plain_http_only_for_loopback() {
        assert_eq!(ok("http://127.0.0.1:8787/v2").host(), "127.0.0.1");
        assert_eq!(ok("http://[::1]:80/").host(), "[::1]");
        assert_eq!(ok("HTTP://LOCALHOST/").host(), "LOCALHOST");
        assert!(matches!(
            err("http://checkout.sezzle.com/"),
            UrlError::Unsafe(_)
        ));
    }

    #[test]
    fn refuses_other_schemes_as_unsafe() {
        for text in [
            "javascript:alert(1)",
            "data:text/html,x",
            "ftp://checkout.sezzle.com/",
        ] {
            assert!(matches!(err(text), UrlError::Unsafe(_)), "{text}");
        }
    }

    #[test]
    fn refuses_malformed_urls_as_invalid() {
        for text in [
            "",
            "checkout.sezzle.com/?id=1",
            "/v2/session",
            "https:checkout.sezzle.com",
            "https://",
            "https:///path",
            "https://checkout.sezzle.com\\@evil.example/",
            "https://check out.sezzle.com/",
            "https://checkout.sezzle.com/\n",
            "https://chéckout.sezzle.com/",
            "https://checkout..sezzle.com/",
            "https://-a.example/",
            "https://a.example:99999/",
            "https://a.example:/",
            "https://a.example:8a/",
            "https://[zz]/",
            "https://[::1/",
            "https://a_b.example/",
            "1https://a.example/",
        ] {
            assert!(matches!(err(text), UrlError::Invalid(_)), "{text:?}");
        }
    }
}
