//! AEO applications on real databases, through the server functions a browser uses: the whole
//! lifecycle from a draft on a submitted T2 to a revoked certificate and the cool-off, four eyes,
//! bad input at its field, and the clock paused by an information request.

use crate::domain::id::{AssessmentId, OrganisationId};
use crate::domain::role::Role;
use crate::testing::TestApp;
use http::StatusCode;
use serde_json::Value;

/// A small T2: the AEO readiness purpose and the question the activity-years condition maps.
const T2: &str = r#"code = "T2"
version = "9.0.0"
purpose = "aeo_readiness"
title = { kk = "УЭО", ru = "УЭО", en = "AEO readiness" }

[[sections]]
key = "1"
weight = 10
title = { kk = "1", ru = "1", en = "1" }

[[sections.questions]]
key = "1.1"
weight = 3
required = true
text = { kk = "Жыл", ru = "Лет", en = "Years" }
kind = { type = "integer", min = 0, max = 100, bands = [{ min = 3, credit = 1.0 }] }
"#;

/// The type 1 conditions of the shipped EAEU configuration.
const TYPE1: [&str; 8] = [
    "activity_years",
    "volumes",
    "security",
    "no_overdue_payments",
    "no_unexecuted_penalties",
    "financial_stability",
    "no_criminal_record",
    "accounting_system",
];

fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("JSON ({e}): {body}"))
}

