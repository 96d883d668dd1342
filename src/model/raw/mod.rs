//! The content files as written, before validation. A file is first parsed into a YAML
//! value tree, then read field by field into these types. Reading by hand instead of
//! with derived serde types means one mistyped field or list item does not hide the rest
//! of the file: every problem is collected with its YAML path, and the loader locates it.
//!
//! This module holds the record of each kind of file; `reader` reads values into them.

mod reader;

pub use reader::{describe, scalar, text, Items, Problem, Reader};

use super::locate::Seg;
use super::text::{OrderedMap, RawText, ScalarString};
use reader::{boolean, integer, string_map, strings, time, Fields};
use serde_yaml::Value;

#[derive(Debug, Default)]
pub struct RawSite {
    /// Required fields are `None` when missing or mistyped; the problem is already reported.
    pub title: Option<RawText>,
    pub base_url: Option<String>,
    pub languages: Option<Items<String>>,
    pub timezone: Option<String>,
    pub theme: Option<String>,
    pub contact: Option<RawText>,
    pub groups: Items<RawGroup>,
    pub states: Items<RawState>,
    pub availability: Option<RawAvailability>,
}

impl RawSite {
    pub fn read(r: &mut Reader, v: &Value) -> Option<RawSite> {
        let known = [
            "title",
            "base_url",
            "languages",
            "timezone",
            "theme",
            "contact",
            "groups",
            "states",
            "availability",
        ];
        let mut f = Fields::new(r, v, &[], "the site configuration: a map", &known)?;
        Some(RawSite {
            title: f.req("title", "the site's title", text),
            base_url: f.req("base_url", "the absolute URL such as `https://status.example.org/`", scalar),
            languages: f.req("languages", "a list such as [de, en], default language first", strings),
            timezone: f.req("timezone", "an IANA timezone such as `Europe/Berlin`", scalar),
            theme: f.opt("theme", scalar),
            contact: f.opt("contact", text),
            groups: f.list("groups", RawGroup::read),
            states: f.list("states", RawState::read),
            availability: f.opt("availability", RawAvailability::read),
        })
    }
}

/// `availability:` of site.yaml.
#[derive(Debug)]
pub struct RawAvailability {
    /// `None` when missing or mistyped; the problem is already reported.
    pub unavailable_from: Option<i64>,
}

impl RawAvailability {
    fn read(r: &mut Reader, v: &Value, path: &[Seg]) -> Option<RawAvailability> {
        let mut f = Fields::new(r, v, path, "availability: a map", &["unavailable_from"])?;
        let unavailable_from = f.req("unavailable_from", "a severity from 1 to 100", integer);
        Some(RawAvailability { unavailable_from })
    }
}

#[derive(Debug)]
pub struct RawGroup {
    pub id: String,
    pub name: RawText,
}

impl RawGroup {
    fn read(r: &mut Reader, v: &Value, path: &[Seg]) -> Option<RawGroup> {
        let mut f = Fields::new(r, v, path, "a group: a map", &["id", "name"])?;
        let id = f.req("id", "an id such as `mail`", scalar);
        let name = f.req("name", "the group's name", text);
        Some(RawGroup { id: id?, name: name? })
    }
}

#[derive(Debug)]
pub struct RawState {
    pub id: String,
    pub label: Option<RawText>,
    pub severity: Option<i64>,
    pub color: Option<String>,
}

impl RawState {
    fn read(r: &mut Reader, v: &Value, path: &[Seg]) -> Option<RawState> {
        let mut f = Fields::new(r, v, path, "a state: a map", &["id", "label", "severity", "color"])?;
        let id = f.req("id", "a state id such as `degraded`", scalar);
        let label = f.opt("label", text);
        let severity = f.opt("severity", integer);
        let color = f.opt("color", scalar);
        Some(RawState { id: id?, label, severity, color })
    }
}

#[derive(Debug)]
pub struct RawService {
    pub name: RawText,
    pub group: Option<String>,
    pub description: Option<RawText>,
    pub order: Option<i64>,
    pub links: Items<RawLink>,
    pub updates: Items<RawServiceUpdate>,
}

impl RawService {
    pub fn read(r: &mut Reader, v: &Value) -> Option<RawService> {
        let known = ["name", "group", "description", "order", "links", "updates"];
        let mut f = Fields::new(r, v, &[], "a service: a map", &known)?;
        Some(RawService {
            name: f.req("name", "the service's name", text).unwrap_or(RawText::Plain(String::new())),
            group: f.opt("group", scalar),
            description: f.opt("description", text),
            order: f.opt("order", integer),
            links: f.list("links", RawLink::read),
            updates: f.list("updates", RawServiceUpdate::read),
        })
    }
}

