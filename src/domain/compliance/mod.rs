//! The compliance score of one trader (domain reference §7.5, model v1): a pure function from the
//! trader's reviewed self-assessments, operational statistics, findings, accepted disclosures,
//! debts, AEO status and certifications, an as-of day and a versioned parameter set ([`Params`]) to
//! an explained result: components, every deduction and bonus with its rule id, the record it came
//! from and its arithmetic, gates, confidence, the composite 0–100 and a tier A–E, and "what would
//! change my tier" hints. docs/scoring-model.md documents the model and every rule id.
//!
//! Exact: points are micro-points (10⁻⁶ point), factors parts per million, decay parts per
//! billion, the composite basis points. Each value is computed exactly from the values it is shown
//! to be made of and **rounded once, half up**: a component or item to micro-points, the composite
//! from the exact micro-point sum to basis points. So a trader can redo every line of the
//! explanation by hand and get the same figure. Ages are completed calendar months; a record
//! counts while its age is at most a window (a finding 36 months old still counts, 37 does not).
//!
//! Pure: no I/O and no clock. Dates are days since 1970-01-01 (as `answer::parse_date` returns).

pub mod arith;
pub mod params;
pub mod stability;

#[cfg(feature = "ssr")]
pub mod file;

#[cfg(test)]
mod tests;

use super::id::{AssessmentId, ControlCaseId, DisclosureId};
use arith::{MICRO, PPB, PPM, U256, decimal, div_half_up, factor, months_between, points};
pub use params::Params;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// A finding's row id.
pub use crate::domain::id::FindingId;

/// A customs debt's row id (imported from the national systems).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DebtId(pub i64);

/// Finding severity (§7.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Severity {
    Minor,
    Moderate,
    Major,
    Critical,
}

/// Finding culpability (§7.2). Intentional findings deduct nothing: they close gate G2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Culpability {
    Clerical,
    Negligence,
    GrossNegligence,
    Intentional,
}

/// How customs learned of a finding (§7.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Discovery {
    /// Disclosed by the trader before any notice.
    Voluntary,
    /// Disclosed after a notice, cooperatively.
    Prompted,
    /// Found by customs.
    CustomsDetected,
}

/// A reviewed self-assessment (its score from `domain::scoring`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelfAssessment {
    pub id: AssessmentId,
    /// Template code: the latest review per template counts.
    pub template: String,
    /// The reviewed overall score, basis points (`scoring::Assessment::overall_bp`).
    pub score_bp: u32,
    /// Day of the review.
    pub reviewed_on: i64,
    /// Answers given (excluding not-applicable) and of those verified by an officer (confidence).
    pub answered: u32,
    pub verified: u32,
}

/// Operational statistics, trailing 12 months (from the national systems).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Operations {
    pub declarations: u32,
    pub corrected_by_customs: u32,
    /// Post-release amendments the trader made.
    pub amendments: u32,
    /// The sector's median amendments per declaration, ppm.
    pub sector_median_amendment_ppm: i64,
    pub payments_due: u32,
    pub payments_on_time: u32,
}

/// A confirmed finding (drafts, communicated and withdrawn findings are not passed in).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub id: FindingId,
    /// Shown to people, e.g. "F-2024-031".
    pub reference: String,
    /// Day the finding was established: its age runs from here.
    pub date: i64,
    pub severity: Severity,
    pub culpability: Culpability,
    pub discovery: Discovery,
    /// Revenue shortfall, KZT minor units.
    pub shortfall_minor: i64,
    pub remediation_verified: bool,
}

/// An accepted voluntary disclosure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcceptedDisclosure {
    pub id: DisclosureId,
    pub reference: String,
    pub accepted_on: i64,
    /// Accepted as voluntary (not "accepted, not voluntary").
    pub voluntary: bool,
    /// Its corrective actions were verified by an officer.
    pub remediation_verified: bool,
}

/// A customs debt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Debt {
    pub id: DebtId,
    pub reference: String,
    /// Days overdue on the as-of day (0 when not yet due or paid).
    pub overdue_days: u32,
}

/// AEO status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Aeo {
    Valid,
    /// Revoked on this day (blocks AEO eligibility for a while; not a tier gate).
    Revoked {
        on: i64,
    },
}

/// A knock-out self-assessment answer an officer verified as "no" (gate G3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnockOut {
    pub assessment: AssessmentId,
    pub question: String,
}

/// A customs-related criminal conviction (gate G2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conviction {
    pub reference: String,
    pub date: i64,
}

