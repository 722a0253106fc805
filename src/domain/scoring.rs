//! Self-assessment scoring (domain reference §7.5 step 1). Pure and exact: credits are thousandths,
//! scores are basis points (0–10000 = 0–100.00), and every question's contribution is explained.
//!
//! Per shown question: the answer's credit (option, band, yes/no), times an evidence factor
//! (required evidence verified 1, attached but unverified 0.8, missing 0.5; a rejected answer 0),
//! unless an officer override replaces both. Justified "not applicable" answers and weight-0
//! questions do not count. Section score = weighted mean of its questions; overall = weighted mean
//! of sections that have anything to count.

use super::answer::{Answer, Answers, visible};
use super::questionnaire::{AnswerKind, Credit, EvidenceLevel, FULL, Question, Template};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// An officer's verdict on one answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Verification {
    /// Not yet looked at.
    #[default]
    Unverified,
    /// Checked and accepted.
    Verified,
    /// Not accepted (the reason is kept with the review).
    Rejected,
    /// The officer asked the trader for more.
    InfoRequested,
}

/// The officer's review of one answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Review {
    /// The verdict.
    pub verification: Verification,
    /// A credit that replaces the computed one (with a reason kept with the review).
    pub override_credit: Option<Credit>,
}

/// Why a question contributes what it does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Rule {
    /// Credit from the answer, full evidence factor.
    Answered,
    /// Required evidence attached but not yet verified (factor 0.8).
    EvidenceUnverified,
    /// Required evidence missing (factor 0.5).
    EvidenceMissing,
    /// The officer rejected the answer (0).
    Rejected,
    /// The officer's override replaced the computed credit.
    Override,
    /// Not answered (0).
    Unanswered,
    /// Not applicable with justification: excluded.
    NotApplicable,
    /// Weight 0: informational only.
    Informational,
    /// Hidden by its show-if condition: excluded.
    Hidden,
}

/// One question's part in the score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contribution {
    /// Question key.
    pub question: String,
    /// Section key.
    pub section: String,
    /// Effective credit in millionths (credit × evidence factor), 0 when excluded.
    pub effective: u32,
    /// Points earned towards the overall score, in basis points (100 = one point).
    pub earned_bp: u32,
    /// Points this question could earn at full credit, in basis points.
    pub possible_bp: u32,
    /// Why.
    pub rule: Rule,
}

/// A section's score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionScore {
    /// Section key.
    pub section: String,
    /// 0–10000, or `None` when nothing in the section counts.
    pub score_bp: Option<u32>,
}

/// The full, explained result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    /// 0–10000, or `None` when nothing counts at all.
    pub overall_bp: Option<u32>,
    /// Per section, in template order.
    pub sections: Vec<SectionScore>,
    /// Per question, in template order.
    pub contributions: Vec<Contribution>,
    /// Knock-out questions that earned nothing.
    pub knock_outs_failed: Vec<String>,
}

const MILLION: u64 = 1_000_000;

/// The credit an answer earns before evidence and officer review.
pub fn base_credit(question: &Question, answer: &Answer) -> Credit {
    let banded = |bands: &[super::questionnaire::Band], n: i64| {
        if bands.is_empty() { FULL } else { bands.iter().rev().find(|b| n >= b.min).map_or(0, |b| b.credit) }
    };
    match (&question.kind, answer) {
        (_, Answer::Yes) => FULL,
        (_, Answer::No) => 0,
        (AnswerKind::SingleChoice { options }, Answer::Choice(key)) => {
            options.iter().find(|o| &o.key == key).map_or(0, |o| o.credit)
        }
        (AnswerKind::MultiChoice { options }, Answer::Choices(keys)) => {
            options.iter().filter(|o| keys.contains(&o.key)).map(|o| o.credit).max().unwrap_or(0)
        }
        // A number outside the template's range (stored before the range existed, or carried
        // from another version) earns nothing: a negative count must not score.
        (
            AnswerKind::Integer { bands, .. } | AnswerKind::Decimal { bands, .. } | AnswerKind::Percent { bands, .. },
            Answer::Number(n),
        ) => match question.kind.range().map(|r| r.check(*n)) {
            Some(Err(_)) => 0,
            _ => banded(bands, *n),
        },
        _ => FULL,
    }
}

/// Rounds `num / den` half up.
fn ratio(num: u128, den: u128) -> u32 {
    if den == 0 { 0 } else { u32::try_from((num * 2 + den) / (den * 2)).unwrap_or(u32::MAX) }
}

