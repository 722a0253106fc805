//! Validation outcomes that travel to the browser: which field is wrong and why, as a code the
//! interface translates, never as server-side prose.

use serde::{Deserialize, Serialize};

/// Why a value was refused. Each code has a message in every interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ErrorCode {
    /// Nothing was entered.
    Required,
    /// Longer than the field allows.
    TooLong,
    /// Contains control characters, replacement characters or direction overrides.
    BadCharacters,
    /// A BIN must have exactly 12 digits.
    BinLength,
    /// A BIN may contain only digits.
    BinDigits,
    /// The BIN's check digit does not match.
    BinCheckDigit,
    /// Not a valid EORI number.
    EoriFormat,
    /// Not a valid e-mail address.
    EmailFormat,
    /// Password shorter than the minimum.
    PasswordTooShort,
    /// Password longer than the maximum.
    PasswordTooLong,
    /// Password is common, repetitive or a sequence.
    PasswordCommon,
    /// Password contains the user's name, e-mail or the service name.
    PasswordContext,
    /// The two passwords differ.
    PasswordMismatch,
    /// The current password is wrong.
    PasswordWrong,
    /// An account with this e-mail already exists.
    EmailTaken,
    /// An organisation with this identifier is already registered.
    IdentifierTaken,
    /// The value is not one of the allowed choices.
    InvalidChoice,
    /// The attestation box must be ticked.
    MustConfirm,
    /// The change would leave the organisation without an active administrator.
    LastAdministrator,
    /// The invitation link has expired.
    InvitationExpired,
    /// The invitation link was already used or withdrawn.
    InvitationUsed,
    /// The account is already deactivated.
    AlreadyDeactivated,
    /// That role belongs to the other side (trader or customs).
    WrongSideRole,
    /// Not an amount of money (digits with an optional decimal part).
    MoneyFormat,
    /// More decimal places than the currency has.
    MoneyPrecision,
    /// Not one of the accepted ISO 4217 currencies.
    CurrencyUnknown,
    /// The number is too large.
    NumberTooLarge,
    /// Not a number (digits, optional sign and decimal part).
    NumberFormat,
    /// Below the smallest allowed value.
    NumberTooSmall,
    /// Not a date in the form YYYY-MM-DD.
    DateFormat,
    /// Not applicable needs a justification here.
    JustificationRequired,
    /// Not applicable is not allowed for this question.
    NotApplicableNotAllowed,
    /// The assessment cannot be changed in its current status.
    NotEditable,
    /// The file is larger than allowed.
    FileTooLarge,
    /// The file's content is not one of the accepted types.
    FileTypeNotAllowed,
    /// No file was chosen, or it is empty.
    FileEmpty,
    /// The file is not a complete, readable document of its type (truncated, inconsistent,
    /// encrypted, or missing a part the format requires).
    FileDamaged,
    /// The file would expand past the configured size or compression ratio when opened.
    FileExpandsTooMuch,
    /// The same file (same SHA-256) is already attached to this question.
    AlreadyAttached,
    /// Some answers still await information from the trader.
    InformationOutstanding,
    /// This answer is not reopened for changes.
    NotReopened,
    /// The date must be today or later.
    DateInPast,
    /// The trader already has an open questionnaire of this template.
    AlreadyIssued,
    /// The record's lifecycle has moved on (or never allowed this step): the same refusal for every
    /// transition that is not allowed, whether found before the write or by its compare-and-set.
    WrongState,
    /// Not a declaration number in the administration's layout (Kazakhstan: office/DDMMYY/serial).
    DeclarationFormat,
    /// The date part of a declaration number is not a real date.
    DeclarationDate,
    /// Not a 10-digit HS code of the EAEU Combined Nomenclature.
    HsCode,
    /// Not an ISO 3166-1 alpha-2 country code.
    CountryCode,
    /// The goods cannot have been released before their declaration was registered.
    ReleaseBeforeRegistration,
    /// The lines' total does not match the disclosure type (an underpayment must owe customs, an
    /// overpayment must be a refund, a non-monetary disclosure carries no amounts).
    DifferenceSign,
    /// The file is not UTF-8 text.
    NotUtf8,
    /// The file's cells are not separated by commas or semicolons.
    CsvDelimiter,
    /// A header cell is not the layout's column at that place (unknown, misplaced or missing).
    CsvHeader,
    /// The row has more or fewer cells than the layout's columns.
    CsvCells,
    /// A quoted cell is never closed.
    CsvQuote,
    /// The cell starts like a spreadsheet formula (`=`, `+`, `-`, `@`).
    FormulaCell,
    /// More lines than one disclosure may hold.
    TooManyLines,
    /// Some rows of the file are refused (each is listed at its row and column).
    FileInvalidRows,
    /// The trader may still answer the intended decision (right to be heard) until its date.
    HearingOpen,
    /// Some lines were prompted by a notified control: the disclosure cannot be accepted as
    /// wholly voluntary.
    PromptedLines,
    /// The date must be today or earlier.
    DateInFuture,
    /// The trader has not reported the payment yet.
    PaymentNotReported,
    /// An extension request is already waiting for customs' answer (one at a time).
    ExtensionOpen,
    /// A finding is confirmed only once the trader answered or its hearing period is over.
    NotHeardYet,
    /// The hearing period of the finding is over: the answer comes too late.
    HearingClosed,
    /// A count is larger than the total it is part of (declarations corrected by customs above
    /// the declarations, payments on time above the payments due).
    CountAboveTotal,
    /// A second row for the same BIN in a file that holds one row per trader.
    DuplicateBin,
    /// A debt reference that an earlier row of the file already gives for the same BIN.
    DuplicateReference,
    /// No registered trader has this identifier (BIN).
    UnknownTrader,
    /// More rows than one file may hold.
    TooManyRows,
    /// The AEO security is not in the currency of the certificate type's minimum.
    SecurityCurrency,
    /// The AEO security is less than the certificate type's minimum.
    SecurityBelowMinimum,
    /// The linked self-assessment is not the trader's T2 AEO readiness assessment.
    AeoNotT2,
    /// The linked T2 self-assessment has not been submitted yet.
    AeoT2NotSubmitted,
    /// The organisation already has an open AEO application or a certificate in force.
    AeoApplicationOpen,
    /// The person who examined or proposed may not decide the AEO application (four eyes).
    FourEyes,
    /// Only a supervisor decides.
    NotSupervisor,
    /// The decision clock was already extended once.
    AlreadyExtended,
    /// The condition is not one of the certificate type's.
    UnknownCondition,
    /// A condition of the AEO application has no verdict yet.
    VerdictsMissing,
    /// A plain grant while a condition of the AEO application is not met.
    ConditionNotMet,
}

