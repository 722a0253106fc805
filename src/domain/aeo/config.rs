//! The AEO configuration, typed: certificate types and their conditions, the customs clocks, the
//! certificate number layout, reassessment and the revocation cool-off. It comes from a versioned
//! TOML file (`config/aeo-eaeu.toml` by default, `config/aeo-eu.toml` for the EU scheme; read by
//! the server-only [`super::file`], docs/aeo-config.md documents every key), so an administration
//! changes its rules without a release. These types are plain data shared with the browser.

use crate::domain::money::Money;
use crate::domain::questionnaire::I18nText;
use serde::{Deserialize, Serialize};

/// A checked AEO configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AeoConfig {
    /// Recorded on every application made under it, e.g. `aeo-eaeu-2026.1`.
    pub version: String,
    /// Who applies it (shown to officers).
    pub administration: String,
    /// Time limits and the traffic light of the customs queue.
    pub clocks: ClockRules,
    /// How certificate numbers are written.
    pub number_format: NumberFormat,
    /// Months from a certificate's validity start (or its last reassessment) to the next
    /// reassessment.
    pub reassessment_months: u32,
    /// Months after a revocation during which a new application is not accepted.
    pub revocation_cooloff_months: u32,
    /// The certificate types an applicant may choose, in the order forms list them.
    pub types: Vec<CertificateType>,
}

impl AeoConfig {
    /// The type with this key.
    pub fn certificate_type(&self, key: &str) -> Option<&CertificateType> {
        self.types.iter().find(|t| t.key == key)
    }

    /// The certificate number of `ty` with this serial (see [`NumberFormat::format`]).
    pub fn certificate_number(&self, ty: &CertificateType, serial: u32) -> String {
        self.number_format.format(&ty.number, serial)
    }
}

/// Customs time limits in calendar days, and the traffic-light thresholds of the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockRules {
    /// Customs accepts (or does not accept) an application within this many days of submission.
    pub acceptance_days: i64,
    /// Customs decides within this many days of the acceptance.
    pub decision_days: i64,
    /// The one extension of the decision clock a supervisor may grant; 0 allows none.
    pub extension_days: i64,
    /// The trader may answer an intended adverse outcome within this many days.
    pub hearing_days: i64,
    /// A clock with at most this many days left shows amber.
    pub amber_days_left: i64,
    /// A clock with at most this many days left shows red (below 0 it is overdue).
    pub red_days_left: i64,
    /// Whether the time limits were checked against their legal source (`status = "verified"`);
    /// officers see when they still await verification.
    pub verified: bool,
}

/// A certificate type (EAEU type 1, 2, 3; EU AEOC, AEOS).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateType {
    /// Stable key, e.g. `type1` (the T2 question 1.0 option keys).
    pub key: String,
    /// What the certificate number shows for the type (`{n}` in the layout), e.g. `1` or `AEOC`.
    pub number: String,
    /// Name in every language.
    pub label: I18nText,
    /// Legal basis of the type.
    pub legal_reference: String,
    /// Completed years of activity the applicant needs (0: no such condition).
    pub min_years_activity: u32,
    /// The smallest security accepted, in its currency; `None` when the scheme asks for none.
    pub min_security: Option<Money>,
    /// The conditions to meet, in checklist order.
    pub conditions: Vec<Condition>,
}

/// A condition of a certificate type and the T2 questions whose answers evidence it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Condition {
    /// Stable key, e.g. `financial_stability`.
    pub key: String,
    /// What the condition asks, in every language.
    pub label: I18nText,
    /// Its legal basis, e.g. `EAEU Customs Code Art. 433`.
    pub legal_reference: String,
    /// Keys of the T2 questions that evidence it (may be empty: the trader then explains and
    /// uploads evidence with the application).
    pub questions: Vec<String>,
}

/// One piece of a certificate number layout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum NumberPiece {
    /// Written as is.
    Text(String),
    /// The serial, zero-padded to at least this many digits (0: as is).
    Serial(u8),
    /// The type's [`CertificateType::number`].
    TypeNumber,
}

/// A certificate number layout such as `KZ/{serial:04}/TIP {n}` (the EAEU form `XX/NNNN/TIP N`):
/// `{serial}` or `{serial:0W}` is the serial (zero-padded to W digits), `{n}` the type's number;
/// everything else is written as is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NumberFormat(Vec<NumberPiece>);

