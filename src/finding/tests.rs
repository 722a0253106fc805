//! Findings on real databases, through the server functions and pages a browser uses: the whole
//! lifecycle, the right to be heard, what the trader sees, bad input, and refused steps.

use crate::domain::role::Role;
use crate::testing::TestApp;
use http::StatusCode;

#[tokio::test]
async fn a_finding_is_heard_confirmed_remediated_and_verified() {
    for app in TestApp::each_backend().await {
        let b = app.backend;
        let org = app.organisation("Finding Co", "990940000105").await;
        let other = app.organisation("Elsewhere Co", "990940000204").await;
        let sorg = org.to_string();
        let trader = app.session_for(app.user(Some(org), Role::Preparer, "prep@finding.kz").await).await;
        let stranger = app.session_for(app.user(Some(other), Role::TraderAdmin, "admin@elsewhere.kz").await).await;
        let officer = app.session_for(app.user(None, Role::Officer, "officer@customs.kz").await).await;
        let supervisor = app.session_for(app.user(None, Role::Supervisor, "super@customs.kz").await).await;

        // A control case of this trader to record the finding against.
        let control = app
            .call(
                "control/record",
                &[
                    ("organisation", &sorg),
                    ("kind", "desk_audit"),
                    ("reference", "DA-2026-004"),
                    ("declarations", "50101010/150324/0001234"),
                    ("topics[0]", "origin"),
                ],
                Some(&officer),
            )
            .await;
        let control = control.body.trim().to_owned();

        // The officer's form on the trader page, with the names the service reads.
        let page = app.page(&format!("/customs/traders/{org}"), Some(&officer)).await;
        for name in [
            "source",
            "control_case",
            "topic",
            "description",
            "declarations",
            "revenue",
            "overpaid",
            "culpability",
            "severity",
            "found_on",
        ] {
            assert!(page.body.contains(&format!("name=\"{name}\"")), "{b}: the finding form has {name}");
        }

        // Every problem at its field, nothing stored.
        let before = app.snapshot().await;
        let bad = app
            .call(
                "finding/record",
                &[
                    ("organisation", &sorg),
                    ("source", "disclosure"),
                    ("control_case", "abc"),
                    ("topic", "smuggling"),
                    ("description", ""),
                    ("declarations", "50101010/320324/0001234"),
                    ("revenue", "125000.001"),
                    ("culpability", "careless"),
                    ("severity", "huge"),
                    ("found_on", "2099-01-01"),
                ],
                Some(&officer),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}: {bad:?}");
        for part in [
            "\"source\"",
            "\"control_case\"",
            "\"topic\"",
            "\"description\"",
            "DeclarationDate",
            "MoneyPrecision",
            "\"culpability\"",
            "\"severity\"",
            "DateInFuture",
        ] {
            assert!(bad.body.contains(part), "{b}: {part} in {}", bad.body);
        }
        assert_eq!(app.snapshot().await, before, "{b}: a refused finding stores nothing");
        // A control case of another trader is not accepted.
        let theirs = app
            .call(
                "control/record",
                &[
                    ("organisation", &other.to_string()),
                    ("kind", "desk_audit"),
                    ("reference", "DA-OTHER"),
                    ("declarations", "50101010/150324/0001234"),
                    ("topics[0]", "origin"),
                ],
                Some(&officer),
            )
            .await;
        let theirs = theirs.body.trim().to_owned();
        let good = |control: &str| {
            vec![
                ("organisation", sorg.clone()),
                ("source", "control".to_owned()),
                ("control_case", control.to_owned()),
                ("topic", "origin".to_owned()),
                ("description", "Preference claimed without a certificate of origin.".to_owned()),
                ("declarations", "50101010/150324/0001234".to_owned()),
                ("revenue", "1 250 000.00".to_owned()),
                ("culpability", "negligence".to_owned()),
                ("severity", "major".to_owned()),
                ("found_on", "2026-11-20".to_owned()),
            ]
        };
        let call = |path: &'static str, form: Vec<(&'static str, String)>, who: String| {
            let app = &app;
            async move {
                let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                app.call(path, &form, Some(&who)).await
            }
        };
        let foreign = call("finding/record", good(&theirs), officer.clone()).await;
        assert!(foreign.body.contains("\"control_case\""), "{b}: {foreign:?}");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM findings WHERE id > $1", 0_i64).await, 0, "{b}: nothing stored");
        // A trader cannot record findings.
        assert_eq!(call("finding/record", good(&control), trader.clone()).await.status, StatusCode::FORBIDDEN);

        let recorded = call("finding/record", good(&control), officer.clone()).await;
        assert!(recorded.status.is_success(), "{b}: {recorded:?}");
        let id = recorded.body.trim().to_owned();

        // A draft stays with customs.
        let mine = app.call("finding/mine", &[], Some(&trader)).await;
        assert!(mine.body.contains("\"items\":[]"), "{b}: {mine:?}");
        assert!(!app.page("/findings", Some(&trader)).await.body.contains("certificate of origin"));
        let list = app.call("finding/list", &[("organisation", &sorg)], Some(&officer)).await;
        assert!(list.body.contains("certificate of origin") && list.body.contains("\"Draft\""), "{b}: {list:?}");
        assert_eq!(
            app.call("finding/list", &[("organisation", &sorg)], Some(&trader)).await.status,
            StatusCode::FORBIDDEN
        );
        let early = app.call("finding/answer", &[("id", &id), ("answer", "x")], Some(&trader)).await;
        assert_eq!(early.status, StatusCode::NOT_FOUND, "{b}: a draft does not exist for the trader");

        // Communicated: the trader sees it with its hearing date; confirming now waits for the trader.
        let step = |action: &'static str, text: &'static str, who: &str| {
            let (app, id, who) = (&app, id.clone(), who.to_owned());
            async move { app.call("finding/step", &[("id", &id), ("action", action), ("text", text)], Some(&who)).await }
        };
        assert!(step("communicate", "", &officer).await.status.is_success(), "{b}");
        let page = app.page("/findings", Some(&trader)).await;
        assert!(page.body.contains("certificate of origin") && page.body.contains("1 250 000.00 KZT"), "{b}");
        assert!(page.body.contains("name=\"answer\""), "{b}: the answer form is offered");
        let waiting = step("confirm", "", &officer).await;
        assert!(waiting.body.contains("NotHeardYet"), "{b}: {waiting:?}");
        // The other trader sees nothing and cannot answer.
        assert!(app.call("finding/mine", &[], Some(&stranger)).await.body.contains("\"items\":[]"));
        let theirs = app.call("finding/answer", &[("id", &id), ("answer", "Not ours.")], Some(&stranger)).await;
        assert_eq!(theirs.status, StatusCode::NOT_FOUND, "{b}");

        // The trader answers once; customs confirms with reasons.
        let empty = app.call("finding/answer", &[("id", &id), ("answer", "  ")], Some(&trader)).await;
        assert!(empty.body.contains("\"answer\"") && empty.body.contains("Required"), "{b}: {empty:?}");
        let answered = app
            .call(
                "finding/answer",
                &[("id", &id), ("answer", "The certificate was issued late; attached.")],
                Some(&trader),
            )
            .await;
        assert!(answered.status.is_success(), "{b}: {answered:?}");
        let twice = app.call("finding/answer", &[("id", &id), ("answer", "Again.")], Some(&trader)).await;
        assert!(twice.body.contains("WrongState"), "{b}: {twice:?}");
        // Customs' steps are customs'; the trader's are the trader's.
        let by_trader = app.call("finding/step", &[("id", &id), ("action", "confirm")], Some(&trader)).await;
        assert_eq!(by_trader.status, StatusCode::FORBIDDEN, "{b}");
        let wrong_side =
            app.call("finding/remediate", &[("id", &id), ("action", "confirm"), ("text", "x")], Some(&trader)).await;
        assert_eq!(wrong_side.status, StatusCode::FORBIDDEN, "{b}: {wrong_side:?}");
        let no_reason = step("withdraw", "", &officer).await;
        assert!(no_reason.body.contains("\"text\"") && no_reason.body.contains("Required"), "{b}: {no_reason:?}");
        let confirmed = step("confirm", "The certificate post-dates the declaration.", &officer).await;
        assert!(confirmed.status.is_success(), "{b}: {confirmed:?}");

        // The trader plans the remediation (a date in the past is refused), then reports it done.
        let remediate = |form: Vec<(&'static str, String)>| call("finding/remediate", form, trader.clone());
        let past = remediate(vec![
            ("id", id.clone()),
            ("action", "plan_remediation".into()),
            ("text", "Origin checks before filing.".into()),
            ("due", "2020-01-01".into()),
        ])
        .await;
        assert!(past.body.contains("\"due\"") && past.body.contains("DateInPast"), "{b}: {past:?}");
        let planned = remediate(vec![
            ("id", id.clone()),
            ("action", "plan_remediation".into()),
            ("text", "Origin checks before filing.".into()),
            ("due", "2099-01-01".into()),
        ])
        .await;
        assert!(planned.status.is_success(), "{b}: {planned:?}");
        let reported = remediate(vec![
            ("id", id.clone()),
            ("action", "report_remediated".into()),
            ("text", "Broker instructions updated; procedure attached.".into()),
        ])
        .await;
        assert!(reported.status.is_success(), "{b}: {reported:?}");

        // Customs sends it back once, then verifies it.
        assert!(step("reject_remediation", "The procedure is not signed.", &supervisor).await.status.is_success());
        let again = remediate(vec![
            ("id", id.clone()),
            ("action", "report_remediated".into()),
            ("text", "Signed procedure attached.".into()),
        ])
        .await;
        assert!(again.status.is_success(), "{b}: {again:?}");
        assert!(step("verify_remediation", "", &officer).await.status.is_success(), "{b}");
        let status = sqlx::query_scalar::<_, String>("SELECT status FROM findings WHERE id = $1")
            .bind(id.parse::<i64>().expect("id"))
            .fetch_one(&app.state.db.pool)
            .await
            .expect("status");
        assert_eq!(status, "remediation_verified", "{b}");
        let over = step("escalate", "Too late.", &officer).await;
        assert!(over.body.contains("WrongState"), "{b}: a verified finding is not escalated: {over:?}");
        let page = app.page("/findings", Some(&trader)).await;
        assert!(page.body.contains("Remediation verified"), "{b}");

        let audited =
            app.scalar("SELECT COUNT(*) FROM audit_events WHERE action LIKE 'finding.%' AND seq > $1", 0_i64).await;
        // record, communicate, answer, confirm, plan, report, reject, report, verify.
        assert_eq!(audited, 9, "{b}: every step is audited");
        let unknown = app.call("finding/step", &[("id", "999999"), ("action", "communicate")], Some(&officer)).await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{b}");
    }
}

