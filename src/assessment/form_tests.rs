//! Every question of every shipped template answered the way a browser without JavaScript does
//! it: the section page is rendered by the server, its form is read back (field names, types,
//! options exactly as rendered), filled in, and posted as `application/x-www-form-urlencoded`;
//! evidence goes through the page's own upload forms as `multipart/form-data`; the submit page's
//! form signs it off. Nothing here knows how field names are built, so a page whose names the
//! server cannot read fails this test.

use crate::domain::id::AssessmentId;
use crate::domain::role::Role;
use crate::testing::{TestApp, encode};
use axum::body::Body;
use http::{Request, StatusCode};
use std::collections::BTreeMap;

/// One form control as rendered.
#[derive(Debug, Clone)]
struct Control {
    /// `input`, `select` or `textarea`.
    tag: String,
    name: String,
    kind: String,
    value: String,
    /// `inputmode`, `min`, `max`, `step` and the like.
    attrs: BTreeMap<String, String>,
    /// A select's option values.
    options: Vec<String>,
    /// The question (`q-<key>` block) the control sits in, if any.
    question: Option<String>,
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

/// The attributes of the tag starting at `html[start..]` (just after the tag name), and the
/// offset just past its `>`.
fn attributes(html: &str, start: usize) -> (BTreeMap<String, String>, usize) {
    let bytes = html.as_bytes();
    let mut i = start;
    let mut out = BTreeMap::new();
    while i < bytes.len() {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= bytes.len() || bytes[i] == b'>' {
            return (out, i + 1);
        }
        if bytes[i] == b'/' {
            i += 1;
            continue;
        }
        let name_start = i;
        while i < bytes.len() && !matches!(bytes[i], b'=' | b'>' | b' ' | b'/') && !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let name = html[name_start..i].to_ascii_lowercase();
        if i < bytes.len() && bytes[i] == b'=' {
            i += 1;
            let quote = bytes[i];
            if quote == b'"' || quote == b'\'' {
                let end = html[i + 1..].find(quote as char).map_or(bytes.len(), |e| i + 1 + e);
                out.insert(name, unescape(&html[i + 1..end]));
                i = end + 1;
            } else {
                let end = html[i..].find(|c: char| c.is_whitespace() || c == '>').map_or(bytes.len(), |e| i + e);
                out.insert(name, unescape(&html[i..end]));
                i = end;
            }
        } else {
            out.insert(name, String::new());
        }
    }
    (out, i)
}

/// The controls inside the form whose opening tag contains `marker`, each with the question
/// block it sits in.
fn controls(html: &str, marker: &str) -> (BTreeMap<String, String>, Vec<Control>) {
    let form_at = html.find(marker).unwrap_or_else(|| panic!("no form with {marker} in the page"));
    let form_start = html[..form_at].rfind("<form").expect("form tag");
    let (form_attrs, body_start) = attributes(html, form_start + 5);
    let body_end = html[body_start..].find("</form>").map_or(html.len(), |e| body_start + e);
    let body = &html[body_start..body_end];
    let mut out = Vec::new();
    let mut question: Option<String> = None;
    let mut i = 0;
    while let Some(lt) = body[i..].find('<') {
        let at = i + lt;
        let rest = &body[at + 1..];
        let tag: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        if tag.is_empty() {
            i = at + 1;
            continue;
        }
        let (attrs, after) = attributes(body, at + 1 + tag.len());
        if tag == "div" && attrs.get("class").is_some_and(|c| c.split(' ').any(|c| c == "question")) {
            question = attrs.get("id").and_then(|id| id.strip_prefix("q-")).map(str::to_owned);
        }
        if matches!(tag.as_str(), "input" | "select" | "textarea") && attrs.contains_key("name") {
            let mut control = Control {
                tag: tag.clone(),
                name: attrs["name"].clone(),
                kind: attrs.get("type").cloned().unwrap_or_else(|| "text".into()),
                value: attrs.get("value").cloned().unwrap_or_default(),
                attrs: attrs.clone(),
                options: Vec::new(),
                question: question.clone(),
            };
            let close = format!("</{tag}>");
            if tag != "input"
                && let Some(end) = body[after..].find(&close)
            {
                let inner = &body[after..after + end];
                if tag == "textarea" {
                    control.value = unescape(inner);
                } else {
                    let mut j = 0;
                    while let Some(o) = inner[j..].find("<option") {
                        let (option, next) = attributes(inner, j + o + 7);
                        if let Some(v) = option.get("value") {
                            control.options.push(v.clone());
                        }
                        j = next;
                    }
                }
            }
            out.push(control);
        }
        i = after;
    }
    (form_attrs, out)
}

/// A value a careful user would type into a control of this shape.
fn typed_value(control: &Control) -> String {
    let min = control
        .attrs
        .get("min")
        .or_else(|| control.attrs.get("data-min"))
        .and_then(|m| m.split('.').next().and_then(|whole| whole.parse::<i64>().ok()));
    match (control.tag.as_str(), control.kind.as_str()) {
        ("textarea", _) => "Checked by the customs manager; see the attached procedure.".into(),
        ("select", _) => control.options.iter().find(|o| !o.is_empty()).cloned().unwrap_or_default(),
        (_, "date") => "2025-06-30".into(),
        (_, "number") => min.map_or(4, |m| m.max(4)).to_string(),
        _ if control.attrs.get("inputmode").is_some_and(|m| m == "decimal" || m == "numeric") => {
            min.map_or(4, |m| m.max(4)).to_string()
        }
        _ => "Bank guarantee No. 17".into(),
    }
}

/// The form as a browser would post it: every successful control, filled in.
fn fill(controls: &[Control]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut radio_done: Vec<String> = Vec::new();
    let mut checkbox_done: Vec<String> = Vec::new();
    for c in controls {
        if c.attrs.contains_key("disabled") {
            continue;
        }
        match c.kind.as_str() {
            "hidden" => out.push((c.name.clone(), c.value.clone())),
            // The first option of every group: "yes" for yes/no, which also opens the follow-ups.
            "radio" if !radio_done.contains(&c.name) => {
                radio_done.push(c.name.clone());
                out.push((c.name.clone(), c.value.clone()));
            }
            "checkbox" if !checkbox_done.contains(&c.question.clone().unwrap_or_default()) => {
                checkbox_done.push(c.question.clone().unwrap_or_default());
                out.push((c.name.clone(), c.value.clone()));
            }
            "radio" | "checkbox" | "file" | "submit" => {}
            _ if c.name.ends_with("[justification]") => out.push((c.name.clone(), String::new())),
            // Tables: the first row filled, the others left empty as a user would.
            _ if c.name.contains("[rows][") && !c.name.contains("[rows][0]") => {
                out.push((c.name.clone(), String::new()))
            }
            _ => out.push((c.name.clone(), typed_value(c))),
        }
    }
    out
}

fn urlencoded(pairs: &[(String, String)]) -> String {
    pairs.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect::<Vec<_>>().join("&")
}

/// A no-JavaScript form post with the session cookie; returns (status, location).
async fn post_form(app: &TestApp, action: &str, pairs: &[(String, String)], session: &str) -> (StatusCode, String) {
    let request = Request::post(action)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "text/html")
        .header("referer", "http://localhost/assessments")
        .header("cookie", format!("senim_session={session}"))
        .body(Body::from(urlencoded(pairs)))
        .expect("request");
    let reply = app.send(request).await;
    (reply.status, reply.body)
}

