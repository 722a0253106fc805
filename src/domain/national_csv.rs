//! The two CSV extracts customs imports from the national systems for the compliance score
//! (docs/national-data.md): customs debts from the tax debt register ([`Layout::Debts`]) and each
//! trader's trade statistics over the trailing 12 months from ASTANA-1 ([`Layout::Statistics`]).
//! Reading a file gives typed rows, or every problem in every row at its row and column; keeping
//! all or nothing is the caller's job.
//!
//! The file conventions (UTF-8, comma or semicolon, RFC 4180 quoting, fixed header, formulas
//! refused) are those of every Senim upload (`domain::csv`). Amounts are exact minor units, the
//! sector rate parts per million and dates days since 1970-01-01 (as `answer::parse_date`
//! returns): nothing passes through floating point.

use super::answer::parse_date;
use super::csv::{self, CsvError};
use super::disclosure::parse_scaled;
use super::identifier::parse_bin;
use super::money::{Currency, Money};
use super::text;
use super::validation::ErrorCode;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The header row of the debts extract, in order.
pub const DEBTS_HEADER: &[&str] = &["bin", "reference", "amount", "currency", "due_date", "paid_date"];

/// The header row of the statistics extract, in order.
pub const STATISTICS_HEADER: &[&str] = &[
    "bin",
    "period_end",
    "declarations",
    "corrected_by_customs",
    "amendments",
    "sector_median_amendment_rate",
    "payments_due",
    "payments_on_time",
    "annual_duties",
    "first_declaration",
    "certifications",
];

/// Longest debt reference, in characters.
pub const REFERENCE_MAX_CHARS: usize = 40;

/// Longest certification name, in characters.
pub const CERTIFICATION_MAX_CHARS: usize = 40;

/// Which extract a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Layout {
    /// Customs debts (the tax debt register).
    Debts,
    /// Trade statistics, trailing 12 months per trader (ASTANA-1).
    Statistics,
}

impl Layout {
    /// The extract's storage name (`national_imports.kind`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Debts => "debts",
            Self::Statistics => "statistics",
        }
    }

    /// Reads a layout from its storage name.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim() {
            "debts" => Some(Self::Debts),
            "statistics" => Some(Self::Statistics),
            _ => None,
        }
    }

    /// The header row, in order.
    pub const fn header(self) -> &'static [&'static str] {
        match self {
            Self::Debts => DEBTS_HEADER,
            Self::Statistics => STATISTICS_HEADER,
        }
    }
}

/// One customs debt of the debts extract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DebtRow {
    /// The file row (the header is row 1).
    pub row: usize,
    /// The trader's BIN, 12 digits.
    pub bin: String,
    /// The debt's reference in the register: unique per BIN.
    pub reference: String,
    /// The amount, in minor units of `currency`; more than 0.
    pub amount_minor: i64,
    /// The ISO 4217 code.
    pub currency: String,
    /// The day the debt fell due, days since 1970-01-01.
    pub due_on: i64,
    /// The day it was paid, days since 1970-01-01; `None` while unpaid.
    pub paid_on: Option<i64>,
}

/// One trader's trade statistics over the 12 months up to `period_end`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatisticsRow {
    /// The file row (the header is row 1).
    pub row: usize,
    /// The trader's BIN, 12 digits.
    pub bin: String,
    /// The last day of the 12 months, days since 1970-01-01.
    pub period_end: i64,
    pub declarations: u32,
    /// At most `declarations`.
    pub corrected_by_customs: u32,
    /// Post-release amendments the trader made.
    pub amendments: u32,
    /// The sector's median amendments per declaration, parts per million (0 to 1,000,000).
    pub sector_median_amendment_ppm: i64,
    pub payments_due: u32,
    /// At most `payments_due`.
    pub payments_on_time: u32,
    /// Duties paid over the 12 months, KZT minor units.
    pub annual_duties_minor: i64,
    /// The day of the trader's first declaration ever, days since 1970-01-01.
    pub first_declaration: Option<i64>,
    /// Certification names held, as written (`ISO 9001`).
    pub certifications: Vec<String>,
}

