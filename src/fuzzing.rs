//! Entry points of the fuzz targets in `fuzz/` (feature `fuzzing`; `.ci/fuzz` runs them):
//! every content loader on arbitrary bytes, with the example site as the rest of the site,
//! and `update` on an arbitrary file and request, with what it promises checked. A panic
//! here is a finding: the code under test panicked, or broke a promise.

use crate::author::update::{append_update, item_fields, TextInput, UpdateRequest};
use crate::diagnostics::Diagnostics;
use crate::embedded::EXAMPLE_FILES;
use crate::model::load::memory::{site_config, SiteContext};
use crate::model::text::{RawText, Text};
use crate::model::time::parse_timestamp;
use crate::model::{Derived, IncidentRecord, Phase, ServiceRecord, Site, StateId};
use chrono::{DateTime, Utc};
use std::sync::OnceLock;

/// The fuzzed files' site: the example site's configuration, ids and services.
struct Example {
    ctx: SiteContext,
    services: Vec<ServiceRecord>,
}

fn example() -> &'static Example {
    static EXAMPLE: OnceLock<Example> = OnceLock::new();
    EXAMPLE.get_or_init(|| {
        let (loaded, diags) = site_config(example_file("site.yaml"));
        let Some((config, states)) = loaded else { panic!("the example site.yaml does not load: {diags:?}") };
        let ctx = SiteContext {
            config,
            states,
            service_ids: example_ids("services/", ".yaml"),
            guide_slugs: example_ids("guides/", ".md")
                .into_iter()
                .map(|stem| stem.split('.').next().unwrap_or_default().to_string())
                .collect(),
        };
        let services = ctx
            .service_ids
            .iter()
            .filter_map(|id| ctx.service(id, example_file(&format!("services/{id}.yaml"))).0)
            .collect();
        Example { ctx, services }
    })
}

fn example_file(rel: &str) -> &'static [u8] {
    EXAMPLE_FILES.iter().find(|(path, _)| *path == rel).map(|(_, bytes)| *bytes).unwrap_or_default()
}

fn example_ids(folder: &str, ext: &str) -> Vec<String> {
    let mut ids: Vec<String> = EXAMPLE_FILES
        .iter()
        .filter_map(|(path, _)| path.strip_prefix(folder)?.strip_suffix(ext).map(String::from))
        .collect();
    ids.dedup();
    ids
}

/// The id every fuzzed file has.
const ID: &str = "fuzz";

fn site_with(services: Vec<ServiceRecord>, incidents: Vec<IncidentRecord>) -> Site {
    let ex = example();
    Site {
        root: ".".into(),
        config: ex.ctx.config.clone(),
        states: ex.ctx.states.clone(),
        services,
        incidents,
        notices: Vec::new(),
        guides: Vec::new(),
        static_files: Vec::new(),
    }
}

/// Every position a diagnostic gives lies in the file (or just after its end), with lines
/// counted one of the ways its readers count them: `\n` (our own messages), `\r\n`, `\r`
/// or `\n` (YAML 1.2: the locator), or those and NEL, LS and PS (YAML 1.1: the parser).
fn check_positions(data: &[u8], diags: &Diagnostics) {
    let text = String::from_utf8_lossy(data);
    let crlf_as_one = text.replace("\r\n", "\n");
    let ways: [Vec<&str>; 3] = [
        text.split('\n').collect(),
        crlf_as_one.split(['\n', '\r']).collect(),
        crlf_as_one.split(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}']).collect(),
    ];
    let fits = |lines: &[&str], line: usize, col: usize| {
        line <= lines.len() + 1
            && col <= line.checked_sub(1).and_then(|i| lines.get(i)).map_or(0, |l| l.len()) + 2
    };
    for d in diags.iter() {
        assert!(ways.iter().any(|lines| fits(lines, d.line, d.col)), "a position outside the file: {d}");
        assert!(!d.message.trim().is_empty(), "an empty message: {d:?}");
    }
}

/// The derived view over a loaded record, at the example's "now" and long after.
fn derive(site: &Site) {
    for now in ["2026-11-27T12:00:00+01:00", "9999-12-31T23:59:59Z"] {
        if let Ok(now) = DateTime::parse_from_rfc3339(now) {
            let _ = Derived::compute(site, now.with_timezone(&Utc));
        }
    }
}

