//! SQL for assessments, answers, submissions and the customs verdicts on answers. Trader reads filter on the organisation id from
//! the session; answer writes are compare-and-set on a per-answer version.

use super::api::{QueueItem, ReviewEntry, TraderAssessment};
use crate::domain::assessment::AssessmentStatus;
use crate::domain::id::{AssessmentId, EvidenceId, OrganisationId, TemplateId, UserId};
use crate::domain::scoring::Verification;
use crate::domain::time::Timestamp;
use sqlx::{AnyConnection, AnyPool, Row};
use std::collections::{BTreeMap, BTreeSet};

fn bp(raw: Option<i64>) -> Option<u32> {
    raw.and_then(|v| u32::try_from(v).ok())
}

/// An assessment row.
pub struct AssessmentRow {
    /// Id.
    pub id: AssessmentId,
    /// Organisation id.
    pub organisation_id: OrganisationId,
    /// Organisation name.
    pub organisation_name: String,
    /// Template version.
    pub template_id: TemplateId,
    /// Status.
    pub status: AssessmentStatus,
    /// Due date, when issued by customs.
    pub due_at: Option<Timestamp>,
    /// The officer who issued it, if customs did.
    pub issued_by: Option<String>,
    /// Last change.
    pub updated_at: Timestamp,
}

fn row_from(r: &sqlx::any::AnyRow) -> Result<AssessmentRow, sqlx::Error> {
    let status: String = r.try_get("status")?;
    Ok(AssessmentRow {
        id: r.try_get("id")?,
        organisation_id: r.try_get("organisation_id")?,
        organisation_name: r.try_get("legal_name")?,
        template_id: r.try_get("template_id")?,
        status: AssessmentStatus::from_code(&status)
            .ok_or_else(|| sqlx::Error::Protocol(format!("status {status}")))?,
        due_at: r.try_get("due_at")?,
        issued_by: r.try_get("issuer")?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// Creates a draft assessment.
pub async fn insert(
    conn: &mut AnyConnection,
    organisation_id: OrganisationId,
    template_id: TemplateId,
    created_by: UserId,
    now: Timestamp,
) -> Result<AssessmentId, sqlx::Error> {
    sqlx::query(
        "INSERT INTO assessments (organisation_id, template_id, status, created_by, created_at, updated_at) \
         VALUES ($1, $2, 'draft', $3, $4, $4) RETURNING id",
    )
    .bind(organisation_id)
    .bind(template_id)
    .bind(created_by)
    .bind(now)
    .fetch_one(conn)
    .await?
    .try_get("id")
}

/// Inside a write transaction: locks one assessment row until commit and returns its status and
/// template version, or `None` when there is no such assessment (of that organisation, when one is
/// given). PostgreSQL holds the row lock, so a concurrent write of the same assessment waits and
/// then sees the committed status; on SQLite the transaction already holds the database's write
/// lock. Every status check that protects a write is made on this answer, never on a read taken
/// before the transaction began.
pub async fn lock(
    conn: &mut AnyConnection,
    id: AssessmentId,
    organisation_id: Option<OrganisationId>,
) -> Result<Option<(AssessmentStatus, TemplateId)>, sqlx::Error> {
    let row = match organisation_id {
        Some(org) => {
            sqlx::query(
                "UPDATE assessments SET status = status WHERE id = $1 AND organisation_id = $2 \
                 RETURNING status, template_id",
            )
            .bind(id)
            .bind(org)
            .fetch_optional(conn)
            .await?
        }
        None => {
            sqlx::query("UPDATE assessments SET status = status WHERE id = $1 RETURNING status, template_id")
                .bind(id)
                .fetch_optional(conn)
                .await?
        }
    };
    locked(row)
}

/// The status and template version a locking statement returned, shared by [`lock`] and
/// [`lock_touching`].
fn locked(row: Option<sqlx::any::AnyRow>) -> Result<Option<(AssessmentStatus, TemplateId)>, sqlx::Error> {
    row.map(|r| {
        let status: String = r.try_get("status")?;
        let status =
            AssessmentStatus::from_code(&status).ok_or_else(|| sqlx::Error::Protocol(format!("status {status}")))?;
        Ok((status, r.try_get("template_id")?))
    })
    .transpose()
}

/// One assessment of one organisation (tenancy in the query).
pub async fn find_for_org(
    pool: &AnyPool,
    organisation_id: OrganisationId,
    id: AssessmentId,
) -> Result<Option<AssessmentRow>, sqlx::Error> {
    let sql = "SELECT a.id, a.organisation_id, o.legal_name, a.template_id, a.status, a.due_at, \
        i.name AS issuer, a.updated_at FROM assessments a JOIN organisations o ON o.id = a.organisation_id \
        LEFT JOIN users i ON i.id = a.issued_by WHERE a.id = $1 AND a.organisation_id = $2";
    let row = sqlx::query(sql).bind(id).bind(organisation_id).fetch_optional(pool).await?;
    row.as_ref().map(row_from).transpose()
}

/// One assessment of any organisation (customs review).
pub async fn find_any(pool: &AnyPool, id: AssessmentId) -> Result<Option<AssessmentRow>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT a.id, a.organisation_id, o.legal_name, a.template_id, a.status, a.due_at, i.name AS issuer, a.updated_at \
         FROM assessments a JOIN organisations o ON o.id = a.organisation_id LEFT JOIN users i ON i.id = a.issued_by \
         WHERE a.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    row.as_ref().map(row_from).transpose()
}

/// An organisation's assessments, newest first.
pub async fn list_for_org(pool: &AnyPool, organisation_id: OrganisationId) -> Result<Vec<AssessmentRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT a.id, a.organisation_id, o.legal_name, a.template_id, a.status, a.due_at, \
         i.name AS issuer, a.updated_at FROM assessments a JOIN organisations o ON o.id = a.organisation_id \
         LEFT JOIN users i ON i.id = a.issued_by WHERE a.organisation_id = $1 ORDER BY a.updated_at DESC",
    )
    .bind(organisation_id)
    .fetch_all(pool)
    .await?;
    rows.iter().map(row_from).collect()
}

