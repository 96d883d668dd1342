//! Availability: the share of the last 30 or 90 days in which a service was in a state
//! that counts as available, counted in whole minutes.
//!
//! A window is "the last N days" as a service page shows them: today and the N - 1 local
//! days before it, from midnight in the site's time zone up to "now" (so a day of a DST
//! switch has its 23 or 25 hours). Times are taken to the minute: a state change at
//! 09:30:45 counts from 09:30, and the minute "now" is in does not count yet. Before its
//! first update a service is `operational`.

use super::TimelineEntry;
use crate::model::time::last_days_start;
use crate::model::{Band, StateId, StateRegistry};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// The windows a service's availability is given for, in days.
pub const WINDOW_DAYS: [i64; 2] = [30, 90];

/// Which states count as available (`availability:` in `site.yaml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AvailableStates {
    /// The states of the bands `operational` and `maintenance`: severity 0, and the state
    /// `maintenance` whatever its severity. Every other state (severity 1 or more) counts
    /// as unavailable; with the built-in states, `degraded` and worse.
    #[default]
    OperationalOrMaintenance,
    /// The states whose severity is below this number (`unavailable_from: N`).
    SeverityBelow(u8),
}

impl AvailableStates {
    /// Whether a service in state `id` counts as available.
    pub fn includes(self, id: &str, states: &StateRegistry) -> bool {
        match self {
            AvailableStates::OperationalOrMaintenance => {
                matches!(states.band(id), Band::Operational | Band::Maintenance)
            }
            AvailableStates::SeverityBelow(limit) => states.severity(id) < limit,
        }
    }
}

/// How much of one window a service was available.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Availability {
    /// The window's length in days (30 or 90).
    pub days: i64,
    /// Minutes of the window in which the service was available.
    pub available_minutes: i64,
    /// Minutes in the window: from its first midnight up to the minute of "now".
    pub total_minutes: i64,
}

impl Availability {
    pub fn unavailable_minutes(&self) -> i64 {
        self.total_minutes - self.available_minutes
    }

    /// The share in hundredths of a per cent, rounded down (9995 is 99.95 %), so that
    /// 10000 means that not one minute was unavailable. A window without minutes counts
    /// as fully available.
    pub fn hundredths(&self) -> u32 {
        if self.total_minutes <= 0 {
            return 10_000;
        }
        let share = self.available_minutes.clamp(0, self.total_minutes) * 10_000 / self.total_minutes;
        u32::try_from(share).unwrap_or(10_000)
    }

    /// The share in per cent with two decimals, rounded down (`99.95`).
    pub fn percent(&self) -> f64 {
        f64::from(self.hundredths()) / 100.0
    }
}

/// A service's availability in each of [`WINDOW_DAYS`] at `now`, from its timeline
/// (entries at or before `now`, in time order).
pub fn windows(
    timeline: &[TimelineEntry],
    rule: AvailableStates,
    states: &StateRegistry,
    now: DateTime<Utc>,
    tz: Tz,
) -> [Availability; 2] {
    WINDOW_DAYS.map(|days| {
        let counts = |s: &StateId| rule.includes(s, states);
        let (available_minutes, total_minutes) =
            minutes_between(timeline, last_days_start(now, tz, days), now, counts);
        Availability { days, available_minutes, total_minutes }
    })
}

/// The minute a time falls in, counted from 1970.
fn minute(t: DateTime<Utc>) -> i64 {
    t.timestamp().div_euclid(60)
}

