//! The site `serve` holds in memory, and how it is brought up to date. After a change to
//! incident files only, those files are read again, the sources that changed are named
//! ([`crate::output::pages::sources`]), and only the pages that read one of them are
//! rendered again; after any other change, everything is.

use crate::build::{prepare_ready, BuildError, BuildOptions, Ready};
use crate::diagnostics::Diagnostics;
use crate::model::load::{is_valid_id, reload_incidents};
use crate::model::time::resolve_now;
use crate::model::{Derived, IncidentRecord, Site};
use crate::output::pages::sources::{self, Before, Source};
use crate::output::pages::{self, PageOutcome, Unit};
use crate::output::{self, BuildContext, Collect, TextCache};
use crate::render::theme::Theme;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Output path → bytes. Paths and bytes are shared, so a new generation copies only the
/// map's table.
pub type Files = HashMap<Arc<str>, Arc<[u8]>>;

/// The last good render and everything it was made from.
pub struct Warm {
    site: Site,
    texts: TextCache,
    theme: Theme,
    /// Incident ids in site order (the indices of `derived`).
    incident_ids: Vec<Arc<str>>,
    derived: Derived,
    index: PageIndex,
    pub files: Arc<Files>,
    /// Warnings of the whole site, by file.
    warnings: Diagnostics,
    /// Incident files whose last reading failed: read again with the next change, so a
    /// good save of another file does not hide an error that is still there.
    failed: BTreeSet<String>,
}

/// Each page's unit and what it read, and for each source the pages that read it.
#[derive(Default)]
struct PageIndex {
    pages: HashMap<Arc<str>, Indexed>,
    readers: HashMap<Source, HashSet<Arc<str>>>,
}

/// A page of the index: (language, unit), and the sources it read.
struct Indexed {
    unit: (usize, Unit),
    reads: Vec<Source>,
}

impl PageIndex {
    fn set(&mut self, file: Arc<str>, unit: (usize, Unit), reads: Vec<Source>) {
        self.remove(&file);
        for s in &reads {
            self.readers.entry(s.clone()).or_default().insert(file.clone());
        }
        self.pages.insert(file, Indexed { unit, reads });
    }

    fn remove(&mut self, file: &str) {
        if let Some(old) = self.pages.remove(file) {
            for s in old.reads {
                if let Some(set) = self.readers.get_mut(&s) {
                    set.remove(file);
                }
            }
        }
    }

    /// The pages that read any of `changed`.
    fn readers_of(&self, changed: &BTreeSet<Source>) -> HashSet<Arc<str>> {
        changed.iter().filter_map(|s| self.readers.get(s)).flatten().cloned().collect()
    }
}

/// What a render produced.
pub struct Outcome {
    /// Only some pages were rendered again.
    pub partial: bool,
}

impl Warm {
    pub fn warnings(&self) -> &Diagnostics {
        &self.warnings
    }
}

/// Bring `warm` up to date with the content after `changed` (paths relative to `root`):
/// partially when possible, else in full. On a content error `warm` keeps the last good
/// render, except after a full render, which leaves `None`.
pub fn render(
    root: &Path,
    opts: &BuildOptions,
    warm: &mut Option<Warm>,
    changed: &[PathBuf],
) -> Result<Outcome, BuildError> {
    if let (Some(w), Some(ids)) = (warm.as_mut(), changed_incidents(root, changed)) {
        match update_partially(w, opts, ids) {
            Ok(true) => return Ok(Outcome { partial: true }),
            Ok(false) => {}
            // Bad content is found before anything changes: the last good render stays.
            Err(e @ BuildError::Content(_)) => return Err(e),
            // Anything later leaves `w` half updated: the next change renders everything.
            Err(e) => {
                *warm = None;
                return Err(e);
            }
        }
    }
    *warm = None;
    *warm = Some(render_fully(root, opts)?);
    Ok(Outcome { partial: false })
}

/// The incident ids of `changed` if every path is an incident file (existing or removed).
fn changed_incidents(root: &Path, changed: &[PathBuf]) -> Option<BTreeSet<String>> {
    if changed.is_empty() {
        return None;
    }
    let folder = Path::new("content").join("incidents");
    changed
        .iter()
        .map(|p| {
            let id = p.strip_prefix(&folder).ok()?.to_str()?.strip_suffix(".yaml")?;
            let file = root.join(p);
            (is_valid_id(id) && !file.is_dir()).then(|| id.to_string())
        })
        .collect()
}

fn context<'a>(
    site: &'a Site,
    derived: &'a Derived,
    texts: &'a TextCache,
    theme: &Theme,
    opts: &BuildOptions,
) -> BuildContext<'a> {
    let strings = site.config.languages.iter().map(|l| theme.strings(l)).collect();
    BuildContext::new(site, derived, opts.base_url.as_deref(), texts, strings)
}

