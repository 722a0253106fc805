//! The HTML shell and the route table. Pages live in their feature folders.

use crate::i18n::I18nContextProvider;
use crate::ui::layout::{Layout, NotFoundPage};
use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags, Title, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{Route, Router, Routes},
    path,
};

/// The document around every page. Runs on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    set_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <HashedStylesheet options=options.clone() id="senim" />
                <HydrationScripts options islands=true />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Sends the page's Content-Security-Policy with the nonce that hydration scripts carry.
#[cfg(feature = "ssr")]
fn set_content_security_policy() {
    if let (Some(nonce), Some(response)) = (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>())
        && let Ok(value) = http::HeaderValue::from_str(&crate::server::security::page_csp(&nonce.to_string()))
    {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

/// Pages are rendered on the server only; the browser never builds the shell.
#[cfg(not(feature = "ssr"))]
fn set_content_security_policy() {}

/// The application: translations, layout and routes. Every page renders completely on the
/// server (`SsrMode::Async`) so that it works without JavaScript; pages are server components and
/// only `#[island]`s (the section form, the idle warning, the hydration mark) run in the browser.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title text="Senim" />
        <I18nContextProvider>
            <Router>
                <Layout>
                    <Routes fallback=NotFoundPage>
                        <Route path=path!("/") view=crate::home::HomePage ssr=SsrMode::Async />
                        <Route path=path!("/sign-in") view=crate::auth::SignInPage ssr=SsrMode::Async />
                        <Route path=path!("/register") view=crate::organisation::RegisterPage ssr=SsrMode::Async />
                        <Route
                            path=path!("/invitation/:token")
                            view=crate::organisation::AcceptInvitationPage
                            ssr=SsrMode::Async
                        />
                        <Route path=path!("/account/password") view=crate::auth::ChangePasswordPage ssr=SsrMode::Async />
                        <Route path=path!("/team") view=crate::organisation::TeamPage ssr=SsrMode::Async />
                        <Route path=path!("/customs/staff") view=crate::staff::StaffPage ssr=SsrMode::Async />
                        <Route path=path!("/customs/audit") view=crate::audit::AuditLogPage ssr=SsrMode::Async />
                        <Route path=path!("/assessments") view=crate::assessment::AssessmentsPage ssr=SsrMode::Async />
                        <Route path=path!("/assessments/:id") view=crate::assessment::AssessmentPage ssr=SsrMode::Async />
                        <Route
                            path=path!("/assessments/:id/section/:section")
                            view=crate::assessment::SectionPage
                            ssr=SsrMode::Async
                        />
                        <Route path=path!("/assessments/:id/submit") view=crate::assessment::SubmitPage ssr=SsrMode::Async />
                        <Route path=path!("/assessments/:id/receipt") view=crate::assessment::ReceiptPage ssr=SsrMode::Async />
                        <Route path=path!("/disclosures") view=crate::disclosure::DisclosuresPage ssr=SsrMode::Async />
                        <Route path=path!("/findings") view=crate::finding::FindingsPage ssr=SsrMode::Async />
                        <Route path=path!("/score") view=crate::scoring::ScorePage ssr=SsrMode::Async />
                        <Route path=path!("/help/scoring-model") view=crate::scoring::ScoringModelPage ssr=SsrMode::Async />
                        <Route path=path!("/help/national-data") view=crate::national::LayoutPage ssr=SsrMode::Async />
                        <Route path=path!("/customs/scoring") view=crate::scoring::ScoringParamsPage ssr=SsrMode::Async />
                        <Route path=path!("/customs/pca") view=crate::pca::PcaPage ssr=SsrMode::Async />
                        <Route path=path!("/aeo") view=crate::aeo::AeoPage ssr=SsrMode::Async />
                        <Route path=path!("/aeo/:id") view=crate::aeo::AeoApplicationPage ssr=SsrMode::Async />
                        <Route path=path!("/aeo-register") view=crate::aeo::AeoRegisterPage ssr=SsrMode::Async />
                        <Route path=path!("/customs/aeo") view=crate::aeo::AeoQueuePage ssr=SsrMode::Async />
                        <Route path=path!("/customs/aeo/:id") view=crate::aeo::CustomsAeoPage ssr=SsrMode::Async />
                        <Route path=path!("/customs/dashboard") view=crate::dashboard::DashboardPage ssr=SsrMode::Async />
                        <Route
                            path=path!("/customs/national-data")
                            view=crate::national::NationalDataPage
                            ssr=SsrMode::Async
                        />
                        <Route path=path!("/help/disclosure-csv") view=crate::disclosure::CsvLayoutPage ssr=SsrMode::Async />
                        <Route path=path!("/disclosures/:id") view=crate::disclosure::DisclosurePage ssr=SsrMode::Async />
                        <Route path=path!("/customs/disclosures") view=crate::disclosure::DisclosureQueuePage ssr=SsrMode::Async />
                        <Route
                            path=path!("/customs/disclosures/:id")
                            view=crate::disclosure::CustomsDisclosurePage
                            ssr=SsrMode::Async
                        />
                        <Route path=path!("/customs/reviews") view=crate::review::ReviewQueuePage ssr=SsrMode::Async />
                        <Route path=path!("/customs/reviews/:id") view=crate::review::ReviewPage ssr=SsrMode::Async />
                        <Route path=path!("/customs/traders") view=crate::trader::TradersPage ssr=SsrMode::Async />
                        <Route path=path!("/customs/traders/:id") view=crate::trader::TraderPage ssr=SsrMode::Async />
                        <Route path=path!("/customs/templates") view=crate::questionnaire::TemplatesPage ssr=SsrMode::Async />
                        <Route
                            path=path!("/customs/templates/:id")
                            view=crate::questionnaire::TemplatePage
                            ssr=SsrMode::Async
                        />
                    </Routes>
                </Layout>
            </Router>
        </I18nContextProvider>
    }
}
