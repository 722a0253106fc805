//! Evidence files sent to customs: the storage and the upload endpoint's plumbing shared by every
//! record that takes files with what it sends (disclosures, AEO applications).
//!
//! Each owner keeps its files in a table of its own, with its own foreign key and the triggers
//! that make a sent file immutable, but every such table has the same shape: the owner's id, a
//! slot (what the file is for: a purpose, a condition), name, sniffed media type, size, SHA-256,
//! bytes, uploader, upload instant and the instant it was sent. The owner's `db` module names its
//! table once with [`files_table!`]; the queries here run on it. A file is attached while its
//! owner is open, sent (stamped) with the submission or answer it belongs to, and from then on
//! neither removed nor changed; customs reads sent files only.
//!
//! What a file may be (types by content, size, office-file checks) is `domain::evidence`; who may
//! attach, remove and read, and the audit events, stay with the owner's service.

pub mod http;

use crate::domain::id::UserId;
use crate::domain::questionnaire::FileType;
use crate::domain::time::Timestamp;
use crate::error::AppError;
use crate::server::db::{UnknownCode, decode_error};
use crate::server::state::AppState;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Executor, Row};

/// The statements on one owner's evidence table, written by [`files_table!`] from its names, so
/// that every statement is static text with bound parameters.
pub struct FilesTable {
    /// Whether a file with this SHA-256 is attached to the slot (`$1` owner, `$2` slot, `$3` hash).
    pub attached: &'static str,
    pub insert: &'static str,
    pub list: &'static str,
    pub find: &'static str,
    pub delete: &'static str,
    /// Sends every unsent file of the owner.
    pub send_all: &'static str,
    /// Sends the unsent files of one slot.
    pub send_slot: &'static str,
    pub bytes: &'static str,
}

/// The [`FilesTable`] of `$table`, whose owner column is `$owner`, slot column `$slot` and sent
/// instant `$sent`. `$once` is the duplicate rule: `"unsent"` when the same file may be attached
/// to a slot again after an earlier copy was sent (a later answer may repeat a document), `"ever"`
/// when a slot holds a file once.
#[macro_export]
macro_rules! files_table {
    ($table:literal, $owner:literal, $slot:literal, $sent:literal, $once:tt) => {
        $crate::evidence::FilesTable {
            attached: concat!(
                "SELECT id FROM ", $table, " WHERE ", $owner, " = $1 AND ", $slot, " = $2 AND sha256 = $3",
                $crate::files_table!(@once $once, $sent)
            ),
            insert: concat!(
                "INSERT INTO ", $table, " (", $owner, ", ", $slot, ", file_name, media_type, size_bytes, sha256, content, \
                 uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id"
            ),
            list: concat!(
                "SELECT id, ", $slot, " AS slot, file_name, media_type, size_bytes, sha256, uploaded_at, ", $sent,
                " AS sent_at FROM ", $table, " WHERE ", $owner, " = $1 AND ($2 = 0 OR ", $sent, " IS NOT NULL) ORDER BY id"
            ),
            find: concat!(
                "SELECT id, ", $slot, " AS slot, file_name, media_type, size_bytes, sha256, uploaded_at, ", $sent,
                " AS sent_at, content FROM ", $table, " WHERE ", $owner, " = $1 AND id = $2 AND ($3 = 0 OR ", $sent,
                " IS NOT NULL)"
            ),
            delete: concat!("DELETE FROM ", $table, " WHERE ", $owner, " = $1 AND id = $2 AND ", $sent, " IS NULL"),
            send_all: concat!(
                "UPDATE ", $table, " SET ", $sent, " = $2 WHERE ", $owner, " = $1 AND ", $sent, " IS NULL RETURNING id, ",
                $slot, " AS slot, file_name, media_type, size_bytes, sha256, uploaded_at, ", $sent, " AS sent_at"
            ),
            send_slot: concat!(
                "UPDATE ", $table, " SET ", $sent, " = $2 WHERE ", $owner, " = $1 AND ", $slot, " = $3 AND ", $sent,
                " IS NULL RETURNING id, ", $slot, " AS slot, file_name, media_type, size_bytes, sha256, uploaded_at, ",
                $sent, " AS sent_at"
            ),
            bytes: concat!("SELECT content FROM ", $table, " WHERE id = $1"),
        }
    };
    (@once unsent, $sent:literal) => { concat!(" AND ", $sent, " IS NULL") };
    (@once ever, $sent:literal) => { "" };
}

