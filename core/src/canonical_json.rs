//! AkashicPay's canonical JSON: the bytes its signature covers.
//!
//! The body is parsed as strict JSON (RFC 8259, UTF-8, no lone surrogates,
//! nesting at most [`MAX_DEPTH`]), then written back with insignificant
//! whitespace dropped and object members sorted recursively by their
//! unescaped UTF-8 key bytes. Every string (keys included) and number token is
//! copied exactly as received: `1.0` stays `1.0`, `\u00e9` stays `\u00e9`.
//! Duplicate keys are ambiguous once sorted, so they are `MALFORMED_BODY`.
//!
//! # How, in bounded memory
//!
//! No tree is built. Two passes over the body:
//!
//! 1. [`Indexer`] checks the grammar and, for each object whose members are
//!    not already in key order, records the offsets of its member keys, sorted
//!    (a flat index: one offset per member, one [`Reorder`] per such object).
//!    Keys are compared by their unescaped bytes without unescaping them into
//!    a buffer ([`Unescaped`]).
//! 2. [`Writer`] copies the body into the output in one go, dropping
//!    whitespace; at an object in the index it writes the members in the
//!    recorded order, each read from the body again at its key's offset.
//!
//! The heap holds the output (at most the body's length, allocated once) and
//! the index: 4 bytes per member of an unsorted object and 12 bytes per such
//! object (8 and 24 for bodies over 4 GiB). A batch of webhook events peaks
//! at about 1.4 times the body, one wide unsorted object at about 1.2 times,
//! a body of arrays and sorted objects at 1 time
//! (`core/tests/canonical_json_memory.rs` asserts at most 2 times). The
//! worst case, a body made only of tiny two-member objects out of order
//! (`[{"b":0,"":0},…]`, 13 bytes each, 20 bytes of index), is about 2.6
//! times; it was 7 to 25 times with the tree this replaced (one allocation
//! per node).

use alloc::vec::Vec;
use core::cmp::Ordering;

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
    if u32::try_from(body.len()).is_ok() { canonical::<u32>(body) } else { canonical::<usize>(body) }
}

fn canonical<O: Offset>(body: &[u8]) -> Result<Vec<u8>, Error> {
    let mut indexer = Indexer::<O> { input: body, pos: 0, open: Vec::new(), keys: Vec::new(), reorders: Vec::new() };
    indexer.skip_ws();
    indexer.value(0)?;
    indexer.skip_ws();
    if indexer.pos != body.len() {
        return Err(Error::MalformedBody);
    }
    let Indexer { open, mut keys, mut reorders, .. } = indexer;
    drop(open);
    keys.shrink_to_fit();
    reorders.shrink_to_fit();
    // Recorded as each object closed (inner ones first); the writer looks
    // them up by where they open.
    reorders.sort_unstable_by_key(|r| r.open);
    let mut writer = Writer { input: body, keys: &keys, reorders: &reorders, out: Vec::with_capacity(body.len()) };
    let end = writer.value(0)?;
    if skip_ws(body, end) != body.len() {
        return Err(Error::MalformedBody);
    }
    Ok(writer.out)
}

/// A byte offset into the body, or an index into the key list: `u32` for
/// bodies up to 4 GiB (half the index memory), `usize` beyond.
trait Offset: Copy + Ord {
    fn new(at: usize) -> Result<Self, Error>;
    fn get(self) -> usize;
}

impl Offset for u32 {
    fn new(at: usize) -> Result<u32, Error> {
        u32::try_from(at).map_err(|_| Error::MalformedBody)
    }
    fn get(self) -> usize {
        self as usize
    }
}

impl Offset for usize {
    fn new(at: usize) -> Result<usize, Error> {
        Ok(at)
    }
    fn get(self) -> usize {
        self
    }
}

/// An object whose members must be written in another order than received:
/// `keys[first..first + count]` are its members' key offsets, sorted.
#[derive(Clone, Copy)]
struct Reorder<O> {
    /// Offset of its `{`.
    open: O,
    first: O,
    count: O,
}

