//! Test support: a fresh database per test on SQLite and, when `TEST_POSTGRES_URL` is set, on
//! PostgreSQL; the real router driven in process; helpers to create people and call server
//! functions over HTTP exactly as a browser would.

use crate::domain::id::{AssessmentId, OrganisationId, TemplateId, UserId};
use crate::domain::role::Role;
use crate::domain::time::Timestamp;
use crate::organisation::db::{NewOrganisation, NewUser, Scope, insert_organisation, insert_user};
use crate::server::{
    config::Config,
    db::{Db, now},
    router::router,
    state::AppState,
};
use axum::{Router, body::Body};
use http::{Request, StatusCode};
use sqlx::Row;
use tower::ServiceExt;

/// A value bound as a query parameter: a typed id, a timestamp or a plain number.
pub trait Param: for<'q> sqlx::Encode<'q, sqlx::Any> + sqlx::Type<sqlx::Any> {}
impl<T: for<'q> sqlx::Encode<'q, sqlx::Any> + sqlx::Type<sqlx::Any>> Param for T {}

/// One application instance on one fresh database.
pub struct TestApp {
    /// The state the router serves.
    pub state: AppState,
    /// The full router, for tests that need the raw response (headers, encodings).
    pub router: Router,
    /// `sqlite` or `postgres`, for assertion messages.
    pub backend: &'static str,
}

/// A server function's answer.
#[derive(Debug)]
pub struct Reply {
    /// HTTP status.
    pub status: StatusCode,
    /// Body text.
    pub body: String,
    /// Every `Set-Cookie` header.
    pub cookies: Vec<String>,
    /// `Retry-After`, if any.
    pub retry_after: Option<String>,
    /// `Location` of a redirect, or empty.
    pub location: String,
}

impl Reply {
    /// The session token set by this reply, if any.
    pub fn session(&self) -> Option<String> {
        self.cookies.iter().find_map(|c| {
            c.strip_prefix("senim_session=")
                .map(|rest| rest.split(';').next().unwrap_or_default().to_owned())
                .filter(|t| !t.is_empty())
        })
    }
}

