//! The content model: types, loading from `content/`, validation, and the derived view
//! (timelines, current states, what is open or upcoming) that pages and feeds read.
//! Nothing here knows about HTML.

pub mod derive;
pub mod load;
pub mod locate;
pub mod raw;
pub mod state;
pub mod text;
pub mod time;
pub mod url;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::path::PathBuf;

pub use derive::Derived;
pub use load::load_site;
pub use state::{Band, StateDef, StateId, StateRegistry};
pub use text::{Resolved, Text};

/// `content/site.yaml`, validated.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    pub title: Text,
    /// Absolute, always ending in `/`.
    pub base_url: String,
    /// The first is the default language, served at `/`.
    pub languages: Vec<String>,
    pub timezone: Tz,
    pub theme: String,
    pub contact: Option<Text>,
    pub groups: Vec<Group>,
}

#[derive(Debug, Clone)]
pub struct Group {
    pub id: String,
    pub name: Text,
}

/// A link from a service to a guide or to any URL.
#[derive(Debug, Clone)]
pub struct ServiceLink {
    pub label: Text,
    pub target: LinkTarget,
}

#[derive(Debug, Clone)]
pub enum LinkTarget {
    Guide(String),
    Url(String),
}

/// One `content/services/<id>.yaml`.
#[derive(Debug, Clone)]
pub struct ServiceRecord {
    pub id: String,
    pub file: PathBuf,
    pub name: Text,
    pub group: Option<String>,
    pub description: Option<Text>,
    pub order: i64,
    pub links: Vec<ServiceLink>,
    /// Sorted by time (stable for equal times: file order).
    pub updates: Vec<ServiceUpdate>,
}

#[derive(Debug, Clone)]
pub struct ServiceUpdate {
    pub at: DateTime<Utc>,
    pub status: StateId,
    pub text: Option<Text>,
    /// Position in the file, which keeps anchors and GUIDs stable when others are added.
    pub ordinal: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[cfg_attr(feature = "site", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum IncidentKind {
    Incident,
    Maintenance,
}

impl IncidentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            IncidentKind::Incident => "incident",
            IncidentKind::Maintenance => "maintenance",
        }
    }

    /// The phases of this kind, in the order they usually follow each other.
    pub fn phases(self) -> &'static [Phase] {
        match self {
            IncidentKind::Incident => {
                &[Phase::Investigating, Phase::Identified, Phase::Monitoring, Phase::Resolved]
            }
            IncidentKind::Maintenance => &[Phase::Scheduled, Phase::InProgress, Phase::Completed],
        }
    }

    /// The phase before the first published update.
    pub fn first_phase(self) -> Phase {
        self.phases()[0]
    }

    /// The phase that closes an incident of this kind.
    pub fn closing_phase(self) -> Phase {
        match self {
            IncidentKind::Incident => Phase::Resolved,
            IncidentKind::Maintenance => Phase::Completed,
        }
    }
}

/// Where an incident or a maintenance stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[cfg_attr(feature = "site", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Investigating,
    Identified,
    Monitoring,
    Resolved,
    Scheduled,
    InProgress,
    Completed,
}

impl Phase {
    pub const ALL: [Phase; 7] = [
        Phase::Investigating,
        Phase::Identified,
        Phase::Monitoring,
        Phase::Resolved,
        Phase::Scheduled,
        Phase::InProgress,
        Phase::Completed,
    ];

    /// The id authors write (`in_progress`).
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Investigating => "investigating",
            Phase::Identified => "identified",
            Phase::Monitoring => "monitoring",
            Phase::Resolved => "resolved",
            Phase::Scheduled => "scheduled",
            Phase::InProgress => "in_progress",
            Phase::Completed => "completed",
        }
    }

    pub fn parse(id: &str) -> Option<Phase> {
        Phase::ALL.into_iter().find(|p| p.as_str() == id)
    }

    /// The kind of record this phase belongs to.
    pub fn kind(self) -> IncidentKind {
        if IncidentKind::Incident.phases().contains(&self) {
            IncidentKind::Incident
        } else {
            IncidentKind::Maintenance
        }
    }

    /// Whether this phase closes its incident or maintenance.
    pub fn is_closing(self) -> bool {
        self == self.kind().closing_phase()
    }
}