/// A stored answer.
pub struct AnswerRow {
    /// Question key.
    pub key: String,
    /// The answer as JSON.
    pub value: String,
    /// Per-answer version for compare-and-set.
    pub version: i64,
    /// Who saved it last.
    pub updated_by: String,
    /// When.
    pub updated_at: Timestamp,
}

/// Every answer of an assessment.
pub async fn answers(conn: &mut AnyConnection, assessment_id: AssessmentId) -> Result<Vec<AnswerRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT a.question_key, a.value, a.version, u.name, a.updated_at FROM answers a \
         JOIN users u ON u.id = a.updated_by WHERE a.assessment_id = $1 ORDER BY a.question_key",
    )
    .bind(assessment_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(AnswerRow {
                key: r.try_get("question_key")?,
                value: r.try_get("value")?,
                version: r.try_get("version")?,
                updated_by: r.try_get("name")?,
                updated_at: r.try_get("updated_at")?,
            })
        })
        .collect()
}

/// Every answer of every assessment of an organisation, with its assessment id.
pub async fn answers_for_org(
    pool: &AnyPool,
    organisation_id: OrganisationId,
) -> Result<Vec<(AssessmentId, AnswerRow)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT a.assessment_id, a.question_key, a.value, a.version, u.name, a.updated_at FROM answers a \
         JOIN assessments s ON s.id = a.assessment_id JOIN users u ON u.id = a.updated_by \
         WHERE s.organisation_id = $1 ORDER BY a.assessment_id, a.question_key",
    )
    .bind(organisation_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("assessment_id")?,
                AnswerRow {
                    key: r.try_get("question_key")?,
                    value: r.try_get("value")?,
                    version: r.try_get("version")?,
                    updated_by: r.try_get("name")?,
                    updated_at: r.try_get("updated_at")?,
                },
            ))
        })
        .collect()
}

/// Stores a first answer (expected version 0) or replaces the answer at `expected` version.
/// Returns the version now stored, or `None` when someone else saved in between.
pub async fn put_answer(
    conn: &mut AnyConnection,
    assessment_id: AssessmentId,
    key: &str,
    value: &str,
    expected: i64,
    user_id: UserId,
    now: Timestamp,
) -> Result<Option<i64>, sqlx::Error> {
    let row = if expected == 0 {
        sqlx::query(
            "INSERT INTO answers (assessment_id, question_key, value, version, updated_by, updated_at) \
             VALUES ($1, $2, $3, 1, $4, $5) ON CONFLICT (assessment_id, question_key) DO NOTHING RETURNING version",
        )
        .bind(assessment_id)
        .bind(key.to_owned())
        .bind(value.to_owned())
        .bind(user_id)
        .bind(now)
        .fetch_optional(conn)
        .await?
    } else {
        sqlx::query(
            "UPDATE answers SET value = $1, version = version + 1, updated_by = $2, updated_at = $3 \
             WHERE assessment_id = $4 AND question_key = $5 AND version = $6 RETURNING version",
        )
        .bind(value.to_owned())
        .bind(user_id)
        .bind(now)
        .bind(assessment_id)
        .bind(key.to_owned())
        .bind(expected)
        .fetch_optional(conn)
        .await?
    };
    row.map(|r| r.try_get("version")).transpose()
}

