//! Eight bytes at a time (SIMD where the target has it): where a string's next quote,
//! backslash or control byte is, words to compare short values with, and the number and
//! text checks under the grammar.

/// The first `"`, `\\` or control character, and whether every byte before it is printable
/// ASCII (0x21 to 0x7e), eight bytes at a time (SWAR: a byte of `v ^ c` is zero where `v`
/// holds `c`, and `(x - 0x01..) & !x & 0x80..` marks bytes below a bound; the lowest mark is
/// always a true one).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub(super) fn find_special(bytes: &[u8]) -> Option<(usize, bool)> {
    use core::arch::wasm32::{
        i8x16_bitmask, i8x16_eq, u64x2, u8x16_ge, u8x16_lt, u8x16_splat, v128_or,
    };
    let mut at = 0;
    let mut odd = false;
    while let Some(chunk) = bytes.get(at..at + 16) {
        let word = |i: usize| u64::from_le_bytes(chunk[i..i + 8].try_into().unwrap_or_default());
        let v = u64x2(word(0), word(8));
        let ends = v128_or(
            v128_or(
                i8x16_eq(v, u8x16_splat(b'"')),
                i8x16_eq(v, u8x16_splat(b'\\')),
            ),
            u8x16_lt(v, u8x16_splat(0x20)),
        );
        let unusual = v128_or(
            i8x16_eq(v, u8x16_splat(b' ')),
            u8x16_ge(v, u8x16_splat(0x7f)),
        );
        let (ends, unusual) = (i8x16_bitmask(ends), i8x16_bitmask(unusual));
        if ends != 0 {
            let end = ends.trailing_zeros();
            let printable = !odd && unusual & ((1 << end) - 1) == 0;
            return Some((at + end as usize, printable));
        }
        odd |= unusual != 0;
        at += 16;
    }
    let (end, printable) = find_special_words(&bytes[at..])?;
    Some((at + end, printable && !odd))
}

/// Whether the two string scans agree on `bytes` (the wasm tests hold them to it).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub fn string_scans_agree(bytes: &[u8]) -> bool {
    find_special(bytes) == find_special_words(bytes)
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
pub(super) fn find_special(bytes: &[u8]) -> Option<(usize, bool)> {
    find_special_words(bytes)
}

pub(super) fn find_special_words(bytes: &[u8]) -> Option<(usize, bool)> {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGH: u64 = ONES * 0x80;
    let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x & HIGH;
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    let mut odd = 0; // marks of space, 0x7f and non-ASCII bytes
    for chunk in &mut chunks {
        let v = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        let marks = below(v ^ (ONES * u64::from(b'"')), 1)
            | below(v ^ (ONES * u64::from(b'\\')), 1)
            | below(v, 0x20);
        let unusual = below(v ^ (ONES * 0x20), 1) | below(v ^ (ONES * 0x7f), 1) | (v & HIGH);
        if marks != 0 {
            let end = marks.trailing_zeros() / 8;
            // Only the bytes before the end count.
            let before = if end == 0 {
                0
            } else {
                u64::MAX >> (64 - 8 * end)
            };
            let printable = odd == 0 && unusual & before == 0;
            return Some((at + end as usize, printable));
        }
        odd |= unusual;
        at += 8;
    }
    let rest = chunks.remainder();
    let end = rest
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
    let printable = odd == 0 && rest[..end].iter().all(|b| (0x21..=0x7e).contains(b));
    Some((at + end, printable))
}

/// The eight bytes at `at` as one little-endian word, when there are eight.
#[inline]
pub(super) fn word_at(bytes: &[u8], at: usize) -> Option<u64> {
    let eight = bytes.get(at..at.checked_add(8)?)?;
    Some(u64::from_le_bytes(eight.try_into().ok()?))
}

/// Up to eight bytes as one little-endian word (zeros after them): short values are compared
/// as numbers.
#[inline]
pub(super) const fn short_word(bytes: &[u8], from: usize) -> u64 {
    let mut word = 0;
    let mut i = 0;
    while i < 8 && from + i < bytes.len() {
        word |= (bytes[from + i] as u64) << (8 * i);
        i += 1;
    }
    word
}

/// Whether a short value is one of `words` (each at most eight bytes).
#[inline]
pub(super) fn one_of(value: &[u8], words: &[u64]) -> bool {
    value.len() <= 8 && words.contains(&short_word(value, 0))
}

/// The least value an f64 rounds to infinity, 2^1024 - 2^970 (halfway past f64::MAX), in
/// decimal digits: 0.1797... x 10^309.
pub(super) const OVERFLOW_DIGITS: &[u8] = b"179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792";

/// Whether a JSON number (grammar already checked) is too large for an f64, as the oracle's
/// serde_json refuses it ("number out of range"). Decided on the digits: `str::parse::<f64>`
/// would add its whole float parser to the module.
pub(super) fn overflows(number: &[u8]) -> bool {
    let (mantissa, exponent) = match number.iter().position(|&b| b == b'e' || b == b'E') {
        Some(at) => (&number[..at], &number[at + 1..]),
        None => (number, &b""[..]),
    };
    let mantissa = mantissa.strip_prefix(b"-").unwrap_or(mantissa);
    let (whole, fraction) = match mantissa.iter().position(|&b| b == b'.') {
        Some(at) => (&mantissa[..at], &mantissa[at + 1..]),
        None => (mantissa, &b""[..]),
    };
    // The significant digits, and the power of ten of the first: value = 0.d1d2... x 10^power.
    let digits: Vec<u8> = whole.iter().chain(fraction).copied().collect();
    let Some(first) = digits.iter().position(|&d| d != b'0') else {
        return false; // zero
    };
    let significant = &digits[first..];
    let (sign, written) = match exponent.first() {
        Some(b'-') => (-1, &exponent[1..]),
        Some(b'+') => (1, &exponent[1..]),
        _ => (1, exponent),
    };
    // Exponents past any that could matter are clamped (a 1 MiB input can hold a long one).
    let written = written
        .iter()
        .fold(0i64, |n, d| (n * 10 + i64::from(d - b'0')).min(1 << 40));
    let power = whole.len() as i64 - first as i64 + sign * written;
    match power.cmp(&309) {
        std::cmp::Ordering::Less => false,
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Equal => {
            let significant = significant
                .iter()
                .rposition(|&d| d != b'0')
                .map_or(&significant[..0], |last| &significant[..=last]);
            significant >= OVERFLOW_DIGITS
        }
    }
}

/// Whether UTF-8 `text` holds U+FFFD (EF BF BD).
pub(super) fn has_replacement(text: &[u8]) -> bool {
    text.windows(3).any(|w| w == [0xEF, 0xBF, 0xBD])
}

/// Bytes minus UTF-16 code units of valid UTF-8 (a continuation byte is no unit of its own; a
/// four-byte character is two units).
pub(super) fn utf16_shift(text: &[u8]) -> usize {
    let continuations = text.iter().filter(|&&b| b & 0xC0 == 0x80).count();
    let astral = text.iter().filter(|&&b| b >= 0xF0).count();
    continuations - astral
}
