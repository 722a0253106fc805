//! SQL for benchmark set-up: a scratch table for the raw single-row insert rate.

use sqlx::{AnyConnection, AnyPool};

/// Creates the scratch table (dropped again by [`drop_bench_table`]).
pub async fn create_bench_table(pool: &AnyPool) -> Result<(), sqlx::Error> {
    sqlx::query("DROP TABLE IF EXISTS bench_inserts").execute(pool).await?;
    sqlx::query("CREATE TABLE bench_inserts (n BIGINT NOT NULL, payload TEXT NOT NULL)").execute(pool).await?;
    Ok(())
}

/// Inserts one row.
pub async fn insert_bench_row(conn: &mut AnyConnection, n: i64) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO bench_inserts (n, payload) VALUES ($1, $2)")
        .bind(n)
        .bind("a single-row committed insert of about the size of an answer")
        .execute(conn)
        .await?;
    Ok(())
}

/// Drops the scratch table.
pub async fn drop_bench_table(pool: &AnyPool) -> Result<(), sqlx::Error> {
    sqlx::query("DROP TABLE IF EXISTS bench_inserts").execute(pool).await?;
    Ok(())
}
