//! Voluntary disclosures: a trader discloses its own customs errors line by line with exact money,
//! and customs decides voluntariness per line against its notified control cases, reviews, decides
//! and tracks payment. The pure rules (lifecycle, voluntariness, line arithmetic, interest,
//! declaration numbers) live in `domain`; this feature holds the administration's rules file so far.

#[cfg(feature = "ssr")]
pub mod rules;
