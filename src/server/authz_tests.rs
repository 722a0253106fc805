//! The authorization matrix: every server function × every role (and anonymous) × own and other
//! organisation, with the expected allow or deny. Denied calls must change nothing. A server
//! function missing from the matrix, or one whose body does not start with an access check,
//! fails the build's tests.

use crate::domain::id::{AeoApplicationId, AssessmentId, EvidenceId, InvitationId, OrganisationId, TemplateId, UserId};
use crate::domain::role::{Access, Role};
use crate::domain::time::Timestamp;
use crate::testing::TestApp;
use http::StatusCode;
use std::collections::BTreeSet;

/// The rule each endpoint must enforce, written independently of the code under test.
const MATRIX: &[(&str, Access)] = &[
    ("auth/site_info", Access::Public),
    ("auth/sign_in", Access::Public),
    ("auth/sign_out", Access::SignedIn),
    ("auth/change_password", Access::SignedIn),
    ("auth/set_language", Access::Public),
    ("auth/keep_alive", Access::SignedIn),
    ("organisation/register", Access::Public),
    ("organisation/team", Access::ANY_TRADER),
    ("organisation/invite", Access::TEAM_ADMINS),
    ("organisation/revoke_invitation", Access::TEAM_ADMINS),
    ("organisation/change_role", Access::TEAM_ADMINS),
    ("organisation/deactivate", Access::TEAM_ADMINS),
    ("organisation/invitation", Access::Public),
    ("organisation/accept_invitation", Access::Public),
    ("staff/list", Access::CUSTOMS_ADMIN),
    ("audit/list", Access::AUDIT_READERS),
    ("audit/verify", Access::AUDIT_READERS),
    ("templates/list", Access::ANY_CUSTOMS),
    ("templates/get", Access::ANY_CUSTOMS),
    ("templates/publish", Access::TEMPLATE_ADMINS),
    ("templates/retire", Access::TEMPLATE_ADMINS),
    ("assessments/list", Access::ANY_TRADER),
    ("assessments/start", Access::ANY_TRADER),
    ("assessments/get", Access::ANY_TRADER),
    ("assessments/save_section", Access::ANY_TRADER),
    ("assessments/submit", Access::TRADER_SIGNERS),
    ("assessments/remove_evidence", Access::ANY_TRADER),
    ("review/queue", Access::ANY_CUSTOMS),
    ("review/get", Access::ANY_CUSTOMS),
    ("review/assign", Access::REVIEWERS),
    ("review/decide", Access::REVIEWERS),
    ("review/request_info", Access::REVIEWERS),
    ("review/finish", Access::REVIEWERS),
    ("traders/list", Access::ANY_CUSTOMS),
    ("traders/get", Access::ANY_CUSTOMS),
    ("traders/issue", Access::REVIEWERS),
    ("control/record", Access::REVIEWERS),
    ("control/transition", Access::REVIEWERS),
    ("control/list", Access::ANY_CUSTOMS),
    ("control/mine", Access::ANY_TRADER),
    ("finding/record", Access::REVIEWERS),
    ("finding/step", Access::REVIEWERS),
    ("finding/remediate", Access::ANY_TRADER),
    ("finding/answer", Access::ANY_TRADER),
    ("finding/list", Access::ANY_CUSTOMS),
    ("finding/mine", Access::ANY_TRADER),
    ("disclosure/create", Access::ANY_TRADER),
    ("disclosure/save", Access::ANY_TRADER),
    ("disclosure/save_line", Access::ANY_TRADER),
    ("disclosure/keep_line", Access::ANY_TRADER),
    ("disclosure/remove_line", Access::ANY_TRADER),
    ("disclosure/remove_evidence", Access::ANY_TRADER),
    ("disclosure/submit", Access::TRADER_SIGNERS),
    ("disclosure/mine", Access::ANY_TRADER),
    ("disclosure/get", Access::ANY_TRADER),
    ("disclosure/queue", Access::ANY_CUSTOMS),
    ("disclosure/inspect", Access::ANY_CUSTOMS),
    ("disclosure/transition", Access::REVIEWERS),
    ("disclosure/import_preview", Access::ANY_TRADER),
    ("disclosure/import", Access::ANY_TRADER),
    ("disclosure/decide_line", Access::REVIEWERS),
    ("disclosure/request_info", Access::REVIEWERS),
    ("disclosure/answer_info", Access::ANY_TRADER),
    ("disclosure/propose", Access::REVIEWERS),
    ("disclosure/answer_hearing", Access::ANY_TRADER),
    ("disclosure/decide", Access::REVIEWERS),
    ("disclosure/withdraw", Access::TRADER_SIGNERS),
    ("disclosure/request_payment", Access::REVIEWERS),
    ("disclosure/report_payment", Access::ANY_TRADER),
    ("disclosure/settle", Access::REVIEWERS),
    ("disclosure/file_notice", Access::TRADER_SIGNERS),
    ("disclosure/accept_notice", Access::REVIEWERS),
    ("disclosure/request_extension", Access::TRADER_SIGNERS),
    ("disclosure/decide_extension", Access::REVIEWERS),
    ("disclosure/perfect", Access::TRADER_SIGNERS),
    ("scoring/mine", Access::ANY_TRADER),
    ("scoring/trader", Access::ANY_CUSTOMS),
    ("scoring/confirm", Access::SUPERVISORS),
    ("scoring/rescore_all", Access::SUPERVISORS),
    ("scoring/sets", Access::ANY_CUSTOMS),
    ("scoring/import", Access::SUPERVISORS),
    ("scoring/preview", Access::SUPERVISORS),
    ("scoring/publish", Access::SUPERVISORS),
    ("national/imports", Access::DATA_IMPORTERS),
    ("national/import", Access::DATA_IMPORTERS),
    ("pca/list", Access::ANY_CUSTOMS),
    ("pca/propose", Access::REVIEWERS),
    ("pca/decide", Access::SUPERVISORS),
    ("dashboard/get", Access::ANY_CUSTOMS),
    ("aeo/mine", Access::ANY_TRADER),
    ("aeo/create", Access::ANY_TRADER),
    ("aeo/save", Access::ANY_TRADER),
    ("aeo/view", Access::ANY_TRADER),
    ("aeo/inspect", Access::ANY_CUSTOMS),
    ("aeo/submit", Access::TRADER_SIGNERS),
    ("aeo/answer", Access::ANY_TRADER),
    ("aeo/hearing_answer", Access::ANY_TRADER),
    ("aeo/queue", Access::REVIEWERS),
    ("aeo/monitoring", Access::REVIEWERS),
    ("aeo/of_trader", Access::ANY_CUSTOMS),
    ("aeo/remove_evidence", Access::ANY_TRADER),
    ("aeo/step", Access::REVIEWERS),
    ("aeo/request", Access::REVIEWERS),
    ("aeo/verdict", Access::REVIEWERS),
    ("aeo/visit", Access::REVIEWERS),
    ("aeo/report_visit", Access::REVIEWERS),
    ("aeo/register", Access::Public),
    // Last of the AEO rows: it ends organisation A's draft (customs still must not see it).
    ("aeo/withdraw", Access::TRADER_SIGNERS),
];

