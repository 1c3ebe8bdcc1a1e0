//! The tape: where each value of a valid session is in its input, as integers, and the
//! session read back from it (what the package's JS reader does with slices of the text).

use super::*;

/// The tape: where a valid session's values are in the input, as `i32` words.
///
/// A value is a span of two words, `[start, end)`, in the units a JS string of the input is
/// indexed by: bytes while the text is ASCII, UTF-16 code units past any other character
/// (offsets count from after a byte order mark). A string written with escapes has
/// [`ESCAPED`] added to its start, and `end` is then its closing quote: the reader decodes the
/// quoted text with a JSON parser. A URL written with escapes whose ends are trimmed (see
/// [`TRIMMED`]) has that added too. An absent or null value is [`NONE`], [`NONE`]; a link's
/// absent `method` is `GET`.
///
/// | words | value |
/// | --- | --- |
/// | 0, 1 | `uuid` |
/// | 2, 3 | `order.uuid` (`NONE`: no order) |
/// | 4, 5 | `order.intent` |
/// | 6, 7 | `order.checkout_url` |
/// | 8, 9 | `tokenize.token` (`NONE`: no tokenize), wherever the block was |
/// | 10, 11 | `tokenize.expiration` |
/// | 12, 13 | `tokenize.approval_url` |
/// | 14, 15 | `links`: index of the first link record, count |
/// | 16, 17 | `order.links`, the same |
/// | 18, 19 | `tokenize.links`, the same |
///
/// Then the link records, [`TAPE_LINK`] words each: `href`, `method`, `rel`. `js/api.js` reads
/// it; [`session_from_tape`] is the Rust reader.
pub const TAPE_HEADER: usize = slot::HEADER;

/// Words per link record.
pub const TAPE_LINK: usize = slot::LINK;

/// An absent value.
pub const NONE: i32 = -1;

/// Added to the start of a string written with escapes.
pub const ESCAPED: i32 = 1 << 30;

/// Added, with [`ESCAPED`], to the start of a URL written with escapes whose leading or
/// trailing spaces and control characters the reader must strip after decoding (a URL
/// without escapes is trimmed by its span).
pub const TRIMMED: i32 = 1 << 29;

/// Where each value is in the tape's header (see [`TAPE_HEADER`]): the schema's slots.
pub(crate) use crate::schema::slot;

/// `[start, end)` of a value in the text (see [`TAPE_HEADER`]).
pub(super) type Span = [i32; 2];

/// The session a tape describes, its strings taken from `text` (the input after any byte
/// order mark): what `js/api.js` does with JS string slices. `None` when a span does not fit
/// the text or a value fails its rule (never, for the tape of a valid scan).
pub fn session_from_tape(text: &str, tape: &[i32]) -> Option<Session> {
    // Spans count UTF-16 units once the text is past ASCII.
    let units: Option<Vec<u16>> = (!text.is_ascii()).then(|| text.encode_utf16().collect());
    let string = |at: usize| -> Option<Option<String>> {
        let (start, end) = (*tape.get(at)?, *tape.get(at + 1)?);
        if start == NONE {
            return Some(None);
        }
        let escaped = start >= ESCAPED;
        let trimmed = escaped && start & TRIMMED != 0;
        let start = usize::try_from(start & !(ESCAPED | TRIMMED)).ok()?;
        let end = usize::try_from(end).ok()?;
        let slice = |from: usize, to: usize| -> Option<String> {
            match &units {
                Some(units) => String::from_utf16(units.get(from..to)?).ok(),
                None => text.get(from..to).map(str::to_owned),
            }
        };
        if !escaped {
            return slice(start, end).map(Some);
        }
        let decoded = decode_string(&slice(start.checked_sub(1)?, end + 1)?)?;
        Some(Some(if trimmed {
            decoded.trim_matches(|c: char| c <= ' ').to_owned()
        } else {
            decoded
        }))
    };
    let id = |at: usize| -> Option<Option<Id>> {
        string(at)?.map_or(Some(None), |text| Id::parse(text).ok().map(Some))
    };
    let url = |at: usize| -> Option<Option<WebUrl>> {
        string(at)?.map_or(Some(None), |text| WebUrl::parse(text).ok().map(Some))
    };
    let links = |at: usize| -> Option<Vec<Link>> {
        let first = usize::try_from(*tape.get(at)?).ok()?;
        let count = usize::try_from(*tape.get(at + 1)?).ok()?;
        (first..first + count)
            .map(|i| {
                let record = TAPE_HEADER + i * TAPE_LINK;
                Some(Link {
                    href: url(record)??,
                    method: match string(record + 2)? {
                        None => Method::Get,
                        Some(text) => Method::from_wire(&text)?,
                    },
                    rel: string(record + 4)??,
                })
            })
            .collect()
    };
    let order = match id(slot::ORDER_UUID)? {
        None => None,
        Some(uuid) => Some(SessionOrder {
            uuid,
            intent: match string(slot::INTENT)? {
                None => None,
                Some(text) => Some(Intent::from_wire(&text)?),
            },
            checkout_url: url(slot::CHECKOUT_URL)?,
            links: links(slot::ORDER_LINKS)?,
        }),
    };
    let tokenize = match id(slot::TOKEN)? {
        None => None,
        Some(token) => Some(SessionTokenize {
            token,
            expiration: match string(slot::EXPIRATION)? {
                None => None,
                Some(text) => Some(DateTime::parse(text).ok()?),
            },
            approval_url: url(slot::APPROVAL_URL)?,
            links: links(slot::TOKENIZE_LINKS)?,
        }),
    };
    Some(Session {
        uuid: id(slot::UUID)??,
        links: links(slot::LINKS)?,
        order,
        tokenize,
    })
}

/// A JSON string literal, quotes included, decoded (the scan has checked its grammar).
pub(super) fn decode_string(quoted: &str) -> Option<String> {
    let mut scratch = Vec::new();
    let mut tape = Vec::new();
    let mut scanner = Scanner::new(quoted.as_bytes(), &mut scratch, &mut tape);
    let string = scanner.string().ok()?;
    Some(scanner.text_of(&string).to_owned())
}