/// Everything the score reads about one trader.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Inputs {
    /// The day scored.
    pub as_of: i64,
    pub self_assessments: Vec<SelfAssessment>,
    /// `None` when the national statistics are not available.
    pub operations: Option<Operations>,
    /// Duties the trader pays a year, KZT minor units (the materiality denominator).
    pub annual_duties_minor: i64,
    /// Day of the trader's first declaration (confidence: history).
    pub first_declaration: Option<i64>,
    pub findings: Vec<Finding>,
    pub disclosures: Vec<AcceptedDisclosure>,
    pub debts: Vec<Debt>,
    pub aeo: Option<Aeo>,
    /// Certification names held (only those the parameter set recognises count).
    pub certifications: Vec<String>,
    pub knock_outs: Vec<KnockOut>,
    pub convictions: Vec<Conviction>,
    /// Open control cases in which the trader refused to cooperate (gate G4).
    pub refusals: Vec<ControlCaseId>,
}

/// The record an item or gate comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Source {
    Assessment(AssessmentId),
    Operations,
    Finding(FindingId),
    Disclosure(DisclosureId),
    Debt(DebtId),
    Aeo,
    Certification(String),
    KnockOut {
        assessment: AssessmentId,
        question: String,
    },
    Conviction(String),
    ControlCase(ControlCaseId),
    /// A cap or total: no single record.
    Model,
}

/// Stable rule ids (docs/scoring-model.md). They never change meaning; a new rule gets a new id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Rule {
    /// A reviewed self-assessment, staleness applied.
    SaBase,
    /// No reviewed self-assessment: neutral.
    SaNone,
    /// The mean of several templates' self-assessments.
    SaMean,
    /// The operational score.
    Ops,
    /// No operational data: the base is the self-assessment alone.
    OpsNone,
    /// The base `B0`.
    Base,
    /// A finding's deduction.
    FindingDeduction,
    /// A finding older than the cut-off: nothing.
    FindingExpired,
    /// An intentional finding: no points, gate G2.
    FindingIntentional,
    /// Deductions above the cap given back.
    DeductionCap,
    /// An accepted voluntary disclosure with verified remediation.
    DisclosureBonus,
    /// Disclosure bonuses above their cap.
    DisclosureCap,
    /// Valid AEO.
    AeoBonus,
    /// A recognised certification.
    CertificationBonus,
    /// Certification bonuses above their cap.
    CertificationCap,
    /// All bonuses above their cap.
    BonusCap,
}

impl Rule {
    /// The id shown to people and stored with score events.
    pub const fn code(self) -> &'static str {
        match self {
            Self::SaBase => "SA-BASE",
            Self::SaNone => "SA-NONE",
            Self::SaMean => "SA-MEAN",
            Self::Ops => "OPS",
            Self::OpsNone => "OPS-NONE",
            Self::Base => "B0",
            Self::FindingDeduction => "F-SEV",
            Self::FindingExpired => "F-EXPIRED",
            Self::FindingIntentional => "F-INTENT",
            Self::DeductionCap => "D-CAP",
            Self::DisclosureBonus => "VD-BONUS",
            Self::DisclosureCap => "VD-CAP",
            Self::AeoBonus => "AEO-BONUS",
            Self::CertificationBonus => "CERT-BONUS",
            Self::CertificationCap => "CERT-CAP",
            Self::BonusCap => "BN-CAP",
        }
    }
}

/// One explained line: a part of the base, a deduction, a bonus or a cap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub rule: Rule,
    pub source: Source,
    /// Shown to people: "F-2024-031", "ISO 9001", a template code.
    pub reference: String,
    /// The record's day, when it has one.
    pub date: Option<i64>,
    /// Micro-points: the component's value for base lines, the signed change for the others
    /// (deductions negative, bonuses positive, caps whatever gives the capped total).
    pub micro: i64,
    /// The arithmetic, e.g. "6 × 1 × 1.1 × 0.25 × 0.5 × 0.5^(6/12) = 0.583363".
    pub formula: String,
}

/// Gates (§7.5 item 7): any one forces tier E.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Gate {
    /// G1: customs debt overdue beyond the threshold.
    OverdueDebt,
    /// G2: intentional violation or customs-related criminal conviction in the window.
    Intentional,
    /// G3: knock-out self-assessment answer verified "no".
    KnockOut,
    /// G4: refusal to cooperate with an open control.
    Refusal,
}

impl Gate {
    /// "G1" … "G4".
    pub const fn code(self) -> &'static str {
        match self {
            Self::OverdueDebt => "G1",
            Self::Intentional => "G2",
            Self::KnockOut => "G3",
            Self::Refusal => "G4",
        }
    }
}

/// One gate hit and what hit it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GateHit {
    pub gate: Gate,
    pub source: Source,
    pub reference: String,
    /// Why, e.g. "debt D-17 overdue 120 days > 90".
    pub evidence: String,
}

