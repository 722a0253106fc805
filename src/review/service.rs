//! Review use cases: they check and shape what an officer asks for and leave every write to the
//! assessment feature, which owns the assessment, its answers, verdicts and score (each change one
//! transaction with its audit event, status checked under the write's lock).

use super::api::{QueueItem, Resubmission, ReviewView};
use crate::assessment::AssessmentSummary;
use crate::assessment::service as assessments;
use crate::auth::Actor;
use crate::domain::answer::{Answers, progress};
use crate::domain::assessment::AssessmentStatus;
use crate::domain::id::AssessmentId;
use crate::domain::revision::{changes, evidence_added};
use crate::domain::role::Access;
use crate::domain::scoring::{Review, Verification, score};
use crate::domain::validation::{Collector, ErrorCode};
use crate::error::AppError;
use crate::server::{db::now, state::AppState};
use std::collections::BTreeMap;

/// The filtered queue.
pub async fn queue(
    state: &AppState,
    status: &str,
    template: &str,
    trader: &str,
    age: &str,
) -> Result<Vec<QueueItem>, AppError> {
    let status = match status.trim() {
        "" => None,
        code => Some(
            AssessmentStatus::from_code(code)
                .ok_or_else(|| AppError::invalid("status", ErrorCode::InvalidChoice))?
                .code(),
        ),
    };
    let template =
        crate::domain::text::clean_optional(template, 32, false).map_err(|c| AppError::invalid("template", c))?;
    let trader = crate::domain::text::clean_optional(trader, 100, false).map_err(|c| AppError::invalid("trader", c))?;
    let age_days = match age.trim() {
        "" => None,
        raw => Some(
            raw.parse::<i64>()
                .ok()
                .filter(|d| (0..=3650).contains(d))
                .ok_or_else(|| AppError::invalid("age", ErrorCode::InvalidChoice))?,
        ),
    };
    let now = now();
    let submitted_before = age_days.map(|d| now.plus_millis(-d * DAY_MS));
    let mut items = assessments::queue(state, status, template.as_deref(), trader.as_deref(), submitted_before).await?;
    for item in &mut items {
        item.waiting_days = item.submitted_at.map(|at| now.millis_since(at).max(0) / DAY_MS);
    }
    Ok(items)
}

const DAY_MS: i64 = 86_400_000;

fn submitted_content(content: &str) -> Option<(Answers, BTreeMap<String, Vec<String>>)> {
    let v: serde_json::Value = serde_json::from_str(content).ok()?;
    let answers: Answers = serde_json::from_value(v.get("answers")?.clone()).ok()?;
    let mut files: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in v.get("evidence")?.as_array()? {
        let question = f.get("question")?.as_str()?.to_owned();
        files.entry(question).or_default().push(f.get("sha256")?.as_str()?.to_owned());
    }
    Some((answers, files))
}

/// What changed between the two latest submissions, read from their stored canonical content.
async fn resubmission(state: &AppState, id: AssessmentId) -> Result<Option<Resubmission>, AppError> {
    let mut last = assessments::last_two_submissions(state, id).await?;
    let (Some((previous, before)), Some((latest, after))) = (last.pop(), last.pop()) else { return Ok(None) };
    let (Some(before), Some(after)) = (submitted_content(&before), submitted_content(&after)) else {
        return Err(crate::error::internal("submission content", &"unreadable canonical content"));
    };
    Ok(Some(Resubmission {
        previous,
        latest,
        changes: changes(&before.0, &after.0),
        evidence_added: evidence_added(&before.1, &after.1),
    }))
}

fn scoring_reviews(reviews: &BTreeMap<String, super::api::ReviewEntry>) -> BTreeMap<String, Review> {
    reviews
        .iter()
        .map(|(k, r)| (k.clone(), Review { verification: r.verification, override_credit: r.override_credit }))
        .collect()
}

/// The review page's data.
pub async fn view(state: &AppState, actor: &Actor, id: AssessmentId) -> Result<ReviewView, AppError> {
    let loaded = assessments::load_for_review(state, id).await?;
    let reviews = assessments::verdicts(state, id).await?;
    let answers: Answers = loaded.answers.iter().map(|(k, e)| (k.clone(), e.answer.clone())).collect();
    let prog = progress(&loaded.template.1, &answers);
    let summary = AssessmentSummary {
        id,
        template: format!("{} {}", loaded.template.0.code, loaded.template.0.version),
        title: loaded.template.1.title.clone(),
        status: loaded.row.status,
        answered: prog.iter().map(|p| p.answered).sum(),
        required: prog.iter().map(|p| p.required).sum(),
        due_at: loaded.row.due_at,
        issued_by: loaded.row.issued_by.clone(),
        overdue: crate::assessment::service::overdue(loaded.row.status, loaded.row.due_at, now()),
        updated_at: loaded.row.updated_at,
    };
    Ok(ReviewView {
        score: score(&loaded.template.1, &answers, &loaded.evidence_counts, &scoring_reviews(&reviews)),
        summary,
        organisation_id: loaded.row.organisation_id,
        organisation: loaded.row.organisation_name,
        template: crate::domain::questionnaire::Template::clone(&loaded.template.1),
        answers: loaded.answers,
        evidence: loaded.evidence,
        reviews,
        receipt: Some(loaded.receipt),
        can_decide: Access::REVIEWERS.allows(Some(actor.role)),
        resubmission: resubmission(state, id).await?,
    })
}

/// Takes a submitted assessment for review.
pub async fn assign(state: &AppState, actor: &Actor, id: AssessmentId) -> Result<(), AppError> {
    assessments::start_review(state, actor, id).await
}

/// Records a verdict on one answer of an assessment under review.
pub async fn decide(
    state: &AppState,
    actor: &Actor,
    id: AssessmentId,
    question: &str,
    decision: &str,
    raw_reason: &str,
    raw_credit: &str,
) -> Result<(), AppError> {
    let mut errors = Collector::default();
    let reason = errors.take("reason", crate::domain::text::clean_optional(raw_reason, 2000, true)).flatten();
    let (verification, credit) = match decision {
        "verify" => (Verification::Verified, None),
        "reject" => (Verification::Rejected, None),
        "request_info" => (Verification::InfoRequested, None),
        "override" => {
            let credit = errors.take("credit", crate::domain::answer::parse_thousandths(raw_credit, 3));
            if credit.is_some_and(|c| !(0..=1000).contains(&c)) {
                errors.push("credit", ErrorCode::NumberTooLarge);
            }
            (Verification::Verified, credit.and_then(|c| u16::try_from(c).ok()).filter(|c| *c <= 1000))
        }
        _ => {
            errors.push("decision", ErrorCode::InvalidChoice);
            (Verification::Unverified, None)
        }
    };
    if decision != "verify" && reason.is_none() {
        errors.push("reason", ErrorCode::Required);
    }
    errors.finish()?;
    let verdict = assessments::Verdict { verification, credit, reason: reason.as_deref(), decision };
    assessments::record_verdict(state, actor, id, question, verdict).await
}

/// Sends the answers marked "information requested" back to the trader.
pub async fn request_info(state: &AppState, actor: &Actor, id: AssessmentId) -> Result<(), AppError> {
    assessments::request_info(state, actor, id).await
}

/// Finishes the review: no answer may still await information; the score is computed with all
/// verdicts and frozen. Returns the score in basis points.
pub async fn finish(state: &AppState, actor: &Actor, id: AssessmentId) -> Result<u32, AppError> {
    assessments::finish_review(state, actor, id).await
}
