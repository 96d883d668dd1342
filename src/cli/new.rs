//! `aushang new`: write a commented skeleton that passes `check` as written.

use super::{print_diagnostics, Common};
use crate::author::{self, NewKind};

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum KindArg {
    Service,
    Incident,
    Maintenance,
    Notice,
    Guide,
}

#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// What to create.
    #[arg(value_enum)]
    pub kind: KindArg,
    /// Its id, which becomes the file name and the URL: lowercase ASCII letters, digits
    /// and `-`, starting with a letter or digit.
    pub id: String,
    #[command(flatten)]
    pub common: Common,
}

pub fn run(args: NewArgs) -> anyhow::Result<i32> {
    let kind = match args.kind {
        KindArg::Service => NewKind::Service,
        KindArg::Incident => NewKind::Incident,
        KindArg::Maintenance => NewKind::Maintenance,
        KindArg::Notice => NewKind::Notice,
        KindArg::Guide => NewKind::Guide,
    };
    match author::new_item(&args.common.root, kind, &args.id) {
        Ok(out) => {
            for f in &out.files {
                println!("created {}", f.display());
            }
            if !out.warnings.is_empty() {
                print_diagnostics(out.warnings);
            }
            if out.other_errors > 0 {
                eprintln!(
                    "note: other files of the site have {} error(s); run `aushang check`",
                    out.other_errors
                );
            }
            println!("next: edit the text, preview with `aushang serve`, then commit");
            Ok(0)
        }
        Err(e) => super::update::report(e),
    }
}
