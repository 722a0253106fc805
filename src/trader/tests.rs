//! Issuing questionnaires and the trader page on real databases.

use crate::domain::id::AssessmentId;
use crate::domain::role::Role;
use crate::testing::TestApp;
use http::StatusCode;

const T3: &str = r#"code = "T3X"
version = "1.0.0"
purpose = "pca_pre_visit"
title = { kk = "Тексеру алдында", ru = "Перед проверкой", en = "Before the audit" }

[[sections]]
key = "A"
weight = 10
title = { kk = "А", ru = "А", en = "A" }

[[sections.questions]]
key = "A1"
weight = 1
required = true
text = { kk = "Иә?", ru = "Да?", en = "Ready?" }
kind = { type = "yes_no" }
"#;

fn day(offset: i64) -> String {
    let days = crate::server::db::now().days_since_epoch() + offset;
    let (y, m, d) = crate::domain::time::civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

#[tokio::test]
async fn an_officer_issues_a_questionnaire_that_the_trader_finds_with_its_due_date() {
    for app in TestApp::each_backend().await {
        let tid = app.published_template(T3).await.to_string();
        let org = app.organisation("Issued Co", "990940000105").await;
        let sorg = org.to_string();
        let trader = app.session_for(app.user(Some(org), Role::Preparer, "prep@issued.kz").await).await;
        let officer = app.session_for(app.user(None, Role::Officer, "officer@customs.kz").await).await;
        let admin = app.session_for(app.user(None, Role::CustomsAdmin, "admin@customs.kz").await).await;
        let due = day(14);
        let issue = |token: &str, due: &str| {
            let (tid, sorg, token, due) = (tid.clone(), sorg.clone(), token.to_owned(), due.to_owned());
            let app = &app;
            async move {
                app.call("traders/issue", &[("organisation", &sorg), ("template", &tid), ("due", &due)], Some(&token))
                    .await
            }
        };

        let before = app.snapshot().await;
        let past = issue(&officer, &day(-1)).await;
        assert_eq!(past.status, StatusCode::UNPROCESSABLE_ENTITY, "{}: {past:?}", app.backend);
        assert!(past.body.contains("DateInPast") && past.body.contains("due"));
        let garbage = issue(&officer, "2026-02-30").await;
        assert!(garbage.body.contains("DateFormat"), "{garbage:?}");
        assert!(issue(&officer, "").await.body.contains("Required"));
        // Customs administrators manage staff, not reviews; traders cannot issue at all.
        assert_eq!(issue(&admin, &due).await.status, StatusCode::FORBIDDEN);
        assert_eq!(issue(&trader, &due).await.status, StatusCode::FORBIDDEN);
        assert_eq!(app.snapshot().await, before, "refusals change nothing");

        let issued = issue(&officer, &due).await;
        assert!(issued.status.is_success(), "{issued:?}");
        let id: AssessmentId = issued.body.trim().parse().expect("id");
        let again = issue(&officer, &due).await;
        assert!(again.body.contains("AlreadyIssued"), "one open questionnaire per template: {again:?}");

        // The trader sees it, with who issued it and when it is due, and can answer it.
        let list = app.call("assessments/list", &[], Some(&trader)).await;
        let v: serde_json::Value = serde_json::from_str(&list.body).expect("json");
        let mine = &v[0][0];
        assert_eq!(mine["id"], id.get(), "the id travels as a bare number");
        assert_eq!(mine["issued_by"], "Test Person");
        assert_eq!(mine["overdue"], false);
        let due_ms = crate::domain::answer::parse_date(&due).expect("date") * 86_400_000;
        assert_eq!(mine["due_at"], due_ms);
        let home = app.page("/", Some(&trader)).await;
        assert!(home.body.contains("id=\"issued\"") && home.body.contains(&due), "home page lists it");
        let saved = app
            .call(
                "assessments/save_section",
                &[("id", &id.to_string()), ("section", "A"), ("answers[qA1][value]", "yes")],
                Some(&trader),
            )
            .await;
        assert!(saved.body.contains("\"saved\":1"), "{saved:?}");

        // Customs sees it on the trader page; another organisation's users see nothing of it.
        let page = app.call("traders/get", &[("id", &sorg)], Some(&officer)).await;
        assert!(page.body.contains("T3X 1.0.0") && page.body.contains("\"can_issue\":true"), "{page:?}");
        let listed = app.call("traders/list", &[("q", "issued")], Some(&officer)).await;
        assert!(listed.body.contains("\"open_issued\":1"), "{listed:?}");
        assert_eq!(app.call("traders/list", &[], Some(&trader)).await.status, StatusCode::FORBIDDEN);
        let other = app.organisation("Other Co", "990940000204").await;
        let stranger = app.session_for(app.user(Some(other), Role::TraderAdmin, "admin@other.kz").await).await;
        let foreign = app.call("assessments/get", &[("id", &id.to_string())], Some(&stranger)).await;
        assert_eq!(foreign.status, StatusCode::NOT_FOUND);
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'assessment.issue' AND seq > $1", 0).await,
            1
        );
    }
}

