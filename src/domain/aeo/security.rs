//! The security an applicant gives for the fulfilment of AEO obligations (EAEU Customs Code
//! Art. 433: EUR 1,000,000 equivalent for the shipped types): its form, and the check of the
//! typed amount against the certificate type's configured minimum. Exact money throughout
//! (`domain::money`): the amount is parsed in its currency's minor units, never through floats.

use super::config::CertificateType;
use crate::domain::money::{Currency, Money};
use crate::domain::validation::ErrorCode;
use serde::{Deserialize, Serialize};

/// The form of the security. The codes are the option keys of T2 question 4.3, so the form a
/// trader named in its self-assessment pre-fills the application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SecurityForm {
    /// A bank guarantee.
    BankGuarantee,
    /// A cash deposit.
    Deposit,
    /// A surety agreement.
    Surety,
    /// A pledge of property.
    Property,
}

impl SecurityForm {
    /// Every form, in the order forms list them.
    pub const ALL: [SecurityForm; 4] = [Self::BankGuarantee, Self::Deposit, Self::Surety, Self::Property];

    /// Storage and form code (T2 question 4.3's option key).
    pub const fn code(self) -> &'static str {
        match self {
            Self::BankGuarantee => "bank_guarantee",
            Self::Deposit => "cash_deposit",
            Self::Surety => "surety",
            Self::Property => "pledge",
        }
    }

    /// Reads a code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.code() == code)
    }
}

/// A checked security.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Security {
    /// Its form.
    pub form: SecurityForm,
    /// Its amount, exact.
    pub amount: Money,
}

/// Why a security is refused. Each maps to one user-facing message; the ones marked *new* need an
/// [`ErrorCode`] variant and its kk/ru/en wording when the application pages are built (see
/// [`SecurityError::error_code`] for the ones that exist already).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SecurityError {
    /// No form chosen, or not one of [`SecurityForm`] → `ErrorCode::InvalidChoice` ("not one of
    /// the allowed choices").
    Form,
    /// No amount typed → `ErrorCode::Required`.
    AmountRequired,
    /// Not an amount (letters, a sign, an exponent) → `ErrorCode::MoneyFormat`.
    AmountFormat,
    /// More decimals than the currency has (e.g. `1000.5` JPY, `10.123` EUR) →
    /// `ErrorCode::MoneyPrecision`.
    Precision,
    /// More than fifteen integer digits → `ErrorCode::NumberTooLarge`.
    TooLarge,
    /// Not an accepted ISO 4217 code → `ErrorCode::CurrencyUnknown`.
    CurrencyUnknown,
    /// *New* (`SecurityCurrency`): "The security must be given in {expected}, the currency of the
    /// minimum for this certificate type."
    WrongCurrency {
        /// The currency of the configured minimum.
        expected: Currency,
    },
    /// *New* (`SecurityBelowMinimum`): "The security is less than the minimum of {minimum} for this
    /// certificate type."
    BelowMinimum {
        /// The configured minimum.
        minimum: Money,
    },
}

impl SecurityError {
    /// The existing error code with the same message, or `None` for the two that need new ones
    /// ([`SecurityError::WrongCurrency`], [`SecurityError::BelowMinimum`]).
    pub const fn error_code(self) -> Option<ErrorCode> {
        match self {
            Self::Form => Some(ErrorCode::InvalidChoice),
            Self::AmountRequired => Some(ErrorCode::Required),
            Self::AmountFormat => Some(ErrorCode::MoneyFormat),
            Self::Precision => Some(ErrorCode::MoneyPrecision),
            Self::TooLarge => Some(ErrorCode::NumberTooLarge),
            Self::CurrencyUnknown => Some(ErrorCode::CurrencyUnknown),
            Self::WrongCurrency { .. } | Self::BelowMinimum { .. } => None,
        }
    }

    /// The form field the error belongs to: `form`, `amount` or `currency`.
    pub const fn field(self) -> &'static str {
        match self {
            Self::Form => "form",
            Self::CurrencyUnknown | Self::WrongCurrency { .. } => "currency",
            _ => "amount",
        }
    }
}

/// Whether `amount` meets the type's minimum: same currency, at least the minimum. A type without
/// a minimum accepts any amount.
pub fn meets_minimum(ty: &CertificateType, amount: Money) -> Result<(), SecurityError> {
    match ty.min_security {
        None => Ok(()),
        Some(minimum) if minimum.currency != amount.currency => {
            Err(SecurityError::WrongCurrency { expected: minimum.currency })
        }
        Some(minimum) if amount.minor < minimum.minor => Err(SecurityError::BelowMinimum { minimum }),
        Some(_) => Ok(()),
    }
}

