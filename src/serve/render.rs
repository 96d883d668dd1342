//! The site `serve` holds in memory, and how it is brought up to date: after a change to
//! incident files only, those files are read again and only the pages that depend on them
//! are rendered ([`crate::output::partial`]); after any other change, everything is.

use crate::build::{prepare_ready, BuildError, BuildOptions, Ready};
use crate::diagnostics::Diagnostics;
use crate::model::load::{is_valid_id, reload_incidents};
use crate::model::time::resolve_now;
use crate::model::{Derived, Site};
use crate::output::pages::{self, theme_error};
use crate::output::partial::{self, ChangedIncident, Previous};
use crate::output::{self, BuildContext, Collect, TextCache};
use crate::render::theme::Theme;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Output path → bytes. Paths and bytes are shared, so a new generation copies only the
/// map's table (20,000 entries at N = 10,000: a string copy each cost milliseconds).
pub type Files = HashMap<Arc<str>, Arc<[u8]>>;

/// The last good render and everything it was made from.
pub struct Warm {
    site: Site,
    texts: TextCache,
    theme: Theme,
    previous: Previous,
    pub files: Arc<Files>,
    /// Warnings of the whole site, by file.
    warnings: Diagnostics,
    /// Incident files whose last reading failed: read again with the next change, so a
    /// good save of another file does not hide an error that is still there.
    failed: BTreeSet<String>,
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

fn render_fully(root: &Path, opts: &BuildOptions) -> Result<Warm, BuildError> {
    let (Ready { site, derived, warnings, texts }, theme) = prepare_ready(root, opts)?;
    let theme = theme.map_err(theme_error)?;
    let sink = Collect::default();
    let archive_years = {
        let ctx = BuildContext::new(&site, &derived, opts.base_url.as_deref(), &texts);
        output::generate_with_theme(&ctx, &theme, &sink)?;
        pages::archive_years(&ctx)
    };
    let files: Files =
        sink.into_files().into_iter().map(|f| (Arc::from(f.path), Arc::from(f.bytes))).collect();
    let incident_ids = site.incidents.iter().map(|i| i.id.clone()).collect();
    Ok(Warm {
        site,
        texts,
        theme,
        previous: Previous { incident_ids, derived, archive_years },
        files: Arc::new(files),
        warnings,
        failed: BTreeSet::new(),
    })
}

/// Re-read the incident files `ids` and re-render what depends on them. `Ok(false)`: this
/// change needs a full render (`w` may then be half updated and must be dropped).
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

    let mut changed = Vec::new();
    let mut ids_changed = false;
    for (id, record) in ids.iter().zip(records) {
        let pos = w.site.incidents.binary_search_by(|i| i.id.as_str().cmp(id));
        let before = match (pos, record) {
            (Ok(p), Some(r)) => Some(std::mem::replace(&mut w.site.incidents[p], r)),
            (Ok(p), None) => {
                ids_changed = true;
                Some(w.site.incidents.remove(p))
            }
            (Err(p), Some(r)) => {
                ids_changed = true;
                w.site.incidents.insert(p, r);
                None
            }
            (Err(_), None) => continue,
        };
        changed.push(ChangedIncident { id: id.clone(), before });
    }
    let files_of: BTreeSet<PathBuf> =
        ids.iter().map(|id| Path::new("content").join("incidents").join(format!("{id}.yaml"))).collect();
    let mut kept = Diagnostics::default();
    for d in std::mem::take(&mut w.warnings).sorted() {
        if !files_of.contains(&d.file) {
            kept.push(d);
        }
    }
    kept.extend(warnings);
    w.warnings = kept;
    let site = &w.site;
    w.texts.add(changed.iter().filter_map(|c| site.incident(&c.id)).flat_map(output::incident_texts));