#[tokio::test]
async fn issuing_over_a_private_draft_neither_reveals_nor_refuses_it_and_keeps_its_answers() {
    for app in TestApp::each_backend().await {
        let tid = app.published_template(T3).await.to_string();
        let org = app.organisation("Draft Co", "990940000105").await;
        let sorg = org.to_string();
        let trader = app.session_for(app.user(Some(org), Role::Preparer, "prep@draft.kz").await).await;
        let officer = app.session_for(app.user(None, Role::Officer, "officer@customs.kz").await).await;
        let started = app.call("assessments/start", &[("template_id", &tid)], Some(&trader)).await;
        let draft: i64 = started.body.trim().parse().expect("id");
        let sdraft = draft.to_string();
        let saved = app
            .call(
                "assessments/save_section",
                &[("id", &sdraft), ("section", "A"), ("answers[qA1][value]", "yes")],
                Some(&trader),
            )
            .await;
        assert!(saved.body.contains("\"saved\":1"), "{}: {saved:?}", app.backend);
        let page = app.call("traders/get", &[("id", &sorg)], Some(&officer)).await;
        assert!(!page.body.contains("T3X 1.0.0"), "the private draft is not listed: {page:?}");

        let due = day(10);
        let issue = [("organisation", sorg.as_str()), ("template", tid.as_str()), ("due", due.as_str())];
        let issued = app.call("traders/issue", &issue, Some(&officer)).await;
        assert!(issued.status.is_success(), "{}: {issued:?}", app.backend);
        let id: i64 = issued.body.trim().parse().expect("id");
        assert_eq!(id, draft, "the trader's own draft of the same version becomes the issued one");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM assessments WHERE organisation_id = $1", org).await, 1);
        assert_eq!(app.scalar("SELECT COUNT(*) FROM answers WHERE assessment_id = $1", draft).await, 1, "answers kept");
        let list = app.call("assessments/list", &[], Some(&trader)).await;
        assert!(list.body.contains("\"issued_by\":\"Test Person\""), "{list:?}");
        // Customs now knows it (issued), still without its content, and cannot issue it twice.
        let again = app.call("traders/issue", &issue, Some(&officer)).await;
        assert!(again.body.contains("AlreadyIssued"), "{again:?}");
        let review = app.call("review/get", &[("id", &sdraft)], Some(&officer)).await;
        assert_eq!(review.status, StatusCode::NOT_FOUND, "draft content stays private: {review:?}");
    }
}

