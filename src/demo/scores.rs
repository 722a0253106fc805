//! The demo's compliance scores (domain reference §7.6): the national data customs holds about
//! the demo traders, imported through the national data page's upload forms as a supervisor
//! would (statistics for every trader; Shymkent Textile's customs debt, 120 days overdue, which
//! closes gate G1), then a full rescore that takes this month's snapshot. Shymkent Textile then goes
//! through the PCA candidate list as customs would take it: the officer proposes it, the supervisor
//! selects it (a planned field audit), and the officer notifies the trader.

use super::form::Browser;
use crate::domain::id::UserId;
use crate::server::state::AppState;
use anyhow::{Context, bail};

fn day(offset: i64) -> String {
    let (y, m, d) = crate::domain::time::civil_from_days(crate::server::db::now().days_since_epoch() + offset);
    format!("{y:04}-{m:02}-{d:02}")
}

/// One demo trader's statistics row: BIN, declarations, corrected by customs, amendments, payments
/// due, on time, annual duties, first declaration days ago, certifications.
type StatisticsRow = (&'static str, u32, u32, u32, u32, u32, &'static str, i64, &'static str);

/// Each demo trader's trailing-12-month statistics.
const STATISTICS: [StatisticsRow; 6] = [
    ("990940000105", 1200, 48, 14, 410, 410, "185000000.00", 3650, ""),
    ("990940000204", 640, 29, 31, 160, 151, "45200000.00", 2900, ""),
    ("990940000303", 310, 3, 5, 84, 84, "121500000.00", 5100, "ISO 9001|ISO 28000"),
    ("990940000402", 96, 1, 2, 24, 24, "8350000.00", 240, ""),
    ("990940000501", 2150, 41, 60, 0, 0, "0.00", 4400, "ISO 9001"),
    ("990940000600", 420, 37, 58, 118, 93, "31800000.00", 1800, ""),
];

/// Imports the demo's national data, scores every trader, and takes Shymkent Textile from the PCA
/// candidate list to a notified field audit.
pub async fn load(state: &AppState, supervisor: UserId, officer: UserId) -> anyhow::Result<String> {
    let browser = Browser::signed_in(state, supervisor).await?;
    let mut statistics = String::from(
        "bin,period_end,declarations,corrected_by_customs,amendments,sector_median_amendment_rate,payments_due,\
         payments_on_time,annual_duties,first_declaration,certifications\n",
    );
    for (bin, declarations, corrected, amendments, due, on_time, duties, first, certifications) in STATISTICS {
        statistics.push_str(&format!(
            "{bin},{},{declarations},{corrected},{amendments},0.04,{due},{on_time},{duties},{},{certifications}\n",
            day(-1),
            day(-first)
        ));
    }
    let debts = format!(
        "bin,reference,amount,currency,due_date,paid_date\n\
         990940000600,KGD-2025-D-0193,2450000.00,KZT,{},\n\
         990940000204,KGD-2025-D-0088,312000.00,KZT,{},{}\n",
        day(-120),
        day(-75),
        day(-70)
    );
    for (kind, body) in [("statistics", statistics), ("debts", debts)] {
        let location = browser
            .upload_to(&format!("/customs/national-data/{kind}"), &format!("demo-{kind}.csv"), body.as_bytes())
            .await?;
        let id: i64 = location
            .split("import=")
            .nth(1)
            .and_then(|rest| rest.split(['#', '&']).next())
            .and_then(|n| n.parse().ok())
            .with_context(|| format!("the {kind} upload answered {location}"))?;
        let view = crate::national::service::import_view(state, id).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
        if !view.imported {
            bail!("the demo {kind} extract was refused: {:?}", view.errors);
        }
    }
    let summary = crate::scoring::service::rescore_all(state, None, "demo")
        .await
        .map_err(|e| anyhow::anyhow!("rescore: {e:?}"))?;
    let pair = |k: &str, v: &str| (k.to_owned(), v.to_owned());
    let officer = Browser::signed_in(state, officer).await?;
    let shymkent = crate::organisation::service::ids_by_identifier(state)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?
        .get("990940000600")
        .copied()
        .context("Shymkent Textile")?;
    let proposal = officer
        .post(
            "pca/propose",
            &[
                pair("organisation", &shymkent.to_string()),
                pair("reason", "Customs debt 120 days overdue and declared values far below comparable imports."),
            ],
        )
        .await
        .context("PCA proposal")?;
    browser
        .post(
            "pca/decide",
            &[
                pair("id", proposal.trim()),
                pair("decision", "select"),
                pair("reason", "Highest revenue at risk among gated traders this quarter."),
                pair("kind", "field_audit"),
                pair("reference", "FA-2026-0012"),
                pair("period_from", &day(-365)),
                pair("period_to", &day(-1)),
                pair("topics[0]", "valuation"),
            ],
        )
        .await
        .context("PCA selection")?;
    let case = crate::control::service::for_customs(state, shymkent)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?
        .into_iter()
        .find(|c| c.reference == "FA-2026-0012")
        .context("the selected audit's control case")?;
    officer
        .post("control/transition", &[pair("id", &case.id.to_string()), pair("action", "notify")])
        .await
        .context("notify FA-2026-0012")?;
    Ok(format!(
        "{} traders scored, snapshot taken; Shymkent Textile proposed, selected and notified of field audit FA-2026-0012",
        summary.traders
    ))
}
