//! Self-assessment use cases: start, view, save a section (compare-and-set per answer), and
//! submit (attestation, completeness, canonical content hash, receipt and audit event in one
//! transaction).

use super::api::{
    AnswerConflict, AnswerEntry, AssessmentSummary, AssessmentView, CarryMove, EvidenceView, LeftBehind, Receipt,
    SaveOutcome,
};
use super::db;
pub use super::db::DirectoryCounts;
use crate::audit::service::{Event, Who, record};
use crate::auth::Actor;
use crate::domain::answer::{self, Answer, Answers, RawAnswer};
use crate::domain::assessment::{AssessmentAction, AssessmentStatus, submission_number};
use crate::domain::id::{AssessmentId, EvidenceId, OrganisationId, TemplateId};
use crate::domain::questionnaire::{Template, TemplateStatus};
use crate::domain::revision::NotCarriedReason;
use crate::domain::scoring;
use crate::domain::time::Timestamp;
use crate::domain::validation::{Collector, ErrorCode};
use crate::error::AppError;
use crate::questionnaire::TemplateSummary;
use crate::receipt;
use crate::server::{db::now, state::AppState};
use std::collections::BTreeMap;
use std::sync::Arc;

async fn template(state: &AppState, template_id: TemplateId) -> Result<(TemplateSummary, Arc<Template>), AppError> {
    crate::questionnaire::service::find(state, template_id).await?.ok_or(AppError::NotFound)
}

fn parse_answers(rows: Vec<db::AnswerRow>) -> Result<BTreeMap<String, AnswerEntry>, AppError> {
    rows.into_iter()
        .map(|r| {
            let answer: Answer =
                serde_json::from_str(&r.value).map_err(|e| crate::error::internal("stored answer", &e))?;
            Ok((r.key, AnswerEntry { answer, version: r.version, updated_by: r.updated_by, updated_at: r.updated_at }))
        })
        .collect()
}

fn counts(files: &[db::EvidenceRow]) -> BTreeMap<String, u32> {
    let mut out = BTreeMap::new();
    for f in files {
        *out.entry(f.question_key.clone()).or_insert(0) += 1;
    }
    out
}

fn plain(entries: &BTreeMap<String, AnswerEntry>) -> Answers {
    entries.iter().map(|(k, e)| (k.clone(), e.answer.clone())).collect()
}

fn summary(row: &db::AssessmentRow, t: &(TemplateSummary, Arc<Template>), answers: &Answers) -> AssessmentSummary {
    let progress = answer::progress(&t.1, answers);
    AssessmentSummary {
        id: row.id,
        template: format!("{} {}", t.0.code, t.0.version),
        title: t.1.title.clone(),
        status: row.status,
        answered: progress.iter().map(|p| p.answered).sum(),
        required: progress.iter().map(|p| p.required).sum(),
        due_at: row.due_at,
        issued_by: row.issued_by.clone(),
        overdue: overdue(row.status, row.due_at, now()),
        updated_at: row.updated_at,
    }
}

/// Whether an assessment due at `due_at` (UTC midnight of the due day) is late at `now`: the whole
/// due day counts, and only assessments still with the trader can be late.
pub(crate) fn overdue(status: AssessmentStatus, due_at: Option<Timestamp>, now: Timestamp) -> bool {
    status.editable() && due_at.is_some_and(|due| now >= due.plus_millis(86_400_000))
}

fn carry_move(m: db::CarryMoveRow) -> CarryMove {
    CarryMove {
        assessment_id: m.assessment_id,
        organisation: m.organisation,
        from_version: m.from_version,
        to_version: m.to_version,
        carried: u32::try_from(m.carried).unwrap_or(0),
        moved_at: m.moved_at,
        left: m
            .left
            .into_iter()
            .filter_map(|(question, item, reason, previous)| {
                let evidence = item == "evidence";
                let previous = if evidence {
                    previous
                } else {
                    serde_json::from_str::<Answer>(&previous).map(|a| a.summary()).unwrap_or(previous)
                };
                Some(LeftBehind { question, evidence, reason: NotCarriedReason::from_code(&reason)?, previous })
            })
            .collect(),
    }
}

/// Moves of a template version's drafts, for its page.
pub(crate) async fn moves_to_template(state: &AppState, template_id: TemplateId) -> Result<Vec<CarryMove>, AppError> {
    Ok(db::carry_moves_to_template(&state.db.pool, template_id).await?.into_iter().map(carry_move).collect())
}

