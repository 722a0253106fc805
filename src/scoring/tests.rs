//! Compliance scores on real databases, through the server functions, uploads and pages a browser
//! uses: a finding lowers the score and the trader sees why (rule id, record, hint), a verified
//! remediation raises it; the national data feed it; a gate downgrades at once; full rescores take
//! one snapshot a month; parameter sets are imported, previewed and published by supervisors.

use crate::domain::role::Role;
use crate::testing::TestApp;
use http::StatusCode;

/// Today as `YYYY-MM-DD`, shifted by `days`.
fn day(days: i64) -> String {
    let today = crate::server::db::now().days_since_epoch() + days;
    let (y, m, d) = crate::domain::time::civil_from_days(today);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The composite shown on a score page, in basis points.
fn composite(page: &str) -> u32 {
    let Some(at) = page.find("id=\"composite\"") else {
        let main = page.find("<main").map_or(page, |i| &page[i..]);
        panic!("no composite on the page: {}", main.chars().take(3000).collect::<String>());
    };
    let at = at + page[at..].find('>').expect("tag ends") + 1;
    let text: String = page[at..].chars().take_while(|c| *c != '<').collect();
    let (whole, frac) = text.split_once('.').expect("two decimals");
    whole.parse::<u32>().expect("whole") * 100 + frac.parse::<u32>().expect("fraction")
}

fn statistics_csv(bin: &str) -> String {
    format!(
        "bin,period_end,declarations,corrected_by_customs,amendments,sector_median_amendment_rate,payments_due,\
         payments_on_time,annual_duties,first_declaration,certifications\n\
         {bin},{},1200,12,24,0.04,300,297,2500000.00,2019-05-14,ISO 9001\n",
        day(-1)
    )
}

#[tokio::test]
async fn a_finding_lowers_the_score_the_trader_sees_why_and_a_verified_remediation_raises_it() {
    for app in TestApp::each_backend().await {
        let b = app.backend;
        let org = app.organisation("Score Co", "990940000105").await;
        let other = app.organisation("Other Co", "990940000204").await;
        let sorg = org.to_string();
        let trader = app.session_for(app.user(Some(org), Role::Preparer, "prep@score.kz").await).await;
        let stranger = app.session_for(app.user(Some(other), Role::TraderAdmin, "admin@other.kz").await).await;
        let officer = app.session_for(app.user(None, Role::Officer, "officer@customs.kz").await).await;
        let supervisor = app.session_for(app.user(None, Role::Supervisor, "super@customs.kz").await).await;

        // Statistics arrive through the real upload, as the customs page posts it.
        let refused = app.upload_to("/customs/national-data/statistics", "stats.csv", b"x", &officer).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{b}: officers do not import national data");
        let up = app
            .upload_to(
                "/customs/national-data/statistics",
                "stats.csv",
                statistics_csv("990940000105").as_bytes(),
                &supervisor,
            )
            .await;
        assert_eq!(up.status, StatusCode::SEE_OTHER, "{b}: {up:?}");
        assert!(up.location.starts_with("/customs/national-data?import="), "{b}: {}", up.location);
        let result = app.page(&up.location, Some(&supervisor)).await;
        assert!(result.body.contains("1 rows of operational statistics imported"), "{b}: {}", result.body);

        // The first score, with the operational component and the certification bonus.
        let first = app.page("/score", Some(&trader)).await;
        assert_eq!(first.status, StatusCode::OK, "{b}");
        let before = composite(&first.body);
        for part in ["data-rule=\"OPS\"", "data-rule=\"CERT-BONUS\"", "score-v1", "id=\"score-events\""] {
            assert!(first.body.contains(part), "{b}: {part} on the score page");
        }
        let events_before = app.scalar("SELECT COUNT(*) FROM score_events WHERE organisation_id = $1", org).await;
        assert_eq!(events_before, 1, "{b}: the first score is an event");

        // The officer records, communicates and (after the hearing) confirms a finding.
        let recorded = app
            .call(
                "finding/record",
                &[
                    ("organisation", &sorg),
                    ("source", "document_check"),
                    ("topic", "valuation"),
                    ("description", "Freight to the border left out of customs value."),
                    ("declarations", "50101010/150324/0001234"),
                    ("revenue", "900000.00"),
                    ("culpability", "negligence"),
                    ("severity", "moderate"),
                    ("found_on", &day(-3)),
                ],
                Some(&officer),
            )
            .await;
        assert!(recorded.status.is_success(), "{b}: {recorded:?}");
        let id = recorded.body.trim().to_owned();
        let step = |action: &'static str, text: &'static str, who: String| {
            let (app, id) = (&app, id.clone());
            async move { app.call("finding/step", &[("id", &id), ("action", action), ("text", text)], Some(&who)).await }
        };
        assert!(step("communicate", "", officer.clone()).await.status.is_success(), "{b}");
        // A communicated finding does not count yet.
        assert_eq!(composite(&app.page("/score", Some(&trader)).await.body), before, "{b}: not confirmed yet");
        let heard = app.call("finding/answer", &[("id", &id), ("answer", "Agreed.")], Some(&trader)).await;
        assert!(heard.status.is_success(), "{b}: {heard:?}");
        assert!(step("confirm", "Confirmed from the freight invoices.", officer.clone()).await.status.is_success());
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM score_requests WHERE organisation_id = $1", org).await,
            1,
            "{b}: the confirmation asked for a rescore in its own transaction"
        );

        // The trader's page rescored at once: lower, with the rule id, the record and a hint.
        let after = app.page("/score", Some(&trader)).await;
        let lowered = composite(&after.body);
        assert!(lowered < before, "{b}: {lowered} < {before}");
        let reference = format!("F-{}-", &day(0)[..4]);
        for part in ["data-rule=\"F-SEV\"", &reference, "data-hint=\"H-REMEDIATE\"", &format!("/findings#finding-{id}")]
        {
            assert!(after.body.contains(part), "{b}: {part} on the trader's score page");
        }
        assert_eq!(app.scalar("SELECT COUNT(*) FROM score_requests WHERE organisation_id = $1", org).await, 0, "{b}");
        assert!(
            app.scalar("SELECT COUNT(*) FROM score_events WHERE organisation_id = $1", org).await > events_before,
            "{b}: the change is an event"
        );
        // Customs sees the same on the trader page; another trader sees only its own score.
        let panel = app.page(&format!("/customs/traders/{org}"), Some(&officer)).await;
        assert!(
            panel.body.contains("id=\"score-headline\"") && panel.body.contains("data-rule=\"F-SEV\""),
            "{b}: {} {}",
            panel.status,
            panel.body
        );
        assert_eq!(composite(&panel.body), lowered, "{b}: both sides see one score");
        let theirs = app.call("scoring/mine", &[], Some(&stranger)).await;
        assert!(
            theirs.status.is_success()
                && !theirs.body.contains("FindingDeduction")
                && !theirs.body.contains("Score Co"),
            "{b}: {theirs:?}"
        );
        assert_eq!(
            app.call("scoring/trader", &[("organisation", &sorg)], Some(&trader)).await.status,
            StatusCode::FORBIDDEN
        );

        // Remediation planned, reported and verified: the deduction halves and the score rises.
        let plan = app
            .call(
                "finding/remediate",
                &[("id", &id), ("action", "plan_remediation"), ("text", "Freight checklist."), ("due", &day(30))],
                Some(&trader),
            )
            .await;
        assert!(plan.status.is_success(), "{b}: {plan:?}");
        let report = app
            .call(
                "finding/remediate",
                &[("id", &id), ("action", "report_remediated"), ("text", "Checklist in use.")],
                Some(&trader),
            )
            .await;
        assert!(report.status.is_success(), "{b}: {report:?}");
        assert!(step("verify_remediation", "Checked three declarations.", officer.clone()).await.status.is_success());
        let raised = composite(&app.page("/score", Some(&trader)).await.body);
        assert!(raised > lowered && raised < before, "{b}: {lowered} < {raised} < {before}");

        // Score events are append-only.
        let tamper = sqlx::query("UPDATE score_events SET to_bp = 0").execute(&app.state.db.pool).await;
        assert!(tamper.is_err(), "{b}: score events cannot be changed");
    }
}

