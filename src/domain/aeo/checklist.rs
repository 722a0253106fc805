//! The condition checklist of an application, pre-filled from the trader's submitted T2 AEO
//! readiness self-assessment: per condition of the chosen certificate type, the mapped questions
//! with their answers summarised, whether evidence was attached and whether customs verified it in
//! the T2 review, and a suggested state the trader then confirms or explains.
//!
//! "Ask once": a condition whose mapped answers customs already verified in the T2 review counts
//! as evidenced; the trader is not asked to upload the same documents again.

use super::config::CertificateType;
use crate::domain::answer::{Answer, Answers, visible};
use crate::domain::questionnaire::{FULL, Template};
use crate::domain::scoring::{Review, Verification, base_credit};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The submitted T2 response the checklist is pre-filled from (as the review left it).
#[derive(Debug, Clone, Copy)]
pub struct T2Response<'a> {
    /// The template version it answers.
    pub template: &'a Template,
    /// Its answers.
    pub answers: &'a Answers,
    /// Evidence files per question key.
    pub evidence: &'a BTreeMap<String, u32>,
    /// The officer's verdicts per question key (empty before the review).
    pub reviews: &'a BTreeMap<String, Review>,
}

/// One mapped question as the T2 response has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionCheck {
    /// The question key.
    pub question: String,
    /// Whether the response's template version has this question at all.
    pub in_template: bool,
    /// Whether it was shown given the answers (section 6 is hidden for a type 1 applicant).
    pub shown: bool,
    /// The answer, summarised (`Answer::summary`), when there is one.
    pub answer: Option<String>,
    /// Whether the answer earns full credit (a weight-0 question, informational, always does
    /// when answered).
    pub full_credit: bool,
    /// Evidence files attached to it.
    pub files: u32,
    /// The officer's verdict in the T2 review.
    pub verification: Verification,
}

impl QuestionCheck {
    /// Whether the question speaks to the condition in this response (it exists and was shown).
    pub fn relevant(&self) -> bool {
        self.in_template && self.shown
    }
}

/// What evidence the T2 response already holds for a condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EvidenceState {
    /// Every mapped answer was verified by customs in the T2 review: evidenced, no new upload.
    VerifiedInReview,
    /// Files are attached to a mapped question, not (all) verified yet.
    Attached,
    /// Nothing yet: the trader uploads evidence with the application.
    Missing,
}

/// What Senim suggests for a condition; the trader confirms it or explains.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Suggestion {
    /// Every mapped answer is given, earns full credit and was not rejected.
    LikelyMet,
    /// Something is missing, partial, not applicable or rejected, or no question maps to the
    /// condition: the trader explains.
    NeedsExplanation,
}

impl Suggestion {
    /// Every suggestion.
    pub const ALL: [Suggestion; 2] = [Self::LikelyMet, Self::NeedsExplanation];

    /// Storage code.
    pub const fn code(self) -> &'static str {
        match self {
            Self::LikelyMet => "likely_met",
            Self::NeedsExplanation => "needs_explanation",
        }
    }

    /// Reads a storage code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// The examining officer's verdict on one condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    /// The condition is met.
    Met,
    /// It is not (the reason is kept with the verdict).
    NotMet,
}

impl Verdict {
    /// Both verdicts.
    pub const ALL: [Verdict; 2] = [Self::Met, Self::NotMet];

    /// Storage and form code.
    pub const fn code(self) -> &'static str {
        match self {
            Self::Met => "met",
            Self::NotMet => "not_met",
        }
    }

    /// Reads a code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.code() == code)
    }
}

/// Why the examination's verdicts do not support an intended or proposed outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerdictGap {
    /// A condition has no verdict yet: every condition is examined before customs says what it
    /// intends to decide.
    Missing,
    /// A plain grant while a condition is not met: refuse, or grant with conditions.
    NotAllMet,
}

