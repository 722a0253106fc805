//! Translations of error codes and wire errors, so the browser shows every refusal in the
//! user's language.

use crate::domain::{role::Role, validation::ErrorCode};
use crate::error::AppError;
use crate::i18n::*;

/// The message for a field error code. The codes marked `#[cfg(feature = "ssr")]` are shown only by
/// server-rendered pages (AEO, accounts, disclosures, CSV imports, findings): the browser's islands
/// (the section form, autosave, the idle warning) never meet them, so their wording stays out of
/// the wasm (bench/size-budget.txt) and the browser build falls back to the generic text.
pub fn code_text(locale: Locale, code: ErrorCode) -> String {
    match code {
        ErrorCode::Required => td_string!(locale, errors.required).to_string(),
        ErrorCode::TooLong => td_string!(locale, errors.too_long).to_string(),
        ErrorCode::BadCharacters => td_string!(locale, errors.bad_characters).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::BinLength => td_string!(locale, errors.bin_length).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::BinDigits => td_string!(locale, errors.bin_digits).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::BinCheckDigit => td_string!(locale, errors.bin_check_digit).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::EoriFormat => td_string!(locale, errors.eori_format).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::EmailFormat => td_string!(locale, errors.email_format).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::PasswordTooShort => td_string!(locale, errors.password_too_short).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::PasswordTooLong => td_string!(locale, errors.password_too_long).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::PasswordCommon => td_string!(locale, errors.password_common).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::PasswordContext => td_string!(locale, errors.password_context).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::PasswordMismatch => td_string!(locale, errors.password_mismatch).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::PasswordWrong => td_string!(locale, errors.password_wrong).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::EmailTaken => td_string!(locale, errors.email_taken).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::IdentifierTaken => td_string!(locale, errors.identifier_taken).to_string(),
        ErrorCode::InvalidChoice => td_string!(locale, errors.invalid_choice).to_string(),
        ErrorCode::MustConfirm => td_string!(locale, errors.must_confirm).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::LastAdministrator => td_string!(locale, errors.last_administrator).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::InvitationExpired => td_string!(locale, errors.invitation_expired).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::InvitationUsed => td_string!(locale, errors.invitation_used).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::AlreadyDeactivated => td_string!(locale, errors.already_deactivated).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::WrongSideRole => td_string!(locale, errors.wrong_side_role).to_string(),
        ErrorCode::MoneyFormat => td_string!(locale, errors.money_format).to_string(),
        ErrorCode::MoneyPrecision => td_string!(locale, errors.money_precision).to_string(),
        ErrorCode::CurrencyUnknown => td_string!(locale, errors.currency_unknown).to_string(),
        ErrorCode::NumberTooLarge => td_string!(locale, errors.number_too_large).to_string(),
        ErrorCode::NumberFormat => td_string!(locale, errors.number_format).to_string(),
        ErrorCode::NumberTooSmall => td_string!(locale, errors.number_too_small).to_string(),
        ErrorCode::DateFormat => td_string!(locale, errors.date_format).to_string(),
        ErrorCode::JustificationRequired => td_string!(locale, errors.justification_required).to_string(),
        ErrorCode::FileTooLarge => td_string!(locale, errors.file_too_large).to_string(),
        ErrorCode::FileTypeNotAllowed => td_string!(locale, errors.file_type_not_allowed).to_string(),
        ErrorCode::FileEmpty => td_string!(locale, errors.file_empty).to_string(),
        ErrorCode::FileDamaged => td_string!(locale, errors.file_damaged).to_string(),
        ErrorCode::FileExpandsTooMuch => td_string!(locale, errors.file_expands_too_much).to_string(),
        ErrorCode::AlreadyAttached => td_string!(locale, errors.already_attached).to_string(),
        ErrorCode::InformationOutstanding => td_string!(locale, errors.information_outstanding).to_string(),
        ErrorCode::NotReopened => td_string!(locale, errors.not_reopened).to_string(),
        ErrorCode::DateInPast => td_string!(locale, errors.date_in_past).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::AlreadyIssued => td_string!(locale, errors.already_issued).to_string(),
        ErrorCode::NotEditable => td_string!(locale, errors.not_editable).to_string(),
        ErrorCode::WrongState => td_string!(locale, errors.wrong_state).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::DeclarationFormat => td_string!(locale, errors.declaration_format).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::DeclarationDate => td_string!(locale, errors.declaration_date).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::HsCode => td_string!(locale, errors.hs_code).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::CountryCode => td_string!(locale, errors.country_code).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::ReleaseBeforeRegistration => td_string!(locale, errors.release_before_registration).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::DifferenceSign => td_string!(locale, errors.difference_sign).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::NotUtf8 => td_string!(locale, errors.not_utf8).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::CsvDelimiter => td_string!(locale, errors.csv_delimiter).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::CsvHeader => td_string!(locale, errors.csv_header).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::CsvCells => td_string!(locale, errors.csv_cells).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::CsvQuote => td_string!(locale, errors.csv_quote).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::FormulaCell => td_string!(locale, errors.formula_cell).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::TooManyLines => td_string!(locale, errors.too_many_lines).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::FileInvalidRows => td_string!(locale, errors.file_invalid_rows).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::UnknownTrader => td_string!(locale, errors.unknown_trader).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::TooManyRows => td_string!(locale, errors.too_many_rows).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::SecurityCurrency => td_string!(locale, errors.security_currency).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::SecurityBelowMinimum => td_string!(locale, errors.security_below_minimum).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::AeoNotT2 => td_string!(locale, errors.aeo_not_t2).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::AeoT2NotSubmitted => td_string!(locale, errors.aeo_t2_not_submitted).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::AeoApplicationOpen => td_string!(locale, errors.aeo_application_open).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::FourEyes => td_string!(locale, errors.four_eyes).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::NotSupervisor => td_string!(locale, errors.not_supervisor).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::AlreadyExtended => td_string!(locale, errors.already_extended).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::UnknownCondition => td_string!(locale, errors.unknown_condition).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::VerdictsMissing => td_string!(locale, errors.verdicts_missing).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::ConditionNotMet => td_string!(locale, errors.condition_not_met).to_string(),
        #[cfg(not(feature = "ssr"))]
        ErrorCode::SecurityCurrency
        | ErrorCode::SecurityBelowMinimum
        | ErrorCode::AeoNotT2
        | ErrorCode::AeoT2NotSubmitted
        | ErrorCode::AeoApplicationOpen
        | ErrorCode::FourEyes
        | ErrorCode::NotSupervisor
        | ErrorCode::AlreadyExtended
        | ErrorCode::UnknownCondition
        | ErrorCode::VerdictsMissing
        | ErrorCode::ConditionNotMet
        | ErrorCode::BinLength
        | ErrorCode::BinDigits
        | ErrorCode::BinCheckDigit
        | ErrorCode::EoriFormat
        | ErrorCode::EmailFormat
        | ErrorCode::PasswordTooShort
        | ErrorCode::PasswordTooLong
        | ErrorCode::PasswordCommon
        | ErrorCode::PasswordContext
        | ErrorCode::PasswordMismatch
        | ErrorCode::PasswordWrong
        | ErrorCode::EmailTaken
        | ErrorCode::IdentifierTaken
        | ErrorCode::LastAdministrator
        | ErrorCode::InvitationExpired
        | ErrorCode::InvitationUsed
        | ErrorCode::AlreadyDeactivated
        | ErrorCode::WrongSideRole
        | ErrorCode::AlreadyIssued
        | ErrorCode::DeclarationFormat
        | ErrorCode::DeclarationDate
        | ErrorCode::HsCode
        | ErrorCode::CountryCode
        | ErrorCode::ReleaseBeforeRegistration
        | ErrorCode::DifferenceSign
        | ErrorCode::NotUtf8
        | ErrorCode::CsvDelimiter
        | ErrorCode::CsvHeader
        | ErrorCode::CsvCells
        | ErrorCode::CsvQuote
        | ErrorCode::FormulaCell
        | ErrorCode::TooManyLines
        | ErrorCode::FileInvalidRows
        | ErrorCode::UnknownTrader
        | ErrorCode::TooManyRows
        | ErrorCode::HearingOpen
        | ErrorCode::PromptedLines
        | ErrorCode::DateInFuture
        | ErrorCode::PaymentNotReported
        | ErrorCode::ExtensionOpen
        | ErrorCode::NotHeardYet
        | ErrorCode::HearingClosed
        | ErrorCode::CountAboveTotal
        | ErrorCode::DuplicateBin
        | ErrorCode::DuplicateReference => td_string!(locale, errors.wrong_state).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::HearingOpen => td_string!(locale, errors.hearing_open).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::PromptedLines => td_string!(locale, errors.prompted_lines).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::DateInFuture => td_string!(locale, errors.date_in_future).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::PaymentNotReported => td_string!(locale, errors.payment_not_reported).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::ExtensionOpen => td_string!(locale, errors.extension_open).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::NotHeardYet => td_string!(locale, errors.not_heard_yet).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::HearingClosed => td_string!(locale, errors.hearing_closed).to_string(),
        ErrorCode::NotApplicableNotAllowed => td_string!(locale, errors.not_applicable_not_allowed).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::CountAboveTotal => td_string!(locale, errors.count_above_total).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::DuplicateBin => td_string!(locale, errors.duplicate_bin).to_string(),
        #[cfg(feature = "ssr")]
        ErrorCode::DuplicateReference => td_string!(locale, errors.duplicate_reference).to_string(),
    }
}

