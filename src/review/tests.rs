//! The review loop on real databases: queue, taking for review, verdicts with reasons, an
//! information request that reopens only the named answers, resubmission, and finishing with a
//! frozen score.

use crate::domain::id::AssessmentId;
use crate::domain::role::Role;
use crate::testing::TestApp;
use http::StatusCode;
use sqlx::Row;

const TEMPLATE: &str = r#"code = "RV"
version = "1.0.0"
purpose = "general_compliance"
title = { kk = "Қарау", ru = "Проверка", en = "Review" }

[[sections]]
key = "A"
weight = 10
title = { kk = "А", ru = "А", en = "A" }

[[sections.questions]]
key = "A1"
weight = 3
required = true
text = { kk = "Иә?", ru = "Да?", en = "Named person?" }
kind = { type = "yes_no" }

[[sections.questions]]
key = "A2"
weight = 2
required = true
text = { kk = "Жыл", ru = "Лет", en = "Years" }
kind = { type = "integer", bands = [{ min = 3, credit = 1 }] }

[[sections.questions]]
key = "E1"
weight = 5
required = true
text = { kk = "Құжат", ru = "Документ", en = "Traceable?" }
kind = { type = "yes_no" }
evidence = { level = "required", types = ["pdf"] }
"#;

fn pdf_upload(id: AssessmentId, token: &str, content: &str) -> http::Request<axum::body::Body> {
    let boundary = "reviewBoundary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"w.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7 {content}\r\n--{boundary}--\r\n"
    );
    http::Request::post(format!("/assessments/{id}/evidence/E1"))
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .header("content-length", body.len())
        .header("cookie", format!("senim_session={token}"))
        .body(axum::body::Body::from(body))
        .expect("request")
}

#[tokio::test]
async fn the_review_loop_reopens_only_named_answers_and_freezes_the_score() {
    for app in TestApp::each_backend().await {
        let tid = app.published_template(TEMPLATE).await;
        let org = app.organisation("Reviewed Co", "990940000105").await;
        let trader = app.session_for(app.user(Some(org), Role::TraderAdmin, "admin@reviewed.kz").await).await;
        let officer = app.session_for(app.user(None, Role::Officer, "officer@customs.kz").await).await;
        let admin = app.session_for(app.user(None, Role::CustomsAdmin, "admin@customs.kz").await).await;

        let id: AssessmentId = app
            .call("assessments/start", &[("template_id", &tid.to_string())], Some(&trader))
            .await
            .body
            .trim()
            .parse()
            .expect("id");
        let sid = id.to_string();
        let answers = [
            ("id", sid.as_str()),
            ("section", "A"),
            ("answers[qA1][value]", "yes"),
            ("answers[qA2][value]", "4"),
            ("answers[qE1][value]", "yes"),
        ];
        assert!(app.call("assessments/save_section", &answers, Some(&trader)).await.body.contains("\"saved\":3"));
        assert_eq!(app.send(pdf_upload(id, &trader, "sample")).await.status, StatusCode::SEE_OTHER);
        assert!(
            app.call("assessments/submit", &[("id", &sid), ("attest", "yes")], Some(&trader)).await.status.is_success()
        );

        let queue = app.call("review/queue", &[("status", "submitted")], Some(&officer)).await;
        assert!(queue.body.contains("Reviewed Co"), "{}: {}", app.backend, queue.body);
        assert_eq!(app.call("review/queue", &[], Some(&trader)).await.status, StatusCode::FORBIDDEN);

        let early = app
            .call("review/decide", &[("id", &sid), ("question", "A1"), ("decision", "verify")], Some(&officer))
            .await;
        assert!(early.body.contains("WrongState"), "decisions need the assessment taken for review: {}", early.body);
        assert_eq!(app.call("review/assign", &[("id", &sid)], Some(&admin)).await.status, StatusCode::FORBIDDEN);
        assert!(app.call("review/assign", &[("id", &sid)], Some(&officer)).await.status.is_success());
        assert_eq!(app.call("review/assign", &[("id", &sid)], Some(&officer)).await.status, StatusCode::CONFLICT);

        let no_reason = app
            .call("review/decide", &[("id", &sid), ("question", "A1"), ("decision", "reject")], Some(&officer))
            .await;
        assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(no_reason.body.contains("reason"));
        let decide = |q: &'static str, d: &'static str, reason: &'static str, credit: &'static str| {
            let sid = sid.clone();
            let officer = officer.clone();
            let app = &app;
            async move {
                let reply = app
                    .call(
                        "review/decide",
                        &[("id", &sid), ("question", q), ("decision", d), ("reason", reason), ("credit", credit)],
                        Some(&officer),
                    )
                    .await;
                assert!(reply.status.is_success(), "{q} {d}: {reply:?}");
            }
        };
        decide("A1", "verify", "", "").await;
        decide("A2", "request_info", "Please attach the CV showing the years", "").await;
        let premature = app.call("review/finish", &[("id", &sid)], Some(&officer)).await;
        assert!(premature.body.contains("InformationOutstanding"), "{}", premature.body);
        assert!(app.call("review/request_info", &[("id", &sid)], Some(&officer)).await.status.is_success());

        // The trader may change only the reopened answer.
        let wrong = [("id", sid.as_str()), ("section", "A"), ("answers[qA1][value]", "no"), ("versions[qA1]", "1")];
        assert!(app.call("assessments/save_section", &wrong, Some(&trader)).await.body.contains("NotReopened"));
        // Nor may evidence be added to a question that was not reopened (E1), checked under the lock.
        let files = "SELECT COUNT(*) FROM evidence WHERE assessment_id = $1";
        let before = app.scalar(files, id).await;
        app.send(pdf_upload(id, &trader, "another sample")).await;
        assert_eq!(app.scalar(files, id).await, before, "{}: no evidence added to a closed question", app.backend);
        let right = [("id", sid.as_str()), ("section", "A"), ("answers[qA2][value]", "5"), ("versions[qA2]", "1")];
        assert!(app.call("assessments/save_section", &right, Some(&trader)).await.body.contains("\"saved\":1"));
        let second = app.call("assessments/submit", &[("id", &sid), ("attest", "yes")], Some(&trader)).await;
        assert!(second.body.contains(&format!("{id:06}-2")), "second submission: {}", second.body);
        // The officer sees exactly what changed against the first submission.
        let review = app.call("review/get", &[("id", &sid)], Some(&officer)).await;
        let v: serde_json::Value = serde_json::from_str(&review.body).expect("json");
        let resubmission = &v["resubmission"];
        assert!(resubmission["previous"].as_str().is_some_and(|n| n.ends_with("-1")), "{}", review.body);
        assert_eq!(
            resubmission["changes"],
            serde_json::json!([{ "question": "A2", "before": { "type": "number", "value": 4000 }, "after": { "type": "number", "value": 5000 } }])
        );
        assert_eq!(resubmission["evidence_added"], serde_json::json!({}));
        let html = app.page(&format!("/customs/reviews/{id}"), Some(&officer)).await;
        assert!(html.body.contains("id=\"resubmission\"") && html.body.contains("4 → 5"), "rendered diff");

        assert!(app.call("review/assign", &[("id", &sid)], Some(&officer)).await.status.is_success());
        decide("A2", "verify", "", "").await;
        decide("E1", "override", "Sample covers only one month", "0.5").await;
        let finished = app.call("review/finish", &[("id", &sid)], Some(&officer)).await;
        assert!(finished.status.is_success(), "{finished:?}");
        // (3·1 + 2·1 + 5·0.5) / 10 = 75.00
        assert_eq!(finished.body.trim(), "7500");
        let row = sqlx::query("SELECT status, score_bp FROM assessments WHERE id = $1")
            .bind(id)
            .fetch_one(&app.state.db.pool)
            .await
            .expect("row");
        assert_eq!(row.try_get::<String, _>("status").expect("status"), "reviewed");
        assert_eq!(row.try_get::<i64, _>("score_bp").expect("score"), 7500);
        let seen = app.call("assessments/get", &[("id", &sid)], Some(&trader)).await;
        assert!(
            seen.body.contains("Sample covers only one month") && seen.body.contains("\"overall_bp\":7500"),
            "{}",
            seen.body
        );
        let after = app
            .call("review/decide", &[("id", &sid), ("question", "A1"), ("decision", "verify")], Some(&officer))
            .await;
        assert!(after.body.contains("WrongState"), "a finished review is frozen: {}", after.body);
    }
}

