//! Reading and writing questionnaire templates as TOML (format: `docs/template-format.md`).
//! Import checks the whole file and reports every problem with its line number; nothing partial
//! is ever produced.

use crate::domain::questionnaire::{
    AnswerKind, Band, Choice, Clause, Column, ColumnChoice, ColumnKind, Combine, Condition, Credit, DEFAULT_CELL_CHARS,
    Evidence, EvidenceLevel, FileType, I18nText, Purpose, Question, Section, Template, Version,
};
use serde::{Deserialize, Serialize};

/// A problem in an imported file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct FileTemplate {
    code: String,
    version: String,
    purpose: Purpose,
    title: I18nText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    help: Option<I18nText>,
    sections: Vec<FileSection>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct FileSection {
    key: String,
    weight: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    legal_reference: Option<String>,
    title: I18nText,
    questions: Vec<FileQuestion>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct FileQuestion {
    key: String,
    weight: u8,
    #[serde(default, skip_serializing_if = "is_false")]
    required: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    knock_out: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    show_if: Option<FileCondition>,
    text: I18nText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    help: Option<I18nText>,
    kind: FileKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    evidence: Option<FileEvidence>,
    #[serde(default, skip_serializing_if = "is_false")]
    na_allowed: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    na_needs_justification: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reference: Option<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Deserialize, Serialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
enum FileKind {
    YesNo,
    YesNoNa,
    SingleChoice {
        options: Vec<FileChoice>,
    },
    MultiChoice {
        options: Vec<FileChoice>,
    },
    Integer {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<FileNumber>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<FileNumber>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        bands: Vec<FileBand>,
    },
    Decimal {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<FileNumber>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<FileNumber>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        bands: Vec<FileBand>,
    },
    Percent {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<FileNumber>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<FileNumber>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        bands: Vec<FileBand>,
    },
    Money,
    Date,
    Text {
        max_chars: u32,
    },
    Table {
        max_rows: u32,
        columns: Vec<FileColumn>,
    },
    EvidenceOnly,
}

/// A table column as written: `kind` may be left out for a text column of up to 500
/// characters (the only kind before columns were typed).
#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct FileColumn {
    key: String,
    label: I18nText,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    kind: Option<FileColumnKind>,
}

#[derive(Deserialize, Serialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
enum FileColumnKind {
    Text {
        max_chars: u32,
    },
    Integer {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<FileNumber>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<FileNumber>,
    },
    Decimal {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<FileNumber>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<FileNumber>,
    },
    Money {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        currency: Option<String>,
    },
    Date,
    SingleChoice {
        options: Vec<FileColumnChoice>,
    },
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct FileColumnChoice {
    key: String,
    label: I18nText,
}

/// A decimal written in the file (an integer or a number with up to three decimals).
#[derive(Deserialize, Serialize, Clone, Copy)]
#[serde(untagged)]
enum FileNumber {
    Int(i64),
    Float(f64),
}

impl FileNumber {
    fn thousandths(self) -> Result<i64, String> {
        match self {
            FileNumber::Int(n) => n.checked_mul(1000).ok_or_else(|| format!("{n} is too large")),
            FileNumber::Float(x) => {
                let scaled = x * 1000.0;
                if !scaled.is_finite() || scaled.abs() > 9e15 || (scaled - scaled.round()).abs() > 1e-6 {
                    return Err(format!("{x} must be a finite number with at most three decimals"));
                }
                Ok(scaled.round() as i64)
            }
        }
    }

    fn from_thousandths(n: i64) -> Self {
        if n.rem_euclid(1000) == 0 { FileNumber::Int(n / 1000) } else { FileNumber::Float(n as f64 / 1000.0) }
    }
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct FileChoice {
    key: String,
    credit: FileNumber,
    label: I18nText,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct FileBand {
    min: FileNumber,
    credit: FileNumber,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct FileCondition {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    any: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    all: Option<Vec<String>>,
}

#[derive(Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct FileEvidence {
    level: EvidenceLevel,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    types: Vec<FileType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<I18nText>,
}

/// Parses and validates a template file.
pub fn parse(source: &str) -> Result<Template, Vec<ImportError>> {
    let file: FileTemplate = toml::from_str(source).map_err(|e| {
        let line = e.span().map_or(1, |span| line_of(source, span.start));
        vec![ImportError { line, message: e.message().to_owned() }]
    })?;
    let mut errors = Vec::new();
    let template = convert(file, source, &mut errors);
    if let Some(template) = &template
        && let Err(problems) = template.validate()
    {
        errors.extend(
            problems
                .into_iter()
                .map(|p| ImportError { line: line_of_key(source, &p.at), message: format!("{}: {}", p.at, p.message) }),
        );
    }
    match template {
        Some(template) if errors.is_empty() => Ok(template),
        _ => {
            errors.sort_by_key(|e| e.line);
            Err(errors)
        }
    }
}

fn convert(file: FileTemplate, source: &str, errors: &mut Vec<ImportError>) -> Option<Template> {
    let version = Version::parse(&file.version);
    if version.is_none() {
        errors.push(ImportError {
            line: line_of_text(source, "version"),
            message: format!("version {:?} is not MAJOR.MINOR.PATCH", file.version),
        });
    }
    let mut sections = Vec::new();
    for s in file.sections {
        let mut questions = Vec::new();
        for q in s.questions {
            let at = line_of_key(source, &q.key);
            let mut fail =
                |message: String| errors.push(ImportError { line: at, message: format!("{}: {message}", q.key) });
            let credit = |n: FileNumber, fail: &mut dyn FnMut(String)| -> Credit {
                match n.thousandths() {
                    Ok(c) if (0..=1000).contains(&c) => c as Credit,
                    Ok(_) => {
                        fail("credit must be between 0 and 1".into());
                        0
                    }
                    Err(m) => {
                        fail(m);
                        0
                    }
                }
            };
            let choices = |options: Vec<FileChoice>, fail: &mut dyn FnMut(String)| -> Vec<Choice> {
                options
                    .into_iter()
                    .map(|o| Choice { credit: credit(o.credit, fail), key: o.key, label: o.label })
                    .collect()
            };
            let bands = |bands: Vec<FileBand>, fail: &mut dyn FnMut(String)| -> Vec<Band> {
                bands
                    .into_iter()
                    .map(|b| Band {
                        min: b.min.thousandths().unwrap_or_else(|m| {
                            fail(m);
                            0
                        }),
                        credit: credit(b.credit, fail),
                    })
                    .collect()
            };
            let bound = |n: Option<FileNumber>, fail: &mut dyn FnMut(String)| -> Option<i64> {
                n.and_then(|n| n.thousandths().map_err(&mut *fail).ok())
            };
            let kind = match q.kind {
                FileKind::YesNo => AnswerKind::YesNo,
                FileKind::YesNoNa => AnswerKind::YesNoNa,
                FileKind::SingleChoice { options } => AnswerKind::SingleChoice { options: choices(options, &mut fail) },
                FileKind::MultiChoice { options } => AnswerKind::MultiChoice { options: choices(options, &mut fail) },
                FileKind::Integer { min, max, bands: b } => AnswerKind::Integer {
                    min: bound(min, &mut fail),
                    max: bound(max, &mut fail),
                    bands: bands(b, &mut fail),
                },
                FileKind::Decimal { min, max, bands: b } => AnswerKind::Decimal {
                    min: bound(min, &mut fail),
                    max: bound(max, &mut fail),
                    bands: bands(b, &mut fail),
                },
                FileKind::Percent { min, max, bands: b } => AnswerKind::Percent {
                    min: bound(min, &mut fail),
                    max: bound(max, &mut fail),
                    bands: bands(b, &mut fail),
                },
                FileKind::Money => AnswerKind::Money,
                FileKind::Date => AnswerKind::Date,
                FileKind::Text { max_chars } => AnswerKind::Text { max_chars },
                FileKind::Table { max_rows, columns } => AnswerKind::Table {
                    columns: columns
                        .into_iter()
                        .map(|c| Column {
                            key: c.key,
                            label: c.label,
                            kind: match c.kind {
                                None => ColumnKind::default(),
                                Some(FileColumnKind::Text { max_chars }) => ColumnKind::Text { max_chars },
                                Some(FileColumnKind::Integer { min, max }) => {
                                    ColumnKind::Integer { min: bound(min, &mut fail), max: bound(max, &mut fail) }
                                }
                                Some(FileColumnKind::Decimal { min, max }) => {
                                    ColumnKind::Decimal { min: bound(min, &mut fail), max: bound(max, &mut fail) }
                                }
                                Some(FileColumnKind::Money { currency }) => ColumnKind::Money { currency },
                                Some(FileColumnKind::Date) => ColumnKind::Date,
                                Some(FileColumnKind::SingleChoice { options }) => ColumnKind::SingleChoice {
                                    options: options
                                        .into_iter()
                                        .map(|o| ColumnChoice { key: o.key, label: o.label })
                                        .collect(),
                                },
                            },
                        })
                        .collect(),
                    max_rows,
                },
                FileKind::EvidenceOnly => AnswerKind::EvidenceOnly,
            };
            let show_if = q.show_if.and_then(|c| {
                let (combine, clauses) = match (c.any, c.all) {
                    (Some(any), None) => (Combine::Any, any),
                    (None, Some(all)) => (Combine::All, all),
                    _ => {
                        fail("show_if needs exactly one of `any` or `all`".into());
                        return None;
                    }
                };
                let clauses = clauses
                    .iter()
                    .filter_map(|clause| match clause.split_once('=') {
                        Some((question, equals)) => {
                            Some(Clause { question: question.trim().to_owned(), equals: equals.trim().to_owned() })
                        }
                        None => {
                            fail(format!("show_if clause {clause:?} must look like \"A1 = yes\""));
                            None
                        }
                    })
                    .collect();
                Some(Condition { combine, clauses })
            });
            let evidence = q
                .evidence
                .map(|e| Evidence { level: e.level, types: e.types, description: e.description })
                .unwrap_or_default();
            questions.push(Question {
                key: q.key,
                text: q.text,
                help: q.help,
                kind,
                weight: q.weight,
                required: q.required,
                knock_out: q.knock_out,
                show_if,
                evidence,
                na_allowed: q.na_allowed,
                na_needs_justification: q.na_needs_justification,
                reference: q.reference,
            });
        }
        sections.push(Section {
            key: s.key,
            title: s.title,
            weight: s.weight,
            legal_reference: s.legal_reference,
            questions,
        });
    }
    Some(Template {
        code: file.code,
        version: version?,
        purpose: file.purpose,
        title: file.title,
        help: file.help,
        sections,
    })
}

/// Writes a template in the import format; importing the result gives the same template.
pub fn export(template: &Template) -> String {
    let file = FileTemplate {
        code: template.code.clone(),
        version: template.version.to_string(),
        purpose: template.purpose,
        title: template.title.clone(),
        help: template.help.clone(),
        sections: template
            .sections
            .iter()
            .map(|s| FileSection {
                key: s.key.clone(),
                weight: s.weight,
                legal_reference: s.legal_reference.clone(),
                title: s.title.clone(),
                questions: s.questions.iter().map(export_question).collect(),
            })
            .collect(),
    };
    toml::to_string_pretty(&file).unwrap_or_default()
}

fn export_question(q: &Question) -> FileQuestion {
    let choices = |options: &[Choice]| {
        options
            .iter()
            .map(|o| FileChoice {
                key: o.key.clone(),
                credit: FileNumber::from_thousandths(i64::from(o.credit)),
                label: o.label.clone(),
            })
            .collect()
    };
    let bands = |bands: &[Band]| {
        bands
            .iter()
            .map(|b| FileBand {
                min: FileNumber::from_thousandths(b.min),
                credit: FileNumber::from_thousandths(i64::from(b.credit)),
            })
            .collect()
    };
    let number = |n: &Option<i64>| n.map(FileNumber::from_thousandths);
    let column = |c: &Column| FileColumn {
        key: c.key.clone(),
        label: c.label.clone(),
        kind: match &c.kind {
            ColumnKind::Text { max_chars } if *max_chars == DEFAULT_CELL_CHARS => None,
            ColumnKind::Text { max_chars } => Some(FileColumnKind::Text { max_chars: *max_chars }),
            ColumnKind::Integer { min, max } => Some(FileColumnKind::Integer { min: number(min), max: number(max) }),
            ColumnKind::Decimal { min, max } => Some(FileColumnKind::Decimal { min: number(min), max: number(max) }),
            ColumnKind::Money { currency } => Some(FileColumnKind::Money { currency: currency.clone() }),
            ColumnKind::Date => Some(FileColumnKind::Date),
            ColumnKind::SingleChoice { options } => Some(FileColumnKind::SingleChoice {
                options: options
                    .iter()
                    .map(|o| FileColumnChoice { key: o.key.clone(), label: o.label.clone() })
                    .collect(),
            }),
        },
    };
    let kind = match &q.kind {
        AnswerKind::YesNo => FileKind::YesNo,
        AnswerKind::YesNoNa => FileKind::YesNoNa,
        AnswerKind::SingleChoice { options } => FileKind::SingleChoice { options: choices(options) },
        AnswerKind::MultiChoice { options } => FileKind::MultiChoice { options: choices(options) },
        AnswerKind::Integer { bands: b, min, max } => {
            FileKind::Integer { min: number(min), max: number(max), bands: bands(b) }
        }
        AnswerKind::Decimal { bands: b, min, max } => {
            FileKind::Decimal { min: number(min), max: number(max), bands: bands(b) }
        }
        AnswerKind::Percent { bands: b, min, max } => {
            FileKind::Percent { min: number(min), max: number(max), bands: bands(b) }
        }
        AnswerKind::Money => FileKind::Money,
        AnswerKind::Date => FileKind::Date,
        AnswerKind::Text { max_chars } => FileKind::Text { max_chars: *max_chars },
        AnswerKind::Table { columns, max_rows } => {
            FileKind::Table { max_rows: *max_rows, columns: columns.iter().map(column).collect() }
        }
        AnswerKind::EvidenceOnly => FileKind::EvidenceOnly,
    };
    let show_if = q.show_if.as_ref().map(|c| {
        let clauses: Vec<String> = c.clauses.iter().map(|cl| format!("{} = {}", cl.question, cl.equals)).collect();
        match c.combine {
            Combine::Any => FileCondition { any: Some(clauses), all: None },
            Combine::All => FileCondition { any: None, all: Some(clauses) },
        }
    });
    let evidence = (q.evidence.level != EvidenceLevel::None || !q.evidence.types.is_empty()).then(|| FileEvidence {
        level: q.evidence.level,
        types: q.evidence.types.clone(),
        description: q.evidence.description.clone(),
    });
    FileQuestion {
        key: q.key.clone(),
        weight: q.weight,
        required: q.required,
        knock_out: q.knock_out,
        show_if,
        text: q.text.clone(),
        help: q.help.clone(),
        kind,
        evidence,
        na_allowed: q.na_allowed,
        na_needs_justification: q.na_needs_justification,
        reference: q.reference.clone(),
    }
}

fn line_of(source: &str, offset: usize) -> usize {
    source[..offset.min(source.len())].matches('\n').count() + 1
}

/// The line where `key = "<key>"` is written, or 1.
fn line_of_key(source: &str, key: &str) -> usize {
    source
        .lines()
        .position(|l| {
            let l = l.trim();
            l.starts_with("key")
                && l.split_once('=').is_some_and(|(k, v)| k.trim() == "key" && v.trim().trim_matches('"') == key)
        })
        .map_or(1, |i| i + 1)
}

fn line_of_text(source: &str, key: &str) -> usize {
    source.lines().position(|l| l.trim_start().starts_with(key)).map_or(1, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = r#"code = "EX"
version = "1.0.0"
purpose = "general_compliance"
title = { kk = "Мысал", ru = "Пример", en = "Example" }

[[sections]]
key = "A"
weight = 15
title = { kk = "Ұйым", ru = "Организация", en = "Organisation" }

[[sections.questions]]
key = "A1"
weight = 3
required = true
text = { kk = "Иә ма?", ru = "Да?", en = "Yes?" }
kind = { type = "yes_no" }

[[sections.questions]]
key = "A2"
weight = 2
show_if = { any = ["A1 = yes"] }
text = { kk = "Жыл", ru = "Лет", en = "Years" }
kind = { type = "integer", bands = [{ min = 1, credit = 0.5 }, { min = 3, credit = 1 }] }
"#;

    #[test]
    fn the_documented_example_imports() {
        let t = parse(EXAMPLE).expect("valid");
        assert_eq!(t.code, "EX");
        assert_eq!(t.sections[0].questions.len(), 2);
        let AnswerKind::Integer { bands, .. } = &t.sections[0].questions[1].kind else { panic!("integer") };
        assert_eq!(bands, &vec![Band { min: 1000, credit: 500 }, Band { min: 3000, credit: 1000 }]);
    }

    #[test]
    fn export_then_import_gives_the_same_template() {
        let t = parse(EXAMPLE).expect("valid");
        assert_eq!(parse(&export(&t)).expect("re-import"), t);
    }

    #[test]
    fn syntax_errors_and_unknown_fields_carry_their_line() {
        let broken = EXAMPLE.replace("weight = 2\n", "weight = 2\nwieght = 3\n");
        let errors = parse(&broken).unwrap_err();
        assert_eq!(errors[0].line, 21, "{errors:?}");
        assert!(errors[0].message.contains("wieght"), "{errors:?}");
        let errors = parse("code = \"X\"\nversion = \n").unwrap_err();
        assert_eq!(errors[0].line, 2);
    }

    #[test]
    fn rule_violations_point_at_the_question() {
        let bad = EXAMPLE.replace("\"A1 = yes\"", "\"A9 = yes\"").replace("credit = 0.5", "credit = 1.5");
        let errors = parse(&bad).unwrap_err();
        assert!(errors.iter().all(|e| e.line == 19), "{errors:?}");
        assert!(errors.iter().any(|e| e.message.contains("not an earlier question")));
        assert!(errors.iter().any(|e| e.message.contains("between 0 and 1")));
        let bad_version = EXAMPLE.replace("1.0.0", "one");
        assert_eq!(parse(&bad_version).unwrap_err()[0].line, 2);
    }

    #[test]
    fn number_ranges_import_and_bad_ranges_point_at_the_question() {
        let ranged = EXAMPLE
            .replace("kind = { type = \"integer\", bands", "kind = { type = \"integer\", min = 0, max = 60, bands");
        let t = parse(&ranged).expect("valid");
        assert_eq!(
            t.sections[0].questions[1].kind.range(),
            Some(crate::domain::questionnaire::Range { min: 0, max: Some(60_000) })
        );
        assert_eq!(parse(&export(&t)).expect("round trip"), t);
        let inverted = EXAMPLE
            .replace("kind = { type = \"integer\", bands", "kind = { type = \"integer\", min = 10, max = 2, bands");
        let errors = parse(&inverted).unwrap_err();
        assert!(errors.iter().all(|e| e.line == 19), "{errors:?}");
        assert!(errors.iter().any(|e| e.message.contains("A2: min 10 is greater than max 2")), "{errors:?}");
        assert!(errors.iter().any(|e| e.message.contains("band minimum 3 is above max")), "{errors:?}");
        let fraction =
            EXAMPLE.replace("kind = { type = \"integer\", bands", "kind = { type = \"integer\", min = 0.5, bands");
        assert!(parse(&fraction).unwrap_err().iter().any(|e| e.line == 19 && e.message.contains("whole numbers")));
    }

    #[test]
    fn typed_table_columns_import_round_trip_and_untyped_columns_stay_text() {
        let source = format!(
            "{EXAMPLE}\n[[sections.questions]]\nkey = \"A3\"\nweight = 1\ntext = {{ kk = \"К\", ru = \"Т\", en = \"T\" }}\n\
             kind = {{ type = \"table\", max_rows = 3, columns = [\n\
             {{ key = \"year\", label = {{ kk = \"Жыл\", ru = \"Год\", en = \"Year\" }}, kind = {{ type = \"integer\", min = 1990, max = 2100 }} }},\n\
             {{ key = \"value\", label = {{ kk = \"Құн\", ru = \"Стоимость\", en = \"Value\" }}, kind = {{ type = \"money\", currency = \"EUR\" }} }},\n\
             {{ key = \"note\", label = {{ kk = \"Ескерту\", ru = \"Примечание\", en = \"Note\" }} }},\n\
             ] }}\n"
        );
        let t = parse(&source).expect("valid");
        let AnswerKind::Table { columns, .. } = &t.sections[0].questions[2].kind else { panic!("table") };
        assert_eq!(columns[0].kind, ColumnKind::Integer { min: Some(1_990_000), max: Some(2_100_000) });
        assert_eq!(columns[1].kind, ColumnKind::Money { currency: Some("EUR".into()) });
        assert_eq!(columns[2].kind, ColumnKind::Text { max_chars: DEFAULT_CELL_CHARS });
        assert_eq!(parse(&export(&t)).expect("round trip"), t);
        let bad = source.replace("min = 1990, max = 2100", "min = 2100, max = 1990").replace("\"EUR\"", "\"EURO\"");
        let errors = parse(&bad).unwrap_err();
        let line = source.lines().position(|l| l == "key = \"A3\"").unwrap() + 1;
        assert!(errors.iter().all(|e| e.line == line), "{errors:?}");
        assert!(
            errors.iter().any(|e| e.message.contains("column year: min 2100 is greater than max 1990")),
            "{errors:?}"
        );
        assert!(errors.iter().any(|e| e.message.contains("column value: currency \"EURO\"")), "{errors:?}");
    }

    #[test]
    fn credits_need_at_most_three_decimals() {
        let bad = EXAMPLE.replace("credit = 0.5", "credit = 0.3333");
        assert!(parse(&bad).unwrap_err().iter().any(|e| e.message.contains("three decimals")));
    }

    #[test]
    fn the_shipped_templates_import() {
        for path in [
            "templates/t1-general-compliance.toml",
            "templates/t2-aeo-readiness.toml",
            "templates/t3-pca-pre-visit.toml",
        ] {
            let source = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
            let t = parse(&source).unwrap_or_else(|e| panic!("{path}: {e:?}"));
            assert_eq!(parse(&export(&t)).expect("round trip"), t, "{path}");
        }
    }
}
