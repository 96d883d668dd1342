//! `aushang update`: post an update to a service or incident in one command, plus the
//! mapping of authoring errors to exit codes shared by `new` and `init`.

use super::{print_diagnostics, Common, EXIT_CONTENT, EXIT_USAGE};
use crate::author::{self, AuthorError, TextInput, UpdateRequest};

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("change").required(true).args(["status", "phase"])))]
pub struct UpdateArgs {
    /// The service or incident: its file name in content/services/ or content/incidents/
    /// without `.yaml`.
    #[arg(value_name = "SERVICE-OR-INCIDENT")]
    pub id: String,
    /// New state of a service: operational, maintenance, degraded, partial_outage,
    /// restore_pending, major_outage, or one that site.yaml adds.
    #[arg(long, value_name = "STATE")]
    pub status: Option<String>,
    /// New phase of an incident (investigating, identified, monitoring, resolved) or of a
    /// maintenance (scheduled, in_progress, completed).
    #[arg(long, value_name = "PHASE")]
    pub phase: Option<String>,
    /// Incidents only: a service's new state at this instant; repeat for several services.
    #[arg(long = "set", value_name = "SERVICE=STATE", value_parser = parse_pair)]
    pub set: Vec<(String, String)>,
    /// The German text (Markdown).
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub de: Option<String>,
    /// The English text (Markdown).
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub en: Option<String>,
    /// The text for every language that has no text of its own.
    #[arg(long, value_name = "TEXT", allow_hyphen_values = true)]
    pub text: Option<String>,
    /// The text for any site language, e.g. `--lang-text fr=Texte`; repeatable.
    #[arg(long = "lang-text", value_name = "LANG=TEXT", value_parser = parse_pair, allow_hyphen_values = true)]
    pub lang_text: Vec<(String, String)>,
    /// When it happened: RFC 3339 (2022-11-28T09:30:00+01:00) or a local time in the
    /// site timezone ("2022-11-28 09:30"). Default: now (or SOURCE_DATE_EPOCH).
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    #[command(flatten)]
    pub common: Common,
}

fn parse_pair(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
        _ => Err(format!("`{s}` is not KEY=VALUE")),
    }
}

pub fn run(args: UpdateArgs) -> anyhow::Result<i32> {
    let mut per_lang = Vec::new();
    if let Some(t) = args.de {
        per_lang.push(("de".to_string(), t));
    }
    if let Some(t) = args.en {
        per_lang.push(("en".to_string(), t));
    }
    per_lang.extend(args.lang_text);
    let req = UpdateRequest {
        id: args.id,
        status: args.status,
        phase: args.phase,
        set: args.set,
        text: TextInput { all: args.text, per_lang },
        at: args.at,
    };
    match author::update(&args.common.root, &req) {
        Ok(out) => {
            println!("appended to {}:", out.file.display());
            // The item may start with a blank line (the file separates items by one).
            print!("{}", out.appended.trim_start_matches(['\r', '\n']));
            // Warnings are not failures, but the author should see what the update
            // caused (a missing translation, an update after `resolved`).
            if !out.warnings.is_empty() {
                print_diagnostics(out.warnings);
            }
            println!("next: check the preview, then commit {}", out.file.display());
            Ok(0)
        }
        Err(e) => report(e),
    }
}

/// Print an authoring error and choose the exit code: 1 when the content (or the
/// request against it) is the problem, 2 for usage and environment problems.
pub(super) fn report(e: AuthorError) -> anyhow::Result<i32> {
    match e {
        AuthorError::Usage(m) | AuthorError::Busy(m) => {
            eprintln!("error: {m}");
            Ok(EXIT_USAGE)
        }
        AuthorError::Refused(m) => {
            eprintln!("error: {m}");
            Ok(EXIT_CONTENT)
        }
        AuthorError::Invalid { message, diagnostics } => {
            print_diagnostics(diagnostics);
            eprintln!("error: {message}");
            Ok(EXIT_CONTENT)
        }
        e @ AuthorError::Io { .. } => Err(anyhow::Error::new(e)),
    }
}
