//! Worked examples of the compliance score: every rule, gate, cap and band, and the seed traders
//! of the domain reference §7.6.

use super::stability::{Change, Snapshot, Trigger, decide, impact, month_index};
use super::*;
use crate::domain::time::days_from_civil;

fn day(y: i64, m: u32, d: u32) -> i64 {
    days_from_civil(y, m, d)
}

/// The as-of day of the examples.
fn as_of() -> i64 {
    day(2026, 12, 1)
}

/// `months` completed months before the as-of day.
fn ago(months: u32) -> i64 {
    let index = 2026 * 12 + 11 - i64::from(months);
    day(index.div_euclid(12), u32::try_from(index.rem_euclid(12)).expect("month") + 1, 1)
}

fn sa(score_bp: u32, months_old: u32) -> SelfAssessment {
    SelfAssessment {
        id: AssessmentId::new(1),
        template: "T1".into(),
        score_bp,
        reviewed_on: ago(months_old),
        answered: 15,
        verified: 12,
    }
}

fn finding(id: i64, severity: Severity, culpability: Culpability, discovery: Discovery, months_old: u32) -> Finding {
    Finding {
        id: FindingId::new(id),
        reference: format!("F-{id}"),
        date: ago(months_old),
        severity,
        culpability,
        discovery,
        shortfall_minor: 0,
        remediation_verified: false,
    }
}

/// A trader with a fresh self-assessment of `score_bp`, nothing else, a long history.
fn plain(score_bp: u32) -> Inputs {
    Inputs {
        as_of: as_of(),
        self_assessments: vec![sa(score_bp, 1)],
        annual_duties_minor: 10_000_000_000,
        first_declaration: Some(day(2015, 1, 1)),
        ..Inputs::default()
    }
}

fn item(score: &Score, rule: Rule) -> &Item {
    score.items.iter().chain(&score.base_items).find(|i| i.rule == rule).expect("item present")
}

/// Steppe Electronics (§7.6): S_sa 88 fresh, S_ops 92, a clerical voluntary finding (remediated,
/// 4 months) and the royalty disclosure's finding (moderate, negligence, mat 1.1, voluntary,
/// remediated, 6 months), one accepted voluntary disclosure with verified remediation.
fn steppe() -> Inputs {
    Inputs {
        as_of: as_of(),
        self_assessments: vec![sa(8800, 1)],
        operations: Some(Operations {
            declarations: 1200,
            corrected_by_customs: 48,
            amendments: 18,
            sector_median_amendment_ppm: 50_000,
            payments_due: 40,
            payments_on_time: 40,
        }),
        annual_duties_minor: 50_000_000_000,
        first_declaration: Some(day(2012, 5, 10)),
        findings: vec![
            Finding {
                reference: "F-2025-010".into(),
                remediation_verified: true,
                ..finding(10, Severity::Minor, Culpability::Clerical, Discovery::Voluntary, 4)
            },
            Finding {
                reference: "VD-2025-0007/1".into(),
                shortfall_minor: 500_000_000,
                remediation_verified: true,
                ..finding(11, Severity::Moderate, Culpability::Negligence, Discovery::Voluntary, 6)
            },
        ],
        disclosures: vec![AcceptedDisclosure {
            id: DisclosureId::new(7),
            reference: "VD-2025-0007".into(),
            accepted_on: ago(6),
            voluntary: true,
            remediation_verified: true,
        }],
        ..Inputs::default()
    }
}

