//! A strict, bounded JSON (RFC 8259) parser and a small compact writer.
//!
//! Everything that reaches this module came from outside (token segments, server replies, stored state),
//! so the parser is deliberately unforgiving: no byte-order mark, no comments, no trailing commas, no
//! leading zeros, only the four JSON whitespace characters, no raw control characters in strings, every
//! escape validated, `\u` surrogates must pair, duplicate object keys rejected (compared after
//! unescaping, so `"a"` and `"\u0061"` collide), the input size is checked before any work and nesting
//! is bounded by [`Limits::max_depth`], which also bounds the parser's recursion.
//!
//! Numbers keep their exact validated lexeme ([`Number`]), so nothing is lost or silently rounded: callers
//! decide whether `1.0` counts as an integer (it does not, see [`Number::as_i64`]).

use core::fmt;

use crate::text::{cat, int, push_hex, uint};

/// Why a document was rejected. Offsets are byte offsets into the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonError {
    /// The input is longer than [`Limits::max_bytes`]; nothing was parsed.
    TooLarge {
        /// The input length in bytes.
        len: usize,
        /// The configured maximum.
        max: usize,
    },
    /// Arrays and objects nest deeper than [`Limits::max_depth`].
    TooDeep {
        /// The configured maximum.
        max: usize,
    },
    /// The input is not valid UTF-8.
    InvalidUtf8 {
        /// The first byte that is not part of a valid UTF-8 sequence.
        offset: usize,
    },
    /// A `\u` escape names half of a surrogate pair without the other half.
    LoneSurrogate {
        /// Where the offending escape starts.
        offset: usize,
    },
    /// An object has the same key twice (after unescaping).
    DuplicateKey(String),
    /// The input does not follow the JSON grammar.
    Syntax {
        /// Where the problem was found.
        offset: usize,
        /// What the grammar allows there.
        expected: &'static str,
    },
    /// A complete value is followed by something other than whitespace.
    TrailingData {
        /// Where the extra data starts.
        offset: usize,
    },
    /// The document is valid JSON but its top level is not an object.
    NotAnObject,
}

impl JsonError {
    /// The message, for people (what `Display` writes).
    pub fn message(&self) -> String {
        match self {
            JsonError::TooLarge { len, max } => cat(&[
                "JSON document is ",
                &uint(*len as u64),
                " bytes, more than the maximum of ",
                &uint(*max as u64),
            ]),
            JsonError::TooDeep { max } => {
                cat(&["JSON nests deeper than ", &uint(*max as u64), " levels"])
            }
            JsonError::InvalidUtf8 { offset } => {
                cat(&["invalid UTF-8 at byte ", &uint(*offset as u64)])
            }
            JsonError::LoneSurrogate { offset } => cat(&[
                "unpaired UTF-16 surrogate escape at byte ",
                &uint(*offset as u64),
            ]),
            // Keys come from outside: `shown` bounds what we repeat back.
            JsonError::DuplicateKey(key) => {
                cat(&["duplicate object key ", &crate::jwt::shown(key)])
            }
            JsonError::Syntax { offset, expected } => cat(&[
                "invalid JSON at byte ",
                &uint(*offset as u64),
                ": expected ",
                expected,
            ]),
            JsonError::TrailingData { offset } => cat(&[
                "unexpected data after the JSON value at byte ",
                &uint(*offset as u64),
            ]),
            JsonError::NotAnObject => String::from("the JSON document is not an object"),
        }
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for JsonError {}

/// Bounds applied to untrusted input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest accepted input, in bytes (checked before parsing).
    pub max_bytes: usize,
    /// The deepest accepted nesting of arrays and objects (a top-level object is depth 1). Values above
    /// [`MAX_DEPTH_CAP`] act as [`MAX_DEPTH_CAP`]: the parser recurses once per level and wasm stacks
    /// are small.
    pub max_depth: usize,
}

/// The hard upper bound on [`Limits::max_depth`], whatever the caller asks for.
pub const MAX_DEPTH_CAP: usize = 256;

impl Default for Limits {
    /// 1 MiB and depth 32.
    fn default() -> Self {
        Limits {
            max_bytes: 1024 * 1024,
            max_depth: 32,
        }
    }
}

/// A JSON number, kept as its exact validated lexeme.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Number(String);

impl Number {
    /// The lexeme exactly as it appeared (or as written by `From`).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The value as an `i64`, only for plain integer lexemes (no fraction, no exponent) in range.
    pub fn as_i64(&self) -> Option<i64> {
        if !self.is_integer() {
            return None;
        }
        self.0.parse::<i64>().ok()
    }

