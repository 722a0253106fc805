//! Control cases on real databases, through the server functions and pages a browser uses.

use crate::domain::role::Role;
use crate::testing::TestApp;
use http::StatusCode;

#[tokio::test]
async fn a_planned_control_stays_with_customs_until_the_trader_is_notified() {
    for app in TestApp::each_backend().await {
        let org = app.organisation("Control Co", "990940000105").await;
        let other = app.organisation("Elsewhere Co", "990940000204").await;
        let sorg = org.to_string();
        let trader = app.session_for(app.user(Some(org), Role::Preparer, "prep@control.kz").await).await;
        let stranger = app.session_for(app.user(Some(other), Role::TraderAdmin, "admin@elsewhere.kz").await).await;
        let officer = app.session_for(app.user(None, Role::Officer, "officer@customs.kz").await).await;

        // The officer's form, with the field names the trader page renders.
        let page = app.page(&format!("/customs/traders/{org}"), Some(&officer)).await;
        for name in [
            "name=\"kind\"",
            "name=\"reference\"",
            "name=\"period_from\"",
            "name=\"period_to\"",
            "name=\"declarations\"",
            "name=\"topics[1]\"",
        ] {
            assert!(page.body.contains(name), "{}: the form has {name}", app.backend);
        }
        let record = |form: Vec<(&'static str, String)>| {
            let app = &app;
            let officer = officer.clone();
            async move {
                let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                app.call("control/record", &form, Some(&officer)).await
            }
        };
        let good = vec![
            ("organisation", sorg.clone()),
            ("kind", "document_request".into()),
            ("reference", "DR-2026-017".into()),
            ("period_from", "2024-03-01".into()),
            ("period_to", "2025-02-28".into()),
            ("declarations", "50101010/150324/0001234\r\n50101010/020424/0000077".into()),
            ("topics[0]", "valuation".into()),
            ("topics[1]", "origin".into()),
        ];
        let before = app.snapshot().await;
        // Every problem at its field, nothing stored.
        let bad = record(vec![
            ("organisation", sorg.clone()),
            ("kind", "raid".into()),
            ("reference", String::new()),
            ("period_from", "2025-03-01".into()),
            ("period_to", "2024-02-30".into()),
            ("declarations", "50101010/320324/0001234\n5010/150324/1".into()),
            ("topics[0]", "smuggling".into()),
        ])
        .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}: {bad:?}", app.backend);
        for part in ["\"kind\"", "\"reference\"", "\"period_to\"", "DeclarationDate", "DeclarationFormat", "\"topics\""]
        {
            assert!(bad.body.contains(part), "{}: {part} in {}", app.backend, bad.body);
        }
        assert_eq!(app.snapshot().await, before, "{}: a refused case stores nothing", app.backend);

        let recorded = record(good).await;
        assert!(recorded.status.is_success(), "{}: {recorded:?}", app.backend);
        let id = recorded.body.trim().to_owned();
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'control.record' AND seq > $1", 0_i64).await,
            1
        );

        // Planned: the trader's list and home page know nothing of it.
        let mine = app.call("control/mine", &[], Some(&trader)).await;
        assert_eq!(mine.body.trim(), "[]", "{}: {mine:?}", app.backend);
        assert!(!app.page("/", Some(&trader)).await.body.contains("DR-2026-017"));
        // Customs sees it; a trader cannot read customs' list.
        let list = app.call("control/list", &[("organisation", &sorg)], Some(&officer)).await;
        assert!(list.body.contains("DR-2026-017") && list.body.contains("Planned"), "{}: {list:?}", app.backend);
        assert_eq!(
            app.call("control/list", &[("organisation", &sorg)], Some(&trader)).await.status,
            StatusCode::FORBIDDEN
        );

        // Starting before notifying is refused; notifying stamps the instant.
        let early = app.call("control/transition", &[("id", &id), ("action", "start")], Some(&officer)).await;
        assert!(early.body.contains("WrongState"), "{}: {early:?}", app.backend);
        let notified = app.call("control/transition", &[("id", &id), ("action", "notify")], Some(&officer)).await;
        assert!(notified.status.is_success(), "{}: {notified:?}", app.backend);
        let again = app.call("control/transition", &[("id", &id), ("action", "notify")], Some(&officer)).await;
        assert!(again.body.contains("WrongState"), "{}: notifying twice is refused", app.backend);
        let mine = app.call("control/mine", &[], Some(&trader)).await;
        assert!(mine.body.contains("DR-2026-017") && mine.body.contains("notified_at"), "{}: {mine:?}", app.backend);
        let home = app.page("/", Some(&trader)).await;
        assert!(
            home.body.contains("DR-2026-017") && home.body.contains("50101010/150324/0001234"),
            "{}: home shows it",
            app.backend
        );
        // Another trader never sees it.
        assert_eq!(app.call("control/mine", &[], Some(&stranger)).await.body.trim(), "[]");
        assert!(!app.page("/", Some(&stranger)).await.body.contains("DR-2026-017"));

        for action in ["start", "close"] {
            let moved = app.call("control/transition", &[("id", &id), ("action", action)], Some(&officer)).await;
            assert!(moved.status.is_success(), "{}: {action}: {moved:?}", app.backend);
        }
        let actions =
            app.scalar("SELECT COUNT(*) FROM audit_events WHERE action LIKE 'control.%' AND seq > $1", 0_i64).await;
        assert_eq!(actions, 4, "{}: record, notify, start, close are audited", app.backend);
        let unknown = app.call("control/transition", &[("id", "999999"), ("action", "notify")], Some(&officer)).await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn a_browser_without_javascript_records_a_case_and_comes_back_to_the_trader_page() {
    for app in TestApp::each_backend().await {
        let org = app.organisation("Form Co", "990940000105").await;
        let officer = app.session_for(app.user(None, Role::Officer, "officer@customs.kz").await).await;
        let body = format!(
            "organisation={org}&kind=desk_audit&reference=DA-1&period_from=&period_to=&declarations={}&topics%5B2%5D=origin",
            crate::testing::encode("50101010/150324/0001234")
        );
        let request = http::Request::post("/api/control/record")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "text/html")
            .header("origin", "http://127.0.0.1:3000")
            .header("referer", format!("http://127.0.0.1:3000/customs/traders/{org}"))
            .header("cookie", format!("senim_session={officer}"))
            .body(axum::body::Body::from(body))
            .expect("request");
        let reply = app.send(request).await;
        assert!(reply.status.is_redirection(), "{}: {reply:?}", app.backend);
        assert!(
            reply.location.starts_with(&format!("/customs/traders/{org}?control=")),
            "{}: {}",
            app.backend,
            reply.location
        );
        let page = app.page(&reply.location, Some(&officer)).await;
        assert!(
            page.body.contains("DA-1") && page.body.contains("role=\"status\""),
            "{}: the page confirms it",
            app.backend
        );
    }
}