#[tokio::test]
async fn without_javascript_an_officer_records_a_finding_and_the_trader_answers() {
    for app in TestApp::each_backend().await {
        let b = app.backend;
        let org = app.organisation("Plain Co", "990940000105").await;
        let trader = app.session_for(app.user(Some(org), Role::TraderAdmin, "admin@plain.kz").await).await;
        let officer = app.session_for(app.user(None, Role::Officer, "officer@customs.kz").await).await;
        let post = |path: &str, body: String, session: &str, referer: String| {
            http::Request::post(format!("/api/{path}"))
                .header("content-type", "application/x-www-form-urlencoded")
                .header("accept", "text/html")
                .header("origin", "http://127.0.0.1:3000")
                .header("referer", referer)
                .header("cookie", format!("senim_session={session}"))
                .body(axum::body::Body::from(body))
                .expect("request")
        };
        let body = format!(
            "organisation={org}&source=document_check&control_case=&topic=valuation&description={}&declarations=&revenue=&culpability=clerical&severity=minor&found_on=2026-11-02",
            crate::testing::encode("Freight left out of the customs value.")
        );
        let reply = app
            .send(post("finding/record", body, &officer, format!("http://127.0.0.1:3000/customs/traders/{org}")))
            .await;
        assert!(reply.status.is_redirection(), "{b}: {reply:?}");
        assert!(reply.location.starts_with(&format!("/customs/traders/{org}?finding=")), "{b}: {}", reply.location);
        let page = app.page(&reply.location, Some(&officer)).await;
        assert!(page.body.contains("Freight left out") && page.body.contains("Non-monetary"), "{b}");
        let id = reply.location.split("finding=").nth(1).and_then(|s| s.split('#').next()).expect("id").to_owned();
        let reply = app
            .send(post(
                "finding/step",
                format!("id={id}&action=communicate"),
                &officer,
                format!("http://127.0.0.1:3000/customs/traders/{org}"),
            ))
            .await;
        assert!(reply.status.is_redirection(), "{b}: {reply:?}");
        let reply = app
            .send(post(
                "finding/answer",
                format!("id={id}&answer={}", crate::testing::encode("The freight invoice came later.")),
                &trader,
                "http://127.0.0.1:3000/findings".into(),
            ))
            .await;
        assert!(reply.location.starts_with(&format!("/findings?answered={id}")), "{b}: {reply:?}");
        let page = app.page(&reply.location, Some(&trader)).await;
        assert!(page.body.contains("The freight invoice came later.") && page.body.contains("role=\"status\""), "{b}");
        // A refused step comes back to the page with its reason.
        let reply = app
            .send(post(
                "finding/remediate",
                format!("id={id}&action=plan_remediation&text=&due="),
                &trader,
                "http://127.0.0.1:3000/findings".into(),
            ))
            .await;
        assert!(reply.status.is_redirection(), "{b}: {reply:?}");
        let page = app.page(&reply.location, Some(&trader)).await;
        assert!(page.body.contains("error-summary"), "{b}: {}", reply.location);
    }
}
