//! Tier stability (§7.5 item 10) and the impact preview of a new parameter set (item 12).
//!
//! The score is recomputed whenever an input changes, but the **published** tier (the one that
//! drives treatment) moves by these rules, so one good month cannot buy tier A and one bad
//! recompute does not whipsaw a trader:
//! - a gate downgrades to E at once, on any recompute;
//! - any other downgrade waits for the next monthly snapshot (it takes effect at that one);
//! - an upgrade needs two consecutive monthly snapshots whose raw tiers are both at least the new
//!   tier (the worse of the two is granted);
//! - a trader's first tier A also needs a supervisor's confirmation (the BRR+ countersign); until
//!   then the published tier stops at B with A pending;
//! - a trader without any published tier starts at its raw tier, except that A counts as an
//!   upgrade from B (so it goes through the two rules above).

use super::{Score, Tier};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Month index of a day (year × 12 + month − 1), to tell consecutive snapshots apart.
pub fn month_index(day: i64) -> i64 {
    let (y, m, _) = crate::domain::time::civil_from_days(day);
    y * 12 + i64::from(m) - 1
}

/// A stored monthly snapshot's part in the rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    /// [`month_index`] of the snapshot.
    pub month: i64,
    /// The tier the score gave.
    pub raw: Tier,
    /// The tier published after the rules.
    pub published: Tier,
}

/// What triggered the decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Trigger {
    /// An input changed between snapshots: only gates move the published tier.
    Recompute,
    /// The monthly snapshot of this [`month_index`].
    Snapshot { month: i64 },
}

/// How the published tier moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Change {
    /// First publication.
    Initial,
    Unchanged,
    Upgrade,
    Downgrade,
    /// Downgraded to E at once by a gate.
    GateDowngrade,
}

/// A better tier the score shows but the rules do not grant yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pending {
    pub tier: Tier,
    /// Waits for a further consecutive monthly snapshot at that tier.
    pub second_snapshot: bool,
    /// Waits for a supervisor's confirmation (first tier A).
    pub confirmation: bool,
}

/// The decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub raw: Tier,
    pub published: Tier,
    pub change: Change,
    pub pending: Option<Pending>,
}

/// Applies the stability rules. `history` holds the trader's monthly snapshots, oldest first;
/// `confirmed_a` says a supervisor confirmed tier A for this trader.
pub fn decide(history: &[Snapshot], score: &Score, trigger: Trigger, confirmed_a: bool) -> Decision {
    let raw = score.tier;
    let gated = !score.gates.is_empty();
    let had_a = history.iter().any(|s| s.published == Tier::A);
    // The best tier granted an upgrade to `target` (A stops at B until confirmed the first time).
    let grant = |target: Tier| if target == Tier::A && !had_a && !confirmed_a { Tier::B } else { target };
    let Some(last) = history.last() else {
        let published = if raw == Tier::A { Tier::B } else { raw };
        let pending = (published > raw).then_some(Pending {
            tier: raw,
            second_snapshot: true,
            confirmation: raw == Tier::A && !had_a && !confirmed_a,
        });
        return Decision { raw, published, change: Change::Initial, pending };
    };
    let current = last.published;
    if gated && raw > current {
        return Decision { raw, published: raw, change: Change::GateDowngrade, pending: None };
    }
    let (published, change, second_snapshot) = match trigger {
        Trigger::Recompute => (current, Change::Unchanged, raw < current),
        Trigger::Snapshot { month } => {
            if raw > current {
                (raw, Change::Downgrade, false)
            } else if raw < current {
                let consecutive = last.month == month - 1;
                // The worse of this and the previous raw tier, if both beat the current one.
                let target = if consecutive { raw.max(last.raw) } else { current };
                let granted = if target < current { grant(target).min(current) } else { current };
                let change = if granted < current { Change::Upgrade } else { Change::Unchanged };
                (granted, change, !consecutive || last.raw > raw)
            } else {
                (current, Change::Unchanged, false)
            }
        }
    };
    let pending = (raw < published).then_some(Pending {
        tier: raw,
        second_snapshot,
        confirmation: raw == Tier::A && !had_a && !confirmed_a,
    });
    Decision { raw, published, change, pending }
}

/// One from → to movement and how many traders make it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Move {
    pub from: Tier,
    pub to: Tier,
    pub count: usize,
}

/// One trader whose tier a new parameter set would change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mover<K> {
    pub trader: K,
    pub from: Tier,
    pub to: Tier,
    pub from_bp: u32,
    pub to_bp: u32,
}

/// What publishing a new parameter set would do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Impact<K> {
    pub traders: usize,
    /// Traders whose tier changes.
    pub changed: usize,
    pub upgrades: usize,
    pub downgrades: usize,
    /// Counts per from → to (changes only), in tier order.
    pub moves: Vec<Move>,
    /// Every changed trader, the largest composite change first.
    pub movers: Vec<Mover<K>>,
    /// Traders per tier before and after, A first.
    pub before: [usize; 5],
    pub after: [usize; 5],
}

/// Compares each trader's score under the current set with its score under the proposed one.
pub fn impact<'a, K: Clone + 'a>(rows: impl IntoIterator<Item = (K, &'a Score, &'a Score)>) -> Impact<K> {
    let mut out = Impact {
        traders: 0,
        changed: 0,
        upgrades: 0,
        downgrades: 0,
        moves: Vec::new(),
        movers: Vec::new(),
        before: [0; 5],
        after: [0; 5],
    };
    let mut moves: BTreeMap<(Tier, Tier), usize> = BTreeMap::new();
    for (trader, old, new) in rows {
        out.traders += 1;
        out.before[old.tier as usize] += 1;
        out.after[new.tier as usize] += 1;
        if old.tier != new.tier {
            out.changed += 1;
            if new.tier < old.tier {
                out.upgrades += 1;
            } else {
                out.downgrades += 1;
            }
            *moves.entry((old.tier, new.tier)).or_default() += 1;
            out.movers.push(Mover {
                trader,
                from: old.tier,
                to: new.tier,
                from_bp: old.composite_bp,
                to_bp: new.composite_bp,
            });
        }
    }
    out.moves = moves.into_iter().map(|((from, to), count)| Move { from, to, count }).collect();
    out.movers.sort_by_key(|m| std::cmp::Reverse(i64::from(m.from_bp).abs_diff(i64::from(m.to_bp))));
    out
}
