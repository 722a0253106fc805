//! Answers to questionnaire questions: strict parsing of what a form sends into typed values,
//! which questions are shown given earlier answers, and what is still missing before submission.

use super::money::{Currency, Money};
use super::questionnaire::{AnswerKind, ColumnKind, Combine, EvidenceLevel, Question, Range, Template};
use super::text;
use super::validation::ErrorCode;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// A typed answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Answer {
    /// Yes.
    Yes,
    /// No.
    No,
    /// Not applicable, with the justification when one was given.
    NotApplicable(Option<String>),
    /// The chosen option key.
    Choice(String),
    /// The chosen option keys, in template order.
    Choices(Vec<String>),
    /// A number in thousandths of its unit (whole numbers, decimals and percentages).
    Number(i64),
    /// A money amount.
    Money(Money),
    /// Days since 1970-01-01.
    Date(i64),
    /// Free text.
    Text(String),
    /// Table rows (each as many cells as the template has columns).
    Table(Vec<Vec<String>>),
    /// The question asks only for evidence; this marks it as addressed.
    EvidenceOnly,
}

impl Answer {
    /// Whether this answer satisfies a condition clause value (`yes`, `no`, `na` or an option key).
    pub fn matches(&self, value: &str) -> bool {
        match self {
            Answer::Yes => value == "yes",
            Answer::No => value == "no",
            Answer::NotApplicable(_) => value == "na",
            Answer::Choice(key) => key == value,
            Answer::Choices(keys) => keys.iter().any(|k| k == value),
            _ => false,
        }
    }

    /// A short human rendering for summaries and officer views (option keys, numbers, money).
    pub fn summary(&self) -> String {
        match self {
            Answer::Yes => "yes".into(),
            Answer::No => "no".into(),
            Answer::NotApplicable(j) => format!("n/a{}", j.as_ref().map(|j| format!(": {j}")).unwrap_or_default()),
            Answer::Choice(k) => k.clone(),
            Answer::Choices(ks) => ks.join(", "),
            Answer::Number(n) => format_thousandths(*n),
            Answer::Money(m) => m.display(),
            Answer::Date(d) => {
                let (y, m, day) = super::time::civil_from_days(*d);
                format!("{y:04}-{m:02}-{day:02}")
            }
            Answer::Text(t) => t.clone(),
            Answer::Table(rows) => format!("{} rows", rows.len()),
            Answer::EvidenceOnly => "evidence".into(),
        }
    }
}

/// What a form sends for one question; unused parts are empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawAnswer {
    /// The main value (`yes`, an option key, a number, an amount, a date, text).
    #[serde(default)]
    pub value: String,
    /// Chosen option keys of a multiple-choice question.
    #[serde(default)]
    pub choices: Vec<String>,
    /// The currency of a money answer.
    #[serde(default)]
    pub currency: String,
    /// The justification of a "not applicable" answer.
    #[serde(default)]
    pub justification: String,
    /// Table cells, row by row.
    #[serde(default)]
    pub rows: Vec<Vec<String>>,
    /// The currencies of a table's money cells, at the same row and column as the amount (a
    /// column with a fixed currency needs none).
    #[serde(default)]
    pub currencies: Vec<Vec<String>>,
}

/// Where in an answer a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Spot {
    /// The answer as a whole.
    Whole,
    /// One table cell, by the row and column index the form posted.
    Cell {
        /// Row index, 0-based, as in the form.
        row: usize,
        /// Column index, 0-based.
        column: usize,
    },
}

/// A refused answer or cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnswerError {
    /// What is wrong.
    pub spot: Spot,
    /// Why.
    pub code: ErrorCode,
}

/// The field-error key of a spot of question `key`'s answer: `q-<key>` for the answer,
/// `q-<key>-r<row>-c<column>` for a table cell. The page looks errors up by the same key.
pub fn error_field(key: &str, spot: Spot) -> String {
    match spot {
        Spot::Whole => format!("q-{key}"),
        Spot::Cell { row, column } => format!("q-{key}-r{row}-c{column}"),
    }
}

