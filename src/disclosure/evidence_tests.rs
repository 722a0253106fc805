//! Evidence files of voluntary disclosures on both databases: through the multipart upload a
//! browser sends, the download links, and the server function and forms the page posts.

use super::tests::{STEPPE, Submitted, ok, submitted, with};
use crate::domain::role::Role;
use crate::evidence::sha256_hex as file_sha256;
use crate::receipt::content_sha256;
use crate::testing::{Reply, TestApp};
use http::StatusCode;
use tower::ServiceExt;

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\nINVOICE-CANARY\n%%EOF\n";

/// A download as the browser gets it: status, headers and the exact bytes.
async fn download(app: &TestApp, path: &str, session: Option<&str>) -> (StatusCode, http::HeaderMap, Vec<u8>) {
    let mut request = http::Request::get(path);
    if let Some(token) = session {
        request = request.header("cookie", format!("senim_session={token}"));
    }
    let request = request.body(axum::body::Body::empty()).expect("request");
    let response = app.router.clone().oneshot(request).await.expect("router answers");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), 4 << 20).await.expect("body").to_vec();
    (status, headers, bytes)
}

fn header<'a>(headers: &'a http::HeaderMap, name: &str) -> &'a str {
    headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
}

/// The refusal code a no-JavaScript upload comes back to the page with.
fn refused(reply: &Reply, backend: &str) -> String {
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{backend}: {reply:?}");
    let (_, rest) =
        reply.location.split_once("evidence_error=").unwrap_or_else(|| panic!("{backend}: {}", reply.location));
    rest.split(['#', '&']).next().unwrap_or_default().to_owned()
}

/// The file id in the redirect after an accepted upload.
fn attached(reply: &Reply, backend: &str) -> String {
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{backend}: {reply:?}");
    assert!(reply.location.contains("saved=evidence"), "{backend}: {}", reply.location);
    let (_, file) = reply.location.rsplit_once("#file-").unwrap_or_else(|| panic!("{backend}: {}", reply.location));
    file.to_owned()
}

/// A draft of the preparer's organisation with a complete header and the Steppe line.
async fn draft(app: &TestApp, preparer: &str) -> String {
    let b = app.backend;
    let created =
        app.call("disclosure/create", &[("kind", "underpayment"), ("title", "Royalties")], Some(preparer)).await;
    ok(&created, "create", b);
    let id = created.body.trim().to_owned();
    let header = [
        ("id", id.as_str()),
        ("kind", "underpayment"),
        ("title", "Royalties"),
        ("categories[0]", "valuation"),
        ("root_cause", "valuation_adjustment"),
        ("narrative", "Royalty not added."),
        ("discovery", "internal_audit"),
        ("corrective_action", "ERP fixed."),
        ("corrective_due", "2026-12-31"),
    ];
    ok(&app.call("disclosure/save", &header, Some(preparer)).await, "header", b);
    ok(&app.call("disclosure/save_line", &with(&id, STEPPE), Some(preparer)).await, "line", b);
    id
}

/// Statements on the frozen files that the database itself must refuse.
const FORBIDDEN_WRITES: &[&str] = &[
    "UPDATE disclosure_evidence SET file_name = 'renamed.pdf' WHERE disclosure_id = $1",
    "UPDATE disclosure_evidence SET frozen_at = NULL WHERE disclosure_id = $1",
    "DELETE FROM disclosure_evidence WHERE disclosure_id = $1",
    "INSERT INTO disclosure_evidence (disclosure_id, purpose, file_name, media_type, size_bytes, sha256, content, \
       uploaded_by, uploaded_at) SELECT disclosure_id, purpose, 'late.pdf', media_type, size_bytes, 'late', content, \
       uploaded_by, uploaded_at FROM disclosure_evidence WHERE disclosure_id = $1",
];

async fn database_refuses_changes(app: &TestApp, id: i64) {
    for sql in FORBIDDEN_WRITES {
        let direct = sqlx::query(*sql).bind(id).execute(&app.state.db.pool).await;
        assert!(direct.is_err(), "{}: the database refuses `{sql}`", app.backend);
    }
}