/// Removes an answer at `expected` version (the user cleared it). Returns false on a conflict.
pub async fn clear_answer(
    conn: &mut AnyConnection,
    assessment_id: AssessmentId,
    key: &str,
    expected: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM answers WHERE assessment_id = $1 AND question_key = $2 AND version = $3")
        .bind(assessment_id)
        .bind(key.to_owned())
        .bind(expected)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Compare-and-set of the status; also stamps `updated_at`.
pub async fn set_status(
    conn: &mut AnyConnection,
    id: AssessmentId,
    from: AssessmentStatus,
    to: AssessmentStatus,
    now: Timestamp,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE assessments SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4")
        .bind(to.code())
        .bind(now)
        .bind(id)
        .bind(from.code())
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// [`lock`] for an edit by the organisation's own users, stamping `updated_at` in the same
/// statement (one statement fewer per autosave). The caller rolls back when nothing changed, so a
/// save that stores nothing leaves no trace.
pub async fn lock_touching(
    conn: &mut AnyConnection,
    id: AssessmentId,
    organisation_id: OrganisationId,
    now: Timestamp,
) -> Result<Option<(AssessmentStatus, TemplateId)>, sqlx::Error> {
    let row = sqlx::query(
        "UPDATE assessments SET updated_at = $1 WHERE id = $2 AND organisation_id = $3 RETURNING status, template_id",
    )
    .bind(now)
    .bind(id)
    .bind(organisation_id)
    .fetch_optional(conn)
    .await?;
    locked(row)
}

/// Marks activity on an assessment.
pub async fn touch(conn: &mut AnyConnection, id: AssessmentId, now: Timestamp) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE assessments SET updated_at = $1 WHERE id = $2").bind(now).bind(id).execute(conn).await?;
    Ok(())
}

/// How many times an assessment was submitted.
pub async fn count_submissions(conn: &mut AnyConnection, assessment_id: AssessmentId) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) AS n FROM submissions WHERE assessment_id = $1")
        .bind(assessment_id)
        .fetch_one(conn)
        .await?
        .try_get("n")
}

/// The assessment's receipts table (see `crate::receipt`).
pub const RECEIPTS: crate::receipt::ReceiptsTable = crate::receipts_table!("submissions", "assessment_id");

/// A stored evidence file without its content.
pub struct EvidenceRow {
    /// Id.
    pub id: EvidenceId,
    /// Question key.
    pub question_key: String,
    /// Display name.
    pub file_name: String,
    /// Media type.
    pub media_type: String,
    /// Size in bytes.
    pub size_bytes: i64,
    /// SHA-256 of the content.
    pub sha256: String,
    /// When it was uploaded (ms).
    pub uploaded_at: Timestamp,
}

/// A new evidence file.
pub struct NewEvidence<'a> {
    /// The assessment.
    pub assessment_id: AssessmentId,
    /// The question.
    pub question_key: &'a str,
    /// Display name.
    pub file_name: &'a str,
    /// Media type from content sniffing.
    pub media_type: &'a str,
    /// SHA-256 of the content.
    pub sha256: &'a str,
    /// The bytes.
    pub content: &'a [u8],
    /// Uploader.
    pub uploaded_by: UserId,
}

