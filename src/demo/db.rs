//! SQL for benchmark set-up: a scratch table for the raw single-row insert rate, and the
//! synthetic traders of the compliance-score benchmark.

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

/// Runs one multi-row INSERT of `rows` (each `width` values, bound in order) in chunks.
async fn insert_rows(
    conn: &mut AnyConnection,
    head: &str,
    width: usize,
    rows: &[Vec<Value>],
) -> Result<(), sqlx::Error> {
    for chunk in rows.chunks(500) {
        let mut sql = String::from(head);
        sql.push_str(" VALUES ");
        for i in 0..chunk.len() {
            if i > 0 {
                sql.push(',');
            }
            sql.push('(');
            sql.push_str(&(1..=width).map(|k| format!("${}", i * width + k)).collect::<Vec<_>>().join(","));
            sql.push(')');
        }
        // Built from numbered placeholders only: every value is bound.
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for row in chunk {
            for v in row {
                q = match v {
                    Value::Int(n) => q.bind(*n),
                    Value::Opt(n) => q.bind(*n),
                    Value::Text(t) => q.bind(t.clone()),
                };
            }
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// A bound value of a seeded row.
#[derive(Clone)]
pub enum Value {
    Int(i64),
    Opt(Option<i64>),
    Text(String),
}

/// Bench-only synthetic traders for the compliance-score benchmark and `senim demo --traders`:
/// `n` organisations (BINs from `bin`), each with trailing-12-month statistics; about 60 % with a
/// reviewed T1 (ten answers, most verified), 30 % with one to three counted findings, 4 % with a
/// customs debt (half of those overdue beyond 90 days). Written straight into the tables in
/// multi-row statements, one transaction per table, because a hundred thousand traders through
/// the services' forms would take hours; what is written is what those services would store.
pub async fn seed_traders(
    pool: &AnyPool,
    n: usize,
    bin: impl Fn(usize) -> String,
    template: i64,
    reviewer: i64,
    today: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    use Value::{Int, Opt, Text};
    if n == 0 {
        return Ok(Vec::new());
    }
    let now_ms = today * 86_400_000;
    let mut rng = Lcg::new(20_261_203);
    let mut tx = pool.begin().await?;
    let mut orgs = Vec::with_capacity(n);
    for start in (0..n).step_by(5_000) {
        let rows: Vec<Vec<Value>> = (start..n.min(start + 5_000))
            .map(|i| {
                let name = format!("ТОО «Synthetic Trader {i:06}»");
                vec![
                    Text("bin".into()),
                    Text(bin(i)),
                    Text(name.clone()),
                    Text(name.to_lowercase()),
                    Text(format!("info@synthetic{i}.kz")),
                    Int(now_ms),
                ]
            })
            .collect();
        insert_rows(
            &mut tx,
            "INSERT INTO organisations (identifier_scheme, identifier, legal_name, legal_name_folded, contact_email, created_at)",
            6,
            &rows,
        )
        .await?;
    }
    tx.commit().await?;
    let first: i64 = sqlx::query("SELECT CAST(MIN(id) AS BIGINT) AS id FROM organisations WHERE identifier = $1")
        .bind(bin(0))
        .fetch_one(pool)
        .await?
        .try_get("id")?;
    for i in 0..n {
        orgs.push(first + i64::try_from(i).unwrap_or(0));
    }
    let mut stats = Vec::new();
    let mut debts = Vec::new();
    let mut findings = Vec::new();
    let mut assessments = Vec::new();
    for &org in &orgs {
        let declarations = 20 + rng.below(2_000) as i64;
        let corrected = declarations * rng.below(8) as i64 / 100;
        let amendments = declarations * rng.below(10) as i64 / 100;
        let due = declarations / 4 + 1;
        let on_time = due - due * rng.below(15) as i64 / 100;
        let duties = (1_000_000 + rng.below(400_000_000) as i64) * 100;
        let first_declaration = today - 90 - rng.below(4_000) as i64;
        stats.push(vec![
            Int(org),
            Int(today - 1),
            Int(declarations),
            Int(corrected),
            Int(amendments),
            Int(40_000),
            Int(due),
            Int(on_time),
            Int(duties),
            Opt(Some(first_declaration)),
            Text(if rng.below(10) == 0 { "[\"ISO 9001\"]".into() } else { "[]".into() }),
            Int(0),
            Int(now_ms),
        ]);
        if rng.below(25) == 0 {
            let overdue = if rng.below(2) == 0 { 120 } else { 20 };
            debts.push(vec![
                Int(org),
                Text(format!("SYN-D-{org}")),
                Int((100_000 + rng.below(5_000_000) as i64) * 100),
                Text("KZT".into()),
                Int(today - overdue),
                Opt(None),
                Int(0),
                Int(now_ms),
            ]);
        }
        if rng.below(10) < 3 {
            for _ in 0..=rng.below(3) {
                let discovery = ["voluntary", "prompted", "customs_detected"][rng.below(3) as usize];
                let status = ["confirmed", "remediation_planned", "remediation_verified"][rng.below(3) as usize];
                findings.push(vec![
                    Int(org),
                    Text("document_check".into()),
                    Text(["classification", "valuation", "origin", "quantity"][rng.below(4) as usize].into()),
                    Text("Synthetic finding for the benchmark.".into()),
                    Int((rng.below(3_000_000) as i64) * 100),
                    Text(["clerical", "negligence", "negligence", "gross_negligence"][rng.below(4) as usize].into()),
                    Text(discovery.into()),
                    Text(["minor", "moderate", "major", "critical"][rng.below(4) as usize].into()),
                    Int(today - rng.below(1_200) as i64),
                    Text(status.into()),
                    Opt(Some(today - 30)),
                    Int(now_ms),
                    Int(now_ms),
                ]);
            }
        }
        if rng.below(10) < 6 {
            assessments.push((org, 4_000 + rng.below(6_000) as i64));
        }
    }
    let mut tx = pool.begin().await?;
    insert_rows(
        &mut tx,
        "INSERT INTO trade_statistics (organisation_id, period_end, declarations, corrected_by_customs, amendments, \
         sector_median_amendment_ppm, payments_due, payments_on_time, annual_duties_minor, first_declaration, \
         certifications, import_id, updated_at)",
        13,
        &stats,
    )
    .await?;
    insert_rows(
        &mut tx,
        "INSERT INTO customs_debts (organisation_id, reference, amount_minor, currency, due_on, paid_on, import_id, updated_at)",
        8,
        &debts,
    )
    .await?;
    insert_rows(
        &mut tx,
        "INSERT INTO findings (organisation_id, source, topic, description, revenue_minor, culpability, discovery, \
         severity, found_on, status, hearing_due, created_at, updated_at)",
        13,
        &findings,
    )
    .await?;
    let rows: Vec<Vec<Value>> = assessments
        .iter()
        .map(|(org, score)| {
            let json =
                format!("{{\"overall_bp\":{score},\"sections\":[],\"contributions\":[],\"knock_outs_failed\":[]}}");
            vec![
                Int(*org),
                Int(template),
                // Reviewed once its answers are in (answers of a reviewed assessment are frozen).
                Text("draft".into()),
                Int(reviewer),
                Int(now_ms),
                Int(now_ms),
                Int(reviewer),
                Int(now_ms - i64::try_from(rng.below(700)).unwrap_or(0) * 86_400_000),
                Int(*score),
                Text(json),
            ]
        })
        .collect();
    insert_rows(
        &mut tx,
        "INSERT INTO assessments (organisation_id, template_id, status, created_by, created_at, updated_at, reviewer_id, \
         reviewed_at, score_bp, score_json)",
        10,
        &rows,
    )
    .await?;
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
    let mut answers = Vec::new();
    let mut reviews = Vec::new();
    for id in ids {
        for q in 0..10 {
            let key = format!("Q{q}");
            answers.push(vec![
                Int(id),
                Text(key.clone()),
                Text("{\"value\":\"yes\"}".into()),
                Int(1),
                Int(reviewer),
                Int(now_ms),
            ]);
            if rng.below(10) < 8 {
                reviews.push(vec![Int(id), Text(key), Text("verified".into()), Int(reviewer), Int(now_ms)]);
            }
        }
        if answers.len() >= 50_000 {
            insert_rows(
                &mut tx,
                "INSERT INTO answers (assessment_id, question_key, value, version, updated_by, updated_at)",
                6,
                &answers,
            )
            .await?;
            insert_rows(
                &mut tx,
                "INSERT INTO answer_reviews (assessment_id, question_key, verification, reviewer_id, reviewed_at)",
                5,
                &reviews,
            )
            .await?;
            answers.clear();
            reviews.clear();
        }
    }
    insert_rows(
        &mut tx,
        "INSERT INTO answers (assessment_id, question_key, value, version, updated_by, updated_at)",
        6,
        &answers,
    )
    .await?;
    insert_rows(
        &mut tx,
        "INSERT INTO answer_reviews (assessment_id, question_key, verification, reviewer_id, reviewed_at)",
        5,
        &reviews,
    )
    .await?;
    sqlx::query("UPDATE assessments SET status = 'reviewed' WHERE status = 'draft' AND organisation_id >= $1")
        .bind(first)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(orgs)
}
