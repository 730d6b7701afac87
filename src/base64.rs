//! Base64 (RFC 4648) as the crate uses it: the standard alphabet with padding for SRP's `SECRET_BLOCK` and the
//! values it signs, and unpadded base64url for JWT segments. Decoding is strict: only canonical text (every
//! character in the alphabet, padding exactly where it must be, unused trailing bits zero) decodes, so one byte
//! string has one text form.
//!
//! Ours rather than the `base64` crate's engine, which brought 1.5 KB gzip into the session core's wasm; the
//! tests check both directions against that crate.

/// Which of the two forms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// `+` and `/`, padded with `=` to a multiple of four characters.
    StandardPadded,
    /// `-` and `_`, no padding.
    UrlUnpadded,
}

const STANDARD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

impl Form {
    fn alphabet(self) -> &'static [u8; 64] {
        match self {
            Form::StandardPadded => STANDARD,
            Form::UrlUnpadded => URL,
        }
    }

    /// The 6-bit value of `c`, if it is in this form's alphabet.
    fn value(self, c: u8) -> Option<u32> {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' if self == Form::StandardPadded => 62,
            b'/' if self == Form::StandardPadded => 63,
            b'-' if self == Form::UrlUnpadded => 62,
            b'_' if self == Form::UrlUnpadded => 63,
            _ => return None,
        };
        Some(u32::from(v))
    }
}

/// `bytes` in `form`.
pub fn encode(bytes: &[u8], form: Form) -> String {
    let alphabet = form.alphabet();
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let mut group = [0u8; 3];
        for (slot, byte) in group.iter_mut().zip(chunk) {
            *slot = *byte;
        }
        let [a, b, c] = group;
        let n = u32::from(a) << 16 | u32::from(b) << 8 | u32::from(c);
        // `chunk.len()` bytes give `chunk.len() + 1` characters.
        for i in 0..=chunk.len() {
            let index = ((n >> (18 - 6 * i)) & 63) as usize;
            out.push(char::from(alphabet.get(index).copied().unwrap_or_default()));
        }
    }
    if form == Form::StandardPadded {
        while out.len() % 4 != 0 {
            out.push('=');
        }
    }
    out
}

/// The bytes `text` encodes in `form`; `None` unless `text` is that form's canonical encoding of them.
pub fn decode(text: &str, form: Form) -> Option<Vec<u8>> {
    let mut body = text.as_bytes();
    if form == Form::StandardPadded {
        if body.len() % 4 != 0 {
            return None;
        }
        // At most two `=`, and only at the end.
        for _ in 0..2 {
            if let Some(rest) = body.strip_suffix(b"=") {
                body = rest;
            }
        }
    }
    // A lone character in the last group encodes no whole byte.
    if body.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() / 4 * 3 + 2);
    for group in body.chunks(4) {
        let mut n = 0u32;
        for &c in group {
            n = n << 6 | form.value(c)?;
        }
        // Left-align a short group's bits as a full group's.
        n <<= 6 * (4 - group.len() as u32);
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        let whole = group.len() - 1;
        // The bits after the last whole byte must be zero (canonical).
        if bytes.get(whole).is_some_and(|&rest| rest != 0) {
            return None;
        }
        out.extend_from_slice(bytes.get(..whole)?);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::base64::engine::general_purpose::{STANDARD as CRATE_STANDARD, URL_SAFE_NO_PAD};
    use ::base64::Engine as _;

    fn crate_decode(text: &str, form: Form) -> Option<Vec<u8>> {
        match form {
            Form::StandardPadded => CRATE_STANDARD.decode(text).ok(),
            Form::UrlUnpadded => URL_SAFE_NO_PAD.decode(text).ok(),
        }
    }

    /// A small deterministic generator (xorshift), so that failures reproduce.
    struct Xorshift(u64);
    impl Xorshift {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
    }

    #[test]
    fn encodes_as_the_base64_crate_does() {
        let mut rng = Xorshift(0x9e37_79b9_7f4a_7c15);
        for len in 0..200 {
            let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
            assert_eq!(
                encode(&bytes, Form::StandardPadded),
                CRATE_STANDARD.encode(&bytes)
            );
            assert_eq!(
                encode(&bytes, Form::UrlUnpadded),
                URL_SAFE_NO_PAD.encode(&bytes)
            );
        }
    }

    #[test]
    fn decodes_what_it_encodes() {
        let mut rng = Xorshift(7);
        for len in 0..200 {
            let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
            for form in [Form::StandardPadded, Form::UrlUnpadded] {
                assert_eq!(
                    decode(&encode(&bytes, form), form).as_deref(),
                    Some(&bytes[..])
                );
            }
        }
    }

    #[test]
    fn refuses_what_is_not_canonical() {
        for bad in [
            "AQAB=", "AQ==", "+/8", "AQ B", "A", "AR", "AQB", "AQF", "AQE=",
        ] {
            assert_eq!(decode(bad, Form::UrlUnpadded), None, "{bad}");
        }
        for bad in [
            "AQ", "AQ=", "AQ===", "A===", "AR==", "AQB=", "====", "AA==AA==", "-_8=", "AQAB====",
        ] {
            assert_eq!(decode(bad, Form::StandardPadded), None, "{bad}");
        }
        assert_eq!(decode("", Form::StandardPadded), Some(vec![]));
        assert_eq!(decode("", Form::UrlUnpadded), Some(vec![]));
    }

    /// Every string of up to four characters over an alphabet that has each form's characters, padding, a space
    /// and a non-ASCII letter: ours and the crate's agree on what decodes, and to what.
    #[test]
    fn decodes_exactly_what_the_base64_crate_decodes() {
        let chars = [
            "A", "Q", "B", "E", "/", "+", "-", "_", "=", " ", "é", "8", "w",
        ];
        let mut texts = vec![String::new()];
        let mut level = vec![String::new()];
        for _ in 0..4 {
            level = level
                .iter()
                .flat_map(|t| chars.iter().map(move |c| format!("{t}{c}")))
                .collect();
            texts.extend(level.iter().cloned());
        }
        let mut rng = Xorshift(99);
        for _ in 0..20_000 {
            let len = (rng.next() % 12) as usize;
            texts.push(
                (0..len)
                    .map(|_| chars[(rng.next() % chars.len() as u64) as usize])
                    .collect(),
            );
        }
        for text in &texts {
            for form in [Form::StandardPadded, Form::UrlUnpadded] {
                assert_eq!(
                    decode(text, form),
                    crate_decode(text, form),
                    "{text:?} {form:?}"
                );
            }
        }
    }
}
