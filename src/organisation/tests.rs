//! Registration, invitations, role changes, deactivation and tenancy against real databases.

use crate::domain::role::Role;
use crate::testing::TestApp;
use http::StatusCode;

const PASSWORD: &str = "violet river lamp autumn";

fn registration<'a>(bin: &'a str, email: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("legal_name", "ТОО «Steppe Electronics Import»"),
        ("identifier", bin),
        ("contact_email", "info@steppe.kz"),
        ("admin_name", "Aigerim Sarsenova"),
        ("admin_email", email),
        ("password", PASSWORD),
        ("password_confirm", PASSWORD),
    ]
}

fn token_of(link: &str) -> String {
    link.trim_matches('"').rsplit('/').next().expect("token").to_owned()
}

#[tokio::test]
async fn registration_creates_the_organisation_and_its_administrator() {
    for app in TestApp::each_backend().await {
        let reply = app.call("organisation/register", &registration("990940000105", "admin@steppe.kz"), None).await;
        let token = reply.session().unwrap_or_else(|| panic!("{}: {reply:?}", app.backend));
        let team = app.call("organisation/team", &[], Some(&token)).await;
        assert!(team.status.is_success(), "{team:?}");
        assert!(team.body.contains("admin@steppe.kz") && team.body.contains("TraderAdmin"));
        assert!(team.body.contains("\"can_manage\":true"));
    }
}

#[tokio::test]
async fn registration_rejects_bad_input_field_by_field_and_saves_nothing() {
    for app in TestApp::each_backend().await {
        let before = app.snapshot().await;
        let mut form = registration("990940000106", "not-an-email");
        form[0] = ("legal_name", "Bad\u{0}Name");
        form[5] = ("password", "short");
        let reply = app.call("organisation/register", &form, None).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        for expected in ["BinCheckDigit", "EmailFormat", "BadCharacters", "PasswordTooShort"] {
            assert!(reply.body.contains(expected), "{}: missing {expected} in {}", app.backend, reply.body);
        }
        assert_eq!(app.snapshot().await, before);
        assert!(reply.session().is_none());
    }
}

#[tokio::test]
async fn an_identifier_or_email_can_register_only_once() {
    for app in TestApp::each_backend().await {
        app.call("organisation/register", &registration("990940000105", "admin@steppe.kz"), None).await;
        let again = app.call("organisation/register", &registration("990940000105", "other@steppe.kz"), None).await;
        assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(again.body.contains("IdentifierTaken"));
        // A taken e-mail answers exactly like a new one (no e-mail-existence oracle), but creates
        // nothing and its cookie opens no session.
        let before = app.snapshot().await;
        let same_email =
            app.call("organisation/register", &registration("990940000204", "ADMIN@steppe.kz"), None).await;
        assert_eq!(app.snapshot().await, before, "{}: nothing created", app.backend);
        let fresh = app.call("organisation/register", &registration("990940000303", "new@steppe.kz"), None).await;
        assert_eq!((same_email.status, &same_email.body), (fresh.status, &fresh.body), "{}", app.backend);
        assert_eq!(same_email.cookies.len(), fresh.cookies.len());
        let decoy = same_email.session().expect("a cookie like a new registration's");
        let site = app.call("auth/site_info", &[], Some(&decoy)).await;
        assert!(site.body.contains("\"viewer\":null"), "{}: {}", app.backend, site.body);
        assert!(!same_email.body.contains("EmailTaken"));
    }
}

#[tokio::test]
async fn registration_is_throttled_per_client_address() {
    for app in TestApp::each_backend_with(|c| c.register_attempts_per_window = 3).await {
        let mut form = registration("990940000105", "not-an-email");
        form[5] = ("password", "short");
        for _ in 0..3 {
            let reply = app.call("organisation/register", &form, None).await;
            assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}: {reply:?}", app.backend);
        }
        let refused = app.call("organisation/register", &registration("990940000105", "a@steppe.kz"), None).await;
        assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS, "{}: {refused:?}", app.backend);
        assert!(refused.retry_after.is_some() && refused.session().is_none());
        // Sign-in has its own budget.
        let sign_in = app.call("auth/sign_in", &[("email", "a@steppe.kz"), ("password", "x")], None).await;
        assert_eq!(sign_in.status, StatusCode::UNAUTHORIZED, "{}: {sign_in:?}", app.backend);
    }
}

