//! Watching `content/` and `themes/` for changes, debounced into one batch per save.
//!
//! Editors save in many ways: writing in place, writing a temp file and renaming it over
//! the original, or renaming the original to a backup first. Watching the folders
//! (recursively) rather than single files sees all of them, including files that are
//! replaced and so get a new inode. Their scratch files (swap files, vim's `4913` probe,
//! backups) are dropped here so they never cause a rebuild.

use crate::model::load::is_ignored_file;
use notify::{Event, EventKind, RecursiveMode, Watcher};
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

/// Quiet time that ends a batch: an editor's save is several events within a few ms.
/// It counts in the time from saving to the new page, which should stay well under a
/// tenth of a second; a burst split in two only costs a second rebuild, and an incident
/// file's rebuild is partial and short.
pub const DEBOUNCE: Duration = Duration::from_millis(10);
/// Longest a batch may grow while events keep coming (e.g. a `git checkout`), so the
/// preview still catches up.
const MAX_BATCH: Duration = Duration::from_secs(2);

/// The folders below the site root whose changes matter.
const WATCHED: [&str; 2] = ["content", "themes"];

/// Causes are part of the message (see [`super::ServeError`]).
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    #[error("cannot watch {path}: {error}")]
    Watch { path: String, error: notify::Error },
    #[error("cannot start the file watcher: {0}")]
    Start(notify::Error),
    #[error("cannot start the file watcher thread: {0}")]
    Thread(std::io::Error),
}

/// One debounced batch of changes.
#[derive(Debug, Clone)]
pub struct Change {
    /// Changed paths relative to the site root, sorted, without duplicates.
    pub paths: Vec<PathBuf>,
    /// Editor scratch files that changed. They need no rebuild, unless the last build
    /// complained about one (the loader knows fewer scratch names than the watcher, e.g.
    /// vim's `4913`), so that deleting it clears the error.
    pub scratch: Vec<PathBuf>,
    /// When the first event of the batch arrived: the start of "save → rebuilt page".
    pub first_event: Instant,
}

/// Whether a file name belongs to an editor's temporary or swap files rather than content.
pub fn is_editor_scratch(name: &str) -> bool {
    is_ignored_file(name)
        || name == "4913" // vim checks it may write into a folder by creating and deleting this
        || name.ends_with(".kate-swp")
        || name.starts_with(".#") // emacs lock files
        || name.ends_with("___jb_tmp___") // JetBrains safe write
        || name.ends_with("___jb_old___")
}

/// Start watching `root` (absolute, canonical) and call `on_change` with each debounced
/// batch, on a thread of its own, for as long as the process runs.
pub fn spawn<F>(root: PathBuf, mut on_change: F) -> Result<thread::JoinHandle<()>, WatchError>
where
    F: FnMut(Change) + Send + 'static,
{
    let (tx, rx) = mpsc::channel::<(Instant, notify::Result<Event>)>();
    // The time is taken in notify's thread, as close to the file event as we get.
    let mut watcher = notify::recommended_watcher(move |res| {
        let _ = tx.send((Instant::now(), res));
    })
    .map_err(WatchError::Start)?;
    // The root itself, not recursively: to notice `content/` or `themes/` being created,
    // or replaced as a whole, and watch the new folder.
    watcher
        .watch(&root, RecursiveMode::NonRecursive)
        .map_err(|error| WatchError::Watch { path: root.display().to_string(), error })?;
    for dir in WATCHED {
        let path = root.join(dir);
        if path.is_dir() {
            watcher
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|error| WatchError::Watch { path: path.display().to_string(), error })?;
        }
    }
    let handle = thread::Builder::new()
        .name("aushang-watch".into())
        .spawn(move || {
            while let Ok(first) = rx.recv() {
                let mut batch = Batch::default();
                batch.add(&root, first);
                let started = Instant::now();
                loop {
                    let left = MAX_BATCH.saturating_sub(started.elapsed());
                    match rx.recv_timeout(DEBOUNCE.min(left)) {
                        Ok(ev) => batch.add(&root, ev),
                        Err(RecvTimeoutError::Timeout) => break,
                        Err(RecvTimeoutError::Disconnected) => return,
                    }
                    if left.is_zero() {
                        break;
                    }
                }
                for dir in &batch.rewatch {
                    let path = root.join(dir);
                    if path.is_dir() {
                        // The old watch died with the old folder; errors just mean it was
                        // still there.
                        let _ = watcher.unwatch(&path);
                        if let Err(e) = watcher.watch(&path, RecursiveMode::Recursive) {
                            super::warn(format_args!("warning: cannot watch {}: {e}", path.display()));
                        }
                    }
                }
                if let Some(change) = batch.finish(&root) {
                    on_change(change);
                }
            }
        })
        .map_err(WatchError::Thread)?;
    Ok(handle)
}