/// `content/site.yaml`; when it loads, one example service and incident against it.
pub fn site_yaml(data: &[u8]) {
    let (loaded, diags) = site_config(data);
    check_positions(data, &diags);
    let Some((config, states)) = loaded else { return };
    let ex = example();
    let ctx = SiteContext {
        config,
        states,
        service_ids: ex.ctx.service_ids.clone(),
        guide_slugs: ex.ctx.guide_slugs.clone(),
    };
    let (service, _) = ctx.service("exchange", example_file("services/exchange.yaml"));
    let (incident, _) = ctx.incident("attack", example_file("incidents/cyberattack-2022-11.yaml"));
    let site = Site {
        root: ".".into(),
        config: ctx.config,
        states: ctx.states,
        services: service.into_iter().collect(),
        incidents: incident.into_iter().collect(),
        notices: Vec::new(),
        guides: Vec::new(),
        static_files: Vec::new(),
    };
    derive(&site);
}

/// `content/services/<id>.yaml`.
pub fn service(data: &[u8]) {
    let ex = example();
    let (record, diags) = ex.ctx.service(ID, data);
    check_positions(data, &diags);
    if let (Some(record), 0) = (record, diags.error_count()) {
        let mut services = ex.services.clone();
        services.push(record);
        derive(&site_with(services, Vec::new()));
    }
}

/// `content/incidents/<id>.yaml`.
pub fn incident(data: &[u8]) {
    let ex = example();
    let (record, diags) = ex.ctx.incident(ID, data);
    check_positions(data, &diags);
    if let (Some(record), 0) = (record, diags.error_count()) {
        derive(&site_with(ex.services.clone(), vec![record]));
    }
}

/// `content/notices/<id>.<lang>.md`.
pub fn notice(data: &[u8]) {
    let ex = example();
    let (_, diags) = ex.ctx.notice(ID, ex.ctx.config.languages.first().map_or("en", String::as_str), data);
    check_positions(data, &diags);
}

/// `content/guides/<slug>.<lang>.md`.
pub fn guide(data: &[u8]) {
    let ex = example();
    let (_, diags) = ex.ctx.guide(ID, ex.ctx.config.languages.first().map_or("en", String::as_str), data);
    check_positions(data, &diags);
}

/// An `update` of one file, read from fuzz input: fields separated by NUL (which no
/// file or command-line argument holds), list items by U+001F, keys from values by `=`:
/// `FILE \0 KIND \0 STATE-OR-PHASE \0 SET \0 TEXT \0 LANG-TEXTS \0 AT`. KIND `s` is a
/// service, anything else an incident; an empty field is an option not given, except
/// that AT defaults to a fixed time.
struct UpdateInput {
    file: String,
    is_service: bool,
    req: UpdateRequest,
}

impl UpdateInput {
    fn parse(data: &[u8]) -> Option<UpdateInput> {
        let mut parts = data.split(|&b| b == 0);
        let file = String::from_utf8(parts.next()?.to_vec()).ok()?;
        let mut next = || String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
        let is_service = next().starts_with('s');
        let state = Some(next()).filter(|s| !s.is_empty());
        let pairs = |s: String| -> Vec<(String, String)> {
            s.split('\u{1f}')
                .filter(|item| !item.is_empty())
                .map(|item| match item.split_once('=') {
                    Some((k, v)) => (k.to_string(), v.to_string()),
                    None => (item.to_string(), String::new()),
                })
                .collect()
        };
        let set = pairs(next());
        let all = Some(next()).filter(|s| !s.is_empty());
        let per_lang = pairs(next());
        let at = Some(next()).filter(|s| !s.is_empty()).unwrap_or_else(|| "2026-11-27T12:00:00+01:00".into());
        let (status, phase) = if is_service { (state, None) } else { (None, state) };
        let req = UpdateRequest {
            id: ID.into(),
            status,
            phase,
            set,
            text: TextInput { all, per_lang },
            at: Some(at),
        };
        Some(UpdateInput { file, is_service, req })
    }
}