fn day(offset: i64) -> String {
    let (y, m, d) = crate::domain::time::civil_from_days(crate::server::db::now().days_since_epoch() + offset);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Starts a T2 self-assessment for the caller's organisation, answers it and, when `submit`,
/// submits it. Returns its id.
async fn t2(app: &TestApp, template: &str, session: &str, submit: bool) -> AssessmentId {
    let started = app.call("assessments/start", &[("template_id", template)], Some(session)).await;
    let id: AssessmentId = started.body.trim().parse().unwrap_or_else(|_| panic!("start: {started:?}"));
    let sid = id.to_string();
    let saved = app
        .call(
            "assessments/save_section",
            &[("id", &sid), ("section", "1"), ("answers[q1.1][value]", "5")],
            Some(session),
        )
        .await;
    assert!(saved.status.is_success(), "{saved:?}");
    if submit {
        let submitted = app.call("assessments/submit", &[("id", &sid), ("attest", "yes")], Some(session)).await;
        assert!(submitted.status.is_success(), "{submitted:?}");
    }
    id
}

/// A complete draft form for a type 1 application (security exactly the minimum).
fn draft(id: &str, consent: bool) -> Vec<(String, String)> {
    let mut form = vec![
        ("id".to_owned(), id.to_owned()),
        ("security_form".to_owned(), "bank_guarantee".to_owned()),
        ("security_amount".to_owned(), "1000000.00".to_owned()),
        ("security_currency".to_owned(), "EUR".to_owned()),
        ("sites[0][kind]".to_owned(), "head_office".to_owned()),
        ("sites[0][address]".to_owned(), "Almaty, Abai Ave 1".to_owned()),
        ("sites[1][kind]".to_owned(), "temporary_storage".to_owned()),
        ("sites[1][address]".to_owned(), "Almaty, Ring Road 7".to_owned()),
        ("contacts[0][name]".to_owned(), "Aigerim Sultanova".to_owned()),
        ("contacts[0][job_title]".to_owned(), "Customs manager".to_owned()),
        ("contacts[0][email]".to_owned(), "aigerim@aeo.kz".to_owned()),
        ("contacts[0][phone]".to_owned(), "+7 727 000 0000".to_owned()),
    ];
    if consent {
        form.push(("publish_consent".to_owned(), "yes".to_owned()));
    }
    for (i, key) in TYPE1.iter().enumerate() {
        form.push((format!("conditions[{i}][key]"), (*key).to_owned()));
        if *key == "financial_stability" {
            form.push((format!("conditions[{i}][explanation]"), "Audited accounts attached to the T2.".to_owned()));
        } else {
            form.push((format!("conditions[{i}][confirmed]"), "yes".to_owned()));
        }
    }
    form
}

fn pairs(form: &[(String, String)]) -> Vec<(&str, &str)> {
    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

struct Cast {
    org: OrganisationId,
    preparer: String,
    signer: String,
    officer: String,
    supervisor: String,
    deciding: String,
    template: String,
}

async fn cast(app: &TestApp) -> Cast {
    let template = app.published_template(T2).await.to_string();
    let org = app.organisation("Caspian Pipe Supply", "990940000105").await;
    Cast {
        org,
        preparer: app.session_for(app.user(Some(org), Role::Preparer, "prep@caspian.kz").await).await,
        signer: app.session_for(app.user(Some(org), Role::TraderAdmin, "admin@caspian.kz").await).await,
        officer: app.session_for(app.user(None, Role::Officer, "officer@customs.kz").await).await,
        supervisor: app.session_for(app.user(None, Role::Supervisor, "super1@customs.kz").await).await,
        deciding: app.session_for(app.user(None, Role::Supervisor, "super2@customs.kz").await).await,
        template,
    }
}

/// A submitted and accepted application; returns its id.
async fn accepted(app: &TestApp, c: &Cast, consent: bool) -> String {
    let t2 = t2(app, &c.template, &c.signer, true).await.to_string();
    let created =
        app.call("aeo/create", &[("certificate_type", "type1"), ("assessment", &t2)], Some(&c.preparer)).await;
    assert!(created.status.is_success(), "{created:?}");
    let id = created.body.trim().to_owned();
    let saved = app.call("aeo/save", &pairs(&draft(&id, consent)), Some(&c.preparer)).await;
    assert!(saved.status.is_success(), "{saved:?}");
    let submitted = app.call("aeo/submit", &[("id", &id), ("attest", "yes")], Some(&c.signer)).await;
    assert!(submitted.status.is_success(), "{submitted:?}");
    let ok = app.call("aeo/step", &[("id", &id), ("action", "accept")], Some(&c.officer)).await;
    assert!(ok.status.is_success(), "{ok:?}");
    id
}

async fn create(app: &TestApp, c: &Cast, assessment: impl AsRef<str>) -> crate::testing::Reply {
    let assessment = assessment.as_ref();
    app.call("aeo/create", &[("certificate_type", "type1"), ("assessment", assessment)], Some(&c.preparer)).await
}

async fn step(app: &TestApp, id: &str, fields: &[(&str, &str)], session: &str) -> crate::testing::Reply {
    let mut form = vec![("id", id)];
    form.extend_from_slice(fields);
    app.call("aeo/step", &form, Some(session)).await
}

async fn status(app: &TestApp, id: &str, session: &str) -> Value {
    // Traders read through aeo/view, customs through aeo/inspect.
    let mut view = app.call("aeo/view", &[("id", id)], Some(session)).await;
    if view.status == StatusCode::FORBIDDEN {
        view = app.call("aeo/inspect", &[("id", id)], Some(session)).await;
    }
    assert!(view.status.is_success(), "{view:?}");
    json(&view.body)
}

#[tokio::test]
async fn an_application_goes_from_a_draft_on_the_t2_to_a_revoked_certificate_and_the_cool_off() {
    for app in TestApp::each_backend().await {
        let b = app.backend;
        let c = cast(&app).await;
        let anonymous = None;
        let t2 = t2(&app, &c.template, &c.signer, true).await.to_string();

        // The draft, with its checklist pre-filled from the T2.
        let created =
            app.call("aeo/create", &[("certificate_type", "type1"), ("assessment", &t2)], Some(&c.preparer)).await;
        assert!(created.status.is_success(), "{b}: {created:?}");
        let id = created.body.trim().to_owned();
        let saved = app.call("aeo/save", &pairs(&draft(&id, true)), Some(&c.preparer)).await;
        assert!(saved.status.is_success(), "{b}: {saved:?}");
        let view = status(&app, &id, &c.preparer).await;
        assert_eq!(view["summary"]["status"], "Draft", "{b}");
        assert_eq!(view["security_amount_minor"], 100_000_000, "{b}");
        let activity = &view["conditions"][0];
        assert_eq!(activity["key"], "activity_years", "{b}");
        assert_eq!(activity["check"]["suggestion"], "LikelyMet", "{b}: 5 years answered in the T2");
        assert_eq!(activity["confirmed"], true, "{b}");
        assert_eq!(view["conditions"][5]["explanation"], "Audited accounts attached to the T2.", "{b}");
        // Customs does not see a draft.
        assert_eq!(app.call("aeo/inspect", &[("id", &id)], Some(&c.officer)).await.status, StatusCode::NOT_FOUND);

        // A preparer cannot sign; the signer submits with a receipt.
        let refused = app.call("aeo/submit", &[("id", &id), ("attest", "yes")], Some(&c.preparer)).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{b}");
        let unattested = app.call("aeo/submit", &[("id", &id)], Some(&c.signer)).await;
        assert_eq!(unattested.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
        let submitted = app.call("aeo/submit", &[("id", &id), ("attest", "yes")], Some(&c.signer)).await;
        assert!(submitted.status.is_success(), "{b}: {submitted:?}");
        assert!(submitted.body.contains("AEO-"), "{b}: {submitted:?}");
        let receipts = app
            .scalar("SELECT COUNT(*) FROM aeo_submissions WHERE application_id = $1", id.parse::<i64>().unwrap_or(0))
            .await;
        assert_eq!(receipts, 1, "{b}");
        let check = super::service::verify_receipts(&app.state.db.pool).await.expect("receipts");
        assert_eq!((check.checked, check.mismatched.len()), (1, 0), "{b}");
        // The receipt cannot be changed or removed, whatever the caller.
        let tamper = sqlx::query("UPDATE aeo_submissions SET content = 'x'").execute(&app.state.db.pool).await;
        assert!(tamper.is_err(), "{b}: receipts are immutable");
        let remove = sqlx::query("DELETE FROM aeo_submissions").execute(&app.state.db.pool).await;
        assert!(remove.is_err(), "{b}: receipts are immutable");

        // The queue shows it with its acceptance clock.
        let queue = json(&app.call("aeo/queue", &[], Some(&c.officer)).await.body);
        assert_eq!(queue[0]["clock"]["phase"], "Acceptance", "{b}: {queue}");
        assert_eq!(queue[0]["clock"]["light"], "Green", "{b}");

        // Accepted; an information request naming a condition pauses the decision clock.
        assert!(step(&app, &id, &[("action", "accept")], &c.officer).await.status.is_success(), "{b}");
        let asked = app
            .call(
                "aeo/request",
                &[
                    ("id", &id),
                    ("conditions[0]", "financial_stability"),
                    ("text", "Send the 2025 accounts."),
                    ("due", &day(14)),
                ],
                Some(&c.officer),
            )
            .await;
        assert!(asked.status.is_success(), "{b}: {asked:?}");
        let view = status(&app, &id, &c.preparer).await;
        assert_eq!(view["summary"]["status"]["InfoRequested"], "Examination", "{b}: {}", view["summary"]);
        assert_eq!(view["summary"]["clock"]["paused"], true, "{b}");
        assert_eq!(view["requests"][0]["conditions"][0], "financial_stability", "{b}");
        let answered = app.call("aeo/answer", &[("id", &id), ("answer", "Attached.")], Some(&c.preparer)).await;
        assert!(answered.status.is_success(), "{b}: {answered:?}");
        assert_eq!(status(&app, &id, &c.officer).await["summary"]["status"], "UnderExamination", "{b}");

        // Nothing is proposed before every condition has its verdict; a plain grant needs all met.
        let premature =
            step(&app, &id, &[("action", "propose"), ("outcome", "grant"), ("reasons", "x")], &c.officer).await;
        assert_eq!(premature.status, StatusCode::CONFLICT, "{b}: {premature:?}");
        assert!(premature.body.contains("VerdictsMissing"), "{b}: {premature:?}");
        for key in TYPE1 {
            let (verdict, note) =
                if key == "volumes" { ("not_met", "Volumes below the threshold.") } else { ("met", "") };
            let v = app
                .call(
                    "aeo/verdict",
                    &[("id", &id), ("condition", key), ("verdict", verdict), ("note", note)],
                    Some(&c.officer),
                )
                .await;
            assert!(v.status.is_success(), "{b}: {key}: {v:?}");
        }
        let grant = step(&app, &id, &[("action", "propose"), ("outcome", "grant"), ("reasons", "x")], &c.officer).await;
        assert_eq!(grant.status, StatusCode::CONFLICT, "{b}: {grant:?}");
        assert!(grant.body.contains("ConditionNotMet"), "{b}: {grant:?}");

        // Verdicts, a site visit planned and reported.
        for key in TYPE1 {
            let v =
                app.call("aeo/verdict", &[("id", &id), ("condition", key), ("verdict", "met")], Some(&c.officer)).await;
            assert!(v.status.is_success(), "{b}: {key}: {v:?}");
        }
        let view = status(&app, &id, &c.officer).await;
        let site = view["sites"][1]["id"].to_string();
        let visit = app
            .call(
                "aeo/visit",
                &[("id", &id), ("site", &site), ("day", &day(7)), ("officers", "A. Bekov")],
                Some(&c.officer),
            )
            .await;
        assert!(visit.status.is_success(), "{b}: {visit:?}");
        let visit = visit.body.trim().to_owned();
        let reported = app
            .call(
                "aeo/report_visit",
                &[
                    ("id", &id),
                    ("visit", &visit),
                    ("report", "Premises fenced, CCTV in place."),
                    ("findings[0][condition]", "accounting_system"),
                    ("findings[0][text]", "Stock records match the ledger."),
                    // As the page posts it: every condition listed, most left empty.
                    ("findings[1][condition]", "security"),
                    ("findings[1][text]", ""),
                ],
                Some(&c.officer),
            )
            .await;
        assert!(reported.status.is_success(), "{b}: {reported:?}");
        let view = status(&app, &id, &c.officer).await;
        assert_eq!(view["visits"][0]["findings"]["accounting_system"], "Stock records match the ledger.", "{b}");

        // An adverse proposal waits for the hearing; the trader answers.
        let early =
            step(&app, &id, &[("action", "propose"), ("outcome", "refuse"), ("reasons", "x")], &c.officer).await;
        assert_eq!(early.status, StatusCode::CONFLICT, "{b}: {early:?}");
        let hearing = step(
            &app,
            &id,
            &[
                ("action", "offer_hearing"),
                ("outcome", "grant_with_conditions"),
                ("reasons", "Quarterly stock reports needed."),
            ],
            &c.officer,
        )
        .await;
        assert!(hearing.status.is_success(), "{b}: {hearing:?}");
        let heard = app.call("aeo/hearing_answer", &[("id", &id), ("answer", "We agree.")], Some(&c.preparer)).await;
        assert!(heard.status.is_success(), "{b}: {heard:?}");
        let proposed = step(
            &app,
            &id,
            &[
                ("action", "propose"),
                ("outcome", "grant_with_conditions"),
                ("reasons", "All conditions met."),
                ("conditions", "Quarterly stock reports."),
            ],
            &c.officer,
        )
        .await;
        assert!(proposed.status.is_success(), "{b}: {proposed:?}");
        // The trader does not see the proposal.
        assert!(status(&app, &id, &c.preparer).await["proposal"].is_null(), "{b}");

        // Four eyes: the proposer may not decide (an officer at all), nor a supervisor who examined.
        let decide = [("action", "decide"), ("outcome", "grant_with_conditions"), ("reasons", "Granted.")];
        assert_eq!(step(&app, &id, &decide, &c.officer).await.status, StatusCode::FORBIDDEN, "{b}");
        let examined = app
            .call("aeo/verdict", &[("id", &id), ("condition", "security"), ("verdict", "met")], Some(&c.supervisor))
            .await;
        assert_eq!(examined.status, StatusCode::CONFLICT, "{b}: verdicts end with the proposal: {examined:?}");
        app.exec(
            "INSERT INTO aeo_examiners (application_id, user_id) SELECT $1, id FROM users WHERE email = 'super1@customs.kz'",
            id.parse::<i64>().unwrap_or(0),
        )
        .await;
        let refused = step(&app, &id, &decide, &c.supervisor).await;
        assert_eq!(refused.status, StatusCode::CONFLICT, "{b}: {refused:?}");
        assert!(refused.body.contains("FourEyes"), "{b}: {refused:?}");
        let decided = step(&app, &id, &decide, &c.deciding).await;
        assert!(decided.status.is_success(), "{b}: {decided:?}");

        // The certificate, in the register because the trader consented.
        let issued =
            step(&app, &id, &[("action", "issue_certificate"), ("monitoring_plan", "Annual review.")], &c.officer)
                .await;
        assert!(issued.status.is_success(), "{b}: {issued:?}");
        let view = status(&app, &id, &c.preparer).await;
        assert_eq!(view["summary"]["status"], "Active", "{b}");
        assert_eq!(view["certificate"]["number"], "KZ/0001/TIP 1", "{b}");
        assert_eq!(view["certificate"]["conditions"], "Quarterly stock reports.", "{b}");
        let today = crate::server::db::now().days_since_epoch();
        assert_eq!(view["certificate"]["reassessment_due"], crate::domain::aeo::reassessment_due(today, 36), "{b}");
        let register = app.call("aeo/register", &[("q", "caspian")], anonymous).await;
        assert!(register.status.is_success(), "{b}: {register:?}");
        let entries = json(&register.body);
        assert_eq!(entries[0]["number"], "KZ/0001/TIP 1", "{b}");
        assert_eq!(entries[0]["identifier"], "990940000105", "{b}");
        assert!(entries[0].get("monitoring_plan").is_none(), "{b}: public fields only");
        assert_eq!(
            json(&app.call("aeo/register", &[("q", "990940000105")], anonymous).await.body)[0]["status"],
            "active"
        );
        assert_eq!(json(&app.call("aeo/register", &[("q", "nobody")], anonymous).await.body), Value::Array(vec![]));
        // Without consent the holder is not listed.
        app.exec("UPDATE aeo_certificates SET published = 0 WHERE application_id = $1", id.parse::<i64>().unwrap_or(0))
            .await;
        assert_eq!(json(&app.call("aeo/register", &[("q", "")], anonymous).await.body), Value::Array(vec![]), "{b}");
        app.exec("UPDATE aeo_certificates SET published = 1 WHERE application_id = $1", id.parse::<i64>().unwrap_or(0))
            .await;
        let score = crate::aeo::service::for_score(&app.state, Some(c.org)).await.expect("score input");
        assert_eq!(score, vec![(c.org, crate::domain::compliance::Aeo::Valid)], "{b}");
        let rescores = app.scalar("SELECT COUNT(*) FROM score_requests WHERE organisation_id = $1", c.org).await;
        assert!(rescores >= 1, "{b}: the issue asks for a rescore");

        // Suspended after the holder was heard, reinstated, revoked.
        let suspend = [("action", "suspend"), ("reasons", "Stock records late."), ("holder_heard", "Will fix by May.")];
        assert_eq!(step(&app, &id, &suspend, &c.officer).await.status, StatusCode::FORBIDDEN, "{b}: supervisors only");
        let unheard = step(&app, &id, &[("action", "suspend"), ("reasons", "Late.")], &c.deciding).await;
        assert_eq!(unheard.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}: {unheard:?}");
        assert!(step(&app, &id, &suspend, &c.deciding).await.status.is_success(), "{b}");
        assert_eq!(json(&app.call("aeo/register", &[("q", "")], anonymous).await.body)[0]["status"], "suspended");
        assert!(
            step(&app, &id, &[("action", "reinstate"), ("reasons", "Fixed.")], &c.deciding).await.status.is_success()
        );
        let revoked = step(&app, &id, &[("action", "revoke"), ("reasons", "Smuggling conviction.")], &c.deciding).await;
        assert!(revoked.status.is_success(), "{b}: {revoked:?}");
        assert_eq!(json(&app.call("aeo/register", &[("q", "")], anonymous).await.body), Value::Array(vec![]), "{b}");
        let score = crate::aeo::service::for_score(&app.state, Some(c.org)).await.expect("score input");
        assert_eq!(score, vec![(c.org, crate::domain::compliance::Aeo::Revoked { on: today })], "{b}");

        // A new application is blocked until the cool-off ends, with that date.
        let again =
            app.call("aeo/create", &[("certificate_type", "type1"), ("assessment", &t2)], Some(&c.preparer)).await;
        assert_eq!(again.status, StatusCode::CONFLICT, "{b}: {again:?}");
        let until = crate::domain::aeo::add_months(today, 36);
        assert!(again.body.contains("CoolingOff") && again.body.contains(&until.to_string()), "{b}: {again:?}");
        let mine = json(&app.call("aeo/mine", &[], Some(&c.preparer)).await.body);
        assert_eq!(mine["cooling_off_until"], until, "{b}");
        let events =
            app.scalar("SELECT COUNT(*) FROM audit_events WHERE action LIKE 'aeo.%' AND seq > $1", 0_i64).await;
        assert!(events >= 20, "{b}: every step audit-logged ({events})");
    }
}

#[tokio::test]
async fn bad_input_comes_back_at_its_field_and_only_the_valid_parts_are_saved() {
    for app in TestApp::each_backend().await {
        let b = app.backend;
        let c = cast(&app).await;
        let other = app.organisation("Elsewhere Co", "990940000204").await;
        let stranger = app.session_for(app.user(Some(other), Role::TraderAdmin, "admin@elsewhere.kz").await).await;
        let foreign = t2(&app, &c.template, &stranger, true).await.to_string();
        let unsubmitted = t2(&app, &c.template, &c.signer, false).await.to_string();

        let r = create(&app, &c, foreign).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}: {r:?}");
        assert!(r.body.contains("AeoNotT2"), "{b}: another organisation's T2 does not exist here: {r:?}");
        let r = create(&app, &c, unsubmitted.clone()).await;
        assert!(r.body.contains("AeoT2NotSubmitted"), "{b}: {r:?}");
        let r = app
            .call("aeo/create", &[("certificate_type", "type9"), ("assessment", &unsubmitted)], Some(&c.preparer))
            .await;
        assert!(r.body.contains("certificate_type") && r.body.contains("InvalidChoice"), "{b}: {r:?}");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM aeo_applications WHERE organisation_id = $1", c.org).await, 0);

        let submitted = t2(&app, &c.template, &c.signer, true).await.to_string();
        let id = create(&app, &c, submitted.clone()).await.body.trim().to_owned();
        // A second open application is refused.
        let second = create(&app, &c, submitted).await;
        assert_eq!(second.status, StatusCode::CONFLICT, "{b}: {second:?}");
        assert!(second.body.contains("AeoApplicationOpen"), "{b}: {second:?}");

        for (amount, currency, code) in [
            ("1000000.001", "EUR", "MoneyPrecision"),
            ("500000000", "KZT", "SecurityCurrency"),
            ("999999.99", "EUR", "SecurityBelowMinimum"),
            ("1e6", "EUR", "MoneyFormat"),
        ] {
            let mut form = draft(&id, true);
            form.retain(|(k, _)| k != "security_amount" && k != "security_currency");
            form.push(("security_amount".into(), amount.into()));
            form.push(("security_currency".into(), currency.into()));
            form.push(("sites[2][kind]".into(), "castle".into()));
            let r = app.call("aeo/save", &pairs(&form), Some(&c.preparer)).await;
            assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}: {amount} {currency}: {r:?}");
            assert!(r.body.contains(code) && r.body.contains("sites[2][kind]"), "{b}: {amount} {currency}: {r:?}");
        }
        // The parts with a problem keep what was stored (nothing); the valid parts are saved, so
        // the trader retypes only what was refused.
        let raw = id.parse::<i64>().unwrap_or(0);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM aeo_sites WHERE application_id = $1", raw).await, 0, "{b}");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM aeo_contacts WHERE application_id = $1", raw).await, 1, "{b}");
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM aeo_applications WHERE id = $1 AND security_amount_minor IS NULL", raw)
                .await,
            1,
            "{b}"
        );
        // An incomplete draft cannot be submitted: each gap at its field.
        let r = app.call("aeo/submit", &[("id", &id), ("attest", "yes")], Some(&c.signer)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}: {r:?}");
        assert!(r.body.contains("security_amount") && r.body.contains("\"sites\""), "{b}: {r:?}");
        assert!(!r.body.contains("conditions[financial_stability]"), "{b}: the conditions were saved: {r:?}");
        // Another organisation's application does not exist for the stranger.
        let r = app.call("aeo/save", &pairs(&draft(&id, true)), Some(&stranger)).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{b}: {r:?}");

        // Dates out of range.
        assert!(app.call("aeo/save", &pairs(&draft(&id, true)), Some(&c.preparer)).await.status.is_success());
        assert!(app.call("aeo/submit", &[("id", &id), ("attest", "yes")], Some(&c.signer)).await.status.is_success());
        assert!(step(&app, &id, &[("action", "accept")], &c.officer).await.status.is_success());
        let past = app
            .call(
                "aeo/request",
                &[("id", &id), ("conditions[0]", "volumes"), ("text", "?"), ("due", &day(-1))],
                Some(&c.officer),
            )
            .await;
        assert!(past.body.contains("DateInPast"), "{b}: {past:?}");
        let unknown = app
            .call(
                "aeo/request",
                &[("id", &id), ("conditions[0]", "charm"), ("text", "?"), ("due", &day(3))],
                Some(&c.officer),
            )
            .await;
        assert!(unknown.body.contains("UnknownCondition"), "{b}: {unknown:?}");
        let view = status(&app, &id, &c.officer).await;
        let site = view["sites"][0]["id"].to_string();
        let r = app
            .call("aeo/visit", &[("id", &id), ("site", &site), ("day", &day(-3)), ("officers", "A")], Some(&c.officer))
            .await;
        assert!(r.body.contains("DateInPast"), "{b}: {r:?}");
        let r = app
            .call(
                "aeo/visit",
                &[("id", &id), ("site", &site), ("day", "2026-02-30"), ("officers", "A")],
                Some(&c.officer),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}: {r:?}");
        assert_eq!(status(&app, &id, &c.officer).await["summary"]["status"], "UnderExamination", "{b}");
        // The one extension of the decision clock: a supervisor, with a reason, once.
        let extend = [("action", "extend_clock"), ("reasons", "Site visit abroad.")];
        assert_eq!(step(&app, &id, &extend, &c.officer).await.status, StatusCode::FORBIDDEN, "{b}");
        assert!(step(&app, &id, &extend, &c.supervisor).await.status.is_success(), "{b}");
        let twice = step(&app, &id, &extend, &c.supervisor).await;
        assert!(twice.body.contains("AlreadyExtended"), "{b}: {twice:?}");
        assert_eq!(status(&app, &id, &c.officer).await["extension"]["days"], 60, "{b}");
    }
}