impl std::fmt::Display for Phase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub from: DateTime<Utc>,
    pub until: DateTime<Utc>,
}

/// One `content/incidents/<id>.yaml`: an incident or a scheduled maintenance.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentRecord {
    pub id: String,
    pub file: PathBuf,
    pub title: Text,
    pub kind: IncidentKind,
    pub services: Vec<String>,
    pub scheduled: Option<Window>,
    pub description: Option<Text>,
    /// Sorted by time (stable for equal times: file order).
    pub updates: Vec<IncidentUpdate>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IncidentUpdate {
    pub at: DateTime<Utc>,
    pub phase: Phase,
    /// Service id → state, in file order.
    pub set: Vec<(String, StateId)>,
    pub text: Option<Text>,
    pub ordinal: usize,
    /// `u-20221128t083000z`: where the update is on the incident's page. Set when the
    /// file is loaded ([`IncidentRecord::set_anchors`]); it depends on the file alone.
    pub anchor: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[cfg_attr(feature = "site", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum NoticeLevel {
    Info,
    Warning,
    Critical,
}

impl NoticeLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeLevel::Info => "info",
            NoticeLevel::Warning => "warning",
            NoticeLevel::Critical => "critical",
        }
    }
}

/// A Markdown document in one language (one file).
#[derive(Debug, Clone)]
pub struct Document {
    pub lang: String,
    pub file: PathBuf,
    pub title: String,
    pub body: String,
}

/// `content/notices/<id>.<lang>.md`, all languages of one id.
#[derive(Debug, Clone)]
pub struct Notice {
    pub id: String,
    pub level: NoticeLevel,
    pub pinned: bool,
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    /// One per language the notice is written in, in configured language order.
    pub docs: Vec<Document>,
}

/// `content/guides/<slug>.<lang>.md`, all languages of one slug.
#[derive(Debug, Clone)]
pub struct Guide {
    pub slug: String,
    pub services: Vec<String>,
    pub updated: Option<DateTime<Utc>>,
    pub order: i64,
    pub docs: Vec<Document>,
    /// Summaries per document (same order as `docs`).
    pub summaries: Vec<Option<String>>,
}

impl Notice {
    /// The document for language `lang`, else the default language's, else any.
    pub fn doc_for(&self, lang: &str, default: &str) -> Option<&Document> {
        pick_doc(&self.docs, lang, default)
    }
}

impl Guide {
    pub fn doc_index(&self, lang: &str, default: &str) -> Option<usize> {
        let pos = |l: &str| self.docs.iter().position(|d| d.lang == l);
        pos(lang).or_else(|| pos(default)).or(if self.docs.is_empty() { None } else { Some(0) })
    }
}

fn pick_doc<'a>(docs: &'a [Document], lang: &str, default: &str) -> Option<&'a Document> {
    docs.iter()
        .find(|d| d.lang == lang)
        .or_else(|| docs.iter().find(|d| d.lang == default))
        .or_else(|| docs.first())
}

/// A loaded, validated site: everything authors wrote, nothing derived yet.
#[derive(Debug, Clone)]
pub struct Site {
    pub root: PathBuf,
    pub config: SiteConfig,
    pub states: StateRegistry,
    /// In display order: group order, then `order`, then id.
    pub services: Vec<ServiceRecord>,
    /// Sorted by id.
    pub incidents: Vec<IncidentRecord>,
    pub notices: Vec<Notice>,
    /// In display order: `order`, then slug.
    pub guides: Vec<Guide>,
    /// Files under `content/static/`, relative to it, sorted.
    pub static_files: Vec<PathBuf>,
}

impl Site {
    pub fn default_lang(&self) -> &str {
        self.config.languages.first().map(String::as_str).unwrap_or("en")
    }

    pub fn lang_index(&self, lang: &str) -> usize {
        self.config.languages.iter().position(|l| l == lang).unwrap_or(0)
    }

    pub fn service(&self, id: &str) -> Option<&ServiceRecord> {
        self.services.iter().find(|s| s.id == id)
    }

    pub fn incident(&self, id: &str) -> Option<&IncidentRecord> {
        self.incidents.iter().find(|i| i.id == id)
    }

    pub fn guide(&self, slug: &str) -> Option<&Guide> {
        self.guides.iter().find(|g| g.slug == slug)
    }
}
