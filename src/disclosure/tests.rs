//! Voluntary disclosures on real databases, through the server functions and pages a browser uses.

use crate::domain::disclosure_line::Field;
use crate::domain::role::Role;
use crate::testing::{Reply, TestApp};
use http::StatusCode;

/// The §7.6 VD-2025-0007 line, as the line form posts it.
pub(super) const STEPPE: &[(&str, &str)] = &[
    ("line[declaration]", "50101010/150324/0001234"),
    ("line[item]", "1"),
    ("line[released]", "2024-03-16"),
    ("line[hs_declared]", "8517130000"),
    ("line[origin_declared]", "CN"),
    ("line[quantity_declared]", "1200"),
    ("line[unit]", "pcs"),
    ("line[invoice_currency]", "USD"),
    ("line[invoice_amount]", "48000.00"),
    ("line[rate]", "450.12"),
    ("line[rate_date]", "2024-03-15"),
    ("line[value_correct]", "22253932.80"),
    ("line[duty_declared]", "2160576.00"),
    ("line[duty_correct]", "2225393.28"),
];

/// A line on a declaration a notified document request names: an origin correction.
const NAMED: &[(&str, &str)] = &[
    ("line[declaration]", "50101010/020424/0000077"),
    ("line[item]", "3"),
    ("line[released]", "2024-04-03"),
    ("line[hs_declared]", "8471300000"),
    ("line[origin_declared]", "VN"),
    ("line[origin_correct]", "CN"),
    ("line[duty_declared]", "0"),
    ("line[duty_correct]", "125000.00"),
];

pub(super) fn with<'a>(id: &'a str, fields: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![("id", id)];
    form.extend_from_slice(fields);
    form
}

pub(super) fn ok(reply: &Reply, what: &str, backend: &str) {
    assert!(reply.status.is_success(), "{backend}: {what}: {reply:?}");
}

#[tokio::test]
async fn a_disclosure_goes_from_draft_to_receipt_with_voluntariness_per_line_and_customs_sees_only_the_submission() {
    for app in TestApp::each_backend().await {
        let b = app.backend;
        let org = app.organisation("Steppe Electronics", "990940000105").await;
        let other = app.organisation("Elsewhere Co", "990940000204").await;
        let preparer = app.session_for(app.user(Some(org), Role::Preparer, "prep@steppe.kz").await).await;
        let signatory = app.session_for(app.user(Some(org), Role::Signatory, "sign@steppe.kz").await).await;
        let stranger = app.session_for(app.user(Some(other), Role::TraderAdmin, "admin@elsewhere.kz").await).await;
        let officer = app.session_for(app.user(None, Role::Officer, "officer@customs.kz").await).await;

        // Customs notified a document request naming the second declaration before the disclosure.
        let sorg = org.to_string();
        let control = app
            .call(
                "control/record",
                &[
                    ("organisation", &sorg),
                    ("kind", "document_request"),
                    ("reference", "DR-2026-031"),
                    ("declarations", "50101010/020424/0000077"),
                    ("topics[0]", "origin"),
                ],
                Some(&officer),
            )
            .await;
        ok(&control, "record control", b);
        let control_id = control.body.trim().to_owned();
        ok(
            &app.call("control/transition", &[("id", &control_id), ("action", "notify")], Some(&officer)).await,
            "notify",
            b,
        );

        // The list page offers the new-disclosure form with the names the server function reads.
        let list = app.page("/disclosures", Some(&preparer)).await;
        assert!(list.body.contains("name=\"kind\"") && list.body.contains("name=\"title\""), "{b}: {}", list.body);
        let before = app.snapshot().await;
        let bad = app.call("disclosure/create", &[("kind", "smuggling"), ("title", "")], Some(&preparer)).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}: {bad:?}");
        assert!(bad.body.contains("\"kind\"") && bad.body.contains("\"title\""), "{b}: {bad:?}");
        assert_eq!(app.snapshot().await, before, "{b}: a refused disclosure stores nothing");
        let created = app
            .call(
                "disclosure/create",
                &[("kind", "underpayment"), ("title", "Royalties not in customs value")],
                Some(&preparer),
            )
            .await;
        ok(&created, "create", b);
        let id = created.body.trim().to_owned();

        // Customs knows nothing of a draft.
        assert_eq!(app.call("disclosure/inspect", &[("id", &id)], Some(&officer)).await.status, StatusCode::NOT_FOUND);
        let empty = app.call("disclosure/queue", &[], Some(&officer)).await;
        assert!(empty.body.contains("\"items\":[]") && empty.body.contains("\"total\":0"), "{b}: {empty:?}");
        assert_eq!(app.call("disclosure/get", &[("id", &id)], Some(&stranger)).await.status, StatusCode::NOT_FOUND);

        // The draft page renders the header and line forms with the field names posted below.
        let page = app.page(&format!("/disclosures/{id}"), Some(&preparer)).await;
        for field in Field::ALL {
            assert!(page.body.contains(&format!("name=\"line[{}]\"", field.name())), "{b}: line form has {field:?}");
        }
        for name in ["root_cause", "narrative", "discovery", "corrective_action", "categories[1]"] {
            assert!(page.body.contains(&format!("name=\"{name}\"")), "{b}: header form has {name}");
        }

        // Submitting an incomplete draft names what is missing.
        let early = app.call("disclosure/submit", &[("id", &id), ("attest", "yes")], Some(&signatory)).await;
        assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}: {early:?}");
        for part in ["\"lines\"", "\"root_cause\"", "\"narrative\"", "\"categories\""] {
            assert!(early.body.contains(part), "{b}: {part} in {}", early.body);
        }

        let header = app
            .call(
                "disclosure/save",
                &[
                    ("id", &id),
                    ("kind", "underpayment"),
                    ("title", "Royalties not in customs value"),
                    ("period_from", "2024-03-01"),
                    ("period_to", "2024-12-31"),
                    ("categories[0]", "valuation"),
                    ("categories[1]", "origin"),
                    ("root_cause", "valuation_adjustment"),
                    ("narrative", "The 3 % royalty to the licensor was not added to the customs value."),
                    ("discovery", "internal_audit"),
                    ("corrective_action", "Royalty accrual now feeds the customs value in the ERP."),
                    ("corrective_due", "2026-12-31"),
                ],
                Some(&preparer),
            )
            .await;
        ok(&header, "header", b);

        // A bad line: every problem at its field, nothing stored.
        let before = app.snapshot().await;
        let bad = app
            .call(
                "disclosure/save_line",
                &with(
                    &id,
                    &[
                        ("line[declaration]", "50101010/310224/0001234"),
                        ("line[item]", "1"),
                        ("line[released]", "2024-03-16"),
                        ("line[hs_declared]", "85171300"),
                        ("line[origin_declared]", "XX"),
                        ("line[invoice_currency]", "ZZZ"),
                        ("line[duty_declared]", "10.001"),
                        ("line[duty_correct]", "1234567890123456789012345"),
                    ],
                ),
                Some(&preparer),
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}: {bad:?}");
        for part in ["DeclarationDate", "HsCode", "CountryCode", "CurrencyUnknown", "MoneyPrecision", "NumberTooLarge"]
        {
            assert!(bad.body.contains(part), "{b}: {part} in {}", bad.body);
        }
        assert_eq!(app.snapshot().await, before, "{b}: a refused line stores nothing");
        let unknown = app.call("disclosure/save_line", &with(&id, &[("line[amount]", "1")]), Some(&preparer)).await;
        assert_eq!(unknown.status, StatusCode::BAD_REQUEST, "{b}: an unknown field is refused: {unknown:?}");

        ok(&app.call("disclosure/save_line", &with(&id, STEPPE), Some(&preparer)).await, "steppe line", b);
        ok(&app.call("disclosure/save_line", &with(&id, NAMED), Some(&preparer)).await, "named line", b);
        let draft = app.page(&format!("/disclosures/{id}"), Some(&preparer)).await;
        // 64,817.28 + 125,000.00 more duty, and the declared customs value computed from the invoice.
        assert!(draft.body.contains("64 817.28 KZT"), "{b}: the line difference is shown");
        assert!(draft.body.contains("189 817.28 KZT"), "{b}: the total is shown");
        assert!(draft.body.contains("21 605 760.00 KZT → 22 253 932.80 KZT"), "{b}: the value change is shown");

        // Only a signatory or administrator submits, and only with the attestation.
        let by_preparer = app.call("disclosure/submit", &[("id", &id), ("attest", "yes")], Some(&preparer)).await;
        assert_eq!(by_preparer.status, StatusCode::FORBIDDEN, "{b}: {by_preparer:?}");
        let unattested = app.call("disclosure/submit", &[("id", &id)], Some(&signatory)).await;
        assert!(unattested.body.contains("MustConfirm"), "{b}: {unattested:?}");
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        let submitted = app.call("disclosure/submit", &[("id", &id), ("attest", "yes")], Some(&signatory)).await;
        ok(&submitted, "submit", b);
        assert!(submitted.body.contains("VD-20"), "{b}: a receipt number: {submitted:?}");

        // Frozen: the service refuses, and so does the database itself.
        let late = app.call("disclosure/save_line", &with(&id, STEPPE), Some(&preparer)).await;
        assert!(late.body.contains("WrongState"), "{b}: {late:?}");
        let lines = app
            .scalar("SELECT COUNT(*) FROM disclosure_lines WHERE disclosure_id = $1", id.parse::<i64>().expect("id"))
            .await;
        assert_eq!(lines, 2, "{b}");
        let direct = sqlx::query("UPDATE disclosure_lines SET difference = 0 WHERE disclosure_id = $1")
            .bind(id.parse::<i64>().expect("id"))
            .execute(&app.state.db.pool)
            .await;
        assert!(direct.is_err(), "{b}: the database refuses to change a submitted line");

        // Voluntariness per line: the named declaration was prompted by the notified control.
        let got = app.call("disclosure/get", &[("id", &id)], Some(&preparer)).await;
        assert!(got.body.contains("\"Voluntary\""), "{b}: {}", got.body);
        assert!(got.body.contains(&format!("\"Prompted\":{{\"control\":{control_id}}}")), "{b}: {}", got.body);
        let receipt = app.page(&format!("/disclosures/{id}?submitted=1"), Some(&signatory)).await;
        assert!(
            receipt.body.contains("SHA-256") && receipt.body.contains("DR-2026-031"),
            "{b}: receipt and prompting control"
        );
        let check = super::service::verify_receipts(&app.state.db.pool).await.expect("receipts");
        assert_eq!((check.checked, check.mismatched.len()), (1, 0), "{b}: the receipt hash matches the stored content");

        // Customs now sees it in the queue with its acknowledgement clock, and moves it on.
        let queue = app.call("disclosure/queue", &[], Some(&officer)).await;
        assert!(queue.body.contains("Acknowledge") && queue.body.contains("Steppe Electronics"), "{b}: {queue:?}");
        // Filters: by trader (any case, part of the name), status and kind.
        for (filter, found) in [
            (vec![("filter[trader]", "steppe")], true),
            (vec![("filter[trader]", "elsewhere")], false),
            (vec![("filter[status]", "submitted"), ("filter[kind]", "underpayment")], true),
            (vec![("filter[status]", "decided")], false),
        ] {
            let got = app.call("disclosure/queue", &filter, Some(&officer)).await;
            assert_eq!(got.body.contains("Steppe Electronics"), found, "{b}: {filter:?}: {}", got.body);
        }
        let bad = app.call("disclosure/queue", &[("filter[status]", "lost")], Some(&officer)).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}: {bad:?}");
        let filtered = app.page("/customs/disclosures?status=submitted&trader=STEPPE", Some(&officer)).await;
        assert!(
            filtered.body.contains("Royalties not in customs value") && filtered.body.contains("1 submitted"),
            "{b}"
        );
        let queue_page = app.page("/customs/disclosures", Some(&officer)).await;
        assert!(queue_page.body.contains("Royalties not in customs value"), "{b}: the queue page lists it");
        let view = app.page(&format!("/customs/disclosures/{id}"), Some(&officer)).await;
        assert!(view.body.contains("189 817.28 KZT") && view.body.contains("value=\"acknowledge\""), "{b}");
        let trader_try =
            app.call("disclosure/transition", &[("id", &id), ("action", "acknowledge")], Some(&signatory)).await;
        assert_eq!(trader_try.status, StatusCode::FORBIDDEN);
        let review_first =
            app.call("disclosure/transition", &[("id", &id), ("action", "start_review")], Some(&officer)).await;
        assert!(review_first.body.contains("WrongState"), "{b}: {review_first:?}");
        for action in ["acknowledge", "start_review"] {
            ok(&app.call("disclosure/transition", &[("id", &id), ("action", action)], Some(&officer)).await, action, b);
        }
        let queue = app.call("disclosure/queue", &[], Some(&officer)).await;
        assert!(queue.body.contains("UnderReview") && queue.body.contains("Decide"), "{b}: {queue:?}");
        let audited =
            app.scalar("SELECT COUNT(*) FROM audit_events WHERE action LIKE 'disclosure.%' AND seq > $1", 0_i64).await;
        assert_eq!(audited, 7, "{b}: create, header, two lines, submit, acknowledge, review");
    }
}