#[tokio::test]
async fn an_overdue_debt_gates_at_once_and_full_rescores_take_one_snapshot_a_month() {
    for app in TestApp::each_backend().await {
        let b = app.backend;
        let org = app.organisation("Debt Co", "990940000105").await;
        app.organisation("Quiet Co", "990940000204").await;
        let trader = app.session_for(app.user(Some(org), Role::TraderAdmin, "admin@debt.kz").await).await;
        let supervisor = app.session_for(app.user(None, Role::Supervisor, "super@customs.kz").await).await;
        let officer = app.session_for(app.user(None, Role::Officer, "officer@customs.kz").await).await;

        // A full rescore: every trader scored, one snapshot each; a second one takes none.
        assert_eq!(app.call("scoring/rescore_all", &[], Some(&officer)).await.status, StatusCode::FORBIDDEN);
        let first = app.call("scoring/rescore_all", &[], Some(&supervisor)).await;
        assert!(first.body.contains("\"traders\":2") && first.body.contains("\"snapshots\":2"), "{b}: {first:?}");
        let again = app.call("scoring/rescore_all", &[], Some(&supervisor)).await;
        assert!(again.body.contains("\"snapshots\":0"), "{b}: {again:?}");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM score_snapshots WHERE organisation_id > $1", 0_i64).await, 2);

        // A bad debts file is refused whole, every problem at its row and column.
        let bad = format!(
            "bin,reference,amount,currency,due_date,paid_date\n\
             990940000105,D-1,125.001,KZT,{},\n\
             990940000999,D-2,100.00,XXX,2025-02-30,\n",
            day(-120)
        );
        let up = app.upload_to("/customs/national-data/debts", "debts.csv", bad.as_bytes(), &supervisor).await;
        assert_eq!(up.status, StatusCode::SEE_OTHER, "{b}: {up:?}");
        let page = app.page(&up.location, Some(&supervisor)).await;
        assert!(page.body.contains("was not imported"), "{b}: {}", page.body);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM customs_debts WHERE organisation_id > $1", 0_i64).await, 0);
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM national_imports WHERE status = 'refused' AND id > $1", 0_i64).await,
            1
        );

        // A debt 120 days overdue: gate G1 and tier E at once, without waiting for a snapshot.
        let good = format!(
            "bin,reference,amount,currency,due_date,paid_date\n990940000105,D-17,1250000.00,KZT,{},\n",
            day(-120)
        );
        let up = app.upload_to("/customs/national-data/debts", "debts.csv", good.as_bytes(), &supervisor).await;
        assert_eq!(up.status, StatusCode::SEE_OTHER, "{b}: {up:?}");
        let page = app.page("/score", Some(&trader)).await;
        assert!(page.body.contains("data-gate=\"G1\"") && page.body.contains("D-17"), "{b}: the gate and its debt");
        assert!(page.body.contains("data-tier=\"E\""), "{b}: published tier E at once");
        assert!(page.body.contains("data-hint=\"H-PAY-DEBT\""), "{b}: the hint to pay");
        let downgrade = app
            .scalar("SELECT COUNT(*) FROM score_events WHERE change = 'gate_downgrade' AND organisation_id = $1", org)
            .await;
        assert_eq!(downgrade, 1, "{b}: the gate downgrade is an event");

        // Paid: the gate lifts from the score, but the published tier waits for snapshots.
        let paid = format!(
            "bin,reference,amount,currency,due_date,paid_date\n990940000105,D-17,1250000.00,KZT,{},{}\n",
            day(-120),
            day(0)
        );
        app.upload_to("/customs/national-data/debts", "debts.csv", paid.as_bytes(), &supervisor).await;
        let page = app.page("/score", Some(&trader)).await;
        assert!(!page.body.contains("data-gate=\"G1\""), "{b}: the gate lifted");
        assert!(page.body.contains("data-tier=\"E\""), "{b}: the upgrade waits for the monthly snapshots");
    }
}