#[test]
fn steppe_electronics_walk_through() {
    let s = score(&steppe(), &Params::v1());
    assert_eq!(s.version, "score-v1");
    let c = s.components;
    assert_eq!(c.self_assessment, 88_000_000);
    assert_eq!(c.operations, Some(92_000_000));
    assert_eq!(c.base, 89_600_000);
    // 2 × 0.5 × 1 × 0.25 × 0.5 × 0.5^(4/12) = 0.099212566 → 0.099213;
    // 6 × 1 × 1.1 × 0.25 × 0.5 × 0.5^(6/12) = 0.583363094 → 0.583363.
    let f: Vec<i64> = s.items.iter().filter(|i| i.rule == Rule::FindingDeduction).map(|i| i.micro).collect();
    assert_eq!(f, vec![-99_213, -583_363]);
    assert_eq!(c.deductions, 682_576);
    assert_eq!(c.bonuses, 2_000_000);
    assert_eq!(c.composite, 90_917_424);
    assert_eq!(s.composite_bp, 9092, "≈ 90.9");
    assert_eq!(composite_text(s.composite_bp), "90.92");
    assert_eq!(s.confidence_ppm, 900_000, "0.5·0.8 + 0.3·1 + 0.2·1");
    assert_eq!((s.band, s.tier, s.tier_rule), (Tier::A, Tier::A, TierRule::Band));
    assert!(s.gates.is_empty());
    let vd = item(&s, Rule::FindingDeduction);
    assert_eq!(vd.reference, "F-2025-010");
    assert_eq!(vd.source, Source::Finding(FindingId::new(10)));
    assert_eq!(vd.formula, "2 × 0.5 × 1 × 0.25 × 0.5 × 0.5^(4/12) = 0.099213");
    let royalty = s.items.iter().find(|i| i.reference == "VD-2025-0007/1").expect("royalty finding");
    assert_eq!(
        royalty.formula,
        "6 × 1 × 1.1 (1 + min(1, 10 × 5000000.00 / 500000000.00)) × 0.25 × 0.5 × 0.5^(6/12) = 0.583363"
    );
    let bonus = item(&s, Rule::DisclosureBonus);
    assert_eq!((bonus.micro, bonus.source.clone()), (2_000_000, Source::Disclosure(DisclosureId::new(7))));
    assert_eq!(item(&s, Rule::Base).formula, "0.6 × 88 + 0.4 × 92 = 89.6");
    assert_eq!(item(&s, Rule::Ops).formula, "100 × (0.5 × (1 − 48/1200) + 0.3 × 40/40 + 0.2 × (1 − 0.3)) = 92");
    // First snapshot: tier A pending a second snapshot and a supervisor's confirmation; B meanwhile.
    let month = month_index(as_of());
    let first = decide(&[], &s, Trigger::Snapshot { month }, false);
    assert_eq!((first.raw, first.published, first.change), (Tier::A, Tier::B, Change::Initial));
    let pending = first.pending.expect("A pending");
    assert!(pending.second_snapshot && pending.confirmation);
    let history = [Snapshot { month, raw: first.raw, published: first.published }];
    let second = decide(&history, &s, Trigger::Snapshot { month: month + 1 }, false);
    assert_eq!((second.published, second.change), (Tier::B, Change::Unchanged));
    let pending = second.pending.expect("still pending");
    assert!(!pending.second_snapshot && pending.confirmation, "two snapshots done, confirmation awaited");
    let confirmed = decide(&history, &s, Trigger::Snapshot { month: month + 1 }, true);
    assert_eq!((confirmed.published, confirmed.change, confirmed.pending), (Tier::A, Change::Upgrade, None));
}

/// KazAgro (§7.6): S_sa 74, no operational data, the customs-detected origin finding F-2024-031
/// (moderate, negligence, 1.9m KZT against 95m KZT annual duties, 9 months, remediation planned).
fn kazagro() -> Inputs {
    Inputs {
        self_assessments: vec![sa(7400, 2)],
        annual_duties_minor: 9_500_000_000,
        findings: vec![Finding {
            reference: "F-2024-031".into(),
            shortfall_minor: 190_000_000,
            ..finding(31, Severity::Moderate, Culpability::Negligence, Discovery::CustomsDetected, 9)
        }],
        ..plain(7400)
    }
}

#[test]
fn kazagro_is_tier_c_and_verifying_remediation_would_make_it_b() {
    let s = score(&kazagro(), &Params::v1());
    // 6 × 1 × 1.2 × 1 × 1 × 0.5^(9/12) = 4.281145618 → 4.281146; 74 − 4.281146 = 69.718854.
    assert_eq!(s.components.base, 74_000_000);
    assert_eq!(item(&s, Rule::OpsNone).micro, 74_000_000);
    assert_eq!(s.components.deductions, 4_281_146);
    assert_eq!(s.composite_bp, 6972);
    assert_eq!(s.tier, Tier::C);
    assert_eq!(s.to_next_band_bp, Some(28));
    let hint = &s.hints[0];
    assert_eq!(
        (hint.action, hint.reference.as_str(), hint.source.clone()),
        (Action::VerifyFindingRemediation, "F-2024-031", Source::Finding(FindingId::new(31)))
    );
    // Half the deduction back: +2.140573 → 71.86, tier B.
    assert_eq!((hint.delta_bp, hint.composite_bp, hint.tier), (214, 7186, Tier::B));
    assert_eq!(Action::VerifyFindingRemediation.code(), "H-REMEDIATE");
}

