//! One disclosure line: the fields a trader writes (the line form and the CSV layout share
//! [`Field`]), and the check that turns them into an exact [`Line`] or names every refused field.
//!
//! A line corrects one item of one goods declaration: what was declared and what is correct for
//! the HS code, origin, preference and quantity, the invoice with its exchange rate (the declared
//! customs value is computed from them, rounded half-up once), the correct customs value, and per
//! tax the declared and correct amounts in the payment currency. Differences are computed, never
//! typed. A correct value left blank means "as declared"; a line with no tax amounts is a
//! non-monetary correction.

use super::declaration::DeclarationFormat;
use super::disclosure::{Overflow, RATE_DIGITS, Tax, TaxAmounts, convert, parse_scaled};
use super::interest::{Interest, RateTable, interest};
use super::money::{Currency, Money};
use super::validation::ErrorCode;
use serde::{Deserialize, Serialize};

/// A line's fields, in the order of the form and of the CSV layout (docs/disclosure-csv.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Field {
    Declaration,
    Item,
    Released,
    HsDeclared,
    HsCorrect,
    OriginDeclared,
    OriginCorrect,
    PreferenceDeclared,
    PreferenceCorrect,
    QuantityDeclared,
    QuantityCorrect,
    Unit,
    InvoiceCurrency,
    InvoiceAmount,
    Rate,
    RateDate,
    ValueCorrect,
    DutyDeclared,
    DutyCorrect,
    VatDeclared,
    VatCorrect,
    ExciseDeclared,
    ExciseCorrect,
    RemedyDeclared,
    RemedyCorrect,
}

impl Field {
    /// Every field, in layout order.
    pub const ALL: [Field; 25] = [
        Field::Declaration,
        Field::Item,
        Field::Released,
        Field::HsDeclared,
        Field::HsCorrect,
        Field::OriginDeclared,
        Field::OriginCorrect,
        Field::PreferenceDeclared,
        Field::PreferenceCorrect,
        Field::QuantityDeclared,
        Field::QuantityCorrect,
        Field::Unit,
        Field::InvoiceCurrency,
        Field::InvoiceAmount,
        Field::Rate,
        Field::RateDate,
        Field::ValueCorrect,
        Field::DutyDeclared,
        Field::DutyCorrect,
        Field::VatDeclared,
        Field::VatCorrect,
        Field::ExciseDeclared,
        Field::ExciseCorrect,
        Field::RemedyDeclared,
        Field::RemedyCorrect,
    ];

    /// The form field name and CSV column name.
    pub const fn name(self) -> &'static str {
        match self {
            Field::Declaration => "declaration",
            Field::Item => "item",
            Field::Released => "released",
            Field::HsDeclared => "hs_declared",
            Field::HsCorrect => "hs_correct",
            Field::OriginDeclared => "origin_declared",
            Field::OriginCorrect => "origin_correct",
            Field::PreferenceDeclared => "preference_declared",
            Field::PreferenceCorrect => "preference_correct",
            Field::QuantityDeclared => "quantity_declared",
            Field::QuantityCorrect => "quantity_correct",
            Field::Unit => "unit",
            Field::InvoiceCurrency => "invoice_currency",
            Field::InvoiceAmount => "invoice_amount",
            Field::Rate => "rate",
            Field::RateDate => "rate_date",
            Field::ValueCorrect => "value_correct",
            Field::DutyDeclared => "duty_declared",
            Field::DutyCorrect => "duty_correct",
            Field::VatDeclared => "vat_declared",
            Field::VatCorrect => "vat_correct",
            Field::ExciseDeclared => "excise_declared",
            Field::ExciseCorrect => "excise_correct",
            Field::RemedyDeclared => "remedy_declared",
            Field::RemedyCorrect => "remedy_correct",
        }
    }

    /// The field with this name.
    pub fn from_name(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The declared and correct amount fields of a tax.
    pub const fn of_tax(tax: Tax) -> (Field, Field) {
        match tax {
            Tax::CustomsDuty => (Field::DutyDeclared, Field::DutyCorrect),
            Tax::Vat => (Field::VatDeclared, Field::VatCorrect),
            Tax::Excise => (Field::ExciseDeclared, Field::ExciseCorrect),
            Tax::TradeRemedy => (Field::RemedyDeclared, Field::RemedyCorrect),
        }
    }
}