#[tokio::test]
async fn a_trader_page_shows_the_frozen_score_of_reviewed_assessments() {
    let app = TestApp::sqlite().await;
    let tid = app.published_template(T3).await;
    let org = app.organisation("Scored Co", "990940000105").await;
    let officer = app.session_for(app.user(None, Role::Officer, "officer@customs.kz").await).await;
    let trader = app.session_for(app.user(Some(org), Role::TraderAdmin, "admin@scored.kz").await).await;
    let id: AssessmentId = app
        .call("assessments/start", &[("template_id", &tid.to_string())], Some(&trader))
        .await
        .body
        .trim()
        .parse()
        .expect("id");
    let sid = id.to_string();
    app.call(
        "assessments/save_section",
        &[("id", sid.as_str()), ("section", "A"), ("answers[qA1][value]", "yes")],
        Some(&trader),
    )
    .await;
    assert!(
        app.call("assessments/submit", &[("id", &sid), ("attest", "yes")], Some(&trader)).await.status.is_success()
    );
    let page = app.call("traders/get", &[("id", &org.to_string())], Some(&officer)).await;
    assert!(page.body.contains("\"score_bp\":null"), "no score before review: {page:?}");
    app.call("review/assign", &[("id", &sid)], Some(&officer)).await;
    app.call("review/decide", &[("id", &sid), ("question", "A1"), ("decision", "verify")], Some(&officer)).await;
    assert_eq!(app.call("review/finish", &[("id", &sid)], Some(&officer)).await.body.trim(), "10000");
    let page = app.call("traders/get", &[("id", &org.to_string())], Some(&officer)).await;
    assert!(page.body.contains("\"score_bp\":10000"), "{page:?}");
    let listed = app.call("traders/list", &[], Some(&officer)).await;
    assert!(listed.body.contains("\"latest_score_bp\":10000"), "{listed:?}");
    let html = app.page(&format!("/customs/traders/{org}"), Some(&officer)).await;
    assert!(html.body.contains("trader-score") && html.body.contains("100.00"), "rendered score");
    assert_eq!(app.call("traders/get", &[("id", "999999")], Some(&officer)).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn search_ignores_case_in_cyrillic_and_kazakh_and_treats_wildcards_as_text() {
    crate::testing::report_backends();
    for app in TestApp::each_backend().await {
        app.organisation("ТОО «Әлем Құрылыс»", "990940000105").await;
        app.organisation("ИП Ғалым Үкібаев", "990940000204").await;
        app.organisation("100% Import LLP", "990940000303").await;
        let officer = app.session_for(app.user(None, Role::Officer, "officer@customs.kz").await).await;
        let names = |q: &str| {
            let (app, officer, q) = (&app, officer.clone(), q.to_owned());
            async move {
                let reply = app.call("traders/list", &[("q", &q)], Some(&officer)).await;
                assert!(reply.status.is_success(), "{}: {reply:?}", app.backend);
                let items: serde_json::Value = serde_json::from_str(&reply.body).expect("json");
                let mut names: Vec<String> = items
                    .as_array()
                    .expect("list")
                    .iter()
                    .map(|i| i["legal_name"].as_str().unwrap_or_default().to_owned())
                    .collect();
                names.sort();
                names
            }
        };
        let alem = vec!["ТОО «Әлем Құрылыс»".to_owned()];
        for q in ["ТОО", "тоо", "ӘЛЕМ", "әлем", "құрылыс", "ҚҰРЫЛЫС"] {
            assert_eq!(names(q).await, alem, "{}: {q}", app.backend);
        }
        for q in ["ғалым", "ҮКІБАЕВ", "ип"] {
            assert_eq!(names(q).await, vec!["ИП Ғалым Үкібаев".to_owned()], "{}: {q}", app.backend);
        }
        // `%` and `_` are letters to search for, not wildcards.
        assert_eq!(names("100%").await, vec!["100% Import LLP".to_owned()], "{}", app.backend);
        assert!(names("%").await.len() == 1 && names("_").await.is_empty(), "{}", app.backend);
        assert_eq!(names("import").await.len(), 1, "ASCII still folds");

        // Rows stored before the folded column existed are filled when the server starts.
        sqlx::query("UPDATE organisations SET legal_name_folded = ''")
            .execute(&app.state.db.pool)
            .await
            .expect("clear");
        assert!(names("тоо").await.is_empty(), "{}: nothing folded yet", app.backend);
        app.state.db.migrate().await.expect("migrate again");
        assert_eq!(names("тоо").await, alem, "{}: filled at start-up", app.backend);
    }
}