/// Nur Pharma (§7.6): eight months of history, half its answers verified, no operational data.
#[test]
fn nur_pharma_is_capped_at_b_by_confidence() {
    let mut inputs = plain(9000);
    inputs.first_declaration = Some(ago(8));
    inputs.self_assessments[0].verified = 7;
    inputs.self_assessments[0].answered = 14;
    let s = score(&inputs, &Params::v1());
    assert_eq!(s.composite_bp, 9000);
    // 0.5 × 7/14 + 0.3 × 8/24 + 0 = 0.35.
    assert_eq!(s.confidence_ppm, 350_000);
    assert_eq!((s.band, s.tier, s.tier_rule), (Tier::A, Tier::B, TierRule::ConfidenceCap));
    assert_eq!(s.tier_rule.code(), "C-CAP");
    // Verifying every answer: 0.5 + 0.1 = 0.6 ≥ 0.6 → A.
    let hint = s.hints.iter().find(|h| h.action == Action::VerifyAnswers).expect("hint");
    assert_eq!((hint.tier, hint.delta_bp), (Tier::A, 0));
}

/// Shymkent Textile (§7.6): a debt overdue 120 days and the undervaluation finding F-2025-004.
#[test]
fn shymkent_textile_is_tier_e_through_g1() {
    let mut inputs = plain(6500);
    inputs.findings.push(Finding {
        reference: "F-2025-004".into(),
        ..finding(4, Severity::Major, Culpability::GrossNegligence, Discovery::CustomsDetected, 5)
    });
    inputs.debts = vec![
        Debt { id: DebtId(1), reference: "D-1".into(), overdue_days: 120 },
        Debt { id: DebtId(2), reference: "D-2".into(), overdue_days: 30 },
    ];
    let s = score(&inputs, &Params::v1());
    assert_eq!((s.tier, s.tier_rule), (Tier::E, TierRule::Gate));
    assert_eq!(s.gates.len(), 1);
    assert_eq!(s.gates[0].gate.code(), "G1");
    assert_eq!(s.gates[0].source, Source::Debt(DebtId(1)));
    assert_eq!(s.gates[0].evidence, "overdue 120 days > 90");
    assert_eq!(s.to_next_band_bp, None);
    // 15 × 2 × 1 × 1 × 1 × 0.5^(5/12) = 22.474606 → composite 65 − 22.47 = 42.53, band D.
    assert_eq!(s.composite_bp, 4253);
    assert_eq!(s.band, Tier::D);
    let pay = s.hints.iter().find(|h| h.action == Action::PayOverdueDebts).expect("hint");
    assert_eq!((pay.reference.as_str(), pay.tier, pay.delta_bp), ("D-1", Tier::D, 0));
    assert_eq!(s.hints[0].action, Action::PayOverdueDebts, "a better tier ranks first");
}

#[test]
fn every_gate_forces_tier_e() {
    let p = Params::v1();
    let high = plain(9500);
    assert_eq!(score(&high, &p).tier, Tier::A);

    let mut g1 = high.clone();
    g1.debts.push(Debt { id: DebtId(1), reference: "D".into(), overdue_days: 91 });
    assert_eq!(score(&g1, &p).gates[0].gate, Gate::OverdueDebt);
    g1.debts[0].overdue_days = 90;
    assert_eq!(score(&g1, &p).tier, Tier::A, "90 days is not more than 90");

    let mut g2 = high.clone();
    g2.findings.push(finding(1, Severity::Minor, Culpability::Intentional, Discovery::CustomsDetected, 36));
    let s = score(&g2, &p);
    assert_eq!((s.tier, s.gates[0].gate.code()), (Tier::E, "G2"));
    assert_eq!(s.components.deductions, 0, "intentional findings deduct nothing");
    assert_eq!(item(&s, Rule::FindingIntentional).micro, 0);
    g2.findings[0].date = ago(37);
    assert_eq!(score(&g2, &p).tier, Tier::A, "outside the 36-month window");

    let mut conviction = high.clone();
    conviction.convictions.push(Conviction { reference: "C-1".into(), date: ago(12) });
    assert_eq!(score(&conviction, &p).gates[0].gate, Gate::Intentional);

    let mut g3 = high.clone();
    g3.knock_outs.push(KnockOut { assessment: AssessmentId::new(1), question: "E1".into() });
    let s = score(&g3, &p);
    assert_eq!((s.tier, s.gates[0].gate.code(), s.gates[0].reference.as_str()), (Tier::E, "G3", "E1"));

    let mut g4 = high;
    g4.refusals.push(ControlCaseId::new(5));
    let s = score(&g4, &p);
    assert_eq!((s.tier, s.gates[0].gate.code()), (Tier::E, "G4"));
    assert_eq!(s.gates[0].source, Source::ControlCase(ControlCaseId::new(5)));
}

