//! The shape of the code, checked by reading the sources (like the server-function rule test):
//! features depend on each other in one direction only, no feature reaches into another's `db`
//! module (a feature owns its tables; others call its service functions), and `domain/` stays
//! pure. Test modules are exempt: a test may set up state any way it likes.

use std::collections::{BTreeMap, BTreeSet};

/// Features from the bottom up: each may use only those before it. `domain` (pure rules), `ui`
/// (shared components), `error` and `server` (the host: state, database handle, router) are
/// infrastructure that every feature may use, and are not in the list.
const LAYERS: &[&str] = &[
    "audit",
    "auth",
    "organisation",
    "evidence",
    "receipt",
    "staff",
    "questionnaire",
    "assessment",
    "review",
    "control",
    "finding",
    "disclosure",
    "national",
    "aeo",
    "scoring",
    "pca",
    "dashboard",
    "trader",
    "home",
    "demo",
];

/// The edges that still run against the layering, each with its reason. Adding to this list is a
/// design decision to make in review, not a way to make the test pass.
const KNOWN_BACK_EDGES: &[(&str, &str, &str)] = &[
    // Reading the audit log needs the access check; every feature (auth included) records into it.
    ("audit", "auth", "the audit pages and server functions check access through auth"),
    // Publishing a template version carries every draft forward inside the publishing transaction.
    ("questionnaire", "assessment", "carry-forward of drafts when a new template version is published"),
];

fn feature_of(path: &std::path::Path) -> Option<String> {
    let mut parts = path.strip_prefix("src").ok()?.components();
    let first = parts.next()?.as_os_str().to_str()?.to_owned();
    parts.next().map(|_| first)
}

/// Every non-test source file of each feature folder, as (feature, file, text).
fn sources() -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![std::path::PathBuf::from("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read src") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            if !name.ends_with(".rs") || name.ends_with("tests.rs") {
                continue;
            }
            if let Some(feature) = feature_of(&path) {
                let text = std::fs::read_to_string(&path).expect("read source");
                out.push((feature, path.display().to_string(), text));
            }
        }
    }
    out
}

/// The `crate::<name>::…` paths a source mentions, outside comments.
fn mentions(text: &str) -> BTreeSet<(String, bool)> {
    let mut out = BTreeSet::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or_default();
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + 7..];
            let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            let db = rest[name.len()..].starts_with("::db");
            out.insert((name, db));
        }
    }
    out
}

#[test]
fn features_depend_one_way_and_never_on_each_others_db() {
    let mut edges: BTreeMap<(String, String), String> = BTreeMap::new();
    let mut problems = Vec::new();
    for (feature, file, text) in sources() {
        for (other, db) in mentions(&text) {
            if other == feature {
                continue;
            }
            if feature == "domain" && other != "domain" {
                problems.push(format!("{file}: domain/ must stay pure, but it uses crate::{other}"));
            }
            if db && other != "server" {
                problems.push(format!("{file}: uses crate::{other}::db; call {other}'s service instead"));
            }
            if LAYERS.contains(&other.as_str()) && LAYERS.contains(&feature.as_str()) {
                edges.entry((feature.clone(), other.clone())).or_insert(file.clone());
            }
        }
    }
    let rank = |f: &str| LAYERS.iter().position(|l| *l == f).expect("layer");
    for ((from, to), file) in &edges {
        let known = KNOWN_BACK_EDGES.iter().any(|(f, t, _)| f == from && t == to);
        if rank(from) < rank(to) && !known {
            problems.push(format!("{file}: {from} uses {to}, which sits above it ({LAYERS:?})"));
        }
    }
    // A known exception that no longer exists must be removed from the list.
    for (from, to, why) in KNOWN_BACK_EDGES {
        assert!(edges.contains_key(&((*from).to_owned(), (*to).to_owned())), "stale exception {from} -> {to} ({why})");
    }
    assert!(problems.is_empty(), "structure rules broken:\n{}", problems.join("\n"));
}

#[test]
fn every_feature_folder_has_a_layer() {
    let infrastructure = ["domain", "ui", "server"];
    let unlisted: BTreeSet<String> = sources()
        .into_iter()
        .map(|(feature, _, _)| feature)
        .filter(|f| !LAYERS.contains(&f.as_str()) && !infrastructure.contains(&f.as_str()))
        .collect();
    assert!(unlisted.is_empty(), "feature folders missing from LAYERS: {unlisted:?}");
}

#[test]
fn the_scan_sees_what_it_checks() {
    let found =
        mentions("use crate::assessment::db::lock; // crate::review::db in a comment\nlet x = crate::auth::require;");
    assert!(found.contains(&("assessment".to_owned(), true)));
    assert!(found.contains(&("auth".to_owned(), false)));
    assert!(!found.iter().any(|(n, _)| n == "review"), "comments are ignored");
    assert!(sources().iter().any(|(f, _, _)| f == "assessment"), "the scan reads the feature folders");
}