    /// The value as a finite `f64` (possibly rounded); `None` if it overflows to infinity.
    pub fn as_f64(&self) -> Option<f64> {
        self.0.parse::<f64>().ok().filter(|v| v.is_finite())
    }

    /// Whether the lexeme is a plain integer: no fraction and no exponent (`1.0` and `1e3` are not).
    pub fn is_integer(&self) -> bool {
        !self.0.bytes().any(|b| matches!(b, b'.' | b'e' | b'E'))
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<i64> for Number {
    fn from(v: i64) -> Self {
        Number(int(v))
    }
}

impl From<u64> for Number {
    fn from(v: u64) -> Self {
        Number(uint(v))
    }
}

impl From<i32> for Number {
    fn from(v: i32) -> Self {
        Number(int(v.into()))
    }
}

impl From<u32> for Number {
    fn from(v: u32) -> Self {
        Number(uint(v.into()))
    }
}

/// A JSON object: members in insertion order, keys unique.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Object(Vec<(String, Value)>);

impl Object {
    /// An empty object.
    pub fn new() -> Self {
        Object(Vec::new())
    }

    /// The value of `key`, if present.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The value of `key` if it is a string.
    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Value::as_str)
    }

    /// The value of `key` if it is a plain integer number in `i64` range.
    pub fn get_i64(&self, key: &str) -> Option<i64> {
        self.get(key).and_then(Value::as_i64)
    }

    /// The value of `key` if it is a boolean.
    pub fn get_bool(&self, key: &str) -> Option<bool> {
        self.get(key).and_then(Value::as_bool)
    }

    /// The value of `key` if it is an object.
    pub fn get_object(&self, key: &str) -> Option<&Object> {
        self.get(key).and_then(Value::as_object)
    }

    /// The value of `key` if it is an array.
    pub fn get_array(&self, key: &str) -> Option<&[Value]> {
        self.get(key).and_then(Value::as_array)
    }

    /// Sets `key` to `value`, replacing an existing member in place (keeping its position).
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<Value>) {
        self.insert_value(key.into(), value.into());
    }

    // Not generic, so the wasm holds one copy rather than one per argument type.
    fn insert_value(&mut self, key: String, value: Value) {
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.0.push((key, value)),
        }
    }

    /// Builder form of [`Object::insert`].
    pub fn with(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.insert(key, value);
        self
    }

    /// Removes `key`, returning its value.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let index = self.0.iter().position(|(k, _)| k == key)?;
        Some(self.0.remove(index).1)
    }

    /// The members in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The number of members.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the object has no members.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Compact JSON text, members in insertion order.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        write_object(self, &mut out);
        out
    }
}

/// Any JSON value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A number, kept as its lexeme.
    Number(Number),
    /// A string (unescaped).
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object.
    Object(Object),
}

impl Value {
    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The object, if this is one.
    pub fn as_object(&self) -> Option<&Object> {
        match self {
            Value::Object(o) => Some(o),
            _ => None,
        }
    }

    /// The array's elements, if this is one.
    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The number, if this is one.
    pub fn as_number(&self) -> Option<&Number> {
        match self {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    /// The value as an `i64` if it is a plain integer number in range (see [`Number::as_i64`]).
    pub fn as_i64(&self) -> Option<i64> {
        self.as_number().and_then(Number::as_i64)
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// Compact JSON text (RFC 8259 escaping, object members in insertion order).
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        write_value(self, &mut out);
        out
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::String(v.to_owned())
    }
}

impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::String(v)
    }
}

impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::String(v.clone())
    }
}

impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Number(v.into())
    }
}

impl From<u64> for Value {
    fn from(v: u64) -> Self {
        Value::Number(v.into())
    }
}

impl From<i32> for Value {
    fn from(v: i32) -> Self {
        Value::Number(v.into())
    }
}