/// Checks a security as typed in the application form (form code, amount text, currency code)
/// for a certificate type: the amount is parsed exactly in the currency's minor units, then
/// compared with the type's minimum. The first problem is returned (form, currency, amount).
pub fn check(
    ty: &CertificateType,
    raw_form: &str,
    raw_amount: &str,
    raw_currency: &str,
) -> Result<Security, SecurityError> {
    let form = SecurityForm::from_code(raw_form.trim()).ok_or(SecurityError::Form)?;
    let currency = Currency::parse(raw_currency).map_err(|_| SecurityError::CurrencyUnknown)?;
    if let Some(minimum) = ty.min_security
        && minimum.currency != currency
    {
        return Err(SecurityError::WrongCurrency { expected: minimum.currency });
    }
    let amount = Money::parse(raw_amount, currency).map_err(|code| match code {
        ErrorCode::Required => SecurityError::AmountRequired,
        ErrorCode::MoneyPrecision => SecurityError::Precision,
        ErrorCode::NumberTooLarge => SecurityError::TooLarge,
        _ => SecurityError::AmountFormat,
    })?;
    meets_minimum(ty, amount)?;
    Ok(Security { form, amount })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::questionnaire::I18nText;

    fn ty(minimum: Option<(&str, &str)>) -> CertificateType {
        CertificateType {
            key: "type1".into(),
            number: "1".into(),
            label: I18nText::default(),
            legal_reference: String::new(),
            min_years_activity: 3,
            min_security: minimum.map(|(amount, currency)| {
                let currency = Currency::parse(currency).expect("known");
                Money::parse(amount, currency).expect("valid")
            }),
            conditions: Vec::new(),
        }
    }

    #[test]
    fn the_minimum_of_each_type_is_met_exactly() {
        let type1 = ty(Some(("1000000", "EUR")));
        let ok = check(&type1, "bank_guarantee", "1 000 000.00", "eur").expect("exactly the minimum");
        assert_eq!(ok, Security { form: SecurityForm::BankGuarantee, amount: type1.min_security.expect("set") });
        assert_eq!(
            check(&type1, "cash_deposit", "999999.99", "EUR"),
            Err(SecurityError::BelowMinimum { minimum: type1.min_security.expect("set") }),
            "one cent short"
        );
        let type2 = ty(Some(("150000", "EUR")));
        assert!(check(&type2, "surety", "150000.01", "EUR").is_ok());
        assert!(check(&type2, "pledge", "149999", "EUR").is_err());
        // A type without a minimum (EU AEOC) accepts any amount in any accepted currency.
        assert!(check(&ty(None), "pledge", "1", "JPY").is_ok());
    }

    #[test]
    fn each_problem_has_its_own_error() {
        let type1 = ty(Some(("1000000", "EUR")));
        assert_eq!(
            check(&type1, "bank_guarantee", "500000000", "KZT"),
            Err(SecurityError::WrongCurrency { expected: Currency::parse("EUR").expect("known") })
        );
        assert_eq!(check(&type1, "bank_guarantee", "1000000.005", "EUR"), Err(SecurityError::Precision));
        assert_eq!(check(&type1, "bank_guarantee", "1e6", "EUR"), Err(SecurityError::AmountFormat));
        assert_eq!(check(&type1, "bank_guarantee", "-1000000", "EUR"), Err(SecurityError::AmountFormat));
        assert_eq!(check(&type1, "bank_guarantee", " ", "EUR"), Err(SecurityError::AmountRequired));
        assert_eq!(check(&type1, "bank_guarantee", "10000000000000000", "EUR"), Err(SecurityError::TooLarge));
        assert_eq!(check(&type1, "bank_guarantee", "1000000", "XYZ"), Err(SecurityError::CurrencyUnknown));
        assert_eq!(check(&type1, "promise", "1000000", "EUR"), Err(SecurityError::Form));
        // Precision is the currency's: whole yen only, three decimals for dinars.
        let yen = ty(Some(("150000000", "JPY")));
        assert_eq!(check(&yen, "surety", "150000000.5", "JPY"), Err(SecurityError::Precision));
        let dinar = ty(Some(("300000", "KWD")));
        assert_eq!(check(&dinar, "surety", "300000.125", "KWD").map(|s| s.amount.minor), Ok(300_000_125));
    }

    #[test]
    fn errors_map_to_existing_codes_where_one_says_the_same() {
        assert_eq!(SecurityError::Precision.error_code(), Some(ErrorCode::MoneyPrecision));
        assert_eq!(SecurityError::CurrencyUnknown.field(), "currency");
        let minimum = Money::parse("1", Currency::parse("EUR").expect("known")).expect("valid");
        assert_eq!(SecurityError::BelowMinimum { minimum }.error_code(), None);
        assert_eq!(SecurityError::BelowMinimum { minimum }.field(), "amount");
        for f in SecurityForm::ALL {
            assert_eq!(SecurityForm::from_code(f.code()), Some(f));
        }
    }
}