/// The question key and spot of a field-error key made by [`error_field`]; `None` for a field
/// that is not a question's.
pub fn parse_error_field(field: &str) -> Option<(&str, Spot)> {
    let rest = field.strip_prefix("q-")?;
    let cell = rest.rsplit_once("-c").and_then(|(head, c)| {
        let (key, r) = head.rsplit_once("-r")?;
        Some((key, Spot::Cell { row: r.parse().ok()?, column: c.parse().ok()? }))
    });
    Some(cell.unwrap_or((rest, Spot::Whole)))
}

/// Parses a raw answer for `question`, as [`parse_detailed`], reporting only the first problem.
pub fn parse(question: &Question, raw: &RawAnswer) -> Result<Option<Answer>, ErrorCode> {
    parse_detailed(question, raw).map_err(|errors| errors.first().map_or(ErrorCode::InvalidChoice, |e| e.code))
}

/// Parses a raw answer for `question`. `Ok(None)` means left empty. A table reports every
/// refused cell; any other answer has one problem at most.
pub fn parse_detailed(question: &Question, raw: &RawAnswer) -> Result<Option<Answer>, Vec<AnswerError>> {
    if let AnswerKind::Table { columns, max_rows } = &question.kind
        && raw.value.trim() != "na"
    {
        return parse_table(columns, *max_rows, raw);
    }
    parse_single(question, raw).map_err(|code| vec![AnswerError { spot: Spot::Whole, code }])
}

fn parse_single(question: &Question, raw: &RawAnswer) -> Result<Option<Answer>, ErrorCode> {
    let value = raw.value.trim();
    if value == "na" {
        if !(question.na_allowed || question.kind == AnswerKind::YesNoNa) {
            return Err(ErrorCode::NotApplicableNotAllowed);
        }
        let justification = text::clean_optional(&raw.justification, 2000, true)?;
        if question.na_needs_justification && justification.is_none() {
            return Err(ErrorCode::JustificationRequired);
        }
        return Ok(Some(Answer::NotApplicable(justification)));
    }
    let empty = value.is_empty()
        && raw.choices.iter().all(|c| c.trim().is_empty())
        && raw.rows.iter().flatten().all(|c| c.trim().is_empty());
    if empty {
        return Ok(None);
    }
    let answer = match &question.kind {
        AnswerKind::YesNo | AnswerKind::YesNoNa => match value {
            "yes" => Answer::Yes,
            "no" => Answer::No,
            _ => return Err(ErrorCode::InvalidChoice),
        },
        AnswerKind::SingleChoice { options } => options
            .iter()
            .find(|o| o.key == value)
            .map(|o| Answer::Choice(o.key.clone()))
            .ok_or(ErrorCode::InvalidChoice)?,
        AnswerKind::MultiChoice { options } => {
            let wanted: BTreeSet<&str> = raw.choices.iter().map(|c| c.trim()).filter(|c| !c.is_empty()).collect();
            if wanted.iter().any(|w| !options.iter().any(|o| o.key == *w)) {
                return Err(ErrorCode::InvalidChoice);
            }
            Answer::Choices(options.iter().filter(|o| wanted.contains(o.key.as_str())).map(|o| o.key.clone()).collect())
        }
        AnswerKind::Integer { .. } => Answer::Number(in_range(&question.kind, parse_thousandths(value, 0)?)?),
        AnswerKind::Decimal { .. } => Answer::Number(in_range(&question.kind, parse_thousandths(value, 3)?)?),
        AnswerKind::Percent { .. } => {
            Answer::Number(in_range(&question.kind, parse_thousandths(value.trim_end_matches('%').trim(), 3)?)?)
        }
        AnswerKind::Money => {
            let currency = Currency::parse(if raw.currency.trim().is_empty() { "KZT" } else { &raw.currency })?;
            Answer::Money(Money::parse(value, currency)?)
        }
        AnswerKind::Date => Answer::Date(parse_date(value)?),
        AnswerKind::Text { max_chars } => Answer::Text(text::clean(value, *max_chars as usize, true)?),
        // Tables are parsed cell by cell in `parse_table`, which `parse_detailed` calls first.
        AnswerKind::Table { .. } => return Err(ErrorCode::InvalidChoice),
        AnswerKind::EvidenceOnly => Answer::EvidenceOnly,
    };
    Ok(Some(answer))
}

