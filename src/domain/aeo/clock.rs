//! The customs clocks of an AEO application: accept (or not) within `acceptance_days` of the
//! submission; decide within `decision_days` of the acceptance. While an information request waits
//! for the trader the clock of its phase is paused, and the days it waited are added to the due
//! date; a supervisor may extend the decision clock once, by the configured `extension_days`, with a
//! reason. The result carries the due date, the days left and a traffic light for the queue.
//!
//! Days are days since 1970-01-01 (as `answer::parse_date` returns), so adding days is exact across
//! month ends and leap years; "today" is always a parameter. A request made on day R and answered
//! on day A pauses the clock for A − R days (a request answered the same day pauses nothing); one
//! still open on day T has paused it T − R days so far, so its days left stay frozen while it waits.
//! The right to be heard does not pause the decision clock: customs plans the hearing within it.

use super::config::ClockRules;
use super::lifecycle::{Phase, Status};
use serde::{Deserialize, Serialize};

/// An information request: from the day it was sent to the day it was answered (`None`: still
/// open).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pause {
    /// The clock it paused.
    pub phase: Phase,
    /// The day the request was sent.
    pub from: i64,
    /// The day the trader answered it.
    pub until: Option<i64>,
}

impl Pause {
    /// Days the clock was paused as of `today` (never negative; a request dated after `today`
    /// has paused nothing yet).
    pub fn days(&self, today: i64) -> i64 {
        (self.until.unwrap_or(today).min(today) - self.from).max(0)
    }
}

/// The one extension of the decision clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    /// The day the supervisor granted it.
    pub granted_on: i64,
    /// Days added to the decision date (the configured `extension_days` at the time).
    pub days: i64,
}

/// The dated events the clocks are computed from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockEvents {
    /// The day the application was submitted.
    pub submitted_on: i64,
    /// The day it was accepted (the decision clock starts).
    pub accepted_on: Option<i64>,
    /// Every information request, in either phase.
    pub pauses: Vec<Pause>,
    /// The extension of the decision clock, once granted.
    pub extension: Option<Extension>,
}

impl ClockEvents {
    /// Days the clock of `phase` was paused as of `today`.
    pub fn paused_days(&self, phase: Phase, today: i64) -> i64 {
        self.pauses.iter().filter(|p| p.phase == phase).map(|p| p.days(today)).sum()
    }

    /// Whether an information request of `phase` is still open.
    pub fn paused(&self, phase: Phase) -> bool {
        self.pauses.iter().any(|p| p.phase == phase && p.until.is_none())
    }
}

/// How urgent a clock is, from its days left and the configured thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Light {
    /// More than `amber_days_left` days left.
    Green,
    /// At most `amber_days_left` days left.
    Amber,
    /// At most `red_days_left` days left (the due day itself included).
    Red,
    /// Past the due date.
    Overdue,
}

impl Light {
    /// Every light, calmest first.
    pub const ALL: [Light; 4] = [Self::Green, Self::Amber, Self::Red, Self::Overdue];

    /// The light for `days_left` (negative: overdue).
    pub const fn of(days_left: i64, rules: &ClockRules) -> Self {
        if days_left < 0 {
            Self::Overdue
        } else if days_left <= rules.red_days_left {
            Self::Red
        } else if days_left <= rules.amber_days_left {
            Self::Amber
        } else {
            Self::Green
        }
    }

    /// Storage, CSS and CSV code.
    pub const fn code(self) -> &'static str {
        match self {
            Self::Green => "green",
            Self::Amber => "amber",
            Self::Red => "red",
            Self::Overdue => "overdue",
        }
    }

    /// Reads a code.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.code() == code)
    }
}

/// A clock as of a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    /// Which limit: acceptance or decision.
    pub phase: Phase,
    /// The last day customs has (paused days and the extension included).
    pub due: i64,
    /// Days from today to the due day; 0 on the due day, negative once overdue.
    pub days_left: i64,
    /// Days added by information requests so far.
    pub paused_days: i64,
    /// Days added by the extension (0 without one).
    pub extended_days: i64,
    /// Whether an information request is open (the days left are frozen).
    pub paused: bool,
    /// The traffic light for the days left.
    pub light: Light,
}

