//! The database handle: one `sqlx::Any` pool on SQLite or PostgreSQL, chosen by `DATABASE_URL`,
//! with the durability settings and per-backend migrations Senim relies on.

use crate::domain::time::Timestamp;
use anyhow::Context;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, AnyPool};
use std::time::Duration;

/// Migrations for SQLite, embedded in the binary.
pub static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
/// Migrations for PostgreSQL, embedded in the binary; same versions as SQLite's.
pub static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// Which database engine the pool talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite file (single server).
    Sqlite,
    /// PostgreSQL (several app servers).
    Postgres,
}

/// The read pool, the write path, and the knowledge of which backend they are.
#[derive(Debug, Clone)]
pub struct Db {
    /// The read pool. Read queries use it directly; every write goes through [`Db::begin`] or
    /// [`Db::begin_relaxed`].
    pub pool: AnyPool,
    /// The engine behind the pools.
    pub backend: Backend,
    /// Where write transactions run. On SQLite a pool of exactly one connection: writers queue
    /// in-process in arrival order instead of sleeping in SQLite's busy handler, whose growing
    /// back-off steps were the 300–550 ms autosave tail (docs/benchmarks.md). On PostgreSQL the
    /// same pool as reads: the server orders concurrent writers itself.
    writer: AnyPool,
}

/// How long a request waits for the write connection (SQLite) or any pooled connection before
/// it is answered "cannot save right now" (503).
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

impl Db {
    /// Connects, applies the durability settings and runs pending migrations.
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        install_default_drivers();
        let backend = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            anyhow::bail!("DATABASE_URL must start with sqlite: or postgres://");
        };
        if backend == Backend::Sqlite {
            create_parent_dir(url)?;
        }
        let pool = pool_options(backend, 8).connect(url).await.context("cannot connect to the database")?;
        let writer = match backend {
            Backend::Sqlite => pool_options(backend, 1).connect(url).await.context("cannot connect to the database")?,
            Backend::Postgres => pool.clone(),
        };
        let db = Self { pool, backend, writer };
        db.migrate().await?;
        db.warn_without_autovacuum().await;
        Ok(db)
    }

    /// Applies pending migrations for this backend.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        // On the write connection: a migration is a write, and on SQLite it must not wait on
        // the writer through the busy handler.
        migrator.run(&self.writer).await.context("database migration failed")?;
        // Data the SQL of a migration cannot compute (Unicode lower case on SQLite).
        let mut tx = self.begin().await.context("database migration failed")?;
        crate::organisation::service::fold_legal_names(&mut tx).await.context("folding legal names for search")?;
        tx.commit().await.context("database migration failed")?;
        Ok(())
    }

    /// Logs a warning when PostgreSQL's autovacuum is off: without it no table gets statistics,
    /// and the planner's guesses made the disclosure page and the PCA list 3–4 times slower in
    /// `make bench` (a backward walk of every submission for one receipt, a scan of every
    /// finding). Production servers keep it on (the default); otherwise run `ANALYZE` regularly.
    async fn warn_without_autovacuum(&self) {
        if self.backend != Backend::Postgres {
            return;
        }
        let setting =
            sqlx::query("SELECT setting FROM pg_settings WHERE name = 'autovacuum'").fetch_optional(&self.pool).await;
        if let Ok(Some(row)) = setting
            && sqlx::Row::try_get::<String, _>(&row, "setting").is_ok_and(|s| s == "off")
        {
            tracing::warn!(
                "PostgreSQL autovacuum is off: tables get no statistics and queries slow down; turn it on or run ANALYZE regularly"
            );
        }
    }

    /// Starts a durable write transaction (a submission, a decision and its audit event). On
    /// SQLite it waits its turn for the one write connection, commits with `synchronous = FULL`
    /// and takes the write lock up front (`BEGIN IMMEDIATE`).
    pub async fn begin(&self) -> Result<WriteTx, sqlx::Error> {
        let start = match self.backend {
            Backend::Sqlite => "PRAGMA synchronous = FULL; BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN",
        };
        WriteTx::start(self.writer.acquire().await?, start).await
    }

    /// Starts a write transaction whose commit need not wait for the disk: for autosaved answers,
    /// where a power cut may lose the last second of typing but never corrupts anything. On
    /// SQLite the commit skips the WAL fsync (`synchronous = NORMAL` on the same write connection,
    /// set before `BEGIN`; the next FULL commit or checkpoint makes it durable); on PostgreSQL
    /// `synchronous_commit` is off for this transaction only. Submissions, decisions and their
    /// audit events always use [`Db::begin`].
    pub async fn begin_relaxed(&self) -> Result<WriteTx, sqlx::Error> {
        let start = match self.backend {
            Backend::Sqlite => "PRAGMA synchronous = NORMAL; BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN; SET LOCAL synchronous_commit = off",
        };
        WriteTx::start(self.writer.acquire().await?, start).await
    }

    /// Runs a statement on the write connection outside any transaction: for tests that inject
    /// faults into the writer (e.g. `PRAGMA max_page_count`).
    #[cfg(test)]
    pub async fn on_writer(&self, sql: &'static str) -> Result<(), sqlx::Error> {
        let mut conn = self.writer.acquire().await?;
        sqlx::raw_sql(sql).execute(&mut *conn).await?;
        Ok(())
    }
}

