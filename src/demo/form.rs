//! The demo's answers go in as a browser sends them: each demo user gets a session, and every
//! start, section save, evidence upload and submission is an HTTP request through the real router
//! (same middleware, same form decoding, field names built the way the section page builds them).
//! A form the server cannot read therefore breaks `senim demo`, not just a test.

use crate::domain::form_key;
use crate::domain::id::{AssessmentId, UserId};
use crate::domain::questionnaire::{AnswerKind, FileType, Section, Template};
use crate::server::state::AppState;
use anyhow::{Context, anyhow, bail};
use axum::{Router, body::Body};
use http::{Request, StatusCode};
use tower::ServiceExt;

/// One signed-in demo user talking to the router in process.
pub(super) struct Browser {
    router: Router,
    cookie: String,
}

use crate::ui::form::url_encode as encode;

impl Browser {
    /// A session for `user_id`, as signing in would create it.
    pub(super) async fn signed_in(state: &AppState, user_id: UserId) -> anyhow::Result<Self> {
        let mut tx = state.db.begin().await?;
        let token = crate::auth::service::start_session(state, &mut tx, user_id)
            .await
            .map_err(|e| anyhow!("session for user {user_id}: {e:?}"))?;
        tx.commit().await?;
        let cookie = format!("{}={token}", state.config.session_cookie());
        Ok(Self { router: crate::server::router::router(state.clone()), cookie })
    }

    async fn send(&self, request: Request<Body>) -> anyhow::Result<(StatusCode, String)> {
        let response = self.router.clone().oneshot(request).await.map_err(|e| anyhow!("router: {e}"))?;
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.map_err(|e| anyhow!("body: {e}"))?;
        Ok((status, String::from_utf8_lossy(&bytes).into_owned()))
    }

