//! The safety net under every authoring command: a lock on `content/`, validation of a
//! candidate change on a throw-away copy of the site, and atomic writes, so that a file
//! is either entirely old or entirely new for `serve`, `build` and git alike.

use super::AuthorError;
use crate::diagnostics::Diagnostics;
use crate::model::{load::MAX_FILE_BYTES, load_site};
use std::fs::{self, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

/// The lock file's name in `content/`. Hidden, so the loader and the embedder skip it.
pub const LOCK_NAME: &str = ".aushang.lock";
/// How long a command waits for another one to finish before giving up.
pub const LOCK_TIMEOUT: Duration = Duration::from_secs(10);
/// A lock older than this was left by a process that died (no command takes this long:
/// the lock covers one read-validate-rename); it is taken over rather than waited for.
const LOCK_STALE: Duration = Duration::from_secs(120);

/// An exclusive lock on a site's `content/`, released when dropped.
///
/// A lock file created with `create_new` works on every platform and file system the
/// crate supports (including network shares), unlike advisory `flock`, and needs no
/// newer toolchain than the crate's MSRV.
#[derive(Debug)]
pub struct ContentLock {
    path: PathBuf,
}

impl ContentLock {
    pub fn acquire(content: &Path) -> Result<ContentLock, AuthorError> {
        Self::acquire_within(content, LOCK_TIMEOUT)
    }

    pub fn acquire_within(content: &Path, timeout: Duration) -> Result<ContentLock, AuthorError> {
        let path = content.join(LOCK_NAME);
        let start = Instant::now();
        // Spread retries of concurrent waiters so they do not wake in lock-step.
        let pause = Duration::from_millis(10 + u64::from(std::process::id() % 23));
        loop {
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(mut f) => {
                    // Who holds it, for a human looking at a lock that stays.
                    let _ = writeln!(f, "aushang pid {}", std::process::id());
                    return Ok(ContentLock { path });
                }
                Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                    if is_stale(&path) {
                        take_over_stale(&path);
                        continue;
                    }
                    if start.elapsed() >= timeout {
                        return Err(AuthorError::Busy(format!(
                            "another aushang command has held {} for more than {} s; \
                             try again, or delete that file if no aushang command is running",
                            path.display(),
                            timeout.as_secs()
                        )));
                    }
                    std::thread::sleep(pause);
                }
                Err(e) => return Err(AuthorError::io(&path, e)),
            }
        }
    }
}

impl Drop for ContentLock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

fn is_stale(path: &Path) -> bool {
    fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| SystemTime::now().duration_since(t).ok())
        .is_some_and(|age| age > LOCK_STALE)
}

/// Move a dead process's lock aside. Renaming (not deleting) means only one waiter wins
/// the stale file; the others find it gone and race fairly through `create_new`.
fn take_over_stale(path: &Path) {
    let aside = path.with_file_name(format!("{LOCK_NAME}.stale.{}", std::process::id()));
    if fs::rename(path, &aside).is_ok() {
        let _ = fs::remove_file(&aside);
    }
}

/// A temporary folder removed (with everything in it) when dropped.
#[derive(Debug)]
pub struct TempDir {
    path: PathBuf,
}

impl TempDir {
    pub fn new(prefix: &str) -> Result<TempDir, AuthorError> {
        let base = std::env::temp_dir();
        let nanos =
            SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
        for attempt in 0..100u32 {
            let path = base.join(format!("{prefix}-{}-{nanos}-{attempt}", std::process::id()));
            // `create_dir` (not `_all`) fails on anything already there, so a folder
            // prepared by someone else is never used.
            match fs::create_dir(&path) {
                Ok(()) => return Ok(TempDir { path }),
                Err(e) if e.kind() == ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(AuthorError::io(&path, e)),
            }
        }
        Err(AuthorError::io(&base, std::io::Error::other("cannot create a temporary folder")))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.path);
    }
}

/// Load the site under `root` as it would be with `changes` (paths relative to
/// `content/`, new contents) applied, without touching `root`: the content is copied to
/// a temporary site first. Content folders are small; files under `static/` are only
/// listed by the loader, so they are copied as empty files with the same names.
pub fn validate_with(root: &Path, changes: &[(PathBuf, String)]) -> Result<ValidationOutcome, AuthorError> {
    let tmp = TempDir::new("aushang-check")?;
    let content = root.join("content");
    let copy = tmp.path().join("content");
    copy_content(&content, &copy)?;
    for (rel, text) in changes {
        let dest = copy.join(rel);
        if let Some(parent) = dest.parent() {
            fs::create_dir_all(parent).map_err(|e| AuthorError::io(parent, e))?;
        }
        fs::write(&dest, text).map_err(|e| AuthorError::io(&dest, e))?;
    }
    Ok(match load_site(tmp.path()) {
        Ok((_, warnings)) => ValidationOutcome::Valid { warnings },
        Err(diagnostics) => ValidationOutcome::Invalid(diagnostics),
    })
}

pub enum ValidationOutcome {
    Valid { warnings: Diagnostics },
    Invalid(Diagnostics),
}

