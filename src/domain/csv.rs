//! The CSV conventions every Senim upload shares (docs/disclosure-csv.md, docs/national-data.md):
//! UTF-8 with an optional byte-order mark, comma or semicolon as the header row decides, RFC 4180
//! quoting, a fixed header row, spreadsheet formulas refused on the way in and escaped on the way
//! out, and every problem reported at its row and column ([`CsvError`]). The layouts themselves
//! (which columns, what a cell may hold) live in `disclosure_csv` and `national_csv`.

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
    /// A problem with the file as a whole (row 0, no column).
    pub fn file(code: ErrorCode) -> Self {
        CsvError { row: 0, column: None, code }
    }

    /// A problem with one cell: its row and column.
    pub fn cell(row: usize, column: &str, code: ErrorCode) -> Self {
        CsvError { row, column: Some(column.to_owned()), code }
    }
}

/// One row of a file: its 1-based line number and its cells as written (unquoted, untrimmed).
pub type Record = (usize, Vec<String>);

/// Whether a cell starts with a character a spreadsheet reads as the start of a formula.
pub fn formula(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// Splits the text into rows of cells (RFC 4180: quotes around cells, doubled quotes inside,
/// line breaks inside quotes). Blank lines are skipped; each row keeps its 1-based line number.
pub fn records(text: &str, delimiter: char) -> Result<Vec<Record>, CsvError> {
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

/// Reads an uploaded file of the layout whose header row is `columns` into its rows below the
/// header, as [`table`] does, refusing first a file that is not UTF-8.
pub fn read(bytes: &[u8], columns: &[&str]) -> Result<Vec<Record>, Vec<CsvError>> {
    let Ok(text) = std::str::from_utf8(bytes) else { return Err(vec![CsvError::file(ErrorCode::NotUtf8)]) };
    table(text, columns)
}

/// Reads the text of a file of the layout whose header row is `columns` into its rows below the
/// header, or every problem with the file as a whole: an unclosed quote, no rows, a delimiter other
/// than comma or semicolon, header cells that are not `columns` in order (each at its column), no
/// rows below the header. A leading byte-order mark is dropped. The cells of the rows are not
/// checked here: a row may still have the wrong number of cells.
pub fn table(text: &str, columns: &[&str]) -> Result<Vec<Record>, Vec<CsvError>> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let first = text.lines().next().unwrap_or_default();
    let delimiter = if first.contains(';') && !first.contains(',') { ';' } else { ',' };
    let mut rows = records(text, delimiter).map_err(|e| vec![e])?;
    if rows.is_empty() {
        return Err(vec![CsvError::file(ErrorCode::FileEmpty)]);
    }
    let body = rows.split_off(1);
    let (header_line, header) = &rows[0];
    let names: Vec<String> = header.iter().map(|h| h.trim().to_ascii_lowercase()).collect();
    if names.len() == 1 && columns.len() > 1 {
        // One column: the file uses a delimiter other than comma or semicolon (a tab, say).
        return Err(vec![CsvError { row: *header_line, column: None, code: ErrorCode::CsvDelimiter }]);
    }
    let mut errors = Vec::new();
    for (i, name) in names.iter().enumerate() {
        if columns.get(i) != Some(&name.as_str()) {
            errors.push(CsvError::cell(*header_line, name, ErrorCode::CsvHeader));
        }
    }
    for column in columns.iter().skip(names.len()) {
        errors.push(CsvError::cell(*header_line, column, ErrorCode::CsvHeader));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if body.is_empty() {
        return Err(vec![CsvError::file(ErrorCode::FileEmpty)]);
    }
    Ok(body)
}

/// The value of a cell as read: trimmed, and without the leading apostrophe that marks a
/// formula-looking value as text (how Senim's exports write such values). A bare cell that starts
/// like a formula is refused, except a leading minus in a number column (`numeric`), which the
/// column's own parser accepts or refuses with a reason of its own.
pub fn value(cell: &str, numeric: bool) -> Result<&str, ErrorCode> {
    let typed = cell.trim();
    if let Some(text) = typed.strip_prefix('\'').filter(|rest| formula(rest)) {
        return Ok(text);
    }
    if formula(typed) && !(numeric && typed.starts_with('-')) { Err(ErrorCode::FormulaCell) } else { Ok(typed) }
}

/// One cell as written: quoted when it holds the delimiter, a quote or a line break; a leading
/// apostrophe when a spreadsheet would read it as a formula.
pub fn cell(value: &str) -> String {
    let value = if formula(value) { format!("'{value}") } else { value.to_owned() };
    if value.contains([',', '"', '\n', '\r', ';']) { format!("\"{}\"", value.replace('"', "\"\"")) } else { value }
}

/// One row as written: its cells joined with commas and ended with CRLF, as RFC 4180 says.
pub fn row<'a>(cells: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = cells.into_iter().map(cell).collect::<Vec<_>>().join(",");
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_cells_keep_delimiters_quotes_and_line_breaks() {
        let rows = records("a,\"b,1\",\"say \"\"hi\"\"\"\r\n\r\n\"two\nlines\",x\n", ',').expect("splits");
        assert_eq!(rows[0], (1, vec!["a".into(), "b,1".into(), "say \"hi\"".into()]));
        assert_eq!(rows[1], (3, vec!["two\nlines".into(), "x".into()]));
        assert_eq!(rows.len(), 2);
        assert_eq!(
            records("a,\"open\n", ',').unwrap_err(),
            CsvError { row: 1, column: None, code: ErrorCode::CsvQuote }
        );
    }

    #[test]
    fn a_formula_is_refused_unless_marked_as_text_or_a_minus_in_a_number_column() {
        assert_eq!(value(" =1+1 ", false), Err(ErrorCode::FormulaCell));
        assert_eq!(value("@SUM(A1)", true), Err(ErrorCode::FormulaCell));
        assert_eq!(value("'=1+1", false), Ok("=1+1"));
        assert_eq!(value("-5", true), Ok("-5"));
        assert_eq!(value("-5", false), Err(ErrorCode::FormulaCell));
        assert_eq!(value("'ok", false), Ok("'ok"));
        assert_eq!(cell("=1+1"), "'=1+1");
        assert_eq!(row(["a;b", "c"]), "\"a;b\",c\r\n");
    }
}