fn is_ws(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\r')
}

fn skip_ws(input: &[u8], mut pos: usize) -> usize {
    while input.get(pos).is_some_and(|&b| is_ws(b)) {
        pos += 1;
    }
    pos
}

/// Pass 1: the strict grammar, and the sorted key offsets of every object
/// not already in key order.
struct Indexer<'a, O> {
    input: &'a [u8],
    pos: usize,
    /// Key offsets of the members of the objects still open, outermost first.
    open: Vec<O>,
    /// Key offsets of the reordered objects' members, sorted per object.
    keys: Vec<O>,
    reorders: Vec<Reorder<O>>,
}

impl<O: Offset> Indexer<'_, O> {
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
        self.pos = skip_ws(self.input, self.pos);
    }

    fn value(&mut self, depth: usize) -> Result<(), Error> {
        match self.peek().ok_or(Error::MalformedBody)? {
            b'{' => self.object(depth + 1),
            b'[' => self.array(depth + 1),
            b'"' => self.string(),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            b'-' | b'0'..=b'9' => self.number(),
            _ => Err(Error::MalformedBody),
        }
    }

    fn literal(&mut self, word: &'static [u8]) -> Result<(), Error> {
        let end = self.pos + word.len();
        if self.input.get(self.pos..end) != Some(word) {
            return Err(Error::MalformedBody);
        }
        self.pos = end;
        Ok(())
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
    fn number(&mut self) -> Result<(), Error> {
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
        Ok(())
    }

    /// A string token starting at its opening quote: no raw control
    /// characters, only JSON's escapes, no lone surrogates. (UTF-8 is
    /// checked for the whole body first.)
    fn string(&mut self) -> Result<(), Error> {
        self.expect(b'"')?;
        loop {
            let rest = self.input.get(self.pos..).ok_or(Error::MalformedBody)?;
            let plain = rest.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20).ok_or(Error::MalformedBody)?;
            self.pos += plain;
            match self.bump()? {
                b'"' => return Ok(()),
                b'\\' => match self.bump()? {
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => {}
                    b'u' => {
                        let code = unicode_escape(self.input.get(self.pos..).unwrap_or_default())
                            .ok_or(Error::MalformedBody)?;
                        self.pos += if code.len_utf8() == 4 { 10 } else { 4 };
                    }
                    _ => return Err(Error::MalformedBody),
                },
                _ => return Err(Error::MalformedBody),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<(), Error> {
        if depth > MAX_DEPTH {
            return Err(Error::MalformedBody);
        }
        self.expect(b'[')?;
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(());
        }
        loop {
            self.skip_ws();
            self.value(depth)?;
            self.skip_ws();
            match self.bump()? {
                b',' => {}
                b']' => return Ok(()),
                _ => return Err(Error::MalformedBody),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<(), Error> {
        if depth > MAX_DEPTH {
            return Err(Error::MalformedBody);
        }
        let open = self.pos;
        self.expect(b'{')?;
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(());
        }
        let base = self.open.len();
        loop {
            self.skip_ws();
            self.open.push(O::new(self.pos)?);
            self.string()?;
            self.skip_ws();
            self.expect(b':')?;
            self.skip_ws();
            self.value(depth)?;
            self.skip_ws();
            match self.bump()? {
                b',' => {}
                b'}' => break,
                _ => return Err(Error::MalformedBody),
            }
        }
        self.close(open, base)
    }

    /// Sorts the members of the object just closed (`open[base..]`) and,
    /// unless they were in order already, records them.
    fn close(&mut self, open: usize, base: usize) -> Result<(), Error> {
        let input = self.input;
        let members = self.open.get_mut(base..).ok_or(Error::MalformedBody)?;
        let less = |a: &O, b: &O| compare_keys(input, a.get(), b.get()) == Ordering::Less;
        if !members.is_sorted_by(less) {
            members.sort_unstable_by(|a, b| compare_keys(input, a.get(), b.get()));
            if !members.is_sorted_by(less) {
                return Err(Error::MalformedBody); // two equal keys
            }
            let first = O::new(self.keys.len())?;
            self.keys.extend_from_slice(members);
            self.reorders.push(Reorder { open: O::new(open)?, first, count: O::new(members.len())? });
        }
        self.open.truncate(base);
        Ok(())
    }
}

/// Pass 2: writes the canonical form of an already checked body.
struct Writer<'a, 'i, O> {
    input: &'a [u8],
    keys: &'i [O],
    reorders: &'i [Reorder<O>],
    out: Vec<u8>,
}

impl<O: Offset> Writer<'_, '_, O> {
    fn copy(&mut self, from: usize, to: usize) -> Result<usize, Error> {
        self.out.extend_from_slice(self.input.get(from..to).ok_or(Error::MalformedBody)?);
        Ok(to)
    }

    /// Writes the value at (or after whitespace from) `at`; returns the
    /// offset just after it.
    fn value(&mut self, at: usize) -> Result<usize, Error> {
        let at = skip_ws(self.input, at);
        match self.input.get(at).ok_or(Error::MalformedBody)? {
            b'"' => self.copy(at, string_end(self.input, at)?),
            b'[' => self.array(at),
            b'{' => self.object(at),
            _ => {
                let len = self
                    .input
                    .get(at..)
                    .unwrap_or_default()
                    .iter()
                    .position(|&b| is_ws(b) || matches!(b, b',' | b']' | b'}'));
                self.copy(at, len.map_or(self.input.len(), |len| at + len))
            }
        }
    }

    /// `byte` at offset `at` (after whitespace): written, and the offset after it.
    fn punct(&mut self, at: usize, byte: u8) -> Result<usize, Error> {
        let at = skip_ws(self.input, at);
        if self.input.get(at) != Some(&byte) {
            return Err(Error::MalformedBody);
        }
        self.out.push(byte);
        Ok(at + 1)
    }

    fn array(&mut self, at: usize) -> Result<usize, Error> {
        let mut pos = self.punct(at, b'[')?;
        if self.input.get(skip_ws(self.input, pos)) == Some(&b']') {
            return self.punct(pos, b']');
        }
        loop {
            pos = skip_ws(self.input, self.value(pos)?);
            match self.input.get(pos) {
                Some(b',') => pos = self.punct(pos, b',')?,
                _ => return self.punct(pos, b']'),
            }
        }
    }

    /// `"key":value` from the key's opening quote at `at`.
    fn member(&mut self, at: usize) -> Result<usize, Error> {
        let key_end = self.copy(at, string_end(self.input, at)?)?;
        let colon = self.punct(key_end, b':')?;
        self.value(colon)
    }

    fn object(&mut self, at: usize) -> Result<usize, Error> {
        let open = O::new(at)?;
        let sorted = match self.reorders.binary_search_by_key(&open, |r| r.open) {
            Ok(i) => self.reorders.get(i).copied(),
            Err(_) => None,
        };
        let mut pos = self.punct(at, b'{')?;
        if let Some(Reorder { first, count, .. }) = sorted {
            let keys = self.keys.get(first.get()..first.get() + count.get()).ok_or(Error::MalformedBody)?;
            // The object ends after the value of its last member in the body.
            let mut last = (at, at);
            for (n, key) in keys.iter().enumerate() {
                if n > 0 {
                    self.out.push(b',');
                }
                let end = self.member(key.get())?;
                last = last.max((key.get(), end));
            }
            return self.punct(last.1, b'}');
        }
        if self.input.get(skip_ws(self.input, pos)) == Some(&b'}') {
            return self.punct(pos, b'}');
        }
        loop {
            pos = skip_ws(self.input, self.member(skip_ws(self.input, pos))?);
            match self.input.get(pos) {
                Some(b',') => pos = self.punct(pos, b',')?,
                _ => return self.punct(pos, b'}'),
            }
        }
    }
}

/// The offset just after the (checked) string token whose opening quote is at `at`.
fn string_end(input: &[u8], at: usize) -> Result<usize, Error> {
    let mut pos = at + 1;
    loop {
        let rest = input.get(pos..).ok_or(Error::MalformedBody)?;
        pos += rest.iter().position(|&b| b == b'"' || b == b'\\').ok_or(Error::MalformedBody)?;
        match input.get(pos) {
            Some(b'"') => return Ok(pos + 1),
            _ => pos += 2, // a backslash and the byte it escapes
        }
    }
}

/// After `\u`: one code point from `XXXX` or a surrogate pair
/// `XXXX\uXXXX`; `None` for a lone surrogate or a bad digit.
fn unicode_escape(text: &[u8]) -> Option<char> {
    let hex4 = |digits: Option<&[u8]>| -> Option<u32> {
        let mut value = 0u32;
        for &byte in digits? {
            value = value * 16 + char::from(byte).to_digit(16)?;
        }
        Some(value)
    };
    let first = hex4(text.get(..4))?;
    let code = match first {
        0xD800..=0xDBFF => {
            if text.get(4..6) != Some(b"\\u") {
                return None;
            }
            let second = hex4(text.get(6..10))?;
            if !(0xDC00..=0xDFFF).contains(&second) {
                return None;
            }
            0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
        }
        0xDC00..=0xDFFF => return None,
        other => other,
    };
    char::from_u32(code)
}

/// Orders two (checked) key tokens, given by their opening quotes, by their
/// unescaped UTF-8 bytes, without unescaping them into a buffer.
fn compare_keys(input: &[u8], a: usize, b: usize) -> Ordering {
    let (a, b) = (input.get(a + 1..).unwrap_or_default(), input.get(b + 1..).unwrap_or_default());
    // Most keys have no escape: then the first raw byte that differs decides,
    // in one pass that stops there. Equal 8-byte words with no quote or
    // backslash are skipped a word at a time (long shared prefixes are common:
    // `"order_1001"`, `"order_1002"`).
    let mut same = 0;
    while let (Some(x), Some(y)) = (word(a, same), word(b, same)) {
        if x != y || has_byte(x, b'"') || has_byte(x, b'\\') {
            break;
        }
        same += 8;
    }
    let (tail_a, tail_b) = (a.get(same..).unwrap_or_default(), b.get(same..).unwrap_or_default());
    for (&x, &y) in tail_a.iter().zip(tail_b) {
        match (x, y) {
            (b'\\', _) | (_, b'\\') => break,
            (b'"', b'"') => return Ordering::Equal,
            (b'"', _) => return Ordering::Less,
            (_, b'"') => return Ordering::Greater,
            _ if x != y => return x.cmp(&y),
            _ => {}
        }
    }
    Unescaped::new(a).cmp(Unescaped::new(b))
}

/// The 8 bytes at `at`, as a word.
fn word(bytes: &[u8], at: usize) -> Option<u64> {
    Some(u64::from_le_bytes(bytes.get(at..at + 8)?.try_into().ok()?))
}

/// Whether one of the word's bytes is `byte` (the classic SWAR zero-byte test).
fn has_byte(word: u64, byte: u8) -> bool {
    const ONES: u64 = u64::MAX / 255;
    let x = word ^ (ONES * u64::from(byte));
    x.wrapping_sub(ONES) & !x & (ONES << 7) != 0
}

/// The unescaped UTF-8 bytes of a (checked) string token's contents, up to
/// its closing quote.
struct Unescaped<'a> {
    rest: &'a [u8],
    utf8: [u8; 4],
    /// `utf8[next..len]` are still to be returned.
    next: usize,
    len: usize,
}

impl<'a> Unescaped<'a> {
    fn new(contents: &'a [u8]) -> Unescaped<'a> {
        Unescaped { rest: contents, utf8: [0; 4], next: 0, len: 0 }
    }
}

impl Iterator for Unescaped<'_> {
    type Item = u8;

    fn next(&mut self) -> Option<u8> {
        if self.next < self.len {
            self.next += 1;
            return self.utf8.get(self.next - 1).copied();
        }
        match *self.rest {
            [b'\\', escape, ref tail @ ..] => {
                let (unescaped, tail) = match escape {
                    b'u' => {
                        let code = unicode_escape(tail)?;
                        (code, tail.get(if code.len_utf8() == 4 { 10 } else { 4 }..)?)
                    }
                    b'b' => ('\u{8}', tail),
                    b'f' => ('\u{c}', tail),
                    b'n' => ('\n', tail),
                    b'r' => ('\r', tail),
                    b't' => ('\t', tail),
                    other => (char::from(other), tail), // `"`, `\\`, `/`
                };
                self.rest = tail;
                self.len = unescaped.encode_utf8(&mut self.utf8).len();
                self.next = 1;
                self.utf8.first().copied()
            }
            [b'"', ..] | [] => None,
            [byte, ref tail @ ..] => {
                self.rest = tail;
                Some(byte)
            }
        }
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
    fn reorders_through_whitespace_escapes_and_nesting() {
        // Whitespace everywhere; a reordered object inside one in order inside
        // one reordered; escaped keys sorted among plain ones (`\u0062` is "b",
        // `\ud83d\ude00` is F0 9F 98 80, after "é" = C3 A9); values after the
        // last member in the body are found again.
        let body =
            " {\n \"z\" : [ { \"a\" : { \"y\" : 1 , \"x\" : [ ] } , \"b\" : \"\\\"\" } ] ,\r\n\t\"\\u0062\" : { } ,
            \"\\ud83d\\ude00\" : -0.5e+3 , \"é\" : true , \"a\\n\" : null } ";
        assert_eq!(
            canon(body),
            Ok(r#"{"a\n":null,"\u0062":{},"z":[{"a":{"x":[],"y":1},"b":"\""}],"é":true,"\ud83d\ude00":-0.5e+3}"#
                .into())
        );
        // Every escape compares as the byte(s) it stands for.
        assert_eq!(
            canon(r#"{"\t":1,"\/":2,"\b":3,"\\":4,"\"":5,"\f":6,"\r":7,"\n":8}"#),
            Ok(r#"{"\b":3,"\t":1,"\n":8,"\f":6,"\r":7,"\"":5,"\/":2,"\\":4}"#.into())
        );
    }

    #[test]
    fn duplicate_keys_are_found_in_any_order_and_at_any_depth() {
        for bad in [
            r#"{"a":1,"a":1}"#,
            r#"{"b":1,"a":1,"b":2}"#,
            r#"{"a":{"b":{"c":1,"d":2,"c":3}}}"#,
            r#"[{"x":1},{"y":1,"\u0079":1}]"#,
            r#"{"\ud83d\ude00":1,"😀":2}"#,
        ] {
            assert_eq!(canon(bad), Err(Error::MalformedBody), "{bad:?}");
        }
    }

    #[test]
    fn only_objects_out_of_order_are_indexed() {
        let index = |body: &str| {
            let mut indexer = Indexer::<u32> {
                input: body.as_bytes(),
                pos: 0,
                open: Vec::new(),
                keys: Vec::new(),
                reorders: Vec::new(),
            };
            indexer.value(0).map(|()| (indexer.keys.len(), indexer.reorders.len(), indexer.open.len()))
        };
        assert_eq!(index(r#"{"a":[{"b":1,"c":2}],"d":{"e":{}}}"#), Ok((0, 0, 0)));
        assert_eq!(index(r#"{"a":[{"c":1,"b":2}],"d":{"e":{}}}"#), Ok((2, 1, 0)));
        assert_eq!(index(r#"{"d":[{"c":1,"b":2}],"a":1}"#), Ok((4, 2, 0)));
    }

    #[test]
    fn accepts_any_top_level_value_and_surrogate_pairs() {
        assert_eq!(canon(" 12345678901234567890123 "), Ok("12345678901234567890123".into()));
        assert_eq!(canon(r#""\ud83d\ude00""#), Ok(r#""\ud83d\ude00""#.into()));
        assert_eq!(canon("[]"), Ok("[]".into()));
        assert_eq!(canon("{ }"), Ok("{}".into()));
    }
}