/// Inside the publishing transaction of `new_id`: moves every draft on an older version of the
/// same template code to it. Answers travel by question key when still valid; the others (and
/// evidence of questions no longer taking it) are removed from the draft and kept in the carry
/// report with their previous value. Returns how many drafts moved.
pub(crate) async fn carry_forward(
    state: &AppState,
    conn: &mut sqlx::AnyConnection,
    actor: &Actor,
    new_id: TemplateId,
    new: &Template,
) -> Result<u32, AppError> {
    use crate::domain::questionnaire::EvidenceLevel;
    let version = (i64::from(new.version.major), i64::from(new.version.minor), i64::from(new.version.patch));
    let drafts = db::drafts_on_older_versions(conn, &new.code, version).await?;
    let now = now();
    let mut moved = 0;
    let mut old_templates: BTreeMap<TemplateId, Arc<Template>> = BTreeMap::new();
    for (id, old_id) in drafts {
        let old = match old_templates.entry(old_id) {
            std::collections::btree_map::Entry::Occupied(found) => found.into_mut(),
            std::collections::btree_map::Entry::Vacant(slot) => slot.insert(template(state, old_id).await?.1),
        };
        let answers = plain(&parse_answers(db::answers(conn, id).await?)?);
        let carried = crate::domain::revision::carry_forward(old, new, &answers);
        let old = &*old;
        if !db::move_to_template(conn, id, old_id, new_id, now).await? {
            continue;
        }
        let move_id = db::insert_carry_move(conn, id, (old_id, new_id), carried.kept.len() as i64, now).await?;
        for d in &carried.dropped {
            db::drop_answer(conn, id, &d.question).await?;
            let json = serde_json::to_string(&d.answer).map_err(|e| crate::error::internal("answer", &e))?;
            db::insert_carry_report(conn, move_id, &d.question, ("answer", d.reason.code()), &json).await?;
        }
        let mut files_left = 0;
        for key in old.questions().map(|(_, q)| q.key.clone()) {
            let reason = match new.question(&key) {
                None => NotCarriedReason::QuestionRemoved,
                Some(q) if q.evidence.level == EvidenceLevel::None => NotCarriedReason::NoLongerValid,
                Some(_) => continue,
            };
            for (file_id, name) in db::evidence_of_question(conn, id, &key).await? {
                db::delete_evidence(conn, id, file_id).await?;
                db::insert_carry_report(conn, move_id, &key, ("evidence", reason.code()), &name).await?;
                files_left += 1;
            }
        }
        let event = Event::success("assessment.carry_forward", "assessment", id).with(serde_json::json!({
            "from": old_id, "to": new_id, "carried": carried.kept.len(),
            "not_carried": carried.dropped.iter().map(|d| &d.question).collect::<Vec<_>>(), "files_removed": files_left,
        }));
        record(conn, &Who::from(actor), event).await?;
        moved += 1;
    }
    Ok(moved)
}

/// Inside a write: locks the assessment and says whether the trader may still change it (editable
/// status, and still on the template version the caller checked against). With `question`, after
/// an information request only the questions customs reopened may change.
async fn locked_editable(
    conn: &mut sqlx::AnyConnection,
    id: AssessmentId,
    org: OrganisationId,
    template_id: TemplateId,
    question: Option<&str>,
) -> Result<bool, AppError> {
    let (status, now_on) = db::lock(conn, id, Some(org)).await?.ok_or(AppError::NotFound)?;
    if !status.editable() || now_on != template_id {
        return Ok(false);
    }
    match question {
        Some(key) if status == AssessmentStatus::InfoRequested => Ok(db::reopened(conn, id).await?.contains(key)),
        _ => Ok(true),
    }
}

/// Removes an evidence file from an editable assessment of the actor's organisation; files that
/// were part of a submission stay.
pub async fn remove_evidence(
    state: &AppState,
    actor: &Actor,
    id: AssessmentId,
    evidence_id: EvidenceId,
) -> Result<(), AppError> {
    let row = db::find_for_org(&state.db.pool, actor.org()?, id).await?.ok_or(AppError::NotFound)?;
    if !row.status.editable() {
        return Err(AppError::Refused(ErrorCode::NotEditable));
    }
    let (file, _) =
        db::find_evidence(&state.db.pool, evidence_id, Some(actor.org()?)).await?.ok_or(AppError::NotFound)?;
    let (_, t) = template(state, row.template_id).await?;
    let mut tx = state.db.begin().await?;
    if !locked_editable(&mut tx, id, actor.org()?, row.template_id, None).await? {
        return Err(AppError::Refused(ErrorCode::NotEditable));
    }
    if !db::delete_unsubmitted_evidence(&mut tx, id, evidence_id).await? {
        return Err(AppError::Refused(ErrorCode::NotEditable));
    }
    // An evidence-only question is answered by its files: with the last one gone it is unanswered.
    let evidence_only = t
        .question(&file.question_key)
        .is_some_and(|q| q.kind == crate::domain::questionnaire::AnswerKind::EvidenceOnly);
    if evidence_only && db::evidence_of_question(&mut tx, id, &file.question_key).await?.is_empty() {
        db::drop_answer(&mut tx, id, &file.question_key).await?;
    }
    db::touch(&mut tx, id, now()).await?;
    let event = Event::success("evidence.remove", "evidence", evidence_id)
        .with(serde_json::json!({ "assessment": id, "question": file.question_key, "sha256": file.sha256 }));
    record(&mut tx, &Who::from(actor), event).await?;
    tx.commit().await?;
    Ok(())
}

/// The organisation's assessments and the templates it can start.
pub async fn list(state: &AppState, actor: &Actor) -> Result<(Vec<AssessmentSummary>, Vec<TemplateSummary>), AppError> {
    let org = actor.org()?;
    let library = crate::questionnaire::service::library(state).await?;
    // All the organisation's answers in one query, grouped by assessment.
    let mut by_assessment: BTreeMap<AssessmentId, Vec<db::AnswerRow>> = BTreeMap::new();
    for (assessment_id, answer) in db::answers_for_org(&state.db.pool, org).await? {
        by_assessment.entry(assessment_id).or_default().push(answer);
    }
    let mut out = Vec::new();
    for row in db::list_for_org(&state.db.pool, org).await? {
        let Some(t) = library.iter().find(|(s, _)| s.id == row.template_id) else { continue };
        let answers = plain(&parse_answers(by_assessment.remove(&row.id).unwrap_or_default())?);
        out.push(summary(&row, t, &answers));
    }
    let published = library.into_iter().map(|(s, _)| s).filter(|s| s.status == TemplateStatus::Published).collect();
    Ok((out, published))
}

