//! Write guards and confidentiality on real databases: saves and uploads racing a submission can
//! never change what was submitted (every receipt's hash matches its stored content, and the
//! stored answers match the submission), and customs sees nothing of an assessment before its
//! first submission, then only what was submitted.

use crate::domain::id::AssessmentId;
use crate::domain::role::Role;
use crate::testing::TestApp;
use http::StatusCode;
use sha2::{Digest, Sha256};
use sqlx::Row;
use std::sync::Arc;

const RACE: &str = r#"code = "R"
version = "1.0.0"
purpose = "general_compliance"
title = { kk = "Жарыс", ru = "Гонка", en = "Race" }

[[sections]]
key = "A"
weight = 10
title = { kk = "А", ru = "А", en = "A" }

[[sections.questions]]
key = "1.1"
weight = 3
required = true
text = { kk = "Иә?", ru = "Да?", en = "Yes?" }
kind = { type = "yes_no" }
evidence = { level = "optional", types = ["pdf"] }

[[sections.questions]]
key = "1.2"
weight = 1
text = { kk = "Мәтін", ru = "Текст", en = "Text" }
kind = { type = "text", max_chars = 200 }
"#;

fn sha_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Every submission's stored content hashes to its receipt, and the assessment's stored answers
/// are exactly the latest submission's (nothing changed after it).
async fn check_receipts(app: &TestApp, id: AssessmentId) {
    let rows = sqlx::query("SELECT content, content_sha256 FROM submissions WHERE assessment_id = $1 ORDER BY id")
        .bind(id)
        .fetch_all(&app.state.db.pool)
        .await
        .expect("submissions");
    assert!(!rows.is_empty(), "{}: nothing was submitted", app.backend);
    for row in &rows {
        let content: String = row.try_get("content").expect("content");
        let sha: String = row.try_get("content_sha256").expect("sha");
        assert_eq!(sha_hex(content.as_bytes()), sha, "{}: receipt hash differs from stored content", app.backend);
    }
    let latest: String = rows.last().expect("latest").try_get("content").expect("content");
    let content: serde_json::Value = serde_json::from_str(&latest).expect("json");
    let submitted = content["answers"].as_object().expect("answers").clone();
    let stored = sqlx::query("SELECT question_key, value FROM answers WHERE assessment_id = $1")
        .bind(id)
        .fetch_all(&app.state.db.pool)
        .await
        .expect("answers");
    assert_eq!(stored.len(), submitted.len(), "{}: answers changed after submission", app.backend);
    for row in stored {
        let key: String = row.try_get("question_key").expect("key");
        let value: String = row.try_get("value").expect("value");
        let value: serde_json::Value = serde_json::from_str(&value).expect("answer json");
        assert_eq!(submitted.get(&key), Some(&value), "{}: answer {key} changed after submission", app.backend);
    }
    let files: Vec<String> = content["evidence"]
        .as_array()
        .expect("evidence")
        .iter()
        .map(|f| f["sha256"].as_str().expect("sha").to_owned())
        .collect();
    let stored_files = app.scalar("SELECT COUNT(*) FROM evidence WHERE assessment_id = $1", id).await;
    assert_eq!(stored_files as usize, files.len(), "{}: evidence changed after submission", app.backend);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn saves_and_uploads_racing_a_submission_never_change_what_was_submitted() {
    crate::testing::report_backends();
    for app in TestApp::each_backend().await {
        let app = Arc::new(app);
        let template_id = app.published_template(RACE).await;
        for round in 0..6 {
            let bin = format!("99014100{round:04}");
            let org = app.organisation(&format!("Race {round}"), &bin).await;
            let admin =
                app.session_for(app.user(Some(org), Role::TraderAdmin, &format!("a{round}@race.kz")).await).await;
            let started =
                app.call("assessments/start", &[("template_id", &template_id.to_string())], Some(&admin)).await;
            let id: AssessmentId = started.body.trim().parse().expect("id");
            let sid = id.to_string();
            let first = app
                .call(
                    "assessments/save_section",
                    &[("id", &sid), ("section", "A"), ("answers[q1.1][value]", "yes")],
                    Some(&admin),
                )
                .await;
            assert!(first.status.is_success(), "{}: {first:?}", app.backend);

            let mut tasks = tokio::task::JoinSet::new();
            for n in 0..12 {
                let (app, admin, sid) = (app.clone(), admin.clone(), sid.clone());
                tasks.spawn(async move {
                    let text = format!("revision {n}");
                    // No version sent: a blind overwrite attempt, the worst case for the guard.
                    let reply = app
                        .call(
                            "assessments/save_section",
                            &[("id", &sid), ("section", "A"), ("answers[q1.2][value]", &text), ("versions[q1.2]", "0")],
                            Some(&admin),
                        )
                        .await;
                    assert!(
                        reply.status.is_success()
                            || reply.body.contains("NotEditable")
                            || reply.status == StatusCode::CONFLICT,
                        "{}: {reply:?}",
                        app.backend
                    );
                });
            }
            for n in 0..4 {
                let (app, admin, id) = (app.clone(), admin.clone(), id);
                tasks.spawn(async move {
                    let reply = app
                        .upload(id, "1.1", &format!("scan-{n}.pdf"), format!("%PDF-1.4\n% {n}\n").as_bytes(), &admin)
                        .await;
                    assert!(reply.status == StatusCode::SEE_OTHER, "{}: {reply:?}", app.backend);
                });
            }
            {
                let (app, admin, sid) = (app.clone(), admin.clone(), sid.clone());
                tasks.spawn(async move {
                    let reply = app.call("assessments/submit", &[("id", &sid), ("attest", "yes")], Some(&admin)).await;
                    assert!(reply.status.is_success(), "{}: submit {reply:?}", app.backend);
                });
            }
            while let Some(done) = tasks.join_next().await {
                done.expect("task");
            }
            check_receipts(&app, id).await;
            let late = app
                .call(
                    "assessments/save_section",
                    &[("id", &sid), ("section", "A"), ("answers[q1.2][value]", "late")],
                    Some(&admin),
                )
                .await;
            assert!(late.body.contains("NotEditable"), "{}: {late:?}", app.backend);
            // The database itself refuses to change submitted content, whatever the code path.
            // (Each statement touches at least one row: the first answer was saved before the race,
            // and one file is uploaded before it when the racing uploads all lost.)
            if app.scalar("SELECT COUNT(*) FROM evidence WHERE assessment_id = $1", id).await == 0 {
                app.exec("UPDATE assessments SET status = 'draft' WHERE id = $1", id).await;
                let file = app.upload(id, "1.1", "kept.pdf", b"%PDF-1.4\n% kept\n", &admin).await;
                assert_eq!(file.status, StatusCode::SEE_OTHER, "{}", app.backend);
                app.exec("UPDATE assessments SET status = 'submitted' WHERE id = $1", id).await;
            }
            for sql in [
                "UPDATE answers SET value = '\"no\"' WHERE assessment_id = $1",
                "DELETE FROM answers WHERE assessment_id = $1",
                "DELETE FROM evidence WHERE assessment_id = $1",
            ] {
                let tampered = sqlx::query(sql).bind(id).execute(&app.state.db.pool).await;
                assert!(tampered.is_err(), "{}: {sql} was allowed after submission", app.backend);
            }
        }
    }
}

#[tokio::test]
async fn customs_sees_nothing_of_a_draft_and_only_what_was_submitted() {
    crate::testing::report_backends();
    for app in TestApp::each_backend().await {
        let template_id = app.published_template(RACE).await;
        let org = app.organisation("Private Draft LLP", "990141009999").await;
        let admin = app.session_for(app.user(Some(org), Role::TraderAdmin, "admin@private.kz").await).await;
        let officer = app.session_for(app.user(None, Role::Officer, "officer@customs.kz").await).await;
        let started = app.call("assessments/start", &[("template_id", &template_id.to_string())], Some(&admin)).await;
        let id: AssessmentId = started.body.trim().parse().expect("id");
        let sid = id.to_string();
        let canary = "CANARY-DRAFT-7f3a";
        app.call(
            "assessments/save_section",
            &[("id", &sid), ("section", "A"), ("answers[q1.1][value]", "yes"), ("answers[q1.2][value]", canary)],
            Some(&admin),
        )
        .await;
        let upload = app.upload(id, "1.1", "draft.pdf", b"%PDF-1.4\n% draft\n", &admin).await;
        assert_eq!(upload.status, StatusCode::SEE_OTHER, "{}", app.backend);
        let file = app.scalar("SELECT MIN(id) FROM evidence WHERE assessment_id = $1", id).await;

        // Before the first submission: not in the queue, not readable, not downloadable, not on the
        // trader page, not decidable.
        let queue = app.call("review/queue", &[], Some(&officer)).await;
        assert!(!queue.body.contains("Private Draft"), "{}: {queue:?}", app.backend);
        let review = app.call("review/get", &[("id", &sid)], Some(&officer)).await;
        assert_eq!(review.status, StatusCode::NOT_FOUND, "{}: {review:?}", app.backend);
        assert!(!review.body.contains(canary));
        let page = app.page(&format!("/customs/reviews/{id}"), Some(&officer)).await;
        assert!(!page.body.contains(canary), "{}: the review page shows a draft", app.backend);
        let download = app.page(&format!("/evidence/{file}"), Some(&officer)).await;
        assert_eq!(download.status, StatusCode::NOT_FOUND, "{}", app.backend);
        let trader = app.call("traders/get", &[("id", &org.to_string())], Some(&officer)).await;
        assert!(trader.status.is_success(), "{}: {trader:?}", app.backend);
        assert!(trader.body.contains("\"assessments\":[]"), "{}: draft listed: {}", app.backend, trader.body);
        for action in ["review/assign", "review/finish", "review/request_info"] {
            let reply = app.call(action, &[("id", &sid)], Some(&officer)).await;
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "{} {action}: {reply:?}", app.backend);
        }
        let decide = app
            .call("review/decide", &[("id", &sid), ("question", "1.1"), ("decision", "verify")], Some(&officer))
            .await;
        assert_eq!(decide.status, StatusCode::NOT_FOUND, "{}: {decide:?}", app.backend);

        // Submitted: customs sees the submitted content.
        let submitted = app.call("assessments/submit", &[("id", &sid), ("attest", "yes")], Some(&admin)).await;
        assert!(submitted.status.is_success(), "{}: {submitted:?}", app.backend);
        let review = app.call("review/get", &[("id", &sid)], Some(&officer)).await;
        assert!(review.body.contains(canary), "{}: {review:?}", app.backend);
        assert_eq!(app.page(&format!("/evidence/{file}"), Some(&officer)).await.status, StatusCode::OK);

        // While the trader revises after an information request, customs keeps seeing the
        // submission, not the working copy, and not files added since.
        assert!(app.call("review/assign", &[("id", &sid)], Some(&officer)).await.status.is_success());
        let ask = app
            .call(
                "review/decide",
                &[
                    ("id", &sid),
                    ("question", "1.1"),
                    ("decision", "request_info"),
                    ("reason", "Attach the signed order."),
                ],
                Some(&officer),
            )
            .await;
        assert!(ask.status.is_success(), "{}: {ask:?}", app.backend);
        assert!(app.call("review/request_info", &[("id", &sid)], Some(&officer)).await.status.is_success());
        let revised = app
            .call(
                "assessments/save_section",
                &[("id", &sid), ("section", "A"), ("answers[q1.1][value]", "no"), ("versions[q1.1]", "1")],
                Some(&admin),
            )
            .await;
        assert!(revised.status.is_success(), "{}: {revised:?}", app.backend);
        let added = app.upload(id, "1.1", "signed-order.pdf", b"%PDF-1.4\n% signed\n", &admin).await;
        assert_eq!(added.status, StatusCode::SEE_OTHER);
        let new_file = app.scalar("SELECT MAX(id) FROM evidence WHERE assessment_id = $1", id).await;
        let review = app.call("review/get", &[("id", &sid)], Some(&officer)).await;
        let view: serde_json::Value = serde_json::from_str(&review.body).expect("json");
        assert_eq!(
            view["answers"]["1.1"]["answer"],
            serde_json::json!({ "type": "yes" }),
            "{}: {}",
            app.backend,
            review.body
        );
        assert!(!review.body.contains("signed-order.pdf"), "{}: unsent file shown", app.backend);
        assert_eq!(app.page(&format!("/evidence/{new_file}"), Some(&officer)).await.status, StatusCode::NOT_FOUND);
        // Deciding or finishing now is the one lifecycle refusal.
        let finish = app.call("review/finish", &[("id", &sid)], Some(&officer)).await;
        assert!(finish.body.contains("WrongState"), "{}: {finish:?}", app.backend);
    }
}
