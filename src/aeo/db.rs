//! SQL for AEO applications and certificates. Status changes are compare-and-set on the status read
//! under the row's lock; a trader's read names its organisation in the query itself. Flags are
//! stored as 0/1 integers so one statement serves SQLite and PostgreSQL.

use crate::domain::aeo::{Outcome, Pause, Phase, SecurityForm, SiteKind, Status, Verdict};
use crate::domain::id::{
    AeoApplicationId, AeoCertificateId, AeoEvidenceId, AeoRequestId, AeoSiteId, AeoSiteVisitId, AssessmentId,
    OrganisationId, UserId,
};
use crate::domain::time::Timestamp;
use crate::server::db::{UnknownCode, decode_error as decode};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// Reads a stored code with `from`, refusing one this build does not know.
fn code<T>(r: &AnyRow, column: &str, from: fn(&str) -> Option<T>) -> Result<T, sqlx::Error> {
    let raw: String = r.try_get(column)?;
    from(&raw).ok_or_else(|| decode(UnknownCode(raw)))
}

/// As [`code`], for a column that may be empty.
fn code_opt<T>(r: &AnyRow, column: &str, from: fn(&str) -> Option<T>) -> Result<Option<T>, sqlx::Error> {
    let raw: Option<String> = r.try_get(column)?;
    raw.map(|raw| from(&raw).ok_or_else(|| decode(UnknownCode(raw)))).transpose()
}

/// Inside a write transaction: a new draft application.
pub async fn insert(
    conn: &mut AnyConnection,
    organisation: OrganisationId,
    certificate_type: &str,
    config_version: &str,
    assessment: AssessmentId,
    by: UserId,
    now: Timestamp,
) -> Result<AeoApplicationId, sqlx::Error> {
    sqlx::query(
        "INSERT INTO aeo_applications (organisation_id, certificate_type, config_version, assessment_id, status, \
           created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, 'draft', $5, $6, $6) RETURNING id",
    )
    .bind(organisation)
    .bind(certificate_type)
    .bind(config_version)
    .bind(assessment)
    .bind(by)
    .bind(now)
    .fetch_one(conn)
    .await?
    .try_get("id")
}

/// Whether the organisation has an application that is not final (or a certificate in force).
pub async fn open_exists(conn: &mut AnyConnection, organisation: OrganisationId) -> Result<bool, sqlx::Error> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM aeo_applications WHERE organisation_id = $1 \
         AND status NOT IN ('not_accepted', 'refused', 'revoked', 'withdrawn')",
    )
    .bind(organisation)
    .fetch_one(conn)
    .await?;
    Ok(row.try_get::<i64, _>("n")? > 0)
}

/// The days the organisation's certificates were revoked on.
pub async fn revocations(conn: &mut AnyConnection, organisation: OrganisationId) -> Result<Vec<i64>, sqlx::Error> {
    let rows =
        sqlx::query("SELECT revoked_on FROM aeo_certificates WHERE organisation_id = $1 AND revoked_on IS NOT NULL")
            .bind(organisation)
            .fetch_all(conn)
            .await?;
    rows.iter().map(|r| r.try_get("revoked_on")).collect()
}

/// An application's state as a step needs it, read under the row's lock.
pub struct Locked {
    pub organisation: OrganisationId,
    pub status: Status,
    pub certificate_type: String,
    pub number: Option<String>,
    pub proposed_by: Option<UserId>,
    pub proposed_outcome: Option<Outcome>,
    pub hearing_due: Option<i64>,
    pub hearing_answered: bool,
    pub publish_consent: bool,
}

/// Inside a write transaction: locks one application until commit (stamping its change time);
/// only one of `organisation` when given (a trader's step).
pub async fn lock(
    conn: &mut AnyConnection,
    id: AeoApplicationId,
    organisation: Option<OrganisationId>,
    now: Timestamp,
) -> Result<Option<Locked>, sqlx::Error> {
    let row = sqlx::query(
        "UPDATE aeo_applications SET updated_at = $3 WHERE id = $1 AND ($2 IS NULL OR organisation_id = $2) \
         RETURNING organisation_id, status, certificate_type, number, proposed_by, proposed_outcome, \
           hearing_due, hearing_answered_at, publish_consent",
    )
    .bind(id)
    .bind(organisation)
    .bind(now)
    .fetch_optional(conn)
    .await?;
    row.map(|r| {
        let answered: Option<Timestamp> = r.try_get("hearing_answered_at")?;
        Ok(Locked {
            organisation: r.try_get("organisation_id")?,
            status: code(&r, "status", Status::from_code)?,
            certificate_type: r.try_get("certificate_type")?,
            number: r.try_get("number")?,
            proposed_by: r.try_get("proposed_by")?,
            proposed_outcome: code_opt(&r, "proposed_outcome", Outcome::from_code)?,
            hearing_due: r.try_get("hearing_due")?,
            hearing_answered: answered.is_some(),
            publish_consent: r.try_get::<i64, _>("publish_consent")? == 1,
        })
    })
    .transpose()
}

