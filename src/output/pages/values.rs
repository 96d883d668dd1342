//! The typed values templates receive: texts, times, states, updates, incidents, services,
//! guides and notices as every page shows them. Each is a `Serialize` struct handed to
//! Tera as it is; `docs/theme-reference.md` is written from these definitions (their doc
//! comments are the reference's words), and a test keeps the two in step.

use crate::model::{Band, IncidentKind, NoticeLevel, Phase};
use crate::render::direction::Direction;
use schemars::JsonSchema;
use serde::Serialize;
use std::marker::PhantomData;

/// A value made once and shared by every page that shows it (a state, a service's
/// name): Tera's values are reference-counted, so each use is a copy of a pointer.
/// Templates see the `T` it was made from.
pub struct Shared<T> {
    value: tera::Value,
    of: PhantomData<T>,
}

impl<T: Serialize> Shared<T> {
    pub fn new(value: &T) -> Shared<T> {
        Shared { value: tera::Value::from_serializable(value), of: PhantomData }
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared { value: self.value.clone(), of: PhantomData }
    }
}

impl<T> Serialize for Shared<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(s)
    }
}

impl<T: JsonSchema> JsonSchema for Shared<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }
    fn schema_id() -> std::borrow::Cow<'static, str> {
        T::schema_id()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(generator)
    }
    fn inline_schema() -> bool {
        T::inline_schema()
    }
}

/// A text of the content (a name, a title, an update's words) in the page's language.
#[derive(Clone, Serialize, JsonSchema)]
pub struct TextValue {
    /// The text as HTML: Markdown rendered (inline for one line, blocks for several),
    /// raw HTML shown as text. Print it with `| safe`.
    pub html: String,
    /// The text without markup.
    pub plain: String,
    /// The language the text is written in: the page's, or another one when the text is
    /// missing in the page's language and another language stands in.
    pub lang: String,
    /// Whether another language stands in (then `lang` differs from the page's).
    pub fallback: bool,
    /// "Only available in Deutsch." when `fallback`, else empty.
    pub note: String,
    /// The writing direction of `lang`, `ltr` or `rtl`: set `dir` wherever `lang` is set.
    pub dir: Direction,
}

/// A moment, shown in the site's time zone.
#[derive(Clone, Serialize, JsonSchema)]
pub struct TimeValue {
    /// Machine-readable: RFC 3339 with the offset of the site's time zone, for
    /// `<time datetime>`.
    pub iso: String,
    /// Date and time in the page language's format (UI string `date_time`).
    pub text: String,
    /// The date alone in the page language's format (UI string `date`).
    pub date: String,
}

/// A state a service can be in.
#[derive(Serialize, JsonSchema)]
pub struct StateValue {
    /// The state's id, such as `major_outage`.
    pub id: String,
    /// Its label in the page's language.
    pub label: String,
    /// The band of severities it falls in, for styling: `operational`, `maintenance`,
    /// `degraded`, `partial` or `major`.
    pub band: Band,
    /// A one-character symbol for the band, so that colour is never the only signal.
    pub icon: &'static str,
    /// 0 (operational) to 100 (the worst).
    pub severity: u8,
    /// The state's colour (CSS), from `site.yaml` or the built-in one.
    pub color: String,
}

/// The phase of an incident or maintenance.
#[derive(Clone, Serialize, JsonSchema)]
pub struct PhaseValue {
    /// `investigating`, `identified`, `monitoring`, `resolved`, `scheduled`,
    /// `in_progress` or `completed`.
    pub id: Phase,
    /// Its label in the page's language.
    pub label: String,
}

/// A link to a year's page.
#[derive(Serialize, JsonSchema)]
pub struct YearLink {
    /// The year.
    pub year: i32,
    /// Link to the year's page.
    pub href: String,
    /// Whether this is the page being shown.
    pub current: bool,
}

/// A service in lists: its name, state and page.
#[derive(Serialize, JsonSchema)]
pub struct ServiceSummary {
    /// The service's id (its file name).
    pub id: String,
    /// Link to the service's page.
    pub href: String,
    /// The service's name.
    pub name: Shared<TextValue>,
    /// The service's description, if it has one.
    pub description: Option<TextValue>,
    /// The current state.
    pub state: Shared<StateValue>,
    /// When the current state began; none for a service that never had an update.
    pub since: Option<Shared<TimeValue>>,
}

/// One state change made by an incident update (`set:`).
#[derive(Clone, Serialize, JsonSchema)]
pub struct ChangeValue {
    /// The service's name.
    pub name: Shared<TextValue>,
    /// Link to the service's page.
    pub href: String,
    /// The state the update set.
    pub state: Shared<StateValue>,
}