#[derive(Debug)]
pub struct RawLink {
    pub label: RawText,
    pub guide: Option<String>,
    pub url: Option<String>,
}

impl RawLink {
    fn read(r: &mut Reader, v: &Value, path: &[Seg]) -> Option<RawLink> {
        let mut f = Fields::new(r, v, path, "a link: a map", &["label", "guide", "url"])?;
        let label = f.req("label", "the link's text", text);
        let guide = f.opt("guide", scalar);
        let url = f.opt("url", scalar);
        Some(RawLink { label: label?, guide, url })
    }
}

/// Required fields of an update are `None` when missing or mistyped (already reported):
/// the other fields of the same update are still checked.
#[derive(Debug)]
pub struct RawServiceUpdate {
    pub at: Option<ScalarString>,
    pub status: Option<String>,
    pub text: Option<RawText>,
}

impl RawServiceUpdate {
    fn read(r: &mut Reader, v: &Value, path: &[Seg]) -> Option<RawServiceUpdate> {
        let mut f = Fields::new(r, v, path, "an update: a map", &["at", "status", "text"])?;
        let at = f.req("at", "a time such as `2022-11-28T09:30:00+01:00`", time);
        let status = f.req("status", "a state such as `operational`", scalar);
        let text = f.opt("text", text);
        Some(RawServiceUpdate { at, status, text })
    }
}

#[derive(Debug)]
pub struct RawIncident {
    pub title: RawText,
    pub kind: Option<String>,
    pub services: Items<String>,
    pub scheduled: Option<RawWindow>,
    pub description: Option<RawText>,
    pub updates: Items<RawIncidentUpdate>,
}

impl RawIncident {
    pub fn read(r: &mut Reader, v: &Value) -> Option<RawIncident> {
        let known = ["title", "kind", "services", "scheduled", "description", "updates"];
        let mut f = Fields::new(r, v, &[], "an incident: a map", &known)?;
        Some(RawIncident {
            title: f.req("title", "the incident's title", text).unwrap_or(RawText::Plain(String::new())),
            kind: f.opt("kind", scalar),
            services: f.list("services", scalar),
            scheduled: f.opt("scheduled", RawWindow::read),
            description: f.opt("description", text),
            updates: f.list("updates", RawIncidentUpdate::read),
        })
    }
}

#[derive(Debug)]
pub struct RawWindow {
    pub from: ScalarString,
    pub until: ScalarString,
}

impl RawWindow {
    fn read(r: &mut Reader, v: &Value, path: &[Seg]) -> Option<RawWindow> {
        let mut f = Fields::new(r, v, path, "a window: a map", &["from", "until"])?;
        let from = f.req("from", "the time the window starts", time);
        let until = f.req("until", "the time the window ends", time);
        Some(RawWindow { from: from?, until: until? })
    }
}

/// Like [`RawServiceUpdate`], required fields are `None` when they could not be read.
#[derive(Debug)]
pub struct RawIncidentUpdate {
    pub at: Option<ScalarString>,
    pub phase: Option<String>,
    pub set: OrderedMap<String>,
    pub text: Option<RawText>,
}

impl RawIncidentUpdate {
    fn read(r: &mut Reader, v: &Value, path: &[Seg]) -> Option<RawIncidentUpdate> {
        let mut f = Fields::new(r, v, path, "an update: a map", &["at", "phase", "set", "text"])?;
        let at = f.req("at", "a time such as `2022-11-28T09:30:00+01:00`", time);
        let phase = f.req("phase", "a phase such as `investigating`", scalar);
        let set = f.opt("set", string_map).unwrap_or_default();
        let text = f.opt("text", text);
        Some(RawIncidentUpdate { at, phase, set, text })
    }
}

#[derive(Debug)]
pub struct RawNotice {
    /// Empty when missing; the loader reports an empty title.
    pub title: String,
    pub level: Option<String>,
    pub pinned: bool,
    pub from: Option<ScalarString>,
    pub until: Option<ScalarString>,
}