/// Inside a write transaction: `from` → `to` only if the application is still `from`. Returns
/// whether it changed.
pub async fn set_status(
    conn: &mut AnyConnection,
    id: AeoApplicationId,
    from: Status,
    to: Status,
    now: Timestamp,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE aeo_applications SET status = $3, updated_at = $4 WHERE id = $1 AND status = $2")
        .bind(id)
        .bind(from.code())
        .bind(to.code())
        .bind(now)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// A draft's own fields as the trader saves them.
pub struct DraftFields<'a> {
    /// `None` keeps the stored security; `Some(None)` clears it.
    pub security: Option<Option<(SecurityForm, i64, &'a str)>>,
    pub publish_consent: bool,
}

/// Inside a write transaction: the draft's security and consent.
pub async fn save_draft(
    conn: &mut AnyConnection,
    id: AeoApplicationId,
    fields: &DraftFields<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE aeo_applications SET publish_consent = $2 WHERE id = $1 AND status = 'draft'")
        .bind(id)
        .bind(i64::from(fields.publish_consent))
        .execute(&mut *conn)
        .await?;
    if let Some(security) = fields.security {
        sqlx::query(
            "UPDATE aeo_applications SET security_form = $2, security_amount_minor = $3, security_currency = $4 \
             WHERE id = $1 AND status = 'draft'",
        )
        .bind(id)
        .bind(security.map(|s| s.0.code()))
        .bind(security.map(|s| s.1))
        .bind(security.map(|s| s.2))
        .execute(conn)
        .await?;
    }
    Ok(())
}

/// Inside a write transaction: replaces the sites of a draft.
pub async fn replace_sites(
    conn: &mut AnyConnection,
    id: AeoApplicationId,
    sites: &[(SiteKind, String)],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM aeo_sites WHERE application_id = $1").bind(id).execute(&mut *conn).await?;
    for (position, (kind, address)) in sites.iter().enumerate() {
        sqlx::query("INSERT INTO aeo_sites (application_id, position, kind, address) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(i64::try_from(position).unwrap_or(i64::MAX))
            .bind(kind.code())
            .bind(address)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// One contact person of an application.
pub struct Contact {
    pub name: String,
    pub job_title: String,
    pub email: String,
    pub phone: String,
}

/// Inside a write transaction: replaces the contacts of a draft.
pub async fn replace_contacts(
    conn: &mut AnyConnection,
    id: AeoApplicationId,
    contacts: &[Contact],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM aeo_contacts WHERE application_id = $1").bind(id).execute(&mut *conn).await?;
    for (position, c) in contacts.iter().enumerate() {
        sqlx::query(
            "INSERT INTO aeo_contacts (application_id, position, name, job_title, email, phone) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(i64::try_from(position).unwrap_or(i64::MAX))
        .bind(&c.name)
        .bind(&c.job_title)
        .bind(&c.email)
        .bind(&c.phone)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Inside a write transaction: the trader's confirmation or explanation of one condition.
pub async fn set_condition_claim(
    conn: &mut AnyConnection,
    id: AeoApplicationId,
    condition: &str,
    confirmed: bool,
    explanation: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO aeo_conditions (application_id, condition_key, confirmed, explanation) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (application_id, condition_key) DO UPDATE SET confirmed = $3, explanation = $4",
    )
    .bind(id)
    .bind(condition)
    .bind(i64::from(confirmed))
    .bind(explanation)
    .execute(conn)
    .await?;
    Ok(())
}

/// Inside a write transaction: the examining officer's verdict on one condition.
pub async fn set_verdict(
    conn: &mut AnyConnection,
    id: AeoApplicationId,
    condition: &str,
    verdict: Verdict,
    note: Option<&str>,
    by: UserId,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO aeo_conditions (application_id, condition_key, verdict, verdict_note, verdict_by, verdict_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (application_id, condition_key) DO UPDATE SET verdict = $3, \
         verdict_note = $4, verdict_by = $5, verdict_at = $6",
    )
    .bind(id)
    .bind(condition)
    .bind(verdict.code())
    .bind(note)
    .bind(by)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Inside a write transaction: `user` took part in the examination (four eyes).
pub async fn add_examiner(conn: &mut AnyConnection, id: AeoApplicationId, user: UserId) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO aeo_examiners (application_id, user_id) VALUES ($1, $2) \
         ON CONFLICT (application_id, user_id) DO NOTHING",
    )
    .bind(id)
    .bind(user)
    .execute(conn)
    .await?;
    Ok(())
}

/// Everyone who took part in the examination.
pub async fn examiners(conn: &mut AnyConnection, id: AeoApplicationId) -> Result<Vec<UserId>, sqlx::Error> {
    let rows =
        sqlx::query("SELECT user_id FROM aeo_examiners WHERE application_id = $1").bind(id).fetch_all(conn).await?;
    rows.iter().map(|r| r.try_get("user_id")).collect()
}

/// Inside the submitting transaction: the number and the submission day (kept from the first
/// submission).
pub async fn set_submitted(
    conn: &mut AnyConnection,
    id: AeoApplicationId,
    number: &str,
    day: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE aeo_applications SET number = COALESCE(number, $2), submitted_on = COALESCE(submitted_on, $3) \
         WHERE id = $1",
    )
    .bind(id)
    .bind(number)
    .bind(day)
    .execute(conn)
    .await?;
    Ok(())
}

/// The application's receipts table (see `crate::receipt`).
pub const RECEIPTS: crate::receipt::ReceiptsTable = crate::receipts_table!("aeo_submissions", "application_id");

/// Inside a write transaction: the acceptance day and officer.
pub async fn set_accepted(
    conn: &mut AnyConnection,
    id: AeoApplicationId,
    day: i64,
    by: UserId,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE aeo_applications SET accepted_on = $2, accepted_by = $3 WHERE id = $1")
        .bind(id)
        .bind(day)
        .bind(by)
        .execute(conn)
        .await?;
    Ok(())
}

/// Inside a write transaction: why the application was not accepted.
pub async fn set_not_accepted(
    conn: &mut AnyConnection,
    id: AeoApplicationId,
    reasons: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE aeo_applications SET not_accepted_reasons = $2 WHERE id = $1")
        .bind(id)
        .bind(reasons)
        .execute(conn)
        .await?;
    Ok(())
}

/// Inside a write transaction: the one extension of the decision clock.
pub async fn set_extension(
    conn: &mut AnyConnection,
    id: AeoApplicationId,
    days: i64,
    on: i64,
    reason: &str,
    by: UserId,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE aeo_applications SET extension_days = $2, extension_on = $3, extension_reason = $4, extended_by = $5 \
         WHERE id = $1 AND extension_days IS NULL",
    )
    .bind(id)
    .bind(days)
    .bind(on)
    .bind(reason)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Inside a write transaction: the intended adverse outcome and the last day to answer.
pub async fn set_hearing(
    conn: &mut AnyConnection,
    id: AeoApplicationId,
    outcome: Outcome,
    reasons: &str,
    due: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE aeo_applications SET hearing_outcome = $2, hearing_reasons = $3, hearing_due = $4, \
           hearing_answer = NULL, hearing_answered_by = NULL, hearing_answered_at = NULL WHERE id = $1",
    )
    .bind(id)
    .bind(outcome.code())
    .bind(reasons)
    .bind(due)
    .execute(conn)
    .await?;
    Ok(())
}

/// Inside a write transaction: the trader's answer to the intended decision, once.
pub async fn set_hearing_answer(
    conn: &mut AnyConnection,
    id: AeoApplicationId,
    answer: &str,
    by: UserId,
    now: Timestamp,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE aeo_applications SET hearing_answer = $2, hearing_answered_by = $3, hearing_answered_at = $4 \
         WHERE id = $1 AND hearing_answered_at IS NULL AND status = 'right_to_be_heard'",
    )
    .bind(id)
    .bind(answer)
    .bind(by)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Inside a write transaction: the examining officer's proposal.
pub async fn set_proposal(
    conn: &mut AnyConnection,
    id: AeoApplicationId,
    outcome: Outcome,
    reasons: &str,
    conditions: Option<&str>,
    by: UserId,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE aeo_applications SET proposed_outcome = $2, proposal_reasons = $3, proposal_conditions = $4, \
           proposed_by = $5, proposed_at = $6 WHERE id = $1",
    )
    .bind(id)
    .bind(outcome.code())
    .bind(reasons)
    .bind(conditions)
    .bind(by)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Inside a write transaction: the supervisor's decision.
pub async fn set_decision(
    conn: &mut AnyConnection,
    id: AeoApplicationId,
    outcome: Outcome,
    reasons: &str,
    by: UserId,
    now: Timestamp,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE aeo_applications SET decided_outcome = $2, decision_reasons = $3, decided_by = $4, decided_at = $5 \
         WHERE id = $1",
    )
    .bind(id)
    .bind(outcome.code())
    .bind(reasons)
    .bind(by)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Inside a write transaction: the withdrawal instant.
pub async fn set_withdrawn(conn: &mut AnyConnection, id: AeoApplicationId, now: Timestamp) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE aeo_applications SET withdrawn_at = $2 WHERE id = $1").bind(id).bind(now).execute(conn).await?;
    Ok(())
}

/// Inside a write transaction: an information request, with the pause it starts.
#[allow(clippy::too_many_arguments, reason = "one column each")]
pub async fn insert_request(
    conn: &mut AnyConnection,
    id: AeoApplicationId,
    phase: Phase,
    conditions: &[String],
    text: &str,
    due: i64,
    by: UserId,
    now: Timestamp,
) -> Result<AeoRequestId, sqlx::Error> {
    let conditions = serde_json::to_string(conditions).map_err(decode)?;
    let request: AeoRequestId = sqlx::query(
        "INSERT INTO aeo_requests (application_id, phase, conditions, text, due_on, requested_by, requested_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(id)
    .bind(phase.code())
    .bind(conditions)
    .bind(text)
    .bind(due)
    .bind(by)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?
    .try_get("id")?;
    sqlx::query("INSERT INTO aeo_pauses (application_id, phase, from_day) VALUES ($1, $2, $3)")
        .bind(id)
        .bind(phase.code())
        .bind(now.days_since_epoch())
        .execute(conn)
        .await?;
    Ok(request)
}

/// Inside a write transaction: answers the open request and ends the pause. Returns whether a
/// request was open.
pub async fn answer_request(
    conn: &mut AnyConnection,
    id: AeoApplicationId,
    answer: &str,
    by: UserId,
    now: Timestamp,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE aeo_requests SET answer = $2, answered_by = $3, answered_at = $4 \
         WHERE application_id = $1 AND answered_at IS NULL",
    )
    .bind(id)
    .bind(answer)
    .bind(by)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    close_pauses(conn, id, now.days_since_epoch()).await?;
    Ok(done.rows_affected() > 0)
}

/// Inside a write transaction: ends every open pause of the application on `day`.
pub async fn close_pauses(conn: &mut AnyConnection, id: AeoApplicationId, day: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE aeo_pauses SET until_day = $2 WHERE application_id = $1 AND until_day IS NULL")
        .bind(id)
        .bind(day)
        .execute(conn)
        .await?;
    Ok(())
}

/// The pauses of an application's clocks.
pub async fn pauses(conn: &mut AnyConnection, id: AeoApplicationId) -> Result<Vec<Pause>, sqlx::Error> {
    let rows = sqlx::query("SELECT phase, from_day, until_day FROM aeo_pauses WHERE application_id = $1 ORDER BY id")
        .bind(id)
        .fetch_all(conn)
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Pause {
                phase: code(r, "phase", Phase::from_code)?,
                from: r.try_get("from_day")?,
                until: r.try_get("until_day")?,
            })
        })
        .collect()
}