impl From<u32> for Value {
    fn from(v: u32) -> Self {
        Value::Number(v.into())
    }
}

impl From<Number> for Value {
    fn from(v: Number) -> Self {
        Value::Number(v)
    }
}

impl From<Object> for Value {
    fn from(v: Object) -> Self {
        Value::Object(v)
    }
}

impl From<Vec<Value>> for Value {
    fn from(v: Vec<Value>) -> Self {
        Value::Array(v)
    }
}

/// Parses one JSON document of any type.
pub fn parse(input: &[u8], limits: &Limits) -> Result<Value, JsonError> {
    if input.len() > limits.max_bytes {
        return Err(JsonError::TooLarge {
            len: input.len(),
            max: limits.max_bytes,
        });
    }
    let text = core::str::from_utf8(input).map_err(|e| JsonError::InvalidUtf8 {
        offset: e.valid_up_to(),
    })?;
    let mut parser = Parser {
        bytes: text.as_bytes(),
        text,
        pos: 0,
        max_depth: limits.max_depth.min(MAX_DEPTH_CAP),
    };
    parser.skip_whitespace();
    let value = parser.value(0)?;
    parser.skip_whitespace();
    if parser.pos < parser.bytes.len() {
        return Err(JsonError::TrailingData { offset: parser.pos });
    }
    Ok(value)
}

/// Parses one JSON document whose top level must be an object.
pub fn parse_object(input: &[u8], limits: &Limits) -> Result<Object, JsonError> {
    match parse(input, limits)? {
        Value::Object(o) => Ok(o),
        _ => Err(JsonError::NotAnObject),
    }
}