/// Posts a form as a browser without JavaScript does: urlencoded, asking for HTML, from `referer`.
async fn plain_post(app: &TestApp, endpoint: &str, form: &[(&str, &str)], session: &str, referer: &str) -> Reply {
    let body = form
        .iter()
        .map(|(k, v)| format!("{}={}", crate::testing::encode(k), crate::testing::encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let request = http::Request::post(format!("/api/{endpoint}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "text/html")
        .header("origin", "http://127.0.0.1:3000")
        .header("referer", format!("http://127.0.0.1:3000{referer}"))
        .header("cookie", format!("senim_session={session}"))
        .body(axum::body::Body::from(body))
        .expect("request");
    app.send(request).await
}

#[tokio::test]
async fn without_javascript_a_line_form_post_comes_back_to_the_disclosure_page() {
    for app in TestApp::each_backend().await {
        let b = app.backend;
        let org = app.organisation("Form Co", "990940000105").await;
        let preparer = app.session_for(app.user(Some(org), Role::Preparer, "prep@form.kz").await).await;
        let colleague = app.session_for(app.user(Some(org), Role::Signatory, "sign@form.kz").await).await;
        let created =
            app.call("disclosure/create", &[("kind", "underpayment"), ("title", "Freight")], Some(&preparer)).await;
        let id = created.body.trim().to_owned();
        let path = format!("/disclosures/{id}");

        // A refused line comes back with the errors at their fields and everything typed still in
        // the form, for the user who typed it only; nothing is stored as a line.
        let mut typo = with(&id, STEPPE);
        for (name, value) in typo.iter_mut() {
            match *name {
                "line[declaration]" => *value = "50101010/310224/0001234",
                "line[invoice_amount]" => *value = "48000.001",
                _ => {}
            }
        }
        let refused = plain_post(&app, "disclosure/save_line", &typo, &preparer, &path).await;
        assert!(refused.status.is_redirection(), "{b}: {refused:?}");
        let page = app.page(&refused.location, Some(&preparer)).await;
        for typed in
            ["value=\"50101010/310224/0001234\"", "value=\"48000.001\"", "value=\"22253932.80\"", "value=\"pcs\""]
        {
            assert!(page.body.contains(typed), "{b}: {typed} kept in the form: {}", refused.location);
        }
        assert!(page.body.contains("what you typed last time"), "{b}: the form says it was restored");
        assert_eq!(
            app.scalar(
                "SELECT COUNT(*) FROM disclosure_lines WHERE disclosure_id = $1",
                id.parse::<i64>().expect("id")
            )
            .await,
            0
        );
        let theirs = app.page(&path, Some(&colleague)).await;
        assert!(!theirs.body.contains("48000.001") && !theirs.body.contains("what you typed last time"), "{b}");
        // Coming back later still shows it (the form is not lost with the error message).
        assert!(app.page(&path, Some(&preparer)).await.body.contains("value=\"48000.001\""), "{b}");

        let reply = plain_post(&app, "disclosure/save_line", &with(&id, STEPPE), &preparer, &path).await;
        assert!(reply.status.is_redirection(), "{b}: {reply:?}");
        assert!(reply.location.starts_with(&format!("/disclosures/{id}?saved=line")), "{b}: {}", reply.location);
        let page = app.page(&reply.location, Some(&preparer)).await;
        assert!(page.body.contains("64 817.28 KZT") && page.body.contains("role=\"status\""), "{b}");
        // Saved: the form is blank again.
        assert!(!page.body.contains("48000.001") && !page.body.contains("what you typed last time"), "{b}");
        assert_eq!(
            app.scalar(
                "SELECT COUNT(*) FROM disclosure_line_stash WHERE disclosure_id = $1",
                id.parse::<i64>().expect("id")
            )
            .await,
            0
        );

        // The header too: a period that ends before it starts is refused, and the long narrative
        // and every other field typed come back with the error.
        let header = [
            ("id", id.as_str()),
            ("kind", "underpayment"),
            ("title", "Freight not in the customs value"),
            ("period_from", "2024-12-01"),
            ("period_to", "2024-03-01"),
            ("categories[0]", "valuation"),
            ("root_cause", "valuation_adjustment"),
            ("narrative", "Freight from Urumqi to the border was invoiced separately & never declared."),
            ("discovery", "broker"),
            ("corrective_action", "The broker now receives every freight invoice."),
            ("corrective_due", "2027-01-31"),
        ];
        let refused = plain_post(&app, "disclosure/save", &header, &preparer, &path).await;
        assert!(refused.status.is_redirection(), "{b}: {refused:?}");
        let page = app.page(&refused.location, Some(&preparer)).await;
        let form = page.body.split("id=\"header\"").nth(1).unwrap_or_default();
        let form = form.split("</form>").next().unwrap_or_default();
        for typed in [
            "value=\"2024-12-01\"",
            "value=\"2024-03-01\"",
            "value=\"2027-01-31\"",
            "value=\"Freight not in the customs value\"",
            "value=\"valuation_adjustment\" selected",
            "value=\"broker\" selected",
            "value=\"valuation\" checked",
            "invoiced separately",
            "The broker now receives every freight invoice.",
        ] {
            assert!(form.contains(typed), "{b}: {typed} kept in the header form: {form}");
        }
        let saved = plain_post(
            &app,
            "disclosure/save",
            &header.map(|(k, v)| if k == "period_to" { (k, "2024-12-31") } else { (k, v) }),
            &preparer,
            &path,
        )
        .await;
        assert!(saved.location.contains("saved=header"), "{b}: {saved:?}");
        let page = app.page(&saved.location, Some(&preparer)).await;
        assert!(page.body.contains("value=\"2024-12-31\"") && !page.body.contains("what you typed last time"), "{b}");
    }
}

/// The `import` id of the redirect after an upload.
fn staged(reply: &Reply, backend: &str) -> String {
    assert!(reply.status.is_redirection(), "{backend}: {reply:?}");
    let (_, rest) = reply.location.split_once("import=").unwrap_or_else(|| panic!("{backend}: {}", reply.location));
    rest.split(['#', '&']).next().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn csv_lines_import_all_or_nothing_with_every_error_at_its_row_and_export_back_the_same() {
    for app in TestApp::each_backend().await {
        let b = app.backend;
        let org = app.organisation("Bulk Co", "990940000105").await;
        let preparer = app.session_for(app.user(Some(org), Role::Preparer, "prep@bulk.kz").await).await;
        let officer = app.session_for(app.user(None, Role::Officer, "officer@customs.kz").await).await;
        let created =
            app.call("disclosure/create", &[("kind", "underpayment"), ("title", "Freight")], Some(&preparer)).await;
        let id = created.body.trim().to_owned();
        let upload_path = format!("/disclosures/{id}/import");

        // The template is the header and the worked example, in the layout the import reads.
        let template = app.page("/disclosures/lines-template.csv", Some(&preparer)).await;
        assert_eq!(template.status, StatusCode::OK, "{b}: {template:?}");
        let mut rows: Vec<&str> = template.body.lines().collect();
        assert_eq!(rows.len(), 2, "{b}: {}", template.body);
        assert!(rows[0].starts_with("declaration,item,released,"), "{b}");
        let header = rows.remove(0).to_owned();
        let example = rows[0].to_owned();
        // Twenty items of the example's declaration, the fifth with a bad HS code.
        let body = |bad: bool| {
            let mut text = format!("{header}\r\n");
            for item in 1..=20 {
                let row = example.replacen(",1,2024-03-16,", &format!(",{item},2024-03-16,"), 1);
                let row = if bad && item == 5 { row.replacen("8517130000", "851713", 1) } else { row };
                text.push_str(&row);
                text.push_str("\r\n");
            }
            text
        };
        let import = staged(&app.upload_to(&upload_path, "lines.csv", body(true).as_bytes(), &preparer).await, b);
        let preview = app.call("disclosure/import_preview", &[("id", &id), ("import", &import)], Some(&preparer)).await;
        assert!(
            preview.body.contains("\"row\":6,\"column\":\"hs_declared\",\"code\":\"HsCode\""),
            "{b}: the bad cell is named at its file row: {}",
            preview.body
        );
        let page = app.page(&format!("/disclosures/{id}?import={import}"), Some(&preparer)).await;
        assert!(
            page.body.contains("id=\"import-errors\"") && page.body.contains("10-digit HS code"),
            "{b}: shown on the page"
        );
        let refused = app.call("disclosure/import", &[("id", &id), ("import", &import)], Some(&preparer)).await;
        assert!(refused.body.contains("FileInvalidRows"), "{b}: {refused:?}");
        let lines_sql = "SELECT COUNT(*) FROM disclosure_lines WHERE disclosure_id = $1";
        let id_num: i64 = id.parse().expect("id");
        assert_eq!(app.scalar(lines_sql, id_num).await, 0, "{b}: all or nothing");

        // The fixed file imports all twenty.
        let import = staged(&app.upload_to(&upload_path, "lines.csv", body(false).as_bytes(), &preparer).await, b);
        let preview = app.call("disclosure/import_preview", &[("id", &id), ("import", &import)], Some(&preparer)).await;
        assert!(
            preview.body.contains("\"rows\":20") && preview.body.contains("\"errors\":[]"),
            "{b}: {}",
            preview.body
        );
        let done = app.call("disclosure/import", &[("id", &id), ("import", &import)], Some(&preparer)).await;
        assert_eq!(done.body.trim(), "20", "{b}: {done:?}");
        assert_eq!(app.scalar(lines_sql, id_num).await, 20, "{b}");
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM audit_events WHERE action = 'disclosure.import' AND seq > $1", 0_i64)
                .await,
            1
        );
        let again = app.call("disclosure/import", &[("id", &id), ("import", &import)], Some(&preparer)).await;
        assert_eq!(again.status, StatusCode::NOT_FOUND, "{b}: a staged file is used once");
        let page = app.page(&format!("/disclosures/{id}"), Some(&preparer)).await;
        // 20 × 64,817.28 = 1,296,345.60.
        assert!(page.body.contains("1 296 345.60 KZT"), "{b}: the totals cover every line");

        // Exported back, the file is the same layout with the same values.
        let export = app.page(&format!("/disclosures/{id}/lines.csv"), Some(&preparer)).await;
        assert_eq!(export.status, StatusCode::OK, "{b}");
        assert_eq!(
            export.body.replace("\r\n", "\n"),
            body(false).replace("\r\n", "\n"),
            "{b}: the export is the import"
        );
        assert_eq!(
            app.page(&format!("/disclosures/{id}/lines.csv"), Some(&officer)).await.status,
            StatusCode::NOT_FOUND,
            "{b}: customs cannot download a draft's lines"
        );

        // Files that are not the layout.
        let latin1 = b"declaration,item\n50101010/150324/0001234,\xe9\n";
        let reply = app.upload_to(&upload_path, "lines.csv", latin1, &preparer).await;
        assert!(reply.location.contains("import_error=NotUtf8"), "{b}: {reply:?}");
        let tabs = body(false).replace(',', "\t");
        let import = staged(&app.upload_to(&upload_path, "lines.csv", tabs.as_bytes(), &preparer).await, b);
        let preview = app.call("disclosure/import_preview", &[("id", &id), ("import", &import)], Some(&preparer)).await;
        assert!(preview.body.contains("CsvDelimiter"), "{b}: {}", preview.body);
        let formula = body(false).replacen(",pcs,", ",=HYPERLINK(\"http://x\"),", 1);
        let import = staged(&app.upload_to(&upload_path, "lines.csv", formula.as_bytes(), &preparer).await, b);
        let preview = app.call("disclosure/import_preview", &[("id", &id), ("import", &import)], Some(&preparer)).await;
        assert!(preview.body.contains("\"column\":\"unit\",\"code\":\"FormulaCell\""), "{b}: {}", preview.body);
        let extra = body(false).replacen("remedy_correct", "remedy_correct,comment", 1);
        let import = staged(&app.upload_to(&upload_path, "lines.csv", extra.as_bytes(), &preparer).await, b);
        let preview = app.call("disclosure/import_preview", &[("id", &id), ("import", &import)], Some(&preparer)).await;
        assert!(preview.body.contains("\"column\":\"comment\",\"code\":\"CsvHeader\""), "{b}: {}", preview.body);
    }
}

/// A trader with a notified document request, and its submitted two-line disclosure (the Steppe
/// line, voluntary, and the named declaration's line, prompted).
pub(super) struct Submitted {
    pub(super) id: String,
    pub(super) lines: Vec<String>,
    pub(super) preparer: String,
    pub(super) signatory: String,
    pub(super) officer: String,
}

pub(super) async fn submitted(app: &TestApp) -> Submitted {
    let b = app.backend;
    let org = app.organisation("Review Co", "990940000105").await;
    let preparer = app.session_for(app.user(Some(org), Role::Preparer, "prep@review.kz").await).await;
    let signatory = app.session_for(app.user(Some(org), Role::Signatory, "sign@review.kz").await).await;
    let officer = app.session_for(app.user(None, Role::Officer, "officer@customs.kz").await).await;
    let sorg = org.to_string();
    let control = app
        .call(
            "control/record",
            &[
                ("organisation", &sorg),
                ("kind", "document_request"),
                ("reference", "DR-2026-044"),
                ("declarations", "50101010/020424/0000077"),
                ("topics[0]", "origin"),
            ],
            Some(&officer),
        )
        .await;
    let control = control.body.trim().to_owned();
    ok(&app.call("control/transition", &[("id", &control), ("action", "notify")], Some(&officer)).await, "notify", b);
    let id = app.call("disclosure/create", &[("kind", "underpayment"), ("title", "Royalties")], Some(&preparer)).await;
    let id = id.body.trim().to_owned();
    let header = [
        ("id", id.as_str()),
        ("kind", "underpayment"),
        ("title", "Royalties"),
        ("categories[0]", "valuation"),
        ("root_cause", "valuation_adjustment"),
        ("narrative", "Royalty not added."),
        ("discovery", "internal_audit"),
        ("corrective_action", "ERP fixed."),
    ];
    ok(&app.call("disclosure/save", &header, Some(&preparer)).await, "header", b);
    let mut lines = Vec::new();
    for fields in [STEPPE, NAMED] {
        let saved = app.call("disclosure/save_line", &with(&id, fields), Some(&preparer)).await;
        ok(&saved, "line", b);
        lines.push(saved.body.trim().to_owned());
    }
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    ok(&app.call("disclosure/submit", &[("id", &id), ("attest", "yes")], Some(&signatory)).await, "submit", b);
    Submitted { id, lines, preparer, signatory, officer }
}

#[tokio::test]
async fn the_review_reopens_only_named_lines_pauses_the_clock_hears_the_trader_and_decides() {
    for app in TestApp::each_backend().await {
        let b = app.backend;
        let s = submitted(&app).await;
        let (id, officer, preparer) = (s.id.as_str(), Some(s.officer.as_str()), Some(s.preparer.as_str()));
        let (line1, line2) = (s.lines[0].as_str(), s.lines[1].as_str());
        // Nothing can be decided before the review starts.
        let early = app
            .call("disclosure/decide_line", &[("id", id), ("line_id", line1), ("decision", "accepted")], officer)
            .await;
        assert!(early.body.contains("WrongState"), "{b}: {early:?}");
        for action in ["acknowledge", "start_review"] {
            ok(&app.call("disclosure/transition", &[("id", id), ("action", action)], officer).await, action, b);
        }

        // One line prompted: it cannot be accepted as wholly voluntary.
        let voluntary = app
            .call("disclosure/decide", &[("id", id), ("outcome", "accepted_voluntary"), ("reasons", "Fine.")], officer)
            .await;
        assert!(voluntary.body.contains("PromptedLines"), "{b}: {voluntary:?}");
        // Per-line decisions: a rejection needs its reason; an adjustment recomputes the difference.
        let bare = app
            .call("disclosure/decide_line", &[("id", id), ("line_id", line1), ("decision", "rejected")], officer)
            .await;
        assert!(bare.body.contains("\"reason\"") && bare.body.contains("Required"), "{b}: {bare:?}");
        let adjusted = app
            .call(
                "disclosure/decide_line",
                &[
                    ("id", id),
                    ("line_id", line1),
                    ("decision", "adjusted"),
                    ("correct[duty_correct]", "2300000.00"),
                    ("reason", "The royalty is 5 %, not 3 %."),
                ],
                officer,
            )
            .await;
        ok(&adjusted, "adjust", b);

        // An information request on line 2 reopens it alone; the trader revises it and answers.
        let request = app
            .call(
                "disclosure/request_info",
                &[("id", id), ("lines[0]", line2), ("message", "Send the origin certificate.")],
                officer,
            )
            .await;
        ok(&request, "request", b);
        let page = app.page(&format!("/disclosures/{id}"), preparer).await;
        assert!(page.body.contains("Send the origin certificate.") && page.body.contains("name=\"answer\""), "{b}");
        let other =
            app.call("disclosure/save_line", &[&with(id, STEPPE)[..], &[("line_id", line1)]].concat(), preparer).await;
        assert!(other.body.contains("NotReopened"), "{b}: only the named line reopens: {other:?}");
        let added = app.call("disclosure/save_line", &with(id, STEPPE), preparer).await;
        assert!(added.body.contains("WrongState"), "{b}: no new lines during a request: {added:?}");
        let revised: Vec<(&str, &str)> =
            NAMED.iter().map(|&(k, v)| if k == "line[duty_correct]" { (k, "100000.00") } else { (k, v) }).collect();
        let revised = app
            .call("disclosure/save_line", &[&with(id, &revised)[..], &[("line_id", line2)]].concat(), preparer)
            .await;
        ok(&revised, "revise line 2", b);
        ok(
            &app.call("disclosure/answer_info", &[("id", id), ("answer", "Certificate attached.")], preparer).await,
            "answer",
            b,
        );
        let after =
            app.call("disclosure/save_line", &[&with(id, NAMED)[..], &[("line_id", line2)]].concat(), preparer).await;
        assert!(after.body.contains("WrongState"), "{b}: the line closes again: {after:?}");
        let view = app.call("disclosure/inspect", &[("id", id)], officer).await;
        assert!(view.body.contains("\"paused_days\":1") && view.body.contains("UnderReview"), "{b}: {}", view.body);

        // An adverse outcome needs the right to be heard first.
        let direct = app
            .call(
                "disclosure/decide",
                &[("id", id), ("outcome", "accepted_not_voluntary"), ("reasons", "Prompted.")],
                officer,
            )
            .await;
        assert!(direct.body.contains("WrongState"), "{b}: {direct:?}");
        let propose = app
            .call(
                "disclosure/propose",
                &[("id", id), ("outcome", "accepted_not_voluntary"), ("reasons", "Line 2 was named in DR-2026-044.")],
                officer,
            )
            .await;
        ok(&propose, "propose", b);
        let too_soon = app
            .call(
                "disclosure/decide",
                &[("id", id), ("outcome", "accepted_not_voluntary"), ("reasons", "Prompted.")],
                officer,
            )
            .await;
        assert!(too_soon.body.contains("HearingOpen"), "{b}: {too_soon:?}");
        let heard = app
            .call("disclosure/answer_hearing", &[("id", id), ("hearing_answer", "We found it ourselves.")], preparer)
            .await;
        ok(&heard, "hearing answer", b);
        let twice = app.call("disclosure/answer_hearing", &[("id", id), ("hearing_answer", "Again.")], preparer).await;
        assert!(twice.body.contains("WrongState"), "{b}: {twice:?}");
        let decided = app
            .call(
                "disclosure/decide",
                &[
                    ("id", id),
                    ("outcome", "accepted_not_voluntary"),
                    ("reasons", "Line 2 was prompted by DR-2026-044."),
                ],
                officer,
            )
            .await;
        ok(&decided, "decide", b);

        // Both sides see the outcome; line 1 at the officer's amount (139,424.00), line 2 as revised.
        let trader = app.page(&format!("/disclosures/{id}"), preparer).await;
        assert!(trader.body.contains("Accepted, not voluntary") && trader.body.contains("239 424.00 KZT"), "{b}");
        let customs = app.page(&format!("/customs/disclosures/{id}"), officer).await;
        assert!(customs.body.contains("The royalty is 5 %, not 3 %."), "{b}: the line decision is shown");
        // The acceptance made the trader's findings: one per discovery mode, at the decided amounts,
        // confirmed at once (the trader disclosed them), with their audit events.
        let made = sqlx::query_as::<_, (String, i64, String, String)>(
            "SELECT discovery, revenue_minor, severity, status FROM findings WHERE disclosure_id = $1 ORDER BY discovery",
        )
        .bind(id.parse::<i64>().expect("id"))
        .fetch_all(&app.state.db.pool)
        .await
        .expect("findings");
        assert_eq!(
            made,
            vec![
                ("prompted".to_owned(), 10_000_000, "moderate".to_owned(), "confirmed".to_owned()),
                ("voluntary".to_owned(), 13_942_400, "moderate".to_owned(), "confirmed".to_owned()),
            ],
            "{b}"
        );
        let findings = app.page("/findings", preparer).await;
        assert!(findings.body.contains("Disclosed after a notice") && findings.body.contains("139 424.00 KZT"), "{b}");
        let late = app.call("disclosure/withdraw", &[("id", id)], Some(&s.signatory)).await;
        assert!(late.body.contains("WrongState"), "{b}: no withdrawal after the decision: {late:?}");

        // Payment: the amount due is the decided difference plus interest; the trader reports the
        // payment, the officer confirms it and the declaration correction, and closes.
        let confirm_early = app.call("disclosure/settle", &[("id", id), ("action", "confirm_payment")], officer).await;
        assert!(confirm_early.body.contains("PaymentNotReported") || confirm_early.body.contains("WrongState"), "{b}");
        let due = app.call("disclosure/request_payment", &[("id", id)], officer).await;
        ok(&due, "request payment", b);
        let (amount, interest): (i64, i64) = serde_json::from_str(&due.body).expect("amounts");
        assert_eq!(amount - interest, 23_942_400, "{b}: the decided difference");
        assert!(interest > 0, "{b}: interest from the 2024 release dates");
        let unreported = app.call("disclosure/settle", &[("id", id), ("action", "confirm_payment")], officer).await;
        assert!(unreported.body.contains("PaymentNotReported"), "{b}: {unreported:?}");
        let future = app
            .call(
                "disclosure/report_payment",
                &[("id", id), ("payment_reference", "PP-77"), ("paid_on", "2199-01-01")],
                preparer,
            )
            .await;
        assert!(future.body.contains("DateInFuture"), "{b}: {future:?}");
        let paid = app
            .call(
                "disclosure/report_payment",
                &[("id", id), ("payment_reference", "PP-77"), ("paid_on", "2026-11-30")],
                preparer,
            )
            .await;
        ok(&paid, "report payment", b);
        ok(
            &app.call("disclosure/settle", &[("id", id), ("action", "confirm_payment")], officer).await,
            "confirm payment",
            b,
        );
        let no_kdt = app.call("disclosure/settle", &[("id", id), ("action", "confirm_kdt")], officer).await;
        assert!(no_kdt.body.contains("\"kdt_reference\""), "{b}: {no_kdt:?}");
        let kdt = [("id", id), ("action", "confirm_kdt"), ("kdt_reference", "KDT 50101010/011226/0000012")];
        ok(&app.call("disclosure/settle", &kdt, officer).await, "confirm kdt", b);
        ok(&app.call("disclosure/settle", &[("id", id), ("action", "close")], officer).await, "close", b);
        let closed = app.page(&format!("/disclosures/{id}"), preparer).await;
        assert!(closed.body.contains("PP-77") && closed.body.contains("KDT 50101010/011226/0000012"), "{b}");
        assert!(closed.body.contains(">Closed<"), "{b}: the trader sees it closed");
        let steps = app
            .scalar(
                "SELECT COUNT(*) FROM audit_events WHERE action IN ('disclosure.line_decision', 'disclosure.request_info', \
                 'disclosure.answer_info', 'disclosure.propose', 'disclosure.answer_hearing', 'disclosure.decide') AND seq > $1",
                0_i64,
            )
            .await;
        assert_eq!(steps, 6, "{b}: every review step is audited");
    }
}

#[tokio::test]
async fn a_signatory_withdraws_before_the_decision_and_a_preparer_cannot() {
    for app in TestApp::each_backend().await {
        let b = app.backend;
        let s = submitted(&app).await;
        let by_preparer = app.call("disclosure/withdraw", &[("id", &s.id)], Some(&s.preparer)).await;
        assert_eq!(by_preparer.status, StatusCode::FORBIDDEN, "{b}");
        ok(&app.call("disclosure/withdraw", &[("id", &s.id)], Some(&s.signatory)).await, "withdraw", b);
        let queue = app.call("disclosure/queue", &[], Some(&s.officer)).await;
        assert!(queue.body.contains("Withdrawn") && !queue.body.contains("\"clock\":{"), "{b}: {queue:?}");
        let again = app.call("disclosure/withdraw", &[("id", &s.id)], Some(&s.signatory)).await;
        assert!(again.body.contains("WrongState"), "{b}: {again:?}");
    }
}

/// The Steppe line on another declaration serial (so each racing line is distinct).
fn steppe_serial(id: &str, serial: u32) -> Vec<(String, String)> {
    let mut form = vec![("id".to_owned(), id.to_owned())];
    for (k, v) in STEPPE {
        let v = if *k == "line[declaration]" { format!("50101010/150324/{serial:07}") } else { (*v).to_owned() };
        form.push(((*k).to_owned(), v));
    }
    form
}

fn refs(form: &[(String, String)]) -> Vec<(&str, &str)> {
    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn line_edits_racing_a_submit_either_land_before_it_and_in_the_receipt_or_are_refused() {
    for app in TestApp::each_backend().await {
        let b = app.backend;
        let org = app.organisation("Race Co", "990940000105").await;
        let preparer = app.session_for(app.user(Some(org), Role::Preparer, "prep@race.kz").await).await;
        let colleague = app.session_for(app.user(Some(org), Role::Preparer, "prep2@race.kz").await).await;
        let signatory = app.session_for(app.user(Some(org), Role::Signatory, "sign@race.kz").await).await;
        for round in 0..3_u32 {
            let id =
                app.call("disclosure/create", &[("kind", "underpayment"), ("title", "Race")], Some(&preparer)).await;
            let id = id.body.trim().to_owned();
            let header = [
                ("id", id.as_str()),
                ("kind", "underpayment"),
                ("title", "Race"),
                ("categories[0]", "valuation"),
                ("root_cause", "valuation_adjustment"),
                ("narrative", "Royalty not added."),
                ("discovery", "internal_audit"),
                ("corrective_action", "ERP fixed."),
            ];
            ok(&app.call("disclosure/save", &header, Some(&preparer)).await, "header", b);
            let first = app.call("disclosure/save_line", &with(&id, STEPPE), Some(&preparer)).await;
            ok(&first, "first line", b);
            let first = first.body.trim().to_owned();
            // A second line nobody touches: the removal racing the submit never leaves the
            // disclosure empty (an empty one is rightly refused, which is not this test's race).
            let kept = steppe_serial(&id, 1000 + round);
            ok(&app.call("disclosure/save_line", &refs(&kept), Some(&preparer)).await, "kept line", b);

            // Two users add lines and one edits the first while the signatory submits.
            let forms: Vec<Vec<(String, String)>> = (0..4).map(|i| steppe_serial(&id, 2000 + round * 10 + i)).collect();
            let [f0, f1, f2, f3] = [0, 1, 2, 3].map(|i| refs(&forms[i]));
            let mut edit = f3;
            edit.push(("line_id", first.as_str()));
            let submit_form = [("id", id.as_str()), ("attest", "yes")];
            let remove_form = [("id", id.as_str()), ("line_id", first.as_str())];
            let (submit, a, c, d, e, edited) = tokio::join!(
                app.call("disclosure/submit", &submit_form, Some(&signatory)),
                app.call("disclosure/save_line", &f0, Some(&preparer)),
                app.call("disclosure/save_line", &f1, Some(&colleague)),
                app.call("disclosure/save_line", &f2, Some(&preparer)),
                app.call("disclosure/remove_line", &remove_form, Some(&colleague)),
                app.call("disclosure/save_line", &edit, Some(&preparer)),
            );
            ok(&submit, "submit", b);
            let mut added = 0;
            for reply in [&a, &c, &d] {
                match reply.status.as_u16() {
                    200 => added += 1,
                    409 => assert!(reply.body.contains("WrongState"), "{b}: {reply:?}"),
                    _ => panic!("{b}: a racing line save answers 200 or 409: {reply:?}"),
                }
            }
            for reply in [&e, &edited] {
                assert!(matches!(reply.status.as_u16(), 200 | 404 | 409), "{b}: {reply:?}");
            }
            let removed = e.status.is_success();

            // What was stored is exactly what the receipt covers, and the receipt still verifies.
            let key: i64 = id.parse().expect("id");
            let stored = app.scalar("SELECT COUNT(*) FROM disclosure_lines WHERE disclosure_id = $1", key).await;
            assert_eq!(stored, 2 + added - i64::from(removed), "{b}: round {round}");
            let content: String =
                sqlx::query_scalar("SELECT content FROM disclosure_submissions WHERE disclosure_id = $1")
                    .bind(key)
                    .fetch_one(&app.state.db.pool)
                    .await
                    .expect("submission");
            let content: serde_json::Value = serde_json::from_str(&content).expect("canonical JSON");
            let receipted = content["lines"].as_array().expect("lines").len();
            assert_eq!(i64::try_from(receipted).expect("count"), stored, "{b}: round {round}");
            let declarations: Vec<String> = sqlx::query_scalar(
                "SELECT declaration FROM disclosure_lines WHERE disclosure_id = $1 ORDER BY position",
            )
            .bind(key)
            .fetch_all(&app.state.db.pool)
            .await
            .expect("declarations");
            let in_receipt: Vec<String> = content["lines"]
                .as_array()
                .expect("lines")
                .iter()
                .map(|l| l["line"]["declaration"].as_str().expect("declaration").to_owned())
                .collect();
            assert_eq!(declarations, in_receipt, "{b}: round {round}");
            let receipts = super::service::verify_receipts(&app.state.db.pool).await.expect("receipts");
            assert!(receipts.mismatched.is_empty(), "{b}: {:?}", receipts.mismatched);
            // After the submission every further edit is refused and changes nothing.
            let late = app.call("disclosure/save_line", &refs(&forms[0]), Some(&preparer)).await;
            assert_eq!(late.status.as_u16(), 409, "{b}: {late:?}");
        }
    }
}

/// A VAT refund line (an overpayment), so the sums cover a second tax and a negative difference.
const VAT_REFUND: &[(&str, &str)] = &[
    ("line[declaration]", "50101010/200524/0000311"),
    ("line[item]", "2"),
    ("line[released]", "2024-05-21"),
    ("line[hs_declared]", "8517130000"),
    ("line[origin_declared]", "CN"),
    ("line[vat_declared]", "150000.00"),
    ("line[vat_correct]", "120000.00"),
];

/// The disclosure's kept sums (count, total, per-tax totals and interest, voluntary and prompted
/// lines, decided total) are exactly what summing every line again gives.
async fn assert_kept(app: &TestApp, id: &str, when: &str) {
    let id = crate::domain::id::DisclosureId::new(id.parse().expect("id"));
    let [kept, recomputed] = super::service::kept_and_recomputed(&app.state, id).await.expect("sums");
    assert_eq!(kept, recomputed, "{}: {when}", app.backend);
}

#[tokio::test]
async fn kept_sums_equal_a_full_recomputation_after_edits_imports_decisions_and_revisions() {
    for app in TestApp::each_backend().await {
        let b = app.backend;
        let org = app.organisation("Sums Co", "990940000204").await;
        let preparer = app.session_for(app.user(Some(org), Role::Preparer, "prep@sums.kz").await).await;
        let created =
            app.call("disclosure/create", &[("kind", "underpayment"), ("title", "Sums")], Some(&preparer)).await;
        let id = created.body.trim().to_owned();
        assert_kept(&app, &id, "a new draft").await;
        let mut lines = Vec::new();
        for fields in [STEPPE, NAMED, VAT_REFUND] {
            let saved = app.call("disclosure/save_line", &with(&id, fields), Some(&preparer)).await;
            ok(&saved, "line", b);
            lines.push(saved.body.trim().to_owned());
            assert_kept(&app, &id, "a line added").await;
        }
        let changed: Vec<(&str, &str)> =
            STEPPE.iter().map(|&(k, v)| if k == "line[duty_correct]" { (k, "2300000.00") } else { (k, v) }).collect();
        let changed = [&with(&id, &changed)[..], &[("line_id", lines[0].as_str())]].concat();
        ok(&app.call("disclosure/save_line", &changed, Some(&preparer)).await, "change", b);
        assert_kept(&app, &id, "a line changed").await;
        let removed = app
            .call("disclosure/remove_line", &[("id", id.as_str()), ("line_id", lines[1].as_str())], Some(&preparer))
            .await;
        ok(&removed, "remove", b);
        assert_kept(&app, &id, "a line removed").await;

        // Twenty more lines from a file.
        let template = app.page("/disclosures/lines-template.csv", Some(&preparer)).await;
        let mut csv = template.body.replace("\r\n", "\n");
        let example = csv.lines().nth(1).expect("example row").to_owned();
        for item in 2..=20 {
            csv.push_str(&example.replacen(",1,2024-03-16,", &format!(",{item},2024-03-16,"), 1));
            csv.push('\n');
        }
        let upload = app.upload_to(&format!("/disclosures/{id}/import"), "lines.csv", csv.as_bytes(), &preparer).await;
        let import = staged(&upload, b);
        let done = app.call("disclosure/import", &[("id", &id), ("import", &import)], Some(&preparer)).await;
        assert_eq!(done.body.trim(), "20", "{b}: {done:?}");
        assert_kept(&app, &id, "an import").await;
        let id_num: i64 = id.parse().expect("id");
        assert_eq!(app.scalar("SELECT line_count FROM disclosures WHERE id = $1", id_num).await, 22, "{b}");

        // Yesterday's draft interest is brought to today by the next page view, once.
        app.exec("UPDATE disclosures SET interest_until = interest_until - 1 WHERE id = $1", id_num).await;
        app.exec("UPDATE disclosure_totals SET interest = 0 WHERE disclosure_id = $1", id_num).await;
        let page = app.page(&format!("/disclosures/{id}"), Some(&preparer)).await;
        assert_eq!(page.status, StatusCode::OK, "{b}");
        assert_kept(&app, &id, "a draft viewed the next day").await;
        let today = crate::server::db::now().days_since_epoch();
        assert_eq!(app.scalar("SELECT interest_until FROM disclosures WHERE id = $1", id_num).await, today, "{b}");
        // A disclosure from before the sums were kept has none until first read.
        app.exec("UPDATE disclosures SET interest_until = NULL, interest_rules = NULL WHERE id = $1", id_num).await;
        app.exec("DELETE FROM disclosure_totals WHERE disclosure_id = $1", id_num).await;
        let view = app.call("disclosure/get", &[("id", &id)], Some(&preparer)).await;
        ok(&view, "get", b);
        assert!(view.body.contains("\"tax\":\"Vat\""), "{b}: the totals are back: {}", view.body);
        assert_kept(&app, &id, "a disclosure from before the sums were kept").await;

        // Submitted, reviewed, one line reopened and revised: still exact.
        let s = submitted(&app).await;
        let (sid, officer, trader) = (s.id.as_str(), Some(s.officer.as_str()), Some(s.preparer.as_str()));
        assert_kept(&app, sid, "submitted (one line prompted)").await;
        for action in ["acknowledge", "start_review"] {
            ok(&app.call("disclosure/transition", &[("id", sid), ("action", action)], officer).await, action, b);
        }
        let adjust = [
            ("id", sid),
            ("line_id", s.lines[0].as_str()),
            ("decision", "adjusted"),
            ("correct[duty_correct]", "2300000.00"),
            ("reason", "The royalty is 5 %."),
        ];
        ok(&app.call("disclosure/decide_line", &adjust, officer).await, "adjust", b);
        let reject =
            [("id", sid), ("line_id", s.lines[1].as_str()), ("decision", "rejected"), ("reason", "Not an error.")];
        ok(&app.call("disclosure/decide_line", &reject, officer).await, "reject", b);
        assert_kept(&app, sid, "line decisions").await;
        let request = [("id", sid), ("lines[0]", s.lines[1].as_str()), ("message", "Which origin?")];
        ok(&app.call("disclosure/request_info", &request, officer).await, "request", b);
        let revised: Vec<(&str, &str)> =
            NAMED.iter().map(|&(k, v)| if k == "line[duty_correct]" { (k, "100000.00") } else { (k, v) }).collect();
        let revised = [&with(sid, &revised)[..], &[("line_id", s.lines[1].as_str())]].concat();
        ok(&app.call("disclosure/save_line", &revised, trader).await, "revise", b);
        assert_kept(&app, sid, "a reopened line revised").await;
        ok(&app.call("disclosure/answer_info", &[("id", sid), ("answer", "CN.")], trader).await, "answer", b);
        assert_kept(&app, sid, "the request answered").await;
    }
}

/// The ids of customs' first queue page, in order.
async fn queue_ids(app: &TestApp, officer: &str) -> Vec<i64> {
    let queue = app.call("disclosure/queue", &[], Some(officer)).await;
    let page: serde_json::Value = serde_json::from_str(&queue.body).expect("queue json");
    page["items"].as_array().expect("items").iter().map(|i| i["id"].as_i64().expect("id")).collect()
}

#[tokio::test]
async fn the_queue_keeps_running_clocks_first_by_due_instant_and_reorders_at_start_up() {
    for app in TestApp::each_backend().await {
        let b = app.backend;
        let first = submitted(&app).await;
        let officer = first.officer.clone();
        // A second disclosure of the same trader, submitted later.
        let id = app.call("disclosure/create", &[("kind", "underpayment"), ("title", "Later")], Some(&first.preparer));
        let second = id.await.body.trim().to_owned();
        let header = [
            ("id", second.as_str()),
            ("kind", "underpayment"),
            ("title", "Later"),
            ("categories[0]", "valuation"),
            ("root_cause", "valuation_adjustment"),
            ("narrative", "Royalty not added."),
            ("discovery", "internal_audit"),
            ("corrective_action", "ERP fixed."),
        ];
        ok(&app.call("disclosure/save", &header, Some(&first.preparer)).await, "header", b);
        ok(&app.call("disclosure/save_line", &with(&second, STEPPE), Some(&first.preparer)).await, "line", b);
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        let submit = [("id", second.as_str()), ("attest", "yes")];
        ok(&app.call("disclosure/submit", &submit, Some(&first.signatory)).await, "submit", b);
        let (a, z): (i64, i64) = (first.id.parse().expect("id"), second.parse().expect("id"));
        // Both wait to be acknowledged: the earlier submission is due first.
        assert_eq!(queue_ids(&app, &officer).await, [a, z], "{b}");
        // Acknowledged, the first is due to be decided in 30 days: the second's 5 days come first.
        let ack = [("id", first.id.as_str()), ("action", "acknowledge")];
        ok(&app.call("disclosure/transition", &ack, Some(&officer)).await, "acknowledge", b);
        assert_eq!(queue_ids(&app, &officer).await, [z, a], "{b}");
        // Withdrawn, the second has no clock and goes after every running one.
        ok(&app.call("disclosure/withdraw", &[("id", &second)], Some(&first.signatory)).await, "withdraw", b);
        assert_eq!(queue_ids(&app, &officer).await, [a, z], "{b}");
        assert_eq!(app.scalar("SELECT queue_rank FROM disclosures WHERE id = $1", z).await, 1, "{b}");

        // At start-up the order is recomputed: rows from before the migration (rank 1, no due
        // instant) and rows ordered under other deadlines take their place again.
        app.exec("UPDATE disclosures SET queue_rank = 1, due_at = 0 WHERE id = $1", a).await;
        assert_eq!(super::service::reorder_queue(&app.state).await.expect("reorder"), 1, "{b}");
        assert_eq!(queue_ids(&app, &officer).await, [a, z], "{b}");
        assert_eq!(super::service::reorder_queue(&app.state).await.expect("reorder"), 0, "{b}: nothing moves twice");
        let acknowledged = app.scalar("SELECT acknowledged_at FROM disclosures WHERE id = $1", a).await;
        let due = app.scalar("SELECT due_at FROM disclosures WHERE id = $1", a).await;
        assert_eq!(due, acknowledged + 30 * 86_400_000, "{b}: decide within the configured 30 days");
    }
}

// ----------------------------------------------------------------------------- two-step mode

/// A form post as a browser without JavaScript sends it (it follows the redirect back).
async fn no_js(app: &TestApp, endpoint: &str, form: &[(&str, &str)], session: &str, page: &str) -> Reply {
    let body = form
        .iter()
        .map(|(k, v)| format!("{}={}", crate::testing::encode(k), crate::testing::encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let request = http::Request::post(format!("/api/{endpoint}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "text/html")
        .header("origin", "http://127.0.0.1:3000")
        .header("referer", format!("http://127.0.0.1:3000{page}"))
        .header("cookie", format!("senim_session={session}"))
        .body(axum::body::Body::from(body))
        .expect("request");
    app.send(request).await
}

/// The initial notice form's fields, with `amount` as the estimated amount.
fn notice<'a>(id: &'a str, amount: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("id", id),
        ("notice_kind", "underpayment"),
        ("notice_title", "Origin preference claimed without proof"),
        ("notice_from", "2024-03-01"),
        ("notice_to", "2024-04-30"),
        ("notice_categories[0]", "origin"),
        ("notice_categories[1]", "valuation"),
        ("description", "Certificates of origin expired before import; royalties missing from the customs value."),
        ("estimated_amount", amount),
        ("notice_attest", "yes"),
    ]
}

fn count_of(body: &str, part: &str) -> usize {
    body.matches(part).count()
}

#[tokio::test]
async fn an_initial_notice_fixes_voluntariness_is_accepted_extended_and_perfected_then_reviewed() {
    for app in TestApp::each_backend().await {
        let b = app.backend;
        let org = app.organisation("Two Step Co", "990940000105").await;
        let preparer = app.session_for(app.user(Some(org), Role::Preparer, "prep@two.kz").await).await;
        let signatory = app.session_for(app.user(Some(org), Role::Signatory, "sign@two.kz").await).await;
        let officer = app.session_for(app.user(None, Role::Officer, "officer@customs.kz").await).await;
        let supervisor = app.session_for(app.user(None, Role::Supervisor, "super@customs.kz").await).await;
        let (officer, supervisor) = (Some(officer.as_str()), Some(supervisor.as_str()));
        let created =
            app.call("disclosure/create", &[("kind", "underpayment"), ("title", "Origin")], Some(&preparer)).await;
        let id = created.body.trim().to_owned();
        let sid = id.parse::<i64>().expect("id");

        // The draft page offers the notice form to a signer only.
        let page = app.page(&format!("/disclosures/{id}"), Some(&signatory)).await;
        for name in ["notice_kind", "notice_from", "notice_categories[0]", "description", "estimated_amount"] {
            assert!(page.body.contains(&format!("name=\"{name}\"")), "{b}: the notice form has {name}");
        }
        let page = app.page(&format!("/disclosures/{id}"), Some(&preparer)).await;
        assert!(!page.body.contains("name=\"estimated_amount\""), "{b}: a preparer gets no notice form");

        // Bad notices: every problem at its field, nothing stored.
        for (amount, code) in [
            ("125000.001", "MoneyPrecision"),
            ("-125000", "NumberTooSmall"),
            ("1234567890123456789012345", "NumberTooLarge"),
            ("0", "NumberTooSmall"),
            ("", "Required"),
        ] {
            let bad = app.call("disclosure/file_notice", &notice(&id, amount), Some(&signatory)).await;
            assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}: {amount}: {bad:?}");
            assert!(
                bad.body.contains("\"estimated_amount\"") && bad.body.contains(code),
                "{b}: {amount}: {}",
                bad.body
            );
        }
        let bare = app
            .call("disclosure/file_notice", &[("id", id.as_str()), ("notice_kind", "underpayment")], Some(&signatory))
            .await;
        for part in [
            "\"notice_title\"",
            "\"notice_from\"",
            "\"notice_to\"",
            "\"notice_categories\"",
            "\"description\"",
            "MustConfirm",
        ] {
            assert!(bare.body.contains(part), "{b}: {part} in {}", bare.body);
        }
        let by_preparer = app.call("disclosure/file_notice", &notice(&id, "125000"), Some(&preparer)).await;
        assert_eq!(by_preparer.status, StatusCode::FORBIDDEN, "{b}: {by_preparer:?}");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM disclosure_notices WHERE disclosure_id = $1", sid).await, 0, "{b}");
        assert_eq!(app.scalar("SELECT COUNT(*) FROM disclosure_submissions WHERE disclosure_id = $1", sid).await, 0);

        // Filed without JavaScript: the post comes back to the page with the notice's receipt.
        let filed = no_js(
            &app,
            "disclosure/file_notice",
            &notice(&id, "125 000.00"),
            &signatory,
            &format!("/disclosures/{id}"),
        )
        .await;
        assert!(filed.status.is_redirection(), "{b}: {filed:?}");
        assert!(filed.location.starts_with(&format!("/disclosures/{id}?noticed=1")), "{b}: {}", filed.location);
        let page = app.page(&filed.location, Some(&signatory)).await;
        assert!(page.body.contains("Initial notice") && page.body.contains("125 000.00 KZT"), "{b}");
        assert!(page.body.contains("Not yet accepted by customs."), "{b}");
        let number: String = sqlx::query_scalar::<_, String>("SELECT number FROM disclosures WHERE id = $1")
            .bind(sid)
            .fetch_one(&app.state.db.pool)
            .await
            .expect("number");
        assert!(number.starts_with("VD-20") && page.body.contains(&number), "{b}: the notice's receipt number");
        let check = super::service::verify_receipts(&app.state.db.pool).await.expect("receipts");
        assert_eq!((check.checked, check.mismatched.len()), (1, 0), "{b}: the notice's receipt verifies");
        let noticed_at = app.scalar("SELECT noticed_at FROM disclosure_notices WHERE disclosure_id = $1", sid).await;

        // Until customs accepts it nothing changes: no lines, no extension, no perfection.
        let early_line = app.call("disclosure/save_line", &with(&id, STEPPE), Some(&preparer)).await;
        assert!(early_line.body.contains("WrongState"), "{b}: {early_line:?}");
        let early_ext = app
            .call("disclosure/request_extension", &[("id", &id), ("days", "5"), ("reason", "Late.")], Some(&signatory))
            .await;
        assert!(early_ext.body.contains("WrongState"), "{b}: {early_ext:?}");
        let early_perfect = app.call("disclosure/perfect", &[("id", &id), ("attest", "yes")], Some(&signatory)).await;
        assert!(early_perfect.body.contains("WrongState"), "{b}: {early_perfect:?}");

        // Customs sees it in the queue as a notice to accept; it cannot be acknowledged as it stands.
        let queue = app.call("disclosure/queue", &[], officer).await;
        assert!(queue.body.contains("AcceptNotice") && queue.body.contains("Two Step Co"), "{b}: {}", queue.body);
        let view = app.page(&format!("/customs/disclosures/{id}"), officer).await;
        assert!(
            view.body.contains("/api/disclosure/accept_notice") && !view.body.contains("value=\"acknowledge\""),
            "{b}"
        );
        let ack = app.call("disclosure/transition", &[("id", &id), ("action", "acknowledge")], officer).await;
        assert!(ack.body.contains("WrongState"), "{b}: a notice is not acknowledged before it is perfected: {ack:?}");

        // A document request naming the second declaration is notified after the notice.
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        let sorg = org.to_string();
        let control = app
            .call(
                "control/record",
                &[
                    ("organisation", &sorg),
                    ("kind", "document_request"),
                    ("reference", "DR-2026-090"),
                    ("declarations", "50101010/020424/0000077"),
                    ("topics[0]", "origin"),
                ],
                officer,
            )
            .await;
        let control = control.body.trim().to_owned();
        ok(&app.call("control/transition", &[("id", &control), ("action", "notify")], officer).await, "notify", b);
        let notified = app
            .scalar("SELECT notified_at FROM control_cases WHERE id = $1", control.parse::<i64>().expect("id"))
            .await;
        assert!(notified > noticed_at, "{b}: the control came after the notice");

        // Accepted: the complete disclosure is due in the rules file's 30 days.
        let today = crate::server::db::now().days_since_epoch();
        let accepted = app.call("disclosure/accept_notice", &[("id", &id)], officer).await;
        ok(&accepted, "accept", b);
        assert_eq!(accepted.body.trim(), (today + 30).to_string(), "{b}: due in perfection_days");
        let again = app.call("disclosure/accept_notice", &[("id", &id)], officer).await;
        assert!(again.body.contains("WrongState"), "{b}: {again:?}");
        let page = app.page(&format!("/disclosures/{id}"), Some(&signatory)).await;
        assert!(page.body.contains("complete disclosure: 30 days left"), "{b}: the perfection clock");

        // Extensions: a signer asks, within the maximum and with a reason, one at a time.
        let ext =
            |days: &'static str, reason: &'static str| vec![("id", id.as_str()), ("days", days), ("reason", reason)];
        let call_ext = |form: Vec<(&'static str, &str)>, who: &str| {
            let (app, who) = (&app, who.to_owned());
            let form: Vec<(&'static str, String)> = form.into_iter().map(|(k, v)| (k, v.to_owned())).collect();
            async move {
                let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                app.call("disclosure/request_extension", &form, Some(&who)).await
            }
        };
        let by_preparer = call_ext(ext("10", "Broker records arrive late."), &preparer).await;
        assert_eq!(by_preparer.status, StatusCode::FORBIDDEN, "{b}");
        let too_long = call_ext(ext("31", "Broker records arrive late."), &signatory).await;
        assert!(too_long.body.contains("\"days\"") && too_long.body.contains("NumberTooLarge"), "{b}: {too_long:?}");
        let no_reason = call_ext(ext("10", ""), &signatory).await;
        assert!(no_reason.body.contains("\"reason\"") && no_reason.body.contains("Required"), "{b}: {no_reason:?}");
        let zero = call_ext(ext("0", "x"), &signatory).await;
        assert!(zero.body.contains("NumberTooSmall"), "{b}: {zero:?}");
        let requested = no_js(
            &app,
            "disclosure/request_extension",
            &[("id", &id), ("days", "10"), ("reason", "Broker records arrive late.")],
            &signatory,
            &format!("/disclosures/{id}"),
        )
        .await;
        assert!(requested.location.starts_with(&format!("/disclosures/{id}?saved=extension")), "{b}: {requested:?}");
        let second = call_ext(ext("5", "More."), &signatory).await;
        assert!(second.body.contains("ExtensionOpen"), "{b}: one open request at a time: {second:?}");
        let open = app.scalar("SELECT id FROM disclosure_extensions WHERE disclosure_id = $1", sid).await.to_string();

        // Customs answers: a refusal needs its reason; a supervisor grants it and the date moves.
        let view = app.page(&format!("/customs/disclosures/{id}"), officer).await;
        assert!(
            view.body.contains("/api/disclosure/decide_extension") && view.body.contains("Broker records arrive late."),
            "{b}"
        );
        let bare = app
            .call("disclosure/decide_extension", &[("id", &id), ("extension", &open), ("decision", "refused")], officer)
            .await;
        assert!(bare.body.contains("\"reason\"") && bare.body.contains("Required"), "{b}: {bare:?}");
        let trader_try = app
            .call(
                "disclosure/decide_extension",
                &[("id", &id), ("extension", &open), ("decision", "granted")],
                Some(&signatory),
            )
            .await;
        assert_eq!(trader_try.status, StatusCode::FORBIDDEN, "{b}");
        let granted = app
            .call(
                "disclosure/decide_extension",
                &[("id", &id), ("extension", &open), ("decision", "granted")],
                supervisor,
            )
            .await;
        ok(&granted, "grant", b);
        assert_eq!(granted.body.trim(), (today + 40).to_string(), "{b}: the due date moved by 10 days");
        let twice = app
            .call(
                "disclosure/decide_extension",
                &[("id", &id), ("extension", &open), ("decision", "refused"), ("reason", "x")],
                officer,
            )
            .await;
        assert!(twice.body.contains("WrongState"), "{b}: answered once: {twice:?}");
        ok(&call_ext(ext("5", "The licensor's audit is late."), &signatory).await, "second request", b);
        let open = app
            .scalar("SELECT id FROM disclosure_extensions WHERE disclosure_id = $1 AND decision IS NULL", sid)
            .await
            .to_string();
        let refused = app
            .call(
                "disclosure/decide_extension",
                &[("id", &id), ("extension", &open), ("decision", "refused"), ("reason", "No grounds given.")],
                officer,
            )
            .await;
        ok(&refused, "refuse", b);
        assert_eq!(refused.body.trim(), (today + 40).to_string(), "{b}: a refusal leaves the date");
        let page = app.page(&format!("/disclosures/{id}"), Some(&signatory)).await;
        assert!(
            page.body.contains("Granted") && page.body.contains("Refused: No grounds given."),
            "{b}: every answer shown"
        );
        assert!(page.body.contains("complete disclosure: 40 days left"), "{b}");

        // The trader completes the disclosure like a draft: header and lines.
        let header = [
            ("id", id.as_str()),
            ("kind", "underpayment"),
            ("title", "Origin preference claimed without proof"),
            ("period_from", "2024-03-01"),
            ("period_to", "2024-04-30"),
            ("categories[0]", "origin"),
            ("categories[1]", "valuation"),
            ("root_cause", "preference_without_proof"),
            ("narrative", "Expired certificates; royalties not added."),
            ("discovery", "internal_audit"),
            ("corrective_action", "Certificates checked at entry."),
        ];
        ok(&app.call("disclosure/save", &header, Some(&preparer)).await, "header", b);
        for fields in [STEPPE, NAMED] {
            ok(&app.call("disclosure/save_line", &with(&id, fields), Some(&preparer)).await, "line", b);
        }

        // Overdue shows as overdue to both sides (the date set back as if time had passed).
        app.exec("UPDATE disclosure_notices SET perfection_due = perfection_due - 43 WHERE disclosure_id = $1", sid)
            .await;
        let page = app.page(&format!("/disclosures/{id}"), Some(&preparer)).await;
        assert!(page.body.contains("complete disclosure: 3 days overdue"), "{b}: the trader sees it overdue");
        assert!(page.body.contains("A signatory or administrator of your organisation files the notice"), "{b}: hint");
        let customs = app.page(&format!("/customs/disclosures/{id}"), officer).await;
        assert!(customs.body.contains("complete disclosure: 3 days overdue"), "{b}: customs sees it overdue");
        let queue = app.call("disclosure/queue", &[], officer).await;
        assert!(
            queue.body.contains("\"step\":\"Perfect\"") && queue.body.contains("\"days_left\":-3"),
            "{b}: {}",
            queue.body
        );
        let mine = app.call("disclosure/mine", &[], Some(&preparer)).await;
        assert!(mine.body.contains("\"days_left\":-3"), "{b}: {}", mine.body);

        // Perfected by a signer with the attestation: its own receipt, lines frozen, each line's
        // voluntariness at the notice's instant (the control notified since prompts nothing).
        let by_preparer = app.call("disclosure/perfect", &[("id", &id), ("attest", "yes")], Some(&preparer)).await;
        assert_eq!(by_preparer.status, StatusCode::FORBIDDEN, "{b}");
        let unattested = app.call("disclosure/perfect", &[("id", &id)], Some(&signatory)).await;
        assert!(unattested.body.contains("MustConfirm"), "{b}: {unattested:?}");
        let perfected = app.call("disclosure/perfect", &[("id", &id), ("attest", "yes")], Some(&signatory)).await;
        ok(&perfected, "perfect", b);
        assert!(perfected.body.contains(&format!("{number}-P")), "{b}: {perfected:?}");
        let late = app.call("disclosure/save_line", &with(&id, STEPPE), Some(&preparer)).await;
        assert!(late.body.contains("WrongState"), "{b}: {late:?}");
        let direct = sqlx::query("UPDATE disclosure_lines SET difference = 0 WHERE disclosure_id = $1")
            .bind(sid)
            .execute(&app.state.db.pool)
            .await;
        assert!(direct.is_err(), "{b}: the database refuses to change a perfected line");
        let got = app.call("disclosure/get", &[("id", &id)], Some(&preparer)).await;
        assert_eq!(count_of(&got.body, "\"Voluntary\""), 2, "{b}: both lines voluntary: {}", got.body);
        assert!(!got.body.contains("\"Prompted\""), "{b}: {}", got.body);
        let check = super::service::verify_receipts(&app.state.db.pool).await.expect("receipts");
        assert_eq!((check.checked, check.mismatched.len()), (2, 0), "{b}: both receipts verify");
        let page = app.page(&format!("/disclosures/{id}"), Some(&signatory)).await;
        assert!(
            page.body.contains(&format!("{number}-P")) && page.body.contains("Complete disclosure submitted"),
            "{b}"
        );
        assert!(!page.body.contains("/api/disclosure/request_extension"), "{b}: no more extensions");

        // Then the normal review: acknowledged and reviewed.
        let queue = app.call("disclosure/queue", &[("filter[status]", "perfected")], officer).await;
        assert!(queue.body.contains("\"step\":\"Acknowledge\""), "{b}: {}", queue.body);
        for action in ["acknowledge", "start_review"] {
            ok(&app.call("disclosure/transition", &[("id", &id), ("action", action)], officer).await, action, b);
        }
        for (action, n) in [
            ("disclosure.notice", 1),
            ("disclosure.accept_notice", 1),
            ("disclosure.request_extension", 2),
            ("disclosure.grant_extension", 1),
            ("disclosure.refuse_extension", 1),
            ("disclosure.perfect", 1),
            ("disclosure.acknowledge", 1),
        ] {
            let logged = sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM audit_events WHERE action = $1")
                .bind(action)
                .fetch_one(&app.state.db.pool)
                .await
                .expect("count");
            assert_eq!(logged, n, "{b}: {action} audited");
        }
    }
}

/// A refused call: endpoint, form, session.
type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str);

#[tokio::test]
async fn a_full_submission_is_never_accepted_as_a_notice_and_notice_steps_refuse_other_traders_and_drafts() {
    for app in TestApp::each_backend().await {
        let b = app.backend;
        let s = submitted(&app).await;
        let officer = Some(s.officer.as_str());
        let as_notice = app.call("disclosure/accept_notice", &[("id", &s.id)], officer).await;
        assert!(as_notice.body.contains("WrongState"), "{b}: {as_notice:?}");
        let perfect = app.call("disclosure/perfect", &[("id", &s.id), ("attest", "yes")], Some(&s.signatory)).await;
        assert!(perfect.body.contains("WrongState"), "{b}: {perfect:?}");
        let view = app.page(&format!("/customs/disclosures/{}", s.id), officer).await;
        assert!(!view.body.contains("/api/disclosure/accept_notice"), "{b}: no accept button on a full submission");

        // Another trader's disclosure, and a draft seen from customs, look like nothing at all.
        let other = app.organisation("Elsewhere Co", "990940000204").await;
        let stranger = app.session_for(app.user(Some(other), Role::TraderAdmin, "admin@elsewhere.kz").await).await;
        let draft =
            app.call("disclosure/create", &[("kind", "underpayment"), ("title", "Draft")], Some(&s.preparer)).await;
        let draft = draft.body.trim().to_owned();
        let cases: Vec<Case> = vec![
            ("disclosure/file_notice", notice(&draft, "100"), stranger.as_str()),
            (
                "disclosure/request_extension",
                vec![("id", s.id.as_str()), ("days", "5"), ("reason", "Late.")],
                stranger.as_str(),
            ),
            ("disclosure/perfect", vec![("id", s.id.as_str()), ("attest", "yes")], stranger.as_str()),
            ("disclosure/accept_notice", vec![("id", draft.as_str())], s.officer.as_str()),
            (
                "disclosure/decide_extension",
                vec![("id", draft.as_str()), ("extension", "1"), ("decision", "granted")],
                s.officer.as_str(),
            ),
        ];
        for (endpoint, form, who) in cases {
            let reply = app.call(endpoint, &form, Some(who)).await;
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "{b}: {endpoint}: {reply:?}");
        }
        // A customs administrator neither accepts nor answers extensions.
        let admin = app.session_for(app.user(None, Role::CustomsAdmin, "cadmin@customs.kz").await).await;
        for (endpoint, form) in [
            ("disclosure/accept_notice", vec![("id", s.id.as_str())]),
            ("disclosure/decide_extension", vec![("id", s.id.as_str()), ("extension", "1"), ("decision", "granted")]),
        ] {
            assert_eq!(app.call(endpoint, &form, Some(&admin)).await.status, StatusCode::FORBIDDEN, "{b}: {endpoint}");
        }
        assert_eq!(
            app.scalar("SELECT COUNT(*) FROM disclosure_notices WHERE disclosure_id > $1", 0_i64).await,
            0,
            "{b}"
        );
    }
}

#[tokio::test]
async fn the_browser_autosave_keeps_a_line_being_typed_and_saves_the_header_as_it_goes() {
    for app in TestApp::each_backend().await {
        let b = app.backend;
        let org = app.organisation("Autosave Co", "990940000105").await;
        let other = app.organisation("Elsewhere Co", "990940000204").await;
        let preparer = app.session_for(app.user(Some(org), Role::Preparer, "prep@autosave.kz").await).await;
        let colleague = app.session_for(app.user(Some(org), Role::Signatory, "sign@autosave.kz").await).await;
        let stranger = app.session_for(app.user(Some(other), Role::TraderAdmin, "admin@elsewhere.kz").await).await;
        let created =
            app.call("disclosure/create", &[("kind", "underpayment"), ("title", "Freight")], Some(&preparer)).await;
        let id = created.body.trim().to_owned();
        let path = format!("/disclosures/{id}");
        let lines = || {
            app.scalar("SELECT COUNT(*) FROM disclosure_lines WHERE disclosure_id = $1", id.parse::<i64>().expect("id"))
        };

        // Both forms of the draft are self-saving islands that post in the background; the new
        // line's form only keeps what is typed, the header saves.
        let page = app.page(&path, Some(&preparer)).await;
        assert!(page.body.contains("/api/disclosure/keep_line") && page.body.contains("/api/disclosure/save"), "{b}");
        assert!(page.body.contains("data-autosave"), "{b}: the autosave status line is in the page");

        // Half a line, as the browser posts it after a pause in typing: kept for its author only,
        // never a line of the disclosure.
        let half = [("id", id.as_str()), ("line[declaration]", "50101010/1503"), ("line[item]", "1")];
        let kept = app.call("disclosure/keep_line", &half, Some(&preparer)).await;
        assert!(kept.status.is_success(), "{b}: {kept:?}");
        assert_eq!(lines().await, 0, "{b}: nothing was added");
        let page = app.page(&path, Some(&preparer)).await;
        assert!(page.body.contains("value=\"50101010/1503\"") && page.body.contains("what you typed last time"), "{b}");
        assert!(
            !app.page(&path, Some(&colleague)).await.body.contains("value=\"50101010/1503\""),
            "{b}: never a colleague's"
        );
        // A field the form does not have is refused; another organisation's draft does not exist.
        let odd =
            app.call("disclosure/keep_line", &[("id", id.as_str()), ("line[colour]", "red")], Some(&preparer)).await;
        assert_eq!(odd.status, StatusCode::BAD_REQUEST, "{b}: {odd:?}");
        let theirs = app.call("disclosure/keep_line", &half, Some(&stranger)).await;
        assert_eq!(theirs.status, StatusCode::NOT_FOUND, "{b}: {theirs:?}");

        // "Save the line" adds it and forgets what was kept.
        ok(&app.call("disclosure/save_line", &with(&id, STEPPE), Some(&preparer)).await, "save line", b);
        assert_eq!(lines().await, 1, "{b}");
        let page = app.page(&path, Some(&preparer)).await;
        assert!(
            !page.body.contains("value=\"50101010/1503\"") && !page.body.contains("what you typed last time"),
            "{b}"
        );

        // The header's background save is the same server function as its Save button: saved for
        // the whole organisation at once; a refusal keeps what was typed for its author.
        let header = [
            ("id", id.as_str()),
            ("kind", "underpayment"),
            ("title", "Freight"),
            ("narrative", "Freight to the border was left out of the customs value."),
        ];
        ok(&app.call("disclosure/save", &header, Some(&preparer)).await, "header", b);
        assert!(app.page(&path, Some(&colleague)).await.body.contains("Freight to the border was left out"), "{b}");
        let half_header =
            [("id", id.as_str()), ("kind", "underpayment"), ("title", "Freight"), ("period_from", "2024-13-01")];
        let refused = app.call("disclosure/save", &half_header, Some(&preparer)).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{b}: {refused:?}");
        assert!(app.page(&path, Some(&preparer)).await.body.contains("value=\"2024-13-01\""), "{b}: kept as typed");
    }
}