#[tokio::test]
async fn an_invitation_works_once_and_gives_the_invited_role() {
    for app in TestApp::each_backend().await {
        let admin = app
            .call("organisation/register", &registration("990940000105", "admin@steppe.kz"), None)
            .await
            .session()
            .expect("admin");
        let link = app
            .call("organisation/invite", &[("email", "Preparer@Steppe.kz"), ("role", "preparer")], Some(&admin))
            .await;
        assert!(link.status.is_success(), "{link:?}");
        let token = token_of(&link.body);
        let info = app.call("organisation/invitation", &[("token", &token)], None).await;
        assert!(info.body.contains("\"Open\"") && info.body.contains("preparer@steppe.kz"), "{}", info.body);
        let accept = [
            ("token", token.as_str()),
            ("name", "Erlan Zhumabekov"),
            ("password", "copper kettle winter harbour"),
            ("password_confirm", "copper kettle winter harbour"),
        ];
        let accepted = app.call("organisation/accept_invitation", &accept, None).await;
        let session = accepted.session().unwrap_or_else(|| panic!("{}: {accepted:?}", app.backend));
        let site = app.call("auth/site_info", &[], Some(&session)).await;
        assert!(site.body.contains("Preparer") && site.body.contains("Steppe Electronics"), "{}", site.body);
        let reused = app.call("organisation/accept_invitation", &accept, None).await;
        assert_eq!(reused.status, StatusCode::CONFLICT);
        assert!(reused.body.contains("InvitationUsed"));
        let info = app.call("organisation/invitation", &[("token", &token)], None).await;
        assert!(info.body.contains("\"Used\""));
    }
}

#[tokio::test]
async fn an_expired_or_withdrawn_invitation_creates_no_account() {
    for app in TestApp::each_backend().await {
        let admin = app
            .call("organisation/register", &registration("990940000105", "admin@steppe.kz"), None)
            .await
            .session()
            .expect("admin");
        let expired = token_of(
            &app.call("organisation/invite", &[("email", "late@steppe.kz"), ("role", "signatory")], Some(&admin))
                .await
                .body,
        );
        app.exec("UPDATE invitations SET expires_at = $1 WHERE email = 'late@steppe.kz'", 1).await;
        let before = app.snapshot().await;
        let accept = [
            ("token", expired.as_str()),
            ("name", "Late Person"),
            ("password", "copper kettle winter harbour"),
            ("password_confirm", "copper kettle winter harbour"),
        ];
        let reply = app.call("organisation/accept_invitation", &accept, None).await;
        assert_eq!(reply.status, StatusCode::CONFLICT);
        assert!(reply.body.contains("InvitationExpired"));
        assert_eq!(app.snapshot().await, before);

        let link = app
            .call("organisation/invite", &[("email", "withdrawn@steppe.kz"), ("role", "preparer")], Some(&admin))
            .await;
        let withdrawn = token_of(&link.body);
        let id = app
            .scalar(
                "SELECT id FROM invitations WHERE id = $1 OR email = 'withdrawn@steppe.kz' ORDER BY id DESC LIMIT 1",
                0,
            )
            .await;
        assert!(
            app.call("organisation/revoke_invitation", &[("invitation_id", &id.to_string())], Some(&admin))
                .await
                .status
                .is_success()
        );
        let accept = [
            ("token", withdrawn.as_str()),
            ("name", "Withdrawn"),
            ("password", "copper kettle winter harbour"),
            ("password_confirm", "copper kettle winter harbour"),
        ];
        assert!(app.call("organisation/accept_invitation", &accept, None).await.body.contains("InvitationUsed"));
    }
}

#[tokio::test]
async fn the_last_administrator_can_neither_be_demoted_nor_deactivated() {
    for app in TestApp::each_backend().await {
        let org = app.organisation("Solo Co", "990940000303").await;
        let admin = app.user(Some(org), Role::TraderAdmin, "solo@solo.kz").await;
        let other = app.user(Some(org), Role::Preparer, "prep@solo.kz").await;
        let admin_session = app.session_for(admin).await;
        // Promoting someone else first makes the change possible.
        let demote_self = app
            .call(
                "organisation/change_role",
                &[("user_id", &admin.to_string()), ("role", "preparer")],
                Some(&admin_session),
            )
            .await;
        assert_eq!(demote_self.status, StatusCode::CONFLICT, "{}: {demote_self:?}", app.backend);
        assert!(demote_self.body.contains("LastAdministrator"));
        let deactivate_self =
            app.call("organisation/deactivate", &[("user_id", &admin.to_string())], Some(&admin_session)).await;
        assert!(deactivate_self.body.contains("LastAdministrator"));
        let promote = app
            .call(
                "organisation/change_role",
                &[("user_id", &other.to_string()), ("role", "trader_admin")],
                Some(&admin_session),
            )
            .await;
        assert!(promote.status.is_success(), "{promote:?}");
        let demote_self = app
            .call(
                "organisation/change_role",
                &[("user_id", &admin.to_string()), ("role", "signatory")],
                Some(&admin_session),
            )
            .await;
        assert!(demote_self.status.is_success());
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM users WHERE organisation_id = $1 AND role = 'trader_admin'", org).await,
            1
        );
    }
}