/// The organisation's assessments on templates of `purpose` that were submitted (whatever the
/// review made of them since): (id, `CODE version`), newest first. What an AEO application may
/// rest on, whatever the deployment names its readiness template.
pub async fn submitted_for(
    state: &AppState,
    organisation: OrganisationId,
    purpose: crate::domain::questionnaire::Purpose,
) -> Result<Vec<(AssessmentId, String)>, AppError> {
    let library = crate::questionnaire::service::library(state).await?;
    Ok(db::list_for_org(&state.db.pool, organisation)
        .await?
        .into_iter()
        .filter(|row| row.status != AssessmentStatus::Draft && row.status != AssessmentStatus::Withdrawn)
        .filter_map(|row| {
            let (t, _) = library.iter().find(|(s, _)| s.id == row.template_id)?;
            (t.purpose == purpose).then(|| (row.id, format!("{} {}", t.code, t.version)))
        })
        .collect())
}

/// Starts a draft on a published template.
pub async fn start(state: &AppState, actor: &Actor, template_id: TemplateId) -> Result<AssessmentId, AppError> {
    let org = actor.org()?;
    let (t, _) = template(state, template_id).await?;
    if t.status != TemplateStatus::Published {
        return Err(AppError::NotFound);
    }
    let mut tx = state.db.begin().await?;
    let id = db::insert(&mut tx, org, template_id, actor.user_id, now()).await?;
    let event = Event::success("assessment.start", "assessment", id)
        .with(serde_json::json!({ "template": format!("{} {}", t.code, t.version) }));
    record(&mut tx, &Who::from(actor), event).await?;
    tx.commit().await?;
    Ok(id)
}

/// The full view of one of the caller's organisation's assessments.
pub async fn view(state: &AppState, actor: &Actor, id: AssessmentId) -> Result<AssessmentView, AppError> {
    let org = actor.org()?;
    let row = db::find_for_org(&state.db.pool, org, id).await?.ok_or(AppError::NotFound)?;
    let t = template(state, row.template_id).await?;
    let entries = {
        let mut conn = state.db.pool.acquire().await?;
        parse_answers(db::answers(&mut conn, id).await?)?
    };
    let answers = plain(&entries);
    let files = db::list_evidence(&state.db.pool, id).await?;
    let evidence = counts(&files);
    let reviews = {
        let mut conn = state.db.pool.acquire().await?;
        db::reviews(&mut conn, id).await?
    };
    let verdicts: BTreeMap<String, scoring::Review> = reviews
        .iter()
        .map(|(k, r)| (k.clone(), scoring::Review { verification: r.verification, override_credit: r.override_credit }))
        .collect();
    let latest = receipt::latest(&state.db.pool, &db::RECEIPTS, id).await?;
    let last_submitted = latest.as_ref().map_or(Timestamp::from_millis(-1), |s| s.submitted_at);
    let removable = if row.status.editable() {
        files.iter().filter(|f| f.uploaded_at > last_submitted).map(|f| f.id).collect()
    } else {
        Vec::new()
    };
    let receipt = latest.map(|s| Receipt {
        number: s.number,
        organisation: row.organisation_name.clone(),
        template: format!("{} {}", t.0.code, t.0.version),
        submitted_by: s.submitted_by,
        submitted_at: s.submitted_at,
        content_sha256: s.content_sha256,
        audit_seq: s.audit_seq,
        audit_hash: s.audit_hash,
    });
    let moves = db::carry_moves_for_assessment(&state.db.pool, org, id).await?.into_iter().map(carry_move).collect();
    Ok(AssessmentView {
        moves,
        removable,
        summary: summary(&row, &t, &answers),
        progress: answer::progress(&t.1, &answers),
        preview: scoring::score(&t.1, &answers, &evidence, &verdicts),
        missing: answer::missing(&t.1, &answers, &evidence),
        can_submit: actor.role.can_sign() && row.status.can(AssessmentAction::Submit),
        template: Template::clone(&t.1),
        answers: entries,
        receipt,
        last_save: crate::auth::service::take_flash(state, actor)
            .await?
            .and_then(|flash| serde_json::from_str(&flash).ok()),
        evidence: files
            .into_iter()
            .map(|f| EvidenceView {
                id: f.id,
                question: f.question_key,
                file_name: f.file_name,
                size_bytes: f.size_bytes,
                sha256: f.sha256,
            })
            .collect(),
        reviews,
    })
}

