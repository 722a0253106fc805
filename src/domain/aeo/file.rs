//! The AEO configuration file (`config/aeo-eaeu.toml` ships as the default, `config/aeo-eu.toml`
//! for the EU scheme; docs/aeo-config.md documents every key): TOML read into an [`AeoConfig`] and
//! checked as a whole, every problem reported with its 1-based line so an administrator can fix the
//! file before it is used. Amounts are strings (no floating point on the way in). Server only (the
//! `toml` crate is not in the browser build), like `compliance::file` and `server::rules`.
//!
//! Which T2 question keys exist is not known from this file alone: [`parse_with_questions`] also
//! checks every mapped key against the keys of the T2 template the deployment publishes.

use super::config::{AeoConfig, CertificateType, ClockRules, Condition, NumberFormat};
use crate::domain::money::{Currency, Money};
use crate::domain::questionnaire::I18nText;
use crate::domain::validation::ErrorCode;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use toml::Spanned;

/// The EAEU configuration shipped with Senim (certificate types 1, 2, 3; the default).
pub const EAEU: &str = include_str!("../../../config/aeo-eaeu.toml");

/// The EU configuration shipped with Senim (AEOC, AEOS), for a deployment that chooses it.
pub const EU: &str = include_str!("../../../config/aeo-eu.toml");

/// One problem in an AEO configuration file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// 1-based line.
    pub line: usize,
    /// What is wrong, in English (read by the administrator who wrote the file).
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

