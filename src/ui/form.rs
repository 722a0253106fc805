//! Form building blocks in the GOV.UK manner: an error summary at the top, a message at each
//! field, labels always visible.

use super::messages::{code_text, error_text};
use crate::error::AppError;
use crate::i18n::*;
use leptos::prelude::*;

/// The box at the top of a form listing what went wrong, each field error linking to its field.
#[component]
pub fn ErrorSummary(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        error.get().map(|error| {
            let locale = i18n.get_locale();
            let items = error
                .field_errors()
                .iter()
                .map(|f| {
                    let href = format!("#{}", f.field);
                    view! { <li><a href=href>{summary_line(locale, &f.field, f.code)}</a></li> }
                })
                .collect_view();
            view! {
                <div class="error-summary" role="alert" tabindex="-1">
                    <h2 class="error-summary__title">{error_text(locale, &error)}</h2>
                    <ul class="error-summary__list">{items}</ul>
                </div>
            }
        })
    }
}

/// A summary line names where the problem is when the field is a question (`q-<key>`: "1.1: …")
/// or a table cell (`q-<key>-r<row>-c<column>`: "3.2: Row 2, column 3: …"), so a long section's
/// summary says which answer to fix without following the link.
fn summary_line(locale: Locale, field: &str, code: crate::domain::validation::ErrorCode) -> String {
    use crate::domain::answer::{Spot, parse_error_field};
    let message = code_text(locale, code);
    match parse_error_field(field) {
        Some((key, Spot::Cell { row, column })) => {
            let at = td_string!(locale, errors.cell_at)
                .replace("{row}", &(row + 1).to_string())
                .replace("{column}", &(column + 1).to_string())
                .replace("{message}", &message);
            format!("{key}: {at}")
        }
        Some((key, Spot::Whole)) => format!("{key}: {message}"),
        None => message,
    }
}

/// A labelled input. The children are the label text; the field shows its own error, if any.
#[component]
pub fn Field(
    /// The input's `name` and `id`; must match the server function argument.
    name: &'static str,
    /// The input type.
    #[prop(default = "text")]
    kind: &'static str,
    /// The `autocomplete` hint.
    #[prop(default = "off")]
    autocomplete: &'static str,
    /// An initial value.
    #[prop(optional, into)]
    value: String,
    /// Whether the field must be filled.
    #[prop(optional)]
    required: bool,
    /// The form's last error.
    #[prop(into)]
    error: Signal<Option<AppError>>,
    /// Label text.
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let message = move || {
        error.get().and_then(|e| {
            e.field_errors().iter().find(|f| f.field == name).map(|f| code_text(i18n.get_locale(), f.code))
        })
    };
    let error_id = format!("{name}-error");
    let has_error = move || message().is_some();
    view! {
        <div class="field" class:field--error=has_error>
            <label class="field__label" for=name>{children()}</label>
            {move || message().map(|m| view! { <p class="field__error" id=error_id.clone()>{m}</p> })}
            <input
                class="field__input"
                id=name
                name=name
                type=kind
                autocomplete=autocomplete
                value=value
                required=required
                aria-invalid=move || if has_error() { "true" } else { "false" }
            />
        </div>
    }
}

/// The message above one field of a hand-built form when `error` refused it, in the reader's
/// language (forms built from [`Field`] get theirs from it).
pub fn field_message(error: Signal<Option<AppError>>, field: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        error.get().and_then(|e| {
            e.field_errors()
                .iter()
                .find(|f| f.field == field)
                .map(|f| view! { <p class="field__error">{code_text(i18n.get_locale(), f.code)}</p> })
        })
    }
}

/// A success notice after a completed action.
#[component]
pub fn Notice(children: Children) -> impl IntoView {
    view! { <div class="notice" role="status">{children()}</div> }
}

/// The last error of a server action, as a signal for forms.
pub fn action_error<I, O>(action: ServerAction<I>) -> Signal<Option<AppError>>
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(Result::err))
}

/// Percent-encodes a value for a URL query (everything but unreserved characters).
pub fn url_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
