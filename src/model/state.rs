//! Service states: the six built-in ones plus those a site adds or relabels, each with a
//! severity that orders them from best to worst, and the band of severities it falls in.
//! The built-in states' labels are UI words: they live in the theme's strings
//! (`state_<id>`), and a site may give its own in `site.yaml`.

use super::text::Text;
use std::sync::Arc;

/// The id of a state (`major_outage`), as authors write it.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StateId(Arc<str>);

impl StateId {
    pub fn new(id: &str) -> StateId {
        StateId(Arc::from(id))
    }

    /// The state of a service with no update.
    pub fn operational() -> StateId {
        StateId::new(OPERATIONAL)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A state id reads as the string it is.
impl std::ops::Deref for StateId {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for StateId {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for StateId {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl From<&str> for StateId {
    fn from(id: &str) -> StateId {
        StateId::new(id)
    }
}

impl std::fmt::Debug for StateId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", &*self.0)
    }
}

impl std::fmt::Display for StateId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl serde::Serialize for StateId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

const OPERATIONAL: &str = "operational";

/// The band of severities a state falls in: what it means for readers, whatever its
/// name. Pages style a state by its band, the status API maps bands to Statuspage's
/// component states, and each band has a symbol, so colour is never the only signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[cfg_attr(feature = "site", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Band {
    /// Severity 0.
    Operational,
    /// The `maintenance` state, whatever its severity.
    Maintenance,
    /// Severity 1–39.
    Degraded,
    /// Severity 40–69.
    Partial,
    /// Severity 70 and more.
    Major,
}

impl Band {
    pub fn of(id: &str, severity: u8) -> Band {
        match (id, severity) {
            ("maintenance", _) => Band::Maintenance,
            (_, 0) => Band::Operational,
            (_, 1..=39) => Band::Degraded,
            (_, 40..=69) => Band::Partial,
            _ => Band::Major,
        }
    }

    /// A one-character symbol that carries the band without colour.
    pub fn icon(self) -> &'static str {
        match self {
            Band::Operational => "✓",
            Band::Maintenance => "◆",
            Band::Degraded => "▲",
            Band::Partial => "◼",
            Band::Major => "✕",
        }
    }
}

/// One state a service can be in.
#[derive(Debug, Clone)]
pub struct StateDef {
    pub id: StateId,
    pub severity: u8,
    /// The site's own label (`site.yaml`); `None`: the theme's `state_<id>` string.
    pub label: Option<Text>,
    /// CSS colour; always shown together with the label and an icon, never alone.
    pub color: String,
}

impl StateDef {
    pub fn band(&self) -> Band {
        Band::of(self.id.as_str(), self.severity)
    }
}

/// All states of a site, in the order they were defined (built-in first).
#[derive(Debug, Clone, Default)]
pub struct StateRegistry {
    pub states: Vec<StateDef>,
}

/// The built-in states: id, severity, colour.
pub const BUILTIN: [(&str, u8, &str); 6] = [
    (OPERATIONAL, 0, "#1b7f3b"),
    ("maintenance", 10, "#1d5fa8"),
    ("degraded", 30, "#8a6d00"),
    ("partial_outage", 50, "#b35900"),
    ("restore_pending", 60, "#8e3fa8"),
    ("major_outage", 80, "#b3261e"),
];

impl StateRegistry {
    pub fn builtin() -> StateRegistry {
        let states = BUILTIN
            .iter()
            .map(|(id, severity, color)| StateDef {
                id: StateId::new(id),
                severity: *severity,
                label: None,
                color: color.to_string(),
            })
            .collect();
        StateRegistry { states }
    }

    pub fn get(&self, id: &str) -> Option<&StateDef> {
        self.states.iter().find(|s| s.id.as_str() == id)
    }

    pub fn severity(&self, id: &str) -> u8 {
        self.get(id).map(|s| s.severity).unwrap_or(0)
    }

    /// The band of `id`; an unknown id (impossible after loading) counts as operational.
    pub fn band(&self, id: &str) -> Band {
        Band::of(id, self.severity(id))
    }

    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.states.iter().map(|s| s.id.as_str())
    }

    /// The state of `a` and `b` that is worse; on a tie the first.
    pub fn worse<'a>(&self, a: &'a StateId, b: &'a StateId) -> &'a StateId {
        if self.severity(b.as_str()) > self.severity(a.as_str()) {
            b
        } else {
            a
        }
    }
}
