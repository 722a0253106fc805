//! Answers across versions: carrying a draft's answers to a new version of its template (by stable
//! question key), and what changed between two submissions of one assessment.

use super::answer::{self, Answer, Answers, RawAnswer};
use super::questionnaire::{AnswerKind, Question, Template};
use super::validation::ErrorCode;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Why an answer could not be carried to the new template version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotCarriedReason {
    /// The new version no longer asks the question.
    QuestionRemoved,
    /// The question now takes a different kind of answer.
    TypeChanged,
    /// A chosen option no longer exists.
    OptionRemoved,
    /// The answer breaks a new rule of the question (length, range, columns, N/A).
    NoLongerValid,
}

impl NotCarriedReason {
    /// Stable code, stored with the report.
    pub fn code(self) -> &'static str {
        match self {
            Self::QuestionRemoved => "question_removed",
            Self::TypeChanged => "type_changed",
            Self::OptionRemoved => "option_removed",
            Self::NoLongerValid => "no_longer_valid",
        }
    }

    /// Parses [`Self::code`].
    pub fn from_code(code: &str) -> Option<Self> {
        [Self::QuestionRemoved, Self::TypeChanged, Self::OptionRemoved, Self::NoLongerValid]
            .into_iter()
            .find(|r| r.code() == code)
    }
}

/// An answer left behind when a draft moved to a new template version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotCarried {
    /// The question key.
    pub question: String,
    /// The answer as it was.
    pub answer: Answer,
    /// Why it was not carried.
    pub reason: NotCarriedReason,
}

/// The result of carrying a draft's answers forward.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Carried {
    /// Answers valid for the new version, unchanged.
    pub kept: Answers,
    /// Answers that could not be carried, with the reason.
    pub dropped: Vec<NotCarried>,
}

/// What a form would send to produce `answer` again: used to re-check an answer against a new
/// version of its question with exactly the rules a person typing it would meet.
pub fn to_raw(answer: &Answer) -> RawAnswer {
    let value = |v: String| RawAnswer { value: v, ..RawAnswer::default() };
    match answer {
        Answer::Yes => value("yes".into()),
        Answer::No => value("no".into()),
        Answer::NotApplicable(j) => {
            RawAnswer { value: "na".into(), justification: j.clone().unwrap_or_default(), ..RawAnswer::default() }
        }
        Answer::Choice(k) => value(k.clone()),
        Answer::Choices(ks) => RawAnswer { choices: ks.clone(), ..RawAnswer::default() },
        Answer::Number(n) => value(answer::format_thousandths(*n)),
        Answer::Money(m) => RawAnswer { value: m.plain(), currency: m.currency.code().into(), ..RawAnswer::default() },
        Answer::Date(_) | Answer::Text(_) => value(answer.summary()),
        Answer::Table(rows) => RawAnswer { rows: rows.clone(), ..RawAnswer::default() },
        Answer::EvidenceOnly => RawAnswer::default(),
    }
}

fn same_kind(a: &AnswerKind, b: &AnswerKind) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

fn check(old: Option<&Question>, new: &Question, answer: &Answer) -> Result<(), NotCarriedReason> {
    if old.is_some_and(|old| !same_kind(&old.kind, &new.kind)) {
        return Err(NotCarriedReason::TypeChanged);
    }
    if *answer == Answer::EvidenceOnly {
        return if new.kind == AnswerKind::EvidenceOnly { Ok(()) } else { Err(NotCarriedReason::TypeChanged) };
    }
    match answer::parse(new, &to_raw(answer)) {
        Ok(Some(again)) if again == *answer => Ok(()),
        Err(ErrorCode::InvalidChoice)
            if matches!(new.kind, AnswerKind::SingleChoice { .. } | AnswerKind::MultiChoice { .. }) =>
        {
            Err(NotCarriedReason::OptionRemoved)
        }
        _ => Err(NotCarriedReason::NoLongerValid),
    }
}

/// Carries `answers` given on `old` to `new` by question key: an answer is kept only when the new
/// version still asks the question, with the same kind of answer, and the answer passes the new
/// question's rules unchanged. Everything else is reported, never silently dropped.
pub fn carry_forward(old: &Template, new: &Template, answers: &Answers) -> Carried {
    let mut out = Carried::default();
    for (key, answer) in answers {
        let verdict = match new.question(key) {
            None => Err(NotCarriedReason::QuestionRemoved),
            Some(q) => check(old.question(key), q, answer),
        };
        match verdict {
            Ok(()) => {
                out.kept.insert(key.clone(), answer.clone());
            }
            Err(reason) => out.dropped.push(NotCarried { question: key.clone(), answer: answer.clone(), reason }),
        }
    }
    out
}

/// How one answer changed between two submissions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// The question key.
    pub question: String,
    /// The earlier answer (none: it was not answered).
    pub before: Option<Answer>,
    /// The later answer (none: it was cleared).
    pub after: Option<Answer>,
}

/// The answers that differ between an earlier and a later submission, in key order.
pub fn changes(before: &Answers, after: &Answers) -> Vec<Change> {
    let mut keys: Vec<&String> = before.keys().chain(after.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| before.get(*k) != after.get(*k))
        .map(|k| Change { question: k.clone(), before: before.get(k).cloned(), after: after.get(k).cloned() })
        .collect()
}

