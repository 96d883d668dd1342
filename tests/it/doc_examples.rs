//! The examples of README.md and docs/*.md, run: every document is played from top to
//! bottom in a temporary folder that holds a copy of the example site. Its console blocks
//! run with trycmd, which compares their output with the block; a file block is written
//! where it says and the site must then pass `aushang check`; an output block must match
//! the built file. So a command, a content example or an output shown in
//! the documentation cannot drift from what aushang does. The conventions are in
//! `doc_blocks.rs`.
//!
//! trycmd runs all console blocks of one file in one folder, but a document also writes
//! files and changes folders between them. So each stretch of console blocks between two
//! such steps runs as its own trycmd case: a copy of the document in which every other
//! console block is marked `ignore` (line numbers stay those of the document), beside a
//! `<name>.in` link to the folder the commands run in.

use crate::common::{self, copy_dir, run_command};
use crate::doc_blocks::{self, Block, Item};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// "Now" of a document's commands until a `now=` directive says otherwise: the instant
/// CI builds the example site at.
const DEFAULT_NOW: &str = "2026-11-27T12:00:00+01:00";

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// README.md and every docs/*.md, as paths relative to the repository.
fn documents() -> Vec<String> {
    let mut docs = vec!["README.md".to_string()];
    let mut more: Vec<String> = std::fs::read_dir(repo().join("docs"))
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".md"))
        .map(|n| format!("docs/{n}"))
        .collect();
    more.sort();
    docs.extend(more);
    docs
}

/// The first `name` on PATH.
fn on_path(name: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("`{name}` is not on PATH; the documents' examples use it"))
}

fn epoch(now: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(now)
        .unwrap_or_else(|e| panic!("docs-test now={now}: {e}"))
        .timestamp()
        .to_string()
}

/// One document being played.
struct Play {
    doc: String,
    source: String,
    blocks: Vec<Block>,
    tmp: tempfile::TempDir,
    cwd: PathBuf,
    now: String,
    /// Console blocks (by opening line) waiting to run as one trycmd case.
    pending: Vec<usize>,
    cases: usize,
}

impl Play {
    fn new(doc: &str) -> Play {
        // trycmd would rewrite or dump the temporary copy, not the document.
        assert!(
            std::env::var_os("TRYCMD").is_none(),
            "TRYCMD does not apply to these tests: they run copies of the documents; edit the document"
        );
        let source = std::fs::read_to_string(repo().join(doc)).unwrap();
        let blocks = doc_blocks::items(&source)
            .into_iter()
            .filter_map(|i| match i {
                Item::Block(b) => Some(b),
                Item::Directive { .. } => None,
            })
            .collect();
        let tmp = tempfile::tempdir().unwrap();
        let cwd = tmp.path().join("site");
        std::fs::create_dir(&cwd).unwrap();
        Play {
            doc: doc.to_string(),
            source,
            blocks,
            tmp,
            cwd,
            now: DEFAULT_NOW.into(),
            pending: vec![],
            cases: 0,
        }
    }

    fn run(mut self) {
        copy_dir(&common::example_content(), &self.cwd.join("content"));
        for item in doc_blocks::items(&self.source) {
            match item {
                Item::Directive { line, settings } => {
                    self.flush();
                    for (k, v) in settings {
                        match k.as_str() {
                            "now" => {
                                epoch(&v);
                                self.now = v;
                            }
                            other => panic!("{}:{line}: unknown docs-test setting `{other}`", self.doc),
                        }
                    }
                }
                Item::Block(b) if b.lang == "console" => {
                    self.pending.push(b.line);
                    let commands = b.commands();
                    let cd = commands.last().filter(|c| c.words[0] == "cd");
                    if let Some(dir) = cd.and_then(|c| c.words.get(1)).cloned() {
                        self.flush();
                        self.cwd = self.cwd.join(dir);
                        assert!(
                            self.cwd.is_dir(),
                            "{}:{}: no folder {}",
                            self.doc,
                            b.line,
                            self.cwd.display()
                        );
                    }
                }
                Item::Block(b) if b.attr("file").is_some_and(|p| !p.starts_with('/')) => {
                    self.flush();
                    self.write_file(&b);
                }
                Item::Block(b) if b.attr("output").is_some() => {
                    self.flush();
                    self.compare_output(&b);
                }
                Item::Block(_) => {}
            }
        }
        self.flush();
        if self.cwd.join("content").is_dir() {
            self.check(0, false);
        }
    }

