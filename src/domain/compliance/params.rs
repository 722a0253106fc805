//! The parameter set of the compliance score: every number of the model (domain reference §7.5),
//! versioned. Factors and weights are parts per million, points are micro-points, tier bands are
//! basis points of the 0–100 composite, windows are whole months or days. Read from a TOML file by
//! `file::parse` (server only; docs/scoring-model.md documents the format); [`Params::v1`] holds
//! the same numbers as the shipped `config/score-v1.toml` for tests and the demo.

use super::arith::{PPM, decay_table};
use serde::{Deserialize, Serialize};

/// The whole parameter set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Params {
    /// Recorded on every score computed with this set ("score-v1").
    pub version: String,
    /// Weights of the base `B0 = w_sa·S_sa_eff + w_ops·S_ops` (ppm, summing to 1).
    pub base: BaseWeights,
    /// Weights inside `S_ops` (ppm, summing to 1).
    pub ops: OpsWeights,
    /// Staleness of the self-assessment.
    pub staleness: Staleness,
    /// Finding deductions.
    pub findings: FindingParams,
    /// Bonuses.
    pub bonuses: BonusParams,
    /// Gate thresholds.
    pub gates: GateParams,
    /// Confidence weights and the tier-A rule.
    pub confidence: ConfidenceParams,
    /// Tier bands.
    pub tiers: TierBands,
    /// 2^(−r/H) for r = 0…H−1 (ppb), derived from `findings.half_life_months` by [`Params::finish`].
    #[serde(skip)]
    pub decay_ppb: Vec<u128>,
}

/// Weights of the base score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BaseWeights {
    /// Self-assessment weight (0.6).
    pub self_assessment_ppm: i64,
    /// Operational weight (0.4).
    pub operations_ppm: i64,
}

/// Weights inside the operational score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpsWeights {
    /// Accuracy: 1 − corrected by customs / declarations (0.5).
    pub accuracy_ppm: i64,
    /// Timely payment share (0.3).
    pub timely_payment_ppm: i64,
    /// 1 − amendment rate relative to the sector median, capped at 1 (0.2).
    pub amendments_ppm: i64,
}

/// How an old self-assessment drifts to neutral.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Staleness {
    /// Full weight up to this age (12 months).
    pub fresh_months: u32,
    /// Neutral from this age on (24 months); linear in between.
    pub neutral_months: u32,
    /// The neutral score, micro-points (50).
    pub neutral_micro: i64,
}

/// Finding deductions `p = sev × cul × mat × disc × rem × decay`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingParams {
    /// Severity points, micro-points: minor 2, moderate 6, major 15, critical 30.
    pub severity_micro: [i64; 4],
    /// Culpability factors, ppm: clerical 0.5, negligence 1, gross negligence 2 (intentional is gate G2).
    pub culpability_ppm: [i64; 3],
    /// Materiality multiplier on shortfall / annual duties, ppm (10).
    pub materiality_multiplier_ppm: i64,
    /// The most materiality adds to 1, ppm (1, so mat ∈ [1, 2]).
    pub materiality_cap_ppm: i64,
    /// Discovery factors, ppm: voluntary 0.25, prompted 0.6, customs-detected 1.
    pub discovery_ppm: [i64; 3],
    /// Factor once remediation is officer-verified, ppm (0.5).
    pub remediation_verified_ppm: i64,
    /// Decay half-life, months (12).
    pub half_life_months: u32,
    /// Findings older than this many months count nothing (36).
    pub cutoff_months: u32,
    /// Cap on the sum of deductions, micro-points (60).
    pub cap_micro: i64,
}

/// Bonuses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BonusParams {
    /// Per accepted voluntary disclosure with verified remediation, micro-points (2).
    pub disclosure_each_micro: i64,
    /// Most from disclosures, micro-points (6).
    pub disclosure_max_micro: i64,
    /// Disclosures accepted within this many months count (24).
    pub disclosure_window_months: u32,
    /// Valid AEO authorisation, micro-points (4).
    pub aeo_micro: i64,
    /// Per recognised certification, micro-points (1).
    pub certification_each_micro: i64,
    /// Most from certifications, micro-points (2).
    pub certification_max_micro: i64,
    /// Certifications that count (exact names, e.g. "ISO 9001").
    pub certifications: Vec<String>,
    /// Cap on all bonuses together, micro-points (10).
    pub cap_micro: i64,
}

/// Gate thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GateParams {
    /// G1: a customs debt overdue more than this many days (90).
    pub debt_overdue_days: u32,
    /// G2: intentional findings and convictions within this many months (36).
    pub intentional_months: u32,
    /// AEO eligibility (not tier): revoked within this many months (36).
    pub aeo_revoked_months: u32,
}

/// Confidence `C = w_v·verified/answered + w_h·min(1, history/full) + w_o·[S_ops available]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfidenceParams {
    /// Verified-answer share weight, ppm (0.5).
    pub verified_ppm: i64,
    /// Declaration-history weight, ppm (0.3).
    pub history_ppm: i64,
    /// History counts fully from this many months (24).
    pub history_full_months: u32,
    /// Operational-data weight, ppm (0.2).
    pub operations_ppm: i64,
    /// Tier A needs at least this confidence, ppm (0.6); below it the tier is capped at B.
    pub tier_a_min_ppm: i64,
}

