//! Voluntary disclosures (domain reference §7.2–7.3): the lifecycle as one enum and one transition
//! function, the per-line voluntariness rule, and the exact arithmetic of a line (customs value
//! from the invoice and the exchange rate, per-tax differences, totals).
//!
//! Money is integer minor units throughout; a line's amounts are rounded half-up to the minor unit
//! at exactly one step each (the conversion of the invoice amount, and each tax or adjustment
//! computed from a base), and differences and totals are then plain integer sums, so totals always
//! equal the sum of what the lines show.

use super::money::{Currency, Money};
use serde::{Deserialize, Serialize};

/// Where a disclosure is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DisclosureStatus {
    /// Being prepared by the trader; shared by the organisation's users.
    Draft,
    /// Signed and submitted (complete, or an initial notice in two-step mode); voluntariness was
    /// decided at the submission instant.
    Submitted,
    /// Two-step mode: customs accepted the initial notice; the complete disclosure is due by the
    /// perfection date.
    PerfectionPending,
    /// Two-step mode: the complete disclosure was submitted.
    Perfected,
    /// Customs acknowledged receipt; lines are locked except through an information request.
    Acknowledged,
    /// An officer is reviewing it.
    UnderReview,
    /// The officer asked for more on named lines; the SLA clock is paused until the trader answers.
    InfoRequested,
    /// An adverse outcome is proposed; the trader may answer before the decision.
    RightToBeHeard,
    /// Decided with an [`Outcome`].
    Decided,
    /// Accepted: amounts due (per tax, plus interest) wait for payment.
    PaymentPending,
    /// The officer confirmed the payment.
    Paid,
    /// The correction declaration (KDT) is confirmed.
    KdtConfirmed,
    /// Nothing more to do.
    Closed,
    /// Withdrawn by the trader before the decision.
    Withdrawn,
}

/// The officer's decision on a disclosure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    /// Accepted, every line voluntary.
    AcceptedVoluntary,
    /// Accepted, but some or all lines were prompted by a notified control.
    AcceptedNotVoluntary,
    /// Rejected as incomplete.
    RejectedIncomplete,
    /// Referred to enforcement.
    ReferredEnforcement,
}

impl Outcome {
    /// Every outcome, in the order forms list them.
    pub const ALL: [Outcome; 4] = [
        Outcome::AcceptedVoluntary,
        Outcome::AcceptedNotVoluntary,
        Outcome::RejectedIncomplete,
        Outcome::ReferredEnforcement,
    ];

    /// Storage and form code.
    pub const fn code(self) -> &'static str {
        match self {
            Outcome::AcceptedVoluntary => "accepted_voluntary",
            Outcome::AcceptedNotVoluntary => "accepted_not_voluntary",
            Outcome::RejectedIncomplete => "rejected_incomplete",
            Outcome::ReferredEnforcement => "referred_enforcement",
        }
    }

    /// Reads a code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.code() == code)
    }

    /// Whether the trader must be heard first (every outcome but full acceptance as voluntary).
    pub fn adverse(self) -> bool {
        self != Outcome::AcceptedVoluntary
    }

    /// Whether money becomes due.
    pub fn accepted(self) -> bool {
        matches!(self, Outcome::AcceptedVoluntary | Outcome::AcceptedNotVoluntary)
    }
}

/// What can happen to a disclosure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DisclosureAction {
    /// The trader's signatory or administrator submits.
    Submit,
    /// Two-step mode: the trader's signatory or administrator files an initial notice instead of
    /// the complete disclosure (it fixes the voluntariness instant).
    FileNotice,
    /// Customs accepts an initial notice (two-step mode).
    AcceptNotice,
    /// Two-step mode: the trader asks for more time to perfect (the status stays).
    RequestExtension,
    /// Two-step mode: an officer grants or refuses the open extension request (the status stays).
    DecideExtension,
    /// The trader submits the complete disclosure after an accepted initial notice.
    Perfect,
    /// Customs acknowledges receipt.
    Acknowledge,
    /// An officer takes it for review.
    StartReview,
    /// The officer asks for more on named lines.
    RequestInfo,
    /// The trader answers an information request.
    AnswerInfo,
    /// The officer proposes an adverse outcome and opens the right to be heard.
    OfferHearing,
    /// The officer decides.
    Decide(Outcome),
    /// The officer sets the amounts due after an acceptance.
    RequestPayment,
    /// The officer confirms the trader's payment.
    ConfirmPayment,
    /// The officer confirms the correction declaration (KDT).
    ConfirmKdt,
    /// The officer closes it.
    Close,
    /// The trader withdraws it before the decision.
    Withdraw,
}