#[tokio::test]
async fn an_information_request_pauses_the_clock_until_answered() {
    for app in TestApp::each_backend().await {
        let b = app.backend;
        let c = cast(&app).await;
        let id = accepted(&app, &c, false).await;
        let before = status(&app, &id, &c.officer).await["summary"]["clock"].clone();
        assert_eq!(before["phase"], "Examination", "{b}: {before}");
        assert_eq!(before["paused_days"], 0, "{b}");
        let asked = app
            .call(
                "aeo/request",
                &[("id", &id), ("conditions[0]", "volumes"), ("text", "Declarations 2025?"), ("due", &day(10))],
                Some(&c.officer),
            )
            .await;
        assert!(asked.status.is_success(), "{b}: {asked:?}");
        // The request was made five days ago: the due day moves by five.
        app.exec(
            "UPDATE aeo_pauses SET from_day = from_day - 5 WHERE application_id = $1",
            id.parse::<i64>().unwrap_or(0),
        )
        .await;
        let paused = status(&app, &id, &c.officer).await["summary"]["clock"].clone();
        assert_eq!(paused["paused"], true, "{b}: {paused}");
        assert_eq!(paused["paused_days"], 5, "{b}");
        assert_eq!(paused["due"].as_i64(), before["due"].as_i64().map(|d| d + 5), "{b}");
        let queue = json(&app.call("aeo/queue", &[], Some(&c.officer)).await.body);
        assert_eq!(queue[0]["clock"]["paused"], true, "{b}");
        // The answer resumes it; the paused days stay counted.
        assert!(
            app.call("aeo/answer", &[("id", &id), ("answer", "Forty.")], Some(&c.preparer)).await.status.is_success()
        );
        let resumed = status(&app, &id, &c.officer).await["summary"]["clock"].clone();
        assert_eq!(
            (resumed["paused"].clone(), resumed["paused_days"].clone()),
            (Value::Bool(false), Value::from(5)),
            "{b}"
        );
        // The trader may withdraw before the decision; the application leaves the queue.
        assert!(app.call("aeo/withdraw", &[("id", &id)], Some(&c.signer)).await.status.is_success(), "{b}");
        assert_eq!(json(&app.call("aeo/queue", &[], Some(&c.officer)).await.body), Value::Array(vec![]), "{b}");
    }
}