/// What a slot column holds, read back from its stored code.
pub trait Slot: Sized {
    /// The stored code.
    fn code(&self) -> &str;
    /// The slot with this code, `None` for a code this build does not know.
    fn from_code(code: &str) -> Option<Self>;
}

impl Slot for String {
    fn code(&self) -> &str {
        self
    }

    fn from_code(code: &str) -> Option<Self> {
        Some(code.to_owned())
    }
}

/// One stored file without its bytes; `I` is the owner's typed file id, `S` its slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRow<I, S> {
    pub id: I,
    pub slot: S,
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub uploaded_at: Timestamp,
    /// Set once the file went to customs with the submission or answer it belongs to.
    pub sent_at: Option<Timestamp>,
}

/// A file id type: any of the typed ids (stored as `BIGINT`).
pub trait FileId: for<'r> sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any> + Into<i64> + Copy {}
impl<T: for<'r> sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any> + Into<i64> + Copy> FileId for T {}

fn file_row<I: FileId, S: Slot>(r: &AnyRow) -> Result<FileRow<I, S>, sqlx::Error> {
    let slot: String = r.try_get("slot")?;
    Ok(FileRow {
        id: r.try_get("id")?,
        slot: S::from_code(&slot).ok_or_else(|| decode_error(UnknownCode(slot)))?,
        file_name: r.try_get("file_name")?,
        media_type: r.try_get("media_type")?,
        size_bytes: r.try_get("size_bytes")?,
        sha256: r.try_get("sha256")?,
        uploaded_at: r.try_get("uploaded_at")?,
        sent_at: r.try_get("sent_at")?,
    })
}

/// The SHA-256 of a file's bytes (or of a receipt's canonical content) as lower-case hex, as it is
/// stored beside the file and listed in receipts.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// An uploaded file that passed the checks of `domain::evidence`: its type by content (within the
/// size and office-file limits), its display name made safe and its SHA-256 (stored beside it and
/// named in receipts).
pub struct Checked {
    pub kind: FileType,
    pub name: String,
    pub sha256: String,
}

/// Checks an upload against the configured limits; the reason it is refused otherwise.
pub fn check(state: &AppState, raw_name: &str, bytes: &[u8]) -> Result<Checked, AppError> {
    let kind = crate::domain::evidence::check(bytes, state.config.evidence_max_bytes, &state.config.office_limits)
        .map_err(AppError::Refused)?;
    Ok(Checked { kind, name: crate::domain::evidence::display_name(raw_name), sha256: sha256_hex(bytes) })
}

impl Checked {
    /// The file to store, uploaded by `user`.
    pub fn file<'a>(&'a self, content: &'a [u8], user: UserId) -> NewFile<'a> {
        NewFile {
            file_name: &self.name,
            media_type: crate::domain::evidence::media_type(self.kind),
            sha256: &self.sha256,
            content,
            uploaded_by: user,
        }
    }
}

/// A checked file to store.
pub struct NewFile<'a> {
    /// Display name (already made safe).
    pub file_name: &'a str,
    /// Media type from content sniffing.
    pub media_type: &'a str,
    pub sha256: &'a str,
    pub content: &'a [u8],
    pub uploaded_by: UserId,
}