#[test]
fn decay_halves_every_twelve_months_and_stops_after_thirty_six() {
    let p = Params::v1();
    let deduction = |months| {
        let mut inputs = plain(8000);
        inputs.findings.push(finding(1, Severity::Major, Culpability::Negligence, Discovery::CustomsDetected, months));
        score(&inputs, &p).components.deductions
    };
    assert_eq!(deduction(0), 15_000_000);
    assert_eq!(deduction(12), 7_500_000);
    assert_eq!(deduction(36), 1_875_000);
    assert_eq!(deduction(37), 0);
    let mut inputs = plain(8000);
    inputs.findings.push(finding(1, Severity::Major, Culpability::Negligence, Discovery::CustomsDetected, 37));
    assert_eq!(item(&score(&inputs, &p), Rule::FindingExpired).formula, "37 months old > 36: 0");
}

#[test]
fn every_factor_of_a_deduction() {
    let p = Params::v1();
    let points = |f: Finding| {
        let mut inputs = plain(8000);
        inputs.findings.push(f);
        score(&inputs, &p).components.deductions
    };
    let base = finding(1, Severity::Minor, Culpability::Negligence, Discovery::CustomsDetected, 0);
    assert_eq!(points(base.clone()), 2_000_000);
    for (severity, expected) in [(Severity::Moderate, 6), (Severity::Major, 15), (Severity::Critical, 30)] {
        assert_eq!(points(Finding { severity, ..base.clone() }), expected * MICRO);
    }
    assert_eq!(points(Finding { culpability: Culpability::Clerical, ..base.clone() }), 1_000_000);
    assert_eq!(points(Finding { culpability: Culpability::GrossNegligence, ..base.clone() }), 4_000_000);
    assert_eq!(points(Finding { discovery: Discovery::Voluntary, ..base.clone() }), 500_000);
    assert_eq!(points(Finding { discovery: Discovery::Prompted, ..base.clone() }), 1_200_000);
    assert_eq!(points(Finding { remediation_verified: true, ..base.clone() }), 1_000_000);
    // Materiality: 1% of annual duties → 1.1; 10% or more → 2 (capped).
    assert_eq!(points(Finding { shortfall_minor: 100_000_000, ..base.clone() }), 2_200_000);
    assert_eq!(points(Finding { shortfall_minor: 1_000_000_000, ..base.clone() }), 4_000_000);
    assert_eq!(points(Finding { shortfall_minor: 9_000_000_000, ..base.clone() }), 4_000_000);
    // Without declared duties the shortfall is measured against 1 minor unit: full materiality.
    let mut inputs = plain(8000);
    inputs.annual_duties_minor = 0;
    inputs.findings.push(Finding { shortfall_minor: 1, ..base });
    assert_eq!(score(&inputs, &p).components.deductions, 4_000_000);
}

#[test]
fn deductions_are_capped_at_sixty_and_the_composite_at_zero() {
    let mut inputs = plain(5000);
    for id in 0..3 {
        inputs.findings.push(finding(
            id,
            Severity::Critical,
            Culpability::GrossNegligence,
            Discovery::CustomsDetected,
            0,
        ));
    }
    let s = score(&inputs, &Params::v1());
    assert_eq!(s.components.deductions, 60_000_000);
    let cap = item(&s, Rule::DeductionCap);
    assert_eq!((cap.micro, cap.formula.as_str()), (120_000_000, "min(60, 180) = 60"));
    assert_eq!((s.components.composite, s.composite_bp, s.tier), (0, 0, Tier::E));
    assert_eq!(s.tier_rule, TierRule::Band, "E by band, no gate");
}