/// What the transition function needs to know besides the status and the action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Facts {
    /// The decided outcome, for the steps after a decision.
    pub decided: Option<Outcome>,
    /// Whether the disclosure began as an initial notice (two-step mode): a notice is accepted,
    /// then perfected, and only then acknowledged; a complete submission is acknowledged directly
    /// and can never be accepted as a notice.
    pub notice: bool,
}

impl Facts {
    /// A one-step disclosure with this decided outcome (or none yet).
    pub const fn decided(decided: Option<Outcome>) -> Self {
        Facts { decided, notice: false }
    }
}

/// An action not allowed in the current status (or an outcome not allowed yet).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisclosureTransitionError {
    /// The status at the time.
    pub from: DisclosureStatus,
    /// What was attempted.
    pub attempted: DisclosureAction,
}

impl DisclosureStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [DisclosureStatus; 14] = [
        Self::Draft,
        Self::Submitted,
        Self::PerfectionPending,
        Self::Perfected,
        Self::Acknowledged,
        Self::UnderReview,
        Self::InfoRequested,
        Self::RightToBeHeard,
        Self::Decided,
        Self::PaymentPending,
        Self::Paid,
        Self::KdtConfirmed,
        Self::Closed,
        Self::Withdrawn,
    ];

    /// The status after `action`, given the [`Facts`] (the decided outcome for the steps after a
    /// decision; whether it began as an initial notice), or why it is not allowed. An adverse
    /// outcome can only be decided after the right to be heard; an initial notice is accepted and
    /// perfected before it can be acknowledged, and a complete submission is never accepted as a
    /// notice.
    pub fn apply(self, action: DisclosureAction, facts: Facts) -> Result<DisclosureStatus, DisclosureTransitionError> {
        use {DisclosureAction as A, DisclosureStatus as S};
        let Facts { decided, notice } = facts;
        let accepted = decided.is_some_and(Outcome::accepted);
        match (self, action) {
            (S::Draft, A::Submit | A::FileNotice) if !notice => Ok(S::Submitted),
            (S::Submitted, A::AcceptNotice) if notice => Ok(S::PerfectionPending),
            (S::PerfectionPending, A::RequestExtension | A::DecideExtension) if notice => Ok(S::PerfectionPending),
            (S::PerfectionPending, A::Perfect) if notice => Ok(S::Perfected),
            (S::Submitted, A::Acknowledge) if !notice => Ok(S::Acknowledged),
            (S::Perfected, A::Acknowledge) if notice => Ok(S::Acknowledged),
            (S::Acknowledged, A::StartReview) => Ok(S::UnderReview),
            (S::UnderReview, A::RequestInfo) => Ok(S::InfoRequested),
            (S::InfoRequested, A::AnswerInfo) => Ok(S::UnderReview),
            (S::UnderReview, A::OfferHearing) => Ok(S::RightToBeHeard),
            (S::UnderReview, A::Decide(outcome)) if !outcome.adverse() => Ok(S::Decided),
            (S::RightToBeHeard, A::Decide(_)) => Ok(S::Decided),
            (S::Decided, A::RequestPayment) if accepted => Ok(S::PaymentPending),
            (S::PaymentPending, A::ConfirmPayment) => Ok(S::Paid),
            (S::Paid, A::ConfirmKdt) => Ok(S::KdtConfirmed),
            (S::KdtConfirmed, A::Close) => Ok(S::Closed),
            (S::Decided, A::Close) if !accepted => Ok(S::Closed),
            (from, A::Withdraw) if from.before_decision() => Ok(S::Withdrawn),
            (from, attempted) => Err(DisclosureTransitionError { from, attempted }),
        }
    }

    /// Whether the disclosure is not yet decided (and so may still be withdrawn).
    pub fn before_decision(self) -> bool {
        use DisclosureStatus as S;
        matches!(
            self,
            S::Draft
                | S::Submitted
                | S::PerfectionPending
                | S::Perfected
                | S::Acknowledged
                | S::UnderReview
                | S::InfoRequested
                | S::RightToBeHeard
        )
    }

    /// Whether the trader may change lines now (all of them in a draft or while perfecting, the
    /// named ones during an information request).
    pub fn editable(self) -> bool {
        matches!(self, Self::Draft | Self::PerfectionPending | Self::InfoRequested)
    }

    /// Whether the SLA clock runs (it pauses while customs waits for the trader).
    pub fn clock_runs(self) -> bool {
        matches!(self, Self::Submitted | Self::Perfected | Self::Acknowledged | Self::UnderReview)
    }

    /// Storage code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::PerfectionPending => "perfection_pending",
            Self::Perfected => "perfected",
            Self::Acknowledged => "acknowledged",
            Self::UnderReview => "under_review",
            Self::InfoRequested => "info_requested",
            Self::RightToBeHeard => "right_to_be_heard",
            Self::Decided => "decided",
            Self::PaymentPending => "payment_pending",
            Self::Paid => "paid",
            Self::KdtConfirmed => "kdt_confirmed",
            Self::Closed => "closed",
            Self::Withdrawn => "withdrawn",
        }
    }

    /// Reads a storage code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// A disclosure receipt number: `VD-<year>-<disclosure id, 6 digits>`, e.g. `VD-2025-000007`.