/// One refused field: the form field's name and the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The form field name, as in the HTML `name` attribute.
    pub field: String,
    /// Why it was refused.
    pub code: ErrorCode,
}

impl FieldError {
    /// A refusal of `field` for `code`.
    pub fn new(field: &str, code: ErrorCode) -> Self {
        Self { field: field.to_owned(), code }
    }
}

/// Collects field errors while a form is parsed, so the user sees every problem at once.
#[derive(Debug, Default)]
pub struct Collector {
    errors: Vec<FieldError>,
}

impl Collector {
    /// Keeps the value when `result` is `Ok`, records the error against `field` otherwise.
    pub fn take<T>(&mut self, field: &str, result: Result<T, ErrorCode>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(code) => {
                self.errors.push(FieldError::new(field, code));
                None
            }
        }
    }

    /// Records an error that is not tied to parsing one value.
    pub fn push(&mut self, field: &str, code: ErrorCode) {
        self.errors.push(FieldError::new(field, code));
    }

    /// How many errors were collected so far (to tell whether one part of a form was valid).
    pub fn count(&self) -> usize {
        self.errors.len()
    }

    /// The errors collected so far; empty means the form is valid.
    pub fn finish(self) -> Result<(), Vec<FieldError>> {
        if self.errors.is_empty() { Ok(()) } else { Err(self.errors) }
    }
}
