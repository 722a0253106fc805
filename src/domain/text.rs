//! Free text with limits. Legal records must hold exactly what the user meant, so text is
//! normalised to NFC and characters that hide or reorder content are refused, not stripped.

use super::validation::ErrorCode;
use unicode_normalization::UnicodeNormalization;

/// Trims, normalises to NFC and checks `raw` against `max_chars`; `multiline` allows `\n` and `\t`.
pub fn clean(raw: &str, max_chars: usize, multiline: bool) -> Result<String, ErrorCode> {
    let text: String = raw.trim().nfc().collect();
    if text.is_empty() {
        return Err(ErrorCode::Required);
    }
    if text.chars().count() > max_chars || text.len() > max_chars * 4 {
        return Err(ErrorCode::TooLong);
    }
    if text.chars().any(|c| is_forbidden(c, multiline)) {
        return Err(ErrorCode::BadCharacters);
    }
    Ok(text)
}

/// Like [`clean`], but an empty value is `None` rather than an error.
pub fn clean_optional(raw: &str, max_chars: usize, multiline: bool) -> Result<Option<String>, ErrorCode> {
    match clean(raw, max_chars, multiline) {
        Ok(text) => Ok(Some(text)),
        Err(ErrorCode::Required) => Ok(None),
        Err(other) => Err(other),
    }
}

fn is_forbidden(c: char, multiline: bool) -> bool {
    let allowed_whitespace = multiline && (c == '\n' || c == '\t' || c == '\r');
    (c.is_control() && !allowed_whitespace) || c == '\u{FFFD}' || is_invisible(c)
}

/// Whether `c` is invisible formatting: the Unicode general category Cf (format: soft hyphen,
/// bidi controls, zero-width space and joiners, word joiner, byte-order mark, interlinear
/// annotation, tag characters…), the line and paragraph separators, and the invisible fillers
/// that look like nothing. Such characters can make two names look identical or reorder what a
/// reader sees, so text holding them is refused.
pub fn is_invisible(c: char) -> bool {
    let code = u32::from(c);
    matches!(c, '\u{2028}' | '\u{2029}' | '\u{034F}' | '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}')
        || FORMAT_RANGES
            .binary_search_by(|&(start, end)| {
                if end < code {
                    std::cmp::Ordering::Less
                } else if start > code {
                    std::cmp::Ordering::Greater
                } else {
                    std::cmp::Ordering::Equal
                }
            })
            .is_ok()
}

/// The code point ranges of general category Cf (format), Unicode 16/17 (generated from the UCD
/// tables of the `unicode-properties` crate in Cargo.lock, which Python 3.11's `unicodedata`
/// agrees with up to its 14.0 data). Sorted and disjoint, for binary search.
const FORMAT_RANGES: &[(u32, u32)] = &[
    (0x00AD, 0x00AD),
    (0x0600, 0x0605),
    (0x061C, 0x061C),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
];

/// The form of a name that search compares: NFC, then Rust's full Unicode lower case, so
/// `ТОО «Әлем»` and `тоо «әлем»` match on every database (SQLite's `LOWER` folds ASCII only).
pub fn fold(raw: &str) -> String {
    raw.trim().nfc().collect::<String>().to_lowercase()
}

/// A `LIKE` pattern that finds `fragment` anywhere in a folded column, with `%`, `_` and the
/// escape character itself escaped (queries say `ESCAPE '\\'`).
pub fn contains_pattern(fragment: &str) -> String {
    let mut out = String::from("%");
    for c in fold(fragment).chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// A person's display name (1–120 characters, one line).
pub fn person_name(raw: &str) -> Result<String, ErrorCode> {
    clean(raw, 120, false)
}

/// An organisation's legal name (1–300 characters, one line).
pub fn legal_name(raw: &str) -> Result<String, ErrorCode> {
    clean(raw, 300, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_normalises_to_nfc() {
        // "е" + combining breve becomes the precomposed "й".
        assert_eq!(clean("  Сериков Арм\u{0438}\u{0306}  ", 50, false).unwrap(), "Сериков Армй");
    }

    #[test]
    fn empty_after_trimming_is_required() {
        assert_eq!(clean("   ", 10, false), Err(ErrorCode::Required));
        assert_eq!(clean_optional("  ", 10, false), Ok(None));
    }

    #[test]
    fn refuses_nul_control_replacement_and_bidi_characters() {
        for bad in ["a\u{0}b", "a\u{7}b", "a\u{FFFD}b", "a\u{202E}b", "a\u{2066}b", "a\nb"] {
            assert_eq!(clean(bad, 10, false), Err(ErrorCode::BadCharacters), "{bad:?}");
        }
        assert_eq!(clean("a\nb", 10, true).unwrap(), "a\nb");
    }

    #[test]
    fn limits_count_characters_not_bytes() {
        assert!(clean(&"ә".repeat(10), 10, false).is_ok());
        assert_eq!(clean(&"ә".repeat(11), 10, false), Err(ErrorCode::TooLong));
    }

    #[test]
    fn refuses_every_format_character_and_the_separators() {
        let samples = [
            '\u{00AD}',
            '\u{0600}',
            '\u{061C}',
            '\u{06DD}',
            '\u{070F}',
            '\u{0890}',
            '\u{08E2}',
            '\u{180E}',
            '\u{200B}',
            '\u{200C}',
            '\u{200D}',
            '\u{200E}',
            '\u{202A}',
            '\u{2060}',
            '\u{2064}',
            '\u{2066}',
            '\u{206F}',
            '\u{FEFF}',
            '\u{FFF9}',
            '\u{FFFB}',
            '\u{110BD}',
            '\u{13430}',
            '\u{1343F}',
            '\u{1BCA0}',
            '\u{1D173}',
            '\u{E0001}',
            '\u{E0020}',
            '\u{E007F}',
            '\u{2028}',
            '\u{2029}',
            '\u{3164}',
        ];
        for c in samples {
            assert!(is_invisible(c), "U+{:04X}", u32::from(c));
            for multiline in [false, true] {
                assert_eq!(
                    clean(&format!("ТОО{c}Әлем"), 20, multiline),
                    Err(ErrorCode::BadCharacters),
                    "U+{:04X}",
                    u32::from(c)
                );
            }
        }
    }

    #[test]
    fn visible_neighbours_of_format_ranges_are_accepted() {
        // Just outside the ranges: visible letters, punctuation and symbols.
        for c in [
            '\u{00AC}', '\u{00AE}', '\u{0606}', '\u{061B}', '\u{2010}', '\u{2030}', '\u{FFFC}', 'ә', 'і', 'ң', 'ғ',
            'ү', 'ұ', 'қ', 'ө', 'һ', '«', '№',
        ] {
            assert!(!is_invisible(c), "U+{:04X}", u32::from(c));
        }
        assert_eq!(clean("ТОО «Қазақ-Өнім» № 1", 40, false).unwrap(), "ТОО «Қазақ-Өнім» № 1");
        assert!(FORMAT_RANGES.windows(2).all(|w| w[0].1 < w[1].0 && w[0].0 <= w[0].1), "sorted, disjoint");
    }

    #[test]
    fn folding_lowers_cyrillic_and_kazakh_and_patterns_escape_wildcards() {
        assert_eq!(fold(" ТОО «ӘЛЕМ ҚҰРЫЛЫС» ІҢҒҮӨҺ "), "тоо «әлем құрылыс» іңғүөһ");
        assert_eq!(fold("Ёлка"), "ёлка");
        assert_eq!(contains_pattern("100%_А\\b"), "%100\\%\\_а\\\\b%");
    }
}
