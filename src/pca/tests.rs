//! The PCA candidate list on real databases, through the server functions and pages: a gated
//! trader ranks first with its indicators, a recent clean audit leaves a trader off, an officer
//! proposes, a supervisor selects (recording a planned, confidential control case) or dismisses.

use crate::domain::role::Role;
use crate::testing::TestApp;
use http::StatusCode;

fn day(offset: i64) -> String {
    let (y, m, d) = crate::domain::time::civil_from_days(crate::server::db::now().days_since_epoch() + offset);
    format!("{y:04}-{m:02}-{d:02}")
}

#[tokio::test]
async fn a_gated_trader_is_ranked_proposed_and_selected_into_a_planned_control() {
    for app in TestApp::each_backend().await {
        let b = app.backend;
        let gated = app.organisation("Gated Textile", "990940000105").await;
        let audited = app.organisation("Audited Co", "990940000204").await;
        let found = app.organisation("Found Co", "990940000303").await;
        let trader = app.session_for(app.user(Some(gated), Role::TraderAdmin, "admin@gated.kz").await).await;
        let officer = app.session_for(app.user(None, Role::Officer, "officer@customs.kz").await).await;
        let supervisor = app.session_for(app.user(None, Role::Supervisor, "super@customs.kz").await).await;

        let stats = format!(
            "bin,period_end,declarations,corrected_by_customs,amendments,sector_median_amendment_rate,payments_due,\
             payments_on_time,annual_duties,first_declaration,certifications\n\
             990940000105,{d},400,30,50,0.04,100,80,30000000.00,2020-01-01,\n\
             990940000204,{d},400,30,50,0.04,100,80,90000000.00,2020-01-01,\n\
             990940000303,{d},400,30,50,0.04,100,80,60000000.00,2020-01-01,\n",
            d = day(-1)
        );
        app.upload_to("/customs/national-data/statistics", "s.csv", stats.as_bytes(), &supervisor).await;
        let debts = format!(
            "bin,reference,amount,currency,due_date,paid_date\n990940000105,D-9,2450000.00,KZT,{},\n",
            day(-120)
        );
        app.upload_to("/customs/national-data/debts", "d.csv", debts.as_bytes(), &supervisor).await;
        // Desk audits closed recently: Audited Co's without a finding (a clean audit), Found Co's
        // with one communicated to the trader (not clean: it stays a candidate).
        let mut cases = Vec::new();
        for (org, reference) in [(audited, "DA-1"), (found, "DA-2")] {
            let case = app
                .call(
                    "control/record",
                    &[
                        ("organisation", &org.to_string()),
                        ("kind", "desk_audit"),
                        ("reference", reference),
                        ("period_from", "2025-01-01"),
                        ("period_to", "2025-12-31"),
                        ("topics[0]", "valuation"),
                    ],
                    Some(&officer),
                )
                .await;
            let case = case.body.trim().to_owned();
            for action in ["notify", "start"] {
                app.call("control/transition", &[("id", &case), ("action", action)], Some(&officer)).await;
            }
            cases.push(case);
        }
        let finding = app
            .call(
                "finding/record",
                &[
                    ("organisation", &found.to_string()),
                    ("source", "control"),
                    ("control_case", &cases[1]),
                    ("topic", "valuation"),
                    ("description", "Royalties left out of the customs value."),
                    ("declarations", "50101010/150324/0001234"),
                    ("revenue", "400 000.00"),
                    ("culpability", "negligence"),
                    ("severity", "major"),
                    ("found_on", &day(-2)),
                ],
                Some(&officer),
            )
            .await;
        assert!(finding.status.is_success(), "{b}: {finding:?}");
        let finding = finding.body.trim().to_owned();
        let communicated = app
            .call("finding/step", &[("id", &finding), ("action", "communicate"), ("text", "")], Some(&officer))
            .await;
        assert!(communicated.status.is_success(), "{b}: {communicated:?}");
        for case in &cases {
            app.call("control/transition", &[("id", case), ("action", "close")], Some(&officer)).await;
        }
        app.call("scoring/rescore_all", &[], Some(&supervisor)).await;

        let page = app.page("/customs/pca", Some(&officer)).await;
        assert_eq!(page.status, StatusCode::OK, "{b}");
        assert!(page.body.contains(&format!("id=\"candidate-{gated}\"")), "{b}: the gated trader is listed");
        assert!(page.body.contains("data-indicator=\"G1\"") && page.body.contains("data-indicator=\"TIER-E\""), "{b}");
        assert!(!page.body.contains(&format!("id=\"candidate-{audited}\"")), "{b}: a recent clean audit leaves it off");
        assert!(page.body.contains(&format!("id=\"candidate-{found}\"")), "{b}: an audit with a finding is not clean");
        assert!(page.body.contains("1 traders with a desk or field audit closed"), "{b}: the exclusion is said");
        assert_eq!(app.page("/customs/pca", Some(&trader)).await.status, StatusCode::FORBIDDEN, "{b}");
        let e_only = app.call("pca/list", &[("tier", "E")], Some(&officer)).await;
        assert!(e_only.body.contains("Gated Textile"), "{b}: {e_only:?}");

        // Proposed with reasons (once); a supervisor selects it into a planned control case.
        let no_reason =
            app.call("pca/propose", &[("organisation", &gated.to_string()), ("reason", " ")], Some(&officer)).await;
        assert!(no_reason.body.contains("Required"), "{b}: {no_reason:?}");
        let proposed = app
            .call(
                "pca/propose",
                &[("organisation", &gated.to_string()), ("reason", "Overdue debt and undervaluation.")],
                Some(&officer),
            )
            .await;
        assert!(proposed.status.is_success(), "{b}: {proposed:?}");
        let id = proposed.body.trim().to_owned();
        let twice = app
            .call("pca/propose", &[("organisation", &gated.to_string()), ("reason", "Again.")], Some(&officer))
            .await;
        assert!(twice.body.contains("WrongState"), "{b}: one open proposal per trader");
        let by_officer =
            app.call("pca/decide", &[("id", &id), ("decision", "dismiss"), ("reason", "No.")], Some(&officer)).await;
        assert_eq!(by_officer.status, StatusCode::FORBIDDEN, "{b}");
        let selected = app
            .call(
                "pca/decide",
                &[
                    ("id", &id),
                    ("decision", "select"),
                    ("reason", "Highest risk in the region."),
                    ("kind", "field_audit"),
                    ("reference", "FA-2026-0101"),
                    ("period_from", "2025-01-01"),
                    ("period_to", "2025-12-31"),
                    ("topics[0]", "valuation"),
                ],
                Some(&supervisor),
            )
            .await;
        assert!(selected.status.is_success(), "{b}: {selected:?}");
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM control_cases WHERE status = 'planned' AND organisation_id = $1", gated)
                .await,
            1,
            "{b}: the selection recorded a planned control case"
        );
        // Planned: confidential, the trader does not see it.
        assert!(!app.call("control/mine", &[], Some(&trader)).await.body.contains("FA-2026-0101"), "{b}");
        let again =
            app.call("pca/decide", &[("id", &id), ("decision", "dismiss"), ("reason", "x")], Some(&supervisor)).await;
        assert_eq!(again.status, StatusCode::NOT_FOUND, "{b}: decided once");
    }
}