fn random_suffix() -> String {
    let mut bytes = [0u8; 6];
    getrandom::fill(&mut bytes).expect("random");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl TestApp {
    /// A fresh app on SQLite, plus one on PostgreSQL when `TEST_POSTGRES_URL` is set.
    pub async fn each_backend() -> Vec<TestApp> {
        let mut apps = vec![Self::sqlite().await];
        if let Some(app) = Self::postgres().await {
            apps.push(app);
        }
        apps
    }

    /// Like [`TestApp::each_backend`], with the test configuration changed by `tweak`.
    pub async fn each_backend_with(tweak: fn(&mut Config)) -> Vec<TestApp> {
        let mut apps = vec![Self::on_with(&Self::sqlite_url(), "sqlite", tweak).await];
        if let Some(base) = std::env::var("TEST_POSTGRES_URL").ok().filter(|u| !u.is_empty()) {
            apps.push(Self::postgres_at(&base, tweak).await);
        }
        apps
    }

    /// A fresh app on a new SQLite file.
    pub async fn sqlite() -> TestApp {
        Self::on(&Self::sqlite_url(), "sqlite").await
    }

    /// The URL of a new SQLite file in the tests' temporary folder.
    pub fn sqlite_url() -> String {
        let dir = std::env::temp_dir().join("senim-tests");
        std::fs::create_dir_all(&dir).expect("temp dir");
        format!("sqlite://{}/{}.db?mode=rwc", dir.display(), random_suffix())
    }

    /// An app on an existing database URL (e.g. a SQLite file a spawned server also uses).
    pub async fn at(url: &str) -> TestApp {
        Self::on(url, if url.starts_with("sqlite:") { "sqlite" } else { "postgres" }).await
    }

    /// A fresh app in a new PostgreSQL schema, if a server is configured. The schema's name
    /// travels as a bound parameter to a helper function (an identifier cannot be one in `CREATE`),
    /// and the app connects with that schema as its search path.
    pub async fn postgres() -> Option<TestApp> {
        let base = std::env::var("TEST_POSTGRES_URL").ok().filter(|u| !u.is_empty())?;
        Some(Self::postgres_at(&base, |_| {}).await)
    }

    /// A fresh app in a new schema of the PostgreSQL server at `base` (which may be a proxy in
    /// front of the real one), with the test configuration changed by `tweak`.
    pub async fn postgres_at(base: &str, tweak: fn(&mut Config)) -> TestApp {
        sqlx::any::install_default_drivers();
        let name = format!("senim_test_{}", random_suffix());
        let admin = sqlx::AnyPool::connect(base).await.expect("TEST_POSTGRES_URL is set but PostgreSQL is unreachable");
        let mut conn = admin.acquire().await.expect("connection");
        // Parallel tests would race on CREATE OR REPLACE FUNCTION: serialise it.
        sqlx::query("SELECT pg_advisory_lock(7363)").execute(&mut *conn).await.expect("lock");
        sqlx::raw_sql(
            "CREATE OR REPLACE FUNCTION senim_test_schema(name text) RETURNS void LANGUAGE plpgsql \
             AS $$ BEGIN EXECUTE format('CREATE SCHEMA %I', name); END $$",
        )
        .execute(&mut *conn)
        .await
        .expect("schema helper");
        sqlx::query("SELECT pg_advisory_unlock(7363)").execute(&mut *conn).await.expect("unlock");
        sqlx::query("SELECT senim_test_schema($1)").bind(name.clone()).execute(&mut *conn).await.expect("schema");
        drop(conn);
        admin.close().await;
        let separator = if base.contains('?') { '&' } else { '?' };
        Self::on_with(&format!("{base}{separator}options=-c%20search_path%3D{name}"), "postgres", tweak).await
    }

    async fn on(url: &str, backend: &'static str) -> TestApp {
        Self::on_with(url, backend, |_| {}).await
    }

    async fn on_with(url: &str, backend: &'static str, tweak: fn(&mut Config)) -> TestApp {
        let db = Db::connect(url).await.expect("connect and migrate");
        let conf = leptos::prelude::get_configuration(Some("Cargo.toml")).expect("leptos configuration");
        let mut config = Config::for_tests(url);
        tweak(&mut config);
        let state = AppState::new(crate::server::state::site_options(conf.leptos_options), db, config);
        TestApp { router: router(state.clone()), state, backend }
    }

    /// POSTs a server function form (`/api/<endpoint>`) with an optional session token.
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)], session: Option<&str>) -> Reply {
        let body = form.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect::<Vec<_>>().join("&");
        let mut request = Request::post(format!("/api/{endpoint}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json");
        if let Some(token) = session {
            request = request.header("cookie", format!("senim_session={token}"));
        }
        self.send(request.body(Body::from(body)).expect("request")).await
    }

    /// Sends any request through the full router.
    pub async fn send(&self, request: Request<Body>) -> Reply {
        let path = request.uri().path().to_owned();
        let response = self.router.clone().oneshot(request).await.expect("router answers");
        let status = response.status();
        let cookies = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect();
        let retry_after = response.headers().get("retry-after").and_then(|v| v.to_str().ok()).map(str::to_owned);
        let location = response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        let bytes = axum::body::to_bytes(response.into_body(), 4 << 20).await.expect("body");
        let body = String::from_utf8_lossy(&bytes).into_owned();
        if status.is_server_error() || status == StatusCode::REQUEST_TIMEOUT {
            // Shown with a failing test's output: what the server said, not only that a page lacked something.
            eprintln!("{} {}: {status} {}", self.backend, path, &body[..body.len().min(2000)]);
        }
        Reply { status, body, cookies, retry_after, location }
    }

    /// GETs a page with an optional session token.
    pub async fn page(&self, path: &str, session: Option<&str>) -> Reply {
        let mut request = Request::get(path).header("accept", "text/html").header("accept-language", "en");
        if let Some(token) = session {
            request = request.header("cookie", format!("senim_session={token}"));
        }
        self.send(request.body(Body::empty()).expect("request")).await
    }

    /// Creates an organisation directly in the database.
    pub async fn organisation(&self, name: &str, bin: &str) -> OrganisationId {
        let mut conn = self.state.db.pool.acquire().await.expect("conn");
        let org =
            NewOrganisation { scheme: "bin", identifier: bin, legal_name: name, contact_email: "info@example.kz" };
        insert_organisation(&mut conn, &org, now()).await.expect("insert organisation")
    }

    /// Creates a user directly (with a cheap placeholder hash: such users sign in through
    /// [`TestApp::session_for`], not with a password) and returns the id.
    pub async fn user(&self, org_id: Option<OrganisationId>, role: Role, email: &str) -> UserId {
        let scope = match org_id {
            Some(id) => Scope::trader(id),
            None => Scope::CUSTOMS,
        };
        let mut conn = self.state.db.pool.acquire().await.expect("conn");
        let user = NewUser { scope, role, email, name: "Test Person", password_hash: "$argon2id$placeholder" };
        insert_user(&mut conn, &user, now()).await.expect("insert user")
    }

    /// A live session for a user, without the cost of argon2.
    pub async fn session_for(&self, user_id: UserId) -> String {
        let mut tx = self.state.db.begin().await.expect("tx");
        let token = crate::auth::service::start_session(&self.state, &mut tx, user_id).await.expect("session");
        tx.commit().await.expect("commit");
        token
    }

    /// A single integer from a query with one parameter (a typed id or a plain number).
    pub async fn scalar(&self, sql: &'static str, id: impl Param) -> i64 {
        sqlx::query(sql).bind(id).fetch_one(&self.state.db.pool).await.expect("scalar").try_get(0).expect("integer")
    }

    /// Runs a statement with one parameter (a typed id or a plain number).
    pub async fn exec(&self, sql: &'static str, id: impl Param) {
        sqlx::query(sql).bind(id).execute(&self.state.db.pool).await.expect("exec");
    }

    /// A fingerprint of all business tables (not the audit log), to prove a refused call changed
    /// nothing.
    pub async fn snapshot(&self) -> String {
        let mut out = String::new();
        for sql in [
            "SELECT id, legal_name, identifier FROM organisations ORDER BY id",
            "SELECT id, role, email, name, password_hash, COALESCE(deactivated_at, 0), COALESCE(language, '') FROM users ORDER BY id",
            "SELECT id, email, role, COALESCE(accepted_at, 0), COALESCE(revoked_at, 0) FROM invitations ORDER BY id",
            "SELECT id, status, organisation_id FROM assessments ORDER BY id",
            "SELECT assessment_id, question_key, value, version FROM answers ORDER BY assessment_id, question_key",
            "SELECT id, status FROM templates ORDER BY id",
            "SELECT assessment_id, question_key, verification, COALESCE(override_credit, -1) FROM answer_reviews ORDER BY assessment_id, question_key",
            "SELECT id, assessment_id, question_key FROM evidence ORDER BY id",
            "SELECT id, status, COALESCE(security_amount_minor, -1), publish_consent FROM aeo_applications ORDER BY id",
            "SELECT application_id, position, address FROM aeo_sites ORDER BY application_id, position",
            "SELECT id, application_id, condition_key, sha256, COALESCE(sent_at, 0) FROM aeo_evidence ORDER BY id",
        ] {
            for row in sqlx::query(sql).fetch_all(&self.state.db.pool).await.expect("snapshot") {
                for i in 0..row.len() {
                    let text = row.try_get::<String, _>(i).or_else(|_| row.try_get::<i64, _>(i).map(|n| n.to_string()));
                    out.push_str(&text.unwrap_or_default());
                    out.push('|');
                }
                out.push('\n');
            }
        }
        out
    }
}

