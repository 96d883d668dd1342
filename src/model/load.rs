//! Reading `content/` into a validated [`Site`]: every file is parsed and checked on its
//! own (in parallel), references are checked against the ids that the file names give,
//! and every problem of the run is collected rather than stopping at the first.

use super::locate::{display_path, near_precheck_limits, precheck, Locator, Seg, YamlPath};
use super::raw::*;
use super::state::{StateDef, StateId, StateRegistry};
use super::text::{RawText, Text};
use super::time::parse_timestamp;
use super::*;
use crate::diagnostics::{one_of, suggestion, Diagnostics};
use rayon::prelude::*;
use std::cell::OnceCell;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Larger content files are refused rather than read: no status text is this long.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Load and validate the site under `root` (the folder holding `content/`).
/// `Ok` carries the site and its warnings; `Err` every problem, errors and warnings.
pub fn load_site(root: &Path) -> Result<(Site, Diagnostics), Diagnostics> {
    let mut diags = Diagnostics::default();
    let content = root.join("content");
    let site_file = content.join("site.yaml");
    let rel = |p: &Path| p.strip_prefix(root).unwrap_or(p).to_path_buf();

    if !content.is_dir() {
        diags.error(
            &rel(&content),
            0,
            0,
            format!(
                "no `content/` folder in `{}`; expected a site root (try `aushang init DIR`)",
                root.display()
            ),
        );
        return Err(diags);
    }
    let Some((config, states)) = load_config(&site_file, &rel(&site_file), &mut diags) else {
        return Err(diags);
    };

    let listing = list_content(&content, root, &config, &mut diags);
    let ctx = Ctx {
        config: &config,
        states: &states,
        service_ids: listing.services.iter().map(|(id, _)| id.clone()).collect(),
        guide_slugs: listing.guides.iter().map(|f| f.id.clone()).collect(),
    };

    let services: Vec<(Option<ServiceRecord>, Diagnostics)> =
        listing.services.par_iter().map(|(id, path)| ctx.load_service(id, path, root)).collect();
    let incidents: Vec<(Option<IncidentRecord>, Diagnostics)> =
        listing.incidents.par_iter().map(|(id, path)| ctx.load_incident(id, path, root)).collect();
    let docs: Vec<(Option<LoadedDoc>, Diagnostics)> = listing
        .notices
        .par_iter()
        .chain(listing.guides.par_iter())
        .map(|f| ctx.load_document(f, root))
        .collect();

    let mut site = Site {
        root: root.to_path_buf(),
        config: config.clone(),
        states: states.clone(),
        services: Vec::new(),
        incidents: Vec::new(),
        notices: Vec::new(),
        guides: Vec::new(),
        static_files: listing.static_files,
    };
    for (s, d) in services {
        diags.extend(d);
        site.services.extend(s);
    }
    for (i, d) in incidents {
        diags.extend(d);
        site.incidents.extend(i);
    }
    let mut loaded_docs = Vec::new();
    for (doc, d) in docs {
        diags.extend(d);
        loaded_docs.extend(doc);
    }
    // A translation whose file exists but failed to load is reported there, not as missing.
    let notice_files: BTreeSet<(String, String)> =
        listing.notices.iter().map(|f| (f.id.clone(), f.lang.clone())).collect();
    assemble_documents(&mut site, loaded_docs, &notice_files, &mut diags);

    let group_pos = |g: &Option<String>| {
        g.as_ref().and_then(|g| config.groups.iter().position(|x| &x.id == g)).unwrap_or(usize::MAX)
    };
    site.services
        .sort_by(|a, b| (group_pos(&a.group), a.order, &a.id).cmp(&(group_pos(&b.group), b.order, &b.id)));
    site.incidents.sort_by(|a, b| a.id.cmp(&b.id));
    site.guides.sort_by(|a, b| (a.order, &a.slug).cmp(&(b.order, &b.slug)));
    site.notices.sort_by(|a, b| a.id.cmp(&b.id));

    if diags.error_count() > 0 {
        Err(diags)
    } else {
        Ok((site, diags))
    }
}

/// Re-read the incident files of `ids` (`content/incidents/<id>.yaml`) against the rest
/// of `site`, as [`load_site`] would: for `serve`, which then re-renders only what they
/// touch. `Ok` gives, per id, the new record (`None`: the file is gone) and the files'
/// warnings; `Err` every problem of those files.
pub fn reload_incidents(
    site: &Site,
    ids: &[String],
) -> Result<(Vec<Option<IncidentRecord>>, Diagnostics), Diagnostics> {
    let ctx = Ctx {
        config: &site.config,
        states: &site.states,
        service_ids: site.services.iter().map(|s| s.id.clone()).collect(),
        guide_slugs: site.guides.iter().map(|g| g.slug.clone()).collect(),
    };
    let root = site.root.as_path();
    let loaded: Vec<(Option<IncidentRecord>, Diagnostics)> = ids
        .par_iter()
        .map(|id| {
            let path = root.join("content").join("incidents").join(format!("{id}.yaml"));
            if path.exists() {
                ctx.load_incident(id, &path, root)
            } else {
                (None, Diagnostics::default())
            }
        })
        .collect();
    let mut diags = Diagnostics::default();
    let mut records = Vec::with_capacity(loaded.len());
    for (record, d) in loaded {
        diags.extend(d);
        records.push(record);
    }
    if diags.error_count() > 0 {
        Err(diags)
    } else {
        Ok((records, diags))
    }
}

