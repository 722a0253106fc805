//! The sign-in and change-password pages.

use super::api::{ChangePassword, SignIn};
use crate::i18n::*;
use crate::ui::form::{ErrorSummary, Field, Notice, action_error};
use crate::ui::layout::{ErrorPanel, Site};
use leptos::prelude::*;
use leptos_router::components::A;

/// Sign in with e-mail and password.
#[component]
pub fn SignInPage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SignIn>::new();
    let error = action_error(action);
    view! {
        <div class="narrow">
            <h1>{t!(i18n, auth.sign_in_title)}</h1>
            <ErrorSummary error />
            <ActionForm action attr:novalidate="true">
                <Field name="email" kind="email" autocomplete="username" required=true error>
                    {t!(i18n, auth.email)}
                </Field>
                <Field name="password" kind="password" autocomplete="current-password" required=true error>
                    {t!(i18n, auth.password)}
                </Field>
                <button type="submit" class="button">{t!(i18n, auth.sign_in_button)}</button>
            </ActionForm>
            <p>{t!(i18n, auth.no_account)} " " <A href="/register">{t!(i18n, nav.register)}</A></p>
        </div>
    }
}

/// Change one's own password.
#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let site = expect_context::<Site>();
    let action = ServerAction::<ChangePassword>::new();
    let error = action_error(action);
    let query = leptos_router::hooks::use_query_map();
    let done = move || matches!(action.value().get(), Some(Ok(()))) || query.read().get("changed").is_some();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let signed_in = site.0.await.ok().and_then(|i| i.viewer).is_some();
                if !signed_in {
                    return view! { <ErrorPanel error=crate::error::AppError::Unauthenticated /> }.into_any();
                }
                view! {
                    <div class="narrow">
                        <h1>{t!(i18n, auth.change_password_title)}</h1>
                        {move || done().then(|| view! { <Notice>{t!(i18n, auth.password_changed)}</Notice> })}
                        <ErrorSummary error />
                        <ActionForm action attr:novalidate="true">
                            <Field name="current_password" kind="password" autocomplete="current-password" required=true error>
                                {t!(i18n, auth.current_password)}
                            </Field>
                            <p class="hint">{t!(i18n, auth.password_rules)}</p>
                            <Field name="new_password" kind="password" autocomplete="new-password" required=true error>
                                {t!(i18n, auth.new_password)}
                            </Field>
                            <Field name="confirm_password" kind="password" autocomplete="new-password" required=true error>
                                {t!(i18n, auth.confirm_password)}
                            </Field>
                            <button type="submit" class="button">{t!(i18n, auth.change_password_button)}</button>
                        </ActionForm>
                    </div>
                }
                .into_any()
            })}
        </Suspense>
    }
}
