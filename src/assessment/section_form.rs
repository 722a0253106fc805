//! The section form: the one part of a section page that runs in the browser (an island). The
//! questions inside it are rendered on the server and passed in as children; the island adds what
//! needs JavaScript: saving shortly after each change, the browser-kept copy of unsaved answers
//! with its restore notice (see `backup`), follow-up questions appearing at once, and the outcome
//! of each save. Without JavaScript it is the same form posting to the same server function, and
//! the page shown after the post says what was saved.

use super::api::{SaveOutcome, SaveSection};
use crate::domain::answer::{Answers, clause_values, shown_by};
use crate::domain::id::AssessmentId;
use crate::domain::questionnaire::{Condition, Template};
use crate::i18n::*;
use crate::ui::form::{ErrorSummary, Notice, action_error};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// What the browser needs to show and hide questions as the user answers: small enough to travel
/// in the page as the island's props, unlike the whole template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ShowRules {
    /// Every question of the template in order, with its show-if condition (conditions may refer
    /// to questions of earlier sections).
    pub questions: Vec<(String, Option<Condition>)>,
    /// The saved clause values of questions that are not on this section's form.
    pub outside: BTreeMap<String, Vec<String>>,
}

impl ShowRules {
    /// The rules of `section`'s form, with the saved answers of the other sections.
    pub fn new(template: &Template, section: &str, saved: &Answers) -> Self {
        let questions = template.questions().map(|(_, q)| (q.key.clone(), q.show_if.clone())).collect();
        let outside = template
            .questions()
            .filter(|(s, _)| s.key != section)
            .filter_map(|(_, q)| saved.get(&q.key).map(|a| (q.key.clone(), clause_values(a))))
            .filter(|(_, values)| !values.is_empty())
            .collect();
        Self { questions, outside }
    }

    /// The questions shown when this form's ticked controls hold `chosen` (question key → values).
    pub fn shown(&self, chosen: &BTreeMap<String, Vec<String>>) -> BTreeSet<String> {
        shown_by(self.questions.iter().map(|(k, c)| (k.as_str(), c.as_ref())), |question, value| {
            chosen.get(question).or_else(|| self.outside.get(question)).is_some_and(|v| v.iter().any(|v| v == value))
        })
    }
}

/// How long after the last change the form saves: a burst of changes (several fields, or answers
/// put back) makes one save, so two saves never race each other over the same answer versions.
const AUTOSAVE_DELAY: std::time::Duration = std::time::Duration::from_millis(600);

