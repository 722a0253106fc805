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
    (c.is_control() && !allowed_whitespace)
        || c == '\u{FFFD}'
        || ('\u{202A}'..='\u{202E}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
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
}