/// Per-file reporting: messages name a YAML path; the position is looked up only when
/// something is wrong.
struct FileCtx<'a> {
    rel: PathBuf,
    src: &'a str,
    line_offset: usize,
    locator: OnceCell<Locator>,
    diags: Diagnostics,
    /// Off when the site's languages are broken: every text would be wrong in the same way.
    check_languages: bool,
}

impl<'a> FileCtx<'a> {
    fn new(rel: PathBuf, src: &'a str, line_offset: usize) -> Self {
        FileCtx {
            rel,
            src,
            line_offset,
            locator: OnceCell::new(),
            diags: Diagnostics::default(),
            check_languages: true,
        }
    }

    fn locator(&self) -> &Locator {
        self.locator.get_or_init(|| Locator::new(self.src, self.line_offset))
    }

    fn error(&mut self, path: &[Seg], msg: impl Into<String>) {
        let (l, c) = self.locator().value(path);
        self.diags.error(&self.rel, l, c, with_path(path, msg.into()));
    }

    fn error_at_key(&mut self, path: &[Seg], msg: impl Into<String>) {
        let (l, c) = self.locator().key(path);
        self.diags.error(&self.rel, l, c, with_path(path, msg.into()));
    }

    fn warning(&mut self, path: &[Seg], msg: impl Into<String>) {
        let (l, c) = self.locator().value(path);
        self.diags.warning(&self.rel, l, c, with_path(path, msg.into()));
    }

    fn serde_error(&mut self, e: &serde_yaml::Error) {
        let (line, col) = e.location().map(|l| (l.line(), l.column())).unwrap_or((1, 1));
        let msg = explain_yaml_error(e, self.src, self.line_offset);
        self.diags.error(&self.rel, line + self.line_offset, col, msg);
    }

    /// Parse the file and read it with `read`; every problem is reported, and `None`
    /// means the file could not be read at all.
    fn parse<T>(&mut self, read: fn(&mut Reader, &serde_yaml::Value) -> Option<T>) -> Option<T> {
        // `precheck` is a second parse of the file. It must come first where the real
        // parser could be made slow or huge: large files, many flow brackets (its time grows
        // with the square of their nesting) and anchors (aliases can multiply values). Any
        // other file is parsed once, and checked only if the result comes near our limits or
        // the parse failed, to say where and why.
        let brackets = self.src.bytes().filter(|b| matches!(b, b'[' | b'{')).count();
        let risky = self.src.len() > PARSE_FIRST_MAX_BYTES
            || brackets > PARSE_FIRST_MAX_BRACKETS
            || self.src.contains('&');
        let parsed: Option<Result<serde_yaml::Value, _>> = (!risky).then(|| serde_yaml::from_str(self.src));
        if parsed.as_ref().is_none_or(|p| p.as_ref().map_or(true, near_precheck_limits)) {
            if let Err(r) = precheck(self.src) {
                self.diags.error(&self.rel, r.line + self.line_offset, r.col, r.message);
                return None;
            }
        }
        let value = match parsed.unwrap_or_else(|| serde_yaml::from_str(self.src)) {
            Ok(v) => v,
            Err(e) => {
                self.serde_error(&e);
                return None;
            }
        };
        let mut reader = Reader::default();
        let out = read(&mut reader, &value);
        for p in reader.problems {
            if p.at_key {
                self.error_at_key(&p.path, p.message);
            } else {
                self.error(&p.path, p.message);
            }
        }
        out
    }

    fn text(&mut self, raw: &RawText, path: YamlPath, languages: &[String]) -> Text {
        if !self.check_languages {
            return Text::resolve(raw, languages);
        }
        if let RawText::PerLanguage(map) = raw {
            if map.is_empty() {
                self.error(&path, "empty text; expected a text or { de: ..., en: ... }");
            }
            for (k, _) in map {
                if !languages.contains(k) {
                    let mut p = path.clone();
                    p.push(Seg::Key(k.clone()));
                    self.error_at_key(
                        &p,
                        format!(
                            "`{k}` is not a language of this site; expected {}{}",
                            one_of(languages),
                            suggestion(k, languages.iter().map(String::as_str))
                        ),
                    );
                }
            }
            if map.iter().any(|(k, _)| languages.contains(k)) {
                for lang in languages {
                    if !map.iter().any(|(k, _)| k == lang) {
                        self.warning(&path, format!("missing translation for `{lang}`"));
                    }
                }
            }
        }
        Text::resolve(raw, languages)
    }

    /// A name or title: shown in navigation, page titles and badges, so it must be short.
    fn name(&mut self, raw: &RawText, path: YamlPath, languages: &[String]) -> Text {
        let texts: Vec<&str> = match raw {
            RawText::Plain(s) => vec![s.as_str()],
            RawText::PerLanguage(map) => map.iter().map(|(_, v)| v.as_str()).collect(),
        };
        if let Some(long) = texts.into_iter().find(|t| t.chars().count() > MAX_NAME_CHARS) {
            self.error(&path, too_long(long));
        }
        self.text(raw, path, languages)
    }

    fn time(&mut self, s: &str, path: YamlPath, tz: chrono_tz::Tz) -> Option<chrono::DateTime<chrono::Utc>> {
        match parse_timestamp(s, tz) {
            Ok(t) => Some(t),
            Err(e) => {
                self.error(&path, e);
                None
            }
        }
    }
}

/// Longer names and titles are refused (the longest in the example site has 70).
pub const MAX_NAME_CHARS: usize = 200;

fn too_long(s: &str) -> String {
    let start: String = s.chars().take(30).collect();
    format!(
        "`{start}…` is {} characters long; expected a short name or title of at most {MAX_NAME_CHARS} \
         (longer text belongs in `description` or the body)",
        s.chars().count()
    )
}