/// An open write transaction on a pooled connection; use it as `&mut *tx` (or `&mut tx` where an
/// `&mut AnyConnection` is expected) and end it with [`WriteTx::commit`].
///
/// It manages `BEGIN`/`COMMIT`/`ROLLBACK` itself rather than through `sqlx::Transaction`, so it
/// can guarantee what the pool needs: the connection goes back outside a transaction, or not at
/// all. When a commit fails (disk full, I/O error, lost server), SQLite may or may not have rolled
/// back already and sqlx's own bookkeeping can disagree with the engine, which used to leave the
/// connection "inside" a dead transaction and fail every later write until a restart. Here a
/// failed commit or a dropped transaction is rolled back, and a connection whose rollback fails is
/// closed, so the pool opens a fresh one once the cause is gone.
#[derive(Debug)]
pub struct WriteTx {
    conn: Option<PoolConnection<Any>>,
}

impl WriteTx {
    async fn start(mut conn: PoolConnection<Any>, start: &'static str) -> Result<Self, sqlx::Error> {
        if let Err(error) = sqlx::raw_sql(start).execute(&mut *conn).await {
            settle(conn).await;
            return Err(error);
        }
        Ok(Self { conn: Some(conn) })
    }

    /// Commits. On failure the transaction is rolled back (or its connection discarded) before
    /// the error is returned.
    pub async fn commit(mut self) -> Result<(), sqlx::Error> {
        let Some(mut conn) = self.conn.take() else { return Err(sqlx::Error::PoolClosed) };
        match sqlx::raw_sql("COMMIT").execute(&mut *conn).await {
            Ok(_) => Ok(()),
            Err(error) => {
                settle(conn).await;
                Err(error)
            }
        }
    }

    /// Rolls back explicitly (dropping the transaction does the same in the background).
    pub async fn rollback(mut self) -> Result<(), sqlx::Error> {
        if let Some(conn) = self.conn.take() {
            settle(conn).await;
        }
        Ok(())
    }

    fn connection(&mut self) -> &mut PoolConnection<Any> {
        // Only `commit`/`rollback` take the connection, and they consume `self`.
        self.conn.as_mut().unwrap_or_else(|| unreachable!("write transaction used after its end"))
    }
}

impl std::ops::Deref for WriteTx {
    type Target = AnyConnection;

    fn deref(&self) -> &AnyConnection {
        self.conn.as_ref().unwrap_or_else(|| unreachable!("write transaction used after its end"))
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        self.connection()
    }
}

impl Drop for WriteTx {
    fn drop(&mut self) {
        let Some(mut conn) = self.conn.take() else { return };
        // Ended without a commit (an error on the way, or a cancelled request): roll back before
        // the connection is reused. The task holds the connection, so on SQLite the next writer
        // waits for the rollback to finish.
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                runtime.spawn(settle(conn));
            }
            Err(_) => conn.close_on_drop(),
        }
    }
}

/// Rolls back whatever is open on `conn` and returns it to the pool, or closes it when the
/// rollback fails for any reason other than "no transaction is active" (then SQLite had already
/// rolled back by itself, as it does after a disk-full or I/O error).
async fn settle(mut conn: PoolConnection<Any>) {
    match sqlx::raw_sql("ROLLBACK").execute(&mut *conn).await {
        Ok(_) => {}
        Err(sqlx::Error::Database(e)) if e.message().contains("no transaction is active") => {}
        Err(error) => {
            tracing::warn!(%error, "rollback failed; discarding the database connection");
            conn.close_on_drop();
        }
    }
}

const SQLITE_SETUP: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                            PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;";

