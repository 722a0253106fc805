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

#[tokio::test]
async fn without_javascript_a_line_form_post_comes_back_to_the_disclosure_page() {
    for app in TestApp::each_backend().await {
        let org = app.organisation("Form Co", "990940000105").await;
        let preparer = app.session_for(app.user(Some(org), Role::Preparer, "prep@form.kz").await).await;
        let created =
            app.call("disclosure/create", &[("kind", "underpayment"), ("title", "Freight")], Some(&preparer)).await;
        let id = created.body.trim().to_owned();
        let body = with(&id, STEPPE)
            .iter()
            .map(|(k, v)| format!("{}={}", crate::testing::encode(k), crate::testing::encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let request = http::Request::post("/api/disclosure/save_line")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "text/html")
            .header("origin", "http://127.0.0.1:3000")
            .header("referer", format!("http://127.0.0.1:3000/disclosures/{id}"))
            .header("cookie", format!("senim_session={preparer}"))
            .body(axum::body::Body::from(body))
            .expect("request");
        let reply = app.send(request).await;
        assert!(reply.status.is_redirection(), "{}: {reply:?}", app.backend);
        assert!(
            reply.location.starts_with(&format!("/disclosures/{id}?saved=line")),
            "{}: {}",
            app.backend,
            reply.location
        );
        let page = app.page(&reply.location, Some(&preparer)).await;
        assert!(page.body.contains("64 817.28 KZT") && page.body.contains("role=\"status\""), "{}", app.backend);
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
