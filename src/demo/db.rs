//! SQL for benchmark set-up: a scratch table for the raw single-row insert rate, and the
//! synthetic traders of the compliance-score benchmark.

use crate::server::db::Backend;
use serde_json::json;
use sqlx::{AnyConnection, AnyPool, Row};

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

/// After a bulk load, on PostgreSQL: gathers the planner's statistics now, as autovacuum would
/// shortly after on a production server. These machines run PostgreSQL with autovacuum off, and
/// without statistics its plans for the measured pages were 3–4 times slower (docs/benchmarks.md).
pub async fn analyze(pool: &AnyPool, backend: Backend) -> Result<(), sqlx::Error> {
    if backend == Backend::Postgres {
        sqlx::query("ANALYZE").execute(pool).await?;
    }
    Ok(())
}

/// Drops the scratch table.
pub async fn drop_bench_table(pool: &AnyPool) -> Result<(), sqlx::Error> {
    sqlx::query("DROP TABLE IF EXISTS bench_inserts").execute(pool).await?;
    Ok(())
}

/// A deterministic pseudo-random stream (64-bit LCG), so every bench run seeds the same data.
pub struct Lcg(u64);

impl Lcg {
    /// A stream from `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1))
    }

    /// The next value below `n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n.max(1)
    }
}

/// `INSERT INTO table (columns) SELECT … FROM <the rows>` for both databases, reading the rows
/// from one bound JSON array of objects keyed by column name (`json_each` on SQLite,
/// `jsonb_array_elements` with each column's type on PostgreSQL): a statement per few thousand
/// rows, no per-row parameters and no SQL built at run time.
macro_rules! bulk_insert {
    ($table:ident: $first:ident $first_ty:literal $(, $col:ident $ty:literal)* $(,)?) => {
        Bulk {
            sqlite: concat!(
                "INSERT INTO ", stringify!($table), " (", stringify!($first) $(, ", ", stringify!($col))*,
                ") SELECT json_extract(j.value, '$.", stringify!($first), "')",
                $(", json_extract(j.value, '$.", stringify!($col), "')",)*
                " FROM json_each($1) AS j"
            ),
            postgres: concat!(
                "INSERT INTO ", stringify!($table), " (", stringify!($first) $(, ", ", stringify!($col))*,
                ") SELECT (e->>'", stringify!($first), "')::", $first_ty,
                $(", (e->>'", stringify!($col), "')::", $ty,)*
                " FROM jsonb_array_elements($1::TEXT::JSONB) AS e"
            ),
        }
    };
}

/// One bulk insert statement in its two dialects (see [`bulk_insert!`]).
struct Bulk {
    sqlite: &'static str,
    postgres: &'static str,
}

/// Inserts `rows` (JSON objects keyed by column name) with `bulk`, 5,000 rows per statement.
async fn insert_rows(
    conn: &mut AnyConnection,
    backend: Backend,
    bulk: &Bulk,
    rows: &[serde_json::Value],
) -> Result<(), sqlx::Error> {
    let sql = match backend {
        Backend::Sqlite => bulk.sqlite,
        Backend::Postgres => bulk.postgres,
    };
    for chunk in rows.chunks(5_000) {
        let array = serde_json::Value::Array(chunk.to_vec()).to_string();
        sqlx::query(sql).bind(array).execute(&mut *conn).await?;
    }
    Ok(())
}

const ORGANISATIONS: Bulk = bulk_insert!(organisations: identifier_scheme "TEXT", identifier "TEXT",
    legal_name "TEXT", legal_name_folded "TEXT", contact_email "TEXT", created_at "BIGINT");
const STATISTICS: Bulk = bulk_insert!(trade_statistics: organisation_id "BIGINT", period_end "BIGINT",
    declarations "BIGINT", corrected_by_customs "BIGINT", amendments "BIGINT", sector_median_amendment_ppm "BIGINT",
    payments_due "BIGINT", payments_on_time "BIGINT", annual_duties_minor "BIGINT", first_declaration "BIGINT",
    certifications "TEXT", import_id "BIGINT", updated_at "BIGINT");
