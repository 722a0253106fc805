//! Shared presentational pieces: the page layout, form fields, error summaries and the
//! translation of error codes. No server functions and no business rules live here.

pub mod autosave;
pub mod doc;
pub mod form;
pub mod layout;
pub mod messages;

#[cfg(test)]
mod glossary_tests;

use crate::domain::language::Language;
use crate::i18n::Locale;

/// The i18n locale for a language.
pub fn locale_of(language: Language) -> Locale {
    match language {
        Language::Kk => Locale::kk,
        Language::Ru => Locale::ru,
        Language::En => Locale::en,
    }
}

/// The language for an i18n locale.
pub fn language_of(locale: Locale) -> Language {
    match locale {
        Locale::kk => Language::Kk,
        Locale::ru => Language::Ru,
        Locale::en => Language::En,
    }
}

/// Sets the HTTP status of the page being rendered on the server (a no-op in the browser).
#[cfg(feature = "ssr")]
pub fn set_http_status(code: u16) {
    if let (Some(options), Ok(status)) =
        (leptos::prelude::use_context::<leptos_axum::ResponseOptions>(), http::StatusCode::from_u16(code))
    {
        options.set_status(status);
    }
}

/// Sets the HTTP status of the page being rendered on the server (a no-op in the browser).
#[cfg(not(feature = "ssr"))]
pub fn set_http_status(_code: u16) {}
