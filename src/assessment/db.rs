//! SQL for assessments, answers and submissions. Trader reads filter on the organisation id from
//! the session; answer writes are compare-and-set on a per-answer version.

use crate::domain::assessment::AssessmentStatus;
use sqlx::{AnyConnection, AnyPool, Row};

/// An assessment row.
pub struct AssessmentRow {
    /// Id.
    pub id: i64,
    /// Organisation name.
    pub organisation_name: String,
    /// Template version.
    pub template_id: i64,
    /// Status.
    pub status: AssessmentStatus,
    /// Due date (ms), when issued by customs.
    pub due_at: Option<i64>,
    /// Last change.
    pub updated_at: i64,
}

fn row_from(r: &sqlx::any::AnyRow) -> Result<AssessmentRow, sqlx::Error> {
    let status: String = r.try_get("status")?;
    Ok(AssessmentRow {
        id: r.try_get("id")?,
        organisation_name: r.try_get("legal_name")?,
        template_id: r.try_get("template_id")?,
        status: AssessmentStatus::from_code(&status)
            .ok_or_else(|| sqlx::Error::Protocol(format!("status {status}")))?,
        due_at: r.try_get("due_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// Creates a draft assessment.
pub async fn insert(
    conn: &mut AnyConnection,
    organisation_id: i64,
    template_id: i64,
    created_by: i64,
    now: i64,
) -> Result<i64, sqlx::Error> {
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

/// One assessment of one organisation (tenancy in the query).
pub async fn find_for_org(pool: &AnyPool, organisation_id: i64, id: i64) -> Result<Option<AssessmentRow>, sqlx::Error> {
    let sql = "SELECT a.id, o.legal_name, a.template_id, a.status, a.due_at, \
        a.updated_at FROM assessments a JOIN organisations o ON o.id = a.organisation_id \
        WHERE a.id = $1 AND a.organisation_id = $2";
    let row = sqlx::query(sql).bind(id).bind(organisation_id).fetch_optional(pool).await?;
    row.as_ref().map(row_from).transpose()
}

/// One assessment of any organisation (customs review).
pub async fn find_any(pool: &AnyPool, id: i64) -> Result<Option<AssessmentRow>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT a.id, o.legal_name, a.template_id, a.status, a.due_at, a.updated_at \
         FROM assessments a JOIN organisations o ON o.id = a.organisation_id WHERE a.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    row.as_ref().map(row_from).transpose()
}

/// An organisation's assessments, newest first.
pub async fn list_for_org(pool: &AnyPool, organisation_id: i64) -> Result<Vec<AssessmentRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT a.id, o.legal_name, a.template_id, a.status, a.due_at, \
         a.updated_at FROM assessments a JOIN organisations o ON o.id = a.organisation_id \
         WHERE a.organisation_id = $1 ORDER BY a.updated_at DESC",
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
    pub updated_at: i64,
}

/// Every answer of an assessment.
pub async fn answers(conn: &mut AnyConnection, assessment_id: i64) -> Result<Vec<AnswerRow>, sqlx::Error> {
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
pub async fn answers_for_org(pool: &AnyPool, organisation_id: i64) -> Result<Vec<(i64, AnswerRow)>, sqlx::Error> {
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
/// Returns false when someone else saved in between.
pub async fn put_answer(
    conn: &mut AnyConnection,
    assessment_id: i64,
    key: &str,
    value: &str,
    expected: i64,
    user_id: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = if expected == 0 {
        sqlx::query(
            "INSERT INTO answers (assessment_id, question_key, value, version, updated_by, updated_at) \
             VALUES ($1, $2, $3, 1, $4, $5) ON CONFLICT (assessment_id, question_key) DO NOTHING",
        )
        .bind(assessment_id)
        .bind(key.to_owned())
        .bind(value.to_owned())
        .bind(user_id)
        .bind(now)
        .execute(conn)
        .await?
    } else {
        sqlx::query(
            "UPDATE answers SET value = $1, version = version + 1, updated_by = $2, updated_at = $3 \
             WHERE assessment_id = $4 AND question_key = $5 AND version = $6",
        )
        .bind(value.to_owned())
        .bind(user_id)
        .bind(now)
        .bind(assessment_id)
        .bind(key.to_owned())
        .bind(expected)
        .execute(conn)
        .await?
    };
    Ok(done.rows_affected() == 1)
}

/// Removes an answer at `expected` version (the user cleared it). Returns false on a conflict.
pub async fn clear_answer(
    conn: &mut AnyConnection,
    assessment_id: i64,
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
    id: i64,
    from: AssessmentStatus,
    to: AssessmentStatus,
    now: i64,
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

/// Marks activity on an assessment.
pub async fn touch(conn: &mut AnyConnection, id: i64, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE assessments SET updated_at = $1 WHERE id = $2").bind(now).bind(id).execute(conn).await?;
    Ok(())
}

/// How many times an assessment was submitted.
pub async fn count_submissions(conn: &mut AnyConnection, assessment_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) AS n FROM submissions WHERE assessment_id = $1")
        .bind(assessment_id)
        .fetch_one(conn)
        .await?
        .try_get("n")
}

/// A stored submission.
pub struct SubmissionRow {
    /// Submission number.
    pub number: String,
    /// Submitter's name.
    pub submitted_by: String,
    /// Time of receipt (ms).
    pub submitted_at: i64,
    /// SHA-256 of the canonical content.
    pub content_sha256: String,
    /// Position of the submit event in the audit chain.
    pub audit_seq: i64,
    /// That event's chain hash.
    pub audit_hash: String,
}

/// A new submission.
pub struct NewSubmission<'a> {
    /// The assessment.
    pub assessment_id: i64,
    /// Submission number.
    pub number: &'a str,
    /// Submitter.
    pub submitted_by: i64,
    /// Time of receipt.
    pub submitted_at: i64,
    /// Canonical content, exactly as hashed.
    pub content: &'a str,
    /// SHA-256 of `content`.
    pub content_sha256: &'a str,
    /// Audit position.
    pub audit_seq: i64,
    /// Audit hash.
    pub audit_hash: &'a str,
}

/// Stores an immutable submission.
pub async fn insert_submission(conn: &mut AnyConnection, s: &NewSubmission<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO submissions (assessment_id, number, submitted_by, submitted_at, content, content_sha256, audit_seq, audit_hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(s.assessment_id)
    .bind(s.number.to_owned())
    .bind(s.submitted_by)
    .bind(s.submitted_at)
    .bind(s.content.to_owned())
    .bind(s.content_sha256.to_owned())
    .bind(s.audit_seq)
    .bind(s.audit_hash.to_owned())
    .execute(conn)
    .await?;
    Ok(())
}

/// The latest submission of an assessment.
pub async fn latest_submission(pool: &AnyPool, assessment_id: i64) -> Result<Option<SubmissionRow>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT s.number, u.name, s.submitted_at, s.content_sha256, s.audit_seq, s.audit_hash FROM submissions s \
         JOIN users u ON u.id = s.submitted_by WHERE s.assessment_id = $1 ORDER BY s.id DESC LIMIT 1",
    )
    .bind(assessment_id)
    .fetch_optional(pool)
    .await?;
    row.map(|r| {
        Ok(SubmissionRow {
            number: r.try_get("number")?,
            submitted_by: r.try_get("name")?,
            submitted_at: r.try_get("submitted_at")?,
            content_sha256: r.try_get("content_sha256")?,
            audit_seq: r.try_get("audit_seq")?,
            audit_hash: r.try_get("audit_hash")?,
        })
    })
    .transpose()
}

/// A stored evidence file without its content.
pub struct EvidenceRow {
    /// Id.
    pub id: i64,
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
}

/// A new evidence file.
pub struct NewEvidence<'a> {
    /// The assessment.
    pub assessment_id: i64,
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
    pub uploaded_by: i64,
}

/// Stores an evidence file and returns its id.
pub async fn insert_evidence(conn: &mut AnyConnection, e: &NewEvidence<'_>, now: i64) -> Result<i64, sqlx::Error> {
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

/// The evidence of an assessment, without contents.
pub async fn list_evidence(pool: &AnyPool, assessment_id: i64) -> Result<Vec<EvidenceRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, question_key, file_name, media_type, size_bytes, sha256 FROM evidence WHERE assessment_id = $1 ORDER BY id",
    )
    .bind(assessment_id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(EvidenceRow {
                id: r.try_get("id")?,
                question_key: r.try_get("question_key")?,
                file_name: r.try_get("file_name")?,
                media_type: r.try_get("media_type")?,
                size_bytes: r.try_get("size_bytes")?,
                sha256: r.try_get("sha256")?,
            })
        })
        .collect()
}

/// One evidence file with its content, if it belongs to `organisation_id` (or to anyone when
/// `organisation_id` is `None`, for customs staff).
pub async fn find_evidence(
    pool: &AnyPool,
    id: i64,
    organisation_id: Option<i64>,
) -> Result<Option<(EvidenceRow, Vec<u8>)>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT e.id, e.question_key, e.file_name, e.media_type, e.size_bytes, e.sha256, e.content FROM evidence e \
         JOIN assessments a ON a.id = e.assessment_id WHERE e.id = $1 AND ($2 IS NULL OR a.organisation_id = $2)",
    )
    .bind(id)
    .bind(organisation_id)
    .fetch_optional(pool)
    .await?;
    row.map(|r| {
        Ok((
            EvidenceRow {
                id: r.try_get("id")?,
                question_key: r.try_get("question_key")?,
                file_name: r.try_get("file_name")?,
                media_type: r.try_get("media_type")?,
                size_bytes: r.try_get("size_bytes")?,
                sha256: r.try_get("sha256")?,
            },
            r.try_get("content")?,
        ))
    })
    .transpose()
}