/// Saves one section's answers. All values are checked first (nothing is saved when any is
/// invalid); then each changed answer is stored only if nobody changed it since it was loaded.
///
/// This is the request traders make most (every autosave), so it is one write transaction of as
/// few statements as the guarantees allow (docs/benchmarks.md): the lock stamps the activity time,
/// the section's answers are read once, only the answers being saved are parsed, and each store
/// returns the version it wrote.
pub async fn save_section(
    state: &AppState,
    actor: &Actor,
    id: AssessmentId,
    section_key: &str,
    raw: &BTreeMap<String, RawAnswer>,
    versions: &BTreeMap<String, i64>,
) -> Result<SaveOutcome, AppError> {
    let org = actor.org()?;
    let now = now();
    // Autosaves are frequent and small: they skip the commit fsync (see `Db::begin_relaxed`).
    let mut tx = state.db.begin_relaxed().await?;
    // The status that allows the edit is read under the lock the write holds, so a submission or a
    // customs decision committed meanwhile is seen here and the save refused. The template is the
    // one the locked row names, so the answers are checked against the questions they belong to.
    let (status, template_id) = db::lock_touching(&mut tx, id, org, now).await?.ok_or(AppError::NotFound)?;
    let template =
        crate::questionnaire::service::content_in(state, &mut tx, template_id).await?.ok_or(AppError::NotFound)?;
    let section = template.sections.iter().find(|s| s.key == section_key).ok_or(AppError::NotFound)?;
    let mut errors = Collector::default();
    let mut parsed: Vec<(&str, Option<Answer>)> = Vec::new();
    for q in &section.questions {
        let Some(raw_answer) = raw.get(&q.key) else { continue };
        // Each refused table cell is reported at its own field, the rest at the question.
        match answer::parse_detailed(q, raw_answer) {
            Ok(value) => parsed.push((&q.key, value)),
            Err(refused) => {
                for e in refused {
                    errors.push(&answer::error_field(&q.key, e.spot), e.code);
                }
            }
        }
    }
    if raw.keys().any(|k| !section.questions.iter().any(|q| &q.key == k)) {
        return Err(AppError::BadRequest);
    }
    errors.finish()?;
    if !status.editable() {
        return Err(AppError::Refused(ErrorCode::NotEditable));
    }
    if status == AssessmentStatus::InfoRequested {
        let reopened = db::reopened(&mut tx, id).await?;
        if raw.keys().any(|k| !reopened.contains(k)) {
            return Err(AppError::Refused(ErrorCode::NotReopened));
        }
    }
    // Read under the lock: these are the stored answers and versions no other write can change
    // before this commit, so the versions returned below need no second read.
    let stored: BTreeMap<String, db::AnswerRow> =
        db::answers(&mut tx, id).await?.into_iter().map(|r| (r.key.clone(), r)).collect();
    let mut outcome = SaveOutcome::default();
    let mut written: BTreeMap<&str, i64> = BTreeMap::new();
    for (key, value) in parsed {
        let previous = match stored.get(key) {
            Some(row) => Some(
                serde_json::from_str::<Answer>(&row.value).map_err(|e| crate::error::internal("stored answer", &e))?,
            ),
            None => None,
        };
        if previous == value {
            continue;
        }
        let expected = versions.get(key).copied().unwrap_or(0);
        let now_at = match &value {
            None => db::clear_answer(&mut tx, id, key, expected).await?.then_some(0),
            Some(v) => {
                let json = serde_json::to_string(v).map_err(|e| crate::error::internal("answer serialisation", &e))?;
                db::put_answer(&mut tx, id, key, &json, expected, actor.user_id, now).await?
            }
        };
        match now_at {
            Some(version) => {
                outcome.saved += 1;
                written.insert(key, version);
            }
            None => outcome.conflicts.push(AnswerConflict {
                question: key.to_owned(),
                yours: value.as_ref().map(Answer::summary).unwrap_or_default(),
                theirs: previous.as_ref().map(Answer::summary).unwrap_or_default(),
                by: stored.get(key).map(|row| row.updated_by.clone()).unwrap_or_default(),
            }),
        }
    }
    outcome.versions = section
        .questions
        .iter()
        .map(|q| {
            let version = written.get(q.key.as_str()).copied().or_else(|| stored.get(&q.key).map(|r| r.version));
            (q.key.clone(), version.unwrap_or(0))
        })
        .collect();
    if outcome.saved == 0 {
        // Nothing stored (unchanged or all in conflict): the activity stamp is undone with it.
        tx.rollback().await?;
        return Ok(outcome);
    }
    let event = Event::success("assessment.save", "assessment", id)
        .with(serde_json::json!({ "section": section_key, "answers": outcome.saved }));
    record(&mut tx, &Who::from(actor), event).await?;
    tx.commit().await?;
    Ok(outcome)
}

/// Submits: checks the attestation and completeness, stores the canonical content with its
/// SHA-256 and the audit position, and moves the status — all in one transaction.
pub async fn submit(state: &AppState, actor: &Actor, id: AssessmentId, attested: bool) -> Result<Receipt, AppError> {
    let org = actor.org()?;
    let row = db::find_for_org(&state.db.pool, org, id).await?.ok_or(AppError::NotFound)?;
    if !attested {
        return Err(AppError::invalid("attest", ErrorCode::MustConfirm));
    }
    let t = template(state, row.template_id).await?;
    let now = now();
    let mut tx = state.db.begin().await?;
    // Status, answers and evidence are all read under the row lock this transaction holds, so what
    // is hashed is exactly what is stored: no save or upload can slip in between.
    let (status, template_id) = db::lock(&mut tx, id, Some(org)).await?.ok_or(AppError::NotFound)?;
    let next = status.apply(AssessmentAction::Submit)?;
    if template_id != row.template_id {
        return Err(AppError::Conflict);
    }
    let entries = parse_answers(db::answers(&mut tx, id).await?)?;
    let answers = plain(&entries);
    let files = db::list_evidence(&mut *tx, id).await?;
    let missing = answer::missing(&t.1, &answers, &counts(&files));
    if !missing.is_empty() {
        return Err(AppError::Incomplete(missing));
    }
    if !db::set_status(&mut tx, id, status, next, now).await? {
        return Err(AppError::WRONG_STATE);
    }
    let nth = db::count_submissions(&mut tx, id).await? + 1;
    let (year, _, _) = crate::domain::time::civil_from_days(now.days_since_epoch());
    let number = submission_number(year, id, nth);
    // Canonical content: sorted keys, no whitespace, exactly what is hashed and stored.
    let content = serde_json::json!({
        "v": 1,
        "submission": number,
        "organisation": { "id": org, "name": row.organisation_name },
        "template": { "code": t.0.code, "version": t.0.version, "sha256": t.0.body_sha256 },
        "answers": answers,
        "evidence": files.iter().map(|f| serde_json::json!({
            "question": f.question_key, "name": f.file_name, "type": f.media_type, "size": f.size_bytes, "sha256": f.sha256,
        })).collect::<Vec<_>>(),
        "attestation": "The information given is complete and correct to the best of my knowledge.",
        "submitted_by": actor.user_id,
        "received_at": now,
    })
    .to_string();
    let submission = receipt::Submission::new(id, &number, actor.user_id, now, &content);
    let event = Event::success("assessment.submit", "assessment", id);
    let issued = receipt::issue(&mut tx, &db::RECEIPTS, &Who::from(actor), event, &submission).await?;
    tx.commit().await?;
    Ok(Receipt {
        number,
        organisation: row.organisation_name,
        template: format!("{} {}", t.0.code, t.0.version),
        submitted_by: actor.name.clone(),
        submitted_at: now,
        content_sha256: issued.content_sha256,
        audit_seq: issued.audit_seq,
        audit_hash: issued.audit_hash,
    })
}

