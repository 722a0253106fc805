//! Deployment configuration, read once from the environment at start-up. Legal and security
//! parameters live here, never as constants in feature code.

use crate::domain::evidence::ArchiveLimits;
use crate::domain::identifier::IdentifierScheme;
use anyhow::{Context, bail};

/// Everything a deployment can set. See the README's configuration table.
#[derive(Debug, Clone)]
pub struct Config {
    /// `sqlite://…` or `postgres://…`.
    pub database_url: String,
    /// The origin users reach Senim at, e.g. `https://senim.kgd.gov.kz`; used for CSRF checks
    /// and invitation links.
    pub public_url: String,
    /// Whether cookies carry `Secure` (and the session cookie the `__Host-` prefix).
    pub secure_cookies: bool,
    /// The identifier scheme for trader organisations.
    pub identifier_scheme: IdentifierScheme,
    /// Signed-in sessions end after this long without a request.
    pub idle_timeout_ms: i64,
    /// Sessions end this long after sign-in, whatever the activity.
    pub session_lifetime_ms: i64,
    /// Invitation links stop working after this long.
    pub invitation_ttl_ms: i64,
    /// Failed sign-ins per account before back-off starts.
    pub account_free_failures: i64,
    /// Sign-in attempts one client address may make per window.
    pub ip_attempts_per_window: u32,
    /// Registration attempts one client address may make per window.
    pub register_attempts_per_window: u32,
    /// The per-address window in seconds (sign-in and registration).
    pub ip_window_secs: u64,
    /// Whether to take the client address from `X-Forwarded-For` (only behind a proxy that sets it).
    pub trust_forwarded_for: bool,
    /// Largest evidence file accepted, in bytes.
    pub evidence_max_bytes: usize,
    /// How far a DOCX or XLSX evidence file may expand when opened.
    pub office_limits: ArchiveLimits,
    /// Declaration-number layout, deadlines and rates for disclosures and control cases
    /// (`SENIM_DISCLOSURE_RULES`, else the shipped Kazakhstan file): a broken file stops start-up
    /// with every problem and its line.
    pub disclosure_rules: super::rules::DisclosureRules,
    /// AEO certificate types, conditions, clocks and the certificate number layout
    /// (`SENIM_AEO_CONFIG`, else the shipped EAEU file; docs/aeo-config.md): checked against the
    /// shipped T2 template's question keys, a broken file stops start-up with every problem.
    pub aeo: crate::domain::aeo::AeoConfig,
}

