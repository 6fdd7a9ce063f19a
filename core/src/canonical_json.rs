//! AkashicPay's canonical JSON: the bytes its signature covers.
//!
//! The body is parsed as strict JSON (RFC 8259, UTF-8, no lone surrogates,
//! nesting at most [`MAX_DEPTH`]), then written back with insignificant
//! whitespace dropped and object members sorted recursively by their
//! unescaped UTF-8 key bytes. Every string (keys included) and number token is
//! copied exactly as received: `1.0` stays `1.0`, `\u00e9` stays `\u00e9`.
//! Duplicate keys are ambiguous once sorted, so they are `MALFORMED_BODY`.

use alloc::borrow::Cow;
use alloc::vec::Vec;

use crate::Error;

/// Deepest nesting of arrays and objects accepted.
pub const MAX_DEPTH: usize = 64;

/// The canonical form of a JSON body.
///
/// # Errors
/// [`Error::MalformedBody`] if `body` is not strict JSON, nests deeper than
/// [`MAX_DEPTH`], or has an object with a duplicate key.
pub fn canonical_json(body: &[u8]) -> Result<Vec<u8>, Error> {
    core::str::from_utf8(body).map_err(|_| Error::MalformedBody)?;
    let mut parser = Parser { input: body, pos: 0 };
    parser.skip_ws();
    let value = parser.value(0)?;
    parser.skip_ws();
    if parser.pos != body.len() {
        return Err(Error::MalformedBody);
    }
    let mut out = Vec::with_capacity(body.len());
    write(&value, &mut out);
    Ok(out)
}

enum Node<'a> {
    /// A string, number, `true`, `false` or `null`, as received.
    Token(&'a [u8]),
    Array(Vec<Node<'a>>),
    Object(Vec<Member<'a>>),
}

struct Member<'a> {
    /// The key token as received, quotes included.
    raw: &'a [u8],
    /// The key's unescaped UTF-8 bytes: what members are sorted by.
    key: Cow<'a, [u8]>,
    value: Node<'a>,
}

fn write(node: &Node<'_>, out: &mut Vec<u8>) {
    match node {
        Node::Token(raw) => out.extend_from_slice(raw),
        Node::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write(item, out);
            }
            out.push(b']');
        }
        Node::Object(members) => {
            out.push(b'{');
            for (i, member) in members.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                out.extend_from_slice(member.raw);
                out.push(b':');
                write(&member.value, out);
            }
            out.push(b'}');
        }
    }
}