/// Recomputes every submission's content hash and compares it with the receipt's (for `senim
/// audit verify`, and the crash tests).
pub async fn verify_receipts(pool: &sqlx::AnyPool) -> Result<receipt::ReceiptCheck, sqlx::Error> {
    receipt::verify(pool, &db::RECEIPTS).await
}

/// Everything customs may see of one assessment: what the trader submitted, never the working
/// copy. Until the first submission customs sees nothing; while the trader revises after an
/// information request customs keeps seeing the latest submission.
pub(crate) struct Loaded {
    /// The row.
    pub row: db::AssessmentRow,
    /// Its template version.
    pub template: (TemplateSummary, Arc<Template>),
    /// The submitted answers.
    pub answers: BTreeMap<String, AnswerEntry>,
    /// The submitted evidence.
    pub evidence: Vec<EvidenceView>,
    /// Submitted evidence files per question.
    pub evidence_counts: BTreeMap<String, u32>,
    /// The latest receipt.
    pub receipt: Receipt,
}

/// The answers of a stored canonical submission.
fn submitted_answers(content: &str) -> Result<Answers, AppError> {
    let value: serde_json::Value =
        serde_json::from_str(content).map_err(|e| crate::error::internal("submission content", &e))?;
    let answers = value.get("answers").cloned().unwrap_or_default();
    serde_json::from_value(answers).map_err(|e| crate::error::internal("submission answers", &e))
}

/// Loads an assessment of any organisation for customs, as last submitted; `NotFound` for one
/// never submitted (a draft is the trader's own working space).
pub(crate) async fn load_for_review(state: &AppState, id: AssessmentId) -> Result<Loaded, AppError> {
    let row = db::find_any(&state.db.pool, id).await?.ok_or(AppError::NotFound)?;
    let (latest, content) =
        receipt::latest_with_content(&state.db.pool, &db::RECEIPTS, id).await?.ok_or(AppError::NotFound)?;
    let t = template(state, row.template_id).await?;
    let live = {
        let mut conn = state.db.pool.acquire().await?;
        parse_answers(db::answers(&mut conn, id).await?)?
    };
    let answers = submitted_answers(&content)?
        .into_iter()
        .map(|(key, answer)| {
            // Who last changed the answer, when the working copy still holds the submitted value.
            let entry = match live.get(&key) {
                Some(e) if e.answer == answer => e.clone(),
                _ => AnswerEntry {
                    answer,
                    version: 0,
                    updated_by: latest.submitted_by.clone(),
                    updated_at: latest.submitted_at,
                },
            };
            (key, entry)
        })
        .collect();
    let files: Vec<db::EvidenceRow> = db::list_evidence(&state.db.pool, id)
        .await?
        .into_iter()
        .filter(|f| f.uploaded_at <= latest.submitted_at)
        .collect();
    let receipt = Receipt {
        number: latest.number,
        organisation: row.organisation_name.clone(),
        template: format!("{} {}", t.0.code, t.0.version),
        submitted_by: latest.submitted_by,
        submitted_at: latest.submitted_at,
        content_sha256: latest.content_sha256,
        audit_seq: latest.audit_seq,
        audit_hash: latest.audit_hash,
    };
    Ok(Loaded {
        evidence_counts: counts(&files),
        evidence: files
            .into_iter()
            .map(|f| EvidenceView {
                id: f.id,
                question: f.question_key,
                file_name: f.file_name,
                size_bytes: f.size_bytes,
                sha256: f.sha256,
            })
            .collect(),
        row,
        template: t,
        answers,
        receipt,
    })
}

/// The verdicts on a submitted assessment's answers, for customs.
pub(crate) async fn verdicts(
    state: &AppState,
    id: AssessmentId,
) -> Result<BTreeMap<String, super::api::ReviewEntry>, AppError> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(db::reviews(&mut conn, id).await?)
}

/// The review queue: submitted and later assessments (never drafts), oldest change first.
pub(crate) async fn queue(
    state: &AppState,
    status: Option<&str>,
    template: Option<&str>,
    trader: Option<&str>,
    submitted_before: Option<Timestamp>,
) -> Result<Vec<super::api::QueueItem>, AppError> {
    Ok(db::queue(&state.db.pool, status, template, trader, submitted_before).await?)
}