fn with_path(path: &[Seg], msg: String) -> String {
    if path.is_empty() {
        msg
    } else {
        format!("{}: {msg}", display_path(path))
    }
}

/// Files within these bounds and without anchors are parsed before `precheck`: block
/// nesting this small, deep or not, costs the parser milliseconds (measured: 64 KB of
/// `- ` or of indented keys, 20–40 ms), while 64 KB of `[` takes it 10 s.
const PARSE_FIRST_MAX_BYTES: usize = 64 * 1024;
const PARSE_FIRST_MAX_BRACKETS: usize = 256;

/// The YAML parser's message without the position that leads the diagnostic anyway,
/// with the lines it mentions counted in the whole file (front matter starts on line 2),
/// and a hint for the most common cause, a tab used for indentation.
fn explain_yaml_error(e: &serde_yaml::Error, src: &str, line_offset: usize) -> String {
    let msg = e.to_string();
    let mut out = String::new();
    let mut rest = msg.as_str();
    let mut first = true;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + " at line ".len()..];
        let digits = after.find(|c: char| !c.is_ascii_digit()).unwrap_or(after.len());
        let line: usize = after[..digits].parse().unwrap_or(0);
        let mut tail = &after[digits..];
        // The first position is the problem's own, already in front of the message.
        if let Some(col) = tail.strip_prefix(" column ") {
            let n = col.find(|c: char| !c.is_ascii_digit()).unwrap_or(col.len());
            if !first {
                out.push_str(&format!(" at line {} column {}", line + line_offset, &col[..n]));
            }
            tail = &col[n..];
        } else if !first {
            out.push_str(&format!(" at line {}", line + line_offset));
        }
        first = false;
        rest = tail;
    }
    out.push_str(rest);
    let tab = e.location().is_some_and(|l| {
        src.lines().nth(l.line().saturating_sub(1)).is_some_and(|text| {
            let at_tab = text.chars().nth(l.column().saturating_sub(1)) == Some('\t');
            let tab_indented =
                text.contains('\t') && text.chars().take(l.column()).all(|c| c == ' ' || c == '\t');
            at_tab || tab_indented
        })
    });
    let hint = if tab { "; expected spaces for indentation (YAML does not allow tabs)" } else { "" };
    // Integers beyond 64 bits are valid YAML that the value tree cannot hold.
    if let Some(i) = out.find("invalid type: integer") {
        return format!(
            "{}found a number too large to read; expected a smaller one, or quotes around it",
            &out[..i]
        );
    }
    format!("YAML syntax error: {out}{hint}")
}

/// Read a content file as UTF-8 text with a size limit; problems become diagnostics.
fn read_text(path: &Path, rel: &Path, diags: &mut Diagnostics) -> Option<String> {
    match std::fs::metadata(path) {
        Ok(m) if m.len() > MAX_FILE_BYTES => {
            diags.error(rel, 0, 0, format!("file is {} bytes; expected at most {MAX_FILE_BYTES}", m.len()));
            return None;
        }
        Err(e) => {
            diags.error(rel, 0, 0, format!("cannot read: {e}"));
            return None;
        }
        _ => {}
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            diags.error(rel, 0, 0, format!("cannot read: {e}"));
            return None;
        }
    };
    match String::from_utf8(bytes) {
        Ok(s) => Some(s.strip_prefix('\u{feff}').map(str::to_string).unwrap_or(s)),
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
            let col = valid.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
            diags.error(rel, line, col, "invalid UTF-8 byte; expected text encoded as UTF-8");
            None
        }
    }
}

/// An id from a file name: lowercase ASCII letters, digits and `-`, starting with a
/// letter or digit. This is what makes file names safe to use as URLs.
pub fn is_valid_id(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && s.len() <= 100
}

fn id_problem(s: &str) -> String {
    format!(
        "`{s}` is not a valid id; expected lowercase ASCII letters, digits and `-`, starting with a letter or digit{}",
        if s.chars().any(|c| c.is_ascii_uppercase()) {
            format!(" (e.g. `{}`)", s.to_ascii_lowercase().replace([' ', '_'], "-"))
        } else {
            String::new()
        }
    )
}

