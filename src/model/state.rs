//! Service states: the six built-in ones of CONTENT.md section 5 plus those a site adds or
//! relabels, each with a severity that orders them from best to worst.

use super::text::{RawText, Text};

/// One state a service can be in.
#[derive(Debug, Clone)]
pub struct StateDef {
    pub id: String,
    pub severity: u8,
    pub label: Text,
    /// CSS colour; always shown together with the label and an icon, never alone.
    pub color: String,
    /// A one-character symbol that carries the state without colour.
    pub icon: &'static str,
}

/// All states of a site, in the order they were defined (built-in first).
#[derive(Debug, Clone, Default)]
pub struct StateRegistry {
    pub states: Vec<StateDef>,
}

pub const BUILTIN: [(&str, u8, &str, &str, &str); 6] = [
    ("operational", 0, "Verfügbar", "Operational", "#1b7f3b"),
    ("maintenance", 10, "Wartung", "Maintenance", "#1d5fa8"),
    ("degraded", 30, "Eingeschränkt", "Degraded performance", "#8a6d00"),
    ("partial_outage", 50, "Teilweise gestört", "Partial outage", "#b35900"),
    ("restore_pending", 60, "Wiederherstellung ausstehend", "Restore pending", "#8e3fa8"),
    ("major_outage", 80, "Nicht verfügbar", "Major outage", "#b3261e"),
];

/// The symbol for a severity, so custom states get a sensible one too.
pub fn icon_for(id: &str, severity: u8) -> &'static str {
    match (id, severity) {
        ("maintenance", _) => "◆",
        (_, 0) => "✓",
        (_, 1..=39) => "▲",
        (_, 40..=69) => "◼",
        _ => "✕",
    }
}

impl StateRegistry {
    pub fn builtin(languages: &[String]) -> StateRegistry {
        let states = BUILTIN
            .iter()
            .map(|(id, severity, de, en, color)| {
                let map = vec![("de".to_string(), de.to_string()), ("en".to_string(), en.to_string())];
                StateDef {
                    id: id.to_string(),
                    severity: *severity,
                    label: Text::resolve(&RawText::PerLanguage(map), languages),
                    color: color.to_string(),
                    icon: icon_for(id, *severity),
                }
            })
            .collect();
        StateRegistry { states }
    }

    pub fn get(&self, id: &str) -> Option<&StateDef> {
        self.states.iter().find(|s| s.id == id)
    }

    pub fn severity(&self, id: &str) -> u8 {
        self.get(id).map(|s| s.severity).unwrap_or(0)
    }

    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.states.iter().map(|s| s.id.as_str())
    }

    /// The state of `a` and `b` that is worse; on a tie the first.
    pub fn worse<'a>(&self, a: &'a str, b: &'a str) -> &'a str {
        if self.severity(b) > self.severity(a) {
            b
        } else {
            a
        }
    }
}
