//! RFC 8259 conformance of `cognito_wasm::json`, in the manner of Nicolas Seriot's JSONTestSuite:
//! `y_` documents must parse, `n_` documents must not, and the implementation-defined `i_` cases are
//! decided on the strict side (documented per case). Then a generated round-trip property:
//! `parse(to_json(v)) == v` for thousands of pseudo-random values.

use cognito_wasm::json::{parse, JsonError, Limits, Number, Object, Value};

fn lim() -> Limits {
    Limits::default()
}

const MUST_ACCEPT: &[(&str, &[u8])] = &[
    ("y_array_empty", b"[]"),
    ("y_array_arraysWithSpaces", b"[[]   ]"),
    ("y_array_empty-string", b"[\"\"]"),
    ("y_array_false", b"[false]"),
    ("y_array_heterogeneous", b"[null, 1, \"1\", {}]"),
    ("y_array_null", b"[null]"),
    ("y_array_with_leading_space", b" [1]"),
    ("y_array_with_trailing_space", b"[2] "),
    ("y_array_with_several_null", b"[1,null,null,null,2]"),
    ("y_number", b"[123e65]"),
    ("y_number_0e+1", b"[0e+1]"),
    ("y_number_0e1", b"[0e1]"),
    ("y_number_after_space", b"[ 4]"),
    ("y_number_double_close_to_zero", b"[-0.000000000000000000000000000000000000000000000000000000000000000000000000000001]"),
    ("y_number_int_with_exp", b"[20e1]"),
    ("y_number_minus_zero", b"[-0]"),
    ("y_number_negative_int", b"[-123]"),
    ("y_number_negative_one", b"[-1]"),
    ("y_number_real_capital_e", b"[1E22]"),
    ("y_number_real_capital_e_neg_exp", b"[1E-2]"),
    ("y_number_real_capital_e_pos_exp", b"[1E+2]"),
    ("y_number_real_exponent", b"[123e45]"),
    ("y_number_real_fraction_exponent", b"[123.456e78]"),
    ("y_number_simple_real", b"[123.456789]"),
    ("y_object_basic", b"{\"asd\":\"sdf\"}"),
    ("y_object_duplicated_key_different_case", b"{\"a\":\"b\",\"A\":\"c\"}"),
    ("y_object_empty", b"{}"),
    ("y_object_empty_key", b"{\"\":0}"),
    ("y_object_escaped_null_in_key", b"{\"foo\\u0000bar\": 42}"),
    ("y_object_extreme_numbers", b"{ \"min\": -1.0e+28, \"max\": 1.0e+28 }"),
    ("y_object_long_strings", b"{\"x\":[{\"id\": \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}], \"id\": \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}"),
    ("y_object_with_newlines", b"{\n\"a\": \"b\"\n}"),
    ("y_string_1_2_3_bytes_UTF-8_sequences", b"[\"\\u0060\\u012a\\u12AB\"]"),
    ("y_string_accepted_surrogate_pair", b"[\"\\uD801\\udc37\"]"),
    ("y_string_allowed_escapes", b"[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]"),
    ("y_string_backslash_doublequotes", b"[\"\\\"\"]"),
    ("y_string_comments", b"[\"a/*b*/c/*d//e\"]"),
    ("y_string_escaped_control_character", b"[\"\\u0012\"]"),
    ("y_string_escaped_noncharacter", b"[\"\\uFFFF\"]"),
    ("y_string_last_surrogates_1_and_2", b"[\"\\uDBFF\\uDFFF\"]"),
    ("y_string_nonCharacterInUTF-8_U+FFFF", b"[\"\xef\xbf\xbf\"]"),
    ("y_string_unicode_U+2028_line_sep", b"[\"\xe2\x80\xa8\"]"),
    ("y_string_unescaped_char_delete", b"[\"\x7f\"]"),
    ("y_string_utf8", b"[\"\xe2\x82\xac\xf0\x9d\x84\x9e\"]"),
    ("y_structure_lonely_false", b"false"),
    ("y_structure_lonely_int", b"42"),
    ("y_structure_lonely_negative_real", b"-0.1"),
    ("y_structure_lonely_null", b"null"),
    ("y_structure_lonely_string", b"\"asd\""),
    ("y_structure_lonely_true", b"true"),
    ("y_structure_string_empty", b"\"\""),
    ("y_structure_trailing_newline", b"[\"a\"]\n"),
    ("y_structure_whitespace_array", b" [] "),
];

