//! Demo data: the six fictional organisations of the domain reference (§7.6) with a user of each
//! trader role, plus customs staff. One random password is generated per load and printed once;
//! the deployment is then marked as a demo, which every page shows.

mod activity;
mod aeo;
pub mod bench;
mod db;
mod disclosures;
mod form;
mod scores;
#[cfg(all(test, feature = "ssr"))]
mod tests;

use crate::audit::service::{Event, Who, record};
use crate::domain::id::UserId;
use crate::domain::role::Role;
use crate::organisation::service::{NewOrganisation, NewUser, Scope, create_organisation, create_user};
use crate::server::db::{Db, now};
use anyhow::Context;

/// Legal name, BIN (fictional, with valid check digits), e-mail domain.
const ORGANISATIONS: [(&str, &str, &str); 6] = [
    ("ТОО «Steppe Electronics Import»", "990940000105", "steppe-electronics.kz"),
    ("ТОО «KazAgro Machinery Trade»", "990940000204", "kazagro-machinery.kz"),
    ("АО «Caspian Pipe Supply»", "990940000303", "caspian-pipe.kz"),
    ("ТОО «Nur Pharma Distribution»", "990940000402", "nur-pharma.kz"),
    ("ТОО «Altyn Customs Broker»", "990940000501", "altyn-broker.kz"),
    ("ТОО «Shymkent Textile Trade»", "990940000600", "shymkent-textile.kz"),
];

/// (local part, name, role) of each organisation's users.
const TRADER_USERS: [(&str, &str, Role); 3] = [
    ("admin", "Айгерим Сарсенова", Role::TraderAdmin),
    ("preparer", "Ерлан Жумабеков", Role::Preparer),
    ("signatory", "Гульнара Ахметова", Role::Signatory),
];

/// Customs staff: e-mail, name, role.
const STAFF: [(&str, &str, Role); 3] = [
    ("admin@customs.demo.kz", "Данияр Касымов", Role::CustomsAdmin),
    ("officer@customs.demo.kz", "Асель Нурланова", Role::Officer),
    ("supervisor@customs.demo.kz", "Бауыржан Сейткали", Role::Supervisor),
];

/// Loads the demo data; with `if_empty`, only when no organisation exists yet. Returns whether it
/// loaded.
pub async fn load(state: &crate::server::state::AppState, if_empty: bool) -> anyhow::Result<bool> {
    let db = &state.db;
    let existing: i64 = crate::organisation::service::count(state).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    if if_empty && existing > 0 {
        println!("demo: the database already holds {existing} organisations; nothing loaded");
        return Ok(false);
    }
    let password = crate::server::cli::generate_password()?;
    let hash = crate::auth::password::hash_blocking(&password).map_err(|e| anyhow::anyhow!("{e}"))?;
    let now = now();
    let mut tx = db.begin().await?;
    let mut accounts = Vec::new();
    let mut admins = Vec::new();
    let mut officer = None;
    let mut supervisor = None;
    for (legal_name, bin, domain) in ORGANISATIONS {
        let contact = format!("info@{domain}");
        let org = NewOrganisation { scheme: "bin", identifier: bin, legal_name, contact_email: &contact };
        let org_id = create_organisation(&mut tx, &org, now)
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))
            .with_context(|| format!("organisation {bin} already exists"))?;
        let scope = Scope::trader(org_id);
        record(&mut tx, &Who::default(), Event::success("organisation.register", "organisation", org_id)).await?;
        for (local, name, role) in TRADER_USERS {
            let email = format!("{local}@{domain}");
            let user = NewUser { scope, role, email: &email, name, password_hash: &hash };
            let user_id = create_user(&mut tx, &user, now).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
            let event = Event::success("user.create", "user", user_id)
                .with(serde_json::json!({ "role": role.code(), "demo": true }));
            record(&mut tx, &Who::default(), event).await?;
            if role == Role::TraderAdmin {
                admins.push(activity::Admin { org_id, org_name: legal_name, user_id });
            }
            accounts.push((email, role, legal_name));
        }
    }
    for (email, name, role) in STAFF {
        let scope = Scope::CUSTOMS;
        let user = NewUser { scope, role, email, name, password_hash: &hash };
        let user_id = create_user(&mut tx, &user, now).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let event = Event::success("user.create", "user", user_id)
            .with(serde_json::json!({ "role": role.code(), "demo": true }));
        record(&mut tx, &Who::default(), event).await?;
        if role == Role::Officer {
            officer = Some((user_id, name));
        }
        if role == Role::Supervisor {
            supervisor = Some(user_id);
        }
        accounts.push((email.to_owned(), role, "customs"));
    }
    crate::auth::service::mark_demo(&mut tx).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    tx.commit().await?;
    publish_templates(state).await?;
    let officer = officer.context("the demo staff include an officer")?;
    activity::load(state, &admins, officer).await?;
    let supervisor = supervisor.context("the demo staff include a supervisor")?;
    let admin = |i: usize| admins.get(i).map(|a| a.user_id).context("demo organisation");
    let aeo = aeo::load(state, admin(2)?, admin(0)?, officer.0, supervisor).await.context("demo AEO applications")?;
    println!("demo {aeo}");
    let scored = scores::load(state, supervisor, officer.0).await?;
    println!("demo scores: national data imported, {scored}");
    println!("demo data loaded: {} organisations, {} accounts", ORGANISATIONS.len(), accounts.len());
    println!("every demo account's password (shown once): {password}");
    for (email, role, org) in accounts {
        println!("  {email:<36} {:<14} {org}", role.code());
    }
    Ok(true)
}

/// The questionnaire templates Senim ships (domain reference §7.6: T1–T3), in kk, ru and en.
pub const TEMPLATES: [(&str, &str); 3] = [
    ("T1", include_str!("../../templates/t1-general-compliance.toml")),
    ("T2", include_str!("../../templates/t2-aeo-readiness.toml")),
    ("T3", include_str!("../../templates/t3-pca-pre-visit.toml")),
];

/// Imports and publishes the shipped templates (skipping versions already present).
async fn publish_templates(state: &crate::server::state::AppState) -> anyhow::Result<()> {
    for (code, source) in TEMPLATES {
        let template =
            crate::questionnaire::import::parse(source).map_err(|e| anyhow::anyhow!("template {code}: {e:?}"))?;
        let published = crate::questionnaire::service::publish_shipped(state, &template)
            .await
            .map_err(|e| anyhow::anyhow!("template {code}: {e:?}"))?;
        if published.is_some() {
            println!("template {code} {} published", template.version);
        }
    }
    Ok(())
}

/// Creates a customs staff account (for `senim admin create`).
pub async fn create_staff(db: &Db, email: &str, name: &str, role: Role, password: &str) -> anyhow::Result<UserId> {
    let hash = crate::auth::password::hash_blocking(password).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut tx = db.begin().await?;
    if crate::organisation::service::email_taken(&mut tx, email).await.map_err(|e| anyhow::anyhow!("{e:?}"))? {
        anyhow::bail!("an account with e-mail {email} already exists");
    }
    let user = NewUser { scope: Scope::CUSTOMS, role, email, name, password_hash: &hash };
    let user_id = create_user(&mut tx, &user, now()).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let event = Event::success("user.create", "user", user_id)
        .with(serde_json::json!({ "role": role.code(), "via": "command line" }));
    record(&mut tx, &Who::default(), event).await?;
    tx.commit().await?;
    Ok(user_id)
}