impl NumberFormat {
    /// Reads a layout: exactly one serial placeholder, `{n}` at most once, no other braces.
    pub fn parse(layout: &str) -> Result<Self, String> {
        let mut pieces = Vec::new();
        let mut rest = layout;
        while let Some(open) = rest.find(['{', '}']) {
            if rest[open..].starts_with('}') {
                return Err(format!("number format {layout:?} has a \"}}\" without its \"{{\""));
            }
            if open > 0 {
                pieces.push(NumberPiece::Text(rest[..open].to_owned()));
            }
            let Some(close) = rest[open..].find('}') else {
                return Err(format!("number format {layout:?} has a \"{{\" without its \"}}\""));
            };
            let name = &rest[open + 1..open + close];
            pieces.push(match name {
                "n" => NumberPiece::TypeNumber,
                "serial" => NumberPiece::Serial(0),
                _ => match name.strip_prefix("serial:0").map(str::parse::<u8>) {
                    Some(Ok(width)) if (1..=12).contains(&width) => NumberPiece::Serial(width),
                    _ => {
                        return Err(format!(
                            "number format {layout:?}: {{{name}}} is not {{serial}}, {{serial:0W}} (W from 1 to 12) or {{n}}"
                        ));
                    }
                },
            });
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            pieces.push(NumberPiece::Text(rest.to_owned()));
        }
        let serials = pieces.iter().filter(|p| matches!(p, NumberPiece::Serial(_))).count();
        let types = pieces.iter().filter(|p| matches!(p, NumberPiece::TypeNumber)).count();
        if serials != 1 || types > 1 {
            return Err(format!("number format {layout:?} must hold {{serial}} exactly once and {{n}} at most once"));
        }
        Ok(Self(pieces))
    }

    /// The number of the certificate with this type number and serial, e.g.
    /// `KZ/0042/TIP 2`. A serial wider than the padding is written in full.
    pub fn format(&self, type_number: &str, serial: u32) -> String {
        self.0
            .iter()
            .map(|p| match p {
                NumberPiece::Text(t) => t.clone(),
                NumberPiece::Serial(width) => format!("{serial:0width$}", width = usize::from(*width)),
                NumberPiece::TypeNumber => type_number.to_owned(),
            })
            .collect()
    }

    /// The layout written back as in the file.
    pub fn layout(&self) -> String {
        self.0
            .iter()
            .map(|p| match p {
                NumberPiece::Text(t) => t.clone(),
                NumberPiece::Serial(0) => "{serial}".to_owned(),
                NumberPiece::Serial(width) => format!("{{serial:0{width}}}"),
                NumberPiece::TypeNumber => "{n}".to_owned(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certificate_numbers_follow_the_eaeu_form() {
        let f = NumberFormat::parse("KZ/{serial:04}/TIP {n}").expect("valid");
        assert_eq!(f.format("1", 42), "KZ/0042/TIP 1");
        assert_eq!(f.format("3", 12_345), "KZ/12345/TIP 3", "a wider serial is written in full");
        assert_eq!(f.layout(), "KZ/{serial:04}/TIP {n}");
        let eu = NumberFormat::parse("DE{n}{serial:06}").expect("valid");
        assert_eq!(eu.format("AEOC", 7), "DEAEOC000007");
        assert_eq!(NumberFormat::parse("{serial}").expect("valid").format("x", 5), "5");
    }

    #[test]
    fn bad_layouts_are_refused_with_a_reason() {
        for (bad, says) in [
            ("KZ/{serial:04}/TIP {type}", "{type}"),
            ("KZ/{serial:4}", "{serial:4}"),
            ("KZ/{serial:013}", "{serial:013}"),
            ("KZ/TIP {n}", "exactly once"),
            ("{serial}/{serial}", "exactly once"),
            ("{serial}{n}{n}", "at most once"),
            ("KZ/{serial", "without its"),
            ("KZ}/{serial}", "without its"),
        ] {
            let e = NumberFormat::parse(bad).expect_err(bad);
            assert!(e.contains(says), "{bad}: {e}");
        }
    }
}