/// The pages a browser loads for each step show the application and carry the forms whose fields
/// the server functions read (the same names the tests above post), for the trader, customs and
/// the public.
#[tokio::test]
async fn the_pages_show_each_step_with_the_forms_the_server_functions_read() {
    for app in TestApp::each_backend().await {
        let b = app.backend;
        let c = cast(&app).await;
        let page = app.page("/aeo", Some(&c.preparer)).await;
        assert_eq!(page.status, StatusCode::OK, "{b}");
        assert!(page.body.contains("id=\"no-t2\""), "{b}: no submitted T2 yet, the page says so");
        let t2 = t2(&app, &c.template, &c.signer, true).await.to_string();
        let page = app.page("/aeo", Some(&c.preparer)).await;
        for field in ["name=\"certificate_type\"", "name=\"assessment\"", &format!("value=\"{t2}\"")] {
            assert!(page.body.contains(field), "{b}: the start form has {field}");
        }
        let created = create(&app, &c, &t2).await;
        let id = created.body.trim().to_owned();
        // A draft is the trader's own: customs' trader page does not list it yet.
        let trader_page = format!("/customs/traders/{}", c.org);
        let page = app.page(&trader_page, Some(&c.officer)).await;
        assert!(
            page.body.contains("id=\"aeo\"") && !page.body.contains("id=\"trader-aeo\""),
            "{b}: {} {}",
            page.status,
            page.body
        );
        let page = app.page(&format!("/aeo/{id}"), Some(&c.preparer)).await;
        assert_eq!(page.status, StatusCode::OK, "{b}");
        for field in [
            "id=\"checklist\"",
            "name=\"conditions[0][key]\"",
            "name=\"conditions[0][confirmed]\"",
            "name=\"conditions[0][explanation]\"",
            "name=\"security_form\"",
            "name=\"security_amount\"",
            "name=\"security_currency\"",
            "name=\"sites[0][kind]\"",
            "name=\"sites[0][address]\"",
            "name=\"contacts[0][email]\"",
            "name=\"publish_consent\"",
            "name=\"attest\"",
            "data-suggestion=\"likely_met\"",
        ] {
            assert!(page.body.contains(field), "{b}: the draft page has {field}");
        }
        assert!(app.call("aeo/save", &pairs(&draft(&id, false)), Some(&c.preparer)).await.status.is_success());
        let page = app.page(&format!("/aeo/{id}"), Some(&c.preparer)).await;
        assert!(page.body.contains("Almaty, Ring Road 7"), "{b}: the saved site is shown");
        assert!(page.body.contains("1000000.00"), "{b}: the saved amount is shown");
        // Another organisation's user gets no page of it.
        let other = app.organisation("Other Co", "990940000204").await;
        let stranger = app.session_for(app.user(Some(other), Role::TraderAdmin, "admin@other.kz").await).await;
        let page = app.page(&format!("/aeo/{id}"), Some(&stranger)).await;
        assert!(!page.body.contains("Almaty, Ring Road 7"), "{b}: another organisation never sees it");

        assert!(app.call("aeo/submit", &[("id", &id), ("attest", "yes")], Some(&c.signer)).await.status.is_success());
        let page = app.page(&format!("/aeo/{id}"), Some(&c.preparer)).await;
        assert!(page.body.contains("id=\"receipt\""), "{b}: the receipt is shown");
        assert!(page.body.contains("data-status=\"submitted\""), "{b}");
        // Both sides see where it stands: the trader's home page, customs' trader page.
        let home = app.page("/", Some(&c.preparer)).await;
        assert!(home.body.contains("id=\"aeo-notice\"") && home.body.contains("AEO-"), "{b}: {}", home.body);
        let page = app.page(&trader_page, Some(&c.officer)).await;
        assert!(page.body.contains("id=\"trader-aeo\"") && page.body.contains(&format!("/customs/aeo/{id}")), "{b}");
        let queue = app.page("/customs/aeo", Some(&c.officer)).await;
        assert!(
            queue.body.contains("id=\"queue\"") && queue.body.contains("Caspian Pipe Supply"),
            "{b}: {}",
            queue.body
        );
        assert!(queue.body.contains("data-light=\"green\""), "{b}: the acceptance clock's light");
        let page = app.page(&format!("/customs/aeo/{id}"), Some(&c.officer)).await;
        for form in ["aeo-step--accept", "aeo-step--not_accept", "aeo-request"] {
            assert!(page.body.contains(form), "{b}: customs can {form}");
        }
        assert!(step(&app, &id, &[("action", "accept")], &c.officer).await.status.is_success());
        let page = app.page(&format!("/customs/aeo/{id}"), Some(&c.officer)).await;
        for form in ["verdict-form", "aeo-visit", "aeo-step--offer_hearing", "aeo-step--propose", "name=\"due\""] {
            assert!(page.body.contains(form), "{b}: the examination offers {form}");
        }
        // A trader cannot open the customs page's data.
        let page = app.page(&format!("/customs/aeo/{id}"), Some(&c.preparer)).await;
        assert!(!page.body.contains("aeo-step--accept"), "{b}");

        // The public register page, anonymous: empty until a consenting holder exists.
        let register = app.page("/aeo-register?q=Caspian", None).await;
        assert_eq!(register.status, StatusCode::OK, "{b}");
        assert!(register.body.contains("id=\"register-empty\""), "{b}");
    }
}

