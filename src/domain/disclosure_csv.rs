//! The CSV layout of disclosure lines (docs/disclosure-csv.md): reading an uploaded file into
//! typed lines with every problem at its row and column, and writing lines back out in the same
//! layout, safe to open in a spreadsheet.
//!
//! The file is UTF-8 (a byte-order mark is allowed), comma- or semicolon-separated (the delimiter
//! is the one the header row uses), quoted the RFC 4180 way. The header row names the columns of
//! [`Field::ALL`], in that order. A cell that a spreadsheet would run as a formula is refused on
//! the way in and written with a leading apostrophe on the way out.

use super::csv;
use super::disclosure_line::{Field, RawLine};
use super::validation::ErrorCode;

pub use super::csv::CsvError;

/// Reads an uploaded file into typed lines (each with its file row), or every problem found:
/// the file's encoding, delimiter and header first, then every cell of every row.
pub fn read(bytes: &[u8], max_lines: usize) -> Result<Vec<(usize, RawLine)>, Vec<CsvError>> {
    let columns: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
    let body = csv::read(bytes, &columns)?;
    if body.len() > max_lines {
        return Err(vec![CsvError::file(ErrorCode::TooManyLines)]);
    }
    let mut errors = Vec::new();
    let mut lines = Vec::with_capacity(body.len());
    for (row, cells) in body {
        if cells.len() != Field::ALL.len() {
            errors.push(CsvError { row, column: None, code: ErrorCode::CsvCells });
            continue;
        }
        let mut raw = RawLine::default();
        for (field, cell) in Field::ALL.iter().zip(&cells) {
            // A leading minus is a formula too, but a number field names its own error for it.
            let text_field = matches!(field, Field::Unit | Field::PreferenceDeclared | Field::PreferenceCorrect);
            let value = csv::value(cell, !text_field).unwrap_or_else(|code| {
                errors.push(CsvError::cell(row, field.name(), code));
                cell.trim()
            });
            raw.set(*field, value);
        }
        lines.push((row, raw));
    }
    if errors.is_empty() { Ok(lines) } else { Err(errors) }
}

/// Writes lines in the layout: the header row, then one row per line (CRLF, as RFC 4180 says).
pub fn write<'a>(lines: impl IntoIterator<Item = &'a RawLine>) -> String {
    let mut out = csv::row(Field::ALL.iter().map(|f| f.name()));
    for line in lines {
        out.push_str(&csv::row(Field::ALL.iter().map(|f| line.get(*f))));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> String {
        Field::ALL.iter().map(|f| f.name()).collect::<Vec<_>>().join(",")
    }

    fn row(pairs: &[(Field, &str)]) -> RawLine {
        let mut raw = RawLine::default();
        for (f, v) in pairs {
            raw.set(*f, *v);
        }
        raw
    }

    #[test]
    fn what_is_written_reads_back_the_same_including_hostile_cells() {
        let lines = vec![
            row(&[
                (Field::Declaration, "50101010/150324/0001234"),
                (Field::Unit, "=CMD(\"calc\")"),
                (Field::PreferenceDeclared, "a,b"),
            ]),
            row(&[(Field::Declaration, "50101010/150324/0001235"), (Field::Unit, "pcs \"big\"")]),
        ];
        let text = write(&lines);
        assert!(text.contains(",\"'=CMD(\"\"calc\"\")\","), "a formula is escaped: {text}");
        let back = read(text.as_bytes(), 10).expect("reads");
        assert_eq!(
            back.iter().map(|(_, l)| l.clone()).collect::<Vec<_>>(),
            lines
                .iter()
                .map(|l| {
                    let mut l = l.clone();
                    for f in Field::ALL {
                        l.0.entry(f).or_default();
                    }
                    l
                })
                .collect::<Vec<_>>()
        );
        assert_eq!(back.iter().map(|(r, _)| *r).collect::<Vec<_>>(), vec![2, 3]);
    }

    #[test]
    fn byte_order_mark_semicolons_and_crlf_are_accepted() {
        let empty = ";".repeat(Field::ALL.len() - 1);
        let text = format!("\u{FEFF}{}\r\n50101010/150324/0001234{empty}\r\n\r\n", header().replace(',', ";"));
        let lines = read(text.as_bytes(), 10).expect("reads");
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].1.get(Field::Declaration), "50101010/150324/0001234");
    }

    #[test]
    fn every_kind_of_bad_file_is_named() {
        let blank = ",".repeat(Field::ALL.len() - 1);
        assert_eq!(read(b"\xff\xfe", 10).unwrap_err()[0].code, ErrorCode::NotUtf8);
        assert_eq!(read(b"", 10).unwrap_err()[0].code, ErrorCode::FileEmpty);
        assert_eq!(read(header().as_bytes(), 10).unwrap_err()[0].code, ErrorCode::FileEmpty);
        let tabs = header().replace(',', "\t");
        assert_eq!(read(tabs.as_bytes(), 10).unwrap_err()[0].code, ErrorCode::CsvDelimiter);
        let extra = format!("{},comment\n{blank},x\n", header());
        let errors = read(extra.as_bytes(), 10).unwrap_err();
        assert_eq!(errors, vec![CsvError { row: 1, column: Some("comment".into()), code: ErrorCode::CsvHeader }]);
        let missing = header().rsplit_once(',').map(|(h, _)| h.to_owned()).expect("columns");
        let errors = read(missing.as_bytes(), 10).unwrap_err();
        assert_eq!(
            errors,
            vec![CsvError { row: 1, column: Some("remedy_correct".into()), code: ErrorCode::CsvHeader }]
        );
        let short = format!("{}\n1,2\n{blank}\n\"open", header());
        let errors = read(short.as_bytes(), 10).unwrap_err();
        assert_eq!(errors[0].code, ErrorCode::CsvQuote);
        let short = format!("{}\n1,2\n=1+1{blank}\n", header());
        let errors = read(short.as_bytes(), 10).unwrap_err();
        assert_eq!(
            errors,
            vec![
                CsvError { row: 2, column: None, code: ErrorCode::CsvCells },
                CsvError { row: 3, column: Some("declaration".into()), code: ErrorCode::FormulaCell },
            ]
        );
        let many = format!("{}\n{}", header(), format!("x{blank}\n").repeat(3));
        assert_eq!(read(many.as_bytes(), 2).unwrap_err()[0].code, ErrorCode::TooManyLines);
    }
}
