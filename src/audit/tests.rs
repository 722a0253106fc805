//! The audit chain on real databases: events are appended with their change, verification
//! finds tampering, and the database refuses edits and deletions.

use crate::testing::TestApp;
use sqlx::Row;

const PASSWORD: &str = "violet river lamp autumn";

async fn some_activity(app: &TestApp) {
    let form = [
        ("legal_name", "Audit Trade"),
        ("identifier", "990940000105"),
        ("contact_email", "info@audit.kz"),
        ("admin_name", "Audit Admin"),
        ("admin_email", "admin@audit-trade.kz"),
        ("password", PASSWORD),
        ("password_confirm", PASSWORD),
    ];
    let token = app.call("organisation/register", &form, None).await.session().expect("registered");
    app.call("auth/sign_in", &[("email", "admin@audit-trade.kz"), ("password", "wrong wrong wrong wrong")], None).await;
    app.call("auth/sign_out", &[], Some(&token)).await;
}

async fn actions(app: &TestApp) -> Vec<(String, String)> {
    sqlx::query("SELECT action, outcome FROM audit_events ORDER BY seq")
        .fetch_all(&app.state.db.pool)
        .await
        .expect("events")
        .iter()
        .map(|r| (r.try_get("action").expect("action"), r.try_get("outcome").expect("outcome")))
        .collect()
}

#[tokio::test]
async fn changes_append_events_and_the_chain_verifies() {
    for app in TestApp::each_backend().await {
        some_activity(&app).await;
        let events = actions(&app).await;
        let expected = [
            ("organisation.register", "success"),
            ("user.create", "success"),
            ("auth.sign_in", "failure"),
            ("auth.sign_out", "success"),
        ];
        let got: Vec<(&str, &str)> = events.iter().map(|(a, o)| (a.as_str(), o.as_str())).collect();
        assert_eq!(got, expected, "{}", app.backend);
        let result = crate::audit::service::verify(&app.state.db.pool).await.expect("verify");
        assert_eq!(result, crate::audit::service::Verification::Intact(4));
    }
}

#[tokio::test]
async fn the_database_refuses_to_edit_or_delete_audit_events() {
    for app in TestApp::each_backend().await {
        some_activity(&app).await;
        let update = sqlx::query("UPDATE audit_events SET outcome = 'success' WHERE seq = $1")
            .bind(3_i64)
            .execute(&app.state.db.pool)
            .await;
        assert!(update.is_err(), "{}: update must fail", app.backend);
        let delete =
            sqlx::query("DELETE FROM audit_events WHERE seq = $1").bind(2_i64).execute(&app.state.db.pool).await;
        assert!(delete.is_err(), "{}: delete must fail", app.backend);
    }
}

#[tokio::test]
async fn tampering_behind_the_triggers_is_found_at_the_right_event() {
    use crate::audit::service::{Verification, verify};
    use crate::domain::audit_chain::BreakKind;
    for app in TestApp::each_backend().await {
        some_activity(&app).await;
        let pool = &app.state.db.pool;
        // An insider with DDL rights disables the append-only guard first.
        let drop_guard: &[&str] = match app.backend {
            "sqlite" => &["DROP TRIGGER audit_events_no_update", "DROP TRIGGER audit_events_no_delete"],
            _ => &["ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update"],
        };
        for sql in drop_guard {
            sqlx::raw_sql(*sql).execute(pool).await.expect("drop guard");
        }
        let original: String = sqlx::query("SELECT details FROM audit_events WHERE seq = 3")
            .fetch_one(pool)
            .await
            .expect("row")
            .try_get(0)
            .expect("details");
        let set_details =
            |text: String| sqlx::query("UPDATE audit_events SET details = $1 WHERE seq = 3").bind(text).execute(pool);
        set_details("{\"email\":null}".to_owned()).await.expect("tamper");
        assert_eq!(
            verify(pool).await.expect("verify"),
            Verification::Broken { seq: 3, kind: BreakKind::ContentHash },
            "{}",
            app.backend
        );
        set_details(original).await.expect("restore");
        assert_eq!(verify(pool).await.expect("verify"), Verification::Intact(4));
        // Cutting the tail is caught by the recorded head.
        sqlx::query("DELETE FROM audit_events WHERE seq = 4").execute(pool).await.expect("delete");
        assert_eq!(verify(pool).await.expect("verify"), Verification::Broken { seq: 4, kind: BreakKind::Head });
    }
}

#[tokio::test]
async fn concurrent_writers_keep_the_chain_gapless() {
    for app in TestApp::each_backend().await {
        let org = app.organisation("Busy Co", "990940000600").await;
        let mut tasks = Vec::new();
        for i in 0..12 {
            let state = app.state.clone();
            tasks.push(tokio::spawn(async move {
                let mut tx = state.db.begin().await.expect("tx");
                let event = crate::audit::service::Event::success("test.parallel", "organisation", org)
                    .with(serde_json::json!({ "i": i }));
                crate::audit::service::record(&mut tx, &crate::audit::service::Who::default(), event)
                    .await
                    .expect("record");
                tx.commit().await.expect("commit");
            }));
        }
        for task in tasks {
            task.await.expect("task");
        }
        let result = crate::audit::service::verify(&app.state.db.pool).await.expect("verify");
        assert_eq!(result, crate::audit::service::Verification::Intact(12), "{}", app.backend);
    }
}

/// Verifying the chain is a plain link, so it works without JavaScript: the page it loads says the
/// chain is intact; without the link the page does not verify.
#[tokio::test]
async fn the_verify_link_shows_the_chain_status_on_the_page() {
    use crate::domain::role::Role;
    for app in TestApp::each_backend().await {
        some_activity(&app).await;
        let admin = app.session_for(app.user(None, Role::CustomsAdmin, "admin@customs.kz").await).await;
        let page = app.page("/customs/audit", Some(&admin)).await;
        assert!(page.body.contains("href=\"/customs/audit?verify=1\""), "{}: the link", app.backend);
        assert!(!page.body.contains("The chain is intact"), "{}: not verified unasked", app.backend);
        let verified = app.page("/customs/audit?verify=1", Some(&admin)).await;
        assert!(verified.body.contains("The chain is intact"), "{}: {}", app.backend, verified.status);
        let officer = app.session_for(app.user(None, Role::Officer, "officer@customs.kz").await).await;
        let refused = app.page("/customs/audit?verify=1", Some(&officer)).await;
        assert!(!refused.body.contains("The chain is intact"), "{}: officers cannot verify", app.backend);
    }
}