/// Scores `answers` to `template`. `evidence` counts files per question; `reviews` holds officer
/// verdicts and overrides (empty for a draft preview).
pub fn score(
    template: &Template,
    answers: &Answers,
    evidence: &BTreeMap<String, u32>,
    reviews: &BTreeMap<String, Review>,
) -> Assessment {
    let shown = visible(template, answers);
    // First pass: each question's effective credit and whether it counts.
    let mut per_question: Vec<(String, String, u8, u64, Rule)> = Vec::new();
    let mut knock_outs_failed = Vec::new();
    for (section, q) in template.questions() {
        let review = reviews.get(&q.key).copied().unwrap_or_default();
        let answer = answers.get(&q.key);
        let (effective, rule) = if !shown.contains(&q.key) {
            (0, Rule::Hidden)
        } else if q.weight == 0 {
            (0, Rule::Informational)
        } else if matches!(answer, Some(Answer::NotApplicable(_))) && review.verification != Verification::Rejected {
            (0, Rule::NotApplicable)
        } else if let Some(credit) = review.override_credit {
            (u64::from(credit.min(FULL)) * 1000, Rule::Override)
        } else if review.verification == Verification::Rejected {
            (0, Rule::Rejected)
        } else if let Some(answer) = answer {
            let credit = u64::from(base_credit(q, answer));
            let files = evidence.get(&q.key).copied().unwrap_or(0);
            // Evidence proves a creditable answer; a zero-credit answer has nothing to prove.
            let (factor, rule) = match (q.evidence.level, files, review.verification) {
                _ if credit == 0 => (1000, Rule::Answered),
                (EvidenceLevel::Required, 0, _) => (500, Rule::EvidenceMissing),
                (EvidenceLevel::Required, _, Verification::Verified) => (1000, Rule::Answered),
                (EvidenceLevel::Required, _, _) => (800, Rule::EvidenceUnverified),
                _ => (1000, Rule::Answered),
            };
            (credit * factor, rule)
        } else {
            (0, Rule::Unanswered)
        };
        let counts = !matches!(rule, Rule::Hidden | Rule::Informational | Rule::NotApplicable);
        if q.knock_out && counts && effective == 0 && rule != Rule::Unanswered {
            knock_outs_failed.push(q.key.clone());
        }
        let weight = if counts { q.weight } else { 0 };
        per_question.push((q.key.clone(), section.key.clone(), weight, effective, rule));
    }
    // Second pass: section totals and weights.
    let section_weights: Vec<(String, u64, u64, u64)> = template
        .sections
        .iter()
        .map(|s| {
            let rows = per_question.iter().filter(|p| p.1 == s.key);
            let w: u64 = rows.clone().map(|p| u64::from(p.2)).sum();
            let earned: u64 = rows.map(|p| u64::from(p.2) * p.3).sum();
            (s.key.clone(), u64::from(s.weight), w, earned)
        })
        .collect();
    let total_section_weight: u64 = section_weights.iter().filter(|s| s.2 > 0).map(|s| s.1).sum();
    let sections = section_weights
        .iter()
        .map(|(key, _, w, earned)| SectionScore {
            section: key.clone(),
            score_bp: (*w > 0).then(|| ratio(u128::from(*earned) * 10_000, u128::from(*w) * u128::from(MILLION))),
        })
        .collect();
    let overall_bp = (total_section_weight > 0).then(|| {
        // Σ_s W_s · earned_s / w_s, over a common denominator, exactly.
        let mut num: u128 = 0;
        let mut den: u128 = 1;
        for (_, ws, w, earned) in section_weights.iter().filter(|s| s.2 > 0) {
            let (n, d) = (u128::from(*ws) * u128::from(*earned), u128::from(*w));
            num = num * d + n * den;
            den *= d;
            let g = gcd(num, den);
            num /= g;
            den /= g;
        }
        ratio(num * 10_000, den * u128::from(total_section_weight) * u128::from(MILLION))
    });
    let contributions = per_question
        .into_iter()
        .map(|(question, section, weight, effective, rule)| {
            let (_, ws, w, _) = section_weights.iter().find(|s| s.0 == section).cloned().unwrap_or_default();
            let share_den = u128::from(total_section_weight) * u128::from(w);
            let possible = if weight == 0 || share_den == 0 {
                0
            } else {
                ratio(10_000 * u128::from(ws) * u128::from(weight), share_den)
            };
            let earned = if weight == 0 || share_den == 0 {
                0
            } else {
                ratio(
                    10_000 * u128::from(ws) * u128::from(weight) * u128::from(effective),
                    share_den * u128::from(MILLION),
                )
            };
            Contribution {
                question,
                section,
                effective: u32::try_from(effective).unwrap_or(0),
                earned_bp: earned,
                possible_bp: possible,
                rule,
            }
        })
        .collect();
    Assessment { overall_bp, sections, contributions, knock_outs_failed }
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.max(1)
}

