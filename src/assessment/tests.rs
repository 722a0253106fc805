//! Answering and submitting on real databases: tenancy, validation, concurrent saves, the
//! submission's completeness rules, receipt and immutability.

use crate::domain::id::{AssessmentId, TemplateId};
use crate::domain::role::Role;
use crate::testing::TestApp;
use http::StatusCode;
use sqlx::Row;

const SMALL: &str = r#"code = "S"
version = "1.0.0"
purpose = "general_compliance"
title = { kk = "Шағын", ru = "Малый", en = "Small" }

[[sections]]
key = "A"
weight = 10
title = { kk = "А", ru = "А", en = "A" }

[[sections.questions]]
key = "A1"
weight = 3
required = true
text = { kk = "Иә?", ru = "Да?", en = "Yes?" }
kind = { type = "yes_no" }

[[sections.questions]]
key = "A2"
weight = 2
required = true
show_if = { any = ["A1 = yes"] }
text = { kk = "Неше жыл?", ru = "Сколько лет?", en = "How many years?" }
kind = { type = "integer", bands = [{ min = 3, credit = 1 }] }

[[sections.questions]]
key = "A3"
weight = 1
text = { kk = "Сома", ru = "Сумма", en = "Amount" }
kind = { type = "money" }
"#;

/// A published template, an organisation with a preparer and a signatory, and a started draft.
async fn setup(app: &TestApp, bin: &str) -> (AssessmentId, String, String, TemplateId) {
    let template_id = match crate::questionnaire::db::rows(&app.state.db.pool).await.expect("list").first() {
        Some(row) => row.id,
        None => app.published_template(SMALL).await,
    };
    let org = app.organisation(&format!("Org {bin}"), bin).await;
    let preparer = app.session_for(app.user(Some(org), Role::Preparer, &format!("prep@{bin}.kz")).await).await;
    let signatory = app.session_for(app.user(Some(org), Role::Signatory, &format!("sign@{bin}.kz")).await).await;
    let started = app.call("assessments/start", &[("template_id", &template_id.to_string())], Some(&preparer)).await;
    assert!(started.status.is_success(), "{}: {started:?}", app.backend);
    let id: AssessmentId = started.body.trim().parse().expect("assessment id");
    (id, preparer, signatory, template_id)
}

fn form<'a>(id: &'a str, pairs: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut out = vec![("id", id), ("section", "A")];
    out.extend_from_slice(pairs);
    out
}

#[tokio::test]
async fn answers_are_validated_saved_and_private_to_the_organisation() {
    for app in TestApp::each_backend().await {
        let (id, preparer, _, _) = setup(&app, "990940000105").await;
        let sid = id.to_string();
        let bad = app
            .call(
                "assessments/save_section",
                &form(&sid, &[("answers[qA1][value]", "yes"), ("answers[qA2][value]", "NaN")]),
                Some(&preparer),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}: {bad:?}", app.backend);
        assert!(bad.body.contains("q-A2") && bad.body.contains("NumberFormat"));
        assert_eq!(app.scalar("SELECT COUNT(*) FROM answers WHERE assessment_id = $1", id).await, 0, "nothing saved");
        let money = app
            .call(
                "assessments/save_section",
                &form(&sid, &[("answers[qA3][value]", "12.345"), ("answers[qA3][currency]", "KZT")]),
                Some(&preparer),
            )
            .await;
        assert!(money.body.contains("MoneyPrecision"), "{}", money.body);

        let ok = app
            .call(
                "assessments/save_section",
                &form(&sid, &[("answers[qA1][value]", "yes"), ("answers[qA2][value]", "4")]),
                Some(&preparer),
            )
            .await;
        assert!(ok.status.is_success(), "{ok:?}");
        assert!(ok.body.contains("\"saved\":2"), "{}", ok.body);
        let view = app.call("assessments/get", &[("id", &sid)], Some(&preparer)).await;
        assert!(
            view.body.contains("\"overall_bp\":8333"),
            "A1 and A2 full, optional A3 unanswered counts 0: {}",
            view.body
        );

        let (_, other, _, _) = setup(&app, "990940000204").await;
        let peek = app.call("assessments/get", &[("id", &sid)], Some(&other)).await;
        assert_eq!(peek.status, StatusCode::NOT_FOUND);
        let write =
            app.call("assessments/save_section", &form(&sid, &[("answers[qA1][value]", "no")]), Some(&other)).await;
        assert_eq!(write.status, StatusCode::NOT_FOUND);
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM answers WHERE assessment_id = $1 AND value LIKE '%No%'", id).await,
            0
        );
    }
}