fn render_fully(root: &Path, opts: &BuildOptions) -> Result<Warm, BuildError> {
    let (Ready { site, derived, warnings, texts }, theme) = prepare_ready(root, opts)?;
    let theme = theme?;
    let sink = Collect::default();
    let rendered = {
        let ctx = context(&site, &derived, &texts, &theme, opts);
        output::generate(&ctx, &theme, &sink, true)?
    };
    let files: Files =
        sink.into_files().into_iter().map(|f| (Arc::from(f.path), Arc::from(f.bytes))).collect();
    let mut index = PageIndex::default();
    for page in rendered.pages {
        index.set(Arc::from(page.file), page.unit, page.reads);
    }
    Ok(Warm {
        incident_ids: site.incidents.iter().map(|i| Arc::from(i.id.as_str())).collect(),
        site,
        texts,
        theme,
        derived,
        index,
        files: Arc::new(files),
        warnings,
        failed: BTreeSet::new(),
    })
}

/// Re-read the incident files `ids` and re-render the pages that read what changed.
/// `Ok(false)`: this change needs a full render (`w` may then be half updated and must be
/// dropped).
fn update_partially(w: &mut Warm, opts: &BuildOptions, ids: BTreeSet<String>) -> Result<bool, BuildError> {
    let ids: Vec<String> = ids.union(&w.failed).cloned().collect();
    let now = resolve_now(opts.now.as_deref(), w.site.config.timezone).map_err(BuildError::Usage)?;
    let (records, warnings) = match reload_incidents(&w.site, &ids) {
        Ok(r) => r,
        Err(diags) => {
            w.failed = ids.into_iter().collect();
            return Err(BuildError::Content(diags));
        }
    };
    w.failed.clear();
    let edited = replace_records(&mut w.site, &ids, records);
    keep_warnings(w, &ids, warnings);
    let site = &w.site;
    w.texts.add(edited.iter().filter_map(|(id, _)| site.incident(id)).flat_map(output::incident_texts));

    // Only the wording changed and nothing happened since the last render: the derived
    // view is the one we have, at the new "now".
    let tz = site.config.timezone;
    let prev_now = w.derived.now;
    let same_day = prev_now.with_timezone(&tz).date_naive() == now.with_timezone(&tz).date_naive();
    let same_view = same_day
        && site.incidents.len() == w.incident_ids.len()
        && edited.iter().all(|(id, before)| {
            before.as_ref().zip(site.incident(id)).is_some_and(|(before, after)| before.derives_like(after))
        })
        && Derived::same_between(site, prev_now, now);
    let before = Before { incident_ids: &w.incident_ids, derived: &w.derived, edited: &edited };
    let mut changed = sources::edited(&before, site);
    let fresh = if same_view {
        if prev_now != now {
            changed.insert(Source::Now);
        }
        None
    } else {
        let derived = Derived::compute(site, now);
        changed.extend(sources::derived(&before, site, &derived));
        Some(derived)
    };
    if fresh.as_ref().is_some_and(|d| d.active_notices != w.derived.active_notices) {
        // Pinned notices are on every page.
        return Ok(false);
    }
    if let Some(derived) = fresh {
        w.derived = derived;
    } else {
        w.derived.now = now;
    }
    let ids: Vec<Arc<str>> = site.incidents.iter().map(|i| Arc::from(i.id.as_str())).collect();
    let ids_changed = ids != w.incident_ids;
    w.incident_ids = ids;

    let ctx = context(site, &w.derived, &w.texts, &w.theme, opts);
    let plan = plan(&ctx, &w.index, &changed, ids_changed);
    let services: BTreeSet<usize> = (0..site.services.len())
        .filter(|&s| {
            changed.contains(&Source::Today)
                || changed.contains(&Source::ServiceActivity(Arc::from(site.services[s].id.as_str())))
        })
        .collect();
    let sink = Collect::default();
    // The feeds and the API alongside the pages: a few large pages (a year's archive)
    // would otherwise leave a core idle at the end.
    let (rendered, machine_readable) = rayon::join(
        || pages::render_units(&ctx, &w.theme, &plan.units, &sink, true),
        || output::machine_readable(&ctx, Some(&services)),
    );
    let rendered = rendered?;
    let mut files: Files = (*w.files).clone();
    for gone in &plan.gone {
        files.remove(&**gone);
        w.index.remove(gone);
    }
    let new_pages = rendered.pages.iter().any(|p| !w.index.pages.contains_key(p.file.as_str()));
    for PageOutcome { file, unit, reads, .. } in rendered.pages {
        w.index.set(Arc::from(file), unit, reads);
    }
    for f in sink.into_files().into_iter().chain(machine_readable) {
        files.insert(Arc::from(f.path), Arc::from(f.bytes));
    }
    if rendered.has_code && !files.contains_key("highlight.css") {
        let css = crate::render::highlight::stylesheet(ctx.code_style());
        files.insert(Arc::from("highlight.css"), Arc::from(css.as_bytes()));
    }
    // The sitemap lists the pages, and the incident pages by the year and time they
    // started in (which the archive years' sources follow).
    let starts_moved = changed.iter().any(|s| matches!(s, Source::ArchiveYear(_) | Source::ArchiveYears));
    if new_pages || !plan.gone.is_empty() || starts_moved {
        // The sitemap and its children: `sitemap*.xml` at the root.
        files.retain(|path, _| {
            !(path.starts_with("sitemap") && path.ends_with(".xml") && !path.contains('/'))
        });
        let paths = page_paths(&files, site);
        files.extend(
            output::sitemap::files(&ctx, &paths).into_iter().map(|f| (Arc::from(f.path), Arc::from(f.bytes))),
        );
    }
    drop(ctx);
    w.files = Arc::new(files);
    Ok(true)
}