const DEBTS: Bulk = bulk_insert!(customs_debts: organisation_id "BIGINT", reference "TEXT", amount_minor "BIGINT",
    currency "TEXT", due_on "BIGINT", paid_on "BIGINT", import_id "BIGINT", updated_at "BIGINT");
const FINDINGS: Bulk = bulk_insert!(findings: organisation_id "BIGINT", source "TEXT", topic "TEXT",
    description "TEXT", revenue_minor "BIGINT", culpability "TEXT", discovery "TEXT", severity "TEXT",
    found_on "BIGINT", status "TEXT", hearing_due "BIGINT", created_at "BIGINT", updated_at "BIGINT");
const ASSESSMENTS: Bulk = bulk_insert!(assessments: organisation_id "BIGINT", template_id "BIGINT", status "TEXT",
    created_by "BIGINT", created_at "BIGINT", updated_at "BIGINT", reviewer_id "BIGINT", reviewed_at "BIGINT",
    score_bp "BIGINT", score_json "TEXT");
const ANSWERS: Bulk = bulk_insert!(answers: assessment_id "BIGINT", question_key "TEXT", value "TEXT",
    version "BIGINT", updated_by "BIGINT", updated_at "BIGINT");
const REVIEWS: Bulk = bulk_insert!(answer_reviews: assessment_id "BIGINT", question_key "TEXT",
    verification "TEXT", reviewer_id "BIGINT", reviewed_at "BIGINT");
const DISCLOSURES: Bulk = bulk_insert!(disclosures: organisation_id "BIGINT", kind "TEXT", status "TEXT",
    title "TEXT", categories "TEXT", root_cause "TEXT", narrative "TEXT", discovery "TEXT",
    corrective_action "TEXT", currency "TEXT", rules_version "TEXT", number "TEXT", created_by "BIGINT",
    created_at "BIGINT", updated_at "BIGINT", submitted_at "BIGINT", outcome "TEXT", decided_by "BIGINT",
    decided_at "BIGINT", kdt_reference "TEXT", difference "BIGINT");
const CONTROLS: Bulk = bulk_insert!(control_cases: organisation_id "BIGINT", reference "TEXT", kind "TEXT",
    status "TEXT", declarations "TEXT", topics "TEXT", officer_id "BIGINT", notified_at "BIGINT",
    created_at "BIGINT", updated_at "BIGINT");