/// A template file of the layout: the header row and one worked example row (a fictional trader).
pub fn template(layout: Layout) -> String {
    let example: &[&str] = match layout {
        Layout::Debts => &["990940000006", "UV-2025-004512", "1250000.50", "KZT", "2025-03-15", "2025-04-02"],
        Layout::Statistics => &[
            "990940000105",
            "2025-12-31",
            "1200",
            "48",
            "18",
            "0.05",
            "40",
            "40",
            "500000000.00",
            "2012-05-10",
            "ISO 9001|ISO 28000",
        ],
    };
    let mut out = csv::row(layout.header().iter().copied());
    out.push_str(&csv::row(example.iter().copied()));
    out
}

/// Reads the text of a debts extract (a leading byte-order mark allowed) into its rows, or every
/// problem in the file: its delimiter and header first, then every cell of every row and every
/// reference given twice for one BIN (at the later row).
pub fn parse_debts(text: &str) -> Result<Vec<DebtRow>, Vec<CsvError>> {
    let body = csv::table(text, DEBTS_HEADER)?;
    let mut errors = Vec::new();
    let mut rows = Vec::with_capacity(body.len());
    let mut seen = BTreeSet::new();
    for (row, cells) in &body {
        let [bin, reference, amount, currency, due, paid] = cells.as_slice() else {
            errors.push(CsvError { row: *row, column: None, code: ErrorCode::CsvCells });
            continue;
        };
        let mut at = Cells { row: *row, errors: &mut errors };
        let bin = at.take("bin", bin, Text, parse_bin);
        let reference = at.take("reference", reference, Text, |r| text::clean(r, REFERENCE_MAX_CHARS, false));
        // An amount is checked even when its currency is not right: against KZT's two decimals.
        let in_currency = csv::value(currency, false).and_then(Currency::parse).or_else(|_| Currency::parse("KZT"));
        let amount = at.take("amount", amount, Number, |a| positive_amount(a, in_currency?));
        let currency = at.take("currency", currency, Text, |c| required(c).and_then(Currency::parse));
        let due_on = at.take("due_date", due, Text, date);
        let paid_on = at.take("paid_date", paid, Text, optional_date);
        if let (Some(bin), Some(reference)) = (&bin, &reference)
            && !seen.insert((bin.clone(), reference.clone()))
        {
            at.push("reference", ErrorCode::DuplicateReference);
        }
        let (Some(bin), Some(reference), Some(amount), Some(currency), Some(due_on), Some(paid_on)) =
            (bin, reference, amount, currency, due_on, paid_on)
        else {
            continue;
        };
        rows.push(DebtRow {
            row: *row,
            bin,
            reference,
            amount_minor: amount,
            currency: currency.code().to_owned(),
            due_on,
            paid_on,
        });
    }
    if errors.is_empty() { Ok(rows) } else { Err(errors) }
}