pub fn receipt_number(year: i64, disclosure_id: i64) -> String {
    format!("VD-{year}-{disclosure_id:06}")
}

/// Two-step mode: the receipt number of the complete disclosure that perfects the initial notice
/// numbered `number` (the disclosure keeps the notice's number; each receipt has its own).
pub fn perfection_receipt_number(number: &str) -> String {
    format!("{number}-P")
}

/// Checks an initial notice's estimated amount: the size of the expected difference (owed to
/// customs for an underpayment, claimed back for an overpayment) as exact money in `currency`,
/// never negative. A monetary kind needs more than zero; a non-monetary one carries none (blank
/// or zero).
pub fn estimated_amount(
    kind: DisclosureKind,
    raw: &str,
    currency: Currency,
) -> Result<i64, crate::domain::validation::ErrorCode> {
    use crate::domain::validation::ErrorCode;
    let text = raw.trim();
    if text.starts_with(['-', '−']) {
        return Err(ErrorCode::NumberTooSmall);
    }
    let minor = match (kind, text) {
        (DisclosureKind::NonMonetary, "") => return Ok(0),
        _ => Money::parse(text, currency)?.minor,
    };
    match kind {
        DisclosureKind::NonMonetary if minor != 0 => Err(ErrorCode::DifferenceSign),
        DisclosureKind::Underpayment | DisclosureKind::Overpayment if minor == 0 => Err(ErrorCode::NumberTooSmall),
        _ => Ok(minor),
    }
}

/// Checks a requested extension of the perfection date: whole days from 1 to `max_days` (the
/// rules file's `extension_max_days`; 0 allows none).
pub fn extension_days(raw: &str, max_days: u16) -> Result<i64, crate::domain::validation::ErrorCode> {
    use crate::domain::validation::ErrorCode;
    let text = raw.trim();
    if text.is_empty() {
        return Err(ErrorCode::Required);
    }
    if !text.chars().all(|c| c.is_ascii_digit()) {
        return Err(ErrorCode::NumberFormat);
    }
    if text.trim_start_matches('0').len() > 6 {
        return Err(ErrorCode::NumberTooLarge);
    }
    let days: i64 = text.parse().map_err(|_| ErrorCode::NumberTooLarge)?;
    if days < 1 {
        return Err(ErrorCode::NumberTooSmall);
    }
    if days > i64::from(max_days) {
        return Err(ErrorCode::NumberTooLarge);
    }
    Ok(days)
}

// ---------------------------------------------------------------------------------- the header

/// Defines a closed list of codes stored as text: `ALL`, `code()` and `from_code()`.
macro_rules! codes {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $code:literal,)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name { $($(#[$vdoc])* $variant,)+ }

        impl $name {
            /// Every value, in the order forms list them.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// Storage and form code.
            pub const fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }

            /// Reads a code.
            pub fn from_code(code: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.code() == code)
            }
        }
    };
}

codes! {
    /// What a disclosure corrects.
    DisclosureKind {
        /// Duties or taxes were underpaid: money is owed to customs.
        Underpayment = "underpayment",
        /// Too much was paid: a refund claim.
        Overpayment = "overpayment",
        /// A correction without money (origin, quantity, procedure…).
        NonMonetary = "non_monetary",
    }
}

codes! {
    /// Why the error happened.
    RootCause {
        /// Wrong master data (item codes, prices, origin records).
        MasterData = "master_data",
        /// The customs broker's instruction or entry.
        BrokerInstruction = "broker_instruction",
        /// An ERP or system error.
        ErpSystem = "erp_system",
        /// A classification judgement that proved wrong.
        ClassificationJudgement = "classification_judgement",
        /// A valuation adjustment missed (royalty, assist, freight).
        ValuationAdjustment = "valuation_adjustment",
        /// A preference claimed without proof of origin.
        PreferenceWithoutProof = "preference_without_proof",
        /// Something else (the narrative says what).
        Other = "other",
    }
}

codes! {
    /// How the trader found the error.
    Discovery {
        /// Internal audit.
        InternalAudit = "internal_audit",
        /// Periodic self-testing of declarations.
        SelfTesting = "self_testing",
        /// A supplier's notice (price revision, origin withdrawal).
        SupplierNotice = "supplier_notice",
        /// The customs broker.
        Broker = "broker",
        /// Something else.
        Other = "other",
    }
}

