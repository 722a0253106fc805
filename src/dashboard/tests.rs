//! The dashboard on real databases: the numbers come from the records, the CSV downloads are
//! formula-safe, and only customs reads it.

use crate::domain::role::Role;
use crate::testing::TestApp;
use http::StatusCode;

#[tokio::test]
async fn the_dashboard_counts_tiers_and_findings_and_downloads_each_table() {
    for app in TestApp::each_backend().await {
        let b = app.backend;
        let org = app.organisation("Dash Co", "990940000105").await;
        app.organisation("=HYPERLINK(\"x\") Co", "990940000204").await;
        let trader = app.session_for(app.user(Some(org), Role::TraderAdmin, "admin@dash.kz").await).await;
        let officer = app.session_for(app.user(None, Role::Officer, "officer@customs.kz").await).await;
        let supervisor = app.session_for(app.user(None, Role::Supervisor, "super@customs.kz").await).await;
        app.call("scoring/rescore_all", &[], Some(&supervisor)).await;

        let page = app.page("/customs/dashboard", Some(&officer)).await;
        assert_eq!(page.status, StatusCode::OK, "{b}");
        for part in ["id=\"tier-table\"", "class=\"chart\"", "id=\"work-table\"", "/customs/pca?tier=D"] {
            let main = page.body.find("<main").map_or(page.body.as_str(), |i| &page.body[i..]);
            assert!(page.body.contains(part), "{b}: {part} in {}", main.chars().take(3000).collect::<String>());
        }
        assert_eq!(app.page("/customs/dashboard", Some(&trader)).await.status, StatusCode::FORBIDDEN, "{b}");
        let tiers = app.page("/customs/dashboard/tiers.csv", Some(&officer)).await;
        assert!(tiers.body.starts_with("tier,traders\r\n"), "{b}: {}", tiers.body);
        assert!(tiers.body.contains("D,2\r\n"), "{b}: two neutral traders in D: {}", tiers.body);
        for table in ["movement", "findings", "categories", "work"] {
            let csv = app.page(&format!("/customs/dashboard/{table}.csv"), Some(&officer)).await;
            assert_eq!(csv.status, StatusCode::OK, "{b}: {table}");
        }
        assert_eq!(app.page("/customs/dashboard/secrets.csv", Some(&officer)).await.status, StatusCode::NOT_FOUND);
        assert_eq!(app.page("/customs/dashboard/tiers.csv", Some(&trader)).await.status, StatusCode::FORBIDDEN);
    }
}