/// The section form around the server-rendered questions.
#[island]
pub fn SectionForm(
    id: AssessmentId,
    section: String,
    editable: bool,
    rules: ShowRules,
    /// The outcome of a save posted without JavaScript, shown until the next save here.
    last_save: Option<SaveOutcome>,
    children: Children,
) -> impl IntoView {
    // Plain strings in the page's language where there is nothing to interpolate, not reactive
    // translated views: the language changes only with a page load (the switcher is a form post),
    // and each translated view costs the browser bundle kilobytes.
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let save = ServerAction::<SaveSection>::new();
    let error = action_error(save);
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let backup_key = super::backup::key(id, &section);
    let restored = RwSignal::new(false);
    let outcome = move || save.value().get().and_then(Result::ok).or_else(|| last_save.clone());

    // A successful save: the browser copy is no longer needed, and the next save sends the
    // versions the server now holds.
    {
        let backup_key = backup_key.clone();
        Effect::new(move |_| {
            if let Some(Ok(outcome)) = save.value().get() {
                super::backup::clear(&backup_key);
                if let Some(form) = form_ref.get_untracked() {
                    dom::set_versions(&form, &outcome.versions);
                }
            }
        });
    }
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let autosave = move || {
        if let Some(form) = form_ref.get_untracked() {
            if let Some(previous) = pending.get_value() {
                previous.clear();
            }
            let handle = set_timeout_with_handle(
                move || {
                    form.request_submit().ok();
                },
                AUTOSAVE_DELAY,
            )
            .ok();
            pending.set_value(handle);
        }
    };
    // Once, when the form is in the page: values kept from an earlier visit are put back (their
    // `change` events then show follow-up questions and start a save, as typed values would).
    {
        let backup_key = backup_key.clone();
        Effect::new(move |done: Option<bool>| {
            if done == Some(true) {
                return true;
            }
            let Some(form) = form_ref.get() else { return false };
            if editable && super::backup::restore(&form, &backup_key) {
                restored.set(true);
                autosave();
            }
            true
        });
    }
    let on_change = move |_| {
        if let Some(form) = form_ref.get_untracked() {
            super::backup::keep(&form, &backup_key);
            dom::show_only(&rules.shown(&dom::chosen(&form)), &rules);
        }
        if editable {
            autosave();
        }
    };
    view! {
        {move || outcome().map(|o| {
            let conflicts = o.conflicts.clone();
            view! {
                <Notice>{t!(i18n, assessment.saved, count = o.saved)}</Notice>
                {(!conflicts.is_empty()).then(|| view! {
                    <div class="error-summary" role="alert">
                        <h2 class="error-summary__title">{td_string!(locale, assessment.conflict_title)}</h2>
                        <ul class="error-summary__list">
                            {conflicts.into_iter().map(|c| view! {
                                <li><a href=format!("#q-{}", c.question)>{c.question.clone()}</a> ": "
                                    {t!(i18n, assessment.conflict_detail, by = c.by.clone(), theirs = c.theirs.clone(), yours = c.yours.clone())}</li>
                            }).collect_view()}
                        </ul>
                    </div>
                })}
            }
        })}
        {move || restored.get().then(|| view! { <Notice>{td_string!(locale, assessment.restored)}</Notice> })}
        <ErrorSummary error />
        <ActionForm action=save node_ref=form_ref attr:novalidate="true" on:change=on_change attr:class="section-form">
            <input type="hidden" name="id" value=id.get() />
            <input type="hidden" name="section" value=section.clone() />
            {children()}
            {editable.then(|| view! { <button type="submit" class="button">{td_string!(locale, assessment.save)}</button> })}
        </ActionForm>
    }
}

/// The form's controls as the browser holds them. On the server these do nothing: it renders
/// the form from the saved answers.
#[cfg(feature = "hydrate")]
mod dom {
    use super::ShowRules;
    use leptos::wasm_bindgen::JsCast;
    use std::collections::{BTreeMap, BTreeSet};
    use web_sys::{HtmlFormElement, HtmlInputElement};

    /// The question key of an answer control's name (`answers[<field>][…]`).
    fn question_of(name: &str) -> Option<&str> {
        let field = name.strip_prefix("answers[")?.split(']').next()?;
        crate::domain::form_key::decode(field)
    }

    /// The values of the ticked radio buttons and check boxes, per question.
    pub fn chosen(form: &HtmlFormElement) -> BTreeMap<String, Vec<String>> {
        let mut chosen: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let elements = form.elements();
        for input in (0..elements.length()).filter_map(|i| elements.item(i)?.dyn_into::<HtmlInputElement>().ok()) {
            if matches!(input.type_().as_str(), "radio" | "checkbox")
                && input.checked()
                && let Some(question) = question_of(&input.name())
            {
                chosen.entry(question.to_owned()).or_default().push(input.value());
            }
        }
        chosen
    }

    /// Shows the questions in `shown` and hides the others of the page.
    pub fn show_only(shown: &BTreeSet<String>, rules: &ShowRules) {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
        for (key, _) in &rules.questions {
            if let Some(block) = document.get_element_by_id(&format!("q-{key}")) {
                block.class_list().toggle_with_force("question--hidden", !shown.contains(key)).ok();
            }
        }
    }

    /// Writes the answer versions the server now holds into the form's hidden fields.
    pub fn set_versions(form: &HtmlFormElement, versions: &BTreeMap<String, i64>) {
        let elements = form.elements();
        for (key, version) in versions {
            let name = format!("versions[{}]", crate::domain::form_key::encode(key));
            if let Some(input) = elements.named_item(&name).and_then(|e| e.dyn_into::<HtmlInputElement>().ok()) {
                input.set_value(&version.to_string());
            }
        }
    }
}

