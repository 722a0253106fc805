//! Crash safety of the real binary: `senim serve` is killed with SIGKILL while submissions and
//! autosaves are in flight, several times over; afterwards the audit chain verifies (`senim audit
//! verify`) and every issued receipt's hash matches its stored content. Needs the release binary,
//! which `make test` builds before the cargo tests; without it the test says so loudly and passes.

use crate::domain::id::AssessmentId;
use crate::domain::role::Role;
use crate::testing::{TestApp, encode};
use std::path::PathBuf;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const KILLS: usize = 5;
const ASSESSMENTS: usize = 30;

const TEMPLATE: &str = r#"code = "K"
version = "1.0.0"
purpose = "general_compliance"
title = { kk = "Тест", ru = "Тест", en = "Test" }

[[sections]]
key = "A"
weight = 10
title = { kk = "А", ru = "А", en = "A" }

[[sections.questions]]
key = "A1"
weight = 1
text = { kk = "Сипаттаңыз", ru = "Опишите", en = "Describe" }
kind = { type = "text", max_chars = 2000 }
"#;

fn binary() -> Option<PathBuf> {
    // The clone's own build first (what `make test` just built), then an explicit or shared one.
    let candidates = [
        std::env::var("SENIM_BIN").ok().map(PathBuf::from),
        Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/senim")),
        std::env::var("CARGO_TARGET_DIR").ok().map(|d| PathBuf::from(d).join("release/senim")),
    ];
    candidates.into_iter().flatten().find(|p| p.is_file())
}

/// One form POST over a fresh TCP connection; the answer is read and ignored (the server may
/// die mid-answer, which is the point).
async fn post(port: u16, path: &str, body: String, token: &str) {
    let Ok(mut stream) = tokio::net::TcpStream::connect(("127.0.0.1", port)).await else { return };
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Accept: application/json\r\nCookie: senim_session={token}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    if stream.write_all(request.as_bytes()).await.is_ok() {
        let mut sink = Vec::new();
        tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut sink)).await.ok();
    }
}

#[tokio::test]
async fn killing_the_server_during_writes_leaves_the_audit_chain_and_every_receipt_intact() {
    let Some(bin) = binary() else {
        eprintln!(
            "\n!!! SKIPPED kill -9 crash test: no release binary (target/release/senim); `make test` builds it first !!!\n"
        );
        return;
    };
    eprintln!("kill -9 crash test with {}", bin.display());
    let url = TestApp::sqlite_url();
    let (preparer, signatory, ids) = {
        let app = TestApp::at(&url).await;
        let template = app.published_template(TEMPLATE).await;
        let org = app.organisation("Crash Test Co", "990940000105").await;
        let preparer = app.session_for(app.user(Some(org), Role::Preparer, "prep@crash.kz").await).await;
        let signatory = app.session_for(app.user(Some(org), Role::Signatory, "sign@crash.kz").await).await;
        let mut ids = Vec::new();
        for _ in 0..ASSESSMENTS {
            let started =
                app.call("assessments/start", &[("template_id", &template.to_string())], Some(&preparer)).await;
            ids.push(started.body.trim().parse::<AssessmentId>().expect("assessment id"));
        }
        app.state.db.pool.close().await;
        (preparer, signatory, ids)
    };
    let site = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/site");
    for round in 0..KILLS {
        let port = std::net::TcpListener::bind("127.0.0.1:0").expect("port").local_addr().expect("addr").port();
        let mut child = std::process::Command::new(&bin)
            .arg("serve")
            .env("DATABASE_URL", &url)
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("LEPTOS_SITE_ROOT", &site)
            .env("LEPTOS_OUTPUT_NAME", "senim")
            .env("LEPTOS_ENV", "PROD")
            .env("RUST_LOG", "senim=error")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn senim serve");
        let mut ready = false;
        for _ in 0..200 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                ready = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        if !ready {
            child.kill().ok();
            panic!("senim serve did not start (round {round})");
        }
        let mut load = tokio::task::JoinSet::new();
        for (n, id) in ids.iter().copied().enumerate() {
            let (preparer, signatory) = (preparer.clone(), signatory.clone());
            load.spawn(async move {
                for k in 0..20 {
                    let text = encode(&format!("round {round} save {k} of assessment {id}"));
                    post(
                        port,
                        "/api/assessments/save_section",
                        format!("id={id}&section=A&answers%5BqA1%5D%5Bvalue%5D={text}"),
                        &preparer,
                    )
                    .await;
                    if k == 3 + (n + round) % 10 {
                        post(port, "/api/assessments/submit", format!("id={id}&attest=yes"), &signatory).await;
                    }
                }
            });
        }
        // Kill while the writes are in flight, at a different moment each round.
        tokio::time::sleep(Duration::from_millis(150 + 90 * round as u64)).await;
        // `Child::kill` is SIGKILL on Unix: no shutdown hook, no final commit.
        child.kill().expect("SIGKILL");
        child.wait().expect("reaped");
        load.abort_all();
        while load.join_next().await.is_some() {}
    }
    let verify = std::process::Command::new(&bin)
        .args(["audit", "verify"])
        .env("DATABASE_URL", &url)
        .output()
        .expect("senim audit verify");
    let said = String::from_utf8_lossy(&verify.stdout);
    assert!(
        verify.status.success(),
        "audit verify after {KILLS} kills: {said} {}",
        String::from_utf8_lossy(&verify.stderr)
    );
    let app = TestApp::at(&url).await;
    let receipts = crate::assessment::service::verify_receipts(&app.state.db.pool).await.expect("receipts");
    assert!(receipts.mismatched.is_empty(), "receipts that do not match their content: {:?}", receipts.mismatched);
    eprintln!("kill -9 x{KILLS}: {said}; {} receipts checked", receipts.checked);
}