#[tokio::test]
async fn two_people_saving_the_same_answer_never_overwrite_each_other() {
    for app in TestApp::each_backend().await {
        let (id, preparer, signatory, _) = setup(&app, "990940000303").await;
        let sid = id.to_string();
        // Both loaded the empty draft (version 0) and answer A1 differently.
        let first = app
            .call(
                "assessments/save_section",
                &form(&sid, &[("answers[qA1][value]", "yes"), ("versions[qA1]", "0")]),
                Some(&preparer),
            )
            .await;
        assert!(first.body.contains("\"saved\":1"), "{}: {}", app.backend, first.body);
        let second = app
            .call(
                "assessments/save_section",
                &form(&sid, &[("answers[qA1][value]", "no"), ("versions[qA1]", "0")]),
                Some(&signatory),
            )
            .await;
        assert!(second.status.is_success());
        assert!(
            second.body.contains("\"saved\":0")
                && second.body.contains("\"theirs\":\"yes\"")
                && second.body.contains("\"yours\":\"no\""),
            "{}",
            second.body
        );
        let stored: String = sqlx::query("SELECT value FROM answers WHERE assessment_id = $1")
            .bind(id)
            .fetch_one(&app.state.db.pool)
            .await
            .expect("row")
            .try_get("value")
            .expect("value");
        assert!(stored.contains("yes"), "the first answer stays: {stored}");
        // With the current version the change goes through.
        let again = app
            .call(
                "assessments/save_section",
                &form(&sid, &[("answers[qA1][value]", "no"), ("versions[qA1]", "1")]),
                Some(&signatory),
            )
            .await;
        assert!(again.body.contains("\"saved\":1"), "{}", again.body);
    }
}