/// The stored canonical content of the latest two submissions, newest first, as (number, content).
pub(crate) async fn last_two_submissions(
    state: &AppState,
    id: AssessmentId,
) -> Result<Vec<(String, String)>, AppError> {
    Ok(db::last_two_submissions(&state.db.pool, id).await?)
}

/// Locks a submitted assessment inside a customs write and applies `action` to its status: the
/// one check every customs step makes, under the lock, so it cannot race a trader's write.
/// Returns the status before and after.
async fn customs_step(
    conn: &mut sqlx::AnyConnection,
    id: AssessmentId,
    action: AssessmentAction,
) -> Result<(AssessmentStatus, AssessmentStatus), AppError> {
    let (status, _) = db::lock(conn, id, None).await?.ok_or(AppError::NotFound)?;
    if status == AssessmentStatus::Draft {
        // Customs cannot see drafts, so it cannot act on one either.
        return Err(AppError::NotFound);
    }
    Ok((status, status.apply(action)?))
}

/// A verdict an officer records on one answer.
pub(crate) struct Verdict<'a> {
    /// Verified, rejected or information requested.
    pub verification: scoring::Verification,
    /// A replacement credit (thousandths).
    pub credit: Option<u16>,
    /// The reason, where one is required.
    pub reason: Option<&'a str>,
    /// The decision as the officer chose it, for the audit event.
    pub decision: &'a str,
}

/// Takes a submitted assessment for review.
pub(crate) async fn start_review(state: &AppState, actor: &Actor, id: AssessmentId) -> Result<(), AppError> {
    let mut tx = state.db.begin().await?;
    customs_step(&mut tx, id, AssessmentAction::StartReview).await?;
    if !db::start_review(&mut tx, id, actor.user_id, now()).await? {
        return Err(AppError::WRONG_STATE);
    }
    record(&mut tx, &Who::from(actor), Event::success("review.assign", "assessment", id)).await?;
    tx.commit().await?;
    Ok(())
}

/// Records a verdict on one answer of an assessment under review.
pub(crate) async fn record_verdict(
    state: &AppState,
    actor: &Actor,
    id: AssessmentId,
    question: &str,
    verdict: Verdict<'_>,
) -> Result<(), AppError> {
    let mut tx = state.db.begin().await?;
    let (status, template_id) = db::lock(&mut tx, id, None).await?.ok_or(AppError::NotFound)?;
    if status != AssessmentStatus::UnderReview {
        return Err(if status == AssessmentStatus::Draft { AppError::NotFound } else { AppError::WRONG_STATE });
    }
    let (_, t) = template(state, template_id).await?;
    if t.question(question).is_none() {
        return Err(AppError::NotFound);
    }
    let now = now();
    db::put_review(&mut tx, id, question, verdict.verification, verdict.credit, verdict.reason, actor.user_id, now)
        .await?;
    let event = Event::success("review.decide", "assessment", id)
        .with(serde_json::json!({ "question": question, "decision": verdict.decision, "credit": verdict.credit }));
    record(&mut tx, &Who::from(actor), event).await?;
    tx.commit().await?;
    Ok(())
}

/// Sends the answers marked "information requested" back to the trader.
pub(crate) async fn request_info(state: &AppState, actor: &Actor, id: AssessmentId) -> Result<(), AppError> {
    let mut tx = state.db.begin().await?;
    let (from, to) = customs_step(&mut tx, id, AssessmentAction::RequestInfo).await?;
    let reopened = db::reopened(&mut tx, id).await?;
    if reopened.is_empty() {
        return Err(AppError::invalid("request_info", ErrorCode::Required));
    }
    if !db::set_status(&mut tx, id, from, to, now()).await? {
        return Err(AppError::WRONG_STATE);
    }
    let event =
        Event::success("review.request_info", "assessment", id).with(serde_json::json!({ "questions": reopened }));
    record(&mut tx, &Who::from(actor), event).await?;
    tx.commit().await?;
    Ok(())
}

/// Finishes the review: no answer may still await information; the score of the submitted
/// answers with every verdict is computed and frozen. Returns it in basis points.
pub(crate) async fn finish_review(state: &AppState, actor: &Actor, id: AssessmentId) -> Result<u32, AppError> {
    let loaded = load_for_review(state, id).await?;
    let mut tx = state.db.begin().await?;
    customs_step(&mut tx, id, AssessmentAction::FinishReview).await?;
    let reviews = db::reviews(&mut tx, id).await?;
    if reviews.values().any(|r| r.verification == scoring::Verification::InfoRequested) {
        return Err(AppError::Refused(ErrorCode::InformationOutstanding));
    }
    // Under review nothing can change the submission, so what was loaded is what is scored.
    let answers = plain(&loaded.answers);
    let verdicts = reviews
        .iter()
        .map(|(k, r)| (k.clone(), scoring::Review { verification: r.verification, override_credit: r.override_credit }))
        .collect();
    let result = scoring::score(&loaded.template.1, &answers, &loaded.evidence_counts, &verdicts);
    let json = serde_json::to_string(&result).map_err(|e| crate::error::internal("score serialisation", &e))?;
    let now = now();
    if !db::finish(&mut tx, id, result.overall_bp.map(i64::from), &json, now).await? {
        return Err(AppError::WRONG_STATE);
    }
    crate::server::db::request_rescore(&mut tx, loaded.row.organisation_id, "review.finish", now).await?;
    let event = Event::success("review.finish", "assessment", id)
        .with(serde_json::json!({ "score_bp": result.overall_bp, "knock_outs": result.knock_outs_failed }));
    record(&mut tx, &Who::from(actor), event).await?;
    tx.commit().await?;
    Ok(result.overall_bp.unwrap_or(0))
}