codes! {
    /// The officer's decision on one line.
    LineDecision {
        /// Accepted as the trader disclosed it.
        Accepted = "accepted",
        /// Accepted with the officer's corrected amounts.
        Adjusted = "adjusted",
        /// Rejected (the reason says why).
        Rejected = "rejected",
    }
}

codes! {
    /// An officer's answer to a request to extend the perfection date.
    ExtensionDecision {
        /// The due date moves by the days asked.
        Granted = "granted",
        /// The due date stays (the reason says why).
        Refused = "refused",
    }
}

impl DisclosureKind {
    /// Whether lines totalling `difference` (minor units, positive owed to customs) fit this kind.
    pub fn fits(self, difference: i64, any_money: bool) -> bool {
        match self {
            DisclosureKind::Underpayment => difference > 0,
            DisclosureKind::Overpayment => difference < 0,
            DisclosureKind::NonMonetary => !any_money,
        }
    }
}

// ------------------------------------------------------------------------------- voluntariness

/// What a control case covers, as far as voluntariness is concerned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ControlScope {
    /// The control case's id.
    pub control: i64,
    /// When the trader was notified (UTC milliseconds); `None` while it is only planned.
    pub notified_at: Option<i64>,
    /// The covered period, release dates from–to inclusive (days since 1970-01-01).
    pub period: Option<(i64, i64)>,
    /// Declarations named in the control, as written.
    pub declarations: Vec<String>,
    /// Topics covered by the period (classification, valuation, origin…).
    pub topics: Vec<String>,
}

/// What voluntariness needs of a line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineFacts {
    /// The declaration number, as written.
    pub declaration: String,
    /// The release date (days since 1970-01-01).
    pub released: i64,
    /// The line's error topics.
    pub topics: Vec<String>,
}

/// A line's voluntariness, with the control that decided it when prompted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Voluntariness {
    /// No control notified before the instant covered this line.
    Voluntary,
    /// This control, notified before the instant, covered the line.
    Prompted {
        /// The control case's id.
        control: i64,
    },
}

/// Decides one line at the voluntariness `instant` (the submission, or the initial notice): a line
/// is prompted by a control notified strictly before the instant that names its declaration, or
/// whose period holds its release date with a topic in common. The earliest such control decides.
pub fn voluntariness(line: &LineFacts, controls: &[ControlScope], instant: i64) -> Voluntariness {
    controls
        .iter()
        .filter_map(|c| c.notified_at.filter(|at| *at < instant).map(|at| (at, c)))
        .filter(|(_, c)| {
            let named = c.declarations.iter().any(|d| d == &line.declaration);
            let in_period = c.period.is_some_and(|(from, to)| (from..=to).contains(&line.released))
                && line.topics.iter().any(|t| c.topics.contains(t));
            named || in_period
        })
        .min_by_key(|(at, c)| (*at, c.control))
        .map_or(Voluntariness::Voluntary, |(_, c)| Voluntariness::Prompted { control: c.control })
}

// ------------------------------------------------------------------------------ line arithmetic

/// Rates are written with this many decimals and stored as integers scaled by ten to its power.
pub const RATE_DIGITS: u32 = 4;

