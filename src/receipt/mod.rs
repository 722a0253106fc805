//! Receipts of submissions sent to customs, shared by self-assessments, disclosures and AEO
//! applications: the canonical content exactly as hashed, its SHA-256, the audit event that
//! records the submission (its position and chain hash kept on the receipt, so a receipt and the
//! audit chain vouch for each other), and the check that every stored content still hashes to
//! its receipt (`senim audit verify`).
//!
//! Each owner keeps its receipts in a table of its own (its foreign key; triggers refuse any change
//! or deletion), all of the same shape; the owner's `db` module names its table once with
//! [`receipts_table!`] and the statements here run on it.

use crate::audit::service::{Event, Who, record};
use crate::domain::id::UserId;
use crate::domain::time::Timestamp;
use crate::error::AppError;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Executor, Row};

/// The statements on one owner's receipts table, written by [`receipts_table!`].
pub struct ReceiptsTable {
    pub insert: &'static str,
    /// The latest receipt of an owner (`$1`), with the submitter's name.
    pub latest: &'static str,
    /// The same with the stored content.
    pub latest_content: &'static str,
    /// The first receipt of an owner (the initial notice's, in two-step disclosures).
    pub first: &'static str,
    /// Every receipt's number, content and hash, oldest first.
    pub contents: &'static str,
}

/// The [`ReceiptsTable`] of `$table`, whose owner column is `$owner`.
#[macro_export]
macro_rules! receipts_table {
    ($table:literal, $owner:literal) => {
        $crate::receipt::ReceiptsTable {
            insert: concat!(
                "INSERT INTO ",
                $table,
                " (",
                $owner,
                ", number, submitted_by, submitted_at, content, content_sha256, \
                 audit_seq, audit_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
            ),
            latest: concat!(
                "SELECT s.number, u.name, s.submitted_at, s.content_sha256, s.audit_seq, s.audit_hash FROM ",
                $table,
                " s JOIN users u ON u.id = s.submitted_by WHERE s.",
                $owner,
                " = $1 ORDER BY s.id DESC LIMIT 1"
            ),
            latest_content: concat!(
                "SELECT s.number, u.name, s.submitted_at, s.content_sha256, s.audit_seq, s.audit_hash, s.content FROM ",
                $table,
                " s JOIN users u ON u.id = s.submitted_by WHERE s.",
                $owner,
                " = $1 ORDER BY s.id DESC LIMIT 1"
            ),
            first: concat!(
                "SELECT s.number, u.name, s.submitted_at, s.content_sha256, s.audit_seq, s.audit_hash FROM ",
                $table,
                " s JOIN users u ON u.id = s.submitted_by WHERE s.",
                $owner,
                " = $1 ORDER BY s.id LIMIT 1"
            ),
            contents: concat!("SELECT number, content, content_sha256 FROM ", $table, " ORDER BY id"),
        }
    };
}

/// The SHA-256 of a submission's canonical content, as its receipt shows it: the one place the
/// receipt hash is computed, for issuing receipts and for checking stored submissions.
pub fn content_sha256(content: &str) -> String {
    crate::evidence::sha256_hex(content.as_bytes())
}

/// A stored receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub number: String,
    /// The submitter's name.
    pub submitted_by: String,
    pub submitted_at: Timestamp,
    /// SHA-256 of the canonical content.
    pub content_sha256: String,
    /// Position of the submission's event in the audit chain.
    pub audit_seq: i64,
    /// That event's chain hash.
    pub audit_hash: String,
}

fn stored(r: &AnyRow) -> Result<Stored, sqlx::Error> {
    Ok(Stored {
        number: r.try_get("number")?,
        submitted_by: r.try_get("name")?,
        submitted_at: r.try_get("submitted_at")?,
        content_sha256: r.try_get("content_sha256")?,
        audit_seq: r.try_get("audit_seq")?,
        audit_hash: r.try_get("audit_hash")?,
    })
}

/// What a submission is: its owner, number, submitter, instant and canonical content.
pub struct Submission<'a> {
    pub owner: i64,
    pub number: &'a str,
    pub submitted_by: UserId,
    pub submitted_at: Timestamp,
    /// Canonical content, exactly as hashed and kept.
    pub content: &'a str,
}

