//! `aushang init DIR`: a new site from the example content built into the binary, so
//! starting needs nothing but the executable. The theme is not copied: the built-in one
//! is used until the site adds `themes/`.

use super::AuthorError;
use crate::embedded::EXAMPLE_FILES;
use std::fs::{self, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::{Component, Path, PathBuf};

/// What `init` writes besides `content/`: the output folder is never committed.
pub const GITIGNORE: &str = "/public\n";

#[derive(Debug)]
pub struct InitOutcome {
    pub dir: PathBuf,
    /// Number of files written, `.gitignore` included.
    pub files: usize,
}

/// Create a site in `dir`, which must not exist or be empty (a `.git` folder alone is
/// allowed, so `git init DIR && aushang init DIR` works).
pub fn init(dir: &Path) -> Result<InitOutcome, AuthorError> {
    match fs::metadata(dir) {
        Ok(m) if !m.is_dir() => {
            return Err(AuthorError::Usage(format!(
                "`{}` exists and is not a folder; expected a new or empty folder",
                dir.display()
            )))
        }
        Ok(_) => {
            let entries = fs::read_dir(dir).map_err(|e| AuthorError::io(dir, e))?;
            let mut names: Vec<String> = entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n != ".git")
                .collect();
            if !names.is_empty() {
                names.sort();
                let more = if names.len() > 3 { ", …" } else { "" };
                names.truncate(3);
                return Err(AuthorError::Usage(format!(
                    "`{}` is not empty (it holds {}{more}); expected a new or empty folder, so \
                     that nothing in it is overwritten",
                    dir.display(),
                    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
                )));
            }
        }
        Err(e) if e.kind() == ErrorKind::NotFound => {
            fs::create_dir_all(dir).map_err(|e| AuthorError::io(dir, e))?;
        }
        Err(e) => return Err(AuthorError::io(dir, e)),
    }

    let mut count = 0;
    for (rel, bytes) in EXAMPLE_FILES {
        let rel = Path::new(rel);
        // The table is built from this repository, but a path that could leave `content/`
        // must never be written whatever the build put there.
        if !rel.components().all(|c| matches!(c, Component::Normal(_))) {
            continue;
        }
        write_new(&dir.join("content").join(rel), bytes)?;
        count += 1;
    }
    write_new(&dir.join(".gitignore"), GITIGNORE.as_bytes())?;
    Ok(InitOutcome { dir: dir.to_path_buf(), files: count + 1 })
}

/// Write a file that must not exist yet (if something appeared meanwhile, stop).
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), AuthorError> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| AuthorError::io(parent, e))?;
    }
    let mut f =
        OpenOptions::new().write(true).create_new(true).open(path).map_err(|e| AuthorError::io(path, e))?;
    f.write_all(bytes).map_err(|e| AuthorError::io(path, e))
}