#[tokio::test]
async fn the_queue_filters_by_how_long_a_submission_has_waited() {
    for app in TestApp::each_backend().await {
        let tid = app.published_template(TEMPLATE).await;
        let officer = app.session_for(app.user(None, Role::Officer, "officer@customs.kz").await).await;
        let mut ids = Vec::new();
        for (name, bin) in [("First Co", "990940000105"), ("Second Co", "990940000204")] {
            let org = app.organisation(name, bin).await;
            let trader = app.session_for(app.user(Some(org), Role::TraderAdmin, &format!("a@{bin}.kz")).await).await;
            let started = app.call("assessments/start", &[("template_id", &tid.to_string())], Some(&trader)).await;
            let id: AssessmentId = started.body.trim().parse().expect("id");
            let sid = id.to_string();
            let answers = [
                ("id", sid.as_str()),
                ("section", "A"),
                ("answers[qA1][value]", "no"),
                ("answers[qA2][value]", "1"),
                ("answers[qE1][value]", "no"),
            ];
            app.call("assessments/save_section", &answers, Some(&trader)).await;
            let submitted = app.call("assessments/submit", &[("id", &sid), ("attest", "yes")], Some(&trader)).await;
            assert!(submitted.status.is_success(), "{submitted:?}");
            ids.push(id);
        }
        // Submissions are immutable and cannot be backdated, so the filter is checked around now:
        // both have waited 0 whole days, neither a week.
        let all = app.call("review/queue", &[("age", "0")], Some(&officer)).await;
        assert!(all.body.contains("First Co") && all.body.contains("Second Co"), "{}: {all:?}", app.backend);
        assert!(all.body.contains("\"waiting_days\":0"));
        let old = app.call("review/queue", &[("age", "7")], Some(&officer)).await;
        assert_eq!(old.body.trim(), "[]", "nothing has waited a week: {old:?}");
        let bad = app.call("review/queue", &[("age", "soon")], Some(&officer)).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("age"));
    }
}
