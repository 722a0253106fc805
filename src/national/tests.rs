//! National data on real databases, through the upload forms a browser posts: templates, every
//! kind of bad row refused whole with its row and column, a good file imported with its audit
//! event and rescore requests, and access.

use crate::domain::role::Role;
use crate::testing::TestApp;
use http::StatusCode;

#[tokio::test]
async fn extracts_are_imported_whole_or_refused_with_every_error_and_only_by_importers() {
    for app in TestApp::each_backend().await {
        let b = app.backend;
        let org = app.organisation("Import Co", "990940000105").await;
        let trader = app.session_for(app.user(Some(org), Role::TraderAdmin, "admin@import.kz").await).await;
        let officer = app.session_for(app.user(None, Role::Officer, "officer@customs.kz").await).await;
        let admin = app.session_for(app.user(None, Role::CustomsAdmin, "cadmin@customs.kz").await).await;

        // The templates: customs staff download them; the template file itself imports cleanly.
        for kind in ["debts", "statistics"] {
            let path = format!("/customs/national-data/{kind}-template.csv");
            assert_eq!(app.page(&path, Some(&trader)).await.status, StatusCode::FORBIDDEN, "{b}: {kind}");
            let template = app.page(&path, Some(&officer)).await;
            assert_eq!(template.status, StatusCode::OK, "{b}: {kind}");
            let body = template.body.replace("990940000001", "990940000105").replace("990940000006", "990940000105");
            let up = app.upload_to(&format!("/customs/national-data/{kind}"), "t.csv", body.as_bytes(), &admin).await;
            assert_eq!(up.status, StatusCode::SEE_OTHER, "{b}: {up:?}");
            let shown = app.page(&up.location, Some(&admin)).await;
            assert!(shown.body.contains("rows of"), "{b}: the {kind} template imports: {}", shown.body);
        }

        // Officers and traders cannot import; the page is for importers.
        for who in [&trader, &officer] {
            let up = app.upload_to("/customs/national-data/debts", "d.csv", b"bin\n", who).await;
            assert_eq!(up.status, StatusCode::FORBIDDEN, "{b}");
        }
        assert_eq!(app.call("national/imports", &[], Some(&officer)).await.status, StatusCode::FORBIDDEN);

        // Every problem of a bad file, at its row and column; nothing changes.
        let before = app.scalar("SELECT COUNT(*) FROM customs_debts WHERE id > $1", 0_i64).await;
        let bad = "bin,reference,amount,currency,due_date,paid_date\n\
                   990940000105,,100.00,KZT,2025-01-10,\n\
                   990940000303,D-2,100.001,KZT,2025-01-10,\n\
                   990940000105,D-3,=1+1,XXX,2025-02-30,\n";
        let up = app.upload_to("/customs/national-data/debts", "bad.csv", bad.as_bytes(), &admin).await;
        let id = up.location.split("import=").nth(1).and_then(|r| r.split('#').next()).expect("import id").to_owned();
        let view = app.call("national/import", &[("id", &id)], Some(&admin)).await;
        for part in [
            "\"row\":2",
            "\"reference\"",
            "\"row\":3",
            "MoneyPrecision",
            "\"row\":4",
            "FormulaCell",
            "\"imported\":false",
        ] {
            assert!(view.body.contains(part), "{b}: {part} in {}", view.body);
        }
        assert_eq!(app.scalar("SELECT COUNT(*) FROM customs_debts WHERE id > $1", 0_i64).await, before, "{b}");
        let page = app.page(&up.location, Some(&admin)).await;
        assert!(page.body.contains("was not imported") && page.body.contains("<td class=\"num\">4</td>"), "{b}");
        // A well-formed row of a trader nobody registered.
        let stranger = "bin,reference,amount,currency,due_date,paid_date\n990940000303,D-2,100.00,KZT,2025-01-10,\n";
        let up = app.upload_to("/customs/national-data/debts", "s.csv", stranger.as_bytes(), &admin).await;
        let id = up.location.split("import=").nth(1).and_then(|r| r.split('#').next()).expect("id").to_owned();
        let view = app.call("national/import", &[("id", &id)], Some(&admin)).await;
        assert!(view.body.contains("UnknownTrader") && view.body.contains("\"column\":\"bin\""), "{b}: {view:?}");
        // Not UTF-8, empty.
        let latin = app.upload_to("/customs/national-data/debts", "l.csv", &[0xff, 0xfe, 0x41], &admin).await;
        let id = latin.location.split("import=").nth(1).and_then(|r| r.split('#').next()).expect("id").to_owned();
        assert!(app.call("national/import", &[("id", &id)], Some(&admin)).await.body.contains("NotUtf8"), "{b}");
        let empty = app.upload_to("/customs/national-data/debts", "e.csv", b"", &admin).await;
        assert!(empty.location.contains("error=FileEmpty"), "{b}: {empty:?}");
        // Each attempt is audit-logged.
        assert!(
            app.scalar("SELECT COUNT(*) FROM audit_events WHERE action LIKE 'national.import%' AND seq > $1", 0_i64)
                .await
                >= 4,
            "{b}"
        );
    }
}