/// Tiers, best first (so `A < B` in `Ord`: "better" is "less").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Tier {
    A,
    B,
    C,
    D,
    E,
}

impl Tier {
    /// All tiers, best first.
    pub const ALL: [Self; 5] = [Self::A, Self::B, Self::C, Self::D, Self::E];

    /// "A" … "E".
    pub const fn letter(self) -> &'static str {
        match self {
            Self::A => "A",
            Self::B => "B",
            Self::C => "C",
            Self::D => "D",
            Self::E => "E",
        }
    }

    /// From its letter.
    pub fn from_letter(letter: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.letter() == letter)
    }

    /// The tier a composite falls in by the bands alone.
    pub fn of_band(composite_bp: u32, bands: &params::TierBands) -> Self {
        if composite_bp >= bands.a_min_bp {
            Self::A
        } else if composite_bp >= bands.b_min_bp {
            Self::B
        } else if composite_bp >= bands.c_min_bp {
            Self::C
        } else if composite_bp >= bands.d_min_bp {
            Self::D
        } else {
            Self::E
        }
    }

    /// The lower bound of this tier's band, basis points (`None` for E).
    pub fn band_min(self, bands: &params::TierBands) -> Option<u32> {
        match self {
            Self::A => Some(bands.a_min_bp),
            Self::B => Some(bands.b_min_bp),
            Self::C => Some(bands.c_min_bp),
            Self::D => Some(bands.d_min_bp),
            Self::E => None,
        }
    }

    /// The next better tier.
    pub fn better(self) -> Option<Self> {
        match self {
            Self::A => None,
            Self::B => Some(Self::A),
            Self::C => Some(Self::B),
            Self::D => Some(Self::C),
            Self::E => Some(Self::D),
        }
    }
}

/// Why the tier is what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TierRule {
    /// The composite's band ("BAND").
    Band,
    /// A gate forced E ("GATE").
    Gate,
    /// Band A, confidence below the minimum: capped at B ("C-CAP").
    ConfidenceCap,
}

impl TierRule {
    /// The rule id.
    pub const fn code(self) -> &'static str {
        match self {
            Self::Band => "BAND",
            Self::Gate => "GATE",
            Self::ConfidenceCap => "C-CAP",
        }
    }
}

/// The components, micro-points (0–100,000,000).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Components {
    /// `S_sa_eff`: self-assessment after staleness (neutral when there is none).
    pub self_assessment: i64,
    /// `S_ops`, when operational data exists.
    pub operations: Option<i64>,
    /// `B0`.
    pub base: i64,
    /// `D`, after its cap (positive: it is subtracted).
    pub deductions: i64,
    /// `Bn`, after its cap.
    pub bonuses: i64,
    /// `CS = clamp(B0 − D + Bn)`.
    pub composite: i64,
}

/// A "what would change my tier" hint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hint {
    pub action: Action,
    pub source: Source,
    pub reference: String,
    /// Change of the composite, basis points.
    pub delta_bp: i64,
    /// The composite and tier once done.
    pub composite_bp: u32,
    pub tier: Tier,
}

/// What a trader or officer can do about the score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    /// Have the remediation of a finding verified ("H-REMEDIATE").
    VerifyFindingRemediation,
    /// Have the corrective actions of an accepted voluntary disclosure verified ("H-VD-REMEDIATE").
    VerifyDisclosureRemediation,
    /// Pay every debt overdue beyond the G1 threshold ("H-PAY-DEBT").
    PayOverdueDebts,
    /// Have a new self-assessment reviewed (assuming the same score, fresh) ("H-REFRESH-SA").
    RefreshSelfAssessment,
    /// Have every self-assessment answer verified ("H-VERIFY-ANSWERS").
    VerifyAnswers,
}

impl Action {
    /// The hint id.
    pub const fn code(self) -> &'static str {
        match self {
            Self::VerifyFindingRemediation => "H-REMEDIATE",
            Self::VerifyDisclosureRemediation => "H-VD-REMEDIATE",
            Self::PayOverdueDebts => "H-PAY-DEBT",
            Self::RefreshSelfAssessment => "H-REFRESH-SA",
            Self::VerifyAnswers => "H-VERIFY-ANSWERS",
        }
    }
}