/// `update`: for a file that loads without errors (`update` refuses any other), either
/// refuses, or gives a text that loads without errors, holds the new update as asked, and
/// is the old text with the item added (an empty `[]`/`~`/`null` list may give way to it).
pub fn update(data: &[u8]) {
    let Some(input) = UpdateInput::parse(data) else { return };
    let ex = example();
    let original = input.file.as_bytes();
    let mut services = ex.services.clone();
    let mut incidents = Vec::new();
    // `update` refuses a site with errors.
    let valid = |d: Diagnostics| d.error_count() == 0;
    if input.is_service {
        let (record, diags) = ex.ctx.service(ID, original);
        let Some(record) = record.filter(|_| valid(diags)) else { return };
        services.push(record);
    } else {
        let (record, diags) = ex.ctx.incident(ID, original);
        let Some(record) = record.filter(|_| valid(diags)) else { return };
        incidents.push(record);
    }
    let site = site_with(services, incidents);
    let Ok((fields, at_str)) = item_fields(&site, input.is_service, &input.req) else { return };
    let Ok(appended) = append_update(&input.file, &fields) else { return };
    let new = appended.text.as_str();
    check_only_added(&input.file, new, &appended.item);

    let tz = site.config.timezone;
    let at =
        parse_timestamp(&at_str, tz).unwrap_or_else(|e| panic!("the time written does not read back: {e}"));
    let asked_at = parse_timestamp(input.req.at.as_deref().unwrap_or_default(), tz).ok();
    assert_eq!(Some(at), asked_at, "the time written is not the time asked for");
    let langs = &site.config.languages;
    let text = expected_text(&input.req.text, langs);

    if input.is_service {
        let (after, diags) = ex.ctx.service(ID, new.as_bytes());
        let Some(mut after) = after.filter(|_| diags.error_count() == 0) else {
            panic!("the updated file does not load: {:?}\n{new}", diags.iter().collect::<Vec<_>>())
        };
        let before = site.service(ID).expect("the record before");
        let ordinal = before.updates.len();
        let pos = after.updates.iter().position(|u| u.ordinal == ordinal).expect("the new update");
        let added = after.updates.remove(pos);
        assert_eq!(added.at, at);
        assert_eq!(Some(added.status.as_str()), input.req.status.as_deref());
        assert_eq!(added.text.as_ref(), Some(&text));
        assert_eq!(format!("{after:?}"), format!("{before:?}"), "the rest of the record changed");
    } else {
        let (after, diags) = ex.ctx.incident(ID, new.as_bytes());
        let Some(mut after) = after.filter(|_| diags.error_count() == 0) else {
            panic!("the updated file does not load: {:?}\n{new}", diags.iter().collect::<Vec<_>>())
        };
        let before = site.incident(ID).expect("the record before");
        let ordinal = before.updates.len();
        let pos = after.updates.iter().position(|u| u.ordinal == ordinal).expect("the new update");
        let added = after.updates.remove(pos);
        assert_eq!(added.at, at);
        assert_eq!(Some(added.phase), input.req.phase.as_deref().and_then(Phase::parse));
        let set: Vec<(String, StateId)> =
            input.req.set.iter().map(|(svc, state)| (svc.clone(), StateId::new(state))).collect();
        assert_eq!(added.set, set);
        assert_eq!(added.text.as_ref(), Some(&text));
        // A service the update sets joins the affected ones (with a warning).
        let mut expected = before.clone();
        for (svc, _) in &set {
            if !expected.services.contains(svc) {
                expected.services.push(svc.clone());
            }
        }
        assert_eq!(format!("{after:?}"), format!("{expected:?}"), "the rest of the record changed");
    }
}

/// The text an update's reader sees: `--text` in every language without a text of its own.
fn expected_text(input: &TextInput, langs: &[String]) -> Text {
    if input.per_lang.is_empty() {
        return Text::plain(input.all.as_deref().unwrap_or_default(), langs);
    }
    let per: Vec<(String, String)> = langs
        .iter()
        .filter_map(|l| {
            let own = input.per_lang.iter().find(|(k, _)| k == l).map(|(_, t)| t.clone());
            own.or_else(|| input.all.clone()).map(|t| (l.clone(), t))
        })
        .collect();
    Text::resolve(&RawText::PerLanguage(per), langs)
}

/// `new` is `old` with `item` inserted once, at most an empty list's `[]`, `~` or `null`
/// (with blanks beside it) taken out, and a line break added at the end where the old
/// text had none.
fn check_only_added(old: &str, new: &str, item: &str) {
    let ok = new.match_indices(item).any(|(pos, _)| {
        let rest = format!("{}{}", &new[..pos], &new[pos + item.len()..]);
        let mut candidates = vec![rest.as_str()];
        if !old.ends_with('\n') {
            candidates.extend(["\r\n", "\n"].iter().filter_map(|brk| rest.strip_suffix(brk)));
        }
        candidates.into_iter().any(|rest| differs_by_an_empty_list(old, rest))
    });
    assert!(ok, "the edit changed more than it added:\n--- old\n{old}\n--- new\n{new}\n--- item\n{item}");
}

/// `rest` is `old`, or `old` without the value of an empty list on one line.
fn differs_by_an_empty_list(old: &str, rest: &str) -> bool {
    let prefix = old.bytes().zip(rest.bytes()).take_while(|(a, b)| a == b).count();
    let max_suffix = old.len().min(rest.len()) - prefix;
    let suffix =
        old.bytes().rev().zip(rest.bytes().rev()).take(max_suffix).take_while(|(a, b)| a == b).count();
    // Bytes, not chars: the ends may cut a character, which no empty list holds.
    let removed = old.get(prefix..old.len() - suffix).unwrap_or("\u{fffd}");
    let added = &rest.as_bytes()[prefix..rest.len() - suffix];
    added.is_empty()
        && matches!(removed.trim_matches([' ', '\t']), "" | "[]" | "~" | "null" | "Null" | "NULL")
}
