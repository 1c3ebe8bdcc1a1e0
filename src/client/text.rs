//! How the client writes values into its messages: cut short, quoted. Apart from `error`
//! and `rules`, which both write messages, so that neither imports the other for it.

/// How many characters of a value a message quotes before cutting it short: a name or value
/// of the caller's (an option, a header, a session uuid).
pub(crate) const QUOTED_CUT: usize = 40;
/// The same for a response's content type.
pub(crate) const TYPE_CUT: usize = 80;
/// The same for the host a redirect points at.
pub(crate) const HOST_CUT: usize = 100;
/// The same for what a thrown error says (a network failure's cause chain).
pub(crate) const CAUSE_CUT: usize = 300;
/// Follows a value the client cut short in a message.
pub(crate) const CUT: char = '\u{2026}';

/// The first `max` characters of `text`, followed by [`CUT`] when that is not all of it: the
/// mark tells redaction (`js/redact.js`) where a secret may have been cut, so that its first
/// characters before the mark go too.
pub(crate) fn shortened(text: &str, max: usize) -> String {
    let mut shown: String = text.chars().take(max).collect();
    if shown.len() < text.len() {
        shown.push(CUT);
    }
    shown
}

/// `text` in double quotes, as Rust's `{:?}` writes it for printable text: `"` and `\`
/// escaped, controls as `\u{..}`. Written out: `{:?}` on a `str` links core's Unicode
/// printability tables and slicing panics, some 5 KB of the module.
pub(crate) fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        push_escaped(&mut out, c, '"');
    }
    out.push('"');
    out
}

/// `c` in single quotes, as `{:?}` writes a printable `char`.
pub(crate) fn quoted_char(c: char) -> String {
    let mut out = String::from('\'');
    push_escaped(&mut out, c, '\'');
    out.push('\'');
    out
}

fn push_escaped(out: &mut String, c: char, quote: char) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    match c {
        '\\' => out.push_str("\\\\"),
        '\0' => out.push_str("\\0"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if c == quote => {
            out.push('\\');
            out.push(c);
        }
        c if (c as u32) < 0x20 || c as u32 == 0x7f || (0x80..0xa0).contains(&(c as u32)) => {
            let n = c as u32;
            out.push_str("\\u{");
            if n >= 0x10 {
                out.push(HEX[(n >> 4) as usize] as char);
            }
            out.push(HEX[(n & 0xf) as usize] as char);
            out.push('}');
        }
        c => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `js/redact.js` looks this far back from a cut for a secret's start (its `MAX_CUT`).
    #[test]
    fn redaction_looks_back_as_far_as_the_longest_cut() {
        let longest = [QUOTED_CUT, TYPE_CUT, HOST_CUT, CAUSE_CUT]
            .into_iter()
            .max()
            .unwrap_or(0);
        let source = include_str!("../../js/redact.js");
        let max_cut: usize = source
            .lines()
            .find_map(|line| {
                line.strip_prefix("const MAX_CUT = ")?
                    .strip_suffix(';')?
                    .parse()
                    .ok()
            })
            .expect("js/redact.js declares const MAX_CUT = <number>;");
        assert!(
            max_cut >= longest,
            "js/redact.js MAX_CUT {max_cut} < the longest cut, {longest}"
        );
    }

    #[test]
    fn quoted_writes_what_debug_writes() {
        for text in [
            "",
            "timeout",
            "x-Request-Id",
            "a\"b\\c'd",
            "tab\tnew\nline\rnul\0",
            "\u{1}\u{1f}\u{7f}\u{85}",
            "é ünï €",
            "kkkk…",
        ] {
            assert_eq!(quoted(text), format!("{text:?}"));
        }
        for c in ['a', '\'', '"', '\\', '\n', '\0', '\u{7f}', 'é', ' '] {
            assert_eq!(quoted_char(c), format!("{c:?}"));
        }
    }
}