#[tokio::test]
async fn evidence_goes_to_customs_with_the_submission_and_the_answers_and_never_changes() {
    const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\nAUDITED-ACCOUNTS-2025\n%%EOF\n";
    for app in TestApp::each_backend().await {
        let b = app.backend;
        let c = cast(&app).await;
        let t2 = t2(&app, &c.template, &c.signer, true).await.to_string();
        let id = create(&app, &c, &t2).await.body.trim().to_owned();
        assert!(app.call("aeo/save", &pairs(&draft(&id, false)), Some(&c.preparer)).await.status.is_success());
        let upload = |session: &'static str, condition: &'static str, name: &'static str, bytes: &'static [u8]| {
            let (app, id, c) = (&app, id.clone(), &c);
            async move {
                let session = match session {
                    "preparer" => &c.preparer,
                    "officer" => &c.officer,
                    _ => &c.signer,
                };
                app.upload_with(&format!("/aeo/{id}/evidence"), &[("condition", condition)], name, bytes, session).await
            }
        };

        // Attached to a draft, the trader's own: customs sees nothing yet.
        let up = upload("preparer", "financial_stability", "accounts-2025.pdf", PDF).await;
        assert_eq!(up.status, StatusCode::SEE_OTHER, "{b}: {up:?}");
        assert!(up.location.contains("done=evidence"), "{b}: {}", up.location);
        let file = up.location.rsplit("#file-").next().unwrap_or_default().to_owned();
        // A file that is not what it claims, the same file twice, a condition the type lacks.
        let fake = upload("preparer", "financial_stability", "accounts.pdf", b"<html>not a pdf</html>").await;
        assert!(fake.location.contains("evidence_error="), "{b}: {fake:?}");
        let twice = upload("preparer", "financial_stability", "again.pdf", PDF).await;
        assert!(twice.location.contains("evidence_error=AlreadyAttached"), "{b}: {twice:?}");
        let unknown = upload("preparer", "premises", "plan.pdf", b"%PDF-1.7 plan").await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{b}: type 1 has no premises condition");
        // Customs cannot attach; another organisation cannot see or attach.
        let customs = upload("officer", "financial_stability", "x.pdf", b"%PDF-1.7 customs").await;
        assert_eq!(customs.status, StatusCode::FORBIDDEN, "{b}: {customs:?}");
        let other = app.organisation("Other Co", "990940000204").await;
        let stranger = app.session_for(app.user(Some(other), Role::TraderAdmin, "admin@other.kz").await).await;
        let foreign = app
            .upload_with(
                &format!("/aeo/{id}/evidence"),
                &[("condition", "security")],
                "x.pdf",
                b"%PDF-1.7 x",
                &stranger,
            )
            .await;
        assert_eq!(foreign.status, StatusCode::NOT_FOUND, "{b}: {foreign:?}");
        assert_eq!(app.page(&format!("/aeo/{id}/files/{file}"), Some(&stranger)).await.status, StatusCode::NOT_FOUND);
        let mine = app.page(&format!("/aeo/{id}/files/{file}"), Some(&c.preparer)).await;
        assert_eq!(mine.status, StatusCode::OK, "{b}");
        assert!(mine.body.contains("AUDITED-ACCOUNTS-2025"), "{b}");
        assert_eq!(app.page(&format!("/aeo/{id}/files/{file}"), Some(&c.officer)).await.status, StatusCode::NOT_FOUND);
        // A file attached by mistake is removed before it is sent.
        let wrong = upload("preparer", "security", "wrong.pdf", b"%PDF-1.7 wrong").await;
        let wrong = wrong.location.rsplit("#file-").next().unwrap_or_default().to_owned();
        let removed = app.call("aeo/remove_evidence", &[("id", &id), ("evidence", &wrong)], Some(&c.preparer)).await;
        assert!(removed.status.is_success(), "{b}: {removed:?}");
        let page = app.page(&format!("/aeo/{id}"), Some(&c.preparer)).await;
        assert!(page.body.contains("accounts-2025.pdf") && !page.body.contains("wrong.pdf"), "{b}");
        assert!(
            page.body.contains("action=\"/aeo/") && page.body.contains("name=\"condition\""),
            "{b}: the upload form"
        );

        // Submitted: the file is sent, named in the receipt, and customs may read it (audited).
        assert!(app.call("aeo/submit", &[("id", &id), ("attest", "yes")], Some(&c.signer)).await.status.is_success());
        let receipt: String = sqlx::query("SELECT content FROM aeo_submissions WHERE application_id = $1")
            .bind(id.parse::<i64>().unwrap_or(0))
            .fetch_one(&app.state.db.pool)
            .await
            .and_then(|r| sqlx::Row::try_get(&r, 0))
            .expect("receipt");
        assert!(receipt.contains("accounts-2025.pdf") && !receipt.contains("wrong.pdf"), "{b}: {receipt}");
        let read = app.page(&format!("/aeo/{id}/files/{file}"), Some(&c.officer)).await;
        assert_eq!(read.status, StatusCode::OK, "{b}");
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'aeo.evidence_view' AND seq > $1", 0).await,
            1,
            "{b}"
        );
        let page = app.page(&format!("/customs/aeo/{id}"), Some(&c.officer)).await;
        assert!(page.body.contains("accounts-2025.pdf") && page.body.contains("data-sent=\"true\""), "{b}");
        // Sent files never change, whatever the caller; nothing more is attached while customs works.
        let late = upload("preparer", "security", "late.pdf", b"%PDF-1.7 late").await;
        assert!(late.location.contains("evidence_error=NotEditable"), "{b}: {late:?}");
        let gone = app.call("aeo/remove_evidence", &[("id", &id), ("evidence", &file)], Some(&c.preparer)).await;
        assert!(gone.status.is_client_error(), "{b}: {gone:?}");
        assert!(
            sqlx::query("UPDATE aeo_evidence SET file_name = 'x'").execute(&app.state.db.pool).await.is_err(),
            "{b}"
        );
        assert!(sqlx::query("DELETE FROM aeo_evidence").execute(&app.state.db.pool).await.is_err(), "{b}");

        // An information request: the answer's file goes with the answer.
        assert!(step(&app, &id, &[("action", "accept")], &c.officer).await.status.is_success(), "{b}");
        let asked = app
            .call(
                "aeo/request",
                &[("id", &id), ("conditions[0]", "security"), ("text", "The signed guarantee."), ("due", &day(14))],
                Some(&c.officer),
            )
            .await;
        assert!(asked.status.is_success(), "{b}: {asked:?}");
        let answer_file = upload("preparer", "security", "guarantee.pdf", b"%PDF-1.7 guarantee").await;
        assert!(answer_file.location.contains("done=evidence"), "{b}: {answer_file:?}");
        let page = app.page(&format!("/customs/aeo/{id}"), Some(&c.officer)).await;
        assert!(!page.body.contains("guarantee.pdf"), "{b}: not sent before the answer");
        assert!(
            app.call("aeo/answer", &[("id", &id), ("answer", "Attached.")], Some(&c.preparer))
                .await
                .status
                .is_success()
        );
        let page = app.page(&format!("/customs/aeo/{id}"), Some(&c.officer)).await;
        assert!(page.body.contains("guarantee.pdf"), "{b}: sent with the answer");
    }
}