/// Inside a write transaction: a planned site visit of one of the application's sites.
pub async fn insert_visit(
    conn: &mut AnyConnection,
    id: AeoApplicationId,
    site: AeoSiteId,
    day: i64,
    officers: &str,
    by: UserId,
    now: Timestamp,
) -> Result<Option<AeoSiteVisitId>, sqlx::Error> {
    let row = sqlx::query(
        "INSERT INTO aeo_site_visits (application_id, site_id, scheduled_on, officers, scheduled_by, scheduled_at) \
         SELECT $1, s.id, $3, $4, $5, $6 FROM aeo_sites s WHERE s.id = $2 AND s.application_id = $1 RETURNING id",
    )
    .bind(id)
    .bind(site)
    .bind(day)
    .bind(officers)
    .bind(by)
    .bind(now)
    .fetch_optional(conn)
    .await?;
    row.map(|r| r.try_get("id")).transpose()
}

/// Inside a write transaction: the report of a planned visit, once. Returns whether it was open.
pub async fn report_visit(
    conn: &mut AnyConnection,
    id: AeoApplicationId,
    visit: AeoSiteVisitId,
    report: &str,
    findings: &str,
    by: UserId,
    now: Timestamp,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE aeo_site_visits SET report = $3, findings = $4, reported_by = $5, reported_at = $6 \
         WHERE id = $2 AND application_id = $1 AND reported_at IS NULL",
    )
    .bind(id)
    .bind(visit)
    .bind(report)
    .bind(findings)
    .bind(by)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A certificate to store.