/// Endpoints that act on another person or invitation, so they are also called against the
/// other organisation's objects (where they must answer 404 and change nothing).
const TARGETED: &[&str] = &[
    "organisation/revoke_invitation",
    "organisation/change_role",
    "organisation/deactivate",
    "assessments/get",
    "assessments/save_section",
    "assessments/submit",
    "assessments/remove_evidence",
    "aeo/save",
    "aeo/view",
    "aeo/submit",
    "aeo/answer",
    "aeo/hearing_answer",
    "aeo/withdraw",
];

/// Customs endpoints that take an assessment id: a draft's id must look like no assessment at all.
const DRAFT_HIDDEN: &[&str] = &["review/get", "review/assign", "review/decide", "review/request_info", "review/finish"];

/// Of those, the ones on organisation data every trader role may touch (not just administrators).
const ORG_DATA: &[&str] = &[
    "assessments/get",
    "assessments/save_section",
    "assessments/submit",
    "assessments/remove_evidence",
    "aeo/save",
    "aeo/view",
    "aeo/submit",
    "aeo/answer",
    "aeo/hearing_answer",
    "aeo/withdraw",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seen {
    Allowed,
    Unauthenticated,
    Forbidden,
    NotFound,
}

fn classify(status: StatusCode, body: &str) -> Seen {
    match body.trim() {
        "\"Unauthenticated\"" => Seen::Unauthenticated,
        "\"Forbidden\"" => Seen::Forbidden,
        "\"NotFound\"" if status == StatusCode::NOT_FOUND => Seen::NotFound,
        _ => Seen::Allowed,
    }
}

struct Fixture {
    /// (label, role, user id) for every signed-in caller; all trader callers are in A.
    callers: Vec<(&'static str, Option<Role>, Option<UserId>)>,
    victims_a: Vec<UserId>,
    victims_b: Vec<UserId>,
    invitation_a: InvitationId,
    invitation_b: InvitationId,
    assessment_a: AssessmentId,
    assessment_b: AssessmentId,
    template: TemplateId,
    evidence_a: Vec<EvidenceId>,
    evidence_b: Vec<EvidenceId>,
    /// A draft AEO application of each organisation.
    aeo_a: AeoApplicationId,
    aeo_b: AeoApplicationId,
}

async fn fixture(app: &TestApp) -> Fixture {
    let a = app.organisation("CANARY-A", "990940000105").await;
    let b = app.organisation("CANARY-B", "990940000204").await;
    let mut callers = vec![("anonymous", None, None)];
    for (label, org, role, email) in [
        ("trader_admin", Some(a), Role::TraderAdmin, "admin@a.kz"),
        ("preparer", Some(a), Role::Preparer, "preparer@a.kz"),
        ("signatory", Some(a), Role::Signatory, "signatory@a.kz"),
        ("officer", None, Role::Officer, "officer@customs.kz"),
        ("supervisor", None, Role::Supervisor, "supervisor@customs.kz"),
        ("customs_admin", None, Role::CustomsAdmin, "cadmin@customs.kz"),
    ] {
        callers.push((label, Some(role), Some(app.user(org, role, email).await)));
    }
    app.user(Some(b), Role::TraderAdmin, "admin@b.kz").await;
    let mut victims_a = Vec::new();
    let mut victims_b = Vec::new();
    for i in 0..8 {
        victims_a.push(app.user(Some(a), Role::Preparer, &format!("victim{i}@a.kz")).await);
        victims_b.push(app.user(Some(b), Role::Preparer, &format!("victim{i}@b.kz")).await);
    }
    let invite = |org: OrganisationId, email: &'static str| async move {
        sqlx::query(
            "INSERT INTO invitations (organisation_id, side, email, role, token_hash, invited_by, created_at, expires_at) \
             VALUES ($1, 'trader', $2, 'preparer', $3, 1, 0, 9999999999999) RETURNING id",
        )
        .bind(org)
        .bind(email)
        .bind(format!("hash-{email}"))
        .fetch_one(&app.state.db.pool)
        .await
        .map(|row| sqlx::Row::try_get::<InvitationId, _>(&row, "id").expect("id"))
        .expect("invitation")
    };
    let invitation_a = invite(a, "pending@a.kz").await;
    let invitation_b = invite(b, "pending@b.kz").await;
    let t1 = crate::questionnaire::import::parse(
        &std::fs::read_to_string("templates/t1-general-compliance.toml").expect("T1"),
    )
    .expect("valid T1");
    let template = crate::questionnaire::service::store_draft(&app.state, None, &t1).await.expect("stored");
    let mut tx = app.state.db.begin().await.expect("tx");
    use crate::domain::questionnaire::TemplateStatus;
    crate::questionnaire::db::set_status(
        &mut tx,
        template,
        TemplateStatus::Draft,
        TemplateStatus::Published,
        Timestamp::from_millis(1),
    )
    .await
    .expect("publish");
    let assessment_a = crate::assessment::db::insert(&mut tx, a, template, victims_a[0], Timestamp::from_millis(1))
        .await
        .expect("assessment A");
    let assessment_b = crate::assessment::db::insert(&mut tx, b, template, victims_b[0], Timestamp::from_millis(1))
        .await
        .expect("assessment B");
    // One evidence file per removal attempt, so each allowed removal finds its own file.
    let mut evidence_a = Vec::new();
    let mut evidence_b = Vec::new();
    for (assessment, uploader, out) in
        [(assessment_a, victims_a[0], &mut evidence_a), (assessment_b, victims_b[0], &mut evidence_b)]
    {
        for i in 0..8 {
            // Distinct hashes: one file is stored once per question.
            let sha = format!("{i:02}");
            let file = crate::assessment::db::NewEvidence {
                assessment_id: assessment,
                question_key: "A1",
                file_name: "CANARY.pdf",
                media_type: "application/pdf",
                sha256: &sha,
                content: b"%PDF-1.7",
                uploaded_by: uploader,
            };
            out.push(
                crate::assessment::db::insert_evidence(&mut tx, &file, Timestamp::from_millis(1))
                    .await
                    .expect("evidence"),
            );
        }
    }
    let mut aeo = Vec::new();
    for (org, assessment, by) in [(a, assessment_a, victims_a[0]), (b, assessment_b, victims_b[0])] {
        let ts = Timestamp::from_millis(1);
        aeo.push(crate::aeo::db::insert(&mut tx, org, "type1", "v", assessment, by, ts).await.expect("AEO draft"));
    }
    tx.commit().await.expect("commit");
    Fixture {
        aeo_a: aeo[0],
        aeo_b: aeo[1],
        callers,
        victims_a,
        victims_b,
        invitation_a,
        invitation_b,
        assessment_a,
        assessment_b,
        template,
        evidence_a,
        evidence_b,
    }
}

/// The n-th of the caller's own organisation's objects, or of the other organisation's.
fn pick<T: Copy>(own: &[T], other: &[T], other_org: bool, n: usize) -> T {
    if other_org { other[n % other.len()] } else { own[n % own.len()] }
}

/// A syntactically valid request for `endpoint`; `n` keeps repeated calls distinct.
fn payload(endpoint: &str, other_org: bool, fx: &Fixture, n: usize) -> Vec<(String, String)> {
    let kv = |pairs: &[(&str, String)]| pairs.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect();
    match endpoint {
        "auth/sign_in" => kv(&[("email", "nobody@nowhere.kz".into()), ("password", "violet river lamp autumn".into())]),
        "auth/change_password" => kv(&[
            ("current_password", "not the current password".into()),
            ("new_password", "copper kettle winter harbour".into()),
            ("confirm_password", "copper kettle winter harbour".into()),
        ]),
        "auth/set_language" => kv(&[("language", "en".into())]),
        "organisation/register" => kv(&[
            ("legal_name", String::new()),
            ("identifier", String::new()),
            ("contact_email", String::new()),
            ("admin_name", String::new()),
            ("admin_email", String::new()),
            ("password", String::new()),
            ("password_confirm", String::new()),
        ]),
        "organisation/invite" => kv(&[("email", format!("new{n}@a.kz")), ("role", "preparer".into())]),
        "organisation/revoke_invitation" => {
            kv(&[("invitation_id", if other_org { fx.invitation_b } else { fx.invitation_a }.to_string())])
        }
        "organisation/change_role" => kv(&[
            ("user_id", pick(&fx.victims_a, &fx.victims_b, other_org, n).to_string()),
            ("role", "signatory".into()),
        ]),
        "organisation/deactivate" => kv(&[("user_id", pick(&fx.victims_a, &fx.victims_b, other_org, n).to_string())]),
        "organisation/invitation" => kv(&[("token", "0".repeat(64))]),
        "organisation/accept_invitation" => kv(&[
            ("token", "0".repeat(64)),
            ("name", "Nobody".into()),
            ("password", "copper kettle winter harbour".into()),
            ("password_confirm", "copper kettle winter harbour".into()),
        ]),
        "audit/list" => kv(&[
            ("filter[action]", String::new()),
            ("filter[actor]", String::new()),
            ("filter[outcome]", String::new()),
            ("filter[from]", String::new()),
            ("filter[to]", String::new()),
        ]),
        "templates/get" | "templates/publish" | "templates/retire" => kv(&[("id", "999999".into())]),
        "assessments/start" => kv(&[("template_id", fx.template.to_string())]),
        "review/get" | "review/assign" | "review/request_info" | "review/finish" => kv(&[("id", "999999".into())]),
        "review/decide" => kv(&[("id", "999999".into()), ("question", "A1".into()), ("decision", "verify".into())]),
        "assessments/get" => kv(&[("id", assessment(other_org, fx))]),
        "assessments/save_section" => {
            kv(&[("id", assessment(other_org, fx)), ("section", "A".into()), ("answers[qA1][value]", "yes".into())])
        }
        "assessments/submit" => kv(&[("id", assessment(other_org, fx)), ("attest", "yes".into())]),
        "assessments/remove_evidence" => kv(&[
            ("id", assessment(other_org, fx)),
            ("evidence", pick(&fx.evidence_a, &fx.evidence_b, other_org, n).to_string()),
        ]),
        "traders/get" => kv(&[("id", "999999".into())]),
        "control/record" => kv(&[
            ("organisation", "999999".into()),
            ("kind", "document_request".into()),
            ("reference", "DR-1".into()),
            ("declarations", "50101010/150324/0001234".into()),
            ("topics[0]", "valuation".into()),
        ]),
        "control/transition" => kv(&[("id", "999999".into()), ("action", "notify".into())]),
        "finding/record" => kv(&[
            ("organisation", "999999".into()),
            ("source", "document_check".into()),
            ("topic", "valuation".into()),
            ("description", "Freight left out.".into()),
            ("culpability", "clerical".into()),
            ("severity", "minor".into()),
            ("found_on", "2026-11-02".into()),
        ]),
        "finding/step" => kv(&[("id", "999999".into()), ("action", "communicate".into())]),
        "finding/remediate" => {
            kv(&[("id", "999999".into()), ("action", "report_remediated".into()), ("text", "Done.".into())])
        }
        "finding/answer" => kv(&[("id", "999999".into()), ("answer", "Not ours.".into())]),
        "finding/list" => kv(&[("organisation", "999999".into())]),
        "control/list" | "aeo/of_trader" => kv(&[("organisation", "999999".into())]),
        "disclosure/create" => kv(&[("kind", "underpayment".into()), ("title", format!("Disclosure {n}"))]),
        "disclosure/save" => kv(&[("id", "999999".into()), ("kind", "underpayment".into()), ("title", "T".into())]),
        "disclosure/save_line" | "disclosure/keep_line" => kv(&[
            ("id", "999999".into()),
            ("line[declaration]", "50101010/150324/0001234".into()),
            ("line[item]", "1".into()),
            ("line[released]", "2024-03-16".into()),
            ("line[hs_declared]", "8517130000".into()),
            ("line[origin_declared]", "CN".into()),
        ]),
        "disclosure/remove_line" => kv(&[("id", "999999".into()), ("line_id", "1".into())]),
        "disclosure/remove_evidence" => kv(&[("id", "999999".into()), ("evidence", "1".into())]),
        "aeo/remove_evidence" => kv(&[("id", aeo(other_org, fx)), ("evidence", "1".into())]),
        "disclosure/submit" => kv(&[("id", "999999".into()), ("attest", "yes".into())]),
        "disclosure/get" | "disclosure/inspect" => kv(&[("id", "999999".into())]),
        "disclosure/transition" => kv(&[("id", "999999".into()), ("action", "acknowledge".into())]),
        "disclosure/import_preview" | "disclosure/import" => kv(&[("id", "999999".into()), ("import", "1".into())]),
        "disclosure/decide_line" => kv(&[
            ("id", "999999".into()),
            ("line_id", "1".into()),
            ("decision", "rejected".into()),
            ("reason", "Not supported by the invoice.".into()),
        ]),
        "disclosure/request_info" => {
            kv(&[("id", "999999".into()), ("lines[0]", "1".into()), ("message", "Send the invoice.".into())])
        }
        "disclosure/answer_info" => kv(&[("id", "999999".into()), ("answer", "Attached.".into())]),
        "disclosure/propose" => kv(&[
            ("id", "999999".into()),
            ("outcome", "accepted_not_voluntary".into()),
            ("reasons", "Line 2 was prompted.".into()),
        ]),
        "disclosure/answer_hearing" => kv(&[("id", "999999".into()), ("hearing_answer", "We disagree.".into())]),
        "disclosure/decide" => {
            kv(&[("id", "999999".into()), ("outcome", "accepted_voluntary".into()), ("reasons", "Complete.".into())])
        }
        "disclosure/withdraw" | "disclosure/request_payment" => kv(&[("id", "999999".into())]),
        "disclosure/report_payment" => {
            kv(&[("id", "999999".into()), ("payment_reference", "PP-1".into()), ("paid_on", "2026-11-30".into())])
        }
        "disclosure/settle" => kv(&[("id", "999999".into()), ("action", "close".into())]),
        "disclosure/file_notice" => kv(&[
            ("id", "999999".into()),
            ("notice_kind", "underpayment".into()),
            ("notice_title", "Origin".into()),
            ("notice_from", "2024-03-01".into()),
            ("notice_to", "2024-04-30".into()),
            ("notice_categories[0]", "origin".into()),
            ("description", "Certificates expired.".into()),
            ("estimated_amount", "125000.00".into()),
            ("notice_attest", "yes".into()),
        ]),
        "disclosure/accept_notice" => kv(&[("id", "999999".into())]),
        "disclosure/request_extension" => {
            kv(&[("id", "999999".into()), ("days", "10".into()), ("reason", "Records arrive late.".into())])
        }
        "disclosure/decide_extension" => kv(&[
            ("id", "999999".into()),
            ("extension", "1".into()),
            ("decision", "refused".into()),
            ("reason", "No grounds.".into()),
        ]),
        "disclosure/perfect" => kv(&[("id", "999999".into()), ("attest", "yes".into())]),
        "scoring/trader" => kv(&[("organisation", "999999".into())]),
        "pca/propose" => kv(&[("organisation", "999999".into()), ("reason", "Undervaluation indicators.".into())]),
        "pca/decide" => {
            kv(&[("id", "999999".into()), ("decision", "dismiss".into()), ("reason", "Audited last year.".into())])
        }
        "scoring/confirm" => kv(&[("organisation", "999999".into()), ("reason", "Two clean years.".into())]),
        "scoring/import" => kv(&[("source", "version = 1".into())]),
        "scoring/preview" | "scoring/publish" | "national/import" => kv(&[("id", "999999".into())]),
        "traders/issue" => {
            kv(&[("organisation", "999999".into()), ("template", fx.template.to_string()), ("due", String::new())])
        }
        "aeo/create" => kv(&[("certificate_type", "type1".into()), ("assessment", assessment(other_org, fx))]),
        "aeo/save" => kv(&[
            ("id", aeo(other_org, fx)),
            ("sites[0][kind]", "head_office".into()),
            ("sites[0][address]", "Almaty".into()),
            ("publish_consent", "yes".into()),
        ]),
        "aeo/view" | "aeo/inspect" | "aeo/withdraw" => kv(&[("id", aeo(other_org, fx))]),
        "aeo/submit" => kv(&[("id", aeo(other_org, fx)), ("attest", "yes".into())]),
        "aeo/answer" | "aeo/hearing_answer" => kv(&[("id", aeo(other_org, fx)), ("answer", "Attached.".into())]),
        "aeo/step" => kv(&[("id", "999999".into()), ("action", "accept".into())]),
        "aeo/request" => kv(&[
            ("id", "999999".into()),
            ("conditions[0]", "volumes".into()),
            ("text", "Declarations?".into()),
            ("due", "2099-01-01".into()),
        ]),
        "aeo/verdict" => kv(&[("id", "999999".into()), ("condition", "volumes".into()), ("verdict", "met".into())]),
        "aeo/visit" => kv(&[
            ("id", "999999".into()),
            ("site", "999999".into()),
            ("day", "2099-01-01".into()),
            ("officers", "A. Bekov".into()),
        ]),
        "aeo/report_visit" => {
            kv(&[("id", "999999".into()), ("visit", "999999".into()), ("report", "Premises fenced.".into())])
        }
        "aeo/register" => kv(&[("q", "CANARY".into())]),
        _ => Vec::new(),
    }
}

fn aeo(other_org: bool, fx: &Fixture) -> String {
    if other_org { fx.aeo_b } else { fx.aeo_a }.to_string()
}

fn assessment(other_org: bool, fx: &Fixture) -> String {
    if other_org { fx.assessment_b } else { fx.assessment_a }.to_string()
}

#[tokio::test]
async fn every_server_function_enforces_its_rule_for_every_role_and_organisation() {
    for app in TestApp::each_backend().await {
        let fx = fixture(&app).await;
        let mut n = 0;
        for (endpoint, rule) in MATRIX {
            for other_org in [false, true] {
                if other_org && !TARGETED.contains(endpoint) {
                    continue;
                }
                for (label, role, user) in &fx.callers {
                    n += 1;
                    let session = match user {
                        Some(id) => Some(app.session_for(*id).await),
                        None => None,
                    };
                    let form = payload(endpoint, other_org, &fx, n);
                    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
                    let before = app.snapshot().await;
                    let reply = app.call(endpoint, &form, session.as_deref()).await;
                    // A 5xx is never an answer to a well-formed request: it would otherwise pass
                    // below as "allowed".
                    assert!(
                        !reply.status.is_server_error(),
                        "{} {endpoint} as {label} (other org: {other_org}): {} {}",
                        app.backend,
                        reply.status,
                        reply.body
                    );
                    let mut seen = classify(reply.status, &reply.body);
                    if seen == Seen::NotFound && !TARGETED.contains(endpoint) {
                        // Past the access rule; the (made-up) object simply does not exist.
                        seen = Seen::Allowed;
                    }
                    let expected = if rule.allows(*role) {
                        let own_team = matches!(role, Some(Role::TraderAdmin)) || ORG_DATA.contains(endpoint);
                        if TARGETED.contains(endpoint) && (other_org || !own_team) {
                            Seen::NotFound
                        } else {
                            Seen::Allowed
                        }
                    } else if role.is_none() {
                        Seen::Unauthenticated
                    } else {
                        Seen::Forbidden
                    };
                    let context = format!(
                        "{} {endpoint} as {label} (other org: {other_org}): {} {}",
                        app.backend, reply.status, reply.body
                    );
                    assert_eq!(seen, expected, "{context}");
                    if seen != Seen::Allowed {
                        assert_eq!(app.snapshot().await, before, "a refused call changed data: {context}");
                    }
                    if seen == Seen::Forbidden {
                        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{context}");
                    }
                    // Customs staff see every organisation by design; nobody else may see B.
                    let customs = role.is_some_and(|r| Role::CUSTOMS.contains(&r));
                    assert!(
                        customs || (!reply.body.contains("CANARY-B") && !reply.body.contains("@b.kz")),
                        "other organisation leaked: {context}"
                    );
                }
            }
        }
        let denied = app.scalar("SELECT COUNT(*) FROM audit_events WHERE outcome = 'denied' AND seq > $1", 0).await;
        assert!(denied > 0, "refusals are audit-logged");

        // A draft is the trader's own: to every customs role it does not exist, on every customs
        // endpoint that takes an assessment, and its evidence cannot be downloaded.
        let draft = fx.assessment_a.to_string();
        for (label, role, user) in fx.callers.iter().filter(|(_, r, _)| r.is_some_and(|r| Role::CUSTOMS.contains(&r))) {
            let session = app.session_for(user.expect("signed in")).await;
            for endpoint in DRAFT_HIDDEN {
                let mut form = vec![("id", draft.as_str())];
                if *endpoint == "review/decide" {
                    form.extend([("question", "A1"), ("decision", "verify")]);
                }
                let before = app.snapshot().await;
                let reply = app.call(endpoint, &form, Some(&session)).await;
                let context =
                    format!("{} {endpoint} on a draft as {label}: {} {}", app.backend, reply.status, reply.body);
                let expected = if MATRIX.iter().any(|(e, rule)| e == endpoint && rule.allows(*role)) {
                    Seen::NotFound
                } else {
                    Seen::Forbidden
                };
                assert_eq!(classify(reply.status, &reply.body), expected, "{context}");
                assert_eq!(app.snapshot().await, before, "{context}");
            }
            // Nor is an AEO application that was never submitted.
            let reply = app.call("aeo/inspect", &[("id", &fx.aeo_a.to_string())], Some(&session)).await;
            assert_eq!(classify(reply.status, &reply.body), Seen::NotFound, "{} AEO draft as {label}", app.backend);
            for file in &fx.evidence_a {
                let reply = app.page(&format!("/evidence/{file}"), Some(&session)).await;
                assert_eq!(reply.status, StatusCode::NOT_FOUND, "{} draft evidence as {label}", app.backend);
            }
        }
    }
}

#[test]
fn the_matrix_covers_every_registered_server_function_and_all_are_post() {
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, method)| {
            assert_eq!(method, http::Method::POST, "{path} must not be a GET: state changes need CSRF protection");
            path.trim_start_matches("/api/").to_owned()
        })
        .collect();
    let in_matrix: BTreeSet<String> = MATRIX.iter().map(|(p, _)| (*p).to_owned()).collect();
    assert_eq!(registered, in_matrix, "every server function needs a row in the authorization matrix");
}