#[tokio::test]
async fn parameter_sets_are_imported_previewed_and_published_by_a_supervisor() {
    for app in TestApp::each_backend().await {
        let b = app.backend;
        let org = app.organisation("Params Co", "990940000105").await;
        let officer = app.session_for(app.user(None, Role::Officer, "officer@customs.kz").await).await;
        let supervisor = app.session_for(app.user(None, Role::Supervisor, "super@customs.kz").await).await;
        app.call("scoring/rescore_all", &[], Some(&supervisor)).await;

        // A broken file: every problem with its line, nothing stored.
        let broken = crate::domain::compliance::file::V1.replace("accuracy = \"0.5\"", "accuracy = \"0.55\"");
        let refused = app.call("scoring/import", &[("source", &broken)], Some(&supervisor)).await;
        assert!(refused.body.contains("FileInvalid") && refused.body.contains("\"line\""), "{b}: {refused:?}");
        let same =
            app.call("scoring/import", &[("source", crate::domain::compliance::file::V1)], Some(&supervisor)).await;
        assert!(same.body.contains("already exists"), "{b}: {same:?}");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM score_parameter_sets WHERE id > $1", 0_i64).await, 1, "{b}");

        // A stricter set: a neutral trader falls from D to E.
        let v2 = crate::domain::compliance::file::V1
            .replace("version = \"score-v1\"", "version = \"score-v2\"")
            .replace("neutral = \"50\"", "neutral = \"35\"");
        assert_eq!(app.call("scoring/import", &[("source", &v2)], Some(&officer)).await.status, StatusCode::FORBIDDEN);
        let imported = app.call("scoring/import", &[("source", &v2)], Some(&supervisor)).await;
        assert!(imported.status.is_success(), "{b}: {imported:?}");
        let id = imported.body.trim().to_owned();
        let page = app.page(&format!("/customs/scoring?preview={id}"), Some(&supervisor)).await;
        assert!(page.body.contains("id=\"impact-summary\"") && page.body.contains("Params Co"), "{b}: {}", page.body);
        assert!(page.body.contains("1 would change tier (0 up, 1 down)"), "{b}: the impact preview counts");
        assert_eq!(app.call("scoring/publish", &[("id", &id)], Some(&officer)).await.status, StatusCode::FORBIDDEN);
        let published = app.call("scoring/publish", &[("id", &id)], Some(&supervisor)).await;
        assert!(published.status.is_success(), "{b}: {published:?}");
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM trader_scores WHERE version = 'score-v2' AND organisation_id = $1", org)
                .await,
            1,
            "{b}: every score names the version it used"
        );
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM score_parameter_sets WHERE status = 'published' AND id > $1", 0_i64).await,
            1
        );
        let twice = app.call("scoring/publish", &[("id", &id)], Some(&supervisor)).await;
        assert!(twice.body.contains("WrongState"), "{b}: {twice:?}");
    }
}

