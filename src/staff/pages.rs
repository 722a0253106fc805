//! The customs staff page.

use super::api::get_staff;
use crate::domain::role::Role;
use crate::i18n::*;
use crate::organisation::MembersTable;
use crate::organisation::TeamActions;
use crate::ui::layout::ErrorPanel;
use leptos::prelude::*;

/// Customs staff accounts and invitations. Customs administrators only; everyone else gets a
/// clear refusal from the server.
#[component]
pub fn StaffPage() -> impl IntoView {
    let i18n = use_i18n();
    let actions = TeamActions::new();
    let staff = Resource::new(move || actions.version(), |_| get_staff());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match staff.await {
                    Ok(team) => view! {
                        <h1>{t!(i18n, staff.title)}</h1>
                        <p class="lead">{t!(i18n, staff.lead)}</p>
                        <MembersTable team actions roles=Role::CUSTOMS />
                    }.into_any(),
                    Err(error) => view! { <ErrorPanel error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