struct Parser<'a> {
    bytes: &'a [u8],
    /// The same input, already checked to be UTF-8.
    text: &'a str,
    pos: usize,
    max_depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn syntax(&self, expected: &'static str) -> JsonError {
        JsonError::Syntax {
            offset: self.pos,
            expected,
        }
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// One value; `depth` is the number of containers already open around it.
    fn value(&mut self, depth: usize) -> Result<Value, JsonError> {
        match self.peek() {
            Some(b'{') => self.object(depth + 1).map(Value::Object),
            Some(b'[') => self.array(depth + 1),
            Some(b'"') => self.string().map(Value::String),
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'n') => self.literal("null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number().map(Value::Number),
            _ => Err(self.syntax("a JSON value")),
        }
    }

    fn literal(&mut self, word: &'static str, value: Value) -> Result<Value, JsonError> {
        let end = self.pos.saturating_add(word.len());
        if self.bytes.get(self.pos..end) == Some(word.as_bytes()) {
            self.pos = end;
            Ok(value)
        } else {
            Err(self.syntax(word))
        }
    }

    fn enter(&self, depth: usize) -> Result<(), JsonError> {
        if depth > self.max_depth {
            Err(JsonError::TooDeep {
                max: self.max_depth,
            })
        } else {
            Ok(())
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, JsonError> {
        self.enter(depth)?;
        self.pos += 1; // '['
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_whitespace();
            items.push(self.value(depth)?);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.syntax("',' or ']'")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Object, JsonError> {
        self.enter(depth)?;
        self.pos += 1; // '{'
        let mut members: Vec<(String, Value)> = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Object(members));
        }
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return Err(self.syntax("a string key"));
            }
            let key = self.string()?;
            self.skip_whitespace();
            if self.peek() != Some(b':') {
                return Err(self.syntax("':'"));
            }
            self.pos += 1;
            self.skip_whitespace();
            let value = self.value(depth)?;
            members.push((key, value));
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    break;
                }
                _ => return Err(self.syntax("',' or '}'")),
            }
        }
        // Sort a list of key references rather than scanning pairwise: O(n log n) even for hostile input.
        let mut keys: Vec<&str> = members.iter().map(|(k, _)| k.as_str()).collect();
        heap_sort(&mut keys);
        if let Some(pair) = keys.windows(2).find(|w| w.first() == w.get(1)) {
            let dup = pair.first().copied().unwrap_or_default().to_owned();
            return Err(JsonError::DuplicateKey(dup));
        }
        Ok(Object(members))
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<Number, JsonError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if matches!(self.peek(), Some(b'0'..=b'9')) {
                    return Err(self.syntax("no leading zeros"));
                }
            }
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.syntax("a digit")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.syntax("a digit after '.'"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.syntax("a digit in the exponent"));
            }
        }
        let lexeme = self.text.get(start..self.pos).ok_or(JsonError::Syntax {
            offset: start,
            expected: "a number",
        })?;
        Ok(Number(lexeme.to_owned()))
    }

    fn hex4(&mut self) -> Result<u16, JsonError> {
        let mut v: u16 = 0;
        for _ in 0..4 {
            let digit = match self.peek() {
                Some(c @ b'0'..=b'9') => c - b'0',
                Some(c @ b'a'..=b'f') => c - b'a' + 10,
                Some(c @ b'A'..=b'F') => c - b'A' + 10,
                _ => return Err(self.syntax("four hex digits after \\u")),
            };
            v = (v << 4) | u16::from(digit);
            self.pos += 1;
        }
        Ok(v)
    }

    fn string(&mut self) -> Result<String, JsonError> {
        self.pos += 1; // opening quote
        let mut out = String::new();
        loop {
            // Copy the longest run of plain characters at once; the input is valid UTF-8 and runs stop
            // only at ASCII bytes, so the slice boundaries are character boundaries.
            let run_start = self.pos;
            while matches!(self.peek(), Some(c) if c != b'"' && c != b'\\' && c >= 0x20) {
                self.pos += 1;
            }
            if let Some(run) = self.text.get(run_start..self.pos) {
                out.push_str(run);
            }
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    let escape_start = self.pos;
                    self.pos += 1;
                    let c = self.peek();
                    self.pos += 1;
                    match c {
                        Some(b'"') => out.push('"'),
                        Some(b'\\') => out.push('\\'),
                        Some(b'/') => out.push('/'),
                        Some(b'b') => out.push('\u{08}'),
                        Some(b'f') => out.push('\u{0c}'),
                        Some(b'n') => out.push('\n'),
                        Some(b'r') => out.push('\r'),
                        Some(b't') => out.push('\t'),
                        Some(b'u') => out.push(self.unicode_escape(escape_start)?),
                        _ => {
                            self.pos -= 1;
                            return Err(self.syntax("a valid escape character"));
                        }
                    }
                }
                None => return Err(self.syntax("a closing '\"'")),
                Some(_) => return Err(self.syntax("no raw control characters in strings")),
            }
        }
    }

    /// After `\u`: one code unit, or a high surrogate that must be followed by `\u` + a low surrogate.
    fn unicode_escape(&mut self, escape_start: usize) -> Result<char, JsonError> {
        let unit = self.hex4()?;
        let code = match unit {
            0xD800..=0xDBFF => {
                let lone = JsonError::LoneSurrogate {
                    offset: escape_start,
                };
                if self.bytes.get(self.pos..self.pos.saturating_add(2)) != Some(b"\\u") {
                    return Err(lone);
                }
                self.pos += 2;
                let low = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&low) {
                    return Err(lone);
                }
                0x10000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(low) - 0xDC00)
            }
            0xDC00..=0xDFFF => {
                return Err(JsonError::LoneSurrogate {
                    offset: escape_start,
                })
            }
            other => u32::from(other),
        };
        char::from_u32(code).ok_or(JsonError::LoneSurrogate {
            offset: escape_start,
        })
    }
}

/// Heapsort: O(n log n) for any input, like `sort_unstable`, in a tenth of its code in the wasm (3.5 KB).
fn heap_sort(v: &mut [&str]) {
    // Moves the element at `root` down until it is no smaller than its children, within `v[..end]`.
    fn sift_down(v: &mut [&str], mut root: usize, end: usize) {
        loop {
            let left = 2 * root + 1;
            let right = left + 1;
            let mut largest = root;
            for child in [left, right] {
                if child < end && v.get(child) > v.get(largest) {
                    largest = child;
                }
            }
            if largest == root {
                return;
            }
            v.swap(root, largest);
            root = largest;
        }
    }
    for root in (0..v.len() / 2).rev() {
        sift_down(v, root, v.len());
    }
    for end in (1..v.len()).rev() {
        v.swap(0, end);
        sift_down(v, 0, end);
    }
}