    /// Run the pending console blocks as one trycmd case in `cwd`.
    fn flush(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let mut lines: Vec<String> = self.source.split_inclusive('\n').map(String::from).collect();
        for b in self.blocks.iter().filter(|b| b.lang == "console" && !self.pending.contains(&b.line)) {
            let fence = &mut lines[b.line - 1];
            *fence = format!("{},ignore\n", fence.trim_end());
        }
        self.cases += 1;
        let dir = self.tmp.path().join(format!("case{}", self.cases));
        std::fs::create_dir(&dir).unwrap();
        let stem = Path::new(&self.doc).file_stem().unwrap().to_string_lossy().into_owned();
        let case = dir.join(format!("{stem}.md"));
        std::fs::write(&case, lines.concat()).unwrap();
        std::os::unix::fs::symlink(&self.cwd, dir.join(format!("{stem}.in"))).unwrap();
        eprintln!(
            "{}: the console blocks at lines {:?}, now {} (trycmd names the copy {})",
            self.doc,
            self.pending,
            self.now,
            case.display()
        );
        let cases = trycmd::TestCases::new();
        cases
            .register_bin("aushang", Path::new(env!("CARGO_BIN_EXE_aushang")))
            .register_bin("git", on_path("git"))
            .register_bin("rm", on_path("rm"))
            .env("SOURCE_DATE_EPOCH", epoch(&self.now))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_AUTHOR_NAME", "IT-Servicedesk")
            .env("GIT_AUTHOR_EMAIL", "servicedesk@example.org")
            .env("GIT_COMMITTER_NAME", "IT-Servicedesk")
            .env("GIT_COMMITTER_EMAIL", "servicedesk@example.org")
            .timeout(Duration::from_secs(120))
            .case(&case);
        cases.run();
        self.pending.clear();
    }

    fn write_file(&mut self, b: &Block) {
        let rel = b.attr("file").unwrap_or_default();
        let path = self.cwd.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &b.text).unwrap();
        if rel.starts_with("content/") {
            if !b.flag("invalid") {
                self.check(b.line, true);
            }
        } else if rel.ends_with(".yml") || rel.ends_with(".yaml") {
            if let Err(e) = serde_yaml::from_str::<serde_yaml::Value>(&b.text) {
                panic!("{}:{}: {rel} is not YAML: {e}", self.doc, b.line);
            }
        }
    }

    /// `aushang check` in `cwd` must pass; `line` is the block that asked for it (0: the end).
    fn check(&self, line: usize, after_block: bool) {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_aushang"));
        cmd.arg("check").current_dir(&self.cwd).env("SOURCE_DATE_EPOCH", epoch(&self.now));
        let run = run_command(cmd, Duration::from_secs(120));
        let what = if after_block {
            format!("{}:{line}: with this file block", self.doc)
        } else {
            format!("{}: at the end of the document", self.doc)
        };
        assert_eq!(
            run.code,
            Some(0),
            "{what} the site does not pass `aushang check` (now {}):\n{run}",
            self.now
        );
    }

    fn compare_output(&self, b: &Block) {
        let rel = b.attr("output").unwrap_or_default();
        let path = self.cwd.join(rel);
        let actual = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!("{}:{}: {}: {e} (build the site first)", self.doc, b.line, path.display())
        });
        let actual = actual.replace("\r\n", "\n");
        let label = format!("{}:{} ({rel})", self.doc, b.line);
        if let Err(e) = snapbox::Assert::new().try_eq(Some(&label), actual.into(), b.text.clone().into()) {
            panic!("{label}: the block does not match the built file:\n{e}");
        }
    }
}