/// Stores an evidence file and returns its id.
pub async fn insert_evidence(
    conn: &mut AnyConnection,
    e: &NewEvidence<'_>,
    now: Timestamp,
) -> Result<EvidenceId, sqlx::Error> {
    sqlx::query(
        "INSERT INTO evidence (assessment_id, question_key, file_name, media_type, size_bytes, sha256, content, uploaded_by, uploaded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(e.assessment_id)
    .bind(e.question_key.to_owned())
    .bind(e.file_name.to_owned())
    .bind(e.media_type.to_owned())
    .bind(e.content.len() as i64)
    .bind(e.sha256.to_owned())
    .bind(e.content.to_vec())
    .bind(e.uploaded_by)
    .bind(now)
    .fetch_one(conn)
    .await?
    .try_get("id")
}

/// Whether a file with this SHA-256 is already attached to the question.
pub async fn evidence_attached(
    conn: &mut AnyConnection,
    assessment_id: AssessmentId,
    question_key: &str,
    sha256: &str,
) -> Result<bool, sqlx::Error> {
    let row = sqlx::query("SELECT id FROM evidence WHERE assessment_id = $1 AND question_key = $2 AND sha256 = $3")
        .bind(assessment_id)
        .bind(question_key.to_owned())
        .bind(sha256.to_owned())
        .fetch_optional(conn)
        .await?;
    Ok(row.is_some())
}

fn evidence_row(r: &sqlx::any::AnyRow) -> Result<EvidenceRow, sqlx::Error> {
    Ok(EvidenceRow {
        id: r.try_get("id")?,
        question_key: r.try_get("question_key")?,
        file_name: r.try_get("file_name")?,
        media_type: r.try_get("media_type")?,
        size_bytes: r.try_get("size_bytes")?,
        sha256: r.try_get("sha256")?,
        uploaded_at: r.try_get("uploaded_at")?,
    })
}

/// The evidence of an assessment, without contents.
pub async fn list_evidence(
    conn: impl sqlx::Executor<'_, Database = sqlx::Any>,
    assessment_id: AssessmentId,
) -> Result<Vec<EvidenceRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, question_key, file_name, media_type, size_bytes, sha256, uploaded_at FROM evidence \
         WHERE assessment_id = $1 ORDER BY id",
    )
    .bind(assessment_id)
    .fetch_all(conn)
    .await?;
    rows.iter().map(evidence_row).collect()
}

/// One evidence file with its content, if it belongs to `organisation_id` (or to anyone when
/// `organisation_id` is `None`, for customs staff).
pub async fn find_evidence(
    pool: &AnyPool,
    id: EvidenceId,
    organisation_id: Option<OrganisationId>,
) -> Result<Option<(EvidenceRow, Vec<u8>)>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT e.id, e.question_key, e.file_name, e.media_type, e.size_bytes, e.sha256, e.uploaded_at, e.content \
         FROM evidence e \
         JOIN assessments a ON a.id = e.assessment_id WHERE e.id = $1 AND ($2 IS NULL OR a.organisation_id = $2)",
    )
    .bind(id)
    .bind(organisation_id)
    .fetch_optional(pool)
    .await?;
    row.map(|r| Ok((evidence_row(&r)?, r.try_get("content")?))).transpose()
}

/// One evidence file as customs may see it: only files that were part of a submission (uploaded
/// before the assessment's latest submission). A draft's files, and files added while the trader
/// revises after an information request, stay with the trader until they are submitted.
pub async fn find_submitted_evidence(
    pool: &AnyPool,
    id: EvidenceId,
) -> Result<Option<(EvidenceRow, Vec<u8>)>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT e.id, e.question_key, e.file_name, e.media_type, e.size_bytes, e.sha256, e.uploaded_at, e.content \
         FROM evidence e WHERE e.id = $1 \
           AND e.uploaded_at <= (SELECT MAX(s.submitted_at) FROM submissions s WHERE s.assessment_id = e.assessment_id)",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    row.map(|r| Ok((evidence_row(&r)?, r.try_get("content")?))).transpose()
}

/// An organisation's assessments as customs may know them, newest first: those submitted at least
/// once and those customs issued. A draft the trader started itself stays its own working space.
pub async fn known_to_customs(
    pool: &AnyPool,
    organisation_id: OrganisationId,
) -> Result<Vec<TraderAssessment>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT a.id, t.code, t.version, a.status, i.name AS issuer, a.due_at, a.reviewed_at, a.score_bp, \
           (SELECT MAX(s.submitted_at) FROM submissions s WHERE s.assessment_id = a.id) AS submitted_at \
         FROM assessments a JOIN templates t ON t.id = a.template_id LEFT JOIN users i ON i.id = a.issued_by \
         WHERE a.organisation_id = $1 \
           AND (a.issued_by IS NOT NULL OR EXISTS (SELECT 1 FROM submissions s WHERE s.assessment_id = a.id)) \
         ORDER BY a.created_at DESC, a.id DESC",
    )
    .bind(organisation_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            let status: String = r.try_get("status")?;
            Ok(TraderAssessment {
                id: r.try_get("id")?,
                template: format!("{} {}", r.try_get::<String, _>("code")?, r.try_get::<String, _>("version")?),
                status: AssessmentStatus::from_code(&status).ok_or_else(|| sqlx::Error::Protocol(status.clone()))?,
                issued_by: r.try_get("issuer")?,
                due_at: r.try_get("due_at")?,
                submitted_at: r.try_get("submitted_at")?,
                reviewed_at: r.try_get("reviewed_at")?,
                score_bp: bp(r.try_get("score_bp")?),
            })
        })
        .collect()
}