fn in_range(kind: &AnswerKind, n: i64) -> Result<i64, ErrorCode> {
    kind.range().map_or(Ok(n), |range| range.check(n))
}

/// Parses every row of a table; rows left entirely empty are dropped, every refused cell is
/// reported at its posted row and column.
fn parse_table(
    columns: &[super::questionnaire::Column],
    max_rows: u32,
    raw: &RawAnswer,
) -> Result<Option<Answer>, Vec<AnswerError>> {
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for (r, row) in raw.rows.iter().enumerate() {
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if row.len() > columns.len() {
            errors.push(AnswerError { spot: Spot::Whole, code: ErrorCode::InvalidChoice });
            continue;
        }
        let mut cells = Vec::new();
        for (c, column) in columns.iter().enumerate() {
            let cell = row.get(c).map(String::as_str).unwrap_or_default();
            let currency = raw.currencies.get(r).and_then(|cs| cs.get(c)).map(String::as_str).unwrap_or_default();
            match parse_cell(&column.kind, cell, currency) {
                Ok(value) => cells.push(value),
                Err(code) => errors.push(AnswerError { spot: Spot::Cell { row: r, column: c }, code }),
            }
        }
        rows.push(cells);
    }
    if rows.len() > max_rows as usize {
        errors.push(AnswerError { spot: Spot::Whole, code: ErrorCode::TooLong });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok((!rows.is_empty()).then_some(Answer::Table(rows)))
}

/// Checks one table cell like a top-level answer of the column's type and returns its canonical
/// text; an empty cell stays empty (a row may be partly filled).
pub fn parse_cell(kind: &ColumnKind, raw: &str, currency: &str) -> Result<String, ErrorCode> {
    let value = raw.trim();
    if value.is_empty() {
        return Ok(String::new());
    }
    let number = |decimals: usize| -> Result<String, ErrorCode> {
        let range = kind.range().unwrap_or(Range { min: 0, max: None });
        Ok(format_thousandths(range.check(parse_thousandths(value, decimals)?)?))
    };
    match kind {
        ColumnKind::Text { max_chars } => text::clean(value, *max_chars as usize, false),
        ColumnKind::Integer { .. } => number(0),
        ColumnKind::Decimal { .. } => number(3),
        ColumnKind::Money { currency: fixed } => {
            // The stored form `amount CUR` parses again (drafts carried to a new version).
            let (amount, written) = match value.rsplit_once(' ') {
                Some((amount, code)) if code.len() == 3 && code.chars().all(|c| c.is_ascii_alphabetic()) => {
                    (amount.trim(), code)
                }
                _ => (value, currency.trim()),
            };
            let code = match (fixed.as_deref(), written) {
                (Some(fixed), w) if w.is_empty() || w.eq_ignore_ascii_case(fixed) => fixed,
                (Some(_), _) => return Err(ErrorCode::CurrencyUnknown),
                (None, "") => "KZT",
                (None, w) => w,
            };
            let money = Money::parse(amount, Currency::parse(code)?)?;
            Ok(format!("{} {}", money.plain(), money.currency.code()))
        }
        ColumnKind::Date => parse_date(value).map(|days| Answer::Date(days).summary()),
        ColumnKind::SingleChoice { options } => {
            options.iter().find(|o| o.key == value).map(|o| o.key.clone()).ok_or(ErrorCode::InvalidChoice)
        }
    }
}

/// Splits a stored money cell (`125000.00 KZT`) into its amount and currency for display.
pub fn split_money_cell(cell: &str) -> (&str, &str) {
    cell.rsplit_once(' ').unwrap_or((cell, ""))
}

/// Parses a decimal number with at most `decimals` places into thousandths. Accepts a leading
/// minus and `.` or `,` as decimal separator; refuses exponents, `NaN`, infinities and more than
/// twelve integer digits.
pub fn parse_thousandths(raw: &str, decimals: usize) -> Result<i64, ErrorCode> {
    let raw = raw.trim();
    let (negative, digits) = match raw.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, raw),
    };
    let (whole, fraction) = digits.split_once(['.', ',']).unwrap_or((digits, ""));
    let ok = !whole.is_empty()
        && whole.chars().all(|c| c.is_ascii_digit())
        && fraction.chars().all(|c| c.is_ascii_digit())
        && (digits.len() == whole.len() || !fraction.is_empty());
    if !ok {
        return Err(ErrorCode::NumberFormat);
    }
    if fraction.len() > decimals {
        return Err(ErrorCode::NumberFormat);
    }
    if whole.len() > 12 {
        return Err(ErrorCode::NumberTooLarge);
    }
    let whole: i64 = whole.parse().map_err(|_| ErrorCode::NumberFormat)?;
    let mut frac = fraction.to_owned();
    frac.extend(std::iter::repeat_n('0', 3 - fraction.len()));
    let frac: i64 = frac.parse().map_err(|_| ErrorCode::NumberFormat)?;
    let n = whole * 1000 + frac;
    Ok(if negative { -n } else { n })
}