type Text = Spanned<String>;
type Int = Spanned<i64>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: Text,
    administration: Text,
    clocks: ClocksFile,
    traffic_light: LightFile,
    certificate: CertificateFile,
    conditions: Vec<ConditionFile>,
    types: Vec<TypeFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClocksFile {
    status: Text,
    acceptance_days: Int,
    decision_days: Int,
    extension_days: Int,
    hearing_days: Int,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LightFile {
    amber_days_left: Int,
    red_days_left: Int,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CertificateFile {
    number_format: Text,
    reassessment_months: Int,
    revocation_cooloff_months: Int,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LabelFile {
    kk: Text,
    ru: Text,
    en: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConditionFile {
    key: Text,
    label: LabelFile,
    legal_reference: Text,
    questions: Vec<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TypeFile {
    key: Text,
    number: Text,
    label: LabelFile,
    legal_reference: Text,
    min_years_activity: Int,
    #[serde(default)]
    min_security: Option<SecurityFile>,
    conditions: Vec<Text>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SecurityFile {
    amount: Text,
    currency: Text,
}

/// Reads and checks a configuration file; all problems at once, in line order.
pub fn parse(source: &str) -> Result<AeoConfig, Vec<ConfigError>> {
    parse_inner(source, None)
}

/// As [`parse`], and every question key a condition maps must be one of `known_questions` (the
/// keys of the T2 template in use), so a renamed question cannot silently empty a checklist.
pub fn parse_with_questions(source: &str, known_questions: &BTreeSet<String>) -> Result<AeoConfig, Vec<ConfigError>> {
    parse_inner(source, Some(known_questions))
}

/// Collects problems with their lines.
struct Problems<'s> {
    source: &'s str,
    errors: Vec<ConfigError>,
}

impl Problems<'_> {
    fn line_of(&self, offset: usize) -> usize {
        self.source[..offset.min(self.source.len())].matches('\n').count() + 1
    }

    fn at(&mut self, span: Range<usize>, message: String) {
        let line = self.line_of(span.start);
        self.errors.push(ConfigError { line, message });
    }

    /// A whole number in `range`, else a problem naming the key.
    fn number(&mut self, value: &Int, name: &str, range: std::ops::RangeInclusive<i64>, unit: &str) -> i64 {
        let n = *value.get_ref();
        if !range.contains(&n) {
            self.at(value.span(), format!("{name} = {n}: must be {} to {} {unit}", range.start(), range.end()));
        }
        n
    }

    /// A non-empty text.
    fn text(&mut self, value: &Text, name: &str) -> String {
        let t = value.get_ref().trim();
        if t.is_empty() {
            self.at(value.span(), format!("{name} must not be empty"));
        }
        t.to_owned()
    }

    /// A label with every language filled in.
    fn label(&mut self, label: &LabelFile, whose: &str) -> I18nText {
        I18nText {
            kk: self.text(&label.kk, &format!("{whose}: label.kk")),
            ru: self.text(&label.ru, &format!("{whose}: label.ru")),
            en: self.text(&label.en, &format!("{whose}: label.en")),
        }
    }

    /// A key of lower-case letters, digits and underscores, seen once among `seen`.
    fn key(&mut self, value: &Text, what: &str, seen: &mut BTreeSet<String>) -> String {
        let key = value.get_ref().trim().to_owned();
        if key.is_empty() || !key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_') {
            self.at(value.span(), format!("{what} key {key:?} must be lower-case letters, digits and underscores"));
        } else if !seen.insert(key.clone()) {
            self.at(value.span(), format!("duplicate {what} key {key:?}"));
        }
        key
    }
}

fn parse_inner(source: &str, known_questions: Option<&BTreeSet<String>>) -> Result<AeoConfig, Vec<ConfigError>> {
    let mut p = Problems { source, errors: Vec::new() };
    let file: File = match toml::from_str(source) {
        Ok(file) => file,
        Err(e) => {
            let line = e.span().map_or(1, |s| p.line_of(s.start));
            return Err(vec![ConfigError { line, message: e.message().to_owned() }]);
        }
    };

    let version = p.text(&file.version, "version");
    let administration = p.text(&file.administration, "administration");
    let c = &file.clocks;
    let verified = match c.status.get_ref().as_str() {
        "verified" => true,
        "to-verify" => false,
        other => {
            p.at(c.status.span(), format!("status {other:?} must be \"verified\" or \"to-verify\""));
            false
        }
    };
    let t = &file.traffic_light;
    let clocks = ClockRules {
        acceptance_days: p.number(&c.acceptance_days, "acceptance_days", 1..=3650, "days"),
        decision_days: p.number(&c.decision_days, "decision_days", 1..=3650, "days"),
        extension_days: p.number(&c.extension_days, "extension_days", 0..=3650, "days (0: no extension)"),
        hearing_days: p.number(&c.hearing_days, "hearing_days", 1..=3650, "days"),
        amber_days_left: p.number(&t.amber_days_left, "amber_days_left", 0..=3650, "days"),
        red_days_left: p.number(&t.red_days_left, "red_days_left", 0..=3650, "days"),
        verified,
    };
    if clocks.red_days_left >= clocks.amber_days_left {
        p.at(
            t.red_days_left.span(),
            format!(
                "red_days_left ({}) must be less than amber_days_left ({})",
                clocks.red_days_left, clocks.amber_days_left
            ),
        );
    }
    let cert = &file.certificate;
    let number_format = NumberFormat::parse(cert.number_format.get_ref())
        .map_err(|message| p.at(cert.number_format.span(), message))
        .ok();
    let reassessment_months = p.number(&cert.reassessment_months, "reassessment_months", 1..=240, "months");
    let revocation_cooloff_months =
        p.number(&cert.revocation_cooloff_months, "revocation_cooloff_months", 0..=240, "months");

    // The condition catalogue; types refer to it by key.
    let mut condition_keys = BTreeSet::new();
    let mut conditions: BTreeMap<String, Condition> = BTreeMap::new();
    if file.conditions.is_empty() {
        p.at(0..0, "the file must list at least one [[conditions]]".into());
    }
    for cf in &file.conditions {
        let key = p.key(&cf.key, "condition", &mut condition_keys);
        let whose = format!("condition {key:?}");
        let label = p.label(&cf.label, &whose);
        let legal_reference = p.text(&cf.legal_reference, &format!("{whose}: legal_reference"));
        let mut questions = Vec::new();
        for q in &cf.questions {
            let question = q.get_ref().trim().to_owned();
            if question.is_empty() {
                p.at(q.span(), format!("{whose}: a question key is empty"));
            } else if questions.contains(&question) {
                p.at(q.span(), format!("{whose}: question {question:?} is listed twice"));
            } else if known_questions.is_some_and(|known| !known.contains(&question)) {
                p.at(q.span(), format!("{whose}: question {question:?} is not a question of the T2 template"));
            } else {
                questions.push(question);
            }
        }
        conditions.entry(key.clone()).or_insert(Condition { key, label, legal_reference, questions });
    }

    let mut type_keys = BTreeSet::new();
    let mut types = Vec::new();
    if file.types.is_empty() {
        p.at(0..0, "the file must list at least one [[types]]".into());
    }
    let mut numbers = BTreeSet::new();
    for tf in &file.types {
        let key = p.key(&tf.key, "type", &mut type_keys);
        let whose = format!("type {key:?}");
        let number = p.text(&tf.number, &format!("{whose}: number"));
        if number.contains(['{', '}']) {
            p.at(tf.number.span(), format!("{whose}: number {number:?} must not contain braces"));
        } else if !number.is_empty() && !numbers.insert(number.clone()) {
            p.at(tf.number.span(), format!("{whose}: number {number:?} is already another type's"));
        }
        let label = p.label(&tf.label, &whose);
        let legal_reference = p.text(&tf.legal_reference, &format!("{whose}: legal_reference"));
        let min_years = p.number(&tf.min_years_activity, "min_years_activity", 0..=100, "years");
        let min_security = tf.min_security.as_ref().and_then(|s| security(&mut p, s, &whose));
        if tf.conditions.is_empty() {
            p.at(tf.key.span(), format!("{whose} must list at least one condition"));
        }
        let mut own: Vec<Condition> = Vec::new();
        for c in &tf.conditions {
            let name = c.get_ref().trim();
            match conditions.get(name) {
                None => p.at(c.span(), format!("{whose}: condition {name:?} is not defined in [[conditions]]")),
                Some(_) if own.iter().any(|o| o.key == name) => {
                    p.at(c.span(), format!("{whose}: condition {name:?} is listed twice"))
                }
                Some(condition) => own.push(condition.clone()),
            }
        }
        types.push(CertificateType {
            key,
            number,
            label,
            legal_reference,
            min_years_activity: u32::try_from(min_years).unwrap_or(0),
            min_security,
            conditions: own,
        });
    }

    match number_format {
        Some(number_format) if p.errors.is_empty() => Ok(AeoConfig {
            version,
            administration,
            clocks,
            number_format,
            reassessment_months: u32::try_from(reassessment_months).unwrap_or(0),
            revocation_cooloff_months: u32::try_from(revocation_cooloff_months).unwrap_or(0),
            types,
        }),
        _ => {
            let mut errors = p.errors;
            errors.sort_by_key(|e| e.line);
            Err(errors)
        }
    }
}

/// A type's minimum security: an accepted currency and a positive amount with no more decimals
/// than it has.
fn security(p: &mut Problems<'_>, s: &SecurityFile, whose: &str) -> Option<Money> {
    let Ok(currency) = Currency::parse(s.currency.get_ref()) else {
        p.at(
            s.currency.span(),
            format!("{whose}: min_security currency {:?} is not an accepted ISO 4217 code", s.currency.get_ref()),
        );
        return None;
    };
    match Money::parse(s.amount.get_ref(), currency) {
        Ok(m) if m.minor > 0 => Some(m),
        Ok(_) => {
            p.at(s.amount.span(), format!("{whose}: min_security amount must be more than zero"));
            None
        }
        Err(ErrorCode::MoneyPrecision) => {
            p.at(
                s.amount.span(),
                format!(
                    "{whose}: min_security amount {:?} has more decimals than {} has ({})",
                    s.amount.get_ref(),
                    currency.code(),
                    currency.minor_digits()
                ),
            );
            None
        }
        Err(_) => {
            p.at(
                s.amount.span(),
                format!(
                    "{whose}: min_security amount {:?} is not an amount such as \"1000000.00\"",
                    s.amount.get_ref()
                ),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(source: &str, text: &str) -> usize {
        source.lines().position(|l| l.contains(text)).unwrap_or_else(|| panic!("{text:?} present")) + 1
    }

    /// The question keys of the shipped T2 template, read straight from its file.
    fn t2_keys() -> BTreeSet<String> {
        let t2: toml::Value =
            toml::from_str(include_str!("../../../templates/t2-aeo-readiness.toml")).expect("valid TOML");
        let mut keys = BTreeSet::new();
        for section in t2["sections"].as_array().expect("sections") {
            for q in section["questions"].as_array().expect("questions") {
                keys.insert(q["key"].as_str().expect("key").to_owned());
            }
        }
        keys
    }

    #[test]
    fn the_shipped_eaeu_file_parses_against_the_t2_template() {
        let config = parse_with_questions(EAEU, &t2_keys()).expect("the shipped file is valid");
        let keys: Vec<&str> = config.types.iter().map(|t| t.key.as_str()).collect();
        assert_eq!(keys, ["type1", "type2", "type3"], "the T2 question 1.0 option keys");
        let type1 = config.certificate_type("type1").expect("type 1");
        assert_eq!(type1.min_years_activity, 3);
        let security = type1.min_security.expect("a minimum");
        assert_eq!((security.minor, security.currency.code()), (100_000_000, "EUR"));
        assert_eq!(config.certificate_number(type1, 42), "KZ/0042/TIP 1");
        // Type 3 holds every condition of types 1 and 2, each once.
        let of = |key: &str| -> BTreeSet<String> {
            config.certificate_type(key).expect("type").conditions.iter().map(|c| c.key.clone()).collect()
        };
        assert_eq!(of("type3"), of("type1").union(&of("type2")).cloned().collect());
        assert!(of("type2").contains("premises") && !of("type1").contains("premises"));
        assert_eq!((config.revocation_cooloff_months, config.clocks.extension_days > 0), (36, true));
        assert!(!config.clocks.verified, "the EAEU limits await verification against Art. 434");
    }

    #[test]
    fn the_shipped_eu_file_parses_against_the_t2_template() {
        let config = parse_with_questions(EU, &t2_keys()).expect("the shipped file is valid");
        let keys: Vec<&str> = config.types.iter().map(|t| t.key.as_str()).collect();
        assert_eq!(keys, ["aeoc", "aeos"]);
        let c = config.clocks;
        assert_eq!((c.acceptance_days, c.decision_days, c.extension_days), (30, 120, 60));
        let criteria = |key: &str| -> Vec<String> {
            config.certificate_type(key).expect("type").conditions.iter().map(|c| c.key.clone()).collect()
        };
        assert_eq!(criteria("aeoc"), ["a_compliance", "b_records", "c_solvency", "d_competence"]);
        assert_eq!(criteria("aeos"), ["a_compliance", "b_records", "c_solvency", "e_security"]);
        assert!(config.types.iter().all(|t| t.min_security.is_none()));
    }

    #[test]
    fn the_example_in_the_documentation_parses() {
        let doc = include_str!("../../../docs/aeo-config.md");
        let start = doc.find("```toml\n").expect("an example") + "```toml\n".len();
        let end = start + doc[start..].find("```").expect("its end");
        let config = parse_with_questions(&doc[start..end], &t2_keys()).expect("the documented example is valid");
        assert_eq!(config.certificate_number(&config.types[0], 7), "KZ/0007/TIP 1");
    }

    #[test]
    fn unknown_question_keys_are_named_with_their_line() {
        let broken = EAEU.replacen("\"4.2\"", "\"4.9\"", 1);
        assert!(parse(&broken).is_ok(), "without the template the key cannot be checked");
        let errors = parse_with_questions(&broken, &t2_keys()).expect_err("4.9 is not a T2 question");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].line, line(&broken, "\"4.9\""));
        assert!(errors[0].message.contains("\"4.9\"") && errors[0].message.contains("T2"), "{errors:?}");
    }

    #[test]
    fn a_missing_or_empty_label_is_refused_with_its_line() {
        let empty = EAEU.replacen("en = \"Years of foreign-trade or customs activity (at least 3)\"", "en = \" \"", 1);
        let errors = parse(&empty).expect_err("empty label");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].line, line(&empty, "en = \" \""));
        assert!(errors[0].message.contains("label.en"), "{errors:?}");

        let start = EAEU.find("[[types]]").expect("a type");
        let label_at = start + EAEU[start..].find("label = ").expect("its label");
        let end = label_at + EAEU[label_at..].find('\n').expect("line end");
        let missing = format!("{}{}", &EAEU[..label_at], &EAEU[end + 1..]);
        let errors = parse(&missing).expect_err("missing label");
        assert!(errors[0].message.contains("label"), "{errors:?}");
        let type_line = line(&missing, "[[types]]");
        assert!((type_line..type_line + 8).contains(&errors[0].line), "{errors:?} near line {type_line}");
    }

    #[test]
    fn zero_and_negative_days_are_refused_with_their_lines() {
        let broken = EAEU
            .replace("acceptance_days = 30", "acceptance_days = 0")
            .replace("decision_days = 120", "decision_days = -5")
            .replace("reassessment_months = 36", "reassessment_months = 0");
        let errors = parse(&broken).expect_err("refused");
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(
            lines,
            [
                line(&broken, "acceptance_days = 0"),
                line(&broken, "decision_days = -5"),
                line(&broken, "reassessment_months = 0")
            ],
            "{errors:?}"
        );
        assert!(
            errors[1].message.contains("decision_days = -5") && errors[1].message.contains("1 to 3650"),
            "{errors:?}"
        );
        let lights = EAEU.replace("red_days_left = 5", "red_days_left = 30");
        let errors = parse(&lights).expect_err("red above amber");
        assert_eq!((errors[0].line, errors.len()), (line(&lights, "red_days_left = 30"), 1), "{errors:?}");
    }

    #[test]
    fn a_bad_currency_or_amount_is_refused_with_its_line() {
        let currency = EAEU.replacen("currency = \"EUR\"", "currency = \"XEU\"", 1);
        let errors = parse(&currency).expect_err("unknown currency");
        assert_eq!((errors[0].line, errors.len()), (line(&currency, "\"XEU\""), 1), "{errors:?}");
        assert!(errors[0].message.contains("ISO 4217"), "{errors:?}");
        let precision = EAEU.replacen("amount = \"1000000.00\"", "amount = \"1000000.001\"", 1);
        let errors = parse(&precision).expect_err("three decimals of euro");
        assert_eq!(errors[0].line, line(&precision, "1000000.001"), "{errors:?}");
        assert!(errors[0].message.contains("more decimals than EUR"), "{errors:?}");
        let float = EAEU.replacen("amount = \"1000000.00\"", "amount = 1000000.0", 1);
        let errors = parse(&float).expect_err("amounts are strings, never floats");
        assert_eq!(errors[0].line, line(&float, "amount = 1000000.0"), "{errors:?}");
    }

    #[test]
    fn duplicate_and_unknown_keys_are_refused_with_their_lines() {
        let dup_type = EAEU.replacen("key = \"type2\"", "key = \"type1\"", 1);
        let errors = parse(&dup_type).expect_err("two types called type1");
        let second = dup_type.match_indices("key = \"type1\"").nth(1).expect("twice").0;
        assert!(
            errors.iter().any(|e| e.line == dup_type[..second].matches('\n').count() + 1
                && e.message.contains("duplicate type key \"type1\"")),
            "{errors:?}"
        );

        let dup_condition = EAEU.replacen("key = \"volumes\"", "key = \"activity_years\"", 1);
        let errors = parse(&dup_condition).expect_err("duplicate condition");
        let second = dup_condition.match_indices("key = \"activity_years\"").nth(1).expect("twice").0;
        assert!(
            errors.iter().any(|e| e.line == dup_condition[..second].matches('\n').count() + 1
                && e.message.contains("duplicate condition key")),
            "{errors:?}"
        );
        // The types that required the renamed condition now name one that does not exist.
        assert!(errors.iter().any(|e| e.message.contains("\"volumes\" is not defined")), "{errors:?}");

        let unknown = EAEU.replacen("\"accounting_system\"]", "\"bookkeeping\"]", 1);
        let errors = parse(&unknown).expect_err("undefined condition");
        assert_eq!(errors[0].line, line(&unknown, "\"bookkeeping\"]"), "{errors:?}");

        let twice = EAEU.replacen("questions = [\"1.1\"]", "questions = [\"1.1\", \"1.1\"]", 1);
        let errors = parse(&twice).expect_err("question twice");
        assert_eq!(errors[0].line, line(&twice, "[\"1.1\", \"1.1\"]"), "{errors:?}");

        let field = EAEU.replacen("hearing_days = 30", "hearing_days = 30\nhearing = 1", 1);
        let errors = parse(&field).expect_err("unknown field");
        assert_eq!(errors[0].line, line(&field, "hearing = 1"), "{errors:?}");
        assert!(parse("version = ").is_err());
    }

    #[test]
    fn the_number_format_and_status_are_checked() {
        let broken = EAEU
            .replace("number_format = \"KZ/{serial:04}/TIP {n}\"", "number_format = \"KZ/TIP {n}\"")
            .replace("status = \"to-verify\"", "status = \"maybe\"");
        let errors = parse(&broken).expect_err("refused");
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [line(&broken, "status = \"maybe\""), line(&broken, "KZ/TIP {n}")], "{errors:?}");
        assert!(errors[1].message.contains("{serial}"), "{errors:?}");
    }
}
