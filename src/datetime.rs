//! RFC 3339 date-times, as `tokenize.expiration` carries them.
//!
//! Only validated, never converted: the result keeps Sezzle's text, and JavaScript's `Date`
//! reads it. A hand check of the grammar is a few lines, where a date crate would add tens of
//! kilobytes to the module for no other use.

use crate::error::ParseError;
use serde::{Serialize, Serializer};
#[cfg(test)]
use ts_rs::TS;

/// A string that is an RFC 3339 `date-time`: `2020-04-27T14:46:59.000Z`, fractions of any
/// length, `Z` or a `+hh:mm` / `-hh:mm` offset.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(TS), ts(type = "string"))]
pub struct DateTime(String);

impl DateTime {
    /// The date-time, when `text` is RFC 3339; else why not.
    ///
    /// ```
    /// use sezzle_session::DateTime;
    ///
    /// let at = DateTime::parse("2020-04-27T14:46:59.000Z")?;
    /// assert_eq!(at, "2020-04-27T14:46:59.000Z");
    /// assert_eq!(at.epoch_ms(), 1_587_998_819_000);
    /// assert!(DateTime::parse("2020-13-01T00:00:00Z").is_err());
    /// # Ok::<(), sezzle_session::ParseError>(())
    /// ```
    pub fn parse(text: impl Into<String>) -> Result<DateTime, ParseError> {
        let text = text.into();
        check(text.as_bytes())
            .map_err(|reason| ParseError::new("an RFC 3339 date-time", reason))?;
        Ok(DateTime(text))
    }

    /// Whether `text` passes the rule, without keeping it.
    pub fn check(text: &str) -> bool {
        check(text.as_bytes()).is_ok()
    }

    /// The date-time as Sezzle sent it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Milliseconds since the Unix epoch (fractions below a millisecond dropped, a leap second
    /// read as the next second's start).
    pub fn epoch_ms(&self) -> i64 {
        // `parse` checked the grammar, so `check` answers the same parts again.
        check(self.0.as_bytes()).map_or(0, |p| p.epoch_ms())
    }
}

/// The fields of a checked date-time.
struct Parts {
    year: u32,
    month: u32,
    day: u32,
    seconds_of_day: u32,
    millis: u32,
    offset_minutes: i32,
}