/// Parses a non-negative decimal written with at most `digits` decimals (`.` or `,`) into an
/// integer scaled by 10^`digits`: "450.12" at 4 digits is 4,501,200, "12" at 4 is 120,000. Never
/// through floating point; signs, exponents and more than fifteen integer digits are refused.
pub fn parse_scaled(raw: &str, digits: u32) -> Result<i64, super::validation::ErrorCode> {
    use super::validation::ErrorCode;
    let text = raw.trim();
    if text.is_empty() {
        return Err(ErrorCode::Required);
    }
    let (whole, fraction) = text.split_once(['.', ',']).unwrap_or((text, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty()
        || !all_digits(whole)
        || !all_digits(fraction)
        || (text.len() > whole.len() && fraction.is_empty())
    {
        return Err(ErrorCode::NumberFormat);
    }
    if fraction.len() > digits as usize {
        return Err(ErrorCode::NumberFormat);
    }
    if whole.trim_start_matches('0').len() > 15 {
        return Err(ErrorCode::NumberTooLarge);
    }
    let padded = format!("{whole}{fraction:0<width$}", width = digits as usize);
    padded.parse::<i64>().map_err(|_| ErrorCode::NumberTooLarge)
}

/// Divides rounding half away from zero (half-up for the non-negative amounts Senim computes).
fn div_half_up(numerator: i128, denominator: i128) -> i128 {
    let (q, r) = (numerator / denominator, numerator % denominator);
    if 2 * r.abs() >= denominator.abs() { q + numerator.signum() * denominator.signum() } else { q }
}

/// Arithmetic beyond what any real disclosure needs (more than fifteen integer digits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overflow;

/// The largest amount a line or total may hold: fifteen integer digits and two decimals, in minor
/// units.
const MAX_MINOR: i64 = 99_999_999_999_999_999;

pub(crate) fn to_i64(value: i128) -> Result<i64, Overflow> {
    i64::try_from(value).ok().filter(|v| v.abs() <= MAX_MINOR).ok_or(Overflow)
}

/// Converts an invoice amount into `to` at `rate` (units of `to` per unit of the invoice currency,
/// scaled by 10^[`RATE_DIGITS`]), rounded half-up to `to`'s minor unit in this one step.
pub fn convert(amount: Money, rate: i64, to: Currency) -> Result<Money, Overflow> {
    let from_scale = 10_i128.pow(u32::from(amount.currency.minor_digits()));
    let to_scale = 10_i128.pow(u32::from(to.minor_digits()));
    let minor =
        div_half_up(i128::from(amount.minor) * i128::from(rate) * to_scale, from_scale * 10_i128.pow(RATE_DIGITS));
    Ok(Money { minor: to_i64(minor)?, currency: to })
}

/// `base` × `rate_ppm` / 1,000,000 (a percentage in parts per million: 10 % = 100,000), rounded
/// half-up to the minor unit in this one step.
pub fn share(base: Money, rate_ppm: i64) -> Result<Money, Overflow> {
    let minor = div_half_up(i128::from(base.minor) * i128::from(rate_ppm), 1_000_000);
    Ok(Money { minor: to_i64(minor)?, currency: base.currency })
}

/// The taxes a line corrects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Tax {
    /// Import customs duty.
    CustomsDuty,
    /// Import VAT.
    Vat,
    /// Excise.
    Excise,
    /// Anti-dumping, special safeguard or countervailing duty.
    TradeRemedy,
}

impl Tax {
    /// Every tax, in the order pages and totals list them.
    pub const ALL: [Tax; 4] = [Tax::CustomsDuty, Tax::Vat, Tax::Excise, Tax::TradeRemedy];

    /// Storage code.
    pub const fn code(self) -> &'static str {
        match self {
            Tax::CustomsDuty => "customs_duty",
            Tax::Vat => "vat",
            Tax::Excise => "excise",
            Tax::TradeRemedy => "trade_remedy",
        }
    }

    /// Reads a storage code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }
}

/// One tax on one line: what was declared and what is correct, both in the payment currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxAmounts {
    /// The tax.
    pub tax: Tax,
    /// Declared (and paid) minor units.
    pub declared: i64,
    /// Correct minor units.
    pub correct: i64,
}

impl TaxAmounts {
    /// Correct minus declared: positive is owed to customs, negative is a refund claim. Computed,
    /// never typed.
    pub fn difference(&self) -> i64 {
        self.correct - self.declared
    }
}

/// Per-tax and overall differences over all lines, in minor units of one currency.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Totals {
    /// (tax, declared, correct, difference) in [`Tax::ALL`] order, taxes that occur only.
    pub per_tax: Vec<(Tax, i64, i64, i64)>,
    /// The sum of every difference.
    pub difference: i64,
}