    // Only the wording changed (titles, texts), and nothing happened since the last
    // render: the derived view is the one we have, at the new "now".
    let prev_now = w.previous.derived.now;
    let same_view = !ids_changed
        && changed.iter().all(|c| {
            c.before
                .as_ref()
                .zip(site.incident(&c.id))
                .is_some_and(|(before, after)| before.derives_like(after))
        })
        && Derived::same_between(site, prev_now, now);
    let fresh = if same_view {
        w.previous.derived.now = now;
        None
    } else {
        Some(Derived::compute(site, now))
    };
    let derived = fresh.as_ref().unwrap_or(&w.previous.derived);
    let ctx = BuildContext::new(site, derived, opts.base_url.as_deref(), &w.texts);
    let Some(plan) = partial::plan(&w.previous, prev_now, &ctx, &changed) else { return Ok(false) };
    let sink = Collect::default();
    // The feeds and the API alongside the pages: a few large pages (a year's archive)
    // would otherwise leave a core idle at the end.
    let (rendered, machine_readable) = rayon::join(
        || pages::render_units(&ctx, &w.theme, &plan.units, &sink),
        || output::machine_readable(&ctx, Some(&plan.services)),
    );
    let rendered = rendered?;
    let mut files: Files = (*w.files).clone();
    // Pages dropped and not rendered again, or rendered and new: the sitemap changes.
    let mut gone: BTreeSet<String> = BTreeSet::new();
    files.retain(|path, _| {
        let keep = !plan.drop_prefixes.iter().any(|p| path.starts_with(p.as_str()));
        if !keep && path.ends_with("index.html") {
            gone.insert(path.to_string());
        }
        keep
    });
    let mut pages_changed = false;
    for f in sink.into_files().into_iter().chain(machine_readable) {
        let is_page = f.path.ends_with("index.html");
        let known = is_page && gone.remove(&f.path);
        if files.insert(Arc::from(f.path), Arc::from(f.bytes)).is_none() && is_page && !known {
            pages_changed = true;
        }
    }
    if rendered.has_code && !files.contains_key("highlight.css") {
        files
            .insert(Arc::from("highlight.css"), Arc::from(crate::render::highlight::stylesheet().as_bytes()));
    }
    if pages_changed || !gone.is_empty() {
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
    if ids_changed {
        w.previous.incident_ids = site.incidents.iter().map(|i| i.id.clone()).collect();
    }
    if let Some(derived) = fresh {
        w.previous.derived = derived;
    }
    w.previous.archive_years = plan.archive_years;
    w.files = Arc::new(files);
    Ok(true)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::build::render_site;

    fn at(now: &str) -> BuildOptions {
        BuildOptions { now: Some(now.into()), ..Default::default() }
    }

    /// Render the example (changed by `setup`) at `t1`, edit `file` (replace `from` with
    /// `to`), render again at `t2`, check that every file equals a full build at `t2`, and
    /// return the files of both renders.
    fn edit_between(
        setup: impl Fn(&Path),
        t1: &str,
        t2: &str,
        file: &str,
        from: &str,
        to: &str,
    ) -> (Files, Files) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        crate::author::init::init(root).unwrap();
        setup(root);
        let mut warm = None;
        render(root, &at(t1), &mut warm, &[]).unwrap();
        let before = (*warm.as_ref().unwrap().files).clone();
        let rel = Path::new("content/incidents").join(file);
        let text = std::fs::read_to_string(root.join(&rel)).unwrap();
        let edited = text.replacen(from, to, 1);
        assert_ne!(edited, text);
        std::fs::write(root.join(&rel), edited).unwrap();
        let outcome = render(root, &at(t2), &mut warm, &[rel]).unwrap();
        assert!(outcome.partial);
        let served = (*warm.unwrap().files).clone();
        let built = render_site(root, &at(t2)).unwrap();
        assert_eq!(served.len(), built.files.len());
        for f in &built.files {
            let bytes = served.get(f.path.as_str()).unwrap_or_else(|| panic!("{} not served", f.path));
            assert!(**bytes == *f.bytes, "{} differs from a full build at {t2}", f.path);
        }
        (before, served)
    }

    /// `serve` runs on the clock, so "now" has moved on by every edit. The partial render
    /// must still give what a full build at the new "now" gives, and must leave alone the
    /// year pages that did not change: before, an open incident made every year page of
    /// its services render again on each edit of any incident (100 pages at N = 10,000).
    #[test]
    fn partial_render_after_the_clock_moved_equals_a_full_build_and_stays_small() {
        // `exchange-data-restore` is open and lists `exchange`; the edited incident does not.
        let (before, after) = edit_between(
            |_| {},
            "2026-11-27T12:00:00+01:00",
            "2026-11-27T12:07:00+01:00",
            "mailbox-restore-2022-12.yaml",
            "de: Wiederherstellung",
            "de: Neue Wiederherstellung",
        );
        let same = |path: &str| Arc::ptr_eq(&before[path], &after[path]);
        assert!(!same("incidents/mailbox-restore-2022-12/index.html"));
        assert!(!same("incidents/exchange-data-restore/index.html"), "its duration moved on");
        // The current year's archive lists the open incident, but not its duration.
        for untouched in [
            "services/exchange/2022/index.html",
            "en/services/exchange/2023/index.html",
            "incidents/index.html",
        ] {
            assert!(same(untouched), "{untouched} was rendered again");
        }
        // Between the two, webmail's entry of 2022-12-19 16:00 leaves its 90 days.
        edit_between(
            |_| {},
            "2023-03-19T15:59:00+01:00",
            "2023-03-19T16:01:00+01:00",
            "mailbox-restore-2022-12.yaml",
            "de: Wiederherstellung",
            "de: Neue Wiederherstellung",
        );
        // Between the two, an update of webmail's own gets published that keeps its state:
        // its timeline grows though its state and the time since do not change.
        let own_update = |root: &Path| {
            let path = root.join("content/services/webmail.yaml");
            let mut text = std::fs::read_to_string(&path).unwrap();
            text.push_str(
                "  - at: 2026-11-27T12:03:00+01:00\n    status: operational\n    text: Wartung beendet.\n",
            );
            std::fs::write(path, text).unwrap();
        };
        let (before, after) = edit_between(
            own_update,
            "2026-11-27T12:00:00+01:00",
            "2026-11-27T12:07:00+01:00",
            "mailbox-restore-2022-12.yaml",
            "de: Wiederherstellung",
            "de: Neue Wiederherstellung",
        );
        assert!(!Arc::ptr_eq(&before["services/webmail/index.html"], &after["services/webmail/index.html"]));
        // Between the two, an incident that lists webmail but sets no state for it leaves
        // the 90 days of webmail's page (which lists the incidents of those days).
        let listed_only = |root: &Path| {
            let text = "title: { de: Nur genannt, en: Only listed }\nservices: [webmail]\nupdates:\n  - at: 2026-08-29T12:03:00+02:00\n    phase: resolved\n    text: Erledigt.\n";
            std::fs::write(root.join("content/incidents/listed-only.yaml"), text).unwrap();
        };
        edit_between(
            listed_only,
            "2026-11-27T11:00:00+01:00",
            "2026-11-27T11:07:00+01:00",
            "mailbox-restore-2022-12.yaml",
            "de: Wiederherstellung",
            "de: Neue Wiederherstellung",
        );
    }
}