/// The explained score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Score {
    /// The parameter set's version.
    pub version: String,
    pub as_of: i64,
    pub components: Components,
    /// How the base was made (SA-*, OPS*, B0).
    pub base_items: Vec<Item>,
    /// Deductions, bonuses and caps, in that order.
    pub items: Vec<Item>,
    pub gates: Vec<GateHit>,
    /// 0–1,000,000.
    pub confidence_ppm: i64,
    /// The composite, basis points 0–10000.
    pub composite_bp: u32,
    /// The tier by the composite's band alone.
    pub band: Tier,
    pub tier: Tier,
    pub tier_rule: TierRule,
    /// Basis points the composite lacks for the next better band (none when gated or at A).
    pub to_next_band_bp: Option<u32>,
    /// AEO revoked within the window: not eligible to apply again (not a tier gate).
    pub aeo_revoked_on: Option<i64>,
    /// Best first.
    pub hints: Vec<Hint>,
}

/// Scores `inputs` under `params` without the hints (each hint re-scores the inputs once more):
/// what a bulk rescore stores. Identical to [`score`] but for `hints`, which is empty.
pub fn evaluate(inputs: &Inputs, params: &Params) -> Score {
    compute(inputs, params)
}

/// Scores `inputs` under `params`, with hints.
pub fn score(inputs: &Inputs, params: &Params) -> Score {
    let mut result = compute(inputs, params);
    result.hints = hints(inputs, params, &result);
    result
}

/// KZT minor units with both decimals ("1900000.00").
fn money(minor: i64) -> String {
    format!("{}.{:02}", minor / 100, (minor % 100).abs())
}

/// Latest reviewed self-assessment per template, in template order.
fn latest_per_template(inputs: &Inputs) -> Vec<&SelfAssessment> {
    let mut latest: BTreeMap<&str, &SelfAssessment> = BTreeMap::new();
    for sa in inputs.self_assessments.iter().filter(|s| s.reviewed_on <= inputs.as_of) {
        let newer =
            latest.get(sa.template.as_str()).is_none_or(|cur| (sa.reviewed_on, sa.id) > (cur.reviewed_on, cur.id));
        if newer {
            latest.insert(&sa.template, sa);
        }
    }
    latest.into_values().collect()
}

fn compute(inputs: &Inputs, params: &Params) -> Score {
    let mut base_items = Vec::new();
    let latest = latest_per_template(inputs);
    let self_assessment = self_assessment(inputs, params, &latest, &mut base_items);
    let operations = inputs.operations.and_then(|ops| operations(ops, params, &mut base_items));
    let base = match operations {
        Some(ops) => {
            let (ws, wo) = (params.base.self_assessment_ppm, params.base.operations_ppm);
            let value = clamp_points(div_half_up(
                i128::from(ws) * i128::from(self_assessment) + i128::from(wo) * i128::from(ops),
                i128::from(PPM),
            ));
            base_items.push(Item {
                rule: Rule::Base,
                source: Source::Model,
                reference: "B0".into(),
                date: None,
                micro: value,
                formula: format!(
                    "{} × {} + {} × {} = {}",
                    factor(ws),
                    points(self_assessment),
                    factor(wo),
                    points(ops),
                    points(value)
                ),
            });
            value
        }
        None => {
            base_items.push(Item {
                rule: Rule::OpsNone,
                source: Source::Operations,
                reference: "B0".into(),
                date: None,
                micro: self_assessment,
                formula: format!("no operational data: B0 = S_sa_eff = {}", points(self_assessment)),
            });
            self_assessment
        }
    };

    let mut items = Vec::new();
    let mut gates = Vec::new();
    let deductions = deductions(inputs, params, &mut items, &mut gates);
    let bonuses = bonuses(inputs, params, &mut items);
    let composite = (base - deductions + bonuses).clamp(0, 100 * MICRO);
    let composite_bp = u32::try_from(div_half_up(i128::from(composite), BP_MICRO)).unwrap_or(0);
    other_gates(inputs, params, &mut gates);
    let confidence_ppm = confidence(inputs, params, &latest);

    let band = Tier::of_band(composite_bp, &params.tiers);
    let (tier, tier_rule) = if !gates.is_empty() {
        (Tier::E, TierRule::Gate)
    } else if band == Tier::A && confidence_ppm < params.confidence.tier_a_min_ppm {
        (Tier::B, TierRule::ConfidenceCap)
    } else {
        (band, TierRule::Band)
    };
    let to_next_band_bp = if gates.is_empty() {
        band.better().and_then(|t| t.band_min(&params.tiers)).map(|min| min.saturating_sub(composite_bp))
    } else {
        None
    };
    let aeo_revoked_on = match inputs.aeo {
        Some(Aeo::Revoked { on }) if months_between(on, inputs.as_of) <= params.gates.aeo_revoked_months => Some(on),
        _ => None,
    };
    Score {
        version: params.version.clone(),
        as_of: inputs.as_of,
        components: Components { self_assessment, operations, base, deductions, bonuses, composite },
        base_items,
        items,
        gates,
        confidence_ppm,
        composite_bp,
        band,
        tier,
        tier_rule,
        to_next_band_bp,
        aeo_revoked_on,
        hints: Vec::new(),
    }
}

