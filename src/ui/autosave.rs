//! A form that saves itself while the user types (an island). The fields inside it are rendered on
//! the server and passed in as children; the island adds only the background save: shortly after
//! the last change it posts the form's fields, as the browser would, to `autosave` and says what
//! happened beside the form. Without JavaScript it is the same plain form posting to `action`.
//!
//! The background post asks for JSON (`Accept: application/json`), so the server function answers
//! instead of redirecting. What the server refused is kept there for the user (the refused-form
//! stash), so a background refusal loses nothing: the next visit shows the form as typed, and the
//! Save button shows each error at its field.

use crate::i18n::*;
use leptos::prelude::*;

/// How long after the last keystroke or choice the form saves: a burst of typing makes one save.
const AUTOSAVE_DELAY: std::time::Duration = std::time::Duration::from_millis(800);

/// Where the last background save stands.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Status {
    Idle,
    Saving,
    /// Saved into the draft, shared with colleagues.
    Saved,
    /// Kept for this user only (a line not yet added).
    Kept,
    /// The server refused the values as they stand; they are kept for this user.
    Refused,
    /// No answer from the server: the values are still in the form.
    Offline,
}

/// The self-saving form. `action` takes the Save button's post (and every post without
/// JavaScript); `autosave` takes the background posts, which for a line not yet added only keeps
/// what was typed (`keeps_only`).
#[island]
pub fn AutosaveForm(
    action: String,
    autosave: String,
    class: String,
    keeps_only: bool,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let status = RwSignal::new(Status::Idle);
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let pending = StoredValue::new(None::<TimeoutHandle>);
    // Changes made while a save is on its way start another save once it is back, so the last
    // values always reach the server and two saves never race each other.
    let in_flight = StoredValue::new(false);
    let again = StoredValue::new(false);
    // The Save button pressed while a background save is on its way: the form is posted once that
    // save is back, so a late background post never lands after (and undoes) the button's.
    let submit_after = StoredValue::new(false);
    let url = StoredValue::new(autosave);
    let save_now = move || {
        let Some(form) = form_ref.get_untracked() else { return };
        if in_flight.get_value() {
            again.set_value(true);
            return;
        }
        in_flight.set_value(true);
        status.set(Status::Saving);
        leptos::task::spawn_local(async move {
            loop {
                again.set_value(false);
                let answer = browser::post(&form, &url.get_value()).await;
                if !again.get_value() {
                    status.set(match answer {
                        Some(true) if keeps_only => Status::Kept,
                        Some(true) => Status::Saved,
                        Some(false) => Status::Refused,
                        None => Status::Offline,
                    });
                    break;
                }
            }
            in_flight.set_value(false);
            if submit_after.get_value() {
                browser::submit(&form);
            }
        });
    };
    let cancel_pending = move || {
        if let Some(previous) = pending.get_value() {
            previous.clear();
        }
        pending.set_value(None);
    };
    let on_change = move |_| {
        cancel_pending();
        pending.set_value(set_timeout_with_handle(save_now, AUTOSAVE_DELAY).ok());
    };
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        cancel_pending();
        if in_flight.get_value() {
            event.prevent_default();
            submit_after.set_value(true);
        }
    };
    // Plain strings, not reactive translated views: the language changes only with a page load
    // (the switcher is a form post), and each translated view would cost the bundle kilobytes.
    let locale = i18n.get_locale_untracked();
    let message = move || match status.get() {
        Status::Idle => "",
        Status::Saving => td_string!(locale, autosave.saving),
        Status::Saved => td_string!(locale, autosave.saved),
        Status::Kept => td_string!(locale, autosave.kept),
        Status::Refused => td_string!(locale, autosave.refused),
        Status::Offline => td_string!(locale, autosave.offline),
    };
    // For browser tests and styles: where the last save stands.
    let code = move || match status.get() {
        Status::Idle => "idle",
        Status::Saving => "saving",
        Status::Saved => "saved",
        Status::Kept => "kept",
        Status::Refused => "refused",
        Status::Offline => "offline",
    };
    let line_class = move || match status.get() {
        Status::Refused | Status::Offline => "autosave autosave--problem",
        _ => "autosave",
    };
    view! {
        <form method="post" action=action class=class novalidate="true" node_ref=form_ref on:input=on_change on:change=on_change on:submit=on_submit>
            {children()}
            // A live region, not role="status": the page's own status notice stays the only one.
            <p class=line_class aria-live="polite" data-autosave=code>
                {message}
            </p>
        </form>
    }
}

/// The background post. On the server (where nothing is posted from) it does nothing.
#[cfg(feature = "hydrate")]
mod browser {
    use leptos::wasm_bindgen::JsValue;
    use web_sys::{FormData, HtmlFormElement, UrlSearchParams};

    /// Posts the form's fields URL-encoded, as the browser's own submit would, asking for JSON:
    /// `Some(true)` when the server took them, `Some(false)` when it refused, `None` without an
    /// answer (offline, server gone). It goes through gloo-net, the `fetch` wrapper the server
    /// function client already uses, so the bundle gains no second copy of that machinery.
    pub async fn post(form: &HtmlFormElement, url: &str) -> Option<bool> {
        let fields = FormData::new_with_form(form)
            .and_then(|data| UrlSearchParams::new_with_str_sequence_sequence(&JsValue::from(data)))
            .ok()?;
        let body: String = fields.to_string().into();
        let request = gloo_net::http::Request::post(url)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .body(body)
            .ok()?;
        request.send().await.ok().map(|answer| answer.ok())
    }

    /// Posts the form the browser's own way (a page load), as its Save button does.
    pub fn submit(form: &HtmlFormElement) {
        form.submit().ok();
    }
}

#[cfg(not(feature = "hydrate"))]
mod browser {
    pub async fn post(_form: &leptos::web_sys::HtmlFormElement, _url: &str) -> Option<bool> {
        None
    }

    pub fn submit(_form: &leptos::web_sys::HtmlFormElement) {}
}
