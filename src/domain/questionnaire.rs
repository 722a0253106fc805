//! Questionnaire templates: versioned, trilingual sets of sections and questions with typed
//! answers, credits, weights, knock-out flags, show-if conditions and evidence rules. A template
//! is validated as a whole before it can be saved; published versions never change.

use serde::{Deserialize, Serialize};

/// A credit between 0 and 1 in thousandths (0–1000), so scores are exact integers.
pub type Credit = u16;
/// Full credit.
pub const FULL: Credit = 1000;

/// A text in every interface language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct I18nText {
    /// Kazakh.
    pub kk: String,
    /// Russian.
    pub ru: String,
    /// English.
    pub en: String,
}

impl I18nText {
    /// The text in `language`, falling back to Russian then English when a translation is empty.
    pub fn get(&self, language: super::language::Language) -> &str {
        use super::language::Language;
        let preferred = match language {
            Language::Kk => &self.kk,
            Language::Ru => &self.ru,
            Language::En => &self.en,
        };
        [preferred, &self.ru, &self.en, &self.kk].into_iter().find(|t| !t.trim().is_empty()).map_or("", String::as_str)
    }

    fn missing(&self) -> Option<&'static str> {
        if self.kk.trim().is_empty() {
            Some("kk")
        } else if self.ru.trim().is_empty() {
            Some("ru")
        } else if self.en.trim().is_empty() {
            Some("en")
        } else {
            None
        }
    }
}

/// What a template is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// General customs compliance self-assessment.
    GeneralCompliance,
    /// Readiness for Authorised Economic Operator status.
    AeoReadiness,
    /// Questionnaire before a post-clearance audit visit.
    PcaPreVisit,
    /// Yearly review.
    AnnualReview,
}

/// A semantic version `MAJOR.MINOR.PATCH`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Version {
    /// Incompatible changes.
    pub major: u32,
    /// Compatible additions.
    pub minor: u32,
    /// Corrections.
    pub patch: u32,
}

impl Version {
    /// Parses `1.2.3`.
    pub fn parse(raw: &str) -> Option<Self> {
        let mut parts = raw.trim().split('.');
        let mut next = || {
            parts.next().and_then(|p| {
                (!p.is_empty() && p.len() <= 6 && p.chars().all(|c| c.is_ascii_digit()))
                    .then(|| p.parse().ok())
                    .flatten()
            })
        };
        let version = Version { major: next()?, minor: next()?, patch: next()? };
        parts.next().is_none().then_some(version)
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// One selectable option with its credit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    /// Stable key, used in answers and conditions.
    pub key: String,
    /// What the user reads.
    pub label: I18nText,
    /// Credit when chosen.
    pub credit: Credit,
}

/// A threshold band for numeric answers: values at or above `min` (in thousandths) earn `credit`;
/// the highest band whose minimum is reached applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Band {
    /// Lower bound in thousandths of the unit (e.g. 3 years = 3000).
    pub min: i64,
    /// Credit for values in this band.
    pub credit: Credit,
}

/// A column of a table answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    /// Stable key.
    pub key: String,
    /// Header text.
    pub label: I18nText,
    /// What a cell holds; text of up to 500 characters when the template does not say.
    #[serde(default)]
    pub kind: ColumnKind,
}

/// An option of a single-choice table column (no credit: tables are not scored cell by cell).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnChoice {
    /// Stable key, stored in the cell.
    pub key: String,
    /// What the user reads.
    pub label: I18nText,
}

/// The type of a table column's cells. Every cell is checked like a top-level answer of the same
/// type and stored in a canonical text form (numbers without trailing zeros, money as
/// `amount CUR`, dates as `YYYY-MM-DD`, choices as their key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ColumnKind {
    /// One line of text up to a length.
    Text {
        /// Most characters allowed.
        max_chars: u32,
    },
    /// A whole number (counts, years): at least 0 unless `min` says otherwise.
    Integer {
        /// Smallest allowed value in thousandths; `None` means 0.
        #[serde(default)]
        min: Option<i64>,
        /// Largest allowed value in thousandths.
        #[serde(default)]
        max: Option<i64>,
    },
    /// A decimal number (up to three places): at least 0 unless `min` says otherwise.
    Decimal {
        /// Smallest allowed value in thousandths; `None` means 0.
        #[serde(default)]
        min: Option<i64>,
        /// Largest allowed value in thousandths.
        #[serde(default)]
        max: Option<i64>,
    },
    /// A money amount; in `currency` when the template fixes one, otherwise the user picks it.
    Money {
        /// ISO 4217 code every cell of the column is in.
        #[serde(default)]
        currency: Option<String>,
    },
    /// A calendar date.
    Date,
    /// One of the listed options.
    SingleChoice {
        /// The options.
        options: Vec<ColumnChoice>,
    },
}