/// Evidence files (question key → SHA-256 set) added between two submissions, by question.
pub fn evidence_added(
    before: &BTreeMap<String, Vec<String>>,
    after: &BTreeMap<String, Vec<String>>,
) -> BTreeMap<String, u32> {
    after
        .iter()
        .filter_map(|(q, hashes)| {
            let old = before.get(q);
            let added = hashes.iter().filter(|h| !old.is_some_and(|o| o.contains(h))).count() as u32;
            (added > 0).then(|| (q.clone(), added))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::{Currency, Money};
    use crate::domain::questionnaire::tests::{choice, question, section, template};

    fn v1() -> Template {
        template(vec![section(
            "A",
            1,
            vec![
                question("A1", AnswerKind::YesNo, 1),
                question("A2", AnswerKind::SingleChoice { options: vec![choice("a", 1000), choice("b", 0)] }, 1),
                question("A3", AnswerKind::Text { max_chars: 100 }, 1),
                question("A4", AnswerKind::Money, 1),
                question("A5", AnswerKind::Integer { bands: vec![], min: None, max: None }, 1),
                question("A6", AnswerKind::Date, 1),
                question("A7", AnswerKind::YesNo, 1),
            ],
        )])
    }

    fn answers() -> Answers {
        let kzt = Currency::parse("KZT").unwrap();
        Answers::from([
            ("A1".to_owned(), Answer::Yes),
            ("A2".to_owned(), Answer::Choice("b".into())),
            ("A3".to_owned(), Answer::Text("A long enough explanation".into())),
            ("A4".to_owned(), Answer::Money(Money { minor: 123_456, currency: kzt })),
            ("A5".to_owned(), Answer::Number(42_000)),
            ("A6".to_owned(), Answer::Date(20_000)),
            ("A7".to_owned(), Answer::No),
        ])
    }

    #[test]
    fn an_unchanged_version_carries_every_answer() {
        let carried = carry_forward(&v1(), &v1(), &answers());
        assert_eq!(carried.kept, answers());
        assert!(carried.dropped.is_empty());
    }

    #[test]
    fn changed_questions_are_reported_with_their_reason() {
        let mut v2 = v1();
        let qs = &mut v2.sections[0].questions;
        // A2 loses option b, A3 gets shorter, A5 becomes a date, A7 is removed; A1, A4, A6 stay.
        qs[1].kind = AnswerKind::SingleChoice { options: vec![choice("a", 1000), choice("c", 0)] };
        qs[2].kind = AnswerKind::Text { max_chars: 5 };
        qs[4].kind = AnswerKind::Date;
        qs.remove(6);
        let carried = carry_forward(&v1(), &v2, &answers());
        let kept: Vec<&str> = carried.kept.keys().map(String::as_str).collect();
        assert_eq!(kept, ["A1", "A4", "A6"]);
        let dropped: Vec<(&str, NotCarriedReason)> =
            carried.dropped.iter().map(|d| (d.question.as_str(), d.reason)).collect();
        assert_eq!(
            dropped,
            [
                ("A2", NotCarriedReason::OptionRemoved),
                ("A3", NotCarriedReason::NoLongerValid),
                ("A5", NotCarriedReason::TypeChanged),
                ("A7", NotCarriedReason::QuestionRemoved),
            ]
        );
        // The old value travels with the report, so nothing typed is lost.
        assert_eq!(carried.dropped[1].answer, Answer::Text("A long enough explanation".into()));
    }

    #[test]
    fn not_applicable_survives_only_where_still_allowed() {
        let mut old = v1();
        old.sections[0].questions[0].kind = AnswerKind::YesNoNa;
        let given = Answers::from([("A1".to_owned(), Answer::NotApplicable(Some("No such goods".into())))]);
        assert_eq!(carry_forward(&old, &old, &given).kept, given);
        let mut stricter = old.clone();
        stricter.sections[0].questions[0].kind = AnswerKind::YesNoNa;
        stricter.sections[0].questions[0].na_needs_justification = true;
        let bare = Answers::from([("A1".to_owned(), Answer::NotApplicable(None))]);
        let carried = carry_forward(&old, &stricter, &bare);
        assert_eq!(carried.dropped[0].reason, NotCarriedReason::NoLongerValid);
    }

    #[test]
    fn changes_list_only_what_differs() {
        let before = answers();
        let mut after = answers();
        after.insert("A1".into(), Answer::No);
        after.remove("A7");
        after.insert("B1".into(), Answer::Yes);
        let got = changes(&before, &after);
        let keys: Vec<&str> = got.iter().map(|c| c.question.as_str()).collect();
        assert_eq!(keys, ["A1", "A7", "B1"]);
        assert_eq!((got[0].before.clone(), got[0].after.clone()), (Some(Answer::Yes), Some(Answer::No)));
        assert_eq!(got[1].after, None);
        assert_eq!(got[2].before, None);
        assert!(changes(&before, &before).is_empty());
    }

    #[test]
    fn only_new_files_count_as_added_evidence() {
        let before = BTreeMap::from([("A1".to_owned(), vec!["h1".to_owned()])]);
        let after = BTreeMap::from([
            ("A1".to_owned(), vec!["h1".to_owned(), "h2".to_owned()]),
            ("A2".to_owned(), vec!["h3".to_owned()]),
        ]);
        assert_eq!(evidence_added(&before, &after), BTreeMap::from([("A1".to_owned(), 1), ("A2".to_owned(), 1)]));
        assert!(evidence_added(&after, &after).is_empty());
    }
}