/// An organisation's assessment of a template code that is not yet reviewed or withdrawn.
pub struct Open {
    pub id: AssessmentId,
    pub template_id: TemplateId,
    /// Issued by customs or submitted at least once; otherwise it is the trader's private draft.
    pub known_to_customs: bool,
}

/// The organisation's open assessment of template `code`, preferring one customs knows.
pub async fn open_of(
    conn: &mut AnyConnection,
    organisation_id: OrganisationId,
    code: &str,
) -> Result<Option<Open>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT a.id, a.template_id, \
           CAST(CASE WHEN a.issued_by IS NOT NULL \
                  OR EXISTS (SELECT 1 FROM submissions s WHERE s.assessment_id = a.id) THEN 1 ELSE 0 END AS BIGINT) AS known \
         FROM assessments a JOIN templates t ON t.id = a.template_id \
         WHERE a.organisation_id = $1 AND t.code = $2 AND a.status NOT IN ('reviewed', 'withdrawn') \
         ORDER BY known DESC, a.id DESC LIMIT 1",
    )
    .bind(organisation_id)
    .bind(code.to_owned())
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        Ok(Open {
            id: r.try_get("id")?,
            template_id: r.try_get("template_id")?,
            known_to_customs: r.try_get::<i64, _>("known")? == 1,
        })
    })
    .transpose()
}

/// Makes the trader's own draft the one customs issued (`issued_by`, `due_at`), keeping its
/// answers; only while it is still an unissued draft. Returns whether it was adopted.
pub async fn adopt_as_issued(
    conn: &mut AnyConnection,
    id: AssessmentId,
    issued_by: UserId,
    due_at: Timestamp,
    now: Timestamp,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE assessments SET issued_by = $2, due_at = $3, updated_at = $4 \
         WHERE id = $1 AND status = 'draft' AND issued_by IS NULL",
    )
    .bind(id)
    .bind(issued_by)
    .bind(due_at)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Creates a draft that customs issued to an organisation, with a due date.
pub async fn insert_issued(
    conn: &mut AnyConnection,
    organisation_id: OrganisationId,
    template_id: TemplateId,
    issued_by: UserId,
    due_at: Timestamp,
    now: Timestamp,
) -> Result<AssessmentId, sqlx::Error> {
    sqlx::query(
        "INSERT INTO assessments (organisation_id, template_id, status, issued_by, due_at, created_by, created_at, updated_at) \
         VALUES ($1, $2, 'draft', $3, $4, $3, $5, $5) RETURNING id",
    )
    .bind(organisation_id)
    .bind(template_id)
    .bind(issued_by)
    .bind(due_at)
    .bind(now)
    .fetch_one(conn)
    .await?
    .try_get("id")
}

/// Drafts (any organisation) on an older version of template `code` than `major.minor.patch`,
/// as (assessment id, template id).
pub async fn drafts_on_older_versions(
    conn: &mut AnyConnection,
    code: &str,
    (major, minor, patch): (i64, i64, i64),
) -> Result<Vec<(AssessmentId, TemplateId)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT a.id, a.template_id FROM assessments a JOIN templates t ON t.id = a.template_id \
         WHERE a.status = 'draft' AND t.code = $1 AND (t.version_major < $2 OR (t.version_major = $2 AND \
         (t.version_minor < $3 OR (t.version_minor = $3 AND t.version_patch < $4)))) ORDER BY a.id",
    )
    .bind(code.to_owned())
    .bind(major)
    .bind(minor)
    .bind(patch)
    .fetch_all(conn)
    .await?;
    rows.iter().map(|r| Ok((r.try_get("id")?, r.try_get("template_id")?))).collect()
}