/// Micro-points per basis point of the composite.
const BP_MICRO: i128 = 10_000;

fn clamp_points(value: i128) -> i64 {
    i64::try_from(value.clamp(0, i128::from(100 * MICRO))).unwrap_or(0)
}

/// `S_sa_eff`: per template `neutral + (S_sa − neutral)·f`, f = 1 up to `fresh`, falling linearly
/// to 0 at `neutral_months`; several templates are averaged. One rounding, at the end.
fn self_assessment(inputs: &Inputs, params: &Params, latest: &[&SelfAssessment], items: &mut Vec<Item>) -> i64 {
    let st = params.staleness;
    let neutral = i128::from(st.neutral_micro);
    if latest.is_empty() {
        items.push(Item {
            rule: Rule::SaNone,
            source: Source::Model,
            reference: String::new(),
            date: None,
            micro: st.neutral_micro,
            formula: format!("no reviewed self-assessment: neutral {}", points(st.neutral_micro)),
        });
        return st.neutral_micro;
    }
    let span = i128::from(st.neutral_months - st.fresh_months);
    let mut sum: i128 = 0;
    for sa in latest {
        let age = months_between(sa.reviewed_on, inputs.as_of);
        let f_num = i128::from(st.neutral_months.saturating_sub(age.max(st.fresh_months))).min(span);
        let raw = i128::from(sa.score_bp.min(10_000)) * BP_MICRO;
        let num = neutral * span + (raw - neutral) * f_num;
        sum += num;
        let value = i64::try_from(div_half_up(num, span)).unwrap_or(0);
        let f_text = if f_num == span {
            "1".to_owned()
        } else if f_num == 0 {
            "0".to_owned()
        } else {
            format!("({} − {age})/{span}", st.neutral_months)
        };
        items.push(Item {
            rule: Rule::SaBase,
            source: Source::Assessment(sa.id),
            reference: sa.template.clone(),
            date: Some(sa.reviewed_on),
            micro: value,
            formula: format!(
                "{n} + ({s} − {n}) × {f_text} = {v} (reviewed {age} months ago)",
                n = points(st.neutral_micro),
                s = points(i64::try_from(raw).unwrap_or(0)),
                v = points(value)
            ),
        });
    }
    let count = i128::try_from(latest.len()).unwrap_or(1);
    let mean = i64::try_from(div_half_up(sum, span * count)).unwrap_or(0);
    if latest.len() > 1 {
        items.push(Item {
            rule: Rule::SaMean,
            source: Source::Model,
            reference: "S_sa_eff".into(),
            date: None,
            micro: mean,
            formula: format!("mean of {count} templates = {}", points(mean)),
        });
    }
    mean
}

/// `S_ops = 100·(w_acc·accuracy + w_pay·timely + w_am·(1 − min(1, amend_rate / sector median)))`;
/// `None` without declarations.
fn operations(ops: Operations, params: &Params, items: &mut Vec<Item>) -> Option<i64> {
    if ops.declarations == 0 {
        return None;
    }
    let d = u128::from(ops.declarations);
    let corrected = u128::from(ops.corrected_by_customs).min(d);
    let (paid, due) = if ops.payments_due == 0 {
        (1, 1)
    } else {
        (u128::from(ops.payments_on_time.min(ops.payments_due)), u128::from(ops.payments_due))
    };
    let amendments = u128::from(ops.amendments);
    let median = u128::try_from(ops.sector_median_amendment_ppm.max(0)).unwrap_or(0);
    // amend_norm = an / ad ∈ [0, 1].
    let (an, ad) = if median == 0 {
        (u128::from(amendments > 0), 1)
    } else if amendments * PPM as u128 >= d * median {
        (1, 1)
    } else {
        (amendments * PPM as u128, d * median)
    };
    let w = |ppm: i64| u128::try_from(ppm).unwrap_or(0);
    let (wa, wp, wm) = (w(params.ops.accuracy_ppm), w(params.ops.timely_payment_ppm), w(params.ops.amendments_ppm));
    // Common denominator d·due·ad; 100 points × ppm weights / 10⁶ = 100 micro-points per ppm.
    let term = |f: &[u128]| U256::product(f).unwrap_or(U256::ZERO);
    let num = term(&[100, wa, d - corrected, due, ad]).plus(term(&[100, wp, paid, d, ad])).plus(term(&[
        100,
        wm,
        ad - an,
        d,
        due,
    ]));
    let den = term(&[d, due, ad]);
    let value = i64::try_from(num.div_half_up(den)).unwrap_or(0).clamp(0, 100 * MICRO);
    let ratio = |n: u128, dd: u128| {
        decimal(
            i128::try_from(U256::product(&[n, PPM as u128]).unwrap_or(U256::ZERO).div_half_up(U256::from_u128(dd)))
                .unwrap_or(0),
            6,
        )
    };
    items.push(Item {
        rule: Rule::Ops,
        source: Source::Operations,
        reference: "S_ops".into(),
        date: None,
        micro: value,
        formula: format!(
            "100 × ({} × (1 − {}/{}) + {} × {}/{} + {} × (1 − {})) = {}",
            factor(params.ops.accuracy_ppm),
            corrected,
            d,
            factor(params.ops.timely_payment_ppm),
            paid,
            due,
            factor(params.ops.amendments_ppm),
            ratio(an, ad),
            points(value)
        ),
    });
    Some(value)
}

