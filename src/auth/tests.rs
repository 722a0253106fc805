//! Sign-in, sessions, revocation and throttling against real databases.

use crate::domain::role::Role;
use crate::testing::{TestApp, report_backends};
use http::StatusCode;

const PASSWORD: &str = "violet river lamp autumn";

async fn registered(app: &TestApp) -> String {
    let reply = app
        .call(
            "organisation/register",
            &[
                ("legal_name", "ТОО «Test Trade»"),
                ("identifier", "990940000105"),
                ("contact_email", "info@test-trade.kz"),
                ("admin_name", "Aigerim Sarsenova"),
                ("admin_email", "Aigerim@Test-Trade.kz"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
            None,
        )
        .await;
    assert!(reply.status.is_success() || reply.status.is_redirection(), "{}: {reply:?}", app.backend);
    reply.session().expect("registration signs the administrator in")
}

#[tokio::test]
async fn sign_in_with_the_right_password_starts_a_session_that_reaches_pages() {
    report_backends();
    for app in TestApp::each_backend().await {
        registered(&app).await;
        let reply = app.call("auth/sign_in", &[("email", "aigerim@test-trade.kz"), ("password", PASSWORD)], None).await;
        let token = reply.session().unwrap_or_else(|| panic!("{}: no session cookie in {reply:?}", app.backend));
        assert!(reply.cookies.iter().any(|c| c.contains("HttpOnly") && c.contains("SameSite=Strict")));
        let info = app.call("auth/site_info", &[], Some(&token)).await;
        assert!(info.body.contains("Aigerim Sarsenova"), "{}: {}", app.backend, info.body);
        assert!(info.body.contains("TraderAdmin"));
    }
}

#[tokio::test]
async fn unknown_email_and_wrong_password_get_the_same_answer() {
    for app in TestApp::each_backend().await {
        registered(&app).await;
        let wrong = app
            .call("auth/sign_in", &[("email", "aigerim@test-trade.kz"), ("password", "wrong password here!")], None)
            .await;
        let unknown =
            app.call("auth/sign_in", &[("email", "nobody@test-trade.kz"), ("password", PASSWORD)], None).await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        assert_eq!(unknown.status, wrong.status);
        assert_eq!(unknown.body, wrong.body);
        assert!(wrong.session().is_none() && unknown.session().is_none());
    }
}

#[tokio::test]
async fn repeated_failures_are_throttled_with_retry_after() {
    for app in TestApp::each_backend().await {
        registered(&app).await;
        let form = [("email", "aigerim@test-trade.kz"), ("password", "not the password at all")];
        for _ in 0..5 {
            assert_eq!(app.call("auth/sign_in", &form, None).await.status, StatusCode::UNAUTHORIZED);
        }
        // Locked now: even the right password is refused without being checked.
        let locked =
            app.call("auth/sign_in", &[("email", "aigerim@test-trade.kz"), ("password", PASSWORD)], None).await;
        assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS, "{}", app.backend);
        let retry: u64 = locked.retry_after.as_deref().expect("Retry-After").parse().expect("seconds");
        assert!((1..=30).contains(&retry));
        assert!(locked.session().is_none());
    }
}

#[tokio::test]
async fn sign_out_ends_the_session() {
    for app in TestApp::each_backend().await {
        let token = registered(&app).await;
        assert!(app.call("auth/sign_out", &[], Some(&token)).await.status.is_success());
        let info = app.call("auth/site_info", &[], Some(&token)).await;
        assert!(info.body.contains("\"viewer\":null"), "{}", info.body);
        assert_eq!(app.call("auth/keep_alive", &[], Some(&token)).await.status, StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn changing_the_password_revokes_every_other_session() {
    for app in TestApp::each_backend().await {
        let first = registered(&app).await;
        let second = app
            .call("auth/sign_in", &[("email", "aigerim@test-trade.kz"), ("password", PASSWORD)], None)
            .await
            .session()
            .expect("second session");
        let new = "copper kettle winter harbour";
        let reply = app
            .call(
                "auth/change_password",
                &[("current_password", PASSWORD), ("new_password", new), ("confirm_password", new)],
                Some(&first),
            )
            .await;
        assert!(reply.status.is_success(), "{reply:?}");
        let fresh = reply.session().expect("a fresh session for the caller");
        assert_eq!(app.call("auth/keep_alive", &[], Some(&first)).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(app.call("auth/keep_alive", &[], Some(&second)).await.status, StatusCode::UNAUTHORIZED);
        assert!(app.call("auth/keep_alive", &[], Some(&fresh)).await.status.is_success());
        let old = app.call("auth/sign_in", &[("email", "aigerim@test-trade.kz"), ("password", PASSWORD)], None).await;
        assert_eq!(old.status, StatusCode::UNAUTHORIZED);
        assert!(
            app.call("auth/sign_in", &[("email", "aigerim@test-trade.kz"), ("password", new)], None)
                .await
                .session()
                .is_some()
        );
    }
}

#[tokio::test]
async fn a_weak_new_password_is_refused_and_the_old_one_still_works() {
    for app in TestApp::each_backend().await {
        let token = registered(&app).await;
        let reply = app
            .call(
                "auth/change_password",
                &[
                    ("current_password", PASSWORD),
                    ("new_password", "passwordpassword"),
                    ("confirm_password", "passwordpassword"),
                ],
                Some(&token),
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(reply.body.contains("PasswordCommon"), "{}", reply.body);
        assert!(app.call("auth/keep_alive", &[], Some(&token)).await.status.is_success());
    }
}

#[tokio::test]
async fn idle_and_expired_sessions_are_refused_and_deleted() {
    for app in TestApp::each_backend().await {
        let org = app.organisation("Idle Co", "990940000204").await;
        let user = app.user(Some(org), Role::Preparer, "idle@idle.kz").await;
        let count = || crate::auth::db::count_user_sessions(&app.state.db.pool, user);
        let idle = app.session_for(user).await;
        app.exec("UPDATE sessions SET last_seen_at = last_seen_at - 3600000 WHERE user_id = $1", user).await;
        assert_eq!(
            app.call("auth/keep_alive", &[], Some(&idle)).await.status,
            StatusCode::UNAUTHORIZED,
            "{}",
            app.backend
        );
        assert_eq!(count().await.expect("count"), 0);
        let old = app.session_for(user).await;
        app.exec("UPDATE sessions SET expires_at = 1 WHERE user_id = $1", user).await;
        assert_eq!(app.call("auth/keep_alive", &[], Some(&old)).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(count().await.expect("count"), 0);
    }
}

#[tokio::test]
async fn the_language_choice_is_remembered_for_the_user() {
    for app in TestApp::each_backend().await {
        let token = registered(&app).await;
        let reply = app.call("auth/set_language", &[("language", "ru")], Some(&token)).await;
        assert!(reply.status.is_success());
        assert!(reply.cookies.iter().any(|c| c.starts_with("i18n_pref_locale=ru")));
        let info = app.call("auth/site_info", &[], Some(&token)).await;
        assert!(info.body.contains("\"language\":\"Ru\""), "{}", info.body);
        let bad = app.call("auth/set_language", &[("language", "xx")], Some(&token)).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
}