fn load_config(path: &Path, rel: &Path, diags: &mut Diagnostics) -> Option<(SiteConfig, StateRegistry)> {
    if !path.is_file() {
        diags.error(rel, 0, 0, "missing; expected the site configuration `content/site.yaml`");
        return None;
    }
    let src = read_text(path, rel, diags)?;
    let mut f = FileCtx::new(rel.to_path_buf(), &src, 0);
    let Some(raw) = f.parse(RawSite::read) else {
        diags.extend(f.diags);
        return None;
    };
    let k = |s: &str| vec![Seg::Key(s.to_string())];

    let mut languages: Vec<String> = Vec::new();
    for (i, l) in raw.languages.iter().flatten().enumerate() {
        let Some(l) = l else { continue };
        let p = vec![Seg::Key("languages".into()), Seg::Index(i)];
        let ok = (2..=3).contains(&l.len()) && l.chars().all(|c| c.is_ascii_lowercase());
        if !ok {
            f.error(&p, format!("`{l}` is not a language code; expected two or three lowercase letters such as `de` or `en`"));
        } else if languages.contains(l) {
            f.error(&p, format!("`{l}` is listed twice"));
        } else {
            languages.push(l.clone());
        }
    }
    if raw.languages.as_ref().is_some_and(Vec::is_empty) {
        f.error(&k("languages"), "no languages; expected a list such as [de, en], default language first");
    }
    if languages.is_empty() {
        f.check_languages = false;
        languages.push("en".into());
    }

    let timezone = match raw.timezone.as_deref().map(|t| (t, t.parse::<chrono_tz::Tz>())) {
        None => chrono_tz::UTC,
        Some((_, Ok(tz))) => tz,
        Some((name, Err(_))) => {
            let names = chrono_tz::TZ_VARIANTS.iter().map(|t| t.name());
            f.error(
                &k("timezone"),
                format!(
                    "`{name}` is not an IANA timezone; expected a name such as `Europe/Berlin`{}",
                    suggestion(name, names)
                ),
            );
            chrono_tz::UTC
        }
    };

    // A missing base_url is already reported; an empty one keeps the other checks going.
    let mut base_url = raw.base_url.as_deref().unwrap_or_default().trim().to_string();
    let scheme_ok = base_url.starts_with("https://") || base_url.starts_with("http://");
    let host_ok = base_url.split("://").nth(1).is_some_and(|h| !h.is_empty() && !h.starts_with('/'));
    let bad = !scheme_ok
        || !host_ok
        || base_url.contains(char::is_whitespace)
        || base_url.contains(['<', '>', '"', '\'']);
    if bad && raw.base_url.is_some() {
        f.error(
            &k("base_url"),
            format!("`{base_url}` is not an absolute URL; expected e.g. `https://status.example.org/`"),
        );
    }
    if !base_url.ends_with('/') {
        base_url.push('/');
    }

    let theme = raw.theme.clone().unwrap_or_else(|| "default".into());
    if !is_valid_id(&theme) {
        f.error(&k("theme"), id_problem(&theme));
    }

    let title = f.name(raw.title.as_ref().unwrap_or(&RawText::Plain(String::new())), k("title"), &languages);
    let contact = raw.contact.as_ref().map(|c| f.text(c, k("contact"), &languages));
    let mut groups: Vec<Group> = Vec::new();
    for (i, g) in raw.groups.iter().enumerate() {
        let Some(g) = g else { continue };
        let p = vec![Seg::Key("groups".into()), Seg::Index(i)];
        let mut pid = p.clone();
        pid.push(Seg::Key("id".into()));
        if !is_valid_id(&g.id) {
            f.error(&pid, id_problem(&g.id));
        } else if groups.iter().any(|x| x.id == g.id) {
            f.error(&pid, format!("group `{}` is defined twice", g.id));
        }
        let mut pn = p.clone();
        pn.push(Seg::Key("name".into()));
        let name = f.name(&g.name, pn, &languages);
        groups.push(Group { id: g.id.clone(), name });
    }

    let mut states = StateRegistry::builtin();
    for (i, s) in raw.states.iter().enumerate() {
        let Some(s) = s else { continue };
        let p = vec![Seg::Key("states".into()), Seg::Index(i)];
        let sub = |name: &str| {
            let mut q = p.clone();
            q.push(Seg::Key(name.into()));
            q
        };
        let id_ok = !s.id.is_empty()
            && s.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !id_ok {
            f.error(
                &sub("id"),
                format!("`{}` is not a valid state id; expected lowercase letters, digits and `_`", s.id),
            );
            continue;
        }
        let severity = match s.severity {
            Some(v) if (0..=100).contains(&v) => Some(v as u8),
            Some(v) => {
                f.error(&sub("severity"), format!("{v} is out of range; expected a number from 0 to 100"));
                continue;
            }
            None => None,
        };
        if let Some(c) = &s.color {
            let hex = c.len() > 1
                && c.starts_with('#')
                && c[1..].chars().all(|h| h.is_ascii_hexdigit())
                && matches!(c.len(), 4 | 7);
            let named = !c.is_empty() && c.chars().all(|h| h.is_ascii_alphabetic());
            if !hex && !named {
                f.error(
                    &sub("color"),
                    format!("`{c}` is not a colour; expected `#rrggbb`, `#rgb` or a CSS colour name"),
                );
            }
        }
        let label = s.label.as_ref().map(|l| f.name(l, sub("label"), &languages));
        if let Some(existing) = states.states.iter_mut().find(|x| x.id.as_str() == s.id) {
            if let Some(l) = label {
                existing.label = Some(l);
            }
            if let Some(v) = severity {
                existing.severity = v;
            }
            if let Some(c) = &s.color {
                existing.color = c.clone();
            }
        } else {
            let Some(severity) = severity else {
                f.error(&p, format!("new state `{}` needs a `severity` from 0 to 100", s.id));
                continue;
            };
            let Some(label) = label else {
                f.error(&p, format!("new state `{}` needs a `label`", s.id));
                continue;
            };
            states.states.push(StateDef {
                id: StateId::new(&s.id),
                severity,
                label: Some(label),
                color: s.color.clone().unwrap_or_else(|| "#555555".into()),
            });
        }
    }
    let errors = f.diags.error_count();
    diags.extend(f.diags);
    if errors > 0 {
        return None;
    }
    Some((SiteConfig { title, base_url, languages, timezone, theme, contact, groups }, states))
}