pub struct NewCertificate<'a> {
    pub application: AeoApplicationId,
    pub organisation: OrganisationId,
    pub number: &'a str,
    pub serial: i64,
    pub certificate_type: &'a str,
    pub valid_from: i64,
    pub conditions: Option<&'a str>,
    pub monitoring_plan: Option<&'a str>,
    pub reassessment_due: i64,
    pub published: bool,
    pub by: UserId,
    pub now: Timestamp,
}

/// The next certificate serial.
pub async fn next_serial(conn: &mut AnyConnection) -> Result<i64, sqlx::Error> {
    let row = sqlx::query("SELECT COALESCE(MAX(serial), 0) + 1 AS n FROM aeo_certificates").fetch_one(conn).await?;
    row.try_get("n")
}

/// Inside a write transaction: an issued certificate.
pub async fn insert_certificate(
    conn: &mut AnyConnection,
    c: &NewCertificate<'_>,
) -> Result<AeoCertificateId, sqlx::Error> {
    sqlx::query(
        "INSERT INTO aeo_certificates (application_id, organisation_id, number, serial, certificate_type, valid_from, \
           conditions, monitoring_plan, reassessment_due, status, published, issued_by, issued_at, changed_by, changed_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'active', $10, $11, $12, $11, $12) RETURNING id",
    )
    .bind(c.application)
    .bind(c.organisation)
    .bind(c.number)
    .bind(c.serial)
    .bind(c.certificate_type)
    .bind(c.valid_from)
    .bind(c.conditions)
    .bind(c.monitoring_plan)
    .bind(c.reassessment_due)
    .bind(i64::from(c.published))
    .bind(c.by)
    .bind(c.now)
    .fetch_one(conn)
    .await?
    .try_get("id")
}