/// Renders thousandths without trailing zeros (`2500` → `2.5`).
pub fn format_thousandths(n: i64) -> String {
    let sign = if n < 0 { "-" } else { "" };
    let abs = n.unsigned_abs();
    let (whole, frac) = (abs / 1000, abs % 1000);
    if frac == 0 {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{}", format!("{frac:03}").trim_end_matches('0'))
    }
}

/// Parses `YYYY-MM-DD` into days since 1970-01-01, refusing impossible dates.
pub fn parse_date(raw: &str) -> Result<i64, ErrorCode> {
    let bad = ErrorCode::DateFormat;
    let parts: Vec<&str> = raw.trim().split('-').collect();
    let [y, m, d] = parts.as_slice() else { return Err(bad) };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(bad);
    }
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<i64>(), m.parse::<u32>(), d.parse::<u32>()) else { return Err(bad) };
    if !(1900..=2200).contains(&y) {
        return Err(bad);
    }
    let days = super::time::days_from_civil(y, m, d);
    if super::time::civil_from_days(days) != (y, m, d) {
        return Err(bad);
    }
    Ok(days)
}

/// Answers by question key.
pub type Answers = BTreeMap<String, Answer>;

/// The keys of the questions shown given `answers`: a condition is evaluated only against shown
/// earlier questions, so hiding a question also hides everything that depends on it.
pub fn visible(template: &Template, answers: &Answers) -> BTreeSet<String> {
    shown_by(template.questions().map(|(_, q)| (q.key.as_str(), q.show_if.as_ref())), |question, value| {
        answers.get(question).is_some_and(|a| a.matches(value))
    })
}

/// The questions shown, given each question's condition in template order and a test of "this
/// question's answer is (or includes) this value". The server asks its saved answers; the section
/// form in the browser asks the ticked controls, so both hide and show the same questions.
pub fn shown_by<'a>(
    questions: impl IntoIterator<Item = (&'a str, Option<&'a super::questionnaire::Condition>)>,
    matches: impl Fn(&str, &str) -> bool,
) -> BTreeSet<String> {
    let mut shown = BTreeSet::new();
    for (key, condition) in questions {
        let show = match condition {
            None => true,
            Some(condition) => {
                let holds =
                    |c: &super::questionnaire::Clause| shown.contains(&c.question) && matches(&c.question, &c.equals);
                match condition.combine {
                    Combine::Any => condition.clauses.iter().any(holds),
                    Combine::All => condition.clauses.iter().all(holds),
                }
            }
        };
        if show {
            shown.insert(key.to_owned());
        }
    }
    shown
}