fn write_value(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => out.push_str(n.as_str()),
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(item, out);
            }
            out.push(']');
        }
        Value::Object(o) => write_object(o, out),
    }
}

fn write_object(object: &Object, out: &mut String) {
    out.push('{');
    for (i, (k, v)) in object.0.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_string(k, out);
        out.push(':');
        write_value(v, out);
    }
    out.push('}');
}

fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            c if u32::from(c) < 0x20 => {
                out.push_str("\\u");
                push_hex(out, u32::from(c), 4, false);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<Value, JsonError> {
        parse(s.as_bytes(), &Limits::default())
    }

    fn is_syntax(r: Result<Value, JsonError>) -> bool {
        matches!(r, Err(JsonError::Syntax { .. }))
    }

    #[test]
    fn parses_all_value_kinds() {
        let v = p(r#" {"a": [1, -2.5e3, true, false, null], "b": {"c": "d"}} "#).unwrap();
        let o = v.as_object().unwrap();
        let a = o.get_array("a").unwrap();
        assert_eq!(a.len(), 5);
        assert_eq!(a[0].as_i64(), Some(1));
        assert_eq!(a[1].as_number().unwrap().as_str(), "-2.5e3");
        assert_eq!(a[1].as_number().unwrap().as_f64(), Some(-2500.0));
        assert_eq!(a[2].as_bool(), Some(true));
        assert_eq!(a[3].as_bool(), Some(false));
        assert!(a[4].is_null());
        assert_eq!(o.get_object("b").unwrap().get_str("c"), Some("d"));
        assert_eq!(p("\"x\"").unwrap(), Value::from("x"));
        assert_eq!(p("0").unwrap().as_i64(), Some(0));
    }

    #[test]
    fn rejects_duplicate_keys_including_after_unescaping() {
        assert_eq!(
            p(r#"{"a":1,"a":2}"#),
            Err(JsonError::DuplicateKey("a".into()))
        );
        assert_eq!(
            p(r#"{"a":1,"\u0061":2}"#),
            Err(JsonError::DuplicateKey("a".into()))
        );
        assert_eq!(
            p(r#"{"x":{"k":1,"k":1}}"#),
            Err(JsonError::DuplicateKey("k".into()))
        );
        // Same key in different objects is fine.
        assert!(p(r#"{"a":{"a":1},"b":{"a":2}}"#).is_ok());
    }

    #[test]
    fn bounds_depth_and_size() {
        let limits = Limits {
            max_bytes: 1000,
            max_depth: 3,
        };
        assert!(parse(b"[[[1]]]", &limits).is_ok());
        assert_eq!(
            parse(b"[[[[1]]]]", &limits),
            Err(JsonError::TooDeep { max: 3 })
        );
        assert_eq!(
            parse(br#"{"a":{"b":{"c":{}}}}"#, &limits),
            Err(JsonError::TooDeep { max: 3 })
        );
        let big = vec![b' '; 1001];
        assert_eq!(
            parse(&big, &limits),
            Err(JsonError::TooLarge {
                len: 1001,
                max: 1000
            })
        );
        // Default depth: a deep hostile document must fail cleanly, not overflow the stack.
        let deep = "[".repeat(100_000);
        assert_eq!(p(&deep), Err(JsonError::TooDeep { max: 32 }));
        // Even a caller asking for no bound gets the hard cap.
        let unbounded = Limits {
            max_bytes: usize::MAX,
            max_depth: usize::MAX,
        };
        assert_eq!(
            parse(deep.as_bytes(), &unbounded),
            Err(JsonError::TooDeep { max: MAX_DEPTH_CAP })
        );
        let at_cap = format!("{}{}", "[".repeat(MAX_DEPTH_CAP), "]".repeat(MAX_DEPTH_CAP));
        assert!(parse(at_cap.as_bytes(), &unbounded).is_ok());
    }

    #[test]
    fn rejects_lone_surrogates_and_accepts_pairs() {
        assert_eq!(p(r#""\ud83d\ude00""#).unwrap().as_str(), Some("\u{1F600}"));
        assert_eq!(
            p(r#""\ud83d""#),
            Err(JsonError::LoneSurrogate { offset: 1 })
        );
        assert_eq!(
            p(r#""ab\ude00""#),
            Err(JsonError::LoneSurrogate { offset: 3 })
        );
        assert_eq!(
            p(r#""\ud83d\u0041""#),
            Err(JsonError::LoneSurrogate { offset: 1 })
        );
        assert_eq!(
            p(r#""\ud83dx""#),
            Err(JsonError::LoneSurrogate { offset: 1 })
        );
    }

    #[test]
    fn rejects_invalid_utf8() {
        assert_eq!(
            parse(b"\"ab\xff\"", &Limits::default()),
            Err(JsonError::InvalidUtf8 { offset: 3 })
        );
        // Overlong encoding of '/'.
        assert_eq!(
            parse(b"\"\xc0\xaf\"", &Limits::default()),
            Err(JsonError::InvalidUtf8 { offset: 1 })
        );
        // Encoded surrogate (CESU-8).
        assert!(matches!(
            parse(b"\"\xed\xa0\x80\"", &Limits::default()),
            Err(JsonError::InvalidUtf8 { .. })
        ));
        assert_eq!(p("\"é€😀\"").unwrap().as_str(), Some("é€😀"));
    }

    #[test]
    fn number_lexemes_are_strict() {
        for bad in [
            "01",
            "-01",
            "00",
            "+1",
            ".5",
            "1.",
            "1.e3",
            "1e",
            "1e+",
            "-",
            "--1",
            "0x10",
            "1_000",
            "NaN",
            "Infinity",
            "-Infinity",
            "1.5.2",
        ] {
            assert!(p(bad).is_err(), "{bad} should be rejected");
        }
        for good in [
            "0",
            "-0",
            "1",
            "-1",
            "0.5",
            "1e3",
            "1E+3",
            "1e-3",
            "-0.0e0",
            "123456789",
        ] {
            let v = p(good).unwrap();
            assert_eq!(v.as_number().unwrap().as_str(), good);
        }
        let n = |s: &str| p(s).unwrap().as_number().unwrap().clone();
        assert_eq!(n("1.0").as_i64(), None);
        assert!(!n("1.0").is_integer());
        assert_eq!(n("1e3").as_i64(), None);
        assert_eq!(n("9223372036854775807").as_i64(), Some(i64::MAX));
        assert_eq!(n("-9223372036854775808").as_i64(), Some(i64::MIN));
        assert_eq!(n("9223372036854775808").as_i64(), None);
        assert!(n("9223372036854775808").is_integer());
        assert_eq!(n("1e999").as_f64(), None);
        assert_eq!(Number::from(-5i64).as_str(), "-5");
        assert_eq!(Number::from(u64::MAX).as_str(), "18446744073709551615");
    }

    #[test]
    fn rejects_trailing_commas_bom_comments_and_bad_whitespace() {
        assert!(is_syntax(p("[1,]")));
        assert!(is_syntax(p(r#"{"a":1,}"#)));
        assert!(is_syntax(p("[,1]")));
        assert!(is_syntax(p("{,}")));
        assert!(is_syntax(p("\u{feff}{}")));
        assert!(is_syntax(p("/*c*/{}")));
        assert!(matches!(p("{} //c"), Err(JsonError::TrailingData { .. })));
        assert!(is_syntax(p("\u{a0}{}")));
        assert!(is_syntax(p("\u{0b}{}")));
        assert!(is_syntax(p("{'a':1}")));
        assert!(is_syntax(p("{a:1}")));
        assert!(is_syntax(p("")));
        assert!(is_syntax(p("   ")));
        assert!(is_syntax(p("tru")));
        assert!(is_syntax(p("nul")));
        assert!(is_syntax(p("[1 2]")));
        assert!(is_syntax(p(r#"{"a" 1}"#)));
        assert!(is_syntax(p(r#"{"a":1"#)));
        assert_eq!(p("{} {}"), Err(JsonError::TrailingData { offset: 3 }));
        assert_eq!(p("1 2"), Err(JsonError::TrailingData { offset: 2 }));
        assert!(p(" \t\r\n{ \t\r\n} \t\r\n").is_ok());
    }

    #[test]
    fn rejects_control_characters_and_bad_escapes() {
        assert!(is_syntax(p("\"a\u{0}b\"")));
        assert!(is_syntax(p("\"a\nb\"")));
        assert!(is_syntax(p("\"a\tb\"")));
        assert!(is_syntax(p("\"\u{1f}\"")));
        assert!(is_syntax(p(r#""\x41""#)));
        assert!(is_syntax(p(r#""\'""#)));
        assert!(is_syntax(p(r#""\u12""#)));
        assert!(is_syntax(p(r#""\u12g4""#)));
        assert!(is_syntax(p(r#""abc"#)));
        assert!(is_syntax(p(r#""abc\"#)));
        // DEL and escaped NUL are allowed by RFC 8259.
        assert_eq!(p("\"\u{7f}\"").unwrap().as_str(), Some("\u{7f}"));
        assert_eq!(p(r#""\u0000""#).unwrap().as_str(), Some("\0"));
        assert_eq!(
            p(r#""\"\\\/\b\f\n\r\t\u00e9""#).unwrap().as_str(),
            Some("\"\\/\u{8}\u{c}\n\r\té")
        );
    }

    #[test]
    fn parse_object_requires_an_object() {
        let lim = Limits::default();
        assert_eq!(parse_object(b"[]", &lim), Err(JsonError::NotAnObject));
        assert_eq!(parse_object(b"\"{}\"", &lim), Err(JsonError::NotAnObject));
        assert_eq!(parse_object(b"{}", &lim), Ok(Object::new()));
    }

    #[test]
    fn to_json_round_trips_with_escaping() {
        let nasty =
            "q\"b\\s/ nl\n cr\r tab\t bs\u{8} ff\u{c} nul\0 us\u{1f} del\u{7f} é 😀 \u{2028}";
        let obj = Object::new()
            .with("s", nasty)
            .with("n", -42i64)
            .with("u", u64::MAX)
            .with("t", true)
            .with("z", Value::Null)
            .with(
                "a",
                vec![
                    Value::from(1i64),
                    Value::from("x"),
                    Value::from(Object::new()),
                ],
            )
            .with("o", Object::new().with("k", "v"));
        let text = obj.to_json();
        assert!(text.starts_with(r#"{"s":"q\"b\\s/ nl\n cr\r tab\t bs\b ff\f nul\u0000 us\u001f"#));
        let back = parse_object(text.as_bytes(), &Limits::default()).unwrap();
        assert_eq!(back, obj);
        assert_eq!(back.to_json(), text);
        // Insertion order is kept.
        let keys: Vec<&str> = back.iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["s", "n", "u", "t", "z", "a", "o"]);
        assert_eq!(Value::from(vec![]).to_json(), "[]");
        // Numbers round-trip lexemes exactly.
        let v = p("[1.50,-0,1E+3]").unwrap();
        assert_eq!(v.to_json(), "[1.50,-0,1E+3]");
    }

    #[test]
    fn object_editing() {
        let mut o = Object::new().with("a", 1i64).with("b", "x");
        o.insert("a", 2i64);
        assert_eq!(o.len(), 2);
        assert_eq!(o.get_i64("a"), Some(2));
        assert_eq!(o.to_json(), r#"{"a":2,"b":"x"}"#);
        assert_eq!(o.remove("a"), Some(Value::from(2i64)));
        assert_eq!(o.remove("a"), None);
        assert_eq!(o.get_str("b"), Some("x"));
        assert_eq!(o.get_str("missing"), None);
        assert_eq!(o.get_i64("b"), None);
        assert!(!o.is_empty());
        o.remove("b");
        assert!(o.is_empty());
        assert_eq!(o.get_bool("x"), None);
    }

    #[test]
    fn heap_sort_sorts() {
        let words = ["d", "b", "a", "c", "b", "", "e", "aa"];
        for n in 0..=words.len() {
            let mut got = words[..n].to_vec();
            let mut want = got.clone();
            heap_sort(&mut got);
            want.sort_unstable();
            assert_eq!(got, want);
        }
    }

    #[test]
    fn errors_display_position_and_expectation() {
        let e = p("[1,]").unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid JSON at byte 3: expected a JSON value"
        );
        let long = "k".repeat(100);
        let e = JsonError::DuplicateKey(long);
        // The key is shown quoted, cut to 80 characters, then "...".
        assert_eq!(e.to_string().len(), 21 + 82 + 3);
    }
}