    /// Posts a form to a server function, as the page's form does; returns the reply body.
    pub(super) async fn post(&self, endpoint: &str, pairs: &[(String, String)]) -> anyhow::Result<String> {
        let body = pairs.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect::<Vec<_>>().join("&");
        let request = Request::post(format!("/api/{endpoint}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .header("sec-fetch-site", "same-origin")
            .header("cookie", &self.cookie)
            .body(Body::from(body))?;
        let (status, body) = self.send(request).await?;
        if !status.is_success() {
            bail!("{endpoint}: {status} {body}");
        }
        Ok(body)
    }

    /// Uploads a file through a question's evidence form (`multipart/form-data`).
    pub(super) async fn upload(
        &self,
        id: AssessmentId,
        question: &str,
        name: &str,
        bytes: &[u8],
    ) -> anyhow::Result<()> {
        let location = self.upload_to(&format!("/assessments/{id}/evidence/{question}"), name, bytes).await?;
        // Success redirects back to the section; a refusal redirects with `upload_error`.
        if location.contains("upload_error") {
            bail!("evidence for {question}: {location}");
        }
        Ok(())
    }

    /// Posts a file as the `file` field of a `multipart/form-data` form, as the page's upload form
    /// does; returns where the reply redirects.
    pub(super) async fn upload_to(&self, path: &str, name: &str, bytes: &[u8]) -> anyhow::Result<String> {
        let boundary = "----senimDemoBoundary5d1c9e";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let request = Request::post(path)
            .header("content-type", format!("multipart/form-data; boundary={boundary}"))
            .header("sec-fetch-site", "same-origin")
            .header("cookie", &self.cookie)
            .body(Body::from(body))?;
        let response = self.router.clone().oneshot(request).await.map_err(|e| anyhow!("router: {e}"))?;
        let status = response.status();
        let location = response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        if status != StatusCode::SEE_OTHER {
            let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.map_err(|e| anyhow!("body: {e}"))?;
            bail!("upload to {path}: {status} {}", String::from_utf8_lossy(&bytes));
        }
        Ok(location)
    }
}

/// The form fields of one section filled with `answers` (question key → TOML value), named as
/// the section page names them.
pub(super) fn section_fields(
    id: AssessmentId,
    section: &Section,
    answers: &toml::Table,
) -> anyhow::Result<Vec<(String, String)>> {
    let mut out = vec![("id".to_owned(), id.to_string()), ("section".to_owned(), section.key.clone())];
    for q in &section.questions {
        let Some(value) = answers.get(&q.key) else { continue };
        let field = |part: &str| format!("answers[{}][{part}]", form_key::encode(&q.key));
        match (&q.kind, value) {
            (AnswerKind::MultiChoice { .. }, toml::Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    let choice = item.as_str().with_context(|| format!("{}: choices are strings", q.key))?;
                    out.push((field(&format!("choices][{i}")), choice.to_owned()));
                }
            }
            (AnswerKind::Table { .. }, toml::Value::Array(rows)) => {
                for (r, row) in rows.iter().enumerate() {
                    let cells = row.as_array().with_context(|| format!("{}: a table is a list of rows", q.key))?;
                    for (c, cell) in cells.iter().enumerate() {
                        let cell = cell.as_str().with_context(|| format!("{}: cells are strings", q.key))?;
                        out.push((field(&format!("rows][{r}][{c}")), cell.to_owned()));
                    }
                }
            }
            (AnswerKind::Money, toml::Value::Table(money)) => {
                let part = |k: &str| money.get(k).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
                out.push((field("value"), part("value")));
                out.push((field("currency"), part("currency")));
            }
            (_, toml::Value::String(text)) => out.push((field("value"), text.clone())),
            _ => bail!("{}: a value of the wrong shape for its question", q.key),
        }
    }
    Ok(out)
}

/// A one-page PDF holding `lines` of text: real enough that a viewer opens it.
pub(super) fn pdf(lines: &[&str]) -> Vec<u8> {
    let escape = |s: &str| s.replace('\\', "\\\\").replace('(', "\\(").replace(')', "\\)");
    let mut text = String::from("BT /F1 11 Tf 56 780 Td 14 TL");
    for line in lines {
        text.push_str(&format!(" ({}) Tj T*", escape(line)));
    }
    text.push_str(" ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_owned(),
        format!("<< /Length {} >>\nstream\n{text}\nendstream", text.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
    );
    out
}

/// A file for a question's evidence, of a type it accepts: a CSV extract where a spreadsheet is
/// asked for and CSV is allowed, otherwise a PDF.
pub(super) fn evidence(template: &Template, key: &str, organisation: &str) -> anyhow::Result<(String, Vec<u8>)> {
    let q = template.question(key).with_context(|| format!("no question {key}"))?;
    let accepts = |t: FileType| q.evidence.types.is_empty() || q.evidence.types.contains(&t);
    let what = q.evidence.description.as_ref().map(|d| d.get(crate::domain::language::Language::En).to_owned());
    let what = what.unwrap_or_else(|| format!("Evidence for question {key}"));
    if accepts(FileType::Csv) && !accepts(FileType::Pdf) {
        let csv = "\u{feff}sku;description;hs_code;reviewed_on\r\n\
                   ST-1042;Laptop computer, 14 inch;8471300000;2025-02-11\r\n\
                   ST-2210;LCD monitor, 27 inch;8528520000;2025-02-11\r\n\
                   ST-3307;Network switch, 24 ports;8517620003;2025-03-04\r\n";
        return Ok((format!("{key}-product-master.csv"), csv.as_bytes().to_vec()));
    }
    if !accepts(FileType::Pdf) {
        bail!("question {key} takes neither PDF nor CSV");
    }
    let title = format!("{organisation}: {what}");
    let slug: String = what
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .take(40)
        .collect::<String>()
        .trim_matches('-')
        .to_owned();
    let lines = [title.as_str(), "Approved by the director.", "In force from 1 February 2025."];
    Ok((format!("{key}-{slug}.pdf"), pdf(&lines)))
}