impl Default for ColumnKind {
    fn default() -> Self {
        ColumnKind::Text { max_chars: DEFAULT_CELL_CHARS }
    }
}

/// The text limit of a table cell when the template does not give one (the limit before
/// columns were typed, so older templates keep their meaning).
pub const DEFAULT_CELL_CHARS: u32 = 500;

/// The allowed range of a number, in thousandths; `max` `None` means no upper limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Range {
    /// Smallest allowed value.
    pub min: i64,
    /// Largest allowed value, if any.
    pub max: Option<i64>,
}

impl Range {
    /// The range a number question or column enforces: counts, years and amounts are not negative
    /// unless the template sets a (negative) `min`; percentages stay within 0–100.
    pub fn of(min: Option<i64>, max: Option<i64>, percent: bool) -> Range {
        let (floor, ceiling) = if percent { (0, Some(100_000)) } else { (0, None) };
        Range { min: min.unwrap_or(floor), max: max.or(ceiling) }
    }

    /// Why `n` is outside the range, if it is.
    pub fn check(self, n: i64) -> Result<i64, super::validation::ErrorCode> {
        if n < self.min {
            return Err(super::validation::ErrorCode::NumberTooSmall);
        }
        if self.max.is_some_and(|max| n > max) {
            return Err(super::validation::ErrorCode::NumberTooLarge);
        }
        Ok(n)
    }
}

/// The kind of answer a question takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AnswerKind {
    /// Yes or no; yes earns full credit.
    YesNo,
    /// Yes, no or not applicable.
    YesNoNa,
    /// One of several options.
    SingleChoice {
        /// The options.
        options: Vec<Choice>,
    },
    /// Any number of options; credit is the best chosen option's.
    MultiChoice {
        /// The options.
        options: Vec<Choice>,
    },
    /// A whole number scored by bands.
    Integer {
        /// Threshold bands; none means full credit when answered.
        #[serde(default)]
        bands: Vec<Band>,
        /// Smallest allowed value in thousandths; `None` means 0.
        #[serde(default)]
        min: Option<i64>,
        /// Largest allowed value in thousandths; `None` means none (100 for percentages).
        #[serde(default)]
        max: Option<i64>,
    },
    /// A decimal number scored by bands.
    Decimal {
        /// Threshold bands.
        #[serde(default)]
        bands: Vec<Band>,
        /// Smallest allowed value in thousandths; `None` means 0.
        #[serde(default)]
        min: Option<i64>,
        /// Largest allowed value in thousandths; `None` means none (100 for percentages).
        #[serde(default)]
        max: Option<i64>,
    },
    /// A percentage (0–100) scored by bands.
    Percent {
        /// Threshold bands.
        #[serde(default)]
        bands: Vec<Band>,
        /// Smallest allowed value in thousandths; `None` means 0.
        #[serde(default)]
        min: Option<i64>,
        /// Largest allowed value in thousandths; `None` means none (100 for percentages).
        #[serde(default)]
        max: Option<i64>,
    },
    /// A money amount in an ISO 4217 currency.
    Money,
    /// A calendar date.
    Date,
    /// Free text up to a length.
    Text {
        /// Most characters allowed.
        max_chars: u32,
    },
    /// Rows of values under defined columns.
    Table {
        /// The columns.
        columns: Vec<Column>,
        /// Most rows allowed.
        max_rows: u32,
    },
    /// Only evidence files, no value.
    EvidenceOnly,
}

/// How a condition combines its clauses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Combine {
    /// At least one clause holds.
    Any,
    /// Every clause holds.
    All,
}