impl Config {
    /// Reads the configuration from environment variables, with documented defaults.
    pub fn from_env() -> anyhow::Result<Self> {
        let public_url = var("SENIM_PUBLIC_URL", "http://127.0.0.1:3000").trim_end_matches('/').to_owned();
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            bail!("SENIM_PUBLIC_URL must start with http:// or https://");
        }
        let scheme_name = var("SENIM_IDENTIFIER_SCHEME", "bin");
        let identifier_scheme = IdentifierScheme::parse(&scheme_name)
            .with_context(|| format!("SENIM_IDENTIFIER_SCHEME {scheme_name:?} is not one of: bin, eori"))?;
        let secure_default = if public_url.starts_with("https://") { "true" } else { "false" };
        Ok(Self {
            database_url: var("DATABASE_URL", "sqlite://data/senim.db?mode=rwc"),
            secure_cookies: parse_bool("SENIM_SECURE_COOKIES", &var("SENIM_SECURE_COOKIES", secure_default))?,
            public_url,
            identifier_scheme,
            idle_timeout_ms: number("SENIM_IDLE_TIMEOUT_MINUTES", 15)? * 60_000,
            session_lifetime_ms: number("SENIM_SESSION_LIFETIME_HOURS", 12)? * 3_600_000,
            invitation_ttl_ms: number("SENIM_INVITATION_TTL_HOURS", 72)? * 3_600_000,
            account_free_failures: number("SENIM_SIGNIN_FREE_FAILURES", 5)?,
            ip_attempts_per_window: u32::try_from(number("SENIM_SIGNIN_IP_ATTEMPTS", 30)?)?,
            register_attempts_per_window: u32::try_from(number("SENIM_REGISTER_IP_ATTEMPTS", 10)?)?,
            ip_window_secs: u64::try_from(number("SENIM_SIGNIN_IP_WINDOW_SECONDS", 300)?)?,
            trust_forwarded_for: parse_bool("SENIM_TRUST_FORWARDED_FOR", &var("SENIM_TRUST_FORWARDED_FOR", "false"))?,
            evidence_max_bytes: usize::try_from(number("SENIM_EVIDENCE_MAX_MB", 10)?)? * 1024 * 1024,
            office_limits: ArchiveLimits {
                max_uncompressed: u64::try_from(number("SENIM_OFFICE_MAX_UNCOMPRESSED_MB", 100)?)? * 1024 * 1024,
                max_ratio: u64::try_from(number("SENIM_OFFICE_MAX_RATIO", 100)?)?,
                max_entries: usize::try_from(number("SENIM_OFFICE_MAX_ENTRIES", 5000)?)?,
            },
            disclosure_rules: super::rules::load()?,
            aeo: load_aeo()?,
        })
    }

    /// Defaults for tests, on the given database.
    pub fn for_tests(database_url: &str) -> Self {
        Self {
            database_url: database_url.to_owned(),
            public_url: "http://127.0.0.1:3000".into(),
            secure_cookies: false,
            identifier_scheme: IdentifierScheme::Bin,
            idle_timeout_ms: 15 * 60_000,
            session_lifetime_ms: 12 * 3_600_000,
            invitation_ttl_ms: 72 * 3_600_000,
            account_free_failures: 5,
            ip_attempts_per_window: 1000,
            register_attempts_per_window: 1000,
            ip_window_secs: 300,
            trust_forwarded_for: false,
            evidence_max_bytes: 1024 * 1024,
            office_limits: ArchiveLimits::default(),
            disclosure_rules: super::rules::parse(super::rules::DEFAULT)
                .unwrap_or_else(|e| panic!("shipped rules: {e:?}")),
            aeo: crate::domain::aeo::file::parse_with_questions(crate::domain::aeo::file::EAEU, &t2_questions())
                .unwrap_or_else(|e| panic!("shipped AEO configuration: {e:?}")),
        }
    }

    /// The session cookie's name: `__Host-` prefixed when cookies are secure.
    pub fn session_cookie(&self) -> &'static str {
        if self.secure_cookies { "__Host-senim" } else { "senim_session" }
    }
}

/// The question keys of the shipped T2 AEO readiness template, which the AEO conditions map.
fn t2_questions() -> std::collections::BTreeSet<String> {
    crate::questionnaire::import::parse(include_str!("../../templates/t2-aeo-readiness.toml"))
        .map(|t| t.questions().map(|(_, q)| q.key.clone()).collect())
        .unwrap_or_default()
}

/// The AEO configuration: the file `SENIM_AEO_CONFIG` names, else the shipped EAEU one.
fn load_aeo() -> anyhow::Result<crate::domain::aeo::AeoConfig> {
    let (name, source) = match std::env::var("SENIM_AEO_CONFIG") {
        Ok(path) if !path.trim().is_empty() => {
            (path.clone(), std::fs::read_to_string(&path).map_err(|e| anyhow::anyhow!("SENIM_AEO_CONFIG {path}: {e}"))?)
        }
        _ => ("config/aeo-eaeu.toml (built in)".to_owned(), crate::domain::aeo::file::EAEU.to_owned()),
    };
    let questions = t2_questions();
    if questions.is_empty() {
        bail!("the shipped T2 template does not parse, so the AEO configuration cannot be checked");
    }
    crate::domain::aeo::file::parse_with_questions(&source, &questions).map_err(|errors| {
        let list: Vec<String> = errors.iter().map(|e| format!("  {name}: {e}")).collect();
        anyhow::anyhow!("the AEO configuration file has {} problem(s):\n{}", errors.len(), list.join("\n"))
    })
}

fn var(name: &str, default: &str) -> String {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty()).unwrap_or_else(|| default.to_owned())
}

fn number(name: &str, default: i64) -> anyhow::Result<i64> {
    let raw = var(name, &default.to_string());
    let value: i64 = raw.trim().parse().with_context(|| format!("{name} must be a whole number, got {raw:?}"))?;
    if value <= 0 {
        bail!("{name} must be positive, got {value}");
    }
    Ok(value)
}

fn parse_bool(name: &str, raw: &str) -> anyhow::Result<bool> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" => Ok(true),
        "0" | "false" | "no" => Ok(false),
        other => bail!("{name} must be true or false, got {other:?}"),
    }
}