/// Inside a write transaction: the certificate's new status with its reasons (and, on a
/// suspension, the holder's answer; on a revocation, the day).
#[allow(clippy::too_many_arguments, reason = "one column each")]
pub async fn set_certificate_status(
    conn: &mut AnyConnection,
    application: AeoApplicationId,
    status: &str,
    reasons: &str,
    holder_heard: Option<&str>,
    revoked_on: Option<i64>,
    by: UserId,
    now: Timestamp,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE aeo_certificates SET status = $2, status_reasons = $3, holder_heard = COALESCE($4, holder_heard), \
           revoked_on = COALESCE($5, revoked_on), changed_by = $6, changed_at = $7 WHERE application_id = $1",
    )
    .bind(application)
    .bind(status)
    .bind(reasons)
    .bind(holder_heard)
    .bind(revoked_on)
    .bind(by)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// One application's row as views read it.
pub struct ApplicationRow {
    pub id: AeoApplicationId,
    pub organisation: OrganisationId,
    pub organisation_name: String,
    pub identifier: String,
    pub certificate_type: String,
    pub config_version: String,
    pub assessment: AssessmentId,
    pub status: Status,
    pub number: Option<String>,
    pub security_form: Option<SecurityForm>,
    pub security_amount_minor: Option<i64>,
    pub security_currency: Option<String>,
    pub publish_consent: bool,
    pub submitted_on: Option<i64>,
    pub accepted_on: Option<i64>,
    pub not_accepted_reasons: Option<String>,
    pub extension_days: Option<i64>,
    pub extension_on: Option<i64>,
    pub extension_reason: Option<String>,
    pub hearing_outcome: Option<Outcome>,
    pub hearing_reasons: Option<String>,
    pub hearing_due: Option<i64>,
    pub hearing_answer: Option<String>,
    pub hearing_answered_at: Option<Timestamp>,
    pub proposed_outcome: Option<Outcome>,
    pub proposal_reasons: Option<String>,
    pub proposal_conditions: Option<String>,
    pub proposed_by: Option<String>,
    pub decided_outcome: Option<Outcome>,
    pub decision_reasons: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<Timestamp>,
    pub updated_at: Timestamp,
}

/// The columns and joins every read of applications starts with.
macro_rules! application_select {
    () => {
        "SELECT a.id, a.organisation_id, o.legal_name, o.identifier, a.certificate_type, \
    a.config_version, a.assessment_id, a.status, a.number, a.security_form, a.security_amount_minor, \
    a.security_currency, a.publish_consent, a.submitted_on, a.accepted_on, a.not_accepted_reasons, a.extension_days, \
    a.extension_on, a.extension_reason, a.hearing_outcome, a.hearing_reasons, a.hearing_due, a.hearing_answer, \
    a.hearing_answered_at, a.proposed_outcome, a.proposal_reasons, a.proposal_conditions, p.name AS proposer, \
    a.decided_outcome, a.decision_reasons, d.name AS decider, a.decided_at, a.updated_at \
    FROM aeo_applications a JOIN organisations o ON o.id = a.organisation_id \
    LEFT JOIN users p ON p.id = a.proposed_by LEFT JOIN users d ON d.id = a.decided_by"
    };
}