/// The section key of a question of one of the actor's organisation's assessments.
pub async fn section_of(state: &AppState, actor: &Actor, id: AssessmentId, question: &str) -> Result<String, AppError> {
    let row = db::find_for_org(&state.db.pool, actor.org()?, id).await?.ok_or(AppError::NotFound)?;
    let (_, t) = template(state, row.template_id).await?;
    t.questions().find(|(_, q)| q.key == question).map(|(s, _)| s.key.clone()).ok_or(AppError::NotFound)
}

/// Attaches an evidence file to a question: checks the assessment is editable, the question takes
/// evidence, the size, and the type by content. Returns the question's section key.
pub async fn attach_evidence(
    state: &AppState,
    actor: &Actor,
    id: AssessmentId,
    question: &str,
    raw_name: &str,
    bytes: &[u8],
) -> Result<String, AppError> {
    use crate::domain::evidence::{check, display_name, media_type};
    use crate::domain::questionnaire::{AnswerKind, EvidenceLevel};
    let org = actor.org()?;
    let row = db::find_for_org(&state.db.pool, org, id).await?.ok_or(AppError::NotFound)?;
    if !row.status.editable() {
        return Err(AppError::Refused(ErrorCode::NotEditable));
    }
    let (_, t) = template(state, row.template_id).await?;
    let (section, q) = t.questions().find(|(_, q)| q.key == question).ok_or(AppError::NotFound)?;
    if q.evidence.level == EvidenceLevel::None {
        return Err(AppError::Refused(ErrorCode::FileTypeNotAllowed));
    }
    let kind = check(bytes, state.config.evidence_max_bytes, &state.config.office_limits).map_err(AppError::Refused)?;
    if !q.evidence.types.is_empty() && !q.evidence.types.contains(&kind) {
        return Err(AppError::Refused(ErrorCode::FileTypeNotAllowed));
    }
    let sha = crate::evidence::sha256_hex(bytes);
    let name = display_name(raw_name);
    let now = now();
    let mut tx = state.db.begin().await?;
    // Checked again under the write's lock: the early check above only spares the work of hashing.
    if !locked_editable(&mut tx, id, org, row.template_id, Some(question)).await? {
        return Err(AppError::Refused(ErrorCode::NotEditable));
    }
    let evidence = db::NewEvidence {
        assessment_id: id,
        question_key: question,
        file_name: &name,
        media_type: media_type(kind),
        sha256: &sha,
        content: bytes,
        uploaded_by: actor.user_id,
    };
    // The same file twice on one question is acknowledged, not stored again; the unique index
    // settles two identical uploads racing past this check.
    if db::evidence_attached(&mut tx, id, question, &sha).await? {
        return Err(AppError::Refused(ErrorCode::AlreadyAttached));
    }
    let evidence_id = match db::insert_evidence(&mut tx, &evidence, now).await {
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            return Err(AppError::Refused(ErrorCode::AlreadyAttached));
        }
        other => other?,
    };
    if q.kind == AnswerKind::EvidenceOnly {
        let json = serde_json::to_string(&Answer::EvidenceOnly).map_err(|e| crate::error::internal("answer", &e))?;
        db::put_answer(&mut tx, id, question, &json, 0, actor.user_id, now).await?;
    }
    db::touch(&mut tx, id, now).await?;
    let event = Event::success("evidence.attach", "evidence", evidence_id)
        .with(serde_json::json!({ "assessment": id, "question": question, "sha256": sha, "size": bytes.len() }));
    record(&mut tx, &Who::from(actor), event).await?;
    tx.commit().await?;
    Ok(section.key.clone())
}

/// Records that a customs officer opened a trader's evidence.
pub async fn record_officer_read(state: &AppState, actor: &Actor, evidence_id: EvidenceId) -> Result<(), AppError> {
    let mut tx = state.db.begin().await?;
    record(&mut tx, &Who::from(actor), Event::success("evidence.view", "evidence", evidence_id)).await?;
    tx.commit().await?;
    Ok(())
}

/// An organisation's assessments as customs may know them: submitted at least once, or issued by
/// customs (a draft the trader started itself is not listed).
pub(crate) async fn known_to_customs(
    state: &AppState,
    organisation_id: OrganisationId,
) -> Result<Vec<super::api::TraderAssessment>, AppError> {
    Ok(db::known_to_customs(&state.db.pool, organisation_id).await?)
}

/// Issues a published template to an organisation as a draft due at `due_at` (ms): one
/// transaction with its audit event, the organisation locked so two officers cannot issue the
/// same template at once, refused while customs already knows an open assessment of it.
pub(crate) async fn issue(
    state: &AppState,
    actor: &Actor,
    organisation_id: OrganisationId,
    template: &TemplateSummary,
    due: (Timestamp, &str),
) -> Result<AssessmentId, AppError> {
    let now = now();
    let mut tx = state.db.begin().await?;
    crate::organisation::service::lock_trader(&mut tx, organisation_id).await?;
    // A draft the trader started itself is private: customs is neither told it exists nor refused
    // because of it. The same version becomes the issued one (its answers kept); another version
    // stays beside the new issued draft.
    let id = match db::open_of(&mut tx, organisation_id, &template.code).await? {
        Some(open) if open.known_to_customs => return Err(AppError::invalid("template", ErrorCode::AlreadyIssued)),
        Some(open)
            if open.template_id == template.id
                && db::adopt_as_issued(&mut tx, open.id, actor.user_id, due.0, now).await? =>
        {
            open.id
        }
        _ => db::insert_issued(&mut tx, organisation_id, template.id, actor.user_id, due.0, now).await?,
    };
    let event = Event::success("assessment.issue", "assessment", id).with(serde_json::json!({
        "organisation": organisation_id,
        "template": format!("{} {}", template.code, template.version),
        "due": due.1,
    }));
    record(&mut tx, &Who::from(actor), event).await?;
    tx.commit().await?;
    Ok(id)
}

