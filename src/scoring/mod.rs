//! Compliance scores: one explainable score and tier per trader (`domain::compliance`, model v1,
//! docs/scoring-model.md) from its reviewed self-assessments, findings, accepted disclosures and
//! the national data (debts, statistics), under a versioned parameter set a supervisor publishes
//! after an impact preview. A trader's score is recomputed whenever one of its inputs changes
//! (requests written with the change, drained by a worker), and every trader's on demand and
//! nightly; the first full rescore of a month takes the monthly snapshot that the stability rules
//! compare. Score events are append-only. Traders see their own score with every rule and hint;
//! customs sees every trader's.

pub(crate) mod api;
#[cfg(feature = "ssr")]
pub(crate) mod db;
mod pages;
#[cfg(feature = "ssr")]
pub(crate) mod service;
#[cfg(all(test, feature = "ssr"))]
mod tests;

pub use api::{
    ConfirmTierA, ImpactView, ImportParams, ListParamSets, MyScore, ParamSetView, PreviewParams, PublishParams,
    RescoreAll, RescoreSummary, ScoreView, TraderScore,
};
pub use pages::{ScorePage, ScorePanel, ScoringModelPage, ScoringParamsPage, tier_text};
