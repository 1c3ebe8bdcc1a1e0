//! Small JSON documents read flat, for the client's authentication answers
//! (`client::rules`): an object's string members, on the same grammar as the session. (Sezzle's error bodies are read with `JSON.parse` in
//! src/client/attempt.js: the getSession module, which takes no authentication answer,
//! carries no JSON reader.)

use super::*;

/// A small JSON document as the gateway client reads an authentication answer: the module
/// needs no other JSON reader (serde_json's, with its `Value` tree, was a fifth of it).
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Flat {
    /// An object: each member's key and, for a string value, its text.
    Object(Members),
    /// Another value (an array, a string, a number...), checked and stepped over.
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
    let flat = scanner.flat().ok()?;
    scanner.skip_space();
    (scanner.at == bytes.len()).then_some(flat)
}

impl Scanner<'_> {
    /// One value as a [`Flat`].
    pub(super) fn flat(&mut self) -> Step<Flat> {
        Ok(match self.kind()? {
            Kind::Object => {
                let mut members = Vec::new();
                self.items(b'{', b'}', |s| {
                    if s.peek() != Some(b'"') {
                        return Err(s.syntax("a string key"));
                    }
                    let key = s.string()?;
                    let key = s.text_of(&key).to_owned();
                    s.colon()?;
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
            br#" {"code":"a","code":"b","n":1,"deep":{"code":"x"},"s":"h\u00e9","a":[1],"z":null} "#,
        );
        let Some(Flat::Object(members)) = answer else {
            panic!("{answer:?}")
        };
        assert_eq!(
            members.get("code"),
            Some("b"),
            "the last member of a key counts"
        );
        assert_eq!(members.get("n"), None);
        assert_eq!(members.get("deep"), None);
        assert_eq!(members.get("s"), Some("hé"));
        assert_eq!((members.get("a"), members.get("z")), (None, None));
        // Any other JSON value is read (checked) and stepped over.
        for other in [
            &br#" [{"code":"a"}, "h\u00e9", [1], null] "#[..],
            br#""h\u00e9""#,
            b"1",
        ] {
            assert_eq!(
                read_flat(other),
                Some(Flat::Other),
                "{}",
                String::from_utf8_lossy(other)
            );
        }
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
