//! AEO applications and certificates (issue 11): a trader applies for an authorised economic
//! operator certificate on its submitted T2 self-assessment, with the checklist of the chosen
//! type's conditions pre-filled from it; customs accepts, examines condition by condition (with
//! information requests that pause the clock and site visits), hears the trader before an adverse
//! outcome, proposes and decides under four eyes, and issues, suspends, reinstates and revokes the
//! certificate; holders who consent are listed in the public register. The rules are the pure
//! `domain::aeo` under the deployment's configuration (`Config::aeo`). Every step is audit-logged.

pub(crate) mod api;
#[cfg(feature = "ssr")]
pub(crate) mod db;
#[cfg(feature = "ssr")]
pub(crate) mod evidence;
mod pages;
#[cfg(feature = "ssr")]
pub(crate) mod service;
#[cfg(all(test, feature = "ssr"))]
mod tests;

pub use api::{
    AeoApplication, AeoMonitoring, AeoOfTrader, AeoOverview, AeoQueue, AeoReceipt, AeoRegister, AnswerAeoHearing,
    AnswerAeoRequest, ApplicationSummary, ApplicationView, CertificateView, ConditionForm, ConditionView, ContactForm,
    ContactView, CreateAeo, DecisionView, EvidenceView, ExtensionView, HearingView, InspectAeo, MyAeo, ProposalView,
    RecordAeoVerdict, RegisterEntry, RemoveAeoEvidence, ReportAeoVisit, RequestAeoInfo, RequestView, SaveAeo,
    ScheduleAeoVisit, SiteForm, SiteView, StepAeo, SubmitAeo, VisitFindingForm, VisitView, WithdrawAeo,
};
pub use pages::{
    AeoApplicationPage, AeoNotice, AeoPage, AeoQueuePage, AeoRegisterPage, AeoTraderPanel, CustomsAeoPage, status_text,
};
