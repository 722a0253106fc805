//! The CSV layout of disclosure lines (docs/disclosure-csv.md): reading an uploaded file into
//! typed lines with every problem at its row and column, and writing lines back out in the same
//! layout, safe to open in a spreadsheet.
//!
//! The file is UTF-8 (a byte-order mark is allowed), comma- or semicolon-separated (the delimiter
//! is the one the header row uses), quoted the RFC 4180 way. The header row names the columns of
//! [`Field::ALL`], in that order. A cell that a spreadsheet would run as a formula is refused on
//! the way in and written with a leading apostrophe on the way out.

use super::disclosure_line::{Field, RawLine};
use super::validation::ErrorCode;
use serde::{Deserialize, Serialize};

/// One problem in an uploaded file: the 1-based row of the file (the header is row 1; 0 is the
/// file as a whole), the column when one is at fault, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CsvError {
    pub row: usize,
    pub column: Option<String>,
    pub code: ErrorCode,
}

impl CsvError {
    fn file(code: ErrorCode) -> Self {
        CsvError { row: 0, column: None, code }
    }
}

/// Characters a spreadsheet reads as the start of a formula.
fn formula(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// Splits the text into rows of cells (RFC 4180: quotes around cells, doubled quotes inside,
/// line breaks inside quotes). Blank lines are skipped; each row keeps its 1-based line number.
fn records(text: &str, delimiter: char) -> Result<Vec<(usize, Vec<String>)>, CsvError> {
    let mut rows = Vec::new();
    let mut cells: Vec<String> = Vec::new();
    let mut cell = String::new();
    let (mut line, mut row_line) = (1, 1);
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => {
                if c == '\n' {
                    line += 1;
                }
                cell.push(c);
            }
            (false, '"') if cell.is_empty() => quoted = true,
            (false, c) if c == delimiter => cells.push(std::mem::take(&mut cell)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n' | '\r') => {
                cells.push(std::mem::take(&mut cell));
                if cells.iter().any(|c| !c.trim().is_empty()) {
                    rows.push((row_line, std::mem::take(&mut cells)));
                }
                cells.clear();
                line += 1;
                row_line = line;
            }
            (false, c) => cell.push(c),
        }
    }
    if quoted {
        return Err(CsvError { row: row_line, column: None, code: ErrorCode::CsvQuote });
    }
    cells.push(cell);
    if cells.iter().any(|c| !c.trim().is_empty()) {
        rows.push((row_line, cells));
    }
    Ok(rows)
}

/// Reads an uploaded file into typed lines (each with its file row), or every problem found:
/// the file's encoding, delimiter and header first, then every cell of every row.
pub fn read(bytes: &[u8], max_lines: usize) -> Result<Vec<(usize, RawLine)>, Vec<CsvError>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let Ok(text) = std::str::from_utf8(bytes) else { return Err(vec![CsvError::file(ErrorCode::NotUtf8)]) };
    let first = text.lines().next().unwrap_or_default();
    let delimiter = if first.contains(';') && !first.contains(',') { ';' } else { ',' };
    let rows = records(text, delimiter).map_err(|e| vec![e])?;
    let Some(((header_line, header), body)) = rows.split_first() else {
        return Err(vec![CsvError::file(ErrorCode::FileEmpty)]);
    };
    let mut errors = Vec::new();
    let names: Vec<String> = header.iter().map(|h| h.trim().to_ascii_lowercase()).collect();
    if names.len() == 1 && Field::ALL.len() > 1 {
        // One column: the file uses a delimiter other than comma or semicolon (a tab, say).
        return Err(vec![CsvError { row: *header_line, column: None, code: ErrorCode::CsvDelimiter }]);
    }
    for (i, name) in names.iter().enumerate() {
        match Field::ALL.get(i) {
            Some(field) if field.name() == name => {}
            _ => errors.push(CsvError { row: *header_line, column: Some(name.clone()), code: ErrorCode::CsvHeader }),
        }
    }
    for field in Field::ALL.iter().skip(names.len()) {
        errors.push(CsvError { row: *header_line, column: Some(field.name().to_owned()), code: ErrorCode::CsvHeader });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if body.is_empty() {
        return Err(vec![CsvError::file(ErrorCode::FileEmpty)]);
    }
    if body.len() > max_lines {
        return Err(vec![CsvError::file(ErrorCode::TooManyLines)]);
    }
    let mut lines = Vec::with_capacity(body.len());
    for (row, cells) in body {
        if cells.len() != Field::ALL.len() {
            errors.push(CsvError { row: *row, column: None, code: ErrorCode::CsvCells });
            continue;
        }
        let mut raw = RawLine::default();
        for (field, cell) in Field::ALL.iter().zip(cells) {
            // Our own export writes a formula-looking cell with a leading apostrophe.
            // A cell written as text on purpose (a leading apostrophe) is that text; a bare
            // formula is refused. A leading minus is a formula too, but a number field names its
            // own error for it.
            let typed = cell.trim();
            let escaped = typed.strip_prefix('\'').filter(|rest| formula(rest));
            let cell = escaped.unwrap_or(typed);
            let text_field = matches!(field, Field::Unit | Field::PreferenceDeclared | Field::PreferenceCorrect);
            if escaped.is_none() && formula(cell) && (!cell.starts_with('-') || text_field) {
                errors.push(CsvError {
                    row: *row,
                    column: Some(field.name().to_owned()),
                    code: ErrorCode::FormulaCell,
                });
            }
            raw.set(*field, cell);
        }
        lines.push((*row, raw));
    }
    if errors.is_empty() { Ok(lines) } else { Err(errors) }
}

/// One cell as written: quoted when it holds the delimiter, a quote or a line break; a leading
/// apostrophe when a spreadsheet would read it as a formula.
fn cell(value: &str) -> String {
    let value = if formula(value) { format!("'{value}") } else { value.to_owned() };
    if value.contains([',', '"', '\n', '\r', ';']) { format!("\"{}\"", value.replace('"', "\"\"")) } else { value }
}

/// Writes lines in the layout: the header row, then one row per line (CRLF, as RFC 4180 says).
pub fn write<'a>(lines: impl IntoIterator<Item = &'a RawLine>) -> String {
    let mut out = Field::ALL.iter().map(|f| f.name()).collect::<Vec<_>>().join(",");
    out.push_str("\r\n");
    for line in lines {
        out.push_str(&Field::ALL.iter().map(|f| cell(line.get(*f))).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
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