/// What the customs directory shows of each organisation's assessments (only what customs may
/// know: submissions, issued questionnaires and frozen scores).
pub(crate) async fn directory_counts(state: &AppState) -> Result<BTreeMap<OrganisationId, DirectoryCounts>, AppError> {
    Ok(db::directory_counts(&state.db.pool).await?)
}

/// The trader's reviewed self-assessments as the compliance score reads them (every trader's, or
/// one's), each with the knock-out questions that earned nothing and that an officer verified
/// (gate G3). Answered counts every answer given; verified those an officer verified.
pub async fn for_score(
    state: &AppState,
    only: Option<OrganisationId>,
) -> Result<
    Vec<(OrganisationId, crate::domain::compliance::SelfAssessment, Vec<crate::domain::compliance::KnockOut>)>,
    AppError,
> {
    use crate::domain::compliance::{KnockOut, SelfAssessment};
    #[derive(serde::Deserialize)]
    struct Failed {
        knock_outs_failed: Vec<String>,
    }
    let rows = db::score_rows(&state.db.pool, only).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let mut knock_outs = Vec::new();
        if let Some(json) = &r.knock_out_json {
            let failed: Failed = serde_json::from_str(json).map_err(|e| crate::error::internal("frozen score", &e))?;
            if !failed.knock_outs_failed.is_empty() {
                let verified = db::verified_questions(&state.db.pool, r.id).await?;
                knock_outs = failed
                    .knock_outs_failed
                    .into_iter()
                    .filter(|q| verified.contains(q))
                    .map(|question| KnockOut { assessment: r.id, question })
                    .collect();
            }
        }
        let assessment = SelfAssessment {
            id: r.id,
            template: r.template,
            score_bp: u32::try_from(r.score_bp.clamp(0, 10_000)).unwrap_or(0),
            reviewed_on: r.reviewed_at.days_since_epoch(),
            answered: u32::try_from(r.answered).unwrap_or(u32::MAX),
            verified: u32::try_from(r.verified).unwrap_or(u32::MAX),
        };
        out.push((r.organisation, assessment, knock_outs));
    }
    Ok(out)
}

/// A reviewed assessment's section scores as (section key, English title, basis points), for
/// customs' inconsistency flags; sections where nothing counted are left out.
pub async fn section_scores(state: &AppState, id: AssessmentId) -> Result<Vec<(String, String, u32)>, AppError> {
    let Some((template_id, json)) = db::frozen_score(&state.db.pool, id).await? else {
        return Ok(Vec::new());
    };
    let result: scoring::Assessment =
        serde_json::from_str(&json).map_err(|e| crate::error::internal("frozen score", &e))?;
    let (_, t) = template(state, template_id).await?;
    Ok(result
        .sections
        .into_iter()
        .filter_map(|s| {
            let title = t.sections.iter().find(|x| x.key == s.section).map(|x| x.title.en.clone())?;
            Some((s.section, title, s.score_bp?))
        })
        .collect())
}

/// How many submitted assessments wait for customs.
pub async fn awaiting_review(state: &AppState) -> Result<i64, AppError> {
    Ok(db::awaiting_review(&state.db.pool).await?)
}

/// A trader's self-assessment as another feature reads it (the AEO application's checklist is
/// pre-filled from its T2): its status, template and answers, evidence files per question and the
/// officer's verdicts per question.
pub struct ResponseData {
    pub status: AssessmentStatus,
    pub purpose: crate::domain::questionnaire::Purpose,
    /// `T2 1.0.1`.
    pub template_label: String,
    pub template: Arc<Template>,
    pub answers: Answers,
    pub evidence: BTreeMap<String, u32>,
    pub reviews: BTreeMap<String, scoring::Review>,
}

/// One assessment of `organisation` with its answers, evidence counts and verdicts, or `None` when
/// the organisation has no assessment with this id.
pub async fn response(
    state: &AppState,
    organisation: OrganisationId,
    id: AssessmentId,
) -> Result<Option<ResponseData>, AppError> {
    let Some(row) = db::find_for_org(&state.db.pool, organisation, id).await? else {
        return Ok(None);
    };
    let (summary, template) = template(state, row.template_id).await?;
    let mut conn = state.db.pool.acquire().await?;
    let answers = plain(&parse_answers(db::answers(&mut conn, id).await?)?);
    let reviews = db::reviews(&mut conn, id)
        .await?
        .into_iter()
        .map(|(k, r)| (k, scoring::Review { verification: r.verification, override_credit: r.override_credit }))
        .collect();
    drop(conn);
    let evidence = counts(&db::list_evidence(&state.db.pool, id).await?);
    Ok(Some(ResponseData {
        status: row.status,
        purpose: summary.purpose,
        template_label: format!("{} {}", summary.code, summary.version),
        template,
        answers,
        evidence,
        reviews,
    }))
}