impl<'a> Submission<'a> {
    /// The submission of `content` numbered `number`, of `owner`, by `by` at `at`.
    pub fn new(owner: impl Into<i64>, number: &'a str, by: UserId, at: Timestamp, content: &'a str) -> Self {
        Self { owner: owner.into(), number, submitted_by: by, submitted_at: at, content }
    }
}

/// A receipt just issued.
pub struct Issued {
    pub content_sha256: String,
    pub audit_seq: i64,
    pub audit_hash: String,
}

/// Inside the submitting transaction: hashes the content, records `event` with the number and
/// the hash added to its details, and stores the immutable receipt holding the event's position
/// in the audit chain.
pub async fn issue(
    tx: &mut AnyConnection,
    table: &ReceiptsTable,
    who: &Who,
    mut event: Event,
    s: &Submission<'_>,
) -> Result<Issued, AppError> {
    let sha = content_sha256(s.content);
    event.details["number"] = s.number.into();
    event.details["content_sha256"] = sha.as_str().into();
    let (seq, hash) = record(tx, who, event).await?;
    sqlx::query(table.insert)
        .bind(s.owner)
        .bind(s.number.to_owned())
        .bind(s.submitted_by)
        .bind(s.submitted_at)
        .bind(s.content.to_owned())
        .bind(sha.clone())
        .bind(seq)
        .bind(hash.clone())
        .execute(tx)
        .await?;
    Ok(Issued { content_sha256: sha, audit_seq: seq, audit_hash: hash })
}

/// The latest receipt of `owner`.
pub async fn latest<'c>(
    conn: impl Executor<'c, Database = sqlx::Any>,
    table: &ReceiptsTable,
    owner: impl Into<i64>,
) -> Result<Option<Stored>, sqlx::Error> {
    let row = sqlx::query(table.latest).bind(owner.into()).fetch_optional(conn).await?;
    row.as_ref().map(stored).transpose()
}

/// The latest receipt of `owner` with the content it was issued for.
pub async fn latest_with_content<'c>(
    conn: impl Executor<'c, Database = sqlx::Any>,
    table: &ReceiptsTable,
    owner: impl Into<i64>,
) -> Result<Option<(Stored, String)>, sqlx::Error> {
    let row = sqlx::query(table.latest_content).bind(owner.into()).fetch_optional(conn).await?;
    row.map(|r| Ok((stored(&r)?, r.try_get("content")?))).transpose()
}

/// The first receipt of `owner`.
pub async fn first<'c>(
    conn: impl Executor<'c, Database = sqlx::Any>,
    table: &ReceiptsTable,
    owner: impl Into<i64>,
) -> Result<Option<Stored>, sqlx::Error> {
    let row = sqlx::query(table.first).bind(owner.into()).fetch_optional(conn).await?;
    row.as_ref().map(stored).transpose()
}

/// The outcome of checking every stored submission against its receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptCheck {
    /// Submissions checked.
    pub checked: usize,
    /// Numbers of submissions whose stored content no longer hashes to their receipt.
    pub mismatched: Vec<String>,
}

/// Every receipt of the table as (number, content, content SHA-256), oldest first.
pub async fn contents<'c>(
    conn: impl Executor<'c, Database = sqlx::Any>,
    table: &ReceiptsTable,
) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    let rows = sqlx::query(table.contents).fetch_all(conn).await?;
    rows.iter().map(|r| Ok((r.try_get("number")?, r.try_get("content")?, r.try_get("content_sha256")?))).collect()
}

/// Recomputes every stored content's hash and compares it with its receipt's.
pub async fn verify<'c>(
    conn: impl Executor<'c, Database = sqlx::Any>,
    table: &ReceiptsTable,
) -> Result<ReceiptCheck, sqlx::Error> {
    let rows = contents(conn, table).await?;
    let checked = rows.len();
    let mismatched = rows
        .into_iter()
        .filter(|(_, content, sha)| content_sha256(content) != *sha)
        .map(|(number, _, _)| number)
        .collect();
    Ok(ReceiptCheck { checked, mismatched })
}
