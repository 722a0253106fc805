//! Password policy after NIST SP 800-63B: length 15–256, a blocklist of common and predictable
//! passwords and of words from the user's own context, and no composition rules.

use super::validation::ErrorCode;
use unicode_normalization::UnicodeNormalization;

/// Fewest characters a password may have.
pub const MIN_CHARS: usize = 15;
/// Most characters a password may have.
pub const MAX_CHARS: usize = 256;

/// Common passwords of policy length, from public breach-frequency lists, lower-cased.
const BLOCKLIST: &[&str] = &[
    "123456789012345",
    "1234567890123456",
    "12345678901234567890",
    "123456789123456",
    "111111111111111",
    "000000000000000",
    "qwertyuiopasdfg",
    "qwertyuiopasdfgh",
    "qwertyuiopasdfghjkl",
    "qwertyuiopasdfghjklzxcvbnm",
    "1q2w3e4r5t6y7u8i",
    "1qaz2wsx3edc4rfv",
    "zaq12wsxcde34rfv",
    "passwordpassword",
    "password12345678",
    "password1234567",
    "password123456789",
    "iloveyouiloveyou",
    "letmeinletmein1",
    "welcome123456789",
    "administrator123",
    "administrator1234",
    "changemechangeme",
    "changeme12345678",
    "qwerty123456789",
    "qwertyqwertyqwerty",
    "abcdefghijklmno",
    "abcdefghijklmnop",
    "abc123abc123abc",
    "asdfghjklasdfgh",
    "monkeymonkeymonkey",
    "dragondragondragon",
    "superman12345678",
    "trustno1trustno1",
    "football12345678",
    "baseball12345678",
    "correcthorsebatterystaple",
    "thequickbrownfox",
    "thequickbrownfoxjumpsoverthelazydog",
    "йцукенгшщзхъфыва",
    "пароль1234567890",
    "парольпарольпароль",
    "qwertyйцукен12345",
    "kazakhstan123456",
    "kazakhstan2024!!",
    "kazakhstan2025!!",
    "kazakhstan2026!!",
    "astana1234567890",
    "almaty1234567890",
    "qazaqstan1234567",
    "password2024!!!!",
    "password2025!!!!",
    "password2026!!!!",
    "welcome2026welcome",
];

/// Words that must not appear in any password because they name the service itself.
const SERVICE_WORDS: &[&str] = &["senim", "сеним", "сенім", "customs", "таможня", "кеден"];

/// Checks `raw` against the policy. `context` holds the user's own words (name, e-mail,
/// organisation name); any of them longer than three characters must not appear in the password.
pub fn check(raw: &str, context: &[&str]) -> Result<(), ErrorCode> {
    let normalised: String = raw.nfkc().collect();
    let count = normalised.chars().count();
    if count < MIN_CHARS {
        return Err(ErrorCode::PasswordTooShort);
    }
    if count > MAX_CHARS {
        return Err(ErrorCode::PasswordTooLong);
    }
    let lower = normalised.to_lowercase();
    if BLOCKLIST.contains(&lower.as_str()) || is_predictable(&lower) {
        return Err(ErrorCode::PasswordCommon);
    }
    let context_words = context
        .iter()
        .flat_map(|c| c.split(|ch: char| !ch.is_alphanumeric()))
        .map(str::to_lowercase)
        .filter(|w| w.chars().count() > 3);
    let service = SERVICE_WORDS.iter().map(|w| (*w).to_owned());
    if context_words.chain(service).any(|w| lower.contains(&w)) {
        return Err(ErrorCode::PasswordContext);
    }
    Ok(())
}

/// Normalises a password the same way [`check`] does, for hashing.
pub fn normalise(raw: &str) -> String {
    raw.nfkc().collect()
}

/// True for passwords made of one repeated short unit ("abcabcabc…") or one run of consecutive
/// characters ("abcdefgh…", "987654…"), which guessing tools try first.
fn is_predictable(lower: &str) -> bool {
    let chars: Vec<char> = lower.chars().collect();
    let repeated_unit =
        (1..=4).any(|unit| chars.len() >= unit * 3 && chars.iter().enumerate().all(|(i, c)| *c == chars[i % unit]));
    let steps: Vec<i64> = chars.windows(2).map(|w| i64::from(u32::from(w[1])) - i64::from(u32::from(w[0]))).collect();
    let one_run = steps.iter().all(|s| *s == 1) || steps.iter().all(|s| *s == -1);
    repeated_unit || one_run
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_limits_are_inclusive() {
        assert_eq!(check("short-but-ok-no", &[]), Ok(()));
        assert_eq!(check("fourteen-chars", &[]), Err(ErrorCode::PasswordTooShort));
        assert_eq!(check(&"ab-cd".repeat(52)[..256], &[]), Ok(()));
        assert_eq!(check(&"x-yz".repeat(65)[..257], &[]), Err(ErrorCode::PasswordTooLong));
    }

    #[test]
    fn no_composition_rules_lowercase_words_are_fine() {
        assert_eq!(check("violet river lamp autumn", &[]), Ok(()));
    }

    #[test]
    fn common_and_predictable_passwords_are_refused() {
        for bad in [
            "passwordpassword",
            "PasswordPassword",
            "123456789012345",
            "aaaaaaaaaaaaaaaa",
            "abcabcabcabcabcabc",
            "abcdefghijklmnopq",
            "zyxwvutsrqponmlk",
        ] {
            assert_eq!(check(bad, &[]), Err(ErrorCode::PasswordCommon), "{bad}");
        }
    }

    #[test]
    fn the_users_own_words_and_the_service_name_are_refused() {
        let context = ["Aigerim Sarsenova", "aigerim.s@steppe.kz"];
        assert_eq!(check("my-sarsenova-password", &context), Err(ErrorCode::PasswordContext));
        assert_eq!(check("steppe lamp violet river", &context), Err(ErrorCode::PasswordContext));
        assert_eq!(check("senim lamp violet river", &[]), Err(ErrorCode::PasswordContext));
        // Short context words (three characters or fewer) are not checked.
        assert_eq!(check("kz violet river lamp", &["kz"]), Ok(()));
    }

    #[test]
    fn length_is_counted_after_nfkc_normalisation() {
        // Fullwidth letters normalise to ASCII; the count stays in characters.
        assert_eq!(normalise("ｐａｓｓ"), "pass");
        assert_eq!(check("ｐａｓｓｗｏｒｄｐａｓｓｗｏｒｄ", &[]), Err(ErrorCode::PasswordCommon));
    }
}