#[derive(Default)]
struct Batch {
    paths: Vec<PathBuf>,
    /// Paths that did not exist before this batch (their first event was a creation).
    created: Vec<PathBuf>,
    /// Scratch files touched; they start no rebuild on their own (see [`Change::scratch`]).
    scratch: Vec<PathBuf>,
    /// When the first site event arrived.
    first_event: Option<Instant>,
    first_scratch: Option<Instant>,
    /// Watched folders that were created or replaced as a whole.
    rewatch: Vec<&'static str>,
}

impl Batch {
    fn add(&mut self, root: &Path, (at, res): (Instant, notify::Result<Event>)) {
        let event = match res {
            Ok(ev) => ev,
            Err(e) => {
                super::warn(format_args!("warning: file watcher: {e}"));
                return;
            }
        };
        // Reads and closes change nothing.
        if matches!(event.kind, EventKind::Access(_)) {
            return;
        }
        // The kernel dropped events: we cannot know what changed, so assume everything.
        if event.need_rescan() {
            self.note(at, PathBuf::from("content"));
            return;
        }
        for path in &event.paths {
            let rel = match classify(root, path) {
                Some(Kind::Site(rel)) => rel,
                Some(Kind::Scratch(rel)) => {
                    self.first_scratch.get_or_insert(at);
                    self.scratch.push(rel);
                    continue;
                }
                None => continue,
            };
            if rel.components().count() == 1 {
                if let Some(dir) = WATCHED.iter().find(|d| rel == Path::new(d)) {
                    self.rewatch.push(dir);
                }
            }
            if matches!(event.kind, EventKind::Create(_)) && !self.paths.contains(&rel) {
                self.created.push(rel.clone());
            }
            self.note(at, rel);
        }
    }

    fn note(&mut self, at: Instant, rel: PathBuf) {
        self.first_event.get_or_insert(at);
        self.paths.push(rel);
    }

    /// The batch as one change, without files that came and went within it: the temp
    /// files of tools that write elsewhere and rename over the original (`sed -i`, many
    /// editors) under names no ignore list knows. `None` when nothing is left.
    fn finish(mut self, root: &Path) -> Option<Change> {
        let created = std::mem::take(&mut self.created);
        self.paths.retain(|p| !created.contains(p) || root.join(p).exists());
        self.paths.sort();
        self.paths.dedup();
        self.scratch.sort();
        self.scratch.dedup();
        if self.paths.is_empty() && self.scratch.is_empty() {
            return None;
        }
        let first_event = self.first_event.or(self.first_scratch)?;
        Some(Change { paths: self.paths, scratch: self.scratch, first_event })
    }
}

/// What an event path means for the site.
#[derive(Debug, PartialEq, Eq)]
enum Kind {
    /// Content or theme file (relative to the root).
    Site(PathBuf),
    /// An editor's scratch file, or something in a hidden folder such as `.git`.
    Scratch(PathBuf),
}

/// Where `path` belongs, if it lies in a watched folder.
fn classify(root: &Path, path: &Path) -> Option<Kind> {
    let rel = path.strip_prefix(root).ok()?;
    let mut components = rel.components();
    let top = match components.next()? {
        Component::Normal(top) => top.to_str()?,
        _ => return None,
    };
    if !WATCHED.contains(&top) {
        return None;
    }
    let scratch = rel.components().any(|c| match c {
        Component::Normal(name) => match name.to_str() {
            Some(name) => is_editor_scratch(name),
            // Not UTF-8: no content file the loader would read.
            None => true,
        },
        _ => true,
    });
    let rel = rel.to_path_buf();
    Some(if scratch { Kind::Scratch(rel) } else { Kind::Site(rel) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_scratch_files_are_ignored() {
        for name in
            ["4913", ".x.yaml.swp", "x.yaml~", "#x.yaml#", ".#x.yaml", "x.kate-swp", "x.yaml___jb_tmp___"]
        {
            assert!(is_editor_scratch(name), "{name}");
        }
        assert!(!is_editor_scratch("mailbox.yaml"));
        assert!(!is_editor_scratch("backup-mail.de.md"));
    }

    #[test]
    fn only_watched_folders_count() {
        let root = Path::new("/site");
        let site = |p: &str| Some(Kind::Site(PathBuf::from(p)));
        let scratch = |p: &str| Some(Kind::Scratch(PathBuf::from(p)));
        assert_eq!(
            classify(root, Path::new("/site/content/services/x.yaml")),
            site("content/services/x.yaml")
        );
        assert_eq!(classify(root, Path::new("/site/themes/default/x.html")), site("themes/default/x.html"));
        assert_eq!(classify(root, Path::new("/site/content")), site("content"));
        assert_eq!(classify(root, Path::new("/site/public/index.html")), None);
        assert_eq!(
            classify(root, Path::new("/site/content/services/4913")),
            scratch("content/services/4913")
        );
        assert_eq!(classify(root, Path::new("/site/content/.git/index")), scratch("content/.git/index"));
        assert_eq!(classify(root, Path::new("/elsewhere/content/x.yaml")), None);
    }
}