fn application_row(r: &AnyRow) -> Result<ApplicationRow, sqlx::Error> {
    Ok(ApplicationRow {
        id: r.try_get("id")?,
        organisation: r.try_get("organisation_id")?,
        organisation_name: r.try_get("legal_name")?,
        identifier: r.try_get("identifier")?,
        certificate_type: r.try_get("certificate_type")?,
        config_version: r.try_get("config_version")?,
        assessment: r.try_get("assessment_id")?,
        status: code(r, "status", Status::from_code)?,
        number: r.try_get("number")?,
        security_form: code_opt(r, "security_form", SecurityForm::from_code)?,
        security_amount_minor: r.try_get("security_amount_minor")?,
        security_currency: r.try_get("security_currency")?,
        publish_consent: r.try_get::<i64, _>("publish_consent")? == 1,
        submitted_on: r.try_get("submitted_on")?,
        accepted_on: r.try_get("accepted_on")?,
        not_accepted_reasons: r.try_get("not_accepted_reasons")?,
        extension_days: r.try_get("extension_days")?,
        extension_on: r.try_get("extension_on")?,
        extension_reason: r.try_get("extension_reason")?,
        hearing_outcome: code_opt(r, "hearing_outcome", Outcome::from_code)?,
        hearing_reasons: r.try_get("hearing_reasons")?,
        hearing_due: r.try_get("hearing_due")?,
        hearing_answer: r.try_get("hearing_answer")?,
        hearing_answered_at: r.try_get("hearing_answered_at")?,
        proposed_outcome: code_opt(r, "proposed_outcome", Outcome::from_code)?,
        proposal_reasons: r.try_get("proposal_reasons")?,
        proposal_conditions: r.try_get("proposal_conditions")?,
        proposed_by: r.try_get("proposer")?,
        decided_outcome: code_opt(r, "decided_outcome", Outcome::from_code)?,
        decision_reasons: r.try_get("decision_reasons")?,
        decided_by: r.try_get("decider")?,
        decided_at: r.try_get("decided_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// One application (of `organisation` when given: a trader's read).
pub async fn find(
    conn: &mut AnyConnection,
    id: AeoApplicationId,
    organisation: Option<OrganisationId>,
) -> Result<Option<ApplicationRow>, sqlx::Error> {
    let sql = concat!(application_select!(), " WHERE a.id = $1 AND ($2 IS NULL OR a.organisation_id = $2)");
    let row = sqlx::query(sql).bind(id).bind(organisation).fetch_optional(conn).await?;
    row.as_ref().map(application_row).transpose()
}

/// An organisation's applications, newest first.
pub async fn list_for(
    conn: &mut AnyConnection,
    organisation: OrganisationId,
) -> Result<Vec<ApplicationRow>, sqlx::Error> {
    let sql = concat!(application_select!(), " WHERE a.organisation_id = $1 ORDER BY a.id DESC");
    let rows = sqlx::query(sql).bind(organisation).fetch_all(conn).await?;
    rows.iter().map(application_row).collect()
}

/// Every application customs still has to act on (submitted, not yet decided), oldest first.
pub async fn open_queue(conn: &mut AnyConnection) -> Result<Vec<ApplicationRow>, sqlx::Error> {
    let sql = concat!(
        application_select!(),
        " WHERE a.status IN ('submitted', 'info_requested_acceptance', \
         'info_requested_examination', 'under_examination', 'right_to_be_heard', 'proposed_grant', \
         'proposed_grant_with_conditions', 'proposed_refuse', 'granted', 'granted_with_conditions') \
         ORDER BY a.submitted_on, a.id"
    );
    let rows = sqlx::query(sql).fetch_all(conn).await?;
    rows.iter().map(application_row).collect()
}

/// Sites of an application in order: (id, kind, address).
pub async fn sites(
    conn: &mut AnyConnection,
    id: AeoApplicationId,
) -> Result<Vec<(AeoSiteId, SiteKind, String)>, sqlx::Error> {
    let rows = sqlx::query("SELECT id, kind, address FROM aeo_sites WHERE application_id = $1 ORDER BY position")
        .bind(id)
        .fetch_all(conn)
        .await?;
    rows.iter().map(|r| Ok((r.try_get("id")?, code(r, "kind", SiteKind::from_code)?, r.try_get("address")?))).collect()
}

/// Contacts of an application in order.
pub async fn contacts(conn: &mut AnyConnection, id: AeoApplicationId) -> Result<Vec<Contact>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT name, job_title, email, phone FROM aeo_contacts WHERE application_id = $1 ORDER BY position",
    )
    .bind(id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Contact {
                name: r.try_get("name")?,
                job_title: r.try_get("job_title")?,
                email: r.try_get("email")?,
                phone: r.try_get("phone")?,
            })
        })
        .collect()
}

/// One condition's stored claim and verdict.
pub struct ConditionRow {
    pub key: String,
    pub confirmed: bool,
    pub explanation: Option<String>,
    pub verdict: Option<Verdict>,
    pub verdict_note: Option<String>,
    pub verdict_by: Option<String>,
    pub verdict_at: Option<Timestamp>,
}