struct Parser<'a> {
    input: &'a [u8],
    pos: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.input.get(self.pos).copied()
    }

    fn bump(&mut self) -> Result<u8, Error> {
        let byte = self.peek().ok_or(Error::MalformedBody)?;
        self.pos += 1;
        Ok(byte)
    }

    fn expect(&mut self, byte: u8) -> Result<(), Error> {
        if self.bump()? == byte { Ok(()) } else { Err(Error::MalformedBody) }
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn since(&self, start: usize) -> Result<&'a [u8], Error> {
        self.input.get(start..self.pos).ok_or(Error::MalformedBody)
    }

    fn value(&mut self, depth: usize) -> Result<Node<'a>, Error> {
        match self.peek().ok_or(Error::MalformedBody)? {
            b'{' => self.object(depth + 1),
            b'[' => self.array(depth + 1),
            b'"' => {
                let start = self.pos;
                self.string()?;
                Ok(Node::Token(self.since(start)?))
            }
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            b'-' | b'0'..=b'9' => self.number(),
            _ => Err(Error::MalformedBody),
        }
    }

    fn literal(&mut self, word: &'static [u8]) -> Result<Node<'a>, Error> {
        let end = self.pos + word.len();
        if self.input.get(self.pos..end) != Some(word) {
            return Err(Error::MalformedBody);
        }
        self.pos = end;
        Ok(Node::Token(word))
    }

    fn digits(&mut self) -> Result<(), Error> {
        if !matches!(self.peek(), Some(b'0'..=b'9')) {
            return Err(Error::MalformedBody);
        }
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        Ok(())
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    fn number(&mut self) -> Result<Node<'a>, Error> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        if self.peek() == Some(b'0') {
            self.pos += 1;
        } else {
            self.digits()?;
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            self.digits()?;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            self.digits()?;
        }
        Ok(Node::Token(self.since(start)?))
    }

    /// Parses a string token starting at its opening quote; returns its
    /// unescaped bytes (borrowed when it has no escapes).
    fn string(&mut self) -> Result<Cow<'a, [u8]>, Error> {
        self.expect(b'"')?;
        let start = self.pos;
        let mut owned: Option<Vec<u8>> = None;
        loop {
            let at = self.pos;
            match self.bump()? {
                b'"' => {
                    return Ok(match owned {
                        Some(bytes) => Cow::Owned(bytes),
                        None => Cow::Borrowed(self.input.get(start..at).ok_or(Error::MalformedBody)?),
                    });
                }
                b'\\' => {
                    let buf = owned.get_or_insert_with(|| self.input.get(start..at).unwrap_or_default().to_vec());
                    let unescaped = match self.bump()? {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return Err(Error::MalformedBody),
                    };
                    let mut utf8 = [0u8; 4];
                    buf.extend_from_slice(unescaped.encode_utf8(&mut utf8).as_bytes());
                }
                0x00..=0x1f => return Err(Error::MalformedBody),
                byte => {
                    if let Some(buf) = owned.as_mut() {
                        buf.push(byte);
                    }
                }
            }
        }
    }

    fn hex4(&mut self) -> Result<u32, Error> {
        let text = self.input.get(self.pos..self.pos + 4).ok_or(Error::MalformedBody)?;
        let mut value = 0u32;
        for &byte in text {
            let digit = char::from(byte).to_digit(16).ok_or(Error::MalformedBody)?;
            value = value * 16 + digit;
        }
        self.pos += 4;
        Ok(value)
    }

    /// After `\u`: one code point, joining a surrogate pair; a lone surrogate
    /// is an error.
    fn unicode_escape(&mut self) -> Result<char, Error> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                self.expect(b'\\')?;
                self.expect(b'u')?;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(Error::MalformedBody);
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(Error::MalformedBody),
            other => other,
        };
        char::from_u32(code).ok_or(Error::MalformedBody)
    }

    fn array(&mut self, depth: usize) -> Result<Node<'a>, Error> {
        if depth > MAX_DEPTH {
            return Err(Error::MalformedBody);
        }
        self.expect(b'[')?;
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Node::Array(items));
        }
        loop {
            self.skip_ws();
            items.push(self.value(depth)?);
            self.skip_ws();
            match self.bump()? {
                b',' => {}
                b']' => return Ok(Node::Array(items)),
                _ => return Err(Error::MalformedBody),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Node<'a>, Error> {
        if depth > MAX_DEPTH {
            return Err(Error::MalformedBody);
        }
        self.expect(b'{')?;
        let mut members = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Node::Object(members));
        }
        loop {
            self.skip_ws();
            let start = self.pos;
            let key = self.string()?;
            let raw = self.since(start)?;
            self.skip_ws();
            self.expect(b':')?;
            self.skip_ws();
            let value = self.value(depth)?;
            members.push(Member { raw, key, value });
            self.skip_ws();
            match self.bump()? {
                b',' => {}
                b'}' => break,
                _ => return Err(Error::MalformedBody),
            }
        }
        members.sort_by(|a, b| a.key.cmp(&b.key));
        if members.windows(2).any(|pair| matches!(pair, [a, b] if a.key == b.key)) {
            return Err(Error::MalformedBody);
        }
        Ok(Node::Object(members))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(s: &str) -> Result<alloc::string::String, Error> {
        canonical_json(s.as_bytes()).map(|v| alloc::string::String::from_utf8(v).unwrap_or_default())
    }

    #[test]
    fn sorts_recursively_and_keeps_tokens() {
        assert_eq!(
            canon(r#" { "b" : [ 1.0 , {"z":1,"a":"\u00e9"} ], "a" : null } "#),
            Ok(r#"{"a":null,"b":[1.0,{"a":"\u00e9","z":1}]}"#.into())
        );
    }

    #[test]
    fn sorts_by_unescaped_utf8_bytes() {
        // "\u0041" is "A" (0x41), which sorts before "B"; "é" (0xC3 0xA9) after "z".
        assert_eq!(canon(r#"{"é":1,"z":2,"B":3,"\u0041":4}"#), Ok(r#"{"\u0041":4,"B":3,"z":2,"é":1}"#.into()));
    }

    #[test]
    fn rejects_what_strict_json_rejects() {
        for bad in [
            "",
            "{",
            "{\"a\":1,}",
            "[1,]",
            "01",
            "1.",
            "-",
            "+1",
            ".5",
            "1e",
            "tru",
            "\"\t\"",
            "\"\\x\"",
            "\"\\ud800\"",
            "\"\\udc00\"",
            "\"\\ud800\\u0041\"",
            "{\"a\":1}x",
            "{'a':1}",
            "{\"a\":1,\"a\":2}",
            "{\"a\":1,\"\\u0061\":1}",
            "\u{feff}{}",
        ] {
            assert_eq!(canon(bad), Err(Error::MalformedBody), "{bad:?}");
        }
        assert_eq!(canonical_json(b"\"\xff\""), Err(Error::MalformedBody));
    }

    #[test]
    fn depth_limit_is_64() {
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert_eq!(canon(&ok), Ok(ok.clone()));
        let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert_eq!(canon(&deep), Err(Error::MalformedBody));
        let objects = "{\"a\":".repeat(MAX_DEPTH + 1) + "1" + &"}".repeat(MAX_DEPTH + 1);
        assert_eq!(canon(&objects), Err(Error::MalformedBody));
    }

    #[test]
    fn accepts_any_top_level_value_and_surrogate_pairs() {
        assert_eq!(canon(" 12345678901234567890123 "), Ok("12345678901234567890123".into()));
        assert_eq!(canon(r#""\ud83d\ude00""#), Ok(r#""\ud83d\ude00""#.into()));
        assert_eq!(canon("[]"), Ok("[]".into()));
        assert_eq!(canon("{ }"), Ok("{}".into()));
    }
}
