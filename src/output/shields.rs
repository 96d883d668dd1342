//! Badge data for shields.io's "endpoint" badge (`api/shields/site.json`,
//! `api/shields/services/<id>.json`): the JSON shields.io reads to draw a badge in
//! whatever style a README or dashboard asks for
//! (`https://img.shields.io/endpoint?url=…`). Label and message are those of the SVG
//! badges ([`super::badge`]): the site's title or the service's name, and the state's
//! label, in the default language; the colour is the state's own (`site.yaml` or the
//! built-in one), which shields.io takes as a CSS colour.

use super::{BuildContext, OutputFile};
use serde_json::{json, Value};

/// The folder of the files under the output root.
pub const FOLDER: &str = "api/shields";

/// How long shields.io may cache a badge, in seconds: its own minimum, so that a badge
/// follows the state as closely as shields.io allows.
pub const CACHE_SECONDS: u32 = 300;

/// The endpoint JSON for `label` and the state `state`.
fn endpoint(ctx: &BuildContext, label: &str, state: &str) -> Value {
    let color = ctx.site.states.get(state).map_or("#555555", |s| s.color.as_str());
    let message = ctx.state_label(state, 0);
    json!({
        "schemaVersion": 1,
        "label": label,
        // shields.io refuses an empty message.
        "message": if message.trim().is_empty() { state.to_string() } else { message },
        "color": color,
        "cacheSeconds": CACHE_SECONDS,
    })
}

fn file(path: String, value: &Value) -> OutputFile {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    OutputFile::new(path, text)
}

/// The site's file and one per service.
pub fn files(ctx: &BuildContext) -> Vec<OutputFile> {
    let mut out = vec![file(
        format!("{FOLDER}/site.json"),
        &endpoint(ctx, &ctx.plain(&ctx.site.config.title, 0), &ctx.derived.overall),
    )];
    for (si, svc) in ctx.site.services.iter().enumerate() {
        let state = &ctx.derived.services[si].current;
        out.push(file(
            format!("{FOLDER}/services/{}.json", svc.id),
            &endpoint(ctx, &ctx.plain(&svc.name, 0), state),
        ));
    }
    out
}

/// The paths of [`files`], without making them.
pub fn paths(ctx: &BuildContext) -> Vec<String> {
    let mut out = vec![format!("{FOLDER}/site.json")];
    out.extend(ctx.site.services.iter().map(|s| format!("{FOLDER}/services/{}.json", s.id)));
    out
}