/// A line as typed: one text per [`Field`] (missing fields are blank).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RawLine(pub std::collections::BTreeMap<Field, String>);

impl RawLine {
    /// The typed text of `field`, trimmed; blank when absent.
    pub fn get(&self, field: Field) -> &str {
        self.0.get(&field).map_or("", |s| s.trim())
    }

    /// Sets a field.
    pub fn set(&mut self, field: Field, value: impl Into<String>) {
        self.0.insert(field, value.into());
    }
}

/// Declared and correct values of one property of the goods.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pair<T> {
    /// As declared.
    pub declared: T,
    /// As it should have been.
    pub correct: T,
}

impl<T: PartialEq> Pair<T> {
    /// Whether the line corrects this property.
    pub fn changed(&self) -> bool {
        self.declared != self.correct
    }
}

/// The invoice behind the customs value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invoice {
    /// Invoice currency (ISO 4217).
    pub currency: String,
    /// Invoice amount, minor units of that currency.
    pub amount: i64,
    /// Payment-currency units per invoice-currency unit, scaled by 10^[`RATE_DIGITS`].
    pub rate: i64,
    /// The exchange rate's date (days since 1970-01-01).
    pub rate_date: i64,
}

/// A checked line. Amounts are minor units of the payment currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    /// The declaration number, normalised.
    pub declaration: String,
    /// The customs office (from the declaration number).
    pub office: String,
    /// The item (goods number) on the declaration.
    pub item: u32,
    /// The release date (days since 1970-01-01).
    pub released: i64,
    /// HS code (10 digits, EAEU CN).
    pub hs: Pair<String>,
    /// Origin country (ISO 3166-1 alpha-2).
    pub origin: Pair<String>,
    /// Preference code; blank when none.
    pub preference: Pair<String>,
    /// Quantity scaled by 1,000, with its unit.
    pub quantity: Option<(Pair<i64>, String)>,
    /// The invoice, when the line gives one.
    pub invoice: Option<Invoice>,
    /// Customs value: declared (computed from the invoice) and correct.
    pub value: Option<Pair<i64>>,
    /// Per-tax declared and correct amounts, in [`Tax::ALL`] order, taxes given only.
    pub taxes: Vec<TaxAmounts>,
}

/// Quantities are written with at most this many decimals.
pub const QUANTITY_DIGITS: u32 = 3;

/// Highest item number on a declaration.
const MAX_ITEM: u32 = 999;

impl Line {
    /// The sum of the line's per-tax differences (positive: owed to customs).
    pub fn difference(&self) -> i64 {
        self.taxes.iter().map(TaxAmounts::difference).sum()
    }

    /// Whether the line carries no money (a non-monetary correction).
    pub fn non_monetary(&self) -> bool {
        self.taxes.is_empty()
    }

    /// Late-payment interest on each tax this line underpaid, from the release date to `until`
    /// (both days since 1970-01-01), at the rate table's rates.
    pub fn interest(&self, until: i64, table: &RateTable) -> Result<Vec<(Tax, Interest)>, Overflow> {
        self.taxes
            .iter()
            .filter(|t| t.difference() > 0)
            .map(|t| interest(t.difference(), self.released, until, table).map(|i| (t.tax, i)))
            .collect()
    }
}