impl RawNotice {
    pub fn read(r: &mut Reader, v: &Value) -> Option<RawNotice> {
        let known = ["title", "level", "pinned", "from", "until"];
        let mut f = Fields::new(r, v, &[], "front matter: a map", &known)?;
        Some(RawNotice {
            title: f.opt("title", scalar).unwrap_or_default(),
            level: f.opt("level", scalar),
            pinned: f.opt("pinned", boolean).unwrap_or(false),
            from: f.opt("from", time),
            until: f.opt("until", time),
        })
    }
}

#[derive(Debug)]
pub struct RawGuide {
    /// Empty when missing; the loader reports an empty title.
    pub title: String,
    pub summary: Option<String>,
    pub services: Items<String>,
    pub updated: Option<ScalarString>,
    pub order: Option<i64>,
}

impl RawGuide {
    pub fn read(r: &mut Reader, v: &Value) -> Option<RawGuide> {
        let known = ["title", "summary", "services", "updated", "order"];
        let mut f = Fields::new(r, v, &[], "front matter: a map", &known)?;
        Some(RawGuide {
            title: f.opt("title", scalar).unwrap_or_default(),
            summary: f.opt("summary", scalar),
            services: f.list("services", scalar),
            updated: f.opt("updated", time),
            order: f.opt("order", integer),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::locate::display_path;

    fn read<T>(src: &str, f: fn(&mut Reader, &Value) -> Option<T>) -> (Option<T>, Vec<String>) {
        let v: Value = serde_yaml::from_str(src).unwrap();
        let mut r = Reader::default();
        let out = f(&mut r, &v);
        let msgs = r
            .problems
            .iter()
            .map(|p| match display_path(&p.path) {
                path if path.is_empty() => p.message.clone(),
                path => format!("{path}: {}", p.message),
            })
            .collect();
        (out, msgs)
    }

    #[test]
    fn one_bad_item_does_not_hide_the_others() {
        let src = "name: x\nupdates:\n  - at: 2022-11-28\n    stauts: down\n  - at: [1]\n    status: ok\n  - at: 2022-11-29\n    status: degraded\n";
        let (svc, msgs) = read(src, RawService::read);
        let svc = svc.unwrap();
        let status: Vec<Option<&str>> =
            svc.updates.iter().map(|u| u.as_ref().and_then(|u| u.status.as_deref())).collect();
        assert_eq!(status, [None, Some("ok"), Some("degraded")]);
        assert!(svc.updates[1].as_ref().unwrap().at.is_none(), "the bad field alone is missing");
        assert!(
            msgs.iter().any(|m| m.starts_with("updates[0].stauts: unknown field `stauts`")
                && m.contains("did you mean `status`?")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m == "updates[0]: missing field `status`; expected a state such as `operational`"),
            "{msgs:?}"
        );
        assert!(
            msgs.iter().any(|m| m.starts_with("updates[1].at: found a list; expected a time")),
            "{msgs:?}"
        );
        assert_eq!(msgs.len(), 3, "{msgs:?}");
    }

    #[test]
    fn wrong_types_say_what_was_found() {
        let (_, msgs) = read("name: x\nupdates: \"yes\"\norder: ten\n", RawService::read);
        assert!(
            msgs.contains(
                &"updates: found the text `yes`; expected a list (`- item` lines or `[a, b]`)".to_string()
            ),
            "{msgs:?}"
        );
        assert!(
            msgs.contains(&"order: found the text `ten`; expected a whole number".to_string()),
            "{msgs:?}"
        );
    }

    #[test]
    fn scalars_are_text_and_empty_values_absent() {
        let (t, msgs) = read("de: 2022\nen: true", |r, v| text(r, v, &[]));
        assert!(msgs.is_empty());
        assert_eq!(
            t,
            Some(RawText::PerLanguage(vec![("de".into(), "2022".into()), ("en".into(), "true".into())]))
        );
        let (svc, msgs) = read("name: x\ndescription:\nlinks: ~\n", RawService::read);
        assert!(msgs.is_empty(), "{msgs:?}");
        assert!(svc.unwrap().description.is_none());
    }

    #[test]
    fn empty_and_non_map_files() {
        let (s, msgs) = read("", RawService::read);
        assert!(s.is_none());
        assert!(msgs[0].starts_with("empty; expected a service: a map (fields: `name`, `group`"), "{msgs:?}");
        let (_, msgs) = read("- a\n", RawIncident::read);
        assert!(
            msgs[0].starts_with("found a list; expected an incident: a map (fields: `title`"),
            "{msgs:?}"
        );
    }
}