/// A Markdown file of a notice or guide, named `<id>.<lang>.md` or `<id>.md`.
#[derive(Debug, Clone)]
struct DocFile {
    kind: DocKind,
    id: String,
    lang: String,
    path: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DocKind {
    Notice,
    Guide,
}

#[derive(Default)]
struct Listing {
    services: Vec<(String, PathBuf)>,
    incidents: Vec<(String, PathBuf)>,
    notices: Vec<DocFile>,
    guides: Vec<DocFile>,
    static_files: Vec<PathBuf>,
}

/// Editors' backup, swap and lock files, and hidden files: never content.
pub fn is_ignored_file(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
}

fn list_dir(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    v.sort();
    v
}

fn list_content(content: &Path, root: &Path, config: &SiteConfig, diags: &mut Diagnostics) -> Listing {
    let rel = |p: &Path| p.strip_prefix(root).unwrap_or(p).to_path_buf();
    let mut out = Listing::default();
    for (folder, is_services) in [("services", true), ("incidents", false)] {
        for p in list_dir(&content.join(folder)) {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
            if is_ignored_file(&name) {
                continue;
            }
            if p.is_dir() {
                diags.warning(&rel(&p), 0, 0, "folder ignored; expected only `<id>.yaml` files here");
                continue;
            }
            let Some(id) = name.strip_suffix(".yaml") else {
                let hint = if name.ends_with(".yml") { "; rename it to `.yaml`" } else { "" };
                diags.error(&rel(&p), 0, 0, format!("`{name}` is not a `<id>.yaml` file{hint}"));
                continue;
            };
            if !is_valid_id(id) {
                diags.error(&rel(&p), 0, 0, format!("file name: {}", id_problem(id)));
                continue;
            }
            if is_services {
                out.services.push((id.to_string(), p));
            } else {
                out.incidents.push((id.to_string(), p));
            }
        }
    }
    for (folder, kind) in [("notices", DocKind::Notice), ("guides", DocKind::Guide)] {
        let mut seen: BTreeSet<(String, String)> = BTreeSet::new();
        for p in list_dir(&content.join(folder)) {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
            if is_ignored_file(&name) {
                continue;
            }
            if p.is_dir() {
                diags.warning(&rel(&p), 0, 0, "folder ignored; expected only `<id>.<lang>.md` files here");
                continue;
            }
            let Some(stem) = name.strip_suffix(".md") else {
                diags.error(
                    &rel(&p),
                    0,
                    0,
                    format!("`{name}` is not a Markdown file; expected `<id>.<lang>.md`"),
                );
                continue;
            };
            let (id, lang) = match stem.rsplit_once('.') {
                Some((id, lang)) => (id, lang.to_string()),
                None => (stem, config.languages[0].clone()),
            };
            if !config.languages.contains(&lang) {
                diags.error(
                    &rel(&p),
                    0,
                    0,
                    format!(
                        "file name: `{lang}` is not a language of this site; expected {}{}",
                        one_of(&config.languages),
                        suggestion(&lang, config.languages.iter().map(String::as_str))
                    ),
                );
                continue;
            }
            if !is_valid_id(id) {
                diags.error(&rel(&p), 0, 0, format!("file name: {}", id_problem(id)));
                continue;
            }
            if !seen.insert((id.to_string(), lang.clone())) {
                diags.error(&rel(&p), 0, 0, format!("`{id}` exists twice in `{lang}` (with and without the language suffix); keep one file"));
                continue;
            }
            let f = DocFile { kind, id: id.to_string(), lang, path: p };
            match kind {
                DocKind::Notice => out.notices.push(f),
                DocKind::Guide => out.guides.push(f),
            }
        }
    }
    let static_dir = content.join("static");
    if static_dir.is_dir() {
        for e in walkdir::WalkDir::new(&static_dir).sort_by_file_name().into_iter().filter_map(Result::ok) {
            if !e.file_type().is_file() {
                continue;
            }
            let Ok(r) = e.path().strip_prefix(&static_dir) else { continue };
            let name = e.file_name().to_str().unwrap_or("");
            if is_ignored_file(name) {
                continue;
            }
            let safe = r.components().all(|c| match c {
                std::path::Component::Normal(s) => s.to_str().is_some_and(|s| {
                    !s.is_empty()
                        && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
                        && !s.starts_with('.')
                }),
                _ => false,
            });
            if !safe {
                diags.error(
                    &rel(e.path()),
                    0,
                    0,
                    "file name is not safe as a URL; expected ASCII letters, digits, `-`, `_` and `.`",
                );
                continue;
            }
            out.static_files.push(r.to_path_buf());
        }
    }
    out
}

/// What per-file loading needs to know about the whole site.
struct Ctx<'a> {
    config: &'a SiteConfig,
    states: &'a StateRegistry,
    service_ids: Vec<String>,
    guide_slugs: Vec<String>,
}

struct LoadedDoc {
    file: DocFile,
    doc: Document,
    notice: Option<RawNotice>,
    guide: Option<RawGuide>,
    /// Parsed times, already validated: (from, until) or (updated, None).
    times: (Option<chrono::DateTime<chrono::Utc>>, Option<chrono::DateTime<chrono::Utc>>),
    level: NoticeLevel,
}

