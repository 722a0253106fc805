//! What a disclosure keeps summed over its lines, so its page and customs' queue never read every
//! line: the line count, and per tax the lines carrying it, the declared and correct amounts and
//! the late-payment interest to one day. A line write removes the line's old contribution and adds
//! the new one; a full recomputation adds every line. Sums are kept in `i128` while they change and
//! checked against the amount limit when they are stored or shown, so the order of the edits never
//! matters and a total is exactly what summing every line gives.

use super::disclosure::{Overflow, Tax, TaxAmounts, to_i64};
use std::collections::BTreeMap;

/// One tax summed over the lines that carry it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TaxSum {
    /// Lines carrying the tax (the tax is shown while any does).
    pub lines: i64,
    pub declared: i128,
    pub correct: i128,
    /// Late-payment interest on the lines that underpaid it, minor units.
    pub interest: i128,
}

/// The sums over every line of a disclosure.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sums {
    pub lines: i64,
    /// By tax, in [`Tax::ALL`] order; only taxes some line carries.
    pub per_tax: BTreeMap<Tax, TaxSum>,
}

/// One tax's stored or shown total, checked: (tax, lines, declared, correct, interest).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaxRow {
    pub tax: Tax,
    pub lines: i64,
    pub declared: i64,
    pub correct: i64,
    pub interest: i64,
}

impl TaxRow {
    /// Correct minus declared.
    pub fn difference(&self) -> i64 {
        self.correct - self.declared
    }
}

impl Sums {
    /// Rebuilds sums from stored rows.
    pub fn from_rows(lines: i64, rows: &[TaxRow]) -> Self {
        let per_tax = rows
            .iter()
            .map(|r| {
                let sum = TaxSum {
                    lines: r.lines,
                    declared: i128::from(r.declared),
                    correct: i128::from(r.correct),
                    interest: i128::from(r.interest),
                };
                (r.tax, sum)
            })
            .collect();
        Self { lines, per_tax }
    }

    /// Adds one line: its taxes and the interest on each (as `Line::interest` gives it).
    pub fn add(&mut self, taxes: &[TaxAmounts], interest: &[(Tax, i64)]) {
        self.change(taxes, interest, 1);
    }

    /// Removes one line's contribution, given exactly as it was added.
    pub fn remove(&mut self, taxes: &[TaxAmounts], interest: &[(Tax, i64)]) {
        self.change(taxes, interest, -1);
    }

    fn change(&mut self, taxes: &[TaxAmounts], interest: &[(Tax, i64)], sign: i64) {
        self.lines += sign;
        let wide = i128::from(sign);
        for t in taxes {
            let sum = self.per_tax.entry(t.tax).or_default();
            sum.lines += sign;
            sum.declared += wide * i128::from(t.declared);
            sum.correct += wide * i128::from(t.correct);
        }
        for &(tax, minor) in interest {
            self.per_tax.entry(tax).or_default().interest += wide * i128::from(minor);
        }
        // A tax no line carries any more is not shown (and its sums are back at zero).
        self.per_tax.retain(|_, sum| sum.lines > 0);
    }

    /// The sum of every difference.
    pub fn difference(&self) -> Result<i64, Overflow> {
        to_i64(self.per_tax.values().map(|s| s.correct - s.declared).sum())
    }

    /// The sum of every line's interest.
    pub fn interest(&self) -> Result<i64, Overflow> {
        to_i64(self.per_tax.values().map(|s| s.interest).sum())
    }

    /// Each tax's totals, checked against the amount limit, in [`Tax::ALL`] order.
    pub fn rows(&self) -> Result<Vec<TaxRow>, Overflow> {
        self.per_tax
            .iter()
            .map(|(&tax, s)| {
                to_i64(s.correct - s.declared)?;
                Ok(TaxRow {
                    tax,
                    lines: s.lines,
                    declared: to_i64(s.declared)?,
                    correct: to_i64(s.correct)?,
                    interest: to_i64(s.interest)?,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::disclosure::totals;

    fn taxes(list: &[(Tax, i64, i64)]) -> Vec<TaxAmounts> {
        list.iter().map(|&(tax, declared, correct)| TaxAmounts { tax, declared, correct }).collect()
    }

    #[test]
    fn adding_and_removing_lines_gives_what_summing_every_line_gives() {
        let a = taxes(&[(Tax::CustomsDuty, 2_160_576, 2_225_393), (Tax::Vat, 100, 90)]);
        let b = taxes(&[(Tax::Vat, 0, 0)]);
        let c = taxes(&[(Tax::Excise, 5, 7), (Tax::TradeRemedy, 1, 1)]);
        let mut sums = Sums::default();
        sums.add(&a, &[(Tax::CustomsDuty, 11)]);
        sums.add(&b, &[]);
        sums.add(&c, &[(Tax::Excise, 3)]);
        sums.remove(&a, &[(Tax::CustomsDuty, 11)]);
        sums.add(&a, &[(Tax::CustomsDuty, 12)]);
        sums.remove(&c, &[(Tax::Excise, 3)]);
        let whole = totals([a.as_slice(), b.as_slice()]).expect("fits");
        let rows = sums.rows().expect("fits");
        assert_eq!(sums.lines, 2);
        assert_eq!(
            rows.iter().map(|r| (r.tax, r.declared, r.correct, r.difference())).collect::<Vec<_>>(),
            whole.per_tax
        );
        assert_eq!(sums.difference(), Ok(whole.difference));
        assert_eq!(sums.interest(), Ok(12));
        // Excise and the trade remedy left with line c; VAT stays, carried by a zero line.
        assert_eq!(rows.iter().map(|r| (r.tax, r.lines)).collect::<Vec<_>>(), [(Tax::CustomsDuty, 1), (Tax::Vat, 2)]);
        assert_eq!(Sums::from_rows(sums.lines, &rows), sums);
    }

    #[test]
    fn a_total_past_the_amount_limit_is_refused_whatever_the_order() {
        let big = taxes(&[(Tax::CustomsDuty, 0, 90_000_000_000_000_000)]);
        let back = taxes(&[(Tax::CustomsDuty, 90_000_000_000_000_000, 0)]);
        let mut sums = Sums::default();
        sums.add(&big, &[]);
        sums.add(&big, &[]);
        assert_eq!(sums.rows(), Err(Overflow));
        assert_eq!(sums.difference(), Err(Overflow));
        // Back within the limit once a refund line offsets it: only the stored result is checked.
        sums.add(&back, &[]);
        assert_eq!(sums.difference(), Ok(90_000_000_000_000_000));
    }
}