/// Finding deductions, capped; intentional findings hit gate G2 instead.
fn deductions(inputs: &Inputs, params: &Params, items: &mut Vec<Item>, gates: &mut Vec<GateHit>) -> i64 {
    let f = &params.findings;
    let mut total: i64 = 0;
    for finding in &inputs.findings {
        let age = months_between(finding.date, inputs.as_of);
        let item = |rule, micro, formula| Item {
            rule,
            source: Source::Finding(finding.id),
            reference: finding.reference.clone(),
            date: Some(finding.date),
            micro,
            formula,
        };
        if finding.culpability == Culpability::Intentional {
            if age <= params.gates.intentional_months {
                gates.push(GateHit {
                    gate: Gate::Intentional,
                    source: Source::Finding(finding.id),
                    reference: finding.reference.clone(),
                    evidence: format!("intentional finding {} months old ≤ {}", age, params.gates.intentional_months),
                });
                items.push(item(Rule::FindingIntentional, 0, "intentional: no points, gate G2".into()));
            }
            continue;
        }
        if age > f.cutoff_months {
            items.push(item(Rule::FindingExpired, 0, format!("{age} months old > {}: 0", f.cutoff_months)));
            continue;
        }
        let (micro, formula) = finding_points(finding, inputs.annual_duties_minor, age, params);
        total += micro;
        items.push(item(Rule::FindingDeduction, -micro, formula));
    }
    if total > f.cap_micro {
        items.push(Item {
            rule: Rule::DeductionCap,
            source: Source::Model,
            reference: "D".into(),
            date: None,
            micro: total - f.cap_micro,
            formula: format!("min({}, {}) = {}", points(f.cap_micro), points(total), points(f.cap_micro)),
        });
        total = f.cap_micro;
    }
    total
}

/// `p = sev × cul × mat × disc × rem × 0.5^(age/H)`, exactly, rounded once to micro-points.
fn finding_points(finding: &Finding, annual_duties_minor: i64, age: u32, params: &Params) -> (i64, String) {
    let f = &params.findings;
    let u = |v: i64| u128::try_from(v.max(0)).unwrap_or(0);
    let sev = f.severity_micro[finding.severity as usize];
    let cul = match finding.culpability {
        Culpability::Clerical => f.culpability_ppm[0],
        Culpability::Negligence => f.culpability_ppm[1],
        Culpability::GrossNegligence | Culpability::Intentional => f.culpability_ppm[2],
    };
    let disc = f.discovery_ppm[finding.discovery as usize];
    let rem = if finding.remediation_verified { f.remediation_verified_ppm } else { PPM };
    // mat = 1 + min(cap, shortfall × multiplier / max(duties, 1)) as mat_num / mat_den.
    let duties = u(annual_duties_minor).max(1);
    let excess = u(finding.shortfall_minor) * u(f.materiality_multiplier_ppm);
    let (mat_num, mat_den) = if excess >= u(f.materiality_cap_ppm) * duties {
        (u(PPM + f.materiality_cap_ppm), PPM as u128)
    } else {
        (PPM as u128 * duties + excess, PPM as u128 * duties)
    };
    let table = if params.decay_ppb.len() == f.half_life_months.max(1) as usize {
        std::borrow::Cow::Borrowed(&params.decay_ppb)
    } else {
        std::borrow::Cow::Owned(arith::decay_table(f.half_life_months))
    };
    let h = f.half_life_months.max(1);
    let halvings = 1u128 << (age / h).min(100);
    let decay_ppb = table[(age % h) as usize];
    let num = U256::product(&[u(sev), u(cul), mat_num, u(disc), u(rem), decay_ppb]);
    let den = U256::product(&[PPM as u128, mat_den, PPM as u128, PPM as u128, PPB, halvings]);
    let micro = match (num, den) {
        (Some(n), Some(d)) => i64::try_from(n.div_half_up(d)).unwrap_or(i64::MAX),
        _ => 0,
    };
    let mat_ppm =
        i64::try_from(U256::from_u128(mat_num * PPM as u128).div_half_up(U256::from_u128(mat_den))).unwrap_or(0);
    let mat_text = if finding.shortfall_minor > 0 {
        format!(
            "{} (1 + min({}, {} × {} / {}))",
            factor(mat_ppm),
            factor(f.materiality_cap_ppm),
            factor(f.materiality_multiplier_ppm),
            money(finding.shortfall_minor),
            money(annual_duties_minor.max(0))
        )
    } else {
        factor(mat_ppm)
    };
    let formula = format!(
        "{} × {} × {} × {} × {} × 0.5^({age}/{h}) = {}",
        points(sev),
        factor(cul),
        mat_text,
        factor(disc),
        factor(rem),
        points(micro)
    );
    (micro, formula)
}

