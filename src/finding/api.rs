//! Server functions of findings. Recording and customs' steps: officers and supervisors; reading
//! a trader's findings: any customs staff; a trader reads, answers and remediates its own findings
//! (never a draft).
#![allow(clippy::too_many_arguments, reason = "one argument per posted form field")]

use crate::domain::compliance::{Culpability, Discovery, Severity};
use crate::domain::control::Topic;
use crate::domain::finding::{FindingSource, FindingStatus};
use crate::domain::id::{ControlCaseId, DisclosureId, FindingId, OrganisationId};
use crate::domain::time::Timestamp;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One finding as pages show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingView {
    pub id: FindingId,
    /// `F-2026-000031`.
    pub reference: String,
    pub organisation_id: OrganisationId,
    pub source: FindingSource,
    /// The control case it came from, with customs' reference.
    pub control: Option<(ControlCaseId, String)>,
    /// The decided disclosure it came from, with its number.
    pub disclosure: Option<(DisclosureId, String)>,
    pub topic: Topic,
    pub description: String,
    pub declarations: Vec<String>,
    /// Minor units of the rules' currency; negative when overpaid.
    pub revenue_minor: i64,
    pub culpability: Culpability,
    pub discovery: Discovery,
    pub severity: Severity,
    /// Days since 1970-01-01.
    pub found_on: i64,
    pub status: FindingStatus,
    /// The last day the trader may answer (days since 1970-01-01).
    pub hearing_due: Option<i64>,
    pub hearing_answer: Option<String>,
    pub answered_at: Option<Timestamp>,
    /// Customs' reasons for its last step.
    pub reasons: Option<String>,
    pub remediation_plan: Option<String>,
    pub remediation_due: Option<i64>,
    pub remediation_report: Option<String>,
    /// The officer who verified the remediation.
    pub verified_by: Option<String>,
    pub verified_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A trader's findings with what pages need to show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct FindingList {
    pub items: Vec<FindingView>,
    /// The rules' currency code (revenue effects are in it).
    pub currency: String,
    /// The server's today (days since 1970-01-01), for the hearing periods.
    pub today: i64,
}

/// Records a draft finding against a trader: source (not `disclosure`), the control case when the
/// source is a control, topic, description, declarations (one per line), revenue effect (an
/// amount of the rules' currency; `overpaid=yes` when paid too much), culpability, severity and
/// the date it was established. Officers and supervisors.
#[server(endpoint = "finding/record")]
pub async fn record_finding(
    organisation: OrganisationId,
    #[server(default)] source: String,
    #[server(default)] control_case: String,
    #[server(default)] topic: String,
    #[server(default)] description: String,
    #[server(default)] declarations: String,
    #[server(default)] revenue: String,
    #[server(default)] overpaid: Option<String>,
    #[server(default)] culpability: String,
    #[server(default)] severity: String,
    #[server(default)] found_on: String,
) -> Result<FindingId, AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::REVIEWERS).await?;
    let input = super::service::NewFinding {
        organisation,
        source,
        control_case,
        topic,
        description,
        declarations,
        revenue,
        overpaid: overpaid.as_deref() == Some("yes"),
        culpability,
        severity,
        found_on,
    };
    let id = super::service::record(&crate::server::state::state()?, &actor, input).await?;
    leptos_axum::redirect(&format!("/customs/traders/{organisation}?finding={id}#findings"));
    Ok(id)
}

/// Customs moves a finding on: `communicate`, `confirm`, `withdraw`, `verify_remediation`,
/// `reject_remediation` or `escalate`; `text` carries the reasons (required to withdraw, reject
/// or escalate). Officers and supervisors.
#[server(endpoint = "finding/step")]
pub async fn step_finding(
    id: FindingId,
    #[server(default)] action: String,
    #[server(default)] text: String,
) -> Result<(), AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::REVIEWERS).await?;
    let input = super::service::StepInput { action, text, due: String::new() };
    let organisation = super::service::step(&crate::server::state::state()?, &actor, id, input).await?;
    leptos_axum::redirect(&format!("/customs/traders/{organisation}#finding-{id}"));
    Ok(())
}

/// The trader puts a finding right: `plan_remediation` (what it will do, `text`, by `due`,
/// `YYYY-MM-DD`) or `report_remediated` (what it did, `text`). Any trader user of the
/// organisation.
#[server(endpoint = "finding/remediate")]
pub async fn remediate_finding(
    id: FindingId,
    #[server(default)] action: String,
    #[server(default)] text: String,
    #[server(default)] due: String,
) -> Result<(), AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::ANY_TRADER).await?;
    let input = super::service::StepInput { action, text, due };
    super::service::step(&crate::server::state::state()?, &actor, id, input).await?;
    leptos_axum::redirect(&format!("/findings#finding-{id}"));
    Ok(())
}

/// The trader's answer to a finding communicated to it (right to be heard), once, within the
/// hearing period. Any trader user of the organisation.
#[server(endpoint = "finding/answer")]
pub async fn answer_finding(id: FindingId, #[server(default)] answer: String) -> Result<(), AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::ANY_TRADER).await?;
    super::service::answer(&crate::server::state::state()?, &actor, id, &answer).await?;
    leptos_axum::redirect(&format!("/findings?answered={id}#finding-{id}"));
    Ok(())
}

/// Every finding of a trader, newest first. Any customs staff.
#[server(endpoint = "finding/list")]
pub async fn list_findings(organisation: OrganisationId) -> Result<FindingList, AppError> {
    let _actor = crate::auth::require(crate::domain::role::Access::ANY_CUSTOMS).await?;
    super::service::for_customs(&crate::server::state::state()?, organisation).await
}

/// The caller's organisation's findings, newest first (drafts stay with customs). Any trader user.
#[server(endpoint = "finding/mine")]
pub async fn my_findings() -> Result<FindingList, AppError> {
    let actor = crate::auth::require(crate::domain::role::Access::ANY_TRADER).await?;
    super::service::for_trader(&crate::server::state::state()?, &actor).await
}