#[test]
fn bonuses_and_their_caps() {
    let p = Params::v1();
    let mut inputs = plain(7000);
    for id in 1..=4 {
        inputs.disclosures.push(AcceptedDisclosure {
            id: DisclosureId::new(id),
            reference: format!("VD-{id}"),
            accepted_on: ago(3),
            voluntary: true,
            remediation_verified: true,
        });
    }
    // Not voluntary, unverified, or too old: nothing.
    inputs.disclosures.push(AcceptedDisclosure {
        voluntary: false,
        id: DisclosureId::new(9),
        ..inputs.disclosures[0].clone()
    });
    inputs.disclosures.push(AcceptedDisclosure {
        accepted_on: ago(25),
        id: DisclosureId::new(10),
        ..inputs.disclosures[0].clone()
    });
    let s = score(&inputs, &p);
    assert_eq!(s.items.iter().filter(|i| i.rule == Rule::DisclosureBonus).count(), 4);
    assert_eq!(item(&s, Rule::DisclosureCap).micro, -2_000_000);
    assert_eq!(s.components.bonuses, 6_000_000);

    inputs.aeo = Some(Aeo::Valid);
    inputs.certifications = vec!["ISO 9001".into(), "ISO 28000".into(), "ISO 27001".into(), "ISO 14001".into()];
    let s = score(&inputs, &p);
    assert_eq!(s.items.iter().filter(|i| i.rule == Rule::CertificationBonus).count(), 3, "ISO 14001 is not recognised");
    assert_eq!(item(&s, Rule::CertificationCap).micro, -1_000_000);
    assert_eq!(item(&s, Rule::AeoBonus).micro, 4_000_000);
    // 6 + 4 + 2 = 12 → 10.
    assert_eq!(item(&s, Rule::BonusCap).formula, "min(10, 12) = 10");
    assert_eq!(s.components.bonuses, 10_000_000);
    assert_eq!(s.composite_bp, 8000);

    // A bonus cannot lift the composite above 100.
    let mut top = inputs.clone();
    top.self_assessments[0].score_bp = 10_000;
    assert_eq!(score(&top, &p).composite_bp, 10_000);
}

#[test]
fn an_unverified_disclosure_hints_at_its_bonus() {
    let mut inputs = plain(8400);
    inputs.disclosures.push(AcceptedDisclosure {
        id: DisclosureId::new(3),
        reference: "VD-3".into(),
        accepted_on: ago(2),
        voluntary: true,
        remediation_verified: false,
    });
    let s = score(&inputs, &Params::v1());
    assert_eq!((s.tier, s.components.bonuses), (Tier::B, 0));
    let hint = &s.hints[0];
    assert_eq!((hint.action.code(), hint.delta_bp, hint.tier), ("H-VD-REMEDIATE", 200, Tier::A));
}

#[test]
fn revoked_aeo_blocks_eligibility_but_not_the_tier() {
    let mut inputs = plain(9000);
    inputs.aeo = Some(Aeo::Revoked { on: ago(20) });
    let s = score(&inputs, &Params::v1());
    assert_eq!((s.tier, s.aeo_revoked_on, s.components.bonuses), (Tier::A, Some(ago(20)), 0));
    inputs.aeo = Some(Aeo::Revoked { on: ago(37) });
    assert_eq!(score(&inputs, &Params::v1()).aeo_revoked_on, None);
}

#[test]
fn tier_boundaries_are_exact_in_basis_points() {
    let p = Params::v1();
    for (bp, tier) in [
        (10_000, Tier::A),
        (8500, Tier::A),
        (8499, Tier::B),
        (7000, Tier::B),
        (6999, Tier::C),
        (5500, Tier::C),
        (5499, Tier::D),
        (4000, Tier::D),
        (3999, Tier::E),
        (0, Tier::E),
    ] {
        assert_eq!(Tier::of_band(bp, &p.tiers), tier, "{bp}");
        assert_eq!(score(&plain(bp), &p).tier, tier, "scored {bp}");
    }
    // With operational data the base mixes both.
    let mut inputs = plain(8500);
    inputs.operations = Some(Operations {
        declarations: 1000,
        corrected_by_customs: 0,
        amendments: 0,
        sector_median_amendment_ppm: 10_000,
        payments_due: 0,
        payments_on_time: 0,
    });
    let s = score(&inputs, &p);
    assert_eq!(s.components.operations, Some(100_000_000), "no payments due count as all on time");
    assert_eq!(s.components.base, 91_000_000);
}

