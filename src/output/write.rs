//! Putting a built site on disk without ever leaving a half-written one: files go into a
//! temporary folder beside the target, which replaces the target only when all is written.
//! Files whose bytes did not change keep their old inode and mtime (CDN caches stay warm).

use super::OutputFile;
use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("{0}: output path is not safe (absolute, `..` or empty)")]
    UnsafePath(String),
    #[error("{0}: refusing to replace a folder that does not look like a built site (no index.html); choose another --out")]
    NotASite(PathBuf),
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |source| WriteError::Io { path: path.to_path_buf(), source }
}

/// Check that a relative output path stays inside the output folder.
fn safe_rel(path: &str) -> Result<&Path, WriteError> {
    let p = Path::new(path);
    let ok = !path.is_empty() && p.components().all(|c| matches!(c, std::path::Component::Normal(_)));
    if ok {
        Ok(p)
    } else {
        Err(WriteError::UnsafePath(path.to_string()))
    }
}

/// A build in progress: files go into a temporary folder beside `out` as they are
/// rendered; [`Staged::commit`] swaps it into place. Dropped without a commit, it removes
/// the temporary folder and `out` stays exactly as it was.
pub struct Staged {
    out: PathBuf,
    tmp: PathBuf,
    old: PathBuf,
    dirs: Mutex<HashSet<PathBuf>>,
    /// Whether `out` held a build to compare with (a first build skips 20,000 lookups).
    previous: bool,
    committed: bool,
    /// Files, HTML pages and bytes written.
    stats: Mutex<(usize, usize, usize)>,
}

impl Staged {
    pub fn new(out: &Path) -> Result<Staged, WriteError> {
        let parent = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(io_err(parent))?;
        let looks_built = out.join("index.html").exists();
        let empty = std::fs::read_dir(out).map(|mut d| d.next().is_none()).unwrap_or(true);
        if out.exists() && !looks_built && !empty {
            return Err(WriteError::NotASite(out.to_path_buf()));
        }
        let name = out.file_name().and_then(|n| n.to_str()).unwrap_or("public");
        let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        let old = parent.join(format!(".{name}.old-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&tmp);
        std::fs::create_dir_all(&tmp).map_err(io_err(&tmp))?;
        Ok(Staged {
            out: out.to_path_buf(),
            tmp,
            old,
            dirs: Mutex::new(HashSet::new()),
            previous: looks_built,
            committed: false,
            stats: Mutex::new((0, 0, 0)),
        })
    }

    /// Write one file. An unchanged file is hard-linked from the previous build: same
    /// bytes, same mtime, so rsync and CDN caches see nothing new.
    pub fn put(&self, f: &OutputFile) -> Result<(), WriteError> {
        let rel = safe_rel(&f.path)?;
        let dest = self.tmp.join(rel);
        if let Some(parent) = dest.parent() {
            let mut dirs = self.dirs.lock().unwrap_or_else(|e| e.into_inner());
            if !dirs.contains(parent) {
                std::fs::create_dir_all(parent).map_err(io_err(parent))?;
                dirs.insert(parent.to_path_buf());
            }
        }
        let prev = self.out.join(rel);
        let unchanged = self.previous
            && std::fs::metadata(&prev).is_ok_and(|m| m.len() == f.bytes.len() as u64)
            && std::fs::read(&prev).is_ok_and(|old| old == f.bytes);
        if !(unchanged && std::fs::hard_link(&prev, &dest).is_ok()) {
            std::fs::write(&dest, &f.bytes).map_err(io_err(&dest))?;
        }
        let mut stats = self.stats.lock().unwrap_or_else(|e| e.into_inner());
        stats.0 += 1;
        stats.1 += usize::from(f.path.ends_with(".html"));
        stats.2 += f.bytes.len();
        Ok(())
    }

    /// (files, pages, bytes) written so far.
    pub fn stats(&self) -> (usize, usize, usize) {
        *self.stats.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Swap the new tree into place.
    pub fn commit(mut self) -> Result<(), WriteError> {
        self.committed = true;
        let result = swap(&self.tmp, &self.out, &self.old);
        if result.is_err() {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
        result
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

fn swap(tmp: &Path, out: &Path, old: &Path) -> Result<(), WriteError> {
    if out.exists() {
        let _ = std::fs::remove_dir_all(old);
        std::fs::rename(out, old).map_err(io_err(out))?;
        if let Err(e) = std::fs::rename(tmp, out) {
            let _ = std::fs::rename(old, out);
            return Err(WriteError::Io { path: out.to_path_buf(), source: e });
        }
        let _ = std::fs::remove_dir_all(old);
    } else {
        std::fs::rename(tmp, out).map_err(io_err(out))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Write `files` as the complete content of `out`, atomically: on any error `out` is
    /// left exactly as it was.
    fn write_site(out: &Path, files: &[OutputFile]) -> Result<(), WriteError> {
        use rayon::prelude::*;
        let staged = Staged::new(out)?;
        files.par_iter().try_for_each(|f| staged.put(f))?;
        staged.commit()
    }

    #[test]
    fn refuses_unsafe_paths_and_keeps_old_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[OutputFile::new("index.html", "one")]).unwrap();
        let err = write_site(&out, &[OutputFile::new("index.html", "two"), OutputFile::new("../evil", "x")]);
        assert!(matches!(err, Err(WriteError::UnsafePath(_))));
        assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "one");
        assert!(!dir.path().join("evil").exists());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "temporary folders are cleaned up");
    }

    /// Unchanged files keep their inode and mtime (CDN and rsync caches stay warm); a
    /// changed file is new.
    #[cfg(unix)]
    #[test]
    fn unchanged_files_are_kept_changed_ones_rewritten() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let ino = |rel: &str| std::fs::metadata(out.join(rel)).unwrap().ino();
        let site = |about: &str| {
            vec![
                OutputFile::new("index.html", "home"),
                OutputFile::new("about/index.html", about.to_string()),
            ]
        };
        write_site(&out, &site("one")).unwrap();
        let (home, about) = (ino("index.html"), ino("about/index.html"));
        write_site(&out, &site("two")).unwrap();
        assert_eq!(ino("index.html"), home);
        assert_ne!(ino("about/index.html"), about);
        assert_eq!(std::fs::read_to_string(out.join("about/index.html")).unwrap(), "two");
    }

    #[test]
    fn replaces_whole_tree() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[OutputFile::new("index.html", "a"), OutputFile::new("old/x.html", "x")]).unwrap();
        write_site(&out, &[OutputFile::new("index.html", "b")]).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "b");
        assert!(!out.join("old").exists());
    }
}