/// Pool options. SQLite connections start FULL (a receipt shown to a user must survive power
/// loss); write transactions set their level again before `BEGIN`.
fn pool_options(backend: Backend, sqlite_connections: u32) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(if backend == Backend::Sqlite { sqlite_connections } else { 16 })
        .acquire_timeout(ACQUIRE_TIMEOUT)
        // A pooled SQLite connection is a handle to a file and cannot be lost the way a network
        // connection can; pinging it on every acquire was one more trip to its worker thread per
        // request. PostgreSQL connections are still checked, so a restarted server is reconnected.
        .test_before_acquire(backend == Backend::Postgres)
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                let setup = match backend {
                    Backend::Sqlite => SQLITE_SETUP,
                    Backend::Postgres => "SET statement_timeout = 10000;",
                };
                sqlx::raw_sql(setup).execute(conn).await?;
                Ok(())
            })
        })
}

fn create_parent_dir(url: &str) -> anyhow::Result<()> {
    let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
    let path = path.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return Ok(());
    }
    if let Some(parent) = std::path::Path::new(path).parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    }
    Ok(())
}

/// Inside the write transaction of a change to a trader's score inputs (a finding, a disclosure
/// decision, a review, imported national data): asks for the trader's compliance score to be
/// recomputed. The scoring worker drains these requests; being written with the change, a request
/// survives a crash between the change and the rescore. The table belongs to `scoring`; this is
/// the one write other features make to it, so that they need not depend on it.
pub async fn request_rescore(
    conn: &mut AnyConnection,
    organisation: crate::domain::id::OrganisationId,
    cause: &str,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO score_requests (organisation_id, cause, requested_at) VALUES ($1, $2, $3) \
         ON CONFLICT (organisation_id) DO UPDATE SET cause = excluded.cause, requested_at = excluded.requested_at",
    )
    .bind(organisation)
    .bind(cause.to_owned())
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Inside a write transaction: claims `day` for the daily job named `key` (compare-and-set on a
/// setting), so that of several app servers exactly one runs it. True when this caller claimed it.
pub async fn claim_day(conn: &mut AnyConnection, key: &str, day: i64) -> Result<bool, sqlx::Error> {
    let value = day.to_string();
    let updated = sqlx::query("UPDATE settings SET value = $2 WHERE key = $1 AND value <> $2")
        .bind(key.to_owned())
        .bind(value.clone())
        .execute(&mut *conn)
        .await?;
    if updated.rows_affected() == 1 {
        return Ok(true);
    }
    let inserted = sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING")
        .bind(key.to_owned())
        .bind(value)
        .execute(conn)
        .await?;
    Ok(inserted.rows_affected() == 1)
}

/// A list of ids bound as one parameter: a JSON array that the statement expands with
/// [`in_ids!`](crate::in_ids), so the SQL text stays static whatever the list's length (no
/// statement assembled at run time, no thousands of numbered parameters).
pub fn id_list<I: Copy + Into<i64>>(ids: &[I]) -> String {
    let mut out = String::with_capacity(ids.len() * 8 + 2);
    out.push('[');
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&(*id).into().to_string());
    }
    out.push(']');
    out
}

/// The statement `$head` ∈ (the ids of the JSON array bound as `$param`) `$tail` for the
/// backend; bind [`id_list`] at `$param`. SQLite: `IN (SELECT value FROM json_each(…))`.
/// PostgreSQL: `= ANY(ARRAY(SELECT jsonb_array_elements_text(…)))`, which probes the column's
/// index whatever the table's statistics say; the `IN (SELECT …)` form was planned as a scan
/// of the whole table when statistics were missing (21 ms against 0.14 ms over 60,000 findings).
#[macro_export]
macro_rules! in_ids {
    ($backend:expr, $head:literal, $param:literal, $tail:literal) => {
        match $backend {
            $crate::server::db::Backend::Sqlite => {
                concat!($head, " IN (SELECT value FROM json_each(", $param, "))", $tail)
            }
            $crate::server::db::Backend::Postgres => {
                concat!(
                    $head,
                    " = ANY(ARRAY(SELECT jsonb_array_elements_text(",
                    $param,
                    "::TEXT::JSONB)::BIGINT))",
                    $tail
                )
            }
        }
    };
}

