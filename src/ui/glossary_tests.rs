//! The interface wording follows the glossary of issue 8 (one word per idea in en/ru/kk). Above
//! all, the officer's review of a submission is «рассмотрение» / «қарау»: «проверка» / «тексеру»
//! is the legal word for a customs audit, and a trader who reads it thinks an audit has started.

use std::collections::BTreeMap;

/// Every string of a locale file by its dotted key (`review.finish`).
fn strings(language: &str) -> BTreeMap<String, String> {
    fn walk(prefix: &str, value: &serde_json::Value, out: &mut BTreeMap<String, String>) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, value) in map {
                    let key = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
                    walk(&key, value, out);
                }
            }
            serde_json::Value::String(text) => {
                out.insert(prefix.to_owned(), text.clone());
            }
            other => panic!("{prefix} is not a string: {other}"),
        }
    }
    // One file per namespace: locales/<language>/<namespace>.json.
    let dir = format!("locales/{language}");
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{dir}: {e}")) {
        let path = entry.unwrap_or_else(|e| panic!("{dir}: {e}")).path();
        let namespace = path.file_stem().and_then(|s| s.to_str()).unwrap_or_else(|| panic!("{path:?}")).to_owned();
        let source = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
        let json: serde_json::Value = serde_json::from_str(&source).unwrap_or_else(|e| panic!("{path:?}: {e}"));
        walk(&namespace, &json, &mut out);
    }
    out
}

/// Whether English `text` speaks of a review: "review", "reviews", "reviewed", "reviewer"… as a
/// word of its own ("preview" is not a review).
fn speaks_of_review(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.match_indices("review").any(|(at, _)| !lower[..at].chars().next_back().is_some_and(char::is_alphabetic))
}

/// Keys whose English says "review" without meaning the officer's review of a submission.
const NOT_THE_OFFICERS_REVIEW: [&str; 1] = [
    // The trader's own last look at its answers before submitting (the page is "Check and submit").
    "assessment.review_and_submit",
];

#[test]
fn the_officers_review_is_never_called_a_customs_audit_in_ru_or_kk() {
    let (en, ru, kk) = (strings("en"), strings("ru"), strings("kk"));
    let review_keys: Vec<&String> = en
        .iter()
        .filter(|(key, text)| speaks_of_review(text) && !NOT_THE_OFFICERS_REVIEW.contains(&key.as_str()))
        .map(|(key, _)| key)
        .collect();
    for expected in ["nav.reviews", "home.reviews_card", "review.finish", "traders.latest_score", "review.reviewer"] {
        assert!(review_keys.iter().any(|k| k.as_str() == expected), "{expected} speaks of the review: {review_keys:?}");
    }
    let mut wrong = Vec::new();
    for key in &review_keys {
        let (ru_text, kk_text) = (&ru[key.as_str()], &kk[key.as_str()]);
        if ru_text.to_lowercase().contains("провер") {
            wrong.push(format!("ru {key}: {ru_text}"));
        }
        if kk_text.to_lowercase().contains("тексер") {
            wrong.push(format!("kk {key}: {kk_text}"));
        }
    }
    assert!(wrong.is_empty(), "the review is «рассмотрение» / «қарау», not an audit:\n{}", wrong.join("\n"));
}

#[test]
fn deactivating_an_account_is_blocking_it_in_ru_and_kk() {
    // «Өшіру» reads as deleting the account; the glossary uses «бұғаттау» / «заблокировать».
    let (en, ru, kk) = (strings("en"), strings("ru"), strings("kk"));
    let keys: Vec<&String> =
        en.iter().filter(|(_, t)| t.to_lowercase().contains("deactivat")).map(|(k, _)| k).collect();
    assert!(keys.len() >= 5, "{keys:?}");
    for key in keys {
        let (ru_text, kk_text) = (ru[key.as_str()].to_lowercase(), kk[key.as_str()].to_lowercase());
        assert!(ru_text.contains("блок") && !ru_text.contains("деактив"), "ru {key}: {ru_text}");
        assert!(kk_text.contains("бұғат") && !kk_text.contains("өшір"), "kk {key}: {kk_text}");
    }
}

#[test]
fn a_questionnaire_is_an_anketa_in_russian_locales_and_shipped_templates() {
    let mut sources: Vec<(String, String)> = vec![("locales/ru".into(), strings("ru").into_values().collect())];
    for path in
        ["templates/t1-general-compliance.toml", "templates/t2-aeo-readiness.toml", "templates/t3-pca-pre-visit.toml"]
    {
        sources.push((path.into(), std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"))));
    }
    for (path, text) in sources {
        assert!(!text.to_lowercase().contains("опросник"), "{path}: «анкета», not «опросник»");
    }
}
