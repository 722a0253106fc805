//! The frame around every page: header with role-aware navigation, language switcher, the demo
//! banner, the inactivity warning, and the signed-in state shared with pages.
//!
//! All of it is rendered on the server. Forms here (language, sign out) are plain posts that the
//! server answers with a redirect back. Two islands run in the browser: the idle-session warning
//! and the hydration mark.

use crate::auth::{KeepAlive, SetLanguage, SignOut, SiteInfo, Viewer, get_site_info};
use crate::domain::{language::Language, role::Role};
use crate::i18n::*;
use crate::ui::{language_of, set_http_status};
use leptos::prelude::*;
use leptos_router::components::A;

/// The current site info (viewer, demo flag) of this request.
#[derive(Clone, Copy)]
pub struct Site(pub Resource<Result<SiteInfo, crate::error::AppError>>);

impl Site {
    /// The signed-in viewer, once loaded. `None` also when the page's reactive owner is already
    /// gone (a render cut short because the browser went away): a read then must not panic.
    pub fn viewer(&self) -> Option<Viewer> {
        self.0.try_get().flatten().and_then(Result::ok).and_then(|info| info.viewer)
    }
}

/// Wraps every page.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let site = Resource::new(|| (), |_| get_site_info());
    provide_context(Site(site));
    view! {
        <a class="skip-link" href="#main">{t!(i18n, layout.skip_to_content)}</a>
        <header class="header">
            <div class="header__inner">
                <A href="/" attr:class="header__brand">
                    "Senim"
                    <span class="header__tagline">{t!(i18n, layout.tagline)}</span>
                </A>
                <LanguageSwitcher />
            </div>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let info = site.await.ok();
                    let demo = info.as_ref().is_some_and(|i| i.demo);
                    let viewer = info.and_then(|i| i.viewer);
                    view! {
                        {demo.then(|| view! { <div class="demo-banner" role="note">{t!(i18n, layout.demo_banner)}</div> })}
                        <Nav viewer=viewer.clone() />
                        {viewer.map(|v| view! { <IdleWarning seconds_left=v.idle_seconds_left /> })}
                    }
                })}
            </Suspense>
        </header>
        <main id="main" class="main">{children()}</main>
        <footer class="footer">{t!(i18n, layout.footer)}</footer>
        <HydrationMark />
    }
}

/// Marks the page once the browser has made its islands interactive: browser tests wait for it
/// before they click. Last on the page, so the islands before it are hydrated first.
#[island]
fn HydrationMark() -> impl IntoView {
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            body.set_attribute("data-hydrated", "true").ok();
        }
    });
}

#[component]
fn LanguageSwitcher() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SetLanguage>::new();
    let buttons = Language::ALL
        .into_iter()
        .map(|lang| {
            let current = move || language_of(i18n.get_locale()) == lang;
            view! {
                <ActionForm action attr:class="lang-switch__form">
                    <input type="hidden" name="language" value=lang.code() />
                    <button
                        type="submit"
                        class="lang-switch__button"
                        lang=lang.code()
                        aria-current=move || if current() { "true" } else { "false" }
                    >
                        {lang.endonym()}
                    </button>
                </ActionForm>
            }
        })
        .collect_view();
    view! {
        <nav class="lang-switch" aria-label=move || td_string!(i18n.get_locale(), layout.language).to_string()>
            {buttons}
        </nav>
    }
}

