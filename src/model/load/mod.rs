//! Reading `content/` into a validated [`Site`]: every file is parsed and checked on its
//! own (in parallel), references are checked against the ids that the file names give,
//! and every problem of the run is collected rather than stopping at the first.
//!
//! This module runs the whole load and holds what per-file loading knows of the site
//! (`Ctx`); `files` lists and reads the files, `fields` parses one file and checks
//! the fields all files share, and `config`, `service`, `incident` and `document`
//! check one kind of file each.

mod config;
mod document;
mod fields;
mod files;
mod incident;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod memory;
mod service;

pub use document::split_front_matter;
pub use fields::MAX_NAME_CHARS;
pub use files::{is_ignored_file, is_valid_id, MAX_FILE_BYTES};

use super::locate::YamlPath;
use super::state::StateRegistry;
use super::{IncidentRecord, ServiceRecord, Site, SiteConfig};
use crate::diagnostics::{one_of, suggestion, Diagnostics};
use config::load_config;
use document::{assemble_documents, LoadedDoc};
use fields::FileCtx;
use files::list_content;
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::path::Path;

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

/// What per-file loading needs to know about the whole site.
struct Ctx<'a> {
    config: &'a SiteConfig,
    states: &'a StateRegistry,
    service_ids: Vec<String>,
    guide_slugs: Vec<String>,
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
}