/// Reads the text of a statistics extract (a leading byte-order mark allowed) into its rows, or
/// every problem in the file: its delimiter and header first, then every cell of every row, every
/// count above its total and every BIN given twice (at the later row).
pub fn parse_statistics(text: &str) -> Result<Vec<StatisticsRow>, Vec<CsvError>> {
    let body = csv::table(text, STATISTICS_HEADER)?;
    let mut errors = Vec::new();
    let mut rows = Vec::with_capacity(body.len());
    let mut seen = BTreeSet::new();
    for (row, cells) in &body {
        let [bin, period_end, declarations, corrected, amendments, rate, due, on_time, duties, first, certs] =
            cells.as_slice()
        else {
            errors.push(CsvError { row: *row, column: None, code: ErrorCode::CsvCells });
            continue;
        };
        let mut at = Cells { row: *row, errors: &mut errors };
        let bin = at.take("bin", bin, Text, parse_bin);
        if let Some(bin) = &bin
            && !seen.insert(bin.clone())
        {
            at.push("bin", ErrorCode::DuplicateBin);
        }
        let period_end = at.take("period_end", period_end, Text, date);
        let declarations = at.take("declarations", declarations, Number, count);
        let corrected = at.take("corrected_by_customs", corrected, Number, count);
        if let (Some(part), Some(total)) = (corrected, declarations)
            && part > total
        {
            at.push("corrected_by_customs", ErrorCode::CountAboveTotal);
        }
        let amendments = at.take("amendments", amendments, Number, count);
        let rate = at.take("sector_median_amendment_rate", rate, Number, share_ppm);
        let due = at.take("payments_due", due, Number, count);
        let on_time = at.take("payments_on_time", on_time, Number, count);
        if let (Some(part), Some(total)) = (on_time, due)
            && part > total
        {
            at.push("payments_on_time", ErrorCode::CountAboveTotal);
        }
        let duties = at.take("annual_duties", duties, Number, kzt_amount);
        let first = at.take("first_declaration", first, Text, optional_date);
        let certs = at.take("certifications", certs, Text, certifications);
        let (
            Some(bin),
            Some(period_end),
            Some(declarations),
            Some(corrected_by_customs),
            Some(amendments),
            Some(sector_median_amendment_ppm),
            Some(payments_due),
            Some(payments_on_time),
            Some(annual_duties_minor),
            Some(first_declaration),
            Some(certifications),
        ) = (bin, period_end, declarations, corrected, amendments, rate, due, on_time, duties, first, certs)
        else {
            continue;
        };
        rows.push(StatisticsRow {
            row: *row,
            bin,
            period_end,
            declarations,
            corrected_by_customs,
            amendments,
            sector_median_amendment_ppm,
            payments_due,
            payments_on_time,
            annual_duties_minor,
            first_declaration,
            certifications,
        });
    }
    if errors.is_empty() { Ok(rows) } else { Err(errors) }
}

/// What a column holds, for the formula check: a leading minus in a number column is a negative
/// number (refused by the column's own rule), elsewhere the start of a formula.
#[derive(Clone, Copy)]
enum Kind {
    Text,
    Number,
}
use Kind::{Number, Text};

/// The cells of one row being read, and where their errors go.
struct Cells<'e> {
    row: usize,
    errors: &'e mut Vec<CsvError>,
}

impl Cells<'_> {
    /// The cell's value through `parse`, or `None` with the error recorded at `column`.
    fn take<T>(
        &mut self,
        column: &str,
        cell: &str,
        kind: Kind,
        parse: impl FnOnce(&str) -> Result<T, ErrorCode>,
    ) -> Option<T> {
        match csv::value(cell, matches!(kind, Number)).and_then(parse) {
            Ok(value) => Some(value),
            Err(code) => {
                self.push(column, code);
                None
            }
        }
    }

    /// Records an error at `column` of this row.
    fn push(&mut self, column: &str, code: ErrorCode) {
        self.errors.push(CsvError::cell(self.row, column, code));
    }
}

/// Refuses an empty cell.
fn required(raw: &str) -> Result<&str, ErrorCode> {
    if raw.is_empty() { Err(ErrorCode::Required) } else { Ok(raw) }
}

/// A required `YYYY-MM-DD` date.
fn date(raw: &str) -> Result<i64, ErrorCode> {
    required(raw).and_then(parse_date)
}

/// An optional `YYYY-MM-DD` date: an empty cell is none.
fn optional_date(raw: &str) -> Result<Option<i64>, ErrorCode> {
    if raw.is_empty() { Ok(None) } else { parse_date(raw).map(Some) }
}

/// Parses a number that may not be negative: a well-written negative number is refused as below
/// the smallest value allowed, anything else as `parse` refuses it.
fn unsigned<T>(raw: &str, parse: impl Fn(&str) -> Result<T, ErrorCode>) -> Result<T, ErrorCode> {
    match raw.strip_prefix('-') {
        Some(magnitude) if parse(magnitude).is_ok() => Err(ErrorCode::NumberTooSmall),
        _ => parse(raw),
    }
}

/// A count: digits only, 0 to 4,294,967,295.
fn count(raw: &str) -> Result<u32, ErrorCode> {
    unsigned(raw, |raw| {
        if !required(raw)?.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ErrorCode::NumberFormat);
        }
        raw.parse().map_err(|_| ErrorCode::NumberTooLarge)
    })
}

