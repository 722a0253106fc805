//! Customs declaration registration numbers. The layout is configuration (each administration
//! numbers its declarations its own way); Kazakhstan's, the default, is the customs office code,
//! the registration date as DDMMYY and a serial, separated by `/`: `50101010/150324/0001234`.
//! The date part must be a real calendar date, so a typo in it is caught where it is typed.

use super::time::days_from_civil;
use super::validation::ErrorCode;
use serde::{Deserialize, Serialize};

/// How declaration numbers are written in one administration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeclarationFormat {
    /// Digits of the customs office code.
    pub office_digits: u8,
    /// Digits of the serial after the date.
    pub serial_digits: u8,
    /// The character between the parts.
    pub separator: char,
    /// Years written as YY belong to 2000 + YY (declarations before 2000 are not disclosed).
    pub century: i64,
}

impl Default for DeclarationFormat {
    /// Kazakhstan: `OOOOOOOO/DDMMYY/NNNNNNN`.
    fn default() -> Self {
        Self { office_digits: 8, serial_digits: 7, separator: '/', century: 2000 }
    }
}

/// A checked declaration number with its parts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeclarationNumber {
    /// The number as written, trimmed.
    pub text: String,
    /// The customs office code.
    pub office: String,
    /// The registration date, days since 1970-01-01.
    pub registered: i64,
    /// The serial.
    pub serial: String,
}

impl DeclarationFormat {
    /// Reads a list of numbers as a form posts it (one per line; commas and semicolons also
    /// separate): the distinct numbers in order, and the code of every one refused.
    pub fn parse_list(&self, raw: &str) -> (Vec<String>, Vec<ErrorCode>) {
        let mut numbers: Vec<String> = Vec::new();
        let mut refused = Vec::new();
        for part in raw.split(['\n', ',', ';']).map(str::trim).filter(|s| !s.is_empty()) {
            match self.parse(part) {
                Ok(number) if !numbers.contains(&number.text) => numbers.push(number.text),
                Ok(_) => {}
                Err(code) => refused.push(code),
            }
        }
        (numbers, refused)
    }

    /// Checks `raw` against this layout: the number of parts and digits, then the date.
    pub fn parse(&self, raw: &str) -> Result<DeclarationNumber, ErrorCode> {
        let text = raw.trim();
        if text.is_empty() {
            return Err(ErrorCode::Required);
        }
        let parts: Vec<&str> = text.split(self.separator).collect();
        let digits = |s: &str, n: u8| s.len() == usize::from(n) && s.bytes().all(|b| b.is_ascii_digit());
        let [office, date, serial] = parts.as_slice() else { return Err(ErrorCode::DeclarationFormat) };
        if !digits(office, self.office_digits) || !digits(date, 6) || !digits(serial, self.serial_digits) {
            return Err(ErrorCode::DeclarationFormat);
        }
        let number = |range: std::ops::Range<usize>| date[range].parse::<u32>().unwrap_or(0);
        let (day, month, year) = (number(0..2), number(2..4), self.century + i64::from(number(4..6)));
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(ErrorCode::DeclarationDate);
        }
        Ok(DeclarationNumber {
            text: text.to_owned(),
            office: (*office).to_owned(),
            registered: days_from_civil(year, month, day),
            serial: (*serial).to_owned(),
        })
    }
}

/// Days in a month of the proleptic Gregorian calendar.
pub fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_posted_list_keeps_each_number_once_and_names_every_refusal() {
        let (numbers, refused) = super::DeclarationFormat::default()
            .parse_list("50101010/150324/0001234\r\n50101010/150324/0001234, 50101010/320324/0000001;;5010/1");
        assert_eq!(numbers, vec!["50101010/150324/0001234".to_owned()]);
        assert_eq!(refused.len(), 2);
    }
    use super::*;

    #[test]
    fn kazakhstan_numbers_parse_with_their_registration_date() {
        let kz = DeclarationFormat::default();
        let n = kz.parse(" 50101010/150324/0001234 ").expect("valid");
        assert_eq!(
            (n.office.as_str(), n.serial.as_str(), n.text.as_str()),
            ("50101010", "0001234", "50101010/150324/0001234")
        );
        assert_eq!(n.registered, days_from_civil(2024, 3, 15));
        assert_eq!(kz.parse("50101010/290224/0000001").expect("leap day").registered, days_from_civil(2024, 2, 29));
    }

    #[test]
    fn a_wrong_shape_or_an_impossible_date_is_refused_with_its_reason() {
        let kz = DeclarationFormat::default();
        assert_eq!(kz.parse(""), Err(ErrorCode::Required));
        for bad in [
            "50101010-150324-0001234",
            "5010101/150324/0001234",
            "50101010/15032/0001234",
            "50101010/150324/001234",
            "50101010/150324/0001234/1",
            "5010101A/150324/0001234",
            "50101010/150324/0001234 x",
            "٥0101010/150324/0001234",
        ] {
            assert_eq!(kz.parse(bad), Err(ErrorCode::DeclarationFormat), "{bad}");
        }
        for bad in [
            "50101010/320124/0001234",
            "50101010/001224/0001234",
            "50101010/151324/0001234",
            "50101010/290223/0001234",
            "50101010/310424/0001234",
        ] {
            assert_eq!(kz.parse(bad), Err(ErrorCode::DeclarationDate), "{bad}");
        }
    }

    #[test]
    fn another_administrations_layout_is_configuration() {
        let other = DeclarationFormat { office_digits: 5, serial_digits: 6, separator: '-', century: 2000 };
        assert!(other.parse("10005-010125-000042").is_ok());
        assert_eq!(other.parse("50101010/150324/0001234"), Err(ErrorCode::DeclarationFormat));
    }
}
