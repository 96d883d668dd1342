//! The command line: argument parsing with clap, one module per command, and the
//! mapping of outcomes to exit codes (0 success, 1 content errors, 2 usage errors).
//! This is the only place that uses `anyhow`.

mod build;
mod check;
mod init;
mod new;
mod serve;
mod update;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// Exit code for content problems.
pub const EXIT_CONTENT: i32 = 1;
/// Exit code for usage problems (bad flags, missing folders, I/O outside content).
pub const EXIT_USAGE: i32 = 2;

#[derive(Debug, Parser)]
#[command(name = "aushang", version, about = "Bilingual static status sites from YAML and Markdown")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, clap::Args, Clone)]
pub struct Common {
    /// The site's root folder (holding `content/`).
    #[arg(long, default_value = ".", global = true)]
    pub root: PathBuf,
}

#[derive(Debug, clap::Args, Clone)]
pub struct NowArg {
    /// The instant that counts as "now" (RFC 3339 or a local time in the site timezone);
    /// default: SOURCE_DATE_EPOCH, else the clock.
    #[arg(long)]
    pub now: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate all content and print every problem.
    Check {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        now: NowArg,
        /// Treat warnings (e.g. missing translations) as errors.
        #[arg(long)]
        strict: bool,
    },
    /// Build the site into a temporary folder and swap it into place on success.
    Build {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        now: NowArg,
        /// Output folder (default: `public` under the root).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Absolute URL the site is served from (overrides site.yaml's base_url).
        #[arg(long)]
        base_url: Option<String>,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
        /// Also write a gzip-compressed `.gz` beside every text file (for nginx `gzip_static`).
        #[arg(long)]
        precompress: bool,
    },
    /// Append a timestamped update to a service or incident, leaving the rest of the file as it was.
    Update(update::UpdateArgs),
    /// Write a commented skeleton: service, incident, maintenance, notice or guide.
    New(new::NewArgs),
    /// Start a new site in DIR from the built-in example.
    Init(init::InitArgs),
    /// Build, serve on 127.0.0.1, rebuild on every change and reload open pages.
    Serve {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        now: NowArg,
        /// Port to listen on (0: any free port).
        #[arg(long, default_value_t = crate::serve::DEFAULT_PORT)]
        port: u16,
    },
}

/// Run the command line; returns the process exit code.
pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { EXIT_USAGE } else { 0 };
        }
    };
    let result = match cli.command {
        Command::Check { common, now, strict } => check::run(&common.root, now.now.as_deref(), strict),
        Command::Build { common, now, out, base_url, strict, precompress } => {
            let opts = crate::build::BuildOptions {
                now: now.now,
                base_url,
                strict,
                precompress,
                ..Default::default()
            };
            build::run(&common.root, out, &opts)
        }
        Command::Update(args) => update::run(args),
        Command::New(args) => new::run(args),
        Command::Init(args) => init::run(args),
        Command::Serve { common, now, port } => serve::run(&common.root, port, now.now),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            EXIT_USAGE
        }
    }
}

/// Print diagnostics to stderr, one per line, sorted.
pub(crate) fn print_diagnostics(diags: crate::diagnostics::Diagnostics) {
    use std::io::Write;
    let stderr = std::io::stderr();
    let mut out = stderr.lock();
    for d in diags.sorted() {
        let _ = writeln!(out, "{d}");
    }
}

/// A build that failed on something other than the content: a problem in a theme file at
/// its place (`path:line:col: error: ...`, then Tera's excerpt of the template), else the
/// error and every cause under it.
pub(crate) fn print_build_error(e: &crate::build::BuildError) {
    match e.theme_problem() {
        Some(d) => {
            eprintln!("{d}");
            let report = std::error::Error::source(e)
                .and_then(|s| std::iter::successors(Some(s), |s| s.source()).last())
                .map(ToString::to_string)
                .unwrap_or_default();
            // Tera's report repeats the message on its first line; the excerpt follows.
            for line in report.lines().skip(1) {
                eprintln!("{line}");
            }
        }
        None => eprintln!("error: {}", crate::diagnostics::error_chain(e)),
    }
}

/// A `--root` without `content/` is a usage error (exit 2), not a content error.
pub(crate) fn require_site(root: &std::path::Path) -> Option<i32> {
    if root.join("content").is_dir() {
        return None;
    }
    eprintln!(
        "error: no `content/` folder in `{}`; expected a site root (--root DIR), or start one with `aushang init DIR`",
        root.display()
    );
    Some(EXIT_USAGE)
}