/// An amount of `currency` above zero, in its minor units (at most its minor digits).
fn positive_amount(raw: &str, currency: Currency) -> Result<i64, ErrorCode> {
    let minor = unsigned(raw, |raw| Money::parse(raw, currency))?.minor;
    if minor > 0 { Ok(minor) } else { Err(ErrorCode::NumberTooSmall) }
}

/// An amount of KZT, zero or more, in tiyn.
fn kzt_amount(raw: &str) -> Result<i64, ErrorCode> {
    let kzt = Currency::parse("KZT")?;
    Ok(unsigned(raw, |raw| Money::parse(raw, kzt))?.minor)
}

/// A share from 0 to 1 with at most 6 decimals, in parts per million.
fn share_ppm(raw: &str) -> Result<i64, ErrorCode> {
    let ppm = unsigned(raw, |raw| parse_scaled(raw, 6))?;
    if ppm > 1_000_000 { Err(ErrorCode::NumberTooLarge) } else { Ok(ppm) }
}

/// Certification names separated by `|`, each non-empty and at most
/// [`CERTIFICATION_MAX_CHARS`]; an empty cell is none.
fn certifications(raw: &str) -> Result<Vec<String>, ErrorCode> {
    if raw.is_empty() {
        return Ok(Vec::new());
    }
    raw.split('|').map(|name| text::clean(name, CERTIFICATION_MAX_CHARS, false)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::days_from_civil;

    const DEBTS: &str = "bin,reference,amount,currency,due_date,paid_date";
    const STATS: &str = "bin,period_end,declarations,corrected_by_customs,amendments,sector_median_amendment_rate,\
                         payments_due,payments_on_time,annual_duties,first_declaration,certifications";

    fn debts(rows: &[&str]) -> Result<Vec<DebtRow>, Vec<CsvError>> {
        parse_debts(&format!("{DEBTS}\n{}\n", rows.join("\n")))
    }

    fn stats(rows: &[&str]) -> Result<Vec<StatisticsRow>, Vec<CsvError>> {
        parse_statistics(&format!("{STATS}\n{}\n", rows.join("\n")))
    }

    fn at(row: usize, column: &str, code: ErrorCode) -> CsvError {
        CsvError::cell(row, column, code)
    }

    /// The one error of a debts file with `row` as its only row.
    fn debt_error(row: &str) -> CsvError {
        let errors = debts(&[row]).unwrap_err();
        assert_eq!(errors.len(), 1, "{row}: {errors:?}");
        errors[0].clone()
    }

    /// The one error of a statistics file with `row` as its only row.
    fn stats_error(row: &str) -> CsvError {
        let errors = stats(&[row]).unwrap_err();
        assert_eq!(errors.len(), 1, "{row}: {errors:?}");
        errors[0].clone()
    }

    const STATS_ROW: &str = "990940000105,2025-12-31,1200,48,18,0.05,40,40,500000000.00,2012-05-10,ISO 9001|ISO 28000";

    #[test]
    fn headers_match_the_layouts_and_templates_read_back() {
        assert_eq!(DEBTS_HEADER.join(","), DEBTS);
        assert_eq!(STATISTICS_HEADER.join(","), STATS);
        for layout in [Layout::Debts, Layout::Statistics] {
            assert_eq!(Layout::parse(layout.as_str()), Some(layout));
        }
        let debts = parse_debts(&template(Layout::Debts)).expect("the debts template reads");
        assert_eq!(
            debts,
            vec![DebtRow {
                row: 2,
                bin: "990940000006".into(),
                reference: "UV-2025-004512".into(),
                amount_minor: 125_000_050,
                currency: "KZT".into(),
                due_on: days_from_civil(2025, 3, 15),
                paid_on: Some(days_from_civil(2025, 4, 2)),
            }]
        );
        let stats = parse_statistics(&template(Layout::Statistics)).expect("the statistics template reads");
        assert_eq!(
            stats,
            vec![StatisticsRow {
                row: 2,
                bin: "990940000105".into(),
                period_end: days_from_civil(2025, 12, 31),
                declarations: 1200,
                corrected_by_customs: 48,
                amendments: 18,
                sector_median_amendment_ppm: 50_000,
                payments_due: 40,
                payments_on_time: 40,
                annual_duties_minor: 50_000_000_000,
                first_declaration: Some(days_from_civil(2012, 5, 10)),
                certifications: vec!["ISO 9001".into(), "ISO 28000".into()],
            }]
        );
    }

    #[test]
    fn good_files_read_with_commas_semicolons_a_byte_order_mark_and_blank_optionals() {
        let comma = format!(
            "{DEBTS}\r\n990940000006,UV-1,1250000.50,kzt,2025-03-15,\r\n\r\n\"990940000006\",\" UV-2 \",\"1 000,5\",USD,2025-01-31,2025-02-01\r\n"
        );
        let semicolon = format!(
            "\u{FEFF}{}\n990940000006;UV-1;1250000.50;KZT;2025-03-15;\n990940000006;UV-2;1 000,5;USD;2025-01-31;2025-02-01\n",
            DEBTS.replace(',', ";")
        );
        // A blank line is skipped but still counted: rows are the file's lines.
        for (text, second_row) in [(comma, 4), (semicolon, 3)] {
            let rows = parse_debts(&text).expect("reads");
            assert_eq!(rows.iter().map(|r| r.row).collect::<Vec<_>>(), vec![2, second_row]);
            assert_eq!((rows[0].amount_minor, rows[0].currency.as_str(), rows[0].paid_on), (125_000_050, "KZT", None));
            assert_eq!(
                (rows[1].reference.as_str(), rows[1].amount_minor, rows[1].currency.as_str()),
                ("UV-2", 100_050, "USD")
            );
            assert_eq!(rows[1].paid_on, Some(days_from_civil(2025, 2, 1)));
        }
        // Minor units follow the currency: none for JPY, three for KWD.
        let rows =
            debts(&["990940000006,J,1500,JPY,2025-03-15,", "990940000006,K,1.234,KWD,2025-03-15,"]).expect("reads");
        assert_eq!(rows.iter().map(|r| r.amount_minor).collect::<Vec<_>>(), vec![1500, 1234]);
        // The same reference for two traders is two debts.
        assert!(debts(&["990940000006,UV-1,1,KZT,2025-03-15,", "990940000105,UV-1,1,KZT,2025-03-15,"]).is_ok());

        let semicolon = format!("\u{FEFF}{}\n{}\n", STATS.replace(',', ";"), STATS_ROW.replace(',', ";"));
        let rows = parse_statistics(&semicolon).expect("reads");
        assert_eq!(rows[0].sector_median_amendment_ppm, 50_000);
        let sparse = stats(&["990940000006,2025-12-31,0,0,0,0,0,0,0,,"]).expect("reads");
        assert_eq!(
            (sparse[0].first_declaration, sparse[0].certifications.clone(), sparse[0].annual_duties_minor),
            (None, vec![], 0)
        );
        let edges = stats(&["990940000006,2025-12-31,5,5,9,1.000000,3,3,0.01,2020-02-29, ISO 9001 | ISO 27001 "])
            .expect("reads");
        assert_eq!(edges[0].sector_median_amendment_ppm, 1_000_000);
        assert_eq!(edges[0].certifications, vec!["ISO 9001".to_owned(), "ISO 27001".to_owned()]);
    }

    #[test]
    fn each_kind_of_bad_debt_cell_is_named_at_its_row_and_column() {
        let cases = [
            ("990940000011,UV-1,1,KZT,2025-03-15,", "bin", ErrorCode::BinCheckDigit),
            ("99094000000,UV-1,1,KZT,2025-03-15,", "bin", ErrorCode::BinLength),
            (",UV-1,1,KZT,2025-03-15,", "bin", ErrorCode::Required),
            ("990940000006,  ,1,KZT,2025-03-15,", "reference", ErrorCode::Required),
            ("990940000006,UV-1,1250000.505,KZT,2025-03-15,", "amount", ErrorCode::MoneyPrecision),
            ("990940000006,UV-1,-1250000.50,KZT,2025-03-15,", "amount", ErrorCode::NumberTooSmall),
            ("990940000006,UV-1,0.00,KZT,2025-03-15,", "amount", ErrorCode::NumberTooSmall),
            ("990940000006,UV-1,1234567890123456789012345,KZT,2025-03-15,", "amount", ErrorCode::NumberTooLarge),
            ("990940000006,UV-1,12a,KZT,2025-03-15,", "amount", ErrorCode::MoneyFormat),
            ("990940000006,UV-1,,KZT,2025-03-15,", "amount", ErrorCode::Required),
            ("990940000006,UV-1,1,XYZ,2025-03-15,", "currency", ErrorCode::CurrencyUnknown),
            ("990940000006,UV-1,1,,2025-03-15,", "currency", ErrorCode::Required),
            ("990940000006,UV-1,1,KZT,2025-02-30,", "due_date", ErrorCode::DateFormat),
            ("990940000006,UV-1,1,KZT,,", "due_date", ErrorCode::Required),
            ("990940000006,UV-1,1,KZT,2025-03-15,15.04.2025", "paid_date", ErrorCode::DateFormat),
            ("990940000006,=1+1,1,KZT,2025-03-15,", "reference", ErrorCode::FormulaCell),
            ("990940000006,UV-1,+1,KZT,2025-03-15,", "amount", ErrorCode::FormulaCell),
        ];
        for (row, column, code) in cases {
            assert_eq!(debt_error(row), at(2, column, code), "{row}");
        }
        let long = format!("990940000006,{},1,KZT,2025-03-15,", "R".repeat(41));
        assert_eq!(debt_error(&long), at(2, "reference", ErrorCode::TooLong));
        assert!(debts(&[&format!("990940000006,{},1,KZT,2025-03-15,", "R".repeat(40))]).is_ok());
    }

    #[test]
    fn each_kind_of_bad_statistics_cell_is_named_at_its_row_and_column() {
        let with = |column: &str, value: &str| -> String {
            let i = STATISTICS_HEADER.iter().position(|c| *c == column).expect("a column");
            let mut cells: Vec<&str> = STATS_ROW.split(',').collect();
            cells[i] = value;
            cells.join(",")
        };
        let cases = [
            ("bin", "990940000001", ErrorCode::BinCheckDigit),
            ("period_end", "2025-02-30", ErrorCode::DateFormat),
            ("declarations", "", ErrorCode::Required),
            ("declarations", "-1", ErrorCode::NumberTooSmall),
            ("declarations", "1.5", ErrorCode::NumberFormat),
            ("declarations", "99999999999", ErrorCode::NumberTooLarge),
            ("corrected_by_customs", "1201", ErrorCode::CountAboveTotal),
            ("amendments", "many", ErrorCode::NumberFormat),
            ("sector_median_amendment_rate", "1.000001", ErrorCode::NumberTooLarge),
            ("sector_median_amendment_rate", "1.5", ErrorCode::NumberTooLarge),
            ("sector_median_amendment_rate", "0.0000001", ErrorCode::NumberFormat),
            ("sector_median_amendment_rate", "-0.05", ErrorCode::NumberTooSmall),
            ("payments_on_time", "41", ErrorCode::CountAboveTotal),
            ("annual_duties", "1.005", ErrorCode::MoneyPrecision),
            ("annual_duties", "-1", ErrorCode::NumberTooSmall),
            ("first_declaration", "2012-13-01", ErrorCode::DateFormat),
            ("certifications", "ISO 9001||ISO 28000", ErrorCode::Required),
            ("certifications", "@ISO", ErrorCode::FormulaCell),
        ];
        for (column, value, code) in cases {
            assert_eq!(stats_error(&with(column, value)), at(2, column, code), "{column} = {value}");
        }
        let long = with("certifications", &format!("ISO 9001|{}", "C".repeat(41)));
        assert_eq!(stats_error(&long), at(2, "certifications", ErrorCode::TooLong));
    }

    #[test]
    fn a_reference_twice_for_one_bin_and_a_bin_twice_are_refused_at_the_later_row() {
        let errors = debts(&[
            "990940000006,UV-1,1,KZT,2025-03-15,",
            "990940000006,UV-2,1,KZT,2025-03-15,",
            "9909 4000 0006,UV-1,2,KZT,2025-03-15,",
        ])
        .unwrap_err();
        assert_eq!(errors, vec![at(4, "reference", ErrorCode::DuplicateReference)]);
        let again = STATS_ROW.replace("1200", "1300");
        assert_eq!(stats(&[STATS_ROW, &again]).unwrap_err(), vec![at(3, "bin", ErrorCode::DuplicateBin)]);
    }

    #[test]
    fn bad_files_are_refused_as_a_whole_or_at_the_header() {
        assert_eq!(parse_debts("").unwrap_err(), vec![CsvError::file(ErrorCode::FileEmpty)]);
        assert_eq!(parse_statistics(STATS).unwrap_err(), vec![CsvError::file(ErrorCode::FileEmpty)]);
        let tabs = format!("{}\n", DEBTS.replace(',', "\t"));
        assert_eq!(parse_debts(&tabs).unwrap_err()[0].code, ErrorCode::CsvDelimiter);
        // A statistics file uploaded as debts: every misplaced column is named.
        let wrong = format!("{STATS}\n{STATS_ROW}\n");
        let errors = parse_debts(&wrong).unwrap_err();
        assert_eq!(errors.len(), STATISTICS_HEADER.len() - 1, "{errors:?}");
        assert_eq!(errors[0], at(1, "period_end", ErrorCode::CsvHeader));
        assert_eq!(errors[4], at(1, "sector_median_amendment_rate", ErrorCode::CsvHeader));
        let missing = "bin,reference,amount,currency,due_date\n990940000006,UV-1,1,KZT,2025-03-15\n";
        assert_eq!(parse_debts(missing).unwrap_err(), vec![at(1, "paid_date", ErrorCode::CsvHeader)]);
        let renamed = DEBTS.replace("due_date", "due");
        assert_eq!(parse_debts(&format!("{renamed}\n")).unwrap_err(), vec![at(1, "due", ErrorCode::CsvHeader)]);
    }

    #[test]
    fn every_problem_in_every_row_is_reported() {
        let errors = debts(&[
            "990940000006,UV-1,1,KZT,2025-03-15,",
            "12345,,1.234,XYZ,2025-02-30,=1+1",
            "990940000006,UV-1,1,KZT",
            "990940000006,UV-1,5,USD,2025-03-15,2025-03-16",
        ])
        .unwrap_err();
        assert_eq!(
            errors,
            vec![
                at(3, "bin", ErrorCode::BinLength),
                at(3, "reference", ErrorCode::Required),
                at(3, "amount", ErrorCode::MoneyPrecision),
                at(3, "currency", ErrorCode::CurrencyUnknown),
                at(3, "due_date", ErrorCode::DateFormat),
                at(3, "paid_date", ErrorCode::FormulaCell),
                CsvError { row: 4, column: None, code: ErrorCode::CsvCells },
                at(5, "reference", ErrorCode::DuplicateReference),
            ]
        );
        let errors =
            stats(&["990940000006,2025-12-31,10,11,0,0.5,2,3,0,,", "990940000006,2025-12-31,x,1,0,2,1,1,-5,,ISO 9001"])
                .unwrap_err();
        assert_eq!(
            errors,
            vec![
                at(2, "corrected_by_customs", ErrorCode::CountAboveTotal),
                at(2, "payments_on_time", ErrorCode::CountAboveTotal),
                at(3, "bin", ErrorCode::DuplicateBin),
                at(3, "declarations", ErrorCode::NumberFormat),
                at(3, "sector_median_amendment_rate", ErrorCode::NumberTooLarge),
                at(3, "annual_duties", ErrorCode::NumberTooSmall),
            ]
        );
    }
}