/// The headline message for a wire error.
pub fn error_text(locale: Locale, error: &AppError) -> String {
    match error {
        AppError::Unauthenticated => td_string!(locale, errors.unauthenticated).to_string(),
        AppError::Forbidden => td_string!(locale, errors.forbidden).to_string(),
        AppError::NotFound => td_string!(locale, errors.not_found).to_string(),
        AppError::Invalid(_) => td_string!(locale, errors.invalid).to_string(),
        AppError::Refused(code) => code_text(locale, *code),
        AppError::Incomplete(_) => td_string!(locale, errors.incomplete).to_string(),
        AppError::FileInvalid(_) => td_string!(locale, errors.file_invalid).to_string(),
        AppError::Conflict => td_string!(locale, errors.conflict).to_string(),
        AppError::BadCredentials => td_string!(locale, errors.bad_credentials).to_string(),
        AppError::RateLimited { retry_after_secs } => {
            td_string!(locale, errors.rate_limited).replace("{seconds}", &retry_after_secs.to_string())
        }
        #[cfg(feature = "ssr")]
        AppError::CoolingOff { until } => {
            let (y, m, d) = crate::domain::time::civil_from_days(*until);
            td_string!(locale, errors.aeo_cooling_off).replace("{date}", &format!("{y:04}-{m:02}-{d:02}"))
        }
        #[cfg(not(feature = "ssr"))]
        AppError::CoolingOff { .. } => td_string!(locale, errors.wrong_state).to_string(),
        AppError::BadRequest => td_string!(locale, errors.bad_request).to_string(),
        AppError::Unreachable => td_string!(locale, errors.unreachable).to_string(),
        AppError::TooLarge => td_string!(locale, errors.body_too_large).to_string(),
        AppError::MalformedUpload => td_string!(locale, errors.upload_malformed).to_string(),
        AppError::Unavailable { request_id } => {
            td_string!(locale, errors.unavailable).replace("{request_id}", request_id)
        }
        AppError::Internal { request_id } => td_string!(locale, errors.internal).replace("{request_id}", request_id),
    }
}

