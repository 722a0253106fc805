//! Trader identifiers. The scheme is a deployment setting: Kazakhstan's BIN by default, the EU
//! EORI as an alternative, so the same code base can serve another customs administration.

use super::validation::ErrorCode;
use serde::{Deserialize, Serialize};

/// Which identifier a deployment uses for trader organisations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum IdentifierScheme {
    /// Kazakhstan business identification number: 12 digits, the last a check digit.
    Bin,
    /// EU Economic Operators Registration and Identification number.
    Eori,
}

impl IdentifierScheme {
    /// The scheme's configuration and storage name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Bin => "bin",
            Self::Eori => "eori",
        }
    }

    /// Reads a scheme from its configuration name.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "bin" => Some(Self::Bin),
            "eori" => Some(Self::Eori),
            _ => None,
        }
    }

    /// Parses and checks `raw` under this scheme, returning the canonical form.
    pub fn parse_value(self, raw: &str) -> Result<String, ErrorCode> {
        match self {
            Self::Bin => parse_bin(raw),
            Self::Eori => parse_eori(raw),
        }
    }
}

/// Checks a Kazakhstan BIN: exactly 12 digits (spaces allowed between groups) with a valid
/// check digit. The check digit is the weighted sum of the first 11 digits with weights 1..11
/// modulo 11; when that gives 10 the weights 3..11,1,2 are used; 10 again means no valid BIN.
pub fn parse_bin(raw: &str) -> Result<String, ErrorCode> {
    let compact: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.is_empty() {
        return Err(ErrorCode::Required);
    }
    if !compact.chars().all(|c| c.is_ascii_digit()) {
        return Err(ErrorCode::BinDigits);
    }
    if compact.len() != 12 {
        return Err(ErrorCode::BinLength);
    }
    let digits: Vec<u32> = compact.bytes().map(|b| u32::from(b - b'0')).collect();
    match bin_check_digit(&digits[..11]) {
        Some(check) if check == digits[11] => Ok(compact),
        _ => Err(ErrorCode::BinCheckDigit),
    }
}

/// The check digit for the first 11 digits of a BIN, or `None` when no digit can be valid.
pub fn bin_check_digit(first_eleven: &[u32]) -> Option<u32> {
    let weighted =
        |weights: [u32; 11]| -> u32 { first_eleven.iter().zip(weights).map(|(d, w)| d * w).sum::<u32>() % 11 };
    let first = weighted([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    if first != 10 {
        return Some(first);
    }
    let second = weighted([3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]);
    (second != 10).then_some(second)
}

/// Checks an EORI: two capital letters (country) followed by 1–15 letters or digits.
pub fn parse_eori(raw: &str) -> Result<String, ErrorCode> {
    let compact: String = raw.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    if compact.is_empty() {
        return Err(ErrorCode::Required);
    }
    let (country, rest) = compact.split_at(compact.len().min(2));
    let ok = country.len() == 2
        && country.chars().all(|c| c.is_ascii_uppercase())
        && (1..=15).contains(&rest.len())
        && rest.chars().all(|c| c.is_ascii_alphanumeric());
    if ok { Ok(compact) } else { Err(ErrorCode::EoriFormat) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_valid_bins() {
        // First-pass check digits.
        assert_eq!(parse_bin("990940000016"), Ok("990940000016".into()));
        assert_eq!(parse_bin("000000000000"), Ok("000000000000".into()));
        // Spaces between digit groups are ignored.
        assert_eq!(parse_bin("9909 4000 0016"), Ok("990940000016".into()));
    }

    #[test]
    fn uses_second_weights_when_the_first_sum_gives_ten() {
        // 0000000000 1 -> first pass 11 % 11 = 0; use a number whose first pass is 10.
        let eleven = [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0];
        // weights 1..11 give 10; weights 3..11,1,2 give 1.
        assert_eq!(bin_check_digit(&eleven), Some(1));
        assert_eq!(parse_bin("000000000101"), Ok("000000000101".into()));
        assert_eq!(parse_bin("000000000100"), Err(ErrorCode::BinCheckDigit));
    }

    #[test]
    fn a_bin_with_both_sums_ten_can_never_be_valid() {
        // Search a small space to prove the rule is exercised.
        let impossible = (0..100_000u32).find_map(|n| {
            let mut digits = [0u32; 11];
            let mut m = n;
            for d in digits.iter_mut().rev() {
                *d = m % 10;
                m /= 10;
            }
            bin_check_digit(&digits).is_none().then_some(digits)
        });
        let digits = impossible.expect("some prefix has no valid check digit");
        let prefix: String = digits.iter().map(|d| char::from_digit(*d, 10).unwrap_or('0')).collect();
        for last in 0..10 {
            assert_eq!(parse_bin(&format!("{prefix}{last}")), Err(ErrorCode::BinCheckDigit));
        }
    }

    #[test]
    fn refuses_wrong_length_letters_and_bad_check_digit() {
        assert_eq!(parse_bin(""), Err(ErrorCode::Required));
        assert_eq!(parse_bin("99094000001"), Err(ErrorCode::BinLength));
        assert_eq!(parse_bin("9909400000161"), Err(ErrorCode::BinLength));
        assert_eq!(parse_bin("99094000001A"), Err(ErrorCode::BinDigits));
        assert_eq!(parse_bin("99094000001-"), Err(ErrorCode::BinDigits));
        assert_eq!(parse_bin("990940000011"), Err(ErrorCode::BinCheckDigit));
    }

    #[test]
    fn eori_needs_country_and_up_to_fifteen_characters() {
        assert_eq!(parse_eori("gb 123456789000"), Ok("GB123456789000".into()));
        assert_eq!(parse_eori("DE1"), Ok("DE1".into()));
        assert_eq!(parse_eori("1234"), Err(ErrorCode::EoriFormat));
        assert_eq!(parse_eori("GB"), Err(ErrorCode::EoriFormat));
        assert_eq!(parse_eori("GB1234567890123456"), Err(ErrorCode::EoriFormat));
    }

    #[test]
    fn scheme_names_round_trip() {
        for scheme in [IdentifierScheme::Bin, IdentifierScheme::Eori] {
            assert_eq!(IdentifierScheme::parse(scheme.as_str()), Some(scheme));
        }
        assert_eq!(IdentifierScheme::parse("ssn"), None);
    }
}
