//! `aushang init DIR`: start a new site from the built-in example.

use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// The folder to create (it must not exist, or be empty).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
}

pub fn run(args: InitArgs) -> anyhow::Result<i32> {
    match crate::author::init(&args.dir) {
        Ok(out) => {
            let dir = out.dir.display();
            println!("created a new site in {dir} ({} files) from the built-in example", out.files);
            println!();
            println!("next steps:");
            println!("  cd {dir}");
            println!("  aushang serve        # preview; edits to content/ show up at once");
            println!("  aushang check        # before every commit");
            println!("  git init && git add . && git commit -m \"Status site\"");
            println!();
            println!("Replace the example services, incidents, notices and guides in content/ with");
            println!("your own (`aushang new service <id>` writes a commented skeleton), and set");
            println!("title, base_url and groups in content/site.yaml.");
            Ok(0)
        }
        Err(e) => super::update::report(e),
    }
}