/// The values an answer "is" for show-if clauses: `yes`, `no`, `na` or the chosen option keys.
pub fn clause_values(answer: &Answer) -> Vec<String> {
    match answer {
        Answer::Yes => vec!["yes".into()],
        Answer::No => vec!["no".into()],
        Answer::NotApplicable(_) => vec!["na".into()],
        Answer::Choice(key) => vec![key.clone()],
        Answer::Choices(keys) => keys.clone(),
        _ => vec![],
    }
}

/// Something that blocks submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Missing {
    /// A shown required question has no answer.
    Answer(String),
    /// A shown, answered question whose evidence is required has no file.
    Evidence(String),
}

/// Required progress of one section: answered and total required shown questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// Required shown questions with an answer.
    pub answered: u32,
    /// Required shown questions.
    pub required: u32,
}

/// Progress per section (in template order) given answers.
pub fn progress(template: &Template, answers: &Answers) -> Vec<Progress> {
    let shown = visible(template, answers);
    template
        .sections
        .iter()
        .map(|s| {
            let required: Vec<&Question> =
                s.questions.iter().filter(|q| q.required && shown.contains(&q.key)).collect();
            Progress {
                required: required.len() as u32,
                answered: required.iter().filter(|q| answers.contains_key(&q.key)).count() as u32,
            }
        })
        .collect()
}