/// Whether the verdicts on the conditions of the certificate type (one entry per condition, `None`
/// where no verdict is recorded) support announcing or proposing `outcome`.
pub fn supports(outcome: super::Outcome, verdicts: &[Option<Verdict>]) -> Result<(), VerdictGap> {
    if verdicts.iter().any(Option::is_none) {
        return Err(VerdictGap::Missing);
    }
    if outcome == super::Outcome::Grant && verdicts.contains(&Some(Verdict::NotMet)) {
        return Err(VerdictGap::NotAllMet);
    }
    Ok(())
}

/// One pre-filled condition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConditionCheck {
    /// The condition key.
    pub condition: String,
    /// Its mapped questions, in configuration order.
    pub questions: Vec<QuestionCheck>,
    /// The evidence already held.
    pub evidence: EvidenceState,
    /// The suggested state.
    pub suggestion: Suggestion,
}

impl ConditionCheck {
    /// Whether the trader still has to upload evidence for it ("ask once": not when customs already
    /// verified it).
    pub fn needs_upload(&self) -> bool {
        self.evidence != EvidenceState::VerifiedInReview
    }
}

/// The checklist of `ty` pre-filled from `t2`, one entry per condition in configuration order.
pub fn prefill(ty: &CertificateType, t2: T2Response<'_>) -> Vec<ConditionCheck> {
    let shown = visible(t2.template, t2.answers);
    ty.conditions
        .iter()
        .map(|condition| {
            let questions: Vec<QuestionCheck> =
                condition.questions.iter().map(|key| question_check(key, t2, shown.contains(key))).collect();
            let relevant: Vec<&QuestionCheck> = questions.iter().filter(|q| q.relevant()).collect();
            let evidence = if !relevant.is_empty()
                && relevant.iter().all(|q| q.answer.is_some() && q.verification == Verification::Verified)
            {
                EvidenceState::VerifiedInReview
            } else if relevant.iter().any(|q| q.files > 0) {
                EvidenceState::Attached
            } else {
                EvidenceState::Missing
            };
            let not_applicable =
                |q: &QuestionCheck| matches!(t2.answers.get(&q.question), Some(Answer::NotApplicable(_)));
            let met = !relevant.is_empty()
                && relevant.iter().all(|q| {
                    q.answer.is_some()
                        && q.full_credit
                        && q.verification != Verification::Rejected
                        && !not_applicable(q)
                });
            ConditionCheck {
                condition: condition.key.clone(),
                questions,
                evidence,
                suggestion: if met { Suggestion::LikelyMet } else { Suggestion::NeedsExplanation },
            }
        })
        .collect()
}