#[test]
fn debts_are_overdue_from_the_due_day_until_paid() {
    use super::service::tests_support::overdue_days;
    assert_eq!(overdue_days(100, None, 90), 0, "not yet due");
    assert_eq!(overdue_days(100, None, 220), 120);
    assert_eq!(overdue_days(100, Some(150), 220), 0, "paid");
    assert_eq!(overdue_days(100, Some(300), 220), 120, "paid after the scoring day still counts");
}

#[test]
fn the_published_tier_stands_before_the_first_snapshot_and_after_a_gate() {
    use super::db::{Current, SnapshotRow};
    use super::service::tests_support::history;
    use crate::domain::compliance::Tier;
    let current = |published: Tier| Current {
        version: "score-v1".into(),
        as_of: 0,
        composite_bp: 5_000,
        raw: published,
        published,
        pending: None,
        pending_snapshot: false,
        pending_confirm: false,
        confidence_ppm: 0,
        gates: String::new(),
        deductions_micro: 0,
        at_risk_minor: 0,
        reasons: String::new(),
        computed_at: crate::domain::time::Timestamp::from_millis(0),
    };
    // Never snapshotted: the current tier stands, not consecutive with any month.
    let h = history(&[], Some(&current(Tier::D)));
    assert_eq!((h.len(), h[0].published), (1, Tier::D));
    assert!(h[0].month < -1_000_000);
    assert!(history(&[], None).is_empty(), "never scored: the first score is initial");
    // A gate lowered the tier since the last snapshot: lifting it must wait for snapshots.
    let snap = SnapshotRow {
        month: 24_311,
        version: "score-v1".into(),
        composite_bp: 7_200,
        raw: Tier::B,
        published: Tier::B,
    };
    let h = history(std::slice::from_ref(&snap), Some(&current(Tier::E)));
    assert_eq!(h.last().map(|s| s.published), Some(Tier::E));
    let h = history(std::slice::from_ref(&snap), Some(&current(Tier::B)));
    assert_eq!(h.last().map(|s| s.published), Some(Tier::B));
}