#[tokio::test]
async fn certificates_due_for_reassessment_are_listed_until_customs_records_one() {
    for app in TestApp::each_backend().await {
        let b = app.backend;
        let c = cast(&app).await;
        let id = accepted(&app, &c, true).await;
        for key in TYPE1 {
            let v =
                app.call("aeo/verdict", &[("id", &id), ("condition", key), ("verdict", "met")], Some(&c.officer)).await;
            assert!(v.status.is_success(), "{b}: {v:?}");
        }
        let ok = |r: crate::testing::Reply| assert!(r.status.is_success(), "{b}: {r:?}");
        ok(step(&app, &id, &[("action", "propose"), ("outcome", "grant"), ("reasons", "All met.")], &c.officer).await);
        ok(step(&app, &id, &[("action", "decide"), ("outcome", "grant"), ("reasons", "Granted.")], &c.deciding).await);
        ok(step(&app, &id, &[("action", "issue_certificate")], &c.officer).await);
        let monitoring = json(&app.call("aeo/monitoring", &[], Some(&c.officer)).await.body);
        assert_eq!(monitoring.as_array().map(Vec::len), Some(0), "{b}: a new certificate is years from reassessment");

        // Due in ten days: on the monitoring list, with the days left.
        let raw = id.parse::<i64>().unwrap_or(0);
        let soon = crate::server::db::now().days_since_epoch() + 10;
        sqlx::query("UPDATE aeo_certificates SET reassessment_due = $1 WHERE application_id = $2")
            .bind(soon)
            .bind(raw)
            .execute(&app.state.db.pool)
            .await
            .expect("due soon");
        let monitoring = json(&app.call("aeo/monitoring", &[], Some(&c.officer)).await.body);
        assert_eq!(monitoring[0]["days_left"], 10, "{b}: {monitoring}");
        let page = app.page("/customs/aeo", Some(&c.officer)).await;
        assert!(page.body.contains("id=\"monitoring\"") && page.body.contains("Caspian Pipe Supply"), "{b}");
        // The trader neither sees the list nor records a reassessment.
        assert_eq!(app.call("aeo/monitoring", &[], Some(&c.signer)).await.status, StatusCode::FORBIDDEN, "{b}");
        let trader = step(&app, &id, &[("action", "complete_reassessment"), ("reasons", "x")], &c.signer).await;
        assert_eq!(trader.status, StatusCode::FORBIDDEN, "{b}");

        // Recorded with what it found: the next is due after the configured interval.
        let missing = step(&app, &id, &[("action", "complete_reassessment")], &c.officer).await;
        assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}: {missing:?}");
        let done = step(
            &app,
            &id,
            &[
                ("action", "complete_reassessment"),
                ("reasons", "Security renewed; accounts 2026 audited; no findings."),
            ],
            &c.officer,
        )
        .await;
        ok(done);
        let view = status(&app, &id, &c.signer).await;
        let months = app.state.config.aeo.reassessment_months;
        let today = crate::server::db::now().days_since_epoch();
        assert_eq!(view["certificate"]["reassessment_due"], crate::domain::aeo::reassessment_due(today, months), "{b}");
        assert_eq!(
            view["certificate"]["reassessments"][0]["findings"],
            "Security renewed; accounts 2026 audited; no findings."
        );
        let monitoring = json(&app.call("aeo/monitoring", &[], Some(&c.officer)).await.body);
        assert_eq!(monitoring.as_array().map(Vec::len), Some(0), "{b}: {monitoring}");
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'aeo.reassess' AND seq > $1", 0).await,
            1,
            "{b}"
        );
        // A suspended certificate is not reassessed until reinstated.
        ok(step(
            &app,
            &id,
            &[("action", "suspend"), ("reasons", "Security lapsed."), ("holder_heard", "Renewal pending.")],
            &c.supervisor,
        )
        .await);
        let suspended = step(&app, &id, &[("action", "complete_reassessment"), ("reasons", "x")], &c.officer).await;
        assert_eq!(suspended.status, StatusCode::CONFLICT, "{b}: {suspended:?}");
    }
}