impl Ctx<'_> {
    fn langs(&self) -> &[String] {
        &self.config.languages
    }

    fn check_state(&self, f: &mut FileCtx, state: &str, path: YamlPath) {
        if self.states.get(state).is_none() {
            let ids: Vec<&str> = self.states.ids().collect();
            f.error(
                &path,
                format!(
                    "unknown state `{state}`; expected {}{}",
                    one_of(&ids),
                    suggestion(state, ids.iter().copied())
                ),
            );
        }
    }

    fn check_service_ref(&self, f: &mut FileCtx, id: &str, path: YamlPath) -> bool {
        if self.service_ids.iter().any(|s| s == id) {
            return true;
        }
        f.error(
            &path,
            format!(
                "unknown service `{id}`; expected the id of a file in content/services/{}",
                suggestion(id, self.service_ids.iter().map(String::as_str))
            ),
        );
        false
    }

    fn load_service(&self, id: &str, path: &Path, root: &Path) -> (Option<ServiceRecord>, Diagnostics) {
        let rel = path.strip_prefix(root).unwrap_or(path).to_path_buf();
        let mut d = Diagnostics::default();
        let Some(src) = read_text(path, &rel, &mut d) else { return (None, d) };
        let mut f = FileCtx::new(rel, &src, 0);
        let Some(raw) = f.parse(RawService::read) else { return (None, f.diags) };
        let k = |s: &str| vec![Seg::Key(s.to_string())];
        let name = f.name(&raw.name, k("name"), self.langs());
        let description = raw.description.as_ref().map(|t| f.text(t, k("description"), self.langs()));
        if let Some(g) = &raw.group {
            if self.config.groups.is_empty() {
                f.error(&k("group"), format!("group `{g}` given, but site.yaml defines no `groups`"));
            } else if !self.config.groups.iter().any(|x| &x.id == g) {
                let ids: Vec<&str> = self.config.groups.iter().map(|x| x.id.as_str()).collect();
                f.error(
                    &k("group"),
                    format!(
                        "unknown group `{g}`; expected {}{}",
                        one_of(&ids),
                        suggestion(g, ids.iter().copied())
                    ),
                );
            }
        }
        let mut links = Vec::new();
        for (i, l) in raw.links.iter().enumerate() {
            let Some(l) = l else { continue };
            let p = vec![Seg::Key("links".into()), Seg::Index(i)];
            let mut lp = p.clone();
            lp.push(Seg::Key("label".into()));
            let label = f.text(&l.label, lp, self.langs());
            let target = match (&l.guide, &l.url) {
                (Some(g), None) => {
                    let mut gp = p.clone();
                    gp.push(Seg::Key("guide".into()));
                    if !self.guide_slugs.contains(g) {
                        f.error(
                            &gp,
                            format!(
                                "unknown guide `{g}`; expected the slug of a file in content/guides/{}",
                                suggestion(g, self.guide_slugs.iter().map(String::as_str))
                            ),
                        );
                        continue;
                    }
                    LinkTarget::Guide(g.clone())
                }
                (None, Some(u)) => {
                    let mut up = p.clone();
                    up.push(Seg::Key("url".into()));
                    if !(u.starts_with("https://")
                        || u.starts_with("http://")
                        || u.starts_with("mailto:")
                        || u.starts_with('/'))
                        || u.contains(char::is_whitespace)
                    {
                        f.error(&up, format!("`{u}` is not a URL; expected `https://…`, `mailto:…` or a path starting with `/`"));
                        continue;
                    }
                    LinkTarget::Url(u.clone())
                }
                (Some(_), Some(_)) => {
                    f.error(&p, "found both `guide` and `url`; expected exactly one of them");
                    continue;
                }
                (None, None) => {
                    f.error(&p, "found neither `guide` nor `url`; expected exactly one of them");
                    continue;
                }
            };
            links.push(ServiceLink { label, target });
        }
        let mut updates = Vec::new();
        for (i, u) in raw.updates.iter().enumerate() {
            let Some(u) = u else { continue };
            let p = |s: &str| vec![Seg::Key("updates".into()), Seg::Index(i), Seg::Key(s.into())];
            if let Some(status) = &u.status {
                self.check_state(&mut f, status, p("status"));
            }
            let text = u.text.as_ref().map(|t| f.text(t, p("text"), self.langs()));
            let at = u.at.as_ref().and_then(|at| f.time(&at.0, p("at"), self.config.timezone));
            if let (Some(at), Some(status)) = (at, &u.status) {
                updates.push(ServiceUpdate { at, status: StateId::new(status), text, ordinal: i });
            }
        }
        updates.sort_by_key(|u| (u.at, u.ordinal));
        let record = ServiceRecord {
            id: id.to_string(),
            file: f.rel.clone(),
            name,
            group: raw.group.clone(),
            description,
            order: raw.order.unwrap_or(0),
            links,
            updates,
        };
        (Some(record), f.diags)
    }

    fn load_incident(&self, id: &str, path: &Path, root: &Path) -> (Option<IncidentRecord>, Diagnostics) {
        let rel = path.strip_prefix(root).unwrap_or(path).to_path_buf();
        let mut d = Diagnostics::default();
        let Some(src) = read_text(path, &rel, &mut d) else { return (None, d) };
        let mut f = FileCtx::new(rel, &src, 0);
        let Some(raw) = f.parse(RawIncident::read) else { return (None, f.diags) };
        let k = |s: &str| vec![Seg::Key(s.to_string())];
        let tz = self.config.timezone;
        let title = f.name(&raw.title, k("title"), self.langs());
        let description = raw.description.as_ref().map(|t| f.text(t, k("description"), self.langs()));
        let kind = match raw.kind.as_deref() {
            None | Some("incident") => IncidentKind::Incident,
            Some("maintenance") => IncidentKind::Maintenance,
            Some(other) => {
                f.error(
                    &k("kind"),
                    format!(
                        "unknown kind `{other}`; expected `incident` or `maintenance`{}",
                        suggestion(other, ["incident", "maintenance"])
                    ),
                );
                IncidentKind::Incident
            }
        };
        let mut services: Vec<String> = Vec::new();
        for (i, s) in raw.services.iter().enumerate() {
            let Some(s) = s else { continue };
            let p = vec![Seg::Key("services".into()), Seg::Index(i)];
            if self.check_service_ref(&mut f, s, p.clone()) {
                if services.contains(s) {
                    f.warning(&p, format!("service `{s}` is listed twice"));
                } else {
                    services.push(s.clone());
                }
            }
        }
        let scheduled = match (&raw.scheduled, kind) {
            (Some(w), IncidentKind::Maintenance) => {
                let from = f.time(&w.from.0, vec![Seg::Key("scheduled".into()), Seg::Key("from".into())], tz);
                let until =
                    f.time(&w.until.0, vec![Seg::Key("scheduled".into()), Seg::Key("until".into())], tz);
                match (from, until) {
                    (Some(from), Some(until)) if until <= from => {
                        f.error(
                            &[Seg::Key("scheduled".into()), Seg::Key("until".into())],
                            "the window ends before it starts; expected `until` after `from`",
                        );
                        None
                    }
                    (Some(from), Some(until)) => Some(Window { from, until }),
                    _ => None,
                }
            }
            (Some(_), IncidentKind::Incident) => {
                f.error_at_key(
                    &k("scheduled"),
                    "`scheduled` is only for maintenance; expected `kind: maintenance` or no `scheduled`",
                );
                None
            }
            (None, IncidentKind::Maintenance) => {
                f.error(
                    &k("kind"),
                    "maintenance needs a window; expected `scheduled: { from: ..., until: ... }`",
                );
                None
            }
            (None, IncidentKind::Incident) => None,
        };
        let mut updates = Vec::new();
        for (i, u) in raw.updates.iter().enumerate() {
            let Some(u) = u else { continue };
            let p = |s: &str| vec![Seg::Key("updates".into()), Seg::Index(i), Seg::Key(s.into())];
            // A missing phase is already reported; the rest of the update is still checked.
            let phase = match u.phase.as_deref().map(|id| (id, Phase::parse(id))) {
                Some((_, Some(phase))) if phase.kind() == kind => Some(phase),
                Some((id, parsed)) => {
                    let phases: Vec<&str> = kind.phases().iter().map(|p| p.as_str()).collect();
                    let hint = if kind == IncidentKind::Incident && parsed.is_some() {
                        " (that is a maintenance phase; set `kind: maintenance`)".to_string()
                    } else {
                        suggestion(id, phases.iter().copied())
                    };
                    f.error(
                        &p("phase"),
                        format!("unknown {} phase `{id}`; expected {}{hint}", kind.as_str(), one_of(&phases)),
                    );
                    None
                }
                None => None,
            };
            let mut set = Vec::new();
            for (svc, state) in &u.set.0 {
                let mut sp = p("set");
                sp.push(Seg::Key(svc.clone()));
                let known = self.service_ids.contains(svc);
                if !known {
                    let msg = format!(
                        "unknown service `{svc}`; expected the id of a file in content/services/{}",
                        suggestion(svc, self.service_ids.iter().map(String::as_str))
                    );
                    f.error_at_key(&sp, msg);
                } else if !services.contains(svc) && !raw.services.iter().flatten().any(|s| s == svc) {
                    f.warning(
                        &sp,
                        format!(
                            "`{svc}` is set here but not listed in `services`; it is treated as affected"
                        ),
                    );
                    services.push(svc.clone());
                }
                self.check_state(&mut f, state, sp);
                if known {
                    set.push((svc.clone(), StateId::new(state)));
                }
            }
            let text = u.text.as_ref().map(|t| f.text(t, p("text"), self.langs()));
            let at = u.at.as_ref().and_then(|at| f.time(&at.0, p("at"), tz));
            if let (Some(at), Some(phase)) = (at, phase) {
                updates.push(IncidentUpdate { at, phase, set, text, ordinal: i, anchor: String::new() });
            }
        }
        updates.sort_by_key(|u| (u.at, u.ordinal));
        let closing = kind.closing_phase();
        if let Some(pos) = updates.iter().position(|u| u.phase == closing) {
            for u in &updates[pos + 1..] {
                let p = vec![Seg::Key("updates".into()), Seg::Index(u.ordinal), Seg::Key("at".into())];
                f.warning(
                    &p,
                    format!(
                        "update after the incident was {closing}; expected `{closing}` to be the last phase"
                    ),
                );
            }
        }
        if raw.updates.is_empty() {
            f.warning(&k("title"), "no updates; readers will see the incident without any text");
        }
        let mut record = IncidentRecord {
            id: id.to_string(),
            file: f.rel.clone(),
            title,
            kind,
            services,
            scheduled,
            description,
            updates,
        };
        record.set_anchors();
        (Some(record), f.diags)
    }

    fn load_document(&self, file: &DocFile, root: &Path) -> (Option<LoadedDoc>, Diagnostics) {
        let rel = file.path.strip_prefix(root).unwrap_or(&file.path).to_path_buf();
        let mut d = Diagnostics::default();
        let Some(src) = read_text(&file.path, &rel, &mut d) else { return (None, d) };
        let Some((front, body)) = split_front_matter(&src) else {
            d.error(&rel, 1, 1, "missing front matter; expected the file to start with a `---` line, YAML, and another `---` line");
            return (None, d);
        };
        let mut f = FileCtx::new(rel.clone(), front, 1);
        let k = |s: &str| vec![Seg::Key(s.to_string())];
        let tz = self.config.timezone;
        let mut loaded = LoadedDoc {
            file: file.clone(),
            doc: Document {
                lang: file.lang.clone(),
                file: rel,
                title: String::new(),
                body: body.to_string(),
            },
            notice: None,
            guide: None,
            times: (None, None),
            level: NoticeLevel::Info,
        };
        match file.kind {
            DocKind::Notice => {
                let Some(raw) = f.parse(RawNotice::read) else { return (None, f.diags) };
                loaded.level = match raw.level.as_deref() {
                    None | Some("info") => NoticeLevel::Info,
                    Some("warning") => NoticeLevel::Warning,
                    Some("critical") => NoticeLevel::Critical,
                    Some(other) => {
                        let levels = ["info", "warning", "critical"];
                        f.error(
                            &k("level"),
                            format!(
                                "unknown level `{other}`; expected {}{}",
                                one_of(&levels),
                                suggestion(other, levels)
                            ),
                        );
                        NoticeLevel::Info
                    }
                };
                let from = raw.from.as_ref().and_then(|t| f.time(&t.0, k("from"), tz));
                let until = raw.until.as_ref().and_then(|t| f.time(&t.0, k("until"), tz));
                if let (Some(a), Some(b)) = (from, until) {
                    if b <= a {
                        f.error(
                            &k("until"),
                            "`until` is before `from`; expected the notice to end after it starts",
                        );
                    }
                }
                loaded.times = (from, until);
                loaded.doc.title = raw.title.clone();
                loaded.notice = Some(raw);
            }
            DocKind::Guide => {
                let Some(raw) = f.parse(RawGuide::read) else { return (None, f.diags) };
                for (i, s) in raw.services.iter().enumerate() {
                    let Some(s) = s else { continue };
                    self.check_service_ref(&mut f, s, vec![Seg::Key("services".into()), Seg::Index(i)]);
                }
                loaded.times.0 = raw.updated.as_ref().and_then(|t| f.time(&t.0, k("updated"), tz));
                loaded.doc.title = raw.title.clone();
                loaded.guide = Some(raw);
            }
        }
        if loaded.doc.title.trim().is_empty() {
            f.error(&k("title"), "empty title; expected a short title");
        } else if loaded.doc.title.chars().count() > MAX_NAME_CHARS {
            let msg = too_long(&loaded.doc.title);
            f.error(&k("title"), msg);
        }
        let ok = f.diags.error_count() == 0;
        (ok.then_some(loaded), f.diags)
    }
}