fn copy_content(from: &Path, to: &Path) -> Result<(), AuthorError> {
    fs::create_dir_all(to).map_err(|e| AuthorError::io(to, e))?;
    let static_dir = from.join("static");
    for entry in walkdir::WalkDir::new(from).min_depth(1).follow_links(false) {
        let entry = entry.map_err(|e| {
            let path = e.path().map(Path::to_path_buf).unwrap_or_else(|| from.to_path_buf());
            AuthorError::io(path, std::io::Error::other(e.to_string()))
        })?;
        let src = entry.path();
        let Ok(rel) = src.strip_prefix(from) else { continue };
        if rel == Path::new(LOCK_NAME) {
            continue;
        }
        let dest = to.join(rel);
        let in_static = src.starts_with(&static_dir);
        let ft = entry.file_type();
        if ft.is_dir() {
            fs::create_dir_all(&dest).map_err(|e| AuthorError::io(&dest, e))?;
        } else if ft.is_symlink() {
            // The loader follows links for the content folders but skips them in
            // `static/`; copying what they point to reproduces exactly that.
            if in_static {
                continue;
            }
            match fs::metadata(src) {
                Ok(m) if m.is_dir() => fs::create_dir_all(&dest).map_err(|e| AuthorError::io(&dest, e))?,
                Ok(m) => copy_file(src, &dest, m.len())?,
                // A dangling link: the loader reports it; so will the copy, as an
                // unreadable file.
                Err(_) => fs::write(&dest, []).map_err(|e| AuthorError::io(&dest, e))?,
            }
        } else if in_static {
            fs::write(&dest, []).map_err(|e| AuthorError::io(&dest, e))?;
        } else {
            let len = entry.metadata().map(|m| m.len()).unwrap_or(0);
            copy_file(src, &dest, len)?;
        }
    }
    Ok(())
}

/// Copy one content file; one the loader refuses for its size is reproduced as a
/// sparse file of the same length instead of being read.
fn copy_file(src: &Path, dest: &Path, len: u64) -> Result<(), AuthorError> {
    if len > MAX_FILE_BYTES {
        let f = fs::File::create(dest).map_err(|e| AuthorError::io(dest, e))?;
        return f.set_len(len).map_err(|e| AuthorError::io(dest, e));
    }
    fs::copy(src, dest).map(|_| ()).map_err(|e| AuthorError::io(src, e))
}

/// A hidden temp file beside `path`: same folder (so the rename is atomic), ignored by
/// the loader and by `serve`'s watcher while it exists.
fn temp_beside(path: &Path) -> PathBuf {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    path.with_file_name(format!(".{name}.{}.aushang.tmp", std::process::id()))
}

fn write_synced(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let mut f = OpenOptions::new().write(true).create(true).truncate(true).open(path)?;
    f.write_all(contents)?;
    f.sync_all()
}

/// Replace an existing file atomically, keeping its permissions.
pub fn replace_file(path: &Path, contents: &[u8]) -> Result<(), AuthorError> {
    let tmp = temp_beside(path);
    let result = (|| {
        write_synced(&tmp, contents)?;
        if let Ok(m) = fs::metadata(path) {
            fs::set_permissions(&tmp, m.permissions())?;
        }
        fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(AuthorError::io(path, e));
    }
    sync_parent(path);
    Ok(())
}

/// Create a new file atomically, never replacing one that exists (even one created a
/// moment ago by someone else): the complete temp file is hard-linked into place, which
/// fails if the name is taken. Where hard links are unsupported, `create_new` gives the
/// same guarantee without the atomicity.
pub fn create_file(path: &Path, contents: &[u8]) -> Result<(), AuthorError> {
    if let Some(parent) = path.parent() {
        // A fresh site may not have `incidents/` or `guides/` yet.
        fs::create_dir_all(parent).map_err(|e| AuthorError::io(parent, e))?;
    }
    let tmp = temp_beside(path);
    if let Err(e) = write_synced(&tmp, contents) {
        let _ = fs::remove_file(&tmp);
        return Err(AuthorError::io(path, e));
    }
    let linked = fs::hard_link(&tmp, path);
    let _ = fs::remove_file(&tmp);
    match linked {
        Ok(()) => {}
        Err(e) if e.kind() == ErrorKind::AlreadyExists => return Err(exists(path)),
        Err(_) => {
            let mut f = match OpenOptions::new().write(true).create_new(true).open(path) {
                Ok(f) => f,
                Err(e) if e.kind() == ErrorKind::AlreadyExists => return Err(exists(path)),
                Err(e) => return Err(AuthorError::io(path, e)),
            };
            f.write_all(contents).and_then(|()| f.sync_all()).map_err(|e| AuthorError::io(path, e))?;
        }
    }
    sync_parent(path);
    Ok(())
}

fn exists(path: &Path) -> AuthorError {
    AuthorError::Refused(format!("{} already exists; refusing to overwrite it", path.display()))
}

/// Make the rename itself durable. Best effort: not every platform can open a folder.
fn sync_parent(path: &Path) {
    #[cfg(unix)]
    if let Some(parent) = path.parent() {
        if let Ok(d) = fs::File::open(parent) {
            let _ = d.sync_all();
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_is_exclusive_and_released() {
        let tmp = TempDir::new("aushang-test").unwrap();
        let first = ContentLock::acquire(tmp.path()).unwrap();
        let second = ContentLock::acquire_within(tmp.path(), Duration::from_millis(50));
        assert!(matches!(second, Err(AuthorError::Busy(_))));
        drop(first);
        assert!(ContentLock::acquire_within(tmp.path(), Duration::from_millis(50)).is_ok());
        assert!(!tmp.path().join(LOCK_NAME).exists());
    }

    #[test]
    fn create_file_never_overwrites() {
        let tmp = TempDir::new("aushang-test").unwrap();
        let p = tmp.path().join("a.yaml");
        create_file(&p, b"one").unwrap();
        assert!(matches!(create_file(&p, b"two"), Err(AuthorError::Refused(_))));
        assert_eq!(fs::read(&p).unwrap(), b"one");
        replace_file(&p, b"three").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"three");
        // No temp files left behind.
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 1);
    }
}
