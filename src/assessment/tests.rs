//! Answering and submitting on real databases: tenancy, validation, concurrent saves, the
//! submission's completeness rules, receipt and immutability.

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
async fn setup(app: &TestApp, bin: &str) -> (i64, String, String, i64) {
    let template_id = match crate::questionnaire::db::rows(&app.state.db.pool).await.expect("list").first() {
        Some(row) => row.id,
        None => app.published_template(SMALL).await,
    };
    let org = app.organisation(&format!("Org {bin}"), bin).await;
    let preparer = app.session_for(app.user(Some(org), Role::Preparer, &format!("prep@{bin}.kz")).await).await;
    let signatory = app.session_for(app.user(Some(org), Role::Signatory, &format!("sign@{bin}.kz")).await).await;
    let started = app.call("assessments/start", &[("template_id", &template_id.to_string())], Some(&preparer)).await;
    assert!(started.status.is_success(), "{}: {started:?}", app.backend);
    let id: i64 = started.body.trim().parse().expect("assessment id");
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

fn upload(id: i64, question: &str, token: Option<&str>, name: &str, bytes: &[u8]) -> http::Request<axum::body::Body> {
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

async fn evidence_setup(app: &TestApp) -> (i64, String, String, String) {
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

        assert_eq!(app.scalar("SELECT template_id FROM assessments WHERE id = $1", id).await, v2, "draft moved");
        assert_eq!(app.scalar("SELECT template_id FROM assessments WHERE id = $1", other).await, v1, "submitted stays");
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
            assert_eq!(
                app.send(upload(id, "E1", Some(&admin), name, b"%PDF-1.7\nx")).await.status,
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