/// Bonuses with their caps.
fn bonuses(inputs: &Inputs, params: &Params, items: &mut Vec<Item>) -> i64 {
    let b = &params.bonuses;
    let as_of = inputs.as_of;
    let mut vd: i64 = 0;
    for d in inputs.disclosures.iter().filter(|d| {
        d.voluntary
            && d.remediation_verified
            && d.accepted_on <= as_of
            && months_between(d.accepted_on, as_of) <= b.disclosure_window_months
    }) {
        vd += b.disclosure_each_micro;
        items.push(Item {
            rule: Rule::DisclosureBonus,
            source: Source::Disclosure(d.id),
            reference: d.reference.clone(),
            date: Some(d.accepted_on),
            micro: b.disclosure_each_micro,
            formula: format!(
                "+{} (accepted voluntary, remediation verified, {} months ago)",
                points(b.disclosure_each_micro),
                months_between(d.accepted_on, as_of)
            ),
        });
    }
    if vd > b.disclosure_max_micro {
        items.push(cap_item(Rule::DisclosureCap, b.disclosure_max_micro, vd));
        vd = b.disclosure_max_micro;
    }
    let mut aeo = 0;
    if inputs.aeo == Some(Aeo::Valid) {
        aeo = b.aeo_micro;
        items.push(Item {
            rule: Rule::AeoBonus,
            source: Source::Aeo,
            reference: "AEO".into(),
            date: None,
            micro: aeo,
            formula: format!("+{} (valid AEO)", points(aeo)),
        });
    }
    let held: BTreeSet<&str> = inputs.certifications.iter().map(|c| c.trim()).collect();
    let mut certs: i64 = 0;
    for name in b.certifications.iter().filter(|c| held.contains(c.as_str())) {
        certs += b.certification_each_micro;
        items.push(Item {
            rule: Rule::CertificationBonus,
            source: Source::Certification(name.clone()),
            reference: name.clone(),
            date: None,
            micro: b.certification_each_micro,
            formula: format!("+{} ({name})", points(b.certification_each_micro)),
        });
    }
    if certs > b.certification_max_micro {
        items.push(cap_item(Rule::CertificationCap, b.certification_max_micro, certs));
        certs = b.certification_max_micro;
    }
    let mut total = vd + aeo + certs;
    if total > b.cap_micro {
        items.push(cap_item(Rule::BonusCap, b.cap_micro, total));
        total = b.cap_micro;
    }
    total
}

fn cap_item(rule: Rule, cap: i64, total: i64) -> Item {
    Item {
        rule,
        source: Source::Model,
        reference: String::new(),
        date: None,
        micro: cap - total,
        formula: format!("min({}, {}) = {}", points(cap), points(total), points(cap)),
    }
}

/// G1, the conviction half of G2, G3 and G4 (intentional findings are checked with deductions).
fn other_gates(inputs: &Inputs, params: &Params, gates: &mut Vec<GateHit>) {
    let g = params.gates;
    for debt in inputs.debts.iter().filter(|d| d.overdue_days > g.debt_overdue_days) {
        gates.push(GateHit {
            gate: Gate::OverdueDebt,
            source: Source::Debt(debt.id),
            reference: debt.reference.clone(),
            evidence: format!("overdue {} days > {}", debt.overdue_days, g.debt_overdue_days),
        });
    }
    for c in inputs
        .convictions
        .iter()
        .filter(|c| c.date <= inputs.as_of && months_between(c.date, inputs.as_of) <= g.intentional_months)
    {
        gates.push(GateHit {
            gate: Gate::Intentional,
            source: Source::Conviction(c.reference.clone()),
            reference: c.reference.clone(),
            evidence: format!(
                "conviction {} months old ≤ {}",
                months_between(c.date, inputs.as_of),
                g.intentional_months
            ),
        });
    }
    for k in &inputs.knock_outs {
        gates.push(GateHit {
            gate: Gate::KnockOut,
            source: Source::KnockOut { assessment: k.assessment, question: k.question.clone() },
            reference: k.question.clone(),
            evidence: format!("knock-out answer {} verified \"no\"", k.question),
        });
    }
    for case in &inputs.refusals {
        gates.push(GateHit {
            gate: Gate::Refusal,
            source: Source::ControlCase(*case),
            reference: case.to_string(),
            evidence: "refused to cooperate with an open control".into(),
        });
    }
    gates.sort_by_key(|g| g.gate);
}