/// Moves a draft to another template version (compare-and-set on status and template).
pub async fn move_to_template(
    conn: &mut AnyConnection,
    id: AssessmentId,
    from_template: TemplateId,
    to_template: TemplateId,
    now: Timestamp,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE assessments SET template_id = $1, updated_at = $2 WHERE id = $3 AND template_id = $4 AND status = 'draft'",
    )
    .bind(to_template)
    .bind(now)
    .bind(id)
    .bind(from_template)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Removes an answer whatever its version (used when it cannot be carried to a new version; the
/// value is kept in the carry report).
pub async fn drop_answer(conn: &mut AnyConnection, assessment_id: AssessmentId, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM answers WHERE assessment_id = $1 AND question_key = $2")
        .bind(assessment_id)
        .bind(key.to_owned())
        .execute(conn)
        .await?;
    Ok(())
}

/// Deletes an evidence file of an assessment unless it was part of a submission (uploaded no later
/// than the latest one). Returns whether it was deleted.
pub async fn delete_unsubmitted_evidence(
    conn: &mut AnyConnection,
    assessment_id: AssessmentId,
    evidence_id: EvidenceId,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM evidence WHERE id = $1 AND assessment_id = $2 AND uploaded_at > \
         COALESCE((SELECT MAX(s.submitted_at) FROM submissions s WHERE s.assessment_id = $2), -1)",
    )
    .bind(evidence_id)
    .bind(assessment_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Evidence ids and names of one question of an assessment.
pub async fn evidence_of_question(
    conn: &mut AnyConnection,
    assessment_id: AssessmentId,
    key: &str,
) -> Result<Vec<(EvidenceId, String)>, sqlx::Error> {
    let rows = sqlx::query("SELECT id, file_name FROM evidence WHERE assessment_id = $1 AND question_key = $2")
        .bind(assessment_id)
        .bind(key.to_owned())
        .fetch_all(conn)
        .await?;
    rows.iter().map(|r| Ok((r.try_get("id")?, r.try_get("file_name")?))).collect()
}

/// Deletes one evidence file of a draft (used when its question is no longer asked).
pub async fn delete_evidence(
    conn: &mut AnyConnection,
    assessment_id: AssessmentId,
    evidence_id: EvidenceId,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM evidence WHERE id = $1 AND assessment_id = $2")
        .bind(evidence_id)
        .bind(assessment_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Records that a draft moved to a newer template version; returns the move's id.
pub async fn insert_carry_move(
    conn: &mut AnyConnection,
    assessment_id: AssessmentId,
    (from_template_id, to_template_id): (TemplateId, TemplateId),
    carried: i64,
    now: Timestamp,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO carry_moves (assessment_id, from_template_id, to_template_id, carried, moved_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(assessment_id)
    .bind(from_template_id)
    .bind(to_template_id)
    .bind(carried)
    .bind(now)
    .fetch_one(conn)
    .await?
    .try_get("id")
}

/// Records something that could not be carried: `item` is `answer` (with `previous` the answer as
/// JSON) or `evidence` (with `previous` the file name); `reason` a
/// [`crate::domain::revision::NotCarriedReason`] code.
pub async fn insert_carry_report(
    conn: &mut AnyConnection,
    move_id: i64,
    question_key: &str,
    (item, reason): (&str, &str),
    previous: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO carry_reports (move_id, question_key, item, reason, previous) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(move_id)
    .bind(question_key.to_owned())
    .bind(item.to_owned())
    .bind(reason.to_owned())
    .bind(previous.to_owned())
    .execute(conn)
    .await?;
    Ok(())
}

/// One draft's move to a newer template version and what was left behind.
pub struct CarryMoveRow {
    /// The draft.
    pub assessment_id: AssessmentId,
    /// Its organisation's name.
    pub organisation: String,
    /// Version left.
    pub from_version: String,
    /// Version moved to.
    pub to_version: String,
    /// Answers carried.
    pub carried: i64,
    /// When (ms).
    pub moved_at: Timestamp,
    /// (question key, item, reason code, previous) of everything not carried.
    pub left: Vec<(String, String, String, String)>,
}

// One statement text for both readers, so they cannot drift apart.
macro_rules! carry_select {
    () => {
        "SELECT m.id, m.assessment_id, o.legal_name, f.version AS from_version, t.version AS to_version, m.carried, \
         m.moved_at, r.question_key, r.item, r.reason, r.previous FROM carry_moves m \
         JOIN assessments a ON a.id = m.assessment_id JOIN organisations o ON o.id = a.organisation_id \
         JOIN templates f ON f.id = m.from_template_id JOIN templates t ON t.id = m.to_template_id \
         LEFT JOIN carry_reports r ON r.move_id = m.id "
    };
}

fn group_moves(rows: &[sqlx::any::AnyRow]) -> Result<Vec<CarryMoveRow>, sqlx::Error> {
    let mut out: Vec<(i64, CarryMoveRow)> = Vec::new();
    for r in rows {
        let id: i64 = r.try_get("id")?;
        if out.last().is_none_or(|(last, _)| *last != id) {
            out.push((
                id,
                CarryMoveRow {
                    assessment_id: r.try_get("assessment_id")?,
                    organisation: r.try_get("legal_name")?,
                    from_version: r.try_get("from_version")?,
                    to_version: r.try_get("to_version")?,
                    carried: r.try_get("carried")?,
                    moved_at: r.try_get("moved_at")?,
                    left: Vec::new(),
                },
            ));
        }
        let key: Option<String> = r.try_get("question_key")?;
        if let (Some(key), Some((_, m))) = (key, out.last_mut()) {
            m.left.push((key, r.try_get("item")?, r.try_get("reason")?, r.try_get("previous")?));
        }
    }
    Ok(out.into_iter().map(|(_, m)| m).collect())
}

/// The moves of one of an organisation's assessments, oldest first.
pub async fn carry_moves_for_assessment(
    pool: &AnyPool,
    organisation_id: OrganisationId,
    assessment_id: AssessmentId,
) -> Result<Vec<CarryMoveRow>, sqlx::Error> {
    let rows = sqlx::query(concat!(
        carry_select!(),
        "WHERE m.assessment_id = $1 AND a.organisation_id = $2 ORDER BY m.id, r.question_key"
    ))
    .bind(assessment_id)
    .bind(organisation_id)
    .fetch_all(pool)
    .await?;
    group_moves(&rows)
}

/// The drafts moved to a template version when it was published.
pub async fn carry_moves_to_template(
    pool: &AnyPool,
    template_id: TemplateId,
) -> Result<Vec<CarryMoveRow>, sqlx::Error> {
    let rows = sqlx::query(concat!(carry_select!(), "WHERE m.to_template_id = $1 ORDER BY m.id, r.question_key"))
        .bind(template_id)
        .fetch_all(pool)
        .await?;
    group_moves(&rows)
}

// ------------------------------------------------------------------------------ customs review

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
    submitted_before: Option<Timestamp>,
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
    assessment_id: AssessmentId,
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
pub async fn reopened(conn: &mut AnyConnection, assessment_id: AssessmentId) -> Result<BTreeSet<String>, sqlx::Error> {
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
    assessment_id: AssessmentId,
    question: &str,
    verification: Verification,
    override_credit: Option<u16>,
    reason: Option<&str>,
    reviewer: UserId,
    now: Timestamp,
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
pub async fn start_review(
    conn: &mut AnyConnection,
    id: AssessmentId,
    reviewer: UserId,
    now: Timestamp,
) -> Result<bool, sqlx::Error> {
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
    id: AssessmentId,
    score_bp: Option<i64>,
    score_json: &str,
    now: Timestamp,
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
pub async fn last_two_submissions(
    pool: &AnyPool,
    assessment_id: AssessmentId,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    let rows = sqlx::query("SELECT number, content FROM submissions WHERE assessment_id = $1 ORDER BY id DESC LIMIT 2")
        .bind(assessment_id)
        .fetch_all(pool)
        .await?;
    rows.iter().map(|r| Ok((r.try_get("number")?, r.try_get("content")?))).collect()
}

/// What the customs directory shows of an organisation's assessments.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DirectoryCounts {
    /// Submitted at least once and not withdrawn (drafts stay private).
    pub submitted: i64,
    /// Issued by customs and not yet submitted.
    pub open_issued: i64,
    /// The frozen score of the latest reviewed assessment, in basis points.
    pub latest_score_bp: Option<u32>,
}

/// [`DirectoryCounts`] of every organisation that has an assessment: two fixed grouped queries
/// (the directory shows at most 200 organisations, but one scan of assessments is cheaper than a
/// query per organisation and needs no SQL built at run time).
pub async fn directory_counts(pool: &AnyPool) -> Result<BTreeMap<OrganisationId, DirectoryCounts>, sqlx::Error> {
    let mut counts: BTreeMap<OrganisationId, DirectoryCounts> = BTreeMap::new();
    let totals = sqlx::query(
        "SELECT organisation_id, \
           CAST(SUM(CASE WHEN status NOT IN ('draft', 'withdrawn') THEN 1 ELSE 0 END) AS BIGINT) AS submitted, \
           CAST(SUM(CASE WHEN issued_by IS NOT NULL AND status = 'draft' THEN 1 ELSE 0 END) AS BIGINT) AS open_issued \
         FROM assessments GROUP BY organisation_id",
    )
    .fetch_all(pool)
    .await?;
    for r in totals {
        let entry = counts.entry(r.try_get("organisation_id")?).or_default();
        entry.submitted = r.try_get("submitted")?;
        entry.open_issued = r.try_get("open_issued")?;
    }
    // The latest review of each organisation: no later reviewed assessment of the same one.
    let scores = sqlx::query(
        "SELECT a.organisation_id, a.score_bp FROM assessments a WHERE a.status = 'reviewed' \
           AND NOT EXISTS (SELECT 1 FROM assessments b WHERE b.organisation_id = a.organisation_id \
             AND b.status = 'reviewed' AND (b.reviewed_at > a.reviewed_at OR (b.reviewed_at = a.reviewed_at AND b.id > a.id)))",
    )
    .fetch_all(pool)
    .await?;
    for r in scores {
        counts.entry(r.try_get("organisation_id")?).or_default().latest_score_bp = bp(r.try_get("score_bp")?);
    }
    Ok(counts)
}

/// A reviewed assessment as the compliance score reads it.
pub struct ScoreRow {
    pub id: AssessmentId,
    pub organisation: OrganisationId,
    pub template: String,
    pub score_bp: i64,
    pub reviewed_at: Timestamp,
    pub answered: i64,
    pub verified: i64,
    /// The frozen score's JSON, only when some knock-out question earned nothing.
    pub knock_out_json: Option<String>,
}

/// Every reviewed assessment with a score (of every trader, or one), with its answer and verified
/// answer counts.
pub async fn score_rows(pool: &AnyPool, only: Option<OrganisationId>) -> Result<Vec<ScoreRow>, sqlx::Error> {
    macro_rules! sql_sql {
    () => {
        "SELECT a.id, a.organisation_id, t.code, a.score_bp, a.reviewed_at, \
           (SELECT COUNT(*) FROM answers n WHERE n.assessment_id = a.id) AS answered, \
           (SELECT COUNT(*) FROM answer_reviews r WHERE r.assessment_id = a.id AND r.verification = 'verified') AS verified, \
           CASE WHEN a.score_json LIKE '%\"knock_outs_failed\":[]%' THEN NULL ELSE a.score_json END AS knock_out_json \
         FROM assessments a JOIN templates t ON t.id = a.template_id \
         WHERE a.status = 'reviewed' AND a.score_bp IS NOT NULL AND a.reviewed_at IS NOT NULL"
    };
}
    let rows = match only {
        Some(org) => sqlx::query(concat!(sql_sql!(), " AND a.organisation_id = $1")).bind(org).fetch_all(pool).await?,
        None => sqlx::query(sql_sql!()).fetch_all(pool).await?,
    };
    rows.iter()
        .map(|r| {
            Ok(ScoreRow {
                id: r.try_get("id")?,
                organisation: r.try_get("organisation_id")?,
                template: r.try_get("code")?,
                score_bp: r.try_get("score_bp")?,
                reviewed_at: r.try_get("reviewed_at")?,
                answered: r.try_get("answered")?,
                verified: r.try_get("verified")?,
                knock_out_json: r.try_get("knock_out_json")?,
            })
        })
        .collect()
}

/// The questions of an assessment an officer verified.
pub async fn verified_questions(pool: &AnyPool, id: AssessmentId) -> Result<Vec<String>, sqlx::Error> {
    let rows =
        sqlx::query("SELECT question_key FROM answer_reviews WHERE assessment_id = $1 AND verification = 'verified'")
            .bind(id)
            .fetch_all(pool)
            .await?;
    rows.iter().map(|r| r.try_get("question_key")).collect()
}

/// A reviewed assessment's template and frozen score JSON.
pub async fn frozen_score(pool: &AnyPool, id: AssessmentId) -> Result<Option<(TemplateId, String)>, sqlx::Error> {
    let row = sqlx::query("SELECT template_id, score_json FROM assessments WHERE id = $1 AND status = 'reviewed'")
        .bind(id)
        .fetch_optional(pool)
        .await?;
    row.map(|r| {
        let json: Option<String> = r.try_get("score_json")?;
        Ok((r.try_get("template_id")?, json.unwrap_or_default()))
    })
    .transpose()
}

/// Submitted assessments waiting for customs (submitted or under review).
pub async fn awaiting_review(pool: &AnyPool) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM assessments WHERE status IN ('submitted', 'under_review')")
        .fetch_one(pool)
        .await?
        .try_get("n")
}