/// The clock of an application in `status` as of `today`, or `None` when no clock applies (a draft,
/// anything decided), or when the record lacks the acceptance day its examination clock counts
/// from (never for a consistent record).
pub fn clock(status: Status, events: &ClockEvents, rules: &ClockRules, today: i64) -> Option<Clock> {
    let phase = status.clock()?;
    let paused_days = events.paused_days(phase, today);
    let (start, limit, extended_days) = match phase {
        Phase::Acceptance => (events.submitted_on, rules.acceptance_days, 0),
        Phase::Examination => (events.accepted_on?, rules.decision_days, events.extension.map_or(0, |e| e.days)),
    };
    let due = start + limit + paused_days + extended_days;
    let days_left = due - today;
    Some(Clock {
        phase,
        due,
        days_left,
        paused_days,
        extended_days,
        paused: events.paused(phase),
        light: Light::of(days_left, rules),
    })
}

/// Why the decision clock cannot be extended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExtensionError {
    /// The configuration allows no extension (`extension_days = 0`).
    NotAllowed,
    /// The decision clock was already extended: one extension per application.
    AlreadyExtended,
    /// No decision clock runs (not accepted yet, or already decided).
    NoDecisionClock,
    /// A reason is required.
    ReasonRequired,
}

/// The extension a supervisor grants on `today` with `reason`, for an application in `status`:
/// the configured `extension_days`, once.
pub fn extend(
    status: Status,
    events: &ClockEvents,
    rules: &ClockRules,
    reason: &str,
    today: i64,
) -> Result<Extension, ExtensionError> {
    if rules.extension_days <= 0 {
        Err(ExtensionError::NotAllowed)
    } else if events.extension.is_some() {
        Err(ExtensionError::AlreadyExtended)
    } else if status.clock() != Some(Phase::Examination) || events.accepted_on.is_none() {
        Err(ExtensionError::NoDecisionClock)
    } else if reason.trim().is_empty() {
        Err(ExtensionError::ReasonRequired)
    } else {
        Ok(Extension { granted_on: today, days: rules.extension_days })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::aeo::lifecycle::Outcome;
    use crate::domain::time::{civil_from_days, days_from_civil};

    fn day(y: i64, m: u32, d: u32) -> i64 {
        days_from_civil(y, m, d)
    }

    fn civil(days: i64) -> (i64, u32, u32) {
        civil_from_days(days)
    }

    /// The EU limits: 30 days to accept, 120 to decide, one 60-day extension.
    fn eu() -> ClockRules {
        ClockRules {
            acceptance_days: 30,
            decision_days: 120,
            extension_days: 60,
            hearing_days: 30,
            amber_days_left: 14,
            red_days_left: 5,
            verified: false,
        }
    }

    #[test]
    fn acceptance_from_january_31_of_a_leap_year_lands_on_march_1() {
        let events = ClockEvents { submitted_on: day(2028, 1, 31), ..ClockEvents::default() };
        let c = clock(Status::Submitted, &events, &eu(), day(2028, 2, 1)).expect("runs");
        assert_eq!(civil(c.due), (2028, 3, 1), "Jan 31 + 30 days in a leap year");
        assert_eq!((c.phase, c.days_left, c.light, c.paused), (Phase::Acceptance, 29, Light::Green, false));
        // The same submission in 2027 (no Feb 29) is due on March 2.
        let events = ClockEvents { submitted_on: day(2027, 1, 31), ..ClockEvents::default() };
        assert_eq!(civil(clock(Status::Submitted, &events, &eu(), day(2027, 2, 1)).expect("runs").due), (2027, 3, 2));
    }

    #[test]
    fn pauses_and_one_extension_across_month_ends() {
        // Accepted Jan 31 2028: due May 30 without pauses (Jan 31 + 120 days, Feb has 29).
        let mut events = ClockEvents {
            submitted_on: day(2028, 1, 10),
            accepted_on: Some(day(2028, 1, 31)),
            // An information request in the acceptance check does not move the decision date.
            pauses: vec![Pause { phase: Phase::Acceptance, from: day(2028, 1, 15), until: Some(day(2028, 1, 20)) }],
            extension: None,
        };
        let rules = eu();
        let at = |events: &ClockEvents, today| clock(Status::UnderExamination, events, &rules, today).expect("runs");
        assert_eq!(civil(at(&events, day(2028, 2, 1)).due), (2028, 5, 30));
        // Request Feb 28, answered Mar 2: 3 days (Feb 28 → 29 → Mar 1 → 2).
        events.pauses.push(Pause { phase: Phase::Examination, from: day(2028, 2, 28), until: Some(day(2028, 3, 2)) });
        // Request Apr 30, answered May 1: 1 day.
        events.pauses.push(Pause { phase: Phase::Examination, from: day(2028, 4, 30), until: Some(day(2028, 5, 1)) });
        let c = at(&events, day(2028, 5, 10));
        assert_eq!((c.paused_days, civil(c.due)), (4, (2028, 6, 3)));
        // Extended once by 60 days: Jun 3 → Aug 2.
        let extension =
            extend(Status::UnderExamination, &events, &rules, "site visit of a second warehouse", day(2028, 5, 10))
                .expect("first extension");
        assert_eq!(extension, Extension { granted_on: day(2028, 5, 10), days: 60 });
        events.extension = Some(extension);
        let c = at(&events, day(2028, 7, 31));
        assert_eq!((civil(c.due), c.days_left, c.extended_days, c.light), ((2028, 8, 2), 2, 60, Light::Red));
        let c = at(&events, day(2028, 8, 3));
        assert_eq!((c.days_left, c.light), (-1, Light::Overdue));
        // The acceptance clock counted its own pause: Jan 10 + 30 + 5 = Feb 14.
        let c = clock(Status::Submitted, &events, &rules, day(2028, 1, 31)).expect("runs");
        assert_eq!((civil(c.due), c.paused_days), ((2028, 2, 14), 5));
    }

    #[test]
    fn an_open_request_freezes_the_days_left() {
        let events = ClockEvents {
            submitted_on: day(2027, 12, 1),
            accepted_on: Some(day(2027, 12, 31)),
            pauses: vec![Pause { phase: Phase::Examination, from: day(2028, 3, 20), until: None }],
            extension: None,
        };
        let status = Status::InfoRequested(Phase::Examination);
        let before = clock(Status::UnderExamination, &events, &eu(), day(2028, 3, 20)).expect("runs");
        let later = clock(status, &events, &eu(), day(2028, 4, 25)).expect("runs");
        assert!(later.paused);
        // Dec 31 + 120 = Apr 29 2028; on Mar 20 that is 40 days away, and it stays 40 while waiting.
        assert_eq!(civil(before.due), (2028, 4, 29));
        assert_eq!((before.days_left, later.days_left, later.paused_days), (40, 40, 36));
        assert_eq!(civil(later.due), (2028, 6, 4));
        // A request dated after the day asked about has paused nothing yet.
        assert_eq!(clock(status, &events, &eu(), day(2028, 3, 1)).expect("runs").paused_days, 0);
    }

    #[test]
    fn a_second_extension_is_refused_and_so_are_the_others() {
        let rules = eu();
        let mut events = ClockEvents {
            submitted_on: day(2028, 1, 1),
            accepted_on: Some(day(2028, 1, 20)),
            ..ClockEvents::default()
        };
        let s = Status::DecisionProposed(Outcome::Grant);
        events.extension =
            Some(extend(s, &events, &rules, "consultation of another administration", day(2028, 3, 1)).expect("once"));
        assert_eq!(extend(s, &events, &rules, "again", day(2028, 4, 1)), Err(ExtensionError::AlreadyExtended));
        events.extension = None;
        assert_eq!(extend(s, &events, &rules, "  ", day(2028, 3, 1)), Err(ExtensionError::ReasonRequired));
        assert_eq!(
            extend(Status::Submitted, &events, &rules, "why", day(2028, 3, 1)),
            Err(ExtensionError::NoDecisionClock)
        );
        assert_eq!(
            extend(Status::Granted, &events, &rules, "why", day(2028, 3, 1)),
            Err(ExtensionError::NoDecisionClock)
        );
        let none = ClockRules { extension_days: 0, ..rules };
        assert_eq!(extend(s, &events, &none, "why", day(2028, 3, 1)), Err(ExtensionError::NotAllowed));
    }

    #[test]
    fn lights_change_at_the_thresholds_and_no_clock_runs_outside_the_queue() {
        let rules = eu();
        let lights: Vec<Light> = [15, 14, 6, 5, 0, -1].into_iter().map(|d| Light::of(d, &rules)).collect();
        assert_eq!(lights, [Light::Green, Light::Amber, Light::Amber, Light::Red, Light::Red, Light::Overdue]);
        for l in Light::ALL {
            assert_eq!(Light::from_code(l.code()), Some(l));
        }
        let events =
            ClockEvents { submitted_on: day(2028, 1, 1), accepted_on: Some(day(2028, 1, 5)), ..ClockEvents::default() };
        for status in
            [Status::Draft, Status::Granted, Status::Active, Status::Refused, Status::NotAccepted, Status::Withdrawn]
        {
            assert_eq!(clock(status, &events, &rules, day(2028, 2, 1)), None, "{status:?}");
        }
        let unaccepted = ClockEvents { accepted_on: None, ..events };
        assert_eq!(clock(Status::UnderExamination, &unaccepted, &rules, day(2028, 2, 1)), None);
    }
}