#[cfg(not(feature = "hydrate"))]
mod dom {
    use super::ShowRules;
    use leptos::web_sys::HtmlFormElement;
    use std::collections::{BTreeMap, BTreeSet};

    pub fn chosen(_form: &HtmlFormElement) -> BTreeMap<String, Vec<String>> {
        BTreeMap::new()
    }

    pub fn show_only(_shown: &BTreeSet<String>, _rules: &ShowRules) {}

    pub fn set_versions(_form: &HtmlFormElement, _versions: &BTreeMap<String, i64>) {}
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::domain::answer::{Answer, visible};

    /// A follow-up appears when its question is ticked on this form, and follows a saved answer of
    /// another section when the question is not on the form.
    #[test]
    fn a_follow_up_follows_the_ticked_or_saved_answer() {
        let condition = |q: &str| {
            Some(Condition {
                combine: crate::domain::questionnaire::Combine::Any,
                clauses: vec![crate::domain::questionnaire::Clause { question: q.into(), equals: "yes".into() }],
            })
        };
        let rules = ShowRules {
            questions: vec![("A1".into(), None), ("A2".into(), condition("A1")), ("B1".into(), condition("Z9"))],
            outside: BTreeMap::new(),
        };
        let ticked = |v: &str| BTreeMap::from([("A1".to_owned(), vec![v.to_owned()])]);
        assert_eq!(rules.shown(&BTreeMap::new()), BTreeSet::from(["A1".to_owned()]));
        assert_eq!(rules.shown(&ticked("no")), BTreeSet::from(["A1".to_owned()]));
        assert_eq!(rules.shown(&ticked("yes")), BTreeSet::from(["A1".to_owned(), "A2".to_owned()]));
        let rules = ShowRules {
            questions: vec![("Z9".into(), None), ("B1".into(), condition("Z9"))],
            outside: BTreeMap::from([("Z9".to_owned(), vec!["yes".to_owned()])]),
        };
        assert!(rules.shown(&BTreeMap::new()).contains("B1"));
    }

    /// The browser's view of the form (ticked values) shows exactly what the server shows for the
    /// same answers, for every shipped template, with and without answers in other sections.
    #[test]
    fn the_browser_rules_show_what_the_server_shows() {
        for file in ["t1-general-compliance.toml", "t2-aeo-readiness.toml", "t3-pca-pre-visit.toml"] {
            let source =
                std::fs::read_to_string(format!("{}/templates/{file}", env!("CARGO_MANIFEST_DIR"))).expect("template");
            let template = crate::questionnaire::import::parse(&source).expect("parses");
            // Every yes/no question answered "yes", every choice its first option: conditions on
            // earlier answers then hold in some places and fail in others.
            let mut answers = Answers::new();
            for (i, (_, q)) in template.questions().enumerate() {
                let answer = match &q.kind {
                    crate::domain::questionnaire::AnswerKind::YesNo
                    | crate::domain::questionnaire::AnswerKind::YesNoNa => {
                        Some(if i % 2 == 0 { Answer::Yes } else { Answer::No })
                    }
                    crate::domain::questionnaire::AnswerKind::SingleChoice { options } => {
                        options.first().map(|o| Answer::Choice(o.key.clone()))
                    }
                    crate::domain::questionnaire::AnswerKind::MultiChoice { options } => {
                        Some(Answer::Choices(options.iter().take(2).map(|o| o.key.clone()).collect()))
                    }
                    _ => None,
                };
                if let Some(answer) = answer {
                    answers.insert(q.key.clone(), answer);
                }
            }
            for section in &template.sections {
                let rules = ShowRules::new(&template, &section.key, &answers);
                let on_form: BTreeMap<String, Vec<String>> = section
                    .questions
                    .iter()
                    .filter_map(|q| answers.get(&q.key).map(|a| (q.key.clone(), clause_values(a))))
                    .collect();
                assert_eq!(rules.shown(&on_form), visible(&template, &answers), "{file} section {}", section.key);
            }
        }
    }
}