#[test]
fn every_server_function_starts_with_an_access_check() {
    let mut checked = 0;
    for dir in std::fs::read_dir("src").expect("src") {
        let api = dir.expect("entry").path().join("api.rs");
        let Ok(source) = std::fs::read_to_string(&api) else { continue };
        for chunk in source.split("#[server(endpoint").skip(1) {
            let body = chunk.split_once('{').map(|(_, b)| b).expect("function body");
            let first = body.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or_default();
            assert!(
                first.contains("crate::auth::require(") || first.contains("crate::auth::public()"),
                "{}: a server function begins with `{first}` instead of its access rule",
                api.display()
            );
            checked += 1;
        }
    }
    assert_eq!(checked, MATRIX.len(), "scanned server functions and matrix rows differ");
}

#[tokio::test]
async fn cross_site_posts_and_other_encodings_are_refused() {
    let app = TestApp::sqlite().await;
    let cross = http::Request::post("/api/auth/sign_in")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "cross-site")
        .body(axum::body::Body::from("email=a%40b.kz&password=x"))
        .expect("request");
    assert_eq!(app.send(cross).await.status, StatusCode::FORBIDDEN);
    let foreign_origin = http::Request::post("/api/auth/sign_in")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", "https://evil.example")
        .header("host", "127.0.0.1:3000")
        .body(axum::body::Body::from("email=a%40b.kz&password=x"))
        .expect("request");
    assert_eq!(app.send(foreign_origin).await.status, StatusCode::FORBIDDEN);
    let json = http::Request::post("/api/auth/sign_in")
        .header("content-type", "text/plain")
        .body(axum::body::Body::from("{\"email\":\"a@b.kz\"}"))
        .expect("request");
    assert_eq!(app.send(json).await.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let body = format!("email=a%40b.kz&password={}", "x".repeat(3 * 1024 * 1024));
    let huge = http::Request::post("/api/auth/sign_in")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("content-length", body.len())
        .body(axum::body::Body::from(body))
        .expect("request");
    assert_eq!(app.send(huge).await.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn pages_carry_security_headers_and_a_nonce_csp() {
    let app = TestApp::sqlite().await;
    let page = app.page("/sign-in", None).await;
    assert_eq!(page.status, StatusCode::OK);
    let response = app.send(http::Request::get("/sign-in").body(axum::body::Body::empty()).expect("request")).await;
    assert_eq!(response.status, StatusCode::OK);
    let raw = app.router_headers("/sign-in").await;
    let csp = raw.get("content-security-policy").expect("CSP header").to_str().expect("ascii");
    assert!(csp.contains("script-src 'nonce-") && csp.contains("frame-ancestors 'none'"), "{csp}");
    let nonce = csp.split("'nonce-").nth(1).and_then(|s| s.split('\'').next()).expect("nonce");
    assert!(
        page.body.contains(&format!("nonce=\"{nonce}\"")) || page.body.contains("nonce="),
        "scripts carry the nonce"
    );
    for header in ["x-content-type-options", "referrer-policy", "x-frame-options", "cache-control"] {
        assert!(raw.contains_key(header), "missing {header}");
    }
}

#[tokio::test]
async fn a_trader_gets_a_clear_refusal_on_a_customs_page() {
    let app = TestApp::sqlite().await;
    let org = app.organisation("Trader", "990940000303").await;
    let user = app.user(Some(org), Role::Preparer, "prep@trader.kz").await;
    let session = app.session_for(user).await;
    let page = app.page("/customs/staff", Some(&session)).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.body.contains("not allowed"), "{}", page.body);
    let anonymous = app.page("/customs/audit", None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}

/// Issue 8: pages and server-function answers are compressed for browsers that accept it, and the
/// build's precompressed assets are served as they are, cached for a year when their names are
/// content-hashed.
#[tokio::test]
async fn pages_and_answers_are_compressed_and_hashed_assets_are_served_precompressed_and_immutable() {
    use tower::ServiceExt;
    let app = TestApp::sqlite().await;
    let get = |path: &str, encoding: &str| {
        http::Request::get(path)
            .header("accept", "text/html")
            .header("accept-encoding", encoding)
            .body(axum::body::Body::empty())
            .expect("request")
    };
    let plain = app.router.clone().oneshot(get("/sign-in", "identity")).await.expect("answer");
    assert!(plain.headers().get("content-encoding").is_none());
    let plain_len = axum::body::to_bytes(plain.into_body(), 1 << 22).await.expect("body").len();
    for (accepts, expected) in [("br", "br"), ("gzip", "gzip"), ("gzip, deflate, br", "br")] {
        let page = app.router.clone().oneshot(get("/sign-in", accepts)).await.expect("answer");
        assert_eq!(page.status(), StatusCode::OK);
        assert_eq!(page.headers().get("content-encoding").and_then(|v| v.to_str().ok()), Some(expected), "{accepts}");
        assert!(
            page.headers().get("vary").and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("accept-encoding"))
        );
        assert!(page.headers().contains_key("content-security-policy"), "security headers survive compression");
        let len = axum::body::to_bytes(page.into_body(), 1 << 22).await.expect("body").len();
        assert!(len * 2 < plain_len, "{accepts}: {len} B compressed vs {plain_len} B");
    }
    // A server-function answer (a refused registration with an error per field) is compressed too.
    let answer = http::Request::post("/api/organisation/register")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .header("accept-encoding", "gzip")
        .body(axum::body::Body::from(
            "legal_name=&identifier=1&contact_email=x&admin_name=&admin_email=y&password=a&password_confirm=b",
        ))
        .expect("request");
    let answer = app.router.clone().oneshot(answer).await.expect("answer");
    assert_eq!(answer.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer.headers().get("content-encoding").and_then(|v| v.to_str().ok()), Some("gzip"));

    // The release build's assets: a hashed wasm with its brotli and gzip copies.
    let site = std::env::temp_dir().join(format!("senim-site-{}", crate::server::db::now().as_millis()));
    let pkg = site.join("pkg");
    std::fs::create_dir_all(&pkg).expect("pkg dir");
    std::fs::write(pkg.join("senim.abc123.wasm"), b"raw wasm bytes").expect("write");
    std::fs::write(pkg.join("senim.abc123.wasm.br"), b"brotli copy").expect("write");
    std::fs::write(pkg.join("senim.abc123.wasm.gz"), b"gzip copy").expect("write");
    let mut options = app.state.leptos_options.clone();
    options.site_root = site.to_string_lossy().into_owned().into();
    options.hash_files = true;
    let hashed = crate::server::router::router(crate::server::state::AppState::new(
        options,
        app.state.db.clone(),
        crate::server::config::Config::clone(&app.state.config),
    ));
    for (accepts, encoding, body) in [
        ("br, gzip", Some("br"), "brotli copy"),
        ("gzip", Some("gzip"), "gzip copy"),
        ("identity", None, "raw wasm bytes"),
    ] {
        let asset = hashed.clone().oneshot(get("/pkg/senim.abc123.wasm", accepts)).await.expect("answer");
        assert_eq!(asset.status(), StatusCode::OK, "{accepts}");
        assert_eq!(asset.headers().get("content-encoding").and_then(|v| v.to_str().ok()), encoding, "{accepts}");
        assert_eq!(
            asset.headers().get("cache-control").and_then(|v| v.to_str().ok()),
            Some("public, max-age=31536000, immutable")
        );
        assert_eq!(asset.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("application/wasm"));
        let bytes = axum::body::to_bytes(asset.into_body(), 1 << 20).await.expect("body");
        assert_eq!(bytes.as_ref(), body.as_bytes(), "served as stored, not compressed again");
    }
    // Without hashed names (tests, `cargo leptos watch`) assets are revalidated on every use.
    let unhashed = app.router.clone().oneshot(get("/pkg/missing.js", "br")).await.expect("answer");
    assert_eq!(unhashed.headers().get("cache-control").and_then(|v| v.to_str().ok()), Some("no-cache"));
    std::fs::remove_dir_all(&site).ok();
}