/// Everything that must be done before submission; `evidence` counts files per question key.
pub fn missing(template: &Template, answers: &Answers, evidence: &BTreeMap<String, u32>) -> Vec<Missing> {
    let shown = visible(template, answers);
    let mut out = Vec::new();
    for (_, q) in template.questions() {
        if !shown.contains(&q.key) {
            continue;
        }
        let answer = answers.get(&q.key);
        if q.required && answer.is_none() {
            out.push(Missing::Answer(q.key.clone()));
        }
        // Evidence proves a creditable answer: "no", a zero-credit option or "not applicable"
        // need no file.
        let creditable = match answer {
            None => q.kind == AnswerKind::EvidenceOnly,
            Some(Answer::NotApplicable(_)) => false,
            Some(a) => super::scoring::base_credit(q, a) > 0,
        };
        let needs_file = q.evidence.level == EvidenceLevel::Required && creditable;
        if needs_file && evidence.get(&q.key).copied().unwrap_or(0) == 0 {
            out.push(Missing::Evidence(q.key.clone()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_fields_read_back_as_they_were_made() {
        for key in ["A1", "1.1", "q-2"] {
            for spot in [Spot::Whole, Spot::Cell { row: 2, column: 5 }] {
                assert_eq!(parse_error_field(&error_field(key, spot)), Some((key, spot)));
            }
        }
        assert_eq!(parse_error_field("legal_name"), None);
    }
    use crate::domain::questionnaire::tests::{choice, question, section, template};
    use crate::domain::questionnaire::{Clause, Condition, Evidence};

    fn raw(value: &str) -> RawAnswer {
        RawAnswer { value: value.into(), ..RawAnswer::default() }
    }

    #[test]
    fn yes_no_and_choices_accept_only_their_values() {
        let q = question("A", AnswerKind::YesNo, 1);
        assert_eq!(parse(&q, &raw("yes")), Ok(Some(Answer::Yes)));
        assert_eq!(parse(&q, &raw("")), Ok(None));
        assert_eq!(parse(&q, &raw("maybe")), Err(ErrorCode::InvalidChoice));
        assert_eq!(parse(&q, &raw("na")), Err(ErrorCode::NotApplicableNotAllowed));
        let multi = question("M", AnswerKind::MultiChoice { options: vec![choice("a", 1000), choice("b", 500)] }, 1);
        let picked = RawAnswer { choices: vec!["b".into(), "a".into()], ..RawAnswer::default() };
        assert_eq!(parse(&multi, &picked), Ok(Some(Answer::Choices(vec!["a".into(), "b".into()]))));
        let bad = RawAnswer { choices: vec!["z".into()], ..RawAnswer::default() };
        assert_eq!(parse(&multi, &bad), Err(ErrorCode::InvalidChoice));
    }

    #[test]
    fn not_applicable_needs_a_justification_when_the_template_says_so() {
        let mut q = question("B3", AnswerKind::YesNoNa, 2);
        q.na_needs_justification = true;
        assert_eq!(parse(&q, &raw("na")), Err(ErrorCode::JustificationRequired));
        let justified = RawAnswer {
            value: "na".into(),
            justification: "We import no goods needing it".into(),
            ..RawAnswer::default()
        };
        assert_eq!(
            parse(&q, &justified),
            Ok(Some(Answer::NotApplicable(Some("We import no goods needing it".into()))))
        );
    }

    #[test]
    fn numbers_are_exact_and_refuse_nan_infinity_and_huge_values() {
        let int = question("A2", AnswerKind::Integer { bands: vec![], min: None, max: None }, 1);
        assert_eq!(parse(&int, &raw("12")), Ok(Some(Answer::Number(12_000))));
        assert_eq!(parse(&int, &raw("1.5")), Err(ErrorCode::NumberFormat));
        for bad in ["NaN", "inf", "-infinity", "1e400", "0x10", "1 2"] {
            assert_eq!(parse(&int, &raw(bad)), Err(ErrorCode::NumberFormat), "{bad}");
        }
        assert_eq!(parse(&int, &raw("9999999999999")), Err(ErrorCode::NumberTooLarge));
        let pct = question("P", AnswerKind::Percent { bands: vec![], min: None, max: None }, 1);
        assert_eq!(parse(&pct, &raw("12,5 %")), Ok(Some(Answer::Number(12_500))));
        assert_eq!(parse(&pct, &raw("101")), Err(ErrorCode::NumberTooLarge));
        assert_eq!(parse(&pct, &raw("-1")), Err(ErrorCode::NumberTooSmall));
    }

    #[test]
    fn money_dates_text_and_tables_are_checked() {
        let money = question("M", AnswerKind::Money, 1);
        let amount = RawAnswer { value: "48000.00".into(), currency: "usd".into(), ..RawAnswer::default() };
        let Ok(Some(Answer::Money(m))) = parse(&money, &amount) else { panic!("money") };
        assert_eq!((m.minor, m.currency.code()), (4_800_000, "USD"));
        assert_eq!(parse(&money, &raw("12.345")), Err(ErrorCode::MoneyPrecision));
        let date = question("D", AnswerKind::Date, 1);
        assert!(parse(&date, &raw("2025-02-28")).is_ok());
        assert_eq!(parse(&date, &raw("2025-02-30")), Err(ErrorCode::DateFormat));
        let text = question("T", AnswerKind::Text { max_chars: 5 }, 1);
        assert_eq!(parse(&text, &raw("abcdef")), Err(ErrorCode::TooLong));
        assert_eq!(parse(&text, &raw("a\u{0}b")), Err(ErrorCode::BadCharacters));
        let table = question("P2", AnswerKind::Table { columns: vec![], max_rows: 1 }, 1);
        let table = Question { kind: AnswerKind::Table { columns: vec![col("a"), col("b")], max_rows: 1 }, ..table };
        let rows = RawAnswer {
            rows: vec![vec!["x".into(), "y".into()], vec![String::new(), String::new()]],
            ..RawAnswer::default()
        };
        assert_eq!(parse(&table, &rows), Ok(Some(Answer::Table(vec![vec!["x".into(), "y".into()]]))));
        let too_many = RawAnswer { rows: vec![vec!["x".into()], vec!["y".into()]], ..RawAnswer::default() };
        assert_eq!(parse(&table, &too_many), Err(ErrorCode::TooLong));
    }

    fn col(key: &str) -> crate::domain::questionnaire::Column {
        typed(key, ColumnKind::default())
    }

    fn typed(key: &str, kind: ColumnKind) -> crate::domain::questionnaire::Column {
        crate::domain::questionnaire::Column {
            key: key.into(),
            label: crate::domain::questionnaire::tests::text(key),
            kind,
        }
    }

    #[test]
    fn numbers_are_not_negative_by_default_and_keep_to_the_template_range() {
        let years = question("A2", AnswerKind::Integer { bands: vec![], min: None, max: Some(60_000) }, 1);
        assert_eq!(parse(&years, &raw("-3")), Err(ErrorCode::NumberTooSmall), "negative years");
        assert_eq!(parse(&years, &raw("61")), Err(ErrorCode::NumberTooLarge));
        assert_eq!(parse(&years, &raw("0")), Ok(Some(Answer::Number(0))));
        assert_eq!(parse(&years, &raw("60")), Ok(Some(Answer::Number(60_000))));
        let balance = question("B", AnswerKind::Decimal { bands: vec![], min: Some(-10_500), max: None }, 1);
        assert_eq!(parse(&balance, &raw("-10.5")), Ok(Some(Answer::Number(-10_500))));
        assert_eq!(parse(&balance, &raw("-10.501")), Err(ErrorCode::NumberTooSmall));
        let share = question("P", AnswerKind::Percent { bands: vec![], min: Some(10_000), max: Some(90_000) }, 1);
        assert_eq!(parse(&share, &raw("95")), Err(ErrorCode::NumberTooLarge));
        assert_eq!(parse(&share, &raw("5")), Err(ErrorCode::NumberTooSmall));
    }

    #[test]
    fn every_table_cell_is_checked_like_an_answer_and_reported_where_it_is() {
        let choice = |key: &str| crate::domain::questionnaire::ColumnChoice {
            key: key.into(),
            label: crate::domain::questionnaire::tests::text(key),
        };
        let columns = vec![
            typed("year", ColumnKind::Integer { min: Some(1_990_000), max: Some(2_100_000) }),
            typed("count", ColumnKind::Integer { min: None, max: None }),
            typed("rate", ColumnKind::Decimal { min: None, max: None }),
            typed("value", ColumnKind::Money { currency: None }),
            typed("value_kzt", ColumnKind::Money { currency: Some("KZT".into()) }),
            typed("date", ColumnKind::Date),
            typed("note", ColumnKind::Text { max_chars: 5 }),
            typed("disclosed", ColumnKind::SingleChoice { options: vec![choice("yes"), choice("no")] }),
        ];
        let table = question("T", AnswerKind::Table { columns, max_rows: 5 }, 1);
        let row = |cells: [&str; 8]| cells.iter().map(|c| (*c).to_owned()).collect::<Vec<String>>();
        let good = RawAnswer {
            rows: vec![
                row(["2024", "12", "1,5", "48000", "1000.5", "2024-03-01", "ok", "yes"]),
                row(["", "", "", "", "", "", "", ""]),
                row(["2023", "0", "", "", "", "", "", "no"]),
            ],
            currencies: vec![vec![String::new(), String::new(), String::new(), "eur".into()]],
            ..RawAnswer::default()
        };
        let expected = vec![
            row(["2024", "12", "1.5", "48000.00 EUR", "1000.50 KZT", "2024-03-01", "ok", "yes"]),
            row(["2023", "0", "", "", "", "", "", "no"]),
        ];
        assert_eq!(parse_detailed(&table, &good), Ok(Some(Answer::Table(expected.clone()))));
        // The stored form parses back to itself (drafts carried to a new version).
        let again = RawAnswer { rows: expected.clone(), ..RawAnswer::default() };
        assert_eq!(parse_detailed(&table, &again), Ok(Some(Answer::Table(expected))));

        let bad = RawAnswer {
            rows: vec![
                row(["2024", "-1", "x", "1.234", "5 USD", "2024-02-30", "toolong", "maybe"]),
                row(["", "", "", "", "", "", "", ""]),
                row(["1800", "a\u{200B}", "", "", "", "", "", ""]),
            ],
            ..RawAnswer::default()
        };
        let spots: Vec<(Spot, ErrorCode)> =
            parse_detailed(&table, &bad).unwrap_err().into_iter().map(|e| (e.spot, e.code)).collect();
        let cell = |row, column| Spot::Cell { row, column };
        assert_eq!(
            spots,
            vec![
                (cell(0, 1), ErrorCode::NumberTooSmall),
                (cell(0, 2), ErrorCode::NumberFormat),
                (cell(0, 3), ErrorCode::MoneyPrecision),
                (cell(0, 4), ErrorCode::CurrencyUnknown),
                (cell(0, 5), ErrorCode::DateFormat),
                (cell(0, 6), ErrorCode::TooLong),
                (cell(0, 7), ErrorCode::InvalidChoice),
                (cell(2, 0), ErrorCode::NumberTooSmall),
                (cell(2, 1), ErrorCode::NumberFormat),
            ]
        );
        assert_eq!(error_field("1.2", cell(2, 0)), "q-1.2-r2-c0");
        assert_eq!(error_field("1.2", Spot::Whole), "q-1.2");
    }

    fn conditional() -> Template {
        let mut b = question("B", AnswerKind::YesNo, 1);
        b.show_if = Some(Condition {
            combine: Combine::Any,
            clauses: vec![Clause { question: "A".into(), equals: "yes".into() }],
        });
        let mut c = question("C", AnswerKind::YesNo, 1);
        c.show_if = Some(Condition {
            combine: Combine::All,
            clauses: vec![Clause { question: "B".into(), equals: "no".into() }],
        });
        c.evidence = Evidence { level: EvidenceLevel::Required, ..Evidence::default() };
        template(vec![section("S", 1, vec![question("A", AnswerKind::YesNo, 1), b, c])])
    }

    #[test]
    fn hiding_a_question_hides_what_depends_on_it() {
        let t = conditional();
        let mut answers = Answers::new();
        answers.insert("A".into(), Answer::Yes);
        answers.insert("B".into(), Answer::No);
        assert_eq!(visible(&t, &answers).len(), 3);
        answers.insert("A".into(), Answer::No);
        // B is hidden, so its stale "no" no longer shows C.
        assert_eq!(visible(&t, &answers), BTreeSet::from(["A".to_owned()]));
    }

    #[test]
    fn hidden_questions_are_not_required_and_evidence_is_listed() {
        let t = conditional();
        let mut answers = Answers::new();
        assert_eq!(missing(&t, &answers, &BTreeMap::new()), vec![Missing::Answer("A".into())]);
        answers.insert("A".into(), Answer::Yes);
        answers.insert("B".into(), Answer::No);
        answers.insert("C".into(), Answer::Yes);
        assert_eq!(missing(&t, &answers, &BTreeMap::new()), vec![Missing::Evidence("C".into())]);
        assert!(missing(&t, &answers, &BTreeMap::from([("C".to_owned(), 1)])).is_empty());
        assert_eq!(progress(&t, &answers), vec![Progress { answered: 3, required: 3 }]);
    }

    #[test]
    fn a_zero_credit_choice_needs_no_evidence() {
        let mut q =
            question("F1", AnswerKind::SingleChoice { options: vec![choice("quarterly", 1000), choice("no", 0)] }, 4);
        q.evidence = Evidence { level: EvidenceLevel::Required, ..Evidence::default() };
        let t = template(vec![section("F", 1, vec![q])]);
        let none = BTreeMap::new();
        let answered = |key: &str| Answers::from([("F1".to_owned(), Answer::Choice(key.into()))]);
        assert!(missing(&t, &answered("no"), &none).is_empty());
        assert_eq!(missing(&t, &answered("quarterly"), &none), vec![Missing::Evidence("F1".into())]);
    }

    #[test]
    fn thousandths_format_round_trip() {
        assert_eq!(format_thousandths(2500), "2.5");
        assert_eq!(format_thousandths(3000), "3");
        assert_eq!(format_thousandths(-1250), "-1.25");
        assert_eq!(parse_thousandths("2.5", 3), Ok(2500));
    }
}
