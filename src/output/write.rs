//! Putting a built site on disk without ever leaving a half-written one: files go into a
//! temporary folder beside the target, which replaces the target only when all is written.
//! Files whose bytes did not change keep their old inode and mtime (CDN caches stay warm).

use super::OutputFile;
use std::io;
use std::path::{Path, PathBuf};

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

/// Write `files` as the complete content of `out`, atomically: on any error `out` is
/// left exactly as it was.
pub fn write_site(out: &Path, files: &[OutputFile]) -> Result<(), WriteError> {
    let parent = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(io_err(parent))?;
    if out.exists()
        && !out.join("index.html").exists()
        && std::fs::read_dir(out).map(|mut d| d.next().is_some()).unwrap_or(false)
    {
        return Err(WriteError::NotASite(out.to_path_buf()));
    }
    let name = out.file_name().and_then(|n| n.to_str()).unwrap_or("public");
    let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let result = fill(&tmp, out, files).and_then(|()| swap(&tmp, out, &old));
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result
}

fn fill(tmp: &Path, previous: &Path, files: &[OutputFile]) -> Result<(), WriteError> {
    use rayon::prelude::*;
    std::fs::create_dir_all(tmp).map_err(io_err(tmp))?;
    for f in files {
        safe_rel(&f.path)?;
    }
    let mut dirs: Vec<PathBuf> =
        files.iter().filter_map(|f| Path::new(&f.path).parent().map(|p| tmp.join(p))).collect();
    dirs.sort();
    dirs.dedup();
    for d in &dirs {
        std::fs::create_dir_all(d).map_err(io_err(d))?;
    }
    files.par_iter().try_for_each(|f| {
        let dest = tmp.join(&f.path);
        let prev = previous.join(&f.path);
        // An unchanged file is hard-linked from the previous build: same bytes, same mtime.
        if let Ok(old) = std::fs::read(&prev) {
            if old == f.bytes && std::fs::hard_link(&prev, &dest).is_ok() {
                return Ok(());
            }
        }
        std::fs::write(&dest, &f.bytes).map_err(io_err(&dest))
    })
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