const MUST_REJECT: &[(&str, &[u8])] = &[
    ("n_array_1_true_without_comma", b"[1 true]"),
    ("n_array_comma_after_close", b"[\"\"],"),
    ("n_array_comma_and_number", b"[,1]"),
    ("n_array_double_comma", b"[1,,2]"),
    ("n_array_extra_close", b"[\"x\"]]"),
    ("n_array_extra_comma", b"[\"\",]"),
    ("n_array_incomplete", b"[\"x\""),
    ("n_array_inner_array_no_comma", b"[3[4]]"),
    ("n_array_items_separated_by_semicolon", b"[1:2]"),
    ("n_array_just_comma", b"[,]"),
    ("n_array_missing_value", b"[   , \"\"]"),
    ("n_array_newlines_unclosed", b"[\"a\",\n4\n,1,"),
    ("n_array_unclosed", b"[\"\""),
    ("n_incomplete_false", b"[fals]"),
    ("n_incomplete_null", b"[nul]"),
    ("n_incomplete_true", b"[tru]"),
    ("n_number_++", b"[++1234]"),
    ("n_number_+1", b"[+1]"),
    ("n_number_-01", b"[-01]"),
    ("n_number_-1.0.", b"[-1.0.]"),
    ("n_number_-NaN", b"[-NaN]"),
    ("n_number_.-1", b"[.-1]"),
    ("n_number_.2e-3", b"[.2e-3]"),
    ("n_number_0.3e+", b"[0.3e+]"),
    ("n_number_0.e1", b"[0.e1]"),
    ("n_number_0_capital_E+", b"[0E+]"),
    ("n_number_1.0e-", b"[1.0e-]"),
    ("n_number_1_000", b"[1 000.0]"),
    ("n_number_2.e3", b"[2.e3]"),
    ("n_number_Inf", b"[Inf]"),
    ("n_number_NaN", b"[NaN]"),
    ("n_number_U+FF11_fullwidth_digit_one", b"[\xef\xbc\x91]"),
    ("n_number_hex_1_digit", b"[0x1]"),
    ("n_number_infinity", b"[Infinity]"),
    ("n_number_minus_infinity", b"[-Infinity]"),
    ("n_number_minus_space_1", b"[- 1]"),
    ("n_number_neg_int_starting_with_zero", b"[-012]"),
    ("n_number_with_leading_zero", b"[012]"),
    ("n_object_bad_value", b"[\"x\", truth]"),
    ("n_object_comma_instead_of_colon", b"{\"x\", null}"),
    ("n_object_double_colon", b"{\"x\"::\"b\"}"),
    ("n_object_missing_colon", b"{\"a\" b}"),
    ("n_object_missing_key", b"{:\"b\"}"),
    ("n_object_missing_value", b"{\"a\":"),
    ("n_object_non_string_key", b"{1:1}"),
    ("n_object_single_quote", b"{'a':0}"),
    ("n_object_trailing_comma", b"{\"id\":0,}"),
    ("n_object_trailing_comment", b"{\"a\":\"b\"}/**/"),
    ("n_object_unquoted_key", b"{a: \"b\"}"),
    ("n_object_with_trailing_garbage", b"{\"a\": true} \"x\""),
    ("n_single_space", b" "),
    ("n_string_1_surrogate_then_escape", b"[\"\\uD800\\\"]"),
    ("n_string_accentuated_char_no_quotes", b"[\xc3\xa9]"),
    ("n_string_backslash_00", b"[\"\\\x00\"]"),
    ("n_string_escape_x", b"[\"\\x00\"]"),
    ("n_string_escaped_emoji", b"[\"\\\xf0\x9f\x8c\x80\"]"),
    ("n_string_incomplete_escaped_character", b"[\"\\u00A\"]"),
    ("n_string_invalid_backslash_esc", b"[\"\\a\"]"),
    ("n_string_invalid_unicode_escape", b"[\"\\uqqqq\"]"),
    ("n_string_no_quotes_with_bad_escape", b"[\\n]"),
    ("n_string_single_quote", b"['single quote']"),
    ("n_string_unescaped_newline", b"[\"new\nline\"]"),
    ("n_string_unescaped_tab", b"[\"\t\"]"),
    ("n_string_unescaped_ctrl_char", b"[\"a\x00a\"]"),
    ("n_structure_UTF8_BOM_no_data", b"\xef\xbb\xbf"),
    ("n_structure_angle_bracket_null", b"[<null>]"),
    ("n_structure_array_with_unclosed_string", b"[\"asd]"),
    ("n_structure_capitalized_True", b"[True]"),
    ("n_structure_double_array", b"[][]"),
    ("n_structure_end_array", b"]"),
    ("n_structure_no_data", b""),
    ("n_structure_null-byte-outside-string", b"[\x00]"),
    (
        "n_structure_object_with_comment",
        b"{\"a\":/*comment*/\"b\"}",
    ),
    ("n_structure_open_object", b"{"),
    ("n_structure_single_star", b"*"),
    ("n_structure_unicode-identifier", b"\xc3\xa5"),
    (
        "n_structure_whitespace_U+2060_word_joiner",
        b"[\xe2\x81\xa0]",
    ),
    ("n_structure_whitespace_formfeed", b"[\x0c]"),
    // Implementation-defined in RFC 8259; decided strictly here.
    ("i_object_duplicate_key", b"{\"a\":\"b\",\"a\":\"c\"}"),
    ("i_object_duplicate_key_escaped", b"{\"a\":1,\"\\u0061\":2}"),
    ("i_object_key_lone_2nd_surrogate", b"{\"\\uDFAA\":0}"),
    ("i_string_1st_surrogate_but_2nd_missing", b"[\"\\uDADA\"]"),
    (
        "i_string_1st_valid_surrogate_2nd_invalid",
        b"[\"\\uD888\\u1234\"]",
    ),
    (
        "i_string_UTF-16LE_with_BOM",
        b"\xff\xfe[\x00\"\x00\xe9\x00\"\x00]\x00",
    ),
    (
        "i_string_UTF-8_invalid_sequence",
        b"[\"\xe6\x97\xa5\xd1\x88\xfa\"]",
    ),
    ("i_string_invalid_utf-8", b"[\"\xff\"]"),
    ("i_string_lone_second_surrogate", b"[\"\\uDFAA\"]"),
    ("i_string_overlong_sequence_2_bytes", b"[\"\xc0\xaf\"]"),
    ("i_string_UTF8_surrogate_U+D800", b"[\"\xed\xa0\x80\"]"),
    ("i_string_not_in_unicode_range", b"[\"\xf4\xbf\xbf\xbf\"]"),
    ("i_structure_UTF-8_BOM_empty_object", b"\xef\xbb\xbf{}"),
];

