//! The parameter-set file (`config/score-v1.toml` ships as v1; docs/scoring-model.md documents
//! every field): TOML with decimals written as strings (no floating point on the way in), read
//! into a [`Params`] and checked as a whole, every problem reported with its 1-based line so an
//! administrator can fix a set before it is imported, previewed and published. Server only (the
//! `toml` crate is not in the browser build).

use super::arith::PPM;
use super::params::{
    BaseWeights, BonusParams, ConfidenceParams, FindingParams, GateParams, OpsWeights, Params, Staleness, TierBands,
};
use crate::domain::disclosure::parse_scaled;
use serde::Deserialize;
use toml::Spanned;

/// The parameter set shipped with Senim (model v1 of the domain reference §7.5).
pub const V1: &str = include_str!("../../../config/score-v1.toml");

/// One problem in a parameter file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamsError {
    /// 1-based line.
    pub line: usize,
    /// What is wrong, in English (read by the administrator who wrote the file).
    pub message: String,
}

impl std::fmt::Display for ParamsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

type Num = Spanned<String>;
type Int = Spanned<u32>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: Spanned<String>,
    base: BaseFile,
    operations: OpsFile,
    staleness: StalenessFile,
    findings: FindingsFile,
    bonuses: BonusesFile,
    gates: GatesFile,
    confidence: ConfidenceFile,
    tiers: TiersFile,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BaseFile {
    self_assessment: Num,
    operations: Num,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OpsFile {
    accuracy: Num,
    timely_payment: Num,
    amendments: Num,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StalenessFile {
    fresh_months: Int,
    neutral_months: Int,
    neutral: Num,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FindingsFile {
    half_life_months: Int,
    cutoff_months: Int,
    cap: Num,
    remediation_verified: Num,
    materiality_multiplier: Num,
    materiality_cap: Num,
    severity: SeverityFile,
    culpability: CulpabilityFile,
    discovery: DiscoveryFile,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeverityFile {
    minor: Num,
    moderate: Num,
    major: Num,
    critical: Num,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CulpabilityFile {
    clerical: Num,
    negligence: Num,
    gross_negligence: Num,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DiscoveryFile {
    voluntary: Num,
    prompted: Num,
    customs_detected: Num,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BonusesFile {
    disclosure_each: Num,
    disclosure_max: Num,
    disclosure_window_months: Int,
    aeo: Num,
    certification_each: Num,
    certification_max: Num,
    certifications: Vec<Spanned<String>>,
    cap: Num,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GatesFile {
    debt_overdue_days: Int,
    intentional_months: Int,
    aeo_revoked_months: Int,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfidenceFile {
    verified_answers: Num,
    history: Num,
    history_full_months: Int,
    operations: Num,
    tier_a_min: Num,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TiersFile {
    a: Num,
    b: Num,
    c: Num,
    d: Num,
}

/// Reads and checks a parameter file; all problems at once, in line order.
pub fn parse(source: &str) -> Result<Params, Vec<ParamsError>> {
    let line_of = |offset: usize| source[..offset.min(source.len())].matches('\n').count() + 1;
    let file: File = toml::from_str(source).map_err(|e| {
        vec![ParamsError { line: e.span().map_or(1, |s| line_of(s.start)), message: e.message().to_owned() }]
    })?;
    let mut errors = Vec::new();
    // A decimal with at most 6 places, from 0 to `max`, scaled by 10⁶ (ppm or micro-points).
    let mut num = |value: &Num, name: &str, max: i64| -> i64 {
        match parse_scaled(value.get_ref(), 6).ok().filter(|v| *v <= max * PPM) {
            Some(v) => v,
            None => {
                errors.push(ParamsError {
                    line: line_of(value.span().start),
                    message: format!(
                        "{name} {:?} is not a decimal from 0 to {max} with at most 6 places",
                        value.get_ref()
                    ),
                });
                0
            }
        }
    };
    let f = &file.findings;
    let b = &file.bonuses;
    let c = &file.confidence;
    let mut params = Params {
        version: file.version.get_ref().trim().to_owned(),
        base: BaseWeights {
            self_assessment_ppm: num(&file.base.self_assessment, "self_assessment", 1),
            operations_ppm: num(&file.base.operations, "operations", 1),
        },
        ops: OpsWeights {
            accuracy_ppm: num(&file.operations.accuracy, "accuracy", 1),
            timely_payment_ppm: num(&file.operations.timely_payment, "timely_payment", 1),
            amendments_ppm: num(&file.operations.amendments, "amendments", 1),
        },
        staleness: Staleness {
            fresh_months: *file.staleness.fresh_months.get_ref(),
            neutral_months: *file.staleness.neutral_months.get_ref(),
            neutral_micro: num(&file.staleness.neutral, "neutral", 100),
        },
        findings: FindingParams {
            severity_micro: [
                num(&f.severity.minor, "minor", 100),
                num(&f.severity.moderate, "moderate", 100),
                num(&f.severity.major, "major", 100),
                num(&f.severity.critical, "critical", 100),
            ],
            culpability_ppm: [
                num(&f.culpability.clerical, "clerical", 10),
                num(&f.culpability.negligence, "negligence", 10),
                num(&f.culpability.gross_negligence, "gross_negligence", 10),
            ],
            materiality_multiplier_ppm: num(&f.materiality_multiplier, "materiality_multiplier", 1000),
            materiality_cap_ppm: num(&f.materiality_cap, "materiality_cap", 10),
            discovery_ppm: [
                num(&f.discovery.voluntary, "voluntary", 10),
                num(&f.discovery.prompted, "prompted", 10),
                num(&f.discovery.customs_detected, "customs_detected", 10),
            ],
            remediation_verified_ppm: num(&f.remediation_verified, "remediation_verified", 1),
            half_life_months: *f.half_life_months.get_ref(),
            cutoff_months: *f.cutoff_months.get_ref(),
            cap_micro: num(&f.cap, "cap", 100),
        },
        bonuses: BonusParams {
            disclosure_each_micro: num(&b.disclosure_each, "disclosure_each", 100),
            disclosure_max_micro: num(&b.disclosure_max, "disclosure_max", 100),
            disclosure_window_months: *b.disclosure_window_months.get_ref(),
            aeo_micro: num(&b.aeo, "aeo", 100),
            certification_each_micro: num(&b.certification_each, "certification_each", 100),
            certification_max_micro: num(&b.certification_max, "certification_max", 100),
            certifications: b.certifications.iter().map(|c| c.get_ref().trim().to_owned()).collect(),
            cap_micro: num(&b.cap, "cap", 100),
        },
        gates: GateParams {
            debt_overdue_days: *file.gates.debt_overdue_days.get_ref(),
            intentional_months: *file.gates.intentional_months.get_ref(),
            aeo_revoked_months: *file.gates.aeo_revoked_months.get_ref(),
        },
        confidence: ConfidenceParams {
            verified_ppm: num(&c.verified_answers, "verified_answers", 1),
            history_ppm: num(&c.history, "history", 1),
            history_full_months: *c.history_full_months.get_ref(),
            operations_ppm: num(&c.operations, "operations", 1),
            tier_a_min_ppm: num(&c.tier_a_min, "tier_a_min", 1),
        },
        tiers: TierBands { a_min_bp: 0, b_min_bp: 0, c_min_bp: 0, d_min_bp: 0 },
        decay_ppb: Vec::new(),
    };
    // Tier bands: points with at most 2 decimals (the composite's precision), as basis points.
    let mut band = |value: &Num, name: &str| -> u32 {
        match parse_scaled(value.get_ref(), 2).ok().and_then(|v| u32::try_from(v).ok()).filter(|v| *v <= 10_000) {
            Some(v) => v,
            None => {
                errors.push(ParamsError {
                    line: line_of(value.span().start),
                    message: format!(
                        "tier {name} {:?} is not a score from 0 to 100 with at most 2 decimals",
                        value.get_ref()
                    ),
                });
                0
            }
        }
    };
    let t = &file.tiers;
    params.tiers = TierBands {
        a_min_bp: band(&t.a, "a"),
        b_min_bp: band(&t.b, "b"),
        c_min_bp: band(&t.c, "c"),
        d_min_bp: band(&t.d, "d"),
    };
    for cert in &b.certifications {
        if cert.get_ref().trim().is_empty() {
            errors.push(ParamsError {
                line: line_of(cert.span().start),
                message: "a certification name is empty".into(),
            });
        }
    }
    // Whole-set rules, reported at the key or table they concern (only when the numbers parsed,
    // so one typo is not reported twice).
    if errors.is_empty() {
        let header = |name: &str| {
            let at = source.find(&format!("[{name}]")).unwrap_or(0);
            line_of(at)
        };
        for (field, message) in params.problems() {
            let line = match field {
                "version" => line_of(file.version.span().start),
                "staleness" => line_of(file.staleness.neutral_months.span().start),
                "findings.severity" => header("findings.severity"),
                "findings.half_life_months" => line_of(f.half_life_months.span().start),
                "findings.cutoff_months" => line_of(f.cutoff_months.span().start),
                "confidence.history_full_months" => line_of(c.history_full_months.span().start),
                other => header(other),
            };
            errors.push(ParamsError { line, message });
        }
    }
    if errors.is_empty() {
        Ok(params.finish())
    } else {
        errors.sort_by_key(|e| e.line);
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(source: &str, text: &str) -> usize {
        source.lines().position(|l| l.contains(text)).expect("present") + 1
    }

    #[test]
    fn the_shipped_v1_file_is_the_v1_model() {
        assert_eq!(parse(V1).expect("the shipped file is valid"), Params::v1());
    }

    #[test]
    fn bad_numbers_are_reported_with_their_lines() {
        let broken = V1
            .replace("gross_negligence = \"2\"", "gross_negligence = \"2.0000001\"")
            .replace("moderate = \"6\"", "moderate = \"-6\"")
            .replace("a = \"85\"", "a = \"85.001\"")
            .replace("tier_a_min = \"0.6\"", "tier_a_min = \"1.5\"");
        let errors = parse(&broken).expect_err("refused");
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(
            lines,
            vec![
                line(&broken, "moderate = "),
                line(&broken, "gross_negligence = "),
                line(&broken, "tier_a_min = "),
                line(&broken, "a = \"85.001\"")
            ],
            "{errors:?}"
        );
        assert!(errors[0].message.contains("moderate"), "{errors:?}");
    }

    #[test]
    fn set_rules_point_at_their_table_or_key() {
        let broken = V1.replace("operations = \"0.4\"", "operations = \"0.3\"");
        let errors = parse(&broken).expect_err("weights must add up");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].line, line(&broken, "[base]"));
        assert!(errors[0].message.contains("add up to 1"));

        let broken = V1.replace("half_life_months = 12", "half_life_months = 1").replace("b = \"70\"", "b = \"90\"");
        let errors = parse(&broken).expect_err("refused");
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![line(&broken, "half_life_months = 1"), line(&broken, "[tiers]")], "{errors:?}");
    }

    #[test]
    fn syntax_errors_unknown_and_missing_fields_are_refused_with_a_line() {
        let unknown = V1.replace("cutoff_months = 36", "cutoff_months = 36\ncut_off = 1");
        let errors = parse(&unknown).expect_err("unknown field");
        assert_eq!(errors[0].line, line(&unknown, "cut_off"), "{errors:?}");
        let float = V1.replace("clerical = \"0.5\"", "clerical = 0.5");
        let errors = parse(&float).expect_err("floats are refused: decimals are strings");
        assert_eq!(errors[0].line, line(&float, "clerical = 0.5"), "{errors:?}");
        assert!(parse("version = ").is_err());
        let missing = V1.replace("aeo = \"4\"\n", "");
        assert!(parse(&missing).expect_err("missing").iter().any(|e| e.message.contains("aeo")));
    }

    #[test]
    fn a_changed_set_reads_back_its_numbers() {
        let v2 = V1.replace("version = \"score-v1\"", "version = \"score-v2\"").replace("a = \"85\"", "a = \"87.5\"");
        let p = parse(&v2).expect("valid");
        assert_eq!(p.version, "score-v2");
        assert_eq!(p.tiers.a_min_bp, 8750);
    }
}
