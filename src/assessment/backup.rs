//! Typed answers kept in the browser until the server has them, so a lost connection or an
//! expired session loses nothing. With JavaScript every change of a section form is written to
//! `localStorage` and cleared once a save succeeds; on the next visit to the section the kept
//! values are put back into the form, which then saves them. The kept answer versions travel too,
//! so a colleague's newer answer is never silently overwritten: the save reports a conflict.
//! Without JavaScript there is nothing to keep (each form post saves at once); on the server these
//! functions do nothing.

#[cfg(not(feature = "hydrate"))]
use leptos::web_sys::HtmlFormElement;

/// The storage key of one section of one assessment.
pub fn key(assessment: crate::domain::id::AssessmentId, section: &str) -> String {
    format!("senim.unsaved.{assessment}.{section}")
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::wasm_bindgen::JsCast;
    use web_sys::{HtmlFormElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement, Storage};

    fn storage() -> Option<Storage> {
        web_sys::window()?.local_storage().ok().flatten()
    }

    /// Each named control as (element, name): inputs, selects and text areas.
    fn controls(form: &HtmlFormElement) -> Vec<web_sys::Element> {
        let elements = form.elements();
        (0..elements.length()).filter_map(|i| elements.item(i)).collect()
    }

    /// Writes the form's current values under `key`.
    pub fn keep(form: &HtmlFormElement, key: &str) {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for element in controls(form) {
            if let Some(input) = element.dyn_ref::<HtmlInputElement>() {
                let kind = input.type_();
                let chosen = !matches!(kind.as_str(), "radio" | "checkbox") || input.checked();
                if kind != "file" && kind != "submit" && !input.name().is_empty() && chosen {
                    pairs.push((input.name(), input.value()));
                }
            } else if let Some(select) = element.dyn_ref::<HtmlSelectElement>() {
                pairs.push((select.name(), select.value()));
            } else if let Some(area) = element.dyn_ref::<HtmlTextAreaElement>() {
                pairs.push((area.name(), area.value()));
            }
        }
        if let (Some(storage), Ok(json)) = (storage(), serde_json::to_string(&pairs)) {
            storage.set_item(key, &json).ok();
        }
    }

    /// Forgets what was kept under `key`.
    pub fn clear(key: &str) {
        if let Some(storage) = storage() {
            storage.remove_item(key).ok();
        }
    }

    /// Puts one kept value back into its control.
    type Change = Box<dyn Fn()>;

    /// Puts kept values back into the form when they differ from what it shows (the saved
    /// answers); returns whether anything was put back. A copy that matches is simply dropped.
    pub fn restore(form: &HtmlFormElement, key: &str) -> bool {
        let Some(json) = storage().and_then(|s| s.get_item(key).ok().flatten()) else { return false };
        let Ok(pairs) = serde_json::from_str::<Vec<(String, String)>>(&json) else {
            clear(key);
            return false;
        };
        let kept = |name: &str| pairs.iter().filter(|(n, _)| n == name).map(|(_, v)| v.clone()).collect::<Vec<_>>();
        // (apply, differs, control): each control's change, and whether it changes an answer.
        let mut changes: Vec<(Change, bool, web_sys::Element)> = Vec::new();
        for element in controls(form) {
            if let Some(input) = element.dyn_ref::<HtmlInputElement>() {
                let (name, kind) = (input.name(), input.type_());
                let values = kept(&name);
                let answer = !name.starts_with("versions[");
                match kind.as_str() {
                    "file" | "submit" => {}
                    "radio" | "checkbox" => {
                        let checked = values.contains(&input.value());
                        let differs = answer && checked != input.checked();
                        let input = input.clone();
                        changes.push((Box::new(move || input.set_checked(checked)), differs, element.clone()));
                    }
                    _ => {
                        if let Some(value) = values.into_iter().next() {
                            let differs = answer && value != input.value();
                            let input = input.clone();
                            changes.push((Box::new(move || input.set_value(&value)), differs, element.clone()));
                        }
                    }
                }
            } else if let Some(select) = element.dyn_ref::<HtmlSelectElement>() {
                if let Some(value) = kept(&select.name()).into_iter().next() {
                    let differs = value != select.value();
                    let select = select.clone();
                    changes.push((Box::new(move || select.set_value(&value)), differs, element.clone()));
                }
            } else if let Some(area) = element.dyn_ref::<HtmlTextAreaElement>()
                && let Some(value) = kept(&area.name()).into_iter().next()
            {
                let differs = value != area.value();
                let area = area.clone();
                changes.push((Box::new(move || area.set_value(&value)), differs, element.clone()));
            }
        }
        if !changes.iter().any(|(_, differs, _)| *differs) {
            clear(key);
            return false;
        }
        for (apply, _, _) in &changes {
            apply();
        }
        // The page reacts to put-back values as to typed ones (conditional questions appear, the
        // form autosaves): a bubbling `change` per control that changed.
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        for (_, differs, element) in &changes {
            if *differs && let Ok(event) = web_sys::Event::new_with_event_init_dict("change", &init) {
                element.dispatch_event(&event).ok();
            }
        }
        true
    }
}

#[cfg(feature = "hydrate")]
pub use browser::{clear, keep, restore};

/// Writes the form's current values under `key` (browser only).
#[cfg(not(feature = "hydrate"))]
pub fn keep(_form: &HtmlFormElement, _key: &str) {}

/// Forgets what was kept under `key` (browser only).
#[cfg(not(feature = "hydrate"))]
pub fn clear(_key: &str) {}

/// Puts kept values back into the form (browser only); returns whether there were any.
#[cfg(not(feature = "hydrate"))]
pub fn restore(_form: &HtmlFormElement, _key: &str) -> bool {
    false
}