#[test]
fn accepts_every_y_case() {
    let failures: Vec<_> = MUST_ACCEPT
        .iter()
        .filter_map(|(name, doc)| parse(doc, &lim()).err().map(|e| format!("{name}: {e}")))
        .collect();
    assert!(failures.is_empty(), "{failures:#?}");
    println!("{} y_ cases accepted", MUST_ACCEPT.len());
}

#[test]
fn rejects_every_n_and_strict_i_case() {
    let failures: Vec<_> = MUST_REJECT
        .iter()
        .filter(|(_, doc)| parse(doc, &lim()).is_ok())
        .map(|(name, _)| *name)
        .collect();
    assert!(failures.is_empty(), "accepted: {failures:?}");
    println!("{} n_/i_ cases rejected", MUST_REJECT.len());
}

#[test]
fn implementation_defined_limits() {
    // i_number_huge_exp / i_number_double_huge_neg_exp: the lexeme is kept; f64 gives up cleanly.
    let v = parse(b"[1.5e99999]", &lim()).unwrap();
    let n = v.as_array().unwrap()[0].as_number().unwrap();
    assert_eq!(n.as_str(), "1.5e99999");
    assert_eq!(n.as_f64(), None);
    let v = parse(b"[123.456e-789]", &lim()).unwrap();
    assert_eq!(
        v.as_array().unwrap()[0].as_number().unwrap().as_f64(),
        Some(0.0)
    );
    // i_number_very_big_negative_int: a valid lexeme, not an i64.
    let v = parse(
        b"[-237462374673276894279832749832423479823246327846]",
        &lim(),
    )
    .unwrap();
    assert_eq!(v.as_array().unwrap()[0].as_i64(), None);
    // i_structure_500_nested_arrays: over the default depth of 32.
    let deep = format!("{}{}", "[".repeat(500), "]".repeat(500));
    assert_eq!(
        parse(deep.as_bytes(), &lim()),
        Err(JsonError::TooDeep { max: 32 })
    );
    let ok = format!("{}{}", "[".repeat(32), "]".repeat(32));
    assert!(parse(ok.as_bytes(), &lim()).is_ok());
    let objects = format!("{}1{}", "{\"a\":".repeat(33), "}".repeat(33));
    assert_eq!(
        parse(objects.as_bytes(), &lim()),
        Err(JsonError::TooDeep { max: 32 })
    );
    // Size is checked before anything else, even for garbage.
    let small = Limits {
        max_bytes: 4,
        max_depth: 32,
    };
    assert_eq!(
        parse(b"\xff\xff\xff\xff\xff", &small),
        Err(JsonError::TooLarge { len: 5, max: 4 })
    );
    assert!(parse(b"[10]", &small).is_ok());
}