#[test]
fn half_up_rounding_of_the_composite() {
    let p = Params::v1();
    let mut inputs = plain(8600);
    // A deduction of 2 × 0.5 × 1.005 = 1.005 points: 86 − 1.005 = 84.995 → 85.00.
    inputs.findings.push(Finding {
        shortfall_minor: 500_000,
        ..finding(1, Severity::Minor, Culpability::Clerical, Discovery::CustomsDetected, 0)
    });
    inputs.annual_duties_minor = 1_000_000_000;
    let s = score(&inputs, &p);
    assert_eq!(s.components.deductions, 1_005_000);
    assert_eq!((s.composite_bp, s.tier), (8500, Tier::A));
    inputs.findings[0].shortfall_minor = 500_001;
    let s = score(&inputs, &p);
    assert_eq!(s.components.deductions, 1_005_000, "rounded to micro-points");
    // 1.005001 points: 84.994999 → 84.99, tier B.
    inputs.findings[0].shortfall_minor = 500_100;
    let s = score(&inputs, &p);
    assert_eq!((s.components.deductions, s.composite_bp, s.tier), (1_005_001, 8499, Tier::B));
}

#[test]
fn staleness_drifts_to_neutral_between_twelve_and_twenty_four_months() {
    let p = Params::v1();
    let effective = |score_bp, months| {
        let mut inputs = plain(score_bp);
        inputs.self_assessments[0].reviewed_on = ago(months);
        score(&inputs, &p).components.self_assessment
    };
    assert_eq!(effective(9000, 12), 90_000_000);
    assert_eq!(effective(9000, 18), 70_000_000);
    assert_eq!(effective(9000, 21), 60_000_000);
    assert_eq!(effective(9000, 24), 50_000_000);
    assert_eq!(effective(9000, 40), 50_000_000);
    assert_eq!(effective(3000, 18), 40_000_000, "a low score drifts up to neutral too");
    assert_eq!(effective(8800, 13), 84_833_333, "50 + 38 × 11/12");
    let mut inputs = plain(9000);
    inputs.self_assessments[0].reviewed_on = ago(18);
    let s = score(&inputs, &p);
    assert_eq!(item(&s, Rule::SaBase).formula, "50 + (90 − 50) × (24 − 18)/12 = 70 (reviewed 18 months ago)");
    let refresh = s.hints.iter().find(|h| h.action == Action::RefreshSelfAssessment).expect("hint");
    assert_eq!((refresh.delta_bp, refresh.tier), (2000, Tier::A));
}

#[test]
fn without_a_self_assessment_the_base_is_neutral() {
    let inputs = Inputs { as_of: as_of(), ..Inputs::default() };
    let s = score(&inputs, &Params::v1());
    assert_eq!(s.components.self_assessment, 50_000_000);
    assert_eq!(item(&s, Rule::SaNone).micro, 50_000_000);
    assert_eq!((s.composite_bp, s.tier, s.confidence_ppm), (5000, Tier::D, 0));
}

#[test]
fn the_latest_review_per_template_counts_and_templates_are_averaged() {
    let mut inputs = plain(6000);
    inputs.self_assessments.push(SelfAssessment { reviewed_on: ago(3), score_bp: 9999, ..sa(0, 0) });
    inputs.self_assessments.push(SelfAssessment {
        id: AssessmentId::new(2),
        template: "T2".into(),
        score_bp: 8000,
        ..sa(0, 0)
    });
    let s = score(&inputs, &Params::v1());
    // T1: the review 1 month old (60) beats the one 3 months old; T2: 80; mean 70.
    assert_eq!(s.components.self_assessment, 70_000_000);
    assert_eq!(item(&s, Rule::SaMean).formula, "mean of 2 templates = 70");
    // A review dated after the as-of day is not yet known.
    let mut future = plain(6000);
    future.self_assessments.push(SelfAssessment { reviewed_on: as_of() + 5, score_bp: 9000, ..sa(0, 0) });
    assert_eq!(score(&future, &Params::v1()).components.self_assessment, 60_000_000);
}

