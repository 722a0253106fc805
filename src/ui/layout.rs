//! The frame around every page: header with role-aware navigation, language switcher, the demo
//! banner, the inactivity warning, and the signed-in state shared with pages.

use crate::auth::{KeepAlive, SetLanguage, SignOut, SiteInfo, Viewer, get_site_info};
use crate::domain::{language::Language, role::Role};
use crate::i18n::*;
use crate::ui::{language_of, locale_of, set_http_status};
use leptos::prelude::*;
use leptos_router::components::A;

/// Bumped whenever a page's action may have changed who is signed in (sign-in, registration,
/// accepting an invitation), so the layout reloads the viewer. Page actions must live inside the
/// routes: only there do they see errors passed back in the URL after a no-JavaScript post.
#[derive(Clone, Copy)]
pub struct SessionChanged(RwSignal<u32>);

/// Makes the layout reload the viewer each time `action` completes.
pub fn refresh_session_after<S>(action: ServerAction<S>)
where
    S: leptos::server_fn::ServerFn + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
    S::Error: Clone + Send + Sync + 'static,
{
    let changed = expect_context::<SessionChanged>();
    Effect::new(move |previous: Option<usize>| {
        let version = action.version().get();
        if previous.is_some_and(|p| p != version) {
            changed.0.update(|n| *n += 1);
        }
        version
    });
}

/// The current site info (viewer, demo flag), refreshed after session actions.
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
    let changed = SessionChanged(RwSignal::new(0));
    provide_context(changed);
    let sign_out = ServerAction::<SignOut>::new();
    let set_language = ServerAction::<SetLanguage>::new();
    let keep_alive = ServerAction::<KeepAlive>::new();
    let site = Resource::new(
        move || (changed.0.get(), sign_out.version().get(), set_language.version().get(), keep_alive.version().get()),
        |_| get_site_info(),
    );
    provide_context(Site(site));

    // Effects run only in the browser, after hydration: browser tests wait for this marker.
    Effect::new(move |_| {
        if let Some(body) = document().body() {
            body.set_attribute("data-hydrated", "true").ok();
        }
    });
    // A saved language wins over the browser's once the user is known.
    Effect::new(move |_| {
        if let Some(Ok(SiteInfo { viewer: Some(Viewer { language: Some(lang), .. }), .. })) = site.get()
            && language_of(i18n.get_locale_untracked()) != lang
        {
            i18n.set_locale(locale_of(lang));
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(lang)) = set_language.value().get() {
            i18n.set_locale(locale_of(lang));
        }
    });

    view! {
        <a class="skip-link" href="#main">{t!(i18n, layout.skip_to_content)}</a>
        <header class="header">
            <div class="header__inner">
                <A href="/" attr:class="header__brand">
                    "Senim"
                    <span class="header__tagline">{t!(i18n, layout.tagline)}</span>
                </A>
                <LanguageSwitcher action=set_language />
            </div>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let info = site.await.ok();
                    let demo = info.as_ref().is_some_and(|i| i.demo);
                    let viewer = info.and_then(|i| i.viewer);
                    view! {
                        {demo.then(|| view! { <div class="demo-banner" role="note">{t!(i18n, layout.demo_banner)}</div> })}
                        <Nav viewer=viewer.clone() sign_out />
                        {viewer.map(|v| view! { <IdleWarning seconds_left=v.idle_seconds_left keep_alive /> })}
                    }
                })}
            </Suspense>
        </header>
        <main id="main" class="main">{children()}</main>
        <footer class="footer">{t!(i18n, layout.footer)}</footer>
    }
}

#[component]
fn LanguageSwitcher(action: ServerAction<SetLanguage>) -> impl IntoView {
    let i18n = use_i18n();
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
fn Nav(viewer: Option<Viewer>, sign_out: ServerAction<SignOut>) -> impl IntoView {
    let i18n = use_i18n();
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
    let role_name = move || crate::ui::messages::role_text(i18n.get_locale(), role);
    view! {
        <nav class="nav" aria-label="main">
            <A href="/">{t!(i18n, nav.home)}</A>
            {is_trader.then(|| view! { <A href="/assessments">{t!(i18n, nav.assessments)}</A> })}
            {is_trader.then(|| view! { <A href="/team">{t!(i18n, nav.team)}</A> })}
            {staff.then(|| view! { <A href="/customs/staff">{t!(i18n, nav.staff)}</A> })}
            {customs.then(|| view! { <A href="/customs/reviews">{t!(i18n, nav.reviews)}</A> })}
            {customs.then(|| view! { <A href="/customs/traders">{t!(i18n, nav.traders)}</A> })}
            {customs.then(|| view! { <A href="/customs/templates">{t!(i18n, nav.templates)}</A> })}
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
#[component]
fn IdleWarning(seconds_left: i64, keep_alive: ServerAction<KeepAlive>) -> impl IntoView {
    let i18n = use_i18n();
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
                    <p>{t!(i18n, layout.idle_warning)}</p>
                    <ActionForm action=keep_alive>
                        <button type="submit" class="button">{t!(i18n, layout.stay_signed_in)}</button>
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