/// The translated name of a role.
pub fn role_text(locale: Locale, role: Role) -> String {
    match role {
        Role::TraderAdmin => td_string!(locale, roles.trader_admin).to_string(),
        Role::Preparer => td_string!(locale, roles.preparer).to_string(),
        Role::Signatory => td_string!(locale, roles.signatory).to_string(),
        Role::Officer => td_string!(locale, roles.officer).to_string(),
        Role::Supervisor => td_string!(locale, roles.supervisor).to_string(),
        Role::CustomsAdmin => td_string!(locale, roles.customs_admin).to_string(),
    }
}

/// The name of an assessment status.
pub fn assessment_status_text(locale: Locale, status: crate::domain::assessment::AssessmentStatus) -> String {
    use crate::domain::assessment::AssessmentStatus;
    match status {
        AssessmentStatus::Draft => td_string!(locale, assessment.status_draft).to_string(),
        AssessmentStatus::Submitted => td_string!(locale, assessment.status_submitted).to_string(),
        AssessmentStatus::UnderReview => td_string!(locale, assessment.status_under_review).to_string(),
        AssessmentStatus::InfoRequested => td_string!(locale, assessment.status_info_requested).to_string(),
        AssessmentStatus::Reviewed => td_string!(locale, assessment.status_reviewed).to_string(),
        AssessmentStatus::Withdrawn => td_string!(locale, assessment.status_withdrawn).to_string(),
    }
}

/// Why an answer or file was not carried to a new template version.
pub fn not_carried_text(locale: Locale, reason: crate::domain::revision::NotCarriedReason) -> String {
    use crate::domain::revision::NotCarriedReason;
    match reason {
        NotCarriedReason::QuestionRemoved => td_string!(locale, carry.question_removed).to_string(),
        NotCarriedReason::TypeChanged => td_string!(locale, carry.type_changed).to_string(),
        NotCarriedReason::OptionRemoved => td_string!(locale, carry.option_removed).to_string(),
        NotCarriedReason::NoLongerValid => td_string!(locale, carry.no_longer_valid).to_string(),
    }
}
