//! The content files as written, before validation: serde types that accept what the YAML
//! says with as few assumptions as possible, so validation can report every problem.

use super::text::{OrderedMap, RawText, ScalarString};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSite {
    pub title: RawText,
    pub base_url: String,
    pub languages: Vec<String>,
    pub timezone: String,
    #[serde(default)]
    pub theme: Option<String>,
    #[serde(default)]
    pub contact: Option<RawText>,
    #[serde(default)]
    pub groups: Vec<RawGroup>,
    #[serde(default)]
    pub states: Vec<RawState>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGroup {
    pub id: String,
    pub name: RawText,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawState {
    pub id: String,
    #[serde(default)]
    pub label: Option<RawText>,
    #[serde(default)]
    pub severity: Option<i64>,
    #[serde(default)]
    pub color: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawService {
    pub name: RawText,
    #[serde(default)]
    pub group: Option<String>,
    #[serde(default)]
    pub description: Option<RawText>,
    #[serde(default)]
    pub order: Option<i64>,
    #[serde(default)]
    pub links: Vec<RawLink>,
    #[serde(default)]
    pub updates: Vec<RawServiceUpdate>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLink {
    pub label: RawText,
    #[serde(default)]
    pub guide: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawServiceUpdate {
    pub at: ScalarString,
    pub status: String,
    #[serde(default)]
    pub text: Option<RawText>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIncident {
    pub title: RawText,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub services: Vec<String>,
    #[serde(default)]
    pub scheduled: Option<RawWindow>,
    #[serde(default)]
    pub description: Option<RawText>,
    #[serde(default)]
    pub updates: Vec<RawIncidentUpdate>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWindow {
    pub from: ScalarString,
    pub until: ScalarString,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIncidentUpdate {
    pub at: ScalarString,
    pub phase: String,
    #[serde(default)]
    pub set: OrderedMap<String>,
    #[serde(default)]
    pub text: Option<RawText>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNotice {
    pub title: String,
    #[serde(default)]
    pub level: Option<String>,
    #[serde(default)]
    pub pinned: bool,
    #[serde(default)]
    pub from: Option<ScalarString>,
    #[serde(default)]
    pub until: Option<ScalarString>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGuide {
    pub title: String,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub services: Vec<String>,
    #[serde(default)]
    pub updated: Option<ScalarString>,
    #[serde(default)]
    pub order: Option<i64>,
}
