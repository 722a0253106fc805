//! The `senim` command line. Hand-parsed to keep the binary lean; every command prints what it
//! did and exits non-zero on failure.

use super::{config::Config, db::Db};
use crate::domain::{email, password as policy, role::Role, text};
use anyhow::{Context, bail};
use std::io::Read;
use std::process::ExitCode;

const USAGE: &str = "\
usage:
  senim [serve]                      serve the web application
  senim migrate                      apply database migrations and exit
  senim admin create --email E --name N [--role customs_admin|officer|supervisor] [--password-stdin]
                                     create a customs staff account; without --password-stdin a
                                     strong password is generated and printed once
  senim demo [--if-empty] [--traders N]
                                     load the fictional demo organisations and users; with
                                     --traders, N synthetic traders as well (for the dashboard)
  senim audit verify                 check the audit chain; exit 1 at the first broken link
  senim bench seed --organisations N --sessions M --out FILE
                                     benchmark data (needs `senim demo` first): N traders with a
                                     submitted T1; writes M lines \"session-token draft-id\" to FILE
  senim bench disclosures --lines N --others M --out FILE
                                     a disclosure of N lines imported from CSV (timed) and M more
                                     submitted; FILE-trader.txt and FILE-officer.txt get the sessions
  senim bench inserts --seconds S    the raw rate of single-row committed inserts
  senim bench traders --count N --out FILE
                                     N synthetic traders (statistics, reviews, findings, debts),
                                     then a timed full rescore; FILE gets an officer's session";

/// Runs the command in `args`.
pub async fn run(args: &[String]) -> anyhow::Result<ExitCode> {
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    match words.as_slice() {
        [] | ["serve"] => {
            super::serve().await?;
            Ok(ExitCode::SUCCESS)
        }
        ["migrate"] => {
            connect().await?;
            println!("migrations applied");
            Ok(ExitCode::SUCCESS)
        }
        ["admin", "create", rest @ ..] => admin_create(rest).await,
        ["demo", rest @ ..] => {
            let (if_empty, traders) = match rest {
                [] => (false, None),
                ["--if-empty"] => (true, None),
                ["--traders", n] => (false, Some(n.parse::<usize>().context("--traders")?)),
                ["--if-empty", "--traders", n] | ["--traders", n, "--if-empty"] => {
                    (true, Some(n.parse::<usize>().context("--traders")?))
                }
                _ => bail!("{USAGE}"),
            };
            let state = app_state().await?;
            let loaded = crate::demo::load(&state, if_empty).await?;
            if let (true, Some(n)) = (loaded, traders) {
                let seeded = crate::demo::bench::seed_traders(&state, n).await?;
                println!("demo: {n} synthetic traders added and every trader rescored in {} ms", seeded.rescore.millis);
            }
            Ok(ExitCode::SUCCESS)
        }
        ["audit", "verify"] => audit_verify().await,
        ["bench", "seed", "--organisations", n, "--sessions", m, "--out", file] => {
            let (n, m): (usize, usize) = (n.parse().context("--organisations")?, m.parse().context("--sessions")?);
            let state = app_state().await?;
            let started = std::time::Instant::now();
            let drafts = crate::demo::bench::seed(&state, n, m).await?;
            let lines: String = drafts.iter().map(|(token, id)| format!("{token} {id}\n")).collect();
            std::fs::write(file, lines).with_context(|| format!("cannot write {file}"))?;
            println!("seeded {n} organisations with a submitted T1 in {:.1} s", started.elapsed().as_secs_f64());
            Ok(ExitCode::SUCCESS)
        }
        ["bench", "disclosures", "--lines", n, "--others", m, "--out", file] => {
            let (n, m): (usize, usize) = (n.parse().context("--lines")?, m.parse().context("--others")?);
            let seeded = crate::demo::bench::seed_disclosures(&app_state().await?, n, m).await?;
            // Two session files in the format of bench/sessions.lua: the trader's, the officer's.
            for (who, token) in [("trader", &seeded.trader_token), ("officer", &seeded.officer_token)] {
                std::fs::write(format!("{file}-{who}.txt"), format!("{token} {}\n", seeded.big))
                    .with_context(|| format!("cannot write {file}-{who}.txt"))?;
            }
            println!(
                "import of {n} CSV lines: staging {:.0} ms, checking and inserting {:.0} ms; {m} more disclosures submitted",
                seeded.stage.as_secs_f64() * 1000.0,
                seeded.import.as_secs_f64() * 1000.0
            );
            Ok(ExitCode::SUCCESS)
        }
        ["bench", "traders", "--count", n, "--out", file] => {
            let n: usize = n.parse().context("--count")?;
            let seeded = crate::demo::bench::seed_traders(&app_state().await?, n).await?;
            std::fs::write(file, format!("{} 0\n", seeded.officer_token))
                .with_context(|| format!("cannot write {file}"))?;
            let r = &seeded.rescore;
            println!(
                "seeded {n} traders in {:.1} s; full rescore of {} traders in {} ms ({:.0} traders/s), {} snapshots",
                seeded.seed.as_secs_f64(),
                r.traders,
                r.millis,
                r.traders as f64 * 1000.0 / (r.millis.max(1) as f64),
                r.snapshots
            );
            Ok(ExitCode::SUCCESS)
        }
        ["bench", "inserts", "--seconds", s] => {
            let rate =
                crate::demo::bench::insert_baseline(&app_state().await?, s.parse().context("--seconds")?).await?;
            println!("single-row committed inserts: {rate:.0}/s");
            Ok(ExitCode::SUCCESS)
        }
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        _ => bail!("{USAGE}"),
    }
}