#[test]
fn operational_score_components() {
    let p = Params::v1();
    let ops = |o: Operations| {
        let mut inputs = plain(8000);
        inputs.operations = Some(o);
        score(&inputs, &p)
    };
    let base = Operations {
        declarations: 100,
        corrected_by_customs: 10,
        amendments: 10,
        sector_median_amendment_ppm: 50_000,
        payments_due: 10,
        payments_on_time: 5,
    };
    // 100 × (0.5 × 0.9 + 0.3 × 0.5 + 0.2 × (1 − min(1, 0.1/0.05))) = 60.
    assert_eq!(ops(base).components.operations, Some(60_000_000));
    // Median 0: any amendment is the full rate.
    assert_eq!(ops(Operations { sector_median_amendment_ppm: 0, ..base }).components.operations, Some(60_000_000));
    assert_eq!(
        ops(Operations { sector_median_amendment_ppm: 0, amendments: 0, ..base }).components.operations,
        Some(80_000_000)
    );
    // 1/3 corrected: 100 × (0.5 × 2/3 + 0.15 + 0) = 48.333333.
    assert_eq!(
        ops(Operations { corrected_by_customs: 1, declarations: 3, ..base }).components.operations,
        Some(48_333_333)
    );
    // No declarations: no operational score, and the confidence says so.
    let s = ops(Operations { declarations: 0, ..base });
    assert_eq!(s.components.operations, None);
    assert_eq!(s.components.base, 80_000_000);
}

#[test]
fn confidence_weights_and_the_tier_a_minimum() {
    let p = Params::v1();
    let mut inputs = plain(9000);
    inputs.first_declaration = Some(ago(12));
    inputs.self_assessments[0].verified = 9;
    inputs.self_assessments[0].answered = 15;
    // 0.5 × 0.6 + 0.3 × 0.5 = 0.45.
    let s = score(&inputs, &p);
    assert_eq!((s.confidence_ppm, s.tier), (450_000, Tier::B));
    inputs.first_declaration = Some(ago(18));
    // 0.3 + 0.3 × 0.75 = 0.525.
    assert_eq!(score(&inputs, &p).confidence_ppm, 525_000);
    inputs.self_assessments[0].verified = 12;
    // 0.4 + 0.225 = 0.625 ≥ 0.6.
    let s = score(&inputs, &p);
    assert_eq!((s.confidence_ppm, s.tier), (625_000, Tier::A));
    // Exactly 0.6 is enough: 0.5 × 1 + 0.3 × 8/24.
    inputs.self_assessments[0].verified = 15;
    inputs.first_declaration = Some(ago(8));
    let s = score(&inputs, &p);
    assert_eq!((s.confidence_ppm, s.tier), (600_000, Tier::A));
    // The cap only touches A: a B trader with low confidence stays B by band.
    let mut low = plain(7500);
    low.first_declaration = None;
    let s = score(&low, &p);
    assert_eq!((s.tier, s.tier_rule), (Tier::B, TierRule::Band));
}

#[test]
fn stability_rules() {
    let p = Params::v1();
    let month = 24_330;
    let at = |raw, published, m| Snapshot { month: m, raw, published };
    let b_score = score(&plain(7500), &p);
    let c_score = score(&plain(6000), &p);
    let a_score = score(&plain(9000), &p);
    let mut gated = plain(9000);
    gated.refusals.push(ControlCaseId::new(1));
    let gated = score(&gated, &p);

    // First publication: the raw tier (not A).
    assert_eq!(decide(&[], &c_score, Trigger::Snapshot { month }, false).published, Tier::C);
    // Upgrade C → B needs the previous snapshot at B or better too.
    let once = [at(Tier::C, Tier::C, month - 1)];
    let d = decide(&once, &b_score, Trigger::Snapshot { month }, false);
    assert_eq!((d.published, d.change), (Tier::C, Change::Unchanged));
    assert!(d.pending.expect("B pending").second_snapshot);
    let twice = [at(Tier::C, Tier::C, month - 2), at(Tier::B, Tier::C, month - 1)];
    let d = decide(&twice, &b_score, Trigger::Snapshot { month }, false);
    assert_eq!((d.published, d.change, d.pending), (Tier::B, Change::Upgrade, None));
    // Not consecutive: a gap month restarts the count.
    let gap = [at(Tier::B, Tier::C, month - 2)];
    assert_eq!(decide(&gap, &b_score, Trigger::Snapshot { month }, false).published, Tier::C);
    // Raw A after raw B: the worse of the two (B) is granted, A still pending.
    let d = decide(&[at(Tier::B, Tier::C, month - 1)], &a_score, Trigger::Snapshot { month }, false);
    assert_eq!(d.published, Tier::B);
    let pending = d.pending.expect("A pending");
    assert!(pending.second_snapshot && pending.confirmation);
    // A trader that held A before needs no new confirmation.
    let held = [at(Tier::A, Tier::A, month - 3), at(Tier::A, Tier::B, month - 2), at(Tier::A, Tier::B, month - 1)];
    let d = decide(&held, &a_score, Trigger::Snapshot { month }, false);
    assert_eq!((d.published, d.change), (Tier::A, Change::Upgrade));
    // Other downgrades wait for the monthly snapshot, then apply at once.
    let at_b = [at(Tier::B, Tier::B, month - 1)];
    let d = decide(&at_b, &c_score, Trigger::Recompute, false);
    assert_eq!((d.published, d.change), (Tier::B, Change::Unchanged));
    let d = decide(&at_b, &c_score, Trigger::Snapshot { month }, false);
    assert_eq!((d.published, d.change), (Tier::C, Change::Downgrade));
    // Gates downgrade at once, even between snapshots.
    let d = decide(&at_b, &gated, Trigger::Recompute, false);
    assert_eq!((d.published, d.change), (Tier::E, Change::GateDowngrade));
    // A recompute never upgrades.
    let d = decide(&at_b, &a_score, Trigger::Recompute, false);
    assert_eq!((d.published, d.change), (Tier::B, Change::Unchanged));
    assert_eq!(month_index(day(2026, 12, 1)), 2026 * 12 + 11);
}