#[tokio::test]
async fn deactivation_ends_sessions_and_blocks_sign_in() {
    for app in TestApp::each_backend().await {
        let admin = app
            .call("organisation/register", &registration("990940000105", "admin@steppe.kz"), None)
            .await
            .session()
            .expect("admin");
        let link =
            app.call("organisation/invite", &[("email", "leaver@steppe.kz"), ("role", "preparer")], Some(&admin)).await;
        let accept = [
            ("token", &*token_of(&link.body)),
            ("name", "Leaver"),
            ("password", "copper kettle winter harbour"),
            ("password_confirm", "copper kettle winter harbour"),
        ];
        let leaver = app.call("organisation/accept_invitation", &accept, None).await.session().expect("leaver");
        let id = app.scalar("SELECT id FROM users WHERE email = 'leaver@steppe.kz' AND id > $1", 0).await;
        let reply = app.call("organisation/deactivate", &[("user_id", &id.to_string())], Some(&admin)).await;
        assert!(reply.status.is_success(), "{reply:?}");
        assert_eq!(app.call("auth/keep_alive", &[], Some(&leaver)).await.status, StatusCode::UNAUTHORIZED);
        let sign_in = app
            .call("auth/sign_in", &[("email", "leaver@steppe.kz"), ("password", "copper kettle winter harbour")], None)
            .await;
        assert_eq!(sign_in.status, StatusCode::UNAUTHORIZED);
        let again = app.call("organisation/deactivate", &[("user_id", &id.to_string())], Some(&admin)).await;
        assert!(again.body.contains("AlreadyDeactivated"));
    }
}

#[tokio::test]
async fn an_administrator_never_sees_or_changes_another_organisations_people() {
    for app in TestApp::each_backend().await {
        let a = app.organisation("CANARY-A Trade", "990940000402").await;
        let b = app.organisation("CANARY-B Trade", "990940000501").await;
        let admin_a = app.user(Some(a), Role::TraderAdmin, "admin@canary-a.kz").await;
        let admin_b = app.user(Some(b), Role::TraderAdmin, "admin@canary-b.kz").await;
        let prep_b = app.user(Some(b), Role::Preparer, "prep@canary-b.kz").await;
        let session_a = app.session_for(admin_a).await;
        let session_b = app.session_for(admin_b).await;
        app.call("organisation/invite", &[("email", "invitee@canary-b.kz"), ("role", "preparer")], Some(&session_b))
            .await;
        let invitation_b = app.scalar("SELECT id FROM invitations WHERE organisation_id = $1", b).await;
        let team = app.call("organisation/team", &[], Some(&session_a)).await;
        assert!(!team.body.contains("canary-b"), "{}: {}", app.backend, team.body);
        let before = app.snapshot().await;
        for (endpoint, form) in [
            ("organisation/change_role", vec![("user_id", prep_b.to_string()), ("role", "trader_admin".to_owned())]),
            ("organisation/deactivate", vec![("user_id", prep_b.to_string())]),
            ("organisation/revoke_invitation", vec![("invitation_id", invitation_b.to_string())]),
        ] {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let reply = app.call(endpoint, &form, Some(&session_a)).await;
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}: {endpoint} {reply:?}", app.backend);
            assert!(!reply.body.contains("canary-b"));
        }
        assert_eq!(app.snapshot().await, before);
    }
}

#[tokio::test]
async fn an_invitation_made_without_javascript_is_shown_once_on_the_next_page() {
    for app in TestApp::each_backend().await {
        let admin = app
            .call("organisation/register", &registration("990940000105", "admin@steppe.kz"), None)
            .await
            .session()
            .expect("admin");
        let request = http::Request::post("/api/organisation/invite")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "text/html")
            .header("referer", "http://127.0.0.1:3000/team")
            .header("cookie", format!("senim_session={admin}"))
            .body(axum::body::Body::from("email=plain%40steppe.kz&role=signatory"))
            .expect("request");
        let reply = app.send(request).await;
        assert_eq!(reply.status, StatusCode::FOUND, "{}: {reply:?}", app.backend);
        let team = app.call("organisation/team", &[], Some(&admin)).await;
        assert!(team.body.contains("/invitation/"), "{}: {}", app.backend, team.body);
        let again = app.call("organisation/team", &[], Some(&admin)).await;
        assert!(again.body.contains("\"new_link\":null"), "shown once: {}", again.body);
    }
}