/// The current time. The only clock read in Senim's data layer.
pub fn now() -> Timestamp {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    Timestamp::from_millis(i64::try_from(now.as_millis()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_list_is_a_json_array_of_the_numbers() {
        use crate::domain::id::OrganisationId;
        assert_eq!(id_list::<OrganisationId>(&[]), "[]");
        let ids = [OrganisationId::new(7), OrganisationId::new(-1), OrganisationId::new(i64::MAX)];
        let list = id_list(&ids);
        assert_eq!(list, format!("[7,-1,{}]", i64::MAX));
        assert_eq!(serde_json::from_str::<Vec<i64>>(&list).expect("json"), vec![7, -1, i64::MAX]);
    }

    #[test]
    fn sqlite_and_postgres_migrations_have_the_same_versions_and_names() {
        let list = |m: &sqlx::migrate::Migrator| -> Vec<(i64, String)> {
            m.iter().map(|migration| (migration.version, migration.description.to_string())).collect()
        };
        let sqlite = list(&SQLITE_MIGRATIONS);
        assert!(!sqlite.is_empty());
        assert_eq!(sqlite, list(&POSTGRES_MIGRATIONS), "migrations/sqlite and migrations/postgres drifted apart");
        let files = |dir: &str| -> Vec<String> {
            let mut names: Vec<String> = std::fs::read_dir(dir)
                .expect("migrations folder")
                .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            names
        };
        assert_eq!(files("migrations/sqlite"), files("migrations/postgres"));
    }

    #[tokio::test]
    async fn sqlite_runs_with_wal_full_sync_foreign_keys_and_a_busy_timeout() {
        let dir = std::env::temp_dir().join("senim-tests");
        std::fs::create_dir_all(&dir).expect("temp dir");
        let db = Db::connect(&format!("sqlite://{}/pragma-{}.db?mode=rwc", dir.display(), now().as_millis()))
            .await
            .expect("db");
        let mut conn = db.pool.acquire().await.expect("conn");
        for (pragma, expected) in [
            ("PRAGMA journal_mode", "wal"),
            ("PRAGMA synchronous", "2"),
            ("PRAGMA foreign_keys", "1"),
            ("PRAGMA busy_timeout", "5000"),
        ] {
            let row = sqlx::query(pragma).fetch_one(&mut *conn).await.expect(pragma);
            let value = sqlx::Row::try_get::<String, _>(&row, 0)
                .or_else(|_| sqlx::Row::try_get::<i64, _>(&row, 0).map(|n| n.to_string()))
                .expect("value");
            assert_eq!(value, expected, "{pragma}");
        }
    }

    #[tokio::test]
    async fn only_relaxed_transactions_skip_the_commit_fsync() {
        for app in crate::testing::TestApp::each_backend().await {
            let db = &app.state.db;
            let probe = match db.backend {
                Backend::Sqlite => "PRAGMA synchronous",
                Backend::Postgres => "SHOW synchronous_commit",
            };
            let read = |row: sqlx::any::AnyRow| {
                sqlx::Row::try_get::<String, _>(&row, 0)
                    .or_else(|_| sqlx::Row::try_get::<i64, _>(&row, 0).map(|n| n.to_string()))
                    .expect("value")
            };
            let mut strict = db.begin().await.expect("begin");
            let full = read(sqlx::query(probe).fetch_one(&mut *strict).await.expect("probe"));
            strict.commit().await.expect("commit");
            let mut relaxed = db.begin_relaxed().await.expect("begin relaxed");
            let normal = read(sqlx::query(probe).fetch_one(&mut *relaxed).await.expect("probe"));
            relaxed.commit().await.expect("commit");
            let expected = match db.backend {
                Backend::Sqlite => ("2", "1"),
                Backend::Postgres => ("on", "off"),
            };
            assert_eq!((full.as_str(), normal.as_str()), expected, "{}", app.backend);
            // The setting does not leak into later strict transactions on PostgreSQL.
            let mut again = db.begin().await.expect("begin");
            assert_eq!(read(sqlx::query(probe).fetch_one(&mut *again).await.expect("probe")), expected.0);
        }
    }
}

/// A value read from a row that this build cannot turn into its type (bad JSON, a code the
/// schema's CHECK allows but this build does not know), as the sqlx decode error it is.
pub fn decode_error<E: std::error::Error + Send + Sync + 'static>(e: E) -> sqlx::Error {
    sqlx::Error::Decode(Box::new(e))
}

/// A stored code this build does not know.
#[derive(Debug)]
pub struct UnknownCode(pub String);

impl std::fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown code {:?}", self.0)
    }
}

impl std::error::Error for UnknownCode {}
