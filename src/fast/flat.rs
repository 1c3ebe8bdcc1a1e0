//! Small JSON documents read flat, for the client's authentication answers
//! (`client::rules`): an object's string members, an array of such objects, on the same
//! grammar as the session. (Sezzle's error bodies are read with `JSON.parse` in
//! src/client/attempt.js: the getSession module, which takes no authentication answer,
//! carries no JSON reader.)

use super::*;

/// A small JSON document as the gateway client reads an authentication answer: the module
/// needs no other JSON reader (serde_json's, with its `Value` tree, was a fifth of it).
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Flat {
    /// An object: each member's key and, for a string value, its text.
    Object(Members),
    /// An array: objects and strings read, anything else `Other`.
    Array(Vec<Flat>),
    /// A string.
    String(String),
    /// Another value, stepped over.
    Other,
}

/// An object's members, in order; a later member of a key replaces an earlier one.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Members(Vec<(String, Option<String>)>);

impl Members {
    /// The string value of `key` (the last member of that key), if it is a string.
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        let (_, value) = self.0.iter().rev().find(|(k, _)| k == key)?;
        value.as_deref()
    }
}

/// `bytes` as a [`Flat`] document, or `None` when they are not JSON.
pub(crate) fn read_flat(bytes: &[u8]) -> Option<Flat> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let (mut scratch, mut tape) = (Vec::new(), vec![NONE; TAPE_HEADER]);
    let mut scanner = Scanner::new(bytes, &mut scratch, &mut tape);
    let flat = scanner.flat(true).ok()?;
    scanner.skip_space();
    (scanner.at == bytes.len()).then_some(flat)
}

impl Scanner<'_> {
    /// One value as a [`Flat`]; inside an array (`outer` false) an array is `Other`.
    pub(super) fn flat(&mut self, outer: bool) -> Step<Flat> {
        Ok(match self.kind()? {
            Kind::String => {
                let string = self.string()?;
                Flat::String(self.text_of(&string).to_owned())
            }
            Kind::Object => {
                let mut members = Vec::new();
                self.items(b'{', b'}', |s| {
                    if s.peek() != Some(b'"') {
                        return Err(s.syntax("a string key"));
                    }
                    let key = s.string()?;
                    let key = s.text_of(&key).to_owned();
                    s.expect(b':', "`:`")?;
                    let value = match s.kind()? {
                        Kind::String => {
                            let value = s.string()?;
                            Some(s.text_of(&value).to_owned())
                        }
                        _ => {
                            s.skip_value()?;
                            None
                        }
                    };
                    members.push((key, value));
                    Ok(())
                })?;
                Flat::Object(Members(members))
            }
            Kind::Array if outer => {
                let mut items = Vec::new();
                self.items(b'[', b']', |s| {
                    items.push(s.flat(false)?);
                    Ok(())
                })?;
                Flat::Array(items)
            }
            _ => {
                self.skip_value()?;
                Flat::Other
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_documents_read_sezzles_small_answers() {
        let answer = read_flat(
            br#" [{"code":"a","code":"b","n":1,"deep":{"code":"x"}}, "h\u00e9", [1], null] "#,
        );
        let Some(Flat::Array(items)) = answer else {
            panic!("{answer:?}")
        };
        let Flat::Object(members) = &items[0] else {
            panic!("{items:?}")
        };
        assert_eq!(
            members.get("code"),
            Some("b"),
            "the last member of a key counts"
        );
        assert_eq!(members.get("n"), None);
        assert_eq!(members.get("deep"), None);
        assert_eq!(items[1], Flat::String("hé".to_owned()));
        assert_eq!((&items[2], &items[3]), (&Flat::Other, &Flat::Other));
        for not_json in [&b"<html>"[..], b"", b"{\"a\":1", b"[1] x", b"\"\\ud800\""] {
            assert_eq!(
                read_flat(not_json),
                None,
                "{}",
                String::from_utf8_lossy(not_json)
            );
        }
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert_eq!(read_flat(deep.as_bytes()), None);
    }
}