pub use crate::ui::form::url_encode as encode;

/// Prints once per test binary whether PostgreSQL is covered.
pub fn report_backends() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        if std::env::var("TEST_POSTGRES_URL").map(|u| u.is_empty()).unwrap_or(true) {
            eprintln!("NOTE: TEST_POSTGRES_URL is not set; database tests run on SQLite only");
        }
    });
}

impl TestApp {
    /// The response headers of a GET.
    pub async fn router_headers(&self, path: &str) -> http::HeaderMap {
        let request = Request::get(path).body(Body::empty()).expect("request");
        self.router.clone().oneshot(request).await.expect("router answers").headers().clone()
    }
}

impl TestApp {
    /// Imports a template file and publishes it directly; returns the template id.
    pub async fn published_template(&self, source: &str) -> TemplateId {
        use crate::domain::questionnaire::TemplateStatus;
        let template = crate::questionnaire::import::parse(source).expect("valid template");
        let id = crate::questionnaire::service::store_draft(&self.state, None, &template).await.expect("stored");
        let mut tx = self.state.db.begin().await.expect("tx");
        crate::questionnaire::db::set_status(
            &mut tx,
            id,
            TemplateStatus::Draft,
            TemplateStatus::Published,
            Timestamp::from_millis(1),
        )
        .await
        .expect("publish");
        tx.commit().await.expect("commit");
        id
    }
}

impl TestApp {
    /// Uploads an evidence file through a question's upload form, as the browser's
    /// `multipart/form-data` post sends it.
    pub async fn upload(&self, id: AssessmentId, question: &str, name: &str, bytes: &[u8], session: &str) -> Reply {
        self.upload_to(&format!("/assessments/{id}/evidence/{question}"), name, bytes, session).await
    }

    /// Posts a file as the `file` field of a `multipart/form-data` form to `path`.
    pub async fn upload_to(&self, path: &str, name: &str, bytes: &[u8], session: &str) -> Reply {
        self.upload_with(path, &[], name, bytes, session).await
    }

    /// As [`TestApp::upload_to`], with text `fields` before the file, as a form with a select
    /// above its file input posts them.
    pub async fn upload_with(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        name: &str,
        bytes: &[u8],
        session: &str,
    ) -> Reply {
        let boundary = "----senimTestBoundary0b7e";
        let mut body = String::new();
        for (field, value) in fields {
            body.push_str(&format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"\r\n\r\n{value}\r\n"
            ));
        }
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        ));
        let mut body = body.into_bytes();
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let request = Request::post(path)
            .header("content-type", format!("multipart/form-data; boundary={boundary}"))
            .header("cookie", format!("senim_session={session}"))
            .body(Body::from(body))
            .expect("request");
        self.send(request).await
    }
}
