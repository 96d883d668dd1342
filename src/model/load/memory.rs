//! One content file loaded from bytes in memory, against a site given by its `site.yaml`
//! and the ids its file names give: the same checks as [`super::load_site`] without the
//! disk. This is how the fuzz targets (feature `fuzzing`) reach the loaders.

use super::config::config_from_text;
use super::document::{assemble_documents, DocFile, DocKind};
use super::files::{decode_text, MAX_FILE_BYTES};
use super::Ctx;
use crate::diagnostics::Diagnostics;
use crate::model::state::StateRegistry;
use crate::model::{Guide, IncidentRecord, Notice, ServiceRecord, Site, SiteConfig};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// `content/site.yaml` from its bytes.
pub fn site_config(bytes: &[u8]) -> (Option<(SiteConfig, StateRegistry)>, Diagnostics) {
    let rel = Path::new("content/site.yaml");
    let mut diags = Diagnostics::default();
    let loaded = text(bytes, rel, &mut diags).and_then(|src| config_from_text(rel, &src, &mut diags));
    (loaded, diags)
}

/// What loading one file needs to know about its site.
pub struct SiteContext {
    pub config: SiteConfig,
    pub states: StateRegistry,
    /// The ids of `content/services/*.yaml`.
    pub service_ids: Vec<String>,
    /// The slugs of `content/guides/*.md`.
    pub guide_slugs: Vec<String>,
}

impl SiteContext {
    fn ctx(&self) -> Ctx<'_> {
        Ctx {
            config: &self.config,
            states: &self.states,
            service_ids: self.service_ids.clone(),
            guide_slugs: self.guide_slugs.clone(),
        }
    }

    /// `content/services/<id>.yaml` from its bytes.
    pub fn service(&self, id: &str, bytes: &[u8]) -> (Option<ServiceRecord>, Diagnostics) {
        let rel = PathBuf::from(format!("content/services/{id}.yaml"));
        let mut diags = Diagnostics::default();
        let Some(src) = text(bytes, &rel, &mut diags) else { return (None, diags) };
        self.ctx().service_from_text(id, rel, &src)
    }

    /// `content/incidents/<id>.yaml` from its bytes.
    pub fn incident(&self, id: &str, bytes: &[u8]) -> (Option<IncidentRecord>, Diagnostics) {
        let rel = PathBuf::from(format!("content/incidents/{id}.yaml"));
        let mut diags = Diagnostics::default();
        let Some(src) = text(bytes, &rel, &mut diags) else { return (None, diags) };
        self.ctx().incident_from_text(id, rel, &src)
    }

    /// `content/notices/<id>.<lang>.md` from its bytes, as the only file of its notice.
    pub fn notice(&self, id: &str, lang: &str, bytes: &[u8]) -> (Option<Notice>, Diagnostics) {
        let (site, diags) = self.document(DocKind::Notice, "notices", id, lang, bytes);
        (site.and_then(|s| s.notices.into_iter().next()), diags)
    }

    /// `content/guides/<id>.<lang>.md` from its bytes, as the only file of its guide.
    pub fn guide(&self, id: &str, lang: &str, bytes: &[u8]) -> (Option<Guide>, Diagnostics) {
        let (site, diags) = self.document(DocKind::Guide, "guides", id, lang, bytes);
        (site.and_then(|s| s.guides.into_iter().next()), diags)
    }

    fn document(
        &self,
        kind: DocKind,
        folder: &str,
        id: &str,
        lang: &str,
        bytes: &[u8],
    ) -> (Option<Site>, Diagnostics) {
        let rel = PathBuf::from(format!("content/{folder}/{id}.{lang}.md"));
        let file = DocFile { kind, id: id.to_string(), lang: lang.to_string(), path: rel.clone() };
        let mut diags = Diagnostics::default();
        let Some(src) = text(bytes, &rel, &mut diags) else { return (None, diags) };
        let (loaded, d) = self.ctx().document_from_text(&file, rel, &src);
        diags.extend(d);
        let Some(loaded) = loaded else { return (None, diags) };
        let mut site = Site {
            root: PathBuf::new(),
            config: self.config.clone(),
            states: self.states.clone(),
            services: Vec::new(),
            incidents: Vec::new(),
            notices: Vec::new(),
            guides: Vec::new(),
            static_files: Vec::new(),
        };
        let notice_files: BTreeSet<(String, String)> = match kind {
            DocKind::Notice => [(id.to_string(), lang.to_string())].into(),
            DocKind::Guide => BTreeSet::new(),
        };
        assemble_documents(&mut site, vec![loaded], &notice_files, &mut diags);
        (Some(site), diags)
    }
}

/// The bytes as the loader reads a file: size limit, UTF-8, no byte order mark.
fn text(bytes: &[u8], rel: &Path, diags: &mut Diagnostics) -> Option<String> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        diags.error(rel, 0, 0, format!("file is {} bytes; expected at most {MAX_FILE_BYTES}", bytes.len()));
        return None;
    }
    decode_text(bytes.to_vec(), rel, diags)
}