#[test]
fn every_example_is_of_a_kind_the_tests_run() {
    let mut problems = Vec::new();
    for doc in documents() {
        let src = std::fs::read_to_string(repo().join(&doc)).unwrap();
        problems.extend(doc_blocks::problems(&doc, &src));
    }
    assert!(problems.is_empty(), "examples the doc tests would not run:\n{}", problems.join("\n"));
}

/// One test per document, so they run side by side and fail one by one; any other
/// document in docs/ is played by `other_documents`.
macro_rules! play {
    ($($name:ident => $doc:literal),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                Play::new($doc).run();
            }
        )*

        #[test]
        fn other_documents() {
            let named = [$($doc),*];
            for doc in documents().iter().filter(|d| !named.contains(&d.as_str())) {
                Play::new(doc).run();
            }
        }
    };
}

play! {
    readme => "README.md",
    content => "docs/content.md",
    outputs => "docs/outputs.md",
    deploying => "docs/deploying.md",
    runbook => "docs/runbook.md",
    performance => "docs/performance.md",
}

/// The messages that docs/content.md quotes in its tables, each split at `…` (the value in
/// question): every piece must stand in the source of `src/`, so the list of checks
/// follows the code. Messages are the code spans of three words or more in the table
/// cells of the section "Checks".
#[test]
fn content_md_quotes_the_messages_of_the_code() {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let mut code = String::new();
    for e in walkdir::WalkDir::new(repo().join("src")).into_iter().filter_map(Result::ok) {
        if e.path().extension().is_some_and(|x| x == "rs") {
            code.push_str(&std::fs::read_to_string(e.path()).unwrap());
        }
    }
    // A string literal continued on the next line (`\` at the end) reads as one line,
    // and the limits that messages name by constant read as their values.
    let mut joined = String::new();
    let mut rest = code.as_str();
    while let Some(i) = rest.find("\\\n") {
        joined.push_str(&rest[..i]);
        rest = rest[i + 2..].trim_start();
    }
    joined.push_str(rest);
    for (name, value) in [("MAX_DEPTH", "64"), ("MAX_ALIAS_VALUES", "100_000"), ("MAX_NAME_CHARS", "200")] {
        assert!(
            joined.contains(&format!("const {name}: usize = {value};")),
            "{name} is not {value}; update the table in docs/content.md"
        );
        joined = joined.replace(&format!("{{{name}}}"), &value.replace('_', ""));
    }
    let doc = std::fs::read_to_string(repo().join("docs/content.md")).unwrap();
    let (mut in_checks, mut in_heading, mut in_cell) = (false, false, false);
    let mut missing = Vec::new();
    let mut quoted = 0;
    for event in Parser::new_ext(&doc, Options::all()) {
        match event {
            Event::Start(Tag::Heading { .. }) => in_heading = true,
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Text(t) if in_heading => in_checks = &*t == "Checks",
            Event::Start(Tag::TableCell) => in_cell = in_checks,
            Event::End(TagEnd::TableCell) => in_cell = false,
            Event::Code(span) if in_cell && span.split_whitespace().count() >= 3 => {
                quoted += 1;
                for piece in span.split('…').map(str::trim).filter(|p| p.chars().count() >= 4) {
                    if !joined.contains(piece) {
                        missing.push(format!("`{piece}` (of `{span}`)"));
                    }
                }
            }
            _ => {}
        }
    }
    assert!(quoted > 40, "only {quoted} messages found in docs/content.md's tables");
    assert!(
        missing.is_empty(),
        "docs/content.md quotes messages the code does not have:\n{}",
        missing.join("\n")
    );
}