async fn app_state() -> anyhow::Result<super::state::AppState> {
    let config = Config::from_env()?;
    let db = Db::connect(&config.database_url).await?;
    let conf = leptos::prelude::get_configuration(None)?;
    let state = super::state::AppState::new(super::state::site_options(conf.leptos_options), db, config);
    crate::disclosure::service::reorder_queue(&state).await?;
    Ok(state)
}

async fn connect() -> anyhow::Result<Db> {
    let config = Config::from_env()?;
    Db::connect(&config.database_url).await
}

async fn admin_create(args: &[&str]) -> anyhow::Result<ExitCode> {
    let (mut raw_email, mut raw_name, mut role, mut from_stdin) = (None, None, Role::CustomsAdmin, false);
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        match *flag {
            "--email" => raw_email = rest.next().copied(),
            "--name" => raw_name = rest.next().copied(),
            "--role" => {
                let code = rest.next().copied().unwrap_or_default();
                role = Role::from_code(code).filter(|r| Role::CUSTOMS.contains(r)).with_context(|| {
                    format!("--role must be one of customs_admin, officer, supervisor; got {code:?}")
                })?;
            }
            "--password-stdin" => from_stdin = true,
            other => bail!("unknown option {other:?}\n{USAGE}"),
        }
    }
    let email =
        email::parse(raw_email.context("--email is required")?).map_err(|e| anyhow::anyhow!("--email: {e:?}"))?;
    let name =
        text::person_name(raw_name.context("--name is required")?).map_err(|e| anyhow::anyhow!("--name: {e:?}"))?;
    let password = if from_stdin {
        let mut input = String::new();
        std::io::stdin().read_to_string(&mut input)?;
        input.trim_end_matches(['\r', '\n']).to_owned()
    } else {
        generate_password()?
    };
    policy::check(&password, &[&name, &email]).map_err(|e| {
        anyhow::anyhow!("password refused: {e:?} (15 to 256 characters, not common, not your name or e-mail)")
    })?;
    let db = connect().await?;
    let user_id = crate::demo::create_staff(&db, &email, &name, role, &password).await?;
    println!("created {} {email} (user {user_id})", role.code());
    if !from_stdin {
        println!("password (shown once): {password}");
    }
    Ok(ExitCode::SUCCESS)
}

/// A random password of five groups of five lower-case letters and digits (about 129 bits).
pub fn generate_password() -> anyhow::Result<String> {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
    let mut bytes = [0u8; 25];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("random source failed: {e}"))?;
    let chars: Vec<char> = bytes.iter().map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()])).collect();
    Ok(chars.chunks(5).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-"))
}

async fn audit_verify() -> anyhow::Result<ExitCode> {
    let db = connect().await?;
    match crate::audit::service::verify(&db.pool).await? {
        crate::audit::service::Verification::Intact(n) => {
            println!("audit chain intact: {n} events verified");
            let mut receipts = crate::assessment::service::verify_receipts(&db.pool).await?;
            let disclosures = crate::disclosure::service::verify_receipts(&db.pool).await?;
            receipts.checked += disclosures.checked;
            receipts.mismatched.extend(disclosures.mismatched);
            let aeo = crate::aeo::service::verify_receipts(&db.pool).await?;
            receipts.checked += aeo.checked;
            receipts.mismatched.extend(aeo.mismatched);
            if receipts.mismatched.is_empty() {
                println!("receipts intact: {} submissions match their content hash", receipts.checked);
                Ok(ExitCode::SUCCESS)
            } else {
                println!(
                    "receipts BROKEN: {} do not match their content: {:?}",
                    receipts.mismatched.len(),
                    receipts.mismatched
                );
                Ok(ExitCode::FAILURE)
            }
        }
        crate::audit::service::Verification::Broken { seq, kind } => {
            println!("audit chain BROKEN at event {seq}: {kind:?}");
            Ok(ExitCode::FAILURE)
        }
    }
}
