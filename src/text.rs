//! Message text without `core::fmt`.
//!
//! Every `format!`/`write!` site builds a `fmt::Arguments` and calls into `core::fmt`'s machinery (padding,
//! width and precision handling, integer formatting with `pad_integral`); in the wasm that costs code at each
//! call site as well as the machinery itself. Messages are built here from string pieces and our own integer
//! writers instead. The error types build their text in a `message()` method that `Display` writes with one
//! `write_str`; code that needs the text calls `message()`, not `to_string()` (which would bring a `Formatter`,
//! its `expect` and each type's `ToString` instance into the wasm).

use core::fmt;

/// The message pieces, joined.
pub(crate) fn cat(parts: &[&str]) -> String {
    let mut out = String::new();
    for part in parts {
        out.push_str(part);
    }
    out
}

/// Writes the message pieces to a formatter, one `write_str` each (no `core::fmt::write`).
pub(crate) fn write_parts(f: &mut fmt::Formatter<'_>, parts: &[&str]) -> fmt::Result {
    for part in parts {
        f.write_str(part)?;
    }
    Ok(())
}

/// Appends the decimal digits of `n`, zero-padded to at least `min_digits`.
pub(crate) fn push_uint(out: &mut String, n: u64, min_digits: u32) {
    let mut digits = 1;
    let mut unit = 1u64;
    while unit <= n / 10 {
        unit *= 10;
        digits += 1;
    }
    for _ in digits..min_digits {
        out.push('0');
    }
    loop {
        out.push(char::from(b'0' + (n / unit % 10) as u8));
        if unit == 1 {
            break;
        }
        unit /= 10;
    }
}

/// Appends `n` in decimal, with a `-` when negative; the digits zero-padded as `{:0width$}` pads them
/// (the sign counts towards `width`).
pub(crate) fn push_int(out: &mut String, n: i64, width: u32) {
    let width = if n < 0 {
        out.push('-');
        width.saturating_sub(1)
    } else {
        width
    };
    push_uint(out, n.unsigned_abs(), width);
}

/// `n` in decimal (as `n.to_string()` writes it).
pub(crate) fn int(n: i64) -> String {
    let mut out = String::new();
    push_int(&mut out, n, 1);
    out
}

/// `n` in decimal (as `n.to_string()` writes it).
pub(crate) fn uint(n: u64) -> String {
    let mut out = String::new();
    push_uint(&mut out, n, 1);
    out
}

/// Appends `n` in hexadecimal, zero-padded to at least `min_digits`, lower or upper case.
pub(crate) fn push_hex(out: &mut String, n: u32, min_digits: u32, upper: bool) {
    let mut digits = 1;
    while digits < 8 && n >> (4 * digits) != 0 {
        digits += 1;
    }
    for _ in digits..min_digits {
        out.push('0');
    }
    for i in (0..digits).rev() {
        let digit = char::from_digit((n >> (4 * i)) & 0xf, 16).unwrap_or('0');
        out.push(if upper {
            digit.to_ascii_uppercase()
        } else {
            digit
        });
    }
}

/// The value of one hexadecimal digit, either case; `None` for any other byte.
pub(crate) fn hex_digit(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_match_core_fmt() {
        for n in [
            0i64,
            1,
            9,
            10,
            99,
            100,
            12_345,
            -1,
            -10,
            -987_654_321,
            i64::MAX,
            i64::MIN,
        ] {
            assert_eq!(int(n), n.to_string());
            for width in [0u32, 2, 4, 6] {
                let mut out = String::new();
                push_int(&mut out, n, width);
                assert_eq!(out, format!("{n:0w$}", w = width as usize), "{n} {width}");
            }
        }
        for n in [
            0u64,
            7,
            65_537,
            u64::MAX,
            u64::MAX / 10,
            10_000_000_000_000_000_000,
        ] {
            assert_eq!(uint(n), n.to_string());
        }
    }

    #[test]
    fn hex_matches_core_fmt() {
        for n in [0u32, 1, 0xf, 0x10, 0x1f, 0x200b, 0xfeff, 0x10ffff, u32::MAX] {
            for width in [1u32, 2, 4] {
                let mut lower = String::new();
                push_hex(&mut lower, n, width, false);
                assert_eq!(lower, format!("{n:0w$x}", w = width as usize));
                let mut upper = String::new();
                push_hex(&mut upper, n, width, true);
                assert_eq!(upper, format!("{n:0w$X}", w = width as usize));
            }
        }
    }

    #[test]
    fn parts() {
        assert_eq!(cat(&["a", "", "bc"]), "abc");
        struct P;
        impl fmt::Display for P {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write_parts(f, &["x", "y"])
            }
        }
        assert_eq!(P.to_string(), "xy");
    }
}
