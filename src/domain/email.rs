//! E-mail addresses as account names: trimmed, NFKC-normalised and lower-cased so one person
//! cannot hold two accounts that differ only in case or width.

use super::validation::ErrorCode;
use unicode_normalization::UnicodeNormalization;

/// Parses an address into its canonical form, or says why it cannot be one.
pub fn parse(raw: &str) -> Result<String, ErrorCode> {
    let email: String = raw.trim().nfkc().collect::<String>().to_lowercase();
    if email.is_empty() {
        return Err(ErrorCode::Required);
    }
    if email.chars().count() > 254 {
        return Err(ErrorCode::TooLong);
    }
    let Some((local, domain)) = email.split_once('@') else {
        return Err(ErrorCode::EmailFormat);
    };
    let local_ok = !local.is_empty() && local.len() <= 64 && !local.contains(char::is_whitespace);
    let labels_ok = domain.split('.').count() >= 2
        && domain.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        });
    let no_controls = !email.chars().any(char::is_control);
    if local_ok && labels_ok && no_controls && !domain.contains('@') { Ok(email) } else { Err(ErrorCode::EmailFormat) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_form_is_trimmed_and_lower_case() {
        assert_eq!(parse("  Aigerim.S@Steppe.KZ "), Ok("aigerim.s@steppe.kz".into()));
    }

    #[test]
    fn refuses_addresses_without_a_proper_domain() {
        for bad in ["aigerim", "a@b", "@steppe.kz", "a@@steppe.kz", "a b@steppe.kz", "a@-x.kz", "a@x..kz"] {
            assert_eq!(parse(bad), Err(ErrorCode::EmailFormat), "{bad}");
        }
        assert_eq!(parse(""), Err(ErrorCode::Required));
    }

    #[test]
    fn accepts_internationalised_domains() {
        assert_eq!(parse("info@кеден.kz"), Ok("info@кеден.kz".into()));
    }
}