#[component]
fn Nav(viewer: Option<Viewer>) -> impl IntoView {
    let i18n = use_i18n();
    let sign_out = ServerAction::<SignOut>::new();
    let Some(viewer) = viewer else {
        return view! {
            <nav class="nav" aria-label="main">
                <A href="/sign-in">{t!(i18n, nav.sign_in)}</A>
                <A href="/register">{t!(i18n, nav.register)}</A>
            </nav>
        }
        .into_any();
    };
    let role = viewer.role;
    let is_trader = Role::TRADER.contains(&role);
    let customs = !is_trader;
    let staff = role == Role::CustomsAdmin;
    let audit = matches!(role, Role::CustomsAdmin | Role::Supervisor);
    let importer = audit;
    let role_name = move || crate::ui::messages::role_text(i18n.get_locale(), role);
    view! {
        <nav class="nav" aria-label="main">
            <A href="/">{t!(i18n, nav.home)}</A>
            {is_trader.then(|| view! { <A href="/assessments">{t!(i18n, nav.assessments)}</A> })}
            {is_trader.then(|| view! { <A href="/disclosures">{t!(i18n, nav.disclosures)}</A> })}
            {is_trader.then(|| view! { <A href="/findings">{t!(i18n, nav.findings)}</A> })}
            {is_trader.then(|| view! { <A href="/score">{t!(i18n, nav.score)}</A> })}
            {is_trader.then(|| view! { <A href="/aeo">{t!(i18n, nav.aeo)}</A> })}
            {is_trader.then(|| view! { <A href="/team">{t!(i18n, nav.team)}</A> })}
            {staff.then(|| view! { <A href="/customs/staff">{t!(i18n, nav.staff)}</A> })}
            {customs.then(|| view! { <A href="/customs/reviews">{t!(i18n, nav.reviews)}</A> })}
            {customs.then(|| view! { <A href="/customs/disclosures">{t!(i18n, nav.disclosures)}</A> })}
            {customs.then(|| view! { <A href="/customs/traders">{t!(i18n, nav.traders)}</A> })}
            {customs.then(|| view! { <A href="/customs/templates">{t!(i18n, nav.templates)}</A> })}
            {customs.then(|| view! { <A href="/customs/dashboard">{t!(i18n, nav.dashboard)}</A> })}
            {customs.then(|| view! { <A href="/customs/pca">{t!(i18n, nav.pca)}</A> })}
            {customs.then(|| view! { <A href="/customs/aeo">{t!(i18n, nav.aeo)}</A> })}
            {customs.then(|| view! { <A href="/customs/scoring">{t!(i18n, nav.scoring)}</A> })}
            {importer.then(|| view! { <A href="/customs/national-data">{t!(i18n, nav.national_data)}</A> })}
            {audit.then(|| view! { <A href="/customs/audit">{t!(i18n, nav.audit)}</A> })}
            <A href="/account/password">{t!(i18n, nav.password)}</A>
            <span class="nav__user">
                <span class="nav__name">{viewer.name.clone()}</span>
                " · "
                <span class="nav__role">{role_name}</span>
                {viewer.org_name.clone().map(|o| view! { " · " <span class="nav__org">{o}</span> })}
            </span>
            <ActionForm action=sign_out attr:class="nav__signout">
                <button type="submit" class="button button--link">{t!(i18n, nav.sign_out)}</button>
            </ActionForm>
        </nav>
    }
    .into_any()
}

/// Warns two minutes before the session ends for inactivity and offers to extend it. Without
/// JavaScript there is no timer; the session simply ends and the next page asks to sign in.
#[island]
fn IdleWarning(seconds_left: i64) -> impl IntoView {
    // Plain strings (see `SectionForm`): the language changes only with a page load.
    let locale = use_i18n().get_locale_untracked();
    let keep_alive = ServerAction::<KeepAlive>::new();
    let show = RwSignal::new(false);
    Effect::new(move |_| {
        let left = keep_alive.value().get().and_then(Result::ok).unwrap_or(seconds_left);
        show.set(false);
        let delay = u64::try_from((left - 120).max(0)).unwrap_or(0);
        let handle = set_timeout_with_handle(move || show.set(true), std::time::Duration::from_secs(delay));
        on_cleanup(move || {
            if let Ok(handle) = handle {
                handle.clear();
            }
        });
    });
    move || {
        show.get().then(|| {
            view! {
                <div class="idle-warning" role="alertdialog" aria-live="assertive">
                    <p>{td_string!(locale, layout.idle_warning)}</p>
                    <ActionForm action=keep_alive>
                        <button type="submit" class="button">{td_string!(locale, layout.stay_signed_in)}</button>
                    </ActionForm>
                </div>
            }
        })
    }
}

/// Shown for any unknown address.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    let i18n = use_i18n();
    set_http_status(404);
    view! {
        <h1>{t!(i18n, errors.page_not_found_title)}</h1>
        <p>{t!(i18n, errors.page_not_found)}</p>
        <p><A href="/">{t!(i18n, nav.home)}</A></p>
    }
}

/// A full-page explanation when a page's data cannot be shown: sign in, not allowed, not found.
#[component]
pub fn ErrorPanel(error: crate::error::AppError) -> impl IntoView {
    let i18n = use_i18n();
    set_http_status(error.status_code());
    let sign_in = matches!(error, crate::error::AppError::Unauthenticated);
    view! {
        <div class="panel panel--error" role="alert">
            <h1>{move || crate::ui::messages::error_text(i18n.get_locale(), &error)}</h1>
            {sign_in.then(|| view! { <p><A href="/sign-in">{t!(i18n, nav.sign_in)}</A></p> })}
        </div>
    }
}