fn question_check(key: &str, t2: T2Response<'_>, shown: bool) -> QuestionCheck {
    let question = t2.template.question(key);
    let answer = t2.answers.get(key);
    let review = t2.reviews.get(key).copied().unwrap_or_default();
    let full_credit = match (question, answer) {
        // An officer's override replaces the computed credit, as in the score.
        (Some(_), Some(_)) if review.override_credit.is_some() => review.override_credit == Some(FULL),
        (Some(q), Some(a)) => q.weight == 0 || base_credit(q, a) >= FULL,
        _ => false,
    };
    QuestionCheck {
        question: key.to_owned(),
        in_template: question.is_some(),
        shown: question.is_some() && shown,
        answer: answer.map(Answer::summary),
        full_credit,
        files: t2.evidence.get(key).copied().unwrap_or(0),
        verification: review.verification,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::aeo::config::Condition;
    use crate::domain::questionnaire::tests::{choice, question, section, template};
    use crate::domain::questionnaire::{AnswerKind, Band, Clause, Combine, I18nText};

    #[test]
    fn a_proposal_needs_every_verdict_and_a_plain_grant_every_condition_met() {
        use crate::domain::aeo::Outcome;
        let (met, not) = (Some(Verdict::Met), Some(Verdict::NotMet));
        for outcome in [Outcome::Grant, Outcome::GrantWithConditions, Outcome::Refuse] {
            assert_eq!(supports(outcome, &[met, None]), Err(VerdictGap::Missing), "{outcome:?}");
            assert_eq!(supports(outcome, &[met, met]), Ok(()), "{outcome:?}");
        }
        assert_eq!(supports(Outcome::Grant, &[met, not]), Err(VerdictGap::NotAllMet));
        assert_eq!(supports(Outcome::GrantWithConditions, &[met, not]), Ok(()));
        assert_eq!(supports(Outcome::Refuse, &[not, not]), Ok(()));
    }

    /// A small T2: activity years (3 for full credit), net assets yes/no, a security form, and a
    /// premises question shown only for type 2.
    fn t2() -> Template {
        let years = question(
            "1.1",
            AnswerKind::Integer { min: Some(0), max: Some(100_000), bands: vec![Band { min: 3000, credit: FULL }] },
            3,
        );
        let ty = question(
            "1.0",
            AnswerKind::SingleChoice { options: vec![choice("type1", FULL), choice("type2", FULL)] },
            0,
        );
        let assets = question("4.2", AnswerKind::YesNo, 4);
        let form = question(
            "4.3",
            AnswerKind::SingleChoice { options: vec![choice("bank_guarantee", FULL), choice("not_arranged", 0)] },
            4,
        );
        let mut premises = question("6.1", AnswerKind::YesNo, 4);
        premises.show_if = Some(crate::domain::questionnaire::Condition {
            combine: Combine::Any,
            clauses: vec![Clause { question: "1.0".into(), equals: "type2".into() }],
        });
        template(vec![
            section("1", 10, vec![ty, years]),
            section("4", 10, vec![assets, form]),
            section("6", 10, vec![premises]),
        ])
    }

    fn condition(key: &str, questions: &[&str]) -> Condition {
        Condition {
            key: key.into(),
            label: I18nText::default(),
            legal_reference: String::new(),
            questions: questions.iter().map(|q| (*q).to_owned()).collect(),
        }
    }

    fn type_with(conditions: Vec<Condition>) -> CertificateType {
        CertificateType {
            key: "type1".into(),
            number: "1".into(),
            label: I18nText::default(),
            legal_reference: String::new(),
            min_years_activity: 3,
            min_security: None,
            conditions,
        }
    }

    fn verified() -> Review {
        Review { verification: Verification::Verified, override_credit: None }
    }

    #[test]
    fn conditions_verified_in_the_t2_review_need_no_new_upload() {
        let template = t2();
        let answers: Answers = [
            ("1.0".to_owned(), Answer::Choice("type1".into())),
            ("1.1".to_owned(), Answer::Number(5000)),
            ("4.2".to_owned(), Answer::Yes),
            ("4.3".to_owned(), Answer::Choice("bank_guarantee".into())),
        ]
        .into();
        let evidence: BTreeMap<String, u32> = [("4.2".to_owned(), 2), ("4.3".to_owned(), 1)].into();
        let reviews: BTreeMap<String, Review> = [("1.1".to_owned(), verified()), ("4.2".to_owned(), verified())].into();
        let ty = type_with(vec![
            condition("activity", &["1.1"]),
            condition("financial_stability", &["4.2"]),
            condition("security", &["4.3"]),
            condition("premises", &["6.1"]),
            condition("criminal_record", &[]),
        ]);
        let t2 = T2Response { template: &template, answers: &answers, evidence: &evidence, reviews: &reviews };
        let list = prefill(&ty, t2);
        let states: Vec<_> = list.iter().map(|c| (c.condition.as_str(), c.evidence, c.suggestion)).collect();
        assert_eq!(
            states,
            [
                // Verified without a file (the officer checked the register): still asked once only.
                ("activity", EvidenceState::VerifiedInReview, Suggestion::LikelyMet),
                ("financial_stability", EvidenceState::VerifiedInReview, Suggestion::LikelyMet),
                ("security", EvidenceState::Attached, Suggestion::LikelyMet),
                // Hidden for a type 1 applicant: nothing to go on.
                ("premises", EvidenceState::Missing, Suggestion::NeedsExplanation),
                ("criminal_record", EvidenceState::Missing, Suggestion::NeedsExplanation),
            ]
        );
        assert!(!list[0].needs_upload() && list[2].needs_upload());
        assert_eq!(list[0].questions[0].answer.as_deref(), Some("5"));
        assert_eq!(list[2].questions[0].files, 1);
        assert!(!list[3].questions[0].shown && list[3].questions[0].in_template);
    }

    #[test]
    fn partial_rejected_missing_and_unknown_answers_need_an_explanation() {
        let template = t2();
        let answers: Answers = [
            ("1.0".to_owned(), Answer::Choice("type2".into())),
            ("1.1".to_owned(), Answer::Number(2000)),
            ("4.2".to_owned(), Answer::Yes),
            ("4.3".to_owned(), Answer::Choice("not_arranged".into())),
        ]
        .into();
        let reviews: BTreeMap<String, Review> = [
            ("4.2".to_owned(), Review { verification: Verification::Rejected, override_credit: None }),
            ("1.1".to_owned(), verified()),
        ]
        .into();
        let ty = type_with(vec![
            condition("activity", &["1.1"]),
            condition("financial_stability", &["4.2"]),
            condition("security", &["4.3"]),
            // Shown for type 2, but not answered yet.
            condition("premises", &["6.1"]),
            // A question the template version does not have.
            condition("vehicles", &["6.9"]),
            condition("mixed", &["1.1", "4.2"]),
        ]);
        let none = BTreeMap::new();
        let t2 = T2Response { template: &template, answers: &answers, evidence: &none, reviews: &reviews };
        let list = prefill(&ty, t2);
        assert!(list.iter().all(|c| c.suggestion == Suggestion::NeedsExplanation), "{list:#?}");
        // Two years verified by customs: evidenced, yet short of the three the condition needs.
        assert_eq!(list[0].evidence, EvidenceState::VerifiedInReview);
        assert!(!list[0].questions[0].full_credit);
        assert_eq!(list[1].evidence, EvidenceState::Missing, "a rejected answer is not verified");
        assert!(list[3].questions[0].shown && list[3].questions[0].answer.is_none());
        assert!(!list[4].questions[0].in_template);
        assert_eq!(list[5].evidence, EvidenceState::Missing, "one of two verified is not all");
    }

    #[test]
    fn an_officer_override_and_not_applicable_answers_decide_the_suggestion() {
        let template = t2();
        let answers: Answers = [
            ("1.0".to_owned(), Answer::Choice("type1".into())),
            ("1.1".to_owned(), Answer::Number(2000)),
            ("4.2".to_owned(), Answer::NotApplicable(Some("new company".into()))),
        ]
        .into();
        let reviews: BTreeMap<String, Review> =
            [("1.1".to_owned(), Review { verification: Verification::Verified, override_credit: Some(FULL) })].into();
        let ty = type_with(vec![condition("activity", &["1.1"]), condition("financial_stability", &["4.2"])]);
        let none = BTreeMap::new();
        let list =
            prefill(&ty, T2Response { template: &template, answers: &answers, evidence: &none, reviews: &reviews });
        assert_eq!(list[0].suggestion, Suggestion::LikelyMet, "the officer credited the carrier's two years");
        assert_eq!(list[1].suggestion, Suggestion::NeedsExplanation);
        for s in Suggestion::ALL {
            assert_eq!(Suggestion::from_code(s.code()), Some(s));
        }
        for v in Verdict::ALL {
            assert_eq!(Verdict::from_code(v.code()), Some(v));
        }
    }
}