/// A small valid file of a type the question accepts, named as a user's would be.
fn evidence_for(accept: &[crate::domain::questionnaire::FileType]) -> (&'static str, &'static str, Vec<u8>) {
    use crate::domain::questionnaire::FileType;
    let pdf = || ("procedure.pdf", "application/pdf", b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".to_vec());
    if accept.is_empty() || accept.contains(&FileType::Pdf) {
        return pdf();
    }
    if accept.contains(&FileType::Csv) {
        return ("extract.csv", "text/csv", b"sku;hs_code\r\nA-100;8471300000\r\n".to_vec());
    }
    if accept.contains(&FileType::Jpeg) {
        return ("photo.jpg", "image/jpeg", b"\xff\xd8\xff\xe0\0\x10JFIF\0".to_vec());
    }
    if accept.contains(&FileType::Png) {
        return ("photo.png", "image/png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec());
    }
    panic!("no sample file for {accept:?}")
}

async fn upload(app: &TestApp, action: &str, file: (&str, &str, Vec<u8>), session: &str) -> StatusCode {
    let boundary = "----senimFormBoundary7MA4YWxkTrZu0gW";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{}\"\r\nContent-Type: {}\r\n\r\n",
        file.0, file.1
    )
    .into_bytes();
    body.extend_from_slice(&file.2);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let request = Request::post(action)
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .header("cookie", format!("senim_session={session}"))
        .body(Body::from(body))
        .expect("request");
    app.send(request).await.status
}

/// Answers every question of `source` through the section pages, uploads evidence where the
/// template asks for it, submits, and checks every answer arrived.
async fn answer_everything(app: &TestApp, source: &str, bin: &str) {
    let template = crate::questionnaire::import::parse(source).expect("shipped template parses");
    let template_id = app.published_template(source).await;
    let org = app.organisation(&format!("Form Test {bin}"), bin).await;
    let admin = app.session_for(app.user(Some(org), Role::TraderAdmin, &format!("admin@{bin}.kz")).await).await;
    let started = app.call("assessments/start", &[("template_id", &template_id.to_string())], Some(&admin)).await;
    assert!(started.status.is_success(), "{}: {started:?}", app.backend);
    let id: AssessmentId = started.body.trim().parse().expect("assessment id");

    for section in &template.sections {
        let path = format!("/assessments/{id}/section/{}", section.key);
        let page = app.page(&path, Some(&admin)).await;
        assert_eq!(page.status, StatusCode::OK, "{} {path}", app.backend);
        let (form, fields) = controls(&page.body, "section-form");
        let action = form.get("action").cloned().expect("form action");
        let pairs = fill(&fields);
        let (status, body) = post_form(app, &action, &pairs, &admin).await;
        assert!(
            status.is_success() || status.is_redirection(),
            "{} {} section {}: {status} {body}\nposted: {pairs:?}",
            app.backend,
            template.code,
            section.key
        );
        // Evidence through the page's own upload forms.
        for q in
            section.questions.iter().filter(|q| q.evidence.level != crate::domain::questionnaire::EvidenceLevel::None)
        {
            let marker = format!("id=\"upload-{}\"", q.key);
            let page = app.page(&path, Some(&admin)).await;
            let at = page.body.find(&marker).unwrap_or_else(|| panic!("{}: no upload form for {}", app.backend, q.key));
            let start = page.body[..at].rfind("<form").expect("form");
            let (attrs, _) = attributes(&page.body, start + 5);
            let status = upload(app, &attrs["action"], evidence_for(&q.evidence.types), &admin).await;
            assert_eq!(status, StatusCode::SEE_OTHER, "{} upload for {}", app.backend, q.key);
        }
    }

    let stored: Vec<String> = sqlx::query("SELECT question_key FROM answers WHERE assessment_id = $1")
        .bind(id)
        .fetch_all(&app.state.db.pool)
        .await
        .expect("answers")
        .iter()
        .map(|r| sqlx::Row::try_get(r, "question_key").expect("key"))
        .collect();
    let unanswered: Vec<&str> =
        template.questions().map(|(_, q)| q.key.as_str()).filter(|k| !stored.iter().any(|s| s == k)).collect();
    assert!(unanswered.is_empty(), "{} {}: not saved through the form: {unanswered:?}", app.backend, template.code);

    // Sign off through the submit page's own form.
    let page = app.page(&format!("/assessments/{id}/submit"), Some(&admin)).await;
    let (form, fields) = controls(&page.body, "name=\"attest\"");
    let mut pairs: Vec<(String, String)> = fields
        .iter()
        .filter(|c| c.kind == "hidden" || c.kind == "checkbox")
        .map(|c| (c.name.clone(), c.value.clone()))
        .collect();
    pairs.dedup();
    let (status, body) = post_form(app, &form["action"], &pairs, &admin).await;
    assert!(status.is_redirection() || status.is_success(), "{} submit: {status} {body}", app.backend);
    let submitted = app.scalar("SELECT COUNT(*) FROM submissions WHERE assessment_id = $1", id).await;
    assert_eq!(submitted, 1, "{} {}: the submit form did not submit", app.backend, template.code);
}

#[tokio::test]
async fn every_question_of_every_shipped_template_saves_through_the_rendered_form() {
    crate::testing::report_backends();
    for app in TestApp::each_backend().await {
        answer_everything(&app, include_str!("../../templates/t1-general-compliance.toml"), "990140000011").await;
        answer_everything(&app, include_str!("../../templates/t2-aeo-readiness.toml"), "990140000022").await;
        answer_everything(&app, include_str!("../../templates/t3-pca-pre-visit.toml"), "990140000033").await;
    }
}