/// One clause: an earlier question's answer is (or includes) an option key, `yes`, `no` or `na`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clause {
    /// The earlier question's key.
    pub question: String,
    /// The option key (or `yes`/`no`/`na`).
    pub equals: String,
}

/// A show-if condition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Condition {
    /// Any or all.
    pub combine: Combine,
    /// The clauses.
    pub clauses: Vec<Clause>,
}

/// Whether evidence is wanted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceLevel {
    /// No evidence.
    #[default]
    None,
    /// Evidence welcome.
    Optional,
    /// Submission is blocked without evidence.
    Required,
}

/// File types evidence may have (checked by content).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileType {
    /// PDF.
    Pdf,
    /// PNG image.
    Png,
    /// JPEG image.
    Jpeg,
    /// CSV text.
    Csv,
    /// Excel workbook.
    Xlsx,
    /// Word document.
    Docx,
}

/// The evidence rule of a question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Evidence {
    /// None, optional or required.
    pub level: EvidenceLevel,
    /// Accepted types; empty means all supported types.
    #[serde(default)]
    pub types: Vec<FileType>,
    /// What the evidence should show.
    #[serde(default)]
    pub description: Option<I18nText>,
}

/// One question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    /// Stable key kept across versions (answers carry forward by it).
    pub key: String,
    /// The question.
    pub text: I18nText,
    /// Help shown under it.
    #[serde(default)]
    pub help: Option<I18nText>,
    /// The answer kind.
    pub kind: AnswerKind,
    /// Weight 0–5 within its section.
    pub weight: u8,
    /// Whether an answer is needed to submit (when shown).
    #[serde(default)]
    pub required: bool,
    /// A zero credit here is flagged whatever the score.
    #[serde(default)]
    pub knock_out: bool,
    /// Shown only when this holds.
    #[serde(default)]
    pub show_if: Option<Condition>,
    /// Evidence rule.
    #[serde(default)]
    pub evidence: Evidence,
    /// Whether "not applicable" may be chosen.
    #[serde(default)]
    pub na_allowed: bool,
    /// Whether "not applicable" needs a justification.
    #[serde(default)]
    pub na_needs_justification: bool,
    /// A legal or guideline reference.
    #[serde(default)]
    pub reference: Option<String>,
}

/// A section of questions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// Stable key.
    pub key: String,
    /// Title.
    pub title: I18nText,
    /// Weight in the overall score.
    pub weight: u32,
    /// Legal basis, e.g. "EAEU Customs Code Art. 433".
    #[serde(default)]
    pub legal_reference: Option<String>,
    /// The questions in order.
    pub questions: Vec<Question>,
}

/// A whole template version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template {
    /// Stable code, e.g. `T1`.
    pub code: String,
    /// Semantic version.
    pub version: Version,
    /// Purpose.
    pub purpose: Purpose,
    /// Title.
    pub title: I18nText,
    /// Introduction.
    #[serde(default)]
    pub help: Option<I18nText>,
    /// Sections in order.
    pub sections: Vec<Section>,
}

/// Why a template is invalid, with the key of the item at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    /// The section or question key, or `template`.
    pub at: String,
    /// What is wrong, in English for template administrators.
    pub message: String,
}

impl AnswerKind {
    /// The allowed range of a number question; `None` for other kinds.
    pub fn range(&self) -> Option<Range> {
        match self {
            AnswerKind::Integer { min, max, .. } | AnswerKind::Decimal { min, max, .. } => {
                Some(Range::of(*min, *max, false))
            }
            AnswerKind::Percent { min, max, .. } => Some(Range::of(*min, *max, true)),
            _ => None,
        }
    }
}

impl ColumnKind {
    /// The allowed range of a number column; `None` for other kinds.
    pub fn range(&self) -> Option<Range> {
        match self {
            ColumnKind::Integer { min, max } | ColumnKind::Decimal { min, max } => Some(Range::of(*min, *max, false)),
            _ => None,
        }
    }
}

impl Template {
    /// Every question with its section, in order.
    pub fn questions(&self) -> impl Iterator<Item = (&Section, &Question)> {
        self.sections.iter().flat_map(|s| s.questions.iter().map(move |q| (s, q)))
    }

    /// The question with `key`.
    pub fn question(&self, key: &str) -> Option<&Question> {
        self.questions().map(|(_, q)| q).find(|q| q.key == key)
    }