/// The stored conditions of an application.
pub async fn conditions(conn: &mut AnyConnection, id: AeoApplicationId) -> Result<Vec<ConditionRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT c.condition_key, c.confirmed, c.explanation, c.verdict, c.verdict_note, u.name AS verdict_by, \
           c.verdict_at FROM aeo_conditions c LEFT JOIN users u ON u.id = c.verdict_by WHERE c.application_id = $1",
    )
    .bind(id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(ConditionRow {
                key: r.try_get("condition_key")?,
                confirmed: r.try_get::<i64, _>("confirmed")? == 1,
                explanation: r.try_get("explanation")?,
                verdict: code_opt(r, "verdict", Verdict::from_code)?,
                verdict_note: r.try_get("verdict_note")?,
                verdict_by: r.try_get("verdict_by")?,
                verdict_at: r.try_get("verdict_at")?,
            })
        })
        .collect()
}

/// One information request as stored.
pub struct RequestRow {
    pub id: AeoRequestId,
    pub phase: Phase,
    pub conditions: Vec<String>,
    pub text: String,
    pub due_on: i64,
    pub requested_at: Timestamp,
    pub answer: Option<String>,
    pub answered_at: Option<Timestamp>,
}

/// The information requests of an application, oldest first.
pub async fn requests(conn: &mut AnyConnection, id: AeoApplicationId) -> Result<Vec<RequestRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, phase, conditions, text, due_on, requested_at, answer, answered_at FROM aeo_requests \
         WHERE application_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            let conditions: String = r.try_get("conditions")?;
            Ok(RequestRow {
                id: r.try_get("id")?,
                phase: code(r, "phase", Phase::from_code)?,
                conditions: serde_json::from_str(&conditions).map_err(decode)?,
                text: r.try_get("text")?,
                due_on: r.try_get("due_on")?,
                requested_at: r.try_get("requested_at")?,
                answer: r.try_get("answer")?,
                answered_at: r.try_get("answered_at")?,
            })
        })
        .collect()
}

/// One site visit as stored.
pub struct VisitRow {
    pub id: AeoSiteVisitId,
    pub site: AeoSiteId,
    pub scheduled_on: i64,
    pub officers: String,
    pub report: Option<String>,
    /// JSON object: condition key → what the visit found.
    pub findings: Option<String>,
    pub reported_at: Option<Timestamp>,
}

/// The site visits of an application, in planning order.
pub async fn visits(conn: &mut AnyConnection, id: AeoApplicationId) -> Result<Vec<VisitRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, site_id, scheduled_on, officers, report, findings, reported_at FROM aeo_site_visits \
         WHERE application_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(VisitRow {
                id: r.try_get("id")?,
                site: r.try_get("site_id")?,
                scheduled_on: r.try_get("scheduled_on")?,
                officers: r.try_get("officers")?,
                report: r.try_get("report")?,
                findings: r.try_get("findings")?,
                reported_at: r.try_get("reported_at")?,
            })
        })
        .collect()
}

/// One certificate as stored.
pub struct CertificateRow {
    pub id: AeoCertificateId,
    pub application: AeoApplicationId,
    pub organisation_name: String,
    pub identifier: String,
    pub number: String,
    pub certificate_type: String,
    pub valid_from: i64,
    pub conditions: Option<String>,
    pub monitoring_plan: Option<String>,
    pub reassessment_due: i64,
    pub status: String,
    pub published: bool,
    pub status_reasons: Option<String>,
    pub revoked_on: Option<i64>,
}

/// The columns and joins every read of certificates starts with.
macro_rules! certificate_select {
    () => {
        "SELECT c.id, c.application_id, o.legal_name, o.identifier, c.number, \
    c.certificate_type, c.valid_from, c.conditions, c.monitoring_plan, c.reassessment_due, c.status, c.published, \
    c.status_reasons, c.revoked_on FROM aeo_certificates c JOIN organisations o ON o.id = c.organisation_id"
    };
}

fn certificate_row(r: &AnyRow) -> Result<CertificateRow, sqlx::Error> {
    Ok(CertificateRow {
        id: r.try_get("id")?,
        application: r.try_get("application_id")?,
        organisation_name: r.try_get("legal_name")?,
        identifier: r.try_get("identifier")?,
        number: r.try_get("number")?,
        certificate_type: r.try_get("certificate_type")?,
        valid_from: r.try_get("valid_from")?,
        conditions: r.try_get("conditions")?,
        monitoring_plan: r.try_get("monitoring_plan")?,
        reassessment_due: r.try_get("reassessment_due")?,
        status: r.try_get("status")?,
        published: r.try_get::<i64, _>("published")? == 1,
        status_reasons: r.try_get("status_reasons")?,
        revoked_on: r.try_get("revoked_on")?,
    })
}