/// xorshift64*: deterministic, dependency-free randomness for the property test.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn random_string(rng: &mut Rng) -> String {
    const POOL: &[char] = &[
        'a',
        'Z',
        '0',
        ' ',
        '"',
        '\\',
        '/',
        '\n',
        '\r',
        '\t',
        '\u{0}',
        '\u{8}',
        '\u{c}',
        '\u{1f}',
        '\u{7f}',
        'é',
        '€',
        '\u{2028}',
        '\u{FFFF}',
        '😀',
        '\u{10FFFF}',
    ];
    let len = rng.below(12);
    (0..len)
        .map(|_| POOL[usize::try_from(rng.below(POOL.len() as u64)).unwrap()])
        .collect()
}

fn random_value(rng: &mut Rng, depth: usize) -> Value {
    let kinds = if depth >= 6 { 4 } else { 6 };
    match rng.below(kinds) {
        0 => Value::Null,
        1 => Value::Bool(rng.below(2) == 1),
        2 => match rng.below(3) {
            0 => Value::from(rng.next() as i64),
            1 => Value::from(rng.next()),
            _ => {
                // A valid non-integer lexeme, kept verbatim.
                let text = format!(
                    "-{}.{}e+{}",
                    rng.below(1000),
                    rng.below(1000),
                    rng.below(400)
                );
                parse(text.as_bytes(), &lim()).unwrap()
            }
        },
        3 => Value::String(random_string(rng)),
        4 => Value::Array(
            (0..rng.below(5))
                .map(|_| random_value(rng, depth + 1))
                .collect(),
        ),
        _ => {
            let mut o = Object::new();
            for _ in 0..rng.below(5) {
                o.insert(random_string(rng), random_value(rng, depth + 1));
            }
            Value::Object(o)
        }
    }
}

#[test]
fn to_json_then_parse_is_the_identity() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for i in 0..5000 {
        let value = random_value(&mut rng, 0);
        let text = value.to_json();
        let back =
            parse(text.as_bytes(), &lim()).unwrap_or_else(|e| panic!("case {i}: {e}: {text}"));
        assert_eq!(back, value, "case {i}: {text}");
        assert_eq!(back.to_json(), text, "case {i}");
    }
    assert_eq!(Number::from(0u64).as_i64(), Some(0));
}