/// (available minutes, all minutes) from the minute of `from` up to (not including) the
/// minute of `until`; each entry's state holds from the start of its minute, and of
/// several entries in one minute the last one.
pub fn minutes_between(
    timeline: &[TimelineEntry],
    from: DateTime<Utc>,
    until: DateTime<Utc>,
    counts: impl Fn(&StateId) -> bool,
) -> (i64, i64) {
    let (start, end) = (minute(from), minute(until));
    if end <= start {
        return (0, 0);
    }
    // The entries up to the first minute decide the state the window starts in.
    let inside = timeline.partition_point(|e| minute(e.at) <= start);
    let mut available =
        inside.checked_sub(1).map_or_else(|| counts(&StateId::operational()), |i| counts(&timeline[i].state));
    let (mut since, mut total_available) = (start, 0);
    for e in timeline[inside..].iter().take_while(|e| minute(e.at) < end) {
        let at = minute(e.at);
        if available {
            total_available += at - since;
        }
        since = at;
        available = counts(&e.state);
    }
    if available {
        total_available += end - since;
    }
    (total_available, end - start)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::derive::EntrySource;
    use crate::model::time::parse_timestamp;
    use chrono_tz::Europe::Berlin;

    fn at(s: &str) -> DateTime<Utc> {
        parse_timestamp(s, Berlin).unwrap()
    }

    fn entry(t: &str, state: &str) -> TimelineEntry {
        TimelineEntry {
            at: at(t),
            state: StateId::new(state),
            source: EntrySource::Own { ordinal: 0 },
            anchor: String::new(),
        }
    }

    fn default_rule(states: &StateRegistry) -> impl Fn(&StateId) -> bool + '_ {
        |s| AvailableStates::OperationalOrMaintenance.includes(s, states)
    }

    #[test]
    fn the_default_counts_operational_and_maintenance_as_available() {
        let states = StateRegistry::builtin();
        let rule = AvailableStates::OperationalOrMaintenance;
        let available: Vec<&str> = states.ids().filter(|s| rule.includes(s, &states)).collect();
        assert_eq!(available, ["operational", "maintenance"]);
        let below_50: Vec<&str> =
            states.ids().filter(|s| AvailableStates::SeverityBelow(50).includes(s, &states)).collect();
        assert_eq!(below_50, ["operational", "maintenance", "degraded"]);
    }

    #[test]
    fn an_outage_counts_its_minutes() {
        let states = StateRegistry::builtin();
        let tl = [entry("2026-11-20 10:00", "major_outage"), entry("2026-11-20 11:30", "operational")];
        // One day, 1440 minutes, 90 of them down.
        let (a, t) =
            minutes_between(&tl, at("2026-11-20 00:00"), at("2026-11-21 00:00"), default_rule(&states));
        assert_eq!((a, t), (1350, 1440));
    }

    #[test]
    fn seconds_are_cut_to_the_minute_and_the_last_entry_of_a_minute_wins() {
        let states = StateRegistry::builtin();
        let tl = [
            entry("2026-11-20T10:00:59+01:00", "major_outage"),
            entry("2026-11-20T10:10:10+01:00", "degraded"),
            entry("2026-11-20T10:10:50+01:00", "operational"),
        ];
        let (a, t) = minutes_between(
            &tl,
            at("2026-11-20 10:00"),
            at("2026-11-20T11:00:59+01:00"),
            default_rule(&states),
        );
        assert_eq!((a, t), (50, 60));
    }

    #[test]
    fn a_state_set_before_the_window_holds_at_its_start() {
        let states = StateRegistry::builtin();
        let tl = [entry("2026-11-19 22:00", "partial_outage"), entry("2026-11-20 02:00", "operational")];
        let (a, t) =
            minutes_between(&tl, at("2026-11-20 00:00"), at("2026-11-20 06:00"), default_rule(&states));
        assert_eq!((a, t), (240, 360));
    }

    #[test]
    fn an_empty_window_counts_as_available() {
        let a = Availability { days: 30, available_minutes: 0, total_minutes: 0 };
        assert_eq!(a.hundredths(), 10_000);
        let a = Availability { days: 30, available_minutes: 43_199, total_minutes: 43_200 };
        assert_eq!((a.hundredths(), a.percent()), (9999, 99.99));
    }
}
