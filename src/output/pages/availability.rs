//! Availability as service pages show it: the share of the last 30 and 90 days in which
//! the service was available ([`crate::model::derive::availability`]), in the page's
//! language, and which states count as unavailable.

use super::env::PageEnv;
use super::values::{Shared, StateValue};
use crate::model::derive::availability::{Availability, WINDOW_DAYS};
use schemars::JsonSchema;
use serde::Serialize;

// The windows lie in the history a service page reads (`Source::ServiceRecent`).
const _: () = assert!(WINDOW_DAYS[1] <= super::sources::HISTORY_DAYS);

/// The share of one window in which a service was available.
#[derive(Serialize, JsonSchema)]
pub struct AvailabilityValue {
    /// The window's length in days: today and the days before it, up to now.
    pub days: i64,
    /// "Last 30 days" in the page's language (UI string `availability_days`).
    pub label: String,
    /// The share in per cent, rounded down to two decimals (`99.95`): 100 only when the
    /// service was available every minute.
    pub percent: f64,
    /// The share as the page's language writes it (`99,95 %`; UI strings `percent` and
    /// `decimal_separator`).
    pub text: String,
    /// "unavailable for 1 h 30 min" in the page's language (UI string `unavailable_for`);
    /// none when the service was never unavailable in the window.
    pub unavailable: Option<String>,
}

impl PageEnv<'_> {
    /// Service `s`'s availability in each window, as the page shows it.
    pub fn availability_values(&self, s: usize) -> Vec<AvailabilityValue> {
        self.service_availability(s).iter().map(|a| self.availability_value(a)).collect()
    }

    fn availability_value(&self, a: &Availability) -> AvailabilityValue {
        let down = a.unavailable_minutes();
        AvailabilityValue {
            days: a.days,
            label: self.strings.fill("availability_days", "days", &a.days.to_string()),
            percent: a.percent(),
            text: self.percent(a.hundredths()),
            unavailable: (down > 0)
                .then(|| self.strings.fill("unavailable_for", "duration", &self.minutes(down))),
        }
    }

    /// The states that count as unavailable, best first: what the figures mean.
    pub fn unavailable_states(&self) -> Vec<Shared<StateValue>> {
        let site = self.ctx().site;
        let rule = site.config.availability;
        let mut states: Vec<_> =
            site.states.states.iter().filter(|d| !rule.includes(&d.id, &site.states)).collect();
        states.sort_by_key(|d| d.severity);
        states.iter().map(|d| self.state(&d.id)).collect()
    }

    /// A share in hundredths of a per cent as the page's language writes it: `99,95 %`
    /// (UI strings `percent` and `decimal_separator`).
    pub fn percent(&self, hundredths: u32) -> String {
        let sep = self.strings.get("decimal_separator");
        let number = format!("{}{sep}{:02}", hundredths / 100, hundredths % 100);
        self.strings.fill("percent", "number", &number)
    }
}