/// `C = w_v·verified/answered + w_h·min(1, months/full) + w_o·[S_ops]`, ppm, rounded once.
fn confidence(inputs: &Inputs, params: &Params, latest: &[&SelfAssessment]) -> i64 {
    let c = params.confidence;
    let answered: i128 = latest.iter().map(|s| i128::from(s.answered)).sum();
    let verified: i128 = latest.iter().map(|s| i128::from(s.verified.min(s.answered))).sum();
    let full = i128::from(c.history_full_months.max(1));
    let months = inputs.first_declaration.map_or(0, |first| i128::from(months_between(first, inputs.as_of))).min(full);
    let ops = inputs.operations.is_some_and(|o| o.declarations > 0);
    let a = answered.max(1);
    let num = i128::from(c.verified_ppm) * verified * full
        + i128::from(c.history_ppm) * months * a
        + if ops { i128::from(c.operations_ppm) * a * full } else { 0 };
    i64::try_from(div_half_up(num, a * full)).unwrap_or(0)
}

/// The hints: each action applied to a copy of the inputs and scored again. Those that raise the
/// composite or the tier, best first (a better tier first, then the larger gain).
fn hints(inputs: &Inputs, params: &Params, current: &Score) -> Vec<Hint> {
    let mut out = Vec::new();
    let mut try_action = |action: Action, source: Source, reference: String, change: &dyn Fn(&mut Inputs)| {
        let mut changed = inputs.clone();
        change(&mut changed);
        let after = compute(&changed, params);
        let delta_bp = i64::from(after.composite_bp) - i64::from(current.composite_bp);
        if delta_bp > 0 || after.tier < current.tier {
            out.push(Hint { action, source, reference, delta_bp, composite_bp: after.composite_bp, tier: after.tier });
        }
    };
    for (i, f) in inputs.findings.iter().enumerate() {
        if !f.remediation_verified && f.culpability != Culpability::Intentional {
            try_action(Action::VerifyFindingRemediation, Source::Finding(f.id), f.reference.clone(), &|c| {
                c.findings[i].remediation_verified = true;
            });
        }
    }
    for (i, d) in inputs.disclosures.iter().enumerate() {
        if d.voluntary && !d.remediation_verified {
            try_action(Action::VerifyDisclosureRemediation, Source::Disclosure(d.id), d.reference.clone(), &|c| {
                c.disclosures[i].remediation_verified = true;
            });
        }
    }
    let limit = params.gates.debt_overdue_days;
    if let Some(first) = inputs.debts.iter().find(|d| d.overdue_days > limit) {
        let refs: Vec<&str> =
            inputs.debts.iter().filter(|d| d.overdue_days > limit).map(|d| d.reference.as_str()).collect();
        try_action(Action::PayOverdueDebts, Source::Debt(first.id), refs.join(", "), &|c| {
            c.debts.retain(|d| d.overdue_days <= limit);
        });
    }
    let as_of = inputs.as_of;
    for sa in latest_per_template(inputs) {
        if months_between(sa.reviewed_on, as_of) > params.staleness.fresh_months {
            let id = sa.id;
            try_action(Action::RefreshSelfAssessment, Source::Assessment(id), sa.template.clone(), &|c| {
                for s in c.self_assessments.iter_mut().filter(|s| s.id == id) {
                    s.reviewed_on = as_of;
                }
            });
        }
    }
    if current.tier_rule == TierRule::ConfidenceCap {
        try_action(Action::VerifyAnswers, Source::Model, String::new(), &|c| {
            for s in &mut c.self_assessments {
                s.verified = s.answered;
            }
        });
    }
    out.sort_by(|a, b| a.tier.cmp(&b.tier).then(b.delta_bp.cmp(&a.delta_bp)));
    out
}

/// Formats a basis-point composite for people ("90.92").
pub fn composite_text(bp: u32) -> String {
    decimal(i128::from(bp), 2)
}