/// Bench-only synthetic traders for the compliance-score benchmark and `senim demo --traders`:
/// `n` organisations (BINs from `bin`), each with trailing-12-month statistics; about 60 % with a
/// reviewed T1 (ten answers, most verified), 30 % with one to three counted findings, 4 % with a
/// customs debt (half of those overdue beyond 90 days), 8 % with an accepted disclosure (most
/// voluntary, most with their correction confirmed), 3 % with a draft disclosure, 2 % with a
/// clean desk audit closed within the last two years and 1 % with an audit under way. Written
/// straight into the tables, one transaction per step, because a hundred thousand traders
/// through the services' forms would take hours; what is written is what those services store.
#[allow(clippy::too_many_lines)] // one table after another, in the order their keys need
pub async fn seed_traders(
    pool: &AnyPool,
    backend: Backend,
    n: usize,
    bin: impl Fn(usize) -> String,
    template: i64,
    reviewer: i64,
    today: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    if n == 0 {
        return Ok(Vec::new());
    }
    let now_ms = today * 86_400_000;
    let day_ms = |days: u64| now_ms - i64::try_from(days).unwrap_or(0) * 86_400_000;
    let mut rng = Lcg::new(20_261_203);
    let organisations: Vec<_> = (0..n)
        .map(|i| {
            let name = format!("ТОО «Synthetic Trader {i:06}»");
            json!({
                "identifier_scheme": "bin", "identifier": bin(i), "legal_name_folded": name.to_lowercase(),
                "legal_name": name, "contact_email": format!("info@synthetic{i}.kz"), "created_at": now_ms,
            })
        })
        .collect();
    let mut tx = pool.begin().await?;
    insert_rows(&mut tx, backend, &ORGANISATIONS, &organisations).await?;
    tx.commit().await?;
    let first: i64 = sqlx::query("SELECT CAST(MIN(id) AS BIGINT) AS id FROM organisations WHERE identifier = $1")
        .bind(bin(0))
        .fetch_one(pool)
        .await?
        .try_get("id")?;
    let orgs: Vec<i64> = (0..n).map(|i| first + i64::try_from(i).unwrap_or(0)).collect();
    let (mut stats, mut debts, mut findings, mut assessments) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut disclosures, mut controls) = (Vec::new(), Vec::new());
    for &org in &orgs {
        let declarations = 20 + rng.below(2_000) as i64;
        let due = declarations / 4 + 1;
        stats.push(json!({
            "organisation_id": org, "period_end": today - 1, "declarations": declarations,
            "corrected_by_customs": declarations * rng.below(8) as i64 / 100,
            "amendments": declarations * rng.below(10) as i64 / 100,
            "sector_median_amendment_ppm": 40_000, "payments_due": due,
            "payments_on_time": due - due * rng.below(15) as i64 / 100,
            "annual_duties_minor": (1_000_000 + rng.below(400_000_000) as i64) * 100,
            "first_declaration": today - 90 - rng.below(4_000) as i64,
            "certifications": if rng.below(10) == 0 { "[\"ISO 9001\"]" } else { "[]" },
            "import_id": 0, "updated_at": now_ms,
        }));
        if rng.below(25) == 0 {
            let overdue = if rng.below(2) == 0 { 120 } else { 20 };
            debts.push(json!({
                "organisation_id": org, "reference": format!("SYN-D-{org}"),
                "amount_minor": (100_000 + rng.below(5_000_000) as i64) * 100, "currency": "KZT",
                "due_on": today - overdue, "paid_on": null, "import_id": 0, "updated_at": now_ms,
            }));
        }
        if rng.below(10) < 3 {
            for _ in 0..=rng.below(3) {
                findings.push(json!({
                    "organisation_id": org, "source": "document_check",
                    "topic": (["classification", "valuation", "origin", "quantity"][rng.below(4) as usize]),
                    "description": "Synthetic finding for the benchmark.",
                    "revenue_minor": (rng.below(3_000_000) as i64) * 100,
                    "culpability": (["clerical", "negligence", "negligence", "gross_negligence"][rng.below(4) as usize]),
                    "discovery": (["voluntary", "prompted", "customs_detected"][rng.below(3) as usize]),
                    "severity": (["minor", "moderate", "major", "critical"][rng.below(4) as usize]),
                    "found_on": today - rng.below(1_200) as i64,
                    "status": (["confirmed", "remediation_planned", "remediation_verified"][rng.below(3) as usize]),
                    "hearing_due": today - 30, "created_at": now_ms, "updated_at": now_ms,
                }));
            }
        }
        if rng.below(10) < 6 {
            assessments.push((org, 4_000 + rng.below(6_000) as i64));
        }
        let roll = rng.below(100);
        if roll < 11 {
            // 8 in 100 accepted (decided within two years), 3 in 100 a draft.
            let accepted = roll < 8;
            let decided = day_ms(rng.below(700));
            let confirmed = rng.below(4) > 0;
            disclosures.push(json!({
                "organisation_id": org, "kind": "underpayment",
                "status": if !accepted { "draft" } else if confirmed { "kdt_confirmed" } else { "payment_pending" },
                "title": "Synthetic disclosure for the benchmark.", "categories": "[\"valuation\"]",
                "root_cause": "valuation_adjustment", "narrative": "Royalty not added to the customs value.",
                "discovery": "internal_audit", "corrective_action": "Customs value procedure updated.",
                "currency": "KZT", "rules_version": "bench",
                "number": if accepted { Some(format!("VD-BENCH-{org}")) } else { None },
                "created_by": reviewer, "created_at": decided, "updated_at": decided,
                "submitted_at": if accepted { Some(decided) } else { None },
                "outcome": accepted.then(|| if rng.below(5) > 0 { "accepted_voluntary" } else { "accepted_not_voluntary" }),
                "decided_by": accepted.then_some(reviewer), "decided_at": accepted.then_some(decided),
                "kdt_reference": (accepted && confirmed).then(|| format!("KDT-BENCH-{org}")),
                "difference": (rng.below(2_000_000) as i64) * 100,
            }));
        }
        let roll = rng.below(100);
        if roll < 3 {
            // 2 in 100 a desk audit closed within the clean-audit period, 1 in 100 one under way.
            let closed = roll < 2;
            let changed = day_ms(rng.below(600));
            controls.push(json!({
                "organisation_id": org, "reference": format!("DA-BENCH-{org}"), "kind": "desk_audit",
                "status": if closed { "closed" } else { "in_progress" }, "declarations": "[]",
                "topics": "[\"valuation\"]", "officer_id": reviewer, "notified_at": changed - 40 * 86_400_000,
                "created_at": changed - 60 * 86_400_000, "updated_at": changed,
            }));
        }
    }
    let assessments: Vec<_> = assessments
        .iter()
        .map(|(org, score)| {
            json!({
                "organisation_id": org, "template_id": template,
                // Reviewed once its answers are in (answers of a reviewed assessment are frozen).
                "status": "draft", "created_by": reviewer, "created_at": now_ms, "updated_at": now_ms,
                "reviewer_id": reviewer, "reviewed_at": day_ms(rng.below(700)), "score_bp": score,
                "score_json": format!("{{\"overall_bp\":{score},\"sections\":[],\"contributions\":[],\"knock_outs_failed\":[]}}"),
            })
        })
        .collect();
    let mut tx = pool.begin().await?;
    for (bulk, rows) in [
        (&STATISTICS, &stats),
        (&DEBTS, &debts),
        (&FINDINGS, &findings),
        (&DISCLOSURES, &disclosures),
        (&CONTROLS, &controls),
        (&ASSESSMENTS, &assessments),
    ] {
        insert_rows(&mut tx, backend, bulk, rows).await?;
    }
    tx.commit().await?;
    // Ten answers per reviewed assessment, most verified by the reviewer.
    let ids: Vec<i64> = sqlx::query("SELECT id FROM assessments WHERE status = 'draft' AND organisation_id >= $1")
        .bind(first)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| r.try_get("id"))
        .collect::<Result<_, _>>()?;
    let mut tx = pool.begin().await?;
    for batch in ids.chunks(5_000) {
        let (mut answers, mut reviews) = (Vec::new(), Vec::new());
        for &id in batch {
            for q in 0..10 {
                let key = format!("Q{q}");
                answers.push(json!({
                    "assessment_id": id, "question_key": key, "value": "{\"value\":\"yes\"}", "version": 1,
                    "updated_by": reviewer, "updated_at": now_ms,
                }));
                if rng.below(10) < 8 {
                    reviews.push(json!({
                        "assessment_id": id, "question_key": key, "verification": "verified",
                        "reviewer_id": reviewer, "reviewed_at": now_ms,
                    }));
                }
            }
        }
        insert_rows(&mut tx, backend, &ANSWERS, &answers).await?;
        insert_rows(&mut tx, backend, &REVIEWS, &reviews).await?;
    }
    sqlx::query("UPDATE assessments SET status = 'reviewed' WHERE status = 'draft' AND organisation_id >= $1")
        .bind(first)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(orgs)
}