/// Sums lines' tax amounts (integers; no rounding happens here).
pub fn totals<'a>(lines: impl IntoIterator<Item = &'a [TaxAmounts]>) -> Result<Totals, Overflow> {
    let mut sums: std::collections::BTreeMap<Tax, (i128, i128)> = std::collections::BTreeMap::new();
    for line in lines {
        for t in line {
            let entry = sums.entry(t.tax).or_default();
            entry.0 += i128::from(t.declared);
            entry.1 += i128::from(t.correct);
        }
    }
    let mut out = Totals::default();
    let mut overall: i128 = 0;
    for (tax, (declared, correct)) in sums {
        overall += correct - declared;
        out.per_tax.push((tax, to_i64(declared)?, to_i64(correct)?, to_i64(correct - declared)?));
    }
    out.difference = to_i64(overall)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::{DisclosureAction as A, DisclosureStatus as S, *};

    #[test]
    fn header_codes_round_trip_and_kinds_check_the_total() {
        for kind in DisclosureKind::ALL {
            assert_eq!(DisclosureKind::from_code(kind.code()), Some(*kind));
        }
        assert_eq!(RootCause::from_code("valuation_adjustment"), Some(RootCause::ValuationAdjustment));
        assert_eq!(Discovery::from_code("audit"), None);
        assert!(DisclosureKind::Underpayment.fits(1, true) && !DisclosureKind::Underpayment.fits(0, true));
        assert!(DisclosureKind::Overpayment.fits(-1, true) && !DisclosureKind::Overpayment.fits(5, true));
        assert!(DisclosureKind::NonMonetary.fits(0, false) && !DisclosureKind::NonMonetary.fits(0, true));
        for outcome in Outcome::ALL {
            assert_eq!(Outcome::from_code(outcome.code()), Some(outcome));
        }
        assert_eq!(LineDecision::from_code("adjusted"), Some(LineDecision::Adjusted));
    }

    fn kzt() -> Currency {
        Currency::parse("KZT").expect("KZT")
    }

    #[test]
    fn the_whole_transition_table() {
        let outcomes = [
            Outcome::AcceptedVoluntary,
            Outcome::AcceptedNotVoluntary,
            Outcome::RejectedIncomplete,
            Outcome::ReferredEnforcement,
        ];
        let mut actions = vec![
            A::Submit,
            A::FileNotice,
            A::AcceptNotice,
            A::RequestExtension,
            A::DecideExtension,
            A::Perfect,
            A::Acknowledge,
            A::StartReview,
            A::RequestInfo,
            A::AnswerInfo,
            A::OfferHearing,
            A::RequestPayment,
            A::ConfirmPayment,
            A::ConfirmKdt,
            A::Close,
            A::Withdraw,
        ];
        actions.extend(outcomes.map(A::Decide));
        let pre_decision = [
            S::Draft,
            S::Submitted,
            S::PerfectionPending,
            S::Perfected,
            S::Acknowledged,
            S::UnderReview,
            S::InfoRequested,
            S::RightToBeHeard,
        ];
        for notice in [false, true] {
            for decided in [
                None,
                Some(Outcome::AcceptedVoluntary),
                Some(Outcome::AcceptedNotVoluntary),
                Some(Outcome::RejectedIncomplete),
            ] {
                let accepted = decided.is_some_and(Outcome::accepted);
                let mut allowed = vec![
                    (S::Acknowledged, A::StartReview, S::UnderReview),
                    (S::UnderReview, A::RequestInfo, S::InfoRequested),
                    (S::InfoRequested, A::AnswerInfo, S::UnderReview),
                    (S::UnderReview, A::OfferHearing, S::RightToBeHeard),
                    (S::UnderReview, A::Decide(Outcome::AcceptedVoluntary), S::Decided),
                    (S::PaymentPending, A::ConfirmPayment, S::Paid),
                    (S::Paid, A::ConfirmKdt, S::KdtConfirmed),
                    (S::KdtConfirmed, A::Close, S::Closed),
                ];
                if notice {
                    // Two-step: the notice is accepted, perfected (extensions meanwhile), then
                    // acknowledged; it is never acknowledged as it stands.
                    allowed.extend([
                        (S::Submitted, A::AcceptNotice, S::PerfectionPending),
                        (S::PerfectionPending, A::RequestExtension, S::PerfectionPending),
                        (S::PerfectionPending, A::DecideExtension, S::PerfectionPending),
                        (S::PerfectionPending, A::Perfect, S::Perfected),
                        (S::Perfected, A::Acknowledge, S::Acknowledged),
                    ]);
                } else {
                    // One step: a draft is submitted or filed as a notice; a complete submission
                    // is acknowledged and can never be accepted as a notice.
                    allowed.extend([
                        (S::Draft, A::Submit, S::Submitted),
                        (S::Draft, A::FileNotice, S::Submitted),
                        (S::Submitted, A::Acknowledge, S::Acknowledged),
                    ]);
                }
                allowed.extend(outcomes.map(|o| (S::RightToBeHeard, A::Decide(o), S::Decided)));
                allowed.extend(pre_decision.map(|s| (s, A::Withdraw, S::Withdrawn)));
                if accepted {
                    allowed.push((S::Decided, A::RequestPayment, S::PaymentPending));
                } else {
                    allowed.push((S::Decided, A::Close, S::Closed));
                }
                let facts = Facts { decided, notice };
                for from in S::ALL {
                    for &action in &actions {
                        let expected =
                            allowed.iter().find(|(f, a, _)| *f == from && *a == action).map(|(_, _, to)| *to);
                        assert_eq!(from.apply(action, facts).ok(), expected, "{from:?} {action:?} {facts:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn an_initial_notice_estimate_is_exact_money_and_an_extension_is_whole_days_up_to_the_maximum() {
        use crate::domain::validation::ErrorCode;
        let u = DisclosureKind::Underpayment;
        assert_eq!(estimated_amount(u, "1 250 000.50", kzt()), Ok(125_000_050));
        assert_eq!(estimated_amount(DisclosureKind::Overpayment, "10", kzt()), Ok(1_000));
        assert_eq!(estimated_amount(u, "10.001", kzt()), Err(ErrorCode::MoneyPrecision));
        assert_eq!(estimated_amount(u, "-10", kzt()), Err(ErrorCode::NumberTooSmall));
        assert_eq!(estimated_amount(u, "1234567890123456789012345", kzt()), Err(ErrorCode::NumberTooLarge));
        assert_eq!(estimated_amount(u, "0", kzt()), Err(ErrorCode::NumberTooSmall));
        assert_eq!(estimated_amount(u, "", kzt()), Err(ErrorCode::Required));
        assert_eq!(estimated_amount(u, "1e5", kzt()), Err(ErrorCode::MoneyFormat));
        assert_eq!(estimated_amount(DisclosureKind::NonMonetary, "", kzt()), Ok(0));
        assert_eq!(estimated_amount(DisclosureKind::NonMonetary, "0.00", kzt()), Ok(0));
        assert_eq!(estimated_amount(DisclosureKind::NonMonetary, "5", kzt()), Err(ErrorCode::DifferenceSign));

        assert_eq!(extension_days("30", 30), Ok(30));
        assert_eq!(extension_days(" 7 ", 30), Ok(7));
        assert_eq!(extension_days("31", 30), Err(ErrorCode::NumberTooLarge));
        assert_eq!(extension_days("0", 30), Err(ErrorCode::NumberTooSmall));
        assert_eq!(extension_days("1", 0), Err(ErrorCode::NumberTooLarge), "0 in the rules allows none");
        assert_eq!(extension_days("-3", 30), Err(ErrorCode::NumberFormat));
        assert_eq!(extension_days("2.5", 30), Err(ErrorCode::NumberFormat));
        assert_eq!(extension_days("", 30), Err(ErrorCode::Required));
        assert_eq!(extension_days("99999999999999999999", 30), Err(ErrorCode::NumberTooLarge));
        assert_eq!(perfection_receipt_number(&receipt_number(2026, 12)), "VD-2026-000012-P");
        for d in ExtensionDecision::ALL {
            assert_eq!(ExtensionDecision::from_code(d.code()), Some(*d));
        }
    }

    #[test]
    fn the_notice_instant_decides_voluntariness_not_the_perfection_instant() {
        // A control naming the line's declaration, notified between the notice and the perfection.
        let line = LineFacts {
            declaration: "50101010/150324/0001234".into(),
            released: 19_797,
            topics: vec!["origin".into()],
        };
        let (noticed, control_at, perfected) = (1_000, 2_000, 3_000);
        let between = [ControlScope { declarations: vec![line.declaration.clone()], ..control(4, Some(control_at)) }];
        assert_eq!(voluntariness(&line, &between, noticed), Voluntariness::Voluntary);
        assert_eq!(voluntariness(&line, &between, perfected), Voluntariness::Prompted { control: 4 });
    }

    #[test]
    fn storage_codes_round_trip_and_the_clock_pauses_while_customs_waits() {
        for s in S::ALL {
            assert_eq!(S::from_code(s.code()), Some(s));
        }
        assert!(S::UnderReview.clock_runs() && !S::InfoRequested.clock_runs() && !S::RightToBeHeard.clock_runs());
        assert!(S::Draft.editable() && S::InfoRequested.editable() && !S::Acknowledged.editable());
        assert_eq!(receipt_number(2025, 7), "VD-2025-000007");
    }

    fn control(id: i64, notified_at: Option<i64>) -> ControlScope {
        ControlScope { control: id, notified_at, period: None, declarations: vec![], topics: vec![] }
    }

    #[test]
    fn voluntariness_per_line_against_notified_controls() {
        let line = LineFacts {
            declaration: "50101010/150324/0001234".into(),
            released: 19_797,
            topics: vec!["valuation".into()],
        };
        let instant = 1_000;
        let named = |id, at| ControlScope { declarations: vec![line.declaration.clone()], ..control(id, at) };
        let period = |id, at, from, to, topic: &str| ControlScope {
            period: Some((from, to)),
            topics: vec![topic.into()],
            ..control(id, at)
        };
        assert_eq!(voluntariness(&line, &[], instant), Voluntariness::Voluntary);
        // Named in a control notified before the instant: prompted by it.
        assert_eq!(voluntariness(&line, &[named(7, Some(999))], instant), Voluntariness::Prompted { control: 7 });
        // Notified at the same instant or after, or only planned: voluntary.
        assert_eq!(voluntariness(&line, &[named(7, Some(1_000))], instant), Voluntariness::Voluntary);
        assert_eq!(voluntariness(&line, &[named(7, Some(1_001))], instant), Voluntariness::Voluntary);
        assert_eq!(voluntariness(&line, &[named(7, None)], instant), Voluntariness::Voluntary);
        // A period holding the release date prompts only with a matching topic.
        assert_eq!(
            voluntariness(&line, &[period(8, Some(10), 19_790, 19_800, "valuation")], instant),
            Voluntariness::Prompted { control: 8 }
        );
        assert_eq!(
            voluntariness(&line, &[period(8, Some(10), 19_790, 19_800, "origin")], instant),
            Voluntariness::Voluntary
        );
        // Release date outside the period (both edges inclusive).
        assert_eq!(
            voluntariness(&line, &[period(8, Some(10), 19_798, 19_800, "valuation")], instant),
            Voluntariness::Voluntary
        );
        assert_eq!(
            voluntariness(&line, &[period(8, Some(10), 19_797, 19_797, "valuation")], instant),
            Voluntariness::Prompted { control: 8 }
        );
        // Several controls: the earliest notified decides.
        let several = [period(8, Some(500), 19_790, 19_800, "valuation"), named(7, Some(900)), named(9, Some(100))];
        assert_eq!(voluntariness(&line, &several, instant), Voluntariness::Prompted { control: 9 });
    }

    /// VD-2025-0007's example line (domain reference §7.6): USD 48,000.00 at 450.12 is a customs
    /// value of 21,605,760.00 KZT; adding the 3 % royalty gives 22,253,932.80; at 10 % duty the
    /// additional duty is 64,817.28 KZT.
    #[test]
    fn the_steppe_electronics_royalty_line_by_hand() {
        let usd = Currency::parse("USD").expect("USD");
        let invoice = Money { minor: 4_800_000, currency: usd };
        let declared_value = convert(invoice, 4_501_200, kzt()).expect("fits");
        assert_eq!(declared_value.minor, 2_160_576_000);
        let royalty = share(declared_value, 30_000).expect("fits");
        let correct_value = Money { minor: declared_value.minor + royalty.minor, currency: kzt() };
        assert_eq!(correct_value.minor, 2_225_393_280);
        let duty = |value: Money| share(value, 100_000).expect("fits").minor;
        let line = [TaxAmounts { tax: Tax::CustomsDuty, declared: duty(declared_value), correct: duty(correct_value) }];
        assert_eq!((line[0].declared, line[0].correct, line[0].difference()), (216_057_600, 222_539_328, 6_481_728));
        let totals = totals([&line[..], &line[..]]).expect("fits");
        assert_eq!(totals.per_tax, vec![(Tax::CustomsDuty, 432_115_200, 445_078_656, 12_963_456)]);
        assert_eq!(totals.difference, 12_963_456);
    }

    #[test]
    fn decimals_parse_exactly_into_scaled_integers() {
        use crate::domain::validation::ErrorCode;
        assert_eq!(parse_scaled("450.12", RATE_DIGITS), Ok(4_501_200));
        assert_eq!(parse_scaled(" 450,1234 ", RATE_DIGITS), Ok(4_501_234));
        assert_eq!(parse_scaled("12", 4), Ok(120_000));
        assert_eq!(parse_scaled("0.0001", 4), Ok(1));
        assert_eq!(parse_scaled("", 4), Err(ErrorCode::Required));
        for bad in ["-1", "+1", "1e3", "1.", ".5", "1.23456", "NaN", "1 000", "１２"] {
            assert_eq!(parse_scaled(bad, 4), Err(ErrorCode::NumberFormat), "{bad}");
        }
        assert_eq!(parse_scaled("1234567890123456", 4), Err(ErrorCode::NumberTooLarge));
    }

    #[test]
    fn rounding_is_half_up_at_the_one_step_and_currencies_keep_their_minor_units() {
        // 0.005 rounds up, 0.0049 down.
        assert_eq!(share(Money { minor: 5, currency: kzt() }, 100_000).expect("fits").minor, 1);
        assert_eq!(share(Money { minor: 4, currency: kzt() }, 100_000).expect("fits").minor, 0);
        assert_eq!(share(Money { minor: 15, currency: kzt() }, 100_000).expect("fits").minor, 2);
        // JPY has no minor unit, KWD three: 1,000 JPY at 3.4567 KZT = 3,456.70 KZT; 1.000 KWD at
        // 1,650.5555 = 1,650.56 KZT (half-up from 1,650.5555).
        let jpy = Money { minor: 1_000, currency: Currency::parse("JPY").expect("JPY") };
        assert_eq!(convert(jpy, 34_567, kzt()).expect("fits").minor, 345_670);
        let kwd = Money { minor: 1_000, currency: Currency::parse("KWD").expect("KWD") };
        assert_eq!(convert(kwd, 16_505_555, kzt()).expect("fits").minor, 165_056);
        // A refund claim: the difference is negative and still exact.
        // KZT 1,200.00 declared, 1,000.00 correct: a refund of 200.00.
        let refund = TaxAmounts { tax: Tax::Vat, declared: 120_000, correct: 100_000 };
        assert_eq!(refund.difference(), -20_000);
        // Beyond fifteen integer digits is refused, not wrapped.
        let huge = Money { minor: i64::MAX / 2, currency: kzt() };
        assert_eq!(convert(huge, 4_501_200, kzt()), Err(Overflow));
    }
}
