//! The database handle: one `sqlx::Any` pool on SQLite or PostgreSQL, chosen by `DATABASE_URL`,
//! with the durability settings and per-backend migrations Senim relies on.

use anyhow::Context;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{Any, AnyPool, Transaction};
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

/// A pool plus the knowledge of which backend it is.
#[derive(Debug, Clone)]
pub struct Db {
    /// The shared pool. Read queries use it directly; writes go through [`Db::begin`].
    pub pool: AnyPool,
    /// The engine behind the pool.
    pub backend: Backend,
    /// On SQLite, a second small pool whose connections commit with `synchronous = NORMAL`, for
    /// frequent small writes (autosaves); see [`Db::begin_relaxed`].
    relaxed: Option<AnyPool>,
}

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
        let pool = pool_options(backend, 8, FULL).connect(url).await.context("cannot connect to the database")?;
        let relaxed = match backend {
            Backend::Sqlite => Some(pool_options(backend, 2, NORMAL).connect(url).await.context("cannot connect")?),
            Backend::Postgres => None,
        };
        let db = Self { pool, backend, relaxed };
        db.migrate().await?;
        Ok(db)
    }

    /// Applies pending migrations for this backend.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&self.pool).await.context("database migration failed")?;
        // Data the SQL of a migration cannot compute (Unicode lower case on SQLite).
        let mut tx = self.begin().await.context("database migration failed")?;
        crate::organisation::db::fold_legal_names(&mut tx).await.context("folding legal names for search")?;
        tx.commit().await.context("database migration failed")?;
        Ok(())
    }

    /// Starts a write transaction. On SQLite it takes the write lock up front (`BEGIN
    /// IMMEDIATE`), so two writers queue on the busy timeout instead of failing on upgrade.
    pub async fn begin(&self) -> Result<Transaction<'static, Any>, sqlx::Error> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
    }

    /// Starts a write transaction whose commit need not wait for the disk: for autosaved answers,
    /// where a power cut may lose the last second of typing but never corrupts anything. On
    /// SQLite the commit skips the WAL fsync (`synchronous = NORMAL`; the next FULL commit or
    /// checkpoint makes it durable); on PostgreSQL `synchronous_commit` is off for this
    /// transaction only. Submissions, decisions and their audit events always use [`Db::begin`].
    pub async fn begin_relaxed(&self) -> Result<Transaction<'static, Any>, sqlx::Error> {
        match (&self.relaxed, self.backend) {
            (Some(relaxed), Backend::Sqlite) => relaxed.begin_with("BEGIN IMMEDIATE").await,
            _ => {
                let mut tx = self.pool.begin().await?;
                sqlx::raw_sql("SET LOCAL synchronous_commit = off").execute(&mut *tx).await?;
                Ok(tx)
            }
        }
    }
}

const FULL: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                    PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;";
const NORMAL: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                      PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;";

/// Pool options; `sqlite_setup` is the SQLite connection set-up (FULL: a receipt shown to a user
/// must survive power loss).
fn pool_options(backend: Backend, sqlite_connections: u32, sqlite_setup: &'static str) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(if backend == Backend::Sqlite { sqlite_connections } else { 16 })
        .acquire_timeout(Duration::from_secs(5))
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                let setup = match backend {
                    Backend::Sqlite => sqlite_setup,
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

/// The current time in Unix milliseconds. The only clock read in Senim's data layer.
pub fn now_ms() -> i64 {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    i64::try_from(now.as_millis()).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let db = Db::connect(&format!("sqlite://{}/pragma-{}.db?mode=rwc", dir.display(), now_ms())).await.expect("db");
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