/// Formats basis points as a score with two decimals (`8850` → `88.50`).
pub fn format_bp(bp: u32) -> String {
    format!("{}.{:02}", bp / 100, bp % 100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::questionnaire::tests::{choice, question, section, template};
    use crate::domain::questionnaire::{Band, Evidence};

    fn answers(pairs: &[(&str, Answer)]) -> Answers {
        pairs.iter().map(|(k, a)| ((*k).to_owned(), a.clone())).collect()
    }

    fn none() -> BTreeMap<String, u32> {
        BTreeMap::new()
    }

    #[test]
    fn a_number_outside_the_range_earns_nothing() {
        let q = question("A2", AnswerKind::Integer { bands: vec![], min: None, max: Some(60_000) }, 2);
        assert_eq!(base_credit(&q, &Answer::Number(3_000)), FULL);
        assert_eq!(base_credit(&q, &Answer::Number(-3_000)), 0, "negative years");
        assert_eq!(base_credit(&q, &Answer::Number(61_000)), 0);
        let banded = question(
            "A3",
            AnswerKind::Integer { bands: vec![Band { min: -10_000, credit: 500 }], min: None, max: None },
            2,
        );
        assert_eq!(base_credit(&banded, &Answer::Number(-1_000)), 0, "below the default minimum 0");
    }

    #[test]
    fn worked_example_two_sections() {
        // Section A (weight 15): A1 yes/no w3, A3 choice w3 (sometimes = 0.5).
        // Section B (weight 20): B1 yes/no w4.
        let t = template(vec![
            section(
                "A",
                15,
                vec![
                    question("A1", AnswerKind::YesNo, 3),
                    question(
                        "A3",
                        AnswerKind::SingleChoice {
                            options: vec![choice("always", 1000), choice("sometimes", 500), choice("never", 0)],
                        },
                        3,
                    ),
                ],
            ),
            section("B", 20, vec![question("B1", AnswerKind::YesNo, 4)]),
        ]);
        let a = answers(&[("A1", Answer::Yes), ("A3", Answer::Choice("sometimes".into())), ("B1", Answer::No)]);
        let result = score(&t, &a, &none(), &BTreeMap::new());
        // A = (3·1 + 3·0.5)/6 = 75.00; B = 0; overall = (15·75 + 20·0)/35 = 32.142857… → 32.14
        assert_eq!(result.sections[0].score_bp, Some(7500));
        assert_eq!(result.sections[1].score_bp, Some(0));
        assert_eq!(result.overall_bp, Some(3214));
        // Contributions: A1 earns 15/35·3/6·100 = 21.43; A3 10.71; B1 0 of 57.14 possible.
        let c: Vec<(u32, u32)> = result.contributions.iter().map(|c| (c.earned_bp, c.possible_bp)).collect();
        assert_eq!(c, vec![(2143, 2143), (1071, 2143), (0, 5714)]);
    }

    #[test]
    fn evidence_factor_and_officer_verdicts() {
        let mut q = question("E1", AnswerKind::YesNo, 5);
        q.evidence = Evidence { level: EvidenceLevel::Required, ..Evidence::default() };
        let t = template(vec![section("E", 10, vec![q])]);
        let a = answers(&[("E1", Answer::Yes)]);
        let missing = score(&t, &a, &none(), &BTreeMap::new());
        assert_eq!((missing.overall_bp, missing.contributions[0].rule), (Some(5000), Rule::EvidenceMissing));
        let files = BTreeMap::from([("E1".to_owned(), 2)]);
        let unverified = score(&t, &a, &files, &BTreeMap::new());
        assert_eq!((unverified.overall_bp, unverified.contributions[0].rule), (Some(8000), Rule::EvidenceUnverified));
        let verified =
            BTreeMap::from([("E1".to_owned(), Review { verification: Verification::Verified, override_credit: None })]);
        assert_eq!(score(&t, &a, &files, &verified).overall_bp, Some(10_000));
        let rejected =
            BTreeMap::from([("E1".to_owned(), Review { verification: Verification::Rejected, override_credit: None })]);
        assert_eq!(score(&t, &a, &files, &rejected).overall_bp, Some(0));
        let overridden = BTreeMap::from([(
            "E1".to_owned(),
            Review { verification: Verification::Rejected, override_credit: Some(250) },
        )]);
        let o = score(&t, &a, &files, &overridden);
        assert_eq!((o.overall_bp, o.contributions[0].rule), (Some(2500), Rule::Override));
    }

    #[test]
    fn everything_not_applicable_or_hidden_gives_no_score() {
        let mut q = question("B3", AnswerKind::YesNoNa, 2);
        q.na_needs_justification = true;
        let t = template(vec![section("B", 20, vec![q])]);
        let result =
            score(&t, &answers(&[("B3", Answer::NotApplicable(Some("no goods".into())))]), &none(), &BTreeMap::new());
        assert_eq!(result.overall_bp, None);
        assert_eq!(result.sections[0].score_bp, None);
        assert_eq!(result.contributions[0].rule, Rule::NotApplicable);
    }

    #[test]
    fn zero_weights_are_informational_and_do_not_divide_by_zero() {
        let t = template(vec![
            section("F", 15, vec![question("F3", AnswerKind::Integer { bands: vec![], min: None, max: None }, 0)]),
            section("G", 0, vec![question("G1", AnswerKind::YesNo, 2)]),
        ]);
        let result =
            score(&t, &answers(&[("F3", Answer::Number(4000)), ("G1", Answer::Yes)]), &none(), &BTreeMap::new());
        assert_eq!(result.contributions[0].rule, Rule::Informational);
        // G has question weight but section weight 0: its score shows, the overall has no weight to use.
        assert_eq!(result.sections[1].score_bp, Some(10_000));
        assert_eq!(result.overall_bp, None);
    }

    #[test]
    fn hidden_questions_do_not_count_and_unanswered_ones_count_as_zero() {
        use crate::domain::questionnaire::{Clause, Combine, Condition};
        let mut b = question("B", AnswerKind::YesNo, 1);
        b.show_if = Some(Condition {
            combine: Combine::All,
            clauses: vec![Clause { question: "A".into(), equals: "yes".into() }],
        });
        let t = template(vec![section(
            "S",
            1,
            vec![question("A", AnswerKind::YesNo, 1), b, question("C", AnswerKind::YesNo, 1)],
        )]);
        let result = score(&t, &answers(&[("A", Answer::No), ("B", Answer::Yes)]), &none(), &BTreeMap::new());
        let rules: Vec<Rule> = result.contributions.iter().map(|c| c.rule).collect();
        assert_eq!(rules, vec![Rule::Answered, Rule::Hidden, Rule::Unanswered]);
        assert_eq!(result.overall_bp, Some(0));
    }

    #[test]
    fn bands_pick_the_highest_reached_threshold() {
        let bands = vec![Band { min: 1000, credit: 500 }, Band { min: 3000, credit: 1000 }];
        let t = template(vec![section(
            "A",
            1,
            vec![question("A2", AnswerKind::Integer { bands, min: None, max: None }, 2)],
        )]);
        for (years, expected) in [(0, 0), (1000, 5000), (2000, 5000), (3000, 10_000), (20_000, 10_000)] {
            let r = score(&t, &answers(&[("A2", Answer::Number(years))]), &none(), &BTreeMap::new());
            assert_eq!(r.overall_bp, Some(expected), "{years}");
        }
    }

    #[test]
    fn a_failed_knock_out_is_flagged() {
        let mut e1 = question("E1", AnswerKind::YesNo, 5);
        e1.knock_out = true;
        let t = template(vec![section("E", 15, vec![e1, question("E2", AnswerKind::YesNo, 2)])]);
        let result = score(&t, &answers(&[("E1", Answer::No), ("E2", Answer::Yes)]), &none(), &BTreeMap::new());
        assert_eq!(result.knock_outs_failed, vec!["E1".to_owned()]);
        let fine = score(&t, &answers(&[("E1", Answer::Yes)]), &none(), &BTreeMap::new());
        assert!(fine.knock_outs_failed.is_empty());
    }

    #[test]
    fn contributions_add_up_to_the_overall_score_within_rounding() {
        let t = template(vec![
            section("A", 15, vec![question("A1", AnswerKind::YesNo, 3), question("A2", AnswerKind::YesNo, 2)]),
            section("B", 20, vec![question("B1", AnswerKind::YesNo, 4), question("B2", AnswerKind::YesNo, 3)]),
            section("C", 20, vec![question("C1", AnswerKind::YesNo, 4)]),
        ]);
        let a = answers(&[
            ("A1", Answer::Yes),
            ("A2", Answer::No),
            ("B1", Answer::Yes),
            ("B2", Answer::Yes),
            ("C1", Answer::No),
        ]);
        let r = score(&t, &a, &none(), &BTreeMap::new());
        let sum: u32 = r.contributions.iter().map(|c| c.earned_bp).sum();
        let overall = r.overall_bp.unwrap();
        assert!(sum.abs_diff(overall) <= r.contributions.len() as u32, "{sum} vs {overall}");
        let possible: u32 = r.contributions.iter().map(|c| c.possible_bp).sum();
        assert!(possible.abs_diff(10_000) <= 5);
    }

    #[test]
    fn formats_basis_points() {
        assert_eq!(format_bp(8850), "88.50");
        assert_eq!(format_bp(5), "0.05");
    }
}