/// The certificate issued on an application.
pub async fn certificate(
    conn: &mut AnyConnection,
    application: AeoApplicationId,
) -> Result<Option<CertificateRow>, sqlx::Error> {
    let sql = concat!(certificate_select!(), " WHERE c.application_id = $1");
    let row = sqlx::query(sql).bind(application).fetch_optional(conn).await?;
    row.as_ref().map(certificate_row).transpose()
}

/// The public register: published certificates in force or suspended whose holder's name contains
/// `query` (case-insensitive) or whose identifier is `query`; at most `limit`, by number.
pub async fn register(conn: &mut AnyConnection, query: &str, limit: i64) -> Result<Vec<CertificateRow>, sqlx::Error> {
    let sql = concat!(
        certificate_select!(),
        " WHERE c.published = 1 AND c.status IN ('active', 'suspended') \
         AND ($1 = '' OR o.identifier = $1 OR LOWER(o.legal_name) LIKE '%' || LOWER($1) || '%') \
         ORDER BY c.number LIMIT $2"
    );
    let rows = sqlx::query(sql).bind(query).bind(limit).fetch_all(conn).await?;
    rows.iter().map(certificate_row).collect()
}

/// Certificates as the compliance score reads them (every trader's, or one's): (organisation,
/// status, revoked on).
pub async fn for_score(
    conn: &mut AnyConnection,
    only: Option<OrganisationId>,
) -> Result<Vec<(OrganisationId, String, Option<i64>)>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT organisation_id, status, revoked_on FROM aeo_certificates WHERE ($1 IS NULL OR organisation_id = $1)",
    )
    .bind(only)
    .fetch_all(conn)
    .await?;
    rows.iter().map(|r| Ok((r.try_get("organisation_id")?, r.try_get("status")?, r.try_get("revoked_on")?))).collect()
}

// ------------------------------------------------------------------------------------- evidence

/// The application's evidence table: a condition holds each file once, sent or not. Its queries
/// are `crate::evidence`'s.
pub const FILES: crate::evidence::FilesTable =
    crate::files_table!("aeo_evidence", "application_id", "condition_key", "sent_at", ever);

/// One evidence file of an application without its bytes; its slot is the condition's key.
pub type EvidenceRow = crate::evidence::FileRow<AeoEvidenceId, String>;

// -------------------------------------------------------------------------------- reassessments

/// Inside a write transaction: records a reassessment of the certificate in force issued on
/// `application` and moves its due day on to `next_due`; whether there was such a certificate.
pub async fn complete_reassessment(
    conn: &mut AnyConnection,
    application: AeoApplicationId,
    findings: &str,
    today: i64,
    next_due: i64,
    by: UserId,
    now: Timestamp,
) -> Result<bool, sqlx::Error> {
    let row = sqlx::query(
        "UPDATE aeo_certificates SET reassessment_due = $2, changed_by = $3, changed_at = $4 \
         WHERE application_id = $1 AND status = 'active' RETURNING id",
    )
    .bind(application)
    .bind(next_due)
    .bind(by)
    .bind(now)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(false) };
    let certificate: AeoCertificateId = row.try_get("id")?;
    sqlx::query(
        "INSERT INTO aeo_reassessments (certificate_id, done_on, findings, next_due, done_by, done_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(certificate)
    .bind(today)
    .bind(findings)
    .bind(next_due)
    .bind(by)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(true)
}

/// One recorded reassessment: done on, what it found, by whom.
pub struct ReassessmentRow {
    pub done_on: i64,
    pub findings: String,
    pub by: Option<String>,
}

/// The reassessments of a certificate, oldest first.
pub async fn reassessments(
    conn: &mut AnyConnection,
    certificate: AeoCertificateId,
) -> Result<Vec<ReassessmentRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT r.done_on, r.findings, u.name FROM aeo_reassessments r LEFT JOIN users u ON u.id = r.done_by \
         WHERE r.certificate_id = $1 ORDER BY r.id",
    )
    .bind(certificate)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(ReassessmentRow {
                done_on: r.try_get("done_on")?,
                findings: r.try_get("findings")?,
                by: r.try_get("name")?,
            })
        })
        .collect()
}

/// Certificates in force or suspended whose reassessment is due on or before `until`, the most
/// urgent first.
pub async fn reassessments_due(conn: &mut AnyConnection, until: i64) -> Result<Vec<CertificateRow>, sqlx::Error> {
    let sql = concat!(
        certificate_select!(),
        " WHERE c.status IN ('active', 'suspended') AND c.reassessment_due <= $1 ORDER BY c.reassessment_due, c.id"
    );
    let rows = sqlx::query(sql).bind(until).fetch_all(conn).await?;
    rows.iter().map(certificate_row).collect()
}