#[tokio::test]
async fn submission_needs_a_signer_the_attestation_and_every_required_answer() {
    for app in TestApp::each_backend().await {
        let (id, preparer, signatory, _) = setup(&app, "990940000402").await;
        let sid = id.to_string();
        let by_preparer = app.call("assessments/submit", &[("id", &sid), ("attest", "yes")], Some(&preparer)).await;
        assert_eq!(by_preparer.status, StatusCode::FORBIDDEN);
        let unattested = app.call("assessments/submit", &[("id", &sid)], Some(&signatory)).await;
        assert!(unattested.body.contains("MustConfirm"), "{}: {}", app.backend, unattested.body);
        let incomplete = app.call("assessments/submit", &[("id", &sid), ("attest", "yes")], Some(&signatory)).await;
        assert_eq!(incomplete.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(incomplete.body.contains("Incomplete") && incomplete.body.contains("A1"), "{}", incomplete.body);
        // A1 = no hides A2, so A2 is no longer required.
        app.call("assessments/save_section", &form(&sid, &[("answers[qA1][value]", "no")]), Some(&preparer)).await;
        let receipt = app.call("assessments/submit", &[("id", &sid), ("attest", "yes")], Some(&signatory)).await;
        assert!(receipt.status.is_success(), "{receipt:?}");
        assert!(
            receipt.body.contains(&format!("SA-2026-{id:06}-1")) || receipt.body.contains("\"number\":\"SA-"),
            "{}",
            receipt.body
        );
        let row = sqlx::query("SELECT content, content_sha256, audit_seq FROM submissions WHERE assessment_id = $1")
            .bind(id)
            .fetch_one(&app.state.db.pool)
            .await
            .expect("submission");
        let content: String = row.try_get("content").expect("content");
        let sha: String = row.try_get("content_sha256").expect("sha");
        use sha2::Digest;
        let recomputed: String = sha2::Sha256::digest(content.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(sha, recomputed, "the receipt hash is the hash of the stored content");
        assert!(receipt.body.contains(&sha));
        let seq: i64 = row.try_get("audit_seq").expect("seq");
        let action: String = sqlx::query("SELECT action FROM audit_events WHERE seq = $1")
            .bind(seq)
            .fetch_one(&app.state.db.pool)
            .await
            .expect("event")
            .try_get("action")
            .expect("action");
        assert_eq!(action, "assessment.submit");

        // Submitted: answers are frozen, a second submit is refused, the record cannot be edited.
        let late = app
            .call(
                "assessments/save_section",
                &form(&sid, &[("answers[qA1][value]", "yes"), ("versions[qA1]", "1")]),
                Some(&preparer),
            )
            .await;
        assert!(late.body.contains("NotEditable"), "{}", late.body);
        let twice = app.call("assessments/submit", &[("id", &sid), ("attest", "yes")], Some(&signatory)).await;
        assert!(twice.body.contains("WrongState"), "{}", twice.body);
        let tamper = sqlx::query("UPDATE submissions SET content = '{}' WHERE assessment_id = $1")
            .bind(id)
            .execute(&app.state.db.pool)
            .await;
        assert!(tamper.is_err(), "{}: submissions are immutable", app.backend);
    }
}

const WITH_EVIDENCE: &str = r#"code = "EV"
version = "1.0.0"
purpose = "general_compliance"
title = { kk = "Құжат", ru = "Документ", en = "Evidence" }

[[sections]]
key = "A"
weight = 10
title = { kk = "А", ru = "А", en = "A" }

[[sections.questions]]
key = "E1"
weight = 5
required = true
text = { kk = "Иә?", ru = "Да?", en = "Traceable?" }
kind = { type = "yes_no" }
evidence = { level = "required", types = ["pdf", "xlsx"] }
"#;

fn upload(
    id: AssessmentId,
    question: &str,
    token: Option<&str>,
    name: &str,
    bytes: &[u8],
) -> http::Request<axum::body::Body> {
    let boundary = "senimEvidenceBoundary42";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/pdf\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut request = http::Request::post(format!("/assessments/{id}/evidence/{question}"))
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .header("content-length", body.len());
    if let Some(token) = token {
        request = request.header("cookie", format!("senim_session={token}"));
    }
    request.body(axum::body::Body::from(body)).expect("request")
}

async fn evidence_setup(app: &TestApp) -> (AssessmentId, String, String, String) {
    let tid = app.published_template(WITH_EVIDENCE).await;
    let org = app.organisation("Evidence Co", "990940000501").await;
    let admin = app.session_for(app.user(Some(org), Role::TraderAdmin, "admin@ev.kz").await).await;
    let other_org = app.organisation("Other Co", "990940000600").await;
    let other = app.session_for(app.user(Some(other_org), Role::TraderAdmin, "admin@other.kz").await).await;
    let officer = app.session_for(app.user(None, Role::Officer, "officer@customs.kz").await).await;
    let started = app.call("assessments/start", &[("template_id", &tid.to_string())], Some(&admin)).await;
    (started.body.trim().parse().expect("id"), admin, other, officer)
}

#[tokio::test]
async fn required_evidence_is_checked_by_content_and_unblocks_submission() {
    for app in TestApp::each_backend().await {
        let (id, admin, _, _) = evidence_setup(&app).await;
        let sid = id.to_string();
        app.call("assessments/save_section", &form(&sid, &[("answers[qE1][value]", "yes")]), Some(&admin)).await;
        let blocked = app.call("assessments/submit", &[("id", &sid), ("attest", "yes")], Some(&admin)).await;
        assert!(blocked.body.contains("Evidence") && blocked.body.contains("E1"), "{}: {}", app.backend, blocked.body);

        // An HTML page named .pdf is refused: the type comes from the content.
        let fake = app
            .send(upload(id, "E1", Some(&admin), "walkthrough.pdf", b"<html><script>alert(1)</script></html>"))
            .await;
        assert_eq!(fake.status, StatusCode::SEE_OTHER);
        assert!(fake.body.is_empty() || !fake.body.contains("Internal"));
        assert_eq!(app.scalar("SELECT COUNT(*) FROM evidence WHERE assessment_id = $1", id).await, 0);
        // A PNG is a real type, but this question accepts only PDF and XLSX.
        let png = app.send(upload(id, "E1", Some(&admin), "scan.png", b"\x89PNG\r\n\x1a\n0000")).await;
        assert_eq!(png.status, StatusCode::SEE_OTHER);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM evidence WHERE assessment_id = $1", id).await, 0);
        // Too large (the test limit is 1 MiB).
        let big = vec![b'%'; 1024 * 1024 + 10];
        let mut big_pdf = b"%PDF-1.7\n".to_vec();
        big_pdf.extend_from_slice(&big);
        let too_large = app.send(upload(id, "E1", Some(&admin), "big.pdf", &big_pdf)).await;
        assert!(
            too_large.status == StatusCode::SEE_OTHER || too_large.status == StatusCode::PAYLOAD_TOO_LARGE,
            "{too_large:?}"
        );
        assert_eq!(app.scalar("SELECT COUNT(*) FROM evidence WHERE assessment_id = $1", id).await, 0);

        let good =
            app.send(upload(id, "E1", Some(&admin), "../../etc/walk\u{202E}through.pdf", b"%PDF-1.7\nsample")).await;
        assert_eq!(good.status, StatusCode::SEE_OTHER, "{good:?}");
        let name: String = sqlx::query("SELECT file_name FROM evidence WHERE assessment_id = $1")
            .bind(id)
            .fetch_one(&app.state.db.pool)
            .await
            .expect("row")
            .try_get("file_name")
            .expect("name");
        assert_eq!(name, "walkthrough.pdf", "path and bidi characters removed");
        let receipt = app.call("assessments/submit", &[("id", &sid), ("attest", "yes")], Some(&admin)).await;
        assert!(receipt.status.is_success(), "{}: {receipt:?}", app.backend);
        let content: String = sqlx::query("SELECT content FROM submissions WHERE assessment_id = $1")
            .bind(id)
            .fetch_one(&app.state.db.pool)
            .await
            .expect("submission")
            .try_get("content")
            .expect("content");
        assert!(
            content.contains("walkthrough.pdf") && content.contains("\"sha256\""),
            "the receipt covers the evidence: {content}"
        );
    }
}

#[tokio::test]
async fn evidence_is_private_to_the_organisation_and_customs() {
    let app = TestApp::sqlite().await;
    let (id, admin, other, officer) = evidence_setup(&app).await;
    assert_eq!(
        app.send(upload(id, "E1", Some(&admin), "a.pdf", b"%PDF-1.7\nCANARY")).await.status,
        StatusCode::SEE_OTHER
    );
    let evidence = app.scalar("SELECT id FROM evidence WHERE assessment_id = $1", id).await;
    let get = |token: Option<String>| {
        let mut r = http::Request::get(format!("/evidence/{evidence}"));
        if let Some(t) = token {
            r = r.header("cookie", format!("senim_session={t}"));
        }
        r.body(axum::body::Body::empty()).expect("request")
    };
    let own = app.send(get(Some(admin.clone()))).await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(own.body.contains("CANARY"));
    let foreign = app.send(get(Some(other.clone()))).await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
    assert!(!foreign.body.contains("CANARY"));
    assert_eq!(app.send(get(None)).await.status, StatusCode::UNAUTHORIZED);
    // Customs sees a draft's file only once it was submitted.
    assert_eq!(app.send(get(Some(officer.clone()))).await.status, StatusCode::NOT_FOUND);
    let sid = id.to_string();
    let answered = app
        .call(
            "assessments/save_section",
            &[("id", &sid), ("section", "A"), ("answers[qE1][value]", "yes")],
            Some(&admin),
        )
        .await;
    assert!(answered.status.is_success(), "{answered:?}");
    let submitted = app.call("assessments/submit", &[("id", &sid), ("attest", "yes")], Some(&admin)).await;
    assert!(submitted.status.is_success(), "{submitted:?}");
    let customs = app.send(get(Some(officer.clone()))).await;
    assert_eq!(customs.status, StatusCode::OK);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'evidence.view' AND seq > $1", 0).await, 1);
    // Uploading into another organisation's assessment, or as customs, changes nothing.
    let before = app.scalar("SELECT COUNT(*) FROM evidence WHERE id > $1", 0).await;
    assert_eq!(app.send(upload(id, "E1", Some(&other), "x.pdf", b"%PDF-1.7\nx")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.send(upload(id, "E1", Some(&officer), "x.pdf", b"%PDF-1.7\nx")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.send(upload(id, "E1", None, "x.pdf", b"%PDF-1.7\nx")).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM evidence WHERE id > $1", 0).await, before);
}

/// Version 1.1.0 of [`SMALL`]: A2 becomes a date (type changed), A3 is gone, A4 is new.
const SMALL_V2: &str = r#"code = "S"
version = "1.1.0"
purpose = "general_compliance"
title = { kk = "Шағын", ru = "Малый", en = "Small" }

[[sections]]
key = "A"
weight = 10
title = { kk = "А", ru = "А", en = "A" }

[[sections.questions]]
key = "A1"
weight = 3
required = true
text = { kk = "Иә?", ru = "Да?", en = "Yes?" }
kind = { type = "yes_no" }

[[sections.questions]]
key = "A2"
weight = 2
text = { kk = "Қашан?", ru = "Когда?", en = "Since when?" }
kind = { type = "date" }

[[sections.questions]]
key = "A4"
weight = 1
text = { kk = "Жаңа", ru = "Новый", en = "New" }
kind = { type = "yes_no" }
"#;

#[tokio::test]
async fn publishing_a_new_version_carries_drafts_forward_and_reports_what_was_left() {
    for app in TestApp::each_backend().await {
        let (id, preparer, signatory, v1) = setup(&app, "990940000105").await;
        let sid = id.to_string();
        let answers =
            [("answers[qA1][value]", "yes"), ("answers[qA2][value]", "4"), ("answers[qA3][value]", "1500.50")];
        let saved = app.call("assessments/save_section", &form(&sid, &answers), Some(&preparer)).await;
        assert!(saved.body.contains("\"saved\":3"), "{}: {saved:?}", app.backend);
        // A second organisation's draft that was already submitted must not move.
        let (other, other_prep, other_sign, _) = setup(&app, "990940000204").await;
        let other_id = other.to_string();
        app.call("assessments/save_section", &form(&other_id, &[("answers[qA1][value]", "no")]), Some(&other_prep))
            .await;
        let submitted =
            app.call("assessments/submit", &[("id", &other_id), ("attest", "yes")], Some(&other_sign)).await;
        assert!(submitted.status.is_success(), "{submitted:?}");

        let template = crate::questionnaire::import::parse(SMALL_V2).expect("v2 parses");
        let v2 = crate::questionnaire::service::store_draft(&app.state, None, &template).await.expect("stored");
        let supervisor = app.session_for(app.user(None, Role::Supervisor, "sup@customs.kz").await).await;
        let published = app.call("templates/publish", &[("id", &v2.to_string())], Some(&supervisor)).await;
        assert!(published.status.is_success(), "{}: {published:?}", app.backend);

        assert_eq!(app.scalar("SELECT template_id FROM assessments WHERE id = $1", id).await, v2.get(), "draft moved");
        assert_eq!(
            app.scalar("SELECT template_id FROM assessments WHERE id = $1", other).await,
            v1.get(),
            "submitted stays"
        );
        let kept: Vec<String> = sqlx::query("SELECT question_key FROM answers WHERE assessment_id = $1 ORDER BY 1")
            .bind(id)
            .fetch_all(&app.state.db.pool)
            .await
            .expect("answers")
            .iter()
            .map(|r| r.get(0))
            .collect();
        assert_eq!(kept, ["A1"]);

        // The trader sees each answer left behind with its previous value and the reason.
        let view = app.call("assessments/get", &[("id", &sid)], Some(&signatory)).await;
        let v: serde_json::Value = serde_json::from_str(&view.body).expect("json");
        let moves = v["moves"].as_array().expect("moves");
        assert_eq!(moves.len(), 1, "{}", view.body);
        assert_eq!(
            (moves[0]["from_version"].as_str(), moves[0]["to_version"].as_str()),
            (Some("1.0.0"), Some("1.1.0"))
        );
        assert_eq!(moves[0]["carried"], 1);
        let left: Vec<(String, String, String)> = moves[0]["left"]
            .as_array()
            .expect("left")
            .iter()
            .map(|l| (l["question"].to_string(), l["reason"].to_string(), l["previous"].to_string()))
            .collect();
        assert_eq!(
            left,
            [
                ("\"A2\"".into(), "\"type_changed\"".into(), "\"4\"".into()),
                ("\"A3\"".into(), "\"question_removed\"".into(), "\"1 500.50 KZT\"".into()),
            ]
        );
        // The template administrator sees the same report on the new version.
        let page = app.call("templates/get", &[("id", &v2.to_string())], Some(&supervisor)).await;
        assert!(page.body.contains("type_changed") && page.body.contains("Org 990940000105"), "{}", page.body);
        // The moved draft is answerable on the new version at once.
        let again =
            app.call("assessments/save_section", &form(&sid, &[("answers[qA4][value]", "yes")]), Some(&preparer)).await;
        assert!(again.body.contains("\"saved\":1"), "{again:?}");
        let events = app.scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'assessment.carry_forward' AND object_id = CAST($1 AS TEXT)", id).await;
        assert_eq!(events, 1);
    }
}

#[tokio::test]
async fn evidence_can_be_removed_while_editing_but_not_once_submitted() {
    for app in TestApp::each_backend().await {
        let (id, admin, other, _) = evidence_setup(&app).await;
        let sid = id.to_string();
        app.call("assessments/save_section", &form(&sid, &[("answers[qE1][value]", "yes")]), Some(&admin)).await;
        for name in ["wrong.pdf", "right.pdf"] {
            // Two different files: the same bytes twice would be stored once.
            assert_eq!(
                app.send(upload(id, "E1", Some(&admin), name, format!("%PDF-1.7\n{name}").as_bytes())).await.status,
                StatusCode::SEE_OTHER
            );
        }
        let wrong = app.scalar("SELECT MIN(id) FROM evidence WHERE assessment_id = $1", id).await.to_string();
        let view = app.call("assessments/get", &[("id", &sid)], Some(&admin)).await;
        assert!(view.body.contains(&format!("\"removable\":[{wrong},")), "{}: {}", app.backend, view.body);

        // Another organisation cannot remove it.
        let foreign =
            app.call("assessments/remove_evidence", &[("id", &sid), ("evidence", &wrong)], Some(&other)).await;
        assert_eq!(foreign.status, StatusCode::NOT_FOUND);
        let removed =
            app.call("assessments/remove_evidence", &[("id", &sid), ("evidence", &wrong)], Some(&admin)).await;
        assert!(removed.status.is_success(), "{removed:?}");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM evidence WHERE assessment_id = $1", id).await, 1);
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'evidence.remove' AND seq > $1", 0).await,
            1
        );

        // Once submitted, the remaining file belongs to the record.
        assert!(
            app.call("assessments/submit", &[("id", &sid), ("attest", "yes")], Some(&admin)).await.status.is_success()
        );
        let right = app.scalar("SELECT MIN(id) FROM evidence WHERE assessment_id = $1", id).await.to_string();
        let refused =
            app.call("assessments/remove_evidence", &[("id", &sid), ("evidence", &right)], Some(&admin)).await;
        assert!(refused.body.contains("NotEditable"), "{refused:?}");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM evidence WHERE assessment_id = $1", id).await, 1);
    }
}

const EXACT: &str = r#"code = "EXACT"
version = "1.0.0"
purpose = "aeo_readiness"
title = { kk = "Дәл", ru = "Точно", en = "Exact" }

[[sections]]
key = "A"
weight = 10
title = { kk = "А", ru = "А", en = "A" }

[[sections.questions]]
key = "Y1"
weight = 3
required = true
text = { kk = "Неше жыл?", ru = "Сколько лет?", en = "How many years?" }
kind = { type = "integer", min = 0, max = 60, bands = [{ min = 3, credit = 1 }] }

[[sections.questions]]
key = "D1"
weight = 3
text = { kk = "Декларациялар", ru = "Декларации", en = "Declarations" }
kind = { type = "table", max_rows = 3, columns = [
  { key = "year", label = { kk = "Жыл", ru = "Год", en = "Year" }, kind = { type = "integer", min = 1990, max = 2100 } },
  { key = "count", label = { kk = "Саны", ru = "Количество", en = "Count" }, kind = { type = "integer" } },
  { key = "value", label = { kk = "Құн", ru = "Стоимость", en = "Value" }, kind = { type = "money", currency = "EUR" } },
  { key = "date", label = { kk = "Күні", ru = "Дата", en = "Date" }, kind = { type = "date" } },
  { key = "disclosed", label = { kk = "Хабарлады ма?", ru = "Сообщено?", en = "Reported?" }, kind = { type = "single_choice", options = [
    { key = "yes", label = { kk = "Иә", ru = "Да", en = "Yes" } },
    { key = "no", label = { kk = "Жоқ", ru = "Нет", en = "No" } },
  ] } },
  { key = "note", label = { kk = "Ескерту", ru = "Примечание", en = "Note" }, kind = { type = "text", max_chars = 10 } },
] }

[[sections.questions]]
key = "F1"
weight = 1
text = { kk = "Құжат", ru = "Документ", en = "Document" }
kind = { type = "yes_no" }
evidence = { level = "optional", types = ["docx", "xlsx"] }
"#;

/// The `name` of the form control with `id` on a rendered page: tests post what the browser
/// would, whatever the naming scheme of the day.
fn name_of(page: &str, id: &str) -> String {
    let at = page.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no element with id {id}"));
    let start = page[..at].rfind('<').expect("tag start");
    let end = at + page[at..].find('>').expect("tag end");
    let tag = &page[start..end];
    let name = tag.split("name=\"").nth(1).unwrap_or_else(|| panic!("no name in {tag}"));
    name[..name.find('"').expect("quote")].replace("&amp;", "&")
}

async fn exact_setup(app: &TestApp) -> (AssessmentId, String, String) {
    let tid = app.published_template(EXACT).await;
    let org = app.organisation("Exact Co", "990940000501").await;
    let admin = app.session_for(app.user(Some(org), Role::TraderAdmin, "admin@exact.kz").await).await;
    let started = app.call("assessments/start", &[("template_id", &tid.to_string())], Some(&admin)).await;
    let id: AssessmentId = started.body.trim().parse().expect("id");
    let page = app.page(&format!("/assessments/{id}/section/A"), Some(&admin)).await;
    assert_eq!(page.status, StatusCode::OK, "{}: {page:?}", app.backend);
    (id, admin, page.body)
}

#[tokio::test]
async fn numbers_outside_their_range_and_wrong_table_cells_are_refused_at_the_field() {
    for app in TestApp::each_backend().await {
        let (id, admin, page) = exact_setup(&app).await;
        let sid = id.to_string();
        let years = name_of(&page, "Y1-value");
        let cell = |r: usize, c: usize| name_of(&page, &format!("q-D1-r{r}-c{c}"));
        // Typed inputs: whole numbers, a date picker, a choice list, a text limit.
        assert!(page.contains("id=\"q-D1-r0-c3\"") && page.contains("type=\"date\""), "date cell");
        assert!(page.contains("<select") && page.contains("value=\"yes\""), "choice cell");
        assert!(page.contains("maxlength=\"10\""), "text cell limit");
        assert!(page.contains("Allowed: 0 to 60"), "the range is shown at the field");
        let save = |pairs: Vec<(String, String)>| {
            let (app, admin, sid) = (&app, admin.clone(), sid.clone());
            async move {
                let mut form: Vec<(&str, &str)> = vec![("id", &sid), ("section", "A")];
                form.extend(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
                app.call("assessments/save_section", &form, Some(&admin)).await
            }
        };
        let s = |k: String, v: &str| (k, v.to_owned());

        let negative = save(vec![s(years.clone(), "-2")]).await;
        assert_eq!(negative.status, StatusCode::UNPROCESSABLE_ENTITY, "{}: {negative:?}", app.backend);
        assert!(negative.body.contains("\"q-Y1\"") && negative.body.contains("NumberTooSmall"), "{}", negative.body);
        let too_many = save(vec![s(years.clone(), "61")]).await;
        assert!(too_many.body.contains("NumberTooLarge"), "{}", too_many.body);

        let bad = save(vec![
            s(years.clone(), "4"),
            s(cell(0, 0), "1899"),
            s(cell(0, 1), "-5"),
            s(cell(0, 2), "1000.123"),
            s(cell(0, 3), "2024-02-30"),
            s(cell(0, 4), "maybe"),
            s(cell(0, 5), "a\u{200B}b"),
            s(cell(1, 0), "2024"),
            s(cell(1, 1), "twelve"),
        ])
        .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}: {bad:?}", app.backend);
        let errors: serde_json::Value = serde_json::from_str(&bad.body).expect("json");
        let fields: Vec<(String, String)> = errors["Invalid"]
            .as_array()
            .unwrap_or_else(|| panic!("field errors: {}", bad.body))
            .iter()
            .map(|f| {
                (f["field"].as_str().unwrap_or_default().to_owned(), f["code"].as_str().unwrap_or_default().to_owned())
            })
            .collect();
        let expected: Vec<(String, String)> = [
            ("q-D1-r0-c0", "NumberTooSmall"),
            ("q-D1-r0-c1", "NumberTooSmall"),
            ("q-D1-r0-c2", "MoneyPrecision"),
            ("q-D1-r0-c3", "DateFormat"),
            ("q-D1-r0-c4", "InvalidChoice"),
            ("q-D1-r0-c5", "BadCharacters"),
            ("q-D1-r1-c1", "NumberFormat"),
        ]
        .iter()
        .map(|(f, c)| ((*f).to_owned(), (*c).to_owned()))
        .collect();
        assert_eq!(fields, expected, "{}", app.backend);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM answers WHERE assessment_id = $1", id).await, 0, "nothing saved");

        let good = save(vec![
            s(years.clone(), "4"),
            s(cell(0, 0), "2024"),
            s(cell(0, 1), "48"),
            s(cell(0, 2), "1250000,5"),
            s(cell(0, 3), "2024-12-31"),
            s(cell(0, 4), "no"),
            s(cell(0, 5), "ASTANA-1"),
            s(cell(1, 0), "2023"),
            s(cell(1, 1), "31"),
        ])
        .await;
        assert!(good.status.is_success(), "{}: {good:?}", app.backend);
        let stored: String = sqlx::query("SELECT value FROM answers WHERE assessment_id = $1 AND question_key = 'D1'")
            .bind(id)
            .fetch_one(&app.state.db.pool)
            .await
            .expect("table answer")
            .try_get("value")
            .expect("value");
        let table: crate::domain::answer::Answer = serde_json::from_str(&stored).expect("answer");
        let row = |cells: &[&str]| cells.iter().map(|c| (*c).to_owned()).collect::<Vec<String>>();
        assert_eq!(
            table,
            crate::domain::answer::Answer::Table(vec![
                row(&["2024", "48", "1250000.50 EUR", "2024-12-31", "no", "ASTANA-1"]),
                row(&["2023", "31", "", "", "", ""]),
            ])
        );
        // The saved values come back into the typed inputs.
        let again = app.page(&format!("/assessments/{id}/section/A"), Some(&admin)).await;
        assert!(
            again.body.contains("value=\"1250000.50\"") && again.body.contains("value=\"2024-12-31\""),
            "{}",
            app.backend
        );
    }
}

#[tokio::test]
async fn office_evidence_must_be_a_real_bounded_archive_and_is_stored_once() {
    use crate::domain::evidence::testing;
    for app in TestApp::each_backend().await {
        let (id, admin, _) = exact_setup(&app).await;
        let count = || app.scalar("SELECT COUNT(*) FROM evidence WHERE assessment_id = $1", id);
        let docx = testing::docx();
        let ok = app.send(upload(id, "F1", Some(&admin), "procedure.docx", &docx)).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}: {ok:?}", app.backend);
        assert_eq!(count().await, 1);
        let xlsx = app.send(upload(id, "F1", Some(&admin), "declarations.xlsx", &testing::xlsx())).await;
        assert_eq!(xlsx.status, StatusCode::SEE_OTHER);
        assert_eq!(count().await, 2);
        let media: String = sqlx::query("SELECT media_type FROM evidence WHERE assessment_id = $1 ORDER BY id DESC")
            .bind(id)
            .fetch_one(&app.state.db.pool)
            .await
            .expect("row")
            .try_get("media_type")
            .expect("type");
        assert!(media.contains("spreadsheetml"), "{media}");

        // The same bytes again, under another name: acknowledged, not stored twice.
        let twice = app.send(upload(id, "F1", Some(&admin), "copy of procedure.docx", &docx)).await;
        assert_eq!(twice.status, StatusCode::SEE_OTHER);
        assert!(twice.location.contains("upload_error=AlreadyAttached"), "{twice:?}");
        assert_eq!(count().await, 2);

        // Part names in the bytes are not an Office file; a truncated one is damaged; a bomb is refused.
        let fake = b"PK\x03\x04 [Content_Types].xml word/document.xml".to_vec();
        let mut truncated = docx.clone();
        truncated.truncate(docx.len() - 30);
        let bomb = testing::zip_with(&[
            testing::Raw::stored("[Content_Types].xml", b"<Types/>"),
            testing::Raw::stored("word/document.xml", b"<w:document/>"),
            testing::Raw { name: "word/media/image1.bin", method: 8, data: vec![0; 2048], uncompressed: 3_000_000_000 },
        ]);
        for (file, code) in [(&fake, "FileDamaged"), (&truncated, "FileDamaged"), (&bomb, "FileExpandsTooMuch")] {
            let reply = app.send(upload(id, "F1", Some(&admin), "report.docx", file)).await;
            assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}: {reply:?}", app.backend);
            assert!(reply.location.contains(&format!("upload_error={code}")), "{code}: {reply:?}");
        }
        assert_eq!(count().await, 2, "nothing refused was stored");

        // The unique index backs the service check.
        let dup = sqlx::query(
            "INSERT INTO evidence (assessment_id, question_key, file_name, media_type, size_bytes, sha256, content, uploaded_by, uploaded_at) \
             SELECT assessment_id, question_key, 'again.docx', media_type, size_bytes, sha256, content, uploaded_by, uploaded_at FROM evidence WHERE assessment_id = $1 ORDER BY id LIMIT 1",
        )
        .bind(id)
        .execute(&app.state.db.pool)
        .await;
        assert!(dup.is_err(), "{}: a duplicate row must violate the unique index", app.backend);
    }
}

#[tokio::test]
async fn without_javascript_the_error_summary_names_the_question_row_and_column_of_a_refused_cell() {
    let app = TestApp::sqlite().await;
    let (id, admin, page) = exact_setup(&app).await;
    let section = format!("/assessments/{id}/section/A");
    // As a browser sends it: every cell of the table, empty ones included.
    let mut body = format!("id={id}&section=A");
    for r in (0..).take_while(|r| page.contains(&format!("id=\"q-D1-r{r}-c0\""))) {
        for c in (0..).take_while(|c| page.contains(&format!("id=\"q-D1-r{r}-c{c}\""))) {
            let value = if (r, c) == (1, 1) { "twelve" } else { "" };
            body.push_str(&format!("&{}={value}", crate::testing::encode(&name_of(&page, &format!("q-D1-r{r}-c{c}")))));
        }
    }
    let request = http::Request::post("/api/assessments/save_section")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "text/html")
        .header("referer", format!("http://localhost{section}"))
        .header("cookie", format!("senim_session={admin}"))
        .body(axum::body::Body::from(body))
        .expect("request");
    let reply = app.send(request).await;
    assert!(reply.status.is_redirection(), "{reply:?}");
    let location = reply.location.trim_start_matches("http://localhost");
    assert!(location.starts_with(&section), "back to the section: {location}");
    let shown = app.page(location, Some(&admin)).await;
    assert!(shown.body.contains("error-summary"), "{}", shown.body);
    assert!(shown.body.contains("D1: Row 2, column 2:"), "the summary says where: {}", shown.body);
    assert_eq!(app.scalar("SELECT COUNT(*) FROM answers WHERE assessment_id = $1", id).await, 0);
}