/// Inside the owner's write transaction (its row locked): stores a file in `slot`; its id, or
/// `None` when the same file is attached there already (by the table's duplicate rule).
pub async fn attach<I: FileId>(
    conn: &mut AnyConnection,
    table: &FilesTable,
    owner: impl Into<i64>,
    slot: &str,
    file: &NewFile<'_>,
    now: Timestamp,
) -> Result<Option<I>, sqlx::Error> {
    let owner = owner.into();
    let existing = sqlx::query(table.attached)
        .bind(owner)
        .bind(slot.to_owned())
        .bind(file.sha256.to_owned())
        .fetch_optional(&mut *conn)
        .await?;
    if existing.is_some() {
        return Ok(None);
    }
    let inserted = sqlx::query(table.insert)
        .bind(owner)
        .bind(slot.to_owned())
        .bind(file.file_name.to_owned())
        .bind(file.media_type.to_owned())
        .bind(i64::try_from(file.content.len()).unwrap_or(i64::MAX))
        .bind(file.sha256.to_owned())
        .bind(file.content.to_vec())
        .bind(file.uploaded_by)
        .bind(now)
        .fetch_one(conn)
        .await;
    match inserted {
        Ok(row) => row.try_get("id").map(Some),
        // The table's unique index settles two identical uploads racing past the check above.
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Ok(None),
        Err(error) => Err(error),
    }
}

/// The owner's files in upload order; only the sent ones when `sent_only` (what customs sees).
pub async fn list<'c, I: FileId, S: Slot>(
    conn: impl Executor<'c, Database = sqlx::Any>,
    table: &FilesTable,
    owner: impl Into<i64>,
    sent_only: bool,
) -> Result<Vec<FileRow<I, S>>, sqlx::Error> {
    let rows = sqlx::query(table.list).bind(owner.into()).bind(i64::from(sent_only)).fetch_all(conn).await?;
    rows.iter().map(file_row).collect()
}

/// One file of the owner with its bytes; only a sent one when `sent_only`.
pub async fn find<'c, I: FileId, S: Slot>(
    conn: impl Executor<'c, Database = sqlx::Any>,
    table: &FilesTable,
    owner: impl Into<i64>,
    file: I,
    sent_only: bool,
) -> Result<Option<(FileRow<I, S>, Vec<u8>)>, sqlx::Error> {
    let row = sqlx::query(table.find)
        .bind(owner.into())
        .bind(file.into())
        .bind(i64::from(sent_only))
        .fetch_optional(conn)
        .await?;
    row.map(|r| Ok((file_row(&r)?, r.try_get("content")?))).transpose()
}

/// Inside a write transaction: removes a file not yet sent; whether there was one.
pub async fn remove<I: FileId>(
    conn: &mut AnyConnection,
    table: &FilesTable,
    owner: impl Into<i64>,
    file: I,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(table.delete).bind(owner.into()).bind(file.into()).execute(conn).await?;
    Ok(done.rows_affected() == 1)
}

/// Inside the write transaction of a submission or an answer: sends the owner's unsent files of
/// `slots` (every slot when `None`); the files sent now, in upload order.
pub async fn send<I: FileId + Ord, S: Slot>(
    conn: &mut AnyConnection,
    table: &FilesTable,
    owner: impl Into<i64>,
    slots: Option<&[S]>,
    now: Timestamp,
) -> Result<Vec<FileRow<I, S>>, sqlx::Error> {
    let owner = owner.into();
    let mut sent = Vec::new();
    match slots {
        None => {
            let rows = sqlx::query(table.send_all).bind(owner).bind(now).fetch_all(&mut *conn).await?;
            sent = rows.iter().map(file_row).collect::<Result<_, _>>()?;
        }
        Some(slots) => {
            for slot in slots {
                let rows = sqlx::query(table.send_slot)
                    .bind(owner)
                    .bind(now)
                    .bind(slot.code().to_owned())
                    .fetch_all(&mut *conn)
                    .await?;
                sent.extend(rows.iter().map(file_row).collect::<Result<Vec<_>, _>>()?);
            }
        }
    }
    sent.sort_by_key(|f: &FileRow<I, S>| f.id);
    Ok(sent)
}

/// The bytes of one stored file, wherever it belongs (for checking receipts against the files).
pub async fn bytes<'c, I: FileId>(
    conn: impl Executor<'c, Database = sqlx::Any>,
    table: &FilesTable,
    file: I,
) -> Result<Option<Vec<u8>>, sqlx::Error> {
    let row = sqlx::query(table.bytes).bind(file.into()).fetch_optional(conn).await?;
    row.map(|r| r.try_get("content")).transpose()
}