/// Split `---\n<yaml>\n---\n<body>`; None when the file has no front matter.
pub fn split_front_matter(src: &str) -> Option<(&str, &str)> {
    let rest = src.strip_prefix("---\n").or_else(|| src.strip_prefix("---\r\n"))?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let body = &rest[offset + line.len()..];
            return Some((&rest[..offset], body));
        }
        offset += line.len();
    }
    None
}

/// Group per-language documents into notices and guides; metadata comes from the
/// default language's file where there is one.
fn assemble_documents(
    site: &mut Site,
    docs: Vec<LoadedDoc>,
    notice_files: &BTreeSet<(String, String)>,
    diags: &mut Diagnostics,
) {
    let langs = site.config.languages.clone();
    let lang_pos = |l: &str| langs.iter().position(|x| x == l).unwrap_or(usize::MAX);
    let mut by_id: std::collections::BTreeMap<(u8, String), Vec<LoadedDoc>> = Default::default();
    for d in docs {
        let kind = if d.file.kind == DocKind::Notice { 0 } else { 1 };
        by_id.entry((kind, d.file.id.clone())).or_default().push(d);
    }
    for ((kind, id), mut group) in by_id {
        group.sort_by_key(|d| lang_pos(&d.file.lang));
        let primary = &group[0];
        if kind == 0 {
            for other in &group[1..] {
                let (a, b) = (primary.notice.as_ref(), other.notice.as_ref());
                if let (Some(a), Some(b)) = (a, b) {
                    if a.pinned != b.pinned || primary.level != other.level || primary.times != other.times {
                        diags.warning(
                            &other.doc.file,
                            2,
                            1,
                            format!(
                                "level, pinned, from or until differ from `{}`; that file's values are used",
                                primary.doc.file.display()
                            ),
                        );
                    }
                }
            }
            for l in &langs {
                if !notice_files.contains(&(id.clone(), l.clone())) {
                    diags.warning(
                        &primary.doc.file,
                        1,
                        1,
                        format!("missing translation for `{l}` (no `{id}.{l}.md`)"),
                    );
                }
            }
            site.notices.push(Notice {
                id,
                level: primary.level,
                pinned: primary.notice.as_ref().is_some_and(|n| n.pinned),
                from: primary.times.0,
                until: primary.times.1,
                docs: group.iter().map(|d| d.doc.clone()).collect(),
            });
        } else {
            let raw = primary.guide.as_ref();
            let mut services: Vec<String> = Vec::new();
            for d in &group {
                for s in
                    d.guide.as_ref().map(|g| g.services.clone()).unwrap_or_default().into_iter().flatten()
                {
                    if !services.contains(&s) {
                        services.push(s);
                    }
                }
            }
            site.guides.push(Guide {
                slug: id,
                services,
                updated: group.iter().filter_map(|d| d.times.0).max(),
                order: raw.and_then(|g| g.order).unwrap_or(0),
                summaries: group.iter().map(|d| d.guide.as_ref().and_then(|g| g.summary.clone())).collect(),
                docs: group.iter().map(|d| d.doc.clone()).collect(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        for ok in ["exchange", "mail-2", "0day"] {
            assert!(is_valid_id(ok), "{ok}");
        }
        for bad in ["", "Exchange", "a b", "..", "a/b", "-x", "a_b", "ä"] {
            assert!(!is_valid_id(bad), "{bad}");
        }
    }

    #[test]
    fn front_matter() {
        let (fm, body) = split_front_matter("---\ntitle: x\n---\nBody\n").unwrap();
        assert_eq!(fm, "title: x\n");
        assert_eq!(body, "Body\n");
        assert!(split_front_matter("title: x\n").is_none());
        assert!(split_front_matter("---\ntitle: x\n").is_none());
    }
}