/// Lower bounds of the tier bands on the composite, basis points (85.00 = 8500).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TierBands {
    /// A from 85.
    pub a_min_bp: u32,
    /// B from 70.
    pub b_min_bp: u32,
    /// C from 55.
    pub c_min_bp: u32,
    /// D from 40; E below.
    pub d_min_bp: u32,
}

impl Params {
    /// The v1 model of the domain reference §7.5, as shipped in `config/score-v1.toml`.
    pub fn v1() -> Self {
        let m = |points: i64| points * super::arith::MICRO;
        Self {
            version: "score-v1".into(),
            base: BaseWeights { self_assessment_ppm: 600_000, operations_ppm: 400_000 },
            ops: OpsWeights { accuracy_ppm: 500_000, timely_payment_ppm: 300_000, amendments_ppm: 200_000 },
            staleness: Staleness { fresh_months: 12, neutral_months: 24, neutral_micro: m(50) },
            findings: FindingParams {
                severity_micro: [m(2), m(6), m(15), m(30)],
                culpability_ppm: [500_000, PPM, 2 * PPM],
                materiality_multiplier_ppm: 10 * PPM,
                materiality_cap_ppm: PPM,
                discovery_ppm: [250_000, 600_000, PPM],
                remediation_verified_ppm: 500_000,
                half_life_months: 12,
                cutoff_months: 36,
                cap_micro: m(60),
            },
            bonuses: BonusParams {
                disclosure_each_micro: m(2),
                disclosure_max_micro: m(6),
                disclosure_window_months: 24,
                aeo_micro: m(4),
                certification_each_micro: m(1),
                certification_max_micro: m(2),
                certifications: vec!["ISO 9001".into(), "ISO 28000".into(), "ISO 27001".into()],
                cap_micro: m(10),
            },
            gates: GateParams { debt_overdue_days: 90, intentional_months: 36, aeo_revoked_months: 36 },
            confidence: ConfidenceParams {
                verified_ppm: 500_000,
                history_ppm: 300_000,
                history_full_months: 24,
                operations_ppm: 200_000,
                tier_a_min_ppm: 600_000,
            },
            tiers: TierBands { a_min_bp: 8500, b_min_bp: 7000, c_min_bp: 5500, d_min_bp: 4000 },
            decay_ppb: Vec::new(),
        }
        .finish()
    }

    /// Fills the derived decay table; call after building or changing a set.
    #[must_use]
    pub fn finish(mut self) -> Self {
        self.decay_ppb = decay_table(self.findings.half_life_months);
        self
    }

    /// The problems that make a set unusable, each with the field it concerns (the file loader adds
    /// line numbers). Empty when the set is sound.
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let mut out: Vec<(&'static str, String)> = Vec::new();
        let mut need = |ok: bool, field: &'static str, message: &str| {
            if !ok {
                out.push((field, message.to_owned()));
            }
        };
        need(!self.version.trim().is_empty(), "version", "version must not be empty");
        need(self.base.self_assessment_ppm + self.base.operations_ppm == PPM, "base", "base weights must add up to 1");
        need(
            self.ops.accuracy_ppm + self.ops.timely_payment_ppm + self.ops.amendments_ppm == PPM,
            "operations",
            "operations weights must add up to 1",
        );
        let s = self.staleness;
        need(s.fresh_months < s.neutral_months, "staleness", "fresh_months must be less than neutral_months");
        let f = &self.findings;
        need(
            f.severity_micro.windows(2).all(|w| w[0] <= w[1]),
            "findings.severity",
            "severities must not decrease from minor to critical",
        );
        need((3..=120).contains(&f.half_life_months), "findings.half_life_months", "half_life_months must be 3 to 120");
        need(f.cutoff_months <= 120, "findings.cutoff_months", "cutoff_months must be at most 120");
        let c = self.confidence;
        need(
            c.verified_ppm + c.history_ppm + c.operations_ppm == PPM,
            "confidence",
            "confidence weights must add up to 1",
        );
        need(c.history_full_months > 0, "confidence.history_full_months", "history_full_months must be at least 1");
        let t = self.tiers;
        need(
            t.a_min_bp > t.b_min_bp && t.b_min_bp > t.c_min_bp && t.c_min_bp > t.d_min_bp && t.a_min_bp <= 10_000,
            "tiers",
            "tier bands must fall strictly from A to D within 0–100",
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v1_is_sound_and_derives_its_decay_table() {
        let p = Params::v1();
        assert!(p.problems().is_empty(), "{:?}", p.problems());
        assert_eq!(p.decay_ppb.len(), 12);
        assert_eq!(p.decay_ppb[6], 707_106_781);
    }

    #[test]
    fn unsound_sets_name_their_field() {
        let mut p = Params::v1();
        p.base.operations_ppm = 300_000;
        p.tiers.b_min_bp = 9000;
        p.findings.half_life_months = 1;
        let fields: Vec<&str> = p.problems().into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, vec!["base", "findings.half_life_months", "tiers"]);
    }
}