/// A scaled integer as typed: 4,501,200 at 4 digits is "450.12", 1,200,000 at 3 is "1200".
pub fn unscaled(value: i64, digits: u32) -> String {
    let scale = 10_i64.pow(digits);
    let text = format!("{}.{:0width$}", value / scale, value % scale, width = digits as usize);
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

impl Line {
    /// The line as the trader would type it (the form's values when changing it, and a row of the
    /// CSV export): a correct value equal to the declared one is left blank, as the form says.
    pub fn raw(&self, currency: Currency) -> RawLine {
        use Field as F;
        let day = |d: i64| {
            let (y, m, d) = super::time::civil_from_days(d);
            format!("{y:04}-{m:02}-{d:02}")
        };
        let unless_same = |d: &str, c: &str| if d == c { String::new() } else { c.to_owned() };
        let plain = |minor: i64| Money { minor, currency }.plain();
        let mut raw = RawLine::default();
        raw.set(F::Declaration, self.declaration.clone());
        raw.set(F::Item, self.item.to_string());
        raw.set(F::Released, day(self.released));
        raw.set(F::HsDeclared, self.hs.declared.clone());
        raw.set(F::HsCorrect, unless_same(&self.hs.declared, &self.hs.correct));
        raw.set(F::OriginDeclared, self.origin.declared.clone());
        raw.set(F::OriginCorrect, unless_same(&self.origin.declared, &self.origin.correct));
        raw.set(F::PreferenceDeclared, self.preference.declared.clone());
        raw.set(F::PreferenceCorrect, unless_same(&self.preference.declared, &self.preference.correct));
        if let Some((q, unit)) = &self.quantity {
            raw.set(F::QuantityDeclared, unscaled(q.declared, QUANTITY_DIGITS));
            if q.changed() {
                raw.set(F::QuantityCorrect, unscaled(q.correct, QUANTITY_DIGITS));
            }
            raw.set(F::Unit, unit.clone());
        }
        if let Some(i) = &self.invoice {
            let invoice_currency = Currency::parse(&i.currency).unwrap_or(currency);
            raw.set(F::InvoiceCurrency, i.currency.clone());
            raw.set(F::InvoiceAmount, Money { minor: i.amount, currency: invoice_currency }.plain());
            raw.set(F::Rate, unscaled(i.rate, RATE_DIGITS));
            raw.set(F::RateDate, day(i.rate_date));
        }
        if let Some(v) = self.value.as_ref().filter(|v| v.changed()) {
            raw.set(F::ValueCorrect, plain(v.correct));
        }
        for t in &self.taxes {
            let (fd, fc) = Field::of_tax(t.tax);
            raw.set(fd, plain(t.declared));
            raw.set(fc, plain(t.correct));
        }
        raw
    }
}

/// The worked example of the CSV template and the docs (domain reference §7.6, VD-2025-0007):
/// routers invoiced at USD 48,000.00 at 450.12 (customs value 21,605,760.00), a 3 % royalty not
/// added (correct value 22,253,932.80), duty 10 %: 64,817.28 more duty.
pub fn example() -> RawLine {
    use Field as F;
    let mut raw = RawLine::default();
    for (field, value) in [
        (F::Declaration, "50101010/150324/0001234"),
        (F::Item, "1"),
        (F::Released, "2024-03-16"),
        (F::HsDeclared, "8517 13 000 0"),
        (F::OriginDeclared, "cn"),
        (F::QuantityDeclared, "1200"),
        (F::Unit, "pcs"),
        (F::InvoiceCurrency, "USD"),
        (F::InvoiceAmount, "48000.00"),
        (F::Rate, "450.12"),
        (F::RateDate, "2024-03-15"),
        (F::ValueCorrect, "22253932.80"),
        (F::DutyDeclared, "2160576.00"),
        (F::DutyCorrect, "2225393.28"),
    ] {
        raw.set(field, value);
    }
    raw
}

/// A 10-digit HS code of the EAEU Combined Nomenclature (spaces and dots allowed as separators).
pub fn hs_code(raw: &str) -> Result<String, ErrorCode> {
    let digits: String = raw.chars().filter(|c| !matches!(c, ' ' | '.')).collect();
    if digits.is_empty() {
        return Err(ErrorCode::Required);
    }
    if digits.len() == 10 && digits.bytes().all(|b| b.is_ascii_digit()) { Ok(digits) } else { Err(ErrorCode::HsCode) }
}

/// Collects field errors while checking one line.
struct Errors(Vec<(Field, ErrorCode)>);

impl Errors {
    fn take<T>(&mut self, field: Field, result: Result<T, ErrorCode>) -> Option<T> {
        result.map_err(|code| self.0.push((field, code))).ok()
    }
}

/// An optional value: blank is `None`, anything else must parse.
fn optional<T>(raw: &str, parse: impl FnOnce(&str) -> Result<T, ErrorCode>) -> Result<Option<T>, ErrorCode> {
    if raw.is_empty() { Ok(None) } else { parse(raw).map(Some) }
}

/// Checks a typed line against the administration's declaration layout, in `currency` (the
/// payment currency). Every refused field is named, in layout order.
pub fn check(raw: &RawLine, format: &DeclarationFormat, currency: Currency) -> Result<Line, Vec<(Field, ErrorCode)>> {
    use Field as F;
    let mut e = Errors(Vec::new());
    let declaration = e.take(F::Declaration, format.parse(raw.get(F::Declaration)));
    let item = e.take(
        F::Item,
        match raw.get(F::Item) {
            "" => Err(ErrorCode::Required),
            text => match text.parse::<u32>() {
                Ok(n) if (1..=MAX_ITEM).contains(&n) => Ok(n),
                Ok(0) => Err(ErrorCode::NumberTooSmall),
                Ok(_) => Err(ErrorCode::NumberTooLarge),
                Err(_) => Err(ErrorCode::NumberFormat),
            },
        },
    );
    let released = e.take(F::Released, super::answer::parse_date(raw.get(F::Released)));
    if let (Some(d), Some(r)) = (&declaration, released)
        && r < d.registered
    {
        e.0.push((F::Released, ErrorCode::ReleaseBeforeRegistration));
    }
    let text = |raw: &str| super::text::clean(raw, 10, false);
    let pair =
        |e: &mut Errors, fd: Field, fc: Field, parse: &dyn Fn(&str) -> Result<String, ErrorCode>, required: bool| {
            let declared = match raw.get(fd) {
                "" if !required => Some(String::new()),
                typed => e.take(fd, parse(typed)),
            };
            let correct = e.take(fc, optional(raw.get(fc), parse));
            declared.zip(correct).map(|(d, c)| Pair { correct: c.unwrap_or_else(|| d.clone()), declared: d })
        };
    let hs = pair(&mut e, F::HsDeclared, F::HsCorrect, &hs_code, true);
    let origin = pair(&mut e, F::OriginDeclared, F::OriginCorrect, &super::country::parse, true);
    let preference = pair(&mut e, F::PreferenceDeclared, F::PreferenceCorrect, &text, false);
    let scaled = |s: &str| parse_scaled(s, QUANTITY_DIGITS);
    let q_declared = e.take(F::QuantityDeclared, optional(raw.get(F::QuantityDeclared), scaled));
    let q_correct = e.take(F::QuantityCorrect, optional(raw.get(F::QuantityCorrect), scaled));
    let unit = e.take(F::Unit, optional(raw.get(F::Unit), text));
    let quantity = match (q_declared, q_correct, unit) {
        (Some(Some(d)), Some(c), Some(Some(unit))) => Some((Pair { declared: d, correct: c.unwrap_or(d) }, unit)),
        (Some(Some(_)), _, Some(None)) => {
            e.0.push((F::Unit, ErrorCode::Required));
            None
        }
        (Some(None), Some(Some(_)), _) => {
            e.0.push((F::QuantityDeclared, ErrorCode::Required));
            None
        }
        _ => None,
    };
    let invoice = check_invoice(raw, &mut e, currency);
    let value_correct =
        e.take(F::ValueCorrect, optional(raw.get(F::ValueCorrect), |s| Money::parse(s, currency).map(|m| m.minor)));
    let value = match (&invoice, value_correct) {
        (Some(Some((invoice, declared))), Some(correct)) => {
            let _ = invoice;
            Some(Pair { declared: *declared, correct: correct.unwrap_or(*declared) })
        }
        (Some(None), Some(Some(_))) => {
            e.0.push((F::InvoiceAmount, ErrorCode::Required));
            None
        }
        _ => None,
    };
    let mut taxes = Vec::new();
    for tax in Tax::ALL {
        let (fd, fc) = Field::of_tax(tax);
        let amount = |s: &str| Money::parse(s, currency).map(|m| m.minor);
        let declared = e.take(fd, optional(raw.get(fd), amount));
        let correct = e.take(fc, optional(raw.get(fc), amount));
        match (declared, correct) {
            (Some(Some(declared)), Some(Some(correct))) => taxes.push(TaxAmounts { tax, declared, correct }),
            (Some(Some(_)), Some(None)) => e.0.push((fc, ErrorCode::Required)),
            (Some(None), Some(Some(_))) => e.0.push((fd, ErrorCode::Required)),
            _ => {}
        }
    }
    if !e.0.is_empty() {
        e.0.sort_by_key(|(f, _)| *f);
        return Err(e.0);
    }
    match (declaration, item, released, hs, origin, preference, invoice) {
        (Some(d), Some(item), Some(released), Some(hs), Some(origin), Some(preference), Some(invoice)) => Ok(Line {
            office: d.office,
            declaration: d.text,
            item,
            released,
            hs,
            origin,
            preference,
            quantity,
            invoice: invoice.map(|(i, _)| i),
            value,
            taxes,
        }),
        // Every `None` above pushed an error, so this arm is not reached; refuse rather than panic.
        _ => Err(vec![(F::Declaration, ErrorCode::Required)]),
    }
}

/// The invoice fields: all four or none. `Some(None)` is "no invoice"; `None` is "refused".
fn check_invoice(raw: &RawLine, e: &mut Errors, currency: Currency) -> Option<Option<(Invoice, i64)>> {
    use Field as F;
    let given = [F::InvoiceCurrency, F::InvoiceAmount, F::Rate, F::RateDate].map(|f| !raw.get(f).is_empty());
    if given.iter().all(|g| !g) {
        return Some(None);
    }
    let invoice_currency = e.take(F::InvoiceCurrency, Currency::parse(raw.get(F::InvoiceCurrency)));
    let amount = invoice_currency.and_then(|c| e.take(F::InvoiceAmount, Money::parse(raw.get(F::InvoiceAmount), c)));
    let rate = e.take(
        F::Rate,
        parse_scaled(raw.get(F::Rate), RATE_DIGITS)
            .and_then(|r| if r == 0 { Err(ErrorCode::NumberTooSmall) } else { Ok(r) }),
    );
    let rate_date = e.take(F::RateDate, super::answer::parse_date(raw.get(F::RateDate)));
    let (amount, rate, rate_date) = (amount?, rate?, rate_date?);
    match convert(amount, rate, currency) {
        Ok(value) => Some(Some((
            Invoice { currency: amount.currency.code().to_owned(), amount: amount.minor, rate, rate_date },
            value.minor,
        ))),
        Err(Overflow) => {
            e.0.push((F::InvoiceAmount, ErrorCode::NumberTooLarge));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::declaration::DeclarationFormat;

    fn kzt() -> Currency {
        Currency::parse("KZT").expect("KZT")
    }

    fn raw(pairs: &[(Field, &str)]) -> RawLine {
        let mut line = RawLine::default();
        for (f, v) in pairs {
            line.set(*f, *v);
        }
        line
    }

    fn steppe() -> RawLine {
        example()
    }

    #[test]
    fn the_worked_example_computes_value_and_difference_exactly() {
        let line = check(&steppe(), &DeclarationFormat::default(), kzt()).expect("valid");
        assert_eq!(line.office, "50101010");
        assert_eq!(line.hs, Pair { declared: "8517130000".into(), correct: "8517130000".into() });
        assert_eq!(line.origin.correct, "CN");
        assert_eq!(line.value, Some(Pair { declared: 2_160_576_000, correct: 2_225_393_280 }));
        assert_eq!(line.quantity, Some((Pair { declared: 1_200_000, correct: 1_200_000 }, "pcs".into())));
        assert_eq!(line.difference(), 6_481_728);
        assert!(!line.non_monetary());
    }

    #[test]
    fn a_line_without_amounts_is_non_monetary() {
        use Field as F;
        let mut r = steppe();
        for f in [
            F::InvoiceCurrency,
            F::InvoiceAmount,
            F::Rate,
            F::RateDate,
            F::ValueCorrect,
            F::DutyDeclared,
            F::DutyCorrect,
        ] {
            r.set(f, "");
        }
        r.set(F::OriginCorrect, "VN");
        let line = check(&r, &DeclarationFormat::default(), kzt()).expect("valid");
        assert!(line.non_monetary() && line.origin.changed() && line.invoice.is_none() && line.value.is_none());
    }

    #[test]
    fn every_bad_field_is_named() {
        use Field as F;
        let bad = raw(&[
            (F::Declaration, "50101010/310224/0001234"),
            (F::Item, "0"),
            (F::Released, "2024-02-30"),
            (F::HsDeclared, "85171300"),
            (F::OriginDeclared, "XX"),
            (F::QuantityDeclared, "-3"),
            (F::InvoiceCurrency, "ABC"),
            (F::Rate, "450.123456"),
            (F::RateDate, "yesterday"),
            (F::DutyDeclared, "10.001"),
            (F::VatCorrect, "1"),
            (F::ExciseDeclared, "1234567890123456789012345"),
            (F::ExciseCorrect, "1"),
        ]);
        let errors = check(&bad, &DeclarationFormat::default(), kzt()).expect_err("refused");
        assert_eq!(
            errors,
            vec![
                (F::Declaration, ErrorCode::DeclarationDate),
                (F::Item, ErrorCode::NumberTooSmall),
                (F::Released, ErrorCode::DateFormat),
                (F::HsDeclared, ErrorCode::HsCode),
                (F::OriginDeclared, ErrorCode::CountryCode),
                (F::QuantityDeclared, ErrorCode::NumberFormat),
                (F::InvoiceCurrency, ErrorCode::CurrencyUnknown),
                (F::Rate, ErrorCode::NumberFormat),
                (F::RateDate, ErrorCode::DateFormat),
                (F::DutyDeclared, ErrorCode::MoneyPrecision),
                (F::VatDeclared, ErrorCode::Required),
                (F::ExciseDeclared, ErrorCode::NumberTooLarge),
            ]
        );
    }

    #[test]
    fn release_before_registration_and_half_given_pairs_are_refused() {
        use Field as F;
        let mut r = steppe();
        r.set(F::Released, "2024-03-14");
        r.set(F::DutyCorrect, "");
        r.set(F::Unit, "");
        let errors = check(&r, &DeclarationFormat::default(), kzt()).expect_err("refused");
        assert_eq!(
            errors,
            vec![
                (F::Released, ErrorCode::ReleaseBeforeRegistration),
                (F::Unit, ErrorCode::Required),
                (F::DutyCorrect, ErrorCode::Required),
            ]
        );
    }

    #[test]
    fn a_line_typed_back_checks_to_the_same_line() {
        let line = check(&steppe(), &DeclarationFormat::default(), kzt()).expect("valid");
        let again = check(&line.raw(kzt()), &DeclarationFormat::default(), kzt()).expect("valid again");
        assert_eq!(again, line);
        assert_eq!(line.raw(kzt()).get(Field::Rate), "450.12");
        assert_eq!(line.raw(kzt()).get(Field::HsCorrect), "");
        assert_eq!(unscaled(1_200_500, 3), "1200.5");
    }

    #[test]
    fn field_names_round_trip() {
        for f in Field::ALL {
            assert_eq!(Field::from_name(f.name()), Some(f));
        }
        assert_eq!(Field::from_name("amount"), None);
    }

    #[test]
    fn interest_runs_on_underpaid_taxes_only() {
        let line = check(&steppe(), &DeclarationFormat::default(), kzt()).expect("valid");
        // 20 % a year on a 365-day basis from one date only: 6,481,728 × 0.2 × 365 / 365 days.
        let table = RateTable { basis_days: 365, rates: vec![(0, 200_000)] };
        let from = line.released;
        let due = line.interest(from + 365, &table).expect("interest");
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].0, Tax::CustomsDuty);
        assert_eq!(due[0].1.minor, 1_296_346);
        let mut refund = line.clone();
        refund.taxes[0].correct = 0;
        assert!(refund.interest(from + 365, &table).expect("interest").is_empty());
    }
}
