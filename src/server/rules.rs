//! The disclosure rules file, part of the deployment configuration ([`super::config::Config`]) (`config/disclosure-kz.toml` ships as the default; the environment
//! variable `SENIM_DISCLOSURE_RULES` names another): the declaration-number layout, deadlines,
//! interest rates and tax rates one administration applies. Checked as a whole at start-up, every
//! problem reported with its line, so a mistyped rate stops the server instead of reaching a trader.

use crate::domain::declaration::DeclarationFormat;
use crate::domain::disclosure::parse_scaled;
use crate::domain::interest::RateTable;
use crate::domain::money::Currency;
use serde::Deserialize;
use toml::Spanned;

/// The rules shipped with Senim (Kazakhstan).
pub const DEFAULT: &str = include_str!("../../config/disclosure-kz.toml");

/// Checked rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisclosureRules {
    /// Recorded on every result computed with these rules.
    pub version: String,
    /// Who applies them.
    pub administration: String,
    /// The currency duties are paid in.
    pub currency: Currency,
    /// How declaration numbers are written.
    pub declaration: DeclarationFormat,
    /// Deadlines in calendar days.
    pub deadlines: Deadlines,
    /// Late-payment interest.
    pub interest: RateTable,
    /// Whether the interest table still awaits verification against its legal source.
    pub interest_verified: bool,
    /// Import VAT, parts per million.
    pub vat_ppm: i64,
    /// Findings: the hearing period and the severity Senim proposes by revenue effect.
    pub findings: FindingRules,
    /// The PCA candidate list.
    pub pca: PcaRules,
}

/// How the PCA candidate list is drawn up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PcaRules {
    /// A trader whose last desk or field audit closed without a finding within this many months is
    /// left off the list (a recent clean audit).
    pub clean_audit_months: u16,
}

/// How findings are handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FindingRules {
    /// The trader may answer a communicated finding within this many calendar days.
    pub hearing_days: u16,
    /// Revenue effects (minor units of the currency) from which a finding made from a disclosure
    /// is moderate, major and critical.
    pub severity_from: [i64; 3],
}

/// Deadlines in calendar days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deadlines {
    /// Customs acknowledges within this.
    pub acknowledge_days: u16,
    /// Customs decides within this after acknowledging.
    pub decide_days: u16,
    /// The trader answers a proposed adverse decision within this.
    pub hearing_days: u16,
    /// Two-step mode: the complete disclosure is due this long after the initial notice.
    pub perfection_days: u16,
    /// Longest single extension of the perfection date.
    pub extension_max_days: u16,
}

/// One problem in a rules file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RulesError {
    /// 1-based line.
    pub line: usize,
    /// What is wrong, in English (the file is read by an administrator, not shown to traders).
    pub message: String,
}

