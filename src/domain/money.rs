//! Exact money: integer minor units and an ISO 4217 currency. Amounts are parsed from text with a
//! strict grammar (never through floating point) and formatted back the same way.

use super::validation::ErrorCode;
use serde::{Deserialize, Serialize};

/// Currencies Senim accepts, with their minor-unit digits (ISO 4217). KZT first.
pub const CURRENCIES: &[(&str, u8)] = &[
    ("KZT", 2),
    ("USD", 2),
    ("EUR", 2),
    ("RUB", 2),
    ("CNY", 2),
    ("KGS", 2),
    ("UZS", 2),
    ("BYN", 2),
    ("AMD", 2),
    ("TRY", 2),
    ("GBP", 2),
    ("CHF", 2),
    ("JPY", 0),
    ("KRW", 0),
    ("KWD", 3),
];

/// An amount of one currency in its minor units (tiyn, cents…).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    /// Minor units; never negative in Senim's inputs.
    pub minor: i64,
    /// The ISO 4217 code.
    pub currency: Currency,
}

/// An ISO 4217 currency code from [`CURRENCIES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Currency([u8; 3]);

impl Currency {
    /// Looks a code up in the allow-list (case-insensitive).
    pub fn parse(raw: &str) -> Result<Self, ErrorCode> {
        let code = raw.trim().to_ascii_uppercase();
        CURRENCIES
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(c, _)| {
                let b = c.as_bytes();
                Currency([b[0], b[1], b[2]])
            })
            .ok_or(ErrorCode::CurrencyUnknown)
    }

    /// The three-letter code.
    pub fn code(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }

    /// Digits after the decimal point.
    pub fn minor_digits(&self) -> u8 {
        CURRENCIES.iter().find(|(c, _)| *c == self.code()).map_or(2, |(_, d)| *d)
    }
}

/// Largest amount accepted: fifteen integer digits.
const MAX_MAJOR: i64 = 999_999_999_999_999;

impl Money {
    /// Parses `raw` as an amount of `currency`: digits with optional spaces or thin spaces as
    /// thousands separators and `.` or `,` before at most the currency's minor digits. Signs,
    /// exponents, `NaN` and infinities are refused.
    pub fn parse(raw: &str, currency: Currency) -> Result<Self, ErrorCode> {
        let compact: String = raw.trim().chars().filter(|c| !matches!(c, ' ' | '\u{00A0}' | '\u{202F}')).collect();
        if compact.is_empty() {
            return Err(ErrorCode::Required);
        }
        let (whole, fraction) = match compact.split_once(['.', ',']) {
            Some((w, f)) => (w, f),
            None => (compact.as_str(), ""),
        };
        let digits = usize::from(currency.minor_digits());
        let well_formed = !whole.is_empty()
            && whole.chars().all(|c| c.is_ascii_digit())
            && fraction.chars().all(|c| c.is_ascii_digit())
            && (compact.len() == whole.len() || !fraction.is_empty());
        if !well_formed {
            return Err(ErrorCode::MoneyFormat);
        }
        if fraction.len() > digits {
            return Err(ErrorCode::MoneyPrecision);
        }
        if whole.len() > 15 {
            return Err(ErrorCode::NumberTooLarge);
        }
        let major: i64 = whole.parse().map_err(|_| ErrorCode::MoneyFormat)?;
        if major > MAX_MAJOR {
            return Err(ErrorCode::NumberTooLarge);
        }
        let mut padded = fraction.to_owned();
        padded.extend(std::iter::repeat_n('0', digits - fraction.len()));
        let minor_part: i64 = if padded.is_empty() { 0 } else { padded.parse().map_err(|_| ErrorCode::MoneyFormat)? };
        let scale = 10_i64.pow(u32::from(currency.minor_digits()));
        let minor =
            major.checked_mul(scale).and_then(|m| m.checked_add(minor_part)).ok_or(ErrorCode::NumberTooLarge)?;
        Ok(Money { minor, currency })
    }

    /// Formats as `1 234 567.89 KZT`.
    pub fn display(&self) -> String {
        let digits = u32::from(self.currency.minor_digits());
        let scale = 10_i64.pow(digits);
        let major = self.minor / scale;
        let grouped = group_thousands(major);
        if digits == 0 {
            format!("{grouped} {}", self.currency.code())
        } else {
            format!("{grouped}.{:0width$} {}", self.minor % scale, self.currency.code(), width = digits as usize)
        }
    }

    /// The amount without the currency, as typed back into a form (`1234567.89`).
    pub fn plain(&self) -> String {
        let digits = u32::from(self.currency.minor_digits());
        let scale = 10_i64.pow(digits);
        if digits == 0 {
            (self.minor / scale).to_string()
        } else {
            format!("{}.{:0width$}", self.minor / scale, self.minor % scale, width = digits as usize)
        }
    }
}

fn group_thousands(n: i64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kzt() -> Currency {
        Currency::parse("kzt").unwrap()
    }

    #[test]
    fn parses_amounts_exactly_in_minor_units() {
        assert_eq!(Money::parse("22 253 932.80", kzt()).unwrap().minor, 2_225_393_280);
        assert_eq!(Money::parse("64817,28", kzt()).unwrap().minor, 6_481_728);
        assert_eq!(Money::parse("0.1", kzt()).unwrap().minor, 10);
        assert_eq!(Money::parse("48000", Currency::parse("USD").unwrap()).unwrap().minor, 4_800_000);
        assert_eq!(Money::parse("1500", Currency::parse("JPY").unwrap()).unwrap().minor, 1500);
    }

    #[test]
    fn refuses_floats_signs_exponents_and_junk() {
        for bad in ["NaN", "inf", "-infinity", "1e400", "-5", "+5", "1.2.3", "12a", ".5", "5.", "1,000.00"] {
            assert!(Money::parse(bad, kzt()).is_err(), "{bad}");
        }
        assert_eq!(Money::parse("", kzt()), Err(ErrorCode::Required));
    }

    #[test]
    fn refuses_more_decimals_than_the_currency_has() {
        assert_eq!(Money::parse("1.234", kzt()), Err(ErrorCode::MoneyPrecision));
        assert_eq!(Money::parse("1.5", Currency::parse("JPY").unwrap()), Err(ErrorCode::MoneyPrecision));
        assert_eq!(Money::parse("1.234", Currency::parse("KWD").unwrap()).unwrap().minor, 1234);
    }

    #[test]
    fn refuses_amounts_beyond_fifteen_digits() {
        assert_eq!(Money::parse("9999999999999999", kzt()), Err(ErrorCode::NumberTooLarge));
        assert!(Money::parse("999999999999999.99", kzt()).is_ok());
    }

    #[test]
    fn unknown_currencies_are_refused() {
        assert_eq!(Currency::parse("XYZ"), Err(ErrorCode::CurrencyUnknown));
        assert_eq!(Currency::parse("kzt").unwrap().code(), "KZT");
    }

    #[test]
    fn formats_with_grouping_and_round_trips() {
        let m = Money::parse("22253932.8", kzt()).unwrap();
        assert_eq!(m.display(), "22 253 932.80 KZT");
        assert_eq!(Money::parse(&m.plain(), kzt()).unwrap(), m);
        assert_eq!(Money::parse("1500", Currency::parse("JPY").unwrap()).unwrap().display(), "1 500 JPY");
    }
}