/// Swap the re-read records into the site; returns each changed id with its old record
/// (`None`: the file is new).
fn replace_records(
    site: &mut Site,
    ids: &[String],
    records: Vec<Option<IncidentRecord>>,
) -> Vec<(Arc<str>, Option<IncidentRecord>)> {
    let mut edited = Vec::new();
    for (id, record) in ids.iter().zip(records) {
        let pos = site.incidents.binary_search_by(|i| i.id.as_str().cmp(id));
        let before = match (pos, record) {
            (Ok(p), Some(r)) => Some(std::mem::replace(&mut site.incidents[p], r)),
            (Ok(p), None) => Some(site.incidents.remove(p)),
            (Err(p), Some(r)) => {
                site.incidents.insert(p, r);
                None
            }
            (Err(_), None) => continue,
        };
        edited.push((Arc::from(id.as_str()), before));
    }
    edited
}

/// The site's warnings with those of the re-read files replaced by `fresh`.
fn keep_warnings(w: &mut Warm, ids: &[String], fresh: Diagnostics) {
    let files_of: BTreeSet<PathBuf> =
        ids.iter().map(|id| Path::new("content").join("incidents").join(format!("{id}.yaml"))).collect();
    let mut kept = Diagnostics::default();
    for d in std::mem::take(&mut w.warnings).sorted() {
        if !files_of.contains(&d.file) {
            kept.push(d);
        }
    }
    kept.extend(fresh);
    w.warnings = kept;
}

/// The pages to render after `changed`: those that read a changed source and those that
/// are new; and the pages that are gone.
struct Plan {
    units: Vec<(usize, Unit)>,
    gone: Vec<Arc<str>>,
}

/// `ids_changed`: incidents came or went, which shifts the units of the others.
fn plan(ctx: &BuildContext, index: &PageIndex, changed: &BTreeSet<Source>, ids_changed: bool) -> Plan {
    let stale = index.readers_of(changed);
    if !ids_changed && !pages::units_may_change(changed) {
        // The same pages as before: those that read a changed source, by their units.
        let mut units: Vec<(usize, Unit)> =
            stale.iter().filter_map(|f| index.pages.get(f).map(|p| p.unit)).collect();
        units.sort_unstable();
        return Plan { units, gone: Vec::new() };
    }
    let mut now_present: HashSet<String> = HashSet::new();
    let mut units = Vec::new();
    for lang in 0..ctx.languages().len() {
        for (lang, unit) in pages::units(ctx, lang) {
            let file = pages::file_path(ctx, lang, unit);
            if stale.contains(file.as_str()) || !index.pages.contains_key(file.as_str()) {
                units.push((lang, unit));
            }
            now_present.insert(file);
        }
    }
    let gone = index.pages.keys().filter(|f| !now_present.contains(&***f)).cloned().collect();
    Plan { units, gone }
}

/// Site paths of the pages in `files`, from the default language's `index.html` files.
fn page_paths(files: &Files, site: &Site) -> Vec<String> {
    let other_langs: Vec<String> = site.config.languages.iter().skip(1).map(|l| format!("{l}/")).collect();
    let mut paths: Vec<String> = files
        .keys()
        .filter(|k| !other_langs.iter().any(|l| k.starts_with(l.as_str())))
        .filter_map(|k| k.strip_suffix("index.html").map(str::to_string))
        .collect();
    paths.sort();
    paths
}