impl std::fmt::Display for RulesError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: Spanned<String>,
    administration: String,
    currency: Spanned<String>,
    declaration: DeclarationFile,
    deadlines: Deadlines,
    interest: InterestFile,
    taxes: TaxesFile,
    findings: FindingsFile,
    pca: PcaFile,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PcaFile {
    clean_audit_months: Spanned<u16>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FindingsFile {
    hearing_days: Spanned<u16>,
    moderate_from: Spanned<String>,
    major_from: Spanned<String>,
    critical_from: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DeclarationFile {
    office_digits: Spanned<u8>,
    serial_digits: Spanned<u8>,
    separator: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InterestFile {
    status: Spanned<String>,
    basis_days: Spanned<i64>,
    start: Spanned<String>,
    rates: Vec<RateFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RateFile {
    from: Spanned<String>,
    #[serde(default)]
    base_percent: Option<Spanned<String>>,
    annual_percent: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TaxesFile {
    vat_percent: Spanned<String>,
}

/// Percentages carry up to four decimals; parts per million are percent × 10,000.
const PERCENT_DIGITS: u32 = 4;

/// Reads and checks a rules file; all problems at once, in line order.
pub fn parse(source: &str) -> Result<DisclosureRules, Vec<RulesError>> {
    let line_of = |offset: usize| source[..offset.min(source.len())].matches('\n').count() + 1;
    let file: File = toml::from_str(source).map_err(|e| {
        vec![RulesError { line: e.span().map_or(1, |s| line_of(s.start)), message: e.message().to_owned() }]
    })?;
    let mut errors = Vec::new();
    let mut problem =
        |at: std::ops::Range<usize>, message: String| errors.push(RulesError { line: line_of(at.start), message });

    let version = file.version.get_ref().trim().to_owned();
    if version.is_empty() {
        problem(file.version.span(), "version must not be empty".into());
    }
    let currency = Currency::parse(file.currency.get_ref()).ok();
    if currency.is_none() {
        problem(
            file.currency.span(),
            format!("currency {:?} is not an accepted ISO 4217 code", file.currency.get_ref()),
        );
    }
    for digits in [&file.declaration.office_digits, &file.declaration.serial_digits] {
        if !(1..=12).contains(digits.get_ref()) {
            problem(digits.span(), "declaration part lengths must be 1 to 12 digits".into());
        }
    }
    let mut separator_chars = file.declaration.separator.get_ref().chars();
    let separator = match (separator_chars.next(), separator_chars.next()) {
        (Some(c), None) if !c.is_ascii_alphanumeric() && !c.is_whitespace() => c,
        _ => {
            problem(
                file.declaration.separator.span(),
                "separator must be one character that is not a letter, digit or space".into(),
            );
            '/'
        }
    };
    let d = file.deadlines;
    if [d.acknowledge_days, d.decide_days, d.hearing_days, d.perfection_days].contains(&0) {
        // Spans of plain integers are not kept: point at the table.
        let at = source.find("[deadlines]").unwrap_or(0);
        problem(at..at, "every deadline must be at least one day".into());
    }
    let interest = &file.interest;
    let verified = match interest.status.get_ref().as_str() {
        "verified" => true,
        "to-verify" => false,
        other => {
            problem(interest.status.span(), format!("status {other:?} must be \"verified\" or \"to-verify\""));
            false
        }
    };
    if !matches!(*interest.basis_days.get_ref(), 360 | 365 | 366) {
        problem(interest.basis_days.span(), "basis_days must be 360, 365 or 366".into());
    }
    if interest.start.get_ref() != "release_date" {
        problem(
            interest.start.span(),
            format!("start {:?}: only \"release_date\" is supported", interest.start.get_ref()),
        );
    }
    if interest.rates.is_empty() {
        let at = source.find("[interest]").unwrap_or(0);
        problem(at..at, "rates must list at least one rate".into());
    }
    let mut rates = Vec::new();
    for rate in &interest.rates {
        let from = crate::domain::answer::parse_date(rate.from.get_ref()).ok();
        if from.is_none() {
            problem(rate.from.span(), format!("from {:?} is not a date as YYYY-MM-DD", rate.from.get_ref()));
        }
        let annual = parse_scaled(rate.annual_percent.get_ref(), PERCENT_DIGITS).ok().filter(|p| *p <= 100 * 10_000);
        if annual.is_none() {
            problem(
                rate.annual_percent.span(),
                format!(
                    "annual_percent {:?} is not a percentage from 0 to 100 with at most 4 decimals",
                    rate.annual_percent.get_ref()
                ),
            );
        }
        if let Some(base) = &rate.base_percent
            && parse_scaled(base.get_ref(), PERCENT_DIGITS).is_err()
        {
            problem(
                base.span(),
                format!("base_percent {:?} is not a percentage with at most 4 decimals", base.get_ref()),
            );
        }
        if let (Some(from), Some(annual)) = (from, annual) {
            if rates.last().is_some_and(|(previous, _)| *previous >= from) {
                problem(rate.from.span(), "rates must be in ascending order of their dates, each date once".into());
            }
            rates.push((from, annual));
        }
    }
    let vat = parse_scaled(file.taxes.vat_percent.get_ref(), PERCENT_DIGITS).ok().filter(|p| *p <= 100 * 10_000);
    if vat.is_none() {
        problem(
            file.taxes.vat_percent.span(),
            "vat_percent is not a percentage from 0 to 100 with at most 4 decimals".into(),
        );
    }
    let f = &file.findings;
    if *f.hearing_days.get_ref() == 0 {
        problem(f.hearing_days.span(), "hearing_days must be at least one day".into());
    }
    if *file.pca.clean_audit_months.get_ref() == 0 {
        problem(file.pca.clean_audit_months.span(), "clean_audit_months must be at least one month".into());
    }
    let mut severity_from = [0_i64; 3];
    // Amounts of the currency: checked once the currency itself is known (else that is the problem).
    if let Some(currency) = currency {
        for (i, raw) in [&f.moderate_from, &f.major_from, &f.critical_from].into_iter().enumerate() {
            match crate::domain::money::Money::parse(raw.get_ref(), currency) {
                Ok(m) if i == 0 || m.minor > severity_from[i - 1] => severity_from[i] = m.minor,
                Ok(_) => problem(raw.span(), "severity thresholds must rise: moderate < major < critical".into()),
                Err(_) => problem(raw.span(), format!("{:?} is not an amount of the currency", raw.get_ref())),
            }
        }
    }
    let (Some(currency), Some(vat_ppm), true) = (currency, vat, errors.is_empty()) else {
        errors.sort_by_key(|e| e.line);
        return Err(errors);
    };
    Ok(DisclosureRules {
        version,
        administration: file.administration,
        currency,
        declaration: DeclarationFormat {
            office_digits: *file.declaration.office_digits.get_ref(),
            serial_digits: *file.declaration.serial_digits.get_ref(),
            separator,
            century: 2000,
        },
        deadlines: d,
        interest: RateTable { basis_days: *interest.basis_days.get_ref(), rates },
        interest_verified: verified,
        vat_ppm,
        findings: FindingRules { hearing_days: *f.hearing_days.get_ref(), severity_from },
        pca: PcaRules { clean_audit_months: *file.pca.clean_audit_months.get_ref() },
    })
}

/// The rules this server applies: `SENIM_DISCLOSURE_RULES` when set, else the shipped default.
pub fn load() -> anyhow::Result<DisclosureRules> {
    let (name, source) = match std::env::var("SENIM_DISCLOSURE_RULES") {
        Ok(path) => (
            path.clone(),
            std::fs::read_to_string(&path).map_err(|e| anyhow::anyhow!("SENIM_DISCLOSURE_RULES {path}: {e}"))?,
        ),
        Err(_) => ("config/disclosure-kz.toml (built in)".to_owned(), DEFAULT.to_owned()),
    };
    parse(&source).map_err(|errors| {
        let list: Vec<String> = errors.iter().map(|e| format!("  {name}: {e}")).collect();
        anyhow::anyhow!("the disclosure rules file has {} problem(s):\n{}", errors.len(), list.join("\n"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_kazakhstan_rules_parse() {
        let rules = parse(DEFAULT).expect("the shipped file is valid");
        assert_eq!(rules.version, "kz-2026.1");
        assert_eq!(rules.currency.code(), "KZT");
        assert_eq!(rules.declaration, DeclarationFormat::default());
        assert!(rules.declaration.parse("50101010/150324/0001234").is_ok());
        assert_eq!(rules.vat_ppm, 120_000);
        assert_eq!(rules.interest.basis_days, 365);
        // 1.25 × 15.75 % = 19.6875 %.
        assert_eq!(rules.interest.rates[0], (crate::domain::time::days_from_civil(2023, 12, 1), 196_875));
        assert!(rules.interest.rates.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(!rules.interest_verified, "the shipped table says it awaits verification");
        assert_eq!(
            rules.findings,
            FindingRules { hearing_days: 30, severity_from: [10_000_000, 100_000_000, 1_000_000_000] }
        );
    }

    #[test]
    fn finding_thresholds_must_be_amounts_that_rise() {
        let broken = DEFAULT
            .replace("hearing_days = 30", "hearing_days = 0")
            .replace("major_from = \"1000000.00\"", "major_from = \"99999.99\"")
            .replace("critical_from = \"10000000.00\"", "critical_from = \"ten million\"");
        let errors = parse(&broken).expect_err("refused");
        let line = |text: &str| broken.lines().position(|l| l.contains(text)).expect("present") + 1;
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![line("hearing_days = 0"), line("99999.99"), line("ten million")], "{errors:?}");
        assert!(errors[1].message.contains("must rise"), "{errors:?}");
    }

    #[test]
    fn every_problem_is_reported_with_its_line() {
        let broken = DEFAULT
            .replace("currency = \"KZT\"", "currency = \"XYZ\"")
            .replace("separator = \"/\"", "separator = \"ab\"")
            .replace(
                "annual_percent = \"19.0625\" },\n  { from = \"2024-03-01\"",
                "annual_percent = \"19.06255\" },\n  { from = \"2024-02-30\"",
            )
            .replace("vat_percent = \"12\"", "vat_percent = \"112\"");
        let errors = parse(&broken).expect_err("refused");
        let line = |text: &str| broken.lines().position(|l| l.contains(text)).expect("present") + 1;
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(
            lines,
            vec![
                line("currency = \"XYZ\""),
                line("separator = \"ab\""),
                line("19.06255"),
                line("2024-02-30"),
                line("vat_percent")
            ],
            "{errors:?}"
        );
        assert!(errors[0].message.contains("XYZ"));
    }

    #[test]
    fn syntax_errors_unknown_fields_and_disordered_rates_are_refused() {
        let errors =
            parse(&DEFAULT.replace("basis_days = 365", "basis_days = 365\nbasis = 1")).expect_err("unknown field");
        assert_eq!(
            errors[0].line,
            DEFAULT.lines().position(|l| l.starts_with("basis_days")).expect("present") + 2,
            "{errors:?}"
        );
        let disordered = DEFAULT.replace("from = \"2024-07-15\"", "from = \"2024-01-01\"");
        let errors = parse(&disordered).expect_err("out of order");
        assert!(errors.iter().any(|e| e.message.contains("ascending")), "{errors:?}");
        assert!(parse("version = ").is_err());
    }
}
