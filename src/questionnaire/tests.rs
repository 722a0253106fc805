//! The template library on real databases: import, versions, publication, immutability, and the
//! upload and download endpoints' access rules.

use crate::domain::questionnaire::{TemplateAction, TemplateStatus};
use crate::domain::role::Role;
use crate::error::AppError;
use crate::testing::TestApp;
use http::StatusCode;

fn t1() -> String {
    std::fs::read_to_string("templates/t1-general-compliance.toml").expect("T1 ships with the code")
}

fn multipart(token: &str, body: &str) -> http::Request<axum::body::Body> {
    let boundary = "senimboundary7MA4YWxkTrZu0gW";
    let payload = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"t.toml\"\r\nContent-Type: application/toml\r\n\r\n{body}\r\n--{boundary}--\r\n"
    );
    http::Request::post("/customs/templates/import")
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .header("content-length", payload.len())
        .header("cookie", format!("senim_session={token}"))
        .body(axum::body::Body::from(payload))
        .expect("request")
}

#[tokio::test]
async fn a_template_is_imported_as_a_draft_published_and_then_frozen() {
    for app in TestApp::each_backend().await {
        let id =
            super::service::import(&app.state, None, &t1()).await.unwrap_or_else(|e| panic!("{}: {e:?}", app.backend));
        let (summary, template) = super::service::find(&app.state, id).await.expect("find").expect("stored");
        assert_eq!((summary.code.as_str(), summary.status), ("T1", TemplateStatus::Draft));
        assert!(template.questions().count() >= 17);
        let again = super::service::import(&app.state, None, &t1()).await;
        assert!(matches!(again, Err(AppError::FileInvalid(_))), "the same version imports only once");

        let admin = app.user(None, Role::CustomsAdmin, "templates@customs.kz").await;
        let actor = crate::auth::Actor {
            user_id: admin,
            org_id: None,
            org_name: None,
            role: Role::CustomsAdmin,
            name: "Admin".into(),
            email: "templates@customs.kz".into(),
            language: None,
            idle_deadline: crate::domain::time::Timestamp::MAX,
            token_hash: String::new(),
        };
        let published = super::service::transition(&app.state, &actor, id, TemplateAction::Publish).await;
        assert_eq!(published, Ok(TemplateStatus::Published));
        assert_eq!(
            super::service::transition(&app.state, &actor, id, TemplateAction::Publish).await,
            Err(AppError::WRONG_STATE)
        );
        let edit =
            sqlx::query("UPDATE templates SET body = '{}' WHERE id = $1").bind(id).execute(&app.state.db.pool).await;
        assert!(edit.is_err(), "{}: a published template must not change", app.backend);
        let delete = sqlx::query("DELETE FROM templates WHERE id = $1").bind(id).execute(&app.state.db.pool).await;
        assert!(delete.is_err(), "{}: a published template must not be deleted", app.backend);
        assert_eq!(
            super::service::transition(&app.state, &actor, id, TemplateAction::Retire).await,
            Ok(TemplateStatus::Retired)
        );
        // The content is cached per server; the status never is.
        let (summary, _) = super::service::find(&app.state, id).await.expect("find").expect("stored");
        assert_eq!(summary.status, TemplateStatus::Retired);
    }
}

#[tokio::test]
async fn an_invalid_file_is_refused_with_its_lines_and_nothing_is_stored() {
    for app in TestApp::each_backend().await {
        let broken = t1().replacen("weight = 3", "weight = 9", 1);
        let Err(AppError::FileInvalid(errors)) = super::service::import(&app.state, None, &broken).await else {
            panic!("{}: must be refused", app.backend)
        };
        assert!(errors.iter().all(|e| e.line > 1), "{errors:?}");
        assert!(errors.iter().any(|e| e.message.contains("above 5")), "{errors:?}");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM templates WHERE id > $1", 0).await, 0);
    }
}

#[tokio::test]
async fn only_template_administrators_import_and_only_customs_staff_export() {
    let app = TestApp::sqlite().await;
    let org = app.organisation("Trader", "990940000105").await;
    let trader = app.session_for(app.user(Some(org), Role::TraderAdmin, "a@trader.kz").await).await;
    let officer = app.session_for(app.user(None, Role::Officer, "o@customs.kz").await).await;
    let admin = app.session_for(app.user(None, Role::CustomsAdmin, "c@customs.kz").await).await;
    assert_eq!(app.send(multipart(&trader, &t1())).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.send(multipart(&officer, &t1())).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM templates WHERE id > $1", 0).await, 0);
    let imported = app.send(multipart(&admin, &t1())).await;
    assert_eq!(imported.status, StatusCode::SEE_OTHER, "{imported:?}");
    let id = app.scalar("SELECT id FROM templates WHERE id > $1", 0).await;

    let download = |token: String| {
        http::Request::get(format!("/customs/templates/{id}/export"))
            .header("cookie", format!("senim_session={token}"))
            .body(axum::body::Body::empty())
            .expect("request")
    };
    let exported = app.send(download(officer.clone())).await;
    assert_eq!(exported.status, StatusCode::OK);
    assert!(exported.body.contains("code = \"T1\""));
    assert_eq!(app.send(download(trader)).await.status, StatusCode::FORBIDDEN);

    // A broken file goes back to the library page with its problems, once.
    let broken = app.send(multipart(&admin, "code = \"X\"\nversion = 1\n")).await;
    assert_eq!(broken.status, StatusCode::SEE_OTHER);
    let listed = app.call("templates/list", &[], Some(&admin)).await;
    assert!(listed.body.contains("\"line\":2"), "{}", listed.body);
    let listed = app.call("templates/list", &[], Some(&admin)).await;
    assert!(!listed.body.contains("\"line\":"), "problems are shown once");
}