/// A published update of a service or an incident.
#[derive(Clone, Serialize, JsonSchema)]
pub struct UpdateValue {
    /// The update's id on the page that holds it (`u-20221128t083000z`).
    pub anchor: String,
    /// Link to the update on the page that holds it.
    pub href: String,
    /// When it was published.
    pub time: Shared<TimeValue>,
    /// The service's name or the incident's title.
    pub subject: Shared<TextValue>,
    /// A service update's new state; none for incident updates.
    pub state: Option<Shared<StateValue>>,
    /// An incident update's phase; none for service updates.
    pub phase: Option<PhaseValue>,
    /// The update's words, if it has any.
    pub text: Option<TextValue>,
    /// The states an incident update set, in the order written.
    pub changes: Vec<ChangeValue>,
}

/// An incident or maintenance in long lists (archive, service pages).
#[derive(Serialize, JsonSchema)]
pub struct IncidentBrief {
    /// The incident's id (its file name).
    pub id: String,
    /// Link to the incident's page.
    pub href: String,
    /// The incident's title.
    pub title: Shared<TextValue>,
    /// `incident` or `maintenance`.
    pub kind: IncidentKind,
    /// "Incident" or "Maintenance" in the page's language.
    pub kind_label: String,
    /// The phase now.
    pub phase: PhaseValue,
    /// The worst state any of its published updates set.
    pub impact: Option<Shared<StateValue>>,
    /// When it started: its first update, or a maintenance's window start.
    pub started: Option<Shared<TimeValue>>,
}

/// A maintenance window.
#[derive(Serialize, JsonSchema)]
pub struct WindowValue {
    /// When the window opens.
    pub from: Shared<TimeValue>,
    /// When the window closes.
    pub until: Shared<TimeValue>,
}

/// An incident or maintenance as a card (front page, archive): the brief plus its state
/// of affairs and latest update.
#[derive(Serialize, JsonSchema)]
pub struct IncidentCard {
    #[serde(flatten)]
    pub brief: IncidentBrief,
    /// Open until an update with the closing phase (`resolved`, `completed`).
    pub open: bool,
    /// When it was resolved or completed.
    pub ended: Option<Shared<TimeValue>>,
    /// A maintenance's window.
    pub window: Option<WindowValue>,
    /// The newest published update.
    pub latest: Option<UpdateValue>,
}

/// An incident's update in a service's history.
#[derive(Serialize, JsonSchema)]
pub struct TimelineIncident {
    /// The incident's title.
    pub title: Shared<TextValue>,
    /// Link to the update on the incident's page.
    pub href: String,
    /// The phase of that update.
    pub phase: PhaseValue,
}

/// One entry of a service's history: a state the service entered at a time.
#[derive(Serialize, JsonSchema)]
pub struct TimelineEntryValue {
    /// The entry's id on this page.
    pub anchor: String,
    /// When the service entered the state.
    pub time: Shared<TimeValue>,
    /// The state it entered.
    pub state: Shared<StateValue>,
    /// The update's words. On year pages only the service's own updates carry them: an
    /// incident's entry links to its update instead.
    pub text: Option<TextValue>,
    /// The incident whose update set the state; none for the service's own updates.
    pub incident: Option<TimelineIncident>,
}

/// A guide in lists.
#[derive(Serialize, JsonSchema)]
pub struct GuideSummary {
    /// The guide's slug (its file name).
    pub slug: String,
    /// Link to the guide's page.
    pub href: String,
    /// The guide's title.
    pub title: String,
    /// Its summary (`summary:` in the front matter), if it has one.
    pub summary: Option<String>,
    /// The language the guide is shown in.
    pub lang: String,
    /// The writing direction of `lang`, `ltr` or `rtl`: set `dir` wherever `lang` is set.
    pub dir: Direction,
    /// Whether the guide is shown in another language than the page's.
    pub fallback: bool,
    /// "Only available in Deutsch." when `fallback`, else empty.
    pub note: String,
}

/// A notice ("Wichtige Hinweise").
#[derive(Serialize, JsonSchema)]
pub struct NoticeValue {
    /// The notice's id (its file name).
    pub id: String,
    /// Link to the notice's own page.
    pub href: String,
    /// The notice's title.
    pub title: String,
    /// `info`, `warning` or `critical`.
    pub level: NoticeLevel,
    /// The level in the page's language.
    pub level_label: String,
    /// The notice's body as HTML. Print it with `| safe`.
    pub html: String,
    /// The language the notice is shown in.
    pub lang: String,
    /// The writing direction of `lang`, `ltr` or `rtl`: set `dir` wherever `lang` is set.
    pub dir: Direction,
    /// Whether the notice is shown in another language than the page's.
    pub fallback: bool,
    /// "Only available in Deutsch." when `fallback`, else empty.
    pub note: String,
    /// When it became active, if it says.
    pub from: Option<Shared<TimeValue>>,
    /// When it stops being active, if it says.
    pub until: Option<Shared<TimeValue>>,
}