impl Parts {
    fn epoch_ms(&self) -> i64 {
        let days = days_from_civil(self.year, self.month, self.day);
        let seconds =
            days * 86_400 + i64::from(self.seconds_of_day) - i64::from(self.offset_minutes) * 60;
        seconds * 1000 + i64::from(self.millis)
    }
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
pub fn days_from_civil(year: u32, month: u32, day: u32) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

crate::error::text_like!(DateTime);

fn number(bytes: &[u8], at: usize, len: usize) -> Option<u32> {
    let digits = bytes.get(at..at + len)?;
    digits.iter().try_fold(0u32, |n, b| {
        b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
    })
}

fn expect(bytes: &[u8], at: usize, want: &[u8]) -> Result<(), String> {
    match bytes.get(at) {
        Some(b) if want.contains(b) => Ok(()),
        _ => Err(format!(
            "expected an RFC 3339 date-time such as 2020-04-27T14:46:59.000Z (character {} is wrong)",
            at + 1
        )),
    }
}

pub fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn check(b: &[u8]) -> Result<Parts, String> {
    let field = |at: usize, len: usize| {
        number(b, at, len).ok_or_else(|| {
            format!(
                "expected an RFC 3339 date-time such as 2020-04-27T14:46:59.000Z (digits expected at character {})",
                at + 1
            )
        })
    };
    let year = field(0, 4)?;
    expect(b, 4, b"-")?;
    let month = field(5, 2)?;
    expect(b, 7, b"-")?;
    let day = field(8, 2)?;
    expect(b, 10, b"Tt")?;
    let hour = field(11, 2)?;
    expect(b, 13, b":")?;
    let minute = field(14, 2)?;
    expect(b, 16, b":")?;
    let second = field(17, 2)?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return Err("is not a calendar date".into());
    }
    // 60 is a leap second, which RFC 3339 allows.
    if hour > 23 || minute > 59 || second > 60 {
        return Err("is not a time of day".into());
    }
    let mut parts = Parts {
        year,
        month,
        day,
        seconds_of_day: hour * 3600 + minute * 60 + second,
        millis: 0,
        offset_minutes: 0,
    };
    let mut at = 19;
    if b.get(at) == Some(&b'.') {
        let digits = b
            .get(at + 1..)
            .unwrap_or_default()
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if digits == 0 {
            return Err("has a '.' with no fraction digits".into());
        }
        let padded = |i: usize| {
            b.get(at + 1 + i)
                .filter(|_| i < digits)
                .map_or(0, |c| u32::from(c - b'0'))
        };
        parts.millis = padded(0) * 100 + padded(1) * 10 + padded(2);
        at += 1 + digits;
    }
    match b.get(at) {
        Some(b'Z' | b'z') if b.len() == at + 1 => Ok(parts),
        Some(sign @ (b'+' | b'-')) if b.len() == at + 6 => {
            let offset_hour = field(at + 1, 2)?;
            expect(b, at + 3, b":")?;
            let offset_minute = field(at + 4, 2)?;
            if offset_hour > 23 || offset_minute > 59 {
                return Err("has an offset out of range".into());
            }
            let offset = (offset_hour * 60 + offset_minute) as i32;
            parts.offset_minutes = if *sign == b'-' { -offset } else { offset };
            Ok(parts)
        }
        _ => Err("needs a time zone: Z or an offset such as +01:00".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid(text: &str) -> bool {
        DateTime::parse(text.to_owned()).is_ok()
    }

    #[test]
    fn accepts_sezzle_and_rfc3339_forms() {
        for text in [
            "2020-04-27T14:46:59.000Z",
            "2017-01-01T01:30:25.388940303Z",
            "2020-04-27T14:46:59Z",
            "2020-04-27t14:46:59z",
            "2020-04-27T14:46:59+05:30",
            "2020-04-27T14:46:59.1-08:00",
            "2024-02-29T00:00:00Z",
            "2016-12-31T23:59:60Z",
        ] {
            assert!(valid(text), "{text}");
        }
    }

    fn epoch(text: &str) -> i64 {
        DateTime::parse(text.to_owned()).unwrap().epoch_ms()
    }

    #[test]
    fn converts_to_epoch_milliseconds_as_javascript_date_does() {
        // Values from `Date.parse` in Node 20.
        assert_eq!(epoch("1970-01-01T00:00:00Z"), 0);
        assert_eq!(epoch("2017-01-01T01:30:25.388940303Z"), 1_483_234_225_388);
        assert_eq!(epoch("2020-04-27T14:46:59.000Z"), 1_587_998_819_000);
        assert_eq!(epoch("2020-04-27T14:46:59.1-08:00"), 1_588_027_619_100);
        assert_eq!(epoch("2020-04-27T20:16:59+05:30"), 1_587_998_819_000);
        assert_eq!(epoch("2024-02-29T00:00:00Z"), 1_709_164_800_000);
        assert_eq!(epoch("1969-12-31T23:59:59Z"), -1000);
    }

    #[test]
    fn refuses_what_is_not_rfc3339() {
        for text in [
            "",
            "2020-04-27",
            "2020-04-27 14:46:59Z",
            "2020-04-27T14:46:59",
            "2020-04-27T14:46:59.Z",
            "2020-13-01T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2020-04-31T00:00:00Z",
            "2020-04-27T24:00:00Z",
            "2020-04-27T14:46:59+0530",
            "2020-04-27T14:46:59+24:00",
            "2020-04-27T14:46:59Z ",
            "２020-04-27T14:46:59Z",
            "yesterday",
        ] {
            assert!(!valid(text), "{text}");
        }
    }
}