#[tokio::test]
async fn evidence_files_are_uploaded_listed_downloaded_removed_and_frozen_into_the_receipt() {
    for app in TestApp::each_backend().await {
        let b = app.backend;
        let org = app.organisation("Evidence Co", "990940000105").await;
        let other = app.organisation("Elsewhere Co", "990940000204").await;
        let preparer = app.session_for(app.user(Some(org), Role::Preparer, "prep@evidence.kz").await).await;
        let signatory = app.session_for(app.user(Some(org), Role::Signatory, "sign@evidence.kz").await).await;
        let stranger = app.session_for(app.user(Some(other), Role::TraderAdmin, "admin@elsewhere.kz").await).await;
        let officer = app.session_for(app.user(None, Role::Officer, "officer@customs.kz").await).await;
        let id = draft(&app, &preparer).await;
        let id_num: i64 = id.parse().expect("id");
        let base = format!("/disclosures/{id}/evidence");
        let count = "SELECT COUNT(*) FROM disclosure_evidence WHERE disclosure_id = $1";

        // The draft page offers one multipart form whose buttons post to each open purpose.
        let page = app.page(&format!("/disclosures/{id}"), Some(&preparer)).await;
        // Seen failing once in a full parallel run and never alone: say what the page was.
        assert!(
            page.body.contains("id=\"evidence\"") && page.body.contains("No files attached yet."),
            "{b}: {} {}",
            page.status,
            page.body.split("<main").nth(1).map_or("", |m| &m[..m.len().min(1500)])
        );
        assert!(page.body.contains("enctype=\"multipart/form-data\"") && page.body.contains("name=\"file\""), "{b}");
        for purpose in ["supporting", "corrective_action"] {
            assert!(page.body.contains(&format!("formaction=\"{base}/{purpose}\"")), "{b}: {purpose} button");
        }
        assert!(!page.body.contains("evidence/info_answer"), "{b}: no answer is open");

        // Uploads as the browser posts them; any user of the organisation.
        let name = "Счёт-фактура №7.pdf";
        let invoice = attached(&app.upload_to(&format!("{base}/supporting"), name, PDF, &preparer).await, b);
        let xlsx = crate::domain::evidence::testing::xlsx();
        let plan =
            attached(&app.upload_to(&format!("{base}/corrective_action"), "erp.xlsx", &xlsx, &signatory).await, b);

        // Refusals come back to the form with their reason and store nothing.
        let big = [PDF, vec![b' '; 1024 * 1024].as_slice()].concat();
        for (file, bytes, code) in [
            ("empty.pdf", &b""[..], "FileEmpty"),
            ("big.pdf", &big[..], "FileTooLarge"),
            ("invoice.pdf", &b"MZ\x90\x00\x03\x00 a program"[..], "FileTypeNotAllowed"),
            ("again.pdf", PDF, "AlreadyAttached"),
        ] {
            let reply = app.upload_to(&format!("{base}/supporting"), file, bytes, &preparer).await;
            assert_eq!(refused(&reply, b), code, "{b}: {file}");
        }
        let unknown = app.upload_to(&format!("{base}/receipts"), "a.pdf", b"%PDF-1.7 x", &preparer).await;
        assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{b}: an unknown purpose: {unknown:?}");
        assert_eq!(app.scalar(count, id_num).await, 2, "{b}: refused files are not stored");
        let page =
            app.page(&format!("/disclosures/{id}?evidence_error=FileTypeNotAllowed#evidence"), Some(&preparer)).await;
        assert!(
            page.body.contains("id=\"evidence-error\"") && page.body.contains("This type of file is not accepted here"),
            "{b}: the reason is shown at the form"
        );

        // Listed for the trader with purpose, size and hash, and on the page with download links.
        let got = app.call("disclosure/get", &[("id", &id)], Some(&preparer)).await;
        assert!(got.body.contains(name) && got.body.contains(&file_sha256(PDF)), "{b}: {}", got.body);
        assert!(got.body.contains("\"purpose\":\"CorrectiveAction\""), "{b}: {}", got.body);
        let page = app.page(&format!("/disclosures/{id}"), Some(&preparer)).await;
        assert!(page.body.contains(&format!("href=\"/disclosures/{id}/files/{invoice}\"")), "{b}: download link");
        assert!(page.body.contains("Supports the disclosure") && page.body.contains("erp.xlsx"), "{b}");

        // Downloaded with the exact bytes, the sniffed type, a safe disposition, nosniff.
        let (status, headers, bytes) =
            download(&app, &format!("/disclosures/{id}/files/{invoice}"), Some(&preparer)).await;
        assert_eq!((status, bytes.as_slice()), (StatusCode::OK, PDF), "{b}");
        assert_eq!(header(&headers, "content-type"), "application/pdf", "{b}");
        assert_eq!(header(&headers, "x-content-type-options"), "nosniff", "{b}");
        let disposition = header(&headers, "content-disposition");
        assert!(
            disposition.starts_with("attachment; filename=\"") && disposition.contains("filename*=UTF-8''%D0%A1"),
            "{b}: {disposition}"
        );
        let (status, headers, bytes) =
            download(&app, &format!("/disclosures/{id}/files/{plan}"), Some(&preparer)).await;
        assert_eq!((status, bytes), (StatusCode::OK, xlsx.clone()), "{b}");
        assert!(header(&headers, "content-type").contains("spreadsheetml"), "{b}");

        // Another organisation's trader finds nothing; customs cannot upload, nor see a draft's file.
        let before = app.snapshot().await;
        let foreign = app.upload_to(&format!("{base}/supporting"), "x.pdf", b"%PDF-1.7 other", &stranger).await;
        assert_eq!(foreign.status, StatusCode::NOT_FOUND, "{b}: {foreign:?}");
        let (status, _, bytes) = download(&app, &format!("/disclosures/{id}/files/{invoice}"), Some(&stranger)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{b}");
        assert!(!String::from_utf8_lossy(&bytes).contains("CANARY"), "{b}");
        let removal =
            app.call("disclosure/remove_evidence", &[("id", &id), ("evidence", &invoice)], Some(&stranger)).await;
        assert_eq!(removal.status, StatusCode::NOT_FOUND, "{b}: {removal:?}");
        let customs = app.upload_to(&format!("{base}/supporting"), "x.pdf", b"%PDF-1.7 customs", &officer).await;
        assert_eq!(customs.status, StatusCode::FORBIDDEN, "{b}: {customs:?}");
        let (status, _, _) = download(&app, &format!("/disclosures/{id}/files/{invoice}"), Some(&officer)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{b}: customs does not see a draft's files");
        assert_eq!(app.snapshot().await, before, "{b}: refused calls change nothing");

        // Removed through the server function, and through the form without JavaScript.
        let letter = b"%PDF-1.4\nbroker letter\n";
        let extra = attached(&app.upload_to(&format!("{base}/supporting"), "broker.pdf", letter, &preparer).await, b);
        ok(
            &app.call("disclosure/remove_evidence", &[("id", &id), ("evidence", &extra)], Some(&preparer)).await,
            "remove",
            b,
        );
        let extra = attached(&app.upload_to(&format!("{base}/supporting"), "broker.pdf", letter, &preparer).await, b);
        let request = http::Request::post("/api/disclosure/remove_evidence")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "text/html")
            .header("origin", "http://127.0.0.1:3000")
            .header("referer", format!("http://127.0.0.1:3000/disclosures/{id}"))
            .header("cookie", format!("senim_session={preparer}"))
            .body(axum::body::Body::from(format!("id={id}&evidence={extra}")))
            .expect("request");
        let reply = app.send(request).await;
        assert!(reply.status.is_redirection(), "{b}: {reply:?}");
        assert!(reply.location.starts_with(&format!("/disclosures/{id}?saved=evidence")), "{b}: {}", reply.location);
        assert_eq!(app.scalar(count, id_num).await, 2, "{b}");

        // The receipt's content lists the files as submitted (not the removed one), and its hash
        // covers that list.
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        ok(&app.call("disclosure/submit", &[("id", &id), ("attest", "yes")], Some(&signatory)).await, "submit", b);
        let row =
            sqlx::query("SELECT number, content, content_sha256 FROM disclosure_submissions WHERE disclosure_id = $1")
                .bind(id_num)
                .fetch_one(&app.state.db.pool)
                .await
                .expect("submission");
        let number: String = sqlx::Row::try_get(&row, "number").expect("number");
        let content: String = sqlx::Row::try_get(&row, "content").expect("content");
        let sha: String = sqlx::Row::try_get(&row, "content_sha256").expect("sha");
        let parsed: serde_json::Value = serde_json::from_str(&content).expect("canonical JSON");
        let listed = parsed["evidence"].as_array().expect("an evidence list");
        assert_eq!(listed.len(), 2, "{b}: {content}");
        assert_eq!(listed[0]["name"], name, "{b}");
        assert_eq!(listed[0]["type"], "application/pdf", "{b}");
        assert_eq!(listed[0]["size"], PDF.len(), "{b}");
        assert_eq!(listed[0]["sha256"], file_sha256(PDF), "{b}");
        assert_eq!(listed[0]["purpose"], "supporting", "{b}");
        assert_eq!(listed[1]["purpose"], "corrective_action", "{b}");
        assert_eq!(listed[1]["sha256"], file_sha256(&xlsx), "{b}");
        assert!(!content.contains(&file_sha256(letter)), "{b}: the removed file is not in the receipt");
        assert_eq!(content_sha256(&content), sha, "{b}");
        let mut other_files = parsed.clone();
        other_files["evidence"][1]["sha256"] = serde_json::json!(file_sha256(letter));
        assert_ne!(content_sha256(&other_files.to_string()), sha, "{b}: other evidence, another receipt hash");
        let receipt = app.page(&format!("/disclosures/{id}"), Some(&signatory)).await;
        assert!(receipt.body.contains(&sha) && receipt.body.contains("Sent to customs"), "{b}");
        let check = super::service::verify_receipts(&app.state.db.pool).await.expect("receipts");
        assert_eq!((check.checked, check.mismatched.len()), (1, 0), "{b}");

        // Frozen: the service refuses, and so does the database.
        let late = app.upload_to(&format!("{base}/supporting"), "late.pdf", b"%PDF-1.7 late", &preparer).await;
        assert_eq!(refused(&late, b), "NotEditable", "{b}");
        let removal =
            app.call("disclosure/remove_evidence", &[("id", &id), ("evidence", &invoice)], Some(&preparer)).await;
        assert!(removal.body.contains("WrongState"), "{b}: {removal:?}");
        database_refuses_changes(&app, id_num).await;
        assert_eq!(app.scalar(count, id_num).await, 2, "{b}");
        let page = app.page(&format!("/disclosures/{id}"), Some(&preparer)).await;
        assert!(!page.body.contains("formaction=") && !page.body.contains("evidence-form"), "{b}: no upload form");

        // Customs lists and downloads the submitted files; each read is audit-logged.
        let view = app.call("disclosure/inspect", &[("id", &id)], Some(&officer)).await;
        assert!(view.body.contains(name) && view.body.contains("erp.xlsx"), "{b}: {}", view.body);
        let page = app.page(&format!("/customs/disclosures/{id}"), Some(&officer)).await;
        assert!(page.body.contains(&format!("href=\"/disclosures/{id}/files/{invoice}\"")), "{b}");
        let (status, headers, bytes) =
            download(&app, &format!("/disclosures/{id}/files/{invoice}"), Some(&officer)).await;
        assert_eq!((status, bytes.as_slice()), (StatusCode::OK, PDF), "{b}");
        assert_eq!(header(&headers, "x-content-type-options"), "nosniff", "{b}");
        let views = "SELECT COUNT(*) FROM audit_events WHERE action = 'disclosure.evidence_view' AND seq > $1";
        assert_eq!(app.scalar(views, 0_i64).await, 1, "{b}");

        // A file changed behind the application's back no longer matches its receipt.
        let bypass = if b == "sqlite" {
            "DROP TRIGGER disclosure_evidence_frozen_update"
        } else {
            "ALTER TABLE disclosure_evidence DISABLE TRIGGER disclosure_evidence_frozen"
        };
        sqlx::query(bypass).execute(&app.state.db.pool).await.expect("bypass the trigger");
        sqlx::query("UPDATE disclosure_evidence SET content = $1 WHERE id = $2")
            .bind(b"%PDF-1.7 forged".to_vec())
            .bind(invoice.parse::<i64>().expect("file"))
            .execute(&app.state.db.pool)
            .await
            .expect("forge");
        let check = super::service::verify_receipts(&app.state.db.pool).await.expect("receipts");
        assert_eq!(check.mismatched, vec![number], "{b}: the forged file is found");
    }
}

#[tokio::test]
async fn answers_to_an_information_request_and_to_the_right_to_be_heard_carry_files_frozen_with_them() {
    for app in TestApp::each_backend().await {
        let b = app.backend;
        let Submitted { id, lines, preparer, officer, .. } = submitted(&app).await;
        let (trader, customs) = (Some(preparer.as_str()), Some(officer.as_str()));
        let id_num: i64 = id.parse().expect("id");
        let base = format!("/disclosures/{id}/evidence");
        for action in ["acknowledge", "start_review"] {
            ok(&app.call("disclosure/transition", &[("id", &id), ("action", action)], customs).await, action, b);
        }
        let request = [("id", id.as_str()), ("lines[0]", lines[1].as_str()), ("message", "Send the certificate.")];
        ok(&app.call("disclosure/request_info", &request, customs).await, "request", b);

        // Only the answer's files are open now.
        let page = app.page(&format!("/disclosures/{id}"), trader).await;
        assert!(page.body.contains(&format!("formaction=\"{base}/info_answer\"")), "{b}");
        assert!(page.body.contains("Upload with your answer") && !page.body.contains("evidence/supporting"), "{b}");
        let supporting = app.upload_to(&format!("{base}/supporting"), "late.pdf", b"%PDF-1.7 late", &preparer).await;
        assert_eq!(refused(&supporting, b), "NotEditable", "{b}");
        let certificate = b"%PDF-1.7\norigin certificate CT-KZ 0042\n";
        let cert =
            attached(&app.upload_to(&format!("{base}/info_answer"), "ct-kz.pdf", certificate, &preparer).await, b);

        // Customs sees nothing of the answer before it is sent.
        let (status, _, _) = download(&app, &format!("/disclosures/{id}/files/{cert}"), customs).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{b}");
        let view = app.call("disclosure/inspect", &[("id", &id)], customs).await;
        assert!(!view.body.contains("ct-kz.pdf"), "{b}: {}", view.body);

        // Sent with the answer: customs downloads it, it cannot be removed, the audit event names it.
        ok(
            &app.call("disclosure/answer_info", &[("id", &id), ("answer", "Certificate attached.")], trader).await,
            "answer",
            b,
        );
        let (status, _, bytes) = download(&app, &format!("/disclosures/{id}/files/{cert}"), customs).await;
        assert_eq!((status, bytes.as_slice()), (StatusCode::OK, &certificate[..]), "{b}");
        let removal = app.call("disclosure/remove_evidence", &[("id", &id), ("evidence", &cert)], trader).await;
        assert!(removal.body.contains("WrongState"), "{b}: {removal:?}");
        let named = "SELECT COUNT(*) FROM audit_events WHERE action = 'disclosure.answer_info' AND details LIKE $1";
        assert_eq!(app.scalar(named, format!("%{}%", file_sha256(certificate))).await, 1, "{b}");
        let again = app.upload_to(&format!("{base}/info_answer"), "more.pdf", b"%PDF-1.7 more", &preparer).await;
        assert_eq!(refused(&again, b), "NotEditable", "{b}");
        database_refuses_changes(&app, id_num).await;

        // The right to be heard: objections with a file, frozen when sent.
        let propose = [("id", id.as_str()), ("outcome", "accepted_not_voluntary"), ("reasons", "Line 2 was prompted.")];
        ok(&app.call("disclosure/propose", &propose, customs).await, "propose", b);
        let letter = b"%PDF-1.7\nlicence dates\n";
        let objection =
            attached(&app.upload_to(&format!("{base}/hearing_answer"), "dates.pdf", letter, &preparer).await, b);
        let heard = [("id", id.as_str()), ("hearing_answer", "We found it before the request.")];
        ok(&app.call("disclosure/answer_hearing", &heard, trader).await, "hearing", b);
        let (status, _, bytes) = download(&app, &format!("/disclosures/{id}/files/{objection}"), customs).await;
        assert_eq!((status, bytes.as_slice()), (StatusCode::OK, &letter[..]), "{b}");
        let late = app.upload_to(&format!("{base}/hearing_answer"), "late.pdf", b"%PDF-1.7 late", &preparer).await;
        assert_eq!(refused(&late, b), "NotEditable", "{b}");
        let page = app.page(&format!("/customs/disclosures/{id}"), customs).await;
        assert!(
            page.body.contains("Objections") && page.body.contains("dates.pdf") && page.body.contains("ct-kz.pdf"),
            "{b}"
        );
        database_refuses_changes(&app, id_num).await;
    }
}

#[tokio::test]
async fn the_evidence_endpoints_enforce_their_rule_for_every_role_and_organisation() {
    for app in TestApp::each_backend().await {
        let b = app.backend;
        let a = app.organisation("CANARY-A", "990940000105").await;
        let other = app.organisation("CANARY-B", "990940000204").await;
        let owner = app.session_for(app.user(Some(a), Role::Preparer, "owner@a.kz").await).await;
        let id = draft(&app, &owner).await;
        let secret = b"%PDF-1.7\nSECRET-CANARY\n";
        let file = attached(
            &app.upload_to(&format!("/disclosures/{id}/evidence/supporting"), "s.pdf", secret, &owner).await,
            b,
        );
        let mut callers: Vec<(&str, Option<Role>, String)> = vec![("anonymous", None, String::new())];
        for (label, org, role, email) in [
            ("trader_admin", Some(a), Role::TraderAdmin, "admin@a.kz"),
            ("preparer", Some(a), Role::Preparer, "preparer@a.kz"),
            ("signatory", Some(a), Role::Signatory, "signatory@a.kz"),
            ("other_trader", Some(other), Role::TraderAdmin, "admin@b.kz"),
            ("officer", None, Role::Officer, "officer@customs.kz"),
            ("supervisor", None, Role::Supervisor, "supervisor@customs.kz"),
            ("customs_admin", None, Role::CustomsAdmin, "cadmin@customs.kz"),
        ] {
            callers.push((label, Some(role), app.session_for(app.user(org, role, email).await).await));
        }
        for (label, role, session) in &callers {
            let own = matches!(label, &"trader_admin" | &"preparer" | &"signatory");
            let customs = role.is_some_and(|r| Role::CUSTOMS.contains(&r));
            let before = app.snapshot().await;
            let bytes = format!("%PDF-1.7\nfrom {label}\n");
            let upload = app
                .upload_to(&format!("/disclosures/{id}/evidence/supporting"), "f.pdf", bytes.as_bytes(), session)
                .await;
            let expected = match (role, own, customs) {
                (None, _, _) => StatusCode::UNAUTHORIZED,
                (_, true, _) => StatusCode::SEE_OTHER,
                (_, _, true) => StatusCode::FORBIDDEN,
                _ => StatusCode::NOT_FOUND,
            };
            assert_eq!(upload.status, expected, "{b}: upload as {label}: {upload:?}");
            if own {
                attached(&upload, b);
            } else {
                assert_eq!(app.snapshot().await, before, "{b}: a refused upload as {label} changed data");
            }
            let token = (!session.is_empty()).then_some(session.as_str());
            let (status, _, body) = download(&app, &format!("/disclosures/{id}/files/{file}"), token).await;
            let expected = match (role, own) {
                (None, _) => StatusCode::UNAUTHORIZED,
                (_, true) => StatusCode::OK,
                // Customs too: a draft's file is not found.
                _ => StatusCode::NOT_FOUND,
            };
            assert_eq!(status, expected, "{b}: download as {label}");
            assert_eq!(String::from_utf8_lossy(&body).contains("SECRET-CANARY"), own, "{b}: download as {label}");
        }
    }
}
