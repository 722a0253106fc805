//! SQL for the review queue and answer verdicts.

use super::api::{QueueItem, ReviewEntry};
use crate::domain::assessment::AssessmentStatus;
use crate::domain::scoring::Verification;
use sqlx::{AnyConnection, AnyPool, Row};
use std::collections::{BTreeMap, BTreeSet};

fn verification_code(v: Verification) -> &'static str {
    match v {
        Verification::Verified => "verified",
        Verification::Rejected => "rejected",
        Verification::InfoRequested | Verification::Unverified => "info_requested",
    }
}

fn verification_from(code: &str) -> Verification {
    match code {
        "verified" => Verification::Verified,
        "rejected" => Verification::Rejected,
        _ => Verification::InfoRequested,
    }
}

/// Submitted and later assessments, oldest change first, filtered.
pub async fn queue(
    pool: &AnyPool,
    status: Option<&str>,
    template: Option<&str>,
    trader: Option<&str>,
    submitted_before: Option<i64>,
) -> Result<Vec<QueueItem>, sqlx::Error> {
    let trader_pattern = trader.map(crate::domain::text::contains_pattern);
    let rows = sqlx::query(
        "SELECT a.id, o.legal_name, o.identifier, t.code, t.version, a.status, a.updated_at, u.name AS reviewer, \
                (SELECT MAX(s.submitted_at) FROM submissions s WHERE s.assessment_id = a.id) AS submitted_at \
         FROM assessments a JOIN organisations o ON o.id = a.organisation_id JOIN templates t ON t.id = a.template_id \
         LEFT JOIN users u ON u.id = a.reviewer_id \
         WHERE a.status <> 'draft' AND a.status <> 'withdrawn' \
           AND ($1 IS NULL OR a.status = $1) AND ($2 IS NULL OR t.code = $2) \
           AND ($3 IS NULL OR o.legal_name_folded LIKE $3 ESCAPE '\\' OR LOWER(o.identifier) LIKE $3 ESCAPE '\\') \
           AND ($4 IS NULL OR (SELECT MAX(s.submitted_at) FROM submissions s WHERE s.assessment_id = a.id) <= $4) \
         ORDER BY a.updated_at ASC LIMIT 500",
    )
    .bind(status.map(str::to_owned))
    .bind(template.map(str::to_owned))
    .bind(trader_pattern)
    .bind(submitted_before)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            let status: String = r.try_get("status")?;
            Ok(QueueItem {
                id: r.try_get("id")?,
                organisation: r.try_get("legal_name")?,
                identifier: r.try_get("identifier")?,
                template: format!("{} {}", r.try_get::<String, _>("code")?, r.try_get::<String, _>("version")?),
                status: AssessmentStatus::from_code(&status).ok_or_else(|| sqlx::Error::Protocol(status.clone()))?,
                submitted_at: r.try_get("submitted_at")?,
                updated_at: r.try_get("updated_at")?,
                reviewer: r.try_get("reviewer")?,
                waiting_days: None,
            })
        })
        .collect()
}

/// The verdicts on an assessment's answers.
pub async fn reviews(
    conn: &mut AnyConnection,
    assessment_id: i64,
) -> Result<BTreeMap<String, ReviewEntry>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT r.question_key, r.verification, r.override_credit, r.reason, u.name, r.reviewed_at FROM answer_reviews r \
         JOIN users u ON u.id = r.reviewer_id WHERE r.assessment_id = $1",
    )
    .bind(assessment_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            let code: String = r.try_get("verification")?;
            let credit: Option<i64> = r.try_get("override_credit")?;
            Ok((
                r.try_get("question_key")?,
                ReviewEntry {
                    verification: verification_from(&code),
                    override_credit: credit.and_then(|c| u16::try_from(c).ok()),
                    reason: r.try_get("reason")?,
                    reviewer: r.try_get("name")?,
                    reviewed_at: r.try_get("reviewed_at")?,
                },
            ))
        })
        .collect()
}

/// The questions currently reopened for the trader.
pub async fn reopened(conn: &mut AnyConnection, assessment_id: i64) -> Result<BTreeSet<String>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT question_key FROM answer_reviews WHERE assessment_id = $1 AND verification = 'info_requested'",
    )
    .bind(assessment_id)
    .fetch_all(conn)
    .await?;
    rows.iter().map(|r| r.try_get("question_key")).collect()
}

/// Records or replaces the verdict on one answer.
#[expect(clippy::too_many_arguments, reason = "one bound parameter per column of the verdict")]
pub async fn put_review(
    conn: &mut AnyConnection,
    assessment_id: i64,
    question: &str,
    verification: Verification,
    override_credit: Option<u16>,
    reason: Option<&str>,
    reviewer: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO answer_reviews (assessment_id, question_key, verification, override_credit, reason, reviewer_id, reviewed_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (assessment_id, question_key) DO UPDATE SET \
         verification = $3, override_credit = $4, reason = $5, reviewer_id = $6, reviewed_at = $7",
    )
    .bind(assessment_id)
    .bind(question.to_owned())
    .bind(verification_code(verification))
    .bind(override_credit.map(i64::from))
    .bind(reason.map(str::to_owned))
    .bind(reviewer)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Takes a submitted assessment for review (compare-and-set).
pub async fn assign(conn: &mut AnyConnection, id: i64, reviewer: i64, now: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE assessments SET status = 'under_review', reviewer_id = $1, updated_at = $2 WHERE id = $3 AND status = 'submitted'",
    )
    .bind(reviewer)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Finishes a review: freezes the score (compare-and-set on the status).
pub async fn finish(
    conn: &mut AnyConnection,
    id: i64,
    score_bp: Option<i64>,
    score_json: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE assessments SET status = 'reviewed', score_bp = $1, score_json = $2, reviewed_at = $3, updated_at = $3 \
         WHERE id = $4 AND status = 'under_review'",
    )
    .bind(score_bp)
    .bind(score_json.to_owned())
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The canonical content of the latest two submissions of an assessment, newest first, as
/// (submission number, content).
pub async fn last_two_submissions(pool: &AnyPool, assessment_id: i64) -> Result<Vec<(String, String)>, sqlx::Error> {
    let rows = sqlx::query("SELECT number, content FROM submissions WHERE assessment_id = $1 ORDER BY id DESC LIMIT 2")
        .bind(assessment_id)
        .fetch_all(pool)
        .await?;
    rows.iter().map(|r| Ok((r.try_get("number")?, r.try_get("content")?))).collect()
}