#[test]
fn impact_preview_counts_traders_per_movement() {
    let v1 = Params::v1();
    let mut v2 = Params::v1();
    v2.version = "score-v2".into();
    v2.tiers.a_min_bp = 8800;
    v2.tiers.c_min_bp = 6000;
    let traders: Vec<(u32, Inputs)> =
        [9000, 8600, 8700, 5800, 5900, 7200].into_iter().map(|bp| (bp, plain(bp))).collect();
    let old: Vec<Score> = traders.iter().map(|(_, i)| score(i, &v1)).collect();
    let new: Vec<Score> = traders.iter().map(|(_, i)| score(i, &v2)).collect();
    let preview = impact(traders.iter().zip(old.iter().zip(&new)).map(|((bp, _), (o, n))| (*bp, o, n)));
    assert_eq!((preview.traders, preview.changed, preview.upgrades, preview.downgrades), (6, 4, 0, 4));
    assert_eq!(preview.moves.len(), 2);
    assert_eq!((preview.moves[0].from, preview.moves[0].to, preview.moves[0].count), (Tier::A, Tier::B, 2));
    assert_eq!((preview.moves[1].from, preview.moves[1].to, preview.moves[1].count), (Tier::C, Tier::D, 2));
    assert_eq!(preview.before, [3, 1, 2, 0, 0]);
    assert_eq!(preview.after, [1, 3, 0, 2, 0]);
    let movers: BTreeSet<u32> = preview.movers.iter().map(|m| m.trader).collect();
    assert_eq!(movers, BTreeSet::from([8600, 8700, 5800, 5900]));
}

#[test]
fn rule_ids_are_unique_and_stable() {
    let rules = [
        Rule::SaBase,
        Rule::SaNone,
        Rule::SaMean,
        Rule::Ops,
        Rule::OpsNone,
        Rule::Base,
        Rule::FindingDeduction,
        Rule::FindingExpired,
        Rule::FindingIntentional,
        Rule::DeductionCap,
        Rule::DisclosureBonus,
        Rule::DisclosureCap,
        Rule::AeoBonus,
        Rule::CertificationBonus,
        Rule::CertificationCap,
        Rule::BonusCap,
    ];
    let codes: BTreeSet<&str> = rules.iter().map(|r| r.code()).collect();
    assert_eq!(codes.len(), rules.len());
    let docs = include_str!("../../../docs/scoring-model.md");
    for code in codes.iter().copied().chain(["G1", "G2", "G3", "G4", "BAND", "GATE", "C-CAP"]).chain(
        [
            Action::VerifyFindingRemediation,
            Action::VerifyDisclosureRemediation,
            Action::PayOverdueDebts,
            Action::RefreshSelfAssessment,
            Action::VerifyAnswers,
        ]
        .map(Action::code),
    ) {
        assert!(docs.contains(&format!("`{code}`")), "docs/scoring-model.md documents {code}");
    }
}
