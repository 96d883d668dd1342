//! Shared helpers for integration tests: a private copy of the example site in a
//! temporary folder, and the real `aushang` binary run on it.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The example site that ships with the repository.
pub fn example_content() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("content")
}

/// A site in a temporary folder, removed when dropped.
pub struct TestSite {
    pub dir: tempfile::TempDir,
}

impl TestSite {
    /// A copy of the example site's `content/`.
    pub fn example() -> TestSite {
        let site = TestSite::empty();
        copy_dir(&example_content(), &site.path("content"));
        site
    }

    /// An empty folder (no `content/`).
    pub fn empty() -> TestSite {
        TestSite { dir: tempfile::tempdir().unwrap() }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// A path inside the site, e.g. `content/services/exchange.yaml`.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }

    /// Write a file, creating its folder.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> &TestSite {
        let p = self.path(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, contents).unwrap_or_else(|e| panic!("{rel}: {e}"));
        self
    }

    pub fn remove(&self, rel: &str) -> &TestSite {
        let p = self.path(rel);
        if p.is_dir() {
            std::fs::remove_dir_all(&p).unwrap();
        } else {
            std::fs::remove_file(&p).unwrap_or_else(|e| panic!("{rel}: {e}"));
        }
        self
    }

    /// Replace the first `from` in a file by `to`; the test is wrong if `from` is not there.
    pub fn edit(&self, rel: &str, from: &str, to: &str) -> &TestSite {
        let s = self.read(rel);
        assert!(s.contains(from), "{rel} does not contain {from:?}");
        self.write(rel, s.replacen(from, to, 1))
    }

    /// 1-based number of the first line of `rel` that contains `needle`.
    pub fn line_of(&self, rel: &str, needle: &str) -> usize {
        let s = self.read(rel);
        s.lines()
            .position(|l| l.contains(needle))
            .map(|i| i + 1)
            .unwrap_or_else(|| panic!("{rel} has no line with {needle:?}"))
    }

    /// Run `aushang <args> --root <site>`.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_env(args, &[])
    }

    pub fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let root = self.root().to_str().unwrap().to_string();
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--root", root.as_str()]);
        aushang(&all, env, Duration::from_secs(120))
    }
}

/// Copy a folder tree (the example site into a test's temporary folder).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// What a run of the binary did.
#[derive(Debug)]
pub struct Run {
    /// None when killed by a signal (or by the timeout).
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

/// One `path:line:col: severity: message` line of stderr.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diag {
    pub file: String,
    pub line: usize,
    pub col: usize,
    pub severity: String,
    pub message: String,
}

impl std::fmt::Display for Diag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}: {}: {}", self.file, self.line, self.col, self.severity, self.message)
    }
}

/// Run the binary with a clean "now" environment and a deadline: a hang fails the test
/// instead of stalling the suite.
pub fn aushang(args: &[&str], env: &[(&str, &str)], timeout: Duration) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_aushang"));
    cmd.args(args).env_remove("SOURCE_DATE_EPOCH").stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    run_command(cmd, timeout)
}

pub fn run_command(mut cmd: Command, timeout: Duration) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let (out_path, err_path) = (dir.path().join("out"), dir.path().join("err"));
    // Files, not pipes: a chatty child cannot block on a full pipe while we wait.
    cmd.stdout(std::fs::File::create(&out_path).unwrap());
    cmd.stderr(std::fs::File::create(&err_path).unwrap());
    let start = Instant::now();
    let mut child = cmd.spawn().unwrap();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break Some(s);
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let elapsed = start.elapsed();
    let read = |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned();
    let run = Run {
        code: status.and_then(|s| s.code()),
        stdout: read(&out_path),
        stderr: read(&err_path),
        elapsed,
    };
    assert!(
        status.is_some(),
        "timed out after {timeout:?}: {:?}\n{}",
        cmd.get_args().collect::<Vec<_>>(),
        run
    );
    run
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit code {:?} after {:?}\n--- stdout ---\n{}--- stderr ---\n{}",
            self.code, self.elapsed, self.stdout, self.stderr
        )
    }
}

impl Run {
    /// The diagnostic lines of stderr, in printed order.
    pub fn diags(&self) -> Vec<Diag> {
        self.stderr.lines().filter_map(parse_diag).collect()
    }

    pub fn errors(&self) -> Vec<Diag> {
        self.diags().into_iter().filter(|d| d.severity == "error").collect()
    }

    pub fn assert_code(&self, code: i32) -> &Run {
        assert_eq!(self.code, Some(code), "{self}");
        self
    }

    /// Exit code 0, 1 or 2, and no panic message.
    pub fn assert_no_panic(&self) -> &Run {
        assert!(matches!(self.code, Some(0..=2)), "{self}");
        assert!(!self.stderr.contains("panicked"), "{self}");
        self
    }

    /// The one diagnostic at `file:line` (and `col`, when given) whose message contains
    /// every word of `words`; fails with the whole output otherwise.
    pub fn expect(
        &self,
        severity: &str,
        file: &str,
        line: usize,
        col: Option<usize>,
        words: &[&str],
    ) -> Diag {
        let found: Vec<Diag> = self
            .diags()
            .into_iter()
            .filter(|d| {
                d.severity == severity
                    && d.file == file
                    && d.line == line
                    && col.unwrap_or(d.col) == d.col
                    && words.iter().all(|w| d.message.contains(w))
            })
            .collect();
        assert!(
            found.len() == 1,
            "expected one {severity} at {file}:{line}:{} containing {words:?}, found {}\n{self}",
            col.map(|c| c.to_string()).unwrap_or("*".into()),
            found.len()
        );
        found.into_iter().next().unwrap()
    }

    pub fn expect_error(&self, file: &str, line: usize, col: Option<usize>, words: &[&str]) -> Diag {
        self.expect("error", file, line, col, words)
    }

    pub fn expect_warning(&self, file: &str, line: usize, col: Option<usize>, words: &[&str]) -> Diag {
        self.expect("warning", file, line, col, words)
    }
}

fn parse_diag(line: &str) -> Option<Diag> {
    let (head, severity, message) = ["error", "warning"].iter().find_map(|sev| {
        let marker = format!(": {sev}: ");
        line.split_once(&marker).map(|(h, m)| (h, sev.to_string(), m.to_string()))
    })?;
    let mut parts = head.rsplitn(3, ':');
    let col = parts.next()?.parse().ok()?;
    let line_no = parts.next()?.parse().ok()?;
    let file = parts.next()?.to_string();
    Some(Diag { file, line: line_no, col, severity, message })
}