    /// Checks every rule a template must follow; returns all problems found.
    pub fn validate(&self) -> Result<(), Vec<TemplateError>> {
        let mut errors = Vec::new();
        let mut fail = |at: &str, message: String| errors.push(TemplateError { at: at.to_owned(), message });
        if !is_key(&self.code) {
            fail("template", format!("code {:?} must be 1–32 letters, digits, '.', '-' or '_'", self.code));
        }
        if let Some(lang) = self.title.missing() {
            fail("template", format!("title has no {lang} text"));
        }
        if self.sections.is_empty() {
            fail("template", "a template needs at least one section".into());
        }
        let mut seen_sections = std::collections::HashSet::new();
        let mut seen: Vec<&Question> = Vec::new();
        for section in &self.sections {
            if !is_key(&section.key) || !seen_sections.insert(section.key.as_str()) {
                fail(&section.key, "section key must be unique and 1–32 letters, digits, '.', '-' or '_'".into());
            }
            if let Some(lang) = section.title.missing() {
                fail(&section.key, format!("section title has no {lang} text"));
            }
            if section.questions.is_empty() {
                fail(&section.key, "a section needs at least one question".into());
            }
            for q in &section.questions {
                let at = q.key.as_str();
                if !is_key(at) || seen.iter().any(|p| p.key == q.key) {
                    fail(at, "question key must be unique and 1–32 letters, digits, '.', '-' or '_'".into());
                }
                if let Some(lang) = q.text.missing() {
                    fail(at, format!("question text has no {lang} text"));
                }
                if q.weight > 5 {
                    fail(at, format!("weight {} is above 5", q.weight));
                }
                match &q.kind {
                    AnswerKind::SingleChoice { options } | AnswerKind::MultiChoice { options } => {
                        if options.len() < 2 {
                            fail(at, "a choice question needs at least two options".into());
                        }
                        let mut keys = std::collections::HashSet::new();
                        for o in options {
                            if !is_key(&o.key) || !keys.insert(o.key.as_str()) || matches!(o.key.as_str(), "na") {
                                fail(at, format!("option key {:?} must be unique, not 'na', and a simple key", o.key));
                            }
                            if o.credit > FULL {
                                fail(at, format!("option {} credit must be between 0 and 1", o.key));
                            }
                            if let Some(lang) = o.label.missing() {
                                fail(at, format!("option {} has no {lang} label", o.key));
                            }
                        }
                    }
                    AnswerKind::Integer { bands, min, max }
                    | AnswerKind::Decimal { bands, min, max }
                    | AnswerKind::Percent { bands, min, max } => {
                        if bands.windows(2).any(|w| w[0].min >= w[1].min) {
                            fail(at, "bands must have increasing minimums".into());
                        }
                        if bands.iter().any(|b| b.credit > FULL) {
                            fail(at, "band credits must be between 0 and 1".into());
                        }
                        let whole = matches!(q.kind, AnswerKind::Integer { .. });
                        for problem in range_problems(*min, *max, whole, matches!(q.kind, AnswerKind::Percent { .. })) {
                            fail(at, problem);
                        }
                        let range = q.kind.range().unwrap_or(Range { min: 0, max: None });
                        if let Some(b) = bands.iter().find(|b| range.max.is_some_and(|max| b.min > max)) {
                            fail(
                                at,
                                format!(
                                    "band minimum {} is above max and can never be reached",
                                    fmt_thousandths(b.min)
                                ),
                            );
                        }
                    }
                    AnswerKind::Text { max_chars } if !(1..=20_000).contains(max_chars) => {
                        fail(at, "text length limit must be 1–20000".into());
                    }
                    AnswerKind::Table { columns, max_rows } => {
                        if columns.is_empty() || columns.len() > 12 {
                            fail(at, "a table needs 1–12 columns".into());
                        }
                        let mut keys = std::collections::HashSet::new();
                        for c in columns {
                            if !is_key(&c.key) || !keys.insert(c.key.as_str()) {
                                fail(at, format!("column key {:?} must be unique and a simple key", c.key));
                            }
                            if let Some(lang) = c.label.missing() {
                                fail(at, format!("column {} has no {lang} label", c.key));
                            }
                            for problem in column_problems(&c.kind) {
                                fail(at, format!("column {}: {problem}", c.key));
                            }
                        }
                        if !(1..=200).contains(max_rows) {
                            fail(at, "a table allows 1–200 rows".into());
                        }
                    }
                    AnswerKind::EvidenceOnly if q.evidence.level == EvidenceLevel::None => {
                        fail(at, "an evidence-only question needs an evidence rule".into());
                    }
                    _ => {}
                }
                if q.na_needs_justification && !(q.na_allowed || q.kind == AnswerKind::YesNoNa) {
                    fail(at, "na_needs_justification needs na_allowed".into());
                }
                if let Some(condition) = &q.show_if {
                    if condition.clauses.is_empty() {
                        fail(at, "show_if needs at least one clause".into());
                    }
                    for clause in &condition.clauses {
                        match seen.iter().find(|p| p.key == clause.question) {
                            None => fail(
                                at,
                                format!("show_if refers to {:?}, which is not an earlier question", clause.question),
                            ),
                            Some(earlier) if !offers(earlier, &clause.equals) => fail(
                                at,
                                format!("show_if: question {} has no answer {:?}", clause.question, clause.equals),
                            ),
                            Some(_) => {}
                        }
                    }
                }
                seen.push(q);
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }
}

/// What is wrong with a number range written in a template.
fn range_problems(min: Option<i64>, max: Option<i64>, whole: bool, percent: bool) -> Vec<String> {
    let mut out = Vec::new();
    if whole && [min, max].into_iter().flatten().any(|n| n % 1000 != 0) {
        out.push("min and max of a whole number must be whole numbers".into());
    }
    if let (Some(min), Some(max)) = (min, max)
        && min > max
    {
        out.push(format!("min {} is greater than max {}", fmt_thousandths(min), fmt_thousandths(max)));
    }
    if percent && [min, max].into_iter().flatten().any(|n| !(0..=100_000).contains(&n)) {
        out.push("min and max of a percentage must be within 0–100".into());
    }
    out
}

/// What is wrong with a table column's type.
fn column_problems(kind: &ColumnKind) -> Vec<String> {
    match kind {
        ColumnKind::Text { max_chars } if !(1..=2000).contains(max_chars) => {
            vec!["text length limit must be 1–2000".into()]
        }
        ColumnKind::Integer { min, max } => range_problems(*min, *max, true, false),
        ColumnKind::Decimal { min, max } => range_problems(*min, *max, false, false),
        ColumnKind::Money { currency: Some(code) } if super::money::Currency::parse(code).is_err() => {
            vec![format!("currency {code:?} is not one of the accepted ISO 4217 codes")]
        }
        ColumnKind::SingleChoice { options } => {
            let mut out = Vec::new();
            if options.len() < 2 {
                out.push("a choice column needs at least two options".into());
            }
            let mut keys = std::collections::HashSet::new();
            for o in options {
                if !is_key(&o.key) || !keys.insert(o.key.as_str()) {
                    out.push(format!("option key {:?} must be unique and a simple key", o.key));
                }
                if let Some(lang) = o.label.missing() {
                    out.push(format!("option {} has no {lang} label", o.key));
                }
            }
            out
        }
        _ => vec![],
    }
}

fn fmt_thousandths(n: i64) -> String {
    super::answer::format_thousandths(n)
}

/// Whether `question` can have the answer `value` used in a condition.
fn offers(question: &Question, value: &str) -> bool {
    let na = value == "na" && (question.na_allowed || question.kind == AnswerKind::YesNoNa);
    na || match &question.kind {
        AnswerKind::YesNo | AnswerKind::YesNoNa => matches!(value, "yes" | "no"),
        AnswerKind::SingleChoice { options } | AnswerKind::MultiChoice { options } => {
            options.iter().any(|o| o.key == value)
        }
        _ => false,
    }
}

fn is_key(key: &str) -> bool {
    (1..=32).contains(&key.len()) && key.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn text(en: &str) -> I18nText {
        I18nText { kk: format!("{en} (kk)"), ru: format!("{en} (ru)"), en: en.to_owned() }
    }

    pub fn question(key: &str, kind: AnswerKind, weight: u8) -> Question {
        Question {
            key: key.into(),
            text: text(key),
            help: None,
            kind,
            weight,
            required: true,
            knock_out: false,
            show_if: None,
            evidence: Evidence::default(),
            na_allowed: false,
            na_needs_justification: false,
            reference: None,
        }
    }

    pub fn choice(key: &str, credit: Credit) -> Choice {
        Choice { key: key.into(), label: text(key), credit }
    }

    pub fn template(sections: Vec<Section>) -> Template {
        Template {
            code: "T1".into(),
            version: Version { major: 1, minor: 0, patch: 0 },
            purpose: Purpose::GeneralCompliance,
            title: text("General"),
            help: None,
            sections,
        }
    }

    pub fn section(key: &str, weight: u32, questions: Vec<Question>) -> Section {
        Section { key: key.into(), title: text(key), weight, legal_reference: None, questions }
    }

    #[test]
    fn versions_parse_and_order() {
        assert_eq!(Version::parse("1.2.3"), Some(Version { major: 1, minor: 2, patch: 3 }));
        assert!(Version::parse("1.10.0") > Version::parse("1.9.9"));
        for bad in ["1.2", "1.2.3.4", "a.b.c", "1..2", "-1.0.0", ""] {
            assert_eq!(Version::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_well_formed_template_validates() {
        let mut b = question("B", AnswerKind::SingleChoice { options: vec![choice("x", 1000), choice("y", 0)] }, 2);
        b.show_if = Some(Condition {
            combine: Combine::Any,
            clauses: vec![Clause { question: "A".into(), equals: "yes".into() }],
        });
        let t = template(vec![section("S", 10, vec![question("A", AnswerKind::YesNo, 3), b])]);
        assert_eq!(t.validate(), Ok(()));
    }

    #[test]
    fn conditions_must_refer_to_earlier_questions_and_real_answers() {
        let mut a = question("A", AnswerKind::YesNo, 1);
        a.show_if = Some(Condition {
            combine: Combine::All,
            clauses: vec![Clause { question: "B".into(), equals: "yes".into() }],
        });
        let mut c = question("C", AnswerKind::YesNo, 1);
        c.show_if = Some(Condition {
            combine: Combine::All,
            clauses: vec![Clause { question: "B".into(), equals: "maybe".into() }],
        });
        let t = template(vec![section("S", 1, vec![a, question("B", AnswerKind::YesNo, 1), c])]);
        let errors = t.validate().unwrap_err();
        assert!(errors.iter().any(|e| e.at == "A" && e.message.contains("not an earlier question")));
        assert!(errors.iter().any(|e| e.at == "C" && e.message.contains("no answer \"maybe\"")));
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let mut q = question("dup", AnswerKind::SingleChoice { options: vec![choice("x", 1500)] }, 9);
        q.text.kk.clear();
        let t = template(vec![section("S", 1, vec![q.clone(), q])]);
        let errors = t.validate().unwrap_err();
        let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert!(messages.iter().any(|m| m.contains("unique")));
        assert!(messages.iter().any(|m| m.contains("no kk text")));
        assert!(messages.iter().any(|m| m.contains("above 5")));
        assert!(messages.iter().any(|m| m.contains("at least two options")));
        assert!(messages.iter().any(|m| m.contains("between 0 and 1")));
    }

    #[test]
    fn number_ranges_are_checked_and_default_to_not_negative() {
        let int = |min, max| AnswerKind::Integer { bands: vec![], min, max };
        assert_eq!(int(None, None).range(), Some(Range { min: 0, max: None }));
        assert_eq!(int(Some(-5000), None).range(), Some(Range { min: -5000, max: None }));
        let pct = AnswerKind::Percent { bands: vec![], min: None, max: None };
        assert_eq!(pct.range(), Some(Range { min: 0, max: Some(100_000) }));
        let range = Range { min: 0, max: Some(60_000) };
        assert_eq!(range.check(-1000), Err(crate::domain::validation::ErrorCode::NumberTooSmall));
        assert_eq!(range.check(61_000), Err(crate::domain::validation::ErrorCode::NumberTooLarge));
        assert_eq!(range.check(60_000), Ok(60_000));

        let t = template(vec![section(
            "S",
            1,
            vec![
                question("A", int(Some(5000), Some(3000)), 1),
                question("B", int(Some(1500), None), 1),
                question("C", AnswerKind::Percent { bands: vec![], min: None, max: Some(120_000) }, 1),
                question(
                    "D",
                    AnswerKind::Integer {
                        bands: vec![Band { min: 70_000, credit: 1000 }],
                        min: None,
                        max: Some(60_000),
                    },
                    1,
                ),
            ],
        )]);
        let errors = t.validate().unwrap_err();
        assert!(errors.iter().any(|e| e.at == "A" && e.message.contains("min 5 is greater than max 3")), "{errors:?}");
        assert!(errors.iter().any(|e| e.at == "B" && e.message.contains("whole numbers")), "{errors:?}");
        assert!(errors.iter().any(|e| e.at == "C" && e.message.contains("0–100")), "{errors:?}");
        assert!(errors.iter().any(|e| e.at == "D" && e.message.contains("never be reached")), "{errors:?}");
    }

    #[test]
    fn table_columns_are_checked() {
        let column = |key: &str, kind| Column { key: key.into(), label: text(key), kind };
        let table = AnswerKind::Table {
            max_rows: 3,
            columns: vec![
                column("year", ColumnKind::Integer { min: Some(2_100_000), max: Some(2_000_000) }),
                column("year", ColumnKind::Date),
                column("sum", ColumnKind::Money { currency: Some("XXX".into()) }),
                column(
                    "pick",
                    ColumnKind::SingleChoice { options: vec![ColumnChoice { key: "a".into(), label: text("a") }] },
                ),
                column("note", ColumnKind::Text { max_chars: 0 }),
            ],
        };
        let errors = template(vec![section("S", 1, vec![question("T", table, 1)])]).validate().unwrap_err();
        let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        for expected in ["greater than max", "\"year\" must be unique", "XXX", "at least two options", "1–2000"] {
            assert!(messages.iter().any(|m| m.contains(expected)), "{expected}: {messages:?}");
        }
    }

    #[test]
    fn translations_fall_back_when_empty() {
        let mut t = text("Hello");
        t.kk.clear();
        assert_eq!(t.get(crate::domain::language::Language::Kk), "Hello (ru)");
        assert_eq!(t.get(crate::domain::language::Language::En), "Hello");
    }
}

/// Where a template version is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TemplateStatus {
    /// Imported, can be previewed; not offered to traders.
    Draft,
    /// Offered to traders; its content never changes again.
    Published,
    /// No longer offered; kept for the assessments that used it.
    Retired,
}

/// What can happen to a template version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TemplateAction {
    /// Make a draft available.
    Publish,
    /// Withdraw a published version.
    Retire,
}

/// An action that the current status does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateTransitionError {
    /// The status at the time.
    pub from: TemplateStatus,
    /// What was attempted.
    pub attempted: TemplateAction,
}

impl TemplateStatus {
    /// The status after `action`, or why it is not allowed.
    pub fn apply(self, action: TemplateAction) -> Result<TemplateStatus, TemplateTransitionError> {
        use {TemplateAction as A, TemplateStatus as S};
        match (self, action) {
            (S::Draft, A::Publish) => Ok(S::Published),
            (S::Published, A::Retire) => Ok(S::Retired),
            (from, attempted) => Err(TemplateTransitionError { from, attempted }),
        }
    }

    /// Whether `action` is allowed now (for showing buttons).
    pub fn can(self, action: TemplateAction) -> bool {
        self.apply(action).is_ok()
    }
}

#[cfg(test)]
mod lifecycle_tests {
    use super::{TemplateAction as A, TemplateStatus as S};

    #[test]
    fn only_drafts_publish_and_only_published_versions_retire() {
        let table = [
            (S::Draft, A::Publish, Some(S::Published)),
            (S::Draft, A::Retire, None),
            (S::Published, A::Publish, None),
            (S::Published, A::Retire, Some(S::Retired)),
            (S::Retired, A::Publish, None),
            (S::Retired, A::Retire, None),
        ];
        for (from, action, expected) in table {
            assert_eq!(from.apply(action).ok(), expected, "{from:?} {action:?}");
            assert_eq!(from.can(action), expected.is_some());
        }
    }
}
